#include "plan/food_ranking.h"

#include <algorithm>
#include <map>

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

std::vector<foods::RichFood> RankFoodsForPlans(const foods::FoodDb& foods, const Policy& policy) {
  std::vector<foods::RichFood> out;
  for (const foods::RichFood& rich :
       foods::RichestInMagnesium(foods, foods::ExclusionSet{}, {.limit = foods.size()})) {
    const foods::Food& food = *rich.food;
    if (FoodGroupOf(policy, food) == nullptr) continue;
    if (std::any_of(policy.never_suggest_tags.begin(), policy.never_suggest_tags.end(),
                    [&](const std::string& tag) { return food.HasTag(tag); })) {
      continue;
    }
    // Unknown energy counts as too much: the list cannot say the portion is a small change.
    if (!food.kcal || *food.kcal * food.serving.grams / 100.0 > policy.food_portion_kcal_at_most) {
      continue;
    }
    out.push_back(rich);
  }
  std::stable_sort(out.begin(), out.end(), [&](const foods::RichFood& a, const foods::RichFood& b) {
    const double sa = FoodScore(policy, a), sb = FoodScore(policy, b);
    if (sa != sb) return sa > sb;
    return a.food->name < b.food->name;
  });
  return out;
}

std::vector<const foods::RichFood*> ChooseVariedFoods(
    const std::vector<foods::RichFood>& ranked, const Policy& policy, size_t limit,
    const std::function<bool(const foods::Food&)>& suitable) {
  std::vector<bool> chosen(ranked.size(), false);
  std::map<const Policy::FoodGroup*, int> per_group;
  size_t count = 0;
  for (const int cap : {policy.foods_per_group_first, policy.foods_per_group_at_most}) {
    for (size_t i = 0; i < ranked.size() && count < limit; ++i) {
      if (chosen[i]) continue;
      const foods::Food& food = *ranked[i].food;
      const Policy::FoodGroup* group = FoodGroupOf(policy, food);
      if (group == nullptr || per_group[group] >= cap || !suitable(food)) continue;
      chosen[i] = true;
      ++per_group[group];
      ++count;
    }
  }
  std::vector<const foods::RichFood*> out;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (chosen[i]) out.push_back(&ranked[i]);
  }
  return out;
}

}  // namespace mg::plan
