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
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next member's key; REQUIRES: inside an object, after the previous member's key in byte
  // order.
  JsonWriter& Key(std::string_view key);

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

 private:
  // Before a value: the separator and indentation an array element needs (a member's value
  // follows its key directly).
  void BeforeValue();
  void NewLine();

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
