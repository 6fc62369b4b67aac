// The journal routes: profile, entries, food logging, intake, export and n-of-1 trials, over
// request.journal (the person's own journal, opened by the dispatcher).
#include <fmt/format.h>

#include "server/handlers.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

Result<ApiResponse> NotYet(const char* what) {
  return Error{ErrorCode::kInternal, fmt::format("{}: not implemented yet", what)};
}

}  // namespace

Result<ApiResponse> HandleKbList(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/kb/{kind}");
}
Result<ApiResponse> HandleGetProfile(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/profile");
}
Result<ApiResponse> HandlePutProfile(const ApiState&, const ApiRequest&) {
  return NotYet("PUT /api/profile");
}
Result<ApiResponse> HandleListEntries(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/journal/entries");
}
Result<ApiResponse> HandleAddEntry(const ApiState&, const ApiRequest&) {
  return NotYet("POST /api/journal/entries");
}
Result<ApiResponse> HandleDeleteEntry(const ApiState&, const ApiRequest&) {
  return NotYet("DELETE /api/journal/entries/{id}");
}
Result<ApiResponse> HandleLogFood(const ApiState&, const ApiRequest&) {
  return NotYet("POST /api/journal/foods");
}
Result<ApiResponse> HandleIntake(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/intake");
}
Result<ApiResponse> HandleExport(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/journal/export");
}
Result<ApiResponse> HandleCreateTrial(const ApiState&, const ApiRequest&) {
  return NotYet("POST /api/trials");
}
Result<ApiResponse> HandleCurrentTrial(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/trials/current");
}
Result<ApiResponse> HandleTrialReport(const ApiState&, const ApiRequest&) {
  return NotYet("GET /api/trials/current/report");
}

}  // namespace mg::server
