// Black-box tests of `mgadvisor plan` for the people issue 14 found the plan got wrong: kidney
// failure, infants, children, tight medicine schedules, red flags and an overdose. Each test runs
// the example and states the right answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

json PlanJson(std::vector<std::string> args) {
  args.insert(args.begin(), "plan");
  args.push_back("--json");
  const auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::string PlanText(std::vector<std::string> args, const std::string& format = "text") {
  args.insert(args.begin(), "plan");
  args.insert(args.end(), {"--format", format});
  const auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::vector<std::string> Sources(const json& plan) {
  std::vector<std::string> out;
  for (const auto& r : plan["referrals"]) out.push_back(r["source"].get<std::string>());
  return out;
}

// issue 14, kidney: eGFR 25 showed both the "below 30" and the "30-59" referrals, foods high in
// potassium and phosphorus, and an n-of-1 trial.
TEST(PeopleCli, KidneyFailureGetsOneReferralNoFoodListAndNoTrial) {
  const std::vector<std::string> args = {"--age",       "70",         "--sex",  "female",
                                         "--condition", "leg cramps", "--egfr", "25"};
  const json j = PlanJson(args);
  EXPECT_TRUE(j["supplement"].is_null());
  EXPECT_THAT(Sources(j), ::testing::ElementsAre("egfr_below_30"));
  EXPECT_TRUE(j["foods"].empty());
  EXPECT_THAT(j["food_note"].get<std::string>(), HasSubstr("renal team"));
  EXPECT_FALSE(j["follow_up"]["suggests_trial"].get<bool>());
  for (const char* format : {"text", "markdown"}) {
    const std::string text = PlanText(args, format);
    EXPECT_THAT(text, Not(HasSubstr("trial plan"))) << format;
    EXPECT_THAT(text, Not(HasSubstr("Moderately reduced kidney function"))) << format;
    EXPECT_THAT(text, HasSubstr("renal team")) << format;
  }
}

TEST(PeopleCli, ModerateKidneyDiseaseStillGetsFoodsAboveTheKidneyDietLine) {
  const json mild = PlanJson({"--age", "70", "--sex", "female", "--egfr", "50"});
  EXPECT_THAT(Sources(mild), ::testing::ElementsAre("egfr_below_60"));
  EXPECT_FALSE(mild["foods"].empty());
  const json low = PlanJson({"--age", "70", "--sex", "female", "--egfr", "44"});
  EXPECT_THAT(Sources(low), ::testing::ElementsAre("egfr_below_60"));
  EXPECT_TRUE(low["foods"].empty());
}

TEST(PeopleCli, ATrialIsSuggestedWhenThePlanGivesASupplement) {
  const json j = PlanJson({"--age", "61", "--sex", "female", "--condition", "RLS"});
  ASSERT_TRUE(j["supplement"].is_object());
  EXPECT_TRUE(j["follow_up"]["suggests_trial"].get<bool>());
  EXPECT_THAT(j["follow_up"]["text"].get<std::string>(), HasSubstr("trial plan"));
}

// issue 14, infant: hemp seeds, natto, whey powder and pumpkin seeds; a trial; two referrals.
TEST(PeopleCli, InfantGetsOneReferralMilkAdviceNoSupplementAndNoTrial) {
  const std::vector<std::string> args = {"--age",  "8mo",         "--sex",
                                         "female", "--condition", "constipation"};
  const json j = PlanJson(args);
  EXPECT_TRUE(j["supplement"].is_null());
  EXPECT_THAT(Sources(j), ::testing::ElementsAre("infants"));
  EXPECT_TRUE(j["foods"].empty());
  EXPECT_THAT(j["food_note"].get<std::string>(), HasSubstr("breast milk"));
  EXPECT_FALSE(j["follow_up"]["suggests_trial"].get<bool>());
  const std::string text = PlanText(args);
  for (const char* food : {"seeds,", "Natto", "powder isolate", "Hummus"}) {
    EXPECT_THAT(text, Not(HasSubstr(food)));
  }
  EXPECT_THAT(text, Not(HasSubstr("Children under 9")));
  EXPECT_THAT(text, Not(HasSubstr("trial plan")));
}

// issue 14, child: 350 mg citrate, four pills, no referral for a 9-year-old's constipation.
TEST(PeopleCli, ChildWithConstipationIsReferredForAClinicianSetLaxative) {
  const json j = PlanJson({"--age", "9", "--sex", "female", "--condition", "constipation"});
  EXPECT_TRUE(j["supplement"].is_null());
  EXPECT_THAT(Sources(j), ::testing::Contains("child_laxative"));
  EXPECT_TRUE(j["supplement_withheld_for_safety"].get<bool>());
  const json teen = PlanJson({"--age", "17", "--sex", "male", "--condition", "constipation"});
  EXPECT_TRUE(teen["supplement"].is_null());
  EXPECT_THAT(Sources(teen), ::testing::Contains("child_laxative"));
  // An adult with constipation still gets a laxative form: the rule is about age.
  const json adult = PlanJson({"--age", "30", "--sex", "male", "--condition", "constipation"});
  EXPECT_THAT(Sources(adult), Not(::testing::Contains("child_laxative")));
}

TEST(PeopleCli, PowdersAreNotOfferedAsFood) {
  const json j = PlanJson({"--age", "40", "--sex", "male"});
  ASSERT_FALSE(j["foods"].empty());
  for (const auto& f : j["foods"]) {
    EXPECT_THAT(f["food"].get<std::string>(), Not(HasSubstr("powder")));
  }
}

// issue 14, child: `--age 10 --condition "restless legs"` got alcohol and nicotine advice,
// gabapentin enacarbil and the adult ferritin threshold.
TEST(PeopleCli, ChildGetsNoAdultDrugAdvice) {
  const std::vector<std::string> args = {"--age", "10",          "--sex",
                                         "male",  "--condition", "restless legs"};
  const json j = PlanJson(args);
  for (const auto& m : j["measures"]) {
    EXPECT_NE(m["id"], "rls_gabapentinoids");
    EXPECT_NE(m["id"], "rls_avoid_aggravators");
  }
  const std::string text = PlanText(args);
  EXPECT_THAT(text, Not(HasSubstr("gabapentin enacarbil")));
  EXPECT_THAT(text, Not(HasSubstr("nicotine")));
  EXPECT_THAT(text, HasSubstr("children's doses"));
  // An adult with the same complaint keeps them.
  const json adult = PlanJson({"--age", "40", "--sex", "male", "--condition", "restless legs"});
  bool gabapentinoids = false;
  for (const auto& m : adult["measures"]) gabapentinoids |= m["id"] == "rls_gabapentinoids";
  EXPECT_TRUE(gabapentinoids);
}

// issue 14, schedules: doxycycline at 09:00 and 21:00 gave "no time of day for magnesium",
// although 12:00-15:00 keeps 3 h after and 6 h before every dose of it.
TEST(PeopleCli, DoxycyclineTwiceADayLeavesAMiddaySlot) {
  const json j = PlanJson(
      {"--age", "61", "--sex", "female", "--condition", "RLS", "--med", "doxycycline@09:00,21:00"});
  ASSERT_TRUE(j["supplement"].is_object()) << j["referrals"].dump();
  const auto& doses = j["supplement"]["doses"];
  ASSERT_EQ(doses.size(), 1u);  // A 3-hour window holds one dose, not two 4 hours apart.
  const std::string time = doses[0]["time"].get<std::string>();
  EXPECT_GE(time, "12:00");
  EXPECT_LE(time, "15:00");
  EXPECT_LE(j["supplement"]["daily_elemental_mg"].get<double>(), 150);
  bool said = false;
  for (const auto& w : j["warnings"])
    said |= w.get<std::string>().find("only one") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(PeopleCli, NoFeasibleTimeSaysSoAndOffersThePause) {
  // Doxycycline every 6 hours leaves no minute 3 h after and 6 h before a dose.
  const json j = PlanJson({"--age", "61", "--sex", "female", "--condition", "RLS", "--med",
                           "doxycycline@00:00,06:00,12:00,18:00"});
  EXPECT_TRUE(j["supplement"].is_null());
  std::string timing;
  for (const auto& r : j["referrals"]) {
    if (r["source"] == "timing") timing = r["reason"].get<std::string>();
  }
  EXPECT_THAT(timing, HasSubstr("no time between 06:00 and 23:00"));
  EXPECT_THAT(timing, HasSubstr("pause magnesium during a short course"));
}

// issue 14, red flags: "chest pain" was unknown; the CLI never showed a complaint's "seek help at
// once if..." questions (sciatica said nothing about bladder, bowel or saddle numbness).
TEST(PeopleCli, NewRedFlagsAreKnownAndReferredAsEmergencies) {
  for (const char* flag : {"chest pain", "breathlessness", "stroke signs", "fever back pain",
                           "pre-eclampsia signs", "cauda equina", "thunderclap headache"}) {
    const json j = PlanJson({"--age", "30", "--sex", "female", "--red-flag", flag});
    ASSERT_FALSE(j["referrals"].empty()) << flag;
    EXPECT_EQ(j["referrals"][0]["urgency"], "emergency") << flag;
  }
}

TEST(PeopleCli, EveryFormatShowsTheComplaintsSafetyNetQuestions) {
  const std::vector<std::string> args = {"--age", "45", "--sex", "male", "--condition", "sciatica"};
  const json j = PlanJson(args);
  ASSERT_EQ(j["safety_net"].size(), 1u);
  EXPECT_EQ(j["safety_net"][0]["condition"], "nerve_pain");
  std::vector<std::string> ids;
  for (const auto& q : j["safety_net"][0]["questions"]) ids.push_back(q["red_flag"]);
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"cauda_equina", "fever_back_pain", "stroke_signs"}));
  for (const char* format : {"text", "markdown"}) {
    const std::string text = PlanText(args, format);
    EXPECT_THAT(text, HasSubstr("When to seek help at once")) << format;
    EXPECT_THAT(text, HasSubstr("bladder or bowel")) << format;
    EXPECT_THAT(text, HasSubstr("fever or chills")) << format;
  }
}

TEST(PeopleCli, PreEclampsiaQuestionsOnlyInPregnancy) {
  const auto asks = [](const json& j) {
    for (const auto& net : j["safety_net"]) {
      for (const auto& q : net["questions"]) {
        if (q["red_flag"] == "pre_eclampsia_signs") return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(
      asks(PlanJson({"--age", "30", "--sex", "female", "--pregnant", "--condition", "migraine"})));
  EXPECT_FALSE(asks(PlanJson({"--age", "30", "--sex", "female", "--condition", "migraine"})));
}

// issue 14, overdose: oxide 400 mg + hydroxide 1200 mg as laxatives (about 741 mg/day) printed
// "a safety rule above applies" with nothing above, and no referral.
TEST(PeopleCli, IntakeAboveTheLimitIsReferredAndNamed) {
  const std::vector<std::string> args = {"--age",       "50",
                                         "--sex",       "female",
                                         "--condition", "constipation",
                                         "--taking",    "magnesium oxide:400mg:laxative",
                                         "--taking",    "magnesium hydroxide:1200mg:laxative"};
  const json j = PlanJson(args);
  EXPECT_TRUE(j["supplement"].is_null());
  bool referred = false;
  for (const auto& r : j["referrals"]) {
    if (r["source"] == "ul_already_exceeded") {
      referred = true;
      EXPECT_THAT(r["reason"].get<std::string>(), HasSubstr("above the 350 mg/day upper limit"));
    }
  }
  EXPECT_TRUE(referred);
  for (const char* format : {"text", "markdown"}) {
    const std::string text = PlanText(args, format);
    EXPECT_THAT(text, Not(HasSubstr("a safety rule above applies"))) << format;
    EXPECT_THAT(text, HasSubstr("Safety first")) << format;
    EXPECT_THAT(text, HasSubstr("above the 350 mg/day upper limit")) << format;
  }
}

// issue 14, pregnancy: `--pregnant --condition "leg cramps"` reached the older-adult idiopathic
// finding; only the exact words "leg cramps in pregnancy" reached the right one.
TEST(PeopleCli, LegCrampsInPregnancyReachThePregnancyFinding) {
  const json j =
      PlanJson({"--age", "30", "--sex", "female", "--pregnant", "--condition", "leg cramps"});
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["condition"], "pregnancy_leg_cramps");
  const json not_pregnant =
      PlanJson({"--age", "30", "--sex", "female", "--condition", "leg cramps"});
  EXPECT_EQ(not_pregnant["findings"][0]["condition"], "nocturnal_leg_cramps");
}

// issue 14, risk groups: night cramps with a thiazide and a PPI gave no referral at all.
TEST(PeopleCli, RiskGroupMedicinesGetABloodTestReferral) {
  const json j = PlanJson({"--age", "66", "--sex", "male", "--condition", "leg cramps", "--med",
                           "hydrochlorothiazide", "--med", "omeprazole"});
  std::string reason, urgency;
  for (const auto& r : j["referrals"]) {
    if (r["source"] == "risk_group") {
      reason = r["reason"].get<std::string>();
      urgency = r["urgency"].get<std::string>();
    }
  }
  EXPECT_THAT(reason, HasSubstr("Hydrochlorothiazide"));  // First in the sentence.
  EXPECT_THAT(reason, HasSubstr("omeprazole"));
  EXPECT_THAT(reason, HasSubstr("magnesium, potassium and calcium"));
  EXPECT_EQ(urgency, "soon");  // Cramps can be a sign of low magnesium.
  const json diabetes = PlanJson({"--age", "55", "--sex", "female", "--condition", "insomnia",
                                  "--diagnosis", "type 2 diabetes"});
  bool routine = false;
  for (const auto& r : diabetes["referrals"]) {
    routine |= r["source"] == "risk_group" && r["urgency"] == "routine";
  }
  EXPECT_TRUE(routine);
}

}  // namespace
}  // namespace mg
