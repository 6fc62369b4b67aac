// Apple Health's export.xml into a real SQLite journal: an export with Apple's header, several
// apps writing dietary magnesium, two devices recording the same nights, a time zone change and
// records the import does not read; the same export imported twice; a later export that changes
// a day; bad records and bad XML refused with line:column and nothing written.
#include "ops/apple_health.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "journal/sqlite_store.h"
#include "ops/apple_health_test_export.h"

namespace mg::ops {
namespace {

namespace fs = std::filesystem;
using journal::Date;
using journal::Entry;
using journal::EntryKind;
using ::testing::HasSubstr;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }
const Date kToday = Day(2026, 11, 23);

class AppleHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mg_apple_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = journal::OpenSqliteStore((dir_ / "journal.db").string(), clock_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<AppleHealthImportResult> Import(const std::string& xml) {
    std::istringstream in(xml);
    return ImportAppleHealth(*store_, in, "export.xml", kToday);
  }
  std::vector<Entry> All() {
    auto all = store_->List({});
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<Entry>{};
  }
  const Entry* Find(const std::vector<Entry>& entries, Date date, EntryKind kind,
                    const std::string& label) {
    for (const Entry& e : entries) {
      if (e.date == date && e.kind == kind && e.label == label) return &e;
    }
    return nullptr;
  }

  fs::path dir_;
  journal::FixedClock clock_{kToday};
  std::unique_ptr<journal::Store> store_;
};

TEST_F(AppleHealthTest, ReadsMagnesiumPerDayAndSourceAndMergesEachNightsSleep) {
  auto imported = Import(testing::AppleHealthExport());
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->read.records, 19);
  EXPECT_EQ(imported->read.magnesium_records, 4);
  EXPECT_EQ(imported->read.sleep_records, 12);
  const auto entries = All();
  // 2026-11-20: two Cronometer records (120 + 95.5 mg) and one from MyFitnessPal; the record
  // inside the food <Correlation> repeats a top-level one and is not counted again.
  const Entry* cronometer = Find(entries, Day(2026, 11, 20), EntryKind::kFood,
                                 "Dietary magnesium (Apple Health: Cronometer)");
  ASSERT_NE(cronometer, nullptr);
  EXPECT_EQ(cronometer->magnesium_mg, 215.5);
  const Entry* mfp = Find(entries, Day(2026, 11, 20), EntryKind::kFood,
                          "Dietary magnesium (Apple Health: MyFitnessPal)");
  ASSERT_NE(mfp, nullptr);
  EXPECT_EQ(mfp->magnesium_mg, 60);
  // 0.15 g on 2026-11-21, written in New York (-0500) after the flight.
  const Entry* grams = Find(entries, Day(2026, 11, 21), EntryKind::kFood,
                            "Dietary magnesium (Apple Health: Cronometer)");
  ASSERT_NE(grams, nullptr);
  EXPECT_EQ(grams->magnesium_mg, 150);
  // The night to 2026-11-20 (-0800): the watch's core, deep and REM stages and the phone's
  // "asleep" overlap; their union is 23:00 to 06:40, 460 minutes (the sum would be 885).
  const Entry* night1 = Find(entries, Day(2026, 11, 20), EntryKind::kSleepMinutes, "Apple Health");
  ASSERT_NE(night1, nullptr);
  EXPECT_EQ(night1->value, 460);
  EXPECT_THAT(night1->note, HasSubstr("Anna’s iPhone, Apple Watch"));
  // The night to 2026-11-21, after the time zone change: the watch in -0500 (22:30-23:30 before
  // midnight, which still belongs to this night, and 23:40-02:00), the phone still in -0800 for
  // the same 23:40-02:00: 60 + 140 = 200 minutes, not 340.
  const Entry* night2 = Find(entries, Day(2026, 11, 21), EntryKind::kSleepMinutes, "Apple Health");
  ASSERT_NE(night2, nullptr);
  EXPECT_EQ(night2->value, 200);
  // In bed and awake alone are not sleep: the night of 2026-11-22 has no asleep record.
  EXPECT_EQ(Find(entries, Day(2026, 11, 22), EntryKind::kSleepMinutes, "Apple Health"), nullptr);
  EXPECT_EQ(entries.size(), 5u);
  EXPECT_EQ(imported->added, 5u);
  // The night ending on 2026-11-24 in Tokyo is after the server's UTC today: not imported, said.
  ASSERT_EQ(imported->warnings.size(), 1u);
  EXPECT_THAT(imported->warnings[0], HasSubstr("2026-11-24"));
  EXPECT_EQ(imported->ToJson()["skipped"], 1);
}

TEST_F(AppleHealthTest, ImportingTheSameExportTwiceAddsNothing) {
  ASSERT_TRUE(Import(testing::AppleHealthExport()).ok());
  const auto before = All();
  auto again = Import(testing::AppleHealthExport());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->added, 0u);
  EXPECT_FALSE(again->saved);
  for (const AppleHealthRow& row : again->rows) {
    EXPECT_TRUE(row.status == AppleHealthRow::Status::kAlready ||
                row.status == AppleHealthRow::Status::kFuture)
        << journal::FormatDate(row.entry.date) << " " << row.entry.label;
  }
  EXPECT_EQ(All(), before);
}

TEST_F(AppleHealthTest, ALaterExportAddsNewDaysAndKeepsAChangedDayAsTheJournalHasIt) {
  ASSERT_TRUE(Import(testing::AppleHealthExport()).ok());
  // The next export: one more Cronometer record on 2026-11-21 and a new night to 2026-11-23.
  std::string later = testing::AppleHealthExport();
  later.insert(
      later.find("</HealthData>"),
      " <Record type=\"HKQuantityTypeIdentifierDietaryMagnesium\" sourceName=\"Cronometer\" "
      "unit=\"mg\" startDate=\"2026-11-21 20:00:00 -0500\" endDate=\"2026-11-21 20:00:00 "
      "-0500\" value=\"40\"/>\n"
      " <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"Apple Watch\" "
      "startDate=\"2026-11-22 23:00:00 -0500\" endDate=\"2026-11-23 06:00:00 -0500\" "
      "value=\"HKCategoryValueSleepAnalysisAsleepCore\"/>\n");
  auto imported = Import(later);
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->added, 1u);
  const auto entries = All();
  const Entry* night = Find(entries, Day(2026, 11, 23), EntryKind::kSleepMinutes, "Apple Health");
  ASSERT_NE(night, nullptr);
  EXPECT_EQ(night->value, 420);
  // 2026-11-21's Cronometer total is now 190 mg in the export: not added a second time.
  const Entry* day = Find(entries, Day(2026, 11, 21), EntryKind::kFood,
                          "Dietary magnesium (Apple Health: Cronometer)");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->magnesium_mg, 150);
  EXPECT_EQ(journal::DailyMagnesium(entries, Day(2026, 11, 21), Day(2026, 11, 21))[0].food_mg, 150);
  bool said = false;
  for (const std::string& w : imported->warnings) {
    if (w.find("2026-11-21") != std::string::npos && w.find("190") != std::string::npos &&
        w.find("journal delete") != std::string::npos) {
      said = true;
    }
  }
  EXPECT_TRUE(said) << imported->ToJson().dump(2);
}

TEST_F(AppleHealthTest, ABadRecordIsRefusedWithItsLineAndNothingIsWritten) {
  std::string xml = testing::AppleHealthExport();
  const size_t at = xml.find("</HealthData>");
  const auto line_of = [&xml](size_t pos) {
    return 1 + std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
  };
  struct Case {
    std::string record;
    std::string message;
  };
  const std::vector<Case> cases = {
      {" <Record type=\"HKQuantityTypeIdentifierDietaryMagnesium\" sourceName=\"X\" unit=\"kcal\" "
       "startDate=\"2026-11-21 08:00:00 -0500\" endDate=\"2026-11-21 08:00:00 -0500\" "
       "value=\"3\"/>\n",
       "unit \"kcal\" is not a mass"},
      {" <Record type=\"HKQuantityTypeIdentifierDietaryMagnesium\" sourceName=\"X\" unit=\"mg\" "
       "startDate=\"2026-11-21 08:00:00 -0500\" endDate=\"2026-11-21 08:00:00 -0500\" "
       "value=\"-3\"/>\n",
       "value \"-3\" is not a number >= 0"},
      {" <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"X\" "
       "startDate=\"2026-11-21 08:00:00\" endDate=\"2026-11-21 09:00:00 -0500\" "
       "value=\"HKCategoryValueSleepAnalysisAsleepCore\"/>\n",
       "startDate: \"2026-11-21 08:00:00\" is not a time"},
      {" <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"X\" "
       "startDate=\"2026-11-21 08:00:00 -0500\" endDate=\"2026-11-21 09:00:00 -0500\" "
       "value=\"HKCategoryValueSleepAnalysisNapping\"/>\n",
       "value \"HKCategoryValueSleepAnalysisNapping\" is not one of"},
      {" <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"X\" "
       "startDate=\"2026-11-21 08:00:00 -0500\" endDate=\"2026-11-21 07:00:00 -0500\" "
       "value=\"HKCategoryValueSleepAnalysisAsleepCore\"/>\n",
       "endDate \"2026-11-21 07:00:00 -0500\" is before startDate"},
  };
  for (const Case& c : cases) {
    std::string bad = xml;
    bad.insert(at, c.record);
    auto imported = Import(bad);
    ASSERT_FALSE(imported.ok()) << c.message;
    EXPECT_EQ(imported.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(imported.error().message, HasSubstr(fmt::format("export.xml:{}:2: ", line_of(at))));
    EXPECT_THAT(imported.error().message, HasSubstr(c.message));
  }
  // XML that is not well-formed: expat's reason at line:column.
  std::string broken = xml;
  broken.replace(at, 0, " <Record type=\"x\" value=\"1\"\n");
  auto imported = Import(broken);
  ASSERT_FALSE(imported.ok());
  EXPECT_THAT(imported.error().message, HasSubstr(fmt::format("export.xml:{}:", line_of(at) + 1)));
  EXPECT_THAT(imported.error().message, HasSubstr("not well-formed XML"));
  // Not an export at all, and an entity declaration (entity expansion is never attempted).
  auto other = Import("<?xml version=\"1.0\"?>\n<svg/>");
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.error().message, HasSubstr("export.xml:2:1: the root element is \"svg\""));
  auto entity = Import(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY a \"aaaa\">\n]>\n<HealthData/>");
  ASSERT_FALSE(entity.ok());
  EXPECT_THAT(entity.error().message, HasSubstr("export.xml:3:"));
  EXPECT_THAT(entity.error().message, HasSubstr("entity declaration \"a\""));
  EXPECT_TRUE(All().empty());
}

TEST_F(AppleHealthTest, AnEmptyExportAddsNothing) {
  auto imported = Import(testing::AppleHealthHeader() + "</HealthData>\n");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->added, 0u);
  EXPECT_EQ(imported->read.records, 0);
  EXPECT_TRUE(All().empty());
}

}  // namespace
}  // namespace mg::ops
