// The checker's results as JSON (CLI --json and POST /api/check) and as text.
#include <fmt/format.h>

#include "check/check.h"

namespace mg::check {

nlohmann::json ToJson(const Claim& claim) {
  return {{"text", claim.text},
          {"start", claim.start},
          {"end", claim.end},
          {"verdict", ToString(claim.verdict)},
          {"claim_type", ToString(claim.claim_type)},
          {"topic", claim.topic},
          {"explanation", claim.explanation},
          {"evidence", claim.evidence},
          {"citations", claim.citations},
          {"rules", claim.rules}};
}

nlohmann::json ToJson(const CheckResult& result) {
  nlohmann::json claims = nlohmann::json::array();
  nlohmann::json by_verdict = nlohmann::json::object();
  for (const auto& v : kVerdictNames) by_verdict[std::string(v.name)] = 0;
  size_t flagged = 0;
  for (const Claim& c : result.claims) {
    claims.push_back(ToJson(c));
    by_verdict[std::string(ToString(c.verdict))] =
        by_verdict[std::string(ToString(c.verdict))].get<int>() + 1;
    if (IsFlag(c.verdict)) ++flagged;
  }
  return {{"claims", claims},
          {"summary",
           {{"format", result.format == PageFormat::kHtml ? "html" : "text"},
            {"sentences", result.sentences},
            {"claims", result.claims.size()},
            {"flagged", flagged},
            {"by_verdict", by_verdict}}}};
}

std::string RenderText(const CheckResult& result, const Page& page) {
  std::string out;
  size_t n = 0;
  size_t flagged = 0;
  for (const Claim& c : result.claims) {
    ++n;
    if (IsFlag(c.verdict)) ++flagged;
    out +=
        fmt::format("[{}] {} ({}): {}\n", n, ToString(c.verdict), ToString(c.claim_type), c.text);
    out += fmt::format("    {}\n", c.explanation);
    if (!c.evidence.empty()) out += fmt::format("    evidence: {}\n", fmt::join(c.evidence, ", "));
    if (!c.citations.empty()) {
      out += fmt::format("    sources: {}\n", fmt::join(c.citations, ", "));
    }
    out += fmt::format("    rules: {}\n\n", fmt::join(c.rules, ", "));
  }
  out += fmt::format("{} sentence{} read ({}), {} health claim{}, {} flagged", result.sentences,
                     result.sentences == 1 ? "" : "s",
                     page.format == PageFormat::kHtml ? "HTML" : "text", n, n == 1 ? "" : "s",
                     flagged);
  std::string counts;
  for (const auto& v : kVerdictNames) {
    size_t k = 0;
    for (const Claim& c : result.claims) k += c.verdict == v.value;
    if (k > 0) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", k, v.name);
  }
  if (!counts.empty()) out += fmt::format(": {}", counts);
  out += ".\n";
  return out;
}

}  // namespace mg::check
