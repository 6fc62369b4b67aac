// serve --lan over real HTTP: a device on the network reaches only the pairing page until it
// pairs with the one-time code; the code is single use and its tries are limited; a paired
// device reaches the API; Host and Origin stay closed to everything but the LAN address.
//
// "A device on the network" is this machine itself, connecting to one of its own non-loopback
// addresses: the server then sees that address, not 127.0.0.1, as the peer — the same path a
// phone's requests take. Only on a machine whose one address is loopback does the test fall back
// to ServerOptions::testing_loopback_is_remote (which no flag can set), and says so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/network.h"
#include "server/lan_pairing.h"
#include "server/server.h"

namespace mg::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// The address `serve --lan` picks by default (core/network.h), or "" when there is none.
std::string NonLoopbackAddress() {
  const std::vector<std::string> found = NetworkAddresses();
  return found.empty() ? "" : found.front();
}

class LanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-lan-test", 1);
    std::string pattern = (std::filesystem::temp_directory_path() / "mg-lan-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // MG_LAN_TEST_NO_ADDRESS=1 tries the fallback on a machine that has an address.
    lan_ = std::getenv("MG_LAN_TEST_NO_ADDRESS") != nullptr ? "" : NonLoopbackAddress();
    ServerOptions options;
    options.port = 0;
    options.journal_path = (dir_ / "journal.db").string();
    options.access_log = false;
    if (lan_.empty()) {
      std::fprintf(stderr, "lan_test: no non-loopback address; loopback stands in for the LAN\n");
      lan_ = "127.0.0.1";
      options.testing_loopback_is_remote = true;
    }
    options.lan_address = lan_;
    options.show_pairing_code = [this](const PairingCode& code) {
      std::lock_guard lock(mutex_);
      codes_.push_back(code);
    };
    auto server = Server::Create(options);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(*server);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = *port;
    // Bind() listens already: connections queue until Listen() accepts them.
    thread_ = std::thread([this] { (void)server_->Listen(); });
    for (int i = 0; i < 500 && Codes().empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(Codes().size(), 1u) << "Listen() shows the first code";
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<PairingCode> Codes() {
    std::lock_guard lock(mutex_);
    return codes_;
  }
  std::string LanHost() const { return lan_ + ":" + std::to_string(port_); }

  // A device on the network: connects to the LAN address (Host: that address and port).
  httplib::Client Device() {
    httplib::Client client(lan_, port_);
    client.set_read_timeout(30, 0);
    return client;
  }
  httplib::Client ThisComputer() {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    return client;
  }
  httplib::Result Pair(const std::string& code, httplib::Headers headers = {}) {
    return Device().Post("/api/pair", headers, json{{"code", code}}.dump(), "application/json");
  }
  // Pairs with the current code; returns the Cookie header value for later requests.
  std::string PairDevice() {
    auto res = Pair(Codes().back().code);
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  std::filesystem::path dir_;
  std::string lan_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<PairingCode> codes_;
};

std::string ErrorCodeOf(const httplib::Result& res) {
  return json::parse(res->body, nullptr, false).value("error", json::object()).value("code", "");
}

TEST_F(LanTest, UnpairedDeviceReachesOnlyThePairingPage) {
  const PairingCode code = Codes().front();
  EXPECT_EQ(code.url, "http://" + LanHost() + "/pair#code=" + code.code);
  EXPECT_THAT(code.code, ::testing::MatchesRegex("[2-9A-Z]{4}-[2-9A-Z]{4}"));

  for (const char* path : {"/api/profile", "/api/health", "/api/compounds", "/api/journal/entries",
                           "/assets/app.js", "/sw.js"}) {
    auto res = Device().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_THAT(res->body, HasSubstr("not paired")) << path;
  }
  auto post = Device().Post("/api/plan", R"({"age": 40, "sex": "male"})", "application/json");
  EXPECT_EQ(post->status, 401);
  auto root = Device().Get("/");
  EXPECT_EQ(root->status, 303);
  EXPECT_EQ(root->get_header_value("Location"), "/pair");
  auto page = Device().Get("/pair");
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Pair this device"));
  for (const char* path : {"/assets/pair.js", "/assets/app.css", "/assets/icon.svg"}) {
    EXPECT_EQ(Device().Get(path)->status, 200) << path;
  }
  // A made-up device cookie is no pairing.
  auto forged = Device().Get("/api/profile", {{"Cookie", "mg_device=" + std::string(43, 'A')}});
  EXPECT_EQ(forged->status, 401);
}

TEST_F(LanTest, ThisComputerNeedsNoPairing) {
  if (lan_ == "127.0.0.1") GTEST_SKIP() << "loopback stands in for the LAN on this machine";
  EXPECT_EQ(ThisComputer().Get("/api/health")->status, 200);
  EXPECT_EQ(ThisComputer().Get("/api/profile")->status, 200);
  EXPECT_EQ(ThisComputer().Get("/")->status, 200);
}

TEST_F(LanTest, WrongCodeIsRefusedAndTheRightOneWorksOnce) {
  const std::string code = Codes().back().code;
  auto wrong = Pair("ZZZZ-ZZZZ");
  EXPECT_EQ(wrong->status, 403);
  EXPECT_THAT(wrong->body, HasSubstr("not the code shown in the terminal (4 tries left)"));
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());

  // Case, spaces and dashes do not matter.
  std::string typed = code;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  typed[4] = ' ';
  auto right = Pair(typed);
  ASSERT_EQ(right->status, 200) << right->body;
  const std::string set_cookie = right->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, ::testing::StartsWith("mg_device="));
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set_cookie, HasSubstr("Path=/"));
  EXPECT_EQ(right->get_header_value("Cache-Control"), "no-store");

  // Single use: the same code again pairs nothing, and a new one is shown.
  auto again = Pair(code);
  EXPECT_EQ(again->status, 403);
  EXPECT_THAT(again->body, HasSubstr("used or has expired"));
  ASSERT_EQ(Codes().size(), 2u);
  EXPECT_NE(Codes().back().code, code);
}

TEST_F(LanTest, TooManyWrongTriesBurnTheCodeAndTriesAreRateLimited) {
  const std::string code = Codes().back().code;
  for (int i = 0; i < LanPairing::kMaxWrongPerCode; ++i) EXPECT_EQ(Pair("ZZZZ-ZZZZ")->status, 403);
  auto burnt = Pair(code);  // Right, but too late.
  EXPECT_EQ(burnt->status, 403);
  EXPECT_THAT(burnt->body, HasSubstr("used or has expired"));
  ASSERT_EQ(Codes().size(), 2u);
  // Opening the page with a usable code shows no new one.
  EXPECT_EQ(Device().Get("/pair")->status, 200);
  EXPECT_EQ(Codes().size(), 2u);
  // Tries for all devices together: kMaxTriesPerMinute a minute, then 429 even for the right code.
  for (int i = LanPairing::kMaxWrongPerCode + 1; i < LanPairing::kMaxTriesPerMinute; ++i) {
    EXPECT_EQ(Pair("ZZZZ-ZZZZ")->status, 403);
  }
  auto limited = Pair(Codes().back().code);
  EXPECT_EQ(limited->status, 429) << limited->body;
  EXPECT_EQ(ErrorCodeOf(limited), "rate_limited");
}

TEST_F(LanTest, PairedDeviceReachesTheApi) {
  const std::string cookie = PairDevice();
  ASSERT_THAT(cookie, ::testing::StartsWith("mg_device="));
  auto profile = Device().Get("/api/profile", {{"Cookie", cookie}});
  EXPECT_EQ(profile->status, 200) << profile->body;
  EXPECT_EQ(Device().Get("/", {{"Cookie", cookie}})->status, 200);
  // State-changing requests from the page carry Origin: the LAN address is this server.
  auto put = Device().Put("/api/profile", {{"Cookie", cookie}, {"Origin", "http://" + LanHost()}},
                          R"({"age": 40, "sex": "male", "complaints": ["leg cramps"]})",
                          "application/json");
  EXPECT_EQ(put->status, 200) << put->body;
  auto log =
      Device().Post("/api/journal/entries", {{"Cookie", cookie}, {"Origin", "http://" + LanHost()}},
                    R"({"kind": "cramps", "value": 2, "date": "2026-11-20"})", "application/json");
  EXPECT_EQ(log->status, 201) << log->body;
  // The entry is the one journal this computer sees too.
  if (lan_ != "127.0.0.1") {
    auto entries = ThisComputer().Get("/api/journal/entries");
    EXPECT_THAT(entries->body, HasSubstr("cramps"));
  }
  // A second device pairs with a new code, not the first device's.
  ASSERT_EQ(Device().Get("/pair")->status, 200);
  ASSERT_EQ(Codes().size(), 2u);
  const std::string second = PairDevice();
  EXPECT_NE(second, cookie);
  EXPECT_EQ(Device().Get("/api/profile", {{"Cookie", second}})->status, 200);
}

TEST_F(LanTest, HostAndOriginStayClosed) {
  const std::string cookie = PairDevice();
  const std::string port = std::to_string(port_);
  // DNS rebinding: a name that points at this machine is not this server.
  std::vector<std::string> hosts = {"evil.example:" + port, "192.0.2.77:" + port};
  if (lan_ != "127.0.0.1") {  // Loopback names pass whatever the port (CheckLoopbackHost).
    hosts.push_back(lan_ + ":1");
    hosts.push_back(lan_);
  }
  for (const std::string& host : hosts) {
    auto res = Device().Get("/api/profile", {{"Cookie", cookie}, {"Host", host}});
    EXPECT_EQ(res->status, 403) << host;
    EXPECT_THAT(res->body, HasSubstr("is not this server")) << host;
  }
  auto cross = Device().Put("/api/profile", {{"Cookie", cookie}, {"Origin", "http://evil.example"}},
                            R"({"age": 40, "sex": "male"})", "application/json");
  EXPECT_EQ(cross->status, 403);
  // Pairing itself: a cross-site page cannot pair (Origin), nor send a form (JSON only).
  auto cross_pair = Pair(Codes().back().code, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(cross_pair->status, 403);
  auto form = Device().Post("/api/pair", "code=X", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 400);
  auto unknown = Device().Post("/api/pair", R"({"code": "X", "admin": true})", "application/json");
  EXPECT_EQ(unknown->status, 400);
}

// The clock-bound rules, on a clock the test moves: a code expires after its lifetime (and the
// try that finds it expired brings a new one), and the per-minute cap frees up after a minute.
TEST(LanPairingTest, CodesExpireAndTheTryCapIsPerMinute) {
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  std::vector<std::string> shown;
  LanPairing pairing([&](const std::string& code, std::chrono::minutes) { shown.push_back(code); },
                     [&] { return now; });
  pairing.IssueCode();
  ASSERT_EQ(shown.size(), 1u);
  now += LanPairing::kCodeLifetime - std::chrono::seconds(1);
  pairing.RenewIfSpent();  // Still usable: no new code.
  EXPECT_EQ(shown.size(), 1u);
  now += std::chrono::seconds(1);
  auto expired = pairing.Pair(shown[0]);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kForbidden);
  EXPECT_THAT(expired.error().message, HasSubstr("expired"));
  ASSERT_EQ(shown.size(), 2u);
  auto token = pairing.Pair(shown[1]);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_TRUE(pairing.IsPaired(*token));
  EXPECT_FALSE(pairing.IsPaired(""));
  EXPECT_FALSE(pairing.IsPaired(*token + "x"));

  // kMaxTriesPerMinute tries in a minute (wrong ones burn codes; a spent code is renewed by the
  // next try), then 429 until the minute is over.
  for (int i = 2; i < LanPairing::kMaxTriesPerMinute; ++i) (void)pairing.Pair("ZZZZ-ZZZZ");
  auto capped = pairing.Pair(shown.back());
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().code, ErrorCode::kRateLimited);
  now += std::chrono::minutes(1);
  pairing.RenewIfSpent();
  auto later = pairing.Pair(shown.back());
  EXPECT_TRUE(later.ok()) << later.error().message;
}

// Without --lan nothing changes: no pairing route, loopback names only.
TEST(LanOffTest, PairingExistsOnlyWithLan) {
  setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-lan-test", 1);
  std::string pattern = (std::filesystem::temp_directory_path() / "mg-lan-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  ServerOptions options;
  options.port = 0;
  options.access_log = false;
  options.journal_path = pattern + "/journal.db";
  auto server = Server::Create(options);
  ASSERT_TRUE(server.ok());
  auto port = (*server)->Bind();
  ASSERT_TRUE(port.ok());
  std::thread thread([&] { (void)(*server)->Listen(); });
  httplib::Client client("127.0.0.1", *port);
  auto res = client.Post("/api/pair", R"({"code": "ABCD-EFGH"})", "application/json");
  EXPECT_EQ(res->status, 404);
  EXPECT_THAT(res->body, HasSubstr("only with serve --lan"));
  (*server)->Stop();
  thread.join();
  std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace mg::server
