// Which condition a complaint stands for in pregnancy: BuildPlan routes it there, and
// NoteFieldsWithoutEffect predicts that routing, so the rule is written once.
#ifndef MGADVISOR_PLAN_PREGNANCY_ROUTE_H_
#define MGADVISOR_PLAN_PREGNANCY_ROUTE_H_

#include <string>
#include <string_view>

#include "kb/kb.h"

namespace mg::plan {

// The condition id `condition_id` is routed to in pregnancy (its `in_pregnancy`), or nullptr when
// the person is not pregnant or the condition has no pregnancy form.
inline const std::string* PregnancyRoute(const kb::KnowledgeBase& kb, std::string_view condition_id,
                                         bool pregnant) {
  if (!pregnant) return nullptr;
  const kb::Condition* condition = kb.FindCondition(condition_id);
  if (condition == nullptr || condition->in_pregnancy.empty()) return nullptr;
  return &condition->in_pregnancy;
}

}  // namespace mg::plan

#endif  // MGADVISOR_PLAN_PREGNANCY_ROUTE_H_
