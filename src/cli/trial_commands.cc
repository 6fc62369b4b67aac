// `mgadvisor trial plan|status|report`: thin adapters over mg_trial, reading the journal.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "cli/commands.h"
#include "cli/person_flags.h"
#include "core/atomic_file.h"
#include "core/numbers.h"
#include "dri/dri.h"
#include "journal/journal.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "trial/trial.h"

namespace mg::cli {
namespace {

// The trial's dose and form come from the plan engine (plan::TrialDoseFromPlan), so a trial
// can never test more magnesium than the person's plan allows; --dose may lower it only.
Result<plan::TrialDose> SupplementFromPlan(const CliContext& ctx, const std::string& profile_path,
                                           const std::string& requested_dose) {
  auto document = plan::ReadProfileFile(profile_path);
  if (!document.ok()) return document.error();
  if (!document->tree.contains("reference") && ctx.reference != "us") {
    document->tree["reference"] = ctx.reference;
  }
  auto context = plan::PlanContext::Load(ctx.kb_dir);
  if (!context.ok()) return context.error();
  auto profile = plan::ResolveProfile(*document, **context);
  if (!profile.ok()) return profile.error();
  std::optional<double> requested;
  if (!requested_dose.empty()) {
    requested = ParseFiniteNumber(requested_dose);
    if (!requested) {
      return InvalidArgument(
          fmt::format("--dose: \"{}\" is not a positive number of mg", requested_dose));
    }
  }
  auto dose = plan::TrialDoseFromPlan(plan::BuildPlan(*profile, **context), requested);
  if (!dose.ok()) {
    // Name the flag, or the profile whose plan refused, so the person knows what to look at.
    const std::string& message = dose.error().message;
    if (message.starts_with("dose: ")) return Error{dose.error().code, "--" + message};
    return Error{dose.error().code, fmt::format("{}: {}\nSee `mgadvisor plan --profile {}`.",
                                                profile_path, message, profile_path)};
  }
  return dose;
}

struct Loaded {
  std::unique_ptr<journal::Store> store;
  std::vector<trial::OutcomeSpec> outcomes;
  trial::Plan plan;
  journal::Date today;
};

// Opens the journal and its most recent trial. Errors: kNotFound when no trial was planned.
Result<Loaded> LoadTrial(const std::string& db) {
  Loaded out;
  auto outcomes = trial::LoadOutcomes();
  if (!outcomes.ok()) return outcomes.error();
  out.outcomes = std::move(*outcomes);
  auto store = OpenJournal(db);
  if (!store.ok()) return store.error();
  out.store = std::move(*store);
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  out.today = *today;
  auto record = out.store->LatestTrial();
  if (!record.ok()) return record.error();
  if (!record->has_value()) {
    return NotFound("no trial in this journal: start one with `mgadvisor trial plan`");
  }
  auto plan = trial::PlanFromJson((*record)->json, out.outcomes);
  if (!plan.ok()) return plan.error();
  out.plan = std::move(*plan);
  return out;
}

// Charts show a person's symptoms: private (0600), written whole or not at all.
Status WriteText(const std::filesystem::path& path, const std::string& text) {
  return WriteFileAtomically(path.string(), text);
}

void RegisterPlan(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, outcome, start = "today", dose, profile, mid;
    std::optional<uint64_t> seed;
    int pairs = 3;
    std::optional<int> period_days, washout_days;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "plan", "Plan a randomised n-of-1 trial: pairs of magnesium / no-magnesium periods");
  cmd->add_option("--outcome", args->outcome, "What to measure: cramps, irls, pain or sleep")
      ->required();
  cmd->add_option("--profile", args->profile,
                  "Your profile (.toml/.json): the plan engine sets the dose and form")
      ->required();
  cmd->add_option("--dose", args->dose,
                  "Elemental magnesium per day in magnesium periods, mg (at most the plan's dose)");
  cmd->add_option("--start", args->start, "First day: YYYY-MM-DD or today (default)");
  cmd->add_option("--seed", args->seed, "Randomisation seed (default: random, printed)");
  cmd->add_option("--pairs", args->pairs, "Pairs of periods, 3 (default) or 4");
  cmd->add_option("--period-days", args->period_days, "Days per period (default: by outcome)");
  cmd->add_option("--washout-days", args->washout_days,
                  "Days at the start of each period that are not analysed (default: by outcome)");
  cmd->add_option("--mid", args->mid, "Minimal important difference (default: by outcome)");
  cmd->add_flag("--dry-run", args->dry_run, "Print the plan without saving it");
  cmd->add_option("--db", args->db, "Journal database (default: in $XDG_DATA_HOME/mgadvisor)");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto outcomes = trial::LoadOutcomes();
      if (!outcomes.ok()) return outcomes.error();
      auto today = JournalToday();
      if (!today.ok()) return today.error();
      trial::PlanRequest req;
      req.outcome = args->outcome;
      req.pairs = args->pairs;
      auto supplement = SupplementFromPlan(ctx, args->profile, args->dose);
      if (!supplement.ok()) return supplement.error();
      req.dose_mg = supplement->dose_mg;
      req.form = supplement->form;
      req.period_days = args->period_days;
      req.washout_days = args->washout_days;
      if (!args->mid.empty()) {
        auto mid = ParseFiniteNumber(args->mid);
        if (!mid) return InvalidArgument(fmt::format("--mid: \"{}\" is not a number", args->mid));
        req.mid = *mid;
      }
      if (args->start == "today") {
        req.start = *today;
      } else {
        auto start = journal::ParseDate(args->start);
        if (!start)
          return InvalidArgument(
              fmt::format("--start: \"{}\" is not a YYYY-MM-DD date", args->start));
        req.start = *start;
      }
      // A seed that fits in JSON's exact integers, so the saved plan reproduces.
      req.seed = args->seed ? *args->seed : std::random_device{}() % 1000000;
      auto plan = trial::MakePlan(req, *outcomes);
      if (!plan.ok()) return plan.error();
      if (!args->dry_run) {
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        auto id = (*store)->AddTrial(journal::FormatDate(*today), trial::PlanToJson(*plan));
        if (!id.ok()) return id.error();
      }
      if (ctx.json) {
        std::printf("%s\n", trial::PlanToJson(*plan).c_str());
      } else {
        std::printf("%s", trial::RenderCalendar(*plan).c_str());
        std::printf("%s\n", args->dry_run ? "Not saved (--dry-run)."
                                          : "Saved in the journal: `mgadvisor trial status` says "
                                            "what is due each day.");
      }
      return {};
    });
  });
}

void RegisterStatus(CLI::App& group, CliContext& ctx) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = group.add_subcommand("status", "What the current trial needs today");
  cmd->add_option("--db", *db, "Journal database");
  cmd->callback([&ctx, db] {
    RunCommand(ctx, [&]() -> Status {
      auto loaded = LoadTrial(*db);
      if (!loaded.ok()) return loaded.error();
      auto entries = loaded->store->List({loaded->today, loaded->today});
      if (!entries.ok()) return entries.error();
      trial::TrialStatus s = trial::GetTrialStatus(loaded->plan, *entries, loaded->today);
      if (ctx.json) {
        const auto j = nlohmann::json::parse(trial::StatusToJson(s, loaded->today));
        std::printf("%s\n", j.dump(2).c_str());
        return {};
      }
      if (s.phase == trial::TrialStatus::Phase::kRunning) {
        std::printf("%s: day %d of %d, pair %d, %s period (day %d, ends %s).\n",
                    journal::FormatDate(loaded->today).c_str(), s.day + 1,
                    loaded->plan.ToDesign().total_days(), s.pair + 1,
                    s.magnesium ? "magnesium" : "no-magnesium", s.day_in_period,
                    journal::FormatDate(s.period_end).c_str());
      }
      for (const std::string& line : s.todo) std::printf("- %s\n", line.c_str());
      return {};
    });
  });
}

void RegisterReport(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, svg_dir;
    PersonFlags person;  // Optional: for the RDA line of the intake chart.
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "report", "Effect estimate, 95 % interval, probability of a meaningful benefit, charts");
  cmd->add_option("--db", args->db, "Journal database");
  cmd->add_option("--svg-dir", args->svg_dir,
                  "Write timeline.svg (and intake.svg when intake is logged) here");
  AddPersonFlags(cmd, args->person, /*required=*/false);  // For the RDA line of the intake chart.
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto loaded = LoadTrial(args->db);
      if (!loaded.ok()) return loaded.error();
      std::optional<double> rda;
      if (!args->person.age.empty() || !args->person.sex.empty()) {
        if (args->person.age.empty() || args->person.sex.empty()) {
          return InvalidArgument("--age and --sex go together (for the RDA line)");
        }
        auto tables = dri::ReferenceTables::LoadEmbedded();
        if (!tables.ok()) return tables.error();
        auto looked_up = LookUpPerson(ctx, args->person, *tables);
        if (!looked_up.ok()) return looked_up.error();
        rda = looked_up->values.row->intake_mg;
      }
      auto entries = loaded->store->List({loaded->plan.start, loaded->plan.end()});
      if (!entries.ok()) return entries.error();
      trial::Report report = trial::BuildReport(loaded->plan, *entries, loaded->today, rda);
      std::vector<std::string> written;
      if (!args->svg_dir.empty()) {
        MG_RETURN_IF_ERROR(CreatePrivateDirectories(args->svg_dir));
        const auto dir = std::filesystem::path(args->svg_dir);
        MG_RETURN_IF_ERROR(WriteText(dir / "timeline.svg", trial::TimelineSvg(report)));
        written.push_back((dir / "timeline.svg").string());
        const std::string intake = trial::IntakeSvg(report);
        if (!intake.empty()) {
          MG_RETURN_IF_ERROR(WriteText(dir / "intake.svg", intake));
          written.push_back((dir / "intake.svg").string());
        }
      }
      if (ctx.json) {
        auto j = nlohmann::json::parse(trial::ReportToJson(report));
        j["charts"] = written;
        std::printf("%s\n", j.dump(2).c_str());
      } else {
        std::printf("%s", trial::RenderReportText(report).c_str());
        for (const std::string& path : written) std::printf("Chart: %s\n", path.c_str());
      }
      return {};
    });
  });
}

}  // namespace

void RegisterTrialCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("trial", "n-of-1 trials: does magnesium work for you?");
  group->require_subcommand(1);
  RegisterPlan(*group, ctx);
  RegisterStatus(*group, ctx);
  RegisterReport(*group, ctx);
}

}  // namespace mg::cli
