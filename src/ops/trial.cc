#include "ops/trial.h"

#include <fmt/format.h>

#include <random>

#include "core/json_input.h"
#include "ops/journal.h"
#include "ops/person.h"
#include "ops/plan.h"

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

Status Save(journal::Store& store, const trial::Design& design, Date today) {
  auto id = store.AddTrial(journal::FormatDate(today), DesignToJson(design).dump());
  if (!id.ok()) return id.error();
  return {};
}

}  // namespace

json StartedTrial::ToJson() const {
  return {{"trial", trial::DesignToJson(design)},
          {"calendar", trial::RenderCalendar(design)},
          {"periods", trial::PeriodsToJson(trial::Periods(design))},
          {"replaced", replaced ? trial::DesignToJson(*replaced) : json(nullptr)},
          {"saved", saved}};
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
  auto dose = plan::TrialDoseFromPlan(planned->plan, request.dose_mg);
  if (!dose.ok()) return dose.error();

  trial::DesignRequest design_request;
  design_request.outcome = request.outcome;
  design_request.start = request.start.value_or(today);
  design_request.pairs = request.pairs;
  design_request.seed = request.seed ? *request.seed : std::random_device{}() % 1000000;
  design_request.dose_mg = dose->dose_mg;
  design_request.form = dose->form;
  design_request.period_days = request.period_days;
  design_request.washout_days = request.washout_days;
  design_request.mid = request.mid;
  auto design = trial::RandomiseDesign(design_request, **outcomes);
  if (!design.ok()) return design.error();

  StartedTrial out{std::move(design).value(), std::nullopt, false};
  if (store != nullptr) {
    auto current = LatestDesign(context, *store);
    if (!current.ok()) return current.error();
    if (current->has_value() && !(*current)->ended && today <= (*current)->end()) {
      out.replaced = std::move(**current);
    }
  }
  if (request.save) {
    MG_RETURN_IF_ERROR(Save(*store, out.design, today));
    out.saved = true;
  }
  return out;
}

json TrialToday::ToJson() const {
  return {{"trial", trial::DesignToJson(design)},
          {"periods", trial::PeriodsToJson(trial::Periods(design))},
          {"status", trial::StatusToJson(status, today)}};
}

json NoTrialJson() { return {{"trial", nullptr}, {"periods", json::array()}, {"status", nullptr}}; }

Result<std::optional<TrialToday>> CurrentTrial(const Context& context, journal::Store& store,
                                               Date today) {
  auto design = LatestDesign(context, store);
  if (!design.ok()) return design.error();
  if (!design->has_value()) return std::optional<TrialToday>();
  auto entries = store.List({today, today});
  if (!entries.ok()) return entries.error();
  TrialToday out{std::move(**design), {}, today};
  out.status = trial::GetTrialStatus(out.design, *entries, today);
  return std::optional<TrialToday>(std::move(out));
}

Result<trial::Design> EndTrial(const Context& context, journal::Store& store, Date today) {
  auto design = RequireDesign(context, store);
  if (!design.ok()) return design.error();
  auto ended = trial::EndDesign(*design, today);
  if (!ended.ok()) return ended.error();
  // Saved as the newest record: the journal keeps the whole history, and the ended design is
  // what status and report read from now on.
  MG_RETURN_IF_ERROR(Save(store, *ended, today));
  return ended;
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
  auto entries = store.List({design->start, design->end()});
  if (!entries.ok()) return entries.error();
  return trial::BuildReport(*design, *entries, today, rda);
}

}  // namespace mg::ops
