#!/usr/bin/env bash
# Beyond one machine (issue 19): the multi-user session, CSRF, rate-limit, isolation and
# clinician-share tests run against two app servers behind nginx (round robin on loopback), both
# reaching PostgreSQL through PgBouncer in transaction-pooling mode (Debian packages nginx-light
# and pgbouncer). App servers keep no state, and every statement runs inside a transaction with
# unnamed parameters (no prepared statements, no session settings, advisory locks only
# transaction-scoped), so transaction pooling is safe; this shows it.
#
#   MGADVISOR_TEST_PG_URL=$(scripts/pg-test-server.sh start) scripts/lb-test.sh [BUILD_DIR]
#
# The tests are the ordinary ones (src/server/multiuser_test.cc, clinic_test.cc): with
# MGADVISOR_TEST_PGBOUNCER_PORT set, their fixture puts nginx and a second app server in front
# (src/server/multiuser_test_util.h). PgBouncer runs here, on a free port, as the cluster's user.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/asan-ubsan}"
say() { echo "lb-test: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}

[ -n "${MGADVISOR_TEST_PG_URL:-}" ] || fail "MGADVISOR_TEST_PG_URL is not set (scripts/pg-test-server.sh start)"
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PGBOUNCER" ] || fail "pgbouncer is not installed (scripts/install-deps.sh installs it)"
for t in multiuser_test clinic_test; do
  [ -x "$build/src/server/$t" ] || fail "$build/src/server/$t is not built"
done

# postgresql://user@127.0.0.1:PORT/db -> user and port of the real server.
pg_user=$(sed -E 's|^postgres(ql)?://([^@:/]+).*|\2|' <<<"$MGADVISOR_TEST_PG_URL")
pg_port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$MGADVISOR_TEST_PG_URL")

work=$(mktemp -d /tmp/mg-lb-test.XXXXXX)
chmod 0755 "$work"
bouncer_pid=""
cleanup() {
  # By its pid file: as root, $! is runuser's.
  [ -f "$work/pgbouncer.pid" ] && kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null
  [ -n "$bouncer_pid" ] && wait "$bouncer_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 40000)); done

# "*" forwards every database name to the test cluster, so each test's fresh database is reachable
# through PgBouncer under its own name. Trust, as the test cluster itself: loopback only.
cat >"$work/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
ignore_startup_parameters = extra_float_digits
admin_users = $pg_user
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
echo "\"$pg_user\" \"\"" >"$work/userlist.txt"
# PgBouncer refuses to run as root: as root, run it as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres: "$work"
  runuser -u postgres -- "$PGBOUNCER" "$work/pgbouncer.ini" >/dev/null 2>&1 &
else
  "$PGBOUNCER" "$work/pgbouncer.ini" >/dev/null 2>&1 &
fi
bouncer_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$bouncer_pid" 2>/dev/null || fail "pgbouncer exited: $(cat "$work/pgbouncer.log" 2>/dev/null)"
  sleep 0.1
done
mode=$(psql -tAq "postgresql://$pg_user@127.0.0.1:$port/pgbouncer" -c "SHOW CONFIG" |
  awk -F'|' '$1 == "pool_mode" {print $2}')
[ "$mode" = "transaction" ] || fail "pgbouncer pool_mode is '$mode', expected transaction"
say "pgbouncer on 127.0.0.1:$port (pool_mode=$mode) in front of PostgreSQL on :$pg_port"

export MGADVISOR_TEST_PGBOUNCER_PORT=$port
status=0
"$build/src/server/multiuser_test" --gtest_brief=1 \
  --gtest_filter='MultiUserTest.JournalRoutesNeed*:MultiUserTest.Isolation*:MultiUserTest.SessionsWork*:MultiUserTest.ParallelWrongSignIns*' \
  2>&1 | grep -v '^{' || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
"$build/src/server/clinic_test" --gtest_brief=1 --gtest_filter='ClinicTest.Clinician*' 2>&1 |
  grep -v '^{' || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# What went through PgBouncer: client connections seen and transactions pooled.
stats=$(psql -tAq "postgresql://$pg_user@127.0.0.1:$port/pgbouncer" -c "SHOW TOTALS" |
  awk -F'|' '$1 == "total_xact_count" || $1 == "total_query_count" {printf "%s=%s ", $1, $2}')
say "pgbouncer totals: $stats"
grep -q "total_xact_count=[1-9]" <<<"$stats" || fail "no transaction went through pgbouncer"
[ "$status" -eq 0 ] || fail "tests failed behind nginx and pgbouncer"
say "passed: two app servers behind nginx over pgbouncer (transaction pooling)"
