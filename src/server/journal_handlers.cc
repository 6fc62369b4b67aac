// The journal routes: profile, entries, food logging, intake, export/import and n-of-1 trials,
// over request.journal (the person's own journal, opened by the dispatcher), plus the public
// knowledge-base lists and food-diary analysis. Each handler checks its input strictly (unknown
// fields and parameters, wrong types, bad dates and ids are 400s naming them), calls the library,
// and serialises.
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>

#include "core/json_input.h"
#include "core/numbers.h"
#include "dri/dri.h"
#include "foods/foods_json.h"
#include "foods/intake.h"
#include "journal/export.h"
#include "kb/explain.h"
#include "plan/profile.h"
#include "server/handlers.h"
#include "server/request_json.h"
#include "trial/trial.h"

namespace mg::server {
namespace {

using journal::Date;
using nlohmann::json;

// Longest span /api/intake sums in one request, so a typo in a year cannot ask for a million rows.
constexpr int kMaxIntakeDays = 366;
// Bounds for POST /api/journal/foods: a kilogram of one food, or 20 portions, in one entry.
constexpr double kMaxFoodGrams = 5000;
constexpr double kMaxPortions = 20;
// Seeds fit in JSON's exact integers (2^53), so a saved plan reproduces from its seed.
constexpr int64_t kMaxSeed = (int64_t{1} << 53) - 1;

// The stored profile as a JSON document; nullopt when none is stored.
Result<std::optional<json>> StoredProfile(journal::Store& store) {
  auto text = store.Profile();
  if (!text.ok()) return text.error();
  if (!text->has_value()) return std::optional<json>();
  auto document = ParseJson(**text, "stored profile");
  if (!document.ok()) return DataError(document.error().message);
  return std::optional<json>(std::move(*document));
}

// Resolves a profile document against the knowledge base (as POST /api/plan does).
Result<plan::Profile> Resolve(const ApiState& state, json tree, const std::string& source) {
  plan::ProfileDocument document;
  document.tree = std::move(tree);
  document.source_name = source;
  return plan::ResolveProfile(document, *state.context);
}

// The stored profile's intake targets; nullopt without a profile. A stored profile that no
// longer resolves (the knowledge base changed) is a 409 conflict naming what to fix: the person
// can mend it, so it is not hidden like a server failure.
Result<std::optional<foods::IntakeTargets>> StoredTargets(const ApiState& state,
                                                          journal::Store& store) {
  auto stored = StoredProfile(store);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) return std::optional<foods::IntakeTargets>();
  auto profile = Resolve(state, std::move(**stored), "stored profile");
  if (!profile.ok()) {
    return Error{
        ErrorCode::kConflict,
        profile.error().message + "\n(the stored profile: update it with PUT /api/profile)"};
  }
  auto values = state.context->references.Lookup(profile->reference, profile->person);
  if (!values.ok()) return values.error();
  return std::optional<foods::IntakeTargets>(foods::TargetsFor(*values));
}

// The optional ?from=&to= range; errors name the parameter and the value.
Result<journal::DateRange> RangeParameters(const ApiRequest& request) {
  journal::DateRange range;
  for (auto [name, out] : {std::pair{"from", &range.from}, std::pair{"to", &range.to}}) {
    if (const auto text = Parameter(request, name)) {
      auto date = ParseDateField(name, *text);
      if (!date.ok()) return date.error();
      *out = *date;
    }
  }
  if (range.from && range.to && *range.from > *range.to) {
    return InvalidArgument(fmt::format("from: {} is after to: {}", journal::FormatDate(*range.from),
                                       journal::FormatDate(*range.to)));
  }
  return range;
}

// The current (most recent) trial; nullopt when the journal has none.
Result<std::optional<trial::Plan>> CurrentTrial(const ApiState& state, journal::Store& store) {
  auto record = store.LatestTrial();
  if (!record.ok()) return record.error();
  if (!record->has_value()) return std::optional<trial::Plan>();
  auto plan = trial::PlanFromJson((*record)->json, state.outcomes);
  if (!plan.ok()) return plan.error();
  return std::optional<trial::Plan>(std::move(*plan));
}

// The person of POST /api/intake/analyze: "age" (years as a number, or a string like "8mo"),
// "sex", optional "pregnant"/"lactating" booleans and "reference" ("us" or "eu"), checked as
// `mgadvisor intake --age --sex ...` checks its flags; errors name the field.
struct BodyPerson {
  dri::Reference reference;
  dri::Person person;
};
Result<BodyPerson> PersonFromBody(const json& body) {
  std::string age_text;
  if (!body.contains("age")) return InvalidArgument("age: required, e.g. 45 or \"8mo\"");
  const json& age_field = body["age"];
  if (age_field.is_number()) {
    age_text = age_field.dump();
  } else if (age_field.is_string()) {
    age_text = age_field.get<std::string>();
  } else {
    return InvalidArgument(fmt::format(
        "age: expected years (e.g. 45) or a string like \"8mo\", got {}", DescribeJson(age_field)));
  }
  auto sex_text = OptionalString(body, "sex");
  if (!sex_text.ok()) return sex_text.error();
  if (!*sex_text) return InvalidArgument("sex: required, male or female");
  auto reference_text = OptionalString(body, "reference");
  if (!reference_text.ok()) return reference_text.error();
  bool flags[2] = {false, false};
  const char* names[2] = {"pregnant", "lactating"};
  for (int i = 0; i < 2; ++i) {
    if (!body.contains(names[i])) continue;
    if (!body[names[i]].is_boolean()) {
      return InvalidArgument(fmt::format("{}: expected true or false, got {}", names[i],
                                         DescribeJson(body[names[i]])));
    }
    flags[i] = body[names[i]].get<bool>();
  }
  auto reference = dri::ParseReference(reference_text->value_or("us"));
  if (!reference.ok()) return InvalidArgument("reference: " + reference.error().message);
  auto age = dri::ParseAgeMonths(age_text);
  if (!age.ok()) return InvalidArgument("age: " + age.error().message);
  auto sex = dri::ParseSex(**sex_text);
  if (!sex.ok()) return InvalidArgument("sex: " + sex.error().message);
  if (flags[0] && flags[1]) return InvalidArgument("pregnant and lactating: give at most one");
  const auto reproductive = flags[0]   ? dri::ReproductiveState::kPregnant
                            : flags[1] ? dri::ReproductiveState::kLactating
                                       : dri::ReproductiveState::kNone;
  auto person = dri::MakePerson(*age, *sex, reproductive);
  if (!person.ok()) return person.error();
  return BodyPerson{*reference, *person};
}

// Adds a validated entry and answers 201 {"entry": ...} with its new id.
Result<ApiResponse> AddAndAnswer(journal::Store& store, journal::Entry entry) {
  auto id = store.Add(entry);
  if (!id.ok()) return id.error();
  entry.id = *id;
  return JsonResponse({{"entry", journal::EntryJson(entry)}}, 201);
}

}  // namespace

Result<ApiResponse> HandleKbList(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto list = kb::ListJson(state.context->kb, request.path_argument);
  // An unknown kind is a resource that does not exist; the message lists the kinds.
  if (!list.ok()) return NotFound("kind: " + list.error().message);
  return JsonResponse(*list);
}

Result<ApiResponse> HandleGetProfile(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto stored = StoredProfile(*request.journal);
  if (!stored.ok()) return stored.error();
  return JsonResponse({{"profile", stored->has_value() ? **stored : json(nullptr)}});
}

Result<ApiResponse> HandlePutProfile(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  // Exactly POST /api/plan's validation; the document is stored as given, not as resolved, so
  // the person's own words ("leg cramps") stay theirs and re-resolve against a newer KB.
  auto profile = Resolve(state, *body, "request body");
  if (!profile.ok()) return profile.error();
  MG_RETURN_IF_ERROR(request.journal->SetProfile(request.body));
  return JsonResponse({{"profile", *body}});
}

Result<ApiResponse> HandleListEntries(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"from", "to", "kind"}));
  auto range = RangeParameters(request);
  if (!range.ok()) return range.error();
  std::optional<journal::EntryKind> kind;
  if (const auto text = Parameter(request, "kind")) {
    kind = journal::ParseEntryKind(*text);
    if (!kind) {
      std::string names;
      for (auto k : journal::AllEntryKinds()) {
        names += (names.empty() ? "" : ", ") + std::string(journal::EntryKindName(k));
      }
      return InvalidArgument(fmt::format("kind: '{}' is not an entry kind; use {}", *text, names));
    }
  }
  auto entries = request.journal->List(*range);
  if (!entries.ok()) return entries.error();
  json out = json::array();
  for (const journal::Entry& e : *entries) {
    if (!kind || e.kind == *kind) out.push_back(journal::EntryJson(e));
  }
  return JsonResponse({{"entries", std::move(out)}});
}

Result<ApiResponse> HandleAddEntry(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  if (body->contains("id")) {
    return InvalidArgument("id: assigned by the server; leave it out of a new entry");
  }
  if (!body->contains("date")) (*body)["date"] = journal::FormatDate(request.clock->Today());
  auto entry = journal::EntryFromJsonValue(*body, "body");
  if (!entry.ok()) return entry.error();
  return AddAndAnswer(*request.journal, std::move(*entry));
}

Result<ApiResponse> HandleDeleteEntry(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  const std::string& text = request.path_argument;
  int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  // Digits only: from_chars alone would accept "-1" and stop quietly at "12abc".
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      error != std::errc() || end != text.data() + text.size() || id < 1) {
    return InvalidArgument(
        fmt::format("id: '{}' is not an entry id (a whole number from 1 to {})", text, INT64_MAX));
  }
  const Status deleted = request.journal->Delete(id);
  if (!deleted.ok()) {
    if (deleted.error().code == ErrorCode::kNotFound) {
      return NotFound(fmt::format("id: no entry {} in this journal", id));
    }
    return deleted.error();
  }
  return JsonResponse({{"deleted", id}});
}

Result<ApiResponse> HandleLogFood(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"food", "grams", "portions", "date"}, "body"));
  auto source = OptionalString(*body, "food");
  if (!source.ok()) return source.error();
  if (!*source) return InvalidArgument("food: required, a food id from /api/foods/search");
  auto grams = OptionalNumberField(*body, "grams");
  if (!grams.ok()) return grams.error();
  auto portions = OptionalNumberField(*body, "portions");
  if (!portions.ok()) return portions.error();
  auto date_text = OptionalString(*body, "date");
  if (!date_text.ok()) return date_text.error();
  if (grams->has_value() == portions->has_value()) {
    return InvalidArgument("give either grams (e.g. 30) or portions (e.g. 1), not both or neither");
  }
  if (*grams && !(**grams > 0 && **grams <= kMaxFoodGrams)) {
    return InvalidArgument(fmt::format("grams: {} is outside 0-{} (more than 0)",
                                       FormatNumber(**grams), FormatNumber(kMaxFoodGrams)));
  }
  if (*portions && !(**portions > 0 && **portions <= kMaxPortions)) {
    return InvalidArgument(fmt::format("portions: {} is outside 0-{} (more than 0)",
                                       FormatNumber(**portions), FormatNumber(kMaxPortions)));
  }
  const foods::Food* food = state.foods->FindBySource(**source);
  if (food == nullptr) {
    return NotFound(fmt::format("food: no food '{}' in the {}; find ids with /api/foods/search",
                                **source, state.foods->origin()));
  }
  journal::Entry entry;
  entry.kind = journal::EntryKind::kFood;
  entry.date = request.clock->Today();
  if (*date_text) {
    auto date = ParseDateField("date", **date_text);
    if (!date.ok()) return date.error();
    entry.date = *date;
  }
  const double weight = *grams ? **grams : **portions * food->serving.grams;
  entry.label = *grams ? fmt::format("{} — {} g", food->name, FormatNumber(weight))
                       : fmt::format("{} — {} × {} ({} g)", food->name, FormatNumber(**portions),
                                     food->serving.Label(), FormatNumber(weight));
  // Unknown when USDA gives no magnesium value: logged without it rather than as 0.
  entry.magnesium_mg = food->MagnesiumIn(weight);
  return AddAndAnswer(*request.journal, std::move(entry));
}

Result<ApiResponse> HandleIntake(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"from", "to"}));
  auto range = RangeParameters(request);
  if (!range.ok()) return range.error();
  const Date to = range->to.value_or(request.clock->Today());
  const Date from = range->from.value_or(to - std::chrono::days{6});
  if (from > to) {
    return InvalidArgument(fmt::format("from: {} is after to: {}", journal::FormatDate(from),
                                       journal::FormatDate(to)));
  }
  if ((to - from).count() >= kMaxIntakeDays) {
    return InvalidArgument(fmt::format("from, to: {} to {} is more than {} days; ask for less",
                                       journal::FormatDate(from), journal::FormatDate(to),
                                       kMaxIntakeDays));
  }
  auto entries = request.journal->List({from, to});
  if (!entries.ok()) return entries.error();
  json days = json::array();
  for (const journal::DayMagnesium& day : journal::DailyMagnesium(*entries, from, to)) {
    days.push_back({{"date", journal::FormatDate(day.date)},
                    {"food_mg", day.food_mg},
                    {"supplement_mg", day.supplement_mg},
                    {"total_mg", day.total_mg()}});
  }
  auto targets = StoredTargets(state, *request.journal);
  if (!targets.ok()) return targets.error();
  return JsonResponse(
      {{"days", std::move(days)},
       {"target", targets->has_value() ? foods::TargetsToJson(**targets) : json(nullptr)}});
}

Result<ApiResponse> HandleExport(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto snapshot = request.journal->Export();
  if (!snapshot.ok()) return snapshot.error();
  return ApiResponse{200, journal::SnapshotToJson(*snapshot)};
}

Result<ApiResponse> HandleCreateTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"outcome", "start", "pairs", "seed"}, "body"));
  auto outcome = OptionalString(*body, "outcome");
  if (!outcome.ok()) return outcome.error();
  if (!*outcome) return InvalidArgument("outcome: required, one of cramps, irls, pain, sleep");
  auto start_text = OptionalString(*body, "start");
  if (!start_text.ok()) return start_text.error();
  auto pairs = OptionalIntegerField(*body, "pairs", trial::kMinPairs, trial::kMaxPairs);
  if (!pairs.ok()) return pairs.error();
  auto seed = OptionalIntegerField(*body, "seed", 0, kMaxSeed);
  if (!seed.ok()) return seed.error();

  // Bad input is a 400 before the plan engine is asked anything.
  if (auto known = trial::FindOutcome(state.outcomes, **outcome); !known.ok()) {
    return known.error();
  }
  trial::PlanRequest plan_request;
  plan_request.outcome = **outcome;
  plan_request.start = request.clock->Today();
  if (*start_text) {
    auto start = ParseDateField("start", **start_text);
    if (!start.ok()) return start.error();
    plan_request.start = *start;
  }
  plan_request.pairs = static_cast<int>(pairs->value_or(trial::kMinPairs));
  plan_request.seed =
      seed->has_value() ? static_cast<uint64_t>(**seed) : std::random_device{}() % 1000000;

  // Dose and form from the plan engine for the stored profile, as `trial plan --profile`: a
  // trial never tests more magnesium than the plan allows, and none when the plan gives none.
  auto stored = StoredProfile(*request.journal);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) {
    return InvalidArgument(
        "profile: none stored; PUT /api/profile first (the trial's dose comes from your plan)");
  }
  auto profile = Resolve(state, std::move(**stored), "stored profile");
  if (!profile.ok()) return profile.error();
  auto dose = plan::TrialDoseFromPlan(plan::BuildPlan(*profile, *state.context), std::nullopt);
  if (!dose.ok()) return dose.error();
  plan_request.dose_mg = dose->dose_mg;
  plan_request.form = dose->form;

  auto plan = trial::MakePlan(plan_request, state.outcomes);
  if (!plan.ok()) return plan.error();
  const std::string plan_json = trial::PlanToJson(*plan);
  auto id = request.journal->AddTrial(journal::FormatDate(request.clock->Today()), plan_json);
  if (!id.ok()) return id.error();
  return JsonResponse({{"trial", json::parse(plan_json)},
                       {"calendar", trial::RenderCalendar(*plan)},
                       {"periods", json::parse(trial::PeriodsToJson(trial::Periods(*plan)))}},
                      201);
}

Result<ApiResponse> HandleCurrentTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto plan = CurrentTrial(state, *request.journal);
  if (!plan.ok()) return plan.error();
  if (!plan->has_value()) {
    return JsonResponse({{"trial", nullptr}, {"periods", json::array()}, {"status", nullptr}});
  }
  const Date today = request.clock->Today();
  auto entries = request.journal->List({today, today});
  if (!entries.ok()) return entries.error();
  const trial::TrialStatus status = trial::GetTrialStatus(**plan, *entries, today);
  return JsonResponse({{"trial", json::parse(trial::PlanToJson(**plan))},
                       {"periods", json::parse(trial::PeriodsToJson(trial::Periods(**plan)))},
                       {"status", json::parse(trial::StatusToJson(status, today))}});
}

Result<ApiResponse> HandleTrialReport(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto plan = CurrentTrial(state, *request.journal);
  if (!plan.ok()) return plan.error();
  if (!plan->has_value())
    return NotFound("no trial in this journal: start one with POST /api/trials");
  // The RDA line of the intake chart comes from the stored profile, when there is one.
  auto targets = StoredTargets(state, *request.journal);
  if (!targets.ok()) return targets.error();
  const std::optional<double> rda =
      targets->has_value() ? (*targets)->intake_mg : std::optional<double>();
  auto entries = request.journal->List({(*plan)->start, (*plan)->end()});
  if (!entries.ok()) return entries.error();
  const trial::Report report = trial::BuildReport(**plan, *entries, request.clock->Today(), rda);
  json out = json::parse(trial::ReportToJson(report));
  out["timeline_svg"] = trial::TimelineSvg(report);
  out["intake_svg"] = trial::IntakeSvg(report);
  return JsonResponse(out);
}

Result<ApiResponse> HandleImport(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto snapshot = journal::SnapshotFromJson(request.body, "body");
  if (!snapshot.ok()) return snapshot.error();
  // Stricter than `journal import`: a profile or trial this server cannot read would make every
  // later /api/intake or /api/trials request fail, so refuse it here, before anything is written.
  if (snapshot->profile_json) {
    auto profile = ParseJsonObject(*snapshot->profile_json, "body: profile");
    if (!profile.ok()) return profile.error();
    auto resolved = Resolve(state, std::move(*profile), "body: profile");
    if (!resolved.ok()) return resolved.error();
  }
  for (const journal::TrialRecord& t : snapshot->trials) {
    auto plan = trial::PlanFromJson(t.json, state.outcomes);
    if (!plan.ok()) {
      return InvalidArgument(fmt::format("body: trial {}: {}", t.id, plan.error().message));
    }
  }
  // All or nothing: an id already in this journal is a 400 and nothing is written.
  MG_RETURN_IF_ERROR(request.journal->Import(*snapshot));
  return JsonResponse({{"entries", snapshot->entries.size()}, {"trials", snapshot->trials.size()}});
}

Result<ApiResponse> HandleIntakeAnalyze(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(
      *body, {"diary", "age", "sex", "pregnant", "lactating", "reference", "exclude"}, "body"));
  auto text = OptionalString(*body, "diary");
  if (!text.ok()) return text.error();
  if (!*text) {
    return InvalidArgument(
        "diary: required, the diary's text: CSV date,food,amount,unit[,type,compound], JSON, or a "
        "Cronometer servings export");
  }
  auto person = PersonFromBody(*body);
  if (!person.ok()) return person.error();
  auto values = state.context->references.Lookup(person->reference, person->person);
  if (!values.ok()) return values.error();
  std::vector<std::string> exclude;
  if (body->contains("exclude")) {
    const json& list = (*body)["exclude"];
    bool strings = list.is_array();
    for (const json& item : list) strings = strings && item.is_string();
    if (!strings) {
      return InvalidArgument(fmt::format(
          "exclude: expected an array of strings (e.g. [\"vegan\"]), got {}", DescribeJson(list)));
    }
    exclude = list.get<std::vector<std::string>>();
  }
  auto exclusions = state.context->exclusions.Resolve(exclude);
  if (!exclusions.ok()) return InvalidArgument("exclude: " + exclusions.error().message);

  // The diary is named "diary", so a bad line is reported as diary:LINE.
  const std::string name = "diary";
  auto diary = foods::ParseDiary(**text, name);
  if (!diary.ok()) return diary.error();
  foods::IntakeOptions options;
  options.exclusions = *exclusions;
  auto analysis =
      foods::AnalyzeIntake(*diary, *state.foods, *state.search, state.context->compounds,
                           state.units, foods::TargetsFor(*values), options);
  if (!analysis.ok()) return analysis.error();
  return JsonResponse(
      foods::IntakeAnalysisToJson(*analysis, name, *diary, *state.foods, options.exclusions));
}

}  // namespace mg::server
