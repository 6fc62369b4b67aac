#include "ops/trial.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <vector>

#include "core/json_input.h"
#include "ops/journal.h"
#include "ops/person.h"
#include "ops/plan.h"
#include "trial/blinding.h"
#include "trial/protocol.h"

namespace mg::ops {

using journal::Date;
using nlohmann::json;

namespace {

// The journal's most recent trial design; nullopt without one.
Result<std::optional<trial::Design>> LatestDesign(const Context& context, journal::Store& store) {
  auto record = store.LatestTrial();
  if (!record.ok()) return record.error();
  if (!record->has_value()) return std::optional<trial::Design>();
  auto outcomes = context.outcomes();
  if (!outcomes.ok()) return outcomes.error();
  auto stored = ParseJson((*record)->json, "stored trial plan");
  if (!stored.ok()) return DataError(stored.error().message);
  auto design = trial::DesignFromJson(*stored, **outcomes);
  if (!design.ok()) return design.error();
  return std::optional<trial::Design>(std::move(design).value());
}

Result<trial::Design> RequireDesign(const Context& context, journal::Store& store) {
  auto design = LatestDesign(context, store);
  if (!design.ok()) return design.error();
  if (!design->has_value()) {
    return NotFound(
        "no trial in this journal: start one with `mgadvisor trial plan` (or POST /api/trials)");
  }
  return std::move(**design);
}

bool Fired(const plan::Plan& plan, std::string_view rule) {
  return std::find(plan.rules_fired.begin(), plan.rules_fired.end(), rule) !=
         plan.rules_fired.end();
}

// Did this referral withhold the supplement? Only the rules that call Withhold (or block as a
// contraindication) count; a risk-group or kidney note that merely rides along does not.
bool Withheld(const plan::PlanContext& context, const plan::Plan& plan,
              const plan::Referral& referral) {
  const std::string& id = referral.source_id;
  if (Fired(plan, "safety.interaction_review." + id)) return true;
  if (Fired(plan, "safety.contraindication." + id)) {
    const kb::Contraindication* ci = context.kb.FindContraindication(id);
    return ci != nullptr && (ci->action == kb::ContraindicationAction::kNoSupplement ||
                             ci->action == kb::ContraindicationAction::kClinicianFirst);
  }
  if (Fired(plan, "safety.red_flag." + id)) {
    return Fired(plan, "safety.emergency_first") && referral.urgency == kb::Urgency::kEmergency;
  }
  if (id == "timing") return Fired(plan, "safety.no_spaced_slot");
  return Fired(plan, "safety." + id);  // ul_already_exceeded, existing_without_limit, ...
}

std::string MessageFor(const plan::PlanContext& context, std::string_view rule) {
  const auto it = context.messages.text.find(rule);
  return it == context.messages.text.end() ? std::string(rule) : it->second;
}

Status Save(journal::Store& store, const trial::Design& design, Date today) {
  auto id = store.AddTrial(journal::FormatDate(today), DesignToJson(design).dump());
  if (!id.ok()) return id.error();
  return {};
}

}  // namespace

Error NoTrialWithoutSupplement(const plan::PlanContext& context, const plan::Plan& plan,
                               std::string_view consequence) {
  std::vector<std::string> why;
  // The plan engine's order: the evidence first, then safety, then preferences and room.
  if (plan.findings.empty()) {
    why.push_back("the profile names no complaint that magnesium could be tried for");
  } else if (Fired(plan, "supplement.not_supported_by_evidence")) {
    for (const plan::FindingNote& note : plan.findings) {
      const kb::Condition* condition = context.kb.FindCondition(note.condition_id);
      const std::string name = condition != nullptr ? condition->name : note.condition_id;
      if (note.finding == nullptr) {
        why.push_back(
            fmt::format("the knowledge base has no finding on oral magnesium for {}", name));
        continue;
      }
      std::string line = fmt::format("the evidence does not support magnesium for {}: {}", name,
                                     kb::Describe(note.finding->verdict));
      if (note.finding->certainty) {
        line += fmt::format(" (certainty: {})", kb::Describe(*note.finding->certainty));
      }
      why.push_back(std::move(line));
    }
  }
  if (plan.supplement_withheld_for_safety) {
    // After the evidence these are a second reason ("even if it did"), not the first.
    const char* lead = why.empty() ? "for safety, a clinician first: "
                                   : "besides, for safety, a clinician first: ";
    for (const plan::Referral& referral : plan.referrals) {
      if (Withheld(context, plan, referral)) why.push_back(lead + referral.reason);
    }
  }
  for (const char* rule : {"preference.food_only", "preference.topical",
                           "safety.ul_not_established", "dose.no_room_under_limit"}) {
    if (Fired(plan, rule)) why.push_back(MessageFor(context, rule));
  }
  if (why.empty()) {  // A form or schedule that did not fit: the plan's own notes say which.
    for (const auto& referral : plan.referrals) why.push_back(referral.reason);
    for (const auto& warning : plan.warnings) why.push_back(warning);
  }
  std::string message = fmt::format("the plan advises no magnesium supplement, {}", consequence);
  if (why.empty()) message += " (the plan's findings say why)";
  for (size_t i = 0; i < why.size(); ++i) message += (i == 0 ? ":\n  - " : "\n  - ") + why[i];
  return Error{ErrorCode::kUnsafe, std::move(message)};
}

json StartedTrial::ToJson() const {
  return {{"trial", trial::DesignToJson(design)},
          {"calendar", trial::RenderCalendar(design)},
          {"periods", trial::PeriodsToJson(trial::CalendarPeriods(design))},
          {"replaced", replaced ? trial::DesignToJson(*replaced) : json(nullptr)},
          {"saved", saved},
          {"protocol_sha256", design.protocol ? json(design.protocol->sha256) : json(nullptr)},
          {"helper_sheet", helper_sheet.empty() ? json(nullptr) : json(helper_sheet)}};
}

Result<StartedTrial> StartTrial(const Context& context, journal::Store* store,
                                const StartTrialRequest& request, Date today) {
  if (store == nullptr && (request.save || !request.profile)) {
    return Error{ErrorCode::kInternal, "StartTrial: a journal is needed to save or read a profile"};
  }
  auto outcomes = context.outcomes();
  if (!outcomes.ok()) return outcomes.error();
  // Bad input is refused before the plan engine is asked anything.
  if (auto known = trial::FindOutcome(**outcomes, request.outcome); !known.ok()) {
    return known.error();
  }
  if (request.seed && *request.seed > static_cast<uint64_t>(kMaxSeed)) {
    return InvalidArgument(
        fmt::format("seed: {} is not a whole number from 0 to {}", *request.seed, kMaxSeed));
  }
  // Dose and form come from the plan engine, so a trial never tests more magnesium than the
  // person's plan allows (supplemental UL, contraindications, interactions), and none when the
  // plan gives none.
  auto planned = request.profile ? PlanForProfile(context, *request.profile, request.reference)
                                 : PlanForStoredProfile(context, *store);
  if (!planned.ok()) return planned.error();
  if (!planned->plan.supplement) {
    auto plan_context = context.plan();
    if (!plan_context.ok()) return plan_context.error();
    return NoTrialWithoutSupplement(**plan_context, planned->plan);
  }
  auto dose = plan::TrialDoseFromPlan(planned->plan, request.dose_mg);
  if (!dose.ok()) return dose.error();

  trial::DesignRequest design_request;
  design_request.outcome = request.outcome;
  design_request.start = request.start.value_or(today);
  design_request.run_in_days = trial::FindOutcome(**outcomes, request.outcome)->run_in_days;
  if (request.run_in_done) {
    if (store == nullptr) {
      return InvalidArgument("run_in_done: the run-in is read from the journal; give one");
    }
    if (design_request.start != today) {
      return InvalidArgument(
          "run_in_done: the run-in is the days just before today, so the pairs start today; "
          "leave out the start date");
    }
    // The run-in is the days just before today, already in the journal.
    design_request.start = today - std::chrono::days{design_request.run_in_days};
  }
  design_request.pairs = request.pairs;
  design_request.seed = request.seed ? *request.seed : std::random_device{}() % 1000000;
  design_request.dose_mg = dose->dose_mg;
  design_request.form = dose->form;
  design_request.period_days = request.period_days;
  design_request.washout_days = request.washout_days;
  design_request.mid = request.mid;
  design_request.secondaries = request.secondaries;
  design_request.lower_dose_mg = request.lower_dose_mg;
  auto design = trial::RandomiseDesign(design_request, **outcomes);
  if (!design.ok()) return design.error();
  if (request.run_in_done && design->run_in_days > 0) {
    auto entries = store->List({design->first_day(), today});
    if (!entries.ok()) return entries.error();
    const auto run_in = trial::CheckRunIn(*design, *entries, today);
    if (run_in->failed() || run_in->dosed > 0) {
      return InvalidArgument(fmt::format(
          "run_in_done: the journal's last {} days ({} to {}) are not a run-in: {} of {} "
          "expected ratings of {} (at least {} needed){}{}; leave out the flag to start with a "
          "run-in",
          run_in->days, journal::FormatDate(run_in->first), journal::FormatDate(run_in->last),
          run_in->rated, run_in->expected, design->outcome.name, run_in->needed,
          run_in->state == trial::RunIn::State::kNothingToImprove
              ? ", every one at the best end of the scale"
              : "",
          run_in->dosed > 0 ? fmt::format(", a dose logged on {} of them (a run-in is without "
                                          "magnesium)",
                                          run_in->dosed)
                            : ""));
    }
  }

  StartedTrial out{std::move(design).value(), std::nullopt, false, {}};
  if (request.blind) {
    const trial::SealedAllocation allocation = trial::SealAllocation();
    out.design.blinding = trial::Blinding{
        trial::CommitmentTo(allocation.magnesium_container, allocation.key), 0, std::nullopt};
    out.helper_sheet = trial::HelperSheet(out.design, allocation);
  }
  // Written and hashed before anything is saved: what the report later holds the trial to.
  out.design.protocol = trial::RegisterProtocol(out.design);
  if (store != nullptr) {
    auto current = LatestDesign(context, *store);
    if (!current.ok()) return current.error();
    if (current->has_value() && !(*current)->ended && today <= (*current)->end()) {
      out.replaced = std::move(**current);
    }
  }
  if (out.replaced && request.save && !request.replace) {
    return Error{
        ErrorCode::kConflict,
        fmt::format("replace: a trial of magnesium for {} is running ({} to {}); end it "
                    "first (`mgadvisor trial end`), or replace it (`trial plan "
                    "--replace`, or \"replace\": true) — its days stay in the journal",
                    out.replaced->outcome.name, journal::FormatDate(out.replaced->first_day()),
                    journal::FormatDate(out.replaced->end()))};
  }
  if (request.save) {
    MG_RETURN_IF_ERROR(Save(*store, out.design, today));
    out.saved = true;
  }
  return out;
}

json TrialToday::ToJson() const {
  return {{"trial", trial::DesignToJson(design)},
          {"periods", trial::PeriodsToJson(trial::CalendarPeriods(design))},
          {"status", trial::StatusToJson(status, today)}};
}

json NoTrialJson() { return {{"trial", nullptr}, {"periods", json::array()}, {"status", nullptr}}; }

Result<std::optional<TrialToday>> CurrentTrial(const Context& context, journal::Store& store,
                                               Date today) {
  auto design = LatestDesign(context, store);
  if (!design.ok()) return design.error();
  if (!design->has_value()) return std::optional<TrialToday>();
  // The run-in's days too: the status says how the run-in stands (or why it stopped the trial).
  auto entries = store.List({std::min(today, (*design)->first_day()), today});
  if (!entries.ok()) return entries.error();
  TrialToday out{std::move(**design), {}, today};
  out.status = trial::GetTrialStatus(out.design, *entries, today);
  return std::optional<TrialToday>(std::move(out));
}

Result<trial::Design> AddTrialSecondary(const Context& context, journal::Store& store,
                                        std::string_view outcome, Date today) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  auto outcomes = context.outcomes();
  if (!outcomes.ok()) return outcomes.error();
  auto added = trial::AddSecondary(*design, outcome, **outcomes, today);
  if (!added.ok()) return added.error();
  MG_RETURN_IF_ERROR(Save(store, *added, today));
  return added;
}

Result<trial::Design> EndTrial(const Context& context, journal::Store& store, Date today,
                               std::string_view reason) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  auto ended = trial::EndDesign(*design, today, reason);
  if (!ended.ok()) return ended.error();
  // Saved as the newest record: the journal keeps the whole history, and the ended design is
  // what status and report read from now on.
  MG_RETURN_IF_ERROR(Save(store, *ended, today));
  return ended;
}

Result<LoggedEntry> LogTrialDose(const Context& context, journal::Store& store,
                                 const TrialDoseLog& log, Date today) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  // The request itself is checked first (400), then the day against the trial (409).
  std::optional<trial::Guess> guess;
  if (log.guess) {
    if (!design->blinding) {
      return InvalidArgument(
          "guess: this trial is not blinded (you know which periods are magnesium); a guess "
          "belongs to a blinded trial (`trial plan --blind`)");
    }
    guess = trial::ParseGuess(*log.guess);
    // A two-dose design's guesses are higher/lower, another's magnesium/placebo.
    if (guess && *log.guess != trial::GuessName(*guess, design->two_dose())) guess.reset();
    if (!guess) {
      return InvalidArgument(fmt::format("guess: '{}' is not a guess; use {}", *log.guess,
                                         trial::GuessWords(*design)));
    }
  }
  const Date date = log.date.value_or(today);
  const Date last = design->ended ? std::min(*design->ended, design->end()) : design->end();
  if (date >= design->first_day() && date < design->start) {
    return Error{ErrorCode::kConflict,
                 fmt::format("{}{} is a run-in day of the trial (until {}): take no "
                             "magnesium{} yet (if you did, record it with `mgadvisor log dose`: "
                             "the report counts it as a deviation)",
                             log.date ? "date: " : "today, ", journal::FormatDate(date),
                             journal::FormatDate(design->start - std::chrono::days{1}),
                             design->blinding ? " and nothing from the containers" : "")};
  }
  if (date >= design->start && date <= last) {
    auto run_in_entries = store.List({design->first_day(), design->start});
    if (!run_in_entries.ok()) return run_in_entries.error();
    const auto run_in = trial::CheckRunIn(*design, *run_in_entries, date);
    if (run_in && run_in->failed()) return Error{ErrorCode::kConflict, run_in->reason};
  }
  if (date < design->start || date > last) {
    return Error{ErrorCode::kConflict,
                 fmt::format("date: {} is outside the trial ({} to {}); log other doses with "
                             "`mgadvisor log dose`",
                             journal::FormatDate(date), journal::FormatDate(design->first_day()),
                             journal::FormatDate(last))};
  }
  journal::Entry entry;
  entry.date = date;
  entry.kind = journal::EntryKind::kDose;
  entry.magnesium_mg = design->dose_mg;
  const int day = (date - design->start).count();
  if (design->blinding) {
    entry.label = trial::ContainerDoseLabel(trial::ContainerOn(*design, day));
    if (guess) entry.note = trial::GuessNote(*guess, design->two_dose());
  } else if (design->two_dose()) {
    // Both arms take magnesium: the day's dose is its period's.
    const bool plan_dose = design->ToLayout().OnMagnesium(day);
    entry.magnesium_mg = design->DoseOf(plan_dose);
    entry.label = design->form.empty() ? "magnesium" : design->form;
    entry.note = plan_dose ? "trial: plan dose" : "trial: lower dose";
  } else {
    if (!design->ToLayout().OnMagnesium(day)) {
      return Error{ErrorCode::kConflict,
                   fmt::format("{}{} is a no-magnesium day of the trial; take no dose (if you "
                               "did, record it with `mgadvisor log dose`: the report counts it as "
                               "a deviation)",
                               log.date ? "date: " : "today, ", journal::FormatDate(date))};
    }
    entry.label = design->form.empty() ? "magnesium" : design->form;
  }
  return LogEntry(context, store, std::move(entry));
}

Result<trial::Design> UnblindTrial(const Context& context, journal::Store& store, Date today,
                                   std::string_view key) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  auto opened = trial::Unblind(*design, key, today);
  if (!opened.ok()) return opened.error();
  MG_RETURN_IF_ERROR(Save(store, *opened, today));
  return opened;
}

json TrialProtocol::ToJson() const {
  return {{"sha256", protocol.sha256},
          {"text", protocol.text},
          {"check", trial::ProtocolCheckToJson(check)}};
}

Result<TrialProtocol> CurrentProtocol(const Context& context, journal::Store& store) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  if (!design->protocol) {
    return NotFound(
        "this trial was saved before mgadvisor registered protocols; a new trial (`trial plan`) "
        "gets one");
  }
  return TrialProtocol{*design->protocol, trial::CheckProtocol(*design)};
}

Result<trial::Report> TrialReport(const Context& context, journal::Store& store, Date today,
                                  const std::optional<dri::PersonFields>& person) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  std::optional<double> rda;
  if (person) {
    auto values = LookUpPerson(context, *person);
    if (!values.ok()) return values.error();
    rda = values->values.row->intake_mg;
  } else {
    auto targets = StoredTargets(context, store);
    if (!targets.ok()) return targets.error();
    if (targets->has_value()) rda = (*targets)->intake_mg;
  }
  auto entries = store.List({design->first_day(), design->end()});
  if (!entries.ok()) return entries.error();
  return trial::BuildReport(*design, *entries, today, rda);
}

}  // namespace mg::ops
