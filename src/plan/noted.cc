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

#include <functional>

#include "core/numbers.h"
#include "plan/plan.h"
#include "plan/pregnancy_route.h"

namespace mg::plan {
namespace {

// One field of a profile as given: how to name it and how to take it away.
struct Probe {
  std::string field;
  std::string what;
  std::function<void(Profile&)> remove;
};

template <typename T>
std::function<void(Profile&)> EraseAt(std::vector<T> Profile::*list, size_t index) {
  return [list, index](Profile& p) { (p.*list).erase((p.*list).begin() + index); };
}

std::vector<Probe> ProbesFor(const Profile& p, const PlanContext& c) {
  std::vector<Probe> probes;
  const bool pregnant = p.person.state == dri::ReproductiveState::kPregnant;
  const bool lactating = p.person.state == dri::ReproductiveState::kLactating;
  if (!pregnant && !lactating) {
    // Sex cannot be taken away; the other sex stands for "not this one".
    probes.push_back({"sex", fmt::format("sex ({})", dri::SexName(p.person.sex)), [](Profile& q) {
                        q.person.sex =
                            q.person.sex == dri::Sex::kFemale ? dri::Sex::kMale : dri::Sex::kFemale;
                      }});
  }
  if (pregnant) {
    probes.push_back({"pregnant", "pregnancy", [](Profile& q) {
                        q.person.state = dri::ReproductiveState::kNone;
                        q.gestation_weeks.reset();
                      }});
  }
  if (lactating) {
    probes.push_back({"lactating", "breastfeeding",
                      [](Profile& q) { q.person.state = dri::ReproductiveState::kNone; }});
  }
  if (p.reference != dri::Reference::kUs) {
    probes.push_back({"reference",
                      fmt::format("reference values ({})", dri::ReferenceId(p.reference)),
                      [](Profile& q) { q.reference = dri::Reference::kUs; }});
  }
  for (size_t i = 0; i < p.complaints.size(); ++i) {
    const kb::Condition* condition = c.kb.FindCondition(p.complaints[i].condition_id);
    probes.push_back({fmt::format("complaints[{}]", i),
                      condition ? condition->name : p.complaints[i].condition_id,
                      EraseAt(&Profile::complaints, i)});
  }
  if (p.egfr) {
    probes.push_back({"kidney.egfr", fmt::format("eGFR {}", FormatNumber(*p.egfr, 1)),
                      [](Profile& q) { q.egfr.reset(); }});
  }
  if (p.ckd_stage) {
    probes.push_back({"kidney.ckd_stage",
                      fmt::format("chronic kidney disease stage {}", *p.ckd_stage),
                      [](Profile& q) { q.ckd_stage.reset(); }});
  }
  for (size_t i = 0; i < p.diagnosis_ids.size(); ++i) {
    const kb::Diagnosis* diagnosis = c.kb.FindDiagnosis(p.diagnosis_ids[i]);
    probes.push_back({fmt::format("diagnoses[{}]", i),
                      diagnosis ? diagnosis->name : p.diagnosis_ids[i],
                      EraseAt(&Profile::diagnosis_ids, i)});
  }
  // A medicine may stand for several entries (one per interaction class): taken away together.
  std::vector<std::string> names;
  for (const auto& m : p.medicines) {
    if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    probes.push_back({fmt::format("medicines[{}]", i), names[i], [name = names[i]](Profile& q) {
                        std::erase_if(q.medicines,
                                      [&](const MedicineTaken& m) { return m.name == name; });
                      }});
  }
  for (size_t i = 0; i < p.magnesium_taken.size(); ++i) {
    probes.push_back({fmt::format("magnesium_taken[{}]", i), p.magnesium_taken[i].description,
                      EraseAt(&Profile::magnesium_taken, i)});
  }
  if (p.diet_mg_per_day) {
    probes.push_back({"diet", "your usual magnesium from food", [](Profile& q) {
                        q.diet_mg_per_day.reset();
                        q.diet_is_lower_bound = false;
                      }});
  }
  if (!p.food_exclusions.ids.empty()) {
    probes.push_back({"food_exclusions", "food exclusions",
                      [](Profile& q) { q.food_exclusions = foods::ExclusionSet{}; }});
  }
  for (size_t i = 0; i < p.red_flag_ids.size(); ++i) {
    const kb::RedFlag* flag = c.kb.FindRedFlag(p.red_flag_ids[i]);
    probes.push_back({fmt::format("red_flags[{}]", i), flag ? flag->name : p.red_flag_ids[i],
                      EraseAt(&Profile::red_flag_ids, i)});
  }
  if (p.route != RoutePreference::kAny) {
    probes.push_back({"preferences.route", "the preferred route",
                      [](Profile& q) { q.route = RoutePreference::kAny; }});
  }
  if (p.sensitive_stomach) {
    probes.push_back({"preferences.sensitive_stomach", "a sensitive stomach",
                      [](Profile& q) { q.sensitive_stomach = false; }});
  }
  if (p.max_pills_per_day) {
    probes.push_back({"preferences.max_pills_per_day",
                      fmt::format("at most {} pills a day", *p.max_pills_per_day),
                      [](Profile& q) { q.max_pills_per_day.reset(); }});
  }
  if (p.ferritin_ug_l) {
    probes.push_back({"ferritin_ug_l",
                      fmt::format("ferritin {} µg/L", FormatNumber(*p.ferritin_ug_l, 1)),
                      [](Profile& q) { q.ferritin_ug_l.reset(); }});
  }
  if (p.iron_deficiency) {
    probes.push_back(
        {"iron_deficiency", "iron deficiency", [](Profile& q) { q.iron_deficiency = false; }});
  }
  if (p.product) {
    probes.push_back({"product", "your product (" + p.product->name + ")",
                      [](Profile& q) { q.product.reset(); }});
  }
  if (p.gestation_weeks) {
    probes.push_back({"gestation_weeks",
                      fmt::format("{} weeks of pregnancy", FormatNumber(*p.gestation_weeks, 1)),
                      [](Profile& q) { q.gestation_weeks.reset(); }});
  }
  return probes;
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
  for (const Probe& probe : ProbesFor(profile, context)) {
    Profile without = profile;
    probe.remove(without);
    // Most fields (sex, a complaint, the diet) show at once: no plan needs building for them.
    if (SurelyShownDifferently(without, plan, context)) continue;
    Plan other = BuildPlan(without, context, Trace::kSkip);
    ShareWhatRendersAlike(plan, other);
    if (other == plan) noted.push_back({probe.field, probe.what});
  }
  plan.rules_fired = std::move(rules_fired);
  plan.noted_without_effect = std::move(noted);
}

}  // namespace mg::plan
