// Writing files so that a crash, a SIGKILL or a full disk never leaves a half-written one, and
// creating folders that only their owner can read. Every file mgadvisor writes (the food store,
// journal exports, trial charts) goes through WriteFileAtomically; the SQLite journal, which
// SQLite writes itself, gets its folder from CreatePrivateDirectories.
//
//   MG_RETURN_IF_ERROR(WriteFileAtomically("/home/a/.local/share/mgadvisor/foods.csv", text,
//                                          FileAccess::kShared));
//
// The steps, and why each is there: write to `<path>.tmp.<pid>` in the same folder (a rename
// within one file system is atomic), fsync the file (its bytes are on disk before its name is),
// rename over `path`, fsync the folder (the rename itself survives a power cut). A temporary left
// by a process that was killed is removed by the next write to the same path once that process
// is gone. Not for two threads of one process writing the same path at the same time.
#ifndef MGADVISOR_CORE_ATOMIC_FILE_H_
#define MGADVISOR_CORE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "core/error.h"

namespace mg {

// Permissions of a file mgadvisor creates (before the umask): kPrivate (0600) for anything that
// holds a person's health data, kShared (0644) for reference data such as the food store.
enum class FileAccess { kPrivate, kShared };

// Creates `dir` and its missing parents with mode 0700; folders that exist keep their mode.
// Errors: kIoError naming the folder that could not be created and why.
Status CreatePrivateDirectories(const std::string& dir);

// Replaces `path` with `text` as described above, creating missing folders (0700). A symbolic
// link is followed (its target is replaced). A `path` that is not a regular file (a terminal, a
// pipe, /dev/stdout) cannot be replaced and is written in place. Errors: kIoError naming `path`
// and the system's reason ("File too large", "No space left on device"); the old file is then
// untouched and no temporary is left behind.
Status WriteFileAtomically(const std::string& path, std::string_view text,
                           FileAccess access = FileAccess::kPrivate);

// Removes the `<path>.tmp.<pid>` files beside `path` whose process is no longer running, and
// returns how many it removed. WriteFileAtomically calls it; exposed for tests.
int RemoveStaleTemporaries(const std::string& path);

}  // namespace mg

#endif  // MGADVISOR_CORE_ATOMIC_FILE_H_
