// `serve --lan` as a person starts it: the terminal shows the pairing code and a QR code of the
// pairing address, and that code, typed on a device on the network, pairs it (real HTTP to a
// non-loopback address of this machine; skipped, saying so, on a machine with none).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "core/network.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;

// The address `serve --lan` picks by default (core/network.h), or "" when there is none.
std::string NonLoopbackAddress() {
  const std::vector<std::string> found = NetworkAddresses();
  return found.empty() ? "" : found.front();
}

class LanCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "mg-lan-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::vector<std::string> Env() const { return {"XDG_DATA_HOME=" + (dir_ / "data").string()}; }
  std::string Db() const { return (dir_ / "journal.db").string(); }

  std::filesystem::path dir_;
};

TEST_F(LanCliTest, RefusesLoopbackAndMultiUser) {
  auto loopback = testing::RunCli({"serve", "--lan-address", "127.0.0.1", "--db", Db()}, "", Env());
  EXPECT_EQ(loopback.exit_code, 2);
  EXPECT_THAT(loopback.err, HasSubstr("--lan-address 127.0.0.1: that is this computer's loopback"));
  auto multi = testing::RunCli(
      {"serve", "--lan", "--db", "postgresql://nobody@127.0.0.1:1/none", "--db-wait", "0"}, "",
      Env());
  EXPECT_EQ(multi.exit_code, 2);
  EXPECT_THAT(multi.err, HasSubstr("--lan: pairing devices is for local mode"));
}

TEST_F(LanCliTest, ShowsCodeAndQrThatPairADevice) {
  const std::string lan = NonLoopbackAddress();
  if (lan.empty()) GTEST_SKIP() << "this machine has no address besides loopback";
  auto server = testing::StartCli(
      {"serve", "--port", "0", "--lan-address", lan, "--no-access-log", "--db", Db()}, Env());
  std::vector<std::string> lines;
  std::string code;
  std::string pair_url;
  int port = 0;
  // Up to the end of the QR code: the first empty line after it.
  int qr_lines = 0;
  while (auto line = server->ReadLine(60s)) {
    lines.push_back(*line);
    std::smatch match;
    if (port == 0 && std::regex_search(*line, match, std::regex(R"(127\.0\.0\.1:(\d+)/)"))) {
      port = std::stoi(match[1]);
    }
    if (std::regex_search(
            *line, match,
            std::regex(R"(open (http://\S+/pair) and type the code ([2-9A-Z]{4}-[2-9A-Z]{4}))"))) {
      pair_url = match[1];
      code = match[2];
    }
    if (line->find("█") != std::string::npos) ++qr_lines;
    if (qr_lines > 0 && line->empty()) break;
  }
  std::string shown;
  for (const auto& line : lines) shown += line + "\n";
  ASSERT_FALSE(code.empty()) << shown << server->Wait(20s).err;
  EXPECT_EQ(pair_url, "http://" + lan + ":" + std::to_string(port) + "/pair");
  EXPECT_THAT(shown, HasSubstr("devices on your network reach http://" + lan));
  // A QR code of version 3 or more (29+ modules) with its quiet zone: at least 18 rows of
  // half-block cells, all the same width.
  EXPECT_GE(qr_lines, 18) << shown;
  size_t width = 0;
  for (const auto& line : lines) {
    if (line.find("█") == std::string::npos) continue;
    const std::regex cells("█|▀|▄| ");
    const size_t count = std::distance(std::sregex_iterator(line.begin(), line.end(), cells),
                                       std::sregex_iterator());
    if (width == 0) width = count;
    EXPECT_EQ(count, width) << line;
  }
  EXPECT_GE(width, 37u);

  httplib::Client device(lan, port);
  device.set_read_timeout(20, 0);
  EXPECT_EQ(device.Get("/api/profile")->status, 401);
  auto paired = device.Post("/api/pair", json{{"code", code}}.dump(), "application/json");
  ASSERT_EQ(paired->status, 200) << paired->body;
  const std::string set_cookie = paired->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  EXPECT_EQ(device.Get("/api/profile", {{"Cookie", cookie}})->status, 200);
  // Used: the terminal shows the next code when someone tries the old one.
  EXPECT_EQ(device.Post("/api/pair", json{{"code", code}}.dump(), "application/json")->status, 403);
  const auto next = server->ReadLine(20s);
  ASSERT_TRUE(next.has_value());
  const auto announced = server->ReadLine(20s);
  ASSERT_TRUE(announced.has_value());
  EXPECT_THAT(*announced, HasSubstr("type the code"));
  EXPECT_THAT(*announced, ::testing::Not(HasSubstr(code)));
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s).exit_code, 0);
}

TEST_F(LanCliTest, JsonNamesTheLanAddressAndEachCode) {
  const std::string lan = NonLoopbackAddress();
  if (lan.empty()) GTEST_SKIP() << "this machine has no address besides loopback";
  auto server = testing::StartCli(
      {"--json", "serve", "--port", "0", "--lan-address", lan, "--no-access-log", "--db", Db()},
      Env());
  const auto first = server->ReadLine(60s);
  ASSERT_TRUE(first.has_value()) << server->Wait(20s).err;
  const json start = json::parse(*first);
  const int port = start["port"].get<int>();
  EXPECT_EQ(start["lan_address"], "http://" + lan + ":" + std::to_string(port) + "/");
  const auto second = server->ReadLine(20s);
  ASSERT_TRUE(second.has_value());
  const json code = json::parse(*second);
  EXPECT_EQ(code["expires_in_minutes"], 10);
  EXPECT_EQ(code["pairing_url"], "http://" + lan + ":" + std::to_string(port) +
                                     "/pair#code=" + code["pairing_code"].get<std::string>());
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s).exit_code, 0);
}

}  // namespace
}  // namespace mg
