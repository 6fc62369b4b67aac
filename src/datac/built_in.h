// The precompiled trees of this build's embedded TOML files (core/precompiled.h), written at
// build time by `mgadvisor-datac` after it has checked them with the strict loaders.
#ifndef MGADVISOR_DATAC_BUILT_IN_H_
#define MGADVISOR_DATAC_BUILT_IN_H_

#include <cstddef>
#include <span>
#include <string_view>

#include "core/precompiled.h"

namespace mg::precompiled {

struct BuiltInTree {
  std::string_view name;  // "data/kb/forms.toml"
  std::string_view tree;  // Encode() of the parsed file.
  size_t text_size;       // Bytes of the text it was parsed from.
};

// Every embedded TOML file's tree, sorted by name (the generated source defines it).
std::span<const BuiltInTree> BuiltInTrees();

// The loaded structures kept whole (core/precompiled.h Snapshot): the knowledge base ("kb"), the
// compound catalogue ("compounds"), the medicines catalogue ("medicines"), the reference tables
// ("dri"), the claim checker's data ("check"), the plan's messages ("plan-messages"), the
// embedded food table ("foods") and its search index ("food-search").
std::span<const Snapshot> BuiltInSnapshots();

// Installs the trees (precompiled::Install), each beside the embedded text it was parsed from, and
// the snapshots (precompiled::InstallSnapshots). A tree whose text differs in size is left out, so
// that file is parsed. Call once at start, before any thread.
void InstallBuiltIn();

}  // namespace mg::precompiled

#endif  // MGADVISOR_DATAC_BUILT_IN_H_
