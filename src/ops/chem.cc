#include "ops/chem.h"

#include <fmt/format.h>

#include "chem/compounds_json.h"
#include "chem/units.h"

namespace mg::ops {

nlohmann::json ElementalResult::ToJson() const {
  return {{"compound", chem::CompoundToJson(*compound)},
          {"compound_mg", compound_mg},
          {"elemental_mg", elemental_mg},
          {"elemental_mmol", chem::MagnesiumMgToMmol(elemental_mg)},
          {"elemental_meq", chem::MagnesiumMgToMeq(elemental_mg)}};
}

Result<ElementalResult> Elemental(const Context& context, const ElementalRequest& request) {
  if (request.amount.has_value() == request.elemental.has_value()) {
    return InvalidArgument(
        "give either amount (the compound mass, e.g. \"1g\") or elemental (the magnesium "
        "wanted, e.g. \"200mg\"), not both or neither");
  }
  auto catalog = context.compounds();
  if (!catalog.ok()) return catalog.error();
  auto found = (*catalog)->Resolve(request.compound);
  if (!found.ok()) return Error{found.error().code, "compound: " + found.error().message};
  ElementalResult out;
  out.compound = *found;
  if (request.elemental) {
    auto amount = chem::ParseAmount(*request.elemental);
    if (!amount.ok()) return InvalidArgument("elemental: " + amount.error().message);
    out.elemental_mg = chem::MagnesiumMilligrams(*amount);
    out.compound_mg = chem::CompoundForElemental(*out.compound, out.elemental_mg);
    return out;
  }
  auto amount = chem::ParseAmount(*request.amount);
  if (!amount.ok()) return InvalidArgument("amount: " + amount.error().message);
  if (!chem::IsMassUnit(amount->unit)) {
    return InvalidArgument(fmt::format(
        "amount: '{}' is not a mass; a compound amount is weighed (mg, g, mcg). mmol and mEq "
        "count magnesium itself: use elemental",
        *request.amount));
  }
  out.compound_mg = chem::MassMilligrams(*amount);
  out.elemental_mg = chem::ElementalFromCompound(*out.compound, out.compound_mg);
  return out;
}

}  // namespace mg::ops
