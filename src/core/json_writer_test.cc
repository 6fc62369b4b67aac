#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace mg {
namespace {

using nlohmann::json;

// Writes a tree through the writer, member by member, as a hand-written writer call sequence does.
void Write(const json& value, JsonWriter& w) {
  switch (value.type()) {
    case json::value_t::object:
      w.BeginObject();
      for (const auto& [key, member] : value.items()) {
        w.DataKey(key);
        Write(member, w);
      }
      w.EndObject();
      break;
    case json::value_t::array:
      w.BeginArray();
      for (const auto& element : value) Write(element, w);
      w.EndArray();
      break;
    case json::value_t::string:
      w.String(value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      w.Bool(value.get<bool>());
      break;
    case json::value_t::number_integer:
      w.Integer(value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      w.Integer(value.get<int64_t>());
      break;
    case json::value_t::number_float:
      w.Number(value.get<double>());
      break;
    default:
      w.Null();
  }
}

std::string Written(const json& value) {
  std::string out;
  JsonWriter w(out);
  Write(value, w);
  return out;
}

std::string Dumped(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace);
}

TEST(JsonWriter, NestedDocumentsAsNlohmannDumps) {
  const std::vector<json> documents = {
      json::object(),
      json::array(),
      json(nullptr),
      json("text"),
      json(3),
      json(3.0),
      {{"a", json::object()}, {"b", json::array()}, {"c", {1, 2, {{"d", nullptr}}}}},
      {{"supplement", nullptr},
       {"doses", {{{"time", "21:00"}, {"elemental_mg", 200.0}}, {{"time", "08:00"}}}},
       {"empty", {json::array(), json::object(), {json::array()}}},
       {"flag", true},
       {"other", false}},
      json::array({json::array({json::array()})}),
  };
  for (const json& d : documents) EXPECT_EQ(Written(d), Dumped(d)) << Dumped(d);
}

TEST(JsonWriter, EscapesAsNlohmann) {
  std::string every_byte_below_0x80;
  for (int c = 0; c < 0x80; ++c) every_byte_below_0x80 += static_cast<char>(c);
  const std::vector<std::string> strings = {
      "",
      "plain",
      every_byte_below_0x80,
      "quote \" backslash \\ slash / tab \t newline \n",
      "µg/L — 5–10 mg · ≥ 4 h, 🙂",
      std::string("nul \0 inside", 12),
      "bad \xff byte",          // Not UTF-8: replaced, as the server's dump does.
      "cut \xe2\x80 sequence",  // A truncated sequence.
      "\xed\xa0\x80 surrogate",
  };
  for (const std::string& s : strings) {
    EXPECT_EQ(Written(json(s)), Dumped(json(s))) << s;
    const json keyed = {{s, s}};  // Keys are escaped the same way.
    EXPECT_EQ(Written(keyed), Dumped(keyed)) << s;
  }
}

// Long strings with the bytes to escape and multi-byte letters at every offset, so the eight-byte
// scan meets each of them at each position in its word.
TEST(JsonWriter, EscapesAnywhereInLongStrings) {
  const std::vector<std::string> pieces = {"a",    "Z", "\"", "\\", "\n",   "\x01", "\x1f",
                                           "\x7f", " ", "µ",  "€",  "🙂", "\xff"};
  std::mt19937 random(20);  // Fixed seed: the same strings every run.
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const int length = static_cast<int>(random() % 40);
    for (int j = 0; j < length; ++j) s += pieces[random() % pieces.size()];
    EXPECT_EQ(Written(json(s)), Dumped(json(s)))
        << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

// Runs of plain text of every length from 0 to 70 before and after each byte to escape and each
// multi-byte letter, as values and as keys: the sixteen- and eight-byte scans and the one-append
// paths for short texts and keys meet each of them at every position and across every size
// boundary.
TEST(JsonWriter, EscapesAfterPlainRunsOfEveryLength) {
  const std::vector<std::string> specials = {"",     "\"", "\\",   "\n",   "\x01",
                                             "\x1f", "µ",  "🙂", "\xff", "\x7f"};
  for (size_t before = 0; before <= 70; ++before) {
    for (const std::string& special : specials) {
      for (const size_t after : {size_t{0}, size_t{1}, size_t{15}, before}) {
        const std::string s = std::string(before, 'a') + special + std::string(after, 'b');
        ASSERT_EQ(Written(json(s)), Dumped(json(s))) << before << " + " << after;
        const json keyed = {{s, {{s, s}}}};
        ASSERT_EQ(Written(keyed), Dumped(keyed)) << before << " + " << after;
      }
    }
  }
}

// Deeper than the indentation kept ready for one append (32 levels), objects and arrays.
TEST(JsonWriter, DeepNestingIndentsAsNlohmann) {
  json deep = {{"leaf", "x"}, {"list", {1, 2}}};
  for (int depth = 0; depth < 40; ++depth) {
    deep = depth % 2 == 0 ? json{{"inner", deep}, {"n", depth}} : json::array({deep, depth});
    ASSERT_EQ(Written(deep), Dumped(deep)) << depth;
  }
}

// A value prewritten for one depth and placed at that depth, at shallower and at deeper ones (as
// an array element and as a member) gives the bytes of the whole document's dump.
TEST(JsonWriter, PrewrittenFragmentsAtAnyDepth) {
  const std::vector<json> values = {
      json("text \" with escapes \n"),
      json(3.5),
      json::object(),
      json::array(),
      {{"authors", "A"}, {"list", {1, {{"deep", {true, nullptr}}}, json::array()}}, {"year", 2020}},
  };
  for (const json& value : values) {
    for (size_t written_at = 0; written_at <= 4; ++written_at) {
      const JsonFragment fragment =
          JsonWriter::Prewrite(written_at, [&](JsonWriter& w) { Write(value, w); });
      EXPECT_EQ(fragment.depth, written_at);
      for (size_t placed_at = 0; placed_at <= 4; ++placed_at) {
        // `placed_at` levels: arrays with one element before the value, then a member.
        json expected = value;
        std::string text;
        JsonWriter w(text);
        for (size_t level = 0; level + 1 < placed_at; ++level) w.BeginArray().Integer(0);
        if (placed_at > 0) w.BeginObject().Key("value");
        w.Fragment(fragment);
        if (placed_at > 0) {
          w.Key("z").Null().EndObject();
          expected = {{"value", expected}, {"z", nullptr}};
        }
        for (size_t level = 0; level + 1 < placed_at; ++level) {
          w.EndArray();
          expected = json::array({0, expected});
        }
        EXPECT_EQ(text, Dumped(expected))
            << "written at " << written_at << ", placed at " << placed_at << ": " << Dumped(value);
      }
    }
  }
}

TEST(JsonWriter, NumbersAsNlohmann) {
  std::vector<double> doubles = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.0,
                                 0.5,
                                 0.1,
                                 1.0 / 3,
                                 28.349523125,
                                 1e-4,
                                 1e-5,
                                 123456.789,
                                 999999999999999.0,
                                 1e15,
                                 -1e15,
                                 1e16,
                                 1e300,
                                 5e-324,
                                 std::numeric_limits<double>::max(),
                                 std::numeric_limits<double>::quiet_NaN(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(20);  // Fixed seed: the same values every run.
  for (int i = 0; i < 2000; ++i) {
    doubles.push_back(std::uniform_real_distribution<double>(-1000, 1000)(random));
    doubles.push_back(std::round(std::uniform_real_distribution<double>(0, 5000)(random)) / 4);
    uint64_t bits = random();
    double any;
    std::memcpy(&any, &bits, sizeof any);
    doubles.push_back(any);
  }
  for (double d : doubles) EXPECT_EQ(Written(json(d)), Dumped(json(d))) << d;
  for (int64_t i : {int64_t{0}, int64_t{-7}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(Written(json(i)), Dumped(json(i))) << i;
  }
}

TEST(JsonWriter, PlacesATreeAtItsDepth) {
  const json tree = {{"id", "x"}, {"list", {1, 2}}, {"empty", json::object()}};
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("a").BeginArray().Json(tree).Json(json::array()).EndArray();
  w.Key("b").Json(tree).EndObject();
  EXPECT_EQ(out, Dumped({{"a", {tree, json::array()}}, {"b", tree}}));
}

TEST(JsonWriter, Helpers) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a").Number(std::optional<double>());
  w.Key("b").Number(std::optional<double>(2.5));
  w.Key("c").StringOrNull(std::nullopt);
  w.Key("d").StringOrNull("x");
  w.Key("e").Strings({"p", "q"});
  w.Key("f").Strings({});
  w.EndObject();
  EXPECT_EQ(out, Dumped({{"a", nullptr},
                         {"b", 2.5},
                         {"c", nullptr},
                         {"d", "x"},
                         {"e", {"p", "q"}},
                         {"f", json::array()}}));
}

#ifndef NDEBUG
TEST(JsonWriterDeathTest, KeysOutOfOrderAreABug) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("b").Null();
  EXPECT_DEATH(w.Key("a"), "ascending byte order");
}
#endif

}  // namespace
}  // namespace mg
