// A full disk, made with RLIMIT_FSIZE (and SIGXFSZ ignored, so writes fail with EFBIG instead of
// killing the process): every writer gives a clear error (exit 4 naming the file and the reason)
// and nothing that was written before is lost or damaged.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/data_files.h"
#include "journal/sqlite_connection.h"
#include "tests/fault/fault_util.h"

namespace mg::fault {
namespace {

namespace fs = std::filesystem;

constexpr size_t kJournalLimit = 96 * 1024;  // Above the 32 KiB WAL index SQLite maps.

std::string IntegrityCheck(const std::string& db) {
  auto handle = journal::OpenSqliteFile(db);
  if (!handle.ok()) return handle.error().message;
  sqlite3_stmt* stmt = nullptr;
  std::string out = "?";
  if (sqlite3_prepare_v2(handle->get(), "PRAGMA integrity_check", -1, &stmt, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return out;
}

int Temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) ++n;
  }
  return n;
}

TEST(FullDiskFault, JournalWritesFailClearlyAndLoseNothing) {
  const auto started = std::chrono::steady_clock::now();
  Scratch scratch;
  const std::string db = scratch.path("journal.db").string();
  const auto env = scratch.Env();
  std::set<std::string> acknowledged;
  const std::string filler(8000, 'x');  // Notes this long fill the limit in a few writes.
  for (int n = 0; n < 3; ++n) {
    const std::string note = "before " + std::to_string(n) + " " + filler;
    ASSERT_EQ(testing::RunCli({"log", "note", note, "--db", db}, "", env).exit_code, 0);
    acknowledged.insert(note);
  }
  // Under the limit, write until the disk is "full"; then a few more must fail the same way.
  int writes = 0, failures = 0;
  std::string first_error;
  for (int n = 0; n < 200 && failures < 3; ++n) {
    const std::string note = "limited " + std::to_string(n) + " " + filler;
    const auto r = RunCliWithFileSizeLimit({"log", "note", note, "--db", db}, env, kJournalLimit);
    ++writes;
    if (r.exit_code == 0) {
      acknowledged.insert(note);
      continue;
    }
    ++failures;
    EXPECT_EQ(r.exit_code, 4) << r.err;  // An I/O error, not a crash (1) or a signal (128+).
    EXPECT_NE(r.err.find(db), std::string::npos) << r.err;
    EXPECT_TRUE(r.err.find("File too large") != std::string::npos ||
                r.err.find("the disk may be full") != std::string::npos)
        << r.err;
    if (first_error.empty()) first_error = r.err.substr(0, r.err.find('\n'));
  }
  ASSERT_EQ(failures, 3) << "the limit was never reached in " << writes << " writes";

  // With room again: the journal opens, is whole, holds every acknowledged write, takes more.
  EXPECT_EQ(IntegrityCheck(db), "ok");
  const auto notes = NotesIn(db, env);
  int lost = 0;
  for (const std::string& note : acknowledged) lost += notes.contains(note) ? 0 : 1;
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(testing::RunCli({"log", "note", "after", "--db", db}, "", env).exit_code, 0);
  ReportCounts(
      "full_disk",
      Printf("full disk (journal): %d writes under a %zu-byte file limit, %d failed with exit 4, "
             "%zu acknowledged writes, %d lost; first error: %s; %.1f s",
             writes, kJournalLimit, failures, acknowledged.size(), lost, first_error.c_str(),
             SecondsSince(started)));
}

// The files written through core/atomic_file.h: an export and the food store. Each fails with
// exit 4 naming the file, keeps the old file as it was, and leaves no temporary behind.
TEST(FullDiskFault, ExportAndFoodImportKeepTheOldFile) {
  Scratch scratch;
  const std::string db = scratch.path("journal.db").string();
  const auto env = scratch.Env();
  // A journal bigger than the limit below, so its export cannot be written; opening it needs
  // only reads and the 32 KiB WAL index.
  for (int n = 0; n < 3; ++n) {
    ASSERT_EQ(
        testing::RunCli({"log", "note", std::string(40000, 'n'), "--db", db}, "", env).exit_code,
        0);
  }
  const fs::path out = scratch.path("exports/backup.json");
  fs::create_directories(out.parent_path());
  std::ofstream(out) << "the previous backup";
  const auto exported = RunCliWithFileSizeLimit(
      {"journal", "export", "--db", db, "--out", out.string()}, env, kJournalLimit);
  EXPECT_EQ(exported.exit_code, 4) << exported.err;
  EXPECT_NE(exported.err.find(out.string()), std::string::npos) << exported.err;
  EXPECT_NE(exported.err.find("File too large"), std::string::npos) << exported.err;
  EXPECT_EQ(ReadFile(out.string()).value(), "the previous backup");
  EXPECT_EQ(Temporaries(out.parent_path()), 0);

  const std::string testdata = std::string(MG_SOURCE_DIR) + "/src/foods/testdata/";
  const fs::path store = scratch.path("foods.csv");
  ASSERT_EQ(testing::RunCli({"foods", "import", testdata + "fdc_mini", "--store", store.string()},
                            "", env)
                .exit_code,
            0);
  const auto before = ReadFile(store.string());
  ASSERT_TRUE(before.ok());
  const auto imported = RunCliWithFileSizeLimit(
      {"foods", "import", testdata + "sr28_mini", "--store", store.string()}, env, 256);
  EXPECT_EQ(imported.exit_code, 4) << imported.err;
  EXPECT_NE(imported.err.find(store.string()), std::string::npos) << imported.err;
  EXPECT_NE(imported.err.find("File too large"), std::string::npos) << imported.err;
  EXPECT_EQ(ReadFile(store.string()).value(), *before);
  EXPECT_EQ(Temporaries(store.parent_path()), 0);
}

}  // namespace
}  // namespace mg::fault
