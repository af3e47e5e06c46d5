#!/bin/sh
# miniature_table.sh — the error and speed-up tables of docs/caches.md
# (miniature simulations): each scenario run in full and with
# workload.sample = 0.1 and 0.01, over seeds (world.json) or generated traces
# (tracegen seeds), and the cloudPhysics trace when it is present. Prints
# Markdown; needs python3 and GNU time (/usr/bin/time) for wall time and peak
# memory (CPU time, user + system: the machine's other load moves wall
# time more). usage: scripts/miniature_table.sh [CDNSIM] [SEEDS]
set -eu
cdnsim=${1:-build/cdnsim}
seeds=${2:-1 2 3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/miniature.XXXXXX")
trap 'rm -rf "$dir"' EXIT
run() { # run NAME SCENARIO SEED [--set ...]: result in $dir/NAME.json, time in $dir/NAME.time
    name=$1 sc=$2 seed=$3
    shift 3
    /usr/bin/time -f "%e %U %S %M" -o "$dir/$name.time" "$cdnsim" run "$sc" --seed "$seed" --quiet --out "$dir/$name.json" "$@" 2> /dev/null
}
row() { # row LABEL FULL MINI
    python3 - "$dir" "$1" "$2" "$3" <<'PY'
import json, sys
d, label, fn, mn = sys.argv[1:]
f = json.load(open('%s/%s.json' % (d, fn))); m = json.load(open('%s/%s.json' % (d, mn)))
ft = open('%s/%s.time' % (d, fn)).read().split(); mt = open('%s/%s.time' % (d, mn)).read().split()
a = m['sample']['adjusted']; fo = f['origin']['requests']
cpu = lambda t: float(t[1]) + float(t[2])
print('| %s | %g | %.4f | %+.4f | %+.4f | %+.1f%% | %+.1f%% | %+.1f%% | %.2f s, %d MB | %.2f s, %d MB | %.0fx |' % (
    label, m['sample']['rate'], f['hit_ratio'], m['hit_ratio'] - f['hit_ratio'], a['hit_ratio'] - f['hit_ratio'],
    100 * (m['requests'] / f['requests'] - 1), 100 * (m['origin']['requests'] / fo - 1), 100 * (a['origin_requests'] / fo - 1),
    cpu(ft), int(ft[3]) // 1024, cpu(mt), int(mt[3]) // 1024, cpu(ft) / max(cpu(mt), 0.01)))
PY
}
# rows LABEL SCENARIO SEED: the full run, then a miniature a rate, a row each
rows() {
    run full "$2" "$3"
    for r in 0.1 0.01; do
        run "m$r" "$2" "$3" --set "workload.sample=$r"
        row "$1" full "m$r"
    done
}
echo "| scenario | R | full hit ratio | hit ratio error | adjusted | requests | origin requests | adjusted | full run (CPU, peak RSS) | miniature | speed-up (CPU) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for s in $seeds; do
    rows "world.json, seed $s" scenarios/world.json "$s"
done
# a generated trace: 5 x 10^6 requests over 10^6 objects, Zipf(0.8),
# lognormal sizes of mean 50 kB; an LRU of 5 GB (10% of the catalog's bytes)
for s in $seeds; do
    "$cdnsim" tracegen --objects 1000000 --requests 5000000 --alpha 0.8 --size-dist lognormal \
        --size-mean 50000 --size-sigma 1.2 --format oracleGeneral --seed "$s" --out "$dir/t.bin"
    printf '{"name": "tracegen", "warmup_s": 1000, "workload": {"type": "trace", "path": "%s", "format": "oracleGeneral"}, "cache": {"policy": "lru", "capacity_bytes": 5000000000}}\n' \
        "$dir/t.bin" > "$dir/t.json"
    rows "tracegen 5M, seed $s" "$dir/t.json" 1
done
cp=/work/shared/traces/cloudPhysicsIO.oracleGeneral.bin
if [ -r "$cp" ]; then
    printf '{"name": "cloudphysics", "warmup_s": 0, "workload": {"type": "trace", "path": "%s", "format": "oracleGeneral"}, "cache": {"policy": "lru", "capacity_objects": 5000}}\n' \
        "$cp" > "$dir/c.json"
    rows cloudPhysics "$dir/c.json" 1
fi
