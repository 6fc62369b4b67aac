#include "ops/person.h"

#include "dri/dri_json.h"

namespace mg::ops {

nlohmann::json PersonValues::ToJson() const { return dri::ValuesToJson(values); }

Result<PersonValues> LookUpPerson(const Context& context, const dri::PersonFields& fields) {
  auto tables = context.references();
  if (!tables.ok()) return tables.error();
  const dri::PersonCheck check = dri::CheckPerson(fields, **tables);
  if (!check.problems.empty()) return dri::PersonError(check);
  return PersonValues{check.reference, *check.person, *check.values};
}

}  // namespace mg::ops
