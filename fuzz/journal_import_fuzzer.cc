// Journal files as `mgadvisor journal import FILE` and POST /api/journal/import read them: the
// JSON snapshot (text starting with '{') or the entries CSV. What parses and would be stored
// (every entry passes ValidateEntry) must round-trip losslessly, as export.h promises: exporting
// it as JSON or CSV and reading that back gives the same snapshot.
#include <chrono>
#include <string>

#include "fuzz/fuzz_util.h"
#include "journal/export.h"
#include "journal/journal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  using namespace std::chrono;
  static const journal::Date today = sys_days(year_month_day(year(2030), month(1), day(1)));
  auto snapshot = journal::ParseJournalFile(fuzz::AsText(data, size), "fuzz");
  if (!snapshot.ok()) return 0;
  for (const journal::Entry& entry : snapshot->entries) {
    if (!journal::ValidateEntry(entry, today).ok()) return 0;  // The store refuses it.
  }

  const std::string json = journal::SnapshotToJson(*snapshot).dump(2);
  auto again = journal::ParseJournalFile(json, "re-export");
  fuzz::Check(again.ok(), again.ok() ? "" : "JSON export not readable: " + again.error().message);
  fuzz::Check(*again == *snapshot, "JSON export does not round-trip");

  const std::string csv = journal::EntriesToCsv(snapshot->entries);
  auto rows = journal::EntriesFromCsv(csv, "re-export");
  fuzz::Check(rows.ok(), rows.ok() ? "" : "CSV export not readable: " + rows.error().message);
  fuzz::Check(*rows == snapshot->entries, "CSV export does not round-trip");
  return 0;
}
