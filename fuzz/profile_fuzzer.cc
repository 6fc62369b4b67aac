// Profiles as `mgadvisor plan --profile FILE` reads them: TOML, or JSON when the text starts with
// '{'. Whatever parses and resolves is planned and rendered, and the plan must keep the safety
// rules that hold for every profile: supplemental magnesium (existing + planned) never above the
// upper limit, none where no limit is established, and a referral for every red flag.
#include <memory>
#include <string>

#include "fuzz/fuzz_util.h"
#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/render.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mg;
  static const std::unique_ptr<plan::PlanContext> context =
      fuzz::Loaded(plan::PlanContext::Load(std::nullopt));
  const std::string text(fuzz::AsText(data, size));
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && text[first] == '{';
  auto document = plan::ParseProfileText(text, json ? "fuzz.json" : "fuzz.toml");
  if (!document.ok()) return 0;
  auto profile = plan::ResolveProfile(*document, *context);
  if (!profile.ok()) return 0;

  const plan::Plan plan = plan::BuildPlan(*profile, *context);
  const plan::Totals& totals = plan.totals;
  if (plan.supplement) {
    fuzz::Check(totals.ul_supplemental_mg.has_value(), "a supplement where no UL is established");
    fuzz::Check(totals.existing_supplemental_mg + totals.planned_supplemental_mg <=
                    *totals.ul_supplemental_mg + 1e-9,
                "supplemental magnesium above the upper limit");
  }
  fuzz::Check(profile->red_flag_ids.empty() || !plan.referrals.empty(),
              "a red flag without a referral");
  for (const auto format : {plan::Format::kJson, plan::Format::kText, plan::Format::kMarkdown}) {
    fuzz::Check(!plan::RenderPlan(plan, *context, format).empty(), "an empty rendering");
  }
  return 0;
}
