// Black-box tests of the HTTP API: the real server on an ephemeral loopback port, real HTTP
// through httplib's client. Loading the knowledge happens once for the whole suite.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/data_files.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/render.h"
#include "server/running_server_test_util.h"

namespace mg::server {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions options;
    // Never the developer's own imported food store: the embedded table, as in CI.
    setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-server-test", 1);
    // Never the developer's own journal either (the journal routes are tested in
    // journal_api_test.cc, each test with a fresh one).
    std::string dir = (std::filesystem::temp_directory_path() / "mg-server-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = new std::string(dir);
    options.journal_path = dir + "/journal.db";
    server_ = RunningServer::Start(options).release();
    ASSERT_NE(server_, nullptr);
    port_ = server_->port();
    auto context = plan::PlanContext::Load(std::nullopt);
    ASSERT_TRUE(context.ok()) << context.error().message;
    context_ = std::move(*context).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete context_;
    if (dir_) {
      std::error_code ignored;
      std::filesystem::remove_all(*dir_, ignored);
    }
    delete dir_;
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);  // Generous for sanitizer builds.
    return client;
  }

  // Parses a JSON response, failing the test (not crashing) when it is not JSON.
  static json Json(const httplib::Result& res) {
    EXPECT_TRUE(res) << "no response";
    if (!res) return nullptr;
    json out = json::parse(res->body, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << res->body;
    return out;
  }

  static void ExpectError(const httplib::Result& res, int status, const std::string& code) {
    ASSERT_TRUE(res) << "no response";
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    const json body = Json(res);
    ASSERT_TRUE(body.contains("error")) << res->body;
    EXPECT_EQ(body["error"]["code"], code) << res->body;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  }

  // The plan the library renders for `profile`: what `mgadvisor plan --json` prints.
  static std::string LibraryPlan(const json& profile) {
    plan::ProfileDocument document;
    document.tree = profile;
    document.source_name = "test";
    auto resolved = plan::ResolveProfile(document, *context_);
    EXPECT_TRUE(resolved.ok()) << resolved.error().message;
    if (!resolved.ok()) return "";
    plan::Plan plan = plan::BuildPlan(*resolved, *context_);
    plan::NoteFieldsWithoutEffect(*resolved, *context_, plan);  // As every plan people read.
    return plan::RenderPlan(plan, *context_, plan::Format::kJson);
  }

  httplib::Result PostJson(const std::string& path, const std::string& body) {
    return Client().Post(path.c_str(), body, "application/json");
  }

  static inline RunningServer* server_ = nullptr;
  static inline plan::PlanContext* context_ = nullptr;
  static inline int port_ = 0;
  static inline std::string* dir_ = nullptr;
};

TEST_F(ServerTest, HealthSaysOk) {
  auto res = Client().Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Json(res)["status"], "ok");
  EXPECT_EQ(Json(res)["mode"], "local");
}

TEST_F(ServerTest, CompoundsListsTheCatalogue) {
  auto res = Client().Get("/api/compounds");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json body = Json(res);
  ASSERT_TRUE(body.is_array());
  EXPECT_EQ(body.size(), context_->compounds.compounds().size());
  bool has_citrate = false;
  for (const auto& c : body) has_citrate |= c["id"] == "citrate";
  EXPECT_TRUE(has_citrate);
}

TEST_F(ServerTest, ElementalFromCompoundAmountAndBack) {
  auto res = PostJson("/api/elemental", R"({"compound": "magnesium oxide", "amount": "500mg"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json forward = Json(res);
  EXPECT_NEAR(forward["compound_mg"].get<double>(), 500, 1e-9);
  EXPECT_NEAR(forward["elemental_mg"].get<double>(), 301.5, 1.0);  // MgO is 60.3 % Mg.

  res = PostJson("/api/elemental", R"({"compound": "magnesium oxide", "elemental": "301.5mg"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NEAR(Json(res)["compound_mg"].get<double>(), 500, 1.0);
}

TEST_F(ServerTest, DriForAWoman) {
  auto res = Client().Get("/api/dri?age=34&sex=female");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = Json(res);
  EXPECT_EQ(body["rda_mg"], 320);  // Females 31-50.
  EXPECT_EQ(body["ul_supplemental_mg"], 350);
  EXPECT_EQ(body["reference"], "us");

  res = Client().Get("/api/dri?age=34&sex=female&pregnant=true&reference=eu");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json(res)["reference"], "eu");
}

TEST_F(ServerTest, FoodSearchToleratesTypos) {
  auto res = Client().Get("/api/foods/search?q=pumkin%20seeds&limit=3");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = Json(res);
  ASSERT_FALSE(body["results"].empty());
  EXPECT_LE(body["results"].size(), 3u);
  const std::string first = body["results"][0]["name"];
  EXPECT_NE(first.find("umpkin"), std::string::npos) << first;
}

TEST_F(ServerTest, ExplainByCommonName) {
  auto res = Client().Get("/api/explain/RLS");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(Json(res).is_object());

  res = Client().Get("/api/explain/Epsom%20salt");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(ServerTest, ExplainUnknownIsNotFound) {
  ExpectError(Client().Get("/api/explain/no-such-thing-at-all"), 404, "not_found");
}

TEST_F(ServerTest, PlanIsByteIdenticalToTheCli) {
  for (const std::string example :
       {"examples/migraine.toml", "examples/restless-legs.toml", "examples/swollen-calf.json",
        "examples/night-cramps-older-woman.toml"}) {
    auto document = plan::ReadProfileFile(example);
    ASSERT_TRUE(document.ok()) << document.error().message;
    auto res = PostJson("/api/plan", document->tree.dump());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << example << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(res->body, LibraryPlan(document->tree)) << example;
  }
}

TEST_F(ServerTest, PlanAsTextAndMarkdown) {
  const std::string profile = R"({"age": 45, "sex": "male", "complaints": ["leg cramps"]})";
  auto res = PostJson("/api/plan?format=text", profile);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_FALSE(res->body.empty());
  res = PostJson("/api/plan?format=markdown", profile);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  ExpectError(PostJson("/api/plan?format=pdf", profile), 400, "invalid_argument");
}

TEST_F(ServerTest, SafetyNoSupplementWithEgfr20) {
  auto res = PostJson("/api/plan", R"({"age": 70, "sex": "female", "complaints": ["leg cramps"],
                                      "kidney": {"egfr": 20}})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json plan = Json(res);
  ASSERT_TRUE(plan.contains("supplement"));
  EXPECT_TRUE(plan["supplement"].is_null()) << plan["supplement"].dump();
}

TEST_F(ServerTest, SafetyMigraineNeverAboveTheUpperLimit) {
  for (const int age : {19, 29, 45, 70}) {
    for (const std::string sex : {"female", "male"}) {
      const json profile = {{"age", age},
                            {"sex", sex},
                            {"complaints", {{{"condition", "migraine"}, {"severity", "severe"}}}}};
      auto res = PostJson("/api/plan", profile.dump());
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      const json plan = Json(res);
      if (plan["supplement"].is_null()) continue;
      EXPECT_LE(plan["supplement"]["daily_elemental_mg"].get<double>(), 350) << age << " " << sex;
      for (const auto& step : plan["supplement"].value("titration", json::array())) {
        EXPECT_LE(step["daily_elemental_mg"].get<double>(), 350);
      }
    }
  }
}

TEST_F(ServerTest, BadJsonIs400NamingTheProblem) {
  auto res = PostJson("/api/plan", R"({"age": 30, "sex": )");
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(Json(res)["error"]["message"].get<std::string>().find("not valid JSON"),
            std::string::npos);
  ExpectError(PostJson("/api/plan", ""), 400, "invalid_argument");
  ExpectError(PostJson("/api/plan", "[1, 2]"), 400, "invalid_argument");
  ExpectError(PostJson("/api/elemental", "{\"compound\": \"oxide\", \"amount\": \"1g\"}}"), 400,
              "invalid_argument");
  ExpectError(PostJson("/api/elemental", std::string("{\"compound\": \"\xff\xfe\"}")), 400,
              "invalid_argument");
}

TEST_F(ServerTest, UnknownFieldsAre400) {
  auto res = PostJson("/api/plan", R"({"age": 30, "sex": "female", "favourite_colour": "red"})");
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(res->body.find("favourite_colour"), std::string::npos) << res->body;
  res = PostJson("/api/elemental", R"({"compound": "oxide", "amount": "1g", "dose": 3})");
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(res->body.find("dose"), std::string::npos) << res->body;
  ExpectError(Client().Get("/api/dri?age=30&sex=male&colour=red"), 400, "invalid_argument");
}

TEST_F(ServerTest, WrongTypesAre400) {
  auto res = PostJson("/api/elemental", R"({"compound": 5, "amount": "1g"})");
  ExpectError(res, 400, "invalid_argument");
  EXPECT_NE(res->body.find("compound"), std::string::npos) << res->body;
  ExpectError(PostJson("/api/elemental", R"({"compound": "oxide", "amount": ["1g"]})"), 400,
              "invalid_argument");
  ExpectError(PostJson("/api/plan", R"({"age": {"years": 30}, "sex": "female"})"), 400,
              "invalid_argument");
  ExpectError(Client().Get("/api/dri?age=old&sex=female"), 400, "invalid_argument");
  ExpectError(Client().Get("/api/dri?age=30&sex=female&pregnant=maybe"), 400, "invalid_argument");
  ExpectError(Client().Get("/api/foods/search?q=nuts&limit=0"), 400, "invalid_argument");
  ExpectError(Client().Get("/api/foods/search?q=nuts&limit=2.5"), 400, "invalid_argument");
  ExpectError(Client().Get("/api/foods/search"), 400, "invalid_argument");
}

TEST_F(ServerTest, UnknownCompoundIs404) {
  ExpectError(PostJson("/api/elemental", R"({"compound": "unobtainium", "amount": "1g"})"), 404,
              "not_found");
}

TEST_F(ServerTest, OversizeBodyIs413) {
  const std::string big = "{\"age\": \"" + std::string(70 * 1024, 'x') + "\"}";
  ExpectError(PostJson("/api/plan", big), 413, "payload_too_large");
}

TEST_F(ServerTest, UnknownRouteIs404) {
  ExpectError(Client().Get("/api/nothing-here"), 404, "not_found");
  ExpectError(Client().Get("/nothing-here"), 404, "not_found");
  ExpectError(Client().Get("/assets/no-such-file.js"), 404, "not_found");
  ExpectError(Client().Get("/assets/../server/openapi.json"), 404, "not_found");
  ExpectError(PostJson("/api/compounds", "{}"), 404, "not_found");
}

// Issue 17: the page works offline once loaded through a service worker, which must be served
// from the root to control "/", and its manifest and icon are page assets.
TEST_F(ServerTest, ServesTheServiceWorkerManifestAndIcon) {
  auto worker = Client().Get("/sw.js");
  ASSERT_TRUE(worker);
  EXPECT_EQ(worker->status, 200);
  EXPECT_EQ(worker->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(worker->body.find("caches.open"), std::string::npos);
  auto manifest = Client().Get("/assets/manifest.webmanifest");
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->status, 200);
  EXPECT_FALSE(json::parse(manifest->body, nullptr, false).is_discarded());
  auto icon = Client().Get("/assets/icon.svg");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->get_header_value("Content-Type"), "image/svg+xml");
  ExpectError(Client().Get("/other.js"), 404, "not_found");
}

TEST_F(ServerTest, ServerKeepsServingAfterErrors) {
  for (int i = 0; i < 5; ++i) (void)PostJson("/api/plan", "{not json");
  auto res = Client().Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServerTest, OpenApiPathsEqualTheRouteTable) {
  auto res = Client().Get("/api/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json doc = Json(res);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert({upper, path});
    }
  }
  // Every /api/ route documented, and nothing documented that is not served. The web page
  // ("/", "/assets/{file}", its service worker "/sw.js", serve --lan's "/pair") is not part of
  // the API.
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : Routes()) {
    if (route.path.starts_with("/api/")) {
      served.insert({route.method, route.path});
    } else {
      EXPECT_TRUE(route.path == "/" || route.path == "/sw.js" || route.path == "/pair" ||
                  route.path.starts_with("/assets/"))
          << route.path;
    }
  }
  EXPECT_EQ(documented, served);
  // Each operation names its responses and every error response uses the error schema.
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      ASSERT_TRUE(operation.contains("responses")) << method << " " << path;
      for (const auto& [status, response] : operation["responses"].items()) {
        if (status[0] == '4' || status[0] == '5') {
          EXPECT_EQ(response.value("$ref", ""), "#/components/responses/Error")
              << method << " " << path << " " << status;
        }
      }
    }
  }
}

// The document names the server as the client reached it (no fixed port), groups operations by
// tag, and says which routes need the session cookie and the CSRF header (security schemes).
TEST_F(ServerTest, OpenApiNamesThisServerTagsAndSecuritySchemes) {
  auto res = Client().Get("/api/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json doc = Json(res);
  ASSERT_EQ(doc["servers"].size(), 1u);
  EXPECT_EQ(doc["servers"][0]["url"], "http://127.0.0.1:" + std::to_string(port_));
  auto named = Client().Get("/api/openapi.json", {{"Host", "localhost:" + std::to_string(port_)},
                                                  {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(named->status, 200);
  EXPECT_EQ(Json(named)["servers"][0]["url"], "https://localhost:" + std::to_string(port_));

  const json& schemes = doc["components"]["securitySchemes"];
  EXPECT_EQ(schemes["sessionCookie"]["in"], "cookie");
  EXPECT_EQ(schemes["sessionCookie"]["name"], "mg_session");
  EXPECT_EQ(schemes["csrfHeader"]["in"], "header");
  EXPECT_EQ(schemes["csrfHeader"]["name"], "X-CSRF-Token");
  std::set<std::string> tags;
  for (const json& tag : doc["tags"]) tags.insert(tag["name"].get<std::string>());
  for (const RouteInfo& route : Routes()) {
    if (!route.path.starts_with("/api/")) continue;
    std::string method = route.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    SCOPED_TRACE(route.method + " " + route.path);
    const json& operation = doc["paths"][route.path][method];
    ASSERT_TRUE(operation.contains("tags"));
    for (const json& tag : operation["tags"]) EXPECT_TRUE(tags.contains(tag.get<std::string>()));
    if (route.access != Access::kJournal) continue;
    // Local mode needs nothing ({}), multi-user mode the cookie, and the CSRF header too for
    // every method but GET.
    const json& security = operation["security"];
    const auto has = [&security](const json& requirement) {
      return std::find(security.begin(), security.end(), requirement) != security.end();
    };
    EXPECT_TRUE(has(json::object()));
    json session = {{"sessionCookie", json::array()}};
    if (route.method != "GET") session["csrfHeader"] = json::array();
    EXPECT_TRUE(has(session)) << security.dump();
    EXPECT_EQ(has(json{{"calendarKey", json::array()}}), route.secret_url);
  }
}

}  // namespace
}  // namespace mg::server
