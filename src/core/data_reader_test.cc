#include "core/data_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mg {
namespace {

using ::testing::ElementsAre;

enum class Colour { kRed, kGreen };
constexpr EnumName<Colour> kColours[] = {{"red", Colour::kRed}, {"green", Colour::kGreen}};

TEST(TomlReader, ReportsEveryProblemWithFileLineAndASuggestion) {
  DataProblems problems;
  const DataFile file{"t.toml",
                      "[[thing]]\n"
                      "id = \"a\"\n"
                      "colour = \"blue\"\n"
                      "sise = 3\n"
                      "[[thing]]\n"
                      "id = \"b\"\n"
                      "size = -1\n"
                      "colour = \"red\"\n"};
  const auto root = ParseTomlFile(file, problems);
  ASSERT_TRUE(root.has_value());
  TomlReader doc(*root, file.name, "the file", problems, {"thing"});
  std::vector<std::optional<Colour>> colours;
  for (TomlReader r : doc.Tables("thing", "thing", {"id", "colour", "size"})) {
    (void)r.Text("id");
    colours.push_back(r.Enum("colour", kColours));
    (void)r.Number("size", NumberRange::Above(0));
  }
  EXPECT_EQ(colours.size(), 2u);
  EXPECT_EQ(colours[1], Colour::kRed);
  EXPECT_THAT(problems.Sorted(),
              ElementsAre("t.toml:1: thing 'a' is missing required field 'size'",
                          "t.toml:3: thing 'a' has colour 'blue', expected one of red or green",
                          "t.toml:4: unknown key 'sise' in thing 'a'; did you mean 'size'?",
                          "t.toml:7: field 'size' of thing 'b' is -1, must be above 0"));
  EXPECT_EQ(problems.ToError().code, ErrorCode::kDataError);
}

TEST(TomlReader, SyntaxErrorsAreProblemsToo) {
  DataProblems problems;
  EXPECT_FALSE(ParseTomlFile({"x.toml", "a = = 1\n"}, problems).has_value());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems.Sorted()[0], ::testing::StartsWith("x.toml:1: "));
}

TEST(CsvColumns, UnknownAndMissingColumnsAreNamed) {
  DataProblems problems;
  const CsvColumns columns({"name", "kcall", "mg"}, "f.csv", {"name", "kcal", "mg"}, {"note"},
                           problems);
  EXPECT_FALSE(columns.ok());
  EXPECT_EQ(columns.Index("mg"), 2);
  EXPECT_EQ(columns.Index("note"), -1);
  EXPECT_THAT(problems.Sorted(),
              ElementsAre("f.csv:1: unknown column 'kcall' in the header; did you mean 'kcal'?",
                          "f.csv:1: missing column 'kcal'"));
}

TEST(EnumNames, ParseAndSpell) {
  EXPECT_EQ(ParseEnum(kColours, "green"), Colour::kGreen);
  EXPECT_FALSE(ParseEnum(kColours, "Green").has_value());
  EXPECT_EQ(EnumToString(kColours, Colour::kRed), "red");
  EXPECT_THAT(EnumSpellings(kColours), ElementsAre("red", "green"));
}

}  // namespace
}  // namespace mg
