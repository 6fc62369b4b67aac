#include "chem/compounds.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/archive.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/precompiled.h"
#include "core/text.h"

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

}  // namespace

template <typename A>
void Fields(A& a, AtomicWeights& weights) {
  a(weights.weights_, weights.source_);
}

template <typename A>
void Fields(A& a, Compound& c) {
  a(c.id, c.name, c.formula, c.synonyms, c.source, c.note, c.composition, c.molar_mass,
    c.magnesium_atoms, c.magnesium_fraction);
}

template <typename A>
void Fields(A& a, CompoundCatalog& catalog) {
  a(catalog.compounds_, catalog.weights_);
}

std::string CompoundCatalog::Encode() const { return archive::Encode(*this); }

std::optional<CompoundCatalog> CompoundCatalog::Decode(std::string_view bytes) {
  return archive::Decode<CompoundCatalog>(bytes);
}

Result<CompoundCatalog> CompoundCatalog::Load(const std::optional<std::string>& dir) {
  if (!dir) {  // The data compiler checked the embedded catalogue and kept it loaded.
    if (const auto snapshot = precompiled::FindSnapshot("compounds")) {
      if (auto catalog = Decode(*snapshot)) return std::move(*catalog);
    }
  }
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
  DataProblems problems;
  const auto root = ParseTomlFile(DataFile{name, toml_text}, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, name, "the file", problems, {"compound"});
  CompoundCatalog catalog;
  catalog.weights_ = weights;
  std::map<std::string, std::string> key_owner;  // Lookup key → compound id, to catch clashes.
  for (TomlReader r : doc.Tables("compound", "compound",
                                 {"id", "name", "formula", "synonyms", "source", "note"})) {
    Compound compound;
    compound.id = r.Text("id");
    compound.name = r.Text("name");
    compound.formula = r.Text("formula");
    compound.source = r.Text("source");
    compound.note = r.OptionalText("note").value_or("");
    compound.synonyms = r.TextList("synonyms", TomlReader::Need::kOptional);
    if (compound.formula.empty()) continue;
    const int formula_line = r.LineAt("formula");
    auto composition = ParseFormula(compound.formula, weights);
    if (!composition.ok()) {
      r.Report(composition.error().message, formula_line);
      continue;
    }
    compound.composition = std::move(composition).value();
    const auto magnesium = compound.composition.find("Mg");
    if (magnesium == compound.composition.end()) {
      r.Report(
          fmt::format("formula '{}' of '{}' contains no magnesium", compound.formula, compound.id),
          formula_line);
      continue;
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
        r.Report(
            fmt::format("name '{}' of '{}' is already used by '{}'", key, compound.id, it->second));
      }
    }
    catalog.compounds_.push_back(std::move(compound));
  }
  if (!problems.empty()) return problems.ToError();
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
