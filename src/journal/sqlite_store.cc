#include "journal/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "journal/export.h"
#include "journal/sqlite_connection.h"

namespace mg::journal {
namespace {

// Forward migrations, applied in order; index + 1 is the schema version. Never edit a shipped
// migration: add a new one.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: entries, IRLS item scores, profile, trials.
      R"sql(
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind TEXT NOT NULL CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain',
                                     'sleep', 'note', 'side-effect')),
  label TEXT NOT NULL DEFAULT '',
  magnesium_mg REAL,
  value REAL,
  intensity REAL,
  note TEXT NOT NULL DEFAULT '',
  irls_item_count INTEGER NOT NULL DEFAULT 0 CHECK (irls_item_count IN (0, 10))
);
CREATE INDEX entries_by_date ON entries (date, id);
CREATE TABLE irls_items (
  entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
  PRIMARY KEY (entry_id, item)
);
CREATE TABLE profile (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  json TEXT NOT NULL
);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  created TEXT NOT NULL,
  json TEXT NOT NULL
);
)sql",
      // 2: the undo log of entry changes (Store::Undo): the entry as it was before an edit or a
      // delete, as JSON (journal/export.h), so undoing restores it with its id.
      R"sql(
CREATE TABLE entry_changes (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('add', 'edit', 'delete')),
  entry_id INTEGER NOT NULL,
  before TEXT
);
)sql",
      // 3: the entry kind 'sleep-minutes' (minutes asleep a night, from a device). SQLite cannot
      // change a CHECK constraint in place, so entries is rebuilt as SQLite's documentation of
      // ALTER TABLE describes (create, copy, drop, rename). irls_items refers to entries with ON
      // DELETE CASCADE, so its rows are kept aside and the table made again: dropping entries
      // while it exists would delete them.
      R"sql(
CREATE TABLE irls_items_kept AS SELECT entry_id, item, score FROM irls_items;
DROP TABLE irls_items;
CREATE TABLE entries_new (
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind TEXT NOT NULL CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain',
                                     'sleep', 'note', 'side-effect', 'sleep-minutes')),
  label TEXT NOT NULL DEFAULT '',
  magnesium_mg REAL,
  value REAL,
  intensity REAL,
  note TEXT NOT NULL DEFAULT '',
  irls_item_count INTEGER NOT NULL DEFAULT 0 CHECK (irls_item_count IN (0, 10))
);
INSERT INTO entries_new (id, date, kind, label, magnesium_mg, value, intensity, note,
                         irls_item_count)
  SELECT id, date, kind, label, magnesium_mg, value, intensity, note, irls_item_count
  FROM entries;
DROP TABLE entries;
ALTER TABLE entries_new RENAME TO entries;
CREATE INDEX entries_by_date ON entries (date, id);
CREATE TABLE irls_items (
  entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
  PRIMARY KEY (entry_id, item)
);
INSERT INTO irls_items (entry_id, item, score) SELECT entry_id, item, score FROM irls_items_kept;
DROP TABLE irls_items_kept;
)sql",
      // 4: further numbers of a symptom entry (journal.h, MeasuresOf), as FormatMeasures text:
      // "minutes=5 sleep_disturbance=4"; '' for none. Existing rows read back unchanged.
      R"sql(
ALTER TABLE entries ADD COLUMN measures TEXT NOT NULL DEFAULT '';
)sql",
      // 5: the entry kinds 'migraine' (one attack: severity, start, duration, acute medicine) and
      // 'stress' (a 0-10 rating). entries is rebuilt as in migration 3 (a CHECK cannot change in
      // place), its measures column included, with the IRLS item scores kept aside.
      R"sql(
CREATE TABLE irls_items_kept AS SELECT entry_id, item, score FROM irls_items;
DROP TABLE irls_items;
CREATE TABLE entries_new (
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind TEXT NOT NULL CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain',
                                     'sleep', 'note', 'side-effect', 'sleep-minutes',
                                     'migraine', 'stress')),
  label TEXT NOT NULL DEFAULT '',
  magnesium_mg REAL,
  value REAL,
  intensity REAL,
  note TEXT NOT NULL DEFAULT '',
  irls_item_count INTEGER NOT NULL DEFAULT 0 CHECK (irls_item_count IN (0, 10)),
  measures TEXT NOT NULL DEFAULT ''
);
INSERT INTO entries_new (id, date, kind, label, magnesium_mg, value, intensity, note,
                         irls_item_count, measures)
  SELECT id, date, kind, label, magnesium_mg, value, intensity, note, irls_item_count, measures
  FROM entries;
DROP TABLE entries;
ALTER TABLE entries_new RENAME TO entries;
CREATE INDEX entries_by_date ON entries (date, id);
CREATE TABLE irls_items (
  entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
  PRIMARY KEY (entry_id, item)
);
INSERT INTO irls_items (entry_id, item, score) SELECT entry_id, item, score FROM irls_items_kept;
DROP TABLE irls_items_kept;
)sql",
  };
  return kMigrations;
}

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

// A prepared statement with 1-based binders and 0-based column readers.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_.get(), i, v); }
  void Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, const std::optional<double>& v) {
    if (v) {
      sqlite3_bind_double(stmt_.get(), i, *v);
    } else {
      sqlite3_bind_null(stmt_.get(), i);
    }
  }
  int Step() { return sqlite3_step(stmt_.get()); }
  void Reset() { sqlite3_reset(stmt_.get()); }  // To run again with new bindings.
  int64_t Int(int c) { return sqlite3_column_int64(stmt_.get(), c); }
  std::string Text(int c) { return std::string(TextView(c)); }
  // SQLite's own copy of a column's text, valid until the next Step, Reset or read of that
  // column: for text parsed or copied at once, without a std::string in between.
  std::string_view TextView(int c) {
    const unsigned char* text = sqlite3_column_text(stmt_.get(), c);
    int size = sqlite3_column_bytes(stmt_.get(), c);
    return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size))
                : std::string_view();
  }
  std::optional<double> Real(int c) {
    if (sqlite3_column_type(stmt_.get(), c) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_.get(), c);
  }

 private:
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteHandle db, std::string path, const Clock& clock)
      : db_(std::move(db)), path_(std::move(path)), clock_(clock) {}

  Status Init() { return Migrate(); }

  Result<int64_t> Add(const Entry& entry) override {
    MG_RETURN_IF_ERROR(ValidateEntry(entry, clock_.Today()));
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    auto id = Insert(entry, /*keep_id=*/false);
    if (!id.ok()) return Rollback(id.error());
    Status logged = LogChange(ChangeKind::kAdd, *id, std::nullopt);
    if (!logged.ok()) return Rollback(logged.error());
    MG_RETURN_IF_ERROR(Commit());
    return *id;
  }

  Status Replace(const Entry& entry) override {
    MG_RETURN_IF_ERROR(ValidateEntry(entry, clock_.Today()));
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    Status st = ReplaceLocked(entry, /*log=*/true);
    if (!st.ok()) return Rollback(st.error());
    return Commit();
  }

  Result<std::optional<UndoneChange>> Undo() override {
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    auto undone = UndoLocked();
    if (!undone.ok()) return Rollback(undone.error());
    MG_RETURN_IF_ERROR(Commit());
    return undone;
  }

  Result<std::vector<Entry>> List(const DateRange& range) override {
    std::string sql =
        "SELECT id, date, kind, label, magnesium_mg, value, intensity, note, irls_item_count, "
        "measures FROM entries WHERE date >= ?1 AND date <= ?2 ORDER BY date, id";
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, range.from ? FormatDate(*range.from) : std::string("0000-00-00"));
    stmt->Bind(2, range.to ? FormatDate(*range.to) : std::string("9999-99-99"));
    std::vector<Entry> entries;
    // Sized first: growing a vector of ~12,000 entries (a five-year journal) moved each several
    // times and touched twice the memory.
    if (auto count = Prepare("SELECT COUNT(*) FROM entries WHERE date >= ?1 AND date <= ?2");
        count.ok()) {
      count->Bind(1, range.from ? FormatDate(*range.from) : std::string("0000-00-00"));
      count->Bind(2, range.to ? FormatDate(*range.to) : std::string("9999-99-99"));
      if (count->Step() == SQLITE_ROW) entries.reserve(static_cast<size_t>(count->Int(0)));
    }
    std::vector<size_t> with_items;
    int rc;
    while ((rc = stmt->Step()) == SQLITE_ROW) {
      Entry& e = entries.emplace_back();
      e.id = stmt->Int(0);
      auto date = ParseDate(stmt->TextView(1));
      auto kind = ParseEntryKind(stmt->TextView(2));
      if (!date || !kind) {
        return DataError(fmt::format("{}: entry {} is malformed (date '{}', kind '{}')", path_,
                                     e.id, stmt->Text(1), stmt->Text(2)));
      }
      e.date = *date;
      e.kind = *kind;
      e.label = stmt->TextView(3);
      e.magnesium_mg = stmt->Real(4);
      e.value = stmt->Real(5);
      e.intensity = stmt->Real(6);
      e.note = stmt->TextView(7);
      auto measures = ParseMeasures(stmt->TextView(9));
      if (!measures.ok()) {
        return DataError(
            fmt::format("{}: entry {} is malformed ({})", path_, e.id, measures.error().message));
      }
      e.measures = std::move(*measures);
      if (stmt->Int(8) > 0) with_items.push_back(entries.size() - 1);
    }
    if (rc != SQLITE_DONE) return SqlError("reading entries");
    if (with_items.empty()) return entries;
    if (!range.from && !range.to) {
      MG_RETURN_IF_ERROR(ReadEveryItem(entries, with_items));
      return entries;
    }
    // One statement for every entry: preparing one each cost a fifth of reading a long journal.
    auto items = Prepare("SELECT score FROM irls_items WHERE entry_id = ?1 ORDER BY item");
    if (!items.ok()) return items.error();
    for (size_t index : with_items) {
      items->Reset();
      items->Bind(1, entries[index].id);
      while ((rc = items->Step()) == SQLITE_ROW) {
        entries[index].irls_items.push_back(static_cast<int>(items->Int(0)));
      }
      if (rc != SQLITE_DONE) return SqlError("reading IRLS items");
      if (entries[index].irls_items.size() != kIrlsItemCount) {
        return DataError(fmt::format("{}: entry {} has {} IRLS item scores, expected {}", path_,
                                     entries[index].id, entries[index].irls_items.size(),
                                     kIrlsItemCount));
      }
    }
    return entries;
  }

  // The IRLS item scores of entries[with_items...] when `entries` is the whole journal (an export,
  // `journal show`): one pass over irls_items in its stored order, rather than a lookup by entry
  // id per IRLS entry — 1,826 of them in a five-year journal, each a seek and ten rowid reads.
  // The result is the same as the lookup's: each score at its item's place, and an entry without
  // exactly kIrlsItemCount scores is the same error (the first such entry in date order).
  Status ReadEveryItem(std::vector<Entry>& entries, const std::vector<size_t>& with_items) {
    // (entry id, its index in entries), by id for the lookup.
    std::vector<std::pair<int64_t, size_t>> by_id;
    by_id.reserve(with_items.size());
    for (size_t index : with_items) by_id.emplace_back(entries[index].id, index);
    std::sort(by_id.begin(), by_id.end());
    std::vector<int> found(entries.size(), 0);
    for (size_t index : with_items) entries[index].irls_items.assign(kIrlsItemCount, 0);
    auto items = Prepare("SELECT entry_id, item, score FROM irls_items");
    if (!items.ok()) return items.error();
    int rc;
    int64_t last_id = -1;
    size_t last_index = entries.size();  // None: an item of an entry not listed is skipped.
    while ((rc = items->Step()) == SQLITE_ROW) {
      const int64_t id = items->Int(0);
      if (id != last_id) {
        // An entry's items are stored together: one search per entry, not per item.
        last_id = id;
        auto it = std::lower_bound(by_id.begin(), by_id.end(), std::make_pair(id, size_t{0}));
        last_index = it != by_id.end() && it->first == id ? it->second : entries.size();
      }
      if (last_index == entries.size()) continue;
      // The table's CHECK and primary key make item 1-10 and unique per entry.
      const int64_t item = items->Int(1);
      if (item < 1 || item > kIrlsItemCount) continue;
      entries[last_index].irls_items[static_cast<size_t>(item - 1)] =
          static_cast<int>(items->Int(2));
      ++found[last_index];
    }
    if (rc != SQLITE_DONE) return SqlError("reading IRLS items");
    for (size_t index : with_items) {
      if (found[index] != kIrlsItemCount) {
        return DataError(fmt::format("{}: entry {} has {} IRLS item scores, expected {}", path_,
                                     entries[index].id, found[index], kIrlsItemCount));
      }
    }
    return {};
  }

  Status Delete(int64_t id) override {
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    auto before = ReadOne(id);
    if (!before.ok()) return Rollback(before.error());
    Status st = DeleteRow(id);
    if (st.ok()) st = LogChange(ChangeKind::kDelete, id, *before);
    if (!st.ok()) return Rollback(st.error());
    return Commit();
  }

  Status SetProfile(const std::string& json) override {
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    Status st = WriteProfile(json);
    if (!st.ok()) return Rollback(st.error());
    return Commit();
  }

  Result<std::optional<std::string>> Profile() override {
    auto stmt = Prepare("SELECT json FROM profile WHERE id = 1");
    if (!stmt.ok()) return stmt.error();
    int rc = stmt->Step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(stmt->Text(0));
    if (rc != SQLITE_DONE) return SqlError("reading the profile");
    return std::optional<std::string>();
  }

  Result<int64_t> AddTrial(const std::string& created, const std::string& json) override {
    if (!ParseDate(created)) {
      return InvalidArgument(fmt::format("trial created: '{}' is not a YYYY-MM-DD date", created));
    }
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    auto id = InsertTrial({0, created, json}, false);
    if (!id.ok()) return Rollback(id.error());
    MG_RETURN_IF_ERROR(Commit());
    return *id;
  }

  Result<std::optional<TrialRecord>> LatestTrial() override {
    auto stmt = Prepare("SELECT id, created, json FROM trials ORDER BY id DESC LIMIT 1");
    if (!stmt.ok()) return stmt.error();
    int rc = stmt->Step();
    if (rc == SQLITE_ROW) {
      return std::optional<TrialRecord>(TrialRecord{stmt->Int(0), stmt->Text(1), stmt->Text(2)});
    }
    if (rc != SQLITE_DONE) return SqlError("reading trials");
    return std::optional<TrialRecord>();
  }

  Result<Snapshot> Export() override {
    // One read transaction so the snapshot is consistent.
    MG_RETURN_IF_ERROR(Exec("BEGIN", "starting a read"));
    auto snapshot = ReadAll();
    (void)Exec("COMMIT",
               "ending a read");  // A read-only transaction; nothing to lose if this fails.
    return snapshot;
  }

  Status Import(const Snapshot& snapshot) override {
    const Date today = clock_.Today();
    for (const Entry& e : snapshot.entries) {
      Status st = ValidateEntry(e, today);
      if (!st.ok()) {
        return InvalidArgument(fmt::format("entry {}: {}", e.id, st.error().message));
      }
    }
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    Status st = ImportLocked(snapshot);
    if (!st.ok()) return Rollback(st.error());
    return Commit();
  }

 private:
  // The entry with `id`. Errors: kNotFound.
  Result<Entry> ReadOne(int64_t id) {
    auto stmt = Prepare("SELECT date FROM entries WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, id);
    const int rc = stmt->Step();
    if (rc == SQLITE_DONE) return NotFound(fmt::format("entry {} is not in {}", id, path_));
    if (rc != SQLITE_ROW) return SqlError("reading an entry");
    const auto date = ParseDate(stmt->Text(0));
    if (!date) return DataError(fmt::format("{}: entry {} has a malformed date", path_, id));
    auto day = List({*date, *date});
    if (!day.ok()) return day.error();
    for (Entry& e : *day) {
      if (e.id == id) return std::move(e);
    }
    return NotFound(fmt::format("entry {} is not in {}", id, path_));
  }

  Status DeleteRow(int64_t id) {
    auto stmt = Prepare("DELETE FROM entries WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, id);
    if (stmt->Step() != SQLITE_DONE) return SqlError("deleting an entry");
    if (sqlite3_changes(db_.get()) == 0) {
      return NotFound(fmt::format("entry {} is not in {}", id, path_));
    }
    return {};
  }

  // Delete and insert again with the same id: the IRLS item scores follow without a second
  // code path for updating them.
  Status ReplaceLocked(const Entry& entry, bool log) {
    auto before = ReadOne(entry.id);
    if (!before.ok()) return before.error();
    MG_RETURN_IF_ERROR(DeleteRow(entry.id));
    auto id = Insert(entry, /*keep_id=*/true);
    if (!id.ok()) return id.error();
    if (log) MG_RETURN_IF_ERROR(LogChange(ChangeKind::kEdit, entry.id, *before));
    return {};
  }

  Status LogChange(ChangeKind kind, int64_t id, const std::optional<Entry>& before) {
    auto stmt = Prepare("INSERT INTO entry_changes (kind, entry_id, before) VALUES (?1, ?2, ?3)");
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, std::string(ChangeKindName(kind)));
    stmt->Bind(2, id);
    // Text stored before the UTF-8 check may hold bad bytes: kept as U+FFFD, never a throw.
    if (before) {
      stmt->Bind(
          3, EntryToJson(*before).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (stmt->Step() != SQLITE_DONE) return SqlError("recording a change for undo");
    return Exec(fmt::format("DELETE FROM entry_changes WHERE seq <= (SELECT MAX(seq) FROM "
                            "entry_changes) - {}",
                            kUndoDepth),
                "forgetting old changes");
  }

  Result<std::optional<UndoneChange>> UndoLocked() {
    auto stmt =
        Prepare("SELECT seq, kind, entry_id, before FROM entry_changes ORDER BY seq DESC LIMIT 1");
    if (!stmt.ok()) return stmt.error();
    const int rc = stmt->Step();
    if (rc == SQLITE_DONE) return std::optional<UndoneChange>();
    if (rc != SQLITE_ROW) return SqlError("reading the undo log");
    const int64_t seq = stmt->Int(0), id = stmt->Int(2);
    const std::string kind_name = stmt->Text(1), before_text = stmt->Text(3);
    auto kind = ParseChangeKind(kind_name);
    if (!kind) return DataError(fmt::format("{}: undo log: unknown change '{}'", path_, kind_name));
    UndoneChange out{*kind, {}};
    if (*kind == ChangeKind::kAdd) {
      auto added = ReadOne(id);
      if (!added.ok()) return added.error();
      out.entry = std::move(*added);
      MG_RETURN_IF_ERROR(DeleteRow(id));
    } else {
      auto before = EntryFromLog(before_text, id);
      if (!before.ok()) return before.error();
      out.entry = std::move(*before);
      if (*kind == ChangeKind::kEdit) {
        MG_RETURN_IF_ERROR(ReplaceLocked(out.entry, /*log=*/false));
      } else {
        auto inserted = Insert(out.entry, /*keep_id=*/true);
        if (!inserted.ok()) return inserted.error();
      }
    }
    auto forget = Prepare("DELETE FROM entry_changes WHERE seq = ?1");
    if (!forget.ok()) return forget.error();
    forget->Bind(1, seq);
    if (forget->Step() != SQLITE_DONE) return SqlError("updating the undo log");
    return std::optional<UndoneChange>(std::move(out));
  }

  Result<Entry> EntryFromLog(const std::string& text, int64_t id) {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return DataError(fmt::format("{}: undo log: entry {} is not JSON", path_, id));
    }
    auto entry = EntryFromJson(parsed, fmt::format("{}: undo log", path_));
    if (!entry.ok()) return DataError(entry.error().message);
    return entry;
  }

  Status ImportLocked(const Snapshot& snapshot) {
    if (snapshot.profile_json) MG_RETURN_IF_ERROR(WriteProfile(*snapshot.profile_json));
    for (const Entry& e : snapshot.entries) {
      if (e.id > 0) MG_RETURN_IF_ERROR(RefuseExisting("entries", "entry", e.id));
      auto id = Insert(e, e.id > 0);
      if (!id.ok()) return id.error();
    }
    for (const TrialRecord& t : snapshot.trials) {
      if (t.id > 0) MG_RETURN_IF_ERROR(RefuseExisting("trials", "trial", t.id));
      auto id = InsertTrial(t, t.id > 0);
      if (!id.ok()) return id.error();
    }
    return {};
  }

  Status RefuseExisting(const char* table, const char* what, int64_t id) {
    auto stmt = Prepare(fmt::format("SELECT 1 FROM {} WHERE id = ?1", table));
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, id);
    if (stmt->Step() == SQLITE_ROW) {
      return InvalidArgument(fmt::format(
          "{} id {} already exists in {}; import into an empty journal", what, id, path_));
    }
    return {};
  }

  Result<Snapshot> ReadAll() {
    Snapshot snapshot;
    auto profile = Profile();
    if (!profile.ok()) return profile.error();
    snapshot.profile_json = *profile;
    auto entries = List({});
    if (!entries.ok()) return entries.error();
    snapshot.entries = std::move(*entries);
    auto stmt = Prepare("SELECT id, created, json FROM trials ORDER BY id");
    if (!stmt.ok()) return stmt.error();
    int rc;
    while ((rc = stmt->Step()) == SQLITE_ROW) {
      snapshot.trials.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2)});
    }
    if (rc != SQLITE_DONE) return SqlError("reading trials");
    return snapshot;
  }

  Result<int64_t> Insert(const Entry& e, bool keep_id) {
    auto stmt = Prepare(
        "INSERT INTO entries (id, date, kind, label, magnesium_mg, value, intensity, note, "
        "irls_item_count, measures) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!stmt.ok()) return stmt.error();
    if (keep_id) stmt->Bind(1, e.id);  // Otherwise NULL: SQLite assigns the next rowid.
    stmt->Bind(2, FormatDate(e.date));
    stmt->Bind(3, std::string(EntryKindName(e.kind)));
    stmt->Bind(4, e.label);
    stmt->Bind(5, e.magnesium_mg);
    stmt->Bind(6, e.value);
    stmt->Bind(7, e.intensity);
    stmt->Bind(8, e.note);
    stmt->Bind(9, static_cast<int64_t>(e.irls_items.size()));
    stmt->Bind(10, FormatMeasures(e.measures));
    if (stmt->Step() != SQLITE_DONE) return SqlError("writing an entry");
    int64_t id = sqlite3_last_insert_rowid(db_.get());
    for (size_t i = 0; i < e.irls_items.size(); ++i) {
      auto item = Prepare("INSERT INTO irls_items (entry_id, item, score) VALUES (?1, ?2, ?3)");
      if (!item.ok()) return item.error();
      item->Bind(1, id);
      item->Bind(2, static_cast<int64_t>(i + 1));
      item->Bind(3, static_cast<int64_t>(e.irls_items[i]));
      if (item->Step() != SQLITE_DONE) return SqlError("writing IRLS item scores");
    }
    return id;
  }

  Result<int64_t> InsertTrial(const TrialRecord& t, bool keep_id) {
    auto stmt = Prepare("INSERT INTO trials (id, created, json) VALUES (?1, ?2, ?3)");
    if (!stmt.ok()) return stmt.error();
    if (keep_id) stmt->Bind(1, t.id);
    stmt->Bind(2, t.created);
    stmt->Bind(3, t.json);
    if (stmt->Step() != SQLITE_DONE) return SqlError("writing a trial");
    return sqlite3_last_insert_rowid(db_.get());
  }

  Status WriteProfile(const std::string& json) {
    auto stmt = Prepare("INSERT OR REPLACE INTO profile (id, json) VALUES (1, ?1)");
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, json);
    if (stmt->Step() != SQLITE_DONE) return SqlError("writing the profile");
    return {};
  }

  // Reads the schema version without a write lock, and takes one (BEGIN IMMEDIATE) only when a
  // migration is due, re-reading the version under it: a writer that started meanwhile may have
  // migrated already. Opening an up-to-date journal therefore never waits for a writer.
  Status Migrate() {
    auto current = SchemaVersion();
    if (!current.ok()) return current.error();
    const auto& migrations = Migrations();
    MG_RETURN_IF_ERROR(RefuseNewerSchema(*current));
    if (*current == static_cast<int64_t>(migrations.size())) return {};
    MG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "starting a write"));
    Status st = MigrateLocked();
    if (!st.ok()) return Rollback(st.error());
    return Commit();
  }

  Status MigrateLocked() {
    MG_RETURN_IF_ERROR(
        Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "applied_at TEXT NOT NULL DEFAULT (datetime('now')))",
             "migrating the schema"));
    auto current = SchemaVersion();
    if (!current.ok()) return current.error();
    MG_RETURN_IF_ERROR(RefuseNewerSchema(*current));
    const auto& migrations = Migrations();
    for (size_t v = static_cast<size_t>(*current) + 1; v <= migrations.size(); ++v) {
      MG_RETURN_IF_ERROR(Exec(migrations[v - 1], "migrating the schema"));
      MG_RETURN_IF_ERROR(Exec(fmt::format("INSERT INTO schema_migrations (version) VALUES ({})", v),
                              "migrating the schema"));
    }
    return {};
  }

  // 0 for a new file (no schema_migrations table yet).
  Result<int64_t> SchemaVersion() {
    auto exists = Prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists.ok()) return exists.error();
    if (exists->Step() != SQLITE_ROW) return SqlError("reading the schema");
    if (exists->Int(0) == 0) return int64_t{0};
    auto stmt = Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!stmt.ok()) return stmt.error();
    if (stmt->Step() != SQLITE_ROW) return SqlError("reading the schema version");
    return stmt->Int(0);
  }

  Status RefuseNewerSchema(int64_t current) {
    const auto& migrations = Migrations();
    if (current > static_cast<int64_t>(migrations.size())) {
      return DataError(fmt::format(
          "{}: journal schema version {} is newer than this mgadvisor understands ({}); "
          "upgrade mgadvisor",
          path_, current, migrations.size()));
    }
    return {};
  }

  Status Exec(const std::string& sql, const char* doing) {
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqlError(doing);
    }
    return {};
  }

  Result<Stmt> Prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return SqlError("preparing a statement");
    }
    return Stmt(stmt);
  }

  Status Commit() {
    Status st = Exec("COMMIT", "committing");
    if (!st.ok()) return Rollback(st.error());
    return {};
  }

  Error Rollback(Error error) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }

  Error SqlError(const char* doing) { return SqliteError(db_.get(), path_, doing); }

  SqliteHandle db_;
  std::string path_;
  const Clock& clock_;
};

}  // namespace

int SqliteSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const Clock& clock) {
  auto db = OpenSqliteFile(path);
  if (!db.ok()) return db.error();
  auto store = std::make_unique<SqliteStore>(std::move(*db), path, clock);
  MG_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

Result<size_t> BackupSqliteJournal(const std::string& path, const std::string& destination) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(
        fmt::format("{}: no journal there (nothing was written to {})", path, destination));
  }
  auto source = OpenSqliteFile(path);
  if (!source.ok()) return source.error();
  {
    // A journal has its migrations table; anything else is refused rather than copied.
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(source->get(),
                                      "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                      "AND name = 'schema_migrations'",
                                      -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    if (rc != SQLITE_OK || sqlite3_step(stmt.get()) != SQLITE_ROW) {
      return SqliteError(source->get(), path, "reading its schema");
    }
    if (sqlite3_column_int(stmt.get(), 0) != 1) {
      return DataError(
          fmt::format("{}: not an mgadvisor journal (no schema_migrations table)", path));
    }
  }
  // Into memory first, then to disk in one atomic write: the backup API writes its destination
  // page by page, and a crash there would leave a file that looks like a journal but is not.
  sqlite3* memory_raw = nullptr;
  const int opened = sqlite3_open(":memory:", &memory_raw);
  SqliteHandle memory(memory_raw);
  if (opened != SQLITE_OK) return SqliteError(memory.get(), ":memory:", "opening");
  sqlite3_backup* backup = sqlite3_backup_init(memory.get(), "main", source->get(), "main");
  if (backup == nullptr) return SqliteError(memory.get(), path, "starting the backup");
  int step = SQLITE_OK;
  // All pages in one step: one read transaction, so one consistent snapshot. A writer holding
  // the lock (not in WAL mode, or during a checkpoint) makes it busy; the busy timeout covers
  // most of that, and the step is tried again a few times after it.
  for (int attempt = 0; attempt < 50; ++attempt) {
    step = sqlite3_backup_step(backup, -1);
    if (step != SQLITE_BUSY && step != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) {
    return IoError(fmt::format("{}: backing up: {}", path, sqlite3_errstr(step)));
  }
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(memory.get(), "main", &size, 0);
  if (bytes == nullptr) return IoError(fmt::format("{}: backing up: out of memory", path));
  std::unique_ptr<unsigned char, void (*)(void*)> owned(bytes, sqlite3_free);
  MG_RETURN_IF_ERROR(WriteFileAtomically(
      destination,
      std::string_view(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size)),
      FileAccess::kPrivate));
  return static_cast<size_t>(size);
}

}  // namespace mg::journal
