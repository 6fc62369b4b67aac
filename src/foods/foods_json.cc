#include "foods/foods_json.h"

namespace mg::foods {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json ChangesToJson(const std::vector<Change>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"source", c.food->source},
                   {"name", c.food->name},
                   {"portions", c.portions},
                   {"portion", c.food->serving.Label()},
                   {"grams", c.grams},
                   {"magnesium_mg", c.magnesium_mg},
                   {"kcal", c.kcal},
                   {"magnesium_mg_per_portion", c.mg_per_portion},
                   {"magnesium_mg_per_100kcal", c.mg_per_100kcal}});
  }
  return out;
}

json DayToJson(const DayAnalysis& day) {
  json entries = json::array();
  for (const auto& r : day.entries) {
    json e = {{"where", r.entry.where}, {"type", r.entry.product_type},
              {"text", r.entry.text},   {"amount", r.entry.amount},
              {"unit", r.entry.unit},   {"magnesium_mg", OptionalNumber(r.magnesium_mg)},
              {"match", r.match}};
    if (r.food != nullptr) {
      e["food"] = {{"source", r.food->source}, {"name", r.food->name}};
      e["grams"] = r.grams;
    }
    if (!r.compound_id.empty()) e["compound"] = r.compound_id;
    if (!r.reading.empty()) e["reading"] = r.reading;
    if (!r.notes.empty()) e["notes"] = r.notes;
    entries.push_back(e);
  }
  json top = json::array();
  for (const auto& c : day.top_foods) {
    top.push_back({{"name", c.food ? c.food->name : c.text},
                   {"source", c.food ? json(c.food->source) : json(nullptr)},
                   {"magnesium_mg", c.magnesium_mg}});
  }
  return {{"date", day.date},
          {"food_mg", day.food_mg},
          {"supplement_mg", day.supplement_mg},
          {"total_mg", day.total_mg},
          {"gap_mg", OptionalNumber(day.gap_mg)},
          {"supplements_over_ul", day.supplements_over_ul},
          {"top_foods", top},
          {"changes_by_portion", ChangesToJson(day.by_portion)},
          {"changes_by_kcal", ChangesToJson(day.by_kcal)},
          {"foods_without_magnesium_value", day.unknown_magnesium},
          {"entries", entries}};
}

}  // namespace

json FoodToJson(const Food& f) {
  return {{"source", f.source},
          {"name", f.name},
          {"category", f.category},
          {"magnesium_mg_per_100g", OptionalNumber(f.magnesium_mg)},
          {"kcal_per_100g", OptionalNumber(f.kcal)},
          {"serving", {{"label", f.serving.Label()}, {"grams", f.serving.grams}}},
          {"magnesium_mg_per_serving", OptionalNumber(f.MagnesiumIn(f.serving.grams))}};
}

json TargetsToJson(const IntakeTargets& t) {
  return {{"label", t.label},
          {"intake_mg", OptionalNumber(t.intake_mg)},
          {"intake_kind", t.intake_kind},
          {"ear_mg", OptionalNumber(t.ear_mg)},
          {"supplemental_ul_mg", OptionalNumber(t.supplemental_ul_mg)}};
}

json IntakeAnalysisToJson(const IntakeAnalysis& analysis, const std::string& diary_name,
                          const Diary& diary, const FoodDb& db, const ExclusionSet& exclusions) {
  json days = json::array();
  for (const auto& day : analysis.days) days.push_back(DayToJson(day));
  return {{"diary", diary_name},          {"format", diary.format},
          {"foods", db.origin()},         {"targets", TargetsToJson(analysis.targets)},
          {"exclusions", exclusions.ids}, {"days", days}};
}

}  // namespace mg::foods
