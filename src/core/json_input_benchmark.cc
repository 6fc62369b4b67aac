// What the input boundary costs: ParseJson (UTF-8 check, SAX with depth and key checks, field
// paths) against nlohmann's own json::parse on the same text, in the same process. Read the
// ratio, not the absolute times.
//
//   cmake --preset release && cmake --build build/release --target json_input_benchmark
//   build/release/src/core/json_input_benchmark
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/json_input.h"
#include "core/utf8.h"

namespace mg {
namespace {

using nlohmann::json;

// A journal export of `entries` entries, shaped as `journal export` writes it (about 100 KB
// for 300: a CLI import; HTTP bodies stop at 64 KiB).
std::string JournalExport(int entries) {
  json j = {{"format", "mgadvisor-journal"}, {"version", 1}, {"profile", nullptr}};
  j["entries"] = json::array();
  for (int i = 0; i < entries; ++i) {
    j["entries"].push_back({{"id", i + 1},
                            {"date", fmt::format("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28)},
                            {"kind", i % 3 == 0   ? "food"
                                     : i % 3 == 1 ? "irls"
                                                  : "note"},
                            {"label", "pumpkin seeds, roasted — 30 g"},
                            {"magnesium_mg", 156.0 * 0.3},
                            {"irls_items", {2, 1, 0, 3, 1, 2, 1, 1, 2, 1}},
                            {"note", "slept badly; café au lait after 4 pm"}});
  }
  j["trials"] = json::array();
  return j.dump(2);
}

const std::string& Text() {
  static const std::string text = JournalExport(300);
  return text;
}

void BM_NlohmannParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(json::parse(Text()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
}
BENCHMARK(BM_NlohmannParse);

void BM_ParseJson(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseJson(Text(), "bench.json"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
}
BENCHMARK(BM_ParseJson);

void BM_Utf8Check(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(IsValidUtf8(Text()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
}
BENCHMARK(BM_Utf8Check);

}  // namespace
}  // namespace mg

BENCHMARK_MAIN();
