#include "dri/dri.h"

#include <fmt/format.h>

#include <set>

#include "core/data_files.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/toml_parse.h"

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
  switch (state) {
    case ReproductiveState::kNone:
      return "none";
    case ReproductiveState::kPregnant:
      return "pregnant";
    case ReproductiveState::kLactating:
      return "lactating";
  }
  return "none";
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
  auto parsed = ParseToml(toml_text, name);
  if (!parsed.ok()) return parsed.error();
  const toml::table& root = *parsed;
  ReferenceSet set;
  const toml::table* header = root["reference"].as_table();
  if (header == nullptr) return DataError(name + ": missing [reference] table");
  auto reference = ParseReference((*header)["id"].value_or(std::string()));
  if (!reference.ok()) {
    return DataError(
        fmt::format("{}:{}: {}", name, header->source().begin.line, reference.error().message));
  }
  set.reference = *reference;
  set.name = (*header)["name"].value_or(std::string());
  set.intake_name = (*header)["intake_name"].value_or(std::string());
  if (const toml::array* citations = (*header)["citations"].as_array()) {
    for (const auto& c : *citations) set.citations.push_back(c.value_or(std::string()));
  }
  if (set.citations.empty()) {
    return DataError(
        fmt::format("{}:{}: a reference set needs citations", name, header->source().begin.line));
  }
  const toml::array* rows = root["row"].as_array();
  if (rows == nullptr || rows->empty()) return DataError(name + ": no [[row]] entries");
  static const std::set<std::string, std::less<>> kKeys = {
      "life_stage", "label",     "sex",         "state",  "from_months",
      "to_months",  "intake_mg", "intake_kind", "ear_mg", "ul_supplemental_mg",
      "note"};
  std::set<std::string> seen_ids;
  for (const toml::node& node : *rows) {
    const toml::table& t = *node.as_table();
    const int line = static_cast<int>(node.source().begin.line);
    auto fail = [&](const std::string& what) {
      return DataError(fmt::format("{}:{}: {}", name, line, what));
    };
    for (const auto& [key, value] : t) {
      if (!kKeys.contains(key.str())) {
        return DataError(fmt::format("{}:{}: unknown key '{}' in row", name,
                                     value.source().begin.line, key.str()));
      }
    }
    Row row;
    row.line = line;
    row.life_stage = t["life_stage"].value_or(std::string());
    row.label = t["label"].value_or(std::string());
    if (row.life_stage.empty() || row.label.empty()) return fail("row needs life_stage and label");
    if (!seen_ids.insert(row.life_stage).second)
      return fail("duplicate life_stage '" + row.life_stage + "'");
    const std::string sex = t["sex"].value_or(std::string());
    if (sex == "male") {
      row.sex = Sex::kMale;
    } else if (sex == "female") {
      row.sex = Sex::kFemale;
    } else if (sex != "any") {
      return fail("sex must be male, female or any, not '" + sex + "'");
    }
    const std::string state = t["state"].value_or(std::string());
    if (state == "pregnant") {
      row.state = ReproductiveState::kPregnant;
    } else if (state == "lactating") {
      row.state = ReproductiveState::kLactating;
    } else if (state != "none") {
      return fail("state must be none, pregnant or lactating, not '" + state + "'");
    }
    const auto from = t["from_months"].value<double>();
    const auto to = t["to_months"].value<double>();
    if (!from || !to || *from < 0 || *to <= *from)
      return fail("from_months/to_months must satisfy 0 <= from < to");
    row.from_months = *from;
    row.to_months = *to;
    for (auto [key, field] :
         {std::pair{"intake_mg", &row.intake_mg}, std::pair{"ear_mg", &row.ear_mg},
          std::pair{"ul_supplemental_mg", &row.ul_supplemental_mg}}) {
      if (!t.contains(key)) continue;
      const auto value = t[key].value<double>();
      if (!value || *value <= 0 || *value > 5000)
        return fail(std::string(key) + " must be a number in (0, 5000]");
      *field = *value;
    }
    row.intake_kind = t["intake_kind"].value_or(std::string());
    if (row.intake_mg && row.intake_kind != "RDA" && row.intake_kind != "AI") {
      return fail("intake_kind must be RDA or AI");
    }
    row.note = t["note"].value_or(std::string());
    set.rows.push_back(std::move(row));
  }
  // No two rows may claim the same person: that would make the answer depend on row order.
  for (size_t i = 0; i < set.rows.size(); ++i) {
    for (size_t j = i + 1; j < set.rows.size(); ++j) {
      const Row& a = set.rows[i];
      const Row& b = set.rows[j];
      const bool sexes_meet = !a.sex || !b.sex || *a.sex == *b.sex;
      const bool ages_meet = a.from_months < b.to_months && b.from_months < a.to_months;
      if (sexes_meet && ages_meet && a.state == b.state) {
        return DataError(fmt::format("{}:{}: row '{}' overlaps row '{}' (line {})", name, b.line,
                                     b.life_stage, a.life_stage, a.line));
      }
    }
  }
  return set;
}

Result<ReferenceTables> ReferenceTables::LoadEmbedded() {
  ReferenceTables tables;
  for (auto [path, target] :
       {std::pair{"dri/us.toml", &tables.us_}, std::pair{"dri/eu.toml", &tables.eu_}}) {
    auto file = LoadEmbeddedFile(path);
    if (!file.ok()) return file.error();
    auto set = ParseSet(file->content, file->name);
    if (!set.ok()) return set.error();
    *target = std::move(set).value();
  }
  if (tables.us_.reference != Reference::kUs || tables.eu_.reference != Reference::kEu) {
    return DataError("data/dri: us.toml and eu.toml must declare ids us and eu");
  }
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

}  // namespace mg::dri
