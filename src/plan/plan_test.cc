#include "plan/plan.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/plan_test_util.h"
#include "plan/render.h"

namespace mg::plan {
namespace {

using testing::Context;
using testing::Fired;
using ::testing::HasSubstr;
using testing::ProfileFrom;

Plan PlanFor(const std::string& json_text) { return BuildPlan(ProfileFrom(json_text), Context()); }

double TotalDoses(const Supplement& s) {
  double total = 0;
  for (const auto& d : s.doses) total += d.elemental_mg;
  return total;
}

TEST(Plan, NightCrampsInAnOlderWomanSaysNoAndLeadsWithWhatHelps) {
  const Plan plan = PlanFor(R"({"age": 67, "sex": "female", "complaints": ["leg cramps"]})");
  ASSERT_EQ(plan.findings.size(), 1u);
  ASSERT_NE(plan.findings[0].finding, nullptr);
  EXPECT_EQ(plan.findings[0].finding->verdict, kb::Verdict::kLikelyIneffective);
  EXPECT_FALSE(plan.supplement.has_value());
  EXPECT_TRUE(Fired(plan, "supplement.not_supported_by_evidence"));
  EXPECT_FALSE(plan.measures.empty());
  const std::string text = RenderPlan(plan, Context(), Format::kText);
  EXPECT_THAT(text, HasSubstr("likely ineffective"));
  EXPECT_THAT(text, HasSubstr("What does help"));
}

TEST(Plan, ReducedKidneyFunctionWithAlendronateRefersAndKeepsSpacing) {
  const Plan plan = PlanFor(
      R"({"age": 67, "sex": "female", "complaints": ["restless legs"],
          "medicines": ["alendronate"], "kidney": {"egfr": 55}})");
  EXPECT_FALSE(plan.supplement.has_value());
  EXPECT_TRUE(plan.supplement_withheld_for_safety);
  EXPECT_TRUE(Fired(plan, "safety.contraindication.egfr_below_60"));
  ASSERT_FALSE(plan.referrals.empty());
  ASSERT_EQ(plan.interactions.size(), 1u);
  EXPECT_EQ(plan.interactions[0].interaction_id, "bisphosphonates");
  EXPECT_TRUE(plan.interactions[0].medicine_hours_assumed);
}

TEST(Plan, RestlessLegsIsOfferedAsAnEveningTrialWithinTheLimit) {
  const Plan plan = PlanFor(R"({"age": 45, "sex": "female", "complaints": ["RLS"]})");
  ASSERT_TRUE(plan.supplement.has_value());
  const Supplement& s = *plan.supplement;
  EXPECT_TRUE(s.is_trial);
  EXPECT_LE(s.daily_elemental_mg, 350);
  EXPECT_GT(s.daily_elemental_mg, 0);
  EXPECT_DOUBLE_EQ(TotalDoses(s), s.daily_elemental_mg);
  EXPECT_DOUBLE_EQ(s.doses.back().hour, Context().policy.night_dose_hour);
  EXPECT_TRUE(Fired(plan, "timing.evening_for_night_symptoms"));
  EXPECT_EQ(s.titration.front().daily_elemental_mg, Context().policy.start_mg);
}

TEST(Plan, MigraineStudiedDoseAboveTheLimitIsStatedAndCapped) {
  const Plan plan = PlanFor(R"({"age": 35, "sex": "female", "complaints": ["migraine"]})");
  ASSERT_TRUE(plan.supplement.has_value());
  EXPECT_FALSE(plan.supplement->is_trial);
  EXPECT_LE(plan.supplement->daily_elemental_mg, 350);
  EXPECT_TRUE(Fired(plan, "safety.studied_dose_above_limit"));
  bool warned = false;
  for (const auto& w : plan.warnings)
    warned = warned || w.find("needs a clinician") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Plan, AVeryLowCertaintyBenefitIsOfferedAsATrialNotAdvice) {
  const Plan plan =
      PlanFor(R"({"age": 30, "sex": "male", "complaints": ["post-exercise soreness"]})");
  ASSERT_EQ(plan.findings.size(), 1u);
  EXPECT_EQ(plan.findings[0].finding->verdict, kb::Verdict::kPossiblyEffective);
  EXPECT_EQ(plan.findings[0].finding->certainty, kb::Certainty::kVeryLow);
  EXPECT_EQ(plan.findings[0].policy, VerdictPolicy::kTrial);
  ASSERT_TRUE(plan.supplement.has_value());
  EXPECT_TRUE(plan.supplement->is_trial);
}

TEST(Plan, EuropeanReferenceCapsAt250) {
  const Plan plan =
      PlanFor(R"({"age": 35, "sex": "female", "reference": "eu", "complaints": ["migraine"]})");
  ASSERT_TRUE(plan.supplement.has_value());
  EXPECT_LE(plan.supplement->daily_elemental_mg, 250);
  EXPECT_EQ(plan.totals.ul_supplemental_mg, 250);
}

TEST(Plan, ExistingAntacidCountsTowardTheLimit) {
  // 1200 mg magnesium hydroxide ≈ 500 mg magnesium: above the 350 mg limit already.
  const Plan over = PlanFor(
      R"({"age": 50, "sex": "male", "complaints": ["migraine"],
          "magnesium_taken": [{"kind": "antacid", "compound": "milk of magnesia", "amount": "1200mg compound"}]})");
  EXPECT_FALSE(over.supplement.has_value());
  EXPECT_TRUE(Fired(over, "safety.ul_already_exceeded"));
  EXPECT_NEAR(over.totals.existing_supplemental_mg, 500.2, 0.5);
  // Above the limit is reported even when no supplement would be suggested anyway.
  const Plan cramps = PlanFor(
      R"({"age": 70, "sex": "female", "complaints": ["leg cramps"],
          "magnesium_taken": [{"kind": "laxative", "compound": "milk of magnesia", "amount": "1200mg compound"}]})");
  EXPECT_FALSE(cramps.supplement.has_value());
  EXPECT_TRUE(Fired(cramps, "safety.ul_already_exceeded"));
  // 100 mg already: the plan adds at most 250.
  const Plan some = PlanFor(
      R"({"age": 50, "sex": "male", "complaints": ["migraine"],
          "magnesium_taken": [{"kind": "supplement", "elemental": "100mg"}]})");
  ASSERT_TRUE(some.supplement.has_value());
  EXPECT_LE(some.supplement->daily_elemental_mg + 100, 350);
}

TEST(Plan, ConstipationPrefersALaxativeFormAndIbsDAvoidsOne) {
  const Plan constipated = PlanFor(R"({"age": 40, "sex": "male", "complaints": ["constipation"]})");
  ASSERT_TRUE(constipated.supplement.has_value());
  const kb::Form* form = Context().kb.FindForm(constipated.supplement->form_id);
  ASSERT_NE(form, nullptr);
  EXPECT_TRUE(form->laxative);
  const Plan ibs =
      PlanFor(R"({"age": 40, "sex": "male", "complaints": ["migraine"], "diagnoses": ["ibs_d"]})");
  ASSERT_TRUE(ibs.supplement.has_value());
  const kb::Form* gentle = Context().kb.FindForm(ibs.supplement->form_id);
  ASSERT_NE(gentle, nullptr);
  EXPECT_FALSE(gentle->laxative);
  EXPECT_NE(gentle->diarrhoea_risk, kb::Level::kHigh);
}

TEST(Plan, InfantsGetNoSupplement) {
  const Plan plan = PlanFor(R"({"age": "8mo", "sex": "male", "complaints": ["constipation"]})");
  EXPECT_FALSE(plan.supplement.has_value());
}

TEST(Plan, RedFlagComesFirstAndAnEmergencyStopsTheSupplement) {
  const Plan plan = PlanFor(
      R"({"age": 55, "sex": "male", "complaints": ["migraine"], "red_flags": ["dvt_signs"]})");
  ASSERT_FALSE(plan.referrals.empty());
  EXPECT_EQ(plan.referrals[0].source_id, "dvt_signs");
  EXPECT_EQ(plan.referrals[0].urgency, kb::Urgency::kEmergency);
  EXPECT_FALSE(plan.supplement.has_value());
  const std::string text = RenderPlan(plan, Context(), Format::kText);
  EXPECT_NE(text.find("1. Safety first"), std::string::npos);
  EXPECT_LT(text.find("Safety first"), text.find("What the evidence says"));
}

TEST(Plan, DosesMoveAwayFromLevothyroxine) {
  const Plan plan = PlanFor(
      R"({"age": 45, "sex": "female", "complaints": ["migraine"],
          "medicines": [{"name": "levothyroxine", "times": ["07:00"]}]})");
  ASSERT_TRUE(plan.supplement.has_value());
  const kb::Interaction* levo = Context().kb.FindInteraction("levothyroxine");
  ASSERT_NE(levo, nullptr);
  for (const auto& dose : plan.supplement->doses) {
    EXPECT_TRUE(
        KeepsSpacing(dose.hour, 7.0, levo->mg_hours_before_medicine, levo->mg_hours_after_medicine))
        << FormatHour(dose.hour);
  }
  EXPECT_TRUE(Fired(plan, "interaction.levothyroxine"));
}

TEST(Plan, FoodGapAndExclusions) {
  const Plan plan = PlanFor(
      R"({"age": 30, "sex": "male", "diet": {"magnesium_mg_per_day": 250}, "food_exclusions": ["nut allergy"]})");
  EXPECT_EQ(plan.totals.diet_gap_mg, 150);
  ASSERT_FALSE(plan.foods.empty());
  for (const auto& f : plan.foods) EXPECT_FALSE(f.food->HasTag("tree_nut")) << f.food->name;
}

TEST(Plan, FoodFrequencyIsALowerBound) {
  const Profile p = ProfileFrom(
      R"({"age": 30, "sex": "male", "diet": {"food_frequency": {"nuts_seeds": 1, "leafy_greens": 0.5}}})");
  ASSERT_TRUE(p.diet_mg_per_day.has_value());
  EXPECT_DOUBLE_EQ(*p.diet_mg_per_day, 75 + 0.5 * 75);
  EXPECT_TRUE(p.diet_is_lower_bound);
}

TEST(Plan, TopicalAndFoodOnlyPreferencesAddNoOralSupplement) {
  EXPECT_FALSE(PlanFor(R"({"age": 35, "sex": "female", "complaints": ["migraine"],
                           "preferences": {"route": "food_only"}})")
                   .supplement.has_value());
  const Plan topical = PlanFor(R"({"age": 35, "sex": "female", "complaints": ["migraine"],
                                   "preferences": {"route": "topical"}})");
  EXPECT_FALSE(topical.supplement.has_value());
  EXPECT_TRUE(Fired(topical, "preference.topical"));
}

TEST(Plan, UnknownMedicineIsReportedNotIgnored) {
  const Plan plan = PlanFor(R"({"age": 35, "sex": "female", "medicines": ["paracetamol"]})");
  ASSERT_EQ(plan.unknown_medicines.size(), 1u);
  EXPECT_EQ(plan.unknown_medicines[0], "paracetamol");
  EXPECT_THAT(RenderPlan(plan, Context(), Format::kText), HasSubstr("'paracetamol' is not in"));
}

TEST(Plan, RenderingIsDeterministicAndJsonHasTheContractFields) {
  const std::string profile =
      R"({"age": 45, "sex": "female", "complaints": ["RLS", "migraine"], "medicines": ["gabapentin"]})";
  for (Format format : {Format::kText, Format::kMarkdown, Format::kJson}) {
    EXPECT_EQ(RenderPlan(PlanFor(profile), Context(), format),
              RenderPlan(PlanFor(profile), Context(), format));
  }
  const nlohmann::json j = PlanToJson(PlanFor(profile), Context());
  for (const char* field : {"supplement", "referrals", "interactions", "findings", "foods",
                            "measures", "warnings", "rules_fired"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
  ASSERT_TRUE(j["supplement"].is_object());
  for (const char* field : {"compound", "route", "daily_elemental_mg", "doses"}) {
    EXPECT_TRUE(j["supplement"].contains(field)) << field;
  }
  EXPECT_EQ(j["interactions"][0]["medicine"], "gabapentin");
  EXPECT_FALSE(j["interactions"][0]["spacing_rule"].get<std::string>().empty());
  for (const auto& f : j["findings"]) {
    EXPECT_TRUE(f.contains("verdict") && f.contains("certainty") && f.contains("citations"));
  }
  EXPECT_THAT(RenderPlan(PlanFor(profile), Context(), Format::kMarkdown),
              HasSubstr(". Magnesium supplement\n"));
}

// The citations, measures, red flags and ranked foods a context prewrites
// (PlanContext::prewritten_json) are placed in the plan document as writing them there gives,
// for plans with each condition of the knowledge base (every measure and red flag a plan can
// show, and their sources), for an adult (the ranked foods as they are) and a child (a child's
// portions, never prewritten). A context without them writes them itself, as does one asked to
// render a plan of another context.
TEST(Plan, PrewrittenKnowledgeGivesTheSameJsonAsWritingIt) {
  const PlanContext& c = Context();
  ASSERT_EQ(c.prewritten_json.citations.size(), c.kb.citations.size());
  ASSERT_EQ(c.prewritten_json.measures.size(), c.kb.measures.size());
  ASSERT_EQ(c.prewritten_json.red_flags.size(), c.kb.red_flags.size());
  ASSERT_EQ(c.prewritten_json.ranked_foods.size(), c.foods_by_magnesium.size());
  PlanContext bare = c;
  bare.prewritten_json = {};
  size_t measures = 0, questions = 0, sources = 0, foods = 0;
  for (const kb::Condition& condition : c.kb.conditions) {
    for (const int age : {40, 6}) {
      const std::string profile = fmt::format(
          R"({{"age": {}, "sex": "female", "complaints": ["{}"], "medicines": ["omeprazole"]}})",
          age, condition.id);
      const Plan plan = PlanFor(profile);
      const std::string json = RenderPlan(plan, c, Format::kJson);
      EXPECT_EQ(json, RenderPlan(plan, bare, Format::kJson)) << condition.id;
      EXPECT_EQ(json, RenderPlan(BuildPlan(ProfileFrom(profile), bare), c, Format::kJson))
          << condition.id;
      const auto parsed = nlohmann::json::parse(json);
      measures += parsed["measures"].size();
      sources += parsed["sources"].size();
      foods += parsed["foods"].size();
      for (const auto& net : parsed["safety_net"]) questions += net["questions"].size();
    }
  }
  EXPECT_GT(measures, 10u);
  EXPECT_GT(questions, 10u);
  EXPECT_GT(sources, 10u);
  EXPECT_GT(foods, 10u);
}

TEST(Plan, WithoutATraceOnlyTheTraceIsMissing) {
  const PlanContext& c = Context();
  size_t compared = 0;
  for (const kb::Condition& condition : c.kb.conditions) {
    for (const char* rest :
         {R"("age": 40, "sex": "female", "medicines": ["omeprazole"])",
          R"("age": 70, "sex": "male", "kidney": {"egfr": 25})",
          R"("age": 30, "sex": "female", "pregnant": true)", R"("age": 3, "sex": "male")"}) {
      const Profile profile =
          ProfileFrom(fmt::format(R"({{"complaints": ["{}"], {}}})", condition.id, rest));
      Plan traced = BuildPlan(profile, c);
      const Plan untraced = BuildPlan(profile, c, Trace::kSkip);
      EXPECT_FALSE(traced.rules_fired.empty()) << condition.id << rest;
      EXPECT_TRUE(untraced.rules_fired.empty()) << condition.id << rest;
      traced.rules_fired.clear();
      EXPECT_TRUE(traced == untraced) << condition.id << rest;
      ++compared;
    }
  }
  EXPECT_GT(compared, 40u);
}

TEST(KeepsSpacing, AroundTheClock) {
  // Medicine at 08:00, 4 h either side: 04:00-12:00 is off limits.
  EXPECT_FALSE(KeepsSpacing(8, 8, 4, 4));
  EXPECT_FALSE(KeepsSpacing(5, 8, 4, 4));
  EXPECT_FALSE(KeepsSpacing(11.5, 8, 4, 4));
  EXPECT_TRUE(KeepsSpacing(12, 8, 4, 4));
  EXPECT_TRUE(KeepsSpacing(4, 8, 4, 4));
  EXPECT_TRUE(KeepsSpacing(21, 8, 4, 4));
  // Medicine at 23:00: 01:00 is only 2 h after it, across midnight.
  EXPECT_FALSE(KeepsSpacing(1, 23, 4, 4));
  // A one-sided rule applies to both sides.
  EXPECT_FALSE(KeepsSpacing(7, 8, std::nullopt, 2));
  EXPECT_TRUE(KeepsSpacing(7, 8, std::nullopt, std::nullopt));
  EXPECT_EQ(FormatHour(21.5), "21:30");
  EXPECT_EQ(FormatHour(7), "07:00");
  EXPECT_EQ(FormatHour(0), "00:00");
  EXPECT_EQ(FormatHour(23.999), "00:00");  // Rounds to the minute, then onto the clock face.
  EXPECT_EQ(FormatHour(24 + 9.25), "09:15");
  EXPECT_EQ(FormatHour(-1), "23:00");
}

}  // namespace
}  // namespace mg::plan
