// The checker's quality on its labelled corpus. The held-out figures are the targets:
// at least 90 % of dubious sentences flagged and at most 10 % of true ones. The dev part is
// checked too (it is what the rules were tuned on), so a change that breaks it shows here first.
#include "check/corpus.h"

#include <gtest/gtest.h>

#include <iostream>

#include "check/test_util.h"
#include "core/data_files.h"

namespace mg::check {
namespace {

std::vector<LabelledSentence> Corpus(const std::string& name) {
  const std::string path = std::string(MG_SOURCE_DIR) + "/src/check/testdata/corpus/" + name;
  auto text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  if (!text.ok()) return {};
  auto corpus = ParseCorpus(*text, path);
  EXPECT_TRUE(corpus.ok()) << corpus.error().message;
  return corpus.ok() ? *corpus : std::vector<LabelledSentence>{};
}

TEST(Corpus, IsLargeEnoughAndSplitBeforeTuning) {
  auto dev = Corpus("dev.tsv");
  for (auto& s : Corpus("dev2.tsv")) dev.push_back(std::move(s));
  const auto held = Corpus("heldout.tsv");
  EXPECT_GE(dev.size() + held.size(), 300u);
  EXPECT_GE(held.size(), 100u);
  for (const auto& d : dev) {
    for (const auto& h : held) EXPECT_NE(d.text, h.text) << "in both parts: " << d.text;
  }
}

TEST(Corpus, HeldOutMeetsTheTargets) {
  const auto score = ScoreCorpus(EmbeddedChecker(), Corpus("heldout.tsv"));
  std::cout << RenderScore(score, "held-out");
  EXPECT_GE(score.DubiousFlaggedShare(), 0.90);
  EXPECT_LE(score.SoundFlaggedShare(), 0.10);
}

TEST(Corpus, DevMeetsTheTargets) {
  auto dev = Corpus("dev.tsv");
  for (auto& s : Corpus("dev2.tsv")) dev.push_back(std::move(s));
  const auto score = ScoreCorpus(EmbeddedChecker(), dev);
  std::cout << RenderScore(score, "dev");
  EXPECT_GE(score.DubiousFlaggedShare(), 0.90);
  EXPECT_LE(score.SoundFlaggedShare(), 0.10);
}

}  // namespace
}  // namespace mg::check
