#include "trial/stats.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace mg::trial {
namespace {

// Continued fraction for the regularised incomplete beta function (modified Lentz's method;
// Press et al., Numerical Recipes, 3rd ed., section 6.4).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

// I_x(a, b).
double RegularizedBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

}  // namespace

double StudentTCdf(double t, double df) {
  assert(df > 0);
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  double x = df / (df + t * t);
  double tail = 0.5 * RegularizedBeta(df / 2, 0.5, x);  // P(T > |t|).
  return t >= 0 ? 1 - tail : tail;
}

double StudentTQuantile(double p, double df) {
  assert(p > 0 && p < 1);
  if (p == 0.5) return 0;
  if (p < 0.5) return -StudentTQuantile(1 - p, df);
  // Bracket, then bisect: the CDF is monotone and this is not on a hot path.
  double lo = 0, hi = 1;
  while (StudentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    double mid = 0.5 * (lo + hi);
    (StudentTCdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

PairedAnalysis AnalysePairs(const std::vector<double>& improvements, double mid) {
  assert(improvements.size() >= 2);
  PairedAnalysis out;
  const double n = static_cast<double>(improvements.size());
  out.pairs = static_cast<int>(improvements.size());
  double sum = 0;
  for (double d : improvements) sum += d;
  out.mean = sum / n;
  double ss = 0;
  for (double d : improvements) ss += (d - out.mean) * (d - out.mean);
  out.sd = std::sqrt(ss / (n - 1));
  out.se = out.sd / std::sqrt(n);
  const double df = n - 1;
  if (out.se == 0) {  // Every pair gave the same difference: the t machinery degenerates.
    out.ci_low = out.ci_high = out.mean;
    out.prob_at_least_mid = out.mean >= mid ? 1 : 0;
    out.prob_better = out.mean > 0 ? 1 : 0;
    return out;
  }
  const double half_width = StudentTQuantile(0.975, df) * out.se;
  out.ci_low = out.mean - half_width;
  out.ci_high = out.mean + half_width;
  // Posterior of the mean improvement: mean + se * t(df).
  out.prob_at_least_mid = 1 - StudentTCdf((mid - out.mean) / out.se, df);
  out.prob_better = 1 - StudentTCdf(-out.mean / out.se, df);
  return out;
}

double TwoSidedP(const PairedAnalysis& a) {
  if (a.se == 0) return a.mean == 0 ? 1 : 0;
  const double t = std::abs(a.mean) / a.se;
  return std::min(1.0, 2 * (1 - StudentTCdf(t, a.pairs - 1)));
}

std::vector<double> HolmAdjust(const std::vector<double>& p) {
  std::vector<size_t> order(p.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> out(p.size());
  const double m = static_cast<double>(p.size());
  double running = 0;
  for (size_t rank = 0; rank < order.size(); ++rank) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(rank)) * p[order[rank]]));
    out[order[rank]] = running;
  }
  return out;
}

bool Layout::OnMagnesium(int day) const {
  const int period = day / period_days;
  const int pair = period / 2;
  const bool first = period % 2 == 0;
  return magnesium_first[static_cast<size_t>(pair)] == first;
}

int Layout::MinRatingsPerPeriod() const {
  const int analysed = period_days - washout_days;
  const int expected = analysed / rating_every;
  const int needed = static_cast<int>(std::ceil(min_ratings * expected - 1e-9));
  return needed < 1 ? 1 : needed;
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotEnoughData:
      return "not_enough_data";
    case Verdict::kBenefit:
      return "benefit";
    case Verdict::kNoMeaningfulBenefit:
      return "no_meaningful_benefit";
    case Verdict::kWorse:
      return "worse";
    case Verdict::kInconclusive:
      return "inconclusive";
  }
  return "unknown";
}

std::optional<RateAnalysis> AnalyseRates(const std::vector<PairCounts>& input,
                                         double mid_fraction) {
  std::vector<PairCounts> pairs;
  double on = 0, off = 0;
  for (const PairCounts& p : input) {
    assert(p.days_on > 0 && p.days_off > 0);
    if (p.events_on + p.events_off <= 0) continue;  // No events: no information on the ratio.
    pairs.push_back(p);
    on += p.events_on;
    off += p.events_off;
  }
  if (pairs.size() < 2) return std::nullopt;
  RateAnalysis out;
  out.pairs = static_cast<int>(pairs.size());
  // No event at all in one arm puts the estimate at 0 or infinity: the usual 0.5 correction
  // (Haldane) in every cell keeps it finite and pulls it toward no difference.
  if (on <= 0 || off <= 0) {
    out.zero_corrected = true;
    for (PairCounts& p : pairs) {
      p.events_on += 0.5;
      p.events_off += 0.5;
    }
  }
  // Newton on the conditional log likelihood, which is concave in beta = log(ratio):
  // score sum(y_on - n p), information sum(n p (1 - p)), p = logistic(beta + log(t_on / t_off)).
  double rate_on = 0, rate_off = 0, days_on = 0, days_off = 0;
  for (const PairCounts& p : pairs) {
    rate_on += p.events_on;
    rate_off += p.events_off;
    days_on += p.days_on;
    days_off += p.days_off;
  }
  double beta = std::log((rate_on / days_on) / (rate_off / days_off));
  double information = 0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    double score = 0;
    information = 0;
    for (const PairCounts& p : pairs) {
      const double n = p.events_on + p.events_off;
      const double prob = 1 / (1 + std::exp(-(beta + std::log(p.days_on / p.days_off))));
      score += p.events_on - n * prob;
      information += n * prob * (1 - prob);
    }
    const double step = std::clamp(score / information, -5.0, 5.0);
    beta += step;
    if (std::fabs(step) < 1e-12) break;
  }
  double pearson = 0;
  information = 0;
  for (const PairCounts& p : pairs) {
    const double n = p.events_on + p.events_off;
    const double prob = 1 / (1 + std::exp(-(beta + std::log(p.days_on / p.days_off))));
    const double variance = n * prob * (1 - prob);
    information += variance;
    pearson += (p.events_on - n * prob) * (p.events_on - n * prob) / variance;
  }
  const double df = out.pairs - 1;
  // Not floored at 1: with 2-3 pairs the estimate is noisy both ways, and the t quantile on
  // pairs - 1 degrees of freedom already pays for that noise (a floor would pay twice; the
  // simulations in docs/STATISTICS.md showed 100 % coverage and almost no power with one).
  // A tiny floor keeps a perfect fit from giving a zero-width interval.
  out.dispersion = std::max(1e-3, pearson / df);
  out.log_ratio = beta;
  out.ratio = std::exp(beta);
  out.se = std::sqrt(out.dispersion / information);
  const double t = StudentTQuantile(0.975, df);
  out.ci_low = std::exp(beta - t * out.se);
  out.ci_high = std::exp(beta + t * out.se);
  // Flat prior on log(ratio): the posterior is the same t as the interval.
  out.prob_at_least_mid = StudentTCdf((std::log(1 - mid_fraction) - beta) / out.se, df);
  out.prob_better = StudentTCdf(-beta / out.se, df);
  return out;
}

InformedRate CombineWithPrior(const RateAnalysis& rates, const RatePrior& prior,
                              double mid_fraction) {
  // Normal prior times the normal approximation of the likelihood: precisions add.
  const double data_precision = 1 / (rates.se * rates.se);
  const double prior_precision = 1 / (prior.log_ratio_sd * prior.log_ratio_sd);
  const double variance = 1 / (data_precision + prior_precision);
  const double mean =
      variance * (data_precision * rates.log_ratio + prior_precision * prior.log_ratio_mean);
  const double sd = std::sqrt(variance);
  const auto normal_cdf = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  InformedRate out;
  out.ratio = std::exp(mean);
  out.ci_low = std::exp(mean - 1.959963984540054 * sd);
  out.ci_high = std::exp(mean + 1.959963984540054 * sd);
  out.prob_at_least_mid = normal_cdf((std::log(1 - mid_fraction) - mean) / sd);
  out.prob_better = normal_cdf(-mean / sd);
  return out;
}

TrialAnalysis AnalyseTrial(const Layout& layout, const std::vector<std::optional<double>>& daily,
                           int as_of) {
  assert(layout.pairs() >= 1 && layout.period_days > layout.washout_days);
  TrialAnalysis out;
  const int needed = layout.MinRatingsPerPeriod();
  for (int period = 0; period < layout.pairs() * 2; ++period) {
    PeriodSummary s;
    s.pair = period / 2;
    s.first_day = period * layout.period_days;
    s.magnesium = layout.OnMagnesium(s.first_day);
    const int last_day = s.first_day + layout.period_days - 1;
    s.complete = last_day <= as_of;
    double sum = 0;
    for (int day = s.first_day + layout.washout_days; day <= last_day && day <= as_of; ++day) {
      if (day < static_cast<int>(daily.size()) && daily[static_cast<size_t>(day)]) {
        sum += *daily[static_cast<size_t>(day)];
        ++s.ratings;
      }
    }
    if (s.complete && s.ratings >= needed) s.mean = layout.per_days * sum / s.ratings;
    out.periods.push_back(s);
  }
  out.finished = as_of >= layout.total_days() - 1;

  std::vector<double> improvements;
  double off_sum = 0;
  for (int pair = 0; pair < layout.pairs(); ++pair) {
    const PeriodSummary& a = out.periods[static_cast<size_t>(2 * pair)];
    const PeriodSummary& b = out.periods[static_cast<size_t>(2 * pair + 1)];
    if (!a.mean || !b.mean) continue;
    const double on = a.magnesium ? *a.mean : *b.mean;
    const double off = a.magnesium ? *b.mean : *a.mean;
    improvements.push_back(layout.higher_is_better ? on - off : off - on);
    off_sum += off;
  }
  out.usable_pairs = static_cast<int>(improvements.size());
  out.mid_absolute = layout.mid;
  if (layout.mid_relative) {
    out.mid_absolute = improvements.empty() ? 0 : layout.mid * off_sum / out.usable_pairs;
  }
  if (out.usable_pairs >= 2) out.estimate = AnalysePairs(improvements, out.mid_absolute);
  if (layout.counts && layout.mid_relative) {
    std::vector<PairCounts> counts;
    for (int pair = 0; pair < layout.pairs(); ++pair) {
      const PeriodSummary& a = out.periods[static_cast<size_t>(2 * pair)];
      const PeriodSummary& b = out.periods[static_cast<size_t>(2 * pair + 1)];
      if (!a.mean || !b.mean) continue;
      const PeriodSummary& on = a.magnesium ? a : b;
      const PeriodSummary& off = a.magnesium ? b : a;
      counts.push_back({*on.mean / layout.per_days * on.ratings, static_cast<double>(on.ratings),
                        *off.mean / layout.per_days * off.ratings,
                        static_cast<double>(off.ratings)});
    }
    out.rates = AnalyseRates(counts, layout.mid);
  }

  if (!out.finished || out.usable_pairs < kMinPairsForVerdict) {
    out.verdict = Verdict::kNotEnoughData;
  } else if (out.estimate->ci_low > 0) {
    out.verdict = Verdict::kBenefit;
  } else if (out.estimate->ci_high < 0) {
    out.verdict = Verdict::kWorse;
  } else if (out.estimate->ci_high < out.mid_absolute) {
    out.verdict = Verdict::kNoMeaningfulBenefit;
  } else {
    out.verdict = Verdict::kInconclusive;
  }
  return out;
}

}  // namespace mg::trial
