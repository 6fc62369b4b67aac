// Shared by the fault tests: a scratch folder per test, the local server run as a person runs it
// (`mgadvisor serve --db FILE --port 0`), a child process under a file-size limit, and the notes
// a journal holds (read back with the real `journal export`).
#ifndef MGADVISOR_TESTS_FAULT_FAULT_UTIL_H_
#define MGADVISOR_TESTS_FAULT_FAULT_UTIL_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"
#include "tests/fault/report.h"

namespace mg::fault {

// A fresh folder named after the running test; removed again on destruction.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }
  // The environment of a person whose data lives here, with a fixed "today".
  std::vector<std::string> Env() const;

 private:
  std::filesystem::path dir_;
};

// Starts `mgadvisor serve --port 0 ARGS...` and reads its port from the first line it prints.
// `port` is 0 (and a test failure recorded) when it printed no address in time.
std::unique_ptr<testing::CliProcess> StartServe(const std::vector<std::string>& args,
                                                const std::vector<std::string>& env, int& port);

// Runs the real binary with RLIMIT_FSIZE = `max_file_bytes` and SIGXFSZ ignored, so a write past
// the limit fails with EFBIG as it would on a full disk. stdout and stderr are captured.
testing::CliResult RunCliWithFileSizeLimit(const std::vector<std::string>& args,
                                           const std::vector<std::string>& env,
                                           size_t max_file_bytes);

// The notes of every entry in the journal at `db`, read with `mgadvisor journal export`.
// Records a test failure (and returns an empty set) when the export fails.
std::multiset<std::string> NotesIn(const std::string& db, const std::vector<std::string>& env);

double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace mg::fault

#endif  // MGADVISOR_TESTS_FAULT_FAULT_UTIL_H_
