// Data files compiled into the binary (see cmake/EmbedData.cmake), so a fresh install works
// offline with nothing beside the executable.
#ifndef MGADVISOR_CORE_EMBEDDED_H_
#define MGADVISOR_CORE_EMBEDDED_H_

#include <string_view>
#include <vector>

namespace mg::embedded {

struct File {
  std::string_view path;  // Relative to the repository's data/ folder, e.g. "chem/compounds.toml".
  std::string_view content;  // Static storage; valid for the life of the program.
};

// Every embedded file, sorted by path.
const std::vector<File>& AllFiles();

}  // namespace mg::embedded

#endif  // MGADVISOR_CORE_EMBEDDED_H_
