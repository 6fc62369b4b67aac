// Loading data/chem/atomic_weights.toml (the formula parser itself is in formula.cc).
#include <fmt/format.h>

#include "chem/formula.h"
#include "core/data_reader.h"

namespace mg::chem {
namespace {

// "Mg", "O", "Cl": one capital letter and at most two small ones.
bool IsElementSymbol(std::string_view s) {
  if (s.empty() || s.size() > 3 || !(s[0] >= 'A' && s[0] <= 'Z')) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!(s[i] >= 'a' && s[i] <= 'z')) return false;
  }
  return true;
}

}  // namespace

Result<AtomicWeights> AtomicWeights::Parse(const std::string& toml_text, const std::string& name) {
  DataProblems problems;
  const auto root = ParseTomlFile(DataFile{name, toml_text}, problems);
  if (!root) return problems.ToError();
  TomlReader doc(*root, name, "the file", problems, {"source", "weights"});
  AtomicWeights out;
  out.source_ = doc.Text("source");
  if (const toml::table* weights = doc.FreeTable("weights")) {
    for (const auto& [key, node] : *weights) {
      const std::string symbol(key.str());
      const auto value = node.value<double>();
      if (!IsElementSymbol(symbol)) {
        problems.Add(
            name, LineOf(node),
            fmt::format("'{}' in [weights] is not an element symbol like Mg or O", symbol));
      } else if (!node.is_number() || !value || !(*value > 0)) {
        problems.Add(name, LineOf(node),
                     fmt::format("weight of '{}' must be a positive number", symbol));
      } else {
        out.weights_.emplace(symbol, *value);
      }
    }
  }
  if (!problems.empty()) return problems.ToError();
  return out;
}

Result<AtomicWeights> AtomicWeights::LoadEmbedded() {
  auto file = LoadEmbeddedFile("chem/atomic_weights.toml");
  if (!file.ok()) return file.error();
  return Parse(file->content, file->name);
}

}  // namespace mg::chem
