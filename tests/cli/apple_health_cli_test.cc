// Apple Health's export.xml through both doors: `mgadvisor journal import --format apple-health`
// and POST /api/journal/import?format=apple-health on a running server, each on a real SQLite
// journal. The same export imported twice adds nothing; bad XML is refused with line:column and
// nothing written; and nights of sleep from a device feed an n-of-1 trial on `sleep_minutes`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/ops/apple_health_test_export.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class AppleHealthCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mg_apple_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  testing::CliResult Run(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back((dir_ / "journal.db").string());
    return testing::RunCli(args, "", {"MGADVISOR_TODAY=2026-11-23"});
  }
  json Entries() { return json::parse(Run({"journal", "show", "--json"}).out); }

  fs::path dir_;
};

TEST_F(AppleHealthCliTest, ImportsOnceAndRefusesBadXmlWithLineAndColumn) {
  const std::string file = Write("export.xml", testing::AppleHealthExport());
  auto first = Run({"journal", "import", "--format", "apple-health", file});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out,
              HasSubstr("Imported 2 nights of sleep and 3 daily totals of dietary magnesium"));
  EXPECT_THAT(first.out, HasSubstr("2026-11-20  460 min asleep  Apple Health"));
  EXPECT_THAT(first.out,
              HasSubstr("2026-11-20  215.5 mg  Dietary magnesium (Apple Health: Cronometer)"));
  EXPECT_THAT(first.err,
              HasSubstr("WARNING: 2026-11-24 minutes asleep (Apple Health): after today"));
  ASSERT_EQ(Entries().size(), 5u);

  auto again = Run({"journal", "import", "--format", "apple-health", file, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json result = json::parse(again.out);
  EXPECT_EQ(result["added"], 0);
  EXPECT_EQ(result["skipped"], 6);
  EXPECT_EQ(result["saved"], false);
  EXPECT_EQ(Entries().size(), 5u);

  std::string text = testing::AppleHealthExport();
  text.replace(text.find("<Workout "), 9, "<Workout\x01 ");
  const std::string broken = Write("broken.xml", text);
  auto refused = Run({"journal", "import", "--format", "apple-health", broken});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr(broken + ":"));
  EXPECT_THAT(refused.err, HasSubstr("not well-formed XML"));
  auto missing = Run({"journal", "import", "--format", "apple-health", (dir_ / "no.xml").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("no.xml"));
  EXPECT_EQ(Entries().size(), 5u);
  // A night can be typed in too; more than a day is refused, naming the field and value.
  EXPECT_EQ(Run({"log", "symptom", "sleep-minutes", "431", "--date", "2026-11-22"}).exit_code, 0);
  auto too_long = Run({"log", "symptom", "sleep-minutes", "1500"});
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_THAT(too_long.err, HasSubstr("sleep-minutes: 1500"));
  EXPECT_EQ(Entries().size(), 6u);
}

TEST_F(AppleHealthCliTest, TheServerImportsTheSameExportFromARequestBody) {
  auto server = testing::StartCli(
      {"serve", "--port", "0", "--json", "--db", (dir_ / "server.db").string()},
      {"XDG_DATA_HOME=" + (dir_ / "data").string(), "MGADVISOR_TODAY=2026-11-23"});
  const auto line = server->ReadLine(60s);
  ASSERT_TRUE(line.has_value()) << server->Wait(20s).err;
  httplib::Client client("127.0.0.1", json::parse(*line).at("port").get<int>());
  client.set_read_timeout(60, 0);
  const std::string xml = testing::AppleHealthExport();
  auto first = client.Post("/api/journal/import?format=apple-health", xml, "application/xml");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const json result = json::parse(first->body);
  EXPECT_EQ(result["added"], 5);
  EXPECT_EQ(result["records"], 19);
  auto again = client.Post("/api/journal/import?format=apple-health", xml, "application/xml");
  ASSERT_TRUE(again);
  EXPECT_EQ(json::parse(again->body)["added"], 0);
  // A bad record: 400 naming body:line:column; nothing of the export is written.
  std::string bad = xml;
  bad.replace(bad.find("unit=\"g\""), 8, "unit=\"oz\"");
  auto refused = client.Post("/api/journal/import?format=apple-health", bad, "application/xml");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("body:"));
  EXPECT_THAT(refused->body, HasSubstr("unit \\\"oz\\\" is not a mass"));
  auto other = client.Post("/api/journal/import?format=garmin", xml, "application/xml");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400);
  auto entries = client.Get("/api/journal/entries");
  ASSERT_TRUE(entries);
  EXPECT_EQ(json::parse(entries->body)["total"], 5);
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s).exit_code, 0);
}

// Sleep measured by a device is a trial outcome: a trial on sleep_minutes, the nights imported
// from an export, and the report's periods each have their nights.
TEST_F(AppleHealthCliTest, DeviceNightsFeedASleepMinutesTrial) {
  const std::string profile = Write(
      "profile.json", R"({"age": 61, "sex": "female", "complaints": ["RLS", "chronic pain"]})");
  auto plan = Run({"trial", "plan", "--outcome", "sleep_minutes", "--profile", profile, "--start",
                   "2026-09-01", "--seed", "3", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  std::string xml = testing::AppleHealthHeader();
  for (int d = 0; d < 83; ++d) {  // Nights ending 2026-09-01 to 2026-11-22, in -0700.
    const auto morning =
        std::chrono::sys_days{std::chrono::year{2026} / 9 / 1} + std::chrono::days{d};
    const std::chrono::year_month_day ymd{morning};
    const std::chrono::year_month_day eve{morning - std::chrono::days{1}};
    const auto date = [](const std::chrono::year_month_day& x) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(x.year()),
                    static_cast<unsigned>(x.month()), static_cast<unsigned>(x.day()));
      return std::string(buf);
    };
    const int end_minute = 6 * 60 + (d * 7) % 50;  // 06:00 to 06:49.
    xml +=
        " <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"Apple Watch\" "
        "startDate=\"" +
        date(eve) + " 23:10:00 -0700\" endDate=\"" + date(ymd) + " " +
        std::to_string(end_minute / 60 + 100).substr(1) + ":" +
        std::to_string(end_minute % 60 + 100).substr(1) +
        ":00 -0700\" value=\"HKCategoryValueSleepAnalysisAsleepCore\"/>\n";
  }
  xml += "</HealthData>\n";
  auto imported =
      Run({"journal", "import", "--format", "apple-health", Write("nights.xml", xml), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(json::parse(imported.out)["added"], 83);
  auto report = Run({"trial", "report", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json r = json::parse(report.out);
  EXPECT_EQ(r["outcome"], "sleep_minutes");
  int measured = 0;
  for (const json& period : r["periods"]) {
    if (!period["complete"].get<bool>()) continue;
    ++measured;
    EXPECT_GE(period["mean"].get<double>(), 410) << period.dump();
    EXPECT_LE(period["mean"].get<double>(), 460) << period.dump();
  }
  EXPECT_GE(measured, 4) << r["periods"].dump();
}

}  // namespace
}  // namespace mg
