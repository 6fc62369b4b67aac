// How a command line CLI11 could not parse is answered: the message, a "did you mean" for a
// mistyped subcommand or flag (core/text.h's CloseMatches over the names the command accepts),
// exit 2, and under --json the same {"error": {code, message}} shape as every other error (with
// the suggestions as a list). --help and --version (CLI11's own "errors" with exit code 0) print
// as CLI11 prints them.
#ifndef MGADVISOR_CLI_USAGE_ERRORS_H_
#define MGADVISOR_CLI_USAGE_ERRORS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mg::cli {

// The first token CLI11 did not expect, when it is close to a subcommand (for a word) or a flag
// (for "-x"/"--xyz", also those of enclosing commands) of the deepest subcommand parsed:
// "--agee=30" is looked up as "--agee". nullopt when there is none or nothing is close.
struct Misspelling {
  std::string token;                     // "--agee"
  std::string message;                   // "unknown flag '--agee' for 'mgadvisor dri'"
  std::vector<std::string> suggestions;  // {"--age"}
};
std::optional<Misspelling> FindMisspelling(const CLI::App& app);

// Prints what `error` says (text or JSON, as above) and returns the exit code: 0 for --help and
// --version, 2 for every usage error.
int ReportParseError(CLI::App& app, const CLI::ParseError& error, bool json);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_USAGE_ERRORS_H_
