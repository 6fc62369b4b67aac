// The JSON shapes of catalogue resolutions, magnesium counts and labels, shared by the CLI
// (`medicines lookup --json`, `label --json`) and, later, the HTTP API, so the two never disagree.
#ifndef MGADVISOR_PRODUCTS_PRODUCTS_JSON_H_
#define MGADVISOR_PRODUCTS_PRODUCTS_JSON_H_

#include <nlohmann/json.hpp>

#include "chem/compounds.h"
#include "kb/kb.h"
#include "products/catalogue.h"
#include "products/label.h"
#include "products/magnesium_count.h"

namespace mg::products {

nlohmann::json ToJson(const Product& product);
// `kb` names each interaction class; `compounds` names each salt.
nlohmann::json ToJson(const Resolution& resolution, const kb::KnowledgeBase& kb,
                      const chem::CompoundCatalog& compounds);
nlohmann::json ToJson(const MagnesiumCount& count);
// At least: panel, serving_units {count, count_max, unit, grams, ml}, elemental_mg_per_serving,
// elemental_mg_per_unit (null when unknown), compounds (catalogue ids), warnings [{code, line,
// message}], plus percent_daily_value, directions, price, servings_per_container,
// price_per_serving and magnesium_lines.
nlohmann::json ToJson(const Label& label);

}  // namespace mg::products

#endif  // MGADVISOR_PRODUCTS_PRODUCTS_JSON_H_
