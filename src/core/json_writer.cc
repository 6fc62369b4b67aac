#include "core/json_writer.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/utf8.h"

namespace mg {
namespace {

constexpr int kIndent = 2;  // nlohmann::json::dump(2).

// True for the bytes nlohmann::json escapes when ensure_ascii is off: the quote, the backslash and
// the control characters.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The position of the first byte at or after `from` that must be escaped (text.size() when
// none), and in `high` whether a byte above 0x7F was passed (the text then needs the UTF-8
// check). A plan is ~16 KB of text and this is its hottest loop, so it looks at sixteen bytes at
// a time with SSE2 (every x86-64 has it), else eight at a time in a plain word.
size_t NextToEscape(std::string_view text, size_t from, bool& high) {
  size_t i = from;
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1F);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // A byte is a control character when min(byte, 0x1F) == byte (unsigned).
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                     _mm_cmpeq_epi8(_mm_min_epu8(x, below_space), x));
    if (_mm_movemask_epi8(special) != 0) break;
    high = high || _mm_movemask_epi8(x) != 0;  // The top bit of each byte.
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  // Whether any byte of x is zero, or below n: exact for the word as a whole whatever the bytes.
  auto has_below = [](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
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

// Texts up to this long, and their quotes, are written with one append (most are ids and
// names: the calls, not the bytes, were the cost).
constexpr size_t kShortText = 96;

void AppendEscaped(std::string& out, std::string_view text) {
  bool high = false;
  size_t next = NextToEscape(text, 0, high);
  if (next == text.size() && !high) {  // Nothing to escape or check: the common case.
    if (text.size() <= kShortText) {
      char quoted[kShortText + 2];
      quoted[0] = '"';
      std::memcpy(quoted + 1, text.data(), text.size());
      quoted[text.size() + 1] = '"';
      out.append(quoted, text.size() + 2);
    } else {
      out += '"';
      out.append(text);
      out += '"';
    }
    return;
  }
  const size_t start = out.size();
  out += '"';
  for (size_t i = 0;;) {
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
    next = NextToEscape(text, i, high);
  }
  out += '"';
  if (high && !IsValidUtf8(text)) {
    // Rare (text stored before the UTF-8 boundary): the tree writer's own replacement.
    out.resize(start);
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// A line break and the indentation of up to kMaxBreakDepth levels, appended in one piece.
constexpr size_t kMaxBreakDepth = 32;
constexpr std::string_view kBreak =
    "\n                                                                ";
static_assert(kBreak.size() == 1 + kMaxBreakDepth * kIndent);

}  // namespace

void JsonWriter::NewLine() {
  if (levels_.size() <= kMaxBreakDepth) {
    out_.append(kBreak.data(), 1 + levels_.size() * kIndent);
  } else {
    out_ += '\n';
    out_.append(levels_.size() * kIndent, ' ');
  }
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

bool JsonWriter::StartMember([[maybe_unused]] std::string_view key) {
  assert(!levels_.empty() && levels_.back().object && !after_key_);
  Level& level = levels_.back();
#ifndef NDEBUG
  // nlohmann::json's objects are std::maps: members in key order, or the bytes would differ.
  assert((level.empty || level.last_key < key) && "keys must come in ascending byte order");
  level.last_key = key;
#endif
  const bool first = level.empty;
  level.empty = false;
  after_key_ = true;
  return first;
}

JsonWriter& JsonWriter::Key(JsonKey key) {
  const bool first = StartMember(key.text());
  if (levels_.size() > kMaxBreakDepth) {
    if (!first) out_ += ',';
    NewLine();
    AppendEscaped(out_, key.text());  // Nothing to escape: the quotes.
    out_ += ": ";
    return *this;
  }
  // The separator, line break, indentation and quoted key in one append. The break and the key
  // are copied whole at their fixed sizes (a copy the compiler inlines) and then cut to what
  // counts, by where the next part starts.
  char line[1 + kBreak.size() + 1 + JsonKey::kMaxSize + 3];
  line[0] = ',';
  size_t n = first ? 0 : 1;
  std::memcpy(line + n, kBreak.data(), kBreak.size());
  n += 1 + levels_.size() * kIndent;
  line[n++] = '"';
  std::memcpy(line + n, key.padded(), JsonKey::kMaxSize);
  n += key.text().size();
  std::memcpy(line + n, "\": ", 3);
  out_.append(line, n + 3);
  return *this;
}

JsonWriter& JsonWriter::DataKey(std::string_view key) {
  const bool first = StartMember(key);
  if (!first) out_ += ',';
  NewLine();
  AppendEscaped(out_, key);
  out_ += ": ";
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendEscaped(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {  // As nlohmann::json dumps them.
    out_ += "null";
    return *this;
  }
  char digits[64];
  // A whole number below 10^15 prints as its digits and ".0", as nlohmann::json prints it.
  if (value == std::trunc(value) && std::fabs(value) < 1e15 &&
      !(value == 0 && std::signbit(value))) {
    const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(value)).ptr;
    out_.append(digits, end);
    out_ += ".0";
    return *this;
  }
  // Other values: nlohmann::json's own conversion (grisu2), which its dump calls for every
  // double: the same bytes, without a serializer and a string per number.
  out_.append(digits, nlohmann::detail::to_chars(digits, digits + sizeof digits, value));
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
  AppendIndentedAgain(value.dump(kIndent, ' ', false, nlohmann::json::error_handler_t::replace), 0);
  return *this;
}

void JsonWriter::AppendIndentedAgain(std::string_view text, size_t depth) {
  // Strings hold no raw line breaks (they are escaped), so every '\n' is the layout's own, and
  // `depth` levels of indentation follow it.
  const size_t old_indent = depth * kIndent;
  const std::string indent(levels_.size() * kIndent, ' ');
  size_t start = 0;
  for (size_t newline; (newline = text.find('\n', start)) != std::string_view::npos;) {
    out_.append(text, start, newline + 1 - start);
    out_ += indent;
    start = std::min(text.size(), newline + 1 + old_indent);
  }
  out_.append(text, start, text.size() - start);
}

JsonFragment JsonWriter::Prewrite(size_t depth, const std::function<void(JsonWriter&)>& write) {
  JsonFragment fragment{.text = {}, .depth = depth};
  JsonWriter w(fragment.text);
  // The levels the value sits in; as after a key, the value starts at once (the document that
  // places it writes its separator and line break).
  w.levels_.assign(depth, Level{.object = false, .empty = false, .last_key = {}});
  w.after_key_ = true;
  write(w);
  assert(w.levels_.size() == depth && !w.after_key_ && "Prewrite writes exactly one value");
  return fragment;
}

JsonWriter& JsonWriter::Fragment(const JsonFragment& fragment) {
  BeforeValue();
  if (fragment.depth == levels_.size()) {
    out_ += fragment.text;
  } else {
    AppendIndentedAgain(fragment.text, fragment.depth);
  }
  return *this;
}

}  // namespace mg
