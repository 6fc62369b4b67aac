// Issue 13, as people tried it: every magnesium source a person names is counted toward the
// supplemental upper limit, combinations are split into their ingredients, amounts mean what
// labels mean. The real binary; each expected figure comes from the catalogue through
// `medicines lookup --json` or from the arithmetic a pharmacist would do, not from the plan.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr double kUlMg = 350;  // US supplemental UL for adults (IOM 1997).

json PlanJson(std::vector<std::string> args) {
  std::vector<std::string> full = {"plan",   "--age",       "60",       "--sex",
                                   "female", "--condition", "migraine", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  auto r = RunCli(full);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json::object();
}

std::vector<std::string> Classes(const json& plan) {
  std::vector<std::string> out;
  for (const auto& i : plan["interactions"]) out.push_back(i["class"]);
  return out;
}

// What `medicines lookup` counts for a name without an amount (the label's usual dose): the
// catalogue's own answer, which the plan must count toward the limit.
double UsualDoseMg(const std::string& name) {
  auto r = RunCli({"medicines", "lookup", name, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  const json& count = j[0]["count"];
  EXPECT_TRUE(count.is_object()) << r.out;
  if (!count.is_object()) return 0;
  EXPECT_TRUE(count["assumed"].get<bool>());
  return count["elemental_mg_per_day"].get<double>();
}

TEST(CountCli, MilkOfMagnesiaAtNightIsCountedAndNothingIsAddedAboveTheLimit) {
  const json j = PlanJson({"--med", "milk of magnesia@22:00"});
  const double usual = UsualDoseMg("milk of magnesia");
  EXPECT_GT(usual, kUlMg);
  EXPECT_NEAR(j["totals"]["existing_supplemental_mg"].get<double>(), usual, 0.5);
  EXPECT_TRUE(j["supplement"].is_null());  // No 350 mg on top.
  EXPECT_EQ(j["totals"]["planned_supplemental_mg"], 0);
  EXPECT_TRUE(j["unknown_medicines"].empty());
  ASSERT_EQ(j["magnesium_taken"].size(), 1u);
  EXPECT_TRUE(j["magnesium_taken"][0]["assumed"].get<bool>());
  EXPECT_THAT(j["magnesium_taken"][0]["reading"].get<std::string>(), HasSubstr("is assumed"));
  const auto& rules = j["rules_fired"];
  EXPECT_NE(std::find(rules.begin(), rules.end(), "safety.ul_already_exceeded"), rules.end());
  // The text says how the amount was read.
  auto text = RunCli({"plan", "--age", "60", "--sex", "female", "--condition", "migraine", "--med",
                      "milk of magnesia@22:00"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Already taken, counted toward the limit: milk of magnesia"));
  EXPECT_THAT(text.out, HasSubstr("usual dose"));
}

TEST(CountCli, BrandAntacidsLaxativesAndDrinksAreCounted) {
  for (const std::string name : {"Maalox", "Mylanta", "Phillips'", "Natural Calm"}) {
    const json j = PlanJson({"--med", name});
    const double usual = UsualDoseMg(name);
    EXPECT_GT(usual, 0) << name;
    EXPECT_NEAR(j["totals"]["existing_supplemental_mg"].get<double>(), usual, 0.5) << name;
    EXPECT_LE(j["totals"]["total_supplemental_mg"].get<double>(), std::max(usual, kUlMg) + 1e-9)
        << name;
    EXPECT_TRUE(j["unknown_medicines"].empty()) << name;
  }
}

TEST(CountCli, WithoutAUsualDoseTheAmountIsAskedForNeverZero) {
  for (const std::string name : {"Rolaids", "magnesium citrate"}) {
    auto r = RunCli(
        {"plan", "--age", "60", "--sex", "female", "--condition", "migraine", "--med", name});
    if (r.exit_code == 0) {  // A usual dose in the catalogue: then it must be counted.
      EXPECT_GT(
          json::parse(RunCli({"plan", "--age", "60", "--sex", "female", "--med", name, "--json"})
                          .out)["totals"]["existing_supplemental_mg"]
              .get<double>(),
          0)
          << name;
      continue;
    }
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_THAT(r.err, HasSubstr("contains magnesium, but no amount was given")) << name;
    EXPECT_THAT(r.err, HasSubstr("NAME:AMOUNT")) << name;
  }
  // With the amount: 250 mg elemental citrate twice a day is 500 mg, above the limit.
  const json citrate = PlanJson({"--med", "magnesium citrate:250mg@08:00,20:00"});
  EXPECT_NEAR(citrate["totals"]["existing_supplemental_mg"].get<double>(), 500, 1e-9);
  EXPECT_TRUE(citrate["supplement"].is_null());
  // Two Rolaids tablets: counted from the catalogue's magnesium per tablet.
  const json rolaids = PlanJson({"--med", "Rolaids:2 tablets"});
  EXPECT_GT(rolaids["totals"]["existing_supplemental_mg"].get<double>(), 0);
}

// Rolaids Extra Strength and Ultra Strength: their Drug Facts give a usual dose (2-4 and 2-3
// tablets) and magnesium per tablet (55 and 85 mg; the catalogue keeps the larger of the label's
// figure and the one computed from the salt): with no amount, the most tablets of one dose is
// assumed and shown.
TEST(CountCli, RolaidsStrengthsWithoutAnAmountCountTheLabelsUsualDose) {
  for (const auto& [name, label_mg] : {std::pair{"Rolaids Extra Strength", 4 * 55.0},
                                       std::pair{"Rolaids Ultra Strength", 3 * 85.0}}) {
    const json j = PlanJson({"--med", std::string(name) + "@20:00"});
    const double counted = j["totals"]["existing_supplemental_mg"].get<double>();
    EXPECT_GE(counted, label_mg) << name;
    EXPECT_LE(counted, label_mg * 1.05) << name;  // Label and formula agree within 5 %.
    ASSERT_EQ(j["magnesium_taken"].size(), 1u) << name;
    EXPECT_TRUE(j["magnesium_taken"][0]["assumed"].get<bool>()) << name;
    EXPECT_NEAR(j["magnesium_taken"][0]["elemental_mg_per_day"].get<double>(), UsualDoseMg(name),
                1e-6);
    EXPECT_LE(j["totals"]["total_supplemental_mg"].get<double>(), kUlMg) << name;
  }
}

TEST(CountCli, DyazideAndMaxzideWithholdTheSupplementLikeTriamterene) {
  const json alone = PlanJson({"--med", "triamterene"});
  ASSERT_TRUE(alone["supplement"].is_null());
  for (const std::string name : {"Dyazide", "Maxzide", "triamterene/HCTZ"}) {
    const json j = PlanJson({"--med", name});
    EXPECT_TRUE(j["supplement"].is_null()) << name;
    EXPECT_THAT(Classes(j), ::testing::UnorderedElementsAre("potassium_sparing_diuretics",
                                                            "loop_thiazide_diuretics"))
        << name;
    EXPECT_TRUE(j["unknown_medicines"].empty()) << name;
  }
  EXPECT_THAT(Classes(PlanJson({"--med", "HCTZ"})),
              ::testing::ElementsAre("loop_thiazide_diuretics"));
}

TEST(CountCli, MagnesiumOxideAmountIsElementalAsOnTheLabel) {
  // "Magnesium (as magnesium oxide) 400 mg" states elemental magnesium: 400 mg, above the limit.
  const json elemental = PlanJson({"--taking", "magnesium oxide:400mg"});
  EXPECT_NEAR(elemental["totals"]["existing_supplemental_mg"].get<double>(), 400, 1e-9);
  EXPECT_TRUE(elemental["supplement"].is_null());
  EXPECT_THAT(elemental["magnesium_taken"][0]["reading"].get<std::string>(),
              HasSubstr("read as elemental magnesium"));
  // Marked as the salt's mass: MgO is 60.3 % magnesium (24.305 / 40.304).
  const json salt = PlanJson({"--taking", "magnesium oxide:400mg compound"});
  EXPECT_NEAR(salt["totals"]["existing_supplemental_mg"].get<double>(), 400 * 24.305 / 40.304, 0.5);
  EXPECT_LE(salt["totals"]["total_supplemental_mg"].get<double>(), kUlMg + 1e-9);
}

TEST(CountCli, FerrousSulfateIsSpacedFromMagnesium) {
  const json j = PlanJson({"--med", "ferrous sulfate@08:00"});
  ASSERT_EQ(Classes(j), std::vector<std::string>{"oral_iron"});
  ASSERT_TRUE(j["supplement"].is_object());
  const auto& rule = j["interactions"][0];
  const double before = rule["mg_hours_before_medicine"].is_null()
                            ? 0
                            : rule["mg_hours_before_medicine"].get<double>();
  const double after =
      rule["mg_hours_after_medicine"].is_null() ? 0 : rule["mg_hours_after_medicine"].get<double>();
  EXPECT_GT(std::max(before, after), 0);
  for (const auto& dose : j["supplement"]["doses"]) {
    const std::string time = dose["time"];
    const double hour = std::stod(time.substr(0, 2)) + std::stod(time.substr(3, 2)) / 60;
    const double forward = std::fmod(hour - 8 + 48, 24);  // Iron → magnesium.
    EXPECT_GE(forward, after - 1e-9) << time;
    EXPECT_GE(24 - forward, before - 1e-9) << time;
  }
}

TEST(CountCli, QuinineForCrampsIsWarnedAndStatinsGetTheirNote) {
  auto quinine = RunCli(
      {"plan", "--age", "70", "--sex", "female", "--condition", "leg cramps", "--med", "quinine"});
  ASSERT_EQ(quinine.exit_code, 0) << quinine.err;
  EXPECT_THAT(quinine.out, HasSubstr("leg cramps"));
  EXPECT_THAT(quinine.out, HasSubstr("bleeding"));
  EXPECT_TRUE(PlanJson({"--med", "quinine"})["supplement"].is_null());
  auto statin = RunCli({"plan", "--age", "60", "--sex", "male", "--condition", "leg cramps",
                        "--med", "atorvastatin"});
  ASSERT_EQ(statin.exit_code, 0) << statin.err;
  EXPECT_THAT(statin.out, HasSubstr("statin-associated muscle symptoms"));
}

}  // namespace
}  // namespace mg
