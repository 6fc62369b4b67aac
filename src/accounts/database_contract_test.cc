// The accounts::Database contract, run against every backend that instantiates
// DatabaseContractTest. The isolation tests are the point: one account's journal must never show,
// number or delete anything of another's.
#include "accounts/database_contract_test.h"

#include <atomic>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "accounts/auth.h"
#include "journal/test_entries.h"

namespace mg::accounts {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DatabaseContractTest);

void DatabaseContractTest::SetUp() {
  auto db = GetParam().open_empty();
  if (IsSkipped() || HasFatalFailure()) return;
  ASSERT_TRUE(db.ok()) << db.error().message;
  db_ = std::move(*db);
}

int64_t DatabaseContractTest::MakeAccount(const std::string& username) {
  auto id = db_->CreateAccount(username, "hash-of-" + username, 1700000000);
  EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
  return id.ok() ? *id : 0;
}

std::unique_ptr<journal::Store> DatabaseContractTest::Journal(int64_t user_id) {
  auto store = db_->OpenJournal(user_id, clock_);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(*store) : nullptr;
}

std::string DatabaseFactoryName(const testing::TestParamInfo<DatabaseFactory>& info) {
  return info.param.name;
}

void PrintTo(const DatabaseFactory& factory, std::ostream* os) { *os << factory.name; }

namespace {

using journal::AddAll;
using journal::Day;
using journal::Entry;
using journal::EntryKind;
using journal::MakeEntry;

TEST_P(DatabaseContractTest, CreatedAccountsAreFoundByNameAndId) {
  // The server normalises names before they reach the database (auth.h).
  auto name = NormaliseUsername("Anna-Maria");
  ASSERT_TRUE(name.ok());
  auto id = db_->CreateAccount(*name, "$argon2id$v=19$...", 1700000123);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_GT(*id, 0);

  auto lookup = NormaliseUsername("ANNA-MARIA");
  ASSERT_TRUE(lookup.ok());
  auto found = db_->FindAccount(*lookup);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->username, "anna-maria");
  EXPECT_EQ((*found)->password_hash, "$argon2id$v=19$...");
  EXPECT_EQ((*found)->created_unix, 1700000123);

  auto by_id = db_->AccountById(*id);
  ASSERT_TRUE(by_id.ok());
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->username, "anna-maria");

  auto other = db_->CreateAccount("bert", "h", 1);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *id);

  auto missing = db_->FindAccount("nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto missing_id = db_->AccountById(*id + *other + 1000);
  ASSERT_TRUE(missing_id.ok());
  EXPECT_FALSE(missing_id->has_value());
}

TEST_P(DatabaseContractTest, TakenUsernameIsAConflictAndChangesNothing) {
  const int64_t id = MakeAccount("anna");
  auto again = db_->CreateAccount("anna", "another-hash", 1800000000);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("anna"), std::string::npos) << again.error().message;
  auto found = db_->FindAccount("anna");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, id);
  EXPECT_EQ((*found)->password_hash, "hash-of-anna");
  // The database stays usable after the refused insert.
  EXPECT_TRUE(db_->CreateAccount("anna2", "h", 1).ok());
}

TEST_P(DatabaseContractTest, SessionsAreFoundUntilTheyExpireOrAreDeleted) {
  const int64_t id = MakeAccount("anna");
  const Session session{"ab12cd", id, "csrf-token", 2000};
  ASSERT_TRUE(db_->AddSession(session).ok());
  ASSERT_TRUE(db_->AddSession({"ef34", id, "csrf-2", 5000}).ok());

  auto found = db_->FindSession("ab12cd", 1999);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->token_hash, "ab12cd");
  EXPECT_EQ((*found)->user_id, id);
  EXPECT_EQ((*found)->csrf_token, "csrf-token");
  EXPECT_EQ((*found)->expires_unix, 2000);

  auto expired = db_->FindSession("ab12cd", 2000);  // Expired at its expiry time.
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(expired->has_value());
  auto unknown = db_->FindSession("0000", 0);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  ASSERT_TRUE(db_->DeleteSession("ab12cd").ok());
  auto deleted = db_->FindSession("ab12cd", 1000);
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(deleted->has_value());
  EXPECT_TRUE(db_->DeleteSession("ab12cd").ok());  // Logging out twice is harmless.
  auto other = db_->FindSession("ef34", 1000);     // The other session is untouched.
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->has_value());

  EXPECT_FALSE(db_->AddSession({"9999", id + 1000, "c", 9000}).ok());  // No such account.
}

TEST_P(DatabaseContractTest, AttemptsAreCountedPerKeyWithinTheWindowUpToTheLimit) {
  const auto take = [&](std::vector<RateLimit> limits, int64_t now) {
    auto taken = db_->TakeAttempt(limits, now);
    EXPECT_TRUE(taken.ok()) << taken.error().message;
    return taken.ok() ? *taken : std::nullopt;
  };
  const auto count = [&](const std::string& key, int64_t since) {
    auto n = db_->CountAttempts(key, since);
    EXPECT_TRUE(n.ok()) << n.error().message;
    return n.ok() ? *n : -1;
  };
  const RateLimit anna{"user:anna", 0, 2};
  auto first = take({anna}, 100);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->size(), 1u);
  EXPECT_TRUE(take({anna}, 200).has_value());
  EXPECT_FALSE(take({anna}, 300).has_value());  // At the limit: refused, and not recorded.
  EXPECT_EQ(count("user:anna", 0), 2);
  EXPECT_EQ(count("user:anna", 150), 1);  // Only the one at 200.
  EXPECT_TRUE(take({{"addr:192.0.2.7", 0, 5}}, 200).has_value());
  EXPECT_EQ(count("addr:192.0.2.7", 0), 1);

  // A window starting later: the earlier attempts no longer count, and are pruned.
  EXPECT_TRUE(take({{"user:anna", 500, 2}}, 1000).has_value());
  EXPECT_EQ(count("user:anna", 0), 1);

  // Several keys at once: all or nothing.
  const std::vector<RateLimit> both = {{"user:bert", 0, 1}, {"addr:192.0.2.7", 0, 5}};
  auto granted = take(both, 1000);
  ASSERT_TRUE(granted.has_value());
  ASSERT_EQ(granted->size(), 2u);
  EXPECT_FALSE(take(both, 1001).has_value());  // Bert is at his limit...
  EXPECT_EQ(count("addr:192.0.2.7", 0), 2);    // ...so the address did not count either.
  ASSERT_TRUE(db_->ReturnAttempts({(*granted)[1]}).ok());
  EXPECT_EQ(count("addr:192.0.2.7", 0), 1);
  EXPECT_EQ(count("user:bert", 0), 1);

  ASSERT_TRUE(db_->ClearAttempts("user:anna").ok());
  EXPECT_EQ(count("user:anna", 0), 0);
  EXPECT_EQ(count("addr:192.0.2.7", 0), 1);
}

// Issue 11 finding 5: the count was read, then the password checked, then a failure recorded, so
// 30 parallel sign-ins all read "0 failures". Taking an attempt is one atomic step per key.
TEST_P(DatabaseContractTest, ParallelAttemptsStopExactlyAtTheLimit) {
  struct Case {
    std::vector<RateLimit> limits;
    int requests;
    int expected;
  };
  const Case cases[] = {
      {{{"user:anna", 0, 5}, {"addr:192.0.2.1", 0, 30}}, 30, 5},  // Wrong sign-ins.
      {{{"signup:192.0.2.2", 0, 10}}, 25, 10},                    // Sign-ups from one address.
  };
  for (const Case& c : cases) {
    std::atomic<int> granted{0}, failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < c.requests; ++i) {
      threads.emplace_back([&] {
        auto taken = db_->TakeAttempt(c.limits, 100);
        if (!taken.ok()) {
          ++failed;
        } else if (taken->has_value()) {
          ++granted;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(granted.load(), c.expected) << c.limits[0].key;
    auto recorded = db_->CountAttempts(c.limits[0].key, 0);
    ASSERT_TRUE(recorded.ok());
    EXPECT_EQ(*recorded, c.expected);
  }
}

// Issue 11: old sessions were never purged. Purging deletes what has expired, a bounded number
// of rows per call, and nothing that is still valid.
TEST_P(DatabaseContractTest, PurgeExpiredDeletesABoundedNumberOfOldRows) {
  const int64_t anna = MakeAccount("anna");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(db_->AddSession({"old-" + std::to_string(i), anna, "c", 100 + i}).ok());
    ASSERT_TRUE(db_->TakeAttempt({{"user:anna", 0, 100}}, 10 + i).ok());
  }
  ASSERT_TRUE(db_->AddSession({"live", anna, "c", 9000}).ok());
  ASSERT_TRUE(db_->TakeAttempt({{"user:anna", 0, 100}}, 1000).ok());
  auto first = db_->PurgeExpired(500, 500, 3);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 6);  // Three sessions, three attempts.
  auto second = db_->PurgeExpired(500, 500, 3);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 4);
  auto third = db_->PurgeExpired(500, 500, 3);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 0);
  auto live = db_->FindSession("live", 500);
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->has_value());
  auto kept = db_->CountAttempts("user:anna", 0);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, 1);
}

TEST_P(DatabaseContractTest, DeleteAccountRemovesEverythingOfItAndNothingElse) {
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  auto anna_journal = Journal(anna);
  auto bert_journal = Journal(bert);
  ASSERT_NE(anna_journal, nullptr);
  ASSERT_NE(bert_journal, nullptr);
  AddAll(*anna_journal, journal::OneOfEachKind());
  ASSERT_TRUE(anna_journal->SetProfile(R"({"age": 61})").ok());
  ASSERT_TRUE(anna_journal->AddTrial("2026-11-05", "{}").ok());
  auto bert_entries = AddAll(*bert_journal, journal::OneOfEachKind());
  ASSERT_TRUE(bert_journal->SetProfile(R"({"age": 40})").ok());
  ASSERT_TRUE(db_->AddSession({"anna-token", anna, "c", 9000}).ok());
  ASSERT_TRUE(db_->AddSession({"bert-token", bert, "c", 9000}).ok());
  ASSERT_TRUE(db_->TakeAttempt({{"user:anna", 0, 5}}, 100).ok());
  ASSERT_TRUE(db_->TakeAttempt({{"user:bert", 0, 5}}, 100).ok());

  ASSERT_TRUE(db_->DeleteAccount(anna).ok());

  auto by_id = db_->AccountById(anna);
  ASSERT_TRUE(by_id.ok());
  EXPECT_FALSE(by_id->has_value());
  auto by_name = db_->FindAccount("anna");
  ASSERT_TRUE(by_name.ok());
  EXPECT_FALSE(by_name->has_value());
  auto session = db_->FindSession("anna-token", 0);
  ASSERT_TRUE(session.ok());
  EXPECT_FALSE(session->has_value());
  auto failures = db_->CountAttempts("user:anna", 0);
  ASSERT_TRUE(failures.ok());
  EXPECT_EQ(*failures, 0);
  // A journal opened before the deletion sees nothing left, and cannot write.
  auto entries = anna_journal->List({});
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
  auto profile = anna_journal->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value());
  auto trial = anna_journal->LatestTrial();
  ASSERT_TRUE(trial.ok());
  EXPECT_FALSE(trial->has_value());
  // kNotFound, for the one-statement add and for an entry with IRLS items (a transaction).
  auto late_add = anna_journal->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kPain, {.value = 1}));
  ASSERT_FALSE(late_add.ok());
  EXPECT_EQ(late_add.error().code, ErrorCode::kNotFound) << late_add.error().message;
  auto late_irls =
      anna_journal->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kIrls,
                                  {.value = 10, .irls_items = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}));
  ASSERT_FALSE(late_irls.ok());
  EXPECT_EQ(late_irls.error().code, ErrorCode::kNotFound) << late_irls.error().message;
  auto session_journal = db_->OpenSessionJournal({"gone", anna, "csrf", 1700000000}, clock_);
  ASSERT_TRUE(session_journal.ok());  // The session's row vouched for the account...
  auto via_session =
      (*session_journal)->Add(MakeEntry(Day(2026, 11, 1), EntryKind::kNote, {.note = "late"}));
  ASSERT_FALSE(via_session.ok());  // ...and a write still finds it gone.
  // A backend whose session journals check the session finds that first: it went with the
  // account.
  EXPECT_EQ(via_session.error().code, db_->SessionJournalsCheckTheSession()
                                          ? ErrorCode::kUnauthenticated
                                          : ErrorCode::kNotFound)
      << via_session.error().message;
  auto reopened = db_->OpenJournal(anna, clock_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, ErrorCode::kNotFound);
  Status again = db_->DeleteAccount(anna);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);

  // The same name can register again and starts empty.
  const int64_t anna2 = MakeAccount("anna");
  auto fresh = Journal(anna2);
  ASSERT_NE(fresh, nullptr);
  auto snapshot = fresh->Export();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(*snapshot, journal::Snapshot{});

  // Bert lost nothing.
  auto bert_read = bert_journal->List({});
  ASSERT_TRUE(bert_read.ok());
  EXPECT_EQ(*bert_read, bert_entries);
  auto bert_session = db_->FindSession("bert-token", 0);
  ASSERT_TRUE(bert_session.ok());
  EXPECT_TRUE(bert_session->has_value());
  auto bert_failures = db_->CountAttempts("user:bert", 0);
  ASSERT_TRUE(bert_failures.ok());
  EXPECT_EQ(*bert_failures, 1);
}

TEST_P(DatabaseContractTest, ASessionJournalThatChecksItsSessionStopsTheMomentItEnds) {
  if (!db_->SessionJournalsCheckTheSession()) {
    GTEST_SKIP() << GetParam().name << ": its session journals do not check the session";
  }
  // The server opens such a journal from a session it found a moment ago without looking it up
  // again (server/session_cache.h), so every transaction of it must check the session itself.
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ASSERT_TRUE(db_->AddSession({"anna-token", anna, "c", now + 3600}).ok());
  ASSERT_TRUE(db_->AddSession({"bert-token", bert, "c", now + 3600}).ok());
  ASSERT_TRUE(db_->AddSession({"anna-expired", anna, "c", now - 1}).ok());
  const auto open = [&](const std::string& token, int64_t user_id) {
    auto store = db_->OpenSessionJournal({token, user_id, "c", now + 3600}, clock_);
    EXPECT_TRUE(store.ok());
    return store.ok() ? std::move(*store) : nullptr;
  };
  const Entry note = MakeEntry(Day(2026, 11, 1), EntryKind::kNote, {.note = "n"});
  const Entry irls = MakeEntry(Day(2026, 11, 1), EntryKind::kIrls,
                               {.value = 10, .irls_items = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}});
  auto live = open("anna-token", anna);
  ASSERT_NE(live, nullptr);
  ASSERT_TRUE(live->Add(note).ok());
  ASSERT_TRUE(live->Add(irls).ok());
  auto page = live->ListPage({}, std::nullopt, 20, 0);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->entries.size(), 2u);

  // Every kind of call, through a journal whose session is expired, another account's, or ended.
  const auto expect_refused = [&](journal::Store& store, const std::string& what) {
    SCOPED_TRACE(what);
    const auto refused = [](const auto& result) {
      return !result.ok() && result.error().code == ErrorCode::kUnauthenticated;
    };
    EXPECT_TRUE(refused(store.Add(note)));
    EXPECT_TRUE(refused(store.Add(irls)));
    EXPECT_TRUE(refused(store.ListPage({}, std::nullopt, 20, 0)));
    EXPECT_TRUE(
        refused(store.ListPage({.from = Day(2026, 1, 1), .to = {}}, EntryKind::kNote, 5, 0)));
    EXPECT_TRUE(refused(store.List({})));
    EXPECT_TRUE(refused(store.Delete(1)));
    EXPECT_TRUE(refused(store.Undo()));
    EXPECT_TRUE(refused(store.SetProfile(R"({"age": 30})")));
    EXPECT_TRUE(refused(store.Profile()));
    EXPECT_TRUE(refused(store.AddTrial("2026-11-05", "{}")));
    EXPECT_TRUE(refused(store.LatestTrial()));
    EXPECT_TRUE(refused(store.Export()));
    EXPECT_TRUE(refused(store.Import({})));
  };
  expect_refused(*open("anna-expired", anna), "expired");
  expect_refused(*open("bert-token", anna), "another account's session");
  expect_refused(*open("no-such-token", anna), "unknown");
  ASSERT_TRUE(db_->DeleteSession("anna-token").ok());
  expect_refused(*live, "signed out after opening");
  // Nothing of it was written: the account's own journal still holds the two entries.
  auto entries = Journal(anna)->List({});
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 2u);
  auto profile = Journal(anna)->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value());
}

TEST_P(DatabaseContractTest, CalendarKeysNameOneAccountUntilReplacedRevokedOrDeleted) {
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  const auto owner = [&](const std::string& digest) {
    auto found = db_->FindCalendarKey(digest);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? found->value_or(0) : -1;
  };
  ASSERT_TRUE(db_->SetCalendarKey(anna, "digest-a1").ok());
  ASSERT_TRUE(db_->SetCalendarKey(bert, "digest-b1").ok());
  EXPECT_EQ(owner("digest-a1"), anna);
  EXPECT_EQ(owner("digest-b1"), bert);
  EXPECT_EQ(owner("digest-unknown"), 0);
  // A new key replaces the old one, which stops working at once.
  ASSERT_TRUE(db_->SetCalendarKey(anna, "digest-a2").ok());
  EXPECT_EQ(owner("digest-a1"), 0);
  EXPECT_EQ(owner("digest-a2"), anna);
  // Revoking ends it; revoking again is harmless; the other account keeps its own.
  ASSERT_TRUE(db_->DeleteCalendarKey(anna).ok());
  ASSERT_TRUE(db_->DeleteCalendarKey(anna).ok());
  EXPECT_EQ(owner("digest-a2"), 0);
  EXPECT_EQ(owner("digest-b1"), bert);
  // Deleting the account deletes its key; a key for no account is refused.
  ASSERT_TRUE(db_->DeleteAccount(bert).ok());
  EXPECT_EQ(owner("digest-b1"), 0);
  Status orphan = db_->SetCalendarKey(424242, "digest-x");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
}

TEST_P(DatabaseContractTest, UnknownAccountsAreNotFound) {
  Status deleted = db_->DeleteAccount(424242);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
  auto journal = db_->OpenJournal(424242, clock_);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.error().code, ErrorCode::kNotFound);
}

TEST_P(DatabaseContractTest, AccountsSeeOnlyTheirOwnJournal) {
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  auto a = Journal(anna);
  auto b = Journal(bert);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto anna_entries = AddAll(*a, journal::OneOfEachKind());
  ASSERT_TRUE(a->SetProfile(R"({"sex": "female"})").ok());
  auto anna_trial = a->AddTrial("2026-11-05", R"({"seed": 7})");
  ASSERT_TRUE(anna_trial.ok());

  auto seen = b->List({});
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->empty());
  auto profile = b->Profile();
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value());
  auto trial = b->LatestTrial();
  ASSERT_TRUE(trial.ok());
  EXPECT_FALSE(trial->has_value());
  auto exported = b->Export();
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(*exported, journal::Snapshot{});

  // Bert cannot delete Anna's entries by guessing their ids.
  for (const Entry& e : anna_entries) {
    Status st = b->Delete(e.id);
    ASSERT_FALSE(st.ok()) << "bert deleted anna's entry " << e.id;
    EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
  }
  auto anna_read = a->List({});
  ASSERT_TRUE(anna_read.ok());
  EXPECT_EQ(*anna_read, anna_entries);

  // Ids are numbered per account: Bert's first entry and trial are 1, like Anna's were.
  EXPECT_EQ(anna_entries.front().id, 1);
  EXPECT_EQ(*anna_trial, 1);
  auto bert_first = b->Add(MakeEntry(Day(2026, 11, 6), EntryKind::kPain, {.value = 2}));
  ASSERT_TRUE(bert_first.ok());
  EXPECT_EQ(*bert_first, 1);
  auto bert_trial = b->AddTrial("2026-11-06", "{}");
  ASSERT_TRUE(bert_trial.ok());
  EXPECT_EQ(*bert_trial, 1);
  // Bert's profile does not replace Anna's.
  ASSERT_TRUE(b->SetProfile(R"({"sex": "male"})").ok());
  auto anna_profile = a->Profile();
  ASSERT_TRUE(anna_profile.ok());
  EXPECT_EQ(anna_profile->value_or(""), R"({"sex": "female"})");
  auto anna_latest = a->LatestTrial();
  ASSERT_TRUE(anna_latest.ok() && anna_latest->has_value());
  EXPECT_EQ((*anna_latest)->json, R"({"seed": 7})");
}

TEST_P(DatabaseContractTest, ImportKeepsIdsPerAccount) {
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  const int64_t cleo = MakeAccount("cleo");
  auto a = Journal(anna);
  auto b = Journal(bert);
  auto c = Journal(cleo);
  ASSERT_TRUE(a && b && c);
  AddAll(*a, journal::OneOfEachKind());
  ASSERT_TRUE(a->SetProfile(R"({"age": 61})").ok());
  ASSERT_TRUE(a->AddTrial("2026-11-05", "{}").ok());
  auto anna_export = a->Export();
  ASSERT_TRUE(anna_export.ok());

  // Anna's ids exist in Anna's journal, not in Cleo's: the import keeps them.
  ASSERT_TRUE(c->Import(*anna_export).ok());
  auto cleo_export = c->Export();
  ASSERT_TRUE(cleo_export.ok());
  EXPECT_EQ(*cleo_export, *anna_export);
  auto next = c->Add(MakeEntry(Day(2026, 11, 7), EntryKind::kPain, {.value = 1}));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, static_cast<int64_t>(anna_export->entries.size()) + 1);

  // Bert already has entry 1: the import is refused whole.
  ASSERT_TRUE(b->Add(MakeEntry(Day(2026, 11, 6), EntryKind::kPain, {.value = 2})).ok());
  Status st = b->Import(*anna_export);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(st.error().message.find("already exists"), std::string::npos) << st.error().message;
  auto bert_read = b->Export();
  ASSERT_TRUE(bert_read.ok());
  EXPECT_EQ(bert_read->entries.size(), 1u);
  EXPECT_FALSE(bert_read->profile_json.has_value());
  EXPECT_TRUE(bert_read->trials.empty());

  // Anna's journal is as it was.
  auto anna_again = a->Export();
  ASSERT_TRUE(anna_again.ok());
  EXPECT_EQ(*anna_again, *anna_export);
}

// Adds `count` pain entries from a thread of its own (a Store is one per thread).
std::vector<int64_t> AddFromThread(Database& db, int64_t user_id, const journal::Clock& clock,
                                   int count, std::vector<std::string>& errors) {
  std::vector<int64_t> ids;
  auto store = db.OpenJournal(user_id, clock);
  if (!store.ok()) {
    errors.push_back(store.error().message);
    return ids;
  }
  for (int i = 0; i < count; ++i) {
    auto id =
        (*store)->Add(MakeEntry(Day(2026, 11, 1 + i % 20), EntryKind::kPain, {.value = i % 11}));
    if (id.ok()) {
      ids.push_back(*id);
    } else {
      errors.push_back(id.error().message);
    }
  }
  return ids;
}

TEST_P(DatabaseContractTest, ConcurrentAddsToOneAccountGetUniqueIds) {
  constexpr int kPerThread = 40;
  const int64_t anna = MakeAccount("anna");
  std::vector<int64_t> ids[2];
  std::vector<std::string> errors[2];
  {
    std::jthread t0([&] { ids[0] = AddFromThread(*db_, anna, clock_, kPerThread, errors[0]); });
    std::jthread t1([&] { ids[1] = AddFromThread(*db_, anna, clock_, kPerThread, errors[1]); });
  }
  EXPECT_TRUE(errors[0].empty()) << errors[0].front();
  EXPECT_TRUE(errors[1].empty()) << errors[1].front();
  std::set<int64_t> unique(ids[0].begin(), ids[0].end());
  unique.insert(ids[1].begin(), ids[1].end());
  EXPECT_EQ(unique.size(), 2u * kPerThread);
  EXPECT_EQ(*unique.begin(), 1);
  EXPECT_EQ(*unique.rbegin(), 2 * kPerThread);
  auto store = Journal(anna);
  ASSERT_NE(store, nullptr);
  auto listed = store->List({});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u * kPerThread);
}

TEST_P(DatabaseContractTest, ConcurrentAddsToTwoAccountsNumberEachFromOne) {
  constexpr int kPerThread = 40;
  const int64_t users[2] = {MakeAccount("anna"), MakeAccount("bert")};
  std::vector<int64_t> ids[2];
  std::vector<std::string> errors[2];
  {
    std::jthread t0([&] { ids[0] = AddFromThread(*db_, users[0], clock_, kPerThread, errors[0]); });
    std::jthread t1([&] { ids[1] = AddFromThread(*db_, users[1], clock_, kPerThread, errors[1]); });
  }
  for (int t = 0; t < 2; ++t) {
    EXPECT_TRUE(errors[t].empty()) << errors[t].front();
    std::vector<int64_t> expected(kPerThread);
    for (int i = 0; i < kPerThread; ++i) expected[i] = i + 1;
    EXPECT_EQ(ids[t], expected) << "account " << users[t];
  }
}

}  // namespace
}  // namespace mg::accounts

namespace mg::accounts {

TEST_P(DatabaseContractTest, AnInvitationCreatesOneAccountBeforeItExpires) {
  ASSERT_TRUE(db_->AddInvitation("code-1", 1000, 2000).ok());
  ASSERT_TRUE(db_->AddInvitation("code-old", 100, 999).ok());
  auto none = db_->CreateInvitedAccount("anna", "h", 1500, "unknown");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kForbidden);
  auto expired = db_->CreateInvitedAccount("anna", "h", 1500, "code-old");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kForbidden);
  MakeAccount("bert");
  // A taken name fails and leaves the code usable.
  auto taken = db_->CreateInvitedAccount("bert", "h", 1500, "code-1");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  auto anna = db_->CreateInvitedAccount("anna", "h", 1500, "code-1");
  ASSERT_TRUE(anna.ok()) << anna.error().message;
  auto again = db_->CreateInvitedAccount("carl", "h", 1500, "code-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
  auto carl = db_->FindAccount("carl");
  ASSERT_TRUE(carl.ok());
  EXPECT_FALSE(carl->has_value());
}

TEST_P(DatabaseContractTest, ParallelSignUpsWithOneInvitationCreateOneAccount) {
  ASSERT_TRUE(db_->AddInvitation("shared-code", 1000, 2000).ok());
  constexpr int kThreads = 8;
  std::atomic<int> created = 0, refused = 0;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        auto id = db_->CreateInvitedAccount("person" + std::to_string(i), "h", 1500, "shared-code");
        if (id.ok()) ++created;
        if (!id.ok() && id.error().code == ErrorCode::kForbidden) ++refused;
      });
    }
  }
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
}

TEST_P(DatabaseContractTest, APasswordResetIsUsedOnceAndEndsEverySession) {
  const int64_t anna = MakeAccount("anna");
  const int64_t bert = MakeAccount("bert");
  ASSERT_TRUE(db_->AddSession({"s-anna", anna, "c", 5000}).ok());
  ASSERT_TRUE(db_->AddSession({"s-bert", bert, "c", 5000}).ok());
  ASSERT_TRUE(db_->AddPasswordReset(anna, "reset-1", 2000).ok());
  ASSERT_TRUE(db_->AddPasswordReset(anna, "reset-2", 2000).ok());
  EXPECT_EQ(db_->AddPasswordReset(987654, "reset-x", 2000).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*db_->FindPasswordReset("reset-1", 1500), std::optional<int64_t>(anna));
  EXPECT_EQ(*db_->FindPasswordReset("reset-1", 2000), std::nullopt);  // Expired.
  EXPECT_EQ(db_->ResetPassword("reset-1", "new", 2500).error().code, ErrorCode::kForbidden);
  auto reset = db_->ResetPassword("reset-1", "new-hash", 1500);
  ASSERT_TRUE(reset.ok()) << reset.error().message;
  EXPECT_EQ(*reset, anna);
  EXPECT_EQ((*db_->AccountById(anna))->password_hash, "new-hash");
  EXPECT_FALSE(db_->FindSession("s-anna", 1500)->has_value());
  EXPECT_TRUE(db_->FindSession("s-bert", 1500)->has_value());  // Nobody else's.
  // Used up, and so is the account's other token.
  EXPECT_EQ(db_->ResetPassword("reset-1", "x", 1500).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(db_->ResetPassword("reset-2", "x", 1500).error().code, ErrorCode::kForbidden);
}

TEST_P(DatabaseContractTest, SharesOpenOneJournalToOneAccountUntilRevoked) {
  const int64_t anna = MakeAccount("anna");
  const int64_t doctor = MakeAccount("doctor");
  const int64_t carl = MakeAccount("carl");
  EXPECT_EQ(db_->AddShare(anna, "nobody", 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->AddShare(anna, "anna", 1).error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(db_->AddShare(anna, "doctor", 1).ok());
  ASSERT_TRUE(db_->AddShare(anna, "doctor", 2).ok());  // Again: nothing changes.
  EXPECT_EQ(db_->ListShares(anna)->granted, std::vector<std::string>{"doctor"});
  EXPECT_EQ(db_->ListShares(doctor)->received, std::vector<std::string>{"anna"});
  EXPECT_EQ(*db_->SharedJournalOwner(doctor, "anna"), std::optional<int64_t>(anna));
  EXPECT_EQ(*db_->SharedJournalOwner(carl, "anna"), std::nullopt);
  EXPECT_EQ(*db_->SharedJournalOwner(doctor, "carl"), std::nullopt);
  EXPECT_EQ(*db_->SharedJournalOwner(anna, "doctor"), std::nullopt);  // One way only.
  ASSERT_TRUE(db_->DeleteShare(anna, "doctor").ok());
  EXPECT_EQ(db_->DeleteShare(anna, "doctor").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*db_->SharedJournalOwner(doctor, "anna"), std::nullopt);
  // Deleting the clinician's account deletes the shares it received.
  ASSERT_TRUE(db_->AddShare(anna, "doctor", 3).ok());
  ASSERT_TRUE(db_->DeleteAccount(doctor).ok());
  EXPECT_TRUE(db_->ListShares(anna)->granted.empty());
}

}  // namespace mg::accounts
