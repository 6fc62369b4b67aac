#!/usr/bin/env bash
# Installs dependencies, builds the release binary and runs mgadvisor's main job on the embedded
# data: a plan for an example profile. Extra arguments are passed to `mgadvisor plan`.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mgadvisor

BIN=build/release/src/cli/mgadvisor
echo "Built $BIN"
echo
echo "\$ mgadvisor dri --age 67 --sex female"
"$BIN" dri --age 67 --sex female
echo
echo "\$ mgadvisor elemental \"magnesium citrate\" --elemental 200mg"
"$BIN" elemental "magnesium citrate" --elemental 200mg
