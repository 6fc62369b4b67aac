// The knowledge base: what is actually known about magnesium for muscle, leg and nerve complaints.
//
// Every claim lives as data in data/kb/*.toml (embedded into the binary; `--kb DIR` overrides)
// and is loaded into the plain structs below: conditions with their common names, evidence
// findings (condition x route -> verdict + GRADE-style certainty + dose studied + citations),
// forms and routes, mechanisms (correct ones and the common wrong versions), medicine
// interactions with machine-readable spacing, contraindications with machine-readable triggers
// and actions, red flags with urgency, complementary measures with their own grades, side
// effects, recognised diagnoses and citations. LoadKnowledgeBase() validates everything (unknown
// keys, missing fields, duplicate ids, dangling references, uncited findings, values outside the
// allowed sets) and fails with `file:line: message` errors.
//
// The plan engine reads this base; it never edits it. A loaded KnowledgeBase is immutable in
// practice: all lookup helpers are const and safe to call from many threads at once.
//
// Example:
//   auto kb = mg::kb::LoadKnowledgeBase(std::nullopt);            // embedded data
//   if (!kb.ok()) return kb.error();
//   const mg::kb::Condition* rls = kb->FindCondition("restless legs");
//   const mg::kb::Finding* oral = kb->OralFinding(rls->id);       // verdict, dose, citations
#ifndef MGADVISOR_KB_KB_H_
#define MGADVISOR_KB_KB_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/data_files.h"
#include "core/enum_names.h"
#include "core/error.h"
#include "core/key_index.h"
#include "core/text.h"

namespace mg::kb {

// ---- Closed value sets. Each has a stable snake_case spelling used in the TOML and the JSON. ----

enum class Verdict {
  kEffective,             // Consistent benefit in RCTs / reviews, at least moderate certainty.
  kPossiblyEffective,     // Some positive RCTs; low certainty or inconsistent.
  kInsufficientEvidence,  // Too few or too weak studies to say.
  kLikelyIneffective,     // Good-quality evidence of no meaningful benefit.
  kNotStudied,            // No trials found.
};

enum class Certainty { kHigh, kModerate, kLow, kVeryLow };  // GRADE-style.

enum class Urgency { kEmergency, kSoon, kRoutine };  // Emergency = now; soon = within days.

enum class Route { kOral, kTopical, kBath, kIntravenous, kFood };

enum class Level { kLow, kMedium, kHigh };  // Used for diarrhoea risk and severities.

enum class ContraindicationAction {
  kNoSupplement,    // Do not suggest any magnesium supplement; refer.
  kClinicianFirst,  // No supplement until a clinician has reviewed; refer.
  kCaution,         // A supplement may be suggested within limits; show the caution.
  kNote,            // Information only.
};

enum class InteractionAction {
  kSeparate,         // Keep the spacing below between magnesium and the medicine.
  kClinicianReview,  // Do not self-supplement without the prescriber's advice (spacing may apply).
  kMonitor,          // Magnesium status may change; suggest checks; no spacing needed.
};

// What a diagnosis means for the choice of form (e.g. IBS-D: avoid laxative salts).
enum class LaxativePreference { kNone, kAvoid, kWelcome };

enum class MechanismStatus { kCorrect, kWrong, kUnproven };

// The one spelling of each value, as written in data/kb/*.toml, data/plan/policy.toml and the
// JSON output; the loader, ToString() and every other reader use these tables.
inline constexpr EnumName<Verdict> kVerdictNames[] = {
    {"effective", Verdict::kEffective},
    {"possibly_effective", Verdict::kPossiblyEffective},
    {"insufficient_evidence", Verdict::kInsufficientEvidence},
    {"likely_ineffective", Verdict::kLikelyIneffective},
    {"not_studied", Verdict::kNotStudied}};
inline constexpr EnumName<Certainty> kCertaintyNames[] = {{"high", Certainty::kHigh},
                                                          {"moderate", Certainty::kModerate},
                                                          {"low", Certainty::kLow},
                                                          {"very_low", Certainty::kVeryLow}};
inline constexpr EnumName<Urgency> kUrgencyNames[] = {
    {"emergency", Urgency::kEmergency}, {"soon", Urgency::kSoon}, {"routine", Urgency::kRoutine}};
inline constexpr EnumName<Route> kRouteNames[] = {{"oral", Route::kOral},
                                                  {"topical", Route::kTopical},
                                                  {"bath", Route::kBath},
                                                  {"intravenous", Route::kIntravenous},
                                                  {"food", Route::kFood}};
inline constexpr EnumName<Level> kLevelNames[] = {
    {"low", Level::kLow}, {"medium", Level::kMedium}, {"high", Level::kHigh}};
inline constexpr EnumName<ContraindicationAction> kContraindicationActionNames[] = {
    {"no_supplement", ContraindicationAction::kNoSupplement},
    {"clinician_first", ContraindicationAction::kClinicianFirst},
    {"caution", ContraindicationAction::kCaution},
    {"note", ContraindicationAction::kNote}};
inline constexpr EnumName<InteractionAction> kInteractionActionNames[] = {
    {"separate", InteractionAction::kSeparate},
    {"clinician_review", InteractionAction::kClinicianReview},
    {"monitor", InteractionAction::kMonitor}};
inline constexpr EnumName<LaxativePreference> kLaxativePreferenceNames[] = {
    {"none", LaxativePreference::kNone},
    {"avoid", LaxativePreference::kAvoid},
    {"welcome", LaxativePreference::kWelcome}};
inline constexpr EnumName<MechanismStatus> kMechanismStatusNames[] = {
    {"correct", MechanismStatus::kCorrect},
    {"wrong", MechanismStatus::kWrong},
    {"unproven", MechanismStatus::kUnproven}};

std::string_view ToString(Verdict v);  // "likely_ineffective"
std::string_view ToString(Certainty c);
std::string_view ToString(Urgency u);
std::string_view ToString(Route r);
std::string_view ToString(Level l);
std::string_view ToString(ContraindicationAction a);
std::string_view ToString(InteractionAction a);
std::string_view ToString(LaxativePreference p);
std::string_view ToString(MechanismStatus s);
std::string_view Describe(Verdict v);    // "likely ineffective" (for people)
std::string_view Describe(Certainty c);  // "very low"

// ---- Entities. Ids are lower_snake_case, unique within their kind. ----

struct Citation {
  std::string id;  // e.g. "garrison_2020_cochrane"
  std::string authors;
  int year = 0;
  std::string title;
  std::string venue;  // Journal with volume/pages, or publisher / agency.
  std::string doi;    // Optional ("" when none).
  std::string pmid;   // Optional.
  std::string url;    // Optional. At least one of doi, pmid, url is present.
  std::string kind;   // "trial", "systematic_review", "guideline", "label", "review", ...
  std::string note;   // Verification notes, e.g. what could not be checked.
  bool operator==(const Citation&) const = default;
};

struct Section {  // A titled paragraph of a condition page (e.g. deficiency: "Testing").
  std::string heading;
  std::string text;
  bool operator==(const Section&) const = default;
};

struct Condition {
  std::string id;                    // e.g. "restless_legs_syndrome"
  std::string name;                  // "Restless legs syndrome"
  std::vector<std::string> aliases;  // "RLS", "restless legs", "Willis-Ekbom disease", ...
  std::string summary;               // Plain words: what it is and the bottom line on magnesium.
  std::string what_helps;            // What the evidence supports instead of / beside magnesium.
  bool night_time_symptoms = false;  // Symptoms mainly in the evening/night: dose in the evening.
  std::vector<Section> sections;     // Extra detail (deficiency: symptoms, risk groups, testing).
  std::vector<std::string> mechanism_ids;
  std::vector<std::string> red_flag_ids;  // Red flags to ask about; derived by the loader from
                                          // red_flags.toml (each red flag lists its conditions).
  std::vector<std::string> citation_ids;  // Sources for the summary/sections (may be empty).
  // The condition a complaint of this kind is in pregnancy, when the evidence there differs
  // (leg cramps → leg cramps in pregnancy); "" = the same.
  std::string in_pregnancy;
  bool operator==(const Condition&) const = default;
};

struct Finding {
  std::string id;            // e.g. "night_cramps_oral"
  std::string condition_id;  // Resolves to a Condition.
  Route route = Route::kOral;
  std::string intervention;           // "Oral magnesium (oxide, citrate)"
  std::vector<std::string> form_ids;  // Forms studied, if known; resolve to Forms.
  Verdict verdict = Verdict::kNotStudied;
  std::optional<Certainty> certainty;            // Absent only when verdict is kNotStudied.
  std::string population;                        // Who was studied.
  std::string dose_text;                         // As studied, in words ("" when not studied).
  std::optional<double> dose_elemental_mg_low;   // Elemental mg/day studied, when known.
  std::optional<double> dose_elemental_mg_high;  // >= low; equal to low for a single dose.
  std::string duration;                          // e.g. "4-8 weeks"
  std::string summary;
  std::vector<std::string> citation_ids;  // At least one (for kNotStudied: the source that
                                          // looked and found no trial).
  std::string note;                       // Caveats, e.g. dose above the supplemental UL.
  bool operator==(const Finding&) const = default;
};

struct Form {
  std::string id;  // e.g. "citrate", "epsom_bath", "topical_oil", "iv_sulfate", "food"
  std::string name;
  std::vector<std::string> aliases;  // "Epsom salt", "milk of magnesia", ...
  Route route = Route::kOral;
  std::vector<std::string> compound_ids;  // Compound catalogue ids (data/chem/compounds.toml).
  bool self_care = true;                  // False: clinical use only (IV).
  Level diarrhoea_risk = Level::kMedium;  // GI tolerance: low / medium / high diarrhoea risk.
  bool laxative = false;                  // Used as / acts as a laxative at usual doses.
  std::string absorption;                 // What is shown about absorption, in words.
  std::string gi_tolerance;               // In words.
  std::string typical_uses;
  std::string evidence;  // The evidence for this form/route (e.g. how much skin absorption).
  std::vector<std::string> citation_ids;
  bool operator==(const Form&) const = default;
};

struct Medicine {
  std::string generic;              // "alendronate"
  std::vector<std::string> brands;  // "Fosamax", "Binosto"
  bool operator==(const Medicine&) const = default;
};

struct Interaction {
  std::string id;    // Interaction class, e.g. "bisphosphonates"
  std::string name;  // "Oral bisphosphonates"
  std::vector<Medicine> medicines;
  std::string effect;     // What happens.
  std::string mechanism;  // Why.
  Level severity = Level::kMedium;
  InteractionAction action = InteractionAction::kSeparate;
  // Machine-readable spacing. Magnesium must be taken at least `mg_hours_before_medicine` hours
  // before the medicine, or at least `mg_hours_after_medicine` hours after it. Absent = no
  // spacing rule (e.g. monitoring-only interactions).
  std::optional<double> mg_hours_before_medicine;
  std::optional<double> mg_hours_after_medicine;
  std::string management;  // The rule in words, as shown to people.
  std::vector<std::string> citation_ids;
  std::string note;
  bool operator==(const Interaction&) const = default;
};

// A contraindication fires when every present field of its trigger holds for the person.
struct Trigger {
  std::optional<double> egfr_below;       // eGFR (mL/min/1.73 m2) strictly below this.
  std::optional<int> ckd_stage_at_least;  // Known CKD stage >= this (1-5; 5 = kidney failure).
  std::optional<std::string> diagnosis;   // Resolves to a Diagnosis id (e.g. "myasthenia_gravis").
  bool pregnancy = false;                 // Fires when pregnant.
  bool lactation = false;                 // Fires when breastfeeding.
  std::optional<double> age_below_years;  // Age strictly below this (0.5 = six months).
  bool operator==(const Trigger&) const = default;
};

struct Contraindication {
  std::string id;  // e.g. "egfr_below_30"
  std::string name;
  Trigger trigger;
  ContraindicationAction action = ContraindicationAction::kNote;
  std::optional<Urgency> referral;  // Referral urgency; present for kNoSupplement/kClinicianFirst.
  std::string reason;               // Why, in words (shown to people and clinicians).
  std::string advice;               // What to do instead.
  std::optional<double> max_supplemental_mg;  // For kCaution: a lower ceiling than the UL, if any.
  std::vector<std::string> citation_ids;
  // Rules that describe one cause at different severities (eGFR below 60 and below 30) share a
  // cause ("kidney"), so a plan refers once, for the most severe of them. "" = its own cause.
  std::string cause;
  bool operator==(const Contraindication&) const = default;
};

struct Diagnosis {  // Other diagnoses a profile may list.
  std::string id;   // e.g. "ibs_d", "myasthenia_gravis", "heart_block", "ckd", "constipation"
  std::string name;
  std::vector<std::string> aliases;
  LaxativePreference laxative = LaxativePreference::kNone;
  std::string condition_id;  // Optional: the Condition page with more detail ("" when none).
  std::string note;
  bool operator==(const Diagnosis&) const = default;
};

struct RedFlag {
  std::string id;  // e.g. "dvt_signs"
  std::string name;
  std::string pattern;   // The symptom pattern, in words.
  std::string question;  // How to ask a person about it ("Is one calf swollen, warm or red?").
  Urgency urgency = Urgency::kRoutine;
  std::vector<std::string> condition_ids;  // Complaints it applies to.
  std::string action;                      // What to do.
  std::vector<std::string> citation_ids;   // May be empty for conservative standard triage
  std::string note;                        // rules; `note` then says so.
  bool pregnancy_only = false;             // Asked only in pregnancy (pre-eclampsia signs).
  // Asked only from / below these ages (the adult and the child wording of a bowel question).
  std::optional<double> from_age_years, below_age_years;
  // Pregnancy-only: asked from this week of pregnancy on; when the week is not known, asked.
  std::optional<double> from_gestation_weeks;
  // True when the question fits a person of this age (months) and week of pregnancy.
  bool AppliesTo(double age_months, std::optional<double> gestation_weeks) const {
    const double years = age_months / 12.0;
    if (from_age_years && years < *from_age_years) return false;
    if (below_age_years && years >= *below_age_years) return false;
    return !(from_gestation_weeks && gestation_weeks && *gestation_weeks < *from_gestation_weeks);
  }
  bool operator==(const RedFlag&) const = default;
};

struct Measure {   // A complementary (non-magnesium) measure for one condition.
  std::string id;  // e.g. "rls_iron_studies"
  std::string condition_id;
  std::string name;
  std::string advice;  // What to do, concretely.
  Verdict verdict = Verdict::kInsufficientEvidence;
  std::optional<Certainty> certainty;     // Absent only when verdict is kNotStudied.
  std::string summary;                    // The evidence in words.
  std::vector<std::string> citation_ids;  // May be empty only with verdict kNotStudied.
  std::string note;
  bool adults_only = false;  // Adult drugs, doses or thresholds: not shown for a child.
  bool operator==(const Measure&) const = default;
};

struct SideEffect {
  std::string id;  // e.g. "osmotic_diarrhoea", "hypermagnesaemia"
  std::string name;
  std::vector<std::string> form_ids;                 // Forms it mostly concerns (empty = any form).
  std::string dose;                                  // When it appears, in words.
  std::optional<double> onset_elemental_mg_per_day;  // Typical onset, when known.
  std::vector<std::string> symptoms;
  std::vector<std::string> at_risk;  // Who is at risk.
  std::string action;                // What to do.
  bool toxicity = false;             // True for signs of too much magnesium.
  std::vector<std::string> citation_ids;
  bool operator==(const SideEffect&) const = default;
};

struct Mechanism {
  std::string id;
  std::string name;
  MechanismStatus status = MechanismStatus::kCorrect;
  std::string statement;    // The claim as stated (for wrong ones: the common wrong version).
  std::string correction;   // For kWrong / kUnproven: what is actually true.
  std::string relevance;    // What it does and does not imply for supplements.
  std::string corrects_id;  // For kWrong: the correct Mechanism it is a distortion of ("" if none).
  std::vector<std::string> citation_ids;
  bool operator==(const Mechanism&) const = default;
};

// The whole base. Vectors keep file order (files sorted by name). Lookups go through an index
// built by Reindex(); LoadKnowledgeBase() calls it. If you build or edit a base by hand (tests),
// call Reindex() afterwards.
struct KnowledgeBase {
  std::vector<Citation> citations;
  std::vector<Condition> conditions;
  std::vector<Finding> findings;
  std::vector<Form> forms;
  std::vector<Interaction> interactions;
  std::vector<Contraindication> contraindications;
  std::vector<Diagnosis> diagnoses;
  std::vector<RedFlag> red_flags;
  std::vector<Measure> measures;
  std::vector<SideEffect> side_effects;
  std::vector<Mechanism> mechanisms;

  void Reindex();

  // Lookups by id, or (where the kind has names) by name or alias, compared after
  // NormalizeName() ("Restless-Legs" == "restless legs"). nullptr when not found.
  const Condition* FindCondition(std::string_view id_or_name) const;
  const Form* FindForm(std::string_view id_or_name) const;
  const Diagnosis* FindDiagnosis(std::string_view id_or_name) const;
  const Interaction* FindInteraction(std::string_view id) const;
  // A medicine by generic or brand name -> its interaction class.
  const Interaction* FindMedicine(std::string_view name) const;
  const Contraindication* FindContraindication(std::string_view id) const;
  const RedFlag* FindRedFlag(std::string_view id_or_name) const;
  const Measure* FindMeasure(std::string_view id) const;
  const Mechanism* FindMechanism(std::string_view id_or_name) const;
  const SideEffect* FindSideEffect(std::string_view id_or_name) const;
  const Citation* FindCitation(std::string_view id) const;
  const Finding* FindFinding(std::string_view id) const;

  // "Did you mean" candidates (ids, names, aliases) for a failed lookup; at most `limit`.
  std::vector<std::string> SuggestConditions(std::string_view query, size_t limit = 5) const;
  std::vector<std::string> SuggestMedicines(std::string_view query, size_t limit = 5) const;
  std::vector<std::string> SuggestDiagnoses(std::string_view query, size_t limit = 5) const;

  // All findings / measures / red flags for a condition id, in file order.
  std::vector<const Finding*> FindingsFor(std::string_view condition_id) const;
  std::vector<const Measure*> MeasuresFor(std::string_view condition_id) const;
  std::vector<const RedFlag*> RedFlagsFor(std::string_view condition_id) const;
  // The finding for oral magnesium supplements for this condition (at most one per condition
  // and route is allowed), or nullptr.
  const Finding* OralFinding(std::string_view condition_id) const;

  bool operator==(const KnowledgeBase&) const = default;

 private:
  // The binary form keeps the name indexes (kb/snapshot.cc): decoding them is two copies each,
  // where Reindex() normalises and sorts every name.
  template <typename A>
  friend void Fields(A& a, KnowledgeBase& kb);
  friend std::optional<KnowledgeBase> DecodeKnowledgeBase(std::string_view bytes);
  // True when every index is sealed and points inside its list (a decoded base).
  bool IndexesFit() const;
  // Builds by_condition_ (Reindex() does it too).
  void IndexConditionEntries();

  // Normalised key -> vector position; also each id as spelt where it differs (see
  // AddSpeltIds in kb.cc). Positions, not pointers, so a copied base stays right.
  using Index = KeyIndex;
  Index condition_index_, form_index_, diagnosis_index_, interaction_index_, medicine_index_,
      contraindication_index_, red_flag_index_, measure_index_, mechanism_index_,
      side_effect_index_, citation_index_, finding_index_;
  // What names a condition id (exactly as the entities spell it), as positions in file order:
  // FindingsFor, MeasuresFor, RedFlagsFor and OralFinding run for every complaint of every
  // plan, six plans per request (issue 20), and scanning every entity was most of their cost.
  struct ConditionEntries {
    std::vector<uint32_t> findings, measures, red_flags;
    bool operator==(const ConditionEntries&) const = default;
  };
  std::unordered_map<std::string, ConditionEntries, StringHash, std::equal_to<>> by_condition_;
  const ConditionEntries* EntriesFor(std::string_view condition_id) const;
};

// Loads and validates data/kb/*.toml: the embedded copy, or the .toml files directly in `dir`.
// Errors: kNotFound when `dir` does not exist or holds no .toml file; kDataError when any file is
// invalid: the message lists every problem, one `file:line: message` per line, in file order.
Result<KnowledgeBase> LoadKnowledgeBase(const std::optional<std::string>& dir);

// The base in the binary form of core/archive.h, and back (indexed). The build keeps the embedded
// base in this form (core/precompiled.h, snapshot "kb"), which LoadKnowledgeBase(nullopt) decodes
// instead of reading the TOML files again; nullopt when `bytes` is not such a form.
std::string EncodeKnowledgeBase(const KnowledgeBase& kb);
std::optional<KnowledgeBase> DecodeKnowledgeBase(std::string_view bytes);

// The same from files already in memory (names are used in messages). Exposed for tests.
Result<KnowledgeBase> ParseKnowledgeBase(const std::vector<DataFile>& files);

// Every problem found in the files, one `file:line: message` each (empty when clean).
std::vector<std::string> LintKnowledgeBase(const std::vector<DataFile>& files);

// The same against a given compound catalogue's ids (`data lint DIR` checks a whole data folder,
// whose forms refer to its own chem/compounds.toml), keeping what could be read: the base holds
// every entity that loaded, so later checks (the plan policy's forms) can still run.
struct KnowledgeBaseCheck {
  KnowledgeBase kb;
  std::vector<std::string> problems;
};
KnowledgeBaseCheck CheckKnowledgeBase(const std::vector<DataFile>& files,
                                      const std::set<std::string>& compound_ids);

}  // namespace mg::kb

#endif  // MGADVISOR_KB_KB_H_
