// Loading of data/plan/*.toml and the PlanContext.
#include <fmt/format.h>

#include "core/data_files.h"
#include "core/toml_parse.h"
#include "plan/plan.h"

namespace mg::plan {
namespace {

// Reads a required positive number `section.key`, naming file:line when it is missing or bad.
Status ReadNumber(const toml::table& root, const std::string& file, const char* section,
                  const char* key, double& out) {
  const toml::node* node = root.at_path(std::string(section) + "." + key).node();
  const auto value = node ? node->value<double>() : std::nullopt;
  if (!value || *value < 0) {
    const int line = node ? static_cast<int>(node->source().begin.line) : 1;
    return DataError(
        fmt::format("{}:{}: [{}] {} must be a non-negative number", file, line, section, key));
  }
  out = *value;
  return {};
}

Result<std::vector<std::string>> ReadStrings(const toml::table& root, const std::string& file,
                                             const std::string& path) {
  const toml::array* array = root.at_path(path).as_array();
  if (array == nullptr || array->empty()) {
    return DataError(fmt::format("{}: {} must be a non-empty list of strings", file, path));
  }
  std::vector<std::string> out;
  for (const auto& item : *array) {
    const auto text = item.value<std::string>();
    if (!text) {
      return DataError(
          fmt::format("{}:{}: {} must hold strings", file, item.source().begin.line, path));
    }
    out.push_back(*text);
  }
  return out;
}

Result<Policy> ParsePolicy(const DataFile& file, const kb::KnowledgeBase& kb) {
  auto parsed = ParseToml(file);
  if (!parsed.ok()) return parsed.error();
  const toml::table& root = *parsed;
  Policy policy;
  const std::pair<kb::Verdict, const char*> verdicts[] = {
      {kb::Verdict::kEffective, "effective"},
      {kb::Verdict::kPossiblyEffective, "possibly_effective"},
      {kb::Verdict::kInsufficientEvidence, "insufficient_evidence"},
      {kb::Verdict::kNotStudied, "not_studied"},
      {kb::Verdict::kLikelyIneffective, "likely_ineffective"}};
  for (const auto& [verdict, key] : verdicts) {
    const toml::node* node = root.at_path(std::string("verdict.") + key).node();
    const std::string value = node ? node->value_or(std::string()) : "";
    const int line = node ? static_cast<int>(node->source().begin.line) : 1;
    if (value == "recommend") {
      policy.verdict[verdict] = VerdictPolicy::kRecommend;
    } else if (value == "trial") {
      policy.verdict[verdict] = VerdictPolicy::kTrial;
    } else if (value == "do_not_recommend") {
      policy.verdict[verdict] = VerdictPolicy::kDoNotRecommend;
    } else {
      return DataError(
          fmt::format("{}:{}: [verdict] {} must be recommend, trial or "
                      "do_not_recommend, not '{}'",
                      file.name, line, key, value));
    }
  }
  {
    const toml::node* node = root.at_path("verdict.min_certainty_to_recommend").node();
    const std::string value = node ? node->value_or(std::string()) : "";
    const std::pair<kb::Certainty, const char*> certainties[] = {
        {kb::Certainty::kHigh, "high"},
        {kb::Certainty::kModerate, "moderate"},
        {kb::Certainty::kLow, "low"},
        {kb::Certainty::kVeryLow, "very_low"}};
    bool found = false;
    for (const auto& [certainty, name] : certainties) {
      if (value == name) {
        policy.min_certainty_to_recommend = certainty;
        found = true;
      }
    }
    if (!found) {
      return DataError(
          fmt::format("{}:{}: [verdict] min_certainty_to_recommend must be high, "
                      "moderate, low or very_low, not '{}'",
                      file.name, node ? node->source().begin.line : 1, value));
    }
  }
  const std::pair<const char*, double*> dose_fields[] = {
      {"default_target_mg", &policy.default_target_mg},
      {"start_mg", &policy.start_mg},
      {"weekly_step_mg", &policy.weekly_step_mg},
      {"split_above_mg", &policy.split_above_mg},
      {"round_to_mg", &policy.round_to_mg},
      {"min_useful_mg", &policy.min_useful_mg}};
  for (const auto& [key, out] : dose_fields)
    MG_RETURN_IF_ERROR(ReadNumber(root, file.name, "dose", key, *out));
  const std::pair<const char*, double*> timing_fields[] = {
      {"night_dose_hour", &policy.night_dose_hour},
      {"evening_meal_hour", &policy.evening_meal_hour},
      {"morning_hour", &policy.morning_hour},
      {"earliest_hour", &policy.earliest_hour},
      {"latest_hour", &policy.latest_hour},
      {"step_hours", &policy.step_hours},
      {"min_hours_between_doses", &policy.min_hours_between_doses},
      {"default_medicine_hour", &policy.default_medicine_hour}};
  for (const auto& [key, out] : timing_fields)
    MG_RETURN_IF_ERROR(ReadNumber(root, file.name, "timing", key, *out));
  if (policy.round_to_mg <= 0 || policy.step_hours <= 0 || policy.weekly_step_mg <= 0) {
    return DataError(file.name + ": round_to_mg, step_hours and weekly_step_mg must be positive");
  }
  MG_RETURN_IF_ERROR(
      ReadNumber(root, file.name, "form", "compound_mg_per_pill", policy.compound_mg_per_pill));
  auto preference = ReadStrings(root, file.name, "form.preference");
  if (!preference.ok()) return preference.error();
  auto laxative = ReadStrings(root, file.name, "form.laxative_preference");
  if (!laxative.ok()) return laxative.error();
  policy.form_preference = *preference;
  policy.laxative_form_preference = *laxative;
  for (const auto& list : {*preference, *laxative}) {
    for (const auto& id : list) {
      const kb::Form* form = kb.FindForm(id);
      if (form == nullptr || form->id != id || form->route != kb::Route::kOral ||
          !form->self_care) {
        return DataError(fmt::format(
            "{}: form '{}' is not an oral self-care form of the knowledge base", file.name, id));
      }
      const auto reason = root.at_path("form.reasons." + id).value<std::string>();
      if (!reason)
        return DataError(fmt::format("{}: [form.reasons] has no reason for '{}'", file.name, id));
      policy.form_reasons[id] = *reason;
    }
  }
  return policy;
}

Result<std::vector<FoodFrequencyItem>> ParseFoodFrequency(const DataFile& file) {
  auto parsed = ParseToml(file);
  if (!parsed.ok()) return parsed.error();
  const toml::array* items = (*parsed)["item"].as_array();
  if (items == nullptr || items->empty()) return DataError(file.name + ": no [[item]] entries");
  std::vector<FoodFrequencyItem> out;
  for (const auto& node : *items) {
    const toml::table& t = *node.as_table();
    FoodFrequencyItem item;
    item.id = t["id"].value_or(std::string());
    item.question = t["question"].value_or(std::string());
    item.example = t["example"].value_or(std::string());
    const auto mg = t["magnesium_mg"].value<double>();
    if (item.id.empty() || item.question.empty() || !mg || *mg <= 0) {
      return DataError(fmt::format("{}:{}: item needs id, question and a positive magnesium_mg",
                                   file.name, node.source().begin.line));
    }
    item.magnesium_mg = *mg;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<PlanContext>> PlanContext::Load(const std::optional<std::string>& kb_dir) {
  auto context = std::make_unique<PlanContext>();
  auto kb = kb::LoadKnowledgeBase(kb_dir);
  if (!kb.ok()) return kb.error();
  context->kb = std::move(kb).value();
  auto compounds = chem::CompoundCatalog::Load();
  if (!compounds.ok()) return compounds.error();
  context->compounds = std::move(compounds).value();
  auto references = dri::ReferenceTables::LoadEmbedded();
  if (!references.ok()) return references.error();
  context->references = std::move(references).value();
  auto foods = foods::LoadEmbeddedFoods();
  if (!foods.ok()) return foods.error();
  context->foods = std::move(foods).value();
  auto exclusions = foods::Exclusions::Load();
  if (!exclusions.ok()) return exclusions.error();
  context->exclusions = std::move(exclusions).value();

  auto policy_file = LoadEmbeddedFile("plan/policy.toml");
  if (!policy_file.ok()) return policy_file.error();
  auto policy = ParsePolicy(*policy_file, context->kb);
  if (!policy.ok()) return policy.error();
  context->policy = std::move(policy).value();
  auto ffq_file = LoadEmbeddedFile("plan/food_frequency.toml");
  if (!ffq_file.ok()) return ffq_file.error();
  auto ffq = ParseFoodFrequency(*ffq_file);
  if (!ffq.ok()) return ffq.error();
  context->food_frequency = std::move(ffq).value();

  // The foods module's ranking, computed once without exclusions; plans filter it per person.
  for (const auto& rich : foods::RichestInMagnesium(context->foods, foods::ExclusionSet{},
                                                    {.limit = context->foods.size()})) {
    context->foods_by_magnesium.push_back(rich);
  }
  return context;
}

}  // namespace mg::plan
