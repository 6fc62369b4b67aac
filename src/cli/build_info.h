// What `mgadvisor --version` prints: the project version (CMakeLists.txt) and the git commit
// the binary was built from, captured at build time by cmake/BuildInfo.cmake ("unknown" outside
// a git checkout, "<commit>-dirty" when tracked files differed from it).
#ifndef MGADVISOR_CLI_BUILD_INFO_H_
#define MGADVISOR_CLI_BUILD_INFO_H_

#include <string>

namespace mg::cli {

const char* BuildVersion();  // "0.1.0"
const char* BuildCommit();   // "1a2b3c4d5e6f", "1a2b3c4d5e6f-dirty" or "unknown"

// "mgadvisor 0.1.0 (commit 1a2b3c4d5e6f)", or with `json` {"version": ..., "commit": ...}.
std::string VersionText(bool json);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_BUILD_INFO_H_
