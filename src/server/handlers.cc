#include "server/handlers.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "chem/compounds.h"
#include "chem/compounds_json.h"
#include "chem/units.h"
#include "core/data_files.h"
#include "core/numbers.h"
#include "dri/dri.h"
#include "dri/dri_json.h"
#include "foods/foods_json.h"
#include "kb/explain.h"
#include "plan/profile.h"
#include "plan/render.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxSearchLimit = 100;

}  // namespace

Result<std::unique_ptr<ApiState>> ApiState::Load(const ServerOptions& options) {
  auto state = std::make_unique<ApiState>();
  auto context = plan::PlanContext::Load(options.kb_dir);
  if (!context.ok()) return context.error();
  state->context = std::move(*context);
  auto checker = check::Checker::Load(state->context->kb, state->context->references,
                                      state->context->compounds, std::nullopt);
  if (!checker.ok()) return checker.error();
  state->checker = std::make_unique<check::Checker>(std::move(*checker));
  auto db = foods::LoadFoods(options.foods_store);
  if (!db.ok()) return db.error();
  state->foods = std::make_unique<foods::FoodDb>(std::move(*db));
  auto search = foods::FoodSearch::Build(*state->foods);
  if (!search.ok()) return search.error();
  state->search = std::make_unique<foods::FoodSearch>(std::move(*search));
  // The intake analysis also needs compounds and exclusions: the plan context has them.
  auto units = foods::UnitTable::LoadEmbedded();
  if (!units.ok()) return units.error();
  state->units = std::move(*units);
  auto openapi = LoadEmbeddedFile("server/openapi.json");
  if (!openapi.ok()) return openapi.error();
  state->openapi = std::move(openapi->content);
  auto outcomes = trial::LoadOutcomes();
  if (!outcomes.ok()) return outcomes.error();
  state->outcomes = std::move(*outcomes);
  state->multi_user = options.database != nullptr;
  return state;
}

ApiResponse ErrorResponse(const Error& error) {
  const json body = {{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}};
  return {HttpStatusFor(error.code), Serialise(body)};
}

Result<ApiResponse> HandleHealth(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  return JsonResponse({{"status", "ok"},
                       {"mode", state.multi_user ? "multi" : "local"},
                       {"compounds", state.context->compounds.compounds().size()},
                       {"foods", state.foods->origin()}});
}

Result<ApiResponse> HandleCompounds(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  json out = json::array();
  for (const auto& c : state.context->compounds.compounds()) out.push_back(chem::CompoundToJson(c));
  return JsonResponse(out);
}

Result<ApiResponse> HandleElemental(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"compound", "amount", "elemental"}, "body"));
  auto compound_name = OptionalString(*body, "compound");
  if (!compound_name.ok()) return compound_name.error();
  auto amount_text = OptionalString(*body, "amount");
  if (!amount_text.ok()) return amount_text.error();
  auto elemental_text = OptionalString(*body, "elemental");
  if (!elemental_text.ok()) return elemental_text.error();
  if (!*compound_name) return InvalidArgument("compound: required, e.g. \"magnesium citrate\"");
  if (amount_text->has_value() == elemental_text->has_value()) {
    return InvalidArgument(
        "give either amount (the compound mass, e.g. \"1g\") or elemental (the magnesium "
        "wanted, e.g. \"200mg\"), not both or neither");
  }
  auto found = state.context->compounds.Resolve(**compound_name);
  if (!found.ok()) return Error{found.error().code, "compound: " + found.error().message};
  const chem::Compound& c = **found;
  double compound_mg = 0;
  double elemental_mg = 0;
  if (*elemental_text) {
    auto amount = chem::ParseAmount(**elemental_text);
    if (!amount.ok()) return InvalidArgument("elemental: " + amount.error().message);
    elemental_mg = chem::MagnesiumMilligrams(*amount);
    compound_mg = chem::CompoundForElemental(c, elemental_mg);
  } else {
    auto amount = chem::ParseAmount(**amount_text);
    if (!amount.ok()) return InvalidArgument("amount: " + amount.error().message);
    if (!chem::IsMassUnit(amount->unit)) {
      return InvalidArgument(fmt::format(
          "amount: '{}' is not a mass; a compound amount is weighed (mg, g, mcg). mmol and mEq "
          "count magnesium itself: use elemental",
          **amount_text));
    }
    compound_mg = chem::MassMilligrams(*amount);
    elemental_mg = chem::ElementalFromCompound(c, compound_mg);
  }
  return JsonResponse({{"compound", chem::CompoundToJson(c)},
                       {"compound_mg", compound_mg},
                       {"elemental_mg", elemental_mg},
                       {"elemental_mmol", chem::MagnesiumMgToMmol(elemental_mg)},
                       {"elemental_meq", chem::MagnesiumMgToMeq(elemental_mg)}});
}

Result<ApiResponse> HandleDri(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(
      RejectUnknownParameters(request, {"age", "sex", "pregnant", "lactating", "reference"}));
  const auto age_text = Parameter(request, "age");
  const auto sex_text = Parameter(request, "sex");
  if (!age_text) return InvalidArgument("age: required, e.g. age=34 or age=8mo");
  if (!sex_text) return InvalidArgument("sex: required, male or female");
  auto reference = dri::ParseReference(Parameter(request, "reference").value_or("us"));
  if (!reference.ok()) return InvalidArgument("reference: " + reference.error().message);
  auto age = dri::ParseAgeMonths(*age_text);
  if (!age.ok()) return InvalidArgument("age: " + age.error().message);
  auto sex = dri::ParseSex(*sex_text);
  if (!sex.ok()) return InvalidArgument("sex: " + sex.error().message);
  auto pregnant = BoolParameter(request, "pregnant");
  if (!pregnant.ok()) return pregnant.error();
  auto lactating = BoolParameter(request, "lactating");
  if (!lactating.ok()) return lactating.error();
  if (*pregnant && *lactating) return InvalidArgument("pregnant and lactating: give at most one");
  const auto reproductive = *pregnant    ? dri::ReproductiveState::kPregnant
                            : *lactating ? dri::ReproductiveState::kLactating
                                         : dri::ReproductiveState::kNone;
  auto person = dri::MakePerson(*age, *sex, reproductive);
  if (!person.ok()) return person.error();
  auto values = state.context->references.Lookup(*reference, *person);
  if (!values.ok()) return values.error();
  return JsonResponse(dri::ValuesToJson(*values));
}

Result<ApiResponse> HandlePlan(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"format"}));
  auto format = plan::ParseFormat(Parameter(request, "format").value_or("json"));
  if (!format.ok()) return InvalidArgument("format: " + format.error().message);
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  plan::ProfileDocument document;
  document.tree = std::move(*body);
  document.source_name = "request body";
  auto profile = plan::ResolveProfile(document, *state.context);
  if (!profile.ok()) return profile.error();
  const plan::Plan plan = plan::BuildPlan(*profile, *state.context);
  ApiResponse response{200, plan::RenderPlan(plan, *state.context, *format)};
  if (*format == plan::Format::kText) response.content_type = "text/plain; charset=utf-8";
  if (*format == plan::Format::kMarkdown) response.content_type = "text/markdown; charset=utf-8";
  return response;
}

Result<ApiResponse> HandleFoodSearch(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"q", "limit"}));
  const auto query = Parameter(request, "q");
  if (!query || query->empty()) return InvalidArgument("q: required, the food to look for");
  size_t limit = 10;
  if (const auto limit_text = Parameter(request, "limit")) {
    const auto parsed = ParseFiniteNumber(*limit_text);
    if (!parsed || *parsed < 1 || *parsed > static_cast<double>(kMaxSearchLimit) ||
        *parsed != static_cast<double>(static_cast<size_t>(*parsed))) {
      return InvalidArgument(fmt::format("limit: '{}' is not a whole number from 1 to {}",
                                         *limit_text, kMaxSearchLimit));
    }
    limit = static_cast<size_t>(*parsed);
  }
  json results = json::array();
  for (const auto& hit : state.search->Search(*query, limit)) {
    json item = foods::FoodToJson((*state.foods)[hit.food]);
    item["score"] = hit.score;
    item["words_matched"] = hit.words_matched;
    item["words_total"] = hit.words_total;
    results.push_back(std::move(item));
  }
  return JsonResponse(
      {{"query", *query}, {"foods", state.foods->origin()}, {"results", std::move(results)}});
}

Result<ApiResponse> HandleExplain(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto target = kb::ResolveEntity(state.context->kb, request.path_argument);
  if (!target.ok()) return target.error();
  return JsonResponse(kb::ExplanationJson(state.context->kb, *target));
}

Result<ApiResponse> HandleOpenApi(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  return ApiResponse{200, state.openapi};
}

namespace {

const char* ContentTypeFor(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".json") || path.ends_with(".webmanifest")) return "application/json";
  if (path.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

}  // namespace

Result<ApiResponse> HandleWebAsset(const ApiState&, const ApiRequest& request) {
  // The route patterns admit only [A-Za-z0-9._-] names, so no path can climb out of data/web.
  const std::string name = request.path_argument.empty() ? "index.html" : request.path_argument;
  auto file = LoadEmbeddedFile("web/" + name);
  if (!file.ok()) return NotFound(fmt::format("no page asset '{}'", name));
  return ApiResponse{200, std::move(file->content), ContentTypeFor(name)};
}

}  // namespace mg::server
