// Text helpers shared by every module that looks things up by a person's words: normalisation,
// edit distance, and "did you mean" suggestions.
#ifndef MGADVISOR_CORE_TEXT_H_
#define MGADVISOR_CORE_TEXT_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

// Lower-cases ASCII letters, turns every run of non-alphanumeric bytes into one space and trims,
// so "Magnesium-Citrate " and "magnesium citrate" compare equal. Non-ASCII bytes are kept.
std::string NormalizeName(std::string_view text);
// The same into `out`, which must have room for text.size() bytes (the result is never longer);
// returns the size written. For lookups that should not allocate.
size_t NormalizeNameTo(std::string_view text, char* out);
// One byte as NormalizeName keeps it (a letter lower-cased, a digit or non-ASCII byte as it is),
// or 0 for a byte it treats as a separator: for keys that drop the separators altogether.
char NormalizedNameByte(unsigned char c);

// Hashes std::string and std::string_view alike, so that an unordered_map<std::string, T,
// StringHash, std::equal_to<>> is searched with a string_view and no std::string is made.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Levenshtein distance over bytes.
int EditDistance(std::string_view a, std::string_view b);

// Up to `limit` candidates closest to `query` (after normalisation): those within an edit
// distance of about a third of the query's length, or containing it / contained by it.
// Ordered by distance, then alphabetically. Duplicates are removed.
std::vector<std::string> CloseMatches(std::string_view query,
                                      const std::vector<std::string>& candidates, size_t limit = 5);

// `text` without leading and trailing ASCII whitespace (space, tab, CR, LF).
std::string_view Trim(std::string_view text);

// Locale-independent character classes for parsers (std::isdigit and std::isalpha take an int
// that must be representable as unsigned char, and depend on the locale).
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "a, b or c" for error messages; "" for an empty list.
std::string JoinAlternatives(const std::vector<std::string>& items);

}  // namespace mg

#endif  // MGADVISOR_CORE_TEXT_H_
