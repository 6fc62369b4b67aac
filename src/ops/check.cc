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

nlohmann::json ExplainResult::ToJson(const kb::KnowledgeBase& kb) const {
  return entity ? kb::ExplanationJson(kb, *entity) : check::ToJson(*claim);
}

std::string ExplainResult::ToText(const kb::KnowledgeBase& kb) const {
  if (entity) return kb::RenderExplanation(kb, *entity);
  // The sentence as a one-sentence page, so the claim is shown as `check` shows it. It read as a
  // page before (CheckSentence), so it reads again.
  auto page = check::ReadPage(query, "the sentence");
  check::CheckResult result;
  result.sentences = 1;
  result.claims.push_back(*claim);
  return check::RenderText(result, page.value());
}

Result<ExplainResult> Explain(const Context& context, std::string_view query) {
  auto kb = context.kb();
  if (!kb.ok()) return kb.error();
  ExplainResult out;
  out.query = std::string(query);
  auto target = kb::ResolveEntity(**kb, query);
  if (target.ok()) {
    out.entity = std::move(target).value();
    return out;
  }
  // Not a name: read it as a claim to check ("magnesium reduces inflammation").
  if (target.error().code != ErrorCode::kNotFound) return target.error();
  auto claim = CheckSentence(context, query);
  if (!claim.ok()) return claim.error();
  if (!claim->has_value()) return target.error();  // Neither a name nor a claim: "did you mean".
  out.claim = std::move(**claim);
  return out;
}

}  // namespace mg::ops
