// `mgadvisor log ...` and `mgadvisor journal show|delete|export|import|intake`: thin adapters over
// the journal operations (ops/journal.h), the same ones the server's journal routes call.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/atomic_file.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "core/text.h"
#include "journal/export.h"
#include "journal/journal.h"
#include "journal/sqlite_store.h"
#include "ops/apple_health.h"
#include "ops/diary_import.h"
#include "ops/journal.h"
#include "ops/summary.h"
#include "trial/trial.h"

namespace mg::cli {
namespace {

// Warnings go to standard error, one "WARNING:" line each, so --json output on stdout stays
// exactly the result.
void PrintWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings)
    std::fprintf(stderr, "WARNING: %s\n", warning.c_str());
}

using journal::Entry;
using journal::EntryKind;

// Options every journal command shares.
struct LogOptions {
  std::string db;
  std::string date = "today";
  std::string note;
};

// --from and --to as dates; either may be empty (unbounded).
Result<journal::DateRange> RangeFlags(const std::string& from, const std::string& to) {
  journal::DateRange range;
  for (auto [flag, text, out] :
       {std::tuple{"--from", &from, &range.from}, std::tuple{"--to", &to, &range.to}}) {
    if (text->empty()) continue;
    auto date = journal::ParseDate(*text);
    if (!date) {
      return InvalidArgument(fmt::format("{}: \"{}\" is not a YYYY-MM-DD date", flag, *text));
    }
    *out = *date;
  }
  return range;
}

void AddDbOption(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db,
                  "Journal database (default $XDG_DATA_HOME/mgadvisor/journal.db, or "
                  "~/.local/share/mgadvisor/journal.db)");
}

Result<double> ParseField(std::string_view field, const std::string& text) {
  auto v = ParseFiniteNumber(text);
  if (!v) return InvalidArgument(fmt::format("{}: \"{}\" is not a finite number", field, text));
  return *v;
}

Result<journal::Date> ParseDateFlag(const std::string& text, journal::Date today) {
  if (text == "today") return today;
  if (text == "yesterday") return today - std::chrono::days{1};
  auto date = journal::ParseDate(text);
  if (!date) {
    return InvalidArgument(
        fmt::format("--date: \"{}\" is not a date (YYYY-MM-DD, today or yesterday)", text));
  }
  return *date;
}

// "--sleep-disturbance" for the measure "sleep_disturbance" (journal::MeasuresOf).
std::string MeasureFlag(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return "--" + name;
}

// One flag per measure a symptom entry can carry, each saying which scale it belongs to.
// `log symptom` leaves out migraine's measures (with_migraine = false): an attack is logged by
// `log migraine`, whose --start/--end/--hours say them in clock time; `journal edit` corrects any.
void AddMeasureOptions(CLI::App* cmd, std::map<std::string, std::string>& measures,
                       bool with_migraine) {
  for (EntryKind kind : journal::AllEntryKinds()) {
    if (kind == EntryKind::kMigraine && !with_migraine) continue;
    for (const journal::MeasureSpec& m : journal::MeasuresOf(kind)) {
      cmd->add_option(MeasureFlag(m.name), measures[m.name],
                      fmt::format("{}: {}", journal::EntryKindName(kind), m.what));
    }
  }
}

// "06:30" for minute 390 of a day.
std::string ClockTime(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

// A migraine entry in words: "migraine, worst 7, from 06:30 for 19 h 50 min (to 02:20 the next
// day), medicine: sumatriptan 50 mg", or "migraine: none (a day without migraine)".
std::string DescribeMigraine(const Entry& e) {
  if (e.value && *e.value == 0) {
    return "migraine: none (a day without migraine)" + (e.note.empty() ? "" : " — " + e.note);
  }
  std::string what = fmt::format("migraine, worst {}", FormatNumber(e.value.value_or(0), 3));
  const auto start = e.measures.find("start_minute");
  const auto duration = e.measures.find("duration_minutes");
  if (start != e.measures.end()) what += ", from " + ClockTime(static_cast<int>(start->second));
  if (duration != e.measures.end()) {
    const int minutes = static_cast<int>(duration->second);
    what += fmt::format(" for {} h {} min", minutes / 60, minutes % 60);
    if (start != e.measures.end()) {
      const int end = static_cast<int>(start->second) + minutes;
      const int days = end / 1440;
      what += fmt::format(" (to {}{})", ClockTime(end % 1440),
                          days == 0   ? ""
                          : days == 1 ? " the next day"
                                      : fmt::format(", {} days later", days));
    }
  }
  what += e.label.empty() ? ", no acute medicine" : ", medicine: " + e.label;
  if (!e.note.empty()) what += " — " + e.note;
  return what;
}

// The IRLS outcome, for its severity bands (data/trial/outcomes.toml), looked up once: an
// unreadable file only loses the band.
const std::optional<trial::OutcomeSpec>& IrlsOutcome() {
  static const std::optional<trial::OutcomeSpec> irls = []() -> std::optional<trial::OutcomeSpec> {
    auto outcomes = trial::LoadOutcomes();
    if (!outcomes.ok()) return std::nullopt;
    auto found = trial::FindOutcome(*outcomes, "irls");
    if (!found.ok()) return std::nullopt;
    return std::move(*found);
  }();
  return irls;
}

// Describe(e) appended to `out`: `journal show` writes every entry of a journal into one buffer.
void AppendDescription(std::string& out, const Entry& e) {
  if (e.kind == EntryKind::kMigraine) {
    out += DescribeMigraine(e);
    return;
  }
  out += journal::EntryKindName(e.kind);
  if (!e.label.empty()) {
    out += ' ';
    out += e.label;
  }
  if (e.magnesium_mg) {
    out += ' ';
    out += FormatReadable(*e.magnesium_mg);
    out += " mg Mg";
  }
  if (e.value) {
    out += ' ';
    out += FormatNumber(*e.value, 3);
  }
  if (e.kind == EntryKind::kIrls && e.value && IrlsOutcome()) {
    out += " (";
    out += trial::BandOf(*IrlsOutcome(), *e.value);
    out += ')';
  }
  if (e.intensity) {
    out += " (worst ";
    out += FormatNumber(*e.intensity, 3);
    out += ')';
  }
  for (const auto& [name, value] : e.measures) {
    std::string words = name;
    std::replace(words.begin(), words.end(), '_', ' ');
    out += ", ";
    out += words;
    out += ' ';
    out += FormatNumber(value, 3);
  }
  if (!e.irls_items.empty()) {
    out += " items";
    char digits[16];
    for (int s : e.irls_items) {
      out += ' ';
      out.append(digits, std::to_chars(digits, digits + sizeof digits, s).ptr);
    }
  }
  if (!e.note.empty()) {
    out += " — ";
    out += e.note;
  }
}

std::string Describe(const Entry& e) {
  std::string what;
  AppendDescription(what, e);
  return what;
}

void Print(const CliContext& ctx, const Entry& entry);

Status WriteEntry(CliContext& ctx, const LogOptions& opts, Entry entry) {
  auto store = OpenJournal(opts.db);
  if (!store.ok()) return store.error();
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  auto date = ParseDateFlag(opts.date, *today);
  if (!date.ok()) return date.error();
  entry.date = *date;
  entry.note = opts.note;
  ops::Context context(ContextOptionsOf(ctx));  // Loads only what a warning needs, if any.
  auto logged = ops::LogEntry(context, **store, std::move(entry));
  if (!logged.ok()) return logged.error();
  Print(ctx, logged->entry);
  PrintWarnings(logged->warnings);
  return {};
}

void Print(const CliContext& ctx, const Entry& entry) {
  if (ctx.json) {
    std::printf("%s\n", journal::EntryToJson(entry).dump().c_str());
  } else {
    std::printf("Logged %s on %s (entry %lld).\n", Describe(entry).c_str(),
                journal::FormatDate(entry.date).c_str(), static_cast<long long>(entry.id));
  }
}

// `log food NAME AMOUNT`: the food and its magnesium through ops::LogFood, as the web page logs.
Status LogFoodAmount(CliContext& ctx, const LogOptions& opts, const std::string& name,
                     const std::vector<std::string>& amount_words, const std::string& mg) {
  if (!mg.empty()) {
    return InvalidArgument(
        "--mg: with an AMOUNT the magnesium comes from the food table; give one or the other");
  }
  std::string text;
  for (const auto& w : amount_words) text += (text.empty() ? "" : " ") + w;
  // "30g", "30 g", "1.5 cups", "2": a number, then the unit (none: usual portions).
  size_t split = 0;
  while (split < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.')) {
    ++split;
  }
  const auto number = ParseFiniteNumber(text.substr(0, split));
  if (!number) {
    return InvalidArgument(
        fmt::format("amount: \"{}\" does not start with a number (e.g. 30 g, 1 cup)", text));
  }
  std::string unit = text.substr(split);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  ops::FoodLog log;
  log.food = name;
  log.note = opts.note;
  const std::string normal = NormalizeName(unit);
  if (normal.empty() || normal == "portion" || normal == "portions" || normal == "serving" ||
      normal == "servings") {
    log.portions = *number;
  } else if (normal == "g" || normal == "gram" || normal == "grams") {
    log.grams = *number;
  } else {
    log.amount = *number;
    log.unit = unit;
  }
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  auto date = ParseDateFlag(opts.date, *today);
  if (!date.ok()) return date.error();
  log.date = *date;
  auto store = OpenJournal(opts.db);
  if (!store.ok()) return store.error();
  ops::Context context(ContextOptionsOf(ctx));
  auto entry = ops::LogFood(context, **store, log, *today);
  if (!entry.ok()) {
    return AsFlags(entry.error(), {{"grams", "amount"}, {"portions", "amount"}, {"food", "name"}});
  }
  Print(ctx, *entry);
  return {};
}

// A food name with its amount at the end, as people type it in one word: "pumkin seeds 30 g",
// "spinach 2 cups", "almonds 28g", "banana 1". Returns the name and the amount's words; nullopt
// when the text does not end in a number (and, at most, one unit word after it) or has no name
// before it.
std::optional<std::pair<std::string, std::vector<std::string>>> SplitTrailingAmount(
    const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  auto starts_with_number = [](const std::string& w) {
    return !w.empty() &&
           (std::isdigit(static_cast<unsigned char>(w[0])) ||
            (w[0] == '.' && w.size() > 1 && std::isdigit(static_cast<unsigned char>(w[1]))));
  };
  for (size_t from_end = 1; from_end <= 2 && from_end < words.size(); ++from_end) {
    const size_t at = words.size() - from_end;
    if (!starts_with_number(words[at])) continue;
    // A unit after the number must be a word, not another number ("vitamin b 12 500").
    if (from_end == 2 && starts_with_number(words.back())) return std::nullopt;
    std::string name;
    for (size_t i = 0; i < at; ++i) name += (i ? " " : "") + words[i];
    return std::pair{name,
                     std::vector<std::string>(words.begin() + static_cast<long>(at), words.end())};
  }
  return std::nullopt;
}

// `log supplement NAME AMOUNT` and `log dose --amount`: the magnesium through ops::LogTaken, the
// one count the plan and the diary use, and how the amount was read.
Status LogTakenAmount(CliContext& ctx, const LogOptions& opts, EntryKind kind,
                      const std::string& name, const std::string& amount,
                      std::string_view amount_flag) {
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  auto date = ParseDateFlag(opts.date, *today);
  if (!date.ok()) return date.error();
  auto store = OpenJournal(opts.db);
  if (!store.ok()) return store.error();
  ops::Context context(ContextOptionsOf(ctx));
  auto logged = ops::LogTaken(context, **store, {kind, name, amount, *date, opts.note}, *today);
  if (!logged.ok()) {
    return AsFlags(logged.error(), {{"amount", std::string(amount_flag)},
                                    {"name", kind == EntryKind::kDose ? "--form" : "name"}});
  }
  if (ctx.json) {
    std::printf("%s\n", logged->ToJson().dump().c_str());
  } else {
    Print(ctx, logged->logged.entry);
    if (!logged->reading.empty()) std::printf("Read as: %s.\n", logged->reading.c_str());
  }
  PrintWarnings(logged->logged.warnings);
  return {};
}

// "06:30" -> 390; nullopt unless HH:MM on a 24-hour clock (H:MM accepted).
std::optional<int> ParseClockTime(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
    return std::nullopt;
  int hour = 0, minute = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == colon) continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    int& part = i < colon ? hour : minute;
    part = part * 10 + (text[i] - '0');
  }
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

// `log migraine`'s flags as an entry; the values' ranges are ValidateEntry's to check.
template <typename Args>
Result<Entry> MigraineFromFlags(const Args& args, const CLI::App& cmd) {
  Entry e;
  e.kind = EntryKind::kMigraine;
  if (!args.none.empty()) {
    if (args.none != "none") {
      return InvalidArgument(fmt::format(
          "none: \"{}\" is not understood; `log migraine none` is a day without migraine, an "
          "attack is logged with --severity",
          args.none));
    }
    for (const char* flag : {"--severity", "--start", "--end", "--hours", "--medicine"}) {
      if (cmd.count(flag) > 0) {
        return InvalidArgument(fmt::format(
            "{}: not used with `none` (a day without migraine); leave out none to log an attack",
            flag));
      }
    }
    e.value = 0;
    return e;
  }
  if (args.severity.empty()) {
    return InvalidArgument(
        "--severity: give the attack's worst severity, 1-10 (or `mgadvisor log migraine none` "
        "for a day without migraine)");
  }
  auto severity = ParseField("--severity", args.severity);
  if (!severity.ok()) return severity.error();
  e.value = *severity;
  e.label = args.medicine;
  std::optional<int> start;
  if (!args.start.empty()) {
    start = ParseClockTime(args.start);
    if (!start) {
      return InvalidArgument(
          fmt::format("--start: \"{}\" is not a time of day (HH:MM, 00:00-23:59)", args.start));
    }
    e.measures["start_minute"] = *start;
  }
  if (!args.end.empty() && !args.hours.empty())
    return InvalidArgument("--hours: give --end or --hours, not both");
  if (!args.end.empty()) {
    const auto end = ParseClockTime(args.end);
    if (!end) {
      return InvalidArgument(
          fmt::format("--end: \"{}\" is not a time of day (HH:MM, 00:00-23:59)", args.end));
    }
    if (!start) {
      return InvalidArgument(
          "--end: needs --start (the duration is from start to end); or give --hours");
    }
    if (*end == *start) {
      return InvalidArgument(fmt::format(
          "--end: {} is the same time as --start; for an attack of a whole day give --hours 24",
          args.end));
    }
    // An end before the start is the next morning: the attack ran past midnight.
    e.measures["duration_minutes"] = *end > *start ? *end - *start : *end + 1440 - *start;
  }
  if (!args.hours.empty()) {
    auto hours = ParseField("--hours", args.hours);
    if (!hours.ok()) return hours.error();
    // The journal keeps whole minutes, up to a week (journal::MeasuresOf).
    if (std::round(*hours * 60) < 1 || *hours > 168) {
      return InvalidArgument(fmt::format(
          "--hours: {} is not a duration from one minute to a week (168 hours)", args.hours));
    }
    e.measures["duration_minutes"] = std::round(*hours * 60);
  }
  return e;
}

void AddLogCommon(CLI::App* cmd, LogOptions& opts) {
  AddDbOption(cmd, opts.db);
  cmd->add_option("--date", opts.date, "Day of the entry: YYYY-MM-DD, today (default), yesterday");
  cmd->add_option("--note", opts.note, "Free note");
}

void RegisterLog(CLI::App& app, CliContext& ctx) {
  CLI::App* log = app.add_subcommand("log", "Add an entry to the symptom journal");
  log->require_subcommand(1);

  for (EntryKind kind : {EntryKind::kFood, EntryKind::kSupplement}) {
    struct Args {
      LogOptions opts;
      std::string name;
      std::string mg;
      std::vector<std::string> amount;
    };
    auto args = std::make_shared<Args>();
    const bool food = kind == EntryKind::kFood;
    CLI::App* cmd = log->add_subcommand(
        food ? "food" : "supplement",
        food ? "Something eaten. With an AMOUNT the food is found in the food table (by name or "
               "id, as `foods search` finds it) and its magnesium is worked out: log food "
               "\"pumpkin seeds\" 30 g; without one it is logged as written"
             : "A supplement, antacid or laxative that is not a trial dose. With an AMOUNT its "
               "magnesium is counted as the plan counts it: mg is magnesium itself, as labels "
               "state it; '400 mg compound' is the salt's mass; '2 tablets' or '30 mL' are units "
               "of a product the catalogue knows: log supplement \"milk of magnesia\" 30 mL");
    cmd->add_option("name", args->name,
                    food ? "The food, e.g. \"pumpkin seeds\" or sr28:12014 (or any text with no "
                           "AMOUNT)"
                         : "What it was, e.g. \"multivitamin\"")
        ->required();
    cmd->add_option("amount", args->amount,
                    food ? "How much: 30 g, 1 cup, 2 slices, 1.5 portions (the usual portion)"
                         : "How much: 200 mg, 400 mg compound, 2 tablets, 30 mL")
        ->expected(0, 3);
    cmd->add_option("--mg", args->mg, "Its magnesium content in mg, when known");
    AddLogCommon(cmd, args->opts);
    cmd->callback([&ctx, args, kind] {
      RunCommand(ctx, [&]() -> Status {
        if (kind == EntryKind::kFood && args->amount.empty() && args->mg.empty()) {
          // "pumkin seeds 30 g" typed as one word: the amount at its end is an AMOUNT (with
          // --mg the person gives the magnesium, and the text is kept as written).
          if (auto split = SplitTrailingAmount(args->name))
            return LogFoodAmount(ctx, args->opts, split->first, split->second, args->mg);
        }
        if (!args->amount.empty() && kind == EntryKind::kFood)
          return LogFoodAmount(ctx, args->opts, args->name, args->amount, args->mg);
        if (!args->amount.empty()) {
          if (!args->mg.empty()) {
            return InvalidArgument(
                "--mg: with an AMOUNT the magnesium is counted from it; give one or the other");
          }
          std::string text;
          for (const auto& w : args->amount) text += (text.empty() ? "" : " ") + w;
          return LogTakenAmount(ctx, args->opts, kind, args->name, text, "amount");
        }
        Entry e;
        e.kind = kind;
        e.label = args->name;
        if (!args->mg.empty()) {
          auto mg = ParseField("--mg", args->mg);
          if (!mg.ok()) return mg.error();
          e.magnesium_mg = *mg;
        }
        return WriteEntry(ctx, args->opts, e);
      });
    });
  }

  {
    struct Args {
      LogOptions opts;
      std::string mg;
      std::string amount;
      std::string form = "magnesium";
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = log->add_subcommand("dose", "A magnesium dose taken");
    cmd->add_option("--mg", args->mg, "Elemental magnesium in mg");
    cmd->add_option("--amount", args->amount,
                    "Instead of --mg, the amount as written, counted as the plan counts it: "
                    "'400 mg compound' (the salt's mass), '2 tablets' of a --form the catalogue "
                    "knows (e.g. --form \"Mag-Ox 400\"), '200 mg' (magnesium itself)");
    cmd->add_option("--form", args->form,
                    "The compound or product, e.g. citrate, glycinate, oxide, \"Mag-Ox 400\"");
    AddLogCommon(cmd, args->opts);
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        if (args->mg.empty() == args->amount.empty()) {
          return InvalidArgument(
              "--mg: give the dose as --mg (magnesium itself, in mg) or --amount (e.g. '400 mg "
              "compound', '2 tablets'), one of them");
        }
        if (!args->amount.empty()) {
          return LogTakenAmount(ctx, args->opts, EntryKind::kDose, args->form, args->amount,
                                "--amount");
        }
        Entry e;
        e.kind = EntryKind::kDose;
        e.label = args->form;
        auto mg = ParseField("--mg", args->mg);
        if (!mg.ok()) return mg.error();
        e.magnesium_mg = *mg;
        return WriteEntry(ctx, args->opts, e);
      });
    });
  }

  {
    struct Args {
      LogOptions opts;
      std::string scale;
      std::string value;
      std::vector<int> items;
      std::string intensity;
      std::map<std::string, std::string> measures;  // Measure name -> flag text.
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = log->add_subcommand(
        "symptom",
        "A symptom rating: irls TOTAL (0-40) or irls --items (ten scores 0-4), cramps COUNT "
        "[--severity WORST 0-10] [--minutes TOTAL] [--sleep-disturbance 0-10], pain NRS (0-10), "
        "sleep QUALITY (0 terrible - 10 excellent) [--minutes-to-sleep M] [--awakenings N], "
        "sleep-minutes MINUTES (asleep last night, as a device measured it), stress (0 none - 10 "
        "extreme); a migraine attack: `mgadvisor log migraine`");
    cmd->add_option("scale", args->scale,
                    "irls, cramps, pain, sleep, sleep-minutes, stress (or migraine)")
        ->required();
    cmd->add_option("value", args->value, "The rating (IRLS total; cramps in the night; 0-10)");
    cmd->add_option("--items", args->items, "IRLS: the ten item scores, 0-4 each")
        ->delimiter(',')
        ->expected(0, 10);
    cmd->add_option("--intensity,--severity", args->intensity,
                    "Cramps: the worst cramp's severity, 0-10");
    AddMeasureOptions(cmd, args->measures, /*with_migraine=*/false);
    AddLogCommon(cmd, args->opts);
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto kind = journal::ParseEntryKind(args->scale);
        if (!kind || !journal::IsSymptom(*kind)) {
          return InvalidArgument(
              fmt::format("scale: \"{}\" is not a symptom scale; use irls, cramps, pain, sleep, "
                          "sleep-minutes or stress (a migraine attack: mgadvisor log migraine)",
                          args->scale));
        }
        Entry e;
        e.kind = *kind;
        e.irls_items = args->items;
        if (!args->value.empty()) {
          auto v = ParseField(args->scale, args->value);
          if (!v.ok()) return v.error();
          e.value = *v;
        } else if (*kind == EntryKind::kIrls && !e.irls_items.empty()) {
          int total = 0;
          for (int s : e.irls_items) total += s;
          e.value = total;
        } else {
          return InvalidArgument(fmt::format("value: give the {} rating", args->scale));
        }
        if (!args->intensity.empty()) {
          auto v = ParseField("--intensity", args->intensity);
          if (!v.ok()) return v.error();
          e.intensity = *v;
        }
        for (const auto& [name, text] : args->measures) {
          if (text.empty()) continue;
          auto v = ParseField(MeasureFlag(name), text);
          if (!v.ok()) return v.error();
          e.measures[name] = *v;
        }
        return WriteEntry(ctx, args->opts, e);
      });
    });
  }

  {
    struct Args {
      LogOptions opts;
      std::string none;
      std::string severity, start, end, hours, medicine;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = log->add_subcommand(
        "migraine",
        "One migraine attack, on the day it started: --severity WORST (1-10) [--start HH:MM] "
        "[--end HH:MM | --hours H] [--medicine \"sumatriptan 50 mg\"]. An --end earlier than "
        "--start is the next day (an attack past midnight stays one entry). `log migraine none` "
        "records a day without migraine, so migraine days can be counted");
    cmd->add_option("none", args->none, "none: no migraine that day");
    cmd->add_option("--severity", args->severity, "The attack's worst severity, 1-10");
    cmd->add_option("--start", args->start, "When it started, HH:MM (24-hour clock)");
    cmd->add_option("--end", args->end,
                    "When it ended, HH:MM; earlier than --start means the next day");
    cmd->add_option("--hours", args->hours, "Instead of --end: how long it lasted, in hours");
    cmd->add_option("--medicine", args->medicine, "The acute medicine taken, if any");
    AddLogCommon(cmd, args->opts);
    cmd->callback([&ctx, args, cmd] {
      RunCommand(ctx, [&]() -> Status {
        auto entry = MigraineFromFlags(*args, *cmd);
        if (!entry.ok()) return entry.error();
        Status written = WriteEntry(ctx, args->opts, *entry);
        if (written.ok()) return written;
        const bool by_hours = !args->hours.empty();
        return AsFlags(written.error(), {{"migraine", "--severity"},
                                         {"start_minute", "--start"},
                                         {"duration_minutes", by_hours ? "--hours" : "--end"},
                                         {"label", "--medicine"}});
      });
    });
  }

  for (EntryKind kind : {EntryKind::kNote, EntryKind::kSideEffect}) {
    struct Args {
      LogOptions opts;
      std::string text;
    };
    auto args = std::make_shared<Args>();
    const bool note = kind == EntryKind::kNote;
    CLI::App* cmd = log->add_subcommand(note ? "note" : "side-effect",
                                        note ? "A free note" : "A side effect noticed");
    cmd->add_option("text", args->text, note ? "The note" : "What, e.g. diarrhoea")->required();
    AddDbOption(cmd, args->opts.db);
    cmd->add_option("--date", args->opts.date, "Day: YYYY-MM-DD, today (default), yesterday");
    if (!note) cmd->add_option("--note", args->opts.note, "Details");
    cmd->callback([&ctx, args, kind] {
      RunCommand(ctx, [&]() -> Status {
        Entry e;
        e.kind = kind;
        LogOptions opts = args->opts;
        if (kind == EntryKind::kNote) {
          opts.note = args->text;
        } else {
          e.label = args->text;
        }
        return WriteEntry(ctx, opts, e);
      });
    });
  }
}

// `journal import --format apple-health FILE`: the export is streamed from the file (it may be
// gigabytes), never read into memory whole. What was added, and each day kept as the journal
// had it, is said; the warnings go to standard error, as for `import-diary`.
Status ImportAppleHealthFile(CliContext& ctx, const std::string& db, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound("no such file, or it cannot be opened: " + file);
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  auto store = OpenJournal(db);
  if (!store.ok()) return store.error();
  auto imported = ops::ImportAppleHealth(**store, in, file, *today);
  if (!imported.ok()) return imported.error();
  PrintWarnings(imported->warnings);
  if (ctx.json) {
    std::printf("%s\n", imported->ToJson().dump(2).c_str());
    return {};
  }
  int nights = 0, days = 0;
  for (const ops::AppleHealthRow& row : imported->rows) {
    if (row.status != ops::AppleHealthRow::Status::kAdded) continue;
    const journal::Entry& e = row.entry;
    (e.kind == EntryKind::kSleepMinutes ? nights : days) += 1;
    std::printf("%s  %s  %s\n", journal::FormatDate(e.date).c_str(),
                e.kind == EntryKind::kSleepMinutes
                    ? fmt::format("{} min asleep", FormatNumber(e.value.value_or(0))).c_str()
                    : fmt::format("{} mg", FormatNumber(e.magnesium_mg.value_or(0))).c_str(),
                e.label.c_str());
  }
  const size_t skipped = imported->rows.size() - imported->added;
  std::printf(
      "Imported %d nights of sleep and %d daily totals of dietary magnesium (one per day and app) "
      "from %s (%lld records read, %lld of magnesium and %lld of sleep)%s.\n",
      nights, days, file.c_str(), static_cast<long long>(imported->read.records),
      static_cast<long long>(imported->read.magnesium_records),
      static_cast<long long>(imported->read.sleep_records),
      skipped > 0 ? fmt::format("; {} not added: already in the journal, changed since (see the "
                                "warnings) or after today",
                                skipped)
                        .c_str()
                  : "");
  return {};
}

void RegisterJournal(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("journal", "Read, export or import the symptom journal");
  group->require_subcommand(1);

  {
    struct Args {
      std::string db, from, to, kind;
      std::optional<size_t> limit;
      size_t offset = 0;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "show",
        "List entries, oldest first; --limit N shows the N newest (--offset K skips the K "
        "newest first: the next page back)");
    AddDbOption(cmd, args->db);
    cmd->add_option("--from", args->from, "First day (YYYY-MM-DD)");
    cmd->add_option("--to", args->to, "Last day (YYYY-MM-DD)");
    cmd->add_option("--kind", args->kind, "Only entries of this kind (food, dose, pain...)");
    cmd->add_option("--limit", args->limit, "At most this many entries, the newest");
    cmd->add_option("--offset", args->offset, "Skip this many of the newest entries first");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto range = RangeFlags(args->from, args->to);
        if (!range.ok()) return range.error();
        ops::EntryQuery query{*range, std::nullopt, args->limit, args->offset};
        if (!args->kind.empty()) {
          query.kind = journal::ParseEntryKind(args->kind);
          if (!query.kind) {
            return InvalidArgument(fmt::format("--kind: \"{}\" is not an entry kind", args->kind));
          }
        }
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        auto page = ops::ListEntryPage(**store, query);
        if (!page.ok()) return AsFlags(page.error(), {{"from", "--from"}, {"limit", "--limit"}});
        if (ctx.json) {
          // A bare array, as before; the entries are those of /api/journal/entries.
          std::printf("%s\n", ops::EntriesToJson(page->entries)["entries"].dump(2).c_str());
          return {};
        }
        // Every line into one buffer and one write: a five-year journal is ~12,000 lines, and
        // a printf each (its format parsing, the stream's lock) was a tenth of the command.
        std::string text;
        text.reserve(page->entries.size() * 64);
        if (page->entries.empty()) text += "No entries.\n";
        for (const Entry& e : page->entries) {
          text += journal::FormatDate(e.date);
          text += "  #";
          // "%-4lld": the id, then spaces to four characters.
          char digits[24];
          const auto length =
              static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, e.id).ptr - digits);
          text.append(digits, length);
          if (length < 4) text.append(4 - length, ' ');
          text += ' ';
          const size_t start = text.size();
          AppendDescription(text, e);
          // A label or note may hold U+0000 (valid UTF-8); printf's %s ended the line there,
          // and so does this, so the output stays as it was.
          if (const size_t nul = text.find('\0', start); nul != std::string::npos) text.resize(nul);
          text += '\n';
        }
        const size_t older =
            page->total - std::min(page->total, page->offset) - page->entries.size();
        if (older > 0) {
          text += fmt::format("({} older entries: --offset {})\n", older,
                              page->offset + page->entries.size());
        }
        std::fwrite(text.data(), 1, text.size(), stdout);
        return {};
      });
    });
  }

  {
    struct Args {
      std::string db, date = "today";
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "foods", "What was eaten on one day (foods, supplements, doses) with its magnesium");
    AddDbOption(cmd, args->db);
    cmd->add_option("--date", args->date, "The day: YYYY-MM-DD, today (default), yesterday");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto today = JournalToday();
        if (!today.ok()) return today.error();
        auto date = ParseDateFlag(args->date, *today);
        if (!date.ok()) return date.error();
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        auto day = ops::FoodsOfDay(**store, *date);
        if (!day.ok()) return day.error();
        if (ctx.json) {
          std::printf("%s\n", day->ToJson().dump(2).c_str());
          return {};
        }
        std::printf("%s\n", journal::FormatDate(day->date).c_str());
        if (day->foods.empty() && day->supplements.empty()) std::printf("Nothing logged.\n");
        for (const auto* list : {&day->foods, &day->supplements}) {
          for (const Entry& e : *list) {
            std::printf("  #%-4lld %s\n", static_cast<long long>(e.id), Describe(e).c_str());
          }
        }
        std::printf(
            "Magnesium: food %s mg, supplements %s mg, total %s mg%s\n",
            FormatNumber(day->magnesium.food_mg, 0).c_str(),
            FormatNumber(day->magnesium.supplement_mg, 0).c_str(),
            FormatNumber(day->magnesium.total_mg(), 0).c_str(),
            day->without_magnesium > 0
                ? fmt::format(" (at least: {} without a magnesium value)", day->without_magnesium)
                      .c_str()
                : "");
        return {};
      });
    });
  }

  {
    struct Args {
      std::string db;
      int64_t id = 0;
      bool yes = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "delete",
        "Remove one entry (by the # shown in `show`), after asking; `journal undo` brings it back");
    AddDbOption(cmd, args->db);
    cmd->add_option("id", args->id, "The entry's number")->required();
    cmd->add_flag("--yes,-y", args->yes, "Do not ask for confirmation");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        auto entry = ops::GetEntry(**store, args->id);
        if (!entry.ok()) return entry.error();
        if (!args->yes) {
          MG_RETURN_IF_ERROR(
              Confirm(fmt::format("Delete entry {} ({} on {})?", args->id, Describe(*entry),
                                  journal::FormatDate(entry->date))));
        }
        MG_RETURN_IF_ERROR(ops::DeleteEntry(**store, args->id));
        if (ctx.json) {
          std::printf("%s\n", nlohmann::json({{"deleted", args->id}}).dump().c_str());
        } else {
          std::printf("Deleted entry %lld (`mgadvisor journal undo` brings it back).\n",
                      static_cast<long long>(args->id));
        }
        return {};
      });
    });
  }

  {
    struct Args {
      LogOptions opts;
      int64_t id = 0;
      std::string kind, label, mg, value, intensity;
      std::vector<int> items;
      std::map<std::string, std::string> measures;
      bool date_given = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "edit",
        "Correct an entry (by the # shown in `show`): only the fields given change; `journal "
        "undo` reverts it");
    AddDbOption(cmd, args->opts.db);
    cmd->add_option("id", args->id, "The entry's number")->required();
    cmd->add_option("--date", args->opts.date, "Its day: YYYY-MM-DD, today, yesterday");
    cmd->add_option("--kind", args->kind, "Its kind (food, dose, pain...)");
    cmd->add_option("--label", args->label, "Its label (food, form, side effect)");
    cmd->add_option("--mg", args->mg, "Its magnesium in mg (\"none\" clears it)");
    cmd->add_option("--value", args->value, "The rating or count (\"none\" clears it)");
    cmd->add_option("--intensity,--severity", args->intensity, "Cramps: the worst severity 0-10");
    cmd->add_option("--items", args->items, "IRLS: the ten item scores, 0-4 each")
        ->delimiter(',')
        ->expected(0, 10);
    AddMeasureOptions(cmd, args->measures, /*with_migraine=*/true);
    cmd->add_option("--note", args->opts.note, "Its note (\"\" clears it)");
    cmd->callback([&ctx, args, cmd] {
      RunCommand(ctx, [&]() -> Status {
        nlohmann::json patch = nlohmann::json::object();
        if (cmd->count("--date") > 0) {
          auto today = JournalToday();
          if (!today.ok()) return today.error();
          auto date = ParseDateFlag(args->opts.date, *today);
          if (!date.ok()) return date.error();
          patch["date"] = journal::FormatDate(*date);
        }
        if (cmd->count("--kind") > 0) patch["kind"] = args->kind;
        if (cmd->count("--label") > 0) patch["label"] = args->label;
        if (cmd->count("--note") > 0) patch["note"] = args->opts.note;
        if (cmd->count("--items") > 0) patch["irls_items"] = args->items;
        for (auto [flag, key, text] : {std::tuple{"--mg", "magnesium_mg", &args->mg},
                                       std::tuple{"--value", "value", &args->value},
                                       std::tuple{"--intensity", "intensity", &args->intensity}}) {
          if (cmd->count(flag) == 0) continue;
          if (*text == "none") {
            patch[key] = nullptr;
            continue;
          }
          auto number = ParseField(flag, *text);
          if (!number.ok()) return number.error();
          patch[key] = *number;
        }
        for (const auto& [name, text] : args->measures) {
          const std::string flag = MeasureFlag(name);
          if (cmd->count(flag) == 0) continue;
          if (text == "none") {
            patch["measures"][name] = nullptr;
            continue;
          }
          auto number = ParseField(flag, text);
          if (!number.ok()) return number.error();
          patch["measures"][name] = *number;
        }
        auto store = OpenJournal(args->opts.db);
        if (!store.ok()) return store.error();
        auto edited = ops::EditEntry(**store, args->id, patch);
        if (!edited.ok()) {
          return AsFlags(edited.error(), {{"entry: magnesium_mg", "--mg"},
                                          {"entry: value", "--value"},
                                          {"entry: intensity", "--intensity"},
                                          {"entry: date", "--date"},
                                          {"entry: kind", "--kind"},
                                          {"entry: label", "--label"},
                                          {"entry: note", "--note"},
                                          {"entry: irls_items", "--items"}});
        }
        if (ctx.json) {
          std::printf("%s\n",
                      nlohmann::json({{"entry", journal::EntryToJson(*edited)}}).dump().c_str());
        } else {
          std::printf("Entry %lld is now: %s on %s.\n", static_cast<long long>(edited->id),
                      Describe(*edited).c_str(), journal::FormatDate(edited->date).c_str());
        }
        return {};
      });
    });
  }

  {
    auto db = std::make_shared<std::string>();
    CLI::App* cmd = group->add_subcommand(
        "undo", "Revert the latest add, edit or delete of an entry (repeat to go further back)");
    AddDbOption(cmd, *db);
    cmd->callback([&ctx, db] {
      RunCommand(ctx, [&]() -> Status {
        auto store = OpenJournal(*db);
        if (!store.ok()) return store.error();
        auto undone = ops::UndoLastChange(**store);
        if (!undone.ok()) return undone.error();
        if (ctx.json) {
          std::printf("%s\n", ops::UndoneToJson(*undone).dump().c_str());
          return {};
        }
        if (!undone->has_value()) {
          std::printf("Nothing to undo.\n");
          return {};
        }
        const journal::UndoneChange& u = **undone;
        const char* what = u.kind == journal::ChangeKind::kAdd    ? "Removed the entry added"
                           : u.kind == journal::ChangeKind::kEdit ? "Restored the entry edited"
                                                                  : "Restored the entry deleted";
        std::printf("%s: #%lld %s on %s.\n", what, static_cast<long long>(u.entry.id),
                    Describe(u.entry).c_str(), journal::FormatDate(u.entry.date).c_str());
        return {};
      });
    });
  }

  {
    struct Args {
      std::string db, format = "json", out;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd =
        group->add_subcommand("export", "Write the whole journal as JSON, CSV or a FHIR Bundle");
    AddDbOption(cmd, args->db);
    cmd->add_option("--format", args->format,
                    "json (everything), csv (entries only) or fhir (an HL7 FHIR R4 Bundle)")
        ->check(CLI::IsMember({"json", "csv", "fhir"}));
    cmd->add_option("--out", args->out, "File to write (default: standard output)");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        auto today = JournalToday();
        if (!today.ok()) return today.error();
        ops::Context context(ContextOptionsOf(ctx));  // Loads the plan's data for fhir only.
        auto exported =
            ops::ExportJournalAs(context, **store, *ops::ParseExportFormat(args->format), *today);
        if (!exported.ok()) return exported.error();
        const std::string& text = exported->text;
        if (args->out.empty()) {
          std::fwrite(text.data(), 1, text.size(), stdout);
          return {};
        }
        return WriteFileAtomically(args->out, text);  // Private (0600): health data.
      });
    });
  }

  {
    struct Args {
      std::string db, file, format;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "import",
        "Add the entries (and profile, trials) of a JSON, CSV or FHIR export, keeping ids; or "
        "an Apple Health export.xml's dietary magnesium and sleep (--format apple-health)");
    AddDbOption(cmd, args->db);
    cmd->add_option("file", args->file, "A file written by `journal export`, or Apple Health's")
        ->required();
    cmd->add_option("--format", args->format,
                    "json, csv, fhir (default: recognised from the file's content) or "
                    "apple-health")
        ->check(CLI::IsMember({"json", "csv", "fhir", "apple-health"}));
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        if (args->format == "apple-health") return ImportAppleHealthFile(ctx, args->db, args->file);
        auto text = ReadFile(args->file);
        if (!text.ok()) return text.error();
        auto snapshot =
            ops::ReadJournalDocument(*text, args->file, ops::ParseExportFormat(args->format));
        if (!snapshot.ok()) return snapshot.error();
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        // The same checks as POST /api/journal/import: a profile that does not resolve or a
        // trial that does not read is refused before anything is written.
        ops::Context context(ContextOptionsOf(ctx));
        auto imported = ops::ImportJournal(context, **store, *snapshot, args->file);
        if (!imported.ok()) return imported.error();
        if (ctx.json) {
          std::printf("%s\n", imported->ToJson().dump().c_str());
        } else {
          std::printf("Imported %zu entries and %zu trials from %s.\n", imported->entries,
                      imported->trials, args->file.c_str());
        }
        return {};
      });
    });
  }

  {
    struct Args {
      std::string db, file;
      bool dry_run = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "import-diary",
        "Add a food diary from another app to the journal: a Cronometer servings export, or a "
        "CSV/JSON diary as `intake` reads it; rows already in the journal are skipped");
    AddDbOption(cmd, args->db);
    cmd->add_option("file", args->file, "The diary")->required();
    cmd->add_flag("--dry-run", args->dry_run, "Show what would be added; write nothing");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto text = ReadFile(args->file);
        if (!text.ok()) return text.error();
        auto today = JournalToday();
        if (!today.ok()) return today.error();
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        ops::Context context(ContextOptionsOf(ctx));
        auto imported =
            ops::ImportDiary(context, **store, {*text, args->file, args->dry_run}, *today);
        if (!imported.ok()) return imported.error();
        PrintWarnings(imported->warnings);
        if (ctx.json) {
          std::printf("%s\n", imported->ToJson().dump(2).c_str());
          return {};
        }
        // Every row with how it was read, so a wrong food match is seen before it is trusted.
        for (const ops::ImportedRow& row : imported->rows) {
          const journal::Entry& e = row.entry;
          std::printf("%s  %s  %s  %s  [%s]%s\n", row.where.c_str(),
                      journal::FormatDate(e.date).c_str(), e.label.c_str(),
                      e.magnesium_mg ? (FormatNumber(*e.magnesium_mg) + " mg").c_str()
                                     : "magnesium unknown",
                      row.match.c_str(),
                      row.duplicate ? "  (already in the journal: skipped)" : "");
        }
        const size_t skipped = imported->rows.size() - imported->added;
        std::printf("%s %zu of %zu rows from %s (%s)%s.\n",
                    args->dry_run ? "Would import" : "Imported", imported->added,
                    imported->rows.size(), args->file.c_str(), imported->format.c_str(),
                    skipped > 0 ? fmt::format("; {} already in the journal", skipped).c_str() : "");
        return {};
      });
    });
  }

  {
    struct Args {
      std::string db, from, to;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = group->add_subcommand(
        "intake",
        "Magnesium logged per day (food, supplements and doses), against the kept profile's "
        "targets; the last 7 days unless --from/--to say otherwise");
    AddDbOption(cmd, args->db);
    cmd->add_option("--from", args->from, "First day (YYYY-MM-DD; default: 6 days before --to)");
    cmd->add_option("--to", args->to, "Last day (YYYY-MM-DD; default: today)");
    cmd->callback([&ctx, args] {
      RunCommand(ctx, [&]() -> Status {
        auto range = RangeFlags(args->from, args->to);
        if (!range.ok()) return range.error();
        auto today = JournalToday();
        if (!today.ok()) return today.error();
        auto store = OpenJournal(args->db);
        if (!store.ok()) return store.error();
        ops::Context context(ContextOptionsOf(ctx));
        auto intake = ops::Intake(context, **store, {range->from, range->to}, *today);
        if (!intake.ok()) {
          return AsFlags(intake.error(), {{"from", "--from"}, {"from, to", "--from, --to"}});
        }
        if (ctx.json) {
          std::printf("%s\n", intake->ToJson().dump(2).c_str());
          return {};
        }
        const auto& t = intake->target;
        if (t) {
          std::printf("Magnesium logged per day — %s", t->label.c_str());
          if (t->intake_mg) {
            std::printf(" (%s %s mg/day", t->intake_kind.c_str(),
                        FormatNumber(*t->intake_mg, 0).c_str());
            if (t->supplemental_ul_mg) {
              std::printf("; supplements at most %s mg/day",
                          FormatNumber(*t->supplemental_ul_mg, 0).c_str());
            }
            std::printf(")");
          }
          std::printf("\n");
        } else {
          std::printf(
              "Magnesium logged per day (no profile kept: `mgadvisor profile set FILE` "
              "adds targets)\n");
        }
        for (const journal::DayMagnesium& day : intake->days) {
          std::printf("%s  food %5s mg  supplements %5s mg  total %5s mg",
                      journal::FormatDate(day.date).c_str(), FormatNumber(day.food_mg, 0).c_str(),
                      FormatNumber(day.supplement_mg, 0).c_str(),
                      FormatNumber(day.total_mg(), 0).c_str());
          if (t && t->supplemental_ul_mg && day.supplement_mg > *t->supplemental_ul_mg) {
            std::printf("  ABOVE the supplemental upper limit");
          }
          std::printf("\n");
        }
        return {};
      });
    });
  }
}

// `summary`: the visit summary (ops/summary.h) as Markdown (default), a printable HTML page or,
// with --json, its fields — the same operation as GET /api/summary.
void RegisterSummary(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string db, from, to, format = "markdown";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "summary", "A one-to-two-page summary of the journal to take to a clinician");
  cmd->add_option("--from", args->from, "First day (default: 12 weeks before --to)");
  cmd->add_option("--to", args->to, "Last day (default: today)");
  cmd->add_option("--format", args->format,
                  "markdown (default) or html (a printable page: open it, print or save as PDF)");
  AddDbOption(cmd, args->db);
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      if (args->format != "markdown" && args->format != "html") {
        return InvalidArgument(
            fmt::format("--format: \"{}\" is not one of markdown, html", args->format));
      }
      auto range = RangeFlags(args->from, args->to);
      if (!range.ok()) return range.error();
      auto today = JournalToday();
      if (!today.ok()) return today.error();
      auto store = OpenJournal(args->db);
      if (!store.ok()) return store.error();
      ops::Context context(ContextOptionsOf(ctx));
      auto summary = ops::BuildVisitSummary(context, **store, {range->from, range->to}, *today);
      if (!summary.ok()) return AsFlags(summary.error(), {{"from", "--from"}, {"to", "--to"}});
      if (ctx.json) {
        std::printf("%s\n", summary->ToJson().dump(2).c_str());
      } else if (args->format == "html") {
        std::printf("%s", ops::SummaryHtml(*summary, ops::HtmlMode::kStandalone).c_str());
      } else {
        std::printf("%s", ops::SummaryMarkdown(*summary).c_str());
      }
      return {};
    });
  });
}

}  // namespace

Result<journal::Date> JournalToday() {
  // MGADVISOR_TODAY fixes "today" (YYYY-MM-DD) so black-box tests and demos are reproducible.
  const char* fixed = std::getenv("MGADVISOR_TODAY");
  if (fixed == nullptr || *fixed == '\0') return journal::SystemClock().Today();
  auto date = journal::ParseDate(fixed);
  if (!date)
    return InvalidArgument(fmt::format("MGADVISOR_TODAY: \"{}\" is not a YYYY-MM-DD date", fixed));
  return *date;
}

Result<std::unique_ptr<journal::Store>> OpenJournal(const std::string& db_flag) {
  auto today = JournalToday();
  if (!today.ok()) return today.error();
  // The store keeps a reference to its clock, so the clock lives as long as the program; one
  // command is one process, so "today" is fixed at the first call.
  static const journal::FixedClock clock(*today);
  std::string path = db_flag;
  if (path.empty()) {
    auto default_path = journal::DefaultJournalPath();
    if (!default_path.ok()) return default_path.error();
    path = *default_path;
  }
  return journal::OpenSqliteStore(path, clock);
}

namespace {

// `journal backup FILE`: an online copy of the SQLite journal, safe while the server or another
// command writes to it (journal::BackupSqliteJournal).
void RegisterJournalBackup(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string db, file;
  };
  auto args = std::make_shared<Args>();
  CLI::App* group = app.get_subcommand("journal");
  CLI::App* cmd = group->add_subcommand(
      "backup", "Copy the journal to FILE while it is in use (SQLite's online backup)");
  AddDbOption(cmd, args->db);
  cmd->add_option("file", args->file, "Where to write the copy (replaced atomically)")->required();
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      std::string path = args->db;
      if (path.empty()) {
        auto default_path = journal::DefaultJournalPath();
        if (!default_path.ok()) return default_path.error();
        path = *default_path;
      }
      auto bytes = journal::BackupSqliteJournal(path, args->file);
      if (!bytes.ok()) return bytes.error();
      if (ctx.json) {
        fmt::print(
            "{}\n",
            nlohmann::json{{"journal", path}, {"backup", args->file}, {"bytes", *bytes}}.dump());
      } else {
        fmt::print("Backed up {} to {} ({} bytes).\n", path, args->file, *bytes);
      }
      return {};
    });
  });
}

}  // namespace

void RegisterJournalCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("log")) RegisterLog(app, ctx);
  if (ctx.Registers("journal")) {
    RegisterJournal(app, ctx);
    RegisterJournalBackup(app, ctx);
  }
  if (ctx.Registers("summary")) RegisterSummary(app, ctx);
}

}  // namespace mg::cli
