// The public routes: health, compounds, elemental, DRI, plan, food search, explain, the
// knowledge-base lists, food-diary analysis, OpenAPI and the web page. Each reads its query or
// body strictly (unknown parameters and fields, wrong types are 400s naming them), calls one
// operation of src/ops (the CLI calls the same) and serialises its result.
#include "server/handlers.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "chem/compounds_json.h"
#include "core/data_files.h"
#include "core/json_input.h"
#include "core/numbers.h"
#include "journal/sqlite_store.h"
#include "kb/explain.h"
#include "ops/check.h"
#include "ops/chem.h"
#include "ops/foods.h"
#include "ops/person.h"
#include "ops/plan.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxSearchLimit = 100;

// The person of a JSON body: "age" (years as a number, or a string like "8mo"), "sex", optional
// "pregnant"/"lactating" booleans and "reference" ("us" or "eu"); types are checked here, values
// by the operation, as for every door.
Result<dri::PersonFields> PersonFromBody(const json& body) {
  dri::PersonFields fields;
  if (const auto age = body.find("age"); age != body.end() && !age->is_null()) {
    if (age->is_number()) {
      fields.age_years = age->get<double>();
    } else if (age->is_string()) {
      fields.age = age->get<std::string>();
    } else {
      return InvalidArgument(fmt::format(
          "age: expected years (e.g. 45) or a string like \"8mo\", got {}", age->dump()));
    }
  }
  auto sex = OptionalString(body, "sex");
  if (!sex.ok()) return sex.error();
  fields.sex = *sex;
  auto reference = OptionalString(body, "reference");
  if (!reference.ok()) return reference.error();
  fields.reference = *reference;
  for (auto [name, out] :
       {std::pair{"pregnant", &fields.pregnant}, std::pair{"lactating", &fields.lactating}}) {
    if (!body.contains(name)) continue;
    if (!body[name].is_boolean()) {
      return InvalidArgument(
          fmt::format("{}: expected true or false, got {}", name, DescribeJson(body[name])));
    }
    *out = body[name].get<bool>();
  }
  return fields;
}

// The plan context, which every public route but health and the page reads.
Result<const plan::PlanContext*> Plan(const ApiState& state) { return state.context->plan(); }

}  // namespace

Result<std::unique_ptr<ApiState>> ApiState::Load(const ServerOptions& options) {
  auto state = std::make_unique<ApiState>();
  state->context = std::make_unique<ops::Context>(ops::ContextOptions{
      .kb_dir = options.kb_dir, .foods_store = options.foods_store, .prewrite_plan_json = true});
  // Everything now: a data error is reported when the server starts, not on some request.
  MG_RETURN_IF_ERROR(state->context->LoadAll());
  auto openapi = LoadEmbeddedFile("server/openapi.json");
  if (!openapi.ok()) return openapi.error();
  auto parsed = ParseJson(openapi->content, "data/server/openapi.json");
  if (!parsed.ok()) return parsed.error();
  state->openapi = std::move(*parsed);
  state->multi_user = options.database != nullptr;
  state->signup = SignupModeName(options.signup);
  state->database = options.database;
  return state;
}

ApiResponse ErrorResponse(const Error& error) {
  const json body = {{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}};
  return {HttpStatusFor(error.code), Serialise(body)};
}

Result<ApiResponse> HandleHealth(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"deep"}));
  bool deep = false;
  if (const auto it = request.query.find("deep"); it != request.query.end()) {
    if (it->second != "1" && it->second != "0") {
      return InvalidArgument("deep: expected 1 (also check the database) or 0");
    }
    deep = it->second == "1";
  }
  auto compounds = state.context->compounds();
  if (!compounds.ok()) return compounds.error();
  auto foods = state.context->foods();
  if (!foods.ok()) return foods.error();
  json out = {{"status", "ok"},
              {"mode", state.multi_user ? "multi" : "local"},
              {"compounds", (*compounds)->compounds().size()},
              {"foods", (*foods)->db.origin()}};
  // The page shows the sign-up form, with an invitation field or none, from this.
  if (state.multi_user) out["signup"] = state.signup;
  if (deep) {
    // What a journal request does first: a round trip to PostgreSQL, or opening (and checking
    // the schema of) the SQLite journal. A failure is a 500 whose details go to the log.
    if (state.database) {
      MG_RETURN_IF_ERROR(state.database->Ping());
    } else {
      auto store = journal::OpenSqliteStore(state.journal_path, *request.clock);
      if (!store.ok()) return store.error();
    }
    out["database"] = "ok";
  }
  return JsonResponse(out);
}

Result<ApiResponse> HandleCompounds(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto compounds = state.context->compounds();
  if (!compounds.ok()) return compounds.error();
  json out = json::array();
  for (const auto& c : (*compounds)->compounds()) out.push_back(chem::CompoundToJson(c));
  return JsonResponse(out);
}

Result<ApiResponse> HandleElemental(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"compound", "amount", "elemental"}, "body"));
  auto compound = OptionalString(*body, "compound");
  if (!compound.ok()) return compound.error();
  if (!*compound) return InvalidArgument("compound: required, e.g. \"magnesium citrate\"");
  auto amount = OptionalString(*body, "amount");
  if (!amount.ok()) return amount.error();
  auto elemental = OptionalString(*body, "elemental");
  if (!elemental.ok()) return elemental.error();
  auto result = ops::Elemental(*state.context, {**compound, *amount, *elemental});
  if (!result.ok()) return result.error();
  return JsonResponse(result->ToJson());
}

Result<ApiResponse> HandleDri(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(
      RejectUnknownParameters(request, {"age", "sex", "pregnant", "lactating", "reference"}));
  dri::PersonFields fields;
  fields.age = Parameter(request, "age");
  fields.sex = Parameter(request, "sex");
  fields.reference = Parameter(request, "reference");
  auto pregnant = BoolParameter(request, "pregnant");
  if (!pregnant.ok()) return pregnant.error();
  fields.pregnant = *pregnant;
  auto lactating = BoolParameter(request, "lactating");
  if (!lactating.ok()) return lactating.error();
  fields.lactating = *lactating;
  auto values = ops::LookUpPerson(*state.context, fields);
  if (!values.ok()) return values.error();
  return JsonResponse(values->ToJson());
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
  auto context = Plan(state);
  if (!context.ok()) return context.error();
  auto result = ops::PlanForProfile(*state.context, std::move(document));
  if (!result.ok()) return result.error();
  // JSON too comes from Render: the plan's own writer, the bytes of `plan --json` (issue 20).
  ApiResponse response{200, result->Render(**context, *format)};
  if (*format == plan::Format::kText) response.content_type = "text/plain; charset=utf-8";
  if (*format == plan::Format::kMarkdown) response.content_type = "text/markdown; charset=utf-8";
  return response;
}

Result<ApiResponse> HandleFoodSearch(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {"q", "limit"}));
  const auto query = Parameter(request, "q");
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
  auto result = ops::SearchFoods(*state.context, query.value_or(""), limit);
  if (!result.ok()) return result.error();
  return ApiResponse{200, result->ToText() + "\n"};  // Written directly, no tree (issue 20).
}

Result<ApiResponse> HandleExplain(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto explained = ops::Explain(*state.context, request.path_argument);
  if (!explained.ok()) return explained.error();
  auto kb = state.context->kb();
  if (!kb.ok()) return kb.error();
  return JsonResponse(explained->ToJson(**kb));
}

Result<ApiResponse> HandleKbList(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto kb = state.context->kb();
  if (!kb.ok()) return kb.error();
  auto list = kb::ListJson(**kb, request.path_argument);
  // An unknown kind is a resource that does not exist; the message lists the kinds.
  if (!list.ok()) return NotFound("kind: " + list.error().message);
  return JsonResponse(*list);
}

Result<ApiResponse> HandleIntakeAnalyze(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  auto body = ParseObject(request.body);
  if (!body.ok()) return body.error();
  MG_RETURN_IF_ERROR(RejectUnknownFields(
      *body, {"diary", "age", "sex", "pregnant", "lactating", "reference", "exclude"}, "body"));
  auto text = OptionalString(*body, "diary");
  if (!text.ok()) return text.error();
  if (!*text) {
    return InvalidArgument(
        "diary: required, the diary's text: CSV date,food,amount,unit[,type,compound], JSON, or a "
        "Cronometer servings export");
  }
  auto person = PersonFromBody(*body);
  if (!person.ok()) return person.error();
  ops::DiaryRequest diary{**text, "diary", *person, {}};  // Bad lines are named diary:LINE.
  if (body->contains("exclude")) {
    const json& list = (*body)["exclude"];
    bool strings = list.is_array();
    for (const json& item : list) strings = strings && item.is_string();
    if (!strings) {
      return InvalidArgument(fmt::format(
          "exclude: expected an array of strings (e.g. [\"vegan\"]), got {}", DescribeJson(list)));
    }
    diary.exclude = list.get<std::vector<std::string>>();
  }
  auto result = ops::AnalyzeDiary(*state.context, diary);
  if (!result.ok()) return result.error();
  return JsonResponse(result->ToJson());
}

Result<ApiResponse> HandleOpenApi(const ApiState& state, const ApiRequest& request) {
  MG_RETURN_IF_ERROR(RejectUnknownParameters(request, {}));
  // The address the client used, not a fixed port: the server may run on any port, behind a
  // proxy, or under another name, and a client generated from the document must reach it.
  nlohmann::json document = state.openapi;
  document["servers"] = {{{"url", request.origin}, {"description", "This server"}}};
  return JsonResponse(document);
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
  std::string name = request.path_argument.empty() ? "index.html" : request.path_argument;
  if (name.find('.') == std::string::npos) name += ".html";  // GET /pair: pair.html.
  auto file = LoadEmbeddedFile("web/" + name);
  if (!file.ok()) return NotFound(fmt::format("no page asset '{}'", name));
  return ApiResponse{200, std::move(file->content), ContentTypeFor(name)};
}

}  // namespace mg::server
