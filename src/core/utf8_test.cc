#include "core/utf8.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <utf8.h>

#include <random>
#include <string>
#include <vector>

namespace mg {
namespace {

using ::testing::HasSubstr;

TEST(Utf8Test, FindsTheFirstBadByteWithLineAndColumn) {
  EXPECT_FALSE(FindInvalidUtf8("plain ASCII").has_value());
  EXPECT_FALSE(FindInvalidUtf8("café, 200 µg, €3, 🙂").has_value());
  const auto problem = FindInvalidUtf8("first line\ncaf\xE9 au lait");
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->offset, 14u);
  EXPECT_EQ(problem->line, 2u);
  EXPECT_EQ(problem->column, 4u);
  EXPECT_EQ(problem->byte, 0xE9);
}

// The ASCII runs skipped eight bytes at a time change nothing: on random texts of ASCII, valid
// characters of every length, stray continuation bytes, cut characters and bytes UTF-8 never
// uses, in every order and at every offset, the first bad byte found is utf8cpp's reading the
// whole text at once.
TEST(Utf8Test, SkippingAsciiRunsFindsWhatReadingEveryByteFinds) {
  const std::vector<std::string> pieces = {"a",
                                           "plain ascii text ",
                                           "\n",
                                           "é",
                                           "€",
                                           "🙂",
                                           "\x80",
                                           "\xbf",
                                           "\xc3",
                                           "\xe2\x82",
                                           "\xf0\x9f\x99",
                                           "\xff",
                                           "\xc0\xaf",
                                           "\xed\xa0\x80",
                                           "\x7f"};
  std::mt19937 random(7);  // Fixed seed: the same texts every run.
  int invalid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int count = static_cast<int>(random() % 12);
    for (int j = 0; j < count; ++j) {
      // Mostly valid pieces, so bad bytes fall after ASCII runs of many lengths.
      const size_t piece = random() % 4 == 0 ? random() % pieces.size() : random() % 6;
      text += pieces[piece];
    }
    const auto expected = utf8::find_invalid(text.begin(), text.end());
    const auto problem = FindInvalidUtf8(text);
    if (expected == text.end()) {
      ASSERT_FALSE(problem.has_value()) << text;
    } else {
      ++invalid;
      ASSERT_TRUE(problem.has_value()) << text;
      ASSERT_EQ(problem->offset, static_cast<size_t>(expected - text.begin())) << text;
    }
  }
  EXPECT_GT(invalid, 1000);
  EXPECT_LT(invalid, 19000);
}

TEST(Utf8Test, RefusesWhatUtf8Forbids) {
  const std::vector<std::string> bad = {
      "\xC0\xAF",          // Overlong '/'.
      "\xED\xA0\x80",      // A UTF-16 surrogate.
      "\xF4\x90\x80\x80",  // Above U+10FFFF.
      "\xE2\x82",          // Truncated €.
      "\x80",              // A stray continuation byte.
      "\xFF",
  };
  for (const std::string& text : bad) EXPECT_FALSE(IsValidUtf8(text)) << QuoteForMessage(text);
}

TEST(Utf8Test, ReplacesBadSequencesWithTheReplacementCharacter) {
  EXPECT_EQ(ReplaceInvalidUtf8("caf\xE9"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(ReplaceInvalidUtf8("ok"), "ok");
  EXPECT_TRUE(IsValidUtf8(ReplaceInvalidUtf8("\xE2\x82 and \xFF\xFE")));
}

TEST(Utf8Test, CheckNamesTheFieldAndTheOffset) {
  EXPECT_TRUE(CheckUtf8("café", "note").ok());
  const Status status = CheckUtf8("caf\xE9", "note");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "note: byte offset 3 (0xE9) is not valid UTF-8 in \"caf\\xE9\"");
  EXPECT_TRUE(IsValidUtf8(status.error().message));
}

TEST(Utf8Test, DocumentErrorsNameLineColumnAndTheLikelyEncoding) {
  const Status latin1 = CheckUtf8Document("date,food\n2026-01-02,caf\xE9\n", "diary.csv");
  ASSERT_FALSE(latin1.ok());
  EXPECT_THAT(latin1.error().message,
              HasSubstr("diary.csv:2:15: byte offset 24 (0xE9) is not valid UTF-8"));
  EXPECT_THAT(latin1.error().message, HasSubstr("Latin-1"));
  EXPECT_THAT(latin1.error().message, HasSubstr("iconv -f LATIN1 -t UTF-8"));

  // 0x93/0x94 are curly quotes in Windows-1252 and control characters in Latin-1.
  const Status cp1252 = CheckUtf8Document("note\n\x93quoted\x94 caf\xE9\n", "notes.csv");
  ASSERT_FALSE(cp1252.ok());
  EXPECT_THAT(cp1252.error().message, HasSubstr("Windows-1252"));
  EXPECT_THAT(cp1252.error().message, HasSubstr("iconv -f WINDOWS-1252 -t UTF-8"));

  const Status utf16 = CheckUtf8Document(
      "\xFF\xFE"
      "d\0a\0",
      "export.csv");
  ASSERT_FALSE(utf16.ok());
  EXPECT_THAT(utf16.error().message, HasSubstr("UTF-16"));
}

TEST(Utf8Test, ArgumentsAreCheckedWithTheirPositionAndOption) {
  const char* good[] = {"mgadvisor", "log", "note", "café"};
  EXPECT_TRUE(CheckUtf8Arguments(4, good).ok());
  const char* bad[] = {"mgadvisor", "log", "note", "caf\xE9"};
  const Status status = CheckUtf8Arguments(4, bad);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.error().message,
              HasSubstr("argument 3 \"caf\\xE9\" (after \"note\"): byte offset 3 (0xE9)"));
  EXPECT_TRUE(IsValidUtf8(status.error().message));
}

TEST(Utf8Test, QuotesAreBoundedEscapedAndCutBetweenCharacters) {
  EXPECT_EQ(QuoteForMessage("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
  EXPECT_EQ(QuoteForMessage(std::string(100, 'x'), 5), "\"xxxxx…\"");
  // Five two-byte characters: the cut after three never splits one.
  EXPECT_EQ(QuoteForMessage("ééééé", 3), "\"ééé…\"");
  EXPECT_EQ(QuoteForMessage("a\xFF"
                            "b",
                            40),
            "\"a\\xFFb\"");
  const std::string huge(1 << 20, '\xE9');
  const std::string quoted = QuoteForMessage(huge);
  EXPECT_LT(quoted.size(), 200u);
  EXPECT_TRUE(IsValidUtf8(quoted));
}

}  // namespace
}  // namespace mg
