// A binary form for loaded structures, so a program can link a module's data already loaded
// (issue 20: turning the precompiled TOML trees into the knowledge base was 40 % of `plan`'s
// start-up) instead of reading and checking it again at every start.
//
// A struct takes part by declaring, beside itself, which members make it up, in one function
// found by argument-dependent lookup:
//
//   template <typename A> void Fields(A& a, Citation& c) { a(c.id, c.authors, c.year, ...); }
//
// The same list writes and reads (archive::Encode / archive::Decode), so the two cannot drift.
// A member left out of the list is simply not kept: pair every such struct with a defaulted
// operator== and check Decode(Encode(x)) == x on real data (the data compiler does, at build
// time), so a forgotten member fails the build instead of silently becoming empty.
//
// Members may be strings, bools, integers, floats, doubles, enums, std::optional, std::vector,
// std::pair, std::map, std::unordered_map and other structs with Fields. A struct that points into
// another structure kept elsewhere (the checker's data points into the knowledge base) keeps each
// pointer as a position in that structure: Encode and Decode take it as their `context`, and
// Fields writes the pointer with archive::Pointer. The form is this build's
// own: no version, no stability promise; it is written and read by the same binary's code. Decode
// is bounds-checked all the same, so a damaged form fails (nullopt) instead of reading past its
// end.
#ifndef MGADVISOR_CORE_ARCHIVE_H_
#define MGADVISOR_CORE_ARCHIVE_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mg::archive {

class Writer;

template <typename T>
concept HasFields = requires(Writer& writer, T& value) {
  Fields(writer, value);
};
// Integers other than bool (which is one byte of its own).
template <typename T>
concept Integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <typename T>
concept Enum = std::is_enum_v<T>;

class Writer {
 public:
  static constexpr bool kReading = false;
  explicit Writer(const void* context = nullptr) : context_(context) {}
  // What Encode was given to resolve pointers against (nullptr when nothing).
  const void* context() const { return context_; }

  template <typename... T>
  void operator()(const T&... values) {
    (Put(values), ...);
  }
  std::string& bytes() { return bytes_; }

 private:
  void Varint(uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<char>(value));
  }
  void Put(const std::string& text) {
    Varint(text.size());
    bytes_.append(text);
  }
  void Put(bool value) { bytes_.push_back(value ? 1 : 0); }
  void Put(double value) { Raw(value); }
  void Put(float value) { Raw(value); }
  template <typename T>
  void Raw(T value) {
    char raw[sizeof value];
    std::memcpy(raw, &value, sizeof value);
    bytes_.append(raw, sizeof raw);
  }
  template <Integer T>
  void Put(T value) {  // Zigzag, so small negatives stay short.
    const auto wide = static_cast<int64_t>(value);
    Varint((static_cast<uint64_t>(wide) << 1) ^ static_cast<uint64_t>(wide >> 63));
  }
  template <Enum E>
  void Put(E value) {
    Put(static_cast<std::underlying_type_t<E>>(value));
  }
  template <typename T>
  void Put(const std::optional<T>& value) {
    Put(value.has_value());
    if (value) Put(*value);
  }
  template <typename T>
  void Put(const std::vector<T>& values) {
    Varint(values.size());
    for (const T& value : values) Put(value);
  }
  template <typename A, typename B>
  void Put(const std::pair<A, B>& pair) {
    Put(pair.first);
    Put(pair.second);
  }
  template <typename K, typename V, typename C>
  void Put(const std::map<K, V, C>& map) {
    Varint(map.size());
    for (const auto& [key, value] : map) {
      Put(key);
      Put(value);
    }
  }
  template <typename K, typename V, typename H, typename E>
  void Put(const std::unordered_map<K, V, H, E>& map) {
    Varint(map.size());
    for (const auto& [key, value] : map) {
      Put(key);
      Put(value);
    }
  }
  template <HasFields T>
  void Put(const T& value) {
    // Fields() takes its struct by non-const reference so one list serves reading too; writing
    // only reads the members.
    Fields(*this, const_cast<T&>(value));
  }

  std::string bytes_;
  const void* context_;
};

class Reader {
 public:
  static constexpr bool kReading = true;
  explicit Reader(std::string_view bytes, const void* context = nullptr)
      : bytes_(bytes), context_(context) {}
  const void* context() const { return context_; }

  template <typename... T>
  void operator()(T&... values) {
    (Get(values), ...);
  }
  // True when every read so far stayed inside the bytes.
  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }
  // For a Fields function that read a value it cannot take (a position outside its list): the
  // whole Decode fails, as for bytes that run short.
  void Refuse() { Fail(); }

 private:
  uint64_t Fail() {
    ok_ = false;
    at_ = bytes_.size();
    return 0;
  }
  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= bytes_.size()) return Fail();
      const auto byte = static_cast<uint8_t>(bytes_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail();
  }
  // A count of items: each takes at least one byte, which bounds a damaged count.
  size_t Count() {
    const uint64_t count = Varint();
    return count > bytes_.size() - at_ ? Fail() : count;
  }
  void Get(std::string& text) {
    const uint64_t size = Varint();
    if (size > bytes_.size() - at_) return static_cast<void>(Fail());
    // Constructed whole and moved in: assign() takes string's general replace path, which cost a
    // start-up ~40 instructions more for each of the ~5,000 texts a command decodes (issue 20).
    text = std::string(bytes_.data() + at_, size);
    at_ += size;
  }
  void Get(bool& value) {
    if (at_ >= bytes_.size()) return static_cast<void>(Fail());
    value = bytes_[at_++] != 0;
  }
  void Get(double& value) { Raw(value); }
  void Get(float& value) { Raw(value); }
  template <typename T>
  void Raw(T& value) {
    if (bytes_.size() - at_ < sizeof value) return static_cast<void>(Fail());
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
  }
  template <Integer T>
  void Get(T& value) {
    const uint64_t zigzag = Varint();
    value = static_cast<T>(static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1));
  }
  template <Enum E>
  void Get(E& value) {
    std::underlying_type_t<E> raw{};
    Get(raw);
    value = static_cast<E>(raw);
  }
  template <typename T>
  void Get(std::optional<T>& value) {
    bool present = false;
    Get(present);
    if (!present) return value.reset();
    Get(value.emplace());
  }
  template <typename T>
  void Get(std::vector<T>& values) {
    const size_t count = Count();
    values.clear();
    values.reserve(count);
    for (size_t i = 0; i < count && ok_; ++i) Get(values.emplace_back());
  }
  template <typename A, typename B>
  void Get(std::pair<A, B>& pair) {
    Get(pair.first);
    Get(pair.second);
  }
  template <typename K, typename V, typename C>
  void Get(std::map<K, V, C>& map) {
    const size_t count = Count();
    map.clear();
    for (size_t i = 0; i < count && ok_; ++i) {
      K key{};
      Get(key);
      Get(map.try_emplace(map.end(), std::move(key))->second);  // Written in order: O(1) each.
    }
  }
  template <typename K, typename V, typename H, typename E>
  void Get(std::unordered_map<K, V, H, E>& map) {
    const size_t count = Count();
    map.clear();
    map.reserve(count);
    for (size_t i = 0; i < count && ok_; ++i) {
      K key{};
      Get(key);
      Get(map[std::move(key)]);
    }
  }
  template <HasFields T>
  void Get(T& value) {
    Fields(*this, value);
  }

  std::string_view bytes_;
  const void* context_;
  size_t at_ = 0;
  bool ok_ = true;
};

// A pointer into `list` (part of the context, not of the archive), kept as its position there, or
// -1 for nullptr. Reading a position outside the list refuses the whole Decode.
template <typename A, typename T>
void Pointer(A& a, const T*& pointer, const std::vector<T>& list) {
  if constexpr (A::kReading) {
    int64_t position = 0;
    a(position);
    if (position == -1) {
      pointer = nullptr;
    } else if (position < 0 || static_cast<uint64_t>(position) >= list.size()) {
      a.Refuse();
    } else {
      pointer = &list[static_cast<size_t>(position)];
    }
  } else {
    const int64_t position = pointer == nullptr ? -1 : pointer - list.data();
    a(position);
  }
}

// A vector of pointers into `list`, the same way.
template <typename A, typename T>
void Pointers(A& a, std::vector<const T*>& pointers, const std::vector<T>& list) {
  std::vector<int64_t> positions;
  if constexpr (A::kReading) {
    a(positions);  // A vector's count is bounded by the bytes left, as for any other.
    pointers.assign(positions.size(), nullptr);
    for (size_t i = 0; i < positions.size() && a.ok(); ++i) {
      const int64_t position = positions[i];
      if (position == -1) continue;
      if (position < 0 || static_cast<uint64_t>(position) >= list.size()) return a.Refuse();
      pointers[i] = &list[static_cast<size_t>(position)];
    }
  } else {
    positions.reserve(pointers.size());
    for (const T* pointer : pointers) {
      positions.push_back(pointer == nullptr ? -1 : pointer - list.data());
    }
    a(positions);
  }
}

// The binary form of `value`.
template <typename T>
std::string Encode(const T& value, const void* context = nullptr) {
  Writer writer(context);
  writer(value);
  return std::move(writer.bytes());
}

// The value Encode wrote; nullopt when `bytes` runs short or has bytes left over.
template <typename T>
std::optional<T> Decode(std::string_view bytes, const void* context = nullptr) {
  Reader reader(bytes, context);
  std::optional<T> value(std::in_place);
  reader(*value);
  if (!reader.ok() || !reader.done()) return std::nullopt;
  return value;
}

}  // namespace mg::archive

#endif  // MGADVISOR_CORE_ARCHIVE_H_
