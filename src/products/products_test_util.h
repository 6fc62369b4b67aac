// For products tests: the embedded knowledge base, compound catalogue and medicines catalogue,
// loaded once per test binary.
#ifndef MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_
#define MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// A name a person would use for `product` that the catalogue resolves to it: one naming this
// product alone first (a brand family such as "Rolaids" names several strengths and counts the
// strongest), else any name that includes it; "" when none does.
inline std::string NameFor(const Product& product, const Catalogue& catalogue) {
  std::vector<std::string> candidates = product.names;
  candidates.insert(candidates.end(), product.brands.begin(), product.brands.end());
  candidates.insert(candidates.end(), product.abbreviations.begin(), product.abbreviations.end());
  candidates.push_back(product.name);
  for (const bool alone : {true, false}) {
    for (const auto& name : candidates) {
      const Resolution r = catalogue.Resolve(name);
      if (alone && r.products.size() != 1) continue;
      for (const Product* p : r.products) {
        if (p == &product) return name;
      }
    }
  }
  return "";
}

}  // namespace mg::products::testing

#endif  // MGADVISOR_PRODUCTS_PRODUCTS_TEST_UTIL_H_
