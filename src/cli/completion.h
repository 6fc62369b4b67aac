// `mgadvisor completion bash|zsh|fish`: a shell completion script generated from the CLI11 app
// itself (every subcommand and flag, with their descriptions for zsh and fish), so completions
// never drift from the program. The build writes the three scripts with the built binary and
// `cmake --install` installs them (cmake/Packaging.cmake).
#ifndef MGADVISOR_CLI_COMPLETION_H_
#define MGADVISOR_CLI_COMPLETION_H_

#include <CLI/CLI.hpp>
#include <string>

#include "cli/commands.h"

namespace mg::cli {

// The script for `shell` ("bash", "zsh" or "fish") completing every command of `app`.
std::string CompletionScript(const CLI::App& app, const std::string& shell);

// Adds `completion SHELL`; call after every other command is registered.
void RegisterCompletionCommand(CLI::App& app, CliContext& ctx);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_COMPLETION_H_
