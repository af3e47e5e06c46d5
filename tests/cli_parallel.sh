#!/bin/sh
# cli_parallel — `cdnsim run --threads N`: bad thread counts exit 2 with one
# line and no result; the world and the presets give byte-identical results
# (wall_s apart) at 1, 2 and 3 threads; the result reports the partition.
set -u
. "$(dirname "$0")/cli_common.sh"

good='{"name":"t","seed":3,"duration_s":5,"warmup_s":1,
 "workload":{"type":"zipf","objects":100,"alpha":0.8,"rate_rps":100,"size_bytes":1000},
 "cache":{"policy":"lru","capacity_objects":10}}'
printf '%s\n' "$good" > "$dir/good.json"

for bad in 0 1025 -1 abc 2x ""; do
    rm -f "$dir/out.json"
    "$CDNSIM" run "$dir/good.json" --quiet --threads "$bad" --out "$dir/out.json" 2> "$dir/err" > /dev/null
    rc=$?
    [ $rc -eq 2 ] || fail "--threads '$bad': exit $rc, want 2"
    grep -q -- "--threads" "$dir/err" || fail "--threads '$bad': the message does not name the option"
    [ "$(grep -c . "$dir/err")" -le 2 ] || fail "--threads '$bad': more than the message and its hint"
    [ ! -e "$dir/out.json" ] || fail "--threads '$bad': a result was written"
done
"$CDNSIM" run "$dir/good.json" --quiet --threads 2>/dev/null; [ $? -eq 2 ] || fail "--threads without a value: want exit 2"
"$CDNSIM" run "$dir/good.json" --quiet --threads 1024 > /dev/null || fail "--threads 1024 refused"

# same result at 1, 2 and 3 threads (or those of $counts), wall_s apart
same_at_threads() {
    name=$1
    shift
    for n in ${counts:-1 2 3}; do
        "$CDNSIM" run "$@" --quiet --threads $n --out "$dir/$name.$n.json" ||
            { fail "$name at $n threads: exit $?"; return; }
        jq -S 'del(.wall_s)' "$dir/$name.$n.json" > "$dir/$name.$n.cmp"
    done 2> "$dir/stderr"
    [ -s "$dir/stderr" ] && fail "$name: messages on standard error: $(cat "$dir/stderr")"
    :
    for n in ${counts:-2 3}; do
        [ "$n" = 1 ] || cmp -s "$dir/$name.1.cmp" "$dir/$name.$n.cmp" || fail "$name: 1 and $n threads differ"
    done
}
same_at_threads world scenarios/world.json --set duration_s=302
jq -e '.parallel.partition_domains == 8 and (.parallel.lookahead_ms | . > 35.8 and . < 35.81)' \
    "$dir/world.1.json" > /dev/null || fail "world: not 8 domains with a 35.8 ms lookahead"
# workload.sample: each domain's split of the sampled stream (a per-key
# coin, so the split thins alike); its rate is the full split's times the
# sampled keys' share, so the scaled request count is the full run's (0.1
# of the keys: about 1,700 simulated requests in the 2 s measured, 15%)
same_at_threads sampled scenarios/world.json --set duration_s=302 --set workload.sample=0.1
jq -e --slurpfile full "$dir/world.1.json" '.parallel.domains == 8 and .sample.request_share < 0.2 and
       (.requests / $full[0].requests - 1 | fabs) < 0.15' "$dir/sampled.1.json" > /dev/null ||
    fail "sampled: not 8 domains, or the scaled requests are not the full run's"
# an attack: each domain floods from the bots its PoPs serve, at their
# share of the rate, re-split when a withdrawal moves groups; 20,000
# requests expected in its second (3 sd: 424), the scrubber's detection 0.5
att='{"rate_rps":20000,"start_s":300.5,"end_s":301.5,"group_share":0.1,"scrub":{"capacity_rps":500,"detection":0.5}}'
counts="1 3" same_at_threads attacked scenarios/world.json --set duration_s=302 --set "attack=$att" \
    --set 'operations=[{"at_s":301,"withdraw":"FRA"}]'
jq -e '.parallel.domains == 8 and (.attack.requests - 20000 | fabs) < 600 and
       (.attack.scrubbed / .attack.requests - 0.5 | fabs) < 0.03 and .attack.clients.requests > 8000' \
    "$dir/attacked.1.json" > /dev/null || fail "attacked: not 8 domains, or the flood's counts are off"
# operations across domains: a withdrawal moving groups between domains
# (each of locality_failover's 20 PoPs is a domain: no shields, an
# unlimited origin), and every kind at once on the world's 8 domains
same_at_threads failover scenarios/locality_failover.json --set duration_s=700 --set warmup_s=550
jq -e '.parallel.domains == 20 and .parallel.serial_because == null and
       (.catchments.timeline | length == 2)' "$dir/failover.1.json" > /dev/null ||
    fail "failover: not run as 20 domains with its withdrawal"
ops='[{"at_s":300.2,"push":{"objects":200}},{"at_s":300.5,"withdraw":"FRA"},
      {"at_s":300.8,"purge":"all"},{"at_s":301,"deploy":{"class":"api","mode":"purge"}},
      {"at_s":301.2,"origin":"down"},{"at_s":301.5,"origin":"up"},{"at_s":301.7,"announce":"FRA"}]'
counts="1 3" same_at_threads world_ops scenarios/world.json --set duration_s=302 --set "operations=$ops"
jq -e '.parallel.domains == 8 and .operations[2].pops_applied == 300 and .operations[4].refused > 0' \
    "$dir/world_ops.1.json" > /dev/null || fail "world_ops: not 8 domains, or the purge or the outage did nothing"
# two shield levels under one top PoP: the links into the top level are
# cut, each first-level shield with its edges a domain, the top and the
# origin one more
for p in cloudflare cloudfront; do
    same_at_threads $p scenarios/presets/$p.json --set duration_s=124 --set warmup_s=120
done
jq -e '.parallel.domains == 16 and .parallel.cut_level == 2 and .parallel.cut_links == 15 and
       .parallel.serial_because == null' "$dir/cloudflare.1.json" > /dev/null ||
    fail "cloudflare: not 16 domains cut below EWR"
jq -e '.parallel.domains == 13 and .parallel.cut_level == 2' \
    "$dir/cloudfront.1.json" > /dev/null || fail "cloudfront: not 13 domains cut below IAD"
# one shield level of one PoP (fastly), and DNS mapping (akamai), run as
# one domain (parallel.serial_because says why): still the same at every
# thread count
counts="1 2" same_at_threads fastly scenarios/presets/fastly.json --set duration_s=124 --set warmup_s=120
jq -e '.parallel.domains == 1' "$dir/fastly.1.json" > /dev/null || fail "fastly: not one domain"
counts="1 2" same_at_threads akamai scenarios/presets/akamai.json --set duration_s=301 --set warmup_s=300

# no shields near a finite origin: 300 PoPs, each its own component, a
# window of 2.2 ms; the components are packed into the domains the windows
# can feed (rate x lookahead / 4 requests: 5, and the origin's), the same
# result at 1 and 2 threads
counts="1 2" same_at_threads noshield scenarios/world.json --set duration_s=20 --set warmup_s=5 \
    --set shield.enabled=false --set 'origin={"lat":39.04,"lon":-77.49,"capacity_rps":20000,"service_ms":20}'
jq -e '.parallel.domains == 6 and .parallel.packed_components == 299 and .parallel.serial_because == null' \
    "$dir/noshield.1.json" > /dev/null || fail "noshield: not 299 components packed into 6 domains"
finish
