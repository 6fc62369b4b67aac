// The visit summary: one or two printed pages to take to a clinician — `mgadvisor summary` and
// GET /api/summary alike. From the journal's stored profile, its entries over a period and its
// current trial: the person's age band, complaints, medicines with their times, the plan
// (supplement, dose, times, spacing, referrals), each symptom over the period as a small chart,
// the trial's result with its interval and adherence, the average magnesium logged against the
// reference intake and the supplemental upper limit, and questions to ask.
//
// Every figure comes from the operations the rest of the program uses (the plan engine, the
// trial report, the one count of daily magnesium), so the summary cannot say something the plan
// or the report does not.
#ifndef MGADVISOR_OPS_SUMMARY_H_
#define MGADVISOR_OPS_SUMMARY_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "foods/intake.h"
#include "journal/journal.h"
#include "ops/context.h"
#include "trial/trial.h"

namespace mg::ops {

inline constexpr int kSummaryDefaultDays = 84;  // 12 weeks: a usual time between two visits.

struct SummaryRequest {
  std::optional<journal::Date> from;  // Default: kSummaryDefaultDays - 1 days before `to`.
  std::optional<journal::Date> to;    // Default: today.
};

// One symptom logged over the period: the day's mean of each day that has a rating.
struct SymptomSeries {
  std::string kind;  // The journal's kind: "irls", "cramps", "pain", "sleep".
  std::string name;  // As the trial outcomes name it: "IRLS total (restless legs severity)".
  double scale_min = 0, scale_max = 10;
  bool higher_is_better = false;
  std::vector<std::pair<journal::Date, double>> days;
  double mean = 0;
};

struct VisitSummary {
  journal::Date from{}, to{};
  bool has_profile = false;
  std::string age_band;  // "60-69 years"; "" without a profile.
  std::string sex;
  std::vector<std::string> complaints;
  std::vector<std::string> medicines;  // "levothyroxine at 07:00 (time assumed)".
  std::string supplement;              // "" when the plan gives none.
  std::vector<std::string> doses;      // "08:00: magnesium 100 mg".
  std::vector<std::string> spacing;    // The spacing rule of each interacting medicine.
  std::vector<std::string> referrals;  // "soon: ...", most urgent first.
  std::string no_supplement_reason;    // Why there is none (the plan's reason), when none.
  std::vector<SymptomSeries> symptoms;
  std::optional<trial::Report> trial;  // The current trial, when it overlaps the period.
  int intake_days = 0;                 // Days with magnesium logged in the period.
  std::optional<double> average_mg;    // Their mean total magnesium.
  std::optional<foods::IntakeTargets> target;
  std::vector<std::string> questions;

  nlohmann::json ToJson() const;
};

// Errors: kInvalidArgument naming "from"/"to" (from after to, over 366 days, to after today);
// kConflict when the stored profile no longer resolves; storage errors.
Result<VisitSummary> BuildVisitSummary(const Context& context, journal::Store& store,
                                       const SummaryRequest& request, journal::Date today);

// Markdown for a text editor or a patient portal's message box.
std::string SummaryMarkdown(const VisitSummary& summary);

// A printable HTML page. kServed links the server's style sheet and script (its
// Content-Security-Policy allows no inline style or script) and has a "Save PDF for my doctor"
// button; kStandalone, for a file the CLI writes, carries its style inline and no script.
enum class HtmlMode { kServed, kStandalone };
std::string SummaryHtml(const VisitSummary& summary, HtmlMode mode);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_SUMMARY_H_
