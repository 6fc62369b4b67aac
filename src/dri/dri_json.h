// The JSON shape of a person's reference values, shared by `mgadvisor dri --json` and the HTTP
// API: rda_mg (RDA or AI), intake_kind, ear_mg, ul_supplemental_mg (null = not established),
// life_stage, label, reference, citations.
#ifndef MGADVISOR_DRI_DRI_JSON_H_
#define MGADVISOR_DRI_DRI_JSON_H_

#include <nlohmann/json.hpp>

#include "dri/dri.h"

namespace mg::dri {

// REQUIRES: values.set and values.row are set (a successful Lookup).
nlohmann::json ValuesToJson(const Values& values);

}  // namespace mg::dri

#endif  // MGADVISOR_DRI_DRI_JSON_H_
