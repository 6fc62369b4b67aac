#include "core/icalendar.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mg {
namespace {

// The physical lines of folded text (each ended by CRLF), without their CRLF.
std::vector<std::string> PhysicalLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(text.substr(start, end - start));
  }
  EXPECT_EQ(start, text.size()) << "text after the last CRLF";
  return lines;
}

// Unfolding as RFC 5545 3.1 says: remove every CRLF followed by one space.
std::string Unfold(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

bool ValidUtf8Boundaries(const std::string& line) {
  // No physical line may start with a continuation byte (after the fold's space) or end inside a
  // sequence: check by decoding lead bytes.
  size_t i = 0;
  while (i < line.size()) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const size_t length = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (length == 0 || i + length > line.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(line[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(ICalendarTest, TextIsEscaped) {
  EXPECT_EQ(EscapeICalendarText("a, b; c\\d\r\ne\nf"), "a\\, b\\; c\\\\d\\ne\\nf");
  EXPECT_EQ(EscapeICalendarText("plain: colons stay"), "plain: colons stay");
}

TEST(ICalendarTest, ShortLinesAreNotFolded) {
  const std::string line(75, 'x');
  EXPECT_EQ(FoldICalendarLine(line), line + "\r\n");
}

TEST(ICalendarTest, LongLinesFoldAt75OctetsAndUnfoldToTheSame) {
  const std::string line = "DESCRIPTION:" + std::string(300, 'a');
  const std::string folded = FoldICalendarLine(line);
  const auto lines = PhysicalLines(folded);
  ASSERT_GT(lines.size(), 4u);
  EXPECT_EQ(lines[0].size(), 75u);
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i][0], ' ');
    EXPECT_LE(lines[i].size(), 75u);
  }
  EXPECT_EQ(Unfold(folded), line + "\r\n");
}

TEST(ICalendarTest, FoldsNeverSplitAUtf8Character) {
  // Two-, three- and four-byte characters at every offset against the fold.
  for (const std::string ch : {"é", "€", "𝄞"}) {
    for (size_t prefix = 0; prefix < 8; ++prefix) {
      std::string line = "SUMMARY:" + std::string(prefix, 'x');
      for (int i = 0; i < 60; ++i) line += ch;
      const std::string folded = FoldICalendarLine(line);
      for (const std::string& physical : PhysicalLines(folded)) {
        EXPECT_LE(physical.size(), 75u);
        const std::string content = physical.starts_with(' ') ? physical.substr(1) : physical;
        EXPECT_TRUE(ValidUtf8Boundaries(content)) << "prefix " << prefix << ": " << physical;
      }
      EXPECT_EQ(Unfold(folded), line + "\r\n");
    }
  }
}

TEST(ICalendarTest, BytesThatAreNotUtf8StillFold) {
  const std::string line(200, '\x80');
  const auto lines = PhysicalLines(FoldICalendarLine(line));
  for (const auto& physical : lines) EXPECT_LE(physical.size(), 75u);
  EXPECT_EQ(Unfold(FoldICalendarLine(line)), line + "\r\n");
}

TEST(ICalendarTest, WriterFramesTheCalendarWithCrlfLines) {
  ICalendarWriter out("-//test//EN");
  out.Begin("VEVENT");
  out.Raw("UID", "a@b");
  out.Text("SUMMARY", "x, y");
  out.End("VEVENT");
  EXPECT_EQ(std::move(out).Finish(),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nCALSCALE:GREGORIAN\r\n"
            "BEGIN:VEVENT\r\nUID:a@b\r\nSUMMARY:x\\, y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
}

}  // namespace
}  // namespace mg
