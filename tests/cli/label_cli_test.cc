// Black-box tests of `label` and `medicines`: the real binary, as a person or a reviewer runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

nlohmann::json Json(const std::string& text) { return nlohmann::json::parse(text); }

const std::string kLabels = std::string(MG_SOURCE_DIR) + "/src/products/testdata/labels/";

TEST(LabelCli, ReadsAFileAsTextAndJson) {
  auto text = RunCli({"label", kLabels + "us_sf_glycinate_2caps.txt"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Serving: 2 capsule"));
  EXPECT_THAT(text.out, HasSubstr("Elemental magnesium: 200 mg per serving, 100 mg per capsule"));
  EXPECT_THAT(text.out, HasSubstr("Form: Magnesium bisglycinate (bisglycinate"));

  auto json = RunCli({"label", kLabels + "us_sf_oxide_citrate.txt", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = Json(json.out);
  EXPECT_EQ(j["serving_units"]["count"], 2);
  EXPECT_EQ(j["serving_units"]["unit"], "tablet");
  EXPECT_EQ(j["elemental_mg_per_serving"], 250);
  EXPECT_EQ(j["elemental_mg_per_unit"], 125);
  EXPECT_EQ(j["compounds"], nlohmann::json::array({"oxide", "citrate"}));
  EXPECT_EQ(j["warnings"][0]["code"], "several_forms");
}

TEST(LabelCli, ReadsStandardInputAndShowsWarnings) {
  auto r = RunCli({"label", "-"},
                  "Supplement Facts\nServing Size 1 Capsule\nMagnesium Citrate 500 mg\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Elemental magnesium: 80.8 mg per serving"));
  EXPECT_THAT(r.out, HasSubstr("line 3: [compound_mass_only]"));
  auto blend = RunCli({"label", "-", "--json"},
                      "Supplement Facts\nServing Size 2 Capsules\n"
                      "Magnesium Blend 400 mg (magnesium oxide, magnesium citrate)\n");
  ASSERT_EQ(blend.exit_code, 0) << blend.err;
  EXPECT_TRUE(Json(blend.out)["elemental_mg_per_serving"].is_null());
}

TEST(LabelCli, BadLabelsExitTwoNamingTheLine) {
  auto bad = RunCli({"label", kLabels + "bad_not_a_number.txt"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad_not_a_number.txt: line 4:"));
  EXPECT_THAT(bad.err, HasSubstr("'4.0.0' is not a number"));
  auto empty = RunCli({"label", "-", "--json"}, "\n\n");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(Json(empty.err)["error"]["code"], "invalid_argument");
  auto missing = RunCli({"label", kLabels + "no_such_label.txt"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no such file"));
}

TEST(MedicinesCli, LookupShowsIngredientsClassesAndMagnesium) {
  auto dyazide = RunCli({"medicines", "lookup", "Dyazide", "HCTZ", "--json"});
  ASSERT_EQ(dyazide.exit_code, 0) << dyazide.err;
  const auto j = Json(dyazide.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["interactions"],
            nlohmann::json::array({"potassium_sparing_diuretics", "loop_thiazide_diuretics"}));
  EXPECT_EQ(j[0]["contains_magnesium"], false);
  EXPECT_EQ(j[1]["matched_as"], "abbreviation");
  EXPECT_EQ(j[1]["ingredients"][0]["id"], "hydrochlorothiazide");

  auto mom = RunCli({"medicines", "lookup", "phillips milk of magnesia"});
  ASSERT_EQ(mom.exit_code, 0) << mom.err;
  EXPECT_THAT(mom.out,
              HasSubstr("magnesium: 500.1 mg per 15 mL (label 500 mg, computed 500.1 mg)"));
  EXPECT_THAT(mom.out, HasSubstr("counted: 2000.4 mg magnesium a day"));

  auto citrate = RunCli(
      {"medicines", "lookup", "magnesium citrate", "--amount", "300mg", "--times", "2", "--json"});
  ASSERT_EQ(citrate.exit_code, 0) << citrate.err;
  EXPECT_EQ(Json(citrate.out)[0]["count"]["elemental_mg_per_day"], 600);
  auto no_amount = RunCli({"medicines", "lookup", "magnesium citrate"});
  ASSERT_EQ(no_amount.exit_code, 0) << no_amount.err;
  EXPECT_THAT(no_amount.out, HasSubstr("no amount was given"));
}

TEST(MedicinesCli, UnknownNamesAreListedWithCloseMatches) {
  auto r = RunCli({"medicines", "lookup", "Maalax", "Mylanta"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("Maalax: not in the medicines catalogue"));
  EXPECT_THAT(r.out, HasSubstr("did you mean 'Maalox'"));
  EXPECT_THAT(r.out, HasSubstr("Mylanta: product"));
  EXPECT_THAT(r.err, HasSubstr("not in the medicines catalogue: Maalax"));
  auto bad_amount = RunCli({"medicines", "lookup", "MoM", "--amount", "2 furlongs"});
  EXPECT_EQ(bad_amount.exit_code, 2);
  EXPECT_THAT(bad_amount.err, HasSubstr("--amount: amount '2 furlongs': unknown unit"));
}

TEST(MedicinesCli, LintIsCleanAndNamesProblemsInADirectory) {
  auto clean = RunCli({"medicines", "lint"});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_THAT(clean.out, HasSubstr("the built-in medicines catalogue: clean"));
  auto missing = RunCli({"medicines", "lint", "/nonexistent/medicines"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("data directory does not exist"));
}

}  // namespace
}  // namespace mg
