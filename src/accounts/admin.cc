#include "accounts/admin.h"

#include <fmt/format.h>

#include "accounts/auth.h"

namespace mg::accounts {

nlohmann::json Invitation::ToJson() const {
  return {{"invitation", code}, {"expires_unix", expires_unix}};
}

nlohmann::json PasswordReset::ToJson() const {
  nlohmann::json out = {{"username", username}, {"token", token}, {"expires_unix", expires_unix}};
  if (!link.empty()) out["link"] = link;
  return out;
}

Result<Invitation> CreateInvitation(Database& database, int64_t now_unix, int64_t valid_seconds) {
  if (valid_seconds <= 0) {
    return InvalidArgument(
        fmt::format("valid for: {} s is not a positive duration", valid_seconds));
  }
  Invitation out{NewToken(), now_unix + valid_seconds};
  MG_RETURN_IF_ERROR(database.AddInvitation(TokenDigest(out.code), now_unix, out.expires_unix));
  return out;
}

Result<PasswordReset> CreatePasswordReset(Database& database, std::string_view username,
                                          int64_t now_unix, int64_t valid_seconds,
                                          std::string_view base_url) {
  if (valid_seconds <= 0) {
    return InvalidArgument(
        fmt::format("valid for: {} s is not a positive duration", valid_seconds));
  }
  auto name = NormaliseUsername(username);
  if (!name.ok()) return name.error();
  auto account = database.FindAccount(*name);
  if (!account.ok()) return account.error();
  if (!*account) return NotFound(fmt::format("username: no account is named '{}'", *name));
  PasswordReset out;
  out.username = *name;
  out.token = NewToken();
  out.expires_unix = now_unix + valid_seconds;
  if (!base_url.empty()) {
    std::string base(base_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    // In the fragment, so the token never reaches a proxy's or the server's access log.
    out.link = fmt::format("{}/#reset={}", base, out.token);
  }
  MG_RETURN_IF_ERROR(
      database.AddPasswordReset((*account)->id, TokenDigest(out.token), out.expires_unix));
  return out;
}

}  // namespace mg::accounts
