// The magnesium compound catalogue (data/chem/compounds.toml): what a label's compound mass means
// in elemental magnesium, computed from each formula and the standard atomic weights.
//
// Start here for "how much magnesium is in 1 g of magnesium citrate?":
//   auto catalog = CompoundCatalog::LoadEmbedded();
//   auto citrate = catalog->Resolve("magnesium citrate");
//   double mg = ElementalFromCompound(**citrate, 1000.0);  // ≈ 162 mg
#ifndef MGADVISOR_CHEM_COMPOUNDS_H_
#define MGADVISOR_CHEM_COMPOUNDS_H_

#include <optional>
#include <string>
#include <vector>

#include "chem/formula.h"
#include "core/error.h"

namespace mg::chem {

struct Compound {
  std::string id;       // Stable: "citrate", "sulfate_heptahydrate"...
  std::string name;     // For people: "Magnesium citrate (trimagnesium dicitrate, anhydrous)".
  std::string formula;  // As written in the catalogue.
  std::vector<std::string> synonyms;
  std::string source;  // Citation for the formula.
  std::string note;
  ElementCounts composition;
  double molar_mass = 0;          // g/mol, computed.
  int magnesium_atoms = 0;        // Per formula unit.
  double magnesium_fraction = 0;  // Mass fraction of Mg, computed; in (0, 1).
  bool operator==(const Compound&) const = default;
};

class CompoundCatalog {
 public:
  // The embedded catalogue, or the compounds.toml in `dir` when given.
  // Errors: kDataError with file:line (bad formula, duplicate id or synonym, missing field).
  static Result<CompoundCatalog> Load(const std::optional<std::string>& dir = std::nullopt);
  // Parses catalogue text; `name` is used in error messages.
  static Result<CompoundCatalog> Parse(const std::string& toml_text, const std::string& name,
                                       const AtomicWeights& weights);

  const std::vector<Compound>& compounds() const { return compounds_; }
  const AtomicWeights& atomic_weights() const { return weights_; }

  // Exact id lookup; nullptr when absent.
  const Compound* FindById(std::string_view id) const;

  // Finds a compound by id, name or synonym, ignoring case, punctuation and a leading or missing
  // "magnesium". Errors: kNotFound listing close matches ("did you mean ...").
  Result<const Compound*> Resolve(std::string_view name) const;

  // The binary form of core/archive.h, and back; nullopt when `bytes` is not one. The build
  // keeps the embedded catalogue in this form (core/precompiled.h, snapshot "compounds"), which
  // Load() decodes when no `dir` is given.
  std::string Encode() const;
  static std::optional<CompoundCatalog> Decode(std::string_view bytes);
  bool operator==(const CompoundCatalog&) const = default;

 private:
  template <typename A>
  friend void Fields(A& a, CompoundCatalog& catalog);

  std::vector<Compound> compounds_;
  AtomicWeights weights_;
};

// Elemental magnesium (mg) in `compound_mg` of the compound.
inline double ElementalFromCompound(const Compound& c, double compound_mg) {
  return compound_mg * c.magnesium_fraction;
}
// Compound mass (mg) that holds `elemental_mg` of magnesium.
inline double CompoundForElemental(const Compound& c, double elemental_mg) {
  return elemental_mg / c.magnesium_fraction;
}

}  // namespace mg::chem

#endif  // MGADVISOR_CHEM_COMPOUNDS_H_
