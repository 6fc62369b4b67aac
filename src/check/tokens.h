// Private to mg_check: sentences as tokens, and many phrases found in them at once.
//
// Text and phrases go through the same Tokenize(), so "Anti-inflammatory" in a page matches
// "anti inflammatory" in data: ASCII letters are lower-cased, hyphens between letters and all
// other punctuation separate words, ’ is an apostrophe, "1,000" is 1000 and "300mg" is "300 mg".
// A dash between two numbers is kept as "-" (a range), and "%" and "+" are tokens.
#ifndef MGADVISOR_CHECK_TOKENS_H_
#define MGADVISOR_CHECK_TOKENS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"

namespace mg::check {

struct Token {
  std::string text;  // Normalised.
  uint32_t begin = 0;
  uint32_t end = 0;  // Byte offsets in the tokenised text.
  bool number = false;
  double value = 0;  // When `number`.
};

std::vector<Token> Tokenize(std::string_view text);

// The words of a text of lower-case ASCII letters and spaces only, which is what most phrases of
// the checker's data are: the same words Tokenize() gives, as views into `text`, without making
// a token. False (and `words` left empty) for any other text, which then takes Tokenize().
bool PlainWords(std::string_view text, std::vector<std::string_view>& words);

// Where a phrase was found: token range [begin, end) and what it stands for.
struct Hit {
  int kind = 0;
  int payload = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

// A set of phrases found in one pass over a sentence's tokens: phrases are indexed by their first
// token, so the work per sentence grows with its length, not with the number of phrases.
class PhraseIndex {
 public:
  // Adds `phrase` as (kind, payload). Returns false when the phrase has no word.
  bool Add(std::string_view phrase, int kind, int payload);
  // Token ids of a sentence (-1 for words no phrase uses).
  std::vector<int> Ids(const std::vector<Token>& tokens) const;
  // Every occurrence of every phrase, in order of start then length (longest first).
  void Find(const std::vector<int>& ids, std::vector<Hit>& out) const;

  bool operator==(const PhraseIndex&) const = default;
  // What the binary form keeps (core/archive.h; check/check_snapshot.cc).
  template <typename A>
  friend void Fields(A& a, PhraseIndex& index) {
    a(index.vocabulary_, index.by_first_, index.phrases_);
  }

 private:
  struct Phrase {
    std::vector<int> ids;
    int kind = 0;
    int payload = 0;
    bool operator==(const Phrase&) const = default;
    template <typename A>
    friend void Fields(A& a, Phrase& phrase) {
      a(phrase.ids, phrase.kind, phrase.payload);
    }
  };
  int Intern(std::string_view word);
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> vocabulary_;
  std::vector<std::vector<size_t>> by_first_;  // Token id -> phrases starting with it.
  std::vector<Phrase> phrases_;
};

}  // namespace mg::check

#endif  // MGADVISOR_CHECK_TOKENS_H_
