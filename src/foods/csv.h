// A small RFC 4180 CSV reader that knows line numbers, for food tables, USDA CSV files and food
// diaries. Handles quoted fields with doubled quotes and embedded newlines, CRLF, a UTF-8 BOM,
// and any single-byte delimiter. Not thread-safe; the text must outlive the reader.
#ifndef MGADVISOR_FOODS_CSV_H_
#define MGADVISOR_FOODS_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mg::foods {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text, char delimiter = ',');

  // Reads the next record into `fields`. Returns false at the end of the text or on a malformed
  // record (then error() is set and the reader has skipped to the next line). Blank lines are
  // skipped.
  bool Next(std::vector<std::string>& fields);
  // 1-based line on which the last record returned (or rejected) starts.
  size_t line() const { return record_line_; }
  // Non-empty after Next() returned false because of a malformed record.
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ >= text_.size(); }

 private:
  std::string_view text_;
  char delimiter_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_line_ = 0;
  std::string error_;
};

// Index of `name` in a header row (exact match, ignoring case and surrounding spaces); -1 if
// absent.
int ColumnIndex(const std::vector<std::string>& header, std::string_view name);

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_CSV_H_
