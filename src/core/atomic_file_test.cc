#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/data_files.h"

namespace mg {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mg_atomic_file_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    old_umask_ = ::umask(022);
  }
  void TearDown() override {
    ::umask(old_umask_);
    fs::remove_all(dir_);
  }

  static mode_t Mode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }

  // Files in `dir_` whose names contain ".tmp.".
  int Temporaries(const fs::path& dir) const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename().string().find(".tmp.") != std::string::npos) ++n;
    }
    return n;
  }

  // The pid of a process that has exited and been reaped: certainly not running.
  static pid_t DeadPid() {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    return child;
  }

  fs::path dir_;
  mode_t old_umask_ = 0;
};

TEST_F(AtomicFileTest, WritesReplacesAndCreatesPrivateFolders) {
  const fs::path path = dir_ / "a" / "b" / "export.json";
  ASSERT_TRUE(WriteFileAtomically(path.string(), "first").ok());
  EXPECT_EQ(ReadFile(path.string()).value(), "first");
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir_ / "a"), 0700u);
  EXPECT_EQ(Mode(dir_ / "a" / "b"), 0700u);
  ASSERT_TRUE(WriteFileAtomically(path.string(), "second, longer").ok());
  EXPECT_EQ(ReadFile(path.string()).value(), "second, longer");
  EXPECT_EQ(Temporaries(path.parent_path()), 0);

  const fs::path shared = dir_ / "foods.csv";
  ASSERT_TRUE(WriteFileAtomically(shared.string(), "x", FileAccess::kShared).ok());
  EXPECT_EQ(Mode(shared), 0644u);
  // A folder that already exists keeps its mode.
  fs::permissions(dir_, fs::perms(0755));
  ASSERT_TRUE(WriteFileAtomically((dir_ / "c.txt").string(), "y").ok());
  EXPECT_EQ(Mode(dir_), 0755u);
}

TEST_F(AtomicFileTest, StaleTemporariesOfDeadProcessesAreRemovedOthersKept) {
  const fs::path path = dir_ / "foods.csv";
  const fs::path dead = dir_ / ("foods.csv.tmp." + std::to_string(DeadPid()));
  const fs::path alive = dir_ / ("foods.csv.tmp." + std::to_string(::getppid()));
  const fs::path other = dir_ / "journal.json.tmp.1x";
  for (const auto& p : {dead, alive, other}) std::ofstream(p) << "half-written";
  ASSERT_TRUE(WriteFileAtomically(path.string(), "whole").ok());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));  // Its writer may still be running.
  EXPECT_TRUE(fs::exists(other));  // Not ours.
  EXPECT_EQ(ReadFile(path.string()).value(), "whole");
}

TEST_F(AtomicFileTest, SymlinksAreFollowedAndDevicesWrittenInPlace) {
  const fs::path real = dir_ / "real.txt";
  std::ofstream(real) << "old";
  const fs::path link = dir_ / "link.txt";
  fs::create_symlink(real, link);
  ASSERT_TRUE(WriteFileAtomically(link.string(), "new").ok());
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(ReadFile(real.string()).value(), "new");
  EXPECT_TRUE(WriteFileAtomically("/dev/null", "discarded").ok());
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  auto folder = WriteFileAtomically(dir_.string(), "x");
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, ErrorCode::kIoError);
}

// A full disk, as RLIMIT_FSIZE makes one: the write fails with the system's reason and the file
// name, the old file is intact and no temporary is left.
TEST_F(AtomicFileTest, FullDiskLeavesTheOldFileAndNoTemporary) {
  const fs::path path = dir_ / "foods.csv";
  ASSERT_TRUE(WriteFileAtomically(path.string(), "the old store").ok());
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // Then write() fails with EFBIG instead of killing us.
    rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    Status st = WriteFileAtomically(path.string(), std::string(100000, 'x'));
    const std::string message = st.ok() ? "ok" : st.error().message;
    (void)!write(fds[1], message.data(), message.size());
    _exit(st.ok() ? 0 : st.error().code == ErrorCode::kIoError ? 4 : 1);
  }
  close(fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4) << message;
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_EQ(ReadFile(path.string()).value(), "the old store");
  EXPECT_EQ(Temporaries(dir_), 0);
}

}  // namespace
}  // namespace mg
