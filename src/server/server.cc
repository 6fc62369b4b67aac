#include "server/server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <exception>
#include <nlohmann/json.hpp>

#include "journal/sqlite_store.h"
#include "server/accounts_api.h"
#include "server/handlers.h"

namespace mg::server {
namespace {

// The route table: the one list of what the server answers. `pattern` is the httplib regex;
// `info.path` the OpenAPI template, kept equal to data/server/openapi.json by server_test.
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
      {{"GET", "/api/openapi.json"}, "/api/openapi.json", HandleOpenApi},
      {{"GET", "/api/profile", kJournal}, "/api/profile", HandleGetProfile},
      {{"PUT", "/api/profile", kJournal}, "/api/profile", HandlePutProfile},
      {{"GET", "/api/journal/entries", kJournal}, "/api/journal/entries", HandleListEntries},
      {{"POST", "/api/journal/entries", kJournal}, "/api/journal/entries", HandleAddEntry},
      {{"DELETE", "/api/journal/entries/{id}", kJournal},
       "/api/journal/entries/([^/]+)",
       HandleDeleteEntry},
      {{"POST", "/api/journal/foods", kJournal}, "/api/journal/foods", HandleLogFood},
      {{"GET", "/api/intake", kJournal}, "/api/intake", HandleIntake},
      {{"POST", "/api/intake/analyze"}, "/api/intake/analyze", HandleIntakeAnalyze},
      {{"GET", "/api/journal/export", kJournal}, "/api/journal/export", HandleExport},
      {{"POST", "/api/journal/import", kJournal}, "/api/journal/import", HandleImport},
      {{"POST", "/api/trials", kJournal}, "/api/trials", HandleCreateTrial},
      {{"GET", "/api/trials/current", kJournal}, "/api/trials/current", HandleCurrentTrial},
      {{"POST", "/api/trials/current/end", kJournal}, "/api/trials/current/end", HandleEndTrial},
      {{"GET", "/api/trials/current/report", kJournal},
       "/api/trials/current/report",
       HandleTrialReport},
      {{"GET", "/api/session", kAccount}, "/api/session", nullptr},
      {{"POST", "/api/session", kAccount}, "/api/session", nullptr},
      {{"DELETE", "/api/session", kAccount}, "/api/session", nullptr},
      {{"POST", "/api/account", kAccount}, "/api/account", nullptr},
      {{"DELETE", "/api/account", kAccount}, "/api/account", nullptr},
      {{"GET", "/"}, "/", HandleWebAsset},
      {{"GET", "/assets/{file}"}, "/assets/([A-Za-z0-9._-]+)", HandleWebAsset},
  };
  return routes;
}

void Write(const ApiResponse& response, httplib::Response& out) {
  out.status = response.status;
  out.set_content(response.body, response.content_type.c_str());
}

ApiRequest ParseRequest(const httplib::Request& in) {
  ApiRequest request;
  // Query parameters from the URL only: httplib also merges form-encoded bodies into `params`,
  // and a body is never a source of parameters here.
  if (const size_t question = in.target.find('?'); question != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(in.target.substr(question + 1), params);
    for (const auto& [key, value] : params) request.query.emplace(key, value);
  }
  request.body = in.body;
  if (in.matches.size() > 1) request.path_argument = in.matches[1].str();
  return request;
}

// Failures httplib detects before any handler runs (no such route, body too large, malformed
// request) keep httplib's status; this names them in the same {"error": ...} shape. It is not a
// second code table: mg::ErrorCode values never pass through here.
const char* TransportErrorCode(int status) {
  switch (status) {
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    default:
      return status < 500 ? "bad_request" : "internal";
  }
}

}  // namespace

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
  httplib::Server http;

  // The journal a kJournal route works on: the local file, or the signed-in account's rows.
  Result<std::unique_ptr<journal::Store>> OpenJournal(const httplib::Request& in,
                                                      const RouteInfo& route) {
    if (!accounts) return journal::OpenSqliteStore(journal_path, *clock);
    auto session = accounts->Authenticate(in);
    if (!session.ok()) return session.error();
    if (route.method != "GET") MG_RETURN_IF_ERROR(accounts->CheckCsrf(*session, in));
    return options.database->OpenJournal(session->user_id, *clock);
  }

  // Answers one request, writing the response on success; the caller renders an Error.
  Status Answer(const Route& route, const httplib::Request& in, httplib::Response& out) {
    if (!accounts) MG_RETURN_IF_ERROR(CheckLoopbackHost(in));
    if (route.info.method != "GET") MG_RETURN_IF_ERROR(CheckSameOrigin(in));
    if (route.info.access == Access::kAccount) {
      if (!accounts) {
        return NotFound(fmt::format(
            "{} {}: accounts exist only in multi-user mode (serve --db postgresql://...)",
            route.info.method, route.info.path));
      }
      return accounts->Handle(route.info, in, out);
    }
    ApiRequest request = ParseRequest(in);
    request.clock = clock.get();
    std::unique_ptr<journal::Store> store;
    if (route.info.access == Access::kJournal) {
      auto opened = OpenJournal(in, route.info);
      if (!opened.ok()) return opened.error();
      store = std::move(*opened);
      request.journal = store.get();
    }
    auto response = route.handler(*state, request);
    if (!response.ok()) return response.error();
    Write(*response, out);
    return {};
  }

  // The one place where a failure becomes an HTTP response: Errors by HttpStatusFor, and any
  // exception (a bug) as a 500 with code "internal", never a crash.
  void Dispatch(const Route& route, const httplib::Request& in, httplib::Response& out) {
    Status status;
    try {
      status = Answer(route, in, out);
    } catch (const std::exception& e) {
      status = Error{ErrorCode::kInternal, fmt::format("internal error: {}", e.what())};
    } catch (...) {
      status = Error{ErrorCode::kInternal, "internal error"};
    }
    if (!status.ok()) Write(ErrorResponse(Shown(status.error())), out);
  }

  // In multi-user mode the people using the server are not its operator: a server-side failure
  // (a 500: database, files, a bug) goes to the log in full, and the answer keeps only a reference,
  // because the details may name the database host or paths. Local mode shows everything.
  Error Shown(const Error& error) {
    if (!accounts || HttpStatusFor(error.code) < 500) return error;
    const uint64_t reference = ++failures;
    fmt::print(stderr, "mgadvisor: request failed (reference {}): {}\n", reference, error.message);
    return {error.code, fmt::format("the server could not complete this request (reference {}); "
                                    "its operator can find the details in the server's log",
                                    reference)};
  }
  std::atomic<uint64_t> failures = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto state = ApiState::Load(options);
  if (!state.ok()) return state.error();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->state = std::move(*state);
  if (options.today) {
    impl->clock = std::make_unique<journal::FixedClock>(*options.today);
  } else {
    impl->clock = std::make_unique<journal::SystemClock>();
  }
  if (options.database) {
    impl->accounts = std::make_unique<AccountsApi>(options.database, options.secure_cookies);
  } else if (options.journal_path) {
    impl->journal_path = *options.journal_path;
  } else {
    auto path = journal::DefaultJournalPath();
    if (!path.ok()) return path.error();
    impl->journal_path = *path;
  }
  Impl* shared = impl.get();
  httplib::Server& http = impl->http;
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(options.read_timeout_seconds, 0);
  http.set_write_timeout(options.write_timeout_seconds, 0);
  // Without TCP_NODELAY, httplib's separate header and body writes meet the peer's delayed ACK
  // and every response waits ~40 ms (measured: 283 requests/s with, ~10,000 without).
  http.set_tcp_nodelay(true);
  // httplib holds a pool thread per keep-alive connection; the default pool (one per core) made
  // the 9th concurrent client wait for a whole keep-alive period.
  const size_t threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_keep_alive_max_count(100);
  for (const auto& route : RouteTable()) {
    auto handler = [shared, &route](const httplib::Request& in, httplib::Response& out) {
      shared->Dispatch(route, in, out);
    };
    const std::string& method = route.info.method;
    if (method == "GET") {
      http.Get(route.pattern, handler);
    } else if (method == "POST") {
      http.Post(route.pattern, handler);
    } else if (method == "PUT") {
      http.Put(route.pattern, handler);
    } else {
      http.Delete(route.pattern, handler);
    }
  }
  const httplib::Server::HandlerWithResponse on_error =
      [](const httplib::Request& in, httplib::Response& out) -> httplib::Server::HandlerResponse {
    if (!out.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // Ours already.
    const std::string message =
        out.status == 404 ? fmt::format("no route {} {}; see /api/openapi.json", in.method, in.path)
        : out.status == 413 ? "request body too large"
                            : fmt::format("HTTP {}", out.status);
    const nlohmann::json body = {
        {"error", {{"code", TransportErrorCode(out.status)}, {"message", message}}}};
    out.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  };
  http.set_error_handler(on_error);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  const auto& o = impl_->options;
  if (o.port == 0) {
    const int port = impl_->http.bind_to_any_port(o.host);
    if (port < 0) return IoError(fmt::format("cannot listen on {} (any port)", o.host));
    return port;
  }
  if (!impl_->http.bind_to_port(o.host, o.port)) {
    return IoError(fmt::format(
        "cannot listen on {}:{} (in use, or not permitted); try --port with another number", o.host,
        o.port));
  }
  return o.port;
}

Status Server::Listen() {
  // listen_after_bind() returns true when Stop() closed the socket, false on a socket error.
  if (!impl_->http.listen_after_bind()) return IoError("the server stopped accepting connections");
  return {};
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace mg::server
