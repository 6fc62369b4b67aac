#include "journal/export.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/utf8.h"
#include "journal/test_entries.h"

namespace mg::journal {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

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

// The streaming writer (what `journal export` prints) against the tree's dump(2), byte for byte:
// every kind, numbers that print long, quotes, bad bytes, no profile, an empty journal.
TEST(ExportTest, TextIsTheTreesDumpByteForByte) {
  Snapshot snapshot;
  snapshot.profile_json = "{\"age\": 70, \"name\": \"A \\\"quoted\\\" name \xFF\"}";
  snapshot.entries = WithIds(OneOfEachKind());
  snapshot.entries[0].magnesium_mg = 0.1 + 0.2;
  snapshot.entries[1].label = "caf\xE9 \"seeds\"\n\ttab";
  snapshot.entries.back().note = "na\xEFve \u2014 \x01";
  snapshot.entries.back().value = 1e-7;
  snapshot.trials = {{3, "2026-11-05", R"({"seed": 42})"}, {4, "2026-11-06", "{}"}};
  EXPECT_EQ(SnapshotToText(snapshot), SnapshotToJson(snapshot).dump(2));
  snapshot.profile_json.reset();
  snapshot.trials.clear();
  EXPECT_EQ(SnapshotToText(snapshot), SnapshotToJson(snapshot).dump(2));
  EXPECT_EQ(SnapshotToText(Snapshot{}), SnapshotToJson(Snapshot{}).dump(2));
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

// The CSV writes whole numbers below 10^15 digit by digit and others through fmt (issue 20): every
// number as fmt's "{}" prints it, on both sides of each boundary.
TEST(ExportTest, CsvNumbersAreFmtsShortestForm) {
  for (double v : {0.0, -0.0, 1.0, -5.0, 156.0, 0.5, 46.800000000000004, 1e-7, 999999999999999.0,
                   1e15, -1e15, 1e16, 123456789012.5, -2.25}) {
    Entry e = MakeEntry(Day(2026, 11, 2), EntryKind::kFood, {.label = "x", .magnesium_mg = v});
    e.id = 7;
    EXPECT_EQ(EntriesToCsv({e}),
              "id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
              "7,2026-11-02,food,x," +
                  fmt::format("{}", v) + ",,,,\n")
        << v;
  }
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
  // Issue 11, finding 12: the syntax error has its line and column.
  EXPECT_THAT(message("{nope"), StartsWith("in.txt:1:3: not valid JSON: syntax error"));
  EXPECT_THAT(message("{\"format\": \"mgadvisor-journal\",\n \"version\": 1,\n \"entries\": [}"),
              StartsWith("in.txt:3:14: not valid JSON in entries[0]: syntax error"));
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
  // Found by the journal_import fuzz target in CI: a score beyond int was converted (undefined).
  EXPECT_EQ(message("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                    "1,2026-11-01,irls,,,4,,7777777777777777 1,\n"),
            "in.txt: record 1: irls_items: '7777777777777777' is not a whole number");
  // The same fuzz target: an id past 2^63 was converted from a double (undefined).
  EXPECT_EQ(message("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                    "88888888888888888888888,2026-11-01,note,,,,,,x\n"),
            "in.txt: record 1: id: '88888888888888888888888' is not an entry id (a whole number "
            "from 0 to 9223372036854775807)");
  EXPECT_EQ(message("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                    "2.5,2026-11-01,note,,,,,,x\n"),
            "in.txt: record 1: id: '2.5' is not an entry id (a whole number from 0 to "
            "9223372036854775807)");
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
  EXPECT_EQ(message("[1]"), "body: an entry must be an object, got an array ([1])");
}

// Issue 11, finding 7: a wrong JSON type in an import is a field error, not an exception.
TEST(ExportTest, WrongTypesInAnImportNameTheField) {
  auto message = [](std::string_view text) {
    auto r = ParseJournalFile(text, "in.json");
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(message(R"({"format": 5})"), "in.json: format: expected a string, got a number (5)");
  EXPECT_EQ(message(R"({"format": "mgadvisor-journal", "version": "1"})"),
            "in.json: unsupported export version \"1\"");
  const std::string head = R"({"format": "mgadvisor-journal", "version": 1, )";
  EXPECT_EQ(message(head + R"("profile": 7})"),
            "in.json: profile: expected a string, got a number (7)");
  EXPECT_THAT(message(head + R"("profile": "[1, 2]"})"),
              StartsWith("in.json: profile: expected a JSON object, got an array"));
  EXPECT_THAT(message(head + R"("profile": "{\"age\": 1e999}"})"),
              StartsWith("in.json: profile:1:13: age: \"1e999\" is too large a number"));
  EXPECT_EQ(message(head + R"("entries": {"a": 1}})"),
            "in.json: entries: expected an array, got an object ({\"a\":1})");
  EXPECT_EQ(message(head + R"("entries": [{"date": "2026-11-01", "kind": "pain", "id": -4}]})"),
            "in.json: entries[0]: id: -4 is not an entry id (a whole number, 0 or more)");
  EXPECT_EQ(
      message(
          head +
          R"("entries": [{"date": "2026-11-01", "kind": "pain", "id": 18446744073709551615}]})"),
      "in.json: entries[0]: id: 18446744073709551615 is not an entry id (a whole number, 0 or "
      "more)");
  // 2^32 would wrap to a score of 0 if it were read as an int.
  EXPECT_THAT(message(head + R"("entries": [{"date": "2026-11-01", "kind": "irls", "value": 0,
                                             "irls_items": [4294967296]}]})"),
              HasSubstr("irls_items: 4294967296 is not an integer"));
  EXPECT_EQ(message(head + R"("trials": [{"id": "3", "created": "2026-11-01", "json": "{}"}]})"),
            "in.json: trials[0].id: \"3\" is not a whole number from 0 to 9223372036854775807");
  EXPECT_EQ(message(head + R"("trials": [{"id": 3, "created": 20261101, "json": "{}"}]})"),
            "in.json: trials[0].created: expected a string, got a number (20261101)");
  EXPECT_EQ(message(head + R"("trials": [{"id": 3, "created": "yesterday", "json": "{}"}]})"),
            "in.json: trials[0].created: \"yesterday\" is not a YYYY-MM-DD date");
  EXPECT_THAT(message(head + R"("trials": [{"id": 3, "created": "2026-11-01", "json": "[["}]})"),
              StartsWith("in.json: trials[0].json:1:3: not valid JSON"));
  EXPECT_THAT(message(head + R"("colour": 1})"), StartsWith("in.json: unknown field 'colour'"));
}

// Issue 11, finding 1: a deeply nested import is refused before a deep tree exists.
TEST(ExportTest, DeepNestingIsRefused) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = ParseJournalFile(
      "{\"format\": \"mgadvisor-journal\", \"version\": 1, \"entries\": " + deep + "}",
      "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("nested deeper than 64"));
}

// Issue 11, finding 4: text that is not UTF-8 is refused with file:line:column and the offset.
TEST(ExportTest, Latin1CsvIsRefusedNamingTheEncoding) {
  const std::string csv =
      "id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
      "1,2026-11-01,note,,,,,,caf\xE9 au lait\n";
  auto r = ParseJournalFile(csv, "old.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message,
              StartsWith("old.csv:2:27: byte offset 90 (0xE9) is not valid UTF-8; the text looks "
                         "like Latin-1 (ISO-8859-1)"));
  EXPECT_THAT(r.error().message, HasSubstr("iconv -f LATIN1 -t UTF-8"));
}

// Issue 11, finding 4: a journal written before the UTF-8 boundary still exports; bad bytes
// become U+FFFD, so the output is always valid UTF-8 (and valid JSON).
TEST(ExportTest, OldBadBytesAreWrittenAsReplacementCharacters) {
  Snapshot snapshot;
  snapshot.entries = WithIds(OneOfEachKind());
  snapshot.entries[0].label = "caf\xE9";
  snapshot.entries.back().note = "na\xEFve";
  snapshot.profile_json = "{\"age\": 40, \"note\": \"\xFF\"}";
  const std::string json = SnapshotToJson(snapshot).dump(2);
  EXPECT_TRUE(IsValidUtf8(json));
  auto back = ParseJournalFile(json, "export.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->entries[0].label, "caf\uFFFD");
  EXPECT_EQ(back->entries.back().note, "na\uFFFDve");
  const std::string csv = EntriesToCsv(snapshot.entries);
  EXPECT_TRUE(IsValidUtf8(csv));
  EXPECT_NE(csv.find("caf\uFFFD"), std::string::npos);
  EXPECT_EQ(EntryToJson(snapshot.entries[0])["label"], "caf\uFFFD");
}

// Measures travel in both formats; a journal without them still exports the nine-column CSV.
TEST(ExportTest, MeasuresRoundTripInJsonAndCsv) {
  auto entries = WithIds(OneOfEachKind());
  Entry& cramps = entries[5];
  ASSERT_EQ(cramps.kind, EntryKind::kCramps);
  cramps.measures = {{"minutes", 7.5}, {"sleep_disturbance", 4}};
  Entry& sleep = entries[7];
  ASSERT_EQ(sleep.kind, EntryKind::kSleep);
  sleep.measures = {{"awakenings", 2}};
  Entry& migraine = entries[10];
  ASSERT_EQ(migraine.kind, EntryKind::kMigraine);
  migraine.measures = MigraineAttack().measures;
  const std::string csv = EntriesToCsv(entries);
  EXPECT_THAT(csv, StartsWith("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note,"
                              "measures\n"));
  EXPECT_THAT(csv, HasSubstr("6,2026-11-03,cramps,,,2,7,,,minutes=7.5 sleep_disturbance=4\n"));
  EXPECT_THAT(csv, HasSubstr("11,2026-11-04,migraine,\"sumatriptan 50 mg, \"\"Imigran\"\"\",,7,,,,"
                             "duration_minutes=1190 start_minute=390\n"));
  EXPECT_THAT(csv, HasSubstr("12,2026-11-04,migraine,,,0,,,none all day,\n"));
  EXPECT_THAT(csv, HasSubstr("13,2026-11-04,stress,,,6,,,,\n"));
  auto back = EntriesFromCsv(csv, "test.csv");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, entries);
  Snapshot snapshot;
  snapshot.entries = entries;
  EXPECT_EQ(SnapshotToText(snapshot), SnapshotToJson(snapshot).dump(2));
  EXPECT_EQ(EntryToJson(cramps)["measures"],
            nlohmann::json({{"minutes", 7.5}, {"sleep_disturbance", 4}}));
  auto json_back = SnapshotFromJson(SnapshotToJson(snapshot), "test.json");
  ASSERT_TRUE(json_back.ok()) << json_back.error().message;
  EXPECT_EQ(json_back->entries, entries);
  // Without measures: exactly the nine columns of before.
  EXPECT_THAT(EntriesToCsv(WithIds(OneOfEachKind())),
              StartsWith("id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n1,"));
  auto bad = EntriesFromCsv(
      "id,date,kind,label,magnesium_mg,value,intensity,irls_items,note,measures\n"
      "1,2026-11-03,cramps,,,2,,,,minutes=five\n",
      "in.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "in.csv: record 1: measures: 'minutes=five' is not NAME=NUMBER (e.g. minutes=5 "
            "sleep_disturbance=4)");
  auto not_object = EntryFromJson(
      nlohmann::json::parse(R"({"date": "2026-11-03", "kind": "cramps", "measures": [1]})"), "e");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message, "e: measures: [1] is not an object of numbers");
}

}  // namespace
}  // namespace mg::journal
