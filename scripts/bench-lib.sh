# Shared by the bench-*.sh scripts (source it from the project root).

# mg_apt_install TAG PACKAGE...: installs the Debian packages given (with sudo when not root);
# TAG names the script in its log line. Callers pass only the packages they found missing.
mg_apt_install() {
  local tag=$1
  shift
  [ $# -gt 0 ] || return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "$tag: installing $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

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
