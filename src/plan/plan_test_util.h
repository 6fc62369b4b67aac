// Shared fixtures for the plan tests: one loaded context for the whole test binary.
#ifndef MGADVISOR_PLAN_PLAN_TEST_UTIL_H_
#define MGADVISOR_PLAN_PLAN_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "plan/plan.h"
#include "plan/profile.h"

namespace mg::plan::testing {

inline const PlanContext& Context() {
  static const PlanContext* context = [] {
    auto loaded = PlanContext::Load(std::nullopt);
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    (*loaded)->PrewriteJson();  // As the server's: the plans' JSON tested is what it sends.
    return loaded->release();
  }();
  return *context;
}

// Resolves a JSON profile text, failing the test with the message when it does not resolve.
inline Profile ProfileFrom(const std::string& json_text) {
  auto doc = ParseProfileText(json_text, "test.json");
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  if (!doc.ok()) return {};
  auto profile = ResolveProfile(*doc, Context());
  EXPECT_TRUE(profile.ok()) << (profile.ok() ? "" : profile.error().message);
  return profile.ok() ? *profile : Profile{};
}

inline std::string ResolveError(const std::string& text, const std::string& name = "test.json") {
  auto doc = ParseProfileText(text, name);
  if (!doc.ok()) return doc.error().message;
  auto profile = ResolveProfile(*doc, Context());
  EXPECT_FALSE(profile.ok()) << "expected an error for " << text;
  return profile.ok() ? "" : profile.error().message;
}

inline bool Fired(const Plan& plan, const std::string& rule) {
  for (const auto& r : plan.rules_fired) {
    if (r == rule) return true;
  }
  return false;
}

}  // namespace mg::plan::testing

#endif  // MGADVISOR_PLAN_PLAN_TEST_UTIL_H_
