#include "server/accounts_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

#include "accounts/auth.h"
#include "server/handlers.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

using nlohmann::json;

constexpr const char* kCookieName = "mg_session";
constexpr int64_t kSessionSeconds = 7 * 24 * 3600;
// Failed sign-ins allowed per window, per username and per client address. The address limit is
// looser because several people may share one address (a clinic, a household).
constexpr int64_t kFailureWindowSeconds = 15 * 60;
constexpr int kMaxFailuresPerUser = 5;
constexpr int kMaxFailuresPerAddress = 30;
// New accounts per client address per hour, so one client cannot fill the database.
constexpr int64_t kSignupWindowSeconds = 3600;
constexpr int kMaxSignupsPerAddress = 10;
// Attempts older than every window count for nothing and may be purged.
constexpr int64_t kLongestWindowSeconds = std::max(kFailureWindowSeconds, kSignupWindowSeconds);
// Rows of each kind (expired sessions, old attempts) one purge deletes at most: small enough to
// sit on the sign-in path, and more than sign-ins create between two purges.
constexpr int kPurgeRowsPerCall = 100;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

void WriteJson(HttpResponse& out, const ApiResponse& response) {
  out.status = response.status;
  out.SetContent(response.body, response.content_type);
}

std::string SessionCookie(const HttpRequest& in) { return CookieValue(in, kCookieName); }

struct Credentials {
  std::string username;  // Normalised.
  std::string password;
  std::optional<std::string> invitation;  // Sign-up only: a code from `mgadvisor admin invite`.
};

Result<Credentials> ReadCredentials(const HttpRequest& in, bool new_account) {
  MG_RETURN_IF_ERROR(RequireJson(in));
  // The parser's message quotes the text near a syntax error, which may be the password.
  auto body = ParseObject(in.body);
  if (!body.ok()) {
    return InvalidArgument(
        "request body: expected a JSON object {\"username\": ..., \"password\": ...}");
  }
  if (new_account) {
    MG_RETURN_IF_ERROR(
        RejectUnknownFields(*body, {"username", "password", "invitation"}, "request body"));
  } else {
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"username", "password"}, "request body"));
  }
  auto username = OptionalString(*body, "username");
  if (!username.ok()) return username.error();
  if (!*username) return InvalidArgument("username: required");
  // The password is never quoted back, even in a type error.
  const auto password = body->find("password");
  if (password == body->end() || !password->is_string()) {
    return InvalidArgument("password: required, as a string");
  }
  Credentials out;
  auto normalised = accounts::NormaliseUsername(**username);
  if (!normalised.ok()) return normalised.error();
  out.username = std::move(*normalised);
  out.password = password->get<std::string>();
  if (new_account) {
    // Like the password, the code is a secret and never quoted back.
    const auto invitation = body->find("invitation");
    if (invitation != body->end() && !invitation->is_null()) {
      if (!invitation->is_string() || invitation->get<std::string>().empty()) {
        return InvalidArgument("invitation: expected the code as a non-empty string");
      }
      out.invitation = invitation->get<std::string>();
    }
  }
  if (new_account) MG_RETURN_IF_ERROR(accounts::CheckNewPassword(out.password, out.username));
  return out;
}

// A username in a body field or a path that is not "username" (a clinician's, an owner's):
// normalised, with the error naming `field`.
Result<std::string> NamedAccount(std::string_view name, std::string_view field) {
  auto normalised = accounts::NormaliseUsername(name);
  if (normalised.ok()) return normalised;
  std::string message = normalised.error().message;
  if (message.starts_with("username")) message = std::string(field) + message.substr(8);
  return InvalidArgument(message);
}

// Guesses at reset tokens per client address per window (the tokens are 256-bit random, so
// this bounds the Argon2id work a client can cause rather than the odds of a guess).
constexpr int64_t kResetWindowSeconds = 15 * 60;
constexpr int kMaxResetsPerAddress = 10;

Error RateLimited(int64_t window_seconds) {
  return Error{ErrorCode::kRateLimited,
               fmt::format("too many attempts; try again in {} minutes", window_seconds / 60)};
}

}  // namespace

std::string CookieValue(const HttpRequest& in, std::string_view name) {
  const std::string header = in.Header("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return "";
}

// A cross-site page can submit a form (urlencoded, multipart, text/plain) without a CORS
// preflight, but not a JSON body; insisting on JSON stops sign-in CSRF (forcing a victim into the
// attacker's account) along with SameSite=Strict.
Status RequireJson(const HttpRequest& in) {
  const std::string type = in.Header("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return InvalidArgument(fmt::format("Content-Type: expected application/json, got '{}'",
                                       type.empty() ? "(none)" : type));
  }
  return {};
}

Status CheckSameOrigin(const HttpRequest& in) {
  const std::string origin = in.Header("Origin");
  if (origin.empty()) return {};  // Not a browser (curl, scripts): no ambient cookies to abuse.
  const std::string host = in.Header("Host");
  const size_t scheme = origin.find("://");
  // "null" (sandboxed frames, file: pages) never matches: an attacker can produce it at will.
  const std::string origin_host = scheme == std::string::npos ? "" : origin.substr(scheme + 3);
  if (host.empty() || origin_host != host) {
    return Error{ErrorCode::kForbidden,
                 fmt::format("Origin: '{}' is not this server ('{}'); cross-site requests are "
                             "refused",
                             origin, host)};
  }
  return {};
}

Status CheckLoopbackHost(const HttpRequest& in, std::string_view lan_host) {
  const std::string host = in.Header("Host");
  // Strip the port: "127.0.0.1:8425", "[::1]:8425", "localhost".
  std::string name = host;
  if (const size_t bracket = host.rfind(']'); bracket != std::string::npos) {
    name = host.substr(0, bracket + 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
    name = host.substr(0, colon);
  }
  if (name == "127.0.0.1" || name == "localhost" || name == "[::1]") return {};
  if (!lan_host.empty() && host == lan_host) return {};
  if (!lan_host.empty()) {
    return Error{ErrorCode::kForbidden,
                 fmt::format("Host: '{}' is not this server; it answers only {}, 127.0.0.1, "
                             "localhost and [::1]",
                             host, lan_host)};
  }
  return Error{ErrorCode::kForbidden,
               fmt::format("Host: '{}' is not this computer; local mode answers only "
                           "127.0.0.1, localhost and [::1]",
                           host)};
}

AccountsApi::AccountsApi(std::shared_ptr<accounts::Database> database, bool secure_cookies,
                         SignupMode signup)
    : database_(std::move(database)), secure_cookies_(secure_cookies), signup_(signup) {
  PurgeExpired(Now());  // At start-up; then a little on every sign-in and sign-up.
}

Result<accounts::Session> AccountsApi::Authenticate(const HttpRequest& in, SessionUse use) {
  const std::string token = SessionCookie(in);
  if (token.empty()) return Error{ErrorCode::kUnauthenticated, "not signed in"};
  const std::string digest = accounts::TokenDigest(token);
  const int64_t now = Now();
  // Only a backend whose session journals check the session themselves reads the cache back;
  // for any other, remembering would be work for nothing.
  const bool cacheable = database_->SessionJournalsCheckTheSession();
  if (use == SessionUse::kSessionJournal && cacheable) {
    if (auto remembered = sessions_.Find(digest, now, SessionCache::Clock::now())) {
      return *std::move(remembered);
    }
  }
  const uint64_t generation = sessions_.Generation();
  auto session = database_->FindSession(digest, now);
  if (!session.ok()) return session.error();
  if (!*session) {
    return Error{ErrorCode::kUnauthenticated, "the session has expired or ended; sign in again"};
  }
  if (cacheable) sessions_.Remember(**session, generation, SessionCache::Clock::now());
  return **session;
}

Status AccountsApi::CheckCsrf(const accounts::Session& session, const HttpRequest& in) const {
  const std::string sent = in.Header("X-CSRF-Token");
  if (sent.empty()) {
    return Error{ErrorCode::kForbidden,
                 "X-CSRF-Token: missing; send the csrf_token from GET /api/session"};
  }
  if (!accounts::SecretsEqual(sent, session.csrf_token)) {
    return Error{ErrorCode::kForbidden, "X-CSRF-Token: does not match this session"};
  }
  return {};
}

Status AccountsApi::Handle(const RouteInfo& route, const HttpRequest& in, HttpResponse& out) {
  const std::string& m = route.method;
  Status status;
  if (route.path == "/api/session" && m == "GET") {
    status = Whoami(in, out);
  } else if (route.path == "/api/session" && m == "POST") {
    status = SignIn(in, out, /*new_account=*/false);
  } else if (route.path == "/api/account" && m == "POST") {
    status = SignIn(in, out, /*new_account=*/true);
  } else if (route.path == "/api/session" && m == "DELETE") {
    status = SignOut(in, out, /*delete_account=*/false);
  } else if (route.path == "/api/account" && m == "DELETE") {
    status = SignOut(in, out, /*delete_account=*/true);
  } else if (route.path == "/api/account/calendar") {
    status = CalendarKey(in, out, /*create=*/m == "POST");
  } else if (route.path == "/api/account/password" && m == "POST") {
    status = ResetPassword(in, out);
  } else if (route.path == "/api/account/password" && m == "PUT") {
    status = ChangePassword(in, out);
  } else if (route.path.starts_with("/api/shares")) {
    status = Shares(route, in, out);
  } else {
    status =
        Error{ErrorCode::kInternal, fmt::format("no account handler for {} {}", m, route.path)};
  }
  return status;
}

Status AccountsApi::Whoami(const HttpRequest& in, HttpResponse& out) {
  auto session = Authenticate(in);
  if (!session.ok()) return session.error();
  auto account = database_->AccountById(session->user_id);
  if (!account.ok()) return account.error();
  if (!*account) return Error{ErrorCode::kUnauthenticated, "the account no longer exists"};
  WriteJson(out, JsonResponse({{"mode", "multi"},
                               {"user", {{"username", (*account)->username}}},
                               {"csrf_token", session->csrf_token}}));
  return {};
}

Status AccountsApi::SignIn(const HttpRequest& in, HttpResponse& out, bool new_account) {
  auto credentials = ReadCredentials(in, new_account);
  if (!credentials.ok()) return credentials.error();
  const int64_t now = Now();
  PurgeExpired(now);
  int64_t user_id = 0;
  if (new_account) {
    MG_RETURN_IF_ERROR(CheckSignupAllowed(credentials->invitation.has_value()));
    // Every sign-up that gets this far counts, taken name or not: it bounds the Argon2id work
    // and the name probing one address can cause.
    auto taken = database_->TakeAttempt(
        {{"signup:" + in.remote_address, now - kSignupWindowSeconds, kMaxSignupsPerAddress}}, now);
    if (!taken.ok()) return taken.error();
    if (!*taken) return RateLimited(kSignupWindowSeconds);
    auto hash = WithHashSlot([&] { return accounts::HashPassword(credentials->password); });
    if (!hash.ok()) return hash.error();
    // Invitation-only: the code is used up in the same transaction that creates the account.
    auto created =
        signup_ == SignupMode::kInvite
            ? database_->CreateInvitedAccount(credentials->username, *hash, now,
                                              accounts::TokenDigest(*credentials->invitation))
            : database_->CreateAccount(credentials->username, *hash, now);
    if (!created.ok()) {
      if (created.error().code == ErrorCode::kConflict) {
        return Error{ErrorCode::kConflict,
                     fmt::format("username: '{}' is taken; choose another or sign in",
                                 credentials->username)};
      }
      return created.error();
    }
    user_id = *created;
  } else {
    // The attempt is taken, atomically per key, before the password is checked, so a locked-out
    // guesser learns nothing more and parallel guesses cannot all pass one count; a right
    // password gives it back.
    auto attempt = TakePasswordAttempt(in, credentials->username, now);
    if (!attempt.ok()) return attempt.error();
    auto account = database_->FindAccount(credentials->username);
    if (!account.ok()) return account.error();
    bool good = false;
    WithHashSlot([&] {
      if (*account) {
        good = accounts::VerifyPassword(credentials->password, (*account)->password_hash);
      } else {
        accounts::BurnPasswordCheck(credentials->password);  // Same time as a wrong password.
      }
    });
    if (!good) return Error{ErrorCode::kUnauthenticated, "username or password is wrong"};
    MG_RETURN_IF_ERROR(GivePasswordAttemptBack(*attempt, credentials->username));
    user_id = (*account)->id;
  }
  auto csrf_token = StartSession(in, out, user_id, now);
  if (!csrf_token.ok()) return csrf_token.error();
  WriteJson(out, JsonResponse({{"mode", "multi"},
                               {"user", {{"username", credentials->username}}},
                               {"csrf_token", *csrf_token}},
                              new_account ? 201 : 200));
  return {};
}

Result<std::string> AccountsApi::StartSession(const HttpRequest& in, HttpResponse& out,
                                              int64_t user_id, int64_t now) {
  accounts::Session session;
  const std::string token = accounts::NewToken();
  session.token_hash = accounts::TokenDigest(token);
  session.user_id = user_id;
  session.csrf_token = accounts::NewToken();
  session.expires_unix = now + kSessionSeconds;
  MG_RETURN_IF_ERROR(database_->AddSession(session));
  out.SetHeader("Set-Cookie", SessionCookieHeader(in, token, kSessionSeconds));
  out.SetHeader("Cache-Control", "no-store");
  return session.csrf_token;
}

Status AccountsApi::SignOut(const HttpRequest& in, HttpResponse& out, bool delete_account) {
  auto session = Authenticate(in);
  if (!session.ok()) return session.error();
  MG_RETURN_IF_ERROR(CheckCsrf(*session, in));
  if (delete_account) {
    // Deleting everything asks for the password again: a borrowed unlocked browser is not enough.
    MG_RETURN_IF_ERROR(RequireJson(in));
    auto body = ParseObject(in.body);
    if (!body.ok())
      return InvalidArgument("request body: expected a JSON object {\"password\": ...}");
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"password"}, "request body"));
    const auto password = body->find("password");
    if (password == body->end() || !password->is_string()) {
      return InvalidArgument("password: required, as a string, to delete the account");
    }
    auto account = database_->AccountById(session->user_id);
    if (!account.ok()) return account.error();
    if (!*account) return Error{ErrorCode::kUnauthenticated, "the account no longer exists"};
    // Under the same limits as sign-in: a stolen session must not be a password oracle.
    auto attempt = TakePasswordAttempt(in, (*account)->username, Now());
    if (!attempt.ok()) return attempt.error();
    const bool good = WithHashSlot([&] {
      return accounts::VerifyPassword(password->get<std::string>(), (*account)->password_hash);
    });
    if (!good) {
      return Error{ErrorCode::kForbidden, "password: wrong; the account was not deleted"};
    }
    // Deleting the account also deletes the attempts under its name.
    // Forgotten after the database has changed, so that no lookup still running can put the
    // session back (SessionCache::Generation).
    MG_RETURN_IF_ERROR(database_->DeleteAccount(session->user_id));
    sessions_.ForgetAccount(session->user_id);
    MG_RETURN_IF_ERROR(database_->ReturnAttempts(*attempt));
  } else {
    MG_RETURN_IF_ERROR(database_->DeleteSession(session->token_hash));
    sessions_.ForgetSession(session->token_hash);
  }
  out.SetHeader("Set-Cookie", SessionCookieHeader(in, "", 0));
  out.SetHeader("Cache-Control", "no-store");
  WriteJson(out,
            JsonResponse(delete_account ? json{{"deleted", true}} : json{{"signed_out", true}}));
  return {};
}

Result<std::vector<int64_t>> AccountsApi::TakePasswordAttempt(const HttpRequest& in,
                                                              const std::string& username,
                                                              int64_t now) {
  auto taken = database_->TakeAttempt(
      {{"user:" + username, now - kFailureWindowSeconds, kMaxFailuresPerUser},
       {"addr:" + in.remote_address, now - kFailureWindowSeconds, kMaxFailuresPerAddress}},
      now);
  if (!taken.ok()) return taken.error();
  if (!*taken) return RateLimited(kFailureWindowSeconds);
  return std::move(**taken);
}

Status AccountsApi::GivePasswordAttemptBack(const std::vector<int64_t>& attempt,
                                            const std::string& username) {
  // The name's earlier failures are forgotten too (its owner got in); the address keeps them.
  MG_RETURN_IF_ERROR(database_->ClearAttempts("user:" + username));
  return database_->ReturnAttempts(attempt);
}

void AccountsApi::PurgeExpired(int64_t now) {
  // Best effort: a failure here must not fail a sign-in; the next one tries again.
  (void)database_->PurgeExpired(now, now - kLongestWindowSeconds, kPurgeRowsPerCall);
}

Result<int64_t> AccountsApi::CalendarAccount(const std::string& key) {
  auto user_id = database_->FindCalendarKey(accounts::TokenDigest(key));
  if (!user_id.ok()) return user_id.error();
  if (!*user_id) {
    return Error{ErrorCode::kUnauthenticated,
                 "key: not a calendar key of this server (revoked, or replaced by a newer one)"};
  }
  return **user_id;
}

Status AccountsApi::CalendarKey(const HttpRequest& in, HttpResponse& out, bool create) {
  auto session = Authenticate(in);
  if (!session.ok()) return session.error();
  MG_RETURN_IF_ERROR(CheckCsrf(*session, in));
  if (!create) {
    MG_RETURN_IF_ERROR(database_->DeleteCalendarKey(session->user_id));
    WriteJson(out, JsonResponse({{"revoked", true}}));
    return {};
  }
  // Like a session token, only the digest is stored: the address is shown once, here.
  const std::string key = accounts::NewToken();
  MG_RETURN_IF_ERROR(database_->SetCalendarKey(session->user_id, accounts::TokenDigest(key)));
  const bool https = secure_cookies_ || in.Header("X-Forwarded-Proto") == "https";
  WriteJson(out, JsonResponse({{"calendar_url",
                                fmt::format("{}://{}/api/calendar.ics?key={}",
                                            https ? "https" : "http", in.Header("Host"), key)}},
                              201));
  out.SetHeader("Cache-Control", "no-store");
  return {};
}

Status AccountsApi::CheckSignupAllowed(bool has_invitation) const {
  switch (signup_) {
    case SignupMode::kOpen:
      return {};
    case SignupMode::kClosed:
      return Error{ErrorCode::kForbidden,
                   "sign-up is closed on this server; ask its operator for an account"};
    case SignupMode::kInvite:
      if (has_invitation) return {};
      return Error{ErrorCode::kForbidden,
                   "invitation: this server creates accounts by invitation only; enter the "
                   "code its operator gave you"};
  }
  return {};
}

Status AccountsApi::ResetPassword(const HttpRequest& in, HttpResponse& out) {
  MG_RETURN_IF_ERROR(RequireJson(in));
  auto body = ParseObject(in.body);
  if (!body.ok()) {
    return InvalidArgument(
        "request body: expected a JSON object {\"token\": ..., \"password\": ...}");
  }
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"token", "password"}, "request body"));
  // Neither secret is ever quoted back.
  const auto token = body->find("token");
  if (token == body->end() || !token->is_string() || token->get<std::string>().empty()) {
    return InvalidArgument("token: required, as a string (from the password-reset link)");
  }
  const auto password = body->find("password");
  if (password == body->end() || !password->is_string()) {
    return InvalidArgument("password: required, as a string");
  }
  const int64_t now = Now();
  PurgeExpired(now);
  auto taken = database_->TakeAttempt(
      {{"reset:" + in.remote_address, now - kResetWindowSeconds, kMaxResetsPerAddress}}, now);
  if (!taken.ok()) return taken.error();
  if (!*taken) return RateLimited(kResetWindowSeconds);
  const std::string digest = accounts::TokenDigest(token->get<std::string>());
  const Error invalid{ErrorCode::kForbidden,
                      "token: not a valid password-reset link (unknown, already used or "
                      "expired); ask the server's operator for a new one"};
  auto user_id = database_->FindPasswordReset(digest, now);
  if (!user_id.ok()) return user_id.error();
  if (!*user_id) return invalid;
  auto account = database_->AccountById(**user_id);
  if (!account.ok()) return account.error();
  if (!*account) return invalid;
  const std::string new_password = password->get<std::string>();
  MG_RETURN_IF_ERROR(accounts::CheckNewPassword(new_password, (*account)->username));
  auto hash = WithHashSlot([&] { return accounts::HashPassword(new_password); });
  if (!hash.ok()) return hash.error();
  auto reset = database_->ResetPassword(digest, *hash, now);
  if (!reset.ok()) return reset.error();
  sessions_.ForgetAccount(*reset);  // Every session of the account ended with the reset.
  // The owner is back in: the name's failed sign-ins (perhaps why they asked) are forgotten.
  MG_RETURN_IF_ERROR(database_->ClearAttempts("user:" + (*account)->username));
  out.SetHeader("Set-Cookie", SessionCookieHeader(in, "", 0));
  out.SetHeader("Cache-Control", "no-store");
  WriteJson(out, JsonResponse(
                     {{"password_reset", true}, {"user", {{"username", (*account)->username}}}}));
  return {};
}

Status AccountsApi::ChangePassword(const HttpRequest& in, HttpResponse& out) {
  auto session = Authenticate(in);
  if (!session.ok()) return session.error();
  MG_RETURN_IF_ERROR(CheckCsrf(*session, in));
  MG_RETURN_IF_ERROR(RequireJson(in));
  auto body = ParseObject(in.body);
  if (!body.ok()) {
    return InvalidArgument(
        "request body: expected a JSON object {\"current_password\": ..., \"password\": ...}");
  }
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"current_password", "password"}, "request body"));
  // Neither password is ever quoted back.
  const auto current = body->find("current_password");
  if (current == body->end() || !current->is_string()) {
    return InvalidArgument("current_password: required, as a string");
  }
  const auto password = body->find("password");
  if (password == body->end() || !password->is_string()) {
    return InvalidArgument("password: required, as a string (the new password)");
  }
  auto account = database_->AccountById(session->user_id);
  if (!account.ok()) return account.error();
  if (!*account) return Error{ErrorCode::kUnauthenticated, "the account no longer exists"};
  const int64_t now = Now();
  // Under the sign-in limits: a borrowed signed-in browser must not be a password oracle.
  auto attempt = TakePasswordAttempt(in, (*account)->username, now);
  if (!attempt.ok()) return attempt.error();
  const bool good = WithHashSlot([&] {
    return accounts::VerifyPassword(current->get<std::string>(), (*account)->password_hash);
  });
  if (!good) {
    return Error{ErrorCode::kForbidden, "current_password: wrong; the password was not changed"};
  }
  MG_RETURN_IF_ERROR(database_->ReturnAttempts(*attempt));
  const std::string new_password = password->get<std::string>();
  MG_RETURN_IF_ERROR(accounts::CheckNewPassword(new_password, (*account)->username));
  auto hash = WithHashSlot([&] { return accounts::HashPassword(new_password); });
  if (!hash.ok()) return hash.error();
  // Through the reset path, whose one transaction sets the hash, ends every session of the
  // account and uses up every reset link an operator may have handed out: a changed password
  // leaves no older way in. The token lives for that one call only.
  const std::string digest = accounts::TokenDigest(accounts::NewToken());
  MG_RETURN_IF_ERROR(database_->AddPasswordReset(session->user_id, digest, now + 60));
  auto reset = database_->ResetPassword(digest, *hash, now);
  if (!reset.ok()) return reset.error();
  sessions_.ForgetAccount(session->user_id);
  MG_RETURN_IF_ERROR(database_->ClearAttempts("user:" + (*account)->username));
  // This browser stays signed in, with a new session; every other one was signed out above.
  auto csrf_token = StartSession(in, out, session->user_id, now);
  if (!csrf_token.ok()) return csrf_token.error();
  WriteJson(out, JsonResponse({{"password_changed", true},
                               {"user", {{"username", (*account)->username}}},
                               {"csrf_token", *csrf_token}}));
  return {};
}

Status AccountsApi::Shares(const RouteInfo& route, const HttpRequest& in, HttpResponse& out) {
  auto session = Authenticate(in);
  if (!session.ok()) return session.error();
  if (route.method == "GET") {
    auto shares = database_->ListShares(session->user_id);
    if (!shares.ok()) return shares.error();
    WriteJson(out, JsonResponse(
                       {{"shared_with", shares->granted}, {"shared_with_me", shares->received}}));
    return {};
  }
  MG_RETURN_IF_ERROR(CheckCsrf(*session, in));
  if (route.method == "DELETE") {
    auto clinician = NamedAccount(in.path_argument, "clinician");
    if (!clinician.ok()) return clinician.error();
    MG_RETURN_IF_ERROR(database_->DeleteShare(session->user_id, *clinician));
    WriteJson(out, JsonResponse({{"revoked", *clinician}}));
    return {};
  }
  MG_RETURN_IF_ERROR(RequireJson(in));
  auto body = ParseObject(in.body);
  if (!body.ok()) return InvalidArgument("request body: expected {\"clinician\": username}");
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"clinician"}, "request body"));
  auto name = OptionalString(*body, "clinician");
  if (!name.ok()) return name.error();
  if (!*name) return InvalidArgument("clinician: required, the username to share with");
  auto clinician = NamedAccount(**name, "clinician");
  if (!clinician.ok()) return clinician.error();
  MG_RETURN_IF_ERROR(database_->AddShare(session->user_id, *clinician, Now()));
  WriteJson(out, JsonResponse({{"shared_with", *clinician}}, 201));
  return {};
}

std::string AccountsApi::SessionCookieHeader(const HttpRequest& in, const std::string& token,
                                             int64_t max_age) const {
  const bool secure = secure_cookies_ || in.Header("X-Forwarded-Proto") == "https";
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kCookieName, token,
                     max_age, secure ? "; Secure" : "");
}

}  // namespace mg::server
