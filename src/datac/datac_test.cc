#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "check/check.h"
#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/embedded.h"
#include "core/precompiled.h"
#include "datac/built_in.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/search.h"
#include "kb/kb.h"
#include "ops/context.h"
#include "plan/plan.h"
#include "products/catalogue.h"

namespace mg::precompiled {
namespace {

// Back to a process without trees or snapshots (as the tests start).
void UninstallBuiltIn() {
  Install(nullptr, 0);
  InstallSnapshots(nullptr, 0);
}

// A copy of the embedded knowledge base in a temporary folder, without the [[table]] whose id is
// `id` in `file`; an empty path when that entry is not found.
std::filesystem::path KbWithout(std::string_view file_path, std::string_view table,
                                std::string_view id) {
  namespace fs = std::filesystem;
  const fs::path kb = fs::path(testing::TempDir()) / ("kb-without-" + std::string(id));
  fs::remove_all(kb);
  fs::create_directories(kb);
  bool found = false;
  for (const auto& file : embedded::AllFiles()) {
    if (!file.path.starts_with("kb/")) continue;
    std::string text(file.content);
    if (file.path == file_path) {
      const std::string header = "[[" + std::string(table) + "]]";
      const size_t start = text.find(header + "\nid = \"" + std::string(id) + "\"");
      if (start == std::string::npos) return {};
      text.erase(start, text.find(header, start + 1) - start);
      found = true;
    }
    std::ofstream(kb / fs::path(std::string(file.path)).filename()) << text;
  }
  return found ? kb : fs::path();
}

TEST(BuiltInTrees, EveryEmbeddedTomlFileHasItsTreeAndItEqualsTheParse) {
  std::set<std::string> with_tree;
  for (const BuiltInTree& tree : BuiltInTrees()) with_tree.insert(std::string(tree.name));
  size_t checked = 0;
  for (const auto& file : embedded::AllFiles()) {
    if (!file.path.ends_with(".toml")) continue;
    const std::string name = "data/" + std::string(file.path);
    ASSERT_TRUE(with_tree.contains(name)) << name;
    const BuiltInTree* tree = nullptr;
    for (const BuiltInTree& t : BuiltInTrees()) {
      if (t.name == name) tree = &t;
    }
    EXPECT_EQ(tree->text_size, file.content.size()) << name;
    const auto decoded = Decode(tree->tree);
    ASSERT_TRUE(decoded.has_value()) << name;
    EXPECT_EQ(*decoded, toml::parse(file.content, name)) << name;
    ++checked;
  }
  EXPECT_EQ(checked, BuiltInTrees().size());
  EXPECT_GT(checked, 30u);
}

TEST(BuiltInTrees, InstalledTheyAnswerForEveryEmbeddedTomlFile) {
  InstallBuiltIn();
  ASSERT_TRUE(Installed());
  for (const auto& file : embedded::AllFiles()) {
    if (!file.path.ends_with(".toml")) continue;
    const DataFile data{"data/" + std::string(file.path), std::string(file.content)};
    const size_t before = FoundCount();
    DataProblems problems;
    const auto parsed = ParseTomlFile(data, problems);
    ASSERT_TRUE(parsed.has_value()) << data.name;
    EXPECT_EQ(FoundCount(), before + 1) << data.name << " was parsed, not decoded";
    EXPECT_EQ(*parsed, toml::parse(file.content, data.name));
  }
  UninstallBuiltIn();
}

TEST(BuiltInTrees, ALoadThatFailsIsReadAgainFromTheTextSoMessagesNameTheirLines) {
  // A knowledge base without the malate form: the built-in plan policy, decoded from its tree,
  // still names malate, and that problem is reported against policy.toml and its line.
  namespace fs = std::filesystem;
  const fs::path kb = KbWithout("kb/forms.toml", "form", "malate");
  ASSERT_FALSE(kb.empty());
  auto plan_error = [&] {
    ops::Context context({.kb_dir = kb.string()});
    auto plan = context.plan();
    EXPECT_FALSE(plan.ok());
    return plan.ok() ? std::string() : plan.error().message;
  };
  const std::string from_text = plan_error();
  ASSERT_NE(from_text.find("data/plan/policy.toml:"), std::string::npos) << from_text;
  EXPECT_EQ(from_text.find(".toml:0:"), std::string::npos) << from_text;

  InstallBuiltIn();
  const size_t before = FoundCount();
  EXPECT_EQ(plan_error(), from_text);
  EXPECT_GT(FoundCount(), before);  // The first attempt did decode the built-in files.
  UninstallBuiltIn();
  fs::remove_all(kb);
}

TEST(BuiltInTrees, APlanAndTheClaimCheckerLoadFromTrees) {
  auto load = [] {
    ops::Context context({});
    auto plan = context.plan();
    EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : plan.error().message);
    auto checker = context.checker();
    EXPECT_TRUE(checker.ok());
  };
  InstallBuiltIn();
  const size_t before = FoundCount();
  const size_t missed_before = MissedCount();
  load();
  // Every TOML file a plan reads came from its tree, and the knowledge base, catalogue, reference
  // tables, plan messages, food table and the claim checker from their snapshots (6 of the count;
  // the golden outputs of the CLI, which installs both, show they give the same answers).
  EXPECT_EQ(MissedCount(), missed_before);  // Not one file parsed from its text.
  // 9: the plan's files and snapshots (its policy, child portions, food-frequency items and
  // ranked foods one snapshot "plan" in place of three trees), and the checker's one snapshot in
  // place of its nine data/check trees.
  EXPECT_GE(FoundCount() - before, 9u);
  UninstallBuiltIn();
}

TEST(BuiltInSnapshots, EachDecodesToWhatItsLoaderBuildsFromTheText) {
  // Loaded from the text first (nothing installed), then from the snapshots.
  auto kb_text = kb::LoadKnowledgeBase(std::nullopt);
  ASSERT_TRUE(kb_text.ok()) << kb_text.error().message;
  auto compounds = chem::CompoundCatalog::Load(std::nullopt);
  ASSERT_TRUE(compounds.ok());
  auto catalogue_text = products::Catalogue::Load(std::nullopt, *kb_text, *compounds);
  ASSERT_TRUE(catalogue_text.ok()) << catalogue_text.error().message;
  auto foods_text = foods::LoadEmbeddedFoods();
  ASSERT_TRUE(foods_text.ok());
  EXPECT_FALSE(products::Catalogue::BuiltIn().has_value());  // Not installed yet.

  InstallBuiltIn();
  const size_t before = FoundCount();
  auto kb_snapshot = kb::LoadKnowledgeBase(std::nullopt);
  ASSERT_TRUE(kb_snapshot.ok());
  EXPECT_EQ(FoundCount(), before + 1);  // Decoded, not read from the files.
  EXPECT_TRUE(*kb_snapshot == *kb_text);
  EXPECT_NE(kb_snapshot->FindCondition("restless legs"), nullptr);  // The indexes are rebuilt.
  EXPECT_NE(kb_snapshot->FindMedicine("Fosamax"), nullptr);

  const auto catalogue_snapshot = products::Catalogue::BuiltIn();
  ASSERT_TRUE(catalogue_snapshot.has_value());
  EXPECT_TRUE(*catalogue_snapshot == *catalogue_text);
  EXPECT_TRUE(catalogue_snapshot->Resolve("milk of magnesia").known());

  auto references_text = [] {
    TextOnly text_only;
    return dri::ReferenceTables::LoadEmbedded();
  }();
  ASSERT_TRUE(references_text.ok());
  auto references_snapshot = dri::ReferenceTables::LoadEmbedded();
  ASSERT_TRUE(references_snapshot.ok());
  EXPECT_EQ(FoundCount(), before + 3);
  EXPECT_TRUE(*references_snapshot == *references_text);
  ASSERT_FALSE(references_snapshot->set(dri::Reference::kEu).rows.empty());
  EXPECT_GT(references_snapshot->set(dri::Reference::kUs).rows.front().line, 0);  // Lines kept.

  auto messages_text = [] {
    TextOnly text_only;
    return plan::LoadEmbeddedMessages();
  }();
  ASSERT_TRUE(messages_text.ok());
  auto messages_snapshot = plan::LoadEmbeddedMessages();
  ASSERT_TRUE(messages_snapshot.ok());
  EXPECT_EQ(FoundCount(), before + 4);
  EXPECT_TRUE(*messages_snapshot == *messages_text);
  EXPECT_TRUE(messages_snapshot->text.contains("noted.no_effect"));

  auto foods_snapshot = foods::LoadEmbeddedFoods();
  ASSERT_TRUE(foods_snapshot.ok());
  EXPECT_EQ(FoundCount(), before + 5);
  EXPECT_EQ(foods_snapshot->foods(), foods_text->foods());
  EXPECT_EQ(foods_snapshot->origin(), foods_text->origin());
  ASSERT_FALSE(foods_snapshot->foods().empty());
  EXPECT_NE(foods_snapshot->FindBySource(foods_snapshot->foods().front().source), nullptr);
  EXPECT_TRUE(foods_snapshot->is_embedded_table());

  auto search_snapshot = foods::FoodSearch::Build(*foods_snapshot);
  ASSERT_TRUE(search_snapshot.ok());
  EXPECT_EQ(FoundCount(), before + 6);
  {
    TextOnly text_only;
    auto search_text = foods::FoodSearch::Build(*foods_snapshot);
    ASSERT_TRUE(search_text.ok());
    EXPECT_TRUE(search_snapshot->SameIndex(*search_text));
    for (const char* query : {"pumpkin seeds", "cashues", "almond milk", "spinach"}) {
      const auto a = search_snapshot->Search(query, 5);
      const auto b = search_text->Search(query, 5);
      ASSERT_EQ(a.size(), b.size()) << query;
      for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].food, b[i].food) << query;
    }
  }

  {  // A TextOnly scope (how a failed load is read again) bypasses the snapshots too.
    TextOnly text_only;
    EXPECT_FALSE(products::Catalogue::BuiltIn().has_value());
    auto kb_again = kb::LoadKnowledgeBase(std::nullopt);
    ASSERT_TRUE(kb_again.ok());
    EXPECT_EQ(FoundCount(), before + 6);
  }
  {  // A store of as many foods is not the embedded table: its own index is built, so a food
     // renamed in it is found by its new name.
    auto file = LoadEmbeddedFile("foods/foods.csv");
    ASSERT_TRUE(file.ok());
    std::string text = file->content;
    const size_t at = text.find("sr28:12061,Almonds,");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 19, "sr28:12061,Zorblax,");
    auto store = foods::ParseFoodTable(text, "a-store.csv");
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_EQ(store->size(), foods_snapshot->size());
    EXPECT_FALSE(store->is_embedded_table());
    auto search = foods::FoodSearch::Build(*store);
    ASSERT_TRUE(search.ok());
    EXPECT_FALSE(search->Search("zorblax").empty());
    EXPECT_TRUE(search_snapshot->Search("zorblax").empty());
  }
  const size_t before_compounds = FoundCount();
  const auto compounds_snapshot = chem::CompoundCatalog::Load(std::nullopt);
  ASSERT_TRUE(compounds_snapshot.ok());
  EXPECT_EQ(FoundCount(), before_compounds + 1);  // The snapshot alone, no tree.
  EXPECT_TRUE(*compounds_snapshot == *compounds);
  ASSERT_TRUE(compounds_snapshot->Resolve("citrate").ok());
  EXPECT_GT((*compounds_snapshot->Resolve("citrate"))->magnesium_fraction, 0.0);
  UninstallBuiltIn();
}

TEST(BuiltInSnapshots, TheCheckerDecodesToWhatItsLoaderBuildsAndAnswersTheSame) {
  auto kb = kb::LoadKnowledgeBase(std::nullopt);
  ASSERT_TRUE(kb.ok());
  auto compounds = chem::CompoundCatalog::Load(std::nullopt);
  ASSERT_TRUE(compounds.ok());
  auto tables = dri::ReferenceTables::LoadEmbedded();
  ASSERT_TRUE(tables.ok());
  auto text = check::Checker::Load(*kb, *tables, *compounds, std::nullopt);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_FALSE(check::Checker::BuiltIn(*kb, *compounds).has_value());  // Not installed yet.

  InstallBuiltIn();
  const size_t before = FoundCount();
  auto snapshot = check::Checker::BuiltIn(*kb, *compounds);
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_EQ(FoundCount(), before + 1);
  EXPECT_TRUE(*snapshot == *text);
  // The same answers, claim by claim, for sentences of every claim type and a whole page.
  for (const char* sentence :
       {"Magnesium cures restless legs in everyone.", "Magnesium oil is absorbed through the skin.",
        "Magnesium glycinate is the best absorbed form.", "Take 800 mg of magnesium a day.",
        "Magnesium has no side effects.", "Magnesium is involved in over 300 enzyme reactions.",
        "A Harvard study found magnesium stops leg cramps.",
        "The American Academy of Neurology recommends magnesium for migraine.",
        "Magnesium blocks NMDA receptors in the brain.", "Magnesium may help with constipation.",
        "The weather is nice today."}) {
    const auto a = snapshot->CheckSentence(sentence);
    const auto b = text->CheckSentence(sentence);
    ASSERT_EQ(a.has_value(), b.has_value()) << sentence;
    if (a) {
      EXPECT_EQ(check::ToJson(*a), check::ToJson(*b)) << sentence;
    }
  }
  auto page = check::ReadPage(
      "<h1>Magnesium</h1><p>Our magnesium oil is absorbed through the skin. It relieves leg "
      "cramps overnight! Doctors recommend 1000 mg daily.</p>",
      "page.html");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(check::ToJson(snapshot->Check(*page)), check::ToJson(text->Check(*page)));
  EXPECT_FALSE(snapshot->Check(*page).claims.empty());

  // Against a base with one form fewer, the positions would point at the wrong entries: refused.
  const std::filesystem::path other = KbWithout("kb/forms.toml", "form", "malate");
  ASSERT_FALSE(other.empty());
  {
    TextOnly text_only;
    auto smaller = kb::LoadKnowledgeBase(other.string());
    ASSERT_TRUE(smaller.ok()) << smaller.error().message;
    EXPECT_FALSE(check::Checker::Decode(text->Encode(), *smaller, *compounds).has_value());
  }
  UninstallBuiltIn();
  std::filesystem::remove_all(other);
}

TEST(BuiltInSnapshots, ABaseFromAnotherFolderChecksTheCatalogueAgainstItself) {
  // `--kb DIR` with a base whose interaction classes differ: the built-in catalogue, checked at
  // build time against the built-in base only, must not be taken from its snapshot.
  namespace fs = std::filesystem;
  const fs::path kb = KbWithout("kb/interactions.toml", "interaction", "bisphosphonates");
  ASSERT_FALSE(kb.empty());
  InstallBuiltIn();
  ops::Context context({.kb_dir = kb.string()});
  auto catalogue = context.catalogue();
  ASSERT_FALSE(catalogue.ok());
  EXPECT_NE(catalogue.error().message.find("bisphosphonates"), std::string::npos)
      << catalogue.error().message;
  UninstallBuiltIn();
  fs::remove_all(kb);
}

TEST(BuiltInSnapshots, ThePlanDataIsWhatTheTextGivesAndADamagedOneIsRefused) {
  auto from_text = [] {
    TextOnly text_only;
    return plan::PlanContext::Load(std::nullopt);
  }();
  ASSERT_TRUE(from_text.ok()) << from_text.error().message;
  ASSERT_FALSE((*from_text)->foods_by_magnesium.empty());
  InstallBuiltIn();
  const size_t before = FoundCount();
  auto from_snapshot = plan::PlanContext::Load(std::nullopt);
  ASSERT_TRUE(from_snapshot.ok()) << from_snapshot.error().message;
  EXPECT_GT(FoundCount(), before);
  EXPECT_TRUE((*from_snapshot)->SamePlanData(**from_text));
  // The ranked foods point into the snapshot's own context, not the other one's.
  const auto& foods = (*from_snapshot)->foods.foods();
  for (const auto& ranked : (*from_snapshot)->foods_by_magnesium) {
    ASSERT_GE(ranked.food, foods.data());
    ASSERT_LT(ranked.food, foods.data() + foods.size());
  }

  // Read back into a context with a smaller food table: positions past it are refused, and a
  // cut form too; either leaves the context as it was.
  const std::string bytes = (*from_snapshot)->EncodePlanData();
  plan::PlanContext& context = **from_text;
  const plan::Policy policy = context.policy;
  EXPECT_FALSE(context.DecodePlanData(bytes.substr(0, bytes.size() / 2)));
  EXPECT_FALSE(context.DecodePlanData(bytes + "x"));
  std::vector<foods::Food> fewer(context.foods.foods().begin(), context.foods.foods().begin() + 3);
  context.foods = foods::FoodDb(std::move(fewer));
  context.foods_by_magnesium.clear();
  EXPECT_FALSE(context.DecodePlanData(bytes));
  EXPECT_TRUE(context.foods_by_magnesium.empty());
  EXPECT_TRUE(context.policy == policy);
  UninstallBuiltIn();
}

}  // namespace
}  // namespace mg::precompiled
