// FHIR Bundles as `mgadvisor journal import --format fhir FILE` and POST /api/journal/import read
// them (ops::ReadJournalDocument → ops::SnapshotFromFhir). Whatever parses and would be stored
// (every entry passes ValidateEntry) must round-trip: each entry written again as its FHIR
// resource (ops::EntryToFhir, what the export writes) reads back as the same entry.
#include <chrono>
#include <string>

#include "fuzz/fuzz_util.h"
#include "journal/journal.h"
#include "ops/fhir.h"
#include "ops/journal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  using namespace std::chrono;
  static const journal::Date today = sys_days(year_month_day(year(2030), month(1), day(1)));
  auto snapshot =
      ops::ReadJournalDocument(fuzz::AsText(data, size), "fuzz", ops::ExportFormat::kFhir);
  if (!snapshot.ok()) return 0;
  for (const journal::Entry& entry : snapshot->entries) {
    if (!journal::ValidateEntry(entry, today).ok()) return 0;  // The store refuses it.
  }
  nlohmann::json bundle = {
      {"resourceType", "Bundle"}, {"type", "collection"}, {"entry", nlohmann::json::array()}};
  for (const journal::Entry& entry : snapshot->entries) {
    bundle["entry"].push_back({{"resource", ops::EntryToFhir(entry)}});
  }
  auto again = ops::SnapshotFromFhir(bundle, "re-export");
  fuzz::Check(again.ok(), again.ok() ? "" : "FHIR export not readable: " + again.error().message);
  fuzz::Check(again->entries == snapshot->entries, "FHIR entries do not round-trip");
  return 0;
}
