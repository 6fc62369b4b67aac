#!/usr/bin/env bash
# Beyond one machine (issue 19): the multi-user session, CSRF and isolation tests (the isolation
# matrix covers every journal, account and share route) run against two app servers behind nginx
# (round robin on loopback), both reaching PostgreSQL through PgBouncer in transaction-pooling
# mode (Debian packages nginx-light and pgbouncer). App servers keep no state, and every
# statement runs inside a transaction with unnamed parameters (no prepared statements, no session
# settings, advisory locks only transaction-scoped), so transaction pooling is safe; this shows it.
#
#   MGADVISOR_TEST_PG_URL=$(scripts/pg-test-server.sh start) scripts/lb-test.sh [BUILD_DIR]
#
# The tests are the ordinary ones (src/server/multiuser_test.cc): with
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
for t in server/multiuser_test cli/mgadvisor; do
  [ -x "$build/src/$t" ] || fail "$build/src/$t is not built"
done

# postgresql://user@127.0.0.1:PORT/db -> user and port of the real server.
pg_user=$(sed -E 's|^postgres(ql)?://([^@:/]+).*|\2|' <<<"$MGADVISOR_TEST_PG_URL")
pg_port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$MGADVISOR_TEST_PG_URL")

work=$(mktemp -d /tmp/mg-lb-test.XXXXXX)
chmod 0755 "$work"
bouncer_pid=""
# Every step may fail (pgbouncer already gone, runuser exiting 1 when its child is killed): the
# script's own status is what it reports, so nothing here may replace it (set -e applies in traps).
cleanup() {
  local status=$?
  if [ -n "${scratch:-}" ]; then
    psql -q "$MGADVISOR_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  # By its pid file: as root, $! is runuser's.
  if [ -f "$work/pgbouncer.pid" ]; then kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true; fi
  if [ -n "$bouncer_pid" ]; then wait "$bouncer_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 40000)); done

# "*" forwards every database name to the test cluster, so each test's fresh database is reachable
# through PgBouncer under its own name. Unlike the test cluster (trust), PgBouncer asks for a
# password (SCRAM), which every client here takes from PGPASSFILE, never from a URL: this is how
# docs/OPERATIONS.md says to run a server, and it is tested here.
cat >"$work/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
ignore_startup_parameters = extra_float_digits
admin_users = $pg_user
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
password="lb-test-$RANDOM-$RANDOM"
echo "\"$pg_user\" \"$password\"" >"$work/userlist.txt"
# PgBouncer refuses to run as root: as root, run it as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres: "$work"
  runuser -u postgres -- "$PGBOUNCER" "$work/pgbouncer.ini" >/dev/null 2>&1 &
else
  "$PGBOUNCER" "$work/pgbouncer.ini" >/dev/null 2>&1 &
fi
bouncer_pid=$!
# libpq ignores a password file others can read; written after the chown, so it stays ours.
echo "127.0.0.1:$port:*:$pg_user:$password" >"$work/pgpass"
chmod 0600 "$work/pgpass"
export PGPASSFILE="$work/pgpass"
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$bouncer_pid" 2>/dev/null || fail "pgbouncer exited: $(cat "$work/pgbouncer.log" 2>/dev/null)"
  sleep 0.1
done
mode=$(psql -tAq "postgresql://$pg_user@127.0.0.1:$port/pgbouncer" -c "SHOW CONFIG" |
  awk -F'|' '$1 == "pool_mode" {print $2}')
[ "$mode" = "transaction" ] || fail "pgbouncer pool_mode is '$mode', expected transaction"
say "pgbouncer on 127.0.0.1:$port (pool_mode=$mode) in front of PostgreSQL on :$pg_port"

# The password comes from PGPASSFILE: the real binary with a password-less URL works with it and
# is refused without it (naming the server, never a password).
scratch="mgadvisor_lb_test_$$"
psql -q "$MGADVISOR_TEST_PG_URL" -c "CREATE DATABASE $scratch" || fail "cannot create $scratch"
bouncer_url="postgresql://$pg_user@127.0.0.1:$port/$scratch"
mgadvisor="$build/src/cli/mgadvisor"
"$mgadvisor" admin invite --db "$bouncer_url" --json >"$work/invite.json" ||
  fail "admin invite through pgbouncer with PGPASSFILE failed"
grep -q '"invitation"' "$work/invite.json" || fail "admin invite printed: $(cat "$work/invite.json")"
if PGPASSFILE=/dev/null "$mgadvisor" admin invite --db "$bouncer_url" >"$work/out" 2>"$work/err"; then
  fail "admin invite without a password was let in"
fi
grep -q "127.0.0.1:$port" "$work/err" || fail "the refusal does not name the server: $(cat "$work/err")"
! grep -q "$password" "$work/err" "$work/out" || fail "the password was printed"
say "PGPASSFILE: a password-less URL signs in with it and is refused without it"

export MGADVISOR_TEST_PGBOUNCER_PORT=$port
status=0
"$build/src/server/multiuser_test" --gtest_brief=1 \
  --gtest_filter='MultiUserTest.JournalRoutesNeed*:MultiUserTest.Isolation*:MultiUserTest.SessionsWork*' \
  2>&1 | grep -v '^{' || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# What went through PgBouncer: client connections seen and transactions pooled.
stats=$(psql -tAq "postgresql://$pg_user@127.0.0.1:$port/pgbouncer" -c "SHOW TOTALS" |
  awk -F'|' '$1 == "total_xact_count" || $1 == "total_query_count" {printf "%s=%s ", $1, $2}')
say "pgbouncer totals: $stats"
grep -q "total_xact_count=[1-9]" <<<"$stats" || fail "no transaction went through pgbouncer"
[ "$status" -eq 0 ] || fail "tests failed behind nginx and pgbouncer"
say "passed: two app servers behind nginx over pgbouncer (transaction pooling)"
