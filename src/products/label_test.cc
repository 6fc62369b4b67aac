// The label reader on its own: the examples, OCR damage, and inputs that must be refused
// with a line number. The corpus test covers whole labels.
#include "products/label.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "products/products_json.h"
#include "products/products_test_util.h"

namespace mg::products {
namespace {

using testing::Compounds;
using ::testing::ElementsAre;
using testing::EmbeddedCatalogue;
using ::testing::HasSubstr;

Result<Label> Read(std::string_view text) {
  return ReadLabel(text, Compounds(), EmbeddedCatalogue().daily_values());
}

Label ReadOk(std::string_view text) {
  auto label = Read(text);
  EXPECT_TRUE(label.ok()) << (label.ok() ? "" : label.error().message);
  return label.ok() ? std::move(label).value() : Label{};
}

TEST(Label, MagnesiumAsOxideFourHundredIsFourHundredElemental) {
  const Label l = ReadOk(
      "Supplement Facts\nServing Size 1 Tablet\n"
      "Magnesium (as magnesium oxide) 400 mg 95%\n");
  EXPECT_EQ(*l.elemental_mg_per_serving, 400);
  EXPECT_THAT(l.compounds, ElementsAre("oxide"));
  ASSERT_EQ(l.magnesium_lines.size(), 1u);
  EXPECT_EQ(l.magnesium_lines[0].basis, AmountBasis::kElemental);
  // Written as the salt's mass it is 241.2 mg, with a warning that says so.
  const Label salt = ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium oxide 400 mg\n");
  EXPECT_NEAR(*salt.elemental_mg_per_serving, 241.2, 0.1);
  EXPECT_TRUE(salt.HasWarning("compound_mass_only"));
}

TEST(Label, OcrDamageIsRepaired) {
  // Ligature, tabs, no spaces round the parenthesis, "rng", the letter O for a zero, a non-
  // breaking space, a word broken at the end of a line.
  const Label l = ReadOk(
      "Supplement Facts\nServing Size 2 Capsu-\nles\n"
      "Magnesium(as magnesium bisglycinate)\t2O0\xC2\xA0rng\t48 %\n"
      "Other ingredients: natural \xEF\xAC\x82"
      "avor\n");
  EXPECT_EQ(l.serving.count, 2);
  EXPECT_EQ(l.serving.unit, "capsule");
  EXPECT_EQ(*l.elemental_mg_per_serving, 200);
  EXPECT_EQ(*l.elemental_mg_per_unit, 100);
  EXPECT_THAT(l.compounds, ElementsAre("bisglycinate"));
  EXPECT_TRUE(l.warnings.empty());
}

TEST(Label, RangesWithDashesOrWords) {
  const Label dash = ReadOk(
      "Supplement Facts\nServing Size 1\xE2\x80\x93"
      "2 Capsules\n"
      "Magnesium (as magnesium malate) 150 mg 36%\n");
  EXPECT_EQ(dash.serving.count, 1);
  EXPECT_EQ(dash.serving.count_max, 2);
  EXPECT_TRUE(dash.HasWarning("range"));
  const Label words = ReadOk(
      "Supplement Facts\nServing Size 1 Capsule\n"
      "Magnesium (as citrate) 100 mg 24%\n"
      "Directions: take one to two capsules twice daily.\n");
  ASSERT_TRUE(words.directions.has_value());
  EXPECT_EQ(*words.directions->units_min, 1);
  EXPECT_EQ(*words.directions->units_max, 2);
  EXPECT_EQ(*words.directions->times_max, 2);
}

TEST(Label, MicrogramsGramsAndMillimoles) {
  EXPECT_NEAR(*ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium 0.25 g\n")
                   .elemental_mg_per_serving,
              250, 1e-9);
  EXPECT_NEAR(*ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium 500000 mcg\n")
                   .elemental_mg_per_serving,
              500, 1e-9);
  EXPECT_NEAR(*ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium 500000 \xC2\xB5g\n")
                   .elemental_mg_per_serving,
              500, 1e-9);
  EXPECT_NEAR(
      *ReadOk("Nutrition information per sachet\nMagnesium 4 mmol\n").elemental_mg_per_serving,
      97.22, 1e-9);
}

TEST(Label, MagnesiumStearateIsNotADose) {
  const Label l = ReadOk(
      "Supplement Facts\nServing Size 1 Capsule\nVitamin B6 10 mg 588%\n"
      "Other ingredients: magnesium stearate, silica.\n");
  EXPECT_EQ(*l.elemental_mg_per_serving, 0);
  EXPECT_TRUE(l.compounds.empty());
  EXPECT_TRUE(l.HasWarning("no_magnesium"));
}

TEST(Label, PercentageCheckSaysWhichReference) {
  const Label old =
      ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium (as oxide) 250 mg 63%\n");
  ASSERT_TRUE(old.percent_daily_value.has_value());
  EXPECT_EQ(old.percent_daily_value->reference_id, "us_dv_1968");
  EXPECT_FALSE(old.percent_daily_value->current);
  ASSERT_TRUE(old.HasWarning("percent_dv_older_reference"));
  EXPECT_THAT(old.warnings[0].message, HasSubstr("400 mg"));
  EXPECT_THAT(old.warnings[0].message, HasSubstr("420 mg"));
  const Label wrong =
      ReadOk("Supplement Facts\nServing Size 1 Tablet\nMagnesium (as oxide) 250 mg 20%\n");
  ASSERT_TRUE(wrong.HasWarning("percent_dv_mismatch"));
  EXPECT_THAT(wrong.warnings[0].message, HasSubstr("the label says 20 % but 250 mg is 59.5 %"));
}

TEST(Label, BadTextIsRefusedWithTheLine) {
  std::string with_nul = "Supplement Facts\nMagnesium 200 mg";
  with_nul.push_back('\0');
  with_nul += " 48%\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "the label is empty"},
      {"   \n\t\n", "the label is empty"},
      {with_nul, "line 2: contains the control byte 0x00"},
      {"Supplement Facts\nServing Size 1 Tablet\nMagnesium (as oxide) 2.5.0 mg\n",
       "line 3: 'Magnesium (as oxide) 2.5.0 mg': '2.5.0' is not a number"},
      {std::string(2 << 20, 'a'), "a label is at most 1048576 bytes"},
  };
  for (const auto& [text, message] : cases) {
    auto label = Read(text);
    ASSERT_FALSE(label.ok()) << message;
    EXPECT_EQ(label.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(label.error().message, HasSubstr(message));
  }
}

TEST(Label, JsonHasTheFieldsThePlanReads) {
  const Label l = ReadOk(
      "Supplement Facts\nServing Size 2 Capsules\nServings Per Container 30\n$12.00\n"
      "Magnesium (as magnesium citrate, magnesium malate) 200 mg 48%\n");
  const nlohmann::json j = ToJson(l);
  EXPECT_EQ(j["serving_units"]["count"], 2);
  EXPECT_EQ(j["serving_units"]["unit"], "capsule");
  EXPECT_EQ(j["elemental_mg_per_serving"], 200);
  EXPECT_EQ(j["elemental_mg_per_unit"], 100);
  EXPECT_EQ(j["compounds"], nlohmann::json::array({"citrate", "malate"}));
  EXPECT_EQ(j["warnings"][0]["code"], "several_forms");
  EXPECT_EQ(j["price"]["amount"], 12.0);
  EXPECT_NEAR(j["price_per_serving"].get<double>(), 0.4, 1e-9);
  const Label blend =
      ReadOk("Supplement Facts\nServing Size 1 Capsule\nMagnesium Blend 500 mg (oxide, citrate)\n");
  EXPECT_TRUE(ToJson(blend)["elemental_mg_per_serving"].is_null());
}

// A cheap stand-in for the fuzzer in every test run: the corpus labels, damaged at random (bytes
// flipped, dropped, duplicated, lines cut), must read or fail cleanly, never with a non-finite or
// negative amount.
TEST(Label, DamagedLabelsReadOrFailCleanly) {
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(MG_SOURCE_DIR) +
                                                               "/src/products/testdata/labels")) {
    if (entry.path().extension() != ".txt") continue;
    auto text = ReadFile(entry.path().string());
    ASSERT_TRUE(text.ok());
    seeds.push_back(*text);
  }
  ASSERT_GE(seeds.size(), 40u);
  std::mt19937 random(13);  // Fixed seed: a failure is reproducible.
  int read = 0, refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = seeds[random() % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = random() % text.size();
      switch (random() % 4) {
        case 0:
          text[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          text.erase(at, 1 + random() % 5);
          break;
        case 2:
          text.insert(at, text.substr(at, 1 + random() % 20));
          break;
        default:
          text.resize(at);
      }
    }
    auto label = Read(text);
    if (!label.ok()) {
      ++refused;
      EXPECT_EQ(label.error().code, ErrorCode::kInvalidArgument);
      EXPECT_FALSE(label.error().message.empty());
      continue;
    }
    ++read;
    for (const auto& amount : {label->elemental_mg_per_serving, label->elemental_mg_per_unit}) {
      if (amount) {
        EXPECT_TRUE(std::isfinite(*amount) && *amount >= 0) << text;
      }
    }
    EXPECT_GT(label->serving.count, 0) << text;
    EXPECT_GE(label->serving.count_max, label->serving.count) << text;
  }
  EXPECT_GT(read, 0);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace mg::products
