// `plan`: a personal magnesium plan from a profile file, flags or the profile kept in the
// journal; `profile set|show`: that kept profile.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "ops/calendar.h"
#include "ops/plan.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/render.h"

namespace mg::cli {
namespace {

using nlohmann::json;

struct PlanArgs {
  std::string profile_path;
  std::string format = "text";
  std::string age, sex;
  bool pregnant = false, lactating = false;
  std::vector<std::string> conditions, medicines, diagnoses, red_flags, taking, exclusions;
  std::optional<double> egfr, diet_mg, ferritin, gestation_weeks;
  bool iron_deficiency = false;
  std::optional<int> ckd_stage, max_pills;
  std::string route;
  bool sensitive_stomach = false;
  bool stored = false;  // --stored: the profile kept in the journal.
  std::string db;
  // --product FILE|- (a label as printed), with an optional name, price and pack size.
  std::string product_path, product_name, price;
  std::optional<double> pack;
};

// The --product flags as the profile's "product" object (the label's text read here, at the
// door: a profile sent to the API carries the text itself, never a path on the server).
Result<std::optional<json>> ProductFromFlags(const PlanArgs& a) {
  if (a.product_path.empty()) {
    if (!a.product_name.empty() || !a.price.empty() || a.pack) {
      return InvalidArgument("--product-name, --price and --pack describe --product FILE; give it");
    }
    return std::optional<json>();
  }
  auto text = ReadFileOrStdin(a.product_path, "the label");
  if (!text.ok()) return Error{text.error().code, "--product: " + text.error().message};
  json product = {{"label", std::move(text).value()}};
  if (!a.product_name.empty()) product["name"] = a.product_name;
  if (!a.price.empty()) product["price"] = a.price;
  if (a.pack) product["units_per_pack"] = *a.pack;
  return std::optional<json>(std::move(product));
}

bool AnyProfileFlag(const PlanArgs& a) {
  return !a.age.empty() || !a.sex.empty() || a.pregnant || a.lactating || !a.conditions.empty() ||
         !a.medicines.empty() || !a.diagnoses.empty() || !a.red_flags.empty() ||
         !a.taking.empty() || !a.exclusions.empty() || a.egfr || a.diet_mg || a.ckd_stage ||
         a.max_pills || !a.route.empty() || a.sensitive_stomach || a.ferritin ||
         a.iron_deficiency || a.gestation_weeks;
}

// Flags become the same document a profile file holds, so both go through one resolver.
Result<plan::ProfileDocument> DocumentFromFlags(const PlanArgs& a) {
  json d = json::object();
  if (!a.age.empty()) {
    const auto years = ParseFiniteNumber(a.age);
    d["age"] = years ? json(*years) : json(a.age);
  }
  if (!a.sex.empty()) d["sex"] = a.sex;
  if (a.pregnant) d["pregnant"] = true;
  if (a.lactating) d["lactating"] = true;
  if (!a.conditions.empty()) d["complaints"] = a.conditions;
  if (!a.diagnoses.empty()) d["diagnoses"] = a.diagnoses;
  if (!a.red_flags.empty()) d["red_flags"] = a.red_flags;
  if (!a.exclusions.empty()) d["food_exclusions"] = a.exclusions;
  if (a.egfr || a.ckd_stage) {
    d["kidney"] = json::object();
    if (a.egfr) d["kidney"]["egfr"] = *a.egfr;
    if (a.ckd_stage) d["kidney"]["ckd_stage"] = *a.ckd_stage;
  }
  for (const auto& med : a.medicines) {
    // NAME[:AMOUNT][@HH:MM[,HH:MM...]]; the amount (per intake) is read for magnesium-containing
    // medicines ("milk of magnesia:30mL@22:00").
    const size_t at = med.find('@');
    const std::string named = med.substr(0, at);
    const size_t colon = named.find(':');
    json entry = {{"name", named.substr(0, colon)}};
    if (colon != std::string::npos) entry["amount"] = named.substr(colon + 1);
    if (at != std::string::npos) {
      json times = json::array();
      std::string rest = med.substr(at + 1);
      for (size_t start = 0; start <= rest.size();) {
        const size_t comma = rest.find(',', start);
        times.push_back(
            rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      entry["times"] = times;
    }
    d["medicines"].push_back(entry.size() == 1 ? entry["name"] : entry);
  }
  for (const auto& item : a.taking) {
    // COMPOUND:AMOUNT[:KIND] or elemental:AMOUNT[:KIND]; the amount is elemental magnesium
    // unless marked as the salt's mass ("400mg compound") or given in units ("2 tablets").
    const size_t first = item.find(':');
    if (first == std::string::npos) {
      return InvalidArgument(
          fmt::format("--taking: '{}' should be COMPOUND:AMOUNT[:KIND], e.g. \"magnesium "
                      "oxide:400mg:supplement\" "
                      "or \"elemental:100mg\"",
                      item));
    }
    const size_t second = item.find(':', first + 1);
    const std::string compound = item.substr(0, first);
    const std::string amount = item.substr(
        first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    json entry = {{"kind", second == std::string::npos ? "supplement" : item.substr(second + 1)}};
    if (compound == "elemental") {
      entry["elemental"] = amount;
    } else {
      entry["compound"] = compound;
      entry["amount"] = amount;
    }
    d["magnesium_taken"].push_back(entry);
  }
  if (a.ferritin) d["ferritin_ug_l"] = *a.ferritin;
  if (a.iron_deficiency) d["iron_deficiency"] = true;
  if (a.gestation_weeks) d["gestation_weeks"] = *a.gestation_weeks;
  if (a.diet_mg) d["diet"] = {{"magnesium_mg_per_day", *a.diet_mg}};
  if (!a.route.empty() || a.sensitive_stomach || a.max_pills) {
    d["preferences"] = json::object();
    if (!a.route.empty()) d["preferences"]["route"] = a.route;
    if (a.sensitive_stomach) d["preferences"]["sensitive_stomach"] = true;
    if (a.max_pills) d["preferences"]["max_pills_per_day"] = *a.max_pills;
  }
  plan::ProfileDocument doc;
  doc.tree = d;
  doc.source_name = "command line";
  return doc;
}

Status MakePlan(const CliContext& ctx, const PlanArgs& args) {
  // ics: the plan's doses as a calendar (ops/calendar.h), the same bytes GET /api/calendar.ics
  // gives for the stored profile.
  const bool ics = !ctx.json && args.format == "ics";
  auto format = plan::ParseFormat(ctx.json || ics ? "json" : args.format);
  if (!format.ok()) {
    return InvalidArgument("--format: " + format.error().message + " (or ics: a calendar)");
  }
  const int sources =
      (!args.profile_path.empty() ? 1 : 0) + (AnyProfileFlag(args) ? 1 : 0) + (args.stored ? 1 : 0);
  if (sources > 1) {
    return InvalidArgument(
        "give one of --profile FILE, profile flags (--age, --sex, ...) or --stored, not both");
  }
  if (sources == 0) {
    return InvalidArgument(
        "describe the person: --profile FILE, at least --age and --sex, or --stored (the profile "
        "kept in the journal by `mgadvisor profile set`)");
  }
  auto product = ProductFromFlags(args);
  if (!product.ok()) return product.error();
  ops::Context context(ContextOptionsOf(ctx));
  Result<ops::PlanResult> result = InvalidArgument("");
  if (args.stored) {
    auto store = OpenJournal(args.db);
    if (!store.ok()) return store.error();
    result = ops::PlanForStoredProfile(context, **store, *product);
  } else {
    auto document = args.profile_path.empty() ? DocumentFromFlags(args)
                                              : plan::ReadProfileFile(args.profile_path);
    if (!document.ok()) return document.error();
    if (*product) document->tree["product"] = std::move(**product);
    // --reference applies unless the profile names its own reference set.
    result = ops::PlanForProfile(context, std::move(*document), ctx.reference);
  }
  if (!result.ok()) return result.error();
  auto loaded = context.plan();
  if (!loaded.ok()) return loaded.error();
  if (ics) {
    auto today = JournalToday();
    if (!today.ok()) return today.error();
    auto calendar = ops::PlanCalendar(**loaded, *result, *today);
    if (!calendar.ok()) return calendar.error();
    fmt::print("{}", *calendar);
    return {};
  }
  fmt::print("{}", result->Render(**loaded, *format));
  return {};
}

// `profile set FILE` and `profile show`: the profile kept in the journal, which `plan --stored`,
// `trial plan` without --profile, `journal intake` and the web page read.
void RegisterProfileCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* group =
      app.add_subcommand("profile", "The profile kept in the journal (as the web page keeps it)");
  group->require_subcommand(1);
  struct Args {
    std::string db, file;
  };
  auto args = std::make_shared<Args>();
  CLI::App* set = group->add_subcommand(
      "set", "Check a profile file (.toml/.json) as `plan` does and keep it in the journal");
  set->add_option("file", args->file, "The profile file; see examples/")->required();
  set->add_option("--db", args->db, "Journal database (default: in $XDG_DATA_HOME/mgadvisor)");
  set->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto document = plan::ReadProfileFile(args->file);
      if (!document.ok()) return document.error();
      auto store = OpenJournal(args->db);
      if (!store.ok()) return store.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto stored = ops::SetProfile(context, **store, *document);
      if (!stored.ok()) return stored.error();
      if (ctx.json) {
        fmt::print("{}\n", json({{"profile", *stored}}).dump(2));
      } else {
        fmt::print("Kept the profile from {} in the journal.\n", args->file);
      }
      return {};
    });
  });
  auto show_db = std::make_shared<std::string>();
  CLI::App* show = group->add_subcommand("show", "Print the profile kept in the journal (JSON)");
  show->add_option("--db", *show_db, "Journal database");
  show->callback([&ctx, show_db] {
    RunCommand(ctx, [&]() -> Status {
      auto store = OpenJournal(*show_db);
      if (!store.ok()) return store.error();
      auto stored = ops::StoredProfile(**store);
      if (!stored.ok()) return stored.error();
      if (ctx.json) {
        fmt::print("{}\n",
                   json({{"profile", stored->has_value() ? **stored : json(nullptr)}}).dump(2));
      } else if (stored->has_value()) {
        fmt::print("{}\n", (*stored)->dump(2));
      } else {
        fmt::print("No profile kept: `mgadvisor profile set FILE` keeps one.\n");
      }
      return {};
    });
  });
}

void RegisterPlanCommand(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<PlanArgs>();
  auto* cmd = app.add_subcommand("plan", "A safe, explained magnesium plan for one person");
  cmd->add_option("--profile", a->profile_path, "Profile file (.toml or .json); see examples/");
  cmd->add_option("--format", a->format,
                  "text (default), markdown, json, or ics (the doses as a calendar, RFC 5545)");
  cmd->add_option("--age", a->age, "Age in years, or months for infants (8mo)");
  cmd->add_option("--sex", a->sex, "male or female");
  cmd->add_flag("--pregnant", a->pregnant, "Pregnant");
  cmd->add_flag("--lactating", a->lactating, "Breastfeeding");
  cmd->add_option("--condition", a->conditions, "A complaint, e.g. \"leg cramps\" (repeatable)");
  cmd->add_option("--med", a->medicines,
                  "A medicine, optionally with an amount each time and times: "
                  "levothyroxine@07:00, \"milk of magnesia:30mL@22:00\" (repeatable)");
  cmd->add_option("--egfr", a->egfr, "Kidney function, eGFR in mL/min/1.73m2");
  cmd->add_option("--ckd-stage", a->ckd_stage, "Chronic kidney disease stage 1-5");
  cmd->add_option("--diagnosis", a->diagnoses,
                  "Another diagnosis, e.g. \"myasthenia gravis\" (repeatable)");
  cmd->add_option("--red-flag", a->red_flags,
                  "A red-flag symptom id (see `mgadvisor kb list red-flags`)");
  cmd->add_option("--taking", a->taking,
                  "Magnesium already taken a day: COMPOUND:AMOUNT[:supplement|antacid|laxative] or "
                  "elemental:AMOUNT; AMOUNT is elemental magnesium (\"400mg\") unless marked as "
                  "the salt's mass (\"400mg compound\") or given in units (\"2 tablets\")");
  cmd->add_option("--diet-mg", a->diet_mg, "Usual magnesium from food, mg/day");
  cmd->add_option("--exclude", a->exclusions,
                  "Food exclusion, e.g. vegan, \"nut allergy\" (repeatable)");
  cmd->add_option("--ferritin", a->ferritin, "Serum ferritin in µg/L (the same number as ng/mL)");
  cmd->add_flag("--iron-deficiency", a->iron_deficiency, "A clinician has found iron deficiency");
  cmd->add_option("--gestation-weeks", a->gestation_weeks,
                  "With --pregnant: completed weeks of pregnancy");
  cmd->add_option("--route", a->route, "Preferred route: any, oral, topical or food_only");
  cmd->add_flag("--sensitive-stomach", a->sensitive_stomach, "Prefer forms gentle on the gut");
  cmd->add_option("--max-pills", a->max_pills, "Most pills a day you would take");
  cmd->add_flag("--stored", a->stored,
                "Use the profile kept in the journal (`mgadvisor profile set FILE`)");
  cmd->add_option("--db", a->db, "With --stored: the journal database");
  cmd->add_option("--product", a->product_path,
                  "Your magnesium product's label as printed (a text file, or - for standard "
                  "input): the plan doses in its pills, spoons or mL");
  cmd->add_option("--product-name", a->product_name, "With --product: what to call it");
  cmd->add_option("--price", a->price,
                  "With --product: the pack's price, e.g. 12.99 or \"8.50 GBP\" (cost per day)");
  cmd->add_option("--pack", a->pack,
                  "With --product and --price: pills (or mL...) in the pack, when the label does "
                  "not say");
  cmd->callback([&ctx, a] { RunCommand(ctx, [&] { return MakePlan(ctx, *a); }); });
}

}  // namespace

void RegisterPlanCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("plan")) RegisterPlanCommand(app, ctx);
  if (ctx.Registers("profile")) RegisterProfileCommands(app, ctx);
}

}  // namespace mg::cli
