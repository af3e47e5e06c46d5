#!/bin/sh
# bench_replay — `cdnsim replay` per policy: requests/s (whole process, the
# median of RUNS runs, default 5), instructions a request (callgrind inside
# the decode and the replay loop, on the first 10^6 requests: machine-
# independent), and, when libCacheSim's cachesim is found, the ratio of its
# whole-process time to cdnsim's: the two run alternately on the same file
# (one size, one thread each, object counts: --ignore-obj-size), the median
# of the runs' ratios, of wall-clock time and of CPU time (user + sys, which
# a shared machine's load moves less). Columns "s": wall/cpu seconds.
# First, the start-up of each program: the mean wall time of whole
# processes on a 1-request trace (LRU, one object).
# Traces: 5 M requests Zipf(0.8) over 10^6 objects (cdnsim tracegen,
# oracleGeneral), cache 10^5 objects; and each oracleGeneral file named in
# REPLAY_TRACES (space-separated, the name must contain "oracleGeneral", as
# cachesim's Belady requires) at REPLAY_SIZE objects (default 5000).
# cachesim: $CACHESIM, else /work/scratch/libCacheSim/_build/bin/cachesim
# when present (build it from https://github.com/1a1a11a/libCacheSim).
# POLICIES (space-separated) narrows the list.
# usage: bench/bench_replay.sh [BUILD_DIR]
set -u
build=${1:-build}
cdnsim=$build/cdnsim
runs=${RUNS:-5}
cachesim=${CACHESIM:-/work/scratch/libCacheSim/_build/bin/cachesim}
[ -x "$cachesim" ] || cachesim=
policies=${POLICIES:-"lru fifo lfu sieve arc clock twoq s3fifo random belady"}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cdnsim_breplay.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# one timed run: "wall cpu" seconds (cpu = user + sys), or "failed"
timed() {
    /usr/bin/time -f '%e %U %S' -o "$dir/t" "$@" > /dev/null 2>&1 || { echo failed; return; }
    awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/t"
}

# the median of column $1 of file $2
median() { sort -n -k"$1" "$2" | awk -v c="$1" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }

# instructions a request of the decode and the replay loop (callgrind)
instr() {
    command -v valgrind > /dev/null || { echo "-"; return; }
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=replay_load \
        --toggle-collect=replay_run --callgrind-out-file="$dir/cg" "$cdnsim" replay "$1" \
        --policy "$2" --size "$3" > /dev/null 2> "$dir/cglog" || { echo "-"; return; }
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)/\1/p' "$dir/cglog" | awk -v n="$4" '{printf "%.0f", $1 / n}'
}

bench_trace() {
    trace=$1 size=$2 name=$3
    n=$(($(wc -c < "$trace") / 24))
    head -c $((24 * (n < 1000000 ? n : 1000000))) "$trace" > "$dir/head.oracleGeneral.bin"
    nh=$((n < 1000000 ? n : 1000000))
    echo "-- $name: $n requests, cache $size objects${cachesim:+; cachesim: $cachesim}"
    printf '%-8s %9s %9s %11s %12s %13s %8s %s\n' policy "M req/s" instr/req "cdnsim s" "cachesim s" "ratio wall" "cpu" "miss ratio cdnsim / cachesim"
    for p in $policies; do
        case $p in twoq) cp=2q ;; *) cp=$p ;; esac
        # alternately, so that a change in the machine's load hits both
        : > "$dir/runs"
        i=0
        while [ $i -lt "$runs" ]; do
            a=$(timed "$cdnsim" replay "$trace" --policy "$p" --size "$size")
            b="- -"
            [ -n "$cachesim" ] && b=$(timed "$cachesim" "$trace" oracleGeneral "$cp" "$size" --ignore-obj-size 1 -o "$dir/cs.out")
            echo "$a $b" | awk '{r = $3 == "-" || $1 == 0 ? "-" : sprintf("%.2f", $3 / $1);
                                 q = $4 == "-" || $2 == 0 ? "-" : sprintf("%.2f", $4 / $2);
                                 print $1, $2, $3, $4, r, q}' >> "$dir/runs"
            i=$((i + 1))
        done
        mr=$("$cdnsim" replay "$trace" --policy "$p" --size "$size" | awk 'NR == 2 {print $4}')
        mr2=-
        [ -n "$cachesim" ] && mr2=$("$cachesim" "$trace" oracleGeneral "$cp" "$size" --ignore-obj-size 1 -o "$dir/cs.out" 2>&1 |
                                    sed -n 's/.*miss ratio \([0-9.]*\).*/\1/p')
        wa=$(median 1 "$dir/runs") ca=$(median 2 "$dir/runs") wb=$(median 3 "$dir/runs") cb=$(median 4 "$dir/runs")
        rw=$(median 5 "$dir/runs") rc=$(median 6 "$dir/runs")
        ir=$(instr "$dir/head.oracleGeneral.bin" "$p" "$size" "$nh")
        rps=$(awk -v a="$wa" -v n="$n" 'BEGIN {printf "%.2f", n / a / 1e6}')
        printf '%-8s %9s %9s %5s/%5s %6s/%5s %12sx %7sx %s / %s\n' "$p" "$rps" "$ir" "$wa" "$ca" "$wb" "$cb" "$rw" "$rc" "$mr" "$mr2"
    done
}

# start-up: the mean wall time of whole processes on a 1-request trace, 20
# alternating runs each (GNU date's nanoseconds: the time command's 10 ms
# steps cannot see it)
startup() {
    t0=$(date +%s%N) || return
    i=0
    while [ $i -lt 20 ]; do "$@" > /dev/null 2>&1; i=$((i + 1)); done
    echo $(( ($(date +%s%N) - t0) / 20000 ))
}

"$cdnsim" tracegen --objects 1000000 --requests 5000000 --alpha 0.8 --format oracleGeneral \
    --out "$dir/zipf.oracleGeneral.bin" || exit 1
echo "(medians of $runs alternating whole-process runs; load average $(cut -d' ' -f1 /proc/loadavg))"
head -c 24 "$dir/zipf.oracleGeneral.bin" > "$dir/one.oracleGeneral.bin"
su=$(startup "$cdnsim" replay "$dir/one.oracleGeneral.bin" --policy lru --size 1)
[ -n "$cachesim" ] && su="$su us; cachesim $(startup "$cachesim" "$dir/one.oracleGeneral.bin" oracleGeneral lru 1 --ignore-obj-size 1 -o "$dir/cs.out")"
echo "-- start-up (a 1-request trace, mean of 20 runs): cdnsim $su us"
bench_trace "$dir/zipf.oracleGeneral.bin" 100000 "Zipf(0.8) over 10^6 objects"
for t in ${REPLAY_TRACES:-}; do
    [ -r "$t" ] && bench_trace "$t" "${REPLAY_SIZE:-5000}" "$(basename "$t")"
done
[ -n "$cachesim" ] || echo "(no cachesim found: set CACHESIM=path for the ratios)"
