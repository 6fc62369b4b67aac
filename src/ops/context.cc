#include "ops/context.h"

#include <atomic>
#include <mutex>
#include <type_traits>
#include <vector>

#include "core/precompiled.h"

namespace mg::ops {
namespace {

std::atomic<bool> g_keep_until_exit{false};
std::mutex g_kept_mutex;
std::vector<const void*>* g_kept = nullptr;  // Never freed, like what it points to.

// A loaded piece as the unique_ptr a Lazy slot owns: loaders return either the piece (moved to
// the heap here) or, for pieces that must not move once built (indexes pointing into them), the
// unique_ptr itself.
template <typename T, typename Loaded>
std::unique_ptr<const T> OnHeap(Loaded loaded) {
  if constexpr (std::is_same_v<Loaded, T>) {
    return std::make_unique<const T>(std::move(loaded));
  } else {
    return std::unique_ptr<const T>(std::move(loaded));
  }
}

// Built-in files decode from their precompiled trees, which have no lines; a failure (a `--kb
// DIR` that no longer fits the built-in files) is loaded again from the text, so its messages
// name file and line.
template <typename Load>
auto LoadNamingLines(Load& load) {
  auto loaded = load();
  if (!loaded.ok() && precompiled::Installed()) {
    const precompiled::TextOnly text_only;
    loaded = load();
  }
  return loaded;
}

// The catalogue: the built-in snapshot, checked at build time against the built-in base; with
// `--kb DIR`, read again and checked against that base (which only then is loaded).
template <typename GetKb, typename GetCompounds>
Result<products::Catalogue> LoadCatalogue(const ContextOptions& options, GetKb&& get_kb,
                                          GetCompounds&& get_compounds) {
  if (!options.kb_dir) {
    if (auto built_in = products::Catalogue::BuiltIn()) return std::move(*built_in);
  }
  Result<const kb::KnowledgeBase*> kb = get_kb();
  if (!kb.ok()) return kb.error();
  Result<const chem::CompoundCatalog*> compounds = get_compounds();
  if (!compounds.ok()) return compounds.error();
  return products::Catalogue::Load(std::nullopt, **kb, **compounds);
}

}  // namespace

Context::Context(ContextOptions options) : options_(std::move(options)) {}

void Context::KeepLoadedPiecesUntilExit() { g_keep_until_exit.store(true); }

Context::~Context() {
  if (!g_keep_until_exit.load()) return;  // The members free their pieces as usual.
  const std::lock_guard lock(g_kept_mutex);
  if (g_kept == nullptr) g_kept = new std::vector<const void*>();
  const auto keep = [](auto& lazy) {
    if (lazy.owned) g_kept->push_back(lazy.owned.release());
  };
  keep(compounds_);
  keep(references_);
  keep(kb_);
  keep(exclusions_);
  keep(units_);
  keep(outcomes_);
  keep(foods_);
  keep(catalogue_);
  keep(plan_);
  keep(checker_);
}

template <typename T, typename Load>
Result<const T*> Context::Get(Lazy<T>& lazy, Load&& load) const {
  if (!lazy.done.load(std::memory_order_acquire)) {
    const std::lock_guard lock(load_mutex_);
    if (!lazy.done.load(std::memory_order_relaxed)) {
      auto loaded = LoadNamingLines(load);
      if (loaded.ok()) {
        lazy.owned = OnHeap<T>(std::move(loaded).value());
        lazy.value = lazy.owned.get();
      } else {
        lazy.error = loaded.error();
      }
      lazy.done.store(true, std::memory_order_release);
    }
  }
  if (lazy.error) return *lazy.error;
  return lazy.value;
}

template <typename T, typename Load>
Result<T> Context::Take(Lazy<T>& lazy, Load&& load) const {
  if (lazy.done.load(std::memory_order_relaxed)) {
    if (lazy.error) return *lazy.error;
    return T(*lazy.value);
  }
  Result<T> loaded = LoadNamingLines(load);
  if (!loaded.ok()) {
    lazy.error = loaded.error();
    lazy.done.store(true, std::memory_order_release);
  }
  return loaded;
}

Result<const chem::CompoundCatalog*> Context::compounds() const {
  return Get(compounds_, [] { return chem::CompoundCatalog::Load(); });
}

Result<const dri::ReferenceTables*> Context::references() const {
  return Get(references_, [] { return dri::ReferenceTables::LoadEmbedded(); });
}

Result<const kb::KnowledgeBase*> Context::kb() const {
  return Get(kb_, [this] { return kb::LoadKnowledgeBase(options_.kb_dir); });
}

Result<const foods::Exclusions*> Context::exclusions() const {
  return Get(exclusions_, [] { return foods::Exclusions::Load(); });
}

Result<const foods::UnitTable*> Context::units() const {
  return Get(units_, [] { return foods::UnitTable::LoadEmbedded(); });
}

Result<const std::vector<trial::OutcomeSpec>*> Context::outcomes() const {
  return Get(outcomes_, [] { return trial::LoadOutcomes(); });
}

Result<const FoodStore*> Context::foods() const {
  return Get(foods_, [this]() -> Result<std::unique_ptr<const FoodStore>> {
    auto db = foods::LoadFoods(options_.foods_store);
    if (!db.ok()) return db.error();
    auto store = std::make_unique<FoodStore>();
    store->db = std::move(db).value();
    // Built after the store has its final address: the index points into store->db.
    auto search = foods::FoodSearch::Build(store->db);
    if (!search.ok()) return search.error();
    store->search = std::make_unique<foods::FoodSearch>(std::move(search).value());
    return std::unique_ptr<const FoodStore>(std::move(store));
  });
}

Result<const products::Catalogue*> Context::catalogue() const {
  return Get(catalogue_, [this] {
    return LoadCatalogue(
        options_, [this] { return kb(); }, [this] { return compounds(); });
  });
}

Result<const plan::PlanContext*> Context::plan() const {
  return Get(plan_, [this]() -> Result<std::unique_ptr<const plan::PlanContext>> {
    // The plan context owns its pieces, so it stays valid on its own. A piece another command
    // already loaded is copied; one nobody has asked for yet is loaded straight into the plan
    // context, and the slots below then point into it: `plan` alone copied ~1 M instructions
    // of knowledge base and catalogue at every start (issue 20).
    const bool kb_taken = !kb_.done, compounds_taken = !compounds_.done,
               references_taken = !references_.done, exclusions_taken = !exclusions_.done,
               catalogue_taken = !catalogue_.done;
    auto kb_loaded = Take(kb_, [this] { return kb::LoadKnowledgeBase(options_.kb_dir); });
    if (!kb_loaded.ok()) return kb_loaded.error();
    auto compounds_loaded = Take(compounds_, [] { return chem::CompoundCatalog::Load(); });
    if (!compounds_loaded.ok()) return compounds_loaded.error();
    auto references_loaded = Take(references_, [] { return dri::ReferenceTables::LoadEmbedded(); });
    if (!references_loaded.ok()) return references_loaded.error();
    auto exclusions_loaded = Take(exclusions_, [] { return foods::Exclusions::Load(); });
    if (!exclusions_loaded.ok()) return exclusions_loaded.error();
    auto catalogue_loaded = Take(catalogue_, [&] {
      return LoadCatalogue(
          options_, [&]() -> Result<const kb::KnowledgeBase*> { return &*kb_loaded; },
          [&]() -> Result<const chem::CompoundCatalog*> { return &*compounds_loaded; });
    });
    if (!catalogue_loaded.ok()) return catalogue_loaded.error();
    auto assembled = plan::PlanContext::Assemble(
        std::move(kb_loaded).value(), std::move(compounds_loaded).value(),
        std::move(references_loaded).value(), std::move(exclusions_loaded).value(),
        std::move(catalogue_loaded).value(), /*built_in=*/!options_.kb_dir);
    if (!assembled.ok()) return assembled.error();
    if (options_.prewrite_plan_json) (*assembled)->PrewriteJson();
    const plan::PlanContext& context = **assembled;
    const auto lend = [](bool taken, auto& lazy, const auto& piece) {
      if (!taken) return;
      lazy.value = &piece;
      lazy.done.store(true, std::memory_order_release);
    };
    lend(kb_taken, kb_, context.kb);
    lend(compounds_taken, compounds_, context.compounds);
    lend(references_taken, references_, context.references);
    lend(exclusions_taken, exclusions_, context.exclusions);
    lend(catalogue_taken, catalogue_, context.catalogue);
    return std::unique_ptr<const plan::PlanContext>(std::move(assembled).value());
  });
}

Result<const check::Checker*> Context::checker() const {
  return Get(checker_, [this]() -> Result<check::Checker> {
    auto kb_loaded = kb();
    if (!kb_loaded.ok()) return kb_loaded.error();
    auto compounds_loaded = compounds();
    if (!compounds_loaded.ok()) return compounds_loaded.error();
    // The checker keeps pointers into the knowledge base and catalogue, which this context owns
    // for as long as it lives. The built-in one fits only the built-in base.
    if (!options_.kb_dir) {
      if (auto built_in = check::Checker::BuiltIn(**kb_loaded, **compounds_loaded))
        return std::move(*built_in);
    }
    auto references_loaded = references();
    if (!references_loaded.ok()) return references_loaded.error();
    return check::Checker::Load(**kb_loaded, **references_loaded, **compounds_loaded, std::nullopt);
  });
}

Status Context::LoadAll() const {
  // The plan context first: it then holds the only knowledge base and catalogue (see plan()).
  MG_RETURN_IF_ERROR(plan());
  MG_RETURN_IF_ERROR(compounds());
  MG_RETURN_IF_ERROR(references());
  MG_RETURN_IF_ERROR(kb());
  MG_RETURN_IF_ERROR(exclusions());
  MG_RETURN_IF_ERROR(units());
  MG_RETURN_IF_ERROR(outcomes());
  auto foods_loaded = foods();
  if (!foods_loaded.ok()) return foods_loaded.error();
  (*foods_loaded)->search->PrepareTwoEdits();  // A server's first typo must not wait for it.
  MG_RETURN_IF_ERROR(catalogue());
  MG_RETURN_IF_ERROR(checker());
  return {};
}

}  // namespace mg::ops
