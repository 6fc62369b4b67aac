// Black-box tests of `kb lint`, `kb list` and `explain`: the real binary, as a person or a
// contributor would run it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

nlohmann::json Json(const std::string& text) { return nlohmann::json::parse(text); }

// The conditions the data file holds, counted from its text (not from the loader under test).
int ConditionsInData() {
  std::ifstream in(std::string(MG_SOURCE_DIR) + "/data/kb/conditions.toml");
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line == "[[condition]]";
  return n;
}

TEST(KbCli, BuiltInBaseLintsClean) {
  const int conditions = ConditionsInData();
  ASSERT_GE(conditions, 25);  // Growing pains made 25.
  auto r = RunCli({"kb", "lint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("clean (" + std::to_string(conditions) + " conditions"));
  auto json = RunCli({"kb", "lint", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(Json(json.out)["ok"], true);
  EXPECT_EQ(Json(json.out)["counts"]["conditions"], conditions);
}

TEST(KbCli, LintOfTheSourceDirectoryIsClean) {
  auto r = RunCli({"kb", "lint", std::string(MG_SOURCE_DIR) + "/data/kb"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(KbCli, LintOfBrokenFilesExitsThreeWithFileLineErrors) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "mgadvisor_kb_cli_lint";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(fs::path(MG_SOURCE_DIR) / "src/kb/testdata/bad_grade.toml", dir / "bad_grade.toml");
  auto r = RunCli({"kb", "lint", dir.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("bad_grade.toml:24: finding 'test_condition_oral' has verdict "
                               "'works_great'"));
  EXPECT_THAT(r.err, HasSubstr("bad_grade.toml:25: "));
  auto json = RunCli({"kb", "lint", dir.string(), "--json"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(Json(json.out)["ok"], false);
  EXPECT_EQ(Json(json.out)["problems"].size(), 2u);
  // --kb with a broken base makes every command fail the same way.
  auto explain = RunCli({"--kb", dir.string(), "explain", "RLS"});
  EXPECT_EQ(explain.exit_code, 3);
  fs::remove_all(dir);
}

TEST(DataCli, LintIsCleanOnTheBuiltInAndTheSourceData) {
  auto r = RunCli({"data", "lint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("the built-in data: clean"));
  auto source = RunCli({"data", "lint", std::string(MG_SOURCE_DIR) + "/data", "--json"});
  ASSERT_EQ(source.exit_code, 0) << source.err;
  EXPECT_EQ(Json(source.out)["ok"], true);
  EXPECT_GE(Json(source.out)["files"].size(), 24u);
}

TEST(DataCli, LintOfABrokenFolderExitsThreeWithEveryProblem) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "mgadvisor_data_cli_lint";
  fs::remove_all(dir);
  fs::copy(fs::path(MG_SOURCE_DIR) / "data", dir, fs::copy_options::recursive);
  // Two misspelt keys in two kinds of file: both are reported, each with file:line.
  for (const auto& [file, from, to] :
       {std::tuple{"foods/units.toml", "\nsize = ", "\nsise = "},
        std::tuple{"plan/policy.toml", "\nstart_mg = ", "\nstart_mgg = "}}) {
    std::ifstream in(dir / file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text.replace(text.find(from), std::string(from).size(), to);
    std::ofstream(dir / file, std::ios::trunc) << text;
  }
  auto r = RunCli({"data", "lint", dir.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("units.toml:"));
  EXPECT_THAT(r.err, HasSubstr("unknown key 'sise' in unit 'g'; did you mean 'size'?"));
  EXPECT_THAT(r.err, HasSubstr("unknown key 'start_mgg' in [dose]; did you mean 'start_mg'?"));
  auto json = RunCli({"data", "lint", dir.string(), "--json"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(Json(json.out)["ok"], false);
  fs::remove_all(dir);
}

TEST(KbCli, ExplainJsonOfADiagnosisCarriesWhatTheTextShows) {
  auto text = RunCli({"explain", "myasthenia gravis"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  auto json = RunCli({"explain", "myasthenia gravis", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = Json(json.out);
  ASSERT_FALSE(j["contraindications"].empty());
  for (const auto& c : j["contraindications"]) {
    EXPECT_THAT(text.out, HasSubstr(c["name"].get<std::string>()));
  }
  ASSERT_FALSE(j["citations"].empty());
  EXPECT_THAT(text.out, HasSubstr("Sources"));
}

TEST(KbCli, ListConditionsShowsVerdicts) {
  auto r = RunCli({"kb", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("nocturnal_leg_cramps"));
  EXPECT_THAT(r.out, HasSubstr("likely ineffective"));
  for (const char* kind : {"conditions", "forms", "findings", "interactions", "contraindications",
                           "red-flags", "measures", "citations", "mechanisms", "side-effects"}) {
    auto json = RunCli({"kb", "list", kind, "--json"});
    ASSERT_EQ(json.exit_code, 0) << kind << json.err;
    EXPECT_FALSE(Json(json.out).empty()) << kind;
  }
  EXPECT_EQ(RunCli({"kb", "list", "unicorns"}).exit_code, 2);
}

TEST(KbCli, ExplainByCommonName) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"explain", "RLS"}, {"explain", "restless legs"}, {"explain", "restless", "legs"}}) {
    auto r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("Restless legs syndrome  (restless_legs_syndrome)"));
    EXPECT_THAT(r.out, HasSubstr("ferritin"));
  }
  auto itbs = RunCli({"explain", "ITBS", "--json"});
  ASSERT_EQ(itbs.exit_code, 0) << itbs.err;
  EXPECT_EQ(Json(itbs.out)["id"], "it_band_syndrome");
  EXPECT_EQ(Json(itbs.out)["findings"][0]["verdict"], "not_studied");
  auto epsom = RunCli({"explain", "Epsom salt"});
  ASSERT_EQ(epsom.exit_code, 0) << epsom.err;
  EXPECT_THAT(epsom.out, HasSubstr("epsom_bath"));
}

TEST(KbCli, ExplainUnknownNameExitsWithSuggestions) {
  auto r = RunCli({"explain", "restles legs"});
  EXPECT_EQ(r.exit_code, ExitCodeFor(ErrorCode::kNotFound));
  EXPECT_THAT(r.err, HasSubstr("did you mean"));
}

}  // namespace
}  // namespace mg
