// `data lint`: the data is clean, and a misspelt key is rejected in every kind of data file, with
// file:line and "did you mean"; references between files are checked; every problem is reported.
#include "ops/data_lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mg::ops {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A copy of the repository's data/ that a test may break.
class DataLintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // Parameterised tests: "Test/Kind".
    dir_ = fs::temp_directory_path() / ("mg_data_lint_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::copy(fs::path(MG_SOURCE_DIR) / "data", dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Replaces the first `from` in data file `path` (which must hold it) with `to`.
  void Edit(const std::string& path, const std::string& from, const std::string& to) {
    const fs::path file = dir_ / path;
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << path << " has no '" << from << "'";
    text.replace(at, from.size(), to);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }

  // The line of the first `needle` in the (edited) file, 1-based.
  int LineOf(const std::string& path, const std::string& needle) {
    std::ifstream in(dir_ / path);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find(needle) != std::string::npos) return n;
    }
    ADD_FAILURE() << needle << " not in " << path;
    return 0;
  }

  std::vector<std::string> Problems() {
    auto report = LintData(dir_.string());
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? report->problems : std::vector<std::string>{};
  }

  std::string Where(const std::string& path, int line) {
    return (dir_ / path).string() + ":" + std::to_string(line) + ": ";
  }

  fs::path dir_;
};

TEST_F(DataLintTest, TheBuiltInAndTheSourceDataAreClean) {
  auto embedded = LintData(std::nullopt);
  ASSERT_TRUE(embedded.ok()) << embedded.error().message;
  EXPECT_THAT(embedded->problems, IsEmpty());
  // Every kind is checked: 2 chem, 2 dri, 4 foods, 11 kb, 3 plan, 1 trial, 1 server.
  EXPECT_GE(embedded->files.size(), 24u);
  EXPECT_THAT(Problems(), IsEmpty());
}

// One misspelt key per kind of data file; each must be named with file, line and a suggestion.
struct Misspelling {
  std::string kind;  // The test's name.
  std::string file;
  std::string from;
  std::string to;
  std::string message;  // After "file:line: ".
};

class MisspeltKeyTest : public DataLintTest, public ::testing::WithParamInterface<Misspelling> {};

TEST_P(MisspeltKeyTest, IsRejectedWithFileLineAndASuggestion) {
  const Misspelling& c = GetParam();
  Edit(c.file, c.from, c.to);
  const int line = LineOf(c.file, c.to.substr(c.to.find_first_not_of('\n')));
  EXPECT_THAT(Problems(), Contains(HasSubstr(Where(c.file, line) + c.message)));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfDataFile, MisspeltKeyTest,
    ::testing::Values(
        Misspelling{"AtomicWeights", "chem/atomic_weights.toml", "\nsource = ", "\nsorce = ",
                    "unknown key 'sorce' in the file; did you mean 'source'?"},
        Misspelling{"Compounds", "chem/compounds.toml",
                    "\nformula = ", "\nformual = ", "unknown key 'formual' in compound"},
        Misspelling{"ReferenceRow", "dri/us.toml",
                    "\near_mg = ", "\near_mgg = ", "unknown key 'ear_mgg' in row"},
        Misspelling{"ReferenceHeader", "dri/eu.toml", "\nintake_name = ", "\nintake_nam = ",
                    "unknown key 'intake_nam' in [reference]; did you mean 'intake_name'?"},
        Misspelling{"FoodTable", "foods/foods.csv", ",kcal,", ",kcall,",
                    "unknown column 'kcall' in the header; did you mean 'kcal'?"},
        Misspelling{"Exclusions", "foods/exclusions.toml", "\ntags = ", "\ntag = ",
                    "unknown key 'tag' in exclusion 'vegan'; did you mean 'tags'?"},
        Misspelling{"SearchSynonyms", "foods/synonyms.toml", "[words]", "[word]",
                    "unknown key 'word' in the file; did you mean 'words'?"},
        Misspelling{"Units", "foods/units.toml", "\nsize = ", "\nsise = ",
                    "unknown key 'sise' in unit 'g'; did you mean 'size'?"},
        Misspelling{"KnowledgeBase", "kb/conditions.toml",
                    "\nsummary = ", "\nsumary = ", "unknown key 'sumary' in condition"},
        Misspelling{"PlanPolicy", "plan/policy.toml", "\nstart_mg = ", "\nstart_mgg = ",
                    "unknown key 'start_mgg' in [dose]; did you mean 'start_mg'?"},
        Misspelling{"FoodFrequency", "plan/food_frequency.toml", "\nquestion = ", "\nquestoin = ",
                    "unknown key 'questoin' in item 'nuts_seeds'; did you mean 'question'?"},
        Misspelling{"PlanMessages", "plan/messages.toml",
                    "\ntext = ", "\ntxt = ", "unknown key 'txt' in message"},
        Misspelling{"TrialOutcomes", "trial/outcomes.toml", "\nwashout_days = ", "\nwashout_day = ",
                    "unknown key 'washout_day' in outcome 'cramps'; did you mean 'washout_days'?"},
        Misspelling{"OpenApi", "server/openapi.json", "\"paths\":", "\"pahts\":",
                    "unknown key 'pahts' in the OpenAPI document; did you mean 'paths'?"},
        Misspelling{"Medicines", "medicines/ingredients.toml",
                    "\nsynonyms = ", "\nsynonym = ", "unknown key 'synonym'"},
        Misspelling{"ClaimChecker", "check/organisations.toml",
                    "\nunlisted_text = ", "\nunlisted_txt = ", "unknown key 'unlisted_txt'"},
        Misspelling{"PasswordRules", "accounts/passwords.toml",
                    "\nmin_distinct = ", "\nmin_distnct = ",
                    "unknown key 'min_distnct' in passwords.toml; did you mean 'min_distinct'?"}),
    [](const ::testing::TestParamInfo<Misspelling>& info) { return info.param.kind; });

TEST_F(DataLintTest, EveryProblemIsReportedNotJustTheFirst) {
  Edit("foods/units.toml", "\nsize = ", "\nsise = ");
  Edit("foods/units.toml", "\nkind = \"mass\"", "\nkind = \"weight\"");
  Edit("trial/outcomes.toml", "\nunit = ", "\nunits = ");
  const auto problems = Problems();
  EXPECT_THAT(problems, Contains(HasSubstr("unknown key 'sise'")));
  EXPECT_THAT(problems, Contains(HasSubstr("has kind 'weight', expected one of mass or volume")));
  EXPECT_THAT(problems, Contains(HasSubstr("unknown key 'units' in outcome 'cramps'")));
  EXPECT_GE(problems.size(), 4u);  // Also: the unit and the outcome lack their real keys.
}

TEST_F(DataLintTest, ReferencesBetweenFilesAreChecked) {
  // A knowledge-base form naming a compound this folder's catalogue lacks.
  Edit("chem/compounds.toml", "id = \"bisglycinate\"", "id = \"bisglycinate_x\"");
  // The policy preferring a form the knowledge base does not have.
  Edit("plan/policy.toml", "preference = [\"citrate\"", "preference = [\"citrat\"");
  // A message for a rule the engine never records.
  Edit("plan/messages.toml", "rule = \"form.none_suitable\"", "rule = \"form.nothing_suitable\"");
  // An exclusion tag no food carries: it would exclude nothing.
  Edit("foods/exclusions.toml", "tags = [\"tree_nut\", \"peanut\"]",
       "tags = [\"tree_nuts\", \"peanut\"]");
  const auto problems = Problems();
  EXPECT_THAT(problems, Contains(HasSubstr("refers to unknown compound 'bisglycinate'")));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("policy.toml"),
                                       HasSubstr("form 'citrat' is not an oral self-care form"))));
  EXPECT_THAT(problems,
              Contains(HasSubstr("unknown rule 'form.nothing_suitable' in the engine's messages; "
                                 "did you mean 'form.none_suitable'?")));
  EXPECT_THAT(problems, Contains(HasSubstr("no [[message]] for rule 'form.none_suitable'")));
  EXPECT_THAT(problems, Contains(HasSubstr("exclusion 'nut_allergy' has unknown tag 'tree_nuts' in "
                                           "foods/foods.csv (no food carries it); did you mean "
                                           "'tree_nut'?")));
}

TEST_F(DataLintTest, ThePolicysMedicinesAndFoodGroupsMustExist) {
  // An aggravating medicine the catalogue lacks would never be named for the person taking it; a
  // misspelt food category would silently drop a whole food group from every list.
  Edit("plan/policy.toml", "ingredients = [\"sertraline\"", "ingredients = [\"sertralin\"");
  Edit("plan/policy.toml", "categories = [\"Legumes\"]", "categories = [\"Legume\"]");
  const auto problems = Problems();
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("plan/policy.toml:"),
                                       HasSubstr("ingredient 'sertralin' is not in the medicines "
                                                 "catalogue"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("plan/policy.toml:"),
                                       HasSubstr("unknown category 'Legume' in foods/foods.csv; "
                                                 "did you mean 'Legumes'?"))));
}

TEST_F(DataLintTest, TheClaimCheckersCitationsAreCheckedAgainstTheFoldersKnowledgeBase) {
  Edit("check/organisations.toml", "citations = [\"eu_432_2012\", \"efsa_2010_mg_claims\"]",
       "citations = [\"eu_432_2012x\", \"efsa_2010_mg_claims\"]");
  EXPECT_THAT(Problems(),
              Contains(AllOf(HasSubstr("organisations.toml"), HasSubstr("eu_432_2012x"))));
}

TEST_F(DataLintTest, AMessageMayUseOnlyThePlaceholdersTheEngineFills) {
  Edit("plan/messages.toml", "{existing_mg} mg/day of magnesium from supplements or",
       "{existing} mg/day of magnesium from supplements or");
  EXPECT_THAT(Problems(), Contains(AllOf(HasSubstr("text of rule 'safety.existing_without_limit' "
                                                   "does not format"),
                                         HasSubstr("it may use {existing_mg}"))));
}

TEST_F(DataLintTest, AFileNoLoaderReadsIsReported) {
  fs::copy_file(dir_ / "plan/policy.toml", dir_ / "plan/polcy.toml");
  EXPECT_THAT(Problems(), Contains(HasSubstr("unknown data file 'plan/polcy.toml' in data/ (no "
                                             "loader reads it); did you mean "
                                             "'plan/policy.toml'?")));
  fs::remove(dir_ / "trial/outcomes.toml");
  EXPECT_THAT(Problems(), Contains(HasSubstr("trial/outcomes.toml:1: missing")));
}

TEST(DataLint, AMissingDirectoryIsNotFound) {
  auto report = LintData("/nonexistent/data");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace mg::ops
