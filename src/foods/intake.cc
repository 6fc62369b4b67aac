#include "foods/intake.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "chem/units.h"
#include "core/json_input.h"
#include "core/numbers.h"
#include "core/text.h"
#include "core/utf8.h"
#include "foods/csv.h"
#include "products/magnesium_count.h"

namespace mg::foods {
namespace {

using nlohmann::json;

constexpr double kMaxSuggestedPortions = 4;  // More than this of one food is no "small change".

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// "2", "0.5", "1/2", "1 1/2" -> number.
std::optional<double> ParseQuantity(std::string_view text) {
  const std::string t = Trim(text);
  if (auto n = ParseFiniteNumber(t)) return n;
  const size_t slash = t.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const size_t space = t.rfind(' ', slash);
  double whole = 0;
  std::string_view fraction = t;
  if (space != std::string::npos) {
    auto w = ParseFiniteNumber(t.substr(0, space));
    if (!w) return std::nullopt;
    whole = *w;
    fraction = std::string_view(t).substr(space + 1);
  }
  const size_t s2 = fraction.find('/');
  auto num = ParseFiniteNumber(fraction.substr(0, s2));
  auto den = ParseFiniteNumber(fraction.substr(s2 + 1));
  if (!num || !den || *den == 0) return std::nullopt;
  return whole + *num / *den;
}

// "80.00 g" -> {80, "g"}; "1 1/2 cup" -> {1.5, "cup"}.
bool SplitAmount(std::string_view text, double& amount, std::string& unit) {
  const std::string t = Trim(text);
  // The longest leading run that parses as a quantity.
  for (size_t cut = t.size(); cut > 0; --cut) {
    if (cut < t.size() && t[cut] != ' ' && !std::isalpha(static_cast<unsigned char>(t[cut]))) {
      continue;
    }
    if (auto q = ParseQuantity(t.substr(0, cut))) {
      amount = *q;
      unit = Trim(std::string_view(t).substr(cut));
      return true;
    }
  }
  return false;
}

Error BadField(const std::string& where, const std::string& field, const std::string& value,
               const std::string& why) {
  return InvalidArgument(where + ": field '" + field + "': " + QuoteForMessage(value) + " " + why);
}

// A number for a message: never hundreds of digits, whatever was typed.
std::string ShowAmount(double value) {
  return std::fabs(value) < 1e9 ? FormatNumber(value, 3) : fmt::format("{:g}", value);
}

// An amount of 0 or less is a mistake in the amount itself, not in its unit.
Status CheckAmount(const DiaryEntry& e, const std::string& field, const std::string& as_written) {
  if (e.amount > 0) return {};
  return BadField(e.where, field, as_written, "is not a positive amount");
}

// Reported magnesium (Cronometer's column, a JSON "magnesium_mg") within what one entry can be.
Status CheckReportedMg(const DiaryEntry& e, const std::string& field,
                       const std::string& as_written) {
  if (!e.reported_mg) return {};
  if (*e.reported_mg < 0)
    return BadField(e.where, field, as_written, "is not a non-negative number");
  if (*e.reported_mg > kMaxMagnesiumMgPerEntry) {
    return BadField(e.where, field, as_written,
                    fmt::format("is more than {} mg of magnesium, the most one entry can hold",
                                FormatNumber(kMaxMagnesiumMgPerEntry)));
  }
  return {};
}

Status SetType(DiaryEntry& e, const std::string& type_text) {
  const std::string type = NormalizeName(type_text);
  if (type.empty() || type == "food") return {};
  if (type == "supplement" || type == "supplements" || type == "antacid" || type == "laxative" ||
      type == "medicine") {
    e.kind = EntryKind::kSupplement;
    e.product_type = type == "supplements" ? "supplement" : type;
    return {};
  }
  return BadField(e.where, "type", type_text,
                  "is not one of food, supplement, antacid, laxative, medicine");
}

Result<Diary> ParseJsonDiary(std::string_view text, const std::string& name) {
  auto parsed = ParseJson(text, name);
  if (!parsed.ok()) return parsed.error();
  const json& doc = *parsed;
  const json* list = &doc;
  std::string list_path;
  if (doc.is_object()) {
    MG_RETURN_IF_ERROR(RejectUnknownFields(doc, {"entries"}, name));
    if (!doc.contains("entries") || !doc["entries"].is_array()) {
      return InvalidArgument(name + ": expected {\"entries\": [...]} or a JSON array");
    }
    list = &doc["entries"];
    list_path = "entries";
  }
  if (!list->is_array()) return InvalidArgument(name + ": expected a JSON array of entries");
  // Field errors from core/json_input.h name the path ("entries[3].date"); this adds the file.
  auto in_file = [&](const Error& error) { return InvalidArgument(name + ": " + error.message); };
  Diary diary;
  diary.format = "json";
  for (size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string path = JsonPath(list_path.empty() ? "entries" : list_path, i);
    DiaryEntry e;
    e.where = name + ": " + path;
    if (!item.is_object()) {
      return InvalidArgument(e.where + ": expected an object, got " + DescribeJson(item));
    }
    MG_RETURN_IF_ERROR(RejectUnknownFields(
        item, {"date", "food", "supplement", "amount", "unit", "type", "compound", "magnesium_mg"},
        e.where));
    std::string text[6];
    const char* keys[6] = {"date", "type", "supplement", "food", "compound", "unit"};
    for (int k = 0; k < 6; ++k) {
      auto value = OptionalString(item, keys[k], path);
      if (!value.ok()) return in_file(value.error());
      text[k] = value->value_or("");
    }
    const auto& [date, type, supplement, food, compound, unit] = text;
    e.date = date;
    if (e.date.empty()) return InvalidArgument(e.where + ": field 'date' is missing");
    MG_RETURN_IF_ERROR(SetType(e, type));
    if (!supplement.empty()) {
      e.kind = EntryKind::kSupplement;
      if (e.product_type == "food") e.product_type = "supplement";
      e.text = supplement;
    } else {
      e.text = food;
    }
    e.compound = compound;
    if (e.text.empty() && e.compound.empty()) {
      return InvalidArgument(e.where + ": field 'food' (or 'supplement') is missing");
    }
    if (e.text.empty()) e.text = e.compound;
    e.unit = unit;
    const json* amount = item.contains("amount") ? &item["amount"] : nullptr;
    std::string amount_as_written;
    if (amount != nullptr && amount->is_number()) {
      e.amount = amount->get<double>();
      amount_as_written = JsonExcerpt(*amount);
    } else if (amount != nullptr && amount->is_string()) {
      amount_as_written = amount->get<std::string>();
      std::string unit_in_amount;
      if (!SplitAmount(amount_as_written, e.amount, unit_in_amount)) {
        return BadField(e.where, "amount", amount_as_written, "is not a number");
      }
      if (e.unit.empty()) e.unit = unit_in_amount;
    } else if (amount != nullptr) {
      return InvalidArgument(
          fmt::format("{}: {}.amount: expected a number or a string like "
                      "\"30 g\", got {}",
                      name, path, DescribeJson(*amount)));
    } else {
      return InvalidArgument(e.where + ": field 'amount' is missing");
    }
    MG_RETURN_IF_ERROR(CheckAmount(e, "amount", amount_as_written));
    auto reported = OptionalNumberField(item, "magnesium_mg", path);
    if (!reported.ok()) return in_file(reported.error());
    e.reported_mg = *reported;
    MG_RETURN_IF_ERROR(CheckReportedMg(
        e, "magnesium_mg", e.reported_mg ? JsonExcerpt(item["magnesium_mg"]) : std::string()));
    diary.entries.push_back(std::move(e));
  }
  return diary;
}

Result<Diary> ParseCsvDiary(std::string_view text, const std::string& name) {
  CsvReader reader(text);
  std::vector<std::string> header;
  if (!reader.Next(header)) return InvalidArgument(name + ": empty diary");
  // MyFitnessPal's export has a row per meal with totals of the nutrients it tracks: no food
  // names and no magnesium column, so nothing in it can be counted. Said plainly rather than
  // failing on a missing "food" column, which would suggest the file only needs renaming.
  if (ColumnIndex(header, "Meal") >= 0 && ColumnIndex(header, "Calories") >= 0 &&
      ColumnIndex(header, "Food Name") < 0 && ColumnIndex(header, "food") < 0) {
    return InvalidArgument(
        name +
        ":1: this looks like a MyFitnessPal export (a row per meal with nutrient totals): it "
        "has no magnesium column and no food names, so there is nothing to count. Export "
        "\"Servings\" from Cronometer, or write date,food,amount,unit rows");
  }
  Diary diary;
  const bool cronometer = ColumnIndex(header, "Food Name") >= 0 && ColumnIndex(header, "Day") >= 0;
  diary.format = cronometer ? "cronometer" : "csv";
  int c_date, c_food, c_amount, c_unit, c_type = -1, c_compound = -1, c_mg = -1, c_category = -1;
  if (cronometer) {
    c_date = ColumnIndex(header, "Day");
    c_food = ColumnIndex(header, "Food Name");
    c_amount = ColumnIndex(header, "Amount");
    c_unit = ColumnIndex(header, "Unit");
    c_mg = ColumnIndex(header, "Magnesium (mg)");
    c_category = ColumnIndex(header, "Category");
    if (c_amount < 0) return InvalidArgument(name + ":1: Cronometer export lacks column 'Amount'");
  } else {
    c_date = ColumnIndex(header, "date");
    c_food = ColumnIndex(header, "food");
    if (c_food < 0) c_food = ColumnIndex(header, "name");
    c_amount = ColumnIndex(header, "amount");
    c_unit = ColumnIndex(header, "unit");
    c_type = ColumnIndex(header, "type");
    c_compound = ColumnIndex(header, "compound");
    c_mg = ColumnIndex(header, "magnesium_mg");
    for (auto [index, column] :
         {std::pair{c_date, "date"}, {c_food, "food"}, {c_amount, "amount"}}) {
      if (index < 0) {
        return InvalidArgument(name + ":1: missing column '" + column +
                               "' (expected header date,food,amount,unit[,type][,compound])");
      }
    }
  }
  std::vector<std::string> row;
  while (true) {
    if (!reader.Next(row)) {
      if (!reader.error().empty()) {
        return InvalidArgument(name + ":" + std::to_string(reader.line()) + ": " + reader.error());
      }
      break;
    }
    DiaryEntry e;
    e.where = name + ":" + std::to_string(reader.line());
    auto field = [&](int index) -> std::string {
      return index >= 0 && static_cast<size_t>(index) < row.size()
                 ? Trim(row[static_cast<size_t>(index)])
                 : std::string();
    };
    e.date = field(c_date);
    e.text = field(c_food);
    if (e.date.empty())
      return BadField(e.where, header[static_cast<size_t>(c_date)], "", "is empty");
    if (e.text.empty())
      return BadField(e.where, header[static_cast<size_t>(c_food)], "", "is empty");
    const std::string amount_text = field(c_amount);
    std::string unit_in_amount;
    if (!SplitAmount(amount_text, e.amount, unit_in_amount)) {
      return BadField(e.where, header[static_cast<size_t>(c_amount)], amount_text,
                      "is not an amount");
    }
    MG_RETURN_IF_ERROR(CheckAmount(e, header[static_cast<size_t>(c_amount)], amount_text));
    e.unit = c_unit >= 0 && !field(c_unit).empty() ? field(c_unit) : unit_in_amount;
    if (!cronometer) MG_RETURN_IF_ERROR(SetType(e, field(c_type)));
    e.compound = field(c_compound);
    if (cronometer && NormalizeName(field(c_category)) == "supplements") {
      e.kind = EntryKind::kSupplement;
      e.product_type = "supplement";
    }
    if (const std::string mg = field(c_mg); !mg.empty()) {
      auto value = ParseFiniteNumber(mg);
      if (!value) {
        return BadField(e.where, header[static_cast<size_t>(c_mg)], mg,
                        "is not a non-negative number");
      }
      e.reported_mg = *value;
      MG_RETURN_IF_ERROR(CheckReportedMg(e, header[static_cast<size_t>(c_mg)], mg));
    }
    diary.entries.push_back(std::move(e));
  }
  return diary;
}

// The amount of a supplement row as the one count reads amounts: magnesium itself unless the unit
// marks the compound's mass ("mg compound"), or units of a catalogued product ("tablets", "mL").
// The unit is parsed alone ("1 mg"), so no huge amount is ever written out as digits and a
// failure here is the unit's: the amount is already a checked positive number.
Result<products::StatedAmount> SupplementAmount(const DiaryEntry& e) {
  auto unit = products::ParseStatedAmount("1 " + e.unit);
  if (!unit.ok()) {
    return BadField(e.where, "unit", e.unit,
                    "is not a supplement amount unit (mg, g, mcg, mmol, mEq — magnesium itself, "
                    "as labels state it; 'mg compound' for the salt's mass; or units of a "
                    "product: tablets, capsules, mL, tsp)");
  }
  products::StatedAmount amount = std::move(unit).value();
  amount.value *= e.amount;
  amount.value_max = amount.value;
  amount.text = ShowAmount(e.amount) + " " + e.unit;
  return amount;
}

// `exported`: the diary is an app's export (Cronometer), where a supplement row with an empty
// magnesium cell and a brand the catalogue does not know is common and is not the person's typo:
// it is kept as unknown (listed, with why) instead of failing the whole export.
Status ResolveSupplement(ResolvedEntry& r, const products::Catalogue& catalogue,
                         const chem::CompoundCatalog& compounds, bool exported) {
  const DiaryEntry& e = r.entry;
  if (e.reported_mg) {
    r.magnesium_mg = e.reported_mg;
    r.match = "reported";
    return {};
  }
  auto amount = SupplementAmount(e);
  if (!amount.ok() && exported) {
    // An app's unit the count cannot read ("1.00 scoop" of a powder): kept as unknown, as below.
    r.magnesium_mg = std::nullopt;
    r.match = "unknown";
    r.reading = fmt::format(
        "not counted: the export gives no magnesium for it and '{} {}' is not an amount the "
        "count reads; add its magnesium to the export or log it with an amount of magnesium",
        ShowAmount(e.amount), e.unit);
    return {};
  }
  if (!amount.ok()) return amount.error();
  // The product as written when the catalogue knows it as a magnesium source (its label then
  // counts units), else the compound column, else the words as written.
  std::string name = e.text;
  products::Resolution resolution = products::ResolveTaken(catalogue, compounds, name);
  if (!(resolution.known() && resolution.ContainsMagnesium()) && !e.compound.empty()) {
    name = e.compound;
    resolution = products::ResolveTaken(catalogue, compounds, name);
    if (!resolution.known()) {
      // A compound named but not known is a typo to show, even when the amount would not need
      // it: never ignored.
      auto compound = compounds.Resolve(e.compound);
      return BadField(e.where, "compound", e.compound,
                      "— " + (compound.ok() ? std::string("is not in the medicines catalogue")
                                            : compound.error().message));
    }
  }
  auto count = products::CountWrittenIntake(catalogue, compounds, name, *amount);
  if (!count.ok() && exported) {
    r.magnesium_mg = std::nullopt;
    r.match = "unknown";
    r.reading = "not counted: the export gives no magnesium for it and " + count.error().message +
                "; add its magnesium to the export or log it with an amount of magnesium";
    return {};
  }
  if (!count.ok()) {
    return BadField(e.where, name == e.compound && name != e.text ? "compound" : "food", name,
                    "— " + count.error().message);
  }
  for (const products::Ingredient* ingredient : resolution.ingredients) {
    if (ingredient->contains_magnesium && !ingredient->compound_id.empty()) {
      r.compound_id = ingredient->compound_id;
      break;
    }
  }
  r.magnesium_mg = count->has_value() ? (*count)->elemental_mg_per_day : 0.0;
  if (count->has_value()) {
    r.reading = (*count)->reading;
    r.notes = (*count)->notes;
  }
  r.match = amount->kind == products::AmountKind::kCompound ? "compound"
            : amount->kind == products::AmountKind::kUnits  ? "units"
                                                            : "elemental";
  if (!resolution.ContainsMagnesium() && resolution.known()) r.match = "no magnesium";
  if (!(*r.magnesium_mg <= kMaxMagnesiumMgPerEntry)) {
    return BadField(e.where, "amount", ShowAmount(e.amount) + " " + e.unit,
                    fmt::format("is more than {} mg of magnesium, the most one entry can hold; "
                                "check the amount and the unit",
                                FormatNumber(kMaxMagnesiumMgPerEntry)));
  }
  return {};
}

Status ResolveFood(ResolvedEntry& r, const FoodDb& db, const FoodSearch& search,
                   const UnitTable& units) {
  const DiaryEntry& e = r.entry;
  if (e.reported_mg) {
    r.magnesium_mg = e.reported_mg;
    r.match = "reported";
    return {};
  }
  auto found = FindFood(db, search, e.text);
  if (!found.ok()) return BadField(e.where, "food", e.text, found.error().message);
  r.food = found->food;
  r.match = found->how;
  auto grams = GramsOf(*r.food, e.amount, e.unit, units);
  if (!grams.ok()) return InvalidArgument(e.where + ": field 'unit': " + grams.error().message);
  if (!(*grams <= kMaxFoodGramsPerEntry)) {
    return BadField(e.where, "amount", ShowAmount(e.amount) + " " + e.unit,
                    fmt::format("is more than {} g ({} kg) of one food, the most one entry can "
                                "hold; split it or check the unit",
                                FormatNumber(kMaxFoodGramsPerEntry),
                                FormatNumber(kMaxFoodGramsPerEntry / 1000)));
  }
  r.grams = *grams;
  r.magnesium_mg = r.food->MagnesiumIn(r.grams);
  return {};
}

std::vector<Change> Suggest(const FoodDb& db, double gap, const IntakeOptions& options,
                            bool by_kcal) {
  std::vector<Change> changes;
  RichestOptions ro;
  ro.limit = db.size();
  for (const RichFood& rich : RichestInMagnesium(db, options.exclusions, ro)) {
    if (rich.mg_per_serving <= 0) continue;
    // Whole or half portions.
    const double portions = std::ceil(gap / rich.mg_per_serving * 2.0) / 2.0;
    if (portions > kMaxSuggestedPortions) continue;
    const Food& f = *rich.food;
    Change c;
    c.food = &f;
    c.portions = portions;
    c.grams = portions * f.serving.grams;
    c.magnesium_mg = portions * rich.mg_per_serving;
    c.kcal = f.kcal ? *f.kcal * c.grams / 100.0 : 0;
    c.mg_per_portion = rich.mg_per_serving;
    c.mg_per_100kcal = rich.mg_per_100kcal;
    if (by_kcal && !f.kcal) continue;
    changes.push_back(c);
  }
  std::stable_sort(changes.begin(), changes.end(), [&](const Change& a, const Change& b) {
    // Fewest portions, then fewest calories (the smaller change); or the other way round.
    if (by_kcal) {
      if (a.kcal != b.kcal) return a.kcal < b.kcal;
      if (a.portions != b.portions) return a.portions < b.portions;
    } else {
      if (a.portions != b.portions) return a.portions < b.portions;
      if (a.kcal != b.kcal) return a.kcal < b.kcal;
    }
    return a.mg_per_portion > b.mg_per_portion;
  });
  if (changes.size() > options.suggestions) changes.resize(options.suggestions);
  return changes;
}

}  // namespace

Result<Diary> ParseDiary(std::string_view text, const std::string& name) {
  // Refused, not transcoded: see core/utf8.h for why a guessed encoding is worse than a message.
  MG_RETURN_IF_ERROR(CheckUtf8Document(text, name));
  size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size()) return InvalidArgument(name + ": empty diary");
  // The whole text, so JSON errors count lines and columns from its start.
  if (text[i] == '{' || text[i] == '[') return ParseJsonDiary(text, name);
  return ParseCsvDiary(text, name);
}

Result<IntakeAnalysis> AnalyzeIntake(const Diary& diary, const FoodDb& db, const FoodSearch& search,
                                     const products::Catalogue& catalogue,
                                     const chem::CompoundCatalog& compounds, const UnitTable& units,
                                     const IntakeTargets& targets, const IntakeOptions& options) {
  std::map<std::string, DayAnalysis> days;
  const bool exported = diary.format == "cronometer";
  for (const DiaryEntry& e : diary.entries) {
    ResolvedEntry r;
    r.entry = e;
    if (e.kind == EntryKind::kSupplement) {
      MG_RETURN_IF_ERROR(ResolveSupplement(r, catalogue, compounds, exported));
    } else {
      // A food row that names a magnesium source the medicines catalogue knows (a salt,
      // "milk of magnesia", "Natural Calm") in an amount the count reads (mg, or units of the
      // product) is a supplement, antacid or laxative: every source the person names counts.
      bool as_supplement = false;
      if (!e.reported_mg) {
        const products::Resolution taken = products::ResolveTaken(catalogue, compounds, e.text);
        if (taken.known() && taken.ContainsMagnesium() &&
            products::ParseStatedAmount("1 " + e.unit).ok()) {
          r.entry.kind = EntryKind::kSupplement;
          r.entry.product_type = "supplement";
          for (const products::Product* product : taken.products) {
            if (product->contains_magnesium()) {
              r.entry.product_type = std::string(products::ToString(product->use));
              break;
            }
          }
          as_supplement = true;
        }
      }
      if (as_supplement) {
        MG_RETURN_IF_ERROR(ResolveSupplement(r, catalogue, compounds, exported));
      } else {
        MG_RETURN_IF_ERROR(ResolveFood(r, db, search, units));
      }
    }
    DayAnalysis& day = days[e.date];
    day.date = e.date;
    const double mg = r.magnesium_mg.value_or(0);
    if (r.entry.kind == EntryKind::kSupplement) {
      day.supplement_mg += mg;
    } else {
      day.food_mg += mg;
      if (!r.magnesium_mg && r.food != nullptr) day.unknown_magnesium.push_back(r.food->name);
    }
    day.entries.push_back(std::move(r));
  }
  IntakeAnalysis analysis;
  analysis.targets = targets;
  for (auto& [date, day] : days) {
    day.total_mg = day.food_mg + day.supplement_mg;
    // Top foods, summing repeated foods.
    std::vector<Contribution> contributions;
    for (const ResolvedEntry& r : day.entries) {
      if (r.entry.kind != EntryKind::kFood || !r.magnesium_mg) continue;
      auto same = std::find_if(contributions.begin(), contributions.end(), [&](const auto& c) {
        return r.food != nullptr ? c.food == r.food : (c.food == nullptr && c.text == r.entry.text);
      });
      if (same == contributions.end()) {
        contributions.push_back({r.food, r.entry.text, *r.magnesium_mg});
      } else {
        same->magnesium_mg += *r.magnesium_mg;
      }
    }
    std::stable_sort(contributions.begin(), contributions.end(),
                     [](const auto& a, const auto& b) { return a.magnesium_mg > b.magnesium_mg; });
    if (contributions.size() > options.top_foods) contributions.resize(options.top_foods);
    day.top_foods = std::move(contributions);
    if (targets.intake_mg) {
      day.gap_mg = std::max(0.0, *targets.intake_mg - day.total_mg);
      if (*day.gap_mg > 0) {
        day.by_portion = Suggest(db, *day.gap_mg, options, false);
        day.by_kcal = Suggest(db, *day.gap_mg, options, true);
      }
    }
    day.supplements_over_ul =
        targets.supplemental_ul_mg && day.supplement_mg > *targets.supplemental_ul_mg;
    analysis.days.push_back(std::move(day));
  }
  return analysis;
}

IntakeTargets TargetsFor(const dri::Values& values) {
  IntakeTargets t;
  t.label = values.row->label + " (" + values.set->name + ")";
  t.intake_mg = values.row->intake_mg;
  t.intake_kind = values.row->intake_kind.empty() ? "RDA" : values.row->intake_kind;
  t.ear_mg = values.row->ear_mg;
  t.supplemental_ul_mg = values.row->ul_supplemental_mg;
  return t;
}

}  // namespace mg::foods
