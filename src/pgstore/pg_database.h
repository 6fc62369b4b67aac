// The multi-user database on PostgreSQL (libpqxx): accounts, sessions, login failures and every
// account's journal in one shared database, so any number of app servers can share it.
//
// Start here. `OpenPostgres()` connects, migrates the schema forward (under an advisory lock, so
// servers starting together do not race) and returns an accounts::Database; its journals are
// journal::Store objects scoped to one account. Isolation rests on one rule in pg_database.cc:
// every query on a user-owned table carries `user_id = $n`, and ids are numbered per account.
#ifndef MGADVISOR_PGSTORE_PG_DATABASE_H_
#define MGADVISOR_PGSTORE_PG_DATABASE_H_

#include <memory>
#include <string>

#include "accounts/database.h"
#include "core/error.h"
#include "pgstore/pg_url.h"  // IsPostgresUrl, RedactUrl

namespace mg::pgstore {

struct PgOptions {
  int pool_size = 8;  // Connections kept open; requests beyond this wait for a free one.
};

// `url` is a libpq connection URI: postgresql://user[:password]@host:port/dbname (or
// postgres://...). Errors: kInvalidArgument for another scheme or pool_size < 1; kIoError when
// the server cannot be reached or the migration fails (the message names host and port, never
// the password); kDataError when the database's schema is newer than this build.
Result<std::shared_ptr<accounts::Database>> OpenPostgres(const std::string& url,
                                                         const PgOptions& options = {});

// The schema version this build writes (rows in schema_migrations).
int PgSchemaVersion();

}  // namespace mg::pgstore

#endif  // MGADVISOR_PGSTORE_PG_DATABASE_H_
