#include "products/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/text.h"

namespace mg::products {

std::string DidYouMean(std::string_view value, const std::vector<std::string>& candidates) {
  const auto close = CloseMatches(value, candidates, 1);
  return close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close.front());
}

void Problems::Add(const std::string& file, int line, std::string message) {
  problems_.push_back({file, line, std::move(message)});
}

std::vector<std::string> Problems::Sorted() const {
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  std::vector<std::string> out;
  for (const Problem& p : sorted) {
    out.push_back(p.line > 0 ? fmt::format("{}:{}: {}", p.file, p.line, p.message)
                             : fmt::format("{}: {}", p.file, p.message));
  }
  return out;
}

TableReader::TableReader(const toml::table& table, std::string file, std::string kind,
                         Problems& problems, std::set<std::string> allowed)
    : table_(table),
      file_(std::move(file)),
      kind_(std::move(kind)),
      line_(LineOf(table)),
      problems_(problems) {
  if (const auto id = table_["id"].value<std::string>()) id_ = *id;
  const std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
  for (const auto& [key, value] : table_) {
    const std::string name(key.str());
    if (!allowed.contains(name)) {
      Report(LineOf(value),
             fmt::format("unknown key '{}' in {}{}", name, Who(), DidYouMean(name, allowed_list)));
    }
  }
}

std::string TableReader::Who() const {
  return id_.empty() ? kind_ : fmt::format("{} '{}'", kind_, id_);
}

int TableReader::LineAt(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return node != nullptr ? LineOf(*node) : line_;
}

void TableReader::Missing(std::string_view key) {
  Report(line_, fmt::format("{} is missing required field '{}'", Who(), key));
}

std::string TableReader::Id() {
  id_ = Text("id", true);
  const bool snake = !id_.empty() && id_[0] >= 'a' && id_[0] <= 'z' &&
                     std::all_of(id_.begin(), id_.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (!id_.empty() && !snake) {
    Report(LineAt("id"), fmt::format("{} id '{}' must be lower_snake_case", kind_, id_));
  }
  return id_;
}

std::string TableReader::Text(std::string_view key, bool required) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    if (required) Missing(key);
    return {};
  }
  const auto text = node->value<std::string>();
  if (!text) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must be a string", key, Who()));
    return {};
  }
  if (required && text->empty()) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must not be empty", key, Who()));
  }
  return *text;
}

std::vector<std::string> TableReader::TextList(std::string_view key, bool required) {
  std::vector<std::string> out;
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    if (required) Missing(key);
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must be an array of strings", key, Who()));
    return out;
  }
  for (const toml::node& item : *array) {
    const auto text = item.value<std::string>();
    if (!text || text->empty()) {
      Report(LineOf(item),
             fmt::format("field '{}' of {} must hold non-empty strings only", key, Who()));
      continue;
    }
    out.push_back(*text);
  }
  if (required && array->empty()) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must not be empty", key, Who()));
  }
  return out;
}

bool TableReader::Bool(std::string_view key, bool fallback) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return fallback;
  if (!node->is_boolean()) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must be true or false", key, Who()));
    return fallback;
  }
  return *node->value<bool>();
}

std::optional<double> TableReader::PositiveNumber(std::string_view key) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  const auto value = node->value<double>();
  if (!node->is_number() || !value || !(*value > 0)) {
    Report(LineOf(*node), fmt::format("field '{}' of {} must be a number above 0", key, Who()));
    return std::nullopt;
  }
  return value;
}

std::optional<std::pair<double, double>> TableReader::NumberPair(std::string_view key) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  const toml::array* array = node->as_array();
  if (array != nullptr && array->size() == 2 && (*array)[0].is_number() &&
      (*array)[1].is_number()) {
    const double a = *(*array)[0].value<double>(), b = *(*array)[1].value<double>();
    if (a > 0 && a <= b) return std::pair{a, b};
  }
  Report(
      LineOf(*node),
      fmt::format("field '{}' of {} must be [fewest, most] with 0 < fewest <= most", key, Who()));
  return std::nullopt;
}

}  // namespace mg::products
