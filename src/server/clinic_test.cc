// Accounts for a clinic (issue 19), end to end over loopback HTTP on a real PostgreSQL database:
// serve --signup open|invite|closed, the operator's `mgadvisor admin invite` and
// `admin reset-password` (the real binary), one-time password resets that end every session,
// and a person's read-only, revocable share of their journal with a clinician's account.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounts/admin.h"
#include "accounts/auth.h"
#include "server/multiuser_test_util.h"
#include "tests/cli/cli_runner.h"

namespace mg::server {
namespace {

// The first line psql prints for `sql` on `url` (unaligned, tuples only).
std::string Psql(const std::string& url, const std::string& sql) {
  const std::string command = fmt::format("psql -tAq '{}' -c \"{}\"", url, sql);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "(psql did not start)";
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

class ClinicTest : public MultiUserTest {
 protected:
  // A sign-up sending `invitation` (omitted when empty); returns the status.
  int SignUpWith(Browser& browser, const std::string& user, const std::string& invitation) {
    json body = {{"username", user}, {"password", "amber river lantern"}};
    if (!invitation.empty()) body["invitation"] = invitation;
    auto res = browser.Send("POST", "/api/account", body.dump());
    return res ? res->status : -1;
  }

  std::string NewInvitation(int64_t now, int64_t seconds) {
    auto made = accounts::CreateInvitation(*database_, now, seconds);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? made->code : "";
  }
};

TEST_F(ClinicTest, InviteOnlySignUpRefusesWithoutAValidUnusedCode) {
  auto server = StartServer(database_, false, SignupMode::kInvite);
  ASSERT_NE(server, nullptr);
  Browser browser(server->port());
  EXPECT_EQ(Body(browser.Send("GET", "/api/health"))["signup"], "invite");

  auto none = browser.Send("POST", "/api/account",
                           R"({"username": "anna", "password": "amber river lantern"})");
  EXPECT_EQ(none->status, 403) << none->body;
  EXPECT_NE(Body(none)["error"]["message"].get<std::string>().find("invitation"),
            std::string::npos);
  EXPECT_EQ(SignUpWith(browser, "anna", "a-code-nobody-made"), 403);
  EXPECT_EQ(SignUpWith(browser, "anna", NewInvitation(Now() - 7200, 3600)), 403);  // Expired.
  auto malformed =
      browser.Send("POST", "/api/account",
                   R"({"username": "anna", "password": "amber river lantern", "invitation": 42})");
  EXPECT_EQ(malformed->status, 400) << malformed->body;
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM accounts"), "0");

  const std::string code = NewInvitation(Now(), 3600);
  ASSERT_EQ(SignUpWith(browser, "anna", code), 201);
  EXPECT_EQ(browser.Send("GET", "/api/session")->status, 200);  // Signed in by the sign-up.
  // Single use: the same code again is refused, and creates nobody.
  Browser second(server->port());
  EXPECT_EQ(SignUpWith(second, "bert", code), 403);
  // A taken name does not use the code up: it still works for a free one.
  const std::string other = NewInvitation(Now(), 3600);
  EXPECT_EQ(SignUpWith(second, "anna", other), 409);
  EXPECT_EQ(SignUpWith(second, "bert", other), 201);
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM accounts"), "2");
  // Only the code's SHA-256 is stored.
  EXPECT_EQ(Psql(test_db_->url(), fmt::format("SELECT COUNT(*) FROM invitations WHERE "
                                              "code_hash = '{}' OR code_hash = '{}'",
                                              code, accounts::TokenDigest(code))),
            "0");  // Used up.
  const std::string unused = NewInvitation(Now(), 3600);
  EXPECT_EQ(Psql(test_db_->url(),
                 fmt::format("SELECT COUNT(*) FROM invitations WHERE code_hash = '{}'", unused)),
            "0");
  EXPECT_EQ(Psql(test_db_->url(), fmt::format("SELECT COUNT(*) FROM invitations WHERE "
                                              "code_hash = '{}'",
                                              accounts::TokenDigest(unused))),
            "1");
  // The open server on the same database needs no code.
  Browser on_open_server = NewBrowser();
  EXPECT_EQ(SignUpWith(on_open_server, "carl", ""), 201);
}

TEST_F(ClinicTest, ClosedSignUpRefusesEveryoneAndSignInStillWorks) {
  ASSERT_EQ(NewBrowser().SignUp("anna", "amber river lantern"), 201);  // On the open server.
  auto server = StartServer(database_, false, SignupMode::kClosed);
  ASSERT_NE(server, nullptr);
  Browser browser(server->port());
  EXPECT_EQ(Body(browser.Send("GET", "/api/health"))["signup"], "closed");
  EXPECT_EQ(SignUpWith(browser, "bert", ""), 403);
  EXPECT_EQ(SignUpWith(browser, "bert", NewInvitation(Now(), 3600)), 403);
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM accounts"), "1");
  EXPECT_EQ(browser.SignIn("anna", "amber river lantern"), 200);
}

TEST_F(ClinicTest, AdminCommandsMakeCodesAndLinksThatWork) {
  auto server = StartServer(database_, false, SignupMode::kInvite);
  ASSERT_NE(server, nullptr);
  auto invite =
      testing::RunCli({"admin", "invite", "--db", test_db_->url(), "--days", "2", "--json"});
  ASSERT_EQ(invite.exit_code, 0) << invite.err;
  const json made = json::parse(invite.out);
  const std::string code = made["invitation"];
  EXPECT_NEAR(made["expires_unix"].get<double>(), Now() + 2 * 86400, 60);
  Browser anna(server->port());
  ASSERT_EQ(SignUpWith(anna, "anna", code), 201);

  auto reset = testing::RunCli({"admin", "reset-password", "Anna", "--db", test_db_->url(), "--url",
                                "https://mg.example.org/"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  const size_t at = reset.out.find("https://mg.example.org/#reset=");
  ASSERT_NE(at, std::string::npos) << reset.out;
  std::string token = reset.out.substr(at + 30);
  token = token.substr(0, token.find('\n'));
  EXPECT_EQ(token.size(), 43u) << reset.out;
  auto res = anna.Send("POST", "/api/account/password",
                       json{{"token", token}, {"password", "new quiet harbour"}}.dump());
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Browser(server->port()).SignIn("anna", "new quiet harbour"), 200);

  // Bad input: exit 2 naming what; no account of that name: exit naming it; nothing written.
  auto nobody = testing::RunCli({"admin", "reset-password", "nobody", "--db", test_db_->url()});
  EXPECT_NE(nobody.exit_code, 0);
  EXPECT_NE(nobody.err.find("nobody"), std::string::npos) << nobody.err;
  auto bad_db = testing::RunCli({"admin", "invite", "--db", "/tmp/journal.db"});
  EXPECT_EQ(bad_db.exit_code, 2) << bad_db.err;
  EXPECT_NE(bad_db.err.find("--db"), std::string::npos) << bad_db.err;
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM password_resets"), "0");
  // serve --signup outside multi-user mode is refused, not ignored.
  auto local = testing::RunCli({"serve", "--signup", "invite", "--port", "0"});
  EXPECT_EQ(local.exit_code, 2) << local.err;
  EXPECT_NE(local.err.find("--signup"), std::string::npos) << local.err;
}

TEST_F(ClinicTest, PasswordResetIsOneTimeShortLivedAndEndsEverySession) {
  Browser anna = NewBrowser();
  ASSERT_EQ(anna.SignUp("anna", "amber river lantern"), 201);
  Browser laptop = NewBrowser();
  ASSERT_EQ(laptop.SignIn("anna", "amber river lantern"), 200);
  auto made = accounts::CreatePasswordReset(*database_, "anna", Now(), 3600, "");
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_TRUE(made->link.empty());
  // Stored as its digest only.
  EXPECT_EQ(Psql(test_db_->url(), fmt::format("SELECT COUNT(*) FROM password_resets WHERE "
                                              "token_hash = '{}'",
                                              accounts::TokenDigest(made->token))),
            "1");
  EXPECT_EQ(Psql(test_db_->url(),
                 fmt::format("SELECT COUNT(*) FROM password_resets WHERE token_hash = '{}'",
                             made->token)),
            "0");

  Browser stranger = NewBrowser();
  const auto reset = [&](const std::string& token, const std::string& password) {
    auto res = stranger.Send("POST", "/api/account/password",
                             json{{"token", token}, {"password", password}}.dump());
    return res ? res->status : -1;
  };
  EXPECT_EQ(reset("guessed-token", "new quiet harbour"), 403);
  EXPECT_EQ(reset(made->token, "anna"), 400);  // Too short: the token is not used up by it.
  auto unknown_field = stranger.Send("POST", "/api/account/password",
                                     R"({"token": "x", "password": "y", "user": "anna"})");
  EXPECT_EQ(unknown_field->status, 400);
  // An expired link.
  auto old = accounts::CreatePasswordReset(*database_, "anna", Now() - 7200, 3600, "");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(reset(old->token, "new quiet harbour"), 403);
  EXPECT_EQ(anna.Send("GET", "/api/journal/entries")->status, 200);  // Nothing happened yet.

  ASSERT_EQ(reset(made->token, "new quiet harbour"), 200);
  // Every session of the account ended; the old password is dead, the new one works.
  EXPECT_EQ(anna.Send("GET", "/api/journal/entries")->status, 401);
  EXPECT_EQ(laptop.Send("GET", "/api/session")->status, 401);
  EXPECT_EQ(NewBrowser().SignIn("anna", "amber river lantern"), 401);
  EXPECT_EQ(NewBrowser().SignIn("anna", "new quiet harbour"), 200);
  // One use: the same link again is refused, and so is any other link made before it was used.
  EXPECT_EQ(reset(made->token, "another long phrase"), 403);
  EXPECT_EQ(NewBrowser().SignIn("anna", "new quiet harbour"), 200);
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM password_resets"), "0");
}

// A signed-in person changes their password: the current one is needed (and a wrong one costs a
// sign-in attempt), this browser stays signed in with a new session, every other device is
// signed out, and an operator's reset link made before the change no longer works.
TEST_F(ClinicTest, ChangingThePasswordNeedsTheCurrentOneAndSignsOutEveryOtherDevice) {
  Browser anna = NewBrowser();
  ASSERT_EQ(anna.SignUp("anna", "amber river lantern"), 201);
  Browser phone = NewBrowser();
  ASSERT_EQ(phone.SignIn("anna", "amber river lantern"), 200);
  auto link = accounts::CreatePasswordReset(*database_, "anna", Now(), 3600, "");
  ASSERT_TRUE(link.ok()) << link.error().message;
  const auto change = [&](Browser& browser, const std::string& current, const std::string& next,
                          bool with_csrf = true) {
    return browser.Send("PUT", "/api/account/password",
                        json{{"current_password", current}, {"password", next}}.dump(), with_csrf);
  };
  const std::string old_cookie = anna.cookie();

  // Refused, and nothing changes: no CSRF token, no session, a wrong current password, a new
  // password that breaks the rules, an unknown field.
  EXPECT_EQ(change(anna, "amber river lantern", "new quiet harbour", false)->status, 403);
  Browser stranger = NewBrowser();
  EXPECT_EQ(change(stranger, "amber river lantern", "new quiet harbour")->status, 401);
  auto wrong = change(anna, "not my password at all", "new quiet harbour");
  EXPECT_EQ(wrong->status, 403) << wrong->body;
  EXPECT_EQ(Body(wrong)["error"]["message"],
            "current_password: wrong; the password was not changed");
  auto short_one = change(anna, "amber river lantern", "anna");
  EXPECT_EQ(short_one->status, 400) << short_one->body;
  EXPECT_EQ(short_one->body.find("amber river lantern"), std::string::npos);  // Never echoed.
  auto extra = anna.Send("PUT", "/api/account/password",
                         R"({"current_password": "x", "password": "y", "user": "bert"})");
  EXPECT_EQ(extra->status, 400);
  EXPECT_EQ(phone.Send("GET", "/api/session")->status, 200);
  EXPECT_EQ(NewBrowser().SignIn("anna", "amber river lantern"), 200);

  auto changed = change(anna, "amber river lantern", "new quiet harbour");
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(Body(changed)["password_changed"], true);
  EXPECT_EQ(Body(changed)["user"]["username"], "anna");
  // This browser: a new session that works, with a new CSRF token for its next change.
  EXPECT_NE(anna.cookie(), old_cookie);
  EXPECT_EQ(anna.Send("GET", "/api/journal/entries")->status, 200);
  EXPECT_EQ(anna.Send("POST", "/api/journal/entries",
                      R"({"date": "2026-11-20", "kind": "pain", "value": 3})")
                ->status,
            201);
  // Every other device, and the old cookie, are signed out; the old password is dead.
  EXPECT_EQ(phone.Send("GET", "/api/session")->status, 401);
  Browser old = NewBrowser();
  old.set_cookie(old_cookie);
  EXPECT_EQ(old.Send("GET", "/api/journal/entries")->status, 401);
  EXPECT_EQ(NewBrowser().SignIn("anna", "amber river lantern"), 401);
  EXPECT_EQ(NewBrowser().SignIn("anna", "new quiet harbour"), 200);
  // The reset link handed out before the change is used up with it.
  auto late =
      stranger.Send("POST", "/api/account/password",
                    json{{"token", link->token}, {"password", "a third long phrase"}}.dump());
  EXPECT_EQ(late->status, 403) << late->body;
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM password_resets"), "0");
}

// A person shares a read-only view of their journal with a clinician's account, and revokes it.
TEST_F(ClinicTest, ClinicianShareIsReadOnlyRevocableAndShowsNothingElse) {
  Browser anna = NewBrowser();
  ASSERT_EQ(anna.SignUp("anna", "amber river lantern"), 201);
  ASSERT_EQ(anna.Send("POST", "/api/journal/entries",
                      R"({"date": "2026-11-20", "kind": "note", "note": "ANNA-NOTE"})")
                ->status,
            201);
  ASSERT_EQ(anna.Send("PUT", "/api/profile",
                      R"({"age": 44, "sex": "female", "complaints": ["restless legs"]})")
                ->status,
            200);
  ASSERT_EQ(anna.Send("POST", "/api/trials", R"({"outcome": "irls", "seed": 5})")->status, 201);
  Browser carl = NewBrowser();  // Shares nothing.
  ASSERT_EQ(carl.SignUp("carl", "copper hill meadow"), 201);
  ASSERT_EQ(carl.Send("POST", "/api/journal/entries",
                      R"({"date": "2026-11-20", "kind": "note", "note": "CARL-NOTE"})")
                ->status,
            201);
  Browser doctor = NewBrowser();
  ASSERT_EQ(doctor.SignUp("dr.rossi", "stone bridge window"), 201);

  // Before any share: the same 404 for a person who does not share and a name nobody has.
  auto not_shared = doctor.Send("GET", "/api/shared/anna/entries");
  EXPECT_EQ(not_shared->status, 404);
  auto no_one = doctor.Send("GET", "/api/shared/zed/entries");
  EXPECT_EQ(no_one->status, 404);
  EXPECT_EQ(Body(not_shared)["error"]["code"], Body(no_one)["error"]["code"]);

  // Sharing needs the CSRF token; sharing with nobody or oneself is refused.
  EXPECT_EQ(anna.Send("POST", "/api/shares", R"({"clinician": "dr.rossi"})", false)->status, 403);
  EXPECT_EQ(anna.Send("POST", "/api/shares", R"({"clinician": "nobody-here"})")->status, 404);
  EXPECT_EQ(anna.Send("POST", "/api/shares", R"({"clinician": "anna"})")->status, 400);
  EXPECT_EQ(anna.Send("POST", "/api/shares", R"({"doctor": "dr.rossi"})")->status, 400);
  auto shared = anna.Send("POST", "/api/shares", R"({"clinician": "Dr.Rossi"})");
  ASSERT_EQ(shared->status, 201) << shared->body;
  EXPECT_EQ(Body(anna.Send("GET", "/api/shares")),
            json({{"shared_with", {"dr.rossi"}}, {"shared_with_me", json::array()}}));
  EXPECT_EQ(Body(doctor.Send("GET", "/api/shares")),
            json({{"shared_with", json::array()}, {"shared_with_me", {"anna"}}}));

  // The clinician reads the journal, the summary and the trial report, as anna sees them.
  auto entries = doctor.Send("GET", "/api/shared/anna/entries");
  ASSERT_EQ(entries->status, 200) << entries->body;
  EXPECT_EQ(Body(entries), Body(anna.Send("GET", "/api/journal/entries")));
  EXPECT_NE(entries->body.find("ANNA-NOTE"), std::string::npos);
  EXPECT_EQ(entries->get_header_value("Cache-Control"), "no-store");
  auto summary = doctor.Send("GET", "/api/shared/anna/summary");
  ASSERT_EQ(summary->status, 200) << summary->body;
  EXPECT_EQ(summary->body, anna.Send("GET", "/api/summary")->body);
  auto report = doctor.Send("GET", "/api/shared/anna/trial-report");
  EXPECT_EQ(report->status, anna.Send("GET", "/api/trials/current/report")->status);
  EXPECT_EQ(report->body, anna.Send("GET", "/api/trials/current/report")->body);
  // Never carl's, and never without a session.
  EXPECT_EQ(doctor.Send("GET", "/api/shared/carl/entries")->status, 404);
  EXPECT_EQ(doctor.Send("GET", "/api/shared/carl/summary")->status, 404);
  EXPECT_EQ(NewBrowser().Send("GET", "/api/shared/anna/entries")->status, 401);
  // Carl is not the clinician: anna's share does not open her journal to him.
  EXPECT_EQ(carl.Send("GET", "/api/shared/anna/entries")->status, 404);

  // Read-only: no write route exists under /api/shared, and the clinician's own writes land in
  // the clinician's own journal, never anna's.
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    EXPECT_EQ(doctor.Send(method, "/api/shared/anna/entries", R"({"kind": "note"})")->status, 404);
  }
  ASSERT_EQ(doctor
                .Send("POST", "/api/journal/entries",
                      R"({"date": "2026-11-21", "kind": "note", "note": "DOCTOR-NOTE"})")
                ->status,
            201);
  const std::string anna_after = anna.Send("GET", "/api/journal/export")->body;
  EXPECT_EQ(anna_after.find("DOCTOR-NOTE"), std::string::npos);
  EXPECT_NE(anna_after.find("ANNA-NOTE"), std::string::npos);

  // Revoked: the clinician sees nothing again, and revoking twice is a 404.
  EXPECT_EQ(anna.Send("DELETE", "/api/shares/dr.rossi", "", false)->status, 403);
  auto revoked = anna.Send("DELETE", "/api/shares/dr.rossi");
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(doctor.Send("GET", "/api/shared/anna/entries")->status, 404);
  EXPECT_EQ(doctor.Send("GET", "/api/shared/anna/summary")->status, 404);
  EXPECT_EQ(anna.Send("DELETE", "/api/shares/dr.rossi")->status, 404);
  EXPECT_EQ(Body(doctor.Send("GET", "/api/shares"))["shared_with_me"], json::array());

  // Deleting an account deletes its shares both ways.
  ASSERT_EQ(anna.Send("POST", "/api/shares", R"({"clinician": "dr.rossi"})")->status, 201);
  ASSERT_EQ(doctor.Send("DELETE", "/api/account", R"({"password": "stone bridge window"})")->status,
            200);
  EXPECT_EQ(Psql(test_db_->url(), "SELECT COUNT(*) FROM journal_shares"), "0");
}

}  // namespace
}  // namespace mg::server
