#include "trial/trial.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trial/protocol.h"

namespace mg::trial {
namespace {

using journal::Entry;
using journal::EntryKind;
using ::testing::HasSubstr;
using ::testing::Not;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }

std::vector<OutcomeSpec> Outcomes() {
  auto o = LoadOutcomes();
  EXPECT_TRUE(o.ok()) << o.error().message;
  return o.ok() ? *o : std::vector<OutcomeSpec>{};
}

Design PainDesign(uint64_t seed = 42) {
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);  // A Monday.
  req.seed = seed;
  req.dose_mg = 300;
  req.form = "citrate";
  auto design = RandomiseDesign(req, Outcomes());
  EXPECT_TRUE(design.ok()) << design.error().message;
  return *design;
}

TEST(OutcomesTest, EmbeddedOutcomesLoad) {
  auto outcomes = Outcomes();
  ASSERT_EQ(outcomes.size(), 12u);
  // Minutes asleep from a device (Apple Health): more is better, MID 15 minutes.
  auto sleep_minutes = FindOutcome(outcomes, "sleep_minutes");
  ASSERT_TRUE(sleep_minutes.ok());
  EXPECT_EQ(sleep_minutes->journal_kind, journal::EntryKind::kSleepMinutes);
  EXPECT_TRUE(sleep_minutes->higher_is_better);
  EXPECT_EQ(sleep_minutes->mid, 15);
  auto irls = FindOutcome(outcomes, "irls");
  ASSERT_TRUE(irls.ok());
  EXPECT_EQ(BandOf(*irls, 0), "none");
  EXPECT_EQ(BandOf(*irls, 10), "mild");
  EXPECT_EQ(BandOf(*irls, 11), "moderate");
  EXPECT_EQ(BandOf(*irls, 30), "severe");
  EXPECT_EQ(BandOf(*irls, 31), "very severe");
  auto unknown = FindOutcome(outcomes, "mood");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message,
            "outcome: 'mood' is not an outcome; use cramps, irls, pain, sleep, sleep_minutes, "
            "cramp_severity, cramp_minutes, cramp_sleep_disturbance, sleep_latency, "
            "sleep_awakenings, migraine_days or stress");
}

TEST(OutcomesTest, BadDataNamesFileAndLine) {
  auto r = ParseOutcomes("[[outcome]]\nid = \"x\"\n", "o.toml");
  ASSERT_FALSE(r.ok());
  // Every problem of the entry at once, each with file:line, not just the first.
  EXPECT_THAT(
      r.error().message,
      ::testing::StartsWith("o.toml:1: outcome 'x' is missing required field 'journal_kind'\n"));
  EXPECT_THAT(r.error().message,
              HasSubstr("o.toml:1: outcome 'x' is missing required field 'mid'"));
  auto misspelt = ParseOutcomes(
      "[[outcome]]\nid = \"x\"\njournal_kind = \"pain\"\nname = \"n\"\nunit = \"u\"\n"
      "better = \"lower\"\nscale_min = 0\nscale_max = 10\nmid = 1\nmid_kind = \"absolute\"\n"
      "mid_source = \"s\"\nperiod_days = 14\nwashout_day = 4\nrating_every = 1\n"
      "min_ratings = 0.5\n",
      "o.toml");
  ASSERT_FALSE(misspelt.ok());
  EXPECT_THAT(misspelt.error().message,
              HasSubstr("o.toml:13: unknown key 'washout_day' in outcome 'x'; did you mean "
                        "'washout_days'?"));
}

TEST(DesignTest, SameSeedSamePlanAndOrdersVary) {
  EXPECT_EQ(PainDesign(7).magnesium_first, PainDesign(7).magnesium_first);
  bool saw_on_first = false, saw_off_first = false;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    for (bool b : PainDesign(seed).magnesium_first) (b ? saw_on_first : saw_off_first) = true;
  }
  EXPECT_TRUE(saw_on_first && saw_off_first);
}

TEST(DesignTest, RefusesBadRequests) {
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.dose_mg = 300;
  req.pairs = 5;
  EXPECT_EQ(RandomiseDesign(req, Outcomes()).error().message, "pairs: 5 is outside 3-4");
  req.pairs = 3;
  req.washout_days = 14;
  EXPECT_EQ(RandomiseDesign(req, Outcomes()).error().message,
            "washout_days: 14 must be at least 0 and less than the period (14)");
  req.washout_days.reset();
  req.dose_mg = 0;
  EXPECT_EQ(RandomiseDesign(req, Outcomes()).error().message,
            "dose: 0 mg is not a daily elemental dose");
}

TEST(DesignTest, JsonRoundTrip) {
  Design design = PainDesign(99);
  auto back = DesignFromJson(DesignToJson(design), Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->magnesium_first, design.magnesium_first);
  EXPECT_EQ(back->start, design.start);
  EXPECT_EQ(back->seed, 99u);
  EXPECT_EQ(back->outcome.period_days, 14);
  EXPECT_FALSE(DesignFromJson(nlohmann::json::parse(R"({"outcome": "pain"})"), Outcomes()).ok());
}

TEST(DesignTest, CalendarShowsEveryDay) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  const std::string text = RenderCalendar(design);
  EXPECT_THAT(text, HasSubstr("Pair 1  2026-11-02 to 2026-11-15  MAGNESIUM\n"
                              "        2026-11-16 to 2026-11-29  no magnesium\n"
                              "Pair 2  2026-11-30 to 2026-12-13  no magnesium\n"));
  EXPECT_THAT(text, HasSubstr("2026-11-02    m   m   m   m   M   M   M\n"));
  EXPECT_THAT(text, HasSubstr("2026-11-16    o   o   o   o   O   O   O\n"));
  EXPECT_THAT(text, HasSubstr("seed 42"));
}

Entry Rating(Date d, double v) {
  Entry e;
  e.date = d;
  e.kind = EntryKind::kPain;
  e.value = v;
  return e;
}

Entry Dose(Date d) {
  Entry e;
  e.date = d;
  e.kind = EntryKind::kDose;
  e.label = "citrate";
  e.magnesium_mg = 300;
  return e;
}

TEST(StatusTest, SaysWhatIsDue) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  auto before = GetTrialStatus(design, {}, Day(2026, 11, 1));
  EXPECT_EQ(before.phase, TrialStatus::Phase::kNotStarted);
  auto first = GetTrialStatus(design, {}, Day(2026, 11, 2));
  EXPECT_EQ(first.phase, TrialStatus::Phase::kRunning);
  EXPECT_TRUE(first.magnesium);
  EXPECT_TRUE(first.washout);
  EXPECT_TRUE(first.rating_due);
  EXPECT_FALSE(first.dose_logged);
  EXPECT_THAT(first.todo[0].text, HasSubstr("take 300 mg citrate"));
  EXPECT_EQ(first.todo[0].command, "mgadvisor log dose --mg 300 --form citrate");
  auto logged = GetTrialStatus(design, {Rating(Day(2026, 11, 20), 3), Dose(Day(2026, 11, 20))},
                               Day(2026, 11, 20));
  EXPECT_FALSE(logged.magnesium);
  EXPECT_TRUE(logged.rating_logged);
  EXPECT_THAT(logged.todo[0].text, HasSubstr("protocol deviation"));
  auto after = GetTrialStatus(design, {}, Day(2027, 2, 1));
  EXPECT_EQ(after.phase, TrialStatus::Phase::kFinished);
}

TEST(DesignTest, PeriodsFollowTheRandomisedOrder) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  const std::vector<Period> periods = Periods(design);
  ASSERT_EQ(periods.size(), 6u);
  EXPECT_EQ(periods[0].pair, 0);
  EXPECT_TRUE(periods[0].magnesium);
  EXPECT_EQ(periods[0].start, Day(2026, 11, 2));
  EXPECT_EQ(periods[0].end, Day(2026, 11, 15));
  EXPECT_EQ(periods[0].washout_end, Day(2026, 11, 5));  // 4 washout days.
  EXPECT_FALSE(periods[1].magnesium);
  EXPECT_EQ(periods[2].pair, 1);
  EXPECT_FALSE(periods[2].magnesium);  // Pair 2 starts off magnesium.
  EXPECT_EQ(periods[5].end, design.end());
  EXPECT_THAT(PeriodsToJson(periods).dump(),
              HasSubstr(R"({"container":null,"end":"2026-11-15","magnesium":true,"pair":1,)"
                        R"("start":"2026-11-02",)"
                        R"("washout_end":"2026-11-05"})"));
}

TEST(StatusTest, JsonCarriesTheRunningFieldsOnlyWhileRunning) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  const std::string running =
      StatusToJson(GetTrialStatus(design, {}, Day(2026, 11, 3)), Day(2026, 11, 3)).dump();
  EXPECT_THAT(running, HasSubstr(R"("day":2,)"));
  EXPECT_THAT(running, HasSubstr(R"("pair":1,)"));
  EXPECT_THAT(running, HasSubstr(R"("phase":"running")"));
  EXPECT_THAT(running, HasSubstr(R"("rating_due":true)"));
  const std::string before =
      StatusToJson(GetTrialStatus(design, {}, Day(2026, 11, 1)), Day(2026, 11, 1)).dump();
  EXPECT_THAT(before, HasSubstr(R"("phase":"not_started")"));
  EXPECT_THAT(before, Not(HasSubstr("pair")));
}

TEST(ReportTest, FourWeeksIsNotEnoughYet) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  std::vector<Entry> entries;
  for (int d = 0; d < 28; ++d) {
    const Date day = design.start + std::chrono::days{d};
    entries.push_back(Rating(day, d < 14 ? 3 : 5));
    if (d < 14) entries.push_back(Dose(day));
  }
  Report r = BuildReport(design, entries, design.start + std::chrono::days{27}, 320);
  EXPECT_EQ(r.analysis.verdict, Verdict::kNotEnoughData);
  EXPECT_EQ(r.adherence.magnesium_days, 14);
  EXPECT_EQ(r.adherence.magnesium_days_dosed, 14);
  EXPECT_EQ(r.adherence.off_days_dosed, 0);
  EXPECT_THAT(r.conclusion, HasSubstr("Not enough data yet: 1 of 3 pairs are complete"));
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Effect: needs at least two complete pairs."));
  EXPECT_THAT(TimelineSvg(r), HasSubstr("<svg"));
  EXPECT_THAT(IntakeSvg(r), HasSubstr("RDA 320 mg"));
  // Issue 17: the RDA is named in the key under the plot; a label beside its line sat on the bars.
  EXPECT_THAT(IntakeSvg(r), HasSubstr("green: magnesium periods; red dashed line: RDA 320 mg"));
  EXPECT_THAT(IntakeSvg(r), Not(HasSubstr("text-anchor=\"end\">RDA")));
}

TEST(ReportTest, CompleteTrialGivesAnEstimate) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  std::vector<Entry> entries;
  const Layout layout = design.ToLayout();
  for (int d = 0; d < layout.total_days(); ++d) {
    const Date day = design.start + std::chrono::days{d};
    // On magnesium pain is 2 or 3; off it is 6 or 7; every magnesium dose is logged.
    entries.push_back(Rating(day, (layout.OnMagnesium(d) ? 2 : 6) + d % 2));
    if (layout.OnMagnesium(d)) entries.push_back(Dose(day));
  }
  Entry side;
  side.date = design.start + std::chrono::days{3};
  side.kind = EntryKind::kSideEffect;
  side.label = "loose stools";
  entries.push_back(side);
  Report r = BuildReport(design, entries, design.end(), std::nullopt);
  ASSERT_TRUE(r.analysis.estimate.has_value());
  EXPECT_EQ(r.analysis.verdict, Verdict::kBenefit);
  EXPECT_EQ(r.side_effects.size(), 1u);
  EXPECT_TRUE(r.side_effects[0].magnesium);
  EXPECT_THAT(RenderReportText(r),
              HasSubstr("Effect (lower better on magnesium; positive = better): +4.00 points"));
  EXPECT_EQ(ReportToJson(r)["verdict"], "benefit");
  EXPECT_THAT(IntakeSvg(r), HasSubstr("<svg"));  // The doses are intake.
  // Issue 11: a side effect logged by an older version with Latin-1 bytes still reports, as
  // U+FFFD, instead of throwing while writing the JSON.
  r.side_effects[0].note = "na\xEFve";
  EXPECT_EQ(ReportToJson(r)["side_effects"][0]["note"], "na\uFFFDve");
}

TEST(ReportTest, PrintsTheHandComputedExampleToTheLastDigit) {
  // The trial of stats_test.cc's SmallTrialByHand: improvements 3, 3 and 3.5 points.
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.dose_mg = 300;
  req.period_days = 3;
  req.washout_days = 1;
  auto design = RandomiseDesign(req, Outcomes());
  ASSERT_TRUE(design.ok()) << design.error().message;
  design->magnesium_first = {true, false, true};
  const std::vector<std::optional<double>> daily = {9, 3, 5, 1, 6, 8, 0, 7, 7, 9, 4, std::nullopt,
                                                    8, 2, 4, 2, 6, 7};
  std::vector<Entry> entries;
  for (size_t d = 0; d < daily.size(); ++d) {
    if (daily[d]) entries.push_back(Rating(design->start + std::chrono::days{d}, *daily[d]));
    if (design->ToLayout().OnMagnesium(static_cast<int>(d))) {
      entries.push_back(Dose(design->start + std::chrono::days{d}));
    }
  }
  Report r = BuildReport(*design, entries, design->end(), std::nullopt);
  const std::string text = RenderReportText(r);
  // Mean 3.1667, se 0.16667, t(0.975, 2) 4.30265: interval 2.4496 to 3.8838.
  // P(>= 2) = F2(7) = 0.990098 -> "99 %"; P(> 0) = F2(19) = 0.998619 -> "> 99 %".
  EXPECT_THAT(text, HasSubstr("Effect (lower better on magnesium; positive = better): +3.17 points "
                              "(95 % interval +2.45 to +3.88), from 3 pairs.\n"));
  EXPECT_THAT(text, HasSubstr("(minimal important difference): 99 %; that it improves it at all: "
                              "> 99 %.\n"));
  EXPECT_THAT(text, HasSubstr("  pair 2  2026-11-11  magnesium     1 ratings  4.00\n"));
  EXPECT_THAT(text, HasSubstr("Conclusion: Your pain (NRS 0-10) was better on magnesium"));
}

TEST(EndTest, AnEndedTrialStopsAndIsAnalysedUpToItsEnd) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  const Date day_20 = design.start + std::chrono::days{20};
  auto ended = EndDesign(design, day_20);
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  EXPECT_EQ(ended->ended, day_20);
  // It survives the journal's JSON, and designs stored without "ended" still read.
  auto back = DesignFromJson(DesignToJson(*ended), Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->ended, day_20);
  EXPECT_FALSE(DesignToJson(design).contains("ended"));
  // Nothing is due after the end, and ending twice is a conflict.
  const TrialStatus later = GetTrialStatus(*ended, {}, day_20 + std::chrono::days{3});
  EXPECT_EQ(later.phase, TrialStatus::Phase::kFinished);
  EXPECT_THAT(later.todo[0].text, HasSubstr("was ended on 2026-11-22"));
  EXPECT_EQ(StatusToJson(later, day_20)["ended"], "2026-11-22");
  EXPECT_EQ(EndDesign(*ended, day_20).error().code, ErrorCode::kConflict);
  EXPECT_EQ(EndDesign(design, design.end() + std::chrono::days{1}).error().code,
            ErrorCode::kConflict);
  // Ratings logged after the end do not count; the report says why there is no verdict.
  std::vector<Entry> entries;
  for (int d = 0; d < 42; ++d) entries.push_back(Rating(design.start + std::chrono::days{d}, 4));
  Report r = BuildReport(*ended, entries, design.start + std::chrono::days{41}, std::nullopt);
  EXPECT_EQ(r.as_of, day_20);
  EXPECT_EQ(static_cast<int>(r.ratings.size()), 21);
  EXPECT_EQ(r.analysis.verdict, Verdict::kNotEnoughData);
  EXPECT_THAT(r.conclusion, HasSubstr("No verdict: the trial was ended on 2026-11-22"));
  EXPECT_EQ(ReportToJson(r)["ended"], "2026-11-22");
}

TEST(EndTest, TheReasonIsKeptAndShownAndChecked) {
  Design design = PainDesign();
  const Date day_20 = design.start + std::chrono::days{20};
  auto ended = EndDesign(design, day_20, "moving house");
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  auto back = DesignFromJson(DesignToJson(*ended), Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->end_reason, "moving house");
  Report r = BuildReport(*back, {}, day_20, std::nullopt);
  EXPECT_THAT(RenderReportText(r), HasSubstr("Ended early on 2026-11-22: moving house.\n"));
  EXPECT_EQ(ReportToJson(r)["end_reason"], "moving house");
  EXPECT_EQ(EndDesign(design, day_20, std::string(kMaxEndReasonBytes + 1, 'x')).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(EndDesign(design, day_20, "bad \xff").error().message, HasSubstr("reason: "));
}

// Issue 16: a finished trial whose journal holds no dose on any magnesium day gave a verdict
// ("benefit"); the journal cannot say magnesium was taken, so there is none, and it says why.
TEST(ReportTest, NoVerdictWithoutAnyDoseLogged) {
  Design design = PainDesign();
  design.magnesium_first = {true, false, true};
  const Layout layout = design.ToLayout();
  std::vector<Entry> entries;
  for (int d = 0; d < layout.total_days(); ++d) {
    entries.push_back(Rating(design.start + std::chrono::days{d}, layout.OnMagnesium(d) ? 2 : 6));
  }
  Report r = BuildReport(design, entries, design.end(), std::nullopt);
  EXPECT_EQ(r.adherence.magnesium_days, 42);
  EXPECT_EQ(r.adherence.magnesium_days_dosed, 0);
  ASSERT_TRUE(r.analysis.estimate.has_value());            // The numbers are still shown...
  EXPECT_EQ(r.analysis.verdict, Verdict::kNotEnoughData);  // ...but no verdict.
  EXPECT_THAT(r.conclusion, HasSubstr("No verdict: no dose was logged on any of the 42 magnesium"));
  EXPECT_EQ(ReportToJson(r)["adherence_known"], false);
  EXPECT_EQ(IntakeSvg(r), "");  // No intake logged: no intake chart.
  // One logged dose is enough to know the person took part; the verdict comes back.
  entries.push_back(Dose(design.start));
  EXPECT_EQ(BuildReport(design, entries, design.end(), std::nullopt).analysis.verdict,
            Verdict::kBenefit);
}

// Issue 16: "[R89]" (a fact-sheet number) showed in reports. Texts people read carry none, and
// the loader refuses one.
TEST(OutcomesTest, NoInternalReferenceTagsInTextsPeopleRead) {
  for (const OutcomeSpec& o : Outcomes()) {
    for (const std::string& text : {o.name, o.unit, o.mid_source}) {
      EXPECT_THAT(text, Not(HasSubstr("[R"))) << o.id;
    }
  }
  auto tagged = ParseOutcomes(
      "[[outcome]]\nid = \"x\"\njournal_kind = \"pain\"\nname = \"n\"\nunit = \"u\"\n"
      "better = \"lower\"\nmid = 1\nmid_source = \"Farrar 2001 [R89]\"\nperiod_days = 14\n"
      "washout_days = 4\n",
      "o.toml");
  ASSERT_FALSE(tagged.ok());
  EXPECT_THAT(tagged.error().message,
              HasSubstr("o.toml:8: mid_source: '[R89]' is an internal reference tag"));
}

// The cramp diary's detail as outcomes: which number of a cramps entry each one reads, and a
// night without cramps as 0 (not as a missing rating).
TEST(OutcomesTest, CrampDiaryDetailReadsItsOwnNumber) {
  const auto outcomes = Outcomes();
  auto severity = FindOutcome(outcomes, "cramp_severity");
  auto minutes = FindOutcome(outcomes, "cramp_minutes");
  auto disturbance = FindOutcome(outcomes, "cramp_sleep_disturbance");
  ASSERT_TRUE(severity.ok() && minutes.ok() && disturbance.ok());
  Entry night;
  night.kind = EntryKind::kCramps;
  night.value = 2;
  night.intensity = 6;
  night.measures = {{"minutes", 5}, {"sleep_disturbance", 4}};
  EXPECT_EQ(OutcomeValue(*severity, night), 6);
  EXPECT_EQ(OutcomeValue(*minutes, night), 5);
  EXPECT_EQ(OutcomeValue(*disturbance, night), 4);
  EXPECT_EQ(OutcomeValue(*FindOutcome(outcomes, "cramps"), night), 2);
  Entry quiet;  // No cramps: nothing else to say, and 0 is the truth for each.
  quiet.kind = EntryKind::kCramps;
  quiet.value = 0;
  EXPECT_EQ(OutcomeValue(*minutes, quiet), 0);
  EXPECT_EQ(OutcomeValue(*severity, quiet), 0);
  Entry untold;  // Cramps, but their minutes not given: missing, not 0.
  untold.kind = EntryKind::kCramps;
  untold.value = 3;
  EXPECT_EQ(OutcomeValue(*minutes, untold), std::nullopt);
  Entry pain;
  pain.kind = EntryKind::kPain;
  pain.value = 5;
  EXPECT_EQ(OutcomeValue(*severity, pain), std::nullopt);

  auto unknown = ParseOutcomes(
      "[[outcome]]\nid = \"x\"\njournal_kind = \"pain\"\nmeasure = \"minutes\"\nname = \"n\"\n"
      "unit = \"u\"\nbetter = \"lower\"\nmid = 1\nmid_source = \"s\"\nperiod_days = 14\n"
      "washout_days = 4\nzero_without_events = true\n",
      "o.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message,
              HasSubstr("o.toml:4: measure 'minutes' is not a number a pain entry carries"));
  EXPECT_THAT(unknown.error().message,
              HasSubstr("o.toml:12: zero_without_events needs a measure of a cramps entry"));
}

TEST(ReportTest, CrampMinutesTrialAnalysesTheMinutes) {
  DesignRequest req;
  req.outcome = "cramp_minutes";
  req.start = Day(2026, 11, 2);
  req.seed = 7;
  req.dose_mg = 300;
  auto design = RandomiseDesign(req, Outcomes());
  ASSERT_TRUE(design.ok()) << design.error().message;
  const Layout layout = design->ToLayout();
  std::vector<Entry> entries;
  for (int d = 0; d < layout.total_days(); ++d) {
    const Date day = design->start + std::chrono::days{d};
    Entry night;
    night.date = day;
    night.kind = EntryKind::kCramps;
    // Off magnesium: 1 cramp of 6 minutes every night; on it, every other night is quiet and
    // the others have 1 cramp of 2 minutes. The count alone would say 50 % fewer.
    const bool quiet = layout.OnMagnesium(d) && d % 2 == 0;
    night.value = quiet ? 0 : 1;
    if (!quiet) night.measures["minutes"] = layout.OnMagnesium(d) ? 2 : 6;
    entries.push_back(night);
    if (layout.OnMagnesium(d)) entries.push_back(Dose(day));
  }
  const Report r = BuildReport(*design, entries, design->end(), std::nullopt);
  ASSERT_TRUE(r.analysis.estimate.has_value());
  // Off: 6 minutes a night; on: about 1 (2 on half the nights, 0 on the other half).
  EXPECT_NEAR(r.analysis.estimate->mean, 5, 0.1);
  EXPECT_EQ(r.analysis.verdict, Verdict::kBenefit);
  EXPECT_THAT(RenderReportText(r), HasSubstr("magnesium for minutes of cramps per night"));
  EXPECT_EQ(ReportToJson(r)["outcome"], "cramp_minutes");
  // What is due says which flag records the outcome.
  const TrialStatus status = GetTrialStatus(*design, {}, design->start);
  EXPECT_THAT(status.todo, ::testing::Contains(::testing::Field(
                               &Todo::command, HasSubstr("log symptom cramps ... --minutes N"))));
  const nlohmann::json stored = DesignToJson(*design);
  EXPECT_EQ(stored["journal_kind"], "cramps");
  EXPECT_EQ(stored["measure"], "minutes");
  EXPECT_FALSE(DesignToJson(PainDesign()).contains("measure"));
}

// Migraine days: a day is 1 when an attack started on it, 0 when it was logged as "none",
// missing when nothing was logged; several entries of one day make one migraine day. The report
// gives period means per 28 days and the count model of migraine days.
TEST(OutcomesTest, MigraineDaysCountDaysWithAnAttackAndTellNoneFromNotLogged) {
  const auto outcomes = Outcomes();
  auto migraine = FindOutcome(outcomes, "migraine_days");
  ASSERT_TRUE(migraine.ok()) << migraine.error().message;
  EXPECT_EQ(migraine->journal_kind, EntryKind::kMigraine);
  EXPECT_TRUE(migraine->event_days);
  EXPECT_TRUE(migraine->counts);
  EXPECT_EQ(migraine->per_days, 28);
  EXPECT_EQ(migraine->period_days, 56);
  EXPECT_EQ(migraine->washout_days, 28);
  EXPECT_TRUE(migraine->mid_relative);
  Entry attack;
  attack.date = Day(2026, 11, 2);
  attack.kind = EntryKind::kMigraine;
  attack.value = 7;
  attack.measures = {{"start_minute", 390}, {"duration_minutes", 1190}};
  Entry none = attack;
  none.value = 0;
  none.measures.clear();
  EXPECT_EQ(OutcomeValue(*migraine, attack), 1);
  EXPECT_EQ(OutcomeValue(*migraine, none), 0);
  EXPECT_FALSE(OutcomeValue(*migraine, Rating(Day(2026, 11, 2), 7)).has_value());
  auto stress = FindOutcome(outcomes, "stress");
  ASSERT_TRUE(stress.ok());
  EXPECT_EQ(stress->journal_kind, EntryKind::kStress);
  EXPECT_FALSE(stress->higher_is_better);
}

TEST(ReportTest, MigraineDaysTrialReportsDaysPer28AndTheRateRatio) {
  DesignRequest req;
  req.outcome = "migraine_days";
  req.start = Day(2026, 11, 2);
  req.seed = 11;
  req.dose_mg = 600;
  auto design = RandomiseDesign(req, Outcomes());
  ASSERT_TRUE(design.ok()) << design.error().message;
  const Layout layout = design->ToLayout();
  ASSERT_EQ(layout.total_days(), 336);
  std::vector<Entry> entries;
  for (int d = 0; d < layout.total_days(); ++d) {
    const Date day = design->start + std::chrono::days{d};
    Entry e;
    e.date = day;
    e.kind = EntryKind::kMigraine;
    // Off magnesium an attack starts every 4th day (7 a 28-day window); on it every 7th (4).
    const bool attack = d % (layout.OnMagnesium(d) ? 7 : 4) == 0;
    e.value = attack ? 6 : 0;
    entries.push_back(e);
    if (attack) {
      // A second attack the same day, and a "none" logged by mistake: still one migraine day.
      Entry again = e;
      again.value = 3;
      entries.push_back(again);
    }
    if (layout.OnMagnesium(d)) entries.push_back(Dose(day));
  }
  const Report r = BuildReport(*design, entries, design->end(), std::nullopt);
  for (const PeriodSummary& p : r.analysis.periods) {
    ASSERT_TRUE(p.mean.has_value());
    EXPECT_EQ(p.ratings, 28);
    // The analysed 28 days of a period hold 7 (every 4th day) or 4 (every 7th) attack days.
    EXPECT_NEAR(*p.mean, p.magnesium ? 4 : 7, 1.0) << p.pair;
  }
  ASSERT_TRUE(r.analysis.estimate.has_value());
  EXPECT_NEAR(r.analysis.estimate->mean, 3, 0.5);
  ASSERT_TRUE(r.analysis.rates.has_value());
  EXPECT_NEAR(r.analysis.rates->ratio, 4.0 / 7, 0.1);
  for (const DayPoint& p : r.ratings) EXPECT_TRUE(p.value == 0 || p.value == 1) << p.day;
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("migraine days per 28 days"));
  EXPECT_THAT(TimelineSvg(r), HasSubstr("1: a day with an attack, 0: a day logged without"));
  EXPECT_THAT(RenderCalendar(*design),
              HasSubstr("Log each day's migraine: an attack that started that day, or none.\n"));
  EXPECT_THAT(RenderCalendar(PainDesign()), HasSubstr("Rate your pain (NRS 0-10) every day.\n"));
  EXPECT_EQ(DesignToJson(*design)["journal_kind"], "migraine");
  EXPECT_FALSE(DesignToJson(*design).contains("measure"));
  // What is due names the migraine command and counts a "none" as logged.
  const TrialStatus due = GetTrialStatus(*design, {}, design->start);
  EXPECT_THAT(due.todo, ::testing::Contains(::testing::Field(
                            &Todo::command, HasSubstr("mgadvisor log migraine --severity"))));
  Entry none;
  none.date = design->start;
  none.kind = EntryKind::kMigraine;
  none.value = 0;
  EXPECT_TRUE(GetTrialStatus(*design, {none}, design->start).rating_logged);
}

TEST(OutcomesTest, SleepDiaryDetailReadsItsOwnNumberAndNothingElse) {
  const auto outcomes = Outcomes();
  auto latency = FindOutcome(outcomes, "sleep_latency");
  auto awakenings = FindOutcome(outcomes, "sleep_awakenings");
  ASSERT_TRUE(latency.ok() && awakenings.ok());
  Entry night;
  night.kind = EntryKind::kSleep;
  night.value = 4;
  night.measures = {{"minutes_to_sleep", 45}};
  EXPECT_EQ(OutcomeValue(*latency, night), 45);
  // Not given is missing: a sleep night has no "no events" that would make it 0.
  EXPECT_EQ(OutcomeValue(*awakenings, night), std::nullopt);
  EXPECT_EQ(OutcomeValue(*FindOutcome(outcomes, "sleep"), night), 4);
}

// Issue 16: several outcomes per trial. Secondaries registered at the start are in the protocol
// (version 2) and reported with Holm-adjusted p-values; one added later is a change to the
// protocol and exploratory.
Design PainWithSecondaries(std::vector<std::string> secondaries) {
  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.seed = 42;
  req.dose_mg = 300;
  req.form = "citrate";
  req.secondaries = std::move(secondaries);
  auto design = RandomiseDesign(req, Outcomes());
  EXPECT_TRUE(design.ok()) << design.error().message;
  return design.ok() ? *design : Design{};
}

TEST(SecondaryTest, RegisteredInProtocolVersionTwoAndCheckedOnTheWayIn) {
  Design design = PainWithSecondaries({"sleep", "irls"});
  ASSERT_EQ(design.secondaries.size(), 2u);
  EXPECT_EQ(design.secondaries[1].outcome.period_days, 14);  // The primary's periods.
  EXPECT_EQ(design.secondaries[1].outcome.rating_every, 7);  // Its own schedule.
  const std::string text = ProtocolText(design);
  EXPECT_THAT(text, HasSubstr("Protocol version 2 (mgadvisor)."));
  EXPECT_THAT(text, HasSubstr("- Secondary: sleep quality (0 terrible - 10 excellent) (points; "
                              "higher is better), rated every day.\n"));
  EXPECT_THAT(text, HasSubstr("Holm-adjusted over the secondaries registered here"));
  EXPECT_THAT(ProtocolText(PainDesign()), HasSubstr("Protocol version 1 (mgadvisor)."));
  // The stored design reads back to the same protocol, byte for byte (so its hash holds).
  auto back = DesignFromJson(DesignToJson(design), Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(ProtocolText(*back), text);

  DesignRequest req;
  req.outcome = "pain";
  req.start = Day(2026, 11, 2);
  req.dose_mg = 300;
  for (const auto& [ids, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"pain"}, "secondary: 'pain' is already the primary outcome"},
           {{"sleep", "sleep"}, "secondary: 'sleep' is given twice"},
           {{"mood"}, "secondary: 'mood' is not an outcome"},
           {{"sleep", "irls", "cramps", "cramp_severity", "cramp_minutes"},
            "secondary: at most 4 secondary outcomes"}}) {
    req.secondaries = ids;
    auto refused = RandomiseDesign(req, Outcomes());
    ASSERT_FALSE(refused.ok()) << message;
    EXPECT_THAT(refused.error().message, HasSubstr(message));
  }
}

TEST(SecondaryTest, ReportAdjustsRegisteredSecondariesAndLabelsALateOneExploratory) {
  Design design = PainWithSecondaries({"sleep", "irls"});
  design.protocol = RegisterProtocol(design);
  const Layout layout = design.ToLayout();
  std::vector<Entry> entries;
  for (int d = 0; d < layout.total_days(); ++d) {
    const Date day = design.start + std::chrono::days{d};
    const bool on = layout.OnMagnesium(d);
    entries.push_back(Rating(day, (on ? 2 : 6) + d % 2));
    Entry sleep;  // About 3 points better on magnesium.
    sleep.date = day;
    sleep.kind = EntryKind::kSleep;
    sleep.value = on ? 8 + d % 2 : 5 + (d % 3 == 0 ? 1 : 0);
    entries.push_back(sleep);
    Entry irls;  // No difference at all.
    irls.date = day;
    irls.kind = EntryKind::kIrls;
    irls.value = 20;
    entries.push_back(irls);
    if (on) entries.push_back(Dose(day));
  }
  Report r = BuildReport(design, entries, design.end(), std::nullopt);
  EXPECT_EQ(r.analysis.verdict, Verdict::kBenefit);  // The primary, as before.
  ASSERT_EQ(r.secondaries.size(), 2u);
  ASSERT_TRUE(r.secondaries[0].p && r.secondaries[0].p_holm);
  EXPECT_LT(*r.secondaries[0].p, 0.025);
  // Holm over two: the smaller p is doubled, the larger (1 here) stays.
  EXPECT_DOUBLE_EQ(*r.secondaries[0].p_holm, 2 * *r.secondaries[0].p);
  EXPECT_DOUBLE_EQ(*r.secondaries[1].p_holm, 1);
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Secondary outcomes (2 registered at the start; the verdict does "
                              "not rest on them)."));
  EXPECT_THAT(text, HasSubstr("Holm-adjusted over the 2"));
  EXPECT_THAT(text, HasSubstr(": better on magnesium.\n"));
  EXPECT_THAT(text, HasSubstr("IRLS total (restless legs severity): +0.00 points"));
  EXPECT_THAT(text, HasSubstr("no clear difference.\n"));
  const nlohmann::json j = ReportToJson(r);
  EXPECT_EQ(j["secondaries"][0]["finding"], "better");
  EXPECT_EQ(j["secondaries"][1]["finding"], "no_clear_difference");
  EXPECT_EQ(j["secondaries"][0]["registered"], true);
  EXPECT_EQ(r.protocol.added.size(), 0u);  // Registered with them: no change.
  EXPECT_FALSE(ReportToJson(BuildReport(PainDesign(), entries, design.end(), std::nullopt))
                   .contains("secondaries"));

  // Added after the start: a change to the protocol, and exploratory in the report.
  auto late =
      AddSecondary(design, "cramp_severity", Outcomes(), design.start + std::chrono::days{20});
  ASSERT_TRUE(late.ok()) << late.error().message;
  const Report later = BuildReport(*late, entries, late->end(), std::nullopt);
  EXPECT_THAT(later.protocol.added,
              ::testing::Contains(HasSubstr("- Exploratory, added on 2026-11-22 after the start: "
                                            "worst cramp severity")));
  EXPECT_THAT(RenderReportText(later),
              HasSubstr("worst cramp severity in the night (0-10) (exploratory, added on "
                        "2026-11-22): needs at least two complete pairs."));
  // The registered family is unchanged by the late one.
  EXPECT_DOUBLE_EQ(*later.secondaries[0].p_holm, *r.secondaries[0].p_holm);
  EXPECT_EQ(ReportToJson(later)["secondaries"][2]["registered"], false);
  auto over = AddSecondary(design, "cramps", Outcomes(), design.end() + std::chrono::days{1});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
}

TEST(StatsTest, HolmAdjustsStepDownAndTwoSidedPMatchesTheInterval) {
  const std::vector<double> adjusted = HolmAdjust({0.04, 0.01, 0.03, 0.5});
  // Sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.09, 0.09 (kept non-decreasing: max(0.08, 0.09)), 0.5.
  EXPECT_DOUBLE_EQ(adjusted[1], 0.04);
  EXPECT_NEAR(adjusted[2], 0.09, 1e-15);
  EXPECT_NEAR(adjusted[0], 0.09, 1e-15);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.5);
  EXPECT_TRUE(HolmAdjust({}).empty());
  EXPECT_DOUBLE_EQ(HolmAdjust({0.6, 0.7})[1], 1);  // Capped at 1.
  // Pairs 1, 2, 3: mean 2, se 1/sqrt(3), t = 3.464 on 2 df: p = 0.0742, and the 95 % interval
  // (-0.48 to 4.48) includes 0, as p > 0.05 says.
  const PairedAnalysis a = AnalysePairs({1, 2, 3}, 1);
  EXPECT_NEAR(TwoSidedP(a), 0.0742, 5e-4);
  EXPECT_LT(a.ci_low, 0);
}

}  // namespace
}  // namespace mg::trial
