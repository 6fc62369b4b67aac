#include "cli/build_info.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace mg::cli {

std::string VersionText(bool json) {
  if (json) {
    return nlohmann::json{{"version", BuildVersion()}, {"commit", BuildCommit()}}.dump();
  }
  return fmt::format("mgadvisor {} (commit {})", BuildVersion(), BuildCommit());
}

}  // namespace mg::cli
