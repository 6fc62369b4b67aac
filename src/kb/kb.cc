// Enum spellings and the lookup index of KnowledgeBase.
#include "kb/kb.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace mg::kb {
namespace {

template <typename T>
const T* Lookup(const std::vector<T>& items, const KeyIndex& index, std::string_view key) {
  // Most lookups come from the engine with an id exactly as the data spells it (AddSpeltIds).
  if (const auto position = index.Find(key)) return &items[*position];
  // Otherwise keys are ids and names, short: normalised on the stack, allocating nothing.
  char buffer[128];
  std::string long_key;
  std::string_view normalized;
  if (key.size() <= sizeof buffer) {
    normalized = {buffer, NormalizeNameTo(key, buffer)};
  } else {
    long_key = NormalizeName(key);
    normalized = long_key;
  }
  const auto position = index.Find(normalized);
  return position ? &items[*position] : nullptr;
}

template <typename T>
std::vector<const T*> AtPositions(const std::vector<T>& items,
                                  const std::vector<uint32_t>& positions) {
  std::vector<const T*> out;
  out.reserve(positions.size());
  for (uint32_t position : positions) out.push_back(&items[position]);
  return out;
}

// Adds one name of an entity, normalised; of entities claiming the same key the first keeps it
// (the loader rejects clashes, so this only matters for hand-built bases).
void AddKey(KeyIndex& index, size_t position, std::string_view name) {
  char buffer[128];
  if (name.size() <= sizeof buffer) {
    index.Add({buffer, NormalizeNameTo(name, buffer)}, static_cast<uint32_t>(position));
  } else {
    index.Add(NormalizeName(name), static_cast<uint32_t>(position));
  }
}

// Adds an entity's id, name and aliases, normalised.
void AddNames(KeyIndex& index, size_t position, std::string_view id, std::string_view name,
              const std::vector<std::string>& aliases) {
  AddKey(index, position, id);
  AddKey(index, position, name);
  for (const auto& alias : aliases) AddKey(index, position, alias);
}

// Once the normalised keys are sealed: each id also as spelt ("night_cramps"), so that the
// engine's own lookups by id skip normalising, where the normalised id leads to this very
// entity. A spelt key never equals another entity's normalised key unless it is that key itself
// (normalised keys have no capitals, underscores or repeated spaces), so it adds no new match.
template <typename T>
void AddSpeltIds(KeyIndex& index, const std::vector<T>& items) {
  index.Seal();  // Find sees only sealed keys: unsealed, no spelt id would ever be added.
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string& id = items[i].id;
    char buffer[128];
    if (id.size() > sizeof buffer) continue;  // Found by normalising, like any long key.
    const std::string_view normalized(buffer, NormalizeNameTo(id, buffer));
    if (normalized != id && index.Find(normalized) == i) {
      index.Add(id, static_cast<uint32_t>(i));
    }
  }
  index.Seal();
}

}  // namespace

std::string_view ToString(Verdict v) { return EnumToString(kVerdictNames, v); }
std::string_view ToString(Certainty v) { return EnumToString(kCertaintyNames, v); }
std::string_view ToString(Urgency v) { return EnumToString(kUrgencyNames, v); }
std::string_view ToString(Route v) { return EnumToString(kRouteNames, v); }
std::string_view ToString(Level v) { return EnumToString(kLevelNames, v); }
std::string_view ToString(ContraindicationAction v) {
  return EnumToString(kContraindicationActionNames, v);
}
std::string_view ToString(InteractionAction v) { return EnumToString(kInteractionActionNames, v); }
std::string_view ToString(LaxativePreference v) {
  return EnumToString(kLaxativePreferenceNames, v);
}
std::string_view ToString(MechanismStatus v) { return EnumToString(kMechanismStatusNames, v); }

std::string_view Describe(Verdict v) {
  switch (v) {
    case Verdict::kEffective:
      return "effective";
    case Verdict::kPossiblyEffective:
      return "possibly effective";
    case Verdict::kInsufficientEvidence:
      return "insufficient evidence";
    case Verdict::kLikelyIneffective:
      return "likely ineffective";
    case Verdict::kNotStudied:
      return "not studied";
  }
  return "?";
}

std::string_view Describe(Certainty c) {
  return c == Certainty::kVeryLow ? "very low" : ToString(c);
}

void KnowledgeBase::Reindex() {
  for (KeyIndex* index :
       {&condition_index_, &form_index_, &diagnosis_index_, &interaction_index_, &medicine_index_,
        &contraindication_index_, &red_flag_index_, &measure_index_, &mechanism_index_,
        &side_effect_index_, &citation_index_, &finding_index_}) {
    index->Clear();
  }
  for (size_t i = 0; i < conditions.size(); ++i) {
    AddNames(condition_index_, i, conditions[i].id, conditions[i].name, conditions[i].aliases);
  }
  for (size_t i = 0; i < forms.size(); ++i) {
    AddNames(form_index_, i, forms[i].id, forms[i].name, forms[i].aliases);
  }
  for (size_t i = 0; i < diagnoses.size(); ++i) {
    AddNames(diagnosis_index_, i, diagnoses[i].id, diagnoses[i].name, diagnoses[i].aliases);
  }
  for (size_t i = 0; i < interactions.size(); ++i) {
    AddKey(interaction_index_, i, interactions[i].id);
    for (const Medicine& m : interactions[i].medicines) {
      AddNames(medicine_index_, i, m.generic, m.generic, m.brands);
    }
  }
  for (size_t i = 0; i < contraindications.size(); ++i) {
    AddKey(contraindication_index_, i, contraindications[i].id);
  }
  for (size_t i = 0; i < red_flags.size(); ++i) {
    AddKey(red_flag_index_, i, red_flags[i].id);
    AddKey(red_flag_index_, i, red_flags[i].name);
  }
  for (size_t i = 0; i < measures.size(); ++i) AddKey(measure_index_, i, measures[i].id);
  for (size_t i = 0; i < mechanisms.size(); ++i) {
    AddKey(mechanism_index_, i, mechanisms[i].id);
    AddKey(mechanism_index_, i, mechanisms[i].name);
  }
  for (size_t i = 0; i < side_effects.size(); ++i) {
    AddKey(side_effect_index_, i, side_effects[i].id);
    AddKey(side_effect_index_, i, side_effects[i].name);
  }
  for (size_t i = 0; i < citations.size(); ++i) AddKey(citation_index_, i, citations[i].id);
  for (size_t i = 0; i < findings.size(); ++i) AddKey(finding_index_, i, findings[i].id);
  medicine_index_.Seal();  // Names only: no ids to add as spelt.
  AddSpeltIds(condition_index_, conditions);
  AddSpeltIds(form_index_, forms);
  AddSpeltIds(diagnosis_index_, diagnoses);
  AddSpeltIds(interaction_index_, interactions);
  AddSpeltIds(contraindication_index_, contraindications);
  AddSpeltIds(red_flag_index_, red_flags);
  AddSpeltIds(measure_index_, measures);
  AddSpeltIds(mechanism_index_, mechanisms);
  AddSpeltIds(side_effect_index_, side_effects);
  AddSpeltIds(citation_index_, citations);
  AddSpeltIds(finding_index_, findings);
  IndexConditionEntries();
}

bool KnowledgeBase::IndexesFit() const {
  return condition_index_.Fits(conditions.size()) && form_index_.Fits(forms.size()) &&
         diagnosis_index_.Fits(diagnoses.size()) && interaction_index_.Fits(interactions.size()) &&
         medicine_index_.Fits(interactions.size()) &&
         contraindication_index_.Fits(contraindications.size()) &&
         red_flag_index_.Fits(red_flags.size()) && measure_index_.Fits(measures.size()) &&
         mechanism_index_.Fits(mechanisms.size()) && side_effect_index_.Fits(side_effects.size()) &&
         citation_index_.Fits(citations.size()) && finding_index_.Fits(findings.size());
}

void KnowledgeBase::IndexConditionEntries() {
  by_condition_.clear();
  by_condition_.reserve(conditions.size());
  const auto entries = [&](std::string_view condition_id) -> ConditionEntries& {
    auto it = by_condition_.find(condition_id);
    if (it == by_condition_.end())
      it = by_condition_.emplace(condition_id, ConditionEntries{}).first;
    return it->second;
  };
  for (size_t i = 0; i < findings.size(); ++i) {
    entries(findings[i].condition_id).findings.push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < measures.size(); ++i) {
    entries(measures[i].condition_id).measures.push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < red_flags.size(); ++i) {
    const auto& ids = red_flags[i].condition_ids;
    for (size_t j = 0; j < ids.size(); ++j) {
      // A flag that names a condition twice is listed once, as the scan it replaces did.
      if (std::find(ids.begin(), ids.begin() + j, ids[j]) != ids.begin() + j) continue;
      entries(ids[j]).red_flags.push_back(static_cast<uint32_t>(i));
    }
  }
}

const KnowledgeBase::ConditionEntries* KnowledgeBase::EntriesFor(
    std::string_view condition_id) const {
  const auto it = by_condition_.find(condition_id);
  return it == by_condition_.end() ? nullptr : &it->second;
}

const Condition* KnowledgeBase::FindCondition(std::string_view q) const {
  return Lookup(conditions, condition_index_, q);
}
const Form* KnowledgeBase::FindForm(std::string_view q) const {
  return Lookup(forms, form_index_, q);
}
const Diagnosis* KnowledgeBase::FindDiagnosis(std::string_view q) const {
  return Lookup(diagnoses, diagnosis_index_, q);
}
const Interaction* KnowledgeBase::FindInteraction(std::string_view q) const {
  return Lookup(interactions, interaction_index_, q);
}
const Interaction* KnowledgeBase::FindMedicine(std::string_view q) const {
  return Lookup(interactions, medicine_index_, q);
}
const Contraindication* KnowledgeBase::FindContraindication(std::string_view q) const {
  return Lookup(contraindications, contraindication_index_, q);
}
const RedFlag* KnowledgeBase::FindRedFlag(std::string_view q) const {
  return Lookup(red_flags, red_flag_index_, q);
}
const Measure* KnowledgeBase::FindMeasure(std::string_view q) const {
  return Lookup(measures, measure_index_, q);
}
const Mechanism* KnowledgeBase::FindMechanism(std::string_view q) const {
  return Lookup(mechanisms, mechanism_index_, q);
}
const SideEffect* KnowledgeBase::FindSideEffect(std::string_view q) const {
  return Lookup(side_effects, side_effect_index_, q);
}
const Citation* KnowledgeBase::FindCitation(std::string_view q) const {
  return Lookup(citations, citation_index_, q);
}
const Finding* KnowledgeBase::FindFinding(std::string_view q) const {
  return Lookup(findings, finding_index_, q);
}

namespace {

// "Did you mean" over the ids, names and aliases of one kind of entity.
template <typename Entity>
std::vector<std::string> SuggestNamed(const std::vector<Entity>& entities, std::string_view query,
                                      size_t limit) {
  std::vector<std::string> candidates;
  for (const Entity& e : entities) {
    candidates.push_back(e.id);
    candidates.push_back(e.name);
    candidates.insert(candidates.end(), e.aliases.begin(), e.aliases.end());
  }
  return CloseMatches(query, candidates, limit);
}

}  // namespace

std::vector<std::string> KnowledgeBase::SuggestConditions(std::string_view query,
                                                          size_t limit) const {
  return SuggestNamed(conditions, query, limit);
}

std::vector<std::string> KnowledgeBase::SuggestMedicines(std::string_view query,
                                                         size_t limit) const {
  std::vector<std::string> candidates;
  for (const Interaction& i : interactions) {
    for (const Medicine& m : i.medicines) {
      candidates.push_back(m.generic);
      candidates.insert(candidates.end(), m.brands.begin(), m.brands.end());
    }
  }
  return CloseMatches(query, candidates, limit);
}

std::vector<std::string> KnowledgeBase::SuggestDiagnoses(std::string_view query,
                                                         size_t limit) const {
  return SuggestNamed(diagnoses, query, limit);
}

std::vector<const Finding*> KnowledgeBase::FindingsFor(std::string_view condition_id) const {
  const ConditionEntries* entries = EntriesFor(condition_id);
  return entries ? AtPositions(findings, entries->findings) : std::vector<const Finding*>{};
}

std::vector<const Measure*> KnowledgeBase::MeasuresFor(std::string_view condition_id) const {
  const ConditionEntries* entries = EntriesFor(condition_id);
  return entries ? AtPositions(measures, entries->measures) : std::vector<const Measure*>{};
}

std::vector<const RedFlag*> KnowledgeBase::RedFlagsFor(std::string_view condition_id) const {
  const ConditionEntries* entries = EntriesFor(condition_id);
  return entries ? AtPositions(red_flags, entries->red_flags) : std::vector<const RedFlag*>{};
}

const Finding* KnowledgeBase::OralFinding(std::string_view condition_id) const {
  const ConditionEntries* entries = EntriesFor(condition_id);
  if (entries == nullptr) return nullptr;
  for (uint32_t position : entries->findings) {
    if (findings[position].route == Route::kOral) return &findings[position];
  }
  return nullptr;
}

}  // namespace mg::kb
