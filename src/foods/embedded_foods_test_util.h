// For foods tests: a fixture holding the embedded food table and its search index.
#ifndef MGADVISOR_FOODS_EMBEDDED_FOODS_TEST_UTIL_H_
#define MGADVISOR_FOODS_EMBEDDED_FOODS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "foods/foods.h"
#include "foods/search.h"

namespace mg::foods {

class EmbeddedFoodsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = LoadEmbeddedFoods();
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto index = FoodSearch::Build(db_);
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::make_unique<FoodSearch>(std::move(index).value());
  }

  FoodDb db_;
  std::unique_ptr<FoodSearch> index_;
};

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_EMBEDDED_FOODS_TEST_UTIL_H_
