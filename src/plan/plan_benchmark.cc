// Plan generation speed, knowledge base already loaded. Target: <= 20 µs per plan.
// Baseline in the same run: resolving the same profile from JSON, so the ratio says how the
// engine compares with the parsing every request pays anyway.
//
// BM_PlanRequest is what POST /api/plan and `plan --json` pay after parsing (issue 20): the plan,
// the fields noted without effect, and the JSON text; BM_NoteFieldsWithoutEffect and BM_PlanJson
// are its two costly parts on their own.
#include <benchmark/benchmark.h>

#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/render.h"

namespace mg::plan {
namespace {

const PlanContext& Context() {
  static const auto context = [] {
    auto loaded = PlanContext::Load(std::nullopt);
    if (!loaded.ok()) std::abort();
    (*loaded)->PrewriteJson();  // As the server's context (ops::ContextOptions).
    return std::move(loaded).value();
  }();
  return *context;
}

Profile Resolve(const std::string& json_text) {
  auto doc = ParseProfileText(json_text, "bench.json");
  auto profile = ResolveProfile(*doc, Context());
  if (!profile.ok()) std::abort();
  return *profile;
}

const char* kTypical = R"({"age": 45, "sex": "female", "complaints": ["restless legs"]})";
const char* kWorst =
    R"({"age": 67, "sex": "female", "complaints": ["restless legs", "migraine", "insomnia", "constipation", "fibromyalgia"],
        "medicines": [{"name": "levothyroxine", "times": ["07:00"]}, {"name": "alendronate", "times": ["06:30"]},
                      {"name": "gabapentin", "times": ["08:00", "14:00", "20:00"]}, "ciprofloxacin", "omeprazole", "furosemide"],
        "kidney": {"egfr": 75}, "diagnoses": ["ibs_c", "type_2_diabetes"],
        "magnesium_taken": [{"kind": "antacid", "compound": "hydroxide", "amount": "200mg"}],
        "diet": {"food_frequency": {"nuts_seeds": 0.5, "leafy_greens": 1}},
        "food_exclusions": ["vegan", "nut allergy"], "preferences": {"max_pills_per_day": 3}})";

void BM_BuildPlan(benchmark::State& state, const char* profile_text) {
  const Profile profile = Resolve(profile_text);
  for (auto _ : state) {
    Plan plan = BuildPlan(profile, Context());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK_CAPTURE(BM_BuildPlan, typical, kTypical);
BENCHMARK_CAPTURE(BM_BuildPlan, worst_case, kWorst);

// The profile of examples/night-cramps-older-woman.toml, which scripts/bench-server.sh posts.
const char* kBenchServer =
    R"({"age": 67, "sex": "female", "complaints": [{"condition": "leg cramps", "severity": 6}],
        "medicines": [{"name": "alendronate", "times": ["07:00"]}], "kidney": {"egfr": 55},
        "diet": {"food_frequency": {"whole_grains": 1, "dairy": 1, "fruit_veg": 2}}})";

void BM_PlanRequest(benchmark::State& state, const char* profile_text) {
  const Profile profile = Resolve(profile_text);
  for (auto _ : state) {
    Plan plan = BuildPlan(profile, Context());
    NoteFieldsWithoutEffect(profile, Context(), plan);
    std::string text = RenderPlan(plan, Context(), Format::kJson);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK_CAPTURE(BM_PlanRequest, typical, kTypical);
BENCHMARK_CAPTURE(BM_PlanRequest, bench_server, kBenchServer);
BENCHMARK_CAPTURE(BM_PlanRequest, worst_case, kWorst);

void BM_NoteFieldsWithoutEffect(benchmark::State& state, const char* profile_text) {
  const Profile profile = Resolve(profile_text);
  Plan plan = BuildPlan(profile, Context());
  for (auto _ : state) {
    NoteFieldsWithoutEffect(profile, Context(), plan);
    benchmark::DoNotOptimize(plan.noted_without_effect);
  }
}
BENCHMARK_CAPTURE(BM_NoteFieldsWithoutEffect, bench_server, kBenchServer);
BENCHMARK_CAPTURE(BM_NoteFieldsWithoutEffect, worst_case, kWorst);

void BM_PlanJson(benchmark::State& state, const char* profile_text) {
  const Profile profile = Resolve(profile_text);
  Plan plan = BuildPlan(profile, Context());
  NoteFieldsWithoutEffect(profile, Context(), plan);
  for (auto _ : state) {
    std::string text = RenderPlan(plan, Context(), Format::kJson);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK_CAPTURE(BM_PlanJson, bench_server, kBenchServer);
BENCHMARK_CAPTURE(BM_PlanJson, worst_case, kWorst);

void BM_ResolveProfileBaseline(benchmark::State& state, const char* profile_text) {
  for (auto _ : state) {
    Profile profile = Resolve(profile_text);
    benchmark::DoNotOptimize(profile);
  }
}
BENCHMARK_CAPTURE(BM_ResolveProfileBaseline, typical, kTypical);
BENCHMARK_CAPTURE(BM_ResolveProfileBaseline, bench_server, kBenchServer);
BENCHMARK_CAPTURE(BM_ResolveProfileBaseline, worst_case, kWorst);

}  // namespace
}  // namespace mg::plan

BENCHMARK_MAIN();
