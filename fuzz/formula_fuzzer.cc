// Chemical formulas as `mgadvisor formula` and the compound catalogue read them. Any bytes must
// parse or be refused with a message; a parsed formula stays within the atom limit and has a
// finite, positive molar mass.
#include <cmath>

#include "chem/formula.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const chem::AtomicWeights weights = fuzz::Loaded(chem::AtomicWeights::LoadEmbedded());
  auto counts = chem::ParseFormula(fuzz::AsText(data, size), weights);
  if (!counts.ok()) {
    fuzz::Check(!counts.error().message.empty(), "an error without a message");
    return 0;
  }
  for (const auto& [symbol, count] : *counts) {
    fuzz::Check(count > 0 && count <= chem::kMaxFormulaAtoms, "an atom count out of range");
  }
  auto mass = weights.MolarMass(*counts);
  fuzz::Check(mass.ok() && std::isfinite(*mass) && *mass > 0, "a molar mass that is not positive");
  return 0;
}
