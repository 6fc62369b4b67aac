// Readable pages and JSON for knowledge-base entities: `mgadvisor explain <id-or-name>` and
// `mgadvisor kb list`. Pure functions of a loaded KnowledgeBase; no I/O.
//
// Example:
//   auto target = mg::kb::ResolveEntity(kb, "RLS");        // -> condition restless_legs_syndrome
//   if (target.ok()) std::cout << mg::kb::RenderExplanation(kb, *target);
#ifndef MGADVISOR_KB_EXPLAIN_H_
#define MGADVISOR_KB_EXPLAIN_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json_writer.h"
#include "kb/kb.h"

namespace mg::kb {

enum class EntityKind {
  kCondition,
  kForm,
  kDiagnosis,
  kInteraction,
  kMechanism,
  kRedFlag,
  kMeasure,
  kFinding,
  kSideEffect,
  kContraindication,
  kCitation,
};

std::string_view ToString(EntityKind kind);  // "condition", "red_flag", ...

struct EntityRef {
  EntityKind kind;
  std::string id;
};

// Finds what a person means: conditions first (by id, name or alias), then forms ("Epsom
// salt"), diagnoses, medicines (-> their interaction class), mechanisms, red flags, measures,
// findings, side effects, contraindications and citations.
// Errors: kNotFound naming close matches ("did you mean ...").
Result<EntityRef> ResolveEntity(const KnowledgeBase& kb, std::string_view query);

// A readable page: for a condition, the bottom line, every finding (verdict, certainty, dose
// studied, citations), mechanisms, complementary measures with grades, red flags, cautions and
// sources. REQUIRES: `ref` resolves in `kb`.
std::string RenderExplanation(const KnowledgeBase& kb, const EntityRef& ref);
nlohmann::json ExplanationJson(const KnowledgeBase& kb, const EntityRef& ref);

// The list kinds accepted by `kb list`, in display order.
const std::vector<std::string>& ListKinds();  // "conditions", "forms", ...
// One line per entity ("id  name  [verdict]"); JSON: an array of full entities.
// Errors: kInvalidArgument for an unknown kind.
Result<std::string> RenderList(const KnowledgeBase& kb, std::string_view kind);
Result<nlohmann::json> ListJson(const KnowledgeBase& kb, std::string_view kind);

// JSON for single entities (used by the CLI and, later, the server).
nlohmann::json ToJson(const Citation& c);
// The same document written as text (a plan's sources: on every plan request, issue 20).
void WriteJson(const Citation& c, JsonWriter& w);
nlohmann::json ToJson(const Condition& c);
nlohmann::json ToJson(const Finding& f);
nlohmann::json ToJson(const Form& f);
nlohmann::json ToJson(const Interaction& i);
nlohmann::json ToJson(const Contraindication& c);
nlohmann::json ToJson(const Diagnosis& d);
nlohmann::json ToJson(const RedFlag& r);
nlohmann::json ToJson(const Measure& m);
nlohmann::json ToJson(const SideEffect& s);
nlohmann::json ToJson(const Mechanism& m);

}  // namespace mg::kb

#endif  // MGADVISOR_KB_EXPLAIN_H_
