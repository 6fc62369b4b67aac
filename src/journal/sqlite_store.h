// The embedded journal store: one SQLite file in WAL mode with foreign keys on and
// synchronous=FULL, so a write that returned OK is on disk even if the process is killed next.
// The schema is versioned in a `schema_migrations` table and migrated forward on open.
#ifndef MGADVISOR_JOURNAL_SQLITE_STORE_H_
#define MGADVISOR_JOURNAL_SQLITE_STORE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "core/error.h"
#include "journal/journal.h"

namespace mg::journal {

// Opens (creating the file and its parent directories if needed) the journal at `path`.
// `clock` must outlive the store. Errors: kIoError if the file cannot be opened or migrated,
// kDataError if its schema is newer than this program understands.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const Clock& clock);

// The schema version this build writes.
int SqliteSchemaVersion();

// An online backup of the journal at `path` into `destination` (`mgadvisor journal backup`):
// SQLite's backup API copies one consistent snapshot while other connections keep writing (in
// WAL mode readers and writers do not block each other), then the copy is written through
// WriteFileAtomically (private, 0600), so `destination` is either the old file or a complete
// journal, never half of one. The journal is not migrated or otherwise changed. Returns the
// number of bytes written. Errors: kNotFound when there is no file at `path`; kDataError when it
// is not a journal; kIoError naming the file and SQLite's or the system's reason.
Result<size_t> BackupSqliteJournal(const std::string& path, const std::string& destination);

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_SQLITE_STORE_H_
