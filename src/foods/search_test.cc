#include "foods/search.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "core/data_files.h"
#include "foods/embedded_foods_test_util.h"
#include "foods/search_quality.h"

namespace mg::foods {
namespace {

class SearchTest : public EmbeddedFoodsTest {
 protected:
  std::string Top(const std::string& query) {
    auto hits = index_->Search(query, 1);
    return hits.empty() ? "" : db_[hits[0].food].source;
  }
};

TEST(SearchTokens, LowercasesSplitsAndStemsPlurals) {
  EXPECT_EQ(SearchTokens("Strawberries, RAW"), (std::vector<std::string>{"strawberry", "raw"}));
  EXPECT_EQ(SearchTokens("tomatoes & peaches"), (std::vector<std::string>{"tomato", "peach"}));
  EXPECT_EQ(SearchTokens("hummus, oats"), (std::vector<std::string>{"hummus", "oat"}));
  EXPECT_EQ(SearchTokens("Kellogg's 70-85%"), (std::vector<std::string>{"kellogg", "70", "85"}));
  EXPECT_TRUE(SearchTokens("  ,; ").empty());
}

TEST_F(SearchTest, ForgivesTyposPluralsOrderAndPartialWords) {
  EXPECT_EQ(Top("pumkin seeds"), "sr28:12014");
  EXPECT_EQ(Top("brwn rice cooked"), "sr28:20037");
  EXPECT_EQ(Top("greek yoghurt"), "sr28:01256");
  EXPECT_EQ(Top("rice brown cooked"), "sr28:20037");
  EXPECT_EQ(Top("avacado"), "sr28:09037");
  EXPECT_EQ(Top("quinao"), "sr28:20137");
  EXPECT_EQ(Top("chia"), "sr28:12006");
}

// Issue 20: two edits in a word of five letters or more, when nothing nearer matches.
TEST_F(SearchTest, ForgivesTwoEditsInLongerWords) {
  auto top_name = [&](const std::string& query) {
    auto hits = index_->Search(query, 1);
    return hits.empty() ? std::string() : db_[hits[0].food].name;
  };
  EXPECT_TRUE(top_name("cashues").starts_with("Cashew")) << top_name("cashues");  // u for w, s.
  EXPECT_TRUE(top_name("spinnich").starts_with("Spinach")) << top_name("spinnich");
  EXPECT_TRUE(top_name("avacodo").starts_with("Avocado")) << top_name("avacodo");  // Two letters.
  EXPECT_TRUE(top_name("roasted cashues").starts_with("Cashews, dry roasted"))
      << top_name("roasted cashues");
  // Every word still counts as found, so diary lines name the food.
  auto hits = index_->Search("cashues", 1);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].words_matched, hits[0].words_total);
  // Not for short words: "chai" is two edits from "chia" and from many words of four letters.
  EXPECT_TRUE(index_->Search("qqia", 5).empty());
}

// "keenwa" is four edits from quinoa: a spelling by sound, which no edit distance reaches; the
// synonyms file lists it.
TEST_F(SearchTest, SoundedOutSpellingsComeFromTheSynonyms) {
  EXPECT_EQ(Top("keenwa"), "sr28:20137");
}

TEST_F(SearchTest, DidYouMeanOnlyWhenNothingIsFoundAndTheSuggestionFinds) {
  // Three edits in "seedzzz": too far to search, near enough to suggest.
  EXPECT_TRUE(index_->Search("seedzzz", 5).empty());
  const auto suggestion = index_->DidYouMean("seedzzz");
  ASSERT_TRUE(suggestion.has_value());
  EXPECT_TRUE(suggestion->starts_with("seed")) << *suggestion;
  EXPECT_FALSE(index_->Search(*suggestion, 1).empty());
  EXPECT_EQ(index_->DidYouMean("seedzzzz"), std::nullopt);  // Four edits: no.
  EXPECT_EQ(index_->DidYouMean("xqzvw"), std::nullopt);     // Nothing near.
  EXPECT_EQ(index_->DidYouMean("spinach"), std::nullopt);   // Nothing to correct.
  EXPECT_EQ(index_->DidYouMean(""), std::nullopt);
}

TEST_F(SearchTest, NothingForGibberishAndEmpty) {
  EXPECT_TRUE(index_->Search("", 5).empty());
  EXPECT_TRUE(index_->Search("  ,,, ", 5).empty());
  EXPECT_TRUE(index_->Search("xqzvw", 5).empty());
  EXPECT_TRUE(index_->Search("spinach", 0).empty());
}

TEST_F(SearchTest, QualitySetMeetsFloor) {
  auto text = ReadFile(std::string(MG_SOURCE_DIR) + "/src/foods/testdata/search_queries.tsv");
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto queries = ParseQualityQueries(*text, "search_queries.tsv");
  ASSERT_TRUE(queries.ok()) << queries.error().message;
  ASSERT_GE(queries->size(), 150u);
  for (const auto& q : *queries) {
    for (const auto& source : q.expected) {
      ASSERT_NE(db_.FindBySource(source), nullptr) << q.query << " expects unknown " << source;
    }
  }
  auto score = ScoreQuality(*queries, [&](const std::string& query) {
    std::vector<std::string> out;
    for (const auto& hit : index_->Search(query, 5)) out.push_back(db_[hit.food].source);
    return out;
  });
  std::printf("search quality over the embedded table: %zu queries, top-1 %.1f%%, top-5 %.1f%%\n",
              score.queries, 100 * score.Top1(), 100 * score.Top5());
  for (const auto& miss : score.misses) std::printf("  miss: %s\n", miss.c_str());
  EXPECT_GE(score.Top1(), 0.85);
  EXPECT_GE(score.Top5(), 0.97);
}

}  // namespace
}  // namespace mg::foods
