// Black-box tests of the chemistry and reference-intake commands: the real binary, as a person
// would run it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

nlohmann::json Json(const std::string& text) { return nlohmann::json::parse(text); }

TEST(ElementalCli, CompoundMassToElemental) {
  auto r = RunCli({"elemental", "magnesium citrate", "1g"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1000 mg of the compound holds 161.6 mg elemental magnesium"));
  auto two_words = RunCli({"elemental", "Epsom salt", "500", "mg", "--json"});
  ASSERT_EQ(two_words.exit_code, 0) << two_words.err;
  EXPECT_NEAR(Json(two_words.out)["elemental_mg"].get<double>(), 49.3, 0.1);
  EXPECT_EQ(Json(two_words.out)["compound"]["id"], "sulfate_heptahydrate");
}

TEST(ElementalCli, ReverseGivesCompoundMass) {
  auto r = RunCli({"elemental", "glycinate", "--elemental", "200mg", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(Json(r.out)["compound_mg"].get<double>(), 1418.8, 0.5);
  auto mmol = RunCli({"elemental", "oxide", "--elemental", "10mmol", "--json"});
  ASSERT_EQ(mmol.exit_code, 0) << mmol.err;
  EXPECT_NEAR(Json(mmol.out)["elemental_mg"].get<double>(), 243.05, 0.01);
}

TEST(ElementalCli, BadInputExitsTwoWithAClearMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"elemental", "magnesium citrat", "1g"}, "did you mean 'magnesium citrate' (citrate)"},
      {{"elemental", "citrate", "-1g"}, "negative"},
      {{"elemental", "citrate", "abc"}, "does not start with a number"},
      {{"elemental", "citrate", "500"}, "has no unit"},
      {{"elemental", "citrate", "5", "tablets"}, "unknown unit"},
      {{"elemental", "citrate", "10mmol"}, "use --elemental"},
      {{"elemental", "citrate"}, "give either a compound amount"},
      {{"elemental", "citrate", "1g", "--elemental", "100mg"}, "not both"},
      {{"elemental", "citrate", "--elemental", "nan mg"}, "--elemental: amount"},
      {{"formula", "Mg(OH"}, "unclosed '(' opened at position 3"},
      {{"formula", "MgQ"}, "unknown element 'Q' (at position 3)"},
      {{"convert", "12"}, "has no unit"},
      {{"nonsense"}, ""},
  };
  for (const auto& c : cases) {
    auto r = RunCli(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << " " << (c.args.size() > 1 ? c.args[1] : "");
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_EQ(r.out, "");
  }
}

TEST(ElementalCli, JsonErrorsCarryAStableCode) {
  auto r = RunCli({"elemental", "unobtainium", "1g", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Json(r.err)["error"]["code"], "not_found");
}

TEST(CompoundsCli, ListsEveryCompoundInJson) {
  auto r = RunCli({"compounds", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = Json(r.out);
  ASSERT_GE(list.size(), 19u);
  for (const auto& c : list) {
    EXPECT_GT(c["magnesium_fraction"].get<double>(), 0);
    EXPECT_FALSE(c["source"].get<std::string>().empty());
  }
  auto text = RunCli({"compounds"});
  EXPECT_THAT(text.out, HasSubstr("sulfate_heptahydrate"));
}

TEST(FormulaCli, ComputesMolarMass) {
  auto r = RunCli({"formula", "MgSO4·7H2O", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(Json(r.out)["molar_mass_g_per_mol"].get<double>(), 246.47, 0.01);
  EXPECT_EQ(Json(r.out)["composition"]["H"], 14);
}

TEST(ConvertCli, MillimolesAndEquivalents) {
  auto r = RunCli({"convert", "20", "mEq", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(Json(r.out)["mg"].get<double>(), 243.05, 1e-9);
  EXPECT_NEAR(Json(r.out)["mmol"].get<double>(), 10, 1e-9);
}

TEST(DriCli, JsonHoldsTheRequiredFields) {
  auto r = RunCli({"dri", "--age", "34", "--sex", "female", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = Json(r.out);
  EXPECT_EQ(j["rda_mg"], 320);
  EXPECT_EQ(j["ear_mg"], 265);
  EXPECT_EQ(j["ul_supplemental_mg"], 350);
  EXPECT_EQ(j["life_stage"], "female_31_50");
  EXPECT_EQ(j["reference"], "us");
}

TEST(DriCli, PregnancyLactationInfantsAndEurope) {
  auto pregnant =
      Json(RunCli({"dri", "--age", "25", "--sex", "female", "--pregnant", "--json"}).out);
  EXPECT_EQ(pregnant["rda_mg"], 350);
  EXPECT_EQ(pregnant["ear_mg"], 290);
  auto lactating = Json(RunCli({"dri", "--age", "17", "--sex", "f", "--lactating", "--json"}).out);
  EXPECT_EQ(lactating["rda_mg"], 360);
  auto infant = Json(RunCli({"dri", "--age", "8mo", "--sex", "male", "--json"}).out);
  EXPECT_EQ(infant["rda_mg"], 75);
  EXPECT_EQ(infant["intake_kind"], "AI");
  EXPECT_TRUE(infant["ul_supplemental_mg"].is_null());
  EXPECT_TRUE(infant["ear_mg"].is_null());
  auto eu =
      Json(RunCli({"dri", "--age", "34", "--sex", "female", "--reference", "eu", "--json"}).out);
  EXPECT_EQ(eu["rda_mg"], 300);
  EXPECT_EQ(eu["ul_supplemental_mg"], 250);
  EXPECT_EQ(eu["reference"], "eu");
  auto text = RunCli({"dri", "--age", "2", "--sex", "female"});
  EXPECT_THAT(text.out, HasSubstr("65 mg/day from supplements"));
}

TEST(DriCli, BadInputExitsTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"dri", "--age", "-3", "--sex", "female"}, "--age: age '-3' is negative"},
      {{"dri", "--age", "200", "--sex", "female"}, "not a possible human age"},
      {{"dri", "--age", "abc", "--sex", "female"}, "not a number"},
      {{"dri", "--age", "30", "--sex", "male", "--pregnant"}, "pregnant was given with sex male"},
      {{"dri", "--age", "30", "--sex", "female", "--pregnant", "--lactating"}, "at most one"},
      {{"dri", "--age", "6", "--sex", "female", "--pregnant"}, "not plausible"},
      {{"dri", "--age", "30", "--sex", "x"}, "--sex: sex 'x' is not male or female"},
      {{"dri", "--age", "30"}, "--sex is required"},
      {{"dri", "--age", "30", "--sex", "female", "--reference", "uk"}, "--reference"},
      {{"dri", "--age", "55", "--sex", "female", "--pregnant"}, "has no row"},
  };
  for (const auto& [args, message] : cases) {
    auto r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
}

TEST(Cli, HelpExitsZero) {
  auto r = RunCli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("elemental"));
}

}  // namespace
}  // namespace mg
