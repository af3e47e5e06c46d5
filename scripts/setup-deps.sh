#!/bin/sh
# Installs the Debian packages cdnsim builds and tests with, only those missing.
# Called by `make` before the first build, so `make run` and `make test` work on a
# fresh machine with nothing else typed.
set -eu
pkgs="build-essential pkg-config libgsl-dev libcjson-dev libigraph-dev check libzstd-dev gnuplot-nox gnuplot-doc libsqlite3-dev sqlite3 jq libxml2-utils"
[ "${MPI:-}" = 1 ] && pkgs="$pkgs libopenmpi-dev openmpi-bin"
# make fuzz: clang and its libFuzzer runtime
[ "${FUZZ:-}" = 1 ] && pkgs="clang libclang-rt-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "cdnsim: installing Debian packages:$missing" >&2
# On a fresh cloud machine unattended-upgrades often holds the dpkg lock for
# the first minutes: wait for it (up to 10 minutes) instead of failing at once.
echo "cdnsim: (waiting up to 10 minutes if another apt-get holds the dpkg lock)" >&2
lock="-o DPkg::Lock::Timeout=600"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$sudo apt-get $lock update -qq >&2 || true
# shellcheck disable=SC2086
$sudo apt-get $lock install -y -qq --no-install-recommends $missing >&2
