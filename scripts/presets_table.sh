#!/bin/sh
# presets_table.sh — runs every scenarios/presets/*.json and prints the
# side-by-side table of docs/presets.md (Markdown).
# usage: scripts/presets_table.sh [CDNSIM]
set -eu
cdnsim=${1:-build/cdnsim}
dir=$(mktemp -d "${TMPDIR:-/tmp}/presets.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "| preset | hit ratio | origin offload | p50 ms | p90 ms | p99 ms | share away from nearest PoP |"
echo "|---|---|---|---|---|---|---|"
for f in scenarios/presets/*.json; do
    n=$(basename "$f" .json)
    "$cdnsim" run "$f" --quiet --out "$dir/$n.json"
    python3 -c "import json,sys
d=json.load(open(sys.argv[1])); l=d['latency_ms']
print('| %s | %.3f | %.3f | %.1f | %.1f | %.1f | %.3f |' % (sys.argv[2], d['hit_ratio'], d['origin']['offload'],
      l['p50'], l['p90'], l['p99'], d['catchments']['summary']['not_nearest_share']))" "$dir/$n.json" "$n"
done
