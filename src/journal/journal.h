// The symptom journal: what a person ate, which magnesium doses they took, how their legs, pain
// and sleep were, and what side effects they noticed, one dated entry at a time.
//
// Start here. `Store` is the one storage interface; `OpenSqliteStore()` (journal/sqlite_store.h)
// is the embedded default and a PostgreSQL store can follow behind the same interface. Every
// store runs the same contract suite (journal/store_contract_test.cc). Entries are validated by
// `ValidateEntry()` against a `Clock` before any store writes them, so "a date in 2099", an IRLS
// item scored 5 or a NaN never reach disk. Scales: the IRLS total (0-40) or its ten item scores
// (0-4 each; the questionnaire's copyrighted wording is never reproduced), a leg-cramp diary
// (cramps per night, worst intensity 0-10, total minutes, sleep disturbance 0-10), pain NRS 0-10,
// sleep quality 0-10 (with minutes to fall asleep and awakenings), minutes asleep a night as a
// device measured them, migraine attacks (worst severity 0-10, start, duration, acute medicine;
// severity 0 = a day without migraine) and stress as a single 0-10 item.
#ifndef MGADVISOR_JOURNAL_JOURNAL_H_
#define MGADVISOR_JOURNAL_JOURNAL_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mg::journal {

using Date = std::chrono::sys_days;

// "2026-11-23" <-> Date. ParseDate refuses anything but a real calendar date in YYYY-MM-DD.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date date);

// The seam for "today": the system clock in production, a fixed day in tests (and when the
// MGADVISOR_TODAY environment variable is set, so black-box tests are deterministic).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Date Today() const = 0;
};
class SystemClock final : public Clock {
 public:
  Date Today() const override;  // UTC calendar day.
};
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date today) : today_(today) {}
  Date Today() const override { return today_; }

 private:
  Date today_;
};

enum class EntryKind {
  kFood,        // Something eaten; magnesium_mg is its magnesium content when known.
  kSupplement,  // A supplement other than a trial dose (multivitamin...); magnesium_mg if known.
  kDose,        // A magnesium dose taken; label = form, magnesium_mg = elemental mg.
  kIrls,        // IRLS: value = total 0-40; irls_items = the ten item scores (0-4) or empty.
  kCramps,      // Leg-cramp diary for one night: value = cramps, intensity = worst 0-10;
                // measures "minutes" (all cramps together) and "sleep_disturbance" (0-10).
  kPain,        // Pain NRS: value 0-10 (integer).
  kSleep,       // Sleep quality: value 0-10 (0 = terrible, 10 = excellent; integer);
                // measures "minutes_to_sleep" and "awakenings".
  kNote,        // Free note: note.
  kSideEffect,  // A side effect noticed: label = what (e.g. "diarrhoea"), note = details.
  // Minutes asleep in the night that ended on the morning of `date` (value, integer 0-1440), as
  // a device measured it (ops/apple_health.h); label = where it came from ("Apple Health").
  kSleepMinutes,
  // One migraine attack, dated the day it started: value = worst severity 0-10 (integer);
  // measures "start_minute" (minute of that day it began, 0-1439) and "duration_minutes" (an
  // attack past midnight is one entry with a longer duration, never a second entry); label = the
  // acute medicine taken ("" none). Value 0 is a day logged as free of migraine ("none"), which
  // carries no measures and no medicine: migraine days need "none" told apart from "not logged".
  kMigraine,
  kStress,  // Stress today, a single-item rating: value 0-10 (0 none - 10 extreme; integer).
};
inline constexpr int kIrlsItemCount = 10;

// Stable identifiers used in the CLI, exports and the database: "food", "dose", "irls"...
const char* EntryKindName(EntryKind kind);
std::optional<EntryKind> ParseEntryKind(std::string_view name);
const std::vector<EntryKind>& AllEntryKinds();
bool IsSymptom(EntryKind kind);  // irls, cramps, pain, sleep, sleep-minutes, migraine, stress.

// Further numbers a symptom entry can carry beside its value (the detail of a cramp diary or a
// sleep diary), each optional. Kept as named measures rather than one field each so a new
// detail is a row here, not a column in every store and format.
struct MeasureSpec {
  const char* name;  // Key in Entry::measures, exports and the API; the CLI flag is --name
                     // with '-' for '_'.
  const char* what;  // Plain words, for help texts and messages.
  double min = 0;
  double max = 0;
  bool integer = false;
  const char* unit = "";  // UCUM: "min", "{score}", "{count}" (FHIR export).
};
// The measures an entry of `kind` may carry (empty for most kinds).
const std::vector<MeasureSpec>& MeasuresOf(EntryKind kind);
const MeasureSpec* FindMeasure(EntryKind kind, std::string_view name);
// "minutes=5 sleep_disturbance=4" (keys in order, shortest exact numbers) <-> measures: the form
// the stores keep and the CSV column holds. ParseMeasures checks the shape only (names of
// lower-case letters and '_', finite numbers, no repeats); ValidateEntry checks the values.
// Errors: kInvalidArgument "measures: ..." quoting the bad token.
std::string FormatMeasures(const std::map<std::string, double>& measures);
Result<std::map<std::string, double>> ParseMeasures(std::string_view text);

struct Entry {
  int64_t id = 0;  // Assigned by the store; 0 before the entry is written.
  Date date{};
  EntryKind kind = EntryKind::kNote;
  std::string label;
  std::optional<double> magnesium_mg;
  std::optional<double> value;
  std::optional<double> intensity;
  std::vector<int> irls_items;  // Empty, or exactly kIrlsItemCount scores.
  std::string note;
  std::map<std::string, double> measures;  // MeasuresOf(kind) only; may be empty.

  bool operator==(const Entry&) const = default;
};

// Returns OK or kInvalidArgument naming the field and the value, e.g.
// `irls item 5: 5 is out of range 0-4` or `date: 2099-01-01 is in the future (today is ...)`.
// Dates before 1900-01-01 are refused too, and a label or note that is not UTF-8.
Status ValidateEntry(const Entry& entry, Date today);

struct DateRange {
  std::optional<Date> from;  // Inclusive; unbounded when empty.
  std::optional<Date> to;    // Inclusive; unbounded when empty.
};

// Magnesium logged on one day: food entries, and supplement plus dose entries. Entries without
// magnesium_mg count as 0 (the amount is unknown, not absent).
struct DayMagnesium {
  Date date{};
  double food_mg = 0;
  double supplement_mg = 0;
  double total_mg() const { return food_mg + supplement_mg; }
  bool operator==(const DayMagnesium&) const = default;
};
// One row per day from `from` to `to` inclusive (none when from > to), entries outside ignored.
std::vector<DayMagnesium> DailyMagnesium(const std::vector<Entry>& entries, Date from, Date to);

// A saved n-of-1 trial plan; the journal stores it opaquely (mg_trial owns the format).
struct TrialRecord {
  int64_t id = 0;
  std::string created;  // YYYY-MM-DD.
  std::string json;
  bool operator==(const TrialRecord&) const = default;
};

// One change to an entry that `Store::Undo()` reverted: what the change was and the entry it
// concerned (as it is again after an undone edit or delete; as it was before an undone add).
enum class ChangeKind { kAdd, kEdit, kDelete };
const char* ChangeKindName(ChangeKind kind);  // "add", "edit", "delete".
std::optional<ChangeKind> ParseChangeKind(std::string_view name);
struct UndoneChange {
  ChangeKind kind = ChangeKind::kAdd;
  Entry entry;
  bool operator==(const UndoneChange&) const = default;
};
// Undo reaches back this many entry changes (older ones are forgotten).
inline constexpr int kUndoDepth = 50;

// Everything in a journal; the unit of export and import.
struct Snapshot {
  std::optional<std::string> profile_json;
  std::vector<Entry> entries;  // Sorted by date, then id.
  std::vector<TrialRecord> trials;
  bool operator==(const Snapshot&) const = default;
};

// The storage interface. Implementations validate through ValidateEntry() with their clock,
// make every write one transaction (an acknowledged write survives a crash; a failed one leaves
// nothing behind), and are not thread-safe (one Store per thread).
class Store {
 public:
  virtual ~Store() = default;

  // Validates and appends; returns the new id. Errors: kInvalidArgument, kIoError.
  virtual Result<int64_t> Add(const Entry& entry) = 0;
  // Entries in the range, sorted by date then id.
  virtual Result<std::vector<Entry>> List(const DateRange& range) = 0;
  // One page going back in time: of the entries in the range (of `kind` when given), skip the
  // `offset` newest and keep the `limit` newest of the rest (all when unset), sorted as List;
  // `total` counts every match. This default lists the range and cuts; a backend where a long
  // journal costs a round trip per row overrides it (a person's page reads 20 of thousands).
  struct Page {
    std::vector<Entry> entries;
    size_t total = 0;
  };
  virtual Result<Page> ListPage(const DateRange& range, std::optional<EntryKind> kind,
                                std::optional<size_t> limit, size_t offset);
  // Removes one entry (and its IRLS item scores), to correct a mistake. Errors: kNotFound.
  virtual Status Delete(int64_t id) = 0;
  // Replaces the entry whose id is `entry.id` (date, kind and every field; its IRLS item scores
  // too), to correct a mistake. Validated like Add. Errors: kNotFound, kInvalidArgument.
  virtual Status Replace(const Entry& entry) = 0;
  // Add, Replace and Delete each record what they changed in the same transaction; Undo reverts
  // the most recent change not yet undone (an add is deleted, an edit or a delete restored with
  // its id) and forgets it, so repeated calls walk back up to kUndoDepth changes. Import and
  // trials are not undone. Returns nullopt when there is nothing to undo.
  virtual Result<std::optional<UndoneChange>> Undo() = 0;

  virtual Status SetProfile(const std::string& json) = 0;
  virtual Result<std::optional<std::string>> Profile() = 0;

  // Saves a trial plan dated `created`; returns its id.
  virtual Result<int64_t> AddTrial(const std::string& created, const std::string& json) = 0;
  // The most recently added trial, if any.
  virtual Result<std::optional<TrialRecord>> LatestTrial() = 0;

  virtual Result<Snapshot> Export() = 0;
  // Adds the snapshot in one transaction, keeping ids (so export -> import -> export is
  // lossless). Every entry is validated; an id already present is refused (kInvalidArgument)
  // and nothing is written. A snapshot profile replaces the current one.
  virtual Status Import(const Snapshot& snapshot) = 0;
};

// Where the journal lives by default: $XDG_DATA_HOME/mgadvisor/journal.db, falling back to
// $HOME/.local/share/mgadvisor/journal.db. Errors: kIoError when neither variable is set.
Result<std::string> DefaultJournalPath();

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_JOURNAL_H_
