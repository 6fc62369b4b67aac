// `mgadvisor check` and explain's free-text fallback, through the real binary. The example pages
// in examples/check/ have golden outputs beside them (.expected.txt, .expected.json), so a change
// to the knowledge base or the rules shows as a readable diff (./scripts/update-golden.sh
// regenerates them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/data_files.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::CliResult;
using ::mg::testing::RunCli;
using ::testing::HasSubstr;

const char* kExamples[] = {"shop-page.html", "news-article.md", "fact-sheet.txt"};

void CompareGolden(const std::string& path, const std::string& actual) {
  auto golden = ReadFile(path);
  ASSERT_TRUE(golden.ok()) << path << ": run ./scripts/update-golden.sh to create it";
  EXPECT_EQ(actual, *golden) << path
                             << " differs (if intended, run ./scripts/update-golden.sh and review "
                                "`git diff examples/check`)";
}

TEST(CheckCli, ExamplePagesMatchTheirGoldenOutputs) {
  for (const char* name : kExamples) {
    const std::string page = std::string("examples/check/") + name;
    const CliResult text = RunCli({"check", page});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    CompareGolden(page + ".expected.txt", text.out);
    const CliResult json = RunCli({"--json", "check", page});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    CompareGolden(page + ".expected.json", json.out);
  }
}

TEST(CheckCli, OffsetsPointIntoTheInputAndScriptsAndNavigationAreIgnored) {
  const std::string page = "examples/check/shop-page.html";
  auto input = ReadFile(page);
  ASSERT_TRUE(input.ok());
  const CliResult out = RunCli({"--json", "check", page});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const auto doc = nlohmann::json::parse(out.out);
  ASSERT_GE(doc["claims"].size(), 8u);
  for (const auto& claim : doc["claims"]) {
    const size_t start = claim["start"], end = claim["end"];
    ASSERT_LT(start, end);
    ASSERT_LE(end, input->size());
    // The span starts and ends where the sentence does (markup inside it is allowed).
    const std::string text = claim["text"];
    EXPECT_EQ(input->substr(start, 4), text.substr(0, 4)) << text;
    EXPECT_THAT(text, ::testing::Not(HasSubstr("FDA approved"))) << "navigation was checked";
    EXPECT_THAT(text, ::testing::Not(HasSubstr("cures everything"))) << "a script was checked";
  }
  // Every claim but the true one (300+ enzymatic reactions) is flagged.
  int supported = 0;
  for (const auto& claim : doc["claims"]) supported += claim["verdict"] == "supported" ? 1 : 0;
  EXPECT_EQ(supported, 1);
  EXPECT_EQ(doc["summary"]["flagged"].get<int>(), static_cast<int>(doc["claims"].size()) - 1);
}

TEST(CheckCli, StandardInputAndExplainFreeText) {
  const CliResult piped =
      RunCli({"--json", "check", "-"}, "Magnesium relieves restless legs. Buy now.");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  const auto doc = nlohmann::json::parse(piped.out);
  ASSERT_EQ(doc["claims"].size(), 1u);
  EXPECT_EQ(doc["claims"][0]["verdict"], "overstated");

  const CliResult hedged = RunCli({"explain", "magnesium may help some people with restless legs"});
  ASSERT_EQ(hedged.exit_code, 0) << hedged.err;
  EXPECT_THAT(hedged.out, HasSubstr("[1] supported (efficacy)"));
  EXPECT_THAT(hedged.out, HasSubstr("finding:restless_legs_syndrome_oral"));
  const CliResult inflammation = RunCli({"--json", "explain", "magnesium reduces inflammation"});
  ASSERT_EQ(inflammation.exit_code, 0) << inflammation.err;
  EXPECT_EQ(nlohmann::json::parse(inflammation.out)["topic"], "inflammation");
  // A name still explains the entry; text that is neither a name nor a claim is "not found".
  EXPECT_THAT(RunCli({"explain", "RLS"}).out, HasSubstr("Restless legs syndrome"));
  const CliResult neither = RunCli({"explain", "unicorn dust"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_THAT(neither.err, HasSubstr("unicorn dust"));
}

TEST(CheckCli, BadInputIsRefusedWithExitTwo) {
  const struct {
    std::string stdin_text;
    std::string message;
  } cases[] = {
      {"", "standard input: empty"},
      {"  \n\t\n", "standard input: empty"},
      {std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "binary"},
      {"Magnesium hilft bei Kr\xE4mpfen.", "not valid UTF-8"},
      {std::string(2 * 1024 * 1024 + 1, 'a'), "over the limit"},
  };
  for (const auto& c : cases) {
    const CliResult r = RunCli({"check", "-"}, c.stdin_text);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_TRUE(r.out.empty());
  }
  const CliResult missing = RunCli({"check", "no/such/page.html"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("no/such/page.html"));
}

}  // namespace
}  // namespace mg
