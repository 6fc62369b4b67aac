// The runner the black-box tests stand on. A child it starts must hold only its own three pipes:
// a test with several threads starts children while other children run, and a child that
// inherited another's stdout keeps it open, so reading that output to its end waits for the
// wrong process (TwoWritersFault hung for its whole 900 s timeout in CI that way).
#include "tests/cli/cli_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace mg::testing {
namespace {

using namespace std::chrono_literals;

// The pipes ("pipe:[inode]" in /proc/PID/fd) that `pid` holds at descriptors above 2, that is
// beside its stdin, stdout and stderr.
std::set<std::string> PipesBesideStdio(const std::string& pid) {
  std::set<std::string> pipes;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/" + pid + "/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (!ec && std::stoi(fd.path().filename()) > 2 && target.starts_with("pipe:")) {
      pipes.insert(target);
    }
  }
  return pipes;
}

TEST(CliRunnerTest, AChildStartedWhileAnotherRunsHoldsOnlyItsOwnPipes) {
  const std::set<std::string> before = PipesBesideStdio("self");
  const auto dir =
      std::filesystem::temp_directory_path() / ("mg_cli_runner_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::vector<std::string> env = {"XDG_DATA_HOME=" + (dir / "data").string()};
  // Two servers, the second started while the first runs and this process holds the read ends
  // of the first one's stdout and stderr.
  auto first = StartCli({"serve", "--port", "0", "--db", (dir / "a.db").string()}, env);
  ASSERT_TRUE(first->ReadLine(60s)) << first->Wait(20s).err;
  auto second = StartCli({"serve", "--port", "0", "--db", (dir / "b.db").string()}, env);
  ASSERT_TRUE(second->ReadLine(60s)) << second->Wait(20s).err;

  // Whatever pipes the test itself was given (by ctest, a shell) every child may inherit; the
  // first server's were made by the runner and must not reach the second. With them it would
  // hold the read ends of the first one's stdout and stderr.
  for (const std::string& held : PipesBesideStdio(std::to_string(second->pid()))) {
    EXPECT_TRUE(before.contains(held)) << "the second server holds " << held;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mg::testing
