#!/usr/bin/env bash
# Installs dependencies, builds with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror,
# runs every test with CTest, and checks formatting. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "== build (asan-ubsan preset)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$(nproc)"

echo "== tests"
status=0
ctest --preset asan-ubsan -j "$(nproc)" --timeout 900 || status=$?

# Formatting is checked after the tests so one run reports everything that is wrong.
echo "== clang-format check"
mapfile -t sources < <(git ls-files -co --exclude-standard '*.cc' '*.h' 2>/dev/null || true)
if [ ${#sources[@]} -gt 0 ] && ! clang-format --dry-run --Werror "${sources[@]}"; then
  echo "clang-format: files above need formatting (clang-format -i FILE)"
  status=1
fi
exit $status
