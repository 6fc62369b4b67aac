#include "foods/import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/data_files.h"

namespace mg::foods {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = std::string(MG_SOURCE_DIR) + "/src/foods/testdata/";
const std::string kShared = std::string(MG_SOURCE_DIR) + "/../shared/data/usda/";

const Food* Find(const std::vector<Food>& foods, const std::string& source) {
  auto it =
      std::find_if(foods.begin(), foods.end(), [&](const Food& f) { return f.source == source; });
  return it == foods.end() ? nullptr : &*it;
}

bool HasProblem(const ImportReport& r, const std::string& text) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("mg_foods_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(ImportSr28, ReadsFoodsNutrientsPortionsAndReportsBadRows) {
  ImportReport report;
  auto foods = ReadUsdaFoods(kTestdata + "sr28_mini", report);
  ASSERT_TRUE(foods.ok()) << foods.error().message;
  EXPECT_EQ(report.formats, std::vector<std::string>{"SR28 ASCII"});
  ASSERT_EQ(foods->size(), 3u);
  const Food* banana = Find(*foods, "sr28:09040");
  ASSERT_NE(banana, nullptr);
  EXPECT_EQ(banana->category, "Fruits and Fruit Juices");
  EXPECT_DOUBLE_EQ(*banana->magnesium_mg, 27);
  EXPECT_DOUBLE_EQ(*banana->kcal, 89);
  EXPECT_FALSE(banana->calcium_mg.has_value());  // Missing nutrient: unknown, not 0.
  ASSERT_EQ(banana->portions.size(), 2u);
  EXPECT_EQ(banana->portions[1].unit, "medium (7\" to 7-7/8\" long)");
  EXPECT_EQ(banana->serving.unit, "cup, mashed");
  const Food* almonds = Find(*foods, "sr28:12061");
  ASSERT_NE(almonds, nullptr);
  EXPECT_DOUBLE_EQ(*almonds->fibre_g, 12.5);
  EXPECT_FALSE(almonds->potassium_mg.has_value());  // Its row was malformed.
  EXPECT_DOUBLE_EQ(almonds->portions[1].amount, 0.5);
  const Food* cafe = Find(*foods, "sr28:12999");
  ASSERT_NE(cafe, nullptr);
  EXPECT_EQ(cafe->name, "Nuts, caf\xC3\xA9 mix, \"special\"");  // Latin-1 became UTF-8.
  EXPECT_FALSE(cafe->magnesium_mg.has_value());
  EXPECT_DOUBLE_EQ(*cafe->calcium_mg, 117);
  EXPECT_EQ(report.malformed_rows, 6u);
  EXPECT_TRUE(HasProblem(report, "sr28_mini/FOOD_DES.txt:4: NDB_No \"1299X\""));
  EXPECT_TRUE(HasProblem(report, "sr28_mini/FOOD_DES.txt:5: expected 14 fields, found 3"));
  EXPECT_TRUE(HasProblem(report, "sr28_mini/NUT_DATA.txt:6: Nutr_Val \"abc\""));
  EXPECT_TRUE(HasProblem(report, "sr28_mini/NUT_DATA.txt:7: NDB_No \"99999\""));
  EXPECT_TRUE(HasProblem(report, "sr28_mini/NUT_DATA.txt:8: expected 18 fields, found 2"));
  EXPECT_TRUE(HasProblem(report, "sr28_mini/WEIGHT.txt:5:"));
}

TEST(ImportFdc, ReadsQuotedFieldsSkipsSamplesAndPrefersPlainEnergy) {
  ImportReport report;
  auto foods = ReadUsdaFoods(kTestdata + "fdc_mini", report);
  ASSERT_TRUE(foods.ok()) << foods.error().message;
  EXPECT_EQ(report.formats, std::vector<std::string>{"FoodData Central CSV"});
  ASSERT_EQ(foods->size(), 3u);
  EXPECT_EQ(Find(*foods, "fdc:100"), nullptr);  // sample_food rows are not foods.
  const Food* banana = Find(*foods, "fdc:200");
  ASSERT_NE(banana, nullptr);
  EXPECT_DOUBLE_EQ(*banana->magnesium_mg, 28.0);
  EXPECT_DOUBLE_EQ(*banana->kcal, 97.0);  // Atwater energy fills the gap.
  ASSERT_EQ(banana->portions.size(), 1u);
  EXPECT_EQ(banana->portions[0].unit, "medium (7\" to 7-7/8\" long)");
  const Food* almonds = Find(*foods, "fdc:300");
  ASSERT_NE(almonds, nullptr);
  EXPECT_EQ(almonds->name, "Nuts, almonds, whole, \"natural\", raw");
  EXPECT_EQ(almonds->category, "Nut and Seed Products");
  EXPECT_DOUBLE_EQ(*almonds->kcal, 620);  // Plain kcal wins over Atwater.
  ASSERT_EQ(almonds->portions.size(), 2u);
  EXPECT_EQ(almonds->portions[0].unit, "cup, whole");
  EXPECT_DOUBLE_EQ(almonds->portions[1].amount, 2);
  EXPECT_EQ(almonds->portions[1].unit, "tablespoon");
  const Food* mystery = Find(*foods, "fdc:400");
  ASSERT_NE(mystery, nullptr);
  EXPECT_FALSE(mystery->magnesium_mg.has_value());
  EXPECT_EQ(report.malformed_rows, 4u);
  EXPECT_TRUE(HasProblem(report, "fdc_mini/food.csv:6: expected 5 fields, found 4"));
  EXPECT_TRUE(HasProblem(report, "fdc_mini/food_nutrient.csv:10: amount \"NaN?\""));
  EXPECT_TRUE(HasProblem(report, "fdc_mini/food_nutrient.csv:11: expected 11 fields"));
  EXPECT_TRUE(HasProblem(report, "fdc_mini/food_portion.csv:5: gram_weight \"-5\""));
}

TEST(ImportFndds, ReadsNutrientsAndPortions) {
  ImportReport report;
  auto foods = ReadUsdaFoods(kTestdata + "fndds_mini", report);
  ASSERT_TRUE(foods.ok()) << foods.error().message;
  ASSERT_EQ(foods->size(), 2u);
  const Food* banana = Find(*foods, "fndds:63107010");
  ASSERT_NE(banana, nullptr);
  EXPECT_DOUBLE_EQ(*banana->magnesium_mg, 28);
  EXPECT_DOUBLE_EQ(*banana->fibre_g, 2.6);
  ASSERT_EQ(banana->portions.size(), 1u);  // "Quantity not specified" (0 g) is not a measure.
  EXPECT_EQ(banana->category, "Bananas");
  EXPECT_EQ(report.malformed_rows, 2u);
  EXPECT_TRUE(HasProblem(report, "fndds_nutrient_values.csv:4: field 'Energy (kcal)': \"xx\""));
  EXPECT_TRUE(HasProblem(report, "fndds_portions_and_weights.csv:5: food code 99999999"));
}

TEST(ImportFoods, WritesAStoreThatLoadsAndFailedImportKeepsIt) {
  TempDir tmp;
  ImportOptions options;
  options.store_path = tmp.Path("sub/foods.csv");
  auto report = ImportFoods(kTestdata + "sr28_mini", options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  auto before = ReadFile(options.store_path);
  ASSERT_TRUE(before.ok());
  auto db = LoadFoods(options.store_path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(db->size(), 3u);
  const Food* almonds = db->FindBySource("sr28:12061");
  ASSERT_NE(almonds, nullptr);
  EXPECT_TRUE(almonds->common);  // In the curated table: its name and tags carry over.
  EXPECT_EQ(almonds->name, "Almonds");
  EXPECT_TRUE(almonds->HasTag("tree_nut"));
  EXPECT_DOUBLE_EQ(*almonds->magnesium_mg, 270);

  // A folder with no data, and one with a missing column: errors, store untouched.
  auto none = ImportFoods(kTestdata + "empty_dir", options);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  const fs::path broken = tmp.Path("broken");
  fs::create_directories(broken);
  std::ofstream(broken / "fndds_nutrient_values.csv") << "Food code,Main food description\n1,x\n";
  auto bad = ImportFoods(broken.string(), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("missing column"), std::string::npos);
  auto after = ReadFile(options.store_path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*before, *after);
  EXPECT_FALSE(ImportFoods(tmp.Path("does-not-exist"), options).ok());
}

// Issue 11 finding 9, for each format: a dataset with foods but no magnesium value at all is
// refused (kDataError naming its nutrient file) and the store stays as it was.
TEST(ImportFoods, ADatasetWithoutAnyMagnesiumValueIsRefused) {
  TempDir tmp;
  ImportOptions options;
  options.store_path = tmp.Path("store/foods.csv");
  ASSERT_TRUE(ImportFoods(kTestdata + "sr28_mini", options).ok());
  const auto before = ReadFile(options.store_path);
  ASSERT_TRUE(before.ok());
  struct Case {
    std::string fixture, file, content;
  };
  const Case cases[] = {
      {"sr28_mini", "NUT_DATA.txt", ""},
      {"sr28_mini", "NUT_DATA.txt", "~09040~^~304~\n"},  // Every row malformed.
      {"fdc_mini", "food_nutrient.csv", "id,fdc_id,nutrient_id,amount\n"},
      // Foods whose magnesium cells are all empty.
      {"fndds_mini", "fndds_nutrient_values.csv",
       "Food code,Main food description,WWEIA Category description,Magnesium (mg),"
       "Energy (kcal),Calcium (mg),Potassium (mg),Iron (mg),\"Fiber, total dietary (g)\"\n"
       "63107010,Banana,Bananas,,89,5,358,0.26,2.6\n42101000,Almonds,Nuts,,579,269,733,3.7,12\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fixture + "/" + c.file + ": \"" + c.content + "\"");
    const fs::path dir = tmp.Path("copy");
    fs::remove_all(dir);
    fs::copy(kTestdata + c.fixture, dir);
    std::ofstream(dir / c.file, std::ios::trunc) << c.content;
    auto result = ImportFoods(dir.string(), options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kDataError) << result.error().message;
    EXPECT_NE(result.error().message.find((dir / c.file).string()), std::string::npos)
        << result.error().message;
    EXPECT_EQ(ReadFile(options.store_path).value(), *before);
  }
}

TEST(ImportFoods, StoreRoundTripsThroughTheTableParser) {
  ImportReport report;
  auto foods = ReadUsdaFoods(kTestdata + "fdc_mini", report);
  ASSERT_TRUE(foods.ok());
  auto db = ParseFoodTable(FormatFoodTable(*foods), "store");
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_EQ(db->size(), foods->size());
  for (size_t i = 0; i < foods->size(); ++i) {
    const Food& a = (*foods)[i];
    const Food& b = (*db)[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.magnesium_mg, b.magnesium_mg);
    EXPECT_EQ(a.kcal, b.kcal);
    ASSERT_EQ(a.portions.size(), b.portions.size());
    for (size_t j = 0; j < a.portions.size(); ++j) {
      EXPECT_EQ(a.portions[j].unit, b.portions[j].unit);
      EXPECT_DOUBLE_EQ(a.portions[j].grams, b.portions[j].grams);
    }
  }
}

// ---- The real USDA data in ../shared (skipped when absent) ----

TEST(RealUsda, Sr28ImportMatchesTheDocumentedCounts) {
  if (!fs::exists(kShared + "sr28/NUT_DATA.txt")) GTEST_SKIP() << "no ../shared USDA data";
  ImportReport report;
  auto foods = ReadUsdaFoods(kShared + "sr28", report);
  ASSERT_TRUE(foods.ok()) << foods.error().message;
  EXPECT_EQ(foods->size(), 8789u);
  EXPECT_EQ(report.with_magnesium, 8050u);  // sr28_doc.pdf and the README agree.
  EXPECT_EQ(report.portions, 15438u);
  EXPECT_EQ(report.malformed_rows, 0u) << (report.problems.empty() ? "" : report.problems[0]);
}

TEST(RealUsda, EmbeddedTableAgreesWithSr28) {
  if (!fs::exists(kShared + "sr28/NUT_DATA.txt")) GTEST_SKIP() << "no ../shared USDA data";
  ImportReport report;
  auto sr28 = ReadUsdaFoods(kShared + "sr28", report);
  ASSERT_TRUE(sr28.ok());
  auto table = LoadEmbeddedFoods();
  ASSERT_TRUE(table.ok());
  for (const Food& curated : table->foods()) {
    const Food* usda = Find(*sr28, curated.source);
    ASSERT_NE(usda, nullptr) << curated.source;
    EXPECT_EQ(curated.usda_description, usda->name) << curated.source;
    EXPECT_EQ(curated.magnesium_mg, usda->magnesium_mg) << curated.source;
    EXPECT_EQ(curated.kcal, usda->kcal) << curated.source;
    EXPECT_EQ(curated.calcium_mg, usda->calcium_mg) << curated.source;
    EXPECT_EQ(curated.potassium_mg, usda->potassium_mg) << curated.source;
    EXPECT_EQ(curated.iron_mg, usda->iron_mg) << curated.source;
    EXPECT_EQ(curated.fibre_g, usda->fibre_g) << curated.source;
    ASSERT_EQ(curated.portions.size(), usda->portions.size()) << curated.source;
    for (size_t i = 0; i < curated.portions.size(); ++i) {
      EXPECT_EQ(curated.portions[i].unit, usda->portions[i].unit) << curated.source;
      EXPECT_DOUBLE_EQ(curated.portions[i].grams, usda->portions[i].grams) << curated.source;
    }
  }
}

TEST(RealUsda, FoundationAndFnddsImport) {
  if (!fs::exists(kShared + "fndds_2021-2023")) GTEST_SKIP() << "no ../shared USDA data";
  ImportReport fndds_report;
  auto fndds = ReadUsdaFoods(kShared + "fndds_2021-2023", fndds_report);
  ASSERT_TRUE(fndds.ok()) << fndds.error().message;
  EXPECT_EQ(fndds->size(), 5431u);
  // A quirk of the 2021-2023 tables, reported rather than dropped: the portions list three
  // measures of food code 11000000 (human milk) that has no nutrient row.
  EXPECT_EQ(fndds_report.malformed_rows, 3u);
  EXPECT_TRUE(HasProblem(fndds_report, "fndds_portions_and_weights.csv:2: food code 11000000"));
  const Food* pumpkin = Find(*fndds, "fndds:43101150");
  ASSERT_NE(pumpkin, nullptr);
  EXPECT_DOUBLE_EQ(*pumpkin->magnesium_mg, 550);

  ImportReport fdc_report;
  auto fdc = ReadUsdaFoods(kShared + "foundation_2025-04-24", fdc_report);
  ASSERT_TRUE(fdc.ok()) << fdc.error().message;
  EXPECT_EQ(fdc->size(), 411u);
  EXPECT_EQ(fdc_report.with_magnesium, 398u);
  const Food* almonds = Find(*fdc, "fdc:2346393");
  ASSERT_NE(almonds, nullptr);
  EXPECT_NEAR(*almonds->magnesium_mg, 257.6, 0.05);
  EXPECT_EQ(fdc_report.malformed_rows, 0u)
      << (fdc_report.problems.empty() ? "" : fdc_report.problems[0]);
}

}  // namespace
}  // namespace mg::foods
