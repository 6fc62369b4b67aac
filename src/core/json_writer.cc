#include "core/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/utf8.h"

namespace mg {
namespace {

constexpr int kIndent = 2;  // nlohmann::json::dump(2).

// True for the bytes nlohmann::json escapes when ensure_ascii is off: the quote, the backslash and
// the control characters.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The position of the first byte at or after `from` that must be escaped (text.size() when
// none), and in `high` whether a byte above 0x7F was passed (the text then needs the UTF-8
// check). Eight bytes at a time: a plan is ~16 KB of text and this is its hottest loop.
size_t NextToEscape(std::string_view text, size_t from, bool& high) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  // Whether any byte of x is zero, or below n: exact for the word as a whole whatever the bytes.
  auto has_below = [](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, sizeof x);
    if ((has_below(x, 0x20) | has_below(x ^ (kOnes * '"'), 1) | has_below(x ^ (kOnes * '\\'), 1)) !=
        0) {
      break;
    }
    high = high || (x & kHigh) != 0;
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (NeedsEscape(c)) break;
    high = high || c >= 0x80;
  }
  return i;
}

void AppendEscaped(std::string& out, std::string_view text) {
  const size_t start = out.size();
  bool high = false;
  out += '"';
  for (size_t i = 0;;) {
    const size_t next = NextToEscape(text, i, high);
    out.append(text.data() + i, next - i);
    if (next == text.size()) break;
    switch (const auto c = static_cast<unsigned char>(text[next])) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
    i = next + 1;
  }
  out += '"';
  if (high && !IsValidUtf8(text)) {
    // Rare (text stored before the UTF-8 boundary): the tree writer's own replacement.
    out.resize(start);
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

void JsonWriter::NewLine() {
  out_ += '\n';
  out_.append(levels_.size() * kIndent, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;  // The document itself.
  Level& level = levels_.back();
  assert(!level.object && "a value in an object needs its Key() first");
  if (!level.empty) out_ += ',';
  level.empty = false;
  NewLine();
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  levels_.push_back(Level{.object = true, .empty = true, .last_key = {}});
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  levels_.push_back(Level{.object = false, .empty = true, .last_key = {}});
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  assert(!levels_.empty() && levels_.back().object && !after_key_);
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) NewLine();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  assert(!levels_.empty() && !levels_.back().object);
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) NewLine();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!levels_.empty() && levels_.back().object && !after_key_);
  Level& level = levels_.back();
#ifndef NDEBUG
  // nlohmann::json's objects are std::maps: members in key order, or the bytes would differ.
  assert((level.empty || level.last_key < key) && "keys must come in ascending byte order");
  level.last_key = key;
#endif
  if (!level.empty) out_ += ',';
  level.empty = false;
  NewLine();
  AppendEscaped(out_, key);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendEscaped(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  BeforeValue();
  // nlohmann::json prints a whole number below 10^15 as its digits and ".0"; other values in its
  // shortest round-trip form, which it alone defines exactly, so it writes those.
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15 &&
      !(value == 0 && std::signbit(value))) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(value)).ptr;
    out_.append(digits, end);
    out_ += ".0";
  } else {
    out_ += nlohmann::json(value).dump();
  }
  return *this;
}

JsonWriter& JsonWriter::Number(const std::optional<double>& value) {
  return value ? Number(*value) : Null();
}

JsonWriter& JsonWriter::Integer(int64_t value) {
  BeforeValue();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::StringOrNull(const std::optional<std::string_view>& value) {
  return value ? String(*value) : Null();
}

JsonWriter& JsonWriter::Strings(const std::vector<std::string>& values) {
  BeginArray();
  for (const auto& value : values) String(value);
  return EndArray();
}

JsonWriter& JsonWriter::Json(const nlohmann::json& value) {
  BeforeValue();
  const std::string text =
      value.dump(kIndent, ' ', false, nlohmann::json::error_handler_t::replace);
  // Strings hold no raw line breaks (they are escaped), so every '\n' is the tree's own: indent
  // what follows it to this depth.
  const std::string indent(levels_.size() * kIndent, ' ');
  size_t start = 0;
  for (size_t newline; (newline = text.find('\n', start)) != std::string::npos;
       start = newline + 1) {
    out_.append(text, start, newline + 1 - start);
    out_ += indent;
  }
  out_.append(text, start, text.size() - start);
  return *this;
}

}  // namespace mg
