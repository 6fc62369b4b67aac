// Credentials and tokens for the multi-user server, on libsodium: Argon2id password hashes,
// random session and CSRF tokens, token digests for storage, and constant-time comparison.
#ifndef MGADVISOR_ACCOUNTS_AUTH_H_
#define MGADVISOR_ACCOUNTS_AUTH_H_

#include <string>
#include <string_view>

#include "core/data_files.h"
#include "core/error.h"

namespace mg::accounts {

// Usernames: 3-64 characters of a-z, 0-9, '.', '_' and '-', compared in lower case (so "Anna"
// and "anna" are one account). Returns the normalised name. Errors: kInvalidArgument naming the
// field "username" and what is wrong.
Result<std::string> NormaliseUsername(std::string_view username);

// A new password for `username` (already normalised) must pass the rules of
// data/accounts/passwords.toml, in this order: 10-1024 bytes (long passphrases welcome; the upper
// bound keeps hashing bounded); not the username nor containing it; not one of the most common
// passwords, even with digits or symbols around it ("Password12!"); not a trivial pattern
// (repeated or keyboard/alphabet-sequential characters). Errors: kInvalidArgument naming the field
// "password" and the rule it broke (never echoing the password); kInternal if the embedded rules
// do not load (a bug).
Status CheckNewPassword(std::string_view password, std::string_view username);

// Reads a password-rules file (data/accounts/passwords.toml) as the loader does, for
// `mgadvisor data lint`. Errors: kDataError listing every problem as file:line.
Status CheckPasswordRulesFile(const DataFile& file);

// Argon2id (crypto_pwhash_str, libsodium's interactive limits: 2 passes over 64 MiB). The
// result carries its own salt and parameters. Errors: kInternal when out of memory.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& hash);
// Spends the same effort as a VerifyPassword on a real hash, so a sign-in for a username that
// does not exist takes as long as a wrong password for one that does.
void BurnPasswordCheck(std::string_view password);

// 32 random bytes as URL-safe base64 without padding (43 characters).
std::string NewToken();
// What the database stores for a session token: hex SHA-256.
std::string TokenDigest(std::string_view token);
// Constant-time equality for secrets (different lengths compare unequal at once; lengths are
// not secret).
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace mg::accounts

#endif  // MGADVISOR_ACCOUNTS_AUTH_H_
