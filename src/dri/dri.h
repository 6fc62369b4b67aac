// Reference intakes for magnesium: how much a person needs (RDA/AI, EAR) and the most they may
// take from supplements and medicines (the supplemental upper level, UL).
//
// Two reference sets are data files: "us" (IOM 1997 DRIs, the default) and "eu" (EFSA 2015 AIs with
// the SCF 2001 ceiling of 250 mg/day). The UL counts supplemental magnesium only, never food. An
// absent UL means "not established" (infants; EU under 4): callers must then advise no supplement.
//
//   auto tables = ReferenceTables::LoadEmbedded();
//   auto person = MakePerson(34 * 12, Sex::kFemale, ReproductiveState::kNone);
//   auto values = tables->Lookup(Reference::kUs, *person);  // rda 320, ear 265, ul 350
#ifndef MGADVISOR_DRI_DRI_H_
#define MGADVISOR_DRI_DRI_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.h"
#include "core/error.h"

namespace mg::dri {

enum class Sex { kMale, kFemale };
enum class ReproductiveState { kNone, kPregnant, kLactating };
enum class Reference { kUs, kEu };

// The spellings used in data files, requests and JSON.
inline constexpr EnumName<ReproductiveState> kStateNames[] = {
    {"none", ReproductiveState::kNone},
    {"pregnant", ReproductiveState::kPregnant},
    {"lactating", ReproductiveState::kLactating}};

inline constexpr double kMaxAgeMonths = 125 * 12;  // Older than any recorded human: refused.
inline constexpr double kMinPregnancyAgeMonths = 9 * 12;

struct Person {
  double age_months = 0;
  Sex sex = Sex::kFemale;
  ReproductiveState state = ReproductiveState::kNone;
};

// "34", "34y", "34 years", "2.5" (years) or "8mo", "8 months", "8m" (months) → months.
// Errors (kInvalidArgument): not a number, negative, unknown unit, older than 125 years.
Result<double> ParseAgeMonths(std::string_view text);
Result<Sex> ParseSex(std::string_view text);              // "male"/"m"/"female"/"f"
Result<Reference> ParseReference(std::string_view text);  // "us" or "eu"
const char* ReferenceId(Reference reference);
const char* SexName(Sex sex);
const char* StateName(ReproductiveState state);  // "none", "pregnant", "lactating"

// Validates a person: age in [0, 125 y]; pregnancy/lactation only for females aged 9 or more.
Result<Person> MakePerson(double age_months, Sex sex, ReproductiveState state);

// One row of a reference table.
struct Row {
  std::string life_stage;  // Stable id, e.g. "female_31_50".
  std::string label;       // "Females 31-50 years".
  std::optional<Sex> sex;  // nullopt: any sex.
  ReproductiveState state = ReproductiveState::kNone;
  double from_months = 0;           // Inclusive.
  double to_months = 0;             // Exclusive.
  std::optional<double> intake_mg;  // RDA or AI; nullopt where the body set none.
  std::string intake_kind;          // "RDA" or "AI".
  std::optional<double> ear_mg;
  std::optional<double> ul_supplemental_mg;  // nullopt: not established.
  std::string note;
  int line = 0;  // Where the row starts in its data file.

  bool operator==(const Row&) const = default;
};

struct ReferenceSet {
  Reference reference = Reference::kUs;
  std::string name;
  std::string intake_name;  // What the set calls its intake value: "RDA" or "AI".
  std::vector<std::string> citations;
  std::vector<Row> rows;

  bool operator==(const ReferenceSet&) const = default;
};

// The values that apply to one person.
struct Values {
  const ReferenceSet* set = nullptr;
  const Row* row = nullptr;
};

class ReferenceTables {
 public:
  // Errors: kDataError with file:line for unknown keys, bad values, or overlapping rows.
  static Result<ReferenceTables> LoadEmbedded();
  static Result<ReferenceSet> ParseSet(const std::string& toml_text, const std::string& name);
  // Tables from sets already parsed (`data lint` of a data folder); `us` and `eu` must declare
  // those ids (kDataError otherwise).
  static Result<ReferenceTables> FromSets(ReferenceSet us, ReferenceSet eu);
  // The binary form of core/archive.h, and back; nullopt when `bytes` is not one. LoadEmbedded()
  // decodes the built-in snapshot "dri" when one is installed (core/precompiled.h), which the
  // data compiler made by loading the same files with the same checks.
  std::string Encode() const;
  static std::optional<ReferenceTables> Decode(std::string_view bytes);

  bool operator==(const ReferenceTables&) const = default;

  const ReferenceSet& set(Reference reference) const;

  // The row for `person`. Errors: kNotFound when the set has no row for this person (e.g.
  // pregnancy above 50 years), naming the person and the set.
  Result<Values> Lookup(Reference reference, const Person& person) const;

 private:
  template <typename A>
  friend void Fields(A& a, ReferenceTables& tables);

  ReferenceSet us_;
  ReferenceSet eu_;
};

// ---- A person as the doors describe one: CLI flags, a request, a profile document. ----
//
// The one place that turns those fields into a Person, a reference set and its values, so every
// door accepts the same input and names the same field in the same words.
struct PersonFields {
  std::optional<double> age_years = {};  // A number of years (a JSON or TOML number)...
  std::optional<std::string> age = {};   // ...or text: "34", "2.5y", "8mo". One is required.
  std::optional<std::string> sex = {};   // Required: male or female.
  bool pregnant = false;
  bool lactating = false;
  std::optional<std::string> reference = {};  // "us" (default) or "eu".
};

struct FieldProblem {
  std::string field;  // "age", "sex", "pregnant", "lactating" or "reference".
  std::string message;
  ErrorCode code = ErrorCode::kInvalidArgument;  // kNotFound when the set has no row.
};

struct PersonCheck {
  std::optional<Person> person;  // Set when age, sex and state are valid.
  Reference reference = Reference::kUs;
  std::optional<Values> values;        // Set when the person is valid and the set has a row.
  std::vector<FieldProblem> problems;  // Every problem, in field order.
};

// Checks every field and looks the person up; never stops at the first problem.
PersonCheck CheckPerson(const PersonFields& fields, const ReferenceTables& tables);

// The first problem of a check as an Error: "<field>: <message>" with its code.
Error PersonError(const PersonCheck& check);

}  // namespace mg::dri

#endif  // MGADVISOR_DRI_DRI_H_
