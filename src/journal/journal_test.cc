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

}  // namespace
}  // namespace mg::journal
