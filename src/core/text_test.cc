#include "core/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mg {
namespace {

using ::testing::ElementsAre;

TEST(NormalizeName, FoldsCasePunctuationAndSpaces) {
  EXPECT_EQ(NormalizeName("  Magnesium-Citrate "), "magnesium citrate");
  EXPECT_EQ(NormalizeName("L-Threonate (Mg)"), "l threonate mg");
  EXPECT_EQ(NormalizeName("---"), "");
}

TEST(EditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("citrate", "citrate"), 0);
  EXPECT_EQ(EditDistance("citrat", "citrate"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

TEST(CloseMatches, RanksByDistanceAndDropsFarOnes) {
  const std::vector<std::string> names = {"citrate", "carbonate", "chloride", "oxide", "malate"};
  EXPECT_THAT(CloseMatches("citrat", names), ElementsAre("citrate"));
  EXPECT_THAT(CloseMatches("zzzzzz", names), ElementsAre());
  EXPECT_THAT(CloseMatches("oxid", names), ElementsAre("oxide"));
}

TEST(CloseMatches, AcceptsContainment) {
  EXPECT_THAT(CloseMatches("glycinate", {"magnesium bisglycinate", "oxide"}),
              ElementsAre("magnesium bisglycinate"));
}

TEST(JoinAlternatives, ReadsAsEnglish) {
  EXPECT_EQ(JoinAlternatives({}), "");
  EXPECT_EQ(JoinAlternatives({"a"}), "a");
  EXPECT_EQ(JoinAlternatives({"a", "b", "c"}), "a, b or c");
}

}  // namespace
}  // namespace mg
