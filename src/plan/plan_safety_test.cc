// Safety invariants, tested exhaustively over a grid of profiles rather than by example.
//
// The grid crosses every age from birth to 100 (months for infants), both sexes, pregnancy and
// lactation, both reference sets, every kidney band (including unknown), and existing supplement
// loads from none to above the upper limit; on that base it rotates through every complaint,
// every interaction class, every diagnosis, every red flag and every preference. A second block
// crosses every complaint × every interaction class × every diagnosis × loads for an adult. A
// third walks every catalogued magnesium-containing product × amounts × ages through the real
// profile resolver and fails when any of them is not counted toward the limit.
// The checks re-derive what must hold from the knowledge base and reference tables themselves,
// not from the engine's own bookkeeping.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "plan/food_ranking.h"
#include "plan/plan.h"
#include "plan/plan_test_util.h"
#include "plan/profile.h"
#include "plan/render.h"
#include "products/catalogue.h"
#include "products/products_test_util.h"

namespace mg::plan {
namespace {

using testing::Context;

struct Dimensions {
  std::vector<std::string> conditions;  // "" = no complaint.
  std::vector<std::string> medicines;   // A member of each interaction class; "" = none.
  std::vector<std::string> diagnoses;   // "" = none.
  std::vector<std::string> red_flags;   // "" = none.
};

Dimensions CollectDimensions(const kb::KnowledgeBase& kb) {
  Dimensions d;
  d.conditions.push_back("");
  for (const auto& c : kb.conditions) d.conditions.push_back(c.id);
  d.medicines.push_back("");
  for (const auto& i : kb.interactions) {
    if (!i.medicines.empty()) d.medicines.push_back(i.medicines.front().generic);
  }
  // A member of each group of medicines that can worsen a complaint.
  for (const auto& group : Context().policy.aggravating_medicines)
    d.medicines.push_back(group.ingredient_ids.back());
  d.diagnoses.push_back("");
  for (const auto& g : kb.diagnoses) d.diagnoses.push_back(g.id);
  d.red_flags.push_back("");
  for (const auto& r : kb.red_flags) d.red_flags.push_back(r.id);
  return d;
}

int UrgencyRank(kb::Urgency u) {
  return u == kb::Urgency::kEmergency ? 0 : u == kb::Urgency::kSoon ? 1 : 2;
}

// The test's own reading of a trigger (kept deliberately plain).
bool Fires(const kb::Trigger& t, const Profile& p) {
  const bool has_diagnosis =
      t.diagnosis && std::find(p.diagnosis_ids.begin(), p.diagnosis_ids.end(), *t.diagnosis) !=
                         p.diagnosis_ids.end();
  if (t.egfr_below && !(p.egfr && *p.egfr < *t.egfr_below)) return false;
  if (t.ckd_stage_at_least && !(p.ckd_stage && *p.ckd_stage >= *t.ckd_stage_at_least)) return false;
  if (t.diagnosis && !has_diagnosis) return false;
  if (t.pregnancy && p.person.state != dri::ReproductiveState::kPregnant) return false;
  if (t.lactation && p.person.state != dri::ReproductiveState::kLactating) return false;
  if (t.age_below_years && !(p.person.age_months < *t.age_below_years * 12)) return false;
  return t.egfr_below || t.ckd_stage_at_least || t.diagnosis || t.pregnancy || t.lactation ||
         t.age_below_years;
}

bool OutsideWindow(double dose, double medicine, double before, double after) {
  double forward = std::fmod(dose - medicine + 48.0, 24.0);  // Medicine → dose.
  return forward >= after - 1e-6 && (24.0 - forward) >= before - 1e-6;
}

class SafetyChecker {
 public:
  explicit SafetyChecker(const PlanContext& c) : c_(c) {}

  // Checks the plan for `p` and returns it, for a test's own further checks.
  Plan Check(const Profile& p) {
    ++profiles_;
    const Plan plan = BuildPlan(p, c_);
    if (plan.supplement) ++with_supplement_;
    auto fail = [&](const std::string& what) {
      if (++failures_ <= 20) ADD_FAILURE() << what << " — " << Describe(p);
    };
    // 1. Upper limit: existing + planned never above the person's supplemental UL.
    auto row = c_.references.Lookup(p.reference, p.person);
    double existing = 0;
    for (const auto& m : p.magnesium_taken) existing += m.elemental_mg_per_day;
    // Someone already above the limit is told so, whatever their complaints.
    if (row.ok() && row->row->ul_supplemental_mg && existing > *row->row->ul_supplemental_mg) {
      bool referred = false;
      for (const auto& r : plan.referrals)
        referred = referred || r.source_id == "ul_already_exceeded";
      if (!testing::Fired(plan, "safety.ul_already_exceeded") || !referred)
        fail("existing load above the UL not reported and referred");
    }
    // A withheld supplement always says why: a referral or a note to point to.
    if (plan.supplement_withheld_for_safety && plan.referrals.empty() && plan.warnings.empty())
      fail("supplement withheld with no reason shown");
    if (plan.supplement) {
      const Supplement& s = *plan.supplement;
      if (!row.ok() || !row->row->ul_supplemental_mg)
        fail("supplement without an established UL");
      else if (existing + s.daily_elemental_mg > *row->row->ul_supplemental_mg + 1e-9)
        fail("above UL");
      if (!(s.daily_elemental_mg > 0)) fail("non-positive dose");
      double sum = 0;
      for (const auto& d : s.doses) {
        sum += d.elemental_mg;
        if (d.hour < c_.policy.earliest_hour - 1e-9 || d.hour > c_.policy.latest_hour + 1e-9)
          fail("dose at night");
      }
      if (std::fabs(sum - s.daily_elemental_mg) > 1e-6) fail("doses do not add up");
      for (const auto& step : s.titration) {
        if (step.daily_elemental_mg > s.daily_elemental_mg + 1e-9) fail("titration above target");
      }
      if (s.titration.empty() || s.titration.back().daily_elemental_mg != s.daily_elemental_mg)
        fail("titration end");
      if (p.person.age_months < 12) fail("infant given a supplement");
    }
    // 2. Contraindications: never skipped. Rules of one cause (kidney, young age) refer once:
    // each blocking rule that fires is referred, by itself or by a rule of its cause, and each
    // cause has exactly one referral.
    std::map<std::string, int> referrals_by_cause;
    for (const auto& r : plan.referrals) {
      for (const auto& ci : c_.kb.contraindications) {
        if (r.source_id == ci.id && !ci.cause.empty()) ++referrals_by_cause[ci.cause];
      }
    }
    for (const auto& ci : c_.kb.contraindications) {
      if (!Fires(ci.trigger, p)) continue;
      const bool blocks = ci.action == kb::ContraindicationAction::kNoSupplement ||
                          ci.action == kb::ContraindicationAction::kClinicianFirst;
      if (blocks) {
        if (plan.supplement) fail("supplement despite contraindication " + ci.id);
        bool referred = false;
        for (const auto& r : plan.referrals) referred = referred || r.source_id == ci.id;
        if (!ci.cause.empty()) {
          referred = referrals_by_cause[ci.cause] == 1;
          if (referrals_by_cause[ci.cause] > 1) fail("more than one referral for " + ci.cause);
        }
        if (!referred) fail("no referral for contraindication " + ci.id);
      }
      if (ci.action == kb::ContraindicationAction::kCaution && ci.max_supplemental_mg &&
          plan.supplement &&
          existing + plan.supplement->daily_elemental_mg > *ci.max_supplemental_mg + 1e-9) {
        fail("above the caution ceiling of " + ci.id);
      }
    }
    // 3. Interactions: listed with their rule; spacing kept by every dose.
    for (const auto& m : p.medicines) {
      if (m.interaction_id.empty()) continue;
      const kb::Interaction* interaction = c_.kb.FindInteraction(m.interaction_id);
      bool listed = false;
      for (const auto& note : plan.interactions) {
        listed = listed || (note.medicine == m.name && note.interaction_id == m.interaction_id &&
                            !note.rule.empty());
      }
      if (!listed) fail("interaction not listed: " + m.name);
      if (interaction->action == kb::InteractionAction::kClinicianReview && plan.supplement) {
        fail("supplement despite prescriber review for " + m.name);
      }
      if (interaction->action == kb::InteractionAction::kSeparate && plan.supplement) {
        const double before = interaction->mg_hours_before_medicine.value_or(
            interaction->mg_hours_after_medicine.value_or(0));
        const double after = interaction->mg_hours_after_medicine.value_or(
            interaction->mg_hours_before_medicine.value_or(0));
        for (const auto& d : plan.supplement->doses) {
          for (double h : m.hours) {
            if (!OutsideWindow(d.hour, h, before, after)) fail("spacing broken for " + m.name);
          }
        }
      }
    }
    // 4. Red flags: referred, ahead of anything less urgent; an emergency stops the supplement.
    if (!p.red_flag_ids.empty()) {
      int most_urgent = 3;
      for (const auto& id : p.red_flag_ids)
        most_urgent = std::min(most_urgent, UrgencyRank(c_.kb.FindRedFlag(id)->urgency));
      // The first referral is at least as urgent as the most urgent red flag (a more urgent
      // contraindication may stand before a routine flag), and every flag has its referral.
      if (plan.referrals.empty() || UrgencyRank(plan.referrals.front().urgency) > most_urgent) {
        fail("red flag not referred first");
      }
      for (const auto& id : p.red_flag_ids) {
        bool referred = false;
        for (const auto& r : plan.referrals) referred = referred || r.source_id == id;
        if (!referred) fail("no referral for red flag " + id);
      }
      if (most_urgent == 0 && plan.supplement) fail("supplement despite an emergency red flag");
    }
    for (size_t i = 1; i < plan.referrals.size(); ++i) {
      if (UrgencyRank(plan.referrals[i - 1].urgency) > UrgencyRank(plan.referrals[i].urgency))
        fail("referrals out of order");
    }
    // 5. Every finding cites resolvable sources.
    for (const auto& f : plan.findings) {
      if (f.finding == nullptr) continue;
      if (f.finding->citation_ids.empty()) fail("uncited finding " + f.finding->id);
      for (const auto& id : f.finding->citation_ids) {
        if (c_.kb.FindCitation(id) == nullptr) fail("dangling citation " + id);
      }
    }
    // 11. Every risk group of low magnesium (a listed medicine class or diagnosis) yields one
    // blood-test referral.
    bool at_risk = false;
    for (const auto& m : p.medicines) {
      at_risk = at_risk ||
                std::find(c_.policy.risk_interactions.begin(), c_.policy.risk_interactions.end(),
                          m.interaction_id) != c_.policy.risk_interactions.end();
    }
    for (const auto& d : p.diagnosis_ids) {
      at_risk = at_risk ||
                std::find(c_.policy.risk_diagnoses.begin(), c_.policy.risk_diagnoses.end(), d) !=
                    c_.policy.risk_diagnoses.end();
    }
    const long blood_tests =
        std::count_if(plan.referrals.begin(), plan.referrals.end(),
                      [](const Referral& r) { return r.source_id == "risk_group"; });
    if (blood_tests != (at_risk ? 1 : 0)) fail("risk-group referral count wrong");
    // Low magnesium asks for the same blood test: one referral in all, never two.
    const long refer_first =
        std::count_if(plan.referrals.begin(), plan.referrals.end(),
                      [](const Referral& r) { return r.source_id == "refer_first"; });
    if (blood_tests + refer_first > 1) fail("two blood-test referrals");
    // 10. A child gets no adult drug advice, and no supplement as a laxative.
    if (p.person.age_months < 18 * 12) {
      for (const kb::Measure* m : plan.measures) {
        if (m->adults_only) fail("adult measure for a child: " + m->id);
      }
      if (plan.supplement && testing::Fired(plan, "form.laxative_wanted"))
        fail("laxative dose for a child");
    }
    // 9. Every complaint's red-flag questions are in the safety net; pregnancy-only ones only in
    // pregnancy.
    const bool pregnant = p.person.state == dri::ReproductiveState::kPregnant;
    for (const auto& asked : p.complaints) {
      // In pregnancy a complaint is read as its pregnancy variant, when it has one.
      Complaint complaint = asked;
      const kb::Condition* condition = c_.kb.FindCondition(asked.condition_id);
      if (pregnant && condition != nullptr && !condition->in_pregnancy.empty())
        complaint.condition_id = condition->in_pregnancy;
      const SafetyNet* net = nullptr;
      for (const auto& n : plan.safety_net) {
        if (n.condition_id == complaint.condition_id) net = &n;
      }
      for (const auto& flag : c_.kb.red_flags) {
        const bool applies = std::find(flag.condition_ids.begin(), flag.condition_ids.end(),
                                       complaint.condition_id) != flag.condition_ids.end();
        const bool shown = net != nullptr && std::find(net->red_flags.begin(), net->red_flags.end(),
                                                       &flag) != net->red_flags.end();
        // The test's own reading of the age and gestation limits.
        const double years = p.person.age_months / 12.0;
        const bool fits_age = (!flag.from_age_years || years >= *flag.from_age_years) &&
                              (!flag.below_age_years || years < *flag.below_age_years);
        const bool fits_week = !flag.from_gestation_weeks || !p.gestation_weeks ||
                               *p.gestation_weeks >= *flag.from_gestation_weeks;
        const bool due = (!flag.pregnancy_only || pregnant) && fits_age && fits_week;
        if (applies && due && !shown)
          fail("safety-net question missing: " + flag.id + " for " + complaint.condition_id);
        if (shown && !due) fail("question shown that does not fit the person: " + flag.id);
      }
    }
    // 12. Iron drives restless-legs advice: with a complaint the policy lists, a ferritin at or
    // below the adults' line (below the children's line under 18) or a known deficiency gives
    // exactly one iron referral; otherwise none.
    std::vector<std::string> routed;
    for (const auto& asked : p.complaints) {
      const kb::Condition* condition = c_.kb.FindCondition(asked.condition_id);
      routed.push_back(pregnant && condition != nullptr && !condition->in_pregnancy.empty()
                           ? condition->in_pregnancy
                           : asked.condition_id);
    }
    auto count_source = [&](const char* source) {
      return std::count_if(plan.referrals.begin(), plan.referrals.end(),
                           [&](const Referral& r) { return r.source_id == source; });
    };
    const bool iron_complaint = std::any_of(routed.begin(), routed.end(), [&](const auto& id) {
      return std::find(c_.policy.iron_conditions.begin(), c_.policy.iron_conditions.end(), id) !=
             c_.policy.iron_conditions.end();
    });
    const bool child = p.person.age_months < c_.policy.iron_child_below_years * 12;
    const bool low_iron = p.iron_deficiency ||
                          (p.ferritin_ug_l &&
                           (child ? *p.ferritin_ug_l < c_.policy.child_ferritin_below_ug_l
                                  : *p.ferritin_ug_l <= c_.policy.adult_ferritin_at_or_below_ug_l));
    if (count_source("iron") != (iron_complaint && low_iron ? 1 : 0))
      fail("iron referral count wrong");
    // 13. A medicine that can worsen a complaint is named, in one referral per complaint.
    for (const auto& id : routed) {
      std::vector<std::string> aggravating;
      for (const auto& group : c_.policy.aggravating_medicines) {
        if (group.condition_id != id) continue;
        for (const auto& m : p.medicines) {
          for (const auto& ingredient : m.ingredient_ids) {
            if (std::find(group.ingredient_ids.begin(), group.ingredient_ids.end(), ingredient) !=
                group.ingredient_ids.end())
              aggravating.push_back(m.name);
          }
        }
      }
      for (const auto& name : aggravating) {
        bool named = false;
        for (const auto& r : plan.referrals) {
          named = named || (r.source_id == "aggravating_medicine" &&
                            r.reason.find(name) != std::string::npos);
        }
        if (!named) fail("aggravating medicine not named: " + name + " for " + id);
      }
    }
    // 14. A complaint that needs a diagnosis first (low magnesium) is referred, with no
    // self-care supplement.
    for (const auto& id : routed) {
      const auto& refer = c_.policy.refer_instead_of_self_care;
      if (std::find(refer.begin(), refer.end(), id) == refer.end()) continue;
      if (plan.supplement) fail("self-care supplement for " + id);
      // Its own referral, or the risk group's that says both.
      if (count_source("refer_first") + count_source("risk_group") == 0)
        fail("no referral for " + id);
    }
    // 7. No n-of-1 trial is suggested when the plan gives no supplement (nothing to test).
    if (!plan.supplement &&
        (plan.suggests_trial || plan.follow_up.find("trial") != std::string::npos))
      fail("trial suggested without a supplement");
    // 8. Food fit for the person: a baby is never offered nuts, seeds or powders; below the
    // kidney-diet line the list gives way to the renal team.
    if (p.person.age_months < 12) {
      for (const auto& f : plan.foods) {
        if (f.food->category == "Nuts and seeds" || f.food->HasTag("tree_nut") ||
            f.food->HasTag("peanut") || f.food->HasTag("powder")) {
          fail("infant offered " + f.food->name);
        }
      }
    }
    // A child's list gives children's portions, never adult ones; no whole nuts or seeds while
    // they are a choking risk.
    const double years = p.person.age_months / 12.0;
    for (const auto& f : plan.foods) {
      if (years >= 1 && years < 18 && (f.child == nullptr || !(f.child->factor < 1)))
        fail("adult portion for a child: " + f.food->name);
      if (years >= 18 && f.child != nullptr) fail("child portion for an adult");
      if (years < c_.child_portions.whole_nuts_from_years &&
          f.food->category == c_.child_portions.nut_category &&
          f.food->name.find("butter") == std::string::npos &&
          f.food->name.find("paste") == std::string::npos)
        fail("whole nuts or seeds for a young child: " + f.food->name);
    }
    if (p.egfr && *p.egfr < 45 && (!plan.foods.empty() || plan.food_note.empty()))
      fail("food list below eGFR 45");
    // Ordinary portions from different food groups: none a meal in itself, none from a category
    // the list never suggests, no group over its share.
    std::map<const Policy::FoodGroup*, int> per_group;
    for (const auto& f : plan.foods) {
      if (f.food->HasTag("powder")) fail("a powder offered as food: " + f.food->name);
      const Policy::FoodGroup* group = FoodGroupOf(c_.policy, *f.food);
      if (group == nullptr) fail("a food of no food group: " + f.food->name);
      if (++per_group[group] > c_.policy.foods_per_group_at_most)
        fail("too many foods of one group: " + f.food->name);
      if (f.food->kcal.value_or(1e9) * f.food->serving.grams / 100 >
          c_.policy.food_portion_kcal_at_most)
        fail("a portion above the energy limit: " + f.food->name);
    }
    // 6. A trial (the API's POST /api/trials, the CLI's trial plan) tests exactly the plan's
    // dose and form, and is refused whenever the plan gives no supplement.
    auto trial = TrialDoseFromPlan(plan, std::nullopt);
    if (plan.supplement) {
      if (!trial.ok() || trial->dose_mg != plan.supplement->daily_elemental_mg ||
          trial->form != plan.supplement->compound_id) {
        fail("trial dose differs from the plan's");
      }
      if (TrialDoseFromPlan(plan, plan.supplement->daily_elemental_mg + 1).ok())
        fail("trial dose above the plan's accepted");
    } else if (trial.ok() || trial.error().code != ErrorCode::kUnsafe) {
      fail("trial planned although the plan gives no supplement");
    }
    return plan;
  }

  long profiles() const { return profiles_; }
  long with_supplement() const { return with_supplement_; }

 private:
  static std::string Describe(const Profile& p) {
    std::string out =
        fmt::format("age {}mo {} {} ref {}", p.person.age_months, dri::SexName(p.person.sex),
                    dri::StateName(p.person.state), dri::ReferenceId(p.reference));
    if (p.egfr) out += fmt::format(" egfr {}", *p.egfr);
    if (p.ckd_stage) out += fmt::format(" ckd {}", *p.ckd_stage);
    for (const auto& c : p.complaints) out += " complaint " + c.condition_id;
    for (const auto& m : p.medicines) out += " med " + m.name + "@" + FormatHour(m.hours.front());
    for (const auto& d : p.diagnosis_ids) out += " dx " + d;
    for (const auto& r : p.red_flag_ids) out += " flag " + r;
    if (p.ferritin_ug_l) out += fmt::format(" ferritin {}", *p.ferritin_ug_l);
    if (p.iron_deficiency) out += " iron_deficiency";
    for (const auto& m : p.magnesium_taken)
      out += fmt::format(" taking {}", m.elemental_mg_per_day);
    return out;
  }

  const PlanContext& c_;
  long profiles_ = 0, with_supplement_ = 0, failures_ = 0;
};

void AddMedicine(Profile& p, const std::string& name, double hour) {
  if (name.empty()) return;
  const kb::Interaction* interaction = Context().kb.FindMedicine(name);
  // Resolved once per name: the grid adds the same few medicines to many profiles.
  static std::map<std::string, std::vector<std::string>> ingredients_of;
  auto [it, added] = ingredients_of.try_emplace(name);
  if (added) {
    for (const products::Ingredient* i : Context().catalogue.Resolve(name).ingredients)
      it->second.push_back(i->id);
  }
  const std::vector<std::string>& ingredients = it->second;
  p.medicines.push_back({name, interaction ? interaction->id : "", {hour}, false, ingredients});
}

void AddLoad(Profile& p, double mg) {
  if (mg > 0) p.magnesium_taken.push_back({"supplement", "citrate", mg, "test load", false, {}});
}

struct KidneyBand {
  std::optional<double> egfr;
  std::optional<int> ckd_stage;
};

TEST(PlanSafety, InvariantsHoldOverTheProfileGrid) {
  const PlanContext& c = Context();
  const Dimensions dim = CollectDimensions(c.kb);
  SafetyChecker checker(c);
  const std::vector<KidneyBand> kidneys = {{},       {15, {}},   {29.9, {}}, {30, {}},
                                           {45, {}}, {59.9, {}}, {60, {}},   {95, {}},
                                           {{}, 3},  {{}, 4},    {{}, 5},    {25, 4}};
  const std::vector<double> loads = {0, 50, 200, 300, 349, 350, 351, 600};
  const std::vector<double> medicine_hours = {7, 8, 12.5, 19, 21, 23.5};
  std::vector<double> ages_months;
  for (int m = 0; m < 12; ++m) ages_months.push_back(m);
  for (int y = 1; y <= 100; ++y) ages_months.push_back(y * 12.0);
  const std::pair<dri::Sex, dri::ReproductiveState> persons[] = {
      {dri::Sex::kMale, dri::ReproductiveState::kNone},
      {dri::Sex::kFemale, dri::ReproductiveState::kNone},
      {dri::Sex::kFemale, dri::ReproductiveState::kPregnant},
      {dri::Sex::kFemale, dri::ReproductiveState::kLactating}};
  const RoutePreference routes[] = {RoutePreference::kAny, RoutePreference::kOral,
                                    RoutePreference::kTopical, RoutePreference::kFoodOnly};

  // Block 1: the demographic × kidney × load base, rotating through everything else.
  long n = 0;
  for (double age : ages_months) {
    for (const auto& [sex, state] : persons) {
      auto person = dri::MakePerson(age, sex, state);
      if (!person.ok()) continue;
      for (auto reference : {dri::Reference::kUs, dri::Reference::kEu}) {
        if (!c.references.Lookup(reference, *person).ok()) continue;  // Resolution refuses these.
        for (const auto& kidney : kidneys) {
          for (double load : loads) {
            for (int rotation = 0; rotation < 2; ++rotation, ++n) {
              Profile p;
              p.person = *person;
              p.reference = reference;
              p.egfr = kidney.egfr;
              p.ckd_stage = kidney.ckd_stage;
              AddLoad(p, load);
              // Coprime strides walk every value of each list against many of the others.
              const auto& cond = dim.conditions[(n * 7 + rotation) % dim.conditions.size()];
              if (!cond.empty()) p.complaints.push_back({cond, 5});
              const auto& cond2 = dim.conditions[(n * 3 + 5) % dim.conditions.size()];
              if (!cond2.empty() && cond2 != cond && n % 3 == 0)
                p.complaints.push_back({cond2, {}});
              AddMedicine(p, dim.medicines[(n * 5 + rotation) % dim.medicines.size()],
                          medicine_hours[n % medicine_hours.size()]);
              if (n % 4 == 0)
                AddMedicine(p, dim.medicines[(n * 11 + 3) % dim.medicines.size()], 21);
              const auto& dx = dim.diagnoses[(n * 13 + rotation) % dim.diagnoses.size()];
              if (!dx.empty()) p.diagnosis_ids.push_back(dx);
              const auto& flag = dim.red_flags[(n * 17 + rotation) % dim.red_flags.size()];
              if (!flag.empty() && n % 2 == 0) p.red_flag_ids.push_back(flag);
              p.route = routes[(n / 5) % 4];
              // Iron status around both ferritin lines, and a known deficiency.
              static const std::optional<double> ferritins[] = {std::nullopt, 30.0, 49.9, 50.0,
                                                                75.0,         75.1, 200.0};
              p.ferritin_ug_l = ferritins[(n / 7) % 7];
              p.iron_deficiency = n % 10 == 3;
              if (state == dri::ReproductiveState::kPregnant && n % 3 != 0)
                p.gestation_weeks = n % 3 == 1 ? 12.0 : 30.0;
              p.sensitive_stomach = n % 6 == 0;
              if (n % 9 == 0) p.max_pills_per_day = 1;
              checker.Check(p);
            }
          }
        }
      }
    }
  }
  // Block 2: every complaint × every interaction class × every diagnosis × loads, for an adult.
  for (const auto& cond : dim.conditions) {
    for (const auto& medicine : dim.medicines) {
      for (const auto& dx : dim.diagnoses) {
        for (double load : {0.0, 200.0, 349.0, 400.0}) {
          Profile p;
          p.person = *dri::MakePerson(40 * 12, dri::Sex::kFemale, dri::ReproductiveState::kNone);
          if (!cond.empty()) p.complaints.push_back({cond, 7});
          AddMedicine(p, medicine, 8);
          if (!dx.empty()) p.diagnosis_ids.push_back(dx);
          AddLoad(p, load);
          checker.Check(p);
        }
      }
    }
  }
  // Block 3: every red flag with every complaint.
  for (const auto& flag : dim.red_flags) {
    for (const auto& cond : dim.conditions) {
      Profile p;
      p.person = *dri::MakePerson(60 * 12, dri::Sex::kMale, dri::ReproductiveState::kNone);
      if (!cond.empty()) p.complaints.push_back({cond, 7});
      if (!flag.empty()) p.red_flag_ids.push_back(flag);
      checker.Check(p);
    }
  }
  std::cout << "[ safety  ] " << checker.profiles() << " profiles checked, "
            << checker.with_supplement() << " with a supplement\n";
  ::testing::Test::RecordProperty("profiles", std::to_string(checker.profiles()));
  EXPECT_GT(checker.profiles(), 100000);
  EXPECT_GT(checker.with_supplement(), 1000);  // The grid must exercise the dosing paths too.
}

// Every catalogued magnesium-containing product × amounts × ages × both ways of naming it (a
// medicine, or magnesium already taken), through the real profile resolver: each is counted
// toward the upper limit (at least this product's magnesium; never a silent zero), or the
// profile is refused with an error asking for the amount; and every plan keeps the invariants.
TEST(PlanSafety, EveryCataloguedMagnesiumSourceIsCounted) {
  const PlanContext& c = Context();
  SafetyChecker checker(c);
  const std::vector<const products::Product*> sources = c.catalogue.MagnesiumProducts();
  ASSERT_FALSE(sources.empty());
  // Per intake: none (the label's usual dose), elemental amounts around the adult limit, and the
  // salt's mass.
  const std::vector<std::string> amounts = {"",      "25mg",  "150mg",
                                            "349mg", "400mg", "500mg compound"};
  const std::vector<int> ages = {1, 3, 4, 8, 9, 13, 14, 18, 19, 30, 31, 50, 51, 70, 71, 90};
  long refused = 0, counted = 0;
  for (const products::Product* product : sources) {
    const std::string name = products::testing::NameFor(*product, c.catalogue);
    if (name.empty()) {
      ADD_FAILURE() << "catalogued magnesium product " << product->id << " cannot be named";
      continue;
    }
    for (const std::string& amount : amounts) {
      for (int age : ages) {
        for (int way = 0; way < 2; ++way) {
          const char* sex = age % 2 == 0 ? "female" : "male";
          nlohmann::json d = {{"age", age}, {"sex", sex}, {"complaints", {"migraine"}}};
          if (way == 0) {
            nlohmann::json medicine = {{"name", name}, {"times", {"21:00"}}};
            if (!amount.empty()) medicine["amount"] = amount;
            d["medicines"] = {medicine};
          } else {
            if (amount.empty()) continue;  // magnesium_taken always states its amount.
            d["magnesium_taken"] = {{{"compound", name}, {"amount", amount}}};
          }
          ProfileDocument document{d, "grid", {}};
          auto profile = ResolveProfile(document, c);
          const std::string what = fmt::format("{} '{}' amount '{}' age {} ({})", product->id, name,
                                               amount, age, way == 0 ? "medicine" : "taken");
          if (!profile.ok()) {
            // Only two refusals are acceptable: no amount and no usual dose (asked for), or a
            // salt's mass where the product has no single salt.
            const std::string& message = profile.error().message;
            const bool asks_amount = amount.empty() && !product->units_per_dose &&
                                     message.find("no amount was given") != std::string::npos;
            const bool salt_unclear =
                amount.ends_with("compound") &&
                message.find("needs one known magnesium salt") != std::string::npos;
            if (!asks_amount && !salt_unclear) ADD_FAILURE() << what << ": " << message;
            ++refused;
            continue;
          }
          double taken = 0;
          for (const auto& m : profile->magnesium_taken) taken += m.elemental_mg_per_day;
          double expected = 0;  // The least the count may be.
          if (amount.empty()) {
            if (!product->units_per_dose) {
              ADD_FAILURE() << what << ": counted without an amount or a usual dose";
            } else {
              expected = product->units_per_dose->most_units * *product->magnesium_mg_per_unit;
            }
          } else if (!amount.ends_with("compound")) {
            expected = std::stod(amount);
          } else {
            expected = 1;  // Some magnesium: the salt's fraction is checked in products_test.
          }
          if (!(taken >= expected - 1e-6) || taken <= 0) {
            ADD_FAILURE() << what << ": counted " << taken << " mg, expected at least " << expected;
          }
          ++counted;
          checker.Check(*profile);
        }
      }
    }
  }
  std::cout << "[ safety  ] " << sources.size()
            << " catalogued magnesium products: " << checker.profiles() << " profiles planned, "
            << refused << " refused asking for the amount\n";
  ::testing::Test::RecordProperty("magnesium_source_profiles", std::to_string(checker.profiles()));
  EXPECT_GT(counted, static_cast<long>(sources.size()));
}

// The person's own product (profile "product"): for every strength of unit, every unit kind,
// every oral form and none, across ages, loads already taken, stomachs, pill limits and a spacing
// medicine, the product's doses are what can be measured of it, never more magnesium than the
// plan in milligrams would give, at the plan's own (spacing-checked) times; a form that does not
// suit the person is never used; and every plan passes the grid's invariants.
TEST(PlanSafety, APersonsProductNeverRaisesTheDose) {
  const PlanContext& c = Context();
  SafetyChecker checker(c);
  // Strengths around the dose steps (25 mg rounding, 150 mg split) and the limits (110, 350 mg).
  const std::vector<double> strengths = {1, 24.9, 55, 83.4, 100, 120, 175, 349, 350, 1000};
  const std::vector<std::string> units = {"capsule", "mL", "scoop"};  // Whole, 1 and 1/2 steps.
  // No form named, the gentlest, a soluble salt, the most laxative, and two forms at once.
  const std::vector<std::vector<std::string>> compound_sets = {
      {}, {"bisglycinate"}, {"citrate"}, {"oxide"}, {"oxide", "citrate"}};
  const std::vector<std::string> bases = {
      R"({"age": 60, "sex": "female", "complaints": ["migraine"]})",
      R"({"age": 61, "sex": "female", "complaints": ["RLS", "chronic pain"],
          "medicines": [{"name": "levothyroxine", "times": ["07:00"]}]})",
      R"({"age": 45, "sex": "male", "complaints": ["constipation"]})",
      R"({"age": 35, "sex": "female", "complaints": ["nocturnal leg cramps"], "diagnoses": ["IBS-D"]})",
      R"({"age": 10, "sex": "male", "complaints": ["migraine"]})",
      R"({"age": 30, "sex": "female", "pregnant": true, "complaints": ["leg cramps"]})",
      R"({"age": 70, "sex": "male", "complaints": ["migraine"],
          "medicines": [{"name": "doxycycline", "times": ["09:00", "21:00"]}]})"};
  long with_product = 0, not_used = 0;
  for (const std::string& base_text : bases) {
    for (double taken : {0.0, 300.0}) {
      for (int variant = 0; variant < 3; ++variant) {  // none, sensitive stomach, 2 pills a day
        Profile base = testing::ProfileFrom(base_text);
        if (taken > 0) base.magnesium_taken.push_back({"supplement", "", taken, "grid", false, {}});
        if (variant == 1) base.sensitive_stomach = true;
        if (variant == 2) base.max_pills_per_day = 2;
        const Plan in_mg = BuildPlan(base, c);
        for (double strength : strengths) {
          for (const std::string& unit : units) {
            for (const auto& compounds : compound_sets) {
              Profile p = base;
              ProductChoice product;
              product.name = "grid product";
              product.compound_ids = compounds;
              product.elemental_mg_per_unit = strength;
              product.unit = unit;
              product.price_per_unit = 0.25;
              product.currency = "EUR";
              product.price_source = "you";
              // Some labels limit the units a day, some suggest a use, some say nothing.
              const int directions = static_cast<int>(strength) % 3;
              if (directions == 1) product.label_max_units_per_day = 2;
              if (directions == 2) product.label_suggested_units_per_day = 1;
              p.product = product;
              const Plan plan = checker.Check(p);
              const std::string what =
                  fmt::format("{} taken {} variant {} product {} mg/{} [{}]", base_text, taken,
                              variant, strength, unit, fmt::join(compounds, ","));
              // The product never brings a supplement the milligram plan would not give.
              if (plan.supplement.has_value() != in_mg.supplement.has_value()) {
                ADD_FAILURE() << what << ": the product changed whether there is a supplement";
                continue;
              }
              if (!plan.supplement) continue;
              const Supplement& s = *plan.supplement;
              if (!s.product) {
                ++not_used;
                continue;
              }
              ++with_product;
              const auto step_it = c.policy.product_measure_steps.find(unit);
              const double step =
                  step_it == c.policy.product_measure_steps.end() ? 1.0 : step_it->second;
              double sum_units = 0, sum_mg = 0;
              for (const Dose& d : s.doses) {
                sum_units += d.units;
                sum_mg += d.elemental_mg;
                if (std::fabs(d.units / step - std::round(d.units / step)) > 1e-9 || d.units <= 0)
                  ADD_FAILURE() << what << ": a dose of " << d.units << " " << unit;
                if (std::fabs(d.elemental_mg - d.units * strength) > 1e-6)
                  ADD_FAILURE() << what << ": a dose's magnesium is not what its units hold";
                const bool planned_time =
                    std::any_of(in_mg.supplement->doses.begin(), in_mg.supplement->doses.end(),
                                [&](const Dose& m) { return std::fabs(m.hour - d.hour) < 1e-9; });
                if (!planned_time) ADD_FAILURE() << what << ": a dose moved off the schedule";
              }
              if (std::fabs(sum_units - s.product->units_per_day) > 1e-9 ||
                  std::fabs(sum_mg - s.daily_elemental_mg) > 1e-6)
                ADD_FAILURE() << what << ": the doses do not add up";
              if (s.daily_elemental_mg > in_mg.supplement->daily_elemental_mg + 1e-9)
                ADD_FAILURE() << what << ": more magnesium than the plan in milligrams";
              if (step_it == c.policy.product_measure_steps.end() && p.max_pills_per_day &&
                  sum_units > *p.max_pills_per_day)
                ADD_FAILURE() << what << ": more pills than the person accepts";
              if (product.label_max_units_per_day && sum_units > *product.label_max_units_per_day)
                ADD_FAILURE() << what << ": more units than the label allows a day";
              if (!s.product->cost_per_day ||
                  std::fabs(*s.product->cost_per_day - 0.25 * sum_units) > 1e-9)
                ADD_FAILURE() << what << ": cost per day is not price x units";
              for (const auto& id : compounds) {
                for (const auto& form_id : c.policy.form_preference) {
                  const kb::Form* form = c.kb.FindForm(form_id);
                  if (form == nullptr ||
                      std::find(form->compound_ids.begin(), form->compound_ids.end(), id) ==
                          form->compound_ids.end())
                    continue;
                  if (p.sensitive_stomach && form->diarrhoea_risk != kb::Level::kLow)
                    ADD_FAILURE() << what << ": used a form unsuited to a sensitive stomach";
                }
              }
            }
          }
        }
      }
    }
  }
  std::cout << "[ safety  ] person's product: " << checker.profiles() << " profiles planned, "
            << with_product << " dosed in the product, " << not_used
            << " not used (form or strength)\n";
  ::testing::Test::RecordProperty("product_profiles", std::to_string(checker.profiles()));
  EXPECT_GT(with_product, 1000);
  EXPECT_GT(not_used, 0);
}

// Whenever a minute of the day keeps every spacing rule, the scheduler places a dose there; when
// two minutes at least the policy's gap apart do, a split dose stays split. The test finds the
// feasible minutes by brute force over the day, with its own reading of the spacing rule, for
// every spacing class with a medicine taken once or twice a day at every hour.
TEST(PlanSafety, SchedulerFindsAFeasibleTimeWheneverOneExists) {
  const PlanContext& c = Context();
  const Policy& policy = c.policy;
  const Profile base = testing::ProfileFrom(
      R"({"age": 61, "sex": "female", "complaints": ["RLS", "chronic pain"]})");
  const Plan unspaced = BuildPlan(base, c);
  ASSERT_TRUE(unspaced.supplement.has_value());
  ASSERT_GT(unspaced.supplement->daily_elemental_mg, policy.split_above_mg);  // Both paths run.
  const int first = static_cast<int>(std::ceil(policy.earliest_hour * 60 - 1e-9));
  const int last = static_cast<int>(std::floor(policy.latest_hour * 60 + 1e-9));
  const int gap = static_cast<int>(std::ceil(policy.min_hours_between_doses * 60 - 1e-9));
  long checked = 0, one_dose = 0, none = 0, failures = 0;
  for (const auto& interaction : c.kb.interactions) {
    if (interaction.action != kb::InteractionAction::kSeparate || interaction.medicines.empty() ||
        !(interaction.mg_hours_before_medicine || interaction.mg_hours_after_medicine)) {
      continue;
    }
    const double before = interaction.mg_hours_before_medicine.value_or(
        interaction.mg_hours_after_medicine.value_or(0));
    const double after = interaction.mg_hours_after_medicine.value_or(
        interaction.mg_hours_before_medicine.value_or(0));
    for (int h1 = 0; h1 < 24; ++h1) {
      for (int apart = 0; apart <= 12; ++apart) {
        std::vector<double> hours = {static_cast<double>(h1)};
        if (apart > 0) hours.push_back(std::fmod(h1 + apart + 0.5 * (apart % 2), 24.0));
        auto allowed = [&](int minute) {
          for (double h : hours) {
            if (!OutsideWindow(minute / 60.0, h, before, after)) return false;
          }
          return true;
        };
        int lo = -1, hi = -1;
        for (int m = first; m <= last; ++m) {
          if (!allowed(m)) continue;
          if (lo < 0) lo = m;
          hi = m;
        }
        Profile p = base;
        p.medicines.push_back(
            {interaction.medicines.front().generic, interaction.id, hours, false, {}});
        const Plan plan = BuildPlan(p, c);
        ++checked;
        auto fail = [&](const std::string& what) {
          if (++failures <= 20) {
            std::string times;
            for (double h : hours) times += " " + FormatHour(h);
            ADD_FAILURE() << what << " — " << interaction.id << " at" << times;
          }
        };
        if (lo < 0) {
          ++none;
          if (plan.supplement) fail("dose placed although no minute keeps the spacing");
          if (!testing::Fired(plan, "safety.no_spaced_slot")) fail("no-slot not reported");
          continue;
        }
        if (!plan.supplement) {
          fail("no dose placed although a feasible minute exists");
          continue;
        }
        const auto& doses = plan.supplement->doses;
        for (const auto& d : doses) {
          const int m = static_cast<int>(std::lround(d.hour * 60));
          if (m < first || m > last || !allowed(m)) fail("dose at a minute that breaks spacing");
        }
        if (hi - lo >= gap) {
          if (doses.size() != 2)
            fail("split dose not kept although two times fit");
          else if (std::lround((doses[1].hour - doses[0].hour) * 60) < gap)
            fail("doses closer than the policy's gap");
        } else {
          ++one_dose;
          if (doses.size() != 1 ||
              plan.supplement->daily_elemental_mg > policy.split_above_mg + 1e-9) {
            fail("one window: expected one dose no larger than an unsplit dose");
          }
        }
      }
    }
  }
  std::cout << "[ schedule ] " << checked << " medicine schedules checked, " << one_dose
            << " with room for one dose, " << none << " with none\n";
  EXPECT_GT(one_dose, 0);
  EXPECT_GT(none, 0);
  EXPECT_GT(checked, 1000);
}

// Every field a profile accepts either changes the plan or is reported in it as having no
// effect: for each field (ProfileFields(), so a new field fails here until it has sample values)
// and each sample value, on bases from infancy to old age, the plan with the field is compared
// with the plan without it. A field listed as without effect must really change nothing.
TEST(PlanSafety, EveryProfileFieldChangesThePlanOrIsNotedAsWithoutEffect) {
  using nlohmann::json;
  const PlanContext& c = Context();
  // Field → patches that set it (with whatever else it needs, which the comparison also has).
  std::map<std::string, std::vector<json>> samples = {
      {"sex", {{{"sex", "male"}}}},
      {"pregnant", {{{"pregnant", true}}}},
      {"lactating", {{{"lactating", true}}}},
      {"reference", {{{"reference", "eu"}}}},
      {"complaints",
       {{{"complaints", {"RLS"}}},
        {{"complaints", {"leg cramps"}}},
        {{"complaints", {"migraine"}}}}},
      {"kidney",
       {{{"kidney", {{"egfr", 90}}}},
        {{"kidney", {{"egfr", 25}}}},
        {{"kidney", {{"ckd_stage", 2}}}}}},
      {"medicines",
       {{{"medicines", {"sertraline"}}},
        {{"medicines", {"levothyroxine"}}},
        {{"medicines", {"an unlisted remedy"}}},
        {{"medicines", {{{"name", "milk of magnesia"}, {"amount", "15 mL"}}}}}}},
      {"magnesium_taken", {{{"magnesium_taken", {{{"elemental", "100mg"}}}}}}},
      {"diet", {{{"diet", {{"magnesium_mg_per_day", 150}}}}}},
      {"food_exclusions", {{{"food_exclusions", {"vegan"}}}}},
      {"preferences",
       {{{"preferences", {{"route", "topical"}}}},
        {{"preferences", {{"sensitive_stomach", true}}}},
        {{"preferences", {{"max_pills_per_day", 1}}}}}},
      {"ferritin_ug_l", {{{"ferritin_ug_l", 40}}, {{"ferritin_ug_l", 200}}}},
      {"iron_deficiency", {{{"iron_deficiency", true}}}},
      {"product",
       {{{"product",
          {{"label",
            "Supplement Facts\nServing Size 1 Capsule\nMagnesium (as magnesium citrate) 100 "
            "mg\n"}}}},
        {{"product",
          {{"label", "Supplement Facts\nServing Size 1 Tablet\nMagnesium (as oxide) 400 mg\n"},
           {"price", "9.99 USD"},
           {"units_per_pack", 100}}}}}},
      {"gestation_weeks",
       {{{"pregnant", true}, {"gestation_weeks", 12}},
        {{"pregnant", true}, {"gestation_weeks", 30}}}},
  };
  for (const auto& diagnosis : c.kb.diagnoses)
    samples["diagnoses"].push_back({{"diagnoses", {diagnosis.id}}});
  for (const auto& flag : c.kb.red_flags)
    samples["red_flags"].push_back({{"red_flags", {flag.id}}});
  // Age is required and chooses the reference values every plan shows; it has no "without".
  const std::set<std::string> exempt = {"age"};
  for (std::string_view field : ProfileFields()) {
    if (!exempt.contains(std::string(field))) {
      EXPECT_TRUE(samples.contains(std::string(field))) << "no sample values for " << field;
    }
  }
  const std::vector<json> bases = {
      {{"age", "8mo"}, {"sex", "female"}, {"complaints", {"constipation"}}},
      {{"age", 6}, {"sex", "female"}},
      {{"age", 10}, {"sex", "female"}, {"complaints", {"restless legs"}}},
      {{"age", 16}, {"sex", "female"}, {"complaints", {"leg cramps"}}},
      {{"age", 30}, {"sex", "female"}, {"complaints", {"migraine"}}},
      {{"age", 45}, {"sex", "female"}, {"complaints", {"RLS"}}},
      {{"age", 45}, {"sex", "female"}},
      {{"age", 75}, {"sex", "female"}, {"complaints", {"leg cramps"}}, {"kidney", {{"egfr", 40}}}},
  };
  auto plan_of = [&](const json& d) -> std::optional<Plan> {
    auto profile = ResolveProfile(ProfileDocument{d, "grid", {}}, c);
    if (!profile.ok()) return std::nullopt;
    Plan plan = BuildPlan(*profile, c);
    NoteFieldsWithoutEffect(*profile, c, plan);
    return plan;
  };
  auto visible = [&](const Plan& plan) {
    json out = PlanToJson(plan, c);
    out.erase("rules_fired");
    out.erase("noted_without_effect");
    return out;
  };
  auto profile_of = [&](const json& d) {
    return ResolveProfile(ProfileDocument{d, "grid", {}}, c);
  };
  long checked = 0, noted = 0, sure = 0;
  for (const json& base : bases) {
    for (const auto& [field, patches] : samples) {
      for (const json& patch : patches) {
        json with = base, without = base;
        for (const auto& [key, value] : patch.items()) {
          with[key] = value;
          if (key != field) without[key] = value;
        }
        // Without the field at all (a base's own complaints too); sex is required, so "without"
        // is the base's sex.
        if (field != "sex") without.erase(field);
        const auto plan_with = plan_of(with), plan_without = plan_of(without);
        if (!plan_with || !plan_without) continue;  // Not a valid person (a pregnant infant).
        ++checked;
        bool listed = false;
        for (const auto& n : plan_with->noted_without_effect) {
          listed = listed || n.field == field || n.field.starts_with(field + "[") ||
                   n.field.starts_with(field + ".");
        }
        const bool changed = visible(*plan_with) != visible(*plan_without);
        noted += listed ? 1 : 0;
        // The shortcut that spares building a plan says "differs" only when it does.
        const bool surely =
            SurelyShownDifferently(*profile_of(without), BuildPlan(*profile_of(with), c), c);
        sure += surely ? 1 : 0;
        if (surely && !changed)
          ADD_FAILURE() << field << " " << patch.dump() << " was judged to change the plan "
                        << "without building it, and does not, on " << base.dump();
        if (!changed && !listed)
          ADD_FAILURE() << field << " " << patch.dump() << " changed nothing and was not noted, on "
                        << base.dump();
        if (changed && listed)
          ADD_FAILURE() << field << " " << patch.dump() << " changed the plan but was noted as "
                        << "without effect, on " << base.dump();
      }
    }
  }
  std::cout << "[ fields  ] " << checked << " field settings checked, " << noted
            << " noted as without effect, " << sure << " judged without a plan\n";
  EXPECT_GT(checked, 300);
  EXPECT_GT(noted, 10);
  EXPECT_GT(sure, 50);
}

// A trial's dose comes from the plan: never above it, and no trial where the plan gives none.
TEST(PlanSafety, TrialDoseNeverAboveThePlan) {
  // Magnesium offered as a trial: RLS and chronic pain at 61, no safety rule in the way.
  const Plan offered =
      BuildPlan(testing::ProfileFrom(
                    R"({"age": 61, "sex": "female", "complaints": ["RLS", "chronic pain"]})"),
                testing::Context());
  ASSERT_TRUE(offered.supplement.has_value());
  auto dose = TrialDoseFromPlan(offered, std::nullopt);
  ASSERT_TRUE(dose.ok()) << dose.error().message;
  EXPECT_EQ(dose->dose_mg, offered.supplement->daily_elemental_mg);
  EXPECT_EQ(dose->form, offered.supplement->compound_id);
  auto lower = TrialDoseFromPlan(offered, dose->dose_mg / 2);
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->dose_mg, dose->dose_mg / 2);
  EXPECT_EQ(TrialDoseFromPlan(offered, dose->dose_mg + 1).error().code, ErrorCode::kUnsafe);
  EXPECT_EQ(TrialDoseFromPlan(offered, 0.0).error().code, ErrorCode::kInvalidArgument);

  const Plan kidney = BuildPlan(testing::ProfileFrom(R"({"age": 70, "sex": "female", "complaints":
                                              ["leg cramps"], "kidney": {"egfr": 20}})"),
                                testing::Context());
  ASSERT_FALSE(kidney.supplement.has_value());
  auto refused = TrialDoseFromPlan(kidney, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnsafe);
  EXPECT_NE(refused.error().message.find("advises no magnesium supplement"), std::string::npos);
}

}  // namespace
}  // namespace mg::plan
