// check_corpus_report [--misses] [FILE...]: the checker's scores on the labelled corpus
// (default: the held-out part), with the confusion matrix by verdict. docs/CHECK.md quotes it.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "check/corpus.h"
#include "check/test_util.h"
#include "core/data_files.h"

int main(int argc, char** argv) {
  bool misses = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--misses") {
      misses = true;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty())
    files.push_back(std::string(MG_SOURCE_DIR) + "/src/check/testdata/corpus/heldout.tsv");
  const mg::check::Checker& checker = mg::check::EmbeddedChecker();
  for (const auto& file : files) {
    auto text = mg::ReadFile(file);
    if (!text.ok()) {
      fmt::print(stderr, "{}\n", text.error().message);
      return 2;
    }
    auto corpus = mg::check::ParseCorpus(*text, file);
    if (!corpus.ok()) {
      fmt::print(stderr, "{}\n", corpus.error().message);
      return 2;
    }
    const auto score = mg::check::ScoreCorpus(checker, *corpus);
    fmt::print("{}", mg::check::RenderScore(score, file));
    if (misses) {
      for (const auto& m : score.misses) {
        fmt::print("  line {}: expected {}, got {} [{}]: {}\n", m.line, m.expected, m.got, m.rules,
                   m.text);
      }
    }
  }
  return 0;
}
