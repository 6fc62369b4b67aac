#!/usr/bin/env bash
# Browser tests of the web page in real headless Chromium (tests/browser/e2e.test.mjs), and the
# node-only checks beside them: calendars parsed by ical.js (ical.test.mjs) and FHIR resources
# validated against R4 (fhir.test.mjs).
#
#   scripts/browser-test.sh [path-to-mgadvisor]    (default: build/debug/src/cli/mgadvisor)
#
# Installs Debian's chromium if it is missing (and nodejs/npm only if node is missing), installs
# playwright-core from tests/browser/package-lock.json with `npm ci` (it never downloads a
# browser), runs the tests against the binary and prints where the screenshots are. Exits non-zero
# when a test fails.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
binary="$(realpath "${1:-$repo/build/debug/src/cli/mgadvisor}")"
artifacts="$(realpath -m "${MG_ARTIFACTS_DIR:-$repo/build/artifacts}")"

[ -x "$binary" ] || { echo "browser-test: no mgadvisor binary at $binary (build it first)" >&2; exit 1; }

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser-test: installing ${missing[*]} (apt-get)"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

cd "$repo/tests/browser"
# playwright-core never downloads browsers; the variable only guards against a future change.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! npm ci --prefer-offline --no-audit --no-fund --loglevel=error; then
  echo "browser-test: npm ci failed (needs the npm registry or a warm npm cache)" >&2
  exit 1
fi

# Multi-user mode: when the binary has it and no server was given, a throwaway PostgreSQL cluster
# (scripts/pg-test-server.sh, in its own directory) for the length of the run.
pg_dir=""
stop_pg() { [ -z "$pg_dir" ] || MGADVISOR_PG_DIR="$pg_dir" "$repo/scripts/pg-test-server.sh" stop || true; }
trap stop_pg EXIT
if [ -z "${MGADVISOR_TEST_PG_URL:-}" ] && "$binary" serve --help 2>/dev/null | grep -q postgresql://; then
  pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/mg-browser-pg.XXXXXX")"
  chmod 755 "$pg_dir"
  MGADVISOR_TEST_PG_URL="$(MGADVISOR_PG_DIR="$pg_dir" "$repo/scripts/pg-test-server.sh" start)" || {
    echo "browser-test: could not start PostgreSQL for the multi-user tests" >&2
    exit 1
  }
  export MGADVISOR_TEST_PG_URL
fi

mkdir -p "$artifacts/browser"
status=0
MGADVISOR_BIN="$binary" MG_ARTIFACTS_DIR="$artifacts" \
  node --test --test-concurrency=1 --test-reporter=spec e2e.test.mjs ical.test.mjs fhir.test.mjs || status=$?
echo "browser-test: screenshots in $artifacts/browser/"
exit $status
