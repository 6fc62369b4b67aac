// Honesty of the n-of-1 statistics, checked by simulation over the pure functions in stats.h.
// Each scenario simulates 2,000 trials with a fixed seed; the figures are printed so that
// docs/STATISTICS.md can quote them:
//   build/<dir>/src/trial/trial_simulation_test
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "trial/stats.h"

namespace mg::trial {
namespace {

struct Scenario {
  const char* name;
  double true_improvement = 0;  // Improvement on magnesium, in scale points.
  // Two-dose designs: the improvement in the comparison periods (the lower dose), so the paired
  // estimate's truth is true_improvement - lower_dose_improvement. 0: no magnesium.
  double lower_dose_improvement = 0;
  double noise_sd = 1.5;         // Marginal SD of the daily noise.
  double phi = 0;                // AR(1) autocorrelation of the daily noise.
  double missing = 0;            // Probability that a day has no rating.
  double trend_per_day = 0;      // Drift in the outcome over the whole trial (regression to mean).
  bool integer_ratings = false;  // Round and clamp to 0-10 like a real NRS entry.
  double carryover_days = 0;     // Time constant of the effect's onset and offset (0: instant).
  int pairs = 3;
  uint64_t seed = 1;
};

struct Figures {
  int trials = 0;
  int with_estimate = 0;  // Trials that produced an interval and a verdict.
  int claims = 0;         // Verdict "benefit".
  int covered = 0;        // 95 % interval contains the true improvement.
  double mean_width = 0;
  double mean_estimate = 0;
};

// The pain layout of data/trial/outcomes.toml: 14-day periods, 4 washout days, daily ratings.
Layout PainDesign(int pairs, std::mt19937_64& rng) {
  Layout d;
  d.period_days = 14;
  d.washout_days = 4;
  d.rating_every = 1;
  d.min_ratings = 0.5;
  d.higher_is_better = false;
  d.mid = 2;
  for (int i = 0; i < pairs; ++i) d.magnesium_first.push_back((rng() >> 63) != 0);
  return d;
}

Figures Simulate(const Scenario& s, int trials = 2000) {
  std::mt19937_64 rng(s.seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
  Figures f;
  f.trials = trials;
  double width_sum = 0, estimate_sum = 0;
  for (int t = 0; t < trials; ++t) {
    Layout layout = PainDesign(s.pairs, rng);
    const int days = layout.total_days();
    std::vector<std::optional<double>> daily(static_cast<size_t>(days));
    double noise = normal(rng) * s.noise_sd;
    double effect = 0;  // Current effect, approaching its target with the carry-over time constant.
    const double innovation_sd = std::sqrt(1 - s.phi * s.phi) * s.noise_sd;
    for (int day = 0; day < days; ++day) {
      if (day > 0) noise = s.phi * noise + innovation_sd * normal(rng);
      // Pain: lower is better, so an improvement lowers the rating.
      const double target = layout.OnMagnesium(day) ? s.true_improvement : s.lower_dose_improvement;
      effect = s.carryover_days > 0 ? target + (effect - target) * std::exp(-1 / s.carryover_days)
                                    : target;
      double value = 5 + noise + s.trend_per_day * day - effect;
      if (s.integer_ratings) value = std::clamp(std::round(value), 0.0, 10.0);
      if (uniform(rng) >= s.missing) daily[static_cast<size_t>(day)] = value;
    }
    TrialAnalysis a = AnalyseTrial(layout, daily, days - 1);
    if (a.verdict == Verdict::kNotEnoughData) continue;
    ++f.with_estimate;
    if (ClaimsBenefit(a)) ++f.claims;
    const double truth = s.true_improvement - s.lower_dose_improvement;
    if (a.estimate->ci_low <= truth && truth <= a.estimate->ci_high) {
      ++f.covered;
    }
    width_sum += a.estimate->ci_high - a.estimate->ci_low;
    estimate_sum += a.estimate->mean;
  }
  f.mean_width = f.with_estimate ? width_sum / f.with_estimate : 0;
  f.mean_estimate = f.with_estimate ? estimate_sum / f.with_estimate : 0;
  std::printf(
      "[simulation] %-44s trials %d, with verdict %d, claims benefit %.2f %%, "
      "95 %% interval covers truth %.2f %%, mean interval width %.2f points, mean estimate %.2f\n",
      s.name, f.trials, f.with_estimate, 100.0 * f.claims / f.with_estimate,
      100.0 * f.covered / f.with_estimate, f.mean_width, f.mean_estimate);
  return f;
}

double ClaimRate(const Figures& f) { return static_cast<double>(f.claims) / f.with_estimate; }
double Coverage(const Figures& f) { return static_cast<double>(f.covered) / f.with_estimate; }

TEST(SimulationTest, NoEffectIidNoiseRarelyClaimsBenefit) {
  Figures f = Simulate({.name = "null, independent noise", .seed = 11});
  EXPECT_GE(f.with_estimate, 1990);
  EXPECT_LE(ClaimRate(f), 0.05);
}

TEST(SimulationTest, NoEffectAutocorrelatedMissingIntegerRarelyClaimsBenefit) {
  Figures f = Simulate({.name = "null, AR(1) 0.6, 20 % missing, whole numbers",
                        .phi = 0.6,
                        .missing = 0.2,
                        .integer_ratings = true,
                        .seed = 12});
  EXPECT_GE(f.with_estimate, 1900);
  EXPECT_LE(ClaimRate(f), 0.05);
}

TEST(SimulationTest, NoEffectWithDriftRarelyClaimsBenefit) {
  // Everyone improves over time (regression to the mean, placebo): -2 points over 84 days.
  Figures f = Simulate({.name = "null, AR(1) 0.6, downward drift 2 points",
                        .phi = 0.6,
                        .trend_per_day = -2.0 / 84,
                        .seed = 13});
  EXPECT_LE(ClaimRate(f), 0.05);
}

TEST(SimulationTest, NoEffectFourPairsRarelyClaimsBenefit) {
  Figures f = Simulate({.name = "null, 4 pairs, AR(1) 0.8, 30 % missing",
                        .phi = 0.8,
                        .missing = 0.3,
                        .pairs = 4,
                        .seed = 14});
  EXPECT_LE(ClaimRate(f), 0.05);
}

TEST(SimulationTest, IntervalCoversTrueEffectIidNoise) {
  Figures f =
      Simulate({.name = "effect 1.0, independent noise", .true_improvement = 1.0, .seed = 21});
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
}

TEST(SimulationTest, IntervalCoversTrueEffectAutocorrelatedMissing) {
  Figures f = Simulate({.name = "effect 1.0, AR(1) 0.6, 20 % missing",
                        .true_improvement = 1.0,
                        .phi = 0.6,
                        .missing = 0.2,
                        .seed = 22});
  EXPECT_GE(f.with_estimate, 1900);
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
}

TEST(SimulationTest, IntervalCoversTrueEffectFourPairsStrongAutocorrelation) {
  Figures f = Simulate({.name = "effect 2.0, 4 pairs, AR(1) 0.8, 30 % missing",
                        .true_improvement = 2.0,
                        .phi = 0.8,
                        .missing = 0.3,
                        .pairs = 4,
                        .seed = 23});
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
}

TEST(SimulationTest, IntervalCoversTrueEffectWithCarryOverInsideTheWashout) {
  // The effect builds up and wears off with a 1-day time constant: the 4 washout days absorb it.
  Figures f = Simulate({.name = "effect 1.0, carry-over 1 d, AR(1) 0.6, 20 % missing",
                        .true_improvement = 1.0,
                        .phi = 0.6,
                        .missing = 0.2,
                        .carryover_days = 1,
                        .seed = 24});
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
}

TEST(SimulationTest, CarryOverLongerThanTheWashoutBiasesTowardNoEffect) {
  // A documented limit: a 5-day time constant outlasts the 4 washout days, and the estimate
  // shrinks toward zero (conservative: it hides benefit rather than inventing it).
  Figures f = Simulate({.name = "limit: effect 2.0, carry-over 5 d, independent noise",
                        .true_improvement = 2.0,
                        .carryover_days = 5,
                        .seed = 25});
  EXPECT_LT(f.mean_estimate, 2.0 * 0.9);
  EXPECT_GT(f.mean_estimate, 0);
}

TEST(SimulationTest, ARealMeaningfulEffectIsFoundFarMoreOftenThanNoEffect) {
  // Not an honesty bound: the power at the MID, quoted in docs/STATISTICS.md. Three pairs with
  // autocorrelated noise are weak; the check is only that "yes" tracks a real effect.
  Figures f = Simulate({.name = "power: effect 2.0 (= MID), AR(1) 0.6, 20 % missing",
                        .true_improvement = 2.0,
                        .phi = 0.6,
                        .missing = 0.2,
                        .seed = 31});
  EXPECT_GE(ClaimRate(f), 0.25);
  Figures iid = Simulate({.name = "power: effect 2.0 (= MID), independent noise",
                          .true_improvement = 2.0,
                          .seed = 32});
  EXPECT_GE(ClaimRate(iid), 0.6);
}

// Two-dose designs (issue 16): each pair compares the plan's dose with a lower dose, so the
// comparison periods carry an effect of their own and the paired estimate is the difference of
// the two doses' effects. The statistics are the same; these scenarios check that they stay
// honest when both arms improve the outcome, and show how much power the smaller difference
// leaves. How much less a lower dose does is not known for any outcome here: the "realistic"
// difference below (the lower dose giving half the plan dose's 2-point effect, a 1-point
// difference) assumes a linear dose-response, which is UNVERIFIED.
TEST(TwoDoseSimulationTest, SameEffectOfBothDosesRarelyClaimsTheHigherHelpsMore) {
  Figures f = Simulate({.name = "two doses, same effect 2.0, independent noise",
                        .true_improvement = 2.0,
                        .lower_dose_improvement = 2.0,
                        .seed = 41});
  EXPECT_GE(f.with_estimate, 1990);
  EXPECT_LE(ClaimRate(f), 0.05);
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
  Figures ar = Simulate({.name = "two doses, same effect 2.0, AR(1) 0.6, 20 % missing, whole",
                         .true_improvement = 2.0,
                         .lower_dose_improvement = 2.0,
                         .phi = 0.6,
                         .missing = 0.2,
                         .integer_ratings = true,
                         .seed = 42});
  EXPECT_LE(ClaimRate(ar), 0.05);
  EXPECT_GE(Coverage(ar), 0.93);
  EXPECT_LE(Coverage(ar), 0.97);
  // Both doses act over a day or two (carry-over inside the washout) and the outcome drifts.
  Figures drift = Simulate({.name = "two doses, same effect 2.0, carry-over 1 day, drift 2",
                            .true_improvement = 2.0,
                            .lower_dose_improvement = 2.0,
                            .phi = 0.6,
                            .trend_per_day = -2.0 / 84,
                            .carryover_days = 1.0,
                            .seed = 43});
  EXPECT_LE(ClaimRate(drift), 0.05);
}

TEST(TwoDoseSimulationTest, IntervalCoversTheDifferenceOfTheTwoDoses) {
  Figures f = Simulate({.name = "two doses, 2.0 vs 1.0, AR(1) 0.6, 20 % missing",
                        .true_improvement = 2.0,
                        .lower_dose_improvement = 1.0,
                        .phi = 0.6,
                        .missing = 0.2,
                        .seed = 44});
  EXPECT_GE(Coverage(f), 0.93);
  EXPECT_LE(Coverage(f), 0.97);
  EXPECT_NEAR(f.mean_estimate, 1.0, 0.1);
}

TEST(TwoDoseSimulationTest, ARealisticDoseDifferenceHasLessPowerThanMagnesiumVersusNone) {
  // Not an honesty bound: the power quoted in docs/STATISTICS.md. A 1-point difference between
  // the doses (half the MID) is found far less often than the 2-point effect of magnesium against
  // none in the same noise (the power rows of SimulationTest, 34 % and 73 %).
  Figures ar = Simulate({.name = "two-dose power: 2.0 vs 1.0, AR(1) 0.6, 20 % missing",
                         .true_improvement = 2.0,
                         .lower_dose_improvement = 1.0,
                         .phi = 0.6,
                         .missing = 0.2,
                         .seed = 45});
  Figures iid = Simulate({.name = "two-dose power: 2.0 vs 1.0, independent noise",
                          .true_improvement = 2.0,
                          .lower_dose_improvement = 1.0,
                          .seed = 46});
  Figures four = Simulate({.name = "two-dose power: 2.0 vs 1.0, 4 pairs, independent noise",
                           .true_improvement = 2.0,
                           .lower_dose_improvement = 1.0,
                           .pairs = 4,
                           .seed = 47});
  Figures none = Simulate({.name = "two-dose: same effect, independent noise (reference)",
                           .true_improvement = 2.0,
                           .lower_dose_improvement = 2.0,
                           .seed = 48});
  EXPECT_GT(ClaimRate(iid), ClaimRate(none));
  EXPECT_GT(ClaimRate(four), ClaimRate(none));
  EXPECT_GT(ClaimRate(ar), ClaimRate(none));
  EXPECT_LT(ClaimRate(iid), 0.6);  // Less than the 73 % power at the full 2-point effect.
}

// Count outcomes: the cramps layout (3 pairs of 21-day periods, 7 washout days, daily counts,
// MID 25 % fewer). Nights are negative binomial (gamma-Poisson with shape `night_shape`: nights
// vary more than Poisson), and each period's rate is multiplied by its own gamma factor with
// shape `period_shape` (weeks that are worse than others), the two kinds of overdispersion the
// quasi-Poisson dispersion has to absorb. The true rate ratio is `ratio` on magnesium days.
struct CountScenario {
  const char* name;
  double ratio = 1;
  double baseline = 1;       // Cramps a night off magnesium.
  double night_shape = 2;    // 1e9: Poisson nights.
  double period_shape = 10;  // 1e9: no period-to-period variation.
  double missing = 0;
  int pairs = 3;
  uint64_t seed = 1;
};

struct CountFigures {
  int with_estimate = 0;
  int claims = 0;                     // Upper end of the rate ratio's 95 % interval below 1.
  int covered = 0;                    // The interval contains the true ratio.
  int informed_meaningful = 0;        // Prior-informed P(at least 25 % fewer) >= 0.5.
  int mean_claims = 0;                // The primary analysis (period means) on the same trials.
  double mean_prob_mid = 0;           // Neutral P(at least 25 % fewer).
  double mean_informed_prob_mid = 0;  // With the cramps prior of data/trial/outcomes.toml.
};

CountFigures SimulateCounts(const CountScenario& s, int trials = 2000) {
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  const RatePrior prior{-0.10, 0.17};  // As data/trial/outcomes.toml's cramps prior.
  CountFigures f;
  for (int t = 0; t < trials; ++t) {
    Layout layout;
    layout.period_days = 21;
    layout.washout_days = 7;
    layout.mid = 0.25;
    layout.mid_relative = true;
    layout.counts = true;
    for (int i = 0; i < s.pairs; ++i) layout.magnesium_first.push_back((rng() >> 63) != 0);
    const int days = layout.total_days();
    std::vector<std::optional<double>> daily(static_cast<size_t>(days));
    std::gamma_distribution<double> period_factor(s.period_shape, 1 / s.period_shape);
    double factor = 1;
    for (int day = 0; day < days; ++day) {
      if (day % layout.period_days == 0) factor = period_factor(rng);
      const double mean = s.baseline * factor * (layout.OnMagnesium(day) ? s.ratio : 1);
      std::gamma_distribution<double> night(s.night_shape, mean / s.night_shape);
      std::poisson_distribution<int> cramps(std::max(night(rng), 1e-12));
      const double count = cramps(rng);
      if (uniform(rng) >= s.missing) daily[static_cast<size_t>(day)] = count;
    }
    TrialAnalysis a = AnalyseTrial(layout, daily, days - 1);
    if (!a.rates || a.usable_pairs < kMinPairsForVerdict) continue;
    ++f.with_estimate;
    f.claims += a.rates->ci_high < 1 ? 1 : 0;
    f.mean_claims += ClaimsBenefit(a) ? 1 : 0;
    f.covered += a.rates->ci_low <= s.ratio && s.ratio <= a.rates->ci_high ? 1 : 0;
    const InformedRate informed = CombineWithPrior(*a.rates, prior, layout.mid);
    f.informed_meaningful += informed.prob_at_least_mid >= 0.5 ? 1 : 0;
    f.mean_prob_mid += a.rates->prob_at_least_mid;
    f.mean_informed_prob_mid += informed.prob_at_least_mid;
  }
  const double n = f.with_estimate;
  f.mean_prob_mid /= n;
  f.mean_informed_prob_mid /= n;
  std::printf(
      "[simulation] counts: %-52s with estimate %d, claims fewer %.2f %% (period means: %.2f %%), "
      "95 %% interval covers truth %.2f %%, mean P(>= 25 %% fewer) neutral %.2f, with the prior "
      "%.2f, prior-informed 'probably meaningful' %.2f %%\n",
      s.name, f.with_estimate, 100.0 * f.claims / n, 100.0 * f.mean_claims / n,
      100.0 * f.covered / n, f.mean_prob_mid, f.mean_informed_prob_mid,
      100.0 * f.informed_meaningful / n);
  return f;
}

TEST(CountSimulationTest, NoEffectRarelyClaimsFewerCrampsAndTheIntervalCovers) {
  for (const CountScenario& s :
       {CountScenario{.name = "null, Poisson nights, steady periods",
       .night_shape = 1e9,
       .period_shape = 1e9,
       .seed = 41},
        CountScenario{.name = "null, NB nights (shape 2), period factor (shape 10)", .seed = 42},
        CountScenario{.name = "null, 0.3 a night, NB nights, 20 % missing",
        .baseline = 0.3,
        .missing = 0.2,
        .seed = 43},
        CountScenario{.name = "null, 4 pairs, NB nights, period factor (shape 4)",
        .period_shape = 4,
        .pairs = 4,
        .seed = 44}}) {
    const CountFigures f = SimulateCounts(s);
    EXPECT_GE(f.with_estimate, 1800) << s.name;
    EXPECT_LE(static_cast<double>(f.claims) / f.with_estimate, 0.05) << s.name;
    EXPECT_GE(static_cast<double>(f.covered) / f.with_estimate, 0.93) << s.name;
  }
}

TEST(CountSimulationTest, ATrueReductionIsCoveredAndFoundMoreOftenThanNoEffect) {
  const CountFigures effect = SimulateCounts(
      {.name = "40 % fewer, NB nights, period factor (shape 10)", .ratio = 0.6, .seed = 51});
  EXPECT_GE(static_cast<double>(effect.covered) / effect.with_estimate, 0.93);
  // Three pairs are weak (docs/STATISTICS.md): the check is that "fewer" tracks a real effect.
  EXPECT_GE(static_cast<double>(effect.claims) / effect.with_estimate, 0.08);
  // The prior (magnesium does little for cramps on average) makes "probably meaningful" rarer
  // than the neutral analysis under no effect, and still moves toward it when the effect is real.
  const CountFigures null = SimulateCounts({.name = "null, NB nights (again)", .seed = 52});
  EXPECT_GT(effect.claims, 3 * null.claims);
  EXPECT_LT(null.mean_informed_prob_mid, null.mean_prob_mid);
  EXPECT_GT(effect.mean_informed_prob_mid, null.mean_informed_prob_mid);
}

// Several outcomes per trial: four secondary outcomes, each analysed as the report analyses one
// (AnalyseTrial, TwoSidedP) on the pain layout, and the family's p-values with and without Holm's
// adjustment (HolmAdjust). "Any false claim" is a secondary with no true effect whose p (or
// adjusted p) is below 0.05; a secondary without a p-value (too few pairs) counts as p = 1, as
// in the report.
struct MultiplicityScenario {
  const char* name;
  int outcomes = 4;
  double correlation = 0;  // Between the outcomes' daily noise (a shared component).
  double phi = 0;          // AR(1) of each outcome's daily noise.
  double missing = 0;
  double first_effect = 0;  // True improvement of the first secondary (the others: none).
  uint64_t seed = 1;
};

struct MultiplicityFigures {
  int trials = 0;
  int any_false_unadjusted = 0;
  int any_false_holm = 0;
  int first_found_unadjusted = 0;  // The first secondary: p < 0.05 (benefit side).
  int first_found_holm = 0;
};

MultiplicityFigures SimulateMultiplicity(const MultiplicityScenario& s, int trials = 2000) {
  std::mt19937_64 rng(s.seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
  MultiplicityFigures f;
  f.trials = trials;
  const double sd = 1.5, shared = std::sqrt(s.correlation), own = std::sqrt(1 - s.correlation);
  const double innovation = std::sqrt(1 - s.phi * s.phi) * sd;
  for (int t = 0; t < trials; ++t) {
    const Layout layout = PainDesign(3, rng);
    const int days = layout.total_days();
    std::vector<std::vector<std::optional<double>>> daily(static_cast<size_t>(s.outcomes),
                                                          std::vector<std::optional<double>>(days));
    std::vector<double> noise(static_cast<size_t>(s.outcomes));
    double common = normal(rng) * sd;
    for (double& n : noise) n = normal(rng) * sd;
    for (int day = 0; day < days; ++day) {
      if (day > 0) {
        common = s.phi * common + innovation * normal(rng);
        for (double& n : noise) n = s.phi * n + innovation * normal(rng);
      }
      for (int k = 0; k < s.outcomes; ++k) {
        const double effect = k == 0 && layout.OnMagnesium(day) ? s.first_effect : 0;
        const double value = 5 + shared * common + own * noise[static_cast<size_t>(k)] - effect;
        if (uniform(rng) >= s.missing)
          daily[static_cast<size_t>(k)][static_cast<size_t>(day)] = value;
      }
    }
    std::vector<double> p;
    std::vector<double> mean;
    for (int k = 0; k < s.outcomes; ++k) {
      const TrialAnalysis a = AnalyseTrial(layout, daily[static_cast<size_t>(k)], days - 1);
      const bool usable = a.estimate && a.usable_pairs >= kMinPairsForVerdict;
      p.push_back(usable ? TwoSidedP(*a.estimate) : 1);
      mean.push_back(usable ? a.estimate->mean : 0);
    }
    const std::vector<double> holm = HolmAdjust(p);
    bool false_unadjusted = false, false_holm = false;
    for (size_t k = 0; k < p.size(); ++k) {
      const bool null = k > 0 || s.first_effect == 0;
      if (null && p[k] < 0.05) false_unadjusted = true;
      if (null && holm[k] < 0.05) false_holm = true;
    }
    f.any_false_unadjusted += false_unadjusted ? 1 : 0;
    f.any_false_holm += false_holm ? 1 : 0;
    f.first_found_unadjusted += p[0] < 0.05 && mean[0] > 0 ? 1 : 0;
    f.first_found_holm += holm[0] < 0.05 && mean[0] > 0 ? 1 : 0;
  }
  auto pct = [&](int n) { return 100.0 * n / f.trials; };
  std::printf(
      "[simulation] outcomes: %-58s any false claim %.2f %% unadjusted, %.2f %% Holm; first "
      "found %.2f %% unadjusted, %.2f %% Holm\n",
      s.name, pct(f.any_false_unadjusted), pct(f.any_false_holm), pct(f.first_found_unadjusted),
      pct(f.first_found_holm));
  return f;
}

TEST(MultiplicitySimulationTest, HolmKeepsAnyFalseClaimAmongFourNullSecondariesNearFivePercent) {
  for (const MultiplicityScenario& s :
       {MultiplicityScenario{.name = "4 null secondaries, independent", .seed = 61},
        MultiplicityScenario{.name = "4 null, correlated 0.5, AR(1) 0.6, 20 % missing",
        .correlation = 0.5,
        .phi = 0.6,
        .missing = 0.2,
        .seed = 62}}) {
    const MultiplicityFigures f = SimulateMultiplicity(s);
    const double unadjusted = static_cast<double>(f.any_false_unadjusted) / f.trials;
    const double holm = static_cast<double>(f.any_false_holm) / f.trials;
    EXPECT_LE(holm, 0.06) << s.name;
    // Unadjusted, four looks make a false claim several times likelier than one: the reason the
    // report adjusts (1 - 0.95^4 = 18.5 % for independent outcomes).
    EXPECT_GE(unadjusted, 2 * holm) << s.name;
  }
  const MultiplicityFigures independent =
      SimulateMultiplicity({.name = "4 null secondaries, independent (again)", .seed = 63});
  EXPECT_GE(static_cast<double>(independent.any_false_unadjusted) / independent.trials, 0.14);
}

TEST(MultiplicitySimulationTest, TheAdjustmentCostsPowerForARealEffect) {
  const MultiplicityFigures f = SimulateMultiplicity(
      {.name = "first of 4 improves by 2 (= MID), independent", .first_effect = 2, .seed = 64});
  EXPECT_GT(f.first_found_unadjusted, f.first_found_holm);
  EXPECT_GT(f.first_found_holm, 2 * f.any_false_holm);
}

// Migraine days: the migraine_days layout of data/trial/outcomes.toml (3 pairs of 56-day
// periods, the first 28 days of each a washout, days shown per 28, MID half as many, the count
// model). Each day an attack starts with probability baseline / 28, times a gamma factor per
// period (months that are worse than others, shape `period_shape`) and, on `cycle_days` days of
// every 28 at a random phase, `cycle_factor` (attacks around menstruation), times `ratio` on
// magnesium. `missing` days are not logged. The truth of the paired interval is the mean
// difference in migraine days per 28 days, worked out from the same model.
struct MigraineScenario {
  const char* name;
  double ratio = 1;
  double baseline = 4;  // Migraine days per 28 days off magnesium (before the factors).
  double period_shape = 10;
  int cycle_days = 0;
  double cycle_factor = 1;
  double missing = 0;
  int pairs = 3;
  uint64_t seed = 1;
};

struct MigraineFigures {
  int with_verdict = 0;
  int claims = 0;        // Verdict "benefit" (the paired means).
  int covered = 0;       // The paired 95 % interval contains the true difference.
  int rate_claims = 0;   // Count model: upper end of the rate ratio's interval below 1.
  int rate_covered = 0;  // The rate ratio's interval contains the true ratio.
  int with_rates = 0;    // Trials with a count model (>= 2 informative pairs).
  double mean_off = 0;   // Mean off-magnesium period mean: migraine days per 28 days.
};

MigraineFigures SimulateMigraine(const MigraineScenario& s, int trials = 2000) {
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::gamma_distribution<double> period_factor(s.period_shape, 1 / s.period_shape);
  MigraineFigures f;
  int off_periods = 0;
  for (int t = 0; t < trials; ++t) {
    Layout layout;
    layout.period_days = 56;
    layout.washout_days = 28;
    layout.mid = 0.5;
    layout.mid_relative = true;
    layout.counts = true;
    layout.per_days = 28;
    for (int i = 0; i < s.pairs; ++i) layout.magnesium_first.push_back((rng() >> 63) != 0);
    const int days = layout.total_days();
    const int phase = static_cast<int>(uniform(rng) * 28);
    // The expected attack probability of a day with mean factor 1, averaged over the cycle.
    const double cycle_mean = 1 + (s.cycle_factor - 1) * s.cycle_days / 28.0;
    std::vector<std::optional<double>> daily(static_cast<size_t>(days));
    double factor = 1;
    for (int day = 0; day < days; ++day) {
      if (day % layout.period_days == 0) factor = period_factor(rng);
      const bool cycle = (day + phase) % 28 < s.cycle_days;
      const double p =
          std::min(1.0, s.baseline / 28 / cycle_mean * factor * (cycle ? s.cycle_factor : 1) *
                            (layout.OnMagnesium(day) ? s.ratio : 1));
      const double attack = uniform(rng) < p ? 1 : 0;
      if (uniform(rng) >= s.missing) daily[static_cast<size_t>(day)] = attack;
    }
    TrialAnalysis a = AnalyseTrial(layout, daily, days - 1);
    for (const PeriodSummary& period : a.periods) {
      if (!period.magnesium && period.mean) {
        f.mean_off += *period.mean;
        ++off_periods;
      }
    }
    if (a.rates) {
      ++f.with_rates;
      f.rate_claims += a.rates->ci_high < 1 ? 1 : 0;
      f.rate_covered += a.rates->ci_low <= s.ratio && s.ratio <= a.rates->ci_high ? 1 : 0;
    }
    if (a.verdict == Verdict::kNotEnoughData) continue;
    ++f.with_verdict;
    f.claims += ClaimsBenefit(a) ? 1 : 0;
    // Per 28 days, off minus on (lower is better): baseline * (1 - ratio), factors averaging 1.
    const double truth = s.baseline * (1 - s.ratio);
    f.covered += a.estimate->ci_low <= truth && truth <= a.estimate->ci_high ? 1 : 0;
  }
  f.mean_off /= off_periods;
  std::printf(
      "[simulation] migraine days: %-54s with verdict %d, claims benefit %.2f %%, 95 %% interval "
      "covers truth %.2f %%; count model %d: claims fewer %.2f %%, covers the ratio %.2f %%; off "
      "magnesium %.2f migraine days per 28\n",
      s.name, f.with_verdict, 100.0 * f.claims / f.with_verdict, 100.0 * f.covered / f.with_verdict,
      f.with_rates, 100.0 * f.rate_claims / f.with_rates, 100.0 * f.rate_covered / f.with_rates,
      f.mean_off);
  return f;
}

TEST(MigraineSimulationTest, NoEffectRarelyClaimsFewerMigraineDaysAndTheIntervalsCover) {
  for (const MigraineScenario& s :
       {MigraineScenario{.name = "null, 4 a month, period factor (shape 10)", .seed = 71},
        MigraineScenario{.name = "null, 8 a month, shape 4, 20 % not logged",
        .baseline = 8,
        .period_shape = 4,
        .missing = 0.2,
        .seed = 72},
        MigraineScenario{.name = "null, 4 a month, 3 cycle days x4, 10 % not logged",
        .cycle_days = 3,
        .cycle_factor = 4,
        .missing = 0.1,
        .seed = 73},
        MigraineScenario{
            .name = "null, 2 a month, 4 pairs", .baseline = 2, .pairs = 4, .seed = 74}}) {
    const MigraineFigures f = SimulateMigraine(s);
    EXPECT_GE(f.with_verdict, 1900) << s.name;
    EXPECT_LE(static_cast<double>(f.claims) / f.with_verdict, 0.05) << s.name;
    EXPECT_GE(static_cast<double>(f.covered) / f.with_verdict, 0.93) << s.name;
    EXPECT_LE(static_cast<double>(f.rate_claims) / f.with_rates, 0.05) << s.name;
    EXPECT_GE(static_cast<double>(f.rate_covered) / f.with_rates, 0.93) << s.name;
    // The per-28-days scale: the off-magnesium periods' mean is the monthly migraine days.
    EXPECT_NEAR(f.mean_off, s.baseline, 0.1 * s.baseline + 0.1) << s.name;
  }
}

TEST(MigraineSimulationTest, HalfAsManyMigraineDaysIsCoveredAndFoundMoreOftenThanNoEffect) {
  const MigraineFigures effect =
      SimulateMigraine({.name = "half as many, 8 a month, period factor (shape 10)",
                        .ratio = 0.5,
                        .baseline = 8,
                        .seed = 75});
  const MigraineFigures null =
      SimulateMigraine({.name = "null, 8 a month (again)", .baseline = 8, .seed = 76});
  EXPECT_GE(static_cast<double>(effect.covered) / effect.with_verdict, 0.93);
  EXPECT_GE(static_cast<double>(effect.rate_covered) / effect.with_rates, 0.93);
  EXPECT_GT(effect.claims, 5 * std::max(1, null.claims));
}

// Showing days per 28 changes what is shown, never what is concluded: the same days give the same
// verdict, probabilities and rate ratio with per_days 1 and 28, and means 28 times larger.
TEST(MigraineSimulationTest, PerDaysScalesTheMeansOnly) {
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> uniform(0, 1);
  Layout one;
  one.period_days = 56;
  one.washout_days = 28;
  one.mid = 0.5;
  one.mid_relative = true;
  one.counts = true;
  one.magnesium_first = {true, false, true};
  Layout month = one;
  month.per_days = 28;
  std::vector<std::optional<double>> daily(static_cast<size_t>(one.total_days()));
  for (int day = 0; day < one.total_days(); ++day) {
    if (uniform(rng) < 0.9) daily[static_cast<size_t>(day)] = uniform(rng) < 0.2 ? 1 : 0;
  }
  const TrialAnalysis a = AnalyseTrial(one, daily, one.total_days() - 1);
  const TrialAnalysis b = AnalyseTrial(month, daily, one.total_days() - 1);
  ASSERT_TRUE(a.estimate && b.estimate && a.rates && b.rates);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_NEAR(b.estimate->mean, 28 * a.estimate->mean, 1e-9);
  EXPECT_NEAR(b.estimate->ci_low, 28 * a.estimate->ci_low, 1e-9);
  EXPECT_NEAR(b.estimate->prob_at_least_mid, a.estimate->prob_at_least_mid, 1e-9);
  EXPECT_NEAR(b.rates->ratio, a.rates->ratio, 1e-9);
  EXPECT_NEAR(b.rates->ci_high, a.rates->ci_high, 1e-9);
  EXPECT_NEAR(b.mid_absolute, 28 * a.mid_absolute, 1e-9);
}

}  // namespace
}  // namespace mg::trial
