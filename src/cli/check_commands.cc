// `check FILE|-`: each health claim of a page graded against the knowledge base (src/check), and
// the sentence check behind `explain "<free text>"`. Thin: read, call mg_check, render.
#include <fmt/format.h>

#include <iostream>
#include <iterator>

#include "check/check.h"
#include "cli/commands.h"
#include "core/data_files.h"

namespace mg::cli {
namespace {

struct Loaded {
  kb::KnowledgeBase kb;
  dri::ReferenceTables tables;
  chem::CompoundCatalog compounds;
};

// The checker keeps pointers into `loaded`, so both live in one place for the command's run.
Result<std::unique_ptr<Loaded>> LoadAll(const CliContext& ctx) {
  auto kb = kb::LoadKnowledgeBase(ctx.kb_dir);
  if (!kb.ok()) return kb.error();
  auto tables = dri::ReferenceTables::LoadEmbedded();
  if (!tables.ok()) return tables.error();
  auto compounds = chem::CompoundCatalog::Load();
  if (!compounds.ok()) return compounds.error();
  return std::make_unique<Loaded>(
      Loaded{std::move(kb).value(), std::move(tables).value(), std::move(compounds).value()});
}

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
  auto page = check::ReadPage(*bytes, path == "-" ? "standard input" : path);
  if (!page.ok()) return page.error();
  auto loaded = LoadAll(ctx);
  if (!loaded.ok()) return loaded.error();
  const Loaded& l = **loaded;
  auto checker = check::Checker::Load(l.kb, l.tables, l.compounds, std::nullopt);
  if (!checker.ok()) return checker.error();
  const check::CheckResult result = checker->Check(*page);
  if (ctx.json) {
    fmt::print("{}\n", check::ToJson(result).dump(2));
  } else {
    fmt::print("{}", check::RenderText(result, *page));
  }
  return {};
}

}  // namespace

Status ExplainClaim(const CliContext& ctx, const std::string& sentence, const Error& not_found) {
  auto page = check::ReadPage(sentence, "the sentence");
  if (!page.ok()) return not_found;
  auto loaded = LoadAll(ctx);
  if (!loaded.ok()) return loaded.error();
  const Loaded& l = **loaded;
  auto checker = check::Checker::Load(l.kb, l.tables, l.compounds, std::nullopt);
  if (!checker.ok()) return checker.error();
  auto claim = checker->CheckSentence(sentence);
  if (!claim) return not_found;  // Neither a name nor a health claim: the "did you mean" error.
  if (ctx.json) {
    fmt::print("{}\n", check::ToJson(*claim).dump(2));
  } else {
    check::CheckResult result;
    result.sentences = 1;
    result.claims.push_back(std::move(*claim));
    fmt::print("{}", check::RenderText(result, *page));
  }
  return {};
}

void RegisterCheckCommands(CLI::App& app, CliContext& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Grade each health claim of a page (text, Markdown or HTML) against the knowledge base");
  check->add_option("FILE", *path, "The page to check, or - for standard input")->required();
  check->callback([&ctx, path] { RunCommand(ctx, [&] { return CheckCommand(ctx, *path); }); });
}

}  // namespace mg::cli
