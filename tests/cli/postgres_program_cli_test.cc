// The everyday program does not link PostgreSQL; a command naming a PostgreSQL database is handed
// to the sibling program mgadvisor-postgres (src/cli/postgres_program.h). These tests run real
// copies of the binaries: without the sibling, with a wrong file in its place, and the pair as
// built. The multi-user tests (clinic_test, serve_cli_test, lb-test) cover the handed-over work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

namespace fs = std::filesystem;
using ::mg::testing::RunCli;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kProgram = MG_CLI_PATH;
const fs::path kSibling = kProgram.parent_path() / "mgadvisor-postgres";
// Nothing listens on port 1: the sibling's connection attempt fails at once, naming the server.
constexpr const char* kUnreachable = "postgresql://nobody@127.0.0.1:1/mg";

struct ProgramRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `program` with `args` through the shell (the paths are the test's own directories).
ProgramRun RunProgram(const fs::path& program, const std::string& args) {
  const std::string command = "'" + program.string() + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  ProgramRun run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A directory in the build tree (hard links need the same file system), removed afterwards.
class PostgresProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(MG_BINARY_DIR) / ("postgres-program-test-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `from` placed at `to` as a hard link (a copy when linking is refused).
  static void Place(const fs::path& from, const fs::path& to) {
    std::error_code error;
    fs::create_hard_link(from, to, error);
    if (error) fs::copy_file(from, to);
  }

  fs::path dir_;
};

TEST_F(PostgresProgramTest, TheEverydayProgramDoesNotLoadPostgresAndItsSiblingDoes) {
  const ProgramRun everyday = RunProgram("/usr/bin/ldd", "'" + kProgram.string() + "'");
  ASSERT_EQ(everyday.exit_code, 0) << everyday.output;
  EXPECT_THAT(everyday.output, Not(HasSubstr("libpq"))) << everyday.output;
  const ProgramRun sibling = RunProgram("/usr/bin/ldd", "'" + kSibling.string() + "'");
  ASSERT_EQ(sibling.exit_code, 0) << sibling.output;
  EXPECT_THAT(sibling.output, HasSubstr("libpq"));
}

TEST_F(PostgresProgramTest, APostgresUrlIsHandedToTheSibling) {
  // The refusal comes from the PostgreSQL store itself: only the sibling can have written it.
  const auto result = RunCli({"admin", "invite", "--db", kUnreachable});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("127.0.0.1:1"));
  EXPECT_THAT(result.err, Not(HasSubstr("not linked")));
  // Also as --db=URL; and a command without a URL stays in the everyday program.
  const auto joined = RunCli({"admin", "invite", std::string("--db=") + kUnreachable});
  EXPECT_EQ(joined.exit_code, 4) << joined.err;
  EXPECT_THAT(joined.err, HasSubstr("127.0.0.1:1"));
  EXPECT_EQ(RunCli({"convert", "10mmol"}).exit_code, 0);
}

TEST_F(PostgresProgramTest, WithoutTheSiblingMultiUserModeSaysWhatIsMissing) {
  Place(kProgram, dir_ / "mgadvisor");
  const ProgramRun run =
      RunProgram(dir_ / "mgadvisor", std::string("admin invite --db ") + kUnreachable);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("mgadvisor-postgres"));
  EXPECT_THAT(run.output, HasSubstr((dir_ / "mgadvisor-postgres").string()));
  EXPECT_THAT(run.output, HasSubstr("libexec/mgadvisor/mgadvisor-postgres"));
  // Everything else works without it.
  const ProgramRun local = RunProgram(dir_ / "mgadvisor", "convert 10mmol");
  EXPECT_EQ(local.exit_code, 0) << local.output;
  EXPECT_THAT(local.output, HasSubstr("243 mg"));
}

TEST_F(PostgresProgramTest, AnInstalledLayoutFindsTheSiblingInLibexec) {
  fs::create_directories(dir_ / "bin");
  fs::create_directories(dir_ / "libexec" / "mgadvisor");
  Place(kProgram, dir_ / "bin" / "mgadvisor");
  Place(kSibling, dir_ / "libexec" / "mgadvisor" / "mgadvisor-postgres");
  const ProgramRun run =
      RunProgram(dir_ / "bin" / "mgadvisor", std::string("admin invite --db ") + kUnreachable);
  EXPECT_EQ(run.exit_code, 4) << run.output;
  EXPECT_THAT(run.output, HasSubstr("127.0.0.1:1"));
}

TEST_F(PostgresProgramTest, AWrongFileInTheSiblingsPlaceIsAnErrorNotALoop) {
  // The everyday program under the sibling's name would hand over to itself for ever.
  Place(kProgram, dir_ / "mgadvisor");
  Place(kProgram, dir_ / "mgadvisor-postgres");
  const ProgramRun run =
      RunProgram(dir_ / "mgadvisor", std::string("admin invite --db ") + kUnreachable);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("not the build that has PostgreSQL"));
}

}  // namespace
}  // namespace mg
