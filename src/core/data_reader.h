// The one strict reader for the project's data files (data/**/*.toml and the CSV tables), so
// every loader treats a misspelt key, a wrong type or a bad value the same way:
//
//   * an unknown key is an error naming file:line, where it is and the closest known key:
//     `data/foods/units.toml:12: unknown key 'sise' in unit 'cup'; did you mean 'size'?`
//   * every problem of a file is collected before the loader fails, in file order, so one run of
//     `mgadvisor data lint` lists them all;
//   * closed value sets (verdicts, certainties, urgencies...) are spelled in one table per enum
//     (core/enum_names.h), which gives both the parser and ToString.
//
// Example:
//   DataProblems problems;
//   auto root = ParseTomlFile(file, problems);             // syntax errors become problems
//   if (!root) return problems.ToError();
//   TomlReader doc(*root, file.name, "units.toml", problems, {"unit"});
//   for (TomlReader unit : doc.Tables("unit", "unit", {"id", "kind", "size", "synonyms"})) {
//     std::string id = unit.Text("id");                    // required unless said otherwise
//     double size = unit.Number("size", NumberRange::Above(0)).value_or(1);
//   }
//   if (!problems.empty()) return problems.ToError();      // kDataError, one problem a line
//
// Readers are cheap views over a parsed toml::table; they must not outlive it or `problems`.
#ifndef MGADVISOR_CORE_DATA_READER_H_
#define MGADVISOR_CORE_DATA_READER_H_

#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/data_files.h"
#include "core/enum_names.h"
#include "core/error.h"

namespace mg {

// Problems found while reading data files, each with its file and line.
class DataProblems {
 public:
  void Add(std::string file, int line, std::string message);
  bool empty() const { return problems_.empty(); }
  size_t size() const { return problems_.size(); }
  // "file:line: message", sorted by file then line (stable), so output follows the files.
  std::vector<std::string> Sorted() const;
  // kDataError with every problem, one per line. REQUIRES: !empty().
  Error ToError() const;
  // OK when empty, else ToError().
  Status ToStatus() const;
  // Moves another collection's problems into this one.
  void Append(const DataProblems& other);

 private:
  struct Problem {
    std::string file;
    int line = 0;
    std::string message;
  };
  std::vector<Problem> problems_;
};

// ---- TOML ----

int LineOf(const toml::node& node);

// Parses a data file; a syntax error becomes a problem (file:line) and nullopt.
std::optional<toml::table> ParseTomlFile(const DataFile& file, DataProblems& problems);

// Bounds of a number field: NumberRange::Any(), AtLeast(0), Above(0), Between(1, 5)...
struct NumberRange {
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;  // min < value rather than min <= value.

  static NumberRange Any() { return {std::nullopt, std::nullopt, false}; }
  static NumberRange AtLeast(double min) { return {min, std::nullopt, false}; }
  static NumberRange Above(double min) { return {min, std::nullopt, true}; }
  static NumberRange Between(double min, double max) { return {min, max, false}; }
  static NumberRange AboveUpTo(double min, double max) { return {min, max, true}; }
};

// A strict view of one TOML table: keys outside `known` are problems (with "did you mean"), and
// every accessor reports a missing required field or a wrong type against the file and line.
class TomlReader {
 public:
  // `where` names the table in messages: "[dose]", "unit 'cup'", "citation 'smith_2020'".
  TomlReader(const toml::table& table, std::string file, std::string where, DataProblems& problems,
             std::initializer_list<std::string_view> known);

  enum class Need { kRequired, kOptional };

  // A string; "" when missing or wrong (and reported). A required string must not be empty.
  std::string Text(std::string_view key, Need need = Need::kRequired);
  std::optional<std::string> OptionalText(std::string_view key);
  // A list of non-empty strings. An absent optional list is empty.
  std::vector<std::string> TextList(std::string_view key, Need need = Need::kRequired);
  // A number (integers accepted) within `range`; nullopt when missing or bad (and reported).
  std::optional<double> Number(std::string_view key, NumberRange range = NumberRange::Any(),
                               Need need = Need::kRequired);
  // A whole number within [min, max].
  std::optional<int64_t> Integer(std::string_view key, int64_t min, int64_t max,
                                 Need need = Need::kRequired);
  std::optional<bool> Bool(std::string_view key, Need need = Need::kRequired);
  // A string from a closed set; the message lists the spellings.
  template <typename E, size_t N>
  std::optional<E> Enum(std::string_view key, const EnumName<E> (&names)[N],
                        Need need = Need::kRequired) {
    const auto text = RawText(key, need);
    if (!text) return std::nullopt;
    if (auto value = ParseEnum(names, *text)) return value;
    BadEnum(key, *text, EnumSpellings(names));
    return std::nullopt;
  }

  // A sub-table `key` (e.g. [form.reasons]) read strictly with its own known keys. nullopt when
  // missing (reported when required) or not a table.
  std::optional<TomlReader> Table(std::string_view key, std::string where,
                                  std::initializer_list<std::string_view> known,
                                  Need need = Need::kRequired);
  // A sub-table whose keys are free (ids, symbols): each value with its key.
  const toml::table* FreeTable(std::string_view key, Need need = Need::kRequired);
  // An array of tables ([[unit]]): one reader per element, named `kind` plus the text of its
  // `id_key` when it has one ("unit 'cup'"). Reports a missing (when required) or empty list and
  // a key not written as [[tables]].
  std::vector<TomlReader> Tables(std::string_view key, std::string_view kind,
                                 std::initializer_list<std::string_view> known,
                                 Need need = Need::kRequired, std::string_view id_key = "id");

  const toml::node* Get(std::string_view key) const { return table_->get(key); }
  bool Has(std::string_view key) const { return table_->contains(key); }
  int line() const { return line_; }
  int LineAt(std::string_view key) const;
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  // Reports a problem at `line` (the table's own line when 0).
  void Report(std::string message, int line = 0);
  DataProblems& problems() const { return *problems_; }

 private:
  std::optional<std::string> RawText(std::string_view key, Need need);
  void Missing(std::string_view key);
  void BadEnum(std::string_view key, const std::string& text,
               const std::vector<std::string>& spellings);

  const toml::table* table_;
  std::string file_;
  std::string where_;
  int line_;
  DataProblems* problems_;
};

// ---- CSV tables ----

// The columns of a CSV data file, checked against its header: an unknown column is a problem with
// "did you mean", and a required one that is missing too. Index() gives a column's position.
class CsvColumns {
 public:
  // `required` must all be present; `optional` may be. Reports against `file` line 1.
  CsvColumns(const std::vector<std::string>& header, const std::string& file,
             std::initializer_list<std::string_view> required,
             std::initializer_list<std::string_view> optional, DataProblems& problems);
  // The position of `name` in the header; -1 when absent.
  int Index(std::string_view name) const;
  bool ok() const { return ok_; }

 private:
  std::vector<std::string> header_;
  bool ok_ = true;
};

// "unknown <what> 'x' in <where>; did you mean 'y'?" with the suggestion only when one is close.
std::string UnknownNameMessage(std::string_view what, std::string_view name, std::string_view where,
                               const std::vector<std::string>& known);

}  // namespace mg

#endif  // MGADVISOR_CORE_DATA_READER_H_
