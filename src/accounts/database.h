// The multi-user storage seam: accounts, sessions, login-failure counts and every person's journal
// in one shared database, so app servers hold no state and several can run behind a load balancer.
//
// Start here. `Database` is implemented by PostgreSQL (pgstore/pg_database.h); its contract suite
// is accounts/database_contract_test.h. Every journal a Database hands out is scoped to one
// account: each query carries the account id, entry and trial ids are numbered per account (so
// an id says nothing about anybody else's data), and deleting an account deletes all of it.
//
// Secrets never reach the database in the clear: the server stores the Argon2id hash of a
// password (accounts/auth.h) and the SHA-256 of a session token, never the token itself.
#ifndef MGADVISOR_ACCOUNTS_DATABASE_H_
#define MGADVISOR_ACCOUNTS_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "journal/journal.h"

namespace mg::accounts {

struct Account {
  int64_t id = 0;
  std::string username;       // As registered (already normalised by auth.h).
  std::string password_hash;  // libsodium crypto_pwhash_str output (Argon2id).
  int64_t created_unix = 0;
};

struct Session {
  std::string token_hash;  // Hex SHA-256 of the cookie's token.
  int64_t user_id = 0;
  std::string csrf_token;  // Echoed by the page in X-CSRF-Token on state-changing requests.
  int64_t expires_unix = 0;
};

// Thread-safe: one Database is shared by every request thread of a server.
class Database {
 public:
  virtual ~Database() = default;

  // Errors: kConflict when the username is taken; kIoError.
  virtual Result<int64_t> CreateAccount(const std::string& username,
                                        const std::string& password_hash, int64_t now_unix) = 0;
  virtual Result<std::optional<Account>> FindAccount(const std::string& username) = 0;
  virtual Result<std::optional<Account>> AccountById(int64_t user_id) = 0;
  // Deletes the account and everything of it: entries, IRLS items, profile, trials, sessions and
  // its login-failure records. Errors: kNotFound when there is no such account.
  virtual Status DeleteAccount(int64_t user_id) = 0;

  virtual Status AddSession(const Session& session) = 0;
  // The session with this token hash if it exists and has not expired at `now_unix`.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash,
                                                     int64_t now_unix) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // Login rate limiting, shared by every app server: records a failed attempt under `key`
  // ("user:<name>" or "addr:<ip>") and returns how many failures `key` has had since
  // `since_unix`, this one included. Old records may be pruned.
  virtual Result<int> RecordLoginFailure(const std::string& key, int64_t now_unix,
                                         int64_t since_unix) = 0;
  virtual Result<int> LoginFailures(const std::string& key, int64_t since_unix) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;

  // The journal of one account, behind the same interface and contract as the SQLite journal.
  // `clock` must outlive the store. Errors: kNotFound when the account does not exist.
  virtual Result<std::unique_ptr<journal::Store>> OpenJournal(int64_t user_id,
                                                              const journal::Clock& clock) = 0;
};

}  // namespace mg::accounts

#endif  // MGADVISOR_ACCOUNTS_DATABASE_H_
