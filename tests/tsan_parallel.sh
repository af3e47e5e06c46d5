#!/bin/sh
# tsan_parallel — the parallel world under ThreadSanitizer: a short world.json
# run with a withdrawal, an origin outage and an announcement, on 3 threads
# (TSAN=the ThreadSanitizer build), must report no race and give the same
# result as the plain build (CDNSIM) on one thread.
set -u
: "${CDNSIM:=build/cdnsim}" "${TSAN:=build/tsan/cdnsim}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsan_parallel.XXXXXX")
trap 'rm -rf "$dir"' EXIT
ops='[{"at_s":20.5,"withdraw":"FRA"},{"at_s":21.2,"origin":"down"},{"at_s":21.5,"origin":"up"},{"at_s":25.7,"announce":"FRA"}]'
set -- scenarios/world.json --quiet --set duration_s=40 --set warmup_s=10 --set "operations=$ops"
"$CDNSIM" run "$@" --threads 1 --out "$dir/one.json" || { echo "FAIL: plain run: exit $?" >&2; exit 1; }
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$TSAN" run "$@" --threads 3 --out "$dir/three.json" 2> "$dir/err"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$dir/err" ] || { echo "FAIL: ThreadSanitizer run: exit $rc" >&2; head -40 "$dir/err" >&2; exit 1; }
for n in one three; do jq -S 'del(.wall_s, .program)' "$dir/$n.json" > "$dir/$n.cmp"; done
cmp -s "$dir/one.cmp" "$dir/three.cmp" || { echo "FAIL: 3 threads under ThreadSanitizer differ from 1 thread" >&2; exit 1; }
echo "tsan_parallel: passed"
