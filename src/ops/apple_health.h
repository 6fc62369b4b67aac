// Apple Health's `export.xml` imported into the journal (`journal import --format apple-health`,
// POST /api/journal/import?format=apple-health): dietary magnesium per day and source, and
// minutes asleep per night, so that sleep measured by a watch or phone can be a trial outcome
// (`sleep_minutes` in data/trial/outcomes.toml). What is read and how nights are counted:
// docs/FHIR.md, "Apple Health".
//
// The file is read as a stream (expat, 64 KiB at a time): exports run to gigabytes, and the
// reader keeps only one running total per day and source and each night's merged sleep
// intervals, so memory does not grow with the file.
#ifndef MGADVISOR_OPS_APPLE_HEALTH_H_
#define MGADVISOR_OPS_APPLE_HEALTH_H_

#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"

namespace mg::ops {

// What an export holds that mgadvisor reads.
struct AppleHealthData {
  struct MagnesiumDay {    // HKQuantityTypeIdentifierDietaryMagnesium, summed.
    journal::Date date{};  // The local date of each record's start, in its own UTC offset.
    std::string source;    // sourceName: the app that wrote it ("Cronometer").
    double mg = 0;
    int records = 0;
  };
  struct Night {           // HKCategoryTypeIdentifierSleepAnalysis, the asleep values, merged.
    journal::Date date{};  // The morning the night ended on.
    int minutes = 0;       // Minutes asleep: the union of every source's asleep intervals.
    int records = 0;
    std::vector<std::string> sources;  // Sorted.
  };
  std::vector<MagnesiumDay> magnesium;  // Sorted by date, then source.
  std::vector<Night> nights;            // Sorted by date.
  int64_t records = 0;                  // Every top-level <Record>, read or not.
  int64_t magnesium_records = 0;
  int64_t sleep_records = 0;
};

// Reads an export from `in` (`name` names it in messages). Only <Record> elements directly under
// <HealthData> are read (a <Correlation> repeats records that are also at the top level).
// Errors: kInvalidArgument "name:line:column: ..." for XML that is not well-formed (expat's
// reason), a root that is not <HealthData>, an entity declaration (an export has none; refusing
// them keeps entity expansion out), and a record that cannot be read: a date that is not
// "YYYY-MM-DD HH:MM:SS ±HHMM", a magnesium unit other than mg, g or mcg, a value that is not a
// number >= 0, a sleep value not in HKCategoryValueSleepAnalysis, an end before the start;
// a night of more than 24 hours asleep. kIoError when `in` fails.
Result<AppleHealthData> ReadAppleHealth(std::istream& in, std::string_view name);

// One journal entry the export gives, and what the import did with it.
struct AppleHealthRow {
  enum class Status {
    kAdded,    // New: added.
    kAlready,  // The journal already has it with the same value (an earlier import): skipped.
    kDiffers,  // The journal has the same day and source with another value: kept, not replaced.
    kFuture,   // Dated after today (a time zone ahead of the server's UTC day): not imported.
  };
  journal::Entry entry;
  Status status = Status::kAdded;
  std::optional<journal::Entry> in_journal;  // kAlready, kDiffers: the entry already there.
};
const char* AppleHealthRowStatusName(AppleHealthRow::Status status);

struct AppleHealthImportResult {
  AppleHealthData read;  // Its vectors are cleared: `rows` carries them.
  std::vector<AppleHealthRow> rows;
  size_t added = 0;
  bool saved = false;
  std::vector<std::string> warnings;  // One per day that differs and per entry after today.
  // {"format": "apple-health", "records", "magnesium_records", "sleep_records", "added",
  //  "skipped", "saved", "warnings", "rows": [{"status", "entry", "in_journal"?}]}
  nlohmann::json ToJson() const;
};

// Reads the export and adds, all or nothing, one food entry per day and source (label
// "Dietary magnesium (Apple Health: SOURCE)", magnesium_mg the day's sum) and one sleep-minutes
// entry per night (label "Apple Health"). The day (or night) and label are the entry's identity:
// importing the same export, or a later one holding it, adds only what is new, and a day whose
// value changed is reported, never counted twice. Errors: as ReadAppleHealth (nothing written);
// storage errors.
Result<AppleHealthImportResult> ImportAppleHealth(journal::Store& store, std::istream& in,
                                                  std::string_view name, journal::Date today);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_APPLE_HEALTH_H_
