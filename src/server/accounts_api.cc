#include "server/accounts_api.h"

#include "server/handlers.h"

namespace mg::server {

AccountsApi::AccountsApi(std::shared_ptr<accounts::Database> database, bool secure_cookies)
    : database_(std::move(database)), secure_cookies_(secure_cookies) {}

Result<accounts::Session> AccountsApi::Authenticate(const httplib::Request&) {
  return Error{ErrorCode::kUnauthenticated, "sign in first"};
}

Status AccountsApi::CheckCsrf(const accounts::Session&, const httplib::Request&) const {
  return Error{ErrorCode::kForbidden, "X-CSRF-Token missing"};
}

void AccountsApi::Handle(const RouteInfo&, const httplib::Request&, httplib::Response& out) {
  const ApiResponse response = ErrorResponse({ErrorCode::kInternal, "not implemented yet"});
  out.status = response.status;
  out.set_content(response.body, response.content_type.c_str());
}

}  // namespace mg::server
