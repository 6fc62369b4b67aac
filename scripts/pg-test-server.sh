#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start` prints its URL, `url` prints it again,
# `stop` stops it and deletes it. Idempotent. For fault tests: `down` stops the server but keeps
# the cluster and its port, `up` starts it again on the same port (so clients' URLs stay valid),
# `restart` is both. Trust authentication on 127.0.0.1 only and a
# socket in the cluster's own directory, so it never touches a system PostgreSQL.
#
#   export MGADVISOR_TEST_PG_URL=$(scripts/pg-test-server.sh start)
#   ... run the tests ...
#   scripts/pg-test-server.sh stop
#
# Works as root (initdb refuses root, so the cluster runs as the `postgres` user) or as an
# ordinary user (the cluster runs as that user). Progress goes to stderr; stdout is the URL only.
set -euo pipefail

dir="${MGADVISOR_PG_DIR:-${TMPDIR:-/tmp}/mgadvisor-pg}"
data="$dir/data"
port_file="$dir/port"

log() { echo "pg-test-server: $*" >&2; }

bin_dir() {
  local initdb  # The newest installed major version.
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
  [ -x "$initdb" ] && dirname "$initdb"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() {
  [ -f "$port_file" ] || { log "not running (no $port_file); run '$0 start'"; return 1; }
  echo "postgresql://postgres@127.0.0.1:$(cat "$port_file")/postgres"
}

running() {
  local bin
  bin=$(bin_dir) || return 1
  [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

free_port() {
  # A random high port nobody answers on; if postgres still loses a race for it, start() retries.
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

start() {
  if running; then
    url
    return
  fi
  local bin
  if ! bin=$(bin_dir); then
    log "installing postgresql with apt-get"
    if [ "$(id -u)" -ne 0 ]; then
      log "postgresql is not installed and this is not root: apt-get install postgresql"
      return 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends postgresql >&2; }
    bin=$(bin_dir) || { log "initdb still missing after installing postgresql"; return 1; }
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      log "the postgres user cannot reach $dir (a parent directory is private?); set MGADVISOR_PG_DIR or TMPDIR to a path under /tmp"
      rm -rf "$dir"
      return 1
    fi
  fi
  log "initdb in $data"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  # Loopback only, trust: a throwaway cluster for tests, never for data anyone cares about.
  cat >"$data/pg_hba.conf" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF
  local port tries
  for tries in 1 2 3; do
    port=$(free_port)
    if launch "$bin" "$port"; then
      echo "$port" >"$port_file"
      log "running on 127.0.0.1:$port"
      url
      return
    fi
    log "start on port $port failed (attempt $tries):"
    tail -5 "$dir/server.log" >&2 || true
  done
  return 1
}

# Starts the server of the existing cluster on `port`; waits until it accepts connections.
launch() {
  as_owner "$1/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $2 -k $dir -c fsync=off -c max_connections=200" \
    start >/dev/null 2>&1
}

down() {
  local bin
  bin=$(bin_dir) || { log "postgresql is not installed"; return 1; }
  running || { log "not running"; return 0; }
  # Fast: sessions are ended as on a real server's shutdown, and clients see their connections go.
  as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1
}

up() {
  local bin
  bin=$(bin_dir) || { log "postgresql is not installed"; return 1; }
  [ -f "$port_file" ] || { log "no cluster in $dir; run '$0 start'"; return 1; }
  running && return 0
  launch "$bin" "$(cat "$port_file")" || { tail -5 "$dir/server.log" >&2; return 1; }
}

stop() {
  local bin
  if bin=$(bin_dir) && [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  down) down ;;
  up) up ;;
  restart) down && up ;;
  url)
    running || { log "not running; run '$0 start'"; exit 1; }
    url
    ;;
  *)
    echo "usage: $0 start|stop|url|down|up|restart" >&2
    exit 2
    ;;
esac
