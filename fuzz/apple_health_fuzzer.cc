// Apple Health export.xml as `mgadvisor journal import --format apple-health FILE` and
// POST /api/journal/import?format=apple-health read it (ops::ReadAppleHealth, the streaming expat
// reader). Whatever it accepts must be something the journal can store: every night 0-1440
// minutes asleep, every day's magnesium a finite amount >= 0, days and nights in order, and no
// more magnesium or sleep records than records.
#include <cmath>
#include <sstream>
#include <string>

#include "fuzz/fuzz_util.h"
#include "ops/apple_health.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  std::istringstream in{std::string(fuzz::AsText(data, size))};
  auto read = ops::ReadAppleHealth(in, "fuzz");
  if (!read.ok()) return 0;
  fuzz::Check(read->magnesium_records + read->sleep_records <= read->records,
              "more magnesium and sleep records than records");
  for (size_t i = 0; i < read->nights.size(); ++i) {
    const auto& night = read->nights[i];
    fuzz::Check(night.minutes >= 0 && night.minutes <= 1440, "a night outside 0-1440 minutes");
    fuzz::Check(night.records > 0 && !night.sources.empty(), "a night without records");
    if (i > 0) fuzz::Check(read->nights[i - 1].date < night.date, "nights out of order");
  }
  for (size_t i = 0; i < read->magnesium.size(); ++i) {
    const auto& day = read->magnesium[i];
    fuzz::Check(std::isfinite(day.mg) && day.mg >= 0, "a day's magnesium not finite and >= 0");
    if (i > 0) {
      const auto& before = read->magnesium[i - 1];
      fuzz::Check(before.date < day.date || (before.date == day.date && before.source < day.source),
                  "magnesium days out of order");
    }
  }
  return 0;
}
