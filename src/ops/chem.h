// Label arithmetic: `mgadvisor elemental` and POST /api/elemental.
#ifndef MGADVISOR_OPS_CHEM_H_
#define MGADVISOR_OPS_CHEM_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "chem/compounds.h"
#include "core/error.h"
#include "ops/context.h"

namespace mg::ops {

// Exactly one of `amount` (a compound mass, "1g") and `elemental` (the magnesium wanted,
// "200mg", "10mmol").
struct ElementalRequest {
  std::string compound;  // A name, synonym or id: "magnesium citrate", "glycinate".
  std::optional<std::string> amount;
  std::optional<std::string> elemental;
};

struct ElementalResult {
  const chem::Compound* compound = nullptr;  // Points into the context's catalogue.
  double compound_mg = 0;
  double elemental_mg = 0;

  // {"compound": {...}, "compound_mg", "elemental_mg", "elemental_mmol", "elemental_meq"}
  nlohmann::json ToJson() const;
};

// Errors (kInvalidArgument unless said): "compound: ..." (kNotFound with close matches) for an
// unknown compound; "amount: ..." / "elemental: ..." for an amount that does not parse, or a
// compound amount that is not a mass; neither or both given.
Result<ElementalResult> Elemental(const Context& context, const ElementalRequest& request);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_CHEM_H_
