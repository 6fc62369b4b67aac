// Operations on one person's journal: entries (`mgadvisor log`, POST /api/journal/entries), food
// logged by name or id and amount (`log food`, POST /api/journal/foods), listing and deleting,
// magnesium per day over a range (`journal intake`, GET /api/intake), and export/import with one
// set of checks (`journal export|import`, GET /api/journal/export, POST /api/journal/import).
#ifndef MGADVISOR_OPS_JOURNAL_H_
#define MGADVISOR_OPS_JOURNAL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "foods/intake.h"
#include "journal/journal.h"
#include "ops/context.h"

namespace mg::ops {

// Validates and adds `entry` (its id is assigned); returns it with the id.
// Errors: kInvalidArgument from journal::ValidateEntry naming field and value; storage errors.
Result<journal::Entry> AddEntry(journal::Store& store, journal::Entry entry);

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
  journal::DateRange range;
  std::optional<journal::EntryKind> kind;
};
// Errors: kInvalidArgument "from: ... is after to: ..." for an empty range.
Result<std::vector<journal::Entry>> ListEntries(journal::Store& store, const EntryQuery& query);
// {"entries": [...]}, each as in an export.
nlohmann::json EntriesToJson(const std::vector<journal::Entry>& entries);

// Errors: kNotFound "id: entry N is not in this journal".
Status DeleteEntry(journal::Store& store, int64_t id);

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
