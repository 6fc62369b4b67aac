// `explain` and `kb list`: every condition explains by id and by each of its common names.
#include "kb/explain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kb/embedded_kb_test_util.h"

namespace mg::kb {
namespace {

using ::testing::HasSubstr;

TEST(Explain, EveryConditionByIdAndEveryAlias) {
  const KnowledgeBase& kb = EmbeddedKb();
  ASSERT_EQ(kb.conditions.size(), 25u);  // A new condition also needs its golden page.
  for (const Condition& c : kb.conditions) {
    std::vector<std::string> queries = {c.id, c.name};
    queries.insert(queries.end(), c.aliases.begin(), c.aliases.end());
    for (const auto& query : queries) {
      auto ref = ResolveEntity(kb, query);
      ASSERT_TRUE(ref.ok()) << query;
      EXPECT_EQ(ref->kind, EntityKind::kCondition) << query;
      EXPECT_EQ(ref->id, c.id) << query;
    }
    auto ref = ResolveEntity(kb, c.id);
    const std::string page = RenderExplanation(kb, *ref);
    EXPECT_THAT(page, HasSubstr(c.name)) << c.id;
    EXPECT_THAT(page, HasSubstr("Evidence for magnesium")) << c.id;
    EXPECT_THAT(page, HasSubstr("Sources")) << c.id;
    const nlohmann::json json = ExplanationJson(kb, *ref);
    EXPECT_EQ(json["kind"], "condition");
    ASSERT_FALSE(json["findings"].empty()) << c.id;
    for (const auto& finding : json["findings"]) {
      EXPECT_FALSE(finding["citations"].empty()) << c.id;
      EXPECT_TRUE(finding["verdict"].is_string());
    }
    EXPECT_FALSE(json["citations"].empty()) << c.id;
  }
}

TEST(Explain, CommonNamesFromTheIssue) {
  const KnowledgeBase& kb = EmbeddedKb();
  EXPECT_EQ(ResolveEntity(kb, "RLS")->id, "restless_legs_syndrome");
  EXPECT_EQ(ResolveEntity(kb, "restless legs")->id, "restless_legs_syndrome");
  EXPECT_EQ(ResolveEntity(kb, "ITBS")->id, "it_band_syndrome");
  auto epsom = ResolveEntity(kb, "Epsom salt");
  ASSERT_TRUE(epsom.ok());
  EXPECT_EQ(epsom->kind, EntityKind::kForm);
  EXPECT_EQ(epsom->id, "epsom_bath");
  EXPECT_THAT(RenderExplanation(kb, *epsom), HasSubstr("scientifically unsupported"));
}

TEST(Explain, NightCrampsPageSaysItDoesNotWork) {
  const KnowledgeBase& kb = EmbeddedKb();
  const std::string page = RenderExplanation(kb, *ResolveEntity(kb, "night cramps"));
  EXPECT_THAT(page, HasSubstr("likely ineffective (certainty: moderate)"));
  EXPECT_THAT(page, HasSubstr("[garrison_2020_cochrane]"));
  EXPECT_THAT(page, HasSubstr("Garrison SR"));
  EXPECT_THAT(page, HasSubstr("[EMERGENCY] Possible deep vein thrombosis"));
}

TEST(Explain, MedicineExplainsItsInteraction) {
  const KnowledgeBase& kb = EmbeddedKb();
  auto ref = ResolveEntity(kb, "Fosamax");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->kind, EntityKind::kInteraction);
  EXPECT_EQ(ref->id, "bisphosphonates");
  EXPECT_THAT(RenderExplanation(kb, *ref), HasSubstr("4 h before or 4 h after"));
  EXPECT_EQ(ExplanationJson(kb, *ref)["interaction"]["mg_hours_before_medicine"], 4);
}

TEST(Explain, OtherKinds) {
  const KnowledgeBase& kb = EmbeddedKb();
  EXPECT_EQ(ResolveEntity(kb, "myasthenia gravis")->kind, EntityKind::kDiagnosis);
  EXPECT_EQ(ResolveEntity(kb, "wrong_nmda_production")->kind, EntityKind::kMechanism);
  EXPECT_EQ(ResolveEntity(kb, "dvt_signs")->kind, EntityKind::kRedFlag);
  EXPECT_EQ(ResolveEntity(kb, "rls_iron_studies")->kind, EntityKind::kMeasure);
  EXPECT_EQ(ResolveEntity(kb, "migraine_oral")->kind, EntityKind::kFinding);
  EXPECT_EQ(ResolveEntity(kb, "hypermagnesaemia")->kind, EntityKind::kSideEffect);
  EXPECT_EQ(ResolveEntity(kb, "egfr_below_30")->kind, EntityKind::kContraindication);
  EXPECT_EQ(ResolveEntity(kb, "mah_pitre_2021")->kind, EntityKind::kCitation);
  // Every kind renders without tripping over a missing piece.
  for (const char* q :
       {"myasthenia gravis", "wrong_nmda_production", "dvt_signs", "rls_iron_studies",
        "migraine_oral", "hypermagnesaemia", "egfr_below_30", "mah_pitre_2021"}) {
    auto ref = ResolveEntity(kb, q);
    EXPECT_FALSE(RenderExplanation(kb, *ref).empty()) << q;
    EXPECT_EQ(ExplanationJson(kb, *ref)["id"], ref->id) << q;
  }
}

TEST(Explain, UnknownNameSuggestsCloseMatches) {
  auto ref = ResolveEntity(EmbeddedKb(), "restles legs");
  ASSERT_FALSE(ref.ok());
  EXPECT_EQ(ref.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(ref.error().message, HasSubstr("did you mean"));
  EXPECT_THAT(ref.error().message, HasSubstr("'restless legs'"));
}

// Golden pages: one file per condition under src/kb/testdata/explain/, so a change to the data
// or the renderer shows up as a readable diff. Regenerate with MG_UPDATE_GOLDEN=1.
TEST(Explain, GoldenPages) {
  namespace fs = std::filesystem;
  const KnowledgeBase& kb = EmbeddedKb();
  const fs::path dir = fs::path(MG_SOURCE_DIR) / "src/kb/testdata/explain";
  const bool update = std::getenv("MG_UPDATE_GOLDEN") != nullptr;
  for (const Condition& c : kb.conditions) {
    const std::string page = RenderExplanation(kb, *ResolveEntity(kb, c.id));
    const fs::path path = dir / (c.id + ".txt");
    if (update) {
      fs::create_directories(dir);
      std::ofstream(path, std::ios::binary) << page;
      continue;
    }
    auto golden = ReadFile(path.string());
    ASSERT_TRUE(golden.ok()) << path << ": run with MG_UPDATE_GOLDEN=1 to create it";
    EXPECT_EQ(page, *golden) << c.id << " differs from " << path
                             << " (if intended, regenerate with MG_UPDATE_GOLDEN=1)";
  }
}

TEST(List, EveryKindRendersAndCountsMatch) {
  const KnowledgeBase& kb = EmbeddedKb();
  for (const auto& kind : ListKinds()) {
    auto text = RenderList(kb, kind);
    ASSERT_TRUE(text.ok()) << kind;
    EXPECT_FALSE(text->empty()) << kind;
    auto json = ListJson(kb, kind);
    ASSERT_TRUE(json.ok()) << kind;
    EXPECT_FALSE(json->empty()) << kind;
  }
  EXPECT_EQ(ListJson(kb, "conditions")->size(), kb.conditions.size());
  EXPECT_EQ(ListJson(kb, "red-flags")->size(), kb.red_flags.size());
  auto bad = RenderList(kb, "unicorns");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mg::kb
