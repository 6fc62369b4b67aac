#!/usr/bin/env bash
# The main job: installs dependencies, builds the release binary and starts mgadvisor's local
# server — the web page and the JSON API on this computer only — in the foreground. It prints the
# address to open in a browser (http://127.0.0.1:8425/ by default); Ctrl-C stops it.
#
#   scripts/run.sh                   # serve; extra arguments go to `mgadvisor serve`, e.g.
#   scripts/run.sh --port 9000       #   another port
#   scripts/run.sh plan [ARGS...]    # instead print a plan for an example profile
#                                    #   (PROFILE=path to choose another; ARGS go to `plan`,
#                                    #   e.g. --format markdown)
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mgadvisor

BIN=build/release/src/cli/mgadvisor
echo "Built $BIN"
echo

if [ "${1:-}" = plan ]; then
  shift
  PROFILE=${PROFILE:-examples/night-cramps-older-woman.toml}
  echo "\$ mgadvisor plan --profile $PROFILE $*"
  "$BIN" plan --profile "$PROFILE" "$@"
  echo
  echo "Try the other examples (ls examples/), or describe yourself with flags:"
  echo "  $BIN plan --age 45 --sex female --condition \"restless legs\" --med levothyroxine@07:00"
  exit 0
fi

echo "\$ mgadvisor serve $*"
echo
# exec: the server is the foreground process itself, so Ctrl-C (SIGINT) reaches it directly and
# it stops cleanly with exit status 0; no shell is left behind to hold the terminal.
exec "$BIN" serve "$@"
