#include "ops/data_lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "accounts/auth.h"
#include "check/check.h"
#include "chem/compounds.h"
#include "core/data_files.h"
#include "core/data_reader.h"
#include "core/embedded.h"
#include "core/json_input.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/search.h"
#include "foods/units.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "products/catalogue.h"
#include "trial/trial.h"

namespace mg::ops {
namespace {

namespace fs = std::filesystem;

// Every data file a loader reads, relative to data/; kb/ takes any *.toml.
const std::vector<std::string>& KnownFiles() {
  static const std::vector<std::string> files = {"accounts/passwords.toml",
                                                 "chem/atomic_weights.toml",
                                                 "chem/compounds.toml",
                                                 "dri/eu.toml",
                                                 "dri/us.toml",
                                                 "foods/exclusions.toml",
                                                 "foods/foods.csv",
                                                 "foods/synonyms.toml",
                                                 "foods/units.toml",
                                                 "plan/child_portions.toml",
                                                 "plan/food_frequency.toml",
                                                 "plan/messages.toml",
                                                 "plan/policy.toml",
                                                 "server/openapi.json",
                                                 "trial/outcomes.toml"};
  return files;
}

bool IsDataFile(const std::string& relative) {
  if (relative.starts_with("web/")) return false;  // The page's assets: the browser tests'.
  return relative.ends_with(".toml") || relative.ends_with(".csv") || relative.ends_with(".json");
}

// The files to check, by path relative to data/.
Result<std::map<std::string, DataFile>> Collect(const std::optional<std::string>& dir) {
  std::map<std::string, DataFile> out;
  if (!dir) {
    for (const auto& file : embedded::AllFiles()) {
      const std::string relative(file.path);
      if (IsDataFile(relative)) {
        out.emplace(relative, DataFile{"data/" + relative, std::string(file.content)});
      }
    }
    return out;
  }
  std::error_code ec;
  if (!fs::is_directory(*dir, ec)) return NotFound("data directory does not exist: " + *dir);
  for (auto it = fs::recursive_directory_iterator(*dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string relative = it->path().lexically_relative(*dir).generic_string();
    if (!IsDataFile(relative)) continue;
    auto content = ReadFile(it->path().string());
    if (!content.ok()) return content.error();
    out.emplace(relative, DataFile{it->path().string(), std::move(content).value()});
  }
  if (ec) return IoError(fmt::format("cannot list {}: {}", *dir, ec.message()));
  return out;
}

class Linter {
 public:
  explicit Linter(std::map<std::string, DataFile> files) : files_(std::move(files)) {}

  DataLintReport Run(std::string where) {
    CheckNames();
    auto weights = Check("chem/atomic_weights.toml", [](const DataFile& f) {
      return chem::AtomicWeights::Parse(f.content, f.name);
    });
    std::set<std::string> compound_ids;
    std::optional<chem::CompoundCatalog> catalog;
    if (weights) {
      catalog = Check("chem/compounds.toml", [&](const DataFile& f) {
        return chem::CompoundCatalog::Parse(f.content, f.name, *weights);
      });
      if (catalog) {
        for (const auto& c : catalog->compounds()) compound_ids.insert(c.id);
      }
    }
    std::vector<dri::ReferenceSet> sets;
    for (const auto& [path, id] : {std::pair{"dri/us.toml", dri::Reference::kUs},
                                   std::pair{"dri/eu.toml", dri::Reference::kEu}}) {
      auto set = Check(path, [](const DataFile& f) {
        return dri::ReferenceTables::ParseSet(f.content, f.name);
      });
      if (set && set->reference != id) {
        Add(path, 1, fmt::format("[reference] id must be '{}' in this file", dri::ReferenceId(id)));
      } else if (set) {
        sets.push_back(std::move(*set));
      }
    }
    std::optional<dri::ReferenceTables> tables;
    if (sets.size() == 2) {
      auto joined = dri::ReferenceTables::FromSets(std::move(sets[0]), std::move(sets[1]));
      if (joined.ok()) tables = std::move(joined).value();
    }
    auto foods = Check("foods/foods.csv",
                       [](const DataFile& f) { return foods::ParseFoodTable(f.content, f.name); });
    auto exclusions = Check("foods/exclusions.toml",
                            [](const DataFile& f) { return foods::Exclusions::Parse(f); });
    if (foods && exclusions) CheckExclusionTags(*foods, *exclusions);
    Check("foods/synonyms.toml", [](const DataFile& f) { return foods::ParseSearchSynonyms(f); });
    Check("foods/units.toml", [](const DataFile& f) { return foods::UnitTable::Parse(f); });
    // The knowledge base, against this folder's compounds (or, when the catalogue is broken and
    // already reported, against none, so its forms' other problems still show).
    const std::vector<DataFile> kb_files = FolderFiles("kb/", "knowledge-base files");
    kb::KnowledgeBaseCheck kb = kb::CheckKnowledgeBase(kb_files, compound_ids);
    if (!weights || compound_ids.empty()) {
      // Without a catalogue every form would "refer to an unknown compound": say it once.
      std::erase_if(kb.problems, [](const std::string& p) {
        return p.find("refers to unknown compound") != std::string::npos;
      });
    }
    problems_.insert(problems_.end(), kb.problems.begin(), kb.problems.end());
    auto policy =
        Check("plan/policy.toml", [&](const DataFile& f) { return plan::ParsePolicy(f, kb.kb); });
    Check("plan/food_frequency.toml",
          [](const DataFile& f) { return plan::ParseFoodFrequency(f); });
    Check("plan/messages.toml", [](const DataFile& f) { return plan::ParseMessages(f); });
    Check("plan/child_portions.toml",
          [&](const DataFile& f) { return plan::ParseChildPortions(f, kb.kb); });
    Check("trial/outcomes.toml",
          [](const DataFile& f) { return trial::ParseOutcomes(f.content, f.name); });
    Check("accounts/passwords.toml", [](const DataFile& f) -> Result<bool> {
      MG_RETURN_IF_ERROR(accounts::CheckPasswordRulesFile(f));
      return true;
    });
    auto medicines = CheckMedicines(kb.kb, catalog);
    // The policy names catalogue ingredients and food categories: each must exist.
    if (policy && medicines && foods) {
      for (auto& problem : plan::CheckPolicyReferences(*policy, files_.at("plan/policy.toml").name,
                                                       *medicines, *foods)) {
        problems_.push_back(std::move(problem));
      }
    }
    CheckClaimData(kb.kb, catalog, tables);
    CheckOpenApi();
    return {std::move(where), std::move(checked_), std::move(problems_)};
  }

 private:
  // Parses one known file with its loader; its problems become the report's.
  template <typename Parse>
  auto Check(const std::string& path, Parse parse)
      -> std::optional<std::decay_t<decltype(parse(std::declval<DataFile>()).value())>> {
    const auto it = files_.find(path);
    if (it == files_.end()) {
      Add(path, 1, "missing: this file is required");
      return std::nullopt;
    }
    checked_.push_back(it->second.name);
    auto parsed = parse(it->second);
    if (parsed.ok()) return std::move(parsed).value();
    std::istringstream lines(parsed.error().message);
    for (std::string line; std::getline(lines, line);) problems_.push_back(line);
    return std::nullopt;
  }

  // The medicines and products catalogue (medicines/*.toml), cross-checked against this folder's
  // knowledge base and compounds; skipped (the compounds' problems are already reported) when
  // the compound catalogue does not load. Returns the catalogue when it loads.
  std::optional<products::Catalogue> CheckMedicines(
      const kb::KnowledgeBase& kb, const std::optional<chem::CompoundCatalog>& compounds) {
    const std::vector<DataFile> medicines = FolderFiles("medicines/", "medicines files");
    if (medicines.empty() || !compounds) return std::nullopt;
    auto parsed = products::Catalogue::Parse(medicines, kb, *compounds);
    if (parsed.ok()) return std::move(parsed).value();
    std::istringstream lines(parsed.error().message);
    for (std::string line; std::getline(lines, line);) problems_.push_back(line);
    return std::nullopt;
  }

  // The claim checker's vocabulary and rules (check/*.toml), cross-checked against this folder's
  // knowledge base, compounds and reference intakes; skipped (their problems are already
  // reported) when the catalogue or the reference tables do not load.
  void CheckClaimData(const kb::KnowledgeBase& kb,
                      const std::optional<chem::CompoundCatalog>& compounds,
                      const std::optional<dri::ReferenceTables>& tables) {
    const std::vector<DataFile> check_files = FolderFiles("check/", "claim-checker files");
    if (check_files.empty() || !compounds || !tables) return;
    const auto problems = check::LintCheckData(kb, *tables, *compounds, check_files);
    problems_.insert(problems_.end(), problems.begin(), problems.end());
  }

  // Every *.toml in a folder whose loader reads the whole folder (kb/, medicines/, check/), each
  // marked as checked; an empty folder is a problem ("no <what> (<folder>*.toml)").
  std::vector<DataFile> FolderFiles(std::string_view folder, std::string_view what) {
    std::vector<DataFile> found;
    for (const auto& [path, file] : files_) {
      if (path.starts_with(folder) && path.ends_with(".toml")) {
        found.push_back(file);
        checked_.push_back(file.name);
      }
    }
    if (found.empty()) {
      Add(std::string(folder), 1, fmt::format("no {} ({}*.toml)", what, folder));
    }
    return found;
  }

  // An exclusion's tag that no food carries excludes nothing: a misspelt "tree_nuts" would let
  // nuts through for someone with a nut allergy.
  void CheckExclusionTags(const foods::FoodDb& foods, const foods::Exclusions& exclusions) {
    std::set<std::string> carried;
    for (const foods::Food& food : foods.foods())
      carried.insert(food.tags.begin(), food.tags.end());
    const DataFile& file = files_.at("foods/exclusions.toml");
    for (const auto& entry : exclusions.entries()) {
      for (const auto& tag : entry.tags) {
        if (carried.contains(tag)) continue;
        // The entry's line: where its id is written.
        const size_t at = file.content.find(fmt::format("\"{}\"", entry.id));
        const int line = at == std::string::npos
                             ? 1
                             : 1 + static_cast<int>(std::count(
                                       file.content.begin(),
                                       file.content.begin() + static_cast<long>(at), '\n'));
        problems_.push_back(
            fmt::format("{}:{}: exclusion '{}' has {}", file.name, line, entry.id,
                        UnknownNameMessage("tag", tag, "foods/foods.csv (no food carries it)",
                                           {carried.begin(), carried.end()})));
      }
    }
  }

  // A file no loader reads is a misspelt name or a leftover: either way nobody checks it.
  void CheckNames() {
    for (const auto& [path, file] : files_) {
      // kb/, medicines/ and check/ take any *.toml (their loaders read the whole folder).
      const bool known =
          path.starts_with("kb/") || path.starts_with("medicines/") || path.starts_with("check/")
              ? path.ends_with(".toml")
              : std::find(KnownFiles().begin(), KnownFiles().end(), path) != KnownFiles().end();
      if (!known) {
        problems_.push_back(fmt::format(
            "{}:1: {}", file.name,
            UnknownNameMessage("data file", path, "data/ (no loader reads it)", KnownFiles())));
      }
    }
  }

  void CheckOpenApi() {
    const std::string path = "server/openapi.json";
    const auto it = files_.find(path);
    if (it == files_.end()) {
      Add(path, 1, "missing: this file is required");
      return;
    }
    checked_.push_back(it->second.name);
    const DataFile& file = it->second;
    auto parsed = ParseJsonObject(file.content, file.name);
    if (!parsed.ok()) {
      problems_.push_back(parsed.error().message);
      return;
    }
    const nlohmann::json& document = *parsed;
    // The root fields OpenAPI 3.0 defines; the route table's agreement with the paths is
    // server_test's check (the server is not a dependency of this layer).
    static const std::vector<std::string> kRootFields = {
        "openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs"};
    for (const auto& [key, value] : document.items()) {
      if (std::find(kRootFields.begin(), kRootFields.end(), key) != kRootFields.end()) continue;
      const size_t at = file.content.find("\"" + key + "\"");
      const int line =
          1 +
          static_cast<int>(std::count(
              file.content.begin(),
              file.content.begin() + static_cast<long>(std::min(at, file.content.size())), '\n'));
      problems_.push_back(
          fmt::format("{}:{}: {}", file.name, line,
                      UnknownNameMessage("key", key, "the OpenAPI document", kRootFields)));
    }
    for (const char* required : {"openapi", "info", "paths"}) {
      if (!document.contains(required)) {
        problems_.push_back(
            fmt::format("{}:1: the OpenAPI document has no '{}'", file.name, required));
      }
    }
  }

  void Add(const std::string& path, int line, const std::string& message) {
    const auto it = files_.find(path);
    const std::string name = it != files_.end() ? it->second.name : path;
    problems_.push_back(fmt::format("{}:{}: {}", name, line, message));
  }

  std::map<std::string, DataFile> files_;
  std::vector<std::string> checked_;
  std::vector<std::string> problems_;
};

}  // namespace

nlohmann::json DataLintReport::ToJson() const {
  return {{"ok", ok()}, {"files", files}, {"problems", problems}};
}

Result<DataLintReport> LintData(const std::optional<std::string>& dir) {
  auto files = Collect(dir);
  if (!files.ok()) return files.error();
  return Linter(std::move(files).value()).Run(dir ? *dir : "the built-in data");
}

}  // namespace mg::ops
