// libFuzzer target for the label reader (products::ReadLabel): any bytes must either read as a
// label or fail with an Error — never crash, hang, overflow or trip a sanitizer — and a label
// that reads must hold only finite, non-negative amounts.
//
// Seeds: src/products/testdata/labels/*.txt (the label corpus). Build with clang and
// -fsanitize=fuzzer,address,undefined, linking mg_products (the fuzz build set-up decides how).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "chem/compounds.h"
#include "kb/kb.h"
#include "products/catalogue.h"
#include "products/label.h"

namespace {

struct Data {
  mg::chem::CompoundCatalog compounds;
  std::vector<mg::products::DailyValue> daily_values;
};

// The embedded data, loaded once; a failure here is a broken build, not a finding.
const Data& Loaded() {
  static const Data* data = [] {
    auto compounds = mg::chem::CompoundCatalog::Load();
    auto kb = mg::kb::LoadKnowledgeBase(std::nullopt);
    if (!compounds.ok() || !kb.ok()) std::abort();
    auto catalogue = mg::products::Catalogue::Load(std::nullopt, *kb, *compounds);
    if (!catalogue.ok()) std::abort();
    return new Data{std::move(compounds).value(), catalogue->daily_values()};
  }();
  return *data;
}

bool FiniteNonNegative(const std::optional<double>& value) {
  return !value || (std::isfinite(*value) && *value >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const Data& data = Loaded();
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  auto label = mg::products::ReadLabel(text, data.compounds, data.daily_values);
  if (!label.ok()) {
    // Expected failures are user-input errors with a message, nothing else.
    if (label.error().code != mg::ErrorCode::kInvalidArgument || label.error().message.empty()) {
      std::abort();
    }
    return 0;
  }
  if (!FiniteNonNegative(label->elemental_mg_per_serving) ||
      !FiniteNonNegative(label->elemental_mg_per_unit) ||
      !(std::isfinite(label->serving.count) && label->serving.count > 0) ||
      label->serving.count_max < label->serving.count) {
    std::abort();
  }
  for (const auto& line : label->magnesium_lines) {
    if (!FiniteNonNegative(line.amount_mg) || !FiniteNonNegative(line.elemental_mg)) std::abort();
  }
  return 0;
}
