// `mgadvisor-postgres`: the PostgreSQL store is linked in, so there is nothing to hand over.
#include "cli/postgres_program.h"
#include "pgstore/pg_database.h"

namespace mg::cli {

Status HandOverToPostgresProgram(int /*argc*/, char** /*argv*/) { return {}; }

Result<std::shared_ptr<accounts::Database>> OpenPostgresStore(const std::string& url,
                                                              int pool_size) {
  return pgstore::OpenPostgres(url, {.pool_size = pool_size});
}

}  // namespace mg::cli
