#include "plan/render.h"

#include <fmt/format.h>

#include <set>

#include "core/numbers.h"
#include "core/text.h"
#include "kb/explain.h"

namespace mg::plan {
namespace {

using nlohmann::json;

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

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

std::string MgAmount(double mg) { return FormatNumber(mg, 0) + " mg"; }

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
                      MgAmount(s.daily_elemental_mg),
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
          MgAmount(s.daily_elemental_mg), CommonName(CompoundName(c_, s.compound_id)),
          MgAmount(s.daily_compound_mg), s.estimated_pills_per_day));
    }
    for (const auto& reason : s.reasons) B("Why this form: " + reason);
    if (compound != nullptr) {
      B(fmt::format("The compound, for a pharmacist: {}, formula {}.", compound->name,
                    compound->formula));
    }
    const Totals& t = plan_.totals;
    if (t.ul_supplemental_mg) {
      B(
          fmt::format("Limit: {} a day of supplemental magnesium (from supplements and medicines, "
                      "not food). Already taken: {}. This plan adds {}; total {}.",
                      MgAmount(*t.ul_supplemental_mg), MgAmount(t.existing_supplemental_mg),
                      MgAmount(t.planned_supplemental_mg),
                      MgAmount(t.existing_supplemental_mg + t.planned_supplemental_mg)));
    }
    if (s.titration.size() > 1) {
      std::string steps;
      for (const auto& step : s.titration) {
        steps += fmt::format(
            "{}week {}{}: {}/day", steps.empty() ? "" : "; ", step.week,
            &step == &s.titration.back() ? " on" : "",
            s.product ? fmt::format("{} ({})", UnitCount(step.daily_units, s.product->unit),
                                    MgAmount(step.daily_elemental_mg))
                      : MgAmount(step.daily_elemental_mg));
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
                        MgAmount(d.elemental_mg)));
        } else {
          B(fmt::format("{}  magnesium {} ({} of the compound)", FormatHour(d.hour),
                        MgAmount(d.elemental_mg), MgAmount(d.compound_mg)));
        }
      }
    }
    for (const auto& i : plan_.interactions) {
      std::string times;
      for (double h : i.medicine_hours) times += (times.empty() ? "" : ", ") + FormatHour(h);
      B(fmt::format("{} at {}{}: {}", i.medicine, times,
                    i.medicine_hours_assumed ? " (assumed: tell mgadvisor your real time)" : "",
                    i.rule));
    }
  }

  void FoodSection() {
    H("Food");
    const Totals& t = plan_.totals;
    if (t.intake_target_mg) {
      std::string line = fmt::format("Your reference intake is {} a day from all sources.",
                                     MgAmount(*t.intake_target_mg));
      if (t.diet_mg) {
        line += fmt::format(
            " Your diet gives {} {}{}{}.", t.diet_is_lower_bound ? "at least" : "about",
            MgAmount(*t.diet_mg),
            t.diet_is_lower_bound ? " (counting only the food groups you answered for)" : "",
            t.diet_gap_mg ? fmt::format(", so up to {} short", MgAmount(*t.diet_gap_mg))
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
          fmt::format("{}: {} {} {}", f.food->name, MgAmount(f.magnesium_per_serving_mg),
                      f.child != nullptr ? "in" : "per", portion);
      if (f.magnesium_per_100kcal_mg > 0)
        line += fmt::format("; {} per 100 kcal", MgAmount(f.magnesium_per_100kcal_mg));
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

json PlanToJson(const Plan& plan, const PlanContext& c) {
  json out;
  if (plan.supplement) {
    const Supplement& s = *plan.supplement;
    json doses = json::array();
    for (const auto& d : s.doses) {
      json dose = {{"time", FormatHour(d.hour)},
                   {"elemental_mg", d.elemental_mg},
                   {"compound_mg", d.compound_mg}};
      if (s.product) dose["units"] = d.units;
      doses.push_back(std::move(dose));
    }
    json titration = json::array();
    for (const auto& t : s.titration) {
      json step = {{"from_week", t.week}, {"daily_elemental_mg", t.daily_elemental_mg}};
      if (s.product) step["daily_units"] = t.daily_units;
      titration.push_back(std::move(step));
    }
    out["supplement"] = {{"compound", s.compound_id},
                         {"compound_name", CompoundName(c, s.compound_id)},
                         {"form", s.form_id},
                         {"route", kb::ToString(s.route)},
                         {"daily_elemental_mg", s.daily_elemental_mg},
                         {"daily_compound_mg", s.daily_compound_mg},
                         {"doses", doses},
                         {"titration", titration},
                         {"estimated_pills_per_day", s.estimated_pills_per_day},
                         {"is_trial", s.is_trial},
                         {"reasons", s.reasons}};
    if (const auto& p = s.product) {
      out["supplement"]["product"] = {{"name", p->name},
                                      {"unit", p->unit},
                                      {"elemental_mg_per_unit", p->elemental_mg_per_unit},
                                      {"units_per_day", p->units_per_day},
                                      {"cost_per_day", OptionalNumber(p->cost_per_day)},
                                      {"currency", p->currency},
                                      {"price_source", p->price_source},
                                      {"label_warnings", p->label_warnings}};
    }
  } else {
    out["supplement"] = nullptr;
  }
  out["supplement_withheld_for_safety"] = plan.supplement_withheld_for_safety;
  out["referrals"] = json::array();
  for (const auto& r : plan.referrals) {
    out["referrals"].push_back(
        {{"urgency", kb::ToString(r.urgency)}, {"reason", r.reason}, {"source", r.source_id}});
  }
  out["interactions"] = json::array();
  for (const auto& i : plan.interactions) {
    std::vector<std::string> times;
    for (double h : i.medicine_hours) times.push_back(FormatHour(h));
    out["interactions"].push_back(
        {{"medicine", i.medicine},
         {"class", i.interaction_id},
         {"action", kb::ToString(i.action)},
         {"spacing_rule", i.rule},
         {"mg_hours_before_medicine", OptionalNumber(i.mg_hours_before_medicine)},
         {"mg_hours_after_medicine", OptionalNumber(i.mg_hours_after_medicine)},
         {"medicine_times", times},
         {"medicine_times_assumed", i.medicine_hours_assumed}});
  }
  out["findings"] = json::array();
  for (const auto& f : plan.findings) {
    json item = {{"condition", f.condition_id},
                 {"condition_name", ConditionName(c, f.condition_id)},
                 {"plan_policy", VerdictPolicyName(f.policy)},
                 {"severity", f.severity ? json(*f.severity) : json(nullptr)}};
    if (f.finding) {
      item["finding"] = f.finding->id;
      item["verdict"] = kb::ToString(f.finding->verdict);
      item["certainty"] =
          f.finding->certainty ? json(kb::ToString(*f.finding->certainty)) : json(nullptr);
      item["dose_studied"] = f.finding->dose_text;
      item["caveat"] = f.caveat.empty() ? json(nullptr) : json(f.caveat);
      item["summary"] = f.finding->summary;
      item["citations"] = f.finding->citation_ids;
    } else {
      item["verdict"] = nullptr;
      item["certainty"] = nullptr;
      item["citations"] = json::array();
    }
    out["findings"].push_back(item);
  }
  out["foods"] = json::array();
  for (const auto& f : plan.foods) {
    out["foods"].push_back(
        {{"food", f.food->name},
         {"source", f.food->source},
         {"portion", f.child != nullptr
                         ? fmt::format("{} of {}", f.child->words, f.food->serving.Label())
                         : f.food->serving.Label()},
         {"portion_g", f.portion_g},
         {"child_portion_factor", f.child != nullptr ? json(f.child->factor) : json(nullptr)},
         {"magnesium_mg", f.magnesium_per_serving_mg},
         {"magnesium_mg_per_100kcal",
          f.magnesium_per_100kcal_mg > 0 ? json(f.magnesium_per_100kcal_mg) : json(nullptr)}});
  }
  out["food_note"] = plan.food_note.empty() ? json(nullptr) : json(plan.food_note);
  out["follow_up"] = {{"text", plan.follow_up}, {"suggests_trial", plan.suggests_trial}};
  out["safety_net"] = json::array();
  for (const auto& net : plan.safety_net) {
    json questions = json::array();
    for (const kb::RedFlag* flag : net.red_flags) {
      questions.push_back({{"red_flag", flag->id},
                           {"question", flag->question},
                           {"urgency", kb::ToString(flag->urgency)},
                           {"action", flag->action},
                           {"citations", flag->citation_ids}});
    }
    out["safety_net"].push_back({{"condition", net.condition_id},
                                 {"condition_name", ConditionName(c, net.condition_id)},
                                 {"questions", questions}});
  }
  out["measures"] = json::array();
  for (const kb::Measure* m : plan.measures) {
    out["measures"].push_back(
        {{"id", m->id},
         {"condition", m->condition_id},
         {"name", m->name},
         {"advice", m->advice},
         {"verdict", kb::ToString(m->verdict)},
         {"certainty", m->certainty ? json(kb::ToString(*m->certainty)) : json(nullptr)},
         {"citations", m->citation_ids}});
  }
  out["watch_for"] = json::array();
  for (const kb::SideEffect* e : plan.watch_for) {
    out["watch_for"].push_back({{"id", e->id},
                                {"name", e->name},
                                {"symptoms", e->symptoms},
                                {"action", e->action},
                                {"citations", e->citation_ids}});
  }
  // Every source the text's "Sources" section lists, in the same order (by id), in full.
  std::set<std::string> cited;
  for (const auto& f : plan.findings) {
    if (f.finding) cited.insert(f.finding->citation_ids.begin(), f.finding->citation_ids.end());
  }
  for (const kb::Measure* m : plan.measures)
    cited.insert(m->citation_ids.begin(), m->citation_ids.end());
  for (const auto& net : plan.safety_net) {
    for (const kb::RedFlag* flag : net.red_flags)
      cited.insert(flag->citation_ids.begin(), flag->citation_ids.end());
  }
  for (const kb::SideEffect* e : plan.watch_for) {
    cited.insert(e->citation_ids.begin(), e->citation_ids.end());
  }
  out["sources"] = json::array();
  for (const auto& id : cited) {
    if (const kb::Citation* citation = c.kb.FindCitation(id)) {
      out["sources"].push_back(kb::ToJson(*citation));
    }
  }
  const Totals& t = plan.totals;
  out["totals"] = {
      {"ul_supplemental_mg", OptionalNumber(t.ul_supplemental_mg)},
      {"existing_supplemental_mg", t.existing_supplemental_mg},
      {"planned_supplemental_mg", t.planned_supplemental_mg},
      {"total_supplemental_mg", t.existing_supplemental_mg + t.planned_supplemental_mg},
      {"intake_target_mg", OptionalNumber(t.intake_target_mg)},
      {"ear_mg", OptionalNumber(t.ear_mg)},
      {"diet_mg", OptionalNumber(t.diet_mg)},
      {"diet_is_lower_bound", t.diet_is_lower_bound},
      {"diet_gap_mg", OptionalNumber(t.diet_gap_mg)}};
  out["reference"] =
      plan.reference_set ? json(dri::ReferenceId(plan.reference_set->reference)) : json(nullptr);
  out["life_stage"] = plan.reference_row ? json(plan.reference_row->life_stage) : json(nullptr);
  out["warnings"] = plan.warnings;
  out["unknown_medicines"] = plan.unknown_medicines;
  out["magnesium_taken"] = json::array();
  for (const auto& taken : plan.magnesium_taken) {
    out["magnesium_taken"].push_back({{"kind", taken.kind},
                                      {"compound", taken.compound_id},
                                      {"elemental_mg_per_day", taken.elemental_mg_per_day},
                                      {"reading", taken.description},
                                      {"assumed", taken.assumed},
                                      {"notes", taken.notes}});
  }
  out["noted_without_effect"] = json::array();
  for (const auto& noted : plan.noted_without_effect)
    out["noted_without_effect"].push_back({{"field", noted.field}, {"what", noted.what}});
  out["rules_fired"] = plan.rules_fired;
  return out;
}

std::string RenderPlan(const Plan& plan, const PlanContext& context, Format format) {
  if (format == Format::kJson) return PlanToJson(plan, context).dump(2) + "\n";
  return ToText(PlanDocument(plan, context).Build(), format == Format::kMarkdown);
}

}  // namespace mg::plan
