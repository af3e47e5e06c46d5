#!/bin/sh
# cli_sweep_mpi — an MPI sweep on two ranks gives the same summary as a
# serial local sweep, resumes, and fails bad input with exit 2. Runs only
# against an MPI build (`make MPI=1`) with mpirun installed; otherwise it
# says so and passes.
set -u
: "${CDNSIM:=build/cdnsim}"
if ! "$CDNSIM" sweep --help 2>/dev/null | grep -q 'Built with MPI'; then
    echo "cli_sweep_mpi: $CDNSIM is not an MPI build (make MPI=1): skipped"
    exit 0
fi
if ! command -v mpirun > /dev/null 2>&1; then
    echo "cli_sweep_mpi: mpirun not installed: skipped"
    exit 0
fi
. "$(dirname "$0")/cli_common.sh"
# CI containers run as root; two ranks on however many cores there are
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { mpirun -n "$1" "$CDNSIM" sweep "$2" --quiet --out "$3"; }

cat > "$dir/base.json" <<'J'
{"name": "tiny", "seed": 11, "duration_s": 4, "warmup_s": 1,
 "workload": {"type": "zipf", "objects": 1000, "alpha": 0.9, "rate_rps": 500},
 "cache": {"policy": "lru", "capacity_objects": 100}}
J
cat > "$dir/sweep.json" <<'J'
{"base": "base.json", "replications": 3,
 "parameters": {"cache.capacity_objects": [20, 100, 400], "cache.policy": ["lru", "sieve"]}}
J
"$CDNSIM" sweep "$dir/sweep.json" --jobs 1 --quiet --out "$dir/serial" || fail "serial sweep"
mpi 2 "$dir/sweep.json" "$dir/mpi2" > "$dir/log" 2>&1 || fail "mpirun -n 2: $(cat "$dir/log")"
mpi 3 "$dir/sweep.json" "$dir/mpi3" > "$dir/log" 2>&1 || fail "mpirun -n 3: $(cat "$dir/log")"
for d in mpi2 mpi3; do
    cmp -s "$dir/serial/summary.json" "$dir/$d/summary.json" || fail "$d: summary.json differs from serial"
    cmp -s "$dir/serial/summary.csv" "$dir/$d/summary.csv" || fail "$d: summary.csv differs from serial"
done
rm "$dir/mpi2/runs/p0004-r2.json" "$dir/mpi2/summary.json"
mpi 2 "$dir/sweep.json" "$dir/mpi2" > "$dir/log" 2>&1 || fail "mpi resume: $(cat "$dir/log")"
cmp -s "$dir/serial/summary.json" "$dir/mpi2/summary.json" || fail "resumed MPI summary differs"
printf '%s\n' '{"base": "base.json", "parameters": {"cache.capacity_object": [1]}}' > "$dir/bad.json"
mpi 2 "$dir/bad.json" "$dir/bad" > "$dir/log" 2>&1
rc=$?
[ $rc = 2 ] || fail "bad sweep under mpirun: exit $rc, want 2"
grep -qF '$.parameters["cache.capacity_object"]' "$dir/log" || fail "bad sweep: path not named: $(cat "$dir/log")"
[ ! -e "$dir/bad/summary.json" ] || fail "bad sweep wrote a summary"

# a run that cannot be written fails the job, rank 0 naming the rank and point
mkdir -p "$dir/fail/runs/p0001-r0.json/blocked"
mpi 2 "$dir/sweep.json" "$dir/fail" > "$dir/log" 2>&1
rc=$?
[ $rc = 1 ] || fail "failed run under mpirun: exit $rc, want 1"
grep -q 'rank 1: point 1 ' "$dir/log" || fail "failed run: message lacks rank and point: $(cat "$dir/log")"

finish
