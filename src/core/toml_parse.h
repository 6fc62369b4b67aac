// Parsing TOML with one error format, so every loader reports syntax errors as
// "file:line: message" the same way.
#ifndef MGADVISOR_CORE_TOML_PARSE_H_
#define MGADVISOR_CORE_TOML_PARSE_H_

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "core/data_files.h"
#include "core/error.h"

namespace mg {

// Parses `text`; `name` is used in messages. A syntax error becomes an Error with `code`
// (kDataError for the project's data files, kInvalidArgument for a user's file).
Result<toml::table> ParseToml(std::string_view text, const std::string& name,
                              ErrorCode code = ErrorCode::kDataError);
inline Result<toml::table> ParseToml(const DataFile& file) {
  return ParseToml(file.content, file.name);
}

}  // namespace mg

#endif  // MGADVISOR_CORE_TOML_PARSE_H_
