#include "plan/food_ranking.h"

#include <algorithm>

namespace mg::plan {

const Policy::FoodGroup* FoodGroupOf(const Policy& policy, const foods::Food& food) {
  for (const Policy::FoodGroup& group : policy.food_groups) {
    if (std::find(group.categories.begin(), group.categories.end(), food.category) !=
        group.categories.end()) {
      return &group;
    }
  }
  return nullptr;
}

double FoodScore(const Policy& policy, const foods::RichFood& food) {
  const double density = food.mg_per_100kcal / policy.food_full_score_from_mg_per_100kcal;
  return food.mg_per_serving * std::min(1.0, density);
}

std::vector<RankedFood> RankFoodsForPlans(const foods::FoodDb& foods, const Policy& policy) {
  std::vector<RankedFood> out;
  for (const foods::RichFood& rich :
       foods::RichestInMagnesium(foods, foods::ExclusionSet{}, {.limit = foods.size()})) {
    const foods::Food& food = *rich.food;
    const Policy::FoodGroup* group = FoodGroupOf(policy, food);
    if (group == nullptr) continue;
    if (std::any_of(policy.never_suggest_tags.begin(), policy.never_suggest_tags.end(),
                    [&](const std::string& tag) { return food.HasTag(tag); })) {
      continue;
    }
    // Unknown energy counts as too much: the list cannot say the portion is a small change.
    if (!food.kcal || *food.kcal * food.serving.grams / 100.0 > policy.food_portion_kcal_at_most) {
      continue;
    }
    out.push_back({rich, static_cast<size_t>(group - policy.food_groups.data())});
  }
  std::stable_sort(out.begin(), out.end(), [&](const RankedFood& a, const RankedFood& b) {
    const double sa = FoodScore(policy, a), sb = FoodScore(policy, b);
    if (sa != sb) return sa > sb;
    return a.food->name < b.food->name;
  });
  return out;
}

std::vector<const RankedFood*> ChooseVariedFoods(
    const std::vector<RankedFood>& ranked, const Policy& policy, size_t limit,
    const std::function<bool(const foods::Food&)>& suitable) {
  // Positions in `ranked` of the foods chosen: a handful, so a linear look-up beats a bit per
  // ranked food (the list holds hundreds and the loop usually stops within the first dozens).
  std::vector<size_t> chosen;
  std::vector<int> per_group(policy.food_groups.size(), 0);
  for (const int cap : {policy.foods_per_group_first, policy.foods_per_group_at_most}) {
    for (size_t i = 0; i < ranked.size() && chosen.size() < limit; ++i) {
      int& taken = per_group[ranked[i].group];
      if (taken >= cap || std::find(chosen.begin(), chosen.end(), i) != chosen.end() ||
          !suitable(*ranked[i].food)) {
        continue;
      }
      chosen.push_back(i);
      ++taken;
    }
  }
  std::sort(chosen.begin(), chosen.end());
  std::vector<const RankedFood*> out;
  out.reserve(chosen.size());
  for (const size_t i : chosen) out.push_back(&ranked[i]);
  return out;
}

FoodSuggestion SuggestFood(const RankedFood& rich, const ChildPortions::Band* child) {
  const double factor = child != nullptr ? child->factor : 1;
  return {rich.food, rich.mg_per_serving * factor, rich.mg_per_100kcal,
          rich.food->serving.grams * factor, child};
}

}  // namespace mg::plan
