#!/bin/sh
# bench_routes — BGP route computation at Internet scale.
#
# Generates a 78,000-AS graph with `cdnsim topogen` (about 500,000 links),
# picks 300 anycast origins spread over it, and times `cdnsim routes`: the
# route computation alone (from the command's --timing line) and the whole
# command (parse, compute, write JSON), best of a few runs. Targets: compute
# <= 0.1 s, whole command <= 1 s.
# usage: bench/bench_routes.sh [BUILD_DIR]   (or CDNSIM=path/to/cdnsim)
set -eu
build=${1:-build}
cdnsim=${CDNSIM:-$build/cdnsim}
ases=${BENCH_ROUTES_ASES:-78000}
origins=${BENCH_ROUTES_ORIGINS:-300}
runs=${BENCH_ROUTES_RUNS:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench_routes.XXXXXX")
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }

t0=$(now)
"$cdnsim" topogen --ases "$ases" --seed 1 --out "$dir/graph.txt"
t1=$(now)
links=$(grep -vc '^#' "$dir/graph.txt")

# every k-th distinct ASN, so the origins spread over tiers and continents
list=$(grep -v '^#' "$dir/graph.txt" | cut -d'|' -f1,2 | tr '|' '\n' | sort -un |
       awk -v n="$origins" -v total="$ases" 'BEGIN { k = int(total / n); if (k < 1) k = 1 }
            NR % k == 0 && c < n { printf "%s%s", (c++ ? "," : ""), $1 }')

best_total=""; best_compute=""; best_parse=""; best_write=""
i=0
while [ $i -lt "$runs" ]; do
    s=$(now)
    "$cdnsim" routes --as-rel "$dir/graph.txt" --announce "$list" --out "$dir/routes.json" \
        --timing 2> "$dir/timing.txt"
    e=$(now)
    total=$(echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }')
    compute=$(sed -n 's/.*compute \([0-9.]*\) s.*/\1/p' "$dir/timing.txt")
    parse=$(sed -n 's/.*parse \([0-9.]*\) s.*/\1/p' "$dir/timing.txt")
    write=$(sed -n 's/.*write \([0-9.]*\) s.*/\1/p' "$dir/timing.txt")
    if [ -z "$best_total" ] || awk "BEGIN { exit !($total < $best_total) }"; then
        best_total=$total
    fi
    if [ -z "$best_compute" ] || awk "BEGIN { exit !($compute < $best_compute) }"; then
        best_compute=$compute; best_parse=$parse; best_write=$write
    fi
    i=$((i + 1))
done
size=$(wc -c < "$dir/routes.json" | tr -d ' ')

echo "routes: $ases ASes, $links links, $origins anycast origins (best of $runs runs)"
row() { printf '  %-38s %8s s   %s\n' "$1" "$2" "$3"; }
row "topogen (generate, write as-rel)" "$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')" ""
row "routes compute (three passes)" "$best_compute" "(target <= 0.1 s)"
row "routes parse as-rel" "$best_parse" ""
row "routes write JSON ($size bytes)" "$best_write" ""
row "routes whole command" "$best_total" "(target <= 1 s)"
awk "BEGIN { exit !($best_compute <= 0.1 && $best_total <= 1.0) }" ||
    { echo "  ROUTES BENCH OVER TARGET" >&2; exit 1; }
