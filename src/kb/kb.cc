// Enum spellings and the lookup index of KnowledgeBase.
#include "kb/kb.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace mg::kb {
namespace {

template <typename T>
const T* Lookup(const std::vector<T>& items, const std::unordered_map<std::string, size_t>& index,
                std::string_view key) {
  const auto it = index.find(NormalizeName(key));
  return it == index.end() ? nullptr : &items[it->second];
}

// Adds one name of an entity; the first entity to claim a key keeps it (the loader rejects
// clashes, so this only matters for hand-built bases).
void AddKey(std::unordered_map<std::string, size_t>& index, size_t position,
            std::string_view name) {
  std::string key = NormalizeName(name);
  if (!key.empty()) index.try_emplace(std::move(key), position);
}

// Adds an entity's id, name and aliases.
void AddNames(std::unordered_map<std::string, size_t>& index, size_t position, std::string_view id,
              std::string_view name, const std::vector<std::string>& aliases) {
  AddKey(index, position, id);
  AddKey(index, position, name);
  for (const auto& alias : aliases) AddKey(index, position, alias);
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
  for (Index* index :
       {&condition_index_, &form_index_, &diagnosis_index_, &interaction_index_, &medicine_index_,
        &contraindication_index_, &red_flag_index_, &measure_index_, &mechanism_index_,
        &side_effect_index_, &citation_index_, &finding_index_}) {
    index->clear();
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
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (f.condition_id == condition_id) out.push_back(&f);
  }
  return out;
}

std::vector<const Measure*> KnowledgeBase::MeasuresFor(std::string_view condition_id) const {
  std::vector<const Measure*> out;
  for (const Measure& m : measures) {
    if (m.condition_id == condition_id) out.push_back(&m);
  }
  return out;
}

std::vector<const RedFlag*> KnowledgeBase::RedFlagsFor(std::string_view condition_id) const {
  std::vector<const RedFlag*> out;
  for (const RedFlag& r : red_flags) {
    if (std::find(r.condition_ids.begin(), r.condition_ids.end(), condition_id) !=
        r.condition_ids.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

const Finding* KnowledgeBase::OralFinding(std::string_view condition_id) const {
  for (const Finding& f : findings) {
    if (f.condition_id == condition_id && f.route == Route::kOral) return &f;
  }
  return nullptr;
}

}  // namespace mg::kb
