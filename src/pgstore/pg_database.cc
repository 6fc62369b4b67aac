#include "pgstore/pg_database.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <exception>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "journal/export.h"

namespace mg::pgstore {
namespace {

// Forward migrations, applied in order; index + 1 is the schema version. Never edit a shipped
// migration: add a new one. The CHECK constraints mirror journal/sqlite_store.cc so both stores
// refuse the same malformed rows even if a bug slipped past ValidateEntry().
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: accounts, sessions, login failures, and the per-account journal tables.
      R"sql(
CREATE TABLE accounts (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (username <> ''),
  password_hash TEXT NOT NULL,
  created BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE TABLE entries (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id BIGINT NOT NULL CHECK (id > 0),
  date TEXT NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  kind TEXT NOT NULL CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain',
                                     'sleep', 'note', 'side-effect')),
  label TEXT NOT NULL DEFAULT '',
  magnesium_mg DOUBLE PRECISION,
  value DOUBLE PRECISION,
  intensity DOUBLE PRECISION,
  note TEXT NOT NULL DEFAULT '',
  irls_item_count INTEGER NOT NULL DEFAULT 0 CHECK (irls_item_count IN (0, 10)),
  PRIMARY KEY (user_id, id)
);
CREATE INDEX entries_by_date ON entries (user_id, date, id);
CREATE TABLE irls_items (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  entry_id BIGINT NOT NULL,
  item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
  PRIMARY KEY (user_id, entry_id, item),
  FOREIGN KEY (user_id, entry_id) REFERENCES entries (user_id, id) ON DELETE CASCADE
);
CREATE TABLE profile (
  user_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  json TEXT NOT NULL
);
CREATE TABLE trials (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id BIGINT NOT NULL CHECK (id > 0),
  created TEXT NOT NULL CHECK (created ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  json TEXT NOT NULL,
  PRIMARY KEY (user_id, id)
);
)sql",
      // 2: rate-limit attempts with ids (an attempt is taken before the password is checked and
      // given back when it was right), and indexes for purging by age.
      R"sql(
CREATE TABLE rate_limit_attempts (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX rate_limit_attempts_by_key ON rate_limit_attempts (key, at);
CREATE INDEX rate_limit_attempts_by_age ON rate_limit_attempts (at);
INSERT INTO rate_limit_attempts (key, at) SELECT key, at FROM login_failures;
DROP TABLE login_failures;
CREATE INDEX sessions_by_expiry ON sessions (expires);
)sql",
      // 3: the undo log of entry changes (journal::Store::Undo), per account: the entry as it
      // was before an edit or a delete, as JSON (journal/export.h).
      R"sql(
CREATE TABLE entry_changes (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  seq BIGSERIAL NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('add', 'edit', 'delete')),
  entry_id BIGINT NOT NULL,
  before TEXT,
  PRIMARY KEY (user_id, seq)
);
)sql",
      // 4: one secret calendar key per account (its SHA-256 only), for GET /api/calendar.ics.
      R"sql(
CREATE TABLE calendar_keys (
  user_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL UNIQUE
);
)sql",
      // 5: invitation codes (serve --signup invite) and one-time password resets, each stored as
      // its SHA-256 only; both single use and expiring. An invitation names nobody until used.
      R"sql(
CREATE TABLE invitations (
  code_hash TEXT PRIMARY KEY,
  created BIGINT NOT NULL,
  expires BIGINT NOT NULL
);
CREATE INDEX invitations_by_expiry ON invitations (expires);
CREATE TABLE password_resets (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  expires BIGINT NOT NULL,
  PRIMARY KEY (user_id, token_hash)
);
CREATE INDEX password_resets_by_expiry ON password_resets (expires);
)sql",
      // 6: read-only shares of a journal (user_id, the owner) with a clinician's account.
      R"sql(
CREATE TABLE journal_shares (
  user_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  clinician_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE
    CHECK (clinician_id <> user_id),
  created BIGINT NOT NULL,
  PRIMARY KEY (user_id, clinician_id)
);
CREATE INDEX journal_shares_by_clinician ON journal_shares (clinician_id);
)sql",
      // 7: the entry kind 'sleep-minutes' (minutes asleep a night, from a device). The column's
      // CHECK carries PostgreSQL's default name, <table>_<column>_check.
      R"sql(
ALTER TABLE entries DROP CONSTRAINT entries_kind_check;
ALTER TABLE entries ADD CONSTRAINT entries_kind_check
  CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain', 'sleep', 'note',
                  'side-effect', 'sleep-minutes'));
)sql",
      // 8: further numbers of a symptom entry (journal::MeasuresOf) as FormatMeasures text,
      // "minutes=5 sleep_disturbance=4"; '' for none.
      R"sql(
ALTER TABLE entries ADD COLUMN measures TEXT NOT NULL DEFAULT '';
)sql",
      // 9: the entry kinds 'migraine' (one attack) and 'stress' (a 0-10 rating), as SQLite's 5.
      R"sql(
ALTER TABLE entries DROP CONSTRAINT entries_kind_check;
ALTER TABLE entries ADD CONSTRAINT entries_kind_check
  CHECK (kind IN ('food', 'supplement', 'dose', 'irls', 'cramps', 'pain', 'sleep', 'note',
                  'side-effect', 'sleep-minutes', 'migraine', 'stress'));
)sql",
      // 10: each account's number of entries, kept by the database on every insert and delete
      // however it happens (add, undo, import, cascade), so the journal's first page need not
      // count the whole journal on every read (issue 20: many people writing at once). Triggers
      // per statement, so an import or an account's deletion updates a count once.
      R"sql(
CREATE TABLE entry_counts (
  user_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  n BIGINT NOT NULL CHECK (n >= 0)
);
INSERT INTO entry_counts (user_id, n) SELECT user_id, count(*) FROM entries GROUP BY user_id;
CREATE FUNCTION entries_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO entry_counts (user_id, n) SELECT user_id, count(*) FROM added GROUP BY user_id
    ON CONFLICT (user_id) DO UPDATE SET n = entry_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE FUNCTION entries_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE entry_counts c SET n = c.n - r.n
    FROM (SELECT user_id, count(*) AS n FROM removed GROUP BY user_id) r
   WHERE c.user_id = r.user_id;
  RETURN NULL;
END $$;
CREATE TRIGGER entries_counted_in AFTER INSERT ON entries REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION entries_added();
CREATE TRIGGER entries_counted_out AFTER DELETE ON entries REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION entries_removed();
)sql",
      // 11: the undo log as a ring of 50 slots per account (journal::kUndoDepth; see
      // kUndoSlots). A change takes the slot after the account's newest, overwriting the oldest
      // once all 50 are used, instead of an insert and a delete that first read the account's
      // newest 50 lines (issue 20: that pruning was a third of PostgreSQL's work per add).
      // undo_positions counts each account's changes: the newest is in slot changes % 50. Lines
      // already there keep their order (slot: their place, oldest first; the newest 50 only).
      R"sql(
CREATE TABLE undo_positions (
  user_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  changes BIGINT NOT NULL CHECK (changes >= 0)
);
DELETE FROM entry_changes c
  USING (SELECT user_id, seq, row_number() OVER (PARTITION BY user_id ORDER BY seq DESC) AS newer
           FROM entry_changes) r
 WHERE c.user_id = r.user_id AND c.seq = r.seq AND r.newer > 50;
ALTER TABLE entry_changes ADD COLUMN slot INTEGER;
UPDATE entry_changes c SET slot = (r.place % 50)::INTEGER
  FROM (SELECT user_id, seq, row_number() OVER (PARTITION BY user_id ORDER BY seq) AS place
          FROM entry_changes) r
 WHERE c.user_id = r.user_id AND c.seq = r.seq;
INSERT INTO undo_positions (user_id, changes)
  SELECT user_id, count(*) FROM entry_changes GROUP BY user_id;
ALTER TABLE entry_changes DROP CONSTRAINT entry_changes_pkey;
ALTER TABLE entry_changes ALTER COLUMN slot SET NOT NULL;
ALTER TABLE entry_changes ADD CONSTRAINT entry_changes_slot_check CHECK (slot >= 0 AND slot < 50);
ALTER TABLE entry_changes ADD PRIMARY KEY (user_id, slot);
)sql",
  };
  return kMigrations;
}

// The advisory-lock namespace of per-key rate-limit locks (the two-integer lock space, which
// never overlaps the single-bigint one the migration lock uses): "mgrl".
constexpr int32_t kRateLimitLockSpace = 0x6d67726c;

// Serialises migrations across every process opening the same database ("mgadvsr" in ASCII).
constexpr int64_t kMigrationLockKey = 0x6d67616476737200;

Error Conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }

// libpq messages end with a newline and span lines with tabs; messages here are one line.
std::string OneLine(const char* what) {
  std::string text;
  for (const char* c = what; *c != '\0'; ++c) {
    const bool space = *c == '\n' || *c == '\t' || *c == '\r' || *c == ' ';
    if (!space) {
      text.push_back(*c);
    } else if (!text.empty() && text.back() != ' ') {
      text.push_back(' ');
    }
  }
  if (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// libpq waits for the operating system's TCP timeout (minutes) on a host that never answers;
// a server should report that in seconds instead, unless the URL says otherwise.
std::string WithConnectTimeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=10";
}

// libpqxx 6 has no std::optional parameters; a null `const char*` is SQL NULL. Doubles are
// written in the shortest form that reads back exactly.
class NullableNumber {
 public:
  explicit NullableNumber(const std::optional<double>& v)
      : text_(v ? fmt::format("{}", *v) : ""), null_(!v) {}
  const char* get() const { return null_ ? nullptr : text_.c_str(); }

 private:
  std::string text_;
  bool null_;
};

std::optional<double> ReadNumber(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  const char* text = field.c_str();
  double value = 0;
  std::from_chars(text, text + field.size(), value);
  return value;
}

// A fixed-size pool of connections shared by the Database and every journal it hands out.
// Connections open lazily; a broken one is dropped and a fresh one opened on the next request.
// A statement every signed-in request runs (the session look-up, adding an entry, a page of the
// journal). The server parses and plans such a statement once per connection (a named prepared
// statement) instead of on every call: for the add, planning cost PostgreSQL about as much as
// running it (issue 20: many people writing at once). The name is a hash of the text, so two
// versions of mgadvisor sharing a server never run each other's statements under one name.
class HotStatement {
 public:
  explicit HotStatement(std::string sql) : sql_(std::move(sql)) {
    uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits.
    for (unsigned char c : sql_) hash = (hash ^ c) * 1099511628211ull;
    name_ = fmt::format("mg_{:016x}", hash);
  }
  const std::string& sql() const { return sql_; }
  const std::string& name() const { return name_; }

 private:
  std::string sql_;
  std::string name_;
};

// What PostgreSQL says when a named prepared statement is missing or taken: behind a pooler in
// transaction mode (PgBouncer before 1.21) a connection's statements are not its own, since each
// transaction may run on another server connection.
bool IsPreparedStatementMismatch(const std::exception& e) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && (sql->sqlstate() == "26000" || sql->sqlstate() == "42P05");
}

class Pool {
 public:
  Pool(const std::string& url, int size)
      : url_(WithConnectTimeout(url)), where_(RedactUrl(url)), size_(size) {}

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn, bool reused)
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}
    Lease(Lease&& other) noexcept
        : pool_(other.pool_),
          conn_(std::move(other.conn_)),
          reused_(other.reused_),
          broken_(other.broken_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Release(std::move(conn_), broken_);
    }
    pqxx::connection& conn() { return *conn_; }
    void MarkBroken() { broken_ = true; }
    // Came from the idle list: the server may have closed it since it was last used.
    bool reused() const { return reused_; }

   private:
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool reused_;
    bool broken_ = false;
  };

  const std::string& where() const { return where_; }

  // Runs a hot statement: prepared on this connection, or sent with its text once prepared
  // statements were found not to work here (see Run).
  template <typename... Args>
  pqxx::result Exec(pqxx::transaction_base& txn, const HotStatement& statement, Args&&... args) {
    if (!prepared_works_.load(std::memory_order_relaxed)) {
      return txn.exec_params(statement.sql(), std::forward<Args>(args)...);
    }
    // libpqxx remembers the definition per connection and registers it with the server on first
    // use; defining it again with the same text does nothing.
    txn.conn().prepare(statement.name(), statement.sql());
    return txn.exec_prepared(statement.name(), std::forward<Args>(args)...);
  }

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
      if (idle_.empty()) break;
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->is_open()) return Lease(this, std::move(conn), /*reused=*/true);
      --open_;  // Dropped by the server; open a fresh one instead.
    }
    ++open_;
    lock.unlock();
    try {
      return Lease(this, std::make_unique<pqxx::connection>(url_), /*reused=*/false);
    } catch (const std::exception& e) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return IoError(
          fmt::format("cannot connect to PostgreSQL at {}: {}", where_, OneLine(e.what())));
    }
  }

  // Runs `body(txn)` in one transaction, committing only when it returns OK. Every libpqxx
  // exception stops here and becomes an Error naming what was being done. A pooled connection
  // the server has dropped (restart, idle timeout) is replaced and the transaction retried: the
  // loss was noticed before any commit, so nothing of the failed attempt was written. A restart
  // kills every idle connection at once, so the first one found dead empties the idle list; a
  // few more retries cover connections that were leased across the restart and come back later.
  template <typename Isolation = pqxx::transaction<>, typename Body>
  auto Run(std::string_view doing, Body&& body) -> decltype(body(std::declval<Isolation&>())) {
    for (int attempt = 1;; ++attempt) {
      auto lease = Acquire();
      if (!lease.ok()) return lease.error();
      bool committing = false;
      const auto retry_on_a_fresh_connection = [&] {
        lease->MarkBroken();
        if (!lease->reused() || committing || attempt > size_ + 1) return false;
        DropIdle();
        return true;
      };
      try {
        Isolation txn(lease->conn());
        auto result = body(txn);
        if (result.ok()) {
          committing = true;
          txn.commit();
        } else {
          txn.abort();
        }
        return result;
      } catch (const pqxx::in_doubt_error& e) {
        lease->MarkBroken();
        return IoError(
            fmt::format("PostgreSQL at {}: {}: connection lost during commit; the "
                        "write may or may not have been saved: {}",
                        where_, doing, OneLine(e.what())));
      } catch (const pqxx::broken_connection& e) {
        if (retry_on_a_fresh_connection()) continue;
        return IoError(fmt::format("PostgreSQL at {}: connection lost while {}: {}", where_, doing,
                                   OneLine(e.what())));
      } catch (const pqxx::unique_violation& e) {
        return Conflict(fmt::format("PostgreSQL at {}: {}: {}", where_, doing, OneLine(e.what())));
      } catch (const std::exception& e) {
        // Behind a transaction-mode pooler: from now on every statement goes with its text, and
        // this one again on a fresh connection (whose libpqxx knows of no prepared statement).
        // Nothing was written: a transaction was rolled back, and a hot statement outside one is
        // the only statement of its body.
        if (IsPreparedStatementMismatch(e) && !committing && attempt <= size_ + 1) {
          if (prepared_works_.exchange(false, std::memory_order_relaxed)) {
            fmt::print(stderr,
                       "mgadvisor: PostgreSQL at {}: prepared statements do not work through this "
                       "connection (a pooler in transaction mode?); statements are sent with "
                       "their text from now on\n",
                       where_);
          }
          lease->MarkBroken();
          continue;
        }
        // A server shutting down ends sessions with an error ("terminating connection due to
        // administrator command") that libpqxx may raise as a plain SQL error.
        if (!lease->conn().is_open() && retry_on_a_fresh_connection()) continue;
        if (!lease->conn().is_open()) lease->MarkBroken();
        return IoError(fmt::format("PostgreSQL at {}: {}: {}", where_, doing, OneLine(e.what())));
      }
    }
  }

  accounts::PoolUse Use() {
    std::lock_guard lock(mu_);
    return {size_, open_, open_ - static_cast<int>(idle_.size())};
  }

  // Closes every idle connection (after one was found dead: they were opened together).
  void DropIdle() {
    std::lock_guard lock(mu_);
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
    cv_.notify_all();
  }

  // Called after each journal write; at most every kCounterVacuumInterval, one caller vacuums
  // the two counter tables. They hold one row per account, and every write of that account
  // updates it (entry_counts by its triggers, undo_positions by the undo log), so under many
  // writers each row gains a dead version per write. Measured (issue 20): PostgreSQL's time per
  // write grew round by round and scripts/bench-writers.sh fell from ~70 % to ~40 % of pgbench
  // within 20 s, in the runs where autovacuum (which visits a database once a minute,
  // autovacuum_naptime) had not come by; with these two tables vacuumed every 2 s no run fell.
  // (Most likely each read of a row walked its growing chain of versions.) The
  // tables are small (a row per account) and VACUUM skips the pages all-visible since the last
  // one, so this costs a few milliseconds. A failure costs the write nothing: it is reported
  // once and vacuuming is left to autovacuum from then on.
  void VacuumCountersIfDue() {
    const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    int64_t due = next_counter_vacuum_.load(std::memory_order_relaxed);
    if (now < due) return;
    const int64_t next = now + std::chrono::steady_clock::duration(kCounterVacuumInterval).count();
    if (!next_counter_vacuum_.compare_exchange_strong(due, next)) return;  // Another caller won.
    const Status vacuumed =
        Run<pqxx::nontransaction>("vacuuming the counters", [](pqxx::nontransaction& txn) {
          txn.exec0("VACUUM (SKIP_LOCKED) entry_counts, undo_positions");
          return Status{};
        });
    if (!vacuumed.ok()) {
      next_counter_vacuum_.store(std::numeric_limits<int64_t>::max());
      fmt::print(stderr, "mgadvisor: {}; leaving it to autovacuum\n", vacuumed.error().message);
    }
  }

 private:
  static constexpr std::chrono::seconds kCounterVacuumInterval{2};

  void Release(std::unique_ptr<pqxx::connection> conn, bool broken) {
    std::lock_guard lock(mu_);
    if (broken || !conn->is_open()) {
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

  const std::string url_;
  const std::string where_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // Idle plus leased.
  std::atomic<bool> prepared_works_{true};
  std::atomic<int64_t> next_counter_vacuum_{0};  // steady_clock ticks.
};

using ReadTxn = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// A read that is one statement: a statement sees one snapshot of its own, so it needs no BEGIN
// and COMMIT, which are two more round trips to the server each. Every request of a signed-in
// person pays for two such reads (session, account) before its own work (issue 20: many people
// writing at once).
using OneStatement = pqxx::nontransaction;

// Locks the account row for the rest of the transaction: serialises id assignment within one
// account (max + 1 under the lock) and fails cleanly if the account was deleted meanwhile.
Status LockAccount(pqxx::transaction_base& txn, int64_t user_id) {
  if (txn.exec_params("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", user_id).empty()) {
    return NotFound(fmt::format("account {} does not exist", user_id));
  }
  return {};
}

// A journal::Store over the rows of one account. Every statement carries `user_id = $1`.
// The undo log keeps each account's newest kUndoDepth changes in a ring of that many slots
// (migration 11): the account's count of changes (undo_positions) names the slot of its newest,
// and a change takes the next slot, overwriting the oldest line once the ring is full. `seq`,
// one sequence for all accounts, orders the lines newest first; other accounts' writes advance
// it but never take a slot of this account's. Undo takes the newest line away and counts one
// change back, so the next change takes that slot again.
constexpr int kUndoSlots = 50;  // Fixed by migration 11's CHECK on entry_changes.slot.
static_assert(kUndoSlots == journal::kUndoDepth);

// The two halves of writing a line into an account's ring, shared by every statement that logs
// a change: counting the change (its slot is the new count modulo kUndoSlots), and taking the
// slot, whatever older line it held.
constexpr char kCountChange[] =
    "ON CONFLICT (user_id) DO UPDATE SET changes = undo_positions.changes + 1 RETURNING changes";
constexpr char kTakeSlot[] =
    "ON CONFLICT (user_id, slot) DO UPDATE SET seq = EXCLUDED.seq, kind = EXCLUDED.kind, "
    "entry_id = EXCLUDED.entry_id, before = EXCLUDED.before";

// Logs a change (kind $2, entry $3, the entry before it as JSON $4 or NULL) of account $1.
const std::string& LogChangeSql() {
  static const std::string sql = fmt::format(
      "WITH position AS (INSERT INTO undo_positions (user_id, changes) VALUES ($1, 1) {}) "
      "INSERT INTO entry_changes (user_id, slot, kind, entry_id, before) SELECT $1, "
      "(changes % {})::INTEGER, $2, $3, $4 FROM position {}",
      kCountChange, kUndoSlots, kTakeSlot);
  return sql;
}

class PgJournal final : public journal::Store {
 public:
  // `session_token_hash`: the journal of a session (OpenSessionJournal), whose every transaction
  // first checks that the session still exists and has not expired; empty: the account's journal
  // as such (a calendar key, a shared journal, the command line).
  PgJournal(std::shared_ptr<Pool> pool, int64_t user_id, const journal::Clock& clock,
            std::string session_token_hash = {})
      : pool_(std::move(pool)),
        user_(user_id),
        clock_(clock),
        where_("this journal"),
        session_(std::move(session_token_hash)) {}

  Result<int64_t> Add(const journal::Entry& entry) override {
    MG_RETURN_IF_ERROR(journal::ValidateEntry(entry, clock_.Today()));
    if (!entry.irls_items.empty()) {
      return Tidied(
          Run(Doing("adding an entry"), [&](pqxx::transaction_base& txn) -> Result<int64_t> {
            auto id = Insert(txn, entry, /*keep_id=*/false);
            if (id.ok()) {
              LogChange(txn, journal::ChangeKind::kAdd, *id, std::nullopt);
            }
            return id;
          }));
    }
    // The entry and its line in the undo log's ring in one statement: one round trip instead
    // of five (BEGIN, lock, insert, log, COMMIT), which is most of what many people writing at
    // once wait for (issue 20). Without the account lock, two adds to one account at the same
    // moment may take the same next id: the second then fails on the primary key without
    // writing anything, and is tried again with the first one visible.
    for (int attempt = 1;; ++attempt) {
      // The session's check is in the statement too ($10, $11: kLiveSession), so that a
      // session the server found lately costs no round trip of its own.
      auto id = pool_->Run<OneStatement>(
          Doing("adding an entry"), [&](pqxx::transaction_base& txn) -> Result<int64_t> {
            static const HotStatement kAdd(fmt::format(
                "WITH added AS (INSERT INTO entries (user_id, id, date, kind, label, "
                "magnesium_mg, value, intensity, note, measures) SELECT $1::BIGINT, (SELECT "
                "COALESCE(MAX(id), 0) + 1 FROM entries WHERE user_id = $1), $2::TEXT, $3::TEXT, "
                "$4::TEXT, $5::DOUBLE PRECISION, $6::DOUBLE PRECISION, $7::DOUBLE PRECISION, "
                "$8::TEXT, $9::TEXT WHERE {} RETURNING id), "
                "position AS (INSERT INTO undo_positions (user_id, changes) SELECT $1, 1 FROM "
                "added {}), "
                "logged AS (INSERT INTO entry_changes (user_id, slot, kind, entry_id) SELECT $1, "
                "(p.changes % {})::INTEGER, 'add', a.id FROM added a, position p {}) "
                "SELECT id FROM added",
                LiveSessionSql(10), kCountChange, kUndoSlots, kTakeSlot));
            try {
              const auto rows = pool_->Exec(
                  txn, kAdd, user_, journal::FormatDate(entry.date),
                  std::string(journal::EntryKindName(entry.kind)), entry.label,
                  NullableNumber(entry.magnesium_mg).get(), NullableNumber(entry.value).get(),
                  NullableNumber(entry.intensity).get(), entry.note,
                  journal::FormatMeasures(entry.measures), SessionParameter(), NowUnix());
              if (rows.empty()) return SessionEnded();
              return rows.at(0).at(0).as<int64_t>();
            } catch (const pqxx::foreign_key_violation&) {
              // What LockAccount says in the other writes.
              return NotFound(fmt::format("account {} does not exist", user_));
            }
          });
      if (id.ok() || id.error().code != ErrorCode::kConflict || attempt == 20) {
        return Tidied(std::move(id));
      }
    }
  }

  Status Replace(const journal::Entry& entry) override {
    MG_RETURN_IF_ERROR(journal::ValidateEntry(entry, clock_.Today()));
    return Tidied(Run(Doing("editing an entry"), [&](pqxx::transaction_base& txn) -> Status {
      MG_RETURN_IF_ERROR(LockAccount(txn, user_));
      return ReplaceIn(txn, entry, /*log=*/true);
    }));
  }

  Result<std::optional<journal::UndoneChange>> Undo() override {
    return Tidied(Run(
        Doing("undoing a change"),
        [&](pqxx::transaction_base& txn) -> Result<std::optional<journal::UndoneChange>> {
          MG_RETURN_IF_ERROR(LockAccount(txn, user_));
          auto rows = txn.exec_params(
              "SELECT slot, kind, entry_id, before FROM entry_changes WHERE user_id = $1 "
              "ORDER BY seq DESC LIMIT 1",
              user_);
          if (rows.empty()) return std::optional<journal::UndoneChange>();
          const int slot = rows[0][0].as<int>();
          const int64_t id = rows[0][2].as<int64_t>();
          const std::string kind_name = rows[0][1].as<std::string>();
          auto kind = journal::ParseChangeKind(kind_name);
          if (!kind) {
            return DataError(fmt::format("{}: undo log: unknown change '{}'", where_, kind_name));
          }
          journal::UndoneChange out{*kind, {}};
          if (*kind == journal::ChangeKind::kAdd) {
            auto added = ReadOne(txn, id);
            if (!added.ok()) return added.error();
            out.entry = std::move(*added);
            MG_RETURN_IF_ERROR(DeleteRow(txn, id));
          } else {
            auto before =
                EntryFromLog(rows[0][3].is_null() ? "" : rows[0][3].as<std::string>(), id);
            if (!before.ok()) return before.error();
            out.entry = std::move(*before);
            if (*kind == journal::ChangeKind::kEdit) {
              MG_RETURN_IF_ERROR(ReplaceIn(txn, out.entry, /*log=*/false));
            } else {
              auto inserted = Insert(txn, out.entry, /*keep_id=*/true, /*locked=*/true);
              if (!inserted.ok()) return inserted.error();
            }
          }
          // The line goes and the count steps back: the next change takes this slot again.
          txn.exec_params(
              "WITH undone AS (DELETE FROM entry_changes WHERE user_id = $1 AND slot = $2) UPDATE "
              "undo_positions SET changes = changes - 1 WHERE user_id = $1",
              user_, slot);
          return std::optional<journal::UndoneChange>(std::move(out));
        }));
  }

  Result<std::vector<journal::Entry>> List(const journal::DateRange& range) override {
    return Run<OneStatement>(Doing("reading entries"),
                             [&](pqxx::transaction_base& txn) { return ListIn(txn, range); });
  }

  // The page in SQL: a page of 20 reads 20 rows (and counts the rest), not the whole journal.
  Result<Page> ListPage(const journal::DateRange& range, std::optional<journal::EntryKind> kind,
                        std::optional<size_t> limit, size_t offset) override {
    const std::string from =
        range.from ? journal::FormatDate(*range.from) : std::string("0000-00-00");
    const std::string to = range.to ? journal::FormatDate(*range.to) : std::string("9999-99-99");
    const std::string kind_name = kind ? std::string(journal::EntryKindName(*kind)) : "";
    const std::string limit_text = limit ? std::to_string(*limit) : "";
    return pool_->Run<OneStatement>(
        Doing("reading entries"), [&](pqxx::transaction_base& txn) -> Result<Page> {
          // One statement (one snapshot); the count's row comes even when the page is empty, so
          // no row at all means the session's check (kLiveSession, the last two parameters)
          // failed. NULL $4 is every kind, NULL $5 no limit.
          static const HotStatement kPage(
              std::string("SELECT c.total, p.* FROM (SELECT count(*) AS total FROM entries WHERE "
                          "user_id = $1 AND date >= $2 AND date <= $3 AND ($4::TEXT IS NULL OR "
                          "kind = $4)) c LEFT JOIN (SELECT ") +
              kEntryColumns +
              " FROM entries e WHERE e.user_id = $1 AND e.date >= $2 AND e.date <= $3 AND "
              "($4::TEXT IS NULL OR e.kind = $4) ORDER BY e.date DESC, e.id DESC LIMIT "
              "$5::BIGINT OFFSET $6) p ON TRUE WHERE " +
              LiveSessionSql(7) + " ORDER BY p.date, p.id");
          // The whole journal (the page's default): its count is kept by the database
          // (migration 10), so a read costs the same however long the journal is.
          static const HotStatement kPageOfAll(
              std::string("SELECT c.total, p.* FROM (SELECT COALESCE((SELECT n FROM entry_counts "
                          "WHERE user_id = $1), 0) AS total) c LEFT JOIN (SELECT ") +
              kEntryColumns +
              " FROM entries e WHERE e.user_id = $1 ORDER BY e.date DESC, e.id DESC LIMIT "
              "$2::BIGINT OFFSET $3) p ON TRUE WHERE " +
              LiveSessionSql(4) + " ORDER BY p.date, p.id");
          const bool all = !range.from && !range.to && !kind;
          const auto rows =
              all ? pool_->Exec(txn, kPageOfAll, user_, limit ? limit_text.c_str() : nullptr,
                                static_cast<int64_t>(offset), SessionParameter(), NowUnix())
                  : pool_->Exec(txn, kPage, user_, from, to, kind ? kind_name.c_str() : nullptr,
                                limit ? limit_text.c_str() : nullptr, static_cast<int64_t>(offset),
                                SessionParameter(), NowUnix());
          if (rows.empty()) return SessionEnded();
          Page page;
          for (const auto& row : rows) {
            page.total = row[0].as<size_t>();
            if (row[1].is_null()) continue;  // An empty page.
            auto entry = EntryFrom(row, 1);
            if (!entry.ok()) return entry.error();
            page.entries.push_back(std::move(*entry));
          }
          return page;
        });
  }

  Status Delete(int64_t id) override {
    return Tidied(Run(Doing("deleting an entry"), [&](pqxx::transaction_base& txn) -> Status {
      MG_RETURN_IF_ERROR(LockAccount(txn, user_));
      auto before = ReadOne(txn, id);
      if (!before.ok()) return before.error();
      MG_RETURN_IF_ERROR(DeleteRow(txn, id));
      LogChange(txn, journal::ChangeKind::kDelete, id, *before);
      return {};
    }));
  }

  Status SetProfile(const std::string& json) override {
    return Run(Doing("writing the profile"), [&](pqxx::transaction_base& txn) -> Status {
      MG_RETURN_IF_ERROR(LockAccount(txn, user_));
      WriteProfile(txn, json);
      return {};
    });
  }

  Result<std::optional<std::string>> Profile() override {
    return Run<OneStatement>(Doing("reading the profile"),
                             [&](pqxx::transaction_base& txn) { return ReadProfile(txn); });
  }

  Result<int64_t> AddTrial(const std::string& created, const std::string& json) override {
    if (!journal::ParseDate(created)) {
      return InvalidArgument(fmt::format("trial created: '{}' is not a YYYY-MM-DD date", created));
    }
    return Run(Doing("writing a trial"), [&](pqxx::transaction_base& txn) {
      return InsertTrial(txn, {0, created, json}, /*keep_id=*/false);
    });
  }

  Result<std::optional<journal::TrialRecord>> LatestTrial() override {
    return Run<OneStatement>(
        Doing("reading trials"),
        [&](pqxx::transaction_base& txn) -> Result<std::optional<journal::TrialRecord>> {
          auto rows = txn.exec_params(
              "SELECT id, created, json FROM trials WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
              user_);
          if (rows.empty()) return std::optional<journal::TrialRecord>();
          return std::optional<journal::TrialRecord>(TrialFrom(rows[0]));
        });
  }

  Result<journal::Snapshot> Export() override {
    // One repeatable-read transaction, so the snapshot is consistent.
    return Run<ReadTxn>(
        Doing("exporting"), [&](pqxx::transaction_base& txn) -> Result<journal::Snapshot> {
          journal::Snapshot snapshot;
          auto profile = ReadProfile(txn);
          if (!profile.ok()) return profile.error();
          snapshot.profile_json = *profile;
          auto entries = ListIn(txn, {});
          if (!entries.ok()) return entries.error();
          snapshot.entries = std::move(*entries);
          for (const auto& row : txn.exec_params(
                   "SELECT id, created, json FROM trials WHERE user_id = $1 ORDER BY id", user_)) {
            snapshot.trials.push_back(TrialFrom(row));
          }
          return snapshot;
        });
  }

  Status Import(const journal::Snapshot& snapshot) override {
    const journal::Date today = clock_.Today();
    for (const journal::Entry& e : snapshot.entries) {
      Status st = journal::ValidateEntry(e, today);
      if (!st.ok()) {
        return InvalidArgument(fmt::format("entry {}: {}", e.id, st.error().message));
      }
    }
    return Tidied(Run(Doing("importing"), [&](pqxx::transaction_base& txn) -> Status {
      MG_RETURN_IF_ERROR(LockAccount(txn, user_));
      if (snapshot.profile_json) WriteProfile(txn, *snapshot.profile_json);
      for (const journal::Entry& e : snapshot.entries) {
        MG_RETURN_IF_ERROR(RefuseExisting(
            txn, "SELECT 1 FROM entries WHERE user_id = $1 AND id = $2", "entry", e.id));
        auto id = Insert(txn, e, e.id > 0, /*locked=*/true);
        if (!id.ok()) return id.error();
      }
      for (const journal::TrialRecord& t : snapshot.trials) {
        MG_RETURN_IF_ERROR(RefuseExisting(
            txn, "SELECT 1 FROM trials WHERE user_id = $1 AND id = $2", "trial", t.id));
        auto id = InsertTrial(txn, t, t.id > 0, /*locked=*/true);
        if (!id.ok()) return id.error();
      }
      return {};
    }));
  }

 private:
  std::string Doing(std::string_view what) const { return fmt::format("{} in {}", what, where_); }

  // The entry with `id`. Errors: kNotFound.
  Result<journal::Entry> ReadOne(pqxx::transaction_base& txn, int64_t id) {
    auto rows =
        txn.exec_params("SELECT date FROM entries WHERE user_id = $1 AND id = $2", user_, id);
    if (rows.empty()) return NotFound(fmt::format("entry {} is not in {}", id, where_));
    const auto date = journal::ParseDate(rows[0][0].as<std::string>());
    if (!date) return DataError(fmt::format("{}: entry {} has a malformed date", where_, id));
    auto day = ListIn(txn, {*date, *date});
    if (!day.ok()) return day.error();
    for (journal::Entry& e : *day) {
      if (e.id == id) return std::move(e);
    }
    return NotFound(fmt::format("entry {} is not in {}", id, where_));
  }

  Status DeleteRow(pqxx::transaction_base& txn, int64_t id) {
    auto done = txn.exec_params("DELETE FROM entries WHERE user_id = $1 AND id = $2", user_, id);
    if (done.affected_rows() == 0) {
      return NotFound(fmt::format("entry {} is not in {}", id, where_));
    }
    return {};
  }

  // Delete and insert again with the same id, so the IRLS item scores follow. REQUIRES: the
  // account is locked.
  Status ReplaceIn(pqxx::transaction_base& txn, const journal::Entry& entry, bool log) {
    auto before = ReadOne(txn, entry.id);
    if (!before.ok()) return before.error();
    MG_RETURN_IF_ERROR(DeleteRow(txn, entry.id));
    auto id = Insert(txn, entry, /*keep_id=*/true, /*locked=*/true);
    if (!id.ok()) return id.error();
    if (log) LogChange(txn, journal::ChangeKind::kEdit, entry.id, *before);
    return {};
  }

  void LogChange(pqxx::transaction_base& txn, journal::ChangeKind kind, int64_t id,
                 const std::optional<journal::Entry>& before) {
    // Text stored before the UTF-8 check may hold bad bytes: kept as U+FFFD, never a throw.
    std::optional<std::string> text;
    if (before) {
      text = journal::EntryToJson(*before).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
    }
    txn.exec_params(LogChangeSql(), user_, std::string(journal::ChangeKindName(kind)), id, text);
  }

  Result<journal::Entry> EntryFromLog(const std::string& text, int64_t id) {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return DataError(fmt::format("{}: undo log: entry {} is not JSON", where_, id));
    }
    auto entry = journal::EntryFromJson(parsed, fmt::format("{}: undo log", where_));
    if (!entry.ok()) return DataError(entry.error().message);
    return entry;
  }

  // Import keeps ids, so an id (`what` `id`) already in this account's journal is refused.
  // `exists_sql` is a constant query taking (user_id, id).
  Status RefuseExisting(pqxx::transaction_base& txn, const char* exists_sql, const char* what,
                        int64_t id) {
    if (id <= 0 || txn.exec_params(exists_sql, user_, id).empty()) return {};
    return InvalidArgument(fmt::format(
        "{} id {} already exists in {}; import into an empty journal", what, id, where_));
  }

  Result<int64_t> Insert(pqxx::transaction_base& txn, const journal::Entry& e, bool keep_id,
                         bool locked = false) {
    if (!locked) MG_RETURN_IF_ERROR(LockAccount(txn, user_));
    // A new entry's id is the account's largest + 1, computed inside the INSERT (one round trip
    // less); the statement starts after the account lock is held, so it sees every earlier add.
    // $2 is NULL for a new entry.
    const std::string given = std::to_string(e.id);
    const int64_t id =
        txn.exec_params1(
               "INSERT INTO entries (user_id, id, date, kind, label, magnesium_mg, value, "
               "intensity, note, irls_item_count, measures) VALUES ($1, COALESCE($2::BIGINT, "
               "(SELECT COALESCE(MAX(id), 0) + 1 FROM entries WHERE user_id = $1)), $3, $4, $5, "
               "$6, $7, $8, $9, $10, $11) RETURNING id",
               user_, keep_id ? given.c_str() : nullptr, journal::FormatDate(e.date),
               std::string(journal::EntryKindName(e.kind)), e.label,
               NullableNumber(e.magnesium_mg).get(), NullableNumber(e.value).get(),
               NullableNumber(e.intensity).get(), e.note, static_cast<int>(e.irls_items.size()),
               journal::FormatMeasures(e.measures))[0]
            .as<int64_t>();
    if (!e.irls_items.empty()) {
      // All ten scores in one statement: the array's positions are the item numbers.
      std::string scores = "{";
      for (int score : e.irls_items) scores += std::to_string(score) + ",";
      scores.back() = '}';
      txn.exec_params(
          "INSERT INTO irls_items (user_id, entry_id, item, score) SELECT $1, $2, item, score "
          "FROM unnest($3::INTEGER[]) WITH ORDINALITY AS s (score, item)",
          user_, id, scores);
    }
    return id;
  }

  Result<int64_t> InsertTrial(pqxx::transaction_base& txn, const journal::TrialRecord& t,
                              bool keep_id, bool locked = false) {
    if (!locked) MG_RETURN_IF_ERROR(LockAccount(txn, user_));
    int64_t id = t.id;
    if (!keep_id) {
      id = txn.exec_params1("SELECT COALESCE(MAX(id), 0) + 1 FROM trials WHERE user_id = $1",
                            user_)[0]
               .as<int64_t>();
    }
    txn.exec_params("INSERT INTO trials (user_id, id, created, json) VALUES ($1, $2, $3, $4)",
                    user_, id, t.created, t.json);
    return id;
  }

  void WriteProfile(pqxx::transaction_base& txn, const std::string& json) {
    txn.exec_params(
        "INSERT INTO profile (user_id, json) VALUES ($1, $2) "
        "ON CONFLICT (user_id) DO UPDATE SET json = EXCLUDED.json",
        user_, json);
  }

  Result<std::optional<std::string>> ReadProfile(pqxx::transaction_base& txn) {
    auto rows = txn.exec_params("SELECT json FROM profile WHERE user_id = $1", user_);
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0][0].as<std::string>());
  }

  Result<std::vector<journal::Entry>> ListIn(pqxx::transaction_base& txn,
                                             const journal::DateRange& range) {
    const std::string from =
        range.from ? journal::FormatDate(*range.from) : std::string("0000-00-00");
    const std::string to = range.to ? journal::FormatDate(*range.to) : std::string("9999-99-99");
    std::vector<journal::Entry> entries;
    // One statement, so a read outside a transaction still sees the entries and their item
    // scores in one snapshot.
    for (const auto& row : txn.exec_params(
             std::string("SELECT ") + kEntryColumns +
                 " FROM entries e WHERE e.user_id = $1 AND e.date >= $2 AND e.date <= $3 "
                 "ORDER BY e.date, e.id",
             user_, from, to)) {
      auto entry = EntryFrom(row, 0);
      if (!entry.ok()) return entry.error();
      entries.push_back(std::move(*entry));
    }
    return entries;
  }

  // The columns EntryFrom reads, of `entries e`: the item scores come as text ("3,2,4,...", by
  // item), looked up only for entries that have them.
  static constexpr const char* kEntryColumns =
      "e.id, e.date, e.kind, e.label, e.magnesium_mg, e.value, e.intensity, e.note, "
      "e.irls_item_count, CASE WHEN e.irls_item_count > 0 THEN (SELECT string_agg("
      "i.score::text, ',' ORDER BY i.item) FROM irls_items i WHERE i.user_id = e.user_id AND "
      "i.entry_id = e.id) END AS scores, e.measures";

  // An entry from kEntryColumns starting at column `at`.
  Result<journal::Entry> EntryFrom(const pqxx::row& row, int at) const {
    journal::Entry e;
    e.id = row[at].as<int64_t>();
    auto date = journal::ParseDate(row[at + 1].as<std::string>());
    auto kind = journal::ParseEntryKind(row[at + 2].as<std::string>());
    if (!date || !kind) {
      return DataError(fmt::format("{}: entry {} is malformed (date '{}', kind '{}')", where_, e.id,
                                   row[at + 1].as<std::string>(), row[at + 2].as<std::string>()));
    }
    e.date = *date;
    e.kind = *kind;
    e.label = row[at + 3].as<std::string>();
    e.magnesium_mg = ReadNumber(row[at + 4]);
    e.value = ReadNumber(row[at + 5]);
    e.intensity = ReadNumber(row[at + 6]);
    e.note = row[at + 7].as<std::string>();
    const int64_t item_count = row[at + 8].as<int64_t>();
    if (!row[at + 9].is_null()) {
      const char* text = row[at + 9].c_str();
      const char* const end = text + row[at + 9].size();
      for (;;) {
        int score = 0;
        const auto parsed = std::from_chars(text, end, score);
        e.irls_items.push_back(score);
        if (parsed.ptr == end || *parsed.ptr != ',') break;
        text = parsed.ptr + 1;
      }
    }
    if (static_cast<int64_t>(e.irls_items.size()) != item_count ||
        (item_count != 0 && item_count != journal::kIrlsItemCount)) {
      return DataError(fmt::format("{}: entry {} has {} IRLS item scores, expected {}", where_,
                                   e.id, e.irls_items.size(), item_count));
    }
    auto measures = journal::ParseMeasures(row[at + 10].as<std::string>());
    if (!measures.ok()) {
      return DataError(
          fmt::format("{}: entry {} is malformed ({})", where_, e.id, measures.error().message));
    }
    e.measures = std::move(*measures);
    return e;
  }

  static journal::TrialRecord TrialFrom(const pqxx::row& row) {
    return {row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>()};
  }

  // True (as SQL) when this is not a session's journal, or its session (parameter $n, the
  // token's hash, or NULL) still exists for this account and has not expired at $n+1 (unix
  // seconds): the test FindSession applies.
  static std::string LiveSessionSql(int n) {
    return fmt::format(
        "(${0}::TEXT IS NULL OR EXISTS (SELECT 1 FROM sessions WHERE token_hash = ${0}::TEXT "
        "AND user_id = $1 AND expires > ${1}::BIGINT))",
        n, n + 1);
  }
  const char* SessionParameter() const { return session_.empty() ? nullptr : session_.c_str(); }
  static int64_t NowUnix() { return static_cast<int64_t>(std::time(nullptr)); }
  static Error SessionEnded() {
    return Error{ErrorCode::kUnauthenticated, "the session has expired or ended; sign in again"};
  }

  // A write's result, after giving the pool its chance to vacuum the counter tables this write
  // updated (Pool::VacuumCountersIfDue).
  template <typename T>
  T Tidied(T result) {
    pool_->VacuumCountersIfDue();
    return result;
  }

  // pool_->Run, after checking the session (kLiveSession) in the same transaction: every change
  // and read of a session's journal, but the two that check it in their own statement.
  template <typename Isolation = pqxx::transaction<>, typename Body>
  auto Run(std::string_view doing, Body&& body) -> decltype(body(std::declval<Isolation&>())) {
    return pool_->Run<Isolation>(doing, [&](Isolation& txn) -> decltype(body(txn)) {
      if (!session_.empty()) {
        static const HotStatement kLiveSession("SELECT 1 WHERE " + LiveSessionSql(2));
        if (pool_->Exec(txn, kLiveSession, user_, session_, NowUnix()).empty()) {
          return SessionEnded();
        }
      }
      return body(txn);
    });
  }

  std::shared_ptr<Pool> pool_;
  const int64_t user_;
  const journal::Clock& clock_;
  const std::string where_;
  const std::string session_;  // The session's token hash; empty: not a session's journal.
};

accounts::Account AccountFrom(const pqxx::row& row) {
  return {row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<int64_t>()};
}

class PgDatabase final : public accounts::Database {
 public:
  explicit PgDatabase(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  Status Migrate() {
    return pool_->Run("migrating the schema", [&](pqxx::transaction_base& txn) -> Status {
      // Transaction-scoped: released by the commit, or by the rollback if anything fails.
      txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
      txn.exec0(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const int64_t current =
          txn.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0].as<int64_t>();
      const auto& migrations = Migrations();
      if (current > static_cast<int64_t>(migrations.size())) {
        return DataError(fmt::format(
            "PostgreSQL at {}: schema version {} is newer than this mgadvisor understands ({}); "
            "upgrade mgadvisor",
            pool_->where(), current, migrations.size()));
      }
      for (size_t v = static_cast<size_t>(current) + 1; v <= migrations.size(); ++v) {
        txn.exec0(migrations[v - 1]);
        txn.exec_params("INSERT INTO schema_migrations (version) VALUES ($1)", static_cast<int>(v));
      }
      return {};
    });
  }

  Result<int64_t> CreateAccount(const std::string& username, const std::string& password_hash,
                                int64_t now_unix) override {
    auto id =
        pool_->Run("creating an account", [&](pqxx::transaction_base& txn) -> Result<int64_t> {
          return txn
              .exec_params1(
                  "INSERT INTO accounts (username, password_hash, created) VALUES ($1, $2, $3) "
                  "RETURNING id",
                  username, password_hash, now_unix)[0]
              .as<int64_t>();
        });
    if (!id.ok() && id.error().code == ErrorCode::kConflict) {
      return Conflict(fmt::format("username '{}' is already taken", username));
    }
    return id;
  }

  Result<std::optional<accounts::Account>> FindAccount(const std::string& username) override {
    return pool_->Run<OneStatement>(
        "finding an account",
        [&](pqxx::transaction_base& txn) -> Result<std::optional<accounts::Account>> {
          auto rows = txn.exec_params(
              "SELECT id, username, password_hash, created FROM accounts WHERE username = $1",
              username);
          if (rows.empty()) return std::optional<accounts::Account>();
          return std::optional<accounts::Account>(AccountFrom(rows[0]));
        });
  }

  Result<std::optional<accounts::Account>> AccountById(int64_t user_id) override {
    return pool_->Run<OneStatement>(
        fmt::format("reading account {}", user_id),
        [&](pqxx::transaction_base& txn) -> Result<std::optional<accounts::Account>> {
          auto rows = txn.exec_params(
              "SELECT id, username, password_hash, created FROM accounts WHERE id = $1", user_id);
          if (rows.empty()) return std::optional<accounts::Account>();
          return std::optional<accounts::Account>(AccountFrom(rows[0]));
        });
  }

  Status DeleteAccount(int64_t user_id) override {
    return pool_->Run(
        fmt::format("deleting account {}", user_id), [&](pqxx::transaction_base& txn) -> Status {
          auto rows =
              txn.exec_params("SELECT username FROM accounts WHERE id = $1 FOR UPDATE", user_id);
          if (rows.empty()) return NotFound(fmt::format("account {} does not exist", user_id));
          const std::string username = rows[0][0].as<std::string>();
          // Explicit rather than trusting the cascades alone, so the order never matters.
          txn.exec_params("DELETE FROM entry_changes WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM undo_positions WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM irls_items WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM entries WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM profile WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM trials WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM sessions WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM calendar_keys WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM password_resets WHERE user_id = $1", user_id);
          txn.exec_params("DELETE FROM journal_shares WHERE user_id = $1 OR clinician_id = $1",
                          user_id);
          // Attempts are keyed by name (there may be no account behind a guessed name).
          txn.exec_params("DELETE FROM rate_limit_attempts WHERE key = $1", "user:" + username);
          txn.exec_params("DELETE FROM accounts WHERE id = $1", user_id);
          return {};
        });
  }

  Status AddSession(const accounts::Session& session) override {
    return pool_->Run(fmt::format("adding a session for account {}", session.user_id),
                      [&](pqxx::transaction_base& txn) -> Status {
                        MG_RETURN_IF_ERROR(LockAccount(txn, session.user_id));
                        txn.exec_params(
                            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires) "
                            "VALUES ($1, $2, $3, $4)",
                            session.token_hash, session.user_id, session.csrf_token,
                            session.expires_unix);
                        return {};
                      });
  }

  Result<std::optional<accounts::Session>> FindSession(const std::string& token_hash,
                                                       int64_t now_unix) override {
    // Looked up by the token's hash (the only key a request has); the row names its account.
    return pool_->Run<OneStatement>(
        "finding a session",
        [&](pqxx::transaction_base& txn) -> Result<std::optional<accounts::Session>> {
          static const HotStatement kFindSession(
              "SELECT token_hash, user_id, csrf_token, expires FROM sessions "
              "WHERE token_hash = $1 AND expires > $2");
          auto rows = pool_->Exec(txn, kFindSession, token_hash, now_unix);
          if (rows.empty()) return std::optional<accounts::Session>();
          return std::optional<accounts::Session>(
              accounts::Session{rows[0][0].as<std::string>(), rows[0][1].as<int64_t>(),
                                rows[0][2].as<std::string>(), rows[0][3].as<int64_t>()});
        });
  }

  Status DeleteSession(const std::string& token_hash) override {
    return pool_->Run("deleting a session", [&](pqxx::transaction_base& txn) -> Status {
      txn.exec_params("DELETE FROM sessions WHERE token_hash = $1", token_hash);
      return {};
    });
  }

  Status SetCalendarKey(int64_t user_id, const std::string& key_hash) override {
    return pool_->Run(fmt::format("setting the calendar key of account {}", user_id),
                      [&](pqxx::transaction_base& txn) -> Status {
                        MG_RETURN_IF_ERROR(LockAccount(txn, user_id));
                        txn.exec_params(
                            "INSERT INTO calendar_keys (user_id, key_hash) VALUES ($1, $2) "
                            "ON CONFLICT (user_id) DO UPDATE SET key_hash = EXCLUDED.key_hash",
                            user_id, key_hash);
                        return {};
                      });
  }

  Status DeleteCalendarKey(int64_t user_id) override {
    return pool_->Run(fmt::format("revoking the calendar key of account {}", user_id),
                      [&](pqxx::transaction_base& txn) -> Status {
                        txn.exec_params("DELETE FROM calendar_keys WHERE user_id = $1", user_id);
                        txn.exec_params("DELETE FROM password_resets WHERE user_id = $1", user_id);
                        txn.exec_params(
                            "DELETE FROM journal_shares WHERE user_id = $1 OR clinician_id = $1",
                            user_id);
                        return {};
                      });
  }

  Result<std::optional<int64_t>> FindCalendarKey(const std::string& key_hash) override {
    return pool_->Run<OneStatement>(
        "finding a calendar key",
        [&](pqxx::transaction_base& txn) -> Result<std::optional<int64_t>> {
          auto rows =
              txn.exec_params("SELECT user_id FROM calendar_keys WHERE key_hash = $1", key_hash);
          if (rows.empty()) return std::optional<int64_t>();
          return std::optional<int64_t>(rows[0][0].as<int64_t>());
        });
  }

  Result<std::optional<std::vector<int64_t>>> TakeAttempt(
      const std::vector<accounts::RateLimit>& limits, int64_t now_unix) override {
    using Taken = std::optional<std::vector<int64_t>>;
    return pool_->Run("counting an attempt", [&](pqxx::transaction_base& txn) -> Result<Taken> {
      // One lock per key, taken in key order so two requests sharing keys cannot deadlock, and
      // held to the end of the transaction: the next request for a key counts only after this
      // one's attempt is committed (READ COMMITTED: each statement sees what committed before).
      std::vector<std::string> keys;
      for (const auto& limit : limits) keys.push_back(limit.key);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const std::string& key : keys) {
        txn.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kRateLimitLockSpace, key);
      }
      for (const auto& limit : limits) {
        txn.exec_params("DELETE FROM rate_limit_attempts WHERE key = $1 AND at < $2", limit.key,
                        limit.since_unix);
        if (CountAttemptsIn(txn, limit.key, limit.since_unix) >= limit.max_attempts) {
          return Taken();  // Commits the pruning only.
        }
      }
      std::vector<int64_t> ids;
      for (const auto& limit : limits) {
        ids.push_back(txn.exec_params1("INSERT INTO rate_limit_attempts (key, at) VALUES ($1, $2) "
                                       "RETURNING id",
                                       limit.key, now_unix)[0]
                          .as<int64_t>());
      }
      return Taken(std::move(ids));
    });
  }

  Result<int> CountAttempts(const std::string& key, int64_t since_unix) override {
    return pool_->Run<ReadTxn>("counting attempts", [&](pqxx::transaction_base& txn) {
      return Result<int>(CountAttemptsIn(txn, key, since_unix));
    });
  }

  Status ReturnAttempts(const std::vector<int64_t>& attempt_ids) override {
    return pool_->Run("returning attempts", [&](pqxx::transaction_base& txn) -> Status {
      for (int64_t id : attempt_ids) {
        txn.exec_params("DELETE FROM rate_limit_attempts WHERE id = $1", id);
      }
      return {};
    });
  }

  Status ClearAttempts(const std::string& key) override {
    return pool_->Run("clearing attempts", [&](pqxx::transaction_base& txn) -> Status {
      txn.exec_params("DELETE FROM rate_limit_attempts WHERE key = $1", key);
      return {};
    });
  }

  Result<int> PurgeExpired(int64_t now_unix, int64_t attempts_before_unix, int max_rows) override {
    return pool_->Run("purging expired rows", [&](pqxx::transaction_base& txn) -> Result<int> {
      // LIMIT in a subquery bounds the work; the indexes on expires and at find the rows.
      const auto sessions = txn.exec_params(
          "DELETE FROM sessions WHERE token_hash IN "
          "(SELECT token_hash FROM sessions WHERE expires <= $1 LIMIT $2)",
          now_unix, max_rows);
      const auto attempts = txn.exec_params(
          "DELETE FROM rate_limit_attempts WHERE id IN "
          "(SELECT id FROM rate_limit_attempts WHERE at < $1 LIMIT $2)",
          attempts_before_unix, max_rows);
      const auto invitations = txn.exec_params(
          "DELETE FROM invitations WHERE code_hash IN "
          "(SELECT code_hash FROM invitations WHERE expires <= $1 LIMIT $2)",
          now_unix, max_rows);
      const auto resets = txn.exec_params(
          "DELETE FROM password_resets WHERE token_hash IN "
          "(SELECT token_hash FROM password_resets WHERE expires <= $1 LIMIT $2)",
          now_unix, max_rows);
      return static_cast<int>(sessions.affected_rows() + attempts.affected_rows() +
                              invitations.affected_rows() + resets.affected_rows());
    });
  }

  Status AddInvitation(const std::string& code_hash, int64_t created_unix,
                       int64_t expires_unix) override {
    return pool_->Run("adding an invitation", [&](pqxx::transaction_base& txn) -> Status {
      txn.exec_params("INSERT INTO invitations (code_hash, created, expires) VALUES ($1, $2, $3)",
                      code_hash, created_unix, expires_unix);
      return {};
    });
  }

  Result<int64_t> CreateInvitedAccount(const std::string& username,
                                       const std::string& password_hash, int64_t now_unix,
                                       const std::string& code_hash) override {
    auto id = pool_->Run(
        "creating an invited account", [&](pqxx::transaction_base& txn) -> Result<int64_t> {
          // The DELETE takes the row's lock: two sign-ups with one code cannot both use it.
          if (txn.exec_params("DELETE FROM invitations WHERE code_hash = $1 AND expires > $2",
                              code_hash, now_unix)
                  .affected_rows() == 0) {
            return Error{ErrorCode::kForbidden,
                         "invitation: not a valid invitation code (unknown, already used or "
                         "expired); ask the server's operator for a new one"};
          }
          // A taken name throws here and rolls the DELETE back with it.
          return txn
              .exec_params1(
                  "INSERT INTO accounts (username, password_hash, created) VALUES ($1, $2, $3) "
                  "RETURNING id",
                  username, password_hash, now_unix)[0]
              .as<int64_t>();
        });
    if (!id.ok() && id.error().code == ErrorCode::kConflict) {
      return Conflict(fmt::format("username '{}' is already taken", username));
    }
    return id;
  }

  Status AddPasswordReset(int64_t user_id, const std::string& token_hash,
                          int64_t expires_unix) override {
    return pool_->Run(fmt::format("adding a password reset for account {}", user_id),
                      [&](pqxx::transaction_base& txn) -> Status {
                        MG_RETURN_IF_ERROR(LockAccount(txn, user_id));
                        txn.exec_params(
                            "INSERT INTO password_resets (user_id, token_hash, expires) "
                            "VALUES ($1, $2, $3)",
                            user_id, token_hash, expires_unix);
                        return {};
                      });
  }

  Result<std::optional<int64_t>> FindPasswordReset(const std::string& token_hash,
                                                   int64_t now_unix) override {
    return pool_->Run<ReadTxn>(
        "finding a password reset",
        [&](pqxx::transaction_base& txn) -> Result<std::optional<int64_t>> {
          auto rows = txn.exec_params(
              "SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires > $2",
              token_hash, now_unix);
          if (rows.empty()) return std::optional<int64_t>();
          return std::optional<int64_t>(rows[0][0].as<int64_t>());
        });
  }

  Result<int64_t> ResetPassword(const std::string& token_hash, const std::string& password_hash,
                                int64_t now_unix) override {
    return pool_->Run("resetting a password", [&](pqxx::transaction_base& txn) -> Result<int64_t> {
      auto used = txn.exec_params(
          "DELETE FROM password_resets WHERE token_hash = $1 AND expires > $2 "
          "RETURNING user_id",
          token_hash, now_unix);
      if (used.empty()) {
        return Error{ErrorCode::kForbidden,
                     "token: not a valid password-reset link (unknown, already used or "
                     "expired); ask the server's operator for a new one"};
      }
      const int64_t user_id = used[0][0].as<int64_t>();
      MG_RETURN_IF_ERROR(LockAccount(txn, user_id));
      txn.exec_params("UPDATE accounts SET password_hash = $2 WHERE id = $1", user_id,
                      password_hash);
      // Whoever knew the old password may hold a session: every one of them ends here.
      txn.exec_params("DELETE FROM sessions WHERE user_id = $1", user_id);
      txn.exec_params("DELETE FROM password_resets WHERE user_id = $1", user_id);
      return user_id;
    });
  }

  Status AddShare(int64_t owner_id, const std::string& clinician_username,
                  int64_t now_unix) override {
    return pool_->Run(
        fmt::format("sharing the journal of account {}", owner_id),
        [&](pqxx::transaction_base& txn) -> Status {
          MG_RETURN_IF_ERROR(LockAccount(txn, owner_id));
          auto rows =
              txn.exec_params("SELECT id FROM accounts WHERE username = $1", clinician_username);
          if (rows.empty()) {
            return NotFound(fmt::format("clinician: no account is named '{}'", clinician_username));
          }
          const int64_t clinician_id = rows[0][0].as<int64_t>();
          if (clinician_id == owner_id) {
            return InvalidArgument("clinician: that is your own account");
          }
          txn.exec_params(
              "INSERT INTO journal_shares (user_id, clinician_id, created) VALUES ($1, $2, $3) "
              "ON CONFLICT (user_id, clinician_id) DO NOTHING",
              owner_id, clinician_id, now_unix);
          return {};
        });
  }

  Status DeleteShare(int64_t owner_id, const std::string& clinician_username) override {
    return pool_->Run(
        fmt::format("revoking a share of account {}", owner_id),
        [&](pqxx::transaction_base& txn) -> Status {
          auto done = txn.exec_params(
              "DELETE FROM journal_shares WHERE user_id = $1 AND clinician_id = "
              "(SELECT id FROM accounts WHERE username = $2)",
              owner_id, clinician_username);
          if (done.affected_rows() == 0) {
            return NotFound(
                fmt::format("clinician: your journal is not shared with '{}'", clinician_username));
          }
          return {};
        });
  }

  Result<accounts::Shares> ListShares(int64_t user_id) override {
    return pool_->Run<ReadTxn>(
        fmt::format("listing the shares of account {}", user_id),
        [&](pqxx::transaction_base& txn) -> Result<accounts::Shares> {
          accounts::Shares out;
          for (const auto& row :
               txn.exec_params("SELECT a.username FROM journal_shares s JOIN accounts a "
                               "ON a.id = s.clinician_id WHERE s.user_id = $1 ORDER BY a.username",
                               user_id)) {
            out.granted.push_back(row[0].as<std::string>());
          }
          for (const auto& row :
               txn.exec_params("SELECT a.username FROM journal_shares s JOIN accounts a "
                               "ON a.id = s.user_id WHERE s.clinician_id = $1 ORDER BY a.username",
                               user_id)) {
            out.received.push_back(row[0].as<std::string>());
          }
          return out;
        });
  }

  Result<std::optional<int64_t>> SharedJournalOwner(int64_t clinician_id,
                                                    const std::string& owner_username) override {
    return pool_->Run<ReadTxn>(
        "finding a shared journal",
        [&](pqxx::transaction_base& txn) -> Result<std::optional<int64_t>> {
          auto rows = txn.exec_params(
              "SELECT s.user_id FROM journal_shares s JOIN accounts a ON a.id = s.user_id "
              "WHERE a.username = $1 AND s.clinician_id = $2",
              owner_username, clinician_id);
          if (rows.empty()) return std::optional<int64_t>();
          return std::optional<int64_t>(rows[0][0].as<int64_t>());
        });
  }

  Result<std::unique_ptr<journal::Store>> OpenJournal(int64_t user_id,
                                                      const journal::Clock& clock) override {
    auto account = AccountById(user_id);
    if (!account.ok()) return account.error();
    if (!account->has_value()) return NotFound(fmt::format("account {} does not exist", user_id));
    return std::unique_ptr<journal::Store>(std::make_unique<PgJournal>(pool_, user_id, clock));
  }

  Result<std::unique_ptr<journal::Store>> OpenSessionJournal(const accounts::Session& session,
                                                             const journal::Clock& clock) override {
    return std::unique_ptr<journal::Store>(
        std::make_unique<PgJournal>(pool_, session.user_id, clock, session.token_hash));
  }
  bool SessionJournalsCheckTheSession() const override { return true; }

  Status Ping() override {
    return pool_->Run<OneStatement>("checking the connection", [](pqxx::transaction_base& txn) {
      txn.exec1("SELECT 1");
      return Status{};
    });
  }

  std::optional<accounts::PoolUse> ConnectionUse() const override { return pool_->Use(); }

 private:
  static int CountAttemptsIn(pqxx::transaction_base& txn, const std::string& key,
                             int64_t since_unix) {
    return txn
        .exec_params1("SELECT COUNT(*) FROM rate_limit_attempts WHERE key = $1 AND at >= $2", key,
                      since_unix)[0]
        .as<int>();
  }

  std::shared_ptr<Pool> pool_;
};

}  // namespace

int PgSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<std::shared_ptr<accounts::Database>> OpenPostgres(const std::string& url,
                                                         const PgOptions& options) {
  if (!IsPostgresUrl(url)) {
    return InvalidArgument(fmt::format(
        "database URL '{}': expected postgresql://user@host:port/dbname", RedactUrl(url)));
  }
  if (options.pool_size < 1) {
    return InvalidArgument(
        fmt::format("pool size: {} is not a positive number of connections", options.pool_size));
  }
  try {
    auto db = std::make_shared<PgDatabase>(std::make_shared<Pool>(url, options.pool_size));
    MG_RETURN_IF_ERROR(db->Migrate());
    return std::shared_ptr<accounts::Database>(std::move(db));
  } catch (const std::exception& e) {
    return IoError(fmt::format("opening PostgreSQL at {}: {}", RedactUrl(url), OneLine(e.what())));
  }
}

}  // namespace mg::pgstore
