#include "server/session_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace mg::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

accounts::Session MakeSession(const std::string& hash, int64_t user_id, int64_t expires = 5000) {
  return accounts::Session{hash, user_id, "csrf-" + hash, expires};
}

const SessionCache::Clock::time_point kStart{seconds(100)};

TEST(SessionCache, ServesASessionForItsTtlAndNeverPastItsExpiry) {
  SessionCache cache(seconds(2), 100);
  EXPECT_FALSE(cache.Find("a", 1000, kStart).has_value());
  cache.Remember(MakeSession("a", 1, /*expires=*/1003), cache.Generation(), kStart);
  const auto hit = cache.Find("a", 1000, kStart + milliseconds(1999));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->user_id, 1);
  EXPECT_EQ(hit->csrf_token, "csrf-a");
  EXPECT_FALSE(cache.Find("a", 1000, kStart + seconds(2)).has_value());       // The ttl is over.
  EXPECT_FALSE(cache.Find("a", 1000, kStart - milliseconds(1)).has_value());  // A clock gone back.
  EXPECT_FALSE(cache.Find("a", 1003, kStart).has_value());  // Expired: expires > now, as in SQL.
  EXPECT_FALSE(cache.Find("b", 1000, kStart).has_value());
}

TEST(SessionCache, ForgetsWhatEndedAtOnce) {
  SessionCache cache(seconds(2), 100);
  cache.Remember(MakeSession("a", 1), cache.Generation(), kStart);
  cache.Remember(MakeSession("b", 1), cache.Generation(), kStart);
  cache.Remember(MakeSession("c", 2), cache.Generation(), kStart);
  cache.ForgetSession("a");
  EXPECT_FALSE(cache.Find("a", 1000, kStart).has_value());
  EXPECT_TRUE(cache.Find("b", 1000, kStart).has_value());
  cache.ForgetAccount(1);
  EXPECT_FALSE(cache.Find("b", 1000, kStart).has_value());
  EXPECT_TRUE(cache.Find("c", 1000, kStart).has_value());  // Another account's.
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SessionCache, ALookupThatRanWhileSomethingEndedIsNotRemembered) {
  SessionCache cache(seconds(2), 100);
  // A request read the generation, then looked the session up; meanwhile another request signed
  // the account out (database first, then the cache). The first one's result may predate the
  // ending: it must not come back.
  const uint64_t before = cache.Generation();
  cache.ForgetAccount(7);
  cache.Remember(MakeSession("a", 7), before, kStart);
  EXPECT_FALSE(cache.Find("a", 1000, kStart).has_value());
  cache.Remember(MakeSession("a", 7), cache.Generation(), kStart);
  EXPECT_TRUE(cache.Find("a", 1000, kStart).has_value());
}

TEST(SessionCache, StaysWithinItsCapacity) {
  SessionCache cache(seconds(2), 10);
  for (int i = 0; i < 25; ++i) {
    cache.Remember(MakeSession("s" + std::to_string(i), i), cache.Generation(),
                   kStart + milliseconds(i));
    EXPECT_LE(cache.size(), 10u);
  }
  // The newest is always kept; out-of-date entries go first when full.
  EXPECT_TRUE(cache.Find("s24", 1000, kStart + milliseconds(24)).has_value());
  SessionCache old_and_new(seconds(2), 3);
  old_and_new.Remember(MakeSession("old", 1), old_and_new.Generation(), kStart);
  old_and_new.Remember(MakeSession("new1", 2), old_and_new.Generation(), kStart + seconds(3));
  old_and_new.Remember(MakeSession("new2", 3), old_and_new.Generation(), kStart + seconds(3));
  old_and_new.Remember(MakeSession("new3", 4), old_and_new.Generation(), kStart + seconds(3));
  EXPECT_EQ(old_and_new.size(), 3u);  // "old" made room.
  EXPECT_TRUE(old_and_new.Find("new1", 1000, kStart + seconds(3)).has_value());
  SessionCache none(seconds(2), 0);
  none.Remember(MakeSession("a", 1), none.Generation(), kStart);
  EXPECT_EQ(none.size(), 0u);
}

}  // namespace
}  // namespace mg::server
