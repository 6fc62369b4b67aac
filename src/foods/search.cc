#include "foods/search.h"

#include <algorithm>
#include <cmath>

#include "core/archive.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/precompiled.h"
#include "core/text.h"

namespace mg::foods {
namespace {

// Field weights: a word in the name counts fully, an alias nearly so, USDA's longer description
// (when it differs from the name) less.
constexpr float kNameWeight = 1.0f;
constexpr float kAliasWeight = 0.95f;
constexpr float kDescriptionWeight = 0.7f;
constexpr float kSynonymQuality = 0.95f;
constexpr float kFuzzyQuality = 0.72f;
// Two edits ("cashues" for cashews): only for a word that matches nothing nearer, of five
// letters or more (two edits turn most shorter words into many others).
constexpr float kTwoEditQuality = 0.6f;
constexpr size_t kTwoEditMinLength = 5;
constexpr size_t kMaxPrefixTerms = 96;

uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a.
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Stem(std::string word) {
  const size_t n = word.size();
  auto ends = [&](std::string_view suffix) { return word.ends_with(suffix); };
  if (n > 4 && ends("ies")) {
    word.replace(n - 3, 3, "y");
  } else if (n > 4 &&
             (ends("oes") || ends("ches") || ends("shes") || ends("sses") || ends("xes"))) {
    word.resize(n - 2);
  } else if (n > 3 && ends("s") && !ends("ss") && !ends("us") && !ends("is")) {
    word.resize(n - 1);
  }
  return word;
}

// True when a and b differ by exactly one insertion, deletion, substitution or adjacent swap.
bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // Same, or b has one extra letter at the end.
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // Substitution.
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // Swap.
  }
  return a.substr(i) == b.substr(i + 1);  // Insertion into a.
}

// The optimal string alignment distance (insertions, deletions, substitutions and adjacent swaps,
// no substring edited twice), or limit + 1 when it is above `limit`.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > limit) return limit + 1;
  // Three rows of the usual table: words are short, so this stays on the stack.
  constexpr size_t kMax = 64;
  if (b.size() >= kMax) return limit + 1;
  size_t rows[3][kMax];
  size_t *before = rows[0], *previous = rows[1], *current = rows[2];
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_min = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

// `word` with each one or two letters left out, each variant once.
std::vector<std::string> Deletions(std::string_view word, bool two) {
  std::vector<std::string> out;
  for (size_t i = 0; i < word.size(); ++i) {
    std::string one(word);
    one.erase(i, 1);
    if (two) {
      for (size_t j = i; j < one.size(); ++j) {
        std::string second = one;
        second.erase(j, 1);
        out.push_back(std::move(second));
      }
    }
    out.push_back(std::move(one));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

uint64_t WordSetKey(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::string joined;
  for (const auto& w : words) joined += w + ' ';
  return Hash(joined);
}

// Per-thread scratch so that Search() is const, thread-safe and allocation-free when warm.
struct Scratch {
  std::vector<uint32_t> slot_stamp, query_stamp;
  std::vector<float> slot_best, total;
  std::vector<uint8_t> matched;
  std::vector<uint32_t> slot_touched, touched;
  uint32_t generation = 0;
  void Fit(size_t n) {
    if (slot_stamp.size() < n) {
      slot_stamp.assign(n, 0);
      query_stamp.assign(n, 0);
      slot_best.assign(n, 0);
      total.assign(n, 0);
      matched.assign(n, 0);
      generation = 0;
    }
  }
};

}  // namespace

std::vector<std::string> SearchTokens(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&]() {
    if (!word.empty()) out.push_back(Stem(std::move(word)));
    word.clear();
  };
  for (unsigned char c : text) {
    if (c >= 'A' && c <= 'Z') {
      word.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      word.push_back(static_cast<char>(c));
    } else if (c == '\'') {
      continue;  // "kellogg's" -> "kelloggs"
    } else {
      flush();
    }
  }
  flush();
  return out;
}

void FoodSearch::AddTerm(std::string_view token, uint32_t food, float weight,
                         std::unordered_map<std::string, uint32_t>& ids,
                         std::vector<std::vector<std::pair<uint32_t, float>>>& lists) {
  auto [it, inserted] = ids.try_emplace(std::string(token), static_cast<uint32_t>(lists.size()));
  if (inserted) lists.emplace_back();
  auto& list = lists[it->second];
  if (!list.empty() && list.back().first == food) {
    list.back().second = std::max(list.back().second, weight);
  } else {
    list.emplace_back(food, weight);
  }
}

Result<SearchSynonyms> ParseSearchSynonyms(const DataFile& file) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"words"});
  SearchSynonyms out;
  if (const toml::table* words = doc.FreeTable("words")) {
    for (const auto& [key, value] : *words) {
      const std::string word(key.str());
      const auto text = value.value_exact<std::string>();
      const auto from = SearchTokens(word);
      if (!text || text->empty()) {
        problems.Add(file.name, LineOf(value), "synonym '" + word + "' must be a non-empty string");
      } else if (from.size() != 1) {
        problems.Add(file.name, LineOf(value), "synonym key '" + word + "' must be one word");
      } else {
        out[from[0]] = SearchTokens(*text);
      }
    }
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

Result<FoodSearch> FoodSearch::BuildIndex(const FoodDb& db) {
  FoodSearch search;
  search.db_ = &db;
  Index& index = search.index_;
  // Synonyms.
  auto file = LoadEmbeddedFile("foods/synonyms.toml");
  if (!file.ok()) return file.error();
  auto synonyms = ParseSearchSynonyms(*file);
  if (!synonyms.ok()) return synonyms.error();
  index.synonyms = std::move(synonyms).value();

  // Postings, built per food in order so each list stays sorted by food.
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::vector<std::pair<uint32_t, float>>> lists;
  index.name_length.resize(db.size());
  for (size_t i = 0; i < db.size(); ++i) {
    const Food& food = db[i];
    const auto food_id = static_cast<uint32_t>(i);
    const auto name_words = SearchTokens(food.name);
    for (const auto& w : name_words) AddTerm(w, food_id, kNameWeight, ids, lists);
    index.exact_foods[WordSetKey(name_words)].push_back(food_id);
    auto distinct = name_words;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    index.name_length[i] = static_cast<uint16_t>(std::min<size_t>(distinct.size(), 65535));
    for (const auto& alias : food.aliases) {
      const auto words = SearchTokens(alias);
      for (const auto& w : words) AddTerm(w, food_id, kAliasWeight, ids, lists);
      index.exact_foods[WordSetKey(words)].push_back(food_id);
    }
    if (!food.usda_description.empty() && food.usda_description != food.name) {
      for (const auto& w : SearchTokens(food.usda_description)) {
        AddTerm(w, food_id, kDescriptionWeight, ids, lists);
      }
    }
  }
  // Sorted vocabulary and flat posting arrays.
  std::vector<std::pair<std::string, uint32_t>> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(std::max<size_t>(db.size(), 1));
  index.posting_offsets.push_back(0);
  for (auto& [term, old_id] : sorted) {
    const auto& list = lists[old_id];
    const auto new_id = static_cast<uint32_t>(index.terms.size());
    index.term_ids.emplace(term, new_id);
    for (const auto& [food, weight] : list) {
      index.posting_food.push_back(food);
      index.posting_weight.push_back(weight);
    }
    index.posting_offsets.push_back(static_cast<uint32_t>(index.posting_food.size()));
    index.idf.push_back(static_cast<float>(std::log(1.0 + n / static_cast<double>(list.size()))));
    if (term.size() >= 3) {
      index.deletes.emplace_back(Hash(term), new_id);
      for (size_t i = 0; i < term.size(); ++i) {
        std::string variant = term;
        variant.erase(i, 1);
        index.deletes.emplace_back(Hash(variant), new_id);
      }
    }
    index.terms.push_back(std::move(term));
  }
  std::sort(index.deletes.begin(), index.deletes.end());
  index.deletes.erase(std::unique(index.deletes.begin(), index.deletes.end()), index.deletes.end());
  return search;
}

template <typename A>
void Fields(A& a, FoodSearch::Index& index) {
  a(index.terms, index.term_ids, index.posting_offsets, index.posting_food, index.posting_weight,
    index.idf, index.deletes, index.name_length, index.exact_foods, index.synonyms);
}

std::string FoodSearch::Encode() const { return archive::Encode(index_); }

std::optional<FoodSearch> FoodSearch::Decode(std::string_view bytes, const FoodDb& db) {
  auto index = archive::Decode<Index>(bytes);
  if (!index || index->name_length.size() != db.size()) return std::nullopt;
  FoodSearch search;
  search.db_ = &db;
  search.index_ = std::move(*index);
  return search;
}

Result<FoodSearch> FoodSearch::Build(const FoodDb& db) {
  // The data compiler built this index from the same embedded foods and synonyms.
  if (db.is_embedded_table()) {
    if (const auto snapshot = precompiled::FindSnapshot("food-search")) {
      if (auto search = Decode(*snapshot, db)) return std::move(*search);
    }
  }
  return BuildIndex(db);
}

void FoodSearch::PrepareTwoEdits() const {
  std::call_once(two_edits_->built, [this] {
    auto& deletes = two_edits_->deletes;
    for (size_t id = 0; id < index_.terms.size(); ++id) {
      const std::string& term = index_.terms[id];
      if (term.size() < kTwoEditMinLength) continue;
      for (const std::string& variant : Deletions(term, /*two=*/true)) {
        if (variant.size() == term.size() - 2) {
          deletes.emplace_back(Hash(variant), static_cast<uint32_t>(id));
        }
      }
    }
    std::sort(deletes.begin(), deletes.end());
    deletes.erase(std::unique(deletes.begin(), deletes.end()), deletes.end());
  });
}

void FoodSearch::MatchToken(std::string_view token, bool last, std::vector<TermMatch>& out) const {
  out.clear();
  auto add = [&](uint32_t term, float quality) {
    for (auto& m : out) {
      if (m.term == term) {
        m.quality = std::max(m.quality, quality);
        return;
      }
    }
    out.push_back({term, quality});
  };
  if (auto it = index_.term_ids.find(std::string(token)); it != index_.term_ids.end())
    add(it->second, 1.0f);
  // Prefixes: any word of three letters or more, and the word being typed from two letters.
  if (token.size() >= 3 || (last && token.size() >= 2)) {
    auto lo = std::lower_bound(index_.terms.begin(), index_.terms.end(), token);
    size_t count = 0;
    for (auto it = lo;
         it != index_.terms.end() && it->starts_with(token) && count < kMaxPrefixTerms;
         ++it, ++count) {
      if (it->size() == token.size()) continue;
      const float ratio = static_cast<float>(token.size()) / static_cast<float>(it->size());
      add(static_cast<uint32_t>(it - index_.terms.begin()), 0.6f + 0.3f * ratio);
    }
  }
  // One edit away, for words of four letters or more.
  if (token.size() >= 4) {
    auto probe = [&](uint64_t h) {
      auto range =
          std::equal_range(index_.deletes.begin(), index_.deletes.end(), std::make_pair(h, 0u),
                           [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto it = range.first; it != range.second; ++it) {
        const std::string& term = index_.terms[it->second];
        if (term != token && WithinOneEdit(token, term)) add(it->second, kFuzzyQuality);
      }
    };
    probe(Hash(token));
    std::string variant;
    for (size_t i = 0; i < token.size(); ++i) {
      if (i > 0 && token[i] == token[i - 1]) continue;  // Same deletion as the previous one.
      variant.assign(token);
      variant.erase(i, 1);
      probe(Hash(variant));
    }
  }
  if (out.empty() && token.size() >= kTwoEditMinLength) MatchTwoEdits(token, out);
}

// Symmetric deletion: a term within two edits of `token` shares with it a word made by leaving
// out at most two letters of each, so every such pair of variants is looked up, and the real
// distance decides.
void FoodSearch::MatchTwoEdits(std::string_view token, std::vector<TermMatch>& out) const {
  PrepareTwoEdits();
  const auto& deletes2 = two_edits_->deletes;
  auto probe = [&](const std::vector<std::pair<uint64_t, uint32_t>>& deletes, uint64_t h) {
    auto range = std::equal_range(deletes.begin(), deletes.end(), std::make_pair(h, 0u),
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) {
      if (std::any_of(out.begin(), out.end(),
                      [&](const TermMatch& m) { return m.term == it->second; }))
        continue;
      if (EditDistance(token, index_.terms[it->second], 2) <= 2)
        out.push_back({it->second, kTwoEditQuality});
    }
  };
  probe(index_.deletes, Hash(token));
  probe(deletes2, Hash(token));
  for (const std::string& variant : Deletions(token, /*two=*/true)) {
    probe(index_.deletes, Hash(variant));
    probe(deletes2, Hash(variant));
  }
}

void FoodSearch::SearchTokensInto(const std::vector<std::string>& tokens,
                                  std::vector<Candidate>& results) const {
  thread_local Scratch s;
  thread_local std::vector<TermMatch> matches;
  s.Fit(db_->size());
  if (s.generation > 0xFFFFFF00u) {
    std::fill(s.slot_stamp.begin(), s.slot_stamp.end(), 0);
    std::fill(s.query_stamp.begin(), s.query_stamp.end(), 0);
    s.generation = 0;
  }
  const uint32_t query_gen = ++s.generation;
  s.touched.clear();
  float norm = 0;
  size_t slots = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    MatchToken(tokens[t], t + 1 == tokens.size(), matches);
    // Synonyms of this word count as the word itself (a one-word expansion only; longer
    // expansions are searched as a whole variant of the query by Search()).
    if (auto syn = index_.synonyms.find(tokens[t]);
        syn != index_.synonyms.end() && syn->second.size() == 1) {
      if (auto it = index_.term_ids.find(syn->second[0]); it != index_.term_ids.end()) {
        matches.push_back({it->second, kSynonymQuality});
      }
    }
    ++slots;
    // One weight per query word: the idf of the word as typed when the vocabulary has it,
    // else of its best candidate. Alternatives then differ only by match quality, so a
    // rare near-miss ("ice" for "rice", "paste" for "pasta") never beats the exact word.
    float slot_idf = 0;
    for (const auto& m : matches) {
      if (m.quality >= 1.0f) {
        slot_idf = index_.idf[m.term];
        break;
      }
      slot_idf = std::max(slot_idf, index_.idf[m.term]);
    }
    if (matches.empty()) {
      // An unknown word still counts against every food, at a typical weight.
      norm += 2.0f;
      continue;
    }
    norm += slot_idf;
    const uint32_t slot_gen = ++s.generation;
    s.slot_touched.clear();
    for (const auto& m : matches) {
      const float base = m.quality * slot_idf;
      for (uint32_t p = index_.posting_offsets[m.term]; p < index_.posting_offsets[m.term + 1];
           ++p) {
        const uint32_t f = index_.posting_food[p];
        const float v = base * index_.posting_weight[p];
        if (s.slot_stamp[f] != slot_gen) {
          s.slot_stamp[f] = slot_gen;
          s.slot_best[f] = v;
          s.slot_touched.push_back(f);
        } else if (v > s.slot_best[f]) {
          s.slot_best[f] = v;
        }
      }
    }
    for (uint32_t f : s.slot_touched) {
      if (s.query_stamp[f] != query_gen) {
        s.query_stamp[f] = query_gen;
        s.total[f] = 0;
        s.matched[f] = 0;
        s.touched.push_back(f);
      }
      s.total[f] += s.slot_best[f];
      if (s.matched[f] < 255) ++s.matched[f];
    }
  }
  if (norm <= 0) return;
  // Foods that miss two or more words more than the best food cannot reach the top (each
  // missing word costs almost half the score), so they are not ranked at all.
  uint8_t best_matched = 0;
  for (uint32_t f : s.touched) best_matched = std::max(best_matched, s.matched[f]);
  // Exact name (or alias) matches, ignoring word order, get a bonus.
  const auto exact = index_.exact_foods.find(WordSetKey(tokens));
  if (exact != index_.exact_foods.end()) {
    for (uint32_t f : exact->second) {
      if (s.query_stamp[f] == query_gen) s.total[f] += 0.5f * norm;
    }
  }
  for (uint32_t f : s.touched) {
    if (s.matched[f] + 1 < best_matched) continue;
    float score = s.total[f] / norm;
    const size_t missing = slots - s.matched[f];
    for (size_t i = 0; i < missing; ++i) score *= 0.55f;
    const int extra = static_cast<int>(index_.name_length[f]) - static_cast<int>(s.matched[f]);
    if (extra > 0) score /= 1.0f + 0.07f * static_cast<float>(extra);
    if ((*db_)[f].common) score += 0.12f;
    results.push_back({f, score, s.matched[f], static_cast<int>(slots)});
  }
}

std::vector<SearchHit> FoodSearch::Search(std::string_view query, size_t limit) const {
  std::vector<SearchHit> hits;
  if (limit == 0 || db_ == nullptr || db_->size() == 0) return hits;
  std::vector<std::string> tokens = SearchTokens(query);
  {
    std::vector<std::string> unique;
    for (auto& t : tokens) {
      if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
    }
    tokens.swap(unique);
  }
  if (tokens.empty()) return hits;
  if (tokens.size() > 12) tokens.resize(12);
  thread_local std::vector<Candidate> results;
  results.clear();
  SearchTokensInto(tokens, results);
  // A variant with multi-word synonyms spelled out ("pepitas" -> "pumpkin seeds").
  std::vector<std::string> variant;
  bool expanded = false;
  for (const auto& t : tokens) {
    auto syn = index_.synonyms.find(t);
    if (syn != index_.synonyms.end() && syn->second.size() > 1) {
      for (const auto& w : syn->second) {
        if (std::find(variant.begin(), variant.end(), w) == variant.end()) variant.push_back(w);
      }
      expanded = true;
    } else if (std::find(variant.begin(), variant.end(), t) == variant.end()) {
      variant.push_back(t);
    }
  }
  if (expanded) {
    std::vector<Candidate> more;
    SearchTokensInto(variant, more);
    for (auto& m : more) {
      m.score *= kSynonymQuality;
      // Every word of the expansion found counts as finding the synonym it stands for.
      if (m.matched == m.total) m.matched = m.total = static_cast<int>(tokens.size());
    }
    results.insert(results.end(), more.begin(), more.end());
    std::sort(results.begin(), results.end(), [](const Candidate& a, const Candidate& b) {
      return a.food != b.food ? a.food < b.food : a.score > b.score;
    });
    results.erase(
        std::unique(results.begin(), results.end(),
                    [](const Candidate& a, const Candidate& b) { return a.food == b.food; }),
        results.end());
  }
  auto better = [this](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    const size_t la = (*db_)[a.food].name.size(), lb = (*db_)[b.food].name.size();
    if (la != lb) return la < lb;
    return a.food < b.food;
  };
  const size_t n = std::min(limit, results.size());
  std::partial_sort(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(n),
                    results.end(), better);
  for (size_t i = 0; i < n; ++i) {
    const Candidate& c = results[i];
    hits.push_back({c.food, c.score, c.matched, c.total});
  }
  return hits;
}

std::optional<std::string> FoodSearch::DidYouMean(std::string_view query) const {
  std::vector<std::string> tokens = SearchTokens(query);
  if (tokens.empty() || tokens.size() > 12) return std::nullopt;
  std::vector<TermMatch> matches;
  bool changed = false;
  for (size_t t = 0; t < tokens.size(); ++t) {
    MatchToken(tokens[t], t + 1 == tokens.size(), matches);
    if (!matches.empty() || index_.synonyms.contains(tokens[t])) continue;
    // Only here, for a word nothing matched: a pass over the vocabulary (a few thousand words).
    const size_t limit = std::min<size_t>(3, tokens[t].size() / 2);
    size_t best_distance = limit + 1;
    uint32_t best = 0;
    for (uint32_t term = 0; term < index_.terms.size(); ++term) {
      const size_t d = EditDistance(tokens[t], index_.terms[term], limit);
      const auto postings = [&](uint32_t i) {
        return index_.posting_offsets[i + 1] - index_.posting_offsets[i];
      };
      if (d < best_distance ||
          (d == best_distance && d <= limit && postings(term) > postings(best))) {
        best_distance = d;
        best = term;
      }
    }
    if (best_distance <= limit) {
      tokens[t] = index_.terms[best];
      changed = true;
    }
  }
  if (!changed) return std::nullopt;
  std::string suggestion;
  for (const auto& token : tokens) suggestion += (suggestion.empty() ? "" : " ") + token;
  if (Search(suggestion, 1).empty()) return std::nullopt;
  return suggestion;
}

Result<FoodMatch> FindFood(const FoodDb& db, const FoodSearch& search, std::string_view text) {
  if (text.starts_with("sr28:") || text.starts_with("fndds:") || text.starts_with("fdc:")) {
    const Food* food = db.FindBySource(text);
    if (food == nullptr) return NotFound("is not a food in " + db.origin());
    return FoodMatch{food, "source"};
  }
  const auto hits = search.Search(text, 1);
  if (hits.empty() || hits[0].words_matched < hits[0].words_total) {
    return NotFound("matches no food (try 'mgadvisor foods search' for the name)");
  }
  const Food* food = &db[hits[0].food];
  return FoodMatch{food, NormalizeName(food->name) == NormalizeName(text) ? "exact" : "search"};
}

}  // namespace mg::foods
