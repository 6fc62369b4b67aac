#include "plan/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/data_files.h"
#include "core/json_input.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/toml_parse.h"
#include "products/catalogue.h"
#include "products/label.h"
#include "products/magnesium_count.h"

namespace mg::plan {
namespace {

using nlohmann::json;

// Converts a TOML tree to JSON, remembering the line of every path for error messages.
json TomlToJson(const toml::node& node, const std::string& path,
                std::map<std::string, int>& lines) {
  lines[path] = static_cast<int>(node.source().begin.line);
  if (const auto* table = node.as_table()) {
    json out = json::object();
    for (const auto& [key, value] : *table) {
      const std::string child =
          path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
      out[std::string(key.str())] = TomlToJson(value, child, lines);
    }
    return out;
  }
  if (const auto* array = node.as_array()) {
    json out = json::array();
    for (size_t i = 0; i < array->size(); ++i) {
      out.push_back(TomlToJson(*array->get(i), fmt::format("{}[{}]", path, i), lines));
    }
    return out;
  }
  if (auto v = node.value_exact<std::string>()) return *v;
  if (auto v = node.value_exact<int64_t>()) return *v;
  if (auto v = node.value_exact<double>()) return *v;
  if (auto v = node.value_exact<bool>()) return *v;
  return fmt::format("<unsupported TOML value at line {}>", node.source().begin.line);
}

// Collects problems while walking the document, each prefixed with where and which field.
class Checker {
 public:
  explicit Checker(const ProfileDocument& doc) : doc_(doc) {}

  void Problem(const std::string& path, const std::string& what) {
    std::string where = doc_.source_name;
    // The nearest recorded ancestor's line (a TOML inline value has its own; defaults don't).
    for (std::string p = path; !p.empty();) {
      const auto it = doc_.line_of_path.find(p);
      if (it != doc_.line_of_path.end()) {
        where += fmt::format(":{}", it->second);
        break;
      }
      const size_t cut = p.find_last_of(".[");
      p = cut == std::string::npos ? "" : p.substr(0, cut);
    }
    problems_.push_back(fmt::format("{}: {}: {}", where, path, what));
  }

  bool ok() const { return problems_.empty(); }
  Error ToError() const {
    std::string message =
        problems_.size() == 1 ? "profile has a problem:\n" : "profile has problems:\n";
    for (const auto& p : problems_) message += "  " + p + "\n";
    message.pop_back();
    return InvalidArgument(message);
  }

  // Object keys must all be known: a misspelt key silently ignored is a silent default.
  void OnlyKeys(const json& object, const std::string& path,
                std::initializer_list<const char*> keys) {
    for (const auto& [key, value] : object.items()) {
      bool known = false;
      for (const char* k : keys) known = known || key == k;
      if (!known) {
        std::vector<std::string> all(keys.begin(), keys.end());
        const auto close = CloseMatches(key, all);
        Problem(Join(path, key),
                "unknown field" +
                    (close.empty() ? "" : "; did you mean " + JoinAlternatives(close) + "?"));
      }
    }
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  std::optional<std::string> String(const json& value, const std::string& path) {
    if (!value.is_string()) {
      Problem(path, fmt::format("must be text, not {}", JsonExcerpt(value)));
      return std::nullopt;
    }
    return value.get<std::string>();
  }

  std::optional<double> Number(const json& value, const std::string& path, double min, double max) {
    double number = 0;
    if (value.is_number()) {
      number = value.get<double>();
    } else if (value.is_string()) {
      const auto parsed = ParseFiniteNumber(value.get<std::string>());
      if (!parsed) {
        Problem(path, fmt::format("'{}' is not a number", value.get<std::string>()));
        return std::nullopt;
      }
      number = *parsed;
    } else {
      Problem(path, fmt::format("must be a number, not {}", JsonExcerpt(value)));
      return std::nullopt;
    }
    if (!std::isfinite(number) || number < min || number > max) {
      Problem(path, fmt::format("{} is outside the possible range {}-{}", FormatNumber(number, 2),
                                FormatNumber(min), FormatNumber(max)));
      return std::nullopt;
    }
    return number;
  }

  std::optional<bool> Bool(const json& value, const std::string& path) {
    if (!value.is_boolean()) {
      Problem(path, fmt::format("must be true or false, not {}", JsonExcerpt(value)));
      return std::nullopt;
    }
    return value.get<bool>();
  }

  // An element of a list field, and its path.
  struct ListItem {
    const json& value;  // In the document, which outlives the list: not copied.
    std::string path;
  };
  // A list field; a single value is accepted as a list of one.
  std::vector<ListItem> List(const json& object, const char* key) {
    std::vector<ListItem> out;
    const auto found = object.find(key);
    if (found == object.end()) return out;
    const json& value = *found;
    if (value.is_array()) {
      out.reserve(value.size());
      for (size_t i = 0; i < value.size(); ++i) {
        out.push_back({value[i], JsonPath(key, i)});
      }
    } else {
      out.push_back({value, key});
    }
    return out;
  }

 private:
  const ProfileDocument& doc_;
  std::vector<std::string> problems_;
};

std::string Suggest(const std::vector<std::string>& candidates) {
  return candidates.empty() ? "" : "; did you mean " + JoinAlternatives(candidates) + "?";
}

std::optional<int> ParseSeverity(const json& value, Checker& check, const std::string& path) {
  if (value.is_string()) {
    const std::string word = NormalizeName(value.get<std::string>());
    // Words map to the middle of thirds of the 0-10 scale.
    if (word == "mild") return 3;
    if (word == "moderate") return 6;
    if (word == "severe") return 9;
  }
  if (value.is_number_integer()) {
    const auto n = value.get<int64_t>();
    if (n >= 0 && n <= 10) return static_cast<int>(n);
  }
  check.Problem(path, fmt::format("{} is not a severity: use 0-10 or mild, moderate, severe",
                                  JsonExcerpt(value)));
  return std::nullopt;
}

// "age", "sex", "pregnant", "lactating" and "reference", checked by dri::CheckPerson like every
// other door's person, so the same input gets the same words whether typed as flags, sent to the
// server or written in a profile.
void ResolvePerson(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  dri::PersonFields fields;
  bool age_type_wrong = false, sex_type_wrong = false;
  if (d.contains("age")) {
    if (d["age"].is_number()) {
      fields.age_years = d["age"].get<double>();
    } else if (d["age"].is_string()) {
      fields.age = d["age"].get<std::string>();
    } else {
      check.Problem("age", fmt::format("must be a number of years or text like \"8mo\", not {}",
                                       JsonExcerpt(d["age"])));
      age_type_wrong = true;
    }
  }
  if (d.contains("sex")) {
    fields.sex = check.String(d["sex"], "sex");
    sex_type_wrong = !fields.sex;
  }
  if (d.contains("pregnant"))
    fields.pregnant = check.Bool(d["pregnant"], "pregnant").value_or(false);
  if (d.contains("lactating")) {
    fields.lactating = check.Bool(d["lactating"], "lactating").value_or(false);
  }
  if (d.contains("reference")) {
    fields.reference = check.String(d["reference"], "reference");
    if (!fields.reference) return;
  }
  const dri::PersonCheck person = dri::CheckPerson(fields, context.references);
  for (const dri::FieldProblem& problem : person.problems) {
    // A value of the wrong type was reported above; do not report it again as missing.
    if ((problem.field == "age" && age_type_wrong) || (problem.field == "sex" && sex_type_wrong)) {
      continue;
    }
    check.Problem(problem.field, problem.message);
  }
  if (person.person) profile.person = *person.person;
  profile.reference = person.reference;
}

// "complaints": conditions by name, alias or id, with an optional severity.
void ResolveComplaints(const json& d, const PlanContext& context, Checker& check,
                       Profile& profile) {
  for (const auto& [value, path] : check.List(d, "complaints")) {
    Complaint complaint;
    std::optional<std::string> name;
    if (value.is_object()) {
      check.OnlyKeys(value, path, {"condition", "severity"});
      if (!value.contains("condition")) {
        check.Problem(path, "needs a condition");
        continue;
      }
      name = check.String(value["condition"], path + ".condition");
      if (value.contains("severity"))
        complaint.severity = ParseSeverity(value["severity"], check, path + ".severity");
    } else {
      name = check.String(value, path);
    }
    if (!name) continue;
    const kb::Condition* condition = context.kb.FindCondition(*name);
    if (condition == nullptr) {
      check.Problem(path, fmt::format("unknown condition '{}'{}", *name,
                                      Suggest(context.kb.SuggestConditions(*name))));
      continue;
    }
    complaint.condition_id = condition->id;
    profile.complaints.push_back(complaint);
  }
}

// "kidney": eGFR and CKD stage, which contraindications read.
void ResolveKidney(const json& d, const PlanContext& /*context*/, Checker& check,
                   Profile& profile) {
  if (d.contains("kidney")) {
    const json& k = d["kidney"];
    if (!k.is_object()) {
      check.Problem("kidney", "must be a table/object with egfr and/or ckd_stage");
    } else {
      check.OnlyKeys(k, "kidney", {"egfr", "ckd_stage"});
      if (k.contains("egfr")) profile.egfr = check.Number(k["egfr"], "kidney.egfr", 0, 200);
      if (k.contains("ckd_stage")) {
        const auto stage = check.Number(k["ckd_stage"], "kidney.ckd_stage", 1, 5);
        if (stage && *stage != std::floor(*stage)) {
          check.Problem("kidney.ckd_stage", "must be a whole stage 1-5");
        } else if (stage) {
          profile.ckd_stage = static_cast<int>(*stage);
        }
      }
    }
  }
}

// "diagnoses": other diagnoses the knowledge base knows.
void ResolveDiagnoses(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  for (const auto& [value, path] : check.List(d, "diagnoses")) {
    const auto name = check.String(value, path);
    if (!name) continue;
    const kb::Diagnosis* diagnosis = context.kb.FindDiagnosis(*name);
    if (diagnosis == nullptr) {
      check.Problem(path, fmt::format("unknown diagnosis '{}'{}", *name,
                                      Suggest(context.kb.SuggestDiagnoses(*name))));
      continue;
    }
    profile.diagnosis_ids.push_back(diagnosis->id);
  }
}

// The word a magnesium entry is listed under: the product's use, or "medicine" for a named salt.
std::string KindOf(const products::Resolution& resolution) {
  for (const products::Product* product : resolution.products) {
    if (product->contains_magnesium()) return std::string(products::ToString(product->use));
  }
  return "medicine";
}

// Counts what `resolution` names through the one count of supplemental magnesium and adds it to
// the magnesium the person already takes. `amount_text` is the amount per intake as the person
// wrote it (nullopt: the label's usual dose, or an error asking for the amount).
void CountTaken(const products::Resolution& resolution,
                const std::optional<std::string>& amount_text, double intakes_per_day,
                std::string kind, const PlanContext& context, Checker& check,
                const std::string& path, const std::string& amount_path, Profile& profile) {
  std::optional<products::StatedAmount> amount;
  if (amount_text) {
    auto parsed = products::ParseStatedAmount(*amount_text);
    if (!parsed.ok()) {
      check.Problem(amount_path, parsed.error().message);
      return;
    }
    amount = std::move(parsed).value();
  }
  auto count = products::CountMagnesium(resolution, amount, intakes_per_day, context.compounds);
  if (!count.ok()) {
    check.Problem(amount_text ? amount_path : path,
                  count.error().message +
                      (amount_text || amount_path.ends_with("elemental")
                           ? ""
                           : " (write it as \"amount\"; on the command line --med NAME:AMOUNT, "
                             "e.g. \"magnesium citrate:250mg@21:00\")"));
    return;
  }
  if (!count->has_value()) return;  // Nothing named contains magnesium.
  const products::MagnesiumCount& counted = **count;
  MagnesiumTaken taken;
  taken.kind = std::move(kind);
  for (const products::Ingredient* ingredient : resolution.ingredients) {
    if (ingredient->contains_magnesium && !ingredient->compound_id.empty()) {
      taken.compound_id = ingredient->compound_id;
      break;
    }
  }
  taken.elemental_mg_per_day = counted.elemental_mg_per_day;
  taken.assumed = counted.assumed;
  taken.notes = counted.notes;
  taken.description = fmt::format("{}: {} × {}/day = {} mg magnesium/day ({})", resolution.query,
                                  counted.reading, FormatNumber(counted.intakes_per_day, 2),
                                  FormatNumber(taken.elemental_mg_per_day), taken.kind);
  profile.magnesium_taken.push_back(std::move(taken));
}

// "medicines": each resolved through the medicines catalogue (brands, abbreviations,
// combinations) to its interaction classes, with the times it is taken; a medicine that contains
// magnesium (an antacid, a laxative) is also counted into the magnesium already taken.
void ResolveMedicines(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  for (const auto& [value, path] : check.List(d, "medicines")) {
    MedicineTaken medicine;
    std::optional<std::string> name, amount;
    json times;
    if (value.is_object()) {
      check.OnlyKeys(value, path, {"name", "times", "amount"});
      if (!value.contains("name")) {
        check.Problem(path, "needs a name");
        continue;
      }
      name = check.String(value["name"], path + ".name");
      if (value.contains("times")) times = value["times"];
      if (value.contains("amount")) {
        amount = check.String(value["amount"], path + ".amount");
        if (!amount) continue;
      }
    } else {
      name = check.String(value, path);
    }
    if (!name) continue;
    medicine.name = *name;
    const products::Resolution resolution = context.catalogue.Resolve(*name);
    if (!resolution.known() && !resolution.suggestions.empty()) {
      check.Problem(path, fmt::format("unknown medicine '{}'{} (if it really is '{}', it is not "
                                      "in the interaction list: write it as it is on the pack)",
                                      *name, Suggest(resolution.suggestions), *name));
      continue;
    }
    const json time_list =
        times.is_null() ? json::array() : (times.is_array() ? times : json::array({times}));
    for (size_t i = 0; i < time_list.size(); ++i) {
      const std::string time_path = JsonPath(path + ".times", i);
      const auto text = check.String(time_list[i], time_path);
      if (!text) continue;
      const auto hour = ParseClockTime(*text);
      if (!hour) {
        check.Problem(time_path,
                      fmt::format("'{}' is not a time of day like 07:00 or 19:30", *text));
        continue;
      }
      medicine.hours.push_back(*hour);
    }
    const double intakes_per_day = medicine.hours.empty() ? 1 : medicine.hours.size();
    if (medicine.hours.empty()) {
      medicine.hours = {context.policy.default_medicine_hour};
      medicine.hours_assumed = true;
    }
    for (const products::Ingredient* ingredient : resolution.ingredients) {
      medicine.ingredient_ids.push_back(ingredient->id);
    }
    const bool magnesium = resolution.known() && resolution.ContainsMagnesium();
    if (magnesium) {
      CountTaken(resolution, amount, intakes_per_day, KindOf(resolution), context, check, path,
                 path + ".amount", profile);
    } else if (amount) {
      check.Problem(path + ".amount",
                    fmt::format("'{}' contains no magnesium the catalogue knows of; an amount is "
                                "only read for magnesium-containing medicines",
                                *name));
    }
    // One entry per interaction class (a combination such as triamterene/HCTZ has two); a name
    // with none is listed back as not checked, unless it was counted as magnesium.
    const std::vector<std::string> classes = resolution.InteractionIds();
    for (const std::string& id : classes) {
      MedicineTaken entry = medicine;
      entry.interaction_id = id;
      profile.medicines.push_back(std::move(entry));
    }
    if (classes.empty() && !magnesium) profile.medicines.push_back(std::move(medicine));
  }
}

// "magnesium_taken": supplements, antacids and laxatives, counted like a magnesium-containing
// medicine. `amount` is elemental magnesium unless marked as the salt's mass ("400 mg
// compound") or given in units of a catalogued product ("2 tablets"); `elemental` is always
// magnesium itself.
void ResolveMagnesiumTaken(const json& d, const PlanContext& context, Checker& check,
                           Profile& profile) {
  for (const auto& [value, path] : check.List(d, "magnesium_taken")) {
    if (!value.is_object()) {
      check.Problem(path, "must be a table/object with kind, compound and amount (or elemental)");
      continue;
    }
    check.OnlyKeys(value, path, {"kind", "compound", "amount", "elemental", "times_per_day"});
    const std::string kind = value.contains("kind")
                                 ? check.String(value["kind"], path + ".kind").value_or("")
                                 : "supplement";
    if (kind != "supplement" && kind != "antacid" && kind != "laxative") {
      check.Problem(path + ".kind",
                    fmt::format("'{}' is not supplement, antacid or laxative", kind));
      continue;
    }
    double times_per_day = 1;
    if (value.contains("times_per_day")) {
      const auto n = check.Number(value["times_per_day"], path + ".times_per_day", 0, 24);
      if (!n) continue;
      times_per_day = *n;
    }
    // What is taken: a catalogued product or salt; a compound-catalogue name ("oxide") stands
    // for the catalogue's ingredient of that salt; nothing named is plain magnesium.
    std::string name = "magnesium";
    if (value.contains("compound")) {
      const auto given = check.String(value["compound"], path + ".compound");
      if (!given) continue;
      name = *given;
    }
    const products::Resolution resolution =
        products::ResolveTaken(context.catalogue, context.compounds, name);
    if (!resolution.known() || !resolution.ContainsMagnesium()) {
      auto compound = context.compounds.Resolve(name);
      check.Problem(path + ".compound",
                    compound.ok() ? fmt::format("'{}' is not a magnesium salt the medicines "
                                                "catalogue knows",
                                                name)
                                  : compound.error().message);
      continue;
    }
    const bool has_amount = value.contains("amount"), has_elemental = value.contains("elemental");
    if (has_amount == has_elemental) {
      check.Problem(path,
                    "give either amount (magnesium per intake; '400 mg compound' for the salt's "
                    "mass, '2 tablets' for units of a product) or elemental (magnesium per "
                    "intake)");
      continue;
    }
    const std::string field = has_amount ? "amount" : "elemental";
    const auto text = check.String(value[field], path + "." + field);
    if (!text) continue;
    if (has_elemental) {
      auto stated = products::ParseStatedAmount(*text);
      if (stated.ok() && stated->kind != products::AmountKind::kElemental) {
        check.Problem(path + ".elemental",
                      fmt::format("'{}' is not an amount of magnesium itself (mg, g, mmol, mEq); "
                                  "use amount for a salt's mass or units of a product",
                                  *text));
        continue;
      }
    }
    CountTaken(resolution, *text, times_per_day, kind, context, check, path, path + "." + field,
               profile);
  }
}

// "diet": usual magnesium intake, or food-frequency answers scored as a lower bound.
void ResolveDiet(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  if (d.contains("diet")) {
    const json& diet = d["diet"];
    if (!diet.is_object()) {
      check.Problem("diet", "must be a table/object with magnesium_mg_per_day or food_frequency");
    } else {
      check.OnlyKeys(diet, "diet", {"magnesium_mg_per_day", "food_frequency"});
      if (diet.contains("magnesium_mg_per_day") && diet.contains("food_frequency")) {
        check.Problem("diet", "give magnesium_mg_per_day or food_frequency, not both");
      } else if (diet.contains("magnesium_mg_per_day")) {
        profile.diet_mg_per_day =
            check.Number(diet["magnesium_mg_per_day"], "diet.magnesium_mg_per_day", 0, 3000);
      } else if (diet.contains("food_frequency")) {
        const json& answers = diet["food_frequency"];
        if (!answers.is_object()) {
          check.Problem("diet.food_frequency", "must map item ids to servings per day");
        } else {
          double total = 0;
          for (const auto& [key, servings] : answers.items()) {
            const std::string path = "diet.food_frequency." + key;
            const FoodFrequencyItem* item = nullptr;
            for (const auto& candidate : context.food_frequency) {
              if (candidate.id == key) item = &candidate;
            }
            if (item == nullptr) {
              std::vector<std::string> ids;
              for (const auto& candidate : context.food_frequency) ids.push_back(candidate.id);
              check.Problem(path, "unknown item; known items are " + JoinAlternatives(ids));
              continue;
            }
            if (const auto n = check.Number(servings, path, 0, 20))
              total += *n * item->magnesium_mg;
          }
          profile.diet_mg_per_day = total;
          profile.diet_is_lower_bound = true;
        }
      }
    }
  }
}

// "food_exclusions": vegan, nut allergy..., as foods::Exclusions resolves them.
void ResolveFoodExclusions(const json& d, const PlanContext& context, Checker& check,
                           Profile& profile) {
  std::vector<std::string> exclusion_names;
  for (const auto& [value, path] : check.List(d, "food_exclusions")) {
    if (auto name = check.String(value, path)) exclusion_names.push_back(*name);
  }
  if (!exclusion_names.empty()) {
    auto resolved = context.exclusions.Resolve(exclusion_names);
    if (resolved.ok()) {
      profile.food_exclusions = *resolved;
    } else {
      check.Problem("food_exclusions", resolved.error().message);
    }
  }
}

// "red_flags": red-flag ids, each becoming a referral.
void ResolveRedFlags(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  for (const auto& [value, path] : check.List(d, "red_flags")) {
    const auto name = check.String(value, path);
    if (!name) continue;
    const kb::RedFlag* flag = context.kb.FindRedFlag(*name);
    if (flag == nullptr) {
      std::vector<std::string> ids;
      for (const auto& f : context.kb.red_flags) ids.push_back(f.id);
      const auto close = CloseMatches(*name, ids);
      check.Problem(path, fmt::format("unknown red flag '{}'{}", *name,
                                      close.empty() ? "; known red flags: " + JoinAlternatives(ids)
                                                    : Suggest(close)));
      continue;
    }
    profile.red_flag_ids.push_back(flag->id);
  }
}

// "preferences": route, a sensitive stomach, the most pills a day.
void ResolvePreferences(const json& d, const PlanContext& /*context*/, Checker& check,
                        Profile& profile) {
  if (d.contains("preferences")) {
    const json& prefs = d["preferences"];
    if (!prefs.is_object()) {
      check.Problem("preferences", "must be a table/object");
    } else {
      check.OnlyKeys(prefs, "preferences", {"route", "sensitive_stomach", "max_pills_per_day"});
      if (prefs.contains("route")) {
        const std::string route =
            NormalizeName(check.String(prefs["route"], "preferences.route").value_or("any"));
        if (route == "any") {
          profile.route = RoutePreference::kAny;
        } else if (route == "oral") {
          profile.route = RoutePreference::kOral;
        } else if (route == "topical") {
          profile.route = RoutePreference::kTopical;
        } else if (route == "food only" || route == "food") {
          profile.route = RoutePreference::kFoodOnly;
        } else {
          check.Problem("preferences.route",
                        fmt::format("'{}' is not any, oral, topical or food_only", route));
        }
      }
      if (prefs.contains("sensitive_stomach")) {
        profile.sensitive_stomach =
            check.Bool(prefs["sensitive_stomach"], "preferences.sensitive_stomach").value_or(false);
      }
      if (prefs.contains("max_pills_per_day")) {
        const auto n =
            check.Number(prefs["max_pills_per_day"], "preferences.max_pills_per_day", 1, 20);
        if (n) profile.max_pills_per_day = static_cast<int>(*n);
      }
    }
  }
}

// "12.99", "12.99 USD", "USD 12.99", "$12.99", "£8.50", "€9,99" → amount and currency code ("" when
// none is written). nullopt when it is not a price.
std::optional<std::pair<double, std::string>> ParsePrice(std::string_view text) {
  std::string currency;
  std::string rest(Trim(text));
  for (const auto& [symbol, code] : {std::pair{"$", "USD"}, {"\u00a3", "GBP"}, {"\u20ac", "EUR"}}) {
    const std::string_view sym(symbol);
    if (rest.starts_with(sym)) rest = rest.substr(sym.size()), currency = code;
    if (rest.ends_with(sym)) rest = rest.substr(0, rest.size() - sym.size()), currency = code;
  }
  rest = std::string(Trim(rest));
  const size_t space = rest.find(' ');
  if (space != std::string::npos) {
    std::string a = rest.substr(0, space), b(Trim(rest.substr(space + 1)));
    auto is_code = [](const std::string& w) {
      return w.size() == 3 && std::all_of(w.begin(), w.end(), [](char ch) {
               return std::isalpha(static_cast<unsigned char>(ch));
             });
    };
    if (is_code(b)) {
      rest = a, currency = b;
    } else if (is_code(a)) {
      rest = b, currency = a;
    } else {
      return std::nullopt;
    }
    for (char& ch : currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  // A decimal comma ("9,99") as European labels print it; never a thousands separator here.
  if (const size_t comma = rest.find(','); comma != std::string::npos && rest.size() - comma == 3) {
    rest[comma] = '.';
  }
  const auto amount = ParseFiniteNumber(rest);
  if (!amount || *amount < 0) return std::nullopt;
  return std::pair{*amount, currency};
}

// "product": the person's own magnesium product, as its label is printed, with an optional
// name, price and pack size. The label must say how much magnesium one unit holds: a plan cannot
// count pills of a product that hides it.
void ResolveProduct(const json& d, const PlanContext& context, Checker& check, Profile& profile) {
  if (!d.contains("product")) return;
  const json& p = d["product"];
  if (!p.is_object()) {
    check.Problem("product", "must be a table/object with the label's text (label)");
    return;
  }
  check.OnlyKeys(p, "product", {"label", "name", "price", "units_per_pack"});
  if (!p.contains("label")) {
    check.Problem("product.label", "needed: the text of the product's label, as printed");
    return;
  }
  const auto text = check.String(p["label"], "product.label");
  if (!text) return;
  auto label = products::ReadLabel(*text, context.compounds, context.catalogue.daily_values());
  if (!label.ok()) {
    check.Problem("product.label", label.error().message);
    return;
  }
  ProductChoice product;
  product.name = "your product";
  if (p.contains("name")) {
    if (auto name = check.String(p["name"], "product.name"); name && !Trim(*name).empty()) {
      product.name = std::string(Trim(*name));
    }
  }
  product.unit = label->serving.unit.empty() ? "unit" : label->serving.unit;
  product.compound_ids = label->compounds;
  for (const auto& w : label->warnings) {
    product.label_warnings.push_back(w.line > 0 ? fmt::format("line {}: {}", w.line, w.message)
                                                : w.message);
  }
  if (label->elemental_mg_per_serving && *label->elemental_mg_per_serving == 0) {
    check.Problem("product.label", "the label lists no magnesium");
    return;
  }
  if (!label->elemental_mg_per_unit || *label->elemental_mg_per_unit <= 0) {
    check.Problem("product.label",
                  label->serving.assumed
                      ? "the label has no serving size, so the magnesium in one pill or mL is "
                        "not known; paste the whole Supplement Facts panel"
                      : "the label does not say how much magnesium it holds (" +
                            (label->warnings.empty() ? std::string("no elemental amount")
                                                     : label->warnings.front().message) +
                            "); choose a product whose label states it");
    return;
  }
  product.elemental_mg_per_unit = *label->elemental_mg_per_unit;
  if (const auto& d = label->directions) {
    product.label_max_units_per_day = d->max_units_per_day;
    if (d->units_max) {
      // "Take 2 tablets daily" is once a day.
      product.label_suggested_units_per_day = *d->units_max * d->times_max.value_or(1);
    }
  }
  // Units in a pack: the person's word, else the label's servings per container.
  std::optional<double> units_per_pack;
  if (p.contains("units_per_pack")) {
    units_per_pack = check.Number(p["units_per_pack"], "product.units_per_pack", 1, 100000);
  } else if (label->servings_per_container && *label->servings_per_container > 0) {
    units_per_pack = *label->servings_per_container * label->serving.count;
  }
  if (p.contains("price")) {
    std::optional<std::pair<double, std::string>> price;
    if (p["price"].is_number()) {
      price = std::pair{p["price"].get<double>(), std::string()};
      if (!std::isfinite(price->first) || price->first < 0) price.reset();
    } else if (p["price"].is_string()) {
      price = ParsePrice(p["price"].get<std::string>());
    }
    if (!price) {
      check.Problem("product.price", fmt::format("{} is not a price (e.g. 12.99, \"12.99 USD\" or "
                                                 "\"\u00a38.50\")",
                                                 JsonExcerpt(p["price"])));
    } else if (!units_per_pack) {
      check.Problem("product.units_per_pack",
                    fmt::format("needed with a price: how many {}s the pack holds (the label does "
                                "not say; on the command line --pack N)",
                                product.unit));
    } else {
      product.price_per_unit = price->first / *units_per_pack;
      product.currency = price->second;
      product.price_source = "you";
    }
  } else if (label->price && units_per_pack) {
    product.price_per_unit = label->price->amount / *units_per_pack;
    product.currency = label->price->currency;
    product.price_source = "the label";
  }
  profile.product = std::move(product);
}

// "ferritin_ug_l", "iron_deficiency": iron status, which the restless-legs advice reads.
// "gestation_weeks": how far a pregnancy is, which the pregnancy-only red flags read.
void ResolveIronAndPregnancy(const json& d, const PlanContext& /*context*/, Checker& check,
                             Profile& profile) {
  if (d.contains("ferritin_ug_l")) {
    profile.ferritin_ug_l = check.Number(d["ferritin_ug_l"], "ferritin_ug_l", 0, 5000);
  }
  if (d.contains("iron_deficiency")) {
    profile.iron_deficiency = check.Bool(d["iron_deficiency"], "iron_deficiency").value_or(false);
  }
  if (d.contains("gestation_weeks")) {
    profile.gestation_weeks = check.Number(d["gestation_weeks"], "gestation_weeks", 0, 45);
    const bool pregnant =
        d.contains("pregnant") && d["pregnant"].is_boolean() && d["pregnant"].get<bool>();
    if (!pregnant) check.Problem("gestation_weeks", "is given, but pregnant is not true");
  }
}

}  // namespace

const std::vector<std::string_view>& ProfileFields() {
  static const std::vector<std::string_view> fields = {"age",
                                                       "sex",
                                                       "pregnant",
                                                       "lactating",
                                                       "reference",
                                                       "complaints",
                                                       "kidney",
                                                       "diagnoses",
                                                       "medicines",
                                                       "magnesium_taken",
                                                       "diet",
                                                       "food_exclusions",
                                                       "red_flags",
                                                       "preferences",
                                                       "ferritin_ug_l",
                                                       "iron_deficiency",
                                                       "gestation_weeks",
                                                       "product"};
  return fields;
}

std::optional<double> ParseClockTime(std::string_view text) {
  const size_t colon = text.find(':');
  const auto hours = ParseFiniteNumber(text.substr(0, colon));
  double minutes = 0;
  if (colon != std::string_view::npos) {
    const auto m = ParseFiniteNumber(text.substr(colon + 1));
    if (!m || *m < 0 || *m >= 60 || *m != std::floor(*m)) return std::nullopt;
    minutes = *m;
  }
  if (!hours || *hours < 0 || *hours >= 24 || *hours != std::floor(*hours)) return std::nullopt;
  return *hours + minutes / 60.0;
}

Result<ProfileDocument> ParseProfileText(const std::string& text, const std::string& name) {
  ProfileDocument doc;
  doc.source_name = name;
  if (name.ends_with(".toml")) {
    auto table = ParseToml(text, name, ErrorCode::kInvalidArgument);
    if (!table.ok()) return table.error();
    doc.tree = TomlToJson(*table, "", doc.line_of_path);
    doc.line_of_path.erase("");
  } else {
    auto tree = ParseJson(text, name);  // Depth-limited, finite numbers, line:column errors.
    if (!tree.ok()) return tree.error();
    doc.tree = std::move(*tree);
  }
  if (!doc.tree.is_object()) return InvalidArgument(name + ": a profile must be an object/table");
  return doc;
}

Result<ProfileDocument> ReadProfileFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.error();
  if (path.ends_with(".toml") || path.ends_with(".json")) return ParseProfileText(*text, path);
  // No telling extension: JSON documents start with '{'.
  const size_t first = text->find_first_not_of(" \t\r\n");
  const bool looks_json = first != std::string::npos && (*text)[first] == '{';
  auto doc = ParseProfileText(*text, looks_json ? path : path + ".toml");
  if (doc.ok()) doc->source_name = path;
  return doc;
}

Result<Profile> ResolveProfile(const ProfileDocument& document, const PlanContext& context) {
  const json& d = document.tree;
  Checker check(document);
  for (const auto& [key, value] : d.items()) {
    const auto& fields = ProfileFields();
    if (std::find(fields.begin(), fields.end(), key) != fields.end()) continue;
    const auto close = CloseMatches(key, std::vector<std::string>(fields.begin(), fields.end()));
    check.Problem(key, "unknown field" + Suggest(close));
  }
  Profile profile;
  // One function per section; each reports every problem it finds and resolves what it can.
  for (const auto section :
       {ResolvePerson, ResolveComplaints, ResolveKidney, ResolveDiagnoses, ResolveMedicines,
        ResolveMagnesiumTaken, ResolveDiet, ResolveFoodExclusions, ResolveRedFlags,
        ResolvePreferences, ResolveProduct, ResolveIronAndPregnancy}) {
    section(d, context, check, profile);
  }
  if (!check.ok()) return check.ToError();
  return profile;
}

}  // namespace mg::plan
