#include "foods/units.h"

#include "core/data_files.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/toml_parse.h"
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

Result<UnitTable> UnitTable::LoadEmbedded() {
  auto file = LoadEmbeddedFile("foods/units.toml");
  if (!file.ok()) return file.error();
  auto parsed = ParseToml(*file);
  if (!parsed.ok()) return parsed.error();
  const toml::table& doc = *parsed;
  UnitTable table;
  const toml::array* list = doc["unit"].as_array();
  if (list == nullptr) return DataError(file->name + ": no [[unit]] entries");
  for (const toml::node& node : *list) {
    const std::string where = file->name + ":" + std::to_string(node.source().begin.line);
    const toml::table* t = node.as_table();
    if (t == nullptr) return DataError(where + ": [[unit]] must be a table");
    UnitDef def;
    def.id = (*t)["id"].value_or(std::string());
    const std::string kind = (*t)["kind"].value_or(std::string());
    def.size = (*t)["size"].value_or(0.0);
    if (def.id.empty() || def.size <= 0 || (kind != "mass" && kind != "volume")) {
      return DataError(where + ": unit needs an id, kind = \"mass\" or \"volume\" and size > 0");
    }
    def.kind = kind == "mass" ? UnitDef::Kind::kMass : UnitDef::Kind::kVolume;
    if (const toml::array* syn = (*t)["synonyms"].as_array()) {
      for (const toml::node& s : *syn) def.synonyms.push_back(s.value_or(std::string()));
    }
    table.units_.push_back(std::move(def));
  }
  return table;
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
