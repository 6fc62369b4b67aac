// An acknowledged entry survives SIGKILL: a child process writes entries and acknowledges each
// commit on a pipe; we kill it mid-stream, reopen the journal and check every acknowledged entry
// is there, whole, and nothing torn exists.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "journal/sqlite_store.h"
#include "journal/test_entries.h"

namespace mg::journal {
namespace {

std::string Scalar(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string out = "?";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST(CrashTest, AcknowledgedEntriesSurviveSigkill) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mg_crash_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "journal.db").string();

  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(MG_CRASH_WRITER, MG_CRASH_WRITER, db.c_str(), "1000000", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* in = fdopen(fds[0], "r");
    ASSERT_NE(in, nullptr);
    std::map<int64_t, long> acked;  // id -> sequence number written into the note.
    char line[128];
    // Kill at a different point each round, while the writer is mid-stream.
    const size_t kill_after = 40 + 37 * static_cast<size_t>(round);
    while (acked.size() < kill_after && std::fgets(line, sizeof line, in) != nullptr) {
      long long id = 0;
      long n = 0;
      ASSERT_EQ(std::sscanf(line, "ack %lld %ld", &id, &n), 2) << line;
      acked[id] = n;
    }
    ASSERT_EQ(acked.size(), kill_after) << "the writer stopped early";
    ASSERT_EQ(kill(child, SIGKILL), 0);
    // Anything acknowledged between our last read and the kill also counts.
    while (std::fgets(line, sizeof line, in) != nullptr) {
      long long id = 0;
      long n = 0;
      if (std::sscanf(line, "ack %lld %ld", &id, &n) == 2) acked[id] = n;
    }
    fclose(in);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    FixedClock clock(Day(2026, 11, 23));
    auto store = OpenSqliteStore(db, clock);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto entries = (*store)->List({});  // Fails on an entry with a torn set of item rows.
    ASSERT_TRUE(entries.ok()) << entries.error().message;
    std::map<int64_t, const Entry*> by_id;
    for (const Entry& e : *entries) {
      by_id[e.id] = &e;
      ASSERT_TRUE(ValidateEntry(e, clock.Today()).ok()) << "entry " << e.id << " is torn";
      ASSERT_EQ(e.irls_items.size(), static_cast<size_t>(kIrlsItemCount));
    }
    for (const auto& [id, n] : acked) {
      auto it = by_id.find(id);
      ASSERT_NE(it, by_id.end()) << "acknowledged entry " << id << " lost in round " << round;
      EXPECT_EQ(it->second->note, "entry " + std::to_string(n));
    }
    // No orphan item rows, and the database file is consistent.
    EXPECT_EQ(Scalar(db,
                     "SELECT COUNT(*) FROM irls_items WHERE entry_id NOT IN "
                     "(SELECT id FROM entries)"),
              "0");
    EXPECT_EQ(Scalar(db, "PRAGMA integrity_check"), "ok");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mg::journal
