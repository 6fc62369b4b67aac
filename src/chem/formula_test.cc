#include "chem/formula.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mg::chem {
namespace {

using ::testing::HasSubstr;

class FormulaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = AtomicWeights::LoadEmbedded();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    weights_ = *loaded;
  }
  ElementCounts Parse(std::string_view formula) {
    auto parsed = ParseFormula(formula, weights_);
    EXPECT_TRUE(parsed.ok()) << formula << ": " << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? *parsed : ElementCounts{};
  }
  std::string ErrorOf(std::string_view formula) {
    auto parsed = ParseFormula(formula, weights_);
    EXPECT_FALSE(parsed.ok()) << formula << " should not parse";
    return parsed.ok() ? "" : parsed.error().message;
  }
  AtomicWeights weights_;
};

TEST_F(FormulaTest, SimpleAndGroups) {
  EXPECT_EQ(Parse("MgO"), (ElementCounts{{"Mg", 1}, {"O", 1}}));
  EXPECT_EQ(Parse("Mg(OH)2"), (ElementCounts{{"H", 2}, {"Mg", 1}, {"O", 2}}));
  EXPECT_EQ(Parse("Mg3(C6H5O7)2"), (ElementCounts{{"C", 12}, {"H", 10}, {"Mg", 3}, {"O", 14}}));
  EXPECT_EQ(Parse("Mg[(OH)2]"), (ElementCounts{{"H", 2}, {"Mg", 1}, {"O", 2}}));
}

TEST_F(FormulaTest, HydratesWithEverySeparator) {
  const ElementCounts epsom = {{"H", 14}, {"Mg", 1}, {"O", 11}, {"S", 1}};
  EXPECT_EQ(Parse("MgSO4·7H2O"), epsom);
  EXPECT_EQ(Parse("MgSO4.7H2O"), epsom);
  EXPECT_EQ(Parse("MgSO4*7H2O"), epsom);
  EXPECT_EQ(Parse("MgSO4 · 7H2O"), epsom);
  EXPECT_EQ(Parse("MgCl2.6H2O"), (ElementCounts{{"Cl", 2}, {"H", 12}, {"Mg", 1}, {"O", 6}}));
}

TEST_F(FormulaTest, MultipliedParts) {
  // Basic magnesium carbonate: (MgCO3)4·Mg(OH)2·5H2O.
  EXPECT_EQ(Parse("(MgCO3)4·Mg(OH)2·5H2O"),
            (ElementCounts{{"C", 4}, {"H", 12}, {"Mg", 5}, {"O", 19}}));
  EXPECT_EQ(Parse("2MgO"), (ElementCounts{{"Mg", 2}, {"O", 2}}));
}

TEST_F(FormulaTest, MolarMassUsesStandardWeights) {
  // MgO = 24.305 + 15.999 exactly with the IUPAC 2021 conventional values.
  EXPECT_NEAR(*weights_.MolarMass(Parse("MgO")), 40.304, 1e-9);
  EXPECT_NEAR(*weights_.MolarMass(Parse("H2O")), 18.015, 1e-9);
}

TEST_F(FormulaTest, ErrorsNameThePosition) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("is empty"));
  EXPECT_THAT(ErrorOf("Mg(OH2"), HasSubstr("unclosed '(' opened at position 3"));
  EXPECT_THAT(ErrorOf("MgO)"), HasSubstr("unmatched ')' (at position 4)"));
  EXPECT_THAT(ErrorOf("MgXx2"), HasSubstr("unknown element 'Xx' (at position 3)"));
  EXPECT_THAT(ErrorOf("mgO"), HasSubstr("unexpected 'm' (at position 1)"));
  EXPECT_THAT(ErrorOf("MgO0"), HasSubstr("zero count (at position 4)"));
  EXPECT_THAT(ErrorOf("MgSO4·"), HasSubstr("ends after a separator"));
  EXPECT_THAT(ErrorOf("MgSO4·7H2O#"), HasSubstr("unexpected '#' (at position 11)"));
  EXPECT_THAT(ErrorOf("Mg()"), HasSubstr("empty group"));
  EXPECT_THAT(ErrorOf("Mg99999"), HasSubstr("too large"));
  EXPECT_THAT(ErrorOf("Mg-O"), HasSubstr("unexpected '-' (at position 3)"));
}

// Issue 11, item 8: 35,000 '(' overflowed the stack (SIGSEGV) before the parser noticed
// anything. Nesting is now refused at the first group past the limit, naming it and the limit.
TEST_F(FormulaTest, DeepNestingIsRefusedAtTheLimitNotACrash) {
  const std::string deep = std::string(35000, '(') + "Mg" + std::string(35000, ')');
  EXPECT_THAT(ErrorOf(deep),
              HasSubstr(fmt::format("has groups nested deeper than {} (at position {})",
                                    kMaxFormulaNesting, kMaxFormulaNesting + 1)));
  const int limit = kMaxFormulaNesting;
  EXPECT_EQ(Parse(std::string(limit, '(') + "MgO" + std::string(limit, ')')),
            (ElementCounts{{"Mg", 1}, {"O", 1}}));
  EXPECT_THAT(ErrorOf(std::string(limit + 1, '[') + "MgO" + std::string(limit + 1, ']')),
              HasSubstr("nested deeper than"));
}

// Issue 11, item 8: ((Mg9999)9999)9999 overflowed int and gave a negative molar mass. Every
// step of the sum is now bounded; the error names the count that passed the limit.
TEST_F(FormulaTest, AtomCountOverflowIsRefusedNamingTheCount) {
  EXPECT_THAT(
      ErrorOf("((Mg9999)9999)9999"),
      HasSubstr(fmt::format("has more than {} atoms of Mg (at position 10)", kMaxFormulaAtoms)));
  EXPECT_THAT(ErrorOf("9999Mg9999"), HasSubstr("more than 100000 atoms of Mg (at position 1)"));
  std::string repeated;
  for (int i = 0; i < 11; ++i) repeated += "Mg9999";
  EXPECT_THAT(ErrorOf(repeated), HasSubstr("atoms of Mg (at position 61)"));
  EXPECT_THAT(ErrorOf("Mg99999(Mg)"), HasSubstr("too large"));
  EXPECT_THAT(ErrorOf("(Mg1000)101"), HasSubstr("atoms of Mg (at position 9)"));
  EXPECT_THAT(ErrorOf("Mg9999(Mg9999)10"), HasSubstr("atoms of Mg (at position 15)"));
  // Exactly at the limit is a formula, with a finite positive mass.
  const ElementCounts at_limit = Parse("(Mg1000)100");
  EXPECT_EQ(at_limit, (ElementCounts{{"Mg", kMaxFormulaAtoms}}));
  const auto mass = weights_.MolarMass(at_limit);
  ASSERT_TRUE(mass.ok());
  EXPECT_GT(*mass, 0);
}

TEST_F(FormulaTest, LongFormulaIsShortenedInMessages) {
  const std::string message = ErrorOf(std::string(35000, '(') + "Mg");
  EXPECT_LT(message.size(), 200u) << message;
  EXPECT_THAT(message, HasSubstr("(35002 characters)"));
}

}  // namespace
}  // namespace mg::chem
