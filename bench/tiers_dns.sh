#!/bin/sh
# The cost per request of extra shield tiers and of DNS mapping, on
# scenarios/world.json at 10^6 requests (100 s of virtual time): callgrind
# instructions a request inside sim_run (machine-independent, see
# instructions.sh) and requests/s of a plain run (machine- and
# load-dependent), side by side. Then the world build time (catchments'
# wall_s: PoPs, AS graph, BGP, catchments) of the default 300-PoP list and of
# the 333-PoP Cloudflare footprint, best of 5. About 7 minutes.
# usage: bench/tiers_dns.sh [BUILD_DIR]
set -u
build=${1:-build}
cdnsim=$build/cdnsim
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_tiers.XXXXXX")
trap 'rm -rf "$dir"' EXIT
l1='"LAX","FRA","SIN","NRT","GRU","JNB","SYD","ORD"'
l0='"SEA","DFW","MIA","AMS","LHR","CDG","HKG","BOM","ICN","SCL","DXB","YYZ"'

# name, then --set arguments
variant() {
    name=$1; shift
    instr=$(sh bench/instructions.sh "$build" "$@" | sed -n 's/.*events: \([0-9]*\) instructions a request, \([0-9]*\) an event, \([0-9.]*\) events a request/\1 \2 \3/p')
    "$cdnsim" run scenarios/world.json --quiet --out "$dir/r.json" --set duration_s=100 --set warmup_s=10 "$@" ||
        { echo "$name: run failed"; return; }
    rps=$(awk -F'[:,]' '/"requests_sent":/ {r=$2} /"wall_s":/ {w=$2} END {printf "%.2f", r/w/1e6}' "$dir/r.json")
    set -- $instr
    printf '%-34s %6s instr/request %5s instr/event %5s events/request %6s M requests/s\n' "$name" "$1" "$2" "$3" "$rps"
}

echo "-- shield tiers (anycast)"
variant "no shield" --set shield.enabled=false
variant "1 level (8 PoPs)" --set "shield={\"tiers\":[{\"pops\":[$l1]}]}"
variant "2 levels (8, then IAD)" --set "shield={\"tiers\":[{\"pops\":[$l1]},{\"pops\":[\"IAD\"]}]}"
variant "3 levels (12, 8, then IAD)" --set "shield={\"tiers\":[{\"pops\":[$l0]},{\"pops\":[$l1]},{\"pops\":[\"IAD\"]}]}"
echo "-- mapping (world.json's 8 shields)"
variant "anycast" --set routing.mode=anycast
variant "geo (ideal)" --set routing.mode=geo
variant "dns (ISP resolvers)" --set routing.mode=dns
variant "dns (30% public, no ECS, ttl 20)" --set routing.mode=dns --set dns.public_resolver_share=0.3 \
    --set dns.ecs=false --set dns.ttl_s=20

echo "-- world build (catchments wall_s, best of 5)"
for s in scenarios/world.json scenarios/presets/cloudflare.json; do
    best=
    for i in 1 2 3 4 5; do
        w=$("$cdnsim" catchments "$s" --quiet --out "$dir/c.json" && awk -F'[:,]' '/"wall_s":/ {print $2}' "$dir/c.json")
        best=$(awk -v a="$best" -v b="$w" 'BEGIN {print (a == "" || b < a) ? b : a}')
    done
    pops=$(awk -F'[:,]' '/"pops":/ {print $2; exit}' "$dir/c.json")
    echo "$s: $pops PoPs, build $(awk -v b="$best" 'BEGIN {printf "%.0f", b * 1e3}') ms"
done
