// Where data files come from: the copies embedded at build time, or a directory the user names
// (e.g. `--kb DIR`) to try edits without rebuilding.
#ifndef MGADVISOR_CORE_DATA_FILES_H_
#define MGADVISOR_CORE_DATA_FILES_H_

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace mg {

struct DataFile {
  std::string name;  // Shown in error messages: "data/chem/compounds.toml" or the real path.
  std::string content;
};

// Returns the files with the given extension (e.g. ".toml") under `subdir` of the embedded data,
// sorted by name; or, when `override_dir` is set, the matching files directly in that directory.
// Errors: kNotFound if override_dir does not exist or holds no such file; kIoError if unreadable.
Result<std::vector<DataFile>> LoadDataFiles(const std::string& subdir, const std::string& extension,
                                            const std::optional<std::string>& override_dir);

// One embedded file by its path relative to data/, e.g. "chem/compounds.toml".
Result<DataFile> LoadEmbeddedFile(const std::string& path);

// Reads a whole file from disk. Errors: kNotFound, kIoError.
Result<std::string> ReadFile(const std::string& path);

}  // namespace mg

#endif  // MGADVISOR_CORE_DATA_FILES_H_
