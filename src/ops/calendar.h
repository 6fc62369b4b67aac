// Calendars (RFC 5545 iCalendar) of what a plan and a trial ask a person to do when, for the
// calendar apps people already use: `plan --format ics`, `trial calendar --format ics` and
// GET /api/calendar.ics alike.
//
// The plan's doses are daily recurring events at their times of day (floating local time: "08:00
// wherever you are"), each with an alarm and the spacing rules that set its time; a trial's
// periods are all-day events (washout days apart). UIDs name what an event *is* (the plan's
// first dose of the day; pair 2's magnesium period of the trial that started on a date), never
// its time or amount, so importing again after a medicine moves a dose updates the event instead
// of adding a second one. DTSTAMP is midnight UTC of "today" (the journal's clock), so the same
// journal on the same day gives the same bytes through either door.
#ifndef MGADVISOR_OPS_CALENDAR_H_
#define MGADVISOR_OPS_CALENDAR_H_

#include <string>

#include "core/error.h"
#include "journal/journal.h"
#include "ops/context.h"
#include "ops/plan.h"
#include "trial/trial.h"

namespace mg::ops {

// The plan's doses as a calendar, starting `today`. Errors: kUnsafe naming "profile" with the
// plan's own reason when it gives no supplement (NoTrialWithoutSupplement): there is nothing to
// remind of, and the reason matters more than an empty calendar.
Result<std::string> PlanCalendar(const plan::PlanContext& context, const PlanResult& plan,
                                 journal::Date today);

// A trial's periods as a calendar. Periods that start after the day the trial was ended are
// written as cancelled, so a calendar that imported them drops them on the next import.
std::string TrialCalendar(const trial::Design& design, journal::Date today);

// What a journal's calendar holds.
struct CalendarContents {
  bool plan = true;   // The doses of the stored profile's plan.
  bool trial = true;  // The periods of the journal's current trial.
};

// The journal's calendar. With only one part asked for, its errors: the plan's (no stored
// profile: kInvalidArgument; no supplement: kUnsafe) or kNotFound without a trial. With both, a
// part that is missing is left out, and kNotFound only when neither gives an event.
Result<std::string> JournalCalendar(const Context& context, journal::Store& store,
                                    journal::Date today, CalendarContents contents);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_CALENDAR_H_
