#include "core/data_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "core/numbers.h"
#include "core/precompiled.h"
#include "core/text.h"

namespace mg {

void DataProblems::Add(std::string file, int line, std::string message) {
  problems_.push_back({std::move(file), line, std::move(message)});
}

std::vector<std::string> DataProblems::Sorted() const {
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (const Problem& p : sorted)
    out.push_back(fmt::format("{}:{}: {}", p.file, p.line, p.message));
  return out;
}

Error DataProblems::ToError() const {
  std::string message;
  for (const auto& line : Sorted()) {
    if (!message.empty()) message += '\n';
    message += line;
  }
  return DataError(message);
}

Status DataProblems::ToStatus() const {
  if (empty()) return {};
  return ToError();
}

void DataProblems::Append(const DataProblems& other) {
  problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

std::string UnknownNameMessage(std::string_view what, std::string_view name, std::string_view where,
                               const std::vector<std::string>& known) {
  std::string message = fmt::format("unknown {} '{}' in {}", what, name, where);
  const auto close = CloseMatches(name, known, 1);
  if (!close.empty()) message += fmt::format("; did you mean '{}'?", close.front());
  return message;
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::optional<toml::table> ParseTomlFile(const DataFile& file, DataProblems& problems) {
  if (auto tree = precompiled::Find(file)) return tree;  // The built-in file, parsed at build time.
  try {
    return toml::parse(file.content, file.name);
  } catch (const toml::parse_error& e) {  // A library exception, turned into a problem here.
    problems.Add(file.name, static_cast<int>(e.source().begin.line), std::string(e.description()));
    return std::nullopt;
  }
}

TomlReader::TomlReader(const toml::table& table, std::string file, std::string where,
                       DataProblems& problems, std::initializer_list<std::string_view> known)
    : table_(&table),
      file_(std::move(file)),
      where_(std::move(where)),
      line_(LineOf(table)),
      problems_(&problems) {
  if (line_ == 0) line_ = 1;  // The root table of a file has no position of its own.
  for (const auto& [key, value] : table) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    Report(UnknownNameMessage("key", name, where_, {known.begin(), known.end()}), LineOf(value));
  }
}

void TomlReader::Report(std::string message, int line) {
  problems_->Add(file_, line > 0 ? line : line_, std::move(message));
}

int TomlReader::LineAt(std::string_view key) const {
  const toml::node* node = table_->get(key);
  return node != nullptr ? LineOf(*node) : line_;
}

void TomlReader::Missing(std::string_view key) {
  Report(fmt::format("{} is missing required field '{}'", where_, key));
}

void TomlReader::BadEnum(std::string_view key, const std::string& text,
                         const std::vector<std::string>& spellings) {
  Report(fmt::format("{} has {} '{}', expected one of {}", where_, key, text,
                     JoinAlternatives(spellings)),
         LineAt(key));
}

std::optional<std::string> TomlReader::RawText(std::string_view key, Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return std::nullopt;
  }
  const auto text = node->value_exact<std::string>();
  if (!text) {
    Report(fmt::format("field '{}' of {} must be a string", key, where_), LineOf(*node));
    return std::nullopt;
  }
  return *text;
}

std::string TomlReader::Text(std::string_view key, Need need) {
  auto text = RawText(key, need);
  if (!text) return {};
  if (need == Need::kRequired && text->empty()) {
    Report(fmt::format("field '{}' of {} must not be empty", key, where_), LineAt(key));
  }
  return *text;
}

std::optional<std::string> TomlReader::OptionalText(std::string_view key) {
  return RawText(key, Need::kOptional);
}

std::vector<std::string> TomlReader::TextList(std::string_view key, Need need) {
  std::vector<std::string> out;
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    Report(fmt::format("field '{}' of {} must be an array of strings", key, where_), LineOf(*node));
    return out;
  }
  for (const toml::node& item : *array) {
    const auto text = item.value_exact<std::string>();
    if (!text || text->empty()) {
      Report(fmt::format("field '{}' of {} must be an array of non-empty strings", key, where_),
             LineOf(item));
      continue;
    }
    out.push_back(*text);
  }
  return out;
}

std::optional<double> TomlReader::Number(std::string_view key, NumberRange range, Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return std::nullopt;
  }
  const auto value = node->value<double>();  // Integers too.
  if (!node->is_number() || !value || !std::isfinite(*value)) {
    Report(fmt::format("field '{}' of {} must be a number", key, where_), LineOf(*node));
    return std::nullopt;
  }
  const bool below =
      range.min && (range.min_exclusive ? !(*value > *range.min) : !(*value >= *range.min));
  const bool above = range.max && *value > *range.max;
  if (below || above) {
    std::string bounds;
    if (range.min && range.max) {
      bounds = fmt::format("{} {} and at most {}", range.min_exclusive ? "above" : "at least",
                           FormatNumber(*range.min, 6), FormatNumber(*range.max, 6));
    } else if (range.min) {
      bounds = fmt::format("{} {}", range.min_exclusive ? "above" : "at least",
                           FormatNumber(*range.min, 6));
    } else {
      bounds = fmt::format("at most {}", FormatNumber(*range.max, 6));
    }
    const bool just_negative = range.min == 0.0 && !range.min_exclusive && !range.max;
    Report(just_negative ? fmt::format("field '{}' of {} must not be negative", key, where_)
                         : fmt::format("field '{}' of {} is {}, must be {}", key, where_,
                                       FormatNumber(*value, 6), bounds),
           LineOf(*node));
    return std::nullopt;
  }
  return *value;
}

std::optional<int64_t> TomlReader::Integer(std::string_view key, int64_t min, int64_t max,
                                           Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return std::nullopt;
  }
  const auto value = node->value_exact<int64_t>();
  if (!value || *value < min || *value > max) {
    Report(
        fmt::format("field '{}' of {} must be a whole number from {} to {}", key, where_, min, max),
        LineOf(*node));
    return std::nullopt;
  }
  return *value;
}

std::optional<bool> TomlReader::Bool(std::string_view key, Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return std::nullopt;
  }
  const auto value = node->value_exact<bool>();
  if (!value) {
    Report(fmt::format("field '{}' of {} must be true or false", key, where_), LineOf(*node));
    return std::nullopt;
  }
  return *value;
}

std::optional<TomlReader> TomlReader::Table(std::string_view key, std::string where,
                                            std::initializer_list<std::string_view> known,
                                            Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return std::nullopt;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    Report(fmt::format("field '{}' of {} must be a table", key, where_), LineOf(*node));
    return std::nullopt;
  }
  return TomlReader(*table, file_, std::move(where), *problems_, known);
}

const toml::table* TomlReader::FreeTable(std::string_view key, Need need) {
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Missing(key);
    return nullptr;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    Report(fmt::format("field '{}' of {} must be a table", key, where_), LineOf(*node));
  }
  return table;
}

std::vector<TomlReader> TomlReader::Tables(std::string_view key, std::string_view kind,
                                           std::initializer_list<std::string_view> known, Need need,
                                           std::string_view id_key) {
  std::vector<TomlReader> out;
  const toml::node* node = table_->get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) Report(fmt::format("no [[{}]] tables", key));
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    Report(fmt::format("'{}' must be written as [[{}]] tables", key, key), LineOf(*node));
    return out;
  }
  if (array->empty() && need == Need::kRequired) {
    Report(fmt::format("no [[{}]] tables", key), LineOf(*node));
  }
  for (const toml::node& item : *array) {
    const toml::table& table = *item.as_table();
    std::string where(kind);
    if (const auto id = table[id_key].value_exact<std::string>(); id && !id->empty()) {
      where += fmt::format(" '{}'", *id);
    }
    out.emplace_back(table, file_, std::move(where), *problems_, known);
  }
  return out;
}

CsvColumns::CsvColumns(const std::vector<std::string>& header, const std::string& file,
                       std::initializer_list<std::string_view> required,
                       std::initializer_list<std::string_view> optional, DataProblems& problems)
    : header_(header) {
  std::vector<std::string> known(required.begin(), required.end());
  known.insert(known.end(), optional.begin(), optional.end());
  for (size_t i = 0; i < header_.size(); ++i) {
    if (std::find(known.begin(), known.end(), header_[i]) != known.end()) {
      if (Index(header_[i]) != static_cast<int>(i)) {
        problems.Add(file, 1, fmt::format("column '{}' appears twice in the header", header_[i]));
        ok_ = false;
      }
      continue;
    }
    problems.Add(file, 1, UnknownNameMessage("column", header_[i], "the header", known));
    ok_ = false;
  }
  for (std::string_view name : required) {
    if (Index(name) < 0) {
      problems.Add(file, 1, fmt::format("missing column '{}'", name));
      ok_ = false;
    }
  }
}

int CsvColumns::Index(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace mg
