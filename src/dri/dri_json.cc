#include "dri/dri_json.h"

namespace mg::dri {
namespace {

nlohmann::json OptionalNumber(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ValuesToJson(const Values& values) {
  const Row& row = *values.row;
  const ReferenceSet& set = *values.set;
  return {
      {"reference", ReferenceId(set.reference)},
      {"reference_name", set.name},
      {"life_stage", row.life_stage},
      {"label", row.label},
      {"rda_mg", OptionalNumber(row.intake_mg)},
      {"intake_kind", row.intake_mg ? nlohmann::json(row.intake_kind) : nlohmann::json(nullptr)},
      {"ear_mg", OptionalNumber(row.ear_mg)},
      {"ul_supplemental_mg", OptionalNumber(row.ul_supplemental_mg)},
      {"ul_applies_to", "magnesium from supplements and medicines only, not food or water"},
      {"note", row.note},
      {"citations", set.citations}};
}

}  // namespace mg::dri
