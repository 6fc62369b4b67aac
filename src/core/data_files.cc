#include "core/data_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded.h"

namespace mg {
namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFound("no such file: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path);
  return buffer.str();
}

Result<DataFile> LoadEmbeddedFile(const std::string& path) {
  for (const auto& file : embedded::AllFiles()) {
    if (file.path == path) return DataFile{"data/" + path, std::string(file.content)};
  }
  return NotFound("no embedded data file " + path);
}

Result<std::vector<DataFile>> LoadDataFiles(const std::string& subdir, const std::string& extension,
                                            const std::optional<std::string>& override_dir) {
  std::vector<DataFile> files;
  if (!override_dir) {
    const std::string prefix = subdir.empty() ? "" : subdir + "/";
    for (const auto& file : embedded::AllFiles()) {
      const std::string_view path = file.path;
      if (path.starts_with(prefix) && path.ends_with(extension)) {
        files.push_back({"data/" + std::string(path), std::string(file.content)});
      }
    }
  } else {
    std::error_code ec;
    if (!fs::is_directory(*override_dir, ec)) {
      return NotFound("data directory does not exist: " + *override_dir);
    }
    for (const auto& entry : fs::directory_iterator(*override_dir, ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != extension) continue;
      auto content = ReadFile(entry.path().string());
      if (!content.ok()) return content.error();
      files.push_back({entry.path().string(), std::move(content).value()});
    }
    if (ec) return IoError("cannot list " + *override_dir + ": " + ec.message());
  }
  std::sort(files.begin(), files.end(),
            [](const DataFile& a, const DataFile& b) { return a.name < b.name; });
  if (files.empty()) {
    return NotFound("no " + extension + " files in " +
                    (override_dir ? *override_dir : "embedded data/" + subdir));
  }
  return files;
}

}  // namespace mg
