// Private to mg_server: the sessions this app server found lately, so that a signed-in person's
// requests in quick succession look their session up in the database once, not on every request
// (issue 20: under many writers the lookup was half of each write's round trips).
//
// A session is served from here for at most `ttl` after the database showed it, and never past
// its own expiry. What this process ends (sign-out, account deletion, a password changed or
// reset) it forgets at once; what another app server sharing the database ends reaches this one
// within `ttl` (docs/OPERATIONS.md says so).
//
//   SessionCache cache(std::chrono::seconds(2), 10000);
//   const auto generation = cache.Generation();
//   if (auto hit = cache.Find(hash, now_unix, steady_now)) return *hit;
//   ... look it up in the database ...
//   cache.Remember(session, generation, steady_now);  // Ignored if something was forgotten since.
#ifndef MGADVISOR_SERVER_SESSION_CACHE_H_
#define MGADVISOR_SERVER_SESSION_CACHE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "accounts/database.h"

namespace mg::server {

class SessionCache {
 public:
  using Clock = std::chrono::steady_clock;

  // `capacity` bounds the sessions kept (a full cache first drops what is out of date, then
  // everything): memory stays bounded whatever the number of sessions.
  SessionCache(Clock::duration ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // The session of `token_hash` when it was remembered less than the ttl before `now` and has
  // not expired at `now_unix`.
  std::optional<accounts::Session> Find(const std::string& token_hash, int64_t now_unix,
                                        Clock::time_point now) const;
  // Read before a database lookup and passed to Remember: a session ended while the lookup ran
  // is not remembered from it.
  uint64_t Generation() const;
  void Remember(const accounts::Session& session, uint64_t generation, Clock::time_point now);
  // The session has ended (signed out).
  void ForgetSession(const std::string& token_hash);
  // Every session of the account has ended (deleted, password changed or reset).
  void ForgetAccount(int64_t user_id);
  size_t size() const;

 private:
  struct Remembered {
    accounts::Session session;
    Clock::time_point at;
  };

  const Clock::duration ttl_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Remembered> sessions_;  // By token hash.
  uint64_t generation_ = 0;                               // Counts the forgets.
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_SESSION_CACHE_H_
