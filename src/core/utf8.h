// The text boundary: every string that enters mgadvisor — a command-line argument, an HTTP body
// or parameter, a CSV/JSON/TOML file a person gives — must be UTF-8, or it is refused with a
// message that names where (argument, field or file:line:column) and the byte offset. Nothing
// is guessed: a Latin-1 diary is refused with the encoding it looks like and the iconv command
// that converts it, because a wrong guess would silently store wrong letters in a health record.
//
// Also the one way to quote a person's text in a message: bounded, cut on a character boundary,
// and always valid UTF-8 itself, so an error about bad bytes can be printed as JSON.
//
// Built on utfcpp (Debian libutfcpp-dev), which rejects overlong forms, surrogates and code
// points above U+10FFFF as well as stray bytes.
#ifndef MGADVISOR_CORE_UTF8_H_
#define MGADVISOR_CORE_UTF8_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mg {

// Where the first byte that does not start a valid UTF-8 sequence sits.
struct Utf8Problem {
  size_t offset = 0;  // 0-based byte offset in the text.
  size_t line = 1;    // 1-based line ('\n' ends a line).
  size_t column = 1;  // 1-based byte column on that line.
  unsigned char byte = 0;
};

// nullopt when `text` is valid UTF-8.
std::optional<Utf8Problem> FindInvalidUtf8(std::string_view text);
bool IsValidUtf8(std::string_view text);

// `text` with each invalid sequence replaced by U+FFFD, for showing text that was stored before
// the boundary existed (an old journal) instead of failing on it.
std::string ReplaceInvalidUtf8(std::string_view text);

// A short value (an argument, a field, a query parameter). Errors (kInvalidArgument):
// `<where>: byte offset 3 (0xE9) is not valid UTF-8 in "caf\xE9"`.
Status CheckUtf8(std::string_view text, std::string_view where);

// A whole document (a file or a request body) named `source`. Errors (kInvalidArgument):
// `<source>:<line>:<column>: byte offset N (0xE9) is not valid UTF-8; the text looks like
// Windows-1252 — save it as UTF-8, or convert it: iconv -f WINDOWS-1252 -t UTF-8 ...`.
Status CheckUtf8Document(std::string_view text, std::string_view source);

// Every argument after the program name. Errors name the argument's position, the argument
// before it (the option it belongs to, if any) and the byte offset.
Status CheckUtf8Arguments(int argc, const char* const* argv);

// `text` in double quotes for a message: at most `max_chars` characters, cut on a character
// boundary with "…" when longer; quotes, backslashes and control characters escaped; bytes that
// are not UTF-8 shown as \xNN. The result is always valid UTF-8.
std::string QuoteForMessage(std::string_view text, size_t max_chars = 40);

}  // namespace mg

#endif  // MGADVISOR_CORE_UTF8_H_
