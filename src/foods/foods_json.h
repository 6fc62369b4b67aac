// The JSON shapes of a food, of intake targets and of an intake analysis, shared by the CLI's
// --json output and the HTTP API so the two cannot drift. The food shape (`mgadvisor foods
// search|richest --json`, /api/foods/search): source, name, category, magnesium_mg_per_100g,
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
// `mgadvisor intake --json` and POST /api/intake/analyze: {"diary": diary_name, "format",
// "foods": db.origin(), "targets", "exclusions", "days": [{"date", "food_mg", "supplement_mg",
// "total_mg", "gap_mg", "supplements_over_ul", "top_foods", "changes_by_portion",
// "changes_by_kcal", "foods_without_magnesium_value", "entries"}]}.
nlohmann::json IntakeAnalysisToJson(const IntakeAnalysis& analysis, const std::string& diary_name,
                                    const Diary& diary, const FoodDb& db,
                                    const ExclusionSet& exclusions);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_FOODS_JSON_H_
