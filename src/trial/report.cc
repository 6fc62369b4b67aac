// The trial report: journal entries -> daily series -> statistics -> plain words.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/numbers.h"
#include "core/utf8.h"
#include "trial/blinding.h"
#include "trial/protocol.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::EntryKind;
using journal::FormatDate;

std::string Signed(double v) { return fmt::format("{:+.2f}", v); }
std::string Fixed(double v) { return fmt::format("{:.2f}", v); }
// Whole percent, but never "0 %" or "100 %" for what is only nearly certain.
std::string Percent(double p) {
  if (p > 0 && p < 0.005) return "< 1 %";
  if (p < 1 && p >= 0.995) return "> 99 %";
  return fmt::format("{:.0f} %", 100 * p);
}

// A two-dose design's verdict in words: whether the plan's dose helped MORE than the lower one.
// Never "magnesium works": both arms take magnesium, so the trial says nothing of none.
std::string TwoDoseConclusion(const Report& r) {
  const TrialAnalysis& a = r.analysis;
  const OutcomeSpec& o = r.design.outcome;
  const std::string mid = fmt::format("{} {}", FormatNumber(a.mid_absolute, 2), o.unit);
  const std::string plan = fmt::format("the plan dose ({} mg)", FormatNumber(r.design.dose_mg));
  const std::string lower =
      fmt::format("the lower dose ({} mg)", FormatNumber(*r.design.lower_dose_mg));
  const std::string caveat =
      "Both periods were magnesium, so this compares two doses; it does not say whether either "
      "helps compared with none.";
  switch (a.verdict) {
    case Verdict::kNotEnoughData:
      return "";
    case Verdict::kBenefit:
      return fmt::format(
          "The higher dose helped more than the lower one: your {} was better on {} than on {}, "
          "and chance alone is an unlikely explanation (95 % interval {} to {} {} better). {} "
          "(the chance the extra benefit is at least {}, the smallest change people notice, is "
          "{}). {} {}",
          o.name, plan, lower, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit,
          a.estimate->prob_at_least_mid >= 0.5
              ? "The extra benefit is probably large enough to notice"
              : "But the extra benefit is probably smaller than people notice",
          mid, Percent(a.estimate->prob_at_least_mid), caveat,
          r.blinding ? r.blinding->meaning
                     : "The periods were not blinded, so expectation can produce part of this.");
    case Verdict::kWorse:
      return fmt::format(
          "The higher dose did not help more: your {} was worse on {} than on {} (95 % interval "
          "{} to {} {}). The lower dose may serve you as well or better; talk over lowering your "
          "dose with the plan's advice. {}",
          o.name, plan, lower, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit,
          caveat);
    case Verdict::kNoMeaningfulBenefit:
      return fmt::format(
          "The higher dose did not help meaningfully more: the data rule out an extra "
          "improvement as large as {} from {} over {} (95 % interval {} to {}). The lower dose "
          "probably does as well for your {}. {}",
          mid, plan, lower, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.name, caveat);
    case Verdict::kInconclusive:
      return fmt::format(
          "Inconclusive: whether the higher dose helped more than the lower one is open; the "
          "95 % interval ({} to {} {}) includes both no extra benefit from {} and a meaningful "
          "one ({}). Two doses differ less than a dose and none, so a dose comparison needs "
          "more pairs to tell. {}",
          Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit, plan, mid, caveat);
  }
  return "";
}

// The conclusion in words that fit any door; `command` gets the CLI command for its next step.
std::string Conclusion(const Report& r, std::string& command) {
  const TrialAnalysis& a = r.analysis;
  const OutcomeSpec& o = r.design.outcome;
  const std::string mid = fmt::format("{} {}", FormatNumber(a.mid_absolute, 2), o.unit);
  const int planned = r.design.pairs();
  const bool ended_early = !a.finished && r.design.ended;
  // A run-in that failed stopped the trial before its pairs: nothing to compare.
  if (r.run_in && r.run_in->failed()) {
    command = fmt::format("mgadvisor trial plan --outcome {} --replace", o.id);
    return "No verdict. " + r.run_in->reason;
  }
  if (r.run_in && r.run_in->state == RunIn::State::kPending && !r.design.ended) {
    return fmt::format(
        "The run-in lasts until {}: {} of its {} ratings are logged so far (at least {} are "
        "needed). The pairs, and the comparison, begin on {}.",
        FormatDate(r.run_in->last), r.run_in->rated, r.run_in->expected, r.run_in->needed,
        FormatDate(r.design.start));
  }
  if (r.design.sealed()) {
    command = "mgadvisor trial unblind KEY";
    return fmt::format(
        "Blinded: the comparison waits until you unblind the trial with the key on your helper's "
        "sheet, which opens after the last day ({}){}. Until then this report shows adherence and "
        "side effects only.",
        FormatDate(r.design.end()),
        r.design.ended
            ? fmt::format(" or, as this trial was ended on {}, now", FormatDate(*r.design.ended))
            : "");
  }
  if (r.adherence.Unknown() && !ended_early && r.adherence.two_dose) {
    command = "mgadvisor log dose --date YYYY-MM-DD";
    return fmt::format(
        "No verdict: no dose near the {} was logged on any of its {} days so far, so the journal "
        "cannot tell whether the doses were taken as planned, and a difference between the "
        "periods could not be put down to the dose. Log each dose on the day you take it, and "
        "past days' doses on their own dates.",
        r.adherence.magnesium_days_dosed == 0
            ? fmt::format("plan dose ({} mg)", FormatNumber(r.design.dose_mg))
            : fmt::format("lower dose ({} mg)", FormatNumber(*r.design.lower_dose_mg)),
        r.adherence.magnesium_days_dosed == 0 ? r.adherence.magnesium_days : r.adherence.off_days);
  }
  if (r.adherence.Unknown() && !ended_early) {
    command = "mgadvisor log dose --date YYYY-MM-DD";
    return fmt::format(
        "No verdict: no dose was logged on any of the {} magnesium days so far, so the journal "
        "cannot tell whether magnesium was taken, and a difference between the periods could not "
        "be put down to it. Log each dose on the day you take it, and past days' doses on their "
        "own dates.",
        r.adherence.magnesium_days);
  }
  if (r.design.two_dose() && a.verdict != Verdict::kNotEnoughData) return TwoDoseConclusion(r);
  switch (a.verdict) {
    case Verdict::kNotEnoughData:
      if (ended_early) {
        return fmt::format(
            "No verdict: the trial was ended on {}, before its last day ({}), with {} of {} pairs "
            "complete. A verdict needs the whole trial, because stopping early when a week looks "
            "good makes false alarms more likely.",
            FormatDate(*r.design.ended), FormatDate(r.design.end()), a.usable_pairs, planned);
      }
      if (!a.finished) {
        return fmt::format(
            "Not enough data yet: {} of {} pairs are complete. The verdict waits for the end of "
            "the trial on {}, because looking early and stopping on a good week makes false "
            "alarms more likely.",
            a.usable_pairs, planned, FormatDate(r.design.end()));
      }
      return fmt::format(
          "Not enough data: only {} of {} pairs have enough ratings in both periods (at least {} "
          "per period after washout); {} are needed. Add another pair of periods, or design a new "
          "trial.",
          a.usable_pairs, planned, r.design.ToLayout().MinRatingsPerPeriod(), kMinPairsForVerdict);
    case Verdict::kBenefit:
      return fmt::format(
          "Your {} was better on magnesium, and chance alone is an unlikely explanation (95 % "
          "interval {} to {} {} better). {} (the chance it is at least {}, the smallest change "
          "people notice, is {}). {}",
          o.name, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit,
          a.estimate->prob_at_least_mid >= 0.5 ? "The benefit is probably large enough to notice"
                                               : "But the benefit is probably smaller than people "
                                                 "notice",
          mid, Percent(a.estimate->prob_at_least_mid),
          r.blinding ? r.blinding->meaning
                     : "The periods were not blinded, so expectation can produce part of this.");
    case Verdict::kWorse:
      return fmt::format(
          "Your {} was worse on magnesium (95 % interval {} to {} {}). Magnesium does not seem to "
          "help you; consider stopping it.",
          o.name, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit);
    case Verdict::kNoMeaningfulBenefit:
      return fmt::format(
          "No meaningful benefit: the data rule out an improvement as large as {} (95 % interval "
          "{} to {}). Magnesium probably does not help your {}.",
          mid, Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.name);
    case Verdict::kInconclusive:
      return fmt::format(
          "Inconclusive: the 95 % interval ({} to {} {}) includes both no effect and a "
          "meaningful benefit ({}). More pairs of periods would narrow it.",
          Fixed(a.estimate->ci_low), Fixed(a.estimate->ci_high), o.unit, mid);
  }
  return "";
}

// Each secondary outcome analysed on the design's periods, with its two-sided p-value at the end
// and, for those registered at the start, Holm's adjustment over them (stats.h).
// A day's rating is the mean of the day's entries (sum, count); for an event-day outcome it is
// whether any entry was an event (1 as soon as one was), so an attack logged after a "none" of
// the same day still makes it a migraine day.
void AddRating(std::map<int, std::pair<double, int>>& ratings, int day, double value,
               bool event_days) {
  auto& [sum, count] = ratings[day];
  if (event_days) {
    sum = count == 0 ? value : std::max(sum, value);
    count = 1;
    return;
  }
  sum += value;
  count += 1;
}

std::vector<SecondaryResult> AnalyseSecondaries(const Design& design,
                                                const std::vector<journal::Entry>& entries,
                                                int as_of) {
  std::vector<SecondaryResult> out;
  for (const Secondary& secondary : design.secondaries) {
    const Layout layout = design.LayoutFor(secondary.outcome);
    std::map<int, std::pair<double, int>> ratings;
    for (const journal::Entry& e : entries) {
      const int day = (e.date - design.start).count();
      if (day < 0 || day >= layout.total_days() || day > as_of) continue;
      if (const auto value = OutcomeValue(secondary.outcome, e)) {
        AddRating(ratings, day, *value, secondary.outcome.event_days);
      }
    }
    std::vector<std::optional<double>> daily(static_cast<size_t>(layout.total_days()));
    for (const auto& [day, sum_count] : ratings) {
      daily[static_cast<size_t>(day)] = sum_count.first / sum_count.second;
    }
    SecondaryResult result{secondary, AnalyseTrial(layout, daily, as_of), {}, {}};
    // Only the primary outcome has a verdict; a secondary has its (adjusted) p-value.
    result.analysis.verdict = Verdict::kNotEnoughData;
    result.analysis.rates.reset();
    if (result.analysis.finished && result.analysis.estimate &&
        result.analysis.usable_pairs >= kMinPairsForVerdict) {
      result.p = TwoSidedP(*result.analysis.estimate);
    }
    out.push_back(std::move(result));
  }
  // The family is every registered secondary: one without a p-value (too few pairs) still
  // counts, as 1, so a missing outcome cannot make the adjustment milder.
  std::vector<double> family;
  for (const SecondaryResult& s : out) {
    if (!s.secondary.added) family.push_back(s.p.value_or(1));
  }
  const std::vector<double> adjusted = HolmAdjust(family);
  size_t next = 0;
  for (SecondaryResult& s : out) {
    if (s.secondary.added) continue;
    if (s.p) s.p_holm = adjusted[next];
    ++next;
  }
  return out;
}

}  // namespace

bool DosedForArm(double logged_mg, double arm_mg, double other_mg) {
  return std::abs(logged_mg - arm_mg) < std::abs(logged_mg - other_mg);
}

Report BuildReport(const Design& design, const std::vector<journal::Entry>& entries, Date today,
                   std::optional<double> rda_mg) {
  Report r;
  r.design = design;
  r.rda_mg = rda_mg;
  const Layout layout = design.ToLayout();
  const int total = layout.total_days();
  // An ended trial is analysed up to its last day, whatever is logged after.
  const Date last = design.ended ? std::min(today, *design.ended) : today;
  r.as_of = last;
  const int as_of = (last - design.start).count();
  std::map<int, std::pair<double, int>> ratings;  // day -> (sum, count)
  std::map<int, double> intake;
  std::map<int, bool> dosed;
  std::map<int, double> dosed_mg;  // Two-dose designs: the magnesium of a day's logged doses.
  const bool blinded = design.blinding.has_value(), sealed = design.sealed();
  r.protocol = CheckProtocol(design);
  // The run-in's ratings are the baseline, shown beside the periods and never mixed into the
  // paired estimate (docs/STATISTICS.md, "The run-in"): the loop below skips days before day 0.
  r.run_in = CheckRunIn(design, entries, last);
  if (r.run_in && r.run_in->dosed > 0) {
    r.protocol.deviations.push_back(fmt::format(
        "A dose was logged on {} of the {} run-in days (the run-in is without magnesium).",
        r.run_in->dosed, r.run_in->days));
  }
  for (const journal::Entry& e : entries) {
    const int day = (e.date - design.start).count();
    if (day < 0 || day >= total || day > as_of) continue;
    if (const auto value = OutcomeValue(design.outcome, e)) {
      AddRating(ratings, day, *value, design.outcome.event_days);
    }
    if (e.kind == EntryKind::kDose && (!blinded || IsContainerDose(e))) {
      dosed[day] = true;
      dosed_mg[day] += e.magnesium_mg.value_or(0);
    }
    // A container dose is logged as if it were magnesium (the person cannot know); once
    // unblinded, the placebo days' container doses held none.
    const bool placebo_dose = blinded && !sealed && IsContainerDose(e) && !layout.OnMagnesium(day);
    if ((e.kind == EntryKind::kDose || e.kind == EntryKind::kFood ||
         e.kind == EntryKind::kSupplement) &&
        e.magnesium_mg) {
      // A two-dose design's other container held the lower dose, not none.
      if (!placebo_dose) {
        intake[day] += *e.magnesium_mg;
      } else if (design.two_dose()) {
        intake[day] += *design.lower_dose_mg;
      }
    }
    if (e.kind == EntryKind::kSideEffect) {
      r.side_effects.push_back({e.date, e.label, e.note, !sealed && layout.OnMagnesium(day),
                                sealed ? ContainerOn(design, day) : '\0'});
    }
  }
  std::vector<std::optional<double>> daily(static_cast<size_t>(total));
  for (const auto& [day, sum_count] : ratings) {
    const double mean = sum_count.first / sum_count.second;
    daily[static_cast<size_t>(day)] = mean;
    r.ratings.push_back({day, mean});
  }
  for (const auto& [day, mg] : intake) r.intake.push_back({day, mg});
  r.adherence.blinded = blinded;
  r.adherence.two_dose = design.two_dose();
  for (int day = 0; day < total && day <= as_of; ++day) {
    const bool on = sealed || layout.OnMagnesium(day);
    // Two-dose designs: a dose counts for its arm only when it is nearer that arm's dose.
    // (A blinded one's container doses are its arms: the container is the dose.)
    const bool has_dose =
        design.two_dose() && !blinded
            ? dosed.count(day) > 0 &&
                  DosedForArm(dosed_mg[day], design.DoseOf(on), design.DoseOf(!on))
            : dosed.count(day) > 0;
    if (on) {
      ++r.adherence.magnesium_days;
      r.adherence.magnesium_days_dosed += has_dose ? 1 : 0;
    } else {
      ++r.adherence.off_days;
      r.adherence.off_days_dosed += has_dose ? 1 : 0;
    }
  }
  r.analysis = AnalyseTrial(layout, daily, as_of);
  r.secondaries = AnalyseSecondaries(design, entries, as_of);
  if (sealed) {
    // Which periods held magnesium is not known here: no periods, no estimate, no verdict.
    r.analysis.periods.clear();
    r.analysis.estimate.reset();
    r.analysis.rates.reset();
    r.analysis.usable_pairs = 0;
    r.secondaries.clear();
  } else if (blinded) {
    r.blinding = ScoreBlinding(design, entries, as_of);
  }
  // Without a logged dose there is nothing to attribute a difference to: no verdict (the
  // periods and the estimate are still shown, for what they are).
  if (r.adherence.Unknown() || sealed || (r.run_in && r.run_in->failed())) {
    r.analysis.verdict = Verdict::kNotEnoughData;
  }
  r.conclusion = Conclusion(r, r.conclusion_command);
  return r;
}

// "18 % fewer" / "12 % more" / "no change" for a rate ratio.
std::string Change(double ratio) {
  const double percent = std::round(100 * (1 - ratio));
  if (percent > 0) return fmt::format("{:.0f} % fewer", percent);
  if (percent < 0) return fmt::format("{:.0f} % more", -percent);
  return "no change";
}

// The count model and, when the outcome has one, the prior from the pooled evidence. Labelled
// secondary: the verdict stays on the registered primary analysis (the period means).
std::string RenderRates(const Report& r) {
  const TrialAnalysis& a = r.analysis;
  const OutcomeSpec& o = r.design.outcome;
  if (!a.rates) return "";
  const RateAnalysis& k = *a.rates;
  const std::string mid = fmt::format("{:.0f} % fewer", 100 * o.mid);
  std::string out = fmt::format(
      "As counts (secondary analysis, a quasi-Poisson rate ratio): {} {} on {}, ratio "
      "{} (95 % interval {} to {}), from {} pairs{}. Probability of at least {}: {}; of any "
      "fewer: {}.\n",
      Change(k.ratio), o.unit,
      r.design.two_dose() ? "the plan dose than the lower dose" : "magnesium", Fixed(k.ratio),
      Change(k.ci_low), Change(k.ci_high), k.pairs,
      k.zero_corrected ? "; one arm had none at all, so 0.5 was added to every count" : "", mid,
      Percent(k.prob_at_least_mid), Percent(k.prob_better));
  if (o.prior) {
    const InformedRate p = CombineWithPrior(k, *o.prior, o.mid);
    out += fmt::format(
        "Read beside what trials in many people found, this trial means {} (95 % interval {} to "
        "{}); probability of at least {}: {}. Those trials: {}.\n",
        Change(p.ratio), Change(p.ci_low), Change(p.ci_high), mid, Percent(p.prob_at_least_mid),
        o.prior_source);
  }
  return out;
}

// "p = 0.031" / "p < 0.001".
std::string PValue(double p) {
  return p < 0.001 ? std::string("p < 0.001") : fmt::format("p = {:.3f}", p);
}

// What a secondary outcome showed, in words: a difference only where its (adjusted) p is below
// 0.05, in the direction of the estimate.
std::string SecondaryFinding(const SecondaryResult& s) {
  const std::optional<double> p = s.secondary.added ? s.p : s.p_holm;
  if (!p) return "not_enough_data";
  if (*p >= 0.05) return "no_clear_difference";
  return s.analysis.estimate->mean > 0 ? "better" : "worse";
}

// Secondary outcomes: registered ones with Holm-adjusted p-values, added ones as exploratory.
std::string RenderSecondaries(const Report& r) {
  if (r.secondaries.empty()) return "";
  const std::string on = r.design.two_dose() ? "the plan dose" : "magnesium";
  int registered = 0;
  for (const SecondaryResult& s : r.secondaries) registered += s.secondary.added ? 0 : 1;
  std::string out = "\n";
  if (registered > 0) {
    out += fmt::format(
        "Secondary outcomes ({} registered at the start; the verdict does not rest on them). "
        "Looking at {} outcomes instead of one makes it likelier that one differs by chance, so "
        "each p-value is Holm-adjusted over the {} and a difference is claimed only where the "
        "adjusted value is below 0.05:\n",
        registered, registered, registered);
  }
  for (const SecondaryResult& s : r.secondaries) {
    const OutcomeSpec& o = s.secondary.outcome;
    const bool exploratory = s.secondary.added.has_value();
    std::string line = fmt::format(
        "  {}{}: ", o.name,
        exploratory ? fmt::format(" (exploratory, added on {})", FormatDate(*s.secondary.added))
                    : "");
    if (!s.analysis.estimate) {
      line += "needs at least two complete pairs.";
    } else {
      const PairedAnalysis& e = *s.analysis.estimate;
      line += fmt::format("{} {} ({} better on {}; 95 % interval {} to {}, unadjusted)",
                          Signed(e.mean), o.unit, o.higher_is_better ? "higher" : "lower", on,
                          Signed(e.ci_low), Signed(e.ci_high));
      const std::string finding = SecondaryFinding(s);
      if (!s.p) {
        line += s.analysis.finished ? ", too few usable pairs for a p-value."
                                    : "; p-values wait for the end of the trial.";
      } else if (exploratory) {
        line += fmt::format(
            ", {} unadjusted: {}. Added after the start, so it is a lead to test "
            "in a new trial, not a result.",
            PValue(*s.p),
            finding == "no_clear_difference" ? "no clear difference" : finding + " on " + on);
      } else {
        line += fmt::format(
            ", {}, adjusted {}: {}.", PValue(*s.p),
            *s.p_holm < 0.001 ? std::string("< 0.001") : fmt::format("{:.3f}", *s.p_holm),
            finding == "no_clear_difference" ? "no clear difference" : finding + " on " + on);
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string RenderReportText(const Report& r) {
  const OutcomeSpec& o = r.design.outcome;
  const TrialAnalysis& a = r.analysis;
  std::string out =
      r.design.two_dose()
          ? fmt::format(
                "n-of-1 trial report: plan dose ({} mg) vs lower dose ({} mg) of magnesium "
                "for {}\n",
                FormatNumber(r.design.dose_mg), FormatNumber(*r.design.lower_dose_mg), o.name)
          : fmt::format("n-of-1 trial report: magnesium for {}\n", o.name);
  out += fmt::format(
      "Trial {} to {}, {} pairs of {}-day periods (the first {} days of each are washout); as "
      "of {}.\n",
      FormatDate(r.design.start), FormatDate(r.design.end()), r.design.pairs(), o.period_days,
      o.washout_days, FormatDate(r.as_of));
  if (r.run_in) {
    out += fmt::format("Run-in {} to {} ({} days, no magnesium): {} of {} ratings logged{}.\n",
                       FormatDate(r.run_in->first), FormatDate(r.run_in->last), r.run_in->days,
                       r.run_in->rated, r.run_in->expected,
                       r.run_in->failed() ? "; the trial stopped there" : "");
  }
  if (r.design.ended) {
    out += fmt::format("Ended early on {}{}.\n", FormatDate(*r.design.ended),
                       r.design.end_reason.empty() ? "" : ": " + r.design.end_reason);
  }
  if (r.design.blinding) {
    out +=
        r.design.sealed()
            ? fmt::format("Blinded: containers A and B; which one holds {} is still sealed.\n",
                          r.design.two_dose() ? "the plan dose" : "magnesium")
            : fmt::format("Blinded: container {} held {} (unblinded on {}).\n",
                          r.design.blinding->magnesium_container,
                          r.design.two_dose() ? "the plan dose" : "magnesium",
                          r.design.blinding->unblinded ? FormatDate(*r.design.blinding->unblinded)
                                                       : std::string("an earlier day"));
  }
  out += RenderProtocolCheck(r.protocol);
  out += "\n";
  // A sealed trial has no periods to show (which held magnesium is not known): no heading.
  if (!a.periods.empty() || r.run_in) out += "Period means (washout days excluded):\n";
  // The baseline first: beside the periods, for reading them, not part of the estimate.
  if (r.run_in) {
    out += fmt::format("  run-in  {}  {:<12}  {} ratings  {}  (baseline, not in the estimate)\n",
                       FormatDate(r.run_in->first), "no magnesium", r.run_in->rated,
                       r.run_in->mean ? Fixed(*r.run_in->mean) : std::string("no ratings"));
  }
  for (const PeriodSummary& p : a.periods) {
    const Date from = r.design.start + std::chrono::days{p.first_day};
    std::string mean = p.mean ? Fixed(*p.mean) : (p.complete ? "too few ratings" : "not finished");
    out += fmt::format("  pair {}  {}  {:<12}  {} ratings  {}\n", p.pair + 1, FormatDate(from),
                       r.design.two_dose() ? (p.magnesium ? "plan dose" : "lower dose")
                       : p.magnesium       ? "magnesium"
                                           : "no magnesium",
                       p.ratings, mean);
  }
  out += "\n";
  if (a.estimate) {
    const PairedAnalysis& e = *a.estimate;
    if (r.design.two_dose()) {
      out += fmt::format(
          "Effect, plan dose vs lower dose ({} better on the plan dose; positive = the plan dose "
          "helped more): {} {} (95 % interval {} to {}), from {} pairs{}.\n",
          o.higher_is_better ? "higher" : "lower", Signed(e.mean), o.unit, Signed(e.ci_low),
          Signed(e.ci_high), e.pairs, a.finished ? "" : " so far");
      out += fmt::format(
          "Probability that the plan dose improves it by at least {} {} (minimal important "
          "difference) more than the lower dose: {}; that it improves it more at all: {}.\n",
          FormatNumber(a.mid_absolute, 2), o.unit, Percent(e.prob_at_least_mid),
          Percent(e.prob_better));
    } else {
      out += fmt::format(
          "Effect ({} better on magnesium; positive = better): {} {} (95 % interval {} to {}), "
          "from {} pairs{}.\n",
          o.higher_is_better ? "higher" : "lower", Signed(e.mean), o.unit, Signed(e.ci_low),
          Signed(e.ci_high), e.pairs, a.finished ? "" : " so far");
      out += fmt::format(
          "Probability that magnesium improves it by at least {} {} (minimal important "
          "difference): {}; that it improves it at all: {}.\n",
          FormatNumber(a.mid_absolute, 2), o.unit, Percent(e.prob_at_least_mid),
          Percent(e.prob_better));
    }
  } else {
    out += "Effect: needs at least two complete pairs.\n";
  }
  out += RenderRates(r);
  out += fmt::format("Minimal important difference: {}.\n", o.mid_source);
  out += RenderSecondaries(r);
  const Adherence& ad = r.adherence;
  if (r.design.sealed()) {
    out += fmt::format("Adherence: a container dose logged on {} of {} days.\n",
                       ad.magnesium_days_dosed, ad.magnesium_days);
  } else if (ad.two_dose) {
    out += fmt::format(
        "Adherence: a dose near {} mg logged on {} of {} plan-dose days and near {} mg on {} of "
        "{} lower-dose days (a day counts for its arm when its logged dose is nearer that arm's "
        "dose than the other's).\n",
        FormatNumber(r.design.dose_mg), ad.magnesium_days_dosed, ad.magnesium_days,
        FormatNumber(*r.design.lower_dose_mg), ad.off_days_dosed, ad.off_days);
  } else if (ad.blinded) {
    out += fmt::format(
        "Adherence: dose logged on {} of {} magnesium days and {} of {} placebo days.\n",
        ad.magnesium_days_dosed, ad.magnesium_days, ad.off_days_dosed, ad.off_days);
  } else {
    out += fmt::format(
        "Adherence: dose logged on {} of {} magnesium days; {} of {} no-magnesium days "
        "had a dose logged.\n",
        ad.magnesium_days_dosed, ad.magnesium_days, ad.off_days_dosed, ad.off_days);
  }
  if (r.blinding) {
    const auto arm = [](const char* name, const ArmGuesses& g) {
      const auto bi = g.BangIndex();
      return fmt::format("  {} days: {} right, {} wrong, {} unsure; blinding index {}\n", name,
                         g.correct, g.incorrect, g.unsure,
                         bi ? fmt::format("{:+.2f}", *bi) : std::string("(no guesses)"));
    };
    out += "Guesses (blinding index: 0 = no better than chance, 1 = always recognised):\n";
    out += r.design.two_dose()
               ? arm("Plan-dose", r.blinding->magnesium) + arm("Lower-dose", r.blinding->placebo)
               : arm("Magnesium", r.blinding->magnesium) + arm("Placebo", r.blinding->placebo);
    out += "  " + r.blinding->meaning + "\n";
  }
  if (r.side_effects.empty()) {
    out += "Side effects: none logged.\n";
  } else {
    int on = 0;
    for (const SideEffect& s : r.side_effects) on += s.magnesium ? 1 : 0;
    out += fmt::format("Side effects: {} logged ({} in {} periods):\n", r.side_effects.size(), on,
                       ad.two_dose ? "plan-dose" : "magnesium");
    for (const SideEffect& s : r.side_effects) {
      out += fmt::format("  {}  {}{}  ({})\n", FormatDate(s.date), s.what,
                         s.note.empty() ? "" : ": " + s.note,
                         s.container != 0 ? fmt::format("container {}", s.container)
                         : ad.two_dose    ? (s.magnesium ? "plan dose" : "lower dose")
                         : s.magnesium    ? "magnesium"
                         : ad.blinded     ? "placebo"
                                          : "no magnesium");
    }
  }
  out += "\nConclusion: " + r.conclusion + "\n";
  if (!r.conclusion_command.empty()) out += "Next: " + r.conclusion_command + "\n";
  return out;
}

nlohmann::json ReportToJson(const Report& r) {
  const TrialAnalysis& a = r.analysis;
  nlohmann::json periods = nlohmann::json::array();
  for (const PeriodSummary& p : a.periods) {
    periods.push_back({{"pair", p.pair + 1},
                       {"start", FormatDate(r.design.start + std::chrono::days{p.first_day})},
                       {"magnesium", p.magnesium},
                       {"ratings", p.ratings},
                       {"complete", p.complete},
                       {"mean", p.mean ? nlohmann::json(*p.mean) : nlohmann::json(nullptr)}});
  }
  nlohmann::json estimate = nullptr;
  if (a.estimate) {
    const PairedAnalysis& e = *a.estimate;
    estimate = {{"improvement", e.mean},
                {"ci95_low", e.ci_low},
                {"ci95_high", e.ci_high},
                {"sd", e.sd},
                {"se", e.se},
                {"pairs", e.pairs},
                {"prob_at_least_mid", e.prob_at_least_mid},
                {"prob_better", e.prob_better}};
  }
  nlohmann::json rates = nullptr;
  if (a.rates) {
    const RateAnalysis& k = *a.rates;
    rates = {{"ratio", k.ratio},
             {"ci95_low", k.ci_low},
             {"ci95_high", k.ci_high},
             {"log_ratio", k.log_ratio},
             {"se", k.se},
             {"dispersion", k.dispersion},
             {"pairs", k.pairs},
             {"zero_corrected", k.zero_corrected},
             {"prob_at_least_mid", k.prob_at_least_mid},
             {"prob_better", k.prob_better},
             {"informed", nullptr}};
    if (r.design.outcome.prior) {
      const InformedRate p = CombineWithPrior(k, *r.design.outcome.prior, r.design.outcome.mid);
      rates["informed"] = {{"ratio", p.ratio},
                           {"ci95_low", p.ci_low},
                           {"ci95_high", p.ci_high},
                           {"prob_at_least_mid", p.prob_at_least_mid},
                           {"prob_better", p.prob_better},
                           {"source", r.design.outcome.prior_source}};
    }
  }
  nlohmann::json side_effects = nlohmann::json::array();
  for (const SideEffect& s : r.side_effects) {
    side_effects.push_back(
        {{"date", FormatDate(s.date)},
         // The person's text: one stored before the UTF-8 check is shown
         // as U+FFFD, so the report still serialises.
         {"what", ReplaceInvalidUtf8(s.what)},
         {"note", ReplaceInvalidUtf8(s.note)},
         {"magnesium", s.magnesium},
         {"container", s.container != 0 ? nlohmann::json(std::string(1, s.container))
                                        : nlohmann::json(nullptr)}});
  }
  nlohmann::json j = {
      {"outcome", r.design.outcome.id},
      {"start", FormatDate(r.design.start)},
      {"end", FormatDate(r.design.end())},
      {"as_of", FormatDate(r.as_of)},
      {"finished", a.finished},
      {"usable_pairs", a.usable_pairs},
      {"planned_pairs", r.design.pairs()},
      {"mid", a.mid_absolute},
      {"higher_is_better", r.design.outcome.higher_is_better},
      {"periods", periods},
      {"estimate", estimate},
      {"rates", rates},
      {"verdict", VerdictName(a.verdict)},
      {"adherence",
       {{"magnesium_days", r.adherence.magnesium_days},
        {"magnesium_days_dosed", r.adherence.magnesium_days_dosed},
        {"off_days", r.adherence.off_days},
        {"off_days_dosed", r.adherence.off_days_dosed}}},
      {"side_effects", side_effects},
      {"conclusion", r.conclusion},
      // What the text report shows besides: the outcome in words and where its MID comes from.
      {"outcome_name", r.design.outcome.name},
      {"unit", r.design.outcome.unit},
      {"period_days", r.design.outcome.period_days},
      {"washout_days", r.design.outcome.washout_days},
      {"mid_source", r.design.outcome.mid_source},
      {"ended",
       r.design.ended ? nlohmann::json(FormatDate(*r.design.ended)) : nlohmann::json(nullptr)},
      {"end_reason",
       r.design.end_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.design.end_reason)},
      {"adherence_known", !r.adherence.Unknown()},
      {"protocol", ProtocolCheckToJson(r.protocol)},
      {"blinded", r.design.blinding.has_value()},
      {"sealed", r.design.sealed()},
  };
  if (!r.design.secondaries.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const SecondaryResult& s : r.secondaries) {
      const OutcomeSpec& o = s.secondary.outcome;
      nlohmann::json estimate = nullptr;
      if (s.analysis.estimate) {
        const PairedAnalysis& e = *s.analysis.estimate;
        estimate = {{"improvement", e.mean}, {"ci95_low", e.ci_low}, {"ci95_high", e.ci_high},
                    {"pairs", e.pairs},      {"sd", e.sd},           {"se", e.se}};
      }
      list.push_back({{"outcome", o.id},
                      {"outcome_name", o.name},
                      {"unit", o.unit},
                      {"higher_is_better", o.higher_is_better},
                      {"registered", !s.secondary.added},
                      {"added", s.secondary.added ? nlohmann::json(FormatDate(*s.secondary.added))
                                                  : nlohmann::json(nullptr)},
                      {"usable_pairs", s.analysis.usable_pairs},
                      {"estimate", estimate},
                      {"p", s.p ? nlohmann::json(*s.p) : nlohmann::json(nullptr)},
                      {"p_holm", s.p_holm ? nlohmann::json(*s.p_holm) : nlohmann::json(nullptr)},
                      {"finding", SecondaryFinding(s)}});
    }
    j["secondaries"] = std::move(list);
  }
  // Only with a run-in, so the report of a design without one reads as it did.
  if (r.run_in) j["run_in"] = RunInToJson(*r.run_in);
  // Only for a two-dose design: the comparison is the plan dose vs the lower dose ("magnesium"
  // of the periods and side effects, and the adherence's magnesium days, are the plan dose's).
  if (r.design.two_dose()) {
    j["comparison"] = "plan_dose_vs_lower_dose";
    j["dose_mg"] = r.design.dose_mg;
    j["lower_dose_mg"] = *r.design.lower_dose_mg;
  }
  if (r.blinding) {
    const auto arm = [](const ArmGuesses& g) {
      const auto bi = g.BangIndex();
      return nlohmann::json{{"correct", g.correct},
                            {"incorrect", g.incorrect},
                            {"unsure", g.unsure},
                            {"bang_index", bi ? nlohmann::json(*bi) : nlohmann::json(nullptr)}};
    };
    j["blinding"] = {{"magnesium", arm(r.blinding->magnesium)},
                     {"placebo", arm(r.blinding->placebo)},
                     {"meaning", r.blinding->meaning}};
  } else {
    j["blinding"] = nullptr;
  }
  return j;
}

}  // namespace mg::trial
