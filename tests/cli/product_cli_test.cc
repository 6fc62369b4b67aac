// Issue 13, the person's own product: `plan --product FILE` doses in the pills, scoops or mL of a
// labelled product and prices it. The real binary. Expected figures come from the label as the
// label reader reads it (`label --json`) and from the plan without the product — never from the
// plan under test — so a wrong count cannot agree with itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using nlohmann::json;
using ::testing::HasSubstr;

const std::string kLabels = std::string(MG_SOURCE_DIR) + "/src/products/testdata/labels/";
constexpr double kUlMg = 350;  // US supplemental UL for adults (IOM 1997).

std::vector<std::string> Person() {
  return {"plan", "--age", "60", "--sex", "female", "--condition", "migraine", "--json"};
}

json Run(std::vector<std::string> args, int expected_exit = 0) {
  auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json{{"stderr", r.err}};
}

json PlanWith(std::vector<std::string> extra) {
  auto args = Person();
  args.insert(args.end(), extra.begin(), extra.end());
  return Run(args);
}

double MgPerUnit(const std::string& label) {
  const json j = Run({"label", kLabels + label, "--json"});
  return j.value("elemental_mg_per_unit", 0.0);
}

// Whatever the product: the doses add up to the day's amount, each dose is what its units hold,
// and nothing goes above the limit.
void ExpectConsistent(const json& plan) {
  const json& s = plan["supplement"];
  ASSERT_TRUE(s.is_object()) << plan.dump(2);
  const json& p = s["product"];
  ASSERT_TRUE(p.is_object());
  double units = 0, mg = 0;
  for (const auto& d : s["doses"]) {
    units += d["units"].get<double>();
    mg += d["elemental_mg"].get<double>();
    EXPECT_NEAR(d["elemental_mg"].get<double>(),
                d["units"].get<double>() * p["elemental_mg_per_unit"].get<double>(), 1e-6);
  }
  EXPECT_NEAR(units, p["units_per_day"].get<double>(), 1e-9);
  EXPECT_NEAR(mg, s["daily_elemental_mg"].get<double>(), 1e-6);
  EXPECT_LE(plan["totals"]["existing_supplemental_mg"].get<double>() +
                plan["totals"]["planned_supplemental_mg"].get<double>(),
            kUlMg + 1e-9);
  EXPECT_NEAR(plan["totals"]["planned_supplemental_mg"].get<double>(), mg, 1e-6);
}

TEST(ProductCli, CapsulesAreCountedDownFromThePlansAmount) {
  const double planned = PlanWith({})["supplement"]["daily_elemental_mg"].get<double>();
  const double per_capsule = MgPerUnit("us_sf_glycinate_2caps.txt");
  ASSERT_NEAR(per_capsule, 100, 1e-9);  // "Serving Size 2 Capsules ... 200 mg".
  const json j = PlanWith({"--product", kLabels + "us_sf_glycinate_2caps.txt"});
  ExpectConsistent(j);
  const json& p = j["supplement"]["product"];
  EXPECT_EQ(p["unit"], "capsule");
  EXPECT_EQ(p["units_per_day"].get<double>(), std::floor(planned / per_capsule));
  EXPECT_EQ(j["supplement"]["estimated_pills_per_day"].get<double>(), p["units_per_day"]);
  EXPECT_EQ(p["cost_per_day"], nullptr);  // The label prints no price.
  // Whole capsules in every dose and every titration step.
  for (const auto& d : j["supplement"]["doses"]) {
    EXPECT_EQ(d["units"].get<double>(), std::floor(d["units"].get<double>()));
  }
  for (const auto& t : j["supplement"]["titration"]) {
    EXPECT_EQ(t["daily_units"].get<double>(), std::floor(t["daily_units"].get<double>()));
    EXPECT_LE(t["daily_units"].get<double>(), p["units_per_day"].get<double>());
  }

  auto text =
      RunCli({"plan", "--age", "60", "--sex", "female", "--condition", "migraine", "--product",
              kLabels + "us_sf_glycinate_2caps.txt", "--product-name", "Brightleaf glycinate"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Take 3 capsules of Brightleaf glycinate a day by mouth"));
  EXPECT_THAT(text.out, HasSubstr("capsule of Brightleaf glycinate (magnesium 100 mg)"));
}

TEST(ProductCli, CostPerDayFromTheLabelOrFromThePerson) {
  // $18.99 for 60 servings of 2 capsules: 120 capsules.
  const json j = PlanWith({"--product", kLabels + "us_sf_price_servings.txt"});
  ExpectConsistent(j);
  const json& p = j["supplement"]["product"];
  EXPECT_EQ(p["price_source"], "the label");
  EXPECT_EQ(p["currency"], "USD");
  EXPECT_NEAR(p["cost_per_day"].get<double>(), 18.99 / 120 * p["units_per_day"].get<double>(),
              1e-9);

  const json mine = PlanWith({"--product", kLabels + "us_sf_glycinate_2caps.txt", "--price",
                              "\u00a312.00", "--pack", "60"});
  const json& q = mine["supplement"]["product"];
  EXPECT_EQ(q["price_source"], "you");
  EXPECT_EQ(q["currency"], "GBP");
  EXPECT_NEAR(q["cost_per_day"].get<double>(), 12.0 / 60 * q["units_per_day"].get<double>(), 1e-9);

  // The label says the pack holds 120 capsules (60 servings of 2): --pack is not needed.
  const json from_label_pack =
      PlanWith({"--product", kLabels + "us_sf_glycinate_2caps.txt", "--price", "24 EUR"});
  EXPECT_NEAR(from_label_pack["supplement"]["product"]["cost_per_day"].get<double>(),
              24.0 / 120 * from_label_pack["supplement"]["product"]["units_per_day"].get<double>(),
              1e-9);

  auto text = RunCli({"plan", "--age", "60", "--sex", "female", "--condition", "migraine",
                      "--product", kLabels + "us_sf_price_servings.txt"});
  EXPECT_THAT(text.out, HasSubstr("Cost: about 0.47 USD a day (price from the label)."));
}

TEST(ProductCli, LiquidsAndPowdersAreMeasuredInSteps) {
  const json liquid = PlanWith({"--product", kLabels + "us_sf_liquid_ml.txt"});
  ExpectConsistent(liquid);
  EXPECT_EQ(liquid["supplement"]["product"]["unit"], "mL");
  EXPECT_EQ(liquid["supplement"]["estimated_pills_per_day"], 0);  // Not pills.
  const json powder = PlanWith({"--product", kLabels + "us_sf_powder_scoop.txt"});
  ExpectConsistent(powder);
  const double scoops = powder["supplement"]["product"]["units_per_day"].get<double>();
  EXPECT_EQ(scoops * 2, std::floor(scoops * 2));  // Half scoops at most.
  EXPECT_GT(scoops, 0);
}

TEST(ProductCli, ThePillLimitHolds) {
  const json j = PlanWith({"--product", kLabels + "us_sf_glycinate_2caps.txt", "--max-pills", "2"});
  ExpectConsistent(j);
  EXPECT_EQ(j["supplement"]["product"]["units_per_day"], 2);
  bool said = false;
  for (const auto& w : j["warnings"]) said = said || w.get<std::string>().find("At most 2") == 0;
  EXPECT_TRUE(said) << j["warnings"].dump();
}

TEST(ProductCli, AUnitAboveTheDaysAmountIsNotUsed) {
  // 300 mg already taken leaves 50 mg under the 350 mg limit; one tablet holds 400 mg.
  const json j =
      PlanWith({"--taking", "elemental:300mg", "--product", kLabels + "us_sf_oxide_400.txt"});
  ASSERT_TRUE(j["supplement"].is_object()) << j.dump(2);
  EXPECT_FALSE(j["supplement"].contains("product"));
  EXPECT_LE(j["totals"]["existing_supplemental_mg"].get<double>() +
                j["totals"]["planned_supplemental_mg"].get<double>(),
            kUlMg);
  bool said = false;
  for (const auto& w : j["warnings"]) {
    said = said || w.get<std::string>().find("holds 400 mg of magnesium, more than the 50 mg") !=
                       std::string::npos;
  }
  EXPECT_TRUE(said) << j["warnings"].dump();
}

TEST(ProductCli, AFormThatDoesNotSuitThePersonIsNotUsed) {
  // Oxide is the most laxative form: not for a sensitive stomach.
  const json j = PlanWith({"--sensitive-stomach", "--product", kLabels + "us_sf_oxide_400.txt",
                           "--product-name", "Mag 400"});
  ASSERT_TRUE(j["supplement"].is_object());
  EXPECT_FALSE(j["supplement"].contains("product"));
  EXPECT_NE(j["supplement"]["form"], "oxide");
  bool said = false;
  for (const auto& w : j["warnings"]) {
    said = said || w.get<std::string>().find("Your product, Mag 400, holds magnesium as") == 0;
  }
  EXPECT_TRUE(said) << j["warnings"].dump();
}

TEST(ProductCli, LabelsThatHideTheMagnesiumAreRefusedNamingTheField) {
  for (const std::string label : {"us_sf_blend_in_paren.txt", "us_sf_zinc_only.txt"}) {
    auto args = Person();
    args.insert(args.end(), {"--product", kLabels + label});
    auto r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << label;
    EXPECT_THAT(r.err, HasSubstr("product.label")) << label;
  }
  auto missing = Person();
  missing.insert(missing.end(), {"--product", kLabels + "no-such-label.txt"});
  auto r = RunCli(missing);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("--product"));
  auto bad_price = Person();
  bad_price.insert(bad_price.end(),
                   {"--product", kLabels + "us_sf_oxide_400.txt", "--price", "cheap"});
  r = RunCli(bad_price);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("product.price"));
  auto orphan = Person();
  orphan.insert(orphan.end(), {"--price", "12"});
  r = RunCli(orphan);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--product"));
}

}  // namespace
}  // namespace mg
