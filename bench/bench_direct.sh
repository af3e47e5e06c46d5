#!/bin/sh
# bench_direct — `cdnsim run` on a single-PoP trace scenario, which runs
# without the event queue (models/cdn/direct.h), against the same run forced
# through the event queue (CDNSIM_SLOW_PATH=1) and libCacheSim's cachesim on
# the same file: 5 M requests Zipf(0.8) over 10^6 objects (cdnsim tracegen,
# oracleGeneral), cache 10^5 objects, default RTTs (10/80 ms), no expiry.
# Per policy: instructions a request inside cdn_run (callgrind, the first
# 10^6 requests: machine-independent) both ways, and whole-process wall and
# CPU (user + sys) seconds, the median of RUNS (default 3) runs made
# alternately, with the ratios of the medians. Also checks the two runs'
# results are identical (wall_s aside).
# cachesim: $CACHESIM, else /work/scratch/libCacheSim/_build/bin/cachesim.
# POLICIES (space-separated, default "lru s3fifo arc random") narrows it.
# usage: bench/bench_direct.sh [BUILD_DIR]
set -u
build=${1:-build}
cdnsim=$build/cdnsim
runs=${RUNS:-3}
cachesim=${CACHESIM:-/work/scratch/libCacheSim/_build/bin/cachesim}
[ -x "$cachesim" ] || cachesim=
policies=${POLICIES:-"lru s3fifo arc random"}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_bdirect.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# one timed run: "wall cpu" seconds, or "- -" when it failed
timed() {
    /usr/bin/time -f '%e %U %S' -o "$dir/t" "$@" > /dev/null 2>&1 || { echo "- -"; return; }
    awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/t"
}
median() { sort -n -k"$1" "$2" | awk -v c="$1" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }

# instructions a request inside cdn_run; $1 the scenario, $2 the policy, $3
# requests, $4 CDNSIM_SLOW_PATH (0: the direct run)
instr() {
    command -v valgrind > /dev/null || { echo "-"; return; }
    env CDNSIM_SLOW_PATH="$4" valgrind --tool=callgrind --collect-atstart=no --toggle-collect=cdn_run \
        --callgrind-out-file="$dir/cg" "$cdnsim" run "$1" --quiet --set cache.policy="$2" \
        --out "$dir/cg.json" > /dev/null 2> "$dir/cglog" || { echo "-"; return; }
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)/\1/p' "$dir/cglog" | awk -v n="$3" '{printf "%.0f", $1 / n}'
}

"$cdnsim" tracegen --objects 1000000 --requests 5000000 --alpha 0.8 --format oracleGeneral \
    --out "$dir/zipf.oracleGeneral.bin" || exit 1
head -c 24000000 "$dir/zipf.oracleGeneral.bin" > "$dir/head.oracleGeneral.bin"
for t in zipf head; do
    printf '{"name":"direct-bench","seed":1,"workload":{"type":"trace","path":"%s","format":"oracleGeneral"},"cache":{"policy":"lru","capacity_objects":100000}}\n' \
        "$dir/$t.oracleGeneral.bin" > "$dir/$t.json"
done
echo "-- cdnsim run, one PoP, 5 M-request Zipf(0.8) trace over 10^6 objects, cache 10^5 objects"
echo "   (medians of $runs alternating whole-process runs; load average $(cut -d' ' -f1 /proc/loadavg))"
printf '%-8s %15s %9s %11s %11s %11s %9s %9s %s\n' policy "instr/req d/e" "M req/s" "direct s" "events s" \
    "cachesim s" "e/d cpu" "cs/d cpu" "hit ratio / identical"
for p in $policies; do
    case $p in twoq) cp=2q ;; *) cp=$p ;; esac
    : > "$dir/runs"
    i=0
    while [ $i -lt "$runs" ]; do
        a=$(timed "$cdnsim" run "$dir/zipf.json" --quiet --set cache.policy="$p" --out "$dir/d.json")
        b=$(timed env CDNSIM_SLOW_PATH=1 "$cdnsim" run "$dir/zipf.json" --quiet --set cache.policy="$p" --out "$dir/e.json")
        c="- -"
        [ -n "$cachesim" ] && c=$(cd "$dir" && timed "$cachesim" "$dir/zipf.oracleGeneral.bin" oracleGeneral "$cp" 100000 --ignore-obj-size 1)
        echo "$a $b $c" >> "$dir/runs"
        i=$((i + 1))
    done
    same=no
    grep -v '"wall_s"' "$dir/d.json" > "$dir/d.x"
    grep -v '"wall_s"' "$dir/e.json" > "$dir/e.x"
    cmp -s "$dir/d.x" "$dir/e.x" && same=yes
    hr=$(sed -n 's/^[[:space:]]*"hit_ratio":[[:space:]]*\([0-9.]*\),*$/\1/p' "$dir/d.json" | head -1)
    wd=$(median 1 "$dir/runs") cd_=$(median 2 "$dir/runs") we=$(median 3 "$dir/runs") ce=$(median 4 "$dir/runs")
    wc_=$(median 5 "$dir/runs") cc=$(median 6 "$dir/runs")
    id=$(instr "$dir/head.json" "$p" 1000000 0)
    ie=$(instr "$dir/head.json" "$p" 1000000 1)
    printf '%-8s %15s %9s %11s %11s %11s %9s %9s %s\n' "$p" "$id/$ie" \
        "$(awk -v w="$wd" 'BEGIN {print (w > 0 ? sprintf("%.2f", 5 / w) : "-")}')" "$wd/$cd_" "$we/$ce" "$wc_/$cc" \
        "$(awk -v a="$cd_" -v b="$ce" 'BEGIN {print (a > 0 && b != "-" ? sprintf("%.2fx", b / a) : "-")}')" \
        "$(awk -v a="$cd_" -v b="$cc" 'BEGIN {print (a > 0 && b != "-" ? sprintf("%.2fx", b / a) : "-")}')" "$hr / $same"
done
[ -n "$cachesim" ] || echo "(no cachesim found: set CACHESIM=path for its column)"
