// The label reader: a US "Supplement Facts" or "Drug Facts" panel, a US "Nutrition Facts" panel,
// an EU/UK nutrition-information table or a Canadian NPN label, as printed — typed, pasted or
// OCR-quality text (ligatures, stray spaces, "rng" for "mg", "Magnesium(as magnesium oxide)400mg",
// tabs, leader dots, words wrapped over two lines) — read into what the plan needs: how many
// pills or millilitres a serving is, the elemental magnesium per serving and per unit, which
// magnesium compounds it holds, and what a careful reader should be warned about.
//
// How amounts are read (the label conventions, not guesses):
//   "Magnesium (as magnesium oxide) 400 mg"  → 400 mg elemental (the nutrient line).
//   "Magnesium citrate 500 mg"                → 500 mg of the salt: 80.8 mg elemental, computed
//                                               from the compound catalogue, with a warning.
//   "Magnesium hydroxide 400 mg" (Drug Facts) → the active ingredient's mass: 166.7 mg elemental;
//                                               "each 5 mL contains: magnesium 165 mg" wins.
//   "Magnesium oxide 500 mg (providing 300 mg magnesium)" → 300 mg elemental.
//   a proprietary blend with magnesium salts and no elemental line → elemental unknown, warning.
//
// Warnings (codes in LabelWarning::code): proprietary_blend, compound_mass_only,
// percent_dv_mismatch, percent_dv_older_reference, several_forms, range, unknown_compound,
// elemental_exceeds_compound, amount_missing, serving_size_missing, no_magnesium.
//
//   auto label = ReadLabel(text, compounds, catalogue.daily_values());
//   label->elemental_mg_per_serving;  // nullopt when it cannot be known from the label
//
// ReadLabel is a pure function of its inputs; it is safe to call from many threads.
#ifndef MGADVISOR_PRODUCTS_LABEL_H_
#define MGADVISOR_PRODUCTS_LABEL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/error.h"
#include "products/catalogue.h"

namespace mg::products {

enum class PanelKind {
  kSupplementFacts,       // US dietary supplement.
  kDrugFacts,             // US OTC medicine (antacid, laxative).
  kNutritionFacts,        // US food.
  kNutritionInformation,  // EU / UK / Australian nutrition information, % NRV / RI.
  kCanadianNpn,           // Canadian natural health product ("Medicinal ingredients").
  kUnknown,               // No heading found; amounts were still read.
};
std::string_view ToString(PanelKind kind);  // "supplement_facts", "drug_facts", ...

struct ServingSize {
  double count = 1;      // Units per serving (pills, or mL for liquids, or teaspoons...).
  double count_max = 1;  // Upper end of a range ("1-2 capsules"); equal to count otherwise.
  std::string unit;      // "capsule", "tablet", "softgel", "mL", "teaspoon", "g", "sachet"...
  std::optional<double> grams;  // "(4 g)" after the serving, when printed.
  std::optional<double> ml;     // Volume of the serving, when printed or when the unit is mL.
  int line = 0;                 // 0 when not printed (then `assumed`).
  bool assumed = false;
};

enum class AmountBasis {
  kElemental,     // The line states magnesium itself.
  kCompoundMass,  // The line states a salt's mass; elemental computed when the salt is known.
  kBlend,         // A proprietary blend: its magnesium content is not stated.
};

struct MagnesiumLine {
  int line = 0;
  std::string text;  // The line as read (after clean-up).
  AmountBasis basis = AmountBasis::kElemental;
  std::optional<double> amount_mg;     // As printed, converted to mg (salt mass for compounds).
  std::optional<double> elemental_mg;  // Elemental magnesium this line contributes.
  bool per_unit = false;               // "each tablet contains: magnesium 55 mg".
  std::vector<std::string> compound_ids;
  std::optional<double> percent;  // % DV / % NRV printed on the line.
};

struct PercentCheck {
  double stated = 0;
  double amount_mg = 0;      // The elemental amount it was compared with.
  std::string reference_id;  // The daily value it matches, or the family's current one.
  double reference_mg = 0;
  bool matches = false;
  bool current = true;  // The matched reference is the one labels must use today.
  int line = 0;
};

struct Directions {
  std::optional<double> units_min, units_max;  // Per dose.
  std::optional<double> times_min, times_max;  // Doses per day.
  std::optional<double> max_units_per_day;
  std::string unit;
  int line = 0;
};

struct Price {
  double amount = 0;
  std::string currency;  // "USD", "GBP", "EUR", "CAD", or "" when not printed.
  int line = 0;
};

struct LabelWarning {
  std::string code;  // Stable identifier, see the header comment.
  int line = 0;      // 0 for the label as a whole.
  std::string message;
};

struct Label {
  PanelKind panel = PanelKind::kUnknown;
  ServingSize serving;
  std::optional<double> servings_per_container;
  // Elemental magnesium; nullopt when the label does not let it be known (a blend, an unknown
  // salt). 0 when the label has no magnesium.
  std::optional<double> elemental_mg_per_serving;
  std::optional<double> elemental_mg_per_unit;
  std::vector<std::string> compounds;  // Compound catalogue ids, in order of first mention.
  std::vector<MagnesiumLine> magnesium_lines;
  std::optional<PercentCheck> percent_daily_value;
  std::optional<Directions> directions;
  std::optional<Price> price;
  std::optional<double> price_per_serving;
  std::vector<LabelWarning> warnings;

  bool HasWarning(std::string_view code) const;
};

// Reads a label. `daily_values` come from the catalogue (data/medicines/daily_values.toml).
// Errors (kInvalidArgument), each naming the line ("line 7: ..."): empty text, binary data,
// text over 1 MiB, a magnesium amount that is not a number or has no mass unit, magnesium in
// IU, an impossible serving size (zero, or two serving sizes that disagree), an implausible
// amount (over 100 g), and text with no label content at all.
Result<Label> ReadLabel(std::string_view text, const chem::CompoundCatalog& compounds,
                        const std::vector<DailyValue>& daily_values);

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_LABEL_H_
