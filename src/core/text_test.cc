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

TEST(NormalizeName, IntoABufferWritesTheSameBytesAndNoMore) {
  for (std::string_view text :
       {"", "---", "  Magnesium-Citrate ", "night_cramps", "a  b", "Café au LAIT!", "x"}) {
    std::string buffer(text.size() + 8, '#');
    const size_t size = NormalizeNameTo(text, buffer.data());
    EXPECT_EQ(buffer.substr(0, size), NormalizeName(text)) << text;
    EXPECT_EQ(buffer.substr(text.size()), "########") << text;  // Nothing past text.size().
  }
}

TEST(StringHash, HashesStringsAndViewsAlike) {
  const std::string text = "leg cramps";
  EXPECT_EQ(StringHash{}(text), StringHash{}(std::string_view("leg cramps")));
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
