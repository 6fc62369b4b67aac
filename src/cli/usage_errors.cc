#include "cli/usage_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "journal/journal.h"

namespace mg::cli {
namespace {

// The subcommand chain CLI11 got to before it stopped: the app, then each parsed subcommand.
std::vector<const CLI::App*> ParsedChain(const CLI::App& app) {
  std::vector<const CLI::App*> chain = {&app};
  while (true) {
    const auto parsed = chain.back()->get_subcommands();
    if (parsed.empty()) break;
    chain.push_back(parsed.front());
  }
  return chain;
}

std::vector<std::string> FlagNames(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> names;
  for (const CLI::App* cmd : chain) {
    for (const CLI::Option* option : cmd->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
      for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::App* sub :
       const_cast<CLI::App&>(cmd).get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

}  // namespace

std::optional<Misspelling> FindMisspelling(const CLI::App& app) {
  const auto chain = ParsedChain(app);
  // The first token CLI11 did not expect: after a mistyped command, everything that follows is
  // unexpected too and says nothing more ("30" in "plna --age 30").
  std::optional<std::string> token;
  std::vector<std::string> unexpected;
  for (const CLI::App* cmd : chain) {
    unexpected = cmd->remaining();
    if (!unexpected.empty()) {
      token = unexpected.front();
      break;
    }
  }
  if (!token) return std::nullopt;
  std::string command = "mgadvisor";
  for (size_t i = 1; i < chain.size(); ++i) command += " " + chain[i]->get_name();
  const bool is_flag = token->size() > 1 && (*token)[0] == '-';
  Misspelling out;
  if (is_flag) {
    out.token = token->substr(0, token->find('='));
    out.message = fmt::format("unknown flag '{}' for '{}'", out.token, command);
    out.suggestions = CloseMatches(out.token, FlagNames(chain), 3);
  } else {
    const std::vector<std::string> subcommands = SubcommandNames(*chain.back());
    // A word where no command is expected is a stray value, not a misspelt command.
    if (subcommands.empty()) return std::nullopt;
    out.token = *token;
    out.message = fmt::format("'{}' is not a command of '{}'", out.token, command);
    // `log cramps 2` reads naturally but the scales sit one level down: say the whole line.
    const auto kind = journal::ParseEntryKind(*token);
    if (command == "mgadvisor log" && kind && journal::IsSymptom(*kind)) {
      std::string line = command + " symptom";
      for (const std::string& word : unexpected) line += " " + word;
      out.suggestions = {line};
      return out;
    }
    out.suggestions = CloseMatches(out.token, subcommands, 3);
  }
  std::erase(out.suggestions, out.token);
  if (out.suggestions.empty()) return std::nullopt;
  return out;
}

int ReportParseError(CLI::App& app, const CLI::ParseError& error, bool json) {
  if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version.
  // CLI11 reports the first rule broken ("--age is required" for "--agee 30"); a misspelling,
  // when there is one, is the cause, so it is what the message names.
  const auto misspelling = FindMisspelling(app);
  std::string message = error.what();
  if (misspelling) {
    message = misspelling->message + " (did you mean " +
              JoinAlternatives(misspelling->suggestions) + "?)";
  }
  if (json) {
    nlohmann::json out = {{"error", {{"code", "invalid_argument"}, {"message", message}}}};
    if (misspelling) out["error"]["suggestions"] = misspelling->suggestions;
    std::fprintf(stderr, "%s\n",
                 out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::fprintf(stderr, "mgadvisor: %s\n", message.c_str());
    std::fprintf(stderr, "Run with --help for more information.\n");
  }
  return 2;
}

}  // namespace mg::cli
