#!/usr/bin/env bash
# Installs dependencies, builds with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror
# (clang 14; the same build holds the libFuzzer targets), runs every test with CTest, the load
# test (gcc release build), the fuzz targets, and checks formatting. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# Wall time per phase, printed at the end: the whole command must stay under 30 min on 2 cores.
phases=()
phase_start=$SECONDS
# What failed, by name, printed last: CI shows only part of a long log, so the end must say which
# step set the exit status.
failures=()
failed() {
  failures+=("$1")
  status=1
}
end_phase() {
  phases+=("$(printf '%-34s %4d s' "$1" $((SECONDS - phase_start)))")
  phase_start=$SECONDS
}

./scripts/install-deps.sh
end_phase "install dependencies"

echo "== build (asan-ubsan preset)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$(nproc)"
end_phase "build (asan-ubsan)"

# Every data file as its loader reads it, and the references between files: the source tree's
# data/ (what the next build embeds), so a bad edit fails here with file:line, not in a test.
echo "== data lint"
status=0
build/asan-ubsan/src/cli/mgadvisor data lint data || failed "data lint"

echo "== tests"
# A throwaway PostgreSQL cluster for the multi-user tests (pgstore, server); CI sets CI, so
# those tests fail rather than skip if it is missing. A directory of its own, so this never
# stops a cluster someone started by hand.
export MGADVISOR_PG_DIR="${TMPDIR:-/tmp}/mgadvisor-pg-test.$$"
pg_url=$(./scripts/pg-test-server.sh start)
trap './scripts/pg-test-server.sh stop' EXIT
export MGADVISOR_TEST_PG_URL="$pg_url"
log=$(mktemp)
rm -rf build/asan-ubsan/fault-counts  # Filled by the fault tests below (issue 11).
ctest_status=0
ctest --preset asan-ubsan -j "$(nproc)" --timeout 900 2>&1 | tee "$log" || ctest_status=$?
[ "$ctest_status" -eq 0 ] || failed "ctest (exit $ctest_status)"
# ctest hides a passing test's output; the fault tests' counts (requests, kills, writes,
# failures, runtime) are worth seeing on every run.
end_phase "tests (ctest)"
if compgen -G "build/asan-ubsan/fault-counts/*.txt" >/dev/null; then
  echo "== fault test counts"
  cat build/asan-ubsan/fault-counts/*.txt
fi

# Beyond one machine (issue 19): the multi-user session, CSRF and isolation tests again,
# through nginx in front of two app servers over PgBouncer in transaction-pooling mode (~45 s).
echo "== two app servers behind nginx over pgbouncer"
./scripts/lb-test.sh build/asan-ubsan || failed "lb-test"
end_phase "nginx + pgbouncer (lb-test)"

# The bounded load test of the HTTP server (issue 7): a release build against nginx serving the
# same bytes on loopback, ~25 s. It fails on any request error; speed is reported as ratios.
echo "== load test (release build; wrk against nginx on loopback)"
cmake --preset release >/dev/null
cmake --build --preset release --target mgadvisor journal_load -j "$(nproc)"
./scripts/bench-server.sh build/release/src/cli/mgadvisor || failed "bench-server"
# Many people writing (issue 20): 16 accounts logging and reading over HTTP in multi-user mode
# beside pgbench -N on the test PostgreSQL above, ~30 s; fails on any error or cross-account entry.
./scripts/bench-writers.sh build/release/src/cli/mgadvisor build/release/src/server/journal_load ||
  failed "bench-writers"
# Every command's start-up (issue 20): each everyday command beside `sqlite3 :memory:`, 15
# interleaved rounds, ~10 s; reported as ratios, failing only when a command fails.
./scripts/bench-commands.sh build/release/src/cli/mgadvisor 15 || failed "bench-commands"
end_phase "load test (release build + wrk)"

# The Debian package (issue 19) from that release build: built with CPack, installed with apt-get,
# `mgadvisor --version` and a plan run from /usr/bin, then removed.
echo "== package (build, install, run, remove)"
./scripts/package-test.sh || failed "package test"
end_phase "package test"

# Fuzzing (issue 11): every parser a person reaches, under libFuzzer with ASan/UBSan: every past
# crash replayed, then each target from its seed corpus for 5 s with a fixed seed (~1 min on 2
# cores). The targets were built above with the tests (one clang build, no second one). This is
# the regression net; the long exploratory runs that find new bugs are
# `FUZZ_SECONDS=600 ./scripts/fuzz.sh` (the -O1 `fuzz` preset), run by hand.
echo "== fuzz (each target for ${FUZZ_SECONDS:-5} s, seed ${FUZZ_SEED:-1})"
FUZZ_SECONDS="${FUZZ_SECONDS:-5}" FUZZ_SEED="${FUZZ_SEED:-1}" FUZZ_BUILD=build/asan-ubsan \
  ./scripts/fuzz.sh || failed "fuzz"
end_phase "fuzz (runs)"

# Formatting is checked after the tests so one run reports everything that is wrong.
echo "== clang-format check"
mapfile -t sources < <(git ls-files -co --exclude-standard '*.cc' '*.h' 2>/dev/null || true)
if [ ${#sources[@]} -gt 0 ] && ! clang-format --dry-run --Werror "${sources[@]}"; then
  echo "clang-format: files above need formatting (clang-format -i FILE)"
  failed "clang-format"
fi

end_phase "clang-format"

echo "== time per phase (total $SECONDS s)"
printf '%s\n' "${phases[@]}"

# One plain closing line with the counts, whatever ran last.
summary=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
  echo "tests: $((total - failed)) passed, $failed failed"
fi
rm -f "$log"
if [ ${#failures[@]} -gt 0 ]; then
  echo "FAILED: $(IFS=,; echo "${failures[*]}" | sed 's/,/, /g')"
fi
exit $status
