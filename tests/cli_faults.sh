#!/bin/sh
# cli_faults — bad inputs and faults of the environment through the command
# line (issue 16): outputs that are not regular files (a FIFO, a device, a
# socket, a folder) are refused with exit 2 and left as they were; inputs
# that are not regular files never block; a failing standard output
# (/dev/full) is exit 1 for every command; messages for out-of-range numbers,
# graph-less GraphML and non-UTF-8 bytes; JSON with trailing text or an
# escaped NUL is bad input; big arrays and sweeps stay fast or are refused.
# `timeout` guards against hangs only; nothing here measures time.
set -u
. "$(dirname "$0")/cli_common.sh"
T="timeout 60"

good='{"name":"t","seed":3,"duration_s":20,"warmup_s":2,
 "workload":{"type":"zipf","objects":1000,"alpha":0.8,"rate_rps":50,"size_bytes":1000},
 "cache":{"policy":"lru","capacity_objects":100},"content":{"ttl_s":60}}'
printf '%s\n' "$good" > "$dir/good.json"
printf '1|2|-1\n1|3|-1\n2|4|-1\n3|4|0\n' > "$dir/g.txt"
# the hand-made world of tests/cli_catchments.sh, for catchments
printf 'iata,city,country,continent,lat,lon\nAAA,Alpha,XX,EU,0,0\nBBB,Beta,XX,EU,0,10\n' > "$dir/pops.csv"
printf 'name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,3\nMB,XX,EU,0,10,1\n' > "$dir/metros.csv"
printf '100|200|0\n100|1001|-1\n200|1003|-1\n' > "$dir/w.txt"
printf '{"metros": ["MA", "MB"], "ases": [{"asn": 100, "tier": "tier1", "metro": 0},
 {"asn": 200, "tier": "tier1", "metro": 1}, {"asn": 1001, "tier": "stub", "metro": 0},
 {"asn": 1003, "tier": "stub", "metro": 1}]}\n' > "$dir/geo.json"
printf '{"name": "hand", "seed": 1, "duration_s": 10,
 "workload": {"type": "zipf", "objects": 10, "alpha": 0.8, "rate_rps": 10, "size_bytes": 1},
 "cache": {"policy": "lru", "capacity_objects": 5},
 "topology": {"pops_file": "pops.csv", "metros_file": "metros.csv",
              "as_rel_file": "w.txt", "as_geo_file": "geo.json"}}\n' > "$dir/world.json"
$T "$CDNSIM" catchments "$dir/world.json" --quiet > /dev/null || fail "the hand-made world has no catchments"
$T "$CDNSIM" run "$dir/good.json" --quiet --out "$dir/r.json" || fail "the good scenario does not run"
printf '{"base": "good.json", "replications": 1, "parameters": {"cache.policy": ["lru", "fifo"]}}\n' \
    > "$dir/sweep.json"
printf 'time,key,size\n1,a,10\n2,b,10\n3,a,10\n' > "$dir/t.csv"

# --- 6: an --out that exists and is not a regular file ----------------------
mkfifo "$dir/fifo"
# expect_out_refused WHAT PATH COMMAND...: exit 2, one line naming PATH, PATH
# still what it was (a FIFO stays a FIFO; a device node stays one)
expect_out_refused() {
    what=$1 path=$2
    shift 2
    $T "$@" 2> "$dir/err" > /dev/null
    rc=$?
    [ $rc -eq 2 ] || fail "$what: exit $rc, want 2: $(cat "$dir/err")"
    grep -qF "$path" "$dir/err" || fail "$what: message does not name $path: $(cat "$dir/err")"
    grep -q 'not a file name' "$dir/err" || fail "$what: message does not say why: $(cat "$dir/err")"
    [ "$(wc -l < "$dir/err")" -eq 1 ] || fail "$what: message is not one line"
}
# The device is a private node of /dev/null's numbers (c 1 3) in our own
# folder, never /dev/null itself: a build without the fix would replace the
# node with a regular file, and the machine's /dev/null must not be the
# victim of a failing test.
outs="$dir/fifo"
if mknod "$dir/null" c 1 3 2>/dev/null; then outs="$outs $dir/null"
else echo "cli_faults: cannot make a device node (not root?): --out DEVICE not tested" >&2; fi
for out in $outs; do
    expect_out_refused "run --out $out" "$out" "$CDNSIM" run "$dir/good.json" --quiet --out "$out"
    expect_out_refused "routes --out $out" "$out" "$CDNSIM" routes --as-rel "$dir/g.txt" --announce 1 --out "$out"
    expect_out_refused "topogen --out $out" "$out" "$CDNSIM" topogen --ases 50 --out "$out"
    expect_out_refused "tracegen --out $out" "$out" \
        "$CDNSIM" tracegen --objects 10 --requests 10 --alpha 1 --format csv --out "$out"
    expect_out_refused "catchments --out $out" "$out" \
        "$CDNSIM" catchments "$dir/world.json" --out "$out" --quiet
done
[ -p "$dir/fifo" ] || fail "the FIFO given as --out was replaced"
[ ! -e "$dir/null" ] || [ -c "$dir/null" ] || fail "the device given as --out was replaced"
ls "$dir" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
# a sweep's output folder that is a FIFO
$T "$CDNSIM" sweep "$dir/sweep.json" --out "$dir/fifo" --quiet 2> "$dir/err" > /dev/null
rc=$?; [ $rc -eq 2 ] && grep -qF "$dir/fifo" "$dir/err" || fail "sweep --out FIFO: exit $rc: $(cat "$dir/err")"

# --- 7: inputs that are not regular files never block ------------------------
# each is given a FIFO nobody writes to; a blocking open would hang until
# the timeout (exit 124)
expect_in_refused() {
    what=$1
    shift
    $T "$@" 2> "$dir/err" > /dev/null
    rc=$?
    [ $rc -eq 2 ] || fail "$what: exit $rc, want 2: $(cat "$dir/err")"
    grep -q 'named pipe' "$dir/err" || fail "$what: message does not say it is a named pipe: $(cat "$dir/err")"
}
T="timeout 20"
expect_in_refused "validate FIFO" "$CDNSIM" validate "$dir/fifo"
expect_in_refused "run FIFO" "$CDNSIM" run "$dir/fifo" --quiet
expect_in_refused "routes --as-rel FIFO" "$CDNSIM" routes --as-rel "$dir/fifo" --announce 1
expect_in_refused "routes --topology FIFO.graphml" "$CDNSIM" routes --topology "$dir/fifo" --announce 1
mkfifo "$dir/pipe.graphml" "$dir/pipe.json" "$dir/pipe.csv" "$dir/pipe.zst"
expect_in_refused "routes --topology FIFO.graphml" "$CDNSIM" routes --topology "$dir/pipe.graphml" --announce 1
expect_in_refused "routes --topology FIFO.json" "$CDNSIM" routes --topology "$dir/pipe.json" --announce 1
for fmt in csv webcachesim oracleGeneral; do
    for f in pipe.csv pipe.zst; do
        printf '{"duration_s": 10, "workload": {"type": "trace", "path": "%s", "format": "%s"},
          "cache": {"policy": "lru", "capacity_objects": 10}}\n' "$f" "$fmt" > "$dir/trace_$fmt.json"
        expect_in_refused "trace FIFO $f ($fmt)" "$CDNSIM" validate "$dir/trace_$fmt.json"
    done
done
expect_in_refused "report FIFO" "$CDNSIM" report "$dir/fifo"
expect_in_refused "compare FIFO" "$CDNSIM" compare "$dir/r.json" "$dir/fifo"
expect_in_refused "sweep FIFO" "$CDNSIM" sweep "$dir/fifo" --list
expect_in_refused "pops_file FIFO" "$CDNSIM" validate "$dir/world.json" --set topology.pops_file=fifo
expect_in_refused "as_geo_file FIFO" "$CDNSIM" validate "$dir/world.json" --set topology.as_geo_file=fifo
expect_in_refused "topogen --metros FIFO" "$CDNSIM" topogen --ases 50 --metros "$dir/fifo"
# a device is refused too, not read until memory runs out
$T "$CDNSIM" validate /dev/zero 2> "$dir/err" > /dev/null
rc=$?; [ $rc -eq 2 ] && grep -q 'character device' "$dir/err" || fail "validate /dev/zero: exit $rc: $(cat "$dir/err")"
T="timeout 60"

# --- 13: a standard output that fails is exit 1 ------------------------------
if [ -w /dev/full ]; then
    # expect_full WHAT COMMAND...: exit 1 and a message naming standard output
    expect_full() {
        what=$1
        shift
        $T "$@" > /dev/full 2> "$dir/err"
        rc=$?
        [ $rc -eq 1 ] || fail "$what > /dev/full: exit $rc, want 1: $(cat "$dir/err")"
        grep -q 'standard output' "$dir/err" || fail "$what > /dev/full: no message: $(cat "$dir/err")"
    }
    expect_full "run" "$CDNSIM" run "$dir/good.json" --quiet
    expect_full "validate" "$CDNSIM" validate "$dir/good.json"
    expect_full "report" "$CDNSIM" report "$dir/r.json"
    expect_full "compare" "$CDNSIM" compare "$dir/r.json" "$dir/r.json"
    expect_full "routes" "$CDNSIM" routes --as-rel "$dir/g.txt" --announce 1
    expect_full "topogen" "$CDNSIM" topogen --ases 50
    expect_full "sweep --list" "$CDNSIM" sweep "$dir/sweep.json" --list
    expect_full "catchments" "$CDNSIM" catchments "$dir/world.json" --quiet
    expect_full "--help" "$CDNSIM" --help
    expect_full "run --help" "$CDNSIM" run --help
else
    echo "cli_faults: /dev/full absent, standard-output failures not tested" >&2
fi

# --- 8: long arrays and big objects are read in one pass ---------------------
# 200,000 operations took over 30 s to validate (each element was found by
# a walk from the array's head); a 200,000-key object took as long in the
# duplicate-key check. The timeout is a hang guard, not a measure.
awk 'BEGIN { printf "{\"duration_s\": 20, \"workload\": {\"type\": \"zipf\", \"objects\": 10, \"rate_rps\": 5},"
             printf " \"operations\": ["
             for (i = 0; i < 200000; i++) printf "%s{\"at_s\": %.5f, \"purge\": \"all\"}", i ? "," : "", 1 + i / 100000
             printf "]}\n" }' > "$dir/ops.json"
timeout 120 "$CDNSIM" validate "$dir/ops.json" > "$dir/out" 2> "$dir/err"
rc=$?; [ $rc -eq 0 ] || fail "validate 200,000 operations: exit $rc: $(cat "$dir/err")"
awk 'BEGIN { printf "{\"duration_s\": 20, \"workload\": {\"type\": \"zipf\", \"objects\": 10, \"rate_rps\": 5},"
             printf " \"shield\": {\"map\": {"
             for (i = 0; i < 200000; i++) printf "%s\"E%d\": \"S\"", i ? "," : "", i
             printf ", \"E7\": \"T\"}}}\n" }' > "$dir/map.json"
timeout 120 "$CDNSIM" validate "$dir/map.json" > "$dir/out" 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -qF '$.shield.map.E7: key appears twice' "$dir/err" ||
    fail "a 200,000-key object with a duplicate: exit $rc: $(cat "$dir/err")"

# --- 11: one JSON value, and no escaped NUL ------------------------------------
# expect_json_bad NAME TEXT 'substring': validate, run, report, compare and
# sweep all refuse it with exit 2
expect_json_bad() {
    name=$1
    printf '%s' "$2" > "$dir/$name.json"
    for c in validate run report sweep; do
        $T "$CDNSIM" $c "$dir/$name.json" > /dev/null 2> "$dir/err"
        rc=$?
        [ $rc -eq 2 ] && grep -qF -- "$3" "$dir/err" && grep -qF "$name.json" "$dir/err" ||
            fail "$c $name: exit $rc, want 2 with '$3': $(cat "$dir/err")"
    done
}
expect_json_bad trailing "$good garbage" 'text after the end of the JSON value'
expect_json_bad twovalues "$good {}" 'line 3, column'
expect_json_bad nul "$(echo "$good" | sed 's/"lru"/"lru\\u0000x"/')" 'escaped NUL'
expect_json_bad nulkey "$(echo "$good" | sed 's/"seed"/"se\\u0000ed"/')" 'escaped NUL'
cp "$dir/r.json" "$dir/rt.json"; echo '[]' >> "$dir/rt.json"
$T "$CDNSIM" compare "$dir/r.json" "$dir/rt.json" > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q 'text after the end' "$dir/err" || fail "compare a result with trailing text: exit $rc"
# an escaped backslash before "u0000" is no NUL: the policy is then unknown
printf '%s' "$(echo "$good" | sed 's/"lru"/"lru\\\\u0000"/')" > "$dir/bs.json"
$T "$CDNSIM" validate "$dir/bs.json" > /dev/null 2> "$dir/err"
grep -q 'cache.policy: expected one of' "$dir/err" || fail "an escaped backslash read as a NUL: $(cat "$dir/err")"
# white space after the value is fine
printf '%s\n\n  \t\n' "$good" > "$dir/ws.json"
$T "$CDNSIM" validate "$dir/ws.json" > /dev/null 2> "$dir/err" || fail "trailing white space refused: $(cat "$dir/err")"
# --set VALUE is JSON only when all of it is: "1 x" is a string
$T "$CDNSIM" validate "$dir/good.json" --set 'cache.policy=1 x' > /dev/null 2> "$dir/err"
grep -qF 'got "1 x"' "$dir/err" || fail "--set cache.policy='1 x': $(cat "$dir/err")"
$T "$CDNSIM" validate "$dir/good.json" --set 'cache.policy="lru\u0000x"' > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q 'escaped NUL' "$dir/err" || fail "--set with an escaped NUL: exit $rc: $(cat "$dir/err")"

# --- 14: clear messages ---------------------------------------------------------
echo "$good" | sed 's/"duration_s":20/"duration_s":1e400/' > "$dir/huge.json"
$T "$CDNSIM" validate "$dir/huge.json" > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q '\$.duration_s: .*got a number out of range' "$dir/err" && ! grep -q 'got null' "$dir/err" ||
    fail "duration_s 1e400: exit $rc: $(cat "$dir/err")"
printf '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"></graphml>\n' > "$dir/nog.graphml"
$T "$CDNSIM" routes --topology "$dir/nog.graphml" --announce 1 > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q 'nog.graphml: no <graph> element' "$dir/err" && ! grep -q 'index was too large' "$dir/err" ||
    fail "GraphML without <graph>: exit $rc: $(cat "$dir/err")"
# bytes that are not UTF-8 are escaped (\xff); well-formed UTF-8 (é) is kept
printf '%s' "$(echo "$good" | sed 's/"capacity_objects":100/"capacity_objects":100,"p\xffx\xc3\xa9":1/')" > "$dir/utf.json"
$T "$CDNSIM" validate "$dir/utf.json" > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -qF '$.cache.p\xffx' "$dir/err" || fail "non-UTF-8 key: exit $rc: $(cat "$dir/err")"
LC_ALL=C grep -q "$(printf '\377')" "$dir/err" && fail "a raw 0xff byte was echoed: $(cat "$dir/err")"
LC_ALL=C grep -q "$(printf 'x\303\251')" "$dir/err" || fail "UTF-8 in a key was not kept: $(cat "$dir/err")"

# --- 10: sweeps are bounded, and --list streams ------------------------------
# 100 x 100 x 100 values is a million points: refused at once (it was checked
# point by point for 30 s, then listed)
v=$(seq -s, 1 100)
printf '{"base": "good.json", "parameters": {"cache.capacity_objects": [%s], "content.ttl_s": [%s], "workload.objects": [%s]}}\n' \
    "$v" "$v" "$v" > "$dir/huge_sweep.json"
for mode in --list run; do
    [ $mode = run ] && mode="--out $dir/huge_out"
    timeout 120 "$CDNSIM" sweep "$dir/huge_sweep.json" $mode --quiet > "$dir/out" 2> "$dir/err"
    rc=$?; [ $rc -eq 2 ] && grep -q 'huge_sweep.json: \$.parameters: more than 10000 points' "$dir/err" ||
        fail "a million-point sweep ($mode): exit $rc: $(cat "$dir/err")"
    [ -s "$dir/out" ] && fail "a refused sweep printed something"
done
printf '{"base": "good.json", "replications": 101, "parameters": {"cache.capacity_objects": [%s]}}\n' \
    "$(seq -s, 1 10000)" > "$dir/runs_sweep.json"
timeout 120 "$CDNSIM" sweep "$dir/runs_sweep.json" --list > /dev/null 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q 'more than 1000000 runs' "$dir/err" || fail "1,010,000 runs: exit $rc: $(cat "$dir/err")"
# --list prints each point once it is checked: the good points before a bad
# last one are out when the list stops (exit 2); nothing was, before
printf '{"base": "good.json", "parameters": {"cache.capacity_objects": [10, 20, 30, -1]}}\n' > "$dir/late_bad.json"
timeout 60 "$CDNSIM" sweep "$dir/late_bad.json" --list > "$dir/out" 2> "$dir/err"
rc=$?; [ $rc -eq 2 ] && grep -q 'capacity_objects' "$dir/err" || fail "late bad point: exit $rc: $(cat "$dir/err")"
[ "$(grep -c '^point ' "$dir/out")" -eq 3 ] || fail "--list did not stream the 3 good points: $(cat "$dir/out")"

# --- 12: running out of memory is a runtime failure (1), not bad input (2) ----
# 5 million array elements in 10 MB of text need over 300 MB as a JSON tree;
# under a 200 MB address-space limit the parse runs out of memory. The same
# file without the limit is bad input (its key "x" is unknown). Skipped where
# the program cannot start under the limit (AddressSanitizer reserves
# terabytes of address space).
awk 'BEGIN { printf "{\"duration_s\": 20, \"workload\": {\"type\": \"zipf\", \"objects\": 10, \"rate_rps\": 5}, \"x\": ["
             for (i = 0; i < 5000000; i++) printf "%s0", i ? "," : ""
             printf "]}\n" }' > "$dir/big.json"
cp "$dir/big.json" "$dir/bigres.json"
printf '{"base": "big.json", "parameters": {"cache.capacity_objects": [1, 2]}}\n' > "$dir/bigsweep.json"
if (ulimit -v 200000 && "$CDNSIM" validate "$dir/good.json") > /dev/null 2>&1; then
    for c in validate run report sweep; do
        f=big.json; [ $c = report ] && f=bigres.json; [ $c = sweep ] && f=bigsweep.json
        extra=; [ $c = sweep ] && extra=--list
        (ulimit -v 200000; exec $T "$CDNSIM" $c "$dir/$f" $extra) > /dev/null 2> "$dir/err"
        rc=$?; [ $rc -eq 1 ] && grep -q 'out of memory' "$dir/err" || fail "$c out of memory: exit $rc, want 1: $(cat "$dir/err")"
    done
    $T "$CDNSIM" validate "$dir/big.json" > /dev/null 2> "$dir/err"
    rc=$?; [ $rc -eq 2 ] && grep -q '\$.x: unknown key' "$dir/err" || fail "big.json without a limit: exit $rc: $(cat "$dir/err")"
else
    echo "cli_faults: cannot run under ulimit -v 200000 (sanitizer build?): out-of-memory cases skipped" >&2
fi

finish
