// Entries used by several journal tests.
#ifndef MGADVISOR_JOURNAL_TEST_ENTRIES_H_
#define MGADVISOR_JOURNAL_TEST_ENTRIES_H_

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "journal/journal.h"

namespace mg::journal {

inline Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }

struct EntryArgs {
  std::string label = {};
  std::optional<double> magnesium_mg = {};
  std::optional<double> value = {};
  std::optional<double> intensity = {};
  std::vector<int> irls_items = {};
  std::string note = {};
  std::map<std::string, double> measures = {};
};

inline Entry MakeEntry(Date date, EntryKind kind, EntryArgs args) {
  Entry e;
  e.date = date;
  e.kind = kind;
  e.label = std::move(args.label);
  e.magnesium_mg = args.magnesium_mg;
  e.value = args.value;
  e.intensity = args.intensity;
  e.irls_items = std::move(args.irls_items);
  e.note = std::move(args.note);
  e.measures = std::move(args.measures);
  return e;
}

// One valid entry of every kind, with awkward text (commas, quotes, newlines, UTF-8) and
// numbers that are not exactly representable in decimal.
inline std::vector<Entry> OneOfEachKind() {
  using K = EntryKind;
  return {
      MakeEntry(Day(2026, 11, 1), K::kFood,
                {.label = "pumpkin seeds, 30 g", .magnesium_mg = 156.0 * 0.3}),
      MakeEntry(Day(2026, 11, 1), K::kSupplement,
                {.label = "multivitamin \"A-Z\"", .magnesium_mg = 100}),
      MakeEntry(Day(2026, 11, 2), K::kDose,
                {.label = "citrate", .magnesium_mg = 300, .note = "with dinner"}),
      MakeEntry(Day(2026, 11, 2), K::kIrls,
                {.value = 14, .irls_items = {2, 1, 0, 3, 1, 2, 1, 1, 2, 1}}),
      MakeEntry(Day(2026, 11, 3), K::kIrls, {.value = 22}),
      MakeEntry(Day(2026, 11, 3), K::kCramps, {.value = 2, .intensity = 7}),
      MakeEntry(Day(2026, 11, 3), K::kPain, {.value = 4}),
      MakeEntry(Day(2026, 11, 4), K::kSleep, {.value = 6}),
      MakeEntry(Day(2026, 11, 4), K::kSleepMinutes,
                {.label = "Apple Health", .value = 431, .note = "imported from export.xml"}),
      MakeEntry(Day(2026, 11, 4), K::kNote,
                {.note = "slept badly,\n\"long\" day; caf\u00e9\r\nnext"}),
      // After the others of 4 November, so the list stays in (date, id) order and the indices
      // above stay what other tests use. Measures are left to MigraineAttack() below, so that
      // this list still exports to the nine CSV columns of a journal without measures.
      MakeEntry(Day(2026, 11, 4), K::kMigraine,
                {.label = "sumatriptan 50 mg, \"Imigran\"", .value = 7}),
      MakeEntry(Day(2026, 11, 4), K::kMigraine, {.value = 0, .note = "none all day"}),
      MakeEntry(Day(2026, 11, 4), K::kStress, {.value = 6}),
      MakeEntry(Day(2026, 11, 5), K::kSideEffect,
                {.label = "diarrhoea", .note = "mild, after 2 days"}),
  };
}

// A migraine attack with every detail: 06:30 to 02:20 the next morning (1190 minutes).
inline Entry MigraineAttack() {
  return MakeEntry(Day(2026, 11, 6), EntryKind::kMigraine,
                   {.label = "sumatriptan 50 mg",
                    .value = 8,
                    .note = "woke with it",
                    .measures = {{"start_minute", 390}, {"duration_minutes", 1190}}});
}

// Adds every entry (expecting success) and returns them with the ids the store assigned.
inline std::vector<Entry> AddAll(Store& store, std::vector<Entry> entries) {
  for (Entry& e : entries) {
    auto id = store.Add(e);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    e.id = id.ok() ? *id : 0;
  }
  return entries;
}

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_TEST_ENTRIES_H_
