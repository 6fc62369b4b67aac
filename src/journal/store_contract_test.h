// The contract every journal Store must honour. A backend plugs in by instantiating the suite:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, testing::Values(StoreFactory{...}));
#ifndef MGADVISOR_JOURNAL_STORE_CONTRACT_TEST_H_
#define MGADVISOR_JOURNAL_STORE_CONTRACT_TEST_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "journal/journal.h"

namespace mg::journal {

struct StoreFactory {
  std::string name;
  // Opens a store named `key` (the same key reopens the same journal) using `clock`.
  std::function<Result<std::unique_ptr<Store>>(const std::string& key, const Clock& clock)> open;
  // Called once per test before any open, to start from an empty backend.
  std::function<void()> reset;
};

class StoreContractTest : public testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { GetParam().reset(); }
  std::unique_ptr<Store> Open(const std::string& key = "main");

  FixedClock clock_{std::chrono::year{2026} / 11 / 23};
};

std::string StoreFactoryName(const testing::TestParamInfo<StoreFactory>& info);

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_STORE_CONTRACT_TEST_H_
