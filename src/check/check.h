// The claim checker: what does the evidence say about what I just read?
//
// A page of marketing, news or a fact sheet goes in (plain text, Markdown or HTML); out comes
// each sentence that makes a health claim about magnesium, graded against the knowledge base
// (src/kb) and the reference intakes (src/dri):
//
//   auto page = mg::check::ReadPage(bytes, "page.html");            // strict: UTF-8, size, text
//   if (!page.ok()) return page.error();                            // kInvalidArgument
//   auto checker = mg::check::Checker::Load(kb, tables, compounds, std::nullopt);  // data/check
//   mg::check::CheckResult result = checker->Check(*page);
//   for (const auto& claim : result.claims) ...                     // verdict, rule, KB entries
//
// Every verdict is deterministic and explainable: it names the knowledge-base entries it used
// (`evidence`), their sources (`citations`) and the checker rules that fired (`rules`, defined in
// data/check/rules.toml). The vocabulary the rules read (claim cues, strength words,
// organisations and their stated positions, journals, quantity facts) is data under data/check/,
// read strictly with core/data_reader.h; the code holds only how they combine. docs/CHECK.md
// explains the rules and their limits.
//
// ReadPage, Checker::Check and the renderers are pure functions of their inputs; a loaded Checker
// is immutable and safe to share between threads. The Checker keeps pointers into the
// KnowledgeBase and CompoundCatalog it was loaded with, which must outlive it.
#ifndef MGADVISOR_CHECK_CHECK_H_
#define MGADVISOR_CHECK_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chem/compounds.h"
#include "core/enum_names.h"
#include "core/error.h"
#include "dri/dri.h"
#include "kb/kb.h"

namespace mg::check {

// The largest page ReadPage accepts: a long article is ~100 KB of HTML; 2 MiB leaves room for
// markup while bounding the work one request can ask for.
inline constexpr size_t kMaxPageBytes = 2 * 1024 * 1024;

enum class Verdict {
  kSupported,         // The knowledge base supports the claim at the strength it is made.
  kOverstated,        // Some support, but the claim is stronger than the evidence.
  kContradicted,      // The evidence, a stated position or a recorded fact says otherwise.
  kUnsupported,       // Nothing in the knowledge base supports it (not studied, no position).
  kUnverifiedSource,  // Cites a study, journal, year or authority that matches no known source.
  kNotAssessed,       // A health claim on a topic the knowledge base does not cover.
};

enum class ClaimType {
  kEfficacy,     // Condition x route x direction, with strength words.
  kAbsorption,   // Forms and routes: transdermal, "superior absorption", bioavailability ranks.
  kMechanism,    // The knowledge base's correct and wrong mechanisms.
  kDose,         // Against the supplemental upper limit, the RDA and the studied doses.
  kSafety,       // "No side effects", "safe for everyone".
  kAuthority,    // "X recommends", "guideline", "approved by".
  kAttribution,  // A named journal, year, study or institution.
  kQuantity,     // "Involved in 300+ ...", "only 20-50 % absorbed".
};

inline constexpr EnumName<Verdict> kVerdictNames[] = {
    {"supported", Verdict::kSupported},
    {"overstated", Verdict::kOverstated},
    {"contradicted", Verdict::kContradicted},
    {"unsupported", Verdict::kUnsupported},
    {"unverified_source", Verdict::kUnverifiedSource},
    {"not_assessed", Verdict::kNotAssessed},
};
inline constexpr EnumName<ClaimType> kClaimTypeNames[] = {
    {"efficacy", ClaimType::kEfficacy},       {"absorption", ClaimType::kAbsorption},
    {"mechanism", ClaimType::kMechanism},     {"dose", ClaimType::kDose},
    {"safety", ClaimType::kSafety},           {"authority", ClaimType::kAuthority},
    {"attribution", ClaimType::kAttribution}, {"quantity", ClaimType::kQuantity},
};
std::string_view ToString(Verdict v);
std::string_view ToString(ClaimType t);
// A verdict that asks the reader to doubt the sentence (overstated, contradicted, unsupported,
// unverified_source). Supported and not_assessed are not flags.
bool IsFlag(Verdict v);

enum class PageFormat { kText, kHtml };

// The text a page shows a reader, with a map back to the input bytes.
struct Page {
  PageFormat format = PageFormat::kText;
  std::string text;  // Visible text: HTML tags, scripts, styles and navigation removed, entities
                     // decoded, block elements turned into line breaks. For plain text and
                     // Markdown, the input itself.
  // For each byte of `text`, the input byte range it came from. Size text.size().
  std::vector<uint32_t> source_begin;
  std::vector<uint32_t> source_end;
};

// Reads `bytes` (named `source` in messages) as a page to check. Errors (kInvalidArgument):
// empty or only whitespace; larger than `max_bytes`; binary (NUL or control bytes); not UTF-8
// (with line:column and byte offset, core/utf8.h); an HTML page with no visible text.
Result<Page> ReadPage(std::string_view bytes, std::string_view source,
                      size_t max_bytes = kMaxPageBytes);

// A span of `Page::text` that reads as one sentence (byte offsets into the text).
struct Sentence {
  size_t begin = 0;
  size_t end = 0;
};
// Sentences of a page's text: split at . ! ? before a capital, digit or quote (not after the
// abbreviations in data/check/language.toml), at blank lines, HTML block ends, headings and list
// items. Exposed for tests and the benchmark.
std::vector<Sentence> SplitSentences(std::string_view text,
                                     const std::vector<std::string>& abbreviations);

struct Claim {
  std::string text;  // The sentence as the page shows it.
  size_t start = 0;  // Byte offsets of the sentence in the input (HTML: in the markup).
  size_t end = 0;
  Verdict verdict = Verdict::kNotAssessed;
  ClaimType claim_type = ClaimType::kEfficacy;
  std::string topic;        // The condition, form, mechanism... id it is about.
  std::string explanation;  // Why, in words, naming the evidence.
  std::vector<std::string>
      evidence;  // "finding:migraine_oral", "mechanism:...", "organisation:..."
  std::vector<std::string> citations;  // Knowledge-base citation ids behind the evidence.
  std::vector<std::string> rules;      // Checker rule ids that fired (data/check/rules.toml).
};

struct CheckResult {
  PageFormat format = PageFormat::kText;
  size_t sentences = 0;  // Sentences read, claims or not.
  std::vector<Claim> claims;
};

struct CheckData;  // data/check/*.toml as loaded (check_data.h).

class Checker {
 public:
  // Loads data/check/*.toml (embedded, or the .toml files in `dir`) strictly and cross-checks
  // every reference against `kb`. Errors: kDataError listing every problem as file:line.
  static Result<Checker> Load(const kb::KnowledgeBase& kb, const dri::ReferenceTables& tables,
                              const chem::CompoundCatalog& compounds,
                              const std::optional<std::string>& dir);
  // The same from files already in memory (tests).
  static Result<Checker> FromFiles(const kb::KnowledgeBase& kb, const dri::ReferenceTables& tables,
                                   const chem::CompoundCatalog& compounds,
                                   const std::vector<DataFile>& files);

  // The checker of the built-in data/check, decoded from the snapshot the data compiler wrote
  // and checked (core/precompiled.h), for the built-in `kb` and `compounds` (those of
  // LoadKnowledgeBase(nullopt) and CompoundCatalog::Load(): the snapshot keeps positions in
  // them). nullopt when no snapshot is installed: then Load().
  static std::optional<Checker> BuiltIn(const kb::KnowledgeBase& kb,
                                        const chem::CompoundCatalog& compounds);
  // The loaded data in the binary form of core/archive.h, and back against the same `kb` and
  // `compounds` (nullopt for damaged bytes, or bytes written against a base of other sizes).
  std::string Encode() const;
  static std::optional<Checker> Decode(std::string_view bytes, const kb::KnowledgeBase& kb,
                                       const chem::CompoundCatalog& compounds);
  // The same data (what the data compiler checks of Decode(Encode())).
  bool operator==(const Checker& other) const;

  Checker(Checker&&) noexcept;
  Checker& operator=(Checker&&) noexcept;
  ~Checker();

  CheckResult Check(const Page& page) const;
  // One sentence given as text (`explain "..."`): the claim, or nullopt when it makes none.
  std::optional<Claim> CheckSentence(std::string_view sentence) const;

  const std::vector<std::string>& abbreviations() const;

 private:
  explicit Checker(std::unique_ptr<const CheckData> data);
  CheckResult CheckPage(const Page& page, bool about_magnesium) const;
  std::unique_ptr<const CheckData> data_;
};

// Every problem in data/check files (empty when clean), for a lint hook and tests.
std::vector<std::string> LintCheckData(const kb::KnowledgeBase& kb,
                                       const dri::ReferenceTables& tables,
                                       const chem::CompoundCatalog& compounds,
                                       const std::vector<DataFile>& files);

// {"claims": [{text, start, end, verdict, claim_type, topic, explanation, evidence, citations,
// rules}], "summary": {"sentences", "claims", "flagged", "by_verdict": {...}}}
nlohmann::json ToJson(const CheckResult& result);
nlohmann::json ToJson(const Claim& claim);
// The page's text with each claim marked [n: VERDICT] ... and explained below it, then a summary.
// `input` is what ReadPage was given.
std::string RenderText(const CheckResult& result, const Page& page);

}  // namespace mg::check

#endif  // MGADVISOR_CHECK_CHECK_H_
