#!/bin/sh
# cli_results — results that say what produced them (config, overrides,
# program), byte-identical for a seed; honest compare (rates, warnings, JSON
# and JUnit verdicts); export to SQLite and CSV checked against the JSON.
# Reads JSON with jq and databases with the sqlite3 shell (scripts/setup-deps.sh).
set -u
. "$(dirname "$0")/cli_common.sh"
# j FILE FILTER: one value from a JSON file
j() { jq -r "$2" "$1"; }

cat > "$dir/s.json" <<'J'
{"name": "prov", "seed": 5, "duration_s": 40, "warmup_s": 10,
 "workload": {"type": "zipf", "objects": 2000, "rate_rps": 400},
 "cache": {"policy": "lru", "capacity_objects": 100}, "content": {"ttl_s": 30},
 "stats": {"interval_s": 5}}
J

# ---- provenance ----
"$CDNSIM" run "$dir/s.json" --quiet --seed 9 --set cache.capacity_objects=50 \
    --set cache.policy=fifo --out "$dir/a.json" || fail "run exit $?"
[ "$(j "$dir/a.json" .config.cache.capacity_objects)" = 50 ] || fail "config lacks the --set capacity"
[ "$(j "$dir/a.json" .config.cache.policy)" = fifo ] || fail "config lacks the --set policy"
[ "$(j "$dir/a.json" .config.seed)" = 9 ] || fail "config.seed is not the --seed"
[ "$(j "$dir/a.json" .config.workload.alpha)" = 0.8 ] || fail "config lacks the default alpha"
[ "$(j "$dir/a.json" .config.stats.interval_s)" = 5 ] || fail "config.stats.interval_s"
[ "$(j "$dir/a.json" '.overrides | join(" ")')" = "cache.capacity_objects=50 cache.policy=fifo" ] ||
    fail "overrides: $(j "$dir/a.json" .overrides)"
[ "$(j "$dir/a.json" .program.name)" = cdnsim ] || fail "program.name"
[ -n "$(j "$dir/a.json" '.program.git // empty')" ] || fail "program.git is empty"
[ -n "$(j "$dir/a.json" '.program.version // empty')" ] || fail "program.version is empty"
[ "$(j "$dir/a.json" .result_version)" = 2 ] || fail "result_version"
# same scenario, seed and build: the same bytes apart from wall_s
"$CDNSIM" run "$dir/s.json" --quiet --seed 9 --set cache.capacity_objects=50 \
    --set cache.policy=fifo --out "$dir/b.json" || fail "run exit $?"
grep -v '"wall_s"' "$dir/a.json" > "$dir/a.nw"; grep -v '"wall_s"' "$dir/b.json" > "$dir/b.nw"
cmp -s "$dir/a.nw" "$dir/b.nw" || fail "two runs differ beyond wall_s"
# a sweep's run files carry the point's overrides and config
cat > "$dir/sw.json" <<'J'
{"base": "s.json", "replications": 2, "parameters": {"content.ttl_s": [5, 60], "cache.policy": ["lru", "sieve"]}}
J
"$CDNSIM" sweep "$dir/sw.json" --quiet --jobs 2 --out "$dir/sweep" || fail "sweep exit $?"
[ "$(j "$dir/sweep/runs/p0003-r1.json" .config.cache.policy)" = sieve ] || fail "sweep run config.policy"
[ "$(j "$dir/sweep/runs/p0003-r1.json" .config.content.ttl_s)" = 60 ] || fail "sweep run config.ttl"
[ "$(j "$dir/sweep/runs/p0003-r1.json" '.overrides | join(" ")')" = "content.ttl_s=60 cache.policy=\"sieve\"" ] ||
    fail "sweep run overrides: $(j "$dir/sweep/runs/p0003-r1.json" .overrides)"
[ "$(j "$dir/sweep/runs/p0003-r1.json" .config.seed)" = "$(j "$dir/sweep/runs/p0003-r1.json" .seed)" ] ||
    fail "sweep run config.seed is not the run's seed"
jq -e '.points[0].metrics["config.seed"] == null' "$dir/sweep/summary.json" > /dev/null ||
    fail "the summary averages config fields"

# ---- compare ----
cat > "$dir/c.json" <<'J'
{"name": "cmp", "seed": 5, "duration_s": 900, "warmup_s": 100,
 "workload": {"type": "zipf", "objects": 2000, "rate_rps": 200},
 "cache": {"policy": "lru", "capacity_objects": 100}, "content": {"ttl_s": 30}}
J
"$CDNSIM" run "$dir/c.json" --quiet --out "$dir/c900.json" || fail "run exit $?"
"$CDNSIM" run "$dir/c.json" --quiet --set duration_s=1500 --out "$dir/c1500.json" || fail "run exit $?"
# the same system run 900 s and 1500 s: counts differ by 75%, rates agree
"$CDNSIM" compare "$dir/c900.json" "$dir/c1500.json" --json "$dir/v.json" --junit "$dir/v.xml" \
    > "$dir/table" 2> "$dir/err"
rc=$?
[ $rc -eq 0 ] || fail "compare of 900 s and 1500 s runs: exit $rc: $(cat "$dir/table")"
grep -q 'origin.requests /s' "$dir/table" || fail "origin.requests not compared per second"
grep -q 'warning: the durations differ (800 s and 1400 s measured' "$dir/err" || fail "no duration warning: $(cat "$dir/err")"
grep -q 'the configs differ: duration_s (900 vs 1500)$' "$dir/err" || fail "config keys not named: $(cat "$dir/err")"
tail -n 1 "$dir/table" | grep -qx 'no regressions' || fail "the table does not end with the regressions"
[ "$(j "$dir/v.json" .verdict)" = pass ] || fail "json verdict: $(j "$dir/v.json" .verdict)"
[ "$(j "$dir/v.json" '.comparisons | length')" = 3 ] || fail "json: not 3 comparisons"
[ "$(j "$dir/v.json" '.warnings | length')" = 2 ] || fail "json: not 2 warnings"
# the rate in the verdict is the count over the measured time, exactly
want=$(jq -n --slurpfile a "$dir/c900.json" '$a[0].origin.requests / 800')
[ "$(j "$dir/v.json" '.comparisons[] | select(.metric == "origin.requests") | .baseline')" = "$want" ] ||
    fail "origin rate is not origin.requests / 800 s"
xmllint --noout "$dir/v.xml" 2> "$dir/xmlerr" || fail "junit not well-formed: $(cat "$dir/xmlerr")"
[ "$(grep -c '<testcase ' "$dir/v.xml")" = 3 ] || fail "junit: not 3 test cases"
grep -q '<testsuite name="cdnsim compare" tests="3" failures="0"' "$dir/v.xml" || fail "junit: suite counts"
# a smaller cache: a regression, listed at the end, failing in the JUnit file
"$CDNSIM" run "$dir/c.json" --quiet --set cache.capacity_objects=20 --out "$dir/small.json" || fail "run exit $?"
"$CDNSIM" compare "$dir/c900.json" "$dir/small.json" --json "$dir/v2.json" --junit "$dir/v2.xml" \
    > "$dir/table" 2> "$dir/err"
[ $? -eq 1 ] || fail "a smaller cache is not a regression"
grep -A1 '^regressions:$' "$dir/table" | grep -q '^  hit_ratio: ' || fail "regression list: $(tail -3 "$dir/table")"
grep -q 'cache.capacity_objects (100 vs 20)' "$dir/err" || fail "capacity difference not named"
[ "$(j "$dir/v2.json" .verdict)" = fail ] || fail "json verdict is not fail"
xmllint --noout "$dir/v2.xml" || fail "junit 2 not well-formed"
[ "$(grep -c '<failure ' "$dir/v2.xml")" = "$(j "$dir/v2.json" .regressions)" ] || fail "junit failures != regressions"
# sweeps: one test case per point and watched metric
"$CDNSIM" compare "$dir/sweep" "$dir/sweep" --junit "$dir/v3.xml" > /dev/null || fail "sweep vs itself"
[ "$(grep -c '<testcase ' "$dir/v3.xml")" = 12 ] || fail "junit: not 4 points x 3 metrics"
# bad input: exit 2 naming the file
echo '{"summary": {"not_nearest_share": 0.1}, "pops": []}' > "$dir/catch.json"
"$CDNSIM" compare "$dir/catch.json" "$dir/c900.json" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] || fail "a catchments file: not exit 2"
grep -q 'catch.json: $: a catchments report' "$dir/err" || fail "catchments not named: $(cat "$dir/err")"
"$CDNSIM" compare "$dir/c900.json" "$dir/c900.json" --json "$dir/no/such/v.json" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] || fail "unwritable --json: not exit 2"
"$CDNSIM" compare "$dir/c900.json" "$dir/c900.json" --tolerance hit_ratoi=0.01 > /dev/null 2> "$dir/err"
grep -q 'did you mean "hit_ratio"' "$dir/err" || fail "no did-you-mean for a metric: $(cat "$dir/err")"
"$CDNSIM" compare "$dir/c900.json" "$dir/c900.json" --jsno x > /dev/null 2> "$dir/err"
grep -q 'did you mean --json' "$dir/err" || fail "no did-you-mean for an option: $(cat "$dir/err")"
"$CDNSIM" compare --help | grep -q '%%' && fail "compare --help prints %%"
# the CI recipe in docs/experiments.md stops cleanly on a leftover baseline worktree
sed -n '/^# ci\/cache-regression.sh/,/^```$/p' docs/experiments.md | sed '$d' > "$dir/ci.sh"
mkdir "$dir/leftover"
BASELINE_DIR="$dir/leftover" sh "$dir/ci.sh" > /dev/null 2> "$dir/err"
[ $? -eq 2 ] || fail "CI recipe with a leftover worktree: not exit 2"
grep -q 'already exists' "$dir/err" || fail "CI recipe does not say why: $(cat "$dir/err")"

# ---- over time ----
# a hand-made world of three PoPs (tests/cli_catchments.sh's): CCC withdrawn
# at 20 s and announced again at 40 s
printf 'iata,city,country,continent,lat,lon\nAAA,Alpha,XX,EU,0,0\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n' > "$dir/pops.csv"
printf 'name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,3\nMB,XX,EU,0,10,1\nMC,XX,EU,0,20,2\n' > "$dir/metros.csv"
printf '100|200|0\n100|150|-1\n100|300|-1\n200|1001|-1\n100|1003|-1\n200|1003|-1\n' > "$dir/g.txt"
cat > "$dir/geo.json" <<'G'
{"metros": ["MA", "MB", "MC"], "ases": [
{"asn": 100, "tier": "tier1", "metro": 0}, {"asn": 200, "tier": "tier1", "metro": 2},
{"asn": 150, "tier": "transit", "metro": 1}, {"asn": 300, "tier": "regional", "metro": 0},
{"asn": 1001, "tier": "stub", "metro": 1}, {"asn": 1003, "tier": "stub", "metro": 0}]}
G
cat > "$dir/w.json" <<'S'
{"name": "hand", "seed": 1, "duration_s": 60, "warmup_s": 5,
 "workload": {"type": "zipf", "objects": 100, "alpha": 0.8, "rate_rps": 200, "size_bytes": 1},
 "cache": {"policy": "lru", "capacity_objects": 20}, "stats": {"interval_s": 5},
 "topology": {"pops_file": "pops.csv", "metros_file": "metros.csv",
              "as_rel_file": "g.txt", "as_geo_file": "geo.json"},
 "operations": [{"at_s": 20, "withdraw": "CCC"}, {"at_s": 40, "announce": "CCC"}]}
S
"$CDNSIM" run "$dir/w.json" --quiet --out "$dir/w.out" || fail "world run exit $?"
# every request is served by some PoP: the PoPs' series add up to the whole's
[ "$(jq '[.timeseries.pops[].requests] | transpose | map(add)' "$dir/w.out" | tr -d ' \n')" = \
  "$(jq '.timeseries.requests' "$dir/w.out" | tr -d ' \n')" ] || fail "per-PoP series do not add up"
[ "$(j "$dir/w.out" '[.timeseries.pops[] | .requests | length] | unique | .[0]')" = \
  "$(j "$dir/w.out" '.timeseries.t_s | length')" ] || fail "per-PoP series not aligned with t_s"
j "$dir/w.out" '.timeseries.pops[0] | keys | join(" ")' | grep -qx 'hit_ratio id latency_mean_ms latency_p99_ms origin_rps requests' ||
    fail "per-PoP series fields: $(j "$dir/w.out" '.timeseries.pops[0] | keys')"
# the catchment timeline: start, after the withdrawal (no CCC), after the
# announcement (as at the start, and as the end state says)
[ "$(j "$dir/w.out" '[.catchments.timeline[] | .kind] | join(" ")')" = "start withdraw announce" ] ||
    fail "timeline kinds: $(j "$dir/w.out" '[.catchments.timeline[] | .kind]')"
[ "$(j "$dir/w.out" '.catchments.timeline[1].shares.CCC // "none"')" = none ] || fail "CCC still has a share after its withdrawal"
[ "$(j "$dir/w.out" '.catchments.timeline[1] | .at_s, .target' | tr '\n' ' ')" = "20 CCC " ] || fail "withdrawal's time and target"
[ "$(j "$dir/w.out" '.catchments.timeline[0].shares == .catchments.timeline[2].shares')" = true ] ||
    fail "the announcement does not restore the start's shares"
[ "$(j "$dir/w.out" '.catchments.timeline[2].shares as $s | [.catchments.pops[] | select(.anycast.weight > 0) | {(.id): .anycast.weight}] | add == $s')" = true ] ||
    fail "the last snapshot differs from the end state's anycast weights"
[ "$(j "$dir/w.out" '[.operations[] | .kind] | join(" ")')" = "withdraw announce" ] || fail "operations array"
# stats.pops picks the series; an unknown PoP is exit 2 with its path
"$CDNSIM" run "$dir/w.json" --quiet --set 'stats.pops=["BBB"]' --out "$dir/w2.out" || fail "stats.pops run"
[ "$(j "$dir/w2.out" '[.timeseries.pops[] | .id] | join(" ")')" = BBB ] || fail "stats.pops not honoured"
"$CDNSIM" run "$dir/w.json" --quiet --set 'stats.pops=["ZZZ"]' 2> "$dir/err" > /dev/null
[ $? -eq 2 ] && grep -q '$.stats.pops\[0\]: no PoP with id "ZZZ"' "$dir/err" || fail "unknown stats.pops: $(cat "$dir/err")"
# the steady-state warning: an unbounded cache filling from cold all run
# long rises to the end; the same catalog, warmed and small, does not
cat > "$dir/cold.json" <<'J'
{"name": "cold", "seed": 2, "duration_s": 600, "workload": {"type": "zipf", "objects": 200000,
 "alpha": 0.9, "rate_rps": 300}, "stats": {"interval_s": 10}}
J
"$CDNSIM" run "$dir/cold.json" --quiet --out "$dir/cold.out" 2> "$dir/err" || fail "cold run exit $?"
grep -q 'warning: not in steady state: the hit ratio still rises' "$dir/err" || fail "no steady-state warning: $(cat "$dir/err")"
[ "$(j "$dir/cold.out" '.warnings | length')" = 1 ] || fail "the warning is not in the result"
"$CDNSIM" run "$dir/cold.json" --quiet --set workload.objects=50 --set warmup_s=300 --out "$dir/warm.out" 2> "$dir/err" ||
    fail "warm run exit $?"
[ "$(j "$dir/warm.out" '.warnings | length')" = 0 ] || fail "a warm run warned: $(cat "$dir/err")"

# ---- pictures ----
"$CDNSIM" plot "$dir/w.out" --out "$dir/wplots" > /dev/null 2>&1 || fail "plot exit $?"
grep -q "set label \"withdraw CCC\" at 20," "$dir/wplots/timeseries.gp" || fail "no withdrawal marker on the time series"
grep -q "set label \"announce CCC\" at 40," "$dir/wplots/pop_timeseries.gp" || fail "no announcement marker on the PoP series"
[ "$(grep -c "index [0-9]* using 1:(\$3)" "$dir/wplots/pop_timeseries.gp")" = "$(j "$dir/w.out" '.timeseries.pops | length')" ] ||
    fail "pop_timeseries: not a line per PoP series"
"$CDNSIM" catchments "$dir/w.json" --out "$dir/wc.json" --quiet || fail "catchments exit $?"
"$CDNSIM" plot "$dir/wc.json" --out "$dir/cplots" 2> "$dir/err" || fail "plot of a catchments file: $(cat "$dir/err")"
[ -s "$dir/cplots/catchments.gp" ] || fail "plot of a catchments file drew no map"
grep -q "^set title \"Anycast" "$dir/cplots/catchments.gp" && grep -q "^set title \"Geo" "$dir/cplots/catchments.gp" ||
    fail "the map lacks its anycast and geo panels"
grep -q "title \"AAA Alpha" "$dir/cplots/catchments.gp" || fail "the map's legend does not name the PoPs"
"$CDNSIM" report "$dir/wc.json" | grep -q 'PoPs by anycast traffic share' || fail "report of a catchments file"
"$CDNSIM" report "$dir/w.out" | grep -q 'withdraw.*CCC' || fail "report lists no operations"
# a sweep whose latencies are all one value: the CDF is skipped with a note
cat > "$dir/flat.json" <<'J'
{"base": {"duration_s": 20, "workload": {"type": "zipf", "objects": 100, "rate_rps": 100},
          "network": {"origin_rtt_ms": 0}}, "parameters": {"content.ttl_s": [1, 10]}}
J
"$CDNSIM" sweep "$dir/flat.json" --quiet --out "$dir/flat" || fail "flat sweep exit $?"
"$CDNSIM" plot "$dir/flat" --out "$dir/flatplots" 2> "$dir/err" || fail "plot of the flat sweep"
grep -q 'latency CDF skipped (it would be one vertical line)' "$dir/err" || fail "degenerate CDF not skipped: $(cat "$dir/err")"
[ ! -e "$dir/flatplots/latency_cdf.gp" ] || fail "a degenerate CDF was drawn"
grep -q "set xlabel \"TTL (s)\"" "$dir/flatplots/hit_ratio.gp" || fail "the TTL axis is not in words"

# ---- export ----
"$CDNSIM" export "$dir/sweep" --sqlite "$dir/r.db" --csv "$dir/csv" --quiet || fail "export exit $?"
q() { sqlite3 "$dir/r.db" "$1"; }
[ "$(q 'SELECT count(*) FROM runs')" = 8 ] || fail "runs: not 8 rows"
# integers from the database equal the JSON's, run by run
for f in "$dir"/sweep/runs/*.json; do
    run=$(basename "$f" .json)
    [ "$(q "SELECT CAST(value AS INTEGER) FROM metrics WHERE run = '$run' AND metric = 'origin.requests'")" = \
      "$(j "$f" .origin.requests)" ] || fail "$run: origin.requests differs from the JSON"
    [ "$(q "SELECT seed FROM runs WHERE run = '$run'")" = "$(j "$f" .seed)" ] || fail "$run: seed"
    [ "$(q "SELECT cache_policy FROM runs WHERE run = '$run'")" = "$(j "$f" .config.cache.policy)" ] ||
        fail "$run: cache_policy column"
    [ "$(q "SELECT count(*) FROM timeseries WHERE run = '$run' AND pop = 'all' AND metric = 'requests'")" = \
      "$(j "$f" '.timeseries.t_s | length')" ] || fail "$run: timeseries points"
done
# a hit ratio equals the JSON's to the last bit: sqlite compares the double
hr=$(jq -r .hit_ratio "$dir/sweep/runs/p0002-r1.json")
[ "$(q "SELECT value = $hr FROM metrics WHERE run = 'p0002-r1' AND metric = 'hit_ratio'")" = 1 ] ||
    fail "hit_ratio differs from the JSON"
# the documented query: hit ratio against TTL per policy, one row per point
[ "$(q "SELECT cache_policy, content_ttl_s, avg(m.value) FROM runs JOIN metrics m USING (run)
        WHERE m.metric = 'hit_ratio' GROUP BY cache_policy, content_ttl_s" | wc -l)" = 4 ] ||
    fail "the TTL x policy query"
[ "$(head -n 1 "$dir/csv/metrics.csv")" = run,metric,value ] || fail "metrics.csv header"
[ "$(($(wc -l < "$dir/csv/metrics.csv") - 1))" = "$(q 'SELECT count(*) FROM metrics')" ] ||
    fail "metrics.csv and the database differ in rows"
# sweep --sqlite writes the same tables
"$CDNSIM" sweep "$dir/sw.json" --quiet --out "$dir/sweep" --sqlite "$dir/s.db" || fail "sweep --sqlite exit $?"
[ "$(sqlite3 "$dir/s.db" 'SELECT count(*) FROM metrics')" = "$(q 'SELECT count(*) FROM metrics')" ] ||
    fail "sweep --sqlite: other rows than export"
# bad input: exit 2 naming the file, no database left behind
bad_export() { # want-in-stderr, args...
    want=$1; shift
    "$CDNSIM" export "$@" > /dev/null 2> "$dir/err"
    rc=$?
    [ $rc -eq 2 ] || fail "export $*: exit $rc, want 2"
    grep -qF -- "$want" "$dir/err" || fail "export $*: stderr lacks '$want': $(cat "$dir/err")"
}
bad_export "no/such/x.db" "$dir/a.json" --sqlite "$dir/no/such/x.db"
bad_export "catch.json: \$: a catchments report" "$dir/catch.json" --sqlite "$dir/x.db"
bad_export "s.json: \$: not a cdnsim result" "$dir/s.json" --sqlite "$dir/x.db"
mkdir "$dir/mixed"; cp "$dir/a.json" "$dir/mixed/new.json"
jq 'del(.result_version)' "$dir/a.json" > "$dir/mixed/old.json"
bad_export "old.json: \$.result_version: version 1" "$dir/mixed" --sqlite "$dir/x.db"
bad_export "nowhere.json" "$dir/nowhere.json" --sqlite "$dir/x.db"
[ ! -e "$dir/x.db" ] || fail "a database was left behind by bad input"
ls "$dir" | grep -q 'x.db.tmp' && fail "a temporary database was left behind"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$dir/ro"; chmod 555 "$dir/ro"
    bad_export "ro/x.db" "$dir/a.json" --sqlite "$dir/ro/x.db"
fi

# ---- small mends ----
for c in run validate routes topogen tracegen catchments sweep compare plot report; do
    "$CDNSIM" $c --help 2>&1 | grep -q '%%' && fail "$c --help prints %%"
done
"$CDNSIM" catchments --help | grep -q -- '--quiet' || fail "catchments --help omits --quiet"
"$CDNSIM" run "$dir/s.json" --qiet > /dev/null 2> "$dir/err"
[ $? -eq 2 ] || fail "a misspelt option: not exit 2"
grep -q 'did you mean --quiet' "$dir/err" || fail "no did-you-mean for --qiet: $(cat "$dir/err")"
"$CDNSIM" validate "$dir/s.json" --set cache.policy=sieev > /dev/null 2> "$dir/err"
grep -q '$.cache.policy: unknown value "sieev"; did you mean "sieve"?' "$dir/err" ||
    fail "no did-you-mean for a policy: $(cat "$dir/err")"

# a scenario outside the repository without data paths finds the topologies
# (beside it, then the installed share folder, then the source tree)
mkdir "$dir/away"; jq "del(.topology.pops_file, .topology.metros_file)" scenarios/world.json > "$dir/away/w.json"
"$CDNSIM" validate "$dir/away/w.json" > /dev/null 2> "$dir/err" || fail "default data paths: $(cat "$dir/err")"

finish
