// Issue 11, item 8, through the real binary: `mgadvisor formula` given a formula nested 35,000
// deep died with SIGSEGV, and `((Mg9999)9999)9999` printed a negative molar mass. Both are bad
// input: exit 2, a message naming the position and the limit, nothing on stdout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

using ::mg::testing::RunCli;
using ::testing::HasSubstr;

TEST(FormulaLimitsCli, DeepNestingExitsTwoNamingPositionAndLimit) {
  const std::string deep = std::string(35000, '(') + "Mg" + std::string(35000, ')');
  auto r = RunCli({"formula", deep});
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 300);
  EXPECT_THAT(r.err, HasSubstr("has groups nested deeper than 16 (at position 17)"));
  EXPECT_LT(r.err.size(), 300u) << "the message quotes a shortened formula";
  EXPECT_EQ(r.out, "");
}

TEST(FormulaLimitsCli, AtomCountOverflowExitsTwoNamingPositionAndLimit) {
  auto r = RunCli({"formula", "((Mg9999)9999)9999"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("has more than 100000 atoms of Mg (at position 10)"));
  EXPECT_EQ(r.out, "");
  auto json = RunCli({"formula", "((Mg9999)9999)9999", "--json"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(json.err)["error"]["code"], "invalid_argument");
}

TEST(FormulaLimitsCli, LargestAllowedFormulaHasAPositiveMass) {
  auto r = RunCli({"formula", "(Mg1000)100", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["composition"]["Mg"], 100000);
  EXPECT_NEAR(out["molar_mass_g_per_mol"].get<double>(), 100000 * 24.305, 1e-6);
}

}  // namespace
}  // namespace mg
