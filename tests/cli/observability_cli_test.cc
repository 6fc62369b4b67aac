// Black-box tests of what `mgadvisor serve` tells its operator (issue 19), over real HTTP on
// loopback: the access log (one JSON line per request, route patterns only, nothing of the
// person), GET /metrics in the Prometheus text format (read back by a strict parser below), and
// GET /api/health?deep=1, which checks the database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::CliProcess;
using ::mg::testing::CliResult;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 60s;
constexpr auto kStopTimeout = 20s;

// One sample of the exposition format: name, labels, value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The Prometheus text exposition format (0.0.4), read strictly: every line a comment (# HELP or
// # TYPE, each at most once per family and TYPE before its samples), or `name{l="v",...} value`
// with valid names, escapes only \\ \" \n, a number or +Inf/-Inf/NaN, no duplicate series, and
// for histograms buckets cumulative in ascending `le` ending in +Inf equal to _count. Returns
// the samples, or fails the test naming the line.
std::vector<Sample> ParseExposition(const std::string& text) {
  static const std::regex name_re("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex label_name_re("[a-zA-Z_][a-zA-Z0-9_]*");
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;
  std::set<std::string> helps, series;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "the text must end with a newline";
  while (std::getline(in, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + ": " + line;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name;
      words >> hash >> keyword >> name;
      EXPECT_EQ(hash, "#") << where;
      EXPECT_TRUE(std::regex_match(name, name_re)) << where;
      if (keyword == "TYPE") {
        std::string type;
        words >> type;
        EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram" ||
                    type == "summary" || type == "untyped")
            << where;
        EXPECT_FALSE(types.contains(name)) << "second TYPE, " << where;
        types[name] = type;
      } else if (keyword == "HELP") {
        EXPECT_TRUE(helps.insert(name).second) << "second HELP, " << where;
      }
      continue;
    }
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!std::regex_match(s.name, name_re)) {
      ADD_FAILURE() << "bad metric name, " << where;
      continue;
    }
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          ADD_FAILURE() << "bad label, " << where;
          return samples;
        }
        const std::string label = line.substr(i, eq - i);
        EXPECT_TRUE(std::regex_match(label, label_name_re)) << where;
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            if (j >= line.size() || (line[j] != '\\' && line[j] != '"' && line[j] != 'n')) {
              ADD_FAILURE() << "bad escape, " << where;
              return samples;
            }
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) {
          ADD_FAILURE() << "unterminated label value, " << where;
          return samples;
        }
        EXPECT_TRUE(s.labels.emplace(label, value).second) << "label twice, " << where;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) {
        ADD_FAILURE() << "no closing brace, " << where;
        continue;
      }
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      ADD_FAILURE() << "no value, " << where;
      continue;
    }
    const std::string value = line.substr(i + 1);
    if (value == "+Inf") {
      s.value = HUGE_VAL;
    } else if (value == "-Inf") {
      s.value = -HUGE_VAL;
    } else if (value == "NaN") {
      s.value = NAN;
    } else {
      size_t used = 0;
      try {
        s.value = std::stod(value, &used);
      } catch (...) {
      }
      EXPECT_EQ(used, value.size()) << "bad value, " << where;
    }
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string base = family.substr(0, family.size() - std::string(suffix).size());
      if (family.ends_with(suffix) && types.contains(base) && types[base] == "histogram") {
        family = base;
      }
    }
    EXPECT_TRUE(types.contains(family)) << "sample before its TYPE, " << where;
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "|" + k + "=" + v;
    EXPECT_TRUE(series.insert(key).second) << "duplicate series, " << where;
    samples.push_back(std::move(s));
  }
  // Histograms: per series, cumulative buckets in ascending le, +Inf last and equal to _count.
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;
  std::map<std::string, double> counts;
  for (const auto& s : samples) {
    auto labels = s.labels;
    const std::string le = labels.contains("le") ? labels["le"] : "";
    labels.erase("le");
    std::string key;
    for (const auto& [k, v] : labels) key += k + "=" + v + "|";
    if (s.name.ends_with("_bucket")) {
      buckets[s.name.substr(0, s.name.size() - 7) + "|" + key].push_back(
          {le == "+Inf" ? HUGE_VAL : std::stod(le), s.value});
    } else if (s.name.ends_with("_count")) {
      counts[s.name.substr(0, s.name.size() - 6) + "|" + key] = s.value;
    }
  }
  for (const auto& [key, list] : buckets) {
    for (size_t k = 1; k < list.size(); ++k) {
      EXPECT_LT(list[k - 1].first, list[k].first) << key;
      EXPECT_LE(list[k - 1].second, list[k].second) << key;
    }
    EXPECT_EQ(list.back().first, HUGE_VAL) << key;
    EXPECT_EQ(list.back().second, counts[key]) << key;
  }
  return samples;
}

double Value(const std::vector<Sample>& samples, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return -1;
}

class ObservabilityCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mg_observability_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<CliProcess> Start(std::vector<std::string> args, int& port) {
    args.insert(args.begin(), {"serve", "--port", "0", "--json"});
    auto process = testing::StartCli(
        args, {"XDG_DATA_HOME=" + (dir_ / "data").string(), "MGADVISOR_TODAY=2026-03-14"});
    port = 0;
    const auto line = process->ReadLine(kStartTimeout);
    if (!line) {
      ADD_FAILURE() << "serve printed no address; stderr: " << process->Wait(kStopTimeout).err;
      return process;
    }
    port = nlohmann::json::parse(*line).at("port");
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

// Requests that carry personal data and secrets every way a request can; the access log names
// only their route patterns, and /metrics counts them.
TEST_F(ObservabilityCliTest, AccessLogAndMetricsNameRoutesNeverPersonalData) {
  int port = 0;
  auto process = Start({"--metrics", "--db", (dir_ / "journal.db").string()}, port);
  ASSERT_GT(port, 0);
  auto client = Client(port);
  const httplib::Headers secrets = {{"Cookie", "mg_session=SECRETCOOKIE"},
                                    {"Authorization", "Bearer SECRETTOKEN"},
                                    {"X-CSRF-Token", "SECRETCSRF"}};
  auto health = client.Get("/api/health", secrets);
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto explain =
      client.Get("/api/explain/alice%40example.com%20leg%20cramps?who=SECRETQUERY", secrets);
  ASSERT_TRUE(explain);
  auto added = client.Post("/api/journal/entries", secrets,
                           R"({"kind": "note", "note": "alice@example.com SECRETBODY"})",
                           "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;
  const int id = nlohmann::json::parse(added->body)["entry"]["id"];
  auto deleted = client.Delete("/api/journal/entries/" + std::to_string(id), secrets);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200) << deleted->body;
  auto missing = client.Get("/no/such/alice@example.com", secrets);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto bad = client.Get("/api/health?deep=yes");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  const auto samples = ParseExposition(metrics->body);
  EXPECT_EQ(Value(samples, "mgadvisor_http_requests_total",
                  {{"method", "GET"}, {"route", "/api/health"}, {"status", "200"}}),
            1);
  EXPECT_EQ(Value(samples, "mgadvisor_http_requests_total",
                  {{"method", "GET"}, {"route", "/api/health"}, {"status", "400"}}),
            1);
  EXPECT_EQ(
      Value(samples, "mgadvisor_http_requests_total",
            {{"method", "DELETE"}, {"route", "/api/journal/entries/{id}"}, {"status", "200"}}),
      1);
  EXPECT_EQ(Value(samples, "mgadvisor_http_requests_total",
                  {{"method", "GET"}, {"route", "(unmatched)"}, {"status", "404"}}),
            1);
  EXPECT_EQ(Value(samples, "mgadvisor_http_request_duration_seconds_count",
                  {{"method", "POST"}, {"route", "/api/journal/entries"}}),
            1);
  EXPECT_EQ(Value(samples, "mgadvisor_http_server_errors_total",
                  {{"method", "POST"}, {"route", "/api/journal/entries"}}),
            0);
  EXPECT_THAT(metrics->body, Not(HasSubstr("alice")));
  EXPECT_THAT(metrics->body, Not(HasSubstr("SECRET")));

  ASSERT_TRUE(process->Signal(SIGTERM));
  const CliResult stopped = process->Wait(kStopTimeout);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  // Every access line is JSON with exactly these fields; nothing of the person anywhere.
  std::istringstream err(stopped.err);
  std::string line;
  std::vector<nlohmann::json> lines;
  while (std::getline(err, line)) {
    if (!line.starts_with("{")) continue;
    const auto entry = nlohmann::json::parse(line);
    std::set<std::string> keys;
    for (const auto& [k, v] : entry.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"time", "method", "route", "status", "duration_ms"}))
        << line;
    EXPECT_TRUE(std::regex_match(entry["time"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_GE(entry["duration_ms"].get<double>(), 0);
    lines.push_back(entry);
  }
  EXPECT_EQ(lines.size(), 7u) << stopped.err;  // The 6 requests above and /metrics.
  EXPECT_THAT(stopped.err, HasSubstr(R"("route":"/api/explain/{query}")"));
  EXPECT_THAT(stopped.err, HasSubstr(R"("route":"/api/journal/entries/{id}")"));
  for (const char* secret : {"SECRET", "alice", "example.com", "cramps", "mg_session"}) {
    EXPECT_THAT(stopped.err, Not(HasSubstr(secret)));
  }
}

TEST_F(ObservabilityCliTest, NoMetricsWithoutTheFlagNoLogWhenOff) {
  int port = 0;
  auto process = Start({"--no-access-log", "--db", (dir_ / "journal.db").string()}, port);
  ASSERT_GT(port, 0);
  auto client = Client(port);
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 404);
  // Deep health: the journal opens (created on first use, as a journal request would).
  auto deep = client.Get("/api/health?deep=1");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 200) << deep->body;
  EXPECT_EQ(nlohmann::json::parse(deep->body)["database"], "ok");
  ASSERT_TRUE(process->Signal(SIGTERM));
  const CliResult stopped = process->Wait(kStopTimeout);
  EXPECT_EQ(stopped.exit_code, 0);
  EXPECT_THAT(stopped.err, Not(HasSubstr("\"route\""))) << stopped.err;
}

// A journal that cannot be opened: the plain health check still says the process is up, the
// deep one fails with a 500 whose details (the path) stay in the server's log.
TEST_F(ObservabilityCliTest, DeepHealthFailsWhenTheJournalCannotOpen) {
  std::ofstream(dir_ / "not-a-folder") << "x";
  int port = 0;
  auto process = Start({"--db", (dir_ / "not-a-folder" / "journal.db").string()}, port);
  ASSERT_GT(port, 0);
  auto client = Client(port);
  auto shallow = client.Get("/api/health");
  ASSERT_TRUE(shallow);
  EXPECT_EQ(shallow->status, 200);
  auto deep = client.Get("/api/health?deep=1");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 500) << deep->body;
  EXPECT_THAT(deep->body, Not(HasSubstr("not-a-folder")));
  ASSERT_TRUE(process->Signal(SIGTERM));
  const CliResult stopped = process->Wait(kStopTimeout);
  EXPECT_THAT(stopped.err, HasSubstr("not-a-folder"));
  EXPECT_THAT(stopped.err, HasSubstr(R"("route":"/api/health","status":500)"));
}

}  // namespace
}  // namespace mg
