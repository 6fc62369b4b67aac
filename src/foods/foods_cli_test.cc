// Black-box tests of `mgadvisor foods ...` and `mgadvisor intake`: the real binary, a scratch
// XDG_DATA_HOME, and the fixtures in src/foods/testdata.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/data_files.h"
#include "tests/cli/cli_runner.h"

namespace mg::foods {
namespace {

namespace fs = std::filesystem;
using mg::testing::CliResult;
using mg::testing::RunCli;
using nlohmann::json;

const std::string kTestdata = std::string(MG_SOURCE_DIR) + "/src/foods/testdata/";

class FoodsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("mg_foods_cli_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(home_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(home_, ec);
  }
  CliResult Run(const std::vector<std::string>& args) {
    return RunCli(args, "", {"XDG_DATA_HOME=" + home_.string(), "HOME=" + home_.string()});
  }
  fs::path home_;
};

TEST_F(FoodsCli, SearchForgivesTyposAndReportsMagnesiumPerPortion) {
  const CliResult r = Run({"foods", "search", "pumkin seeds", "--limit", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  ASSERT_EQ(out["results"].size(), 3u);
  EXPECT_EQ(out["results"][0]["source"], "sr28:12014");
  EXPECT_NEAR(out["results"][0]["magnesium_mg_per_serving"].get<double>(), 592 * 0.2835, 0.01);
  const CliResult text = Run({"foods", "search", "brwn rice cooked"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Brown rice, long-grain, cooked"), std::string::npos);
}

// Issue 20: nothing found, a suggestion that finds something; none where nothing is near.
TEST_F(FoodsCli, SearchThatFindsNothingSuggestsANearQuery) {
  const CliResult text = Run({"foods", "search", "seedzzz"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("No food matches \"seedzzz\""), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Did you mean \"seed"), std::string::npos) << text.out;
  const CliResult j = Run({"foods", "search", "seedzzz", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const json out = json::parse(j.out);
  EXPECT_TRUE(out["results"].empty());
  ASSERT_TRUE(out.contains("did_you_mean")) << j.out;
  EXPECT_TRUE(out["did_you_mean"].get<std::string>().starts_with("seed"));
  const json found = json::parse(Run({"foods", "search", "cashues", "--json"}).out);
  EXPECT_FALSE(found["results"].empty());  // Two edits: found, so no suggestion.
  EXPECT_FALSE(found.contains("did_you_mean"));
  const json nothing = json::parse(Run({"foods", "search", "xqzvw", "--json"}).out);
  EXPECT_FALSE(nothing.contains("did_you_mean"));
}

TEST_F(FoodsCli, RichestHonoursExclusionsAndRejectsUnknownOnes) {
  const CliResult r = Run({"foods", "richest", "--exclude", "vegan", "--exclude", "nut allergy",
                           "--limit", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  ASSERT_EQ(out["foods"].size(), 5u);
  const CliResult bad = Run({"foods", "richest", "--exclude", "martian"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("\"martian\""), std::string::npos);
}

TEST_F(FoodsCli, IntakeJsonOnAHandCheckedDiary) {
  const CliResult r =
      Run({"intake", kTestdata + "diary_basic.csv", "--age", "34", "--sex", "female", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["targets"]["intake_mg"], 320);  // US RDA, women 31-50.
  ASSERT_EQ(out["days"].size(), 2u);
  EXPECT_NEAR(out["days"][0]["food_mg"].get<double>(), 28.349523 * 2.70 + 156.6 + 31.86, 0.01);
  EXPECT_TRUE(out["days"][1]["supplements_over_ul"].get<bool>());
  const CliResult text =
      Run({"intake", kTestdata + "cronometer_servings.csv", "--age", "40", "--sex", "male"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Matched \"Banana\""), std::string::npos);
}

TEST_F(FoodsCli, BadInputExitsTwoNamingFileLineFieldAndValue) {
  const CliResult bad =
      Run({"intake", kTestdata + "diary_bad_amount.csv", "--age", "34", "--sex", "female"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("diary_bad_amount.csv:3: field 'amount': \"lots\""), std::string::npos)
      << bad.err;
  const CliResult missing =
      Run({"intake", kTestdata + "no-such-diary.csv", "--age", "34", "--sex", "female"});
  EXPECT_EQ(missing.exit_code, 2);
  const CliResult bad_age =
      Run({"intake", kTestdata + "diary_basic.csv", "--age", "-3", "--sex", "female"});
  EXPECT_EQ(bad_age.exit_code, 2);
  EXPECT_NE(bad_age.err.find("--age"), std::string::npos);
}

TEST_F(FoodsCli, ImportWritesTheStoreAndAFailedImportKeepsIt) {
  const std::string store = (home_ / "mgadvisor" / "foods.csv").string();
  const CliResult r = Run({"foods", "import", kTestdata + "sr28_mini", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["store"], store);  // $XDG_DATA_HOME/mgadvisor/foods.csv
  EXPECT_EQ(out["foods"], 3);
  EXPECT_EQ(out["malformed_rows"], 6);
  auto before = ReadFile(store);
  ASSERT_TRUE(before.ok());
  // The default store is now what search uses.
  const CliResult found = Run({"foods", "search", "almonds", "--json"});
  ASSERT_EQ(found.exit_code, 0);
  EXPECT_EQ(json::parse(found.out)["results"][0]["source"], "sr28:12061");
  const CliResult failed = Run({"foods", "import", kTestdata + "empty_dir"});
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_NE(failed.err.find("no USDA data"), std::string::npos);
  auto after = ReadFile(store);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*before, *after);
  const CliResult help = Run({"foods", "import", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("fdc.nal.usda.gov"), std::string::npos);
}

// Issue 11 finding 9: an SR28 folder whose NUT_DATA.txt is empty, or holds nothing readable,
// replaced the store with one without a single magnesium value, exit 0. Now: exit 3 naming the
// file, and the old store byte for byte as it was.
TEST_F(FoodsCli, ImportWithNoMagnesiumValueAtAllIsRefusedAndKeepsTheStore) {
  const std::string store = (home_ / "mgadvisor" / "foods.csv").string();
  ASSERT_EQ(Run({"foods", "import", kTestdata + "sr28_mini"}).exit_code, 0);
  auto before = ReadFile(store);
  ASSERT_TRUE(before.ok());
  for (const std::string& nut_data : {std::string(), std::string("garbage\nmore^garbage\n")}) {
    const fs::path dir = home_ / "usda";
    fs::remove_all(dir);
    fs::copy(kTestdata + "sr28_mini", dir);
    std::ofstream(dir / "NUT_DATA.txt", std::ios::trunc) << nut_data;
    const CliResult r = Run({"foods", "import", dir.string()});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find((dir / "NUT_DATA.txt").string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no magnesium value"), std::string::npos) << r.err;
    auto after = ReadFile(store);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*before, *after);
  }
  // No temporary left beside the store.
  for (const auto& e : fs::directory_iterator(home_ / "mgadvisor")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace mg::foods
