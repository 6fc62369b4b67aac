// The JSON shape of a compound, shared by `mgadvisor compounds --json` and the HTTP API so the
// two never disagree.
#ifndef MGADVISOR_CHEM_COMPOUNDS_JSON_H_
#define MGADVISOR_CHEM_COMPOUNDS_JSON_H_

#include <nlohmann/json.hpp>

#include "chem/compounds.h"

namespace mg::chem {

nlohmann::json CompoundToJson(const Compound& compound);

}  // namespace mg::chem

#endif  // MGADVISOR_CHEM_COMPOUNDS_JSON_H_
