// Issue 11 finding 9: a SIGKILL during `foods import` could leave `foods.csv.tmp.<pid>` behind,
// and nothing was fsync'd before the rename. Here the real binary imports a synthetic SR28 folder
// big enough to take a while and is killed at spread-out moments: the store is always either the
// old one or the new one, whole, and the next import removes what the killed one left.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/data_files.h"
#include "tests/fault/fault_util.h"

namespace mg::fault {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kFoods = 10000;
constexpr int kRounds = 4;

// An SR28 ASCII folder with `foods` foods, each with magnesium, energy and a portion.
void WriteSr28(const fs::path& dir, int foods) {
  fs::create_directories(dir);
  std::ofstream(dir / "FD_GROUP.txt") << "~0900~^~Fruits and Fruit Juices~\n";
  std::ofstream des(dir / "FOOD_DES.txt");
  std::ofstream nut(dir / "NUT_DATA.txt");
  std::ofstream weight(dir / "WEIGHT.txt");
  for (int i = 0; i < foods; ++i) {
    char ndb[16];
    std::snprintf(ndb, sizeof ndb, "%05d", i);
    des << "~" << ndb << "~^~0900~^~Synthetic fruit number " << i << ", raw~^~~^~~^~~^~~^~~^^~~^"
        << "6.25^3.36^8.37^3.60\n";
    nut << "~" << ndb << "~^~304~^" << (i % 300) << "^1^^~1~^~A~^^^^^^^^^^^\n";
    nut << "~" << ndb << "~^~208~^" << (i % 900) << "^0^^~4~^~NC~^^^^^^^^^^^\n";
    weight << "~" << ndb << "~^1^1^~cup, sliced~^" << (100 + i % 150) << "^^\n";
  }
}

size_t LinesOf(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

int Temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) ++n;
  }
  return n;
}

TEST(KilledImportFault, TheStoreIsAlwaysTheOldOneOrTheNewOneWhole) {
  const auto started = std::chrono::steady_clock::now();
  Scratch scratch;
  const auto env = scratch.Env();
  const fs::path usda = scratch.path("usda");
  WriteSr28(usda, kFoods);
  const fs::path store = scratch.path("store/foods.csv");
  const std::string small = std::string(MG_SOURCE_DIR) + "/src/foods/testdata/sr28_mini";
  ASSERT_EQ(
      testing::RunCli({"foods", "import", small, "--store", store.string()}, "", env).exit_code, 0);
  const std::string old_store = ReadFile(store.string()).value();

  // How long a whole import takes here, to spread the kills over it.
  const auto timed = std::chrono::steady_clock::now();
  const auto whole = testing::RunCli(
      {"foods", "import", usda.string(), "--store", (scratch.path("timed.csv")).string()}, "", env);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto duration = std::chrono::steady_clock::now() - timed;
  const std::string new_store = ReadFile(scratch.path("timed.csv").string()).value();
  ASSERT_EQ(LinesOf(new_store), static_cast<size_t>(kFoods) + 1);

  int kills = 0, old_seen = 0, new_seen = 0, left_behind = 0;
  for (int round = 0; round < kRounds; ++round) {
    // Even rounds: kill at 50 % or 100 % of a whole import's time (reading, or about done).
    // Odd rounds: kill the moment its temporary appears, mid-write.
    auto process =
        testing::StartCli({"foods", "import", usda.string(), "--store", store.string()}, env);
    if (round % 2 == 0) {
      std::this_thread::sleep_for(duration * (50 + 25 * round) / 100);
    } else {
      const auto deadline = std::chrono::steady_clock::now() + 3 * duration + 10s;
      while (Temporaries(store.parent_path()) == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(200us);
      }
    }
    if (process->Signal(SIGKILL)) ++kills;
    process->Wait(30s);
    const std::string now = ReadFile(store.string()).value();
    if (now == old_store) {
      ++old_seen;
    } else {
      ASSERT_EQ(now, new_store) << "round " << round << ": the store is neither old nor new";
      ++new_seen;
    }
    left_behind += Temporaries(store.parent_path());
    // Put the old store back for the next round (through the same atomic path).
    ASSERT_EQ(
        testing::RunCli({"foods", "import", small, "--store", store.string()}, "", env).exit_code,
        0);
    EXPECT_EQ(Temporaries(store.parent_path()), 0) << "a killed import's temporary survived";
  }
  ReportCounts(
      "killed_import",
      Printf(
          "killed food import: %d SIGKILLs over a %.2f s import of %d foods; store old %d times, "
          "new %d times, never partial; %d temporaries left by kills, each removed by the next "
          "import; %.1f s",
          kills, std::chrono::duration<double>(duration).count(), kFoods, old_seen, new_seen,
          left_behind, SecondsSince(started)));
  EXPECT_EQ(old_seen + new_seen, kRounds);
  EXPECT_GT(left_behind, 0) << "no kill landed mid-write: the clean-up was not exercised";
}

}  // namespace
}  // namespace mg::fault
