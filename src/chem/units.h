// Amounts of magnesium and of compounds: parsing "500 mg", "1g", "10 mmol", "20 mEq" and the
// conversions between them. For magnesium, 1 mmol = 24.305 mg (its standard atomic weight) and,
// because the ion is divalent, 1 mmol = 2 mEq.
#ifndef MGADVISOR_CHEM_UNITS_H_
#define MGADVISOR_CHEM_UNITS_H_

#include <string>
#include <string_view>

#include "core/error.h"

namespace mg::chem {

enum class Unit { kMicrogram, kMilligram, kGram, kMillimole, kMilliequivalent };

struct Amount {
  double value = 0;
  Unit unit = Unit::kMilligram;
};

inline constexpr double kMagnesiumMolarMass = 24.305;  // g/mol = mg/mmol (IUPAC 2021).
inline constexpr double kMagnesiumValence = 2;         // mEq per mmol.

const char* UnitSymbol(Unit unit);  // "mcg", "mg", "g", "mmol", "mEq"
bool IsMassUnit(Unit unit);

// Parses "<number><unit>" or "<number> <unit>". Units (case-insensitive): mcg, ug, µg, mg, g,
// mmol, meq. Errors (kInvalidArgument) say what is wrong: no unit, unknown unit, not a number,
// negative. Zero is allowed.
Result<Amount> ParseAmount(std::string_view text);

// An amount of magnesium in milligrams (mass units are taken as elemental mass).
double MagnesiumMilligrams(const Amount& amount);

// A mass amount in milligrams. REQUIRES: IsMassUnit(amount.unit).
double MassMilligrams(const Amount& amount);

inline double MagnesiumMgToMmol(double mg) { return mg / kMagnesiumMolarMass; }
inline double MagnesiumMmolToMg(double mmol) { return mmol * kMagnesiumMolarMass; }
inline double MagnesiumMgToMeq(double mg) { return MagnesiumMgToMmol(mg) * kMagnesiumValence; }
inline double MagnesiumMeqToMg(double meq) { return MagnesiumMmolToMg(meq / kMagnesiumValence); }

}  // namespace mg::chem

#endif  // MGADVISOR_CHEM_UNITS_H_
