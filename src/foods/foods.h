// Foods and their magnesium: the embedded default table (data/foods/foods.csv, about 300 common
// foods from USDA SR28), stores imported from USDA downloads, household portions, and the
// "richest in magnesium, honouring exclusions" query the plan engine uses for food suggestions.
//
// Start here:
//   auto db = foods::LoadEmbeddedFoods();                       // or LoadFoods(store_path)
//   auto excl = foods::Exclusions::Load()->Resolve({"vegan", "nut allergy"});
//   auto best = foods::RichestInMagnesium(*db, *excl, {.limit = 5});
//
// Values are per 100 g of edible portion, as USDA publishes them; a nutrient USDA does not give
// is std::nullopt, never 0. Search lives in foods/search.h, import in foods/import.h, diary
// analysis in foods/intake.h. Everything here is immutable after loading and safe to share
// between threads.
#ifndef MGADVISOR_FOODS_FOODS_H_
#define MGADVISOR_FOODS_FOODS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/data_files.h"
#include "core/error.h"

namespace mg::foods {

// A household measure with its gram weight: "1 cup, chopped" = 91 g.
struct Portion {
  double amount = 1;          // The leading number of the label (1, 0.5, 3...).
  std::string unit;           // The rest of the label: "cup, chopped", "oz", "medium (7\" long)".
  double grams = 0;           // Weight of `amount` of `unit`.
  std::string Label() const;  // "1 cup, chopped"

  bool operator==(const Portion&) const = default;
};

struct Food {
  std::string source;             // Dataset and id: "sr28:12014", "fndds:43101150", "fdc:2346393".
  std::string name;               // As shown to people.
  std::string category;           // "Nuts and seeds", or the USDA food group / WWEIA category.
  std::vector<std::string> tags;  // For exclusions: "tree_nut", "dairy", "animal"...
  std::vector<std::string> aliases;  // Other names search should find it by.
  // Per 100 g edible portion.
  std::optional<double> magnesium_mg, kcal, calcium_mg, potassium_mg, iron_mg, fibre_g;
  Portion serving;                // The usual portion ("1 oz", "1 cup"); 100 g when unknown.
  std::vector<Portion> portions;  // All household measures, USDA order.
  std::string usda_description;   // USDA's own description when `name` differs.
  bool common = false;            // In the curated table: ranked first by search.

  bool HasTag(std::string_view tag) const;
  // Magnesium in `grams` of this food; nullopt when the magnesium value is unknown.
  std::optional<double> MagnesiumIn(double grams) const;

  bool operator==(const Food&) const = default;
};

// An immutable list of foods with lookup by source id.
class FoodDb {
 public:
  FoodDb() = default;
  explicit FoodDb(std::vector<Food> foods);

  const std::vector<Food>& foods() const { return foods_; }
  size_t size() const { return foods_.size(); }
  const Food& operator[](size_t i) const { return foods_[i]; }
  // nullptr when absent.
  const Food* FindBySource(std::string_view source) const;
  // Where the foods came from, for messages: "embedded table" or a store path.
  const std::string& origin() const { return origin_; }
  void set_origin(std::string origin) { origin_ = std::move(origin); }
  // True for the table LoadEmbeddedFoods() returns (whose search index the build keeps).
  bool is_embedded_table() const { return embedded_table_; }

 private:
  std::vector<Food> foods_;
  std::unordered_map<std::string, size_t> by_source_;
  std::string origin_;
  bool embedded_table_ = false;
  friend Result<FoodDb> LoadEmbeddedFoods();
};

// The curated table compiled into the binary (data/foods/foods.csv).
// Errors: kDataError with file:line if the table is malformed (a build-time bug).
Result<FoodDb> LoadEmbeddedFoods();

// The embedded table's foods as LoadEmbeddedFoods() reads them, in the binary form of
// core/archive.h, and back. The build keeps them in this form (core/precompiled.h, snapshot
// "foods"), which LoadEmbeddedFoods() decodes instead of parsing the CSV again.
std::string EncodeFoods(const std::vector<Food>& foods);
std::optional<std::vector<Food>> DecodeFoods(std::string_view bytes);

// Parses a food table or store (the CSV layout of data/foods/foods.csv); `name` appears in errors.
// Errors: kDataError naming name:line and the field.
Result<FoodDb> ParseFoodTable(std::string_view text, const std::string& name);

// Where `foods import` writes by default: $XDG_DATA_HOME/mgadvisor/foods.csv, else
// $HOME/.local/share/mgadvisor/foods.csv.
std::string DefaultStorePath();

// The foods commands use: the store at `store_path` when given (kNotFound if missing); else the
// default store when it exists; else the embedded table. Imported stores mark the foods of the
// embedded table as common.
Result<FoodDb> LoadFoods(const std::optional<std::string>& store_path);

// Dietary exclusions (data/foods/exclusions.toml): "vegan", "nut allergy", "gluten free"...
struct ExclusionSet {
  std::vector<std::string> ids;   // Resolved exclusion ids, e.g. "vegan", "nut_allergy".
  std::vector<std::string> tags;  // Union of their tags.
  bool Excludes(const Food& food) const;
};

class Exclusions {
 public:
  // data/foods/exclusions.toml. Errors: kDataError with every problem, file:line each.
  static Result<Exclusions> Load();
  static Result<Exclusions> Parse(const DataFile& file);
  // Resolves names people write. Errors: kInvalidArgument naming the unknown exclusion (quoted)
  // and the known ones; the caller prefixes the field ("--exclude", "food_exclusions").
  Result<ExclusionSet> Resolve(const std::vector<std::string>& names) const;
  struct Entry {
    std::string id;
    std::vector<std::string> synonyms;
    std::vector<std::string> tags;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

enum class RichRanking { kPerPortion, kPerKcal };

struct RichestOptions {
  size_t limit = 10;
  RichRanking ranking = RichRanking::kPerPortion;
  bool common_only = true;  // Only curated foods (keeps suggestions to things people recognise).
  bool skip_ingredients = true;  // Leave out foods tagged "ingredient" (flour, dry pulses, spices).
  // Leave out foods whose usual portion gives less than this (tea and water top a per-kcal list
  // with next to no magnesium).
  double min_mg_per_serving = 10;
};

struct RichFood {
  const Food* food = nullptr;  // Points into the FoodDb passed in; valid while it lives.
  double mg_per_serving = 0;
  double mg_per_100kcal = 0;  // 0 when energy is unknown or zero.
};

// Foods richest in magnesium per usual portion (or per 100 kcal), skipping excluded foods and
// foods without a magnesium value. Ties broken by name, so the order is stable.
std::vector<RichFood> RichestInMagnesium(const FoodDb& db, const ExclusionSet& exclusions,
                                         const RichestOptions& options = {});

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_FOODS_H_
