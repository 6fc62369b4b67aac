#include "server/request_json.h"

#include <fmt/format.h>

#include <cstdint>

namespace mg::server {

using nlohmann::json;

std::string Serialise(const json& document) {
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

ApiResponse JsonResponse(const json& document, int status) { return {status, Serialise(document)}; }

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// Parses a request body that must be a JSON object. Errors name the offset of a syntax error.
Result<json> ParseObject(const std::string& body) {
  if (body.empty()) return InvalidArgument("request body: expected a JSON object, got nothing");
  json document;
  try {
    document = json::parse(body);
  } catch (const json::parse_error& e) {  // A library exception, turned into an Error here.
    return InvalidArgument(fmt::format("request body: not valid JSON: {}", e.what()));
  }
  if (!document.is_object()) {
    return InvalidArgument(
        fmt::format("request body: expected a JSON object, got {}", document.type_name()));
  }
  return document;
}

Status RejectUnknownFields(const json& object, const std::set<std::string>& known,
                           std::string_view where) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      return InvalidArgument(
          fmt::format("{}: unknown field '{}'; known fields: {}", where, key, names));
    }
  }
  return {};
}

Status RejectUnknownParameters(const ApiRequest& request, const std::set<std::string>& known) {
  for (const auto& [key, value] : request.query) {
    if (!known.contains(key)) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      return InvalidArgument(
          fmt::format("query: unknown parameter '{}'; known parameters: {}", key, names));
    }
  }
  return {};
}

// An optional string field; errors name the field and the type found.
Result<std::optional<std::string>> OptionalString(const json& object, const std::string& field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return InvalidArgument(
        fmt::format("{}: expected a string, got {} {}", field, it->type_name(), it->dump()));
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<double>> OptionalNumberField(const json& object, const std::string& field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<double>();
  if (!it->is_number()) {
    return InvalidArgument(
        fmt::format("{}: expected a number, got {} {}", field, it->type_name(), it->dump()));
  }
  return std::optional<double>(it->get<double>());
}

Result<std::optional<int64_t>> OptionalIntegerField(const json& object, const std::string& field,
                                                    int64_t min, int64_t max) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<int64_t>();
  // Unsigned values above int64 and floats like 3.5 are refused; 3.0 is a float in JSON too.
  if (!it->is_number_integer() ||
      (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) ||
      it->get<int64_t>() < min || it->get<int64_t>() > max) {
    return InvalidArgument(
        fmt::format("{}: {} is not a whole number from {} to {}", field, it->dump(), min, max));
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<journal::Date> ParseDateField(const std::string& field, const std::string& text) {
  const auto date = journal::ParseDate(text);
  if (!date) {
    return InvalidArgument(fmt::format("{}: \"{}\" is not a YYYY-MM-DD date", field, text));
  }
  return *date;
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
