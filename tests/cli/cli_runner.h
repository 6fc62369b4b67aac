// Runs the real mgadvisor binary for black-box tests and captures what a person would see.
#ifndef MGADVISOR_TESTS_CLI_CLI_RUNNER_H_
#define MGADVISOR_TESTS_CLI_CLI_RUNNER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mg::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// MG_CLI_PATH's argument and environment vectors for execve, built before fork(): the tests
// that fork have other threads (HTTP clients, a server reader), and a child of a threaded parent
// may only make async-signal-safe calls until it execs — allocating there can deadlock on a lock
// another thread held at the fork (seen as a hung TwoWritersFault under clang's ASan).
struct ExecCommand {
  ExecCommand(const std::vector<std::string>& args, const std::vector<std::string>& env);
  ExecCommand(const ExecCommand&) = delete;
  ExecCommand& operator=(const ExecCommand&) = delete;
  // execve(MG_CLI_PATH, ...); returns only if that fails.
  void Exec();

 private:
  std::vector<std::string> arg_storage_;
  std::vector<std::string> env_storage_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// Runs MG_CLI_PATH with `args` (no shell involved), optional `stdin_text`, and extra environment
// entries ("NAME=value"). Aborts the test binary if the process cannot be started.
CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                 const std::vector<std::string>& env = {});

// A long-running mgadvisor (`serve`) that the test talks to while it runs: read its output line by
// line, signal it, wait for its exit. Every wait has a deadline so a hung server fails the test
// instead of hanging it, and the destructor kills and reaps a process still running.
class CliProcess {
 public:
  CliProcess(pid_t pid, int out_fd, int err_fd) : pid_(pid), out_fd_(out_fd), err_fd_(err_fd) {}
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  // The next line of stdout without its '\n'; nullopt at end of output or after `timeout`.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Sends `signal` (SIGINT, SIGTERM...); false when the process is already gone.
  bool Signal(int signal);
  pid_t pid() const { return pid_; }
  // Waits for the exit and the rest of the output. On timeout the process is killed and
  // exit_code is -1. `out` holds all of stdout, including lines ReadLine returned.
  CliResult Wait(std::chrono::milliseconds timeout);

 private:
  // Reads whatever stdout/stderr have until `deadline`; false when the deadline passed first.
  bool Pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_;
  int out_fd_;
  int err_fd_;
  bool reaped_ = false;
  CliResult result_;
  size_t line_start_ = 0;  // Where in result_.out the next ReadLine starts.
};

// Starts MG_CLI_PATH with `args` and extra environment entries, stdin empty. Aborts the test
// binary if the process cannot be started.
std::unique_ptr<CliProcess> StartCli(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env = {});

}  // namespace mg::testing

#endif  // MGADVISOR_TESTS_CLI_CLI_RUNNER_H_
