#include "core/numbers.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace mg {
namespace {

TEST(ParseFiniteNumber, AcceptsDecimals) {
  EXPECT_EQ(ParseFiniteNumber("12"), 12.0);
  EXPECT_EQ(ParseFiniteNumber(" 2.5 "), 2.5);
  EXPECT_EQ(ParseFiniteNumber("+3"), 3.0);
  EXPECT_EQ(ParseFiniteNumber("-1.5"), -1.5);
  EXPECT_EQ(ParseFiniteNumber(".5"), 0.5);
  EXPECT_EQ(ParseFiniteNumber("1e2"), 100.0);
}

TEST(ParseFiniteNumber, RejectsEverythingElse) {
  for (const char* bad : {"", " ", "abc", "12mg", "nan", "NaN", "inf", "-inf", "1e999", "0x10",
                          "1,5", "1.2.3", "--1"}) {
    EXPECT_FALSE(ParseFiniteNumber(bad).has_value()) << bad;
  }
}

TEST(FormatReadable, ThreeSignificantFiguresAtMost) {
  EXPECT_EQ(FormatReadable(167.832), "168");
  EXPECT_EQ(FormatReadable(219.04), "219");
  EXPECT_EQ(FormatReadable(1418.8), "1419");
  EXPECT_EQ(FormatReadable(99.507), "99.5");
  EXPECT_EQ(FormatReadable(46.8), "46.8");
  EXPECT_EQ(FormatReadable(6.6512), "6.65");
  EXPECT_EQ(FormatReadable(10.0), "10");
  EXPECT_EQ(FormatReadable(0.5), "0.5");
  EXPECT_EQ(FormatReadable(0.01234), "0.012");
  EXPECT_EQ(FormatReadable(0), "0");
  EXPECT_EQ(FormatReadable(-12.34), "-12.3");
  EXPECT_EQ(FormatReadable(99.96), "100");
}

TEST(FormatNumber, DropsTrailingZeros) {
  EXPECT_EQ(FormatNumber(200.0), "200");
  EXPECT_EQ(FormatNumber(12.25, 2), "12.25");
  EXPECT_EQ(FormatNumber(12.5), "12.5");
  EXPECT_EQ(FormatNumber(-0.01), "0");
  EXPECT_EQ(FormatNumber(0.1234, 3), "0.123");
}

// FormatNumber writes fixed notation with the standard library; its digits must be fmt's
// "{:.Nf}" (what it wrote before), halfway cases and the largest values included.
TEST(FormatNumber, WritesTheDigitsFmtWrites) {
  const auto fmt_way = [](double value, int decimals) {
    std::string out = fmt::format("{:.{}f}", value, decimals);
    if (out.find('.') != std::string::npos) {
      while (out.back() == '0') out.pop_back();
      if (out.back() == '.') out.pop_back();
    }
    return out == "-0" ? std::string("0") : out;
  };
  std::mt19937_64 random(20261204);
  std::uniform_real_distribution<double> exponent(-8, 15);
  size_t compared = 0;
  for (int i = 0; i < 20000; ++i) {
    const double magnitude = std::pow(10.0, exponent(random));
    const double value = (random() % 2 == 0 ? 1 : -1) * magnitude;
    for (int decimals = 0; decimals <= 4; ++decimals) {
      ASSERT_EQ(FormatNumber(value, decimals), fmt_way(value, decimals))
          << value << " " << decimals;
      ++compared;
    }
  }
  // Ties in decimal (exactly representable halves) and values just either side of them.
  for (const double value : {0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1e15 - 0.5, 999999.995,
                             -0.05, -2.5, 1e-9, 5e-324, 123456789012345.6}) {
    for (int decimals = 0; decimals <= 20; ++decimals) {
      EXPECT_EQ(FormatNumber(value, decimals), fmt_way(value, decimals))
          << value << " " << decimals;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100000u);
}

}  // namespace
}  // namespace mg
