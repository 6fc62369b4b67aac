#include "ops/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "core/enum_names.h"
#include "core/numbers.h"
#include "ops/journal.h"
#include "ops/plan.h"
#include "ops/trial.h"

namespace mg::ops {
namespace {

using journal::Date;
using journal::FormatDate;
using nlohmann::json;

// A band rather than the age: enough for a clinician reading a summary, and less to identify.
std::string AgeBand(double age_months) {
  const double years = age_months / 12;
  if (years < 1) return "under 1 year";
  if (years < 4) return "1-3 years";
  if (years < 10) return "4-9 years";
  const int decade = static_cast<int>(years / 10) * 10;
  return fmt::format("{}-{} years", decade, decade + 9);
}

// The plan's part of the summary, from the stored profile.
Status AddPlan(const Context& context, journal::Store& store, VisitSummary& out) {
  auto stored = StoredProfile(store);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) return {};
  auto made = PlanForStoredProfile(context, store);
  if (!made.ok()) return made.error();
  auto loaded = context.plan();
  if (!loaded.ok()) return loaded.error();
  const plan::PlanContext& plan_context = **loaded;
  const plan::Profile& profile = made->profile;
  const plan::Plan& plan = made->plan;
  out.has_profile = true;
  out.age_band = AgeBand(profile.person.age_months);
  out.sex = dri::SexName(profile.person.sex);
  if (profile.person.state != dri::ReproductiveState::kNone) {
    out.sex += fmt::format(", {}", dri::StateName(profile.person.state));
  }
  for (const auto& complaint : profile.complaints) {
    const kb::Condition* condition = plan_context.kb.FindCondition(complaint.condition_id);
    std::string name = condition != nullptr ? condition->name : complaint.condition_id;
    if (complaint.severity) name += fmt::format(" (severity {}/10)", *complaint.severity);
    out.complaints.push_back(std::move(name));
  }
  for (const auto& medicine : profile.medicines) {
    std::string times;
    for (double h : medicine.hours) times += (times.empty() ? "" : ", ") + plan::FormatHour(h);
    out.medicines.push_back(fmt::format("{}{}{}", medicine.name,
                                        times.empty() ? "" : " at " + times,
                                        medicine.hours_assumed ? " (time assumed)" : ""));
  }
  for (const auto& taken : profile.magnesium_taken) out.medicines.push_back(taken.description);
  if (plan.supplement) {
    const plan::Supplement& s = *plan.supplement;
    out.supplement =
        fmt::format("magnesium {} ({}), {} of magnesium a day{}", s.compound_id,
                    EnumToString(kb::kRouteNames, s.route), FormatMilligrams(s.daily_elemental_mg),
                    s.is_trial ? ", offered as a trial" : "");
    if (s.product) {
      out.supplement +=
          fmt::format(": {} {} of {} a day", FormatNumber(s.product->units_per_day, 2),
                      s.product->unit, s.product->name);
    }
    for (const auto& d : s.doses) {
      out.doses.push_back(fmt::format("{}: magnesium {}", plan::FormatHour(d.hour),
                                      FormatMilligrams(d.elemental_mg)));
    }
  } else {
    out.no_supplement_reason =
        NoTrialWithoutSupplement(plan_context, plan, "for these reasons").message;
  }
  for (const auto& i : plan.interactions) {
    out.spacing.push_back(fmt::format("{}: {}", i.medicine, i.rule));
  }
  for (const auto& r : plan.referrals) {
    out.referrals.push_back(
        fmt::format("{}: {}", EnumToString(kb::kUrgencyNames, r.urgency), r.reason));
  }
  return {};
}

std::vector<SymptomSeries> Symptoms(const std::vector<trial::OutcomeSpec>& outcomes,
                                    const std::vector<journal::Entry>& entries) {
  std::vector<SymptomSeries> out;
  for (const trial::OutcomeSpec& outcome : outcomes) {
    // One series per journal scale: the detail of a cramp or sleep diary (severity, minutes...)
    // is measured in trials, not summarised here beside the scale itself.
    if (!outcome.measure.empty()) continue;
    std::map<Date, std::pair<double, int>> by_day;
    for (const journal::Entry& e : entries) {
      if (e.kind != outcome.journal_kind || !e.value) continue;
      auto& [sum, count] = by_day[e.date];
      if (outcome.event_days) {
        // Migraine days: a day is an attack day or not (several attacks are one), shown in the
        // outcome's unit, so the mean reads as migraine days per 28 days.
        const double day = *trial::OutcomeValue(outcome, e) * outcome.per_days;
        sum = count == 0 ? day : std::max(sum, day);
        count = 1;
        continue;
      }
      sum += *e.value;
      ++count;
    }
    if (by_day.empty()) continue;
    SymptomSeries series{.kind = journal::EntryKindName(outcome.journal_kind),
                         .name = outcome.name,
                         .scale_min = outcome.scale_min,
                         .scale_max = outcome.scale_max,
                         .higher_is_better = outcome.higher_is_better,
                         .days = {},
                         .mean = 0};
    double total = 0;
    for (const auto& [date, sum_count] : by_day) {
      const double mean = sum_count.first / sum_count.second;
      series.days.emplace_back(date, mean);
      total += mean;
    }
    series.mean = total / static_cast<double>(series.days.size());
    out.push_back(std::move(series));
  }
  return out;
}

// Questions a person may bring, from what the summary found. They point at the summary's own
// findings; none gives advice of its own.
std::vector<std::string> Questions(const VisitSummary& s) {
  std::vector<std::string> out;
  for (const std::string& referral : s.referrals) {
    out.push_back(fmt::format("My plan refers me to you ({}). What do you advise?", referral));
  }
  if (!s.supplement.empty()) {
    out.push_back(fmt::format(
        "Is {} right for me, with my kidney function and the medicines I take?", s.supplement));
  }
  for (const std::string& rule : s.spacing) {
    out.push_back(fmt::format("Is this spacing right for me? {}", rule));
  }
  // Only a trial with a result is a question; "not enough data yet" is the person's to fix.
  if (s.trial && s.trial->analysis.verdict != trial::Verdict::kNotEnoughData) {
    out.push_back(fmt::format("My n-of-1 trial concluded: \"{}\" Should I go on with magnesium?",
                              s.trial->conclusion));
  }
  if (s.average_mg && s.target && s.target->intake_mg && *s.average_mg < *s.target->intake_mg) {
    out.push_back(fmt::format(
        "My logged magnesium averaged {} a day, below my reference intake of {}. Is a change of "
        "diet, or a blood test, worth it?",
        FormatMilligrams(*s.average_mg), FormatMilligrams(*s.target->intake_mg)));
  }
  return out;
}

}  // namespace

Result<VisitSummary> BuildVisitSummary(const Context& context, journal::Store& store,
                                       const SummaryRequest& request, Date today) {
  const Date to = request.to.value_or(today);
  if (to > today) {
    return InvalidArgument(
        fmt::format("to: {} is after today ({})", FormatDate(to), FormatDate(today)));
  }
  const Date from = request.from.value_or(to - std::chrono::days{kSummaryDefaultDays - 1});
  if (from > to) {
    return InvalidArgument(
        fmt::format("from: {} is after to ({})", FormatDate(from), FormatDate(to)));
  }
  if ((to - from).count() >= kMaxIntakeDays) {
    return InvalidArgument(fmt::format("from, to: {} to {} is more than {} days; ask for less",
                                       FormatDate(from), FormatDate(to), kMaxIntakeDays));
  }
  VisitSummary out;
  out.from = from;
  out.to = to;
  MG_RETURN_IF_ERROR(AddPlan(context, store, out));

  auto entries = store.List({from, to});
  if (!entries.ok()) return entries.error();
  auto outcomes = context.outcomes();
  if (!outcomes.ok()) return outcomes.error();
  out.symptoms = Symptoms(**outcomes, *entries);

  auto current = CurrentTrial(context, store, today);
  if (!current.ok()) return current.error();
  if (current->has_value() && (*current)->design.first_day() <= to &&
      (*current)->design.end() >= from) {
    auto report = TrialReport(context, store, std::min(today, to));
    if (!report.ok()) return report.error();
    out.trial = std::move(*report);
  }

  auto intake = Intake(context, store, {from, to}, today);
  if (!intake.ok()) return intake.error();
  double total = 0;
  for (const journal::DayMagnesium& day : intake->days) {
    if (day.total_mg() <= 0) continue;  // A day with nothing logged is not a day without any.
    total += day.total_mg();
    ++out.intake_days;
  }
  if (out.intake_days > 0) out.average_mg = total / out.intake_days;
  out.target = intake->target;
  out.questions = Questions(out);
  return out;
}

json VisitSummary::ToJson() const {
  json symptoms_json = json::array();
  for (const SymptomSeries& s : symptoms) {
    json days_json = json::array();
    for (const auto& [date, value] : s.days) {
      days_json.push_back({{"date", FormatDate(date)}, {"value", value}});
    }
    symptoms_json.push_back({{"kind", s.kind},
                             {"name", s.name},
                             {"scale_min", s.scale_min},
                             {"scale_max", s.scale_max},
                             {"higher_is_better", s.higher_is_better},
                             {"mean", s.mean},
                             {"days", days_json}});
  }
  json target_json = nullptr;
  if (target) {
    target_json = {
        {"label", target->label},
        {"intake_mg", target->intake_mg ? json(*target->intake_mg) : json(nullptr)},
        {"intake_kind", target->intake_kind},
        {"supplemental_ul_mg",
         target->supplemental_ul_mg ? json(*target->supplemental_ul_mg) : json(nullptr)}};
  }
  return {{"from", FormatDate(from)},
          {"to", FormatDate(to)},
          {"profile", has_profile},
          {"age_band", age_band},
          {"sex", sex},
          {"complaints", complaints},
          {"medicines", medicines},
          {"supplement", supplement.empty() ? json(nullptr) : json(supplement)},
          {"no_supplement_reason", no_supplement_reason},
          {"doses", doses},
          {"spacing", spacing},
          {"referrals", referrals},
          {"symptoms", symptoms_json},
          {"trial", trial ? trial::ReportToJson(*trial) : json(nullptr)},
          {"intake",
           {{"days_logged", intake_days},
            {"average_mg", average_mg ? json(*average_mg) : json(nullptr)},
            {"target", target_json}}},
          {"questions", questions}};
}

}  // namespace mg::ops
