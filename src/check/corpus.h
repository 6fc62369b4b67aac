// The labelled corpus of the claim checker (src/check/testdata/corpus/*.tsv) and its scores.
//
// One sentence a line: `expected<TAB>style<TAB>sentence`, where expected is a verdict spelling
// (kVerdictNames) or "none" (no health claim), and style is marketing, news or factsheet. Lines
// starting with '#' are comments. dev.tsv is for tuning; heldout.tsv is only ever scored.
#ifndef MGADVISOR_CHECK_CORPUS_H_
#define MGADVISOR_CHECK_CORPUS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/check.h"

namespace mg::check {

struct LabelledSentence {
  std::optional<Verdict> expected;  // nullopt: no health claim.
  std::string style;
  std::string text;
  int line = 0;
};

Result<std::vector<LabelledSentence>> ParseCorpus(const std::string& text, const std::string& name);

struct CorpusScore {
  size_t sentences = 0;
  size_t dubious = 0;          // Expected a flag verdict.
  size_t dubious_flagged = 0;  // ...and the checker flagged it.
  size_t sound = 0;            // Expected supported (or no claim).
  size_t sound_flagged = 0;    // ...but the checker flagged it.
  size_t exact = 0;            // Verdict (or "no claim") exactly as labelled.
  // confusion[expected][got], with "none" for no claim.
  std::map<std::string, std::map<std::string, size_t>> confusion;
  struct Miss {
    int line;
    std::string expected, got, text, rules;
  };
  std::vector<Miss> misses;

  double DubiousFlaggedShare() const {
    return dubious == 0 ? 0 : static_cast<double>(dubious_flagged) / dubious;
  }
  double SoundFlaggedShare() const {
    return sound == 0 ? 0 : static_cast<double>(sound_flagged) / sound;
  }
};

CorpusScore ScoreCorpus(const Checker& checker, const std::vector<LabelledSentence>& corpus);

// The share figures and the confusion matrix as a table.
std::string RenderScore(const CorpusScore& score, const std::string& title);

}  // namespace mg::check

#endif  // MGADVISOR_CHECK_CORPUS_H_
