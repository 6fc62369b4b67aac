// The small parsers under every field: numbers (core/numbers), dates (journal), ages and sex
// (dri), times of day (plan). Each must accept only what it documents: a finite number, a real
// calendar date that formats back to the same text, an age within 0-125 years, an hour in a day.
#include <cmath>
#include <string>

#include "core/numbers.h"
#include "dri/dri.h"
#include "fuzz/fuzz_util.h"
#include "journal/journal.h"
#include "plan/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  const std::string_view text = fuzz::AsText(data, size);

  if (const auto number = ParseFiniteNumber(text)) {
    fuzz::Check(std::isfinite(*number), "a number that is not finite");
    fuzz::Check(ParseFiniteNumber(FormatNumber(*number, 3)).has_value(),
                "FormatNumber wrote what ParseFiniteNumber refuses");
  }
  if (const auto date = journal::ParseDate(text)) {
    fuzz::Check(journal::FormatDate(*date) == text, "a date that does not format back");
  }
  if (const auto months = dri::ParseAgeMonths(text); months.ok()) {
    fuzz::Check(*months >= 0 && *months <= 125 * 12, "an age outside 0-125 years");
  }
  (void)dri::ParseSex(text);
  (void)dri::ParseReference(text);
  (void)journal::ParseEntryKind(text);
  if (const auto hour = plan::ParseClockTime(text)) {
    fuzz::Check(*hour >= 0 && *hour < 24, "a time of day outside the day");
  }
  return 0;
}
