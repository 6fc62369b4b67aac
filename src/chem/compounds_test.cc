#include "chem/compounds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace mg::chem {
namespace {

using ::testing::HasSubstr;

// Molar masses computed independently of this code: the fact sheet's table in
// ../shared/knowledge/magnesium-facts.md section 2 (IUPAC weights, cross-checked there against
// PubChem-derived values), plus hand sums for the three compounds it does not list.
const std::map<std::string, double>& ExpectedMolarMasses() {
  static const std::map<std::string, double> kExpected = {
      {"oxide", 40.30},
      {"hydroxide", 58.32},
      {"carbonate", 84.31},
      {"chloride", 95.21},
      {"chloride_hexahydrate", 203.30},
      {"citrate", 451.11},
      {"citrate_nonahydrate", 613.25},
      {"citrate_1to1", 214.41},
      {"bisglycinate", 172.42},
      {"malate", 156.38},
      {"malate_trihydrate", 210.40},
      {"lactate", 202.45},  // Hand sum: 24.305 + 2 × (3×12.011 + 5×1.008 + 3×15.999).
      {"lactate_dihydrate", 238.48},
      {"sulfate", 120.36},
      {"sulfate_heptahydrate", 246.47},
      {"gluconate", 414.60},
      {"gluconate_dihydrate", 450.63},
      {"l_threonate", 294.50},
      {"taurate", 272.57},
      {"aspartate", 288.50},
      {"aspartate_dihydrate", 324.53},
      {"orotate", 334.48},
      {"orotate_dihydrate", 370.51},
      {"pidolate", 280.52},
      {"glycerophosphate", 194.36},  // Hand sum: MgC3H7O6P.
      {"trisilicate", 260.86},       // Hand sum: 2 × 24.305 + 3 × 28.085 + 8 × 15.999.
  };
  return kExpected;
}

class CompoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = CompoundCatalog::Load();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    catalog_ = std::make_unique<CompoundCatalog>(std::move(loaded).value());
  }
  std::unique_ptr<CompoundCatalog> catalog_;
};

TEST_F(CompoundsTest, EveryCompoundMatchesIndependentMolarMassAndFraction) {
  const auto& expected = ExpectedMolarMasses();
  ASSERT_EQ(catalog_->compounds().size(), expected.size())
      << "a compound was added or removed: give it an independently computed molar mass here";
  for (const auto& compound : catalog_->compounds()) {
    SCOPED_TRACE(compound.id);
    const auto it = expected.find(compound.id);
    ASSERT_NE(it, expected.end());
    EXPECT_NEAR(compound.molar_mass / it->second, 1.0, 0.001);
    const double expected_fraction = compound.magnesium_atoms * 24.305 / it->second;
    EXPECT_NEAR(compound.magnesium_fraction / expected_fraction, 1.0, 0.001);
    EXPECT_GT(compound.magnesium_fraction, 0.0);
    EXPECT_LT(compound.magnesium_fraction, 1.0);
    EXPECT_FALSE(compound.source.empty());
  }
}

TEST_F(CompoundsTest, RequiredFamiliesArePresent) {
  for (const char* id : {"oxide", "hydroxide", "carbonate", "chloride", "chloride_hexahydrate",
                         "citrate", "citrate_nonahydrate", "bisglycinate", "malate", "lactate",
                         "lactate_dihydrate", "sulfate", "sulfate_heptahydrate", "gluconate",
                         "l_threonate", "taurate", "aspartate", "orotate", "pidolate"}) {
    EXPECT_NE(catalog_->FindById(id), nullptr) << id;
  }
}

TEST_F(CompoundsTest, ResolvesCommonNamesAndSynonyms) {
  const std::map<std::string, std::string> cases = {
      {"magnesium citrate", "citrate"},
      {"Citrate", "citrate"},
      {"glycinate", "bisglycinate"},
      {"Magnesium Glycinate", "bisglycinate"},
      {"Epsom salt", "sulfate_heptahydrate"},
      {"epsom salts", "sulfate_heptahydrate"},
      {"magnesium oil", "chloride_hexahydrate"},
      {"milk of magnesia", "hydroxide"},
      {"MgO", "oxide"},
      {"magnesium-oxide", "oxide"},
      {"magnesium sulphate", "sulfate"},
      {"L-threonate", "l_threonate"},
      {"sulfate_heptahydrate", "sulfate_heptahydrate"}};
  for (const auto& [query, id] : cases) {
    auto found = catalog_->Resolve(query);
    ASSERT_TRUE(found.ok()) << query << ": " << found.error().message;
    EXPECT_EQ((*found)->id, id) << query;
  }
}

TEST_F(CompoundsTest, UnknownCompoundSuggestsCloseMatches) {
  auto found = catalog_->Resolve("magnesium citrat");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(found.error().message, HasSubstr("unknown compound 'magnesium citrat'"));
  EXPECT_THAT(found.error().message, HasSubstr("did you mean"));
  EXPECT_THAT(found.error().message, HasSubstr("magnesium citrate"));
  EXPECT_THAT(catalog_->Resolve("unobtainium").error().message,
              ::testing::Not(HasSubstr("did you mean")));
}

TEST_F(CompoundsTest, ConvertsBothWays) {
  const Compound* citrate = catalog_->FindById("citrate");
  ASSERT_NE(citrate, nullptr);
  // 1 g trimagnesium dicitrate: 3 × 24.305 / 451.11 × 1000 ≈ 161.6 mg.
  EXPECT_NEAR(ElementalFromCompound(*citrate, 1000), 161.6, 0.2);
  EXPECT_NEAR(CompoundForElemental(*citrate, ElementalFromCompound(*citrate, 777)), 777, 1e-9);
  // Roguin Maor 2017: 865 mg MgO ≈ 520 mg magnesium.
  EXPECT_NEAR(ElementalFromCompound(*catalog_->FindById("oxide"), 865), 521.6, 0.5);
}

TEST(CompoundCatalogParse, ReportsFileAndLine) {
  auto weights = AtomicWeights::LoadEmbedded();
  ASSERT_TRUE(weights.ok());
  const std::string bad_formula =
      "[[compound]]\nid = \"x\"\nname = \"X\"\nformula = \"Mg(OH\"\nsource = \"s\"\n";
  EXPECT_THAT(CompoundCatalog::Parse(bad_formula, "c.toml", *weights).error().message,
              HasSubstr("c.toml:4: formula 'Mg(OH' unclosed '('"));
  const std::string unknown_key =
      "[[compound]]\nid = \"x\"\nname = \"X\"\nformula = \"MgO\"\nsource = \"s\"\ncolour = 1\n";
  EXPECT_THAT(CompoundCatalog::Parse(unknown_key, "c.toml", *weights).error().message,
              HasSubstr("c.toml:6: unknown key 'colour'"));
  const std::string missing = "[[compound]]\nid = \"x\"\nformula = \"MgO\"\nsource = \"s\"\n";
  EXPECT_THAT(CompoundCatalog::Parse(missing, "c.toml", *weights).error().message,
              HasSubstr("c.toml:1: compound 'x' is missing required field 'name'"));
  const std::string no_mg =
      "[[compound]]\nid = \"x\"\nname = \"X\"\nformula = \"NaCl\"\nsource = \"s\"\n";
  EXPECT_THAT(CompoundCatalog::Parse(no_mg, "c.toml", *weights).error().message,
              HasSubstr("contains no magnesium"));
  const std::string clash =
      "[[compound]]\nid = \"a\"\nname = \"A\"\nformula = \"MgO\"\nsource = \"s\"\n"
      "[[compound]]\nid = \"b\"\nname = \"B\"\nformula = \"MgO\"\nsource = \"s\"\nsynonyms = "
      "[\"a\"]\n";
  EXPECT_THAT(CompoundCatalog::Parse(clash, "c.toml", *weights).error().message,
              HasSubstr("c.toml:6: name 'a' of 'b' is already used by 'a'"));
  EXPECT_THAT(CompoundCatalog::Parse("[[compound]\n", "c.toml", *weights).error().message,
              HasSubstr("c.toml:1:"));
}

}  // namespace
}  // namespace mg::chem
