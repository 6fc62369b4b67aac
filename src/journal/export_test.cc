#include "journal/export.h"

#include <gtest/gtest.h>

#include "journal/test_entries.h"

namespace mg::journal {
namespace {

std::vector<Entry> WithIds(std::vector<Entry> entries) {
  int64_t id = 1;
  for (Entry& e : entries) e.id = id++;
  return entries;
}

TEST(ExportTest, JsonRoundTripIsLossless) {
  Snapshot snapshot;
  snapshot.profile_json = R"({"age": 70, "name": "A \"quoted\" name"})";
  snapshot.entries = WithIds(OneOfEachKind());
  snapshot.entries[0].magnesium_mg = 0.1 + 0.2;  // 0.30000000000000004
  snapshot.trials = {{3, "2026-11-05", R"({"seed": 42})"}};
  auto back = SnapshotFromJson(SnapshotToJson(snapshot), "test.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, snapshot);
}

TEST(ExportTest, CsvRoundTripIsLossless) {
  auto entries = WithIds(OneOfEachKind());
  entries[0].magnesium_mg = 0.1 + 0.2;
  entries[1].magnesium_mg = 1e-7;
  const std::string csv = EntriesToCsv(entries);
  auto back = EntriesFromCsv(csv, "test.csv");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, entries);
  EXPECT_EQ(EntriesToCsv(*back), csv);
}

TEST(ExportTest, CsvLooksLikeASpreadsheetRow) {
  std::vector<Entry> entries = {
      MakeEntry(Day(2026, 11, 2), EntryKind::kIrls,
                {.value = 14, .irls_items = {2, 1, 0, 3, 1, 2, 1, 1, 2, 1}}),
      MakeEntry(Day(2026, 11, 3), EntryKind::kCramps, {.value = 2, .intensity = 7, .note = "a,b"})};
  entries[0].id = 1;
  entries[1].id = 2;
  EXPECT_EQ(EntriesToCsv(entries),
            "id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
            "1,2026-11-02,irls,,,14,,2 1 0 3 1 2 1 1 2 1,\n"
            "2,2026-11-03,cramps,,,2,7,,\"a,b\"\n");
}

TEST(ExportTest, ParseJournalFileRecognisesBothFormats) {
  auto entries = WithIds(OneOfEachKind());
  auto from_csv = ParseJournalFile(EntriesToCsv(entries), "x.csv");
  ASSERT_TRUE(from_csv.ok());
  EXPECT_EQ(from_csv->entries, entries);
  Snapshot snapshot;
  snapshot.entries = entries;
  auto from_json = ParseJournalFile("  \n" + SnapshotToJson(snapshot).dump(2), "x.json");
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(*from_json, snapshot);
}

TEST(ExportTest, BadFilesAreNamedErrors) {
  auto message = [](std::string_view text) {
    auto r = ParseJournalFile(text, "in.txt");
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(message("{nope"), "in.txt: not valid JSON");
  EXPECT_EQ(message(R"({"format": "other"})"),
            "in.txt: not an mgadvisor journal export (\"format\" is not \"mgadvisor-journal\")");
  EXPECT_EQ(message(R"({"format": "mgadvisor-journal", "version": 2})"),
            "in.txt: unsupported export version 2");
  EXPECT_EQ(
      message(
          R"({"format": "mgadvisor-journal", "version": 1, "entries": [{"date": "x", "kind": "pain"}]})"),
      "in.txt: entries[0]: date: \"x\" is not a YYYY-MM-DD date");
  EXPECT_EQ(
      message("id,date\n"),
      "in.txt:1: header must be id,date,kind,label,magnesium_mg,value,intensity,irls_items,note");
  EXPECT_EQ(message("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                    "1,2026-11-01,pain,,,nan,,,\n"),
            "in.txt: record 1: value: 'nan' is not a finite number");
  EXPECT_EQ(message("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                    "1,2026-11-01,pain,,,1,,,\"open\n"),
            "in.txt:3: unterminated quoted field");
}

TEST(ExportTest, EntryFromJsonNamesFieldAndValue) {
  auto message = [](std::string_view text) {
    auto r = EntryFromJson(nlohmann::json::parse(text), "body");
    return r.ok() ? std::string("ok") : r.error().message;
  };
  auto entry = EntryFromJson(nlohmann::json::parse(R"({"date": "2026-11-01", "kind": "dose",
                                 "label": "citrate", "magnesium_mg": 150})"),
                             "body");
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(entry->kind, EntryKind::kDose);
  EXPECT_EQ(entry->magnesium_mg, 150);
  EXPECT_EQ(FormatDate(entry->date), "2026-11-01");
  EXPECT_EQ(message(R"({"date": "2026-11-01", "kind": "pain", "value": "7"})"),
            "body: value: \"7\" is not a number");
  EXPECT_EQ(message(R"({"date": "2026-11-01", "kind": "irls", "irls_items": [1, "x"]})"),
            "body: irls_items: \"x\" is not an integer");
  EXPECT_EQ(message(R"({"date": "2026-11-01", "kind": "cramp"})"),
            "body: kind: \"cramp\" is not an entry kind");
  EXPECT_EQ(message(R"({"kind": "pain", "value": 3})"), "body: date: required (YYYY-MM-DD)");
  EXPECT_EQ(message(R"({"date": "2026-11-01", "kind": "pain", "colour": 3})").substr(0, 30),
            "body: unknown field 'colour'; ");
  // Syntax is checked where the text arrives (the server's request reader); a value that is not
  // an object is this function's to refuse.
  EXPECT_EQ(message("[1]"), "body: an entry must be an object, got [1]");
}

}  // namespace
}  // namespace mg::journal
