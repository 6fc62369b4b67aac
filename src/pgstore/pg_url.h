// PostgreSQL connection URLs as the rest of the program sees them, without libpq: whether a
// --db value names a PostgreSQL database, and the URL with its password hidden for messages.
// Kept apart from pg_database.h so that code which only looks at a URL (the everyday program,
// which does not link libpq) can use it.
#ifndef MGADVISOR_PGSTORE_PG_URL_H_
#define MGADVISOR_PGSTORE_PG_URL_H_

#include <string>
#include <string_view>

namespace mg::pgstore {

// postgresql://... or postgres://... (libpq's URI forms; keyword strings are not accepted).
bool IsPostgresUrl(std::string_view text);

// `url` with any password replaced by "***", for messages and logs.
std::string RedactUrl(const std::string& url);

}  // namespace mg::pgstore

#endif  // MGADVISOR_PGSTORE_PG_URL_H_
