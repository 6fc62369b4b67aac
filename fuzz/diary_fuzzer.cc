// Food diaries as `mgadvisor intake FILE` and POST /api/intake/analyze read them: CSV, JSON or a
// Cronometer servings export (ParseDiary tells them apart). Whatever parses is analysed against a
// 45-year-old woman's reference intakes on the built-in foods and rendered as the JSON answer.
#include <cmath>
#include <memory>
#include <string>

#include "foods/foods.h"
#include "foods/foods_json.h"
#include "foods/intake.h"
#include "foods/search.h"
#include "foods/units.h"
#include "fuzz/fuzz_util.h"
#include "plan/plan.h"

namespace {

struct Loaded {
  std::unique_ptr<mg::plan::PlanContext> context =
      mg::fuzz::Loaded(mg::plan::PlanContext::Load(std::nullopt));
  mg::foods::FoodDb foods = mg::fuzz::Loaded(mg::foods::LoadEmbeddedFoods());
  mg::foods::FoodSearch search = mg::fuzz::Loaded(mg::foods::FoodSearch::Build(foods));
  mg::foods::UnitTable units = mg::fuzz::Loaded(mg::foods::UnitTable::LoadEmbedded());
  mg::foods::IntakeTargets targets = mg::foods::TargetsFor(mg::fuzz::Loaded(
      context->references.Lookup(mg::dri::Reference::kUs, {45 * 12, mg::dri::Sex::kFemale})));
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const Loaded* loaded = new Loaded;
  auto diary = foods::ParseDiary(fuzz::AsText(data, size), "diary");
  if (!diary.ok()) return 0;
  auto analysis =
      foods::AnalyzeIntake(*diary, loaded->foods, loaded->search, loaded->context->catalogue,
                           loaded->context->compounds, loaded->units, loaded->targets);
  if (!analysis.ok()) return 0;
  for (const foods::DayAnalysis& day : analysis->days) {
    fuzz::Check(day.total_mg >= 0 && !std::isnan(day.total_mg), "a day total that is not a number");
  }
  // As the server answers (invalid UTF-8 replaced; the CLI's boundary is issue 11 item 4).
  const nlohmann::json json =
      foods::IntakeAnalysisToJson(*analysis, "diary", *diary, loaded->foods, {});
  fuzz::Check(!json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).empty(),
              "an empty answer");
  return 0;
}
