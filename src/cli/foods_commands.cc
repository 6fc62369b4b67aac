// `foods search`, `foods richest`, `foods import` and `intake`: thin adapters over mg_foods.
#include <fmt/format.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "foods/foods.h"
#include "foods/foods_json.h"
#include "foods/import.h"
#include "foods/intake.h"
#include "foods/search.h"
#include "ops/foods.h"
#include "ops/person.h"

namespace mg::cli {
namespace {

using nlohmann::json;

std::string Round(double v) { return FormatNumber(v, 0); }

std::string PerServing(const foods::Food& f) {
  const auto mg = f.MagnesiumIn(f.serving.grams);
  if (!mg) return "magnesium not given by USDA";
  return fmt::format("{} mg per {} ({} g); {} mg/100 g", Round(*mg), f.serving.Label(),
                     FormatNumber(f.serving.grams), FormatNumber(*f.magnesium_mg));
}

struct SearchArgs {
  std::string query;
  size_t limit = 10;
  std::optional<std::string> store;
};

Status Search(const CliContext& ctx, const SearchArgs& args) {
  ops::Context context(ContextOptionsOf(ctx, args.store));
  auto result = ops::SearchFoods(context, args.query, args.limit);
  if (!result.ok()) return AsFlags(result.error(), {{"q", "query"}});
  if (ctx.json) {
    fmt::print("{}\n", result->ToText());
    return {};
  }
  const foods::FoodDb& db = result->store->db;
  const auto& hits = result->hits;
  if (hits.empty()) {
    fmt::print("No food matches \"{}\" in {}.\n", args.query, db.origin());
    if (result->did_you_mean) fmt::print("Did you mean \"{}\"?\n", *result->did_you_mean);
    return {};
  }
  for (size_t i = 0; i < hits.size(); ++i) {
    const foods::Food& f = db[hits[i].food];
    fmt::print("{:>2}. {}  [{}]\n    {}\n", i + 1, f.name, f.source, PerServing(f));
  }
  return {};
}

struct RichestArgs {
  std::vector<std::string> exclude;
  std::string per = "portion";
  size_t limit = 10;
  std::optional<std::string> store;
};

Status Richest(const CliContext& ctx, const RichestArgs& args) {
  auto db = foods::LoadFoods(args.store);
  if (!db.ok()) return db.error();
  auto exclusions = foods::Exclusions::Load();
  if (!exclusions.ok()) return exclusions.error();
  auto set = exclusions->Resolve(args.exclude);
  if (!set.ok()) return InvalidArgument("--exclude: " + set.error().message);
  foods::RichestOptions options;
  options.limit = args.limit;
  options.ranking =
      args.per == "kcal" ? foods::RichRanking::kPerKcal : foods::RichRanking::kPerPortion;
  const auto rich = foods::RichestInMagnesium(*db, *set, options);
  if (ctx.json) {
    json out = json::array();
    for (const auto& r : rich) {
      json item = foods::FoodToJson(*r.food);
      item["magnesium_mg_per_100kcal"] = r.mg_per_100kcal;
      out.push_back(item);
    }
    fmt::print("{}\n",
               json{{"exclusions", set->ids}, {"ranking", args.per}, {"foods", out}}.dump(2));
    return {};
  }
  for (size_t i = 0; i < rich.size(); ++i) {
    const auto& r = rich[i];
    fmt::print("{:>2}. {:<44} {:>4} mg per {}; {} mg per 100 kcal\n", i + 1, r.food->name,
               Round(r.mg_per_serving), r.food->serving.Label(), Round(r.mg_per_100kcal));
  }
  return {};
}

struct ImportArgs {
  std::string dir;
  std::optional<std::string> store;
};

Status Import(const CliContext& ctx, const ImportArgs& args) {
  foods::ImportOptions options;
  options.store_path = args.store ? *args.store : foods::DefaultStorePath();
  options.progress = isatty(STDERR_FILENO) != 0 && !ctx.json;
  auto report = foods::ImportFoods(args.dir, options);
  if (!report.ok()) return report.error();
  if (ctx.json) {
    json out = {{"store", options.store_path},  {"formats", report->formats},
                {"foods", report->foods},       {"with_magnesium", report->with_magnesium},
                {"portions", report->portions}, {"malformed_rows", report->malformed_rows},
                {"problems", report->problems}};
    fmt::print("{}\n", out.dump(2));
    return {};
  }
  fmt::print("Imported {} foods ({} with a magnesium value, {} portions) from {} into {}\n",
             report->foods, report->with_magnesium, report->portions,
             fmt::join(report->formats, " + "), options.store_path);
  if (report->malformed_rows > 0) {
    fmt::print("{} malformed rows were skipped:\n", report->malformed_rows);
    for (const auto& p : report->problems) fmt::print("  {}\n", p);
    if (report->problems.size() < report->malformed_rows) {
      fmt::print("  ... and {} more\n", report->malformed_rows - report->problems.size());
    }
  }
  return {};
}

struct IntakeArgs {
  std::string diary;
  PersonFlags person;
  std::vector<std::string> exclude;
  std::optional<std::string> store;
};

void PrintChanges(const char* title, const std::vector<foods::Change>& changes) {
  if (changes.empty()) return;
  fmt::print("    {}\n", title);
  for (const auto& c : changes) {
    fmt::print("      + {} x {} {} (+{} mg, +{} kcal)\n", FormatNumber(c.portions, 1),
               c.food->serving.Label(), c.food->name, Round(c.magnesium_mg), Round(c.kcal));
  }
}

Status Intake(const CliContext& ctx, const IntakeArgs& args) {
  ops::Context context(ContextOptionsOf(ctx, args.store));
  // The person first, as before: a bad flag is reported before the diary is read.
  auto person = ops::LookUpPerson(context, PersonFieldsOf(ctx, args.person));
  if (!person.ok()) return PersonAsFlags(person.error());
  auto text = ReadFile(args.diary);
  if (!text.ok()) {
    return Error{
        text.error().code == ErrorCode::kNotFound ? ErrorCode::kInvalidArgument : text.error().code,
        "DIARY: " + text.error().message};
  }
  auto result = ops::AnalyzeDiary(
      context, {*text, args.diary, PersonFieldsOf(ctx, args.person), args.exclude});
  if (!result.ok()) return AsFlags(result.error(), {{"exclude", "--exclude"}});
  if (ctx.json) {
    fmt::print("{}\n", result->ToJson().dump(2));
    return {};
  }
  const foods::IntakeAnalysis* analysis = &result->analysis;
  const auto& t = analysis->targets;

  fmt::print("Magnesium intake from {} ({} diary) — {}\n", args.diary, result->diary.format,
             t.label);
  if (t.intake_mg) {
    fmt::print("Target: {} {} mg/day from all sources", t.intake_kind, Round(*t.intake_mg));
    if (t.ear_mg) fmt::print(" (EAR {} mg)", Round(*t.ear_mg));
    fmt::print(".\n");
  }
  if (t.supplemental_ul_mg) {
    fmt::print("Upper limit: {} mg/day from supplements and medicines (food does not count).\n",
               Round(*t.supplemental_ul_mg));
  } else {
    fmt::print(
        "Upper limit: not established for this person: no supplement without a clinician.\n");
  }
  for (const auto& day : analysis->days) {
    fmt::print("\n{}\n", day.date);
    fmt::print("  from food         {:>5} mg\n", Round(day.food_mg));
    fmt::print("  from supplements  {:>5} mg", Round(day.supplement_mg));
    if (day.supplements_over_ul) {
      fmt::print("  ABOVE the supplemental upper limit of {} mg: talk to a clinician",
                 Round(*t.supplemental_ul_mg));
    } else if (!t.supplemental_ul_mg && day.supplement_mg > 0) {
      fmt::print("  (no upper limit is established for this person: ask a clinician)");
    }
    fmt::print("\n  total             {:>5} mg", Round(day.total_mg));
    if (t.intake_mg && *t.intake_mg > 0) {
      fmt::print("  = {}% of the {}", Round(100 * day.total_mg / *t.intake_mg), t.intake_kind);
    }
    fmt::print("\n");
    if (!day.top_foods.empty()) {
      fmt::print("  Top foods:\n");
      for (const auto& c : day.top_foods) {
        fmt::print("    {:>5} mg  {}\n", Round(c.magnesium_mg), c.food ? c.food->name : c.text);
      }
    }
    for (const auto& r : day.entries) {
      if (r.match == "search") {
        fmt::print("  Matched \"{}\" ({}) to {} [{}] — check this is what you ate.\n", r.entry.text,
                   r.entry.where, r.food->name, r.food->source);
      } else if (!r.reading.empty()) {
        // How each supplement amount was read, so a salt's mass typed as "mg" can be caught.
        fmt::print("  {} ({}): {}\n", r.entry.text, r.entry.where, r.reading);
      }
      for (const auto& note : r.notes) fmt::print("    note: {}\n", note);
    }
    for (const auto& name : day.unknown_magnesium) {
      fmt::print("  USDA gives no magnesium value for {}; counted as 0.\n", name);
    }
    if (day.gap_mg && *day.gap_mg > 0) {
      fmt::print("  {} mg short of the {}. Smallest single changes that close it:\n",
                 Round(*day.gap_mg), t.intake_kind);
      PrintChanges("fewest portions:", day.by_portion);
      PrintChanges("fewest calories:", day.by_kcal);
      if (day.by_portion.empty()) {
        fmt::print("    no single food closes it within 4 portions; spread it over several.\n");
      }
    } else if (day.gap_mg) {
      fmt::print("  The {} is met.\n", t.intake_kind);
    }
  }
  return {};
}

}  // namespace

void RegisterFoodsCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("foods")) {
    auto* foods_cmd =
        app.add_subcommand("foods", "Food magnesium data: search, richest foods, import");
    foods_cmd->require_subcommand(1);

    auto search = std::make_shared<SearchArgs>();
    auto* s = foods_cmd->add_subcommand(
        "search",
        "Find foods by name, forgiving typos (\"pumkin seeds\"), with magnesium per portion");
    s->add_option("query", search->query, "Words of the food's name")->required();
    s->add_option("--limit", search->limit, "How many results (default 10)")
        ->check(CLI::Range(1, 1000));
    s->add_option(
        "--store", search->store,
        "Food store to search (default: the imported store if any, else the built-in table)");
    s->callback([&ctx, search] { RunCommand(ctx, [&] { return Search(ctx, *search); }); });

    auto richest = std::make_shared<RichestArgs>();
    auto* r = foods_cmd->add_subcommand(
        "richest", "Common foods richest in magnesium per usual portion or per 100 kcal");
    r->add_option("--exclude", richest->exclude,
                  "Exclusions: vegan, vegetarian, nut allergy, dairy free, gluten free, ...");
    r->add_option("--per", richest->per, "portion (default) or kcal")
        ->check(CLI::IsMember({"portion", "kcal"}));
    r->add_option("--limit", richest->limit, "How many foods (default 10)")
        ->check(CLI::Range(1, 1000));
    r->add_option("--store", richest->store,
                  "Food store (default: imported store or built-in table)");
    r->callback([&ctx, richest] { RunCommand(ctx, [&] { return Richest(ctx, *richest); }); });

    auto import = std::make_shared<ImportArgs>();
    auto* i = foods_cmd->add_subcommand(
        "import",
        "Import USDA food data into the food store. DIR holds one of (the format is detected):\n"
        "  * SR28 ASCII (FOOD_DES.txt, NUT_DATA.txt, WEIGHT.txt, FD_GROUP.txt): the 'ASCII' zip "
        "from\n"
        "    "
        "https://www.ars.usda.gov/northeast-area/beltsville-md-bhnrc/beltsville-human-nutrition-"
        "research-center/methods-and-application-of-food-composition-laboratory/mafcl-site-pages/"
        "sr11-sr28/\n"
        "  * FoodData Central CSV, SR Legacy or Foundation Foods (food.csv, food_nutrient.csv,\n"
        "    nutrient.csv, food_portion.csv): https://fdc.nal.usda.gov/download-datasets\n"
        "  * FNDDS 'At A Glance' tables saved as CSV (fndds_nutrient_values.csv,\n"
        "    fndds_portions_and_weights.csv): https://www.ars.usda.gov/northeast-area/"
        "beltsville-md-bhnrc/beltsville-human-nutrition-research-center/"
        "food-surveys-research-group/"
        "docs/fndds-download-databases/\n"
        "  DIR may also hold several of these in subfolders (sr28/, fndds_*/ ...): all are "
        "imported.\n"
        "The previous store is replaced only when the import succeeds.");
    i->add_option("dir", import->dir, "Folder with the unzipped USDA files")->required();
    i->add_option("--store", import->store,
                  "Store file to write (default $XDG_DATA_HOME/mgadvisor/foods.csv)");
    i->callback([&ctx, import] { RunCommand(ctx, [&] { return Import(ctx, *import); }); });
  }
  if (ctx.Registers("intake")) {
    auto intake = std::make_shared<IntakeArgs>();
    auto* in = app.add_subcommand(
        "intake",
        "Magnesium per day from a food diary (CSV date,food,amount,unit[,type,compound]; JSON; or "
        "a "
        "Cronometer servings export): food vs supplements, against your RDA and the supplemental "
        "upper limit, top foods and the smallest changes that close a gap");
    in->add_option("diary", intake->diary, "Diary file (.csv or .json)")->required();
    AddPersonFlags(in, intake->person, /*required=*/true);
    in->add_option("--exclude", intake->exclude,
                   "Foods to leave out of suggestions: vegan, nut allergy, dairy free, ...");
    in->add_option("--store", intake->store,
                   "Food store (default: imported store or built-in table)");
    in->callback([&ctx, intake] { RunCommand(ctx, [&] { return Intake(ctx, *intake); }); });
  }
}

}  // namespace mg::cli
