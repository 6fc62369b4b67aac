// Plans and the stored profile: `mgadvisor plan` (a profile file, flags, or the stored profile),
// POST /api/plan (the web page's form), `mgadvisor profile` and GET/PUT /api/profile.
#ifndef MGADVISOR_OPS_PLAN_H_
#define MGADVISOR_OPS_PLAN_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "journal/journal.h"
#include "ops/context.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/render.h"

namespace mg::ops {

struct PlanResult {
  plan::Profile profile;
  plan::Plan plan;  // Points into the context's knowledge base; valid while the context lives.

  // The plan in a format (text, Markdown, or the JSON of docs/PLAN.md as text).
  std::string Render(const plan::PlanContext& context, plan::Format format) const;
  nlohmann::json ToJson(const plan::PlanContext& context) const;
};

// Resolves the profile document and builds its plan. `reference` ("us"/"eu", the CLI's
// --reference) applies when the document names no reference set of its own.
// Errors: the profile's problems (kInvalidArgument, every problem with where and field).
Result<PlanResult> PlanForProfile(const Context& context, plan::ProfileDocument document,
                                  const std::optional<std::string>& reference = std::nullopt);

// The profile stored in the journal, as the person gave it; nullopt when none is.
// Errors: kDataError when the stored text is not JSON.
Result<std::optional<nlohmann::json>> StoredProfile(journal::Store& store);

// The plan for the stored profile; `product`, when given, replaces the stored profile's product
// for this plan only (`plan --stored --product FILE`). Errors: kInvalidArgument ("profile: none
// stored; ...") when there is none; kConflict naming what to fix when the stored profile no
// longer resolves (the knowledge base changed): the person can mend it.
Result<PlanResult> PlanForStoredProfile(const Context& context, journal::Store& store,
                                        const std::optional<nlohmann::json>& product = {});

// Checks a profile exactly as a plan would and stores the document as given (so the person's own
// words re-resolve against a newer knowledge base). Returns the stored document.
// Errors: the profile's problems; storage errors.
Result<nlohmann::json> SetProfile(const Context& context, journal::Store& store,
                                  const plan::ProfileDocument& document);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_PLAN_H_
