// data/check/*.toml is read strictly: the embedded files are clean, and every kind of mistake is
// reported with file:line. This is the lint hook for the checker's data until `data lint` lists it.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "check/test_util.h"
#include "core/data_files.h"

namespace mg::check {
namespace {

using ::testing::HasSubstr;

std::vector<DataFile> EmbeddedFiles() {
  auto files = LoadDataFiles("check", ".toml", std::nullopt);
  EXPECT_TRUE(files.ok());
  return files.ok() ? *files : std::vector<DataFile>{};
}

std::vector<std::string> Lint(const std::vector<DataFile>& files) {
  const Loaded& d = EmbeddedData();
  return LintCheckData(d.kb, d.tables, d.compounds, files);
}

// Replaces `from` by `to` in the named file (which must contain it).
std::vector<DataFile> Edited(std::string_view name, std::string_view from, std::string_view to) {
  auto files = EmbeddedFiles();
  for (auto& f : files) {
    if (!f.name.ends_with(name)) continue;
    const size_t at = f.content.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) f.content.replace(at, from.size(), to);
  }
  return files;
}

TEST(CheckData, EmbeddedFilesAreClean) {
  const auto files = EmbeddedFiles();
  EXPECT_GE(files.size(), 9u);
  EXPECT_THAT(Lint(files), ::testing::IsEmpty());
}

TEST(CheckData, MistakesAreReportedWithFileAndLine) {
  struct Case {
    std::string_view file, from, to, message;
  };
  const Case cases[] = {
      {"rules.toml", "claim_type = \"dose\"", "claim_tipe = \"dose\"", "did you mean 'claim_type'"},
      {"rules.toml", "absolute = \"overstated\"", "absolute = \"wrong\"", "absolute"},
      {"organisations.toml", "conditions = [\"fatigue\"]", "conditions = [\"tiredness\"]",
       "'tiredness' in 'conditions' is not a knowledge-base condition id"},
      {"organisations.toml", "citations = [\"holland_2012_aan\"]\n\n[[organisation.position]]",
       "citations = [\"holland_2013\"]\n\n[[organisation.position]]",
       "cites 'holland_2013', which is not a knowledge-base citation"},
      {"mechanisms.toml", "mechanism = \"nmda_block\"", "mechanism = \"nmda_blok\"",
       "'nmda_blok' is not a knowledge-base mechanism id"},
      {"safety.toml",
       "\"side_effect:osmotic_diarrhoea\", \"side_effect:hypermagnesaemia\", "
       "\"contraindication:egfr_below_30\"]",
       "\"side_effect:diarrhoea\"]",
       "evidence 'side_effect:diarrhoea' is not a knowledge-base entry"},
      {"quantities.toml", "low = 300\nhigh = 800", "low = 800\nhigh = 300", "high is below low"},
      {"forms.toml", "form = \"oxide\"", "form = \"oxyde\"", "'oxyde' in 'form' is not"},
      {"mechanisms.toml", "all = [\"nmda\", \"block", "all = [\"nmda\", \" | block",
       "an empty alternative"},
  };
  for (const Case& c : cases) {
    const auto problems = Lint(Edited(c.file, c.from, c.to));
    ASSERT_FALSE(problems.empty()) << c.message;
    EXPECT_THAT(problems.front(), HasSubstr(std::string(c.file) + ":")) << c.message;
    EXPECT_THAT(fmt::format("{}", fmt::join(problems, "\n")), HasSubstr(std::string(c.message)));
  }
}

TEST(CheckData, ARuleTheCodeFiresMustBeDefined) {
  const auto problems =
      Lint(Edited("rules.toml", "id = \"dose.studied\"", "id = \"dose.studies\""));
  EXPECT_THAT(fmt::format("{}", fmt::join(problems, "\n")),
              HasSubstr("rule 'dose.studied' is used by the checker but not defined"));
}

TEST(CheckData, AnUnknownFileIsAProblem) {
  auto files = EmbeddedFiles();
  files.push_back({"data/check/extra.toml", "x = 1\n"});
  EXPECT_THAT(fmt::format("{}", fmt::join(Lint(files), "\n")),
              HasSubstr("unknown checker data file 'extra.toml'"));
}

}  // namespace
}  // namespace mg::check
