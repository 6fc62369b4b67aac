#include "chem/units.h"

#include <fmt/format.h>

#include <cassert>

#include "core/numbers.h"
#include "core/text.h"

namespace mg::chem {

const char* UnitSymbol(Unit unit) {
  switch (unit) {
    case Unit::kMicrogram:
      return "mcg";
    case Unit::kMilligram:
      return "mg";
    case Unit::kGram:
      return "g";
    case Unit::kMillimole:
      return "mmol";
    case Unit::kMilliequivalent:
      return "mEq";
  }
  return "?";
}

bool IsMassUnit(Unit unit) {
  return unit == Unit::kMicrogram || unit == Unit::kMilligram || unit == Unit::kGram;
}

Result<Amount> ParseAmount(std::string_view text) {
  const std::string original(text);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return InvalidArgument("amount is empty; give a number and a unit, e.g. 500mg");
  // The number is the leading run of number characters; the rest (minus spaces) is the unit.
  size_t split = 0;
  while (split < text.size() && ((text[split] >= '0' && text[split] <= '9') || text[split] == '.' ||
                                 text[split] == '-' || text[split] == '+')) {
    ++split;
  }
  const std::string_view number_text = text.substr(0, split);
  std::string_view unit_text = text.substr(split);
  while (!unit_text.empty() && unit_text.front() == ' ') unit_text.remove_prefix(1);
  const auto value = ParseFiniteNumber(number_text);
  if (!value) {
    return InvalidArgument(fmt::format("amount '{}' does not start with a number", original));
  }
  if (*value < 0) return InvalidArgument(fmt::format("amount '{}' is negative", original));
  if (unit_text.empty()) {
    return InvalidArgument(
        fmt::format("amount '{}' has no unit; write it as e.g. {}mg, {}g, {}mmol or {}mEq",
                    original, number_text, number_text, number_text, number_text));
  }
  const std::string unit = NormalizeName(unit_text);
  Amount amount{*value, Unit::kMilligram};
  if (unit == "mg" || unit == "milligram" || unit == "milligrams") {
    amount.unit = Unit::kMilligram;
  } else if (unit == "g" || unit == "gram" || unit == "grams") {
    amount.unit = Unit::kGram;
  } else if (unit == "mcg" || unit == "ug" || unit == "\xC2\xB5g" || unit == "\xCE\xBCg") {
    amount.unit = Unit::kMicrogram;
  } else if (unit == "mmol") {
    amount.unit = Unit::kMillimole;
  } else if (unit == "meq") {
    amount.unit = Unit::kMilliequivalent;
  } else {
    return InvalidArgument(
        fmt::format("amount '{}' has unknown unit '{}'; use mg, g, mcg, mmol or mEq", original,
                    std::string(unit_text)));
  }
  return amount;
}

double MassMilligrams(const Amount& amount) {
  assert(IsMassUnit(amount.unit));
  switch (amount.unit) {
    case Unit::kMicrogram:
      return amount.value / 1000.0;
    case Unit::kGram:
      return amount.value * 1000.0;
    default:
      return amount.value;
  }
}

double MagnesiumMilligrams(const Amount& amount) {
  switch (amount.unit) {
    case Unit::kMillimole:
      return MagnesiumMmolToMg(amount.value);
    case Unit::kMilliequivalent:
      return MagnesiumMeqToMg(amount.value);
    default:
      return MassMilligrams(amount);
  }
}

}  // namespace mg::chem
