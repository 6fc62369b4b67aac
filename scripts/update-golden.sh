#!/usr/bin/env bash
# Regenerates the golden plans: for every example profile (examples/*.toml, examples/*.json) its
# plan as text and as JSON, in examples/golden/<name>.txt and <name>.json; and for every example
# page of the claim checker (examples/check/) its checked claims beside it. golden_test (in
# cli_test) compares the program's output with these files, so a change to the knowledge base,
# the policy, the messages or the engine shows up in review as a readable diff of plans.
#
#   ./scripts/update-golden.sh                      # with build/asan-ubsan's binary (built if needed)
#   ./scripts/update-golden.sh path/to/mgadvisor    # with another build
#
# Review `git diff examples/golden` before committing: every changed line is advice that changed.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-build/asan-ubsan/src/cli/mgadvisor}
if [ $# -eq 0 ]; then
  cmake --preset asan-ubsan >/dev/null
  cmake --build build/asan-ubsan --target mgadvisor -j "$(nproc)"
fi
[ -x "$binary" ] || { echo "update-golden: no program at $binary" >&2; exit 1; }

mkdir -p examples/golden
rm -f examples/golden/*.txt examples/golden/*.json
count=0
for profile in examples/*.toml examples/*.json; do
  [ -f "$profile" ] || continue
  name=$(basename "${profile%.*}")
  # The plan must not depend on the user's --reference default or a --kb override.
  "$binary" plan --profile "$profile" >"examples/golden/$name.txt"
  "$binary" plan --profile "$profile" --json >"examples/golden/$name.json"
  count=$((count + 1))
done
echo "update-golden: wrote the plans of $count example profiles to examples/golden/"

# The claim checker's example pages: each page's checked text and JSON beside it
# (examples/check/<page>.expected.txt and .expected.json; check_cli_test compares them).
pages=0
for page in examples/check/*; do
  case "$page" in *.expected.txt | *.expected.json) continue ;; esac
  [ -f "$page" ] || continue
  "$binary" check "$page" >"$page.expected.txt"
  "$binary" --json check "$page" >"$page.expected.json"
  pages=$((pages + 1))
done
echo "update-golden: wrote the checked claims of $pages example pages to examples/check/"

# The n-of-1 trial protocol's version-1 text (src/trial/testdata/protocol-v1.md): part of every
# protocol hash registered with it, so trial_test compares it; rewritten here only on purpose.
test_binary="$(dirname "$binary")/../trial/trial_test"
if [ -x "$test_binary" ]; then
  MG_UPDATE_GOLDEN=1 "$test_binary" --gtest_filter='ProtocolTest.VersionOneTextIsUnchanged' >/dev/null
  echo "update-golden: wrote src/trial/testdata/protocol-v1.md"
fi
