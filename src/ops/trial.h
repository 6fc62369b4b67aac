// n-of-1 trial operations: start (or replace) a trial whose dose and form come from the person's
// plan, what is due today, end a trial early, and the report — `mgadvisor trial ...` and
// /api/trials/... alike.
#ifndef MGADVISOR_OPS_TRIAL_H_
#define MGADVISOR_OPS_TRIAL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "dri/dri.h"
#include "journal/journal.h"
#include "ops/context.h"
#include "ops/journal.h"
#include "plan/profile.h"
#include "trial/protocol.h"
#include "trial/trial.h"

namespace mg::ops {

// Seeds fit in JSON's exact integers (2^53), so a saved design reproduces from its seed.
inline constexpr int64_t kMaxSeed = (int64_t{1} << 53) - 1;

struct StartTrialRequest {
  std::string outcome;                 // An id of data/trial/outcomes.toml: cramps, sleep...
  std::optional<journal::Date> start;  // Default: today.
  int pairs = trial::kMinPairs;
  std::optional<uint64_t> seed;   // Default: random (and saved with the design).
  std::optional<double> dose_mg;  // May lower the plan's dose, never raise it.
  // A two-dose trial: each pair compares this lower dose (elemental mg a day) with the trial's
  // dose (the plan's, or `dose_mg`) instead of no magnesium (trial::CheckLowerDose is the rule).
  // With `blind`, both containers hold magnesium (the two doses) and guesses are higher/lower.
  std::optional<double> lower_dose_mg;
  std::optional<int> period_days;  // Defaults from the outcome.
  std::optional<int> washout_days;
  std::optional<double> mid;
  // Secondary outcomes registered in the protocol with the primary (trial::DesignRequest).
  std::vector<std::string> secondaries;
  // The person whose plan sets the dose: a profile given now (`trial plan --profile FILE`), or,
  // when absent, the profile stored in the journal (as the web page does).
  std::optional<plan::ProfileDocument> profile;
  std::optional<std::string> reference;  // Applies to `profile` when it names no set.
  bool save = true;                      // false: a dry run, nothing is written.
  // A trial that is running (or planned to start) is replaced only when this is set; otherwise
  // saving is refused (kConflict), so a second `trial plan` cannot silently discard one.
  bool replace = false;
  // Blinded: a sealed allocation of magnesium and placebo to containers A and B
  // (trial/blinding.h); the helper's sheet comes back once, in StartedTrial, and is never stored.
  bool blind = false;
  // The run-in (the outcome's run_in_days, data/trial/outcomes.toml) is already in the journal:
  // the trial's run-in is the days just before `start` (today), and it must hold what a run-in
  // needs (trial::CheckRunIn passed) or the start is refused. Without it, the trial begins with
  // its run-in on `start`.
  bool run_in_done = false;
};

struct StartedTrial {
  trial::Design design;
  std::optional<trial::Design> replaced;  // The running trial this one replaces, if any.
  bool saved = false;
  std::string helper_sheet;  // Blinded trials: the text for the helper ("" otherwise).

  // {"trial": design, "calendar": text, "periods": [...], "replaced": design | null, "saved",
  //  "protocol_sha256", "helper_sheet": text | null}
  nlohmann::json ToJson() const;
};

// Checks the request, takes dose and form from the plan (a trial never tests more magnesium
// than the plan allows, and none when the plan gives none), randomises the order and saves it.
// Starting while a trial runs replaces it only with `replace` (the result says which); a dry
// run says what it would replace. `store` may be null for a dry run with a profile given
// (nothing is read or written). Errors: kInvalidArgument naming the field (outcome, pairs, seed,
// dose, profile...); kUnsafe when the plan gives no supplement (the message gives the plan's
// own reason: the evidence, the safety rule that withheld it, a preference...) or `dose_mg` is
// above the plan's dose; kConflict when a trial is running and `replace` is not set, or when the
// stored profile no longer resolves; kInvalidArgument naming "run_in_done" when the journal's
// last days do not hold a run-in (too few ratings, nothing to improve) or `start` is not today.
Result<StartedTrial> StartTrial(const Context& context, journal::Store* store,
                                const StartTrialRequest& request, journal::Date today);

// The journal's current (most recent) trial with what is due today; nullopt without a trial.
struct TrialToday {
  trial::Design design;
  trial::TrialStatus status;
  journal::Date today{};

  // {"trial": design, "periods": [...], "status": {...}}
  nlohmann::json ToJson() const;
};
Result<std::optional<TrialToday>> CurrentTrial(const Context& context, journal::Store& store,
                                               journal::Date today);
// {"trial": null, "periods": [], "status": null}: the answer without a trial.
nlohmann::json NoTrialJson();

// Why a plan gives no supplement, in the order the plan engine decided it: the evidence for the
// complaints, the safety rules that withheld one (only those: an unrelated note is not a
// reason), a preference, no room under the upper limit. kUnsafe, naming "profile".
// REQUIRES: !plan.supplement. `consequence` ends the message's first clause (calendars and the
// visit summary say what the missing supplement means for them).
Error NoTrialWithoutSupplement(const plan::PlanContext& context, const plan::Plan& plan,
                               std::string_view consequence = "so no trial of one can be planned");

// Adds a secondary outcome to the current trial after its start (trial::AddSecondary): the
// report lists it as a change to the protocol and shows it as exploratory. Errors: kNotFound
// without a trial; kInvalidArgument / kConflict as AddSecondary.
Result<trial::Design> AddTrialSecondary(const Context& context, journal::Store& store,
                                        std::string_view outcome, journal::Date today);

// Ends the current trial today (kept in the journal: its report analyses the days before), with
// the person's reason (may be empty). Errors: kNotFound without a trial; kConflict when it
// already ended or finished; kInvalidArgument naming "reason" (not UTF-8, over 500 bytes).
Result<trial::Design> EndTrial(const Context& context, journal::Store& store, journal::Date today,
                               std::string_view reason = {});

// Today's trial dose, logged as the trial prescribes it: open label, the plan's dose and form
// ("dose" entry, magnesium counted); blinded, "trial container A|B" with the dose counted as if
// it were magnesium (the person cannot know; the report corrects placebo days after unblinding)
// and the person's guess in its note. The day-total upper-limit warning of LogEntry applies.
// Errors: kNotFound without a trial; kConflict when `date` is outside the running trial;
// kInvalidArgument naming "guess" (not magnesium/placebo/unsure, or given for an open trial).
struct TrialDoseLog {
  std::optional<journal::Date> date;  // Default: today.
  std::optional<std::string> guess;   // Blinded trials: "magnesium", "placebo" or "unsure".
};
Result<LoggedEntry> LogTrialDose(const Context& context, journal::Store& store,
                                 const TrialDoseLog& log, journal::Date today);

// Opens a blinded trial with the key on the helper's sheet (trial::Unblind) and saves it.
// Errors: kNotFound without a trial; as trial::Unblind.
Result<trial::Design> UnblindTrial(const Context& context, journal::Store& store,
                                   journal::Date today, std::string_view key);

// The current trial's registered protocol. Errors: kNotFound without a trial, or for a trial
// saved before protocols were registered.
struct TrialProtocol {
  trial::RegisteredProtocol protocol;
  trial::ProtocolCheck check;
  nlohmann::json ToJson() const;  // {"sha256", "text", "check": {...}}
};
Result<TrialProtocol> CurrentProtocol(const Context& context, journal::Store& store);

// The current trial's report. The RDA line of the intake chart comes from `person` when given
// (`trial report --age --sex`), else from the stored profile, when there is one.
// Errors: kNotFound without a trial; person errors naming the field.
Result<trial::Report> TrialReport(const Context& context, journal::Store& store,
                                  journal::Date today,
                                  const std::optional<dri::PersonFields>& person = std::nullopt);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_TRIAL_H_
