// For the multi-user tests (multiuser_test, clinic_test): the real server in multi-user mode on a
// fresh PostgreSQL database per test, and a browser-like client that keeps its session cookie and
// CSRF token.
#ifndef MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_
#define MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "pgstore/pg_database.h"
#include "pgstore/pg_test_support.h"
#include "server/running_server_test_util.h"
#include "server/server.h"

namespace mg::server {

using nlohmann::json;

inline constexpr char kToday[] = "2026-11-23";

// A server in multi-user mode on `database`, "today" fixed.
inline std::unique_ptr<RunningServer> StartServer(std::shared_ptr<accounts::Database> database,
                                                  bool secure_cookies = false,
                                                  SignupMode signup = SignupMode::kOpen) {
  ServerOptions options;
  options.database = std::move(database);
  options.secure_cookies = secure_cookies;
  options.today = journal::ParseDate(kToday);
  options.signup = signup;
  return RunningServer::Start(options);
}

// A browser-like client: keeps its session cookie and CSRF token.
class Browser {
 public:
  explicit Browser(int port) : client_("127.0.0.1", port) {
    client_.set_read_timeout(60, 0);  // Argon2id under sanitizers is slow.
  }

  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body = "", bool with_csrf = true,
                       httplib::Headers extra = {}) {
    httplib::Headers headers = std::move(extra);
    if (!cookie_.empty()) headers.emplace("Cookie", "mg_session=" + cookie_);
    if (with_csrf && !csrf_.empty()) headers.emplace("X-CSRF-Token", csrf_);
    httplib::Result res = method == "GET"    ? client_.Get(path, headers)
                          : method == "POST" ? client_.Post(path, headers, body, "application/json")
                          : method == "PUT"  ? client_.Put(path, headers, body, "application/json")
                          : method == "PATCH"
                              ? client_.Patch(path, headers, body, "application/json")
                              : client_.Delete(path, headers, body, "application/json");
    if (res) Remember(*res);
    return res;
  }

  // Opens a kept-alive connection now (with a GET /api/health), so a request sent later goes
  // out at once instead of queueing on the server's accept backlog with many others.
  bool Connect() {
    client_.set_keep_alive(true);
    auto res = client_.Get("/api/health");
    return res && res->status == 200;
  }

  // Signs up (or in) and keeps the cookie and token. Returns the status, or minus the
  // httplib::Error when no answer came.
  int SignUp(const std::string& user, const std::string& password) {
    return Auth("/api/account", user, password);
  }
  int SignIn(const std::string& user, const std::string& password) {
    return Auth("/api/session", user, password);
  }

  const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }
  const std::string& csrf() const { return csrf_; }
  void set_csrf(std::string csrf) { csrf_ = std::move(csrf); }

 private:
  int Auth(const std::string& path, const std::string& user, const std::string& password) {
    auto res = Send("POST", path, json{{"username", user}, {"password", password}}.dump());
    if (!res) return -static_cast<int>(res.error());
    if (res->status == 200 || res->status == 201) {
      csrf_ = json::parse(res->body)["csrf_token"].get<std::string>();
    }
    return res->status;
  }

  void Remember(const httplib::Response& res) {
    // A sign-in answers with a new session's token.
    if (const json body = json::parse(res.body, nullptr, false);
        body.is_object() && body.contains("csrf_token")) {
      csrf_ = body["csrf_token"].get<std::string>();
    }
    for (auto [it, end] = res.headers.equal_range("Set-Cookie"); it != end; ++it) {
      const std::string& value = it->second;
      const std::string prefix = "mg_session=";
      if (value.rfind(prefix, 0) != 0) continue;
      cookie_ = value.substr(prefix.size(), value.find(';') - prefix.size());
    }
  }

  httplib::Client client_;
  std::string cookie_;
  std::string csrf_;
};

class MultiUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MG_REQUIRE_POSTGRES();
    test_db_ = std::make_unique<pgstore::TestDatabase>();
    ASSERT_TRUE(test_db_->ok());
    auto database = pgstore::OpenPostgres(test_db_->url());
    ASSERT_TRUE(database.ok()) << database.error().message;
    database_ = std::move(*database);
    server_ = StartServer(database_);
    ASSERT_NE(server_, nullptr);
  }

  Browser NewBrowser() { return Browser(server_->port()); }

  static json Body(const httplib::Result& res) {
    if (!res) return "no response";
    json out = json::parse(res->body, nullptr, false);
    return out.is_discarded() ? json(res->body) : out;
  }

  std::unique_ptr<pgstore::TestDatabase> test_db_;
  std::shared_ptr<accounts::Database> database_;
  std::unique_ptr<RunningServer> server_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_
