#!/bin/sh
# cli_run — `cdnsim run` and `validate` end to end: every bad-input class of
# the contract exits 2 naming the file and the JSON path, leaves no result
# file; runs are byte-identical for a seed apart from wall_s; usage errors.
set -u
. "$(dirname "$0")/cli_common.sh"

good='{"name":"t","seed":3,"duration_s":20,"warmup_s":2,
 "workload":{"type":"zipf","objects":1000,"alpha":0.8,"rate_rps":500,"size_bytes":1000},
 "cache":{"policy":"lru","capacity_objects":100},"content":{"ttl_s":60}}'
printf '%s\n' "$good" > "$dir/good.json"

# expect_bad NAME 'TEXT-OR-@FILE' 'substring expected in stderr' [run args...]
expect_bad() {
    name=$1 text=$2 want=$3
    shift 3
    printf '%s' "$text" > "$dir/$name.json"
    rm -f "$dir/out.json"
    "$CDNSIM" run "$dir/$name.json" --out "$dir/out.json" --quiet "$@" 2> "$dir/err" >/dev/null
    rc=$?
    [ $rc -eq 2 ] || fail "$name: exit $rc, want 2"
    grep -qF -- "$want" "$dir/err" || fail "$name: stderr lacks '$want': $(cat "$dir/err")"
    grep -qF -- "$name.json" "$dir/err" || fail "$name: stderr does not name the file"
    [ "$(wc -l < "$dir/err")" -eq 1 ] || fail "$name: the message is not one line: $(cat "$dir/err")"
    [ ! -e "$dir/out.json" ] || fail "$name: a result file was left behind"
    ls "$dir" | grep -q '\.tmp\.' && fail "$name: a temporary file was left behind"
    "$CDNSIM" validate "$dir/$name.json" "$@" 2>/dev/null >/dev/null
    [ $? -eq 2 ] || fail "$name: validate did not exit 2"
}

expect_bad malformed '{"seed": 1,' 'malformed JSON'
expect_bad notobject '[1,2]' '$: expected an object'
expect_bad empty '' 'malformed JSON'
expect_bad wrongtype "$(echo "$good" | sed 's/"capacity_objects":100/"capacity_objects":"a lot"/')" \
    '$.cache.capacity_objects: expected a positive integer, got "a lot"'
expect_bad negative "$(echo "$good" | sed 's/"rate_rps":500/"rate_rps":-5/')" '$.workload.rate_rps'
expect_bad fraction "$(echo "$good" | sed 's/"objects":1000/"objects":10.5/')" '$.workload.objects'
expect_bad zero_cap "$(echo "$good" | sed 's/"capacity_objects":100/"capacity_objects":0/')" '$.cache.capacity_objects'
expect_bad misspelt "$(echo "$good" | sed 's/"capacity_objects"/"capacity_object"/')" \
    '$.cache.capacity_object: unknown key; did you mean "capacity_objects"?'
expect_bad unknown_top "$(echo "$good" | sed 's/"seed":3/"sede":3,"zzz":1/')" '$.sede: unknown key'
expect_bad policy "$(echo "$good" | sed 's/"lru"/"lruu"/')" '$.cache.policy: unknown value "lruu"; did you mean "lru"?'
expect_bad policyfar "$(echo "$good" | sed 's/"lru"/"nonesuch"/')" '$.cache.policy: expected one of "lru", "fifo"'
expect_bad missing_workload '{"duration_s":10}' '$.workload: required key is missing'
expect_bad missing_duration '{"workload":{"type":"zipf","objects":10}}' '$.duration_s: required key is missing'
expect_bad warmup "$(echo "$good" | sed 's/"warmup_s":2/"warmup_s":20/')" '$.warmup_s'
expect_bad duplicate "$(echo "$good" | sed 's/"seed":3/"seed":3,"seed":4/')" '$.seed: key appears twice'
expect_bad nan_like "$(echo "$good" | sed 's/"alpha":0.8/"alpha":1e999/')" '$.workload.alpha'
expect_bad missing_trace '{"workload":{"type":"trace","path":"nope.csv","format":"csv"}}' 'nope.csv'
expect_bad trace_format '{"workload":{"type":"trace","path":"x","format":"pcap"}}' '$.workload.format'
expect_bad set_bad "$good" '$.cache.capacity_objects' --set cache.capacity_objects=-1
expect_bad set_unknown "$good" '$.cache.capacity_object: unknown key' --set cache.capacity_object=5
expect_bad set_through_scalar "$good" 'is not an object' --set seed.x=1
expect_bad origin_no_topology "$good" '$.origin.location: needs a topology' --set origin.location=IAD
expect_bad shield_no_topology "$good" '$.shield: a shield tier needs a topology' --set shield.enabled=true
# the freshness keys (docs/freshness.md)
expect_bad heuristic "$good" '$.content.heuristic_fraction' --set content.heuristic_fraction=1.5
expect_bad smaxage_switch "$good" '$.content.s_maxage_revalidate' --set content.s_maxage_revalidate=2
expect_bad no_cache_share "$good" '$.workload.request_no_cache_share' --set workload.request_no_cache_share=-0.1
expect_bad expires_s "$good" '$.content.classes[0].expires_s' \
    --set 'content.classes=[{"share":1,"cache_control":"public","expires_s":"soon"}]'
expect_bad lm_age "$good" '$.content.classes[0].last_modified_age_s' \
    --set 'content.classes=[{"share":1,"cache_control":"public","last_modified_age_s":-1}]'
expect_bad error_ttl "$good" '$.content.classes[0].error_ttl_s' \
    --set 'content.classes=[{"share":1,"cache_control":"public","error_ttl_s":"long"}]'
expect_bad belady_no_trace "$good" '$.cache.policy: belady needs' --set cache.policy=belady
expect_bad class_header "$good" '$.content.classes[0].share' --set 'content.classes=[{"cache_control":"max-age=1"}]'
expect_bad tls "$good" '$.connections.tls' --set connections.tls=1.4
expect_bad ops_no_topology "$good" '$.operations[0]: withdrawing or announcing PoPs needs a topology' --set 'operations=[{"at_s":1,"withdraw":"FRA"}]'
expect_bad ops_both "$good" '$.operations[0]: give exactly one' --set 'operations=[{"at_s":1,"withdraw":"FRA","announce":"FRA"}]'
expect_bad purge_unknown "$good" '$.operations[0].purge: no PoP with id' --set 'operations=[{"at_s":1,"purge":"FRA"}]'
expect_bad ops_late "$good" '$.operations[0].at_s: after the end' --set 'operations=[{"at_s":100,"withdraw":"FRA"}]'
expect_bad attack_no_topology "$good" '$.attack: an attack spread by anycast needs a topology' --set 'attack={"rate_rps":10}'
# a raw newline inside a key (cJSON takes it) is escaped, the message stays one line
expect_bad newline_key "$(echo "$good" | sed 's/"capacity_objects"/"capacity\\nobjects"/' | sed 's/\\n/\
/')" '$.cache.capacity\nobjects: unknown key'
expect_bad fine_series "$good" '$.stats.interval_s: too fine' --set stats.interval_s=0.0001

# errors that need a world: a small one over the repository's topology files
here=$(pwd)
world="{\"duration_s\":20,\"workload\":{\"type\":\"zipf\",\"objects\":100},
 \"topology\":{\"pops_file\":\"$here/topologies/pops.csv\",\"metros_file\":\"$here/topologies/metros.csv\",
 \"ases\":300,\"max_metros\":20}}"
expect_bad origin_half "$world" '$.origin: give both lat and lon' --set origin.lat=10
expect_bad origin_both "$world" '$.origin: give location or lat/lon' --set origin.lat=10 --set origin.lon=10 --set origin.location=FRA
expect_bad origin_unknown "$world" '$.origin.location: no PoP city with id' --set origin.location=XXX
expect_bad rel_without_geo "$world" '$.topology: as_rel_file and as_geo_file go together' --set topology.as_rel_file=x.txt
expect_bad shield_no_pops "$world" '$.shield.pops: shield.enabled needs a list' --set shield.enabled=true
expect_bad shield_map_type "$world" '$.shield.map.LHR: expected a shield PoP id' --set 'shield={"enabled":true,"pops":["FRA"],"map":{"LHR":1}}'
expect_bad client_rtt_world "$world" '$.network.client_rtt_ms: applies only without a topology' --set network.client_rtt_ms=5
expect_bad attack_backwards "$world" '$.attack.end_s: expected an end after start_s' --set 'attack={"rate_rps":10,"start_s":10,"end_s":5}'
expect_bad unknown_pop "$world" '$.topology.pops[1]: unknown PoP' --set 'topology.pops=["FRA","QQQ"]'
expect_bad many_classes "$good" '$.content.classes: expected 1 to 16 classes' \
    --set 'content.classes=[{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"},{"share":1,"cache_control":"a"}]'
# files the topology names: a wrong name or a folder is blamed on the key
# (it once named only the file, not the scenario or the key)
expect_bad pops_missing "$world" '$.topology.pops_file: '"$dir"'/nope.csv: cannot open' --set topology.pops_file=nope.csv
expect_bad metros_folder "$world" '$.topology.metros_file: '"$dir"': is a directory, not a regular file' --set "topology.metros_file=$dir"
"$CDNSIM" topogen --ases 50 --out "$dir/g50.txt" || fail "topogen --ases 50"
expect_bad geo_missing "$world" '$.topology.as_geo_file: ' --set topology.as_rel_file=g50.txt --set topology.as_geo_file=nope.json
# a malformed geo file: its line and column, like any JSON input (was "not a JSON object")
printf '{"metros": ["a",\n  ' > "$dir/geo_bad.json"
printf '%s' "$world" > "$dir/geo_bad_scen.json"
"$CDNSIM" validate "$dir/geo_bad_scen.json" --set topology.as_rel_file=g50.txt \
    --set topology.as_geo_file=geo_bad.json 2> "$dir/err" >/dev/null
rc=$?
[ $rc -eq 2 ] && grep -q '\$.topology.as_geo_file: .*geo_bad.json: line 2, column [0-9]*: malformed JSON' "$dir/err" ||
    fail "malformed geo file: want exit 2 with line and column, got $rc: $(cat "$dir/err")"
printf '%s' "$world" > "$dir/world.json"
"$CDNSIM" validate "$dir/world.json" > /dev/null || fail "the small world does not validate"

# a missing scenario file
"$CDNSIM" run "$dir/none.json" --out "$dir/out.json" 2> "$dir/err"
[ $? -eq 2 ] && grep -q 'none.json' "$dir/err" || fail "missing file: want exit 2 naming it"
[ ! -e "$dir/out.json" ] || fail "missing file: result file left"

# a trace record with object id 2^64 - 1 (the key maps' empty-cell mark) once
# crashed the run mid-way: now bad input naming the trace's line, no result
printf 'time,key,size\n0,1,10\n0.5,18446744073709551615,10\n1,1,10\n' > "$dir/reserved.csv"
printf '{"workload":{"type":"trace","path":"reserved.csv","format":"csv"},"cache":{"capacity_objects":5}}' > "$dir/reserved.json"
rm -f "$dir/out.json"
"$CDNSIM" run "$dir/reserved.json" --quiet --out "$dir/out.json" 2> "$dir/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'reserved.csv: line 3: object id 18446744073709551615 is reserved' "$dir/err" ||
    fail "trace key 2^64-1: want exit 2 naming the line, got $rc: $(cat "$dir/err")"
[ ! -e "$dir/out.json" ] || fail "trace key 2^64-1: result file left"

# an endless input is refused at once (it was read until memory ran out):
# a device is not a regular file (tests/cli_faults.sh has the rest)
for c in run validate; do
    timeout 60 "$CDNSIM" $c /dev/zero 2> "$dir/err" >/dev/null
    rc=$?
    [ $rc -eq 2 ] && grep -q '/dev/zero: is a character device' "$dir/err" ||
        fail "$c /dev/zero: want exit 2 at once, got $rc: $(cat "$dir/err")"
done

# an output folder that does not exist is refused before the run
"$CDNSIM" run "$dir/good.json" --out "$dir/no/such/folder/r.json" 2> "$dir/err"
[ $? -eq 2 ] && grep -q 'cannot write into' "$dir/err" || fail "unwritable --out: want exit 2 before running"

# an output that is a folder is refused before the run (it failed after it, exit 1)
"$CDNSIM" run "$dir/good.json" --quiet --out "$dir" 2> "$dir/err"
[ $? -eq 2 ] && grep -q 'is a directory, not a file name' "$dir/err" || fail "--out FOLDER: want exit 2: $(cat "$dir/err")"

# usage errors
"$CDNSIM" run 2>/dev/null; [ $? -eq 2 ] || fail "run without a scenario: want exit 2"
"$CDNSIM" run "$dir/good.json" --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option: want exit 2"
"$CDNSIM" run "$dir/good.json" --seed abc 2>/dev/null; [ $? -eq 2 ] || fail "bad seed: want exit 2"
"$CDNSIM" nosuchcommand 2>/dev/null; [ $? -eq 2 ] || fail "unknown command: want exit 2"
for c in run validate; do
    "$CDNSIM" $c --help | grep -q usage || fail "$c --help"
done

# determinism: byte-identical apart from wall_s; another seed differs
"$CDNSIM" run "$dir/good.json" --quiet --out "$dir/a.json" || fail "good run failed"
"$CDNSIM" run "$dir/good.json" --quiet > "$dir/b.json" || fail "good run to stdout failed"
"$CDNSIM" run "$dir/good.json" --quiet --seed 4 --out "$dir/c.json" || fail "seeded run failed"
# the seed itself (top level and in config) is left out of the comparison:
# the results must differ in what the seed drove, not just in its echo
for f in a b c; do grep -v -e '"wall_s"' -e '"seed":' "$dir/$f.json" > "$dir/$f.cmp"; done
grep -q '"seed":' "$dir/a.cmp" && fail "a seed field escaped the filter"
cmp -s "$dir/a.cmp" "$dir/b.cmp" || fail "same seed gave different results"
cmp -s "$dir/a.cmp" "$dir/c.cmp" && fail "another seed gave the same result"
grep -q '"seed":	4' "$dir/c.json" || fail "--seed not reported in the result"
for k in scenario seed requests hits hit_ratio byte_hit_ratio status origin latency_ms pops events wall_s; do
    grep -q "\"$k\":" "$dir/a.json" || fail "result lacks $k"
done
"$CDNSIM" validate "$dir/good.json" > /dev/null || fail "validate rejected a good scenario"

# --set overrides reach the run
"$CDNSIM" run "$dir/good.json" --quiet --set cache.policy=fifo --set 'workload.alpha=1.1' > "$dir/d.json"
grep -q '"policy":	"fifo"' "$dir/d.json" || fail "--set cache.policy=fifo not applied"

finish
