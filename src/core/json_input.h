// The one way JSON from outside is read: request bodies, journal imports, profile and diary
// files, and journal data written by older versions. Bytes in, Result out — no exception
// escapes, so a fuzz target can call ParseJson() directly.
//
// ParseJson refuses, with `source:line:column` and the field path where it applies:
//   * text that is not UTF-8 (core/utf8.h),
//   * syntax errors, with a short quote of the text near them,
//   * nesting deeper than kMaxJsonDepth — checked while parsing, before a deep tree exists,
//     because every recursive walk over a deep tree (dump(), a destructor, a message) is a
//     stack overflow waiting for a large enough input,
//   * numbers out of double's range (1e309): only finite numbers are read,
//   * an object with the same key twice (which one would count is a guess).
//
// The field accessors below check types and name the field path in errors
// (`medicines[0].time: expected a string, got a number (5)`). Messages quote at most ~40
// characters of a value (JsonExcerpt), never a whole dump.
#ifndef MGADVISOR_CORE_JSON_INPUT_H_
#define MGADVISOR_CORE_JSON_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mg {

// Deeper than any document mgadvisor reads (profiles nest 4 levels) and far below where a
// recursive walk could exhaust a thread's stack.
inline constexpr size_t kMaxJsonDepth = 64;

// Parses one JSON document named `source` in messages ("request body", a file name). Errors
// (kInvalidArgument): `<source>:<line>:<column>: not valid JSON: <problem>`, or for a value that
// parses but cannot be accepted, `<source>:<line>:<column>: <path>: <problem>`.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source,
                                 size_t max_depth = kMaxJsonDepth);
// As ParseJson, and the document must be an object. Empty text is "expected a JSON object, got
// nothing".
Result<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view source);

// "medicines" + "time" → "medicines.time"; "" + "age" → "age"; "medicines" + 0 → "medicines[0]".
std::string JsonPath(std::string_view parent, std::string_view key);
std::string JsonPath(std::string_view parent, size_t index);

// At most `max_chars` characters of the value's JSON text, cut on a character boundary with
// "…"; containers are written only as far as needed, so this is cheap and bounded on any value.
std::string JsonExcerpt(const nlohmann::json& value, size_t max_chars = 40);
// "a number (5)", "a string (\"abc\")", "an array ([[[[…)", "null": for "got ..." messages.
std::string DescribeJson(const nlohmann::json& value);

// Errors (kInvalidArgument) `<where>: unknown field 'x'; known fields: a, b, c` for the first key
// of `object` not in `known`.
Status RejectUnknownFields(const nlohmann::json& object, const std::set<std::string>& known,
                           std::string_view where);

// Optional fields of an object: absent or null is nullopt. `parent` is the object's own path
// ("" at the top); errors (kInvalidArgument) name `parent.field`, what was expected, and
// DescribeJson of what was found.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                  std::string_view field,
                                                  std::string_view parent = "");
Result<std::optional<double>> OptionalNumberField(const nlohmann::json& object,
                                                  std::string_view field,
                                                  std::string_view parent = "");
// A whole number within [min, max]; 3.0 counts as a float (JSON has no other way to tell).
Result<std::optional<int64_t>> OptionalIntegerField(const nlohmann::json& object,
                                                    std::string_view field, int64_t min,
                                                    int64_t max, std::string_view parent = "");
Result<std::optional<bool>> OptionalBool(const nlohmann::json& object, std::string_view field,
                                         std::string_view parent = "");
Result<std::optional<std::vector<std::string>>> OptionalStringArray(const nlohmann::json& object,
                                                                    std::string_view field,
                                                                    std::string_view parent = "");

}  // namespace mg

#endif  // MGADVISOR_CORE_JSON_INPUT_H_
