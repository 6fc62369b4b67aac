// `mgadvisor`: no PostgreSQL here; a command that names a PostgreSQL database is handed to the
// sibling program before anything else happens.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "cli/postgres_program.h"
#include "pgstore/pg_url.h"

namespace mg::cli {
namespace {

// Set in the environment of the exec'd program: if the file found is not the PostgreSQL build
// (a copy of `mgadvisor` under the sibling's name), it must not hand over again, forever.
constexpr const char* kHandedOverVariable = "MGADVISOR_HANDED_OVER";

bool NamesPostgres(std::string_view argument) {
  if (argument.starts_with("--db=")) argument.remove_prefix(5);
  return pgstore::IsPostgresUrl(argument);
}

}  // namespace

Status HandOverToPostgresProgram(int argc, char** argv) {
  bool postgres = false;
  for (int i = 1; i < argc && !postgres; ++i) postgres = NamesPostgres(argv[i]);
  if (!postgres) return {};
  if (const char* again = std::getenv(kHandedOverVariable); again != nullptr && *again != '\0') {
    return Error{ErrorCode::kInternal,
                 fmt::format("{} was run for a PostgreSQL database but is not the build that has "
                             "PostgreSQL (it handed over to itself); reinstall mgadvisor",
                             kPostgresProgramName)};
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return IoError(fmt::format("/proc/self/exe: {}", error.message()));
  const std::filesystem::path candidates[] = {
      self.parent_path() / kPostgresProgramName,
      (self.parent_path() / ".." / "libexec" / "mgadvisor" / kPostgresProgramName)
          .lexically_normal(),
  };
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    ::setenv(kHandedOverVariable, "1", 1);
    std::fflush(nullptr);
    ::execv(candidate.c_str(), argv);
    return IoError(fmt::format("multi-user mode: cannot run {}: {}", candidate.string(),
                               std::strerror(errno)));
  }
  return NotFound(fmt::format(
      "multi-user mode (a PostgreSQL --db) needs {}, the PostgreSQL build of this program, which "
      "is not installed: looked for {} and {}",
      kPostgresProgramName, candidates[0].string(), candidates[1].string()));
}

Result<std::shared_ptr<accounts::Database>> OpenPostgresStore(const std::string& /*url*/,
                                                              int /*pool_size*/) {
  return Error{ErrorCode::kInternal,
               "PostgreSQL is not linked into mgadvisor; the command should have been handed to " +
                   std::string(kPostgresProgramName)};
}

}  // namespace mg::cli
