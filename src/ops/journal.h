// Operations on one person's journal: entries (`mgadvisor log`, POST /api/journal/entries), food
// logged by name or id and amount (`log food`, POST /api/journal/foods), listing and deleting,
// magnesium per day over a range (`journal intake`, GET /api/intake), and export/import with one
// set of checks (`journal export|import`, GET /api/journal/export, POST /api/journal/import).
#ifndef MGADVISOR_OPS_JOURNAL_H_
#define MGADVISOR_OPS_JOURNAL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "foods/intake.h"
#include "journal/journal.h"
#include "ops/context.h"

namespace mg::ops {

// Validates and adds `entry` (its id is assigned); returns it with the id.
// Errors: kInvalidArgument from journal::ValidateEntry naming field and value; storage errors.
Result<journal::Entry> AddEntry(journal::Store& store, journal::Entry entry);

// An entry logged, with plain warnings about it (recorded all the same: the journal says what
// happened, and the warning says what it means).
struct LoggedEntry {
  journal::Entry entry;
  std::vector<std::string> warnings;
  nlohmann::json ToJson() const;  // {"entry": {...}, "warnings": [...]}
};
// AddEntry, then, for a dose or supplement, a warning when the day's supplemental magnesium
// (journal::DailyMagnesium) is now above the stored profile's supplemental upper limit. Without
// a stored profile the limit is unknown and nothing is said. Errors as AddEntry.
Result<LoggedEntry> LogEntry(const Context& context, journal::Store& store, journal::Entry entry);

// Something taken that may hold magnesium — a supplement, an antacid, a laxative, or a dose of a
// trial — logged by name and amount as written: "milk of magnesia" "30 mL", "Mag-Ox 400"
// "1 tablet", "magnesium oxide" "400 mg compound", "Doctor's Best" "200 mg". Its magnesium goes
// through the one count of supplemental magnesium (products::CountWrittenIntake), read exactly
// as the plan and the diary read it: mg is magnesium itself unless marked "compound".
struct TakenLog {
  journal::EntryKind kind = journal::EntryKind::kSupplement;  // kSupplement or kDose.
  std::string name = {};
  std::string amount = {};
  std::optional<journal::Date> date = {};  // Default: today.
  std::string note = {};
};
// LogEntry of the counted entry (label "NAME — AMOUNT"); `reading` says how the amount was read.
// Errors: kInvalidArgument naming the field: "name" (empty; units or a salt's mass of a name the
// catalogue does not know, with close matches), "amount" (not an amount), "kind"; as LogEntry.
struct LoggedTaken {
  LoggedEntry logged;
  std::string reading;
  nlohmann::json ToJson() const;  // LoggedEntry's, with "reading".
};
Result<LoggedTaken> LogTaken(const Context& context, journal::Store& store, const TakenLog& log,
                             journal::Date today);

// A food eaten: `food` is a food id ("sr28:11457") or words searched for ("raw spinach"), with
// exactly one amount: grams, portions (of the food's usual portion), or an amount in a unit
// ("1 cup", "2 slices", "30 g").
struct FoodLog {
  std::string food = {};
  std::optional<double> grams = {};
  std::optional<double> portions = {};
  std::optional<double> amount = {};
  std::string unit = {};                   // With `amount`.
  std::optional<journal::Date> date = {};  // Default: today.
  std::string note = {};
};

// Logs the food with the magnesium its amount holds (none when USDA gives no value: unknown is
// not zero). The label names the food and amount: "Spinach, raw — 2 × 1 cup (60 g)".
// Errors: kInvalidArgument naming the field (food, grams, portions, amount, unit); kNotFound
// when no food has the id or matches the words.
Result<journal::Entry> LogFood(const Context& context, journal::Store& store, const FoodLog& log,
                               journal::Date today);

struct EntryQuery {
  journal::DateRange range = {};
  std::optional<journal::EntryKind> kind = {};
  // Paging goes back in time: skip the `offset` newest matching entries, then keep the `limit`
  // newest of the rest (all when unset); a page is still listed oldest first.
  std::optional<size_t> limit = {};
  size_t offset = 0;
};
inline constexpr size_t kMaxPageSize = 1000;
// Errors: kInvalidArgument "from: ... is after to: ..." for an empty range; "limit: ..." outside
// 1-kMaxPageSize.
Result<std::vector<journal::Entry>> ListEntries(journal::Store& store, const EntryQuery& query);
// The page and how many entries match in all (so a door can offer the next page).
struct EntryPage {
  std::vector<journal::Entry> entries;
  size_t total = 0;
  size_t offset = 0;
  std::optional<size_t> limit;
  // {"entries": [...], "total", "offset", "limit" (null: all)}; entries as in an export.
  nlohmann::json ToJson() const;
};
Result<EntryPage> ListEntryPage(journal::Store& store, const EntryQuery& query);
// {"entries": [...]}, each as in an export.
nlohmann::json EntriesToJson(const std::vector<journal::Entry>& entries);

// Errors: kNotFound "id: entry N is not in this journal".
Status DeleteEntry(journal::Store& store, int64_t id);
// The entry with `id`. Errors: kNotFound "id: entry N is not in this journal".
Result<journal::Entry> GetEntry(journal::Store& store, int64_t id);

// Corrects an entry: the fields in `patch` (an object in the entry's JSON shape, e.g.
// {"value": 4, "date": "2026-11-20"}; null clears an optional number) replace the entry's,
// the rest stay; the id cannot change. "measures" merges name by name ({"measures": {"minutes":
// 5}} keeps the other measures; a null measure clears it). Returns the entry as stored. Errors:
// kNotFound; kInvalidArgument naming the field (unknown fields, wrong types, values ValidateEntry
// refuses).
Result<journal::Entry> EditEntry(journal::Store& store, int64_t id, const nlohmann::json& patch);

// Reverts the most recent add, edit or delete (journal::Store::Undo); nullopt when none is left.
Result<std::optional<journal::UndoneChange>> UndoLastChange(journal::Store& store);
// {"undone": {"change": "add|edit|delete", "entry": {...}} | null}
nlohmann::json UndoneToJson(const std::optional<journal::UndoneChange>& undone);

// What was eaten on one day: its food entries and supplement/dose entries, with the day's
// magnesium (journal::DailyMagnesium) and how many entries have no magnesium value (unknown, so
// the total is a lower bound).
struct DayFoods {
  journal::Date date{};
  std::vector<journal::Entry> foods;        // kind food.
  std::vector<journal::Entry> supplements;  // kinds supplement and dose.
  journal::DayMagnesium magnesium;
  int without_magnesium = 0;
  // {"date", "foods": [...], "supplements": [...], "food_mg", "supplement_mg", "total_mg",
  //  "without_magnesium"}
  nlohmann::json ToJson() const;
};
Result<DayFoods> FoodsOfDay(journal::Store& store, journal::Date date);

// Magnesium logged per day, with the stored profile's targets when there is one.
struct IntakeRange {
  std::optional<journal::Date> from;  // Default: six days before `to`.
  std::optional<journal::Date> to;    // Default: today.
};
inline constexpr int kMaxIntakeDays = 366;  // So a typo in a year cannot ask for a million rows.
struct IntakeSummary {
  std::vector<journal::DayMagnesium> days;
  std::optional<foods::IntakeTargets> target;

  // {"days": [{"date", "food_mg", "supplement_mg", "total_mg"}], "target": {...} | null}
  nlohmann::json ToJson() const;
};
// Errors: kInvalidArgument for from after to or a span over kMaxIntakeDays; kConflict when the
// stored profile no longer resolves.
Result<IntakeSummary> Intake(const Context& context, journal::Store& store,
                             const IntakeRange& range, journal::Date today);

// The stored profile's intake targets; nullopt without a profile. Errors as PlanForStoredProfile.
Result<std::optional<foods::IntakeTargets>> StoredTargets(const Context& context,
                                                          journal::Store& store);

// Everything in the journal (the JSON of journal/export.h, or its entries as CSV).
Result<journal::Snapshot> ExportJournal(journal::Store& store);

// The export formats: "json" (everything, journal/export.h), "csv" (the entries only, for a
// spreadsheet) and "fhir" (an HL7 FHIR R4 Bundle, ops/fhir.h).
enum class ExportFormat { kJson, kCsv, kFhir };
std::optional<ExportFormat> ParseExportFormat(std::string_view name);
struct ExportedJournal {
  ExportFormat format = ExportFormat::kJson;
  std::string
      media_type;  // "application/json", "text/csv; charset=utf-8", "application/fhir+json".
  nlohmann::json document;  // fhir only (JSON is written as a stream, straight to `text`).
  std::string text;         // The file's bytes, the same through either door.
};
// The journal in one format: `journal export --format F` and GET /api/journal/export?format=F.
// `today` dates a FHIR Bundle. Errors: storage errors; for fhir, as ExportFhir.
Result<ExportedJournal> ExportJournalAs(const Context& context, journal::Store& store,
                                        ExportFormat format, journal::Date today);

// A file given to `journal import`: a FHIR Bundle (a JSON object with "resourceType"), an
// mgadvisor JSON export, or CSV. `format`, when given, is what the file must be. Errors:
// kInvalidArgument naming `source`, the line or field path, and the value.
Result<journal::Snapshot> ReadJournalDocument(std::string_view text, std::string_view source,
                                              std::optional<ExportFormat> format = {});
// A parsed JSON document (the body of POST /api/journal/import): a FHIR Bundle or an mgadvisor
// export.
Result<journal::Snapshot> SnapshotFromDocument(const nlohmann::json& document,
                                               std::string_view source);

struct ImportResult {
  size_t entries = 0;
  size_t trials = 0;
  nlohmann::json ToJson() const;  // {"entries": N, "trials": N}
};
// Adds a snapshot, all or nothing. Besides the store's own checks (every entry valid, no id
// already present), a profile must resolve and every trial must read as a trial design — or
// every later plan, intake and trial request on this journal would fail. `source` names the
// input in messages ("body", a file name). Errors: kInvalidArgument naming what is wrong.
Result<ImportResult> ImportJournal(const Context& context, journal::Store& store,
                                   const journal::Snapshot& snapshot, const std::string& source);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_JOURNAL_H_
