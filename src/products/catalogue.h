// The medicines and products catalogue (data/medicines/*.toml): what a name a person uses for
// something they take contains. A generic name, a brand, an abbreviation ("HCTZ", "MoM"), a
// combination written with '/', '+' or 'and' — each resolves to its ingredients; each ingredient
// maps to the knowledge base's interaction class (data/kb/interactions.toml) and, for magnesium
// salts, to the compound catalogue (data/chem/compounds.toml). Every product that contains
// magnesium carries its elemental magnesium per unit (computed from the salt's formula when the
// label gives the salt's mass) and the label's usual dose.
//
// A name the catalogue does not know is returned as unknown with close matches, never dropped.
// Names are compared ignoring case, spaces, apostrophes and other punctuation, so "Phillips'",
// "phillips milk of magnesia" and "PHILLIPS MILK-OF-MAGNESIA" are the same name.
//
//   auto catalogue = Catalogue::Load(std::nullopt, kb, compounds);   // embedded data
//   Resolution r = catalogue->Resolve("Dyazide");
//   r.InteractionIds();   // {"potassium_sparing_diuretics", "loop_thiazide_diuretics"}
//   catalogue->Resolve("milk of magnesia").products[0]->magnesium_mg_per_unit;  // 500 (per 15 mL)
//
// A loaded Catalogue is immutable; every method is const and safe to call from many threads.
// Resolutions point into the Catalogue that made them and are valid while it lives.
#ifndef MGADVISOR_PRODUCTS_CATALOGUE_H_
#define MGADVISOR_PRODUCTS_CATALOGUE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/error.h"
#include "core/key_index.h"
#include "kb/kb.h"

namespace mg::products {

enum class Use { kAntacid, kLaxative, kSupplement, kMedicine };
std::string_view ToString(Use use);  // "antacid", "laxative", "supplement", "medicine"

struct Ingredient {
  std::string id;    // "hydrochlorothiazide", "magnesium_hydroxide"
  std::string name;  // Generic name shown to people.
  std::vector<std::string> synonyms;
  std::vector<std::string> abbreviations;  // "HCTZ"
  std::vector<std::string> brands;         // Products of this ingredient alone.
  std::string interaction_id;              // Knowledge-base class; "" when none.
  std::string compound_id;                 // Compound catalogue id (magnesium salts); "" else.
  bool contains_magnesium = false;         // A magnesium salt, or plain "magnesium".
  std::vector<std::string> citation_ids;
  std::string note;
  bool operator==(const Ingredient&) const = default;
};

struct ProductIngredient {
  std::string ingredient_id;
  std::optional<double> compound_mg;  // Mass of the ingredient per unit, as labelled.
  std::string compound_id;            // The salt used for the arithmetic ("" when none).
  bool operator==(const ProductIngredient&) const = default;
};

struct DoseRange {
  double fewest_units = 0;
  double most_units = 0;
  bool operator==(const DoseRange&) const = default;
};

struct Product {
  std::string id;
  std::string name;
  std::vector<std::string> names;          // Generic names of the product ("milk of magnesia").
  std::vector<std::string> abbreviations;  // "MoM"
  std::vector<std::string> brands;         // A brand may be shared by a family of strengths.
  std::vector<std::string> markets;        // "US", "UK", "EU", "CA"
  std::vector<std::string> forms;          // "tablet", "oral_suspension", ...
  Use use = Use::kMedicine;
  std::vector<ProductIngredient> ingredients;
  std::string unit;               // What the amounts refer to: "tablet", "15 mL", "level teaspoon".
  std::optional<double> unit_ml;  // Volume of one unit (liquids).
  std::optional<double> unit_g;   // Mass of one unit (powders).
  std::optional<double> label_magnesium_mg;     // Elemental Mg per unit as the label states it.
  std::optional<double> computed_magnesium_mg;  // From the salts' masses and formulas.
  // The figure every count uses: the larger of the two above (the safe side for the upper
  // limit); nullopt for products without magnesium.
  std::optional<double> magnesium_mg_per_unit;
  std::optional<DoseRange> units_per_dose;  // The label's usual adult dose.
  std::optional<double> max_units_per_day;  // The label's daily maximum.
  std::vector<std::string> citation_ids;
  std::string note;
  std::string source;  // "data/medicines/magnesium_products.toml:42", for reviewers.

  bool contains_magnesium() const { return magnesium_mg_per_unit.has_value(); }
  bool operator==(const Product&) const = default;
};

// A reference amount labels express magnesium against (% Daily Value, % NRV, % RDA).
struct DailyValue {
  std::string id;  // "us_dv_2016"
  std::string name;
  double magnesium_mg = 0;
  std::vector<std::string> markers;  // Label words selecting it ("dv", "nrv"), NormalizeName()d.
  std::string family;                // "us" or "eu"
  bool current = true;
  std::vector<std::string> citation_ids;
  std::string note;
  bool operator==(const DailyValue&) const = default;
};

enum class MatchKind {
  kProduct,      // A product name or brand; `products` holds every product it names.
  kIngredient,   // An ingredient (generic, synonym, abbreviation or single-ingredient brand).
  kCombination,  // Several names joined with '/', '+', 'and', ...: see `parts`.
  kUnknown,      // Not in the catalogue: see `suggestions`.
};
enum class NameKind { kGeneric, kSynonym, kAbbreviation, kBrand, kCombination, kNone };
std::string_view ToString(MatchKind kind);  // "product", "ingredient", "combination", "unknown"
std::string_view ToString(NameKind kind);   // "generic", "synonym", "abbreviation", "brand", ...

struct Resolution {
  std::string query;  // As the person wrote it.
  MatchKind kind = MatchKind::kUnknown;
  NameKind matched_as = NameKind::kNone;
  std::string matched_name;  // The catalogue's spelling of the name that matched.
  // kProduct: every product the name names, the most magnesium per unit first (a brand family
  // such as "Maalox" names several strengths). For kCombination: the parts' products.
  std::vector<const Product*> products;
  // Every ingredient of what was named (products' ingredients, or the ingredient itself), each
  // once, in order.
  std::vector<const Ingredient*> ingredients;
  std::vector<Resolution> parts;  // kCombination: one resolution per part, each known.
  // kUnknown: close matches from every name in the catalogue; empty when nothing is close.
  std::vector<std::string> suggestions;
  std::string unknown_part;  // kUnknown: the part of a combination that was not recognised.

  bool known() const { return kind != MatchKind::kUnknown; }
  bool ContainsMagnesium() const;
  // Knowledge-base interaction classes of the ingredients, each once, in ingredient order.
  std::vector<std::string> InteractionIds() const;
};

class Catalogue {
 public:
  // The embedded catalogue, or the .toml files directly in `dir`. `kb` and `compounds` are used
  // for cross-checks and must outlive nothing: the catalogue copies what it needs.
  // Errors: kNotFound for a missing dir; kDataError listing every problem, one
  // `file:line: message` per line (unknown keys, missing fields, duplicate ids or names,
  // unknown interaction classes, compounds, citations or ingredients, magnesium amounts that
  // disagree with the label, knowledge-base medicines the catalogue cannot resolve).
  static Result<Catalogue> Load(const std::optional<std::string>& dir, const kb::KnowledgeBase& kb,
                                const chem::CompoundCatalog& compounds);
  static Result<Catalogue> Parse(const std::vector<DataFile>& files, const kb::KnowledgeBase& kb,
                                 const chem::CompoundCatalog& compounds);

  // The embedded catalogue as the data compiler loaded and checked it against the embedded
  // knowledge base and compounds (core/precompiled.h, snapshot "medicines"); nullopt when none
  // is installed. Only for a program using the embedded base: checking the catalogue against
  // another base (`--kb DIR`) takes Load().
  static std::optional<Catalogue> BuiltIn();
  // The binary form of core/archive.h, and back (indexed); nullopt when `bytes` is not one.
  std::string Encode() const;
  static std::optional<Catalogue> Decode(std::string_view bytes);

  // Never fails: an unknown name comes back as MatchKind::kUnknown with suggestions. Tries, in
  // order: the exact name; the name without a trailing strength or dosage form ("Lasix 40 mg
  // tablets"); the name split into a combination ("triamterene/HCTZ").
  Resolution Resolve(std::string_view name) const;

  const Ingredient* FindIngredient(std::string_view id) const;
  const Product* FindProduct(std::string_view id) const;
  const std::vector<Ingredient>& ingredients() const { return ingredients_; }
  const std::vector<Product>& products() const { return products_; }
  const std::vector<DailyValue>& daily_values() const { return daily_values_; }
  // Every product that contains magnesium, in file order (for the safety grid).
  std::vector<const Product*> MagnesiumProducts() const;

 private:
  // A name of an ingredient or product: which list of the entity holds it and where, rather than
  // a copy of it (the index of every name was ~13 % of `plan`'s start-up; issue 20).
  struct NameEntry {
    bool is_product = false;
    size_t index = 0;
    NameKind kind = NameKind::kGeneric;
    size_t position = 0;  // In the entity's list of names of this kind (0: an ingredient's name).

    bool operator==(const NameEntry&) const = default;
    template <typename A>
    friend void Fields(A& a, NameEntry& entry) {
      a(entry.is_product, entry.index, entry.kind, entry.position);
    }
  };
  friend class CatalogueBuilder;
  template <typename A>
  friend void Fields(A& a, Catalogue& catalogue);

 public:
  bool operator==(const Catalogue&) const = default;

 private:
  Resolution ResolveExact(std::string_view name) const;
  // The list of names `entry` points into (by its kind); nullptr for an ingredient's one name.
  const std::vector<std::string>* NameList(const NameEntry& entry) const;
  // The spelling an entry stands for.
  const std::string& Spelling(const NameEntry& entry) const;
  // Every spelling of every name, sorted and without repeats: the candidates of suggestions for
  // a name nobody knows (made when one is asked for, as that is rare).
  std::vector<std::string> DisplayNames() const;
  void Reindex();
  // True when the name index only points at names the catalogue holds: what a decoded catalogue
  // must be before it is searched.
  bool NamesFit() const;
  // The entries of name group `group` (one NameKey), in the order they were added.
  std::span<const NameEntry> NameGroup(uint32_t group) const;

  std::vector<Ingredient> ingredients_;
  std::vector<Product> products_;
  std::vector<DailyValue> daily_values_;
  // NameKey → entries, as a KeyIndex to name groups: the entries of group g are
  // name_entries_[name_group_starts_[g], name_group_starts_[g + 1]). The snapshot keeps all three,
  // so a start decodes the index instead of rebuilding it (Reindex was 8 % of `plan`'s start-up;
  // issue 20).
  KeyIndex name_keys_;
  std::vector<uint32_t> name_group_starts_;
  std::vector<NameEntry> name_entries_;
};

// The comparison key of a name: lower case, without apostrophes, trademark signs, spaces or
// punctuation ("Phillips' Milk-of-Magnesia®" → "phillipsmilkofmagnesia").
std::string NameKey(std::string_view name);

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_CATALOGUE_H_
