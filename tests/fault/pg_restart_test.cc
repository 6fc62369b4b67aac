// PostgreSQL restarted under load: a multi-user server (the real one, over loopback) takes a
// steady load from several signed-in people while its database is stopped and started again,
// twice. Requests may fail only while the database is down; every request that starts after it
// is back must succeed (the pool must not hand out the connections the restart killed), and every
// acknowledged write must be there at the end.
//
// The test runs its own throw-away cluster (scripts/pg-test-server.sh with a folder of its own),
// since stopping the shared one would fail every other PostgreSQL test running beside it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pgstore/pg_database.h"
#include "pgstore/pg_test_support.h"
#include "server/running_server_test_util.h"
#include "server/server.h"
#include "tests/fault/report.h"

namespace mg::fault {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kPeople = 4;
constexpr int kRestarts = 2;
constexpr auto kSteady = 3s;    // Load before each stop and after the last start.
constexpr auto kDown = 1500ms;  // How long the database stays down.

// The cluster script with this test's own folder; returns its stdout (the URL for `start`).
std::string Cluster(const std::string& dir, const std::string& command, int* status = nullptr) {
  const std::string line = fmt::format("MGADVISOR_PG_DIR='{}' '{}/scripts/pg-test-server.sh' {}",
                                       dir, MG_SOURCE_DIR, command);
  FILE* pipe = popen(line.c_str(), "r");
  std::string out;
  char buffer[256];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int rc = pipe != nullptr ? pclose(pipe) : -1;
  if (status != nullptr) *status = rc;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

struct Request {
  Clock::time_point start, end;
  int status = 0;  // 0: no answer.
};

struct Window {
  Clock::time_point down, up;  // `down` before the stop began, `up` after the start finished.
};

TEST(PgRestartFault, ErrorsOnlyWhileTheDatabaseIsDownAndNoneAfter) {
  MG_REQUIRE_POSTGRES();  // PostgreSQL tests are on; this one brings its own cluster.
  const auto started = Clock::now();
  const std::string dir = fmt::format("/tmp/mg-pg-restart-{}", ::getpid());
  int status = 0;
  const std::string url = Cluster(dir, "start", &status);
  ASSERT_EQ(status, 0) << "could not start a cluster in " << dir;
  struct StopCluster {
    std::string dir;
    ~StopCluster() { Cluster(dir, "stop"); }
  } stop_cluster{dir};

  auto database = pgstore::OpenPostgres(url, {.pool_size = 12});
  ASSERT_TRUE(database.ok()) << database.error().message;
  server::ServerOptions options;
  options.database = *database;
  options.today = journal::ParseDate("2026-11-23");
  auto running = server::RunningServer::Start(options);
  ASSERT_NE(running, nullptr);
  const int port = running->port();

  struct Person {
    std::string cookie, csrf;
  };
  std::vector<Person> people(kPeople);
  for (int i = 0; i < kPeople; ++i) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    auto res = client.Post(
        "/api/account",
        json{{"username", "person" + std::to_string(i)}, {"password", "amber river lantern"}}
            .dump(),
        "application/json");
    ASSERT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    const std::string cookie = res->get_header_value("Set-Cookie");
    people[i].cookie = cookie.substr(0, cookie.find(';'));
    people[i].csrf = json::parse(res->body)["csrf_token"];
  }

  std::mutex mu;
  std::vector<Request> requests;
  std::vector<std::set<std::string>> acknowledged(kPeople);
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int i = 0; i < kPeople; ++i) {
    load.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", port);
      client.set_connection_timeout(5, 0);
      client.set_read_timeout(60, 0);
      const httplib::Headers headers = {{"Cookie", people[i].cookie},
                                        {"X-CSRF-Token", people[i].csrf}};
      for (int n = 0; !stop; ++n) {
        const std::string note = fmt::format("note {} of person {}", n, i);
        Request r;
        r.start = Clock::now();
        auto res =
            n % 3 == 2
                ? client.Get("/api/journal/entries", headers)
                : client.Post("/api/journal/entries", headers,
                              json{{"date", "2026-11-20"}, {"kind", "note"}, {"note", note}}.dump(),
                              "application/json");
        r.end = Clock::now();
        r.status = res ? res->status : 0;
        std::lock_guard lock(mu);
        requests.push_back(r);
        if (r.status == 201) acknowledged[i].insert(note);
        if (r.status != 200 && r.status != 201) std::this_thread::sleep_for(10ms);
      }
    });
  }

  std::vector<Window> windows;
  std::this_thread::sleep_for(kSteady);
  for (int k = 0; k < kRestarts; ++k) {
    Window w;
    w.down = Clock::now();
    Cluster(dir, "down", &status);
    ASSERT_EQ(status, 0);
    std::this_thread::sleep_for(kDown);
    Cluster(dir, "up", &status);
    ASSERT_EQ(status, 0);
    w.up = Clock::now();
    windows.push_back(w);
    std::this_thread::sleep_for(kSteady);
  }
  stop = true;
  for (auto& t : load) t.join();

  // A restart while nobody is talking: every idle connection of the pool dies at once, and the
  // requests after it must not be handed them. First fill the pool (parallel requests), restart,
  // then ask one request at a time.
  const auto get = [&](int i) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    auto res = client.Get("/api/journal/entries", {{"Cookie", people[i % kPeople].cookie}});
    return res ? res->status : 0;
  };
  {
    std::vector<std::thread> burst;
    std::atomic<int> burst_failures{0};
    for (int i = 0; i < 12; ++i) {
      burst.emplace_back([&, i] { burst_failures += get(i) == 200 ? 0 : 1; });
    }
    for (auto& t : burst) t.join();
    EXPECT_EQ(burst_failures.load(), 0);
  }
  Cluster(dir, "restart", &status);
  ASSERT_EQ(status, 0);
  int quiet_failures = 0;
  for (int i = 0; i < 12; ++i) quiet_failures += get(i) == 200 ? 0 : 1;

  int failed_while_down = 0, failed_otherwise = 0, after_up = 0;
  std::string first_bad;
  for (const Request& r : requests) {
    bool overlaps_down = false;
    for (const Window& w : windows) {
      overlaps_down = overlaps_down || (r.end >= w.down && r.start <= w.up);
      if (r.start > w.up) ++after_up;
    }
    if (r.status == 200 || r.status == 201) continue;
    if (overlaps_down) {
      ++failed_while_down;
    } else {
      ++failed_otherwise;
      if (first_bad.empty()) {
        first_bad = fmt::format("status {} at {:.2f} s", r.status,
                                std::chrono::duration<double>(r.start - started).count());
      }
    }
  }
  // Every acknowledged write is in its owner's journal.
  int acknowledged_total = 0, lost = 0;
  for (int i = 0; i < kPeople; ++i) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    auto res = client.Get("/api/journal/entries", {{"Cookie", people[i].cookie}});
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    std::set<std::string> notes;
    const json listed = json::parse(res->body);
    for (const auto& e : listed["entries"]) notes.insert(e.value("note", ""));
    for (const auto& note : acknowledged[i]) {
      ++acknowledged_total;
      if (!notes.contains(note)) ++lost;
    }
  }
  ReportCounts(
      "pg_restart",
      Printf("postgres restart: %zu requests from %d people, %d restarts under load (%.1f s down "
             "each), "
             "%d failed while the database was down, %d failed at other times, %zu acknowledged "
             "writes, "
             "%d lost; then a restart with 12 idle connections: %d of 12 requests after it failed; "
             "%.1f s",
             requests.size(), kPeople, kRestarts, std::chrono::duration<double>(kDown).count(),
             failed_while_down, failed_otherwise, static_cast<size_t>(acknowledged_total), lost,
             quiet_failures, std::chrono::duration<double>(Clock::now() - started).count()));
  EXPECT_EQ(failed_otherwise, 0) << "first: " << first_bad;
  EXPECT_EQ(quiet_failures, 0) << "the pool handed out connections the restart had killed";
  EXPECT_EQ(lost, 0);
  EXPECT_GT(failed_while_down, 0) << "no request met the database down: the test proved nothing";
  EXPECT_GT(after_up, 20);
}

}  // namespace
}  // namespace mg::fault
