// One count of supplemental magnesium: how much elemental magnesium a day something a person
// names amounts to — a supplement, an antacid, a laxative, a medicine — read the way labels
// mean it.
//
// Amounts mean what labels mean: "400mg" is elemental magnesium, as on a Supplement Facts line
// "Magnesium (as magnesium oxide) 400 mg"; "400mg compound" (or "400 mg salt") is the mass of the
// salt, as on a Drug Facts line "Magnesium oxide 400 mg"; "2 tablets", "30 mL", "2 tsp" are
// units of a catalogued product. mmol and mEq always count magnesium itself.
//
// When a magnesium-containing product is named without an amount, its label's usual dose is
// assumed (the most units per dose, at each time of day the person gives) and the assumption is
// shown; when there is no usual dose (prescription medicines, an unnamed salt), the count fails
// with an error asking for the amount. It never counts silently zero.
//
//   auto amount = ParseStatedAmount("2 tablespoons");
//   auto count = CountMagnesium(catalogue.Resolve("milk of magnesia"), *amount, 1, compounds);
//   (*count)->elemental_mg_per_day;  // 1000
#ifndef MGADVISOR_PRODUCTS_MAGNESIUM_COUNT_H_
#define MGADVISOR_PRODUCTS_MAGNESIUM_COUNT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/error.h"
#include "products/catalogue.h"

namespace mg::products {

enum class AmountKind {
  kElemental,  // Milligrams of magnesium itself.
  kCompound,   // Milligrams of the salt ("compound" / "salt" after the amount).
  kUnits,      // A count of units: tablets, mL, teaspoons...
};

enum class UnitFamily { kCount, kVolume, kSpoon };  // tablets | mL, fl oz | teaspoons of powder

struct StatedAmount {
  AmountKind kind = AmountKind::kElemental;
  double value = 0;      // mg (elemental or compound), or a number of units.
  double value_max = 0;  // Upper end of a range ("1-2 tablets"); equal to value otherwise.
  // kUnits: the unit in canonical form ("tablet", "mL", "teaspoon", "tablespoon", "fl oz",
  // "sachet", "capsule"...) and its family.
  std::string unit;
  UnitFamily family = UnitFamily::kCount;
  std::string text;  // As written.
};

// Parses "400mg", "400 mg elemental" (the default said out loud), "400 mg compound", "1.2 g
// salt", "10 mmol", "2 tablets", "1-2 caps", "30 mL", "2 tbsp", "6.5 fl oz", "1 sachet". Errors
// (kInvalidArgument) name the text and say what is wrong: not a number, negative, unknown unit,
// "compound" after a unit count or mmol.
Result<StatedAmount> ParseStatedAmount(std::string_view text);

struct MagnesiumCount {
  double elemental_mg_per_intake = 0;  // Using the upper end of a range.
  double intakes_per_day = 1;
  double elemental_mg_per_day = 0;
  bool assumed = false;    // The label's usual dose was assumed (no amount given).
  std::string product_id;  // The product whose label the count used; "" for an ingredient.
  std::string reading;     // How the amount was read, for people: "2 × 15 mL of ... = 1000 mg".
  std::vector<std::string> notes;  // E.g. "more than the label's daily maximum".
};

// Counts the magnesium in what `resolution` names, taken `intakes_per_day` times a day (>= 1;
// the number of times the person gives).
// Returns nullopt when nothing named contains magnesium (the amount is then ignored).
// Errors (kInvalidArgument): the name is unknown; magnesium without an amount and without a
// usual labelled dose (the message asks for the amount and shows the syntax); a unit count for
// something that is not a catalogued product, or in units the product's label does not use
// (tablets of a liquid); a salt's mass when the salt is not known or several salts are present.
// REQUIRES: intakes_per_day >= 1.
Result<std::optional<MagnesiumCount>> CountMagnesium(const Resolution& resolution,
                                                     const std::optional<StatedAmount>& amount,
                                                     double intakes_per_day,
                                                     const chem::CompoundCatalog& compounds);

// What a person names as something taken, as the count understands it: the catalogue's
// resolution of `name`; when that holds no magnesium, a magnesium salt spelt the way the compound
// catalogue knows it ("oxide", "Epsom salt", "magnesium bisglycinate") stands for the catalogue's
// ingredient of that salt. Otherwise the catalogue's resolution as it is: unknown (with
// suggestions) or known without magnesium.
Resolution ResolveTaken(const Catalogue& catalogue, const chem::CompoundCatalog& compounds,
                        std::string_view name);

// Counts one entry of a diary or a journal, taken once: `name` as written (a brand the catalogue
// may not know) and its amount. A catalogued magnesium source goes through CountMagnesium; a
// catalogued name without magnesium (Tums, calcium carbonate) counts nothing, and says so in
// `reading`; an unknown name counts an amount of magnesium itself as given (the person read it
// off the label), while a salt's mass or units of an unknown product is an error naming the
// name with close matches — never a silent zero.
Result<std::optional<MagnesiumCount>> CountWrittenIntake(const Catalogue& catalogue,
                                                         const chem::CompoundCatalog& compounds,
                                                         std::string_view name,
                                                         const StatedAmount& amount);

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_MAGNESIUM_COUNT_H_
