#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/data_reader.h"
#include "core/embedded.h"
#include "core/precompiled.h"
#include "datac/built_in.h"
#include "ops/context.h"

namespace mg::precompiled {
namespace {

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
  Install(nullptr, 0);
}

TEST(BuiltInTrees, ALoadThatFailsIsReadAgainFromTheTextSoMessagesNameTheirLines) {
  // A knowledge base without the malate form: the built-in plan policy, decoded from its tree,
  // still names malate, and that problem is reported against policy.toml and its line.
  namespace fs = std::filesystem;
  const fs::path kb = fs::path(testing::TempDir()) / "kb-without-malate";
  fs::remove_all(kb);
  fs::create_directories(kb);
  for (const auto& file : embedded::AllFiles()) {
    if (!file.path.starts_with("kb/")) continue;
    std::string text(file.content);
    if (file.path == "kb/forms.toml") {
      const size_t start = text.find("[[form]]\nid = \"malate\"");
      ASSERT_NE(start, std::string::npos);
      text.erase(start, text.find("[[form]]", start + 1) - start);
    }
    std::ofstream(kb / fs::path(std::string(file.path)).filename()) << text;
  }
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
  Install(nullptr, 0);
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
  load();
  // Every TOML file a plan and the claim checker read came from its tree (the golden outputs of
  // the CLI, which installs the trees, show they give the same answers).
  EXPECT_GE(FoundCount() - before, 25u);
  Install(nullptr, 0);
}

}  // namespace
}  // namespace mg::precompiled
