#include "server/server.h"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string_view>

#include "journal/sqlite_store.h"
#include "server/accounts_api.h"
#include "server/handlers.h"
#include "server/lan_pairing.h"
#include "server/observability.h"
#include "server/read_only_journal.h"
#include "server/request_json.h"

namespace mg::server {
namespace {

// The route table: the one list of what the server answers. `pattern` is the decoded path, or,
// when the path has a {placeholder}, a regex whose one group captures it; `info.path` is the
// OpenAPI template, kept equal to data/server/openapi.json by server_test.
// Account routes have no Handler: AccountsApi answers them (they read and set cookies).
struct Route {
  RouteInfo info;
  std::string pattern;
  Handler handler;
};

const std::vector<Route>& RouteTable() {
  using enum Access;
  static const std::vector<Route> routes = {
      {{"GET", "/api/health"}, "/api/health", HandleHealth},
      {{"GET", "/api/compounds"}, "/api/compounds", HandleCompounds},
      {{"POST", "/api/elemental"}, "/api/elemental", HandleElemental},
      {{"GET", "/api/dri"}, "/api/dri", HandleDri},
      {{"POST", "/api/plan"}, "/api/plan", HandlePlan},
      {{"GET", "/api/foods/search"}, "/api/foods/search", HandleFoodSearch},
      {{"GET", "/api/explain/{query}"}, "/api/explain/(.+)", HandleExplain},
      {{"GET", "/api/kb/{kind}"}, "/api/kb/([a-z_-]+)", HandleKbList},
      {{"POST", "/api/check"}, "/api/check", HandleCheck},
      {{"POST", "/api/label"}, "/api/label", HandleLabel},
      {{"GET", "/api/openapi.json"}, "/api/openapi.json", HandleOpenApi},
      {{"GET", "/api/profile", kJournal}, "/api/profile", HandleGetProfile},
      {{"PUT", "/api/profile", kJournal}, "/api/profile", HandlePutProfile},
      {{"GET", "/api/journal/entries", kJournal}, "/api/journal/entries", HandleListEntries},
      {{"POST", "/api/journal/entries", kJournal}, "/api/journal/entries", HandleAddEntry},
      {{"DELETE", "/api/journal/entries/{id}", kJournal},
       "/api/journal/entries/([^/]+)",
       HandleDeleteEntry},
      {{"PATCH", "/api/journal/entries/{id}", kJournal},
       "/api/journal/entries/([^/]+)",
       HandleEditEntry},
      {{"POST", "/api/journal/undo", kJournal}, "/api/journal/undo", HandleUndo},
      {{"POST", "/api/journal/foods", kJournal}, "/api/journal/foods", HandleLogFood},
      {{"POST", "/api/journal/taken", kJournal}, "/api/journal/taken", HandleLogTaken},
      {{"GET", "/api/journal/foods", kJournal}, "/api/journal/foods", HandleDayFoods},
      {{"GET", "/api/intake", kJournal}, "/api/intake", HandleIntake},
      {{"POST", "/api/intake/analyze"}, "/api/intake/analyze", HandleIntakeAnalyze},
      {{"GET", "/api/journal/export", kJournal}, "/api/journal/export", HandleExport},
      {{"POST", "/api/journal/import", kJournal}, "/api/journal/import", HandleImport},
      {{"POST", "/api/trials", kJournal}, "/api/trials", HandleCreateTrial},
      {{"GET", "/api/trials/current", kJournal}, "/api/trials/current", HandleCurrentTrial},
      {{"POST", "/api/trials/current/end", kJournal}, "/api/trials/current/end", HandleEndTrial},
      {{"POST", "/api/trials/current/secondary", kJournal},
       "/api/trials/current/secondary",
       HandleAddTrialSecondary},
      {{"POST", "/api/journal/diary", kJournal}, "/api/journal/diary", HandleImportDiary},
      {{"POST", "/api/trials/current/dose", kJournal}, "/api/trials/current/dose", HandleTrialDose},
      {{"POST", "/api/trials/current/unblind", kJournal},
       "/api/trials/current/unblind",
       HandleUnblindTrial},
      {{"GET", "/api/trials/current/protocol", kJournal},
       "/api/trials/current/protocol",
       HandleTrialProtocol},
      {{"GET", "/api/trials/current/report", kJournal},
       "/api/trials/current/report",
       HandleTrialReport},
      {{"GET", "/api/calendar.ics", kJournal, /*secret_url=*/true},
       "/api/calendar.ics",
       HandleCalendar},
      {{"GET", "/api/summary", kJournal}, "/api/summary", HandleSummary},
      {{"GET", "/api/session", kAccount}, "/api/session", nullptr},
      {{"POST", "/api/session", kAccount}, "/api/session", nullptr},
      {{"DELETE", "/api/session", kAccount}, "/api/session", nullptr},
      {{"POST", "/api/account", kAccount}, "/api/account", nullptr},
      {{"DELETE", "/api/account", kAccount}, "/api/account", nullptr},
      {{"POST", "/api/account/calendar", kAccount}, "/api/account/calendar", nullptr},
      {{"DELETE", "/api/account/calendar", kAccount}, "/api/account/calendar", nullptr},
      // serve --lan: the one page and route a device that has not paired yet may reach.
      {{"POST", "/api/pair", kPairing}, "/api/pair", nullptr},
      {{"GET", "/pair"}, "/(pair)", HandleWebAsset},
      {{"POST", "/api/account/password", kAccount}, "/api/account/password", nullptr},
      {{"PUT", "/api/account/password", kAccount}, "/api/account/password", nullptr},
      {{"GET", "/api/shares", kAccount}, "/api/shares", nullptr},
      {{"POST", "/api/shares", kAccount}, "/api/shares", nullptr},
      {{"DELETE", "/api/shares/{clinician}", kAccount}, "/api/shares/([^/]+)", nullptr},
      {{"GET", "/api/shared/{owner}/entries", kShared},
       "/api/shared/([^/]+)/entries",
       HandleListEntries},
      {{"GET", "/api/shared/{owner}/summary", kShared},
       "/api/shared/([^/]+)/summary",
       HandleSummary},
      {{"GET", "/api/shared/{owner}/trial-report", kShared},
       "/api/shared/([^/]+)/trial-report",
       HandleTrialReport},
      {{"GET", "/"}, "/", HandleWebAsset},
      {{"GET", "/assets/{file}"}, "/assets/([A-Za-z0-9._-]+)", HandleWebAsset},
      // At the root so that its scope is the whole page (a worker controls only its folder).
      {{"GET", "/sw.js"}, "/(sw\\.js)", HandleWebAsset},
  };
  return routes;
}

void Write(ApiResponse response, HttpResponse& out) {
  out.status = response.status;
  out.SetContent(std::move(response.body), response.content_type);  // A plan's is 16 KB.
}

// Failures found before any handler runs — by the transport (body too large, too slow, a bad
// encoding, too many connections) or by route matching — keep their HTTP status and are named in
// the same {"error": ...} shape. It is not a second code table: mg::ErrorCode values never pass
// through here.
const char* TransportErrorCode(int status) {
  switch (status) {
    case 404:
      return "not_found";
    case 408:
      return "request_timeout";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 431:
      return "headers_too_large";
    case 501:
      return "not_implemented";
    case 503:
      return "unavailable";
    default:
      return status < 500 ? "bad_request" : "internal";
  }
}

void RenderTransportError(int status, std::string_view message, HttpResponse& out) {
  const nlohmann::json body = {
      {"error", {{"code", TransportErrorCode(status)}, {"message", message}}}};
  out.status = status;
  out.SetContent(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                 "application/json");
}

// On every response. The page (data/web) loads its one script and one style sheet from this
// server, talks only to /api, and sets styles through the CSSOM, so nothing inline is allowed;
// no other site may frame it (clickjacking) or learn its URLs from a Referer.
HttpHeaders SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
}

// A route of the table with its path pattern compiled; literal paths are compared as strings.
struct CompiledRoute {
  const Route* route;
  std::optional<std::regex> pattern;  // Set when the path has a {placeholder}.
};

const std::vector<CompiledRoute>& CompiledRoutes() {
  static const std::vector<CompiledRoute> compiled = [] {
    std::vector<CompiledRoute> out;
    for (const auto& route : RouteTable()) {
      CompiledRoute entry{&route, std::nullopt};
      if (route.pattern.find('(') != std::string::npos) entry.pattern.emplace(route.pattern);
      out.push_back(std::move(entry));
    }
    return out;
  }();
  return compiled;
}

// Whether `path` is the route's, setting the {placeholder} when it has one.
bool PathMatches(const CompiledRoute& entry, const std::string& path, std::string& argument) {
  if (!entry.pattern) return path == entry.route->pattern;
  std::smatch match;
  if (!std::regex_match(path, match, *entry.pattern)) return false;
  argument = match[1].str();
  return true;
}

// The route of the request's method (GET's for HEAD) and path, setting its {placeholder}; null
// when there is none.
const Route* FindRoute(const HttpRequest& in, std::string& argument) {
  std::string_view method = in.method;
  if (method == "HEAD") method = "GET";
  for (const auto& entry : CompiledRoutes()) {
    if (entry.route->info.method == method && PathMatches(entry, in.path, argument)) {
      return entry.route;
    }
  }
  return nullptr;
}

// Public routes are pure functions of the state loaded at start and a body of at most 64 KiB:
// they never block, and most take microseconds, so they are answered on the I/O thread. Journal
// and account routes wait on SQLite, PostgreSQL or Argon2id, and go to the worker pool.
// So is /metrics; a deep health check (it asks the database) is not.
bool RunsInline(const HttpRequest& in) {
  if (in.path == "/api/health" && in.query.contains("deep")) return false;
  std::string ignored;
  const Route* route = FindRoute(in, ignored);
  return route == nullptr || route->info.access == Access::kPublic;
}

constexpr const char* kDeviceCookie = "mg_device";
// A paired device stays paired while the server runs (lan_pairing.h); the cookie may outlive it.
constexpr int kDeviceCookieSeconds = 400 * 24 * 3600;

bool IsLoopbackPeer(const std::string& address) {
  return address.starts_with("127.") || address == "::1";
}

// What a device that has not paired may fetch: the pairing page, what it loads, and the pairing
// route itself.
bool OpenBeforePairing(const HttpRequest& in) {
  if (in.method == "POST") return in.path == "/api/pair";
  return in.path == "/pair" || in.path == "/assets/pair.js" || in.path == "/assets/app.css" ||
         in.path == "/assets/icon.svg";
}

}  // namespace

const char* SignupModeName(SignupMode mode) {
  switch (mode) {
    case SignupMode::kOpen:
      return "open";
    case SignupMode::kInvite:
      return "invite";
    case SignupMode::kClosed:
      return "closed";
  }
  return "open";
}

const std::vector<RouteInfo>& Routes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    for (const auto& route : RouteTable()) out.push_back(route.info);
    return out;
  }();
  return infos;
}

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<ApiState> state;
  std::unique_ptr<journal::Clock> clock;
  std::unique_ptr<AccountsApi> accounts;  // Multi-user mode only.
  std::string journal_path;               // Local mode only.
  std::unique_ptr<HttpTransport> http;
  std::atomic<uint64_t> failures = 0;
  std::unique_ptr<RequestLog> log;      // Access log and /metrics.
  std::unique_ptr<LanPairing> pairing;  // serve --lan only.
  std::string lan_host;                 // "192.168.1.20:8425" once bound; serve --lan only.

  // With serve --lan, a client that is not on this computer and holds no paired-device cookie.
  bool Unpaired(const HttpRequest& in) const {
    if (!pairing) return false;
    if (!options.testing_loopback_is_remote && IsLoopbackPeer(in.remote_address)) return false;
    return !pairing->IsPaired(CookieValue(in, kDeviceCookie));
  }

  // POST /api/pair {"code": "K7QX-M2TF"}: sets the device cookie when the code is right.
  Status Pair(HttpRequest& in, HttpResponse& out) {
    if (!pairing) {
      return NotFound("POST /api/pair: pairing exists only with serve --lan (local mode)");
    }
    MG_RETURN_IF_ERROR(RequireJson(in));
    auto body = ParseObject(in.body);
    if (!body.ok()) return InvalidArgument("request body: expected a JSON object {\"code\": ...}");
    MG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"code"}, "request body"));
    auto code = OptionalString(*body, "code");
    if (!code.ok()) return code.error();
    if (!*code) return InvalidArgument("code: required");
    auto token = pairing->Pair(**code);
    if (!token.ok()) return token.error();
    out.status = 200;
    out.SetContent("{\"paired\": true}\n", "application/json");
    // No Secure: the local network is plain HTTP. SameSite=Strict: no other site's page sends it.
    out.SetHeader("Set-Cookie", fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict",
                                            kDeviceCookie, *token, kDeviceCookieSeconds));
    return {};
  }

  // The journal a kJournal route works on: the local file, or the signed-in account's rows (or,
  // on a secret_url route given ?key=, the rows of the account whose calendar key it is).
  Result<std::unique_ptr<journal::Store>> OpenJournal(const HttpRequest& in,
                                                      const RouteInfo& route) {
    if (!accounts) return journal::OpenSqliteStore(journal_path, *clock);
    if (route.secret_url && in.query.contains("key")) {
      auto user_id = accounts->CalendarAccount(in.query.find("key")->second);
      if (!user_id.ok()) return user_id.error();
      return options.database->OpenJournal(*user_id, *clock);
    }
    auto session = accounts->Authenticate(in, AccountsApi::SessionUse::kSessionJournal);
    if (!session.ok()) return session.error();
    if (route.method != "GET") MG_RETURN_IF_ERROR(accounts->CheckCsrf(*session, in));
    return options.database->OpenSessionJournal(*session, *clock);
  }

  // A kShared route: the journal of the account named by {owner}, read-only, when it shares it
  // with the signed-in account. An owner who does not share and a name nobody has get the same
  // answer, so a clinician learns nothing of people who did not share.
  Result<std::unique_ptr<journal::Store>> OpenSharedJournal(const HttpRequest& in) {
    auto session = accounts->Authenticate(in);
    if (!session.ok()) return session.error();
    auto owner = options.database->SharedJournalOwner(session->user_id, in.path_argument);
    if (!owner.ok()) return owner.error();
    if (!*owner) {
      return NotFound(fmt::format("owner: no journal named '{}' is shared with you",
                                  in.path_argument.substr(0, 64)));
    }
    auto store = options.database->OpenJournal(**owner, *clock);
    if (!store.ok()) return store.error();
    return std::unique_ptr<journal::Store>(std::make_unique<ReadOnlyJournal>(std::move(*store)));
  }

  // Answers one request, writing the response on success; the caller renders an Error.
  Status Answer(const Route& route, HttpRequest& in, HttpResponse& out) {
    if (!accounts) MG_RETURN_IF_ERROR(CheckLoopbackHost(in, lan_host));
    if (route.info.method != "GET") MG_RETURN_IF_ERROR(CheckSameOrigin(in));
    if (Unpaired(in) && !OpenBeforePairing(in)) {
      if (route.info.path == "/") {  // The address a person types: show them where to pair.
        out.status = 303;
        out.SetHeader("Location", "/pair");
        return {};
      }
      return Error{ErrorCode::kUnauthenticated,
                   "this device is not paired: open /pair and enter the code shown in the "
                   "terminal running mgadvisor serve --lan"};
    }
    if (route.info.access == Access::kPairing) return Pair(in, out);
    if (pairing && route.info.path == "/pair") pairing->RenewIfSpent();
    if (route.info.access == Access::kAccount || route.info.access == Access::kShared) {
      if (!accounts) {
        return NotFound(fmt::format(
            "{} {}: accounts exist only in multi-user mode (serve --db postgresql://...)",
            route.info.method, route.info.path));
      }
      if (route.info.access == Access::kAccount) return accounts->Handle(route.info, in, out);
    }
    std::unique_ptr<journal::Store> store;
    if (route.info.access == Access::kJournal || route.info.access == Access::kShared) {
      auto opened = route.info.access == Access::kShared ? OpenSharedJournal(in)
                                                         : OpenJournal(in, route.info);
      if (!opened.ok()) return opened.error();
      store = std::move(*opened);
    }
    ApiRequest request;
    request.query = std::move(in.query);
    request.body = std::move(in.body);
    // A shared route's {owner} is the store's business, not the handler's.
    if (route.info.access != Access::kShared) request.path_argument = std::move(in.path_argument);
    request.clock = clock.get();
    request.journal = store.get();
    const bool https = options.secure_cookies || in.Header("X-Forwarded-Proto") == "https";
    request.origin = (https ? "https://" : "http://") + in.Header("Host");
    auto response = route.handler(*state, request);
    if (!response.ok()) return response.error();
    Write(std::move(*response), out);
    return {};
  }

  // The one place where a failure becomes an HTTP response: Errors by HttpStatusFor, and any
  // exception (a bug) as a 500 with code "internal", never a crash.
  void Dispatch(const Route& route, HttpRequest& in, HttpResponse& out) {
    Status status;
    try {
      status = Answer(route, in, out);
    } catch (const std::exception& e) {
      status = Error{ErrorCode::kInternal, fmt::format("internal error: {}", e.what())};
    } catch (...) {
      status = Error{ErrorCode::kInternal, "internal error"};
    }
    if (!status.ok()) {
      ApiResponse error = ErrorResponse(Shown(status.error()));
      out = HttpResponse{};
      Write(std::move(error), out);
    }
    // A person's journal, profile and session must not stay in a browser's or proxy's cache.
    if (route.info.access != Access::kPublic) out.SetHeader("Cache-Control", "no-store");
  }

  // Finds the route for the request (GET's for HEAD) and dispatches to it; 404 when none has both
  // the method and the path.
  // Every answer is recorded under its route's pattern (never the path as sent).
  void Handle(HttpRequest& in, HttpResponse& out) {
    std::string_view recorded_as = kUnmatchedRoute;
    std::string argument;
    if (const Route* route = FindRoute(in, argument); route != nullptr) {
      in.path_argument = std::move(argument);
      Dispatch(*route, in, out);
      recorded_as = route->info.path;
    } else if (options.metrics && in.path == "/metrics" &&
               (in.method == "GET" || in.method == "HEAD")) {
      out.status = 200;
      std::optional<accounts::PoolUse> pool;
      if (options.database) pool = options.database->ConnectionUse();
      out.SetContent(log->RenderMetrics(pool), "text/plain; version=0.0.4; charset=utf-8");
      recorded_as = "/metrics";
    } else {
      RenderTransportError(
          404, fmt::format("no route {} {}; see /api/openapi.json", in.method, in.path), out);
    }
    log->Record(in.method, recorded_as, out.status, std::chrono::steady_clock::now() - in.received);
  }

  // The people using a server are not always its operator, and a server-side failure (a 500:
  // database, files, a bug) may carry a library's text, a path or the database host. So the
  // answer carries only a reference, and the details go to the server's stderr under the same
  // reference, in both modes.
  Error Shown(const Error& error) {
    if (HttpStatusFor(error.code) < 500) return error;
    const uint64_t reference = ++failures;
    fmt::print(stderr, "mgadvisor: request failed (reference {}): {}\n", reference, error.message);
    if (!accounts) {
      return {error.code, fmt::format("internal error (reference {}); the details are in the "
                                      "output of the terminal running mgadvisor serve",
                                      reference)};
    }
    return {error.code, fmt::format("the server could not complete this request (reference {}); "
                                    "its operator can find the details in the server's log",
                                    reference)};
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto state = ApiState::Load(options);
  if (!state.ok()) return state.error();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->state = std::move(*state);
  impl->log = std::make_unique<RequestLog>(options.access_log);
  if (options.today) {
    impl->clock = std::make_unique<journal::FixedClock>(*options.today);
  } else {
    impl->clock = std::make_unique<journal::SystemClock>();
  }
  if (options.lan_address && options.database) {
    return InvalidArgument(
        "lan_address: pairing is for local mode; multi-user mode has accounts (use its host)");
  }
  if (options.lan_address) {
    Impl* shown = impl.get();
    impl->pairing = std::make_unique<LanPairing>(
        [shown](const std::string& code, std::chrono::minutes lifetime) {
          if (!shown->options.show_pairing_code) return;
          shown->options.show_pairing_code(
              {code, fmt::format("http://{}/pair#code={}", shown->lan_host, code), lifetime});
        });
  }
  if (options.database) {
    impl->accounts =
        std::make_unique<AccountsApi>(options.database, options.secure_cookies, options.signup);
  } else if (options.journal_path) {
    impl->journal_path = *options.journal_path;
  } else {
    auto path = journal::DefaultJournalPath();
    if (!path.ok()) return path.error();
    impl->journal_path = *path;
  }
  impl->state->journal_path = impl->journal_path;
  HttpTransportOptions http = options.http;
  for (auto& [name, value] : SecurityHeaders()) http.default_headers.emplace(name, value);
  http.runs_inline = RunsInline;
  Impl* shared = impl.get();
  // The transport's own refusals (limits, malformed requests) come before any route: recorded
  // as "(refused)", with no method (the request may not have been read).
  impl->http = HttpTransport::Create(
      std::move(http), [shared](HttpRequest& in, HttpResponse& out) { shared->Handle(in, out); },
      [shared](int status, std::string_view message, HttpResponse& out) {
        RenderTransportError(status, message, out);
        shared->log->Record("-", kRefusedRoute, status, std::chrono::steady_clock::duration{});
      });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  auto port = impl_->http->Bind(impl_->options.host, impl_->options.port);
  if (!port.ok() || !impl_->options.lan_address) return port;
  const std::string& lan = *impl_->options.lan_address;
  if (lan != impl_->options.host) {
    auto lan_port = impl_->http->Bind(lan, *port);
    if (!lan_port.ok()) return lan_port.error();
  }
  impl_->lan_host = lan.find(':') == std::string::npos ? fmt::format("{}:{}", lan, *port)
                                                       : fmt::format("[{}]:{}", lan, *port);
  return port;
}

Status Server::Listen() {
  if (impl_->pairing) impl_->pairing->IssueCode();
  return impl_->http->Run();
}

void Server::Stop() { impl_->http->Stop(); }

}  // namespace mg::server
