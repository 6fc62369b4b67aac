// The SQLite backend: runs the Store contract, plus what only SQLite has (WAL, migrations).
#include "journal/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "journal/sqlite_connection.h"
#include "journal/store_contract_test.h"
#include "journal/test_entries.h"

namespace mg::journal {
namespace {

std::filesystem::path ScratchDir() {
  static const std::filesystem::path dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("mg_journal_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

StoreFactory SqliteFactory() {
  return {"Sqlite",
          [](const std::string& key, const Clock& clock) {
            return OpenSqliteStore((ScratchDir() / (key + ".db")).string(), clock);
          },
          [] {
            std::filesystem::remove_all(ScratchDir());
            std::filesystem::create_directories(ScratchDir());
          }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, testing::Values(SqliteFactory()),
                         StoreFactoryName);

class SqliteStoreTest : public testing::Test {
 protected:
  void SetUp() override { SqliteFactory().reset(); }
  void TearDown() override { std::filesystem::remove_all(ScratchDir()); }
  std::string Path(const std::string& name) { return (ScratchDir() / name).string(); }
  FixedClock clock_{Day(2026, 11, 23)};
};

std::string QueryText(const std::string& path, const char* sql) {
  auto db = OpenSqliteFile(path);
  if (!db.ok()) return db.error().message;
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db->get(), sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST_F(SqliteStoreTest, CreatesParentDirectoriesAndUsesWal) {
  const std::string path = Path("deep/er/journal.db");
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(path, "SELECT MAX(version) FROM schema_migrations"),
            std::to_string(SqliteSchemaVersion()));
}

// Regression (found by the http_body fuzz target after the single open path landed): ":memory:"
// is SQLite's in-memory database, which cannot switch to WAL; it must open, work and leave no
// file named ":memory:" behind in the working directory.
TEST_F(SqliteStoreTest, InMemoryJournalOpensWithoutAFile) {
  const bool existed = std::filesystem::exists(":memory:");
  auto store = OpenSqliteStore(":memory:", clock_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto added = (*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kNote, {.note = "in memory"}));
  ASSERT_TRUE(added.ok()) << added.error().message;
  if (!existed) {
    EXPECT_FALSE(std::filesystem::exists(":memory:"));
  }
}

TEST_F(SqliteStoreTest, ForeignKeysProtectIrlsItems) {
  const std::string path = Path("fk.db");
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
  }
  auto db = OpenSqliteFile(path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_NE(sqlite3_exec(db->get(), "INSERT INTO irls_items VALUES (999, 1, 2)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
}

TEST_F(SqliteStoreTest, DeleteCascadesToIrlsItems) {
  const std::string path = Path("cascade.db");
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_TRUE(store.ok());
  auto id = (*store)->Add(OneOfEachKind()[3]);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "10");
  ASSERT_TRUE((*store)->Delete(*id).ok());
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "0");
}

// A List of the whole journal reads the IRLS item scores in one pass over their table, a List of
// some days by entry (issue 20): both give each entry its scores in item order, whatever order the
// rows are stored in and whatever order the ids are in, and both refuse an entry missing a score
// with the same message.
TEST_F(SqliteStoreTest, ItemScoresReadTheSameForTheWholeJournalAsForADay) {
  const std::string path = Path("items.db");
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::vector<int> later = {4, 3, 2, 1, 0, 0, 1, 2, 3, 4},
                         earlier = {0, 1, 2, 3, 4, 4, 3, 2, 1, 0};
  // The later day first: ids and dates in opposite orders.
  auto later_id = (*store)->Add(
      MakeEntry(Day(2026, 11, 20), EntryKind::kIrls, {.value = 20, .irls_items = later}));
  auto earlier_id = (*store)->Add(
      MakeEntry(Day(2026, 11, 10), EntryKind::kIrls, {.value = 20, .irls_items = earlier}));
  ASSERT_TRUE(later_id.ok() && earlier_id.ok());
  ASSERT_TRUE((*store)->Add(MakeEntry(Day(2026, 11, 10), EntryKind::kPain, {.value = 3})).ok());
  {
    // The rows stored in reverse: rowid order is no longer item order.
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_EQ(sqlite3_exec(db->get(),
                           "CREATE TEMP TABLE kept AS SELECT * FROM irls_items; "
                           "DELETE FROM irls_items; INSERT INTO irls_items SELECT * FROM kept "
                           "ORDER BY entry_id DESC, item DESC;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db->get());
  }
  auto all = (*store)->List({});
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, *earlier_id);
  EXPECT_EQ((*all)[0].irls_items, earlier);
  EXPECT_TRUE((*all)[1].irls_items.empty());
  EXPECT_EQ((*all)[2].id, *later_id);
  EXPECT_EQ((*all)[2].irls_items, later);
  for (const Entry& e : *all) {
    auto day = (*store)->List({e.date, e.date});
    ASSERT_TRUE(day.ok()) << day.error().message;
    bool found = false;
    for (const Entry& d : *day) {
      if (d.id == e.id) {
        EXPECT_EQ(d, e);
        found = true;
      }
    }
    EXPECT_TRUE(found) << e.id;
  }
  {
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    const std::string sql =
        "DELETE FROM irls_items WHERE item = 4 AND entry_id = " + std::to_string(*later_id);
    ASSERT_EQ(sqlite3_exec(db->get(), sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }
  const std::string expected =
      path + ": entry " + std::to_string(*later_id) + " has 9 IRLS item scores, expected 10";
  auto whole = (*store)->List({});
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().message, expected);
  auto one_day = (*store)->List({Day(2026, 11, 20), Day(2026, 11, 20)});
  ASSERT_FALSE(one_day.ok());
  EXPECT_EQ(one_day.error().message, expected);
}

// Migration 3 rebuilds the entries table to admit 'sleep-minutes' (SQLite cannot change a CHECK
// in place); the IRLS item scores, which cascade from entries, must survive it. Run again on a
// journal that has data by forgetting that it was applied.
TEST_F(SqliteStoreTest, TheSleepMinutesMigrationKeepsEntriesAndIrlsItems) {
  const std::string path = Path("migrate.db");
  std::vector<Entry> before;
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
    before = AddAll(**store, {OneOfEachKind()[3], OneOfEachKind()[0]});
  }
  {
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_EQ(sqlite3_exec(db->get(), "DELETE FROM schema_migrations WHERE version = 3", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
  }
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "10");
  auto listed = (*store)->List({});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, (std::vector<Entry>{before[1], before[0]}));  // By date: the food first.
  // The new kind is accepted (OneOfEachKind()[8] is a sleep-minutes entry).
  EXPECT_TRUE((*store)->Add(OneOfEachKind()[8]).ok());
  // The cascade still holds on the rebuilt tables.
  ASSERT_TRUE((*store)->Delete(before[0].id).ok());
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "0");
}

// Migration 5 rebuilds entries again (for the kinds migraine and stress): run it once more on a
// journal that holds IRLS items and measures, as a journal of schema 4 would.
TEST_F(SqliteStoreTest, TheMigraineMigrationKeepsEntriesMeasuresAndIrlsItems) {
  const std::string path = Path("migrate5.db");
  std::vector<Entry> before;
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
    Entry cramps = MakeEntry(Day(2026, 11, 3), EntryKind::kCramps, {.value = 2, .intensity = 6});
    cramps.measures = {{"minutes", 7.5}, {"sleep_disturbance", 4}};
    before = AddAll(**store, {OneOfEachKind()[3], cramps});
  }
  {
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_EQ(sqlite3_exec(db->get(), "DELETE FROM schema_migrations WHERE version = 5", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
  }
  EXPECT_EQ(QueryText(path, "SELECT MAX(version) FROM schema_migrations"), "4");
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(QueryText(path, "SELECT MAX(version) FROM schema_migrations"), "5");
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "10");
  auto listed = (*store)->List({});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, before);
  EXPECT_TRUE((*store)->Add(MigraineAttack()).ok());
  EXPECT_TRUE((*store)->Add(MakeEntry(Day(2026, 11, 7), EntryKind::kStress, {.value = 3})).ok());
  // The CHECK still refuses a kind the program does not know, and the cascade still holds.
  {
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    const int rc = sqlite3_exec(
        db->get(), "INSERT INTO entries (date, kind, value) VALUES ('2026-11-07', 'mood', 3)",
        nullptr, nullptr, nullptr);
    // The connection reports extended codes (SQLITE_CONSTRAINT_CHECK); the low byte is the class.
    EXPECT_EQ(rc & 0xff, SQLITE_CONSTRAINT);
  }
  ASSERT_TRUE((*store)->Delete(before[0].id).ok());
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM irls_items"), "0");
}

TEST_F(SqliteStoreTest, RefusesASchemaFromTheFuture) {
  const std::string path = Path("future.db");
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
  }
  {
    auto db = OpenSqliteFile(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_EQ(sqlite3_exec(db->get(), "INSERT INTO schema_migrations (version) VALUES (999)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  auto store = OpenSqliteStore(path, clock_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kDataError);
  EXPECT_NE(store.error().message.find("schema version 999 is newer"), std::string::npos)
      << store.error().message;
}

TEST_F(SqliteStoreTest, ReopeningDoesNotReapplyMigrations) {
  const std::string path = Path("again.db");
  for (int i = 0; i < 3; ++i) {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(SqliteSchemaVersion()));
}

TEST_F(SqliteStoreTest, UnopenablePathIsAnIoError) {
  auto store = OpenSqliteStore("/proc/definitely/not/here.db", clock_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kIoError);
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// Issue 11: the journal was created 0644 in a 0755 folder. Whatever the umask allows, a new
// journal (and its WAL files) is readable by its owner only, and folders made for it too.
TEST_F(SqliteStoreTest, NewJournalAndItsFoldersArePrivate) {
  const mode_t old_umask = ::umask(022);
  const std::string path = Path("new/folder/journal.db");
  auto store = OpenSqliteStore(path, clock_);
  ::umask(old_umask);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->Add(OneOfEachKind()[0]).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(path + "-wal"), 0600u);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600u);
  EXPECT_EQ(ModeOf(Path("new/folder")), 0700u);
  EXPECT_EQ(ModeOf(Path("new")), 0700u);
}

// Another program holds `path` locked for `hold` (an exclusive lock taken with SQLite's own
// calls, as a second mgadvisor mid-commit or a sqlite3 shell would), then lets go.
class LockHolder {
 public:
  LockHolder(const std::string& path, const char* setup, std::chrono::milliseconds hold) {
    sqlite3_open(path.c_str(), &db_);
    EXPECT_EQ(sqlite3_exec(db_, setup, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    thread_ = std::thread([this, hold] {
      std::this_thread::sleep_for(hold);
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
      sqlite3_close(db_);
    });
  }
  ~LockHolder() { thread_.join(); }

 private:
  sqlite3* db_ = nullptr;
  std::thread thread_;
};

// Issue 11 finding 3: `PRAGMA journal_mode=WAL` ran before the busy timeout was set, so opening a
// journal that another connection held locked failed at once with "database is locked".
TEST_F(SqliteStoreTest, OpeningWaitsWhileAnotherConnectionHoldsALock) {
  // A journal still in rollback mode, mid-write in another program: switching to WAL must wait.
  const std::string fresh = Path("rollback.db");
  {
    LockHolder holder(fresh,
                      "PRAGMA journal_mode=DELETE; CREATE TABLE t (x); BEGIN EXCLUSIVE; "
                      "INSERT INTO t VALUES (1);",
                      std::chrono::milliseconds(300));
    auto store = OpenSqliteStore(fresh, clock_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_TRUE((*store)->Add(OneOfEachKind()[0]).ok());
  }
  EXPECT_EQ(QueryText(fresh, "PRAGMA journal_mode"), "wal");

  // A WAL journal whose other user holds the file exclusively (locking_mode=EXCLUSIVE).
  const std::string wal = Path("wal.db");
  ASSERT_TRUE(OpenSqliteStore(wal, clock_).ok());
  {
    LockHolder holder(wal,
                      "PRAGMA locking_mode=EXCLUSIVE; BEGIN IMMEDIATE; "
                      "INSERT INTO entries (date, kind) VALUES ('2026-11-01', 'note');",
                      std::chrono::milliseconds(300));
    auto store = OpenSqliteStore(wal, clock_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto added = (*store)->Add(OneOfEachKind()[0]);
    ASSERT_TRUE(added.ok()) << added.error().message;
  }
  EXPECT_EQ(QueryText(wal, "SELECT COUNT(*) FROM entries"), "2");
}

// Writers on separate connections (separate opens, as the CLI and the server do) never see
// SQLITE_BUSY: every write takes the lock with BEGIN IMMEDIATE and waits for it.
TEST_F(SqliteStoreTest, ConcurrentWritersOnSeparateConnectionsAllSucceed) {
  const std::string path = Path("shared.db");
  constexpr int kWriters = 4;
  constexpr int kWrites = 20;
  std::atomic<int> failures{0};
  std::vector<std::string> messages(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWrites; ++i) {
        auto store = OpenSqliteStore(path, clock_);  // A fresh connection, like a request.
        Status st = store.ok() ? Status() : Status(store.error());
        if (st.ok()) {
          auto id = (*store)->Add(OneOfEachKind()[i % OneOfEachKind().size()]);
          if (!id.ok()) st = id.error();
        }
        if (st.ok()) {
          auto listed = (*store)->List({});
          if (!listed.ok()) st = listed.error();
        }
        if (!st.ok()) {
          ++failures;
          messages[w] = st.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << messages[0] << messages[1] << messages[2] << messages[3];
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM entries"), std::to_string(kWriters * kWrites));
}

}  // namespace
}  // namespace mg::journal
