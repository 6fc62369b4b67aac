#include "ops/check.h"

namespace mg::ops {

nlohmann::json CheckTextResult::ToJson() const { return check::ToJson(result); }

std::string CheckTextResult::ToText() const { return check::RenderText(result, page); }

Result<CheckTextResult> CheckText(const Context& context, const CheckTextRequest& request) {
  // The input is judged before any data is loaded: a bad page costs nothing.
  auto page = check::ReadPage(request.text, request.source);
  if (!page.ok()) return page.error();
  auto checker = context.checker();
  if (!checker.ok()) return checker.error();
  CheckTextResult out;
  out.result = (*checker)->Check(*page);
  out.page = std::move(page).value();
  return out;
}

Result<std::optional<check::Claim>> CheckSentence(const Context& context,
                                                  std::string_view sentence) {
  if (!check::ReadPage(sentence, "the sentence").ok()) return std::optional<check::Claim>();
  auto checker = context.checker();
  if (!checker.ok()) return checker.error();
  return (*checker)->CheckSentence(sentence);
}

}  // namespace mg::ops
