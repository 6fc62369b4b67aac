// Private to mg_server: the multi-user side of the server — sign-up, sign-in, sign-out, account
// deletion, and checking the session cookie and CSRF token of every journal request.
//
// Sessions: a 256-bit random token in an HttpOnly, SameSite=Strict cookie (Secure behind TLS);
// the database keeps only its SHA-256. CSRF: each session has its own random token, returned by
// sign-in and GET /api/session, which the page sends back in X-CSRF-Token on every request that
// changes state; compared in constant time. Rate limiting: every password check (sign-in, account
// deletion) is counted in the database (so every app server sees it) per username and per client
// address, atomically before the check and given back when the password was right; sign-ups per
// address likewise. Expired sessions and stale attempts are purged a little at a time.
#ifndef MGADVISOR_SERVER_ACCOUNTS_API_H_
#define MGADVISOR_SERVER_ACCOUNTS_API_H_

#include <cstdint>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/database.h"
#include "core/error.h"
#include "server/http_transport.h"
#include "server/server.h"
#include "server/session_cache.h"

namespace mg::server {

// Refuses (kForbidden) a request whose Origin header names another site, or "null". Browsers send
// Origin with every cross-origin POST, PUT and DELETE, so this stops cross-site request forgery
// against state-changing routes in both modes; clients without Origin (curl) pass. The
// dispatcher applies it to every non-GET request, account routes included.
Status CheckSameOrigin(const HttpRequest& in);
// Local mode: refuses (kForbidden) a Host other than 127.0.0.1, localhost or [::1], whatever the
// port. A web page on a name that an attacker re-points at 127.0.0.1 (DNS rebinding) would
// otherwise be same-origin with the journal and could read it.
// With serve --lan, `lan_host` ("192.168.1.20:8425", exactly) is accepted too, and nothing else.
Status CheckLoopbackHost(const HttpRequest& in, std::string_view lan_host = "");
// The value of cookie `name` in the Cookie header ("a=1; mg_session=XYZ; b=2"), or "".
std::string CookieValue(const HttpRequest& in, std::string_view name);
// kInvalidArgument unless the body is declared JSON: a cross-site page can submit a form without
// a CORS preflight, but not a JSON body.
Status RequireJson(const HttpRequest& in);

class AccountsApi {
 public:
  AccountsApi(std::shared_ptr<accounts::Database> database, bool secure_cookies,
              SignupMode signup = SignupMode::kOpen);

  // What a session is wanted for. kSessionJournal: only to open its journal
  // (Database::OpenSessionJournal), and nothing else.
  enum class SessionUse { kAny, kSessionJournal };
  // The session named by the request's cookie. Errors: kUnauthenticated (none, unknown,
  // expired, or its account is gone), kIoError. For kSessionJournal, when the database's session
  // journals check the session in every transaction, a session this server found in the last
  // two seconds is not looked up again (SessionCache): the journal's own check stops a session
  // ended meanwhile, on this app server or another. Sessions ended here are forgotten at once.
  Result<accounts::Session> Authenticate(const HttpRequest& in, SessionUse use = SessionUse::kAny);
  // Errors: kForbidden unless X-CSRF-Token equals the session's token.
  Status CheckCsrf(const accounts::Session& session, const HttpRequest& in) const;
  // The account whose secret calendar key this is (GET /api/calendar.ics?key=). Errors:
  // kUnauthenticated for a key that is unknown, revoked or replaced; kIoError.
  Result<int64_t> CalendarAccount(const std::string& key);
  // Answers one kAccount route (see Routes()), writing the response on success; an Error is the
  // caller's to render.
  Status Handle(const RouteInfo& route, const HttpRequest& in, HttpResponse& out);

 private:
  Status Whoami(const HttpRequest& in, HttpResponse& out);
  // Sign-in, or sign-up then sign-in; sets the session cookie.
  Status SignIn(const HttpRequest& in, HttpResponse& out, bool new_account);
  // Sign-out, or account deletion (password required); clears the cookie.
  Status SignOut(const HttpRequest& in, HttpResponse& out, bool delete_account);
  // POST /api/account/calendar: a new secret calendar address (replacing any older one);
  // DELETE: revokes it. Both need the session and its CSRF token.
  Status CalendarKey(const HttpRequest& in, HttpResponse& out, bool create);
  // POST /api/account/password: a new password with a one-time reset token from the operator
  // (`mgadvisor admin reset-password`); ends every session of the account. No session needed.
  Status ResetPassword(const HttpRequest& in, HttpResponse& out);
  // PUT /api/account/password {"current_password", "password"}: a signed-in person changes
  // their password. Needs the session, its CSRF token and the current password (under the
  // sign-in limits); ends every session of the account (other devices are signed out) and
  // starts a new one for this browser.
  Status ChangePassword(const HttpRequest& in, HttpResponse& out);
  // A new session for `user_id`: the cookie on `out`; returns its CSRF token.
  Result<std::string> StartSession(const HttpRequest& in, HttpResponse& out, int64_t user_id,
                                   int64_t now);
  // GET /api/shares: whom this account shares its journal with, and who shares with it.
  // POST /api/shares {"clinician": name} shares it; DELETE /api/shares/{clinician} revokes.
  // Changes need the session's CSRF token.
  Status Shares(const RouteInfo& route, const HttpRequest& in, HttpResponse& out);
  // Whether this server lets the request create an account: kForbidden when sign-up is closed,
  // or invitation-only and the body carries no invitation.
  Status CheckSignupAllowed(bool has_invitation) const;
  std::string SessionCookieHeader(const HttpRequest& in, const std::string& token,
                                  int64_t max_age) const;
  // Counts a password check against the limits of `username` and the client address (one atomic
  // step in the database) before it happens. Errors: kRateLimited when either is at its limit.
  Result<std::vector<int64_t>> TakePasswordAttempt(const HttpRequest& in,
                                                   const std::string& username, int64_t now);
  // The password was right: the attempt does not count, nor do the name's earlier failures.
  Status GivePasswordAttemptBack(const std::vector<int64_t>& attempt, const std::string& username);
  // Deletes a bounded number of expired sessions and stale attempts; failures are ignored.
  void PurgeExpired(int64_t now);

  // Runs `work` (an Argon2id hash or check, 64 MiB each) with at most kHashSlots at once, so a
  // burst of sign-ins cannot take gigabytes; the others wait their turn.
  template <typename Work>
  auto WithHashSlot(Work work) {
    hash_slots_.acquire();
    struct Release {
      std::counting_semaphore<>& slots;
      ~Release() { slots.release(); }
    } release{hash_slots_};
    return work();
  }
  static constexpr int kHashSlots = 4;

  std::shared_ptr<accounts::Database> database_;
  bool secure_cookies_;
  SignupMode signup_;
  std::counting_semaphore<> hash_slots_{kHashSlots};
  // Sessions found lately: two seconds, so that an ending made through another app server
  // reaches this one that soon; 10,000 of them, about 2 MB at most.
  SessionCache sessions_{std::chrono::seconds(2), 10000};
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_ACCOUNTS_API_H_
