// `serve`: the JSON HTTP API (src/server) in local mode — one user, loopback only, no login.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

#include "accounts/admin.h"
#include "cli/commands.h"
#include "cli/postgres_program.h"
#include "cli/qr_text.h"
#include "core/network.h"
#include "pgstore/pg_url.h"
#include "server/server.h"

namespace mg::cli {
namespace {

// PostgreSQL connections a server keeps by default: twice this machine's cores, 4 to 32 (the
// usual sizing for a pool whose database runs on similar hardware). On the 2-core machines this
// project is measured on, 8 connections let PostgreSQL start more work than it could run: the
// many-writers load test's p99 was about twice that of 4, at the same throughput
// (docs/PERFORMANCE.md, issue 20).
int DefaultPoolSize() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(2 * static_cast<int>(cores == 0 ? 2 : cores), 4, 32);
}

struct ServeArgs {
  int port = server::kDefaultPort;
  std::string host = "127.0.0.1";
  std::optional<std::string> foods_store;
  std::optional<std::string> db;  // --db: the journal's SQLite file, or a PostgreSQL URL.
  bool behind_tls = false;
  int pool_size = DefaultPoolSize();
  bool no_access_log = false;
  bool metrics = false;
  int db_wait_seconds = 30;     // --db-wait: how long to retry while PostgreSQL is not reachable.
  std::string signup = "open";  // --signup: open, invite or closed (multi-user mode).
  bool lan = false;             // --lan: also listen on the local network, pairing devices.
  std::optional<std::string> lan_address;  // --lan-address: which address (default: found).
};

server::SignupMode SignupModeFromFlag(const std::string& name) {
  if (name == "invite") return server::SignupMode::kInvite;
  if (name == "closed") return server::SignupMode::kClosed;
  return server::SignupMode::kOpen;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.starts_with("127.");
}

// The address serve --lan listens on besides loopback: --lan-address, or this computer's first
// private network address. Errors: kInvalidArgument naming the flag when there is none to use.
Result<std::string> LanAddress(const ServeArgs& args) {
  if (args.lan_address) {
    if (IsLoopback(*args.lan_address)) {
      return InvalidArgument(fmt::format(
          "--lan-address {}: that is this computer's loopback address, which no other device "
          "can reach; give its address on the local network",
          *args.lan_address));
    }
    return *args.lan_address;
  }
  const auto found = NetworkAddresses();
  if (found.empty()) {
    return InvalidArgument(
        "--lan: this computer has no network address besides loopback; "
        "connect it to the network first");
  }
  const uint32_t first = ntohl(inet_addr(found.front().c_str()));
  const bool is_private = (first >> 24) == 10 || (first >> 20) == 0xAC1 || (first >> 16) == 0xC0A8;
  if (!is_private) {
    return InvalidArgument(
        fmt::format("--lan: this computer has no private network address (192.168.x.x, 10.x.x.x, "
                    "172.16-31.x.x); if {} is your local network, say so with --lan-address {}",
                    fmt::join(found, ", "), found.front()));
  }
  return found.front();
}

// Shows each pairing code: text with a QR code of its address, or one JSON line (--json). Called
// from whichever thread made the code.
void ShowPairingCode(bool json, const server::PairingCode& code) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (json) {
    fmt::print(
        "{{\"pairing_code\": \"{}\", \"pairing_url\": \"{}\", \"expires_in_minutes\": {}}}\n",
        code.code, code.url, code.lifetime.count());
  } else {
    fmt::print(
        "\nTo pair a phone or tablet on this network, scan this QR code, or open {} and "
        "type the code {} (it works once, for {} minutes):\n\n",
        code.url.substr(0, code.url.find('#')), code.code, code.lifetime.count());
    auto qr = QrText(code.url);
    if (qr.ok()) fmt::print("{}\n", *qr);
  }
  std::fflush(stdout);
}

// Opens the PostgreSQL database, retrying while it cannot be reached (kIoError: after a reboot
// the database may start after mgadvisor) with exponential back-off — 0.5 s, 1 s, 2 s ... at
// most 8 s between attempts — for up to --db-wait seconds, each failure logged on stderr. A
// schema newer than this build (kDataError) or a bad URL is not retried. SIGINT/SIGTERM (blocked
// by Serve, so taken here with sigtimedwait) end the wait at once: `stopped` is set.
Result<std::shared_ptr<accounts::Database>> OpenPostgresWaiting(const ServeArgs& args,
                                                                const sigset_t& signals,
                                                                bool& stopped) {
  using namespace std::chrono;
  const auto start = steady_clock::now();
  const auto deadline = start + seconds(args.db_wait_seconds);
  milliseconds delay(500);
  for (int attempt = 1;; ++attempt) {
    auto database = OpenPostgresStore(*args.db, args.pool_size);
    if (database.ok() || database.error().code != ErrorCode::kIoError) return database;
    const auto now = steady_clock::now();
    if (now + delay > deadline) {
      if (attempt == 1) return database.error();
      return IoError(fmt::format(
          "{} (gave up after {} attempts in {} s; --db-wait {})", database.error().message, attempt,
          duration_cast<seconds>(now - start).count(), args.db_wait_seconds));
    }
    fmt::print(stderr, "mgadvisor: PostgreSQL not reachable (attempt {}): {}; retrying in {} s\n",
               attempt, database.error().message, duration<double>(delay).count());
    std::fflush(stderr);
    const timespec wait{static_cast<time_t>(delay.count() / 1000),
                        static_cast<long>(delay.count() % 1000) * 1'000'000};
    if (sigtimedwait(&signals, nullptr, &wait) > 0) {
      stopped = true;
      return database.error();
    }
    delay = std::min(delay * 2, milliseconds(8000));
  }
}

// Where the data lives, from --db: a PostgreSQL URL selects multi-user mode (accounts, sessions,
// everyone's journal in that database); anything else is the one person's SQLite journal file.
// Unset: the same file as `log` and `journal` use ($XDG_DATA_HOME/mgadvisor/journal.db).
Status ApplyDbFlag(const ServeArgs& args, server::ServerOptions& options, const sigset_t& signals,
                   bool& stopped) {
  const bool postgres = args.db && pgstore::IsPostgresUrl(*args.db);
  if (postgres) {
    // Every user of this machine can read a command line (ps, /proc): libpq takes the password
    // from PGPASSWORD or PGPASSFILE (~/.pgpass) when the URL has none.
    if (pgstore::RedactUrl(*args.db) != *args.db) {
      fmt::print(stderr,
                 "mgadvisor: warning: the --db URL holds a password, which any user of this "
                 "machine can read from the command line; leave it out and set PGPASSFILE or "
                 "PGPASSWORD instead (docs/OPERATIONS.md)\n");
    }
    if (args.lan || args.lan_address) {
      return InvalidArgument(
          "--lan: pairing devices is for local mode; multi-user mode has accounts and listens "
          "where --host says");
    }
    auto database = OpenPostgresWaiting(args, signals, stopped);
    if (!database.ok()) return database.error();
    options.database = std::move(*database);
    options.secure_cookies = args.behind_tls;
    options.signup = SignupModeFromFlag(args.signup);
    return {};
  }
  if (args.signup != "open") {
    return InvalidArgument(fmt::format(
        "--signup {}: local mode has no accounts; sign-up applies to multi-user mode (--db "
        "postgresql://...)",
        args.signup));
  }
  // Local mode has no sign-in: listening beyond this computer would hand the journal to anyone
  // on the network.
  if (!IsLoopback(args.host)) {
    return InvalidArgument(fmt::format(
        "--host {}: local mode (no sign-in) listens on this computer only; to share a server, "
        "use multi-user mode with --db postgresql://...",
        args.host));
  }
  if (args.db) options.journal_path = *args.db;
  if (args.lan || args.lan_address) {
    auto lan = LanAddress(args);
    if (!lan.ok()) return lan.error();
    options.lan_address = *lan;
  }
  return {};
}

Status Serve(const CliContext& ctx, const ServeArgs& args) {
  // SIGINT/SIGTERM are blocked in every thread before anything starts a thread (every thread
  // inherits the mask) and taken by one waiting thread, which stops the server; Listen() then
  // returns and we exit 0.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // A shell starts background jobs with SIGINT ignored, and an ignored signal is never pending.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  struct Unblock {
    sigset_t* set;
    ~Unblock() { pthread_sigmask(SIG_UNBLOCK, set, nullptr); }
  } unblock{&signals};
  server::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.kb_dir = ctx.kb_dir;
  options.foods_store = args.foods_store;
  options.access_log = !args.no_access_log;
  options.metrics = args.metrics;
  options.show_pairing_code = [json = ctx.json](const server::PairingCode& code) {
    ShowPairingCode(json, code);
  };
  bool stopped_while_waiting = false;
  const Status db = ApplyDbFlag(args, options, signals, stopped_while_waiting);
  if (stopped_while_waiting) {
    if (!ctx.json) fmt::print("mgadvisor: stopped while waiting for PostgreSQL\n");
    return {};
  }
  if (!db.ok()) return db;
  // MGADVISOR_TODAY fixes the journal's "today" as for `log` and `journal`; without it the server
  // follows the system clock, so a server left running moves on to the next day.
  if (const char* fixed = std::getenv("MGADVISOR_TODAY"); fixed != nullptr && *fixed != '\0') {
    auto today = JournalToday();
    if (!today.ok()) return today.error();
    options.today = *today;
  }
  auto created = server::Server::Create(options);
  if (!created.ok()) return created.error();
  server::Server& srv = **created;
  auto port = srv.Bind();
  if (!port.ok()) return port.error();

  std::atomic<bool> stopping = false;
  std::atomic<bool> listen_returned = false;
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    stopping = true;
    // A signal may come before Listen() is running, when Stop() has nothing to stop yet.
    while (!listen_returned) {
      srv.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  const std::string address = fmt::format("http://{}:{}/", args.host, *port);
  const bool multi_user = options.database != nullptr;
  const std::string lan_url =
      options.lan_address ? fmt::format("http://{}:{}/", *options.lan_address, *port) : "";
  if (ctx.json) {
    fmt::print("{{\"address\": \"{}\", \"port\": {}, \"mode\": \"{}\"{}}}\n", address, *port,
               multi_user ? "multi" : "local",
               lan_url.empty() ? "" : fmt::format(", \"lan_address\": \"{}\"", lan_url));
  } else {
    fmt::print("mgadvisor is running. Open {} in your browser.\n", address);
    fmt::print("The JSON API is at {}api/ (OpenAPI: {}api/openapi.json).\n", address, address);
    if (multi_user) {
      fmt::print("Multi-user mode on {}: people sign in; each sees only their own journal.\n",
                 pgstore::RedactUrl(*args.db));
      fmt::print("Sign-up: {}.\n", args.signup);
    } else if (!lan_url.empty()) {
      fmt::print(
          "Local mode with --lan: devices on your network reach {} after pairing with a "
          "code shown here; this computer needs none. Press Ctrl-C to stop.\n",
          lan_url);
    } else {
      fmt::print("Local mode: only this computer can connect. Press Ctrl-C to stop.\n");
    }
  }
  std::fflush(stdout);
  const Status listened = srv.Listen();
  listen_returned = true;
  if (!stopping) pthread_kill(waiter.native_handle(), SIGTERM);  // Wake the waiter to end it.
  waiter.join();
  if (!listened.ok()) return listened;
  if (!ctx.json) fmt::print("mgadvisor: stopped\n");
  return {};
}

struct AdminArgs {
  std::string db;
  double days = 7;   // invite: how long the code stays valid.
  double hours = 1;  // reset-password: how long the link stays valid.
  std::string username;
  std::string base_url;  // reset-password --url: the address people open the page at.
};

// The operator's door to the multi-user database: the URL names the database, and the password
// comes from PGPASSFILE or PGPASSWORD (libpq reads them), never from the command line.
Result<std::shared_ptr<accounts::Database>> OpenAdminDatabase(const std::string& url) {
  if (!pgstore::IsPostgresUrl(url)) {
    return InvalidArgument(fmt::format(
        "--db: '{}' is not a PostgreSQL URL (postgresql://user@host:port/db); accounts exist "
        "only in multi-user mode",
        pgstore::RedactUrl(url)));
  }
  return OpenPostgresStore(url, 1);
}

int64_t Seconds(double amount, double unit) { return static_cast<int64_t>(amount * unit); }

std::string UtcTime(int64_t unix_time) {
  const time_t t = static_cast<time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
  return text;
}

void RegisterAdminCommands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<AdminArgs>();
  auto* admin = app.add_subcommand(
      "admin", "Multi-user mode: invitation codes and password-reset links (for the operator)");
  admin->require_subcommand(1);
  auto* invite = admin->add_subcommand(
      "invite", "Create a single-use invitation code for `serve --signup invite`");
  invite->add_option("--db", args->db, "postgresql://user@host:port/db (password: PGPASSFILE)")
      ->required();
  invite->add_option("--days", args->days, "Days the code stays valid (default 7)")
      ->check(CLI::Range(0.01, 365.0));
  invite->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto database = OpenAdminDatabase(args->db);
      if (!database.ok()) return database.error();
      auto invitation = accounts::CreateInvitation(**database, std::time(nullptr),
                                                   Seconds(args->days, 24 * 3600));
      if (!invitation.ok()) return invitation.error();
      if (ctx.json) {
        fmt::print("{}\n", invitation->ToJson().dump(2));
      } else {
        fmt::print("Invitation code (single use, valid until {}):\n{}\n",
                   UtcTime(invitation->expires_unix), invitation->code);
      }
      return {};
    });
  });
  auto* reset = admin->add_subcommand(
      "reset-password",
      "Create a one-time password-reset link for an account (ends its sessions when used)");
  reset->add_option("username", args->username, "The account")->required();
  reset->add_option("--db", args->db, "postgresql://user@host:port/db (password: PGPASSFILE)")
      ->required();
  reset->add_option("--hours", args->hours, "Hours the link stays valid (default 1)")
      ->check(CLI::Range(0.01, 72.0));
  reset->add_option("--url", args->base_url,
                    "Address people open the page at (https://mg.example.org), for the link");
  reset->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      auto database = OpenAdminDatabase(args->db);
      if (!database.ok()) return database.error();
      auto made = accounts::CreatePasswordReset(**database, args->username, std::time(nullptr),
                                                Seconds(args->hours, 3600), args->base_url);
      if (!made.ok()) return made.error();
      if (ctx.json) {
        fmt::print("{}\n", made->ToJson().dump(2));
      } else {
        fmt::print("Password reset for '{}' (one use, valid until {}):\n{}\n", made->username,
                   UtcTime(made->expires_unix), made->link.empty() ? made->token : made->link);
      }
      return {};
    });
  });
}

void RegisterServeCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the JSON HTTP API on this computer (local mode)");
  cmd->add_option(
         "--port", args->port,
         fmt::format("Port to listen on (default {}; 0: any free port)", server::kDefaultPort))
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", args->host, "Address to bind (default 127.0.0.1: this computer only)");
  cmd->add_option("--foods", args->foods_store,
                  "Food store to search (default: the imported store if any, else built-in)");
  cmd->add_option("--db", args->db,
                  "Journal file (SQLite; default $XDG_DATA_HOME/mgadvisor/journal.db), or "
                  "postgresql://user@host:port/db for multi-user mode with accounts");
  cmd->add_flag("--behind-tls", args->behind_tls,
                "Multi-user mode behind a TLS-terminating proxy: mark session cookies Secure");
  cmd->add_option("--pool", args->pool_size,
                  fmt::format("Multi-user mode: PostgreSQL connections (default: twice the CPU "
                              "cores, 4 to 32; here {})",
                              DefaultPoolSize()))
      ->check(CLI::Range(1, 256));
  cmd->add_option("--db-wait", args->db_wait_seconds,
                  "Multi-user mode: retry connecting to PostgreSQL with back-off for up to this "
                  "many seconds (default 30; 0: once)")
      ->check(CLI::Range(0, 3600));
  cmd->add_flag("--no-access-log", args->no_access_log,
                "Do not write the access log (one JSON line per request on stderr)");
  cmd->add_flag("--lan", args->lan,
                "Local mode: also listen on the local network; a phone pairs once with a code "
                "shown here (and as a QR code)");
  cmd->add_option("--lan-address", args->lan_address,
                  "With --lan: this computer's address on the local network (default: its first "
                  "private address)");
  cmd->add_flag("--metrics", args->metrics,
                "Answer GET /metrics (Prometheus text format); keep it from the public proxy");
  cmd->add_option("--signup", args->signup,
                  "Multi-user mode: who may create an account: open (anyone, the default), "
                  "invite (a code from `mgadvisor admin invite`) or closed")
      ->check(CLI::IsMember({"open", "invite", "closed"}));
  cmd->callback([&ctx, args] { RunCommand(ctx, [&] { return Serve(ctx, *args); }); });
}

}  // namespace

void RegisterServerCommands(CLI::App& app, CliContext& ctx) {
  if (ctx.Registers("serve")) RegisterServeCommand(app, ctx);
  if (ctx.Registers("admin")) RegisterAdminCommands(app, ctx);
}

}  // namespace mg::cli
