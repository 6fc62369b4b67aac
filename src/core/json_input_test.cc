#include "core/json_input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace mg {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ParseError(std::string_view text, std::string_view source = "in.json") {
  auto parsed = ParseJson(text, source);
  return parsed.ok() ? std::string("ok") : parsed.error().message;
}

TEST(JsonInputTest, ParsesOrdinaryDocuments) {
  auto parsed = ParseJson(R"({"age": 67, "medicines": [{"name": "x", "times": ["07:00"]}],
                              "ratio": 0.5, "big": 18446744073709551615, "ok": true, "n": null})",
                          "in.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ((*parsed)["age"], 67);
  EXPECT_EQ((*parsed)["medicines"][0]["times"][0], "07:00");
  EXPECT_EQ((*parsed)["ratio"], 0.5);
  EXPECT_EQ((*parsed)["big"].get<uint64_t>(), UINT64_MAX);
  EXPECT_TRUE((*parsed)["n"].is_null());
  auto scalar = ParseJson(" \"café\" ", "x");
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(*scalar, "café");
}

TEST(JsonInputTest, SyntaxErrorsHaveLineAndColumn) {
  EXPECT_THAT(ParseError("{nope"), StartsWith("in.json:1:3: not valid JSON: syntax error"));
  EXPECT_THAT(ParseError("{\n  \"age\": tru\n}"),
              StartsWith("in.json:2:13: not valid JSON in age: syntax error while parsing value"));
  EXPECT_THAT(ParseError("[1, 2"), StartsWith("in.json:1:6: not valid JSON in [2]"));
  EXPECT_THAT(ParseError("{} {}"), StartsWith("in.json:1:4: not valid JSON"));
  EXPECT_THAT(ParseError(""), StartsWith("in.json:1:1: not valid JSON"));
  EXPECT_THAT(ParseError("NaN"), StartsWith("in.json:1:1: not valid JSON"));
}

TEST(JsonInputTest, NumbersMustBeFinite) {
  EXPECT_THAT(ParseError(R"({"age": 1e309})"),
              StartsWith("in.json:1:13: age: \"1e309\" is too large a number"));
  EXPECT_THAT(ParseError(R"({"doses": [1, -1e400]})"),
              StartsWith("in.json:1:20: doses[1]: \"-1e400\" is too large"));
}

TEST(JsonInputTest, DepthIsLimitedBeforeADeepTreeExists) {
  // 100,000 levels: far past where a recursive dump() of the tree overflowed the stack.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string message = ParseError(deep, "request body");
  EXPECT_THAT(message, StartsWith("request body:1:65: [0][0][0]…[0][0][0][0]: nested deeper "
                                  "than 64 arrays and objects"));
  EXPECT_LT(message.size(), 200u);
  // Unclosed, and inside an object: the same.
  EXPECT_THAT(ParseError("{\"a\": " + std::string(70, '[')), HasSubstr("nested deeper than 64"));
  // Exactly the limit is fine.
  EXPECT_EQ(ParseError(std::string(64, '[') + std::string(64, ']')), "ok");
  EXPECT_THAT(ParseError(std::string(65, '[') + std::string(65, ']')), HasSubstr("nested deeper"));
}

TEST(JsonInputTest, RepeatedKeysAreRefused) {
  EXPECT_THAT(ParseError(R"({"medicines": [{"name": "a", "name": "b"}]})"),
              StartsWith("in.json:1:35: medicines[0].name: the field appears twice"));
}

TEST(JsonInputTest, BadUtf8IsRefusedWithItsOffset) {
  EXPECT_THAT(ParseError("{\"note\": \"caf\xE9\"}"),
              StartsWith("in.json:1:14: byte offset 13 (0xE9) is not valid UTF-8"));
}

TEST(JsonInputTest, MessagesQuoteLittleOfAHugeToken) {
  const std::string message = ParseError("{\"a\": \"" + std::string(60000, 'x') + "\x01\"}");
  EXPECT_LT(message.size(), 300u) << message;
  EXPECT_TRUE(IsValidUtf8(message));
}

TEST(JsonInputTest, ObjectsOnly) {
  auto empty = ParseJsonObject("  ", "request body");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "request body: expected a JSON object, got nothing");
  auto array = ParseJsonObject("[1, 2]", "request body");
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.error().message, "request body: expected a JSON object, got an array ([1,2])");
}

TEST(JsonInputTest, ExcerptsAreBoundedOnAnyValue) {
  // Built in code, so no parser limited its depth: the excerpt still stops early.
  json deep = json::array();
  for (int i = 0; i < 100000; ++i) deep = json::array({std::move(deep)});
  const std::string excerpt = JsonExcerpt(deep);
  EXPECT_EQ(excerpt, std::string(40, '[') + "…");
  EXPECT_EQ(DescribeJson(json(5)), "a number (5)");
  EXPECT_EQ(DescribeJson(json("abc")), "a string (\"abc\")");
  EXPECT_EQ(DescribeJson(json(nullptr)), "null");
  EXPECT_EQ(DescribeJson(json({{"a", 1}})), "an object ({\"a\":1})");
  EXPECT_EQ(JsonExcerpt(json(std::string(100, 'y')), 10), "\"yyyyyyyyy…");
  EXPECT_EQ(JsonExcerpt(json("ééééé"), 4), "\"ééé…");
  // Destroy the deep value without recursion trouble: nlohmann's destructor is iterative.
}

TEST(JsonInputTest, FieldAccessorsNameThePath) {
  const json doc = json::parse(R"({"time": 5, "name": "x", "count": 3.5, "flag": "yes",
                                   "tags": ["a", 2], "big": 1e300})");
  auto time = OptionalString(doc, "time", "medicines[0]");
  ASSERT_FALSE(time.ok());
  EXPECT_EQ(time.error().message, "medicines[0].time: expected a string, got a number (5)");
  auto name = OptionalString(doc, "name");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(**name, "x");
  EXPECT_FALSE(OptionalString(doc, "absent")->has_value());
  auto count = OptionalIntegerField(doc, "count", 1, 10);
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().message, "count: 3.5 is not a whole number from 1 to 10");
  auto flag = OptionalBool(doc, "flag");
  ASSERT_FALSE(flag.ok());
  EXPECT_EQ(flag.error().message, "flag: expected true or false, got a string (\"yes\")");
  auto tags = OptionalStringArray(doc, "tags", "body");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().message, "body.tags[1]: expected a string, got a number (2)");
  auto big = OptionalNumberField(doc, "big");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(**big, 1e300);
  const Status unknown = RejectUnknownFields(doc, {"time", "name"}, "body");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message, StartsWith("body: unknown field '"));
  EXPECT_THAT(unknown.error().message, HasSubstr("known fields: name, time"));
}

TEST(JsonInputTest, UnknownKeysAreQuotedSafely) {
  json doc = json::object();
  doc[std::string(5000, 'k')] = 1;
  const Status unknown = RejectUnknownFields(doc, {"a"}, "body");
  ASSERT_FALSE(unknown.ok());
  EXPECT_LT(unknown.error().message.size(), 200u);
}

}  // namespace
}  // namespace mg
