// libFuzzer target for the claim checker's page reader and checker (check::ReadPage, then
// Checker::Check and both renderers): any bytes must either read as a page or fail with an
// InvalidArgument error that says why — never crash, hang or trip a sanitizer — and a page that
// reads must keep its map back to the input and yield claims whose offsets lie in the input and
// whose text and JSON are valid UTF-8 (nlohmann::json::dump throws on anything else).
//
// Seeds: fuzz/corpus/check/ (small text, Markdown and HTML pages); dictionary: fuzz/check.dict.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "check/check.h"
#include "core/utf8.h"
#include "fuzz/fuzz_util.h"

namespace {

struct Data {
  mg::kb::KnowledgeBase kb;
  mg::dri::ReferenceTables tables;
  mg::chem::CompoundCatalog compounds;
};

// The embedded data and the checker over it, loaded once; a failure is a broken build.
const mg::check::Checker& LoadedChecker() {
  static const mg::check::Checker* checker = [] {
    auto* data = new Data{mg::fuzz::Loaded(mg::kb::LoadKnowledgeBase(std::nullopt)),
                          mg::fuzz::Loaded(mg::dri::ReferenceTables::LoadEmbedded()),
                          mg::fuzz::Loaded(mg::chem::CompoundCatalog::Load())};
    return new mg::check::Checker(mg::fuzz::Loaded(
        mg::check::Checker::Load(data->kb, data->tables, data->compounds, std::nullopt)));
  }();
  return *checker;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using mg::fuzz::Check;
  const mg::check::Checker& checker = LoadedChecker();
  const std::string_view input = mg::fuzz::AsText(bytes, size);
  auto page = mg::check::ReadPage(input, "fuzz input");
  if (!page.ok()) {
    Check(page.error().code == mg::ErrorCode::kInvalidArgument,
          "a page error is not kInvalidArgument");
    Check(!page.error().message.empty(), "a page error without a message");
    return 0;
  }
  Check(page->source_begin.size() == page->text.size() &&
            page->source_end.size() == page->text.size(),
        "the map back to the input is not one entry per byte of text");
  for (size_t i = 0; i < page->text.size(); ++i) {
    Check(page->source_begin[i] <= page->source_end[i] && page->source_end[i] <= size,
          "a text byte maps outside the input");
  }
  Check(mg::IsValidUtf8(page->text), "the page's text is not valid UTF-8");
  const mg::check::CheckResult result = checker.Check(*page);
  Check(result.claims.size() <= result.sentences, "more claims than sentences");
  size_t previous_end = 0;
  for (const mg::check::Claim& claim : result.claims) {
    Check(claim.start < claim.end && claim.end <= size, "a claim's offsets lie outside the input");
    Check(claim.start >= previous_end, "claims overlap or are out of order");
    previous_end = claim.end;
    Check(!claim.text.empty() && mg::IsValidUtf8(claim.text),
          "a claim's text is empty or not UTF-8");
    Check(!claim.explanation.empty(), "a claim without an explanation");
    Check(!claim.rules.empty(), "a claim that names no rule");
  }
  const std::string json = mg::check::ToJson(result).dump();  // Throws on invalid UTF-8.
  Check(!json.empty(), "empty JSON");
  Check(mg::IsValidUtf8(mg::check::RenderText(result, *page)), "the text rendering is not UTF-8");
  return 0;
}
