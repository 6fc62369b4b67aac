#include "chem/compounds.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/data_files.h"
#include "core/text.h"
#include "core/toml_parse.h"

namespace mg::chem {
namespace {

constexpr std::string_view kMagnesiumPrefix = "magnesium ";

// Lookup keys for a name: normalised, and without a leading "magnesium".
std::vector<std::string> LookupKeys(std::string_view name) {
  std::string key = NormalizeName(name);
  std::vector<std::string> keys = {key};
  if (key.starts_with(kMagnesiumPrefix)) keys.push_back(key.substr(kMagnesiumPrefix.size()));
  return keys;
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

}  // namespace

Result<CompoundCatalog> CompoundCatalog::Load(const std::optional<std::string>& dir) {
  auto weights = AtomicWeights::LoadEmbedded();
  if (!weights.ok()) return weights.error();
  auto files = LoadDataFiles("chem", ".toml", dir);
  if (!files.ok()) return files.error();
  for (const auto& file : *files) {
    if (file.name.ends_with("compounds.toml")) return Parse(file.content, file.name, *weights);
  }
  return NotFound("no compounds.toml among the chemistry data files");
}

Result<CompoundCatalog> CompoundCatalog::Parse(const std::string& toml_text,
                                               const std::string& name,
                                               const AtomicWeights& weights) {
  auto parsed = ParseToml(toml_text, name);
  if (!parsed.ok()) return parsed.error();
  const toml::table& root = *parsed;
  const toml::array* entries = root["compound"].as_array();
  if (entries == nullptr || entries->empty()) {
    return DataError(name + ": no [[compound]] entries");
  }
  static const std::set<std::string, std::less<>> kKnownKeys = {"id",       "name",   "formula",
                                                                "synonyms", "source", "note"};
  CompoundCatalog catalog;
  catalog.weights_ = weights;
  std::map<std::string, std::string> key_owner;  // Lookup key → compound id, to catch clashes.
  for (const toml::node& entry : *entries) {
    const toml::table* table = entry.as_table();
    const int line = LineOf(entry);
    if (table == nullptr)
      return DataError(fmt::format("{}:{}: compound must be a table", name, line));
    for (const auto& [key, value] : *table) {
      if (!kKnownKeys.contains(key.str())) {
        return DataError(
            fmt::format("{}:{}: unknown key '{}' in compound", name, LineOf(value), key.str()));
      }
    }
    Compound compound;
    for (const char* required : {"id", "name", "formula", "source"}) {
      const auto text = (*table)[required].value<std::string>();
      if (!text || text->empty()) {
        return DataError(fmt::format("{}:{}: compound is missing required text field '{}'", name,
                                     line, required));
      }
    }
    compound.id = *(*table)["id"].value<std::string>();
    compound.name = *(*table)["name"].value<std::string>();
    compound.formula = *(*table)["formula"].value<std::string>();
    compound.source = *(*table)["source"].value<std::string>();
    compound.note = (*table)["note"].value_or(std::string());
    if (const toml::array* synonyms = (*table)["synonyms"].as_array()) {
      for (const toml::node& synonym : *synonyms) {
        const auto text = synonym.value<std::string>();
        if (!text) {
          return DataError(fmt::format("{}:{}: synonyms of '{}' must be strings", name,
                                       LineOf(synonym), compound.id));
        }
        compound.synonyms.push_back(*text);
      }
    }
    const int formula_line = LineOf(*table->get("formula"));
    auto composition = ParseFormula(compound.formula, weights);
    if (!composition.ok()) {
      return DataError(fmt::format("{}:{}: {}", name, formula_line, composition.error().message));
    }
    compound.composition = std::move(composition).value();
    const auto magnesium = compound.composition.find("Mg");
    if (magnesium == compound.composition.end()) {
      return DataError(fmt::format("{}:{}: formula '{}' of '{}' contains no magnesium", name,
                                   formula_line, compound.formula, compound.id));
    }
    compound.magnesium_atoms = magnesium->second;
    compound.molar_mass = *weights.MolarMass(compound.composition);
    compound.magnesium_fraction =
        compound.magnesium_atoms * *weights.Of("Mg") / compound.molar_mass;

    std::vector<std::string> names = {compound.id, compound.name};
    names.insert(names.end(), compound.synonyms.begin(), compound.synonyms.end());
    std::set<std::string> own_keys;
    for (const auto& n : names) {
      for (const auto& key : LookupKeys(n)) own_keys.insert(key);
    }
    for (const auto& key : own_keys) {
      const auto [it, inserted] = key_owner.emplace(key, compound.id);
      if (!inserted) {
        return DataError(fmt::format("{}:{}: name '{}' of '{}' is already used by '{}'", name, line,
                                     key, compound.id, it->second));
      }
    }
    catalog.compounds_.push_back(std::move(compound));
  }
  return catalog;
}

const Compound* CompoundCatalog::FindById(std::string_view id) const {
  for (const auto& compound : compounds_) {
    if (compound.id == id) return &compound;
  }
  return nullptr;
}

Result<const Compound*> CompoundCatalog::Resolve(std::string_view query) const {
  const std::vector<std::string> query_keys = LookupKeys(query);
  for (const auto& compound : compounds_) {
    std::vector<std::string> names = {compound.id, compound.name};
    names.insert(names.end(), compound.synonyms.begin(), compound.synonyms.end());
    for (const auto& n : names) {
      for (const auto& key : LookupKeys(n)) {
        for (const auto& q : query_keys) {
          if (key == q) return &compound;
        }
      }
    }
  }
  // Suggest compounds, not names: several synonyms of one compound may be close to the query.
  std::vector<std::string> candidates;
  std::map<std::string, const Compound*> owner;
  for (const auto& compound : compounds_) {
    std::vector<std::string> names = {compound.id, compound.name};
    names.insert(names.end(), compound.synonyms.begin(), compound.synonyms.end());
    for (const auto& n : names) {
      candidates.push_back(n);
      owner.emplace(n, &compound);
    }
  }
  std::vector<std::string> suggestions;
  std::set<const Compound*> suggested;
  for (const auto& match : CloseMatches(query, candidates, candidates.size())) {
    const Compound* compound = owner.at(match);
    if (suggested.insert(compound).second && suggestions.size() < 4) {
      suggestions.push_back(fmt::format("'{}' ({})", match, compound->id));
    }
  }
  std::string message = fmt::format("unknown compound '{}'", std::string(query));
  if (!suggestions.empty()) {
    message += "; did you mean " + JoinAlternatives(suggestions) + "?";
  }
  message += " (`mgadvisor compounds` lists them all)";
  return NotFound(message);
}

}  // namespace mg::chem
