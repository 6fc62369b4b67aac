// Private to mg_server: the multi-user side of the server — sign-up, sign-in, sign-out, account
// deletion, and checking the session cookie and CSRF token of every journal request.
//
// Sessions: a 256-bit random token in an HttpOnly, SameSite=Strict cookie (Secure behind TLS);
// the database keeps only its SHA-256. CSRF: each session has its own random token, returned by
// sign-in and GET /api/session, which the page sends back in X-CSRF-Token on every request that
// changes state; compared in constant time. Rate limiting: failed sign-ins are counted in the
// database (so every app server sees them) per username and per client address.
#ifndef MGADVISOR_SERVER_ACCOUNTS_API_H_
#define MGADVISOR_SERVER_ACCOUNTS_API_H_

#include <httplib.h>

#include <memory>

#include "accounts/database.h"
#include "core/error.h"
#include "server/server.h"

namespace mg::server {

class AccountsApi {
 public:
  AccountsApi(std::shared_ptr<accounts::Database> database, bool secure_cookies);

  // The session named by the request's cookie. Errors: kUnauthenticated (none, unknown,
  // expired, or its account is gone), kIoError.
  Result<accounts::Session> Authenticate(const httplib::Request& in);
  // Errors: kForbidden unless X-CSRF-Token equals the session's token.
  Status CheckCsrf(const accounts::Session& session, const httplib::Request& in) const;
  // Answers one kAccount route (see Routes()), writing the whole response.
  void Handle(const RouteInfo& route, const httplib::Request& in, httplib::Response& out);

 private:
  std::shared_ptr<accounts::Database> database_;
  bool secure_cookies_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_ACCOUNTS_API_H_
