#include "ops/foods.h"

#include "core/json_writer.h"
#include "foods/foods_json.h"
#include "ops/person.h"

namespace mg::ops {

using nlohmann::json;

json FoodSearchResult::ToJson() const {
  json results = json::array();
  for (const auto& hit : hits) {
    json item = foods::FoodToJson(store->db[hit.food]);
    item["score"] = hit.score;
    item["words_matched"] = hit.words_matched;
    item["words_total"] = hit.words_total;
    results.push_back(std::move(item));
  }
  json out = {{"query", query}, {"foods", store->db.origin()}, {"results", std::move(results)}};
  if (did_you_mean) out["did_you_mean"] = *did_you_mean;
  return out;
}

std::string FoodSearchResult::ToText() const {
  std::string text;
  JsonWriter w(text);
  // Keys in byte order, as nlohmann::json's map keeps them (ToJson's document).
  w.BeginObject();
  if (did_you_mean) w.Key("did_you_mean").String(*did_you_mean);
  w.Key("foods").String(store->db.origin());
  w.Key("query").String(query);
  w.Key("results").BeginArray();
  for (const auto& hit : hits) {
    const foods::Food& f = store->db[hit.food];
    w.BeginObject();
    w.Key("category").String(f.category);
    w.Key("kcal_per_100g").Number(f.kcal);
    w.Key("magnesium_mg_per_100g").Number(f.magnesium_mg);
    w.Key("magnesium_mg_per_serving").Number(f.MagnesiumIn(f.serving.grams));
    w.Key("name").String(f.name);
    w.Key("score").Number(hit.score);
    w.Key("serving").BeginObject();
    w.Key("grams").Number(f.serving.grams);
    w.Key("label").String(f.serving.Label());
    w.EndObject();
    w.Key("source").String(f.source);
    w.Key("words_matched").Integer(hit.words_matched);
    w.Key("words_total").Integer(hit.words_total);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return text;
}

Result<FoodSearchResult> SearchFoods(const Context& context, const std::string& query,
                                     size_t limit) {
  if (query.empty()) return InvalidArgument("q: required, the food to look for");
  auto store = context.foods();
  if (!store.ok()) return store.error();
  FoodSearchResult result{query, *store, (*store)->search->Search(query, limit), std::nullopt};
  if (result.hits.empty()) result.did_you_mean = (*store)->search->DidYouMean(query);
  return result;
}

json DiaryResult::ToJson() const {
  return foods::IntakeAnalysisToJson(analysis, name, diary, store->db, exclusions);
}

Result<foods::IntakeAnalysis> ReadDiary(const Context& context, const foods::Diary& diary,
                                        const foods::IntakeTargets& targets,
                                        const foods::IntakeOptions& options) {
  auto store = context.foods();
  if (!store.ok()) return store.error();
  auto compounds = context.compounds();
  if (!compounds.ok()) return compounds.error();
  auto units = context.units();
  if (!units.ok()) return units.error();
  auto catalogue = context.catalogue();
  if (!catalogue.ok()) return catalogue.error();
  return foods::AnalyzeIntake(diary, (*store)->db, *(*store)->search, **catalogue, **compounds,
                              **units, targets, options);
}

Result<DiaryResult> AnalyzeDiary(const Context& context, const DiaryRequest& request) {
  auto person = LookUpPerson(context, request.person);
  if (!person.ok()) return person.error();
  auto exclusions = context.exclusions();
  if (!exclusions.ok()) return exclusions.error();
  auto set = (*exclusions)->Resolve(request.exclude);
  if (!set.ok()) return InvalidArgument("exclude: " + set.error().message);
  auto diary = foods::ParseDiary(request.text, request.name);
  if (!diary.ok()) return diary.error();
  auto store = context.foods();
  if (!store.ok()) return store.error();
  foods::IntakeOptions options;
  options.exclusions = *set;
  auto analysis = ReadDiary(context, *diary, foods::TargetsFor(person->values), options);
  if (!analysis.ok()) return analysis.error();
  return DiaryResult{request.name, std::move(diary).value(), std::move(analysis).value(), *set,
                     *store};
}

}  // namespace mg::ops
