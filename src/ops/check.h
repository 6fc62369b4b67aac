// Checking a page's health claims against the knowledge base: `mgadvisor check FILE|-` and
// POST /api/check; `explain` (CLI and GET /api/explain) with its free-text fallback. src/check and
// src/kb do the work; these are the entries both doors call.
#ifndef MGADVISOR_OPS_CHECK_H_
#define MGADVISOR_OPS_CHECK_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "check/check.h"
#include "core/error.h"
#include "kb/explain.h"
#include "kb/kb.h"
#include "ops/context.h"

namespace mg::ops {

struct CheckTextRequest {
  std::string text;             // The page as given: plain text, Markdown or HTML.
  std::string source = "text";  // What to call it in messages: a path, "standard input".
};

struct CheckTextResult {
  check::Page page;  // The page as read (visible text, offsets back to the input).
  check::CheckResult result;

  // {"claims": [...], "summary": {...}} (check::ToJson).
  nlohmann::json ToJson() const;
  // The page with each claim marked and explained, then a summary (check::RenderText).
  std::string ToText() const;
};

// Errors: kInvalidArgument naming `source` for input that is empty, binary, not UTF-8, over
// check::kMaxPageBytes or (HTML) without visible text; the checker's data error (kDataError).
Result<CheckTextResult> CheckText(const Context& context, const CheckTextRequest& request);

// One sentence given as free text (`explain "<text>"`): its claim, or nullopt when the text is
// not a readable sentence or makes no health claim.
Result<std::optional<check::Claim>> CheckSentence(const Context& context,
                                                  std::string_view sentence);

// `explain QUERY` at both doors: the knowledge-base entry the query names (by id or common name),
// or, when no entry has that name, the query read as one claim and checked.
struct ExplainResult {
  std::optional<kb::EntityRef> entity;  // Set when the query names an entry.
  std::optional<check::Claim> claim;    // Set otherwise.
  std::string query;

  // The entry's explanation (kb::ExplanationJson) or the claim (check::ToJson).
  nlohmann::json ToJson(const kb::KnowledgeBase& kb) const;
  // The entry's page (kb::RenderExplanation) or the sentence with its claim marked.
  std::string ToText(const kb::KnowledgeBase& kb) const;
};

// Errors: the name lookup's kNotFound ("did you mean ...") when the query is neither a name nor
// a claim; the knowledge base's or the checker's data error.
Result<ExplainResult> Explain(const Context& context, std::string_view query);

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_CHECK_H_
