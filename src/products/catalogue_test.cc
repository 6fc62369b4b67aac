// The medicines catalogue: the names people use resolve to the right ingredients, interaction
// classes and magnesium amounts (every example of issue 13), unknown names come back with close
// matches, and the loader names file and line for every problem.
#include "products/catalogue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/text.h"
#include "products/products_test_util.h"

namespace mg::products {
namespace {

using testing::Compounds;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::EmbeddedCatalogue;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> ProductIds(const Resolution& r) {
  std::vector<std::string> ids;
  for (const Product* p : r.products) ids.push_back(p->id);
  return ids;
}

std::vector<std::string> IngredientIds(const Resolution& r) {
  std::vector<std::string> ids;
  for (const Ingredient* i : r.ingredients) ids.push_back(i->id);
  return ids;
}

// ---- The examples of issue 13 ----

TEST(Catalogue, MilkOfMagnesiaAndPhillipsInEverySpelling) {
  for (const char* name : {"milk of magnesia", "Milk of Magnesia", "MoM", "Phillips'", "Phillips",
                           "phillips milk of magnesia", "PHILLIPS' MILK-OF-MAGNESIA",
                           "Phillips\u2019 Milk of Magnesia", "milk of magnesia liquid"}) {
    const Resolution r = EmbeddedCatalogue().Resolve(name);
    ASSERT_EQ(r.kind, MatchKind::kProduct) << name;
    EXPECT_THAT(ProductIds(r), ElementsAre("milk_of_magnesia")) << name;
    EXPECT_TRUE(r.ContainsMagnesium()) << name;
    const Product& p = *r.products.front();
    // 1200 mg Mg(OH)2 per 15 mL at 41.68 % magnesium; the label says 500 mg.
    EXPECT_NEAR(*p.computed_magnesium_mg, 500.1, 0.1);
    EXPECT_NEAR(*p.magnesium_mg_per_unit, 500.1, 0.1);
    EXPECT_EQ(p.unit, "15 mL");
    EXPECT_EQ(p.use, Use::kLaxative);
  }
}

TEST(Catalogue, MaaloxAndMylantaAreFamiliesWithTheStrongestFirst) {
  const Resolution maalox = EmbeddedCatalogue().Resolve("Maalox");
  ASSERT_EQ(maalox.kind, MatchKind::kProduct);
  EXPECT_EQ(maalox.matched_as, NameKind::kBrand);
  EXPECT_THAT(ProductIds(maalox), ElementsAre("al_mg_simeticone_maximum",
                                              "al_mg_simeticone_regular", "co_magaldrox_195_220"));
  EXPECT_NEAR(*maalox.products[0]->magnesium_mg_per_unit, 166.7, 0.1);  // Per 5 mL.
  EXPECT_NEAR(*maalox.products[1]->magnesium_mg_per_unit, 83.4, 0.1);
  EXPECT_NEAR(*maalox.products[2]->magnesium_mg_per_unit, 81.3, 0.1);
  EXPECT_THAT(IngredientIds(maalox),
              UnorderedElementsAre("aluminium_hydroxide", "magnesium_hydroxide", "simeticone"));
  const Resolution mylanta = EmbeddedCatalogue().Resolve("mylanta");
  EXPECT_THAT(ProductIds(mylanta),
              ElementsAre("al_mg_simeticone_maximum", "al_mg_simeticone_regular"));
  EXPECT_THAT(ProductIds(EmbeddedCatalogue().Resolve("Mylanta Maximum Strength")),
              ElementsAre("al_mg_simeticone_maximum"));
}

TEST(Catalogue, RolaidsIsCalciumCarbonateWithMagnesiumHydroxide) {
  const Resolution r = EmbeddedCatalogue().Resolve("Rolaids");
  ASSERT_EQ(r.kind, MatchKind::kProduct);
  EXPECT_THAT(ProductIds(r), ElementsAre("rolaids_max_strength", "rolaids_ultra_strength",
                                         "rolaids_extra_strength"));
  EXPECT_THAT(IngredientIds(r), UnorderedElementsAre("calcium_carbonate", "magnesium_hydroxide"));
  // 135 mg Mg(OH)2 = 56.3 mg; a store label of the same strength says 55 mg: the larger is kept.
  const Product* extra = EmbeddedCatalogue().FindProduct("rolaids_extra_strength");
  EXPECT_NEAR(*extra->computed_magnesium_mg, 56.26, 0.01);
  EXPECT_EQ(*extra->label_magnesium_mg, 55);
  EXPECT_NEAR(*extra->magnesium_mg_per_unit, 56.26, 0.01);
}

TEST(Catalogue, NaturalCalmEpsomSaltAndMagnesiumCitrateAsMedicines) {
  const Resolution calm = EmbeddedCatalogue().Resolve("Natural Calm");
  EXPECT_THAT(ProductIds(calm), ElementsAre("natural_calm"));
  EXPECT_EQ(*calm.products[0]->magnesium_mg_per_unit, 175);  // Per level teaspoon.
  EXPECT_THAT(ProductIds(EmbeddedCatalogue().Resolve("natural vitality calm")),
              ElementsAre("natural_calm"));

  const Resolution epsom = EmbeddedCatalogue().Resolve("Epsom salt");
  ASSERT_THAT(ProductIds(epsom), ElementsAre("epsom_salt_oral"));
  EXPECT_NEAR(*epsom.products[0]->magnesium_mg_per_unit, 493.07, 0.01);  // 5 g x 9.861 %.

  // Plain "magnesium citrate" is the salt: it contains magnesium, amount unknown.
  const Resolution citrate = EmbeddedCatalogue().Resolve("magnesium citrate");
  ASSERT_EQ(citrate.kind, MatchKind::kIngredient);
  EXPECT_THAT(IngredientIds(citrate), ElementsAre("magnesium_citrate"));
  EXPECT_EQ(citrate.ingredients[0]->compound_id, "citrate");
  EXPECT_TRUE(citrate.ContainsMagnesium());
  // The laxative solution: the label's 290 mg per fl oz beats 282 mg computed from the salt.
  const Resolution solution = EmbeddedCatalogue().Resolve("magnesium citrate oral solution");
  ASSERT_THAT(ProductIds(solution), ElementsAre("magnesium_citrate_oral_solution"));
  EXPECT_NEAR(*solution.products[0]->computed_magnesium_mg, 282.05, 0.01);
  EXPECT_EQ(*solution.products[0]->magnesium_mg_per_unit, 290);
}

TEST(Catalogue, DyazideMaxzideAndHctzCarryBothDiureticClasses) {
  for (const char* name : {"Dyazide", "Maxzide", "Maxzide-25", "maxzide 25", "co-triamterzide",
                           "triamterene/hydrochlorothiazide", "triamterene-HCTZ",
                           "Triamterene and HCTZ", "triamterene + hydrochlorothiazide 37.5/25"}) {
    const Resolution r = EmbeddedCatalogue().Resolve(name);
    ASSERT_TRUE(r.known()) << name;
    EXPECT_THAT(r.InteractionIds(),
                UnorderedElementsAre("potassium_sparing_diuretics", "loop_thiazide_diuretics"))
        << name;
    EXPECT_FALSE(r.ContainsMagnesium()) << name;
  }
  const Resolution hctz = EmbeddedCatalogue().Resolve("HCTZ");
  ASSERT_EQ(hctz.kind, MatchKind::kIngredient);
  EXPECT_EQ(hctz.matched_as, NameKind::kAbbreviation);
  EXPECT_THAT(IngredientIds(hctz), ElementsAre("hydrochlorothiazide"));
  EXPECT_THAT(hctz.InteractionIds(), ElementsAre("loop_thiazide_diuretics"));
  EXPECT_THAT(EmbeddedCatalogue().Resolve("triamterene").InteractionIds(),
              ElementsAre("potassium_sparing_diuretics"));
}

TEST(Catalogue, EveryNewInteractionClassResolves) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ferrous sulfate", "oral_iron"},
      {"ferrous sulphate 200 mg", "oral_iron"},
      {"Feosol", "oral_iron"},
      {"ferrous fumarate", "oral_iron"},
      {"ferrous gluconate", "oral_iron"},
      {"Promacta", "eltrombopag"},
      {"Revolade", "eltrombopag"},
      {"eltrombopag", "eltrombopag"},
      {"Edurant", "rilpivirine"},
      {"rilpivirine", "rilpivirine"},
      {"Odefsey", "rilpivirine"},
      {"CellCept", "mycophenolate"},
      {"MMF", "mycophenolate"},
      {"Myfortic", "mycophenolate"},
      {"cefpodoxime", "cephalosporins_antacid"},
      {"cefdinir", "cephalosporins_antacid"},
      {"Omnicef", "cephalosporins_antacid"},
      {"ketoconazole", "azole_antifungals_acid"},
      {"itraconazole", "azole_antifungals_acid"},
      {"Sporanox", "azole_antifungals_acid"},
      {"deferiprone", "deferiprone"},
      {"Ferriprox", "deferiprone"},
      {"sodium polystyrene sulfonate", "sodium_polystyrene_sulfonate"},
      {"Kayexalate", "sodium_polystyrene_sulfonate"},
      {"SPS", "sodium_polystyrene_sulfonate"},
      {"quinine", "quinine"},
      {"quinine sulfate", "quinine"},
      {"Qualaquin", "quinine"},
      {"Crestor", "rosuvastatin"},
      {"atorvastatin", "statins"},
      {"Lipitor", "statins"},
  };
  for (const auto& [name, klass] : cases) {
    const Resolution r = EmbeddedCatalogue().Resolve(name);
    ASSERT_TRUE(r.known()) << name;
    EXPECT_THAT(r.InteractionIds(), Contains(klass)) << name;
  }
  // Juluca is both of its ingredients' classes.
  EXPECT_THAT(EmbeddedCatalogue().Resolve("Juluca").InteractionIds(),
              UnorderedElementsAre("dolutegravir", "rilpivirine"));
}

TEST(Catalogue, EveryKnowledgeBaseMedicineResolvesToItsClass) {
  int names = 0;
  for (const auto& interaction : kb::EmbeddedKb().interactions) {
    for (const auto& medicine : interaction.medicines) {
      std::vector<std::string> all = {medicine.generic};
      all.insert(all.end(), medicine.brands.begin(), medicine.brands.end());
      for (const auto& name : all) {
        ++names;
        EXPECT_THAT(EmbeddedCatalogue().Resolve(name).InteractionIds(), Contains(interaction.id))
            << name;
      }
    }
  }
  EXPECT_GT(names, 150);
}

TEST(Catalogue, StrengthsFormsAndCombinationsOfKnownNames) {
  EXPECT_THAT(IngredientIds(EmbeddedCatalogue().Resolve("Lasix 40 mg tablets")),
              ElementsAre("furosemide"));
  EXPECT_THAT(IngredientIds(EmbeddedCatalogue().Resolve("frusemide")), ElementsAre("furosemide"));
  const Resolution mixed = EmbeddedCatalogue().Resolve("Maalox + omeprazole");
  ASSERT_EQ(mixed.kind, MatchKind::kCombination);
  EXPECT_EQ(mixed.parts.size(), 2u);
  EXPECT_TRUE(mixed.ContainsMagnesium());
  EXPECT_THAT(mixed.InteractionIds(), ElementsAre("proton_pump_inhibitors"));
}

TEST(Catalogue, UnknownNamesComeBackWithCloseMatches) {
  const Resolution typo = EmbeddedCatalogue().Resolve("Maalax");
  EXPECT_EQ(typo.kind, MatchKind::kUnknown);
  EXPECT_THAT(typo.suggestions, Contains("Maalox"));
  EXPECT_THAT(EmbeddedCatalogue().Resolve("Phillips Milk of Magnesa").suggestions,
              Contains("Phillips' Milk of Magnesia"));
  EXPECT_THAT(EmbeddedCatalogue().Resolve("Dyazid").suggestions, Contains("Dyazide"));
  const Resolution nothing = EmbeddedCatalogue().Resolve("xqzzv");
  EXPECT_EQ(nothing.kind, MatchKind::kUnknown);
  EXPECT_THAT(nothing.suggestions, IsEmpty());
  EXPECT_EQ(nothing.query, "xqzzv");
  const Resolution part = EmbeddedCatalogue().Resolve("triamterene/hydroclorothiazide");
  EXPECT_EQ(part.kind, MatchKind::kUnknown);
  EXPECT_EQ(part.unknown_part, "hydroclorothiazide");
  EXPECT_THAT(part.suggestions, Contains("hydrochlorothiazide"));
  EXPECT_FALSE(EmbeddedCatalogue().Resolve("").known());
}

// NameKey as it was first defined: one pass that drops apostrophes and the trademark signs,
// then NormalizeName, then its spaces removed. The one-pass NameKey must give the same key for
// every name, or names would stop resolving.
std::string NameKeyByDefinition(std::string_view name) {
  std::string cleaned;
  for (size_t i = 0; i < name.size(); ++i) {
    const std::string_view rest = name.substr(i);
    if (rest.starts_with("'") || rest.starts_with("`")) continue;
    if (rest.starts_with("\u2019") || rest.starts_with("\u2122")) {
      i += 2;
      continue;
    }
    if (rest.starts_with("\u00AE")) {
      i += 1;
      continue;
    }
    cleaned += name[i];
  }
  std::string key = NormalizeName(cleaned);
  std::erase(key, ' ');
  return key;
}

// Every name of every ingredient and product, in every list.
std::vector<std::string> AllNames(const Catalogue& catalogue) {
  std::vector<std::string> names;
  for (const Ingredient& g : catalogue.ingredients()) {
    names.push_back(g.name);
    for (const auto* list : {&g.synonyms, &g.abbreviations, &g.brands})
      names.insert(names.end(), list->begin(), list->end());
  }
  for (const Product& p : catalogue.products()) {
    for (const auto* list : {&p.names, &p.abbreviations, &p.brands})
      names.insert(names.end(), list->begin(), list->end());
  }
  return names;
}

TEST(Catalogue, NameKeyIsTheNormalisedNameWithoutSeparators) {
  std::vector<std::string> names = AllNames(EmbeddedCatalogue());
  // Every byte, every pair of bytes, and the signs' bytes cut short or next to each other.
  for (int a = 0; a < 256; ++a) {
    names.emplace_back(1, static_cast<char>(a));
    for (int b = 0; b < 256; b += 3) names.push_back({static_cast<char>(a), static_cast<char>(b)});
  }
  const std::vector<std::string> pieces = {"\u2019", "\u2122", "\u00AE", "\xE2\x80", "\xE2",
                                           "\xC2",   "\xAE",   "'",      "`",        " ",
                                           "-",      "A",      "z",      "9",        "\u00E9"};
  uint32_t state = 12345;  // A fixed pseudo-random sequence: the same strings on every run.
  for (int n = 0; n < 20000; ++n) {
    std::string name;
    for (int k = 0; k < 6; ++k) {
      state = state * 1664525 + 1013904223;
      name += pieces[(state >> 16) % pieces.size()];
    }
    names.push_back(name);
  }
  for (const auto& name : names) EXPECT_EQ(NameKey(name), NameKeyByDefinition(name)) << name;
}

TEST(Catalogue, ACopyResolvesEveryNameToItsOwnEntriesAndSpelling) {
  const Catalogue& original = EmbeddedCatalogue();
  const Catalogue copy = original;
  EXPECT_EQ(copy, original);
  const auto in = [](const auto* item, const auto& all) {
    return item >= all.data() && item < all.data() + all.size();
  };
  const std::vector<std::string> names = AllNames(original);
  ASSERT_GT(names.size(), 300u);
  for (const auto& name : names) {
    const Resolution a = original.Resolve(name), b = copy.Resolve(name);
    ASSERT_TRUE(a.known()) << name;
    EXPECT_EQ(a.matched_name, b.matched_name) << name;
    EXPECT_EQ(a.matched_as, b.matched_as) << name;
    EXPECT_EQ(ProductIds(a), ProductIds(b)) << name;
    EXPECT_EQ(IngredientIds(a), IngredientIds(b)) << name;
    for (const Product* p : b.products) EXPECT_TRUE(in(p, copy.products())) << name;
    for (const Ingredient* i : b.ingredients) EXPECT_TRUE(in(i, copy.ingredients())) << name;
  }
  // The matched spelling is the catalogue's, whatever the spelling asked.
  EXPECT_EQ(copy.Resolve("PHILLIPS MILK OF MAGNESIA").matched_name, "Phillips' Milk of Magnesia");
}

// The built-in snapshot keeps the name index (issue 20: rebuilding it was 8 % of `plan`'s
// start-up): a decoded catalogue answers every name as the loaded one does, and a damaged form is
// refused or still only points at names it holds (ASan would catch a read past a list).
TEST(Catalogue, ItsBinaryFormKeepsTheNameIndexAndRefusesADamagedOne) {
  const Catalogue& original = EmbeddedCatalogue();
  const std::string bytes = original.Encode();
  const auto decoded = Catalogue::Decode(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, original);
  const std::vector<std::string> names = AllNames(original);
  for (const auto& name : names) {
    const Resolution a = original.Resolve(name), b = decoded->Resolve(name);
    EXPECT_EQ(a.matched_name, b.matched_name) << name;
    EXPECT_EQ(ProductIds(a), ProductIds(b)) << name;
    EXPECT_EQ(IngredientIds(a), IngredientIds(b)) << name;
  }
  EXPECT_FALSE(Catalogue::Decode(bytes.substr(0, bytes.size() - 1)).has_value());
  // The index is written last: damage each of its last bytes in turn.
  size_t refused = 0, kept = 0;
  for (size_t i = bytes.size() > 3000 ? bytes.size() - 3000 : 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x41);
    const auto read = Catalogue::Decode(damaged);
    if (!read) {
      ++refused;
      continue;
    }
    ++kept;
    for (const char* name : {"milk of magnesia", "Maalox", "mag citrate", "xyz", "Fosamax"}) {
      const Resolution r = read->Resolve(name);
      for (const Product* p : r.products) {
        ASSERT_TRUE(p >= read->products().data() &&
                    p < read->products().data() + read->products().size());
      }
    }
  }
  EXPECT_GT(refused, 0u);
  EXPECT_EQ(refused + kept, std::min<size_t>(bytes.size(), 3000));
}

TEST(Catalogue, EveryMagnesiumProductHasAnAmountPerUnitAndAUnit) {
  const auto products = EmbeddedCatalogue().MagnesiumProducts();
  EXPECT_GE(products.size(), 13u);
  for (const Product* p : products) {
    EXPECT_GT(*p->magnesium_mg_per_unit, 0) << p->id;
    EXPECT_FALSE(p->unit.empty()) << p->id;
    EXPECT_FALSE(p->citation_ids.empty()) << p->id;
  }
}

TEST(Catalogue, DailyValuesAreLoaded) {
  std::map<std::string, double> values;
  for (const auto& d : EmbeddedCatalogue().daily_values()) values[d.id] = d.magnesium_mg;
  EXPECT_EQ(values["us_dv_2016"], 420);
  EXPECT_EQ(values["us_dv_1968"], 400);
  EXPECT_EQ(values["eu_nrv"], 375);
}

// ---- The loader ----

// The embedded catalogue plus one more file: only that file's problems are reported.
std::string ParseWith(const std::string& extra) {
  auto files = LoadDataFiles("medicines", ".toml", std::nullopt);
  EXPECT_TRUE(files.ok());
  files->push_back({"test/extra.toml", extra});
  auto catalogue = Catalogue::Parse(*files, kb::EmbeddedKb(), Compounds());
  return catalogue.ok() ? "" : catalogue.error().message;
}

TEST(CatalogueLoader, UnknownKeysAreRejectedWithFileLineAndDidYouMean) {
  EXPECT_EQ(ParseWith("[[ingredient]]\nid = \"x_y\"\nname = \"xylo\"\nsynonym = [\"a\"]\n"
                      "citations = [\"ods_magnesium\"]\n"),
            "test/extra.toml:4: unknown key 'synonym' in ingredient 'x_y' (did you mean "
            "'synonyms'?)");
  EXPECT_EQ(ParseWith("[[ingrediant]]\nid = \"x\"\n"),
            "test/extra.toml:1: unknown table 'ingrediant' (expected ingredient, product or "
            "daily_value) (did you mean 'ingredient'?)");
}

TEST(CatalogueLoader, CrossReferencesAreChecked) {
  const std::string message = ParseWith(
      "[[ingredient]]\nid = \"zz_one\"\nname = \"zzone\"\ninteraction = \"bisphosphonate\"\n"
      "compound = \"citrat\"\ncitations = [\"ods_magnesum\"]\n"
      "\n[[product]]\nid = \"zz_two\"\nname = \"Zz two\"\nmarkets = [\"US\"]\n"
      "forms = [\"tablets\"]\nuse = \"antacid\"\ningredients = [{id = \"zz_missing\"}]\n"
      "citations = [\"dailymed\"]\n");
  EXPECT_THAT(message, HasSubstr("test/extra.toml:4: ingredient 'zz_one' names interaction "
                                 "class 'bisphosphonate', which the knowledge base does not "
                                 "have (did you mean 'bisphosphonates'?)"));
  EXPECT_THAT(message, HasSubstr("test/extra.toml:5: ingredient 'zz_one' names compound "
                                 "'citrat', which data/chem/compounds.toml does not have (did "
                                 "you mean 'citrate'?)"));
  EXPECT_THAT(message, HasSubstr("test/extra.toml:6: ingredient 'zz_one' cites 'ods_magnesum'"));
  EXPECT_THAT(message, HasSubstr("test/extra.toml:12: product 'zz_two' has dosage form 'tablets' "
                                 "(did you mean 'tablet'?)"));
  EXPECT_THAT(message, HasSubstr("test/extra.toml:14: product 'zz_two' lists ingredient "
                                 "'zz_missing', which is not defined"));
}

TEST(CatalogueLoader, MagnesiumAmountsMustBeKnownAndAgreeWithTheLabel) {
  const std::string message = ParseWith(
      "[[product]]\nid = \"zz_bad_label\"\nname = \"Zz\"\nmarkets = [\"US\"]\n"
      "forms = [\"tablet\"]\nuse = \"antacid\"\n"
      "ingredients = [{id = \"magnesium_oxide\", mg = 400}]\nunit = \"tablet\"\n"
      "label_magnesium_mg = 400\ncitations = [\"dailymed\"]\n"
      "\n[[product]]\nid = \"zz_no_amount\"\nname = \"Zz2\"\nmarkets = [\"US\"]\n"
      "forms = [\"tablet\"]\nuse = \"supplement\"\ningredients = [{id = \"magnesium_citrate\"}]\n"
      "unit = \"tablet\"\ncitations = [\"dailymed\"]\n");
  EXPECT_THAT(message, HasSubstr("test/extra.toml:1: product 'zz_bad_label': the label's 400 mg "
                                 "magnesium per unit and the 241.2 mg computed from its salts "
                                 "differ by more than 5 %"));
  EXPECT_THAT(message, HasSubstr("test/extra.toml:12: product 'zz_no_amount' contains magnesium "
                                 "but neither every magnesium salt's mass ('mg') nor "
                                 "'label_magnesium_mg' is given"));
}

TEST(CatalogueLoader, DuplicateIdsAndClashingNames) {
  const std::string message = ParseWith(
      "[[ingredient]]\nid = \"furosemide\"\nname = \"furosemide again\"\n"
      "citations = [\"dailymed\"]\n"
      "\n[[ingredient]]\nid = \"zz_lasix\"\nname = \"zz lasix\"\nbrands = [\"Lasix\"]\n"
      "citations = [\"dailymed\"]\n");
  EXPECT_THAT(message, HasSubstr("test/extra.toml:1: duplicate ingredient id 'furosemide' (first "
                                 "defined at data/medicines/interacting_medicines.toml:"));
  EXPECT_THAT(message, HasSubstr("the name 'Lasix' is claimed by"));
}

TEST(CatalogueLoader, KnowledgeBaseMedicinesMustBeInTheCatalogue) {
  auto files = LoadDataFiles("medicines", ".toml", std::nullopt);
  ASSERT_TRUE(files.ok());
  std::vector<DataFile> without_interacting;
  for (const auto& f : *files) {
    if (!f.name.ends_with("interacting_medicines.toml")) without_interacting.push_back(f);
  }
  auto catalogue = Catalogue::Parse(without_interacting, kb::EmbeddedKb(), Compounds());
  ASSERT_FALSE(catalogue.ok());
  EXPECT_THAT(catalogue.error().message,
              HasSubstr("data/medicines: the knowledge base lists 'ferrous sulfate' in "
                        "interaction class 'oral_iron', but the catalogue does not know it"));
}

TEST(CatalogueLoader, SyntaxErrorsNameTheLine) {
  EXPECT_THAT(ParseWith("[[product]]\nid = \"x\nname = 1\n"), HasSubstr("test/extra.toml:2:"));
}

}  // namespace
}  // namespace mg::products
