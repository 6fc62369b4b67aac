// The HTTP API: `mgadvisor serve`. A JSON API over the same library functions the CLI calls
// (plan, compounds/elemental, DRI, food search, explain), so the two never disagree.
//
// Everything is loaded once by Server::Create (plan context, compound catalogue, reference tables,
// food store and its search index) and shared read-only by the request threads. Handlers are thin:
// parse JSON or query parameters → call one library function → serialise. Expected failures are
// mg::Error values rendered as {"error": {"code", "message"}} with the status from
// mg::HttpStatusFor; exceptions are caught in one place, the dispatcher, and become 500s whose
// details go to stderr (the answer carries a reference number). The HTTP transport beneath
// (http_transport.h) enforces the size, time and connection limits before any handler runs.
//
//   auto server = Server::Create({});                 // loads the knowledge once
//   auto port = (*server)->Bind();                    // 127.0.0.1:8425 unless options say else
//   (*server)->Listen();                              // blocks until Stop() (any thread)
//
// The routes and their shapes are documented in docs/API.md and served as an OpenAPI 3 document
// at /api/openapi.json (data/server/openapi.json, checked against Routes() by a test).
#ifndef MGADVISOR_SERVER_SERVER_H_
#define MGADVISOR_SERVER_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/database.h"
#include "core/error.h"
#include "journal/journal.h"
#include "server/http_transport.h"

namespace mg::server {

inline constexpr int kDefaultPort = 8425;

// A one-time code for pairing a device with `serve --lan` (server/lan_pairing.h), and the address
// that pairs with it when opened (for a QR code): http://192.168.1.20:8425/pair#code=K7QX-M2TF.
struct PairingCode {
  std::string code;
  std::string url;
  std::chrono::minutes lifetime;
};

// Who may create an account in multi-user mode (serve --signup): anyone who reaches the server,
// only a person with an invitation code from the operator (`mgadvisor admin invite`), or nobody.
enum class SignupMode { kOpen, kInvite, kClosed };
const char* SignupModeName(SignupMode mode);  // "open", "invite", "closed".

struct ServerOptions {
  std::string host = "127.0.0.1";  // Local mode: loopback only.
  int port = kDefaultPort;         // 0: any free port (tests).
  // Sockets, limits and threads (http_transport.h): body and header sizes, the per-request
  // deadline, connection caps. default_headers is the server's own (security headers).
  HttpTransportOptions http;
  std::optional<std::string> kb_dir;       // --kb DIR, as for the CLI.
  std::optional<std::string> foods_store;  // Food store for search (default as the CLI).

  // Local mode: the one person's SQLite journal (default journal::DefaultJournalPath()).
  std::optional<std::string> journal_path;
  // Multi-user mode when set (e.g. PostgreSQL): accounts, sessions and every journal live there,
  // journal routes need a signed-in session, and state-changing ones a CSRF token.
  std::shared_ptr<accounts::Database> database;
  // Mark session cookies Secure (the server sits behind a TLS-terminating proxy). Also set for a
  // request whose X-Forwarded-Proto is https.
  bool secure_cookies = false;
  // Multi-user mode: who may create an account (POST /api/account).
  SignupMode signup = SignupMode::kOpen;
  // Fixes "today" (tests, demos: MGADVISOR_TODAY); the system clock when empty.
  std::optional<journal::Date> today;
  // One JSON line per request on stderr: method, route pattern, status, duration, nothing of
  // the person (server/observability.h). serve --no-access-log turns it off.
  bool access_log = true;
  // GET /metrics in the Prometheus text format (serve --metrics); 404 otherwise.
  bool metrics = false;

  // serve --lan (local mode only): also listen on this address of the local network, on the same
  // port. A client that is not on this computer reaches only the pairing page (/pair, POST
  // /api/pair) until it has paired with a code shown through show_pairing_code; "address:port"
  // becomes the one Host (and Origin) accepted besides the loopback names.
  std::optional<std::string> lan_address;
  std::function<void(const PairingCode&)> show_pairing_code;  // Each new code (first: Listen()).
  // Tests only, and no flag sets it: treat loopback clients as devices on the network, so that
  // pairing can be tested on a machine whose only address is loopback.
  bool testing_loopback_is_remote = false;
};

// Who may call a route. kPublic: anyone (knowledge, the web page). kJournal: the person's own
// journal — in multi-user mode only with a valid session, and with the session's CSRF token when
// the method changes state. kAccount: sign-up, sign-in, sign-out, account deletion, password
// reset and the shares an account grants. kShared (multi-user mode, GET only): another account's
// journal, read-only, when that account shares it with the signed-in one; {owner} names it.
// kPairing: a device pairing with `serve --lan`.
enum class Access { kPublic, kJournal, kAccount, kShared, kPairing };

// One route of the API: method and OpenAPI path template ("/api/explain/{query}").
struct RouteInfo {
  std::string method;  // "GET", "POST", "PUT" or "DELETE".
  std::string path;
  Access access = Access::kPublic;
  // A kJournal GET that calendar apps fetch: they cannot sign in, so in multi-user mode it also
  // answers ?key= with the account's secret calendar key (POST /api/account/calendar makes one,
  // DELETE revokes it) instead of a session.
  bool secret_url = false;
};

// Every route the server answers, in documentation order (web page routes included).
const std::vector<RouteInfo>& Routes();

class Server {
 public:
  // Loads the knowledge base, catalogue, reference tables, foods and the search index.
  // Errors: whatever the loaders report (kDataError with file:line, kNotFound for --kb DIR).
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket (and, with lan_address, the local-network one on the same port);
  // returns the port (the chosen one when options.port is 0).
  // Errors: kIoError when the address cannot be bound (in use, not permitted).
  Result<int> Bind();
  // Serves until Stop(); with lan_address, first shows a pairing code. REQUIRES: Bind()
  // succeeded. Errors: kIoError if listening fails.
  Status Listen();
  // Stops Listen() from any thread (e.g. a signal-waiting thread); safe to call more than once.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_SERVER_H_
