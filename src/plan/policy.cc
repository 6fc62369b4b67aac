// Loading data/plan/*.toml (policy, food-frequency items, the engine's message texts) and the
// PlanContext, all through the strict data reader (core/data_reader.h).
#include <fmt/args.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "core/archive.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/precompiled.h"
#include "plan/food_ranking.h"
#include "plan/plan.h"
#include "plan/render.h"

namespace mg::plan {
namespace {

using Need = TomlReader::Need;

// A number of a policy table, with its bounds and where it goes.
struct NumberField {
  const char* key;
  double* out;
  NumberRange range;
};
void ReadNumbers(TomlReader& table, std::initializer_list<NumberField> fields) {
  for (const auto& [key, out, range] : fields) {
    if (auto value = table.Number(key, range)) *out = *value;
  }
}

// A table's `citations`: the sources of its facts, each a citation of the knowledge base.
void CheckCitations(TomlReader& table, const kb::KnowledgeBase& kb) {
  for (const auto& id : table.TextList("citations")) {
    if (kb.FindCitation(id) == nullptr) {
      table.Report(fmt::format("citation '{}' is not in data/kb/citations.toml", id),
                   table.LineAt("citations"));
    }
  }
}

}  // namespace

Result<Policy> ParsePolicy(const DataFile& file, const kb::KnowledgeBase& kb) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems,
                 {"verdict", "dose", "timing", "form", "food", "food_group", "children",
                  "risk_groups", "iron", "aggravating_medicines", "complaints", "product"});
  Policy policy;
  if (auto verdict =
          doc.Table("verdict", "[verdict]",
                    {"effective", "possibly_effective", "insufficient_evidence", "not_studied",
                     "likely_ineffective", "min_certainty_to_recommend"})) {
    for (const auto& [name, value] : kb::kVerdictNames) {
      if (auto what = verdict->Enum(name, kVerdictPolicyNames)) policy.verdict[value] = *what;
    }
    if (auto certainty = verdict->Enum("min_certainty_to_recommend", kb::kCertaintyNames)) {
      policy.min_certainty_to_recommend = *certainty;
    }
  }
  const NumberRange non_negative = NumberRange::AtLeast(0);
  const NumberRange positive = NumberRange::Above(0);
  const NumberRange hour = NumberRange::Between(0, 24);
  if (auto dose = doc.Table("dose", "[dose]",
                            {"default_target_mg", "start_mg", "weekly_step_mg", "split_above_mg",
                             "round_to_mg", "min_useful_mg"})) {
    ReadNumbers(*dose, {{"default_target_mg", &policy.default_target_mg, positive},
                        {"start_mg", &policy.start_mg, positive},
                        {"weekly_step_mg", &policy.weekly_step_mg, positive},
                        {"split_above_mg", &policy.split_above_mg, non_negative},
                        {"round_to_mg", &policy.round_to_mg, positive},
                        {"min_useful_mg", &policy.min_useful_mg, non_negative}});
  }
  if (auto timing = doc.Table(
          "timing", "[timing]",
          {"night_dose_hour", "evening_meal_hour", "morning_hour", "earliest_hour", "latest_hour",
           "step_hours", "min_hours_between_doses", "default_medicine_hour"})) {
    ReadNumbers(*timing, {{"night_dose_hour", &policy.night_dose_hour, hour},
                          {"evening_meal_hour", &policy.evening_meal_hour, hour},
                          {"morning_hour", &policy.morning_hour, hour},
                          {"earliest_hour", &policy.earliest_hour, hour},
                          {"latest_hour", &policy.latest_hour, hour},
                          {"step_hours", &policy.step_hours, NumberRange::AboveUpTo(0, 24)},
                          {"min_hours_between_doses", &policy.min_hours_between_doses, hour},
                          {"default_medicine_hour", &policy.default_medicine_hour, hour}});
  }
  if (auto form =
          doc.Table("form", "[form]",
                    {"preference", "laxative_preference", "compound_mg_per_pill", "reasons"})) {
    policy.form_preference = form->TextList("preference");
    policy.laxative_form_preference = form->TextList("laxative_preference");
    if (auto mg = form->Number("compound_mg_per_pill", positive)) policy.compound_mg_per_pill = *mg;
    const toml::table* reasons = form->FreeTable("reasons");
    std::set<std::string> listed;
    for (const auto* list : {&policy.form_preference, &policy.laxative_form_preference}) {
      const int line =
          form->LineAt(list == &policy.form_preference ? "preference" : "laxative_preference");
      for (const auto& id : *list) {
        listed.insert(id);
        const kb::Form* found = kb.FindForm(id);
        if (found == nullptr || found->id != id || found->route != kb::Route::kOral ||
            !found->self_care) {
          form->Report(
              fmt::format("form '{}' is not an oral self-care form of the knowledge base", id),
              line);
        }
        const auto reason = reasons ? (*reasons)[id].value_exact<std::string>() : std::nullopt;
        if (reasons != nullptr && !reason) {
          form->Report(fmt::format("[form.reasons] has no reason for '{}'", id), LineOf(*reasons));
        } else if (reason) {
          policy.form_reasons[id] = *reason;
        }
      }
    }
    // A reason for a form no list names is a misspelt id or a leftover: either way, dead text.
    for (const auto& [key, value] : reasons ? *reasons : toml::table{}) {
      const std::string id(key.str());
      if (!listed.contains(id)) {
        problems.Add(
            file.name, LineOf(value),
            UnknownNameMessage("form", id, "[form.reasons]", {listed.begin(), listed.end()}));
      }
    }
  }
  if (auto food =
          doc.Table("food", "[food]",
                    {"never_suggest_tags", "food_list_from_age_months", "renal_diet_egfr_below",
                     "renal_diet_ckd_stage_at_least", "renal_diet_diagnoses",
                     "full_score_from_mg_per_100kcal", "portion_kcal_at_most", "per_group_first",
                     "per_group_at_most", "citations"})) {
    CheckCitations(*food, kb);
    policy.never_suggest_tags = food->TextList("never_suggest_tags");
    ReadNumbers(
        *food,
        {{"food_list_from_age_months", &policy.food_list_from_age_months, non_negative},
         {"renal_diet_egfr_below", &policy.renal_diet_egfr_below, positive},
         {"full_score_from_mg_per_100kcal", &policy.food_full_score_from_mg_per_100kcal, positive},
         {"portion_kcal_at_most", &policy.food_portion_kcal_at_most, positive}});
    if (auto first = food->Integer("per_group_first", 1, 10)) {
      policy.foods_per_group_first = static_cast<int>(*first);
    }
    if (auto most = food->Integer("per_group_at_most", 1, 10)) {
      policy.foods_per_group_at_most = static_cast<int>(*most);
    }
    if (policy.foods_per_group_at_most < policy.foods_per_group_first) {
      food->Report("per_group_at_most must not be below per_group_first",
                   food->LineAt("per_group_at_most"));
    }
    if (auto stage = food->Integer("renal_diet_ckd_stage_at_least", 1, 5)) {
      policy.renal_diet_ckd_stage_at_least = static_cast<int>(*stage);
    }
    policy.renal_diet_diagnoses = food->TextList("renal_diet_diagnoses");
    for (const auto& id : policy.renal_diet_diagnoses) {
      const kb::Diagnosis* found = kb.FindDiagnosis(id);
      if (found == nullptr || found->id != id) {
        food->Report(fmt::format("diagnosis '{}' is not in the knowledge base", id),
                     food->LineAt("renal_diet_diagnoses"));
      }
    }
  }
  std::set<std::string> grouped;
  for (TomlReader r : doc.Tables("food_group", "food_group", {"name", "categories"})) {
    Policy::FoodGroup group;
    group.name = r.Text("name");
    group.categories = r.TextList("categories");
    group.line = r.LineAt("categories");
    for (const auto& category : group.categories) {
      if (!grouped.insert(category).second) {
        r.Report(fmt::format("category '{}' is already in another [[food_group]]", category),
                 group.line);
      }
    }
    policy.food_groups.push_back(std::move(group));  // Categories: see CheckPolicyReferences.
  }
  if (auto children = doc.Table(
          "children", "[children]",
          {"clinician_set_laxative_below_years", "adult_measures_from_years", "citations"})) {
    CheckCitations(*children, kb);
    ReadNumbers(*children,
                {{"clinician_set_laxative_below_years", &policy.clinician_set_laxative_below_years,
                  non_negative},
                 {"adult_measures_from_years", &policy.adult_measures_from_years, non_negative}});
  }
  if (auto risk = doc.Table("risk_groups", "[risk_groups]",
                            {"interactions", "diagnoses", "sooner_for_conditions", "citations"})) {
    CheckCitations(*risk, kb);
    policy.risk_interactions = risk->TextList("interactions");
    policy.risk_diagnoses = risk->TextList("diagnoses");
    policy.risk_sooner_for_conditions = risk->TextList("sooner_for_conditions");
    auto check = [&](const std::vector<std::string>& ids, const char* key, const char* kind,
                     auto find) {
      for (const auto& id : ids) {
        if (find(id) == nullptr) {
          risk->Report(fmt::format("{} '{}' is not in the knowledge base", kind, id),
                       risk->LineAt(key));
        }
      }
    };
    check(policy.risk_interactions, "interactions", "interaction",
          [&](const std::string& id) { return kb.FindInteraction(id); });
    check(policy.risk_diagnoses, "diagnoses", "diagnosis",
          [&](const std::string& id) { return kb.FindDiagnosis(id); });
    check(policy.risk_sooner_for_conditions, "sooner_for_conditions", "condition",
          [&](const std::string& id) { return kb.FindCondition(id); });
  }
  if (auto product = doc.Table("product", "[product]", {"measure_steps"})) {
    if (const toml::table* steps = product->FreeTable("measure_steps")) {
      for (const auto& [unit, value] : *steps) {
        const auto step = value.value<double>();
        // A step above one unit would round a dose up past what a unit holds.
        if (!step || *step <= 0 || *step > 1) {
          product->Report(fmt::format("measure_steps.{} must be a number above 0 and at most 1",
                                      std::string(unit.str())),
                          LineOf(value));
          continue;
        }
        policy.product_measure_steps[std::string(unit.str())] = *step;
      }
    }
  }
  // A condition id a table names must be the knowledge base's own id (not an alias).
  auto check_conditions = [&](TomlReader& table, const std::vector<std::string>& ids,
                              const char* key) {
    for (const auto& id : ids) {
      const kb::Condition* found = kb.FindCondition(id);
      if (found == nullptr || found->id != id) {
        table.Report(fmt::format("condition '{}' is not in the knowledge base", id),
                     table.LineAt(key));
      }
    }
  };
  if (auto iron = doc.Table("iron", "[iron]",
                            {"conditions", "adult_ferritin_at_or_below_ug_l",
                             "child_ferritin_below_ug_l", "child_below_years", "citations"})) {
    CheckCitations(*iron, kb);
    policy.iron_conditions = iron->TextList("conditions");
    check_conditions(*iron, policy.iron_conditions, "conditions");
    ReadNumbers(*iron, {{"adult_ferritin_at_or_below_ug_l", &policy.adult_ferritin_at_or_below_ug_l,
                         positive},
                        {"child_ferritin_below_ug_l", &policy.child_ferritin_below_ug_l, positive},
                        {"child_below_years", &policy.iron_child_below_years, non_negative}});
  }
  for (TomlReader r :
       doc.Tables("aggravating_medicines", "aggravating_medicines",
                  {"condition", "group", "ingredients", "citations"}, Need::kOptional)) {
    CheckCitations(r, kb);
    Policy::AggravatingMedicines group;
    group.condition_id = r.Text("condition");
    group.group = r.Text("group");
    group.ingredient_ids = r.TextList("ingredients");
    group.line = r.LineAt("ingredients");
    check_conditions(r, {group.condition_id}, "condition");
    policy.aggravating_medicines.push_back(std::move(group));  // Ingredients: see Assemble.
  }
  if (auto complaints =
          doc.Table("complaints", "[complaints]", {"refer_instead_of_self_care", "citations"})) {
    CheckCitations(*complaints, kb);
    policy.refer_instead_of_self_care = complaints->TextList("refer_instead_of_self_care");
    check_conditions(*complaints, policy.refer_instead_of_self_care, "refer_instead_of_self_care");
  }
  if (!problems.empty()) return problems.ToError();
  return policy;
}

std::vector<std::string> CheckPolicyReferences(const Policy& policy, const std::string& policy_file,
                                               const products::Catalogue& catalogue,
                                               const foods::FoodDb& foods) {
  std::vector<std::string> problems;
  for (const auto& group : policy.aggravating_medicines) {
    for (const auto& id : group.ingredient_ids) {
      if (catalogue.FindIngredient(id) != nullptr) continue;
      problems.push_back(fmt::format(
          "{}:{}: [[aggravating_medicines]] '{}': ingredient '{}' is not in the medicines "
          "catalogue (data/medicines/)",
          policy_file, group.line, group.group, id));
    }
  }
  std::set<std::string> categories;
  for (const foods::Food& food : foods.foods()) categories.insert(food.category);
  for (const auto& group : policy.food_groups) {
    for (const auto& category : group.categories) {
      if (categories.contains(category)) continue;
      problems.push_back(fmt::format("{}:{}: [[food_group]] '{}': {}", policy_file, group.line,
                                     group.name,
                                     UnknownNameMessage("category", category, "foods/foods.csv",
                                                        {categories.begin(), categories.end()})));
    }
  }
  return problems;
}

const ChildPortions::Band* ChildPortions::For(double age_years) const {
  for (const Band& band : bands) {
    if (age_years >= band.from_years && age_years < band.below_years) return &band;
  }
  return nullptr;
}

Result<ChildPortions> ParseChildPortions(const DataFile& file, const kb::KnowledgeBase& kb) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"band", "nuts", "sources"});
  ChildPortions out;
  for (TomlReader r :
       doc.Tables("band", "band", {"from_years", "below_years", "factor", "words"})) {
    ChildPortions::Band band;
    band.from_years = r.Number("from_years", NumberRange::Between(0, 18)).value_or(0);
    band.below_years = r.Number("below_years", NumberRange::Between(0, 18)).value_or(0);
    band.factor = r.Number("factor", NumberRange::AboveUpTo(0, 1)).value_or(1);
    band.words = r.Text("words");
    const double previous = out.bands.empty() ? 0 : out.bands.back().below_years;
    if (!(band.below_years > band.from_years) || band.from_years < previous) {
      r.Report(
          "bands must be in age order, each from_years below its below_years, none overlapping");
    }
    out.bands.push_back(std::move(band));
  }
  if (auto nuts = doc.Table("nuts", "[nuts]", {"whole_from_years", "category", "spread_words"})) {
    out.whole_nuts_from_years =
        nuts->Number("whole_from_years", NumberRange::Between(0, 18)).value_or(5);
    out.nut_category = nuts->Text("category");
    out.spread_words = nuts->TextList("spread_words");
  }
  if (auto sources = doc.Table("sources", "[sources]", {"citations"})) {
    CheckCitations(*sources, kb);
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

Result<std::vector<FoodFrequencyItem>> ParseFoodFrequency(const DataFile& file) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"item"});
  std::vector<FoodFrequencyItem> out;
  std::set<std::string> ids;
  for (TomlReader r : doc.Tables("item", "item", {"id", "question", "magnesium_mg", "example"})) {
    FoodFrequencyItem item;
    item.id = r.Text("id");
    item.question = r.Text("question");
    item.magnesium_mg = r.Number("magnesium_mg", NumberRange::Above(0)).value_or(0);
    item.example = r.Text("example");
    if (!item.id.empty() && !ids.insert(item.id).second) {
      r.Report(fmt::format("duplicate item id '{}'", item.id));
    }
    out.push_back(std::move(item));
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

const std::vector<MessageSpec>& MessageSpecs() {
  // The texts the engine writes, by the rule id it records, with the values each text may use.
  // data/plan/messages.toml must hold exactly these (the loader and `data lint` check it).
  static const std::vector<MessageSpec> specs = {
      {"safety.no_reference_row", {"reason"}},
      {"safety.existing_without_limit", {"existing_mg"}},
      {"safety.ul_already_exceeded", {"existing_mg", "ul_mg"}},
      {"medicine.unknown", {"medicine"}},
      {"safety.interaction_review", {"medicine", "class", "effect"}},
      {"preference.topical", {}},
      {"safety.ul_not_established", {}},
      {"safety.studied_dose_above_limit", {"studied_mg", "cap_mg", "ul_mg"}},
      {"safety.studied_dose_above_limit.counting_existing",
       {"studied_mg", "cap_mg", "ul_mg", "existing_mg"}},
      {"dose.no_room_under_limit", {}},
      {"form.pill_limit_exceeded", {"max_pills", "pills"}},
      {"form.none_suitable", {}},
      {"product.form_unsuitable", {"product", "form", "why"}},
      {"product.unit_above_dose", {"product", "unit", "unit_mg", "dose_mg"}},
      {"product.pill_limit", {"max_pills", "product", "mg"}},
      {"product.one_dose", {"product", "unit", "mg", "time"}},
      {"product.label_maximum", {"product", "units", "unit", "mg"}},
      {"product.above_label_suggestion", {"product", "suggested", "unit", "units"}},
      {"safety.no_spaced_slot", {"earliest", "latest", "alternatives"}},
      {"timing.one_dose_only", {"mg", "time"}},
      {"measures.adults_only_left_out", {}},
      {"safety.risk_group", {"causes"}},
      {"safety.risk_group.with_symptoms", {"causes", "complaints"}},
      {"food.ask_renal_team", {}},
      {"food.infant", {}},
      {"safety.child_laxative", {}},
      {"follow_up.trial", {}},
      {"follow_up.journal", {}},
      {"iron.low_ferritin", {"ferritin", "who", "threshold"}},
      {"iron.ferritin_not_low", {"ferritin", "who", "threshold"}},
      {"iron.deficiency", {}},
      {"iron.check_child", {"threshold"}},
      {"medicine.aggravates", {"medicines", "complaint"}},
      {"complaint.refer_first", {"complaint"}},
      {"evidence.adult_dose_for_child", {}},
      {"evidence.adult_dose_no_child_limit", {}},
      {"complaint.refer_first.risk_group", {"complaint", "causes"}},
      {"noted.no_effect", {"fields"}},
  };
  return specs;
}

Result<Messages> ParseMessages(const DataFile& file) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"message"});
  std::vector<std::string> known;
  for (const auto& spec : MessageSpecs()) known.emplace_back(spec.rule);
  Messages out;
  for (TomlReader r : doc.Tables("message", "message", {"rule", "text"}, Need::kRequired, "rule")) {
    const std::string rule = r.Text("rule");
    const std::string text = r.Text("text");
    if (rule.empty()) continue;
    const MessageSpec* spec = nullptr;
    for (const auto& s : MessageSpecs()) {
      if (s.rule == rule) spec = &s;
    }
    if (spec == nullptr) {
      r.Report(UnknownNameMessage("rule", rule, "the engine's messages", known), r.LineAt("rule"));
      continue;
    }
    if (out.text.contains(rule)) {
      r.Report(fmt::format("a second text for rule '{}'", rule));
      continue;
    }
    // Formats the text with every value the engine passes, so a misspelt {placeholder} is a data
    // error here rather than a failure while building someone's plan.
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (const auto& name : spec->args) args.push_back(fmt::arg(name.data(), "x"));
    try {
      (void)fmt::vformat(text, args);
    } catch (const fmt::format_error& e) {  // A library exception, reported as a problem.
      std::string allowed;
      for (const auto& name : spec->args) {
        allowed += fmt::format("{}{{{}}}", allowed.empty() ? "" : ", ", name);
      }
      r.Report(fmt::format("text of rule '{}' does not format ({}); it may use {}", rule, e.what(),
                           allowed.empty() ? "no placeholders" : allowed),
               r.LineAt("text"));
      continue;
    }
    out.text[rule] = text;
  }
  for (const auto& spec : MessageSpecs()) {
    if (!out.text.contains(std::string(spec.rule))) {
      problems.Add(file.name, 1, fmt::format("no [[message]] for rule '{}'", spec.rule));
    }
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

template <typename A>
void Fields(A& a, Messages& messages) {
  a(messages.text);
}

std::string Messages::Encode() const { return archive::Encode(*this); }

std::optional<Messages> Messages::Decode(std::string_view bytes) {
  return archive::Decode<Messages>(bytes);
}

Result<Messages> LoadEmbeddedMessages() {
  // Checking every text by formatting it was ~5 % of `plan`'s start-up (issue 20); the data
  // compiler has done it for the built-in file.
  if (const auto snapshot = precompiled::FindSnapshot("plan-messages")) {
    if (auto decoded = Messages::Decode(*snapshot)) return std::move(*decoded);
  }
  auto file = LoadEmbeddedFile("plan/messages.toml");
  if (!file.ok()) return file.error();
  return ParseMessages(*file);
}

// The binary form of the plan's own data (the snapshot "plan"). A member left out of a list here
// is caught by the data compiler: the decoded data would then differ from what was loaded.
template <typename A>
void Fields(A& a, Policy::FoodGroup& g) {
  a(g.name, g.categories, g.line);
}

template <typename A>
void Fields(A& a, Policy::AggravatingMedicines& m) {
  a(m.condition_id, m.group, m.ingredient_ids, m.line);
}

template <typename A>
void Fields(A& a, Policy& p) {
  a(p.verdict, p.min_certainty_to_recommend, p.default_target_mg, p.start_mg, p.weekly_step_mg,
    p.split_above_mg, p.round_to_mg, p.min_useful_mg, p.night_dose_hour, p.evening_meal_hour,
    p.morning_hour, p.earliest_hour, p.latest_hour, p.step_hours, p.min_hours_between_doses,
    p.default_medicine_hour, p.form_preference, p.laxative_form_preference, p.compound_mg_per_pill,
    p.form_reasons, p.product_measure_steps, p.never_suggest_tags, p.food_list_from_age_months,
    p.renal_diet_egfr_below, p.renal_diet_ckd_stage_at_least, p.renal_diet_diagnoses,
    p.food_full_score_from_mg_per_100kcal, p.food_portion_kcal_at_most, p.foods_per_group_first,
    p.foods_per_group_at_most, p.food_groups, p.clinician_set_laxative_below_years,
    p.adult_measures_from_years, p.risk_interactions, p.risk_diagnoses,
    p.risk_sooner_for_conditions, p.iron_conditions, p.adult_ferritin_at_or_below_ug_l,
    p.child_ferritin_below_ug_l, p.iron_child_below_years, p.aggravating_medicines,
    p.refer_instead_of_self_care);
}

template <typename A>
void Fields(A& a, ChildPortions::Band& b) {
  a(b.from_years, b.below_years, b.factor, b.words);
}

template <typename A>
void Fields(A& a, ChildPortions& c) {
  a(c.bands, c.whole_nuts_from_years, c.nut_category, c.spread_words);
}

template <typename A>
void Fields(A& a, FoodFrequencyItem& f) {
  a(f.id, f.question, f.magnesium_mg, f.example);
}

// A ranked food points into the context's food table (the archive's context).
template <typename A>
void Fields(A& a, RankedFood& r) {
  archive::Pointer(a, r.food, *static_cast<const std::vector<foods::Food>*>(a.context()));
  a(r.mg_per_serving, r.mg_per_100kcal, r.group);
}

// A plan context's binary form holds only the plan's own data: the pieces it is assembled from
// (knowledge base, catalogue, food table...) have snapshots of their own.
template <typename A>
void Fields(A& a, PlanContext& c) {
  a(c.policy, c.child_portions, c.food_frequency, c.foods_by_magnesium);
}

std::string PlanContext::EncodePlanData() const { return archive::Encode(*this, &foods.foods()); }

bool PlanContext::DecodePlanData(std::string_view bytes) {
  PlanContext decoded;  // Only its plan data is read; this context is left alone on failure.
  archive::Reader reader(bytes, &foods.foods());
  reader(decoded);
  if (!reader.ok() || !reader.done()) return false;
  for (const RankedFood& r : decoded.foods_by_magnesium) {
    if (r.food == nullptr || r.group >= decoded.policy.food_groups.size()) return false;
  }
  policy = std::move(decoded.policy);
  child_portions = std::move(decoded.child_portions);
  food_frequency = std::move(decoded.food_frequency);
  foods_by_magnesium = std::move(decoded.foods_by_magnesium);
  return true;
}

bool PlanContext::SamePlanData(const PlanContext& other) const {
  const auto position = [](const PlanContext& c, const RankedFood& r) {
    return r.food - c.foods.foods().data();
  };
  if (!(policy == other.policy && child_portions == other.child_portions &&
        food_frequency == other.food_frequency &&
        foods_by_magnesium.size() == other.foods_by_magnesium.size())) {
    return false;
  }
  for (size_t i = 0; i < foods_by_magnesium.size(); ++i) {
    const RankedFood &a = foods_by_magnesium[i], &b = other.foods_by_magnesium[i];
    if (position(*this, a) != position(other, b) || a.mg_per_serving != b.mg_per_serving ||
        a.mg_per_100kcal != b.mg_per_100kcal || a.group != b.group) {
      return false;
    }
  }
  return true;
}

Result<std::unique_ptr<PlanContext>> PlanContext::Assemble(
    kb::KnowledgeBase kb, chem::CompoundCatalog compounds, dri::ReferenceTables references,
    foods::Exclusions exclusions, products::Catalogue catalogue, bool built_in) {
  auto context = std::make_unique<PlanContext>();
  context->catalogue = std::move(catalogue);
  context->kb = std::move(kb);
  context->compounds = std::move(compounds);
  context->references = std::move(references);
  context->exclusions = std::move(exclusions);
  auto foods = foods::LoadEmbeddedFoods();
  if (!foods.ok()) return foods.error();
  context->foods = std::move(foods).value();
  auto messages = LoadEmbeddedMessages();
  if (!messages.ok()) return messages.error();
  context->messages = std::move(messages).value();
  if (built_in) {
    if (const auto snapshot = precompiled::FindSnapshot("plan");
        snapshot && context->DecodePlanData(*snapshot)) {
      return context;
    }
  }
  auto policy_file = LoadEmbeddedFile("plan/policy.toml");
  if (!policy_file.ok()) return policy_file.error();
  auto policy = ParsePolicy(*policy_file, context->kb);
  if (!policy.ok()) return policy.error();
  context->policy = std::move(policy).value();
  const auto unresolved =
      CheckPolicyReferences(context->policy, policy_file->name, context->catalogue, context->foods);
  if (!unresolved.empty()) return DataError(fmt::format("{}", fmt::join(unresolved, "\n")));
  auto portions_file = LoadEmbeddedFile("plan/child_portions.toml");
  if (!portions_file.ok()) return portions_file.error();
  auto portions = ParseChildPortions(*portions_file, context->kb);
  if (!portions.ok()) return portions.error();
  context->child_portions = std::move(portions).value();
  auto ffq_file = LoadEmbeddedFile("plan/food_frequency.toml");
  if (!ffq_file.ok()) return ffq_file.error();
  auto ffq = ParseFoodFrequency(*ffq_file);
  if (!ffq.ok()) return ffq.error();
  context->food_frequency = std::move(ffq).value();

  // Ranked once without exclusions; plans filter it per person and pick by food group.
  context->foods_by_magnesium = RankFoodsForPlans(context->foods, context->policy);
  return context;
}

void PlanContext::PrewriteJson() { prewritten_json = PrewritePlanJson(*this); }

Result<std::unique_ptr<PlanContext>> PlanContext::Load(const std::optional<std::string>& kb_dir) {
  auto kb = kb::LoadKnowledgeBase(kb_dir);
  if (!kb.ok()) return kb.error();
  auto compounds = chem::CompoundCatalog::Load();
  if (!compounds.ok()) return compounds.error();
  auto references = dri::ReferenceTables::LoadEmbedded();
  if (!references.ok()) return references.error();
  auto exclusions = foods::Exclusions::Load();
  if (!exclusions.ok()) return exclusions.error();
  auto catalogue = products::Catalogue::Load(std::nullopt, *kb, *compounds);
  if (!catalogue.ok()) return catalogue.error();
  return Assemble(std::move(kb).value(), std::move(compounds).value(),
                  std::move(references).value(), std::move(exclusions).value(),
                  std::move(catalogue).value(), /*built_in=*/!kb_dir);
}

}  // namespace mg::plan
