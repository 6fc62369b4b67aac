#include "tests/fault/fault_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

extern char** environ;

namespace mg::fault {
namespace {

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Scratch::Scratch() {
  dir_ = std::filesystem::temp_directory_path() /
         ("mg_fault_" + std::to_string(::getpid()) + "_" +
          ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
}

Scratch::~Scratch() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::vector<std::string> Scratch::Env() const {
  return {"XDG_DATA_HOME=" + (dir_ / "data").string(), "MGADVISOR_TODAY=2026-11-23"};
}

std::unique_ptr<testing::CliProcess> StartServe(const std::vector<std::string>& args,
                                                const std::vector<std::string>& env, int& port) {
  std::vector<std::string> all = {"serve", "--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  auto process = testing::StartCli(all, env);
  port = 0;
  // Loading the knowledge and foods takes a while under the sanitizers on a busy machine.
  const auto line = process->ReadLine(std::chrono::seconds(60));
  if (!line) {
    ADD_FAILURE() << "serve printed no address; stderr: "
                  << process->Wait(std::chrono::seconds(20)).err;
    return process;
  }
  std::smatch match;
  if (std::regex_search(*line, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) {
    port = std::stoi(match[1]);
  }
  EXPECT_GT(port, 0) << "no address in: " << *line;
  return process;
}

testing::CliResult RunCliWithFileSizeLimit(const std::vector<std::string>& args,
                                           const std::vector<std::string>& env,
                                           size_t max_file_bytes) {
  // Output goes to files outside any limit's reach: the limit applies to the child only, and the
  // files are opened before it is set.
  char out_name[] = "/tmp/mg_fault_outXXXXXX";
  char err_name[] = "/tmp/mg_fault_errXXXXXX";
  const int out_fd = mkostemp(out_name, O_CLOEXEC);  // See Spawn in cli_runner.cc.
  const int err_fd = mkostemp(err_name, O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0) std::abort();
  testing::ExecCommand command(args, env);  // Before fork(): the child must not allocate.
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    signal(SIGXFSZ, SIG_IGN);  // Inherited across exec: writes past the limit fail with EFBIG.
    const rlimit limit{max_file_bytes, max_file_bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
    command.Exec();
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  testing::CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = Slurp(out_name);
  result.err = Slurp(err_name);
  unlink(out_name);
  unlink(err_name);
  return result;
}

std::multiset<std::string> NotesIn(const std::string& db, const std::vector<std::string>& env) {
  const auto exported = testing::RunCli({"journal", "export", "--db", db}, "", env);
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  std::multiset<std::string> notes;
  const auto json = nlohmann::json::parse(exported.out, nullptr, false);
  if (exported.exit_code != 0 || !json.is_object()) return notes;
  for (const auto& entry : json["entries"]) notes.insert(entry.value("note", ""));
  return notes;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace mg::fault
