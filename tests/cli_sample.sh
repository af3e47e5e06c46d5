#!/bin/sh
# cli_sample — workload.sample: bad rates exit 2 with one line naming the
# file and $.workload.sample and no result file; a sampled run says so and
# scales its counts, and its report says so first; a trace scenario samples
# its keys.
. "$(dirname "$0")/cli_common.sh"
cat > "$dir/s.json" <<'JSON'
{"duration_s": 300, "warmup_s": 60,
 "workload": {"type": "zipf", "objects": 20000, "alpha": 0.8, "rate_rps": 2000},
 "cache": {"policy": "lru", "capacity_objects": 2000}, "content": {"ttl_s": 600}}
JSON
for bad in 0 -0.5 1.01 '"half"' true null '[0.1]' 1e-300; do
    # shellcheck disable=SC2086
    "$CDNSIM" run "$dir/s.json" --set workload.sample=$bad --out "$dir/bad.json" --quiet 2> "$dir/err"
    rc=$?
    [ $rc = 2 ] || fail "sample=$bad exited $rc, expected 2"
    [ ! -e "$dir/bad.json" ] || fail "sample=$bad left a result file"
    [ "$(wc -l < "$dir/err")" = 1 ] || fail "sample=$bad: not one line: $(cat "$dir/err")"
    grep -q "s.json: \$.workload.sample: " "$dir/err" || fail "sample=$bad: no file and path: $(cat "$dir/err")"
done
"$CDNSIM" run "$dir/s.json" --out "$dir/full.json" --quiet || fail "full run"
"$CDNSIM" run "$dir/s.json" --set workload.sample=0.1 --out "$dir/mini.json" --quiet || fail "sampled run"
grep -q '"sample"' "$dir/full.json" && fail "a full run has a sample block"
grep -q '"request_scale"' "$dir/mini.json" || fail "no sample block in the sampled run"
grep -q '"simulated_requests"' "$dir/mini.json" || fail "no simulated_requests"
# requests scaled back: 2000 rps over 240 s measured is 480000; the estimate
# is within 3% (the count of the miniature, near 48000, has sd 220, 0.5%)
req=$(sed -n 's/^[[:space:]]*"requests":[[:space:]]*\([0-9]*\),*$/\1/p' "$dir/mini.json" | head -1)
[ -n "$req" ] && [ "$req" -gt 465600 ] && [ "$req" -lt 494400 ] || fail "scaled requests $req, expected 480000 +- 3%"
"$CDNSIM" report "$dir/mini.json" | grep -q '^  miniature .*workload.sample 0.1: .*scaled by' || fail "report does not say the run is a miniature"
"$CDNSIM" report "$dir/mini.json" | grep -q '^  adjusted .*hit ratio' || fail "report has no adjusted figures"
"$CDNSIM" report "$dir/full.json" | grep -q 'miniature' && fail "the full run's report says miniature"
"$CDNSIM" run "$dir/s.json" --set workload.sample=0.1 --set workload.locality=0.5 --out "$dir/loc.json" --quiet ||
    fail "sampled run with locality"
grep -q '"request_scale"' "$dir/loc.json" || fail "no sample block in the sampled run with locality"
"$CDNSIM" tracegen --objects 5000 --requests 50000 --alpha 0.8 --format csv --out "$dir/t.csv" || fail tracegen
cat > "$dir/t.json" <<JSON
{"workload": {"type": "trace", "path": "t.csv", "format": "csv", "sample": 0.2},
 "warmup_s": 0, "cache": {"policy": "lru", "capacity_objects": 500}}
JSON
"$CDNSIM" run "$dir/t.json" --out "$dir/tr.json" --quiet || fail "sampled trace run"
grep -q '"request_scale"' "$dir/tr.json" || fail "no sample block in the sampled trace run"
finish
