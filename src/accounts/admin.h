// What the operator of a multi-user server hands out by hand (`mgadvisor admin`): invitation
// codes for `serve --signup invite`, and one-time password-reset links. Each is a 256-bit random
// token shown once; the database keeps only its SHA-256 (accounts/auth.h TokenDigest), so a copy
// of the database or a backup cannot be used to sign up or take over an account.
#ifndef MGADVISOR_ACCOUNTS_ADMIN_H_
#define MGADVISOR_ACCOUNTS_ADMIN_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/database.h"
#include "core/error.h"

namespace mg::accounts {

// How long what the operator hands out stays valid unless they say otherwise: an invitation is
// sent and may wait a few days; a reset link proves nothing about who holds it, so it is short.
inline constexpr int64_t kDefaultInvitationSeconds = 7 * 24 * 3600;
inline constexpr int64_t kDefaultResetSeconds = 3600;

struct Invitation {
  std::string code;  // Shown once; the person enters it when creating an account.
  int64_t expires_unix = 0;
  nlohmann::json ToJson() const;
};

// A new single-use invitation valid for `valid_seconds` from `now_unix`. Errors:
// kInvalidArgument when valid_seconds is not positive; the database's.
Result<Invitation> CreateInvitation(Database& database, int64_t now_unix, int64_t valid_seconds);

struct PasswordReset {
  std::string username;
  std::string token;  // Shown once, inside `link` when a base address was given.
  std::string link;   // "<base>/#reset=<token>": the page opens a "new password" form.
  int64_t expires_unix = 0;
  nlohmann::json ToJson() const;
};

// A one-time reset for `username` (normalised first), valid for `valid_seconds`; `base_url`
// ("https://mg.example.org") makes the link, "" leaves it empty. Using it sets a new password
// and ends every session of the account (Database::ResetPassword). Errors: kInvalidArgument
// for a malformed name or a non-positive validity; kNotFound when no account has the name.
Result<PasswordReset> CreatePasswordReset(Database& database, std::string_view username,
                                          int64_t now_unix, int64_t valid_seconds,
                                          std::string_view base_url);

}  // namespace mg::accounts

#endif  // MGADVISOR_ACCOUNTS_ADMIN_H_
