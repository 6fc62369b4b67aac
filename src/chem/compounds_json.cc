#include "chem/compounds_json.h"

namespace mg::chem {

nlohmann::json CompoundToJson(const Compound& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"formula", c.formula},
          {"molar_mass_g_per_mol", c.molar_mass},
          {"magnesium_fraction", c.magnesium_fraction},
          {"compound_mg_per_100mg_magnesium", CompoundForElemental(c, 100)},
          {"synonyms", c.synonyms},
          {"source", c.source},
          {"note", c.note}};
}

}  // namespace mg::chem
