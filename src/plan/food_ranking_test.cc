// The plan's food list: ranked per portion and per 100 kcal, varied across food groups, in
// ordinary portions, fitted to exclusions and age (issue 14).
#include "plan/food_ranking.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "core/data_files.h"
#include "plan/plan_test_util.h"

namespace mg::plan {
namespace {

using testing::Context;
using ::testing::HasSubstr;
using testing::ProfileFrom;

double PortionKcal(const foods::Food& food) {
  return food.kcal.value_or(0) * food.serving.grams / 100.0;
}

std::map<const Policy::FoodGroup*, int> CountGroups(const Plan& plan, const Policy& policy) {
  std::map<const Policy::FoodGroup*, int> groups;
  for (const auto& f : plan.foods) ++groups[FoodGroupOf(policy, *f.food)];
  return groups;
}

// The issue's adult: the list was two kinds of seed, natto, a cup of hummus (409 kcal) and
// leafy greens, ranked per portion alone.
TEST(FoodList, AnAdultGetsAVariedListInOrdinaryPortions) {
  const PlanContext& c = Context();
  const Plan plan =
      BuildPlan(ProfileFrom(R"({"age": 40, "sex": "female", "complaints": ["leg cramps"]})"), c);
  ASSERT_EQ(plan.foods.size(), 6u);
  const auto groups = CountGroups(plan, c.policy);
  EXPECT_EQ(groups.size(), plan.foods.size()) << "one food from each of six groups";
  for (const auto& f : plan.foods) {
    EXPECT_NE(FoodGroupOf(c.policy, *f.food), nullptr) << f.food->name;
    EXPECT_LE(PortionKcal(*f.food), c.policy.food_portion_kcal_at_most) << f.food->name;
    EXPECT_THAT(f.food->name, ::testing::Not(HasSubstr("Hummus")));
  }
}

// A calorie-dense portion scores in proportion to its density below the full-score line; a
// portion that is a meal is not listed; a category in no group (sweets) is not listed.
TEST(FoodRanking, ScoresPerPortionAndPer100Kcal) {
  const std::string header =
      "source,name,category,tags,aliases,mg,kcal,calcium_mg,potassium_mg,iron_mg,fibre_g,serving,"
      "portions,usda_description\n";
  // Dense: 40 mg per portion at 80 mg/100 kcal. Filling: more per portion (50 mg) but only
  // 20 mg/100 kcal. Huge: 300 mg in a 500 kcal portion. Sweet: rich and dense, but a sweet.
  auto db = foods::ParseFoodTable(header +
                                      "t:1,Dense,Vegetables,,,40,50,,,,,1 cup=100,,\n"
                                      "t:2,Filling,Legumes,,,50,250,,,,,1 cup=100,,\n"
                                      "t:3,Huge,Grains,,,100,166.7,,,,,1 cup=300,,\n"
                                      "t:4,Sweet,Sweets,,,200,300,,,,,1 oz=50,,\n",
                                  "test.csv");
  ASSERT_TRUE(db.ok()) << db.error().message;
  std::vector<foods::Food> all = db->foods();
  for (auto& f : all) f.common = true;
  const foods::FoodDb foods(std::move(all));
  const Policy& policy = Context().policy;
  const auto ranked = RankFoodsForPlans(foods, policy);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].food->name, "Dense");
  EXPECT_EQ(ranked[1].food->name, "Filling");
  EXPECT_DOUBLE_EQ(FoodScore(policy, ranked[0]), 40);
  EXPECT_DOUBLE_EQ(FoodScore(policy, ranked[1]),
                   50 * 20 / policy.food_full_score_from_mg_per_100kcal);
}

// The group each ranked food carries is the one its category names, and every ranked food has
// one (the list picks by that position, not by looking the category up again).
TEST(FoodRanking, EachRankedFoodCarriesItsGroup) {
  const PlanContext& c = Context();
  ASSERT_FALSE(c.foods_by_magnesium.empty());
  for (const RankedFood& rich : c.foods_by_magnesium) {
    ASSERT_LT(rich.group, c.policy.food_groups.size()) << rich.food->name;
    EXPECT_EQ(&c.policy.food_groups[rich.group], FoodGroupOf(c.policy, *rich.food))
        << rich.food->name;
  }
}

// Every combination of the exclusions people can state (each distinct set of excluded food
// tags once: vegan already holds vegetarian's), for a toddler (spreads only) and an adult:
// nothing excluded is offered, no group gives more than its share, a second food from a group
// only once every group with a suitable food has one, and the list is full whenever it can be.
TEST(FoodList, EveryCombinationOfExclusionsKeepsVarietyAndFit) {
  const PlanContext& c = Context();
  const auto& entries = c.exclusions.entries();
  ASSERT_LT(entries.size(), 16u) << "the subsets would grow too many";
  std::map<std::set<std::string>, std::vector<std::string>> by_tags;
  for (unsigned mask = 0; mask < (1u << entries.size()); ++mask) {
    std::vector<std::string> names;
    std::set<std::string> tags;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!(mask & (1u << i))) continue;
      names.push_back(entries[i].id);
      tags.insert(entries[i].tags.begin(), entries[i].tags.end());
    }
    by_tags.emplace(tags, names);
  }
  long plans = 0;
  for (const double age : {3.0, 40.0}) {
    for (const auto& [tags, names] : by_tags) {
      Profile p;
      p.person = *dri::MakePerson(age * 12, dri::Sex::kFemale, dri::ReproductiveState::kNone);
      p.food_exclusions = *c.exclusions.Resolve(names);
      const Plan plan = BuildPlan(p, c);
      ++plans;
      const auto groups = CountGroups(plan, c.policy);
      const bool seconds = std::any_of(groups.begin(), groups.end(), [&](const auto& g) {
        return g.second > c.policy.foods_per_group_first;
      });
      std::set<const Policy::FoodGroup*> with_suitable;
      size_t suitable = 0;
      for (const auto& rich : c.foods_by_magnesium) {
        const foods::Food& food = *rich.food;
        const bool spreads_only = age < c.child_portions.whole_nuts_from_years &&
                                  food.category == c.child_portions.nut_category &&
                                  food.name.find("butter") == std::string::npos &&
                                  food.name.find("paste") == std::string::npos;
        if (p.food_exclusions.Excludes(food) || spreads_only) continue;
        with_suitable.insert(FoodGroupOf(c.policy, food));
        ++suitable;
      }
      const std::string who = ::testing::PrintToString(names) + " at " + std::to_string(age);
      for (const auto& f : plan.foods) {
        ASSERT_FALSE(p.food_exclusions.Excludes(*f.food)) << f.food->name << " for " << who;
        ASSERT_LE(PortionKcal(*f.food), c.policy.food_portion_kcal_at_most) << f.food->name;
      }
      for (const auto& [group, count] : groups) {
        ASSERT_NE(group, nullptr) << who;
        ASSERT_LE(count, c.policy.foods_per_group_at_most) << group->name << " for " << who;
      }
      if (seconds) {
        for (const auto* group : with_suitable) {
          ASSERT_TRUE(groups.contains(group))
              << group->name << " left out while another group gave two, for " << who;
        }
      }
      const size_t can_fill = std::min<size_t>(
          6, std::min<size_t>(suitable, with_suitable.size() *
                                            static_cast<size_t>(c.policy.foods_per_group_at_most)));
      ASSERT_EQ(plan.foods.size(), can_fill) << who;
    }
  }
  std::cout << "[ foods   ] " << plans << " food lists checked\n";
}

TEST(PolicyReferences, AnUnknownIngredientOrFoodCategoryIsReportedWithItsLine) {
  const PlanContext& c = Context();
  Policy policy = c.policy;
  ASSERT_TRUE(CheckPolicyReferences(policy, "policy.toml", c.catalogue, c.foods).empty());
  ASSERT_FALSE(policy.aggravating_medicines.empty());
  ASSERT_FALSE(policy.food_groups.empty());
  policy.aggravating_medicines[0].ingredient_ids.push_back("not_a_medicine");
  policy.food_groups[0].categories.push_back("Nuts and seed");
  const auto problems = CheckPolicyReferences(policy, "policy.toml", c.catalogue, c.foods);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_THAT(problems[0], HasSubstr(fmt::format("policy.toml:{}: [[aggravating_medicines]]",
                                                 policy.aggravating_medicines[0].line)));
  EXPECT_THAT(problems[0], HasSubstr("'not_a_medicine' is not in the medicines catalogue"));
  EXPECT_THAT(problems[1],
              HasSubstr(fmt::format("policy.toml:{}: [[food_group]] '{}'",
                                    policy.food_groups[0].line, policy.food_groups[0].name)));
  EXPECT_THAT(problems[1], HasSubstr("did you mean 'Nuts and seeds'?"));
}

}  // namespace
}  // namespace mg::plan
