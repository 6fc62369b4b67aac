#include "ops/plan.h"

#include "core/json_input.h"

namespace mg::ops {

using nlohmann::json;

std::string PlanResult::Render(const plan::PlanContext& context, plan::Format format) const {
  return plan::RenderPlan(plan, context, format);
}

json PlanResult::ToJson(const plan::PlanContext& context) const {
  return plan::PlanToJson(plan, context);
}

Result<PlanResult> PlanForProfile(const Context& context, plan::ProfileDocument document,
                                  const std::optional<std::string>& reference) {
  auto loaded = context.plan();
  if (!loaded.ok()) return loaded.error();
  if (reference && document.tree.is_object() && !document.tree.contains("reference")) {
    document.tree["reference"] = *reference;
  }
  auto profile = plan::ResolveProfile(document, **loaded);
  if (!profile.ok()) return profile.error();
  PlanResult out{std::move(profile).value(), {}};
  out.plan = plan::BuildPlan(out.profile, **loaded);
  plan::NoteFieldsWithoutEffect(out.profile, **loaded, out.plan);
  return out;
}

Result<std::optional<json>> StoredProfile(journal::Store& store) {
  auto text = store.Profile();
  if (!text.ok()) return text.error();
  if (!text->has_value()) return std::optional<json>();
  // Depth-limited like every JSON read: the text may have come from an import.
  auto document = ParseJson(**text, "stored profile");
  if (!document.ok()) return DataError(document.error().message);
  return std::optional<json>(std::move(*document));
}

Result<PlanResult> PlanForStoredProfile(const Context& context, journal::Store& store,
                                        const std::optional<json>& product) {
  auto stored = StoredProfile(store);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) {
    return InvalidArgument(
        "profile: none stored; store one first (`mgadvisor profile set FILE`, or PUT "
        "/api/profile)");
  }
  plan::ProfileDocument document;
  document.tree = std::move(**stored);
  document.source_name = "stored profile";
  // A product given now is the person's word for this plan, so its problems are theirs to fix
  // here, not the stored profile's.
  if (product) document.tree["product"] = *product;
  auto result = PlanForProfile(context, std::move(document));
  if (!result.ok() && result.error().code == ErrorCode::kInvalidArgument && !product) {
    return Error{ErrorCode::kConflict,
                 result.error().message +
                     "\n(the stored profile: update it with `mgadvisor profile set FILE` or PUT "
                     "/api/profile)"};
  }
  return result;
}

Result<json> SetProfile(const Context& context, journal::Store& store,
                        const plan::ProfileDocument& document) {
  auto checked = PlanForProfile(context, document);
  if (!checked.ok()) return checked.error();
  MG_RETURN_IF_ERROR(store.SetProfile(document.tree.dump()));
  return document.tree;
}

}  // namespace mg::ops
