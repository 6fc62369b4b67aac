// The SPENT-style protocol text, its hash, and the check the report makes against it.
#include "trial/protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/crypto.h"
#include "core/numbers.h"
#include "trial/blinding.h"

namespace mg::trial {
namespace {

using journal::FormatDate;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

}  // namespace

// Version 1 of the text, and version 2 for a design with secondary outcomes: version 1's lines
// plus the secondaries and their analysis (a design without them still gets version 1, byte for
// byte). Version 3 for a design with a run-in (issue 16): its dates, the run-in in place of "No
// run-in period", and the rule that stops the trial after a failed run-in; with or without
// secondaries (their lines as in version 2). Designs without a run-in keep version 1 or 2. The
// wording is part of every hash registered with it: change it only together with a new version
// marker (the golden tests in protocol_blinding_test.cc show any change), or the reports of running
// trials would list the new wording as "changes after the start". Version 4 for a two-dose
// design (issue 16), whatever else it has: the question, the interventions, the allocation, the
// effect and what the design cannot tell are those of a comparison of the plan's dose with a
// lower dose (the run-in and secondaries as in version 3 and 2). Designs with no lower dose keep
// version 1, 2 or 3, byte for byte.
std::string ProtocolText(const Design& design) {
  const OutcomeSpec& o = design.outcome;
  const bool blind = design.blinding.has_value();
  const std::string dose =
      fmt::format("{} mg of elemental magnesium a day{}", FormatNumber(design.dose_mg),
                  design.form.empty() ? "" : " as " + design.form);
  const bool v4 = design.two_dose();
  const std::string lower_dose =
      v4 ? fmt::format("{} mg of elemental magnesium a day{}", FormatNumber(*design.lower_dose_mg),
                       design.form.empty() ? "" : " as " + design.form)
         : "";
  const std::string comparator =
      v4 && blind ? fmt::format("{}, in capsules that look the same as the plan dose's (blinded)",
                                lower_dose)
      : v4    ? fmt::format("{} (open label: the person knows which period is which)", lower_dose)
      : blind ? "an identical-looking placebo (same capsule or drink, no magnesium)"
              : "no magnesium supplement (open label: the person knows which period is which)";
  const std::string mid = o.mid_relative
                              ? fmt::format("{} % of the {} mean", FormatNumber(100 * o.mid, 1),
                                            v4 ? "lower-dose" : "no-magnesium")
                              : fmt::format("{} {}", FormatNumber(o.mid, 2), o.unit);
  std::string t;
  t += fmt::format("# Protocol: {} n-of-1 trial of {} for {}\n\n",
                   blind ? "blinded, randomised" : "open-label, randomised",
                   v4 ? "two doses of magnesium" : "magnesium", o.name);
  const bool v2 = !design.secondaries.empty();
  const bool v3 = design.run_in_days > 0;
  t += fmt::format(
      "Protocol version {} (mgadvisor). The SHA-256 of this text was shown when the trial was "
      "saved; the report checks it.\n\n",
      v4   ? 4
      : v3 ? 3
      : v2 ? 2
           : 1);
  t += "## Administrative information\n";
  t += "- Participant and investigator: one person testing a supplement on themself; no sponsor, "
       "no funding, not registered with a trial registry.\n";
  if (v3) {
    t += fmt::format(
        "- Planned dates: {} to {} ({} days): a {}-day run-in, then the pairs from {}.\n\n",
        FormatDate(design.first_day()), FormatDate(design.end()),
        design.run_in_days + design.ToLayout().total_days(), design.run_in_days,
        FormatDate(design.start));
  } else {
    t += fmt::format("- Planned dates: {} to {} ({} days).\n\n", FormatDate(design.start),
                     FormatDate(design.end()), design.ToLayout().total_days());
  }
  t += "## Question\n";
  if (v4) {
    t += fmt::format(
        "- Does {} (the plan's dose) improve my {} by at least the minimal important difference "
        "({}) more than {} (the lower dose)?\n",
        dose, o.name, mid, lower_dose);
    t += "- Not asked: whether either dose helps compared with no magnesium (both periods of "
         "every pair are magnesium).\n";
  } else {
    t += fmt::format(
        "- Does {} improve my {} by at least the minimal important difference ({}) compared "
        "with {}?\n",
        dose, o.name, mid, blind ? "a placebo" : "taking none");
  }
  t += fmt::format("- Minimal important difference: {}.\n\n", o.mid_source);
  t += "## Design\n";
  t += fmt::format(
      "- Multiple crossover: {} pairs of periods; each pair has one {} and one {} period, in "
      "random order.\n",
      design.pairs(), v4 ? "plan-dose" : "magnesium", v4 ? "lower-dose" : "comparison");
  t += fmt::format(
      "- Period length: {} days. Washout: the first {} days of every period are "
      "rated but not analysed (carry-over from the period before).\n",
      o.period_days, o.washout_days);
  if (v3) {
    const std::optional<RunIn> run_in = CheckRunIn(design, {}, design.first_day());
    t += fmt::format(
        "- Run-in: {} days, {} to {}, before the first pair: no magnesium{}, the outcome rated "
        "as in the periods. Its ratings are the baseline shown beside the periods; they are not "
        "part of the paired comparison.\n",
        design.run_in_days, FormatDate(run_in->first), FormatDate(run_in->last),
        blind ? " and nothing from the containers" : "");
    t += fmt::format(
        "- The pairs begin only if the run-in has at least {} of its {} expected ratings and "
        "{}; otherwise the trial stops there, with no verdict, and a new trial may be "
        "planned.\n",
        run_in->needed, run_in->expected,
        o.counts ? "they count at least one event (with none, a trial could not show fewer)"
                 : fmt::format("not every one is {}, the best end of the scale",
                               FormatNumber(o.higher_is_better ? o.scale_max : o.scale_min)));
    t += "- No interim analysis is acted on (the verdict waits for the last day).\n\n";
  } else {
    t += "- No run-in period; no interim analysis is acted on (the verdict waits for the last "
         "day).\n\n";
  }
  t += "## Interventions\n";
  t += fmt::format("- {} periods: {}.\n", v4 ? "Plan-dose" : "Magnesium", dose);
  t += fmt::format("- {} periods: {}.\n", v4 ? "Lower-dose" : "Comparison", comparator);
  t += "- Everything else (medicines, other supplements, stretching, sleep habits) stays as it "
       "was; any change is written in the journal as a note.\n\n";
  t += "## Outcome\n";
  t +=
      fmt::format("- Primary: {} ({}; {} is better), rated {}.\n", o.name, o.unit,
                  o.higher_is_better ? "higher" : "lower",
                  o.rating_every == 1 ? "every day" : fmt::format("every {} days", o.rating_every));
  const auto rated = [](const OutcomeSpec& so) {
    return fmt::format(
        "{} ({}; {} is better), rated {}", so.name, so.unit,
        so.higher_is_better ? "higher" : "lower",
        so.rating_every == 1 ? "every day" : fmt::format("every {} days", so.rating_every));
  };
  for (const Secondary& secondary : design.secondaries) {
    if (secondary.added) {
      t += fmt::format("- Exploratory, added on {} after the start: {}.\n",
                       FormatDate(*secondary.added), rated(secondary.outcome));
    } else {
      t += fmt::format("- Secondary: {}.\n", rated(secondary.outcome));
    }
  }
  t += "- Adherence: each dose logged on the day it is taken. Harms: every side effect logged "
       "with its date.\n\n";
  t += "## Allocation\n";
  const std::vector<bool> a_first = ContainerAFirst(design);
  std::string order;
  for (size_t i = 0; i < a_first.size(); ++i) {
    if (i > 0) order += ", ";
    order += blind ? (a_first[i] ? "A then B" : "B then A")
             : v4  ? (a_first[i] ? "plan dose first" : "lower dose first")
                   : (a_first[i] ? "magnesium first" : "no magnesium first");
  }
  t += fmt::format(
      "- Order within each pair from a seeded random generator (std::mt19937_64, seed {}): "
      "{}.\n",
      design.seed, order);
  if (blind && v4) {
    t += "- Blinding: a helper fills two identical containers, A and B, one with each dose; which "
         "one holds the plan's dose was drawn from the operating system's random source and is "
         "written only on the helper's sheet. The journal keeps a commitment to it, SHA-256 " +
         design.blinding->commitment +
         ". The person logs a guess (higher, lower or unsure) with each dose and unblinds with "
         "the helper's key after the last day.\n\n";
  } else if (blind) {
    t += "- Blinding: a helper fills two identical containers, A and B; which one holds "
         "magnesium was drawn from the operating system's random source and is written only on "
         "the helper's sheet. The journal keeps a commitment to it, SHA-256 " +
         design.blinding->commitment +
         ". The person logs a guess (magnesium, placebo or unsure) with each dose and unblinds "
         "with the helper's key after the last day.\n\n";
  } else if (v4) {
    t += "- Not blinded: the person knows which periods have the plan's dose; expectation can "
         "account for part of any difference.\n\n";
  } else {
    t += "- Not blinded: the person knows which periods are magnesium periods; expectation can "
         "account for part of any difference.\n\n";
  }
  t += "## Analysis\n";
  t += fmt::format(
      "- A period counts when at least {} % of its expected ratings after washout are logged.\n",
      FormatNumber(100 * o.min_ratings, 0));
  if (v4) {
    t += "- Effect (plan dose vs lower dose): within each pair, the lower-dose period's mean "
         "minus the plan-dose period's mean (for a scale where higher is better, the reverse), "
         "averaged over the pairs, with a 95 % Student-t interval; the probability that the "
         "effect reaches the minimal important difference under a neutral (reference) prior.\n";
    t += fmt::format(
        "- Verdict only at the end, with at least {} usable pairs and doses logged near each "
        "period's dose: the plan's dose helped more when the interval lies above zero, not "
        "meaningfully more when it lies below the minimal important difference, less when it "
        "lies below zero, otherwise inconclusive. Two doses of magnesium are expected to differ "
        "less than magnesium and none, so this comparison has less power.\n\n",
        kMinPairsForVerdict);
  } else {
    t += "- Effect: within each pair, the comparison period's mean minus the magnesium period's "
         "mean (for a scale where higher is better, the reverse), averaged over the pairs, with "
         "a 95 % Student-t interval; the probability that the effect reaches the minimal "
         "important difference under a neutral (reference) prior.\n";
    t += fmt::format(
        "- Verdict only at the end, with at least {} usable pairs and a dose logged on magnesium "
        "days: benefit when the interval lies above zero, no meaningful benefit when it lies "
        "below the minimal important difference, worse when it lies below zero, otherwise "
        "inconclusive.\n\n",
        kMinPairsForVerdict);
  }
  if (v2) {
    t.erase(t.size() - 1);  // The analysis section goes on.
    t += "- Secondary outcomes: the same analysis for each; the verdict rests on the primary "
         "outcome alone. Their two-sided p-values are Holm-adjusted over the secondaries "
         "registered here, and a difference is reported only where the adjusted value is below "
         "0.05; one added after the start is exploratory and not adjusted.\n\n";
  }
  t += "## Stopping and safety\n";
  t += "- Stop at once for a red flag or a side effect that is not tolerable, and end the trial "
       "in mgadvisor with the reason; the report then analyses the days before and gives no "
       "verdict.\n";
  if (v4) {
    t += "- The plan's dose comes from the person's plan and never exceeds the supplemental "
         "upper limit; the lower dose is above 0 and below it.\n";
  } else {
    t += "- The dose comes from the person's plan and never exceeds the supplemental upper "
         "limit.\n";
  }
  return t;
}

RegisteredProtocol RegisterProtocol(const Design& design) {
  RegisteredProtocol p;
  p.text = ProtocolText(design);
  p.sha256 = Sha256Hex(p.text);
  return p;
}

ProtocolCheck CheckProtocol(const Design& design) {
  ProtocolCheck c;
  if (design.ended) {
    c.deviations.push_back(
        fmt::format("Ended early on {} (planned end {}){}.", FormatDate(*design.ended),
                    FormatDate(design.end()),
                    design.end_reason.empty() ? "" : fmt::format(": \"{}\"", design.end_reason)));
  }
  if (design.blinding && design.blinding->unblinded &&
      *design.blinding->unblinded <= design.end() &&
      !(design.ended && *design.blinding->unblinded >= *design.ended)) {
    c.deviations.push_back(fmt::format("Unblinded on {}, before the planned end.",
                                       FormatDate(*design.blinding->unblinded)));
  }
  if (!design.protocol) return c;
  c.registered = true;
  c.sha256 = design.protocol->sha256;
  c.intact = Sha256Hex(design.protocol->text) == design.protocol->sha256;
  // A line diff as sets: the protocol's lines are distinct sentences, so what was dropped and
  // what appeared is the readable answer (a full edit script would add nothing for a person).
  const std::vector<std::string> registered = Lines(design.protocol->text);
  const std::vector<std::string> now = Lines(ProtocolText(design));
  const std::set<std::string> registered_set(registered.begin(), registered.end());
  const std::set<std::string> now_set(now.begin(), now.end());
  for (const std::string& line : registered) {
    if (!line.empty() && now_set.count(line) == 0) c.removed.push_back(line);
  }
  for (const std::string& line : now) {
    if (!line.empty() && registered_set.count(line) == 0) c.added.push_back(line);
  }
  return c;
}

nlohmann::json ProtocolCheckToJson(const ProtocolCheck& c) {
  return {{"registered", c.registered},
          {"sha256", c.registered ? nlohmann::json(c.sha256) : nlohmann::json(nullptr)},
          {"intact", c.intact},
          {"changes", {{"removed", c.removed}, {"added", c.added}}},
          {"deviations", c.deviations}};
}

std::string RenderProtocolCheck(const ProtocolCheck& c) {
  std::string out;
  if (!c.registered) {
    out += "Protocol: none registered (this trial was saved before mgadvisor wrote protocols).\n";
  } else {
    out += fmt::format(
        "Protocol: SHA-256 {} (registered at the start; `mgadvisor trial protocol` "
        "prints it).\n",
        c.sha256);
    if (!c.intact) {
      out +=
          "  WARNING: the stored protocol text no longer has this hash: it was edited after "
          "the start.\n";
    }
    if (c.removed.empty() && c.added.empty()) {
      out += "  Changes after the start: none.\n";
    } else {
      out += "  Changes after the start (registered → now):\n";
      for (const std::string& line : c.removed) out += "    - " + line + "\n";
      for (const std::string& line : c.added) out += "    + " + line + "\n";
    }
  }
  for (const std::string& d : c.deviations) out += "  Deviation: " + d + "\n";
  return out;
}

}  // namespace mg::trial
