// Outcomes, plans, the calendar and "what is due today".
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "core/data_files.h"
#include "core/json_input.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/toml_parse.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::FormatDate;

constexpr int kMaxPeriodDays = 56;

std::string Where(const std::string& name, const toml::node& node) {
  return fmt::format("{}:{}", name, node.source().begin.line);
}

}  // namespace

Result<std::vector<OutcomeSpec>> ParseOutcomes(const std::string& toml_text,
                                               const std::string& name) {
  auto parsed = ParseToml(toml_text, name);
  if (!parsed.ok()) return parsed.error();
  const toml::table& root = *parsed;
  const toml::array* list = root["outcome"].as_array();
  if (list == nullptr) return DataError(fmt::format("{}: no [[outcome]] tables", name));
  std::vector<OutcomeSpec> out;
  for (const toml::node& node : *list) {
    const toml::table* t = node.as_table();
    if (t == nullptr)
      return DataError(fmt::format("{}: [[outcome]] must be a table", Where(name, node)));
    const std::string at = Where(name, node);
    OutcomeSpec o;
    auto text = [&](const char* key, std::string& field) -> Status {
      auto v = (*t)[key].value<std::string>();
      if (!v) return DataError(fmt::format("{}: outcome needs string '{}'", at, key));
      field = *v;
      return {};
    };
    auto number = [&](const char* key, double& field) -> Status {
      auto v = (*t)[key].value<double>();
      if (!v) return DataError(fmt::format("{}: outcome needs number '{}'", at, key));
      field = *v;
      return {};
    };
    auto integer = [&](const char* key, int& field) -> Status {
      auto v = (*t)[key].value<int64_t>();
      if (!v || *v < 0 || *v > 365) {
        return DataError(fmt::format("{}: outcome needs whole number '{}' (0-365)", at, key));
      }
      field = static_cast<int>(*v);
      return {};
    };
    std::string kind, better, mid_kind;
    MG_RETURN_IF_ERROR(text("id", o.id));
    MG_RETURN_IF_ERROR(text("journal_kind", kind));
    MG_RETURN_IF_ERROR(text("name", o.name));
    MG_RETURN_IF_ERROR(text("unit", o.unit));
    MG_RETURN_IF_ERROR(text("better", better));
    MG_RETURN_IF_ERROR(number("scale_min", o.scale_min));
    MG_RETURN_IF_ERROR(number("scale_max", o.scale_max));
    MG_RETURN_IF_ERROR(number("mid", o.mid));
    MG_RETURN_IF_ERROR(text("mid_kind", mid_kind));
    MG_RETURN_IF_ERROR(text("mid_source", o.mid_source));
    MG_RETURN_IF_ERROR(integer("period_days", o.period_days));
    MG_RETURN_IF_ERROR(integer("washout_days", o.washout_days));
    MG_RETURN_IF_ERROR(integer("rating_every", o.rating_every));
    MG_RETURN_IF_ERROR(number("min_ratings", o.min_ratings));
    auto parsed_kind = journal::ParseEntryKind(kind);
    if (!parsed_kind || !journal::IsSymptom(*parsed_kind)) {
      return DataError(fmt::format("{}: journal_kind '{}' is not a symptom kind", at, kind));
    }
    o.journal_kind = *parsed_kind;
    if (better != "lower" && better != "higher") {
      return DataError(
          fmt::format("{}: better must be \"lower\" or \"higher\", not '{}'", at, better));
    }
    o.higher_is_better = better == "higher";
    if (mid_kind != "absolute" && mid_kind != "relative") {
      return DataError(fmt::format("{}: mid_kind must be \"absolute\" or \"relative\"", at));
    }
    o.mid_relative = mid_kind == "relative";
    if (o.period_days <= o.washout_days || o.rating_every < 1 || o.min_ratings <= 0 ||
        o.min_ratings > 1 || o.mid < 0) {
      return DataError(fmt::format(
          "{}: need washout_days < period_days, rating_every >= 1, 0 < min_ratings <= 1, mid >= 0",
          at));
    }
    if (const toml::array* bands = (*t)["bands"].as_array()) {
      for (const toml::node& b : *bands) {
        const toml::table* bt = b.as_table();
        auto max = bt ? (*bt)["max"].value<double>() : std::nullopt;
        auto band_name = bt ? (*bt)["name"].value<std::string>() : std::nullopt;
        if (!max || !band_name || (!o.bands.empty() && *max <= o.bands.back().max)) {
          return DataError(fmt::format("{}: bands need ascending {{ max = N, name = \"...\" }}",
                                       Where(name, b)));
        }
        o.bands.push_back({*max, *band_name});
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<OutcomeSpec>> LoadOutcomes() {
  auto file = LoadEmbeddedFile("trial/outcomes.toml");
  if (!file.ok()) return file.error();
  return ParseOutcomes(file->content, file->name);
}

Result<OutcomeSpec> FindOutcome(const std::vector<OutcomeSpec>& outcomes, std::string_view id) {
  std::vector<std::string> ids;
  for (const OutcomeSpec& o : outcomes) {
    if (o.id == id) return o;
    ids.push_back(o.id);
  }
  return InvalidArgument(
      fmt::format("outcome: '{}' is not an outcome; use {}", id, JoinAlternatives(ids)));
}

std::string BandOf(const OutcomeSpec& outcome, double value) {
  for (const Band& b : outcome.bands) {
    if (value <= b.max) return b.name;
  }
  return "";
}

Date Plan::end() const { return start + std::chrono::days{pairs() * 2 * outcome.period_days - 1}; }

Design Plan::ToDesign() const {
  Design d;
  d.period_days = outcome.period_days;
  d.washout_days = outcome.washout_days;
  d.rating_every = outcome.rating_every;
  d.min_ratings = outcome.min_ratings;
  d.magnesium_first = magnesium_first;
  d.higher_is_better = outcome.higher_is_better;
  d.mid = outcome.mid;
  d.mid_relative = outcome.mid_relative;
  return d;
}

Result<Plan> MakePlan(const PlanRequest& request, const std::vector<OutcomeSpec>& outcomes) {
  auto outcome = FindOutcome(outcomes, request.outcome);
  if (!outcome.ok()) return outcome.error();
  Plan plan;
  plan.outcome = *outcome;
  if (request.pairs < kMinPairs || request.pairs > kMaxPairs) {
    return InvalidArgument(
        fmt::format("--pairs: {} is outside {}-{}", request.pairs, kMinPairs, kMaxPairs));
  }
  if (!(request.dose_mg > 0) || request.dose_mg > 5000) {
    return InvalidArgument(
        fmt::format("--dose: {} mg is not a daily elemental dose", FormatNumber(request.dose_mg)));
  }
  if (request.period_days) plan.outcome.period_days = *request.period_days;
  if (request.washout_days) plan.outcome.washout_days = *request.washout_days;
  if (request.mid) {
    if (!(*request.mid >= 0)) return InvalidArgument("--mid: must be zero or more");
    plan.outcome.mid = *request.mid;
  }
  const int period = plan.outcome.period_days, washout = plan.outcome.washout_days;
  if (period < 2 || period > kMaxPeriodDays) {
    return InvalidArgument(
        fmt::format("--period-days: {} is outside 2-{}", period, kMaxPeriodDays));
  }
  if (washout < 0 || washout >= period) {
    return InvalidArgument(fmt::format(
        "--washout-days: {} must be at least 0 and less than the period ({})", washout, period));
  }
  if ((period - washout) / plan.outcome.rating_every < 1) {
    return InvalidArgument(fmt::format(
        "--period-days: {} days minus {} washout leaves no room for a rating every {} days", period,
        washout, plan.outcome.rating_every));
  }
  plan.start = request.start;
  plan.seed = request.seed;
  plan.dose_mg = request.dose_mg;
  plan.form = request.form;
  std::mt19937_64 rng(request.seed);
  for (int i = 0; i < request.pairs; ++i) plan.magnesium_first.push_back((rng() >> 63) != 0);
  return plan;
}

std::string PlanToJson(const Plan& plan) {
  nlohmann::json j = {
      {"outcome", plan.outcome.id},
      {"start", FormatDate(plan.start)},
      {"end", FormatDate(plan.end())},
      {"seed", plan.seed},
      {"dose_mg", plan.dose_mg},
      {"form", plan.form},
      {"period_days", plan.outcome.period_days},
      {"washout_days", plan.outcome.washout_days},
      {"mid", plan.outcome.mid},
      {"magnesium_first", plan.magnesium_first},
  };
  return j.dump();
}

Result<Plan> PlanFromJson(std::string_view text, const std::vector<OutcomeSpec>& outcomes) {
  auto parsed = ParseJson(text, "stored trial plan");  // Depth-limited: it may come from an import.
  auto bad = [](std::string_view why) {
    return DataError(fmt::format("stored trial plan: {}", why));
  };
  if (!parsed.ok() || !parsed->is_object()) return bad("not a JSON object");
  const nlohmann::json& j = *parsed;
  try {
    auto outcome = FindOutcome(outcomes, j.at("outcome").get<std::string>());
    if (!outcome.ok()) return bad(outcome.error().message);
    Plan plan;
    plan.outcome = *outcome;
    auto start = journal::ParseDate(j.at("start").get<std::string>());
    if (!start) return bad("start is not a date");
    plan.start = *start;
    plan.seed = j.at("seed").get<uint64_t>();
    plan.dose_mg = j.at("dose_mg").get<double>();
    plan.form = j.at("form").get<std::string>();
    plan.outcome.period_days = j.at("period_days").get<int>();
    plan.outcome.washout_days = j.at("washout_days").get<int>();
    plan.outcome.mid = j.at("mid").get<double>();
    plan.magnesium_first = j.at("magnesium_first").get<std::vector<bool>>();
    if (plan.outcome.period_days <= plan.outcome.washout_days || plan.outcome.washout_days < 0 ||
        plan.pairs() < 1) {
      return bad("impossible period, washout or pair count");
    }
    return plan;
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
}

std::string RenderCalendar(const Plan& plan) {
  const OutcomeSpec& o = plan.outcome;
  std::string out = fmt::format(
      "n-of-1 trial of magnesium for {}\n"
      "{} pairs of {}-day periods ({} to {}), order randomised within each pair (seed {}).\n"
      "Magnesium periods: {} mg elemental magnesium{} a day. No-magnesium periods: none "
      "(a look-alike placebo, if someone can prepare it, makes the test fairer).\n"
      "The first {} days of every period are washout: keep rating, but they are not analysed.\n"
      "Rate {} {}.\n\n",
      o.name, plan.pairs(), o.period_days, FormatDate(plan.start), FormatDate(plan.end()),
      plan.seed, FormatNumber(plan.dose_mg), plan.form.empty() ? "" : " as " + plan.form,
      o.washout_days, o.name,
      o.rating_every == 1 ? "every day" : fmt::format("every {} days", o.rating_every));
  const Design design = plan.ToDesign();
  bool first_of_pair = true;
  for (const Period& p : Periods(plan)) {
    out += fmt::format("{:<7} {} to {}  {}\n",
                       first_of_pair ? fmt::format("Pair {}", p.pair + 1) : "", FormatDate(p.start),
                       FormatDate(p.end), p.magnesium ? "MAGNESIUM" : "no magnesium");
    first_of_pair = !first_of_pair;
  }
  out += "\nWeek of      Mon Tue Wed Thu Fri Sat Sun\n";
  // Weeks start on Monday; sys_days epoch (1970-01-01) was a Thursday.
  const std::chrono::weekday start_weekday{plan.start};
  const Date first_monday = plan.start - (start_weekday - std::chrono::Monday);
  for (Date week = first_monday; week <= plan.end(); week += std::chrono::days{7}) {
    out += FormatDate(week) + "  ";
    for (int i = 0; i < 7; ++i) {
      const Date day = week + std::chrono::days{i};
      std::string cell = ".";
      if (day >= plan.start && day <= plan.end()) {
        const int d = (day - plan.start).count();
        cell = design.OnMagnesium(d) ? "M" : "O";
        if (design.IsWashout(d)) cell = design.OnMagnesium(d) ? "m" : "o";
      }
      out += fmt::format(" {:>2} ", cell);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  out += "\nM magnesium day, O no-magnesium day; lower case: washout (rate, not analysed).\n";
  return out;
}

TrialStatus GetTrialStatus(const Plan& plan, const std::vector<journal::Entry>& entries,
                           Date today) {
  TrialStatus s;
  const OutcomeSpec& o = plan.outcome;
  s.day = (today - plan.start).count();
  const std::string kind = journal::EntryKindName(o.journal_kind);
  if (s.day < 0) {
    s.phase = TrialStatus::Phase::kNotStarted;
    s.todo.push_back(
        fmt::format("The trial starts on {} ({} days from now).", FormatDate(plan.start), -s.day));
    return s;
  }
  if (today > plan.end()) {
    s.phase = TrialStatus::Phase::kFinished;
    s.todo.push_back("The trial is over: run `mgadvisor trial report`.");
    return s;
  }
  s.phase = TrialStatus::Phase::kRunning;
  const Design design = plan.ToDesign();
  s.pair = s.day / (2 * o.period_days);
  s.magnesium = design.OnMagnesium(s.day);
  s.washout = design.IsWashout(s.day);
  s.day_in_period = s.day % o.period_days + 1;
  s.period_end = plan.start + std::chrono::days{s.day - s.day_in_period + o.period_days};
  s.rating_due = s.day_in_period % o.rating_every == 0;
  for (const journal::Entry& e : entries) {
    if (e.date != today) continue;
    if (e.kind == o.journal_kind) s.rating_logged = true;
    if (e.kind == journal::EntryKind::kDose) s.dose_logged = true;
  }
  if (s.magnesium) {
    s.todo.push_back(s.dose_logged
                         ? "Magnesium day: dose logged."
                         : fmt::format("Magnesium day: take {} mg{} and log it: mgadvisor log dose "
                                       "--mg {}{}",
                                       FormatNumber(plan.dose_mg),
                                       plan.form.empty() ? "" : " " + plan.form,
                                       FormatNumber(plan.dose_mg),
                                       plan.form.empty() ? "" : " --form " + plan.form));
  } else {
    s.todo.push_back(s.dose_logged ? "No-magnesium day, but a dose is logged: the trial counts "
                                     "this as a protocol deviation."
                                   : "No-magnesium day: take no magnesium supplement.");
  }
  if (s.rating_due) {
    s.todo.push_back(s.rating_logged
                         ? fmt::format("Rating of {} logged.", o.name)
                         : fmt::format("Rate your {}: mgadvisor log symptom {} ...", o.name, kind));
  } else {
    s.todo.push_back(fmt::format("No rating due today (next in {} days).",
                                 o.rating_every - s.day_in_period % o.rating_every));
  }
  if (s.washout) s.todo.push_back("Washout day: today's rating is kept but not analysed.");
  return s;
}

std::vector<Period> Periods(const Plan& plan) {
  const Design design = plan.ToDesign();
  const int length = plan.outcome.period_days, washout = plan.outcome.washout_days;
  std::vector<Period> out;
  for (int index = 0; index < plan.pairs() * 2; ++index) {
    const int first = index * length;
    Period p;
    p.pair = index / 2;
    p.magnesium = design.OnMagnesium(first);
    p.start = plan.start + std::chrono::days{first};
    p.end = p.start + std::chrono::days{length - 1};
    if (washout > 0) p.washout_end = p.start + std::chrono::days{washout - 1};
    out.push_back(p);
  }
  return out;
}

std::string PeriodsToJson(const std::vector<Period>& periods) {
  nlohmann::json out = nlohmann::json::array();
  for (const Period& p : periods) {
    out.push_back({{"pair", p.pair + 1},
                   {"magnesium", p.magnesium},
                   {"start", FormatDate(p.start)},
                   {"end", FormatDate(p.end)},
                   {"washout_end", p.washout_end ? nlohmann::json(FormatDate(*p.washout_end))
                                                 : nlohmann::json(nullptr)}});
  }
  return out.dump();
}

std::string StatusToJson(const TrialStatus& s, Date today) {
  using Phase = TrialStatus::Phase;
  nlohmann::json j = {{"phase", s.phase == Phase::kNotStarted ? "not_started"
                                : s.phase == Phase::kRunning  ? "running"
                                                              : "finished"},
                      {"today", FormatDate(today)},
                      {"day", s.day + 1},
                      {"todo", s.todo}};
  if (s.phase == Phase::kRunning) {
    j["pair"] = s.pair + 1;
    j["magnesium"] = s.magnesium;
    j["washout"] = s.washout;
    j["day_in_period"] = s.day_in_period;
    j["period_end"] = FormatDate(s.period_end);
    j["rating_due"] = s.rating_due;
    j["rating_logged"] = s.rating_logged;
    j["dose_logged"] = s.dose_logged;
  }
  return j.dump();
}

}  // namespace mg::trial
