// The visit summary as Markdown and as a printable HTML page (ops/summary.h).
#include <fmt/format.h>

#include <chrono>

#include "core/numbers.h"
#include "ops/summary.h"

namespace mg::ops {
namespace {

using journal::Date;
using journal::FormatDate;

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string IntakeLine(const VisitSummary& s) {
  if (!s.average_mg) return "No magnesium logged in this period.";
  std::string line = fmt::format(
      "Average magnesium logged (food and supplements): {} a day over "
      "{} days with entries.",
      FormatMilligrams(*s.average_mg), s.intake_days);
  if (s.target && s.target->intake_mg) {
    line += fmt::format(" Reference intake ({}): {} a day ({}).", s.target->intake_kind,
                        FormatMilligrams(*s.target->intake_mg), s.target->label);
  }
  if (s.target) {
    line += s.target->supplemental_ul_mg
                ? fmt::format(" Upper limit for supplements and medicines: {} a day.",
                              FormatMilligrams(*s.target->supplemental_ul_mg))
                : std::string(" No upper limit for supplements is set at this age: ask first.");
  }
  return line;
}

std::string TrialLine(const trial::Report& r) {
  const trial::TrialAnalysis& a = r.analysis;
  std::string line = fmt::format("{} from {} to {} ({} of {} pairs usable).", r.design.outcome.name,
                                 FormatDate(r.design.first_day()), FormatDate(r.design.end()),
                                 a.usable_pairs, r.design.pairs());
  if (r.design.two_dose()) {
    line += fmt::format(" Two doses compared: the plan dose, {} mg a day, vs a lower dose, {} mg.",
                        FormatNumber(r.design.dose_mg), FormatNumber(*r.design.lower_dose_mg));
  }
  if (a.estimate) {
    line += fmt::format(
        " Improvement on {}: {} (95 % interval {} to {}); smallest difference that matters: "
        "{}; probability of at least that: {:.0f} %.",
        r.design.two_dose() ? "the plan dose over the lower dose" : "magnesium",
        FormatNumber(a.estimate->mean, 1), FormatNumber(a.estimate->ci_low, 1),
        FormatNumber(a.estimate->ci_high, 1), FormatNumber(a.mid_absolute, 1),
        a.estimate->prob_at_least_mid * 100);
  }
  const trial::Adherence& ad = r.adherence;
  if (ad.two_dose) {
    line += fmt::format(
        " Adherence: a dose near the plan dose logged on {} of {} plan-dose days, near the lower "
        "dose on {} of {} lower-dose days.",
        ad.magnesium_days_dosed, ad.magnesium_days, ad.off_days_dosed, ad.off_days);
    return line;
  }
  line += fmt::format(
      " Adherence: a dose logged on {} of {} magnesium days; {} of {} no-magnesium "
      "days had a dose anyway.",
      ad.magnesium_days_dosed, ad.magnesium_days, ad.off_days_dosed, ad.off_days);
  return line;
}

// One symptom over the period as a small line chart, the trial's magnesium periods shaded. Only
// presentation attributes, no style attribute: the server's Content-Security-Policy forbids
// inline styles.
std::string SymptomSvg(const VisitSummary& s, const SymptomSeries& series) {
  constexpr double kWidth = 640, kHeight = 96, kLeft = 34, kRight = 6, kTop = 6, kBottom = 18;
  const double days = static_cast<double>((s.to - s.from).count() + 1);
  const double span = series.scale_max > series.scale_min ? series.scale_max - series.scale_min : 1;
  const auto x = [&](Date d) {
    return kLeft + ((d - s.from).count() + 0.5) / days * (kWidth - kLeft - kRight);
  };
  const auto y = [&](double v) {
    return kTop + (1 - (v - series.scale_min) / span) * (kHeight - kTop - kBottom);
  };
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" "
      "aria-label=\"{} from {} to {}\">",
      kWidth, kHeight, Escape(series.name), FormatDate(s.from), FormatDate(s.to));
  if (s.trial) {
    for (const trial::Period& p : trial::Periods(s.trial->design)) {
      if (!p.magnesium || p.end < s.from || p.start > s.to) continue;
      const Date first = std::max(p.start, s.from), last = std::min(p.end, s.to);
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#dbe9f6\"/>",
          x(first) - 0.5 * (kWidth - kLeft - kRight) / days, kTop,
          (last - first).count() * (kWidth - kLeft - kRight) / days +
              (kWidth - kLeft - kRight) / days,
          kHeight - kTop - kBottom);
    }
  }
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>"
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#888\"/>"
      "<text x=\"{4}\" y=\"{5:.1f}\" font-size=\"10\" text-anchor=\"end\">{6}</text>"
      "<text x=\"{4}\" y=\"{7:.1f}\" font-size=\"10\" text-anchor=\"end\">{8}</text>"
      "<text x=\"{0}\" y=\"{9}\" font-size=\"10\">{10}</text>"
      "<text x=\"{3}\" y=\"{9}\" font-size=\"10\" text-anchor=\"end\">{11}</text>",
      kLeft, kTop, kHeight - kBottom, kWidth - kRight, kLeft - 4, y(series.scale_max) + 8,
      FormatNumber(series.scale_max, 0), y(series.scale_min), FormatNumber(series.scale_min, 0),
      kHeight - 4, FormatDate(s.from), FormatDate(s.to));
  std::string points;
  for (const auto& [date, value] : series.days) {
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x(date), y(value));
  }
  out += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f5f99\" stroke-width=\"1.5\"/></svg>",
      points);
  return out;
}

constexpr const char* kStandaloneStyle =
    "body{font:10pt/1.35 system-ui,sans-serif;margin:1.5em;max-width:48em}"
    "h1{font-size:15pt;margin:0 0 .2em}h2{font-size:11.5pt;margin:.8em 0 .2em}"
    "ul{margin:.2em 0;padding-left:1.4em}p{margin:.2em 0}.chart{max-height:7.5em}"
    ".muted{color:#555}";

}  // namespace

std::string SummaryMarkdown(const VisitSummary& s) {
  std::string out = fmt::format(
      "# Visit summary: magnesium and symptoms\n\n{} to {}. Made by mgadvisor from my own "
      "journal; not a diagnosis.\n",
      FormatDate(s.from), FormatDate(s.to));
  const auto list = [&out](const std::string& title, const std::vector<std::string>& items,
                           const char* none) {
    out += "\n## " + title + "\n\n";
    if (items.empty()) out += std::string(none) + "\n";
    for (const std::string& item : items) out += "- " + item + "\n";
  };
  out += "\n## About me\n\n";
  if (!s.has_profile) {
    out += "No profile kept in the journal.\n";
  } else {
    out += fmt::format("- Age: {}, {}\n", s.age_band, s.sex);
    out += s.complaints.empty() ? "- Complaints: none given\n" : "- Complaints:\n";
    for (const std::string& c : s.complaints) out += "  - " + c + "\n";
  }
  list("Medicines and magnesium I take", s.medicines, "None given.");
  out += "\n## My plan\n\n";
  if (!s.has_profile) {
    out += "No plan: no profile kept.\n";
  } else if (s.supplement.empty()) {
    out += "No supplement: " + s.no_supplement_reason + "\n";
  } else {
    out += "- Supplement: " + s.supplement + "\n";
    for (const std::string& d : s.doses) out += "  - " + d + "\n";
    for (const std::string& rule : s.spacing) out += "- Spacing: " + rule + "\n";
  }
  if (s.has_profile) list("Referrals in my plan", s.referrals, "None.");
  out += "\n## Symptoms\n\n";
  if (s.symptoms.empty()) out += "No symptom ratings in this period.\n";
  for (const SymptomSeries& series : s.symptoms) {
    out += fmt::format("- {}: mean {} on {} days rated (scale {} to {}, {} is better)\n",
                       series.name, FormatNumber(series.mean, 1), series.days.size(),
                       FormatNumber(series.scale_min, 0), FormatNumber(series.scale_max, 0),
                       series.higher_is_better ? "higher" : "lower");
  }
  if (s.trial) {
    out += "\n## My n-of-1 trial\n\n" + TrialLine(*s.trial) + "\n\n" + s.trial->conclusion + "\n";
  }
  out += "\n## Magnesium intake\n\n" + IntakeLine(s) + "\n";
  list("Questions to ask", s.questions, "None.");
  return out;
}

std::string SummaryHtml(const VisitSummary& s, HtmlMode mode) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Visit summary: magnesium and symptoms</title>";
  out += mode == HtmlMode::kServed ? "<link rel=\"stylesheet\" href=\"/assets/summary.css\">"
                                     "<script src=\"/assets/summary.js\" defer></script>"
                                   : fmt::format("<style>{}</style>", kStandaloneStyle);
  out += "</head><body><main>";
  out += "<h1>Visit summary: magnesium and symptoms</h1>";
  out += fmt::format(
      "<p class=\"muted\">{} to {}. Made by mgadvisor from my own journal; not a diagnosis.</p>",
      FormatDate(s.from), FormatDate(s.to));
  if (mode == HtmlMode::kServed) {
    out +=
        "<p class=\"no-print\"><button type=\"button\" id=\"print\">Save PDF for my "
        "doctor</button></p>";
  }
  const auto list = [&out](const std::vector<std::string>& items, const char* none) {
    if (items.empty()) {
      out += fmt::format("<p>{}</p>", none);
      return;
    }
    out += "<ul>";
    for (const std::string& item : items) out += "<li>" + Escape(item) + "</li>";
    out += "</ul>";
  };
  out += "<section><h2>About me</h2>";
  if (!s.has_profile) {
    out += "<p>No profile kept in the journal.</p>";
  } else {
    out += fmt::format("<p>Age {}, {}.</p><h3>Complaints</h3>", Escape(s.age_band), Escape(s.sex));
    list(s.complaints, "None given.");
  }
  out += "<h3>Medicines and magnesium I take</h3>";
  list(s.medicines, "None given.");
  out += "</section><section><h2>My plan</h2>";
  if (!s.has_profile) {
    out += "<p>No plan: no profile kept.</p>";
  } else if (s.supplement.empty()) {
    out += "<p>No supplement: " + Escape(s.no_supplement_reason) + "</p>";
  } else {
    out += "<p>Supplement: " + Escape(s.supplement) + ".</p>";
    list(s.doses, "");
    if (!s.spacing.empty()) {
      out += "<p>Spacing from medicines:</p>";
      list(s.spacing, "");
    }
  }
  if (s.has_profile) {
    out += "<h3>Referrals in my plan</h3>";
    list(s.referrals, "None.");
  }
  out += "</section><section><h2>Symptoms</h2>";
  if (s.symptoms.empty()) out += "<p>No symptom ratings in this period.</p>";
  for (const SymptomSeries& series : s.symptoms) {
    out += fmt::format("<p>{}: mean {} on {} days rated ({} is better){}.</p>", Escape(series.name),
                       FormatNumber(series.mean, 1), series.days.size(),
                       series.higher_is_better ? "higher" : "lower",
                       s.trial ? "; shaded: the trial's magnesium periods" : "");
    out += SymptomSvg(s, series);
  }
  if (s.trial) {
    out += "</section><section><h2>My n-of-1 trial</h2><p>" + Escape(TrialLine(*s.trial)) +
           "</p><p>" + Escape(s.trial->conclusion) + "</p>";
  }
  out += "</section><section><h2>Magnesium intake</h2><p>" + Escape(IntakeLine(s)) + "</p>";
  out += "</section><section><h2>Questions to ask</h2>";
  list(s.questions, "None.");
  out += "</section></main></body></html>\n";
  return out;
}

}  // namespace mg::ops
