// mgadvisor's command-line entry point: builds the CLI11 app from each module's commands and maps
// failures to exit codes (core/error.h holds the one table).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "cli/build_info.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/postgres_program.h"
#include "cli/usage_errors.h"
#include "core/utf8.h"
#include "datac/built_in.h"
#include "ops/context.h"

namespace {

// Each module's commands and the top-level names they add, so a run registers with CLI11 only the
// command it runs (CliContext::only_command): building the whole command tree was about a third of
// a short command's instructions. Help, completion, a misspelt command and anything this table
// misses get the whole tree, in this order (the order --help lists them).
struct Module {
  void (*add)(CLI::App&, mg::cli::CliContext&);
  std::array<std::string_view, 4> commands;
};
constexpr Module kModules[] = {
    {mg::cli::RegisterChemCommands, {"compounds", "elemental", "formula", "convert"}},
    {mg::cli::RegisterDriCommands, {"dri"}},
    {mg::cli::RegisterFoodsCommands, {"foods", "intake"}},
    {mg::cli::RegisterKbCommands, {"data", "kb", "explain"}},
    {mg::cli::RegisterPlanCommands, {"plan", "profile"}},
    {mg::cli::RegisterJournalCommands, {"log", "journal", "summary"}},
    {mg::cli::RegisterTrialCommands, {"trial"}},
    {mg::cli::RegisterServerCommands, {"admin", "serve"}},
    {mg::cli::RegisterLabelCommands, {"label", "medicines"}},
    {mg::cli::RegisterCheckCommands, {"check"}},
};

bool Names(const Module& module, std::string_view command) {
  return !command.empty() && std::find(module.commands.begin(), module.commands.end(), command) !=
                                 module.commands.end();
}

// The command on the command line: the first argument that is neither an option nor the value of
// a global option that takes one (main's --reference and --kb).
std::string_view CommandNamed(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--reference" || arg == "--kb") {
      ++i;
    } else if (!arg.starts_with("-")) {
      return arg;
    }
  }
  return {};
}

void RegisterCommands(CLI::App& app, mg::cli::CliContext& ctx, std::string_view command,
                      bool version_only) {
  if (version_only) return;  // CLI11 answers --version before it looks for a command.
  for (const Module& module : kModules) {
    if (!Names(module, command)) continue;
    ctx.only_command = command;
    module.add(app, ctx);
    if (!app.get_subcommands([&](const CLI::App* c) { return c->get_name() == command; }).empty())
      return;  // Only this command: it runs as if all were there.
  }
  ctx.only_command = {};
  for (const Module& module : kModules) {
    if (!Names(module, command)) module.add(app, ctx);
  }
  mg::cli::RegisterCompletionCommand(app, ctx);  // Last: it describes every command above.
#ifndef NDEBUG
  // Debug builds (the tests') check the table names every top-level command but completion.
  for (const CLI::App* c : app.get_subcommands({})) {
    const bool listed = std::any_of(std::begin(kModules), std::end(kModules),
                                    [&](const Module& m) { return Names(m, c->get_name()); });
    if (!listed && c->get_name() != "completion") {
      std::fprintf(stderr, "mgadvisor: command '%s' is missing from kModules (cli/main.cc)\n",
                   c->get_name().c_str());
      std::abort();
    }
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // The built-in data files decode from trees parsed at build time instead of from TOML text.
  mg::precompiled::InstallBuiltIn();
  // One command, then exit: what a command loaded is left for the exit to take back.
  mg::ops::Context::KeepLoadedPiecesUntilExit();
  mg::cli::CliContext ctx;
  // Never taken apart, like the loaded pieces: destroying every command's options at exit was a
  // seventh of `--help`'s instructions (issue 20). A static reference keeps it reachable, so leak
  // checkers do not report it.
  static CLI::App& app = *new CLI::App{
      "mgadvisor: honest, evidence-graded, safe guidance on magnesium for muscle, leg and nerve "
      "complaints.\nNot a substitute for a clinician."};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_flag("--json", ctx.json, "Print machine-readable JSON");
  app.add_option("--reference", ctx.reference, "Reference intakes and limits: us (default) or eu")
      ->check(CLI::IsMember({"us", "eu"}));
  app.add_option("--kb", ctx.kb_dir, "Knowledge-base directory to use instead of the built-in one");
  app.set_version_flag(
      "--version", [&ctx] { return mg::cli::VersionText(ctx.json); },
      "Print the version and the git commit it was built from");

  const std::string_view command = CommandNamed(argc, argv);
  // `--version` (with or without --json) and nothing else.
  const bool version_only =
      std::any_of(argv + 1, argv + argc,
                  [](const char* a) { return std::string_view(a) == "--version"; }) &&
      std::all_of(argv + 1, argv + argc, [](const char* a) {
        return std::string_view(a) == "--version" || std::string_view(a) == "--json";
      });
  RegisterCommands(app, ctx, command, version_only);

  // The input boundary: an argument that is not UTF-8 never reaches a command (exit 2, as JSON
  // with --json). CLI11 has not parsed yet, so --json is looked for directly.
  ctx.json = std::any_of(argv + 1, argv + argc,
                         [](const char* a) { return std::string_view(a) == "--json"; });
  mg::cli::RunCommand(ctx, [&] { return mg::CheckUtf8Arguments(argc, argv); });
  if (ctx.exit_code != 0) return ctx.exit_code;
  // Multi-user mode runs in the sibling that links PostgreSQL (cli/postgres_program.h); this
  // returns only when the command stays here, or with the reason it could not be handed over.
  mg::cli::RunCommand(ctx, [&] { return mg::cli::HandOverToPostgresProgram(argc, argv); });
  if (ctx.exit_code != 0) return ctx.exit_code;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // 0 for --help and --version; every real parse failure is a usage error (exit 2), with
    // "did you mean" and, under --json, as JSON.
    return mg::cli::ReportParseError(app, e, ctx.json);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mgadvisor: internal error: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}
