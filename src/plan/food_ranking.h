// The plan's food list: which curated foods it may suggest, in what order, and how a person's
// list is picked from them. Private to mg_plan (plan.cc, policy.cc, render.cc and their tests).
//
// Ranking per portion alone lets a calorie-heavy cupful win (a cup of hummus: 175 mg and 409
// kcal); ranking per 100 kcal alone fills the list with leafy greens. So a food's score is its
// magnesium per usual portion, counted in full from `[food] full_score_from_mg_per_100kcal` and
// in proportion below it, and the list takes the best food of each food group (`[[food_group]]`)
// before a second from any group.
#ifndef MGADVISOR_PLAN_FOOD_RANKING_H_
#define MGADVISOR_PLAN_FOOD_RANKING_H_

#include <cstddef>
#include <functional>
#include <vector>

#include "foods/foods.h"
#include "plan/plan.h"

namespace mg::plan {

// The food group of `food` (by its foods.csv category); nullptr when no group holds it, and then
// the list never suggests it.
const Policy::FoodGroup* FoodGroupOf(const Policy& policy, const foods::Food& food);

// The score that orders the list: magnesium per portion × min(1, per 100 kcal / full score).
double FoodScore(const Policy& policy, const foods::RichFood& food);

// Every curated food the list may suggest, best score first (ties by name): in a food group, not
// an ingredient, at least 10 mg per portion, a portion of at most `food_portion_kcal_at_most`,
// no tag of `never_suggest_tags`. Each carries its group's position in `policy.food_groups`,
// found once here rather than on every plan (the plan is built six times per request: issue 20).
std::vector<RankedFood> RankFoodsForPlans(const foods::FoodDb& foods, const Policy& policy);

// Up to `limit` foods of `ranked` that `suitable` accepts, in rank order, at most
// `foods_per_group_first` of each group; while the list is short, more from a group up to
// `foods_per_group_at_most`. The result keeps the order of `ranked`; `suitable` is asked about a
// food at most once per round, and only for foods its group still has room for.
std::vector<const RankedFood*> ChooseVariedFoods(
    const std::vector<RankedFood>& ranked, const Policy& policy, size_t limit,
    const std::function<bool(const foods::Food&)>& suitable);

// `rich` as the plan suggests it: an adult's usual portion, or with `child` that band's share of
// it. The server's prewritten food JSON (render.cc) is written from the adult's suggestion, so
// both come from here.
FoodSuggestion SuggestFood(const RankedFood& rich, const ChildPortions::Band* child);

}  // namespace mg::plan

#endif  // MGADVISOR_PLAN_FOOD_RANKING_H_
