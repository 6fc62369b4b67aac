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

// A magnesium amount as text: FormatNumber plus " mg" ("350 mg", "12.5 mg").
std::string FormatMilligrams(double mg, int max_decimals = 0);

// An amount as people write it, not as a computation left it ("219 mg", not "219.04 mg"): three
// significant figures, fewer when they are trailing zeros — none after the point from 100 up,
// one from 10, two from 1, and below 1 two significant digits ("0.012"). For amounts shown to a
// person; JSON keeps the exact value.
std::string FormatReadable(double value);

}  // namespace mg

#endif  // MGADVISOR_CORE_NUMBERS_H_
