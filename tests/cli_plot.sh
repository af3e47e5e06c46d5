#!/bin/sh
# cli_plot — `cdnsim plot` and `cdnsim report` end to end: a run and a tiny
# TTL sweep give their figures (images when gnuplot is installed, scripts and
# data always; with $CDNSIM_GNUPLOT empty, scripts only and exit 0); the
# TTL sweep gets the analytic curve; reports print; bad input exits 2.
set -u
. "$(dirname "$0")/cli_common.sh"

cat > "$dir/base.json" <<'J'
{"name": "tiny", "seed": 3, "duration_s": 6, "warmup_s": 2,
 "workload": {"type": "zipf", "objects": 500, "alpha": 0.8, "rate_rps": 300},
 "cache": {"policy": "lru", "capacity_objects": 500}, "network": {"origin_rtt_ms": 0},
 "stats": {"interval_s": 1}}
J
cat > "$dir/ttl.json" <<'J'
{"base": "base.json", "replications": 2, "parameters": {"content.ttl_s": [0.1, 1, 10]}}
J
"$CDNSIM" run "$dir/base.json" --quiet --out "$dir/r.json" || fail "run"
"$CDNSIM" sweep "$dir/ttl.json" --quiet --out "$dir/sw" || fail "sweep"

expect_exit 0 "plot without gnuplot" env CDNSIM_GNUPLOT= "$CDNSIM" plot "$dir/r.json" --out "$dir/p0" 2>"$dir/err"
grep -q 'gnuplot not found' "$dir/err" || fail "plot without gnuplot does not say so"
for f in timeseries pops latency; do
    [ -s "$dir/p0/$f.gp" ] && [ -s "$dir/p0/$f.dat" ] || fail "plot without gnuplot: $f.gp or $f.dat missing"
done

if command -v gnuplot > /dev/null 2>&1; then
    "$CDNSIM" plot "$dir/r.json" 2>"$dir/err" || fail "plot run: $(cat "$dir/err")"
    for f in timeseries pops latency; do
        [ -s "$dir/r-plots/$f.png" ] || fail "plot run: $f.png missing"
    done
    "$CDNSIM" plot "$dir/sw" --format svg 2>"$dir/err" || fail "plot sweep: $(cat "$dir/err")"
    for f in hit_ratio latency_ms_p99 origin_requests; do
        [ -s "$dir/sw/plots/$f.svg" ] || fail "plot sweep: $f.svg missing"
    done
    # the CDF is drawn, or (every latency one value) skipped with a note
    [ -s "$dir/sw/plots/latency_cdf.svg" ] || grep -q 'latency CDF skipped' "$dir/err" ||
        fail "plot sweep: latency_cdf.svg missing and no note"
    grep -q 'max-age model' "$dir/err" || fail "plot sweep: no analytic curve: $(cat "$dir/err")"
    [ -s "$dir/sw/plots/hit_ratio_analytic.dat" ] || fail "plot sweep: analytic data missing"
else
    echo "cli_plot: gnuplot not installed, images not checked" >&2
fi

"$CDNSIM" report "$dir/r.json" > "$dir/out" || fail "report run"
grep -q 'hit ratio' "$dir/out" && grep -q 'pop-1' "$dir/out" && grep -q 'objects held at the end' "$dir/out" || fail "report run: $(cat "$dir/out")"
"$CDNSIM" report "$dir/sw" > "$dir/out" || fail "report sweep"
grep -q 'content.ttl_s=10' "$dir/out" || fail "report sweep: $(cat "$dir/out")"

expect_exit 2 "plot of a scenario" "$CDNSIM" plot "$dir/base.json" > /dev/null 2>&1
expect_exit 2 "plot --format gif" "$CDNSIM" plot "$dir/r.json" --format gif > /dev/null 2>&1
expect_exit 2 "report of a missing file" "$CDNSIM" report "$dir/nothing.json" > /dev/null 2>&1

finish
