#include "foods/foods_json.h"

namespace mg::foods {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json FoodToJson(const Food& f) {
  return {{"source", f.source},
          {"name", f.name},
          {"category", f.category},
          {"magnesium_mg_per_100g", OptionalNumber(f.magnesium_mg)},
          {"kcal_per_100g", OptionalNumber(f.kcal)},
          {"serving", {{"label", f.serving.Label()}, {"grams", f.serving.grams}}},
          {"magnesium_mg_per_serving", OptionalNumber(f.MagnesiumIn(f.serving.grams))}};
}

json TargetsToJson(const IntakeTargets& t) {
  return {{"label", t.label},
          {"intake_mg", OptionalNumber(t.intake_mg)},
          {"intake_kind", t.intake_kind},
          {"ear_mg", OptionalNumber(t.ear_mg)},
          {"supplemental_ul_mg", OptionalNumber(t.supplemental_ul_mg)}};
}

}  // namespace mg::foods
