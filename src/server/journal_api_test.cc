// Black-box tests of the journal, intake and trial routes in local mode: the real server on an
// ephemeral loopback port over a real SQLite journal in a fresh temporary directory per test,
// with "today" fixed, and real HTTP through httplib's client.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "chem/compounds.h"
#include "core/data_files.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/foods_json.h"
#include "foods/intake.h"
#include "foods/search.h"
#include "foods/units.h"
#include "journal/journal.h"
#include "products/products_test_util.h"
#include "server/running_server_test_util.h"
#include "server/server.h"

namespace mg::server {
namespace {

using nlohmann::json;

constexpr const char* kToday = "2026-11-23";
// A profile for whom the plan engine offers magnesium (as a trial: thin evidence, no safety rule
// in the way), so trials can take their dose and form from the plan.
constexpr const char* kProfile =
    R"({"age": 61, "sex": "female", "complaints": ["RLS", "chronic pain"]})";

class JournalApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Never the developer's own food store or journal.
    setenv("XDG_DATA_HOME", "/nonexistent/mgadvisor-journal-api-test", 1);
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mg-journal-api-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    journal_path_ = (dir_ / "journal.db").string();
    Restart();
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // (Re)starts the server on the test's journal, "today" fixed.
  void Restart() {
    server_.reset();
    ServerOptions options;
    options.journal_path = journal_path_;
    options.today = journal::ParseDate(kToday);
    server_ = RunningServer::Start(options);
    ASSERT_NE(server_, nullptr);
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);  // Generous for sanitizer builds.
    return client;
  }
  httplib::Result Get(const std::string& path) { return Client().Get(path); }
  httplib::Result Post(const std::string& path, const std::string& body) {
    return Client().Post(path, body, "application/json");
  }
  httplib::Result Put(const std::string& path, const std::string& body) {
    return Client().Put(path, body, "application/json");
  }
  httplib::Result Delete(const std::string& path) { return Client().Delete(path); }
  httplib::Result Patch(const std::string& path, const std::string& body) {
    return Client().Patch(path, body, "application/json");
  }

  // The JSON body of a response with the expected status; null (and a failure) otherwise.
  static json Expect(const httplib::Result& res, int status) {
    EXPECT_TRUE(res) << "no response";
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    json out = json::parse(res->body, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << res->body;
    return out.is_discarded() ? json(nullptr) : out;
  }

  // An error response with `status`, `code`, and a message containing `names` (the field).
  static void ExpectError(const httplib::Result& res, int status, const std::string& code,
                          const std::string& names) {
    const json body = Expect(res, status);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << (res ? res->body : "");
    EXPECT_EQ(body["error"]["code"], code) << res->body;
    const std::string message = body["error"]["message"];
    EXPECT_NE(message.find(names), std::string::npos) << "'" << names << "' not in: " << message;
  }

  std::filesystem::path dir_;
  std::string journal_path_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(JournalApiTest, ProfileIsNullThenStoredAsGiven) {
  EXPECT_TRUE(Expect(Get("/api/profile"), 200)["profile"].is_null());
  const json stored = Expect(Put("/api/profile", kProfile), 200);
  EXPECT_EQ(stored["profile"], json::parse(kProfile));
  EXPECT_EQ(Expect(Get("/api/profile"), 200)["profile"], json::parse(kProfile));
}

TEST_F(JournalApiTest, ProfileIsValidatedLikeThePlan) {
  ExpectError(Put("/api/profile", R"({"age": 30, "sex": "female", "favourite_colour": "red"})"),
              400, "invalid_argument", "favourite_colour");
  ExpectError(Put("/api/profile", R"({"age": {"years": 30}, "sex": "female"})"), 400,
              "invalid_argument", "age");
  ExpectError(Put("/api/profile", R"({"age": 30, "sex": "female", "complaints": ["zzzq"]})"), 400,
              "invalid_argument", "zzzq");
  ExpectError(Put("/api/profile", "{not json"), 400, "invalid_argument", "not valid JSON");
  ExpectError(Put("/api/profile?x=1", kProfile), 400, "invalid_argument", "'x'");
  // Nothing invalid was stored.
  EXPECT_TRUE(Expect(Get("/api/profile"), 200)["profile"].is_null());
}

TEST_F(JournalApiTest, EntriesAddListFilterDelete) {
  const json pain = Expect(Post("/api/journal/entries", R"({"kind": "pain", "value": 6})"), 201);
  EXPECT_EQ(pain["entry"]["date"], kToday);  // Defaults to today.
  EXPECT_EQ(pain["entry"]["value"], 6);
  const int64_t pain_id = pain["entry"]["id"];
  EXPECT_GT(pain_id, 0);
  const json dose = Expect(Post("/api/journal/entries", R"({"date": "2026-11-20", "kind": "dose",
      "label": "citrate", "magnesium_mg": 150, "note": "with dinner"})"),
                           201);
  EXPECT_EQ(dose["entry"]["label"], "citrate");
  Expect(Post("/api/journal/entries",
              R"({"date": "2026-11-21", "kind": "irls", "value": 12,
                  "irls_items": [1, 1, 1, 1, 1, 1, 1, 1, 2, 2]})"),
         201);

  json all = Expect(Get("/api/journal/entries"), 200)["entries"];
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["date"], "2026-11-20");  // Sorted by date.
  EXPECT_EQ(all[2]["id"], pain_id);
  EXPECT_EQ(Expect(Get("/api/journal/entries?from=2026-11-21"), 200)["entries"].size(), 2u);
  EXPECT_EQ(
      Expect(Get("/api/journal/entries?to=2026-11-21&from=2026-11-21"), 200)["entries"].size(), 1u);
  const json doses = Expect(Get("/api/journal/entries?kind=dose"), 200)["entries"];
  ASSERT_EQ(doses.size(), 1u);
  EXPECT_EQ(doses[0], dose["entry"]);

  EXPECT_EQ(Expect(Delete("/api/journal/entries/" + std::to_string(pain_id)), 200)["deleted"],
            pain_id);
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 2u);
  ExpectError(Delete("/api/journal/entries/" + std::to_string(pain_id)), 404, "not_found",
              std::to_string(pain_id));
}

TEST_F(JournalApiTest, BadEntriesAre400NamingTheField) {
  ExpectError(Post("/api/journal/entries", R"({"kind": "pain", "value": "7"})"), 400,
              "invalid_argument", "value");
  ExpectError(Post("/api/journal/entries", R"({"kind": "pain", "value": 7, "mood": 1})"), 400,
              "invalid_argument", "mood");
  ExpectError(Post("/api/journal/entries", R"({"id": 5, "kind": "pain", "value": 7})"), 400,
              "invalid_argument", "id");
  ExpectError(Post("/api/journal/entries", R"({"value": 7})"), 400, "invalid_argument", "kind");
  ExpectError(Post("/api/journal/entries", R"({"kind": "cramp", "value": 7})"), 400,
              "invalid_argument", "cramp");
  ExpectError(Post("/api/journal/entries", R"({"date": "2099-01-01", "kind": "pain", "value": 3})"),
              400, "invalid_argument", "date");
  ExpectError(Post("/api/journal/entries", R"({"date": "2026-02-30", "kind": "pain", "value": 3})"),
              400, "invalid_argument", "2026-02-30");
  ExpectError(Post("/api/journal/entries", R"({"kind": "pain", "value": 11})"), 400,
              "invalid_argument", "pain: 11");
  ExpectError(Post("/api/journal/entries",
                   R"({"kind": "irls", "irls_items": [1, 1, 1, 1, 5, 1, 1, 1, 1, 1]})"),
              400, "invalid_argument", "irls");
  ExpectError(Post("/api/journal/entries", R"({"kind": "food", "magnesium_mg": 30})"), 400,
              "invalid_argument", "label");
  ExpectError(Post("/api/journal/entries", "[]"), 400, "invalid_argument", "object");
  EXPECT_TRUE(Expect(Get("/api/journal/entries"), 200)["entries"].empty());

  ExpectError(Get("/api/journal/entries?from=2026-13-01"), 400, "invalid_argument", "from");
  ExpectError(Get("/api/journal/entries?from=2026-11-23&to=2026-11-01"), 400, "invalid_argument",
              "from");
  ExpectError(Get("/api/journal/entries?kind=mood"), 400, "invalid_argument", "mood");
  // limit is a parameter now (paging, issue 16); a misspelt one is still refused.
  ExpectError(Get("/api/journal/entries?lmit=3"), 400, "invalid_argument", "lmit");
  ExpectError(Get("/api/journal/entries?limit=3x"), 400, "invalid_argument", "limit");

  for (const std::string id : {"abc", "-1", "0", "1.5", "99999999999999999999999", "%201"}) {
    ExpectError(Delete("/api/journal/entries/" + id), 400, "invalid_argument", "id");
  }
  ExpectError(Delete("/api/journal/entries/424242"), 404, "not_found", "424242");
}

TEST_F(JournalApiTest, LogFoodByGramsOrPortions) {
  const json grams =
      Expect(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": 30})"), 201)["entry"];
  EXPECT_EQ(grams["kind"], "food");
  EXPECT_EQ(grams["date"], kToday);
  EXPECT_EQ(grams["label"], "Spinach, raw — 30 g");
  EXPECT_NEAR(grams["magnesium_mg"].get<double>(), 23.7, 1e-9);  // 79 mg/100 g.
  const json portions = Expect(Post("/api/journal/foods", R"({"food": "sr28:11457",
      "portions": 2, "date": "2026-11-22"})"),
                               201)["entry"];
  EXPECT_EQ(portions["label"], "Spinach, raw — 2 × 1 cup (60 g)");
  EXPECT_NEAR(portions["magnesium_mg"].get<double>(), 47.4, 1e-9);
  EXPECT_EQ(portions["date"], "2026-11-22");

  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:0", "grams": 30})"), 404, "not_found",
              "sr28:0");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": 30, "portions": 1})"),
              400, "invalid_argument", "grams");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457"})"), 400, "invalid_argument",
              "portions");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": "30"})"), 400,
              "invalid_argument", "grams");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": -5})"), 400,
              "invalid_argument", "grams");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "portions": 1e9})"), 400,
              "invalid_argument", "portions");
  ExpectError(Post("/api/journal/foods", R"({"grams": 30})"), 400, "invalid_argument", "food");
  ExpectError(Post("/api/journal/foods", R"({"food": 11457, "grams": 30})"), 400,
              "invalid_argument", "food");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": 30, "date": "x"})"),
              400, "invalid_argument", "date");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": 30,
                                             "date": "2027-01-01"})"),
              400, "invalid_argument", "date");
  ExpectError(Post("/api/journal/foods", R"({"food": "sr28:11457", "grams": 30, "cal": 1})"), 400,
              "invalid_argument", "cal");
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 2u);
}

TEST_F(JournalApiTest, IntakeDefaultsToTheLastWeek) {
  json intake = Expect(Get("/api/intake"), 200);
  ASSERT_EQ(intake["days"].size(), 7u);
  EXPECT_EQ(intake["days"][0]["date"], "2026-11-17");
  EXPECT_EQ(intake["days"][6]["date"], kToday);
  EXPECT_EQ(intake["days"][6]["total_mg"], 0);
  EXPECT_TRUE(intake["target"].is_null());  // No profile yet.

  Expect(Post("/api/journal/entries", R"({"kind": "supplement", "label": "multi",
                                          "magnesium_mg": 50})"),
         201);
  Expect(Post("/api/journal/entries", R"({"date": "2026-11-22", "kind": "dose", "label":
                                          "citrate", "magnesium_mg": 200})"),
         201);
  Expect(Post("/api/journal/entries", R"({"kind": "food", "label": "nuts", "magnesium_mg": 80})"),
         201);
  intake = Expect(Get("/api/intake?from=2026-11-22&to=2026-11-23"), 200);
  ASSERT_EQ(intake["days"].size(), 2u);
  EXPECT_EQ(
      intake["days"][0],
      json({{"date", "2026-11-22"}, {"food_mg", 0}, {"supplement_mg", 200}, {"total_mg", 200}}));
  EXPECT_EQ(intake["days"][1],
            json({{"date", kToday}, {"food_mg", 80}, {"supplement_mg", 50}, {"total_mg", 130}}));

  ExpectError(Get("/api/intake?from=2026-11-23&to=2026-11-01"), 400, "invalid_argument", "from");
  ExpectError(Get("/api/intake?from=2020-01-01"), 400, "invalid_argument", "366");
  ExpectError(Get("/api/intake?to=yesterday"), 400, "invalid_argument", "to");
  ExpectError(Get("/api/intake?days=3"), 400, "invalid_argument", "days");
}

TEST_F(JournalApiTest, TrialsNeedAProfileAndASafePlan) {
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200),
            json({{"trial", nullptr}, {"periods", json::array()}, {"status", nullptr}}));
  ExpectError(Get("/api/trials/current/report"), 404, "not_found", "trial");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps"})"), 400, "invalid_argument", "profile");

  // eGFR 20: the plan gives no supplement, so no trial of one.
  Expect(Put("/api/profile", R"({"age": 70, "sex": "female", "complaints": ["leg cramps"],
                                 "kidney": {"egfr": 20}})"),
         200);
  ExpectError(Post("/api/trials", R"({"outcome": "cramps"})"), 422, "unsafe",
              "no magnesium supplement");
  EXPECT_TRUE(Expect(Get("/api/trials/current"), 200)["trial"].is_null());

  Expect(Put("/api/profile", kProfile), 200);
  ExpectError(Post("/api/trials", R"({"outcome": "mood"})"), 400, "invalid_argument", "mood");
  ExpectError(Post("/api/trials", R"({})"), 400, "invalid_argument", "outcome");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "pairs": 5})"), 400, "invalid_argument",
              "pairs");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "pairs": "3"})"), 400,
              "invalid_argument", "pairs");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "seed": -1})"), 400, "invalid_argument",
              "seed");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "seed": 1.5})"), 400, "invalid_argument",
              "seed");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "start": "soon"})"), 400,
              "invalid_argument", "start");
  ExpectError(Post("/api/trials", R"({"outcome": "cramps", "dose_mg": 900})"), 400,
              "invalid_argument", "dose_mg");
  EXPECT_TRUE(Expect(Get("/api/trials/current"), 200)["trial"].is_null());
}

TEST_F(JournalApiTest, KbListsAsTheCli) {
  const json conditions = Expect(Get("/api/kb/conditions"), 200);
  ASSERT_TRUE(conditions.is_array());
  ASSERT_FALSE(conditions.empty());
  EXPECT_TRUE(conditions[0].contains("id"));
  EXPECT_TRUE(Expect(Get("/api/kb/red-flags"), 200).is_array());
  ExpectError(Get("/api/kb/unicorns"), 404, "not_found", "unicorns");
  ExpectError(Get("/api/kb/conditions?all=1"), 400, "invalid_argument", "all");
}

// The whole journey: profile → plan → foods from search → intake against the target → a trial
// → doses and ratings → status and report with charts → export → restart → still there.
TEST_F(JournalApiTest, FullFlowSurvivesARestart) {
  Expect(Put("/api/profile", kProfile), 200);
  const json plan = Expect(Post("/api/plan", kProfile), 200);
  ASSERT_TRUE(plan["supplement"].is_object()) << plan.dump();
  const double plan_dose = plan["supplement"]["daily_elemental_mg"];

  const json found = Expect(Get("/api/foods/search?q=spinach%20raw&limit=5"), 200);
  ASSERT_FALSE(found["results"].empty());
  const json food = found["results"][0];
  const json logged =
      Expect(Post("/api/journal/foods", json({{"food", food["source"]}, {"portions", 1}}).dump()),
             201)["entry"];
  EXPECT_NEAR(logged["magnesium_mg"].get<double>(), food["magnesium_mg_per_serving"].get<double>(),
              1e-9);

  const json intake = Expect(Get("/api/intake"), 200);
  EXPECT_NEAR(intake["days"][6]["food_mg"].get<double>(),
              food["magnesium_mg_per_serving"].get<double>(), 1e-9);
  ASSERT_TRUE(intake["target"].is_object());
  EXPECT_EQ(intake["target"]["intake_mg"], 320);  // US RDA, women over 50.
  EXPECT_EQ(intake["target"]["intake_kind"], "RDA");
  EXPECT_EQ(intake["target"]["supplemental_ul_mg"], 350);
  EXPECT_NE(intake["target"]["label"].get<std::string>().find("51"), std::string::npos)
      << intake["target"];

  // A cramps trial that started long enough ago to have finished: a 14-day run-in, then 3 pairs
  // of 21 days from 2026-07-01.
  const json created = Expect(
      Post("/api/trials", R"({"outcome": "cramps", "start": "2026-06-17", "seed": 7})"), 201);
  const json trial = created["trial"];
  EXPECT_EQ(trial["outcome"], "cramps");
  EXPECT_EQ(trial["seed"], 7);
  EXPECT_LE(trial["dose_mg"].get<double>(), plan_dose);  // Never above the plan.
  EXPECT_EQ(trial["dose_mg"].get<double>(), plan_dose);
  EXPECT_EQ(trial["form"], plan["supplement"]["compound"]);
  EXPECT_NE(created["calendar"].get<std::string>().find("Pair 1"), std::string::npos);
  const json periods = created["periods"];
  ASSERT_EQ(periods.size(), 7u);
  EXPECT_EQ(periods[0]["run_in"], true);
  EXPECT_EQ(periods[0]["pair"], 0);
  EXPECT_EQ(periods[0]["start"], "2026-06-17");
  EXPECT_EQ(periods[0]["end"], "2026-06-30");
  EXPECT_EQ(periods[1]["start"], "2026-07-01");
  EXPECT_EQ(periods[1]["end"], "2026-07-21");
  EXPECT_EQ(periods[1]["washout_end"], "2026-07-07");

  // Doses on magnesium days; fewer cramps on them, by a different margin in each pair. Every
  // day rated, the run-in's too (3 a night, no dose: "pair" 0 and no magnesium).
  for (const json& period : periods) {
    const bool magnesium = period["magnesium"];
    const int off_cramps = 3 + period["pair"].get<int>();
    for (auto day = *journal::ParseDate(period["start"].get<std::string>());
         day <= *journal::ParseDate(period["end"].get<std::string>());
         day += std::chrono::days{1}) {
      const std::string date = journal::FormatDate(day);
      Expect(Post("/api/journal/entries", json({{"date", date},
                                                {"kind", "cramps"},
                                                {"value", magnesium ? 1 : off_cramps},
                                                {"intensity", magnesium ? 3 : 7}})
                                              .dump()),
             201);
      if (magnesium) {
        Expect(Post("/api/journal/entries", json({{"date", date},
                                                  {"kind", "dose"},
                                                  {"label", trial["form"]},
                                                  {"magnesium_mg", trial["dose_mg"]}})
                                                .dump()),
               201);
      }
    }
  }

  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_EQ(current["trial"], trial);
  EXPECT_EQ(current["periods"], periods);
  EXPECT_EQ(current["status"]["phase"], "finished");

  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_EQ(report["timeline_svg"].get<std::string>().rfind("<svg", 0), 0u);
  EXPECT_EQ(report["intake_svg"].get<std::string>().rfind("<svg", 0), 0u);
  EXPECT_EQ(report["finished"], true);
  EXPECT_EQ(report["verdict"], "benefit") << report.dump().substr(0, 3000);
  EXPECT_EQ(report["run_in"]["result"], "passed");
  EXPECT_EQ(report["run_in"]["mean"], 3);  // The baseline, not part of the estimate below.
  EXPECT_GT(report["estimate"]["improvement"].get<double>(), 0);
  // Cramps are counts: the rate ratio beside the period means. 1 a night against 4, 5 and 6 in
  // pairs 1-3, every analysed day rated (equal days): p = 42 / (42 + 210) = 1/6, ratio 0.2.
  // Beside the Cochrane estimate (about 0.90) it is pulled toward it.
  const double ratio = report["rates"]["ratio"].get<double>();
  EXPECT_NEAR(ratio, 0.2, 1e-9);
  EXPECT_GT(report["rates"]["informed"]["ratio"].get<double>(), ratio);
  EXPECT_NE(report["rates"]["informed"]["source"].get<std::string>().find("Cochrane"),
            std::string::npos);

  const std::string entries_before = Expect(Get("/api/journal/entries"), 200).dump();
  auto exported = Get("/api/journal/export");
  ASSERT_TRUE(exported);
  const json snapshot = Expect(exported, 200);
  EXPECT_EQ(snapshot["format"], "mgadvisor-journal");
  EXPECT_EQ(snapshot["trials"].size(), 1u);
  EXPECT_EQ(json::parse(snapshot["profile"].get<std::string>()), json::parse(kProfile));

  Restart();
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200).dump(), entries_before);
  EXPECT_EQ(Expect(Get("/api/profile"), 200)["profile"], json::parse(kProfile));
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200)["trial"], trial);
  EXPECT_EQ(Get("/api/journal/export")->body, exported->body);
}

TEST_F(JournalApiTest, TrialStartingTodayIsRunning) {
  Expect(Put("/api/profile", kProfile), 200);
  // Its run-in is the last 7 days, already in the journal ("run_in_done"): the pairs start today.
  for (int day = 16; day <= 22; ++day) {
    Expect(Post("/api/journal/entries",
                json({{"kind", "pain"}, {"value", 5}, {"date", fmt::format("2026-11-{}", day)}})
                    .dump()),
           201);
  }
  Expect(Post("/api/trials", R"({"outcome": "pain", "pairs": 4, "seed": 3, "run_in_done": true})"),
         201);
  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_EQ(current["trial"]["start"], kToday);
  EXPECT_EQ(current["trial"]["run_in_start"], "2026-11-16");
  EXPECT_EQ(current["periods"].size(), 9u);  // The run-in and 8 periods.
  const json status = current["status"];
  EXPECT_EQ(status["phase"], "running");
  EXPECT_EQ(status["day"], 1);
  EXPECT_EQ(status["pair"], 1);
  EXPECT_EQ(status["washout"], true);
  EXPECT_EQ(status["rating_due"], true);
  EXPECT_EQ(status["rating_logged"], false);
  Expect(Post("/api/journal/entries", R"({"kind": "pain", "value": 5})"), 201);
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200)["status"]["rating_logged"], true);
  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_EQ(report["intake_svg"], "");  // Nothing with magnesium logged yet.
}

// A two-dose trial through the API (issue 16): "lower_dose_mg" must be above 0 and below the
// plan's dose (200 mg a day for kProfile), refused as a 400 naming the field and the value; the
// trial's days say which dose, and the dose route logs the day's own dose.
TEST_F(JournalApiTest, ATwoDoseTrialComparesThePlanDoseWithALowerDose) {
  Expect(Put("/api/profile", kProfile), 200);
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "lower_dose_mg": 200})"), 400,
              "invalid_argument", "lower_dose_mg: 200 mg is not below the plan's dose of 200 mg");
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "lower_dose_mg": -1})"), 400,
              "invalid_argument", "lower_dose_mg: -1 mg is not a dose");
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "lower_dose_mg": "half"})"), 400,
              "invalid_argument", "lower_dose_mg");
  for (int day = 16; day <= 22; ++day) {
    Expect(Post("/api/journal/entries",
                json({{"kind", "pain"}, {"value", 5}, {"date", fmt::format("2026-11-{}", day)}})
                    .dump()),
           201);
  }
  // Blinded: the helper's sheet puts one dose in each container; guesses are higher/lower.
  const json blind = Expect(Post("/api/trials", R"({"outcome": "pain", "lower_dose_mg": 100,
                                                    "blind": true, "run_in_done": true})"),
                            201);
  const std::string sheet = blind["helper_sheet"];
  EXPECT_NE(sheet.find("BOTH containers hold magnesium"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("LOWER DOSE — 100 mg"), std::string::npos) << sheet;
  ExpectError(Post("/api/trials/current/dose", R"({"guess": "magnesium"})"), 400,
              "invalid_argument", "use higher, lower or unsure");
  const json guessed = Expect(Post("/api/trials/current/dose", R"({"guess": "lower"})"), 201);
  EXPECT_EQ(guessed["entry"]["note"], "guess: lower");
  // Open label, replacing it.
  const json started = Expect(Post("/api/trials", R"({"outcome": "pain", "seed": 7,
                                                      "lower_dose_mg": 100, "run_in_done": true,
                                                      "replace": true})"),
                              201);
  EXPECT_EQ(started["trial"]["lower_dose_mg"], 100);
  EXPECT_EQ(started["trial"]["dose_mg"], 200);
  EXPECT_EQ(started["periods"][0]["arm"], "run_in");
  EXPECT_EQ(started["periods"][1]["magnesium"], true);
  const json status = Expect(Get("/api/trials/current"), 200)["status"];
  EXPECT_EQ(status["phase"], "running");
  const double dose = status["arm"] == "plan_dose" ? 200 : 100;
  EXPECT_EQ(status["dose_mg"], dose);
  const json logged = Expect(Post("/api/trials/current/dose", R"({})"), 201);
  EXPECT_EQ(logged["entry"]["magnesium_mg"], dose);
  const json protocol = Expect(Get("/api/trials/current/protocol"), 200);
  EXPECT_NE(protocol["text"].get<std::string>().find("Protocol version 4 (mgadvisor)"),
            std::string::npos);
  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_EQ(report["comparison"], "plan_dose_vs_lower_dose");
  EXPECT_EQ(report["lower_dose_mg"], 100);
}

// Issue 16: entries could only be deleted. Now PATCH corrects one, POST /api/journal/undo walks
// back, GET pages entries back from the newest, and GET /api/journal/foods lists one day.
TEST_F(JournalApiTest, EntriesAreCorrectedUndonePagedAndListedByDay) {
  for (const char* body : {R"({"kind": "pain", "value": 4})",
                           R"({"kind": "food", "label": "spinach",)"
                           R"( "magnesium_mg": 78})",
                           R"({"kind": "food", "label": "bread"})",
                           R"({"kind": "dose", "label": "citrate", "magnesium_mg": 200})"}) {
    Expect(Post("/api/journal/entries", body), 201);
  }
  const json edited =
      Expect(Patch("/api/journal/entries/1", R"({"value": 6, "note": "after the walk"})"), 200);
  EXPECT_EQ(edited["entry"]["id"], 1);
  EXPECT_EQ(edited["entry"]["value"], 6);
  EXPECT_EQ(edited["entry"]["note"], "after the walk");
  EXPECT_EQ(edited["entry"]["kind"], "pain");
  Expect(Patch("/api/journal/entries/1", R"({"value": 11})"), 400);
  Expect(Patch("/api/journal/entries/1", R"({"id": 3})"), 400);
  Expect(Patch("/api/journal/entries/1", R"({"valeu": 3})"), 400);
  Expect(Patch("/api/journal/entries/1", R"({})"), 400);
  Expect(Patch("/api/journal/entries/99", R"({"value": 3})"), 404);
  Expect(Patch("/api/journal/entries/x", R"({"value": 3})"), 400);
  Expect(Delete("/api/journal/entries/2"), 200);
  // Undo: the delete, the edit, then the four adds; then nothing.
  const json undo_delete = Expect(Post("/api/journal/undo", ""), 200);
  EXPECT_EQ(undo_delete["undone"]["change"], "delete");
  EXPECT_EQ(undo_delete["undone"]["entry"]["label"], "spinach");
  const json undo_edit = Expect(Post("/api/journal/undo", "{}"), 200);
  EXPECT_EQ(undo_edit["undone"]["change"], "edit");
  EXPECT_EQ(undo_edit["undone"]["entry"]["value"], 4);
  Expect(Post("/api/journal/undo", R"({"all": true})"), 400);
  // Pages, back from the newest.
  const json page = Expect(Get("/api/journal/entries?limit=2&offset=1"), 200);
  EXPECT_EQ(page["total"], 4);
  ASSERT_EQ(page["entries"].size(), 2u);
  EXPECT_EQ(page["entries"][0]["id"], 2);
  EXPECT_EQ(page["entries"][1]["id"], 3);
  Expect(Get("/api/journal/entries?limit=0"), 400);
  Expect(Get("/api/journal/entries?offset=-1"), 400);
  // The day's foods.
  const json day = Expect(Get(std::string("/api/journal/foods?date=") + kToday), 200);
  EXPECT_EQ(day["foods"].size(), 2u);
  EXPECT_EQ(day["supplements"].size(), 1u);
  EXPECT_EQ(day["food_mg"], 78);
  EXPECT_EQ(day["total_mg"], 278);
  EXPECT_EQ(day["without_magnesium"], 1);
  Expect(Get("/api/journal/foods?date=2026-13-01"), 400);
  for (int i = 0; i < 4; ++i) Expect(Post("/api/journal/undo", ""), 200);
  EXPECT_TRUE(Expect(Post("/api/journal/undo", ""), 200)["undone"].is_null());
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["total"], 0);
}

// Issue 16: a dose over the day's supplemental upper limit is recorded and warned about.
TEST_F(JournalApiTest, ADoseAboveTheDaysLimitIsRecordedWithAWarning) {
  Expect(Put("/api/profile", kProfile), 200);
  const json small = Expect(
      Post("/api/journal/entries", R"({"kind": "dose", "label": "citrate", "magnesium_mg": 200})"),
      201);
  EXPECT_TRUE(small["warnings"].empty());
  const json big = Expect(
      Post("/api/journal/entries", R"({"kind": "dose", "label": "citrate", "magnesium_mg": 3000})"),
      201);
  EXPECT_EQ(big["entry"]["magnesium_mg"], 3000);
  ASSERT_EQ(big["warnings"].size(), 1u);
  EXPECT_NE(big["warnings"][0].get<std::string>().find("3200 mg, above the upper limit of 350"),
            std::string::npos)
      << big.dump();
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["total"], 2);
}

// Issue 16: POST /api/trials replaced a running trial silently. Now 409 unless "replace": true;
// "dry_run": true shows the length and calendar (200, nothing saved); ending takes a reason.
TEST_F(JournalApiTest, ARunningTrialIsReplacedOnlyWhenAskedAndEndsWithAReason) {
  Expect(Put("/api/profile", kProfile), 200);
  const json first = Expect(Post("/api/trials", R"({"outcome": "pain", "seed": 3})"), 201);
  EXPECT_EQ(first["trial"]["days"], 84);  // 3 pairs of two 14-day periods.
  const json refused = Expect(Post("/api/trials", R"({"outcome": "sleep", "seed": 4})"), 409);
  EXPECT_EQ(refused["error"]["code"], "conflict");
  EXPECT_THAT(refused["error"]["message"].get<std::string>(),
              ::testing::StartsWith("replace: a trial of magnesium for pain"));
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200)["trial"], first["trial"]);
  const json preview =
      Expect(Post("/api/trials", R"({"outcome": "sleep", "seed": 4, "dry_run": true})"), 200);
  EXPECT_EQ(preview["saved"], false);
  EXPECT_EQ(preview["replaced"], first["trial"]);
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200)["trial"], first["trial"]);
  Expect(Post("/api/trials", R"({"outcome": "sleep", "seed": 4, "replace": "yes"})"), 400);
  const json replaced =
      Expect(Post("/api/trials", R"({"outcome": "sleep", "seed": 4, "replace": true})"), 201);
  EXPECT_EQ(replaced["replaced"], first["trial"]);
  EXPECT_EQ(replaced["trial"], preview["trial"]);
  Expect(Post("/api/trials/current/end", R"({"reason": 7})"), 400);
  Expect(Post("/api/trials/current/end", R"({"why": "x"})"), 400);
  const json ended = Expect(Post("/api/trials/current/end", R"({"reason": "a cold"})"), 200);
  EXPECT_EQ(ended["trial"]["end_reason"], "a cold");
  EXPECT_EQ(Expect(Get("/api/trials/current/report"), 200)["end_reason"], "a cold");
}

}  // namespace
}  // namespace mg::server

namespace mg::server {
namespace {

// Local mode has no sign-in, so the browser's same-origin policy is the only wall around the
// journal: a page on another site must not write to it (CSRF), and a hostile name re-pointed at
// 127.0.0.1 (DNS rebinding) must not read it.
TEST_F(JournalApiTest, CrossSiteWritesAndForeignHostsAreRefused) {
  const std::string note = R"({"date": "2026-11-20", "kind": "note", "note": "mine"})";
  for (const char* origin : {"http://evil.example", "null", "http://127.0.0.1:1"}) {
    SCOPED_TRACE(origin);
    auto res = Client().Post("/api/journal/entries", {{"Origin", origin}}, note,
                             "text/plain");  // What a cross-site <form enctype=text/plain> sends.
    ExpectError(res, 403, "forbidden", "Origin");
  }
  auto rebound = Client().Get("/api/journal/export", {{"Host", "attacker.example:8425"}});
  ExpectError(rebound, 403, "forbidden", "Host");
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 0u);

  // The page itself (same origin), and clients that send no Origin (curl), still work.
  const std::string self = "http://127.0.0.1:" + std::to_string(server_->port());
  Expect(Client().Post("/api/journal/entries", {{"Origin", self}}, note, "application/json"), 201);
  Expect(Post("/api/journal/entries", note), 201);
  Expect(Client().Get("/api/health", {{"Host", "localhost:8425"}}), 200);
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 2u);
}

}  // namespace
}  // namespace mg::server

namespace mg::server {
namespace {

TEST_F(JournalApiTest, ExportImportsIntoAFreshJournalUnchanged) {
  Expect(Put("/api/profile", kProfile), 200);
  Expect(Post("/api/journal/entries",
              R"({"date": "2026-11-20", "kind": "dose", "label": "citrate", "magnesium_mg": 150,
                  "note": "with dinner, \"as told\""})"),
         201);
  Expect(Post("/api/journal/entries",
              R"({"date": "2026-11-21", "kind": "irls", "value": 12,
                  "irls_items": [1, 1, 1, 1, 1, 1, 1, 1, 2, 2]})"),
         201);
  Expect(Post("/api/journal/foods", R"({"food": "sr28:12061", "grams": 30})"), 201);
  Expect(Post("/api/trials", R"({"outcome": "cramps", "start": "2026-07-01", "seed": 7})"), 201);
  const std::string exported = Get("/api/journal/export")->body;

  // A fresh journal: another file, same server options otherwise.
  journal_path_ = (dir_ / "fresh.db").string();
  Restart();
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 0u);
  const json imported = Expect(Post("/api/journal/import", exported), 200);
  EXPECT_EQ(imported, json({{"entries", 3}, {"trials", 1}}));
  EXPECT_EQ(Get("/api/journal/export")->body, exported);
  EXPECT_EQ(Expect(Get("/api/profile"), 200)["profile"], json::parse(kProfile));
  EXPECT_EQ(Expect(Get("/api/trials/current"), 200)["trial"]["seed"], 7);
  // New entries continue after the imported ids.
  const json next = Expect(Post("/api/journal/entries", R"({"kind": "note", "note": "x"})"), 201);
  EXPECT_GT(next["entry"]["id"].get<int64_t>(), 3);
}

TEST_F(JournalApiTest, ImportOfAClashingIdWritesNothing) {
  const json mine = Expect(Post("/api/journal/entries", R"({"kind": "pain", "value": 4})"), 201);
  const std::string before = Get("/api/journal/export")->body;
  // Entry 2 is new, entry 1 clashes with `mine`: neither may be written, nor the profile.
  const json snapshot = {{"format", "mgadvisor-journal"},
                         {"version", 1},
                         {"profile", kProfile},
                         {"entries",
                          {{{"id", 2}, {"date", "2026-11-01"}, {"kind", "note"}, {"note", "new"}},
                           {{"id", mine["entry"]["id"]},
                            {"date", "2026-11-02"},
                            {"kind", "note"},
                            {"note", "clash"}}}},
                         {"trials", json::array()}};
  ExpectError(Post("/api/journal/import", snapshot.dump()), 400, "invalid_argument",
              "id " + mine["entry"]["id"].dump());
  EXPECT_EQ(Get("/api/journal/export")->body, before);
  EXPECT_TRUE(Expect(Get("/api/profile"), 200)["profile"].is_null());
}

TEST_F(JournalApiTest, BadImportsAre400NamingTheProblem) {
  const auto with = [](json changes) {
    json snapshot = {{"format", "mgadvisor-journal"},
                     {"version", 1},
                     {"profile", nullptr},
                     {"entries", json::array()},
                     {"trials", json::array()}};
    snapshot.update(changes);
    return snapshot.dump();
  };
  ExpectError(Post("/api/journal/import", "{not json"), 400, "invalid_argument", "not valid JSON");
  ExpectError(Post("/api/journal/import", R"({"entries": []})"), 400, "invalid_argument", "format");
  ExpectError(Post("/api/journal/import", with({{"version", 2}})), 400, "invalid_argument",
              "version 2");
  ExpectError(Post("/api/journal/import",
                   with({{"entries", {{{"id", 1}, {"date", "2026-11-01"}, {"kind", "mood"}}}}})),
              400, "invalid_argument", "mood");
  ExpectError(
      Post("/api/journal/import",
           with({{"entries",
                  {{{"id", 1}, {"date", "2026-11-01"}, {"kind", "pain"}, {"value", 11}}}}})),
      400, "invalid_argument", "pain: 11");
  ExpectError(Post("/api/journal/import",
                   with({{"entries", {{{"id", 1}, {"date", "2099-01-01"}, {"kind", "note"}}}}})),
              400, "invalid_argument", "2099-01-01");
  ExpectError(Post("/api/journal/import",
                   with({{"profile", R"({"age": 30, "sex": "female", "complaints": ["zzzq"]})"}})),
              400, "invalid_argument", "zzzq");
  ExpectError(Post("/api/journal/import",
                   with({{"trials", {{{"id", 1}, {"created", kToday}, {"json", "{}"}}}}})),
              400, "invalid_argument", "trial 1");
  ExpectError(Post("/api/journal/import?x=1", with(json::object())), 400, "invalid_argument",
              "'x'");
  // None of it was written.
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 0u);
  EXPECT_TRUE(Expect(Get("/api/profile"), 200)["profile"].is_null());
  EXPECT_TRUE(Expect(Get("/api/trials/current"), 200)["trial"].is_null());
  // An empty export imports nothing, successfully.
  EXPECT_EQ(Expect(Post("/api/journal/import", with(json::object())), 200),
            json({{"entries", 0}, {"trials", 0}}));
}

std::string ReadTestDiary(const std::string& file) {
  auto text = ReadFile(std::string(MG_SOURCE_DIR) + "/src/foods/testdata/" + file);
  EXPECT_TRUE(text.ok()) << text.error().message;
  return text.ok() ? *text : "";
}

// What `mgadvisor intake DIARY --age 45 --sex female [--exclude ...] --json` prints for a diary
// named "diary", built with the library from the same data the server loads.
json LibraryIntakeJson(const std::string& text, const std::vector<std::string>& exclude) {
  auto db = foods::LoadFoods(std::nullopt);
  EXPECT_TRUE(db.ok());
  auto index = foods::FoodSearch::Build(*db);
  auto compounds = chem::CompoundCatalog::Load();
  auto units = foods::UnitTable::LoadEmbedded();
  auto exclusions = foods::Exclusions::Load();
  auto tables = dri::ReferenceTables::LoadEmbedded();
  EXPECT_TRUE(index.ok() && compounds.ok() && units.ok() && exclusions.ok() && tables.ok());
  auto set = exclusions->Resolve(exclude);
  auto age = dri::ParseAgeMonths("45");
  auto sex = dri::ParseSex("female");
  auto person = dri::MakePerson(*age, *sex, dri::ReproductiveState::kNone);
  auto values = tables->Lookup(dri::Reference::kUs, *person);
  EXPECT_TRUE(set.ok() && values.ok());
  auto diary = foods::ParseDiary(text, "diary");
  EXPECT_TRUE(diary.ok());
  foods::IntakeOptions options;
  options.exclusions = *set;
  auto analysis = foods::AnalyzeIntake(*diary, *db, *index, products::testing::EmbeddedCatalogue(),
                                       *compounds, *units, foods::TargetsFor(*values), options);
  EXPECT_TRUE(analysis.ok()) << analysis.error().message;
  return foods::IntakeAnalysisToJson(*analysis, "diary", *diary, *db, *set);
}

TEST_F(JournalApiTest, IntakeAnalyzeGivesTheCliJson) {
  const std::string text = ReadTestDiary("diary_basic.csv");
  const json analysed = Expect(
      Post("/api/intake/analyze", json({{"diary", text}, {"age", 45}, {"sex", "female"}}).dump()),
      200);
  EXPECT_EQ(analysed, LibraryIntakeJson(text, {}));
  const json vegan = Expect(Post("/api/intake/analyze", json({{"diary", text},
                                                              {"age", "45"},
                                                              {"sex", "female"},
                                                              {"reference", "us"},
                                                              {"exclude", {"vegan"}}})
                                                            .dump()),
                            200);
  EXPECT_EQ(vegan, LibraryIntakeJson(text, {"vegan"}));
  EXPECT_EQ(vegan["exclusions"], json::array({"vegan"}));

  // A few numbers checked independently of the library: US RDA for women 31-50 is 320 mg, the
  // supplemental UL 350 mg; a raw banana has 27 mg per 100 g; 200 mg elemental is 200 mg.
  EXPECT_EQ(analysed["diary"], "diary");
  EXPECT_EQ(analysed["format"], "csv");
  EXPECT_EQ(analysed["targets"]["intake_mg"], 320);
  EXPECT_EQ(analysed["targets"]["supplemental_ul_mg"], 350);
  ASSERT_EQ(analysed["days"].size(), 2u);
  const json& first = analysed["days"][0];
  EXPECT_EQ(first["date"], "2025-03-01");
  ASSERT_EQ(first["entries"].size(), 4u);
  EXPECT_EQ(first["entries"][2]["where"], "diary:4");
  EXPECT_EQ(first["entries"][2]["food"]["source"], "sr28:09040");
  EXPECT_NEAR(first["entries"][2]["magnesium_mg"].get<double>(), 31.86, 1e-9);
  EXPECT_NEAR(first["total_mg"].get<double>(),
              first["food_mg"].get<double>() + first["supplement_mg"].get<double>(), 1e-9);
  EXPECT_NEAR(first["gap_mg"].get<double>(), 320 - first["total_mg"].get<double>(), 1e-9);
  const json& second = analysed["days"][1];
  EXPECT_EQ(second["entries"][3]["magnesium_mg"], 200);
  EXPECT_EQ(second["gap_mg"], 0);
  EXPECT_EQ(second["supplements_over_ul"], true);  // 200 mg + milk of magnesia > 350 mg.

  // Pregnancy changes the target (US RDA 360 mg at 31-50).
  const json pregnant = Expect(
      Post("/api/intake/analyze",
           json({{"diary", text}, {"age", 45}, {"sex", "female"}, {"pregnant", true}}).dump()),
      200);
  EXPECT_EQ(pregnant["targets"]["intake_mg"], 360);

  // A JSON diary too; nothing is stored.
  const json from_json = Expect(
      Post("/api/intake/analyze",
           json({{"diary", ReadTestDiary("diary.json")}, {"age", 45}, {"sex", "female"}}).dump()),
      200);
  EXPECT_EQ(from_json["format"], "json");
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"].size(), 0u);
}

TEST_F(JournalApiTest, IntakeAnalyzeBadInputsAre400NamingThem) {
  const std::string text = ReadTestDiary("diary_basic.csv");
  const auto body = [&](json changes) {
    json b = {{"diary", text}, {"age", 45}, {"sex", "female"}};
    for (auto& [key, value] : changes.items()) {
      if (value.is_null()) {
        b.erase(key);
      } else {
        b[key] = value;
      }
    }
    return b.dump();
  };
  const char* path = "/api/intake/analyze";
  ExpectError(Post(path, body({{"age", nullptr}})), 400, "invalid_argument", "age");
  ExpectError(Post(path, body({{"sex", nullptr}})), 400, "invalid_argument", "sex");
  ExpectError(Post(path, body({{"diary", nullptr}})), 400, "invalid_argument", "diary");
  ExpectError(Post(path, body({{"diary", 7}})), 400, "invalid_argument", "diary");
  ExpectError(Post(path, body({{"age", "old"}})), 400, "invalid_argument", "age");
  ExpectError(Post(path, body({{"age", json::array()}})), 400, "invalid_argument", "age");
  ExpectError(Post(path, body({{"sex", "robot"}})), 400, "invalid_argument", "sex");
  ExpectError(Post(path, body({{"reference", "mars"}})), 400, "invalid_argument", "reference");
  ExpectError(Post(path, body({{"pregnant", "yes"}})), 400, "invalid_argument", "pregnant");
  ExpectError(Post(path, body({{"pregnant", true}, {"lactating", true}})), 400, "invalid_argument",
              "lactating");
  ExpectError(Post(path, body({{"exclude", "vegan"}})), 400, "invalid_argument", "exclude");
  ExpectError(Post(path, body({{"exclude", {"carnivore"}}})), 400, "invalid_argument", "carnivore");
  ExpectError(Post(path, body({{"colour", "red"}})), 400, "invalid_argument", "colour");
  // Diary lines are named diary:LINE.
  ExpectError(Post(path, body({{"diary", ReadTestDiary("diary_bad_amount.csv")}})), 400,
              "invalid_argument", "diary:3");
  ExpectError(Post(path, body({{"diary", ReadTestDiary("diary_unknown_food.csv")}})), 400,
              "invalid_argument", "xqzvw plork");
  ExpectError(Post(path, body({{"diary", "date,food,amount,unit\n2025-03-01,zzqxv,1,g\n"}})), 400,
              "invalid_argument", "zzqxv");
  ExpectError(Post(path, body({{"diary", "date,food,amount,unit\n2025-03-01,Almonds,lots,g\n"}})),
              400, "invalid_argument", "diary:2");
  ExpectError(Post(path, "[1]"), 400, "invalid_argument", "object");
}

}  // namespace
}  // namespace mg::server

namespace mg::server {
namespace {

// The key a helper's sheet gives: the line after "Unblinding key".
std::string KeyOnSheet(const std::string& sheet) {
  const size_t at = sheet.find("Unblinding key");
  if (at == std::string::npos) return "";
  const size_t line = sheet.find('\n', at) + 1;
  const size_t end = sheet.find('\n', line);
  std::string key = sheet.substr(line, end - line);
  key.erase(0, key.find_first_not_of(' '));
  return key;
}

TEST_F(JournalApiTest, BlindedTrialIsSealedUntilTheKeyOpensItAfterTheEnd) {
  Expect(Put("/api/profile", kProfile), 200);
  // Pain's 7-day run-in (2026-09-24 to 30, rated, nothing from the containers), then the pairs.
  const json created =
      Expect(Post("/api/trials",
                  R"({"outcome": "pain", "start": "2026-09-24", "seed": 5, "blind": true})"),
             201);
  for (int day = 24; day <= 30; ++day) {
    Expect(Post("/api/journal/entries",
                json({{"kind", "pain"}, {"value", 5}, {"date", fmt::format("2026-09-{}", day)}})
                    .dump()),
           201);
  }
  const std::string sheet = created["helper_sheet"];
  const std::string key = KeyOnSheet(sheet);
  ASSERT_EQ(key.size(), 19u) << sheet;
  const char magnesium = sheet.find("Container A: MAGNESIUM") != std::string::npos ? 'A' : 'B';
  EXPECT_NE(sheet.find(std::string("Container ") + magnesium + ": MAGNESIUM"), std::string::npos);
  const std::string hash = created["protocol_sha256"];
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_TRUE(created["trial"]["blinding"]["magnesium_container"].is_null());

  // Nothing the person can read afterwards holds the key or the allocation.
  for (const char* path : {"/api/trials/current", "/api/journal/export"}) {
    const std::string body = Get(path)->body;
    EXPECT_EQ(body.find(key), std::string::npos) << path;
    EXPECT_EQ(body.find("MAGNESIUM"), std::string::npos) << path;
  }
  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_TRUE(current["status"]["magnesium"].is_null());
  const std::string container = current["status"]["container"];
  EXPECT_TRUE(container == "A" || container == "B");

  const json dose = Expect(Post("/api/trials/current/dose", R"({"guess": "magnesium"})"), 201);
  EXPECT_EQ(dose["entry"]["label"], "trial container " + container);
  EXPECT_EQ(dose["entry"]["note"], "guess: magnesium");
  ExpectError(Post("/api/trials/current/dose", R"({"guess": "maybe"})"), 400, "invalid_argument",
              "guess");
  ExpectError(Post("/api/trials/current/dose", R"({"date": "2026-09-01"})"), 409, "conflict",
              "outside the trial");

  // Running: unblinding waits for the end (or for `end`).
  ExpectError(Post("/api/trials/current/unblind", json({{"key", key}}).dump()), 409, "conflict",
              "end the trial first");
  Expect(Post("/api/trials/current/end", R"({"reason": "a rash"})"), 200);
  ExpectError(Post("/api/trials/current/unblind", R"({"key": "AAAA-BBBB-CCCC-DDDD"})"), 400,
              "invalid_argument", "key");
  ExpectError(Post("/api/trials/current/unblind", R"({})"), 400, "invalid_argument", "key");
  const json opened = Expect(Post("/api/trials/current/unblind", json({{"key", key}}).dump()), 200);
  EXPECT_EQ(opened["trial"]["blinding"]["magnesium_container"], std::string(1, magnesium));
  EXPECT_EQ(opened["trial"]["blinding"]["unblinded"], kToday);

  const json protocol = Expect(Get("/api/trials/current/protocol"), 200);
  EXPECT_EQ(protocol["sha256"], hash);
  EXPECT_NE(protocol["text"].get<std::string>().find("blinded, randomised"), std::string::npos);
  EXPECT_TRUE(protocol["check"]["intact"].get<bool>());
  EXPECT_TRUE(protocol["check"]["changes"]["removed"].empty());
  ASSERT_EQ(protocol["check"]["deviations"].size(), 1u);
  EXPECT_NE(protocol["check"]["deviations"][0].get<std::string>().find("a rash"),
            std::string::npos);

  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_TRUE(report["blinded"].get<bool>());
  EXPECT_FALSE(report["sealed"].get<bool>());
  EXPECT_EQ(report["protocol"]["sha256"], hash);
  ASSERT_TRUE(report["blinding"].is_object());
  const int right = container[0] == magnesium ? 1 : 0;
  EXPECT_EQ(report["blinding"]["magnesium"]["correct"].get<int>() +
                report["blinding"]["placebo"]["incorrect"].get<int>(),
            1);
  EXPECT_EQ(report["blinding"]["magnesium"]["correct"].get<int>(), right);
}

TEST_F(JournalApiTest, AnOpenTrialHasAProtocolAndNoGuesses) {
  Expect(Put("/api/profile", kProfile), 200);
  ExpectError(Get("/api/trials/current/protocol"), 404, "not_found", "trial");
  const json created = Expect(Post("/api/trials", R"({"outcome": "pain", "seed": 3})"), 201);
  EXPECT_TRUE(created["helper_sheet"].is_null());
  EXPECT_EQ(Expect(Get("/api/trials/current/protocol"), 200)["sha256"], created["protocol_sha256"]);
  ExpectError(Post("/api/trials/current/dose", R"({"guess": "placebo"})"), 400, "invalid_argument",
              "not blinded");
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "blind": "yes", "replace": true})"), 400,
              "invalid_argument", "blind");
}

// Issue 16: a cramp night with its detail is one entry through the API too, corrected measure
// by measure, refused out of range, and a trial on one of its numbers counts it as the rating.
TEST_F(JournalApiTest, CrampDiaryDetailIsOneEntryAndATrialOutcome) {
  const json night = Expect(Post("/api/journal/entries",
                                 R"({"kind": "cramps", "value": 2, "intensity": 6,
                                     "measures": {"minutes": 5, "sleep_disturbance": 4}})"),
                            201);
  const std::string path =
      "/api/journal/entries/" + std::to_string(night["entry"]["id"].get<int64_t>());
  const json patched = Expect(Patch(path, R"({"measures": {"minutes": 8}})"), 200);
  EXPECT_EQ(patched["entry"]["measures"], json({{"minutes", 8}, {"sleep_disturbance", 4}}));
  ExpectError(Patch(path, R"({"measures": {"sleep_disturbance": 12}})"), 400, "invalid_argument",
              "sleep_disturbance");
  ExpectError(
      Post("/api/journal/entries", R"({"kind": "pain", "value": 3, "measures": {"minutes": 5}})"),
      400, "invalid_argument", "minutes");
  ExpectError(Post("/api/journal/entries",
                   R"({"kind": "cramps", "value": 1, "measures": {"minutes": "5"}})"),
              400, "invalid_argument", "measures.minutes");
  EXPECT_EQ(Expect(Get("/api/journal/entries"), 200)["entries"][0]["measures"],
            json({{"minutes", 8}, {"sleep_disturbance", 4}}));

  Expect(Put("/api/profile", kProfile), 200);
  Expect(Post("/api/trials", R"({"outcome": "cramp_minutes", "seed": 3})"), 201);
  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_EQ(current["trial"]["journal_kind"], "cramps");
  EXPECT_EQ(current["trial"]["measure"], "minutes");
  EXPECT_EQ(current["status"]["rating_logged"], true);  // Today's night has its minutes.
  EXPECT_EQ(Expect(Get("/api/trials/current/report"), 200)["outcome"], "cramp_minutes");
}

// Issue 16: a migraine attack (start, duration past midnight, medicine) and a day without
// migraine through the entry routes, each refused field named; migraine days as a trial outcome.
TEST_F(JournalApiTest, MigraineAttacksAndMigraineFreeDaysAreEntriesAndATrialOutcome) {
  const json attack = Expect(Post("/api/journal/entries",
                                  R"({"date": "2026-11-22", "kind": "migraine", "value": 7,
                                      "label": "sumatriptan 50 mg",
                                      "measures": {"start_minute": 1320, "duration_minutes": 600}})"),
                             201);
  EXPECT_EQ(attack["entry"]["measures"], json({{"duration_minutes", 600}, {"start_minute", 1320}}));
  EXPECT_EQ(attack["entry"]["label"], "sumatriptan 50 mg");
  Expect(Post("/api/journal/entries", R"({"kind": "migraine", "value": 0})"), 201);
  Expect(Post("/api/journal/entries", R"({"kind": "stress", "value": 6})"), 201);
  ExpectError(Post("/api/journal/entries",
                   R"({"kind": "migraine", "value": 0, "measures": {"duration_minutes": 30}})"),
              400, "invalid_argument", "duration_minutes: not used on a day without migraine");
  ExpectError(
      Post("/api/journal/entries", R"({"kind": "migraine", "value": 0, "label": "ibuprofen"})"),
      400, "invalid_argument", "label: a day without migraine");
  ExpectError(Post("/api/journal/entries",
                   R"({"kind": "migraine", "value": 5, "measures": {"start_minute": 1440}})"),
              400, "invalid_argument", "start_minute: 1440 is out of range 0-1439");
  ExpectError(Post("/api/journal/entries", R"({"kind": "migraine", "value": 11})"), 400,
              "invalid_argument", "migraine: 11 is out of range 0-10");
  ExpectError(Post("/api/journal/entries", R"({"kind": "stress", "value": 3.5})"), 400,
              "invalid_argument", "stress: 3.5 is not a whole number");
  const json listed = Expect(Get("/api/journal/entries?kind=migraine"), 200);
  ASSERT_EQ(listed["entries"].size(), 2u);
  EXPECT_EQ(listed["entries"][1]["value"], 0);
  // An edit that would give the migraine-free day a duration is refused and changes nothing.
  const std::string none_path =
      "/api/journal/entries/" + std::to_string(listed["entries"][1]["id"].get<int64_t>());
  ExpectError(Patch(none_path, R"({"measures": {"duration_minutes": 60}})"), 400,
              "invalid_argument", "duration_minutes");

  Expect(Put("/api/profile", kProfile), 200);
  const json started =
      Expect(Post("/api/trials", R"({"outcome": "migraine_days", "seed": 5})"), 201);
  EXPECT_EQ(started["trial"]["journal_kind"], "migraine");
  EXPECT_EQ(started["trial"]["period_days"], 56);
  EXPECT_EQ(started["trial"]["washout_days"], 28);
  EXPECT_EQ(started["trial"]["days"], 336);
  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_EQ(current["status"]["rating_logged"], true);  // Today's "none" counts as logged.
  EXPECT_EQ(Expect(Get("/api/trials/current/report"), 200)["outcome"], "migraine_days");
}

// Issue 16: secondary outcomes through the API, as through the CLI.
TEST_F(JournalApiTest, SecondaryOutcomesAtTheStartAndAfterIt) {
  Expect(Put("/api/profile", kProfile), 200);
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "secondary": ["pain"]})"), 400,
              "invalid_argument", "secondary");
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "secondary": "sleep"})"), 400,
              "invalid_argument", "secondary");
  const json created =
      Expect(Post("/api/trials", R"({"outcome": "pain", "seed": 3, "secondary": ["sleep"]})"), 201);
  EXPECT_EQ(created["trial"]["secondary"][0]["outcome"], "sleep");
  EXPECT_TRUE(created["trial"]["secondary"][0]["added"].is_null());
  const json added =
      Expect(Post("/api/trials/current/secondary", R"({"outcome": "cramp_severity"})"), 200);
  EXPECT_EQ(added["trial"]["secondary"][1]["added"], kToday);
  ExpectError(Post("/api/trials/current/secondary", R"({"outcome": "mood"})"), 400,
              "invalid_argument", "mood");
  ExpectError(Post("/api/trials/current/secondary", R"({})"), 400, "invalid_argument", "outcome");
  const json report = Expect(Get("/api/trials/current/report"), 200);
  ASSERT_EQ(report["secondaries"].size(), 2u);
  EXPECT_EQ(report["secondaries"][0]["registered"], true);
  EXPECT_EQ(report["secondaries"][1]["registered"], false);
  // The registered protocol (version 3 for the run-in, with sleep) gains one line: the
  // exploratory outcome.
  EXPECT_EQ(report["protocol"]["changes"]["added"].size(), 1u);
}

// Issue 16: the run-in through the API, as through the CLI (one ops function behind both).
TEST_F(JournalApiTest, AGoodRunInThenThePairs) {
  Expect(Put("/api/profile", kProfile), 200);
  // Today is the run-in's first day: no magnesium, a rating.
  const json today = Expect(Post("/api/trials", R"({"outcome": "pain", "seed": 3})"), 201);
  EXPECT_EQ(today["trial"]["run_in_days"], 7);
  EXPECT_EQ(today["trial"]["run_in_start"], kToday);
  EXPECT_EQ(today["trial"]["start"], "2026-11-30");
  EXPECT_NE(today["calendar"].get<std::string>().find("a 7-day run-in"), std::string::npos);
  const json status = Expect(Get("/api/trials/current"), 200)["status"];
  EXPECT_EQ(status["phase"], "run_in");
  EXPECT_EQ(status["run_in_day"], 1);
  EXPECT_EQ(status["rating_logged"], false);
  EXPECT_NE(status["todo"][0].get<std::string>().find("Run-in day 1 of 7"), std::string::npos);
  ExpectError(Post("/api/trials/current/dose", R"({})"), 409, "conflict", "run-in day");

  // A cramp trial whose 14-night run-in (2026-11-09 to 22) was counted: the pairs begin today.
  const json cramps =
      Expect(Post("/api/trials",
                  R"({"outcome": "cramps", "start": "2026-11-09", "seed": 3, "replace": true})"),
             201);
  EXPECT_EQ(cramps["trial"]["start"], kToday);
  for (int day = 9; day <= 22; ++day) {
    Expect(Post("/api/journal/entries", json({{"kind", "cramps"},
                                              {"value", day % 2 == 0 ? 2 : 4},
                                              {"date", fmt::format("2026-11-{:02}", day)}})
                                            .dump()),
           201);
  }
  const json current = Expect(Get("/api/trials/current"), 200);
  EXPECT_EQ(current["periods"][0]["run_in"], true);
  EXPECT_EQ(current["status"]["phase"], "running");
  EXPECT_EQ(current["status"]["pair"], 1);
  EXPECT_EQ(current["status"]["run_in"]["result"], "passed");
  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_EQ(report["run_in"]["mean"], 3);
  EXPECT_EQ(report["run_in"]["rated"], 14);
  EXPECT_EQ(report["conclusion"].get<std::string>().find("stopped"), std::string::npos);
  const auto ics = Get("/api/calendar.ics?of=trial");
  ASSERT_TRUE(ics);
  EXPECT_EQ(ics->status, 200) << ics->body;
  EXPECT_NE(ics->body.find("run-in: no magnesium"), std::string::npos) << ics->body;
}

TEST_F(JournalApiTest, AnIncompleteRunInStopsTheTrial) {
  Expect(Put("/api/profile", kProfile), 200);
  Expect(Post("/api/trials", R"({"outcome": "pain", "start": "2026-11-16", "seed": 3})"), 201);
  Expect(Post("/api/journal/entries", R"({"kind": "pain", "value": 6, "date": "2026-11-17"})"),
         201);
  const json status = Expect(Get("/api/trials/current"), 200)["status"];
  EXPECT_EQ(status["phase"], "stopped");
  EXPECT_EQ(status["run_in"]["result"], "too_few_ratings");
  ASSERT_EQ(status["todo"].size(), 1u);
  EXPECT_NE(status["todo"][0].get<std::string>().find("1 of its 7 expected ratings"),
            std::string::npos);
  EXPECT_EQ(status["todo"][0].get<std::string>().find("mgadvisor"), std::string::npos);
  ExpectError(Post("/api/trials/current/dose", R"({})"), 409, "conflict",
              "stopped after its run-in");
  const json report = Expect(Get("/api/trials/current/report"), 200);
  EXPECT_EQ(report["verdict"], "not_enough_data");
  EXPECT_EQ(report["conclusion"].get<std::string>().rfind("No verdict. The trial stopped", 0), 0u);
  ExpectError(Post("/api/trials", R"({"outcome": "pain"})"), 409, "conflict", "replace");
  Expect(Post("/api/trials", R"({"outcome": "pain", "replace": true})"), 201);
  // "run_in_done" is refused while the journal's last days hold no run-in.
  ExpectError(Post("/api/trials", R"({"outcome": "pain", "replace": true, "run_in_done": true})"),
              400, "invalid_argument", "run_in_done");
}

TEST_F(JournalApiTest, ACrampRunInWithoutCrampsStopsTheTrial) {
  Expect(Put("/api/profile", kProfile), 200);
  Expect(Post("/api/trials", R"({"outcome": "cramps", "start": "2026-11-09", "seed": 3})"), 201);
  for (int day = 9; day <= 22; ++day) {
    Expect(
        Post("/api/journal/entries",
             json({{"kind", "cramps"}, {"value", 0}, {"date", fmt::format("2026-11-{:02}", day)}})
                 .dump()),
        201);
  }
  const json status = Expect(Get("/api/trials/current"), 200)["status"];
  EXPECT_EQ(status["phase"], "stopped");
  EXPECT_EQ(status["run_in"]["result"], "nothing_to_improve");
  EXPECT_NE(status["todo"][0].get<std::string>().find("was 0, so there was nothing"),
            std::string::npos);
  EXPECT_EQ(Expect(Get("/api/trials/current/report"), 200)["verdict"], "not_enough_data");
}

}  // namespace
}  // namespace mg::server
