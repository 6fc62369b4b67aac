// `label FILE|-` (read a product label) and `medicines lookup|lint` (what a name resolves to in
// the medicines catalogue). Thin: parse, call mg_products, render text or --json.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "chem/compounds.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "core/text.h"
#include "kb/kb.h"
#include "ops/products.h"
#include "products/catalogue.h"
#include "products/label.h"
#include "products/magnesium_count.h"
#include "products/products_json.h"

namespace mg::cli {
namespace {

using nlohmann::json;

// What every command here needs: the knowledge base, the compounds and the catalogue.
struct Loaded {
  kb::KnowledgeBase kb;
  chem::CompoundCatalog compounds;
  products::Catalogue catalogue;
};

Result<Loaded> Load(const CliContext& ctx, const std::optional<std::string>& medicines_dir) {
  auto kb = kb::LoadKnowledgeBase(ctx.kb_dir);
  if (!kb.ok()) return kb.error();
  auto compounds = chem::CompoundCatalog::Load();
  if (!compounds.ok()) return compounds.error();
  auto catalogue = products::Catalogue::Load(medicines_dir, *kb, *compounds);
  if (!catalogue.ok()) return catalogue.error();
  return Loaded{std::move(kb).value(), std::move(compounds).value(), std::move(catalogue).value()};
}

std::string Mg(std::optional<double> mg) { return mg ? FormatNumber(*mg, 1) + " mg" : "unknown"; }

void PrintLabel(const products::Label& l, const chem::CompoundCatalog& compounds,
                const products::Catalogue& catalogue) {
  const auto& s = l.serving;
  fmt::print("Panel: {}\n", products::ToString(l.panel));
  if (s.assumed) {
    fmt::print("Serving: not printed\n");
  } else {
    fmt::print("Serving: {}{} {}{} (line {})\n", FormatNumber(s.count, 2),
               s.count_max != s.count ? "-" + FormatNumber(s.count_max, 2) : "", s.unit,
               s.grams ? fmt::format(" ({} g)", FormatNumber(*s.grams, 2)) : "", s.line);
  }
  fmt::print("Elemental magnesium: {} per serving, {} per {}\n", Mg(l.elemental_mg_per_serving),
             Mg(l.elemental_mg_per_unit), s.assumed ? "unit" : s.unit);
  for (const auto& id : l.compounds) {
    const chem::Compound* c = compounds.FindById(id);
    fmt::print("Form: {} ({}, {:.1f} % magnesium)\n", c ? c->name : id, id,
               c ? c->magnesium_fraction * 100 : 0);
  }
  if (const auto& p = l.percent_daily_value) {
    std::string reference = p->reference_id;
    for (const auto& dv : catalogue.daily_values()) {
      if (dv.id == p->reference_id) reference = dv.name;
    }
    fmt::print("Percentage: {} % on the label; {} mg is {} % of {} mg ({}){}\n",
               FormatNumber(p->stated), FormatNumber(p->amount_mg),
               FormatNumber(p->amount_mg / p->reference_mg * 100), FormatNumber(p->reference_mg),
               reference, p->matches ? "" : " - does not match");
  }
  if (const auto& d = l.directions) {
    std::string dose;
    if (d->units_max) {
      dose = FormatNumber(*d->units_min, 2);
      if (*d->units_max != *d->units_min) dose += "-" + FormatNumber(*d->units_max, 2);
      dose += " " + d->unit;
    }
    if (d->times_max) {
      dose +=
          fmt::format(", {}{} time(s) a day", FormatNumber(*d->times_min, 2),
                      *d->times_max != *d->times_min ? "-" + FormatNumber(*d->times_max, 2) : "");
    }
    if (d->max_units_per_day) {
      dose += fmt::format("{}at most {} a day", dose.empty() ? "" : "; ",
                          FormatNumber(*d->max_units_per_day, 2));
    }
    fmt::print("Directions: {}\n", dose);
  }
  if (l.servings_per_container) {
    fmt::print("Servings per container: {}\n", FormatNumber(*l.servings_per_container, 1));
  }
  if (l.price) {
    fmt::print("Price: {} {}{}\n", FormatNumber(l.price->amount, 2), l.price->currency,
               l.price_per_serving
                   ? fmt::format(" ({} per serving)", FormatNumber(*l.price_per_serving, 3))
                   : "");
  }
  if (!l.magnesium_lines.empty()) fmt::print("Magnesium lines read:\n");
  for (const auto& m : l.magnesium_lines) {
    const char* basis = m.basis == products::AmountBasis::kElemental      ? "elemental"
                        : m.basis == products::AmountBasis::kCompoundMass ? "salt mass"
                                                                          : "blend";
    fmt::print("  line {}: {} -> {} as printed ({}), {} magnesium\n", m.line, m.text,
               Mg(m.amount_mg), basis, Mg(m.elemental_mg));
  }
  if (!l.warnings.empty()) fmt::print("Warnings:\n");
  for (const auto& w : l.warnings) {
    fmt::print("  {}[{}] {}\n", w.line > 0 ? fmt::format("line {}: ", w.line) : "", w.code,
               w.message);
  }
}

Status ReadLabelCommand(const CliContext& ctx, const std::string& path) {
  auto text = ReadFileOrStdin(path, "the label");
  if (!text.ok()) return text.error();
  ops::LabelRequest request{std::move(text).value(), path == "-" ? "standard input" : path};
  ops::Context context(ContextOptionsOf(ctx));
  auto result = ops::ReadProductLabel(context, request);
  if (!result.ok()) return result.error();
  if (ctx.json) {
    fmt::print("{}\n", result->ToJson().dump(2));
  } else {
    PrintLabel(result->label, **context.compounds(), **context.catalogue());
  }
  return {};
}

void PrintResolution(const products::Resolution& r, const Loaded& loaded,
                     const std::optional<products::MagnesiumCount>& count,
                     const std::string& count_error) {
  if (!r.known()) {
    fmt::print("{}: not in the medicines catalogue{}\n", r.query,
               r.unknown_part.empty() ? "" : fmt::format(" ('{}' is not known)", r.unknown_part));
    if (!r.suggestions.empty()) {
      std::vector<std::string> quoted;
      for (const auto& s : r.suggestions) quoted.push_back("'" + s + "'");
      fmt::print("  did you mean {}?\n", JoinAlternatives(quoted));
    }
    return;
  }
  fmt::print("{}: {} ({} '{}')\n", r.query, products::ToString(r.kind),
             products::ToString(r.matched_as), r.matched_name);
  for (const products::Product* p : r.products) {
    fmt::print("  product: {} [{}]\n", p->name, p->id);
    if (p->magnesium_mg_per_unit) {
      fmt::print("    magnesium: {} mg per {}", FormatNumber(*p->magnesium_mg_per_unit, 1),
                 p->unit);
      std::vector<std::string> basis;
      if (p->label_magnesium_mg) {
        basis.push_back("label " + FormatNumber(*p->label_magnesium_mg, 1) + " mg");
      }
      if (p->computed_magnesium_mg) {
        basis.push_back("computed " + FormatNumber(*p->computed_magnesium_mg, 1) + " mg");
      }
      std::string joined;
      for (const auto& b : basis) joined += (joined.empty() ? "" : ", ") + b;
      fmt::print("{}\n", joined.empty() ? "" : " (" + joined + ")");
      if (p->units_per_dose) {
        fmt::print("    usual dose: {}-{} x {}{}\n",
                   FormatNumber(p->units_per_dose->fewest_units, 2),
                   FormatNumber(p->units_per_dose->most_units, 2), p->unit,
                   p->max_units_per_day
                       ? fmt::format(", at most {} a day", FormatNumber(*p->max_units_per_day, 2))
                       : "");
      }
    }
    fmt::print("    sources: {} ({})\n", fmt::join(p->citation_ids, ", "), p->source);
  }
  for (const products::Ingredient* i : r.ingredients) {
    std::string detail;
    if (const kb::Interaction* interaction = loaded.kb.FindInteraction(i->interaction_id)) {
      detail = fmt::format("interaction class '{}' ({}, {})", interaction->id, interaction->name,
                           kb::ToString(interaction->action));
    }
    if (const chem::Compound* c = loaded.compounds.FindById(i->compound_id)) {
      detail += fmt::format("{}magnesium salt '{}' ({:.1f} % magnesium)",
                            detail.empty() ? "" : "; ", c->id, c->magnesium_fraction * 100);
    } else if (i->contains_magnesium) {
      detail += std::string(detail.empty() ? "" : "; ") + "magnesium, salt not named";
    }
    fmt::print("  ingredient: {}{}\n", i->name, detail.empty() ? "" : " - " + detail);
  }
  if (count) {
    fmt::print("  counted: {} mg magnesium a day - {}\n",
               FormatNumber(count->elemental_mg_per_day, 1), count->reading);
    for (const auto& note : count->notes) fmt::print("  note: {}\n", note);
  } else if (!count_error.empty()) {
    fmt::print("  counted: {}\n", count_error);
  } else if (!r.ContainsMagnesium()) {
    fmt::print("  magnesium: none\n");
  }
}

Status Lookup(const CliContext& ctx, const std::vector<std::string>& names,
              const std::string& amount_text, double times,
              const std::optional<std::string>& medicines_dir) {
  auto loaded = Load(ctx, medicines_dir);
  if (!loaded.ok()) return loaded.error();
  std::optional<products::StatedAmount> amount;
  if (!amount_text.empty()) {
    auto parsed = products::ParseStatedAmount(amount_text);
    if (!parsed.ok()) return InvalidArgument("--amount: " + parsed.error().message);
    amount = *parsed;
  }
  json out = json::array();
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    const products::Resolution r = loaded->catalogue.Resolve(name);
    if (!r.known()) unknown.push_back(name);
    std::optional<products::MagnesiumCount> count;
    std::string count_error;
    if (r.known()) {
      auto counted = products::CountMagnesium(r, amount, times, loaded->compounds);
      if (counted.ok()) {
        count = *counted;
      } else {
        count_error = counted.error().message;
      }
    }
    if (ctx.json) {
      json entry = products::ToJson(r, loaded->kb, loaded->compounds);
      entry["count"] = count ? products::ToJson(*count) : json(nullptr);
      entry["count_error"] = count_error.empty() ? json(nullptr) : json(count_error);
      out.push_back(std::move(entry));
    } else {
      PrintResolution(r, *loaded, count, count_error);
    }
  }
  if (ctx.json) fmt::print("{}\n", out.dump(2));
  if (!unknown.empty()) {
    return NotFound(fmt::format("not in the medicines catalogue: {}", JoinAlternatives(unknown)));
  }
  return {};
}

Status Lint(const CliContext& ctx, const std::string& dir_arg) {
  const std::optional<std::string> dir = dir_arg.empty() ? std::nullopt : std::optional(dir_arg);
  auto loaded = Load(ctx, dir);
  if (!loaded.ok()) return loaded.error();
  const auto& c = loaded->catalogue;
  if (ctx.json) {
    fmt::print("{}\n", json({{"ok", true},
                             {"ingredients", c.ingredients().size()},
                             {"products", c.products().size()},
                             {"magnesium_products", c.MagnesiumProducts().size()}})
                           .dump(2));
  } else {
    fmt::print("{}: clean ({} ingredients, {} products, {} of them with magnesium)\n",
               dir ? *dir : "the built-in medicines catalogue", c.ingredients().size(),
               c.products().size(), c.MagnesiumProducts().size());
  }
  return {};
}

}  // namespace

void RegisterLabelCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("label")) {
    auto path = std::make_shared<std::string>();
    CLI::App* label = app.add_subcommand(
        "label", "Read a Supplement Facts / Drug Facts / nutrition-information label (FILE or -)");
    label->add_option("FILE", *path, "A text file with the label as printed, or - for stdin")
        ->required();
    label->callback(
        [&ctx, path] { RunCommand(ctx, [&] { return ReadLabelCommand(ctx, *path); }); });
  }
  if (!ctx.Registers("medicines")) return;
  CLI::App* medicines =
      app.add_subcommand("medicines", "What names of medicines and products resolve to");
  medicines->require_subcommand(1);
  auto names = std::make_shared<std::vector<std::string>>();
  auto amount = std::make_shared<std::string>();
  auto times = std::make_shared<double>(1);
  auto dir = std::make_shared<std::string>();
  CLI::App* lookup = medicines->add_subcommand(
      "lookup", "Ingredients, interaction classes and magnesium of each NAME");
  lookup->add_option("NAME", *names, "Generic, brand or abbreviation, e.g. Dyazide, HCTZ, MoM")
      ->required();
  lookup->add_option("--amount", *amount,
                     "Amount taken each time: '250mg' (elemental), '500mg compound', '2 tablets'");
  lookup->add_option("--times", *times, "Times a day (default 1)")->check(CLI::Range(1, 24));
  lookup->add_option("--medicines", *dir, "Catalogue directory instead of the built-in one");
  lookup->callback([&ctx, names, amount, times, dir] {
    RunCommand(ctx, [&] {
      return Lookup(ctx, *names, *amount, *times,
                    dir->empty() ? std::nullopt : std::optional(*dir));
    });
  });
  auto lint_dir = std::make_shared<std::string>();
  CLI::App* lint = medicines->add_subcommand(
      "lint", "Validate the medicines catalogue (DIR, or the built-in one); exit 0 if clean");
  lint->add_option("DIR", *lint_dir, "Directory holding the catalogue's .toml files");
  lint->callback([&ctx, lint_dir] { RunCommand(ctx, [&] { return Lint(ctx, *lint_dir); }); });
}

}  // namespace mg::cli
