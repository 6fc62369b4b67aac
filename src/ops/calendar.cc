#include "ops/calendar.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "core/icalendar.h"
#include "core/numbers.h"
#include "ops/trial.h"

namespace mg::ops {
namespace {

using journal::Date;

constexpr const char* kProdId = "-//mgadvisor//mgadvisor calendar//EN";
// The right-hand side of every UID: names the program, so UIDs never collide with another app's.
constexpr const char* kUidDomain = "@mgadvisor";
constexpr const char* kNoDoses = "so there are no doses to put in a calendar";

// "20261123" (an iCalendar DATE).
std::string IcsDate(Date date) {
  std::string text = journal::FormatDate(date);
  std::erase(text, '-');
  return text;
}

std::string Stamp(Date today) { return IcsDate(today) + "T000000Z"; }

// "2 capsules", "1 tablet", "5 mL".
std::string Units(double n, const std::string& unit) {
  std::string out = FormatNumber(n, 2) + " " + unit;
  if (n == 1 || unit == "mL" || unit == "g") return out;
  if (unit.ends_with("y")) return out.substr(0, out.size() - 1) + "ies";
  return out + "s";
}

// What the dose is, in a few words for a calendar's title: "Magnesium 150 mg (chloride)", "2
// capsules of Brightleaf glycinate (magnesium 150 mg)".
std::string DoseWhat(const plan::Supplement& s, const plan::Dose& d) {
  if (s.product && d.units > 0) {
    return fmt::format("{} of {} (magnesium {})", Units(d.units, s.product->unit), s.product->name,
                       FormatMilligrams(d.elemental_mg));
  }
  return fmt::format("Magnesium {} ({})", FormatMilligrams(d.elemental_mg), s.compound_id);
}

void AddDoseEvents(ICalendarWriter& out, const plan::Plan& plan, Date today) {
  const plan::Supplement& s = *plan.supplement;
  // Why the dose sits where it does: every spacing rule the plan applied, with the medicine's time.
  std::string spacing;
  for (const auto& i : plan.interactions) {
    std::string times;
    for (double h : i.medicine_hours) times += (times.empty() ? "" : ", ") + plan::FormatHour(h);
    spacing += fmt::format("\n- {} at {}{}: {}", i.medicine, times,
                           i.medicine_hours_assumed ? " (time assumed)" : "", i.rule);
  }
  std::string titration;
  if (s.titration.size() > 1) {
    for (const auto& step : s.titration) {
      titration += fmt::format("{}week {}{}: {} a day", titration.empty() ? "" : "; ", step.week,
                               &step == &s.titration.back() ? " on" : "",
                               FormatMilligrams(step.daily_elemental_mg));
    }
  }
  for (size_t n = 0; n < s.doses.size(); ++n) {
    const plan::Dose& d = s.doses[n];
    const int minutes = static_cast<int>(std::lround(d.hour * 60)) % (24 * 60);
    std::string description =
        fmt::format("{}, as your mgadvisor plan says: dose {} of {}, {} of magnesium a day.",
                    DoseWhat(s, d), n + 1, s.doses.size(), FormatMilligrams(s.daily_elemental_mg));
    if (!titration.empty()) description += "\nStart low: " + titration + ".";
    if (!spacing.empty())
      description += "\nThis time keeps the spacing from your medicines:" + spacing;
    if (s.is_trial) {
      description += "\nOffered as a trial: during a trial's no-magnesium periods, skip it.";
    }
    out.Begin("VEVENT");
    // The n-th dose of the day, whatever its time, amount or form: a plan that moves it updates it.
    out.Raw("UID", fmt::format("plan-dose-{}{}", n + 1, kUidDomain));
    out.Raw("DTSTAMP", Stamp(today));
    out.Raw("DTSTART", fmt::format("{}T{:02}{:02}00", IcsDate(today), minutes / 60, minutes % 60));
    out.Raw("DURATION", "PT15M");
    out.Raw("RRULE", "FREQ=DAILY");
    out.Text("SUMMARY", DoseWhat(s, d));
    out.Text("DESCRIPTION", description);
    out.Raw("TRANSP", "TRANSPARENT");
    out.Begin("VALARM");
    out.Raw("ACTION", "DISPLAY");
    out.Raw("TRIGGER", "PT0S");
    out.Text("DESCRIPTION", DoseWhat(s, d));
    out.End("VALARM");
    out.End("VEVENT");
  }
}

void AllDayEvent(ICalendarWriter& out, const std::string& uid, Date first, Date last,
                 const std::string& summary, const std::string& description, bool cancelled,
                 Date today) {
  out.Begin("VEVENT");
  out.Raw("UID", uid + kUidDomain);
  out.Raw("DTSTAMP", Stamp(today));
  out.Raw("DTSTART;VALUE=DATE", IcsDate(first));
  out.Raw("DTEND;VALUE=DATE", IcsDate(last + std::chrono::days{1}));  // DTEND is exclusive.
  out.Text("SUMMARY", summary);
  out.Text("DESCRIPTION", description);
  out.Raw("TRANSP", "TRANSPARENT");
  if (cancelled) out.Raw("STATUS", "CANCELLED");
  out.End("VEVENT");
}

void AddTrialEvents(ICalendarWriter& out, const trial::Design& design, Date today) {
  // A trial is named by its first day (the run-in's, when it has one) and seed: a new trial gets
  // new events, this one keeps its own.
  const std::string trial_id =
      fmt::format("trial-{}-{}-{}", IcsDate(design.first_day()), design.outcome.id, design.seed);
  const std::string rating = trial::RatingInstruction(design.outcome);
  if (design.run_in_days > 0) {
    const Date last = design.start - std::chrono::days{1};
    AllDayEvent(out, trial_id + "-run-in", design.first_day(), last,
                fmt::format("Trial ({}), run-in: no magnesium", design.outcome.id),
                fmt::format("Take no magnesium supplement{}. {} These ratings are your baseline: "
                            "the pairs begin on {} only if enough of them are logged.",
                            design.blinding ? " and nothing from containers A and B" : "", rating,
                            journal::FormatDate(design.start)),
                design.ended && design.first_day() > *design.ended, today);
  }
  for (const trial::Period& p : trial::Periods(design)) {
    // Two-dose designs: both arms take magnesium, each its own dose.
    const bool dosed = p.magnesium || design.two_dose();
    const double dose = design.two_dose() ? design.DoseOf(p.magnesium) : design.dose_mg;
    const std::string arm = design.two_dose() ? (p.magnesium ? "plan dose, " : "lower dose, ") : "";
    // Blinded and sealed: the container is all the person may know (never "no magnesium").
    const std::string what = p.sealed ? fmt::format("container {}", p.container)
                             : dosed  ? fmt::format("{}magnesium {} a day as {}", arm,
                                                    FormatMilligrams(dose), design.form)
                                      : std::string("no magnesium");
    const std::string todo =
        p.sealed ? fmt::format("Take the day's dose from container {}, and log it with your guess.",
                               p.container)
        : dosed  ? fmt::format("Take {} {} a day, and log each dose.", FormatMilligrams(dose),
                               design.form)
                 : std::string("Take no magnesium supplement; log any you take.");
    // A UID must be unique within the calendar (RFC 5545), or calendar apps merge the two
    // periods of a pair into one. While sealed, every period reads `magnesium` false, so a sealed
    // period is named by its container, which also keeps the arm out of the UID.
    const std::string part =
        fmt::format("{}-pair{}-{}", trial_id, p.pair + 1,
                    p.sealed            ? fmt::format("container-{}", p.container)
                    : design.two_dose() ? (p.magnesium ? "plan-dose" : "lower-dose")
                                        : (p.magnesium ? "magnesium" : "none"));
    const std::string title =
        fmt::format("Trial ({}), pair {}: {}", design.outcome.id, p.pair + 1, what);
    const auto cancelled = [&](Date first) { return design.ended && first > *design.ended; };
    Date first = p.start;
    if (p.washout_end) {
      AllDayEvent(out, part + "-washout", p.start, *p.washout_end, title + " (washout)",
                  todo + " " + rating +
                      " Washout days: the effect of the period before may linger, so they are "
                      "not analysed.",
                  cancelled(p.start), today);
      first = *p.washout_end + std::chrono::days{1};
    }
    if (first <= p.end) {
      AllDayEvent(out, part, first, p.end, title, todo + " " + rating, cancelled(first), today);
    }
  }
}

}  // namespace

Result<std::string> PlanCalendar(const plan::PlanContext& context, const PlanResult& plan,
                                 Date today) {
  if (!plan.plan.supplement || plan.plan.supplement->doses.empty()) {
    return NoTrialWithoutSupplement(context, plan.plan, kNoDoses);
  }
  ICalendarWriter out(kProdId);
  AddDoseEvents(out, plan.plan, today);
  return std::move(out).Finish();
}

std::string TrialCalendar(const trial::Design& design, Date today) {
  ICalendarWriter out(kProdId);
  AddTrialEvents(out, design, today);
  return std::move(out).Finish();
}

Result<std::string> JournalCalendar(const Context& context, journal::Store& store, Date today,
                                    CalendarContents contents) {
  const bool only_one = contents.plan != contents.trial;
  std::optional<PlanResult> plan;
  if (contents.plan) {
    auto stored = StoredProfile(store);
    if (!stored.ok()) return stored.error();
    if (stored->has_value() || only_one) {
      auto made = PlanForStoredProfile(context, store);
      if (!made.ok()) return made.error();
      plan = std::move(*made);
    }
  }
  std::optional<TrialToday> current;
  if (contents.trial) {
    auto found = CurrentTrial(context, store, today);
    if (!found.ok()) return found.error();
    if (!found->has_value() && only_one) {
      return NotFound("trial: none in this journal; start one with `mgadvisor trial plan`");
    }
    current = std::move(*found);
  }
  const bool has_doses = plan && plan->plan.supplement && !plan->plan.supplement->doses.empty();
  if (plan && !has_doses && only_one) {
    auto loaded = context.plan();
    if (!loaded.ok()) return loaded.error();
    return NoTrialWithoutSupplement(**loaded, plan->plan, kNoDoses);
  }
  if (!has_doses && !current) {
    return NotFound(
        "calendar: nothing to put in it: no plan with a supplement (store a profile) and no "
        "trial (start one)");
  }
  ICalendarWriter out(kProdId);
  if (has_doses) AddDoseEvents(out, plan->plan, today);
  if (current) AddTrialEvents(out, current->design, today);
  return std::move(out).Finish();
}

}  // namespace mg::ops
