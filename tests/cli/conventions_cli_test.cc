// Black-box tests of the command-line conventions a person expects of any program (issue 19):
// --version with the commit, "did you mean" for a mistyped subcommand or flag, usage errors as
// JSON under --json, no colour codes, and numbers printed as people write them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConventionsCliTest, VersionPrintsVersionAndCommit) {
  const auto r = RunCli({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The commit is a git hash (possibly "-dirty") in a checkout, "unknown" outside one.
  EXPECT_TRUE(std::regex_match(
      r.out, std::regex(R"(mgadvisor \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n)")))
      << r.out;
  EXPECT_EQ(r.err, "");

  const auto json = RunCli({"--json", "--version"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  const auto parsed = nlohmann::json::parse(json.out);
  EXPECT_TRUE(parsed["version"].is_string());
  EXPECT_TRUE(parsed["commit"].is_string());
  EXPECT_THAT(r.out, HasSubstr(parsed["version"].get<std::string>()));
  EXPECT_THAT(r.out, HasSubstr(parsed["commit"].get<std::string>()));
}

TEST(ConventionsCliTest, MistypedSubcommandSuggestsTheCommand) {
  const auto r = RunCli({"plna", "--age", "30"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("did you mean plan?")) << r.err;
  EXPECT_EQ(r.out, "");

  const auto nested = RunCli({"foods", "serch", "almonds"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_THAT(nested.err, HasSubstr("did you mean search?")) << nested.err;
}

TEST(ConventionsCliTest, MistypedFlagSuggestsTheFlag) {
  const auto r = RunCli({"dri", "--agee", "30", "--sex", "female"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--agee")) << r.err;
  EXPECT_THAT(r.err, HasSubstr("did you mean --age?")) << r.err;

  const auto with_value = RunCli({"dri", "--age", "30", "--sexx=female"});
  EXPECT_EQ(with_value.exit_code, 2);
  EXPECT_THAT(with_value.err, HasSubstr("did you mean --sex?")) << with_value.err;

  // Nothing close: the error alone, no empty suggestion.
  const auto far = RunCli({"dri", "--age", "30", "--sex", "female", "--zzzzzzzz"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_THAT(far.err, Not(HasSubstr("did you mean"))) << far.err;
}

TEST(ConventionsCliTest, ArgumentErrorsAreJsonUnderJson) {
  const auto r = RunCli({"--json", "dri", "--agee", "30", "--sex", "female"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  const auto parsed = nlohmann::json::parse(r.err);  // Throws (fails the test) if not JSON.
  EXPECT_EQ(parsed["error"]["code"], "invalid_argument");
  EXPECT_THAT(parsed["error"]["message"].get<std::string>(), HasSubstr("--agee"));
  EXPECT_EQ(parsed["error"]["suggestions"], nlohmann::json::array({"--age"}));

  // A missing required flag and a value CLI11 rejects are usage errors too.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--json", "dri", "--age", "30"},
        std::vector<std::string>{"--json", "--reference", "mars", "dri", "--age", "30"},
        std::vector<std::string>{"--json"}}) {
    const auto e = RunCli(args);
    EXPECT_EQ(e.exit_code, 2) << args.back();
    const auto error = nlohmann::json::parse(e.err);
    EXPECT_EQ(error["error"]["code"], "invalid_argument") << e.err;
    EXPECT_FALSE(error["error"]["message"].get<std::string>().empty());
  }
}

// mgadvisor prints no colour at all: not to a pipe (here), and so never against NO_COLOR. The
// help, a usage error, an operation's error and ordinary text all stay plain.
TEST(ConventionsCliTest, NoColourCodes) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, std::vector<std::string>{"plna"},
        std::vector<std::string>{"dri", "--age", "-3", "--sex", "female"},
        std::vector<std::string>{"plan", "--age", "67", "--sex", "female", "--condition",
                                 "leg cramps"}}) {
    // Asked for colour every way a program might look (and NO_COLOR, which then wins).
    const auto r = RunCli(args, "", {"TERM=xterm-256color", "CLICOLOR_FORCE=1", "NO_COLOR=1"});
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << args[0];
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << args[0];
  }
}

// Amounts as people write them: "99.5 mg", not "99.507 mg" (JSON keeps the exact value).
TEST(ConventionsCliTest, NumbersAsPeopleWriteThem) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mg_conventions_cli_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::vector<std::string> env = {"XDG_DATA_HOME=" + dir.string(),
                                        "MGADVISOR_TODAY=2026-03-14"};
  const auto logged = RunCli({"log", "food", "almonds", "1.3", "oz"}, "", env);
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_THAT(logged.out, HasSubstr(" 99.5 mg Mg")) << logged.out;
  EXPECT_THAT(logged.out, Not(HasSubstr("99.507"))) << logged.out;
  const auto shown = RunCli({"journal", "show", "--json"}, "", env);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NEAR(nlohmann::json::parse(shown.out)[0]["magnesium_mg"].get<double>(), 99.507, 0.01);
  std::filesystem::remove_all(dir);

  const auto converted = RunCli({"convert", "10mmol"});
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  EXPECT_EQ(converted.out, "10mmol of magnesium = 243 mg = 10 mmol = 20 mEq\n");
}

// The bash script `completion bash` prints completes commands, nested commands and flags (also
// the enclosing command's) as bash itself runs it.
TEST(ConventionsCliTest, BashCompletionCompletesCommandsAndFlags) {
  const auto script = RunCli({"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  const auto path = std::filesystem::temp_directory_path() /
                    ("mg_completion_" + std::to_string(::getpid()) + ".bash");
  std::ofstream(path) << script.out;
  const auto complete = [&](const std::string& words, int cword) {
    const std::string command = "bash -c 'source " + path.string() + "; COMP_WORDS=(" + words +
                                "); COMP_CWORD=" + std::to_string(cword) +
                                "; _mgadvisor; echo \"${COMPREPLY[*]}\"'";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r"); pipe != nullptr) {
      char buffer[4096];
      while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
      ::pclose(pipe);
    }
    return " " + out.substr(0, out.find('\n')) + " ";
  };
  EXPECT_EQ(complete("mgadvisor fo", 1), " formula foods ");
  EXPECT_EQ(complete("mgadvisor foods se", 2), " search ");
  EXPECT_THAT(complete("mgadvisor journal ba", 2), HasSubstr(" backup "));
  EXPECT_THAT(complete("mgadvisor dri --a", 2), HasSubstr(" --age "));
  EXPECT_THAT(complete("mgadvisor --json dri --age 30 --js", 5), HasSubstr(" --json "));
  EXPECT_THAT(complete("mgadvisor serve --db-", 2), HasSubstr(" --db-wait "));
  // Each flag once, however deep: --help and the global flags are not repeated per level.
  EXPECT_EQ(complete("mgadvisor foods search --he", 3), " --help ");
  EXPECT_EQ(complete("mgadvisor journal backup --js", 3), " --json ");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mg
