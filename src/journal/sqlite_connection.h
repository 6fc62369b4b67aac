// The one way mgadvisor opens a SQLite file: the journal store, its tests and tools all come
// through OpenSqliteFile, so every connection waits for another's lock instead of failing with
// "database is locked", and every journal file is created private to its owner.
//
// Private to mg_journal and its tests (it exposes sqlite3); everything else uses sqlite_store.h.
#ifndef MGADVISOR_JOURNAL_SQLITE_CONNECTION_H_
#define MGADVISOR_JOURNAL_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <memory>
#include <string>

#include "core/error.h"

namespace mg::journal {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// How long a connection waits for another connection's lock (the CLI and the local server share
// one file) before giving up with an I/O error. Writers hold the lock for one fsync'd commit.
inline constexpr int kSqliteBusyTimeoutMs = 10000;

// Opens the database at `path`, creating the file (mode 0600) and its missing folders (0700)
// when absent. Then, in this order because each step needs the one before: the busy timeout (so
// every later step waits for a lock rather than failing), WAL mode (switching needs the file to
// itself, so it is retried while another connection holds a lock), synchronous=FULL (a commit
// that returned is on disk), foreign_keys=ON. Writers must start with BEGIN IMMEDIATE: a
// deferred transaction that reads and then writes can get SQLITE_BUSY without waiting.
// Errors: kIoError naming `path` and SQLite's (and the system's) reason.
Result<SqliteHandle> OpenSqliteFile(const std::string& path);

// "<path>: <doing>: <SQLite's message>[ (<the system's reason>)]" as a kIoError.
Error SqliteError(sqlite3* db, const std::string& path, const std::string& doing);

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_SQLITE_CONNECTION_H_
