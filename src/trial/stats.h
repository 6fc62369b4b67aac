// The statistics of an n-of-1 trial, as pure functions (no I/O, no clock), so thousands of
// simulated trials run in milliseconds. Method and its checks: docs/STATISTICS.md.
//
// Analysis: each period's mean is taken over its analysed days (washout days excluded). Within
// every magnesium / no-magnesium pair the improvement is the off-period mean minus the
// on-period mean for a lower-is-better scale (the reverse for higher-is-better), so positive
// always means "better on magnesium". The estimate is the mean improvement over usable pairs,
// with a Student-t 95 % interval on n - 1 degrees of freedom. Under the reference prior
// p(mu, sigma) ∝ 1/sigma the posterior of the mean improvement is that same t distribution,
// which gives P(improvement >= minimal important difference).
#ifndef MGADVISOR_TRIAL_STATS_H_
#define MGADVISOR_TRIAL_STATS_H_

#include <optional>
#include <vector>

namespace mg::trial {

// Student t distribution with `df` > 0 degrees of freedom.
double StudentTCdf(double t, double df);
// REQUIRES: 0 < p < 1.
double StudentTQuantile(double p, double df);

struct PairedAnalysis {
  int pairs = 0;      // Usable pairs.
  double mean = 0;    // Mean improvement.
  double sd = 0;      // Sample standard deviation of the pair improvements.
  double se = 0;      // sd / sqrt(pairs).
  double ci_low = 0;  // 95 % interval for the mean improvement.
  double ci_high = 0;
  double prob_at_least_mid = 0;  // Posterior P(improvement >= mid).
  double prob_better = 0;        // Posterior P(improvement > 0).
};

// REQUIRES: improvements.size() >= 2.
PairedAnalysis AnalysePairs(const std::vector<double>& improvements, double mid);

// Two-sided p-value of "no difference" for the paired analysis (Student t on pairs - 1 degrees
// of freedom): below 0.05 exactly when the 95 % interval excludes 0. 0 or 1 when every pair gave
// the same difference (se = 0).
double TwoSidedP(const PairedAnalysis& analysis);

// Holm's step-down adjustment (Holm 1979): the i-th smallest of m p-values is multiplied by
// m - i + 1, made non-decreasing in that order, and capped at 1. Rejecting where the adjusted
// p < alpha keeps the chance of any false claim over the family at alpha or below, whatever the
// dependence between the tests. Returns the adjusted values in the input's order.
std::vector<double> HolmAdjust(const std::vector<double>& p);

// Count outcomes (cramps a night): a secondary analysis beside the paired means, on the counts
// themselves. Within each pair, given the pair's total events, the magnesium period's events are
// binomial with p = t_on·R / (t_on·R + t_off) under a Poisson model with a rate per pair (the
// pair's own baseline cancels: a conditional Poisson model); the rate ratio R is its maximum
// likelihood estimate. Overdispersion (nights or periods that vary more than Poisson allows) is
// taken from the Pearson chi-square over the pairs (quasi-Poisson), and the 95 %
// interval uses Student t on pairs − 1 degrees of freedom. Method: docs/STATISTICS.md.
struct PairCounts {
  double events_on = 0;   // Events counted on the magnesium period's analysed, rated days.
  double days_on = 0;     // Those days.
  double events_off = 0;  // The same for the no-magnesium period.
  double days_off = 0;
};
struct RateAnalysis {
  int pairs = 0;     // Pairs with at least one event (the others carry no information).
  double ratio = 1;  // Rate on magnesium / rate off it: 0.8 is 20 % fewer.
  double log_ratio = 0;
  double se = 0;          // Of log_ratio, dispersion included.
  double dispersion = 1;  // Pearson chi-square / (pairs − 1).
  double ci_low = 0;      // 95 % interval of the ratio.
  double ci_high = 0;
  bool zero_corrected = false;   // One arm had no events at all: 0.5 was added to every cell.
  double prob_at_least_mid = 0;  // P(ratio <= 1 − mid_fraction), neutral (flat) prior.
  double prob_better = 0;        // P(ratio < 1), neutral prior.
};
// nullopt with fewer than 2 informative pairs. REQUIRES: days > 0 in every pair.
std::optional<RateAnalysis> AnalyseRates(const std::vector<PairCounts>& pairs, double mid_fraction);

// What trials in many people found, as a normal prior on the log rate ratio (data/trial/
// outcomes.toml, with its source), combined with the trial's estimate (normal approximation):
// shown beside the neutral analysis, never instead of it.
struct RatePrior {
  double log_ratio_mean = 0;
  double log_ratio_sd = 1;
};
struct InformedRate {
  double ratio = 1;   // Posterior median.
  double ci_low = 0;  // 95 % credible interval.
  double ci_high = 0;
  double prob_at_least_mid = 0;
  double prob_better = 0;
};
InformedRate CombineWithPrior(const RateAnalysis& rates, const RatePrior& prior,
                              double mid_fraction);

// The shape of a trial, in days counted from its first day (day 0).
struct Layout {
  int period_days = 14;
  int washout_days = 4;               // First days of each period, not analysed.
  int rating_every = 1;               // 1 daily, 7 weekly.
  double min_ratings = 0.5;           // Fraction of expected ratings a period needs to count.
  std::vector<bool> magnesium_first;  // One per pair: is the first period of the pair "on"?
  bool higher_is_better = false;
  double mid = 2;             // Minimal important difference (absolute, or fraction if relative).
  bool mid_relative = false;  // mid is a fraction of the mean of the off-magnesium periods.
  bool counts = false;        // Daily values are counts of events: AnalyseRates is added.
  // Period means are multiplied by this (28: event days per 28 days); the count model divides it
  // out again, so only what is shown changes, never a verdict or a probability.
  double per_days = 1;

  int pairs() const { return static_cast<int>(magnesium_first.size()); }
  int total_days() const { return pairs() * 2 * period_days; }
  // Is day `day` (0-based from the start) in a magnesium period?
  bool OnMagnesium(int day) const;
  bool IsWashout(int day) const { return day % period_days < washout_days; }
  // Ratings a complete period needs before its mean counts (at least 1).
  int MinRatingsPerPeriod() const;
};

struct PeriodSummary {
  int pair = 0;  // 0-based.
  bool magnesium = false;
  int first_day = 0;           // 0-based day of the trial.
  int ratings = 0;             // Ratings on analysed days.
  std::optional<double> mean;  // Set when the period is complete and has enough ratings.
  bool complete = false;       // The period's last day is on or before `as_of`.
};

enum class Verdict {
  kNotEnoughData,        // Trial not finished, or too few usable pairs.
  kBenefit,              // Interval entirely above zero.
  kNoMeaningfulBenefit,  // Interval entirely below the minimal important difference.
  kWorse,                // Interval entirely below zero.
  kInconclusive,         // The interval spans zero and the minimal important difference.
};
const char* VerdictName(Verdict verdict);  // "not_enough_data", "benefit", ...

// A verdict needs the whole trial and at least this many usable pairs: looking early and
// stopping on a good result would inflate false claims of benefit.
inline constexpr int kMinPairsForVerdict = 3;

struct TrialAnalysis {
  std::vector<PeriodSummary> periods;
  int usable_pairs = 0;
  double mid_absolute = 0;                 // The minimal important difference in scale units.
  std::optional<PairedAnalysis> estimate;  // Set with >= 2 usable pairs (interim or final).
  std::optional<RateAnalysis> rates;       // Layout.counts, with >= 2 informative pairs.
  bool finished = false;                   // as_of is on or after the last day.
  Verdict verdict = Verdict::kNotEnoughData;
};

// `daily[d]` is the rating of day d (0-based) when there is one; days past the vector's end or
// after `as_of` count as missing. REQUIRES: layout.pairs() >= 1, period_days > washout_days.
TrialAnalysis AnalyseTrial(const Layout& layout, const std::vector<std::optional<double>>& daily,
                           int as_of);

// True when the analysis tells the user magnesium helped (what the simulations count).
inline bool ClaimsBenefit(const TrialAnalysis& a) { return a.verdict == Verdict::kBenefit; }

}  // namespace mg::trial

#endif  // MGADVISOR_TRIAL_STATS_H_
