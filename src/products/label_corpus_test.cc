// The label corpus (src/products/testdata/labels/corpus.toml): every label is read and compared
// with the results written next to it; bad labels must fail with an error naming the line.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <set>

#include "products/label.h"
#include "products/products_json.h"
#include "products/products_test_util.h"

namespace mg::products {
namespace {

using testing::Compounds;
using testing::EmbeddedCatalogue;
using ::testing::HasSubstr;

const std::string kCorpusDir = std::string(MG_SOURCE_DIR) + "/src/products/testdata/labels/";

std::vector<toml::table> CorpusEntries() {
  auto text = ReadFile(kCorpusDir + "corpus.toml");
  EXPECT_TRUE(text.ok());
  std::vector<toml::table> out;
  if (!text.ok()) return out;
  const toml::table root = toml::parse(std::string_view(*text), std::string_view("corpus.toml"));
  for (const toml::node& entry : *root["label"].as_array()) out.push_back(*entry.as_table());
  return out;
}

std::vector<std::string> Strings(const toml::table& t, std::string_view key) {
  std::vector<std::string> out;
  if (const toml::array* array = t[key].as_array()) {
    for (const toml::node& item : *array) out.push_back(*item.value<std::string>());
  }
  return out;
}

// Compares an optional number with the corpus: a number, "unknown" (nullopt) or absent (skip).
void ExpectAmount(const toml::table& t, std::string_view key, const std::optional<double>& actual) {
  const toml::node* expected = t.get(key);
  if (expected == nullptr) return;
  if (expected->is_string()) {
    EXPECT_FALSE(actual.has_value()) << key << " should be unknown, is " << actual.value_or(-1);
    return;
  }
  ASSERT_TRUE(actual.has_value()) << key << " is unknown";
  EXPECT_NEAR(*actual, *expected->value<double>(), 0.005) << key;
}

TEST(LabelCorpus, EveryLabelReadsAsExpected) {
  const auto entries = CorpusEntries();
  int good = 0, bad = 0;
  for (const toml::table& t : entries) {
    const std::string file = *t["file"].value<std::string>();
    SCOPED_TRACE(file);
    auto text = ReadFile(kCorpusDir + file);
    ASSERT_TRUE(text.ok());
    auto label = ReadLabel(*text, Compounds(), EmbeddedCatalogue().daily_values());
    if (const auto error = t["error"].value<std::string>()) {
      ++bad;
      ASSERT_FALSE(label.ok()) << "a bad label was read";
      EXPECT_EQ(label.error().code, ErrorCode::kInvalidArgument);
      EXPECT_THAT(label.error().message,
                  HasSubstr(fmt::format("line {}:", *t["error_line"].value<int>())));
      EXPECT_THAT(label.error().message, HasSubstr(*error));
      continue;
    }
    ++good;
    ASSERT_TRUE(label.ok()) << label.error().message;
    const Label& l = *label;
    EXPECT_EQ(ToString(l.panel), *t["panel"].value<std::string>());
    if (const auto count = t["serving_count"].value<double>()) {
      EXPECT_FALSE(l.serving.assumed);
      EXPECT_EQ(l.serving.count, *count);
      EXPECT_EQ(l.serving.count_max, t["serving_count_max"].value_or(*count));
      EXPECT_EQ(l.serving.unit, *t["serving_unit"].value<std::string>());
    } else {
      EXPECT_TRUE(l.serving.assumed);
    }
    if (const auto grams = t["serving_grams"].value<double>()) {
      EXPECT_EQ(l.serving.grams.value_or(-1), *grams);
    }
    ExpectAmount(t, "per_serving", l.elemental_mg_per_serving);
    ExpectAmount(t, "per_unit", l.elemental_mg_per_unit);
    EXPECT_EQ(l.compounds, Strings(t, "compounds"));
    std::set<std::string> codes;
    for (const auto& w : l.warnings) codes.insert(w.code);
    const auto expected_codes = Strings(t, "warnings");
    EXPECT_EQ(codes, std::set<std::string>(expected_codes.begin(), expected_codes.end())) << [&] {
      std::string all;
      for (const auto& w : l.warnings) all += w.code + ": " + w.message + "\n";
      return all;
    }();
    if (const auto percent = t["percent"].value<double>()) {
      ASSERT_TRUE(l.percent_daily_value.has_value());
      EXPECT_EQ(l.percent_daily_value->stated, *percent);
      EXPECT_EQ(l.percent_daily_value->reference_id, *t["percent_reference"].value<std::string>());
    } else {
      EXPECT_FALSE(l.percent_daily_value.has_value());
    }
    ExpectAmount(t, "servings_per_container", l.servings_per_container);
    ExpectAmount(t, "price_per_serving", l.price_per_serving);
    if (const auto price = t["price"].value<double>()) {
      ASSERT_TRUE(l.price.has_value());
      EXPECT_EQ(l.price->amount, *price);
      EXPECT_EQ(l.price->currency, *t["currency"].value<std::string>());
    }
    const Directions d = l.directions.value_or(Directions{});
    ExpectAmount(t, "units_min", d.units_min);
    ExpectAmount(t, "units_max", d.units_max);
    ExpectAmount(t, "times_min", d.times_min);
    ExpectAmount(t, "times_max", d.times_max);
    ExpectAmount(t, "max_per_day", d.max_units_per_day);
    // The JSON carries what the plan and the page read.
    const nlohmann::json j = ToJson(l);
    for (const char* key : {"serving_units", "elemental_mg_per_serving", "elemental_mg_per_unit",
                            "compounds", "warnings"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["compounds"].size(), l.compounds.size());
  }
  EXPECT_GE(good, 40);
  EXPECT_GE(bad, 7);
}

}  // namespace
}  // namespace mg::products
