// Command registration: each module adds its verbs to the CLI11 app here. Commands are thin:
// parse, call one operation (src/ops, the same the server calls), render text or JSON.
#ifndef MGADVISOR_CLI_COMMANDS_H_
#define MGADVISOR_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mg::journal {
class Store;
}  // namespace mg::journal

namespace mg::cli {

// Options shared by every command, filled by CLI11 before a command's callback runs.
struct CliContext {
  bool json = false;                  // --json: machine-readable output on stdout.
  std::string reference = "us";       // --reference us|eu: which reference-intake set limits use.
  std::optional<std::string> kb_dir;  // --kb DIR: knowledge base directory instead of embedded.
  int exit_code = 0;                  // Set by a command's callback; returned by main.
  // The one top-level command this run registers (cli/main.cc), or empty for every command: a
  // module adds only the command that runs, since building the options of the others cost as
  // much as a short command's own work.
  std::string_view only_command;
  bool Registers(std::string_view command) const {
    return only_command.empty() || only_command == command;
  }
};

// Runs `body` and turns a failed Status into an error message on stderr and the mapped exit code.
// Every command callback goes through this, so error rendering lives in one place.
void RunCommand(CliContext& ctx, const std::function<Status()>& body);

void RegisterChemCommands(CLI::App& app, CliContext& ctx);
void RegisterDriCommands(CLI::App& app, CliContext& ctx);
void RegisterFoodsCommands(CLI::App& app, CliContext& ctx);  // foods search|richest|import, intake
void RegisterKbCommands(CLI::App& app, CliContext& ctx);     // kb lint|list, explain, data lint
void RegisterPlanCommands(CLI::App& app, CliContext& ctx);   // plan, profile set|show
void RegisterJournalCommands(CLI::App& app, CliContext& ctx);  // log ..., journal ...
void RegisterTrialCommands(CLI::App& app, CliContext& ctx);    // trial plan|status|end|report
void RegisterServerCommands(CLI::App& app, CliContext& ctx);   // serve
void RegisterLabelCommands(CLI::App& app, CliContext& ctx);    // label, medicines lookup|lint
void RegisterCheckCommands(CLI::App& app, CliContext& ctx);    // check

// The journal for `--db PATH` (empty: the default path), with "today" from the system clock or
// the MGADVISOR_TODAY environment variable (YYYY-MM-DD; for tests and demos).
Result<std::unique_ptr<journal::Store>> OpenJournal(const std::string& db_flag);
Result<std::chrono::sys_days> JournalToday();

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_COMMANDS_H_
