// mgadvisor-datac OUTPUT.cc: the data compiler the build runs (core/precompiled.h).
//
// 1. Checks the embedded data with the strict loaders, exactly as `mgadvisor data lint` does
//    (ops::LintData), so a data file with a problem fails the build with file:line messages.
// 2. Parses every embedded TOML file, encodes its tree, decodes it again and checks the result
//    equals the parse.
// 3. Loads the structures a snapshot is kept of (the knowledge base, the compound catalogue,
//    the medicines catalogue, the reference tables, the claim checker's data, the plan's
//    messages, the food table and its search index), encodes them, decodes them
//    again and checks the result equals the load (core/archive.h: a member missing from a
//    struct's list fails here), then writes OUTPUT.cc defining precompiled::BuiltInTrees() and
//    precompiled::BuiltInSnapshots().
// OUTPUT.cc is written to a temporary file and renamed, so a failed run leaves the old one whole.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "check/check.h"
#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/embedded.h"
#include "core/precompiled.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/search.h"
#include "kb/kb.h"
#include "ops/data_lint.h"
#include "plan/plan.h"
#include "products/catalogue.h"

namespace {

// `bytes` as C++ string-literal pieces of about 100 characters: printable ASCII as itself, the
// rest as three-digit octal escapes (which, unlike \x, never swallow the next character).
std::string Literal(std::string_view bytes) {
  std::string out = "\n    \"";
  size_t line = 0;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
      line += 2;
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
      ++line;
    } else {
      out += fmt::format("\\{:03o}", byte);
      line += 4;
    }
    if (line >= 100) {
      out += "\"\n    \"";
      line = 0;
    }
  }
  out += '"';
  return out;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "mgadvisor-datac: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Fail("usage: mgadvisor-datac OUTPUT.cc");
  const std::filesystem::path output = argv[1];

  auto lint = mg::ops::LintData(std::nullopt);
  if (!lint.ok()) return Fail(lint.error().message);
  if (!lint->ok()) {
    for (const auto& problem : lint->problems) std::fprintf(stderr, "%s\n", problem.c_str());
    return Fail(fmt::format("the embedded data has {} problem(s); nothing was precompiled",
                            lint->problems.size()));
  }

  std::string trees;
  std::string table;
  size_t index = 0;
  for (const auto& file : mg::embedded::AllFiles()) {
    if (!file.path.ends_with(".toml")) continue;
    const std::string name = "data/" + std::string(file.path);
    mg::DataProblems problems;
    const auto parsed = mg::ParseTomlFile({name, std::string(file.content)}, problems);
    if (!parsed) return Fail(problems.ToError().message);
    const std::string tree = mg::precompiled::Encode(*parsed);
    const auto decoded = mg::precompiled::Decode(tree);
    if (!decoded || *decoded != *parsed)
      return Fail(name + ": the decoded tree differs from the parse");
    trees += fmt::format("constexpr char kTree{}[] ={};\n", index, Literal(tree));
    table += fmt::format("      {{\"{}\", {{kTree{}, sizeof kTree{} - 1}}, {}}},\n", name, index,
                         index, file.content.size());
    ++index;
  }

  // Each snapshot is checked by decoding it again: the result must equal what was loaded.
  std::string snapshots;
  size_t snapshot_index = 0;
  const auto add_snapshot = [&](std::string_view name, const std::string& bytes, bool round_trips) {
    if (!round_trips) {
      Fail(
          fmt::format("the '{}' snapshot decodes to something else than was loaded (a member "
                      "missing from its Fields list?)",
                      name));
      return false;
    }
    trees += fmt::format("constexpr char kSnapshot{}[] ={};\n", snapshot_index, Literal(bytes));
    snapshots += fmt::format("      {{\"{}\", {{kSnapshot{}, sizeof kSnapshot{} - 1}}}},\n", name,
                             snapshot_index, snapshot_index);
    ++snapshot_index;
    return true;
  };
  auto kb = mg::kb::LoadKnowledgeBase(std::nullopt);
  if (!kb.ok()) return Fail(kb.error().message);
  const std::string kb_bytes = mg::kb::EncodeKnowledgeBase(*kb);
  if (!add_snapshot("kb", kb_bytes, mg::kb::DecodeKnowledgeBase(kb_bytes) == *kb)) return 1;

  auto compounds = mg::chem::CompoundCatalog::Load(std::nullopt);
  if (!compounds.ok()) return Fail(compounds.error().message);
  const std::string compounds_bytes = compounds->Encode();
  if (!add_snapshot("compounds", compounds_bytes,
                    mg::chem::CompoundCatalog::Decode(compounds_bytes) == *compounds))
    return 1;
  auto catalogue = mg::products::Catalogue::Load(std::nullopt, *kb, *compounds);
  if (!catalogue.ok()) return Fail(catalogue.error().message);
  const std::string catalogue_bytes = catalogue->Encode();
  if (!add_snapshot("medicines", catalogue_bytes,
                    mg::products::Catalogue::Decode(catalogue_bytes) == *catalogue))
    return 1;

  auto references = mg::dri::ReferenceTables::LoadEmbedded();
  if (!references.ok()) return Fail(references.error().message);
  const std::string references_bytes = references->Encode();
  if (!add_snapshot("dri", references_bytes,
                    mg::dri::ReferenceTables::Decode(references_bytes) == *references))
    return 1;

  auto checker = mg::check::Checker::Load(*kb, *references, *compounds, std::nullopt);
  if (!checker.ok()) return Fail(checker.error().message);
  const std::string checker_bytes = checker->Encode();
  const auto checker_decoded = mg::check::Checker::Decode(checker_bytes, *kb, *compounds);
  if (!add_snapshot("check", checker_bytes, checker_decoded && *checker_decoded == *checker))
    return 1;

  auto messages = mg::plan::LoadEmbeddedMessages();
  if (!messages.ok()) return Fail(messages.error().message);
  const std::string messages_bytes = messages->Encode();
  if (!add_snapshot("plan-messages", messages_bytes,
                    mg::plan::Messages::Decode(messages_bytes) == *messages))
    return 1;

  // The plan's own data, made as a plan command makes it without a snapshot, and read back into
  // a copy of that context whose plan data was emptied first.
  auto exclusions = mg::foods::Exclusions::Load();
  if (!exclusions.ok()) return Fail(exclusions.error().message);
  auto plan_context = mg::plan::PlanContext::Assemble(*kb, *compounds, *references,
                                                      std::move(*exclusions), *catalogue);
  if (!plan_context.ok()) return Fail(plan_context.error().message);
  const std::string plan_bytes = (*plan_context)->EncodePlanData();
  mg::plan::PlanContext plan_decoded = **plan_context;
  plan_decoded.policy = {};
  plan_decoded.child_portions = {};
  plan_decoded.food_frequency.clear();
  plan_decoded.foods_by_magnesium.clear();
  if (!add_snapshot(
          "plan", plan_bytes,
          plan_decoded.DecodePlanData(plan_bytes) && plan_decoded.SamePlanData(**plan_context)))
    return 1;

  auto foods = mg::foods::LoadEmbeddedFoods();
  if (!foods.ok()) return Fail(foods.error().message);
  const std::string foods_bytes = mg::foods::EncodeFoods(foods->foods());
  if (!add_snapshot("foods", foods_bytes, mg::foods::DecodeFoods(foods_bytes) == foods->foods()))
    return 1;

  auto search = mg::foods::FoodSearch::Build(*foods);
  if (!search.ok()) return Fail(search.error().message);
  const std::string search_bytes = search->Encode();
  const auto search_decoded = mg::foods::FoodSearch::Decode(search_bytes, *foods);
  if (!add_snapshot("food-search", search_bytes,
                    search_decoded && search_decoded->SameIndex(*search)))
    return 1;

  const std::string source = fmt::format(
      "// Generated by mgadvisor-datac (src/datac/datac.cc) from the embedded data. Do not edit.\n"
      "#include \"datac/built_in.h\"\n\n"
      "namespace mg::precompiled {{\nnamespace {{\n\n{}\n}}  // namespace\n\n"
      "std::span<const BuiltInTree> BuiltInTrees() {{\n"
      "  static constexpr BuiltInTree kTrees[] = {{\n{}  }};\n"
      "  return kTrees;\n}}\n\n"
      "std::span<const Snapshot> BuiltInSnapshots() {{\n"
      "  static constexpr Snapshot kSnapshots[] = {{\n{}  }};\n"
      "  return kSnapshots;\n}}\n\n}}  // namespace mg::precompiled\n",
      trees, table, snapshots);
  const std::filesystem::path temporary = output.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << source;
    if (!out.flush()) return Fail("cannot write " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, output, ec);
  if (ec)
    return Fail(fmt::format("cannot rename {} to {}: {}", temporary.string(), output.string(),
                            ec.message()));
  return 0;
}
