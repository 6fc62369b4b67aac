// POST /api/check: a page's health claims graded by the checker, as `mgadvisor check --json`.
#include <fmt/format.h>

#include "check/check.h"
#include "core/json_input.h"
#include "server/handlers.h"
#include "server/request_json.h"

namespace mg::server {

Result<ApiResponse> HandleCheck(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseJsonObject(request.body, "request body");
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"text"}, "request body"));
  auto text = OptionalString(*body, "text");
  if (!text.ok()) return text.error();
  if (!text->has_value()) return InvalidArgument("request body: field 'text' is required");
  auto page = check::ReadPage(**text, "text");
  if (!page.ok()) return page.error();
  return JsonResponse(check::ToJson(state.checker->Check(*page)));
}

}  // namespace mg::server
