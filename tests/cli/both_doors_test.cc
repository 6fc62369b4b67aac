// Every operation through both doors: the real `mgadvisor` binary with --json, and the real
// server (`mgadvisor serve`) over loopback HTTP, each on its own journal with the same "today".
// Both doors call one implementation (src/ops), so for the same input they must give the same
// result — and the same error code when the input is refused. The rows run in order and each
// door's journal goes through the same history, so ids and trial orders agree too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/error.h"
#include "src/ops/apple_health_test_export.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kToday = "2026-11-23";

// For whom the plan offers magnesium as a trial (thin evidence, no safety rule in the way).
const json kProfile = {{"age", 61}, {"sex", "female"}, {"complaints", {"RLS", "chronic pain"}}};

// A page for the claim checker: a true sentence, an overstated one, a wrong mechanism and a dose
// above the upper limit, in Markdown.
constexpr const char* kPage =
    "# Magnesium\n\nMagnesium is involved in more than 300 enzymatic reactions. It relieves "
    "restless legs.\n\n- Magnesium reduces the brain's production of NMDA.\n- Take 900 mg a "
    "day.\n";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json Without(json j, std::initializer_list<const char*> keys) {
  for (const char* key : keys) j.erase(key);
  return j;
}

// One operation: the CLI's arguments and the HTTP request that must agree, and how each side's
// JSON becomes the operation's result (some routes wrap it, e.g. {"entry": ...}).
struct Row {
  std::string name;
  std::vector<std::string> cli;
  bool journal = false;  // The CLI command takes --db.
  std::string method;
  std::string path;
  json body = nullptr;
  std::string raw_body = {};  // Sent as is (application/xml) instead of `body`, when set.
  // nullopt: success expected; otherwise the error code both must give.
  std::optional<ErrorCode> error = std::nullopt;
  std::function<json(const json&)> from_cli = [](const json& j) { return j; };
  std::function<json(const json&)> from_http = [](const json& j) { return j; };
};

class BothDoorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mg_both_doors_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "profile.json") << kProfile.dump();
    fs::copy_file(fs::path(MG_SOURCE_DIR) / "src/foods/testdata/diary_basic.csv",
                  dir_ / "diary.csv");
    const json snapshot = {
        {"format", "mgadvisor-journal"},
        {"version", 1},
        {"profile", nullptr},
        {"entries", {{{"id", 1}, {"date", "2026-11-20"}, {"kind", "sleep"}, {"value", 6}}}},
        {"trials", json::array()}};
    std::ofstream(dir_ / "export.json") << snapshot.dump();
    json bad = snapshot;
    bad["entries"] = json::array();
    bad["profile"] = json({{"age", 30}, {"sex", "female"}, {"complaints", {"zzzq"}}}).dump();
    std::ofstream(dir_ / "bad-export.json") << bad.dump();
    std::ofstream(dir_ / "page.md") << kPage;
    fs::copy_file(
        fs::path(MG_SOURCE_DIR) / "src/products/testdata/labels/us_sf_glycinate_2caps.txt",
        dir_ / "label.txt");
    fs::copy_file(fs::path(MG_SOURCE_DIR) / "src/products/testdata/labels/bad_unit.txt",
                  dir_ / "bad-label.txt");
    std::ofstream(dir_ / "blank-page.txt") << " \n\t\n";
    std::ofstream(dir_ / "export.xml") << testing::AppleHealthExport();

    server_ = testing::StartCli(
        {"serve", "--port", "0", "--json", "--db", (dir_ / "server.db").string()}, Env());
    const auto line = server_->ReadLine(60s);
    ASSERT_TRUE(line.has_value()) << server_->Wait(20s).err;
    port_ = json::parse(*line).at("port");
  }

  void TearDown() override {
    if (server_) {
      server_->Signal(SIGTERM);
      server_->Wait(20s);
    }
    fs::remove_all(dir_);
  }

  std::vector<std::string> Env() const {
    return {"XDG_DATA_HOME=" + (dir_ / "data").string(), std::string("MGADVISOR_TODAY=") + kToday};
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // The CLI's JSON (stdout, or the error on stderr) and exit code.
  std::pair<int, json> RunCliRow(const Row& row) {
    std::vector<std::string> args = row.cli;
    args.push_back("--json");
    if (row.journal) {
      args.push_back("--db");
      args.push_back(Path("cli.db"));
    }
    const auto r = testing::RunCli(args, "", Env());
    const std::string& text = r.exit_code == 0 ? r.out : r.err;
    json parsed = json::parse(text, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << row.name << ": the CLI printed no JSON:\n" << text;
    return {r.exit_code, parsed};
  }

  std::pair<int, json> RunHttpRow(const Row& row) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    const std::string body = !row.raw_body.empty() ? row.raw_body
                             : row.body.is_null()  ? ""
                                                   : row.body.dump();
    const char* type = row.raw_body.empty() ? "application/json" : "application/xml";
    httplib::Result res = row.method == "GET"      ? client.Get(row.path)
                          : row.method == "PUT"    ? client.Put(row.path, body, type)
                          : row.method == "PATCH"  ? client.Patch(row.path, body, type)
                          : row.method == "DELETE" ? client.Delete(row.path)
                                                   : client.Post(row.path, body, type);
    EXPECT_TRUE(res) << row.name << ": no HTTP response";
    if (!res) return {0, nullptr};
    json parsed = json::parse(res->body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << row.name << ": " << res->body;
    return {res->status, parsed};
  }

  fs::path dir_;
  std::unique_ptr<testing::CliProcess> server_;
  int port_ = 0;
};

TEST_F(BothDoorsTest, EveryOperationGivesTheSameResultThroughTheCliAndTheServer) {
  ASSERT_GT(port_, 0);
  const std::string diary_path = Path("diary.csv");
  std::ifstream diary_file(diary_path);
  const std::string diary((std::istreambuf_iterator<char>(diary_file)), {});
  // The CLI names the diary by its path; the server's body has no path, so it says "diary".
  const auto diary_named = [diary_path](const json& j) {
    std::string text = j.dump();
    for (size_t at; (at = text.find(diary_path)) != std::string::npos;) {
      text.replace(at, diary_path.size(), "diary");
    }
    return json::parse(text);
  };
  // The CLI names the export by its path, the server "body".
  const auto apple_named = [this](const json& j) {
    std::string text = j.dump();
    const std::string path = Path("export.xml");
    for (size_t at; (at = text.find(path)) != std::string::npos;)
      text.replace(at, path.size(), "body");
    return json::parse(text);
  };
  // `trial plan --json` prints the design at the top level (as it always has) with the rest
  // beside it; the server wraps the design in "trial".
  const auto started = [](const json& j) {
    return json{{"trial", Without(j, {"calendar", "periods", "replaced", "saved", "protocol_sha256",
                                      "helper_sheet"})},
                {"calendar", j.at("calendar")},
                {"periods", j.at("periods")},
                {"replaced", j.at("replaced")},
                {"saved", j.at("saved")},
                {"protocol_sha256", j.at("protocol_sha256")},
                {"helper_sheet", j.at("helper_sheet")}};
  };
  const auto field = [](const char* key) { return [key](const json& j) { return j.at(key); }; };

  const std::string label_text = ReadAll(Path("label.txt"));
  json with_product = kProfile;
  with_product["product"] = {{"label", label_text},
                             {"name", "Brightleaf glycinate"},
                             {"price", "12.00 GBP"},
                             {"units_per_pack", 120}};
  const std::vector<Row> rows = {
      {.name = "compounds", .cli = {"compounds"}, .method = "GET", .path = "/api/compounds"},
      {.name = "elemental",
       .cli = {"elemental", "citrate", "1g"},
       .method = "POST",
       .path = "/api/elemental",
       .body = {{"compound", "citrate"}, {"amount", "1g"}}},
      {.name = "elemental from the magnesium wanted",
       .cli = {"elemental", "glycinate", "--elemental", "200mg"},
       .method = "POST",
       .path = "/api/elemental",
       .body = {{"compound", "glycinate"}, {"elemental", "200mg"}}},
      {.name = "elemental of an unknown compound",
       .cli = {"elemental", "unobtainium", "1g"},
       .method = "POST",
       .path = "/api/elemental",
       .body = {{"compound", "unobtainium"}, {"amount", "1g"}},
       .error = ErrorCode::kNotFound},
      {.name = "person",
       .cli = {"dri", "--age", "34", "--sex", "female", "--pregnant"},
       .method = "GET",
       .path = "/api/dri?age=34&sex=female&pregnant=true"},
      {.name = "person without a reference row",
       .cli = {"dri", "--age", "55", "--sex", "female", "--pregnant"},
       .method = "GET",
       .path = "/api/dri?age=55&sex=female&pregnant=true",
       .error = ErrorCode::kNotFound},
      {.name = "explain a diagnosis",
       .cli = {"explain", "myasthenia gravis"},
       .method = "GET",
       .path = "/api/explain/myasthenia%20gravis"},
      {.name = "explain a claim that names no entry",
       .cli = {"explain", "magnesium oil is readily absorbed through the skin"},
       .method = "GET",
       .path = "/api/explain/magnesium%20oil%20is%20readily%20absorbed%20through%20the%20skin"},
      {.name = "explain text that is neither a name nor a claim",
       .cli = {"explain", "zzzq"},
       .method = "GET",
       .path = "/api/explain/zzzq",
       .error = ErrorCode::kNotFound},
      {.name = "check a page",
       .cli = {"check", Path("page.md")},
       .method = "POST",
       .path = "/api/check",
       .body = {{"text", kPage}}},
      {.name = "check a blank page",
       .cli = {"check", Path("blank-page.txt")},
       .method = "POST",
       .path = "/api/check",
       .body = {{"text", " \n\t\n"}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "knowledge-base list",
       .cli = {"kb", "list", "red-flags"},
       .method = "GET",
       .path = "/api/kb/red-flags"},
      {.name = "food search",
       .cli = {"foods", "search", "pumpkin seeds", "--limit", "3"},
       .method = "GET",
       .path = "/api/foods/search?q=pumpkin%20seeds&limit=3"},
      {.name = "plan for a profile",
       .cli = {"plan", "--profile", Path("profile.json")},
       .method = "POST",
       .path = "/api/plan",
       .body = kProfile},
      {.name = "plan in the person's product, with its price",
       .cli = {"plan", "--profile", Path("profile.json"), "--product", Path("label.txt"),
               "--product-name", "Brightleaf glycinate", "--price", "12.00 GBP", "--pack", "120"},
       .method = "POST",
       .path = "/api/plan",
       .body = with_product},
      {.name = "read a label",
       .cli = {"label", Path("label.txt")},
       .method = "POST",
       .path = "/api/label",
       .body = {{"text", label_text}}},
      {.name = "read text that is not a label",
       .cli = {"label", Path("bad-label.txt")},
       .method = "POST",
       .path = "/api/label",
       .body = {{"text", ReadAll(Path("bad-label.txt"))}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "diary analysis",
       .cli = {"intake", diary_path, "--age", "45", "--sex", "female", "--exclude", "vegan"},
       .method = "POST",
       .path = "/api/intake/analyze",
       .body = {{"diary", diary}, {"age", 45}, {"sex", "female"}, {"exclude", {"vegan"}}},
       .from_cli = diary_named},
      {.name = "import a journal",
       .cli = {"journal", "import", Path("export.json")},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/import",
       .body = json::parse(std::ifstream(Path("export.json")))},
      {.name = "import a profile that does not resolve",
       .cli = {"journal", "import", Path("bad-export.json")},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/import",
       .body = json::parse(std::ifstream(Path("bad-export.json"))),
       .error = ErrorCode::kInvalidArgument},
      {.name = "a trial without a stored profile",
       .cli = {"trial", "plan", "--outcome", "pain", "--seed", "7"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "pain"}, {"seed", 7}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "store the profile",
       .cli = {"profile", "set", Path("profile.json")},
       .journal = true,
       .method = "PUT",
       .path = "/api/profile",
       .body = kProfile},
      {.name = "plan for the stored profile",
       .cli = {"plan", "--stored"},
       .journal = true,
       .method = "POST",
       .path = "/api/plan",
       .body = kProfile},
      {.name = "log an entry",
       .cli = {"log", "symptom", "pain", "4"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/entries",
       .body = {{"kind", "pain"}, {"value", 4}},
       .from_http = field("entry")},
      {.name = "log a migraine attack",
       .cli = {"log", "migraine", "--severity", "7", "--start", "06:30", "--hours", "3.5",
               "--medicine", "ibuprofen 400 mg"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/entries",
       .body = {{"kind", "migraine"},
                {"value", 7},
                {"label", "ibuprofen 400 mg"},
                {"measures", {{"start_minute", 390}, {"duration_minutes", 210}}}},
       .from_http = field("entry")},
      {.name = "log a day without migraine",
       .cli = {"log", "migraine", "none"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/entries",
       .body = {{"kind", "migraine"}, {"value", 0}},
       .from_http = field("entry")},
      {.name = "log a migraine attack's severity out of range",
       .cli = {"log", "migraine", "--severity", "11"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/entries",
       .body = {{"kind", "migraine"}, {"value", 11}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "log stress",
       .cli = {"log", "symptom", "stress", "6"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/entries",
       .body = {{"kind", "stress"}, {"value", 6}},
       .from_http = field("entry")},
      {.name = "log a food by id and grams",
       .cli = {"log", "food", "sr28:11457", "30", "g"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/foods",
       .body = {{"food", "sr28:11457"}, {"grams", 30}},
       .from_http = field("entry")},
      {.name = "log a food by name and portions",
       .cli = {"log", "food", "raw spinach", "2", "portions"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/foods",
       .body = {{"food", "raw spinach"}, {"portions", 2}},
       .from_http = field("entry")},
      {.name = "log an antacid by name and amount",
       .cli = {"log", "supplement", "milk of magnesia", "30", "mL"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/taken",
       .body = {{"name", "milk of magnesia"}, {"amount", "30 mL"}}},
      {.name = "log a dose as the salt's mass",
       .cli = {"log", "dose", "--form", "oxide", "--amount", "400 mg compound"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/taken",
       .body = {{"kind", "dose"}, {"name", "oxide"}, {"amount", "400 mg compound"}}},
      {.name = "log units of a product the catalogue does not know",
       .cli = {"log", "supplement", "Super Mag Complex", "2", "caps"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/taken",
       .body = {{"name", "Super Mag Complex"}, {"amount", "2 caps"}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "list entries",
       .cli = {"journal", "show"},
       .journal = true,
       .method = "GET",
       .path = "/api/journal/entries",
       .from_http = field("entries")},
      {.name = "a page of entries, back from the newest",
       .cli = {"journal", "show", "--limit", "2", "--offset", "1"},
       .journal = true,
       .method = "GET",
       .path = "/api/journal/entries?limit=2&offset=1",
       .from_http = field("entries")},
      {.name = "correct an entry",
       .cli = {"journal", "edit", "1", "--value", "7", "--note", "typo"},
       .journal = true,
       .method = "PATCH",
       .path = "/api/journal/entries/1",
       .body = {{"value", 7}, {"note", "typo"}}},
      {.name = "a correction out of range",
       .cli = {"journal", "edit", "1", "--value", "12"},
       .journal = true,
       .method = "PATCH",
       .path = "/api/journal/entries/1",
       .body = {{"value", 12}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "undo the correction",
       .cli = {"journal", "undo"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/undo"},
      {.name = "delete an entry (confirmed)",
       .cli = {"journal", "delete", "2", "--yes"},
       .journal = true,
       .method = "DELETE",
       .path = "/api/journal/entries/2"},
      {.name = "undo the delete",
       .cli = {"journal", "undo"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/undo"},
      {.name = "the day's foods",
       .cli = {"journal", "foods", "--date", kToday},
       .journal = true,
       .method = "GET",
       .path = "/api/journal/foods?date=2026-11-23"},
      {.name = "intake for a date range",
       .cli = {"journal", "intake", "--from", "2026-11-20", "--to", kToday},
       .journal = true,
       .method = "GET",
       .path = "/api/intake?from=2026-11-20&to=2026-11-23"},
      {.name = "a diary imported into the journal (dry run, then for real)",
       .cli = {"journal", "import-diary", diary_path, "--dry-run"},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/diary",
       .body = {{"diary", diary}, {"dry_run", true}},
       .from_cli = diary_named},
      {.name = "a diary imported into the journal",
       .cli = {"journal", "import-diary", diary_path},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/diary",
       .body = {{"diary", diary}},
       .from_cli = diary_named},
      {.name = "an Apple Health export imported into the journal",
       .cli = {"journal", "import", "--format", "apple-health", Path("export.xml")},
       .journal = true,
       .method = "POST",
       .path = "/api/journal/import?format=apple-health",
       .raw_body = testing::AppleHealthExport(),
       .from_cli = apple_named},
      // Two-dose trials (issue 16): the plan's dose for this profile is 200 mg a day; the lower
      // dose must be above 0 and below it, whichever door asks (trial::CheckLowerDose).
      {.name = "a lower dose at the plan's dose is refused",
       .cli = {"trial", "plan", "--outcome", "pain", "--seed", "7", "--lower-dose", "200",
               "--dry-run"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "pain"}, {"seed", 7}, {"lower_dose_mg", 200}, {"dry_run", true}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "a lower dose of 0 mg is refused",
       .cli = {"trial", "plan", "--outcome", "pain", "--seed", "7", "--lower-dose", "0",
               "--dry-run"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "pain"}, {"seed", 7}, {"lower_dose_mg", 0}, {"dry_run", true}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "a two-dose trial's dry run",
       .cli = {"trial", "plan", "--outcome", "pain", "--seed", "7", "--lower-dose", "100",
               "--dry-run"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "pain"}, {"seed", 7}, {"lower_dose_mg", 100}, {"dry_run", true}},
       .from_cli = started},
      {.name = "start a trial",
       .cli = {"trial", "plan", "--outcome", "pain", "--seed", "7"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "pain"}, {"seed", 7}},
       .from_cli = started},
      {.name = "a second trial does not silently replace the first",
       .cli = {"trial", "plan", "--outcome", "sleep", "--seed", "8"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "sleep"}, {"seed", 8}},
       .error = ErrorCode::kConflict},
      {.name = "a dry run shows the length and what it would replace",
       .cli = {"trial", "plan", "--outcome", "sleep", "--seed", "8", "--dry-run"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "sleep"}, {"seed", 8}, {"dry_run", true}},
       .from_cli = started},
      {.name = "replace the trial",
       .cli = {"trial", "plan", "--outcome", "sleep", "--seed", "8", "--replace"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials",
       .body = {{"outcome", "sleep"}, {"seed", 8}, {"replace", true}},
       .from_cli = started},
      {.name = "what is due today",
       .cli = {"trial", "status"},
       .journal = true,
       .method = "GET",
       .path = "/api/trials/current",
       .from_http = field("status")},
      {.name = "today is the first day of this trial's run-in: no trial dose to log",
       .cli = {"trial", "took"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials/current/dose",
       .body = json::object(),
       .error = ErrorCode::kConflict},
      {.name = "a guess belongs to a blinded trial",
       .cli = {"trial", "took", "--guess", "magnesium"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials/current/dose",
       .body = {{"guess", "magnesium"}},
       .error = ErrorCode::kInvalidArgument},
      {.name = "the protocol registered at the start",
       .cli = {"trial", "protocol"},
       .journal = true,
       .method = "GET",
       .path = "/api/trials/current/protocol"},
      {.name = "an open trial has nothing to unblind",
       .cli = {"trial", "unblind", "K7QX-M2TF-9RWC-H3PD"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials/current/unblind",
       .body = {{"key", "K7QX-M2TF-9RWC-H3PD"}},
       .error = ErrorCode::kConflict},
      {.name = "end the trial with a reason",
       .cli = {"trial", "end", "--reason", "a cold", "--yes"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials/current/end",
       .body = {{"reason", "a cold"}}},
      {.name = "end it again",
       .cli = {"trial", "end", "--yes"},
       .journal = true,
       .method = "POST",
       .path = "/api/trials/current/end",
       .error = ErrorCode::kConflict},
      {.name = "the trial's report",
       .cli = {"trial", "report"},
       .journal = true,
       .method = "GET",
       .path = "/api/trials/current/report",
       .from_cli = [](const json& j) { return Without(j, {"charts"}); },
       .from_http =
           [](const json& j) {
             return Without(j, {"timeline_svg", "intake_svg"});
           }},
      {.name = "export the journal",
       .cli = {"journal", "export"},
       .journal = true,
       .method = "GET",
       .path = "/api/journal/export",
       // The imported diary's and Apple Health export's entries name them in their notes.
       .from_cli = [&](const json& j) { return apple_named(diary_named(j)); }},
      {.name = "visit summary",
       .cli = {"summary", "--from", "2026-11-01"},
       .journal = true,
       .method = "GET",
       .path = "/api/summary?from=2026-11-01"},
      {.name = "visit summary of a period ending after today",
       .cli = {"summary", "--to", "2026-12-01"},
       .journal = true,
       .method = "GET",
       .path = "/api/summary?to=2026-12-01",
       .error = ErrorCode::kInvalidArgument},
  };

  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const auto [exit_code, cli] = RunCliRow(row);
    const auto [status, http] = RunHttpRow(row);
    if (row.error) {
      EXPECT_EQ(exit_code, ExitCodeFor(*row.error)) << cli.dump(2);
      EXPECT_EQ(status, HttpStatusFor(*row.error)) << http.dump(2);
      EXPECT_EQ(cli["error"]["code"], ErrorCodeName(*row.error)) << cli.dump(2);
      EXPECT_EQ(http["error"]["code"], ErrorCodeName(*row.error)) << http.dump(2);
      continue;
    }
    ASSERT_EQ(exit_code, 0) << cli.dump(2);
    ASSERT_LT(status, 300) << http.dump(2);
    EXPECT_EQ(row.from_cli(cli), row.from_http(http)) << "CLI:\n"
                                                      << row.from_cli(cli).dump(2) << "\nserver:\n"
                                                      << row.from_http(http).dump(2);
  }
}

// Calendars and the summary's Markdown are files, not JSON: the CLI's output and the server's
// body must be the same bytes (or the same error), for the same journal on the same day.
TEST_F(BothDoorsTest, FilesAreTheSameBytesThroughTheCliAndTheServer) {
  ASSERT_GT(port_, 0);
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--db", Path("cli.db")});
    return testing::RunCli(args, "", Env());
  };
  struct FileRow {
    std::string name;
    std::vector<std::string> cli;
    std::string path;
    std::optional<ErrorCode> error = std::nullopt;
  };
  const auto check = [&](const FileRow& row) {
    SCOPED_TRACE(row.name);
    const auto r = cli(row.cli);
    auto res = client.Get(row.path);
    ASSERT_TRUE(res);
    if (row.error) {
      EXPECT_EQ(r.exit_code, ExitCodeFor(*row.error)) << r.err;
      EXPECT_EQ(res->status, HttpStatusFor(*row.error)) << res->body;
      return;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_FALSE(r.out.empty());
    EXPECT_EQ(r.out, res->body);
  };
  check({"the doses without a stored profile",
         {"plan", "--stored", "--format", "ics"},
         "/api/calendar.ics?of=plan",
         ErrorCode::kInvalidArgument});
  check({"a trial calendar without a trial",
         {"trial", "calendar", "--format", "ics"},
         "/api/calendar.ics?of=trial",
         ErrorCode::kNotFound});

  ASSERT_EQ(cli({"profile", "set", Path("profile.json")}).exit_code, 0);
  ASSERT_EQ(cli({"trial", "plan", "--outcome", "pain", "--seed", "7"}).exit_code, 0);
  ASSERT_EQ(client.Put("/api/profile", kProfile.dump(), "application/json")->status, 200);
  ASSERT_EQ(
      client.Post("/api/trials", R"({"outcome": "pain", "seed": 7})", "application/json")->status,
      201);
  check({"the plan's doses", {"plan", "--stored", "--format", "ics"}, "/api/calendar.ics?of=plan"});
  check({"the trial's periods",
         {"trial", "calendar", "--format", "ics"},
         "/api/calendar.ics?of=trial"});
  check({"the visit summary in Markdown",
         {"summary", "--format", "markdown"},
         "/api/summary?format=markdown"});
  check({"the journal as a FHIR Bundle",
         {"journal", "export", "--format", "fhir"},
         "/api/journal/export?format=fhir"});
  check({"the entries as CSV",
         {"journal", "export", "--format", "csv"},
         "/api/journal/export?format=csv"});
  // The import route reads a FHIR Bundle (here refused all or nothing, as its trial is there).
  const auto bundle = cli({"journal", "export", "--format", "fhir"});
  auto imported = client.Post("/api/journal/import", bundle.out, "application/fhir+json");
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->status, 400);
  EXPECT_THAT(imported->body, ::testing::HasSubstr("already exists"));
  auto both = client.Get("/api/calendar.ics");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_TRUE(both->body.starts_with("BEGIN:VCALENDAR\r\n")) << both->body;
}

}  // namespace
}  // namespace mg
