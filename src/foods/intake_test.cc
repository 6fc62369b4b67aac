#include "foods/intake.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/data_files.h"
#include "foods/embedded_foods_test_util.h"
#include "foods/foods_json.h"
#include "products/products_test_util.h"

namespace mg::foods {
namespace {

class IntakeTest : public EmbeddedFoodsTest {
 protected:
  void SetUp() override {
    EmbeddedFoodsTest::SetUp();
    if (HasFatalFailure()) return;
    auto compounds = chem::CompoundCatalog::Load();
    ASSERT_TRUE(compounds.ok()) << compounds.error().message;
    compounds_ = std::make_unique<chem::CompoundCatalog>(std::move(compounds).value());
    auto units = UnitTable::LoadEmbedded();
    ASSERT_TRUE(units.ok()) << units.error().message;
    units_ = std::move(units).value();
    targets_.intake_mg = 320;
    targets_.ear_mg = 265;
    targets_.supplemental_ul_mg = 350;
  }
  Result<IntakeAnalysis> Analyze(const std::string& file, const IntakeOptions& options = {}) {
    auto text = ReadFile(std::string(MG_SOURCE_DIR) + "/src/foods/testdata/" + file);
    if (!text.ok()) return text.error();
    auto diary = ParseDiary(*text, file);
    if (!diary.ok()) return diary.error();
    return AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_, options);
  }
  static const products::Catalogue& Catalogue() { return products::testing::EmbeddedCatalogue(); }
  double Fraction(const char* compound) {
    auto c = compounds_->Resolve(compound);
    EXPECT_TRUE(c.ok());
    return c.ok() ? (*c)->magnesium_fraction : 0;
  }
  std::unique_ptr<chem::CompoundCatalog> compounds_;
  UnitTable units_;
  IntakeTargets targets_;
};

TEST_F(IntakeTest, GramsOfMassVolumeAndHouseholdUnits) {
  const Food& almonds = *db_.FindBySource("sr28:12061");
  EXPECT_NEAR(*GramsOf(almonds, 1, "oz", units_), 28.3495, 1e-3);
  EXPECT_NEAR(*GramsOf(almonds, 2, "ounces", units_), 56.699, 1e-3);
  EXPECT_NEAR(*GramsOf(almonds, 50, "g", units_), 50, 1e-9);
  EXPECT_NEAR(*GramsOf(almonds, 1, "serving", units_), 28.35, 1e-9);
  const Food& pumpkin = *db_.FindBySource("sr28:12014");  // Only "1 cup = 129 g" by volume.
  EXPECT_NEAR(*GramsOf(pumpkin, 2, "tbsp", units_), 2 * 129.0 / 16, 1e-6);
  EXPECT_NEAR(*GramsOf(pumpkin, 1, "teaspoon", units_), 129.0 / 48, 1e-6);
  const Food& banana = *db_.FindBySource("sr28:09040");
  EXPECT_NEAR(*GramsOf(banana, 1, "medium", units_), 118, 1e-9);
  EXPECT_NEAR(*GramsOf(banana, 2, "large", units_), 272, 1e-9);
  auto bad = GramsOf(almonds, 3, "handfuls", units_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("\"handfuls\""), std::string::npos);
  EXPECT_FALSE(GramsOf(almonds, 0, "g", units_).ok());
  EXPECT_FALSE(GramsOf(almonds, -1, "g", units_).ok());
}

TEST_F(IntakeTest, HandCheckedCsvDiary) {
  auto analysis = Analyze("diary_basic.csv");
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  ASSERT_EQ(analysis->days.size(), 2u);
  const DayAnalysis& d1 = analysis->days[0];
  EXPECT_EQ(d1.date, "2025-03-01");
  // Almonds 1 oz (28.3495 g x 2.70) + spinach boiled 1 cup (180 g x 0.87) + banana 118 g x 0.27.
  EXPECT_NEAR(d1.food_mg, 28.349523 * 2.70 + 156.6 + 31.86, 0.01);
  EXPECT_NEAR(d1.supplement_mg, 250 * Fraction("magnesium citrate"), 1e-6);
  EXPECT_NEAR(d1.supplement_mg, 40.4, 0.1);
  EXPECT_EQ(d1.entries[3].match, "compound");  // Marked "mg compound": the salt's mass.
  EXPECT_FALSE(d1.supplements_over_ul);
  ASSERT_FALSE(d1.top_foods.empty());
  EXPECT_EQ(d1.top_foods[0].food->source, "sr28:11458");  // Spinach leads.
  ASSERT_TRUE(d1.gap_mg.has_value());
  EXPECT_NEAR(*d1.gap_mg, 320 - d1.total_mg, 1e-9);
  ASSERT_FALSE(d1.by_portion.empty());
  for (const Change& c : d1.by_portion) EXPECT_GE(c.magnesium_mg, *d1.gap_mg - 1e-9);

  const DayAnalysis& d2 = analysis->days[1];
  // Pumpkin seeds 2 tbsp (129/8 g x 5.92) + brown rice 1.5 cups (303 g x 0.39).
  EXPECT_NEAR(d2.food_mg, 129.0 / 8 * 5.92 + 303 * 0.39, 0.01);
  // Milk of magnesia 15 mL (500 mg magnesium on its label, per 15 mL) + 200 mg as labelled.
  EXPECT_NEAR(d2.supplement_mg, 500 + 200, 0.5);  // Computed from the salt: 500.1 mg.
  EXPECT_TRUE(d2.supplements_over_ul);
  EXPECT_EQ(d2.entries[2].match, "units");
  EXPECT_EQ(d2.entries[3].match, "elemental");
  EXPECT_EQ(*d2.gap_mg, 0);
  EXPECT_TRUE(d2.by_portion.empty());
  // Search matches are reported.
  EXPECT_EQ(d2.entries[0].match, "search");
  EXPECT_EQ(d2.entries[0].food->source, "sr28:12014");
  EXPECT_EQ(d2.entries[1].food->source, "sr28:20037");
}

TEST_F(IntakeTest, JsonDiary) {
  auto analysis = Analyze("diary.json");
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  ASSERT_EQ(analysis->days.size(), 1u);
  EXPECT_NEAR(analysis->days[0].food_mg, 28.349523 * 2.70 + 86 * 0.70, 0.01);
  EXPECT_NEAR(analysis->days[0].supplement_mg, 1000 * Fraction("magnesium citrate"), 1e-6);
}

TEST_F(IntakeTest, CronometerServingsExport) {
  auto analysis = Analyze("cronometer_servings.csv");
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  ASSERT_EQ(analysis->days.size(), 2u);
  EXPECT_NEAR(analysis->days[0].food_mg, 110.4 + 47.4, 1e-9);
  EXPECT_NEAR(analysis->days[0].supplement_mg, 200, 1e-9);
  EXPECT_EQ(analysis->days[0].entries[0].match, "reported");
  // No magnesium column value: matched by search, 1 medium banana = 118 g.
  EXPECT_NEAR(analysis->days[1].food_mg, 118 * 0.27, 1e-9);
  EXPECT_EQ(analysis->days[1].entries[0].food->source, "sr28:09040");
}

// Issue 16: a Cronometer week failed as a whole on one supplement row in tablets with an empty
// magnesium cell. A product the catalogue knows is counted from its label; one it does not know
// is kept as unknown, with the reason, and the rest of the export is analysed.
TEST_F(IntakeTest, CronometerSupplementRowsWithoutAMagnesiumValue) {
  const std::string header =
      "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Category\n";
  auto diary = ParseDiary(header +
                              "2025-04-10,09:00 PM,Supplements,Mag-Ox 400,1.00 tablet,0,,"
                              "Supplements\n"
                              "2025-04-10,09:00 PM,Supplements,\"Magnesium Glycinate, Acme\","
                              "2.00 capsule,0,,Supplements\n"
                              "2025-04-10,08:14 AM,Breakfast,Banana,1.00 medium,105,,Fruits\n",
                          "c.csv");
  ASSERT_TRUE(diary.ok()) << diary.error().message;
  auto analysis = AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_);
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const DayAnalysis& day = analysis->days[0];
  EXPECT_NEAR(day.supplement_mg, 241.3, 0.01);
  EXPECT_EQ(day.entries[0].match, "units");
  EXPECT_EQ(day.entries[1].match, "unknown");
  EXPECT_FALSE(day.entries[1].magnesium_mg.has_value());
  EXPECT_NE(day.entries[1].reading.find("not counted"), std::string::npos);
  EXPECT_NEAR(day.food_mg, 118 * 0.27, 1e-9);
  // A diary the person typed is not an export: the same row is an error naming it.
  auto typed = ParseDiary(
      "date,food,amount,unit,type\n2025-04-10,\"Magnesium Glycinate, Acme\",2,capsules,"
      "supplement\n",
      "d.csv");
  ASSERT_TRUE(typed.ok());
  EXPECT_FALSE(
      AnalyzeIntake(*typed, db_, *index_, Catalogue(), *compounds_, units_, targets_).ok());
}

TEST_F(IntakeTest, ExclusionsShapeSuggestions) {
  auto exclusions = Exclusions::Load();
  ASSERT_TRUE(exclusions.ok());
  IntakeOptions options;
  options.exclusions = *exclusions->Resolve({"vegan", "nut allergy"});
  options.suggestions = 20;
  auto analysis = Analyze("diary.json", options);
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const DayAnalysis& day = analysis->days[0];
  ASSERT_FALSE(day.by_portion.empty());
  ASSERT_FALSE(day.by_kcal.empty());
  for (const auto* list : {&day.by_portion, &day.by_kcal}) {
    for (const Change& c : *list) {
      EXPECT_FALSE(options.exclusions.Excludes(*c.food)) << c.food->name;
      EXPECT_GE(c.magnesium_mg, *day.gap_mg - 1e-9);
    }
  }
  for (size_t i = 1; i < day.by_kcal.size(); ++i) {
    EXPECT_LE(day.by_kcal[i - 1].kcal, day.by_kcal[i].kcal);
  }
}

TEST_F(IntakeTest, BadInputNamesFileLineFieldAndValue) {
  auto bad_amount = Analyze("diary_bad_amount.csv");
  ASSERT_FALSE(bad_amount.ok());
  EXPECT_EQ(bad_amount.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_amount.error().message,
            "diary_bad_amount.csv:3: field 'amount': \"lots\" is not an amount");
  auto bad_unit = Analyze("diary_bad_unit.csv");
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_NE(bad_unit.error().message.find("diary_bad_unit.csv:3: field 'unit': unit \"handfuls\""),
            std::string::npos);
  auto unknown = Analyze("diary_unknown_food.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("diary_unknown_food.csv:2: field 'food': \"xqzvw plork\""),
            std::string::npos);
  auto compound = Analyze("diary_bad_compound.csv");
  ASSERT_FALSE(compound.ok());
  EXPECT_NE(compound.error().message.find("diary_bad_compound.csv:2: field 'compound'"),
            std::string::npos);
  EXPECT_FALSE(ParseDiary("", "empty.csv").ok());
  EXPECT_FALSE(ParseDiary("date,amount\n", "x.csv").ok());
  EXPECT_FALSE(ParseDiary("{\"entries\": [{\"food\": \"kale\"}]}", "x.json").ok());
  EXPECT_FALSE(ParseDiary("[{", "x.json").ok());
  auto bad_type = ParseDiary("date,food,amount,unit,type\n2025-01-01,kale,1,cup,potion\n", "t.csv");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.error().message.find("t.csv:2: field 'type': \"potion\""), std::string::npos);
}

// Issue 13: a diary's amounts mean what labels mean, as in the plan (one count). "400 mg" of
// magnesium oxide is 400 mg of magnesium, not 241 mg; the salt's mass must be marked; units of
// a catalogued product count by its label; a food row naming a magnesium product is one.
TEST_F(IntakeTest, SupplementAmountsMeanWhatLabelsMean) {
  auto analyze = [&](const std::string& rows) -> Result<IntakeAnalysis> {
    auto diary = ParseDiary("date,food,amount,unit,type,compound\n" + rows, "d.csv");
    if (!diary.ok()) return diary.error();
    return AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_);
  };
  auto mg = [&](const std::string& rows) {
    auto analysis = analyze(rows);
    EXPECT_TRUE(analysis.ok()) << rows << (analysis.ok() ? "" : analysis.error().message);
    return analysis.ok() ? analysis->days[0].supplement_mg : -1;
  };
  EXPECT_NEAR(mg("2025-01-01,Mag 400,400,mg,supplement,magnesium oxide\n"), 400, 1e-9);
  EXPECT_NEAR(mg("2025-01-01,Mag 400,400,mg elemental,supplement,magnesium oxide\n"), 400, 1e-9);
  EXPECT_NEAR(mg("2025-01-01,Mag 400,400,mg compound,supplement,magnesium oxide\n"),
              400 * Fraction("magnesium oxide"), 1e-6);
  // Units of a product the catalogue knows; the text names it, the type may be left out.
  EXPECT_NEAR(mg("2025-01-01,milk of magnesia,30,mL,,\n"), 1000, 0.5);
  EXPECT_NEAR(mg("2025-01-01,Mag-Ox 400,2,tablets,supplement,\n"), 2 * 241.3, 0.01);
  // A catalogued product without magnesium counts zero, and says so.
  auto tums = analyze("2025-01-01,calcium carbonate,1000,mg,antacid,\n");
  ASSERT_TRUE(tums.ok()) << tums.error().message;
  EXPECT_EQ(tums->days[0].supplement_mg, 0);
  EXPECT_EQ(tums->days[0].entries[0].match, "no magnesium");
  // How each amount was read is kept for the person to check.
  auto read = analyze("2025-01-01,Mag 400,400,mg,supplement,magnesium oxide\n");
  ASSERT_TRUE(read.ok());
  EXPECT_NE(read->days[0].entries[0].reading.find("read as elemental magnesium"),
            std::string::npos);
  // Units of something the catalogue does not know cannot be counted: the field is named.
  auto unknown = analyze("2025-01-01,Super Mag Complex,2,capsules,supplement,\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("d.csv:2: field 'food': \"Super Mag Complex\""),
            std::string::npos)
      << unknown.error().message;
  auto bad_unit = analyze("2025-01-01,Mag 400,2,spoonfuls,supplement,magnesium oxide\n");
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_NE(bad_unit.error().message.find("d.csv:2: field 'unit': \"spoonfuls\""),
            std::string::npos)
      << bad_unit.error().message;
}

// Every catalogued magnesium product named in a diary, one unit of it: counted at its label's
// magnesium per unit, never zero (the diary's side of the one count).
TEST_F(IntakeTest, EveryCataloguedMagnesiumProductCountsInADiary) {
  int counted = 0;
  for (const products::Product* product : Catalogue().MagnesiumProducts()) {
    const std::string name = products::testing::NameFor(*product, Catalogue());
    ASSERT_FALSE(name.empty()) << product->id;
    // One unit in words the count reads: the label's volume, a spoon, or one of a count.
    std::string amount = "1,tablet";
    if (product->unit.find("teaspoon") != std::string::npos) {
      amount = "1,teaspoon";
    } else if (product->unit_ml) {
      amount = fmt::format("{},mL", *product->unit_ml);
    }
    // CSV-quoted: names hold commas and apostrophes.
    auto diary = ParseDiary(
        "date,food,amount,unit,type\n2025-01-01,\"" + name + "\"," + amount + ",supplement\n",
        "d.csv");
    ASSERT_TRUE(diary.ok()) << name << ": " << diary.error().message;
    auto analysis = AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_);
    ASSERT_TRUE(analysis.ok()) << name << ": " << analysis.error().message;
    const ResolvedEntry& entry = analysis->days[0].entries[0];
    EXPECT_EQ(entry.match, "units") << name;
    // A name for a family counts its strongest member, never less than this product.
    EXPECT_GE(analysis->days[0].supplement_mg, *product->magnesium_mg_per_unit - 1e-9) << name;
    EXPECT_GT(analysis->days[0].supplement_mg, 0) << name;
    ++counted;
  }
  EXPECT_GE(counted, 14);  // Antacids, laxatives and supplements from the US, UK and EU.
}

// Issue 11, finding 12: a negative amount was blamed on the unit and 1e300 g was accepted.
TEST_F(IntakeTest, AmountsAreCheckedOnTheAmountWithTheBoundStated) {
  auto analyze = [&](const std::string& text, const std::string& name) -> std::string {
    auto diary = ParseDiary(text, name);
    if (!diary.ok()) return diary.error().message;
    auto analysis = AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_);
    return analysis.ok() ? "ok" : analysis.error().message;
  };
  EXPECT_EQ(analyze("date,food,amount,unit\n2025-01-01,almonds,-30,g\n", "d.csv"),
            "d.csv:2: field 'amount': \"-30\" is not a positive amount");
  EXPECT_EQ(analyze(R"([{"date": "2025-01-01", "food": "almonds", "amount": -1, "unit": "oz"}])",
                    "d.json"),
            "d.json: entries[0]: field 'amount': \"-1\" is not a positive amount");
  EXPECT_EQ(analyze("date,food,amount,type,compound\n2025-01-01,pill,-200 mg,supplement,"
                    "magnesium citrate\n",
                    "s.csv"),
            "s.csv:2: field 'amount': \"-200 mg\" is not a positive amount");
  EXPECT_EQ(analyze("date,food,amount,unit\n2025-01-01,almonds,1e300,g\n", "d.csv"),
            "d.csv:2: field 'amount': \"1e+300 g\" is more than 5000 g (5 kg) of one food, the "
            "most one entry can hold; split it or check the unit");
  // Just inside the bound is fine, and so is a large but real laxative dose.
  EXPECT_EQ(analyze("date,food,amount,unit\n2025-01-01,almonds,5,kg\n", "d.csv"), "ok");
  EXPECT_EQ(analyze("date,food,amount,unit,type,compound\n2025-01-01,milk of magnesia,4800,mg,"
                    "laxative,magnesium hydroxide\n",
                    "d.csv"),
            "ok");
  EXPECT_EQ(analyze("date,food,amount,unit,type,compound\n2025-01-01,pill,6,g elemental,"
                    "supplement,magnesium glycinate\n",
                    "d.csv"),
            "d.csv:2: field 'amount': \"6 g elemental\" is more than 5000 mg of magnesium, the "
            "most one entry can hold; check the amount and the unit");
  EXPECT_EQ(
      analyze("Day,Food Name,Amount,Magnesium (mg)\n2025-01-01,Almonds,30 g,1e300\n", "c.csv"),
      "c.csv:2: field 'Magnesium (mg)': \"1e300\" is more than 5000 mg of magnesium, the "
      "most one entry can hold");
  // Wrong JSON types name the path instead of reading as "missing".
  EXPECT_EQ(analyze(R"({"entries": [{"date": "2025-01-01", "food": 7, "amount": 1}]})", "d.json"),
            "d.json: entries[0].food: expected a string, got a number (7)");
  EXPECT_EQ(
      analyze(R"({"entries": [{"date": "2025-01-01", "food": "kale", "amount": [1]}]})", "d.json"),
      "d.json: entries[0].amount: expected a number or a string like \"30 g\", got an "
      "array ([1])");
}

// Issue 11, finding 4: a Latin-1 diary is refused, not stored or guessed.
TEST_F(IntakeTest, DiaryThatIsNotUtf8IsRefused) {
  auto diary = ParseDiary(
      "date,food,amount,unit\n2025-01-01,cr\xE8"
      "me fra\xEE"
      "che,30,g\n",
      "d.csv");
  ASSERT_FALSE(diary.ok());
  EXPECT_EQ(diary.error().message.substr(0, 59),
            "d.csv:2:14: byte offset 35 (0xE8) is not valid UTF-8; the t");
  // JSON diaries: the line and column count from the file's start, past a BOM and blank lines.
  auto json = ParseDiary("\xEF\xBB\xBF\n\n[{\"date\": 1e999}]", "d.json");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().message.substr(0, 33), "d.json:3:15: [0].date: \"1e999\" is");
}

TEST(IntakeTargetsTest, FromReferenceValuesAndAsJson) {
  auto tables = dri::ReferenceTables::LoadEmbedded();
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  auto person = dri::MakePerson(34 * 12, dri::Sex::kFemale, dri::ReproductiveState::kNone);
  ASSERT_TRUE(person.ok());
  auto values = tables->Lookup(dri::Reference::kUs, *person);
  ASSERT_TRUE(values.ok()) << values.error().message;
  const IntakeTargets t = TargetsFor(*values);
  EXPECT_EQ(t.intake_mg, 320);
  EXPECT_EQ(t.intake_kind, "RDA");
  EXPECT_EQ(t.ear_mg, 265);
  EXPECT_EQ(t.supplemental_ul_mg, 350);
  EXPECT_NE(t.label.find("31"), std::string::npos) << t.label;
  const nlohmann::json j = TargetsToJson(t);
  EXPECT_EQ(j["intake_mg"], 320);
  EXPECT_EQ(j["label"], t.label);
  IntakeTargets unknown;
  EXPECT_TRUE(TargetsToJson(unknown)["ear_mg"].is_null());
}

// The one JSON shape of `mgadvisor intake --json` and POST /api/intake/analyze.
TEST_F(IntakeTest, AnalysisToJsonCarriesEveryDayEntryAndTarget) {
  auto text = ReadFile(std::string(MG_SOURCE_DIR) + "/src/foods/testdata/diary_basic.csv");
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto diary = ParseDiary(*text, "basic.csv");
  ASSERT_TRUE(diary.ok()) << diary.error().message;
  auto exclusions = Exclusions::Load();
  ASSERT_TRUE(exclusions.ok()) << exclusions.error().message;
  auto set = exclusions->Resolve({"vegan"});
  ASSERT_TRUE(set.ok()) << set.error().message;
  targets_.label = "test person";
  IntakeOptions options;
  options.exclusions = *set;
  auto analysis =
      AnalyzeIntake(*diary, db_, *index_, Catalogue(), *compounds_, units_, targets_, options);
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;

  const nlohmann::json j = IntakeAnalysisToJson(*analysis, "basic.csv", *diary, db_, *set);
  EXPECT_EQ(j["diary"], "basic.csv");
  EXPECT_EQ(j["format"], "csv");
  EXPECT_EQ(j["foods"], db_.origin());
  EXPECT_EQ(j["targets"], TargetsToJson(targets_));
  EXPECT_EQ(j["exclusions"], nlohmann::json::array({"vegan"}));
  ASSERT_EQ(j["days"].size(), 2u);
  const nlohmann::json& day = j["days"][0];
  EXPECT_EQ(day["date"], "2025-03-01");
  EXPECT_DOUBLE_EQ(day["food_mg"].get<double>(), analysis->days[0].food_mg);
  EXPECT_DOUBLE_EQ(day["supplement_mg"].get<double>(), analysis->days[0].supplement_mg);
  EXPECT_DOUBLE_EQ(day["total_mg"].get<double>(),
                   day["food_mg"].get<double>() + day["supplement_mg"].get<double>());
  ASSERT_EQ(day["entries"].size(), 4u);
  const nlohmann::json& almonds = day["entries"][0];
  EXPECT_EQ(almonds["where"], "basic.csv:2");
  EXPECT_EQ(almonds["type"], "food");
  EXPECT_EQ(almonds["food"]["source"], "sr28:12061");
  EXPECT_NEAR(almonds["grams"].get<double>(), 28.3495, 1e-3);
  const nlohmann::json& citrate = day["entries"][3];
  EXPECT_EQ(citrate["type"], "supplement");
  EXPECT_EQ(citrate["compound"], "citrate");
  EXPECT_FALSE(citrate.contains("food"));
  EXPECT_FALSE(day["top_foods"].empty());
  EXPECT_EQ(day["top_foods"][0]["magnesium_mg"].get<double>(),
            analysis->days[0].top_foods[0].magnesium_mg);
  for (const char* key : {"gap_mg", "supplements_over_ul", "changes_by_portion", "changes_by_kcal",
                          "foods_without_magnesium_value"}) {
    EXPECT_TRUE(day.contains(key)) << key;
  }
  // Each suggested change names its food and respects the exclusion (no animal foods for vegan).
  for (const auto& c : j["days"][1]["changes_by_portion"]) {
    const Food* food = db_.FindBySource(c["source"].get<std::string>());
    ASSERT_NE(food, nullptr) << c.dump();
    EXPECT_FALSE(set->Excludes(*food)) << c.dump();
    EXPECT_EQ(c["portion"], food->serving.Label());
  }
}

}  // namespace
}  // namespace mg::foods
