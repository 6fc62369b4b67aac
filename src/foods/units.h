// How much a diary amount weighs: "2 tbsp" of tahini, "1 cup" of spinach, "3 oz" of salmon.
// Mass units convert directly; volume units and household measures ("1 medium", "1 slice")
// convert through the food's own USDA portion weights. Unit facts: data/foods/units.toml.
#ifndef MGADVISOR_FOODS_UNITS_H_
#define MGADVISOR_FOODS_UNITS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "foods/foods.h"

namespace mg::foods {

struct UnitDef {
  enum class Kind { kMass, kVolume };
  std::string id;  // "g", "cup", "fl oz"
  Kind kind = Kind::kMass;
  double size = 1;  // Grams (mass) or millilitres (volume).
  std::vector<std::string> synonyms;
};

class UnitTable {
 public:
  // data/foods/units.toml. Errors: kDataError with every problem, file:line each.
  static Result<UnitTable> LoadEmbedded();
  static Result<UnitTable> Parse(const DataFile& file);
  // The unit named by `text` (id or synonym, ignoring case and punctuation); nullptr if none.
  const UnitDef* Find(std::string_view text) const;

 private:
  std::vector<UnitDef> units_;
};

// Grams in `amount` `unit` of `food`. `unit` may be a mass or volume unit, "serving", or a
// household measure the food lists ("medium", "slice", "container").
// Errors: kInvalidArgument when the amount is not positive or the unit does not apply to this
// food; the message lists the measures that do.
Result<double> GramsOf(const Food& food, double amount, std::string_view unit,
                       const UnitTable& units);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_UNITS_H_
