// Food operations: search (`foods search`, GET /api/foods/search) and the analysis of a food
// diary against a person's reference intakes (`intake DIARY`, POST /api/intake/analyze).
#ifndef MGADVISOR_OPS_FOODS_H_
#define MGADVISOR_OPS_FOODS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "dri/dri.h"
#include "foods/intake.h"
#include "foods/search.h"
#include "ops/context.h"

namespace mg::ops {

struct FoodSearchResult {
  std::string query;
  const FoodStore* store = nullptr;
  std::vector<foods::SearchHit> hits;
  std::optional<std::string> did_you_mean;  // Only when nothing was found (FoodSearch::DidYouMean).

  // {"query", "foods": origin, "results": [food + score, words_matched, words_total]}, and
  // "did_you_mean" when there is a suggestion.
  nlohmann::json ToJson() const;
  // The same document as text, byte for byte ToJson().dump(2) (bad UTF-8 replaced as the server
  // does), written without building the tree: the search route answers with it (issue 20).
  std::string ToText() const;
};
// Errors: kInvalidArgument "q: required" for an empty query; loader errors.
Result<FoodSearchResult> SearchFoods(const Context& context, const std::string& query,
                                     size_t limit);

// Every row of a parsed diary read as `intake` reads it (foods::AnalyzeIntake, on the food store,
// the medicines and compound catalogues and the units), against `targets` (empty: only the
// reading of each row is wanted, as when a diary is imported into the journal). Errors: loader
// errors; the diary's errors naming name:line, the field and the value.
Result<foods::IntakeAnalysis> ReadDiary(const Context& context, const foods::Diary& diary,
                                        const foods::IntakeTargets& targets,
                                        const foods::IntakeOptions& options = {});

struct DiaryRequest {
  std::string text;  // The diary: CSV, JSON or a Cronometer export (foods/intake.h).
  std::string name;  // Names it in messages (name:line) and in the result.
  dri::PersonFields person;
  std::vector<std::string> exclude;  // Foods to leave out of suggestions ("vegan").
};

struct DiaryResult {
  std::string name;
  foods::Diary diary;
  foods::IntakeAnalysis analysis;
  foods::ExclusionSet exclusions;
  const FoodStore* store = nullptr;

  nlohmann::json ToJson() const;  // foods::IntakeAnalysisToJson.
};
// Errors: person errors naming the field; "exclude: ..." for an unknown exclusion; the diary's
// errors naming name:line, the field and the value.
Result<DiaryResult> AnalyzeDiary(const Context& context, const DiaryRequest& request);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_FOODS_H_
