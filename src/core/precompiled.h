// A compact precompiled form of the embedded TOML data files, so a command does not parse TOML
// text at start-up (issue 20: toml++ took about two thirds of `plan`'s instructions).
//
// The build runs `mgadvisor-datac` (src/datac), which first checks the embedded data with the
// strict loaders (ops::LintData, what `data lint` runs) and then writes each parsed file's tree in
// this form. A program that calls Install() (the CLI does, at start) gets that tree from
// ParseTomlFile whenever the file asked for is byte for byte the embedded one; anything else (a
// `--kb DIR` file, a test's edited copy) is parsed as before.
//
// A decoded tree equals toml::parse's (toml::table ==) but carries no source positions, so
// LineOf() is 0 for its nodes. Messages about data problems therefore come from the text:
// ops::Context loads a piece again inside a TextOnly scope when it fails, and tests compare the
// two paths.
#ifndef MGADVISOR_CORE_PRECOMPILED_H_
#define MGADVISOR_CORE_PRECOMPILED_H_

#include <toml++/toml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/data_files.h"

namespace mg::precompiled {

// The compact form of a parsed table: a tag byte per node, lengths and integers as LEB128
// varints, keys in the table's (sorted) order.
std::string Encode(const toml::table& table);
// The table `Encode` wrote; nullopt when `bytes` is not such a form (never throws).
std::optional<toml::table> Decode(std::string_view bytes);

struct Entry {
  std::string_view name;  // As in DataFile::name: "data/kb/forms.toml".
  std::string_view text;  // The embedded text the tree was parsed from.
  std::string_view tree;  // Encode() of it.
};

// Makes `entries` (static storage, sorted by name) the precompiled trees of this process. Call
// once, before any thread starts.
void Install(const Entry* entries, size_t count);
bool Installed();

// The precompiled tree of `file` when one is installed for its name and text, and no TextOnly
// scope is active on this thread; otherwise nullopt (the caller parses the text).
std::optional<toml::table> Find(const DataFile& file);

// While one lives, Find() answers nullopt on this thread: every file is parsed from its text, so
// problems carry their lines.
class TextOnly {
 public:
  TextOnly();
  ~TextOnly();
  TextOnly(const TextOnly&) = delete;
  TextOnly& operator=(const TextOnly&) = delete;

 private:
  bool previous_;
};

// How many files Find() and snapshots FindSnapshot() have answered in this process (tests check
// the fast path is taken).
size_t FoundCount();
// How many times Find() has answered nullopt in this process: a file the caller then parses from
// its text (tests check that a command's loading parses none).
size_t MissedCount();

// A module's loaded structures kept whole, in its own binary form (core/archive.h): the
// knowledge base as LoadKnowledgeBase(nullopt) builds it, named "kb". The data compiler writes
// them from the same embedded files the program links, so a snapshot always fits that data.
struct Snapshot {
  std::string_view name;
  std::string_view bytes;
};

// Makes `snapshots` (static storage) this process's snapshots. Call once, before any thread.
void InstallSnapshots(const Snapshot* snapshots, size_t count);

// The bytes of the snapshot called `name` when one is installed and no TextOnly scope is
// active on this thread; otherwise nullopt (the module loads from its files).
std::optional<std::string_view> FindSnapshot(std::string_view name);

}  // namespace mg::precompiled

#endif  // MGADVISOR_CORE_PRECOMPILED_H_
