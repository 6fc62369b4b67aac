// Private to mg_server: the API's handlers as plain functions of the loaded state and a request,
// free of HTTP plumbing, so each one is "parse → call one operation (src/ops) → serialise" and
// nothing else; the CLI calls the same operations.
#ifndef MGADVISOR_SERVER_HANDLERS_H_
#define MGADVISOR_SERVER_HANDLERS_H_

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "journal/journal.h"
#include "ops/context.h"
#include "server/server.h"

namespace mg::server {

// Everything a request may read; immutable after Load and shared by every request thread.
struct ApiState {
  std::unique_ptr<ops::Context> context;  // Every piece loaded at start (Context::LoadAll).
  // data/server/openapi.json, served with "servers" set to the address of each request.
  nlohmann::json openapi;
  bool multi_user = false;  // options.database set: /api/health says "multi".
  std::string signup;       // Multi-user mode: SignupModeName, for /api/health.
  // What GET /api/health?deep=1 checks: the database every journal request uses.
  std::shared_ptr<accounts::Database> database;  // Multi-user mode.
  std::string journal_path;                      // Local mode (set by Server::Create).

  static Result<std::unique_ptr<ApiState>> Load(const ServerOptions& options);
};

struct ApiRequest {
  std::multimap<std::string, std::string> query;  // Decoded query parameters.
  std::string body;
  std::string path_argument;  // The {placeholder} of the route, decoded; "" when none.
  // For journal routes only (null otherwise): the person's journal, opened for this request —
  // the local SQLite journal, or the signed-in account's rows in PostgreSQL. Handlers never see
  // anyone else's data because they are never handed anyone else's store.
  journal::Store* journal = nullptr;
  const journal::Clock* clock = nullptr;  // "Today"; set for every route.
  // "http://127.0.0.1:8425": the scheme (https behind TLS) and Host the request was sent to, so a
  // document that names this server names it as the client reached it.
  std::string origin;
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

using Handler = Result<ApiResponse> (*)(const ApiState&, const ApiRequest&);

Result<ApiResponse> HandleHealth(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleCompounds(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleElemental(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleDri(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandlePlan(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleFoodSearch(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleExplain(const ApiState& state, const ApiRequest& request);
// GET /api/kb/{kind}: the knowledge base's list of one kind, as `mgadvisor kb list KIND --json`.
Result<ApiResponse> HandleKbList(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleOpenApi(const ApiState& state, const ApiRequest& request);
// POST /api/check (check_handlers.cc): {"text": page} -> `mgadvisor check --json`.
Result<ApiResponse> HandleCheck(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleLabel(const ApiState& state, const ApiRequest& request);

// The web page: "/" and "/assets/{file}" from data/web/, embedded in the binary.
Result<ApiResponse> HandleWebAsset(const ApiState& state, const ApiRequest& request);

// POST /api/intake/analyze (public, stores nothing): a food diary analysed as `mgadvisor intake`.
Result<ApiResponse> HandleIntakeAnalyze(const ApiState& state, const ApiRequest& request);

// Journal routes (journal_handlers.cc): request.journal is set.
Result<ApiResponse> HandleGetProfile(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandlePutProfile(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleListEntries(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleAddEntry(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleDeleteEntry(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleLogFood(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleLogTaken(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleIntake(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleExport(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleImport(const ApiState& state, const ApiRequest& request);
// PATCH /api/journal/entries/{id}: corrects an entry (the fields given), as `journal edit`.
Result<ApiResponse> HandleEditEntry(const ApiState& state, const ApiRequest& request);
// POST /api/journal/undo: reverts the latest add, edit or delete, as `journal undo`.
Result<ApiResponse> HandleUndo(const ApiState& state, const ApiRequest& request);
// GET /api/journal/foods?date=: what was eaten that day, as `journal foods`.
Result<ApiResponse> HandleDayFoods(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleCreateTrial(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleCurrentTrial(const ApiState& state, const ApiRequest& request);
// POST /api/trials/current/end: ends the current trial today, as `mgadvisor trial end`.
Result<ApiResponse> HandleEndTrial(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleAddTrialSecondary(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleTrialReport(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleTrialDose(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleImportDiary(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleUnblindTrial(const ApiState& state, const ApiRequest& request);
Result<ApiResponse> HandleTrialProtocol(const ApiState& state, const ApiRequest& request);
// GET /api/calendar.ics[?of=plan|trial]: the stored plan's doses and the current trial as an
// iCalendar file (ops/calendar.h), as `plan --stored --format ics` / `trial calendar --format ics`.
Result<ApiResponse> HandleCalendar(const ApiState& state, const ApiRequest& request);
// GET /api/summary[?from=&to=&format=json|html|markdown]: the visit summary (ops/summary.h), as
// `mgadvisor summary`; html is the printable page with its "Save PDF for my doctor" button.
Result<ApiResponse> HandleSummary(const ApiState& state, const ApiRequest& request);

// {"error": {"code": ErrorCodeName(code), "message": ...}} with HttpStatusFor(code).
ApiResponse ErrorResponse(const Error& error);

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_HANDLERS_H_
