// A food diary from another app, imported into the journal: Cronometer's "servings" export
// (supplement rows in tablets, capsules or scoops with blank nutrient cells included), the
// generic CSV and JSON diaries of foods/intake.h. Every row is read exactly as `intake` reads it
// (foods::AnalyzeIntake: Cronometer's own magnesium figure when present, else the food match or
// the one count of supplemental magnesium), so the journal and the diary analysis agree. A
// MyFitnessPal export is refused with the reason (no magnesium column, no food names).
#ifndef MGADVISOR_OPS_DIARY_IMPORT_H_
#define MGADVISOR_OPS_DIARY_IMPORT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"
#include "ops/context.h"

namespace mg::ops {

struct DiaryImport {
  std::string text;      // The diary.
  std::string name;      // Names it in messages (name:line) and in each entry's note.
  bool dry_run = false;  // Show what would be added; write nothing.
};

// One diary row as it goes into the journal.
struct ImportedRow {
  std::string where;    // "week.csv:4".
  std::string written;  // The row's food or product as written.
  std::string match;    // How it was read: "reported", "search", "source", "elemental", ...
  journal::Entry entry;
  bool duplicate = false;  // Already in the journal (same day, kind, label and magnesium): skipped.
};

struct DiaryImportResult {
  std::string format;  // "cronometer", "csv", "json".
  std::vector<ImportedRow> rows;
  size_t added = 0;
  bool saved = false;
  // One per day the imported supplements take above the stored profile's supplemental upper
  // limit (the rows are imported all the same: the journal says what happened). None without
  // a stored profile, whose limit is unknown.
  std::vector<std::string> warnings;
  // {"format", "added", "skipped", "saved", "warnings", "rows": [{"where", "written", "match",
  //  "duplicate", "entry"}]}
  nlohmann::json ToJson() const;
};

// All or nothing: every row is read first (an unreadable row is an error naming name:line, the
// field and the value, and nothing is written), then the new rows are added in one transaction.
// Rows already in the journal are skipped, so importing the same week twice adds nothing.
// Errors: as foods::ParseDiary and foods::AnalyzeIntake; a date in the future (name:line);
// storage errors.
Result<DiaryImportResult> ImportDiary(const Context& context, journal::Store& store,
                                      const DiaryImport& request, journal::Date today);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_DIARY_IMPORT_H_
