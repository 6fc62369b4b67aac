// Chemical formulas: parsing and molar masses from standard atomic weights.
//
// The grammar covers what magnesium labels and references write: elements with counts, nested
// groups in () or [], and hydrates or adducts joined by '·', '.', '*' or '•', each part with an
// optional leading multiplier:  Mg3(C6H5O7)2   MgSO4·7H2O   MgCl2.6H2O   (MgCO3)4·Mg(OH)2·5H2O
#ifndef MGADVISOR_CHEM_FORMULA_H_
#define MGADVISOR_CHEM_FORMULA_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/data_files.h"
#include "core/error.h"

namespace mg::chem {

// Atom counts by element symbol, sorted by symbol.
using ElementCounts = std::map<std::string, int>;

// The standard atomic weights table (data/chem/atomic_weights.toml).
class AtomicWeights {
 public:
  // Loads the embedded table. Errors: kDataError naming file:line for a bad entry.
  static Result<AtomicWeights> LoadEmbedded();
  // Parses a table from TOML text; `name` is used in error messages.
  static Result<AtomicWeights> Parse(const std::string& toml_text, const std::string& name);

  std::optional<double> Of(std::string_view symbol) const;
  const std::string& source() const { return source_; }

  // Sum of count × weight. Errors: kInvalidArgument for an element missing from the table.
  Result<double> MolarMass(const ElementCounts& counts) const;

  bool operator==(const AtomicWeights&) const = default;

 private:
  template <typename A>
  friend void Fields(A& a, AtomicWeights& weights);

  std::map<std::string, double, std::less<>> weights_;
  std::string source_;
};

// Limits that keep any input, however long, within a bounded stack and within int: groups nest
// at most kMaxFormulaNesting deep (real formulas need three or four), a count is at most 9999,
// and no element may exceed kMaxFormulaAtoms atoms at any step of the sum.
inline constexpr int kMaxFormulaNesting = 16;
inline constexpr int kMaxFormulaAtoms = 100000;

// Parses `formula`. Every element must be in `weights`. Errors (kInvalidArgument) name the
// 1-based character position: "formula 'Mg(OH2' unclosed '(' opened at position 3 (at position
// 7)"; past the limits above, the limit and where it was passed: "formula '((((...' has groups
// nested deeper than 16 (at position 17)". A long formula is shortened in messages.
Result<ElementCounts> ParseFormula(std::string_view formula, const AtomicWeights& weights);

}  // namespace mg::chem

#endif  // MGADVISOR_CHEM_FORMULA_H_
