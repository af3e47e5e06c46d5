#!/bin/sh
# mrc_error.sh — the error of SHARDS-sampled miss-ratio curves against the
# full ones, and the speed-up, as in docs/caches.md (Markdown table rows).
# For each policy: the full curve (`cdnsim mrc`, exact: one pass for lru, a
# simulation per size for the rest) at K log-spaced sizes, then the sampled
# curve at each rate at the same sizes; the mean absolute error of the miss
# ratio over all the sizes and over those the sample can resolve (C R >= 10),
# the largest error, and the wall-clock times (whole processes, trace
# decoding included).
# usage: scripts/mrc_error.sh TRACE FORMAT POLICIES RATES [POINTS] [CDNSIM]
#   e.g. scripts/mrc_error.sh z.bin oracleGeneral lru,fifo,s3fifo,arc 0.1,0.01 20
set -eu
trace=$1 format=$2 policies=$3 rates=$4 points=${5:-20} cdnsim=${6:-build/cdnsim}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mrc_error.XXXXXX")
trap 'rm -rf "$dir"' EXIT
now() { date +%s.%N; }
echo "| policy | R | MAE (all sizes) | MAE (C R >= 10) | max error | full s | sampled s | speed-up |"
echo "|---|---|---|---|---|---|---|---|"
for p in $(echo "$policies" | tr ',' ' '); do
    t0=$(now)
    "$cdnsim" mrc "$trace" --format "$format" --policy "$p" --points "$points" --threads 1 --csv "$dir/full.csv" > /dev/null
    t1=$(now)
    sizes=$(awk -F, 'NR > 1 { printf "%s%s", s, $2; s = "," }' "$dir/full.csv")
    for r in $(echo "$rates" | tr ',' ' '); do
        t2=$(now)
        "$cdnsim" mrc "$trace" --format "$format" --policy "$p" --rate "$r" --size "$sizes" --threads 1 --csv "$dir/s.csv" > /dev/null
        t3=$(now)
        awk -F, -v p="$p" -v r="$r" -v tf="$(echo "$t1 - $t0" | bc)" -v ts="$(echo "$t3 - $t2" | bc)" '
            FNR == 1 { next }
            NR == FNR { full[$2] = $3; next }
            { d = $3 - full[$2]; if (d < 0) d = -d; n++; s += d; if (d > m) m = d
              if ($2 * r >= 10) { n10++; s10 += d } }
            END { printf "| %s | %s | %.4f | %s | %.4f | %.2f | %.2f | %.1fx |\n", p, r, s / n,
                         n10 ? sprintf("%.4f (%d sizes)", s10 / n10, n10) : "-", m, tf, ts, tf / ts }' \
            "$dir/full.csv" "$dir/s.csv"
    done
done
