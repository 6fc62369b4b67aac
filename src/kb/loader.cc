// Loads data/kb/*.toml into a KnowledgeBase and validates it. Every problem is reported as
// `file:line: message`; the loader keeps going after a problem so that one lint run lists them all.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "chem/compounds.h"
#include "core/data_reader.h"
#include "core/precompiled.h"
#include "core/text.h"
#include "kb/kb.h"

namespace mg::kb {
namespace {

bool IsSnakeCaseId(std::string_view id) {
  if (id.empty() || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// A reference from one entity to another, checked once every file is read.
struct Reference {
  std::string file;
  int line;
  std::string from_kind;
  std::string from_id;
  std::string target_kind;  // "citation", "condition", "form", "compound", ...
  std::string target_id;
};

// Reads one table (one entity) with the core strict reader, adding what the knowledge base
// needs on top: the entity's id (lower_snake_case) and references to other entities, which are
// checked once every file is read.
class EntryReader : public TomlReader {
 public:
  EntryReader(const toml::table& table, std::string file, std::string kind, DataProblems& problems,
              std::vector<Reference>& references, std::initializer_list<std::string_view> allowed)
      : TomlReader(table, file, Name(table, kind), problems, allowed),
        kind_(std::move(kind)),
        references_(references) {
    // Take the id early (validated later by Id()) so every message can name the entity.
    if (const auto id = table["id"].value_exact<std::string>()) id_ = *id;
  }

  const std::string& id() const { return id_; }

  // Reads `id` first so later messages can name the entity.
  std::string Id() {
    id_ = Text("id", true);
    if (!id_.empty() && !IsSnakeCaseId(id_)) {
      Report(LineAt("id"), fmt::format("{} id '{}' must be lower_snake_case", kind_, id_));
    }
    return id_;
  }

  std::string Text(std::string_view key, bool required) {
    return TomlReader::Text(key, required ? Need::kRequired : Need::kOptional);
  }
  std::vector<std::string> TextList(std::string_view key, bool required) {
    return TomlReader::TextList(key, required ? Need::kRequired : Need::kOptional);
  }
  // An optional non-negative number.
  std::optional<double> Number(std::string_view key) {
    return TomlReader::Number(key, NumberRange::AtLeast(0), Need::kOptional);
  }
  bool Bool(std::string_view key, bool required, bool fallback = false) {
    return TomlReader::Bool(key, required ? Need::kRequired : Need::kOptional).value_or(fallback);
  }
  template <typename E, size_t N>
  std::optional<E> Enum(std::string_view key, const EnumName<E> (&names)[N], bool required) {
    return TomlReader::Enum(key, names, required ? Need::kRequired : Need::kOptional);
  }

  // A list of ids of `target_kind`; each is checked once all files are read.
  std::vector<std::string> RefList(std::string_view key, std::string target_kind, bool required) {
    std::vector<std::string> out = TextList(key, required);
    if (const toml::node* node = Get(key); node != nullptr && node->is_array()) {
      for (const toml::node& item : *node->as_array()) {
        if (const auto text = item.value_exact<std::string>(); text && !text->empty()) {
          references_.push_back({file(), LineOf(item), kind_, id_, target_kind, *text});
        }
      }
    }
    return out;
  }

  std::string Ref(std::string_view key, std::string target_kind, bool required) {
    std::string value = Text(key, required);
    if (!value.empty()) {
      references_.push_back({file(), LineAt(key), kind_, id_, std::move(target_kind), value});
    }
    return value;
  }

  void Report(int line, std::string message) { TomlReader::Report(std::move(message), line); }
  const std::string& Who() const { return where(); }

 private:
  static std::string Name(const toml::table& table, const std::string& kind) {
    const auto id = table["id"].value_exact<std::string>();
    return id && !id->empty() ? fmt::format("{} '{}'", kind, *id) : kind;
  }

  std::string kind_;
  std::string id_;
  std::vector<Reference>& references_;
};

// Where each id was first defined, per kind, for duplicate and dangling-reference checks.
struct Definition {
  std::string file;
  int line;
};

class Loader {
 public:
  explicit Loader(std::set<std::string> compound_ids) : compound_ids_(std::move(compound_ids)) {}

  void ReadFile(const DataFile& file) {
    const auto root = ParseTomlFile(file, problems_);
    if (!root) return;
    for (const auto& [key, value] : *root) {
      const std::string kind(key.str());
      const toml::array* array = value.as_array();
      const bool known = kKinds.contains(kind);
      if (!known || array == nullptr || !array->is_array_of_tables()) {
        problems_.Add(file.name, LineOf(value),
                      known ? fmt::format("'{}' must be written as [[{}]] tables", kind, kind)
                            : fmt::format("unknown table '{}' (expected one of {})", kind,
                                          JoinAlternatives({kKinds.begin(), kKinds.end()})));
        continue;
      }
      for (const toml::node& entry : *array) ReadEntry(kind, *entry.as_table(), file.name);
    }
  }

  // Cross-file checks; returns every problem found, in file order.
  std::vector<std::string> Finish() {
    CheckReferences();
    CheckUniqueNames();
    DeriveRedFlagLinks();
    kb_.Reindex();
    return problems_.Sorted();
  }

  KnowledgeBase& kb() { return kb_; }

 private:
  inline static const std::set<std::string> kKinds = {
      "citation",  "condition", "finding", "form",        "interaction", "contraindication",
      "diagnosis", "red_flag",  "measure", "side_effect", "mechanism"};

  void ReadEntry(const std::string& kind, const toml::table& table, const std::string& file) {
    if (kind == "citation") ReadCitation(table, file);
    if (kind == "condition") ReadCondition(table, file);
    if (kind == "finding") ReadFinding(table, file);
    if (kind == "form") ReadForm(table, file);
    if (kind == "interaction") ReadInteraction(table, file);
    if (kind == "contraindication") ReadContraindication(table, file);
    if (kind == "diagnosis") ReadDiagnosis(table, file);
    if (kind == "red_flag") ReadRedFlag(table, file);
    if (kind == "measure") ReadMeasure(table, file);
    if (kind == "side_effect") ReadSideEffect(table, file);
    if (kind == "mechanism") ReadMechanism(table, file);
  }

  EntryReader Reader(const toml::table& table, const std::string& file, const std::string& kind,
                     std::initializer_list<std::string_view> allowed) {
    return EntryReader(table, file, kind, problems_, references_, allowed);
  }

  // Records the id; reports a duplicate. Returns false when the entity must be dropped.
  bool Define(EntryReader& r, const std::string& kind) {
    if (r.id().empty()) return false;
    auto& defs = definitions_[kind];
    const auto [it, inserted] = defs.emplace(r.id(), Definition{r.file(), r.line()});
    if (!inserted) {
      r.Report(r.line(), fmt::format("duplicate {} id '{}' (first defined at {}:{})", kind, r.id(),
                                     it->second.file, it->second.line));
      return false;
    }
    return true;
  }

  void RequireCitations(EntryReader& r, const std::vector<std::string>& citations,
                        bool allow_empty) {
    if (citations.empty() && !allow_empty && r.Get("citations") != nullptr) {
      r.Report(r.LineAt("citations"), fmt::format("{} has no citations", r.Who()));
    } else if (citations.empty() && !allow_empty) {
      r.Report(r.line(), fmt::format("{} has no citations", r.Who()));
    }
  }

  void ReadCitation(const toml::table& t, const std::string& file) {
    auto r =
        Reader(t, file, "citation",
               {"id", "authors", "year", "title", "venue", "doi", "pmid", "url", "kind", "note"});
    Citation c;
    c.id = r.Id();
    c.authors = r.Text("authors", true);
    c.title = r.Text("title", true);
    c.venue = r.Text("venue", true);
    c.doi = r.Text("doi", false);
    c.pmid = r.Text("pmid", false);
    c.url = r.Text("url", false);
    c.kind = r.Text("kind", true);
    c.note = r.Text("note", false);
    c.year = static_cast<int>(r.Integer("year", 1800, 2100).value_or(0));
    if (c.doi.empty() && c.pmid.empty() && c.url.empty()) {
      r.Report(r.line(), fmt::format("{} needs at least one of doi, pmid or url", r.Who()));
    }
    if (Define(r, "citation")) kb_.citations.push_back(std::move(c));
  }

  void ReadCondition(const toml::table& t, const std::string& file) {
    auto r = Reader(t, file, "condition",
                    {"id", "name", "aliases", "summary", "what_helps", "night_time_symptoms",
                     "mechanisms", "citations", "section", "in_pregnancy"});
    Condition c;
    c.id = r.Id();
    c.name = r.Text("name", true);
    c.aliases = r.TextList("aliases", true);
    c.summary = r.Text("summary", true);
    c.what_helps = r.Text("what_helps", true);
    c.night_time_symptoms = r.Bool("night_time_symptoms", true);
    c.mechanism_ids = r.RefList("mechanisms", "mechanism", false);
    c.citation_ids = r.RefList("citations", "citation", false);
    c.in_pregnancy = r.Ref("in_pregnancy", "condition", false);
    if (const toml::node* sections = r.Get("section")) {
      const toml::array* array = sections->as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        r.Report(LineOf(*sections),
                 fmt::format("'section' of {} must be written as [[condition.section]]", r.Who()));
      } else {
        for (const toml::node& node : *array) {
          auto s = Reader(*node.as_table(), file, fmt::format("section of {}", r.Who()),
                          {"heading", "text"});
          c.sections.push_back({s.Text("heading", true), s.Text("text", true)});
        }
      }
    }
    if (Define(r, "condition")) {
      names_["condition"].push_back({c.id, file, r.line(), {c.id, c.name}});
      names_["condition"].back().names.insert(names_["condition"].back().names.end(),
                                              c.aliases.begin(), c.aliases.end());
      kb_.conditions.push_back(std::move(c));
    }
  }

  void ReadFinding(const toml::table& t, const std::string& file) {
    auto r = Reader(
        t, file, "finding",
        {"id", "condition", "route", "intervention", "forms", "verdict", "certainty", "population",
         "dose", "dose_mg_low", "dose_mg_high", "duration", "summary", "citations", "note"});
    Finding f;
    f.id = r.Id();
    f.condition_id = r.Ref("condition", "condition", true);
    f.route = r.Enum("route", kRouteNames, true).value_or(Route::kOral);
    f.intervention = r.Text("intervention", true);
    f.form_ids = r.RefList("forms", "form", false);
    const auto verdict = r.Enum("verdict", kVerdictNames, true);
    f.verdict = verdict.value_or(Verdict::kNotStudied);
    f.certainty = r.Enum("certainty", kCertaintyNames, false);
    if (verdict && *verdict != Verdict::kNotStudied && r.Get("certainty") == nullptr) {
      r.Report(r.line(),
               fmt::format("{} needs a certainty unless its verdict is not_studied", r.Who()));
    }
    if (verdict && *verdict == Verdict::kNotStudied && f.certainty) {
      r.Report(r.LineAt("certainty"),
               fmt::format("{} is not_studied and so cannot have a certainty", r.Who()));
    }
    f.population = r.Text("population", true);
    f.dose_text = r.Text("dose", false);
    f.dose_elemental_mg_low = r.Number("dose_mg_low");
    f.dose_elemental_mg_high = r.Number("dose_mg_high");
    if (f.dose_elemental_mg_low.has_value() != f.dose_elemental_mg_high.has_value()) {
      r.Report(r.line(),
               fmt::format("{} must give both dose_mg_low and dose_mg_high, or neither", r.Who()));
    } else if (f.dose_elemental_mg_low && *f.dose_elemental_mg_low > *f.dose_elemental_mg_high) {
      r.Report(r.LineAt("dose_mg_low"),
               fmt::format("{} has dose_mg_low {} above dose_mg_high {}", r.Who(),
                           *f.dose_elemental_mg_low, *f.dose_elemental_mg_high));
    }
    if (f.dose_elemental_mg_low && f.dose_text.empty()) {
      r.Report(r.line(), fmt::format("{} gives dose numbers without a 'dose' text", r.Who()));
    }
    f.duration = r.Text("duration", false);
    f.summary = r.Text("summary", true);
    f.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, f.citation_ids, false);
    f.note = r.Text("note", false);
    if (Define(r, "finding")) {
      const std::string key = f.condition_id + "/" + std::string(ToString(f.route));
      const auto [it, inserted] = finding_routes_.emplace(key, f.id);
      if (!inserted && !f.condition_id.empty()) {
        r.Report(r.line(), fmt::format("{} repeats condition '{}' with route '{}' (already covered "
                                       "by finding '{}')",
                                       r.Who(), f.condition_id, ToString(f.route), it->second));
      }
      kb_.findings.push_back(std::move(f));
    }
  }

  void ReadForm(const toml::table& t, const std::string& file) {
    auto r =
        Reader(t, file, "form",
               {"id", "name", "aliases", "route", "compounds", "self_care", "diarrhoea_risk",
                "laxative", "absorption", "gi_tolerance", "typical_uses", "evidence", "citations"});
    Form f;
    f.id = r.Id();
    f.name = r.Text("name", true);
    f.aliases = r.TextList("aliases", false);
    f.route = r.Enum("route", kRouteNames, true).value_or(Route::kOral);
    f.compound_ids = r.RefList("compounds", "compound", false);
    if (f.route == Route::kOral && f.compound_ids.empty()) {
      r.Report(r.line(), fmt::format("oral {} must name its compounds", r.Who()));
    }
    f.self_care = r.Bool("self_care", true, true);
    f.diarrhoea_risk = r.Enum("diarrhoea_risk", kLevelNames, true).value_or(Level::kMedium);
    f.laxative = r.Bool("laxative", true);
    f.absorption = r.Text("absorption", true);
    f.gi_tolerance = r.Text("gi_tolerance", true);
    f.typical_uses = r.Text("typical_uses", true);
    f.evidence = r.Text("evidence", true);
    f.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, f.citation_ids, false);
    if (Define(r, "form")) {
      std::vector<std::string> names = {f.id, f.name};
      names.insert(names.end(), f.aliases.begin(), f.aliases.end());
      names_["form"].push_back({f.id, file, r.line(), names});
      kb_.forms.push_back(std::move(f));
    }
  }

  void ReadInteraction(const toml::table& t, const std::string& file) {
    auto r = Reader(
        t, file, "interaction",
        {"id", "name", "medicines", "effect", "mechanism", "severity", "action",
         "mg_hours_before_medicine", "mg_hours_after_medicine", "management", "citations", "note"});
    Interaction i;
    i.id = r.Id();
    i.name = r.Text("name", true);
    const toml::node* medicines = r.Get("medicines");
    if (medicines == nullptr) {
      r.Report(r.line(), fmt::format("{} is missing required field 'medicines'", r.Who()));
    } else if (const toml::array* array = medicines->as_array(); array == nullptr) {
      r.Report(LineOf(*medicines),
               fmt::format("field 'medicines' of {} must be an array of tables", r.Who()));
    } else {
      for (const toml::node& node : *array) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
          r.Report(LineOf(node), fmt::format("each medicine of {} must be a table {{generic = "
                                             "\"...\", brands = [...]}}",
                                             r.Who()));
          continue;
        }
        auto m =
            Reader(*table, file, fmt::format("medicine of {}", r.Who()), {"generic", "brands"});
        Medicine medicine{m.Text("generic", true), m.TextList("brands", true)};
        if (!medicine.generic.empty()) {
          std::vector<std::string> names = {medicine.generic};
          names.insert(names.end(), medicine.brands.begin(), medicine.brands.end());
          medicine_names_.push_back({i.id, file, LineOf(node), names});
        }
        i.medicines.push_back(std::move(medicine));
      }
      if (array->empty()) {
        r.Report(LineOf(*medicines), fmt::format("{} lists no medicines", r.Who()));
      }
    }
    i.effect = r.Text("effect", true);
    i.mechanism = r.Text("mechanism", true);
    i.severity = r.Enum("severity", kLevelNames, true).value_or(Level::kMedium);
    const auto action = r.Enum("action", kInteractionActionNames, true);
    i.action = action.value_or(InteractionAction::kSeparate);
    i.mg_hours_before_medicine = r.Number("mg_hours_before_medicine");
    i.mg_hours_after_medicine = r.Number("mg_hours_after_medicine");
    if (i.mg_hours_before_medicine.has_value() != i.mg_hours_after_medicine.has_value()) {
      r.Report(r.line(), fmt::format("{} must give both mg_hours_before_medicine and "
                                     "mg_hours_after_medicine, or neither",
                                     r.Who()));
    }
    if (action == InteractionAction::kSeparate && !i.mg_hours_before_medicine) {
      r.Report(r.line(), fmt::format("{} has action 'separate' but no spacing hours", r.Who()));
    }
    i.management = r.Text("management", true);
    i.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, i.citation_ids, false);
    i.note = r.Text("note", false);
    if (Define(r, "interaction")) kb_.interactions.push_back(std::move(i));
  }

  void ReadContraindication(const toml::table& t, const std::string& file) {
    auto r = Reader(t, file, "contraindication",
                    {"id", "name", "trigger", "action", "referral", "reason", "advice",
                     "max_supplemental_mg", "citations", "cause"});
    Contraindication c;
    c.id = r.Id();
    c.name = r.Text("name", true);
    const toml::node* trigger = r.Get("trigger");
    if (trigger == nullptr) {
      r.Report(r.line(), fmt::format("{} is missing required field 'trigger'", r.Who()));
    } else if (const toml::table* table = trigger->as_table(); table == nullptr) {
      r.Report(LineOf(*trigger), fmt::format("field 'trigger' of {} must be a table", r.Who()));
    } else {
      auto tr = Reader(*table, file, fmt::format("trigger of {}", r.Who()),
                       {"egfr_below", "ckd_stage_at_least", "diagnosis", "pregnancy", "lactation",
                        "age_below_years"});
      c.trigger.egfr_below = tr.Number("egfr_below");
      if (const auto stage = tr.Integer("ckd_stage_at_least", 1, 5, TomlReader::Need::kOptional)) {
        c.trigger.ckd_stage_at_least = static_cast<int>(*stage);
      }
      if (table->contains("diagnosis")) {
        const std::string diagnosis = tr.Text("diagnosis", true);
        if (!diagnosis.empty()) {
          c.trigger.diagnosis = diagnosis;
          references_.push_back(
              {file, LineOf(*trigger), "contraindication", c.id, "diagnosis", diagnosis});
        }
      }
      c.trigger.pregnancy = tr.Bool("pregnancy", false);
      c.trigger.lactation = tr.Bool("lactation", false);
      c.trigger.age_below_years = tr.Number("age_below_years");
      if (table->empty()) {
        r.Report(LineOf(*trigger), fmt::format("{} has an empty trigger", r.Who()));
      }
    }
    const auto action = r.Enum("action", kContraindicationActionNames, true);
    c.action = action.value_or(ContraindicationAction::kNote);
    c.referral = r.Enum("referral", kUrgencyNames, false);
    if ((action == ContraindicationAction::kNoSupplement ||
         action == ContraindicationAction::kClinicianFirst) &&
        r.Get("referral") == nullptr) {
      r.Report(r.line(), fmt::format("{} with action {} needs a referral urgency", r.Who(),
                                     ToString(*action)));
    }
    c.reason = r.Text("reason", true);
    c.advice = r.Text("advice", true);
    c.max_supplemental_mg = r.Number("max_supplemental_mg");
    c.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, c.citation_ids, false);
    c.cause = r.Text("cause", false);
    if (Define(r, "contraindication")) kb_.contraindications.push_back(std::move(c));
  }

  void ReadDiagnosis(const toml::table& t, const std::string& file) {
    auto r =
        Reader(t, file, "diagnosis", {"id", "name", "aliases", "laxative", "condition", "note"});
    Diagnosis d;
    d.id = r.Id();
    d.name = r.Text("name", true);
    d.aliases = r.TextList("aliases", false);
    d.laxative =
        r.Enum("laxative", kLaxativePreferenceNames, true).value_or(LaxativePreference::kNone);
    d.condition_id = r.Ref("condition", "condition", false);
    d.note = r.Text("note", false);
    if (Define(r, "diagnosis")) {
      std::vector<std::string> names = {d.id, d.name};
      names.insert(names.end(), d.aliases.begin(), d.aliases.end());
      names_["diagnosis"].push_back({d.id, file, r.line(), names});
      kb_.diagnoses.push_back(std::move(d));
    }
  }

  void ReadRedFlag(const toml::table& t, const std::string& file) {
    auto r = Reader(
        t, file, "red_flag",
        {"id", "name", "pattern", "question", "urgency", "conditions", "action", "citations",
         "note", "pregnancy_only", "from_age_years", "below_age_years", "from_gestation_weeks"});
    RedFlag f;
    f.id = r.Id();
    f.name = r.Text("name", true);
    f.pattern = r.Text("pattern", true);
    f.question = r.Text("question", true);
    f.urgency = r.Enum("urgency", kUrgencyNames, true).value_or(Urgency::kEmergency);
    f.condition_ids = r.RefList("conditions", "condition", true);
    f.action = r.Text("action", true);
    f.citation_ids = r.RefList("citations", "citation", false);
    f.note = r.Text("note", false);
    f.pregnancy_only = r.Bool("pregnancy_only", false);
    f.from_age_years = r.Number("from_age_years");
    f.below_age_years = r.Number("below_age_years");
    f.from_gestation_weeks = r.Number("from_gestation_weeks");
    if (f.from_gestation_weeks && !f.pregnancy_only) {
      r.Report(r.line(),
               fmt::format("{} has from_gestation_weeks but is not pregnancy_only", r.Who()));
    }
    if (f.citation_ids.empty() && f.note.empty()) {
      r.Report(r.line(), fmt::format("{} has no citations and no note saying why", r.Who()));
    }
    if (Define(r, "red_flag")) kb_.red_flags.push_back(std::move(f));
  }

  void ReadMeasure(const toml::table& t, const std::string& file) {
    auto r = Reader(t, file, "measure",
                    {"id", "condition", "name", "advice", "verdict", "certainty", "summary",
                     "citations", "note", "adults_only"});
    Measure m;
    m.id = r.Id();
    m.condition_id = r.Ref("condition", "condition", true);
    m.name = r.Text("name", true);
    m.advice = r.Text("advice", true);
    m.adults_only = r.Bool("adults_only", false);
    const auto verdict = r.Enum("verdict", kVerdictNames, true);
    m.verdict = verdict.value_or(Verdict::kNotStudied);
    m.certainty = r.Enum("certainty", kCertaintyNames, false);
    const bool not_studied = verdict == Verdict::kNotStudied;
    if (verdict && !not_studied && r.Get("certainty") == nullptr) {
      r.Report(r.line(),
               fmt::format("{} needs a certainty unless its verdict is not_studied", r.Who()));
    }
    if (not_studied && m.certainty) {
      r.Report(r.LineAt("certainty"),
               fmt::format("{} is not_studied and so cannot have a certainty", r.Who()));
    }
    m.summary = r.Text("summary", true);
    m.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, m.citation_ids, /*allow_empty=*/not_studied || !verdict);
    m.note = r.Text("note", false);
    if (m.citation_ids.empty() && not_studied && m.note.empty()) {
      r.Report(r.line(), fmt::format("{} has no citations and no note saying why", r.Who()));
    }
    if (Define(r, "measure")) kb_.measures.push_back(std::move(m));
  }

  void ReadSideEffect(const toml::table& t, const std::string& file) {
    auto r = Reader(t, file, "side_effect",
                    {"id", "name", "forms", "dose", "onset_mg", "symptoms", "at_risk", "action",
                     "toxicity", "citations"});
    SideEffect s;
    s.id = r.Id();
    s.name = r.Text("name", true);
    s.form_ids = r.RefList("forms", "form", false);
    s.dose = r.Text("dose", true);
    s.onset_elemental_mg_per_day = r.Number("onset_mg");
    s.symptoms = r.TextList("symptoms", true);
    s.at_risk = r.TextList("at_risk", true);
    s.action = r.Text("action", true);
    s.toxicity = r.Bool("toxicity", true);
    s.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, s.citation_ids, false);
    if (Define(r, "side_effect")) kb_.side_effects.push_back(std::move(s));
  }

  void ReadMechanism(const toml::table& t, const std::string& file) {
    auto r = Reader(
        t, file, "mechanism",
        {"id", "name", "status", "statement", "correction", "relevance", "corrects", "citations"});
    Mechanism m;
    m.id = r.Id();
    m.name = r.Text("name", true);
    const auto status = r.Enum("status", kMechanismStatusNames, true);
    m.status = status.value_or(MechanismStatus::kCorrect);
    m.statement = r.Text("statement", true);
    m.correction = r.Text("correction", status && *status != MechanismStatus::kCorrect);
    m.relevance = r.Text("relevance", true);
    m.corrects_id = r.Ref("corrects", "mechanism", false);
    m.citation_ids = r.RefList("citations", "citation", false);
    RequireCitations(r, m.citation_ids, false);
    if (Define(r, "mechanism")) kb_.mechanisms.push_back(std::move(m));
  }

  void CheckReferences() {
    for (const Reference& ref : references_) {
      bool found = false;
      if (ref.target_kind == "compound") {
        found = compound_ids_.contains(ref.target_id);
      } else {
        const auto it = definitions_.find(ref.target_kind);
        found = it != definitions_.end() && it->second.contains(ref.target_id);
      }
      if (found) continue;
      const std::string from =
          ref.from_id.empty() ? ref.from_kind : fmt::format("{} '{}'", ref.from_kind, ref.from_id);
      problems_.Add(
          ref.file, ref.line,
          ref.target_kind == "citation"
              ? fmt::format("{} cites unknown citation '{}'", from, ref.target_id)
              : fmt::format("{} refers to unknown {} '{}'", from, ref.target_kind, ref.target_id));
    }
  }

  struct Named {
    std::string id;
    std::string file;
    int line;
    std::vector<std::string> names;
  };

  // Names and aliases must identify one entity of their kind; medicine names one class.
  void CheckUniqueNames() {
    for (const auto& [kind, entries] : names_) CheckClashes(kind, entries, "name");
    CheckClashes("interaction", medicine_names_, "medicine");
  }

  void CheckClashes(const std::string& kind, const std::vector<Named>& entries,
                    const std::string& what) {
    std::map<std::string, std::string> owner;  // Normalised name -> id.
    for (const Named& entry : entries) {
      std::set<std::string> own;
      for (const auto& name : entry.names) {
        const std::string key = NormalizeName(name);
        if (!own.insert(key).second) continue;
        const auto [it, inserted] = owner.emplace(key, entry.id);
        if (!inserted && it->second != entry.id) {
          problems_.Add(entry.file, entry.line,
                        fmt::format("{} '{}' {} '{}' is already used by {} '{}'", kind, entry.id,
                                    what, name, kind, it->second));
        }
      }
    }
  }

  void DeriveRedFlagLinks() {
    for (const RedFlag& flag : kb_.red_flags) {
      for (const auto& condition_id : flag.condition_ids) {
        for (Condition& condition : kb_.conditions) {
          if (condition.id == condition_id) condition.red_flag_ids.push_back(flag.id);
        }
      }
    }
  }

  std::set<std::string> compound_ids_;
  KnowledgeBase kb_;
  DataProblems problems_;
  std::vector<Reference> references_;
  std::map<std::string, std::map<std::string, Definition>> definitions_;
  std::map<std::string, std::vector<Named>> names_;
  std::vector<Named> medicine_names_;
  std::map<std::string, std::string> finding_routes_;  // "condition/route" -> finding id.
};

// Compound ids come from the chemistry catalogue (data/chem/compounds.toml).
Result<std::set<std::string>> CompoundIds() {
  auto catalog = chem::CompoundCatalog::Load();
  if (!catalog.ok()) return catalog.error();
  std::set<std::string> ids;
  for (const auto& compound : catalog->compounds()) ids.insert(compound.id);
  return ids;
}

struct Outcome {
  KnowledgeBase kb;
  std::vector<std::string> problems;
};

Outcome RunWith(const std::vector<DataFile>& files, std::set<std::string> compound_ids) {
  Loader loader(std::move(compound_ids));
  for (const DataFile& file : files) loader.ReadFile(file);
  Outcome outcome;
  outcome.problems = loader.Finish();
  outcome.kb = std::move(loader.kb());
  outcome.kb.Reindex();  // The vectors moved; positions are unchanged, but rebuild to be safe.
  return outcome;
}

Result<Outcome> Run(const std::vector<DataFile>& files) {
  auto compounds = CompoundIds();
  if (!compounds.ok()) return compounds.error();
  return RunWith(files, std::move(compounds).value());
}

}  // namespace

KnowledgeBaseCheck CheckKnowledgeBase(const std::vector<DataFile>& files,
                                      const std::set<std::string>& compound_ids) {
  Outcome outcome = RunWith(files, compound_ids);
  return {std::move(outcome.kb), std::move(outcome.problems)};
}

std::vector<std::string> LintKnowledgeBase(const std::vector<DataFile>& files) {
  auto outcome = Run(files);
  if (!outcome.ok()) return {outcome.error().message};
  return std::move(outcome->problems);
}

Result<KnowledgeBase> ParseKnowledgeBase(const std::vector<DataFile>& files) {
  auto outcome = Run(files);
  if (!outcome.ok()) return outcome.error();
  if (!outcome->problems.empty()) {
    std::string message;
    for (const auto& problem : outcome->problems) {
      if (!message.empty()) message += '\n';
      message += problem;
    }
    return DataError(message);
  }
  return std::move(outcome->kb);
}

Result<KnowledgeBase> LoadKnowledgeBase(const std::optional<std::string>& dir) {
  if (!dir) {
    // The data compiler checked the embedded files and kept the base they load to.
    if (const auto snapshot = precompiled::FindSnapshot("kb")) {
      if (auto kb = DecodeKnowledgeBase(*snapshot)) return std::move(*kb);
    }
  }
  auto files = LoadDataFiles("kb", ".toml", dir);
  if (!files.ok()) return files.error();
  return ParseKnowledgeBase(*files);
}

}  // namespace mg::kb
