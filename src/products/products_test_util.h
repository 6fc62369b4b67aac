// For products tests: the embedded knowledge base, compound catalogue and medicines catalogue,
// loaded once per test binary.
#ifndef MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_
#define MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "chem/compounds.h"
#include "kb/embedded_kb_test_util.h"
#include "products/catalogue.h"

namespace mg::products::testing {

inline const chem::CompoundCatalog& Compounds() {
  static const chem::CompoundCatalog* compounds = [] {
    auto loaded = chem::CompoundCatalog::Load();
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
    return new chem::CompoundCatalog(loaded.ok() ? std::move(loaded).value()
                                                 : chem::CompoundCatalog{});
  }();
  return *compounds;
}

inline const Catalogue& EmbeddedCatalogue() {
  static const Catalogue* catalogue = [] {
    auto loaded = Catalogue::Load(std::nullopt, kb::EmbeddedKb(), Compounds());
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
    return loaded.ok() ? new Catalogue(std::move(loaded).value()) : nullptr;
  }();
  if (catalogue == nullptr) std::abort();  // The failure above says why.
  return *catalogue;
}

}  // namespace mg::products::testing

#endif  // MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_
