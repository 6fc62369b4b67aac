#include "server/request_json.h"

#include <fmt/format.h>

#include <cstdint>

#include "core/utf8.h"

namespace mg::server {

using nlohmann::json;

std::string Serialise(const json& document) {
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

ApiResponse JsonResponse(const json& document, int status) { return {status, Serialise(document)}; }

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

Result<json> ParseObject(const std::string& body) { return ParseJsonObject(body, "request body"); }

Status RejectUnknownParameters(const ApiRequest& request, const std::set<std::string>& known) {
  // Every handler starts here, so this is where a query or path that is not UTF-8 stops.
  MG_RETURN_IF_ERROR(CheckUtf8(request.path_argument, "path"));
  for (const auto& [key, value] : request.query) {
    MG_RETURN_IF_ERROR(CheckUtf8(key, "query"));
    MG_RETURN_IF_ERROR(CheckUtf8(value, "query: " + key));
    if (!known.contains(key)) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      return InvalidArgument(
          fmt::format("query: unknown parameter '{}'; known parameters: {}", key, names));
    }
  }
  return {};
}

Result<journal::Date> ParseDateField(const std::string& field, const std::string& text) {
  const auto date = journal::ParseDate(text);
  if (!date) {
    return InvalidArgument(
        fmt::format("{}: {} is not a YYYY-MM-DD date", field, QuoteForMessage(text)));
  }
  return *date;
}

Result<std::optional<journal::Date>> OptionalDateField(const nlohmann::json& body,
                                                       const std::string& field) {
  auto text = OptionalString(body, field);
  if (!text.ok()) return text.error();
  if (!*text) return std::optional<journal::Date>();
  auto date = ParseDateField(field, **text);
  if (!date.ok()) return date.error();
  return std::optional<journal::Date>(*date);
}

std::optional<std::string> Parameter(const ApiRequest& request, const std::string& name) {
  const auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

Result<bool> BoolParameter(const ApiRequest& request, const std::string& name) {
  const auto value = Parameter(request, name);
  if (!value || *value == "false" || *value == "0") return false;
  if (*value == "true" || *value == "1" || value->empty()) return true;
  return InvalidArgument(fmt::format("{}: '{}' is not true or false", name, *value));
}

}  // namespace mg::server
