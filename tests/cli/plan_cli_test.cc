// Black-box tests of `mgadvisor plan`: example profiles, flags, formats and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

std::string Example(const std::string& name) {
  return std::string(MG_SOURCE_DIR) + "/examples/" + name;
}

TEST(PlanCli, EveryExampleProfileGivesAPlanInEveryFormat) {
  int examples = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(MG_SOURCE_DIR) + "/examples")) {
    // Profiles only: examples/golden/ holds their expected plans (golden_test.cc).
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".toml" && ext != ".json")) continue;
    ++examples;
    const std::string path = entry.path().string();
    for (const char* format : {"text", "markdown", "json"}) {
      auto r = RunCli({"plan", "--profile", path, "--format", format});
      EXPECT_EQ(r.exit_code, 0) << path << " " << format << ": " << r.err;
      EXPECT_FALSE(r.out.empty());
    }
    auto j = nlohmann::json::parse(RunCli({"plan", "--profile", path, "--json"}).out);
    if (!j["supplement"].is_null()) {
      EXPECT_LE(j["totals"]["total_supplemental_mg"].get<double>(),
                j["totals"]["ul_supplemental_mg"].get<double>())
          << path;
    }
  }
  EXPECT_GE(examples, 7);
}

TEST(PlanCli, FlagsWorkLikeAProfile) {
  auto r = RunCli({"plan", "--age", "67", "--sex", "female", "--condition", "leg cramps", "--med",
                   "alendronate", "--egfr", "55", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["supplement"].is_null());
  EXPECT_EQ(j["findings"][0]["condition"], "nocturnal_leg_cramps");
  EXPECT_EQ(j["findings"][0]["verdict"], "likely_ineffective");
  EXPECT_EQ(j["interactions"][0]["class"], "bisphosphonates");
  EXPECT_FALSE(j["referrals"].empty());
}

TEST(PlanCli, TakingAndTimesFromFlags) {
  auto r = RunCli({"plan", "--age", "40", "--sex", "male", "--condition", "migraine", "--med",
                   "levothyroxine@07:00", "--taking", "magnesium oxide:200mg compound:antacid",
                   "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["totals"]["existing_supplemental_mg"].get<double>(), 120.6, 0.1);
  ASSERT_TRUE(j["supplement"].is_object());
  EXPECT_LE(j["totals"]["total_supplemental_mg"].get<double>(), 350);
  EXPECT_EQ(j["interactions"][0]["medicine_times"][0], "07:00");
}

// Issue 17: a medicine to watch (omeprazole, a "monitor" interaction) used to have its note
// under Timing and under Notes. The note is said once, under Notes; Timing names the medicine,
// and the blood-test referral stays first.
TEST(PlanCli, AMedicineToWatchHasItsNoteOnce) {
  auto r = RunCli({"plan", "--age", "58", "--sex", "female", "--condition", "leg cramps", "--med",
                   "levothyroxine@06:30", "--med", "omeprazole"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string note = "On long-term PPIs, ask for a magnesium check";
  const size_t first = r.out.find(note);
  ASSERT_NE(first, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(note, first + 1), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("Notes\n"), first) << r.out;
  EXPECT_THAT(r.out, HasSubstr("omeprazole: no timing rule with magnesium (see Notes)."));
  EXPECT_THAT(r.out, HasSubstr("levothyroxine at 06:30: Keep magnesium at least 4 hours away"));
  EXPECT_LT(r.out.find("Safety first"), r.out.find("Omeprazole can lower blood magnesium"));
}

TEST(PlanCli, ReferenceEuLowersTheCeiling) {
  auto r = RunCli({"plan", "--age", "35", "--sex", "female", "--condition", "migraine",
                   "--reference", "eu", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LE(nlohmann::json::parse(r.out)["supplement"]["daily_elemental_mg"].get<double>(), 250);
}

TEST(PlanCli, SameProfileSameBytes) {
  const auto a = RunCli({"plan", "--profile", Example("restless-legs.toml")});
  const auto b = RunCli({"plan", "--profile", Example("restless-legs.toml")});
  EXPECT_EQ(a.out, b.out);
}

TEST(PlanCli, BadInputExitsTwoNamingTheField) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"plan"}, "describe the person"},
      {{"plan", "--age", "40"}, "sex: is required"},
      {{"plan", "--age", "40", "--sex", "female", "--condition", "restles legs"},
       "unknown condition 'restles legs'; did you mean"},
      {{"plan", "--age", "40", "--sex", "female", "--med", "levothyroxin"},
       "unknown medicine 'levothyroxin'; did you mean"},
      {{"plan", "--age", "40", "--sex", "female", "--taking", "oxide"},
       "--taking: 'oxide' should be"},
      {{"plan", "--age", "40", "--sex", "female", "--format", "pdf"}, "--format"},
      {{"plan", "--profile", "/nonexistent/me.toml"}, "no such file"},
      {{"plan", "--profile", Example("migraine.toml"), "--age", "3"}, "not both"},
  };
  for (const auto& [args, message] : cases) {
    auto r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << message << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
}

}  // namespace
}  // namespace mg
