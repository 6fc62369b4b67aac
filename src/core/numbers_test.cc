#include "core/numbers.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mg
