// Black-box tests of `mgadvisor serve`: the real binary as a person starts it, spoken to over
// loopback with real HTTP, stopped with the signals a terminal or a service manager sends.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::CliProcess;
using ::mg::testing::CliResult;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Loading the knowledge and foods takes a moment, longer on a busy CI machine.
constexpr auto kStartTimeout = 60s;
constexpr auto kStopTimeout = 20s;

class ServeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mg_serve_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The environment of a person with an empty data directory and a fixed "today".
  std::vector<std::string> Env() const {
    return {"XDG_DATA_HOME=" + (dir_ / "data").string(), "MGADVISOR_TODAY=2026-03-14"};
  }

  // Starts `mgadvisor serve --port 0 ARGS...` and reads the port from its first line, in the
  // JSON form ({"address", "port"}) or the human one (an http://127.0.0.1:PORT/ address).
  std::unique_ptr<CliProcess> Start(std::vector<std::string> args, int& port) {
    args.insert(args.begin(), {"serve", "--port", "0"});
    auto process = testing::StartCli(args, Env());
    port = 0;
    const auto line = process->ReadLine(kStartTimeout);
    if (!line) {
      ADD_FAILURE() << "serve printed no address; stderr: " << process->Wait(kStopTimeout).err;
      return process;
    }
    std::smatch match;
    const std::regex address(R"(http://127\.0\.0\.1:(\d+)/)");
    if (std::regex_search(*line, match, address)) port = std::stoi(match[1]);
    EXPECT_GT(port, 0) << "no address in: " << *line;
    return process;
  }

  static httplib::Client Client(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(20, 0);
    return client;
  }

  std::filesystem::path dir_;
};

TEST_F(ServeCliTest, JsonAddressLineThenHealthAndWebPage) {
  auto process = testing::StartCli({"serve", "--port", "0", "--json"}, Env());
  const auto line = process->ReadLine(kStartTimeout);
  ASSERT_TRUE(line.has_value()) << process->Wait(kStopTimeout).err;
  const auto printed = nlohmann::json::parse(*line);
  const int port = printed.at("port");
  EXPECT_EQ(printed.at("address"), "http://127.0.0.1:" + std::to_string(port) + "/");

  auto client = Client(port);
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body).at("status"), "ok");
  auto page = client.Get("/");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(page->body, HasSubstr("<html"));
  auto missing = client.Get("/api/no-such-route");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing->body)["error"]["code"], "not_found");

  ASSERT_TRUE(process->Signal(SIGTERM));
  const CliResult stopped = process->Wait(kStopTimeout);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
}

// Ctrl-C in a terminal (SIGINT) and a service manager's stop (SIGTERM) both end the server
// cleanly: exit status 0 and a last word, not a signal death.
class ServeSignalTest : public ServeCliTest, public ::testing::WithParamInterface<int> {};

TEST_P(ServeSignalTest, StopsCleanly) {
  int port = 0;
  auto process = Start({}, port);
  ASSERT_GT(port, 0);
  auto health = Client(port).Get("/api/health");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);

  ASSERT_TRUE(process->Signal(GetParam()));
  const CliResult stopped = process->Wait(kStopTimeout);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_THAT(stopped.out, HasSubstr("stopped"));
  // Nothing on stderr but the access log's one line for the one request.
  EXPECT_TRUE(std::regex_match(
      stopped.err, std::regex(R"(\{"time":"[-0-9T:.]+Z","method":"GET","route":"/api/health",)"
                              R"("status":200,"duration_ms":[0-9.e-]+\}\n)")))
      << stopped.err;
  EXPECT_FALSE(Client(port).Get("/api/health")) << "still answering after the signal";
}

INSTANTIATE_TEST_SUITE_P(Signals, ServeSignalTest, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) {
                           return std::string(info.param == SIGINT ? "Sigint" : "Sigterm");
                         });

TEST_F(ServeCliTest, PortInUseExitsFourNamingTheAddress) {
  // Hold a listening socket on a free loopback port, then ask serve for that port.
  const int holder = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));

  // Through StartCli, not RunCli, so a serve that wrongly binds fails the test instead of
  // hanging it.
  auto process = testing::StartCli({"serve", "--port", port}, Env());
  const CliResult result = process->Wait(kStartTimeout);
  close(holder);
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_THAT(result.err, HasSubstr("127.0.0.1:" + port));
  EXPECT_THAT(result.err, HasSubstr("--port"));
}

// Issue 11, finding 10: a second server on the port of a running one used to start too (the
// kernel then split requests between two journals). It must refuse, exit 4 and name the address,
// and the first server must go on answering alone.
TEST_F(ServeCliTest, SecondServeOnTheSamePortExitsFourNamingTheAddress) {
  int port = 0;
  auto first = Start({"--db", (dir_ / "first.db").string()}, port);
  ASSERT_GT(port, 0);
  auto second = testing::StartCli(
      {"serve", "--port", std::to_string(port), "--db", (dir_ / "second.db").string()}, Env());
  const CliResult refused = second->Wait(kStartTimeout);
  EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(refused.err, HasSubstr("in use"));
  EXPECT_EQ(refused.out, "") << "the second server announced itself";

  // Every request reaches the first server: its journal gets all the writes.
  auto client = Client(port);
  for (int i = 0; i < 6; ++i) {
    auto res = client.Post("/api/journal/entries", R"({"kind": "note", "note": "one server"})",
                           "application/json");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 201) << res->body;
  }
  ASSERT_TRUE(first->Signal(SIGTERM));
  EXPECT_EQ(first->Wait(kStopTimeout).exit_code, 0);
  const CliResult show = testing::RunCli(
      {"journal", "show", "--json", "--db", (dir_ / "first.db").string()}, "", Env());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out).size(), 6u);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "second.db"));
}

TEST_F(ServeCliTest, JournalWrittenThroughTheApiIsTheCliJournal) {
  const std::string db = (dir_ / "journal.db").string();
  int port = 0;
  auto process = Start({"--db", db}, port);
  ASSERT_GT(port, 0);
  auto client = Client(port);
  auto dated = client.Post("/api/journal/entries",
                           R"({"date": "2026-03-13", "kind": "food", "label": "pumpkin seeds 30 g",
                               "magnesium_mg": 46.8})",
                           "application/json");
  ASSERT_TRUE(dated) << httplib::to_string(dated.error());
  EXPECT_EQ(dated->status, 201) << dated->body;
  // Without a date the entry is for "today", which MGADVISOR_TODAY fixes for the server as for
  // the CLI.
  auto undated = client.Post("/api/journal/entries", R"({"kind": "note", "note": "long walk"})",
                             "application/json");
  ASSERT_TRUE(undated);
  ASSERT_EQ(undated->status, 201) << undated->body;
  EXPECT_EQ(nlohmann::json::parse(undated->body)["entry"]["date"], "2026-03-14");
  ASSERT_TRUE(process->Signal(SIGTERM));
  EXPECT_EQ(process->Wait(kStopTimeout).exit_code, 0);

  const CliResult show = testing::RunCli({"journal", "show", "--json", "--db", db}, "", Env());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto entries = nlohmann::json::parse(show.out);
  ASSERT_EQ(entries.size(), 2u) << show.out;
  EXPECT_EQ(entries[0]["date"], "2026-03-13");
  EXPECT_EQ(entries[0]["label"], "pumpkin seeds 30 g");
  EXPECT_EQ(entries[0]["magnesium_mg"], 46.8);
  EXPECT_EQ(entries[1]["note"], "long walk");
  // The default journal ($XDG_DATA_HOME) was not touched: --db chose the file.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data" / "mgadvisor" / "journal.db"));
}

}  // namespace
}  // namespace mg
