// Test helper for crash_test.cc: appends IRLS entries (each one row plus ten item rows, one
// transaction) to the journal at argv[1], printing "ack <id> <n>" after every commit, until
// killed or argv[2] entries are written; n counts from argv[3] (default 0) and is in the note.
#include <cstdio>
#include <cstdlib>

#include "journal/sqlite_store.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: journal_crash_writer DB COUNT [FIRST]\n");
    return 2;
  }
  mg::journal::FixedClock clock(std::chrono::year{2026} / 11 / 23);
  auto store = mg::journal::OpenSqliteStore(argv[1], clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 4;
  }
  const long count = std::strtol(argv[2], nullptr, 10);
  const long first = argc == 4 ? std::strtol(argv[3], nullptr, 10) : 0;
  for (long n = first; n < first + count; ++n) {
    mg::journal::Entry e;
    e.date = mg::journal::Date{std::chrono::year{2026} / 11 / 1} + std::chrono::days{n % 20};
    e.kind = mg::journal::EntryKind::kIrls;
    int total = 0;
    for (int i = 0; i < mg::journal::kIrlsItemCount; ++i) {
      e.irls_items.push_back(static_cast<int>((n + i) % 5));
      total += e.irls_items.back();
    }
    e.value = total;
    e.note = "entry " + std::to_string(n);
    auto id = (*store)->Add(e);
    if (!id.ok()) {
      std::fprintf(stderr, "%s\n", id.error().message.c_str());
      return 4;
    }
    std::printf("ack %lld %ld\n", static_cast<long long>(*id), n);
    std::fflush(stdout);
  }
  return 0;
}
