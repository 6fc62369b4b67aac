#include "check/tokens.h"

#include <algorithm>
#include <cstdlib>

#include "core/text.h"

namespace mg::check {
namespace {

// ASCII only, without the C library's locale look-up: this runs for every byte of every phrase
// the checker loads and every page it checks.
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The multi-byte punctuation prose uses; other non-ASCII bytes are letters (é, ü, µ...).
enum class Special { kNone, kApostrophe, kDash, kSeparator };
Special SpecialAt(std::string_view text, size_t i, size_t& length) {
  const unsigned char b = static_cast<unsigned char>(text[i]);
  if (b == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
    length = 3;
    switch (static_cast<unsigned char>(text[i + 2])) {
      case 0x98:
      case 0x99:
        return Special::kApostrophe;
      case 0x93:
      case 0x94:
      case 0x90:
      case 0x91:
        return Special::kDash;
      default:
        return Special::kSeparator;  // “ ” … • and other general punctuation.
    }
  }
  if (b == 0xC2 && i + 1 < text.size()) {
    const unsigned char next = static_cast<unsigned char>(text[i + 1]);
    if (next == 0xA0 || next == 0xAB || next == 0xBB || next == 0xB7 || next == 0xAE) {
      length = 2;  // No-break space, « », ·, ®.
      return Special::kSeparator;
    }
  }
  if (b == 0xC3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x97) {
    length = 2;  // ×
    return Special::kSeparator;
  }
  length = 1;
  return Special::kNone;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  auto last_is_number = [&out] { return !out.empty() && out.back().number; };
  while (i < text.size()) {
    const char c = text[i];
    size_t length = 1;
    const Special special =
        static_cast<unsigned char>(c) >= 0x80 ? SpecialAt(text, i, length) : Special::kNone;
    if (special == Special::kDash || c == '-') {
      // A range "300-600" or "300–600": keep the dash between two numbers.
      if (last_is_number() && out.back().end == i && i + length < text.size() &&
          IsAsciiDigit(text[i + length])) {
        out.push_back({"-", static_cast<uint32_t>(i), static_cast<uint32_t>(i + length)});
      }
      i += length;
      continue;
    }
    if (c == '%' || c == '+') {
      out.push_back({std::string(1, c), static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    if (special == Special::kSeparator || special == Special::kApostrophe ||
        (static_cast<unsigned char>(c) < 0x80 && !IsAsciiAlnum(c))) {
      i += length;
      continue;
    }
    Token token;
    token.begin = static_cast<uint32_t>(i);
    if (IsAsciiDigit(c)) {
      // A number: digits with ',' thousands and one '.' decimal part.
      std::string digits;
      while (i < text.size()) {
        if (IsAsciiDigit(text[i])) {
          digits += text[i++];
        } else if ((text[i] == ',' || text[i] == '.') && i + 1 < text.size() &&
                   IsAsciiDigit(text[i + 1]) && !digits.empty()) {
          if (text[i] == '.') digits += '.';
          ++i;
        } else {
          break;
        }
      }
      token.text = digits;
      token.number = true;
      token.value = std::strtod(digits.c_str(), nullptr);
      token.end = static_cast<uint32_t>(i);
      out.push_back(std::move(token));
      continue;
    }
    while (i < text.size()) {
      const char d = text[i];
      size_t len = 1;
      const Special s =
          static_cast<unsigned char>(d) >= 0x80 ? SpecialAt(text, i, len) : Special::kNone;
      const bool apostrophe = d == '\'' || s == Special::kApostrophe;
      if (apostrophe && i + len < text.size() && IsAsciiAlnum(text[i + len]) &&
          !token.text.empty()) {
        token.text += '\'';
        i += len;
        continue;
      }
      if (s != Special::kNone) break;
      if (static_cast<unsigned char>(d) < 0x80 && !IsAsciiAlpha(d) &&
          !(IsAsciiDigit(d) && !token.text.empty())) {
        break;
      }
      token.text += AsciiLower(d);
      ++i;
    }
    token.end = static_cast<uint32_t>(i);
    out.push_back(std::move(token));
  }
  return out;
}

bool PlainWords(std::string_view text, std::vector<std::string_view>& words) {
  words.clear();
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      if (i > start) words.push_back(text.substr(start, i - start));
      start = i + 1;
    } else if (text[i] < 'a' || text[i] > 'z') {
      words.clear();
      return false;
    }
  }
  return true;
}

int PhraseIndex::Intern(std::string_view word) {
  // Most words of the phrases are already known: look first, so only a new word makes a node.
  if (const auto it = vocabulary_.find(word); it != vocabulary_.end()) return it->second;
  const int id = static_cast<int>(vocabulary_.size());
  vocabulary_.emplace(std::string(word), id);
  by_first_.emplace_back();
  return id;
}

bool PhraseIndex::Add(std::string_view phrase, int kind, int payload) {
  Phrase p{{}, kind, payload};
  // Thousands of phrases are added at every start of `check` (issue 20): a plain one is split
  // where it stands, and only the others are tokenised.
  thread_local std::vector<std::string_view> words;
  if (PlainWords(phrase, words)) {
    p.ids.reserve(words.size());
    for (const std::string_view word : words) p.ids.push_back(Intern(word));
  } else {
    for (const Token& t : Tokenize(phrase)) p.ids.push_back(Intern(t.text));
  }
  if (p.ids.empty()) return false;
  by_first_[p.ids[0]].push_back(phrases_.size());
  phrases_.push_back(std::move(p));
  return true;
}

std::vector<int> PhraseIndex::Ids(const std::vector<Token>& tokens) const {
  std::vector<int> ids;
  ids.reserve(tokens.size());
  for (const Token& t : tokens) {
    auto it = vocabulary_.find(t.text);
    // A plural the phrases spell in the singular ("charley horses", "infusions").
    if (it == vocabulary_.end() && t.text.size() > 3 && t.text.back() == 's') {
      it = vocabulary_.find(t.text.substr(0, t.text.size() - 1));
    }
    ids.push_back(it == vocabulary_.end() ? -1 : it->second);
  }
  return ids;
}

void PhraseIndex::Find(const std::vector<int>& ids, std::vector<Hit>& out) const {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0) continue;
    const size_t first = out.size();
    for (size_t index : by_first_[ids[i]]) {
      const Phrase& p = phrases_[index];
      if (i + p.ids.size() > ids.size()) continue;
      if (std::equal(p.ids.begin(), p.ids.end(), ids.begin() + i)) {
        out.push_back(
            {p.kind, p.payload, static_cast<uint32_t>(i), static_cast<uint32_t>(i + p.ids.size())});
      }
    }
    std::sort(out.begin() + first, out.end(),
              [](const Hit& a, const Hit& b) { return a.end > b.end; });
  }
}

}  // namespace mg::check
