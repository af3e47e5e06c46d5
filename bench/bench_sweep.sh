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
# CPU seconds of a command and its workers (user + system), when
# /usr/bin/time is there: CPU / wall is how many cores the sweep really got,
# which tells a contended machine from a scheduling problem.
cpu_of() { # output file, command...
    out=$1; shift
    if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$out" "$@"
    else echo "nan nan" > "$out"; "$@"; fi
}
t0=$(now)
cpu_of "$dir/cpu1" "$cdnsim" sweep "$dir/sweep.json" --jobs 1 --quiet --out "$dir/j1"
t1=$(now)
cpu_of "$dir/cpu2" "$cdnsim" sweep "$dir/sweep.json" --jobs 2 --quiet --out "$dir/j2"
t2=$(now)
c1=$(awk '{ print $1 + $2 }' "$dir/cpu1")
c2=$(awk '{ print $1 + $2 }' "$dir/cpu2")
cmp -s "$dir/j1/summary.json" "$dir/j2/summary.json" || { echo "bench_sweep: summaries differ" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" -v cpus="$(getconf _NPROCESSORS_ONLN)" -v load="$load" \
    -v c1="$c1" -v c2="$c2" 'BEGIN {
    s = b - a; p = c - b
    printf "sweep 12 points x 1 replication (single_pop, 3600 s virtual each), %d CPUs online, load %s before\n", cpus, load
    printf "  --jobs 1: %6.2f s  (%.2f s per run), %.2f cores busy\n", s, s / 12, c1 / s
    printf "  --jobs 2: %6.2f s, %.2f cores busy\n", p, c2 / p
    printf "  speed-up: %.2fx (target >= 1.8x)\n", s / p
}'

# MPI (optional): with an MPI build in $CDNSIM_MPI and mpirun installed,
# the 12-point sweep on 3 ranks (rank 0 schedules, 2 compute), and the
# scheduling overhead per point: 200 near-empty runs (10 ms of virtual time)
# on one worker rank, after subtracting mpirun's start-up (a 1-run sweep).
mpi_bin=${CDNSIM_MPI:-}
if [ -n "$mpi_bin" ] && command -v mpirun > /dev/null 2>&1; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    t3=$(now)
    mpirun -n 3 "$mpi_bin" sweep "$dir/sweep.json" --quiet --out "$dir/mpi"
    t4=$(now)
    cmp -s "$dir/j1/summary.json" "$dir/mpi/summary.json" || { echo "bench_sweep: MPI summary differs" >&2; exit 1; }
    cat > "$dir/tiny.json" <<J
{"base": "$here/scenarios/single_pop.json", "replications": 200,
 "parameters": {"duration_s": [0.01], "warmup_s": [0]}}
J
    cat > "$dir/one.json" <<J
{"base": "$here/scenarios/single_pop.json", "parameters": {"duration_s": [0.01], "warmup_s": [0]}}
J
    t5=$(now); mpirun -n 2 "$mpi_bin" sweep "$dir/one.json" --quiet --out "$dir/one"; t6=$(now)
    mpirun -n 2 "$mpi_bin" sweep "$dir/tiny.json" --quiet --out "$dir/tiny"; t7=$(now)
    "$cdnsim" sweep "$dir/tiny.json" --jobs 1 --quiet --out "$dir/tinyl"; t8=$(now)
    awk -v s="$t1" -v a="$t0" -v b="$t3" -v c="$t4" -v d="$t5" -v e="$t6" -v f="$t7" -v g="$t8" 'BEGIN {
        printf "  mpirun -n 3 (2 computing ranks): %6.2f s, speed-up %.2fx over --jobs 1\n", c - b, (s - a) / (c - b)
        printf "  MPI overhead: mpirun start-up %.2f s; %.2f ms per point beyond it (200 near-empty runs on 1 rank),\n", e - d, 1000 * ((f - e) - (e - d)) / 199
        printf "                vs %.2f ms per point for local fork workers (--jobs 1)\n", 1000 * (g - f) / 200
    }'
fi
