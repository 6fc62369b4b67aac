// The --age/--sex/--pregnant/--lactating flags that several commands take, parsed in one place so
// every command reports the same errors the same way.
#ifndef MGADVISOR_CLI_PERSON_FLAGS_H_
#define MGADVISOR_CLI_PERSON_FLAGS_H_

#include <string>

#include "cli/commands.h"
#include "dri/dri.h"

namespace mg::cli {

struct PersonFlags {
  std::string age;
  std::string sex;
  bool pregnant = false;
  bool lactating = false;
};

// Adds the four flags to `cmd`; age and sex are required when `required`.
void AddPersonFlags(CLI::App* cmd, PersonFlags& flags, bool required);

// The person, the reference set (--reference) and their reference values. Errors name the flag
// (kInvalidArgument) or the missing row (kNotFound).
struct PersonValues {
  dri::Person person;
  dri::Values values;
};
Result<PersonValues> LookUpPerson(const CliContext& ctx, const PersonFlags& flags,
                                  const dri::ReferenceTables& tables);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_PERSON_FLAGS_H_
