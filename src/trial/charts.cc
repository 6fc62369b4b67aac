// SVG charts for the trial report: plain SVG 1.1, no scripts, readable without a browser plugin.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/numbers.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

constexpr double kWidth = 800, kHeight = 320;
constexpr double kLeft = 60, kRight = 20, kTop = 40, kBottom = 50;

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
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

struct Frame {
  int days;
  double y_min, y_max;
  double X(double day) const { return kLeft + (kWidth - kLeft - kRight) * day / days; }
  double Y(double v) const {
    return kTop + (kHeight - kTop - kBottom) * (1 - (v - y_min) / (y_max - y_min));
  }
};

std::string Open(const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
      "<text x=\"{3}\" y=\"22\" font-size=\"15\">{2}</text>\n",
      kWidth, kHeight, Escape(title), kLeft);
}

std::string Axes(const Frame& f, const Design& design, const std::string& y_label) {
  std::string out;
  const double x0 = f.X(0), x1 = f.X(f.days), y0 = f.Y(f.y_min), y1 = f.Y(f.y_max);
  out += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", x0,
      y0, y1);
  out += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", x0,
      x1, y0);
  for (int i = 0; i <= 4; ++i) {
    const double v = f.y_min + (f.y_max - f.y_min) * i / 4;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", x0 - 6,
                       f.Y(v) + 4, FormatNumber(v, 1));
  }
  for (int day = 0; day <= f.days; day += std::max(7, f.days / 8 / 7 * 7)) {
    out +=
        fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", f.X(day),
                    y0 + 18, journal::FormatDate(design.start + std::chrono::days{day}).substr(5));
  }
  out += fmt::format(
      "<text x=\"16\" y=\"{:.1f}\" transform=\"rotate(-90 16 {:.1f})\" "
      "text-anchor=\"middle\">{}</text>\n",
      (y0 + y1) / 2, (y0 + y1) / 2, Escape(y_label));
  return out;
}

// What the green shading means, for the key under a chart.
std::string Key(const Design& design) {
  if (design.sealed()) return "blinded (sealed); ";
  if (design.two_dose()) {
    return fmt::format("green: plan dose ({} mg), white: lower dose ({} mg); ",
                       FormatNumber(design.dose_mg), FormatNumber(*design.lower_dose_mg));
  }
  return "green: magnesium; ";
}

// Magnesium periods shaded green; their washout days lighter; no-magnesium washout grey.
std::string Periods(const Frame& f, const Design& design) {
  std::string out;
  const Layout d = design.ToLayout();
  for (int period = 0; period < design.pairs() * 2; ++period) {
    const int first = period * d.period_days;
    // A sealed blinded design does not know which periods hold magnesium: none is shaded.
    const bool on = !design.sealed() && d.OnMagnesium(first);
    const double top = f.Y(f.y_max), height = f.Y(f.y_min) - top;
    if (on) {
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#2e8b57\" "
          "fill-opacity=\"0.18\"><title>{}</title></rect>\n",
          f.X(first), top, f.X(first + d.period_days) - f.X(first), height,
          design.two_dose() ? "plan dose" : "magnesium");
    }
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#888888\" "
        "fill-opacity=\"0.15\"><title>washout (not analysed)</title></rect>\n",
        f.X(first), top, f.X(first + d.washout_days) - f.X(first), height);
  }
  return out;
}

}  // namespace

std::string TimelineSvg(const Report& r) {
  const OutcomeSpec& o = r.design.outcome;
  Frame f{r.design.ToLayout().total_days(), o.scale_min, o.scale_max};
  if (o.scale_max > 20 && (o.journal_kind == journal::EntryKind::kCramps || !o.measure.empty())) {
    // Cramp counts and minutes: scale to the data, not to the 100 cramps or 1440 minutes a
    // night the journal allows.
    double top = 5;
    for (const DayPoint& p : r.ratings) top = std::max(top, std::ceil(p.value));
    f.y_max = top;
  }
  std::string axis =
      fmt::format("{} ({} is better)", o.unit, o.higher_is_better ? "higher" : "lower");
  if (o.event_days) {
    // The days themselves are 0 or 1; the report gives their rate per o.per_days days.
    f.y_min = 0;
    f.y_max = 1;
    axis = "1: a day with an attack, 0: a day logged without";
  }
  std::string out = Open(fmt::format("{}: {} periods shaded", o.name,
                                     r.design.two_dose() ? "plan-dose" : "magnesium"));
  out += Periods(f, r.design);
  out += Axes(f, r.design, axis);
  std::string path;
  int previous = -2;
  for (const DayPoint& p : r.ratings) {
    path += fmt::format("{}{:.1f},{:.1f} ", p.day == previous + 1 ? "L" : "M", f.X(p.day + 0.5),
                        f.Y(p.value));
    previous = p.day;
  }
  if (!path.empty()) {
    out += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"1.5\"/>\n",
                       path);
  }
  for (const DayPoint& p : r.ratings) {
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"#1f4e79\"/>\n",
                       f.X(p.day + 0.5), f.Y(p.value));
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}grey: washout, not analysed</text>\n",
                     kLeft, kHeight - 8, Key(r.design));
  return out + "</svg>\n";
}

std::string IntakeSvg(const Report& r) {
  if (r.intake.empty()) return "";
  double top = r.rda_mg.value_or(0);
  for (const DayPoint& p : r.intake) top = std::max(top, p.value);
  top = std::ceil(top * 1.1 / 50) * 50;
  Frame f{r.design.ToLayout().total_days(), 0, top};
  std::string out = Open("Daily magnesium intake (food, supplements and doses)");
  out += Periods(f, r.design);
  out += Axes(f, r.design, "mg per day");
  const double bar = std::max(1.0, f.X(1) - f.X(0) - 1);
  for (const DayPoint& p : r.intake) {
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#1f4e79\"/>\n",
        f.X(p.day), f.Y(p.value), bar, f.Y(0) - f.Y(p.value));
  }
  // The RDA is named in the key below the plot, not beside its line: a label there sat on the
  // bars of any day above the RDA (issue 17).
  if (r.rda_mg) {
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#c0392b\" "
        "stroke-dasharray=\"6 4\"/>\n",
        f.X(0), f.Y(*r.rda_mg), f.X(f.days), f.Y(*r.rda_mg));
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">green: {} periods; {}</text>\n", kLeft,
                     kHeight - 8, r.design.two_dose() ? "plan-dose" : "magnesium",
                     r.rda_mg ? fmt::format("red dashed line: RDA {} mg", FormatNumber(*r.rda_mg))
                              : std::string("RDA unknown (pass --age and --sex)"));
  return out + "</svg>\n";
}

}  // namespace mg::trial
