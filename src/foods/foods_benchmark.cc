// Food search speed and quality over the full USDA SR28 + FNDDS set (~14,000 foods), against
// SQLite FTS5 on the same foods in the same process. Not a test: run it by hand or through
// scripts/bench-foods.sh, which also times the SR28 import against `wc -l`.
//
//   foods_benchmark [--usda DIR]   (default: ../shared/data/usda beside the repository)
//
// Prints one summary block (p50/p99 latency per query, ratio, top-1/top-5 accuracy for both)
// and then runs the Google Benchmark cases.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data_files.h"
#include "foods/foods.h"
#include "foods/import.h"
#include "foods/search.h"
#include "foods/search_quality.h"

namespace mg::foods {
namespace {

struct Fixture {
  FoodDb db;
  std::unique_ptr<FoodSearch> index;
  sqlite3* fts = nullptr;
  sqlite3_stmt* query = nullptr;
  sqlite3_stmt* query_prior = nullptr;  // Same, curated common foods first (our ranking prior).
  std::vector<QualityQuery> queries;
};

Fixture* g_fixture = nullptr;

// FTS5 with the porter stemmer, every word a prefix, all words required, falling back to any
// word when nothing matches all; ranked by bm25 with the name weighted most.
std::string FtsQuery(const std::string& text, bool all) {
  // The person's own words (FTS5 applies its porter stemmer to them).
  std::vector<std::string> words(1);
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      words.back().push_back(c);
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  std::string out;
  for (const std::string& token : words) {
    if (!out.empty()) out += all ? " AND " : " OR ";
    out += "\"" + token + "\"*";
  }
  return out;
}

std::vector<size_t> FtsSearch(Fixture& f, const std::string& text, size_t limit,
                              bool prior = false) {
  std::vector<size_t> out;
  sqlite3_stmt* stmt = prior ? f.query_prior : f.query;
  for (bool all : {true, false}) {
    const std::string q = FtsQuery(text, all);
    if (q.empty()) return out;
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, q.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, static_cast<int>(limit));
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.push_back(static_cast<size_t>(sqlite3_column_int64(stmt, 0)));
    }
    if (!out.empty()) break;
  }
  return out;
}

bool BuildFts(Fixture& f) {
  if (sqlite3_open(":memory:", &f.fts) != SQLITE_OK) return false;
  char* err = nullptr;
  if (sqlite3_exec(f.fts,
                   "CREATE VIRTUAL TABLE foods USING fts5(name, aliases, description, common "
                   "UNINDEXED, tokenize = 'porter unicode61');",
                   nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "FTS5: %s\n", err);
    return false;
  }
  sqlite3_exec(f.fts, "BEGIN", nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(
      f.fts, "INSERT INTO foods(rowid, name, aliases, description, common) VALUES (?,?,?,?,?)", -1,
      &insert, nullptr);
  for (size_t i = 0; i < f.db.size(); ++i) {
    const Food& food = f.db[i];
    std::string aliases;
    for (const auto& a : food.aliases) aliases += a + "; ";
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(insert, 2, food.name.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, aliases.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, food.usda_description.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int(insert, 5, food.common ? 1 : 0);
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_exec(f.fts, "COMMIT", nullptr, nullptr, nullptr);
  return sqlite3_prepare_v2(f.fts,
                            "SELECT rowid FROM foods WHERE foods MATCH ?1 "
                            "ORDER BY bm25(foods, 10.0, 5.0, 1.0) LIMIT ?2",
                            -1, &f.query, nullptr) == SQLITE_OK &&
         sqlite3_prepare_v2(f.fts,
                            "SELECT rowid FROM foods WHERE foods MATCH ?1 "
                            "ORDER BY common DESC, bm25(foods, 10.0, 5.0, 1.0) LIMIT ?2",
                            -1, &f.query_prior, nullptr) == SQLITE_OK;
}

struct Latency {
  double p50_us = 0, p99_us = 0, mean_us = 0;
};

template <typename Fn>
Latency Measure(const std::vector<QualityQuery>& queries, int rounds, Fn fn) {
  std::vector<double> us;
  us.reserve(queries.size() * static_cast<size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    for (const auto& q : queries) {
      const auto start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(fn(q.query));
      const auto end = std::chrono::steady_clock::now();
      us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
  }
  std::sort(us.begin(), us.end());
  Latency l;
  l.p50_us = us[us.size() / 2];
  l.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  for (double v : us) l.mean_us += v;
  l.mean_us /= static_cast<double>(us.size());
  return l;
}

// The quality set with two typing errors in each query's longest word of six letters or more
// (a letter replaced by the next one in the alphabet, a later one left out): what people type
// in a hurry (issue 20). Queries without such a word are left out.
std::vector<QualityQuery> WithTwoTypos(const std::vector<QualityQuery>& queries) {
  std::vector<QualityQuery> out;
  for (const auto& q : queries) {
    size_t best_start = 0, best_length = 0;
    for (size_t i = 0; i < q.query.size();) {
      size_t j = i;
      while (j < q.query.size() && std::isalpha(static_cast<unsigned char>(q.query[j]))) ++j;
      if (j - i > best_length) {
        best_start = i;
        best_length = j - i;
      }
      i = j + 1;
    }
    if (best_length < 6) continue;
    QualityQuery typo = q;
    char& replaced = typo.query[best_start + best_length / 3];
    replaced = replaced == 'z' ? 'a' : static_cast<char>(replaced + 1);
    typo.query.erase(best_start + 2 * best_length / 3, 1);
    out.push_back(std::move(typo));
  }
  return out;
}

void BM_MgSearch(benchmark::State& state) {
  Fixture& f = *g_fixture;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.index->Search(f.queries[i++ % f.queries.size()].query, 5));
  }
}
BENCHMARK(BM_MgSearch);

void BM_Fts5Search(benchmark::State& state) {
  Fixture& f = *g_fixture;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(FtsSearch(f, f.queries[i++ % f.queries.size()].query, 5));
  }
}
BENCHMARK(BM_Fts5Search);

void BM_BuildIndex(benchmark::State& state) {
  // With the two-deletion index, as the server builds it at start.
  for (auto _ : state) {
    auto index = FoodSearch::Build(g_fixture->db);
    index->PrepareTwoEdits();
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BM_BuildIndex)->Unit(benchmark::kMillisecond);

int Run(int argc, char** argv) {
  std::string usda = std::string(MG_SOURCE_DIR) + "/../shared/data/usda";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--usda") == 0) usda = argv[i + 1];
  }
  namespace fs = std::filesystem;
  if (!fs::exists(usda + "/sr28") || !fs::exists(usda + "/fndds_2021-2023")) {
    std::fprintf(stderr, "foods_benchmark: no USDA data in %s (sr28/, fndds_2021-2023/)\n",
                 usda.c_str());
    return 2;
  }
  // Import SR28 + FNDDS into a temporary store, then load it as the CLI does.
  const fs::path tmp = fs::temp_directory_path() / ("mg_bench_" + std::to_string(::getpid()));
  fs::create_directories(tmp / "usda");
  fs::create_directory_symlink(fs::absolute(usda + "/sr28"), tmp / "usda/sr28");
  fs::create_directory_symlink(fs::absolute(usda + "/fndds_2021-2023"), tmp / "usda/fndds");
  ImportOptions options;
  options.store_path = (tmp / "foods.csv").string();
  auto report = ImportFoods((tmp / "usda").string(), options);
  if (!report.ok()) {
    std::fprintf(stderr, "import: %s\n", report.error().message.c_str());
    return 1;
  }
  Fixture f;
  auto db = LoadFoods(options.store_path);
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!db.ok()) {
    std::fprintf(stderr, "load: %s\n", db.error().message.c_str());
    return 1;
  }
  f.db = std::move(db).value();
  auto index = FoodSearch::Build(f.db);
  if (!index.ok()) return 1;
  f.index = std::make_unique<FoodSearch>(std::move(index).value());
  f.index->PrepareTwoEdits();  // As the server does at start: no timed query builds it.
  if (!BuildFts(f)) return 1;
  auto text = ReadFile(std::string(MG_SOURCE_DIR) + "/src/foods/testdata/search_queries.tsv");
  if (!text.ok()) return 1;
  auto queries = ParseQualityQueries(*text, "search_queries.tsv");
  if (!queries.ok()) return 1;
  f.queries = *queries;
  g_fixture = &f;

  auto sources = [&](const std::vector<size_t>& ids) {
    std::vector<std::string> out;
    for (size_t id : ids) out.push_back(f.db[id].source);
    return out;
  };
  const QualityScore mg_quality = ScoreQuality(f.queries, [&](const std::string& q) {
    std::vector<size_t> ids;
    for (const auto& hit : f.index->Search(q, 5)) ids.push_back(hit.food);
    return sources(ids);
  });
  const QualityScore fts_quality =
      ScoreQuality(f.queries, [&](const std::string& q) { return sources(FtsSearch(f, q, 5)); });
  const QualityScore prior_quality = ScoreQuality(
      f.queries, [&](const std::string& q) { return sources(FtsSearch(f, q, 5, true)); });
  const int rounds = 20;
  Measure(f.queries, 2, [&](const std::string& q) { return f.index->Search(q, 5); });  // Warm up.
  const Latency mg =
      Measure(f.queries, rounds, [&](const std::string& q) { return f.index->Search(q, 5); });
  const Latency fts =
      Measure(f.queries, rounds, [&](const std::string& q) { return FtsSearch(f, q, 5); });
  std::printf("foods: %zu (SR28 + FNDDS), vocabulary %zu words, %zu queries x %d rounds\n",
              f.db.size(), f.index->vocabulary_size(), f.queries.size(), rounds);
  std::printf("%-10s %9s %9s %9s %7s %7s\n", "engine", "p50 us", "p99 us", "mean us", "top-1",
              "top-5");
  std::printf("%-10s %9.1f %9.1f %9.1f %6.1f%% %6.1f%%\n", "mgadvisor", mg.p50_us, mg.p99_us,
              mg.mean_us, 100 * mg_quality.Top1(), 100 * mg_quality.Top5());
  std::printf("%-10s %9.1f %9.1f %9.1f %6.1f%% %6.1f%%\n", "FTS5", fts.p50_us, fts.p99_us,
              fts.mean_us, 100 * fts_quality.Top1(), 100 * fts_quality.Top5());
  const Latency prior =
      Measure(f.queries, rounds, [&](const std::string& q) { return FtsSearch(f, q, 5, true); });
  std::printf("%-10s %9.1f %9.1f %9.1f %6.1f%% %6.1f%%   (curated foods first)\n", "FTS5+prior",
              prior.p50_us, prior.p99_us, prior.mean_us, 100 * prior_quality.Top1(),
              100 * prior_quality.Top5());
  std::printf("FTS5 / mgadvisor latency: p50 %.1fx, p99 %.1fx, mean %.1fx\n",
              fts.p50_us / mg.p50_us, fts.p99_us / mg.p99_us, fts.mean_us / mg.mean_us);
  std::printf("FTS5+prior / mgadvisor latency: p50 %.1fx, p99 %.1fx, mean %.1fx\n",
              prior.p50_us / mg.p50_us, prior.p99_us / mg.p99_us, prior.mean_us / mg.mean_us);
  // The same with two typos in a word; FTS5 finds no word it cannot spell, so only its figures
  // for the same queries are shown beside.
  const std::vector<QualityQuery> typos = WithTwoTypos(f.queries);
  const QualityScore typo_quality = ScoreQuality(typos, [&](const std::string& q) {
    std::vector<size_t> ids;
    for (const auto& hit : f.index->Search(q, 5)) ids.push_back(hit.food);
    return sources(ids);
  });
  const QualityScore typo_fts_quality =
      ScoreQuality(typos, [&](const std::string& q) { return sources(FtsSearch(f, q, 5)); });
  const Latency typo_mg =
      Measure(typos, rounds, [&](const std::string& q) { return f.index->Search(q, 5); });
  const Latency typo_fts =
      Measure(typos, rounds, [&](const std::string& q) { return FtsSearch(f, q, 5); });
  std::printf("two typos in a word (%zu of the queries, e.g. \"%s\"):\n", typos.size(),
              typos.empty() ? "" : typos[0].query.c_str());
  std::printf("%-10s %9.1f %9.1f %9.1f %6.1f%% %6.1f%%\n", "mgadvisor", typo_mg.p50_us,
              typo_mg.p99_us, typo_mg.mean_us, 100 * typo_quality.Top1(),
              100 * typo_quality.Top5());
  std::printf("%-10s %9.1f %9.1f %9.1f %6.1f%% %6.1f%%\n", "FTS5", typo_fts.p50_us, typo_fts.p99_us,
              typo_fts.mean_us, 100 * typo_fts_quality.Top1(), 100 * typo_fts_quality.Top5());
  if (std::getenv("MG_BENCH_MISSES") != nullptr) {
    for (const auto& m : mg_quality.misses) std::printf("  mgadvisor miss: %s\n", m.c_str());
    for (const auto& m : fts_quality.misses) std::printf("  FTS5 miss: %s\n", m.c_str());
  }
  // Import of the full SR28 (read, parse, write the store), best of five, in process.
  double best_ms = 1e18;
  for (int i = 0; i < 5; ++i) {
    ImportOptions sr28;
    sr28.store_path =
        (fs::temp_directory_path() / ("mg_bench_sr28_" + std::to_string(::getpid()))).string();
    const auto start = std::chrono::steady_clock::now();
    auto r = ImportFoods(usda + "/sr28", sr28);
    const auto end = std::chrono::steady_clock::now();
    fs::remove(sr28.store_path, ec);
    if (!r.ok()) return 1;
    best_ms = std::min(best_ms, std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::printf("SR28 import in process (best of 5): %.1f ms\n", best_ms);
  std::fflush(stdout);

  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  sqlite3_finalize(f.query);
  sqlite3_finalize(f.query_prior);
  sqlite3_close(f.fts);
  return 0;
}

}  // namespace
}  // namespace mg::foods

int main(int argc, char** argv) { return mg::foods::Run(argc, argv); }
