// `mgadvisor trial plan|status|took|end|unblind|protocol|report`: thin adapters over the trial
// operations (ops/trial.h), the same ones the server's /api/trials routes call.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/atomic_file.h"
#include "core/numbers.h"
#include "journal/journal.h"
#include "ops/calendar.h"
#include "ops/trial.h"
#include "plan/profile.h"

namespace mg::cli {
namespace {

using nlohmann::json;

// Charts show a person's symptoms: private (0600), written whole or not at all.
Status WriteText(const std::filesystem::path& path, const std::string& text) {
  return WriteFileAtomically(path.string(), text);
}

// Today and the journal, which every trial command but a dry run needs.
struct Journal {
  journal::Date today{};
  std::unique_ptr<journal::Store> store;
};
Result<Journal> OpenToday(const std::string& db) {
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  auto store = OpenJournal(db);
  if (!store.ok()) return store.error();
  return Journal{*today, std::move(*store)};
}

// The trial operations name fields as the HTTP API does; here they are flags.
Error TrialAsFlags(Error error) {
  return AsFlags(std::move(error), {{"outcome", "--outcome"},
                                    {"pairs", "--pairs"},
                                    {"seed", "--seed"},
                                    {"dose", "--dose"},
                                    {"mid", "--mid"},
                                    {"period_days", "--period-days"},
                                    {"washout_days", "--washout-days"},
                                    {"start", "--start"},
                                    {"replace", "--replace"},
                                    {"reason", "--reason"},
                                    {"guess", "--guess"},
                                    {"date", "--date"},
                                    {"secondary", "--secondary"},
                                    {"run_in_done", "--run-in-done"},
                                    {"lower_dose_mg", "--lower-dose"}});
}

void RegisterPlan(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, outcome, start = "today", dose, profile, mid, helper_sheet, lower_dose;
    std::optional<uint64_t> seed;
    int pairs = 3;
    std::optional<int> period_days, washout_days;
    bool dry_run = false, replace = false, blind = false, run_in_done = false;
    std::vector<std::string> secondaries;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "plan",
      "Start a randomised n-of-1 trial (pairs of magnesium / no-magnesium periods, or with "
      "--lower-dose plan-dose / lower-dose periods); a trial that is running is replaced only "
      "with --replace");
  cmd->add_option("--outcome", args->outcome,
                  "What to measure: cramps, irls, pain, sleep, sleep_minutes (a device's nights); "
                  "the cramp diary's cramp_severity, cramp_minutes, cramp_sleep_disturbance; the "
                  "sleep diary's sleep_latency, sleep_awakenings; migraine_days (per 28 days, "
                  "from `log migraine`); stress (docs/STATISTICS.md)")
      ->required();
  cmd->add_option("--profile", args->profile,
                  "Your profile (.toml/.json): the plan engine sets the dose and form (default: "
                  "the profile kept in the journal, `mgadvisor profile set`)");
  cmd->add_option("--dose", args->dose,
                  "Elemental magnesium per day in magnesium periods, mg (at most the plan's dose)");
  cmd->add_option("--lower-dose", args->lower_dose,
                  "A two-dose trial: each pair compares this lower dose (elemental mg a day, above "
                  "0 and below the plan's dose) with the plan's dose, instead of no magnesium "
                  "with it (\"does my full dose help more than less of it?\")");
  cmd->add_option("--start", args->start, "First day: YYYY-MM-DD or today (default)");
  cmd->add_option("--seed", args->seed, "Randomisation seed (default: random, printed)");
  cmd->add_option("--pairs", args->pairs, "Pairs of periods, 3 (default) or 4");
  cmd->add_option("--period-days", args->period_days, "Days per period (default: by outcome)");
  cmd->add_option("--washout-days", args->washout_days,
                  "Days at the start of each period that are not analysed (default: by outcome)");
  cmd->add_option("--mid", args->mid, "Minimal important difference (default: by outcome)");
  cmd->add_option("--secondary", args->secondaries,
                  "A secondary outcome, registered in the protocol now (repeat, at most 4); the "
                  "report shows them with Holm-adjusted p-values, the verdict rests on --outcome");
  cmd->add_flag("--dry-run", args->dry_run,
                "Print the plan (its length and calendar) without saving it");
  cmd->add_flag("--run-in-done", args->run_in_done,
                "The run-in is already in the journal (its days just before today, enough "
                "ratings, no dose): the pairs start today");
  cmd->add_flag("--replace", args->replace,
                "Replace the trial that is running (its days stay in the journal)");
  cmd->add_flag("--blind", args->blind,
                "Blinded: a helper fills identical containers A and B (magnesium and a placebo); "
                "needs --helper-sheet");
  cmd->add_option("--helper-sheet", args->helper_sheet,
                  "With --blind: write the helper's sheet (which container holds magnesium, the "
                  "unblinding key) to this file, not to your screen");
  cmd->add_option("--db", args->db, "Journal database (default: in $XDG_DATA_HOME/mgadvisor)");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto today = JournalToday();
      if (!today.ok()) return today.error();
      if (args->blind && args->helper_sheet.empty() && !args->dry_run) {
        return InvalidArgument(
            "--helper-sheet: needed with --blind: the allocation and its key are written to "
            "that file for your helper, never shown on your screen");
      }
      if (!args->blind && !args->helper_sheet.empty()) {
        return InvalidArgument("--helper-sheet: only with --blind");
      }
      // The sheet's file is tried before anything is saved, so a trial is never saved with its
      // key lost to a folder that cannot be written.
      if (!args->helper_sheet.empty() && !args->dry_run) {
        MG_RETURN_IF_ERROR(WriteText(args->helper_sheet, "(being written by mgadvisor)\n"));
      }
      ops::StartTrialRequest request;
      request.blind = args->blind;
      request.outcome = args->outcome;
      request.pairs = args->pairs;
      request.seed = args->seed;
      request.period_days = args->period_days;
      request.washout_days = args->washout_days;
      request.secondaries = args->secondaries;
      request.save = !args->dry_run;
      request.replace = args->replace;
      request.run_in_done = args->run_in_done;
      request.reference = ctx.reference;
      if (!args->dose.empty()) {
        request.dose_mg = ParseFiniteNumber(args->dose);
        if (!request.dose_mg) {
          return InvalidArgument(
              fmt::format("--dose: \"{}\" is not a positive number of mg", args->dose));
        }
      }
      if (!args->lower_dose.empty()) {
        request.lower_dose_mg = ParseFiniteNumber(args->lower_dose);
        if (!request.lower_dose_mg) {
          return InvalidArgument(
              fmt::format("--lower-dose: \"{}\" is not a number of mg", args->lower_dose));
        }
      }
      if (!args->mid.empty()) {
        request.mid = ParseFiniteNumber(args->mid);
        if (!request.mid) {
          return InvalidArgument(fmt::format("--mid: \"{}\" is not a number", args->mid));
        }
      }
      if (args->start != "today") {
        request.start = journal::ParseDate(args->start);
        if (!request.start) {
          return InvalidArgument(
              fmt::format("--start: \"{}\" is not a YYYY-MM-DD date", args->start));
        }
      }
      if (!args->profile.empty()) {
        auto document = plan::ReadProfileFile(args->profile);
        if (!document.ok()) return document.error();
        request.profile = std::move(*document);
      }
      // A dry run with a profile file reads and writes no journal.
      std::unique_ptr<journal::Store> store;
      if (!args->dry_run || args->profile.empty()) {
        auto opened = OpenJournal(args->db);
        if (!opened.ok()) return opened.error();
        store = std::move(*opened);
      }
      ops::Context context(ContextOptionsOf(ctx));
      auto started = ops::StartTrial(context, store.get(), request, *today);
      if (!started.ok()) {
        const Error& error = started.error();
        // Name the profile whose plan refused, so the person knows what to look at.
        if (!args->profile.empty() && error.code == ErrorCode::kUnsafe &&
            !error.message.starts_with("dose: ")) {
          return Error{error.code, fmt::format("{}: {}\nSee `mgadvisor plan --profile {}`.",
                                               args->profile, error.message, args->profile)};
        }
        if (!args->helper_sheet.empty() && !args->dry_run) {
          std::filesystem::remove(args->helper_sheet);
        }
        return TrialAsFlags(error);
      }
      if (!started->helper_sheet.empty() && !args->dry_run) {
        if (Status written = WriteText(args->helper_sheet, started->helper_sheet); !written.ok()) {
          // The trial is saved; without the sheet its key would be lost, so it goes to stderr.
          std::fprintf(stderr,
                       "Could not write %s (%s). The helper's sheet follows; give it to your "
                       "helper without reading it:\n\n%s",
                       args->helper_sheet.c_str(), written.error().message.c_str(),
                       started->helper_sheet.c_str());
        }
      }
      const std::string hash =
          started->design.protocol ? started->design.protocol->sha256 : std::string();
      if (ctx.json) {
        // The design at the top level (as before), with everything the text shows beside it.
        json out = trial::DesignToJson(started->design);
        out["calendar"] = trial::RenderCalendar(started->design);
        out["periods"] = trial::PeriodsToJson(trial::CalendarPeriods(started->design));
        out["replaced"] =
            started->replaced ? trial::DesignToJson(*started->replaced) : json(nullptr);
        out["saved"] = started->saved;
        out["protocol_sha256"] = hash;
        // The sheet went to its file: the person's screen never shows the allocation.
        out["helper_sheet"] =
            args->helper_sheet.empty() || args->dry_run ? json(nullptr) : json(args->helper_sheet);
        std::printf("%s\n", out.dump(2).c_str());
        return {};
      }
      std::printf("%s", trial::RenderCalendar(started->design).c_str());
      if (!hash.empty()) {
        std::printf(
            "\nProtocol SHA-256: %s\n(`mgadvisor trial protocol` prints the protocol; keep this "
            "hash somewhere you cannot edit, e.g. e-mail it to yourself: the report checks the "
            "trial against it.)\n",
            hash.c_str());
      }
      if (args->blind && !args->dry_run) {
        std::printf(
            "The helper's sheet is in %s: give it to your helper without reading it. They fill "
            "containers A and B; you log each day's dose with your guess (`mgadvisor trial took "
            "--guess %s`) and unblind after the last day with the key on "
            "the sheet (`mgadvisor trial unblind KEY`).\n",
            args->helper_sheet.c_str(),
            started->design.two_dose() ? "higher|lower|unsure" : "magnesium|placebo|unsure");
      }
      if (started->replaced) {
        std::printf(started->saved ? "This replaces the trial that started on %s.\n"
                                   : "Saving it would replace the trial that started on %s "
                                     "(--replace).\n",
                    journal::FormatDate(started->replaced->first_day()).c_str());
      }
      if (args->dry_run) {
        // The same command without --dry-run draws a new order; the seed keeps this one.
        std::printf(
            "Not saved (--dry-run). To start this very calendar, run the command again "
            "without --dry-run and with --seed %llu.\n",
            static_cast<unsigned long long>(started->design.seed));
      } else {
        std::printf("Saved in the journal: `mgadvisor trial status` says what is due each day.\n");
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
      auto opened = OpenToday(*db);
      if (!opened.ok()) return opened.error();
      const journal::Date today = opened->today;
      ops::Context context(ContextOptionsOf(ctx));
      auto current = ops::CurrentTrial(context, *opened->store, today);
      if (!current.ok()) return current.error();
      if (!current->has_value()) {
        return NotFound("no trial in this journal: start one with `mgadvisor trial plan`");
      }
      const ops::TrialToday& t = **current;
      const trial::TrialStatus& s = t.status;
      if (ctx.json) {
        std::printf("%s\n", trial::StatusToJson(s, today).dump(2).c_str());
        return {};
      }
      if (s.phase == trial::TrialStatus::Phase::kRunIn) {
        std::printf("%s: run-in day %d of %d (ends %s); the pairs start on %s.\n",
                    journal::FormatDate(today).c_str(), s.day_in_period, t.design.run_in_days,
                    journal::FormatDate(s.period_end).c_str(),
                    journal::FormatDate(t.design.start).c_str());
      }
      if (s.phase == trial::TrialStatus::Phase::kRunning) {
        std::printf("%s: day %d of %d, pair %d, %s period (day %d, ends %s).\n",
                    journal::FormatDate(today).c_str(), s.day + 1, t.design.ToLayout().total_days(),
                    s.pair + 1,
                    s.container != 0 ? fmt::format("container {}", s.container).c_str()
                    : s.dose_mg      ? (s.magnesium ? "plan-dose" : "lower-dose")
                                     : (s.magnesium ? "magnesium" : "no-magnesium"),
                    s.day_in_period, journal::FormatDate(s.period_end).c_str());
      }
      // The CLI's own wording: each sentence with the command that does it.
      for (const trial::Todo& t : s.todo) {
        std::string_view text = t.text;
        if (!t.command.empty() && text.ends_with('.')) text.remove_suffix(1);
        std::printf("- %.*s%s\n", static_cast<int>(text.size()), text.data(),
                    t.command.empty() ? "" : fmt::format(": {}", t.command).c_str());
      }
      return {};
    });
  });
}

void RegisterEnd(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, reason;
    bool yes = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "end",
      "End the current trial today (it stays in the journal; its report covers the days "
      "so far). Asks first unless --yes");
  cmd->add_option("--reason", args->reason,
                  "Why you end it (kept with the trial and shown in its report)");
  cmd->add_option("--db", args->db, "Journal database");
  cmd->add_flag("--yes,-y", args->yes, "Do not ask for confirmation");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      // Ending cannot be undone: ask about a trial that can still be ended (the operation
      // itself says why one cannot).
      auto current = ops::CurrentTrial(context, *opened->store, opened->today);
      if (!args->yes && current.ok() && current->has_value() && !(*current)->status.ended &&
          (*current)->status.phase != trial::TrialStatus::Phase::kFinished) {
        MG_RETURN_IF_ERROR(Confirm(fmt::format(
            "End the trial of magnesium for {} that started on {} and was planned to run until "
            "{}? It cannot be restarted; its report will cover only the days so far.",
            (*current)->design.outcome.name, journal::FormatDate((*current)->design.first_day()),
            journal::FormatDate((*current)->design.end()))));
      }
      auto ended = ops::EndTrial(context, *opened->store, opened->today, args->reason);
      if (!ended.ok()) return TrialAsFlags(ended.error());
      if (ctx.json) {
        std::printf("%s\n", json({{"trial", trial::DesignToJson(*ended)}}).dump(2).c_str());
      } else {
        std::printf(
            "Ended the trial of magnesium for %s on %s. `mgadvisor trial report` shows "
            "what it found.\n",
            ended->outcome.name.c_str(), journal::FormatDate(opened->today).c_str());
      }
      return {};
    });
  });
}

void RegisterSecondary(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, outcome;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "secondary",
      "Add a secondary outcome to the running trial after its start: the report lists it as a "
      "change to the protocol and shows it as exploratory (register them with `trial plan "
      "--secondary` instead)");
  cmd->add_option("outcome", args->outcome, "The outcome to add (as --outcome of trial plan)")
      ->required();
  cmd->add_option("--db", args->db, "Journal database");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto added = ops::AddTrialSecondary(context, *opened->store, args->outcome, opened->today);
      if (!added.ok()) return TrialAsFlags(added.error());
      if (ctx.json) {
        std::printf("%s\n", json({{"trial", trial::DesignToJson(*added)}}).dump(2).c_str());
      } else {
        std::printf(
            "Added %s as an exploratory secondary outcome. It was not in the protocol registered "
            "at the start, so the report lists it as a change and does not count it as a "
            "result.\n",
            added->secondaries.back().outcome.name.c_str());
      }
      return {};
    });
  });
}

void RegisterTook(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, date, guess;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "took",
      "Log today's trial dose as the trial prescribes it (blinded: the day's container, with "
      "your guess)");
  cmd->add_option("--guess", args->guess,
                  "Blinded trials: what you think the container holds: magnesium, placebo or "
                  "unsure (two-dose trials, --lower-dose: higher, lower or unsure)");
  cmd->add_option("--date", args->date, "The day taken: YYYY-MM-DD (default: today)");
  cmd->add_option("--db", args->db, "Journal database");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::TrialDoseLog log;
      if (!args->guess.empty()) log.guess = args->guess;
      if (!args->date.empty()) {
        log.date = journal::ParseDate(args->date);
        if (!log.date) {
          return InvalidArgument(
              fmt::format("--date: \"{}\" is not a YYYY-MM-DD date", args->date));
        }
      }
      ops::Context context(ContextOptionsOf(ctx));
      auto logged = ops::LogTrialDose(context, *opened->store, log, opened->today);
      if (!logged.ok()) return TrialAsFlags(logged.error());
      if (ctx.json) {
        std::printf("%s\n", logged->ToJson().dump(2).c_str());
        return {};
      }
      const journal::Entry& e = logged->entry;
      std::printf("Logged #%lld on %s: %s%s.\n", static_cast<long long>(e.id),
                  journal::FormatDate(e.date).c_str(), e.label.c_str(),
                  e.note.empty() ? "" : fmt::format(" ({})", e.note).c_str());
      for (const std::string& w : logged->warnings) std::printf("Warning: %s\n", w.c_str());
      return {};
    });
  });
}

void RegisterUnblind(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, key;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "unblind", "Open a blinded trial after its last day with the key on the helper's sheet");
  cmd->add_option("key", args->key, "The key on the helper's sheet")->required();
  cmd->add_option("--db", args->db, "Journal database");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto design = ops::UnblindTrial(context, *opened->store, opened->today, args->key);
      if (!design.ok()) return design.error();
      if (ctx.json) {
        std::printf("%s\n", json({{"trial", trial::DesignToJson(*design)}}).dump(2).c_str());
        return {};
      }
      std::printf(
          "Unblinded: container %c held the magnesium. `mgadvisor trial report` now compares "
          "the periods and says how well blinding held.\n",
          design->blinding->magnesium_container);
      return {};
    });
  });
}

void RegisterProtocol(CLI::App& group, CliContext& ctx) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = group.add_subcommand(
      "protocol", "The current trial's protocol as registered at its start, and its SHA-256");
  cmd->add_option("--db", *db, "Journal database");
  cmd->callback([&ctx, db] {
    RunCommand(ctx, [&]() -> Status {
      auto opened = OpenToday(*db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto protocol = ops::CurrentProtocol(context, *opened->store);
      if (!protocol.ok()) return protocol.error();
      if (ctx.json) {
        std::printf("%s\n", protocol->ToJson().dump(2).c_str());
        return {};
      }
      std::printf("%s\n%s", protocol->protocol.text.c_str(),
                  trial::RenderProtocolCheck(protocol->check).c_str());
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
  // For the RDA line of the intake chart; without them, the profile kept in the journal's.
  AddPersonFlags(cmd, args->person, /*required=*/false);
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      std::optional<dri::PersonFields> person;
      if (AnyPersonFlag(args->person)) {
        if (args->person.age.empty() || args->person.sex.empty()) {
          return InvalidArgument("--age and --sex go together (for the RDA line)");
        }
        person = PersonFieldsOf(ctx, args->person);
      }
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto report = ops::TrialReport(context, *opened->store, opened->today, person);
      if (!report.ok()) return PersonAsFlags(report.error());
      std::vector<std::string> written;
      if (!args->svg_dir.empty()) {
        MG_RETURN_IF_ERROR(CreatePrivateDirectories(args->svg_dir));
        const auto dir = std::filesystem::path(args->svg_dir);
        MG_RETURN_IF_ERROR(WriteText(dir / "timeline.svg", trial::TimelineSvg(*report)));
        written.push_back((dir / "timeline.svg").string());
        const std::string intake = trial::IntakeSvg(*report);
        if (!intake.empty()) {
          MG_RETURN_IF_ERROR(WriteText(dir / "intake.svg", intake));
          written.push_back((dir / "intake.svg").string());
        }
      }
      if (ctx.json) {
        json j = trial::ReportToJson(*report);
        j["charts"] = written;
        std::printf("%s\n", j.dump(2).c_str());
      } else {
        std::printf("%s", trial::RenderReportText(*report).c_str());
        for (const std::string& path : written) std::printf("Chart: %s\n", path.c_str());
      }
      return {};
    });
  });
}

// `trial calendar`: the current trial's periods as text (as `trial plan` prints them) or as an
// iCalendar file (ops/calendar.h) for a calendar app; --json gives the periods.
void RegisterCalendar(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string db, format = "text";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand("calendar", "The current trial's calendar");
  cmd->add_option("--format", args->format,
                  "text (default) or ics (all-day events per period, RFC 5545)");
  cmd->add_option("--db", args->db, "Journal database");
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      if (args->format != "text" && args->format != "ics") {
        return InvalidArgument(
            fmt::format("--format: \"{}\" is not one of text, ics", args->format));
      }
      auto opened = OpenToday(args->db);
      if (!opened.ok()) return opened.error();
      ops::Context context(ContextOptionsOf(ctx));
      if (args->format == "ics" && !ctx.json) {
        auto calendar = ops::JournalCalendar(context, *opened->store, opened->today,
                                             {.plan = false, .trial = true});
        if (!calendar.ok()) return calendar.error();
        std::printf("%s", calendar->c_str());
        return {};
      }
      auto current = ops::CurrentTrial(context, *opened->store, opened->today);
      if (!current.ok()) return current.error();
      if (!current->has_value()) {
        return NotFound("no trial in this journal: start one with `mgadvisor trial plan`");
      }
      const trial::Design& design = (*current)->design;
      if (ctx.json) {
        const json out = {{"trial", trial::DesignToJson(design)},
                          {"calendar", trial::RenderCalendar(design)},
                          {"periods", trial::PeriodsToJson(trial::CalendarPeriods(design))}};
        std::printf("%s\n", out.dump(2).c_str());
        return {};
      }
      std::printf("%s", trial::RenderCalendar(design).c_str());
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
  RegisterTook(*group, ctx);
  RegisterEnd(*group, ctx);
  RegisterSecondary(*group, ctx);
  RegisterUnblind(*group, ctx);
  RegisterProtocol(*group, ctx);
  RegisterReport(*group, ctx);
  RegisterCalendar(*group, ctx);
}

}  // namespace mg::cli
