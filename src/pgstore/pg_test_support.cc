#include "pgstore/pg_test_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <pqxx/pqxx>
#include <random>

#include "pgstore/pg_database.h"

// LeakSanitizer hook (used only in sanitizer builds): libpqxx 6.4 leaks the PGresult of a BEGIN
// that fails because the server dropped the connection (transaction_base::direct_exec from
// dbtransaction::do_begin). The pool replaces such connections, and pg_store_test's
// ADroppedConnectionIsReplaced does exactly this. libpq is built without frame pointers, so the
// leak's stack ends inside the library and can only be matched by module: a leak with a libpqxx
// frame in its stack is suppressed; an object our code allocates and leaks is still reported.
extern "C" __attribute__((visibility("default"), used)) const char* __lsan_default_suppressions() {
  return "leak:libpqxx-6.4.so\n";
}

namespace mg::pgstore {

std::string PostgresUnavailableReason() {
  const char* url = std::getenv(kTestPgUrlVariable);
  if (url == nullptr || *url == '\0') {
    return fmt::format(
        "PostgreSQL tests need {} (a server where the user may CREATE DATABASE); "
        "run `export {}=$(scripts/pg-test-server.sh start)`",
        kTestPgUrlVariable, kTestPgUrlVariable);
  }
  return "";
}

std::string WithDatabase(const std::string& url, const std::string& dbname) {
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t query = url.find('?', authority);
  const size_t path = url.find('/', authority);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  const size_t base_end = path != std::string::npos && (query == std::string::npos || path < query)
                              ? path
                              : (query == std::string::npos ? url.size() : query);
  return url.substr(0, base_end) + "/" + dbname + tail;
}

TestDatabase::TestDatabase() {
  const char* admin = std::getenv(kTestPgUrlVariable);
  if (admin == nullptr || *admin == '\0') {
    ADD_FAILURE() << PostgresUnavailableReason();
    return;
  }
  admin_url_ = admin;
  std::random_device random;
  // Digits and underscores only, so the name needs no quoting (CREATE DATABASE takes no
  // parameters; nothing from outside reaches this statement).
  name_ = fmt::format("mgadvisor_test_{}_{}", ::getpid(), random() % 1000000000u);
  try {
    pqxx::connection conn(admin_url_);
    pqxx::nontransaction txn(conn);
    txn.exec0("CREATE DATABASE " + name_);
    url_ = WithDatabase(admin_url_, name_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "creating test database " << name_ << " on " << RedactUrl(admin_url_) << ": "
                  << e.what();
  }
}

TestDatabase::~TestDatabase() {
  if (url_.empty()) return;
  try {
    pqxx::connection conn(admin_url_);
    pqxx::nontransaction txn(conn);
    // FORCE: pools of the code under test may still hold connections to it.
    txn.exec0("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "dropping test database " << name_ << ": " << e.what();
  }
}

}  // namespace mg::pgstore
