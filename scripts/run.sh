#!/usr/bin/env bash
# Installs dependencies, builds the release binary and runs mgadvisor's main job on the embedded
# data: a plan for an example profile (PROFILE=path to choose another). Extra arguments are
# passed to `mgadvisor plan`, e.g. --format markdown.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mgadvisor

BIN=build/release/src/cli/mgadvisor
PROFILE=${PROFILE:-examples/night-cramps-older-woman.toml}
echo "Built $BIN"
echo
echo "\$ mgadvisor plan --profile $PROFILE $*"
"$BIN" plan --profile "$PROFILE" "$@"
echo
echo "Try the other examples (ls examples/), or describe yourself with flags:"
echo "  $BIN plan --age 45 --sex female --condition \"restless legs\" --med levothyroxine@07:00"
