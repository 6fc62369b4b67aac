// Loading, validating and resolving names against the medicines catalogue.
#include "products/catalogue.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/archive.h"
#include "core/precompiled.h"
#include "core/text.h"
#include "products/toml_reader.h"

namespace mg::products {
namespace {

// Agreement required between a label's own elemental figure and the one computed from the
// salt's mass and formula. Labels round, and hydration states differ a little; more than this
// means a typing error in the catalogue.
constexpr double kLabelAgreement = 0.05;

const std::set<std::string> kForms = {"tablet",  "chewable_tablet", "capsule",
                                      "caplet",  "oral_suspension", "oral_solution",
                                      "powder",  "sachet",          "effervescent_tablet",
                                      "softgel", "granules",        "gummy"};
const std::set<std::string> kMarkets = {"US", "UK", "EU", "CA"};
const std::vector<std::pair<std::string_view, Use>> kUses = {{"antacid", Use::kAntacid},
                                                             {"laxative", Use::kLaxative},
                                                             {"supplement", Use::kSupplement},
                                                             {"medicine", Use::kMedicine}};

// Words after a name that say strength or dosage form, not which medicine ("Lasix 40 mg tablets",
// "Fosamax once weekly"). They are parsing rules, not facts, so they live here.
const std::set<std::string> kTrailingWords = {
    "tablet", "tablets",    "tab",      "tabs",      "capsule",  "capsules", "cap",     "caps",
    "caplet", "caplets",    "chewable", "chewables", "chew",     "chews",    "softgel", "softgels",
    "liquid", "suspension", "syrup",    "oral",      "powder",   "sachet",   "sachets", "granules",
    "drops",  "gummy",      "gummies",  "er",        "xr",       "sr",       "cr",      "la",
    "xl",     "mr",         "dr",       "ec",        "extended", "release",  "delayed", "modified",
    "film",   "coated",     "once",     "twice",     "daily",    "weekly",   "a",       "day",
    "mg",     "mcg",        "ug",       "g",         "ml",       "iu",       "units",   "strength"};

bool IsAmountToken(std::string_view token) {
  size_t digits = 0;
  while (digits < token.size() && token[digits] >= '0' && token[digits] <= '9') ++digits;
  if (digits == 0) return false;
  const std::string_view rest = token.substr(digits);
  return rest.empty() || rest == "mg" || rest == "mcg" || rest == "g" || rest == "ml" ||
         rest == "iu" || rest == "ug";
}

// "Lasix 40 mg tablets" → "lasix"; "" when nothing would be left or nothing was removed.
std::string WithoutTrailingStrength(std::string_view name) {
  const std::string normalized = NormalizeName(name);
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    tokens.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  const size_t original = tokens.size();
  while (tokens.size() > 1 &&
         (kTrailingWords.contains(tokens.back()) || IsAmountToken(tokens.back()))) {
    tokens.pop_back();
  }
  if (tokens.size() == original) return "";
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// Splits "a / b + c and d" into its parts; `hyphen` also splits on '-' (only tried when nothing
// else splits, so "co-amilozide" is whole unless it is unknown anyway).
std::vector<std::string> SplitCombination(std::string_view name, bool hyphen) {
  std::string text;
  for (char c : name)
    text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string marked;
  const std::vector<std::string> words = {" and ", " with ", " plus ", " w/ "};
  for (size_t i = 0; i < text.size();) {
    bool matched = false;
    for (const auto& w : words) {
      if (text.compare(i, w.size(), w) == 0) {
        marked.push_back('|');
        i += w.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const char c = text[i];
    // A '/' between digits is a strength ("37.5/25"), not a separator.
    const bool strength_slash = c == '/' && i > 0 && i + 1 < text.size() &&
                                std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                                std::isdigit(static_cast<unsigned char>(text[i + 1]));
    marked.push_back(((c == '/' && !strength_slash) || c == '+' || c == '&' || c == ',' ||
                      c == ';' || (hyphen && c == '-'))
                         ? '|'
                         : c);
    ++i;
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= marked.size()) {
    size_t end = marked.find('|', start);
    if (end == std::string::npos) end = marked.size();
    std::string part = Trim(std::string_view(marked).substr(start, end - start));
    if (!part.empty()) parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

template <typename T>
void AppendUnique(std::vector<const T*>& out, const T* item) {
  if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
}

}  // namespace

std::string NameKey(std::string_view name) {
  // NormalizeName without its spaces, in one pass: the key of every name of the catalogue is
  // made at each start-up (issue 20). catalogue_test holds it to that definition.
  std::string key;
  key.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    // U+2019 (right single quote), U+2122 (trade mark), U+00AE (registered), in UTF-8; the
    // ASCII apostrophes are separators, which the key drops anyway.
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        static_cast<unsigned char>(name[i + 2]) == 0x99) {
      i += 2;
      continue;
    }
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x84 &&
        static_cast<unsigned char>(name[i + 2]) == 0xA2) {
      i += 2;
      continue;
    }
    if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0xAE) {
      i += 1;
      continue;
    }
    if (const char kept = NormalizedNameByte(c); kept != 0) key.push_back(kept);
  }
  return key;
}

std::string_view ToString(Use use) {
  for (const auto& [name, value] : kUses) {
    if (value == use) return name;
  }
  return "?";
}

std::string_view ToString(MatchKind kind) {
  switch (kind) {
    case MatchKind::kProduct:
      return "product";
    case MatchKind::kIngredient:
      return "ingredient";
    case MatchKind::kCombination:
      return "combination";
    case MatchKind::kUnknown:
      return "unknown";
  }
  return "?";
}

std::string_view ToString(NameKind kind) {
  switch (kind) {
    case NameKind::kGeneric:
      return "generic";
    case NameKind::kSynonym:
      return "synonym";
    case NameKind::kAbbreviation:
      return "abbreviation";
    case NameKind::kBrand:
      return "brand";
    case NameKind::kCombination:
      return "combination";
    case NameKind::kNone:
      return "none";
  }
  return "?";
}

bool Resolution::ContainsMagnesium() const {
  return std::any_of(ingredients.begin(), ingredients.end(),
                     [](const Ingredient* i) { return i->contains_magnesium; });
}

std::vector<std::string> Resolution::InteractionIds() const {
  std::vector<std::string> ids;
  for (const Ingredient* i : ingredients) {
    if (!i->interaction_id.empty() &&
        std::find(ids.begin(), ids.end(), i->interaction_id) == ids.end()) {
      ids.push_back(i->interaction_id);
    }
  }
  return ids;
}

// ---- Loading ----

// Reads the files into a Catalogue and checks everything against the knowledge base and the
// compound catalogue; problems are collected so one run reports them all.
class CatalogueBuilder {
 public:
  CatalogueBuilder(const kb::KnowledgeBase& kb, const chem::CompoundCatalog& compounds)
      : kb_(kb), compounds_(compounds) {}

  void ReadFile(const DataFile& file) {
    toml::table root;
    try {
      // The built-in files' trees were parsed at build time (core/precompiled.h).
      auto precompiled = precompiled::Find(file);
      root = precompiled ? std::move(*precompiled) : toml::parse(file.content, file.name);
    } catch (const toml::parse_error& e) {
      problems_.Add(file.name, static_cast<int>(e.source().begin.line),
                    std::string(e.description()));
      return;
    }
    for (const auto& [key, value] : root) {
      const std::string kind(key.str());
      const toml::array* array = value.as_array();
      if (kind != "ingredient" && kind != "product" && kind != "daily_value") {
        problems_.Add(
            file.name, LineOf(value),
            fmt::format("unknown table '{}' (expected ingredient, product or "
                        "daily_value){}",
                        kind, DidYouMean(kind, {"ingredient", "product", "daily_value"})));
        continue;
      }
      if (array == nullptr || !array->is_array_of_tables()) {
        problems_.Add(file.name, LineOf(value),
                      fmt::format("'{}' must be written as [[{}]] tables", kind, kind));
        continue;
      }
      for (const toml::node& entry : *array) {
        const toml::table& table = *entry.as_table();
        if (kind == "ingredient") ReadIngredient(table, file.name);
        if (kind == "product") ReadProduct(table, file.name);
        if (kind == "daily_value") ReadDailyValue(table, file.name);
      }
    }
  }

  // Cross-file checks; returns every problem in file order (empty when clean).
  std::vector<std::string> Finish() {
    CheckIngredients();
    CheckProducts();
    catalogue_.Reindex();
    CheckNames();
    CheckKnowledgeBaseMedicines();
    return problems_.Sorted();
  }

  Catalogue& catalogue() { return catalogue_; }
  // Where knowledge-base cross-check problems are reported (the catalogue's directory).
  void SetCatalogueLocation(std::string location) { catalogue_files_ = std::move(location); }

 private:
  struct Where {
    std::string file;
    int line = 0;
  };
  // A reference from an entry (`who`, at file:line) to an id of another kind.
  struct Ref {
    std::string file;
    int line = 0;
    std::string who;
    std::string target;
  };

  bool Define(std::map<std::string, Where>& defs, TableReader& r, const std::string& kind) {
    if (r.id().empty()) return false;
    const auto [it, inserted] = defs.emplace(r.id(), Where{r.file(), r.line()});
    if (!inserted) {
      r.Report(r.line(), fmt::format("duplicate {} id '{}' (first defined at {}:{})", kind, r.id(),
                                     it->second.file, it->second.line));
    }
    return inserted;
  }

  void ReadIngredient(const toml::table& t, const std::string& file) {
    TableReader r(t, file, "ingredient", problems_,
                  {"id", "name", "synonyms", "abbreviations", "brands", "interaction", "compound",
                   "magnesium", "citations", "note"});
    Ingredient i;
    i.id = r.Id();
    i.name = r.Text("name", true);
    i.synonyms = r.TextList("synonyms", false);
    i.abbreviations = r.TextList("abbreviations", false);
    i.brands = r.TextList("brands", false);
    i.interaction_id = r.Text("interaction", false);
    i.compound_id = r.Text("compound", false);
    const bool magnesium_flag = r.Bool("magnesium", false);
    i.citation_ids = r.TextList("citations", true);
    i.note = r.Text("note", false);
    i.contains_magnesium = magnesium_flag || !i.compound_id.empty();
    if (magnesium_flag && !i.compound_id.empty()) {
      r.Report(r.LineAt("magnesium"),
               fmt::format("{} gives both 'magnesium = true' and a compound; the compound already "
                           "says it is magnesium",
                           r.Who()));
    }
    lines_["ingredient:" + i.id] = {file, r.line()};
    for (const auto& c : i.citation_ids)
      citation_refs_.push_back({file, r.LineAt("citations"), r.Who(), c});
    if (!i.interaction_id.empty()) {
      class_refs_.push_back({file, r.LineAt("interaction"), r.Who(), i.interaction_id});
    }
    if (!i.compound_id.empty()) {
      compound_refs_.push_back({file, r.LineAt("compound"), r.Who(), i.compound_id});
    }
    if (Define(ingredient_defs_, r, "ingredient")) catalogue_.ingredients_.push_back(std::move(i));
  }

  void ReadProduct(const toml::table& t, const std::string& file) {
    TableReader r(t, file, "product", problems_,
                  {"id", "name", "names", "abbreviations", "brands", "markets", "forms", "use",
                   "ingredients", "unit", "unit_ml", "unit_g", "label_magnesium_mg",
                   "units_per_dose", "max_units_per_day", "citations", "note"});
    Product p;
    p.id = r.Id();
    p.name = r.Text("name", true);
    p.names = r.TextList("names", false);
    p.abbreviations = r.TextList("abbreviations", false);
    p.brands = r.TextList("brands", false);
    p.markets = r.TextList("markets", true);
    p.forms = r.TextList("forms", true);
    for (const auto& m : p.markets) {
      if (!kMarkets.contains(m)) {
        r.Report(r.LineAt("markets"),
                 fmt::format("{} has market '{}', expected one of US, UK, EU or CA", r.Who(), m));
      }
    }
    for (const auto& f : p.forms) {
      if (!kForms.contains(f)) {
        r.Report(r.LineAt("forms"), fmt::format("{} has dosage form '{}'{}", r.Who(), f,
                                                DidYouMean(f, {kForms.begin(), kForms.end()})));
      }
    }
    const std::string use = r.Text("use", true);
    bool use_known = use.empty();
    for (const auto& [name, value] : kUses) {
      if (name == use) {
        p.use = value;
        use_known = true;
      }
    }
    if (!use_known) {
      r.Report(r.LineAt("use"),
               fmt::format("{} has use '{}', expected antacid, laxative, supplement or medicine",
                           r.Who(), use));
    }
    ReadProductIngredients(r, p);
    p.unit = r.Text("unit", false);
    p.unit_ml = r.PositiveNumber("unit_ml");
    p.unit_g = r.PositiveNumber("unit_g");
    p.label_magnesium_mg = r.PositiveNumber("label_magnesium_mg");
    if (const auto range = r.NumberPair("units_per_dose")) {
      p.units_per_dose = DoseRange{range->first, range->second};
    }
    p.max_units_per_day = r.PositiveNumber("max_units_per_day");
    if (p.units_per_dose && p.max_units_per_day &&
        *p.max_units_per_day < p.units_per_dose->fewest_units) {
      r.Report(r.LineAt("max_units_per_day"),
               fmt::format("{}: max_units_per_day is below the smallest usual dose", r.Who()));
    }
    p.citation_ids = r.TextList("citations", true);
    p.note = r.Text("note", false);
    p.source = fmt::format("{}:{}", file, r.line());
    for (const auto& c : p.citation_ids)
      citation_refs_.push_back({file, r.LineAt("citations"), r.Who(), c});
    product_lines_[p.id] = {file, r.line()};
    if (Define(product_defs_, r, "product")) catalogue_.products_.push_back(std::move(p));
  }

  void ReadProductIngredients(TableReader& r, Product& p) {
    const toml::node* node = r.Get("ingredients");
    if (node == nullptr) {
      r.Missing("ingredients");
      return;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr || array->empty()) {
      r.Report(LineOf(*node), fmt::format("{}: 'ingredients' must be a non-empty array of "
                                          "{{id = ..., mg = ...}} tables",
                                          r.Who()));
      return;
    }
    for (const toml::node& item : *array) {
      const toml::table* table = item.as_table();
      if (table == nullptr) {
        r.Report(
            LineOf(item),
            fmt::format("each ingredient of {} must be a table {{id = ..., mg = ...}}", r.Who()));
        continue;
      }
      TableReader m(*table, r.file(), fmt::format("ingredient of {}", r.Who()), problems_,
                    {"id", "mg", "compound"});
      ProductIngredient pi;
      pi.ingredient_id = m.Text("id", true);
      pi.compound_mg = m.PositiveNumber("mg");
      pi.compound_id = m.Text("compound", false);
      if (!pi.compound_id.empty()) {
        compound_refs_.push_back({r.file(), LineOf(item), r.Who(), pi.compound_id});
      }
      ingredient_refs_.push_back({r.file(), LineOf(item), r.Who(), pi.ingredient_id});
      p.ingredients.push_back(std::move(pi));
    }
  }

  void ReadDailyValue(const toml::table& t, const std::string& file) {
    TableReader r(
        t, file, "daily_value", problems_,
        {"id", "name", "magnesium_mg", "markers", "family", "current", "citations", "note"});
    DailyValue d;
    d.id = r.Id();
    d.name = r.Text("name", true);
    d.magnesium_mg = r.PositiveNumber("magnesium_mg").value_or(0);
    if (r.Get("magnesium_mg") == nullptr) r.Missing("magnesium_mg");
    if (r.Get("markers") == nullptr) r.Missing("markers");
    for (const auto& m : r.TextList("markers", false)) d.markers.push_back(NormalizeName(m));
    d.family = r.Text("family", true);
    if (!d.family.empty() && d.family != "us" && d.family != "eu") {
      r.Report(r.LineAt("family"),
               fmt::format("{} has family '{}', expected us or eu", r.Who(), d.family));
    }
    d.current = r.Bool("current", true);
    d.citation_ids = r.TextList("citations", true);
    d.note = r.Text("note", false);
    for (const auto& c : d.citation_ids)
      citation_refs_.push_back({file, r.LineAt("citations"), r.Who(), c});
    if (Define(daily_value_defs_, r, "daily_value")) {
      catalogue_.daily_values_.push_back(std::move(d));
    }
  }

  // ---- Cross-checks ----

  // Every reference names something that exists; `what` completes "<who> <what> '<id>'".
  void CheckRefs(const std::vector<Ref>& refs, const std::vector<std::string>& ids,
                 std::string_view what, std::string_view missing) {
    const std::set<std::string> known(ids.begin(), ids.end());
    for (const auto& ref : refs) {
      if (known.contains(ref.target)) continue;
      problems_.Add(ref.file, ref.line,
                    fmt::format("{} {} '{}', which {}{}", ref.who, what, ref.target, missing,
                                DidYouMean(ref.target, ids)));
    }
  }

  void CheckIngredients() {
    std::vector<std::string> classes, compounds, citations, ingredients;
    for (const auto& i : kb_.interactions) classes.push_back(i.id);
    for (const auto& c : compounds_.compounds()) compounds.push_back(c.id);
    for (const auto& c : kb_.citations) citations.push_back(c.id);
    for (const auto& [id, where] : ingredient_defs_) ingredients.push_back(id);
    CheckRefs(class_refs_, classes, "names interaction class", "the knowledge base does not have");
    CheckRefs(compound_refs_, compounds, "names compound",
              "data/chem/compounds.toml does not have");
    CheckRefs(citation_refs_, citations, "cites", "is not in the knowledge base's citations");
    CheckRefs(ingredient_refs_, ingredients, "lists ingredient", "is not defined");
  }

  const Ingredient* IngredientById(std::string_view id) const {
    for (const auto& i : catalogue_.ingredients_) {
      if (i.id == id) return &i;
    }
    return nullptr;
  }

  void CheckProducts() {
    for (Product& p : catalogue_.products_) {
      const Where where = product_lines_[p.id];
      auto report = [&](std::string message) { problems_.Add(where.file, where.line, message); };
      bool has_magnesium = false;
      bool amount_unknown = false;
      double computed = 0;
      bool any_computed = false;
      for (ProductIngredient& pi : p.ingredients) {
        const Ingredient* ingredient = IngredientById(pi.ingredient_id);
        if (ingredient == nullptr) continue;  // Reported by CheckIngredients.
        if (!pi.compound_id.empty() && !ingredient->contains_magnesium) {
          report(
              fmt::format("product '{}': ingredient '{}' has no magnesium, so it cannot name a "
                          "magnesium compound",
                          p.id, pi.ingredient_id));
        }
        if (pi.compound_id.empty()) pi.compound_id = ingredient->compound_id;
        if (!ingredient->contains_magnesium) continue;
        has_magnesium = true;
        const chem::Compound* compound = compounds_.FindById(pi.compound_id);
        if (pi.compound_mg && compound != nullptr) {
          computed += chem::ElementalFromCompound(*compound, *pi.compound_mg);
          any_computed = true;
        } else {
          amount_unknown = true;
        }
      }
      if (!has_magnesium) {
        for (const char* key : {"label_magnesium_mg", "units_per_dose", "max_units_per_day"}) {
          const bool given =
              (std::string_view(key) == "label_magnesium_mg" && p.label_magnesium_mg) ||
              (std::string_view(key) == "units_per_dose" && p.units_per_dose) ||
              (std::string_view(key) == "max_units_per_day" && p.max_units_per_day);
          if (given) {
            report(
                fmt::format("product '{}' has no magnesium ingredient but gives '{}'", p.id, key));
          }
        }
        continue;
      }
      if (p.unit.empty()) {
        report(
            fmt::format("product '{}' contains magnesium but gives no 'unit' (what one "
                        "tablet, 5 mL or sachet is)",
                        p.id));
      }
      if (any_computed && !amount_unknown) p.computed_magnesium_mg = computed;
      if (amount_unknown && !p.label_magnesium_mg) {
        report(
            fmt::format("product '{}' contains magnesium but neither every magnesium salt's "
                        "mass ('mg') nor 'label_magnesium_mg' is given, so its magnesium per "
                        "unit is unknown",
                        p.id));
        continue;
      }
      if (p.label_magnesium_mg && p.computed_magnesium_mg) {
        const double label = *p.label_magnesium_mg, from_formula = *p.computed_magnesium_mg;
        if (std::fabs(label - from_formula) > kLabelAgreement * std::max(label, from_formula)) {
          report(
              fmt::format("product '{}': the label's {} mg magnesium per unit and the {:.1f} "
                          "mg computed from its salts differ by more than {:.0f} %",
                          p.id, label, from_formula, kLabelAgreement * 100));
        }
      }
      p.magnesium_mg_per_unit =
          std::max(p.label_magnesium_mg.value_or(0), p.computed_magnesium_mg.value_or(0));
    }
  }

  // Every name identifies one ingredient or product; only brands may be shared, and only among
  // products (a family of strengths sold under one brand).
  void CheckNames() {
    for (uint32_t group = 0; group + 1 < catalogue_.name_group_starts_.size(); ++group) {
      const auto entries = catalogue_.NameGroup(group);
      std::set<std::pair<bool, size_t>> owners;
      bool only_product_brands = true;
      for (const auto& e : entries) {
        owners.insert({e.is_product, e.index});
        if (!(e.is_product && e.kind == NameKind::kBrand)) only_product_brands = false;
      }
      if (owners.size() < 2 || only_product_brands) continue;
      std::vector<std::string> who;
      for (const auto& e : entries) {
        const std::string id =
            e.is_product ? catalogue_.products_[e.index].id : catalogue_.ingredients_[e.index].id;
        who.push_back(fmt::format("{} '{}' ({} '{}')", e.is_product ? "product" : "ingredient", id,
                                  ToString(e.kind), catalogue_.Spelling(e)));
      }
      const auto& first = entries.front();
      const Where where = first.is_product
                              ? product_lines_[catalogue_.products_[first.index].id]
                              : lines_["ingredient:" + catalogue_.ingredients_[first.index].id];
      problems_.Add(where.file, where.line,
                    fmt::format("the name '{}' is claimed by {}; a name may identify one thing "
                                "only (a brand may be shared by products only)",
                                catalogue_.Spelling(first), JoinAlternatives(who)));
    }
  }

  // The knowledge base and the catalogue must agree: every medicine name the interaction list
  // knows resolves here to something in the same class.
  void CheckKnowledgeBaseMedicines() {
    const std::string where = catalogue_files_.empty() ? "data/medicines" : catalogue_files_;
    for (const auto& interaction : kb_.interactions) {
      for (const auto& medicine : interaction.medicines) {
        std::vector<std::string> names = {medicine.generic};
        names.insert(names.end(), medicine.brands.begin(), medicine.brands.end());
        for (const auto& name : names) {
          const Resolution r = catalogue_.Resolve(name);
          const auto classes = r.InteractionIds();
          if (r.known() &&
              std::find(classes.begin(), classes.end(), interaction.id) != classes.end()) {
            continue;
          }
          problems_.Add(where, 0,
                        r.known()
                            ? fmt::format("the knowledge base lists '{}' in interaction "
                                          "class '{}', but the catalogue resolves it to "
                                          "classes {}",
                                          name, interaction.id,
                                          classes.empty() ? "(none)" : JoinAlternatives(classes))
                            : fmt::format("the knowledge base lists '{}' in interaction "
                                          "class '{}', but the catalogue does not know "
                                          "it; add it as an ingredient, synonym or brand",
                                          name, interaction.id));
        }
      }
    }
  }

  const kb::KnowledgeBase& kb_;
  const chem::CompoundCatalog& compounds_;
  Catalogue catalogue_;
  Problems problems_;
  std::map<std::string, Where> ingredient_defs_, product_defs_, daily_value_defs_;
  std::map<std::string, Where> lines_, product_lines_;
  std::vector<Ref> class_refs_, compound_refs_, citation_refs_, ingredient_refs_;
  std::string catalogue_files_;
};

Result<Catalogue> Catalogue::Load(const std::optional<std::string>& dir,
                                  const kb::KnowledgeBase& kb,
                                  const chem::CompoundCatalog& compounds) {
  auto files = LoadDataFiles("medicines", ".toml", dir);
  if (!files.ok()) return files.error();
  return Parse(*files, kb, compounds);
}

template <typename A>
void Fields(A& a, Ingredient& i) {
  a(i.id, i.name, i.synonyms, i.abbreviations, i.brands, i.interaction_id, i.compound_id,
    i.contains_magnesium, i.citation_ids, i.note);
}

template <typename A>
void Fields(A& a, ProductIngredient& i) {
  a(i.ingredient_id, i.compound_mg, i.compound_id);
}

template <typename A>
void Fields(A& a, DoseRange& r) {
  a(r.fewest_units, r.most_units);
}

template <typename A>
void Fields(A& a, Product& p) {
  a(p.id, p.name, p.names, p.abbreviations, p.brands, p.markets, p.forms, p.use, p.ingredients,
    p.unit, p.unit_ml, p.unit_g, p.label_magnesium_mg, p.computed_magnesium_mg,
    p.magnesium_mg_per_unit, p.units_per_dose, p.max_units_per_day, p.citation_ids, p.note,
    p.source);
}

template <typename A>
void Fields(A& a, DailyValue& d) {
  a(d.id, d.name, d.magnesium_mg, d.markers, d.family, d.current, d.citation_ids, d.note);
}

// The name index is kept: Decode checks it (NamesFit) instead of rebuilding it.
template <typename A>
void Fields(A& a, Catalogue& catalogue) {
  a(catalogue.ingredients_, catalogue.products_, catalogue.daily_values_, catalogue.name_keys_,
    catalogue.name_group_starts_, catalogue.name_entries_);
}

std::string Catalogue::Encode() const { return archive::Encode(*this); }

std::optional<Catalogue> Catalogue::Decode(std::string_view bytes) {
  auto catalogue = archive::Decode<Catalogue>(bytes);
  if (catalogue && !catalogue->NamesFit()) return std::nullopt;
  return catalogue;
}

std::optional<Catalogue> Catalogue::BuiltIn() {
  const auto snapshot = precompiled::FindSnapshot("medicines");
  return snapshot ? Decode(*snapshot) : std::nullopt;
}

Result<Catalogue> Catalogue::Parse(const std::vector<DataFile>& files, const kb::KnowledgeBase& kb,
                                   const chem::CompoundCatalog& compounds) {
  CatalogueBuilder builder(kb, compounds);
  for (const auto& file : files) builder.ReadFile(file);
  if (!files.empty()) {
    const std::string& first = files.front().name;
    const size_t slash = first.rfind('/');
    builder.SetCatalogueLocation(slash == std::string::npos ? first : first.substr(0, slash));
  }
  const auto problems = builder.Finish();
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return DataError(message);
  }
  return std::move(builder.catalogue());
}

void Catalogue::Reindex() {
  // Built once per load from files (the snapshot keeps the result): a sorted map groups the
  // entries of one key in the order they are added, then each group gets a number.
  std::map<std::string, std::vector<NameEntry>, std::less<>> groups;
  auto add = [&](bool is_product, size_t index, NameKind kind, size_t position,
                 const std::string& spelling) {
    std::string key = NameKey(spelling);
    if (key.empty()) return;
    auto& entries = groups[std::move(key)];
    for (const auto& e : entries) {
      if (e.is_product == is_product && e.index == index) return;  // Same thing, same key.
    }
    entries.push_back({is_product, index, kind, position});
  };
  auto add_all = [&](bool is_product, size_t index, NameKind kind,
                     const std::vector<std::string>& names) {
    for (size_t n = 0; n < names.size(); ++n) add(is_product, index, kind, n, names[n]);
  };
  for (size_t i = 0; i < ingredients_.size(); ++i) {
    const Ingredient& g = ingredients_[i];
    add(false, i, NameKind::kGeneric, 0, g.name);
    add_all(false, i, NameKind::kSynonym, g.synonyms);
    add_all(false, i, NameKind::kAbbreviation, g.abbreviations);
    add_all(false, i, NameKind::kBrand, g.brands);
  }
  for (size_t i = 0; i < products_.size(); ++i) {
    const Product& p = products_[i];
    add_all(true, i, NameKind::kGeneric, p.names);
    add_all(true, i, NameKind::kAbbreviation, p.abbreviations);
    add_all(true, i, NameKind::kBrand, p.brands);
  }
  name_keys_.Clear();
  name_group_starts_.clear();
  name_entries_.clear();
  size_t key_bytes = 0;
  for (const auto& [key, entries] : groups) key_bytes += key.size();
  name_keys_.Reserve(groups.size(), key_bytes);
  name_group_starts_.reserve(groups.size() + 1);
  for (const auto& [key, entries] : groups) {
    name_keys_.Add(key, static_cast<uint32_t>(name_group_starts_.size()));
    name_group_starts_.push_back(static_cast<uint32_t>(name_entries_.size()));
    name_entries_.insert(name_entries_.end(), entries.begin(), entries.end());
  }
  name_group_starts_.push_back(static_cast<uint32_t>(name_entries_.size()));
  name_keys_.Seal();
}

std::span<const Catalogue::NameEntry> Catalogue::NameGroup(uint32_t group) const {
  return std::span<const NameEntry>(name_entries_)
      .subspan(name_group_starts_[group],
               name_group_starts_[group + 1] - name_group_starts_[group]);
}

bool Catalogue::NamesFit() const {
  if (name_group_starts_.empty() || name_group_starts_.front() != 0 ||
      name_group_starts_.back() != name_entries_.size() ||
      !name_keys_.Fits(name_group_starts_.size() - 1)) {
    return false;
  }
  for (size_t g = 0; g + 1 < name_group_starts_.size(); ++g) {
    // Every group holds at least one entry: a name was added for each.
    if (name_group_starts_[g] >= name_group_starts_[g + 1]) return false;
  }
  for (const NameEntry& e : name_entries_) {
    if (e.index >= (e.is_product ? products_.size() : ingredients_.size())) return false;
    const std::vector<std::string>* list = NameList(e);
    if (e.position >= (list != nullptr ? list->size() : 1)) return false;
  }
  return true;
}

const std::vector<std::string>* Catalogue::NameList(const NameEntry& e) const {
  if (e.is_product) {
    const Product& p = products_[e.index];
    switch (e.kind) {
      case NameKind::kAbbreviation:
        return &p.abbreviations;
      case NameKind::kBrand:
        return &p.brands;
      default:
        return &p.names;
    }
  }
  const Ingredient& g = ingredients_[e.index];
  switch (e.kind) {
    case NameKind::kSynonym:
      return &g.synonyms;
    case NameKind::kAbbreviation:
      return &g.abbreviations;
    case NameKind::kBrand:
      return &g.brands;
    default:
      return nullptr;  // The ingredient's one name.
  }
}

const std::string& Catalogue::Spelling(const NameEntry& e) const {
  const std::vector<std::string>* list = NameList(e);
  return list != nullptr ? (*list)[e.position] : ingredients_[e.index].name;
}

std::vector<std::string> Catalogue::DisplayNames() const {
  std::vector<std::string> out;
  out.reserve(name_entries_.size());
  for (const auto& e : name_entries_) out.push_back(Spelling(e));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const Ingredient* Catalogue::FindIngredient(std::string_view id) const {
  for (const auto& i : ingredients_) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

const Product* Catalogue::FindProduct(std::string_view id) const {
  for (const auto& p : products_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::vector<const Product*> Catalogue::MagnesiumProducts() const {
  std::vector<const Product*> out;
  for (const auto& p : products_) {
    if (p.contains_magnesium()) out.push_back(&p);
  }
  return out;
}

Resolution Catalogue::ResolveExact(std::string_view name) const {
  Resolution r;
  r.query = std::string(name);
  const auto group = name_keys_.Find(NameKey(name));
  if (!group) return r;
  const auto entries = NameGroup(*group);
  const NameEntry& first = entries.front();
  r.matched_as = first.kind;
  r.matched_name = Spelling(first);
  if (!first.is_product) {
    r.kind = MatchKind::kIngredient;
    r.ingredients.push_back(&ingredients_[first.index]);
    return r;
  }
  r.kind = MatchKind::kProduct;
  for (const auto& e : entries) r.products.push_back(&products_[e.index]);
  std::stable_sort(r.products.begin(), r.products.end(), [](const Product* a, const Product* b) {
    return a->magnesium_mg_per_unit.value_or(0) > b->magnesium_mg_per_unit.value_or(0);
  });
  for (const Product* p : r.products) {
    for (const auto& pi : p->ingredients) {
      if (const Ingredient* i = FindIngredient(pi.ingredient_id)) AppendUnique(r.ingredients, i);
    }
  }
  return r;
}

Resolution Catalogue::Resolve(std::string_view name) const {
  const std::string query = Trim(name);
  Resolution r = ResolveExact(query);
  if (r.known()) return r;
  if (const std::string shorter = WithoutTrailingStrength(query); !shorter.empty()) {
    r = ResolveExact(shorter);
    if (r.known()) {
      r.query = query;
      return r;
    }
  }
  for (const bool hyphen : {false, true}) {
    const auto parts = SplitCombination(query, hyphen);
    if (parts.size() < 2) continue;
    Resolution combined;
    combined.query = query;
    combined.kind = MatchKind::kCombination;
    combined.matched_as = NameKind::kCombination;
    for (const auto& part : parts) {
      Resolution p = ResolveExact(part);
      if (!p.known()) {
        if (const std::string shorter = WithoutTrailingStrength(part); !shorter.empty()) {
          p = ResolveExact(shorter);
        }
      }
      if (!p.known()) {
        if (hyphen) break;  // Try nothing else; report below.
        combined.kind = MatchKind::kUnknown;
        combined.unknown_part = part;
        combined.suggestions = CloseMatches(part, DisplayNames());
        break;
      }
      p.query = part;
      for (const Product* product : p.products) AppendUnique(combined.products, product);
      for (const Ingredient* ingredient : p.ingredients)
        AppendUnique(combined.ingredients, ingredient);
      combined.parts.push_back(std::move(p));
    }
    if (combined.kind == MatchKind::kCombination && combined.parts.size() == parts.size()) {
      combined.matched_name = query;
      return combined;
    }
    if (combined.kind == MatchKind::kUnknown) {
      combined.parts.clear();
      combined.products.clear();
      combined.ingredients.clear();
      return combined;
    }
  }
  Resolution unknown;
  unknown.query = query;
  const std::vector<std::string> display_names = DisplayNames();
  unknown.suggestions = CloseMatches(query, display_names);
  if (unknown.suggestions.empty()) {
    if (const std::string shorter = WithoutTrailingStrength(query); !shorter.empty()) {
      unknown.suggestions = CloseMatches(shorter, display_names);
    }
  }
  return unknown;
}

}  // namespace mg::products
