#!/bin/sh
# bench_sweep — parallel sweep speed-up: a 12-point sweep (12 cache sizes of
# the single-PoP scenario, one replication, about 1 s of CPU per run) timed
# with --jobs 1 and --jobs 2 into fresh folders, and the speed-up printed.
# Target: >= 1.8x on 2 cores. A machine busy with other work shows less,
# since the second worker then competes for a core: run it on a quiet one.
# usage: bench/bench_sweep.sh [BUILD_DIR]   (or CDNSIM=path/to/cdnsim)
set -eu
build=${1:-build}
cdnsim=${CDNSIM:-$build/cdnsim}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench_sweep.XXXXXX")
trap 'rm -rf "$dir"' EXIT

cat > "$dir/sweep.json" <<J
{"base": "$here/scenarios/single_pop.json", "replications": 1,
 "parameters": {"cache.capacity_objects": [10, 20, 50, 100, 200, 500, 1000, 2000, 3000, 5000, 7000, 9000],
                "duration_s": [3600]}}
J

now() { date +%s.%N; }
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
t0=$(now)
"$cdnsim" sweep "$dir/sweep.json" --jobs 1 --quiet --out "$dir/j1"
t1=$(now)
"$cdnsim" sweep "$dir/sweep.json" --jobs 2 --quiet --out "$dir/j2"
t2=$(now)
cmp -s "$dir/j1/summary.json" "$dir/j2/summary.json" || { echo "bench_sweep: summaries differ" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" -v cpus="$(getconf _NPROCESSORS_ONLN)" -v load="$load" 'BEGIN {
    s = b - a; p = c - b
    printf "sweep 12 points x 1 replication (single_pop, 3600 s virtual each), %d CPUs online, load %s before\n", cpus, load
    printf "  --jobs 1: %6.2f s  (%.2f s per run)\n", s, s / 12
    printf "  --jobs 2: %6.2f s\n", p
    printf "  speed-up: %.2fx (target >= 1.8x)\n", s / p
}'
