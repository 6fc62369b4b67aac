#include "datac/built_in.h"

#include <vector>

#include "core/embedded.h"
#include "core/precompiled.h"

namespace mg::precompiled {

void InstallBuiltIn() {
  static const std::vector<Entry> entries = [] {
    std::vector<Entry> paired;
    // Both lists are sorted by path, so one merge pairs them.
    const auto& files = embedded::AllFiles();
    auto file = files.begin();
    constexpr std::string_view kPrefix = "data/";
    for (const BuiltInTree& tree : BuiltInTrees()) {
      const std::string_view path = tree.name.substr(kPrefix.size());
      while (file != files.end() && file->path < path) ++file;
      if (file == files.end()) break;
      if (file->path == path && file->content.size() == tree.text_size) {
        paired.push_back({tree.name, file->content, tree.tree});
      }
    }
    return paired;
  }();
  Install(entries.data(), entries.size());
  InstallSnapshots(BuiltInSnapshots().data(), BuiltInSnapshots().size());
}

}  // namespace mg::precompiled
