#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace mg::cli {

void RunCommand(CliContext& ctx, const std::function<Status()>& body) {
  const Status status = body();
  if (status.ok()) return;
  const Error& error = status.error();
  if (ctx.json) {
    nlohmann::json out = {
        {"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}};
    std::fprintf(stderr, "%s\n", out.dump(2).c_str());
  } else {
    std::fprintf(stderr, "mgadvisor: %s\n", error.message.c_str());
  }
  ctx.exit_code = ExitCodeFor(error.code);
}

}  // namespace mg::cli
