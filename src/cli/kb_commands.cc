// `kb lint`, `kb list` and `explain`: the knowledge base as people and contributors see it; and
// `data lint`, which checks every data file (`kb lint` is its knowledge-base part).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/data_files.h"
#include "kb/explain.h"
#include "kb/kb.h"
#include "ops/check.h"
#include "ops/data_lint.h"

namespace mg::cli {
namespace {

using nlohmann::json;

json Counts(const kb::KnowledgeBase& kb) {
  return {{"conditions", kb.conditions.size()},
          {"findings", kb.findings.size()},
          {"forms", kb.forms.size()},
          {"interactions", kb.interactions.size()},
          {"contraindications", kb.contraindications.size()},
          {"diagnoses", kb.diagnoses.size()},
          {"red_flags", kb.red_flags.size()},
          {"measures", kb.measures.size()},
          {"side_effects", kb.side_effects.size()},
          {"mechanisms", kb.mechanisms.size()},
          {"citations", kb.citations.size()}};
}

Status Lint(const CliContext& ctx, const std::string& dir_arg) {
  const std::optional<std::string> dir = !dir_arg.empty() ? std::optional(dir_arg) : ctx.kb_dir;
  auto files = LoadDataFiles("kb", ".toml", dir);
  if (!files.ok()) return files.error();
  const std::vector<std::string> problems = kb::LintKnowledgeBase(*files);
  const std::string where = dir ? *dir : "the built-in knowledge base";
  if (problems.empty()) {
    auto kb = kb::ParseKnowledgeBase(*files);
    if (!kb.ok()) return kb.error();
    if (ctx.json) {
      fmt::print(
          "{}\n",
          json({{"ok", true}, {"problems", json::array()}, {"counts", Counts(*kb)}}).dump(2));
    } else {
      fmt::print(
          "{}: clean ({} conditions, {} findings, {} citations, {} interactions, {} red "
          "flags, {} measures)\n",
          where, kb->conditions.size(), kb->findings.size(), kb->citations.size(),
          kb->interactions.size(), kb->red_flags.size(), kb->measures.size());
    }
    return {};
  }
  if (ctx.json) {
    fmt::print("{}\n", json({{"ok", false}, {"problems", problems}}).dump(2));
  } else {
    for (const auto& problem : problems) fmt::print(stderr, "{}\n", problem);
  }
  return DataError(
      fmt::format("{}: {} problem{}", where, problems.size(), problems.size() == 1 ? "" : "s"));
}

Status List(const CliContext& ctx, const std::string& kind) {
  auto kb = kb::LoadKnowledgeBase(ctx.kb_dir);
  if (!kb.ok()) return kb.error();
  if (ctx.json) {
    auto out = kb::ListJson(*kb, kind);
    if (!out.ok()) return out.error();
    fmt::print("{}\n", out->dump(2));
    return {};
  }
  auto out = kb::RenderList(*kb, kind);
  if (!out.ok()) return out.error();
  fmt::print("{}", *out);
  return {};
}

Status Explain(const CliContext& ctx, const std::vector<std::string>& words) {
  std::string query;
  for (const auto& word : words) query += (query.empty() ? "" : " ") + word;
  ops::Context context(ContextOptionsOf(ctx));
  auto explained = ops::Explain(context, query);
  if (!explained.ok()) return explained.error();
  auto kb = context.kb();
  if (!kb.ok()) return kb.error();
  if (ctx.json) {
    fmt::print("{}\n", explained->ToJson(**kb).dump(2));
  } else {
    fmt::print("{}", explained->ToText(**kb));
  }
  return {};
}

// `data lint [DIR]`: every kind of data file, and the references between them (ops/data_lint.h).
Status DataLint(const CliContext& ctx, const std::string& dir_arg) {
  const std::optional<std::string> dir = dir_arg.empty() ? std::nullopt : std::optional(dir_arg);
  auto report = ops::LintData(dir);
  if (!report.ok()) return report.error();
  if (ctx.json) {
    fmt::print("{}\n", report->ToJson().dump(2));
  } else if (report->ok()) {
    fmt::print("{}: clean ({} files)\n", report->where, report->files.size());
  } else {
    for (const auto& problem : report->problems) fmt::print(stderr, "{}\n", problem);
  }
  if (report->ok()) return {};
  return DataError(fmt::format("{}: {} problem{}", report->where, report->problems.size(),
                               report->problems.size() == 1 ? "" : "s"));
}

}  // namespace

void RegisterKbCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("data")) {
    CLI::App* data = app.add_subcommand("data", "Check the data files mgadvisor reads");
    data->require_subcommand(1);
    auto data_dir = std::make_shared<std::string>();
    CLI::App* data_lint = data->add_subcommand(
        "lint",
        "Check every data file (DIR: a folder laid out like data/; default: the built-in data): "
        "unknown keys, bad values, references between files. Exit 0 if clean, 3 if not");
    data_lint->add_option("DIR", *data_dir, "A data folder (chem/, dri/, foods/, kb/, plan/, ...)");
    data_lint->callback(
        [&ctx, data_dir] { RunCommand(ctx, [&] { return DataLint(ctx, *data_dir); }); });
  }

  if (ctx.Registers("kb")) {
    CLI::App* kb = app.add_subcommand("kb", "Inspect and check the knowledge base");
    kb->require_subcommand(1);

    auto lint_dir = std::make_shared<std::string>();
    CLI::App* lint = kb->add_subcommand(
        "lint",
        "Validate knowledge-base files (DIR, or --kb, or the built-in base); exit 0 if clean");
    lint->add_option("DIR", *lint_dir, "Directory holding the knowledge-base .toml files");
    lint->callback([&ctx, lint_dir] { RunCommand(ctx, [&] { return Lint(ctx, *lint_dir); }); });

    auto kind = std::make_shared<std::string>("conditions");
    CLI::App* list = kb->add_subcommand("list", "List entries of one kind (default: conditions)");
    list->add_option("KIND", *kind, "What to list")
        ->check(CLI::IsMember(kb::ListKinds()))
        ->default_str("conditions");
    list->callback([&ctx, kind] { RunCommand(ctx, [&] { return List(ctx, *kind); }); });
  }

  if (ctx.Registers("explain")) {
    auto words = std::make_shared<std::vector<std::string>>();
    CLI::App* explain = app.add_subcommand(
        "explain",
        "What the evidence says about a condition, form, medicine or claim, with sources");
    explain->add_option("QUERY", *words, "An id or a common name, e.g. RLS, \"Epsom salt\"")
        ->required();
    explain->callback([&ctx, words] { RunCommand(ctx, [&] { return Explain(ctx, *words); }); });
  }
}

}  // namespace mg::cli
