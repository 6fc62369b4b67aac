// Start-up before PostgreSQL (issue 19): `mgadvisor serve --db postgresql://...` (the real
// binary) retries with back-off while the database cannot be reached, for up to --db-wait
// seconds, logging each attempt, instead of exiting 4 at once; it connects as soon as the
// database appears; SIGTERM ends the wait; a password inside the URL is warned about and never
// printed.
//
// "The database appears" is a real PostgreSQL (MGADVISOR_TEST_PG_URL) behind a small TCP relay
// on a port of this test's own, opened only after the server has failed a first time.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <vector>

#include "pgstore/pg_test_support.h"
#include "tests/cli/cli_runner.h"

namespace mg::fault {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// A loopback port nothing listens on (bound, read, closed: another process could take it, which
// these tests would notice as a connection that is not PostgreSQL's).
int UnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PgWait, GivesUpAfterDbWaitWithBackOffAndExitsFour) {
  const int port = UnusedPort();
  const auto start = std::chrono::steady_clock::now();
  auto process = testing::StartCli(
      {"serve", "--port", "0", "--db",
       fmt::format("postgresql://mgadvisor@127.0.0.1:{}/mgadvisor", port), "--db-wait", "2"});
  const auto result = process->Wait(60s);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.exit_code, 4) << result.err;
  // Attempts at 0, 0.5 and 1.5 s; the next (3.5 s) would be past the 2 s allowed.
  EXPECT_EQ(CountOf(result.err, "PostgreSQL not reachable (attempt"), 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("gave up after 3 attempts"));
  EXPECT_THAT(result.err, HasSubstr(fmt::format("127.0.0.1:{}", port)));
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 30s);
}

TEST(PgWait, DbWaitZeroTriesOnceAndAPasswordInTheUrlIsWarnedAboutNeverShown) {
  const int port = UnusedPort();
  auto process = testing::StartCli(
      {"serve", "--port", "0", "--db",
       fmt::format("postgresql://mgadvisor:Hunter2Secret@127.0.0.1:{}/mgadvisor", port),
       "--db-wait", "0"});
  const auto result = process->Wait(60s);
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("the --db URL holds a password"));
  EXPECT_THAT(result.err, HasSubstr("PGPASSFILE"));
  EXPECT_THAT(result.err, Not(HasSubstr("not reachable (attempt")));  // No retry.
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("Hunter2Secret")));
}

TEST(PgWait, SigtermEndsTheWaitAtOnce) {
  const int port = UnusedPort();
  auto process = testing::StartCli(
      {"serve", "--port", "0", "--db",
       fmt::format("postgresql://mgadvisor@127.0.0.1:{}/mgadvisor", port), "--db-wait", "600"});
  std::this_thread::sleep_for(1500ms);  // Past the first failed attempt: now waiting.
  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_TRUE(process->Signal(SIGTERM));
  const auto result = process->Wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 5s);
  EXPECT_THAT(result.out, HasSubstr("stopped while waiting for PostgreSQL"));
}

// Relays every connection to `port` on to `target_port`, from when it is constructed.
class Relay {
 public:
  Relay(int port, int target_port) : target_port_(target_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          ::listen(listener_, 16) == 0;
    accepter_ = std::thread([this] { Accept(); });
  }
  ~Relay() {
    stop_ = true;
    accepter_.join();
    for (auto& t : pipes_) t.join();
    ::close(listener_);
  }
  bool ok() const { return ok_; }

 private:
  void Accept() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(target_port_));
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      pipes_.emplace_back([this, client, server] { Pipe(client, server); });
    }
  }
  void Pipe(int a, int b) {
    char buffer[16384];
    while (!stop_) {
      pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(p, 2, 100) <= 0) continue;
      bool closed = false;
      for (int i = 0; i < 2 && !closed; ++i) {
        if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        const ssize_t n = ::read(p[i].fd, buffer, sizeof buffer);
        closed = n <= 0 || ::write(p[1 - i].fd, buffer, static_cast<size_t>(n)) != n;
      }
      if (closed) break;
    }
    ::close(a);
    ::close(b);
  }

  int listener_ = -1;
  int target_port_;
  bool ok_ = false;
  std::atomic<bool> stop_ = false;
  std::thread accepter_;
  std::vector<std::thread> pipes_;
};

TEST(PgWait, ConnectsOnceTheDatabaseAppears) {
  MG_REQUIRE_POSTGRES();
  pgstore::TestDatabase db;
  ASSERT_TRUE(db.ok());
  // postgresql://user@127.0.0.1:PORT/name: the same database through the relay's port.
  std::smatch match;
  ASSERT_TRUE(std::regex_match(db.url(), match, std::regex(R"((.*@127\.0\.0\.1:)(\d+)(/.*))")))
      << db.url();
  const int relay_port = UnusedPort();
  const std::string url = match[1].str() + std::to_string(relay_port) + match[3].str();
  auto process = testing::StartCli(
      {"serve", "--port", "0", "--json", "--db", url, "--db-wait", "60", "--host", "127.0.0.1"});
  std::this_thread::sleep_for(1200ms);  // At least one failed attempt (at 0 s; next at 0.5 s).
  Relay relay(relay_port, std::stoi(match[2].str()));
  ASSERT_TRUE(relay.ok());
  const auto line = process->ReadLine(60s);
  ASSERT_TRUE(line.has_value()) << process->Wait(10s).err;
  const int port = nlohmann::json::parse(*line).at("port");
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20, 0);
  auto deep = client.Get("/api/health?deep=1");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 200) << deep->body;
  EXPECT_EQ(nlohmann::json::parse(deep->body)["mode"], "multi");
  EXPECT_EQ(nlohmann::json::parse(deep->body)["database"], "ok");
  ASSERT_TRUE(process->Signal(SIGTERM));
  const auto result = process->Wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GE(CountOf(result.err, "PostgreSQL not reachable (attempt"), 1) << result.err;
}

}  // namespace
}  // namespace mg::fault
