#!/usr/bin/env bash
# Compiles (syntax and warnings only) every .cc file changed since BASE with clang 14, using the
# flags CMake recorded for the gcc release build:
#
#   scripts/clang-syntax-check.sh [BASE] [BUILD_DIR]   # defaults: main, build/release
#
# Why: day to day we build with gcc (release preset), while CI's sanitizer and fuzz builds use
# clang 14, which refuses some code gcc accepts (a lambda capturing a structured binding, for
# one). Run this before committing, and CI does not fail on it an hour later. Exit status:
# non-zero when any file does not compile or warns (-Werror, as every preset).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${1:-main}
BUILD=${2:-build/release}
DB="$BUILD/compile_commands.json"
CLANG=${CLANG:-clang++-14}

command -v "$CLANG" >/dev/null || {
  source scripts/bench-lib.sh
  mg_apt_install clang-syntax-check clang-14
}
[ -f "$DB" ] || { echo "clang-syntax-check: no $DB; configure first (cmake --preset release)" >&2; exit 1; }

mapfile -t changed < <(git diff --name-only --diff-filter=ACMR "$BASE" -- '*.cc')
if [ ${#changed[@]} -eq 0 ]; then
  echo "clang-syntax-check: no .cc file changed since $BASE"
  exit 0
fi

python3 - "$DB" "$CLANG" "${changed[@]}" <<'EOF'
import json, os, shlex, subprocess, sys

db_path, clang, *files = sys.argv[1:]
entries = {os.path.realpath(e["file"]): e for e in json.load(open(db_path))}
failed = 0
for name in files:
    entry = entries.get(os.path.realpath(name))
    if entry is None:
        print(f"clang-syntax-check: {name}: not in {db_path} (not built by this preset), skipped")
        continue
    args = shlex.split(entry["command"])[1:]
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-c"):  # The object file and the source: replaced below.
            skip = True
            continue
        if arg == "-Wno-restrict":  # A gcc-only warning.
            continue
        kept.append(arg)
    command = [clang, *kept, "-fsyntax-only", entry["file"]]
    result = subprocess.run(command, cwd=entry["directory"], capture_output=True, text=True)
    status = "ok" if result.returncode == 0 else "FAILED"
    print(f"{status:6} {name}")
    if result.returncode != 0:
        failed += 1
        sys.stdout.write(result.stderr)
print(f"clang-syntax-check: {len(files)} file(s), {failed} failed")
sys.exit(1 if failed else 0)
EOF
