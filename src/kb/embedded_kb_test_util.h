// For kb tests: the embedded knowledge base, loaded once per test binary.
#ifndef MGADVISOR_KB_EMBEDDED_KB_TEST_UTIL_H_
#define MGADVISOR_KB_EMBEDDED_KB_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "kb/kb.h"

namespace mg::kb {

inline const KnowledgeBase& EmbeddedKb() {
  static const KnowledgeBase* kb = [] {
    auto loaded = LoadKnowledgeBase(std::nullopt);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
    return new KnowledgeBase(loaded.ok() ? std::move(loaded).value() : KnowledgeBase{});
  }();
  return *kb;
}

}  // namespace mg::kb

#endif  // MGADVISOR_KB_EMBEDDED_KB_TEST_UTIL_H_
