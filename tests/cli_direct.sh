#!/bin/sh
# cli_direct — a single-PoP trace scenario runs without the event queue
# (models/cdn/direct.h) with the result the event-driven run gives, byte for
# byte apart from wall_s: every registered policy, object and byte
# capacities, warm-up, expiry, collapsed requests, an evicted reservation,
# zero RTTs, a sampled trace; hand-worked traces with exact counts; and a
# scenario just outside the predicate (an operation, a PoP server, content
# classes) taking the event-driven run. CDNSIM_SLOW_PATH=1 forces the latter.
set -u
. "$(dirname "$0")/cli_common.sh"
msg='run without the event queue'

# first BLOCK FIELD FILE: the first number FIELD holds inside the JSON
# object BLOCK of a result (e.g. origin requests, latency max)
first() {
    sed -n "/\"$1\":/,/}/s/^[[:space:]]*\"$2\":[[:space:]]*\([0-9.]*\),*\$/\1/p" "$3" | head -1
}

# both NAME SCENARIO [--set ...]: runs both ways, compares; the direct run
# must say it ran directly, the forced one must not
both() {
    name=$1 sc=$2
    shift 2
    "$CDNSIM" run "$sc" "$@" --out "$dir/$name.fast" 2> "$dir/$name.err" || { fail "$name: direct run failed: $(cat "$dir/$name.err")"; return; }
    grep -qF "$msg" "$dir/$name.err" || fail "$name: did not run directly"
    CDNSIM_SLOW_PATH=1 "$CDNSIM" run "$sc" "$@" --out "$dir/$name.slow" 2> "$dir/$name.serr" || { fail "$name: event-driven run failed"; return; }
    grep -qF "$msg" "$dir/$name.serr" && fail "$name: CDNSIM_SLOW_PATH=1 still ran directly"
    grep -v '"wall_s"' "$dir/$name.fast" > "$dir/$name.a"
    grep -v '"wall_s"' "$dir/$name.slow" > "$dir/$name.b"
    cmp -s "$dir/$name.a" "$dir/$name.b" || fail "$name: results differ: $(diff "$dir/$name.a" "$dir/$name.b" | head -6)"
}

# field FILE KEY: the first "KEY": value of a result, as printed
field() { sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\([^,]*\),*$/\1/p" "$1" | head -1; }
expect() { # expect NAME KEY VALUE
    v=$(field "$dir/$1.fast" "$2")
    [ "$v" = "$3" ] || fail "$1: $2 = '$v', want $3"
}

scen() { # scen NAME TRACE FORMAT EXTRA-JSON
    printf '{"name":"%s","seed":1,"workload":{"type":"trace","path":"%s","format":"%s"},%s}\n' \
        "$1" "$2" "$3" "$4" > "$dir/$1.json"
}

# -- hand-worked: 10 ms client RTT, 80 ms origin RTT, LRU of 2 objects.
# t=0 a: MISS (fill due 0.005 + 0.080 = 0.085); t=0.01 a arrives 0.015
# while a is in flight: COLLAPSED, answered at 0.085 + 0.005, 80 ms after
# its send; t=0.2 a: HIT (10 ms); t=0.3 b, t=0.4 c: MISS, c evicts a (used
# last at 0.205); t=0.5 a: MISS. 6 requests, 2 hits, 4 origin requests.
printf 'time,key,size\n0,1,100\n0.01,1,100\n0.2,1,100\n0.3,2,100\n0.4,3,100\n0.5,1,100\n' > "$dir/h1.csv"
scen h1 "$dir/h1.csv" csv '"cache":{"policy":"lru","capacity_objects":2},"network":{"client_rtt_ms":10,"origin_rtt_ms":80}'
both h1 "$dir/h1.json"
expect h1 requests 6
expect h1 hits 2
expect h1 HIT 1
expect h1 COLLAPSED 1
expect h1 MISS 4
expect h1 events 6
v=$(first origin requests "$dir/h1.fast")
[ "$v" = 4 ] || fail "h1: origin requests $v, want 4"
v=$(first latency_ms max "$dir/h1.fast")
[ "$v" = 90 ] || fail "h1: latency max $v, want 90"

# -- an evicted reservation: a cache of 1 object. t=0 a MISS reserves a;
# t=0.001 b MISS reserves b, evicting a's reservation; t=0.002 a finds no
# entry but its fill in flight: a MISS that reserves again, no second fetch.
# 3 MISS, 2 origin requests; when a's fill lands (0.085) the entry is a's.
printf 'time,key,size\n0,1,100\n0.001,2,100\n0.002,1,100\n0.3,1,100\n' > "$dir/h2.csv"
scen h2 "$dir/h2.csv" csv '"cache":{"policy":"lru","capacity_objects":1},"network":{"client_rtt_ms":10,"origin_rtt_ms":80}'
both h2 "$dir/h2.json"
expect h2 MISS 3
expect h2 HIT 1
v=$(first origin requests "$dir/h2.fast")
[ "$v" = 2 ] || fail "h2: origin requests $v, want 2"

# -- expiry to the nanosecond: ttl 1 s counts from the fetch's request
# (0.005), so the copy is fresh until 1.005; t=0.999 arrives 1.004: HIT;
# t=1.0 arrives 1.005: EXPIRED, refetched.
printf 'time,key,size\n0,1,100\n0.999,1,100\n1.0,1,100\n' > "$dir/h3.csv"
scen h3 "$dir/h3.csv" csv '"cache":{"policy":"lru","capacity_objects":10},"content":{"ttl_s":1},"network":{"client_rtt_ms":10,"origin_rtt_ms":80}'
both h3 "$dir/h3.json"
expect h3 HIT 1
expect h3 EXPIRED 1
expect h3 MISS 1

# -- a tie: t=0.08 a arrives at 0.085, the instant a's fill lands; the
# fill's sequence number was taken first, so it runs first: a HIT (the
# event queue's order for equal times), not COLLAPSED
printf 'time,key,size\n0,1,100\n0.08,1,100\n' > "$dir/h4.csv"
scen h4 "$dir/h4.csv" csv '"cache":{"policy":"lru","capacity_objects":10},"network":{"client_rtt_ms":10,"origin_rtt_ms":80}'
both h4 "$dir/h4.json"
expect h4 HIT 1
expect h4 COLLAPSED 0

# -- every policy, object and byte capacities, on a trace dense enough in
# time (20,000 requests/s) that requests collapse, with warm-up and expiry
"$CDNSIM" tracegen --objects 2000 --requests 40000 --alpha 0.9 --rate 20000 --size-dist lognormal \
    --format oracleGeneral --out "$dir/z.bin" || fail tracegen
scen z "$dir/z.bin" oracleGeneral '"warmup_s":0.5,"cache":{"policy":"lru"},"content":{"ttl_s":0.7}'
for p in lru fifo lfu sieve s3fifo arc clock random belady lfuda gdsf twoq tinylfu; do
    both "obj-$p" "$dir/z.json" --set cache.policy="$p" --set cache.capacity_objects=100
    both "byte-$p" "$dir/z.json" --set cache.policy="$p" --set cache.capacity_bytes=300000
done
c=$(field "$dir/obj-lru.fast" COLLAPSED)
[ "${c:-0}" -gt 0 ] || fail "the dense trace collapsed no request"
# a text trace, a zero-RTT network (fills land at once), a sampled trace,
# an unbounded cache, a duration shorter than the trace
"$CDNSIM" tracegen --objects 500 --requests 5000 --alpha 0.8 --rate 2000 --format csv --out "$dir/t.csv" || fail tracegen
scen t "$dir/t.csv" csv '"cache":{"policy":"s3fifo","capacity_objects":50},"content":{"ttl_s":2},"stats":{"interval_s":0.25}'
both csv "$dir/t.json"
both zero-rtt "$dir/t.json" --set network.client_rtt_ms=0 --set network.origin_rtt_ms=0
both sampled "$dir/z.json" --set workload.sample=0.3 --set cache.capacity_objects=100
both unbounded "$dir/z.json"
both short "$dir/z.json" --set duration_s=1 --set cache.capacity_objects=100

# -- just outside the predicate: the event-driven run, the same results
for set in 'operations=[{"at_s":0.5,"purge":"all"}]' pop.capacity_rps=100000 \
           'content.classes=[{"name":"a","share":1,"cache_control":"max-age=5"}]' \
           connections.keepalive_share=0.5; do
    "$CDNSIM" run "$dir/z.json" --set "$set" --set cache.capacity_objects=100 --out "$dir/out.json" 2> "$dir/err" || fail "$set: run failed: $(cat "$dir/err")"
    grep -qF "$msg" "$dir/err" && fail "$set: ran without the event queue"
done
# a zipf workload is not a trace
printf '%s\n' '{"name":"zp","seed":1,"duration_s":5,"workload":{"type":"zipf","objects":100,"alpha":0.8,"rate_rps":100},"cache":{"policy":"lru","capacity_objects":10}}' > "$dir/zp.json"
"$CDNSIM" run "$dir/zp.json" --out "$dir/out.json" 2> "$dir/err" || fail "zipf run failed"
grep -qF "$msg" "$dir/err" && fail "a zipf workload ran without the event queue"

finish
