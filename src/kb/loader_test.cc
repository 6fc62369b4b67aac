// The validator: crafted broken files under src/kb/testdata/ must produce these exact
// `file:line: message` problems, so contributors can trust what `kb lint` tells them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kb/kb.h"

namespace mg::kb {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Lints one file from src/kb/testdata, named relative to the repository root in messages.
std::vector<std::string> LintTestFile(const std::string& name) {
  const std::string relative = "src/kb/testdata/" + name;
  auto content = ReadFile(std::string(MG_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(content.ok()) << relative;
  return LintKnowledgeBase({DataFile{relative, content.ok() ? *content : ""}});
}

TEST(Loader, UnknownKey) {
  EXPECT_THAT(LintTestFile("unknown_key.toml"),
              ElementsAre("src/kb/testdata/unknown_key.toml:10: unknown key 'colour' in citation "
                          "'smith_2020'"));
}

TEST(Loader, MissingRequiredFields) {
  EXPECT_THAT(
      LintTestFile("missing_field.toml"),
      ElementsAre("src/kb/testdata/missing_field.toml:2: condition 'test_condition' is missing "
                  "required field 'summary'",
                  "src/kb/testdata/missing_field.toml:9: citation 'anonymous' is missing required "
                  "field 'authors'",
                  "src/kb/testdata/missing_field.toml:9: citation 'anonymous' needs at least one "
                  "of doi, pmid or url"));
}

TEST(Loader, DuplicateId) {
  EXPECT_THAT(LintTestFile("duplicate_id.toml"),
              ElementsAre("src/kb/testdata/duplicate_id.toml:11: duplicate citation id 'twice' "
                          "(first defined at src/kb/testdata/duplicate_id.toml:2)"));
}

TEST(Loader, DanglingReferences) {
  EXPECT_THAT(
      LintTestFile("dangling_reference.toml"),
      ElementsAre("src/kb/testdata/dangling_reference.toml:13: finding 'ghost_oral' refers to "
                  "unknown condition 'ghost_condition'",
                  "src/kb/testdata/dangling_reference.toml:16: finding 'ghost_oral' refers to "
                  "unknown form 'unobtainium'",
                  "src/kb/testdata/dangling_reference.toml:21: finding 'ghost_oral' cites unknown "
                  "citation 'missing_source'"));
}

TEST(Loader, FindingWithoutCitations) {
  EXPECT_THAT(LintTestFile("finding_without_citations.toml"),
              ElementsAre("src/kb/testdata/finding_without_citations.toml:18: finding "
                          "'test_condition_oral' has no citations"));
}

TEST(Loader, VerdictAndCertaintyOutsideTheAllowedSets) {
  EXPECT_THAT(
      LintTestFile("bad_grade.toml"),
      ElementsAre("src/kb/testdata/bad_grade.toml:24: finding 'test_condition_oral' has verdict "
                  "'works_great', expected one of effective, possibly_effective, "
                  "insufficient_evidence, likely_ineffective or not_studied",
                  "src/kb/testdata/bad_grade.toml:25: finding 'test_condition_oral' has certainty "
                  "'medium', expected one of high, moderate, low or very_low"));
}

TEST(Loader, SafetyRulesThePlanCouldNotApply) {
  EXPECT_THAT(
      LintTestFile("bad_safety_rules.toml"),
      ElementsAre("src/kb/testdata/bad_safety_rules.toml:12: contraindication 'kidneys' with "
                  "action no_supplement needs a referral urgency",
                  "src/kb/testdata/bad_safety_rules.toml:21: interaction 'class_a' has action "
                  "'separate' but no spacing hours",
                  "src/kb/testdata/bad_safety_rules.toml:35: interaction 'class_b' medicine "
                  "'Brandix' is already used by interaction 'class_a'"));
}

TEST(Loader, SyntaxErrorNamesFileAndLine) {
  const auto problems = LintTestFile("syntax_error.toml");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], ::testing::StartsWith("src/kb/testdata/syntax_error.toml:3: "));
}

TEST(Loader, UnknownTableIsReported) {
  const auto problems = LintKnowledgeBase({DataFile{"x.toml", "[[conditions]]\nid = \"a\"\n"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("x.toml:1: unknown table 'conditions'"));
}

TEST(Loader, UnknownCompoundIsReported) {
  const std::string text = R"(
[[citation]]
id = "c"
authors = "A"
year = 2000
title = "T"
venue = "V"
url = "https://example.org"
kind = "trial"

[[form]]
id = "mystery"
name = "Mystery salt"
route = "oral"
compounds = ["unobtainium_citrate"]
self_care = true
diarrhoea_risk = "low"
laxative = false
absorption = "?"
gi_tolerance = "?"
typical_uses = "?"
evidence = "?"
citations = ["c"]
)";
  EXPECT_THAT(LintKnowledgeBase({DataFile{"f.toml", text}}),
              ElementsAre("f.toml:15: form 'mystery' refers to unknown compound "
                          "'unobtainium_citrate'"));
}

TEST(Loader, ParseFailsWithEveryProblemInTheMessage) {
  const std::string relative = "src/kb/testdata/dangling_reference.toml";
  auto content = ReadFile(std::string(MG_SOURCE_DIR) + "/" + relative);
  ASSERT_TRUE(content.ok());
  auto kb = ParseKnowledgeBase({DataFile{relative, *content}});
  ASSERT_FALSE(kb.ok());
  EXPECT_EQ(kb.error().code, ErrorCode::kDataError);
  EXPECT_THAT(kb.error().message, HasSubstr(":13: "));
  EXPECT_THAT(kb.error().message, HasSubstr("\n"));
  EXPECT_THAT(kb.error().message, HasSubstr(":21: "));
}

TEST(Loader, OverrideDirectoryIsUsed) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "mgadvisor_kb_loader_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(fs::path(MG_SOURCE_DIR) / "data/kb", dir, fs::copy_options::recursive);
  {
    std::ofstream extra(dir / "zz_extra.toml");
    extra << "[[diagnosis]]\nid = \"test_only\"\nname = \"Test only\"\nlaxative = \"none\"\n";
  }
  auto kb = LoadKnowledgeBase(dir.string());
  ASSERT_TRUE(kb.ok()) << kb.error().message;
  EXPECT_NE(kb->FindDiagnosis("test only"), nullptr);
  fs::remove_all(dir);

  auto missing = LoadKnowledgeBase((dir / "does-not-exist").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// Every key of every kind given a value of the wrong type: each is reported, nothing crashes.
TEST(Loader, WrongTypesAreReportedNotFatal) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> kinds = {
      {"citation", {"id", "authors", "year", "title", "venue", "doi", "pmid", "url", "kind"}},
      {"condition",
       {"id", "name", "aliases", "summary", "what_helps", "night_time_symptoms", "mechanisms",
        "citations", "section"}},
      {"finding",
       {"id", "condition", "route", "intervention", "forms", "verdict", "certainty", "population",
        "dose", "dose_mg_low", "dose_mg_high", "duration", "summary", "citations", "note"}},
      {"form",
       {"id", "name", "aliases", "route", "compounds", "self_care", "diarrhoea_risk", "laxative",
        "absorption", "gi_tolerance", "typical_uses", "evidence", "citations"}},
      {"interaction",
       {"id", "name", "medicines", "effect", "mechanism", "severity", "action",
        "mg_hours_before_medicine", "mg_hours_after_medicine", "management", "citations"}},
      {"contraindication",
       {"id", "name", "trigger", "action", "referral", "reason", "advice", "max_supplemental_mg",
        "citations"}},
      {"diagnosis", {"id", "name", "aliases", "laxative", "condition", "note"}},
      {"red_flag",
       {"id", "name", "pattern", "question", "urgency", "conditions", "action", "citations"}},
      {"measure",
       {"id", "condition", "name", "advice", "verdict", "certainty", "summary", "citations"}},
      {"side_effect",
       {"id", "name", "forms", "dose", "onset_mg", "symptoms", "at_risk", "action", "toxicity",
        "citations"}},
      {"mechanism",
       {"id", "name", "status", "statement", "correction", "relevance", "corrects", "citations"}}};
  for (const auto& [kind, keys] : kinds) {
    for (const char* bad : {"[1, 2]", "\"\"", "true", "{a = 1}", "-3"}) {
      std::string text = "[[" + kind + "]]\n";
      for (const auto& key : keys) text += key + " = " + bad + "\n";
      const auto problems = LintKnowledgeBase({DataFile{"wrong.toml", text}});
      EXPECT_FALSE(problems.empty()) << kind << " with " << bad;
      for (const auto& problem : problems) {
        EXPECT_THAT(problem, ::testing::StartsWith("wrong.toml:")) << kind;
      }
    }
  }
}

TEST(Loader, CleanInputHasNoProblems) {
  const std::string text = R"(
[[citation]]
id = "c"
authors = "A"
year = 2000
title = "T"
venue = "V"
pmid = "1"
kind = "trial"
)";
  EXPECT_THAT(LintKnowledgeBase({DataFile{"ok.toml", text}}), IsEmpty());
}

}  // namespace
}  // namespace mg::kb
