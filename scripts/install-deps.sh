#!/usr/bin/env bash
# Installs everything mgadvisor needs to build and test, from Debian 12 packages.
# Safe to run repeatedly: it only calls apt-get when a package is missing.
set -euo pipefail

# What each package is for is listed in README.md ("Dependencies").
PACKAGES=(
  g++ cmake ninja-build pkg-config clang-format clang-14 libclang-rt-14-dev lld-14
  libfmt-dev nlohmann-json3-dev libutfcpp-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev libboost-dev zlib1g-dev libcpp-httplib-dev libsodium-dev libpqxx-dev
  libjemalloc-dev libqrencode-dev libexpat1-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light openssl dpkg-dev pgbouncer
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
