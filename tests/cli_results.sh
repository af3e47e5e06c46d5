#!/bin/sh
# cli_results — results that say what produced them (config, overrides,
# program), byte-identical for a seed; honest compare (rates, warnings, JSON
# and JUnit verdicts); export to SQLite and CSV checked against the JSON.
# Reads JSON with jq and databases with the sqlite3 shell (scripts/setup-deps.sh).
set -u
: "${CDNSIM:=build/cdnsim}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/cli_results.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
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

[ $fails -eq 0 ] && echo "cli_results: ok"
[ $fails -eq 0 ]
