#include "cli/person_flags.h"

namespace mg::cli {

void AddPersonFlags(CLI::App* cmd, PersonFlags& flags, bool required) {
  auto* age =
      cmd->add_option("--age", flags.age, "Age in years (34, 2.5) or months for infants (8mo)");
  auto* sex = cmd->add_option("--sex", flags.sex, "male or female");
  if (required) {
    age->required();
    sex->required();
  }
  cmd->add_flag("--pregnant", flags.pregnant, "Pregnant");
  cmd->add_flag("--lactating", flags.lactating, "Breastfeeding");
}

Result<PersonValues> LookUpPerson(const CliContext& ctx, const PersonFlags& flags,
                                  const dri::ReferenceTables& tables) {
  auto reference = dri::ParseReference(ctx.reference);
  if (!reference.ok()) return InvalidArgument("--reference: " + reference.error().message);
  auto age = dri::ParseAgeMonths(flags.age);
  if (!age.ok()) return InvalidArgument("--age: " + age.error().message);
  auto sex = dri::ParseSex(flags.sex);
  if (!sex.ok()) return InvalidArgument("--sex: " + sex.error().message);
  if (flags.pregnant && flags.lactating) {
    return InvalidArgument("--pregnant and --lactating: give at most one");
  }
  const auto state = flags.pregnant    ? dri::ReproductiveState::kPregnant
                     : flags.lactating ? dri::ReproductiveState::kLactating
                                       : dri::ReproductiveState::kNone;
  auto person = dri::MakePerson(*age, *sex, state);
  if (!person.ok()) return person.error();
  auto values = tables.Lookup(*reference, *person);
  if (!values.ok()) return values.error();
  return PersonValues{*person, *values};
}

}  // namespace mg::cli
