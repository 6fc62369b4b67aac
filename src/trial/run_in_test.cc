// The run-in (issue 16): a baseline before the pairs that must hold enough ratings, and something
// to improve, for the trial to go on; protocol version 3; designs saved before run-ins unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "trial/blinding.h"
#include "trial/protocol.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::Entry;
using journal::EntryKind;
using ::testing::HasSubstr;
using ::testing::Not;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }
Date Plus(Date d, int days) { return d + std::chrono::days{days}; }

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

// A cramp trial that starts on Monday 2026-11-02 with the outcome's 14-day run-in: the pairs
// begin on 2026-11-16.
Design CrampDesign(uint64_t seed = 7) {
  const std::vector<OutcomeSpec> outcomes = Outcomes();
  DesignRequest req;
  req.outcome = "cramps";
  req.start = Day(2026, 11, 2);
  req.seed = seed;
  req.dose_mg = 300;
  req.form = "citrate";
  req.run_in_days = FindOutcome(outcomes, "cramps")->run_in_days;
  auto design = RandomiseDesign(req, outcomes);
  EXPECT_TRUE(design.ok()) << design.error().message;
  return *design;
}

Entry Cramps(Date d, double count) {
  Entry e;
  e.date = d;
  e.kind = EntryKind::kCramps;
  e.value = count;
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

// Nights of the run-in from `first` for `nights` nights, `count` cramps each.
std::vector<Entry> RunInNights(const Design& d, int nights, double count) {
  std::vector<Entry> out;
  for (int i = 0; i < nights; ++i) out.push_back(Cramps(Plus(d.first_day(), i), count));
  return out;
}

TEST(RunInTest, EveryOutcomeHasARunInAndCrampsTwoWeeks) {
  for (const OutcomeSpec& o : Outcomes()) {
    EXPECT_GE(o.run_in_days, 7) << o.id;
    EXPECT_GE(o.run_in_days, o.rating_every) << o.id;
  }
  EXPECT_EQ(FindOutcome(Outcomes(), "cramps")->run_in_days, 14);
  EXPECT_EQ(FindOutcome(Outcomes(), "irls")->run_in_days, 14);  // Two weekly ratings.
  // A run-in shorter than the rating interval is refused with the file and line.
  auto bad = ParseOutcomes(R"([[outcome]]
id = "x"
journal_kind = "irls"
name = "x"
unit = "x"
better = "lower"
scale_min = 0
scale_max = 40
mid = 3
mid_kind = "absolute"
mid_source = "x"
period_days = 28
washout_days = 7
rating_every = 7
min_ratings = 0.5
run_in_days = 3
)",
                           "outcomes.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("outcomes.toml:16"));
  EXPECT_THAT(bad.error().message, HasSubstr("run_in_days"));
}

TEST(RunInTest, TheRunInComesBeforeThePairsWhoseDaysAreUnchanged) {
  const Design d = CrampDesign();
  EXPECT_EQ(d.run_in_days, 14);
  EXPECT_EQ(d.first_day(), Day(2026, 11, 2));
  EXPECT_EQ(d.start, Day(2026, 11, 16));  // Day 0 of the pairs' layout.
  EXPECT_EQ(d.end(), Plus(d.start, 3 * 2 * 21 - 1));
  // The same seed without a run-in randomises the same order (the run-in takes no draw).
  DesignRequest plain;
  plain.outcome = "cramps";
  plain.start = Day(2026, 11, 16);
  plain.seed = 7;
  plain.dose_mg = 300;
  EXPECT_EQ(RandomiseDesign(plain, Outcomes())->magnesium_first, d.magnesium_first);

  DesignRequest bad = plain;
  bad.run_in_days = 57;
  EXPECT_EQ(RandomiseDesign(bad, Outcomes()).error().message, "run_in_days: 57 is outside 0-56");

  const nlohmann::json j = DesignToJson(d);
  EXPECT_EQ(j["run_in_days"], 14);
  EXPECT_EQ(j["run_in_start"], "2026-11-02");
  EXPECT_EQ(j["start"], "2026-11-16");
  auto back = DesignFromJson(j, Outcomes());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->run_in_days, 14);
  EXPECT_EQ(back->first_day(), d.first_day());
  nlohmann::json wrong = j;
  wrong["run_in_days"] = -1;
  EXPECT_FALSE(DesignFromJson(wrong, Outcomes()).ok());
}

TEST(RunInTest, TheCalendarsShowTheRunInAndTheWholeLength) {
  const Design d = CrampDesign();
  const std::string text = RenderCalendar(d);
  EXPECT_THAT(text, HasSubstr("140 days in all, 2026-11-02 to 2027-03-21: a 14-day run-in, then "
                              "the pairs."));
  EXPECT_THAT(text, HasSubstr("Run-in: 2026-11-02 to 2026-11-15: no magnesium. Rate your leg "
                              "cramps per night every day."));
  EXPECT_THAT(text, HasSubstr("at least 7 of the 14 expected ratings are logged and they count "
                              "at least one"));
  EXPECT_THAT(text, HasSubstr("2026-11-02    R   R   R   R   R   R   R\n"));
  EXPECT_THAT(text, HasSubstr("R run-in day"));
  const std::vector<Period> periods = CalendarPeriods(d);
  ASSERT_EQ(periods.size(), 7u);
  EXPECT_TRUE(periods[0].run_in);
  EXPECT_EQ(periods[0].start, Day(2026, 11, 2));
  EXPECT_EQ(periods[0].end, Day(2026, 11, 15));
  EXPECT_EQ(periods[1].start, d.start);
  EXPECT_EQ(Periods(d).size(), 6u);  // The pairs alone, as before.
  EXPECT_EQ(PeriodsToJson(periods)[0].dump(),
            R"({"container":null,"end":"2026-11-15","magnesium":false,"pair":0,"run_in":true,)"
            R"("start":"2026-11-02","washout_end":null})");
}

TEST(RunInTest, CheckSaysPendingPassedTooFewOrNothingToImprove) {
  const Design d = CrampDesign();
  const Date after = d.start;  // The run-in is over.
  auto pending = CheckRunIn(d, RunInNights(d, 3, 2), Plus(d.first_day(), 2));
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->state, RunIn::State::kPending);
  EXPECT_EQ(pending->rated, 3);
  EXPECT_EQ(pending->expected, 14);
  EXPECT_EQ(pending->needed, 7);

  auto passed = CheckRunIn(d, RunInNights(d, 7, 2), after);
  EXPECT_EQ(passed->state, RunIn::State::kPassed);
  EXPECT_EQ(passed->mean, 2.0);
  EXPECT_EQ(passed->reason, "");

  auto few = CheckRunIn(d, RunInNights(d, 6, 2), after);
  EXPECT_EQ(few->state, RunIn::State::kTooFewRatings);
  EXPECT_THAT(few->reason, HasSubstr("The trial stopped after its run-in (2026-11-02 to "
                                     "2026-11-15): 6 of its 14 expected ratings"));
  EXPECT_THAT(few->reason, HasSubstr("at least 7 are needed"));
  EXPECT_THAT(few->reason, HasSubstr("plan a new trial"));
  EXPECT_THAT(few->reason, HasSubstr("clinician"));

  // Fourteen nights without a cramp: nothing for a trial to reduce.
  auto none = CheckRunIn(d, RunInNights(d, 14, 0), after);
  EXPECT_EQ(none->state, RunIn::State::kNothingToImprove);
  EXPECT_THAT(none->reason, HasSubstr("every one of the 14 ratings of leg cramps per night was 0"));
  // One night with a cramp is enough.
  std::vector<Entry> one = RunInNights(d, 14, 0);
  one.push_back(Cramps(Plus(d.first_day(), 5), 1));
  EXPECT_EQ(CheckRunIn(d, one, after)->state, RunIn::State::kPassed);

  // Entries after the run-in do not count towards it; doses in it are counted (deviations).
  std::vector<Entry> late = RunInNights(d, 6, 2);
  late.push_back(Cramps(d.start, 3));
  late.push_back(Dose(Plus(d.first_day(), 1)));
  auto counted = CheckRunIn(d, late, Plus(d.start, 1));
  EXPECT_EQ(counted->rated, 6);
  EXPECT_EQ(counted->dosed, 1);
  EXPECT_EQ(RunInToJson(*counted)["result"], "too_few_ratings");

  Design none_design = d;
  none_design.run_in_days = 0;
  EXPECT_FALSE(CheckRunIn(none_design, late, after));
}

TEST(RunInTest, StatusWalksTheRunInThenThePairs) {
  const Design d = CrampDesign();
  auto before = GetTrialStatus(d, {}, Day(2026, 11, 1));
  EXPECT_EQ(before.phase, TrialStatus::Phase::kNotStarted);
  EXPECT_EQ(before.todo[0].text,
            "The trial starts on 2026-11-02 (1 days from now) with a 14-day "
            "run-in.");

  const Date day3 = Plus(d.first_day(), 2);
  auto run_in = GetTrialStatus(d, RunInNights(d, 2, 1), day3);
  EXPECT_EQ(run_in.phase, TrialStatus::Phase::kRunIn);
  EXPECT_THAT(run_in.todo[0].text,
              HasSubstr("Run-in day 3 of 14 (until 2026-11-15): take no magnesium yet."));
  EXPECT_EQ(run_in.todo[1].text, "Rate your leg cramps per night today.");
  EXPECT_EQ(run_in.todo[1].command, "mgadvisor log symptom cramps ...");
  EXPECT_THAT(run_in.todo[2].text, HasSubstr("2 of the run-in's 14 ratings are logged"));
  const nlohmann::json j = StatusToJson(run_in, day3);
  EXPECT_EQ(j["phase"], "run_in");
  EXPECT_EQ(j["run_in_day"], 3);
  EXPECT_EQ(j["run_in"]["result"], "pending");
  EXPECT_FALSE(j.contains("pair"));

  // A dose in the run-in is a deviation, said on the day.
  std::vector<Entry> dosed = RunInNights(d, 3, 1);
  dosed.push_back(Dose(day3));
  auto deviation = GetTrialStatus(d, dosed, day3);
  EXPECT_TRUE(deviation.dose_logged);
  EXPECT_TRUE(deviation.rating_logged);
  EXPECT_THAT(deviation.todo[1].text, HasSubstr("protocol deviation"));

  // Enough ratings: the pairs begin the day after the run-in.
  auto pairs = GetTrialStatus(d, RunInNights(d, 10, 1), d.start);
  EXPECT_EQ(pairs.phase, TrialStatus::Phase::kRunning);
  EXPECT_EQ(pairs.day, 0);
  EXPECT_EQ(pairs.pair, 0);
  EXPECT_EQ(StatusToJson(pairs, d.start)["run_in"]["result"], "passed");

  // Too few: stopped, with the reason and the command to start again, for good.
  for (const Date when : {d.start, Plus(d.start, 30), Plus(d.end(), 5)}) {
    auto stopped = GetTrialStatus(d, RunInNights(d, 4, 1), when);
    EXPECT_EQ(stopped.phase, TrialStatus::Phase::kStopped);
    ASSERT_EQ(stopped.todo.size(), 1u);
    EXPECT_THAT(stopped.todo[0].text, HasSubstr("4 of its 14 expected ratings"));
    EXPECT_EQ(stopped.todo[0].command, "mgadvisor trial plan --outcome cramps --replace");
    EXPECT_EQ(StatusToJson(stopped, when)["phase"], "stopped");
  }
  // Ended early in the run-in: finished, as any ended trial.
  auto ended = EndDesign(d, day3, "moving house");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(GetTrialStatus(*ended, {}, day3).phase, TrialStatus::Phase::kFinished);
}

// The pairs' analysis is the same with a run-in: its ratings are the baseline beside the periods.
TEST(RunInTest, TheReportShowsTheBaselineBesideThePeriodsAndNotInTheEstimate) {
  const Design d = CrampDesign();
  const Layout layout = d.ToLayout();
  std::vector<Entry> pairs;
  for (int day = 0; day < layout.total_days(); ++day) {
    const bool on = layout.OnMagnesium(day);
    pairs.push_back(Cramps(Plus(d.start, day), on ? 1 : 3 + day % 2));
    if (on) pairs.push_back(Dose(Plus(d.start, day)));
  }
  std::vector<Entry> with_run_in = RunInNights(d, 14, 9);  // A baseline far from the periods.
  with_run_in.insert(with_run_in.end(), pairs.begin(), pairs.end());
  const Date after = Plus(d.end(), 1);
  const Report r = BuildReport(d, with_run_in, after, std::nullopt);
  Design no_run_in = d;
  no_run_in.run_in_days = 0;
  const Report plain = BuildReport(no_run_in, pairs, after, std::nullopt);
  ASSERT_TRUE(r.analysis.estimate);
  EXPECT_EQ(r.analysis.estimate->mean, plain.analysis.estimate->mean);
  EXPECT_EQ(r.analysis.estimate->ci_low, plain.analysis.estimate->ci_low);
  EXPECT_EQ(r.analysis.verdict, plain.analysis.verdict);
  EXPECT_EQ(r.analysis.verdict, Verdict::kBenefit);
  ASSERT_TRUE(r.run_in);
  EXPECT_EQ(r.run_in->mean, 9.0);
  const std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Run-in 2026-11-02 to 2026-11-15 (14 days, no magnesium): 14 of 14 "
                              "ratings logged.\n"));
  EXPECT_THAT(text, HasSubstr("  run-in  2026-11-02  no magnesium  14 ratings  9.00  (baseline, "
                              "not in the estimate)\n  pair 1"));
  const nlohmann::json j = ReportToJson(r);
  EXPECT_EQ(j["run_in"]["mean"], 9.0);
  EXPECT_EQ(j["run_in"]["result"], "passed");
  EXPECT_EQ(j["verdict"], "benefit");
  EXPECT_TRUE(j["protocol"]["deviations"].empty());

  // A failed run-in: no verdict, whatever was logged later, and the way to start again.
  std::vector<Entry> failed = RunInNights(d, 14, 0);
  failed.insert(failed.end(), pairs.begin(), pairs.end());
  failed.push_back(Dose(d.first_day()));
  const Report stopped = BuildReport(d, failed, after, std::nullopt);
  EXPECT_EQ(stopped.analysis.verdict, Verdict::kNotEnoughData);
  EXPECT_THAT(stopped.conclusion, HasSubstr("No verdict. The trial stopped after its run-in"));
  EXPECT_EQ(stopped.conclusion_command, "mgadvisor trial plan --outcome cramps --replace");
  EXPECT_EQ(ReportToJson(stopped)["verdict"], "not_enough_data");
  EXPECT_THAT(stopped.protocol.deviations,
              ::testing::Contains("A dose was logged on 1 of the 14 run-in days (the run-in is "
                                  "without magnesium)."));
  EXPECT_THAT(RenderReportText(stopped), HasSubstr("; the trial stopped there.\n"));

  // During the run-in the conclusion says how it stands.
  const Report early = BuildReport(d, RunInNights(d, 3, 2), Plus(d.first_day(), 2), std::nullopt);
  EXPECT_THAT(early.conclusion, HasSubstr("The run-in lasts until 2026-11-15: 3 of its 14 "
                                          "ratings are logged so far (at least 7 are needed)."));
}

// Version 3 (a run-in), pinned like versions 1 and 2. MG_UPDATE_GOLDEN=1 rewrites the file.
TEST(RunInTest, ProtocolVersionThreeTextIsUnchanged) {
  const Design d = CrampDesign();
  const std::string text = ProtocolText(d);
  EXPECT_THAT(text, HasSubstr("Protocol version 3 (mgadvisor)"));
  EXPECT_THAT(text, Not(HasSubstr("No run-in period")));
  const std::string path = std::string(MG_SOURCE_DIR) + "/src/trial/testdata/protocol-v3.md";
  if (std::getenv("MG_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << text;
  EXPECT_EQ(text, Slurp(path));
  // A registered v3 protocol reads back intact, with no changes.
  Design registered = d;
  registered.protocol = RegisterProtocol(d);
  const ProtocolCheck check = CheckProtocol(registered);
  EXPECT_TRUE(check.intact);
  EXPECT_TRUE(check.removed.empty());
  EXPECT_TRUE(check.added.empty());
  // Blinded: nothing from the containers in the run-in, whose days come before container days.
  Design blind = d;
  blind.blinding = Blinding{CommitmentTo('A', "K7QX-M2TF-9RWC-H3PD"), 0, std::nullopt};
  EXPECT_THAT(ProtocolText(blind), HasSubstr("no magnesium and nothing from the containers"));
  auto status = GetTrialStatus(blind, {}, d.first_day());
  EXPECT_THAT(status.todo[0].text, HasSubstr("nothing from containers A and B"));
  EXPECT_EQ(status.container, 0);
  EXPECT_NE(GetTrialStatus(blind, RunInNights(d, 14, 1), d.start).container, 0);
}

// A design saved before run-ins (the JSON the code wrote until now, with its registered version-1
// protocol) loads, serialises, checks its protocol and reports as it did.
TEST(RunInTest, ADesignSavedBeforeRunInsIsUnchanged) {
  const nlohmann::json stored = nlohmann::json::parse(
      Slurp(std::string(MG_SOURCE_DIR) + "/src/trial/testdata/design-before-run-in.json"));
  auto d = DesignFromJson(stored, Outcomes());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->run_in_days, 0);
  EXPECT_EQ(d->first_day(), d->start);
  EXPECT_EQ(DesignToJson(*d), stored);
  const ProtocolCheck check = CheckProtocol(*d);
  EXPECT_TRUE(check.intact);
  EXPECT_TRUE(check.removed.empty()) << check.removed.front();
  EXPECT_TRUE(check.added.empty());
  EXPECT_EQ(CalendarPeriods(*d).size(), Periods(*d).size());
  EXPECT_THAT(RenderCalendar(*d), Not(HasSubstr("run-in")));
  EXPECT_THAT(RenderCalendar(*d), ::testing::StartsWith("n-of-1 trial of magnesium for pain"));

  std::vector<Entry> entries;
  for (int day = -5; day < 20; ++day) {  // Ratings before its start are not a run-in.
    Entry e;
    e.date = Plus(d->start, day);
    e.kind = EntryKind::kPain;
    e.value = 5;
    entries.push_back(e);
  }
  const auto status = GetTrialStatus(*d, entries, d->start);
  EXPECT_EQ(status.phase, TrialStatus::Phase::kRunning);
  EXPECT_FALSE(status.run_in);
  EXPECT_FALSE(StatusToJson(status, d->start).contains("run_in"));
  EXPECT_EQ(GetTrialStatus(*d, {}, Plus(d->start, -1)).todo[0].text,
            "The trial starts on 2026-11-02 (1 days from now).");
  const Report r = BuildReport(*d, entries, Plus(d->start, 19), std::nullopt);
  EXPECT_FALSE(r.run_in);
  EXPECT_FALSE(ReportToJson(r).contains("run_in"));
  EXPECT_THAT(RenderReportText(r), Not(HasSubstr("run-in")));
  EXPECT_THAT(r.conclusion, HasSubstr("No verdict: no dose was logged on any of the 14"));
}

}  // namespace
}  // namespace mg::trial
