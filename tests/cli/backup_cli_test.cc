// `mgadvisor journal backup FILE` (issue 19): an online backup of the SQLite journal with
// SQLite's backup API, taken while another process keeps writing to it, is a journal that
// mgadvisor reads, holding a consistent set of the entries (every one it holds is in the journal,
// and none written before the backup started is missing); the file is replaced atomically.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

std::set<std::string> Notes(const std::string& db, const std::vector<std::string>& env) {
  const auto shown = RunCli({"journal", "show", "--json", "--db", db}, "", env);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::set<std::string> notes;
  if (shown.exit_code != 0) return notes;
  for (const auto& entry : nlohmann::json::parse(shown.out)) notes.insert(entry["note"]);
  return notes;
}

TEST(BackupCliTest, OnlineBackupWhileAnotherProcessWrites) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mg_backup_cli_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::vector<std::string> env = {"XDG_DATA_HOME=" + (dir / "data").string(),
                                        "MGADVISOR_TODAY=2026-03-14"};
  const std::string db = (dir / "journal.db").string();
  const std::string backup = (dir / "backups" / "journal-backup.db").string();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(RunCli({"log", "note", "before " + std::to_string(i), "--db", db}, "", env).exit_code,
              0);
  }
  std::ofstream(backup + ".old") << "not this";

  // Another process writes all the while.
  std::atomic<bool> stop = false;
  std::atomic<int> written = 0;
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      if (RunCli({"log", "note", "during " + std::to_string(i), "--db", db}, "", env).exit_code ==
          0) {
        ++written;
      }
    }
  });
  std::set<std::string> in_backup;
  for (int round = 0; round < 2; ++round) {
    const auto r = RunCli({"--json", "journal", "backup", backup, "--db", db}, "", env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto result = nlohmann::json::parse(r.out);
    EXPECT_EQ(result["backup"], backup);
    EXPECT_GT(result["bytes"].get<int>(), 0);
    EXPECT_EQ(std::filesystem::file_size(backup), result["bytes"].get<size_t>());
    in_backup = Notes(backup, env);
  }
  stop = true;
  writer.join();
  EXPECT_GT(written.load(), 0);

  const auto in_journal = Notes(db, env);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(in_backup.contains("before " + std::to_string(i)));
  for (const auto& note : in_backup) EXPECT_TRUE(in_journal.contains(note)) << note;
  // Private like the journal: health data.
  struct stat st {};
  ASSERT_EQ(::stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing left beside it: no temporary, no SQLite side files.
  for (const auto& file : std::filesystem::directory_iterator(dir / "backups")) {
    const std::string name = file.path().filename().string();
    EXPECT_TRUE(name == "journal-backup.db" || name == "journal-backup.db.old") << name;
  }
  std::filesystem::remove_all(dir);
}

TEST(BackupCliTest, MissingJournalOrNotAJournalWritesNothing) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mg_backup_cli_missing_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "out.db").string();
  const auto missing = RunCli({"journal", "backup", out, "--db", (dir / "none.db").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("none.db: no journal there"));
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));  // Not created by looking.
  std::ofstream(dir / "text.db") << "hello";
  const auto text = RunCli({"journal", "backup", out, "--db", (dir / "text.db").string()});
  EXPECT_NE(text.exit_code, 0);
  EXPECT_THAT(text.err, HasSubstr("text.db"));
  EXPECT_FALSE(std::filesystem::exists(out));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mg
