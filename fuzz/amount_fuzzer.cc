// Amounts as people type them: magnesium and compound amounts ("500 mg", "10mmol", "20 mEq";
// chem/units) for `elemental`, `convert` and profiles, and diary portions ("2 tbsp", "1 medium";
// foods/units) weighed against a food's own USDA portions; and amounts of something taken
// ("400 mg compound", "1-2 tablets", "30 mL"; products::ParseStatedAmount) for the plan, the diary
// and the journal.
#include <cmath>
#include <string>

#include "chem/units.h"
#include "core/numbers.h"
#include "foods/foods.h"
#include "foods/units.h"
#include "fuzz/fuzz_util.h"
#include "products/magnesium_count.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const foods::FoodDb* db = new foods::FoodDb(fuzz::Loaded(foods::LoadEmbeddedFoods()));
  static const foods::UnitTable* units =
      new foods::UnitTable(fuzz::Loaded(foods::UnitTable::LoadEmbedded()));
  const std::string_view text = fuzz::AsText(data, size);

  if (auto amount = chem::ParseAmount(text); amount.ok()) {
    fuzz::Check(std::isfinite(amount->value) && amount->value >= 0,
                "a negative or infinite amount");
    const double mg = chem::MagnesiumMilligrams(*amount);
    fuzz::Check(!std::isnan(mg) && mg >= 0, "magnesium that is not a non-negative number");
  }

  if (auto taken = products::ParseStatedAmount(text); taken.ok()) {
    fuzz::Check(std::isfinite(taken->value) && taken->value >= 0 &&
                    taken->value_max >= taken->value && std::isfinite(taken->value_max),
                "a stated amount that is negative, infinite or a backwards range");
  }

  // "<quantity> <unit>" for one food, picked by the input so each run weighs a different one.
  const size_t space = text.find(' ');
  const auto quantity = ParseFiniteNumber(text.substr(0, space));
  if (!quantity || space == std::string_view::npos || db->size() == 0) return 0;
  const std::string_view unit = text.substr(space + 1);
  (void)units->Find(unit);
  const foods::Food& food = (*db)[std::hash<std::string_view>()(text) % db->size()];
  if (auto grams = foods::GramsOf(food, *quantity, unit, *units); grams.ok()) {
    fuzz::Check(!std::isnan(*grams) && *grams >= 0, "a portion that is not a weight");
  }
  return 0;
}
