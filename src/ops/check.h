// Checking a page's health claims against the knowledge base: `mgadvisor check FILE|-`, explain's
// free-text fallback and POST /api/check (src/check does the work; this is the one entry both
// doors call).
#ifndef MGADVISOR_OPS_CHECK_H_
#define MGADVISOR_OPS_CHECK_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "check/check.h"
#include "core/error.h"
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

}  // namespace mg::ops

#endif  // MGADVISOR_OPS_CHECK_H_
