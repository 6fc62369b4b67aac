// POST /api/check: a page's health claims graded by ops::CheckText, as `mgadvisor check --json`.
#include <fmt/format.h>

#include "core/json_input.h"
#include "ops/check.h"
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
  auto checked = ops::CheckText(*state.context, {std::move(**text), "text"});
  if (!checked.ok()) return checked.error();
  return JsonResponse(checked->ToJson());
}

}  // namespace mg::server
