#include "tests/cli/cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace mg::testing {

ExecCommand::ExecCommand(const std::vector<std::string>& args,
                         const std::vector<std::string>& env) {
  arg_storage_ = {MG_CLI_PATH};
  arg_storage_.insert(arg_storage_.end(), args.begin(), args.end());
  for (auto& s : arg_storage_) argv_.push_back(s.data());
  argv_.push_back(nullptr);
  for (char** e = environ; *e != nullptr; ++e) env_storage_.emplace_back(*e);
  env_storage_.insert(env_storage_.end(), env.begin(), env.end());
  for (auto& s : env_storage_) envp_.push_back(s.data());
  envp_.push_back(nullptr);
}

void ExecCommand::Exec() { execve(MG_CLI_PATH, argv_.data(), envp_.data()); }

namespace {

// Forks and execs MG_CLI_PATH with `args` and the environment plus `env`, its stdin, stdout and
// stderr on pipes whose other ends are returned in `in`, `out`, `err`.
pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, int& in,
            int& out, int& err) {
  // Close-on-exec, so that only this child gets them (dup2 below clears the flag on its 0, 1
  // and 2). Another thread may start a child between our pipe2() and the parent's close() of
  // the write ends; without the flag that child holds this one's stdout open for its whole
  // life, and reading to end-of-file waits for it. That hung TwoWritersFault in CI: a `log note`
  // whose pipes the last server inherited was read until the server stopped, which the test
  // only did after joining the thread doing the reading.
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    std::abort();
  }
  ExecCommand command(args, env);  // Before fork(): the child must not allocate.
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    command.Exec();
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  in = in_pipe[1];
  out = out_pipe[0];
  err = err_pipe[0];
  return pid;
}

int ExitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text,
                 const std::vector<std::string>& env) {
  int in = -1, out = -1, err = -1;
  const pid_t pid = Spawn(args, env, in, out, err);
  // Write stdin then read both outputs with poll so a chatty child never blocks on a full pipe.
  if (!stdin_text.empty()) {
    const ssize_t ignored = write(in, stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  close(in);
  // No deadline that a slow machine could hit: a one-shot command ends by itself.
  return CliProcess(pid, out, err).Wait(std::chrono::hours(1));
}

std::unique_ptr<CliProcess> StartCli(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env) {
  int in = -1, out = -1, err = -1;
  const pid_t pid = Spawn(args, env, in, out, err);
  close(in);
  return std::make_unique<CliProcess>(pid, out, err);
}

CliProcess::~CliProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

bool CliProcess::Pump(std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  const int ready = poll(fds, 2, static_cast<int>(left.count()));
  if (ready < 0 && errno == EINTR) return true;  // A signal to the test; poll again.
  if (ready <= 0) return false;
  int* owned[2] = {&out_fd_, &err_fd_};
  std::string* sinks[2] = {&result_.out, &result_.err};
  char buffer[65536];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    const ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
    if (n > 0) {
      sinks[i]->append(buffer, static_cast<size_t>(n));
    } else {
      close(*owned[i]);
      *owned[i] = -1;
    }
  }
  return true;
}

std::optional<std::string> CliProcess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const size_t end = result_.out.find('\n', line_start_);
    if (end != std::string::npos) {
      std::string line = result_.out.substr(line_start_, end - line_start_);
      line_start_ = end + 1;
      return line;
    }
    if (out_fd_ < 0 || !Pump(deadline)) return std::nullopt;
  }
}

bool CliProcess::Signal(int signal) { return !reaped_ && kill(pid_, signal) == 0; }

CliResult CliProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while ((out_fd_ >= 0 || err_fd_ >= 0) && Pump(deadline)) {
  }
  while (!reaped_) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      result_.exit_code = ExitCodeOf(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      reaped_ = true;
      result_.exit_code = -1;
      break;
    }
    usleep(10 * 1000);
  }
  return result_;
}

}  // namespace mg::testing
