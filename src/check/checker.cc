// Checker: each sentence of a page against the knowledge base. The rule families below each look
// at one claim type; the most serious verdict among those that fire is the sentence's verdict,
// and every rule that fired is listed with it.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "check/check_data.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "core/text.h"

namespace mg::check {

std::string_view ToString(Verdict v) { return EnumToString(kVerdictNames, v); }
std::string_view ToString(ClaimType t) { return EnumToString(kClaimTypeNames, t); }
bool IsFlag(Verdict v) { return v != Verdict::kSupported && v != Verdict::kNotAssessed; }

namespace {

// How serious a verdict is, for choosing among rule families: a contradiction outweighs an
// unverifiable source, which outweighs an overstatement...
int Severity(Verdict v) {
  switch (v) {
    case Verdict::kContradicted:
      return 5;
    case Verdict::kUnverifiedSource:
      return 4;
    case Verdict::kOverstated:
      return 3;
    case Verdict::kUnsupported:
      return 2;
    case Verdict::kSupported:
      return 1;
    case Verdict::kNotAssessed:
      return 0;
  }
  return 0;
}

struct Amount {  // A number in a sentence with what it measures.
  double low = 0;
  double high = 0;
  bool plus = false;   // "300+", "more than 300"
  bool grams = false;  // Written in grams ("25 g"), not milligrams.
  enum class Unit { kNone, kMass, kPercent } unit = Unit::kNone;
  size_t token = 0;
};

struct Analysis {
  std::vector<Token> tokens;
  std::vector<Hit> hits;
  std::array<int, kKindCount> count{};
  std::vector<const kb::Condition*> conditions;
  std::vector<const kb::Form*> forms;
  std::set<int> groups;
  std::vector<Hit> group_hits;
  std::vector<Hit> negations;  // kNegative and kAbsent hits.
  std::vector<int> organisations;
  std::vector<int> journals;
  std::vector<int> authors;
  std::vector<int> years;
  std::vector<Amount> amounts;
  bool about_magnesium = false;  // Subject or form named.
  bool pronoun = false;

  bool Has(Kind k) const { return count[k] > 0; }
  bool Negated() const { return Has(kNegative) || Has(kAbsent); }
  // A "not" outside the words that matched `p`: in "you can't take too much", "can't" is part of
  // the claim, not a denial of it.
  bool NegatedOutside(const Pattern& p) const {
    for (const Hit& n : negations) {
      const bool inside = std::any_of(group_hits.begin(), group_hits.end(), [&](const Hit& g) {
        return std::find(p.groups.begin(), p.groups.end(), g.payload) != p.groups.end() &&
               n.begin < g.end && g.begin < n.end;
      });
      if (!inside) return true;
    }
    return false;
  }
  bool Matches(const Pattern& p) const {
    if (p.groups.empty()) return false;
    for (int g : p.groups) {
      if (!groups.contains(g)) return false;
    }
    for (int g : p.vetoes) {
      if (groups.contains(g)) return false;
    }
    return true;
  }
};

struct Assessment {
  Verdict verdict = Verdict::kNotAssessed;
  ClaimType type = ClaimType::kEfficacy;
  std::string topic;
  std::string explanation;
  std::vector<std::string> evidence;
  std::vector<std::string> citations;
  std::string rule;
};

using Fields = std::vector<std::pair<std::string_view, std::string>>;

std::string Fill(const std::string& tmpl, const Fields& fields) {
  std::string out;
  out.reserve(tmpl.size() + 64);
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      const size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        const std::string_view key(&tmpl[i + 1], close - i - 1);
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == key; });
        if (it != fields.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out += tmpl[i];
  }
  return out;
}

void AddUnique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& x : from) {
    if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
  }
}

std::string StrengthWords(Strength s) {
  switch (s) {
    case Strength::kHedged:
      return "a possibility (\"may\", \"some people\")";
    case Strength::kPlain:
      return "a plain statement of effect";
    case Strength::kStrong:
      return "proven or strong";
    case Strength::kAbsolute:
      return "a cure or a certainty";
    case Strength::kNegative:
      return "no effect";
    case Strength::kAbsent:
      return "a lack of evidence";
  }
  return "";
}

class Judge {
 public:
  explicit Judge(const CheckData& data) : d_(data), kb_(*data.kb) {}

  Analysis Analyse(std::string_view sentence) const {
    Analysis a;
    a.tokens = Tokenize(sentence);
    d_.index.Find(d_.index.Ids(a.tokens), a.hits);
    std::vector<std::pair<uint32_t, uint32_t>> taken;  // Condition and form spans, longest first.
    std::vector<int> unit_at(a.tokens.size() + 1, -1);
    std::vector<bool> percent_at(a.tokens.size() + 1, false);
    for (const Hit& h : a.hits) {
      ++a.count[h.kind];
      switch (h.kind) {
        case kCondition:
        case kForm: {
          const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](const auto& span) {
            return h.begin < span.second && span.first < h.end;
          });
          if (overlaps) {
            --a.count[h.kind];
            break;
          }
          taken.push_back({h.begin, h.end});
          if (h.kind == kCondition) {
            const kb::Condition* c = &kb_.conditions[h.payload];
            if (std::find(a.conditions.begin(), a.conditions.end(), c) == a.conditions.end()) {
              a.conditions.push_back(c);
            }
          } else {
            const kb::Form* f = &kb_.forms[h.payload];
            if (std::find(a.forms.begin(), a.forms.end(), f) == a.forms.end()) a.forms.push_back(f);
          }
          break;
        }
        case kGroupTerm:
          a.groups.insert(h.payload);
          a.group_hits.push_back(h);
          break;
        case kNegative:
        case kAbsent:
          a.negations.push_back(h);
          break;
        case kOrganisation:
          a.organisations.push_back(h.payload);
          break;
        case kJournal:
          a.journals.push_back(h.payload);
          break;
        case kAuthor: {
          // A surname counts only as written with a capital ("Walker 2003", not "a walker").
          const char first = sentence[a.tokens[h.begin].begin];
          if (first >= 'A' && first <= 'Z') {
            a.authors.push_back(h.payload);
          } else {
            --a.count[kAuthor];
          }
          break;
        }
        case kMassUnit:
          if (unit_at[h.begin] < 0) unit_at[h.begin] = h.payload;
          break;
        case kPercentUnit:
          percent_at[h.begin] = true;
          break;
        default:
          break;
      }
    }
    // "Leg cramps in pregnancy" are pregnancy leg cramps, not night cramps in older adults.
    for (const ConditionContext& c : d_.contexts) {
      auto it = std::find(a.conditions.begin(), a.conditions.end(), c.condition);
      if (it == a.conditions.end() || !a.groups.contains(c.when_group)) continue;
      if (std::find(a.conditions.begin(), a.conditions.end(), c.becomes) != a.conditions.end()) {
        a.conditions.erase(it);
      } else {
        *it = c.becomes;
      }
    }
    a.about_magnesium = a.Has(kSubject) || !a.forms.empty();
    a.pronoun = a.Has(kPronoun);
    // Numbers: ranges ("300-600", "300 to 600"), "300+", "more than 300", units after them.
    for (size_t i = 0; i < a.tokens.size(); ++i) {
      if (auto p = d_.proportions.find(a.tokens[i].text); p != d_.proportions.end()) {
        Amount amount;
        amount.low = amount.high = p->second;
        amount.unit = Amount::Unit::kPercent;
        amount.token = i;
        a.amounts.push_back(amount);
        continue;
      }
      if (!a.tokens[i].number) continue;
      Amount amount;
      amount.low = amount.high = a.tokens[i].value;
      amount.token = i;
      size_t j = i;
      if (j + 2 < a.tokens.size() &&
          (a.tokens[j + 1].text == "-" || a.tokens[j + 1].text == "to") && a.tokens[j + 2].number) {
        amount.high = a.tokens[j + 2].value;
        j += 2;
      }
      if (j + 1 < a.tokens.size() && a.tokens[j + 1].text == "+") {
        amount.plus = true;
        ++j;
      }
      if (i >= 1 && (a.tokens[i - 1].text == "over" || a.tokens[i - 1].text == "than" ||
                     a.tokens[i - 1].text == "least" || a.tokens[i - 1].text == "above")) {
        amount.plus = true;
      }
      if (unit_at[j + 1] >= 0) {
        amount.unit = Amount::Unit::kMass;
        amount.grams = unit_at[j + 1] == 1000;
        amount.low *= unit_at[j + 1];
        amount.high *= unit_at[j + 1];
      } else if (percent_at[j + 1]) {
        amount.unit = Amount::Unit::kPercent;
      } else if (amount.high == amount.low && amount.low >= 1950 && amount.low <= 2030 &&
                 amount.low == static_cast<int>(amount.low)) {
        a.years.push_back(static_cast<int>(amount.low));
        i = j;
        continue;
      }
      if (amount.high < amount.low) std::swap(amount.low, amount.high);
      a.amounts.push_back(amount);
      i = j;
    }
    return a;
  }

  std::optional<Assessment> Judge1(const Analysis& a, bool page_about_magnesium) const {
    // On a page about magnesium, "it", "this supplement" and a bare dose ("take 400 mg a day")
    // are about magnesium too.
    const bool has_mass = std::any_of(a.amounts.begin(), a.amounts.end(), [](const Amount& x) {
      return x.unit == Amount::Unit::kMass;
    });
    if (!a.about_magnesium && !((a.pronoun || has_mass) && page_about_magnesium)) {
      return std::nullopt;
    }
    std::vector<Assessment> found;
    auto add = [&found](std::optional<Assessment> x) {
      if (x) found.push_back(std::move(*x));
    };
    add(Mechanism(a));
    add(Safety(a));
    std::optional<Assessment> authority = Authority(a);
    std::optional<Assessment> attribution = authority ? std::nullopt : Attribution(a);
    const bool replaces_efficacy = authority.has_value() || attribution.has_value();
    add(std::move(authority));
    add(std::move(attribution));
    add(Quantity(a));
    add(Dose(a));
    add(Absorption(a));
    if (!replaces_efficacy) {
      for (auto& e : Efficacy(a, /*reported=*/false)) found.push_back(std::move(e));
    }
    if (found.empty()) {
      if (!a.Has(kPositive) && !a.Has(kStrong) && !a.Has(kAbsolute)) return std::nullopt;
      Assessment none;
      none.verdict = Verdict::kNotAssessed;
      none.rule = "efficacy.unknown_topic";
      none.explanation = Fill(RuleNamed("efficacy.unknown_topic").explanation, {});
      return none;
    }
    std::stable_sort(found.begin(), found.end(), [](const Assessment& x, const Assessment& y) {
      return Severity(x.verdict) > Severity(y.verdict);
    });
    Assessment out = found.front();
    std::vector<std::string> rules{out.rule};
    for (size_t i = 1; i < found.size(); ++i) {
      if (std::find(rules.begin(), rules.end(), found[i].rule) == rules.end()) {
        rules.push_back(found[i].rule);
      }
      AddUnique(out.evidence, found[i].evidence);
      AddUnique(out.citations, found[i].citations);
      if (IsFlag(found[i].verdict) && found[i].type != out.type) {
        out.explanation += " Also: " + found[i].explanation;
      }
    }
    out.rule = fmt::format("{}", fmt::join(rules, ","));
    return out;
  }

 private:
  const Rule& RuleNamed(std::string_view id) const {
    // Every id used here is checked against rules.toml at load (RuleIdsUsed).
    return *d_.FindRule(id);
  }

  Assessment Make(std::string_view rule, Verdict verdict, std::string topic, const Fields& fields,
                  std::vector<std::string> evidence, std::vector<std::string> citations) const {
    const auto& r = RuleNamed(rule);
    Assessment out;
    out.verdict = verdict;
    out.type = r.claim_type;
    out.topic = std::move(topic);
    Fields all = fields;
    all.emplace_back("verdict", std::string(ToString(verdict)));
    out.explanation = Fill(r.explanation, all);
    out.evidence = std::move(evidence);
    out.citations = std::move(citations);
    out.rule = std::string(rule);
    return out;
  }

  Strength StrengthOf(const Analysis& a) const {
    if (a.Has(kAbsent)) return Strength::kAbsent;
    // A hedged denial ("in a small trial it did not help") is a statement about the evidence.
    if (a.Has(kNegative)) return a.Has(kHedged) ? Strength::kAbsent : Strength::kNegative;
    if (a.Has(kAbsolute)) return Strength::kAbsolute;
    if (a.Has(kHedged)) return Strength::kHedged;
    if (a.Has(kStrong)) return Strength::kStrong;
    return Strength::kPlain;
  }

  Verdict GradeVerdict(kb::Verdict grade, Strength s) const {
    for (const GradeRow& row : d_.grades) {
      if (row.grade != grade) continue;
      auto it = row.verdicts.find(s);
      if (it != row.verdicts.end()) return it->second;
    }
    return Verdict::kNotAssessed;
  }

  kb::Route RouteOf(const Analysis& a) const {
    for (const kb::Form* f : a.forms) {
      if (f->route != kb::Route::kOral) return f->route;
    }
    if (a.Has(kTransdermal)) return kb::Route::kTopical;
    return kb::Route::kOral;
  }

  const kb::Finding* FindingFor(const kb::Condition* c, kb::Route route) const {
    for (const kb::Finding* f : kb_.FindingsFor(c->id)) {
      if (f->route == route) return f;
    }
    return nullptr;
  }

  std::vector<Assessment> Efficacy(const Analysis& a, bool reported) const {
    std::vector<Assessment> out;
    if (a.conditions.empty()) return out;
    if (!a.Has(kPositive) && !a.Negated() && !a.Has(kStrong) && !a.Has(kAbsolute)) return out;
    Strength strength = StrengthOf(a);
    // A named study's own result, reported as such, is read as "it found an effect".
    if (reported && strength == Strength::kPlain) strength = Strength::kHedged;
    const kb::Route route = RouteOf(a);
    for (const kb::Condition* c : a.conditions) {
      const kb::Finding* f = FindingFor(c, route);
      if (f == nullptr) {
        out.push_back(Make("efficacy.no_finding", Verdict::kUnsupported, c->id,
                           {{"condition", c->name}, {"route", std::string(kb::ToString(route))}},
                           {"condition:" + c->id}, c->citation_ids));
        continue;
      }
      const Verdict v = GradeVerdict(f->verdict, strength);
      out.push_back(
          Make("efficacy.grade", v, c->id,
               {{"condition", c->name},
                {"route", std::string(kb::ToString(route))},
                {"grade", std::string(kb::Describe(f->verdict))},
                {"certainty", f->certainty ? std::string(kb::Describe(*f->certainty)) : "no"},
                {"strength", StrengthWords(strength)},
                {"summary", f->summary}},
               {"finding:" + f->id}, f->citation_ids));
    }
    return out;
  }

  std::optional<Assessment> Mechanism(const Analysis& a) const {
    for (const MechanismPattern& m : d_.mechanisms) {
      if (!a.Matches(m.pattern)) continue;
      Verdict v = m.mechanism->status == kb::MechanismStatus::kCorrect ? Verdict::kSupported
                  : m.mechanism->status == kb::MechanismStatus::kWrong ? Verdict::kContradicted
                                                                       : Verdict::kUnsupported;
      if (a.NegatedOutside(m.pattern)) {
        v = v == Verdict::kSupported ? Verdict::kContradicted : Verdict::kSupported;
      }
      return Make("mechanism.pattern", v, m.mechanism->id,
                  {{"mechanism", m.mechanism->name},
                   {"status", std::string(kb::ToString(m.mechanism->status))},
                   {"statement", m.mechanism->statement},
                   {"correction", m.mechanism->correction.empty() ? m.mechanism->relevance
                                                                  : m.mechanism->correction}},
                  {"mechanism:" + m.mechanism->id}, m.mechanism->citation_ids);
    }
    return std::nullopt;
  }

  std::optional<Assessment> Safety(const Analysis& a) const {
    for (const SafetyPattern& s : d_.safety) {
      if (!a.Matches(s.pattern)) continue;
      const Verdict v = a.NegatedOutside(s.pattern) ? s.negated : s.verdict;
      return Make("safety.pattern", v, s.id, {{"text", s.explanation}}, s.evidence, s.citations);
    }
    return std::nullopt;
  }

  std::optional<Assessment> Authority(const Analysis& a) const {
    const bool cue = a.Has(kAuthorityCue);
    if (!cue) return std::nullopt;
    if (a.organisations.empty()) {
      if (!a.Has(kUnnamedAuthority) || a.Negated()) return std::nullopt;
      return Make("authority.unnamed", Verdict::kUnverifiedSource, "", {}, {}, {});
    }
    const Organisation& o = d_.organisations[a.organisations.front()];
    const Strength strength = StrengthOf(a);
    for (const Position& p : o.positions) {
      bool applies = p.pattern && a.Matches(*p.pattern);
      const kb::Condition* topic = nullptr;
      for (const kb::Condition* c : p.conditions) {
        if (std::find(a.conditions.begin(), a.conditions.end(), c) != a.conditions.end()) {
          applies = true;
          topic = c;
        }
      }
      if (!applies) continue;
      Verdict v = Verdict::kUnsupported;
      switch (p.stance) {
        case Stance::kEndorses:
          v = strength == Strength::kAbsolute ? Verdict::kOverstated
              : a.Negated()                   ? Verdict::kContradicted
                                              : Verdict::kSupported;
          break;
        case Stance::kQualified:
          v = strength == Strength::kHedged || a.Negated() ? Verdict::kSupported
                                                           : Verdict::kOverstated;
          break;
        case Stance::kDoesNotEndorse:
          v = a.Negated() ? Verdict::kSupported : Verdict::kContradicted;
          break;
        case Stance::kNoPosition:
          v = Verdict::kUnsupported;
          break;
      }
      std::vector<std::string> citations = p.citations;
      AddUnique(citations, o.citations);
      return Make("authority.position", v, topic ? topic->id : o.id,
                  {{"organisation", o.name}, {"position", p.text}}, {"organisation:" + o.id},
                  citations);
    }
    // Nothing recorded on this topic. Say so only when the sentence names a topic; otherwise
    // (e.g. "according to the NIH, adults need 310-420 mg") the other rules judge the content.
    if (a.conditions.empty()) return std::nullopt;
    const Verdict v = o.unlisted == Stance::kDoesNotEndorse
                          ? (a.Negated() ? Verdict::kSupported : Verdict::kContradicted)
                          : Verdict::kUnsupported;
    return Make("authority.unlisted", v, a.conditions.front()->id,
                {{"organisation", o.name},
                 {"condition", a.conditions.front()->name},
                 {"position", o.unlisted_text}},
                {"organisation:" + o.id}, o.citations);
  }

  std::optional<Assessment> Attribution(const Analysis& a) const {
    if (!a.Has(kStudyCue)) return std::nullopt;
    if (a.years.empty() && a.journals.empty() && a.authors.empty() && !a.Has(kInstitution)) {
      return std::nullopt;
    }
    // Citations carry no affiliations, so "a Harvard study" can never be matched to one.
    const bool institution = a.Has(kInstitution);
    // Candidates: knowledge-base citations that fit every detail the sentence gives.
    std::vector<const kb::Citation*> matched;
    for (const kb::Citation& c : kb_.citations) {
      if (!a.years.empty() && std::find(a.years.begin(), a.years.end(), c.year) == a.years.end()) {
        continue;
      }
      if (!a.journals.empty()) {
        const Journal& j = d_.journals[a.journals.front()];
        if (j.venue.empty() || !c.venue.starts_with(j.venue)) continue;
      }
      if (!a.authors.empty()) {
        const auto& ids = d_.authors[a.authors.front()];
        if (std::find(ids.begin(), ids.end(), c.id) == ids.end()) continue;
      }
      if (!a.conditions.empty() || !a.forms.empty()) {
        bool on_topic = false;
        auto it = d_.citation_conditions.find(c.id);
        for (const kb::Condition* cond : a.conditions) {
          if (it != d_.citation_conditions.end() &&
              std::find(it->second.begin(), it->second.end(), cond->id) != it->second.end()) {
            on_topic = true;
          }
        }
        for (const kb::Form* f : a.forms) {
          if (std::find(f->citation_ids.begin(), f->citation_ids.end(), c.id) !=
              f->citation_ids.end()) {
            on_topic = true;
          }
        }
        if (!on_topic) continue;
      }
      matched.push_back(&c);
    }
    const std::string topic = !a.conditions.empty() ? a.conditions.front()->id
                              : !a.forms.empty()    ? a.forms.front()->id
                                                    : "";
    if (matched.empty() || institution) {
      // Name what the base does hold on the topic, so the reader can look for it.
      std::vector<std::string> known;
      if (!a.conditions.empty()) {
        for (const auto& [id, conditions] : d_.citation_conditions) {
          if (std::find(conditions.begin(), conditions.end(), a.conditions.front()->id) !=
                  conditions.end() &&
              known.size() < 4) {
            if (const kb::Citation* c = kb_.FindCitation(id)) {
              known.push_back(fmt::format("{} {} ({})", c->authors.substr(0, c->authors.find(',')),
                                          c->year, c->venue));
            }
          }
        }
      }
      return Make("attribution.unmatched", Verdict::kUnverifiedSource, topic,
                  {{"sources", known.empty() ? "none on this topic"
                                             : fmt::format("{}", fmt::join(known, "; "))}},
                  {}, {});
    }
    std::vector<std::string> ids;
    for (const kb::Citation* c : matched) ids.push_back(c->id);
    // Matched: the content is still graded, reading a reported result as "it found an effect".
    std::vector<Assessment> graded = Efficacy(a, /*reported=*/a.Has(kReportVerb));
    Verdict v = StrengthOf(a) == Strength::kAbsolute ? Verdict::kOverstated : Verdict::kSupported;
    std::vector<std::string> evidence;
    for (const Assessment& g : graded) {
      if (Severity(g.verdict) > Severity(v)) v = g.verdict;
      AddUnique(evidence, g.evidence);
    }
    const kb::Citation* first = matched.front();
    return Make(
        "attribution.matched", v, topic,
        {{"source", fmt::format("{} {}, {}", first->authors.substr(0, first->authors.find(',')),
                                first->year, first->venue)},
         {"title", first->title}},
        evidence, ids);
  }

  std::optional<Assessment> Quantity(const Analysis& a) const {
    for (const QuantityFact& q : d_.quantities) {
      if (!a.Matches(q.pattern)) continue;
      if (!q.forms.empty() && std::none_of(q.forms.begin(), q.forms.end(), [&](const kb::Form* f) {
            return std::find(a.forms.begin(), a.forms.end(), f) != a.forms.end();
          })) {
        continue;
      }
      for (const Amount& amount : a.amounts) {
        double low = amount.low;
        double high = amount.plus ? amount.low : amount.high;
        if (q.unit == QuantityUnit::kPercent && amount.unit != Amount::Unit::kPercent) continue;
        if (q.unit == QuantityUnit::kCount && amount.unit != Amount::Unit::kNone) continue;
        if (q.unit == QuantityUnit::kGrams) {
          if (amount.unit != Amount::Unit::kMass || !amount.grams) continue;
          low /= 1000;
          high /= 1000;
        }
        const bool inside = low >= q.low && high <= q.high;
        const std::string stated =
            low == high ? FormatNumber(low, 1) : FormatNumber(low, 1) + "-" + FormatNumber(high, 1);
        return Make("quantity.fact", inside ? q.inside : q.outside, q.id,
                    {{"value", stated},
                     {"low", FormatNumber(q.low, 1)},
                     {"high", FormatNumber(q.high, 1)},
                     {"fact", q.explanation}},
                    q.evidence, q.citations);
      }
    }
    return std::nullopt;
  }

  // The elemental magnesium in `mg` of a named salt, when the sentence does not say "elemental".
  std::optional<double> ElementalOf(const Analysis& a, double mg) const {
    for (const kb::Form* f : a.forms) {
      if (f->route != kb::Route::kOral || f->compound_ids.empty()) continue;
      if (const chem::Compound* c = d_.compounds->FindById(f->compound_ids.front())) {
        return mg * c->magnesium_fraction;
      }
    }
    return std::nullopt;
  }

  std::optional<Assessment> Dose(const Analysis& a) const {
    std::vector<const Amount*> masses;
    for (const Amount& amount : a.amounts) {
      if (amount.unit == Amount::Unit::kMass) masses.push_back(&amount);
    }
    if (masses.empty()) return std::nullopt;
    const DoseFacts& f = d_.dose;
    const double tol = d_.tolerance;
    std::vector<std::string> us_and_eu = f.us_citations;
    AddUnique(us_and_eu, f.eu_citations);
    const Amount& m = *masses.front();
    const std::string stated = m.low == m.high
                                   ? FormatMilligrams(m.low, 1)
                                   : FormatNumber(m.low, 1) + "-" + FormatMilligrams(m.high, 1);
    if (a.Has(kDoseUl)) {
      const bool matches = std::any_of(masses.begin(), masses.end(), [&](const Amount* x) {
        return std::abs(x->high - f.us_ul) <= f.us_ul * 0.02 ||
               std::abs(x->high - f.eu_ul) <= f.eu_ul * 0.02;
      });
      return Make("dose.upper_limit_stated", matches ? Verdict::kSupported : Verdict::kContradicted,
                  "upper_limit",
                  {{"value", stated},
                   {"us_ul", FormatMilligrams(f.us_ul, 1)},
                   {"eu_ul", FormatMilligrams(f.eu_ul, 1)}},
                  {}, us_and_eu);
    }
    if (a.Has(kDoseStudied)) {
      for (const kb::Finding& finding : kb_.findings) {
        if (!finding.dose_elemental_mg_low) continue;
        if (!a.conditions.empty() &&
            std::find_if(a.conditions.begin(), a.conditions.end(), [&](const kb::Condition* c) {
              return c->id == finding.condition_id;
            }) == a.conditions.end()) {
          continue;
        }
        const double lo = *finding.dose_elemental_mg_low * (1 - tol);
        const double hi =
            finding.dose_elemental_mg_high.value_or(*finding.dose_elemental_mg_low) * (1 + tol);
        if (m.low >= lo && m.high <= hi) {
          return Make("dose.studied", Verdict::kSupported, finding.condition_id,
                      {{"value", stated}, {"dose", finding.dose_text}}, {"finding:" + finding.id},
                      finding.citation_ids);
        }
      }
      return Make("dose.studied", Verdict::kUnsupported, "", {{"value", stated}, {"dose", "none"}},
                  {}, {});
    }
    if (a.Has(kDoseRda) || (a.Has(kDoseFood) && !a.Has(kDoseRecommend))) {
      const bool inside = m.low >= f.rda_low * (1 - tol) && m.high <= f.rda_high * (1 + tol);
      return Make("dose.intake_stated", inside ? Verdict::kSupported : Verdict::kContradicted,
                  "intake",
                  {{"value", stated},
                   {"low", FormatMilligrams(f.rda_low, 1)},
                   {"high", FormatMilligrams(f.rda_high, 1)}},
                  {}, us_and_eu);
    }
    if (!a.Has(kDoseRecommend)) return std::nullopt;
    const bool elemental_said = std::any_of(a.tokens.begin(), a.tokens.end(),
                                            [](const Token& t) { return t.text == "elemental"; });
    double high = m.high;
    std::string salt_note;
    if (!elemental_said) {
      if (auto e = ElementalOf(a, m.high)) {
        high = *e;
        salt_note = fmt::format(" (read as the weight of the salt, about {} of magnesium)",
                                FormatMilligrams(*e, 1));
      }
    }
    if (high > f.us_ul * (1 + tol / 10)) {
      return Make("dose.above_upper_limit", Verdict::kContradicted, "upper_limit",
                  {{"value", stated + salt_note},
                   {"us_ul", FormatMilligrams(f.us_ul, 1)},
                   {"eu_ul", FormatMilligrams(f.eu_ul, 1)}},
                  {"side_effect:osmotic_diarrhoea"}, us_and_eu);
    }
    return Make("dose.within_upper_limit", Verdict::kSupported, "upper_limit",
                {{"value", stated + salt_note},
                 {"us_ul", FormatMilligrams(f.us_ul, 1)},
                 {"eu_ul", FormatMilligrams(f.eu_ul, 1)}},
                {}, us_and_eu);
  }

  std::optional<Assessment> Absorption(const Analysis& a) const {
    // "more than" or "better than" is a comparison of absorption only next to an absorption word.
    const bool compares = a.Has(kAbsorbComparative) && a.Has(kAbsorbCue);
    const bool claim =
        a.Has(kAbsorbCue) || a.Has(kAbsorbGood) || a.Has(kAbsorbPoor) || a.Has(kAbsorbSuperlative);
    if (!claim && !(a.Has(kBrain) && a.Has(kPositive))) return std::nullopt;
    const bool negated = a.Negated();
    // Through the skin: oils, sprays, flakes and baths.
    const kb::Form* skin = nullptr;
    for (const kb::Form* f : a.forms) {
      if (f->route == kb::Route::kTopical || f->route == kb::Route::kBath) skin = f;
    }
    if (skin != nullptr || a.Has(kTransdermal)) {
      if (!a.Has(kAbsorbGood) && !a.Has(kAbsorbSuperlative) && !compares && !a.Has(kAbsorbPoor) &&
          !a.Has(kTransdermal) && !a.Has(kPositive)) {
        return std::nullopt;
      }
      const kb::Mechanism* m = kb_.FindMechanism("wrong_transdermal_better");
      const bool denies = negated || a.Has(kAbsorbPoor);
      std::vector<std::string> evidence{"mechanism:wrong_transdermal_better"};
      if (skin) evidence.push_back("form:" + skin->id);
      return Make("absorption.transdermal", denies ? Verdict::kSupported : Verdict::kContradicted,
                  skin ? skin->id : "topical", {{"correction", m ? m->correction : ""}}, evidence,
                  m ? m->citation_ids : std::vector<std::string>{});
    }
    if (a.Has(kBrain) && (claim || a.Has(kPositive))) {
      const kb::Form* threonate = kb_.FindForm("threonate");
      return Make("absorption.brain", negated ? Verdict::kSupported : Verdict::kUnsupported,
                  "threonate", {{"note", threonate ? threonate->absorption : ""}},
                  {"form:threonate"},
                  threonate ? threonate->citation_ids : std::vector<std::string>{});
    }
    std::vector<const FormAbsorption*> oral;
    for (const kb::Form* f : a.forms) {
      if (const FormAbsorption* fa = d_.AbsorptionOf(f)) oral.push_back(fa);
    }
    auto cite = [&oral]() {
      std::vector<std::string> out;
      for (const auto* fa : oral) AddUnique(out, fa->citations);
      return out;
    };
    auto evidence = [&oral]() {
      std::vector<std::string> out;
      for (const auto* fa : oral) out.push_back("form:" + fa->form->id);
      return out;
    };
    if (compares && oral.size() >= 2) {
      const FormAbsorption* winner = oral[0];
      const FormAbsorption* loser = oral[1];
      Verdict v = Verdict::kUnsupported;
      if (winner->rank == AbsorptionRank::kModerate && loser->rank == AbsorptionRank::kLow) {
        v = negated ? Verdict::kContradicted : Verdict::kSupported;
      } else if (winner->rank == AbsorptionRank::kLow && loser->rank == AbsorptionRank::kModerate) {
        v = negated ? Verdict::kSupported : Verdict::kContradicted;
      }
      return Make("absorption.comparative", v, winner->form->id,
                  {{"form", winner->form->name},
                   {"other", loser->form->name},
                   {"note", winner->form->absorption + " " + loser->form->absorption}},
                  evidence(), cite());
    }
    if (a.Has(kAbsorbSuperlative) || compares) {
      const bool low = !oral.empty() && oral[0]->rank == AbsorptionRank::kLow;
      return Make("absorption.superlative",
                  negated ? Verdict::kSupported
                  : low   ? Verdict::kContradicted
                          : Verdict::kOverstated,
                  oral.empty() ? "" : oral[0]->form->id,
                  {{"form", oral.empty() ? std::string("magnesium") : oral[0]->form->name},
                   {"note", oral.empty() ? "" : oral[0]->form->absorption}},
                  evidence(), cite());
    }
    if ((a.Has(kAbsorbGood) || a.Has(kAbsorbPoor)) && !oral.empty()) {
      const bool says_good = a.Has(kAbsorbGood) != negated && !a.Has(kAbsorbPoor);
      const AbsorptionRank rank = oral[0]->rank;
      Verdict v = Verdict::kUnsupported;
      if (rank == AbsorptionRank::kModerate)
        v = says_good ? Verdict::kSupported : Verdict::kContradicted;
      if (rank == AbsorptionRank::kLow)
        v = says_good ? Verdict::kContradicted : Verdict::kSupported;
      return Make("absorption.rank", v, oral[0]->form->id,
                  {{"form", oral[0]->form->name},
                   {"rank", std::string(EnumToString(kAbsorptionRankNames, rank))},
                   {"note", oral[0]->form->absorption}},
                  evidence(), cite());
    }
    return std::nullopt;
  }

  const CheckData& d_;
  const kb::KnowledgeBase& kb_;
};

}  // namespace

Checker::Checker(std::unique_ptr<const CheckData> data) : data_(std::move(data)) {}
Checker::Checker(Checker&&) noexcept = default;
Checker& Checker::operator=(Checker&&) noexcept = default;
Checker::~Checker() = default;

const std::vector<std::string>& Checker::abbreviations() const { return data_->abbreviations; }

Result<Checker> Checker::FromFiles(const kb::KnowledgeBase& kb, const dri::ReferenceTables& tables,
                                   const chem::CompoundCatalog& compounds,
                                   const std::vector<DataFile>& files) {
  auto data = std::make_unique<CheckData>();
  data->kb = &kb;
  data->compounds = &compounds;
  DataProblems problems;
  ParseCheckData(files, tables, *data, problems);
  if (!problems.empty()) return problems.ToError();
  return Checker(std::move(data));
}

Result<Checker> Checker::Load(const kb::KnowledgeBase& kb, const dri::ReferenceTables& tables,
                              const chem::CompoundCatalog& compounds,
                              const std::optional<std::string>& dir) {
  auto files = LoadDataFiles("check", ".toml", dir);
  if (!files.ok()) return files.error();
  return FromFiles(kb, tables, compounds, *files);
}

std::vector<std::string> LintCheckData(const kb::KnowledgeBase& kb,
                                       const dri::ReferenceTables& tables,
                                       const chem::CompoundCatalog& compounds,
                                       const std::vector<DataFile>& files) {
  CheckData data;
  data.kb = &kb;
  data.compounds = &compounds;
  DataProblems problems;
  ParseCheckData(files, tables, data, problems);
  return problems.Sorted();
}

CheckResult Checker::Check(const Page& page) const { return CheckPage(page, false); }

CheckResult Checker::CheckPage(const Page& page, bool about_magnesium_given) const {
  CheckResult result;
  result.format = page.format;
  const std::vector<Sentence> sentences = SplitSentences(page.text, data_->abbreviations);
  result.sentences = sentences.size();
  Judge judge(*data_);
  std::vector<Analysis> analyses;
  analyses.reserve(sentences.size());
  bool about_magnesium = about_magnesium_given;
  for (const Sentence& s : sentences) {
    analyses.push_back(judge.Analyse(std::string_view(page.text).substr(s.begin, s.end - s.begin)));
    about_magnesium = about_magnesium || analyses.back().about_magnesium;
  }
  for (size_t i = 0; i < sentences.size(); ++i) {
    // "Restless legs? Our magnesium calms them." A claim without a topic takes the topic of the
    // sentence just before it when that one named a condition and made no claim itself.
    if (i > 0 && analyses[i].conditions.empty() && !analyses[i - 1].conditions.empty() &&
        !analyses[i - 1].Has(kPositive) && !analyses[i - 1].Negated() &&
        page.text.find('\n', sentences[i - 1].end) >= sentences[i].begin) {
      analyses[i].conditions = analyses[i - 1].conditions;
    }
    auto assessment = judge.Judge1(analyses[i], about_magnesium);
    if (!assessment) continue;
    const Sentence& s = sentences[i];
    Claim claim;
    claim.text = page.text.substr(s.begin, s.end - s.begin);
    claim.start = page.source_begin[s.begin];
    claim.end = page.source_end[s.end - 1];
    claim.verdict = assessment->verdict;
    claim.claim_type = assessment->type;
    claim.topic = std::move(assessment->topic);
    claim.explanation = std::move(assessment->explanation);
    claim.evidence = std::move(assessment->evidence);
    claim.citations = std::move(assessment->citations);
    size_t start = 0;
    const std::string& rules = assessment->rule;
    while (start <= rules.size()) {
      size_t comma = rules.find(',', start);
      if (comma == std::string::npos) comma = rules.size();
      if (comma > start) claim.rules.push_back(rules.substr(start, comma - start));
      start = comma + 1;
    }
    result.claims.push_back(std::move(claim));
  }
  return result;
}

std::optional<Claim> Checker::CheckSentence(std::string_view sentence) const {
  Page page;
  page.text.assign(sentence);
  for (size_t i = 0; i < sentence.size(); ++i) {
    page.source_begin.push_back(static_cast<uint32_t>(i));
    page.source_end.push_back(static_cast<uint32_t>(i + 1));
  }
  // A sentence someone asks about is taken to be about magnesium ("it", a bare dose).
  CheckResult result = CheckPage(page, true);
  if (result.claims.empty()) return std::nullopt;
  return std::move(result.claims.front());
}

}  // namespace mg::check
