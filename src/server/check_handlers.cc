// Handlers that read text people paste: POST /api/check (a page's health claims graded by
// ops::CheckText, as `mgadvisor check --json`) and POST /api/label (a product label read by
// ops::ReadProductLabel, as `mgadvisor label --json`).
#include <fmt/format.h>

#include "core/json_input.h"
#include "ops/check.h"
#include "ops/products.h"
#include "server/handlers.h"
#include "server/request_json.h"

namespace mg::server {

namespace {

// The body both routes take: {"text": "..."}, nothing else.
Result<std::string> TextOfBody(const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseJsonObject(request.body, "request body");
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"text"}, "request body"));
  auto text = OptionalString(*body, "text");
  if (!text.ok()) return text.error();
  if (!text->has_value()) return InvalidArgument("request body: field 'text' is required");
  return std::move(**text);
}

}  // namespace

Result<ApiResponse> HandleCheck(const ApiState& state, const ApiRequest& request) {
  auto text = TextOfBody(request);
  if (!text.ok()) return text.error();
  auto checked = ops::CheckText(*state.context, {std::move(*text), "text"});
  if (!checked.ok()) return checked.error();
  return JsonResponse(checked->ToJson());
}

Result<ApiResponse> HandleLabel(const ApiState& state, const ApiRequest& request) {
  auto text = TextOfBody(request);
  if (!text.ok()) return text.error();
  auto label = ops::ReadProductLabel(*state.context, {std::move(*text), "text"});
  if (!label.ok()) return label.error();
  return JsonResponse(label->ToJson());
}

}  // namespace mg::server
