#include "journal/sqlite_connection.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/atomic_file.h"

namespace mg::journal {
namespace {

// Creates an empty file with owner-only permissions when there is none; SQLite then treats it
// as a new database and gives its -wal and -shm files the same permissions.
Status CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};  // It exists (perhaps created a moment ago by another writer).
  return IoError(fmt::format("{}: cannot create journal: {}", path, std::strerror(errno)));
}

// Runs `sql` (a PRAGMA that answers one row) and returns its first column, or an error code.
int QueryText(sqlite3* db, const char* sql, std::string& out) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  return rc;
}

bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Switching into WAL needs exclusive access: while another connection holds a lock (a writer
// mid-commit, a recovery after a crash) SQLite may answer SQLITE_BUSY even with a busy timeout,
// or leave the mode unchanged. Both are retried until the same deadline a lock wait has.
Status SwitchToWal(sqlite3* db, const std::string& path) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kSqliteBusyTimeoutMs);
  for (;;) {
    std::string mode;
    const int rc = QueryText(db, "PRAGMA journal_mode=WAL", mode);
    if (rc == SQLITE_OK && mode == "wal") return {};
    if (rc != SQLITE_OK && !IsBusy(rc)) return SqliteError(db, path, "switching to WAL");
    if (std::chrono::steady_clock::now() >= deadline) {
      return rc == SQLITE_OK ? IoError(fmt::format("{}: switching to WAL: the journal stayed in "
                                                   "'{}' mode (another program holds it?)",
                                                   path, mode))
                             : SqliteError(db, path, "switching to WAL");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status Exec(sqlite3* db, const std::string& path, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db, path, sql);
  }
  return {};
}

}  // namespace

Error SqliteError(sqlite3* db, const std::string& path, const std::string& doing) {
  std::string message = fmt::format("{}: {}: {}", path, doing, sqlite3_errmsg(db));
  // "disk I/O error" alone does not tell a full disk from a broken one. SQLite keeps the
  // system's errno only for some failures (a short write past a file-size limit leaves none), so
  // a failed write also says what it most likely means.
  const int error = sqlite3_system_errno(db);
  const int extended = sqlite3_extended_errcode(db);
  const bool write_failed = (extended & 0xff) == SQLITE_FULL || extended == SQLITE_IOERR_WRITE ||
                            extended == SQLITE_IOERR_FSYNC || extended == SQLITE_IOERR_TRUNCATE ||
                            extended == SQLITE_IOERR_SHMSIZE || extended == SQLITE_IOERR_DIR_FSYNC;
  std::string reason = error != 0 ? std::strerror(error) : "";
  if (write_failed) reason += std::string(reason.empty() ? "" : "; ") + "the disk may be full";
  if (!reason.empty()) message += " (" + reason + ")";
  return IoError(std::move(message));
}

Result<SqliteHandle> OpenSqliteFile(const std::string& path) {
  // ":memory:" is SQLite's in-memory database (tests, fuzz targets): no file, no folder, and its
  // journal mode stays "memory" because there is nothing to share with another process.
  const bool in_memory = path == ":memory:";
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!in_memory && !parent.empty()) {
    MG_RETURN_IF_ERROR(CreatePrivateDirectories(parent.string()));
  }
  if (!in_memory) MG_RETURN_IF_ERROR(CreatePrivateFile(path));
  sqlite3* raw = nullptr;
  // NOMUTEX ("multi-thread" mode): a Store is used by one thread at a time (journal.h), so the
  // connection's own mutex only cost a lock and an unlock around every step and every column
  // read — a fifth of reading a five-year journal (~250,000 of each; issue 20).
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (in_memory ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return IoError(fmt::format("{}: cannot open journal: {}", path,
                               raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  // First, before anything that may touch a lock.
  sqlite3_busy_timeout(db.get(), kSqliteBusyTimeoutMs);
  if (!in_memory) MG_RETURN_IF_ERROR(SwitchToWal(db.get(), path));
  MG_RETURN_IF_ERROR(Exec(db.get(), path, "PRAGMA synchronous=FULL"));
  MG_RETURN_IF_ERROR(Exec(db.get(), path, "PRAGMA foreign_keys=ON"));
  return db;
}

}  // namespace mg::journal
