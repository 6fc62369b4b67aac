#!/usr/bin/env bash
# Instructions one POST /api/plan request costs the server, counted by callgrind (a figure that,
# unlike requests/s, a busy machine does not move), and where they go:
#
#   scripts/count-plan-route.sh [path/to/mgadvisor]     # default: builds the release preset
#
# Runs `mgadvisor serve` under callgrind twice, posting the bench profile
# (examples/night-cramps-older-woman.toml, as scripts/bench-server.sh does) 300 and then 600
# times over one keep-alive connection. The difference of the two programs' totals divided by
# 300 is one request with the transport and without start-up; the parts (the plan, its field
# probes, the JSON, reading the body) are the 600-request run's inclusive costs divided by 600.
# Slow (valgrind): about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "count-plan-route: $*" >&2; }
source scripts/bench-lib.sh
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v python3 >/dev/null || missing+=(python3)
mg_apt_install count-plan-route "${missing[@]}"

BIN=$(mg_release_binary "${1:-}")
[ -x "$BIN" ] || { log "error: $BIN: not an executable mgadvisor binary"; exit 1; }

WORK=$(mktemp -d /tmp/mg-count-plan.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 -c 'import json, sys, tomllib; json.dump(tomllib.load(open(sys.argv[1], "rb")), sys.stdout)' \
  examples/night-cramps-older-woman.toml >"$WORK/profile.json"

# run N: the callgrind output of a server that answered N plan requests.
run() {
  local n=$1
  local out="$WORK/callgrind-$n.out"
  mkdir -p "$WORK/xdg-$n"
  XDG_DATA_HOME="$WORK/xdg-$n" valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" serve --port 0 --json --no-access-log >"$WORK/serve-$n.out" 2>"$WORK/serve-$n.err" &
  SERVER_PID=$!
  for _ in $(seq 180); do
    grep -q '"port"' "$WORK/serve-$n.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { log "error: serve exited: $(cat "$WORK/serve-$n.err")"; exit 1; }
    sleep 1
  done
  local port
  port=$(sed -n 's/.*"port": *\([0-9][0-9]*\).*/\1/p' "$WORK/serve-$n.out")
  [ -n "$port" ] || { log "error: serve printed no port"; exit 1; }
  python3 - "$port" "$n" "$WORK/profile.json" <<'EOF'
import http.client, sys
port, n, body = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "rb").read()
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for _ in range(n):
    connection.request("POST", "/api/plan", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"POST /api/plan answered {response.status}")
EOF
  kill -INT "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'; }

log "300 requests under callgrind"
run 300
log "600 requests under callgrind"
run 600
per_request=$((($(total "$WORK/callgrind-600.out") - $(total "$WORK/callgrind-300.out")) / 300))

echo "POST /api/plan, instructions per request ($BIN)"
printf '%-60s %12s\n' "whole server (600 minus 300 requests, / 300)" "$per_request"
callgrind_annotate --threshold=100 --inclusive=yes "$WORK/callgrind-600.out" 2>/dev/null |
  awk -v parts='mg::server::HandlePlan(|mg::ops::PlanForProfile(|mg::plan::NoteFieldsWithoutEffect(|mg::plan::ChooseVariedFoods(|mg::plan::ResolveProfile(|mg::plan::RenderPlan|mg::server::ParseObject(' '
    BEGIN { n = split(parts, wanted, "|") }
    {
      for (i = 1; i <= n; ++i) {
        at = index($0, wanted[i])
        if (at > 0) {
          count = $1; gsub(",", "", count)
          name = wanted[i]; sub(/[(\[]$/, "", name)
          printf "%-60s %12d\n", name " (/ 600)", count / 600
        }
      }
    }'
