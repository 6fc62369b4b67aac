// Private to mg_server: reading requests and writing JSON responses the same way in every
// handler, so every bad input gets the same shape of message (field, value, what was expected).
#ifndef MGADVISOR_SERVER_REQUEST_JSON_H_
#define MGADVISOR_SERVER_REQUEST_JSON_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.h"
#include "journal/journal.h"
#include "server/handlers.h"

namespace mg::server {

// Pretty-printed with a trailing newline; invalid UTF-8 (only ever inside an error message that
// quotes the request) is replaced rather than thrown on.
std::string Serialise(const nlohmann::json& document);
ApiResponse JsonResponse(const nlohmann::json& document, int status = 200);
nlohmann::json OptionalNumber(const std::optional<double>& value);

// The body as a JSON object. Errors name the offset of a syntax error or the type found.
Result<nlohmann::json> ParseObject(const std::string& body);
// kInvalidArgument naming the first field not in `known`, and listing the known ones.
Status RejectUnknownFields(const nlohmann::json& object, const std::set<std::string>& known,
                           std::string_view where);
Status RejectUnknownParameters(const ApiRequest& request, const std::set<std::string>& known);
// An optional string field; errors name the field and the type found.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                  const std::string& field);
// An optional finite number field; errors name the field and the value found.
Result<std::optional<double>> OptionalNumberField(const nlohmann::json& object,
                                                  const std::string& field);
// An optional whole-number field within [min, max]; errors name the field, the value and the range.
Result<std::optional<int64_t>> OptionalIntegerField(const nlohmann::json& object,
                                                    const std::string& field, int64_t min,
                                                    int64_t max);
// A YYYY-MM-DD date in a string field or query parameter; errors name `field` and the value.
Result<journal::Date> ParseDateField(const std::string& field, const std::string& text);
std::optional<std::string> Parameter(const ApiRequest& request, const std::string& name);
// "true"/"1"/"" → true, absent/"false"/"0" → false, anything else an error naming the parameter.
Result<bool> BoolParameter(const ApiRequest& request, const std::string& name);

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_REQUEST_JSON_H_
