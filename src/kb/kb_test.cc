// The embedded knowledge base: it lints clean, holds everything issue 3 names, and every id it
// refers to resolves.
#include "kb/kb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "chem/compounds.h"
#include "core/text.h"
#include "kb/embedded_kb_test_util.h"

namespace mg::kb {
namespace {

TEST(EmbeddedKb, LintsClean) {
  auto files = LoadDataFiles("kb", ".toml", std::nullopt);
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_THAT(LintKnowledgeBase(*files), ::testing::IsEmpty());
}

TEST(EmbeddedKb, HasEveryRequiredCondition) {
  for (const char* id :
       {"it_band_syndrome", "restless_legs_syndrome", "nocturnal_leg_cramps",
        "pregnancy_leg_cramps", "exercise_cramps", "muscle_tension", "post_exercise_soreness",
        "insomnia", "anxiety_stress", "migraine", "nerve_pain", "osteoarthritis", "fibromyalgia",
        "chronic_pain", "constipation", "magnesium_deficiency"}) {
    const Condition* c = EmbeddedKb().FindCondition(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_FALSE(c->aliases.empty()) << id;
    EXPECT_FALSE(EmbeddedKb().FindingsFor(id).empty()) << id << " has no finding";
    EXPECT_FALSE(EmbeddedKb().MeasuresFor(id).empty()) << id << " has no complementary measure";
  }
}

TEST(EmbeddedKb, FindsConditionsByCommonName) {
  const KnowledgeBase& kb = EmbeddedKb();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"RLS", "restless_legs_syndrome"},
      {"restless legs", "restless_legs_syndrome"},
      {"Restless-Legs", "restless_legs_syndrome"},
      {"ITBS", "it_band_syndrome"},
      {"leg cramps", "nocturnal_leg_cramps"},
      {"DOMS", "post_exercise_soreness"},
      {"sciatica", "nerve_pain"},
      {"hypomagnesemia", "magnesium_deficiency"},
      {"joint pain", "osteoarthritis"}};
  for (const auto& [query, id] : cases) {
    const Condition* c = kb.FindCondition(query);
    ASSERT_NE(c, nullptr) << query;
    EXPECT_EQ(c->id, id) << query;
  }
  EXPECT_EQ(kb.FindCondition("unicorn cramps"), nullptr);
  EXPECT_THAT(kb.SuggestConditions("restles legs"), ::testing::Contains("restless legs"));
}

TEST(EmbeddedKb, EpsomSaltIsABathForm) {
  const Form* f = EmbeddedKb().FindForm("Epsom salt");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->id, "epsom_bath");
  EXPECT_EQ(f->route, Route::kBath);
}

TEST(EmbeddedKb, EveryFindingAndMeasureIsCitedAndGraded) {
  const KnowledgeBase& kb = EmbeddedKb();
  ASSERT_FALSE(kb.findings.empty());
  for (const Finding& f : kb.findings) {
    EXPECT_FALSE(f.citation_ids.empty()) << f.id;
    EXPECT_EQ(f.certainty.has_value(), f.verdict != Verdict::kNotStudied) << f.id;
    if (f.dose_elemental_mg_low) {
      EXPECT_LE(*f.dose_elemental_mg_low, *f.dose_elemental_mg_high);
    }
  }
  for (const Measure& m : kb.measures) {
    if (m.verdict != Verdict::kNotStudied) {
      EXPECT_FALSE(m.citation_ids.empty()) << m.id;
    }
  }
}

TEST(EmbeddedKb, EveryReferencedIdResolves) {
  const KnowledgeBase& kb = EmbeddedKb();
  auto cited = [&kb](const std::vector<std::string>& ids, const std::string& who) {
    for (const auto& id : ids) EXPECT_NE(kb.FindCitation(id), nullptr) << who << " -> " << id;
  };
  for (const Condition& c : kb.conditions) {
    cited(c.citation_ids, c.id);
    for (const auto& id : c.mechanism_ids) EXPECT_NE(kb.FindMechanism(id), nullptr) << id;
    for (const auto& id : c.red_flag_ids) EXPECT_NE(kb.FindRedFlag(id), nullptr) << id;
  }
  for (const Finding& f : kb.findings) {
    cited(f.citation_ids, f.id);
    EXPECT_NE(kb.FindCondition(f.condition_id), nullptr) << f.id;
    for (const auto& id : f.form_ids) EXPECT_NE(kb.FindForm(id), nullptr) << f.id << " " << id;
  }
  for (const Form& f : kb.forms) cited(f.citation_ids, f.id);
  for (const Interaction& i : kb.interactions) cited(i.citation_ids, i.id);
  for (const Contraindication& c : kb.contraindications) {
    cited(c.citation_ids, c.id);
    if (c.trigger.diagnosis) {
      EXPECT_NE(kb.FindDiagnosis(*c.trigger.diagnosis), nullptr) << c.id;
    }
  }
  for (const RedFlag& r : kb.red_flags) {
    cited(r.citation_ids, r.id);
    for (const auto& id : r.condition_ids) EXPECT_NE(kb.FindCondition(id), nullptr) << r.id;
  }
  for (const Measure& m : kb.measures) {
    cited(m.citation_ids, m.id);
    EXPECT_NE(kb.FindCondition(m.condition_id), nullptr) << m.id;
  }
  for (const SideEffect& s : kb.side_effects) {
    cited(s.citation_ids, s.id);
    for (const auto& id : s.form_ids) EXPECT_NE(kb.FindForm(id), nullptr) << s.id;
  }
  for (const Mechanism& m : kb.mechanisms) {
    cited(m.citation_ids, m.id);
    if (!m.corrects_id.empty()) {
      EXPECT_NE(kb.FindMechanism(m.corrects_id), nullptr) << m.id;
    }
  }
  for (const Diagnosis& d : kb.diagnoses) {
    if (!d.condition_id.empty()) {
      EXPECT_NE(kb.FindCondition(d.condition_id), nullptr) << d.id;
    }
  }
}

TEST(EmbeddedKb, NightCrampsSayNo) {
  // Cochrane (Garrison 2020): magnesium is unlikely to prevent idiopathic night cramps.
  const Finding* f = EmbeddedKb().OralFinding("nocturnal_leg_cramps");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLikelyIneffective);
  EXPECT_THAT(f->citation_ids, ::testing::Contains("garrison_2020_cochrane"));
}

TEST(EmbeddedKb, NightTimeConditionsAreFlagged) {
  for (const char* id : {"restless_legs_syndrome", "nocturnal_leg_cramps", "insomnia"}) {
    EXPECT_TRUE(EmbeddedKb().FindCondition(id)->night_time_symptoms) << id;
  }
  EXPECT_FALSE(EmbeddedKb().FindCondition("it_band_syndrome")->night_time_symptoms);
}

TEST(EmbeddedKb, MedicinesMapToInteractionClassesByGenericAndBrand) {
  const KnowledgeBase& kb = EmbeddedKb();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alendronate", "bisphosphonates"},
      {"Fosamax", "bisphosphonates"},
      {"doxycycline", "tetracyclines"},
      {"Cipro", "quinolones"},
      {"moxifloxacin", "moxifloxacin"},
      {"Synthroid", "levothyroxine"},
      {"Neurontin", "gabapentin"},
      {"Tivicay", "dolutegravir"},
      {"Biktarvy", "bictegravir"},
      {"Isentress", "raltegravir"},
      {"penicillamine", "penicillamine"},
      {"Lasix", "loop_thiazide_diuretics"},
      {"hydrochlorothiazide", "loop_thiazide_diuretics"},
      {"spironolactone", "potassium_sparing_diuretics"},
      {"Nexium", "proton_pump_inhibitors"},
      {"omeprazole", "proton_pump_inhibitors"},
      {"digoxin", "digoxin"}};
  for (const auto& [name, id] : cases) {
    const Interaction* i = kb.FindMedicine(name);
    ASSERT_NE(i, nullptr) << name;
    EXPECT_EQ(i->id, id) << name;
  }
  EXPECT_EQ(kb.FindMedicine("paracetamol"), nullptr);
  EXPECT_THAT(kb.SuggestMedicines("alendronat"), ::testing::Contains("alendronate"));
}

TEST(EmbeddedKb, SpacingRulesAreMachineReadable) {
  const KnowledgeBase& kb = EmbeddedKb();
  for (const Interaction& i : kb.interactions) {
    if (i.action == InteractionAction::kSeparate) {
      ASSERT_TRUE(i.mg_hours_before_medicine.has_value()) << i.id;
      EXPECT_GT(*i.mg_hours_before_medicine, 0) << i.id;
      EXPECT_GT(*i.mg_hours_after_medicine, 0) << i.id;
    }
  }
  const Interaction* cipro = kb.FindMedicine("ciprofloxacin");
  EXPECT_EQ(cipro->mg_hours_before_medicine, 6);
  EXPECT_EQ(cipro->mg_hours_after_medicine, 2);
}

TEST(EmbeddedKb, ContraindicationTriggersThePlanNeeds) {
  const KnowledgeBase& kb = EmbeddedKb();
  const Contraindication* egfr = kb.FindContraindication("egfr_below_30");
  ASSERT_NE(egfr, nullptr);
  EXPECT_EQ(egfr->trigger.egfr_below, 30);
  EXPECT_EQ(egfr->action, ContraindicationAction::kNoSupplement);
  EXPECT_TRUE(egfr->referral.has_value());
  for (const char* diagnosis : {"myasthenia_gravis", "heart_block", "dialysis", "ckd"}) {
    bool found = false;
    for (const Contraindication& c : kb.contraindications) {
      found |= c.trigger.diagnosis == diagnosis;
    }
    EXPECT_TRUE(found) << diagnosis;
  }
  const Contraindication* infants = kb.FindContraindication("infants");
  ASSERT_NE(infants, nullptr);
  EXPECT_EQ(infants->action, ContraindicationAction::kNoSupplement);
  for (const Contraindication& c : kb.contraindications) {
    if (c.action == ContraindicationAction::kNoSupplement ||
        c.action == ContraindicationAction::kClinicianFirst) {
      EXPECT_TRUE(c.referral.has_value()) << c.id;
    }
  }
}

TEST(EmbeddedKb, DiagnosesCarryLaxativePreference) {
  const KnowledgeBase& kb = EmbeddedKb();
  ASSERT_NE(kb.FindDiagnosis("IBS-D"), nullptr);
  EXPECT_EQ(kb.FindDiagnosis("IBS-D")->laxative, LaxativePreference::kAvoid);
  EXPECT_EQ(kb.FindDiagnosis("constipation")->laxative, LaxativePreference::kWelcome);
  EXPECT_EQ(kb.FindDiagnosis("MG")->id, "myasthenia_gravis");
}

TEST(EmbeddedKb, FormsLinkCompoundsAndRoutes) {
  const KnowledgeBase& kb = EmbeddedKb();
  std::set<Route> routes;
  for (const Form& f : kb.forms) routes.insert(f.route);
  EXPECT_EQ(routes.size(), 5u);
  EXPECT_FALSE(kb.FindForm("intravenous")->self_care);
  EXPECT_THAT(kb.FindForm("citrate")->compound_ids, ::testing::Contains("citrate_1to1"));
  EXPECT_EQ(kb.FindForm("magnesium oxide")->diarrhoea_risk, Level::kHigh);
  EXPECT_TRUE(kb.FindForm("milk of magnesia")->laxative);
}

TEST(EmbeddedKb, IssueNamedMeasuresArePresentAndGraded) {
  // Stretching, hydration, sleep positions, trigger avoidance, iron status in RLS,
  // physiotherapy, warm baths and massage.
  for (const char* id :
       {"cramps_stretch", "eamc_hydration", "cramps_sleep_position", "rls_avoid_aggravators",
        "rls_iron_studies", "itbs_hip_strengthening", "nerve_pain_stay_active",
        "tension_warmth_massage", "doms_active_recovery_massage"}) {
    const Measure* m = EmbeddedKb().FindMeasure(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_EQ(m->certainty.has_value(), m->verdict != Verdict::kNotStudied) << id;
  }
}

TEST(EmbeddedKb, EveryCatalogueCompoundHasAForm) {
  auto catalog = chem::CompoundCatalog::Load();
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  std::set<std::string> linked;
  for (const Form& f : EmbeddedKb().forms)
    linked.insert(f.compound_ids.begin(), f.compound_ids.end());
  for (const auto& compound : catalog->compounds()) {
    EXPECT_TRUE(linked.contains(compound.id)) << compound.id << " is not linked from any form";
  }
}

TEST(EmbeddedKb, RedFlagsHaveUrgencyAndConditions) {
  const KnowledgeBase& kb = EmbeddedKb();
  const RedFlag* dvt = kb.FindRedFlag("dvt_signs");
  ASSERT_NE(dvt, nullptr);
  EXPECT_EQ(dvt->urgency, Urgency::kEmergency);
  for (const RedFlag& r : kb.red_flags) EXPECT_FALSE(r.condition_ids.empty()) << r.id;
  EXPECT_FALSE(kb.RedFlagsFor("it_band_syndrome").empty());
  EXPECT_FALSE(kb.FindCondition("restless_legs_syndrome")->red_flag_ids.empty());
}

// What names a condition, by scanning every entity: what FindingsFor, MeasuresFor, RedFlagsFor
// and OralFinding answered before they had an index.
struct Scanned {
  std::vector<const Finding*> findings;
  std::vector<const Measure*> measures;
  std::vector<const RedFlag*> red_flags;
  const Finding* oral = nullptr;
};
Scanned Scan(const KnowledgeBase& kb, std::string_view condition_id) {
  Scanned out;
  for (const Finding& f : kb.findings) {
    if (f.condition_id != condition_id) continue;
    out.findings.push_back(&f);
    if (out.oral == nullptr && f.route == Route::kOral) out.oral = &f;
  }
  for (const Measure& m : kb.measures) {
    if (m.condition_id == condition_id) out.measures.push_back(&m);
  }
  for (const RedFlag& r : kb.red_flags) {
    if (std::find(r.condition_ids.begin(), r.condition_ids.end(), condition_id) !=
        r.condition_ids.end()) {
      out.red_flags.push_back(&r);
    }
  }
  return out;
}

void ExpectIndexMatchesScan(const KnowledgeBase& kb) {
  std::vector<std::string> ids = {"", "no_such_condition", "Nocturnal_Leg_Cramps",
                                  "nocturnal leg cramps"};
  for (const Condition& c : kb.conditions) ids.push_back(c.id);
  for (const Finding& f : kb.findings) ids.push_back(f.condition_id);
  for (const RedFlag& r : kb.red_flags)
    ids.insert(ids.end(), r.condition_ids.begin(), r.condition_ids.end());
  for (const std::string& id : ids) {
    const Scanned scanned = Scan(kb, id);
    EXPECT_EQ(kb.FindingsFor(id), scanned.findings) << id;
    EXPECT_EQ(kb.MeasuresFor(id), scanned.measures) << id;
    EXPECT_EQ(kb.RedFlagsFor(id), scanned.red_flags) << id;
    EXPECT_EQ(kb.OralFinding(id), scanned.oral) << id;
  }
}

TEST(KnowledgeBaseIndex, PerConditionListsMatchAScanOfEveryEntity) {
  ExpectIndexMatchesScan(EmbeddedKb());
}

TEST(KnowledgeBaseIndex, ACopyAnswersWithItsOwnEntities) {
  const KnowledgeBase copy = EmbeddedKb();
  ExpectIndexMatchesScan(copy);  // Pointers into `copy`, not into the base it was copied from.
  const auto flags = copy.RedFlagsFor("it_band_syndrome");
  ASSERT_FALSE(flags.empty());
  EXPECT_GE(flags.front(), copy.red_flags.data());
  EXPECT_LT(flags.front(), copy.red_flags.data() + copy.red_flags.size());
}

TEST(KnowledgeBaseIndex, AnEditedBaseAnswersAfterReindex) {
  KnowledgeBase kb = EmbeddedKb();
  // A flag naming one condition twice is listed once; a moved finding follows its condition.
  kb.red_flags.front().condition_ids = {"migraine", "insomnia", "migraine"};
  kb.findings.front().condition_id = "insomnia";
  std::swap(kb.measures.front(), kb.measures.back());
  kb.Reindex();
  ExpectIndexMatchesScan(kb);
}

TEST(KnowledgeBaseIndex, AnIdAsSpeltFindsWhatItsNormalisedFormFinds) {
  const KnowledgeBase& kb = EmbeddedKb();
  for (const Condition& c : kb.conditions) {
    EXPECT_EQ(kb.FindCondition(c.id), &c);
    EXPECT_EQ(kb.FindCondition(NormalizeName(c.id)), &c);
    std::string shouted = c.id;
    for (char& ch : shouted) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(kb.FindCondition(shouted), &c) << shouted;
    EXPECT_EQ(kb.FindCondition(" " + c.name + "-"), &c) << c.name;
  }
  for (const Citation& c : kb.citations) EXPECT_EQ(kb.FindCitation(c.id), &c);
  for (const Contraindication& c : kb.contraindications) {
    EXPECT_EQ(kb.FindContraindication(c.id), &c);
  }
  for (const Interaction& i : kb.interactions) {
    EXPECT_EQ(kb.FindInteraction(i.id), &i);
    for (const Medicine& m : i.medicines) {
      // A medicine in two classes answers with its first, spelt or not.
      EXPECT_EQ(kb.FindMedicine(m.generic), kb.FindMedicine(NormalizeName(m.generic)));
    }
  }
  for (const RedFlag& r : kb.red_flags) EXPECT_EQ(kb.FindRedFlag(r.id), &r);
  for (const Measure& m : kb.measures) EXPECT_EQ(kb.FindMeasure(m.id), &m);
  for (const Finding& f : kb.findings) EXPECT_EQ(kb.FindFinding(f.id), &f);
  EXPECT_EQ(kb.FindCondition(std::string(300, 'x')), nullptr);  // Longer than the stack buffer.
  EXPECT_EQ(kb.FindCondition(std::string(200, '-') + "restless legs"),
            kb.FindCondition("restless_legs_syndrome"));
}

// The definition of a named lookup: the first entity in file order whose id, name or an alias
// normalises to what the query normalises to.
template <typename T>
const T* ScanNamed(const std::vector<T>& items, std::string_view query) {
  const std::string key = NormalizeName(query);
  if (key.empty()) return nullptr;
  for (const T& item : items) {
    if (NormalizeName(item.id) == key || NormalizeName(item.name) == key) return &item;
    if constexpr (requires { item.aliases; }) {
      for (const auto& alias : item.aliases) {
        if (NormalizeName(alias) == key) return &item;
      }
    }
  }
  return nullptr;
}

template <typename T, typename Find>
void ExpectLookupsMatchScan(const std::vector<T>& items, Find find) {
  std::vector<std::string> queries = {"", " ", "nothing of the kind", std::string(300, 'x')};
  for (const T& item : items) {
    std::vector<std::string> names = {item.id, item.name};
    if constexpr (requires { item.aliases; }) {
      names.insert(names.end(), item.aliases.begin(), item.aliases.end());
    }
    for (const std::string& name : names) {
      std::string shouted = name;
      for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      queries.insert(queries.end(), {name, NormalizeName(name), shouted, "  " + name + "-",
                                     name.substr(0, name.size() / 2)});
    }
  }
  for (const std::string& query : queries) {
    EXPECT_EQ(find(query), ScanNamed(items, query)) << query;
  }
}

TEST(KnowledgeBaseIndex, EveryNamedLookupMatchesAScanOfEveryName) {
  const KnowledgeBase& kb = EmbeddedKb();
  ExpectLookupsMatchScan(kb.conditions, [&](std::string_view q) { return kb.FindCondition(q); });
  ExpectLookupsMatchScan(kb.forms, [&](std::string_view q) { return kb.FindForm(q); });
  ExpectLookupsMatchScan(kb.diagnoses, [&](std::string_view q) { return kb.FindDiagnosis(q); });
  ExpectLookupsMatchScan(kb.red_flags, [&](std::string_view q) { return kb.FindRedFlag(q); });
  ExpectLookupsMatchScan(kb.mechanisms, [&](std::string_view q) { return kb.FindMechanism(q); });
  ExpectLookupsMatchScan(kb.side_effects, [&](std::string_view q) { return kb.FindSideEffect(q); });
}

TEST(KnowledgeBaseIndex, AnEditedBaseKeepsItsIndexesThroughTheBinaryForm) {
  KnowledgeBase kb = EmbeddedKb();
  // Two conditions claiming one name: the first keeps it, before and after the round trip.
  kb.conditions.back().aliases.push_back(kb.conditions.front().name);
  kb.Reindex();
  const auto decoded = DecodeKnowledgeBase(EncodeKnowledgeBase(kb));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(*decoded == kb);
  EXPECT_EQ(decoded->FindCondition(kb.conditions.front().name), &decoded->conditions.front());
  ExpectIndexMatchesScan(*decoded);
  ExpectLookupsMatchScan(decoded->conditions,
                         [&](std::string_view q) { return decoded->FindCondition(q); });
  // An index that points past its list is refused, not searched.
  KnowledgeBase shorter = kb;
  shorter.conditions.pop_back();
  EXPECT_FALSE(DecodeKnowledgeBase(EncodeKnowledgeBase(shorter)).has_value());
}

// The spelling tables are the only place a value is written: every enumerator has exactly one
// spelling, no two share one, and ToString and the parser agree.
template <typename E, size_t N>
void ExpectOneSpellingEach(const EnumName<E> (&names)[N], int enumerators) {
  EXPECT_EQ(static_cast<int>(N), enumerators);
  std::set<std::string_view> spellings;
  std::set<int> values;
  for (const auto& n : names) {
    EXPECT_TRUE(spellings.insert(n.name).second) << n.name;
    EXPECT_TRUE(values.insert(static_cast<int>(n.value)).second) << n.name;
    EXPECT_EQ(ToString(n.value), n.name);
    EXPECT_EQ(ParseEnum(names, n.name), n.value);
  }
  for (int v = 0; v < enumerators; ++v) EXPECT_TRUE(values.contains(v)) << v;
}

TEST(EnumNames, EveryValueHasExactlyOneSpelling) {
  ExpectOneSpellingEach(kVerdictNames, 5);
  ExpectOneSpellingEach(kCertaintyNames, 4);
  ExpectOneSpellingEach(kUrgencyNames, 3);
  ExpectOneSpellingEach(kRouteNames, 5);
  ExpectOneSpellingEach(kLevelNames, 3);
  ExpectOneSpellingEach(kContraindicationActionNames, 4);
  ExpectOneSpellingEach(kInteractionActionNames, 3);
  ExpectOneSpellingEach(kLaxativePreferenceNames, 3);
  ExpectOneSpellingEach(kMechanismStatusNames, 3);
}

}  // namespace
}  // namespace mg::kb
