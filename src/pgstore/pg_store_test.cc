// The PostgreSQL backend on a real server (MGADVISOR_TEST_PG_URL; see pg_test_support.h): the
// journal Store contract with one fresh account per journal, the accounts::Database contract,
// and what only PostgreSQL has (migrations under a lock, the connection pool, URLs).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "accounts/database_contract_test.h"
#include "journal/store_contract_test.h"
#include "journal/test_entries.h"
#include "pgstore/pg_database.h"
#include "pgstore/pg_test_support.h"

namespace mg::pgstore {
namespace {

void RequirePostgres() { MG_REQUIRE_POSTGRES(); }

// True when the current test may go on (PostgreSQL is there and nothing failed setting it up).
bool PostgresReady() {
  RequirePostgres();
  return !testing::Test::IsSkipped() && !testing::Test::HasFatalFailure();
}

// One fresh database per test, shared by the factories below; dropped by the environment.
struct Backend {
  TestDatabase database;
  std::shared_ptr<accounts::Database> db;
  std::map<std::string, int64_t> accounts;  // Store key -> account.
};
std::unique_ptr<Backend>& CurrentBackend() {
  static std::unique_ptr<Backend> backend;
  return backend;
}

class DropDatabases : public testing::Environment {
 public:
  void TearDown() override { CurrentBackend().reset(); }
};
[[maybe_unused]] testing::Environment* const kDropDatabases =
    testing::AddGlobalTestEnvironment(new DropDatabases);

Result<std::shared_ptr<accounts::Database>> FreshBackend() {
  CurrentBackend().reset();
  if (!PostgresReady()) return IoError("PostgreSQL is not available");
  auto backend = std::make_unique<Backend>();
  if (!backend->database.ok()) return IoError("could not create a test database");
  auto db = OpenPostgres(backend->database.url());
  if (!db.ok()) return db.error();
  backend->db = *db;
  CurrentBackend() = std::move(backend);
  return *db;
}

journal::StoreFactory PostgresStoreFactory() {
  return {"Postgres",
          [](const std::string& key,
             const journal::Clock& clock) -> Result<std::unique_ptr<journal::Store>> {
            Backend* backend = CurrentBackend().get();
            if (backend == nullptr) return IoError("no PostgreSQL test database");
            auto [it, fresh] = backend->accounts.emplace(key, 0);
            if (fresh) {
              auto id = backend->db->CreateAccount("store-" + key, "h", 1);
              if (!id.ok()) return id.error();
              it->second = *id;
            }
            return backend->db->OpenJournal(it->second, clock);
          },
          [] {
            auto db = FreshBackend();
            if (!db.ok() && !testing::Test::IsSkipped()) FAIL() << db.error().message;
          }};
}

accounts::DatabaseFactory PostgresDatabaseFactory() {
  return {"Postgres", [] { return FreshBackend(); }};
}

}  // namespace
}  // namespace mg::pgstore

namespace mg::journal {
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         testing::Values(pgstore::PostgresStoreFactory()), StoreFactoryName);
}  // namespace mg::journal

namespace mg::accounts {
INSTANTIATE_TEST_SUITE_P(Postgres, DatabaseContractTest,
                         testing::Values(pgstore::PostgresDatabaseFactory()), DatabaseFactoryName);
}  // namespace mg::accounts

namespace mg::pgstore {
namespace {

using journal::Day;
using journal::EntryKind;
using journal::MakeEntry;

class PgDatabaseTest : public testing::Test {
 protected:
  void SetUp() override {
    RequirePostgres();
    if (IsSkipped() || HasFatalFailure()) return;
    database_ = std::make_unique<TestDatabase>();
    ASSERT_TRUE(database_->ok());
  }

  // Runs one SQL statement on the test database, outside the code under test.
  pqxx::result Sql(const std::string& sql) {
    pqxx::connection conn(database_->url());
    pqxx::nontransaction txn(conn);
    return txn.exec(sql);
  }
  int64_t AppliedVersions() {
    return Sql("SELECT COUNT(*) FROM schema_migrations")[0][0].as<int64_t>();
  }

  std::unique_ptr<TestDatabase> database_;
  journal::FixedClock clock_{Day(2026, 11, 23)};
};

TEST_F(PgDatabaseTest, OpeningTwiceMigratesOnce) {
  auto first = OpenPostgres(database_->url());
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto id = (*first)->CreateAccount("anna", "h", 1);
  ASSERT_TRUE(id.ok());
  auto second = OpenPostgres(database_->url());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(AppliedVersions(), PgSchemaVersion());
  auto found = (*second)->FindAccount("anna");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, *id);
}

TEST_F(PgDatabaseTest, ServersStartingTogetherDoNotRace) {
  constexpr int kServers = 4;
  std::vector<std::string> errors(kServers);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kServers; ++i) {
      threads.emplace_back([&, i] {
        auto db = OpenPostgres(database_->url());
        if (!db.ok()) errors[i] = db.error().message;
      });
    }
  }
  for (int i = 0; i < kServers; ++i) EXPECT_EQ(errors[i], "") << "server " << i;
  EXPECT_EQ(AppliedVersions(), PgSchemaVersion());
}

TEST_F(PgDatabaseTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(OpenPostgres(database_->url()).ok());
  Sql(fmt::format("INSERT INTO schema_migrations (version) VALUES ({})", PgSchemaVersion() + 1));
  auto db = OpenPostgres(database_->url());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kDataError);
  EXPECT_NE(db.error().message.find("newer than this mgadvisor"), std::string::npos)
      << db.error().message;
}

TEST_F(PgDatabaseTest, SchemaRefusesMalformedRowsLikeSqlite) {
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->CreateAccount("anna", "h", 1).ok());
  const char* bad_rows[] = {
      "INSERT INTO entries (user_id, id, date, kind) VALUES (1, 1, '2026-1-1', 'pain')",
      "INSERT INTO entries (user_id, id, date, kind) VALUES (1, 1, '2026-11-01', 'mood')",
      ("INSERT INTO entries (user_id, id, date, kind, irls_item_count) "
       "VALUES (1, 1, '2026-11-01', 'irls', 3)"),
      "INSERT INTO entries (user_id, id, date, kind) VALUES (2, 1, '2026-11-01', 'pain')",
  };
  for (const char* sql : bad_rows) EXPECT_ANY_THROW(Sql(sql)) << sql;
  Sql("INSERT INTO entries (user_id, id, date, kind) VALUES (1, 1, '2026-11-01', 'irls')");
  EXPECT_ANY_THROW(
      Sql("INSERT INTO irls_items (user_id, entry_id, item, score) VALUES (1, 1, 1, 5)"));
  EXPECT_ANY_THROW(
      Sql("INSERT INTO irls_items (user_id, entry_id, item, score) VALUES (1, 1, 11, 0)"));
}

TEST_F(PgDatabaseTest, OneConnectionServesManyThreads) {
  auto db = OpenPostgres(database_->url(), {.pool_size = 1});
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto id = (*db)->CreateAccount("anna", "h", 1);
  ASSERT_TRUE(id.ok());
  constexpr int kThreads = 4, kEach = 10;
  std::vector<int> failures(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto store = (*db)->OpenJournal(*id, clock_);
        if (!store.ok()) {
          failures[t] = kEach;
          return;
        }
        for (int i = 0; i < kEach; ++i) {
          if (!(*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 1})).ok()) {
            ++failures[t];
          }
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  auto store = (*db)->OpenJournal(*id, clock_);
  ASSERT_TRUE(store.ok());
  auto listed = (*store)->List({});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), static_cast<size_t>(kThreads * kEach));
}

TEST_F(PgDatabaseTest, ADroppedConnectionIsReplaced) {
  auto db = OpenPostgres(database_->url(), {.pool_size = 2});
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE((*db)->CreateAccount("anna", "h", 1).ok());
  // What a server restart or an idle timeout does to the pooled connections.
  auto killed =
      Sql(fmt::format("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = '{}' AND pid <> pg_backend_pid()",
                      database_->name()));
  ASSERT_GE(killed.size(), 1u);
  auto found = (*db)->FindAccount("anna");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_TRUE(found->has_value());
}

// Tables that hold nothing of one person's, so they need no account key. Everything else the
// migrations create is personal data and must be keyed by the account.
const std::map<std::string, std::string>& TablesWithoutAnAccountKey() {
  static const std::map<std::string, std::string> tables = {
      {"accounts", "the account itself: its id is the key the others carry"},
      {"schema_migrations", "the schema's version"},
      {"rate_limit_attempts",
       "keyed by a name or address that may have no account; kept for an hour at most"},
      {"invitations", "an unused code names nobody; it becomes an account when used"},
  };
  return tables;
}

// Every table of the schema, read from the catalog, that is not keyed by account id: a column
// user_id, NOT NULL, referencing accounts (id) ON DELETE CASCADE, leading an index (so a
// per-account query never scans everyone, and user_id can be the distribution key when the data
// is spread over several machines). Every other reference to accounts must cascade too, so
// deleting an account leaves nothing of it. Returns one line per problem.
std::vector<std::string> TablesNotKeyedByAccount(pqxx::connection& conn, int& tables_checked) {
  pqxx::nontransaction txn(conn);
  std::vector<std::string> problems;
  tables_checked = 0;
  for (const auto& row : txn.exec(
           "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname")) {
    const auto oid = row[0].as<int64_t>();
    const auto table = row[1].as<std::string>();
    ++tables_checked;
    for (const auto& fk :
         txn.exec_params("SELECT conname, confdeltype FROM pg_constraint WHERE conrelid = $1 AND "
                         "contype = 'f' AND confrelid = 'accounts'::regclass",
                         oid)) {
      if (fk[1].as<std::string>() != "c") {
        problems.push_back(fmt::format("{}: {} does not cascade when the account is deleted", table,
                                       fk[0].as<std::string>()));
      }
    }
    if (TablesWithoutAnAccountKey().contains(table)) continue;
    auto column = txn.exec_params(
        "SELECT attnum, attnotnull FROM pg_attribute WHERE attrelid = $1 AND "
        "attname = 'user_id' AND NOT attisdropped",
        oid);
    if (column.empty()) {
      problems.push_back(fmt::format("{}: no user_id column", table));
      continue;
    }
    const int attnum = column[0][0].as<int>();
    if (!column[0][1].as<bool>()) problems.push_back(fmt::format("{}: user_id may be NULL", table));
    if (txn.exec_params("SELECT 1 FROM pg_constraint WHERE conrelid = $1 AND contype = 'f' AND "
                        "confrelid = 'accounts'::regclass AND conkey = ARRAY[$2]::int2[]",
                        oid, attnum)
            .empty()) {
      problems.push_back(fmt::format("{}: user_id does not reference accounts (id)", table));
    }
    if (txn.exec_params("SELECT 1 FROM pg_index WHERE indrelid = $1 AND indkey[0] = $2", oid,
                        attnum)
            .empty()) {
      problems.push_back(fmt::format("{}: no index starts with user_id", table));
    }
  }
  return problems;
}

TEST_F(PgDatabaseTest, EveryTableOfPersonalDataIsKeyedByAccountId) {
  ASSERT_TRUE(OpenPostgres(database_->url()).ok());
  pqxx::connection conn(database_->url());
  int checked = 0;
  EXPECT_EQ(TablesNotKeyedByAccount(conn, checked), std::vector<std::string>{});
  EXPECT_GE(checked, 12);  // Every table of the migrations, exempt ones included.
  // The check fails for what a careless migration could add.
  Sql("CREATE TABLE notes (id BIGINT PRIMARY KEY, note TEXT)");
  Sql("CREATE TABLE moods (user_id BIGINT REFERENCES accounts (id), mood TEXT)");
  EXPECT_EQ(TablesNotKeyedByAccount(conn, checked),
            (std::vector<std::string>{
                "moods: moods_user_id_fkey does not cascade when the account is deleted",
                "moods: user_id may be NULL", "moods: no index starts with user_id",
                "notes: no user_id column"}));
}

TEST(PgUrlTest, UnreachableServerIsAnIoErrorNamingHostButNotPassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto db = OpenPostgres("postgresql://anna:s3cret-pw@127.0.0.1:1/mg");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kIoError);
  EXPECT_NE(db.error().message.find("127.0.0.1"), std::string::npos) << db.error().message;
  EXPECT_NE(db.error().message.find("1"), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().message.find("s3cret-pw"), std::string::npos) << db.error().message;
}

TEST(PgUrlTest, OtherSchemesAreRefused) {
  auto db = OpenPostgres("mysql://anna:pw@127.0.0.1/mg");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message.find(":pw@"), std::string::npos) << db.error().message;
  auto pool = OpenPostgres("postgresql://127.0.0.1/mg", {.pool_size = 0});
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.error().code, ErrorCode::kInvalidArgument);
}

TEST(PgUrlTest, RedactUrlHidesPasswordsOnly) {
  EXPECT_EQ(RedactUrl("postgresql://anna:pw@db.example:5432/mg"),
            "postgresql://anna:***@db.example:5432/mg");
  EXPECT_EQ(RedactUrl("postgres://anna@db:5432/mg"), "postgres://anna@db:5432/mg");
  EXPECT_EQ(RedactUrl("postgresql://db/mg?user=anna&password=pw&sslmode=require"),
            "postgresql://db/mg?user=anna&password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("postgresql://an:p@ss@db/mg"), "postgresql://an:***@db/mg");
}

TEST(PgTestSupportTest, WithDatabaseReplacesOnlyTheName) {
  EXPECT_EQ(WithDatabase("postgresql://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgresql://postgres@127.0.0.1:5432/t1");
  EXPECT_EQ(WithDatabase("postgresql://127.0.0.1:5432", "t1"), "postgresql://127.0.0.1:5432/t1");
  EXPECT_EQ(WithDatabase("postgresql://h/db?sslmode=disable", "t1"),
            "postgresql://h/t1?sslmode=disable");
}

// The undo log's depth is each account's own: other accounts writing in between (which advance
// the log's one sequence) take none of it. Adds and edits are both logged.
TEST_F(PgDatabaseTest, EachAccountKeepsItsWholeUndoDepthWhileOthersWrite) {
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  std::vector<std::unique_ptr<journal::Store>> stores;
  for (const char* name : {"anna", "ben", "cleo"}) {
    auto id = (*db)->CreateAccount(name, "h", 1);
    ASSERT_TRUE(id.ok());
    auto store = (*db)->OpenJournal(*id, clock_);
    ASSERT_TRUE(store.ok());
    stores.push_back(std::move(*store));
  }
  constexpr int kEach = journal::kUndoDepth + 5;
  std::vector<std::vector<bool>> is_add(stores.size());  // Each account's changes, in order.
  for (int i = 0; i < kEach; ++i) {
    for (size_t s = 0; s < stores.size(); ++s) {
      auto added = stores[s]->Add(
          MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = static_cast<double>(i % 10)}));
      ASSERT_TRUE(added.ok()) << added.error().message;
      is_add[s].push_back(true);
      if (s == 1 && i % 2 == 1) {  // Ben also edits every other entry he adds.
        auto entry = MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 7});
        entry.id = *added;
        ASSERT_TRUE(stores[s]->Replace(entry).ok());
        is_add[s].push_back(false);
      }
    }
  }
  for (size_t s = 0; s < stores.size(); ++s) {
    int undone = 0;
    for (;;) {
      auto u = stores[s]->Undo();
      ASSERT_TRUE(u.ok()) << u.error().message;
      if (!u->has_value()) break;
      ++undone;
    }
    EXPECT_EQ(undone, journal::kUndoDepth) << "account " << s;
    // Each undone add took its entry away; an undone edit took none.
    const auto last = is_add[s].end();
    const auto undone_adds = std::count(last - journal::kUndoDepth, last, true);
    auto left = stores[s]->List({});
    ASSERT_TRUE(left.ok());
    EXPECT_EQ(left->size(), static_cast<size_t>(kEach - undone_adds)) << "account " << s;
  }
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM entry_changes")[0][0].as<int64_t>(), 0);
}

// The counter tables (a row per account, updated by every write) are vacuumed by the writes
// themselves, at most every two seconds, since autovacuum comes by only once a minute.
TEST_F(PgDatabaseTest, WritesVacuumTheCounterTablesEveryTwoSecondsAtMost) {
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto id = (*db)->CreateAccount("anna", "h", 1);
  ASSERT_TRUE(id.ok());
  auto store = (*db)->OpenJournal(*id, clock_);
  ASSERT_TRUE(store.ok());
  const auto vacuums = [&](const char* table) {
    return Sql(fmt::format("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = '{}'",
                           table))[0][0]
        .as<int64_t>();
  };
  // Counts reach the statistics views shortly after the VACUUM; waits for `n` of each table.
  const auto wait_for = [&](int64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((vacuums("entry_counts") < n || vacuums("undo_positions") < n) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::min(vacuums("entry_counts"), vacuums("undo_positions"));
  };
  const auto add = [&] {
    auto added = (*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 3}));
    ASSERT_TRUE(added.ok()) << added.error().message;
  };
  const auto started = std::chrono::steady_clock::now();
  add();  // The first write vacuums.
  EXPECT_EQ(wait_for(1), 1);
  for (int i = 0; i < 20; ++i) add();  // Within the two seconds: none of these.
  const bool within = std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  if (within) {
    EXPECT_EQ(vacuums("entry_counts"), 1);
    EXPECT_EQ(vacuums("undo_positions"), 1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  add();  // Two seconds later: the next write vacuums again.
  EXPECT_GE(wait_for(2), 2);
}

// Migration 11 undone: the undo log as it was before its ring (a line per change, pruned).
constexpr char kBeforeUndoRing[] =
    "DROP TABLE undo_positions; ALTER TABLE entry_changes DROP CONSTRAINT entry_changes_pkey, "
    "DROP CONSTRAINT entry_changes_slot_check, DROP COLUMN slot, ADD PRIMARY KEY (user_id, seq); "
    "DELETE FROM schema_migrations WHERE version = 11;";

// Undo after the ring wrapped: each undo gives back the newest change left, and a change made
// after some undos takes the freed slot, so the log still holds the newest changes and no more.
TEST_F(PgDatabaseTest, UndoAfterTheRingWrappedGivesTheNewestChangesInOrder) {
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto account = (*db)->CreateAccount("dana", "h", 1);
  ASSERT_TRUE(account.ok());
  auto store = (*db)->OpenJournal(*account, clock_);
  ASSERT_TRUE(store.ok());
  const auto add = [&] {
    auto id = (*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 3}));
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : -1;
  };
  const auto undo = [&]() -> int64_t {
    auto u = (*store)->Undo();
    EXPECT_TRUE(u.ok()) << u.error().message;
    if (!u.ok() || !u->has_value()) return 0;
    EXPECT_EQ((*u)->kind, journal::ChangeKind::kAdd);
    return (*u)->entry.id;
  };
  for (int i = 1; i <= journal::kUndoDepth + 10; ++i) ASSERT_EQ(add(), i);
  for (int64_t id = journal::kUndoDepth + 10; id > journal::kUndoDepth + 5; --id) {
    ASSERT_EQ(undo(), id);
  }
  ASSERT_EQ(add(), journal::kUndoDepth + 6);  // Ids are the largest + 1 again.
  ASSERT_EQ(add(), journal::kUndoDepth + 7);
  std::vector<int64_t> undone;
  for (int64_t id = undo(); id != 0; id = undo()) undone.push_back(id);
  std::vector<int64_t> expected;
  for (int64_t id = journal::kUndoDepth + 7; id >= 11; --id) expected.push_back(id);
  EXPECT_EQ(undone, expected);
  auto left = (*store)->List({});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), 10u);
}

// A database from before migration 11 (a line per change): upgrading keeps each account's newest
// kUndoDepth lines in their order, and undo then works through them and on into new changes.
TEST_F(PgDatabaseTest, TheUndoRingMigrationKeepsTheNewestLinesInOrder) {
  std::vector<int64_t> ids;
  {
    auto db = OpenPostgres(database_->url());
    ASSERT_TRUE(db.ok()) << db.error().message;
    for (const char* name : {"erin", "finn", "gus"}) {
      auto id = (*db)->CreateAccount(name, "h", 1);
      ASSERT_TRUE(id.ok());
      ids.push_back(*id);
    }
    for (size_t a = 0; a < 2; ++a) {  // Gus has none.
      auto store = (*db)->OpenJournal(ids[a], clock_);
      ASSERT_TRUE(store.ok());
      const int count = a == 0 ? journal::kUndoDepth + 3 : 3;
      for (int i = 0; i < count; ++i) {
        ASSERT_TRUE(
            (*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 1})).ok());
      }
    }
  }
  Sql(kBeforeUndoRing);
  // Erin's log as the old pruning might have left it, with three lines older than the newest
  // kUndoDepth (for her first three entries): the upgrade drops them.
  Sql(
      fmt::format("INSERT INTO entry_changes (user_id, seq, kind, entry_id) VALUES ({0}, -3, "
                  "'add', 1), ({0}, -2, 'add', 2), ({0}, -1, 'add', 3)",
                  ids[0]));
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(AppliedVersions(), PgSchemaVersion());
  const int64_t first_undone[] = {4, 1, 0};  // The oldest change each can undo; 0: none.
  const int64_t newest[] = {journal::kUndoDepth + 3, 3, 0};
  for (size_t a = 0; a < ids.size(); ++a) {
    auto store = (*db)->OpenJournal(ids[a], clock_);
    ASSERT_TRUE(store.ok());
    // A new change first: it goes after the lines already there.
    auto added = (*store)->Add(MakeEntry(Day(2026, 11, 2), EntryKind::kPain, {.value = 2}));
    ASSERT_TRUE(added.ok()) << added.error().message;
    ASSERT_EQ(*added, newest[a] + 1);
    std::vector<int64_t> undone;
    for (;;) {
      auto u = (*store)->Undo();
      ASSERT_TRUE(u.ok()) << u.error().message;
      if (!u->has_value()) break;
      undone.push_back((*u)->entry.id);
    }
    std::vector<int64_t> expected;
    // The ring holds kUndoDepth lines: with the new change, Erin's oldest kept line goes too.
    const int64_t oldest = a == 0 ? first_undone[a] + 1 : first_undone[a];
    for (int64_t id = newest[a] + 1; id >= std::max<int64_t>(oldest, 1); --id) {
      expected.push_back(id);
    }
    EXPECT_EQ(undone, expected) << "account " << a;
  }
}

// A database from before migration 10 (each account's count of entries): upgrading counts the
// entries already there, and the counts then follow new writes.
TEST_F(PgDatabaseTest, TheEntryCountMigrationCountsWhatIsAlreadyThere) {
  ASSERT_EQ(PgSchemaVersion(), 11);  // A later migration: make this database at version 9 below.
  std::vector<int64_t> ids;
  {
    auto db = OpenPostgres(database_->url());
    ASSERT_TRUE(db.ok()) << db.error().message;
    for (const char* name : {"anna", "ben", "cleo"}) {
      auto id = (*db)->CreateAccount(name, "h", 1);
      ASSERT_TRUE(id.ok());
      ids.push_back(*id);
    }
    for (size_t a = 0; a < 2; ++a) {  // Cleo has none.
      auto store = (*db)->OpenJournal(ids[a], clock_);
      ASSERT_TRUE(store.ok());
      for (size_t i = 0; i < 3 + a * 4; ++i) {
        ASSERT_TRUE(
            (*store)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 1})).ok());
      }
    }
  }
  Sql(std::string(kBeforeUndoRing) +
      "DROP TABLE entry_counts; DROP TRIGGER entries_counted_in ON entries; DROP TRIGGER "
      "entries_counted_out ON entries; DROP FUNCTION entries_added(); DROP FUNCTION "
      "entries_removed(); DELETE FROM schema_migrations WHERE version = 10");
  auto db = OpenPostgres(database_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(AppliedVersions(), PgSchemaVersion());
  const size_t expected[] = {3, 7, 0};
  for (size_t a = 0; a < ids.size(); ++a) {
    auto store = (*db)->OpenJournal(ids[a], clock_);
    ASSERT_TRUE(store.ok());
    auto page = (*store)->ListPage({}, std::nullopt, 2, 0);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->total, expected[a]) << "account " << a;
    ASSERT_TRUE((*store)->Add(MakeEntry(Day(2026, 11, 2), EntryKind::kPain, {.value = 2})).ok());
    page = (*store)->ListPage({}, std::nullopt, 2, 0);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, expected[a] + 1) << "account " << a;
  }
}

}  // namespace
}  // namespace mg::pgstore
