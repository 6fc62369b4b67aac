// The knowledge base's binary form (core/archive.h): which members make up each entity. Every
// struct here has a defaulted operator==, and the data compiler checks that the embedded base
// decodes equal to what the loader built, so a member missing from a list fails the build.
#include "core/archive.h"
#include "kb/kb.h"

namespace mg::kb {

template <typename A>
void Fields(A& a, Citation& c) {
  a(c.id, c.authors, c.year, c.title, c.venue, c.doi, c.pmid, c.url, c.kind, c.note);
}

template <typename A>
void Fields(A& a, Section& s) {
  a(s.heading, s.text);
}

template <typename A>
void Fields(A& a, Condition& c) {
  a(c.id, c.name, c.aliases, c.summary, c.what_helps, c.night_time_symptoms, c.sections,
    c.mechanism_ids, c.red_flag_ids, c.citation_ids, c.in_pregnancy);
}

template <typename A>
void Fields(A& a, Finding& f) {
  a(f.id, f.condition_id, f.route, f.intervention, f.form_ids, f.verdict, f.certainty, f.population,
    f.dose_text, f.dose_elemental_mg_low, f.dose_elemental_mg_high, f.duration, f.summary,
    f.citation_ids, f.note);
}

template <typename A>
void Fields(A& a, Form& f) {
  a(f.id, f.name, f.aliases, f.route, f.compound_ids, f.self_care, f.diarrhoea_risk, f.laxative,
    f.absorption, f.gi_tolerance, f.typical_uses, f.evidence, f.citation_ids);
}

template <typename A>
void Fields(A& a, Medicine& m) {
  a(m.generic, m.brands);
}

template <typename A>
void Fields(A& a, Interaction& i) {
  a(i.id, i.name, i.medicines, i.effect, i.mechanism, i.severity, i.action,
    i.mg_hours_before_medicine, i.mg_hours_after_medicine, i.management, i.citation_ids, i.note);
}

template <typename A>
void Fields(A& a, Trigger& t) {
  a(t.egfr_below, t.ckd_stage_at_least, t.diagnosis, t.pregnancy, t.lactation, t.age_below_years);
}

template <typename A>
void Fields(A& a, Contraindication& c) {
  a(c.id, c.name, c.trigger, c.action, c.referral, c.reason, c.advice, c.max_supplemental_mg,
    c.citation_ids, c.cause);
}

template <typename A>
void Fields(A& a, Diagnosis& d) {
  a(d.id, d.name, d.aliases, d.laxative, d.condition_id, d.note);
}

template <typename A>
void Fields(A& a, RedFlag& r) {
  a(r.id, r.name, r.pattern, r.question, r.urgency, r.condition_ids, r.action, r.citation_ids,
    r.note, r.pregnancy_only, r.from_age_years, r.below_age_years, r.from_gestation_weeks);
}

template <typename A>
void Fields(A& a, Measure& m) {
  a(m.id, m.condition_id, m.name, m.advice, m.verdict, m.certainty, m.summary, m.citation_ids,
    m.note, m.adults_only);
}

template <typename A>
void Fields(A& a, SideEffect& s) {
  a(s.id, s.name, s.form_ids, s.dose, s.onset_elemental_mg_per_day, s.symptoms, s.at_risk, s.action,
    s.toxicity, s.citation_ids);
}

template <typename A>
void Fields(A& a, Mechanism& m) {
  a(m.id, m.name, m.status, m.statement, m.correction, m.relevance, m.corrects_id, m.citation_ids);
}

// The name indexes are kept (decoding them is two copies each; Reindex() normalises and sorts
// every name); the entries by condition are rebuilt, which costs little.
template <typename A>
void Fields(A& a, KnowledgeBase& kb) {
  a(kb.citations, kb.conditions, kb.findings, kb.forms, kb.interactions, kb.contraindications,
    kb.diagnoses, kb.red_flags, kb.measures, kb.side_effects, kb.mechanisms);
  a(kb.condition_index_, kb.form_index_, kb.diagnosis_index_, kb.interaction_index_,
    kb.medicine_index_, kb.contraindication_index_, kb.red_flag_index_, kb.measure_index_,
    kb.mechanism_index_, kb.side_effect_index_, kb.citation_index_, kb.finding_index_);
}

std::string EncodeKnowledgeBase(const KnowledgeBase& kb) { return archive::Encode(kb); }

std::optional<KnowledgeBase> DecodeKnowledgeBase(std::string_view bytes) {
  auto kb = archive::Decode<KnowledgeBase>(bytes);
  if (!kb || !kb->IndexesFit()) return std::nullopt;
  kb->IndexConditionEntries();
  return kb;
}

}  // namespace mg::kb
