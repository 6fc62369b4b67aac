#include "chem/formula.h"

#include <fmt/format.h>

#include <cstdint>
#include <vector>

namespace mg::chem {

std::optional<double> AtomicWeights::Of(std::string_view symbol) const {
  const auto it = weights_.find(symbol);
  if (it == weights_.end()) return std::nullopt;
  return it->second;
}

Result<double> AtomicWeights::MolarMass(const ElementCounts& counts) const {
  double total = 0;
  for (const auto& [symbol, count] : counts) {
    const auto weight = Of(symbol);
    if (!weight) return InvalidArgument("no atomic weight for element '" + symbol + "'");
    total += *weight * count;
  }
  return total;
}

namespace {

// Recursive-descent parser over UTF-8 text that tracks character (not byte) positions.
class FormulaParser {
 public:
  FormulaParser(std::string_view text, const AtomicWeights& weights)
      : text_(text), weights_(weights) {}

  Result<ElementCounts> Parse() {
    SkipSpaces();
    if (AtEnd()) return Fail("is empty", 1);
    ElementCounts total;
    while (true) {
      const int multiplier_column = Column();
      const int multiplier = ParseCount(/*default_value=*/1);
      if (multiplier < 0) return *error_;
      ElementCounts part;
      if (!ParseSequence(part, /*closing=*/'\0', /*depth=*/0)) return *error_;
      if (!AddScaled(part, multiplier, multiplier_column, total)) return *error_;
      SkipSpaces();
      if (AtEnd()) break;
      if (!ConsumeSeparator()) return Fail(fmt::format("unexpected '{}'", CurrentChar()), Column());
      SkipSpaces();
      if (AtEnd()) return Fail("ends after a separator", Column());
    }
    return total;
  }

 private:
  // Parses items until `closing` (or a separator/end at top level) inside `depth` open groups.
  // Returns false on error.
  bool ParseSequence(ElementCounts& out, char closing, int depth) {
    bool any = false;
    while (true) {
      SkipSpaces();
      if (AtEnd() || IsSeparatorHere()) break;
      const char c = text_[pos_];
      if (c == ')' || c == ']') {
        if (closing == '\0') {
          Fail(fmt::format("unmatched '{}'", c), Column());
          return false;
        }
        break;
      }
      if (c == '(' || c == '[') {
        const int open_column = Column();
        // Each group is one level of recursion: without a limit, a long run of '(' exhausts
        // the stack.
        if (depth == kMaxFormulaNesting) {
          Fail(fmt::format("has groups nested deeper than {}", kMaxFormulaNesting), open_column);
          return false;
        }
        const char expected = c == '(' ? ')' : ']';
        Advance();
        ElementCounts group;
        if (!ParseSequence(group, expected, depth + 1)) return false;
        if (AtEnd() || text_[pos_] != expected) {
          Fail(fmt::format("unclosed '{}' opened at position {}", c, open_column), Column());
          return false;
        }
        Advance();
        // A total past the limit is blamed on the group's count, or on the group when it has none.
        const int count_column = AtDigit() ? Column() : open_column;
        const int count = ParseCount(1);
        if (count < 0) return false;
        if (!AddScaled(group, count, count_column, out)) return false;
        any = true;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        const int element_column = Column();
        std::string symbol(1, c);
        Advance();
        if (!AtEnd() && text_[pos_] >= 'a' && text_[pos_] <= 'z') {
          symbol.push_back(text_[pos_]);
          Advance();
        }
        if (!weights_.Of(symbol)) {
          Fail(fmt::format("unknown element '{}'", symbol), element_column);
          return false;
        }
        const int count = ParseCount(1);
        if (count < 0) return false;
        if (!AddScaled({{symbol, 1}}, count, element_column, out)) return false;
        any = true;
        continue;
      }
      Fail(fmt::format("unexpected '{}'", CurrentChar()), Column());
      return false;
    }
    if (!any) {
      Fail(closing == '\0' ? "has an empty part" : "has an empty group", Column());
      return false;
    }
    return true;
  }

  // Adds `factor` × `counts` to `out`. Counts stay at most kMaxFormulaAtoms after every step and
  // the product is taken in 64 bits, so nothing can overflow. Returns false (error set, naming
  // `column`: where the count that passed the limit was written) past the limit.
  bool AddScaled(const ElementCounts& counts, int factor, int column, ElementCounts& out) {
    for (const auto& [symbol, n] : counts) {
      const int64_t sum = int64_t{out[symbol]} + int64_t{n} * factor;
      if (sum > kMaxFormulaAtoms) {
        Fail(fmt::format("has more than {} atoms of {}", kMaxFormulaAtoms, symbol), column);
        return false;
      }
      out[symbol] = static_cast<int>(sum);
    }
    return true;
  }

  // Reads a decimal count; returns `default_value` when none is present, -1 on error.
  int ParseCount(int default_value) {
    if (!AtDigit()) return default_value;
    const int column = Column();
    long value = 0;
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_] - '0');
      if (value > 9999) {
        Fail("has a count that is too large", column);
        return -1;
      }
      Advance();
    }
    if (value == 0) {
      Fail("has a zero count", column);
      return -1;
    }
    return static_cast<int>(value);
  }

  bool IsSeparatorHere() const { return SeparatorLength() > 0; }

  size_t SeparatorLength() const {
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with(".") || rest.starts_with("*")) return 1;
    if (rest.starts_with("\xC2\xB7")) return 2;      // U+00B7 middle dot
    if (rest.starts_with("\xE2\x80\xA2")) return 3;  // U+2022 bullet
    if (rest.starts_with("\xE2\x88\x99")) return 3;  // U+2219 bullet operator
    if (rest.starts_with("\xE2\x8B\x85")) return 3;  // U+22C5 dot operator
    return 0;
  }

  bool ConsumeSeparator() {
    const size_t length = SeparatorLength();
    if (length == 0) return false;
    pos_ += length;
    ++column_;
    return true;
  }

  void SkipSpaces() {
    while (!AtEnd() && text_[pos_] == ' ') Advance();
  }

  // Advances one character, skipping UTF-8 continuation bytes so positions count characters.
  void Advance() {
    ++pos_;
    while (!AtEnd() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) ++pos_;
    ++column_;
  }

  std::string CurrentChar() const {
    size_t end = pos_ + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return std::string(text_.substr(pos_, end - pos_));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  bool AtDigit() const { return !AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  int Column() const { return column_; }

  Error Fail(const std::string& what, int column) {
    error_ = InvalidArgument(fmt::format("formula {} {} (at position {})", Quoted(), what, column));
    return *error_;
  }

  // The formula as messages quote it: whole when short, else its start (cut between characters)
  // and its length, so a 35,000-character input still gives a one-line message.
  std::string Quoted() const {
    constexpr size_t kQuoteBytes = 40;
    if (text_.size() <= kQuoteBytes) return fmt::format("'{}'", text_);
    size_t cut = kQuoteBytes;
    while (cut > 0 && (static_cast<unsigned char>(text_[cut]) & 0xC0) == 0x80) --cut;
    size_t characters = 0;
    for (const char c : text_) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return fmt::format("'{}…' ({} characters)", text_.substr(0, cut), characters);
  }

  std::string_view text_;
  const AtomicWeights& weights_;
  size_t pos_ = 0;
  int column_ = 1;
  std::optional<Error> error_;
};

}  // namespace

Result<ElementCounts> ParseFormula(std::string_view formula, const AtomicWeights& weights) {
  return FormulaParser(formula, weights).Parse();
}

}  // namespace mg::chem
