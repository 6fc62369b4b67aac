# Shared by the bench-*.sh scripts (source it from the project root).

# mg_release_binary [PATH] [TARGET...]: PATH when given; otherwise builds the release preset's
# mgadvisor (and the extra TARGETs) and prints build/release/src/cli/mgadvisor. Build output goes
# to stderr, so `BIN=$(mg_release_binary "${1:-}")` captures only the path.
mg_release_binary() {
  local given=${1:-}
  shift || true
  if [ -n "$given" ]; then
    echo "$given"
    return
  fi
  cmake --preset release >/dev/null
  cmake --build --preset release --target mgadvisor "$@" >&2
  echo build/release/src/cli/mgadvisor
}
