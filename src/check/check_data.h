// Private to mg_check: data/check/*.toml as loaded, cross-checked against the knowledge base, and
// compiled into one phrase index. See the files themselves for what each key means.
#ifndef MGADVISOR_CHECK_CHECK_DATA_H_
#define MGADVISOR_CHECK_CHECK_DATA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/check.h"
#include "check/tokens.h"
#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/data_reader.h"

namespace mg::check {

// What a phrase in the index stands for (Hit::kind). Payloads index the vectors below.
enum Kind : int {
  kSubject,    // "magnesium"
  kPronoun,    // "it", "this supplement" (a subject when the page is about magnesium)
  kCondition,  // payload: index into kb->conditions
  kForm,       // payload: index into kb->forms
  kHedged,     // strength words
  kStrong,
  kAbsolute,
  kPositive,           // "helps", "relieves"
  kNegative,           // "does not", "no better than placebo"
  kAbsent,             // "no good evidence", "has not been studied"
  kAbsorbCue,          // "absorbed", "bioavailable"
  kAbsorbSuperlative,  // "best absorbed", "most bioavailable"
  kAbsorbComparative,  // "better absorbed than"
  kAbsorbGood,         // "well absorbed"
  kAbsorbPoor,         // "poorly absorbed"
  kTransdermal,        // "through the skin"
  kBrain,              // "brain", "blood-brain barrier"
  kStudyCue,           // "study", "trial", "journal"
  kReportVerb,         // "found", "showed" (what a named study reported)
  kInstitution,        // "Harvard", "university"
  kJournal,            // payload: index into journals
  kAuthorityCue,       // "recommends", "approved"
  kOrganisation,       // payload: index into organisations
  kUnnamedAuthority,   // "doctors", "a guideline"
  kDoseRecommend,      // "take", "daily"
  kDoseRda,            // "RDA", "adults need"
  kDoseUl,             // "upper limit"
  kDoseStudied,        // "trials used"
  kDoseFood,           // "from food"
  kMassUnit,           // payload: milligrams per unit (1 for mg, 1000 for g)
  kPercentUnit,        // "percent"
  kGroupTerm,          // payload: pattern group id (mechanism, safety, quantity, positions)
  kAuthor,             // payload: index into authors (a first author's surname)
  kKindCount
};

enum class Strength { kHedged, kPlain, kStrong, kAbsolute, kNegative, kAbsent };
inline constexpr EnumName<Strength> kStrengthNames[] = {
    {"hedged", Strength::kHedged},     {"plain", Strength::kPlain},
    {"strong", Strength::kStrong},     {"absolute", Strength::kAbsolute},
    {"negative", Strength::kNegative}, {"absent", Strength::kAbsent},
};

enum class AbsorptionRank { kLow, kModerate, kUnknown };
inline constexpr EnumName<AbsorptionRank> kAbsorptionRankNames[] = {
    {"low", AbsorptionRank::kLow},
    {"moderate", AbsorptionRank::kModerate},
    {"unknown", AbsorptionRank::kUnknown},
};

enum class Stance { kEndorses, kQualified, kDoesNotEndorse, kNoPosition };
inline constexpr EnumName<Stance> kStanceNames[] = {
    {"endorses", Stance::kEndorses},
    {"qualified", Stance::kQualified},
    {"does_not_endorse", Stance::kDoesNotEndorse},
    {"no_position", Stance::kNoPosition},
};

enum class QuantityUnit { kCount, kPercent, kGrams };
inline constexpr EnumName<QuantityUnit> kQuantityUnitNames[] = {
    {"count", QuantityUnit::kCount},
    {"percent", QuantityUnit::kPercent},
    {"grams", QuantityUnit::kGrams},
};

inline constexpr EnumName<kb::Verdict> kGradeNames[] = {
    {"effective", kb::Verdict::kEffective},
    {"possibly_effective", kb::Verdict::kPossiblyEffective},
    {"insufficient_evidence", kb::Verdict::kInsufficientEvidence},
    {"likely_ineffective", kb::Verdict::kLikelyIneffective},
    {"not_studied", kb::Verdict::kNotStudied},
};

// Phrases that must all be present, each group given as alternatives: ["nmda", "production |
// produces"]. A group is one kGroupTerm payload.
struct Pattern {
  std::vector<int> groups;  // Group ids.
  std::vector<int> vetoes;  // Group ids: any of these present and the pattern does not apply.
  bool operator==(const Pattern&) const = default;
};

struct Rule {
  std::string id;
  ClaimType claim_type = ClaimType::kEfficacy;
  std::string description;
  std::string explanation;  // Template with {placeholders}.
  bool operator==(const Rule&) const = default;
};

struct GradeRow {  // How a claim of each strength reads against one evidence grade.
  kb::Verdict grade = kb::Verdict::kNotStudied;
  std::map<Strength, Verdict> verdicts;
  bool operator==(const GradeRow&) const = default;
};

struct MechanismPattern {
  const kb::Mechanism* mechanism = nullptr;
  Pattern pattern;
  bool operator==(const MechanismPattern&) const = default;
};

struct SafetyPattern {
  std::string id;
  Pattern pattern;
  Verdict verdict = Verdict::kContradicted;
  Verdict negated = Verdict::kSupported;  // When the sentence negates the phrase.
  std::vector<std::string> evidence;      // "side_effect:x", "mechanism:y", ...
  std::vector<std::string> citations;     // Collected from the evidence.
  std::string explanation;
  bool operator==(const SafetyPattern&) const = default;
};

struct FormAbsorption {
  const kb::Form* form = nullptr;
  AbsorptionRank rank = AbsorptionRank::kUnknown;
  std::vector<std::string> citations;  // The form's absorption text is the knowledge base's.
  bool operator==(const FormAbsorption&) const = default;
};

struct Position {
  std::vector<const kb::Condition*> conditions;
  std::optional<Pattern> pattern;  // For positions on things that are not conditions.
  Stance stance = Stance::kNoPosition;
  std::string text;
  std::vector<std::string> citations;
  bool operator==(const Position&) const = default;
};

struct Organisation {
  std::string id;
  std::string name;
  Stance unlisted = Stance::kNoPosition;  // Stance on a topic without a position.
  std::string unlisted_text;
  std::vector<std::string> citations;
  std::vector<Position> positions;
  bool operator==(const Organisation&) const = default;
};

struct Journal {
  std::string name;
  std::string venue;  // Prefix of kb::Citation::venue for this journal; "" when none is held.
  bool operator==(const Journal&) const = default;
};

struct QuantityFact {
  std::string id;
  Pattern pattern;
  QuantityUnit unit = QuantityUnit::kCount;
  double low = 0;
  double high = 0;
  Verdict inside = Verdict::kSupported;
  Verdict outside = Verdict::kContradicted;
  std::vector<const kb::Form*> forms;  // Only when one of these forms is named (empty: any).
  std::vector<std::string> evidence;
  std::vector<std::string> citations;
  std::string explanation;
  bool operator==(const QuantityFact&) const = default;
};

// Reference figures from src/dri, for dose claims.
struct DoseFacts {
  double us_ul = 0;     // Supplemental upper level, adults (US).
  double eu_ul = 0;     // The EU ceiling for adults.
  double rda_low = 0;   // Lowest adult RDA/AI across both sets.
  double rda_high = 0;  // Highest.
  std::vector<std::string> us_citations;
  std::vector<std::string> eu_citations;
  bool operator==(const DoseFacts&) const = default;
};

struct ConditionContext {  // data/check/claims.toml [[context]]
  const kb::Condition* condition = nullptr;
  int when_group = -1;
  const kb::Condition* becomes = nullptr;
  bool operator==(const ConditionContext&) const = default;
};

struct CheckData {
  const kb::KnowledgeBase* kb = nullptr;
  const chem::CompoundCatalog* compounds = nullptr;
  std::vector<std::string> abbreviations;
  std::vector<Rule> rules;
  std::vector<GradeRow> grades;
  std::vector<MechanismPattern> mechanisms;  // In file order: the first that matches wins.
  std::vector<SafetyPattern> safety;
  std::vector<FormAbsorption> absorption;
  std::vector<Organisation> organisations;
  std::vector<Journal> journals;
  std::vector<QuantityFact> quantities;
  DoseFacts dose;
  std::vector<ConditionContext> contexts;
  std::map<std::string, double> proportions;  // "half" -> 50 (%).
  // Citation id -> the conditions whose findings or pages cite it (for attribution).
  std::map<std::string, std::vector<std::string>> citation_conditions;
  // First authors' surnames in the knowledge base's citations -> their citation ids.
  std::vector<std::vector<std::string>> authors;
  double tolerance = 0.1;  // [dose] tolerance: how far a stated figure may be from a reference.
  PhraseIndex index;
  int group_count = 0;

  bool operator==(const CheckData&) const = default;
  const Rule* FindRule(std::string_view id) const;
  const FormAbsorption* AbsorptionOf(const kb::Form* form) const;
};

// Reads the files into `data` (whose kb pointer is set), reporting every problem.
void ParseCheckData(const std::vector<DataFile>& files, const dri::ReferenceTables& tables,
                    CheckData& data, DataProblems& problems);

// Rule ids the checker's code fires; each must be defined in rules.toml.
const std::vector<std::string>& RuleIdsUsed();

}  // namespace mg::check

#endif  // MGADVISOR_CHECK_CHECK_DATA_H_
