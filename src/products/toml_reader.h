// Strict reading of one TOML table of the medicines catalogue: unknown keys are reported with
// "did you mean", every problem is kept with its file and line so that one load lists them all.
// Private to src/products.
#ifndef MGADVISOR_PRODUCTS_TOML_READER_H_
#define MGADVISOR_PRODUCTS_TOML_READER_H_

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::products {

inline int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string DidYouMean(std::string_view value, const std::vector<std::string>& candidates);

class Problems {
 public:
  // `line` 0 means the problem belongs to the file (or directory) as a whole.
  void Add(const std::string& file, int line, std::string message);
  // "file:line: message", sorted by file and line; "file: message" for line 0.
  std::vector<std::string> Sorted() const;

 private:
  struct Problem {
    std::string file;
    int line = 0;
    std::string message;
  };
  std::vector<Problem> problems_;
};

class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string kind, Problems& problems,
              std::set<std::string> allowed);

  std::string Id();  // Reads and checks 'id' (required, lower_snake_case).
  const std::string& id() const { return id_; }
  std::string Text(std::string_view key, bool required);
  std::vector<std::string> TextList(std::string_view key, bool required);
  bool Bool(std::string_view key, bool fallback);
  std::optional<double> PositiveNumber(std::string_view key);
  // [a, b] with 0 < a <= b.
  std::optional<std::pair<double, double>> NumberPair(std::string_view key);

  const toml::node* Get(std::string_view key) const { return table_.get(key); }
  int LineAt(std::string_view key) const;
  int line() const { return line_; }
  const std::string& file() const { return file_; }
  std::string Who() const;  // "product 'milk_of_magnesia'"
  void Report(int line, std::string message) { problems_.Add(file_, line, std::move(message)); }
  void Missing(std::string_view key);

 private:
  const toml::table& table_;
  std::string file_;
  std::string kind_;
  int line_;
  std::string id_;
  Problems& problems_;
};

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_TOML_READER_H_
