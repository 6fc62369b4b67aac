#include "foods/csv.h"

#include <cctype>

namespace mg::foods {

CsvReader::CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  error_.clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  std::string field;
  bool quoted_field = false;
  while (true) {
    if (pos_ >= text_.size()) {
      fields.push_back(std::move(field));
      return true;
    }
    char c = text_[pos_];
    if (c == '"' && field.empty() && !quoted_field) {
      // Quoted field: read to the closing quote, unescaping "".
      quoted_field = true;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          error_ = "unterminated quoted field";
          return false;
        }
        c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      // After the closing quote only a delimiter or the end of the line may follow.
      if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
          text_[pos_] != '\r') {
        error_ = "unexpected character after a closing quote";
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        return false;
      }
      continue;
    }
    if (c == delimiter_) {
      fields.push_back(std::move(field));
      field.clear();
      quoted_field = false;
      ++pos_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
      ++pos_;
      ++line_;
      fields.push_back(std::move(field));
      return true;
    }
    field.push_back(c);
    ++pos_;
  }
}

int ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  auto lower_equal = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) !=
          std::tolower(static_cast<unsigned char>(b[i]))) {
        return false;
      }
    }
    return true;
  };
  for (size_t i = 0; i < header.size(); ++i) {
    if (lower_equal(trim(header[i]), trim(name))) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace mg::foods
