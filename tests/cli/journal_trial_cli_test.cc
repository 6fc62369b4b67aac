// Black-box tests of `log`, `journal` and `trial`: the real binary in a scratch journal, with
// "today" fixed through MGADVISOR_TODAY.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::CliResult;
using ::testing::HasSubstr;
using ::testing::Not;

class JournalCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mg_journal_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs mgadvisor on the scratch journal with today fixed.
  CliResult Run(std::vector<std::string> args, const std::string& today = "2026-11-23",
                const std::string& db = "journal.db") {
    args.push_back("--db");
    args.push_back((dir_ / db).string());
    return testing::RunCli(args, "", {"MGADVISOR_TODAY=" + today});
  }
  // The same with `input` on standard input (answers to a confirmation).
  CliResult RunWithInput(std::vector<std::string> args, const std::string& input) {
    args.push_back("--db");
    args.push_back((dir_ / "journal.db").string());
    return testing::RunCli(args, input, {"MGADVISOR_TODAY=2026-11-23"});
  }

  std::string Slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // A profile for whom the plan engine offers magnesium as a trial (thin evidence, no safety
  // rule in the way): trials take their dose and form from the plan.
  std::string ProfilePath(const std::string& json = R"({"age": 61, "sex": "female",
                                                         "complaints": ["RLS", "chronic pain"]})") {
    const auto path = dir_ / "profile.json";
    std::ofstream(path) << json;
    return path.string();
  }

  // Logs `kind` `value` on each of `days` days from `first` (YYYY-MM-DD): a run-in's ratings.
  void LogDays(const std::string& kind, const std::string& first, int days,
               const std::string& value, const std::string& today = "2026-11-23") {
    int y = 0;
    unsigned m = 0, d = 0;
    ASSERT_EQ(std::sscanf(first.c_str(), "%d-%u-%u", &y, &m, &d), 3) << first;
    std::chrono::sys_days day{std::chrono::year{y} / m / d};
    for (int i = 0; i < days; ++i, day += std::chrono::days{1}) {
      const std::chrono::year_month_day ymd{day};
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
      ASSERT_EQ(Run({"log", "symptom", kind, value, "--date", date}, today).exit_code, 0) << date;
    }
  }

  std::filesystem::path dir_;
};

TEST_F(JournalCliTest, LogsAndShowsEveryKind) {
  EXPECT_EQ(Run({"log", "food", "pumpkin seeds 30 g", "--mg", "46.8"}).exit_code, 0);
  EXPECT_EQ(Run({"log", "dose", "--mg", "300", "--form", "citrate"}).exit_code, 0);
  auto irls = Run({"log", "symptom", "irls", "--items", "2,1,0,3,1,2,1,1,2,1", "--json"});
  ASSERT_EQ(irls.exit_code, 0) << irls.err;
  EXPECT_EQ(nlohmann::json::parse(irls.out)["value"], 14);
  auto irls_text = Run({"log", "symptom", "irls", "22", "--date", "yesterday"});
  EXPECT_THAT(irls_text.out, HasSubstr("Logged irls 22 (severe) on 2026-11-22"));
  EXPECT_EQ(
      Run({"log", "symptom", "cramps", "2", "--intensity", "7", "--date", "yesterday"}).exit_code,
      0);
  EXPECT_EQ(Run({"log", "symptom", "pain", "4"}).exit_code, 0);
  EXPECT_EQ(Run({"log", "symptom", "sleep", "6", "--note", "woke at 4"}).exit_code, 0);
  EXPECT_EQ(Run({"log", "note", "long walk"}).exit_code, 0);
  EXPECT_EQ(Run({"log", "side-effect", "diarrhoea", "--note", "mild"}).exit_code, 0);
  auto show = Run({"journal", "show", "--from", "2026-11-23", "--to", "2026-11-23"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("dose citrate 300 mg Mg"));
  EXPECT_THAT(show.out, Not(HasSubstr("cramps")));  // Logged for yesterday.
  auto json = Run({"journal", "show", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(json.out).size(), 9u);
  const int64_t first = nlohmann::json::parse(json.out)[0]["id"];
  EXPECT_EQ(Run({"journal", "delete", std::to_string(first), "--yes"}).exit_code, 0);
  auto missing = Run({"journal", "delete", std::to_string(first), "--yes"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("is not in"));
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 8u);
}

TEST_F(JournalCliTest, BadValuesExitTwoNamingFieldAndValue) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"log", "symptom", "irls", "--items", "1,1,1,1,5,1,1,1,1,1"},
       "irls item 5: 5 is out of range 0-4"},
      {{"log", "symptom", "pain", "3", "--date", "2099-01-01"},
       "date: 2099-01-01 is in the future (today is 2026-11-23)"},
      {{"log", "symptom", "sleep", "nan"}, "sleep: \"nan\" is not a finite number"},
      {{"log", "symptom", "pain", "11"}, "pain: 11 is out of range 0-10"},
      {{"log", "symptom", "mood", "3"}, "scale: \"mood\" is not a symptom scale"},
      {{"log", "dose", "--mg", "lots"}, "--mg: \"lots\" is not a finite number"},
  };
  for (const auto& c : cases) {
    auto r = Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  auto show = Run({"journal", "show", "--json"});
  EXPECT_EQ(nlohmann::json::parse(show.out).size(), 0u);
}

TEST_F(JournalCliTest, ExportImportRoundTripIsLossless) {
  Run({"log", "food", "almonds, \"raw\"", "--mg", "0.30000000000000004"});
  Run({"log", "symptom", "irls", "22"});
  Run({"log", "note", "line one\nline two"});
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "irls", "--profile", ProfilePath(), "--seed", "5"})
                .exit_code,
            0);
  for (std::string format : {"json", "csv"}) {
    auto exported = Run({"journal", "export", "--format", format});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const auto file = dir_ / ("export." + format);
    std::ofstream(file) << exported.out;
    const std::string copy = "copy-" + format + ".db";
    auto imported = Run({"journal", "import", file.string()}, "2026-11-23", copy);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    auto again = Run({"journal", "export", "--format", format}, "2026-11-23", copy);
    EXPECT_EQ(again.out, exported.out) << format;
    // Importing the same ids twice is refused and changes nothing.
    auto twice = Run({"journal", "import", file.string()}, "2026-11-23", copy);
    EXPECT_EQ(twice.exit_code, 2);
    EXPECT_THAT(twice.err, HasSubstr("already exists"));
  }
}

TEST_F(JournalCliTest, PlanLogFourWeeksAndReport) {
  // Pain's 7-day run-in (2026-10-19 to 25) comes first; the pairs begin on 2026-10-26.
  auto plan = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--start",
                   "2026-10-19", "--seed", "42"},
                  "2026-10-19");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("Week of      Mon Tue Wed Thu Fri Sat Sun"));
  LogDays("pain", "2026-10-19", 7, "5", "2026-10-25");
  auto plan_json = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--start",
                        "2026-10-19", "--seed", "42", "--dry-run", "--json"},
                       "2026-10-19");
  auto order = nlohmann::json::parse(plan_json.out)["magnesium_first"];
  ASSERT_EQ(order.size(), 3u);

  // Four weeks: pair 1. Pain 3 on magnesium days, 6 off; a dose on every magnesium day.
  const bool first_on = order[0].get<bool>();
  for (int d = 0; d < 28; ++d) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-%02d-%02d", d < 6 ? 10 : 11, d < 6 ? 26 + d : d - 5);
    const bool on = (d < 14) == first_on;
    ASSERT_EQ(
        Run({"log", "symptom", "pain", on ? "3" : "6", "--date", date}, "2026-11-22").exit_code, 0);
    if (on) Run({"log", "dose", "--mg", "300", "--form", "citrate", "--date", date}, "2026-11-22");
  }
  Run({"log", "food", "spinach", "--mg", "78", "--date", "2026-11-01"}, "2026-11-22");
  Run({"log", "side-effect", "loose stools", "--date", "2026-10-28"}, "2026-11-22");

  auto status = Run({"trial", "status", "--json"}, "2026-11-23");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto s = nlohmann::json::parse(status.out);
  EXPECT_EQ(s["phase"], "running");
  EXPECT_EQ(s["pair"], 2);
  EXPECT_EQ(s["rating_logged"], false);

  const auto charts = dir_ / "charts";
  auto report =
      Run({"trial", "report", "--svg-dir", charts.string(), "--age", "61", "--sex", "female"},
          "2026-11-22");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Not enough data yet: 1 of 3 pairs are complete"));
  EXPECT_THAT(report.out, HasSubstr("Adherence: dose logged on 14 of 14 magnesium days"));
  EXPECT_THAT(report.out, HasSubstr("Side effects: 1 logged"));
  EXPECT_THAT(Slurp(charts / "timeline.svg"), HasSubstr("<svg"));
  EXPECT_THAT(Slurp(charts / "intake.svg"), HasSubstr("RDA 320 mg"));
  auto json = Run({"trial", "report", "--json"}, "2026-11-22");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["verdict"], "not_enough_data");
  EXPECT_EQ(j["periods"][0]["mean"], first_on ? 3.0 : 6.0);
}

TEST_F(JournalCliTest, TrialDoseComesFromThePlanAndNeverExceedsIt) {
  auto planned = Run(
      {"trial", "plan", "--outcome", "irls", "--profile", ProfilePath(), "--dry-run", "--json"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  auto advice = testing::RunCli({"plan", "--profile", ProfilePath(), "--json"});
  ASSERT_EQ(advice.exit_code, 0) << advice.err;
  const double plan_dose =
      nlohmann::json::parse(advice.out)["supplement"]["daily_elemental_mg"].get<double>();
  const auto trial = nlohmann::json::parse(planned.out);
  EXPECT_EQ(trial["dose_mg"].get<double>(), plan_dose);
  EXPECT_EQ(trial["form"], nlohmann::json::parse(advice.out)["supplement"]["compound"]);
  // A lower dose is allowed; a higher one is refused.
  EXPECT_EQ(Run({"trial", "plan", "--outcome", "irls", "--profile", ProfilePath(), "--dose", "100",
                 "--dry-run"})
                .exit_code,
            0);
  auto too_much = Run({"trial", "plan", "--outcome", "irls", "--profile", ProfilePath(), "--dose",
                       "2000", "--dry-run"});
  EXPECT_EQ(too_much.exit_code, 2);
  EXPECT_THAT(too_much.err, HasSubstr("more than the"));
  // No trial of a supplement the plan withholds (severely reduced kidney function).
  auto unsafe =
      Run({"trial", "plan", "--outcome", "irls", "--dry-run", "--profile",
           ProfilePath(
               R"({"age": 61, "sex": "female", "complaints": ["RLS"], "kidney": {"egfr": 20}})")});
  EXPECT_EQ(unsafe.exit_code, 2);
  EXPECT_THAT(unsafe.err, HasSubstr("advises no magnesium supplement"));
  // Without --profile the trial's plan is the stored profile's; with none stored, exit 2.
  auto none = Run({"trial", "plan", "--outcome", "irls", "--dry-run"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("profile: none stored"));
}

// Drift fix: starting a trial is one operation. The CLI may use the profile kept in the journal,
// as the server always has, and gets the same dose and form as with the profile file.
TEST_F(JournalCliTest, TrialPlanWithoutAProfileFileUsesTheStoredProfile) {
  auto with_file = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--seed",
                        "3", "--dry-run", "--json"});
  ASSERT_EQ(with_file.exit_code, 0) << with_file.err;
  ASSERT_EQ(Run({"profile", "set", ProfilePath()}).exit_code, 0);
  auto stored = Run({"trial", "plan", "--outcome", "pain", "--seed", "3", "--json"});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  const auto a = nlohmann::json::parse(with_file.out), b = nlohmann::json::parse(stored.out);
  EXPECT_EQ(a["dose_mg"], b["dose_mg"]);
  EXPECT_EQ(a["form"], b["form"]);
  EXPECT_EQ(a["magnesium_first"], b["magnesium_first"]);
  EXPECT_EQ(b["saved"], true);
  EXPECT_TRUE(b["replaced"].is_null());
  // Issue 16: a second start no longer replaces the first silently: refused without --replace
  // (naming the running trial), and with it the first is replaced and the output says so.
  auto refused = Run({"trial", "plan", "--outcome", "sleep", "--seed", "4"});
  EXPECT_EQ(refused.exit_code, 2);
  // It runs from its run-in's first day: 7 days of run-in, then 84 of pairs.
  EXPECT_THAT(refused.err, HasSubstr("--replace: a trial of magnesium for pain (NRS 0-10) is "
                                     "running (2026-11-23 to 2027-02-21)"));
  auto dry = Run({"trial", "plan", "--outcome", "sleep", "--seed", "4", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("Saving it would replace the trial that started on 2026-11-23"));
  // Says how to start the very calendar it showed (a new run draws a new order without it).
  EXPECT_THAT(dry.out, HasSubstr("Not saved (--dry-run). To start this very calendar, run the "
                                 "command again without --dry-run and with --seed 4."));
  auto again = Run({"trial", "plan", "--outcome", "sleep", "--seed", "4", "--replace"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("84 days: 3 pairs of 14-day periods"));  // Its length.
  EXPECT_THAT(again.out, HasSubstr("This replaces the trial that started on 2026-11-23."));
  // `trial end --reason` stops it; the report says when and why.
  // Ending asks first: no answer (or "n") changes nothing.
  auto unasked = Run({"trial", "end", "--reason", "a bad cold"});
  EXPECT_EQ(unasked.exit_code, 2);
  EXPECT_THAT(unasked.err, HasSubstr("End the trial of magnesium for"));
  EXPECT_THAT(unasked.err, HasSubstr("not confirmed"));
  auto declined = RunWithInput({"trial", "end"}, "n\n");
  EXPECT_EQ(declined.exit_code, 2);
  auto ended = Run({"trial", "end", "--reason", "a bad cold", "--yes"});
  ASSERT_EQ(ended.exit_code, 0) << ended.err;
  EXPECT_THAT(ended.out, HasSubstr("Ended the trial"));
  auto report = Run({"trial", "report"});
  EXPECT_THAT(report.out, HasSubstr("Ended early on 2026-11-23: a bad cold."));
  auto twice = Run({"trial", "end", "--json"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(twice.err)["error"]["code"], "conflict");
  auto status = Run({"trial", "status"}, "2026-11-25");
  EXPECT_THAT(status.out, HasSubstr("The trial was ended on 2026-11-23"));
  // A seed the journal's JSON could not hold exactly is refused (the server always did).
  auto big_seed = Run({"trial", "plan", "--outcome", "pain", "--seed", "9007199254740993"});
  EXPECT_EQ(big_seed.exit_code, 2);
  EXPECT_THAT(big_seed.err, HasSubstr("--seed: 9007199254740993 is not a whole number"));
}

// Drift fix: `journal import` makes the server's checks, so it cannot leave a journal the web page
// then answers with 409: a profile that does not resolve or a trial that cannot be read is
// refused, and nothing is written.
TEST_F(JournalCliTest, ImportRefusesAProfileOrTrialTheJournalCouldNotRead) {
  const nlohmann::json base = {
      {"format", "mgadvisor-journal"},
      {"version", 1},
      {"profile", nullptr},
      {"entries", {{{"id", 1}, {"date", "2026-11-01"}, {"kind", "note"}, {"note", "kept?"}}}},
      {"trials", nlohmann::json::array()}};
  nlohmann::json bad_profile = base;
  bad_profile["profile"] = R"({"age": 30, "sex": "female", "complaints": ["zzzq"]})";
  nlohmann::json bad_trial = base;
  bad_trial["trials"] = {{{"id", 1}, {"created", "2026-11-01"}, {"json", "{}"}}};
  for (const auto& [name, snapshot, message] :
       {std::tuple{"profile.json", bad_profile, std::string("unknown condition 'zzzq'")},
        std::tuple{"trial.json", bad_trial, std::string("trial.json: trial 1: ")}}) {
    const auto file = dir_ / name;
    std::ofstream(file) << snapshot.dump();
    auto r = Run({"journal", "import", file.string()});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 0u);
}

// Drift fix: the report's RDA line comes from the stored profile when no --age/--sex is given, as
// the server's report always did.
TEST_F(JournalCliTest, ReportTakesTheRdaFromTheStoredProfile) {
  ASSERT_EQ(Run({"profile", "set", ProfilePath()}).exit_code, 0);
  // The pairs begin on 2026-11-01, after pain's 7-day run-in.
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "pain", "--seed", "1", "--start", "2026-10-25"},
                "2026-10-25")
                .exit_code,
            0);
  Run({"log", "dose", "--mg", "100", "--date", "2026-11-02"}, "2026-11-03");
  const auto charts = dir_ / "charts";
  auto report = Run({"trial", "report", "--svg-dir", charts.string()}, "2026-11-03");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(Slurp(charts / "intake.svg"), HasSubstr("RDA 320 mg"));
}

// Drift fix: `journal show` checks its range like GET /api/journal/entries.
TEST_F(JournalCliTest, ShowRefusesARangeThatEndsBeforeItStarts) {
  auto r = Run({"journal", "show", "--from", "2026-11-23", "--to", "2026-11-01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--from: 2026-11-23 is after to: 2026-11-01"));
}

// Logging a food by name and amount finds it in the food table and carries its magnesium, as
// the web page's food logging does; without an amount it is logged as written.
TEST_F(JournalCliTest, LogFoodByNameAndAmount) {
  auto r = Run({"log", "food", "raw spinach", "1", "cup", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto entry = nlohmann::json::parse(r.out);
  EXPECT_EQ(entry["label"], "Spinach, raw — 1 cup (30 g)");
  EXPECT_NEAR(entry["magnesium_mg"].get<double>(), 23.7, 1e-9);
  auto unknown = Run({"log", "food", "xqzvw plork", "30g"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("name: \"xqzvw plork\" matches no food"));
  auto both = Run({"log", "food", "spinach", "30g", "--mg", "20"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("--mg"));
  auto intake = Run({"journal", "intake", "--json"});
  ASSERT_EQ(intake.exit_code, 0) << intake.err;
  EXPECT_NEAR(nlohmann::json::parse(intake.out)["days"][6]["food_mg"].get<double>(), 23.7, 1e-9);
}

// Issue 16: `log food "pumkin seeds 30 g"` was stored as free text with no magnesium. The amount
// typed inside the name is read as the AMOUNT and the (misspelt) food found by search.
TEST_F(JournalCliTest, LogFoodWithTheAmountInsideTheName) {
  auto seeds = Run({"log", "food", "pumkin seeds 30 g", "--json"});
  ASSERT_EQ(seeds.exit_code, 0) << seeds.err;
  const auto entry = nlohmann::json::parse(seeds.out);
  EXPECT_THAT(entry["label"].get<std::string>(), HasSubstr("Pumpkin"));
  EXPECT_THAT(entry["label"].get<std::string>(), HasSubstr("— 30 g"));
  EXPECT_GT(entry["magnesium_mg"].get<double>(), 100);  // About 5.9 mg per g.
  auto glued = Run({"log", "food", "almonds 28g", "--json"});
  ASSERT_EQ(glued.exit_code, 0) << glued.err;
  EXPECT_NEAR(nlohmann::json::parse(glued.out)["magnesium_mg"].get<double>(), 28 * 2.70, 0.01);
  // Without an amount the text is logged as written; an amount with no such food is refused.
  auto bar = Run({"log", "food", "granola bar", "--json"});
  ASSERT_EQ(bar.exit_code, 0) << bar.err;
  EXPECT_FALSE(nlohmann::json::parse(bar.out).contains("magnesium_mg"));
  auto unknown = Run({"log", "food", "xqzvw plork 2 pieces"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("\"xqzvw plork\" matches no food"));
}

TEST_F(JournalCliTest, ReportWithoutATrialIsNotFound) {
  auto r = Run({"trial", "report"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("no trial in this journal"));
}

// Issue 16: a finished trial with ratings but no dose logged on any magnesium day gave a verdict,
// and the report showed the fact sheet's "[R89]". Now: no verdict, the reason, no tag.
TEST_F(JournalCliTest, NoVerdictWithoutAnyDoseAndNoInternalTags) {
  // The pairs begin on 2026-10-01, after pain's 7-day run-in.
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--start",
                 "2026-09-24", "--seed", "5", "--period-days", "3", "--washout-days", "1"},
                "2026-09-24")
                .exit_code,
            0);
  LogDays("pain", "2026-09-24", 7, "5", "2026-09-30");
  for (int d = 0; d < 18; ++d) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-10-%02d", d + 1);
    ASSERT_EQ(Run({"log", "symptom", "pain", d % 2 == 0 ? "2" : "7", "--date", date}).exit_code, 0);
  }
  auto report = Run({"trial", "report"}, "2026-10-30");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Adherence: dose logged on 0 of 9 magnesium days"));
  EXPECT_THAT(report.out, HasSubstr("Conclusion: No verdict: no dose was logged on any of the 9 "
                                    "magnesium days"));
  EXPECT_THAT(report.out, HasSubstr("the first 1 days of each are washout"));
  EXPECT_THAT(report.out, ::testing::Not(::testing::ContainsRegex("\\[R[0-9]+")));
  auto json = Run({"trial", "report", "--json"}, "2026-10-30");
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["verdict"], "not_enough_data");
  EXPECT_EQ(j["adherence_known"], false);
  EXPECT_THAT(j.dump(), ::testing::Not(::testing::ContainsRegex("\\[R[0-9]+")));
}

// Issue 16: entries could only be deleted (no confirmation, no undo). Now: edit, undo, a
// confirmation before deleting, paging, and the day's food list.
TEST_F(JournalCliTest, EditUndoConfirmPageAndTheDaysFoods) {
  ASSERT_EQ(Run({"log", "symptom", "pain", "4"}).exit_code, 0);                           // 1
  ASSERT_EQ(Run({"log", "food", "spinach", "--mg", "78"}).exit_code, 0);                  // 2
  ASSERT_EQ(Run({"log", "food", "bread"}).exit_code, 0);                                  // 3
  ASSERT_EQ(Run({"log", "dose", "--mg", "200", "--form", "citrate"}).exit_code, 0);       // 4
  ASSERT_EQ(Run({"log", "symptom", "sleep", "6", "--date", "2026-11-20"}).exit_code, 0);  // 5

  // Edit: only the fields given change; bad values are refused naming the flag.
  auto edited = Run({"journal", "edit", "1", "--value", "6", "--note", "after the walk"});
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_THAT(edited.out, HasSubstr("Entry 1 is now: pain 6 — after the walk on 2026-11-23."));
  auto bad = Run({"journal", "edit", "1", "--value", "11"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("pain: 11 is out of range 0-10"));
  EXPECT_EQ(Run({"journal", "edit", "99", "--value", "1"}).exit_code, 2);
  auto nothing = Run({"journal", "edit", "1"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_THAT(nothing.err, HasSubstr("nothing to change"));

  // Delete asks first: no answer or "n" changes nothing; "y" deletes.
  auto unanswered = RunWithInput({"journal", "delete", "2"}, "");
  EXPECT_EQ(unanswered.exit_code, 2);
  EXPECT_THAT(unanswered.err, HasSubstr("Delete entry 2 (food spinach 78 mg Mg on 2026-11-23)?"));
  EXPECT_THAT(unanswered.err, HasSubstr("pass --yes"));
  EXPECT_EQ(RunWithInput({"journal", "delete", "2"}, "n\n").exit_code, 2);
  auto yes = RunWithInput({"journal", "delete", "2"}, "y\n");
  ASSERT_EQ(yes.exit_code, 0) << yes.err;
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 4u);

  // Undo walks back: the delete, then the edit.
  auto undo_delete = Run({"journal", "undo"});
  ASSERT_EQ(undo_delete.exit_code, 0) << undo_delete.err;
  EXPECT_THAT(undo_delete.out, HasSubstr("Restored the entry deleted: #2 food spinach 78 mg Mg"));
  auto undo_edit = Run({"journal", "undo", "--json"});
  ASSERT_EQ(undo_edit.exit_code, 0) << undo_edit.err;
  const auto undone = nlohmann::json::parse(undo_edit.out)["undone"];
  EXPECT_EQ(undone["change"], "edit");
  EXPECT_EQ(undone["entry"]["value"], 4);
  const auto all = nlohmann::json::parse(Run({"journal", "show", "--json"}).out);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[1]["value"], 4);  // Entry 1 as first logged (after entry 5, an older day).
  EXPECT_FALSE(all[1].contains("note"));

  // Paging goes back from the newest: two per page.
  auto page1 = Run({"journal", "show", "--limit", "2"});
  EXPECT_THAT(page1.out, HasSubstr("#3 "));
  EXPECT_THAT(page1.out, HasSubstr("#4 "));
  EXPECT_THAT(page1.out, Not(HasSubstr("#2 ")));
  EXPECT_THAT(page1.out, HasSubstr("(3 older entries: --offset 2)"));
  auto page2 = Run({"journal", "show", "--limit", "2", "--offset", "2", "--json"});
  const auto ids = nlohmann::json::parse(page2.out);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0]["id"], 1);
  EXPECT_EQ(ids[1]["id"], 2);
  EXPECT_EQ(Run({"journal", "show", "--limit", "0"}).exit_code, 2);

  // The day's foods: two foods (one without a value), the dose, the totals.
  auto foods = Run({"journal", "foods"});
  ASSERT_EQ(foods.exit_code, 0) << foods.err;
  EXPECT_THAT(foods.out, HasSubstr("#2    food spinach 78 mg Mg"));
  EXPECT_THAT(foods.out, HasSubstr("#3    food bread"));
  EXPECT_THAT(foods.out, HasSubstr("#4    dose citrate 200 mg Mg"));
  EXPECT_THAT(foods.out, HasSubstr("Magnesium: food 78 mg, supplements 200 mg, total 278 mg "
                                   "(at least: 1 without a magnesium value)"));
  auto other_day = Run({"journal", "foods", "--date", "2026-11-20", "--json"});
  EXPECT_EQ(nlohmann::json::parse(other_day.out)["foods"].size(), 0u);
}

// Issue 16: a 3,000 mg dose was logged without a word. It is still recorded (the journal says
// what happened) but the day's supplemental total above the upper limit is said plainly.
TEST_F(JournalCliTest, ADoseAboveTheDaysLimitIsRecordedWithAWarning) {
  ASSERT_EQ(Run({"profile", "set", ProfilePath()}).exit_code, 0);
  auto small = Run({"log", "dose", "--mg", "200", "--form", "citrate"});
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_THAT(small.err, Not(HasSubstr("WARNING")));
  auto big = Run({"log", "dose", "--mg", "3000", "--form", "citrate", "--json"});
  ASSERT_EQ(big.exit_code, 0) << big.err;
  EXPECT_EQ(nlohmann::json::parse(big.out)["magnesium_mg"], 3000);  // Recorded.
  EXPECT_THAT(big.err, HasSubstr("WARNING: Recorded, but this takes your supplemental magnesium "
                                 "on 2026-11-23 to 3200 mg, above the upper limit of 350 mg"));
  // Another day is counted on its own.
  auto other = Run({"log", "dose", "--mg", "300", "--date", "2026-11-20"});
  EXPECT_THAT(other.err, Not(HasSubstr("WARNING")));
}

// The same plain warning when a diary import takes a day over the limit: two Mag-Ox 400 tablets
// (482.6 mg) plus a 100 mg dose already logged that day; the rows are imported all the same.
// A day under the limit, and the same import without a stored profile, say nothing.
TEST_F(JournalCliTest, ADiaryImportAboveTheDaysLimitIsRecordedWithAWarning) {
  const auto week = dir_ / "servings.csv";
  std::ofstream(week) << "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Category\n"
                         "2026-11-20,09:00 PM,Supplements,Mag-Ox 400,2.00 tablet,0,,Supplements\n"
                         "2026-11-21,09:00 PM,Supplements,Mag-Ox 400,1.00 tablet,0,,Supplements\n";
  auto unknown_limit = Run({"journal", "import-diary", week.string(), "--dry-run"});
  ASSERT_EQ(unknown_limit.exit_code, 0) << unknown_limit.err;
  EXPECT_THAT(unknown_limit.err, Not(HasSubstr("WARNING")));

  ASSERT_EQ(Run({"profile", "set", ProfilePath()}).exit_code, 0);
  ASSERT_EQ(Run({"log", "dose", "--mg", "100", "--date", "2026-11-20"}).exit_code, 0);
  auto imported = Run({"journal", "import-diary", week.string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto j = nlohmann::json::parse(imported.out);
  EXPECT_EQ(j["added"], 2);  // Recorded.
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_THAT(j["warnings"][0].get<std::string>(),
              HasSubstr("servings.csv:2) your "
                        "supplemental magnesium that day comes to 582.6 mg, above the upper "
                        "limit of 350 mg"));
  EXPECT_THAT(imported.err, HasSubstr("WARNING: 2026-11-20:"));
  EXPECT_THAT(imported.err, Not(HasSubstr("2026-11-21")));  // 241.3 mg: under the limit.
}

// Issue 13: supplements and doses logged by name and amount are counted as the plan counts them
// (one count): "400 mg" is magnesium itself, "400 mg compound" the salt, units by the label.
TEST_F(JournalCliTest, SupplementsAndDosesAreCountedAsThePlanCountsThem) {
  auto mom = Run({"log", "supplement", "milk of magnesia", "30", "mL", "--json"});
  ASSERT_EQ(mom.exit_code, 0) << mom.err;
  const auto logged = nlohmann::json::parse(mom.out);
  EXPECT_EQ(logged["entry"]["magnesium_mg"], 1000.2);  // 2 x 15 mL at 500.1 mg.
  EXPECT_EQ(logged["entry"]["label"], "milk of magnesia — 30 mL");
  EXPECT_THAT(logged["reading"].get<std::string>(), HasSubstr("2 x 15 mL"));
  auto oxide = Run({"log", "supplement", "magnesium oxide", "400 mg"});
  ASSERT_EQ(oxide.exit_code, 0) << oxide.err;
  EXPECT_THAT(oxide.out, HasSubstr("400 mg Mg"));
  EXPECT_THAT(oxide.out, HasSubstr("Read as: '400 mg' read as elemental magnesium"));
  auto salt = Run({"log", "dose", "--form", "oxide", "--amount", "400 mg compound", "--json"});
  ASSERT_EQ(salt.exit_code, 0) << salt.err;
  EXPECT_EQ(nlohmann::json::parse(salt.out)["entry"]["magnesium_mg"], 241.2);
  auto pills = Run({"log", "dose", "--form", "Mag-Ox 400", "--amount", "2 tablets", "--json"});
  ASSERT_EQ(pills.exit_code, 0) << pills.err;
  EXPECT_EQ(nlohmann::json::parse(pills.out)["entry"]["magnesium_mg"], 482.6);
  // The day's total holds every one of them.
  auto day = Run({"journal", "foods", "--json"});
  ASSERT_EQ(day.exit_code, 0) << day.err;
  EXPECT_NEAR(nlohmann::json::parse(day.out)["supplement_mg"].get<double>(),
              1000.2 + 400 + 241.2 + 482.6, 1e-6);
  // What cannot be counted is refused naming the field, and nothing is written.
  auto unknown = Run({"log", "supplement", "Super Mag Complex", "2", "caps"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err,
              HasSubstr("name: 'Super Mag Complex' is not in the medicines catalogue"));
  auto unit = Run({"log", "dose", "--form", "citrate", "--amount", "2 furlongs"});
  EXPECT_EQ(unit.exit_code, 2);
  EXPECT_THAT(unit.err, HasSubstr("--amount: amount '2 furlongs': unknown unit"));
  auto both = Run({"log", "dose", "--mg", "100", "--amount", "2 tablets"});
  EXPECT_EQ(both.exit_code, 2);
  auto neither = Run({"log", "dose"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_THAT(neither.err, HasSubstr("--mg"));
  auto after = Run({"journal", "foods", "--json"});
  EXPECT_EQ(nlohmann::json::parse(after.out)["supplements"].size(), 4u);
}

// A blinded trial as a person and their helper run it: the sheet goes to a file, never to the
// screen; every day a container dose with a guess and a rating; the key opens it after the end,
// and the report compares the periods, scores the guesses and cites the protocol's hash.
TEST_F(JournalCliTest, BlindedTrialFromTheHelpersSheetToTheUnblindedReport) {
  const auto sheet_path = dir_ / "for-my-helper.txt";
  auto refused = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--blind"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--helper-sheet: needed with --blind"));

  // Short periods (3 days, 1 of washout: 18 days in all) keep the test quick. The containers
  // come after pain's 7-day run-in (2026-08-25 to 31), which takes nothing from them.
  auto plan = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--start",
                   "2026-08-25", "--seed", "11", "--period-days", "3", "--washout-days", "1",
                   "--blind", "--helper-sheet", sheet_path.string()},
                  "2026-08-25");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  auto run_in = Run({"trial", "took", "--guess", "unsure", "--date", "2026-08-26"}, "2026-08-26");
  EXPECT_EQ(run_in.exit_code, 2);
  EXPECT_THAT(run_in.err, HasSubstr("2026-08-26 is a run-in day of the trial (until 2026-08-31): "
                                    "take no magnesium and nothing from the containers yet"));
  LogDays("pain", "2026-08-25", 7, "5", "2026-08-31");
  const std::string sheet = Slurp(sheet_path);
  EXPECT_EQ(std::filesystem::status(sheet_path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  const size_t key_at = sheet.find("Unblinding key");
  ASSERT_NE(key_at, std::string::npos) << sheet;
  const size_t line = sheet.find('\n', key_at) + 1;
  const std::string key = sheet.substr(line + 4, 19);
  const char magnesium = sheet.find("Container A: MAGNESIUM") != std::string::npos ? 'A' : 'B';
  // The person's screen shows containers and the protocol's hash, never the allocation.
  EXPECT_THAT(plan.out, Not(HasSubstr(key)));
  EXPECT_THAT(plan.out, Not(HasSubstr("MAGNESIUM")));
  const size_t hash_at = plan.out.find("Protocol SHA-256: ");
  ASSERT_NE(hash_at, std::string::npos) << plan.out;
  const std::string hash = plan.out.substr(hash_at + 18, 64);
  auto today = nlohmann::json::parse(Run({"trial", "status", "--json"}, "2026-09-01").out);
  EXPECT_TRUE(today["magnesium"].is_null()) << today;
  // The CLI's text names its command; the JSON (what the page shows) does not.
  EXPECT_THAT(Run({"trial", "status"}, "2026-09-01").out,
              HasSubstr("with your guess (magnesium, placebo or unsure): mgadvisor trial took "
                        "--guess magnesium|placebo|unsure"));
  EXPECT_THAT(today["todo"].dump(), Not(HasSubstr("mgadvisor")));
  // Its calendar events name the container, never "no magnesium" (which would be wrong for the
  // magnesium container's days, and a hint for the placebo's).
  auto ics = Run({"trial", "calendar", "--format", "ics"}, "2026-09-01");
  ASSERT_EQ(ics.exit_code, 0) << ics.err;
  EXPECT_THAT(ics.out, HasSubstr("pair 1: container "));
  EXPECT_THAT(ics.out, Not(HasSubstr("Take no magnesium supplement; log any")));
  // Every event has its own UID (calendar apps merge events that share one), and no UID names
  // an arm while the trial is sealed.
  std::set<std::string> uids;
  size_t events = 0;
  for (size_t at = 0; (at = ics.out.find("\r\nUID:", at)) != std::string::npos; ++at) {
    const size_t from = at + 6, to = ics.out.find("\r\n", from);
    const std::string uid = ics.out.substr(from, to - from);
    ++events;
    EXPECT_TRUE(uids.insert(uid).second) << "two events share the UID " << uid;
    EXPECT_THAT(uid, Not(HasSubstr("magnesium")));
    EXPECT_THAT(uid, Not(HasSubstr("none")));
  }
  // The run-in, and each of the six periods as its washout days and the days after them.
  EXPECT_EQ(events, 13u) << ics.out;

  // The calendar's period lines ("2026-09-01 to 2026-09-03  CONTAINER B") say each day's
  // container. The helper's magnesium brings pain 3, the placebo 6; the person guesses right
  // every day (as if loose stools gave it away).
  std::vector<char> containers;
  for (size_t at = 0; (at = plan.out.find("  CONTAINER ", at)) != std::string::npos; ++at) {
    containers.push_back(plan.out[at + 12]);
  }
  ASSERT_EQ(containers.size(), 6u) << plan.out;
  for (int d = 0; d < 18; ++d) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-09-%02d", d + 1);
    const bool on = containers[static_cast<size_t>(d / 3)] == magnesium;
    auto took = Run({"trial", "took", "--guess", on ? "magnesium" : "placebo", "--date", date},
                    "2026-09-19");
    ASSERT_EQ(took.exit_code, 0) << took.err;
    EXPECT_THAT(took.out, HasSubstr(std::string("trial container ") + containers[d / 3]));
    ASSERT_EQ(
        Run({"log", "symptom", "pain", on ? "3" : "6", "--date", date}, "2026-09-19").exit_code, 0);
  }

  auto sealed = Run({"trial", "report"}, "2026-09-19");
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  EXPECT_THAT(sealed.out, HasSubstr("Blinded: the comparison waits until you unblind"));
  EXPECT_THAT(sealed.out, HasSubstr("Next: mgadvisor trial unblind KEY"));
  EXPECT_THAT(sealed.out, HasSubstr("a container dose logged on 18 of 18 days"));
  EXPECT_THAT(sealed.out, Not(HasSubstr("Effect (")));
  // No period while sealed: under the heading only the run-in's baseline, which reveals nothing.
  EXPECT_THAT(sealed.out, Not(HasSubstr("  pair ")));
  EXPECT_THAT(sealed.out, HasSubstr("Period means (washout days excluded):\n  run-in  2026-08-25"));

  auto early = Run({"trial", "unblind", key}, "2026-09-18");
  EXPECT_NE(early.exit_code, 0);
  EXPECT_THAT(early.err, HasSubstr("end the trial first"));
  auto wrong = Run({"trial", "unblind", "AAAA-BBBB-CCCC-DDDD"}, "2026-09-19");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("does not open this trial's allocation"));
  auto opened = Run({"trial", "unblind", key}, "2026-09-19");
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_THAT(opened.out, HasSubstr(std::string("container ") + magnesium + " held the magnesium"));

  auto report = Run({"trial", "report"}, "2026-09-19");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Protocol: SHA-256 " + hash));
  EXPECT_THAT(report.out, HasSubstr("Changes after the start: none."));
  EXPECT_THAT(report.out, HasSubstr("blinding index +1.00"));
  EXPECT_THAT(report.out, HasSubstr("was better on magnesium"));
  EXPECT_THAT(report.out, HasSubstr("blinding did not hold"));

  auto protocol = Run({"trial", "protocol", "--json"}, "2026-09-19");
  ASSERT_EQ(protocol.exit_code, 0) << protocol.err;
  EXPECT_EQ(nlohmann::json::parse(protocol.out)["sha256"], hash);
}

TEST_F(JournalCliTest, AnEarlyEndIsADeviationTheReportNamesBesideTheProtocolHash) {
  // The run-in is already in the journal (the last 7 days): the pairs start today.
  LogDays("pain", "2026-11-16", 7, "5");
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--seed", "4",
                 "--run-in-done"})
                .exit_code,
            0);
  auto took = Run({"trial", "took", "--guess", "magnesium"});
  EXPECT_EQ(took.exit_code, 2);
  EXPECT_THAT(took.err, HasSubstr("--guess: this trial is not blinded"));
  ASSERT_EQ(Run({"trial", "end", "--yes", "--reason", "moving house"}).exit_code, 0);
  auto report = Run({"trial", "report"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Deviation: Ended early on 2026-11-23"));
  EXPECT_THAT(report.out, HasSubstr("\"moving house\""));
  auto text = Run({"trial", "protocol"});
  EXPECT_THAT(text.out, HasSubstr("# Protocol: open-label, randomised n-of-1 trial"));
}

// A Cronometer week as people export it: foods with Cronometer's own magnesium, a food with a
// blank cell (matched in the food table), supplements in tablets and scoops with blank nutrient
// cells (counted through the catalogue, or kept as unknown). Imported once; again adds nothing.
TEST_F(JournalCliTest, ImportsACronometerWeekOnceAndRefusesWhatCannotBeCounted) {
  const auto week = dir_ / "servings.csv";
  std::ofstream(week)
      << "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Category\n"
         "2026-11-20,08:14 AM,Breakfast,\"Oats, Rolled, Dry\",80.00 g,311,110.4,Cereal Grains\n"
         "2026-11-20,12:30 PM,Lunch,\"Pumpkin seeds, roasted\",30.00 g,170,,Nuts and Seeds\n"
         "2026-11-20,09:00 PM,Supplements,Mag-Ox 400,2.00 tablet,0,,Supplements\n"
         "2026-11-21,09:00 PM,Supplements,Calm Powder Raspberry,1.00 scoop,0,,Supplements\n"
         "2026-11-22,07:00 PM,Dinner,\"Spinach, Raw\",2.00 cup,14,47.4,Vegetables\n";
  auto dry = Run({"journal", "import-diary", week.string(), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("Would import 5 of 5 rows"));
  EXPECT_THAT(Run({"journal", "show", "--json"}).out, Not(HasSubstr("Oats")));

  auto imported = Run({"journal", "import-diary", week.string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto j = nlohmann::json::parse(imported.out);
  EXPECT_EQ(j["format"], "cronometer");
  EXPECT_EQ(j["added"], 5);
  auto& rows = j["rows"];
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["entry"]["magnesium_mg"], 110.4);  // Cronometer's own figure.
  EXPECT_EQ(rows[0]["match"], "reported");
  EXPECT_GT(rows[1]["entry"]["magnesium_mg"].get<double>(), 100);  // Matched pumpkin seeds.
  EXPECT_EQ(rows[2]["entry"]["kind"], "supplement");
  EXPECT_EQ(rows[2]["entry"]["magnesium_mg"], 482.6);       // Two Mag-Ox 400 tablets.
  EXPECT_TRUE(rows[3]["entry"]["magnesium_mg"].is_null());  // A powder the catalogue lacks.
  EXPECT_EQ(rows[3]["match"], "unknown");
  EXPECT_THAT(rows[1]["entry"]["note"].get<std::string>(), HasSubstr("servings.csv:3"));

  auto again = Run({"journal", "import-diary", week.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("Imported 0 of 5 rows"));
  EXPECT_THAT(again.out, HasSubstr("5 already in the journal"));
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 5u);

  // MyFitnessPal: meals with totals, no magnesium, no foods: refused with the reason.
  const auto mfp = dir_ / "mfp.csv";
  std::ofstream(mfp) << "Date,Meal,Calories,Fat (g),Sodium (mg),Protein (g),Note\n"
                        "2026-11-20,Breakfast,420,12,300,18,\n";
  auto refused = Run({"journal", "import-diary", mfp.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("mfp.csv:1: this looks like a MyFitnessPal export"));

  // One bad row: named by file:line and field, and nothing of the file is written.
  const auto bad = dir_ / "bad.csv";
  std::ofstream(bad)
      << "date,food,amount,unit\n2026-11-23,almonds,30,g\n2026-11-23,almonds,lots,g\n";
  auto refused_bad = Run({"journal", "import-diary", bad.string()});
  EXPECT_EQ(refused_bad.exit_code, 2);
  EXPECT_THAT(refused_bad.err, HasSubstr("bad.csv:3"));
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 5u);
  const auto future = dir_ / "future.csv";
  std::ofstream(future) << "date,food,amount,unit\n2026-12-24,almonds,30,g\n";
  auto refused_future = Run({"journal", "import-diary", future.string()});
  EXPECT_EQ(refused_future.exit_code, 2);
  EXPECT_THAT(refused_future.err,
              HasSubstr("future.csv:2: field 'date': 2026-12-24 is in the future"));
}

// Issue 16: the cramp diary's detail and the sleep diary's, logged as one entry each, shown,
// corrected measure by measure, exported, refused when out of range, and usable as a trial's
// outcome; `log cramps 0` points to the command that exists.
TEST_F(JournalCliTest, CrampAndSleepDiaryDetailIsLoggedEditedAndMeasured) {
  auto cramps = Run({"log", "symptom", "cramps", "2", "--severity", "6", "--minutes", "5",
                     "--sleep-disturbance", "4", "--json"});
  ASSERT_EQ(cramps.exit_code, 0) << cramps.err;
  auto entry = nlohmann::json::parse(cramps.out);
  EXPECT_EQ(entry["intensity"], 6);
  EXPECT_EQ(entry["measures"], nlohmann::json({{"minutes", 5}, {"sleep_disturbance", 4}}));
  auto sleep =
      Run({"log", "symptom", "sleep", "6", "--minutes-to-sleep", "40", "--awakenings", "2"});
  ASSERT_EQ(sleep.exit_code, 0) << sleep.err;
  EXPECT_THAT(sleep.out,
              HasSubstr("Logged sleep 6, awakenings 2, minutes to sleep 40 on 2026-11-23"));
  const std::string id = std::to_string(entry["id"].get<int64_t>());
  auto edited = Run({"journal", "edit", id, "--minutes", "7", "--json"});
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_EQ(nlohmann::json::parse(edited.out)["entry"]["measures"],
            nlohmann::json({{"minutes", 7}, {"sleep_disturbance", 4}}));
  auto cleared = Run({"journal", "edit", id, "--sleep-disturbance", "none"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_THAT(cleared.out, HasSubstr("cramps 2 (worst 6), minutes 7 on 2026-11-23"));
  auto csv = Run({"journal", "export", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("note,measures\n"));
  EXPECT_THAT(csv.out, HasSubstr(",cramps,,,2,6,,,minutes=7\n"));

  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"log", "symptom", "cramps", "1", "--sleep-disturbance", "11"},
       "sleep_disturbance: 11 is out of range 0-10"},
      {{"log", "symptom", "cramps", "1", "--minutes", "soon"},
       "--minutes: \"soon\" is not a finite number"},
      {{"log", "symptom", "pain", "3", "--minutes", "5"}, "minutes: not used by a pain entry"},
      {{"log", "cramps", "0"},
       "'cramps' is not a command of 'mgadvisor log' (did you mean mgadvisor log symptom cramps 0"},
  };
  for (const auto& c : cases) {
    auto r = Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 2u);

  auto plan = Run({"trial", "plan", "--outcome", "cramp_sleep_disturbance", "--profile",
                   ProfilePath(), "--start", "2026-11-23", "--seed", "5"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("sleep disturbance from cramps"));
  auto status = Run({"trial", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  // Today's cramps entry no longer has a sleep disturbance: the rating is due, with its flag.
  EXPECT_THAT(status.out, HasSubstr("mgadvisor log symptom cramps ... --sleep-disturbance N"));
  ASSERT_EQ(Run({"log", "symptom", "cramps", "0"}).exit_code, 0);
  status = Run({"trial", "status", "--json"});
  EXPECT_EQ(nlohmann::json::parse(status.out)["rating_logged"], true);  // No cramps: 0.
}

// Issue 16: secondary outcomes registered at the start (protocol version 2, Holm-adjusted in the
// report), one added later (a change to the protocol, exploratory), and the refusals.
TEST_F(JournalCliTest, SecondaryOutcomesAreRegisteredAdjustedOrExploratory) {
  auto refused = Run({"trial", "plan", "--outcome", "pain", "--secondary", "pain", "--profile",
                      ProfilePath(), "--dry-run"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--secondary: 'pain' is already the primary outcome"));
  // The pairs begin today, after pain's 7-day run-in; a run-in makes the protocol version 3,
  // with version 2's secondary lines (version 2's own wording is pinned in trial_test).
  auto plan =
      Run({"trial", "plan", "--outcome", "pain", "--secondary", "sleep", "--secondary",
           "cramp_severity", "--profile", ProfilePath(), "--start", "2026-11-16", "--seed", "9"},
          "2026-11-16");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  // The whole daily task is said when the trial is planned, secondaries included.
  EXPECT_THAT(plan.out, HasSubstr("Also rate (secondary outcomes; the verdict rests on pain (NRS "
                                  "0-10) alone): sleep quality (0 terrible - 10 excellent) every "
                                  "day; worst cramp severity in the night (0-10) every day.\n"));
  LogDays("pain", "2026-11-16", 7, "5");
  auto protocol = Run({"trial", "protocol"});
  ASSERT_EQ(protocol.exit_code, 0) << protocol.err;
  EXPECT_THAT(protocol.out, HasSubstr("Protocol version 3 (mgadvisor)."));
  EXPECT_THAT(protocol.out, HasSubstr("- Secondary: sleep quality"));
  auto status = Run({"trial", "status"});
  EXPECT_THAT(status.out, HasSubstr("Also rate your sleep quality (0 terrible - 10 excellent) "
                                    "(secondary outcome): mgadvisor log symptom sleep ..."));
  auto late = Run({"trial", "secondary", "sleep_latency"}, "2026-11-30");
  ASSERT_EQ(late.exit_code, 0) << late.err;
  auto calendar = Run({"trial", "calendar"}, "2026-11-30");
  EXPECT_THAT(calendar.out,
              HasSubstr("minutes to fall asleep every day (added on 2026-11-30: exploratory)."));
  EXPECT_THAT(late.out, HasSubstr("Added minutes to fall asleep as an exploratory secondary"));
  auto again = Run({"trial", "secondary", "sleep"}, "2026-11-30");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("'sleep' is given twice"));
  auto report = Run({"trial", "report"}, "2026-11-30");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Secondary outcomes (2 registered at the start"));
  EXPECT_THAT(report.out, HasSubstr("minutes to fall asleep (exploratory, added on 2026-11-30)"));
  EXPECT_THAT(report.out, HasSubstr("+ - Exploratory, added on 2026-11-30 after the start"));
  auto json = Run({"trial", "report", "--json"}, "2026-11-30");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["secondaries"].size(), 3u);
}

// Issue 16: the run-in. A cramp trial starts with 14 nights of counting, no magnesium; the pairs
// begin the day after, and the report shows those nights as the baseline.
TEST_F(JournalCliTest, AGoodRunInThenThePairs) {
  auto dry = Run({"trial", "plan", "--outcome", "cramps", "--profile", ProfilePath(), "--start",
                  "2026-11-02", "--seed", "3", "--dry-run"},
                 "2026-11-02");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("140 days in all, 2026-11-02 to 2027-03-21: a 14-day run-in, "
                                 "then the pairs."));
  EXPECT_THAT(dry.out, HasSubstr("Run-in: 2026-11-02 to 2026-11-15: no magnesium"));
  auto dry_json =
      nlohmann::json::parse(Run({"trial", "plan", "--outcome", "cramps", "--profile", ProfilePath(),
                                 "--start", "2026-11-02", "--seed", "3", "--dry-run", "--json"},
                                "2026-11-02")
                                .out);
  EXPECT_EQ(dry_json["run_in_days"], 14);
  EXPECT_EQ(dry_json["run_in_start"], "2026-11-02");
  EXPECT_EQ(dry_json["start"], "2026-11-16");
  EXPECT_EQ(dry_json["periods"][0]["run_in"], true);
  EXPECT_EQ(dry_json["periods"][1]["start"], "2026-11-16");

  ASSERT_EQ(Run({"trial", "plan", "--outcome", "cramps", "--profile", ProfilePath(), "--start",
                 "2026-11-02", "--seed", "3"},
                "2026-11-02")
                .exit_code,
            0);
  auto protocol = Run({"trial", "protocol"}, "2026-11-02");
  EXPECT_THAT(protocol.out, HasSubstr("Protocol version 3 (mgadvisor)."));
  EXPECT_THAT(protocol.out, HasSubstr("- Run-in: 14 days, 2026-11-02 to 2026-11-15"));
  LogDays("cramps", "2026-11-02", 2, "2", "2026-11-04");
  auto status = Run({"trial", "status"}, "2026-11-04");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("2026-11-04: run-in day 3 of 14 (ends 2026-11-15); the pairs "
                                    "start on 2026-11-16."));
  EXPECT_THAT(status.out, HasSubstr("- Rate your leg cramps per night today: mgadvisor log "
                                    "symptom cramps ..."));
  EXPECT_THAT(status.out, HasSubstr("2 of the run-in's 14 ratings are logged"));
  auto took = Run({"trial", "took"}, "2026-11-04");
  EXPECT_EQ(took.exit_code, 2);
  EXPECT_THAT(took.err, HasSubstr("today, 2026-11-04 is a run-in day of the trial"));
  // A dose logged anyway is recorded, and the day's status calls it a deviation.
  ASSERT_EQ(Run({"log", "dose", "--mg", "100"}, "2026-11-04").exit_code, 0);
  EXPECT_THAT(Run({"trial", "status"}, "2026-11-04").out, HasSubstr("protocol deviation"));
  LogDays("cramps", "2026-11-04", 12, "3", "2026-11-15");

  auto pairs = nlohmann::json::parse(Run({"trial", "status", "--json"}, "2026-11-16").out);
  EXPECT_EQ(pairs["phase"], "running");
  EXPECT_EQ(pairs["pair"], 1);
  EXPECT_EQ(pairs["day"], 1);
  EXPECT_EQ(pairs["run_in"]["result"], "passed");
  auto report = Run({"trial", "report"}, "2026-11-16");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Run-in 2026-11-02 to 2026-11-15 (14 days, no magnesium): 14 "
                                    "of 14 ratings logged.\n"));
  EXPECT_THAT(report.out, HasSubstr("  run-in  2026-11-02  no magnesium  14 ratings  2.86  "
                                    "(baseline, not in the estimate)"));
  EXPECT_THAT(report.out, HasSubstr("Deviation: A dose was logged on 1 of the 14 run-in days"));
  auto ics = Run({"trial", "calendar", "--format", "ics"}, "2026-11-16");
  ASSERT_EQ(ics.exit_code, 0) << ics.err;
  EXPECT_THAT(ics.out, HasSubstr("SUMMARY:Trial (cramps)\\, run-in: no magnesium"));
  EXPECT_THAT(ics.out, HasSubstr("DTSTART;VALUE=DATE:20261102"));
}

// A two-dose trial (issue 16): each pair compares a lower dose with the plan's dose (200 mg a
// day for this profile). The rule refuses a lower dose that is not above 0 and below the plan's,
// naming the flag and the value; the run-in stays without magnesium; each period's days say and
// log its own dose; protocol version 4; the report compares the two doses.
TEST_F(JournalCliTest, ATwoDoseTrialComparesThePlanDoseWithALowerDose) {
  const std::string profile = ProfilePath();
  auto at_plan = Run({"trial", "plan", "--outcome", "pain", "--profile", profile, "--lower-dose",
                      "200", "--dry-run"});
  EXPECT_EQ(at_plan.exit_code, 2);
  EXPECT_THAT(at_plan.err,
              HasSubstr("--lower-dose: 200 mg is not below the plan's dose of 200 mg a day"));
  auto zero = Run({"trial", "plan", "--outcome", "pain", "--profile", profile, "--lower-dose", "0",
                   "--dry-run"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("--lower-dose: 0 mg is not a dose"));
  // --dose lowers the plan's dose; the lower dose must then be below that.
  auto below_dose = Run({"trial", "plan", "--outcome", "pain", "--profile", profile, "--dose",
                         "150", "--lower-dose", "150", "--dry-run"});
  EXPECT_EQ(below_dose.exit_code, 2);
  EXPECT_THAT(below_dose.err,
              HasSubstr("--lower-dose: 150 mg is not below the plan's dose of 150"));
  // Blinded: one dose in each container (the helper's sheet is written by a real start).
  auto blind = Run({"trial", "plan", "--outcome", "pain", "--profile", profile, "--lower-dose",
                    "100", "--blind", "--dry-run"});
  ASSERT_EQ(blind.exit_code, 0) << blind.err;
  EXPECT_THAT(blind.out, HasSubstr("Blinded: a helper put one dose in each of two identical "
                                   "containers"));

  auto planned = Run({"trial", "plan", "--outcome", "pain", "--profile", profile, "--lower-dose",
                      "100", "--start", "2026-11-02", "--seed", "7"},
                     "2026-11-02");
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  EXPECT_THAT(planned.out, HasSubstr("Lower-dose periods: 100 mg a day. Both are magnesium"));
  EXPECT_THAT(planned.out, HasSubstr("2026-11-09 to 2026-11-22  plan dose, 200 mg"));
  EXPECT_THAT(planned.out, HasSubstr("2026-11-23 to 2026-12-06  lower dose, 100 mg"));
  auto protocol = Run({"trial", "protocol"}, "2026-11-02");
  EXPECT_THAT(protocol.out, HasSubstr("Protocol version 4 (mgadvisor)."));
  EXPECT_THAT(protocol.out, HasSubstr("more than 100 mg of elemental magnesium a day"));
  EXPECT_THAT(Run({"trial", "status"}, "2026-11-02").out, HasSubstr("take no magnesium"));
  LogDays("pain", "2026-11-02", 7, "5", "2026-11-08");

  auto plan_day = nlohmann::json::parse(Run({"trial", "status", "--json"}, "2026-11-09").out);
  EXPECT_EQ(plan_day["arm"], "plan_dose");
  EXPECT_EQ(plan_day["dose_mg"], 200);
  EXPECT_EQ(plan_day["magnesium"], true);
  ASSERT_EQ(Run({"trial", "took"}, "2026-11-09").exit_code, 0);
  auto lower_day = Run({"trial", "status"}, "2026-11-23");
  EXPECT_THAT(lower_day.out, HasSubstr("Lower-dose day: take 100 mg citrate (this period's dose)"));
  auto took = Run({"trial", "took", "--json"}, "2026-11-23");
  ASSERT_EQ(took.exit_code, 0) << took.err;
  EXPECT_THAT(took.out, HasSubstr("100"));
  EXPECT_EQ(nlohmann::json::parse(Run({"trial", "status", "--json"}, "2026-11-23").out)["arm"],
            "lower_dose");
  auto report = Run({"trial", "report"}, "2026-11-23");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("n-of-1 trial report: plan dose (200 mg) vs lower dose (100 "
                                    "mg) of magnesium for pain"));
  EXPECT_THAT(report.out, HasSubstr("a dose near 200 mg logged on 1 of 14 plan-dose days and near "
                                    "100 mg on 1 of 1 lower-dose days"));
  auto ics = Run({"trial", "calendar", "--format", "ics"}, "2026-11-23");
  ASSERT_EQ(ics.exit_code, 0) << ics.err;
  EXPECT_THAT(ics.out, HasSubstr("lower dose\\, magnesium"));
  EXPECT_THAT(ics.out, HasSubstr("pair 1: plan dose\\, magnesium"));
  EXPECT_THAT(ics.out, Not(HasSubstr("pair 1: no magnesium")));
}

// Too few ratings in the run-in: the trial does not go on, says why and how to start again.
TEST_F(JournalCliTest, AnIncompleteRunInStopsTheTrial) {
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--start",
                 "2026-11-16", "--seed", "2"},
                "2026-11-16")
                .exit_code,
            0);
  LogDays("pain", "2026-11-16", 3, "6");  // 3 of 7; 4 are needed.
  auto status = Run({"trial", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("- The trial stopped after its run-in (2026-11-16 to "
                                    "2026-11-22): 3 of its 7 expected ratings of your pain "
                                    "(NRS 0-10) were logged, and at least 4 are needed"));
  EXPECT_THAT(status.out, HasSubstr("clinician"));
  EXPECT_THAT(status.out, HasSubstr(": mgadvisor trial plan --outcome pain --replace\n"));
  auto json = nlohmann::json::parse(Run({"trial", "status", "--json"}).out);
  EXPECT_EQ(json["phase"], "stopped");
  EXPECT_EQ(json["run_in"]["result"], "too_few_ratings");
  EXPECT_THAT(json["todo"].dump(), Not(HasSubstr("mgadvisor")));
  auto took = Run({"trial", "took"});
  EXPECT_EQ(took.exit_code, 2);
  EXPECT_THAT(took.err, HasSubstr("The trial stopped after its run-in"));
  auto report = Run({"trial", "report", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto r = nlohmann::json::parse(report.out);
  EXPECT_EQ(r["verdict"], "not_enough_data");
  EXPECT_THAT(r["conclusion"].get<std::string>(),
              HasSubstr("No verdict. The trial stopped after its run-in"));
  EXPECT_EQ(r["run_in"]["rated"], 3);
  // Starting again needs --replace, as for any trial that has not reached its end.
  auto again = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("--replace"));
  auto replaced =
      Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--replace"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_THAT(replaced.out, HasSubstr("This replaces the trial that started on 2026-11-16."));
  EXPECT_EQ(nlohmann::json::parse(Run({"trial", "status", "--json"}).out)["phase"], "run_in");
}

// Fourteen nights without a cramp: a trial could not show fewer, so it stops.
TEST_F(JournalCliTest, ACrampRunInWithoutCrampsStopsTheTrial) {
  ASSERT_EQ(Run({"trial", "plan", "--outcome", "cramps", "--profile", ProfilePath(), "--start",
                 "2026-11-09", "--seed", "2"},
                "2026-11-09")
                .exit_code,
            0);
  LogDays("cramps", "2026-11-09", 14, "0");
  auto status = Run({"trial", "status"});
  EXPECT_THAT(status.out, HasSubstr("every one of the 14 ratings of leg cramps per night was 0, so "
                                    "there was nothing for magnesium to improve"));
  auto report = nlohmann::json::parse(Run({"trial", "report", "--json"}).out);
  EXPECT_EQ(report["verdict"], "not_enough_data");
  EXPECT_EQ(report["run_in"]["result"], "nothing_to_improve");
}

// --run-in-done: only when the journal's last days hold the run-in.
TEST_F(JournalCliTest, ARunInAlreadyInTheJournalIsAcceptedOnlyWhenItIsOne) {
  LogDays("pain", "2026-11-16", 3, "5");
  auto refused =
      Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(), "--run-in-done"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--run-in-done: the journal's last 7 days (2026-11-16 to "
                                     "2026-11-22) are not a run-in: 3 of 7 expected ratings"));
  auto dated = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(),
                    "--run-in-done", "--start", "2026-11-30"});
  EXPECT_EQ(dated.exit_code, 2);
  EXPECT_THAT(dated.err, HasSubstr("--run-in-done: the run-in is the days just before today"));
  LogDays("pain", "2026-11-19", 4, "5");
  auto plan = Run({"trial", "plan", "--outcome", "pain", "--profile", ProfilePath(),
                   "--run-in-done", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(nlohmann::json::parse(plan.out)["start"], "2026-11-23");
  auto status = nlohmann::json::parse(Run({"trial", "status", "--json"}).out);
  EXPECT_EQ(status["phase"], "running");
  EXPECT_EQ(status["run_in"]["rated"], 7);
}

// Issue 16: a migraine attack logged with its times (past midnight: one entry, the next day's
// end), a day without migraine, clear refusals naming the flag and value, the round trip through
// JSON and CSV exports, and migraine days as a trial's outcome.
TEST_F(JournalCliTest, MigraineAttacksAreLoggedExportedAndATrialOutcome) {
  auto attack = Run({"log", "migraine", "--severity", "7", "--start", "22:30", "--end", "06:10",
                     "--medicine", "sumatriptan 50 mg", "--date", "2026-11-21"});
  ASSERT_EQ(attack.exit_code, 0) << attack.err;
  EXPECT_THAT(attack.out,
              HasSubstr("Logged migraine, worst 7, from 22:30 for 7 h 40 min (to 06:10 the next "
                        "day), medicine: sumatriptan 50 mg on 2026-11-21"));
  auto hours = Run(
      {"log", "migraine", "--severity", "4", "--hours", "3.5", "--json", "--date", "yesterday"});
  ASSERT_EQ(hours.exit_code, 0) << hours.err;
  const auto by_hours = nlohmann::json::parse(hours.out);
  EXPECT_EQ(by_hours["kind"], "migraine");
  EXPECT_EQ(by_hours["measures"], nlohmann::json({{"duration_minutes", 210}}));
  EXPECT_FALSE(by_hours.contains("label"));
  auto none = Run({"log", "migraine", "none"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_THAT(none.out, HasSubstr("Logged migraine: none (a day without migraine) on 2026-11-23"));
  auto stress = Run({"log", "symptom", "stress", "6"});
  ASSERT_EQ(stress.exit_code, 0) << stress.err;
  EXPECT_THAT(stress.out, HasSubstr("Logged stress 6 on 2026-11-23"));
  auto json = nlohmann::json::parse(Run({"journal", "show", "--json", "--kind", "migraine"}).out);
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["measures"],
            nlohmann::json({{"duration_minutes", 460}, {"start_minute", 1350}}));
  EXPECT_EQ(json[0]["label"], "sumatriptan 50 mg");
  EXPECT_EQ(json[2]["value"], 0);

  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"log", "migraine"}, "--severity: give the attack's worst severity, 1-10"},
      {{"log", "migraine", "--severity", "11"}, "--severity: 11 is out of range 0-10"},
      {{"log", "migraine", "--severity", "6.5"}, "--severity: 6.5 is not a whole number"},
      {{"log", "migraine", "--severity", "5", "--start", "25:00"},
       "--start: \"25:00\" is not a time of day (HH:MM, 00:00-23:59)"},
      {{"log", "migraine", "--severity", "5", "--start", "6.30"},
       "--start: \"6.30\" is not a time of day"},
      {{"log", "migraine", "--severity", "5", "--end", "10:00"}, "--end: needs --start"},
      {{"log", "migraine", "--severity", "5", "--start", "10:00", "--end", "10:00"},
       "--end: 10:00 is the same time as --start; for an attack of a whole day give --hours 24"},
      {{"log", "migraine", "--severity", "5", "--start", "10:00", "--end", "11:00", "--hours", "1"},
       "--hours: give --end or --hours, not both"},
      {{"log", "migraine", "--severity", "5", "--hours", "200"},
       "--hours: 200 is not a duration from one minute to a week (168 hours)"},
      {{"log", "migraine", "none", "--severity", "3"},
       "--severity: not used with `none` (a day without migraine)"},
      {{"log", "migraine", "never"}, "none: \"never\" is not understood"},
      {{"log", "migraine", "--severity", "0", "--medicine", "ibuprofen"},
       "--medicine: a day without migraine (severity 0) has no acute medicine"},
      {{"log", "migraine", "--severity", "0", "--start", "08:00"},
       "--start: not used on a day without migraine (severity 0)"},
      {{"log", "symptom", "stress", "12"}, "stress: 12 is out of range 0-10"},
      {{"log", "symptom", "mood", "3"},
       "use irls, cramps, pain, sleep, sleep-minutes or stress (a migraine attack: mgadvisor log "
       "migraine)"},
  };
  for (const auto& c : cases) {
    auto r = Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  EXPECT_EQ(nlohmann::json::parse(Run({"journal", "show", "--json"}).out).size(), 4u);

  // Both export formats carry the attack, the migraine-free day and the stress rating back.
  for (std::string format : {"json", "csv", "fhir"}) {
    auto exported = Run({"journal", "export", "--format", format});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    if (format == "csv") {
      EXPECT_THAT(exported.out, HasSubstr(",2026-11-21,migraine,sumatriptan 50 mg,,7,,,,"
                                          "duration_minutes=460 start_minute=1350\n"));
    }
    const auto file = dir_ / ("export." + format);
    std::ofstream(file) << exported.out;
    const std::string copy = "copy-" + format + ".db";
    auto imported = Run({"journal", "import", file.string()}, "2026-11-23", copy);
    ASSERT_EQ(imported.exit_code, 0) << format << ": " << imported.err;
    EXPECT_EQ(Run({"journal", "export", "--format", format}, "2026-11-23", copy).out, exported.out)
        << format;
  }

  auto plan = Run({"trial", "plan", "--outcome", "migraine_days", "--profile", ProfilePath(),
                   "--start", "2026-11-23", "--seed", "5"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("migraine days per 28 days"));
  auto status = Run({"trial", "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(nlohmann::json::parse(status.out)["rating_logged"], true);  // Today's "none".
  status = Run({"trial", "status"}, "2026-11-24");
  EXPECT_THAT(status.out,
              HasSubstr("- Log today's migraine (an attack that started today, or none): mgadvisor "
                        "log migraine --severity WORST --start HH:MM --end HH:MM (or: mgadvisor "
                        "log migraine none)\n"));
}

}  // namespace
}  // namespace mg
