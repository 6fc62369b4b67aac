#include "core/json_input.h"

#include <fmt/format.h>
#include <utf8.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>

#include "core/utf8.h"

namespace mg {
namespace {

using nlohmann::json;

// Longest field path shown in a message; deeper paths keep their first and last parts.
constexpr size_t kMaxPathSegmentsShown = 8;

// "line:column" (1-based, column in bytes) of the byte at `offset`; one past the end for EOF.
std::string Location(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return fmt::format("{}:{}", line, column);
}

// A key as a path segment: plain when it is a short identifier, else quoted (it may be anything
// a client sent: 60 KB, control characters, quotes).
std::string KeySegment(std::string_view key) {
  const bool plain =
      !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
      });
  return plain ? std::string(key) : "[" + QuoteForMessage(key) + "]";
}

// `'name'` for an ordinary key, the bounded quoted form for anything else.
std::string KeyForMessage(std::string_view key) {
  const std::string segment = KeySegment(key);
  return segment.front() == '[' ? segment.substr(1, segment.size() - 2) : "'" + segment + "'";
}

// Iterates over the text like a const char* and records how many bytes the parser has read, so
// errors found in a SAX callback (too deep, a repeated key) have a position too. nlohmann's
// parser calls start_object/start_array/key right after reading the token, before reading on.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, const char* begin, size_t* read)
      : at_(at), begin_(begin), read_(read) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    *read_ = static_cast<size_t>(at_ - begin_);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const CountingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  const char* begin_;
  size_t* read_;
};

// Builds the document from SAX events, refusing to open a container deeper than `max_depth`
// and a key given twice, and keeping the path of the value being read for messages.
class Builder final : public json::json_sax_t {
 public:
  Builder(std::string_view text, std::string_view source, size_t max_depth, const size_t* read)
      : text_(text), source_(source), max_depth_(max_depth), read_(read) {}

  bool null() override { return Put(nullptr); }
  bool boolean(bool value) override { return Put(value); }
  bool number_integer(number_integer_t value) override { return Put(value); }
  bool number_unsigned(number_unsigned_t value) override { return Put(value); }
  bool number_float(number_float_t value, const string_t& text) override {
    if (!std::isfinite(value)) return Fail(*read_, TooLarge(text));  // The lexer stops these too.
    return Put(value);
  }
  bool string(string_t& value) override { return Put(std::move(value)); }
  bool binary(binary_t&) override {
    return Fail(*read_, "binary values are not JSON");  // Only CBOR/MessagePack have them.
  }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& key) override {
    Frame& frame = frames_.back();
    // The member is made here, its value filled in when read: one search of the object per key,
    // which also finds a key given twice.
    auto [member, added] =
        frame.container->get_ref<json::object_t&>().try_emplace(std::move(key), nullptr);
    frame.key = &member->first;
    frame.has_key = true;
    if (!added) return Fail(*read_ - 1, "the field appears twice; give it once");
    frame.value = &member->second;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const json::exception& error) override {
    // `position` counts the bytes read, so the offending one is just before it (for a token
    // the parser did not expect, its last byte).
    const size_t offset = position == 0 ? 0 : position - 1;
    if (error.id == 406) return Fail(offset, TooLarge(last_token));  // out_of_range: 1e309.
    syntax_error_ = true;
    return Fail(offset, SyntaxProblem(error.what(), last_token));
  }

  json Take() { return std::move(root_); }
  const std::optional<Error>& error() const { return error_; }

 private:
  struct Frame {
    json* container;
    // Objects: the key whose value is being read, and that value's place in the object
    // (std::map nodes stay where they are).
    const std::string* key = nullptr;
    json* value = nullptr;
    bool has_key = false;
  };

  bool Put(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Frame& frame = frames_.back();
    if (frame.container->is_array()) {
      frame.container->push_back(std::move(value));
    } else {
      *frame.value = std::move(value);
      frame.has_key = false;
    }
    return true;
  }

  bool Open(json empty) {
    if (frames_.size() >= max_depth_) {
      return Fail(*read_ - 1,
                  fmt::format("nested deeper than {} arrays and objects; mgadvisor reads no "
                              "deeper documents",
                              max_depth_));
    }
    json* container = nullptr;
    if (frames_.empty()) {
      root_ = std::move(empty);
      container = &root_;
    } else {
      Frame& frame = frames_.back();
      if (frame.container->is_array()) {
        frame.container->push_back(std::move(empty));
        container = &frame.container->back();
      } else {
        container = &(*frame.value = std::move(empty));
      }
    }
    frames_.push_back({container, nullptr, nullptr, false});
    return true;
  }

  bool Close() {
    frames_.pop_back();
    if (!frames_.empty() && frames_.back().container->is_object()) frames_.back().has_key = false;
    return true;
  }

  // The path of the value being read when parsing stopped: "medicines[1].times[0]".
  std::string Path() const {
    std::vector<std::string> segments;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.container->is_array()) {
        // An outer array holds the open container as its last element; the innermost one is
        // about to get its next element.
        const size_t size = frame.container->size();
        const size_t index = i + 1 < frames_.size() && size > 0 ? size - 1 : size;
        segments.push_back(fmt::format("[{}]", index));
      } else if (frame.has_key) {
        const std::string key = KeySegment(*frame.key);
        segments.push_back(segments.empty() || key.front() == '[' ? key : "." + key);
      }
    }
    if (!segments.empty() && segments.front().starts_with(".")) segments.front().erase(0, 1);
    std::string path;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (segments.size() > kMaxPathSegmentsShown && i == 3) {
        path += "…";
        i = segments.size() - 4;
        // The segment after "…" keeps its dot: "a.b.c….x.y".
      }
      path += segments[i];
    }
    return path;
  }

  std::string TooLarge(std::string_view token) const {
    return fmt::format("{} is too large a number: numbers must be finite (at most about 1.8e308)",
                       QuoteForMessage(token));
  }

  // nlohmann's what() is "[json.exception.parse_error.101] parse error at line L, column C:
  // syntax error while parsing value - invalid literal; last read: '<token>'; expected ...".
  // The position is ours; the token is re-quoted, bounded and UTF-8-safe.
  static std::string SyntaxProblem(std::string_view what, const std::string& token) {
    std::string_view problem = what;
    if (const size_t at = problem.find("syntax error"); at != std::string_view::npos) {
      problem.remove_prefix(at);
    } else if (const size_t colon = problem.find(": "); colon != std::string_view::npos) {
      problem.remove_prefix(colon + 2);
    }
    std::string out;
    const std::string marker = "; last read: '";
    const size_t at = problem.find(marker);
    if (at == std::string_view::npos) {
      out = std::string(problem);
    } else {
      out = std::string(problem.substr(0, at));
      out += " near " + QuoteForMessage(token);
      const size_t rest = at + marker.size() + token.size() + 1;  // After the closing quote.
      if (rest < problem.size()) out += problem.substr(rest);
    }
    // The library's wording is ASCII apart from the token we replaced; make sure of it.
    return ReplaceInvalidUtf8(out);
  }

  bool Fail(size_t offset, std::string problem) {
    if (error_) return false;
    const std::string path = Path();
    std::string message = fmt::format("{}:{}: ", source_, Location(text_, offset));
    if (syntax_error_) {
      message += "not valid JSON";
      if (!path.empty()) message += " in " + path;
      message += ": " + problem;
    } else {
      message += (path.empty() ? "" : path + ": ") + problem;
    }
    error_ = InvalidArgument(std::move(message));
    return false;
  }

  std::string_view text_;
  std::string_view source_;
  size_t max_depth_;
  const size_t* read_;
  json root_;
  std::vector<Frame> frames_;
  std::optional<Error> error_;
  bool syntax_error_ = false;
};

// Writes at most about `limit` bytes of `value`'s JSON text; recursion stops with the budget,
// so even a programmatically built deep value is cheap to excerpt.
void WriteBounded(const json& value, std::string& out, size_t limit) {
  if (out.size() > limit) return;
  const auto dump = [](const json& v) {
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
  };
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (out.size() > limit) return;
        if (!first) out += ',';
        first = false;
        out += dump(json(key.substr(0, limit)));
        out += ':';
        WriteBounded(item, out, limit);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& item : value) {
        if (out.size() > limit) return;
        if (!first) out += ',';
        first = false;
        WriteBounded(item, out, limit);
      }
      out += ']';
      return;
    }
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      // Enough bytes that a longer string always ends up over the budget and gets its "…".
      out += dump(json(text.substr(0, limit + 4)));
      if (text.size() > limit + 4) out += "…";
      return;
    }
    default:
      out += dump(value);
  }
}

}  // namespace

Result<json> ParseJson(std::string_view text, std::string_view source, size_t max_depth) {
  MG_RETURN_IF_ERROR(CheckUtf8Document(text, source));
  size_t read = 0;
  Builder builder(text, source, max_depth, &read);
  const CountingIterator begin(text.data(), text.data(), &read);
  const CountingIterator end(text.data() + text.size(), text.data(), &read);
  try {
    const bool ok = json::sax_parse(begin, end, &builder);
    if (builder.error()) return *builder.error();
    if (!ok) return InvalidArgument(fmt::format("{}: not valid JSON", source));
  } catch (const json::exception& e) {
    // The SAX parser reports through parse_error(); this is a library surprise, still bad input.
    return InvalidArgument(
        fmt::format("{}: not valid JSON: {}", source, QuoteForMessage(e.what(), 200)));
  }
  return builder.Take();
}

Result<json> ParseJsonObject(std::string_view text, std::string_view source) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument(fmt::format("{}: expected a JSON object, got nothing", source));
  }
  auto document = ParseJson(text, source);
  if (!document.ok()) return document.error();
  if (!document->is_object()) {
    return InvalidArgument(
        fmt::format("{}: expected a JSON object, got {}", source, DescribeJson(*document)));
  }
  return document;
}

std::string JsonPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string JsonPath(std::string_view parent, size_t index) {
  // By hand, not with a format string: every element of every list in a request gets a path.
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::string path;
  path.reserve(parent.size() + static_cast<size_t>(end - digits) + 2);
  path.append(parent)
      .append(1, '[')
      .append(digits, static_cast<size_t>(end - digits))
      .append(1, ']');
  return path;
}

std::string JsonExcerpt(const json& value, size_t max_chars) {
  std::string text;
  WriteBounded(value, text, max_chars * 4 + 8);
  // Cut on a character boundary (the text is valid UTF-8: dump() replaced any bad byte).
  size_t chars = 0;
  auto it = text.begin();
  while (it != text.end() && chars < max_chars) {
    utf8::unchecked::next(it);
    ++chars;
  }
  if (it == text.end()) return text;
  return std::string(text.begin(), it) + "…";
}

std::string DescribeJson(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return fmt::format("a boolean ({})", value.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return fmt::format("a number ({})", JsonExcerpt(value));
    case json::value_t::string:
      return fmt::format("a string ({})", JsonExcerpt(value));
    case json::value_t::array:
      return fmt::format("an array ({})", JsonExcerpt(value));
    case json::value_t::object:
      return fmt::format("an object ({})", JsonExcerpt(value));
    default:
      return value.type_name();
  }
}

Status RejectUnknownFields(const json& object, const std::set<std::string>& known,
                           std::string_view where) {
  if (!object.is_object()) return {};
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      return InvalidArgument(
          fmt::format("{}: unknown field {}; known fields: {}", where, KeyForMessage(key), names));
    }
  }
  return {};
}

namespace {

// The field's value, or nullptr when it is absent or null.
const json* Field(const json& object, std::string_view field) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Error WrongType(std::string_view parent, std::string_view field, std::string_view expected,
                const json& found) {
  return InvalidArgument(fmt::format("{}: expected {}, got {}", JsonPath(parent, field), expected,
                                     DescribeJson(found)));
}

}  // namespace

Result<std::optional<std::string>> OptionalString(const json& object, std::string_view field,
                                                  std::string_view parent) {
  const json* value = Field(object, field);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(parent, field, "a string", *value);
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<double>> OptionalNumberField(const json& object, std::string_view field,
                                                  std::string_view parent) {
  const json* value = Field(object, field);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) return WrongType(parent, field, "a number", *value);
  const double number = value->get<double>();
  // ParseJson never yields a non-finite number; a value built elsewhere might.
  if (!std::isfinite(number)) return WrongType(parent, field, "a finite number", *value);
  return std::optional<double>(number);
}

Result<std::optional<int64_t>> OptionalIntegerField(const json& object, std::string_view field,
                                                    int64_t min, int64_t max,
                                                    std::string_view parent) {
  const json* value = Field(object, field);
  if (value == nullptr) return std::optional<int64_t>();
  // Unsigned values above int64 and floats like 3.5 are refused; 3.0 is a float in JSON too.
  if (!value->is_number_integer() ||
      (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) ||
      value->get<int64_t>() < min || value->get<int64_t>() > max) {
    return InvalidArgument(fmt::format("{}: {} is not a whole number from {} to {}",
                                       JsonPath(parent, field), JsonExcerpt(*value), min, max));
  }
  return std::optional<int64_t>(value->get<int64_t>());
}

Result<std::optional<bool>> OptionalBool(const json& object, std::string_view field,
                                         std::string_view parent) {
  const json* value = Field(object, field);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return WrongType(parent, field, "true or false", *value);
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json& object,
                                                                    std::string_view field,
                                                                    std::string_view parent) {
  using Out = std::optional<std::vector<std::string>>;
  const json* value = Field(object, field);
  if (value == nullptr) return Out();
  if (!value->is_array()) return WrongType(parent, field, "an array of strings", *value);
  std::vector<std::string> out;
  for (size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (!item.is_string()) {
      return InvalidArgument(fmt::format("{}: expected a string, got {}",
                                         JsonPath(JsonPath(parent, field), i), DescribeJson(item)));
    }
    out.push_back(item.get<std::string>());
  }
  return Out(std::move(out));
}

}  // namespace mg
