#!/bin/sh
# make bench — every performance figure the README quotes, measured here.
# Wall-clock figures depend on the machine and on what else runs: run on a
# quiet machine. Peak memory is the maximum resident set (GNU time).
# usage: bench/run.sh [BUILD_DIR]
set -u
build=${1:-build}
cdnsim=$build/cdnsim
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# peak RSS in MB and wall seconds of a command, printed after its own output
measure() {
    /usr/bin/time -f '%e %M' -o "$dir/time" "$@" > /dev/null || echo "  (failed: $*)"
    read -r wall kb < "$dir/time"
    echo "$wall $((kb / 1024))"
}

# events/s and requests/s of one run from its result JSON
rates() {
    awk -F'[:,]' '/"events":/ {e=$2} /"requests_sent":/ {r=$2} /"wall_s":/ {w=$2}
                  END {printf "%.2f M events/s, %.2f M requests/s", e/w/1e6, r/w/1e6}' "$1"
}

# what the caches hold at the end, and per cached object: the caches' own
# bytes, and the whole process's peak ($2, MB)
held() {
    awk -F'[:,]' -v mb="$2" '/"memory":/ {m=1} m && /"cached_objects":/ {n=$2}
                  m && /"bytes_per_cached_object":/ {b=$2}
                  END {printf "%.2f M objects cached, %.1f B each in the caches, %.1f B each of peak", n/1e6, b, mb*1048576/n}' "$1"
}

echo "== world.json at 10^6 requests: instructions a request (callgrind, sim_run only;"
echo "   machine-independent) beside requests/s, events/s and peak memory (this machine)"
instr=$(sh bench/instructions.sh "$build")
echo "$instr"
read -r wall mb <<EOT
$(measure "$cdnsim" run scenarios/world.json --quiet --out "$dir/h.json" --set duration_s=100 --set warmup_s=10)
EOT
ipr=$(echo "$instr" | sed -n 's/.*: \([0-9]*\) instructions a request.*/\1/p')
echo "world.json, 10^6 requests: ${ipr:-?} instructions a request, $(rates "$dir/h.json"), peak ${mb} MB"

echo
echo "== kernel: hold model (one exponential successor per event)"
"$build/bench/bench_kernel" 20000000

echo
echo "== single-PoP LRU study (10^5 objects, Zipf 0.8, cache 10^4, 10^7 requests)"
for objects in 100000 1000000 10000000; do
    set -- run scenarios/single_pop.json --quiet --out "$dir/r.json" \
        --set workload.objects=$objects --set cache.capacity_objects=$((objects / 10)) \
        --set workload.rate_rps=10000 --set duration_s=1000 --set warmup_s=100 --set content.ttl_s=600
    read -r wall mb <<EOT
$(measure "$cdnsim" "$@")
EOT
    echo "objects=$objects cache=$((objects / 10)): $(rates "$dir/r.json"), peak ${mb} MB"
done

echo
npops=$(grep -vc '^#\|^iata' topologies/pops.csv)
echo "== world scenario ($npops PoPs, 20,000 ASes, 886 client groups, shields; cache 10% of the catalog)"
for req in 1000000 10000000; do
    dur=$((req / 10000))
    for objects in 100000 1000000; do
        read -r wall mb <<EOT
$(measure "$cdnsim" run scenarios/world.json --quiet --out "$dir/w.json" --set duration_s=$dur \
            --set warmup_s=0 --set workload.objects=$objects --set cache.capacity_objects=$((objects / 10)))
EOT
        echo "requests=$req objects=$objects: $(rates "$dir/w.json"), peak ${mb} MB"
        echo "    $(held "$dir/w.json" "$mb")"
    done
done
echo "-- growth with PoPs (the first N of the list, no shields, 10^6 requests, 10^6 objects)"
for pops in 50 100 200 $npops; do
    list=$(awk -F, '!/^#/ && !/^iata/ && n<'"$pops"' {printf "%s\"%s\"", (n++?",":""), $1}' topologies/pops.csv)
    read -r wall mb <<EOT
$(measure "$cdnsim" run scenarios/world.json --quiet --out "$dir/w.json" --set duration_s=100 \
        --set warmup_s=0 --set "topology.pops=[$list]" --set shield.enabled=false \
        --set workload.objects=1000000 --set cache.capacity_objects=100000 \
        --set 'origin={"lat":39.04,"lon":-77.49,"capacity_rps":20000,"service_ms":20}')
EOT
    echo "pops=$pops: $(rates "$dir/w.json"), peak ${mb} MB; $(held "$dir/w.json" "$mb")"
done

for extra in "$build/bench/bench_cache" bench/bench_replay.sh bench/bench_direct.sh bench/bench_routes.sh bench/bench_sweep.sh bench/tiers_dns.sh; do
    [ -e "$extra" ] || continue
    echo
    echo "== $extra"
    case "$extra" in
        *.sh) sh "$extra" "$build" ;;
        *) "$extra" ;;
    esac
done
