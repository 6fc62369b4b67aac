// Checking a 10,000-word page, against tokenising the same page in the same run (the floor any
// checker pays) and splitting it into sentences. Build with the release preset:
//   cmake --build build/release --target check_benchmark && build/release/src/check/check_benchmark
#include <benchmark/benchmark.h>

#include <string>

#include "check/test_util.h"
#include "check/tokens.h"

namespace mg::check {
namespace {

// A page of the kind the checker reads: marketing and fact-sheet sentences mixed with filler.
const std::string& TenThousandWordPage() {
  static const std::string page = [] {
    const char* paragraph[] = {
        "Magnesium may help some people with restless legs.",
        "Our magnesium oil is readily absorbed through the skin and works better than pills.",
        "Free shipping on all orders over fifty dollars, and returns are easy.",
        ("A 2016 meta-analysis in Hypertension found that magnesium lowered blood pressure a "
         "little."),
        "Take 400 mg of elemental magnesium every day for deep sleep.",
        "Magnesium is involved in more than 300 enzymatic reactions in the body.",
        "It has none of the side effects of drugs and is safe for everyone.",
        "Customers love the taste and the resealable pouch keeps the powder dry.",
        "Doctors recommend magnesium for migraines and stress.",
        "Magnesium reduces the brain's production of NMDA, calming your nerves.",
    };
    std::string out;
    size_t words = 0;
    for (size_t i = 0; words < 10000; ++i) {
      const std::string s = paragraph[i % std::size(paragraph)];
      out += s + (i % 5 == 4 ? "\n\n" : " ");
      words += static_cast<size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
    }
    return out;
  }();
  return page;
}

void BM_Tokenize(benchmark::State& state) {
  const std::string& page = TenThousandWordPage();
  for (auto _ : state) benchmark::DoNotOptimize(Tokenize(page));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_ReadAndSplit(benchmark::State& state) {
  const std::string& page = TenThousandWordPage();
  const Checker& checker = EmbeddedChecker();
  for (auto _ : state) {
    auto read = ReadPage(page, "page");
    benchmark::DoNotOptimize(SplitSentences(read->text, checker.abbreviations()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_ReadAndSplit)->Unit(benchmark::kMillisecond);

void BM_CheckPage(benchmark::State& state) {
  const std::string& page = TenThousandWordPage();
  const Checker& checker = EmbeddedChecker();
  size_t claims = 0;
  for (auto _ : state) {
    auto read = ReadPage(page, "page");
    const CheckResult result = checker.Check(*read);
    claims = result.claims.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["claims"] = static_cast<double>(claims);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_CheckPage)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mg::check

BENCHMARK_MAIN();
