#include "plan/profile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/plan_test_util.h"

namespace mg::plan {
namespace {

using testing::Context;
using ::testing::HasSubstr;
using testing::ProfileFrom;
using testing::ResolveError;

TEST(Profile, ResolvesNamesToIds) {
  const Profile p = ProfileFrom(
      R"({"age": 67, "sex": "F", "complaints": [{"condition": "restless legs", "severity": "moderate"}, "ITBS"],
          "diagnoses": ["myasthenia gravis"], "medicines": ["Fosamax"], "kidney": {"egfr": 55, "ckd_stage": 3},
          "red_flags": ["dvt_signs"], "preferences": {"sensitive_stomach": true, "max_pills_per_day": 2}})");
  ASSERT_EQ(p.complaints.size(), 2u);
  EXPECT_EQ(p.complaints[0].condition_id, "restless_legs_syndrome");
  EXPECT_EQ(p.complaints[0].severity, 6);
  EXPECT_EQ(p.complaints[1].condition_id, "it_band_syndrome");
  EXPECT_EQ(p.diagnosis_ids, std::vector<std::string>{"myasthenia_gravis"});
  ASSERT_EQ(p.medicines.size(), 1u);
  EXPECT_EQ(p.medicines[0].interaction_id, "bisphosphonates");
  EXPECT_EQ(p.egfr, 55);
  EXPECT_EQ(p.ckd_stage, 3);
  EXPECT_TRUE(p.sensitive_stomach);
  EXPECT_EQ(p.max_pills_per_day, 2);
}

TEST(Profile, ConvertsMagnesiumAlreadyTaken) {
  const Profile p = ProfileFrom(
      R"({"age": 40, "sex": "male", "magnesium_taken": [
            {"kind": "supplement", "compound": "magnesium oxide", "amount": "400mg compound", "times_per_day": 2},
            {"kind": "laxative", "elemental": "10mmol"},
            {"compound": "magnesium oxide", "amount": "400mg"}]})");
  ASSERT_EQ(p.magnesium_taken.size(), 3u);
  // "400mg compound" is the salt's mass; a bare "400mg" is elemental, as on a label (issue 13).
  EXPECT_NEAR(p.magnesium_taken[0].elemental_mg_per_day, 2 * 400 * 24.305 / 40.304, 0.1);
  EXPECT_NEAR(p.magnesium_taken[1].elemental_mg_per_day, 243.05, 1e-9);
  EXPECT_NEAR(p.magnesium_taken[2].elemental_mg_per_day, 400, 1e-9);
  EXPECT_THAT(p.magnesium_taken[2].description, HasSubstr("read as elemental magnesium"));
}

TEST(Profile, TomlErrorsCarryLineNumbers) {
  const std::string toml =
      "age = 40\n"
      "sex = \"female\"\n"
      "complaints = [\"restles legs\"]\n"
      "[kidney]\n"
      "egfr = -5\n";
  const std::string message = ResolveError(toml, "me.toml");
  EXPECT_THAT(
      message,
      HasSubstr("me.toml:3: complaints[0]: unknown condition 'restles legs'; did you mean"));
  EXPECT_THAT(message, HasSubstr("me.toml:5: kidney.egfr: -5 is outside the possible range 0-200"));
}

TEST(Profile, EveryBadInputClassNamesTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"sex": "female"})", "age: is required"},
      {R"({"age": 40})", "sex: is required"},
      {R"({"age": -2, "sex": "female"})", "age: -2 is outside the possible range"},
      {R"({"age": "abc", "sex": "female"})", "age: age 'abc' is not a number"},
      {R"({"age": 40, "sex": "other"})", "sex: sex 'other' is not male or female"},
      {R"({"age": 40, "sex": "male", "pregnant": true})",
       "pregnant: pregnant was given with sex male"},
      {R"({"age": 40, "sex": "female", "pregnant": true, "lactating": true})", "give at most one"},
      {R"({"age": 55, "sex": "female", "pregnant": true})", "age: the us reference set"},
      {R"({"age": 40, "sex": "female", "colour": "blue"})", "colour: unknown field"},
      {R"({"age": 40, "sex": "female", "complaints": ["migrane"]})",
       "unknown condition 'migrane'; did you mean"},
      {R"({"age": 40, "sex": "female", "complaints": [{"condition": "RLS", "severity": 11}]})",
       "complaints[0].severity: 11 is not a severity"},
      {R"({"age": 40, "sex": "female", "diagnoses": ["myasthenia gravy"]})",
       "unknown diagnosis 'myasthenia gravy'"},
      {R"({"age": 40, "sex": "female", "medicines": ["alendronat"]})",
       "unknown medicine 'alendronat'; did you mean"},
      {R"({"age": 40, "sex": "female", "medicines": [{"name": "levothyroxine", "times": ["25:00"]}]})",
       "medicines[0].times[0]: '25:00' is not a time"},
      {R"({"age": 40, "sex": "female", "kidney": {"ckd_stage": 7}})",
       "kidney.ckd_stage: 7 is outside"},
      {R"({"age": 40, "sex": "female", "magnesium_taken": [{"compound": "unobtainium", "amount": "1g"}]})",
       "unknown compound 'unobtainium'"},
      {R"({"age": 40, "sex": "female", "magnesium_taken": [{"compound": "oxide", "amount": "-1g"}]})",
       "negative"},
      {R"({"age": 40, "sex": "female", "magnesium_taken": [{"compound": "oxide"}]})",
       "give either amount"},
      {R"({"age": 40, "sex": "female", "magnesium_taken": [{"kind": "pill", "elemental": "1g"}]})",
       "'pill' is not supplement, antacid or laxative"},
      {R"({"age": 40, "sex": "female", "diet": {"food_frequency": {"crisps": 2}}})",
       "diet.food_frequency.crisps: unknown item"},
      {R"({"age": 40, "sex": "female", "red_flags": ["dvt"]})", "unknown red flag 'dvt'"},
      {R"({"age": 40, "sex": "female", "preferences": {"route": "rectal"}})",
       "preferences.route: 'rectal' is not"},
      {R"({"age": 40, "sex": "female", "food_exclusions": ["carnivore"]})", "food_exclusions"},
      {R"({"age": 40, "sex": "female", "diet": {"magnesium_mg_per_day": "NaN"}})",
       "'NaN' is not a number"},
  };
  for (const auto& [profile, message] : cases) {
    EXPECT_THAT(ResolveError(profile), HasSubstr(message)) << profile;
  }
}

TEST(Profile, ReportsEveryProblemAtOnce) {
  const std::string message = ResolveError(
      R"({"age": 40, "sex": "female", "complaints": ["xyzzy"], "medicines": ["alendronat"]})");
  EXPECT_THAT(message, HasSubstr("profile has problems"));
  EXPECT_THAT(message, HasSubstr("complaints[0]"));
  EXPECT_THAT(message, HasSubstr("medicines[0]"));
}

TEST(Profile, SyntaxErrorsAreClear) {
  // Issue 11: line and column, as every JSON error now has.
  EXPECT_THAT(ResolveError("{\"age\": 40,", "x.json"), HasSubstr("x.json:1:12: not valid JSON"));
  EXPECT_THAT(ResolveError("{\"age\": 1e309}", "x.json"), HasSubstr("x.json:1:13: age: "));
  // TOML files are checked for UTF-8 by toml++ itself, with the line.
  EXPECT_THAT(ResolveError("sex = \"caf\xE9\"\nage = 40\n", "x.toml"), HasSubstr("x.toml:1:"));
  EXPECT_THAT(ResolveError("age = = 4", "x.toml"), HasSubstr("x.toml:1:"));
  EXPECT_THAT(ResolveError("[1, 2]", "x.json"), HasSubstr("must be an object"));
}

TEST(ParseClockTime, AcceptsTimesOfDayOnly) {
  EXPECT_EQ(ParseClockTime("07:00"), 7.0);
  EXPECT_EQ(ParseClockTime("19:30"), 19.5);
  EXPECT_EQ(ParseClockTime("7"), 7.0);
  for (const char* bad : {"24:00", "7:60", "-1", "abc", "", "7.5", "12:3x"}) {
    EXPECT_FALSE(ParseClockTime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mg::plan
