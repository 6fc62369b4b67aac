#include "journal/journal.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "journal/test_entries.h"

namespace mg::journal {
namespace {

TEST(DateTest, ParsesAndFormatsRealDates) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
  EXPECT_EQ(FormatDate(Day(1999, 1, 9)), "1999-01-09");
}

// FormatDate writes four-digit years digit by digit and others through fmt's "{:04}" (issue 20):
// both as "{:04}-{:02}-{:02}" prints them.
TEST(DateTest, FormatsEveryYearAsBefore) {
  EXPECT_EQ(FormatDate(Day(0, 1, 1)), "0000-01-01");
  EXPECT_EQ(FormatDate(Day(987, 3, 4)), "0987-03-04");
  EXPECT_EQ(FormatDate(Day(2026, 12, 31)), "2026-12-31");
  EXPECT_EQ(FormatDate(Day(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(FormatDate(Day(10000, 1, 2)), "10000-01-02");
  EXPECT_EQ(FormatDate(Day(-5, 6, 7)), "-005-06-07");
  EXPECT_EQ(FormatDate(Date{}), "1970-01-01");
}

TEST(DateTest, RefusesImpossibleOrSloppyDates) {
  for (const char* text : {"2023-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01",
                           "2026-01-01x", "", "abcd-ef-gh"}) {
    EXPECT_FALSE(ParseDate(text).has_value()) << text;
  }
}

TEST(EntryKindTest, NamesRoundTrip) {
  for (EntryKind kind : AllEntryKinds()) {
    auto parsed = ParseEntryKind(EntryKindName(kind));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_FALSE(ParseEntryKind("mood").has_value());
}

TEST(ValidateEntryTest, AcceptsOneOfEachKind) {
  for (const Entry& e : OneOfEachKind()) {
    Status st = ValidateEntry(e, Day(2026, 11, 23));
    EXPECT_TRUE(st.ok()) << EntryKindName(e.kind) << ": " << st.error().message;
  }
}

TEST(ValidateEntryTest, NamesFieldAndValue) {
  const Date today = Day(2026, 11, 23);
  auto message = [&](const Entry& e) {
    Status st = ValidateEntry(e, today);
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(message(MakeEntry(Day(1899, 12, 31), EntryKind::kPain, {.value = 1})),
            "date: 1899-12-31 is before 1900-01-01");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kIrls, {.value = 10, .irls_items = {1, 2, 3}})),
            "irls items: 3 scores given, the scale has 10");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kIrls,
                              {.value = 9, .irls_items = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}})),
            "ok");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kIrls,
                              {.value = 9, .irls_items = {1, 1, -1, 1, 1, 1, 1, 1, 2, 2}})),
            "irls item 3: -1 is out of range 0-4");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kPain, {})), "value: required for a pain entry");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kPain, {.value = -1})),
            "pain: -1 is out of range 0-10");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kDose, {.label = "oxide", .magnesium_mg = 1e9})),
            "magnesium_mg: 1000000000 is out of range 0-5000");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kPain, {.magnesium_mg = 3, .value = 1})),
            "magnesium_mg: not used by a pain entry");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kFood, {.magnesium_mg = 3})),
            "label: required for a food entry");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kNote, {})), "note: a note entry needs text");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kSleep, {.value = 3, .intensity = 2})),
            "intensity: not used by a sleep entry");
}

TEST(DefaultJournalPathTest, FollowsXdgThenHome) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const char* old_home = std::getenv("HOME");
  std::string saved_xdg = old_xdg ? old_xdg : "", saved_home = old_home ? old_home : "";
  setenv("XDG_DATA_HOME", "/x/data", 1);
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DefaultJournalPath().value(), "/x/data/mgadvisor/journal.db");
  unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(DefaultJournalPath().value(), "/home/u/.local/share/mgadvisor/journal.db");
  unsetenv("HOME");
  EXPECT_FALSE(DefaultJournalPath().ok());
  if (old_xdg) setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
  if (old_home) setenv("HOME", saved_home.c_str(), 1);
}

TEST(DailyMagnesiumTest, SumsFoodAndSupplementsPerDay) {
  const Date d1 = *ParseDate("2026-11-01"), d2 = *ParseDate("2026-11-02");
  std::vector<Entry> entries = {
      MakeEntry(d1, EntryKind::kFood, {.label = "spinach", .magnesium_mg = 24}),
      MakeEntry(d1, EntryKind::kFood, {.label = "bread"}),  // Unknown magnesium: counts 0.
      MakeEntry(d1, EntryKind::kDose, {.label = "citrate", .magnesium_mg = 150}),
      MakeEntry(d1, EntryKind::kSupplement, {.label = "multi", .magnesium_mg = 50}),
      MakeEntry(d1, EntryKind::kPain, {.value = 3}),
      MakeEntry(d1 - std::chrono::days{1}, EntryKind::kFood, {.label = "x", .magnesium_mg = 99}),
  };
  const auto days = DailyMagnesium(entries, d1, d2 + std::chrono::days{1});
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0], (DayMagnesium{d1, 24, 200}));
  EXPECT_EQ(days[0].total_mg(), 224);
  EXPECT_EQ(days[1], (DayMagnesium{d2, 0, 0}));
  EXPECT_TRUE(DailyMagnesium(entries, d2, d1).empty());
}

// The cramp and sleep diaries' detail: named measures, each checked against its kind's own list.
TEST(ValidateEntryTest, MeasuresAreCheckedPerKind) {
  const Date today = Day(2026, 11, 23);
  auto message = [&](EntryKind kind, std::map<std::string, double> measures) {
    Entry e = MakeEntry(today, kind, {.value = 2});
    e.measures = std::move(measures);
    Status st = ValidateEntry(e, today);
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(message(EntryKind::kCramps, {{"minutes", 4.5}, {"sleep_disturbance", 6}}), "ok");
  EXPECT_EQ(message(EntryKind::kSleep, {{"minutes_to_sleep", 35}, {"awakenings", 3}}), "ok");
  EXPECT_EQ(message(EntryKind::kCramps, {{"sleep_disturbance", 11}}),
            "sleep_disturbance: 11 is out of range 0-10");
  EXPECT_EQ(message(EntryKind::kCramps, {{"sleep_disturbance", 2.5}}),
            "sleep_disturbance: 2.5 is not a whole number");
  EXPECT_EQ(message(EntryKind::kCramps, {{"minutes", 1441}}),
            "minutes: 1441 is out of range 0-1440");
  EXPECT_EQ(message(EntryKind::kSleep, {{"awakenings", -1}}),
            "awakenings: -1 is out of range 0-100");
  EXPECT_EQ(message(EntryKind::kCramps, {{"awakenings", 1}}),
            "awakenings: not used by a cramps entry (it takes minutes, sleep_disturbance)");
  EXPECT_EQ(message(EntryKind::kPain, {{"minutes", 1}}), "minutes: not used by a pain entry");
}

// A migraine attack: severity 0-10, start within the day, a duration that may run past midnight,
// the acute medicine as its label; severity 0 is a day logged without migraine and says nothing
// more. Stress is one 0-10 item.
TEST(ValidateEntryTest, MigraineAndStress) {
  const Date today = Day(2026, 11, 23);
  auto message = [&](Entry e) {
    Status st = ValidateEntry(e, today);
    return st.ok() ? std::string("ok") : st.error().message;
  };
  EXPECT_EQ(message(MigraineAttack()), "ok");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {.value = 0})), "ok");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {})),
            "value: required for a migraine entry");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {.value = 11})),
            "migraine: 11 is out of range 0-10");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {.value = 6.5})),
            "migraine: 6.5 is not a whole number");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine,
                              {.value = 5, .measures = {{"start_minute", 1440}}})),
            "start_minute: 1440 is out of range 0-1439");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine,
                              {.value = 5, .measures = {{"duration_minutes", 0}}})),
            "duration_minutes: 0 is out of range 1-10080");
  EXPECT_EQ(
      message(MakeEntry(today, EntryKind::kMigraine, {.value = 5, .measures = {{"minutes", 30}}})),
      "minutes: not used by a migraine entry (it takes start_minute, duration_minutes)");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine,
                              {.value = 0, .measures = {{"duration_minutes", 60}}})),
            "duration_minutes: not used on a day without migraine (severity 0); give the "
            "attack's severity (1-10)");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {.label = "ibuprofen", .value = 0})),
            "label: a day without migraine (severity 0) has no acute medicine; give the attack's "
            "severity (1-10), or put it in the note");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kMigraine, {.value = 3, .intensity = 3})),
            "intensity: not used by a migraine entry");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kStress, {.value = 10})), "ok");
  EXPECT_EQ(message(MakeEntry(today, EntryKind::kStress, {.value = -1})),
            "stress: -1 is out of range 0-10");
  EXPECT_EQ(
      message(MakeEntry(today, EntryKind::kStress, {.value = 4, .measures = {{"minutes", 1}}})),
      "minutes: not used by a stress entry");
  EXPECT_TRUE(IsSymptom(EntryKind::kMigraine));
  EXPECT_TRUE(IsSymptom(EntryKind::kStress));
}

TEST(MeasuresTest, TextFormRoundTripsAndRefusesWhatIsNotNameEqualsNumber) {
  const std::map<std::string, double> measures = {{"sleep_disturbance", 4}, {"minutes", 0.1 + 0.2}};
  EXPECT_EQ(FormatMeasures(measures), "minutes=0.30000000000000004 sleep_disturbance=4");
  auto back = ParseMeasures(FormatMeasures(measures));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, measures);
  EXPECT_EQ(FormatMeasures({}), "");
  EXPECT_TRUE(ParseMeasures("")->empty());
  EXPECT_EQ(ParseMeasures("minutes").error().message,
            "measures: 'minutes' is not NAME=NUMBER (e.g. minutes=5 sleep_disturbance=4)");
  EXPECT_EQ(ParseMeasures("minutes=nan").error().message,
            "measures: 'minutes=nan' is not NAME=NUMBER (e.g. minutes=5 sleep_disturbance=4)");
  EXPECT_EQ(ParseMeasures("Minutes=1").error().message,
            "measures: 'Minutes=1' is not NAME=NUMBER (e.g. minutes=5 sleep_disturbance=4)");
  EXPECT_EQ(ParseMeasures("minutes=1 minutes=2").error().message,
            "measures: 'minutes' is given twice");
}

}  // namespace
}  // namespace mg::journal
