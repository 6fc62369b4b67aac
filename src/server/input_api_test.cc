// Black-box tests of the input boundary over real HTTP (issue 11, findings 1, 4, 7 and 12): the
// real server on an ephemeral loopback port over a fresh SQLite journal. Deeply nested bodies,
// infinite numbers, wrong JSON types and bytes that are not UTF-8 are 4xx answers naming the
// field, the server stays up, and nothing is stored.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "journal/journal.h"
#include "server/running_server_test_util.h"
#include "server/server.h"

namespace mg::server {
namespace {

using nlohmann::json;

class InputApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-input-api-test", 1);
    std::string pattern = (std::filesystem::temp_directory_path() / "mg-input-api-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ServerOptions options;
    options.journal_path = (dir_ / "journal.db").string();
    options.today = journal::ParseDate("2026-11-23");
    server_ = RunningServer::Start(options);
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);  // Generous for sanitizer builds.
    return client;
  }
  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body) {
    auto client = Client();
    if (method == "PUT") return client.Put(path, body, "application/json");
    return client.Post(path, body, "application/json");
  }

  // A 4xx error naming `names`; the message is short and the server still answers.
  void ExpectError(const httplib::Result& res, int status, const std::string& names) {
    ASSERT_TRUE(res) << "no response: " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, status) << res->body;
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << res->body;
    const std::string message = body["error"]["message"];
    EXPECT_NE(message.find(names), std::string::npos) << "'" << names << "' not in: " << message;
    EXPECT_LT(message.size(), 600u) << message;
    ExpectUp();
  }
  void ExpectUp() {
    auto health = Client().Get("/api/health");
    ASSERT_TRUE(health) << "the server is down";
    EXPECT_EQ(health->status, 200);
  }
  size_t EntryCount() {
    auto res = Client().Get("/api/journal/entries");
    EXPECT_TRUE(res && res->status == 200);
    if (!res) return 0;
    const json body = json::parse(res->body, nullptr, false);
    return body.contains("entries") ? body["entries"].size() : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<RunningServer> server_;
};

// Finding 1: 100,000 nested arrays (a 260-byte gzip body) killed `serve` with SIGSEGV: the value
// was quoted in an error message with a recursive dump(). Now the parser stops at depth 64, so
// the answer is a 400 — or a 413 where the transport refuses the inflated size first — and the
// server stays up.
TEST_F(InputApiTest, HundredThousandDeepGzipBodyIsRefusedAndTheServerStaysUp) {
  // In a field, so the old code quoted it in "age: must be a number ..., not <dump>"; 261 bytes
  // gzipped. (A bare deep array was refused as "not an object" without a dump.)
  const std::string deep =
      "{\"age\": " + std::string(100000, '[') + std::string(100000, ']') + ", \"sex\": \"female\"}";
  auto client = Client();
  client.set_compress(true);  // Content-Encoding: gzip, as in the attack.
  auto res = client.Post("/api/plan", deep, "application/json");
  ASSERT_TRUE(res) << "no response: " << httplib::to_string(res.error());
  EXPECT_TRUE(res->status == 400 || res->status == 413) << res->status << " " << res->body;
  if (res->status == 400) {
    EXPECT_NE(res->body.find("age[0][0]…[0][0][0][0]: nested deeper than 64"), std::string::npos)
        << res->body;
  }
  ExpectUp();
}

// Finding 1 on every JSON route, with a body small enough to pass any size limit (about 60 KB):
// the depth limit itself answers.
TEST_F(InputApiTest, DeepBodiesAre400OnEveryJsonRoute) {
  const std::string deep = "{\"age\": " + std::string(30000, '[') + std::string(30000, ']') + "}";
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/plan"},           {"PUT", "/api/profile"},
      {"POST", "/api/elemental"},      {"POST", "/api/journal/entries"},
      {"POST", "/api/journal/foods"},  {"POST", "/api/journal/import"},
      {"POST", "/api/intake/analyze"}, {"POST", "/api/trials"},
  };
  for (const auto& [method, path] : routes) {
    SCOPED_TRACE(method + " " + path);
    // The object is level 1, so the 64th '[' (column 72) is one too many.
    ExpectError(Send(method, path, deep), 400, ":1:72: age[0][0]…");
  }
  // Inside a JSON string (a diary, an imported profile) the inner document is limited too.
  const std::string diary = json({{"diary", std::string(30000, '[') + std::string(30000, ']')},
                                  {"age", 40},
                                  {"sex", "female"}})
                                .dump();
  ExpectError(Send("POST", "/api/intake/analyze", diary), 400, "nested deeper than 64");
  const std::string import = json({{"format", "mgadvisor-journal"},
                                   {"version", 1},
                                   {"profile", std::string(30000, '[') + std::string(30000, ']')}})
                                 .dump();
  ExpectError(Send("POST", "/api/journal/import", import), 400, "profile:1:65");
}

// Finding 7: {"age": 1e309} was a 500; it is a 400 naming the field.
TEST_F(InputApiTest, InfiniteNumbersAre400NamingTheField) {
  ExpectError(Send("POST", "/api/plan", R"({"age": 1e309, "sex": "female"})"), 400,
              "request body:1:13: age: \"1e309\" is too large a number");
  ExpectError(Send("PUT", "/api/profile", R"({"age": 40, "sex": "female",
                                              "kidney": {"egfr": -1e400}})"),
              400, "kidney.egfr");
  ExpectError(Send("POST", "/api/journal/foods", R"({"food": "sr28:12061", "grams": 1e999})"), 400,
              "grams");
}

// Finding 7: a wrong JSON type anywhere is a 400 naming the field, never a 500.
TEST_F(InputApiTest, WrongTypesAre400NamingTheField) {
  ExpectError(Send("POST", "/api/journal/import", R"({"format": 5})"), 400,
              "format: expected a string, got a number (5)");
  ExpectError(Send("POST", "/api/journal/import",
                   R"({"format": "mgadvisor-journal", "version": 1, "trials": {"id": 1}})"),
              400, "trials: expected an array");
  ExpectError(Send("POST", "/api/journal/entries", R"({"kind": "pain", "value": [7]})"), 400,
              "value: [7] is not a number");
  ExpectError(Send("POST", "/api/journal/foods", R"({"food": ["sr28:12061"], "grams": 30})"), 400,
              "food: expected a string, got an array");
  ExpectError(Send("POST", "/api/intake/analyze",
                   R"({"diary": "date,food,amount\n2026-11-01,almonds,30 g", "age": 40,
                       "sex": "female", "pregnant": "no"})"),
              400, "pregnant: expected true or false, got a string (\"no\")");
  const json diary = {{"entries", {{{"date", 20261101}, {"food", "almonds"}, {"amount", 30}}}}};
  ExpectError(Send("POST", "/api/intake/analyze",
                   json({{"diary", diary.dump()}, {"age", 40}, {"sex", "female"}}).dump()),
              400, "diary: entries[0].date: expected a string, got a number (20261101)");
  ExpectError(Send("POST", "/api/trials", R"({"outcome": "irls", "pairs": "3"})"), 400,
              "pairs: \"3\" is not a whole number");
  ExpectError(Send("POST", "/api/plan", R"({"age": 40, "age": 41, "sex": "female"})"), 400,
              "age: the field appears twice");
  EXPECT_EQ(EntryCount(), 0u);
}

// Finding 4: text that is not UTF-8 in a body, a query or a path is a 400 naming where.
TEST_F(InputApiTest, BytesThatAreNotUtf8Are400AndNothingIsStored) {
  ExpectError(Send("POST", "/api/journal/entries",
                   "{\"date\": \"2026-11-01\", \"kind\": \"note\", \"note\": \"caf\xE9\"}"),
              400, "request body:1:52: byte offset 51 (0xE9) is not valid UTF-8");
  ExpectError(Client().Get("/api/foods/search?q=caf%E9"), 400,
              "query: q: byte offset 3 (0xE9) is not valid UTF-8");
  ExpectError(Client().Get("/api/explain/caf%E9"), 400, "path: byte offset 3 (0xE9)");
  EXPECT_EQ(EntryCount(), 0u);
}

// Finding 12 over HTTP: a negative diary amount is blamed on the amount, and 1e300 g is refused
// with the bound stated.
TEST_F(InputApiTest, DiaryAmountsAreBlamedOnTheAmount) {
  ExpectError(Send("POST", "/api/intake/analyze",
                   R"({"diary": "date,food,amount,unit\n2026-11-01,almonds,-30,g\n", "age": 40,
                       "sex": "female"})"),
              400, "diary:2: field 'amount': \"-30\" is not a positive amount");
  ExpectError(Send("POST", "/api/intake/analyze",
                   R"({"diary": "date,food,amount,unit\n2026-11-01,almonds,1e300,g\n", "age": 40,
                       "sex": "female"})"),
              400, "is more than 5000 g (5 kg) of one food");
}

}  // namespace
}  // namespace mg::server
