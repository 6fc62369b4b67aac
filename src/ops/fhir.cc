#include "ops/fhir.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <set>
#include <string>

#include "core/enum_names.h"
#include "core/json_input.h"
#include "core/numbers.h"
#include "core/utf8.h"
#include "ops/plan.h"
#include "trial/trial.h"

namespace mg::ops {
namespace {

using journal::Date;
using journal::Entry;
using journal::EntryKind;
using journal::FormatDate;
using nlohmann::json;

constexpr std::string_view kBase = "https://mgadvisor.invalid/fhir";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kObservationCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";
constexpr std::string_view kPatientId = "person";
constexpr std::string_view kMedicationId = "medication";  // The contained Medication.

// The project's codes. Entry kinds are spelled as the journal spells them (journal.h), so an
// export names a kind the way the CLI, the API and the CSV do.
struct Code {
  std::string_view code;
  std::string_view display;
};
constexpr std::array<Code, 28> kCodes = {{
    {"food", "Food eaten (value: its magnesium)"},
    {"supplement", "Supplement or medicine taken that may hold magnesium"},
    {"dose", "Magnesium dose taken"},
    {"irls", "IRLS total score (restless legs severity, 0-40)"},
    {"cramps", "Leg cramps in one night (count)"},
    {"pain", "Pain, 0-10 numeric rating"},
    {"sleep", "Sleep quality, 0-10 (10 = excellent)"},
    {"note", "Free note"},
    {"side-effect", "Side effect noticed"},
    {"irls-item", "IRLS item score (0-4); the item's number is in the code's suffix"},
    {"cramp-intensity", "Worst leg cramp intensity in the night, 0-10"},
    // A symptom entry's measures (journal::MeasuresOf): "<kind>-<measure>", '_' as '-'.
    {"cramps-minutes", "Minutes of leg cramps in the night, all cramps together"},
    {"cramps-sleep-disturbance", "How much leg cramps disturbed sleep, 0-10"},
    {"sleep-minutes-to-sleep", "Minutes taken to fall asleep"},
    {"sleep-awakenings", "Number of times woken in the night"},
    {"magnesium", "Magnesium (elemental)"},
    {"daily-magnesium", "Magnesium logged in one day (food, supplements and doses)"},
    {"food-magnesium", "Magnesium from food in one day"},
    {"supplement-magnesium", "Magnesium from supplements and doses in one day"},
    {"profile", "mgadvisor profile document"},
    {"medicine", "Medicine from the profile"},
    {"magnesium-source", "Magnesium-containing product from the profile"},
    {"plan-supplement", "Magnesium supplement the plan suggests"},
    {"sleep-minutes", "Minutes asleep in one night, as a device measured them"},
    {"migraine", "Migraine attack, worst severity 0-10 (0: a day without migraine)"},
    {"migraine-start-minute", "Minute of the day a migraine attack started (0 = midnight)"},
    {"migraine-duration-minutes", "Minutes a migraine attack lasted"},
    {"stress", "Stress, single item 0-10 (10 = extreme)"},
}};

// "cramps-sleep-disturbance" for the measure sleep_disturbance of a cramps entry.
std::string MeasureCode(EntryKind kind, std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return fmt::format("{}-{}", journal::EntryKindName(kind), name);
}

std::string_view DisplayOf(std::string_view code) {
  for (const Code& c : kCodes) {
    if (c.code == code) return c.display;
  }
  return "";
}

json Coding(std::string_view code) {
  // IRLS items are "irls-item-3": one concept per item, displayed with the item's number.
  std::string display(code.starts_with("irls-item-")
                          ? fmt::format("IRLS item {} score (0-4)", code.substr(10))
                          : std::string(DisplayOf(code)));
  return {{"system", kFhirCodeSystem}, {"code", code}, {"display", display}};
}

json Quantity(double value, std::string_view unit, std::string_view ucum) {
  return {{"value", value}, {"unit", unit}, {"system", kUcum}, {"code", ucum}};
}
json Milligrams(double mg) { return Quantity(mg, "mg", "mg"); }

std::string ExtensionUrl(std::string_view name) {
  return fmt::format("{}{}", kFhirExtensionBase, name);
}
json Subject() { return {{"reference", fmt::format("Patient/{}", kPatientId)}}; }
json Note(const std::string& text) { return json::array({{{"text", ReplaceInvalidUtf8(text)}}}); }

std::string TimeOfDay(double hour) { return plan::FormatHour(hour) + ":00"; }

// The unit of a rating's value on each scale (UCUM annotations: a count of what is in braces).
std::string_view ScoreUnit(EntryKind kind) {
  if (kind == EntryKind::kSleepMinutes) return "min";
  return kind == EntryKind::kCramps ? "{cramps}" : "{score}";
}

// A contained Medication: what was taken, and its magnesium as the strength of one ingredient
// per `per` (one logged intake, one unit of a product, one day).
json ContainedMedication(const std::string& text, std::optional<double> magnesium_mg,
                         const json& per) {
  json medication = {{"resourceType", "Medication"}, {"id", kMedicationId}};
  if (!text.empty()) medication["code"] = {{"text", ReplaceInvalidUtf8(text)}};
  if (magnesium_mg) {
    medication["ingredient"] = json::array(
        {{{"itemCodeableConcept", {{"coding", json::array({Coding("magnesium")})}}},
          {"strength", {{"numerator", Milligrams(*magnesium_mg)}, {"denominator", per}}}}});
  }
  return medication;
}
json PerIntake() { return Quantity(1, "intake", "{intake}"); }
json PerDay() { return Quantity(1, "day", "d"); }

json MedicationStatementFrom(const Entry& e) {
  const std::string label = ReplaceInvalidUtf8(e.label);
  json out = {
      {"resourceType", "MedicationStatement"},
      {"id", fmt::format("entry-{}", e.id)},
      {"contained", json::array({ContainedMedication(e.label, e.magnesium_mg, PerIntake())})},
      {"status", "completed"},
      {"category", {{"coding", json::array({Coding(journal::EntryKindName(e.kind))})}}},
      {"medicationReference", {{"reference", fmt::format("#{}", kMedicationId)}}},
      {"subject", Subject()},
      {"effectiveDateTime", FormatDate(e.date)},
  };
  if (!label.empty()) out["medicationReference"]["display"] = label;
  if (e.magnesium_mg) {
    out["dosage"] = json::array(
        {{{"text", fmt::format("{}: {} mg of magnesium", label, *e.magnesium_mg)},
          {"doseAndRate", json::array({{{"doseQuantity", Milligrams(*e.magnesium_mg)}}})}}});
  }
  if (!e.note.empty()) out["note"] = Note(e.note);
  return out;
}

json ObservationFrom(const Entry& e) {
  json code = {{"coding", json::array()}};
  // LOINC 72514-3, "Pain severity - 0-10 verbal numeric rating [Score] - Reported": the 0-10
  // rating the journal's pain entry is. No LOINC code names the IRLS total as the journal keeps
  // it, leg cramps per night or a 0-10 sleep quality rating, so those have the project's codes.
  if (e.kind == EntryKind::kPain) {
    code["coding"].push_back(
        {{"system", kLoinc},
         {"code", "72514-3"},
         {"display", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}});
  }
  code["coding"].push_back(Coding(journal::EntryKindName(e.kind)));
  if (!e.label.empty()) code["text"] = ReplaceInvalidUtf8(e.label);
  json out = {{"resourceType", "Observation"},
              {"id", fmt::format("entry-{}", e.id)},
              {"status", "final"},
              {"code", std::move(code)},
              {"subject", Subject()},
              {"effectiveDateTime", FormatDate(e.date)}};
  if (journal::IsSymptom(e.kind)) {
    out["category"] = json::array(
        {{{"coding", json::array({{{"system", kObservationCategory}, {"code", "survey"}}})}}});
  }
  if (e.kind == EntryKind::kFood) {
    if (e.magnesium_mg) out["valueQuantity"] = Milligrams(*e.magnesium_mg);
  } else if (e.value) {
    out["valueQuantity"] = Quantity(*e.value, ScoreUnit(e.kind), ScoreUnit(e.kind));
  }
  json components = json::array();
  for (size_t i = 0; i < e.irls_items.size(); ++i) {
    components.push_back(
        {{"code", {{"coding", json::array({Coding(fmt::format("irls-item-{}", i + 1))})}}},
         {"valueInteger", e.irls_items[i]}});
  }
  if (e.intensity) {
    components.push_back({{"code", {{"coding", json::array({Coding("cramp-intensity")})}}},
                          {"valueQuantity", Quantity(*e.intensity, "{score}", "{score}")}});
  }
  for (const auto& [name, value] : e.measures) {
    const journal::MeasureSpec* spec = journal::FindMeasure(e.kind, name);
    const std::string unit = spec != nullptr ? spec->unit : "{score}";
    components.push_back({{"code", {{"coding", json::array({Coding(MeasureCode(e.kind, name))})}}},
                          {"valueQuantity", Quantity(value, unit, unit)}});
  }
  if (!components.empty()) out["component"] = std::move(components);
  if (!e.note.empty()) out["note"] = Note(e.note);
  return out;
}

// The magnesium of each day that has an entry with magnesium: what a clinician reads first.
void AddDailyMagnesium(const std::vector<Entry>& entries, std::vector<json>& out) {
  std::set<Date> days;
  for (const Entry& e : entries) {
    if (e.magnesium_mg) days.insert(e.date);
  }
  if (days.empty()) return;
  for (const journal::DayMagnesium& day :
       journal::DailyMagnesium(entries, *days.begin(), *days.rbegin())) {
    if (!days.contains(day.date)) continue;
    const std::string date = FormatDate(day.date);
    out.push_back(
        {{"resourceType", "Observation"},
         {"id", "intake-" + date},
         {"status", "final"},
         {"code", {{"coding", json::array({Coding("daily-magnesium")})}}},
         {"subject", Subject()},
         {"effectiveDateTime", date},
         {"valueQuantity", Milligrams(day.total_mg())},
         {"component",
          json::array({{{"code", {{"coding", json::array({Coding("food-magnesium")})}}},
                        {"valueQuantity", Milligrams(day.food_mg)}},
                       {{"code", {{"coding", json::array({Coding("supplement-magnesium")})}}},
                        {"valueQuantity", Milligrams(day.supplement_mg)}}})}});
  }
}

json Timing(const std::vector<double>& hours) {
  json times = json::array();
  for (double h : hours) times.push_back(TimeOfDay(h));
  // `frequency` times every `period` days, at the times of day given.
  return {
      {"repeat",
       {{"frequency", hours.size()}, {"period", 1}, {"periodUnit", "d"}, {"timeOfDay", times}}}};
}

// The profile's medicines and magnesium sources and the plan's supplement, as the plan reads
// them (so the export says what the plan and the visit summary say).
Status AddPlan(const Context& context, journal::Store& store, std::vector<json>& out,
               json& patient) {
  auto stored = StoredProfile(store);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) return {};
  auto made = PlanForStoredProfile(context, store);
  if (!made.ok()) return made.error();
  const plan::Profile& profile = made->profile;
  const std::string sex = dri::SexName(profile.person.sex);
  if (sex == "male" || sex == "female") patient["gender"] = sex;
  for (size_t i = 0; i < profile.medicines.size(); ++i) {
    const auto& medicine = profile.medicines[i];
    json dosage = json::object();
    if (!medicine.hours.empty()) {
      dosage["timing"] = Timing(medicine.hours);
      if (medicine.hours_assumed) dosage["text"] = "time of day assumed by mgadvisor, not given";
    }
    json statement = {{"resourceType", "MedicationStatement"},
                      {"id", fmt::format("medicine-{}", i + 1)},
                      {"status", "active"},
                      {"category", {{"coding", json::array({Coding("medicine")})}}},
                      {"medicationCodeableConcept", {{"text", medicine.name}}},
                      {"subject", Subject()}};
    if (!dosage.empty()) statement["dosage"] = json::array({std::move(dosage)});
    out.push_back(std::move(statement));
  }
  for (size_t i = 0; i < profile.magnesium_taken.size(); ++i) {
    const plan::MagnesiumTaken& taken = profile.magnesium_taken[i];
    out.push_back({{"resourceType", "MedicationStatement"},
                   {"id", fmt::format("magnesium-source-{}", i + 1)},
                   {"contained", json::array({ContainedMedication(
                                     taken.compound_id, taken.elemental_mg_per_day, PerDay())})},
                   {"status", "active"},
                   {"category", {{"coding", json::array({Coding("magnesium-source")})}}},
                   {"medicationReference", {{"reference", fmt::format("#{}", kMedicationId)}}},
                   {"subject", Subject()},
                   {"dosage", json::array({{{"text", taken.description}}})}});
  }
  const plan::Plan& plan = made->plan;
  if (!plan.supplement) return {};
  const plan::Supplement& s = *plan.supplement;
  std::string name =
      fmt::format("magnesium {} ({})", s.compound_id, EnumToString(kb::kRouteNames, s.route));
  json medication = ContainedMedication(name, s.daily_elemental_mg, PerDay());
  if (s.product) {
    // The person's own product: its strength is per unit, as its label states it.
    medication = ContainedMedication(s.product->name, s.product->elemental_mg_per_unit,
                                     Quantity(1, s.product->unit, "1"));
  }
  json dosages = json::array();
  for (size_t i = 0; i < s.doses.size(); ++i) {
    const plan::Dose& d = s.doses[i];
    dosages.push_back(
        {{"sequence", i + 1},
         {"text", fmt::format("{}: {} mg of magnesium", plan::FormatHour(d.hour), d.elemental_mg)},
         {"timing", Timing({d.hour})},
         {"doseAndRate", json::array({{{"doseQuantity", Milligrams(d.elemental_mg)}}})}});
  }
  json statement = {{"resourceType", "MedicationStatement"},
                    {"id", "plan-supplement"},
                    {"contained", json::array({std::move(medication)})},
                    {"status", "intended"},
                    {"category", {{"coding", json::array({Coding("plan-supplement")})}}},
                    {"medicationReference", {{"reference", fmt::format("#{}", kMedicationId)}}},
                    {"subject", Subject()},
                    {"dosage", std::move(dosages)}};
  json notes = json::array();
  for (const auto& i : plan.interactions) {
    notes.push_back({{"text", fmt::format("{}: {}", i.medicine, i.rule)}});
  }
  if (!notes.empty()) statement["note"] = std::move(notes);
  out.push_back(std::move(statement));
  return {};
}

// A trial as a ResearchStudy: its dates, arms and design for a reader, and the design as the
// journal stores it (an extension) so that importing gives the same trial back.
Result<json> TrialStudy(const journal::TrialRecord& record, const Context& context, Date today) {
  auto outcomes = context.outcomes();
  if (!outcomes.ok()) return outcomes.error();
  auto parsed = ParseJsonObject(record.json, fmt::format("trial {}", record.id));
  if (!parsed.ok()) return parsed.error();
  auto design = trial::DesignFromJson(*parsed, **outcomes);
  if (!design.ok()) return design.error();
  const trial::Design& d = *design;
  const Date end = d.ended ? *d.ended : d.end();
  std::string status = today < d.first_day() ? "approved" : today <= end ? "active" : "completed";
  if (d.ended) status = "administratively-completed";
  const trial::Layout layout = d.ToLayout();
  const std::string magnesium = fmt::format("{} mg of magnesium ({}) a day", d.dose_mg, d.form);
  // Two-dose designs: the comparison arm is the lower dose, not no magnesium.
  const std::string lower =
      d.two_dose() ? fmt::format("{} mg of magnesium ({}) a day", *d.lower_dose_mg, d.form) : "";
  json study = {
      {"resourceType", "ResearchStudy"},
      {"id", fmt::format("trial-{}", record.id)},
      {"extension",
       json::array({{{"url", ExtensionUrl("trial-created")}, {"valueDate", record.created}},
                    {{"url", ExtensionUrl("trial-design")},
                     {"valueString", ReplaceInvalidUtf8(record.json)}}})},
      {"title", fmt::format("n-of-1 trial of magnesium on {}", d.outcome.name)},
      {"status", status},
      {"primaryPurposeType",
       {{"coding", json::array({{{"system",
                                  "http://terminology.hl7.org/CodeSystem/"
                                  "research-study-prim-purp-type"},
                                 {"code", "treatment"}}})}}},
      {"description",
       fmt::format("A randomised n-of-1 trial of one person: {} pairs of {}-day periods, one with "
                   "{} and one {}{}, in an order drawn at random (seed {}), the first {} days "
                   "of each period a washout{}. Outcome: {}.{}",
                   d.pairs(), layout.period_days, magnesium,
                   d.two_dose() ? "with a lower dose, " + lower : "without",
                   !d.blinding    ? ""
                   : d.two_dose() ? " (blinded: each dose in one of two identical containers)"
                                  : " (a look-alike placebo, blinded)",
                   d.seed, layout.washout_days,
                   d.run_in_days > 0
                       ? fmt::format(", after a {}-day run-in without magnesium", d.run_in_days)
                       : "",
                   d.outcome.name,
                   d.ended ? fmt::format(" Ended early on {}{}.", FormatDate(*d.ended),
                                         d.end_reason.empty() ? "" : ": " + d.end_reason)
                           : "")},
      // The whole trial, its run-in included (the same as `start` for designs without one).
      {"period", {{"start", FormatDate(d.first_day())}, {"end", FormatDate(end)}}},
      {"arm",
       d.two_dose()
           ? json::array({{{"name", "plan dose"}, {"description", magnesium}},
                          {{"name", "lower dose"}, {"description", lower}}})
           : json::array({{{"name", "magnesium"}, {"description", magnesium}},
                          {{"name", "no magnesium"},
                           {"description", d.blinding ? "placebo" : "no magnesium supplement"}}})},
  };
  return study;
}

json CodeSystem() {
  json concepts = json::array();
  for (const Code& c : kCodes) {
    if (c.code == "irls-item") continue;
    concepts.push_back({{"code", c.code}, {"display", c.display}});
  }
  for (int i = 1; i <= journal::kIrlsItemCount; ++i) {
    concepts.push_back(Coding(fmt::format("irls-item-{}", i)));
    concepts.back().erase("system");
  }
  return {{"resourceType", "CodeSystem"},
          {"id", "mgadvisor-journal"},
          {"url", kFhirCodeSystem},
          {"name", "MgadvisorJournal"},
          {"title", "mgadvisor journal codes"},
          {"status", "active"},
          {"content", "complete"},
          {"description",
           "Codes of mgadvisor's journal for what no LOINC code names exactly (docs/FHIR.md)."},
          {"concept", std::move(concepts)}};
}

json BundleEntry(json resource) {
  std::string url = fmt::format("{}/{}/{}", kBase, resource["resourceType"].get<std::string>(),
                                resource["id"].get<std::string>());
  return {{"fullUrl", std::move(url)}, {"resource", std::move(resource)}};
}

// ---- Reading ----

// The fields each resource that is read back may have; anything else is refused, so a misspelt
// field cannot drop data without a word.
const std::set<std::string> kObservationFields = {
    "resourceType",  "id",        "status", "category", "code", "subject", "effectiveDateTime",
    "valueQuantity", "component", "note"};
const std::set<std::string> kStatementFields = {
    "resourceType",        "id",      "contained",         "status", "category",
    "medicationReference", "subject", "effectiveDateTime", "dosage", "note"};

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  Error Bad(std::string_view path, std::string_view problem) const {
    return InvalidArgument(fmt::format("{}: {}: {}", source_, path, problem));
  }
  Error BadValue(std::string_view path, const json& value, std::string_view expected) const {
    return Bad(path, fmt::format("{} is not {}", DescribeJson(value), expected));
  }

  Result<const json*> Field(const json& object, std::string_view key, std::string_view path,
                            bool required) const {
    const std::string at = JsonPath(path, key);
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) return Bad(at, "required");
      return static_cast<const json*>(nullptr);
    }
    return &*it;
  }
  Result<std::string> String(const json& object, std::string_view key, std::string_view path,
                             bool required = true) const {
    auto field = Field(object, key, path, required);
    if (!field.ok()) return field.error();
    if (*field == nullptr) return std::string();
    if (!(*field)->is_string()) return BadValue(JsonPath(path, key), **field, "a string");
    return (*field)->get<std::string>();
  }
  Result<std::optional<double>> Number(const json& object, std::string_view key,
                                       std::string_view path) const {
    auto field = Field(object, key, path, true);
    if (!field.ok()) return field.error();
    if (!(*field)->is_number()) return BadValue(JsonPath(path, key), **field, "a number");
    return std::optional<double>((*field)->get<double>());
  }
  Result<const json*> Object(const json& object, std::string_view key, std::string_view path,
                             bool required = true) const {
    auto field = Field(object, key, path, required);
    if (!field.ok() || *field == nullptr) return field;
    if (!(*field)->is_object()) return BadValue(JsonPath(path, key), **field, "an object");
    return field;
  }
  Result<const json*> Array(const json& object, std::string_view key, std::string_view path,
                            bool required = true) const {
    auto field = Field(object, key, path, required);
    if (!field.ok() || *field == nullptr) return field;
    if (!(*field)->is_array() || (*field)->empty()) {
      return BadValue(JsonPath(path, key), **field, "a non-empty array");
    }
    return field;
  }
  Status Known(const json& object, const std::set<std::string>& known,
               std::string_view path) const {
    if (!object.is_object()) return BadValue(path, object, "an object");
    const Status status = RejectUnknownFields(object, known, path);
    if (!status.ok())
      return InvalidArgument(fmt::format("{}: {}", source_, status.error().message));
    return {};
  }

  // The project code of a CodeableConcept's codings (others, such as LOINC, are read past).
  Result<std::string> ProjectCode(const json& concept_json, std::string_view path) const {
    MG_RETURN_IF_ERROR(Known(concept_json, {"coding", "text"}, path));
    auto codings = Array(concept_json, "coding", path);
    if (!codings.ok()) return codings.error();
    for (size_t i = 0; i < (*codings)->size(); ++i) {
      const json& coding = (**codings)[i];
      const std::string at = JsonPath(JsonPath(path, "coding"), i);
      MG_RETURN_IF_ERROR(Known(coding, {"system", "code", "display"}, at));
      auto system = String(coding, "system", at);
      if (!system.ok()) return system.error();
      if (*system != kFhirCodeSystem) continue;
      return String(coding, "code", at);
    }
    return Bad(JsonPath(path, "coding"),
               fmt::format("no coding of the system {}, which names the kind", kFhirCodeSystem));
  }

  Result<Date> EffectiveDate(const json& resource, std::string_view path) const {
    auto text = String(resource, "effectiveDateTime", path);
    if (!text.ok()) return text.error();
    auto date = journal::ParseDate(*text);
    if (!date) {
      return Bad(JsonPath(path, "effectiveDateTime"),
                 fmt::format("{} is not a YYYY-MM-DD date", QuoteForMessage(*text)));
    }
    return *date;
  }

  // A Quantity's value, checked to carry the unit this export writes (a value in grams read as
  // milligrams would be a thousandfold error).
  Result<double> QuantityValue(const json& quantity, std::string_view ucum,
                               std::string_view path) const {
    MG_RETURN_IF_ERROR(Known(quantity, {"value", "unit", "system", "code"}, path));
    auto code = String(quantity, "code", path);
    if (!code.ok()) return code.error();
    if (*code != ucum) {
      return Bad(JsonPath(path, "code"),
                 fmt::format("{} is not the unit {}", QuoteForMessage(*code), ucum));
    }
    auto value = Number(quantity, "value", path);
    if (!value.ok()) return value.error();
    return **value;
  }

  Result<std::string> NoteText(const json& resource, std::string_view path) const {
    auto notes = Array(resource, "note", path, false);
    if (!notes.ok()) return notes.error();
    if (*notes == nullptr) return std::string();
    if ((*notes)->size() != 1) return BadValue(JsonPath(path, "note"), **notes, "one note");
    const std::string at = JsonPath(JsonPath(path, "note"), 0);
    MG_RETURN_IF_ERROR(Known((**notes)[0], {"text"}, at));
    return String((**notes)[0], "text", at);
  }

  Result<Entry> ReadObservation(const json& r, int64_t id, std::string_view path) const {
    MG_RETURN_IF_ERROR(Known(r, kObservationFields, path));
    Entry e;
    e.id = id;
    auto code_object = Object(r, "code", path);
    if (!code_object.ok()) return code_object.error();
    const std::string code_path = JsonPath(path, "code");
    auto kind_code = ProjectCode(**code_object, code_path);
    if (!kind_code.ok()) return kind_code.error();
    auto kind = journal::ParseEntryKind(*kind_code);
    if (!kind || *kind == EntryKind::kSupplement || *kind == EntryKind::kDose) {
      return Bad(code_path, fmt::format("{} is not the kind of an Observation entry",
                                        QuoteForMessage(*kind_code)));
    }
    e.kind = *kind;
    auto label = String(**code_object, "text", code_path, false);
    if (!label.ok()) return label.error();
    e.label = std::move(*label);
    auto date = EffectiveDate(r, path);
    if (!date.ok()) return date.error();
    e.date = *date;
    auto quantity = Object(r, "valueQuantity", path, false);
    if (!quantity.ok()) return quantity.error();
    if (*quantity != nullptr) {
      const bool food = e.kind == EntryKind::kFood;
      auto value = QuantityValue(**quantity, food ? "mg" : ScoreUnit(e.kind),
                                 JsonPath(path, "valueQuantity"));
      if (!value.ok()) return value.error();
      (food ? e.magnesium_mg : e.value) = *value;
    }
    auto components = Array(r, "component", path, false);
    if (!components.ok()) return components.error();
    if (*components != nullptr) {
      for (size_t i = 0; i < (*components)->size(); ++i) {
        MG_RETURN_IF_ERROR(
            ReadComponent((**components)[i], JsonPath(JsonPath(path, "component"), i), e));
      }
    }
    auto note = NoteText(r, path);
    if (!note.ok()) return note.error();
    e.note = std::move(*note);
    return e;
  }

  Status ReadComponent(const json& c, std::string_view path, Entry& e) const {
    MG_RETURN_IF_ERROR(Known(c, {"code", "valueInteger", "valueQuantity"}, path));
    auto code_object = Object(c, "code", path);
    if (!code_object.ok()) return code_object.error();
    auto code = ProjectCode(**code_object, JsonPath(path, "code"));
    if (!code.ok()) return code.error();
    if (*code == "cramp-intensity") {
      auto quantity = Object(c, "valueQuantity", path);
      if (!quantity.ok()) return quantity.error();
      auto value = QuantityValue(**quantity, "{score}", JsonPath(path, "valueQuantity"));
      if (!value.ok()) return value.error();
      e.intensity = *value;
      return {};
    }
    for (const journal::MeasureSpec& m : journal::MeasuresOf(e.kind)) {
      if (*code != MeasureCode(e.kind, m.name)) continue;
      auto quantity = Object(c, "valueQuantity", path);
      if (!quantity.ok()) return quantity.error();
      auto value = QuantityValue(**quantity, m.unit, JsonPath(path, "valueQuantity"));
      if (!value.ok()) return value.error();
      e.measures[m.name] = *value;
      return {};
    }
    // IRLS items come in order 1..10, so a list written in another order is not misread.
    const std::string expected = fmt::format("irls-item-{}", e.irls_items.size() + 1);
    if (*code != expected) {
      return Bad(JsonPath(path, "code"), fmt::format("{} is not {}, the next component expected",
                                                     QuoteForMessage(*code), expected));
    }
    auto field = Field(c, "valueInteger", path, true);
    if (!field.ok()) return field.error();
    const json& v = **field;
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() ? v.get<uint64_t>() > INT_MAX
                                : v.get<int64_t>() < INT_MIN || v.get<int64_t>() > INT_MAX)) {
      return BadValue(JsonPath(path, "valueInteger"), v, "an integer");
    }
    e.irls_items.push_back(v.get<int>());
    return {};
  }

  Result<Entry> ReadStatement(const json& r, int64_t id, std::string_view path) const {
    MG_RETURN_IF_ERROR(Known(r, kStatementFields, path));
    Entry e;
    e.id = id;
    auto category = Object(r, "category", path);
    if (!category.ok()) return category.error();
    const std::string category_path = JsonPath(path, "category");
    auto kind_code = ProjectCode(**category, category_path);
    if (!kind_code.ok()) return kind_code.error();
    auto kind = journal::ParseEntryKind(*kind_code);
    if (!kind || (*kind != EntryKind::kSupplement && *kind != EntryKind::kDose)) {
      return Bad(category_path,
                 fmt::format("{} is not supplement or dose", QuoteForMessage(*kind_code)));
    }
    e.kind = *kind;
    auto date = EffectiveDate(r, path);
    if (!date.ok()) return date.error();
    e.date = *date;
    // What was taken and its magnesium: the contained Medication (the dosage repeats it for a
    // reader and is not read, so that one value cannot say two things).
    auto contained = Array(r, "contained", path);
    if (!contained.ok()) return contained.error();
    const std::string med_path = JsonPath(JsonPath(path, "contained"), 0);
    if ((*contained)->size() != 1) {
      return BadValue(JsonPath(path, "contained"), **contained, "one Medication");
    }
    const json& medication = (**contained)[0];
    MG_RETURN_IF_ERROR(Known(medication, {"resourceType", "id", "code", "ingredient"}, med_path));
    auto type = String(medication, "resourceType", med_path);
    if (!type.ok()) return type.error();
    if (*type != "Medication") {
      return Bad(JsonPath(med_path, "resourceType"),
                 fmt::format("{} is not Medication", QuoteForMessage(*type)));
    }
    auto code = Object(medication, "code", med_path, false);
    if (!code.ok()) return code.error();
    if (*code != nullptr) {
      MG_RETURN_IF_ERROR(Known(**code, {"text"}, JsonPath(med_path, "code")));
      auto label = String(**code, "text", JsonPath(med_path, "code"));
      if (!label.ok()) return label.error();
      e.label = std::move(*label);
    }
    auto ingredients = Array(medication, "ingredient", med_path, false);
    if (!ingredients.ok()) return ingredients.error();
    if (*ingredients != nullptr) {
      const std::string at = JsonPath(JsonPath(med_path, "ingredient"), 0);
      if ((*ingredients)->size() != 1) {
        return BadValue(JsonPath(med_path, "ingredient"), **ingredients, "one ingredient");
      }
      const json& ingredient = (**ingredients)[0];
      MG_RETURN_IF_ERROR(Known(ingredient, {"itemCodeableConcept", "strength"}, at));
      auto item = Object(ingredient, "itemCodeableConcept", at);
      if (!item.ok()) return item.error();
      auto item_code = ProjectCode(**item, JsonPath(at, "itemCodeableConcept"));
      if (!item_code.ok()) return item_code.error();
      if (*item_code != "magnesium") {
        return Bad(JsonPath(at, "itemCodeableConcept"),
                   fmt::format("{} is not magnesium", QuoteForMessage(*item_code)));
      }
      auto strength = Object(ingredient, "strength", at);
      if (!strength.ok()) return strength.error();
      const std::string strength_path = JsonPath(at, "strength");
      MG_RETURN_IF_ERROR(Known(**strength, {"numerator", "denominator"}, strength_path));
      auto numerator = Object(**strength, "numerator", strength_path);
      if (!numerator.ok()) return numerator.error();
      auto mg = QuantityValue(**numerator, "mg", JsonPath(strength_path, "numerator"));
      if (!mg.ok()) return mg.error();
      auto denominator = Object(**strength, "denominator", strength_path);
      if (!denominator.ok()) return denominator.error();
      auto per = QuantityValue(**denominator, "{intake}", JsonPath(strength_path, "denominator"));
      if (!per.ok()) return per.error();
      if (*per != 1) {
        return Bad(JsonPath(JsonPath(strength_path, "denominator"), "value"),
                   fmt::format("{} is not 1 (the strength is per logged intake)", *per));
      }
      e.magnesium_mg = *mg;
    }
    auto note = NoteText(r, path);
    if (!note.ok()) return note.error();
    e.note = std::move(*note);
    return e;
  }

  // "<prefix><digits>" → the number, for ids mgadvisor wrote.
  static std::optional<int64_t> IdNumber(std::string_view id, std::string_view prefix) {
    if (!id.starts_with(prefix)) return std::nullopt;
    id.remove_prefix(prefix.size());
    int64_t n = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    if (ec != std::errc() || end != id.data() + id.size() || n < 0 || id.empty() ||
        (id.size() > 1 && id[0] == '0')) {
      return std::nullopt;
    }
    return n;
  }

  Result<std::string> Extension(const json& r, std::string_view name, std::string_view value_key,
                                std::string_view path) const {
    auto extensions = Array(r, "extension", path);
    if (!extensions.ok()) return extensions.error();
    const std::string url = ExtensionUrl(name);
    for (size_t i = 0; i < (*extensions)->size(); ++i) {
      const json& x = (**extensions)[i];
      const std::string at = JsonPath(JsonPath(path, "extension"), i);
      if (!x.is_object()) return BadValue(at, x, "an object");
      auto x_url = String(x, "url", at);
      if (!x_url.ok()) return x_url.error();
      if (*x_url != url) continue;
      MG_RETURN_IF_ERROR(Known(x, {"url", std::string(value_key)}, at));
      return String(x, value_key, at);
    }
    return Bad(JsonPath(path, "extension"), fmt::format("no extension {}", url));
  }

  Status ReadResource(const json& r, std::string_view path, journal::Snapshot& out) const {
    if (!r.is_object()) return BadValue(path, r, "a resource (an object)");
    auto type = String(r, "resourceType", path);
    if (!type.ok()) return type.error();
    auto id = String(r, "id", path);
    if (!id.ok()) return id.error();
    if (auto n = IdNumber(*id, "entry-")) {
      auto entry = *type == "Observation" ? ReadObservation(r, *n, path)
                   : *type == "MedicationStatement"
                       ? ReadStatement(r, *n, path)
                       : Result<Entry>(
                             Bad(JsonPath(path, "resourceType"),
                                 fmt::format("{} is not an entry's type", QuoteForMessage(*type))));
      if (!entry.ok()) return entry.error();
      out.entries.push_back(std::move(*entry));
      return {};
    }
    if (*type == "Basic" && *id == "profile") {
      MG_RETURN_IF_ERROR(Known(r, {"resourceType", "id", "extension", "code", "subject"}, path));
      if (out.profile_json) return Bad(path, "a second profile");
      auto text = Extension(r, "profile", "valueString", path);
      if (!text.ok()) return text.error();
      auto object = ParseJsonObject(*text, fmt::format("{}: {}.profile", source_, path));
      if (!object.ok()) return object.error();
      out.profile_json = std::move(*text);
      return {};
    }
    if (auto n = IdNumber(*id, "trial-"); n && *type == "ResearchStudy") {
      auto created = Extension(r, "trial-created", "valueDate", path);
      if (!created.ok()) return created.error();
      if (!journal::ParseDate(*created)) {
        return Bad(
            JsonPath(path, "extension"),
            fmt::format("trial-created: {} is not a YYYY-MM-DD date", QuoteForMessage(*created)));
      }
      auto design = Extension(r, "trial-design", "valueString", path);
      if (!design.ok()) return design.error();
      auto object = ParseJsonObject(*design, fmt::format("{}: {}.trial-design", source_, path));
      if (!object.ok()) return object.error();
      out.trials.push_back({*n, std::move(*created), std::move(*design)});
      return {};
    }
    // What the export derives from the journal (computed again after an import).
    const bool derived = (*type == "Patient" && *id == kPatientId) ||
                         (*type == "CodeSystem" && *id == "mgadvisor-journal") ||
                         (*type == "Observation" && id->starts_with("intake-")) ||
                         (*type == "MedicationStatement" &&
                          (id->starts_with("medicine-") || id->starts_with("magnesium-source-") ||
                           *id == "plan-supplement"));
    if (derived) return {};
    return Bad(path, fmt::format("{}/{} is not a resource mgadvisor writes (an entry is "
                                 "entry-<id>, a trial trial-<id>, the profile Basic/profile)",
                                 QuoteForMessage(*type), QuoteForMessage(*id)));
  }

 private:
  std::string source_;
};

}  // namespace

json EntryToFhir(const Entry& e) {
  return e.kind == EntryKind::kSupplement || e.kind == EntryKind::kDose ? MedicationStatementFrom(e)
                                                                        : ObservationFrom(e);
}

bool LooksLikeFhir(const json& document) {
  return document.is_object() && document.contains("resourceType");
}

Result<json> ExportFhir(const Context& context, journal::Store& store, Date today) {
  auto snapshot = store.Export();
  if (!snapshot.ok()) return snapshot.error();
  json patient = {{"resourceType", "Patient"}, {"id", kPatientId}};
  std::vector<json> derived;
  MG_RETURN_IF_ERROR(AddPlan(context, store, derived, patient));
  AddDailyMagnesium(snapshot->entries, derived);

  json entries = json::array();
  entries.push_back(BundleEntry(std::move(patient)));
  if (snapshot->profile_json) {
    entries.push_back(BundleEntry(
        {{"resourceType", "Basic"},
         {"id", "profile"},
         {"code", {{"coding", json::array({Coding("profile")})}}},
         {"subject", Subject()},
         {"extension",
          json::array({{{"url", ExtensionUrl("profile")},
                        {"valueString", ReplaceInvalidUtf8(*snapshot->profile_json)}}})}}));
  }
  for (const Entry& e : snapshot->entries) entries.push_back(BundleEntry(EntryToFhir(e)));
  for (const journal::TrialRecord& t : snapshot->trials) {
    auto study = TrialStudy(t, context, today);
    if (!study.ok()) return study.error();
    entries.push_back(BundleEntry(std::move(*study)));
  }
  for (json& resource : derived) entries.push_back(BundleEntry(std::move(resource)));
  entries.push_back(BundleEntry(CodeSystem()));
  return json{{"resourceType", "Bundle"},
              {"id", "mgadvisor-journal"},
              {"type", "collection"},
              {"timestamp", FormatDate(today) + "T00:00:00Z"},
              {"entry", std::move(entries)}};
}

Result<journal::Snapshot> SnapshotFromFhir(const json& bundle, std::string_view source) {
  Reader reader(source);
  MG_RETURN_IF_ERROR(
      reader.Known(bundle, {"resourceType", "id", "type", "timestamp", "entry", "meta"}, "bundle"));
  auto type = reader.String(bundle, "resourceType", "");
  if (!type.ok()) return type.error();
  if (*type != "Bundle") {
    return reader.Bad("resourceType", fmt::format("{} is not Bundle", QuoteForMessage(*type)));
  }
  auto kind = reader.String(bundle, "type", "");
  if (!kind.ok()) return kind.error();
  if (*kind != "collection") {
    return reader.Bad("type", fmt::format("{} is not collection", QuoteForMessage(*kind)));
  }
  journal::Snapshot snapshot;
  auto entries = reader.Field(bundle, "entry", "", false);
  if (!entries.ok()) return entries.error();
  if (*entries == nullptr) return snapshot;
  if (!(*entries)->is_array()) return reader.BadValue("entry", **entries, "an array");
  std::set<int64_t> entry_ids, trial_ids;
  for (size_t i = 0; i < (*entries)->size(); ++i) {
    const json& item = (**entries)[i];
    const std::string path = JsonPath("entry", i);
    MG_RETURN_IF_ERROR(reader.Known(item, {"fullUrl", "resource"}, path));
    auto resource = reader.Object(item, "resource", path);
    if (!resource.ok()) return resource.error();
    const size_t before_entries = snapshot.entries.size(), before_trials = snapshot.trials.size();
    MG_RETURN_IF_ERROR(reader.ReadResource(**resource, JsonPath(path, "resource"), snapshot));
    // Two resources with one id would be one entry written twice: refuse before anything is.
    if (snapshot.entries.size() > before_entries &&
        !entry_ids.insert(snapshot.entries.back().id).second) {
      return reader.Bad(JsonPath(JsonPath(path, "resource"), "id"),
                        fmt::format("entry-{} appears twice", snapshot.entries.back().id));
    }
    if (snapshot.trials.size() > before_trials &&
        !trial_ids.insert(snapshot.trials.back().id).second) {
      return reader.Bad(JsonPath(JsonPath(path, "resource"), "id"),
                        fmt::format("trial-{} appears twice", snapshot.trials.back().id));
    }
  }
  std::stable_sort(snapshot.entries.begin(), snapshot.entries.end(),
                   [](const Entry& a, const Entry& b) {
                     return a.date != b.date ? a.date < b.date : a.id < b.id;
                   });
  return snapshot;
}

}  // namespace mg::ops
