#include "core/utf8.h"

#include <fmt/format.h>
#include <utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace mg {
namespace {

Utf8Problem ProblemAt(std::string_view text, size_t offset) {
  Utf8Problem problem;
  problem.offset = offset;
  problem.byte = static_cast<unsigned char>(text[offset]);
  const std::string_view before = text.substr(0, offset);
  problem.line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  problem.column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return problem;
}

std::string Describe(const Utf8Problem& problem) {
  return fmt::format("byte offset {} (0x{:02X}) is not valid UTF-8", problem.offset, problem.byte);
}

// What a text that is not UTF-8 probably is, and how to convert it. Only a hint for the message:
// the text is refused either way.
std::string EncodingHint(std::string_view text) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    return "it starts with a UTF-16 byte-order mark: save it as UTF-8, or convert it with "
           "iconv -f UTF-16 -t UTF-8 OLD > NEW";
  }
  if (text.find('\0') != std::string_view::npos) {
    return "it holds NUL bytes, so it is probably not text (a spreadsheet file?): export it as "
           "CSV in UTF-8";
  }
  // Bytes 0x80-0x9F are control characters in Latin-1 but letters and punctuation (€ ‘ ’ “ ” –)
  // in Windows-1252, so seeing one among the bad bytes tells the two apart.
  bool windows_1252 = false;
  for (auto it = text.begin(); it != text.end() && !windows_1252;) {
    it = utf8::find_invalid(it, text.end());
    if (it == text.end()) break;
    const auto byte = static_cast<unsigned char>(*it);
    windows_1252 = byte >= 0x80 && byte <= 0x9F;
    ++it;
  }
  const char* name = windows_1252 ? "Windows-1252" : "Latin-1 (ISO-8859-1)";
  const char* iconv_name = windows_1252 ? "WINDOWS-1252" : "LATIN1";
  return fmt::format(
      "the text looks like {}: save it as UTF-8, or convert it with iconv -f {} -t UTF-8 OLD > "
      "NEW",
      name, iconv_name);
}

void AppendEscaped(std::string& out, unsigned char byte) {
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      if (byte < 0x20 || byte >= 0x7F) {
        out += fmt::format("\\x{:02X}", byte);
      } else {
        out += static_cast<char>(byte);
      }
  }
}

}  // namespace

std::optional<Utf8Problem> FindInvalidUtf8(std::string_view text) {
  // Runs of ASCII, which is most of what arrives (request bodies, files), are skipped eight bytes
  // at a time; utf8cpp checks each run of bytes above 0x7F. A valid character never has a byte
  // below 0x80 after its first, so every run starts on a character's first byte, as it does
  // when utf8cpp reads the whole text, and a character an ASCII byte cuts short is reported at
  // the same place.
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const auto high = [&](size_t i) { return static_cast<unsigned char>(text[i]) >= 0x80; };
  size_t i = 0;
  while (true) {
    for (uint64_t word; i + 8 <= text.size(); i += 8) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & kHigh) != 0) break;
    }
    while (i < text.size() && !high(i)) ++i;
    if (i == text.size()) return std::nullopt;
    size_t run_end = i;
    while (run_end < text.size() && high(run_end)) ++run_end;
    const auto begin = text.begin() + static_cast<std::ptrdiff_t>(i);
    const auto end = text.begin() + static_cast<std::ptrdiff_t>(run_end);
    if (const auto bad = utf8::find_invalid(begin, end); bad != end) {
      return ProblemAt(text, static_cast<size_t>(bad - text.begin()));
    }
    i = run_end;
  }
}

bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

std::string ReplaceInvalidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  utf8::replace_invalid(text.begin(), text.end(), std::back_inserter(out));
  return out;
}

Status CheckUtf8(std::string_view text, std::string_view where) {
  const auto problem = FindInvalidUtf8(text);
  if (!problem) return {};
  return InvalidArgument(
      fmt::format("{}: {} in {}", where, Describe(*problem), QuoteForMessage(text)));
}

Status CheckUtf8Document(std::string_view text, std::string_view source) {
  const auto problem = FindInvalidUtf8(text);
  if (!problem) return {};
  return InvalidArgument(fmt::format("{}:{}:{}: {}; {}", source, problem->line, problem->column,
                                     Describe(*problem), EncodingHint(text)));
}

Status CheckUtf8Arguments(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const auto problem = FindInvalidUtf8(argument);
    if (!problem) continue;
    // The argument before names the option a value belongs to ("--note caf\xE9").
    const std::string after =
        i > 1 ? fmt::format(" (after {})", QuoteForMessage(argv[i - 1])) : std::string();
    return InvalidArgument(fmt::format(
        "argument {} {}{}: {}; mgadvisor reads UTF-8 text only (check the terminal's encoding)", i,
        QuoteForMessage(argument), after, Describe(*problem)));
  }
  return {};
}

std::string QuoteForMessage(std::string_view text, size_t max_chars) {
  // A character is at most 4 bytes, so `max_chars` of them never need more than this; looking no
  // further keeps quoting a 60 KB value as cheap as quoting a short one.
  const size_t window = std::min(text.size(), max_chars * 4 + 4);
  const std::string_view head = text.substr(0, window);
  std::string out = "\"";
  size_t chars = 0;
  auto it = head.begin();
  while (it != head.end() && chars < max_chars) {
    const auto bad = utf8::find_invalid(it, head.end());
    // Valid characters up to the bad byte, one at a time so the cut falls between characters.
    while (it != bad && chars < max_chars) {
      const auto start = it;
      utf8::unchecked::next(it);
      if (it - start == 1) {
        AppendEscaped(out, static_cast<unsigned char>(*start));
      } else {
        out.append(start, it);
      }
      ++chars;
    }
    if (it == bad && it != head.end() && chars < max_chars) {
      AppendEscaped(out, static_cast<unsigned char>(*it));
      ++it;
      ++chars;
    }
  }
  const size_t used = static_cast<size_t>(it - head.begin());
  out += used < text.size() ? "…\"" : "\"";
  return out;
}

}  // namespace mg
