// Two-dose designs (issue 16): each pair compares a lower dose with the plan's dose instead of no
// magnesium with it. The rule (CheckLowerDose) over a grid of doses; the design, calendar, status,
// report and protocol version 4 of a two-dose trial; designs without a lower dose unchanged.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/numbers.h"
#include "trial/blinding.h"
#include "trial/protocol.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::Entry;
using journal::EntryKind;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }
Date Plus(Date d, int days) { return d + std::chrono::days{days}; }

// The adult supplemental upper limit, mg of elemental magnesium a day: no plan dose is above it.
constexpr int kAdultUpperLimitMg = 350;

std::vector<OutcomeSpec> Outcomes() {
  auto o = LoadOutcomes();
  EXPECT_TRUE(o.ok()) << o.error().message;
  return o.ok() ? *o : std::vector<OutcomeSpec>{};
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

DesignRequest PainRequest(double dose, std::optional<double> lower) {
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.seed = 7;
  req.dose_mg = dose;
  req.form = "citrate";
  req.lower_dose_mg = lower;
  return req;
}

// A two-dose pain trial, 300 mg vs 150 mg, no run-in: pairs from Monday 2026-11-02.
Design TwoDosePain(int run_in_days = 0) {
  DesignRequest req = PainRequest(300, 150);
  req.run_in_days = run_in_days;
  auto design = RandomiseDesign(req, Outcomes());
  EXPECT_TRUE(design.ok()) << design.error().message;
  return *design;
}

Entry Pain(Date d, double value) {
  Entry e;
  e.date = d;
  e.kind = EntryKind::kPain;
  e.value = value;
  return e;
}

Entry Dose(Date d, double mg) {
  Entry e;
  e.date = d;
  e.kind = EntryKind::kDose;
  e.label = "citrate";
  e.magnesium_mg = mg;
  return e;
}

// The rule, exhaustively over a grid: every plan dose from 1 to the upper limit (whole mg), every
// lower dose from -2 to 2 mg above the upper limit in half-mg steps. Accepted exactly when the
// lower dose is above 0 and below the plan's dose; every refusal names the field and the value.
TEST(TwoDoseTest, TheRuleAcceptsExactlyTheLowerDosesAboveZeroAndBelowThePlanDose) {
  int accepted = 0, refused = 0;
  for (int plan = 1; plan <= kAdultUpperLimitMg; ++plan) {
    for (int half = -4; half <= 2 * (kAdultUpperLimitMg + 2); ++half) {
      const double lower = half / 2.0;
      const Status rule = CheckLowerDose(plan, lower);
      const bool allowed = lower > 0 && lower < plan;
      ASSERT_EQ(rule.ok(), allowed) << "plan " << plan << " mg, lower " << lower << " mg";
      if (allowed) {
        ++accepted;
        continue;
      }
      ++refused;
      ASSERT_EQ(rule.error().code, ErrorCode::kInvalidArgument);
      ASSERT_THAT(rule.error().message,
                  StartsWith(fmt::format("lower_dose_mg: {} mg ", FormatNumber(lower))))
          << "plan " << plan << " mg, lower " << lower << " mg";
      if (lower > 0) {
        ASSERT_THAT(rule.error().message,
                    HasSubstr(fmt::format("below the plan's dose of {} mg", plan)));
      }
    }
  }
  // Each plan dose p accepts the 2p - 1 half-mg steps strictly between 0 and p.
  EXPECT_EQ(accepted, kAdultUpperLimitMg * kAdultUpperLimitMg);
  EXPECT_GT(refused, accepted);
  // Not numbers: refused, never accepted.
  for (const double odd :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    EXPECT_FALSE(CheckLowerDose(300, odd).ok());
  }
  // Children's plans have lower doses (a lower upper limit): the rule is the same below them.
  EXPECT_TRUE(CheckLowerDose(65, 32.5).ok());
  EXPECT_FALSE(CheckLowerDose(65, 65).ok());
}

// Every door reaches the rule through RandomiseDesign: over a grid of plan doses up to the upper
// limit and lower doses up to and past it, a design is made exactly when the rule allows it, and
// a design made never has a lower dose at or above its dose, nor a dose above the upper limit.
TEST(TwoDoseTest, RandomiseDesignAppliesTheRuleOverTheGrid) {
  const std::vector<OutcomeSpec> outcomes = Outcomes();
  for (int plan = 5; plan <= kAdultUpperLimitMg; plan += 5) {
    for (int lower = -5; lower <= kAdultUpperLimitMg + 5; lower += 5) {
      auto design = RandomiseDesign(PainRequest(plan, lower), outcomes);
      ASSERT_EQ(design.ok(), CheckLowerDose(plan, lower).ok()) << plan << " " << lower;
      if (!design.ok()) {
        ASSERT_EQ(design.error().message, CheckLowerDose(plan, lower).error().message);
        continue;
      }
      ASSERT_TRUE(design->two_dose());
      ASSERT_GT(*design->lower_dose_mg, 0);
      ASSERT_LT(*design->lower_dose_mg, design->dose_mg);
      ASSERT_LE(design->dose_mg, kAdultUpperLimitMg);
    }
  }
  // Without a lower dose, the usual design, with the same order from the same seed.
  auto plain = RandomiseDesign(PainRequest(300, std::nullopt), outcomes);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->two_dose());
  EXPECT_EQ(plain->magnesium_first, TwoDosePain().magnesium_first);
}

TEST(TwoDoseTest, TheDesignRoundTripsAndOldDesignsReadBackUnchanged) {
  const Design d = TwoDosePain();
  const nlohmann::json j = DesignToJson(d);
  EXPECT_EQ(j["lower_dose_mg"], 150);
  EXPECT_EQ(j["dose_mg"], 300);
  auto back = DesignFromJson(j, Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->lower_dose_mg, 150);
  EXPECT_EQ(DesignToJson(*back), j);
  // A stored lower dose that breaks the rule is a malformed design.
  nlohmann::json wrong = j;
  wrong["lower_dose_mg"] = 300;
  auto refused = DesignFromJson(wrong, Outcomes());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kDataError);
  EXPECT_THAT(refused.error().message, HasSubstr("lower_dose_mg: 300 mg"));
  // A design stored before two-dose designs has no lower_dose_mg, and serialises as it was.
  const nlohmann::json stored = nlohmann::json::parse(
      Slurp(std::string(MG_SOURCE_DIR) + "/src/trial/testdata/design-before-run-in.json"));
  auto old = DesignFromJson(stored, Outcomes());
  ASSERT_TRUE(old.ok()) << old.error().message;
  EXPECT_FALSE(old->two_dose());
  EXPECT_EQ(DesignToJson(*old), stored);
  EXPECT_FALSE(DesignToJson(*old).contains("lower_dose_mg"));
  EXPECT_EQ(PeriodsToJson(Periods(*old))[0].count("dose_mg"), 0U);
}

TEST(TwoDoseTest, PeriodsCalendarAndStatusSayWhichDose) {
  const Design d = TwoDosePain(14);
  const std::string calendar = RenderCalendar(d);
  EXPECT_THAT(calendar, HasSubstr("plan dose, 300 mg"));
  EXPECT_THAT(calendar, HasSubstr("lower dose, 150 mg"));
  EXPECT_THAT(calendar, HasSubstr("Lower-dose periods: 150 mg a day. Both are magnesium"));
  EXPECT_THAT(calendar, HasSubstr("H plan-dose day (300 mg), L lower-dose day (150 mg)"));
  EXPECT_THAT(calendar, Not(HasSubstr("No-magnesium periods")));
  EXPECT_THAT(calendar, Not(HasSubstr("MAGNESIUM")));
  // The run-in stays without magnesium.
  EXPECT_THAT(calendar, HasSubstr("Run-in: 2026-11-02 to 2026-11-15: no magnesium."));

  const nlohmann::json periods = PeriodsToJson(CalendarPeriods(d));
  ASSERT_EQ(periods.size(), 1U + 6U);
  EXPECT_EQ(periods[0]["arm"], "run_in");
  EXPECT_EQ(periods[0]["dose_mg"], 0);
  EXPECT_EQ(periods[0]["magnesium"], false);
  int plan_periods = 0;
  for (size_t i = 1; i < periods.size(); ++i) {
    EXPECT_EQ(periods[i]["magnesium"], true);  // Both arms take magnesium.
    const bool plan = periods[i]["arm"] == "plan_dose";
    EXPECT_EQ(periods[i]["dose_mg"], plan ? 300 : 150);
    if (!plan) {
      EXPECT_EQ(periods[i]["arm"], "lower_dose");
    }
    plan_periods += plan ? 1 : 0;
  }
  EXPECT_EQ(plan_periods, 3);

  // Every day of the pairs: the todo names that period's dose and the command logs it.
  std::vector<Entry> run_in;
  for (int i = 0; i < 14; ++i) run_in.push_back(Pain(Plus(d.first_day(), i), 5));
  const Layout layout = d.ToLayout();
  for (int day = 0; day < layout.total_days(); ++day) {
    const TrialStatus s = GetTrialStatus(d, run_in, Plus(d.start, day));
    ASSERT_EQ(s.phase, TrialStatus::Phase::kRunning);
    const double dose = layout.OnMagnesium(day) ? 300 : 150;
    ASSERT_EQ(s.dose_mg, dose);
    ASSERT_THAT(s.todo[0].text,
                HasSubstr(fmt::format("take {} mg citrate (this period's dose)", dose)));
    ASSERT_EQ(s.todo[0].command, fmt::format("mgadvisor log dose --mg {} --form citrate", dose));
    const nlohmann::json j = StatusToJson(s, Plus(d.start, day));
    ASSERT_EQ(j["arm"], layout.OnMagnesium(day) ? "plan_dose" : "lower_dose");
    ASSERT_EQ(j["dose_mg"], dose);
    ASSERT_EQ(j["magnesium"], true);
  }
  // In the run-in: no magnesium.
  EXPECT_THAT(GetTrialStatus(d, {}, d.first_day()).todo[0].text, HasSubstr("take no magnesium"));
  EXPECT_FALSE(GetTrialStatus(d, {}, d.first_day()).dose_mg);
}

// A finished two-dose trial: ratings, and the doses each arm prescribes.
std::vector<Entry> FinishedTrial(const Design& d, double plan_better_by, bool log_doses = true) {
  std::vector<Entry> out;
  const Layout layout = d.ToLayout();
  for (int day = 0; day < layout.total_days(); ++day) {
    const bool plan = layout.OnMagnesium(day);
    // Lower is better for pain; a little day-to-day variation so the interval has a width.
    out.push_back(Pain(Plus(d.start, day), 6 - (plan ? plan_better_by : 0) + (day % 3) * 0.25 +
                                               (day % 5 == 0 ? 0.3 : 0)));
    if (log_doses) out.push_back(Dose(Plus(d.start, day), d.DoseOf(plan)));
  }
  return out;
}

TEST(TwoDoseTest, TheReportComparesThePlanDoseWithTheLowerDose) {
  const Design d = TwoDosePain();
  const Date after = Plus(d.end(), 1);
  const Report helped = BuildReport(d, FinishedTrial(d, 2.5), after, std::nullopt);
  ASSERT_EQ(helped.analysis.verdict, Verdict::kBenefit);
  EXPECT_THAT(helped.conclusion, StartsWith("The higher dose helped more than the lower one"));
  EXPECT_THAT(helped.conclusion,
              HasSubstr("the plan dose (300 mg) than on the lower dose (150 mg)"));
  EXPECT_THAT(helped.conclusion, HasSubstr("does not say whether either helps compared with none"));
  EXPECT_THAT(helped.conclusion, Not(HasSubstr("on magnesium")));
  const std::string text = RenderReportText(helped);
  EXPECT_THAT(text, StartsWith("n-of-1 trial report: plan dose (300 mg) vs lower dose (150 mg)"));
  EXPECT_THAT(text, HasSubstr("Effect, plan dose vs lower dose"));
  EXPECT_THAT(text, HasSubstr("plan dose "));
  EXPECT_THAT(text, HasSubstr("lower dose "));
  EXPECT_THAT(text, Not(HasSubstr("no magnesium")));
  EXPECT_THAT(text, Not(HasSubstr("better on magnesium")));
  const nlohmann::json j = ReportToJson(helped);
  EXPECT_EQ(j["comparison"], "plan_dose_vs_lower_dose");
  EXPECT_EQ(j["lower_dose_mg"], 150);
  // The charts shade the plan-dose periods and say so.
  EXPECT_THAT(TimelineSvg(helped), HasSubstr("plan-dose periods shaded"));
  EXPECT_THAT(TimelineSvg(helped),
              HasSubstr("green: plan dose (300 mg), white: lower dose (150 mg); "));
  EXPECT_THAT(TimelineSvg(helped), Not(HasSubstr("green: magnesium")));
  EXPECT_THAT(IntakeSvg(helped), HasSubstr("green: plan-dose periods; "));
  // Adherence per arm: every day dosed as prescribed.
  EXPECT_TRUE(helped.adherence.two_dose);
  EXPECT_EQ(helped.adherence.magnesium_days_dosed, helped.adherence.magnesium_days);
  EXPECT_EQ(helped.adherence.off_days_dosed, helped.adherence.off_days);
  EXPECT_THAT(text, HasSubstr("a dose near 300 mg logged on 42 of 42 plan-dose days and near "
                              "150 mg on 42 of 42 lower-dose days"));

  // The same doses: the higher did not help more. Never "magnesium does not help".
  const Report same = BuildReport(d, FinishedTrial(d, 0), after, std::nullopt);
  ASSERT_NE(same.analysis.verdict, Verdict::kBenefit);
  EXPECT_THAT(same.conclusion, Not(HasSubstr("Magnesium probably does not help")));
  EXPECT_THAT(same.conclusion, Not(HasSubstr("Magnesium does not seem to help")));
  EXPECT_THAT(same.conclusion, HasSubstr("compared with none"));
  const Report worse = BuildReport(d, FinishedTrial(d, -2.5), after, std::nullopt);
  ASSERT_EQ(worse.analysis.verdict, Verdict::kWorse);
  EXPECT_THAT(worse.conclusion, StartsWith("The higher dose did not help more"));
}

TEST(TwoDoseTest, AdherenceCountsDosesNearTheArmsDose) {
  const Design d = TwoDosePain();
  const Layout layout = d.ToLayout();
  std::vector<Entry> entries = FinishedTrial(d, 2.5, false);
  // Every day the plan's dose: right on plan-dose days, wrong on lower-dose days.
  for (int day = 0; day < layout.total_days(); ++day)
    entries.push_back(Dose(Plus(d.start, day), 300));
  const Report r = BuildReport(d, entries, Plus(d.end(), 1), std::nullopt);
  EXPECT_EQ(r.adherence.magnesium_days_dosed, 42);
  EXPECT_EQ(r.adherence.off_days_dosed, 0);
  EXPECT_TRUE(r.adherence.Unknown());
  EXPECT_EQ(r.analysis.verdict, Verdict::kNotEnoughData);
  EXPECT_THAT(r.conclusion, HasSubstr("no dose near the lower dose (150 mg)"));
  // Near: the nearer arm's dose counts (160 mg is a lower dose, 250 mg the plan's).
  EXPECT_TRUE(DosedForArm(160, 150, 300));
  EXPECT_FALSE(DosedForArm(160, 300, 150));
  EXPECT_TRUE(DosedForArm(250, 300, 150));
  EXPECT_FALSE(DosedForArm(225, 300, 150));  // Halfway: neither.
  EXPECT_FALSE(DosedForArm(225, 150, 300));
}

// Version 4 of the protocol: only two-dose designs, pinned in testdata. Other designs keep their
// versions (their goldens are protocol-v1.md to protocol-v3.md).
TEST(TwoDoseTest, ProtocolVersionFourTextIsPinned) {
  const Design d = TwoDosePain(14);
  const std::string text = ProtocolText(d);
  EXPECT_THAT(text, HasSubstr("Protocol version 4 (mgadvisor)"));
  EXPECT_THAT(text, HasSubstr("Not asked: whether either dose helps compared with no magnesium"));
  EXPECT_THAT(text, Not(HasSubstr("compared with taking none")));
  const std::string path = std::string(MG_SOURCE_DIR) + "/src/trial/testdata/protocol-v4.md";
  if (std::getenv("MG_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << text;
  EXPECT_EQ(text, Slurp(path));
  Design registered = d;
  registered.protocol = RegisterProtocol(d);
  const ProtocolCheck check = CheckProtocol(registered);
  EXPECT_TRUE(check.intact);
  EXPECT_TRUE(check.removed.empty());
  // Without the lower dose, the same design is version 3 again.
  Design plain = d;
  plain.lower_dose_mg.reset();
  EXPECT_THAT(ProtocolText(plain), HasSubstr("Protocol version 3 (mgadvisor)"));
  // Dropping the lower dose after the start shows as a change.
  registered.lower_dose_mg = 100;
  EXPECT_FALSE(CheckProtocol(registered).added.empty());
}

// Blinded two-dose trials: both containers hold magnesium, in two strengths. The helper's sheet,
// the protocol and the daily todo say so; guesses are "higher" / "lower"; after unblinding the
// report compares the doses, scores the guesses per dose and counts the lower dose's magnesium.
TEST(TwoDoseTest, ABlindedTwoDoseTrialHasOneDoseInEachContainer) {
  constexpr const char* kKey = "K7QX-M2TF-9RWC-H3PD";
  Design d = TwoDosePain();
  d.blinding = Blinding{CommitmentTo('B', kKey), 0, std::nullopt};
  const std::string sheet = HelperSheet(d, SealedAllocation{'B', kKey});
  EXPECT_THAT(sheet, HasSubstr("BOTH containers hold magnesium, in different strengths"));
  EXPECT_THAT(sheet, HasSubstr("Container B: PLAN DOSE (higher) — 300 mg of elemental magnesium "
                               "a day as citrate."));
  EXPECT_THAT(sheet, HasSubstr("Container A: LOWER DOSE — 150 mg of elemental magnesium a day"));
  EXPECT_THAT(sheet, Not(HasSubstr("PLACEBO")));
  const std::string protocol = ProtocolText(d);
  EXPECT_THAT(protocol, HasSubstr("Protocol version 4 (mgadvisor)"));
  EXPECT_THAT(protocol, HasSubstr("A and B, one with each dose"));
  EXPECT_THAT(protocol, HasSubstr("(higher, lower or unsure)"));
  EXPECT_THAT(protocol, Not(HasSubstr("placebo")));
  EXPECT_THAT(RenderCalendar(d), HasSubstr("Blinded: a helper put one dose in each of two"));
  const TrialStatus s = GetTrialStatus(d, {}, d.start);
  EXPECT_THAT(s.todo[0].text, HasSubstr("with your guess (higher, lower or unsure)"));
  EXPECT_EQ(s.todo[0].command, "mgadvisor trial took --guess higher|lower|unsure");
  EXPECT_EQ(ParseGuess("higher"), Guess::kMagnesium);
  EXPECT_EQ(ParseGuess("lower"), Guess::kPlacebo);
  EXPECT_STREQ(GuessName(Guess::kPlacebo, true), "lower");

  // The whole trial: container B (the plan dose) 2.5 points better; every dose logged, as if it
  // were the plan dose (the person cannot know), each with a right guess.
  std::vector<Entry> entries;
  const Layout layout = d.ToLayout();
  for (int day = 0; day < layout.total_days(); ++day) {
    const char container = ContainerOn(d, day);
    const bool plan = container == 'B';
    entries.push_back(Pain(Plus(d.start, day),
                           6 - (plan ? 2.5 : 0) + (day % 3) * 0.25 + (day % 5 == 0 ? 0.3 : 0)));
    Entry dose = Dose(Plus(d.start, day), 300);
    dose.label = ContainerDoseLabel(container);
    dose.note = GuessNote(plan ? Guess::kMagnesium : Guess::kPlacebo, true);
    EXPECT_EQ(dose.note, plan ? "guess: higher" : "guess: lower");
    entries.push_back(dose);
  }
  const Date after = Plus(d.end(), 1);
  const Report sealed = BuildReport(d, entries, after, std::nullopt);
  EXPECT_THAT(RenderReportText(sealed), HasSubstr("which one holds the plan dose is still sealed"));
  auto opened = Unblind(d, kKey, after);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  const Report r = BuildReport(*opened, entries, after, std::nullopt);
  ASSERT_EQ(r.analysis.verdict, Verdict::kBenefit);
  EXPECT_THAT(r.conclusion, StartsWith("The higher dose helped more than the lower one"));
  EXPECT_THAT(r.conclusion, Not(HasSubstr("not blinded")));
  EXPECT_EQ(r.adherence.magnesium_days_dosed, 42);
  EXPECT_EQ(r.adherence.off_days_dosed, 42);
  EXPECT_EQ(r.blinding->magnesium.correct, 42);
  EXPECT_EQ(r.blinding->placebo.correct, 42);
  EXPECT_THAT(r.blinding->meaning, HasSubstr("higher dose from the lower one"));
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Blinded: container B held the plan dose"));
  EXPECT_THAT(text, HasSubstr("  Plan-dose days: 42 right"));
  EXPECT_THAT(text, HasSubstr("  Lower-dose days: 42 right"));
  EXPECT_THAT(text, Not(HasSubstr("placebo")));
  // The lower-dose days' container doses held the lower dose, not none and not the plan's.
  for (const DayPoint& p : r.intake) {
    ASSERT_EQ(p.value, opened->ToLayout().OnMagnesium(p.day) ? 300 : 150) << p.day;
  }
  EXPECT_THAT(RenderCalendar(*opened), HasSubstr("CONTAINER B (plan dose)"));
  EXPECT_THAT(RenderCalendar(*opened), HasSubstr("CONTAINER A (lower dose)"));
}

}  // namespace
}  // namespace mg::trial
