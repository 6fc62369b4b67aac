#include "ops/products.h"

#include <fmt/format.h>

#include "products/products_json.h"

namespace mg::ops {

nlohmann::json LabelResult::ToJson() const { return products::ToJson(label); }

Result<LabelResult> ReadProductLabel(const Context& context, const LabelRequest& request) {
  auto compounds = context.compounds();
  if (!compounds.ok()) return compounds.error();
  auto catalogue = context.catalogue();
  if (!catalogue.ok()) return catalogue.error();
  auto label = products::ReadLabel(request.text, **compounds, (*catalogue)->daily_values());
  if (!label.ok()) {
    return Error{label.error().code, fmt::format("{}: {}", request.source, label.error().message)};
  }
  return LabelResult{std::move(label).value()};
}

}  // namespace mg::ops
