// The JSON shapes of a food and of intake targets; the food shape is shared by `mgadvisor foods
// search|richest --json` and the HTTP API: source, name, category, magnesium_mg_per_100g,
// kcal_per_100g (null when USDA gives none), serving {label, grams}, magnesium_mg_per_serving.
#ifndef MGADVISOR_FOODS_FOODS_JSON_H_
#define MGADVISOR_FOODS_FOODS_JSON_H_

#include <nlohmann/json.hpp>

#include "foods/foods.h"
#include "foods/intake.h"

namespace mg::foods {

nlohmann::json FoodToJson(const Food& food);
// {"label", "intake_mg", "intake_kind", "ear_mg", "supplemental_ul_mg"} (null when not set):
// `mgadvisor intake --json` "targets" and the HTTP API's /api/intake "target".
nlohmann::json TargetsToJson(const IntakeTargets& targets);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_FOODS_JSON_H_
