// The Store contract, run against every backend that instantiates StoreContractTest.
#include "journal/store_contract_test.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "journal/test_entries.h"

namespace mg::journal {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreContractTest);

std::unique_ptr<Store> StoreContractTest::Open(const std::string& key) {
  auto store = GetParam().open(key, clock_);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(*store) : nullptr;
}

std::string StoreFactoryName(const testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

namespace {

TEST_P(StoreContractTest, EmptyJournalHasNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto entries = store->List({});
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
  auto profile = store->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value());
  auto trial = store->LatestTrial();
  ASSERT_TRUE(trial.ok());
  EXPECT_FALSE(trial->has_value());
}

TEST_P(StoreContractTest, EveryKindReadsBackExactly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto written = AddAll(*store, OneOfEachKind());
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
}

TEST_P(StoreContractTest, IdsIncreaseAndListIsSortedByDateThenId) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto late = MakeEntry(Day(2026, 11, 20), EntryKind::kPain, {.value = 3});
  auto early = MakeEntry(Day(2026, 11, 10), EntryKind::kPain, {.value = 5});
  auto a = store->Add(late), b = store->Add(early), c = store->Add(late);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_LT(*a, *b);
  EXPECT_LT(*b, *c);
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[0].id, *b);
  EXPECT_EQ((*read)[1].id, *a);
  EXPECT_EQ((*read)[2].id, *c);
}

// ListPage (a backend may page in its query language) gives what cutting List gives: the newest
// `limit` after skipping `offset`, oldest first, `total` counting every match — for every kind
// filter, limits and offsets past the end, and date ranges.
TEST_P(StoreContractTest, ListPageIsTheNewestSliceOfList) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  AddAll(*store, OneOfEachKind());
  AddAll(*store, OneOfEachKind());  // Same days again: ties on date go by id.
  const std::optional<EntryKind> kinds[] = {std::nullopt, EntryKind::kPain, EntryKind::kIrls,
                                            EntryKind::kSideEffect};
  const std::optional<size_t> limits[] = {std::nullopt, 1, 3, 1000};
  const DateRange ranges[] = {{}, {Day(2026, 11, 2), Day(2026, 11, 5)}, {Day(2030, 1, 1), {}}};
  for (const DateRange& range : ranges) {
    auto listed = store->List(range);
    ASSERT_TRUE(listed.ok());
    for (const auto& kind : kinds) {
      std::vector<Entry> matching;
      for (const Entry& e : *listed) {
        if (!kind || e.kind == *kind) matching.push_back(e);
      }
      for (const auto& limit : limits) {
        for (size_t offset : {size_t{0}, size_t{2}, size_t{100}}) {
          auto page = store->ListPage(range, kind, limit, offset);
          ASSERT_TRUE(page.ok()) << page.error().message;
          const size_t last = matching.size() - std::min(offset, matching.size());
          const size_t first = limit ? last - std::min(*limit, last) : 0;
          const std::vector<Entry> expected(matching.begin() + static_cast<ptrdiff_t>(first),
                                            matching.begin() + static_cast<ptrdiff_t>(last));
          EXPECT_EQ(page->total, matching.size());
          EXPECT_EQ(page->entries, expected)
              << "kind " << (kind ? EntryKindName(*kind) : "any") << " limit "
              << (limit ? *limit : 0) << " offset " << offset;
        }
      }
    }
  }
}

// Issue 16: entries can be corrected (Replace) and every add, edit and delete undone, newest
// first, restoring ids and IRLS item scores; a journal reopened later undoes the same.
TEST_P(StoreContractTest, ReplaceAndUndoWalkBackEveryChange) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto none = store->Undo();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  const auto entries = AddAll(*store, OneOfEachKind());
  const auto irls = std::find_if(entries.begin(), entries.end(),
                                 [](const Entry& e) { return !e.irls_items.empty(); });
  ASSERT_NE(irls, entries.end());
  // Edit: another day, value and item scores; the id stays.
  Entry edited = *irls;
  edited.date = Day(2026, 11, 22);
  edited.irls_items = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
  edited.value = 40;
  edited.note = "typo fixed";
  ASSERT_TRUE(store->Replace(edited).ok());
  // Refused edits change nothing: an unknown id, an invalid value.
  Entry ghost = edited;
  ghost.id = 9999;
  EXPECT_EQ(store->Replace(ghost).error().code, ErrorCode::kNotFound);
  Entry bad = edited;
  bad.irls_items[0] = 5;
  EXPECT_EQ(store->Replace(bad).error().code, ErrorCode::kInvalidArgument);
  auto after_edit = store->List({});
  ASSERT_TRUE(after_edit.ok());
  EXPECT_EQ(std::count(after_edit->begin(), after_edit->end(), edited), 1);
  // Delete another entry, add a new one.
  ASSERT_TRUE(store->Delete(entries.front().id).ok());
  auto added = store->Add(MakeEntry(Day(2026, 11, 23), EntryKind::kPain, {.value = 1}));
  ASSERT_TRUE(added.ok());
  // Undo, reopened (the log is stored): the add, then the delete, then the edit.
  store = Open();
  ASSERT_NE(store, nullptr);
  auto undo_add = store->Undo();
  ASSERT_TRUE(undo_add.ok() && undo_add->has_value());
  EXPECT_EQ((*undo_add)->kind, ChangeKind::kAdd);
  EXPECT_EQ((*undo_add)->entry.id, *added);
  auto undo_delete = store->Undo();
  ASSERT_TRUE(undo_delete.ok() && undo_delete->has_value());
  EXPECT_EQ((*undo_delete)->kind, ChangeKind::kDelete);
  EXPECT_EQ((*undo_delete)->entry, entries.front());
  auto undo_edit = store->Undo();
  ASSERT_TRUE(undo_edit.ok() && undo_edit->has_value());
  EXPECT_EQ((*undo_edit)->kind, ChangeKind::kEdit);
  EXPECT_EQ((*undo_edit)->entry, *irls);
  auto back = store->List({});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, entries);  // Exactly as before the three changes.
}

TEST_P(StoreContractTest, UndoReachesBackAFixedDepth) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < kUndoDepth + 5; ++i) {
    ASSERT_TRUE(store->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 1})).ok());
  }
  int undone = 0;
  for (;;) {
    auto u = store->Undo();
    ASSERT_TRUE(u.ok()) << u.error().message;
    if (!u->has_value()) break;
    ++undone;
  }
  EXPECT_EQ(undone, kUndoDepth);
  auto left = store->List({});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), 5u);
}

TEST_P(StoreContractTest, ListHonoursInclusiveRange) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  AddAll(*store, OneOfEachKind());
  auto read = store->List({Day(2026, 11, 2), Day(2026, 11, 3)});
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 5u);
  for (const Entry& e : *read) {
    EXPECT_GE(e.date, Day(2026, 11, 2));
    EXPECT_LE(e.date, Day(2026, 11, 3));
  }
  auto from_only = store->List({Day(2026, 11, 5), std::nullopt});
  ASSERT_TRUE(from_only.ok());
  EXPECT_EQ(from_only->size(), 1u);
}

TEST_P(StoreContractTest, RefusesBadValuesAndWritesNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    Entry entry;
    std::string message;
  } cases[] = {
      {MakeEntry(Day(2026, 11, 1), EntryKind::kIrls,
                 {.value = 15, .irls_items = {1, 1, 1, 1, 5, 1, 1, 1, 1, 2}}),
       "irls item 5: 5 is out of range 0-4"},
      {MakeEntry(Day(2099, 1, 1), EntryKind::kPain, {.value = 3}),
       "date: 2099-01-01 is in the future (today is 2026-11-23)"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kSleep, {.value = nan}),
       "sleep: nan is not a finite number"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kIrls, {.value = 41}),
       "irls total: 41 is out of range 0-40"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 2.5}),
       "pain: 2.5 is not a whole number"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kCramps, {.value = 1, .intensity = 11}),
       "intensity: 11 is out of range 0-10"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kDose, {.label = "oxide"}),
       "magnesium_mg: required for a dose entry"},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kIrls,
                 {.value = 10, .irls_items = {1, 1, 1, 1, 1, 1, 1, 1, 1, 2}}),
       "irls total: 10 does not match the item scores (sum 11)"},
      // Bytes that are not UTF-8 (Latin-1 "café"), whichever caller skipped the input boundary.
      {MakeEntry(Day(2026, 11, 1), EntryKind::kNote, {.note = "caf\xE9"}),
       "note: byte offset 3 (0xE9) is not valid UTF-8 in \"caf\\xE9\""},
      {MakeEntry(Day(2026, 11, 1), EntryKind::kSideEffect, {.label = "na\xEFve"}),
       "label: byte offset 2 (0xEF) is not valid UTF-8 in \"na\\xEFve\""},
  };
  for (const auto& c : cases) {
    auto id = store->Add(c.entry);
    ASSERT_FALSE(id.ok()) << c.message;
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(id.error().message, c.message);
  }
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

TEST_P(StoreContractTest, TodayIsAcceptedTomorrowIsNot) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Add(MakeEntry(clock_.Today(), EntryKind::kPain, {.value = 0})).ok());
  EXPECT_FALSE(
      store->Add(MakeEntry(clock_.Today() + std::chrono::days{1}, EntryKind::kPain, {.value = 0}))
          .ok());
}

TEST_P(StoreContractTest, EntriesSurviveReopening) {
  std::vector<Entry> written;
  {
    auto store = Open("reopen");
    ASSERT_NE(store, nullptr);
    written = AddAll(*store, OneOfEachKind());
    ASSERT_TRUE(store->SetProfile(R"({"age": 61})").ok());
  }
  auto store = Open("reopen");
  ASSERT_NE(store, nullptr);
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
  auto profile = store->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->value_or(""), R"({"age": 61})");
}

TEST_P(StoreContractTest, DeleteRemovesOneEntryWithItsItems) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto written = AddAll(*store, OneOfEachKind());
  const int64_t irls_id = written[3].id;  // The entry with ten item scores.
  ASSERT_FALSE(written[3].irls_items.empty());
  ASSERT_TRUE(store->Delete(irls_id).ok());
  written.erase(written.begin() + 3);
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
  Status again = store->Delete(irls_id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, ProfileIsReplaced) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->SetProfile("{\"a\":1}").ok());
  ASSERT_TRUE(store->SetProfile("{\"a\":2}").ok());
  auto profile = store->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->value_or(""), "{\"a\":2}");
}

TEST_P(StoreContractTest, LatestTrialIsTheLastAdded) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto first = store->AddTrial("2026-11-01", "{\"n\":1}");
  auto second = store->AddTrial("2026-11-02", "{\"n\":2}");
  ASSERT_TRUE(first.ok() && second.ok());
  auto latest = store->LatestTrial();
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ(**latest, (TrialRecord{*second, "2026-11-02", "{\"n\":2}"}));
  EXPECT_FALSE(store->AddTrial("soon", "{}").ok());
}

TEST_P(StoreContractTest, ExportImportIsLossless) {
  Snapshot exported;
  {
    auto store = Open("source");
    ASSERT_NE(store, nullptr);
    AddAll(*store, OneOfEachKind());
    ASSERT_TRUE(store->SetProfile("{\"sex\":\"female\"}").ok());
    ASSERT_TRUE(store->AddTrial("2026-11-05", "{\"seed\":7}").ok());
    auto snapshot = store->Export();
    ASSERT_TRUE(snapshot.ok());
    exported = *snapshot;
  }
  auto target = Open("target");
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(target->Import(exported).ok());
  auto again = target->Export();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, exported);
}

// The whole journal's page counts every entry after every kind of change (a backend may keep the
// count rather than count the rows: PostgreSQL does, issue 20), and a failed import leaves it
// as it was.
TEST_P(StoreContractTest, TheWholeJournalsCountFollowsEveryChange) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const auto expect_count = [&](const char* after) {
    auto listed = store->List({});
    ASSERT_TRUE(listed.ok());
    for (std::optional<size_t> limit : {std::optional<size_t>(20), std::optional<size_t>()}) {
      auto page = store->ListPage({}, std::nullopt, limit, 0);
      ASSERT_TRUE(page.ok()) << page.error().message;
      EXPECT_EQ(page->total, listed->size()) << "after " << after;
      EXPECT_EQ(page->entries.size(), std::min(listed->size(), limit.value_or(listed->size())))
          << "after " << after;
    }
  };
  expect_count("nothing");
  AddAll(*store, OneOfEachKind());  // Entries with IRLS items take another path.
  expect_count("adds");
  auto listed = store->List({});
  ASSERT_TRUE(listed.ok() && listed->size() > 2);
  ASSERT_TRUE(store->Delete(listed->front().id).ok());
  expect_count("a delete");
  Entry edited = listed->back();
  edited.note = "edited";
  ASSERT_TRUE(store->Replace(edited).ok());
  expect_count("an edit");
  for (int i = 0; i < 3; ++i) {  // The edit, the delete (the entry comes back), the last add.
    auto undone = store->Undo();
    ASSERT_TRUE(undone.ok() && undone->has_value());
    expect_count("an undo");
  }
  Snapshot clashing;
  auto fresh = MakeEntry(Day(2026, 11, 2), EntryKind::kPain, {.value = 3});
  fresh.id = 1000;
  auto clash = MakeEntry(Day(2026, 11, 3), EntryKind::kPain, {.value = 4});
  clash.id = listed->front().id;
  clashing.entries = {fresh, clash};
  ASSERT_FALSE(store->Import(clashing).ok());
  expect_count("a failed import");
  clashing.entries = {fresh};
  ASSERT_TRUE(store->Import(clashing).ok());
  expect_count("an import");
}

TEST_P(StoreContractTest, ImportIsAllOrNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto existing = store->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 2}));
  ASSERT_TRUE(existing.ok());
  Snapshot snapshot;
  auto fresh = MakeEntry(Day(2026, 11, 2), EntryKind::kPain, {.value = 3});
  fresh.id = *existing + 100;
  auto clash = MakeEntry(Day(2026, 11, 3), EntryKind::kPain, {.value = 4});
  clash.id = *existing;
  snapshot.entries = {fresh, clash};
  snapshot.profile_json = "{}";
  Status st = store->Import(snapshot);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("already exists"), std::string::npos) << st.error().message;
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 1u);
  auto profile = store->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value());

  auto bad = MakeEntry(Day(2099, 1, 1), EntryKind::kPain, {.value = 4});
  bad.id = 77;
  snapshot.entries = {bad};
  st = store->Import(snapshot);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "entry 77: date: 2099-01-01 is in the future (today is 2026-11-23)");
}

// A cramp diary's detail reads back exactly, is replaced with the entry and restored by undo.
TEST_P(StoreContractTest, MeasuresReadBackAndFollowEditAndUndo) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Entry cramps = MakeEntry(Day(2026, 11, 3), EntryKind::kCramps, {.value = 2, .intensity = 6});
  cramps.measures = {{"minutes", 0.1 + 0.2}, {"sleep_disturbance", 4}};
  Entry sleep = MakeEntry(Day(2026, 11, 4), EntryKind::kSleep, {.value = 5});
  sleep.measures = {{"minutes_to_sleep", 40}, {"awakenings", 3}};
  auto written = AddAll(*store, {cramps, sleep});
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
  Entry edited = written[0];
  edited.measures = {{"minutes", 12}};
  ASSERT_TRUE(store->Replace(edited).ok());
  read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->at(0).measures, edited.measures);
  ASSERT_TRUE(store->Undo().ok());
  read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
  Entry bad = cramps;
  bad.measures = {{"awakenings", 1}};
  EXPECT_FALSE(store->Add(bad).ok());
  read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 2u);
}

// A migraine attack's start, duration past midnight and medicine read back on every store, and
// a day logged as free of migraine stays apart from a day not logged.
TEST_P(StoreContractTest, MigraineAttacksAndMigraineFreeDaysReadBack) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Entry none = MakeEntry(Day(2026, 11, 7), EntryKind::kMigraine, {.value = 0});
  auto written = AddAll(*store, {MigraineAttack(), none});
  auto read = store->List({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, written);
  EXPECT_EQ(read->at(0).measures.at("duration_minutes"), 1190);
  EXPECT_EQ(read->at(1).value, 0);
  Entry contradictory = none;
  contradictory.measures = {{"start_minute", 60}};
  EXPECT_FALSE(store->Add(contradictory).ok());
  auto page = store->ListPage({}, EntryKind::kMigraine, std::nullopt, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2u);
}

}  // namespace
}  // namespace mg::journal
