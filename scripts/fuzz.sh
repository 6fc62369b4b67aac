#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, `fuzz` preset: clang 14, ASan + UBSan), replays every input
# that once crashed a target (fuzz/regressions/<target>/, named after the bug), then runs each
# target for a bounded time from its seed corpus (fuzz/corpus/<target>/). Prints, per target, the
# executions, the new crashes and the regressions that crash again; copies every crashing input
# to build/artifacts/fuzz/; exits non-zero if anything crashed.
#
#   ./scripts/fuzz.sh                     # every target, FUZZ_SECONDS (20) each
#   FUZZ_SECONDS=600 ./scripts/fuzz.sh profile http_body   # a long run of two targets
#   FUZZ_SEED=1 FUZZ_SECONDS=5 FUZZ_BUILD=build/asan-ubsan ./scripts/fuzz.sh   # the test command
#
# FUZZ_BUILD names a build tree that already has the targets configured (the asan-ubsan preset
# does: clang, MGADVISOR_FUZZ); without it the `fuzz` preset (-O1, faster executions) is built in
# build/fuzz, which is what long runs want.
#
# FUZZ_SEED fixes libFuzzer's random seed so a run starts from the same mutations each time (the
# test command uses it so a red run points at a bug, not at luck); the long exploratory runs that
# find new bugs leave it unset.
#
# A crash leaves build/artifacts/fuzz/<target>-crash-<sha1> (also leak-, timeout-, oom-);
# reproduce it with `build/fuzz/fuzz/<target>_fuzzer FILE` (or the FUZZ_BUILD tree's), add a
# unit test named after the bug beside the code, and the input to fuzz/regressions/<target>/. The corpus a run grows stays in
# <build>/fuzz-corpus/<target> for the next run; the seeds in the repository are only read.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-20}"
all_targets=(formula amount numbers_dates profile diary journal_import food_search data_files
             http_body label check fhir_import lan_pairing apple_health)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# The dictionaries each target uses (fuzz/<name>.dict, joined when there are several).
declare -A dictionaries=(
  [formula]="formula" [amount]="amount" [profile]="json toml" [diary]="json csv"
  [journal_import]="json csv" [http_body]="json" [data_files]="toml csv" [check]="check"
  [fhir_import]="json fhir" [apple_health]="apple_health"
)

# clang 14 and its libFuzzer/sanitizer runtimes (Debian), installed when missing.
missing=()
for pkg in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "fuzz: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_dir="${FUZZ_BUILD:-build/fuzz}"
if [ -z "${FUZZ_BUILD:-}" ]; then
  echo "== fuzz: build (fuzz preset, clang 14)"
  cmake --preset fuzz >/dev/null
else
  echo "== fuzz: build (targets in $build_dir)"
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzzer"); done
cmake --build "$build_dir" --target "${build_targets[@]}" -j "$(nproc)"

artifacts=build/artifacts/fuzz
mkdir -p "$artifacts"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

status=0
summary=()
for t in "${targets[@]}"; do
  binary="$build_dir/fuzz/${t}_fuzzer"
  corpus="$build_dir/fuzz-corpus/$t"
  mkdir -p "$corpus"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$artifacts/$t-")
  [ -z "${FUZZ_SEED:-}" ] || args+=(-seed="$FUZZ_SEED")
  if [ -n "${dictionaries[$t]:-}" ]; then
    dict="$build_dir/fuzz-corpus/$t.dict"
    : >"$dict"
    for d in ${dictionaries[$t]}; do cat "fuzz/$d.dict" >>"$dict"; done
    args+=(-dict="$dict")
  fi
  log="$artifacts/$t.log"
  echo "== fuzz: $t (${seconds}s)"
  # Inputs that crashed this target once, one run each so every one that fails is named. They are
  # not in the seed corpus: their size (e.g. 40 KB of nesting) would slow every mutation.
  regressions=0
  for input in fuzz/regressions/"$t"/*; do
    [ -f "$input" ] || continue
    if ! ("$binary" -rss_limit_mb=2048 -timeout=60 "$input") >"$log" 2>&1; then
      regressions=$((regressions + 1))
      status=1
      echo "fuzz: $t: regression $(basename "$input") crashes again:"
      grep -E "^==[0-9]+==ERROR|runtime error|fuzz invariant broken|what\(\)" "$log" | head -3 || true
      cp "$input" "$artifacts/$t-regression-$(basename "$input")"
    fi
  done
  before=$(ls "$artifacts" | grep -c "^$t-" || true)
  rc=0
  ("$binary" "${args[@]}" "$corpus" "fuzz/corpus/$t") >"$log" 2>&1 || rc=$?
  after=$(ls "$artifacts" | grep -c "^$t-" || true)
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' ||
          echo "?")
  crashes=$((after - before))
  if [ "$rc" -ne 0 ]; then
    [ "$crashes" -gt 0 ] || crashes=1  # Died without leaving an input (e.g. in a seed load).
    status=1
    echo "fuzz: $t FAILED (exit $rc); the report:"
    grep -E "^==[0-9]+==ERROR|runtime error|SUMMARY|fuzz invariant broken|terminate called|what\(\)|Test unit written" \
      "$log" | head -20 || true
    echo "fuzz: whole log in $log"
  fi
  summary+=("$(printf '%-16s %10s executions %3d new crashes %3d of %d regressions crash' "$t" \
    "$execs" "$crashes" "$regressions" "$(find fuzz/regressions/"$t" -type f 2>/dev/null | wc -l)")")
done

echo "== fuzz: summary (${seconds}s per target; crashing inputs in $artifacts/)"
printf '%s\n' "${summary[@]}"
exit $status
