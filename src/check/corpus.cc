#include "check/corpus.h"

#include <fmt/format.h>

#include <sstream>

namespace mg::check {

Result<std::vector<LabelledSentence>> ParseCorpus(const std::string& text,
                                                  const std::string& name) {
  std::vector<LabelledSentence> out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) {
      return DataError(fmt::format("{}:{}: expected verdict<TAB>style<TAB>sentence", name, number));
    }
    LabelledSentence s;
    const std::string label = line.substr(0, tab1);
    if (label != "none") {
      s.expected = ParseEnum(kVerdictNames, label);
      if (!s.expected) {
        return DataError(fmt::format("{}:{}: unknown verdict '{}'", name, number, label));
      }
    }
    s.style = line.substr(tab1 + 1, tab2 - tab1 - 1);
    if (s.style != "marketing" && s.style != "news" && s.style != "factsheet") {
      return DataError(fmt::format("{}:{}: unknown style '{}'", name, number, s.style));
    }
    s.text = line.substr(tab2 + 1);
    s.line = number;
    out.push_back(std::move(s));
  }
  return out;
}

CorpusScore ScoreCorpus(const Checker& checker, const std::vector<LabelledSentence>& corpus) {
  CorpusScore score;
  for (const LabelledSentence& s : corpus) {
    ++score.sentences;
    const auto claim = checker.CheckSentence(s.text);
    const std::string expected = s.expected ? std::string(ToString(*s.expected)) : "none";
    const std::string got = claim ? std::string(ToString(claim->verdict)) : "none";
    ++score.confusion[expected][got];
    const bool flagged = claim && IsFlag(claim->verdict);
    if (s.expected && IsFlag(*s.expected)) {
      ++score.dubious;
      if (flagged) ++score.dubious_flagged;
    } else {
      ++score.sound;
      if (flagged) ++score.sound_flagged;
    }
    if (expected == got) {
      ++score.exact;
    } else {
      std::string rules;
      if (claim) rules = fmt::format("{}", fmt::join(claim->rules, ","));
      score.misses.push_back({s.line, expected, got, s.text, rules});
    }
  }
  return score;
}

std::string RenderScore(const CorpusScore& score, const std::string& title) {
  std::string out = fmt::format("{}: {} sentences\n", title, score.sentences);
  out += fmt::format("  dubious sentences flagged: {}/{} = {:.1f} % (target >= 90 %)\n",
                     score.dubious_flagged, score.dubious, 100 * score.DubiousFlaggedShare());
  out += fmt::format("  true sentences flagged:    {}/{} = {:.1f} % (target <= 10 %)\n",
                     score.sound_flagged, score.sound, 100 * score.SoundFlaggedShare());
  out +=
      fmt::format("  exact verdict:             {}/{} = {:.1f} %\n", score.exact, score.sentences,
                  score.sentences ? 100.0 * score.exact / score.sentences : 0.0);
  std::vector<std::string> labels{"none"};
  for (const auto& v : kVerdictNames) labels.emplace_back(v.name);
  out += "  confusion (rows: expected, columns: checker)\n";
  out += fmt::format("  {:>18}", "");
  for (const auto& l : labels) out += fmt::format(" {:>8.8}", l);
  out += "\n";
  for (const auto& row : labels) {
    out += fmt::format("  {:>18}", row);
    for (const auto& col : labels) {
      size_t n = 0;
      auto r = score.confusion.find(row);
      if (r != score.confusion.end()) {
        auto c = r->second.find(col);
        if (c != r->second.end()) n = c->second;
      }
      out += fmt::format(" {:>8}", n);
    }
    out += "\n";
  }
  return out;
}

}  // namespace mg::check
