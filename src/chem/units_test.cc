#include "chem/units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mg::chem {
namespace {

using ::testing::HasSubstr;

TEST(ParseAmount, AcceptsEveryUnitWithOrWithoutSpace) {
  struct Case {
    const char* text;
    double value;
    Unit unit;
  };
  for (const Case& c :
       {Case{"500mg", 500, Unit::kMilligram}, Case{"500 mg", 500, Unit::kMilligram},
        Case{"1g", 1, Unit::kGram}, Case{"1.5 G", 1.5, Unit::kGram},
        Case{"250mcg", 250, Unit::kMicrogram}, Case{"250 ug", 250, Unit::kMicrogram},
        Case{"250µg", 250, Unit::kMicrogram}, Case{"10mmol", 10, Unit::kMillimole},
        Case{"20 mEq", 20, Unit::kMilliequivalent}, Case{"20meq", 20, Unit::kMilliequivalent},
        Case{"0mg", 0, Unit::kMilligram}, Case{"2 grams", 2, Unit::kGram}}) {
    auto amount = ParseAmount(c.text);
    ASSERT_TRUE(amount.ok()) << c.text << ": " << amount.error().message;
    EXPECT_EQ(amount->value, c.value) << c.text;
    EXPECT_EQ(amount->unit, c.unit) << c.text;
  }
}

TEST(ParseAmount, RejectsBadAmountsWithReasons) {
  EXPECT_THAT(ParseAmount("").error().message, HasSubstr("empty"));
  EXPECT_THAT(ParseAmount("500").error().message, HasSubstr("has no unit"));
  EXPECT_THAT(ParseAmount("-5mg").error().message, HasSubstr("negative"));
  EXPECT_THAT(ParseAmount("abc").error().message, HasSubstr("does not start with a number"));
  EXPECT_THAT(ParseAmount("mg").error().message, HasSubstr("does not start with a number"));
  EXPECT_THAT(ParseAmount("5 kg").error().message, HasSubstr("unknown unit 'kg'"));
  EXPECT_THAT(ParseAmount("5 tablets").error().message, HasSubstr("unknown unit"));
  EXPECT_THAT(ParseAmount("1.2.3mg").error().message, HasSubstr("does not start with a number"));
  EXPECT_THAT(ParseAmount("nanmg").error().message, HasSubstr("does not start with a number"));
}

TEST(Conversions, MagnesiumMillimolesAndEquivalents) {
  // 1 mmol Mg = 24.305 mg = 2 mEq.
  EXPECT_DOUBLE_EQ(MagnesiumMmolToMg(1), 24.305);
  EXPECT_DOUBLE_EQ(MagnesiumMgToMmol(24.305), 1);
  EXPECT_DOUBLE_EQ(MagnesiumMgToMeq(24.305), 2);
  EXPECT_DOUBLE_EQ(MagnesiumMeqToMg(2), 24.305);
  // Magnaspartate: 243 mg is 10 mmol (SmPC); 10 mmol is 243.05 mg.
  EXPECT_NEAR(MagnesiumMilligrams({10, Unit::kMillimole}), 243.05, 1e-9);
  EXPECT_NEAR(MagnesiumMilligrams({20, Unit::kMilliequivalent}), 243.05, 1e-9);
  EXPECT_DOUBLE_EQ(MagnesiumMilligrams({1.5, Unit::kGram}), 1500);
  EXPECT_DOUBLE_EQ(MagnesiumMilligrams({250, Unit::kMicrogram}), 0.25);
  EXPECT_DOUBLE_EQ(MagnesiumMilligrams({400, Unit::kMilligram}), 400);
}

TEST(Conversions, RoundTripsAreIdentities) {
  for (double mg = 0; mg <= 1000; mg += 12.5) {
    EXPECT_NEAR(MagnesiumMmolToMg(MagnesiumMgToMmol(mg)), mg, 1e-9);
    EXPECT_NEAR(MagnesiumMeqToMg(MagnesiumMgToMeq(mg)), mg, 1e-9);
  }
}

TEST(UnitSymbol, NamesEveryUnit) {
  EXPECT_STREQ(UnitSymbol(Unit::kMicrogram), "mcg");
  EXPECT_STREQ(UnitSymbol(Unit::kMilligram), "mg");
  EXPECT_STREQ(UnitSymbol(Unit::kGram), "g");
  EXPECT_STREQ(UnitSymbol(Unit::kMillimole), "mmol");
  EXPECT_STREQ(UnitSymbol(Unit::kMilliequivalent), "mEq");
  EXPECT_TRUE(IsMassUnit(Unit::kGram));
  EXPECT_FALSE(IsMassUnit(Unit::kMillimole));
}

}  // namespace
}  // namespace mg::chem
