#include "dri/dri.h"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <set>

#include "core/archive.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/numbers.h"
#include "core/precompiled.h"
#include "core/text.h"

namespace mg::dri {

Result<double> ParseAgeMonths(std::string_view text) {
  const std::string original(text);
  size_t split = 0;
  while (split < text.size() && ((text[split] >= '0' && text[split] <= '9') || text[split] == '.' ||
                                 text[split] == '-' || text[split] == '+')) {
    ++split;
  }
  const auto value = ParseFiniteNumber(text.substr(0, split));
  if (!value) return InvalidArgument(fmt::format("age '{}' is not a number", original));
  if (*value < 0) return InvalidArgument(fmt::format("age '{}' is negative", original));
  const std::string unit = NormalizeName(text.substr(split));
  double months = 0;
  if (unit.empty() || unit == "y" || unit == "yr" || unit == "yrs" || unit == "year" ||
      unit == "years") {
    months = *value * 12;
  } else if (unit == "m" || unit == "mo" || unit == "mos" || unit == "month" || unit == "months") {
    months = *value;
  } else {
    return InvalidArgument(fmt::format(
        "age '{}' has unknown unit '{}'; give years (34, 2.5y) or months for infants (8mo)",
        original, unit));
  }
  if (months > kMaxAgeMonths) {
    return InvalidArgument(
        fmt::format("age '{}' is not a possible human age (over 125 years)", original));
  }
  return months;
}

Result<Sex> ParseSex(std::string_view text) {
  const std::string s = NormalizeName(text);
  if (s == "male" || s == "m" || s == "man") return Sex::kMale;
  if (s == "female" || s == "f" || s == "woman") return Sex::kFemale;
  return InvalidArgument(fmt::format("sex '{}' is not male or female", std::string(text)));
}

Result<Reference> ParseReference(std::string_view text) {
  const std::string s = NormalizeName(text);
  if (s == "us") return Reference::kUs;
  if (s == "eu") return Reference::kEu;
  return InvalidArgument(fmt::format("reference '{}' is not us or eu", std::string(text)));
}

const char* ReferenceId(Reference reference) { return reference == Reference::kUs ? "us" : "eu"; }
const char* SexName(Sex sex) { return sex == Sex::kMale ? "male" : "female"; }
const char* StateName(ReproductiveState state) {
  return EnumToString(kStateNames, state).data();  // The table's literals are NUL-terminated.
}

namespace {

std::string DescribeAge(double months) {
  if (months < 24) return FormatNumber(months, 1) + " months";
  return FormatNumber(months / 12, 1) + " years";
}

std::string DescribePerson(const Person& person) {
  std::string out = SexName(person.sex);
  if (person.state != ReproductiveState::kNone) out += std::string(", ") + StateName(person.state);
  return out + ", aged " + DescribeAge(person.age_months);
}

}  // namespace

Result<Person> MakePerson(double age_months, Sex sex, ReproductiveState state) {
  if (!(age_months >= 0) || age_months > kMaxAgeMonths) {
    return InvalidArgument(fmt::format("age of {} months is not a possible human age", age_months));
  }
  if (state != ReproductiveState::kNone) {
    if (sex == Sex::kMale) {
      return InvalidArgument(fmt::format("{} was given with sex male", StateName(state)));
    }
    if (age_months < kMinPregnancyAgeMonths) {
      return InvalidArgument(
          fmt::format("{} at age {} is not plausible", StateName(state), DescribeAge(age_months)));
    }
  }
  return Person{age_months, sex, state};
}

Result<ReferenceSet> ReferenceTables::ParseSet(const std::string& toml_text,
                                               const std::string& name) {
  using Need = TomlReader::Need;
  DataProblems problems;
  const auto root = ParseTomlFile(DataFile{name, toml_text}, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, name, "the file", problems, {"reference", "row"});
  ReferenceSet set;
  if (auto header =
          doc.Table("reference", "[reference]", {"id", "name", "intake_name", "citations"})) {
    const std::string id = header->Text("id");
    if (auto reference = ParseReference(id); reference.ok()) {
      set.reference = *reference;
    } else if (!id.empty()) {
      header->Report(reference.error().message, header->LineAt("id"));
    }
    set.name = header->Text("name");
    set.intake_name = header->Text("intake_name");
    set.citations = header->TextList("citations");
    if (header->Has("citations") && set.citations.empty()) {
      header->Report("a reference set needs citations", header->LineAt("citations"));
    }
  }
  static constexpr EnumName<std::optional<Sex>> kRowSexes[] = {
      {"male", Sex::kMale}, {"female", Sex::kFemale}, {"any", std::nullopt}};
  std::set<std::string> seen_ids;
  for (TomlReader r :
       doc.Tables("row", "row",
                  {"life_stage", "label", "sex", "state", "from_months", "to_months", "intake_mg",
                   "intake_kind", "ear_mg", "ul_supplemental_mg", "note"},
                  Need::kRequired, "life_stage")) {
    Row row;
    row.line = r.line();
    row.life_stage = r.Text("life_stage");
    row.label = r.Text("label");
    if (!row.life_stage.empty() && !seen_ids.insert(row.life_stage).second) {
      r.Report(fmt::format("duplicate life_stage '{}'", row.life_stage));
    }
    row.sex = r.Enum("sex", kRowSexes).value_or(std::nullopt);
    row.state = r.Enum("state", kStateNames).value_or(ReproductiveState::kNone);
    const auto from = r.Number("from_months", NumberRange::AtLeast(0));
    const auto to = r.Number("to_months", NumberRange::AtLeast(0));
    if (from && to && *to <= *from) {
      r.Report("from_months/to_months must satisfy 0 <= from < to", r.LineAt("to_months"));
    }
    row.from_months = from.value_or(0);
    row.to_months = to.value_or(0);
    const NumberRange mg_range = NumberRange::AboveUpTo(0, 5000);
    row.intake_mg = r.Number("intake_mg", mg_range, Need::kOptional);
    row.ear_mg = r.Number("ear_mg", mg_range, Need::kOptional);
    row.ul_supplemental_mg = r.Number("ul_supplemental_mg", mg_range, Need::kOptional);
    static constexpr EnumName<int> kIntakeKinds[] = {{"RDA", 0}, {"AI", 1}};
    if (row.intake_mg) {
      if (r.Enum("intake_kind", kIntakeKinds)) row.intake_kind = r.Text("intake_kind");
    } else if (r.Has("intake_kind")) {
      r.Report("intake_kind without intake_mg", r.LineAt("intake_kind"));
    }
    row.note = r.OptionalText("note").value_or("");
    set.rows.push_back(std::move(row));
  }
  // No two rows may claim the same person: that would make the answer depend on row order.
  for (size_t i = 0; i < set.rows.size(); ++i) {
    for (size_t j = i + 1; j < set.rows.size(); ++j) {
      const Row& a = set.rows[i];
      const Row& b = set.rows[j];
      const bool sexes_meet = !a.sex || !b.sex || *a.sex == *b.sex;
      const bool ages_meet = a.from_months < b.to_months && b.from_months < a.to_months;
      if (sexes_meet && ages_meet && a.state == b.state && a.to_months > a.from_months &&
          b.to_months > b.from_months) {
        problems.Add(name, b.line,
                     fmt::format("row '{}' overlaps row '{}' (line {})", b.life_stage, a.life_stage,
                                 a.line));
      }
    }
  }
  if (!problems.empty()) return problems.ToError();
  return set;
}

template <typename A>
void Fields(A& a, Row& row) {
  a(row.life_stage, row.label, row.sex, row.state, row.from_months, row.to_months, row.intake_mg,
    row.intake_kind, row.ear_mg, row.ul_supplemental_mg, row.note, row.line);
}

template <typename A>
void Fields(A& a, ReferenceSet& set) {
  a(set.reference, set.name, set.intake_name, set.citations, set.rows);
}

template <typename A>
void Fields(A& a, ReferenceTables& tables) {
  a(tables.us_, tables.eu_);
}

std::string ReferenceTables::Encode() const { return archive::Encode(*this); }

std::optional<ReferenceTables> ReferenceTables::Decode(std::string_view bytes) {
  return archive::Decode<ReferenceTables>(bytes);
}

Result<ReferenceTables> ReferenceTables::LoadEmbedded() {
  // Parsing the two tables was ~6 % of `plan`'s start-up instructions (issue 20).
  if (const auto snapshot = precompiled::FindSnapshot("dri")) {
    if (auto decoded = Decode(*snapshot)) return std::move(*decoded);
  }
  ReferenceTables tables;
  for (auto [path, target] :
       {std::pair{"dri/us.toml", &tables.us_}, std::pair{"dri/eu.toml", &tables.eu_}}) {
    auto file = LoadEmbeddedFile(path);
    if (!file.ok()) return file.error();
    auto set = ParseSet(file->content, file->name);
    if (!set.ok()) return set.error();
    *target = std::move(set).value();
  }
  return FromSets(std::move(tables.us_), std::move(tables.eu_));
}

Result<ReferenceTables> ReferenceTables::FromSets(ReferenceSet us, ReferenceSet eu) {
  if (us.reference != Reference::kUs || eu.reference != Reference::kEu) {
    return DataError("data/dri: us.toml and eu.toml must declare ids us and eu");
  }
  ReferenceTables tables;
  tables.us_ = std::move(us);
  tables.eu_ = std::move(eu);
  return tables;
}

const ReferenceSet& ReferenceTables::set(Reference reference) const {
  return reference == Reference::kUs ? us_ : eu_;
}

Result<Values> ReferenceTables::Lookup(Reference reference, const Person& person) const {
  const ReferenceSet& s = set(reference);
  for (const Row& row : s.rows) {
    if (row.sex && *row.sex != person.sex) continue;
    if (row.state != person.state) continue;
    if (person.age_months < row.from_months || person.age_months >= row.to_months) continue;
    return Values{&s, &row};
  }
  return NotFound(fmt::format("the {} reference set ({}) has no row for a {}",
                              ReferenceId(reference), s.name, DescribePerson(person)));
}

PersonCheck CheckPerson(const PersonFields& fields, const ReferenceTables& tables) {
  PersonCheck check;
  auto problem = [&](std::string field, std::string message,
                     ErrorCode code = ErrorCode::kInvalidArgument) {
    check.problems.push_back({std::move(field), std::move(message), code});
  };
  std::optional<double> age_months;
  if (fields.age_years) {
    const double years = *fields.age_years;
    if (std::isfinite(years) && years >= 0 && years * 12 <= kMaxAgeMonths) {
      age_months = years * 12;
    } else {
      problem("age", fmt::format("{} is outside the possible range 0-{}", FormatNumber(years, 2),
                                 FormatNumber(kMaxAgeMonths / 12)));
    }
  } else if (fields.age) {
    auto parsed = ParseAgeMonths(*fields.age);
    if (parsed.ok()) {
      age_months = *parsed;
    } else {
      problem("age", parsed.error().message);
    }
  } else {
    problem("age", "is required (years, or months for infants such as \"8mo\")");
  }
  std::optional<Sex> sex;
  if (!fields.sex) {
    problem("sex", "is required (male or female): reference intakes differ by sex");
  } else if (auto parsed = ParseSex(*fields.sex); parsed.ok()) {
    sex = *parsed;
  } else {
    problem("sex", parsed.error().message);
  }
  if (fields.pregnant && fields.lactating) {
    problem("lactating", "pregnant and lactating are both true: give at most one");
  }
  bool reference_ok = true;
  if (fields.reference) {
    if (auto parsed = ParseReference(*fields.reference); parsed.ok()) {
      check.reference = *parsed;
    } else {
      problem("reference", parsed.error().message);
      reference_ok = false;
    }
  }
  if (!age_months || !sex || (fields.pregnant && fields.lactating)) return check;
  const auto state = fields.pregnant    ? ReproductiveState::kPregnant
                     : fields.lactating ? ReproductiveState::kLactating
                                        : ReproductiveState::kNone;
  auto person = MakePerson(*age_months, *sex, state);
  if (!person.ok()) {
    problem(fields.pregnant    ? "pregnant"
            : fields.lactating ? "lactating"
                               : "age",
            person.error().message);
    return check;
  }
  check.person = *person;
  if (!reference_ok) return check;
  // A person the reference tables do not cover (e.g. pregnancy above 50) gets no silent default.
  auto values = tables.Lookup(check.reference, *person);
  if (values.ok()) {
    check.values = *values;
  } else {
    problem("age", values.error().message, values.error().code);
  }
  return check;
}

Error PersonError(const PersonCheck& check) {
  assert(!check.problems.empty());
  const FieldProblem& first = check.problems.front();
  return Error{first.code, first.field + ": " + first.message};
}

}  // namespace mg::dri
