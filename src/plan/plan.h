// The plan engine: from a person's resolved profile and the loaded knowledge, a deterministic,
// explained magnesium plan — safety first, never above the supplemental upper limit.
//
// BuildPlan() is a pure function: no I/O, no clock, no globals. Everything it needs comes in
// through PlanContext (loaded once) and Profile (resolved from a file or flags by profile.h). That
// is what makes the exhaustive safety tests (plan_safety_test.cc) cheap.
//
//   auto context = PlanContext::Load(std::nullopt);          // KB, compounds, DRIs, foods, policy
//   auto profile = ResolveProfile(raw_profile, *context);    // names → ids, errors name fields
//   Plan plan = BuildPlan(*profile, *context);
//   std::string json = RenderPlan(plan, *context, Format::kJson);
//
// Safety invariants (tested over a grid of profiles, not by example):
//   - existing + planned supplemental magnesium never exceeds the person's supplemental UL;
//     no supplement where the UL is not established (infants; EU under 4);
//   - no supplement when a contraindication with action no_supplement/clinician_first fires,
//     or an interacting medicine needs the prescriber's review, or a red flag is an emergency;
//   - every interacting medicine appears in `interactions` and every dose keeps its spacing;
//   - any red flag puts a referral first; every finding cites at least one source.
#ifndef MGADVISOR_PLAN_PLAN_H_
#define MGADVISOR_PLAN_PLAN_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/enum_names.h"
#include "core/error.h"
#include "core/json_writer.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "kb/kb.h"
#include "products/catalogue.h"

namespace mg::plan {

// ---- Policy (data/plan/policy.toml): judgement calls kept as reviewable data. ----

enum class VerdictPolicy { kRecommend, kTrial, kDoNotRecommend };
inline constexpr EnumName<VerdictPolicy> kVerdictPolicyNames[] = {
    {"recommend", VerdictPolicy::kRecommend},
    {"trial", VerdictPolicy::kTrial},
    {"do_not_recommend", VerdictPolicy::kDoNotRecommend}};

struct Policy {
  std::map<kb::Verdict, VerdictPolicy> verdict;
  kb::Certainty min_certainty_to_recommend = kb::Certainty::kLow;
  double default_target_mg = 200;
  double start_mg = 100;
  double weekly_step_mg = 100;
  double split_above_mg = 150;
  double round_to_mg = 25;
  double min_useful_mg = 25;
  double night_dose_hour = 21, evening_meal_hour = 19, morning_hour = 8;
  double earliest_hour = 6, latest_hour = 23, step_hours = 0.5;
  double min_hours_between_doses = 4, default_medicine_hour = 8;
  std::vector<std::string> form_preference;           // KB form ids, most preferred first.
  std::vector<std::string> laxative_form_preference;  // For constipation.
  double compound_mg_per_pill = 1000;
  std::map<std::string, std::string> form_reasons;  // Form id → why it suits, for people.
  // [product]: the smallest amount of a product's unit a person can measure ("mL" → 1, "scoop"
  // → 0.5); a unit not listed is taken whole (pills are never split: many must not be).
  std::map<std::string, double, std::less<>> product_measure_steps;
  // [food]: what the food list may show.
  std::vector<std::string> never_suggest_tags;  // Food tags that are not food people eat.
  double food_list_from_age_months = 12;        // Younger: milk and weaning advice, no list.
  // A kidney diet (potassium, phosphorus) is the renal team's: no food list when it may apply.
  double renal_diet_egfr_below = 45;
  int renal_diet_ckd_stage_at_least = 4;
  std::vector<std::string> renal_diet_diagnoses;  // KB diagnosis ids ("dialysis").
  // [food] ranking: magnesium per portion, counted in full only from this much per 100 kcal and
  // in proportion below it, so a calorie-heavy portion does not win on size alone.
  double food_full_score_from_mg_per_100kcal = 40;
  double food_portion_kcal_at_most = 250;  // A larger portion is not a small change.
  int foods_per_group_first = 1;           // Each group's best first, for variety...
  int foods_per_group_at_most = 2;         // ...then a second from a group while the list is short.
  // [[food_group]]: the food groups the list draws from, each a set of foods.csv categories; a
  // category in no group (sweets, drinks, condiments) is not suggested.
  struct FoodGroup {
    std::string name;
    std::vector<std::string> categories;
    int line = 0;  // Where `categories` is written, for the checks against foods.csv.
    bool operator==(const FoodGroup&) const = default;
  };
  std::vector<FoodGroup> food_groups;
  // [children]: a laxative dose for a child is set by a clinician, below this age.
  double clinician_set_laxative_below_years = 18;
  // [children]: adult-only measures (kb::Measure::adults_only) are left out below this age, and
  // the evidence's studied doses are said to be adults' doses.
  double adult_measures_from_years = 18;
  // [risk_groups]: medicines (KB interaction ids) and diagnoses that can lower blood magnesium,
  // potassium or calcium: a referral to check them, sooner with a complaint that can be a sign.
  std::vector<std::string> risk_interactions;
  std::vector<std::string> risk_diagnoses;
  std::vector<std::string> risk_sooner_for_conditions;
  // [iron]: ferritin and iron deficiency drive the advice for these complaints (restless legs).
  std::vector<std::string> iron_conditions;
  double adult_ferritin_at_or_below_ug_l = 75;
  double child_ferritin_below_ug_l = 50;
  double iron_child_below_years = 18;
  // [[aggravating_medicines]]: medicines (catalogue ingredient ids) that can bring on or worsen
  // a complaint, named for the person who takes one.
  struct AggravatingMedicines {
    std::string condition_id;
    std::string group;  // In words, with its article: "an antidepressant".
    std::vector<std::string> ingredient_ids;
    int line = 0;  // Where `ingredients` is written, for the check against the catalogue.
    bool operator==(const AggravatingMedicines&) const = default;
  };
  std::vector<AggravatingMedicines> aggravating_medicines;
  // [complaints]: complaints that need a diagnosis first (low magnesium): a referral, no
  // self-care supplement.
  std::vector<std::string> refer_instead_of_self_care;

  bool operator==(const Policy&) const = default;
};

// A curated food the plan's list may suggest (food_ranking.h), with the position of its food
// group in Policy::food_groups.
struct RankedFood : foods::RichFood {
  size_t group = 0;
};

// data/plan/child_portions.toml: a child's portion as a fraction of the usual (adult) one.
struct ChildPortions {
  struct Band {
    double from_years = 0, below_years = 0;
    double factor = 1;
    std::string words;  // "two-fifths"
    bool operator==(const Band&) const = default;
  };
  std::vector<Band> bands;  // Ordered, not overlapping.
  double whole_nuts_from_years = 5;
  std::string nut_category;               // foods.csv category of nuts and seeds.
  std::vector<std::string> spread_words;  // Names of smooth spreads of that category.
  // The band for an age; nullptr for an adult (or a baby, who gets no list).
  const Band* For(double age_years) const;
  bool operator==(const ChildPortions&) const = default;
};

struct FoodFrequencyItem {
  std::string id;
  std::string question;
  double magnesium_mg = 0;  // Per serving.
  std::string example;
  bool operator==(const FoodFrequencyItem&) const = default;
};

// ---- The warning and referral texts (data/plan/messages.toml), reviewed as data. ----

// One text the engine writes: the rule id it records when it does, and the values the text may
// use as {placeholders}.
struct MessageSpec {
  std::string_view rule;
  std::vector<std::string_view> args;
};
// Every text the engine needs; messages.toml must give each exactly once.
const std::vector<MessageSpec>& MessageSpecs();

struct Messages {
  std::map<std::string, std::string, std::less<>> text;  // Rule id → text with {placeholders}.

  bool operator==(const Messages&) const = default;
  // The binary form of core/archive.h, and back; nullopt when `bytes` is not one.
  std::string Encode() const;
  static std::optional<Messages> Decode(std::string_view bytes);
};

// The loaders of data/plan/*.toml. Errors: kDataError with every problem, file:line each
// (unknown keys, values out of range, forms the knowledge base lacks, texts whose placeholders
// the engine does not supply).
Result<Policy> ParsePolicy(const DataFile& file, const kb::KnowledgeBase& kb);
Result<std::vector<FoodFrequencyItem>> ParseFoodFrequency(const DataFile& file);
Result<Messages> ParseMessages(const DataFile& file);
// data/plan/messages.toml: the built-in snapshot "plan-messages" when one is installed (core/
// precompiled.h; the data compiler made it with ParseMessages, which formats every text once to
// check its placeholders), else the file through ParseMessages.
Result<Messages> LoadEmbeddedMessages();
Result<ChildPortions> ParseChildPortions(const DataFile& file, const kb::KnowledgeBase& kb);
// The policy's references into other data: every [[aggravating_medicines]] ingredient must be in
// the medicines catalogue, every [[food_group]] category a category of the food table (a misspelt
// one would silently drop a whole group). Returns one "file:line: ..." problem each; empty when
// all resolve. `policy_file` is the name the problems carry. Used by PlanContext and data lint.
std::vector<std::string> CheckPolicyReferences(const Policy& policy, const std::string& policy_file,
                                               const products::Catalogue& catalogue,
                                               const foods::FoodDb& foods);

// The plan document's JSON of knowledge-base objects it shows whole, one per element of the
// knowledge base's vector of the same name, written once when the context is assembled rather
// than on every plan (render.h; issue 20).
struct PrewrittenJson {
  std::vector<JsonFragment> citations, measures, red_flags;
  // The sources each finding, measure, red flag and side effect cites, as positions in the
  // citations sorted by id (`citations_by_id` gives each position's element of kb.citations):
  // the plan's "sources" list is then a sort of small integers, not of strings looked up one
  // by one.
  std::vector<std::vector<uint32_t>> sources_of_findings, sources_of_measures, sources_of_red_flags,
      sources_of_side_effects;
  std::vector<uint32_t> citations_by_id;
  // Each ranked food (PlanContext::foods_by_magnesium) as an adult's food suggestion, and for
  // each food of the context's table its position among them (kNotRanked when it has none): the
  // foods a plan suggests are mostly these, with the same numbers.
  static constexpr uint32_t kNotRanked = UINT32_MAX;
  std::vector<JsonFragment> ranked_foods;
  std::vector<uint32_t> ranked_food_of;
};

// Everything loaded once and shared by every plan. Immutable after Load(); thread-safe to share.
struct PlanContext {
  kb::KnowledgeBase kb;
  chem::CompoundCatalog compounds;
  dri::ReferenceTables references;
  foods::FoodDb foods;
  foods::Exclusions exclusions;
  Policy policy;
  ChildPortions child_portions;
  std::vector<FoodFrequencyItem> food_frequency;
  // Curated foods the list may suggest, best first by the policy's score (magnesium per portion
  // and per 100 kcal, see food_ranking.h), without exclusions: computed once so plans only
  // filter it and pick by food group.
  std::vector<RankedFood> foods_by_magnesium;

  Messages messages;
  // The medicines and products catalogue: every medicine a profile names resolves through it
  // (brands, abbreviations, combinations), and every magnesium-containing one is counted.
  products::Catalogue catalogue;
  PrewrittenJson prewritten_json;  // By PrewriteJson(); empty until then.

  // Errors: whatever the loaders report (kDataError with file:line, kNotFound).
  static Result<std::unique_ptr<PlanContext>> Load(const std::optional<std::string>& kb_dir);
  // The same from pieces already loaded (ops::Context loads each piece once for every command),
  // adding the plan's own data: the curated foods, policy, food-frequency items and messages.
  // `built_in`: the pieces are the built-in ones (no `--kb DIR`). The plan's own data then
  // comes from the built-in snapshot "plan", which the data compiler made from these same pieces
  // (EncodePlanData) and checked, instead of being parsed, checked and ranked again (~0.65 M
  // instructions, an eighth of `plan`'s start-up; issue 20).
  static Result<std::unique_ptr<PlanContext>> Assemble(
      kb::KnowledgeBase kb, chem::CompoundCatalog compounds, dri::ReferenceTables references,
      foods::Exclusions exclusions, products::Catalogue catalogue, bool built_in = false);

  // The plan's own data (policy, child portions, food-frequency items, ranked foods) in the
  // binary form of core/archive.h; DecodePlanData reads it back into a context holding the same
  // food table (ranked foods are kept as positions in it) and is false when `bytes` is not one.
  std::string EncodePlanData() const;
  bool DecodePlanData(std::string_view bytes);
  // True when both contexts hold the same plan data (ranked foods compared by position).
  bool SamePlanData(const PlanContext& other) const;

  // Writes `prewritten_json`, before the context is shared. Worth it where many plans are
  // rendered (a server: half of each plan document's JSON is then copied), not for one plan:
  // it costs several times what rendering one plan does.
  void PrewriteJson();
};

// ---- Profile: a person's situation with every name resolved to a knowledge-base id. ----

struct Complaint {
  std::string condition_id;
  std::optional<int> severity;  // 0-10 when given.
};

struct MedicineTaken {
  std::string name;            // As the person wrote it.
  std::string interaction_id;  // "" when the medicine is not in the knowledge base.
  std::vector<double> hours;   // Times of day taken (hours from midnight).
  bool hours_assumed = false;  // True when the profile gave no time.
  // The catalogue's ingredient ids of what was named (empty when the catalogue does not know it).
  std::vector<std::string> ingredient_ids;
};

// Magnesium already taken — supplements, antacids, laxatives, magnesium-containing medicines —
// as products::CountMagnesium read it.
struct MagnesiumTaken {
  std::string kind;  // "supplement", "antacid", "laxative" or "medicine".
  std::string compound_id;
  double elemental_mg_per_day = 0;
  // How the amount was read, for people: "milk of magnesia: no amount given: the label's usual
  // dose ... is assumed: 1000 mg magnesium each time × 1/day = 1000 mg magnesium/day (laxative)".
  std::string description;
  bool assumed = false;            // The label's usual dose was assumed (no amount given).
  std::vector<std::string> notes;  // From the count, e.g. above the label's daily maximum.

  bool operator==(const MagnesiumTaken&) const = default;
};

enum class RoutePreference { kAny, kOral, kTopical, kFoodOnly };

// A labelled product the person wants to take the plan's magnesium as (profile "product", or
// `plan --product FILE`), read by products::ReadLabel. The plan doses in whole units of it (or
// in the measurable steps of a liquid or powder) and prices it when a price is known.
struct ProductChoice {
  std::string name;                       // As the person named it, or "your product".
  std::vector<std::string> compound_ids;  // Magnesium salts on the label (catalogue ids).
  double elemental_mg_per_unit = 0;       // > 0: a label that hides it is refused at resolve.
  std::string unit;                       // "capsule", "tablet", "mL", "scoop"...
  std::optional<double> price_per_unit;
  std::string currency;      // "USD", "GBP"...; "" when the price has none.
  std::string price_source;  // Where the price came from, for people ("the label", "you").
  std::vector<std::string> label_warnings;  // The label reader's warnings, for people.
  // The label's directions: the most units a day it allows ("do not exceed 4 capsules a day"),
  // a limit the plan keeps; and its suggested use (the most per dose times the most doses a
  // day), which the plan only mentions when it gives more.
  std::optional<double> label_max_units_per_day;
  std::optional<double> label_suggested_units_per_day;
};

struct Profile {
  dri::Person person;
  dri::Reference reference = dri::Reference::kUs;
  std::vector<Complaint> complaints;
  std::optional<double> egfr;    // mL/min/1.73 m2.
  std::optional<int> ckd_stage;  // 1-5.
  std::vector<std::string> diagnosis_ids;
  std::vector<MedicineTaken> medicines;
  std::vector<MagnesiumTaken> magnesium_taken;
  std::optional<double> diet_mg_per_day;  // Estimate, or the food-frequency lower bound.
  bool diet_is_lower_bound = false;       // True when scored from the food-frequency answers.
  std::vector<std::string> red_flag_ids;
  RoutePreference route = RoutePreference::kAny;
  bool sensitive_stomach = false;
  std::optional<int> max_pills_per_day;
  foods::ExclusionSet food_exclusions;
  std::optional<ProductChoice> product;
  std::optional<double> ferritin_ug_l;    // Serum ferritin, µg/L (the same number as ng/mL).
  bool iron_deficiency = false;           // A clinician has found iron deficiency.
  std::optional<double> gestation_weeks;  // Completed weeks of pregnancy, when known.
};

// ---- The plan. ----

struct Referral {
  kb::Urgency urgency = kb::Urgency::kRoutine;
  std::string reason;
  std::string source_id;  // Red flag, contraindication or interaction id.

  bool operator==(const Referral&) const = default;
};

struct Dose {
  double hour = 0;  // Time of day, hours from midnight.
  double elemental_mg = 0;
  double compound_mg = 0;  // 0 when a product holds several salts (no one compound mass).
  double units = 0;        // Units of the person's product; 0 without a product.

  bool operator==(const Dose&) const = default;
};

struct TitrationStep {
  int week = 1;  // From this week on (the last step lasts).
  double daily_elemental_mg = 0;
  double daily_units = 0;  // Units of the person's product; 0 without a product.

  bool operator==(const TitrationStep&) const = default;
};

// How the plan uses the person's product.
struct ProductUse {
  std::string name;
  std::string unit;
  double elemental_mg_per_unit = 0;
  double units_per_day = 0;
  std::optional<double> cost_per_day;  // With price_per_unit.
  std::string currency;
  std::string price_source;
  std::vector<std::string> label_warnings;  // What the label reader warned about.

  bool operator==(const ProductUse&) const = default;
};

struct Supplement {
  std::string form_id;      // KB form id: "citrate".
  std::string compound_id;  // Catalogue id: "citrate".
  kb::Route route = kb::Route::kOral;
  double daily_elemental_mg = 0;
  double daily_compound_mg = 0;
  std::vector<Dose> doses;  // Sum of elemental_mg == daily_elemental_mg.
  std::vector<TitrationStep> titration;
  int estimated_pills_per_day = 0;
  bool is_trial = false;              // Offered as an n-of-1 trial, not as evidence-backed.
  std::vector<std::string> reasons;   // Why this form and dose.
  std::optional<ProductUse> product;  // Dosed in units of the person's product.

  bool operator==(const Supplement&) const = default;
};

struct InteractionNote {
  std::string medicine;        // As the person wrote it.
  std::string interaction_id;  // Class id.
  kb::InteractionAction action = kb::InteractionAction::kSeparate;
  std::optional<double> mg_hours_before_medicine;
  std::optional<double> mg_hours_after_medicine;
  std::vector<double> medicine_hours;
  bool medicine_hours_assumed = false;
  std::string rule;  // The spacing rule in words.

  bool operator==(const InteractionNote&) const = default;
};

struct FindingNote {
  std::string condition_id;
  const kb::Finding* finding = nullptr;  // Oral finding; nullptr when the KB has none.
  VerdictPolicy policy = VerdictPolicy::kDoNotRecommend;
  std::optional<int> severity;
  // For a child: the finding's doses were studied in adults and are not a child's dose ("" for
  // an adult, or a finding without a dose).
  std::string caveat;

  bool operator==(const FindingNote&) const = default;
};

struct FoodSuggestion {
  const foods::Food* food = nullptr;
  double magnesium_per_serving_mg = 0;         // Per the person's portion (a child's when `child`).
  double magnesium_per_100kcal_mg = 0;         // 0 when the food's energy is unknown.
  double portion_g = 0;                        // The person's portion in grams.
  const ChildPortions::Band* child = nullptr;  // Set for a child's portion.

  bool operator==(const FoodSuggestion&) const = default;
};

// The red flags to ask about for one complaint (kb::Condition red flags, the pregnancy-only ones
// only in pregnancy): every output format shows each question with what to do.
struct SafetyNet {
  std::string condition_id;
  std::vector<const kb::RedFlag*> red_flags;

  bool operator==(const SafetyNet&) const = default;
};

struct Totals {
  std::optional<double> ul_supplemental_mg;  // nullopt: not established.
  double existing_supplemental_mg = 0;
  double planned_supplemental_mg = 0;
  std::optional<double> intake_target_mg;  // RDA or AI.
  std::optional<double> ear_mg;
  std::optional<double> diet_mg;
  bool diet_is_lower_bound = false;   // Scored from the food-frequency answers: at least this.
  std::optional<double> diet_gap_mg;  // Target minus diet, when both are known and positive.

  bool operator==(const Totals&) const = default;
};

// A profile field the plan read that changed nothing in it: said so, so that no input is silently
// ignored ("ferritin 40 µg/L: noted; it does not change magnesium advice here").
struct NotedField {
  std::string field;  // The profile field's path: "ferritin_ug_l", "medicines[1]".
  std::string what;   // In words: "ferritin 40 µg/L", "sertraline".

  bool operator==(const NotedField&) const = default;
};

struct Plan {
  const dri::Row* reference_row = nullptr;
  const dri::ReferenceSet* reference_set = nullptr;
  std::vector<Referral> referrals;  // Most urgent first.
  bool supplement_withheld_for_safety = false;
  std::optional<Supplement> supplement;
  std::vector<InteractionNote> interactions;
  std::vector<FindingNote> findings;
  std::vector<SafetyNet> safety_net;  // One per complaint that has red flags, in complaint order.
  std::vector<FoodSuggestion> foods;
  std::string food_note;        // Why there is no food list and what to do instead ("" = a list).
  bool suggests_trial = false;  // The follow-up offers an n-of-1 trial (only with a supplement).
  std::string follow_up;        // "Does it work for you?": how to follow the plan up.
  std::vector<const kb::Measure*> measures;
  std::vector<const kb::SideEffect*> watch_for;
  std::vector<std::string> warnings;
  std::vector<std::string> rules_fired;
  Totals totals;
  std::vector<std::string> unknown_medicines;
  // The magnesium already taken that the totals count, each with how its amount was read.
  std::vector<MagnesiumTaken> magnesium_taken;
  // Fields of the profile that had no effect on this plan (NoteFieldsWithoutEffect).
  std::vector<NotedField> noted_without_effect;

  // Member by member, pointers by address: NoteFieldsWithoutEffect compares plans with it.
  bool operator==(const Plan&) const = default;
};

// What the plan does for a finding: the verdict's policy, with "recommend" downgraded to "trial"
// when the finding's certainty is below the policy's minimum.
VerdictPolicy PolicyFor(const kb::Finding& finding, const Policy& policy);

// Whether BuildPlan records the rules it applied (Plan::rules_fired). A plan that is only
// compared with another (NoteFieldsWithoutEffect) has no use for them.
enum class Trace { kRecord, kSkip };

// Builds the plan. Pure and deterministic. REQUIRES: `profile` came from ResolveProfile with
// the same `context` (ids resolve).
Plan BuildPlan(const Profile& profile, const PlanContext& context, Trace trace = Trace::kRecord);

// Lists in `plan.noted_without_effect` every field of `profile` (each complaint, medicine,
// diagnosis and red flag on its own) whose removal leaves the plan, as the person reads it, the
// same: the plan is built again without that field and compared. `plan` must be
// BuildPlan(profile, context). A field at its default value (pregnant: false) counts as not given.
// Age is never listed: it chooses the reference values every plan shows.
void NoteFieldsWithoutEffect(const Profile& profile, const PlanContext& context, Plan& plan);
// True only when BuildPlan(without, context) is sure to be shown differently from `plan`
// (= BuildPlan(profile, context)), judged from `without` alone: its reference values, findings,
// medicine notes, diet or magnesium already taken differ. False says nothing.
// NoteFieldsWithoutEffect's shortcut, exposed for tests.
bool SurelyShownDifferently(const Profile& without, const Plan& plan, const PlanContext& context);

// What an n-of-1 trial may test: the plan's daily elemental dose and compound, so a trial never
// tests more magnesium than the plan allows (supplemental UL, contraindications, interactions).
struct TrialDose {
  double dose_mg = 0;
  std::string form;  // Catalogue compound id, e.g. "citrate".
};
// `requested_mg` may lower the plan's dose, never raise it. Errors: kUnsafe when the plan gives
// no supplement (the message lists its referrals and warnings) or `requested_mg` is above the
// plan's dose; kInvalidArgument when `requested_mg` is not positive. Messages name "dose".
Result<TrialDose> TrialDoseFromPlan(const Plan& plan, std::optional<double> requested_mg);

// True when a magnesium dose at `mg_hour` stays outside the window (medicine - before, medicine +
// after), measured around the clock because both repeat daily. A one-sided rule is applied on
// both sides. Checks the spacing from a
// medicine taken at `medicine_hour` (both hours from midnight, repeating daily).
bool KeepsSpacing(double mg_hour, double medicine_hour, std::optional<double> hours_before,
                  std::optional<double> hours_after);

std::string FormatHour(double hour);  // 21.5 → "21:30"

}  // namespace mg::plan

#endif  // MGADVISOR_PLAN_PLAN_H_
