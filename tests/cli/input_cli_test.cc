// Black-box tests of the input boundary (issue 11, findings 1, 4, 7 and 12) through the real
// binary: arguments and files that are not UTF-8, JSON that is too deep or holds an infinite
// number or a wrong type, and diary amounts that cannot be right. Each is exit 2 with a message
// naming where, and nothing is stored. A journal written before the boundary, holding bytes that
// are not UTF-8, still lists and exports (as U+FFFD) — also through `serve`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::CliResult;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class InputCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mg_input_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> Env() const {
    return {"XDG_DATA_HOME=" + (dir_ / "data").string(), "MGADVISOR_TODAY=2026-11-23"};
  }
  std::string Db() const { return (dir_ / "journal.db").string(); }
  CliResult Run(const std::vector<std::string>& args) { return testing::RunCli(args, "", Env()); }

  std::string Write(const std::string& name, const std::string& content) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  // The number of entries `journal show --json` lists.
  size_t EntryCount() {
    const CliResult shown = Run({"--json", "journal", "show", "--db", Db()});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    const json entries = json::parse(shown.out, nullptr, false);
    return entries.is_array() ? entries.size() : 0;
  }

  // stderr of a --json command must be one JSON error object; returns its message.
  static std::string JsonErrorMessage(const CliResult& result) {
    const json error = json::parse(result.err, nullptr, false);
    EXPECT_FALSE(error.is_discarded()) << result.err;
    if (error.is_discarded() || !error.contains("error")) return "";
    EXPECT_EQ(error["error"]["code"], "invalid_argument") << result.err;
    return error["error"]["message"].get<std::string>();
  }

  std::filesystem::path dir_;
};

// Finding 4: `log note $'caf\xe9'` stored Latin-1 bytes, after which export failed.
TEST_F(InputCliTest, ArgumentThatIsNotUtf8IsRefusedAndNothingIsStored) {
  ASSERT_EQ(Run({"log", "note", "first", "--db", Db()}).exit_code, 0);
  const CliResult result = Run({"log", "note", "caf\xE9", "--db", Db()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("argument 3 \"caf\\xE9\" (after \"note\"): byte offset 3 "
                                    "(0xE9) is not valid UTF-8"));
  EXPECT_EQ(EntryCount(), 1u);
  // The same text in UTF-8 is welcome.
  EXPECT_EQ(Run({"log", "note", "café", "--db", Db()}).exit_code, 0);
  EXPECT_EQ(EntryCount(), 2u);
}

// Finding 4: a --json command given a non-UTF-8 argument exited 1 (the JSON error could not be
// written); it is exit 2 with a JSON error on stderr.
TEST_F(InputCliTest, JsonCommandsAnswerBadArgumentsWithAJsonError) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--json", "foods", "search", "caf\xE9"},
           {"--json", "explain", "restless \xFF legs"},
           {"log", "--json", "note", "\xC0\xAF", "--db", Db()},
       }) {
    const CliResult result = Run(args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(JsonErrorMessage(result), HasSubstr("is not valid UTF-8"));
  }
  EXPECT_EQ(EntryCount(), 0u);
}

// Finding 4: a Latin-1 CSV journal import was stored as it was; it is refused, naming the line,
// the byte and the encoding it looks like, with the command that converts it.
TEST_F(InputCliTest, Latin1JournalImportIsRefusedWithTheWayToConvertIt) {
  const std::string file = Write("old.csv",
                                 "id,date,kind,label,magnesium_mg,value,intensity,irls_items,note\n"
                                 "1,2026-11-01,note,,,,,,caf\xE9 cr\xE8"
                                 "me\n");
  const CliResult result = Run({"journal", "import", file, "--db", Db()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(file + ":2:27: byte offset 90 (0xE9) is not valid UTF-8"));
  EXPECT_THAT(result.err, HasSubstr("Latin-1"));
  EXPECT_THAT(result.err, HasSubstr("iconv -f LATIN1 -t UTF-8"));
  EXPECT_EQ(EntryCount(), 0u);
}

// Finding 4: the same for a food diary (Windows-1252, told apart by its curly quotes).
TEST_F(InputCliTest, Windows1252DiaryIsRefused) {
  const std::string file = Write("diary.csv",
                                 "date,food,amount,unit\n2026-11-01,\x93"
                                 "almonds\x94,30,g\n");
  const CliResult result = Run({"intake", file, "--age", "45", "--sex", "female"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(file + ":2:12: byte offset 33 (0x93) is not valid UTF-8"));
  EXPECT_THAT(result.err, HasSubstr("iconv -f WINDOWS-1252 -t UTF-8"));
}

// Finding 7: a wrong JSON type in an import was an uncaught exception (exit 1).
TEST_F(InputCliTest, WrongJsonTypeInAnImportNamesTheField) {
  const std::string file = Write("wrong.json", R"({"format": 5, "version": 1})");
  const CliResult result = Run({"--json", "journal", "import", file, "--db", Db()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(JsonErrorMessage(result), HasSubstr("format: expected a string, got a number (5)"));
}

// Finding 12: "not valid JSON" gains a line and a column.
TEST_F(InputCliTest, BrokenJsonImportSaysWhere) {
  const std::string file =
      Write("broken.json",
            "{\"format\": \"mgadvisor-journal\",\n \"version\": 1,\n"
            " \"entries\": [{\"date\": \"2026-11-01\" \"kind\": \"pain\"}]}\n");
  const CliResult result = Run({"journal", "import", file, "--db", Db()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(file + ":3:41: not valid JSON in entries[0]"));
}

// Findings 1 and 7 for profiles: an infinite age and a 100,000-deep document are exit 2.
TEST_F(InputCliTest, ProfileJsonLimits) {
  const std::string infinite = Write("inf.json", R"({"age": 1e309, "sex": "female"})");
  CliResult result = Run({"plan", "--profile", infinite});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(infinite + ":1:13: age: \"1e309\" is too large a number"));

  const std::string deep = Write(
      "deep.json", "{\"age\": 40, \"sex\": \"female\", \"medicines\": " + std::string(100000, '[') +
                       std::string(100000, ']') + "}");
  result = Run({"plan", "--profile", deep});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("nested deeper than 64"));
  EXPECT_LT(result.err.size(), 400u);
}

// Finding 12: a negative amount was blamed on the unit; 1e300 g was accepted and printed with
// 300 digits. The amount is named, and the bound is stated.
TEST_F(InputCliTest, DiaryAmountsAreCheckedOnTheAmount) {
  const std::string negative =
      Write("negative.csv", "date,food,amount,unit\n2026-11-01,almonds,-30,g\n");
  CliResult result = Run({"intake", negative, "--age", "45", "--sex", "female"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr(negative + ":2: field 'amount': \"-30\" is not a positive amount"));
  EXPECT_THAT(result.err, Not(HasSubstr("'unit'")));

  const std::string huge = Write("huge.csv", "date,food,amount,unit\n2026-11-01,almonds,1e300,g\n");
  result = Run({"intake", huge, "--age", "45", "--sex", "female"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr(huge + ":2: field 'amount': \"1e+300 g\" is more than 5000 g "
                                           "(5 kg) of one food"));
  EXPECT_LT(result.err.size(), 300u);

  const std::string pills =
      Write("pills.json", R"({"entries": [{"date": "2026-11-01", "supplement": "magnesium citrate",
                              "amount": 1e6, "unit": "mg elemental"}]})");
  result = Run({"intake", pills, "--age", "45", "--sex", "female"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("entries[0]: field 'amount': \"1000000 mg elemental\" is "
                                    "more than 5000 mg of magnesium"));
}

// Finding 4: a journal from before the boundary, holding Latin-1 bytes, still lists and exports
// — bad bytes shown as U+FFFD — in the CLI and through `serve` (GET /api/journal/entries was a
// 500).
TEST_F(InputCliTest, OldJournalWithBadBytesStillListsAndExports) {
  ASSERT_EQ(Run({"log", "note", "cafe", "--db", Db()}).exit_code, 0);
  ASSERT_EQ(Run({"log", "side-effect", "nausea", "--db", Db()}).exit_code, 0);
  {
    // What an older mgadvisor wrote: no validation, raw bytes.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Db().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db,
                     "UPDATE entries SET note = CAST(X'636166E9' AS TEXT) WHERE kind = 'note';"
                     "UPDATE entries SET label = CAST(X'6E61FF' AS TEXT) WHERE kind = "
                     "'side-effect';",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
  }
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  CliResult result = Run({"journal", "export", "--db", Db()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(IsValidUtf8(result.out));
  EXPECT_THAT(result.out, HasSubstr("caf" + replacement));
  EXPECT_THAT(result.out, HasSubstr("na" + replacement));
  result = Run({"journal", "export", "--format", "csv", "--db", Db()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(IsValidUtf8(result.out));
  result = Run({"--json", "journal", "show", "--db", Db()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("caf" + replacement));

  auto server = testing::StartCli({"serve", "--port", "0", "--db", Db()}, Env());
  const auto line = server->ReadLine(60s);
  ASSERT_TRUE(line.has_value()) << server->Wait(20s).err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*line, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)")))
      << *line;
  httplib::Client client("127.0.0.1", std::stoi(match[1]));
  client.set_read_timeout(20, 0);
  auto listed = client.Get("/api/journal/entries");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_THAT(listed->body, HasSubstr("caf" + replacement));
  auto exported = client.Get("/api/journal/export");
  ASSERT_TRUE(exported);
  EXPECT_EQ(exported->status, 200) << exported->body;
  EXPECT_TRUE(IsValidUtf8(exported->body));
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s).exit_code, 0);
}

}  // namespace
}  // namespace mg
