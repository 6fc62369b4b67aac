// NoteFieldsWithoutEffect: every profile field either changes the plan or is said to have no
// effect. Each field is taken away in turn and the plan built again; the plans are compared as
// their reader sees them: everything the JSON document (and the text) shows, without the engine's
// rule trace.
//
// The plans are compared as structs, not as rendered JSON: rendering a plan costs ~25 times
// building one, and this runs once per field on every plan request (issue 20). Plan's
// operator== compares every member, so a member added later is compared too; the few members
// the JSON shows only in part (a pointer of which it shows a name) are shared first when what is
// shown is alike. plan_safety_test checks the result against the JSON comparison over a grid of
// profiles and fields.
//
// Building a plan per field was most of a plan request's cost (issue 20), so a field whose
// removal changes what the plan shows first (its reference values, its findings, its medicine
// notes, the diet or magnesium already taken: SurelyShownDifferently) is known to have an
// effect without one.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "core/numbers.h"
#include "plan/plan.h"
#include "plan/pregnancy_route.h"

namespace mg::plan {
namespace {

// The fields of a profile a probe takes away, in the order they are tried.
enum class Field {
  kSex,
  kPregnant,
  kLactating,
  kReference,
  kComplaint,
  kEgfr,
  kCkdStage,
  kDiagnosis,
  kMedicine,
  kMagnesiumTaken,
  kDiet,
  kFoodExclusions,
  kRedFlag,
  kRoute,
  kSensitiveStomach,
  kMaxPills,
  kFerritin,
  kIronDeficiency,
  kProduct,
  kGestationWeeks,
};

// One field of a profile as given; `index` is the element of a list field (for medicines, of
// the distinct names). Only a field found to have no effect is named (Describe), so most
// probes cost no text at all (issue 20).
struct Probe {
  Field field;
  size_t index = 0;
};

// The names of the medicines as given, each once: a medicine may stand for several entries
// (one per interaction class), taken away together.
std::vector<std::string_view> MedicineNames(const Profile& p) {
  std::vector<std::string_view> names;
  for (const auto& m : p.medicines) {
    if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
  }
  return names;
}

std::vector<Probe> ProbesFor(const Profile& p, size_t medicine_names) {
  std::vector<Probe> probes;
  probes.reserve(16);
  const auto each = [&](Field field, size_t count) {
    for (size_t i = 0; i < count; ++i) probes.push_back({field, i});
  };
  const bool pregnant = p.person.state == dri::ReproductiveState::kPregnant;
  const bool lactating = p.person.state == dri::ReproductiveState::kLactating;
  // Sex cannot be taken away; the other sex stands for "not this one".
  if (!pregnant && !lactating) probes.push_back({Field::kSex});
  if (pregnant) probes.push_back({Field::kPregnant});
  if (lactating) probes.push_back({Field::kLactating});
  if (p.reference != dri::Reference::kUs) probes.push_back({Field::kReference});
  each(Field::kComplaint, p.complaints.size());
  if (p.egfr) probes.push_back({Field::kEgfr});
  if (p.ckd_stage) probes.push_back({Field::kCkdStage});
  each(Field::kDiagnosis, p.diagnosis_ids.size());
  each(Field::kMedicine, medicine_names);
  each(Field::kMagnesiumTaken, p.magnesium_taken.size());
  if (p.diet_mg_per_day) probes.push_back({Field::kDiet});
  if (!p.food_exclusions.ids.empty()) probes.push_back({Field::kFoodExclusions});
  each(Field::kRedFlag, p.red_flag_ids.size());
  if (p.route != RoutePreference::kAny) probes.push_back({Field::kRoute});
  if (p.sensitive_stomach) probes.push_back({Field::kSensitiveStomach});
  if (p.max_pills_per_day) probes.push_back({Field::kMaxPills});
  if (p.ferritin_ug_l) probes.push_back({Field::kFerritin});
  if (p.iron_deficiency) probes.push_back({Field::kIronDeficiency});
  if (p.product) probes.push_back({Field::kProduct});
  if (p.gestation_weeks) probes.push_back({Field::kGestationWeeks});
  return probes;
}

// `q` without the probe's field. `names`: MedicineNames of the profile `q` was copied from.
void TakeAway(const Probe& probe, const std::vector<std::string_view>& names, Profile& q) {
  const auto erase_at = [&](auto& list) { list.erase(list.begin() + probe.index); };
  switch (probe.field) {
    case Field::kSex:
      q.person.sex = q.person.sex == dri::Sex::kFemale ? dri::Sex::kMale : dri::Sex::kFemale;
      return;
    case Field::kPregnant:
      q.person.state = dri::ReproductiveState::kNone;
      q.gestation_weeks.reset();
      return;
    case Field::kLactating:
      q.person.state = dri::ReproductiveState::kNone;
      return;
    case Field::kReference:
      q.reference = dri::Reference::kUs;
      return;
    case Field::kComplaint:
      return erase_at(q.complaints);
    case Field::kEgfr:
      q.egfr.reset();
      return;
    case Field::kCkdStage:
      q.ckd_stage.reset();
      return;
    case Field::kDiagnosis:
      return erase_at(q.diagnosis_ids);
    case Field::kMedicine:
      std::erase_if(q.medicines,
                    [&](const MedicineTaken& m) { return m.name == names[probe.index]; });
      return;
    case Field::kMagnesiumTaken:
      return erase_at(q.magnesium_taken);
    case Field::kDiet:
      q.diet_mg_per_day.reset();
      q.diet_is_lower_bound = false;
      return;
    case Field::kFoodExclusions:
      q.food_exclusions = foods::ExclusionSet{};
      return;
    case Field::kRedFlag:
      return erase_at(q.red_flag_ids);
    case Field::kRoute:
      q.route = RoutePreference::kAny;
      return;
    case Field::kSensitiveStomach:
      q.sensitive_stomach = false;
      return;
    case Field::kMaxPills:
      q.max_pills_per_day.reset();
      return;
    case Field::kFerritin:
      q.ferritin_ug_l.reset();
      return;
    case Field::kIronDeficiency:
      q.iron_deficiency = false;
      return;
    case Field::kProduct:
      q.product.reset();
      return;
    case Field::kGestationWeeks:
      q.gestation_weeks.reset();
      return;
  }
}

// The probe's field as the plan names it: its path in the profile, and in words.
NotedField Describe(const Probe& probe, const std::vector<std::string_view>& names,
                    const Profile& p, const PlanContext& c) {
  const size_t i = probe.index;
  switch (probe.field) {
    case Field::kSex:
      return {"sex", fmt::format("sex ({})", dri::SexName(p.person.sex))};
    case Field::kPregnant:
      return {"pregnant", "pregnancy"};
    case Field::kLactating:
      return {"lactating", "breastfeeding"};
    case Field::kReference:
      return {"reference", fmt::format("reference values ({})", dri::ReferenceId(p.reference))};
    case Field::kComplaint: {
      const kb::Condition* condition = c.kb.FindCondition(p.complaints[i].condition_id);
      return {fmt::format("complaints[{}]", i),
              condition ? condition->name : p.complaints[i].condition_id};
    }
    case Field::kEgfr:
      return {"kidney.egfr", fmt::format("eGFR {}", FormatNumber(*p.egfr, 1))};
    case Field::kCkdStage:
      return {"kidney.ckd_stage", fmt::format("chronic kidney disease stage {}", *p.ckd_stage)};
    case Field::kDiagnosis: {
      const kb::Diagnosis* diagnosis = c.kb.FindDiagnosis(p.diagnosis_ids[i]);
      return {fmt::format("diagnoses[{}]", i), diagnosis ? diagnosis->name : p.diagnosis_ids[i]};
    }
    case Field::kMedicine:
      return {fmt::format("medicines[{}]", i), std::string(names[i])};
    case Field::kMagnesiumTaken:
      return {fmt::format("magnesium_taken[{}]", i), p.magnesium_taken[i].description};
    case Field::kDiet:
      return {"diet", "your usual magnesium from food"};
    case Field::kFoodExclusions:
      return {"food_exclusions", "food exclusions"};
    case Field::kRedFlag: {
      const kb::RedFlag* flag = c.kb.FindRedFlag(p.red_flag_ids[i]);
      return {fmt::format("red_flags[{}]", i), flag ? flag->name : p.red_flag_ids[i]};
    }
    case Field::kRoute:
      return {"preferences.route", "the preferred route"};
    case Field::kSensitiveStomach:
      return {"preferences.sensitive_stomach", "a sensitive stomach"};
    case Field::kMaxPills:
      return {"preferences.max_pills_per_day",
              fmt::format("at most {} pills a day", *p.max_pills_per_day)};
    case Field::kFerritin:
      return {"ferritin_ug_l", fmt::format("ferritin {} µg/L", FormatNumber(*p.ferritin_ug_l, 1))};
    case Field::kIronDeficiency:
      return {"iron_deficiency", "iron deficiency"};
    case Field::kProduct:
      return {"product", "your product (" + p.product->name + ")"};
    case Field::kGestationWeeks:
      return {"gestation_weeks",
              fmt::format("{} weeks of pregnancy", FormatNumber(*p.gestation_weeks, 1))};
  }
  return {};  // Not reached: every field is named above.
}

// Points `other`'s members at `seen`'s where the two differ only in what PlanToJson does not
// show: it shows a reference set by its id, a reference row by its life stage, a food by its
// name, source and portion, and a child's portion by its words and factor.
void ShareWhatRendersAlike(const Plan& seen, Plan& other) {
  if (seen.reference_set != nullptr && other.reference_set != nullptr &&
      seen.reference_set->reference == other.reference_set->reference) {
    other.reference_set = seen.reference_set;
  }
  if (seen.reference_row != nullptr && other.reference_row != nullptr &&
      seen.reference_row->life_stage == other.reference_row->life_stage) {
    other.reference_row = seen.reference_row;
  }
  if (seen.foods.size() != other.foods.size()) return;
  for (size_t i = 0; i < seen.foods.size(); ++i) {
    const FoodSuggestion& a = seen.foods[i];
    FoodSuggestion& b = other.foods[i];
    if (a.food != b.food && a.food != nullptr && b.food != nullptr &&
        a.food->name == b.food->name && a.food->source == b.food->source &&
        a.food->serving.Label() == b.food->serving.Label()) {
      b.food = a.food;
    }
    if (a.child != b.child && a.child != nullptr && b.child != nullptr &&
        a.child->words == b.child->words && a.child->factor == b.child->factor) {
      b.child = a.child;
    }
  }
}

}  // namespace

bool SurelyShownDifferently(const Profile& without, const Plan& plan, const PlanContext& context) {
  // Each test repeats how BuildPlan fills one member from the profile, and that member is
  // compared as NoteFieldsWithoutEffect compares it (after ShareWhatRendersAlike).
  // LookUpReference: the reference row, compared by life stage.
  const auto values = context.references.Lookup(without.reference, without.person);
  if (values.ok() != (plan.reference_row != nullptr)) return true;
  if (values.ok() && values->row->life_stage != plan.reference_row->life_stage) return true;
  // LookUpReference: every magnesium already taken is listed.
  if (without.magnesium_taken.size() != plan.magnesium_taken.size()) return true;
  // Foods: the diet as given.
  if (without.diet_mg_per_day != plan.totals.diet_mg ||
      without.diet_is_lower_bound != plan.totals.diet_is_lower_bound) {
    return true;
  }
  // Medicines: a note for each medicine of a known interaction class and, for each one the
  // catalogue does not know, its name among the unknown, in the order given; every plan shows
  // both lists.
  size_t notes = 0, unknown = 0;
  for (const MedicineTaken& medicine : without.medicines) {
    if (medicine.interaction_id.empty()) {
      unknown += medicine.ingredient_ids.empty() ? 1 : 0;
    } else if (context.kb.FindInteraction(medicine.interaction_id) != nullptr) {
      ++notes;
    }
  }
  if (notes != plan.interactions.size() || unknown != plan.unknown_medicines.size()) return true;
  // RouteComplaints and Findings: one finding per complaint, routed to its pregnancy form in
  // pregnancy, each condition once, in the order given.
  const bool pregnant = without.person.state == dri::ReproductiveState::kPregnant;
  size_t routed = 0;
  for (const Complaint& complaint : without.complaints) {
    std::string_view id = complaint.condition_id;
    if (const std::string* routed = PregnancyRoute(context.kb, id, pregnant)) id = *routed;
    bool seen = false;
    for (size_t i = 0; i < routed && !seen; ++i) seen = plan.findings[i].condition_id == id;
    if (seen) continue;
    if (routed == plan.findings.size() || plan.findings[routed].condition_id != id) return true;
    ++routed;
  }
  return routed != plan.findings.size();
}

void NoteFieldsWithoutEffect(const Profile& profile, const PlanContext& context, Plan& plan) {
  plan.noted_without_effect.clear();
  // The trace is not what the reader sees: set aside while comparing, and put back.
  std::vector<std::string> rules_fired = std::move(plan.rules_fired);
  plan.rules_fired.clear();
  std::vector<NotedField> noted;
  const std::vector<std::string_view> names = MedicineNames(profile);
  // One copy, assigned again for each probe: its lists and texts keep their memory.
  Profile without;
  for (const Probe& probe : ProbesFor(profile, names.size())) {
    without = profile;
    TakeAway(probe, names, without);
    // Most fields (sex, a complaint, the diet) show at once: no plan needs building for them.
    if (SurelyShownDifferently(without, plan, context)) continue;
    Plan other = BuildPlan(without, context, Trace::kSkip);
    ShareWhatRendersAlike(plan, other);
    if (other == plan) noted.push_back(Describe(probe, names, profile, context));
  }
  plan.rules_fired = std::move(rules_fired);
  plan.noted_without_effect = std::move(noted);
}

}  // namespace mg::plan
