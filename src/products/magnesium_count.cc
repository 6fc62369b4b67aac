#include "products/magnesium_count.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "chem/units.h"
#include "core/numbers.h"
#include "core/text.h"
#include "products/label_text.h"

namespace mg::products {
namespace {

struct UnitSpelling {
  std::string_view word;
  std::string_view canonical;
  UnitFamily family;
  double ml = 0;  // Volume of one (volume and spoon units).
};
// Spellings people use for units of a product. Parsing rules, not facts; the millilitres of
// household measures are the US labelling conventions (teaspoon 5 mL, tablespoon 15 mL, fluid
// ounce 29.57 mL).
constexpr UnitSpelling kUnits[] = {
    {"tablet", "tablet", UnitFamily::kCount},
    {"tablets", "tablet", UnitFamily::kCount},
    {"tab", "tablet", UnitFamily::kCount},
    {"tabs", "tablet", UnitFamily::kCount},
    {"pill", "tablet", UnitFamily::kCount},
    {"pills", "tablet", UnitFamily::kCount},
    {"chewable", "tablet", UnitFamily::kCount},
    {"chewables", "tablet", UnitFamily::kCount},
    {"caplet", "caplet", UnitFamily::kCount},
    {"caplets", "caplet", UnitFamily::kCount},
    {"capsule", "capsule", UnitFamily::kCount},
    {"capsules", "capsule", UnitFamily::kCount},
    {"cap", "capsule", UnitFamily::kCount},
    {"caps", "capsule", UnitFamily::kCount},
    {"softgel", "capsule", UnitFamily::kCount},
    {"softgels", "capsule", UnitFamily::kCount},
    {"gummy", "gummy", UnitFamily::kCount},
    {"gummies", "gummy", UnitFamily::kCount},
    {"sachet", "sachet", UnitFamily::kCount},
    {"sachets", "sachet", UnitFamily::kCount},
    {"packet", "sachet", UnitFamily::kCount},
    {"packets", "sachet", UnitFamily::kCount},
    {"stick", "sachet", UnitFamily::kCount},
    {"sticks", "sachet", UnitFamily::kCount},
    {"ml", "mL", UnitFamily::kVolume, 1},
    {"mls", "mL", UnitFamily::kVolume, 1},
    {"l", "mL", UnitFamily::kVolume, 1000},
    {"floz", "fl oz", UnitFamily::kVolume, 29.57},
    {"oz", "fl oz", UnitFamily::kVolume, 29.57},
    {"tsp", "teaspoon", UnitFamily::kSpoon, 5},
    {"teaspoon", "teaspoon", UnitFamily::kSpoon, 5},
    {"teaspoons", "teaspoon", UnitFamily::kSpoon, 5},
    {"teaspoonful", "teaspoon", UnitFamily::kSpoon, 5},
    {"teaspoonfuls", "teaspoon", UnitFamily::kSpoon, 5},
    {"tbsp", "tablespoon", UnitFamily::kSpoon, 15},
    {"tablespoon", "tablespoon", UnitFamily::kSpoon, 15},
    {"tablespoons", "tablespoon", UnitFamily::kSpoon, 15},
    {"tablespoonful", "tablespoon", UnitFamily::kSpoon, 15},
    {"tablespoonfuls", "tablespoon", UnitFamily::kSpoon, 15},
};

const UnitSpelling* FindUnit(std::string_view word) {
  for (const auto& u : kUnits) {
    if (u.word == word) return &u;
  }
  return nullptr;
}

// A product's own unit, in the families above: "15 mL" is volume, "level teaspoon" a spoon,
// "tablet" a count.
UnitFamily FamilyOf(const Product& p) {
  if (p.unit.find("teaspoon") != std::string::npos) return UnitFamily::kSpoon;
  if (p.unit_ml) return UnitFamily::kVolume;
  return UnitFamily::kCount;
}

}  // namespace

Result<StatedAmount> ParseStatedAmount(std::string_view text) {
  std::string t(text);
  // Accept en dashes and "to" in ranges.
  for (size_t at; (at = t.find("\xE2\x80\x93")) != std::string::npos;) t.replace(at, 3, "-");
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  while (!t.empty() && t.back() == ' ') t.pop_back();
  StatedAmount out;
  out.text = t;
  if (t.empty()) return InvalidArgument("the amount is empty");
  // The number, or a range "1-2" / "1 to 2".
  size_t i = 0;
  auto read_number = [&](double& value) -> bool {
    size_t j = i;
    while (j < t.size() && (std::isdigit(static_cast<unsigned char>(t[j])) || t[j] == '.')) ++j;
    if (j == i) return false;
    const auto v = ParseFiniteNumber(t.substr(i, j - i));
    if (!v) return false;
    value = *v;
    i = j;
    return true;
  };
  if (t.front() == '-') {
    return InvalidArgument(fmt::format("amount '{}': must not be negative", t));
  }
  if (!read_number(out.value)) {
    return InvalidArgument(fmt::format(
        "amount '{}': does not start with a number (e.g. '250 mg', '500 mg compound', '2 "
        "tablets', '30 mL')",
        t));
  }
  out.value_max = out.value;
  while (i < t.size() && t[i] == ' ') ++i;
  if (i < t.size() && (t[i] == '-' || t.compare(i, 3, "to ") == 0)) {
    i += t[i] == '-' ? 1 : 3;
    while (i < t.size() && t[i] == ' ') ++i;
    double high = 0;
    if (!read_number(high) || high < out.value) {
      return InvalidArgument(
          fmt::format("amount '{}': a range is written 'low-high', e.g. '1-2 tablets'", t));
    }
    out.value_max = high;
  }
  std::string rest = Squeeze(t.substr(i));
  // "elemental" says the default out loud ("400 mg elemental", a diary's unit "mg elemental").
  bool elemental = false, compound = false;
  for (bool stripped = true; stripped;) {  // Both markers, in either order, are caught below.
    stripped = false;
    for (std::string_view marker : {"elementalmagnesium", "elemental"}) {
      if (!elemental && rest.ends_with(marker)) {
        rest.resize(rest.size() - marker.size());
        elemental = stripped = true;
        break;
      }
    }
    for (std::string_view marker : {"ofcompound", "ascompound", "compound", "ofsalt", "salt"}) {
      if (!compound && rest.ends_with(marker)) {
        rest.resize(rest.size() - marker.size());
        compound = stripped = true;
        break;
      }
    }
  }
  for (std::string_view qualifier : {"level", "rounded", "heaped"}) {
    if (rest.starts_with(qualifier)) rest = rest.substr(qualifier.size());
  }
  if (rest.empty()) {
    return InvalidArgument(fmt::format(
        "amount '{}': has no unit (mg, g, mcg, mmol, mEq, or units such as tablets, mL, tsp)", t));
  }
  if (elemental && compound) {
    return InvalidArgument(fmt::format(
        "amount '{}': is either elemental magnesium or the compound's mass, not both", t));
  }
  // Mass and amount-of-substance units: chem::ParseAmount knows them.
  if (auto amount = chem::ParseAmount(FormatNumber(out.value, 6) + " " + rest); amount.ok()) {
    if (compound && !chem::IsMassUnit(amount->unit)) {
      return InvalidArgument(fmt::format(
          "amount '{}': mmol and mEq count magnesium itself, so they cannot be a compound's "
          "mass",
          t));
    }
    const double scale = out.value > 0 ? chem::MagnesiumMilligrams(*amount) / out.value : 0;
    out.kind = compound ? AmountKind::kCompound : AmountKind::kElemental;
    if (compound) {
      const double mass_scale = out.value > 0 ? chem::MassMilligrams(*amount) / out.value : 0;
      out.value *= mass_scale;
      out.value_max *= mass_scale;
    } else {
      out.value *= scale;
      out.value_max *= scale;
    }
    return out;
  }
  if (const UnitSpelling* unit = FindUnit(rest)) {
    if (compound || elemental) {
      return InvalidArgument(
          fmt::format("amount '{}': '{}' marks {} in mg or g, not a number of {}", t,
                      compound ? "compound" : "elemental",
                      compound ? "a salt's mass" : "magnesium itself", unit->canonical));
    }
    out.kind = AmountKind::kUnits;
    out.unit = std::string(unit->canonical);
    out.family = unit->family;
    if (out.value <= 0) {
      return InvalidArgument(fmt::format("amount '{}': a number of units must be above 0", t));
    }
    return out;
  }
  return InvalidArgument(fmt::format(
      "amount '{}': unknown unit '{}' (use mg, g, mcg, mmol, mEq; add 'compound' for a salt's "
      "mass; or units: tablets, capsules, sachets, mL, fl oz, tsp, tbsp)",
      t, t.substr(i)));
}

Result<std::optional<MagnesiumCount>> CountMagnesium(const Resolution& r,
                                                     const std::optional<StatedAmount>& amount,
                                                     double intakes_per_day,
                                                     const chem::CompoundCatalog& compounds) {
  if (!r.known()) {
    return InvalidArgument(fmt::format("'{}' is not in the medicines catalogue", r.query));
  }
  if (!r.ContainsMagnesium()) return std::optional<MagnesiumCount>();
  if (intakes_per_day < 1) intakes_per_day = 1;
  // The product whose label is used: the strongest of what was named (a brand family names
  // several strengths).
  const Product* product = nullptr;
  for (const Product* p : r.products) {
    if (p->contains_magnesium()) {
      product = p;
      break;
    }
  }
  MagnesiumCount count;
  count.intakes_per_day = intakes_per_day;
  if (product) count.product_id = product->id;
  if (product) {
    std::vector<const Product*> strengths;
    for (const Product* p : r.products) {
      if (p->contains_magnesium() && p != product) strengths.push_back(p);
    }
    if (!strengths.empty() && (!amount || amount->kind == AmountKind::kUnits)) {
      count.notes.push_back(fmt::format(
          "'{}' names {} products of different strengths; the strongest, {}, is counted: name "
          "the exact product to count it exactly",
          r.query, strengths.size() + 1, product->name));
    }
  }
  const auto example = [&] {
    return std::string(
        "give the amount taken each time: elemental magnesium ('250 mg', as on a Supplement "
        "Facts line), the salt's mass ('500 mg compound'), or units of the product ('2 "
        "tablets', '30 mL')");
  };
  if (!amount) {
    if (product && product->units_per_dose) {
      const double units = product->units_per_dose->most_units;
      count.elemental_mg_per_intake = units * *product->magnesium_mg_per_unit;
      count.assumed = true;
      count.reading = fmt::format(
          "no amount given: the label's usual dose, up to {} x {} of {} ({} mg magnesium each), "
          "is assumed: {} mg magnesium each time",
          FormatNumber(units, 2), product->unit, product->name,
          FormatNumber(*product->magnesium_mg_per_unit, 1),
          FormatNumber(count.elemental_mg_per_intake, 1));
    } else {
      return InvalidArgument(fmt::format(
          "'{}' contains magnesium, but no amount was given and {} no usual dose on its label "
          "in the catalogue: {}",
          r.query, product ? "there is" : "as a named salt it has", example()));
    }
  } else if (amount->kind == AmountKind::kElemental) {
    count.elemental_mg_per_intake = amount->value_max;
    count.reading = fmt::format(
        "'{}' read as elemental magnesium, as labels state it ('Magnesium (as ...) {} mg'): {} "
        "mg magnesium each time",
        amount->text, FormatNumber(amount->value_max, 1),
        FormatNumber(count.elemental_mg_per_intake, 1));
  } else if (amount->kind == AmountKind::kCompound) {
    // The salt: the single magnesium salt of the product, or the named ingredient's.
    std::vector<std::string> salts;
    if (product) {
      for (const auto& pi : product->ingredients) {
        if (!pi.compound_id.empty()) salts.push_back(pi.compound_id);
      }
    } else {
      for (const Ingredient* i : r.ingredients) {
        if (i->contains_magnesium && !i->compound_id.empty()) salts.push_back(i->compound_id);
      }
    }
    std::sort(salts.begin(), salts.end());
    salts.erase(std::unique(salts.begin(), salts.end()), salts.end());
    if (salts.size() != 1) {
      return InvalidArgument(fmt::format(
          "'{}': a salt's mass ('{}') needs one known magnesium salt, and {} {}: give the "
          "elemental magnesium instead (e.g. '250 mg')",
          r.query, amount->text, salts.empty() ? "none is named" : "several are named",
          salts.empty() ? "(say e.g. 'magnesium citrate')" : "here"));
    }
    const chem::Compound* c = compounds.FindById(salts.front());
    if (c == nullptr) return InvalidArgument("unknown compound " + salts.front());
    count.elemental_mg_per_intake = chem::ElementalFromCompound(*c, amount->value_max);
    count.reading = fmt::format(
        "'{}' read as the mass of {} ({:.1f} % magnesium): {} mg x {:.1f} % = {} mg magnesium "
        "each time",
        amount->text, c->name, c->magnesium_fraction * 100, FormatNumber(amount->value_max, 1),
        c->magnesium_fraction * 100, FormatNumber(count.elemental_mg_per_intake, 1));
  } else {
    if (!product) {
      return InvalidArgument(fmt::format(
          "'{}': a number of {}s needs a catalogued product with a known amount per unit; {}",
          r.query, amount->unit, example()));
    }
    const UnitFamily family = FamilyOf(*product);
    double units = 0;
    if (amount->family == UnitFamily::kCount && family == UnitFamily::kCount) {
      units = amount->value_max;
    } else if (amount->family != UnitFamily::kCount && family == UnitFamily::kVolume) {
      const UnitSpelling* u = FindUnit(Squeeze(amount->unit));
      const double ml = amount->unit == "fl oz" && product->unit == "fl oz"
                            ? amount->value_max * *product->unit_ml
                            : amount->value_max * (u ? u->ml : 1);
      units = ml / *product->unit_ml;
    } else if (amount->family == UnitFamily::kSpoon && family == UnitFamily::kSpoon) {
      units = amount->value_max * (amount->unit == "tablespoon" ? 3 : 1);
    } else {
      return InvalidArgument(fmt::format("'{}': its label counts in {}, not in {}s; {}", r.query,
                                         product->unit, amount->unit, example()));
    }
    count.elemental_mg_per_intake = units * *product->magnesium_mg_per_unit;
    count.reading = fmt::format("'{}' of {} = {} x {} at {} mg magnesium each = {} mg each time",
                                amount->text, product->name, FormatNumber(units, 2), product->unit,
                                FormatNumber(*product->magnesium_mg_per_unit, 1),
                                FormatNumber(count.elemental_mg_per_intake, 1));
    if (product->max_units_per_day && units * intakes_per_day > *product->max_units_per_day) {
      count.notes.push_back(
          fmt::format("{} x {} a day is more than the label's maximum of {} a day",
                      FormatNumber(units * intakes_per_day, 2), product->unit,
                      FormatNumber(*product->max_units_per_day, 2)));
    }
  }
  if (count.assumed && product && product->max_units_per_day &&
      product->units_per_dose->most_units * intakes_per_day > *product->max_units_per_day) {
    count.notes.push_back(fmt::format(
        "taken {} times a day, the usual dose would exceed the label's maximum of {} x {} a "
        "day; the count keeps what was said",
        FormatNumber(intakes_per_day, 2), FormatNumber(*product->max_units_per_day, 2),
        product->unit));
  }
  count.elemental_mg_per_day = count.elemental_mg_per_intake * intakes_per_day;
  return std::optional<MagnesiumCount>(std::move(count));
}

Resolution ResolveTaken(const Catalogue& catalogue, const chem::CompoundCatalog& compounds,
                        std::string_view name) {
  Resolution resolution = catalogue.Resolve(name);
  if (resolution.known() && resolution.ContainsMagnesium()) return resolution;
  auto compound = compounds.Resolve(name);
  if (!compound.ok()) return resolution;
  for (const Ingredient& ingredient : catalogue.ingredients()) {
    if (ingredient.contains_magnesium && ingredient.compound_id == (*compound)->id) {
      // Named by the catalogue's spelling, so what is shown reads "magnesium oxide", not "oxide".
      return catalogue.Resolve(ingredient.name);
    }
  }
  return resolution;
}

Result<std::optional<MagnesiumCount>> CountWrittenIntake(const Catalogue& catalogue,
                                                         const chem::CompoundCatalog& compounds,
                                                         std::string_view name,
                                                         const StatedAmount& amount) {
  const Resolution resolution = ResolveTaken(catalogue, compounds, name);
  if (resolution.known()) {
    auto count = CountMagnesium(resolution, amount, 1, compounds);
    if (!count.ok() || count->has_value()) return count;
    MagnesiumCount none;
    none.reading = fmt::format("'{}' is {} in the medicines catalogue and holds no magnesium: 0 mg",
                               name, resolution.matched_name);
    return std::optional<MagnesiumCount>(std::move(none));
  }
  if (amount.kind != AmountKind::kElemental) {
    std::string close;
    if (!resolution.suggestions.empty()) {
      close = " (did you mean " + JoinAlternatives(resolution.suggestions) + "?)";
    }
    return InvalidArgument(fmt::format(
        "'{}' is not in the medicines catalogue{}, so '{}' cannot be counted: name the product "
        "or its magnesium salt, or give the magnesium itself as the label states it (e.g. "
        "'250 mg')",
        name, close, amount.text));
  }
  MagnesiumCount count;
  count.elemental_mg_per_intake = count.elemental_mg_per_day = amount.value_max;
  count.reading = fmt::format(
      "'{}' read as elemental magnesium, as labels state it ('Magnesium (as ...) {} mg'); '{}' "
      "is not in the medicines catalogue, so the amount is counted as given",
      amount.text, FormatNumber(amount.value_max, 1), name);
  return std::optional<MagnesiumCount>(std::move(count));
}

}  // namespace mg::products
