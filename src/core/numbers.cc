#include "core/numbers.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace mg {

std::optional<double> ParseFiniteNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  // from_chars accepts "inf"/"nan"; a person's number never needs them, so demand a digit or dot.
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) {
      return std::nullopt;
    }
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string FormatNumber(double value, int max_decimals) {
  // A whole number below 10^15 prints as its digits at any max_decimals ("-0" as "0"), written
  // without fmt's float formatting: most numbers of a journal are whole (scores, doses, a food's
  // magnesium), and that formatting was a fifth of `journal show` of five years (issue 20).
  if (std::fabs(value) < 1e15 && value == std::trunc(value)) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(value)).ptr;
    return std::string(digits, end);
  }
  std::string out;
  char fixed[64];
  // The fixed notation from the standard library where it fits (every finite value below 10^15
  // at up to 20 decimals): the same correctly rounded digits as fmt's "{:.Nf}" (numbers_test
  // compares the two), without a format string read on every call; a plan writes several per
  // request (issue 20).
  if (const auto written = std::isfinite(value) && max_decimals >= 0 && max_decimals <= 20
                               ? std::to_chars(fixed, fixed + sizeof fixed, value,
                                               std::chars_format::fixed, max_decimals)
                               : std::to_chars_result{nullptr, std::errc::value_too_large};
      written.ec == std::errc()) {
    out.assign(fixed, written.ptr);
  } else {
    out = fmt::format("{:.{}f}", value, max_decimals);
  }
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::string FormatReadable(double value) {
  const double magnitude = std::fabs(value);
  int decimals = 0;
  if (magnitude >= 100 || magnitude == 0) {
    decimals = 0;
  } else if (magnitude >= 10) {
    decimals = 1;
  } else if (magnitude >= 1) {
    decimals = 2;
  } else {
    decimals = std::min(9, 1 - static_cast<int>(std::floor(std::log10(magnitude))));
  }
  return FormatNumber(value, decimals);
}

std::string FormatMilligrams(double mg, int max_decimals) {
  return FormatNumber(mg, max_decimals) + " mg";
}

}  // namespace mg
