// Hand-computed examples: every figure below was worked out on paper (closed forms noted), and
// the report prints them with the precision checked here.
#include "trial/stats.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

namespace mg::trial {
namespace {

TEST(StudentTTest, MatchesClosedFormsAndTables) {
  // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi.
  EXPECT_NEAR(StudentTCdf(1.0, 1), 0.75, 1e-12);
  // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
  EXPECT_NEAR(StudentTCdf(2.0, 2), 0.5 + 2 / (2 * std::sqrt(6.0)), 1e-12);
  EXPECT_NEAR(StudentTCdf(-2.0, 2), 0.5 - 2 / (2 * std::sqrt(6.0)), 1e-12);
  // Two-sided 95 % critical values from any t table.
  EXPECT_EQ(fmt::format("{:.3f}", StudentTQuantile(0.975, 1)), "12.706");
  EXPECT_EQ(fmt::format("{:.3f}", StudentTQuantile(0.975, 2)), "4.303");
  EXPECT_EQ(fmt::format("{:.3f}", StudentTQuantile(0.975, 3)), "3.182");
  EXPECT_EQ(fmt::format("{:.3f}", StudentTQuantile(0.975, 30)), "2.042");
  EXPECT_NEAR(StudentTQuantile(0.025, 2), -StudentTQuantile(0.975, 2), 1e-12);
  // df = 2 has a closed-form quantile: t = (2p - 1) / sqrt(2 p (1 - p)).
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-9);
}

TEST(AnalysePairsTest, ThreePairsByHand) {
  // Improvements 2, 1, 3: mean 2, sd 1, se 1/sqrt(3) = 0.57735;
  // t(0.975, 2) = 4.30265 -> half width 2.48414 -> interval -0.48 to 4.48.
  // P(improvement >= 2) = P(T2 >= 0) = 0.5; P(> 0) = F2(2 / 0.57735 = 3.4641)
  //   = 1/2 + 3.4641 / (2 sqrt(2 + 12)) = 0.96291.
  PairedAnalysis a = AnalysePairs({2, 1, 3}, 2);
  EXPECT_EQ(a.pairs, 3);
  EXPECT_EQ(fmt::format("{:.2f} {:.2f} {:.2f}", a.mean, a.ci_low, a.ci_high), "2.00 -0.48 4.48");
  EXPECT_EQ(fmt::format("{:.0f} %", 100 * a.prob_at_least_mid), "50 %");
  EXPECT_EQ(fmt::format("{:.1f} %", 100 * a.prob_better), "96.3 %");
}

TEST(AnalysePairsTest, FourPairsByHand) {
  // Improvements 3, 2, 4, 3: mean 3, sd sqrt(2/3) = 0.81650, se 0.40825;
  // t(0.975, 3) = 3.18245 -> half width 1.29924 -> interval 1.70 to 4.30.
  // P(improvement >= 2) = F3(2.44949); with F3(t) = 1/2 + (t/(sqrt3 (1 + t^2/3)) +
  //   atan(t/sqrt3)) / pi = 1/2 + (0.471405 + 0.955317) / pi = 0.954140.
  PairedAnalysis a = AnalysePairs({3, 2, 4, 3}, 2);
  EXPECT_EQ(fmt::format("{:.2f} {:.2f} {:.2f}", a.mean, a.ci_low, a.ci_high), "3.00 1.70 4.30");
  EXPECT_EQ(fmt::format("{:.1f} %", 100 * a.prob_at_least_mid), "95.4 %");
}

TEST(AnalysePairsTest, IdenticalDifferencesDegenerateGracefully) {
  PairedAnalysis a = AnalysePairs({1, 1, 1}, 2);
  EXPECT_EQ(a.ci_low, 1);
  EXPECT_EQ(a.ci_high, 1);
  EXPECT_EQ(a.prob_at_least_mid, 0);
  EXPECT_EQ(a.prob_better, 1);
}

Layout TinyDesign() {
  // 3 pairs of 3-day periods, first day of each period is washout; pair order on/off, off/on,
  // on/off. Daily ratings, a period needs 1 of its 2 analysed days.
  Layout d;
  d.period_days = 3;
  d.washout_days = 1;
  d.rating_every = 1;
  d.min_ratings = 0.5;
  d.magnesium_first = {true, false, true};
  d.mid = 2;
  return d;
}

TEST(AnalyseTrialTest, SmallTrialByHand) {
  Layout d = TinyDesign();
  // Days:        0   1  2 | 3  4  5 | 6  7  8 | 9 10 11 | 12 13 14 | 15 16 17
  // Period:      on       | off     | off     | on      | on       | off
  // Rating:      9   3  5 | 1  6  8 | 0  7  7 | 9  4  - | 8  2  4  | 2  6  7
  // (days 0, 3, 6, 9, 12 and 15 are washout and not analysed; day 11 is missing)
  std::vector<std::optional<double>> daily = {9, 3, 5, 1, 6, 8, 0, 7, 7, 9, 4, std::nullopt,
                                              8, 2, 4, 2, 6, 7};
  // Pair 1: on mean (3+5)/2 = 4, off mean (6+8)/2 = 7 -> improvement 3.
  // Pair 2: off mean (7+7)/2 = 7, on mean 4 (one rating) -> improvement 3.
  // Pair 3: on mean (2+4)/2 = 3, off mean (6+7)/2 = 6.5 -> improvement 3.5.
  // Mean 3.16667, sd 0.288675, se 0.166667, half width 4.30265 * 0.166667 = 0.717109
  // -> interval 2.45 to 3.88; P(>= 2) = F2(7.0) = 1/2 + 7 / (2 sqrt(51)) = 0.990098.
  TrialAnalysis a = AnalyseTrial(d, daily, 17);
  ASSERT_TRUE(a.finished);
  ASSERT_EQ(a.usable_pairs, 3);
  EXPECT_EQ(a.periods[3].ratings, 1);
  EXPECT_EQ(*a.periods[3].mean, 4);
  ASSERT_TRUE(a.estimate.has_value());
  EXPECT_EQ(fmt::format("{:.2f} {:.2f} {:.2f}", a.estimate->mean, a.estimate->ci_low,
                        a.estimate->ci_high),
            "3.17 2.45 3.88");
  EXPECT_EQ(fmt::format("{:.1f} %", 100 * a.estimate->prob_at_least_mid), "99.0 %");
  EXPECT_EQ(a.verdict, Verdict::kBenefit);
}

TEST(AnalyseTrialTest, NotEnoughDataBeforeTheEndOrWithTooFewPairs) {
  Layout d = TinyDesign();
  std::vector<std::optional<double>> daily(18, 5.0);
  TrialAnalysis interim = AnalyseTrial(d, daily, 11);
  EXPECT_FALSE(interim.finished);
  EXPECT_EQ(interim.usable_pairs, 2);
  EXPECT_TRUE(interim.estimate.has_value());
  EXPECT_EQ(interim.verdict, Verdict::kNotEnoughData);
  EXPECT_FALSE(interim.periods[4].complete);

  daily[4] = daily[5] = std::nullopt;  // Pair 1's off period has no rating left.
  TrialAnalysis sparse = AnalyseTrial(d, daily, 17);
  EXPECT_TRUE(sparse.finished);
  EXPECT_EQ(sparse.usable_pairs, 2);
  EXPECT_EQ(sparse.verdict, Verdict::kNotEnoughData);
}

TEST(AnalyseTrialTest, VerdictsFollowTheInterval) {
  Layout d = TinyDesign();
  auto run = [&](double imp1, double imp2, double imp3) {
    // Each pair: on days at 5 - imp, off days at 5 (with a little spread to avoid se = 0).
    std::vector<std::optional<double>> daily(18);
    double imps[] = {imp1, imp2, imp3};
    for (int day = 0; day < 18; ++day) {
      double imp = imps[day / 6];
      daily[static_cast<size_t>(day)] = d.OnMagnesium(day) ? 5 - imp : 5.0;
    }
    return AnalyseTrial(d, daily, 17).verdict;
  };
  EXPECT_EQ(run(3, 3.5, 4), Verdict::kBenefit);
  EXPECT_EQ(run(-3, -3.5, -4), Verdict::kWorse);
  EXPECT_EQ(run(0.1, -0.1, 0.2), Verdict::kNoMeaningfulBenefit);
  EXPECT_EQ(run(3, -2, 1), Verdict::kInconclusive);
}

TEST(AnalyseTrialTest, HigherIsBetterAndRelativeMid) {
  Layout d = TinyDesign();
  d.higher_is_better = true;
  d.mid = 0.25;
  d.mid_relative = true;
  std::vector<std::optional<double>> daily(18);
  for (int day = 0; day < 18; ++day) {
    daily[static_cast<size_t>(day)] = d.OnMagnesium(day) ? 6.0 + day % 2 : 4.0;
  }
  TrialAnalysis a = AnalyseTrial(d, daily, 17);
  EXPECT_EQ(a.mid_absolute, 1.0);  // 25 % of the off mean 4.
  ASSERT_TRUE(a.estimate.has_value());
  EXPECT_GT(a.estimate->mean, 0);
}

TEST(DesignTest, MinRatings) {
  Layout d;
  d.period_days = 28;
  d.washout_days = 7;
  d.rating_every = 7;
  d.min_ratings = 0.5;
  EXPECT_EQ(d.MinRatingsPerPeriod(), 2);  // 3 weekly ratings expected, half rounded up.
  d.period_days = 14;
  d.washout_days = 4;
  d.rating_every = 1;
  EXPECT_EQ(d.MinRatingsPerPeriod(), 5);
}

// Hand-computed: equal days, on 10 + 5 events, off 20 + 10. The conditional MLE solves
// 15 = 45 p, p = 1/3, ratio p / (1 - p) = 0.5; both pairs sit exactly on the fit (Pearson 0, so
// the dispersion is its floor 1e-3); information 30·(1/3)(2/3) + 15·(2/9) = 10, so
// se = sqrt(1e-3 / 10) = 0.01, on 1 df.
TEST(AnalyseRatesTest, HalfTheRateFitsExactly) {
  auto r = AnalyseRates({{10, 14, 20, 14}, {5, 14, 10, 14}}, 0.25);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->pairs, 2);
  EXPECT_NEAR(r->ratio, 0.5, 1e-12);
  EXPECT_NEAR(r->dispersion, 1e-3, 1e-12);
  EXPECT_NEAR(r->se, 0.01, 1e-12);
  EXPECT_NEAR(r->ci_low, 0.5 * std::exp(-12.7062047361747 * 0.01), 1e-9);
  EXPECT_NEAR(r->ci_high, 0.5 * std::exp(12.7062047361747 * 0.01), 1e-9);
  EXPECT_FALSE(r->zero_corrected);
}

// Hand-computed with overdispersion: 10 days each, on/off (2, 10), (10, 10), (6, 10). p = 18/48,
// ratio 0.6. Pearson terms 6.25/2.8125 + 6.25/4.6875 + 0 = 3.5556 on 2 df: dispersion 1.7778;
// information 11.25; se = sqrt(1.7778 / 11.25) = 0.39753.
TEST(AnalyseRatesTest, OverdispersionWidensTheInterval) {
  auto r = AnalyseRates({{2, 10, 10, 10}, {10, 10, 10, 10}, {6, 10, 10, 10}}, 0.25);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->ratio, 0.6, 1e-12);
  EXPECT_NEAR(r->dispersion, 32.0 / 18, 1e-9);
  EXPECT_NEAR(r->se, std::sqrt((32.0 / 18) / 11.25), 1e-9);
  const double t = StudentTQuantile(0.975, 2);
  EXPECT_NEAR(r->ci_high, 0.6 * std::exp(t * r->se), 1e-9);
  // P(ratio <= 0.75) = T2((log 0.75 - log 0.6) / se).
  EXPECT_NEAR(r->prob_at_least_mid, StudentTCdf(std::log(0.75 / 0.6) / r->se, 2), 1e-12);
  EXPECT_GT(r->prob_better, 0.5);
}

TEST(AnalyseRatesTest, UnequalDaysAreRatesNotCounts) {
  // Twice the days off with twice the events: the same rate, ratio 1.
  auto r = AnalyseRates({{7, 10, 14, 20}, {3, 5, 6, 10}}, 0.25);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->ratio, 1, 1e-12);
}

TEST(AnalyseRatesTest, NoEventsInOneArmIsCorrectedAndPairsWithoutEventsCarryNothing) {
  auto r = AnalyseRates({{0, 14, 5, 14}, {0, 14, 3, 14}, {0, 14, 0, 14}}, 0.25);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->zero_corrected);
  EXPECT_EQ(r->pairs, 2);
  EXPECT_NEAR(r->ratio, 1.0 / 9, 1e-9);  // (0.5 + 0.5) / (5.5 + 3.5).
  EXPECT_FALSE(AnalyseRates({{0, 14, 0, 14}, {1, 14, 0, 14}}, 0.25).has_value());
}

// Normal prior x normal likelihood on the log scale: precisions add.
TEST(AnalyseRatesTest, ThePriorPullsTowardThePooledEvidence) {
  RateAnalysis r;
  r.log_ratio = std::log(0.5);
  r.se = 0.3;
  const RatePrior prior{-0.10, 0.17};
  InformedRate p = CombineWithPrior(r, prior, 0.25);
  const double w_data = 1 / 0.09, w_prior = 1 / (0.17 * 0.17);
  const double mean = (w_data * std::log(0.5) + w_prior * -0.10) / (w_data + w_prior);
  EXPECT_NEAR(p.ratio, std::exp(mean), 1e-12);
  EXPECT_GT(p.ratio, 0.5);  // Pulled toward 0.90.
  EXPECT_LT(p.ratio, 0.905);
  const double sd = std::sqrt(1 / (w_data + w_prior));
  EXPECT_NEAR(p.ci_low, std::exp(mean - 1.959963984540054 * sd), 1e-12);
  EXPECT_NEAR(p.prob_at_least_mid, 0.5 * std::erfc(-(std::log(0.75) - mean) / sd / std::sqrt(2.0)),
              1e-12);
}

TEST(AnalyseTrialTest, CountOutcomesGetTheRateAnalysisBesideThePairedMeans) {
  Layout d = TinyDesign();
  d.mid = 0.25;
  d.mid_relative = true;
  d.counts = true;
  std::vector<std::optional<double>> daily(18);
  for (int day = 0; day < 18; ++day) {
    daily[static_cast<size_t>(day)] = d.OnMagnesium(day) ? day % 2 : 2.0;
  }
  TrialAnalysis a = AnalyseTrial(d, daily, 17);
  ASSERT_TRUE(a.rates.has_value());
  EXPECT_LT(a.rates->ratio, 0.5);
  d.counts = false;
  EXPECT_FALSE(AnalyseTrial(d, daily, 17).rates.has_value());
}

}  // namespace
}  // namespace mg::trial
