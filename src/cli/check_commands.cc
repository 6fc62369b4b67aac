// `check FILE|-`: each health claim of a page graded against the knowledge base (src/check), and
// the sentence check behind `explain "<free text>"`. Thin: read, call ops::CheckText, render.
#include <fmt/format.h>

#include <iostream>
#include <iterator>

#include "check/check.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "core/data_files.h"
#include "ops/check.h"

namespace mg::cli {
namespace {

// Reads at most one byte more than a page may hold, so a huge pipe is refused without being
// read to its end.
Result<std::string> ReadInput(const std::string& path) {
  if (path != "-") return ReadFile(path);
  std::string text;
  std::vector<char> buffer(64 * 1024);
  while (text.size() <= check::kMaxPageBytes && std::cin) {
    std::cin.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    text.append(buffer.data(), static_cast<size_t>(std::cin.gcount()));
  }
  if (std::cin.bad()) return IoError("cannot read the page from standard input");
  return text;
}

Status CheckCommand(const CliContext& ctx, const std::string& path) {
  auto bytes = ReadInput(path);
  if (!bytes.ok()) return bytes.error();
  ops::Context context(ContextOptionsOf(ctx));
  auto checked =
      ops::CheckText(context, {std::move(bytes).value(), path == "-" ? "standard input" : path});
  if (!checked.ok()) return checked.error();
  if (ctx.json) {
    fmt::print("{}\n", checked->ToJson().dump(2));
  } else {
    fmt::print("{}", checked->ToText());
  }
  return {};
}

}  // namespace

void RegisterCheckCommands(CLI::App& app, CliContext& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Grade each health claim of a page (text, Markdown or HTML) against the knowledge base");
  check->add_option("FILE", *path, "The page to check, or - for standard input")->required();
  check->callback([&ctx, path] { RunCommand(ctx, [&] { return CheckCommand(ctx, *path); }); });
}

}  // namespace mg::cli
