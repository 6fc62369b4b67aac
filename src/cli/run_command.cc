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
    // Replace, never throw: a message may quote text that is not UTF-8 (exit 2, not 1).
    std::fprintf(stderr, "%s\n",
                 out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::fprintf(stderr, "mgadvisor: %s\n", error.message.c_str());
  }
  ctx.exit_code = ExitCodeFor(error.code);
}

}  // namespace mg::cli
