#!/usr/bin/env bash
# Long journals (issue 20): a five-year daily journal in SQLite, and how long the commands that
# read all of it take — export, the trial report and its charts — each beside sqlite3 reading
# every entry of the same file, so the ratio means something on a busy machine.
#
#   scripts/bench-journal.sh [path/to/mgadvisor]     # default: builds the release preset
#
# The journal: 1,826 days ending 2026-11-23, each with an IRLS score (ten items), a pain and a
# sleep score, three foods and, every other day, a 300 mg dose: about 12,800 entries; its last 168
# days are an n-of-1 trial (`trial plan`, seed 5). It is built by `journal import` of an export,
# the way a person's moved journal arrives. Figures: best of 5 runs of the whole program, CPU
# time (user + system; on a quiet machine wall time is about the same, on a shared one it is not).
# Target: <= 50 ms each. Nothing is asserted; a command that fails stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/bench-lib.sh
BIN=$(mg_release_binary "${1:-}")
[ -x "$BIN" ] || { echo "bench-journal: $BIN is not an executable" >&2; exit 1; }
BIN=$(realpath "$BIN")
command -v sqlite3 >/dev/null || { echo "bench-journal: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }

WORK=$(mktemp -d -t mg-bench-journal.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_DATA_HOME="$WORK/xdg"
DB="$WORK/journal.db"
TRIAL_START=2026-06-08  # 168 days before "today": the trial has just ended.
TODAY=2026-11-23

# The trial, planned on its first day, gives the export its trial record and stored profile.
MGADVISOR_TODAY=$TRIAL_START "$BIN" trial plan --outcome irls --seed 5 \
  --profile "$ROOT/examples/restless-legs.toml" --db "$WORK/seed.db" >/dev/null
MGADVISOR_TODAY=$TRIAL_START "$BIN" journal export --db "$WORK/seed.db" --out "$WORK/seed.json"

python3 - "$WORK/seed.json" "$WORK/five-years.json" "$TODAY" <<'PY'
import datetime, json, random, sys
seed, out, today = sys.argv[1], sys.argv[2], datetime.date.fromisoformat(sys.argv[3])
doc = json.load(open(seed))
rng = random.Random(20)
entries, next_id = [], 1
def add(**fields):
    global next_id
    entries.append(dict(id=next_id, **fields))
    next_id += 1
foods = [("Pumpkin seeds — 30 g", 156.0), ("Spinach, boiled — 1 cup (180 g)", 157.0),
         ("Almonds — 1 oz (28 g)", 76.0), ("Brown rice, cooked — 1 cup (195 g)", 86.0)]
for back in range(1825, -1, -1):
    day = (today - datetime.timedelta(days=back)).isoformat()
    items = [rng.randint(0, 4) for _ in range(10)]
    add(date=day, kind="irls", irls_items=items, value=float(sum(items)))
    add(date=day, kind="pain", value=float(rng.randint(0, 10)))
    add(date=day, kind="sleep", value=float(rng.randint(3, 9)))
    for label, mg in rng.sample(foods, 3):
        add(date=day, kind="food", label=label, magnesium_mg=mg)
    if back % 2 == 0:
        add(date=day, kind="dose", label="citrate", magnesium_mg=300.0)
doc["entries"] = entries
json.dump(doc, open(out, "w"))
print(f"bench-journal: {len(entries)} entries over 1,826 days", file=sys.stderr)
PY
MGADVISOR_TODAY=$TODAY "$BIN" journal import --db "$DB" "$WORK/five-years.json" >/dev/null
BYTES=$(stat -c %s "$DB")

# Best of 5 runs of a command, its output thrown away, in tenths of a millisecond of CPU time
# (user + system): on a machine shared with other builds, wall-clock time mostly measures them.
best_ms() {
  local best=""
  for _ in 1 2 3 4 5; do
    local cpu
    cpu=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null; } 2>&1 | tail -1)
    local ms
    ms=$(echo "$cpu" | awk '{ printf "%d", ($1 + $2) * 10000 }')
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
fmt_ms() { printf '%d.%d' $(($1 / 10)) $(($1 % 10)); }

export MGADVISOR_TODAY=$TODAY
base=$(best_ms sqlite3 "$DB" "select * from entries; select * from irls_items;")
printf '\nfive-year daily journal: %s bytes of SQLite (%s CPUs, load average %s)\n\n' \
  "$BYTES" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-58s %9s %9s  %s\n' "command (best of 5, CPU time)" "ms" "ratio" "<= 50 ms"
printf '%-58s %9s %9s\n' "sqlite3: select every entry and IRLS item (baseline)" "$(fmt_ms "$base")" "1.0"
row() {
  local name=$1
  shift
  local t
  t=$(best_ms "$@")
  printf '%-58s %9s %8.1fx  %s\n' "$name" "$(fmt_ms "$t")" "$(echo "$t / $base" | bc -l)" \
    "$([ "$t" -le 500 ] && echo met || echo 'NOT MET')"
}
row "journal export (JSON)" "$BIN" journal export --db "$DB"
row "journal export --format csv" "$BIN" journal export --db "$DB" --format csv
row "trial report" "$BIN" trial report --db "$DB"
row "trial report --json" "$BIN" --json trial report --db "$DB"
row "trial report --svg-dir (the charts)" "$BIN" trial report --db "$DB" --svg-dir "$WORK/charts"
row "journal intake --from (a year of days)" "$BIN" journal intake --db "$DB" --from 2025-11-24
row "journal show (every entry)" "$BIN" journal show --db "$DB"
row "mgadvisor --help (the floor: starting the program)" "$BIN" --help
