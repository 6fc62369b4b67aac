#include "products/label_text.h"

#include <fmt/format.h>

#include <cctype>

#include "core/text.h"

namespace mg::products {
namespace {

constexpr size_t kMaxLabelBytes = 1 << 20;  // A label is a page of text, not a book.
constexpr int kMaxJoinedLines = 4;          // Wrapped names span a few lines, not a paragraph.

// UTF-8 sequences that labels and OCR produce, and what they mean in plain ASCII.
struct Replacement {
  std::string_view from;
  std::string_view to;
};
constexpr Replacement kReplacements[] = {
    {"\xEF\xAC\x80", "ff"},
    {"\xEF\xAC\x81", "fi"},
    {"\xEF\xAC\x82", "fl"},
    {"\xEF\xAC\x83", "ffi"},
    {"\xEF\xAC\x84", "ffl"},  // Ligatures.
    {"\xC2\xA0", " "},
    {"\xE2\x80\x87", " "},
    {"\xE2\x80\x89", " "},  // No-break, figure,
    {"\xE2\x80\xAF", " "},
    {"\xE2\x80\x8B", ""},
    {"\xEF\xBB\xBF", ""},  // thin; zero-width; BOM.
    {"\xE2\x80\x90", "-"},
    {"\xE2\x80\x91", "-"},
    {"\xE2\x80\x92", "-"},  // Hyphens and dashes.
    {"\xE2\x80\x93", "-"},
    {"\xE2\x80\x94", "-"},
    {"\xE2\x88\x92", "-"},
    {"\xC2\xB5", "u"},
    {"\xCE\xBC", "u"},  // Micro signs.
    {"\xE2\x80\x98", "'"},
    {"\xE2\x80\x99", "'"},
    {"\xE2\x80\x9C", "\""},
    {"\xE2\x80\x9D", "\""},
    {"\xE2\x80\xA2", " "},
    {"\xE2\x96\xAA", " "},
    {"\xE2\x96\xA0", " "},  // Bullets.
    {"\xC2\xB7", " "},
    {"\xE2\x80\xA6", " "},  // Middle dot, ellipsis.
    {"\xE2\x80\xA0", " "},
    {"\xE2\x80\xA1", " "},  // Dagger marks.
    {"\xC2\xAE", ""},
    {"\xE2\x84\xA2", ""},  // (R), (TM).
    {"\xC2\xBD",
     "\x01"
     "5"},
    {"\xC2\xBC",
     "\x01"
     "25"},
    {"\xC2\xBE",
     "\x01"
     "75"},  // Fractions.
};

std::string ReplaceSequences(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    bool replaced = false;
    for (const auto& r : kReplacements) {
      if (line.substr(i).starts_with(r.from)) {
        if (r.to.starts_with('\x01')) {
          // A fraction: "1½" → "1.5", "½" → "0.5".
          out += (!out.empty() && IsAsciiDigit(out.back())) ? "." : "0.";
          out += r.to.substr(1);
        } else {
          out += r.to;
        }
        i += r.from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const char c = line[i];
    out.push_back(c == '\t' || c == '\f' || c == '\v' || c == '*' ? ' ' : c);
    ++i;
  }
  return out;
}

// Leader dots and underscores ("Magnesium ........ 200 mg", ". . . .") become a space.
std::string RemoveLeaders(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '.' || line[i] == '_') {
      size_t j = i, marks = 0;
      while (j < line.size() && (line[j] == '.' || line[j] == '_' || line[j] == ' ')) {
        if (line[j] != ' ') ++marks;
        ++j;
      }
      // Only a run of marks; a single "." is a decimal point or a full stop.
      if (marks >= 2) {
        while (j > i && line[j - 1] == ' ') --j;  // Keep the spaces after the run.
        out.push_back(' ');
        i = j;
        continue;
      }
    }
    out.push_back(line[i]);
    ++i;
  }
  return out;
}

std::string CollapseSpaces(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool FollowedByLetter(std::string_view s, size_t i) { return i < s.size() && IsAsciiAlpha(s[i]); }

// OCR slips next to numbers.
std::string FixOcr(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    // The letter O inside a number: a run of digits and O/o that starts with a digit.
    if (IsAsciiDigit(line[i]) && (out.empty() || !IsAsciiAlpha(out.back()))) {
      size_t j = i;
      bool has_o = false;
      while (j < line.size() && (IsAsciiDigit(line[j]) || line[j] == 'O' || line[j] == 'o')) {
        if (!IsAsciiDigit(line[j])) has_o = true;
        ++j;
      }
      const char next = j < line.size() ? static_cast<char>(std::tolower(line[j])) : ' ';
      const bool unit_follows = !IsAsciiAlpha(next) || next == 'm' || next == 'g' || next == 'u';
      if (has_o && unit_follows) {
        for (size_t k = i; k < j; ++k) out.push_back(IsAsciiDigit(line[k]) ? line[k] : '0');
        i = j;
        continue;
      }
      for (size_t k = i; k < j && IsAsciiDigit(line[k]); ++k, ++i) out.push_back(line[k]);
      continue;
    }
    // Misread units right after a number (one optional space).
    const bool after_number =
        (!out.empty() && IsAsciiDigit(out.back())) ||
        (out.size() >= 2 && out.back() == ' ' && IsAsciiDigit(out[out.size() - 2]));
    if (after_number) {
      static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
          {"rnmol", "mmol"}, {"rng", "mg"},  {"rnq", "mg"}, {"mq", "mg"},
          {"meg", "mcg"},    {"mcq", "mcg"}, {"m g", "mg"}, {"rnl", "ml"}};
      bool fixed = false;
      for (const auto& [bad, good] : kUnits) {
        if (line.substr(i).starts_with(bad) && !FollowedByLetter(line, i + bad.size())) {
          out += good;
          i += bad.size();
          fixed = true;
          break;
        }
      }
      if (fixed) continue;
    }
    out.push_back(line[i]);
    ++i;
  }
  return out;
}

// "187,5 mg" → "187.5 mg"; "1,000 mg" → "1000 mg".
std::string FixDecimalCommas(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ',' && i > 0 && IsAsciiDigit(line[i - 1]) && i + 1 < line.size() &&
        IsAsciiDigit(line[i + 1])) {
      size_t digits = 0;
      while (i + 1 + digits < line.size() && IsAsciiDigit(line[i + 1 + digits])) ++digits;
      if (digits == 3) continue;  // Thousands separator.
      if (digits <= 2) {
        out.push_back('.');
        continue;
      }
    }
    out.push_back(line[i]);
  }
  return out;
}

int ParenDepth(std::string_view line) {
  int depth = 0;
  for (char c : line) {
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
  }
  return depth;
}

bool HasDigit(std::string_view s) {
  for (char c : s) {
    if (IsAsciiDigit(c)) return true;
  }
  return false;
}

}  // namespace

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Squeeze(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<std::vector<LabelLine>> CleanLabelText(std::string_view raw) {
  if (raw.size() > kMaxLabelBytes) {
    return InvalidArgument(
        fmt::format("the label text is {} bytes; a label is at most {} bytes "
                    "(is this the right file?)",
                    raw.size(), kMaxLabelBytes));
  }
  std::vector<LabelLine> physical;
  int number = 1;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (unsigned char c : line) {
      if ((c < 0x20 && c != '\t' && c != '\f' && c != '\v' && c != '\r') || c == 0x7F) {
        return InvalidArgument(fmt::format(
            "line {}: contains the control byte 0x{:02X}: this is binary data, not label text",
            number, c));
      }
    }
    std::string cleaned = ReplaceSequences(line);
    cleaned = CollapseSpaces(RemoveLeaders(cleaned));
    cleaned = FixDecimalCommas(FixOcr(cleaned));
    physical.push_back({number, CollapseSpaces(cleaned)});
    ++number;
    start = end + 1;
  }
  std::vector<LabelLine> logical;
  for (size_t i = 0; i < physical.size(); ++i) {
    if (physical[i].text.empty()) continue;
    LabelLine line = physical[i];
    int joined = 0;
    while (i + 1 < physical.size() && joined < kMaxJoinedLines) {
      const std::string& next = physical[i + 1].text;
      if (next.empty()) break;
      const bool open_paren = ParenDepth(line.text) > 0;
      const bool broken_word = line.text.size() >= 2 && line.text.back() == '-' &&
                               IsAsciiAlpha(line.text[line.text.size() - 2]) &&
                               std::islower(static_cast<unsigned char>(next.front())) != 0;
      const std::string squeezed = Squeeze(line.text);
      const bool name_alone =
          !HasDigit(line.text) && squeezed.find("magnesium") != std::string::npos &&
          squeezed.find("ingredient") == std::string::npos && IsAsciiDigit(next.front());
      if (broken_word) {
        line.text.pop_back();
        line.text += next;
      } else if (open_paren || name_alone) {
        line.text += " " + next;
      } else {
        break;
      }
      ++i;
      ++joined;
    }
    logical.push_back(std::move(line));
  }
  if (logical.empty()) return InvalidArgument("the label is empty");
  return logical;
}

}  // namespace mg::products
