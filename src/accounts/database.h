// The multi-user storage seam: accounts, sessions, rate-limit attempts and every person's journal
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
#include <vector>

#include "core/error.h"
#include "journal/journal.h"

namespace mg::accounts {

struct Account {
  int64_t id = 0;
  std::string username;       // As registered (already normalised by auth.h).
  std::string password_hash;  // libsodium crypto_pwhash_str output (Argon2id).
  int64_t created_unix = 0;
};

// One rate limit an attempt counts against: at most `max_attempts` under `key` ("user:<name>",
// "addr:<ip>", "signup:<ip>") since `since_unix`.
struct RateLimit {
  std::string key;
  int64_t since_unix = 0;
  int max_attempts = 0;
};

struct Session {
  std::string token_hash;  // Hex SHA-256 of the cookie's token.
  int64_t user_id = 0;
  std::string csrf_token;  // Echoed by the page in X-CSRF-Token on state-changing requests.
  int64_t expires_unix = 0;
};

// The journals shared between accounts: `granted` names the clinicians this account lets read its
// journal, `received` the accounts whose journals it may read. Each list sorted by name.
struct Shares {
  std::vector<std::string> granted;
  std::vector<std::string> received;
};

// A connection pool's use at one moment, for the server's metrics.
struct PoolUse {
  int size = 0;    // Connections it may open.
  int open = 0;    // Open now (idle or in use).
  int in_use = 0;  // Leased to a request now.
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
  // Deletes the account and everything of it: entries, IRLS items, profile, trials, sessions,
  // password resets, the shares it granted or received, and the rate-limit attempts under
  // "user:<its name>". Errors: kNotFound when there is no such account.
  virtual Status DeleteAccount(int64_t user_id) = 0;

  virtual Status AddSession(const Session& session) = 0;
  // The session with this token hash if it exists and has not expired at `now_unix`.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash,
                                                     int64_t now_unix) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // Rate limiting, shared by every app server: see RateLimit. Atomically, under a lock per key
  // held to the end of the transaction (so parallel requests for one key queue instead of all
  // reading the same count): when every key has had fewer than its max_attempts since its
  // since_unix, records one attempt at `now_unix` under each key and returns their ids (in the
  // order of `limits`); when any key is at its maximum, records nothing and returns nullopt.
  // Attempts of these keys older than their window are pruned.
  virtual Result<std::optional<std::vector<int64_t>>> TakeAttempt(
      const std::vector<RateLimit>& limits, int64_t now_unix) = 0;
  // How many attempts `key` has had since `since_unix`.
  virtual Result<int> CountAttempts(const std::string& key, int64_t since_unix) = 0;
  // Takes back attempts that turned out not to count (e.g. the password was right).
  virtual Status ReturnAttempts(const std::vector<int64_t>& attempt_ids) = 0;
  // Forgets every attempt under `key` (a successful sign-in clears its username's failures).
  virtual Status ClearAttempts(const std::string& key) = 0;

  // Housekeeping with bounded work, so it can run at start-up and on the sign-in path: deletes at
  // most `max_rows` sessions (and as many invitations and password resets) expired at `now_unix`
  // and at most `max_rows` attempts older than `attempts_before_unix`. Returns how many rows it
  // deleted.
  virtual Result<int> PurgeExpired(int64_t now_unix, int64_t attempts_before_unix,
                                   int max_rows) = 0;

  // The account's secret calendar address (GET /api/calendar.ics?key=), for calendar apps that
  // cannot sign in: stored as the key's digest, at most one per account. Setting one replaces
  // the older (which stops working); deleting the account deletes it. Errors: kNotFound when the
  // account does not exist (Set); kIoError.
  virtual Status SetCalendarKey(int64_t user_id, const std::string& key_hash) = 0;
  virtual Status DeleteCalendarKey(int64_t user_id) = 0;
  // The account of a key digest; nullopt when no account has it.
  virtual Result<std::optional<int64_t>> FindCalendarKey(const std::string& key_hash) = 0;

  // Invitations (serve --signup invite): a single-use code, stored as its digest, valid until
  // `expires_unix`. Errors: kIoError.
  virtual Status AddInvitation(const std::string& code_hash, int64_t created_unix,
                               int64_t expires_unix) = 0;
  // Uses up the invitation and creates the account in one transaction: both happen or neither
  // (a taken name leaves the code usable). Errors: kForbidden when no unexpired invitation has
  // this digest (unknown, used or expired); kConflict when the username is taken; kIoError.
  virtual Result<int64_t> CreateInvitedAccount(const std::string& username,
                                               const std::string& password_hash, int64_t now_unix,
                                               const std::string& code_hash) = 0;

  // One-time password resets (`mgadvisor admin reset-password`): stored as the token's digest.
  // Errors: kNotFound when the account does not exist; kIoError.
  virtual Status AddPasswordReset(int64_t user_id, const std::string& token_hash,
                                  int64_t expires_unix) = 0;
  // The account an unexpired reset token belongs to; nullopt when none.
  virtual Result<std::optional<int64_t>> FindPasswordReset(const std::string& token_hash,
                                                           int64_t now_unix) = 0;
  // In one transaction: uses up the token (and every other reset token of the account), sets the
  // new password hash and ends every session of the account. Returns the account id. Errors:
  // kForbidden when the token is unknown, used or expired; kIoError.
  virtual Result<int64_t> ResetPassword(const std::string& token_hash,
                                        const std::string& password_hash, int64_t now_unix) = 0;

  // Read-only shares of a journal with a named (clinician) account. Errors of AddShare: kNotFound
  // when no account has that name; kInvalidArgument for the account itself. Adding an existing
  // share changes nothing. DeleteShare: kNotFound when there was no such share.
  virtual Status AddShare(int64_t owner_id, const std::string& clinician_username,
                          int64_t now_unix) = 0;
  virtual Status DeleteShare(int64_t owner_id, const std::string& clinician_username) = 0;
  virtual Result<Shares> ListShares(int64_t user_id) = 0;
  // The account named `owner_username` when it shares its journal with `clinician_id`; nullopt
  // when there is no such account or it does not share with this one (the two look the same).
  virtual Result<std::optional<int64_t>> SharedJournalOwner(int64_t clinician_id,
                                                            const std::string& owner_username) = 0;

  // The journal of one account, behind the same interface and contract as the SQLite journal.
  // `clock` must outlive the store. Errors: kNotFound when the account does not exist.
  virtual Result<std::unique_ptr<journal::Store>> OpenJournal(int64_t user_id,
                                                              const journal::Clock& clock) = 0;
  // The journal of the account whose session was just found (FindSession): the session's row
  // already shows the account exists (sessions go with their account), so a backend may skip
  // looking again — one round trip less on every signed-in request. Deleted meanwhile, the
  // account's journal reads as empty and refuses writes with kNotFound, as a journal opened just
  // before the deletion would — or, when SessionJournalsCheckTheSession(), refuses both with
  // kUnauthenticated, the session having gone with the account.
  virtual Result<std::unique_ptr<journal::Store>> OpenSessionJournal(const Session& session,
                                                                     const journal::Clock& clock) {
    return OpenJournal(session.user_id, clock);
  }
  // True when every transaction of a journal from OpenSessionJournal checks that its session
  // still exists and has not expired (failing with kUnauthenticated, having done nothing): the
  // server may then open it from a session it found a moment ago (server/session_cache.h)
  // without looking the session up again, and a sign-out through any app server still ends it
  // at once.
  virtual bool SessionJournalsCheckTheSession() const { return false; }

  // For GET /api/health?deep=1: one round trip to the database (SELECT 1) on a pooled
  // connection. Errors: kIoError naming the database (never its password) and why.
  virtual Status Ping() = 0;
  // The connection pool's use now (GET /metrics); nullopt when the backend has no pool.
  virtual std::optional<PoolUse> ConnectionUse() const { return std::nullopt; }
};

}  // namespace mg::accounts

#endif  // MGADVISOR_ACCOUNTS_DATABASE_H_
