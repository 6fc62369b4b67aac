// Test support for anything that needs a real PostgreSQL: a fresh, uniquely named database per
// test process on the server named by MGADVISOR_TEST_PG_URL (scripts/pg-test-server.sh starts a
// throwaway one), dropped again when the process is done with it.
//
//   TEST(Foo, Bar) {
//     MG_REQUIRE_POSTGRES();  // Skips without MGADVISOR_TEST_PG_URL; fails instead when CI is set.
//     pgstore::TestDatabase db;
//     auto database = pgstore::OpenPostgres(db.url());
//   }
#ifndef MGADVISOR_PGSTORE_PG_TEST_SUPPORT_H_
#define MGADVISOR_PGSTORE_PG_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace mg::pgstore {

inline constexpr const char* kTestPgUrlVariable = "MGADVISOR_TEST_PG_URL";

// Empty when PostgreSQL tests can run, otherwise why they cannot.
std::string PostgresUnavailableReason();

// Skips the current test (GTEST_SKIP) when MGADVISOR_TEST_PG_URL is unset — or fails it when the
// environment variable CI is set, so CI can never silently skip PostgreSQL. Use in a test body,
// SetUp() or any other void function.
#define MG_REQUIRE_POSTGRES()                                                        \
  do {                                                                               \
    const std::string mg_pg_reason_ = ::mg::pgstore::PostgresUnavailableReason();    \
    if (!mg_pg_reason_.empty()) {                                                    \
      if (std::getenv("CI") != nullptr) {                                            \
        FAIL() << mg_pg_reason_ << " (CI is set, so this is a failure, not a skip)"; \
      } else {                                                                       \
        GTEST_SKIP() << mg_pg_reason_;                                               \
      }                                                                              \
    }                                                                                \
  } while (false)

// A database created on construction (named mgadvisor_test_<pid>_<random>) on the server of
// MGADVISOR_TEST_PG_URL, whose user must be allowed to CREATE DATABASE; dropped (with any
// connections still open to it) on destruction. Construction failures are recorded as test
// failures (ADD_FAILURE) and leave url() empty.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  bool ok() const { return !url_.empty(); }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// `url` with its database name replaced by `dbname` (query parameters are kept).
std::string WithDatabase(const std::string& url, const std::string& dbname);

}  // namespace mg::pgstore

#endif  // MGADVISOR_PGSTORE_PG_TEST_SUPPORT_H_
