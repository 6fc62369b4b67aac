// Food search queries as `mgadvisor foods search`, the diary matcher and /api/foods/search send
// them: any bytes, typos and all. Hits must be in range, best first, and no more than asked for.
#include <cstddef>

#include "foods/foods.h"
#include "foods/search.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const foods::FoodDb* db = new foods::FoodDb(fuzz::Loaded(foods::LoadEmbeddedFoods()));
  static const foods::FoodSearch* search =
      new foods::FoodSearch(fuzz::Loaded(foods::FoodSearch::Build(*db)));
  const std::string_view query = fuzz::AsText(data, size);
  (void)foods::SearchTokens(query);
  constexpr size_t kLimit = 10;
  const auto hits = search->Search(query, kLimit);
  fuzz::Check(hits.size() <= kLimit, "more hits than the limit");
  for (size_t i = 0; i < hits.size(); ++i) {
    fuzz::Check(hits[i].food < db->size(), "a hit outside the food table");
    fuzz::Check(i == 0 || hits[i - 1].score >= hits[i].score, "hits not best first");
  }
  return 0;
}
