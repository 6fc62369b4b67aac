// Closed value sets spelled in one table per enum, so a data file's parser, ToString() and the
// JSON output can never disagree on how "very_low" or "clinician_first" is written. Kept apart
// from core/data_reader.h (which pulls in toml++) because public headers such as kb/kb.h hold the
// tables.
//
//   inline constexpr EnumName<Level> kLevelNames[] = {{"low", Level::kLow}, {"high",
//   Level::kHigh}}; ParseEnum(kLevelNames, "high");          // Level::kHigh
//   EnumToString(kLevelNames, Level::kLow);  // "low"
#ifndef MGADVISOR_CORE_ENUM_NAMES_H_
#define MGADVISOR_CORE_ENUM_NAMES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

template <typename E>
struct EnumName {
  std::string_view name;  // As written in data files and JSON: "very_low".
  E value;
};

// The value spelled `text`; nullopt when none is.
template <typename E, size_t N>
std::optional<E> ParseEnum(const EnumName<E> (&names)[N], std::string_view text) {
  for (const auto& n : names) {
    if (n.name == text) return n.value;
  }
  return std::nullopt;
}

// The spelling of `value`; "?" when the table lacks it (a bug the tests catch).
template <typename E, size_t N>
std::string_view EnumToString(const EnumName<E> (&names)[N], E value) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  return "?";
}

// "a, b or c" of every spelling, for messages.
template <typename E, size_t N>
std::vector<std::string> EnumSpellings(const EnumName<E> (&names)[N]) {
  std::vector<std::string> out;
  for (const auto& n : names) out.emplace_back(n.name);
  return out;
}

}  // namespace mg

#endif  // MGADVISOR_CORE_ENUM_NAMES_H_
