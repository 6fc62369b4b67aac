#include "core/precompiled.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

namespace mg::precompiled {
namespace {

// One byte before every node says what it is.
enum Tag : uint8_t {
  kTable = 1,
  kArray,
  kString,
  kInteger,
  kFloat,
  kFalse,
  kTrue,
  kDate,
  kTime,
  kDateTime,
};

// Nesting deeper than any data file; a malformed form cannot recurse without bound.
constexpr int kMaxDepth = 64;

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutSigned(std::string& out, int64_t value) {  // Zigzag, so small negatives stay short.
  PutVarint(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

void PutText(std::string& out, std::string_view text) {
  PutVarint(out, text.size());
  out.append(text);
}

void PutDate(std::string& out, const toml::date& d) {
  PutVarint(out, d.year);
  PutVarint(out, d.month);
  PutVarint(out, d.day);
}

void PutTime(std::string& out, const toml::time& t) {
  PutVarint(out, t.hour);
  PutVarint(out, t.minute);
  PutVarint(out, t.second);
  PutVarint(out, t.nanosecond);
}

void EncodeNode(std::string& out, const toml::node& node);

void EncodeTable(std::string& out, const toml::table& table) {
  out.push_back(static_cast<char>(kTable));
  PutVarint(out, table.size());
  for (const auto& [key, value] : table) {
    PutText(out, key.str());
    EncodeNode(out, value);
  }
}

void EncodeNode(std::string& out, const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      EncodeTable(out, *node.as_table());
      return;
    case toml::node_type::array: {
      const toml::array& array = *node.as_array();
      out.push_back(static_cast<char>(kArray));
      PutVarint(out, array.size());
      for (const toml::node& item : array) EncodeNode(out, item);
      return;
    }
    case toml::node_type::string:
      out.push_back(static_cast<char>(kString));
      PutText(out, node.as_string()->get());
      return;
    case toml::node_type::integer:
      out.push_back(static_cast<char>(kInteger));
      PutSigned(out, node.as_integer()->get());
      return;
    case toml::node_type::floating_point: {
      out.push_back(static_cast<char>(kFloat));
      const double value = node.as_floating_point()->get();
      char bytes[sizeof value];
      std::memcpy(bytes, &value, sizeof value);
      out.append(bytes, sizeof bytes);
      return;
    }
    case toml::node_type::boolean:
      out.push_back(static_cast<char>(node.as_boolean()->get() ? kTrue : kFalse));
      return;
    case toml::node_type::date:
      out.push_back(static_cast<char>(kDate));
      PutDate(out, node.as_date()->get());
      return;
    case toml::node_type::time:
      out.push_back(static_cast<char>(kTime));
      PutTime(out, node.as_time()->get());
      return;
    case toml::node_type::date_time: {
      const toml::date_time& dt = node.as_date_time()->get();
      out.push_back(static_cast<char>(kDateTime));
      PutDate(out, dt.date);
      PutTime(out, dt.time);
      out.push_back(dt.offset ? 1 : 0);
      if (dt.offset) PutSigned(out, dt.offset->minutes);
      return;
    }
    case toml::node_type::none:
      break;
  }
  out.push_back(0);  // Never written by toml::parse; Decode rejects it.
}

// Reads a form front to back; any overrun or unknown tag makes it fail (ok() false) rather than
// read past the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }

  uint8_t Byte() {
    if (at_ >= bytes_.size()) return Fail();
    return static_cast<uint8_t>(bytes_[at_++]);
  }
  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t byte = Byte();
      if (!ok_) return 0;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail();
  }
  int64_t Signed() {
    const uint64_t zigzag = Varint();
    return static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
  }
  std::string_view Text() {
    const uint64_t size = Varint();
    if (!ok_ || size > bytes_.size() - at_) return Fail(), std::string_view();
    const std::string_view text = bytes_.substr(at_, size);
    at_ += size;
    return text;
  }
  // A count of nodes: each takes at least one byte, which bounds a corrupt count.
  size_t Count() {
    const uint64_t count = Varint();
    if (count > bytes_.size() - at_) return Fail();
    return count;
  }
  double Double() {
    double value = 0;
    if (bytes_.size() - at_ < sizeof value) return Fail();
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  template <typename T>
  T Small() {  // A date or time field, checked against its type's range.
    const uint64_t value = Varint();
    if (value > std::numeric_limits<T>::max()) return static_cast<T>(Fail());
    return static_cast<T>(value);
  }
  toml::date Date() { return {Small<uint16_t>(), Small<uint8_t>(), Small<uint8_t>()}; }
  toml::time Time() {
    toml::time t;
    t.hour = Small<uint8_t>();
    t.minute = Small<uint8_t>();
    t.second = Small<uint8_t>();
    t.nanosecond = Small<uint32_t>();
    return t;
  }
  uint64_t Fail() {
    ok_ = false;
    at_ = bytes_.size();
    return 0;
  }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

void DecodeTable(Reader& in, toml::table& table, int depth);
void DecodeArray(Reader& in, toml::array& array, int depth);

// Decodes one node's payload (its tag already read) into `Sink`: a table slot (key given) or the
// end of an array. Both sinks construct the node in place, so nothing is copied.
template <typename Emplace>
void DecodeValue(Reader& in, uint8_t tag, int depth, Emplace&& emplace) {
  if (depth > kMaxDepth) {
    in.Fail();
    return;
  }
  switch (tag) {
    case kTable:
      DecodeTable(in, *emplace(std::in_place_type<toml::table>).as_table(), depth + 1);
      return;
    case kArray:
      DecodeArray(in, *emplace(std::in_place_type<toml::array>).as_array(), depth + 1);
      return;
    case kString:
      emplace(std::in_place_type<std::string>, in.Text());
      return;
    case kInteger:
      emplace(std::in_place_type<int64_t>, in.Signed());
      return;
    case kFloat:
      emplace(std::in_place_type<double>, in.Double());
      return;
    case kFalse:
    case kTrue:
      emplace(std::in_place_type<bool>, tag == kTrue);
      return;
    case kDate:
      emplace(std::in_place_type<toml::date>, in.Date());
      return;
    case kTime:
      emplace(std::in_place_type<toml::time>, in.Time());
      return;
    case kDateTime: {
      const toml::date date = in.Date();
      const toml::time time = in.Time();
      toml::date_time dt{date, time};
      if (in.Byte() == 1) dt.offset = toml::time_offset{};
      if (dt.offset) dt.offset->minutes = static_cast<int16_t>(in.Signed());
      emplace(std::in_place_type<toml::date_time>, dt);
      return;
    }
    default:
      in.Fail();
  }
}

void DecodeTable(Reader& in, toml::table& table, int depth) {
  const size_t count = in.Count();
  for (size_t i = 0; i < count && in.ok(); ++i) {
    const std::string_view key = in.Text();
    const uint8_t tag = in.Byte();
    if (!in.ok()) return;
    // Keys were written in the table's order, so the end is the right hint: each insert is O(1).
    DecodeValue(
        in, tag, depth,
        [&]<typename T, typename... Args>(std::in_place_type_t<T>, Args&&... args) -> toml::node& {
          auto at = table.emplace_hint<T>(table.cend(), key, std::forward<Args>(args)...);
          return at->second;
        });
  }
}

void DecodeArray(Reader& in, toml::array& array, int depth) {
  const size_t count = in.Count();
  array.reserve(count);
  for (size_t i = 0; i < count && in.ok(); ++i) {
    const uint8_t tag = in.Byte();
    if (!in.ok()) return;
    DecodeValue(
        in, tag, depth,
        [&]<typename T, typename... Args>(std::in_place_type_t<T>, Args&&... args) -> toml::node& {
          return array.emplace_back<T>(std::forward<Args>(args)...);
        });
  }
}

const Entry* g_entries = nullptr;
size_t g_count = 0;
std::atomic<size_t> g_found{0};
std::atomic<size_t> g_missed{0};
const Snapshot* g_snapshots = nullptr;
size_t g_snapshot_count = 0;
thread_local bool t_text_only = false;

}  // namespace

std::string Encode(const toml::table& table) {
  std::string out;
  EncodeTable(out, table);
  return out;
}

std::optional<toml::table> Decode(std::string_view bytes) {
  Reader in(bytes);
  if (in.Byte() != kTable) return std::nullopt;
  toml::table table;
  DecodeTable(in, table, 0);
  if (!in.ok() || !in.done()) return std::nullopt;
  return table;
}

void Install(const Entry* entries, size_t count) {
  g_entries = entries;
  g_count = count;
}

bool Installed() { return g_entries != nullptr; }

std::optional<toml::table> Find(const DataFile& file) {
  auto table = [&]() -> std::optional<toml::table> {
    if (t_text_only || g_entries == nullptr) return std::nullopt;
    const Entry* end = g_entries + g_count;
    const Entry* entry = std::lower_bound(
        g_entries, end, file.name,
        [](const Entry& e, const std::string& name) { return e.name < std::string_view(name); });
    if (entry == end || entry->name != file.name || entry->text != file.content) {
      return std::nullopt;
    }
    return Decode(entry->tree);
  }();
  (table ? g_found : g_missed).fetch_add(1, std::memory_order_relaxed);
  return table;
}

void InstallSnapshots(const Snapshot* snapshots, size_t count) {
  g_snapshots = snapshots;
  g_snapshot_count = count;
}

std::optional<std::string_view> FindSnapshot(std::string_view name) {
  if (t_text_only) return std::nullopt;
  for (size_t i = 0; i < g_snapshot_count; ++i) {
    if (g_snapshots[i].name == name) {
      g_found.fetch_add(1, std::memory_order_relaxed);
      return g_snapshots[i].bytes;
    }
  }
  return std::nullopt;
}

TextOnly::TextOnly() : previous_(t_text_only) { t_text_only = true; }
TextOnly::~TextOnly() { t_text_only = previous_; }

size_t FoundCount() { return g_found.load(std::memory_order_relaxed); }
size_t MissedCount() { return g_missed.load(std::memory_order_relaxed); }

}  // namespace mg::precompiled
