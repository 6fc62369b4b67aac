// Shared by mg_check's tests and tools: the embedded knowledge base, reference tables, compound
// catalogue and checker, loaded once per process.
#ifndef MGADVISOR_CHECK_TEST_UTIL_H_
#define MGADVISOR_CHECK_TEST_UTIL_H_

#include <cstdlib>
#include <iostream>

#include "check/check.h"

namespace mg::check {

struct Loaded {
  kb::KnowledgeBase kb;
  dri::ReferenceTables tables;
  chem::CompoundCatalog compounds;
};

inline const Loaded& EmbeddedData() {
  static const Loaded* loaded = [] {
    auto kb = kb::LoadKnowledgeBase(std::nullopt);
    auto tables = dri::ReferenceTables::LoadEmbedded();
    auto compounds = chem::CompoundCatalog::Load();
    if (!kb.ok() || !tables.ok() || !compounds.ok()) {
      std::cerr << "cannot load the embedded data\n";
      std::abort();
    }
    return new Loaded{std::move(kb).value(), std::move(tables).value(),
                      std::move(compounds).value()};
  }();
  return *loaded;
}

inline const Checker& EmbeddedChecker() {
  static const Checker* checker = [] {
    const Loaded& d = EmbeddedData();
    auto c = Checker::Load(d.kb, d.tables, d.compounds, std::nullopt);
    if (!c.ok()) {
      std::cerr << c.error().message << "\n";
      std::abort();
    }
    return new Checker(std::move(c).value());
  }();
  return *checker;
}

}  // namespace mg::check

#endif  // MGADVISOR_CHECK_TEST_UTIL_H_
