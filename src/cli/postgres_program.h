// Multi-user mode runs in a sibling program. PostgreSQL's client library (libpq, under libpqxx)
// loads about two dozen shared libraries (Kerberos, LDAP, GnuTLS ...) that cost every command
// some 20 ms of start-up, although only `serve --db postgresql://...` and `admin` use them. So
// `mgadvisor` is linked without them, and `mgadvisor-postgres` is the same program with the
// PostgreSQL store: given a PostgreSQL URL anywhere in its arguments, `mgadvisor` replaces itself
// with the sibling (execv: same arguments, same process id, nothing done before) and the sibling
// does the work. Everything else runs in `mgadvisor` as before.
#ifndef MGADVISOR_CLI_POSTGRES_PROGRAM_H_
#define MGADVISOR_CLI_POSTGRES_PROGRAM_H_

#include <memory>
#include <string>

#include "accounts/database.h"
#include "core/error.h"

namespace mg::cli {

// The sibling's file name, found beside the running program (a build tree) or in
// ../libexec/mgadvisor/ from it (an installed package).
inline constexpr const char* kPostgresProgramName = "mgadvisor-postgres";

// In `mgadvisor`: when an argument is a PostgreSQL URL (postgresql://... or postgres://...,
// alone or as --db=...), executes the sibling with the same arguments; returns only when no
// argument names PostgreSQL (ok) or the sibling cannot be run (an error naming where it looked).
// A false match (a note that happens to start with postgres://) is harmless: the sibling is the
// whole program. In `mgadvisor-postgres`: always ok, doing nothing.
Status HandOverToPostgresProgram(int argc, char** argv);

// The multi-user database (pgstore::OpenPostgres). Only the sibling links it; in `mgadvisor` this
// is an internal error, since HandOverToPostgresProgram ran first.
Result<std::shared_ptr<accounts::Database>> OpenPostgresStore(const std::string& url,
                                                              int pool_size);

}  // namespace mg::cli

#endif  // MGADVISOR_CLI_POSTGRES_PROGRAM_H_
