// The checker's data in the binary form of core/archive.h: the data compiler loads data/check,
// checks it against the knowledge base and keeps the result, so `check` and `explain` decode it
// instead of reading and cross-checking every file again at each start (issue 20).
//
// The data points into the knowledge base (conditions, forms, mechanisms); those pointers are
// kept as positions in the base's lists, which is the archive's context. Every struct here has a
// defaulted operator==, and the data compiler checks that the snapshot decodes equal to the load.
#include "check/check_data.h"
#include "core/archive.h"
#include "core/precompiled.h"

namespace mg::check {
namespace {

template <typename A>
const kb::KnowledgeBase& Base(const A& a) {
  return *static_cast<const kb::KnowledgeBase*>(a.context());
}

}  // namespace

template <typename A>
void Fields(A& a, Pattern& p) {
  a(p.groups, p.vetoes);
}

template <typename A>
void Fields(A& a, Rule& r) {
  a(r.id, r.claim_type, r.description, r.explanation);
}

template <typename A>
void Fields(A& a, GradeRow& g) {
  a(g.grade, g.verdicts);
}

template <typename A>
void Fields(A& a, MechanismPattern& m) {
  archive::Pointer(a, m.mechanism, Base(a).mechanisms);
  a(m.pattern);
}

template <typename A>
void Fields(A& a, SafetyPattern& s) {
  a(s.id, s.pattern, s.verdict, s.negated, s.evidence, s.citations, s.explanation);
}

template <typename A>
void Fields(A& a, FormAbsorption& f) {
  archive::Pointer(a, f.form, Base(a).forms);
  a(f.rank, f.citations);
}

template <typename A>
void Fields(A& a, Position& p) {
  archive::Pointers(a, p.conditions, Base(a).conditions);
  a(p.pattern, p.stance, p.text, p.citations);
}

template <typename A>
void Fields(A& a, Organisation& o) {
  a(o.id, o.name, o.unlisted, o.unlisted_text, o.citations, o.positions);
}

template <typename A>
void Fields(A& a, Journal& j) {
  a(j.name, j.venue);
}

template <typename A>
void Fields(A& a, QuantityFact& q) {
  a(q.id, q.pattern, q.unit, q.low, q.high, q.inside, q.outside);
  archive::Pointers(a, q.forms, Base(a).forms);
  a(q.evidence, q.citations, q.explanation);
}

template <typename A>
void Fields(A& a, DoseFacts& d) {
  a(d.us_ul, d.eu_ul, d.rda_low, d.rda_high, d.us_citations, d.eu_citations);
}

template <typename A>
void Fields(A& a, ConditionContext& c) {
  archive::Pointer(a, c.condition, Base(a).conditions);
  a(c.when_group);
  archive::Pointer(a, c.becomes, Base(a).conditions);
}

// `kb` and `compounds` are not kept: Decode sets them to the ones it is given.
template <typename A>
void Fields(A& a, CheckData& d) {
  // The sizes of the lists positions point into: bytes written against another base are refused
  // rather than read as pointers to the wrong entries.
  const kb::KnowledgeBase& base = Base(a);
  const size_t sizes[] = {base.conditions.size(), base.forms.size(), base.mechanisms.size()};
  for (const size_t size : sizes) {
    size_t kept = size;
    a(kept);
    if (kept != size) {
      if constexpr (A::kReading) a.Refuse();
    }
  }
  a(d.abbreviations, d.rules, d.grades, d.mechanisms, d.safety, d.absorption, d.organisations,
    d.journals, d.quantities, d.dose, d.contexts, d.proportions, d.citation_conditions, d.authors,
    d.tolerance, d.index, d.group_count);
}

std::string Checker::Encode() const { return archive::Encode(*data_, data_->kb); }

std::optional<Checker> Checker::Decode(std::string_view bytes, const kb::KnowledgeBase& kb,
                                       const chem::CompoundCatalog& compounds) {
  auto data = archive::Decode<CheckData>(bytes, &kb);
  if (!data) return std::nullopt;
  data->kb = &kb;
  data->compounds = &compounds;
  return Checker(std::make_unique<const CheckData>(std::move(*data)));
}

std::optional<Checker> Checker::BuiltIn(const kb::KnowledgeBase& kb,
                                        const chem::CompoundCatalog& compounds) {
  const auto snapshot = precompiled::FindSnapshot("check");
  return snapshot ? Decode(*snapshot, kb, compounds) : std::nullopt;
}

bool Checker::operator==(const Checker& other) const { return *data_ == *other.data_; }

}  // namespace mg::check
