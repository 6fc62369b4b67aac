// PlainWords, the checker's quick split of plain phrases, must agree with Tokenize on every text
// it accepts, and accept every text of lower-case letters and spaces.
#include "check/tokens.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::check {
namespace {

std::vector<std::string> TokenTexts(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.text);
  return out;
}

TEST(PlainWords, AgreeWithTokenizeOnEveryTextTheyAccept) {
  // Pieces a phrase is made of: plain letters and spaces, and everything that makes Tokenize do
  // more (capitals, digits, hyphens, apostrophes, curly quotes, accents, percent, plus).
  const std::vector<std::string> pieces = {"a", "z", "m", " ",      "  ",     "A",
                                           "Z", "1", "0", "-",      "'",      ".",
                                           ",", "%", "+", "\u2019", "\u00e9", "\u2013"};
  uint32_t state = 2026;  // A fixed pseudo-random sequence: the same texts on every run.
  size_t accepted = 0, plain = 0;
  std::vector<std::string_view> words;
  for (int n = 0; n < 50000; ++n) {
    std::string text;
    bool only_plain = true;
    state = state * 1664525 + 1013904223;
    const size_t length = (state >> 24) % 9;
    for (size_t k = 0; k < length; ++k) {
      state = state * 1664525 + 1013904223;
      const std::string& piece = pieces[(state >> 16) % pieces.size()];
      only_plain = only_plain && piece.find_first_not_of("az m ") == std::string::npos;
      text += piece;
    }
    const bool ok = PlainWords(text, words);
    if (only_plain) {
      ++plain;
      EXPECT_TRUE(ok) << '"' << text << '"';
    }
    if (!ok) {
      EXPECT_TRUE(words.empty());
      continue;
    }
    ++accepted;
    const std::vector<std::string> split(words.begin(), words.end());
    EXPECT_EQ(split, TokenTexts(text)) << '"' << text << '"';
  }
  EXPECT_GT(plain, 1000u);
  EXPECT_EQ(accepted, plain);  // Nothing else: a capital, digit or sign takes Tokenize.
}

TEST(PhraseIndex, PlainAndTokenisedPhrasesMatchTheSameSentences) {
  PhraseIndex index;
  ASSERT_TRUE(index.Add("leg cramps", 1, 10));
  ASSERT_TRUE(index.Add("Leg-Cramps", 1, 11));  // Tokenised: the same words.
  ASSERT_TRUE(index.Add("  night   cramps ", 2, 20));
  EXPECT_FALSE(index.Add("  ", 3, 30));
  EXPECT_FALSE(index.Add("", 3, 31));
  std::vector<Hit> hits;
  index.Find(index.Ids(Tokenize("My LEG cramps, and night-cramps.")), hits);
  std::vector<std::pair<uint32_t, int>> found;  // (first token, payload)
  for (const Hit& h : hits) found.emplace_back(h.begin, h.payload);
  std::sort(found.begin(), found.end());
  const std::vector<std::pair<uint32_t, int>> expected = {{1, 10}, {1, 11}, {4, 20}};
  EXPECT_EQ(found, expected);
}

}  // namespace
}  // namespace mg::check
