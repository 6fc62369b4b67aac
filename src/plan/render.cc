#include "plan/render.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "core/json_writer.h"
#include "core/numbers.h"
#include "core/text.h"
#include "kb/explain.h"
#include "plan/food_ranking.h"

namespace mg::plan {
namespace {

using nlohmann::json;

std::string ConditionName(const PlanContext& c, const std::string& id) {
  const kb::Condition* condition = c.kb.FindCondition(id);
  return condition ? condition->name : id;
}

std::string CompoundName(const PlanContext& c, const std::string& id) {
  const chem::Compound* compound = c.compounds.FindById(id);
  return compound ? compound->name : id;
}

// "Magnesium citrate (trimagnesium dicitrate, anhydrous)" → "magnesium citrate": the name
// people use, without the chemical detail in brackets.
std::string CommonName(const std::string& name) {
  std::string out = name.substr(0, name.find(" ("));
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string CitationLabel(const PlanContext& c, const std::string& id) {
  const kb::Citation* citation = c.kb.FindCitation(id);
  if (citation == nullptr) return id;
  std::string authors = citation->authors;
  const size_t comma = authors.find(',');
  if (comma != std::string::npos) authors = authors.substr(0, comma) + " et al.";
  return fmt::format("{} {}", authors, citation->year);
}

std::string CitationFull(const kb::Citation& c) {
  std::string out = fmt::format("{} ({}). {}. {}.", c.authors, c.year, c.title, c.venue);
  if (!c.doi.empty()) out += " doi:" + c.doi;
  if (!c.pmid.empty()) out += " PMID " + c.pmid;
  if (c.doi.empty() && c.pmid.empty() && !c.url.empty()) out += " " + c.url;
  return out;
}

// "Noted, but it does not change magnesium advice here: ferritin 40 µg/L; sertraline."
std::string NotedText(const Plan& plan, const PlanContext& c) {
  std::string fields;
  for (const auto& noted : plan.noted_without_effect)
    fields += (fields.empty() ? "" : "; ") + noted.what;
  const auto it = c.messages.text.find("noted.no_effect");
  if (it == c.messages.text.end()) return fields;  // A hand-built test context.
  return fmt::format(fmt::runtime(it->second), fmt::arg("fields", fields));
}

// "2 capsules", "1 tablet", "7.5 mL", "1.5 scoops", "2 gummies".
std::string UnitCount(double n, const std::string& unit) {
  std::string out = FormatNumber(n, 2) + " " + unit;
  if (n == 1 || unit == "mL" || unit == "g") return out;
  if (unit.ends_with("y")) return out.substr(0, out.size() - 1) + "ies";
  return out + "s";
}

std::string Money(double amount, const std::string& currency) {
  return fmt::format("{:.2f}", amount) + (currency.empty() ? "" : " " + currency);
}

const char* VerdictPolicyName(VerdictPolicy p) {
  switch (p) {
    case VerdictPolicy::kRecommend:
      return "recommend";
    case VerdictPolicy::kTrial:
      return "trial";
    case VerdictPolicy::kDoNotRecommend:
      return "do_not_recommend";
  }
  return "do_not_recommend";
}

// A plan as a small document of blocks, so text and Markdown share one walk.
struct Block {
  enum Kind { kHeading, kParagraph, kBullet } kind;
  std::string text;
};

class PlanDocument {
 public:
  PlanDocument(const Plan& plan, const PlanContext& c) : plan_(plan), c_(c) {}

  std::vector<Block> Build() {
    Header();
    Safety();
    SafetyNet();
    Evidence();
    SupplementSection();
    Schedule();
    FoodSection();
    Measures();
    WatchFor();
    FollowUp();
    Notes();
    Sources();
    return std::move(blocks_);
  }

 private:
  // Numbered section heading; sections without content are skipped, so numbers stay contiguous.
  void H(std::string text) {
    blocks_.push_back({Block::kHeading, fmt::format("{}. {}", ++section_, text)});
  }
  void Title(std::string text) { blocks_.push_back({Block::kHeading, std::move(text)}); }
  void P(std::string text) { blocks_.push_back({Block::kParagraph, std::move(text)}); }
  void B(std::string text) { blocks_.push_back({Block::kBullet, std::move(text)}); }
  std::string Cite(const std::vector<std::string>& ids) {
    std::vector<std::string> labels;
    for (const auto& id : ids) {
      cited_.insert(id);
      labels.push_back(CitationLabel(c_, id));
    }
    std::string out;
    for (const auto& l : labels) out += (out.empty() ? "" : "; ") + l;
    return out.empty() ? "" : " [" + out + "]";
  }

  void Header() {
    std::string who = "Magnesium plan";
    if (plan_.reference_row != nullptr) {
      who += fmt::format(" — {} ({})", plan_.reference_row->label, plan_.reference_set->name);
    }
    Title(who);
    P("This plan explains what the evidence says and how to use magnesium safely. It is not a "
      "diagnosis and does not replace a clinician.");
  }

  void Safety() {
    if (plan_.referrals.empty()) return;
    H("Safety first: see a clinician");
    for (const auto& r : plan_.referrals) {
      const char* when = r.urgency == kb::Urgency::kEmergency ? "EMERGENCY — now"
                         : r.urgency == kb::Urgency::kSoon    ? "Soon — within days"
                                                           : "Routine — at your next appointment";
      B(fmt::format("{}: {}", when, r.reason));
    }
  }

  void SafetyNet() {
    if (plan_.safety_net.empty()) return;
    H("When to seek help at once");
    for (const auto& net : plan_.safety_net) {
      P(fmt::format("With {}, ask yourself:", ConditionName(c_, net.condition_id)));
      for (const kb::RedFlag* flag : net.red_flags) {
        B(fmt::format("{} If so: {}", flag->question, flag->action) + Cite(flag->citation_ids));
      }
    }
  }

  void Evidence() {
    if (plan_.findings.empty()) return;
    H("What the evidence says about magnesium for your complaints");
    for (const auto& f : plan_.findings) {
      const std::string name = ConditionName(c_, f.condition_id);
      if (f.finding == nullptr) {
        B(fmt::format("{}: the knowledge base has no finding on oral magnesium.", name));
        continue;
      }
      const kb::Finding& k = *f.finding;
      std::string line = fmt::format("{}: {}", name, kb::Describe(k.verdict));
      if (k.certainty) line += fmt::format(" (certainty: {})", kb::Describe(*k.certainty));
      line += ". " + k.summary;
      if (!k.dose_text.empty()) line += " Dose studied: " + k.dose_text + ".";
      line += Cite(k.citation_ids);
      if (!f.caveat.empty()) line += " " + f.caveat;
      B(line);
      if (f.policy == VerdictPolicy::kDoNotRecommend) {
        const kb::Condition* condition = c_.kb.FindCondition(f.condition_id);
        if (condition && !condition->what_helps.empty()) {
          B(fmt::format("What does help with {}: {}", name, condition->what_helps));
        }
      }
    }
  }

  void SupplementSection() {
    H("Magnesium supplement");
    // Every source already taken, with how its amount was read, so a person can check the count
    // the limit is measured against.
    for (const auto& taken : plan_.magnesium_taken) {
      B("Already taken, counted toward the limit: " + taken.description +
        (taken.assumed ? " (assumed: give the amount you take to count it exactly)" : "") + ".");
      for (const auto& note : taken.notes) B("Note: " + note + ".");
    }
    if (!plan_.supplement) {
      if (plan_.supplement_withheld_for_safety && !plan_.referrals.empty()) {
        P("No magnesium supplement: follow the clinician advice under \"Safety first\" above "
          "first.");
      } else if (plan_.supplement_withheld_for_safety) {
        P("No magnesium supplement, for the safety reasons in the notes below.");
      } else {
        P("No magnesium supplement is suggested. See the notes below for why; food can still "
          "cover your magnesium needs.");
      }
      return;
    }
    const Supplement& s = *plan_.supplement;
    if (s.is_trial) {
      P("The evidence is too thin to say whether magnesium helps. If you want to find out, try it "
        "as a measured trial (see \"Does it work for you?\"), within the safe limit below.");
    }
    // The common name first ("magnesium citrate"); the chemistry is a detail below.
    const chem::Compound* compound = c_.compounds.FindById(s.compound_id);
    if (const auto& product = s.product) {
      P(
          fmt::format("Take {} of {} a day by mouth: {} of elemental magnesium ({} mg in each {}, "
                      "as its label states).",
                      UnitCount(product->units_per_day, product->unit), product->name,
                      FormatMilligrams(s.daily_elemental_mg),
                      FormatNumber(product->elemental_mg_per_unit, 1), product->unit));
      if (product->cost_per_day) {
        B(fmt::format("Cost: about {} a day (price from {}).",
                      Money(*product->cost_per_day, product->currency), product->price_source));
      }
      for (const auto& warning : product->label_warnings) B("From the label: " + warning + ".");
    } else {
      P(fmt::format(
          "Take {} of elemental magnesium a day by mouth as {}: that is {} of the compound "
          "(about {} tablet(s) or capsule(s) a day; your product's label gives its "
          "elemental amount, so go by that).",
          FormatMilligrams(s.daily_elemental_mg), CommonName(CompoundName(c_, s.compound_id)),
          FormatMilligrams(s.daily_compound_mg), s.estimated_pills_per_day));
    }
    for (const auto& reason : s.reasons) B("Why this form: " + reason);
    if (compound != nullptr) {
      B(fmt::format("The compound, for a pharmacist: {}, formula {}.", compound->name,
                    compound->formula));
    }
    const Totals& t = plan_.totals;
    if (t.ul_supplemental_mg) {
      B(fmt::format(
          "Limit: {} a day of supplemental magnesium (from supplements and medicines, "
          "not food). Already taken: {}. This plan adds {}; total {}.",
          FormatMilligrams(*t.ul_supplemental_mg), FormatMilligrams(t.existing_supplemental_mg),
          FormatMilligrams(t.planned_supplemental_mg),
          FormatMilligrams(t.existing_supplemental_mg + t.planned_supplemental_mg)));
    }
    if (s.titration.size() > 1) {
      std::string steps;
      for (const auto& step : s.titration) {
        steps += fmt::format(
            "{}week {}{}: {}/day", steps.empty() ? "" : "; ", step.week,
            &step == &s.titration.back() ? " on" : "",
            s.product ? fmt::format("{} ({})", UnitCount(step.daily_units, s.product->unit),
                                    FormatMilligrams(step.daily_elemental_mg))
                      : FormatMilligrams(step.daily_elemental_mg));
      }
      B("Start low to spare your stomach: " + steps + ".");
    }
  }

  void Schedule() {
    if (!plan_.supplement && plan_.interactions.empty()) return;
    H("Timing");
    if (plan_.supplement) {
      const Supplement& s = *plan_.supplement;
      for (const auto& d : s.doses) {
        if (s.product) {
          B(fmt::format("{}  {} of {} (magnesium {})", FormatHour(d.hour),
                        UnitCount(d.units, s.product->unit), s.product->name,
                        FormatMilligrams(d.elemental_mg)));
        } else {
          B(fmt::format("{}  magnesium {} ({} of the compound)", FormatHour(d.hour),
                        FormatMilligrams(d.elemental_mg), FormatMilligrams(d.compound_mg)));
        }
      }
    }
    // A medicine to watch rather than to space from magnesium (a "monitor" interaction) has its
    // whole note under Notes; Timing only names it, so the note is said once.
    std::vector<std::string> watched;
    for (const auto& i : plan_.interactions) {
      if (i.action == kb::InteractionAction::kMonitor) {
        watched.push_back(i.medicine);
        continue;
      }
      std::string times;
      for (double h : i.medicine_hours) times += (times.empty() ? "" : ", ") + FormatHour(h);
      B(fmt::format("{} at {}{}: {}", i.medicine, times,
                    i.medicine_hours_assumed ? " (assumed: tell mgadvisor your real time)" : "",
                    i.rule));
    }
    if (!watched.empty()) {
      B(fmt::format("{}: no timing rule with magnesium (see Notes).", fmt::join(watched, ", ")));
    }
  }

  void FoodSection() {
    H("Food");
    const Totals& t = plan_.totals;
    if (t.intake_target_mg) {
      std::string line = fmt::format("Your reference intake is {} a day from all sources.",
                                     FormatMilligrams(*t.intake_target_mg));
      if (t.diet_mg) {
        line += fmt::format(
            " Your diet gives {} {}{}{}.", t.diet_is_lower_bound ? "at least" : "about",
            FormatMilligrams(*t.diet_mg),
            t.diet_is_lower_bound ? " (counting only the food groups you answered for)" : "",
            t.diet_gap_mg ? fmt::format(", so up to {} short", FormatMilligrams(*t.diet_gap_mg))
                          : ", which meets it");
      }
      P(line);
    }
    if (!plan_.food_note.empty()) {
      P(plan_.food_note);
      return;
    }
    const bool child = !plan_.foods.empty() && plan_.foods.front().child != nullptr;
    P(child ? "Foods rich in magnesium, from different food groups, per child's portion for "
              "this age (with magnesium per 100 kcal, so that filling foods are not mistaken for "
              "rich ones):"
            : "Foods rich in magnesium, from different food groups, per ordinary portion (with "
              "magnesium per 100 kcal):");
    for (const auto& f : plan_.foods) {
      const std::string portion =
          f.child != nullptr
              ? fmt::format("a child's portion ({} of {}, about {} g)", f.child->words,
                            f.food->serving.Label(), FormatNumber(f.portion_g, 0))
              : f.food->serving.Label();
      std::string line =
          fmt::format("{}: {} {} {}", f.food->name, FormatMilligrams(f.magnesium_per_serving_mg),
                      f.child != nullptr ? "in" : "per", portion);
      if (f.magnesium_per_100kcal_mg > 0)
        line += fmt::format("; {} per 100 kcal", FormatMilligrams(f.magnesium_per_100kcal_mg));
      B(line);
    }
  }

  void Measures() {
    if (plan_.measures.empty()) return;
    H("What else helps");
    for (const kb::Measure* m : plan_.measures) {
      std::string line =
          fmt::format("{} ({}): {} Evidence: {}", m->name, ConditionName(c_, m->condition_id),
                      m->advice, kb::Describe(m->verdict));
      if (m->certainty) line += fmt::format(", {} certainty", kb::Describe(*m->certainty));
      line += "." + Cite(m->citation_ids);
      B(line);
    }
  }

  void WatchFor() {
    if (plan_.watch_for.empty()) return;
    H("Watch for");
    for (const kb::SideEffect* e : plan_.watch_for) {
      std::string symptoms;
      for (const auto& s : e->symptoms) symptoms += (symptoms.empty() ? "" : ", ") + s;
      B(fmt::format("{}{}: {}. {}{}", e->name, e->toxicity ? " (too much magnesium)" : "", symptoms,
                    e->action, Cite(e->citation_ids)));
    }
  }

  void FollowUp() {
    H("Does it work for you?");
    P(plan_.follow_up);
  }

  void Notes() {
    if (plan_.warnings.empty() && plan_.noted_without_effect.empty()) return;
    H("Notes");
    for (const auto& w : plan_.warnings) B(w);
    if (!plan_.noted_without_effect.empty()) B(NotedText(plan_, c_));
  }

  void Sources() {
    if (cited_.empty()) return;
    H("Sources");
    for (const auto& id : cited_) {
      if (const kb::Citation* c = c_.kb.FindCitation(id)) B(CitationFull(*c));
    }
  }

  const Plan& plan_;
  const PlanContext& c_;
  std::vector<Block> blocks_;
  std::set<std::string> cited_;
  int section_ = 0;
};

std::string ToText(const std::vector<Block>& blocks, bool markdown) {
  std::string out;
  bool first = true;
  for (const auto& b : blocks) {
    switch (b.kind) {
      case Block::kHeading:
        if (!first) out += "\n";
        out += markdown
                   ? (first ? "# " : "## ") + b.text + "\n\n"
                   : b.text + "\n" +
                         std::string(b.text.size() > 70 ? 70 : b.text.size(), first ? '=' : '-') +
                         "\n";
        break;
      case Block::kParagraph:
        out += b.text + "\n" + (markdown ? "\n" : "");
        break;
      case Block::kBullet:
        out += (markdown ? "- " : "  * ") + b.text + "\n";
        break;
    }
    first = false;
  }
  return out;
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  const std::string n = NormalizeName(name);
  if (n == "text" || n == "txt") return Format::kText;
  if (n == "markdown" || n == "md") return Format::kMarkdown;
  if (n == "json") return Format::kJson;
  return InvalidArgument(
      fmt::format("format '{}' is not text, markdown or json", std::string(name)));
}

namespace {

void WriteMeasure(const kb::Measure& m, JsonWriter& w) {
  w.BeginObject();
  w.Key("advice").String(m.advice);
  w.Key("certainty")
      .StringOrNull(m.certainty ? std::optional(kb::ToString(*m.certainty)) : std::nullopt);
  w.Key("citations").Strings(m.citation_ids);
  w.Key("condition").String(m.condition_id);
  w.Key("id").String(m.id);
  w.Key("name").String(m.name);
  w.Key("verdict").String(kb::ToString(m.verdict));
  w.EndObject();
}

// One of a safety net's questions.
void WriteRedFlag(const kb::RedFlag& flag, JsonWriter& w) {
  w.BeginObject();
  w.Key("action").String(flag.action);
  w.Key("citations").Strings(flag.citation_ids);
  w.Key("question").String(flag.question);
  w.Key("red_flag").String(flag.id);
  w.Key("urgency").String(kb::ToString(flag.urgency));
  w.EndObject();
}

// Where the plan document places each knowledge-base object it shows whole: a measure and a
// source are elements of a top-level array; a red flag is a question in a safety net.
constexpr size_t kMeasureDepth = 2, kSourceDepth = 2, kRedFlagDepth = 4;

// One food suggestion.
void WriteFood(const FoodSuggestion& f, JsonWriter& w) {
  w.BeginObject();
  w.Key("child_portion_factor")
      .Number(f.child != nullptr ? std::optional(f.child->factor) : std::nullopt);
  w.Key("food").String(f.food->name);
  w.Key("magnesium_mg").Number(f.magnesium_per_serving_mg);
  w.Key("magnesium_mg_per_100kcal")
      .Number(f.magnesium_per_100kcal_mg > 0 ? std::optional(f.magnesium_per_100kcal_mg)
                                             : std::nullopt);
  w.Key("portion").String(f.child != nullptr
                              ? fmt::format("{} of {}", f.child->words, f.food->serving.Label())
                              : f.food->serving.Label());
  w.Key("portion_g").Number(f.portion_g);
  w.Key("source").String(f.food->source);
  w.EndObject();
}

// Where a food suggestion sits in the document; its depth for a prewritten one.
constexpr size_t kFoodDepth = 2;

// Where `item` stands in `all`, or nullopt when it is not one of its elements (a plan of
// another context). Compared as addresses.
template <typename T>
std::optional<size_t> IndexIn(const std::vector<T>& all, const T& item) {
  const auto at = reinterpret_cast<uintptr_t>(&item),
             first = reinterpret_cast<uintptr_t>(all.data());
  const size_t index = (at - first) / sizeof(T);
  if (at >= first && index < all.size()) return index;
  return std::nullopt;
}

// `item`, an element of the context's knowledge base `all`, from its prewritten JSON when the
// context holds it, else written now (a plan pointing elsewhere, or a context assembled without
// them).
template <typename T, typename WriteFn>
void WritePrewritten(const std::vector<T>& all, const std::vector<JsonFragment>& prewritten,
                     const T& item, JsonWriter& w, WriteFn write) {
  // `item` may belong to another context's vector.
  const auto index = IndexIn(all, item);
  if (index && *index < prewritten.size()) {
    w.Fragment(prewritten[*index]);
  } else {
    write(item, w);
  }
}

// The prewritten JSON of `f` when it is exactly a ranked food's adult suggestion (same food,
// same numbers, no child's portion), else nullptr.
const JsonFragment* PrewrittenFood(const FoodSuggestion& f, const PlanContext& c) {
  const PrewrittenJson& pre = c.prewritten_json;
  if (f.food == nullptr || f.child != nullptr) return nullptr;
  const auto food = IndexIn(c.foods.foods(), *f.food);
  if (!food || *food >= pre.ranked_food_of.size()) return nullptr;
  const uint32_t rank = pre.ranked_food_of[*food];
  if (rank == PrewrittenJson::kNotRanked || rank >= pre.ranked_foods.size() ||
      rank >= c.foods_by_magnesium.size() ||
      !(SuggestFood(c.foods_by_magnesium[rank], nullptr) == f)) {
    return nullptr;
  }
  return &pre.ranked_foods[rank];
}

// Calls `visit(all, object, sources_of)` for each knowledge-base object whose sources the plan
// lists, in the plan's order: `all` is the knowledge base's vector holding the object, and
// `sources_of` that vector's prewritten source positions (PrewrittenJson).
template <typename Visit>
void ForEachCitingObject(const Plan& plan, const PlanContext& c, Visit&& visit) {
  const PrewrittenJson& pre = c.prewritten_json;
  for (const auto& f : plan.findings) {
    if (f.finding) visit(c.kb.findings, *f.finding, pre.sources_of_findings);
  }
  for (const kb::Measure* m : plan.measures) visit(c.kb.measures, *m, pre.sources_of_measures);
  for (const auto& net : plan.safety_net) {
    for (const kb::RedFlag* flag : net.red_flags) {
      visit(c.kb.red_flags, *flag, pre.sources_of_red_flags);
    }
  }
  for (const kb::SideEffect* e : plan.watch_for) {
    visit(c.kb.side_effects, *e, pre.sources_of_side_effects);
  }
}

// Every source the text's "Sources" section lists, in the same order (by id), each once; ids
// the knowledge base does not hold are left out.
std::vector<const kb::Citation*> CitedSources(const Plan& plan, const PlanContext& c) {
  std::vector<const kb::Citation*> sources;
  // Fast: the positions prewritten for each cited object, sorted as integers (issue 20).
  const PrewrittenJson& pre = c.prewritten_json;
  std::vector<uint32_t> ranks;
  bool all_prewritten = pre.citations_by_id.size() == c.kb.citations.size();
  if (all_prewritten) {
    ForEachCitingObject(plan, c, [&](const auto& all, const auto& item, const auto& sources_of) {
      if (!all_prewritten) return;  // One object without them sends all down the slow way.
      const auto index = IndexIn(all, item);
      if (!index || *index >= sources_of.size()) {
        all_prewritten = false;
        return;
      }
      ranks.insert(ranks.end(), sources_of[*index].begin(), sources_of[*index].end());
    });
  }
  if (all_prewritten) {
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    sources.reserve(ranks.size());
    for (const uint32_t rank : ranks) sources.push_back(&c.kb.citations[pre.citations_by_id[rank]]);
    return sources;
  }
  // Otherwise by the ids themselves (an object of another context, or none prewritten): sorted
  // and made unique, the order of a std::set.
  std::vector<std::string_view> cited;
  ForEachCitingObject(plan, c, [&](const auto&, const auto& item, const auto&) {
    cited.insert(cited.end(), item.citation_ids.begin(), item.citation_ids.end());
  });
  std::sort(cited.begin(), cited.end());
  cited.erase(std::unique(cited.begin(), cited.end()), cited.end());
  for (std::string_view id : cited) {
    if (const kb::Citation* citation = c.kb.FindCitation(id)) sources.push_back(citation);
  }
  return sources;
}

// The JSON document, written as it is produced (core/json_writer.h): this runs on every plan
// request, and building a tree first cost more than the plan itself (issue 20). Members come in
// key order, as nlohmann::json's dump writes them, so the bytes equal the tree's dump.
void WritePlanJson(const Plan& plan, const PlanContext& c, JsonWriter& w) {
  w.BeginObject();
  w.Key("findings").BeginArray();
  for (const auto& f : plan.findings) {
    w.BeginObject();
    if (f.finding) {
      w.Key("caveat").StringOrNull(f.caveat.empty() ? std::nullopt
                                                    : std::optional<std::string_view>(f.caveat));
      w.Key("certainty")
          .StringOrNull(f.finding->certainty ? std::optional(kb::ToString(*f.finding->certainty))
                                             : std::nullopt);
      w.Key("citations").Strings(f.finding->citation_ids);
    } else {
      w.Key("certainty").Null();
      w.Key("citations").BeginArray().EndArray();
    }
    w.Key("condition").String(f.condition_id);
    w.Key("condition_name").String(ConditionName(c, f.condition_id));
    if (f.finding) {
      w.Key("dose_studied").String(f.finding->dose_text);
      w.Key("finding").String(f.finding->id);
    }
    w.Key("plan_policy").String(VerdictPolicyName(f.policy));
    w.Key("severity");
    if (f.severity) {
      w.Integer(*f.severity);
    } else {
      w.Null();
    }
    if (f.finding) w.Key("summary").String(f.finding->summary);
    w.Key("verdict").StringOrNull(f.finding ? std::optional(kb::ToString(f.finding->verdict))
                                            : std::nullopt);
    w.EndObject();
  }
  w.EndArray();
  w.Key("follow_up").BeginObject();
  w.Key("suggests_trial").Bool(plan.suggests_trial);
  w.Key("text").String(plan.follow_up);
  w.EndObject();
  w.Key("food_note")
      .StringOrNull(plan.food_note.empty() ? std::nullopt
                                           : std::optional<std::string_view>(plan.food_note));
  w.Key("foods").BeginArray();
  for (const auto& f : plan.foods) {
    const JsonFragment* prewritten = PrewrittenFood(f, c);
    if (prewritten != nullptr) {
      w.Fragment(*prewritten);
    } else {
      WriteFood(f, w);
    }
  }
  w.EndArray();
  w.Key("interactions").BeginArray();
  for (const auto& i : plan.interactions) {
    w.BeginObject();
    w.Key("action").String(kb::ToString(i.action));
    w.Key("class").String(i.interaction_id);
    w.Key("medicine").String(i.medicine);
    w.Key("medicine_times").BeginArray();
    for (double h : i.medicine_hours) w.String(FormatHour(h));
    w.EndArray();
    w.Key("medicine_times_assumed").Bool(i.medicine_hours_assumed);
    w.Key("mg_hours_after_medicine").Number(i.mg_hours_after_medicine);
    w.Key("mg_hours_before_medicine").Number(i.mg_hours_before_medicine);
    w.Key("spacing_rule").String(i.rule);
    w.EndObject();
  }
  w.EndArray();
  w.Key("life_stage")
      .StringOrNull(plan.reference_row
                        ? std::optional<std::string_view>(plan.reference_row->life_stage)
                        : std::nullopt);
  w.Key("magnesium_taken").BeginArray();
  for (const auto& taken : plan.magnesium_taken) {
    w.BeginObject();
    w.Key("assumed").Bool(taken.assumed);
    w.Key("compound").String(taken.compound_id);
    w.Key("elemental_mg_per_day").Number(taken.elemental_mg_per_day);
    w.Key("kind").String(taken.kind);
    w.Key("notes").Strings(taken.notes);
    w.Key("reading").String(taken.description);
    w.EndObject();
  }
  w.EndArray();
  w.Key("measures").BeginArray();
  for (const kb::Measure* m : plan.measures) {
    WritePrewritten(c.kb.measures, c.prewritten_json.measures, *m, w, WriteMeasure);
  }
  w.EndArray();
  w.Key("noted_without_effect").BeginArray();
  for (const auto& noted : plan.noted_without_effect) {
    w.BeginObject();
    w.Key("field").String(noted.field);
    w.Key("what").String(noted.what);
    w.EndObject();
  }
  w.EndArray();
  w.Key("reference")
      .StringOrNull(plan.reference_set ? std::optional<std::string_view>(
                                             dri::ReferenceId(plan.reference_set->reference))
                                       : std::nullopt);
  w.Key("referrals").BeginArray();
  for (const auto& r : plan.referrals) {
    w.BeginObject();
    w.Key("reason").String(r.reason);
    w.Key("source").String(r.source_id);
    w.Key("urgency").String(kb::ToString(r.urgency));
    w.EndObject();
  }
  w.EndArray();
  w.Key("rules_fired").Strings(plan.rules_fired);
  w.Key("safety_net").BeginArray();
  for (const auto& net : plan.safety_net) {
    w.BeginObject();
    w.Key("condition").String(net.condition_id);
    w.Key("condition_name").String(ConditionName(c, net.condition_id));
    w.Key("questions").BeginArray();
    for (const kb::RedFlag* flag : net.red_flags) {
      WritePrewritten(c.kb.red_flags, c.prewritten_json.red_flags, *flag, w, WriteRedFlag);
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("sources").BeginArray();
  for (const kb::Citation* citation : CitedSources(plan, c)) {
    WritePrewritten(c.kb.citations, c.prewritten_json.citations, *citation, w, kb::WriteJson);
  }
  w.EndArray();
  w.Key("supplement");
  if (plan.supplement) {
    const Supplement& s = *plan.supplement;
    w.BeginObject();
    w.Key("compound").String(s.compound_id);
    w.Key("compound_name").String(CompoundName(c, s.compound_id));
    w.Key("daily_compound_mg").Number(s.daily_compound_mg);
    w.Key("daily_elemental_mg").Number(s.daily_elemental_mg);
    w.Key("doses").BeginArray();
    for (const auto& d : s.doses) {
      w.BeginObject();
      w.Key("compound_mg").Number(d.compound_mg);
      w.Key("elemental_mg").Number(d.elemental_mg);
      w.Key("time").String(FormatHour(d.hour));
      if (s.product) w.Key("units").Number(d.units);
      w.EndObject();
    }
    w.EndArray();
    w.Key("estimated_pills_per_day").Integer(s.estimated_pills_per_day);
    w.Key("form").String(s.form_id);
    w.Key("is_trial").Bool(s.is_trial);
    if (const auto& p = s.product) {
      w.Key("product").BeginObject();
      w.Key("cost_per_day").Number(p->cost_per_day);
      w.Key("currency").String(p->currency);
      w.Key("elemental_mg_per_unit").Number(p->elemental_mg_per_unit);
      w.Key("label_warnings").Strings(p->label_warnings);
      w.Key("name").String(p->name);
      w.Key("price_source").String(p->price_source);
      w.Key("unit").String(p->unit);
      w.Key("units_per_day").Number(p->units_per_day);
      w.EndObject();
    }
    w.Key("reasons").Strings(s.reasons);
    w.Key("route").String(kb::ToString(s.route));
    w.Key("titration").BeginArray();
    for (const auto& t : s.titration) {
      w.BeginObject();
      w.Key("daily_elemental_mg").Number(t.daily_elemental_mg);
      if (s.product) w.Key("daily_units").Number(t.daily_units);
      w.Key("from_week").Integer(t.week);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("supplement_withheld_for_safety").Bool(plan.supplement_withheld_for_safety);
  const Totals& t = plan.totals;
  w.Key("totals").BeginObject();
  w.Key("diet_gap_mg").Number(t.diet_gap_mg);
  w.Key("diet_is_lower_bound").Bool(t.diet_is_lower_bound);
  w.Key("diet_mg").Number(t.diet_mg);
  w.Key("ear_mg").Number(t.ear_mg);
  w.Key("existing_supplemental_mg").Number(t.existing_supplemental_mg);
  w.Key("intake_target_mg").Number(t.intake_target_mg);
  w.Key("planned_supplemental_mg").Number(t.planned_supplemental_mg);
  w.Key("total_supplemental_mg").Number(t.existing_supplemental_mg + t.planned_supplemental_mg);
  w.Key("ul_supplemental_mg").Number(t.ul_supplemental_mg);
  w.EndObject();
  w.Key("unknown_medicines").Strings(plan.unknown_medicines);
  w.Key("warnings").Strings(plan.warnings);
  w.Key("watch_for").BeginArray();
  for (const kb::SideEffect* e : plan.watch_for) {
    w.BeginObject();
    w.Key("action").String(e->action);
    w.Key("citations").Strings(e->citation_ids);
    w.Key("id").String(e->id);
    w.Key("name").String(e->name);
    w.Key("symptoms").Strings(e->symptoms);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

json PlanToJson(const Plan& plan, const PlanContext& c) {
  // The same bytes read back as a tree: one writer of the document, so the two never differ.
  return json::parse(RenderPlan(plan, c, Format::kJson));
}

PrewrittenJson PrewritePlanJson(const PlanContext& context) {
  const kb::KnowledgeBase& kb = context.kb;
  PrewrittenJson out;
  auto prewrite = [](const auto& items, size_t depth, auto write) {
    std::vector<JsonFragment> fragments;
    fragments.reserve(items.size());
    for (const auto& item : items) {
      fragments.push_back(JsonWriter::Prewrite(depth, [&](JsonWriter& w) { write(item, w); }));
    }
    return fragments;
  };
  out.citations = prewrite(kb.citations, kSourceDepth, kb::WriteJson);
  out.measures = prewrite(kb.measures, kMeasureDepth, WriteMeasure);
  out.red_flags = prewrite(kb.red_flags, kRedFlagDepth, WriteRedFlag);

  // Each citation's position among the citations sorted by id (ids are unique: kb.h).
  out.citations_by_id.resize(kb.citations.size());
  for (uint32_t i = 0; i < out.citations_by_id.size(); ++i) out.citations_by_id[i] = i;
  std::sort(out.citations_by_id.begin(), out.citations_by_id.end(),
            [&](uint32_t a, uint32_t b) { return kb.citations[a].id < kb.citations[b].id; });
  std::vector<uint32_t> rank_of(kb.citations.size());
  for (uint32_t rank = 0; rank < out.citations_by_id.size(); ++rank) {
    rank_of[out.citations_by_id[rank]] = rank;
  }
  auto sources_of = [&](const auto& items) {
    std::vector<std::vector<uint32_t>> all;
    all.reserve(items.size());
    for (const auto& item : items) {
      std::vector<uint32_t>& ranks = all.emplace_back();
      for (const std::string& id : item.citation_ids) {
        const kb::Citation* citation = kb.FindCitation(id);
        if (citation == nullptr) continue;  // As the ids' own path: not listed.
        ranks.push_back(rank_of[static_cast<size_t>(citation - kb.citations.data())]);
      }
    }
    return all;
  };
  out.sources_of_findings = sources_of(kb.findings);
  out.sources_of_measures = sources_of(kb.measures);
  out.sources_of_red_flags = sources_of(kb.red_flags);
  out.sources_of_side_effects = sources_of(kb.side_effects);

  // Ranked foods whose food is in the context's own table (a copied context's ranked foods point
  // into the original's table: those are written on every plan, as before).
  const std::vector<foods::Food>& table = context.foods.foods();
  out.ranked_food_of.assign(table.size(), PrewrittenJson::kNotRanked);
  out.ranked_foods.reserve(context.foods_by_magnesium.size());
  for (uint32_t rank = 0; rank < context.foods_by_magnesium.size(); ++rank) {
    const RankedFood& rich = context.foods_by_magnesium[rank];
    out.ranked_foods.push_back(JsonWriter::Prewrite(
        kFoodDepth, [&](JsonWriter& w) { WriteFood(SuggestFood(rich, nullptr), w); }));
    const auto food = rich.food == nullptr ? std::nullopt : IndexIn(table, *rich.food);
    if (food && out.ranked_food_of[*food] == PrewrittenJson::kNotRanked) {
      out.ranked_food_of[*food] = rank;
    }
  }
  return out;
}

std::string RenderPlan(const Plan& plan, const PlanContext& context, Format format) {
  if (format == Format::kJson) {
    std::string text;
    // A plan with a few complaints is ~16 KB. One byte under 32 KiB, so that with the string's
    // terminating NUL the block is exactly 32 KiB: the largest size the allocator keeps in its
    // per-thread cache. One byte more made every request take and give back a block from the
    // shared arena, ~4,000 instructions of the ~176,000 a plan request costs (issue 20).
    text.reserve(32 * 1024 - 1);
    JsonWriter writer(text);
    WritePlanJson(plan, context, writer);
    text += '\n';
    return text;
  }
  return ToText(PlanDocument(plan, context).Build(), format == Format::kMarkdown);
}

}  // namespace mg::plan
