// The journal routes: profile, entries, food logging, intake, export/import and n-of-1 trials,
// over request.journal (the person's own journal, opened by the dispatcher). Each handler checks
// its input strictly (unknown fields and parameters, wrong types, bad dates and ids are 400s
// naming them), calls one operation of src/ops (the CLI calls the same) and serialises.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>

#include "journal/export.h"
#include "ops/apple_health.h"
#include "ops/calendar.h"
#include "ops/diary_import.h"
#include "ops/journal.h"
#include "ops/plan.h"
#include "ops/summary.h"
#include "ops/trial.h"
#include "server/handlers.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

using nlohmann::json;

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
  return range;
}

// The {id} of /api/journal/entries/{id}: digits only (from_chars alone would accept "-1" and
// stop quietly at "12abc").
Result<int64_t> EntryIdArgument(const ApiRequest& request) {
  const std::string& text = request.path_argument;
  int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      error != std::errc() || end != text.data() + text.size() || id < 1) {
    return InvalidArgument(
        fmt::format("id: '{}' is not an entry id (a whole number from 1 to {})", text, INT64_MAX));
  }
  return id;
}

// ?limit= and ?offset=: whole numbers; errors name the parameter and the value.
Result<std::optional<size_t>> CountParameter(const ApiRequest& request, const char* name) {
  const auto text = Parameter(request, name);
  if (!text) return std::optional<size_t>();
  size_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || text->find_first_not_of("0123456789") != std::string::npos ||
      error != std::errc() || end != text->data() + text->size()) {
    return InvalidArgument(fmt::format("{}: '{}' is not a whole number", name, *text));
  }
  return std::optional<size_t>(value);
}

plan::ProfileDocument BodyDocument(json body) {
  plan::ProfileDocument document;
  document.tree = std::move(body);
  document.source_name = "request body";
  return document;
}

}  // namespace

Result<ApiResponse> HandleGetProfile(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto stored = ops::StoredProfile(*request.journal);
  if (!stored.ok()) return stored.error();
  return JsonResponse({{"profile", stored->has_value() ? **stored : json(nullptr)}});
}

Result<ApiResponse> HandlePutProfile(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  auto stored = ops::SetProfile(*state.context, *request.journal, BodyDocument(*body));
  if (!stored.ok()) return stored.error();
  return JsonResponse({{"profile", *stored}});
}

Result<ApiResponse> HandleListEntries(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"from", "to", "kind", "limit", "offset"}));
  ops::EntryQuery query;
  auto range = RangeParameters(request);
  if (!range.ok()) return range.error();
  query.range = *range;
  if (const auto text = Parameter(request, "kind")) {
    query.kind = journal::ParseEntryKind(*text);
    if (!query.kind) {
      std::string names;
      for (auto k : journal::AllEntryKinds()) {
        names += (names.empty() ? "" : ", ") + std::string(journal::EntryKindName(k));
      }
      return InvalidArgument(fmt::format("kind: '{}' is not an entry kind; use {}", *text, names));
    }
  }
  auto limit = CountParameter(request, "limit");
  if (!limit.ok()) return limit.error();
  query.limit = *limit;
  auto offset = CountParameter(request, "offset");
  if (!offset.ok()) return offset.error();
  query.offset = offset->value_or(0);
  auto page = ops::ListEntryPage(*request.journal, query);
  if (!page.ok()) return page.error();
  return JsonResponse(page->ToJson());
}

Result<ApiResponse> HandleEditEntry(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto id = EntryIdArgument(request);
  if (!id.ok()) return id.error();
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  auto edited = ops::EditEntry(*request.journal, *id, *body);
  if (!edited.ok()) return edited.error();
  return JsonResponse({{"entry", journal::EntryToJson(*edited)}});
}

Result<ApiResponse> HandleUndo(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  if (!request.body.empty()) {
    auto body = ParseObject(request.body);
    if (!body.ok()) return body.error();
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {}, "body"));
  }
  auto undone = ops::UndoLastChange(*request.journal);
  if (!undone.ok()) return undone.error();
  return JsonResponse(ops::UndoneToJson(*undone));
}

Result<ApiResponse> HandleDayFoods(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"date"}));
  journal::Date date = request.clock->Today();
  if (const auto text = Parameter(request, "date")) {
    auto parsed = ParseDateField("date", *text);
    if (!parsed.ok()) return parsed.error();
    date = *parsed;
  }
  auto day = ops::FoodsOfDay(*request.journal, date);
  if (!day.ok()) return day.error();
  return JsonResponse(day->ToJson());
}

Result<ApiResponse> HandleAddEntry(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  if (body->contains("id")) {
    return InvalidArgument("id: assigned by the server; leave it out of a new entry");
  }
  if (!body->contains("date")) (*body)["date"] = journal::FormatDate(request.clock->Today());
  auto entry = journal::EntryFromJson(*body, "body");
  if (!entry.ok()) return entry.error();
  auto logged = ops::LogEntry(*state.context, *request.journal, std::move(*entry));
  if (!logged.ok()) return logged.error();
  return JsonResponse(logged->ToJson(), 201);
}

Result<ApiResponse> HandleDeleteEntry(const ApiState&, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto id = EntryIdArgument(request);
  if (!id.ok()) return id.error();
  MG_RETURN_IF_ERROR(ops::DeleteEntry(*request.journal, *id));
  return JsonResponse({{"deleted", *id}});
}

Result<ApiResponse> HandleLogFood(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"food", "grams", "portions", "date"}, "body"));
  ops::FoodLog log;
  auto food = OptionalString(*body, "food");
  if (!food.ok()) return food.error();
  if (!*food) return InvalidArgument("food: required, a food id from /api/foods/search");
  log.food = **food;
  auto grams = OptionalNumberField(*body, "grams");
  if (!grams.ok()) return grams.error();
  log.grams = *grams;
  auto portions = OptionalNumberField(*body, "portions");
  if (!portions.ok()) return portions.error();
  log.portions = *portions;
  auto date = OptionalDateField(*body, "date");
  if (!date.ok()) return date.error();
  log.date = *date;
  auto entry = ops::LogFood(*state.context, *request.journal, log, request.clock->Today());
  if (!entry.ok()) return entry.error();
  return JsonResponse({{"entry", journal::EntryToJson(*entry)}}, 201);
}

Result<ApiResponse> HandleLogTaken(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(
      RejectUnknownFields(*body, {"kind", "name", "amount", "date", "note"}, "body"));
  ops::TakenLog log;
  auto kind = OptionalString(*body, "kind");
  if (!kind.ok()) return kind.error();
  if (*kind && **kind == "dose") {
    log.kind = journal::EntryKind::kDose;
  } else if (*kind && **kind != "supplement") {
    return InvalidArgument("kind: \"" + **kind + "\" is not supplement or dose");
  }
  for (auto [field, out] : {std::pair{"name", &log.name}, std::pair{"amount", &log.amount},
                            std::pair{"note", &log.note}}) {
    auto text = OptionalString(*body, field);
    if (!text.ok()) return text.error();
    if (*text) *out = **text;
  }
  if (log.amount.empty())
    return InvalidArgument("amount: required, e.g. \"200 mg\" or \"2 tablets\"");
  auto date = OptionalDateField(*body, "date");
  if (!date.ok()) return date.error();
  log.date = *date;
  auto logged = ops::LogTaken(*state.context, *request.journal, log, request.clock->Today());
  if (!logged.ok()) return logged.error();
  return JsonResponse(logged->ToJson(), 201);
}

Result<ApiResponse> HandleIntake(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"from", "to"}));
  auto range = RangeParameters(request);
  if (!range.ok()) return range.error();
  auto intake = ops::Intake(*state.context, *request.journal, {range->from, range->to},
                            request.clock->Today());
  if (!intake.ok()) return intake.error();
  return JsonResponse(intake->ToJson());
}

Result<ApiResponse> HandleExport(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"format"}));
  const std::string name = Parameter(request, "format").value_or("json");
  const auto format = ops::ParseExportFormat(name);
  if (!format) {
    return InvalidArgument(fmt::format("format: '{}' is not one of json, csv, fhir", name));
  }
  auto exported =
      ops::ExportJournalAs(*state.context, *request.journal, *format, request.clock->Today());
  if (!exported.ok()) return exported.error();
  // Every format as the CLI writes the file, byte for byte (JSON written as a stream: issue 20).
  return ApiResponse{
      .status = 200, .body = std::move(exported->text), .content_type = exported->media_type};
}

Result<ApiResponse> HandleImport(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"format"}));
  if (const auto format = Parameter(request, "format")) {
    if (*format != "apple-health") {
      return InvalidArgument(fmt::format(
          "format: '{}' is not apple-health (a JSON or FHIR export needs no format)", *format));
    }
    // The body is the export.xml itself, read by the same streaming reader as the CLI's file.
    std::istringstream in(request.body);
    auto imported = ops::ImportAppleHealth(*request.journal, in, "body", request.clock->Today());
    if (!imported.ok()) return imported.error();
    return JsonResponse(imported->ToJson());
  }
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  auto snapshot = ops::SnapshotFromDocument(*body, "body");  // An mgadvisor export or FHIR.
  if (!snapshot.ok()) return snapshot.error();
  auto imported = ops::ImportJournal(*state.context, *request.journal, *snapshot, "body");
  if (!imported.ok()) return imported.error();
  return JsonResponse(imported->ToJson());
}

Result<ApiResponse> HandleCreateTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body,
                                         {"outcome", "start", "pairs", "seed", "replace", "dry_run",
                                          "blind", "secondary", "run_in_done", "lower_dose_mg"},
                                         "body"));
  ops::StartTrialRequest start;
  auto outcome = OptionalString(*body, "outcome");
  if (!outcome.ok()) return outcome.error();
  if (!*outcome)
    return InvalidArgument(
        "outcome: required, one of cramps, irls, pain, sleep, sleep_minutes, cramp_severity, "
        "cramp_minutes, cramp_sleep_disturbance, sleep_latency, sleep_awakenings, migraine_days, "
        "stress");
  start.outcome = **outcome;
  auto secondaries = OptionalStringArray(*body, "secondary");
  if (!secondaries.ok()) return secondaries.error();
  if (*secondaries) start.secondaries = **secondaries;
  auto start_text = OptionalString(*body, "start");
  if (!start_text.ok()) return start_text.error();
  if (*start_text) {
    auto date = ParseDateField("start", **start_text);
    if (!date.ok()) return date.error();
    start.start = *date;
  }
  auto pairs = OptionalIntegerField(*body, "pairs", trial::kMinPairs, trial::kMaxPairs);
  if (!pairs.ok()) return pairs.error();
  start.pairs = static_cast<int>(pairs->value_or(trial::kMinPairs));
  auto seed = OptionalIntegerField(*body, "seed", 0, ops::kMaxSeed);
  if (!seed.ok()) return seed.error();
  if (*seed) start.seed = static_cast<uint64_t>(**seed);
  auto replace = OptionalBool(*body, "replace");
  if (!replace.ok()) return replace.error();
  start.replace = replace->value_or(false);
  // A dry run shows the length and calendar before anything is saved (the page's preview).
  auto dry_run = OptionalBool(*body, "dry_run");
  if (!dry_run.ok()) return dry_run.error();
  start.save = !dry_run->value_or(false);
  // Blinded: the answer carries the helper's sheet this once (it is never stored); the page
  // hands it to the helper.
  auto blind = OptionalBool(*body, "blind");
  if (!blind.ok()) return blind.error();
  start.blind = blind->value_or(false);
  // The run-in is already in the journal (ops::StartTrialRequest::run_in_done).
  auto run_in_done = OptionalBool(*body, "run_in_done");
  if (!run_in_done.ok()) return run_in_done.error();
  start.run_in_done = run_in_done->value_or(false);
  // A two-dose trial: the lower dose each pair compares with the plan's (trial::CheckLowerDose).
  auto lower_dose = OptionalNumberField(*body, "lower_dose_mg");
  if (!lower_dose.ok()) return lower_dose.error();
  start.lower_dose_mg = *lower_dose;
  // The dose and form come from the plan for the stored profile.
  auto started = ops::StartTrial(*state.context, request.journal, start, request.clock->Today());
  if (!started.ok()) return started.error();
  return JsonResponse(started->ToJson(), started->saved ? 201 : 200);
}

Result<ApiResponse> HandleCurrentTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto current = ops::CurrentTrial(*state.context, *request.journal, request.clock->Today());
  if (!current.ok()) return current.error();
  return JsonResponse(current->has_value() ? (*current)->ToJson() : ops::NoTrialJson());
}

Result<ApiResponse> HandleEndTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  std::string reason;
  if (!request.body.empty()) {
    auto body = ParseObject(request.body);
    if (!body.ok()) return body.error();
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"reason"}, "body"));
    auto given = OptionalString(*body, "reason");
    if (!given.ok()) return given.error();
    reason = given->value_or("");
  }
  auto ended = ops::EndTrial(*state.context, *request.journal, request.clock->Today(), reason);
  if (!ended.ok()) return ended.error();
  return JsonResponse({{"trial", trial::DesignToJson(*ended)}});
}

Result<ApiResponse> HandleAddTrialSecondary(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"outcome"}, "body"));
  auto outcome = OptionalString(*body, "outcome");
  if (!outcome.ok()) return outcome.error();
  if (!*outcome) return InvalidArgument("outcome: required, the secondary outcome to add");
  auto added =
      ops::AddTrialSecondary(*state.context, *request.journal, **outcome, request.clock->Today());
  if (!added.ok()) return added.error();
  return JsonResponse({{"trial", trial::DesignToJson(*added)}});
}

Result<ApiResponse> HandleTrialReport(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  // The RDA line of the intake chart comes from the stored profile, when there is one.
  auto report = ops::TrialReport(*state.context, *request.journal, request.clock->Today());
  if (!report.ok()) return report.error();
  json out = trial::ReportToJson(*report);
  out["timeline_svg"] = trial::TimelineSvg(*report);
  out["intake_svg"] = trial::IntakeSvg(*report);
  return JsonResponse(out);
}

Result<ApiResponse> HandleImportDiary(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"diary", "dry_run"}, "body"));
  auto text = OptionalString(*body, "diary");
  if (!text.ok()) return text.error();
  if (!*text) {
    return InvalidArgument(
        "diary: required, the diary's text: a Cronometer servings export, or CSV "
        "date,food,amount,unit[,type,compound], or JSON");
  }
  auto dry_run = OptionalBool(*body, "dry_run");
  if (!dry_run.ok()) return dry_run.error();
  // Bad lines are named diary:LINE, as in /api/intake/analyze.
  auto imported =
      ops::ImportDiary(*state.context, *request.journal,
                       {**text, "diary", dry_run->value_or(false)}, request.clock->Today());
  if (!imported.ok()) return imported.error();
  return JsonResponse(imported->ToJson(), imported->saved ? 201 : 200);
}

Result<ApiResponse> HandleTrialDose(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  ops::TrialDoseLog log;
  if (!request.body.empty()) {
    auto body = ParseObject(request.body);
    if (!body.ok()) return body.error();
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"date", "guess"}, "body"));
    auto date = OptionalDateField(*body, "date");
    if (!date.ok()) return date.error();
    log.date = *date;
    auto guess = OptionalString(*body, "guess");
    if (!guess.ok()) return guess.error();
    log.guess = *guess;
  }
  auto logged = ops::LogTrialDose(*state.context, *request.journal, log, request.clock->Today());
  if (!logged.ok()) return logged.error();
  return JsonResponse(logged->ToJson(), 201);
}

Result<ApiResponse> HandleUnblindTrial(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"key"}, "body"));
  auto key = OptionalString(*body, "key");
  if (!key.ok()) return key.error();
  if (!*key) return InvalidArgument("key: required, the key on the helper's sheet");
  auto opened = ops::UnblindTrial(*state.context, *request.journal, request.clock->Today(), **key);
  if (!opened.ok()) return opened.error();
  return JsonResponse({{"trial", trial::DesignToJson(*opened)}});
}

Result<ApiResponse> HandleTrialProtocol(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto protocol = ops::CurrentProtocol(*state.context, *request.journal);
  if (!protocol.ok()) return protocol.error();
  return JsonResponse(protocol->ToJson());
}

Result<ApiResponse> HandleCalendar(const ApiState& state, const ApiRequest& request) {
  // "key" is the secret calendar address of multi-user mode, already checked by the dispatcher.
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"of", "key"}));
  ops::CalendarContents contents;
  if (const auto of = Parameter(request, "of")) {
    if (*of != "plan" && *of != "trial") {
      return InvalidArgument(fmt::format("of: '{}' is not plan or trial (omit it for both)", *of));
    }
    contents = {.plan = *of == "plan", .trial = *of == "trial"};
  }
  auto calendar =
      ops::JournalCalendar(*state.context, *request.journal, request.clock->Today(), contents);
  if (!calendar.ok()) return calendar.error();
  return ApiResponse{
      .status = 200, .body = std::move(*calendar), .content_type = "text/calendar; charset=utf-8"};
}

Result<ApiResponse> HandleSummary(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"from", "to", "format"}));
  const std::string format = Parameter(request, "format").value_or("json");
  if (format != "json" && format != "html" && format != "markdown") {
    return InvalidArgument(fmt::format("format: '{}' is not one of json, html, markdown", format));
  }
  auto range = RangeParameters(request);
  if (!range.ok()) return range.error();
  auto summary = ops::BuildVisitSummary(*state.context, *request.journal, {range->from, range->to},
                                        request.clock->Today());
  if (!summary.ok()) return summary.error();
  if (format == "html") {
    return ApiResponse{.status = 200,
                       .body = ops::SummaryHtml(*summary, ops::HtmlMode::kServed),
                       .content_type = "text/html; charset=utf-8"};
  }
  if (format == "markdown") {
    return ApiResponse{.status = 200,
                       .body = ops::SummaryMarkdown(*summary),
                       .content_type = "text/markdown; charset=utf-8"};
  }
  return JsonResponse(summary->ToJson());
}

}  // namespace mg::server
