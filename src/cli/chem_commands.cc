// `compounds`, `elemental` and `convert`: label arithmetic for magnesium compounds.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "chem/compounds.h"
#include "chem/compounds_json.h"
#include "chem/units.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "core/numbers.h"
#include "ops/chem.h"

namespace mg::cli {
namespace {

using nlohmann::json;

Status ListCompounds(const CliContext& ctx) {
  ops::Context context(ContextOptionsOf(ctx));
  auto catalog = context.compounds();
  if (!catalog.ok()) return catalog.error();
  if (ctx.json) {
    json out = json::array();
    for (const auto& c : (*catalog)->compounds()) out.push_back(chem::CompoundToJson(c));
    fmt::print("{}\n", out.dump(2));
    return {};
  }
  fmt::print("{:<22} {:<55} {:<20} {:>9} {:>6} {:>12}\n", "id", "name", "formula", "g/mol", "% Mg",
             "mg per 100mg");
  for (const auto& c : (*catalog)->compounds()) {
    fmt::print("{:<22} {:<55} {:<20} {:>9.2f} {:>6.1f} {:>12.0f}\n", c.id, c.name, c.formula,
               c.molar_mass, c.magnesium_fraction * 100, chem::CompoundForElemental(c, 100));
  }
  fmt::print(
      "\n% Mg is computed from each formula with IUPAC 2021 standard atomic weights.\n"
      "'mg per 100mg' is the compound mass that holds 100 mg of elemental magnesium.\n");
  return {};
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

Status Elemental(const CliContext& ctx, const std::string& compound_name,
                 const std::vector<std::string>& amount_words, const std::string& elemental_text) {
  if (amount_words.empty() == elemental_text.empty()) {
    return InvalidArgument(
        "give either a compound amount (elemental \"magnesium citrate\" 1g) or --elemental with "
        "the magnesium wanted (elemental citrate --elemental 200mg), not both or neither");
  }
  ops::Context context(ContextOptionsOf(ctx));
  ops::ElementalRequest request{compound_name, std::nullopt, std::nullopt};
  if (elemental_text.empty()) {
    request.amount = JoinWords(amount_words);
  } else {
    request.elemental = elemental_text;
  }
  auto result = ops::Elemental(context, request);
  if (!result.ok()) {
    Error error = result.error();
    // The operation says "use elemental"; here that is the --elemental flag.
    const std::string plain = "use elemental";
    if (const size_t at = error.message.find(plain); at != std::string::npos) {
      error.message.replace(at, plain.size(), "use --elemental " + *request.amount);
    }
    if (error.message.starts_with("compound: ")) error.message.erase(0, 10);
    return AsFlags(error, {{"elemental", "--elemental"}});
  }
  if (ctx.json) {
    fmt::print("{}\n", result->ToJson().dump(2));
    return {};
  }
  const chem::Compound& c = *result->compound;
  const double elemental_mg = result->elemental_mg;
  fmt::print("{} ({}, {:.1f} % magnesium)\n", c.name, c.formula, c.magnesium_fraction * 100);
  fmt::print("  {} mg of the compound holds {} mg elemental magnesium ({} mmol, {} mEq)\n",
             FormatNumber(result->compound_mg, 1), FormatNumber(elemental_mg, 1),
             FormatNumber(chem::MagnesiumMgToMmol(elemental_mg), 2),
             FormatNumber(chem::MagnesiumMgToMeq(elemental_mg), 2));
  if (!c.note.empty()) fmt::print("  Note: {}\n", c.note);
  return {};
}

Status Convert(const CliContext& ctx, const std::vector<std::string>& amount_words) {
  const std::string text = JoinWords(amount_words);
  auto amount = chem::ParseAmount(text);
  if (!amount.ok()) return InvalidArgument("amount: " + amount.error().message);
  const double mg = chem::MagnesiumMilligrams(*amount);
  if (ctx.json) {
    fmt::print(
        "{}\n",
        json{{"mg", mg}, {"mmol", chem::MagnesiumMgToMmol(mg)}, {"meq", chem::MagnesiumMgToMeq(mg)}}
            .dump(2));
    return {};
  }
  fmt::print("{} of magnesium = {} mg = {} mmol = {} mEq\n", text, FormatReadable(mg),
             FormatReadable(chem::MagnesiumMgToMmol(mg)),
             FormatReadable(chem::MagnesiumMgToMeq(mg)));
  return {};
}

Status ShowFormula(const CliContext& ctx, const std::string& formula) {
  auto weights = chem::AtomicWeights::LoadEmbedded();
  if (!weights.ok()) return weights.error();
  auto counts = chem::ParseFormula(formula, *weights);
  if (!counts.ok()) return counts.error();
  auto molar_mass = weights->MolarMass(*counts);
  if (!molar_mass.ok()) return molar_mass.error();
  const auto magnesium = counts->find("Mg");
  const double fraction =
      magnesium == counts->end() ? 0.0 : magnesium->second * *weights->Of("Mg") / *molar_mass;
  if (ctx.json) {
    fmt::print("{}\n", json{{"formula", formula},
                            {"composition", *counts},
                            {"molar_mass_g_per_mol", *molar_mass},
                            {"magnesium_fraction", fraction}}
                           .dump(2));
    return {};
  }
  std::string composition;
  for (const auto& [symbol, count] : *counts) composition += fmt::format(" {}{}", symbol, count);
  fmt::print("{}: molar mass {} g/mol;{}; magnesium {} % by mass\n", formula,
             FormatNumber(*molar_mass, 2), composition, FormatNumber(fraction * 100, 2));
  return {};
}

}  // namespace

void RegisterChemCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("compounds")) {
    auto* compounds =
        app.add_subcommand("compounds", "List magnesium compounds with their elemental fractions");
    compounds->callback([&ctx] { RunCommand(ctx, [&] { return ListCompounds(ctx); }); });
  }

  if (ctx.Registers("elemental")) {
    struct ElementalArgs {
      std::string compound;
      std::vector<std::string> amount;
      std::string elemental;
    };
    auto args = std::make_shared<ElementalArgs>();
    auto* elemental = app.add_subcommand("elemental",
                                         "Elemental magnesium in an amount of a compound, or "
                                         "(--elemental) the compound mass to take");
    elemental->add_option("compound", args->compound, "Compound name, e.g. \"magnesium citrate\"")
        ->required();
    elemental->add_option("amount", args->amount, "Compound mass, e.g. 1g or 500 mg")
        ->expected(0, 2);
    elemental->add_option(
        "--elemental", args->elemental,
        "Magnesium wanted (mg, g, mmol, mEq); prints the compound mass holding it");
    elemental->callback([&ctx, args] {
      RunCommand(ctx,
                 [&] { return Elemental(ctx, args->compound, args->amount, args->elemental); });
    });
  }

  if (ctx.Registers("formula")) {
    auto formula = std::make_shared<std::string>();
    auto* formula_cmd = app.add_subcommand(
        "formula", "Molar mass and magnesium fraction of a chemical formula, e.g. \"MgSO4·7H2O\"");
    formula_cmd->add_option("formula", *formula, "Formula with groups and hydrates")->required();
    formula_cmd->callback(
        [&ctx, formula] { RunCommand(ctx, [&] { return ShowFormula(ctx, *formula); }); });
  }

  if (ctx.Registers("convert")) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* convert =
        app.add_subcommand("convert", "Convert an amount of magnesium between mg, mmol and mEq");
    convert->add_option("amount", *words, "e.g. 10mmol, 20 mEq, 400mg")->required()->expected(1, 2);
    convert->callback([&ctx, words] { RunCommand(ctx, [&] { return Convert(ctx, *words); }); });
  }
}

}  // namespace mg::cli
