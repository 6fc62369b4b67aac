#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "check/check.h"

namespace mg::check {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Split(const std::string& text) {
  static const std::vector<std::string> abbreviations = {"e.g", "dr", "et", "al"};
  std::vector<std::string> out;
  for (const Sentence& s : SplitSentences(text, abbreviations)) {
    out.push_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

TEST(ReadPage, RefusesEmptyBinaryInvalidAndOversizedInput) {
  for (const std::string& bad : {std::string(""), std::string(" \n\t ")}) {
    auto page = ReadPage(bad, "page.txt");
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(page.error().message, HasSubstr("page.txt: empty"));
  }
  auto binary = ReadPage(std::string("PK\x03\x04\0\0abc", 9), "x.zip");
  ASSERT_FALSE(binary.ok());
  EXPECT_THAT(binary.error().message, HasSubstr("binary"));
  auto latin1 = ReadPage("Magnesium hilft bei Kr\xE4mpfen.", "de.txt");
  ASSERT_FALSE(latin1.ok());
  EXPECT_THAT(latin1.error().message, HasSubstr("not valid UTF-8"));
  auto big = ReadPage(std::string(101, 'a'), "big.txt", 100);
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.error().message, HasSubstr("over the limit of 100 bytes"));
  auto empty_html = ReadPage("<html><script>var a = 1;</script></html>", "s.html");
  ASSERT_FALSE(empty_html.ok());
  EXPECT_THAT(empty_html.error().message, HasSubstr("no visible text"));
}

TEST(ReadPage, StripsMarkupScriptsAndNavigationAndMapsOffsetsBack) {
  const std::string html =
      "<!doctype html><html><head><title>Shop</title><style>p{color:red}</style></head><body>"
      "<nav><a href=/>Home</a> Magnesium cures everything.</nav>"
      "<p>Magnesium &amp; sleep: it <b>may</b> help&nbsp;some people.</p>"
      "<script>document.write('Magnesium cures cancer.')</script>"
      "<footer>Magnesium is FDA approved.</footer></body></html>";
  auto page = ReadPage(html, "shop.html");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->format, PageFormat::kHtml);
  EXPECT_EQ(page->text, "Magnesium & sleep: it may help some people.");
  ASSERT_EQ(page->source_begin.size(), page->text.size());
  // The first byte maps to the 'M' after <p>, the '&' to the whole entity.
  EXPECT_EQ(html.substr(page->source_begin[0], 9), "Magnesium");
  const size_t amp = page->text.find('&');
  EXPECT_EQ(html.substr(page->source_begin[amp], page->source_end[amp] - page->source_begin[amp]),
            "&amp;");
}

TEST(ReadPage, DecodesNumericEntitiesAndKeepsLoneAngleBrackets) {
  auto page = ReadPage("<p>dose &#60; 350&#x20;mg &bogus; &#xZZ; 3 < 4</p>", "a.html");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->text, "dose < 350 mg &bogus; &#xZZ; 3 < 4");
}

TEST(SplitSentences, SplitsAtSentenceEndsButNotAbbreviationsDecimalsOrInitials) {
  EXPECT_THAT(Split("Take 2.5 mg, e.g. with food. Dr. Smith agrees! Does it work? J. Walker "
                    "et al. found little."),
              ::testing::ElementsAre("Take 2.5 mg, e.g. with food.", "Dr. Smith agrees!",
                                     "Does it work?", "J. Walker et al. found little."));
}

TEST(SplitSentences, LinesHeadingsAndListItemsStandAlone) {
  EXPECT_THAT(
      Split("# Magnesium for Sleep\nMagnesium may help some\npeople sleep.\n\n- Cures "
            "cramps\n- Safe for everyone\n"),
      ::testing::ElementsAre("# Magnesium for Sleep", "Magnesium may help some\npeople sleep.",
                             "- Cures cramps", "- Safe for everyone"));
}

}  // namespace
}  // namespace mg::check
