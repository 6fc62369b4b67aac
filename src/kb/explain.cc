#include "kb/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/json_writer.h"
#include "core/numbers.h"
#include "core/text.h"

namespace mg::kb {
namespace {

using nlohmann::json;

constexpr size_t kWidth = 100;

// Wraps `text` at word boundaries; every line starts with `indent`, the first with `first`.
std::string Wrap(std::string_view text, std::string_view first, std::string_view indent) {
  std::string out(first);
  size_t column = first.size();
  bool line_empty = true;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    pos = end;
    if (word.empty()) continue;
    if (!line_empty && column + 1 + word.size() > kWidth) {
      out += '\n';
      out += indent;
      column = indent.size();
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_empty = false;
  }
  out += '\n';
  return out;
}

std::string Indented(std::string_view text, size_t spaces) {
  const std::string indent(spaces, ' ');
  return Wrap(text, indent, indent);
}

std::string Label(std::string_view label, std::string_view text, size_t spaces) {
  const std::string indent(spaces, ' ');
  return Wrap(text, indent + std::string(label) + " ", indent + "  ");
}

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

template <typename E>
json OptionalEnum(const std::optional<E>& v) {
  return v ? json(std::string(ToString(*v))) : json(nullptr);
}

std::string Grade(Verdict verdict, const std::optional<Certainty>& certainty) {
  if (!certainty) return std::string(Describe(verdict));
  return fmt::format("{} (certainty: {})", Describe(verdict), Describe(*certainty));
}

std::string CiteList(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += "[" + id + "]";
  }
  return out;
}

std::string DoseRange(const Finding& f) {
  if (!f.dose_elemental_mg_low) return "";
  if (*f.dose_elemental_mg_low == *f.dose_elemental_mg_high) {
    return fmt::format("{} mg elemental/day", FormatNumber(*f.dose_elemental_mg_low));
  }
  return fmt::format("{}-{} mg elemental/day", FormatNumber(*f.dose_elemental_mg_low),
                     FormatNumber(*f.dose_elemental_mg_high));
}

std::string Spacing(const Interaction& i) {
  if (!i.mg_hours_before_medicine) return "no spacing rule";
  return fmt::format("magnesium at least {} h before or {} h after the medicine",
                     FormatNumber(*i.mg_hours_before_medicine),
                     FormatNumber(*i.mg_hours_after_medicine));
}

std::string Reference(const Citation& c) {
  const bool title_punctuated =
      !c.title.empty() && (c.title.back() == '?' || c.title.back() == '.');
  std::string out = fmt::format("{} ({}). {}{} {}.", c.authors, c.year, c.title,
                                title_punctuated ? "" : ".", c.venue);
  if (!c.doi.empty()) out += " doi:" + c.doi;
  if (!c.pmid.empty()) out += " PMID " + c.pmid;
  if (!c.url.empty() && c.doi.empty()) out += " " + c.url;
  if (!c.note.empty()) out += " Note: " + c.note;
  return out;
}

// Collects citation ids in first-use order, without repeats.
class Sources {
 public:
  void Add(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (seen_.insert(id).second) ids_.push_back(id);
    }
  }
  std::string Render(const KnowledgeBase& kb) const {
    if (ids_.empty()) return "";
    std::string out = "\nSources\n";
    for (const auto& id : ids_) {
      const Citation* c = kb.FindCitation(id);
      if (c != nullptr) out += Wrap(Reference(*c), "  [" + id + "] ", "      ");
    }
    return out;
  }
  json Json(const KnowledgeBase& kb) const {
    json out = json::array();
    for (const auto& id : ids_) {
      if (const Citation* c = kb.FindCitation(id)) out.push_back(ToJson(*c));
    }
    return out;
  }

 private:
  std::vector<std::string> ids_;
  std::set<std::string> seen_;
};

std::string FindingText(const Finding& f) {
  std::string out = Wrap(f.intervention + " [" + std::string(ToString(f.route)) +
                             "]: " + Grade(f.verdict, f.certainty),
                         "  - ", "    ");
  out += Label("Studied in:", f.population, 4);
  if (!f.dose_text.empty()) {
    const std::string range = DoseRange(f);
    out +=
        Label("Dose studied:", range.empty() ? f.dose_text : f.dose_text + " (" + range + ")", 4);
  }
  if (!f.duration.empty()) out += Label("Duration:", f.duration, 4);
  out += Indented(f.summary, 4);
  if (!f.note.empty()) out += Label("Note:", f.note, 4);
  out += Label("Sources:", CiteList(f.citation_ids), 4);
  return out;
}

std::string MeasureText(const Measure& m) {
  std::string out = Wrap(m.name + ": " + Grade(m.verdict, m.certainty), "  - ", "    ");
  out += Indented(m.advice, 4);
  out += Label("Evidence:", m.summary, 4);
  if (!m.note.empty()) out += Label("Note:", m.note, 4);
  if (!m.citation_ids.empty()) out += Label("Sources:", CiteList(m.citation_ids), 4);
  return out;
}

std::string RedFlagText(const RedFlag& r) {
  std::string urgency(ToString(r.urgency));
  for (char& ch : urgency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string out = Wrap(r.name + ": " + r.pattern, "  - [" + urgency + "] ", "    ");
  out += Label("What to do:", r.action, 4);
  return out;
}

std::string MechanismText(const Mechanism& m) {
  std::string out = Wrap(fmt::format("{} ({})", m.name, ToString(m.status)), "  - ", "    ");
  out += Indented(m.statement, 4);
  if (!m.correction.empty()) out += Label("Actually:", m.correction, 4);
  out += Label("What it means:", m.relevance, 4);
  return out;
}

// ---- Pages per kind. ----

std::string ConditionPage(const KnowledgeBase& kb, const Condition& c, Sources& sources) {
  std::string out = fmt::format("{}  ({})\n", c.name, c.id);
  if (!c.aliases.empty()) {
    std::string aliases;
    for (const auto& a : c.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    out += Wrap(aliases, "Also called: ", "  ");
  }
  out += "\nBottom line\n" + Indented(c.summary, 2);
  out += "\nWhat helps\n" + Indented(c.what_helps, 2);
  if (c.night_time_symptoms) {
    out += Indented("Symptoms are mainly in the evening or at night.", 2);
  }
  for (const Section& s : c.sections) out += "\n" + s.heading + "\n" + Indented(s.text, 2);
  sources.Add(c.citation_ids);
  const auto findings = kb.FindingsFor(c.id);
  if (!findings.empty()) {
    out += "\nEvidence for magnesium\n";
    for (const Finding* f : findings) {
      out += FindingText(*f);
      sources.Add(f->citation_ids);
    }
  }
  const auto measures = kb.MeasuresFor(c.id);
  if (!measures.empty()) {
    out += "\nOther measures (each graded on its own evidence)\n";
    for (const Measure* m : measures) {
      out += MeasureText(*m);
      sources.Add(m->citation_ids);
    }
  }
  if (!c.mechanism_ids.empty()) {
    out += "\nHow magnesium is supposed to work\n";
    for (const auto& id : c.mechanism_ids) {
      if (const Mechanism* m = kb.FindMechanism(id)) {
        out += MechanismText(*m);
        sources.Add(m->citation_ids);
      }
    }
  }
  const auto flags = kb.RedFlagsFor(c.id);
  if (!flags.empty()) {
    out += "\nSee a clinician if\n";
    for (const RedFlag* r : flags) {
      out += RedFlagText(*r);
      sources.Add(r->citation_ids);
    }
  }
  out += "\nBefore taking magnesium\n";
  out += Indented(
      "Do not self-supplement with reduced kidney function, heart block, myasthenia gravis or for "
      "a baby; ask first in pregnancy, for young children and with other serious illness. Some "
      "medicines must be spaced from magnesium (`mgadvisor kb list interactions`). Supplements "
      "count towards an upper limit of 350 mg/day for adults (US; 250 mg/day under EU advice); "
      "food does not.",
      2);
  return out;
}

std::string FormPage(const KnowledgeBase& kb, const Form& f, Sources& sources) {
  std::string out = fmt::format("{}  ({}, route: {})\n", f.name, f.id, ToString(f.route));
  if (!f.aliases.empty()) {
    std::string aliases;
    for (const auto& a : f.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    out += Wrap(aliases, "Also called: ", "  ");
  }
  if (!f.self_care) out += "Clinical use only: not for self-care.\n";
  if (!f.compound_ids.empty()) {
    std::string ids;
    for (const auto& id : f.compound_ids) ids += (ids.empty() ? "" : ", ") + id;
    out += Wrap(ids + " (see `mgadvisor compounds` for elemental content)", "Compounds: ", "  ");
  }
  out += fmt::format("Diarrhoea risk: {}; laxative: {}\n", ToString(f.diarrhoea_risk),
                     f.laxative ? "yes" : "no");
  out += "\nAbsorption\n" + Indented(f.absorption, 2);
  out += "\nStomach and bowel\n" + Indented(f.gi_tolerance, 2);
  out += "\nTypical uses\n" + Indented(f.typical_uses, 2);
  out += "\nEvidence\n" + Indented(f.evidence, 2);
  sources.Add(f.citation_ids);
  bool heading = false;
  for (const Finding& finding : kb.findings) {
    if (std::find(finding.form_ids.begin(), finding.form_ids.end(), f.id) ==
        finding.form_ids.end()) {
      continue;
    }
    if (!heading) out += "\nFindings that studied this form\n";
    heading = true;
    out += Wrap(fmt::format("{} ({}): {}", finding.condition_id, finding.id,
                            Grade(finding.verdict, finding.certainty)),
                "  - ", "    ");
    sources.Add(finding.citation_ids);
  }
  return out;
}

std::string InteractionPage(const Interaction& i, Sources& sources) {
  std::string out = fmt::format("{}  ({})\n", i.name, i.id);
  for (const Medicine& m : i.medicines) {
    std::string brands;
    for (const auto& b : m.brands) brands += (brands.empty() ? "" : ", ") + b;
    out += Wrap(brands.empty() ? m.generic : m.generic + " (" + brands + ")", "  - ", "    ");
  }
  out += fmt::format("\nSeverity: {}; action: {}\n", ToString(i.severity), ToString(i.action));
  out += "Spacing: " + Spacing(i) + "\n";
  out += "\nWhat happens\n" + Indented(i.effect, 2) + Label("Why:", i.mechanism, 2);
  out += "\nWhat to do\n" + Indented(i.management, 2);
  if (!i.note.empty()) out += Label("Note:", i.note, 2);
  sources.Add(i.citation_ids);
  return out;
}

// The contraindications a diagnosis triggers, for its page and its JSON alike.
std::vector<const Contraindication*> TriggeredBy(const KnowledgeBase& kb, const Diagnosis& d) {
  std::vector<const Contraindication*> out;
  for (const Contraindication& c : kb.contraindications) {
    if (c.trigger.diagnosis && *c.trigger.diagnosis == d.id) out.push_back(&c);
  }
  return out;
}

std::string DiagnosisPage(const KnowledgeBase& kb, const Diagnosis& d, Sources& sources) {
  std::string out = fmt::format("{}  ({})\n", d.name, d.id);
  if (!d.aliases.empty()) {
    std::string aliases;
    for (const auto& a : d.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    out += Wrap(aliases, "Also called: ", "  ");
  }
  out += fmt::format("Laxative magnesium forms: {}\n", ToString(d.laxative));
  if (!d.note.empty()) out += Indented(d.note, 0);
  for (const Contraindication* c : TriggeredBy(kb, d)) {
    out += "\n" + c->name + ": " + std::string(ToString(c->action)) + "\n";
    out += Indented(c->reason, 2) + Label("Advice:", c->advice, 2);
    sources.Add(c->citation_ids);
  }
  if (!d.condition_id.empty()) out += "\nSee also: mgadvisor explain " + d.condition_id + "\n";
  return out;
}

std::string ContraindicationPage(const Contraindication& c, Sources& sources) {
  std::string out = fmt::format("{}  ({})\n", c.name, c.id);
  out += fmt::format("Action: {}", ToString(c.action));
  if (c.referral) out += fmt::format("; referral: {}", ToString(*c.referral));
  if (c.max_supplemental_mg) {
    out += fmt::format("; supplemental ceiling {} mg/day", FormatNumber(*c.max_supplemental_mg));
  }
  out += "\n\nWhy\n" + Indented(c.reason, 2) + "\nWhat to do\n" + Indented(c.advice, 2);
  sources.Add(c.citation_ids);
  return out;
}

std::string SideEffectPage(const SideEffect& s, Sources& sources) {
  std::string out = fmt::format("{}  ({})\n", s.name, s.id);
  out += Label("When:", s.dose, 0);
  out += "\nSymptoms\n";
  for (const auto& x : s.symptoms) out += Wrap(x, "  - ", "    ");
  out += "\nWho is at risk\n";
  for (const auto& x : s.at_risk) out += Wrap(x, "  - ", "    ");
  out += "\nWhat to do\n" + Indented(s.action, 2);
  sources.Add(s.citation_ids);
  return out;
}

std::string CitationPage(const Citation& c) {
  return Wrap(Reference(c), "[" + c.id + "] ", "  ") + fmt::format("Kind: {}\n", c.kind);
}

json ConditionJson(const KnowledgeBase& kb, const Condition& c, Sources& sources) {
  json out = {{"condition", ToJson(c)}};
  sources.Add(c.citation_ids);
  json findings = json::array();
  for (const Finding* f : kb.FindingsFor(c.id)) {
    findings.push_back(ToJson(*f));
    sources.Add(f->citation_ids);
  }
  json measures = json::array();
  for (const Measure* m : kb.MeasuresFor(c.id)) {
    measures.push_back(ToJson(*m));
    sources.Add(m->citation_ids);
  }
  json mechanisms = json::array();
  for (const auto& id : c.mechanism_ids) {
    if (const Mechanism* m = kb.FindMechanism(id)) {
      mechanisms.push_back(ToJson(*m));
      sources.Add(m->citation_ids);
    }
  }
  json flags = json::array();
  for (const RedFlag* r : kb.RedFlagsFor(c.id)) {
    flags.push_back(ToJson(*r));
    sources.Add(r->citation_ids);
  }
  out["findings"] = findings;
  out["measures"] = measures;
  out["mechanisms"] = mechanisms;
  out["red_flags"] = flags;
  return out;
}

template <typename T>
json Array(const std::vector<T>& items) {
  json out = json::array();
  for (const T& item : items) out.push_back(ToJson(item));
  return out;
}

}  // namespace

std::string_view ToString(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCondition:
      return "condition";
    case EntityKind::kForm:
      return "form";
    case EntityKind::kDiagnosis:
      return "diagnosis";
    case EntityKind::kInteraction:
      return "interaction";
    case EntityKind::kMechanism:
      return "mechanism";
    case EntityKind::kRedFlag:
      return "red_flag";
    case EntityKind::kMeasure:
      return "measure";
    case EntityKind::kFinding:
      return "finding";
    case EntityKind::kSideEffect:
      return "side_effect";
    case EntityKind::kContraindication:
      return "contraindication";
    case EntityKind::kCitation:
      return "citation";
  }
  return "?";
}

Result<EntityRef> ResolveEntity(const KnowledgeBase& kb, std::string_view query) {
  if (const auto* x = kb.FindCondition(query)) return EntityRef{EntityKind::kCondition, x->id};
  if (const auto* x = kb.FindForm(query)) return EntityRef{EntityKind::kForm, x->id};
  if (const auto* x = kb.FindDiagnosis(query)) return EntityRef{EntityKind::kDiagnosis, x->id};
  if (const auto* x = kb.FindInteraction(query)) {
    return EntityRef{EntityKind::kInteraction, x->id};
  }
  if (const auto* x = kb.FindMedicine(query)) return EntityRef{EntityKind::kInteraction, x->id};
  if (const auto* x = kb.FindMechanism(query)) return EntityRef{EntityKind::kMechanism, x->id};
  if (const auto* x = kb.FindRedFlag(query)) return EntityRef{EntityKind::kRedFlag, x->id};
  if (const auto* x = kb.FindMeasure(query)) return EntityRef{EntityKind::kMeasure, x->id};
  if (const auto* x = kb.FindFinding(query)) return EntityRef{EntityKind::kFinding, x->id};
  if (const auto* x = kb.FindSideEffect(query)) return EntityRef{EntityKind::kSideEffect, x->id};
  if (const auto* x = kb.FindContraindication(query)) {
    return EntityRef{EntityKind::kContraindication, x->id};
  }
  if (const auto* x = kb.FindCitation(query)) return EntityRef{EntityKind::kCitation, x->id};

  std::vector<std::string> candidates;
  auto add = [&candidates](const std::string& id, const std::string& name,
                           const std::vector<std::string>& aliases) {
    candidates.push_back(id);
    candidates.push_back(name);
    candidates.insert(candidates.end(), aliases.begin(), aliases.end());
  };
  for (const auto& c : kb.conditions) add(c.id, c.name, c.aliases);
  for (const auto& f : kb.forms) add(f.id, f.name, f.aliases);
  for (const auto& d : kb.diagnoses) add(d.id, d.name, d.aliases);
  for (const auto& i : kb.interactions) {
    candidates.push_back(i.id);
    for (const auto& m : i.medicines) add(m.generic, m.generic, m.brands);
  }
  for (const auto& m : kb.mechanisms) candidates.push_back(m.id);
  std::string message = fmt::format("nothing in the knowledge base is called '{}'", query);
  const auto suggestions = CloseMatches(query, candidates, 5);
  if (!suggestions.empty()) {
    std::vector<std::string> quoted;
    for (const auto& s : suggestions) quoted.push_back("'" + s + "'");
    message += "; did you mean " + JoinAlternatives(quoted) + "?";
  }
  message += " (`mgadvisor kb list conditions` lists the conditions)";
  return NotFound(message);
}

std::string RenderExplanation(const KnowledgeBase& kb, const EntityRef& ref) {
  Sources sources;
  std::string out;
  switch (ref.kind) {
    case EntityKind::kCondition:
      out = ConditionPage(kb, *kb.FindCondition(ref.id), sources);
      break;
    case EntityKind::kForm:
      out = FormPage(kb, *kb.FindForm(ref.id), sources);
      break;
    case EntityKind::kDiagnosis:
      out = DiagnosisPage(kb, *kb.FindDiagnosis(ref.id), sources);
      break;
    case EntityKind::kInteraction:
      out = InteractionPage(*kb.FindInteraction(ref.id), sources);
      break;
    case EntityKind::kMechanism: {
      const Mechanism& m = *kb.FindMechanism(ref.id);
      out = MechanismText(m);
      sources.Add(m.citation_ids);
      break;
    }
    case EntityKind::kRedFlag: {
      const RedFlag& r = *kb.FindRedFlag(ref.id);
      out = RedFlagText(r) + Label("Ask:", r.question, 4);
      if (!r.note.empty()) out += Label("Note:", r.note, 4);
      sources.Add(r.citation_ids);
      break;
    }
    case EntityKind::kMeasure: {
      const Measure& m = *kb.FindMeasure(ref.id);
      out = fmt::format("For {}:\n", m.condition_id) + MeasureText(m);
      sources.Add(m.citation_ids);
      break;
    }
    case EntityKind::kFinding: {
      const Finding& f = *kb.FindFinding(ref.id);
      out = fmt::format("For {}:\n", f.condition_id) + FindingText(f);
      sources.Add(f.citation_ids);
      break;
    }
    case EntityKind::kSideEffect:
      out = SideEffectPage(*kb.FindSideEffect(ref.id), sources);
      break;
    case EntityKind::kContraindication:
      out = ContraindicationPage(*kb.FindContraindication(ref.id), sources);
      break;
    case EntityKind::kCitation:
      out = CitationPage(*kb.FindCitation(ref.id));
      break;
  }
  return out + sources.Render(kb);
}

nlohmann::json ExplanationJson(const KnowledgeBase& kb, const EntityRef& ref) {
  Sources sources;
  json out = {{"kind", std::string(ToString(ref.kind))}, {"id", ref.id}};
  switch (ref.kind) {
    case EntityKind::kCondition:
      out.update(ConditionJson(kb, *kb.FindCondition(ref.id), sources));
      break;
    case EntityKind::kForm: {
      const Form& f = *kb.FindForm(ref.id);
      out["form"] = ToJson(f);
      sources.Add(f.citation_ids);
      break;
    }
    case EntityKind::kDiagnosis: {
      // Everything the page shows: the contraindications it triggers, their sources and the
      // condition to read next.
      const Diagnosis& d = *kb.FindDiagnosis(ref.id);
      out["diagnosis"] = ToJson(d);
      out["contraindications"] = json::array();
      for (const Contraindication* c : TriggeredBy(kb, d)) {
        out["contraindications"].push_back(ToJson(*c));
        sources.Add(c->citation_ids);
      }
      out["see_also"] = d.condition_id.empty() ? json(nullptr) : json(d.condition_id);
      break;
    }
    case EntityKind::kInteraction: {
      const Interaction& i = *kb.FindInteraction(ref.id);
      out["interaction"] = ToJson(i);
      sources.Add(i.citation_ids);
      break;
    }
    case EntityKind::kMechanism: {
      const Mechanism& m = *kb.FindMechanism(ref.id);
      out["mechanism"] = ToJson(m);
      sources.Add(m.citation_ids);
      break;
    }
    case EntityKind::kRedFlag: {
      const RedFlag& r = *kb.FindRedFlag(ref.id);
      out["red_flag"] = ToJson(r);
      sources.Add(r.citation_ids);
      break;
    }
    case EntityKind::kMeasure: {
      const Measure& m = *kb.FindMeasure(ref.id);
      out["measure"] = ToJson(m);
      sources.Add(m.citation_ids);
      break;
    }
    case EntityKind::kFinding: {
      const Finding& f = *kb.FindFinding(ref.id);
      out["finding"] = ToJson(f);
      sources.Add(f.citation_ids);
      break;
    }
    case EntityKind::kSideEffect: {
      const SideEffect& s = *kb.FindSideEffect(ref.id);
      out["side_effect"] = ToJson(s);
      sources.Add(s.citation_ids);
      break;
    }
    case EntityKind::kContraindication: {
      const Contraindication& c = *kb.FindContraindication(ref.id);
      out["contraindication"] = ToJson(c);
      sources.Add(c.citation_ids);
      break;
    }
    case EntityKind::kCitation:
      sources.Add({ref.id});
      break;
  }
  out["citations"] = sources.Json(kb);
  return out;
}

const std::vector<std::string>& ListKinds() {
  static const std::vector<std::string> kKinds = {
      "conditions", "forms",     "findings",   "interactions", "contraindications", "red-flags",
      "measures",   "citations", "mechanisms", "side-effects", "diagnoses"};
  return kKinds;
}

Result<std::string> RenderList(const KnowledgeBase& kb, std::string_view kind) {
  std::string out;
  auto row = [&out](const std::string& id, const std::string& text) {
    out += Wrap(text, fmt::format("{:<34} ", id), std::string(35, ' '));
  };
  if (kind == "conditions") {
    for (const auto& c : kb.conditions) {
      const Finding* f = kb.OralFinding(c.id);
      row(c.id, f ? fmt::format("{} — oral magnesium: {}", c.name, Grade(f->verdict, f->certainty))
                  : c.name);
    }
  } else if (kind == "forms") {
    for (const auto& f : kb.forms) {
      row(f.id, fmt::format("{} [{}; diarrhoea risk {}{}]", f.name, ToString(f.route),
                            ToString(f.diarrhoea_risk), f.self_care ? "" : "; clinical only"));
    }
  } else if (kind == "findings") {
    for (const auto& f : kb.findings) {
      row(f.id, fmt::format("{} × {}: {}", f.condition_id, ToString(f.route),
                            Grade(f.verdict, f.certainty)));
    }
  } else if (kind == "interactions") {
    for (const auto& i : kb.interactions) {
      row(i.id, fmt::format("{} [{}] — {}", i.name, ToString(i.severity), Spacing(i)));
    }
  } else if (kind == "contraindications") {
    for (const auto& c : kb.contraindications) {
      row(c.id,
          fmt::format("{} → {}{}", c.name, ToString(c.action),
                      c.referral ? fmt::format(" (referral: {})", ToString(*c.referral)) : ""));
    }
  } else if (kind == "red-flags") {
    for (const auto& r : kb.red_flags) {
      row(r.id, fmt::format("[{}] {}", ToString(r.urgency), r.name));
    }
  } else if (kind == "measures") {
    for (const auto& m : kb.measures) {
      row(m.id, fmt::format("{}: {} — {}", m.condition_id, m.name, Grade(m.verdict, m.certainty)));
    }
  } else if (kind == "citations") {
    for (const auto& c : kb.citations)
      row(c.id, fmt::format("{} ({}). {}", c.authors, c.year, c.title));
  } else if (kind == "mechanisms") {
    for (const auto& m : kb.mechanisms) {
      row(m.id, fmt::format("[{}] {}", ToString(m.status), m.name));
    }
  } else if (kind == "side-effects") {
    for (const auto& s : kb.side_effects) row(s.id, s.name);
  } else if (kind == "diagnoses") {
    for (const auto& d : kb.diagnoses) row(d.id, d.name);
  } else {
    return InvalidArgument(
        fmt::format("unknown list '{}'; expected one of {}", kind, JoinAlternatives(ListKinds())));
  }
  return out;
}

Result<nlohmann::json> ListJson(const KnowledgeBase& kb, std::string_view kind) {
  if (kind == "conditions") return Array(kb.conditions);
  if (kind == "forms") return Array(kb.forms);
  if (kind == "findings") return Array(kb.findings);
  if (kind == "interactions") return Array(kb.interactions);
  if (kind == "contraindications") return Array(kb.contraindications);
  if (kind == "red-flags") return Array(kb.red_flags);
  if (kind == "measures") return Array(kb.measures);
  if (kind == "citations") return Array(kb.citations);
  if (kind == "mechanisms") return Array(kb.mechanisms);
  if (kind == "side-effects") return Array(kb.side_effects);
  if (kind == "diagnoses") return Array(kb.diagnoses);
  return InvalidArgument(
      fmt::format("unknown list '{}'; expected one of {}", kind, JoinAlternatives(ListKinds())));
}

void WriteJson(const Citation& c, JsonWriter& w) {
  w.BeginObject();  // Members in key order (core/json_writer.h).
  w.Key("authors").String(c.authors);
  w.Key("doi").String(c.doi);
  w.Key("id").String(c.id);
  w.Key("kind").String(c.kind);
  w.Key("note").String(c.note);
  w.Key("pmid").String(c.pmid);
  w.Key("title").String(c.title);
  w.Key("url").String(c.url);
  w.Key("venue").String(c.venue);
  w.Key("year").Integer(c.year);
  w.EndObject();
}

nlohmann::json ToJson(const Citation& c) {
  std::string text;
  JsonWriter writer(text);
  WriteJson(c, writer);
  return json::parse(text);  // One writer of the document, so the two forms never differ.
}

nlohmann::json ToJson(const Condition& c) {
  json sections = json::array();
  for (const Section& s : c.sections)
    sections.push_back({{"heading", s.heading}, {"text", s.text}});
  return {{"id", c.id},
          {"name", c.name},
          {"aliases", c.aliases},
          {"summary", c.summary},
          {"what_helps", c.what_helps},
          {"night_time_symptoms", c.night_time_symptoms},
          {"sections", sections},
          {"mechanisms", c.mechanism_ids},
          {"red_flags", c.red_flag_ids},
          {"citations", c.citation_ids}};
}

nlohmann::json ToJson(const Finding& f) {
  return {{"id", f.id},
          {"condition", f.condition_id},
          {"route", std::string(ToString(f.route))},
          {"intervention", f.intervention},
          {"forms", f.form_ids},
          {"verdict", std::string(ToString(f.verdict))},
          {"certainty", OptionalEnum(f.certainty)},
          {"population", f.population},
          {"dose", f.dose_text},
          {"dose_elemental_mg_low", OptionalNumber(f.dose_elemental_mg_low)},
          {"dose_elemental_mg_high", OptionalNumber(f.dose_elemental_mg_high)},
          {"duration", f.duration},
          {"summary", f.summary},
          {"citations", f.citation_ids},
          {"note", f.note}};
}

nlohmann::json ToJson(const Form& f) {
  return {{"id", f.id},
          {"name", f.name},
          {"aliases", f.aliases},
          {"route", std::string(ToString(f.route))},
          {"compounds", f.compound_ids},
          {"self_care", f.self_care},
          {"diarrhoea_risk", std::string(ToString(f.diarrhoea_risk))},
          {"laxative", f.laxative},
          {"absorption", f.absorption},
          {"gi_tolerance", f.gi_tolerance},
          {"typical_uses", f.typical_uses},
          {"evidence", f.evidence},
          {"citations", f.citation_ids}};
}

nlohmann::json ToJson(const Interaction& i) {
  json medicines = json::array();
  for (const Medicine& m : i.medicines) {
    medicines.push_back({{"generic", m.generic}, {"brands", m.brands}});
  }
  return {{"id", i.id},
          {"name", i.name},
          {"medicines", medicines},
          {"effect", i.effect},
          {"mechanism", i.mechanism},
          {"severity", std::string(ToString(i.severity))},
          {"action", std::string(ToString(i.action))},
          {"mg_hours_before_medicine", OptionalNumber(i.mg_hours_before_medicine)},
          {"mg_hours_after_medicine", OptionalNumber(i.mg_hours_after_medicine)},
          {"management", i.management},
          {"citations", i.citation_ids},
          {"note", i.note}};
}

nlohmann::json ToJson(const Contraindication& c) {
  json trigger = json::object();
  if (c.trigger.egfr_below) trigger["egfr_below"] = *c.trigger.egfr_below;
  if (c.trigger.ckd_stage_at_least) trigger["ckd_stage_at_least"] = *c.trigger.ckd_stage_at_least;
  if (c.trigger.diagnosis) trigger["diagnosis"] = *c.trigger.diagnosis;
  if (c.trigger.pregnancy) trigger["pregnancy"] = true;
  if (c.trigger.lactation) trigger["lactation"] = true;
  if (c.trigger.age_below_years) trigger["age_below_years"] = *c.trigger.age_below_years;
  return {{"id", c.id},
          {"name", c.name},
          {"trigger", trigger},
          {"action", std::string(ToString(c.action))},
          {"referral", OptionalEnum(c.referral)},
          {"reason", c.reason},
          {"advice", c.advice},
          {"max_supplemental_mg", OptionalNumber(c.max_supplemental_mg)},
          {"citations", c.citation_ids}};
}

nlohmann::json ToJson(const Diagnosis& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"aliases", d.aliases},
          {"laxative", std::string(ToString(d.laxative))},
          {"condition", d.condition_id.empty() ? json(nullptr) : json(d.condition_id)},
          {"note", d.note}};
}

nlohmann::json ToJson(const RedFlag& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"pattern", r.pattern},
          {"question", r.question},
          {"urgency", std::string(ToString(r.urgency))},
          {"conditions", r.condition_ids},
          {"action", r.action},
          {"citations", r.citation_ids},
          {"note", r.note}};
}

nlohmann::json ToJson(const Measure& m) {
  return {{"id", m.id},
          {"condition", m.condition_id},
          {"name", m.name},
          {"advice", m.advice},
          {"verdict", std::string(ToString(m.verdict))},
          {"certainty", OptionalEnum(m.certainty)},
          {"summary", m.summary},
          {"citations", m.citation_ids},
          {"note", m.note}};
}

nlohmann::json ToJson(const SideEffect& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"forms", s.form_ids},
          {"dose", s.dose},
          {"onset_elemental_mg_per_day", OptionalNumber(s.onset_elemental_mg_per_day)},
          {"symptoms", s.symptoms},
          {"at_risk", s.at_risk},
          {"action", s.action},
          {"toxicity", s.toxicity},
          {"citations", s.citation_ids}};
}

nlohmann::json ToJson(const Mechanism& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"status", std::string(ToString(m.status))},
          {"statement", m.statement},
          {"correction", m.correction},
          {"relevance", m.relevance},
          {"corrects", m.corrects_id.empty() ? json(nullptr) : json(m.corrects_id)},
          {"citations", m.citation_ids}};
}

}  // namespace mg::kb
