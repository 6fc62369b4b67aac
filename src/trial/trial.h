// n-of-1 trials: "does magnesium work for *me*?" answered by a randomised self-experiment.
//
// Start here. A Design is one person's n-of-1 trial: a randomised block design (3-4 pairs of
// magnesium / no-magnesium periods, random order within each pair, reproducible from a seed) for
// one outcome, whose period length, washout and minimal important difference come from
// data/trial/outcomes.toml, with the dose and form the person's plan allows. (It is not the
// plan engine's plan::Plan; its shape in days is the Layout of trial/stats.h.) The journal holds
// the ratings and doses; GetTrialStatus() says what is due on a day and BuildReport() turns the
// journal into an effect estimate with a 95 % interval, the posterior probability of a meaningful
// benefit, adherence, side effects and a plain-words conclusion. The statistics are pure
// functions in trial/stats.h; the report adds no I/O beyond its inputs. JSON forms are
// nlohmann::json values (the journal stores a design as the text of DesignToJson()).
#ifndef MGADVISOR_TRIAL_TRIAL_H_
#define MGADVISOR_TRIAL_TRIAL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"
#include "trial/stats.h"

namespace mg::trial {

using journal::Date;

struct Band {
  double max = 0;
  std::string name;
};

// One measurable outcome and its default trial design.
struct OutcomeSpec {
  std::string id;  // "cramps", "irls", "pain", "sleep", "cramp_severity", "migraine_days"...
  journal::EntryKind journal_kind = journal::EntryKind::kPain;
  // Which number of a `journal_kind` entry is the outcome: "" its value (the count, the
  // rating), "intensity" (a cramp night's worst severity), or one of journal::MeasuresOf.
  std::string measure;
  // A night logged with no events (a cramps entry of 0) counts as 0 for this outcome when the
  // measure itself was not given: no cramps means no cramp minutes and no disturbance from them.
  bool zero_without_events = false;
  // event_days = true: the outcome is whether a day had an event (migraine days): 1 on a day
  // with an entry whose value is at least 1 (an attack), 0 on a day logged with value 0 only
  // ("none"), missing on a day with no entry. Several attacks on one day are one event day.
  bool event_days = false;
  // The period means and the estimate are shown per this many days: 28 turns the share of
  // migraine days into migraine days per 28 days ("monthly migraine days"). 1: as rated.
  int per_days = 1;
  std::string name;
  std::string unit;
  bool higher_is_better = false;
  double scale_min = 0;
  double scale_max = 10;
  double mid = 0;
  bool mid_relative = false;
  std::string mid_source;
  int period_days = 14;
  int washout_days = 4;
  int rating_every = 1;
  double min_ratings = 0.5;
  // Days of run-in (baseline) before the first pair: no magnesium, the outcome rated as in the
  // periods. 0: none. A trial goes on to its pairs only when the run-in has enough ratings
  // (min_ratings of those expected) and, on the way in, something to improve (RunIn below).
  int run_in_days = 0;
  std::vector<Band> bands;  // Severity bands, ascending by max; may be empty.
  // model = "count": the daily values are counts of events (cramps a night), and the report
  // adds the count model of trial/stats.h (AnalyseRates) beside the paired means.
  bool counts = false;
  // What trials in many people found about magnesium for this outcome, as a prior on the log
  // rate ratio (count outcomes only), with the plain-words source people are shown.
  std::optional<RatePrior> prior;
  std::string prior_source;
};

// The outcomes in data/trial/outcomes.toml. Errors: kDataError with file:line.
Result<std::vector<OutcomeSpec>> LoadOutcomes();
Result<std::vector<OutcomeSpec>> ParseOutcomes(const std::string& toml_text,
                                               const std::string& name);
// Errors: kInvalidArgument naming the known outcomes.
Result<OutcomeSpec> FindOutcome(const std::vector<OutcomeSpec>& outcomes, std::string_view id);
// The outcome's number in an entry: nullopt when the entry is of another kind or lacks it.
std::optional<double> OutcomeValue(const OutcomeSpec& outcome, const journal::Entry& entry);
// The band name of a value, or "" when the outcome has no bands.
std::string BandOf(const OutcomeSpec& outcome, double value);

struct DesignRequest {
  std::string outcome;
  Date start{};  // The first day: of the run-in when there is one, else of the first pair.
  int pairs = 3;
  uint64_t seed = 0;
  double dose_mg = 0;               // Elemental magnesium per day in magnesium periods.
  std::string form;                 // e.g. "citrate".
  std::optional<int> period_days;   // Defaults from the outcome.
  std::optional<int> washout_days;  // Defaults from the outcome.
  std::optional<double> mid;        // Defaults from the outcome (same kind: absolute/relative).
  // Run-in days before the first pair (0-kMaxRunInDays). Not defaulted from the outcome here:
  // ops::StartTrial passes the outcome's, and 0 is the shape of designs saved before run-ins.
  int run_in_days = 0;
  // Secondary outcomes, registered in the protocol with the primary (ids; at most
  // kMaxSecondaries, none the primary, no repeats). The verdict rests on the primary alone.
  std::vector<std::string> secondaries;
  // A two-dose design (issue 16): each pair compares this lower dose (elemental mg a day) with
  // `dose_mg` instead of no magnesium with it. nullopt: the usual magnesium / no-magnesium
  // design. CheckLowerDose() is the rule.
  std::optional<double> lower_dose_mg;
};

// The rule for a two-dose design's lower dose, the one place both doors reach (RandomiseDesign
// applies it, and so does DesignFromJson): above 0 and strictly below `dose_mg`, the higher dose,
// which is the plan's (so never above the supplemental upper limit, which the plan engine
// enforces). Errors: kInvalidArgument naming "lower_dose_mg" and the value.
Status CheckLowerDose(double dose_mg, double lower_dose_mg);

// A secondary outcome of a design. It is analysed like the primary, on the primary's periods and
// washout, and reported beside it: those registered at the start with Holm-adjusted
// probabilities (docs/STATISTICS.md, "Several outcomes"), one added later as exploratory.
struct Secondary {
  OutcomeSpec outcome;        // period_days and washout_days are the primary's.
  std::optional<Date> added;  // nullopt: registered at the start; else the day it was added.
};
inline constexpr size_t kMaxSecondaries = 4;

// The protocol written and hashed at the start (trial/protocol.h).
struct RegisteredProtocol {
  std::string text;    // Markdown.
  std::string sha256;  // Of `text`, lower-case hex.
};

// A blinded design (trial/blinding.h): a helper fills two identical containers, A and B, one
// with the magnesium, one with a look-alike placebo; the person knows only the letters. The
// journal keeps a commitment (a SHA-256) to which letter holds magnesium, never the letter, so
// nothing the person can read reveals it; the key on the helper's sheet opens it at the end.
struct Blinding {
  std::string commitment;
  char magnesium_container = 0;   // 'A' or 'B' once unblinded; 0 while sealed.
  std::optional<Date> unblinded;  // The day the person unblinded.
};

struct Design {
  OutcomeSpec outcome;
  Date start{};
  uint64_t seed = 0;
  double dose_mg = 0;
  std::string form;
  // One per pair: is the first period magnesium? In a sealed blinded design: is it container A
  // (unblinding turns it into the former).
  std::vector<bool> magnesium_first;
  std::optional<Date> ended;  // Set when the person ended the trial early.
  std::string end_reason;     // Why they ended it, in their words ("" = not given).
  std::optional<RegisteredProtocol> protocol;  // nullopt: saved before protocols were written.
  std::optional<Blinding> blinding;            // nullopt: open label.
  std::vector<Secondary> secondaries;          // In the order given.
  // The run-in: the `run_in_days` days before `start` (which stays the first day of the first
  // pair, day 0 of the Layout, so the analysis of the pairs is the same with or without one).
  // 0 for designs saved before run-ins (their JSON has no run_in_days).
  int run_in_days = 0;
  // Two-dose designs: the lower dose each pair compares with `dose_mg` (then a "magnesium"
  // period of magnesium_first, the Layout and the statistics is a plan-dose period, and a
  // "no-magnesium" one a lower-dose period). nullopt for the usual design, and for designs saved
  // before two-dose designs (their JSON has no lower_dose_mg).
  std::optional<double> lower_dose_mg;

  bool two_dose() const { return lower_dose_mg.has_value(); }
  // The dose of a period: `plan_dose` (a "magnesium" period) or the other; 0 for no magnesium.
  double DoseOf(bool plan_dose) const { return plan_dose ? dose_mg : lower_dose_mg.value_or(0); }
  int pairs() const { return static_cast<int>(magnesium_first.size()); }
  // Blinded and not yet unblinded: which period holds magnesium is not known here.
  bool sealed() const { return blinding && blinding->magnesium_container == 0; }
  Date end() const;  // Last planned day, inclusive.
  // The first day of the trial: the run-in's first day, or `start` without a run-in.
  Date first_day() const { return start - std::chrono::days{run_in_days}; }
  Layout ToLayout() const;
  // The layout for analysing `outcome` on this design's periods (a secondary's).
  Layout LayoutFor(const OutcomeSpec& outcome) const;
};

inline constexpr int kMinPairs = 3;
inline constexpr int kMaxPairs = 4;
inline constexpr int kMaxRunInDays = 56;

// Randomises the order within each pair from `seed` (std::mt19937_64, whose output the C++
// standard fixes, so a seed gives the same design everywhere). Errors: kInvalidArgument for an
// unknown outcome, pairs outside 3-4, a non-positive dose, washout >= period, period > 56 days.
Result<Design> RandomiseDesign(const DesignRequest& request,
                               const std::vector<OutcomeSpec>& outcomes);

// {"outcome", "start", "end", "seed", "dose_mg", "form", "period_days", "washout_days", "mid",
//  "magnesium_first", "days"[, "run_in_days", "run_in_start"][, "lower_dose_mg"][, "ended"[,
//  "end_reason"]]}: what
// the journal stores and the doors show ("days" is the planned length of the pairs, so a person
// sees it before starting; "start" is the first pair's first day, after any run-in).
nlohmann::json DesignToJson(const Design& design);
// Errors: kDataError when the stored design is malformed or its outcome unknown.
Result<Design> DesignFromJson(const nlohmann::json& json, const std::vector<OutcomeSpec>& outcomes);

// The design with the secondary outcome `id` added on `today`, after its protocol was
// registered: listed as a change to the protocol and reported as exploratory (no adjustment).
// Errors: kInvalidArgument for an unknown outcome, the primary, a repeat, more than
// kMaxSecondaries, or one whose rating does not fit the periods; kConflict after the last day.
Result<Design> AddSecondary(const Design& design, std::string_view id,
                            const std::vector<OutcomeSpec>& outcomes, Date today);

// The design ended early on `today`, for `reason` (the person's words, may be empty): the report
// then analyses the days up to it and no later day is due. Errors: kConflict when it was already
// ended or its last day has passed; kInvalidArgument naming "reason" when it is not UTF-8 or
// longer than kMaxEndReasonBytes.
inline constexpr size_t kMaxEndReasonBytes = 500;
Result<Design> EndDesign(const Design& design, Date today, std::string_view reason = {});

// The design as text: one line per period, then a week-by-week calendar.
std::string RenderCalendar(const Design& design);
// What to log and how often, for the calendar's texts: "Rate your pain (NRS 0-10) every day.";
// for migraine days "Log each day's migraine: an attack that started that day, or none.".
std::string RatingInstruction(const OutcomeSpec& outcome);

// One period of a design on the calendar.
struct Period {
  int pair = 0;            // 0-based; -1 for the run-in.
  bool run_in = false;     // The run-in (no magnesium, baseline ratings), before the pairs.
  bool magnesium = false;  // false throughout while a blinded design is sealed.
  char container = 0;      // Blinded designs: 'A' or 'B'; 0 for open label.
  bool sealed = false;     // Blinded and not yet unblinded.
  Date start{};
  Date end{};                       // Inclusive.
  std::optional<Date> washout_end;  // Last washout day (inclusive); nullopt without washout.
  // Two-dose designs: the period's dose, elemental mg a day (0 in the run-in); `magnesium` is
  // then true for a plan-dose period, false for a lower-dose one. nullopt for other designs.
  std::optional<double> dose_mg;
};
// "plan dose, 300 mg" / "lower dose, 150 mg" (two-dose designs), "MAGNESIUM" / "no magnesium".
std::string PeriodLabel(const Design& design, bool magnesium);
std::vector<Period> Periods(const Design& design);  // The pairs' periods, in calendar order.
// The run-in (when the design has one) and then the pairs' periods: what calendars show.
std::vector<Period> CalendarPeriods(const Design& design);
// [{"pair" (1-based), "magnesium" (null while sealed), "container" ("A"/"B" or null), "start",
//   "end", "washout_end" (date or null)}, ...]; the run-in is {"pair": 0, "run_in": true,
//   "magnesium": false, ...}. Two-dose designs add "arm" ("plan_dose", "lower_dose"; "run_in")
//   and "dose_mg", and "magnesium" is true in both arms (both take magnesium).
nlohmann::json PeriodsToJson(const std::vector<Period>& periods);

// One thing to do, in words that fit any door, and the CLI command that does it ("" for none).
// Only the CLI prints the command: the page has its own buttons for it, and a person reading the
// page must not be told to type into a terminal.
struct Todo {
  std::string text;     // A plain sentence.
  std::string command;  // e.g. "mgadvisor trial took --guess magnesium|placebo|unsure".

  bool operator==(const Todo&) const = default;
};

// The run-in as the journal holds it on `today`. It passes when at least `needed` of its
// `expected` ratings are logged and not every one is at the best end of the scale (for a count,
// no events at all: with no cramps in the run-in, a trial could not show fewer). A run-in that
// fails stops the trial: no pairs are due, the report gives no verdict.
struct RunIn {
  enum class State { kPending, kPassed, kTooFewRatings, kNothingToImprove };
  Date first{};
  Date last{};  // Inclusive; the day before the first pair.
  int days = 0;
  int expected = 0;  // Ratings due in the run-in (days / rating_every).
  int needed = 0;    // ceil(min_ratings * expected), at least 1.
  int rated = 0;     // Days with a rating, up to today.
  int dosed = 0;     // Days with a dose logged (protocol deviations: the run-in is without).
  std::optional<double> mean;  // The baseline: mean of the daily values, when any.
  State state = State::kPending;

  bool failed() const {
    return state == State::kTooFewRatings || state == State::kNothingToImprove;
  }
  // Why the trial stopped, and what to do, in words that fit any door ("" unless failed()).
  std::string reason;
};
// nullopt for a design without a run-in. Entries outside the run-in are ignored.
std::optional<RunIn> CheckRunIn(const Design& design, const std::vector<journal::Entry>& entries,
                                Date today);
// {"first", "last", "days", "expected", "needed", "rated", "dosed", "mean" (or null),
//  "result": "pending|passed|too_few_ratings|nothing_to_improve", "reason" (or null)}
nlohmann::json RunInToJson(const RunIn& run_in);

// What is due on `today`.
struct TrialStatus {
  // kRunIn: in the run-in; kStopped: the run-in failed, so the pairs never began.
  enum class Phase {
    kNotStarted,
    kRunIn,
    kRunning,
    kFinished,
    kStopped
  } phase = Phase::kNotStarted;
  int day = 0;  // 0-based day of the pairs (negative before them, so in the run-in).
  std::optional<RunIn> run_in;  // Designs with a run-in.
  int pair = 0;
  bool magnesium = false;  // false while a blinded design is sealed (see container).
  char container = 0;      // Blinded designs: today's container, 'A' or 'B'.
  bool sealed = false;     // Blinded and not yet unblinded.
  bool washout = false;
  int day_in_period = 0;  // 1-based.
  Date period_end{};
  bool rating_due = false;
  bool rating_logged = false;
  bool dose_logged = false;
  std::optional<Date> ended;  // The day the person ended the trial early, if they did.
  // Two-dose designs while running: today's dose (the plan's or the lower one); `magnesium` is
  // then true on plan-dose days. nullopt otherwise.
  std::optional<double> dose_mg;
  std::vector<Todo> todo;
};
// `entries` must hold the run-in's days for a design with one (and today's).
TrialStatus GetTrialStatus(const Design& design, const std::vector<journal::Entry>& entries,
                           Date today);
// {"phase": "not_started|run_in|running|finished|stopped", "today", "day" (1-based), "ended"
// (date or null), "todo": [text, ...]} (the commands are the CLI's own); with a run-in also
// "run_in" (RunInToJson) and, in it, "run_in_day" (1-based), "rating_logged", "dose_logged";
// and while
// running also "pair" (1-based), "magnesium", "washout", "day_in_period", "period_end",
// "rating_due", "rating_logged", "dose_logged" (`trial status --json` and the HTTP API); for a
// two-dose design also "arm" ("plan_dose" or "lower_dose") and "dose_mg", with "magnesium" true
// on both arms' days.
nlohmann::json StatusToJson(const TrialStatus& status, Date today);

struct Adherence {
  // No dose logged on any elapsed magnesium day: the journal cannot say whether magnesium was
  // taken at all, so the report gives no verdict (an "effect" would compare two no-dose arms).
  bool Unknown() const {
    return (magnesium_days > 0 && magnesium_days_dosed == 0) ||
           (two_dose && off_days > 0 && off_days_dosed == 0);
  }
  int magnesium_days = 0;        // Magnesium days elapsed.
  int magnesium_days_dosed = 0;  // ... with a dose logged.
  int off_days = 0;              // No-magnesium days elapsed.
  int off_days_dosed = 0;        // ... with a dose logged anyway (protocol deviations), or,
                                 // blinded, with the placebo taken (as planned).
  bool blinded = false;          // Every day has a container dose; a sealed design counts all
                                 // elapsed days as magnesium_days (which are which is unknown).
  // Two-dose designs: magnesium_days are the plan-dose days and off_days the lower-dose days;
  // a day counts as dosed for its arm when the magnesium of the doses logged that day is nearer
  // the arm's dose than the other arm's (DosedForArm). Unknown() when either arm has none.
  bool two_dose = false;
};
// Two-dose adherence: is `logged_mg` (a day's logged doses) nearer `arm_mg` than `other_mg`?
bool DosedForArm(double logged_mg, double arm_mg, double other_mg);

struct SideEffect {
  Date date{};
  std::string what;
  std::string note;
  bool magnesium = false;
  char container = 0;  // A sealed blinded design's container ('A'/'B'); 0 otherwise.
};

struct DayPoint {
  int day = 0;
  double value = 0;
};

// What the report says about the protocol.
struct ProtocolCheck {
  bool registered = false;  // false: a trial saved before protocols were registered.
  std::string sha256;       // As registered.
  bool intact = false;      // The stored text still hashes to `sha256`.
  // Lines of the registered protocol that the trial as it now stands no longer has, and lines
  // it has that were not registered ("changes made after the start").
  std::vector<std::string> removed;
  std::vector<std::string> added;
  std::vector<std::string> deviations;  // Ended early (with the reason), unblinded early.
};

// How well blinding held, per arm: Bang's index (correct - incorrect) / all guesses, from -1
// (always the opposite) through 0 (no better than chance) to 1 (always recognised).
struct ArmGuesses {
  int correct = 0;
  int incorrect = 0;
  int unsure = 0;
  int total() const { return correct + incorrect + unsure; }
  std::optional<double> BangIndex() const;
};
struct BlindingScore {
  ArmGuesses magnesium;
  ArmGuesses placebo;
  std::string meaning;  // Plain words: did blinding hold, and what that means for the result.
};

// A secondary outcome's analysis in the report.
struct SecondaryResult {
  Secondary secondary;
  TrialAnalysis analysis;        // Its verdict stays kNotEnoughData: only the primary has one.
  std::optional<double> p;       // Two-sided, unadjusted; set with an estimate at the end.
  std::optional<double> p_holm;  // Registered secondaries: Holm-adjusted over all of them.
};

struct Report {
  Design design;
  Date as_of{};
  TrialAnalysis analysis;
  Adherence adherence;
  std::vector<SideEffect> side_effects;
  std::vector<DayPoint> ratings;  // Daily outcome values (mean of that day's entries).
  std::vector<DayPoint> intake;   // Daily magnesium from food, supplements and doses, mg.
  std::optional<double> rda_mg;   // The person's RDA/AI, when known.
  ProtocolCheck protocol;         // The registered protocol and every change since the start.
  std::optional<BlindingScore> blinding;     // Blinded designs, once unblinded.
  std::vector<SecondaryResult> secondaries;  // As the design's; empty while sealed.
  // The run-in's baseline (designs with one): shown beside the periods, not part of the paired
  // estimate; when it failed, the report gives no verdict.
  std::optional<RunIn> run_in;
  std::string conclusion;          // In words that fit any door.
  std::string conclusion_command;  // The CLI command for the conclusion's next step ("" for none).
};

// Everything the report says, from the design, the journal's entries and today's date.
Report BuildReport(const Design& design, const std::vector<journal::Entry>& entries, Date today,
                   std::optional<double> rda_mg);
std::string RenderReportText(const Report& report);  // The CLI's text: with the command.
nlohmann::json ReportToJson(const Report& report);

// SVG charts: the outcome over time with magnesium periods shaded (washout days lighter), and
// daily magnesium intake against the RDA (empty string when there are no intake entries).
std::string TimelineSvg(const Report& report);
std::string IntakeSvg(const Report& report);

}  // namespace mg::trial

#endif  // MGADVISOR_TRIAL_TRIAL_H_
