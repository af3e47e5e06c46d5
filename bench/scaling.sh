#!/bin/sh
# Scaling figures of the README (issue 14, part 3): time and peak memory of
# scenarios/world.json as requests, catalog and PoPs grow, at each thread
# count of THREADS (default "1 N", N the machine's cores; --threads, the
# parallel world). One run a line; run it several times on a busy machine
# and take medians. Long: the 10^8-request run alone takes minutes a thread
# count. CPU seconds (user + system) beside the wall clock: on a shared
# machine they move far less with the load; `busiest` is the CPU of the
# busiest thread (what `run` reports on standard error), the wall time a
# quiet machine would approach.
# usage: [THREADS="1 2 4"] bench/scaling.sh [BUILD_DIR] [reps]
set -u
build=${1:-build}
reps=${2:-1}
cdnsim=$build/cdnsim
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
threads=${THREADS:-$( [ "$cores" -gt 1 ] && echo "1 $cores" || echo 1)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_scale.XXXXXX")
trap 'rm -rf "$dir"' EXIT

one() { # label, then the run's extra arguments
    label=$1; shift
    for t in $threads; do
        r=0
        while [ "$r" -lt "$reps" ]; do
            /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$cdnsim" run scenarios/world.json \
                --threads "$t" --out "$dir/r.json" "$@" > /dev/null 2> "$dir/err" ||
                { echo "$label, $t threads: failed: $(tail -1 "$dir/err")"; r=$((r + 1)); continue; }
            read -r wall kb usr sys < "$dir/time"
            busiest=$(sed -n 's/.* s CPU in all, \([0-9.]*\) s in the busiest thread.*/\1/p' "$dir/err")
            domains=$(sed -n 's/.*: \([0-9]*\) domains on .*/\1/p' "$dir/err")
            awk -F'[:,]' -v l="$label" -v t="$t" -v w="$wall" -v kb="$kb" -v b="${busiest:--}" \
                -v nd="${domains:-1}" -v cpu="$(echo "$usr $sys" | awk '{print $1 + $2}')" \
                '/"requests_sent":/ {r=$2}
                END {printf "%s, %d threads (%d domains): %d requests, %.1f s wall, %.1f s CPU (busiest thread %s s), %.2f M requests a CPU second, peak %d MB\n",
                     l, t, nd, r, w, cpu, b, r/cpu/1e6, kb/1024}' "$dir/r.json"
            r=$((r + 1))
        done
    done
}

echo "== threads: $threads (load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
echo "== requests (catalog 2 x 10^5, the scenario's own)"
one "10^6 requests" --set duration_s=100 --set warmup_s=10
one "10^7 requests" --set duration_s=1000
one "10^8 requests" --set duration_s=10000
echo "== catalog (10^6 requests)"
for objects in 100000 1000000 10000000 100000000; do
    one "catalog $objects" --set duration_s=100 --set warmup_s=10 --set workload.objects=$objects
done
echo "== PoPs (10^6 requests, no shields; the first N of topologies/pops.csv, then Cloudflare's footprint)"
for pops in 50 100 200 300; do
    list=$(awk -F, '!/^#/ && !/^iata/ && n<'"$pops"' {printf "%s\"%s\"", (n++?",":""), $1}' topologies/pops.csv)
    one "pops $pops" --set duration_s=100 --set warmup_s=10 --set "topology.pops=[$list]" \
        --set shield.enabled=false --set 'origin={"lat":39.04,"lon":-77.49,"capacity_rps":20000,"service_ms":20}'
done
# 1,000 PoPs: every distinct city of the footprints and topologies/pops.csv
# (704 at 0.1 degree), then second sites 0.05 degree off in the cities of
# pops.csv until there are 1,000 (large CDNs run several sites a metro)
cat topologies/pops.csv topologies/footprints/*.csv | grep -v '^#' | awk -F, -v OFS=, '
    /^iata/ {if (!h++) print; next}
    {k = sprintf("%.1f,%.1f", $5, $6); if (!(k in s)) {s[k] = 1; n++; print "P" n, $2, $3, $4, $5, $6}}
    END {while ((getline l < "topologies/pops.csv") > 0 && n < 1000) {
             split(l, f, ","); if (l ~ /^#/ || f[1] == "iata") continue
             n++; print "P" n, f[2] " 2", f[3], f[4], f[5] + 0.05, f[6] + 0.05}}' > "$dir/pops1000.csv"
one "pops $(($(wc -l < "$dir/pops1000.csv") - 1)) (footprints' cities, then second sites)" \
    --set duration_s=100 --set warmup_s=10 --set "topology.pops_file=$dir/pops1000.csv" \
    --set shield.enabled=false --set 'origin={"lat":39.04,"lon":-77.49,"capacity_rps":20000,"service_ms":20}'
one "cloudflare footprint (333 PoPs)" --set duration_s=100 --set warmup_s=10 \
    --set topology.pops_file=../topologies/footprints/cloudflare.csv --set shield.enabled=false \
    --set 'origin={"lat":39.04,"lon":-77.49,"capacity_rps":20000,"service_ms":20}'
