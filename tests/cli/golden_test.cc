// Golden plans: every example profile's plan, as text and as JSON, is checked in under
// examples/golden/ and must come out of the real binary byte for byte. A change to the knowledge
// base, policy, message texts or engine therefore shows up in review as a diff of plans;
// ./scripts/update-golden.sh regenerates the files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/cli/cli_runner.h"

namespace mg {
namespace {

namespace fs = std::filesystem;
using ::mg::testing::RunCli;

const fs::path kExamples = fs::path(MG_SOURCE_DIR) / "examples";

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> ExampleProfiles() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kExamples)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".toml" || ext == ".json")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first line where two texts differ, for a readable failure.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "(no line differs; trailing bytes differ)";
    if (la != lb || more_a != more_b) {
      return "line " + std::to_string(line) + ":\n  golden: " + (more_a ? la : "<end>") +
             "\n  now:    " + (more_b ? lb : "<end>");
    }
  }
}

TEST(GoldenPlans, EveryExampleMatchesItsGoldenTextAndJson) {
  const auto profiles = ExampleProfiles();
  ASSERT_GE(profiles.size(), 13u) << "examples/ lost profiles";
  std::set<std::string> expected_files;
  for (const fs::path& profile : profiles) {
    const std::string name = profile.stem().string();
    for (const bool json : {false, true}) {
      const fs::path golden = kExamples / "golden" / (name + (json ? ".json" : ".txt"));
      expected_files.insert(golden.filename().string());
      ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run ./scripts/update-golden.sh";
      std::vector<std::string> args = {"plan", "--profile", profile.string()};
      if (json) args.push_back("--json");
      const auto r = RunCli(args);
      ASSERT_EQ(r.exit_code, 0) << profile << ": " << r.err;
      const std::string want = Slurp(golden);
      EXPECT_EQ(r.out, want) << golden.filename() << " differs, first at "
                             << FirstDifference(want, r.out)
                             << "\nIf the change is intended, run ./scripts/update-golden.sh and "
                                "review `git diff examples/golden`.";
    }
  }
  // No golden file outlives its profile.
  for (const auto& entry : fs::directory_iterator(kExamples / "golden")) {
    EXPECT_TRUE(expected_files.contains(entry.path().filename().string()))
        << entry.path() << " has no example profile: remove it or run update-golden.sh";
  }
}

// The new examples exist to cover the plan's main branches; check they still do, so a profile
// edited into blandness is caught (rule ids as docs/PLAN.md lists them).
TEST(GoldenPlans, ExamplesCoverTheMainBranches) {
  const std::vector<std::pair<std::string, std::string>> branches = {
      {"infant-constipation", "safety.contraindication.infants"},
      {"child-migraine-eu", "supplement."},
      {"ckd-cramps", "safety.contraindication."},
      {"many-medicines", "timing.moved_for_spacing"},
      {"many-medicines", "medicine.unknown"},
      {"pregnancy-cramps", "evidence.pregnancy_leg_cramps"},
      {"above-the-limit", "safety.ul_already_exceeded"},
      {"topical-preference", "preference.topical"},
      {"swollen-calf", "safety.emergency_first"},
  };
  for (const auto& [name, rule] : branches) {
    const std::string golden = Slurp(kExamples / "golden" / (name + ".json"));
    EXPECT_NE(golden.find("\"" + rule), std::string::npos) << name << " no longer fires " << rule;
  }
}

}  // namespace
}  // namespace mg
