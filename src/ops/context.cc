#include "ops/context.h"

#include <atomic>
#include <mutex>
#include <vector>

#include "core/precompiled.h"

namespace mg::ops {
namespace {

std::atomic<bool> g_keep_until_exit{false};
std::mutex g_kept_mutex;
std::vector<const void*>* g_kept = nullptr;  // Never freed, like what it points to.

// Wraps a loaded value in the unique_ptr the Lazy slot holds.
template <typename T>
Result<std::unique_ptr<const T>> Own(Result<T> loaded) {
  if (!loaded.ok()) return loaded.error();
  return std::unique_ptr<const T>(std::make_unique<T>(std::move(loaded).value()));
}

}  // namespace

Context::Context(ContextOptions options) : options_(std::move(options)) {}

void Context::KeepLoadedPiecesUntilExit() { g_keep_until_exit.store(true); }

Context::~Context() {
  if (!g_keep_until_exit.load()) return;  // The members free their pieces as usual.
  const std::lock_guard lock(g_kept_mutex);
  if (g_kept == nullptr) g_kept = new std::vector<const void*>();
  const auto keep = [](auto& lazy) {
    if (lazy.loaded && lazy.loaded->ok()) g_kept->push_back(lazy.loaded->value().release());
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
Result<const T*> Context::Get(Lazy<T>& lazy, Load&& load) {
  std::call_once(lazy.once, [&] {
    lazy.loaded.emplace(load());
    // Built-in files decode from their precompiled trees, which have no lines; a failure (a
    // `--kb DIR` that no longer fits the built-in files) is loaded again from the text, so its
    // messages name file and line.
    if (!lazy.loaded->ok() && precompiled::Installed()) {
      precompiled::TextOnly text_only;
      lazy.loaded.emplace(load());
    }
  });
  const auto& loaded = *lazy.loaded;
  if (!loaded.ok()) return loaded.error();
  return loaded.value().get();
}

Result<const chem::CompoundCatalog*> Context::compounds() const {
  return Get(compounds_, [] { return Own(chem::CompoundCatalog::Load()); });
}

Result<const dri::ReferenceTables*> Context::references() const {
  return Get(references_, [] { return Own(dri::ReferenceTables::LoadEmbedded()); });
}

Result<const kb::KnowledgeBase*> Context::kb() const {
  return Get(kb_, [this] { return Own(kb::LoadKnowledgeBase(options_.kb_dir)); });
}

Result<const foods::Exclusions*> Context::exclusions() const {
  return Get(exclusions_, [] { return Own(foods::Exclusions::Load()); });
}

Result<const foods::UnitTable*> Context::units() const {
  return Get(units_, [] { return Own(foods::UnitTable::LoadEmbedded()); });
}

Result<const std::vector<trial::OutcomeSpec>*> Context::outcomes() const {
  return Get(outcomes_, [] { return Own(trial::LoadOutcomes()); });
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
  return Get(catalogue_, [this]() -> Result<std::unique_ptr<const products::Catalogue>> {
    // The built-in catalogue was checked at build time against the built-in base; with `--kb
    // DIR` it is checked again against that base.
    if (!options_.kb_dir) {
      if (auto built_in = products::Catalogue::BuiltIn()) {
        return std::unique_ptr<const products::Catalogue>(
            std::make_unique<products::Catalogue>(std::move(*built_in)));
      }
    }
    auto kb_loaded = kb();
    if (!kb_loaded.ok()) return kb_loaded.error();
    auto compounds_loaded = compounds();
    if (!compounds_loaded.ok()) return compounds_loaded.error();
    return Own(products::Catalogue::Load(std::nullopt, **kb_loaded, **compounds_loaded));
  });
}

Result<const plan::PlanContext*> Context::plan() const {
  return Get(plan_, [this]() -> Result<std::unique_ptr<const plan::PlanContext>> {
    auto kb_loaded = kb();
    if (!kb_loaded.ok()) return kb_loaded.error();
    auto compounds_loaded = compounds();
    if (!compounds_loaded.ok()) return compounds_loaded.error();
    auto references_loaded = references();
    if (!references_loaded.ok()) return references_loaded.error();
    auto exclusions_loaded = exclusions();
    if (!exclusions_loaded.ok()) return exclusions_loaded.error();
    auto catalogue_loaded = catalogue();
    if (!catalogue_loaded.ok()) return catalogue_loaded.error();
    // Copies: the plan context owns its pieces, so it stays valid on its own (the copies cost
    // well under a millisecond, once per process).
    auto assembled =
        plan::PlanContext::Assemble(**kb_loaded, **compounds_loaded, **references_loaded,
                                    **exclusions_loaded, **catalogue_loaded);
    if (!assembled.ok()) return assembled.error();
    if (options_.prewrite_plan_json) (*assembled)->PrewriteJson();
    return std::unique_ptr<const plan::PlanContext>(std::move(assembled).value());
  });
}

Result<const check::Checker*> Context::checker() const {
  return Get(checker_, [this]() -> Result<std::unique_ptr<const check::Checker>> {
    auto kb_loaded = kb();
    if (!kb_loaded.ok()) return kb_loaded.error();
    auto compounds_loaded = compounds();
    if (!compounds_loaded.ok()) return compounds_loaded.error();
    auto references_loaded = references();
    if (!references_loaded.ok()) return references_loaded.error();
    // The checker keeps pointers into the knowledge base and catalogue, which this context owns
    // for as long as it lives.
    return Own(
        check::Checker::Load(**kb_loaded, **references_loaded, **compounds_loaded, std::nullopt));
  });
}

Status Context::LoadAll() const {
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
  MG_RETURN_IF_ERROR(plan());
  MG_RETURN_IF_ERROR(checker());
  return {};
}

}  // namespace mg::ops
