// Forgiving food search: typo-tolerant (one edit per word: a missing, extra, wrong or swapped
// letter; two edits for a word of five letters or more that nothing nearer matches, "cashues"),
// prefix-aware ("brwn ric" finds brown rice), plural-insensitive, word-order free, with
// synonyms from data/foods/synonyms.toml ("yoghurt", "pepitas"). Ranked so that exact and
// whole-word matches, short specific names and the curated common foods come first.
//
//   auto index = FoodSearch::Build(db);
//   for (const SearchHit& hit : index->Search("pumkin seeds", 5)) db[hit.food].name ...
//
// The index holds a pointer to the FoodDb, which must outlive it. Search() is const and
// thread-safe (per-thread scratch space); a query over ~14,000 foods takes tens of microseconds.
#ifndef MGADVISOR_FOODS_SEARCH_H_
#define MGADVISOR_FOODS_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/data_files.h"
#include "core/error.h"
#include "foods/foods.h"

namespace mg::foods {

struct SearchHit {
  size_t food = 0;        // Index into the FoodDb.
  double score = 0;       // Higher is better; about 1 for a full match of every word.
  int words_matched = 0;  // Query words this food matched (exactly, by prefix or with a typo).
  int words_total = 0;    // Distinct words in the query.
};

// Words as search sees them: lower-cased ASCII letters and digits (other bytes kept), split at
// everything else, plurals reduced ("berries" -> "berry", "tomatoes" -> "tomato").
std::vector<std::string> SearchTokens(std::string_view text);

// data/foods/synonyms.toml: a query word → the words it also searches for.
using SearchSynonyms = std::unordered_map<std::string, std::vector<std::string>>;
// Errors: kDataError with every problem (unknown key, a key that is not one word...), file:line.
Result<SearchSynonyms> ParseSearchSynonyms(const DataFile& file);

class FoodSearch {
 public:
  // Builds the index over `db` (which must outlive the index) with the embedded synonyms. For
  // the embedded table (LoadEmbeddedFoods) it decodes the index the data compiler built from the
  // same foods and synonyms instead, when one is installed (core/precompiled.h).
  // Errors: kDataError when data/foods/synonyms.toml is malformed.
  static Result<FoodSearch> Build(const FoodDb& db);

  // The index in the binary form of core/archive.h, and back, over `db` (the foods it was
  // built from); nullopt when `bytes` is not such a form or was built over another number of
  // foods. SameIndex compares everything Build computed.
  std::string Encode() const;
  static std::optional<FoodSearch> Decode(std::string_view bytes, const FoodDb& db);
  bool SameIndex(const FoodSearch& other) const { return index_ == other.index_; }

  // Up to `limit` best matches, best first; empty when nothing matches.
  std::vector<SearchHit> Search(std::string_view query, size_t limit = 10) const;

  // For a query that finds nothing: the query (as search words) with each word that matches
  // nothing replaced by the nearest word of the foods' vocabulary — within three edits and at most
  // half the word, the most common of the nearest — when that finds a food; nullopt otherwise.
  // "pumkpin sedes" finds pumpkin seeds itself; "brocolli sprots xq" suggests "broccoli sprout xq"
  // only if it finds something.
  std::optional<std::string> DidYouMean(std::string_view query) const;

  size_t vocabulary_size() const { return index_.terms.size(); }

  // The two-deletion index (for words two edits from every food word) costs more to build than
  // the rest of the index together and serves only a word that matches nothing nearer, so it is
  // built on the first such word. The server calls this at start so no request waits for it.
  // Thread-safe.
  void PrepareTwoEdits() const;

 private:
  struct TermMatch {
    uint32_t term;
    float quality;  // 1 exact, less for prefix and fuzzy matches.
  };
  struct Candidate {
    uint32_t food;
    float score;
    int matched;
    int total;
  };
  FoodSearch() = default;
  static void AddTerm(std::string_view token, uint32_t food, float weight,
                      std::unordered_map<std::string, uint32_t>& ids,
                      std::vector<std::vector<std::pair<uint32_t, float>>>& lists);
  void MatchToken(std::string_view token, bool last, std::vector<TermMatch>& out) const;
  void MatchTwoEdits(std::string_view token, std::vector<TermMatch>& out) const;
  void SearchTokensInto(const std::vector<std::string>& tokens,
                        std::vector<Candidate>& results) const;

  // Everything Build computes from the foods and the synonyms; the data compiler keeps the
  // embedded table's (core/archive.h, snapshot "food-search").
  struct Index {
    std::vector<std::string> terms;  // Sorted, for prefix ranges.
    std::unordered_map<std::string, uint32_t> term_ids;
    std::vector<uint32_t> posting_offsets;  // terms.size() + 1 offsets into the postings.
    std::vector<uint32_t> posting_food;
    std::vector<float> posting_weight;
    std::vector<float> idf;
    std::vector<std::pair<uint64_t, uint32_t>> deletes;  // Hash of a term or 1-deletion -> term.
    std::vector<uint16_t> name_length;                   // Distinct words in each food's name.
    std::unordered_map<uint64_t, std::vector<uint32_t>> exact_foods;
    SearchSynonyms synonyms;

    bool operator==(const Index&) const = default;
  };
  template <typename A>
  friend void Fields(A& a, Index& index);
  static Result<FoodSearch> BuildIndex(const FoodDb& db);

  const FoodDb* db_ = nullptr;
  Index index_;
  struct TwoEdits {
    std::once_flag built;
    std::vector<std::pair<uint64_t, uint32_t>> deletes;  // Hash of a 2-deletion -> term.
  };
  std::unique_ptr<TwoEdits> two_edits_ = std::make_unique<TwoEdits>();  // See PrepareTwoEdits.
};

// A food named the way people name one: a source id ("sr28:11457") looked up exactly, or words
// searched for, where every word must be found (allowing typos), so "plork" never passes for
// pork. Shared by diary analysis and food logging.
struct FoodMatch {
  const Food* food = nullptr;
  std::string how;  // "source", "exact" (the name as written) or "search".
};
// Errors: kNotFound whose message completes '"<text>" ...': "is not a food in <origin>" or
// "matches no food (try 'mgadvisor foods search' for the name)".
Result<FoodMatch> FindFood(const FoodDb& db, const FoodSearch& search, std::string_view text);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_SEARCH_H_
