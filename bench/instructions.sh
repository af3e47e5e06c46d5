#!/bin/sh
# Instructions a simulated request on scenarios/world.json at 10^6 requests
# (100 s of virtual time at 10^4 requests/s), counted by callgrind inside
# sim_run only, so the world's construction (BGP over 20,000 ASes) and the
# result's writing are left out. Machine-independent, unlike requests/s:
# the figure to compare across machines and commits. About 45 s.
# usage: bench/instructions.sh [BUILD_DIR] [--set PATH=VALUE]...
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
command -v valgrind > /dev/null || { echo "instructions: valgrind not installed, skipped"; exit 0; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_instr.XXXXXX")
trap 'rm -rf "$dir"' EXIT
valgrind --tool=callgrind --collect-atstart=no --toggle-collect=sim_run \
    --callgrind-out-file="$dir/cg" "$build/cdnsim" run scenarios/world.json --quiet \
    --set duration_s=100 --set warmup_s=10 "$@" --out "$dir/r.json" 2> "$dir/log" ||
    { tail -3 "$dir/log"; exit 1; }
ir=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)/\1/p' "$dir/log")
awk -F'[:,]' -v ir="$ir" '/"requests_sent":/ {r=$2} /"events":/ {e=$2}
    END {printf "world.json, %d requests, %d events: %.0f instructions a request, %.0f an event, %.2f events a request\n",
         r, e, ir/r, ir/e, e/r}' "$dir/r.json"
