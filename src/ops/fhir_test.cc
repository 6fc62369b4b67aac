// The FHIR R4 export and its reader on real SQLite journals: a full journal (profile with
// medicines, every kind of entry, a trial) goes out and back into an empty journal unchanged, and
// bad Bundles are refused naming the field path and value with nothing written. The Bundle's
// validity against the R4 specification is checked by a real validator in
// tests/browser/fhir.test.mjs.
#include "ops/fhir.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "journal/sqlite_store.h"
#include "ops/journal.h"
#include "ops/plan.h"
#include "ops/trial.h"

namespace mg::ops {
namespace {

namespace fs = std::filesystem;
using journal::Date;
using journal::Entry;
using journal::EntryKind;
using nlohmann::json;
using ::testing::HasSubstr;

Date Day(int y, unsigned m, unsigned d) { return std::chrono::year{y} / m / d; }
const Date kToday = Day(2026, 11, 23);

const Context& Loaded() {
  static const Context* context = new Context(ContextOptions{});
  return *context;
}

class FhirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mg_fhir_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<journal::Store> Open(const std::string& name) {
    auto store = journal::OpenSqliteStore((dir_ / name).string(), clock_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  // A journal with a profile (medicines at set times), one entry of every kind and a trial.
  void Fill(journal::Store& store) {
    auto document = plan::ParseProfileText(
        R"({"age": 61, "sex": "female", "complaints": ["RLS", "leg cramps"],
            "medicines": [{"name": "levothyroxine", "times": ["07:00"]}],
            "magnesium_taken": [{"compound": "magnesium oxide", "amount": "100 mg compound"}]})",
        "profile.json");
    ASSERT_TRUE(document.ok()) << document.error().message;
    auto stored = SetProfile(Loaded(), store, *document);
    ASSERT_TRUE(stored.ok()) << stored.error().message;
    StartTrialRequest request;
    request.outcome = "irls";
    request.start = Day(2026, 11, 1);
    request.seed = 20261101;  // A fixed order, so the golden file is fixed too.
    auto started = StartTrial(Loaded(), &store, request, kToday);
    ASSERT_TRUE(started.ok()) << started.error().message;
    const std::vector<Entry> entries = {
        {0, Day(2026, 11, 20), EntryKind::kFood, "Pumpkin seeds — 30 g", 154.5, {}, {}, {}, "", {}},
        {0, Day(2026, 11, 20), EntryKind::kFood, "Tea, no value", {}, {}, {}, {}, "green", {}},
        {0, Day(2026, 11, 20), EntryKind::kDose, "citrate", 200, {}, {}, {}, "with dinner", {}},
        {0,
         Day(2026, 11, 21),
         EntryKind::kSupplement,
         "milk of magnesia — 30 mL",
         1000.25,
         {},
         {},
         {},
         "",
         {}},
        {0, Day(2026, 11, 21), EntryKind::kSupplement, "multivitamin", {}, {}, {}, {}, "", {}},
        {0,
         Day(2026, 11, 21),
         EntryKind::kIrls,
         "",
         {},
         17,
         {},
         {2, 2, 1, 2, 2, 2, 1, 2, 1, 2},
         "",
         {}},
        {0, Day(2026, 11, 21), EntryKind::kIrls, "", {}, 22.0, {}, {}, "", {}},
        {0, Day(2026, 11, 22), EntryKind::kCramps, "", {}, 3, 7, {}, "left calf", {}},
        {0, Day(2026, 11, 22), EntryKind::kPain, "knee", {}, 4, {}, {}, "", {}},
        {0, Day(2026, 11, 22), EntryKind::kSleep, "", {}, 6, {}, {}, "", {}},
        {0, Day(2026, 11, 22), EntryKind::kNote, "", {}, {}, {}, {}, "Zeile mit \"Ümlaut\"\n2", {}},
        {0, Day(2026, 11, 23), EntryKind::kSideEffect, "diarrhoea", {}, {}, {}, {}, "mild", {}},
    };
    for (const Entry& e : entries) {
      auto added = store.Add(e);
      ASSERT_TRUE(added.ok()) << added.error().message;
    }
  }

  journal::FixedClock clock_{kToday};
  fs::path dir_;
};

std::map<std::string, json> ById(const json& bundle) {
  std::map<std::string, json> out;
  for (const json& e : bundle["entry"]) {
    out[e["resource"]["resourceType"].get<std::string>() + "/" +
        e["resource"]["id"].get<std::string>()] = e["resource"];
  }
  return out;
}

TEST_F(FhirTest, ExportsEveryPartAsTheResourceThatFitsIt) {
  auto store = Open("a.db");
  Fill(*store);
  auto bundle = ExportFhir(Loaded(), *store, kToday);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ((*bundle)["resourceType"], "Bundle");
  EXPECT_EQ((*bundle)["type"], "collection");
  const auto r = ById(*bundle);
  // A dose: a MedicationStatement whose Medication holds its magnesium as ingredient strength.
  const json& dose = r.at("MedicationStatement/entry-3");
  EXPECT_EQ(dose["category"]["coding"][0]["code"], "dose");
  EXPECT_EQ(dose["contained"][0]["ingredient"][0]["strength"]["numerator"]["value"], 200.0);
  EXPECT_EQ(dose["contained"][0]["ingredient"][0]["strength"]["numerator"]["code"], "mg");
  EXPECT_EQ(dose["medicationReference"]["reference"], "#medication");
  EXPECT_EQ(dose["effectiveDateTime"], "2026-11-20");
  // Pain has its LOINC code; a cramp night its intensity as a component.
  const json& pain = r.at("Observation/entry-9");
  EXPECT_EQ(pain["code"]["coding"][0]["system"], "http://loinc.org");
  EXPECT_EQ(pain["code"]["coding"][0]["code"], "72514-3");
  EXPECT_EQ(pain["valueQuantity"]["value"], 4.0);
  EXPECT_EQ(r.at("Observation/entry-8")["component"][0]["valueQuantity"]["value"], 7.0);
  EXPECT_EQ(r.at("Observation/entry-6")["component"].size(), 10u);
  // The day's magnesium, food and supplements apart.
  const json& day = r.at("Observation/intake-2026-11-20");
  EXPECT_EQ(day["valueQuantity"]["value"], 354.5);
  EXPECT_EQ(day["component"][0]["valueQuantity"]["value"], 154.5);
  EXPECT_FALSE(r.contains("Observation/intake-2026-11-22"));  // No magnesium logged that day.
  // The profile's medicine at its time, the plan's supplement, the trial, the patient.
  const json& medicine = r.at("MedicationStatement/medicine-1");
  EXPECT_EQ(medicine["medicationCodeableConcept"]["text"], "levothyroxine");
  EXPECT_EQ(medicine["dosage"][0]["timing"]["repeat"]["timeOfDay"][0], "07:00:00");
  ASSERT_TRUE(r.contains("MedicationStatement/plan-supplement"));
  EXPECT_EQ(r.at("MedicationStatement/plan-supplement")["status"], "intended");
  EXPECT_EQ(r.at("ResearchStudy/trial-1")["status"], "active");
  EXPECT_EQ(r.at("ResearchStudy/trial-1")["period"]["start"], "2026-11-01");
  EXPECT_EQ(r.at("Patient/person")["gender"], "female");
  EXPECT_EQ(r.at("CodeSystem/mgadvisor-journal")["url"], kFhirCodeSystem);
}

TEST_F(FhirTest, ExportImportExportIsIdentical) {
  auto source = Open("source.db");
  Fill(*source);
  auto first = ExportJournalAs(Loaded(), *source, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto read = ReadJournalDocument(first->text, "bundle.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto target = Open("target.db");
  auto imported = ImportJournal(Loaded(), *target, *read, "bundle.json");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->entries, 12u);
  EXPECT_EQ(imported->trials, 1u);
  auto second = ExportJournalAs(Loaded(), *target, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(first->text, second->text);
  // And the journal itself is the same, not only its FHIR picture.
  EXPECT_EQ(*source->Export(), *target->Export());
}

// A two-dose trial (issue 16): its ResearchStudy's arms are the plan's dose and the lower dose
// (not "no magnesium"), and its design, lower dose included, survives export and import.
TEST_F(FhirTest, ATwoDoseTrialsArmsAreItsTwoDosesAndItReadsBack) {
  auto store = Open("two-dose.db");
  auto document = plan::ParseProfileText(
      R"({"age": 61, "sex": "female", "complaints": ["RLS", "leg cramps"]})", "profile.json");
  ASSERT_TRUE(document.ok()) << document.error().message;
  ASSERT_TRUE(SetProfile(Loaded(), *store, *document).ok());
  StartTrialRequest request;
  request.outcome = "irls";
  request.start = Day(2026, 11, 1);
  request.seed = 20261101;
  request.lower_dose_mg = 50;
  auto started = StartTrial(Loaded(), store.get(), request, kToday);
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto bundle = ExportFhir(Loaded(), *store, kToday);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  const json study = ById(*bundle).at("ResearchStudy/trial-1");
  EXPECT_EQ(study["arm"][0]["name"], "plan dose");
  EXPECT_EQ(study["arm"][1]["name"], "lower dose");
  EXPECT_EQ(study["arm"][1]["description"].get<std::string>().rfind("50 mg of magnesium", 0), 0u);
  EXPECT_NE(study["description"].get<std::string>().find("and one with a lower dose, 50 mg"),
            std::string::npos);
  auto exported = ExportJournalAs(Loaded(), *store, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(exported.ok()) << exported.error().message;
  auto read = ReadJournalDocument(exported->text, "bundle.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto target = Open("two-dose-target.db");
  auto imported = ImportJournal(Loaded(), *target, *read, "bundle.json");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(*store->Export(), *target->Export());
}

TEST_F(FhirTest, TheGoldenExampleReadsBackAndIsWhatTheExporterWrites) {
  // examples/fhir/journal-bundle.json is Fill()'s journal; update with MGADVISOR_UPDATE_GOLDEN=1.
  auto store = Open("a.db");
  Fill(*store);
  auto exported = ExportJournalAs(Loaded(), *store, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(exported.ok()) << exported.error().message;
  const fs::path golden = fs::path(MG_SOURCE_DIR) / "examples/fhir/journal-bundle.json";
  if (std::getenv("MGADVISOR_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << exported->text;
  }
  std::ifstream in(golden, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), exported->text) << "run with MGADVISOR_UPDATE_GOLDEN=1 and review the diff";
}

// Each bad Bundle: the message names the path and value, and nothing is written.
TEST_F(FhirTest, BadBundlesAreRefusedByPathAndValueAndNothingIsWritten) {
  auto source = Open("source.db");
  Fill(*source);
  auto exported = ExportFhir(Loaded(), *source, kToday);
  ASSERT_TRUE(exported.ok());
  const json good = *exported;
  auto index_of = [&](const std::string& id) {
    for (size_t i = 0; i < good["entry"].size(); ++i) {
      if (good["entry"][i]["resource"]["id"] == id) return i;
    }
    ADD_FAILURE() << id;
    return size_t{0};
  };
  const size_t dose = index_of("entry-3"), pain = index_of("entry-9");
  struct Case {
    std::string name;
    std::function<void(json&)> change;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not a bundle", [](json& b) { b["resourceType"] = "Patient"; },
       "b.json: resourceType: \"Patient\" is not Bundle"},
      {"a string value",
       [&](json& b) { b["entry"][pain]["resource"]["valueQuantity"]["value"] = "x"; },
       fmt::format("b.json: entry[{}].resource.valueQuantity.value: a string (\"x\") is not a "
                   "number",
                   pain)},
      {"grams for milligrams",
       [&](json& b) {
         b["entry"][dose]["resource"]["contained"][0]["ingredient"][0]["strength"]["numerator"]
          ["code"] = "g";
       },
       fmt::format("entry[{}].resource.contained[0].ingredient[0].strength.numerator.code: "
                   "\"g\" is not the unit mg",
                   dose)},
      {"a misspelt field", [&](json& b) { b["entry"][pain]["resource"]["notes"] = json::array(); },
       fmt::format("entry[{}].resource: unknown field 'notes'", pain)},
      {"a bad date",
       [&](json& b) { b["entry"][pain]["resource"]["effectiveDateTime"] = "2026-02-30"; },
       fmt::format("entry[{}].resource.effectiveDateTime: \"2026-02-30\" is not a YYYY-MM-DD",
                   pain)},
      {"a stranger resource",
       [&](json& b) {
         b["entry"].push_back({{"resource", {{"resourceType", "Condition"}, {"id", "x"}}}});
       },
       "\"Condition\"/\"x\" is not a resource mgadvisor writes"},
      {"an entry twice", [&](json& b) { b["entry"].push_back(b["entry"][pain]); },
       "entry-9 appears twice"},
  };
  for (const Case& c : cases) {
    json bundle = good;
    c.change(bundle);
    auto read = SnapshotFromFhir(bundle, "b.json");
    ASSERT_FALSE(read.ok()) << c.name;
    EXPECT_THAT(read.error().message, HasSubstr(c.message)) << c.name;
  }
  // Shape right, a value out of range: refused by the import's checks, nothing written.
  json bundle = good;
  bundle["entry"][pain]["resource"]["valueQuantity"]["value"] = 11;
  auto read = SnapshotFromFhir(bundle, "b.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto target = Open("target.db");
  auto imported = ImportJournal(Loaded(), *target, *read, "b.json");
  ASSERT_FALSE(imported.ok());
  EXPECT_THAT(imported.error().message, HasSubstr("pain"));
  auto after = target->Export();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->entries.empty());
  EXPECT_TRUE(after->trials.empty());
  EXPECT_FALSE(after->profile_json.has_value());
}

TEST_F(FhirTest, AFormatNamedMustBeTheFilesFormat) {
  auto mixed = ReadJournalDocument(R"({"format": "mgadvisor-journal", "version": 1})", "x.json",
                                   ExportFormat::kFhir);
  ASSERT_FALSE(mixed.ok());
  EXPECT_THAT(mixed.error().message, HasSubstr("x.json: not a FHIR resource"));
  auto bundle = ReadJournalDocument(R"({"resourceType": "Bundle", "type": "collection"})", "y.json",
                                    ExportFormat::kJson);
  ASSERT_FALSE(bundle.ok());
  EXPECT_THAT(bundle.error().message, HasSubstr("use --format fhir"));
  auto empty = ReadJournalDocument(R"({"resourceType": "Bundle", "type": "collection"})", "z");
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->entries.empty());
}

// A cramp night's and a sleep night's detail travel as components with their units and come back.
TEST_F(FhirTest, MeasuresAreComponentsAndReadBack) {
  auto source = Open("source.db");
  Entry cramps{0, Day(2026, 11, 22), EntryKind::kCramps, "", {}, 2, 6, {}, "", {}};
  cramps.measures = {{"minutes", 4.5}, {"sleep_disturbance", 5}};
  Entry sleep{0, Day(2026, 11, 22), EntryKind::kSleep, "", {}, 6, {}, {}, "", {}};
  sleep.measures = {{"awakenings", 2}, {"minutes_to_sleep", 35}};
  ASSERT_TRUE(source->Add(cramps).ok());
  ASSERT_TRUE(source->Add(sleep).ok());
  auto first = ExportJournalAs(Loaded(), *source, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto r = ById(json::parse(first->text));
  const json& night = r.at("Observation/entry-1")["component"];
  ASSERT_EQ(night.size(), 3u);  // Intensity, minutes, sleep disturbance.
  EXPECT_EQ(night[1]["code"]["coding"][0]["code"], "cramps-minutes");
  EXPECT_EQ(night[1]["valueQuantity"]["code"], "min");
  EXPECT_EQ(night[2]["code"]["coding"][0]["code"], "cramps-sleep-disturbance");
  EXPECT_EQ(r.at("Observation/entry-2")["component"][0]["valueQuantity"]["code"], "{count}");
  auto read = ReadJournalDocument(first->text, "bundle.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto target = Open("target.db");
  ASSERT_TRUE(ImportJournal(Loaded(), *target, *read, "bundle.json").ok());
  EXPECT_EQ(target->List({})->at(0).measures, cramps.measures);
  EXPECT_EQ(*source->Export(), *target->Export());
}

// A migraine attack (start, duration past midnight, medicine as code.text), a day logged without
// migraine and a stress rating travel as Observations with the project's codes and come back.
TEST_F(FhirTest, MigraineAndStressAreObservationsAndReadBack) {
  auto source = Open("source.db");
  Entry attack{0, Day(2026, 11, 21), EntryKind::kMigraine, "sumatriptan 50 mg", {}, 7, {}, {}, "",
               {}};
  attack.measures = {{"start_minute", 1320}, {"duration_minutes", 600}};
  const Entry none{0, Day(2026, 11, 22), EntryKind::kMigraine, "", {}, 0, {}, {}, "", {}};
  const Entry stress{0, Day(2026, 11, 22), EntryKind::kStress, "", {}, 4, {}, {}, "", {}};
  for (const Entry& e : {attack, none, stress}) ASSERT_TRUE(source->Add(e).ok());
  auto first = ExportJournalAs(Loaded(), *source, ExportFormat::kFhir, kToday);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto r = ById(json::parse(first->text));
  const json& observation = r.at("Observation/entry-1");
  EXPECT_EQ(observation["code"]["coding"][0]["code"], "migraine");
  EXPECT_EQ(observation["code"]["text"], "sumatriptan 50 mg");
  EXPECT_EQ(observation["valueQuantity"]["value"], 7);
  const json& parts = observation["component"];
  ASSERT_EQ(parts.size(), 2u);  // In the measures' name order: duration, then start.
  EXPECT_EQ(parts[0]["code"]["coding"][0]["code"], "migraine-duration-minutes");
  EXPECT_EQ(parts[0]["valueQuantity"]["value"], 600);
  EXPECT_EQ(parts[1]["code"]["coding"][0]["code"], "migraine-start-minute");
  EXPECT_EQ(parts[1]["valueQuantity"]["code"], "min");
  EXPECT_EQ(r.at("Observation/entry-2")["valueQuantity"]["value"], 0);
  EXPECT_EQ(r.at("Observation/entry-3")["code"]["coding"][0]["code"], "stress");
  EXPECT_EQ(r.at("Observation/entry-3")["code"]["coding"][0]["display"],
            "Stress, single item 0-10 (10 = extreme)");
  auto read = ReadJournalDocument(first->text, "bundle.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto target = Open("target.db");
  ASSERT_TRUE(ImportJournal(Loaded(), *target, *read, "bundle.json").ok());
  EXPECT_EQ(*source->Export(), *target->Export());
}

}  // namespace
}  // namespace mg::ops
