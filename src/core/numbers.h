// Strict number parsing for user input: the whole text must be a finite decimal number.
#ifndef MGADVISOR_CORE_NUMBERS_H_
#define MGADVISOR_CORE_NUMBERS_H_

#include <optional>
#include <string>
#include <string_view>

namespace mg {

// Returns the value, or nullopt for empty text, trailing garbage, NaN, infinities, hex, or a
// value out of double's range. Leading/trailing ASCII spaces are allowed.
std::optional<double> ParseFiniteNumber(std::string_view text);

// Formats with up to `max_decimals` decimals and no trailing zeros ("12.5", "200").
std::string FormatNumber(double value, int max_decimals = 1);

}  // namespace mg

#endif  // MGADVISOR_CORE_NUMBERS_H_
