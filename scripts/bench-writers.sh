#!/usr/bin/env bash
# Many people writing at once (issue 20): `mgadvisor serve --db postgresql://...` under N
# signed-in accounts that log entries and read their journals back over real HTTP on loopback,
# beside pgbench's simple-update (-N) on the same PostgreSQL server as the baseline:
#
#   scripts/bench-writers.sh [path/to/mgadvisor [path/to/journal_load]]   # default: release preset
#
# Each round runs pgbench and the journal load one after the other with the same number of
# clients and seconds, so each round gives a ratio taken minutes apart at most; the table shows
# every round and the medians. The load (src/server/journal_load.cc) checks that every request
# succeeded, that no read or export holds another account's entry, and that each account's reads
# and export hold exactly the writes acknowledged to it; the script exits 1 when any of that
# failed, or pgbench failed. Speed (target: writes/s >= 50 % of pgbench's transactions/s) is
# reported as met / not met, never asserted: on a shared 2-core machine it is not repeatable.
#
# PostgreSQL: the cluster of $MGADVISOR_TEST_PG_URL when set (scripts/test.sh starts one), else a
# throwaway one from scripts/pg-test-server.sh. Two scratch databases are created on it and
# dropped at the end. Results also go to ${MG_ARTIFACTS_DIR:-build/artifacts}/bench-writers.json.
#
# Knobs: MG_WRITERS_ACCOUNTS (clients, default 16), MG_WRITERS_SECONDS (per run, 3),
# MG_WRITERS_ROUNDS (3), MG_WRITERS_READ_EVERY (a read after every K writes, 4),
# MG_WRITERS_SERVE_ARGS (more arguments for `serve`, split on spaces: "--pool 8").
set -euo pipefail
cd "$(dirname "$0")/.."

ACCOUNTS=${MG_WRITERS_ACCOUNTS:-16}
SECONDS_PER_RUN=${MG_WRITERS_SECONDS:-3}
ROUNDS=${MG_WRITERS_ROUNDS:-3}
READ_EVERY=${MG_WRITERS_READ_EVERY:-4}
ARTIFACTS=${MG_ARTIFACTS_DIR:-build/artifacts}

log() { echo "bench-writers: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

source scripts/bench-lib.sh
BIN=$(mg_release_binary "${1:-}" journal_load)
LOAD=${2:-$(dirname "$BIN")/../server/journal_load}
[ -x "$BIN" ] || die "$BIN: not an executable mgadvisor binary"
[ -x "$LOAD" ] || die "$LOAD: not built (cmake --build --preset release --target journal_load)"

WORK=$(mktemp -d -t mg-bench-writers.XXXXXX)
SERVER_PID=""
OWN_PG=""
DBS=()
cleanup() {
  [ -n "$SERVER_PID" ] && { kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  for db in "${DBS[@]}"; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  [ -n "$OWN_PG" ] && MGADVISOR_PG_DIR="$WORK/pg" ./scripts/pg-test-server.sh stop || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${MGADVISOR_TEST_PG_URL:-}" ]; then
  PG_URL=$MGADVISOR_TEST_PG_URL
else
  PG_URL=$(MGADVISOR_PG_DIR="$WORK/pg" ./scripts/pg-test-server.sh start)
  OWN_PG=1
fi
# pgbench and psql come with Debian's postgresql (which pg-test-server.sh installs when missing).
PGBENCH=$(command -v pgbench || printf '%s\n' /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)
[ -x "$PGBENCH" ] || die "pgbench is missing (Debian: postgresql)"
command -v psql >/dev/null || die "psql is missing (Debian: postgresql-client)"
# postgresql://user@host:port/db -> the same server, another database.
db_url() { echo "${PG_URL%/*}/$1"; }
MG_DB=mg_writers_$$
PGB_DB=mg_pgbench_$$
for db in "$MG_DB" "$PGB_DB"; do
  psql "$PG_URL" -qc "CREATE DATABASE $db" >/dev/null || die "cannot create database $db on $PG_URL"
  DBS+=("$db")
done
"$PGBENCH" -i -s 1 -q "$(db_url "$PGB_DB")" >"$WORK/pgbench-init.txt" 2>&1 ||
  die "pgbench -i failed: $(cat "$WORK/pgbench-init.txt")"

mkdir -p "$WORK/xdg"
XDG_DATA_HOME="$WORK/xdg" "$BIN" serve --port 0 --json --no-access-log ${MG_WRITERS_SERVE_ARGS:-} --db "$(db_url "$MG_DB")" \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q '"port"' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "mgadvisor serve exited: $(cat "$WORK/serve.err")"
  sleep 0.1
done
MG_PORT=$(sed -n 's/.*"port": *\([0-9][0-9]*\).*/\1/p' "$WORK/serve.out")
[ -n "$MG_PORT" ] || die "mgadvisor serve printed no address: $(cat "$WORK/serve.out" "$WORK/serve.err")"

# pgbench: simple-update (-N: one UPDATE of pgbench_accounts, one SELECT, one INSERT into
# pgbench_history per transaction), ACCOUNTS clients on 2 threads; -l logs every transaction's
# latency, from which the script takes p99 (pgbench prints only the mean).
run_pgbench() {
  local r=$1
  mkdir -p "$WORK/pgbench-$r"
  (cd "$WORK/pgbench-$r" && "$PGBENCH" -N -c "$ACCOUNTS" -j 2 -T "$SECONDS_PER_RUN" -l \
    "$(db_url "$PGB_DB")" >out.txt 2>&1) || die "pgbench failed: $(cat "$WORK/pgbench-$r/out.txt")"
}
run_load() {
  local r=$1 status=0
  "$LOAD" --port "$MG_PORT" --accounts "$ACCOUNTS" --seconds "$SECONDS_PER_RUN" \
    --read-every "$READ_EVERY" --run "$$" --sessions "$WORK/sessions.txt" >"$WORK/load-$r.txt" 2>&1 || status=$?
  grep -q '^JOURNALLOAD ' "$WORK/load-$r.txt" || die "journal_load printed no result: $(cat "$WORK/load-$r.txt")"
  kill -0 "$SERVER_PID" 2>/dev/null || die "mgadvisor serve died under load: $(cat "$WORK/serve.err")"
  return $status
}
failed=0
for r in $(seq 1 "$ROUNDS"); do
  log "round $r/$ROUNDS: pgbench -N and journal_load, $ACCOUNTS clients, ${SECONDS_PER_RUN} s each"
  # Alternate who goes first, so neither always gets the cooler (or hotter) machine.
  if [ $((r % 2)) -eq 1 ]; then
    run_pgbench "$r"
    run_load "$r" || failed=1
  else
    run_load "$r" || failed=1
    run_pgbench "$r"
  fi
done

mkdir -p "$ARTIFACTS"
python3 - "$WORK" "$ROUNDS" "$ACCOUNTS" "$SECONDS_PER_RUN" "$READ_EVERY" "$BIN" \
  "$ARTIFACTS/bench-writers.json" "$failed" <<'PY'
import glob, json, os, re, statistics, sys, time

work, rounds, accounts, seconds, read_every, binary, out_path, failed = sys.argv[1:]
rounds, failed = int(rounds), int(failed)
TARGET = 0.50

def pgbench(r):
    d = os.path.join(work, f"pgbench-{r}")
    text = open(os.path.join(d, "out.txt")).read()
    tps = float(re.search(r"tps = ([0-9.]+)", text).group(1))
    failed_tx = re.search(r"number of failed transactions: (\d+)", text)
    lat = sorted(int(line.split()[2]) for f in glob.glob(os.path.join(d, "pgbench_log.*"))
                 for line in open(f))
    return {"tps": tps, "transactions": len(lat),
            "failed": int(failed_tx.group(1)) if failed_tx else 0,
            "p50_us": lat[len(lat) // 2], "p99_us": lat[min(len(lat) - 1, int(0.99 * len(lat)))]}

def load(r):
    with open(os.path.join(work, f"load-{r}.txt")) as f:
        line = next(l for l in f if l.startswith("JOURNALLOAD "))
    return json.loads(line[len("JOURNALLOAD "):])

rows = []
for r in range(1, rounds + 1):
    pg, mg = pgbench(r), load(r)
    rows.append({"round": r, "pgbench": pg, "mgadvisor": mg,
                 "writes_ratio": mg["writes_per_s"] / pg["tps"],
                 "write_p99_ratio": mg["write_latency"]["p99_us"] / pg["p99_us"]})

med = lambda key: statistics.median(key(x) for x in rows)
summary = {
    "pgbench_tps": med(lambda x: x["pgbench"]["tps"]),
    "pgbench_p99_ms": med(lambda x: x["pgbench"]["p99_us"]) / 1000,
    "writes_per_s": med(lambda x: x["mgadvisor"]["writes_per_s"]),
    "reads_per_s": med(lambda x: x["mgadvisor"]["reads_per_s"]),
    "write_p99_ms": med(lambda x: x["mgadvisor"]["write_latency"]["p99_us"]) / 1000,
    "read_p99_ms": med(lambda x: x["mgadvisor"]["read_latency"].get("p99_us", 0)) / 1000,
    "writes_ratio": med(lambda x: x["writes_ratio"]),
    "write_p99_ratio": med(lambda x: x["write_p99_ratio"]),
}
errors = sum(x["mgadvisor"]["errors"] + x["pgbench"]["failed"] for x in rows)
leaks = sum(x["mgadvisor"]["leaks"] for x in rows)
mismatches = sum(x["mgadvisor"]["mismatches"] for x in rows)
problems = [x["mgadvisor"]["first_problem"] for x in rows if x["mgadvisor"]["first_problem"]]

print(f"\nmany writers: {accounts} accounts (a read after every {read_every} writes) vs pgbench -N "
      f"-c {accounts}, {seconds} s each, {rounds} rounds ({os.cpu_count()} CPUs, load average "
      f"{os.getloadavg()[0]:.1f})\n")
print(f"{'round':>5} {'pgbench tps':>12} {'p99 ms':>7} {'mg writes/s':>12} {'reads/s':>8} "
      f"{'p99 ms':>7} {'writes/tps':>11} {'p99/p99':>8}")
for x in rows:
    pg, mg = x["pgbench"], x["mgadvisor"]
    print(f"{x['round']:>5} {pg['tps']:>12.0f} {pg['p99_us'] / 1000:>7.1f} {mg['writes_per_s']:>12.0f} "
          f"{mg['reads_per_s']:>8.0f} {mg['write_latency']['p99_us'] / 1000:>7.1f} "
          f"{x['writes_ratio']:>10.0%} {x['write_p99_ratio']:>7.1f}x")
s = summary
print(f"{'med':>5} {s['pgbench_tps']:>12.0f} {s['pgbench_p99_ms']:>7.1f} {s['writes_per_s']:>12.0f} "
      f"{s['reads_per_s']:>8.0f} {s['write_p99_ms']:>7.1f} {s['writes_ratio']:>10.0%} "
      f"{s['write_p99_ratio']:>7.1f}x")
met = s["writes_ratio"] >= TARGET
print(f"\nwrites/s vs pgbench tps (median): {s['writes_ratio']:.0%}, target >= 50 %: "
      f"{'met' if met else 'NOT MET'}")
print(f"errors {errors}, cross-account entries {leaks}, reads/exports not matching the "
      f"acknowledged writes {mismatches}" + (f"; first: {problems[0]}" if problems else ""))
result = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "binary": binary,
          "accounts": int(accounts), "seconds": float(seconds), "read_every": int(read_every),
          "cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0], "rounds": rows,
          "median": summary, "target_writes_ratio": TARGET, "met": met,
          "errors": errors, "leaks": leaks, "mismatches": mismatches}
with open(out_path, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"wrote {out_path}")
sys.exit(1 if failed or errors or leaks or mismatches else 0)
PY
