// Runs the real mgadvisor binary for black-box tests and captures what a person would see.
#ifndef MGADVISOR_TESTS_CLI_CLI_RUNNER_H_
#define MGADVISOR_TESTS_CLI_CLI_RUNNER_H_

#include <string>
#include <vector>

namespace mg::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs MG_CLI_PATH with `args` (no shell involved), optional `stdin_text`, and extra environment
// entries ("NAME=value"). Aborts the test binary if the process cannot be started.
CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                 const std::vector<std::string>& env = {});

}  // namespace mg::testing

#endif  // MGADVISOR_TESTS_CLI_CLI_RUNNER_H_
