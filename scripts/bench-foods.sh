#!/usr/bin/env bash
# Food search and import benchmarks: prints the figures that go into docs/PERFORMANCE.md.
#
#   scripts/bench-foods.sh [BUILD_DIR] [USDA_DIR]
#
# BUILD_DIR (default build/foods) must hold a Release build of foods_benchmark and, for the
# import-through-the-CLI figure, mgadvisor. USDA_DIR defaults to ../shared/data/usda.
# Ratios: FTS5 latency / mgadvisor latency (same process, same foods, same queries), and
# SR28 import time / `wc -l` time over the same four files (best of 5 each).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/foods}
usda=${2:-../shared/data/usda}
bench="$build/src/foods/foods_benchmark"
cli="$build/src/cli/mgadvisor"
[[ -x "$bench" ]] || { echo "no $bench: build it with ninja -C $build foods_benchmark" >&2; exit 2; }
[[ -d "$usda/sr28" ]] || { echo "no USDA data in $usda" >&2; exit 2; }

echo "== search: mgadvisor vs SQLite FTS5 over SR28 + FNDDS =="
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bench" --usda "$usda" --benchmark_min_time=0.5 | tee "$out"
inproc_ms=$(sed -n 's/^SR28 import in process (best of 5): \([0-9.]*\) ms$/\1/p' "$out")

# Best-of-5 wall time of a command, in milliseconds.
best_ms() {
  local best=""
  for _ in 1 2 3 4 5; do
    local start end ms
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [[ -z "$best" || "$ms" -lt "$best" ]]; then best=$ms; fi
  done
  echo "$best"
}

files=("$usda/sr28/FD_GROUP.txt" "$usda/sr28/FOOD_DES.txt" "$usda/sr28/NUT_DATA.txt"
       "$usda/sr28/WEIGHT.txt")
echo
echo "== import of the full SR28 vs wc -l over the same files =="
wc_ms=$(best_ms wc -l "${files[@]}")
echo "wc -l: ${wc_ms} ms"
awk -v a="$inproc_ms" -v b="$wc_ms" 'BEGIN { if (b < 1) b = 1; printf "import (in process) / wc -l: %.1fx\n", a / b }'
if [[ -x "$cli" ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp" "$out"' EXIT
  import_ms=$(best_ms "$cli" foods import "$usda/sr28" --store "$tmp/foods.csv")
  echo "mgadvisor foods import: ${import_ms} ms"
  awk -v a="$import_ms" -v b="$wc_ms" 'BEGIN { if (b < 1) b = 1; printf "import / wc -l: %.1fx\n", a / b }'
else
  echo "($cli not built: see the in-process import time above)"
fi
