// mgadvisor's command-line entry point: builds the CLI11 app from each module's commands and maps
// failures to exit codes (core/error.h holds the one table).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
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

  mg::cli::RegisterChemCommands(app, ctx);
  mg::cli::RegisterDriCommands(app, ctx);
  mg::cli::RegisterFoodsCommands(app, ctx);
  mg::cli::RegisterKbCommands(app, ctx);
  mg::cli::RegisterPlanCommands(app, ctx);
  mg::cli::RegisterJournalCommands(app, ctx);
  mg::cli::RegisterTrialCommands(app, ctx);
  mg::cli::RegisterServerCommands(app, ctx);
  mg::cli::RegisterLabelCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 returns 0 for --help; every real parse failure is a usage error (exit 2).
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mgadvisor: internal error: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}
