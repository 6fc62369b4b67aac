// ReadPage and SplitSentences: from bytes to the sentences a reader sees.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "check/check.h"
#include "core/utf8.h"

namespace mg::check {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool StartsWithNoCase(std::string_view text, size_t at, std::string_view prefix) {
  if (at + prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[at + i]) != prefix[i]) return false;
  }
  return true;
}

// A page is HTML when it opens with markup or carries common block tags; anything else
// (plain text, Markdown) is read as it is.
bool LooksLikeHtml(std::string_view bytes) {
  size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < bytes.size() && IsSpace(bytes[i])) ++i;
  if (i < bytes.size() && bytes[i] == '<' && i + 1 < bytes.size() &&
      (std::isalpha(static_cast<unsigned char>(bytes[i + 1])) || bytes[i + 1] == '!')) {
    return true;
  }
  for (std::string_view tag : {"<p>", "<p ", "<br", "<div", "</p>", "<html", "<body", "<li>"}) {
    for (size_t at = bytes.find('<'); at != std::string_view::npos; at = bytes.find('<', at + 1)) {
      if (StartsWithNoCase(bytes, at, tag)) return true;
      if (at > 4096) break;  // Markup shows early; do not scan a long text for it.
    }
  }
  return false;
}

// Elements whose content a reader does not see as the article: code, styling, navigation.
constexpr std::array<std::string_view, 11> kSkippedElements = {
    "script", "style",  "noscript", "template", "svg",   "nav",
    "head",   "header", "footer",   "aside",    "iframe"};
// Elements that end a line of text (so sentences never run across them).
constexpr std::array<std::string_view, 27> kBlockElements = {
    "p",          "div", "br", "li",         "ul", "ol",   "h1",    "h2",      "h3",
    "h4",         "h5",  "h6", "tr",         "td", "th",   "table", "section", "article",
    "blockquote", "dt",  "dd", "figcaption", "hr", "main", "title", "pre",     "option"};

struct Entity {
  std::string_view name;
  std::string_view utf8;
};
// The named entities that appear in ordinary prose; others stay as written.
constexpr std::array<Entity, 24> kEntities = {{
    {"amp", "&"},         {"lt", "<"},         {"gt", ">"},         {"quot", "\""},
    {"apos", "'"},        {"nbsp", " "},       {"ndash", "\u2013"}, {"mdash", "\u2014"},
    {"rsquo", "\u2019"},  {"lsquo", "\u2018"}, {"ldquo", "\u201C"}, {"rdquo", "\u201D"},
    {"hellip", "\u2026"}, {"deg", "\u00B0"},   {"micro", "\u00B5"}, {"times", "\u00D7"},
    {"middot", "\u00B7"}, {"reg", "\u00AE"},   {"trade", "\u2122"}, {"copy", "\u00A9"},
    {"eacute", "\u00E9"}, {"uuml", "\u00FC"},  {"shy", ""},         {"bull", "\u2022"},
}};

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class HtmlReader {
 public:
  explicit HtmlReader(std::string_view in) : in_(in) {}

  Page Read() {
    size_t i = 0;
    while (i < in_.size()) {
      const char c = in_[i];
      if (c == '<') {
        i = Tag(i);
      } else if (c == '&') {
        i = EntityAt(i);
      } else {
        if (skip_depth_ == 0) Emit(std::string_view(&in_[i], 1), i, i + 1);
        ++i;
      }
    }
    while (!page_.text.empty() && IsSpace(page_.text.back())) {
      page_.text.pop_back();
      page_.source_begin.pop_back();
      page_.source_end.pop_back();
    }
    page_.format = PageFormat::kHtml;
    return std::move(page_);
  }

 private:
  void Emit(std::string_view bytes, size_t begin, size_t end) {
    for (char b : bytes) {
      // Runs of whitespace collapse to one space, as a browser shows them.
      if (IsSpace(b) && b != '\n') b = ' ';
      if (b == ' ' &&
          (page_.text.empty() || page_.text.back() == ' ' || page_.text.back() == '\n')) {
        continue;
      }
      page_.text += b;
      page_.source_begin.push_back(static_cast<uint32_t>(begin));
      page_.source_end.push_back(static_cast<uint32_t>(end));
    }
  }
  void LineBreak(size_t at) {
    if (skip_depth_ > 0) return;
    while (!page_.text.empty() && page_.text.back() == ' ') {
      page_.text.pop_back();
      page_.source_begin.pop_back();
      page_.source_end.pop_back();
    }
    if (!page_.text.empty() && page_.text.back() != '\n') Emit("\n", at, at);
  }

  size_t EntityAt(size_t i) {
    const size_t semi = in_.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      if (skip_depth_ == 0) Emit("&", i, i + 1);
      return i + 1;
    }
    const std::string_view name = in_.substr(i + 1, semi - i - 1);
    std::string decoded;
    if (!name.empty() && name[0] == '#') {
      uint32_t cp = 0;
      bool ok = name.size() > 1;
      const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      for (size_t k = hex ? 2 : 1; k < name.size() && ok; ++k) {
        const int digit =
            std::isxdigit(static_cast<unsigned char>(name[k]))
                ? (std::isdigit(static_cast<unsigned char>(name[k])) ? name[k] - '0'
                                                                     : Lower(name[k]) - 'a' + 10)
                : -1;
        if (digit < 0 || (!hex && digit > 9)) ok = false;
        if (ok) cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + digit, 0x110000);
      }
      if (hex && name.size() == 2) ok = false;
      if (!ok) {
        if (skip_depth_ == 0) Emit("&", i, i + 1);
        return i + 1;
      }
      AppendUtf8(decoded, cp);
    } else {
      const auto* entity = std::find_if(kEntities.begin(), kEntities.end(),
                                        [&](const Entity& e) { return e.name == name; });
      if (entity == kEntities.end()) {
        if (skip_depth_ == 0) Emit("&", i, i + 1);
        return i + 1;
      }
      decoded = entity->utf8;
    }
    if (skip_depth_ == 0) Emit(decoded, i, semi + 1);
    return semi + 1;
  }

  size_t Tag(size_t i) {
    if (in_.substr(i, 4) == "<!--") {
      const size_t end = in_.find("-->", i + 4);
      return end == std::string_view::npos ? in_.size() : end + 3;
    }
    const size_t close = in_.find('>', i + 1);
    if (close == std::string_view::npos) {
      // A lone '<' in text ("dose < 350 mg") is text.
      if (skip_depth_ == 0) Emit("<", i, i + 1);
      return i + 1;
    }
    size_t k = i + 1;
    const bool closing = k < close && in_[k] == '/';
    if (closing) ++k;
    if (k >= close ||
        !(std::isalpha(static_cast<unsigned char>(in_[k])) || in_[k] == '!' || in_[k] == '?')) {
      if (skip_depth_ == 0) Emit("<", i, i + 1);
      return i + 1;
    }
    std::string name;
    while (k < close && (std::isalnum(static_cast<unsigned char>(in_[k])))) name += Lower(in_[k++]);
    const bool self_closing = close > i && in_[close - 1] == '/';
    const bool skipped =
        std::find(kSkippedElements.begin(), kSkippedElements.end(), name) != kSkippedElements.end();
    const bool block =
        std::find(kBlockElements.begin(), kBlockElements.end(), name) != kBlockElements.end();
    if (skipped && !self_closing) {
      if (closing) {
        if (skip_depth_ > 0) --skip_depth_;
      } else if (name == "script" || name == "style") {
        // Their content is raw text: jump to the matching end tag, whatever it holds.
        const std::string end_tag = "</" + name;
        size_t at = close + 1;
        while (at < in_.size() && !StartsWithNoCase(in_, at, end_tag)) {
          at = in_.find('<', at + 1);
          if (at == std::string_view::npos) return in_.size();
        }
        const size_t end = in_.find('>', at);
        return end == std::string_view::npos ? in_.size() : end + 1;
      } else {
        ++skip_depth_;
      }
    }
    if (block) LineBreak(i);
    return close + 1;
  }

  std::string_view in_;
  Page page_;
  int skip_depth_ = 0;
};

Page ReadPlain(std::string_view bytes) {
  Page page;
  page.format = PageFormat::kText;
  page.text.assign(bytes);
  page.source_begin.resize(bytes.size());
  page.source_end.resize(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    page.source_begin[i] = static_cast<uint32_t>(i);
    page.source_end[i] = static_cast<uint32_t>(i + 1);
  }
  return page;
}

}  // namespace

Result<Page> ReadPage(std::string_view bytes, std::string_view source, size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return InvalidArgument(fmt::format("{}: {} bytes is over the limit of {} bytes for a page",
                                       source, bytes.size(), max_bytes));
  }
  if (std::all_of(bytes.begin(), bytes.end(), IsSpace)) {
    return InvalidArgument(fmt::format("{}: empty: there is no text to check", source));
  }
  // Binary files (images, PDFs, archives) carry NUL and other control bytes that text never does.
  size_t controls = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(bytes[i]);
    if (b == 0) {
      return InvalidArgument(fmt::format(
          "{}: byte offset {} is a NUL byte: this looks like a binary file, not text", source, i));
    }
    if (b < 0x20 && !IsSpace(static_cast<char>(b)) && b != 0x1B) ++controls;
  }
  if (controls * 100 > bytes.size()) {
    return InvalidArgument(fmt::format(
        "{}: {} control bytes: this looks like a binary file, not text", source, controls));
  }
  MG_RETURN_IF_ERROR(CheckUtf8Document(bytes, source));
  Page page = LooksLikeHtml(bytes) ? HtmlReader(bytes).Read() : ReadPlain(bytes);
  if (std::all_of(page.text.begin(), page.text.end(), IsSpace)) {
    return InvalidArgument(fmt::format("{}: the page has no visible text to check", source));
  }
  return page;
}

namespace {

bool IsAbbreviation(std::string_view text, size_t dot,
                    const std::vector<std::string>& abbreviations) {
  size_t begin = dot;
  while (begin > 0 &&
         (std::isalpha(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '.')) {
    --begin;
  }
  std::string word;
  for (size_t i = begin; i < dot; ++i) word += Lower(text[i]);
  if (word.size() == 1) return true;  // An initial: "J. Smith".
  return std::find(abbreviations.begin(), abbreviations.end(), word) != abbreviations.end();
}

bool StartsSentence(std::string_view text, size_t i) {
  if (i >= text.size()) return true;
  const unsigned char c = static_cast<unsigned char>(text[i]);
  return std::isupper(c) || std::isdigit(c) || c == '"' || c == '\'' || c == '(' || c == '[' ||
         c == '*' || c >= 0x80;
}

// A line that stands alone: a Markdown heading, a list item, or a table row.
bool IsOwnLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size()) return true;
  const char c = line[i];
  if (c == '#' || c == '>' || c == '|') return true;
  if ((c == '-' || c == '*' || c == '+') && i + 1 < line.size() && line[i + 1] == ' ') return true;
  if (line.substr(i, 3) == "\xE2\x80\xA2") return true;  // •
  size_t d = i;
  while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
  return d > i && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ';
}

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view text,
                                     const std::vector<std::string>& abbreviations) {
  std::vector<Sentence> out;
  auto add = [&](size_t begin, size_t end) {
    while (begin < end && IsSpace(text[begin])) ++begin;
    while (end > begin && IsSpace(text[end - 1])) --end;
    if (end > begin) out.push_back({begin, end});
  };
  size_t start = 0;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      const std::string_view line = text.substr(line_start, i - line_start);
      size_t next = i + 1;
      size_t next_end = text.find('\n', next);
      if (next_end == std::string_view::npos) next_end = text.size();
      const std::string_view next_line = text.substr(next, next_end - next);
      size_t last = i;
      while (last > line_start && IsSpace(text[last - 1])) --last;
      const char before = last > line_start ? text[last - 1] : '\n';
      // A wrapped line continues its sentence; a blank line, a heading, a list item or a line
      // that ends like a title does not.
      const bool blank = std::all_of(next_line.begin(), next_line.end(), IsSpace) ||
                         std::all_of(line.begin(), line.end(), IsSpace);
      const bool continues = !blank && !IsOwnLine(line) && !IsOwnLine(next_line) &&
                             (std::islower(static_cast<unsigned char>(before)) || before == ',' ||
                              before == ';' || before == '-' || before == '(');
      if (!continues) {
        add(start, i);
        start = i + 1;
      }
      line_start = i + 1;
      continue;
    }
    if (c == '.' || c == '!' || c == '?') {
      size_t j = i + 1;
      while (j < text.size() && (text[j] == '.' || text[j] == '!' || text[j] == '?' ||
                                 text[j] == '"' || text[j] == '\'' || text[j] == ')')) {
        ++j;
      }
      // Closing quotes written as UTF-8 (’ ”).
      while (j + 2 < text.size() && text[j] == '\xE2' && text[j + 1] == '\x80' &&
             (text[j + 2] == '\x99' || text[j + 2] == '\x9D')) {
        j += 3;
      }
      if (j < text.size() && !IsSpace(text[j])) continue;  // "2.5", "e.g.,", "U.S.A"
      size_t k = j;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
      if (k < text.size() && text[k] != '\n' && !StartsSentence(text, k)) continue;
      if (c == '.' && IsAbbreviation(text, i, abbreviations)) continue;
      add(start, j);
      start = j;
      i = j - 1;
    }
  }
  add(start, text.size());
  return out;
}

}  // namespace mg::check
