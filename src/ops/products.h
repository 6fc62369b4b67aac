// Reading a product's label: `mgadvisor label FILE|-` and POST /api/label. src/products does the
// reading; this is the entry both doors call (the plan reads a label through the profile's
// "product", see plan/profile.h).
#ifndef MGADVISOR_OPS_PRODUCTS_H_
#define MGADVISOR_OPS_PRODUCTS_H_

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "ops/context.h"
#include "products/label.h"

namespace mg::ops {

struct LabelRequest {
  std::string text;             // The label as printed, pasted or OCR'd.
  std::string source = "text";  // What to call it in messages: a path, "standard input".
};

struct LabelResult {
  products::Label label;

  // serving_units, elemental_mg_per_serving, elemental_mg_per_unit, compounds, warnings...
  // (products::ToJson).
  nlohmann::json ToJson() const;
};

// Errors: kInvalidArgument "SOURCE: line N: ..." for text that is not a label (empty, binary, no
// label content, an amount without a mass unit...); the catalogue's data error.
Result<LabelResult> ReadProductLabel(const Context& context, const LabelRequest& request);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_PRODUCTS_H_
