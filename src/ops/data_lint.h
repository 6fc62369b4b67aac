// `mgadvisor data lint [DIR]`: every data file checked by the loader that reads it (the one
// strict reader of core/data_reader.h), plus the references between files: knowledge-base forms
// to the compound catalogue, the plan policy's forms to the knowledge base, the engine's message
// texts to the rules it records, each reference set to its file. A file under data/ that no
// loader reads is a problem too (a misspelt file name would otherwise be silently ignored).
#ifndef MGADVISOR_OPS_DATA_LINT_H_
#define MGADVISOR_OPS_DATA_LINT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace mg::ops {

struct DataLintReport {
  std::string where;                  // "the built-in data" or the directory.
  std::vector<std::string> files;     // Every file checked, as named in messages.
  std::vector<std::string> problems;  // "file:line: message", every one, file by file.

  bool ok() const { return problems.empty(); }
  // {"ok", "files": [...], "problems": [...]}
  nlohmann::json ToJson() const;
};

// Checks the embedded data, or a data folder laid out like the repository's data/ (chem/, dri/,
// foods/, kb/, plan/, trial/, server/; web/ is the page and is not read here).
// Errors: kNotFound when `dir` does not exist; kIoError when a file cannot be read. Problems in
// the files are not errors of this function: they are the report.
Result<DataLintReport> LintData(const std::optional<std::string>& dir);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_DATA_LINT_H_
