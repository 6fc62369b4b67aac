// `serve`: the JSON HTTP API (src/server) in local mode — one user, loopback only, no login.
#include <fmt/format.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/commands.h"
#include "server/server.h"

namespace mg::cli {
namespace {

struct ServeArgs {
  int port = server::kDefaultPort;
  std::string host = "127.0.0.1";
  std::optional<std::string> foods_store;
  std::optional<std::string> db;  // --db: the journal's SQLite file.
};

// Where the journal lives, from --db. Unset: the server's default, the same file as `log` and
// `journal` use ($XDG_DATA_HOME/mgadvisor/journal.db).
Status ApplyDbFlag(const std::optional<std::string>& db, server::ServerOptions& options) {
  if (!db) return {};
  // MULTI-USER (lead): a postgresql:// or postgres:// URL will select multi-user mode here, by
  // setting options.database instead of journal_path. Until then it would silently become a
  // file with that name, so refuse it.
  if (db->starts_with("postgresql://") || db->starts_with("postgres://")) {
    return InvalidArgument(
        fmt::format("--db: \"{}\": PostgreSQL (multi-user mode) is not available yet", *db));
  }
  options.journal_path = *db;
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
  if (Status db = ApplyDbFlag(args.db, options); !db.ok()) return db;
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
  if (ctx.json) {
    fmt::print("{{\"address\": \"{}\", \"port\": {}}}\n", address, *port);
  } else {
    fmt::print("mgadvisor is serving the API at {}api/ (OpenAPI: {}api/openapi.json)\n", address,
               address);
    fmt::print("Local mode: only this computer can connect. Press Ctrl-C to stop.\n");
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

}  // namespace

void RegisterServerCommands(CLI::App& app, CliContext& ctx) {
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
                  "Journal file (SQLite; default $XDG_DATA_HOME/mgadvisor/journal.db)");
  cmd->callback([&ctx, args] { RunCommand(ctx, [&] { return Serve(ctx, *args); }); });
}

}  // namespace mg::cli
