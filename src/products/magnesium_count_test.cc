// One count of supplemental magnesium: amounts mean what labels mean, a named product without an
// amount gets its label's usual dose (shown as assumed), and magnesium with neither is an error
// asking for the amount — never a silent zero.
#include "products/magnesium_count.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "products/products_test_util.h"

namespace mg::products {
namespace {

using testing::Compounds;
using testing::EmbeddedCatalogue;
using ::testing::HasSubstr;

StatedAmount Amount(const std::string& text) {
  auto amount = ParseStatedAmount(text);
  EXPECT_TRUE(amount.ok()) << text << ": " << (amount.ok() ? "" : amount.error().message);
  return amount.ok() ? *amount : StatedAmount{};
}

// The daily count, or -1 when the count failed, -2 when nothing with magnesium was named.
double PerDay(const std::string& name, const std::optional<std::string>& amount, double times = 1) {
  const Resolution r = EmbeddedCatalogue().Resolve(name);
  std::optional<StatedAmount> stated;
  if (amount) stated = Amount(*amount);
  auto count = CountMagnesium(r, stated, times, Compounds());
  if (!count.ok()) return -1;
  if (!count->has_value()) return -2;
  return (*count)->elemental_mg_per_day;
}

TEST(ParseStatedAmount, AmountsAreElementalUnlessMarkedAsTheSalt) {
  EXPECT_EQ(Amount("400mg").kind, AmountKind::kElemental);
  EXPECT_EQ(Amount("400mg").value, 400);
  EXPECT_EQ(Amount("0.4 g").value, 400);
  EXPECT_NEAR(Amount("10 mmol").value, 243.05, 1e-9);
  EXPECT_EQ(Amount("400 mg compound").kind, AmountKind::kCompound);
  EXPECT_EQ(Amount("1.2g salt").value, 1200);
  EXPECT_EQ(Amount("400mg of compound").kind, AmountKind::kCompound);
  // Saying the default out loud, as a diary's unit "mg elemental" does.
  EXPECT_EQ(Amount("400 mg elemental").kind, AmountKind::kElemental);
  EXPECT_EQ(Amount("0.2 g elemental").value, 200);
  EXPECT_EQ(Amount("1 mg elemental magnesium").value, 1);
  const StatedAmount pills = Amount("1-2 tablets");
  EXPECT_EQ(pills.kind, AmountKind::kUnits);
  EXPECT_EQ(pills.unit, "tablet");
  EXPECT_EQ(pills.value, 1);
  EXPECT_EQ(pills.value_max, 2);
  EXPECT_EQ(Amount("30 mL").family, UnitFamily::kVolume);
  EXPECT_EQ(Amount("2 tbsp").unit, "tablespoon");
  EXPECT_EQ(Amount("6.5 fl oz").unit, "fl oz");
  EXPECT_EQ(Amount("1 sachet").unit, "sachet");
}

TEST(ParseStatedAmount, BadAmountsSayWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"abc", "does not start with a number"},
      {"-5 mg", "negative"},
      {"400", "has no unit"},
      {"400 furlongs", "unknown unit 'furlongs'"},
      {"10 mmol compound", "mmol and mEq count magnesium itself"},
      {"2 tablets compound", "'compound' marks a salt's mass"},
      {"2 tablets elemental", "'elemental' marks magnesium itself"},
      {"400 mg elemental compound", "not both"},
      {"2-1 tablets", "a range is written 'low-high'"},
      {"0 tablets", "above 0"},
  };
  for (const auto& [text, message] : cases) {
    auto amount = ParseStatedAmount(text);
    ASSERT_FALSE(amount.ok()) << text;
    EXPECT_THAT(amount.error().message, HasSubstr(message)) << text;
  }
}

TEST(CountMagnesium, MagnesiumOxideFourHundredIsElementalUnlessMarked) {
  // "Magnesium (as magnesium oxide) 400 mg" on a label means 400 mg of magnesium.
  EXPECT_EQ(PerDay("magnesium oxide", "400mg"), 400);
  // The salt's mass must be said: 400 mg x 60.30 % = 241.2 mg.
  EXPECT_NEAR(PerDay("magnesium oxide", "400mg compound"), 241.2, 0.1);
  EXPECT_NEAR(PerDay("Mag-Ox 400", "1 tablet"), 241.3, 0.01);
}

TEST(CountMagnesium, MilkOfMagnesiaWithoutAnAmountIsItsLabelDoseNotZero) {
  const Resolution r = EmbeddedCatalogue().Resolve("milk of magnesia");
  auto count = CountMagnesium(r, std::nullopt, 1, Compounds());
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(count->has_value());
  const MagnesiumCount& c = **count;
  EXPECT_TRUE(c.assumed);
  EXPECT_EQ(c.product_id, "milk_of_magnesia");
  EXPECT_NEAR(c.elemental_mg_per_day, 4 * 500.11, 0.1);  // Up to 60 mL once a day.
  EXPECT_THAT(c.reading, HasSubstr("is assumed"));
  EXPECT_NEAR(PerDay("Phillips'", "2 tablespoons"), 1000.2, 0.1);
  EXPECT_NEAR(PerDay("milk of magnesia", "30 mL"), 1000.2, 0.1);
  EXPECT_NEAR(PerDay("MoM", "15 ml", 2), 1000.2, 0.1);
}

TEST(CountMagnesium, AntacidFamiliesCountTheStrongestAndSaySo) {
  const Resolution r = EmbeddedCatalogue().Resolve("Maalox");
  auto count = CountMagnesium(r, std::nullopt, 2, Compounds());
  ASSERT_TRUE(count.ok() && count->has_value());
  EXPECT_NEAR((*count)->elemental_mg_per_day, 2 * 4 * 166.70, 0.1);  // 20 mL max strength.
  ASSERT_FALSE((*count)->notes.empty());
  EXPECT_THAT((*count)->notes.front(), HasSubstr("the strongest"));
  EXPECT_NEAR(PerDay("Mylanta", "10 mL"), 2 * 166.70, 0.1);
  EXPECT_NEAR(PerDay("Maalox", "500 mg compound"), 208.4, 0.1);  // Magnesium hydroxide.
  EXPECT_NEAR(PerDay("Rolaids", "2 tablets"), 2 * 104.19, 0.1);
  EXPECT_NEAR(PerDay("Rolaids Extra Strength", "2 tablets"), 2 * 56.26, 0.1);
  // Rolaids' usual dose is not in the catalogue: the count asks, it does not guess zero.
  EXPECT_EQ(PerDay("Rolaids", std::nullopt), -1);
}

TEST(CountMagnesium, PowdersAndSolutions) {
  EXPECT_EQ(PerDay("Natural Calm", std::nullopt), 350);
  EXPECT_EQ(PerDay("Natural Calm", "1 tsp"), 175);
  EXPECT_NEAR(PerDay("Epsom salt", "2 level teaspoons"), 986.1, 0.1);
  EXPECT_NEAR(PerDay("Epsom salts", "1 tbsp"), 3 * 493.07, 0.1);
  EXPECT_EQ(PerDay("magnesium citrate oral solution", "10 fl oz"), 2900);
  EXPECT_NEAR(PerDay("citrate of magnesia", "296 mL"), 2900, 0.1);
  EXPECT_EQ(PerDay("magnesium citrate oral solution", std::nullopt), 2900);
}

TEST(CountMagnesium, TheNamedSaltWithoutAnAmountAsksForIt) {
  const Resolution r = EmbeddedCatalogue().Resolve("magnesium citrate");
  auto count = CountMagnesium(r, std::nullopt, 1, Compounds());
  ASSERT_FALSE(count.ok());
  EXPECT_THAT(count.error().message,
              HasSubstr("'magnesium citrate' contains magnesium, but no amount was given"));
  EXPECT_THAT(count.error().message, HasSubstr("'500 mg compound'"));
  EXPECT_EQ(PerDay("magnesium citrate", "200mg", 2), 400);
  EXPECT_NEAR(PerDay("magnesium citrate", "1 g compound"), 161.6, 0.1);
  EXPECT_EQ(PerDay("Magnaspartate", std::nullopt), -1);  // Prescriber's dose: ask.
  EXPECT_EQ(PerDay("Magnaspartate", "1 sachet"), 243);
}

TEST(CountMagnesium, UnitsMustBeTheLabelsUnits) {
  const Resolution mom = EmbeddedCatalogue().Resolve("milk of magnesia");
  auto tablets = CountMagnesium(mom, Amount("2 tablets"), 1, Compounds());
  ASSERT_FALSE(tablets.ok());
  EXPECT_THAT(tablets.error().message, HasSubstr("its label counts in 15 mL, not in tablets"));
  auto salt = CountMagnesium(EmbeddedCatalogue().Resolve("magnesium citrate"), Amount("2 tablets"),
                             1, Compounds());
  ASSERT_FALSE(salt.ok());
  EXPECT_THAT(salt.error().message, HasSubstr("needs a catalogued product"));
  auto unnamed = CountMagnesium(EmbeddedCatalogue().Resolve("magnesium"), Amount("300 mg salt"), 1,
                                Compounds());
  ASSERT_FALSE(unnamed.ok());
  EXPECT_THAT(unnamed.error().message, HasSubstr("needs one known magnesium salt"));
}

TEST(CountMagnesium, NoMagnesiumIsNoCountAndUnknownNamesAreErrors) {
  EXPECT_EQ(PerDay("Dyazide", std::nullopt), -2);
  EXPECT_EQ(PerDay("Dyazide", "2 tablets"), -2);
  EXPECT_EQ(PerDay("no such thing", std::nullopt), -1);
  // A combination with an antacid counts the antacid.
  EXPECT_NEAR(PerDay("Maalox with omeprazole", "10 mL"), 2 * 166.70, 0.1);
}

TEST(CountMagnesium, MoreThanTheLabelsDailyMaximumIsNoted) {
  auto count = CountMagnesium(EmbeddedCatalogue().Resolve("Mag-Ox 400"), Amount("2 tablets"), 3,
                              Compounds());
  ASSERT_TRUE(count.ok() && count->has_value());
  EXPECT_NEAR((*count)->elemental_mg_per_day, 6 * 241.3, 0.01);
  ASSERT_EQ((*count)->notes.size(), 1u);
  EXPECT_THAT((*count)->notes[0], HasSubstr("more than the label's maximum of 2 a day"));
}

// A salt spelt the compound catalogue's way stands for the catalogue's ingredient of that salt.
TEST(ResolveTaken, CompoundNamesReachTheCataloguesSalt) {
  const Resolution oxide = ResolveTaken(EmbeddedCatalogue(), Compounds(), "oxide");
  ASSERT_TRUE(oxide.known());
  EXPECT_TRUE(oxide.ContainsMagnesium());
  EXPECT_EQ(oxide.ingredients.front()->compound_id, "oxide");
  const Resolution epsom = ResolveTaken(EmbeddedCatalogue(), Compounds(), "Epsom salt");
  ASSERT_TRUE(epsom.known());
  EXPECT_EQ(epsom.ingredients.front()->compound_id, "sulfate");
  // Known without magnesium stays so; unknown stays unknown with its close matches.
  const Resolution tums = ResolveTaken(EmbeddedCatalogue(), Compounds(), "calcium carbonate");
  EXPECT_TRUE(tums.known());
  EXPECT_FALSE(tums.ContainsMagnesium());
  EXPECT_FALSE(ResolveTaken(EmbeddedCatalogue(), Compounds(), "mylantaa").known());
}

// The UK antacid mixture: two magnesium salts per 5 mL, its usual dose assumed without an amount.
TEST(CountMagnesium, MagnesiumTrisilicateMixtureCountsBothSalts) {
  const double per_5ml = 250 * Compounds().FindById("trisilicate")->magnesium_fraction +
                         250 * Compounds().FindById("carbonate")->magnesium_fraction;
  EXPECT_NEAR(per_5ml, 118.7, 0.1);
  EXPECT_NEAR(PerDay("magnesium trisilicate mixture", "10 mL", 3), 3 * 2 * per_5ml, 1e-6);
  EXPECT_NEAR(PerDay("Magnesium Trisilicate Mixture", std::nullopt, 3), 3 * 4 * per_5ml, 1e-6);
  EXPECT_NEAR(PerDay("magnesium trisilicate", "500 mg compound"),
              500 * Compounds().FindById("trisilicate")->magnesium_fraction, 1e-9);
}

// A diary or journal entry: a brand the catalogue may not know, with an amount.
TEST(CountWrittenIntake, EveryNamedSourceCountsAndNothingSilentlyZero) {
  auto count = [](const std::string& name, const std::string& amount) {
    return CountWrittenIntake(EmbeddedCatalogue(), Compounds(), name, Amount(amount));
  };
  // Catalogued: the label's units and the salt's mass count through the one count.
  auto mom = count("milk of magnesia", "2 tbsp");
  ASSERT_TRUE(mom.ok() && mom->has_value());
  EXPECT_NEAR((*mom)->elemental_mg_per_day, 1000, 0.5);  // 500.1 mg per 15 mL, computed.
  EXPECT_THAT((*mom)->reading, HasSubstr("15 mL"));
  auto oxide = count("magnesium oxide", "400 mg compound");
  ASSERT_TRUE(oxide.ok() && oxide->has_value());
  EXPECT_NEAR((*oxide)->elemental_mg_per_day, 241.2, 0.1);
  EXPECT_NEAR((*count("magnesium oxide", "400 mg"))->elemental_mg_per_day, 400, 1e-9);
  // Catalogued without magnesium: zero, and the reading says why.
  auto tums = count("calcium carbonate", "1000 mg");
  ASSERT_TRUE(tums.ok() && tums->has_value());
  EXPECT_EQ((*tums)->elemental_mg_per_day, 0);
  EXPECT_THAT((*tums)->reading, HasSubstr("holds no magnesium"));
  // Unknown brand: magnesium itself counts as given and says the name is not catalogued...
  auto brand = count("Doctor's Best High Absorption", "200 mg");
  ASSERT_TRUE(brand.ok() && brand->has_value());
  EXPECT_EQ((*brand)->elemental_mg_per_day, 200);
  EXPECT_THAT((*brand)->reading, HasSubstr("not in the medicines catalogue"));
  // ...but its units or a salt's mass cannot be counted: an error, with close matches.
  auto pills = count("Doctor's Best High Absorption", "2 tablets");
  ASSERT_FALSE(pills.ok());
  EXPECT_THAT(pills.error().message, HasSubstr("cannot be counted"));
  auto typo = count("milk of magnesa", "30 mL");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.error().message, HasSubstr("did you mean"));
}

}  // namespace
}  // namespace mg::products
