// Reads data/check/*.toml strictly (core/data_reader.h) and builds the phrase index.
#include "check/check_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.h"

namespace mg::check {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

class Loader {
 public:
  explicit Loader(CheckData& data) : data_(data) {}

  void Phrases(TomlReader& r, std::string_view key, int kind, int payload = 0,
               TomlReader::Need need = TomlReader::Need::kRequired) {
    for (const auto& phrase : r.TextList(key, need)) {
      if (!data_.index.Add(phrase, kind, payload)) {
        r.Report(fmt::format("'{}' in '{}' of {} has no word to match", phrase, key, r.where()),
                 r.LineAt(key));
      }
    }
  }

  // "a | b | c" alternatives as one group.
  int Group(TomlReader& r, std::string_view key, const std::string& alternatives) {
    const int id = data_.group_count++;
    size_t start = 0;
    while (start <= alternatives.size()) {
      size_t bar = alternatives.find('|', start);
      if (bar == std::string::npos) bar = alternatives.size();
      const std::string phrase = Trim(std::string_view(alternatives).substr(start, bar - start));
      if (phrase.empty() || !data_.index.Add(phrase, kGroupTerm, id)) {
        r.Report(
            fmt::format("an empty alternative in '{}' of {}: \"{}\"", key, r.where(), alternatives),
            r.LineAt(key));
      }
      start = bar + 1;
    }
    return id;
  }

  std::optional<Pattern> ReadPattern(TomlReader& r, std::string_view all_key,
                                     TomlReader::Need need = TomlReader::Need::kRequired) {
    if (!r.Has(all_key) && need == TomlReader::Need::kOptional) return std::nullopt;
    Pattern p;
    for (const auto& g : r.TextList(all_key)) p.groups.push_back(Group(r, all_key, g));
    for (const auto& g : r.TextList("unless", TomlReader::Need::kOptional)) {
      p.vetoes.push_back(Group(r, "unless", g));
    }
    return p;
  }

  void Citations(TomlReader& r, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (data_.kb->FindCitation(id) == nullptr) {
        r.Report(
            fmt::format("{} cites '{}', which is not a knowledge-base citation", r.where(), id),
            r.LineAt("citations"));
      }
    }
  }

  // "finding:x", "mechanism:y"... resolved against the KB; their citations are appended.
  void Evidence(TomlReader& r, const std::vector<std::string>& refs,
                std::vector<std::string>& citations) {
    const kb::KnowledgeBase& kb = *data_.kb;
    for (const auto& ref : refs) {
      const size_t colon = ref.find(':');
      const std::string kind = ref.substr(0, colon);
      const std::string id = colon == std::string::npos ? "" : ref.substr(colon + 1);
      const std::vector<std::string>* cited = nullptr;
      if (kind == "finding") {
        if (const auto* f = kb.FindFinding(id)) cited = &f->citation_ids;
      } else if (kind == "mechanism") {
        if (const auto* m = kb.FindMechanism(id)) cited = &m->citation_ids;
      } else if (kind == "side_effect") {
        if (const auto* s = kb.FindSideEffect(id)) cited = &s->citation_ids;
      } else if (kind == "contraindication") {
        if (const auto* c = kb.FindContraindication(id)) cited = &c->citation_ids;
      } else if (kind == "condition") {
        if (const auto* c = kb.FindCondition(id)) cited = &c->citation_ids;
      } else if (kind == "form") {
        if (const auto* f = kb.FindForm(id)) cited = &f->citation_ids;
      } else if (kind == "interaction") {
        if (const auto* i = kb.FindInteraction(id)) cited = &i->citation_ids;
      }
      if (cited == nullptr) {
        r.Report(fmt::format("{}: evidence '{}' is not a knowledge-base entry (write "
                             "finding:, mechanism:, side_effect:, contraindication:, condition:, "
                             "form: or interaction: and an id)",
                             r.where(), ref),
                 r.LineAt("evidence"));
        continue;
      }
      for (const auto& c : *cited) {
        if (std::find(citations.begin(), citations.end(), c) == citations.end()) {
          citations.push_back(c);
        }
      }
    }
  }

  const kb::Condition* Condition(TomlReader& r, std::string_view key, const std::string& id) {
    const kb::Condition* c = data_.kb->FindCondition(id);
    if (c == nullptr || c->id != id) {
      r.Report(
          fmt::format("{}: '{}' in '{}' is not a knowledge-base condition id", r.where(), id, key),
          r.LineAt(key));
      return nullptr;
    }
    return c;
  }

  const kb::Form* Form(TomlReader& r, std::string_view key, const std::string& id) {
    const kb::Form* f = data_.kb->FindForm(id);
    if (f == nullptr || f->id != id) {
      r.Report(fmt::format("{}: '{}' in '{}' is not a knowledge-base form id", r.where(), id, key),
               r.LineAt(key));
      return nullptr;
    }
    return f;
  }

  void Language(TomlReader& doc) {
    data_.abbreviations = doc.TextList("abbreviations");
    for (auto& a : data_.abbreviations) {
      std::transform(a.begin(), a.end(), a.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    if (auto s = doc.Table("subject", "[subject]", {"magnesium", "pronouns"})) {
      Phrases(*s, "magnesium", kSubject);
      Phrases(*s, "pronouns", kPronoun);
    }
  }

  void Claims(TomlReader& doc, const dri::ReferenceTables& tables) {
    if (const toml::table* words = doc.FreeTable("proportions")) {
      for (const auto& [word, value] : *words) {
        const auto percent = value.value<double>();
        if (!percent || *percent < 0 || *percent > 100) {
          doc.Report(fmt::format("[proportions] '{}' must be a percentage (0-100)", word.str()),
                     LineOf(value));
          continue;
        }
        data_.proportions[std::string(word.str())] = *percent;
      }
    }
    for (TomlReader r : doc.Tables("context", "context", {"condition", "when", "becomes"},
                                   TomlReader::Need::kOptional, "condition")) {
      ConditionContext c;
      c.condition = Condition(r, "condition", r.Text("condition"));
      std::string alternatives;
      for (const auto& w : r.TextList("when"))
        alternatives += (alternatives.empty() ? "" : " | ") + w;
      c.when_group = Group(r, "when", alternatives);
      c.becomes = Condition(r, "becomes", r.Text("becomes"));
      if (c.condition && c.becomes) data_.contexts.push_back(c);
    }
    if (auto t = doc.Table("efficacy", "[efficacy]", {"positive", "negative", "absent"})) {
      Phrases(*t, "positive", kPositive);
      Phrases(*t, "negative", kNegative);
      Phrases(*t, "absent", kAbsent);
    }
    if (auto t = doc.Table("strength", "[strength]", {"hedged", "strong", "absolute"})) {
      Phrases(*t, "hedged", kHedged);
      Phrases(*t, "strong", kStrong);
      Phrases(*t, "absolute", kAbsolute);
    }
    if (auto t = doc.Table(
            "absorption", "[absorption]",
            {"cues", "superlative", "comparative", "good", "poor", "transdermal", "brain"})) {
      Phrases(*t, "cues", kAbsorbCue);
      Phrases(*t, "superlative", kAbsorbSuperlative);
      Phrases(*t, "comparative", kAbsorbComparative);
      Phrases(*t, "good", kAbsorbGood);
      Phrases(*t, "poor", kAbsorbPoor);
      Phrases(*t, "transdermal", kTransdermal);
      Phrases(*t, "brain", kBrain);
    }
    if (auto t = doc.Table("attribution", "[attribution]", {"study", "reported", "institutions"})) {
      Phrases(*t, "study", kStudyCue);
      Phrases(*t, "reported", kReportVerb);
      Phrases(*t, "institutions", kInstitution);
    }
    if (auto t = doc.Table("authority", "[authority]", {"cues", "unnamed"})) {
      Phrases(*t, "cues", kAuthorityCue);
      Phrases(*t, "unnamed", kUnnamedAuthority);
    }
    if (auto t = doc.Table("dose", "[dose]",
                           {"recommend", "rda", "upper_limit", "studied", "food", "milligrams",
                            "grams", "percent", "us_citations", "eu_citations", "tolerance"})) {
      data_.tolerance = t->Number("tolerance", NumberRange::Between(0, 0.5)).value_or(0.1);
      Phrases(*t, "recommend", kDoseRecommend);
      Phrases(*t, "rda", kDoseRda);
      Phrases(*t, "upper_limit", kDoseUl);
      Phrases(*t, "studied", kDoseStudied);
      Phrases(*t, "food", kDoseFood);
      Phrases(*t, "milligrams", kMassUnit, 1);
      Phrases(*t, "grams", kMassUnit, 1000);
      Phrases(*t, "percent", kPercentUnit);
      data_.dose.us_citations = t->TextList("us_citations");
      data_.dose.eu_citations = t->TextList("eu_citations");
      Citations(*t, data_.dose.us_citations);
      Citations(*t, data_.dose.eu_citations);
    }
    // Adult figures from the reference tables the plan uses, so the two never disagree. Adult
    // rows start at 19 years in the US tables and at 18 in the EU ones.
    bool first = true;
    for (const auto reference : {dri::Reference::kUs, dri::Reference::kEu}) {
      for (const dri::Row& row : tables.set(reference).rows) {
        if (row.from_months < 18 * 12 || row.state != dri::ReproductiveState::kNone) continue;
        if (row.intake_mg) {
          data_.dose.rda_low =
              first ? *row.intake_mg : std::min(data_.dose.rda_low, *row.intake_mg);
          data_.dose.rda_high = std::max(data_.dose.rda_high, *row.intake_mg);
          first = false;
        }
        if (row.ul_supplemental_mg) {
          double& ul = reference == dri::Reference::kUs ? data_.dose.us_ul : data_.dose.eu_ul;
          ul = std::max(ul, *row.ul_supplemental_mg);
        }
      }
    }
  }

  void Rules(TomlReader& doc) {
    for (TomlReader r :
         doc.Tables("rule", "rule", {"id", "claim_type", "description", "explanation"})) {
      Rule rule;
      rule.id = r.Text("id");
      rule.claim_type = r.Enum("claim_type", kClaimTypeNames).value_or(ClaimType::kEfficacy);
      rule.description = r.Text("description");
      rule.explanation = r.Text("explanation");
      if (data_.FindRule(rule.id) != nullptr) {
        r.Report(fmt::format("rule '{}' is defined twice", rule.id));
      }
      data_.rules.push_back(std::move(rule));
    }
    std::set<kb::Verdict> seen;
    for (TomlReader r :
         doc.Tables("grade", "grade",
                    {"grade", "hedged", "plain", "strong", "absolute", "negative", "absent"},
                    TomlReader::Need::kRequired, "grade")) {
      GradeRow row;
      row.grade = r.Enum("grade", kGradeNames).value_or(kb::Verdict::kNotStudied);
      for (const auto& s : kStrengthNames) {
        if (auto v = r.Enum(s.name, kVerdictNames)) row.verdicts[s.value] = *v;
      }
      if (!seen.insert(row.grade).second) r.Report("this grade has two rows");
      data_.grades.push_back(std::move(row));
    }
    if (seen.size() != std::size(kGradeNames)) {
      doc.Report(fmt::format("[[grade]] needs one row for each of {}",
                             JoinAlternatives(EnumSpellings(kGradeNames))));
    }
  }

  void Mechanisms(TomlReader& doc) {
    for (TomlReader r : doc.Tables("pattern", "pattern", {"mechanism", "all", "unless"},
                                   TomlReader::Need::kRequired, "mechanism")) {
      MechanismPattern m;
      const std::string id = r.Text("mechanism");
      m.mechanism = data_.kb->FindMechanism(id);
      if (m.mechanism == nullptr && !id.empty()) {
        r.Report(fmt::format("'{}' is not a knowledge-base mechanism id", id),
                 r.LineAt("mechanism"));
      }
      if (auto p = ReadPattern(r, "all")) m.pattern = std::move(*p);
      if (m.mechanism != nullptr) data_.mechanisms.push_back(std::move(m));
    }
  }

  void Safety(TomlReader& doc) {
    for (TomlReader r :
         doc.Tables("pattern", "pattern",
                    {"id", "all", "unless", "verdict", "negated", "evidence", "explanation"})) {
      SafetyPattern s;
      s.id = r.Text("id");
      if (auto p = ReadPattern(r, "all")) s.pattern = std::move(*p);
      s.verdict = r.Enum("verdict", kVerdictNames).value_or(Verdict::kNotAssessed);
      s.negated = r.Enum("negated", kVerdictNames).value_or(Verdict::kNotAssessed);
      s.evidence = r.TextList("evidence");
      Evidence(r, s.evidence, s.citations);
      s.explanation = r.Text("explanation");
      data_.safety.push_back(std::move(s));
    }
  }

  void Forms(TomlReader& doc) {
    for (TomlReader r : doc.Tables("form", "form", {"form", "absorption", "citations"},
                                   TomlReader::Need::kRequired, "form")) {
      FormAbsorption f;
      f.form = Form(r, "form", r.Text("form"));
      f.rank = r.Enum("absorption", kAbsorptionRankNames).value_or(AbsorptionRank::kUnknown);
      f.citations = r.TextList("citations");
      Citations(r, f.citations);
      if (f.form != nullptr && data_.AbsorptionOf(f.form) != nullptr) {
        r.Report(fmt::format("form '{}' is listed twice", f.form->id));
      }
      if (f.form != nullptr) data_.absorption.push_back(std::move(f));
    }
  }

  void Organisations(TomlReader& doc) {
    for (TomlReader r : doc.Tables(
             "organisation", "organisation",
             {"id", "name", "aliases", "unlisted", "unlisted_text", "citations", "position"})) {
      Organisation o;
      o.id = r.Text("id");
      o.name = r.Text("name");
      const int index = static_cast<int>(data_.organisations.size());
      Phrases(r, "aliases", kOrganisation, index);
      o.unlisted = r.Enum("unlisted", kStanceNames).value_or(Stance::kNoPosition);
      o.unlisted_text = r.Text("unlisted_text");
      o.citations = r.TextList("citations");
      Citations(r, o.citations);
      for (TomlReader p : r.Tables("position", "position of " + o.id,
                                   {"conditions", "all", "unless", "stance", "text", "citations"},
                                   TomlReader::Need::kOptional)) {
        Position position;
        for (const auto& id : p.TextList("conditions", TomlReader::Need::kOptional)) {
          if (const auto* c = Condition(p, "conditions", id)) position.conditions.push_back(c);
        }
        position.pattern = ReadPattern(p, "all", TomlReader::Need::kOptional);
        if (position.conditions.empty() && !position.pattern) {
          p.Report(fmt::format("{} needs 'conditions' or 'all'", p.where()));
        }
        position.stance = p.Enum("stance", kStanceNames).value_or(Stance::kNoPosition);
        position.text = p.Text("text");
        position.citations = p.TextList("citations");
        Citations(p, position.citations);
        o.positions.push_back(std::move(position));
      }
      data_.organisations.push_back(std::move(o));
    }
  }

  void Journals(TomlReader& doc) {
    for (TomlReader r : doc.Tables("journal", "journal", {"names", "venue"},
                                   TomlReader::Need::kRequired, "venue")) {
      Journal j;
      const auto names = r.TextList("names");
      j.name = names.empty() ? "" : names[0];
      j.venue = r.OptionalText("venue").value_or("");
      Phrases(r, "names", kJournal, static_cast<int>(data_.journals.size()));
      data_.journals.push_back(std::move(j));
    }
  }

  void Quantities(TomlReader& doc) {
    for (TomlReader r : doc.Tables("quantity", "quantity",
                                   {"id", "all", "unless", "unit", "low", "high", "inside",
                                    "outside", "forms", "evidence", "citations", "explanation"})) {
      QuantityFact q;
      q.id = r.Text("id");
      if (auto p = ReadPattern(r, "all")) q.pattern = std::move(*p);
      q.unit = r.Enum("unit", kQuantityUnitNames).value_or(QuantityUnit::kCount);
      q.low = r.Number("low", NumberRange::AtLeast(0)).value_or(0);
      q.high = r.Number("high", NumberRange::AtLeast(0)).value_or(0);
      if (q.high < q.low) r.Report(fmt::format("{}: high is below low", r.where()));
      q.inside = r.Enum("inside", kVerdictNames).value_or(Verdict::kSupported);
      q.outside = r.Enum("outside", kVerdictNames).value_or(Verdict::kContradicted);
      for (const auto& id : r.TextList("forms", TomlReader::Need::kOptional)) {
        if (const auto* f = Form(r, "forms", id)) q.forms.push_back(f);
      }
      q.evidence = r.TextList("evidence", TomlReader::Need::kOptional);
      q.citations = r.TextList("citations");
      Citations(r, q.citations);
      Evidence(r, q.evidence, q.citations);
      q.explanation = r.Text("explanation");
      data_.quantities.push_back(std::move(q));
    }
  }

 private:
  CheckData& data_;
};

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

const Rule* CheckData::FindRule(std::string_view id) const {
  for (const Rule& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const FormAbsorption* CheckData::AbsorptionOf(const kb::Form* form) const {
  for (const FormAbsorption& f : absorption) {
    if (f.form == form) return &f;
  }
  return nullptr;
}

const std::vector<std::string>& RuleIdsUsed() {
  static const std::vector<std::string> ids = {
      "efficacy.grade",          "efficacy.no_finding",    "efficacy.unknown_topic",
      "absorption.transdermal",  "absorption.superlative", "absorption.comparative",
      "absorption.rank",         "absorption.brain",       "mechanism.pattern",
      "dose.upper_limit_stated", "dose.intake_stated",     "dose.above_upper_limit",
      "dose.within_upper_limit", "dose.studied",           "safety.pattern",
      "authority.position",      "authority.unlisted",     "authority.unnamed",
      "attribution.matched",     "attribution.unmatched",  "quantity.fact"};
  return ids;
}

void ParseCheckData(const std::vector<DataFile>& files, const dri::ReferenceTables& tables,
                    CheckData& data, DataProblems& problems) {
  Loader loader(data);
  const kb::KnowledgeBase& kb = *data.kb;
  // Conditions and forms are found by the names and aliases the knowledge base gives them.
  for (size_t i = 0; i < kb.conditions.size(); ++i) {
    data.index.Add(kb.conditions[i].name, kCondition, static_cast<int>(i));
    for (const auto& alias : kb.conditions[i].aliases) {
      data.index.Add(alias, kCondition, static_cast<int>(i));
    }
  }
  for (size_t i = 0; i < kb.forms.size(); ++i) {
    data.index.Add(kb.forms[i].name, kForm, static_cast<int>(i));
    for (const auto& alias : kb.forms[i].aliases) data.index.Add(alias, kForm, static_cast<int>(i));
  }
  for (const kb::Citation& c : kb.citations) {
    // "Zhang X, Li Y, ..." -> "Zhang": only people, not agencies ("EFSA Panel on ...").
    const std::string first = c.authors.substr(0, c.authors.find(','));
    const size_t space = first.rfind(' ');
    if (space == std::string::npos || space < 3) continue;
    const std::string initials = first.substr(space + 1);
    if (initials.empty() || initials.size() > 3 ||
        !std::all_of(initials.begin(), initials.end(),
                     [](unsigned char ch) { return std::isupper(ch); })) {
      continue;
    }
    const std::string surname = first.substr(0, space);
    size_t index = data.authors.size();
    data.authors.push_back({c.id});
    data.index.Add(surname, kAuthor, static_cast<int>(index));
  }
  std::set<std::string> seen;
  for (const DataFile& file : files) {
    const std::string base = BaseName(file.name);
    seen.insert(base);
    auto root = ParseTomlFile(file, problems);
    if (!root) continue;
    if (base == "language.toml") {
      TomlReader doc(*root, file.name, base, problems, {"abbreviations", "subject"});
      loader.Language(doc);
    } else if (base == "claims.toml") {
      TomlReader doc(*root, file.name, base, problems,
                     {"efficacy", "strength", "absorption", "attribution", "authority", "dose",
                      "proportions", "context"});
      loader.Claims(doc, tables);
    } else if (base == "rules.toml") {
      TomlReader doc(*root, file.name, base, problems, {"rule", "grade"});
      loader.Rules(doc);
    } else if (base == "mechanisms.toml") {
      TomlReader doc(*root, file.name, base, problems, {"pattern"});
      loader.Mechanisms(doc);
    } else if (base == "safety.toml") {
      TomlReader doc(*root, file.name, base, problems, {"pattern"});
      loader.Safety(doc);
    } else if (base == "forms.toml") {
      TomlReader doc(*root, file.name, base, problems, {"form"});
      loader.Forms(doc);
    } else if (base == "organisations.toml") {
      TomlReader doc(*root, file.name, base, problems, {"organisation"});
      loader.Organisations(doc);
    } else if (base == "journals.toml") {
      TomlReader doc(*root, file.name, base, problems, {"journal"});
      loader.Journals(doc);
    } else if (base == "quantities.toml") {
      TomlReader doc(*root, file.name, base, problems, {"quantity"});
      loader.Quantities(doc);
    } else {
      problems.Add(file.name, 1,
                   fmt::format("unknown checker data file '{}' (expected language, claims, "
                               "rules, mechanisms, safety, forms, organisations, journals or "
                               "quantities .toml)",
                               base));
    }
  }
  for (const char* required : {"language.toml", "claims.toml", "rules.toml"}) {
    if (!seen.contains(required)) {
      problems.Add(required, 0, "missing: the checker cannot run without it");
    }
  }
  if (seen.contains("rules.toml")) {
    for (const auto& id : RuleIdsUsed()) {
      if (data.FindRule(id) == nullptr) {
        problems.Add("rules.toml", 0,
                     fmt::format("rule '{}' is used by the checker but not defined", id));
      }
    }
  }
  // Which conditions each citation speaks to, so "a 2016 study on blood pressure" can be matched.
  auto link = [&data](const std::vector<std::string>& ids, const std::string& condition) {
    for (const auto& id : ids) {
      auto& list = data.citation_conditions[id];
      if (std::find(list.begin(), list.end(), condition) == list.end()) list.push_back(condition);
    }
  };
  for (const auto& c : kb.conditions) link(c.citation_ids, c.id);
  for (const auto& f : kb.findings) link(f.citation_ids, f.condition_id);
  for (const auto& m : kb.measures) link(m.citation_ids, m.condition_id);
}

}  // namespace mg::check
