// The contract every accounts::Database must honour. A backend plugs in by instantiating the
// suite:
//   INSTANTIATE_TEST_SUITE_P(Postgres, DatabaseContractTest,
//                            testing::Values(DatabaseFactory{...}), DatabaseFactoryName);
#ifndef MGADVISOR_ACCOUNTS_DATABASE_CONTRACT_TEST_H_
#define MGADVISOR_ACCOUNTS_DATABASE_CONTRACT_TEST_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "accounts/database.h"
#include "journal/journal.h"

namespace mg::accounts {

struct DatabaseFactory {
  std::string name;
  // Opens an empty database, once per test. May GTEST_SKIP() (or FAIL()) when the backend is not
  // available, in which case the test body does not run.
  std::function<Result<std::shared_ptr<Database>>()> open_empty;
};

class DatabaseContractTest : public testing::TestWithParam<DatabaseFactory> {
 protected:
  void SetUp() override;

  // Creates an account named `username` (already normalised) and returns its id.
  int64_t MakeAccount(const std::string& username);
  // The journal of `user_id`, or nullptr after recording a failure.
  std::unique_ptr<journal::Store> Journal(int64_t user_id);

  std::shared_ptr<Database> db_;
  journal::FixedClock clock_{std::chrono::year{2026} / 11 / 23};
};

std::string DatabaseFactoryName(const testing::TestParamInfo<DatabaseFactory>& info);
// So failure messages name the backend instead of dumping the factory's bytes.
void PrintTo(const DatabaseFactory& factory, std::ostream* os);

}  // namespace mg::accounts

#endif  // MGADVISOR_ACCOUNTS_DATABASE_CONTRACT_TEST_H_
