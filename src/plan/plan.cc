#include "plan/plan.h"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/numbers.h"
#include "core/text.h"
#include "plan/food_ranking.h"
#include "plan/pregnancy_route.h"

namespace mg::plan {
namespace {

int UrgencyRank(kb::Urgency u) {
  switch (u) {
    case kb::Urgency::kEmergency:
      return 0;
    case kb::Urgency::kSoon:
      return 1;
    case kb::Urgency::kRoutine:
      return 2;
  }
  return 2;
}

bool Blocks(const kb::Contraindication& ci) {
  return ci.action == kb::ContraindicationAction::kNoSupplement ||
         ci.action == kb::ContraindicationAction::kClinicianFirst;
}

// Of two blocking rules of one cause: no_supplement before clinician_first, then the more urgent
// referral; on a tie the earlier rule in the file (the one already chosen) stays.
bool MoreSevere(const kb::Contraindication& a, const kb::Contraindication& b) {
  const bool a_stops = a.action == kb::ContraindicationAction::kNoSupplement;
  const bool b_stops = b.action == kb::ContraindicationAction::kNoSupplement;
  if (a_stops != b_stops) return a_stops;
  return UrgencyRank(a.referral.value_or(kb::Urgency::kRoutine)) <
         UrgencyRank(b.referral.value_or(kb::Urgency::kRoutine));
}

// "a", "a and b", "a, b and c".
std::string JoinWords(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return out;
}

double RoundDown(double value, double step) { return std::floor(value / step + 1e-9) * step; }

// True when every present field of the trigger holds for the profile.
bool TriggerFires(const kb::Trigger& t, const Profile& p) {
  bool any = false;
  if (t.egfr_below) {
    any = true;
    if (!p.egfr || !(*p.egfr < *t.egfr_below)) return false;
  }
  if (t.ckd_stage_at_least) {
    any = true;
    if (!p.ckd_stage || *p.ckd_stage < *t.ckd_stage_at_least) return false;
  }
  if (t.diagnosis) {
    any = true;
    if (std::find(p.diagnosis_ids.begin(), p.diagnosis_ids.end(), *t.diagnosis) ==
        p.diagnosis_ids.end()) {
      return false;
    }
  }
  if (t.pregnancy) {
    any = true;
    if (p.person.state != dri::ReproductiveState::kPregnant) return false;
  }
  if (t.lactation) {
    any = true;
    if (p.person.state != dri::ReproductiveState::kLactating) return false;
  }
  if (t.age_below_years) {
    any = true;
    if (!(p.person.age_months / 12.0 < *t.age_below_years)) return false;
  }
  return any;
}

std::string SpacingRule(const kb::Interaction& i) {
  if (!i.management.empty()) return i.management;
  std::string out;
  if (i.mg_hours_before_medicine) {
    out += fmt::format("take magnesium at least {} h before",
                       FormatNumber(*i.mg_hours_before_medicine));
  }
  if (i.mg_hours_after_medicine) {
    out += fmt::format("{}at least {} h after", out.empty() ? "take magnesium " : " or ",
                       FormatNumber(*i.mg_hours_after_medicine));
  }
  return out;
}

class PlanBuilder {
 public:
  PlanBuilder(const Profile& profile, const PlanContext& context, Trace trace)
      : p_(profile), c_(context), trace_(trace), policy_(context.policy) {}

  Plan Build() {
    LookUpReference();
    ExistingLoad();
    RedFlags();
    Contraindications();
    Medicines();
    RouteComplaints();
    Findings();
    IronStatus();
    AggravatingMedicines();
    ReferInsteadOfSelfCare();
    SafetyNets();
    RiskGroups();
    DecideSupplement();
    Foods();
    FollowUp();
    WatchFor();
    std::stable_sort(plan_.referrals.begin(), plan_.referrals.end(),
                     [](const Referral& a, const Referral& b) {
                       return UrgencyRank(a.urgency) < UrgencyRank(b.urgency);
                     });
    return std::move(plan_);
  }

 private:
  // Records a rule in the trace: its name, or a prefix and an id ("interaction." + id), joined
  // only when the trace is kept (the field probes build five plans per request without one).
  void Fire(std::string_view rule, std::string_view id = {}) {
    if (trace_ == Trace::kSkip) return;
    std::string name;
    name.reserve(rule.size() + id.size());
    name.append(rule).append(id);
    plan_.rules_fired.push_back(std::move(name));
  }

  // The text for `rule` from data/plan/messages.toml with its {placeholders} filled. The loader
  // formatted every text with exactly these names, so this cannot fail on loaded data.
  std::string Text(std::string_view rule,
                   std::initializer_list<std::pair<const char*, std::string>> values = {}) const {
    const auto it = c_.messages.text.find(rule);
    if (it == c_.messages.text.end()) return std::string(rule);  // A hand-built test context.
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (const auto& [name, value] : values) args.push_back(fmt::arg(name, value));
    return fmt::vformat(it->second, args);
  }

  void Withhold(std::string_view rule) {
    plan_.supplement_withheld_for_safety = true;
    Fire(rule);
  }

  void LookUpReference() {
    auto values = c_.references.Lookup(p_.reference, p_.person);
    if (values.ok()) {
      plan_.reference_row = values->row;
      plan_.reference_set = values->set;
      plan_.totals.ul_supplemental_mg = values->row->ul_supplemental_mg;
      plan_.totals.intake_target_mg = values->row->intake_mg;
      plan_.totals.ear_mg = values->row->ear_mg;
    } else {
      plan_.warnings.push_back(
          Text("safety.no_reference_row", {{"reason", values.error().message}}));
      Fire("safety.no_reference_row");
    }
    for (const auto& taken : p_.magnesium_taken) {
      plan_.totals.existing_supplemental_mg += taken.elemental_mg_per_day;
      plan_.magnesium_taken.push_back(taken);  // Shown with how each amount was read.
    }
  }

  // Magnesium already taken is checked whatever the complaints: someone above the limit is told
  // so even when the plan would not have suggested a supplement anyway.
  void ExistingLoad() {
    const double existing = plan_.totals.existing_supplemental_mg;
    if (existing <= 0 || plan_.reference_row == nullptr) return;
    if (!plan_.totals.ul_supplemental_mg) {
      Withhold("safety.existing_without_limit");
      plan_.referrals.push_back(
          {kb::Urgency::kRoutine,
           Text("safety.existing_without_limit", {{"existing_mg", FormatNumber(existing)}}),
           "existing_without_limit"});
      return;
    }
    const double ul = *plan_.totals.ul_supplemental_mg;
    if (existing > ul) {
      // A referral, not only a note: the person's own intake is the safety problem.
      Withhold("safety.ul_already_exceeded");
      plan_.referrals.push_back(
          {kb::Urgency::kSoon,
           Text("safety.ul_already_exceeded",
                {{"existing_mg", FormatNumber(existing)}, {"ul_mg", FormatNumber(ul)}}),
           "ul_already_exceeded"});
    }
  }

  void RedFlags() {
    for (const auto& id : p_.red_flag_ids) {
      const kb::RedFlag* flag = c_.kb.FindRedFlag(id);
      if (flag == nullptr) continue;  // ResolveProfile guarantees ids resolve.
      plan_.referrals.push_back({flag->urgency, flag->name + ": " + flag->action, flag->id});
      Fire("safety.red_flag.", flag->id);
      if (flag->urgency == kb::Urgency::kEmergency) emergency_ = true;
    }
    if (emergency_) Withhold("safety.emergency_first");
  }

  void Contraindications() {
    // One referral per cause: the most severe rule of a cause that fires speaks for it (an eGFR
    // of 25 is below 30 and below 60; the person needs one kidney referral, not two).
    // Cause → its rule; a handful of causes at most, so a vector searched in place.
    std::vector<std::pair<std::string_view, const kb::Contraindication*>> referring;
    const auto rule_of = [&](std::string_view cause) {
      return std::find_if(referring.begin(), referring.end(),
                          [&](const auto& entry) { return entry.first == cause; });
    };
    for (const auto& ci : c_.kb.contraindications) {
      if (ci.cause.empty() || !Blocks(ci) || !TriggerFires(ci.trigger, p_)) continue;
      const auto it = rule_of(ci.cause);
      if (it == referring.end()) {
        referring.emplace_back(ci.cause, &ci);
      } else if (MoreSevere(ci, *it->second)) {
        it->second = &ci;
      }
    }
    for (const auto& ci : c_.kb.contraindications) {
      if (!TriggerFires(ci.trigger, p_)) continue;
      Fire("safety.contraindication.", ci.id);
      switch (ci.action) {
        case kb::ContraindicationAction::kNoSupplement:
        case kb::ContraindicationAction::kClinicianFirst:
          plan_.supplement_withheld_for_safety = true;
          if (!ci.cause.empty() && rule_of(ci.cause)->second != &ci) break;
          plan_.referrals.push_back({ci.referral.value_or(kb::Urgency::kRoutine),
                                     ci.name + ": " + ci.reason + " " + ci.advice, ci.id});
          break;
        case kb::ContraindicationAction::kCaution:
          if (ci.max_supplemental_mg) {
            cap_mg_ = std::min(cap_mg_.value_or(*ci.max_supplemental_mg), *ci.max_supplemental_mg);
          }
          plan_.warnings.push_back(ci.name + ": " + ci.reason + " " + ci.advice);
          break;
        case kb::ContraindicationAction::kNote:
          plan_.warnings.push_back(ci.name + ": " + ci.reason);
          break;
      }
    }
  }

  void Medicines() {
    for (const auto& medicine : p_.medicines) {
      if (medicine.interaction_id.empty()) {
        // A catalogued medicine of no interaction class is known not to interact.
        if (!medicine.ingredient_ids.empty()) continue;
        plan_.unknown_medicines.push_back(medicine.name);
        plan_.warnings.push_back(Text("medicine.unknown", {{"medicine", medicine.name}}));
        Fire("medicine.unknown");
        continue;
      }
      const kb::Interaction* interaction = c_.kb.FindInteraction(medicine.interaction_id);
      if (interaction == nullptr) continue;
      InteractionNote note;
      note.medicine = medicine.name;
      note.interaction_id = interaction->id;
      note.action = interaction->action;
      note.mg_hours_before_medicine = interaction->mg_hours_before_medicine;
      note.mg_hours_after_medicine = interaction->mg_hours_after_medicine;
      note.medicine_hours = medicine.hours;
      note.medicine_hours_assumed = medicine.hours_assumed;
      note.rule = SpacingRule(*interaction);
      plan_.interactions.push_back(std::move(note));
      Fire("interaction.", interaction->id);
      if (interaction->action == kb::InteractionAction::kClinicianReview) {
        plan_.referrals.push_back(
            {kb::Urgency::kRoutine,
             Text("safety.interaction_review", {{"medicine", medicine.name},
                                                {"class", interaction->name},
                                                {"effect", interaction->effect}}),
             interaction->id});
        Withhold("safety.interaction_review." + interaction->id);
      } else if (interaction->action == kb::InteractionAction::kMonitor) {
        plan_.warnings.push_back(fmt::format("{} ({}): {} {}", medicine.name, interaction->name,
                                             interaction->effect, interaction->management));
      }
    }
  }

  // In pregnancy a complaint is read as its pregnancy variant (leg cramps → leg cramps in
  // pregnancy), whose evidence, measures and red flags are the pregnancy ones.
  void RouteComplaints() {
    const bool pregnant = p_.person.state == dri::ReproductiveState::kPregnant;
    for (Complaint complaint : p_.complaints) {
      if (const std::string* routed = PregnancyRoute(c_.kb, complaint.condition_id, pregnant)) {
        Fire("pregnancy.routed.", complaint.condition_id);
        complaint.condition_id = *routed;
      }
      const bool seen =
          std::any_of(complaints_.begin(), complaints_.end(),
                      [&](const Complaint& c) { return c.condition_id == complaint.condition_id; });
      if (!seen) complaints_.push_back(std::move(complaint));
    }
  }

  // Medicines and diagnoses that can lower blood magnesium: one referral naming them all, sooner
  // when a complaint can be a sign of low magnesium.
  void RiskGroups() {
    auto listed = [](const std::vector<std::string>& ids, const std::string& id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    std::vector<std::string> causes;
    for (const auto& medicine : p_.medicines) {
      if (listed(policy_.risk_interactions, medicine.interaction_id))
        causes.push_back(medicine.name);
    }
    for (const auto& id : p_.diagnosis_ids) {
      const kb::Diagnosis* diagnosis = c_.kb.FindDiagnosis(id);
      if (diagnosis != nullptr && listed(policy_.risk_diagnoses, id)) {
        causes.push_back(diagnosis->name);
      }
    }
    if (causes.empty()) return;
    std::vector<std::string> signs;
    for (const auto& complaint : complaints_) {
      if (!listed(policy_.risk_sooner_for_conditions, complaint.condition_id)) continue;
      const kb::Condition* condition = c_.kb.FindCondition(complaint.condition_id);
      signs.push_back(condition != nullptr ? condition->name : complaint.condition_id);
    }
    std::string causes_text = JoinWords(causes);
    // Low magnesium already asks for the same blood test: one referral says both, as soon as
    // the sooner of the two.
    const auto blood_test =
        std::find_if(plan_.referrals.begin(), plan_.referrals.end(),
                     [](const Referral& r) { return r.source_id == "refer_first"; });
    if (blood_test != plan_.referrals.end()) {
      constexpr const char* kRule = "complaint.refer_first.risk_group";
      *blood_test = {kb::Urgency::kSoon,
                     Text(kRule, {{"complaint", refer_first_complaint_}, {"causes", causes_text}}),
                     "risk_group"};
      Fire(kRule);
      return;
    }
    causes_text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(causes_text[0])));
    const char* rule = signs.empty() ? "safety.risk_group" : "safety.risk_group.with_symptoms";
    std::string complaints_text = JoinWords(signs);
    for (char& ch : complaints_text)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    plan_.referrals.push_back(
        {signs.empty() ? kb::Urgency::kRoutine : kb::Urgency::kSoon,
         Text(rule, {{"causes", causes_text}, {"complaints", complaints_text}}), "risk_group"});
    Fire(rule);
  }

  void Findings() {
    bool adult_measure_left_out = false;
    for (const auto& complaint : complaints_) {
      FindingNote note;
      note.condition_id = complaint.condition_id;
      note.severity = complaint.severity;
      note.finding = c_.kb.OralFinding(complaint.condition_id);
      note.policy =
          note.finding ? PolicyFor(*note.finding, policy_) : VerdictPolicy::kDoNotRecommend;
      // The doses of the evidence are adults' doses: a parent must not read one as the child's.
      if (note.finding != nullptr && !note.finding->dose_text.empty() &&
          p_.person.age_months < policy_.adult_measures_from_years * 12) {
        // Without an established upper limit (a baby; under 4 in the EU) no amount is self-care.
        const char* rule = plan_.totals.ul_supplemental_mg ? "evidence.adult_dose_for_child"
                                                           : "evidence.adult_dose_no_child_limit";
        note.caveat = Text(rule);
        Fire(rule);
      }
      plan_.findings.push_back(note);
      Fire("evidence.", complaint.condition_id);
      for (const kb::Measure* measure : c_.kb.MeasuresFor(complaint.condition_id)) {
        if (measure->adults_only && p_.person.age_months < policy_.adult_measures_from_years * 12) {
          adult_measure_left_out = true;
          continue;
        }
        if (std::find(plan_.measures.begin(), plan_.measures.end(), measure) ==
            plan_.measures.end()) {
          plan_.measures.push_back(measure);
        }
      }
      const kb::Condition* condition = c_.kb.FindCondition(complaint.condition_id);
      if (condition && condition->night_time_symptoms) night_time_ = true;
      if (complaint.condition_id == "constipation") wants_laxative_ = true;
    }
    for (const auto& id : p_.diagnosis_ids) {
      const kb::Diagnosis* diagnosis = c_.kb.FindDiagnosis(id);
      if (diagnosis == nullptr) continue;
      if (diagnosis->laxative == kb::LaxativePreference::kAvoid) avoid_laxative_ = true;
      if (diagnosis->laxative == kb::LaxativePreference::kWelcome) wants_laxative_ = true;
    }
    if (adult_measure_left_out) {
      Fire("measures.adults_only_left_out");
      plan_.warnings.push_back(Text("measures.adults_only_left_out"));
    }
    if (p_.sensitive_stomach) avoid_laxative_ = true;
    if (avoid_laxative_) wants_laxative_ = false;  // Gut safety wins over a laxative effect.
  }

  bool HasComplaint(const std::vector<std::string>& ids, const std::string& id) const {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  // Iron status drives restless-legs advice: a ferritin at or below the line (adults 75 µg/L or
  // below, children below 50 µg/L) or a known iron deficiency is a referral for iron treatment;
  // a child with no ferritin is told the children's line.
  void IronStatus() {
    const kb::Condition* condition = nullptr;
    for (const auto& complaint : complaints_) {
      if (HasComplaint(policy_.iron_conditions, complaint.condition_id)) {
        condition = c_.kb.FindCondition(complaint.condition_id);
        break;
      }
    }
    if (condition == nullptr) return;
    const bool child = p_.person.age_months < policy_.iron_child_below_years * 12;
    const std::string who = child ? "children and teenagers" : "adults";
    const std::string threshold =
        child ? fmt::format("below {} µg/L", FormatNumber(policy_.child_ferritin_below_ug_l))
              : fmt::format("{} µg/L or below",
                            FormatNumber(policy_.adult_ferritin_at_or_below_ug_l));
    if (p_.iron_deficiency) {
      Fire("iron.deficiency");
      plan_.referrals.push_back({kb::Urgency::kRoutine, Text("iron.deficiency"), "iron"});
    }
    if (p_.ferritin_ug_l) {
      const double ferritin = *p_.ferritin_ug_l;
      const bool low = child ? ferritin < policy_.child_ferritin_below_ug_l
                             : ferritin <= policy_.adult_ferritin_at_or_below_ug_l;
      const char* rule = low ? "iron.low_ferritin" : "iron.ferritin_not_low";
      const std::string text = Text(
          rule, {{"ferritin", FormatNumber(ferritin, 1)}, {"who", who}, {"threshold", threshold}});
      Fire(rule);
      if (low && !p_.iron_deficiency) {
        plan_.referrals.push_back({kb::Urgency::kRoutine, text, "iron"});
      } else if (!low) {
        plan_.warnings.push_back(text);
      }
    } else if (child && !p_.iron_deficiency) {
      Fire("iron.check_child");
      plan_.warnings.push_back(Text("iron.check_child", {{"threshold", threshold}}));
    }
  }

  // Medicines that can bring on or worsen a complaint, named for the person who takes them.
  void AggravatingMedicines() {
    for (const auto& complaint : complaints_) {
      std::vector<std::string> named;
      for (const auto& group : policy_.aggravating_medicines) {
        if (group.condition_id != complaint.condition_id) continue;
        for (const auto& medicine : p_.medicines) {
          const bool member = std::any_of(
              medicine.ingredient_ids.begin(), medicine.ingredient_ids.end(),
              [&](const std::string& id) { return HasComplaint(group.ingredient_ids, id); });
          const std::string entry = fmt::format("{} ({})", medicine.name, group.group);
          if (member && std::find(named.begin(), named.end(), entry) == named.end()) {
            named.push_back(entry);
          }
        }
      }
      if (named.empty()) continue;
      const std::string list = JoinWords(named);  // Names as the person wrote them.
      const kb::Condition* condition = c_.kb.FindCondition(complaint.condition_id);
      std::string complaint_name = condition != nullptr ? condition->name : complaint.condition_id;
      for (char& ch : complaint_name)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      plan_.referrals.push_back(
          {kb::Urgency::kRoutine,
           Text("medicine.aggravates", {{"medicines", list}, {"complaint", complaint_name}}),
           "aggravating_medicine"});
      Fire("medicine.aggravates.", complaint.condition_id);
    }
  }

  // A complaint that is a diagnosis to confirm (low magnesium): a referral for a blood test and
  // its cause, and no self-care supplement.
  void ReferInsteadOfSelfCare() {
    for (const auto& complaint : complaints_) {
      if (!HasComplaint(policy_.refer_instead_of_self_care, complaint.condition_id)) continue;
      const kb::Condition* condition = c_.kb.FindCondition(complaint.condition_id);
      refer_first_complaint_ = condition != nullptr ? condition->name : complaint.condition_id;
      plan_.referrals.push_back(
          {kb::Urgency::kRoutine,
           Text("complaint.refer_first", {{"complaint", refer_first_complaint_}}), "refer_first"});
      Withhold("complaint.refer_first");
    }
  }

  // Each complaint's red-flag questions, so that a person knows when to seek help even when
  // they ticked no red flag.
  void SafetyNets() {
    const bool pregnant = p_.person.state == dri::ReproductiveState::kPregnant;
    for (const auto& complaint : complaints_) {
      SafetyNet net{complaint.condition_id, {}};
      for (const kb::RedFlag* flag : c_.kb.RedFlagsFor(complaint.condition_id)) {
        // Age-fitted (a child's bowel question is not an adult's) and, in pregnancy, fitted to
        // the week when it is known (pre-eclampsia from 20 weeks).
        if ((!flag->pregnancy_only || pregnant) &&
            flag->AppliesTo(p_.person.age_months, p_.gestation_weeks)) {
          net.red_flags.push_back(flag);
        }
      }
      if (!net.red_flags.empty()) plan_.safety_net.push_back(std::move(net));
    }
  }

  void DecideSupplement() {
    auto any_with = [&](VerdictPolicy policy) {
      return std::any_of(plan_.findings.begin(), plan_.findings.end(), [&](const FindingNote& n) {
        return n.finding != nullptr && n.policy == policy;
      });
    };
    const bool recommend = any_with(VerdictPolicy::kRecommend);
    if (!recommend && !any_with(VerdictPolicy::kTrial)) {
      if (!plan_.findings.empty()) Fire("supplement.not_supported_by_evidence");
      return;
    }
    // The complaints that drive the dose: those with a recommendation, else those offered a trial.
    const VerdictPolicy driving = recommend ? VerdictPolicy::kRecommend : VerdictPolicy::kTrial;
    double studied_low = 0, studied_high = 0;  // Elemental mg/day; 0 = no studied dose known.
    for (const auto& note : plan_.findings) {
      if (note.finding == nullptr || note.policy != driving) continue;
      const double low = note.finding->dose_elemental_mg_low.value_or(0);
      studied_low = std::max(studied_low, low);
      studied_high = std::max(studied_high, note.finding->dose_elemental_mg_high.value_or(low));
    }
    if (plan_.supplement_withheld_for_safety) return;
    if (p_.route == RoutePreference::kFoodOnly) {
      Fire("preference.food_only");
      return;
    }
    // A child's laxative and its dose are a clinician's choice, never an adult dose from here.
    if (wants_laxative_ && p_.person.age_months < policy_.clinician_set_laxative_below_years * 12) {
      plan_.referrals.push_back(
          {kb::Urgency::kRoutine, Text("safety.child_laxative"), "child_laxative"});
      Withhold("safety.child_laxative");
      return;
    }
    if (p_.route == RoutePreference::kTopical) {
      Fire("preference.topical");
      plan_.warnings.push_back(Text("preference.topical"));
      return;
    }
    if (!plan_.totals.ul_supplemental_mg) {
      Withhold("safety.ul_not_established");
      plan_.warnings.push_back(Text("safety.ul_not_established"));
      return;
    }
    const double ul = *plan_.totals.ul_supplemental_mg;
    const double existing = plan_.totals.existing_supplemental_mg;  // <= ul: see ExistingLoad().
    double cap = ul - existing;
    if (cap_mg_) cap = std::min(cap, std::max(0.0, *cap_mg_ - existing));
    double target = studied_low > 0 ? studied_low : policy_.default_target_mg;
    if (studied_low <= 0) Fire("dose.default_target");
    if (studied_high > cap) {
      Fire("safety.studied_dose_above_limit");
      plan_.warnings.push_back(Text(existing > 0
                                        ? "safety.studied_dose_above_limit.counting_existing"
                                        : "safety.studied_dose_above_limit",
                                    {{"studied_mg", FormatNumber(studied_high)},
                                     {"cap_mg", FormatNumber(cap)},
                                     {"ul_mg", FormatNumber(ul)},
                                     {"existing_mg", FormatNumber(existing)}}));
    }
    if (target > cap) {
      target = cap;
      Fire("safety.capped_at_limit");
    }
    target = RoundDown(target, policy_.round_to_mg);
    if (target < policy_.min_useful_mg) {
      Fire("dose.no_room_under_limit");
      plan_.warnings.push_back(Text("dose.no_room_under_limit"));
      return;
    }
    Supplement supplement;
    supplement.is_trial = !recommend;
    supplement.daily_elemental_mg = target;
    Fire(recommend ? "supplement.recommended" : "supplement.trial");
    if (!ChooseForm(supplement)) return;
    if (!ScheduleDoses(supplement)) return;
    if (p_.product) UseProduct(supplement);
    Titrate(supplement);
    plan_.totals.planned_supplemental_mg = supplement.daily_elemental_mg;
    plan_.supplement = std::move(supplement);
  }

  bool ChooseForm(Supplement& s) {
    const auto& order =
        wants_laxative_ ? policy_.laxative_form_preference : policy_.form_preference;
    if (wants_laxative_) Fire("form.laxative_wanted");
    if (avoid_laxative_) Fire("form.avoid_laxative");
    const int doses = s.daily_elemental_mg > policy_.split_above_mg ? 2 : 1;
    const kb::Form* fallback = nullptr;
    const chem::Compound* fallback_compound = nullptr;
    int fallback_pills = 0;
    for (const auto& form_id : order) {
      const kb::Form* form = c_.kb.FindForm(form_id);
      if (form == nullptr || form->compound_ids.empty()) continue;
      if (avoid_laxative_ && (form->laxative || form->diarrhoea_risk == kb::Level::kHigh)) continue;
      if (p_.sensitive_stomach && form->diarrhoea_risk != kb::Level::kLow) continue;
      const chem::Compound* compound = c_.compounds.FindById(form->compound_ids.front());
      if (compound == nullptr) continue;
      const double per_dose = chem::CompoundForElemental(*compound, s.daily_elemental_mg / doses);
      const int pills =
          doses * static_cast<int>(std::ceil(per_dose / policy_.compound_mg_per_pill - 1e-9));
      if (p_.max_pills_per_day && pills > *p_.max_pills_per_day) {
        if (fallback == nullptr || pills < fallback_pills) {
          fallback = form;
          fallback_compound = compound;
          fallback_pills = pills;
        }
        continue;
      }
      SetForm(s, *form, *compound, pills);
      return true;
    }
    if (fallback != nullptr) {
      Fire("form.pill_limit_exceeded");
      plan_.warnings.push_back(
          Text("form.pill_limit_exceeded", {{"max_pills", std::to_string(*p_.max_pills_per_day)},
                                            {"pills", std::to_string(fallback_pills)}}));
      SetForm(s, *fallback, *fallback_compound, fallback_pills);
      return true;
    }
    Fire("form.none_suitable");
    plan_.warnings.push_back(Text("form.none_suitable"));
    return false;
  }

  void SetForm(Supplement& s, const kb::Form& form, const chem::Compound& compound, int pills) {
    s.form_id = form.id;
    s.compound_id = compound.id;
    s.route = form.route;
    s.daily_compound_mg = chem::CompoundForElemental(compound, s.daily_elemental_mg);
    s.estimated_pills_per_day = pills;
    const auto reason = policy_.form_reasons.find(form.id);
    if (reason != policy_.form_reasons.end())
      s.reasons.push_back(form.name + ": " + reason->second);
    Fire("form.", form.id);
  }

  bool DoseTimeAllowed(double hour) const {
    for (const auto& note : plan_.interactions) {
      if (note.action == kb::InteractionAction::kMonitor) continue;
      for (double medicine_hour : note.medicine_hours) {
        if (!KeepsSpacing(hour, medicine_hour, note.mg_hours_before_medicine,
                          note.mg_hours_after_medicine)) {
          return false;
        }
      }
    }
    return true;
  }

  // The minutes of the day a dose may take, from the policy's earliest to its latest hour: each
  // keeps every spacing rule. Minute resolution, so a window narrower than the search step (a
  // medicine twice a day leaves 12:00-15:00 between doxycycline at 09:00 and 21:00) is found.
  struct DayMinutes {
    int first = 0;              // Minute of the day of allowed[0].
    std::vector<bool> allowed;  // allowed[i]: minute first + i keeps every spacing rule.
    int earliest_allowed = -1, latest_allowed = -1;  // -1: none.
    bool Allowed(int minute) const {
      return minute >= first && minute < first + static_cast<int>(allowed.size()) &&
             allowed[minute - first];
    }
  };

  DayMinutes AllowedMinutes() const {
    DayMinutes day;
    day.first = static_cast<int>(std::ceil(policy_.earliest_hour * 60 - 1e-9));
    const int last = static_cast<int>(std::floor(policy_.latest_hour * 60 + 1e-9));
    for (int m = day.first; m <= last; ++m) {
      const bool ok = DoseTimeAllowed(m / 60.0);
      day.allowed.push_back(ok);
      if (ok && day.earliest_allowed < 0) day.earliest_allowed = m;
      if (ok) day.latest_allowed = m;
    }
    return day;
  }

  // The allowed minute nearest to `preferred` (earlier first on ties) for which `fits` holds:
  // first on the policy's step (times people read easily), then at any minute. nullopt only when
  // no allowed minute of the day fits.
  template <typename Fits>
  std::optional<int> NearestMinute(const DayMinutes& day, double preferred, Fits fits) const {
    const int span = static_cast<int>(day.allowed.size());
    const double step = policy_.step_hours;
    const int max_steps = static_cast<int>(span / (step * 60)) + 1;
    for (int k = 0; k <= max_steps; ++k) {
      for (double hour : {preferred - k * step, preferred + k * step}) {
        const int m = static_cast<int>(std::lround(hour * 60));
        if (std::fabs(m / 60.0 - hour) < 1e-9 && day.Allowed(m) && fits(m)) return m;
      }
    }
    const int centre = static_cast<int>(std::lround(preferred * 60));
    for (int k = 0; k <= span + std::abs(centre - day.first); ++k) {
      for (int m : {centre - k, centre + k}) {
        if (day.Allowed(m) && fits(m)) return m;
      }
    }
    return std::nullopt;
  }

  bool ScheduleDoses(Supplement& s) {
    const chem::Compound* compound = c_.compounds.FindById(s.compound_id);
    const double last_hour = night_time_ ? policy_.night_dose_hour : policy_.evening_meal_hour;
    if (night_time_) Fire("timing.evening_for_night_symptoms");
    const DayMinutes day = AllowedMinutes();
    if (day.earliest_allowed < 0) {
      std::string alternatives;
      for (const auto& note : plan_.interactions) {
        if (note.action != kb::InteractionAction::kSeparate) continue;
        const kb::Interaction* interaction = c_.kb.FindInteraction(note.interaction_id);
        if (interaction != nullptr && !interaction->management.empty()) {
          alternatives += fmt::format("{}{}: {}", alternatives.empty() ? "" : " ", note.medicine,
                                      interaction->management);
        }
      }
      plan_.referrals.push_back(
          {kb::Urgency::kRoutine,
           Text("safety.no_spaced_slot", {{"earliest", FormatHour(policy_.earliest_hour)},
                                          {"latest", FormatHour(policy_.latest_hour)},
                                          {"alternatives", alternatives}}),
           "timing"});
      Withhold("safety.no_spaced_slot");
      return false;
    }
    const int gap = static_cast<int>(std::ceil(policy_.min_hours_between_doses * 60 - 1e-9));
    std::vector<std::pair<int, double>> placed;  // (minute, elemental mg)
    if (s.daily_elemental_mg > policy_.split_above_mg) {
      // The last dose first (its time matters most for night-time symptoms), at a minute that
      // leaves room for the first one; then the first dose nearest the morning.
      const auto last = NearestMinute(day, last_hour, [&](int m) {
        return day.earliest_allowed <= m - gap || day.latest_allowed >= m + gap;
      });
      if (last) {
        const auto first = NearestMinute(day, policy_.morning_hour,
                                         [&](int m) { return std::abs(m - *last) >= gap; });
        const double first_mg = RoundDown(s.daily_elemental_mg / 2, policy_.round_to_mg);
        placed = {{*first, first_mg}, {*last, s.daily_elemental_mg - first_mg}};
        Fire("timing.split_dose");
        if (std::fabs(*last / 60.0 - last_hour) > 1e-9 ||
            std::fabs(*first / 60.0 - policy_.morning_hour) > 1e-9) {
          Fire("timing.moved_for_spacing");
        }
      } else {
        // Room for one dose a day only: one dose, no larger than a dose that needs no split.
        const double one =
            RoundDown(std::min(s.daily_elemental_mg, policy_.split_above_mg), policy_.round_to_mg);
        if (one < policy_.min_useful_mg) {
          Withhold("safety.no_spaced_slot");
          return false;
        }
        s.daily_elemental_mg = one;
        s.daily_compound_mg = chem::CompoundForElemental(*compound, one);
        s.estimated_pills_per_day =
            static_cast<int>(std::ceil(s.daily_compound_mg / policy_.compound_mg_per_pill - 1e-9));
        const int only = *NearestMinute(day, last_hour, [](int) { return true; });
        placed = {{only, one}};
        Fire("timing.one_dose_only");
        plan_.warnings.push_back(Text("timing.one_dose_only", {{"mg", FormatNumber(one)},
                                                               {"time", FormatHour(only / 60.0)}}));
        if (std::fabs(only / 60.0 - last_hour) > 1e-9) Fire("timing.moved_for_spacing");
      }
    } else {
      const int only = *NearestMinute(day, last_hour, [](int) { return true; });
      placed = {{only, s.daily_elemental_mg}};
      if (std::fabs(only / 60.0 - last_hour) > 1e-9) Fire("timing.moved_for_spacing");
    }
    for (const auto& [minute, mg] : placed) {
      s.doses.push_back({minute / 60.0, mg, chem::CompoundForElemental(*compound, mg)});
    }
    std::sort(s.doses.begin(), s.doses.end(),
              [](const Dose& a, const Dose& b) { return a.hour < b.hour; });
    if (!plan_.interactions.empty()) Fire("timing.spacing_checked");
    return true;
  }

  // The oral self-care form of the knowledge base that a catalogue compound is, or nullptr.
  const kb::Form* FormOfCompound(const std::string& compound_id) const {
    for (const auto* list : {&policy_.form_preference, &policy_.laxative_form_preference}) {
      for (const auto& form_id : *list) {
        const kb::Form* form = c_.kb.FindForm(form_id);
        if (form != nullptr && std::find(form->compound_ids.begin(), form->compound_ids.end(),
                                         compound_id) != form->compound_ids.end()) {
          return form;
        }
      }
    }
    const kb::Form* form = c_.kb.FindForm(compound_id);
    return form != nullptr && form->route == kb::Route::kOral ? form : nullptr;
  }

  // Why a form does not suit this person's gut, or "" when it does: the same rules ChooseForm
  // applies to the plan's own choice.
  std::string FormUnsuitable(const kb::Form& form) const {
    if (avoid_laxative_ && (form.laxative || form.diarrhoea_risk == kb::Level::kHigh)) {
      return "loosens the stool, which your profile says to avoid";
    }
    if (p_.sensitive_stomach && form.diarrhoea_risk != kb::Level::kLow) {
      return "is not gentle on a sensitive stomach";
    }
    return "";
  }

  // Units of the product for `mg`, rounded down to what can be measured: never more magnesium
  // than the plan's amount, so never above the limit the amount was capped at.
  double UnitsFor(double mg, double step) const {
    return std::floor(mg / p_.product->elemental_mg_per_unit / step + 1e-9) * step;
  }
  double ProductStep() const {
    const auto it = policy_.product_measure_steps.find(p_.product->unit);
    return it == policy_.product_measure_steps.end() ? 1.0 : it->second;
  }

  // The person's own product: the plan's doses become what can be measured of it (whole pills,
  // or steps of a liquid or powder), never more magnesium than planned. A product whose form
  // does not suit the person, or whose one unit is more than the day's amount, is not used: the
  // plan stays in milligrams and says why.
  void UseProduct(Supplement& s) {
    const ProductChoice& product = *p_.product;
    std::string forms;
    const kb::Form* first_form = nullptr;
    for (const auto& id : product.compound_ids) {
      const kb::Form* form = FormOfCompound(id);
      if (form == nullptr) continue;
      if (first_form == nullptr) first_form = form;
      const std::string why = FormUnsuitable(*form);
      if (!why.empty()) {
        Fire("product.form_unsuitable");
        plan_.warnings.push_back(
            Text("product.form_unsuitable",
                 {{"product", product.name}, {"form", form->name}, {"why", why}}));
        return;
      }
      forms += (forms.empty() ? "" : ", ") + form->name;
    }
    const double step = ProductStep();
    const double u = product.elemental_mg_per_unit;
    double units = UnitsFor(s.daily_elemental_mg, step);
    if (units <= 0) {
      Fire("product.unit_above_dose");
      plan_.warnings.push_back(
          Text("product.unit_above_dose", {{"product", product.name},
                                           {"unit", product.unit},
                                           {"unit_mg", FormatNumber(u, 1)},
                                           {"dose_mg", FormatNumber(s.daily_elemental_mg)}}));
      return;
    }
    // Pills are the units the policy does not measure in steps (mL, scoops...).
    const bool pills = !policy_.product_measure_steps.contains(product.unit);
    if (pills && p_.max_pills_per_day && units > *p_.max_pills_per_day) {
      units = *p_.max_pills_per_day;
      Fire("product.pill_limit");
      plan_.warnings.push_back(
          Text("product.pill_limit", {{"max_pills", std::to_string(*p_.max_pills_per_day)},
                                      {"product", product.name},
                                      {"mg", FormatNumber(units * u)}}));
    }
    // Never more than the label's own daily maximum: its directions are part of the product.
    if (product.label_max_units_per_day) {
      const double most = std::floor(*product.label_max_units_per_day / step + 1e-9) * step;
      if (units > most && most > 0) {
        units = most;
        Fire("product.label_maximum");
        plan_.warnings.push_back(Text("product.label_maximum", {{"product", product.name},
                                                                {"units", FormatNumber(most, 2)},
                                                                {"unit", product.unit},
                                                                {"mg", FormatNumber(units * u)}}));
      }
    }
    if (product.label_suggested_units_per_day &&
        units > *product.label_suggested_units_per_day + 1e-9) {
      Fire("product.above_label_suggestion");
      plan_.warnings.push_back(
          Text("product.above_label_suggestion",
               {{"product", product.name},
                {"suggested", FormatNumber(*product.label_suggested_units_per_day, 2)},
                {"unit", product.unit},
                {"units", FormatNumber(units, 2)}}));
    }
    // The doses keep the times the schedule found (each keeps every spacing rule); a split that
    // the product cannot fill goes to the later time, which matters most for night symptoms.
    std::vector<std::pair<double, double>> placed;  // (hour, units)
    if (s.doses.size() == 2 && units >= 2 * step) {
      const double first = std::floor(units / 2 / step + 1e-9) * step;
      placed = {{s.doses[0].hour, first}, {s.doses[1].hour, units - first}};
    } else {
      placed = {{s.doses.back().hour, units}};
      if (s.doses.size() == 2) {
        Fire("product.one_dose");
        plan_.warnings.push_back(Text("product.one_dose", {{"product", product.name},
                                                           {"unit", product.unit},
                                                           {"mg", FormatNumber(units * u, 1)},
                                                           {"time", FormatHour(placed[0].first)}}));
      }
    }
    const chem::Compound* compound =
        product.compound_ids.size() == 1 ? c_.compounds.FindById(product.compound_ids[0]) : nullptr;
    s.doses.clear();
    for (const auto& [hour, n] : placed) {
      const double mg = n * u;
      s.doses.push_back({hour, mg, compound ? chem::CompoundForElemental(*compound, mg) : 0, n});
    }
    s.daily_elemental_mg = units * u;
    s.daily_compound_mg =
        compound ? chem::CompoundForElemental(*compound, s.daily_elemental_mg) : 0;
    s.form_id = first_form ? first_form->id : "";
    s.compound_id = product.compound_ids.empty() ? "" : product.compound_ids.front();
    s.estimated_pills_per_day = pills ? static_cast<int>(units) : 0;
    s.reasons.clear();
    s.reasons.push_back(fmt::format(
        "{}the product you named{}", product.name == "your product" ? "" : product.name + ", ",
        forms.empty() ? " (its magnesium form is not one the knowledge base grades)"
                      : fmt::format(" ({})", forms)));
    if (first_form != nullptr) {
      const auto reason = policy_.form_reasons.find(first_form->id);
      if (reason != policy_.form_reasons.end()) {
        s.reasons.push_back(first_form->name + ": " + reason->second);
      }
    }
    ProductUse use{
        product.name,         product.unit,          u, units, std::nullopt, product.currency,
        product.price_source, product.label_warnings};
    if (product.price_per_unit) use.cost_per_day = *product.price_per_unit * units;
    s.product = std::move(use);
    Fire("product.used");
  }

  void Titrate(Supplement& s) {
    double daily = std::min(policy_.start_mg, s.daily_elemental_mg);
    int week = 1;
    while (true) {
      s.titration.push_back({week, daily});
      if (daily >= s.daily_elemental_mg) break;
      daily = std::min(s.daily_elemental_mg, daily + policy_.weekly_step_mg);
      ++week;
    }
    if (s.product) {
      // In units of the product: at least one measure a day, never more than the full dose.
      const double step = ProductStep();
      std::vector<TitrationStep> steps;
      for (const TitrationStep& t : s.titration) {
        const double units = std::min(s.product->units_per_day,
                                      std::max(step, UnitsFor(t.daily_elemental_mg, step)));
        if (!steps.empty() && steps.back().daily_units == units) continue;
        steps.push_back({t.week, units * s.product->elemental_mg_per_unit, units});
      }
      s.titration = std::move(steps);
    }
    if (s.titration.size() > 1) Fire("dose.titrate");
  }

  void Foods() {
    plan_.totals.diet_mg = p_.diet_mg_per_day;
    plan_.totals.diet_is_lower_bound = p_.diet_is_lower_bound;
    if (p_.diet_mg_per_day && plan_.totals.intake_target_mg &&
        *plan_.totals.intake_target_mg > *p_.diet_mg_per_day) {
      plan_.totals.diet_gap_mg = *plan_.totals.intake_target_mg - *p_.diet_mg_per_day;
      Fire("food.gap");
    }
    if (!p_.food_exclusions.ids.empty()) Fire("food.exclusions");
    // A list of adult portions suits neither a baby nor someone whose potassium and phosphorus
    // the renal team may limit: they get advice in words instead.
    if (p_.person.age_months < policy_.food_list_from_age_months) {
      plan_.food_note = Text("food.infant");
      Fire("food.infant");
      return;
    }
    if (RenalDietMayApply()) {
      plan_.food_note = Text("food.ask_renal_team");
      Fire("food.ask_renal_team");
      return;
    }
    // A child's list gives a child's portion (a fraction of the usual one, the same for every
    // food, so the ranking stands) and, while whole nuts are a choking risk, only smooth spreads
    // of nuts and seeds.
    const double age_years = p_.person.age_months / 12.0;
    const ChildPortions& portions = c_.child_portions;
    const ChildPortions::Band* band = portions.For(age_years);
    const bool spreads_only = age_years < portions.whole_nuts_from_years;
    if (band != nullptr) Fire("food.child_portions");
    constexpr size_t kFoodSuggestions = 6;
    // Ranked per portion and per 100 kcal, the best of each food group first (food_ranking.h).
    auto suitable = [&](const foods::Food& food) {
      if (p_.food_exclusions.Excludes(food)) return false;
      return !(spreads_only && food.category == portions.nut_category &&
               std::none_of(portions.spread_words.begin(), portions.spread_words.end(),
                            [&](const std::string& word) {
                              return NormalizeName(food.name).find(word) != std::string::npos;
                            }));
    };
    for (const RankedFood* rich :
         ChooseVariedFoods(c_.foods_by_magnesium, policy_, kFoodSuggestions, suitable)) {
      plan_.foods.push_back(SuggestFood(*rich, band));
    }
  }

  bool RenalDietMayApply() const {
    if (p_.egfr && *p_.egfr < policy_.renal_diet_egfr_below) return true;
    if (p_.ckd_stage && *p_.ckd_stage >= policy_.renal_diet_ckd_stage_at_least) return true;
    return std::any_of(policy_.renal_diet_diagnoses.begin(), policy_.renal_diet_diagnoses.end(),
                       [&](const std::string& id) {
                         return std::find(p_.diagnosis_ids.begin(), p_.diagnosis_ids.end(), id) !=
                                p_.diagnosis_ids.end();
                       });
  }

  // An n-of-1 trial tests the plan's supplement; without one there is nothing to test.
  void FollowUp() {
    plan_.suggests_trial = plan_.supplement.has_value();
    const char* rule = plan_.suggests_trial ? "follow_up.trial" : "follow_up.journal";
    plan_.follow_up = Text(rule);
    Fire(rule);
  }

  void WatchFor() {
    const bool any_magnesium = plan_.supplement.has_value() || !p_.magnesium_taken.empty();
    if (!any_magnesium) return;
    for (const auto& effect : c_.kb.side_effects) {
      const bool form_matches =
          effect.form_ids.empty() ||
          (plan_.supplement && std::find(effect.form_ids.begin(), effect.form_ids.end(),
                                         plan_.supplement->form_id) != effect.form_ids.end());
      if (form_matches || effect.toxicity) plan_.watch_for.push_back(&effect);
    }
  }

  const Profile& p_;
  const PlanContext& c_;
  const Trace trace_;
  const Policy& policy_;
  Plan plan_;
  bool emergency_ = false;
  bool night_time_ = false;
  bool wants_laxative_ = false;
  bool avoid_laxative_ = false;
  std::optional<double> cap_mg_;
  std::vector<Complaint> complaints_;  // The profile's, routed for pregnancy (RouteComplaints).
  std::string refer_first_complaint_;  // The complaint a blood test confirms (low magnesium).
};

}  // namespace

VerdictPolicy PolicyFor(const kb::Finding& finding, const Policy& policy) {
  const VerdictPolicy base = policy.verdict.at(finding.verdict);
  // Certainty enums run from kHigh (0) to kVeryLow (3): a larger value is less certain.
  if (base == VerdictPolicy::kRecommend &&
      (!finding.certainty || *finding.certainty > policy.min_certainty_to_recommend)) {
    return VerdictPolicy::kTrial;
  }
  return base;
}

bool KeepsSpacing(double mg_hour, double medicine_hour, std::optional<double> hours_before,
                  std::optional<double> hours_after) {
  if (!hours_before && !hours_after) return true;
  // A one-sided rule is applied on both sides: the data gives no licence to crowd the other side.
  const double need_before = hours_before.value_or(*hours_after);
  const double need_after = hours_after.value_or(*hours_before);
  // Both are taken every day, so measure around the clock: hours from the medicine forward to
  // the dose, and from the dose forward to the next medicine.
  double after = std::fmod(mg_hour - medicine_hour, 24.0);
  if (after < 0) after += 24.0;
  const double before = 24.0 - after;
  return after >= need_after - 1e-9 && before >= need_before - 1e-9;
}

std::string FormatHour(double hour) {
  constexpr long kDay = 24 * 60;
  // On the clock face: 24:00 is 00:00, and an hour before midnight is 23:00.
  const int minutes = static_cast<int>((std::lround(hour * 60) % kDay + kDay) % kDay);
  // "HH:MM" by hand: every dose of every plan request is written with it, and a format string
  // parsed at run time cost ~1,200 instructions a time (issue 20).
  const int h = minutes / 60, m = minutes % 60;
  const char text[] = {static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                       static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
  return std::string(text, sizeof text);
}

Plan BuildPlan(const Profile& profile, const PlanContext& context, Trace trace) {
  return PlanBuilder(profile, context, trace).Build();
}

Result<TrialDose> TrialDoseFromPlan(const Plan& plan, std::optional<double> requested_mg) {
  if (!plan.supplement) {
    std::string why;
    for (const auto& referral : plan.referrals) why += "\n  - " + referral.reason;
    for (const auto& warning : plan.warnings) why += "\n  - " + warning;
    return Error{ErrorCode::kUnsafe,
                 "the plan advises no magnesium supplement, so no trial of one can be planned" +
                     (why.empty() ? std::string(" (the plan's findings say why)") : ":" + why)};
  }
  TrialDose out{plan.supplement->daily_elemental_mg, plan.supplement->compound_id};
  if (requested_mg) {
    if (!(*requested_mg > 0)) {
      return InvalidArgument(
          fmt::format("dose: {} is not a positive number of mg", FormatNumber(*requested_mg)));
    }
    if (*requested_mg > out.dose_mg) {
      return Error{ErrorCode::kUnsafe,
                   fmt::format("dose: {} mg/day is more than the {} mg/day the plan allows "
                               "(supplemental upper limit and safety rules); use at most that",
                               FormatNumber(*requested_mg), FormatNumber(out.dose_mg))};
    }
    out.dose_mg = *requested_mg;
  }
  return out;
}

}  // namespace mg::plan
