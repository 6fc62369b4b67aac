#include "core/precompiled.h"

#include <gtest/gtest.h>

#include <random>

#include "core/data_reader.h"

namespace mg::precompiled {
namespace {

// Every kind of node toml++ parses, nested, with edge values.
constexpr std::string_view kEveryKind = R"(title = "quotes \" and \\ and é and \u0001"
empty = ""
big = 9223372036854775807
small = -9223372036854775808
zero = 0
hex = 0xff
pi = 3.141592653589793
tiny = 5e-324
minus_zero = -0.0
inf = inf
yes = true
no = false
day = 2026-12-03
clock = 07:45:30.123456789
local = 2026-12-03T07:45:30
utc = 2026-12-03T07:45:30Z
east = 2026-12-03T07:45:30+05:30
west = 2026-12-03T07:45:30-08:00
mixed = [1, "two", 3.0, [4, [5]], {six = 6}]
inline = {a = 1, b = {c = [true]}}

[[form]]
id = "citrate"
names = ["magnesium citrate", "citrate"]

[[form]]
id = "glycinate"
[form.reasons]
sleep = "x"

[deep.er.still]
k = 1
)";

toml::table Parse(std::string_view text) { return toml::parse(text, std::string_view("t.toml")); }

TEST(Precompiled, DecodeGivesBackWhatWasParsed) {
  const toml::table parsed = Parse(kEveryKind);
  const std::string tree = Encode(parsed);
  const auto decoded = Decode(tree);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, parsed);
  // The same text again, byte for byte: nothing depends on the order values were inserted.
  EXPECT_EQ(Encode(*decoded), tree);
  // The decoded tree keeps the values' types, not just their text.
  EXPECT_EQ(decoded->at_path("big").value<int64_t>(), INT64_MAX);
  EXPECT_EQ(decoded->at_path("small").value<int64_t>(), INT64_MIN);
  EXPECT_EQ(decoded->at_path("tiny").value<double>(), 5e-324);
  EXPECT_TRUE(std::signbit(*decoded->at_path("minus_zero").value<double>()));
  EXPECT_EQ(decoded->at_path("east").value<toml::date_time>()->offset->minutes, 330);
  EXPECT_FALSE(decoded->at_path("local").value<toml::date_time>()->offset.has_value());
  EXPECT_EQ(decoded->at_path("clock").value<toml::time>()->nanosecond, 123456789u);
  EXPECT_EQ(decoded->at_path("form[1].reasons.sleep").value<std::string>(), "x");
}

TEST(Precompiled, DecodedNodesHaveNoLines) {
  // What ops::Context's reload from text is for: LineOf() cannot name a line in a decoded tree.
  const auto decoded = Decode(Encode(Parse("a = 1\nb = 2\n")));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(LineOf(*decoded->get("b")), 0);
}

TEST(Precompiled, EveryTruncationAndEveryFlippedByteIsRefusedOrDecodesSafely) {
  const std::string tree = Encode(Parse(kEveryKind));
  for (size_t size = 0; size < tree.size(); ++size) {
    EXPECT_FALSE(Decode(std::string_view(tree).substr(0, size)).has_value()) << size;
  }
  EXPECT_FALSE(Decode(tree + "x").has_value());  // Trailing bytes.
  // Corruption anywhere must not read out of bounds (ASan watches) or throw; it may decode into
  // some other table, which is why Find() also checks the text.
  std::mt19937 random(20);
  for (size_t at = 0; at < tree.size(); ++at) {
    std::string bad = tree;
    bad[at] = static_cast<char>(random());
    (void)Decode(bad);
  }
}

TEST(Precompiled, RefusesNestingWithoutEnd) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "\x02\x01";  // Arrays of one array, no end.
  EXPECT_FALSE(Decode("\x01\x01\x01k" + deep).has_value());
}

TEST(Precompiled, FindAnswersOnlyForTheInstalledNameAndText) {
  const std::string text = "a = 1\n";
  const std::string tree = Encode(Parse("a = 2\n"));  // Tells the two paths apart.
  static Entry entries[1];
  entries[0] = {"data/x.toml", text, tree};
  Install(entries, 1);
  EXPECT_TRUE(Installed());
  const size_t before = FoundCount();

  DataProblems problems;
  auto found = ParseTomlFile({"data/x.toml", text}, problems);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->at_path("a").value<int64_t>(), 2);  // The tree, not the text.
  EXPECT_EQ(FoundCount(), before + 1);

  // Another text under the same name (an edited copy), or another name: parsed from the text.
  EXPECT_EQ(ParseTomlFile({"data/x.toml", "a = 3\n"}, problems)->at_path("a").value<int64_t>(), 3);
  EXPECT_EQ(ParseTomlFile({"elsewhere/x.toml", text}, problems)->at_path("a").value<int64_t>(), 1);
  {
    TextOnly text_only;
    EXPECT_FALSE(Find({"data/x.toml", text}).has_value());
    EXPECT_EQ(ParseTomlFile({"data/x.toml", text}, problems)->at_path("a").value<int64_t>(), 1);
  }
  EXPECT_TRUE(Find({"data/x.toml", text}).has_value());
  EXPECT_TRUE(problems.empty());
  Install(nullptr, 0);
  EXPECT_FALSE(Installed());
  EXPECT_FALSE(Find({"data/x.toml", text}).has_value());
}

}  // namespace
}  // namespace mg::precompiled
