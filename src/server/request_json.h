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
#include "core/json_input.h"
#include "journal/journal.h"
#include "server/handlers.h"

namespace mg::server {

// Pretty-printed with a trailing newline; invalid UTF-8 (only ever inside an error message that
// quotes the request) is replaced rather than thrown on.
std::string Serialise(const nlohmann::json& document);
ApiResponse JsonResponse(const nlohmann::json& document, int status = 200);
nlohmann::json OptionalNumber(const std::optional<double>& value);

// The body as a JSON object, read by core/json_input.h (depth limit, finite numbers, errors
// with line, column and field path). The typed field accessors (OptionalString,
// OptionalNumberField, OptionalIntegerField, RejectUnknownFields) come from there too.
Result<nlohmann::json> ParseObject(const std::string& body);
// Every handler calls this first: the path argument and every query key and value must be UTF-8
// (core/utf8.h), and every query key in `known`. Errors (kInvalidArgument) name the parameter.
Status RejectUnknownParameters(const ApiRequest& request, const std::set<std::string>& known);
// A YYYY-MM-DD date in a string field or query parameter; errors name `field` and the value.
Result<journal::Date> ParseDateField(const std::string& field, const std::string& text);
// The optional date field `field` of a body object: nullopt when absent; errors name the field.
Result<std::optional<journal::Date>> OptionalDateField(const nlohmann::json& body,
                                                       const std::string& field);
std::optional<std::string> Parameter(const ApiRequest& request, const std::string& name);
// "true"/"1"/"" → true, absent/"false"/"0" → false, anything else an error naming the parameter.
Result<bool> BoolParameter(const ApiRequest& request, const std::string& name);

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_REQUEST_JSON_H_
