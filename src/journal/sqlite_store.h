// The embedded journal store: one SQLite file in WAL mode with foreign keys on and
// synchronous=FULL, so a write that returned OK is on disk even if the process is killed next.
// The schema is versioned in a `schema_migrations` table and migrated forward on open.
#ifndef MGADVISOR_JOURNAL_SQLITE_STORE_H_
#define MGADVISOR_JOURNAL_SQLITE_STORE_H_

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

}  // namespace mg::journal

#endif  // MGADVISOR_JOURNAL_SQLITE_STORE_H_
