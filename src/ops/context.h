// The operations layer (src/ops): one implementation of every operation the two doors offer — the
// CLI (src/cli) and the HTTP server (src/server) only parse, call an operation and render its
// result, so they cannot drift apart. Operations take plain request structs, the loaded data
// (Context) and, where they read or write a journal, a journal::Store; they return plain result
// structs with a ToJson() that both doors print as is. Errors are mg::Error values whose messages
// name the field as the HTTP API spells it ("age: ..."); the CLI renames them to its flags.
//
// Start here: Context is the loaded data, each piece loaded on first use, so a CLI command loads
// only what it reads (`elemental` the compound catalogue, `plan` the plan context) while the
// server loads everything once at start (LoadAll).
//
//   ops::Context context({.kb_dir = std::nullopt, .foods_store = std::nullopt});
//   auto plan = ops::PlanForProfile(context, document);       // ops/plan.h
//   auto json = plan->ToJson(**context.plan());
#ifndef MGADVISOR_OPS_CONTEXT_H_
#define MGADVISOR_OPS_CONTEXT_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "check/check.h"
#include "chem/compounds.h"
#include "core/error.h"
#include "dri/dri.h"
#include "foods/foods.h"
#include "foods/search.h"
#include "foods/units.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "products/catalogue.h"
#include "trial/trial.h"

namespace mg::ops {

struct ContextOptions {
  std::optional<std::string> kb_dir = {};       // --kb DIR: a knowledge base, not the built-in.
  std::optional<std::string> foods_store = {};  // A food store (default: foods::LoadFoods).
  // The plan context's fixed JSON written once (plan::PlanContext::PrewriteJson): for a
  // process that renders many plans, the server; one plan does not repay it.
  bool prewrite_plan_json = false;
};

// The food store people search and log from, with its search index.
struct FoodStore {
  foods::FoodDb db;
  std::unique_ptr<foods::FoodSearch> search;  // Points into `db`.
};

// Loaded data, each piece on first use. Thread-safe: concurrent first calls load once, and a
// loaded piece is immutable. A failed load is remembered and returned again (data does not heal).
class Context {
 public:
  explicit Context(ContextOptions options);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // For a process that runs one command and exits (the CLI calls it first): from then on, a
  // Context's loaded pieces are not freed with it but left for the process's exit to take back
  // at no cost. Freeing the knowledge base, catalogues and plan context was ~15 % of `plan`'s
  // instructions. The pieces stay reachable from a static list, so leak checkers do not report
  // them. A program that makes contexts again and again must not call it.
  static void KeepLoadedPiecesUntilExit();

  // Each: the piece, or the loader's error (kDataError with file:line, kNotFound for --kb DIR).
  Result<const chem::CompoundCatalog*> compounds() const;
  Result<const dri::ReferenceTables*> references() const;
  Result<const kb::KnowledgeBase*> kb() const;
  Result<const foods::Exclusions*> exclusions() const;
  Result<const foods::UnitTable*> units() const;
  Result<const std::vector<trial::OutcomeSpec>*> outcomes() const;
  Result<const FoodStore*> foods() const;
  // The medicines and products catalogue (embedded), cross-checked against kb() and compounds().
  Result<const products::Catalogue*> catalogue() const;
  // The plan engine's context, assembled from the pieces above plus the plan's own data.
  Result<const plan::PlanContext*> plan() const;
  // The claim checker (data/check), pointing into kb() and compounds().
  Result<const check::Checker*> checker() const;

  // Loads every piece now (the server fails at start rather than on some later request).
  Status LoadAll() const;

  const ContextOptions& options() const { return options_; }

 private:
  // One piece: not yet loaded (done false), or loaded (value) or failed (error). `value` is
  // `owned` unless the piece lives inside another one: the plan context takes the knowledge base
  // and catalogue a command has not asked for yet, instead of copying them, and kb() and
  // catalogue() then answer with the plan context's own.
  template <typename T>
  struct Lazy {
    std::atomic<bool> done{false};  // Set last, after value or error (release).
    std::optional<Error> error;
    std::unique_ptr<const T> owned;
    const T* value = nullptr;
  };
  // The piece, loading it on first use under load_mutex_.
  template <typename T, typename Load>
  Result<const T*> Get(Lazy<T>& lazy, Load&& load) const;
  // For the plan context: the piece as a value of its own, copied when it is already loaded,
  // else loaded for the taker (a failure is remembered in `lazy`). REQUIRES: load_mutex_ held.
  template <typename T, typename Load>
  Result<T> Take(Lazy<T>& lazy, Load&& load) const;

  // Loading is rare (once per piece) and pieces load one another, so one recursive mutex guards
  // all of it; a loaded piece is read without it (Lazy::done).
  mutable std::recursive_mutex load_mutex_;
  ContextOptions options_;
  mutable Lazy<chem::CompoundCatalog> compounds_;
  mutable Lazy<dri::ReferenceTables> references_;
  mutable Lazy<kb::KnowledgeBase> kb_;
  mutable Lazy<foods::Exclusions> exclusions_;
  mutable Lazy<foods::UnitTable> units_;
  mutable Lazy<std::vector<trial::OutcomeSpec>> outcomes_;
  mutable Lazy<FoodStore> foods_;
  mutable Lazy<products::Catalogue> catalogue_;
  mutable Lazy<plan::PlanContext> plan_;
  mutable Lazy<check::Checker> checker_;
};

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_CONTEXT_H_
