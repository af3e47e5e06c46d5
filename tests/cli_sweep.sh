#!/bin/sh
# cli_sweep — `cdnsim sweep` and `cdnsim compare` end to end: a tiny sweep
# (3 points x 2 replications of 4 s of virtual time) gives byte-identical
# summaries with --jobs 2 and --jobs 1; resume reruns nothing; compare exits
# 0 on equal sweeps, 1 on a planted regression, 2 on unrelated inputs; bad
# sweep files exit 2 naming the path at fault and leave no summary behind.
set -u
. "$(dirname "$0")/cli_common.sh"

cat > "$dir/base.json" <<'J'
{"name": "tiny", "seed": 7, "duration_s": 4, "warmup_s": 1,
 "workload": {"type": "zipf", "objects": 1000, "alpha": 0.8, "rate_rps": 500},
 "cache": {"policy": "lru", "capacity_objects": 100}, "content": {"ttl_s": 60}}
J
cat > "$dir/sweep.json" <<'J'
{"base": "base.json", "replications": 2,
 "parameters": {"cache.capacity_objects": [20, 100, 400]}}
J

"$CDNSIM" sweep "$dir/sweep.json" --jobs 2 --out "$dir/j2" 2>"$dir/err" || fail "sweep --jobs 2: exit $? $(cat "$dir/err")"
"$CDNSIM" sweep "$dir/sweep.json" --jobs 1 --out "$dir/j1" 2>"$dir/err" || fail "sweep --jobs 1: exit $? $(cat "$dir/err")"
cmp -s "$dir/j1/summary.json" "$dir/j2/summary.json" || fail "summary.json differs between --jobs 1 and --jobs 2"
cmp -s "$dir/j1/summary.csv" "$dir/j2/summary.csv" || fail "summary.csv differs between --jobs 1 and --jobs 2"
n=$(ls "$dir/j2/runs" | grep -c '^p[0-9]*-r[0-9]*\.json$')
[ "$n" = 6 ] || fail "expected 6 run files, found $n"
rows=$(wc -l < "$dir/j2/summary.csv")
[ "$rows" = 4 ] || fail "summary.csv: expected a header and 3 rows, got $rows lines"

# --list: the points in order with their seeds, nothing run
"$CDNSIM" sweep "$dir/sweep.json" --list --out "$dir/listed" > "$dir/list" || fail "--list: exit $?"
[ "$(wc -l < "$dir/list")" = 3 ] || fail "--list: expected 3 points: $(cat "$dir/list")"
grep -q '^point 1: cache.capacity_objects=100  seeds 7 ' "$dir/list" || fail "--list: $(cat "$dir/list")"
[ ! -e "$dir/listed" ] || fail "--list wrote output"

# resume: nothing to do, then one deleted run is the only one computed
"$CDNSIM" sweep "$dir/sweep.json" --out "$dir/j2" 2>"$dir/err" || fail "resume: exit $?"
grep -q '0 runs computed, 6 reused' "$dir/err" || fail "resume recomputed runs: $(cat "$dir/err")"
rm "$dir/j2/runs/p0001-r1.json"
: > "$dir/j2/runs/p0001-r1.json.tmp.AbC123"   # left by a worker killed mid-write
"$CDNSIM" sweep "$dir/sweep.json" --out "$dir/j2" 2>"$dir/err" || fail "resume: exit $?"
grep -q '1 runs computed, 5 reused' "$dir/err" || fail "resume after a deletion: $(cat "$dir/err")"
cmp -s "$dir/j1/summary.json" "$dir/j2/summary.json" || fail "resumed summary differs"
[ ! -e "$dir/j2/runs/p0001-r1.json.tmp.AbC123" ] || fail "resume left a temporary file"

# compare: same sweep 0; a planted regression (the candidate's caches a
# tenth the size) 1; a sweep of other points, or a run against a sweep, 2
expect_exit 0 "compare of equal sweeps" "$CDNSIM" compare "$dir/j1" "$dir/j2" > "$dir/out" 2>&1
grep -q 'verdict' "$dir/out" || fail "compare printed no table"
"$CDNSIM" run "$dir/base.json" --quiet --out "$dir/a.json" || fail "run a"
"$CDNSIM" run "$dir/base.json" --quiet --set cache.capacity_objects=10 --out "$dir/b.json" || fail "run b"
expect_exit 1 "compare of a planted regression" "$CDNSIM" compare "$dir/a.json" "$dir/b.json" > "$dir/out" 2>&1
grep -q REGRESSION "$dir/out" || fail "the regression is not in the table"
expect_exit 0 "compare of an improvement" "$CDNSIM" compare "$dir/b.json" "$dir/a.json" > "$dir/out" 2>&1
expect_exit 0 "compare with wide tolerances" "$CDNSIM" compare "$dir/a.json" "$dir/b.json" --tolerance hit_ratio=1 --tolerance origin.requests=1000% \
    --tolerance latency_ms.p99=1000% > "$dir/out" 2>&1
cat > "$dir/other.json" <<'J'
{"base": "base.json", "parameters": {"cache.capacity_objects": [20, 50]}}
J
"$CDNSIM" sweep "$dir/other.json" --out "$dir/other" 2>/dev/null || fail "other sweep"
expect_exit 2 "compare of unrelated sweeps" "$CDNSIM" compare "$dir/j1" "$dir/other" > /dev/null 2>"$dir/err"
grep -q 'points\[' "$dir/err" || fail "unrelated sweeps: no path named: $(cat "$dir/err")"
expect_exit 2 "compare of a run with a sweep" "$CDNSIM" compare "$dir/a.json" "$dir/j1" > /dev/null 2>&1
expect_exit 2 "compare with a scenario" "$CDNSIM" compare "$dir/a.json" "$dir/base.json" > /dev/null 2>&1
expect_exit 2 "compare with a missing file" "$CDNSIM" compare "$dir/a.json" "$dir/nothing.json" > /dev/null 2>&1
expect_exit 2 "compare with a bad tolerance" "$CDNSIM" compare "$dir/a.json" "$dir/b.json" --tolerance hit_ratio > /dev/null 2>&1

# bad sweep files: exit 2, the path at fault named, no summary written
bad() { # name, expected text, sweep JSON
    printf '%s\n' "$3" > "$dir/$1.json"
    "$CDNSIM" sweep "$dir/$1.json" --out "$dir/$1.out" 2>"$dir/err"
    rc=$?
    [ $rc = 2 ] || fail "$1: exit $rc, want 2"
    grep -qF "$2" "$dir/err" || fail "$1: message lacks '$2': $(cat "$dir/err")"
    grep -qF "$1.json" "$dir/err" || fail "$1: message does not name the sweep file"
    [ ! -e "$dir/$1.out/summary.json" ] || fail "$1: summary written"
}
bad unknown_key '$.parameters["cache.capacity_object"]' \
    '{"base": "base.json", "parameters": {"cache.capacity_object": [1, 2]}}'
bad wrong_type '$.parameters["cache.capacity_objects"]: value "many"' \
    '{"base": "base.json", "parameters": {"cache.capacity_objects": [10, "many"]}}'
bad empty_list 'expected a non-empty list' \
    '{"base": "base.json", "parameters": {"content.ttl_s": []}}'
bad no_base '$.base: required key is missing' '{"parameters": {"content.ttl_s": [1]}}'
bad bad_json 'malformed JSON' '{"base": "base.json", "parameters": {'
bad missing_base '$.base' '{"base": "nowhere.json"}'
expect_exit 2 "--jobs 0" "$CDNSIM" sweep "$dir/sweep.json" --jobs 0 > /dev/null 2>&1

finish
