// The SQLite backend: runs the Store contract, plus what only SQLite has (WAL, migrations).
#include "journal/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

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
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
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

TEST_F(SqliteStoreTest, ForeignKeysProtectIrlsItems) {
  const std::string path = Path("fk.db");
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr);
  EXPECT_NE(
      sqlite3_exec(db, "INSERT INTO irls_items VALUES (999, 1, 2)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
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

TEST_F(SqliteStoreTest, RefusesASchemaFromTheFuture) {
  const std::string path = Path("future.db");
  {
    auto store = OpenSqliteStore(path, clock_);
    ASSERT_TRUE(store.ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations (version) VALUES (999)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
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

}  // namespace
}  // namespace mg::journal
