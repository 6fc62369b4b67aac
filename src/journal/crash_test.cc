// An acknowledged entry survives SIGKILL: a child process writes entries and acknowledges each
// commit on a pipe; we kill it mid-stream, reopen the journal and check every acknowledged entry
// is there, whole, and nothing torn exists. Kills land at random points, some while the child is
// still opening (and, the first time, creating and migrating) the journal; the counts of kills
// and acknowledged writes are printed.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "journal/sqlite_connection.h"
#include "journal/sqlite_store.h"
#include "journal/test_entries.h"

namespace mg::journal {
namespace {

std::string Scalar(const std::string& path, const char* sql) {
  auto db = OpenSqliteFile(path);
  if (!db.ok()) return db.error().message;
  sqlite3_stmt* stmt = nullptr;
  std::string out = "?";
  if (sqlite3_prepare_v2(db->get(), sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return out;
}

// Reads "ack <id> <n>" lines into `acked` until `count` acks arrived or `deadline` passed.
void ReadAcks(FILE* in, std::map<int64_t, long>& acked, size_t count,
              std::chrono::steady_clock::time_point deadline) {
  char line[128];
  while (acked.size() < count && std::chrono::steady_clock::now() < deadline) {
    pollfd fd{fileno(in), POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&fd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0) return;
    if (std::fgets(line, sizeof line, in) == nullptr) return;
    long long id = 0;
    long n = 0;
    ASSERT_EQ(std::sscanf(line, "ack %lld %ld", &id, &n), 2) << line;
    acked[id] = n;
  }
}

TEST(CrashTest, AcknowledgedEntriesSurviveSigkill) {
  const auto started = std::chrono::steady_clock::now();
  const auto dir =
      std::filesystem::temp_directory_path() / ("mg_crash_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "journal.db").string();

  constexpr int kRounds = 15;
  std::mt19937 random(20261123);      // Fixed: a failure names a round that reproduces.
  std::map<int64_t, long> all_acked;  // Over every round: id -> sequence number in the note.
  int kills = 0, killed_before_first_ack = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    // Each round numbers its notes from its own base, so every acknowledged note is unique.
    // Built before fork(): a forked child only execs.
    const std::string first = std::to_string(round * 1000000L);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(MG_CRASH_WRITER, MG_CRASH_WRITER, db.c_str(), "1000000", first.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* in = fdopen(fds[0], "r");
    ASSERT_NE(in, nullptr);
    std::map<int64_t, long> acked;
    // Every third round: kill after a random 0-40 ms, which often lands while the writer is
    // still opening the journal. Otherwise: after a random number of acknowledged writes.
    if (round % 3 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 41));
    } else {
      const size_t kill_after = 1 + random() % 80;
      ReadAcks(in, acked, kill_after, std::chrono::steady_clock::now() + std::chrono::seconds(60));
      if (HasFatalFailure()) return;
      ASSERT_EQ(acked.size(), kill_after) << "the writer stopped early in round " << round;
    }
    ASSERT_EQ(kill(child, SIGKILL), 0);
    ++kills;
    // Anything acknowledged between our last read and the kill also counts.
    char line[128];
    while (std::fgets(line, sizeof line, in) != nullptr) {
      long long id = 0;
      long n = 0;
      if (std::sscanf(line, "ack %lld %ld", &id, &n) == 2) acked[id] = n;
    }
    fclose(in);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": the writer exited by itself (status " << status << ")";
    if (acked.empty()) ++killed_before_first_ack;
    for (const auto& [id, n] : acked) {
      ASSERT_FALSE(all_acked.contains(id)) << "id " << id << " acknowledged twice";
      all_acked[id] = n;
    }

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
    // Every write acknowledged in this round or any earlier one is there, with its own note.
    for (const auto& [id, n] : all_acked) {
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
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char line[256];
  std::snprintf(line, sizeof line,
                "crash test: %d SIGKILLs (%d before the first acknowledged write), %zu "
                "acknowledged writes, 0 lost, %.1f s",
                kills, killed_before_first_ack, all_acked.size(), seconds);
  std::printf("%s\n", line);
  // Kept for scripts/test.sh, which prints every fault test's counts at the end of a run.
  std::filesystem::create_directories(std::filesystem::path(MG_BINARY_DIR) / "fault-counts");
  std::ofstream(std::filesystem::path(MG_BINARY_DIR) / "fault-counts" / "crash.txt")
      << line << "\n";
  RecordProperty("kills", kills);
  RecordProperty("acknowledged_writes", static_cast<int>(all_acked.size()));
  EXPECT_GT(all_acked.size(), static_cast<size_t>(kRounds));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mg::journal
