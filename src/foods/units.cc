#include "foods/units.h"

#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/numbers.h"
#include "core/text.h"
#include "foods/search.h"

namespace mg::foods {
namespace {

// The unit a portion is measured in: "cup, chopped" -> cup, "fl oz (approx)" -> fl oz.
const UnitDef* PortionUnit(const Portion& portion, const UnitTable& units) {
  const std::string words = NormalizeName(portion.unit);
  const size_t first = words.find(' ');
  if (first != std::string::npos) {
    const size_t second = words.find(' ', first + 1);
    if (const UnitDef* u = units.Find(words.substr(0, second))) return u;
  }
  return units.Find(words.substr(0, first));
}

}  // namespace

Result<UnitTable> UnitTable::Parse(const DataFile& file) {
  DataProblems problems;
  const auto root = ParseTomlFile(file, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, file.name, "the file", problems, {"unit"});
  static constexpr EnumName<UnitDef::Kind> kKinds[] = {{"mass", UnitDef::Kind::kMass},
                                                       {"volume", UnitDef::Kind::kVolume}};
  UnitTable table;
  for (TomlReader r : doc.Tables("unit", "unit", {"id", "kind", "size", "synonyms"})) {
    UnitDef def;
    def.id = r.Text("id");
    def.kind = r.Enum("kind", kKinds).value_or(UnitDef::Kind::kMass);
    def.size = r.Number("size", NumberRange::Above(0)).value_or(1);
    def.synonyms = r.TextList("synonyms", TomlReader::Need::kOptional);
    table.units_.push_back(std::move(def));
  }
  if (!problems.empty()) return problems.ToError();
  return table;
}

Result<UnitTable> UnitTable::LoadEmbedded() {
  auto file = LoadEmbeddedFile("foods/units.toml");
  if (!file.ok()) return file.error();
  return Parse(*file);
}

const UnitDef* UnitTable::Find(std::string_view text) const {
  const std::string wanted = NormalizeName(text);
  if (wanted.empty()) return nullptr;
  for (const UnitDef& u : units_) {
    if (NormalizeName(u.id) == wanted) return &u;
    for (const std::string& s : u.synonyms) {
      if (NormalizeName(s) == wanted) return &u;
    }
  }
  return nullptr;
}

Result<double> GramsOf(const Food& food, double amount, std::string_view unit,
                       const UnitTable& units) {
  if (!(amount > 0)) {
    return InvalidArgument("amount " + FormatNumber(amount, 3) + " is not a positive number");
  }
  if (const UnitDef* u = units.Find(unit)) {
    if (u->kind == UnitDef::Kind::kMass) return amount * u->size;
    // A volume: through this food's own volume measures, preferring the same unit.
    const Portion* best = nullptr;
    const UnitDef* best_unit = nullptr;
    for (const Portion& p : food.portions) {
      const UnitDef* pu = PortionUnit(p, units);
      if (pu == nullptr || pu->kind != UnitDef::Kind::kVolume) continue;
      if (best == nullptr || (pu == u && best_unit != u)) {
        best = &p;
        best_unit = pu;
      }
    }
    if (best != nullptr) {
      return amount * u->size / best_unit->size * best->grams / best->amount;
    }
  } else {
    const std::string wanted = NormalizeName(unit);
    if (wanted == "serving" || wanted == "servings" || wanted == "portion") {
      return amount * food.serving.grams / food.serving.amount;
    }
    // A household measure the food lists: whole label, or its first word, plural-insensitive.
    const auto wanted_words = SearchTokens(unit);
    for (const Portion& p : food.portions) {
      const auto words = SearchTokens(p.unit);
      if (words.empty() || wanted_words.empty()) continue;
      const bool whole = words == wanted_words;
      const bool first = wanted_words.size() == 1 && words[0] == wanted_words[0];
      if (whole || first) return amount * p.grams / p.amount;
    }
  }
  std::vector<std::string> known = {"g", "oz", "lb", "serving"};
  for (const Portion& p : food.portions) {
    std::string quoted(1, '"');  // Appends, not operator+: g++ 12 -O3 warns falsely on "x" + s.
    quoted.append(p.Label()).push_back('"');
    known.push_back(std::move(quoted));
  }
  return InvalidArgument("unit \"" + std::string(unit) + "\" does not apply to '" + food.name +
                         "'; use one of: " + JoinAlternatives(known));
}

}  // namespace mg::foods
