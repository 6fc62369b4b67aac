// Intake analysis: how much magnesium a food diary gives, per day, from food and from supplements
// (including antacids and laxatives) separately, against a person's reference intakes and the
// supplemental upper level; which foods contribute most; and the smallest food changes that
// close the gap, honouring exclusions.
//
// Diaries (ParseDiary detects the format):
//   * CSV with a header: date,food,amount,unit[,type][,compound]. `type` is food (default),
//     supplement, antacid or laxative; for those, `compound` may name the magnesium compound
//     (e.g. "magnesium citrate"). Amounts mean what labels mean, as in the plan (one count,
//     products::CountWrittenIntake): "400,mg" is elemental magnesium, as a Supplement Facts line
//     states it ("mg elemental" says so out loud); "400,mg compound" is the salt's mass; "2,
//     tablets" or "30,mL" are units of a catalogued product (milk of magnesia, Maalox...). A
//     row whose food the medicines catalogue knows as a magnesium source (e.g. "magnesium
//     glycinate,200,mg" or "milk of magnesia,30,mL") is a supplement, antacid or laxative too.
//   * Cronometer "servings" export (Day,Time,Group,Food Name,Amount[,Unit],...,Magnesium (mg),...,
//     Category): Cronometer's own magnesium figure is used when present; Category "Supplements"
//     counts as supplement. A supplement row with an empty magnesium cell is counted through the
//     catalogue ("2.00 tablet" of a product it knows), else kept as unknown with the reason
//     (match "unknown", magnesium null) rather than failing the whole export.
//   * JSON: {"entries": [{"date", "food" | "supplement", "amount", "unit", "type", "compound"}]}
//     or a bare array of such entries.
// Foods are matched by source id ("sr28:12061"), else by search; every search match is reported
// so a person can confirm it.
//
// Pure: no I/O; callers pass the loaded food data, compound catalogue and reference values.
#ifndef MGADVISOR_FOODS_INTAKE_H_
#define MGADVISOR_FOODS_INTAKE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/error.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/search.h"
#include "foods/units.h"
#include "products/catalogue.h"

namespace mg::foods {

enum class EntryKind { kFood, kSupplement };

// Bounds on one diary entry. Beyond them a number is a typo (or an attack), not something eaten,
// and an analysis built on it would mislead. 5 kg of one food is far above any meal and equals
// what POST /api/journal/foods accepts for one entry; 5000 mg of magnesium is the journal's own
// bound for one entry (journal::ValidateEntry), about 14 times the supplemental upper level and
// above the largest laxative doses (a 300 mL bottle of magnesium citrate solution holds about
// 2.8 g), so a real entry is never refused.
inline constexpr double kMaxFoodGramsPerEntry = 5000;
inline constexpr double kMaxMagnesiumMgPerEntry = 5000;

struct DiaryEntry {
  std::string where;  // "diary.csv:4" or "diary.json: entries[3]", for messages.
  std::string date;
  EntryKind kind = EntryKind::kFood;
  std::string product_type = "food";  // food, supplement, antacid, laxative
  std::string text;                   // Food or product name as written.
  std::string compound;               // Supplements: the compound, when given separately.
  double amount = 0;
  std::string unit;
  std::optional<double> reported_mg;  // Magnesium the source app computed (Cronometer).
};

struct Diary {
  std::string format;  // "csv", "cronometer", "json"
  std::vector<DiaryEntry> entries;
};

// Errors: kInvalidArgument naming name:line, the field and the value (missing column, bad
// number, a negative amount, bad type), and text that is not UTF-8 (name:line:column, the byte
// offset and the encoding it looks like: it is refused, not guessed, see core/utf8.h).
Result<Diary> ParseDiary(std::string_view text, const std::string& name);

// What the person should get; from dri::ReferenceTables in the CLI.
struct IntakeTargets {
  std::string label;                // "Females 31-50 years (US IOM 1997)".
  std::optional<double> intake_mg;  // RDA or AI.
  std::string intake_kind = "RDA";  // "RDA" or "AI".
  std::optional<double> ear_mg;
  std::optional<double> supplemental_ul_mg;  // nullopt: not established.
};
// From a person's reference values. REQUIRES: values.set and values.row are set.
IntakeTargets TargetsFor(const dri::Values& values);

struct ResolvedEntry {
  DiaryEntry entry;
  const Food* food = nullptr;  // Foods only.
  // Foods: "source", "exact", "search" or "reported". Supplements: how the amount was read —
  // "elemental", "compound", "units", "no magnesium" (a catalogued product without any) or
  // "reported".
  std::string match;
  double grams = 0;                    // Foods only (0 when the app reported magnesium itself).
  std::optional<double> magnesium_mg;  // nullopt: the food has no magnesium value.
  std::string compound_id;             // Supplements: resolved compound ("citrate").
  std::string reading;                 // Supplements: how the amount was read, for people.
  std::vector<std::string> notes;      // Supplements: e.g. above the label's daily maximum.
};

struct Contribution {
  const Food* food = nullptr;
  std::string text;  // As written when no food is known (reported values).
  double magnesium_mg = 0;
};

struct Change {
  const Food* food = nullptr;
  double portions = 0;  // How many usual portions close the gap (whole or half).
  double grams = 0;
  double magnesium_mg = 0;  // What those portions add.
  double kcal = 0;
  double mg_per_portion = 0;
  double mg_per_100kcal = 0;
};

struct DayAnalysis {
  std::string date;
  double food_mg = 0;
  double supplement_mg = 0;
  double total_mg = 0;
  std::vector<ResolvedEntry> entries;
  std::vector<Contribution> top_foods;
  std::optional<double> gap_mg;    // To the RDA/AI; 0 when met; nullopt without target.
  std::vector<Change> by_portion;  // Fewest portions of one food that close the gap.
  std::vector<Change> by_kcal;     // Fewest calories added that close the gap.
  bool supplements_over_ul = false;
  std::vector<std::string> unknown_magnesium;  // Foods eaten whose magnesium USDA does not give.
};

struct IntakeOptions {
  size_t top_foods = 5;
  size_t suggestions = 5;
  ExclusionSet exclusions;
};

struct IntakeAnalysis {
  std::vector<DayAnalysis> days;  // In date order.
  IntakeTargets targets;
};

// Errors: kInvalidArgument naming the entry (file:line), the field and the value when a food
// matches nothing, a unit does not apply, a product or compound is unknown and the amount is not
// magnesium itself, or an entry is above kMaxFoodGramsPerEntry / kMaxMagnesiumMgPerEntry (the
// message states the bound).
Result<IntakeAnalysis> AnalyzeIntake(const Diary& diary, const FoodDb& db, const FoodSearch& search,
                                     const products::Catalogue& catalogue,
                                     const chem::CompoundCatalog& compounds, const UnitTable& units,
                                     const IntakeTargets& targets,
                                     const IntakeOptions& options = {});

}  // namespace mg::foods

#endif  // MGADVISOR_FOODS_INTAKE_H_
