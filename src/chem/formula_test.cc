#include "chem/formula.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mg::chem
