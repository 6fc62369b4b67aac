// For the multi-user tests (multiuser_test, clinic_test): the real server in multi-user mode on a
// fresh PostgreSQL database per test (or, for scripts/lb-test.sh, nginx in front of two of them
// over PgBouncer), and a browser-like client that keeps its session cookie and CSRF token.
#ifndef MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_
#define MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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

// Beyond one machine (issue 19; scripts/lb-test.sh): with MGADVISOR_TEST_PGBOUNCER_PORT set, the
// multi-user tests run against two app servers behind nginx (round robin on loopback), both
// reaching PostgreSQL through PgBouncer in transaction-pooling mode on that port, instead of one
// server straight on PostgreSQL. The tests do not change: they speak HTTP to port().
inline int PgBouncerPort() {
  const char* port = std::getenv("MGADVISOR_TEST_PGBOUNCER_PORT");
  return port == nullptr ? 0 : std::atoi(port);
}

// `url` (postgresql://user@host:port/db) with the port replaced, so the same database is reached
// through PgBouncer (its [databases] "*" entry forwards any name to the real server).
inline std::string ViaPort(const std::string& url, int port) {
  const size_t slash = url.find('/', url.find("://") + 3);
  const size_t colon = url.rfind(':', slash);
  return url.substr(0, colon + 1) + std::to_string(port) + url.substr(slash);
}

// A loopback port nobody listens on now (nginx cannot report one it picked itself). Another
// process could take it before nginx binds; nginx then fails to start and Start says so.
inline int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

// nginx (Debian nginx-light) in front of app servers, load-balancing round robin; stopped and its
// folder removed on destruction. Its access log records which app server answered each request.
class NginxFront {
 public:
  static std::unique_ptr<NginxFront> Start(const std::vector<int>& app_ports) {
    auto out = std::unique_ptr<NginxFront>(new NginxFront);
    char dir[] = "/tmp/mg-nginx-XXXXXX";
    if (mkdtemp(dir) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return nullptr;
    }
    out->dir_ = dir;
    chmod(dir, 0777);  // Workers may run as nobody and buffer bodies here.
    out->port_ = FreeLoopbackPort();
    std::string upstreams;
    for (int port : app_ports) upstreams += fmt::format("    server 127.0.0.1:{};\n", port);
    std::ofstream(out->dir_ + "/nginx.conf") << fmt::format(
        R"(worker_processes 1;
daemon off;
pid {0}/nginx.pid;
error_log {0}/error.log warn;
events {{ worker_connections 512; }}
http {{
  log_format upstream '$upstream_addr $status';
  access_log {0}/access.log upstream;
  client_body_temp_path {0}/client_body;
  proxy_temp_path {0}/proxy;
  fastcgi_temp_path {0}/fastcgi;
  uwsgi_temp_path {0}/uwsgi;
  scgi_temp_path {0}/scgi;
  upstream mgadvisor {{
{1}  }}
  server {{
    listen 127.0.0.1:{2};
    location / {{
      proxy_pass http://mgadvisor;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_read_timeout 120s;
    }}
  }}
}}
)",
        out->dir_, upstreams, out->port_);
    const std::string nginx =
        std::filesystem::exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
    out->pid_ = fork();
    if (out->pid_ == 0) {
      execlp(nginx.c_str(), "nginx", "-p", out->dir_.c_str(), "-e",
             (out->dir_ + "/error.log").c_str(), "-c", (out->dir_ + "/nginx.conf").c_str(),
             nullptr);
      _exit(127);
    }
    httplib::Client client("127.0.0.1", out->port_);
    for (int i = 0; i < 500; ++i) {
      if (auto res = client.Get("/api/health"); res && res->status == 200) return out;
      if (waitpid(out->pid_, nullptr, WNOHANG) == out->pid_) {
        out->pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "nginx did not start: " << out->ErrorLog();
    return nullptr;
  }
  ~NginxFront() {
    if (pid_ > 0) {
      kill(pid_, SIGQUIT);  // Graceful: workers finish what they hold.
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  NginxFront(const NginxFront&) = delete;
  NginxFront& operator=(const NginxFront&) = delete;

  int port() const { return port_; }
  // How many requests each app server ("127.0.0.1:port") answered, from the access log.
  std::map<std::string, int> AnsweredBy() const {
    std::map<std::string, int> counts;
    std::ifstream log(dir_ + "/access.log");
    for (std::string upstream, status; log >> upstream >> status;) ++counts[upstream];
    return counts;
  }
  std::string ErrorLog() const {
    std::stringstream text;
    text << std::ifstream(dir_ + "/error.log").rdbuf();
    return text.str();
  }

 private:
  NginxFront() = default;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

class MultiUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MG_REQUIRE_POSTGRES();
    test_db_ = std::make_unique<pgstore::TestDatabase>();
    ASSERT_TRUE(test_db_->ok());
    const int bouncer = PgBouncerPort();
    auto database =
        pgstore::OpenPostgres(bouncer == 0 ? test_db_->url() : ViaPort(test_db_->url(), bouncer));
    ASSERT_TRUE(database.ok()) << database.error().message;
    database_ = std::move(*database);
    server_ = StartServer(database_);
    ASSERT_NE(server_, nullptr);
    if (bouncer == 0) return;
    // A second app server with its own connection pool, as on another machine.
    auto other = pgstore::OpenPostgres(ViaPort(test_db_->url(), bouncer));
    ASSERT_TRUE(other.ok()) << other.error().message;
    other_server_ = StartServer(*other);
    ASSERT_NE(other_server_, nullptr);
    front_ = NginxFront::Start({server_->port(), other_server_->port()});
    ASSERT_NE(front_, nullptr);
  }

  void TearDown() override {
    if (!front_) return;
    // Both app servers answered: the requests really were spread over the two.
    const auto answered = front_->AnsweredBy();
    for (const auto& server : {server_.get(), other_server_.get()}) {
      const std::string upstream = fmt::format("127.0.0.1:{}", server->port());
      EXPECT_GT(answered.contains(upstream) ? answered.at(upstream) : 0, 0)
          << upstream << " answered nothing behind nginx";
    }
    fmt::print("nginx: requests per app server:");
    for (const auto& [upstream, count] : answered) fmt::print(" {} x {}", upstream, count);
    fmt::print("\n");
  }

  // Where the tests send their requests: the one server, or nginx in front of two.
  int port() const { return front_ ? front_->port() : server_->port(); }
  Browser NewBrowser() { return Browser(port()); }

  static json Body(const httplib::Result& res) {
    if (!res) return "no response";
    json out = json::parse(res->body, nullptr, false);
    return out.is_discarded() ? json(res->body) : out;
  }

  std::unique_ptr<pgstore::TestDatabase> test_db_;
  std::shared_ptr<accounts::Database> database_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<RunningServer> other_server_;  // Behind nginx only.
  std::unique_ptr<NginxFront> front_;            // Behind nginx only.
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_MULTIUSER_TEST_UTIL_H_
