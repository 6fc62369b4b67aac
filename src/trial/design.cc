// Outcomes, plans, the calendar and "what is due today".
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/utf8.h"
#include "trial/blinding.h"
#include "trial/trial.h"

namespace mg::trial {
namespace {

using journal::EntryKind;
using journal::FormatDate;

constexpr int kMaxPeriodDays = 56;

// A secondary outcome for `design`, checked against its primary and the secondaries it has.
Result<Secondary> MakeSecondary(const Design& design, std::string_view id,
                                const std::vector<OutcomeSpec>& outcomes,
                                std::optional<Date> added) {
  auto outcome = FindOutcome(outcomes, id);
  if (!outcome.ok()) {
    return InvalidArgument(fmt::format("secondary: '{}' is not an outcome", id));
  }
  if (outcome->id == design.outcome.id) {
    return InvalidArgument(fmt::format("secondary: '{}' is already the primary outcome", id));
  }
  for (const Secondary& s : design.secondaries) {
    if (s.outcome.id == outcome->id) {
      return InvalidArgument(fmt::format("secondary: '{}' is given twice", id));
    }
  }
  if (design.secondaries.size() >= kMaxSecondaries) {
    return InvalidArgument(fmt::format(
        "secondary: at most {} secondary outcomes (each one more makes a false alarm among them "
        "likelier, and the adjustment for it costs the others power)",
        kMaxSecondaries));
  }
  Secondary out{*outcome, added};
  out.outcome.period_days = design.outcome.period_days;
  out.outcome.washout_days = design.outcome.washout_days;
  if ((out.outcome.period_days - out.outcome.washout_days) / out.outcome.rating_every < 1) {
    return InvalidArgument(fmt::format(
        "secondary: '{}' is rated every {} days, which does not fit {}-day periods with {} "
        "washout days",
        id, out.outcome.rating_every, out.outcome.period_days, out.outcome.washout_days));
  }
  return out;
}

// The `log symptom` flag that records an outcome's measure (" --minutes M"), "" for the value.
std::string LogFlag(const OutcomeSpec& o) {
  if (o.measure.empty()) return "";
  if (o.measure == "intensity") return " --severity WORST";
  std::string flag = o.measure;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return fmt::format(" --{} N", flag);
}

// Ratings a run-in of `days` needs: the outcome's share of those expected, at least one.
int RunInNeeded(const OutcomeSpec& o, int days) {
  const int expected = days / o.rating_every;
  return std::max(1, static_cast<int>(std::ceil(o.min_ratings * expected - 1e-9)));
}

// The run-in's second condition, as a clause: there must be something to improve.
std::string RunInRule(const OutcomeSpec& o) {
  if (o.counts) return " and they count at least one (with none, a trial could not show fewer)";
  return fmt::format(
      " and not every one is {} (with nothing to improve, a trial could not show "
      "an improvement)",
      FormatNumber(o.higher_is_better ? o.scale_max : o.scale_min));
}

// Is a rating at the best end of the outcome's scale (no cramps, no pain)?
bool AtBest(const OutcomeSpec& o, double value) {
  return o.higher_is_better ? value >= o.scale_max : value <= o.scale_min;
}

// Why a failed run-in stopped the trial, and what to do.
std::string StopReason(const RunIn& r, const OutcomeSpec& o) {
  const std::string when = fmt::format("{} to {}", FormatDate(r.first), FormatDate(r.last));
  switch (r.state) {
    case RunIn::State::kTooFewRatings:
      return fmt::format(
          "The trial stopped after its run-in ({}): {} of its {} expected ratings of your {} were "
          "logged, and at least {} are needed for a baseline. Take no trial doses. To try again, "
          "plan a new trial (it replaces this one) and rate every day of its run-in; if daily "
          "ratings do not fit your life, ask a clinician about another way to judge magnesium.",
          when, r.rated, r.expected, o.name, r.needed);
    case RunIn::State::kNothingToImprove:
      return fmt::format(
          "The trial stopped after its run-in ({}): {}, so there was nothing for magnesium to "
          "improve and a trial could not show it. Take no trial doses. If the complaint comes "
          "back, plan a new trial then (it replaces this one); if you are unsure what it was, see "
          "a clinician.",
          when,
          o.counts ? fmt::format("every one of the {} ratings of {} was 0", r.rated, o.name)
                   : fmt::format("every one of the {} ratings of your {} was {}, the best the "
                                 "scale allows",
                                 r.rated, o.name,
                                 FormatNumber(o.higher_is_better ? o.scale_max : o.scale_min)));
    case RunIn::State::kPending:
    case RunIn::State::kPassed:
      break;
  }
  return "";
}

// The command that logs a day's value of an outcome.
std::string LogCommand(const OutcomeSpec& o) {
  if (o.journal_kind == EntryKind::kMigraine) {
    return "mgadvisor log migraine --severity WORST --start HH:MM --end HH:MM (or: mgadvisor log "
           "migraine none)";
  }
  return fmt::format("mgadvisor log symptom {} ...{}", journal::EntryKindName(o.journal_kind),
                     LogFlag(o));
}

}  // namespace

std::optional<RunIn> CheckRunIn(const Design& design, const std::vector<journal::Entry>& entries,
                                Date today) {
  if (design.run_in_days <= 0) return std::nullopt;
  const OutcomeSpec& o = design.outcome;
  RunIn r;
  r.first = design.first_day();
  r.last = design.start - std::chrono::days{1};
  r.days = design.run_in_days;
  r.expected = design.run_in_days / o.rating_every;
  r.needed = RunInNeeded(o, design.run_in_days);
  std::map<Date, std::pair<double, int>> ratings;  // day -> (sum, count)
  std::set<Date> dosed;
  for (const journal::Entry& e : entries) {
    if (e.date < r.first || e.date > r.last || e.date > today) continue;
    if (const auto value = OutcomeValue(o, e)) {
      ratings[e.date].first += *value;
      ratings[e.date].second += 1;
    }
    if (e.kind == EntryKind::kDose) dosed.insert(e.date);
  }
  r.rated = static_cast<int>(ratings.size());
  r.dosed = static_cast<int>(dosed.size());
  bool all_best = true;
  double sum = 0;
  for (const auto& [day, sum_count] : ratings) {
    const double mean = sum_count.first / sum_count.second;
    sum += mean;
    all_best = all_best && AtBest(o, mean);
  }
  if (r.rated > 0) r.mean = sum / r.rated;
  if (today <= r.last) {
    r.state = RunIn::State::kPending;
  } else if (r.rated < r.needed) {
    r.state = RunIn::State::kTooFewRatings;
  } else if (all_best) {
    r.state = RunIn::State::kNothingToImprove;
  } else {
    r.state = RunIn::State::kPassed;
  }
  r.reason = StopReason(r, o);
  return r;
}

nlohmann::json RunInToJson(const RunIn& r) {
  using State = RunIn::State;
  return {{"first", FormatDate(r.first)},
          {"last", FormatDate(r.last)},
          {"days", r.days},
          {"expected", r.expected},
          {"needed", r.needed},
          {"rated", r.rated},
          {"dosed", r.dosed},
          {"mean", r.mean ? nlohmann::json(*r.mean) : nlohmann::json(nullptr)},
          {"result", r.state == State::kPending         ? "pending"
                     : r.state == State::kPassed        ? "passed"
                     : r.state == State::kTooFewRatings ? "too_few_ratings"
                                                        : "nothing_to_improve"},
          {"reason", r.failed() ? nlohmann::json(r.reason) : nlohmann::json(nullptr)}};
}

Result<std::vector<OutcomeSpec>> ParseOutcomes(const std::string& toml_text,
                                               const std::string& name) {
  DataProblems problems;
  const auto root = ParseTomlFile(DataFile{name, toml_text}, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, name, "the file", problems, {"outcome"});
  static constexpr EnumName<bool> kBetter[] = {{"lower", false}, {"higher", true}};
  static constexpr EnumName<bool> kMidKinds[] = {{"absolute", false}, {"relative", true}};
  static constexpr EnumName<bool> kModels[] = {{"mean", false}, {"count", true}};
  std::vector<OutcomeSpec> out;
  for (TomlReader r : doc.Tables("outcome", "outcome",
                                 {"id",
                                  "journal_kind",
                                  "name",
                                  "unit",
                                  "better",
                                  "scale_min",
                                  "scale_max",
                                  "mid",
                                  "mid_kind",
                                  "mid_source",
                                  "period_days",
                                  "washout_days",
                                  "rating_every",
                                  "min_ratings",
                                  "bands",
                                  "model",
                                  "prior",
                                  "measure",
                                  "zero_without_events",
                                  "run_in_days",
                                  "event_days",
                                  "per_days"})) {
    OutcomeSpec o;
    o.id = r.Text("id");
    const std::string kind = r.Text("journal_kind");
    o.name = r.Text("name");
    o.unit = r.Text("unit");
    o.higher_is_better = r.Enum("better", kBetter).value_or(false);
    o.scale_min = r.Number("scale_min").value_or(0);
    o.scale_max = r.Number("scale_max").value_or(10);
    o.mid = r.Number("mid", NumberRange::AtLeast(0)).value_or(0);
    o.mid_relative = r.Enum("mid_kind", kMidKinds).value_or(false);
    o.mid_source = r.Text("mid_source");
    o.period_days = static_cast<int>(r.Integer("period_days", 2, kMaxPeriodDays).value_or(14));
    o.washout_days = static_cast<int>(r.Integer("washout_days", 0, 365).value_or(0));
    o.rating_every = static_cast<int>(r.Integer("rating_every", 1, 365).value_or(1));
    o.min_ratings = r.Number("min_ratings", NumberRange::AboveUpTo(0, 1)).value_or(0.5);
    o.run_in_days = static_cast<int>(
        r.Integer("run_in_days", 0, kMaxRunInDays, TomlReader::Need::kOptional).value_or(0));
    if (o.run_in_days > 0 && o.run_in_days < o.rating_every) {
      r.Report("need run_in_days of at least rating_every (a run-in needs one rating)",
               r.LineAt("run_in_days"));
    }
    o.counts = r.Enum("model", kModels, TomlReader::Need::kOptional).value_or(false);
    if (o.counts && !o.mid_relative) {
      r.Report("model = \"count\" needs mid_kind = \"relative\" (the MID of a rate ratio)",
               r.LineAt("model"));
    }
    if (auto prior =
            r.Table("prior", fmt::format("prior of {}", r.where()),
                    {"log_ratio_mean", "log_ratio_sd", "source"}, TomlReader::Need::kOptional)) {
      if (!o.counts) r.Report("a prior needs model = \"count\"", r.LineAt("prior"));
      const auto mean = prior->Number("log_ratio_mean", NumberRange::Between(-3, 3));
      const auto sd = prior->Number("log_ratio_sd", NumberRange::AboveUpTo(0, 3));
      o.prior_source = prior->Text("source");
      if (mean && sd) o.prior = RatePrior{*mean, *sd};
    }
    const auto parsed_kind = journal::ParseEntryKind(kind);
    if (!kind.empty() && (!parsed_kind || !journal::IsSymptom(*parsed_kind))) {
      r.Report(fmt::format("journal_kind '{}' is not a symptom kind", kind),
               r.LineAt("journal_kind"));
    } else if (parsed_kind) {
      o.journal_kind = *parsed_kind;
    }
    if (r.Get("measure") != nullptr) {
      o.measure = r.Text("measure");
      const bool intensity = o.measure == "intensity" && o.journal_kind == EntryKind::kCramps;
      if (parsed_kind && !intensity && journal::FindMeasure(o.journal_kind, o.measure) == nullptr) {
        r.Report(fmt::format("measure '{}' is not a number a {} entry carries", o.measure, kind),
                 r.LineAt("measure"));
      }
    }
    o.zero_without_events =
        r.Bool("zero_without_events", TomlReader::Need::kOptional).value_or(false);
    if (o.zero_without_events && (o.measure.empty() || o.journal_kind != EntryKind::kCramps)) {
      r.Report("zero_without_events needs a measure of a cramps entry",
               r.LineAt("zero_without_events"));
    }
    o.event_days = r.Bool("event_days", TomlReader::Need::kOptional).value_or(false);
    if (o.event_days && !o.measure.empty()) {
      r.Report("event_days counts days by the entry's value; it takes no measure",
               r.LineAt("event_days"));
    }
    if (r.Get("per_days") != nullptr) {
      o.per_days = static_cast<int>(r.Integer("per_days", 1, 365).value_or(1));
    }
    if (o.period_days <= o.washout_days) {
      r.Report("need washout_days < period_days", r.LineAt("washout_days"));
    }
    if (o.scale_max <= o.scale_min) r.Report("need scale_min < scale_max", r.LineAt("scale_max"));
    // People read these texts in every report; a reference tag like "[R89]" means nothing to
    // them (the fact sheet's numbers belong in a comment).
    for (const auto& [key, text] : {std::pair<const char*, const std::string&>{"name", o.name},
                                    {"unit", o.unit},
                                    {"mid_source", o.mid_source},
                                    {"prior.source", o.prior_source}}) {
      if (const size_t at = text.find("[R"); at != std::string::npos) {
        r.Report(fmt::format("{}: '{}' is an internal reference tag, shown to people; keep it in "
                             "a comment",
                             key, text.substr(at, text.find(']', at) - at + 1)),
                 r.LineAt(key));
      }
    }
    if (const toml::node* bands = r.Get("bands")) {
      const toml::array* list = bands->as_array();
      if (list == nullptr)
        r.Report("bands must be a list of { max = N, name = \"...\" }", LineOf(*bands));
      for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
        const toml::node& b = *list->get(i);
        const toml::table* table = b.as_table();
        if (table == nullptr) {
          r.Report("bands must be a list of { max = N, name = \"...\" }", LineOf(b));
          continue;
        }
        TomlReader band(*table, r.file(), fmt::format("band {} of {}", i + 1, r.where()),
                        r.problems(), {"max", "name"});
        const auto max = band.Number("max");
        const std::string band_name = band.Text("name");
        if (!max) continue;
        if (!o.bands.empty() && *max <= o.bands.back().max) {
          band.Report("bands need ascending max values", LineOf(b));
        }
        o.bands.push_back({*max, band_name});
      }
    }
    out.push_back(std::move(o));
  }
  if (!problems.empty()) return problems.ToError();
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

std::optional<double> OutcomeValue(const OutcomeSpec& outcome, const journal::Entry& e) {
  if (e.kind != outcome.journal_kind) return std::nullopt;
  if (outcome.event_days) {
    if (!e.value) return std::nullopt;
    return *e.value >= 1 ? 1.0 : 0.0;
  }
  if (outcome.measure.empty()) return e.value;
  std::optional<double> v;
  if (outcome.measure == "intensity") {
    v = e.intensity;
  } else if (const auto it = e.measures.find(outcome.measure); it != e.measures.end()) {
    v = it->second;
  }
  if (!v && outcome.zero_without_events && e.value && *e.value == 0) v = 0;
  return v;
}

std::string BandOf(const OutcomeSpec& outcome, double value) {
  for (const Band& b : outcome.bands) {
    if (value <= b.max) return b.name;
  }
  return "";
}

Date Design::end() const {
  return start + std::chrono::days{pairs() * 2 * outcome.period_days - 1};
}

Layout Design::ToLayout() const { return LayoutFor(outcome); }

Layout Design::LayoutFor(const OutcomeSpec& o) const {
  Layout d;
  d.period_days = outcome.period_days;
  d.washout_days = outcome.washout_days;
  d.rating_every = o.rating_every;
  d.min_ratings = o.min_ratings;
  d.magnesium_first = magnesium_first;
  d.higher_is_better = o.higher_is_better;
  d.mid = o.mid;
  d.mid_relative = o.mid_relative;
  d.counts = o.counts;
  d.per_days = o.per_days;
  return d;
}

Status CheckLowerDose(double dose_mg, double lower_dose_mg) {
  if (!(lower_dose_mg > 0)) {
    return InvalidArgument(fmt::format(
        "lower_dose_mg: {} mg is not a dose; a two-dose trial's lower dose is more than 0 mg of "
        "elemental magnesium a day",
        FormatNumber(lower_dose_mg)));
  }
  if (!(lower_dose_mg < dose_mg)) {
    return InvalidArgument(fmt::format(
        "lower_dose_mg: {} mg is not below the plan's dose of {} mg a day; a two-dose trial "
        "compares a lower dose with the plan's (which never exceeds the supplemental upper "
        "limit)",
        FormatNumber(lower_dose_mg), FormatNumber(dose_mg)));
  }
  return {};
}

Result<Design> RandomiseDesign(const DesignRequest& request,
                               const std::vector<OutcomeSpec>& outcomes) {
  auto outcome = FindOutcome(outcomes, request.outcome);
  if (!outcome.ok()) return outcome.error();
  Design design;
  design.outcome = *outcome;
  if (request.pairs < kMinPairs || request.pairs > kMaxPairs) {
    return InvalidArgument(
        fmt::format("pairs: {} is outside {}-{}", request.pairs, kMinPairs, kMaxPairs));
  }
  if (!(request.dose_mg > 0) || request.dose_mg > 5000) {
    return InvalidArgument(
        fmt::format("dose: {} mg is not a daily elemental dose", FormatNumber(request.dose_mg)));
  }
  if (request.period_days) design.outcome.period_days = *request.period_days;
  if (request.washout_days) design.outcome.washout_days = *request.washout_days;
  if (request.mid) {
    if (!(*request.mid >= 0)) return InvalidArgument("mid: must be zero or more");
    design.outcome.mid = *request.mid;
  }
  const int period = design.outcome.period_days, washout = design.outcome.washout_days;
  if (period < 2 || period > kMaxPeriodDays) {
    return InvalidArgument(fmt::format("period_days: {} is outside 2-{}", period, kMaxPeriodDays));
  }
  if (washout < 0 || washout >= period) {
    return InvalidArgument(fmt::format(
        "washout_days: {} must be at least 0 and less than the period ({})", washout, period));
  }
  if ((period - washout) / design.outcome.rating_every < 1) {
    return InvalidArgument(fmt::format(
        "period_days: {} days minus {} washout leaves no room for a rating every {} days", period,
        washout, design.outcome.rating_every));
  }
  const int run_in = request.run_in_days;
  if (run_in < 0 || run_in > kMaxRunInDays) {
    return InvalidArgument(fmt::format("run_in_days: {} is outside 0-{}", run_in, kMaxRunInDays));
  }
  if (run_in > 0 && run_in < design.outcome.rating_every) {
    return InvalidArgument(
        fmt::format("run_in_days: {} days leave no room for a rating every {} days", run_in,
                    design.outcome.rating_every));
  }
  design.run_in_days = run_in;
  design.start = request.start + std::chrono::days{run_in};
  design.seed = request.seed;
  design.dose_mg = request.dose_mg;
  design.form = request.form;
  if (request.lower_dose_mg) {
    MG_RETURN_IF_ERROR(CheckLowerDose(request.dose_mg, *request.lower_dose_mg));
    design.lower_dose_mg = request.lower_dose_mg;
  }
  std::mt19937_64 rng(request.seed);
  for (int i = 0; i < request.pairs; ++i) design.magnesium_first.push_back((rng() >> 63) != 0);
  for (const std::string& id : request.secondaries) {
    auto secondary = MakeSecondary(design, id, outcomes, std::nullopt);
    if (!secondary.ok()) return secondary.error();
    design.secondaries.push_back(std::move(*secondary));
  }
  return design;
}

Result<Design> AddSecondary(const Design& design, std::string_view id,
                            const std::vector<OutcomeSpec>& outcomes, Date today) {
  if (today > design.end() || design.ended) {
    return Error{ErrorCode::kConflict,
                 "the trial is over: a secondary outcome added now would only look at data "
                 "already seen"};
  }
  auto secondary = MakeSecondary(design, id, outcomes, today);
  if (!secondary.ok()) return secondary.error();
  Design out = design;
  out.secondaries.push_back(std::move(*secondary));
  return out;
}

nlohmann::json DesignToJson(const Design& design) {
  nlohmann::json j = {
      {"outcome", design.outcome.id},
      {"start", FormatDate(design.start)},
      {"end", FormatDate(design.end())},
      {"seed", design.seed},
      {"dose_mg", design.dose_mg},
      {"form", design.form},
      {"period_days", design.outcome.period_days},
      {"washout_days", design.outcome.washout_days},
      {"mid", design.outcome.mid},
      {"magnesium_first", design.magnesium_first},
      {"days", design.ToLayout().total_days()},
  };
  // An outcome that is one number of a journal entry (cramp severity): which entry and number
  // to log, for the page's one-tap rating. Only then, so other designs serialise as before.
  if (!design.outcome.measure.empty() || design.outcome.event_days) {
    j["journal_kind"] = journal::EntryKindName(design.outcome.journal_kind);
    if (!design.outcome.measure.empty()) j["measure"] = design.outcome.measure;
  }
  if (!design.secondaries.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const Secondary& s : design.secondaries) {
      list.push_back(
          {{"outcome", s.outcome.id},
           {"mid", s.outcome.mid},
           {"added", s.added ? nlohmann::json(FormatDate(*s.added)) : nlohmann::json(nullptr)}});
    }
    j["secondary"] = std::move(list);
  }
  // Only with a run-in, so designs stored before run-ins serialise as they did.
  if (design.run_in_days > 0) {
    j["run_in_days"] = design.run_in_days;
    j["run_in_start"] = FormatDate(design.first_day());
  }
  // Only for a two-dose design, so other designs serialise as they did.
  if (design.lower_dose_mg) j["lower_dose_mg"] = *design.lower_dose_mg;
  // Only when set, so designs stored before trials could be ended read back unchanged.
  if (design.ended) j["ended"] = FormatDate(*design.ended);
  if (!design.end_reason.empty()) j["end_reason"] = design.end_reason;
  if (design.protocol) {
    j["protocol"] = {{"sha256", design.protocol->sha256}, {"text", design.protocol->text}};
  }
  if (design.blinding) {
    const Blinding& b = *design.blinding;
    j["blinding"] = {
        {"commitment", b.commitment},
        {"magnesium_container", b.magnesium_container == 0
                                    ? nlohmann::json(nullptr)
                                    : nlohmann::json(std::string(1, b.magnesium_container))},
        {"unblinded",
         b.unblinded ? nlohmann::json(FormatDate(*b.unblinded)) : nlohmann::json(nullptr)}};
  }
  return j;
}

Result<Design> DesignFromJson(const nlohmann::json& j, const std::vector<OutcomeSpec>& outcomes) {
  auto bad = [](std::string_view why) {
    return DataError(fmt::format("stored trial design: {}", why));
  };
  if (!j.is_object()) return bad("not a JSON object");
  try {
    auto outcome = FindOutcome(outcomes, j.at("outcome").get<std::string>());
    if (!outcome.ok()) return bad(outcome.error().message);
    Design design;
    design.outcome = *outcome;
    auto start = journal::ParseDate(j.at("start").get<std::string>());
    if (!start) return bad("start is not a date");
    design.start = *start;
    design.seed = j.at("seed").get<uint64_t>();
    design.dose_mg = j.at("dose_mg").get<double>();
    design.form = j.at("form").get<std::string>();
    design.outcome.period_days = j.at("period_days").get<int>();
    design.outcome.washout_days = j.at("washout_days").get<int>();
    design.outcome.mid = j.at("mid").get<double>();
    design.magnesium_first = j.at("magnesium_first").get<std::vector<bool>>();
    if (j.contains("run_in_days")) {
      design.run_in_days = j.at("run_in_days").get<int>();
      if (design.run_in_days < 0 || design.run_in_days > kMaxRunInDays) {
        return bad("run_in_days is outside 0-56");
      }
    }
    if (j.contains("lower_dose_mg")) {
      design.lower_dose_mg = j.at("lower_dose_mg").get<double>();
      if (Status rule = CheckLowerDose(design.dose_mg, *design.lower_dose_mg); !rule.ok()) {
        return bad(rule.error().message);
      }
    }
    if (j.contains("ended")) {
      auto ended = journal::ParseDate(j.at("ended").get<std::string>());
      if (!ended) return bad("ended is not a date");
      design.ended = *ended;
    }
    if (j.contains("end_reason")) design.end_reason = j.at("end_reason").get<std::string>();
    if (j.contains("protocol")) {
      design.protocol = RegisteredProtocol{j.at("protocol").at("text").get<std::string>(),
                                           j.at("protocol").at("sha256").get<std::string>()};
    }
    if (j.contains("blinding")) {
      const nlohmann::json& b = j.at("blinding");
      Blinding blinding;
      blinding.commitment = b.at("commitment").get<std::string>();
      if (!b.at("magnesium_container").is_null()) {
        const auto letter = b.at("magnesium_container").get<std::string>();
        if (letter != "A" && letter != "B") return bad("blinding: container is not A or B");
        blinding.magnesium_container = letter[0];
      }
      if (!b.at("unblinded").is_null()) {
        auto unblinded = journal::ParseDate(b.at("unblinded").get<std::string>());
        if (!unblinded) return bad("blinding: unblinded is not a date");
        blinding.unblinded = *unblinded;
      }
      design.blinding = std::move(blinding);
    }
    if (j.contains("secondary")) {
      for (const nlohmann::json& item : j.at("secondary")) {
        std::optional<Date> added;
        if (!item.at("added").is_null()) {
          added = journal::ParseDate(item.at("added").get<std::string>());
          if (!added) return bad("secondary: added is not a date");
        }
        auto secondary =
            MakeSecondary(design, item.at("outcome").get<std::string>(), outcomes, added);
        if (!secondary.ok()) return bad(secondary.error().message);
        secondary->outcome.mid = item.at("mid").get<double>();
        design.secondaries.push_back(std::move(*secondary));
      }
    }
    if (design.outcome.period_days <= design.outcome.washout_days ||
        design.outcome.washout_days < 0 || design.pairs() < 1) {
      return bad("impossible period, washout or pair count");
    }
    return design;
  } catch (const nlohmann::json::exception& e) {  // Wrong types: a library exception, as a value.
    return bad(e.what());
  }
}

Result<Design> EndDesign(const Design& design, Date today, std::string_view reason) {
  if (!IsValidUtf8(reason)) return InvalidArgument("reason: is not UTF-8 text");
  if (reason.size() > kMaxEndReasonBytes) {
    return InvalidArgument(fmt::format("reason: {} bytes is longer than the {} allowed",
                                       reason.size(), kMaxEndReasonBytes));
  }
  if (design.ended) {
    return Error{ErrorCode::kConflict,
                 fmt::format("the trial was already ended on {}", FormatDate(*design.ended))};
  }
  if (today > design.end()) {
    return Error{ErrorCode::kConflict,
                 fmt::format("the trial already finished on {}; there is nothing to end",
                             FormatDate(design.end()))};
  }
  Design ended = design;
  ended.ended = today;
  ended.end_reason = std::string(reason);
  return ended;
}

std::string RatingInstruction(const OutcomeSpec& o) {
  if (o.event_days) {
    return fmt::format("Log each day's {}: an attack that started that day, or none.",
                       journal::EntryKindName(o.journal_kind));
  }
  return o.rating_every == 1 ? fmt::format("Rate your {} every day.", o.name)
                             : fmt::format("Rate your {} every {} days.", o.name, o.rating_every);
}

std::string PeriodLabel(const Design& design, bool magnesium) {
  if (design.two_dose()) {
    return fmt::format("{}, {} mg", magnesium ? "plan dose" : "lower dose",
                       FormatNumber(design.DoseOf(magnesium)));
  }
  return magnesium ? "MAGNESIUM" : "no magnesium";
}

std::string RenderCalendar(const Design& design) {
  const OutcomeSpec& o = design.outcome;
  std::string out = fmt::format("n-of-1 trial of magnesium for {}\n", o.name);
  // A run-in comes first, in words, so the whole length is clear before starting.
  if (design.run_in_days > 0) {
    out += fmt::format(
        "{} days in all, {} to {}: a {}-day run-in, then the pairs.\n"
        "Run-in: {} to {}: no magnesium. {} These ratings are your baseline; the pairs begin "
        "only if at least {} of the {} expected ratings are logged{}.\n",
        design.run_in_days + design.ToLayout().total_days(), FormatDate(design.first_day()),
        FormatDate(design.end()), design.run_in_days, FormatDate(design.first_day()),
        FormatDate(design.start - std::chrono::days{1}), RatingInstruction(o),
        RunInNeeded(o, design.run_in_days), design.run_in_days / o.rating_every, RunInRule(o));
  }
  out += fmt::format(
      "{} days: {} pairs of {}-day periods ({} to {}), order randomised within each pair (seed "
      "{}).\n"
      "{}\n"
      "The first {} days of every period are washout: keep rating, but they are not analysed.\n"
      "{}\n\n",
      design.ToLayout().total_days(), design.pairs(), o.period_days, FormatDate(design.start),
      FormatDate(design.end()), design.seed,
      design.two_dose()
          ? fmt::format(
                "Plan-dose periods: {} mg elemental magnesium{} a day. Lower-dose periods: {} mg "
                "a day. Both are magnesium: this trial asks whether the plan's dose helps more "
                "than the lower one, not whether magnesium helps.{}",
                FormatNumber(design.dose_mg), design.form.empty() ? "" : " as " + design.form,
                FormatNumber(*design.lower_dose_mg),
                design.blinding ? " Blinded: a helper put one dose in each of two identical "
                                  "containers (A, B); you take from the container the calendar "
                                  "names."
                                : "")
          : fmt::format(
                "Magnesium periods: {} mg elemental magnesium{} a day. {}",
                FormatNumber(design.dose_mg), design.form.empty() ? "" : " as " + design.form,
                design.blinding
                    ? "Blinded: a helper put the magnesium in one of two identical containers "
                      "(A, B) and a placebo in the other; you take from the container the "
                      "calendar names."
                    : "No-magnesium periods: none (a look-alike placebo makes the test fairer: "
                      "`trial plan --blind`)."),
      o.washout_days, RatingInstruction(o));
  if (!design.secondaries.empty()) {
    // Said before the start too (a dry run), so a person sees the whole daily task up front.
    std::string also;
    for (const Secondary& s : design.secondaries) {
      const OutcomeSpec& so = s.outcome;
      also += fmt::format(
          "{}{} {}{}", also.empty() ? "" : "; ", so.name,
          so.rating_every == 1 ? "every day" : fmt::format("every {} days", so.rating_every),
          s.added ? fmt::format(" (added on {}: exploratory)", FormatDate(*s.added)) : "");
    }
    out.insert(out.size() - 1,
               fmt::format("Also rate (secondary outcomes; the verdict rests on {} alone): {}.\n",
                           o.name, also));
  }
  const Layout layout = design.ToLayout();
  bool first_of_pair = true;
  for (const Period& p : Periods(design)) {
    const std::string what =
        p.container != 0
            ? fmt::format("CONTAINER {}{}", p.container,
                          design.sealed()     ? ""
                          : design.two_dose() ? (p.magnesium ? " (plan dose)" : " (lower dose)")
                          : p.magnesium       ? " (magnesium)"
                                              : " (placebo)")
            : PeriodLabel(design, p.magnesium);
    out +=
        fmt::format("{:<7} {} to {}  {}\n", first_of_pair ? fmt::format("Pair {}", p.pair + 1) : "",
                    FormatDate(p.start), FormatDate(p.end), what);
    first_of_pair = !first_of_pair;
  }
  out += "\nWeek of      Mon Tue Wed Thu Fri Sat Sun\n";
  // Weeks start on Monday; sys_days epoch (1970-01-01) was a Thursday.
  const std::chrono::weekday start_weekday{design.first_day()};
  const Date first_monday = design.first_day() - (start_weekday - std::chrono::Monday);
  for (Date week = first_monday; week <= design.end(); week += std::chrono::days{7}) {
    out += FormatDate(week) + "  ";
    for (int i = 0; i < 7; ++i) {
      const Date day = week + std::chrono::days{i};
      std::string cell = ".";
      if (day >= design.first_day() && day < design.start) cell = "R";
      if (day >= design.start && day <= design.end()) {
        const int d = (day - design.start).count();
        if (design.blinding) {
          const char container = ContainerOn(design, d);
          cell = std::string(
              1, layout.IsWashout(d) ? static_cast<char>(container - 'A' + 'a') : container);
        } else if (design.two_dose()) {
          cell = layout.OnMagnesium(d) ? "H" : "L";
          if (layout.IsWashout(d)) cell = layout.OnMagnesium(d) ? "h" : "l";
        } else {
          cell = layout.OnMagnesium(d) ? "M" : "O";
          if (layout.IsWashout(d)) cell = layout.OnMagnesium(d) ? "m" : "o";
        }
      }
      out += fmt::format(" {:>2} ", cell);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  if (design.run_in_days > 0) out += "\nR run-in day: no magnesium (nor container doses), rate.";
  out += design.blinding ? "\nA, B: take that day's dose from container A or B; lower case: "
                           "washout (rate, not analysed).\n"
         : design.two_dose()
             ? fmt::format(
                   "\nH plan-dose day ({} mg), L lower-dose day ({} mg); lower case: "
                   "washout (rate, not analysed).\n",
                   FormatNumber(design.dose_mg), FormatNumber(*design.lower_dose_mg))
             : "\nM magnesium day, O no-magnesium day; lower case: washout (rate, not "
               "analysed).\n";
  return out;
}

namespace {

// A day of the run-in: no magnesium, the rating, and how the run-in stands.
TrialStatus RunInStatus(const Design& design, const std::vector<journal::Entry>& entries,
                        Date today, TrialStatus s) {
  const OutcomeSpec& o = design.outcome;
  const RunIn& r = *s.run_in;
  s.phase = TrialStatus::Phase::kRunIn;
  const int day = (today - r.first).count() + 1;
  s.day_in_period = day;
  s.period_end = r.last;
  s.rating_due = day % o.rating_every == 0;
  for (const journal::Entry& e : entries) {
    if (e.date != today) continue;
    if (OutcomeValue(o, e)) s.rating_logged = true;
    if (e.kind == EntryKind::kDose) s.dose_logged = true;
  }
  s.todo.push_back(
      {fmt::format("Run-in day {} of {} (until {}): take no magnesium{} yet. Your ratings now are "
                   "the baseline; the pairs begin on {}.",
                   day, r.days, FormatDate(r.last),
                   design.blinding ? " and nothing from containers A and B" : "",
                   FormatDate(design.start)),
       ""});
  if (s.dose_logged) {
    s.todo.push_back(
        {"A dose is logged today: the run-in is without magnesium, so the trial "
         "counts this as a protocol deviation.",
         ""});
  }
  if (s.rating_due) {
    const char* kind = journal::EntryKindName(o.journal_kind);
    if (s.rating_logged) {
      s.todo.push_back({o.event_days ? fmt::format("Today's {} logged.", kind)
                                     : fmt::format("Rating of {} logged.", o.name),
                        ""});
    } else if (o.event_days) {
      s.todo.push_back(
          {fmt::format("Log today's {} (an attack that started today, or none).", kind),
           LogCommand(o)});
    } else {
      s.todo.push_back({fmt::format("Rate your {} today.", o.name), LogCommand(o)});
    }
  } else {
    s.todo.push_back({fmt::format("No rating due today (next in {} days).",
                                  o.rating_every - day % o.rating_every),
                      ""});
  }
  // Secondaries are rated in the run-in too: their baseline, as the primary's.
  for (const Secondary& secondary : design.secondaries) {
    const OutcomeSpec& so = secondary.outcome;
    if (day % so.rating_every != 0) continue;
    bool logged = false;
    for (const journal::Entry& e : entries)
      logged = logged || (e.date == today && OutcomeValue(so, e));
    if (!logged) {
      s.todo.push_back(
          {fmt::format("Also rate your {} (secondary outcome).", so.name), LogCommand(so)});
    }
  }
  s.todo.push_back(
      {fmt::format("{} of the run-in's {} ratings are logged; the trial goes on to the pairs only "
                   "with at least {}{}.",
                   r.rated, r.expected, r.needed, RunInRule(o)),
       ""});
  return s;
}

}  // namespace

TrialStatus GetTrialStatus(const Design& design, const std::vector<journal::Entry>& entries,
                           Date today) {
  TrialStatus s;
  const OutcomeSpec& o = design.outcome;
  s.day = (today - design.start).count();
  const std::string kind = journal::EntryKindName(o.journal_kind);
  s.ended = design.ended;
  if (design.ended && today >= *design.ended) {
    s.phase = TrialStatus::Phase::kFinished;
    s.todo.push_back({fmt::format("The trial was ended on {}; take no more trial doses. Its report "
                                  "shows what it found so far.",
                                  FormatDate(*design.ended)),
                      "mgadvisor trial report"});
    return s;
  }
  s.run_in = CheckRunIn(design, entries, today);
  if (today < design.first_day()) {
    s.phase = TrialStatus::Phase::kNotStarted;
    s.todo.push_back(
        {design.run_in_days > 0
             ? fmt::format("The trial starts on {} ({} days from now) with a {}-day run-in.",
                           FormatDate(design.first_day()), (design.first_day() - today).count(),
                           design.run_in_days)
             : fmt::format("The trial starts on {} ({} days from now).", FormatDate(design.start),
                           -s.day),
         ""});
    return s;
  }
  if (s.day < 0) return RunInStatus(design, entries, today, std::move(s));
  if (s.run_in && s.run_in->failed()) {
    // The pairs never begin: no dose or rating is due, whatever the calendar said.
    s.phase = TrialStatus::Phase::kStopped;
    s.todo.push_back(
        {s.run_in->reason, fmt::format("mgadvisor trial plan --outcome {} --replace", o.id)});
    return s;
  }
  if (today > design.end()) {
    s.phase = TrialStatus::Phase::kFinished;
    s.todo.push_back(
        {"The trial is over: its report shows what it found.", "mgadvisor trial report"});
    return s;
  }
  s.phase = TrialStatus::Phase::kRunning;
  const Layout layout = design.ToLayout();
  s.pair = s.day / (2 * o.period_days);
  s.magnesium = layout.OnMagnesium(s.day);
  s.washout = layout.IsWashout(s.day);
  s.day_in_period = s.day % o.period_days + 1;
  s.period_end = design.start + std::chrono::days{s.day - s.day_in_period + o.period_days};
  s.rating_due = s.day_in_period % o.rating_every == 0;
  for (const journal::Entry& e : entries) {
    if (e.date != today) continue;
    if (OutcomeValue(o, e)) s.rating_logged = true;
    if (e.kind == journal::EntryKind::kDose && (!design.blinding || IsContainerDose(e))) {
      s.dose_logged = true;
    }
  }
  if (design.blinding) {
    s.container = ContainerOn(design, s.day);
    s.sealed = design.sealed();
    if (s.sealed) s.magnesium = false;
    if (s.dose_logged) {
      s.todo.push_back({fmt::format("Container {} day: dose logged.", s.container), ""});
    } else {
      s.todo.push_back({fmt::format("Container {} day: take today's dose from container {} and log "
                                    "it with your guess ({}).",
                                    s.container, s.container, GuessWords(design)),
                        design.two_dose()
                            ? "mgadvisor trial took --guess higher|lower|unsure"
                            : "mgadvisor trial took --guess magnesium|placebo|unsure"});
    }
  } else if (design.two_dose()) {
    const double dose = design.DoseOf(s.magnesium);
    s.dose_mg = dose;
    const std::string day = s.magnesium ? "Plan-dose day" : "Lower-dose day";
    if (s.dose_logged) {
      s.todo.push_back({fmt::format("{}: dose logged.", day), ""});
    } else {
      s.todo.push_back(
          {fmt::format("{}: take {} mg{} (this period's dose) and log it.", day, FormatNumber(dose),
                       design.form.empty() ? "" : " " + design.form),
           fmt::format("mgadvisor log dose --mg {}{}", FormatNumber(dose),
                       design.form.empty() ? "" : " --form " + design.form)});
    }
  } else if (s.magnesium) {
    if (s.dose_logged) {
      s.todo.push_back({"Magnesium day: dose logged.", ""});
    } else {
      s.todo.push_back(
          {fmt::format("Magnesium day: take {} mg{} and log it.", FormatNumber(design.dose_mg),
                       design.form.empty() ? "" : " " + design.form),
           fmt::format("mgadvisor log dose --mg {}{}", FormatNumber(design.dose_mg),
                       design.form.empty() ? "" : " --form " + design.form)});
    }
  } else {
    s.todo.push_back({s.dose_logged ? "No-magnesium day, but a dose is logged: the trial counts "
                                      "this as a protocol deviation."
                                    : "No-magnesium day: take no magnesium supplement.",
                      ""});
  }
  if (s.rating_due) {
    if (s.rating_logged) {
      s.todo.push_back({o.event_days ? fmt::format("Today's {} logged.", kind)
                                     : fmt::format("Rating of {} logged.", o.name),
                        ""});
    } else if (o.event_days) {
      // An attack is dated the day it started; one running on from yesterday is yesterday's.
      s.todo.push_back(
          {fmt::format("Log today's {} (an attack that started today, or none).", kind),
           LogCommand(o)});
    } else {
      s.todo.push_back({fmt::format("Rate your {} today.", o.name), LogCommand(o)});
    }
  } else {
    s.todo.push_back({fmt::format("No rating due today (next in {} days).",
                                  o.rating_every - s.day_in_period % o.rating_every),
                      ""});
  }
  for (const Secondary& secondary : design.secondaries) {
    const OutcomeSpec& so = secondary.outcome;
    if (s.day_in_period % so.rating_every != 0) continue;
    bool logged = false;
    for (const journal::Entry& e : entries)
      logged = logged || (e.date == today && OutcomeValue(so, e));
    if (!logged) {
      s.todo.push_back(
          {fmt::format("Also rate your {} (secondary outcome).", so.name), LogCommand(so)});
    }
  }
  if (s.washout) s.todo.push_back({"Washout day: today's rating is kept but not analysed.", ""});
  return s;
}

std::vector<Period> Periods(const Design& design) {
  const Layout layout = design.ToLayout();
  const int length = design.outcome.period_days, washout = design.outcome.washout_days;
  std::vector<Period> out;
  for (int index = 0; index < design.pairs() * 2; ++index) {
    const int first = index * length;
    Period p;
    p.pair = index / 2;
    p.magnesium = !design.sealed() && layout.OnMagnesium(first);
    if (design.blinding) p.container = ContainerOn(design, first);
    p.sealed = design.sealed();
    p.start = design.start + std::chrono::days{first};
    p.end = p.start + std::chrono::days{length - 1};
    if (washout > 0) p.washout_end = p.start + std::chrono::days{washout - 1};
    if (design.two_dose()) p.dose_mg = design.DoseOf(p.magnesium);
    out.push_back(p);
  }
  return out;
}

std::vector<Period> CalendarPeriods(const Design& design) {
  std::vector<Period> out;
  if (design.run_in_days > 0) {
    Period run_in;
    run_in.pair = -1;
    run_in.run_in = true;
    run_in.start = design.first_day();
    run_in.end = design.start - std::chrono::days{1};
    if (design.two_dose()) run_in.dose_mg = 0;
    out.push_back(run_in);
  }
  for (const Period& p : Periods(design)) out.push_back(p);
  return out;
}

nlohmann::json PeriodsToJson(const std::vector<Period>& periods) {
  nlohmann::json out = nlohmann::json::array();
  for (const Period& p : periods) {
    if (p.run_in) {
      out.push_back({{"pair", 0},
                     {"run_in", true},
                     {"magnesium", false},
                     {"container", nullptr},
                     {"start", FormatDate(p.start)},
                     {"end", FormatDate(p.end)},
                     {"washout_end", nullptr}});
      if (p.dose_mg) {
        out.back()["arm"] = "run_in";
        out.back()["dose_mg"] = *p.dose_mg;
      }
      continue;
    }
    out.push_back({{"pair", p.pair + 1},
                   {"magnesium", p.sealed    ? nlohmann::json(nullptr)
                                 : p.dose_mg ? nlohmann::json(true)
                                             : nlohmann::json(p.magnesium)},
                   {"container", p.container != 0 ? nlohmann::json(std::string(1, p.container))
                                                  : nlohmann::json(nullptr)},
                   {"start", FormatDate(p.start)},
                   {"end", FormatDate(p.end)},
                   {"washout_end", p.washout_end ? nlohmann::json(FormatDate(*p.washout_end))
                                                 : nlohmann::json(nullptr)}});
    // Two-dose designs: which dose; both arms take magnesium.
    if (p.dose_mg) {
      out.back()["arm"] = p.magnesium ? "plan_dose" : "lower_dose";
      out.back()["dose_mg"] = *p.dose_mg;
    }
  }
  return out;
}

nlohmann::json StatusToJson(const TrialStatus& s, Date today) {
  using Phase = TrialStatus::Phase;
  nlohmann::json j = {
      {"phase", s.phase == Phase::kNotStarted ? "not_started"
                : s.phase == Phase::kRunIn    ? "run_in"
                : s.phase == Phase::kRunning  ? "running"
                : s.phase == Phase::kStopped  ? "stopped"
                                              : "finished"},
      {"today", FormatDate(today)},
      {"day", s.day + 1},
      {"ended", s.ended ? nlohmann::json(FormatDate(*s.ended)) : nlohmann::json(nullptr)},
      {"todo", nlohmann::json::array()}};
  for (const Todo& t : s.todo) j["todo"].push_back(t.text);
  // Only with a run-in, so the status of a design without one reads as it did.
  if (s.run_in) j["run_in"] = RunInToJson(*s.run_in);
  if (s.phase == Phase::kRunIn) {
    j["run_in_day"] = s.day_in_period;
    j["rating_due"] = s.rating_due;
    j["rating_logged"] = s.rating_logged;
    j["dose_logged"] = s.dose_logged;
  }
  if (s.phase == Phase::kRunning) {
    j["pair"] = s.pair + 1;
    j["magnesium"] = s.sealed    ? nlohmann::json(nullptr)
                     : s.dose_mg ? nlohmann::json(true)
                                 : nlohmann::json(s.magnesium);
    if (s.dose_mg) {
      j["arm"] = s.magnesium ? "plan_dose" : "lower_dose";
      j["dose_mg"] = *s.dose_mg;
    }
    j["container"] =
        s.container != 0 ? nlohmann::json(std::string(1, s.container)) : nlohmann::json(nullptr);
    j["washout"] = s.washout;
    j["day_in_period"] = s.day_in_period;
    j["period_end"] = FormatDate(s.period_end);
    j["rating_due"] = s.rating_due;
    j["rating_logged"] = s.rating_logged;
    j["dose_logged"] = s.dose_logged;
  }
  return j;
}

}  // namespace mg::trial
