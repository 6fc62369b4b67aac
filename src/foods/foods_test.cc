#include "foods/foods.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace mg::foods {
namespace {

using ::testing::HasSubstr;

TEST(EmbeddedFoods, LoadsAtLeast200FoodsWithMagnesiumAndPortions) {
  auto db = LoadEmbeddedFoods();
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_GE(db->size(), 200u);
  for (const Food& food : db->foods()) {
    EXPECT_TRUE(food.source.starts_with("sr28:")) << food.source;
    EXPECT_TRUE(food.magnesium_mg.has_value()) << food.name;
    EXPECT_TRUE(food.common);
    EXPECT_GT(food.serving.grams, 0) << food.name;
  }
}

TEST(EmbeddedFoods, HoldsEverySeedFood) {
  auto db = LoadEmbeddedFoods();
  ASSERT_TRUE(db.ok());
  // The foods the seed pages name, by SR28 NDB number.
  const char* seeds[] = {"sr28:11457", "sr28:11233", "sr28:11147", "sr28:12061", "sr28:12014",
                         "sr28:12087", "sr28:12006", "sr28:16015", "sr28:11212", "sr28:16070",
                         "sr28:20137", "sr28:20037", "sr28:08120", "sr28:18075", "sr28:09037",
                         "sr28:19904", "sr28:15237", "sr28:09040"};
  for (const char* source : seeds) EXPECT_NE(db->FindBySource(source), nullptr) << source;
  const Food* pumpkin = db->FindBySource("sr28:12014");
  ASSERT_NE(pumpkin, nullptr);
  EXPECT_DOUBLE_EQ(*pumpkin->magnesium_mg, 592);  // README's checked value.
  EXPECT_NEAR(*pumpkin->MagnesiumIn(28.35), 167.8, 0.1);
}

TEST(FoodTable, ParsesQuotedFieldsPortionsAndMissingNutrients) {
  const std::string text =
      "source,name,category,tags,aliases,mg,kcal,calcium_mg,potassium_mg,iron_mg,fibre_g,serving,"
      "portions,usda_description\n"
      "x:1,\"Nuts, \"\"special\"\"\",Nuts,tree_nut,nutty; crunchy,100,,1,2,3,,1 oz=28.35,"
      "\"1 cup, chopped=120;.5 cup=60;1 pat (1\"\" sq)=5\",Desc\n";
  auto db = ParseFoodTable(text, "t.csv");
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_EQ(db->size(), 1u);
  const Food& f = (*db)[0];
  EXPECT_EQ(f.name, "Nuts, \"special\"");
  EXPECT_FALSE(f.kcal.has_value());
  EXPECT_FALSE(f.fibre_g.has_value());
  EXPECT_EQ(f.aliases, (std::vector<std::string>{"nutty", "crunchy"}));
  ASSERT_EQ(f.portions.size(), 3u);
  EXPECT_EQ(f.portions[0].unit, "cup, chopped");
  EXPECT_DOUBLE_EQ(f.portions[1].amount, 0.5);
  EXPECT_EQ(f.portions[2].unit, "pat (1\" sq)");
  EXPECT_TRUE(f.HasTag("tree_nut"));
}

TEST(FoodTable, BadRowsNameFileLineAndField) {
  const std::string header =
      "source,name,category,tags,aliases,mg,kcal,calcium_mg,potassium_mg,iron_mg,fibre_g,serving,"
      "portions,usda_description\n";
  auto bad_number =
      ParseFoodTable(header + "a,A,c,,,1,2,3,4,5,6,,,\nb,B,c,,,abc,,,,,,,,\n", "t.csv");
  ASSERT_FALSE(bad_number.ok());
  EXPECT_EQ(bad_number.error().message,
            "t.csv:3: field 'mg': \"abc\" is not a non-negative number");
  auto short_row = ParseFoodTable(header + "a,A,c\n", "t.csv");
  ASSERT_FALSE(short_row.ok());
  EXPECT_NE(short_row.error().message.find("t.csv:2: expected 14 fields"), std::string::npos);
  auto bad_portion = ParseFoodTable(header + "a,A,c,,,1,,,,,,,1 cup,\n", "t.csv");
  ASSERT_FALSE(bad_portion.ok());
  EXPECT_NE(bad_portion.error().message.find("t.csv:2: field 'portions'"), std::string::npos);
  auto unterminated = ParseFoodTable(header + "a,\"A,c\n", "t.csv");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.error().message.find("t.csv:2: unterminated"), std::string::npos);
  auto duplicate = ParseFoodTable(header + "a,A,c,,,1,,,,,,,,\na,B,c,,,1,,,,,,,,\n", "t.csv");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().message, "t.csv:3: duplicate source 'a'");
  auto missing_column = ParseFoodTable("source,name\n", "t.csv");
  ASSERT_FALSE(missing_column.ok());
  EXPECT_EQ(missing_column.error().code, ErrorCode::kDataError);
}

// Found by fuzz/data_files_fuzzer (issue 11): a row was checked against the 14 columns the table
// needs, not against where the header put them, so with an extra column before
// usda_description a 14-field row was read past its end (heap-use-after-free under ASan).
TEST(FoodTable, RowShorterThanItsHeaderIsAnErrorNotAReadPastTheEnd) {
  // Found by the data_files fuzz target: a row that stops before the header's last column was
  // read past its end. The description comes last so the short row lacks exactly that field.
  const std::string header =
      "source,name,category,tags,aliases,mg,kcal,calcium_mg,potassium_mg,iron_mg,fibre_g,serving,"
      "portions,usda_description\n";
  const std::string full_row = "a,A,c,,,1,,,,,,,,a description longer than sixteen bytes\n";
  const std::string short_row = "b,B,c,,,1,,,,,,,\n";
  auto table = ParseFoodTable(header + full_row + short_row, "t.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.error().message, HasSubstr("t.csv:3: expected 14 fields, found 13"));
  auto good = ParseFoodTable(header + full_row, "t.csv");
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ((*good)[0].usda_description, "a description longer than sixteen bytes");
}

TEST(Exclusions, ResolvesNamesAndRejectsUnknown) {
  auto exclusions = Exclusions::Load();
  ASSERT_TRUE(exclusions.ok()) << exclusions.error().message;
  auto set = exclusions->Resolve({"Vegan", "nut allergy"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->ids, (std::vector<std::string>{"vegan", "nut_allergy"}));
  auto bad = exclusions->Resolve({"martian"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("\"martian\""), std::string::npos);
}

TEST(RichestInMagnesium, HonoursExclusions) {
  auto db = LoadEmbeddedFoods();
  auto exclusions = Exclusions::Load();
  ASSERT_TRUE(db.ok() && exclusions.ok());
  auto none = exclusions->Resolve({});
  auto all = RichestInMagnesium(*db, *none, {.limit = 10});
  ASSERT_EQ(all.size(), 10u);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(all[i - 1].mg_per_serving, all[i].mg_per_serving);
  }
  auto vegan_nut_free = exclusions->Resolve({"vegan", "nut allergy"});
  auto picks = RichestInMagnesium(*db, *vegan_nut_free, {.limit = 40});
  ASSERT_FALSE(picks.empty());
  for (const auto& pick : picks) {
    for (const char* tag : {"tree_nut", "peanut", "animal", "dairy", "fish", "meat"}) {
      EXPECT_FALSE(pick.food->HasTag(tag)) << pick.food->name;
    }
  }
  auto per_kcal = RichestInMagnesium(*db, *none, {.limit = 5, .ranking = RichRanking::kPerKcal});
  ASSERT_EQ(per_kcal.size(), 5u);
  EXPECT_GE(per_kcal[0].mg_per_100kcal, per_kcal[4].mg_per_100kcal);
}

}  // namespace
}  // namespace mg::foods
