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
        w.Key(key);
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
