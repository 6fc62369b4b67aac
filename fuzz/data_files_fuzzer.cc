// The data loaders given arbitrary files, as `--kb DIR`, a compounds override or an edited food
// store hand them over: the first byte picks the loader, the rest (after a second byte) is the
// file. For the knowledge base the second byte names the file (conditions.toml, findings.toml...)
// and it is loaded alone: a whole base takes ~150 ms a run under the sanitizers, one file ~10.
#include <string>
#include <vector>

#include "chem/compounds.h"
#include "chem/formula.h"
#include "core/data_files.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "fuzz/fuzz_util.h"
#include "kb/kb.h"
#include "trial/trial.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const std::vector<DataFile>* kb_files =
      new std::vector<DataFile>(fuzz::Loaded(LoadDataFiles("kb", ".toml", std::nullopt)));
  static const chem::AtomicWeights* weights =
      new chem::AtomicWeights(fuzz::Loaded(chem::AtomicWeights::LoadEmbedded()));
  if (size < 2) return 0;
  const std::string text(fuzz::AsText(data + 2, size - 2));
  switch (data[0] % 6) {
    case 0: {
      const std::string& name = (*kb_files)[data[1] % kb_files->size()].name;
      (void)kb::ParseKnowledgeBase({DataFile{name, text}});
      break;
    }
    case 1:
      (void)chem::CompoundCatalog::Parse(text, "compounds.toml", *weights);
      break;
    case 2:
      (void)chem::AtomicWeights::Parse(text, "atomic_weights.toml");
      break;
    case 3:
      (void)dri::ReferenceTables::ParseSet(text, "us.toml");
      break;
    case 4:
      (void)trial::ParseOutcomes(text, "outcomes.toml");
      break;
    case 5:
      (void)foods::ParseFoodTable(text, "foods.csv");
      break;
  }
  return 0;
}
