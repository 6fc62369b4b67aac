// Rendering a plan for people (text, Markdown) and for programs (JSON). Deterministic: the same
// plan renders to the same bytes.
#ifndef MGADVISOR_PLAN_RENDER_H_
#define MGADVISOR_PLAN_RENDER_H_

#include <nlohmann/json.hpp>
#include <string>

#include "plan/plan.h"

namespace mg::plan {

enum class Format { kText, kMarkdown, kJson };

// Errors: kInvalidArgument for a name other than text, markdown, json.
Result<Format> ParseFormat(std::string_view name);

// The JSON document. Field names are a contract (docs/PLAN.md): supplement (null or an object
// with compound, route, daily_elemental_mg, doses), referrals (urgency, reason), interactions
// (medicine, spacing rule), findings (condition, verdict, certainty, citations), foods, measures,
// watch_for, sources (every citation the text lists, in full), warnings, rules_fired: everything
// the text shows.
nlohmann::json PlanToJson(const Plan& plan, const PlanContext& context);

std::string RenderPlan(const Plan& plan, const PlanContext& context, Format format);

// The JSON of every citation, measure and red flag of the context's knowledge base, and of each
// of its ranked foods, as the plan document places them (PlanContext::prewritten_json).
PrewrittenJson PrewritePlanJson(const PlanContext& context);

}  // namespace mg::plan

#endif  // MGADVISOR_PLAN_RENDER_H_
