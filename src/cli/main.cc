// mgadvisor's command-line entry point: builds the CLI11 app from each module's commands and maps
// failures to exit codes (core/error.h holds the one table).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string_view>

#include "cli/build_info.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/postgres_program.h"
#include "cli/usage_errors.h"
#include "core/utf8.h"
#include "datac/built_in.h"

int main(int argc, char** argv) {
  // The built-in data files decode from trees parsed at build time instead of from TOML text.
  mg::precompiled::InstallBuiltIn();
  mg::cli::CliContext ctx;
  CLI::App app{
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

  mg::cli::RegisterChemCommands(app, ctx);
  mg::cli::RegisterDriCommands(app, ctx);
  mg::cli::RegisterFoodsCommands(app, ctx);
  mg::cli::RegisterKbCommands(app, ctx);
  mg::cli::RegisterPlanCommands(app, ctx);
  mg::cli::RegisterJournalCommands(app, ctx);
  mg::cli::RegisterTrialCommands(app, ctx);
  mg::cli::RegisterServerCommands(app, ctx);
  mg::cli::RegisterLabelCommands(app, ctx);
  mg::cli::RegisterCheckCommands(app, ctx);
  mg::cli::RegisterCompletionCommand(app, ctx);  // Last: it describes every command above.

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
