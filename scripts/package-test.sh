#!/usr/bin/env bash
# Builds the Debian package from the release build, installs it on this machine as an admin
# would (apt-get install ./mgadvisor_*.deb, which also pulls its dependencies), runs the
# installed program (`mgadvisor --version`, a plan, the man page and completions in place), and
# removes it again (issue 19). The test command runs it after the release build.
#
#   scripts/package-test.sh            # uses build/release (configures and builds what it needs)
#
# The .deb stays in build/package/. Needs root (or sudo) to install; refuses to replace an
# mgadvisor package someone installed by other means.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build/release
OUT=build/package
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
log() { echo "package-test: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }

if dpkg-query -W -f='${Status}' mgadvisor 2>/dev/null | grep -q "install ok installed"; then
  die "an mgadvisor package is already installed here; not touching it"
fi
# dpkg-shlibdeps (dpkg-dev) computes the package's library dependencies.
command -v dpkg-shlibdeps >/dev/null || {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev
}
# zsh and fish (Debian), to try the installed completions of those shells as well as bash's.
shells=()
command -v zsh >/dev/null || shells+=(zsh)
command -v fish >/dev/null || shells+=(fish)
if [ ${#shells[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${shells[@]}" ||
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $SUDO apt-get install -y -qq --no-install-recommends "${shells[@]}"; }
fi

[ -f "$BUILD/CMakeCache.txt" ] || cmake --preset release >/dev/null
cmake --build "$BUILD" --target mgadvisor mg_install_files -j "$(nproc)"
rm -rf "$OUT"
(cd "$BUILD" && cpack -G DEB -B "$PWD/../../$OUT" >/dev/null) || die "cpack failed"
DEB=$(ls "$OUT"/mgadvisor_*.deb)
log "built $DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb --field "$DEB" Package Version Depends
dpkg-deb --contents "$DEB" | awk '{print $6}' >"$OUT/contents.txt"
for path in ./usr/bin/mgadvisor ./usr/libexec/mgadvisor/mgadvisor-postgres \
    ./usr/share/man/man1/mgadvisor.1.gz \
    ./usr/share/bash-completion/completions/mgadvisor ./usr/share/zsh/vendor-completions/_mgadvisor \
    ./usr/share/fish/vendor_completions.d/mgadvisor.fish ./usr/lib/systemd/system/mgadvisor.service \
    ./usr/share/doc/mgadvisor/OPERATIONS.md; do
  grep -qx "$path" "$OUT/contents.txt" || die "the package lacks $path"
done

installed=0
remove() {
  if [ "$installed" = 1 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq mgadvisor >/dev/null 2>&1 ||
      $SUDO dpkg -r mgadvisor >/dev/null
  fi
}
trap remove EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "./$DEB" \
  >"$OUT/install.log" 2>&1 || die "apt-get install: $(tail -5 "$OUT/install.log")"
installed=1

# The installed program, from its installed path, in a scratch data directory.
[ "$(command -v mgadvisor)" = /usr/bin/mgadvisor ] || die "mgadvisor is not /usr/bin/mgadvisor"
version=$(/usr/bin/mgadvisor --version)
[[ $version =~ ^mgadvisor\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{12}(-dirty)?|unknown)\)$ ]] ||
  die "--version printed: $version"
scratch=$(mktemp -d)
plan=$(cd "$scratch" && XDG_DATA_HOME="$scratch" /usr/bin/mgadvisor --json plan \
  --age 67 --sex female --condition "leg cramps" --med alendronate@07:00)
rm -rf "$scratch"
python3 -c 'import json,sys; p=json.loads(sys.argv[1]); assert p["life_stage"] == "female_51_plus" and p["totals"]["ul_supplemental_mg"] == 350 and p["interactions"][0]["class"] == "bisphosphonates"' "$plan" ||
  die "the installed program's plan is not the plan for that person: ${plan:0:300}"
# Multi-user mode is handed to /usr/libexec/mgadvisor/mgadvisor-postgres (the one that links
# libpq): the refusal to connect to a closed port comes from PostgreSQL's client library.
ldd /usr/bin/mgadvisor | grep -q libpq && die "/usr/bin/mgadvisor links libpq; only its sibling should"
refusal=$(/usr/bin/mgadvisor admin invite --db postgresql://nobody@127.0.0.1:1/mg 2>&1) &&
  die "admin invite against a closed port succeeded: $refusal"
grep -q 'cannot connect to PostgreSQL at postgresql://nobody@127.0.0.1:1/mg' <<<"$refusal" ||
  die "multi-user mode was not handed to mgadvisor-postgres: $refusal"
MANWIDTH=80 man mgadvisor 2>/dev/null | grep -q 'journal backup' || die "man mgadvisor does not show the page"
bash -c 'source /usr/share/bash-completion/completions/mgadvisor
         COMP_WORDS=(mgadvisor foods se); COMP_CWORD=2; _mgadvisor; [[ " ${COMPREPLY[*]} " == *" search "* ]]' ||
  die "bash completion does not complete 'foods se' to search"
# fish loads vendor completions by itself; `complete -C` lists what Tab offers for a line.
fish -c 'complete -C "mgadvisor admin re"' | grep -q '^reset-password' ||
  die "fish completion does not offer reset-password for 'admin re'"
fish -c 'complete -C "mgadvisor foods se"' | grep -q '^search' ||
  die "fish completion does not offer search for 'foods se'"
# zsh completes only at an interactive prompt: Tab typed into one on a pseudo-terminal.
zsh -f tests/deploy/zsh-complete.zsh /usr/share/zsh/vendor-completions "foods se" "foods search" ||
  die "zsh completion does not complete 'foods se' to search"
zsh -f tests/deploy/zsh-complete.zsh /usr/share/zsh/vendor-completions "admin re" \
  "admin reset-password" || die "zsh completion does not complete 'admin re' to reset-password"
log "installed: $version; a plan, multi-user mode's program, the man page and bash, zsh and fish completion work"
remove
installed=0
[ ! -e /usr/bin/mgadvisor ] || die "/usr/bin/mgadvisor is still there after removal"
log "removed"
