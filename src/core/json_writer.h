// JsonWriter: JSON text written as it is produced, byte for byte what nlohmann::json's dump(2)
// gives for the same document — without building the tree first. For the documents a request
// answers with on every call (a plan is ~16 KB, mostly fixed text): building and destroying a
// tree of small maps and strings and escaping it byte by byte cost more than the plan itself
// (issue 20).
//
//   std::string text;
//   JsonWriter w(text);
//   w.BeginObject();
//   w.Key("dose_mg").Number(200.0);
//   w.Key("forms").BeginArray();
//   w.String("citrate");
//   w.EndArray();
//   w.EndObject();  // text == nlohmann::json{{"dose_mg", 200.0}, {"forms", {"citrate"}}}.dump(2)
//
// nlohmann::json keeps an object's members in std::map order, so keys must come in ascending
// byte order; debug builds check it. Integers (an int member) and doubles print differently
// ("3" and "3.0"), as in nlohmann::json. A string that is not valid UTF-8 is written as the
// server's dump writes it (each bad sequence replaced by U+FFFD).
#ifndef MGADVISOR_CORE_JSON_WRITER_H_
#define MGADVISOR_CORE_JSON_WRITER_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

// One value's JSON text written ahead of time (JsonWriter::Prewrite) for the nesting depth where
// documents place it, so that each document copies it instead of writing it again: the parts of
// a plan that are fixed knowledge-base text (issue 20).
struct JsonFragment {
  std::string text;
  size_t depth = 0;
};

// A member's key written in the code, checked when the program is compiled: plain ASCII with
// nothing to escape, at most kMaxSize characters (a key that is not fails to compile). It is
// kept in a buffer of fixed size, so writing one is a few copies of fixed size: a plan has ~100
// keys (issue 20).
class JsonKey {
 public:
  static constexpr size_t kMaxSize = 48;

  template <size_t N>
  consteval JsonKey(const char (&text)[N])  // NOLINT(google-explicit-constructor): w.Key("id").
      : size_(N - 1) {
    if (N - 1 > kMaxSize) throw "a JSON key in the code must be at most kMaxSize characters";
    for (size_t i = 0; i + 1 < N; ++i) {
      const char c = text[i];
      if (c < 0x20 || c == '"' || c == '\\' || static_cast<unsigned char>(c) >= 0x80) {
        throw "a JSON key in the code must be plain ASCII with nothing to escape";
      }
      padded_[i] = c;
    }
  }
  std::string_view text() const { return {padded_, size_}; }
  // kMaxSize bytes: the text, then zeros.
  const char* padded() const { return padded_; }

 private:
  char padded_[kMaxSize] = {};
  size_t size_;
};

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next member's key; REQUIRES: inside an object, after the previous member's key in byte
  // order. Key() for keys written in the code, DataKey() for keys that come from data (escaped
  // as they need).
  JsonWriter& Key(JsonKey key);
  JsonWriter& DataKey(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);  // As a double: 200 prints "200.0".
  JsonWriter& Integer(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // nullopt prints null.
  JsonWriter& Number(const std::optional<double>& value);
  JsonWriter& StringOrNull(const std::optional<std::string_view>& value);
  JsonWriter& Strings(const std::vector<std::string>& values);  // An array of strings.
  // A document built elsewhere as a tree, placed here at the current depth.
  JsonWriter& Json(const nlohmann::json& value);

  // The one value `write` writes, as it reads `depth` levels deep in a document.
  static JsonFragment Prewrite(size_t depth, const std::function<void(JsonWriter&)>& write);
  // A prewritten value as the next value: copied whole when written for this depth, else
  // indented again for this depth (the same bytes writing it here would give).
  JsonWriter& Fragment(const JsonFragment& fragment);

 private:
  // Before a value: the separator and indentation an array element needs (a member's value
  // follows its key directly).
  void BeforeValue();
  void NewLine();
  // `text` written at `depth` levels, placed at the current depth.
  void AppendIndentedAgain(std::string_view text, size_t depth);
  // Checks the key's order (debug builds) and marks the level as holding a member; returns
  // whether it is the level's first.
  bool StartMember(std::string_view key);

  struct Level {
    bool object = false;
    bool empty = true;
    std::string last_key;  // Debug builds only (the same layout in every build).
  };
  std::string& out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace mg

#endif  // MGADVISOR_CORE_JSON_WRITER_H_
