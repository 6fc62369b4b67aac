#include "products/products_json.h"

namespace mg::products {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json IngredientJson(const Ingredient& i, const kb::KnowledgeBase& kb,
                    const chem::CompoundCatalog& compounds) {
  json out = {{"id", i.id},
              {"name", i.name},
              {"contains_magnesium", i.contains_magnesium},
              {"interaction", i.interaction_id.empty() ? json(nullptr) : json(i.interaction_id)},
              {"compound", i.compound_id.empty() ? json(nullptr) : json(i.compound_id)}};
  if (const kb::Interaction* interaction = kb.FindInteraction(i.interaction_id)) {
    out["interaction_name"] = interaction->name;
  }
  if (const chem::Compound* c = compounds.FindById(i.compound_id)) {
    out["magnesium_fraction"] = c->magnesium_fraction;
  }
  return out;
}

}  // namespace

json ToJson(const Product& p) {
  json ingredients = json::array();
  for (const auto& pi : p.ingredients) {
    ingredients.push_back(
        {{"id", pi.ingredient_id},
         {"mg_per_unit", OrNull(pi.compound_mg)},
         {"compound", pi.compound_id.empty() ? json(nullptr) : json(pi.compound_id)}});
  }
  json out = {{"id", p.id},
              {"name", p.name},
              {"names", p.names},
              {"abbreviations", p.abbreviations},
              {"brands", p.brands},
              {"markets", p.markets},
              {"forms", p.forms},
              {"use", std::string(ToString(p.use))},
              {"ingredients", ingredients},
              {"unit", p.unit.empty() ? json(nullptr) : json(p.unit)},
              {"unit_ml", OrNull(p.unit_ml)},
              {"unit_g", OrNull(p.unit_g)},
              {"magnesium_mg_per_unit", OrNull(p.magnesium_mg_per_unit)},
              {"label_magnesium_mg", OrNull(p.label_magnesium_mg)},
              {"computed_magnesium_mg", OrNull(p.computed_magnesium_mg)},
              {"max_units_per_day", OrNull(p.max_units_per_day)},
              {"citations", p.citation_ids},
              {"note", p.note},
              {"source", p.source}};
  out["units_per_dose"] =
      p.units_per_dose ? json::array({p.units_per_dose->fewest_units, p.units_per_dose->most_units})
                       : json(nullptr);
  return out;
}

json ToJson(const Resolution& r, const kb::KnowledgeBase& kb,
            const chem::CompoundCatalog& compounds) {
  json products = json::array();
  for (const Product* p : r.products) products.push_back(ToJson(*p));
  json ingredients = json::array();
  for (const Ingredient* i : r.ingredients)
    ingredients.push_back(IngredientJson(*i, kb, compounds));
  json parts = json::array();
  for (const auto& part : r.parts) parts.push_back(ToJson(part, kb, compounds));
  return {{"query", r.query},
          {"kind", std::string(ToString(r.kind))},
          {"matched_as", std::string(ToString(r.matched_as))},
          {"matched_name", r.matched_name},
          {"contains_magnesium", r.ContainsMagnesium()},
          {"interactions", r.InteractionIds()},
          {"products", products},
          {"ingredients", ingredients},
          {"parts", parts},
          {"suggestions", r.suggestions},
          {"unknown_part", r.unknown_part.empty() ? json(nullptr) : json(r.unknown_part)}};
}

json ToJson(const MagnesiumCount& c) {
  return {{"elemental_mg_per_intake", c.elemental_mg_per_intake},
          {"intakes_per_day", c.intakes_per_day},
          {"elemental_mg_per_day", c.elemental_mg_per_day},
          {"assumed", c.assumed},
          {"product", c.product_id.empty() ? json(nullptr) : json(c.product_id)},
          {"reading", c.reading},
          {"notes", c.notes}};
}

json ToJson(const Label& label) {
  json serving = {{"count", label.serving.count},    {"count_max", label.serving.count_max},
                  {"unit", label.serving.unit},      {"grams", OrNull(label.serving.grams)},
                  {"ml", OrNull(label.serving.ml)},  {"line", label.serving.line},
                  {"assumed", label.serving.assumed}};
  json lines = json::array();
  for (const auto& l : label.magnesium_lines) {
    const char* basis = l.basis == AmountBasis::kElemental      ? "elemental"
                        : l.basis == AmountBasis::kCompoundMass ? "compound_mass"
                                                                : "blend";
    lines.push_back({{"line", l.line},
                     {"text", l.text},
                     {"basis", basis},
                     {"amount_mg", OrNull(l.amount_mg)},
                     {"elemental_mg", OrNull(l.elemental_mg)},
                     {"per_unit", l.per_unit},
                     {"compounds", l.compound_ids},
                     {"percent", OrNull(l.percent)}});
  }
  json warnings = json::array();
  for (const auto& w : label.warnings) {
    warnings.push_back({{"code", w.code}, {"line", w.line}, {"message", w.message}});
  }
  json out = {{"panel", std::string(ToString(label.panel))},
              {"serving_units", serving},
              {"servings_per_container", OrNull(label.servings_per_container)},
              {"elemental_mg_per_serving", OrNull(label.elemental_mg_per_serving)},
              {"elemental_mg_per_unit", OrNull(label.elemental_mg_per_unit)},
              {"compounds", label.compounds},
              {"magnesium_lines", lines},
              {"warnings", warnings},
              {"price_per_serving", OrNull(label.price_per_serving)}};
  if (const auto& p = label.percent_daily_value) {
    out["percent_daily_value"] = {{"stated", p->stated},
                                  {"amount_mg", p->amount_mg},
                                  {"reference", p->reference_id},
                                  {"reference_mg", p->reference_mg},
                                  {"matches", p->matches},
                                  {"current_reference", p->current},
                                  {"line", p->line}};
  } else {
    out["percent_daily_value"] = nullptr;
  }
  if (const auto& d = label.directions) {
    out["directions"] = {{"units_per_dose_min", OrNull(d->units_min)},
                         {"units_per_dose_max", OrNull(d->units_max)},
                         {"times_per_day_min", OrNull(d->times_min)},
                         {"times_per_day_max", OrNull(d->times_max)},
                         {"max_units_per_day", OrNull(d->max_units_per_day)},
                         {"unit", d->unit},
                         {"line", d->line}};
  } else {
    out["directions"] = nullptr;
  }
  if (const auto& p = label.price) {
    out["price"] = {{"amount", p->amount}, {"currency", p->currency}, {"line", p->line}};
  } else {
    out["price"] = nullptr;
  }
  return out;
}

}  // namespace mg::products
