#include "core/toml_parse.h"

#include <fmt/format.h>

namespace mg {

Result<toml::table> ParseToml(std::string_view text, const std::string& name, ErrorCode code) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Error{code, fmt::format("{}:{}: {}", name, e.source().begin.line, e.description())};
  }
}

}  // namespace mg
