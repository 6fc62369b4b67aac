// The search quality set (src/foods/testdata/search_queries.tsv) and its scoring, shared by the
// quality test and the benchmark so both report the same figures.
#ifndef MGADVISOR_FOODS_SEARCH_QUALITY_H_
#define MGADVISOR_FOODS_SEARCH_QUALITY_H_

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace mg::foods {

struct QualityQuery {
  std::string query;
  std::vector<std::string> expected;  // Acceptable food sources; any of them counts as a hit.
};

// Parses "query<TAB>source|source" lines; '#' starts a comment line.
// Errors: kDataError naming name:line.
Result<std::vector<QualityQuery>> ParseQualityQueries(const std::string& text,
                                                      const std::string& name);

struct QualityScore {
  size_t queries = 0;
  size_t top1 = 0;
  size_t top5 = 0;
  std::vector<std::string> misses;  // "query -> got a, b, c" for queries missing the top 5.
  double Top1() const { return queries ? static_cast<double>(top1) / queries : 0; }
  double Top5() const { return queries ? static_cast<double>(top5) / queries : 0; }
};

// Scores a search function that returns the sources of its top results, best first.
QualityScore ScoreQuality(
    const std::vector<QualityQuery>& queries,
    const std::function<std::vector<std::string>(const std::string&)>& search);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_SEARCH_QUALITY_H_
