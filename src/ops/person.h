// Operations on one person's reference values: `mgadvisor dri` and GET /api/dri, and the person
// every other operation that needs one (intake analysis, a trial report's RDA line) builds.
#ifndef MGADVISOR_OPS_PERSON_H_
#define MGADVISOR_OPS_PERSON_H_

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "dri/dri.h"
#include "ops/context.h"

namespace mg::ops {

struct PersonValues {
  dri::Reference reference = dri::Reference::kUs;
  dri::Person person;
  dri::Values values;

  nlohmann::json ToJson() const;  // dri::ValuesToJson: what `dri --json` and /api/dri return.
};

// The person described by `fields` and their reference values. Errors: the first problem of
// dri::CheckPerson, "<field>: <message>" (kInvalidArgument; kNotFound when the reference set has
// no row for the person, e.g. pregnancy above 50).
Result<PersonValues> LookUpPerson(const Context& context, const dri::PersonFields& fields);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_PERSON_H_
