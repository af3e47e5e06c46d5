#!/bin/sh
# presets_table.sh — runs every scenarios/presets/*.json and prints the
# side-by-side table of docs/presets.md (Markdown); with PLOT_DIR it also
# writes the figures of docs/presets.md there (gnuplot, PNG): presets_ratios.png
# (hit ratio, origin offload, share away from the nearest PoP),
# presets_latency.png (p50/p90/p99) and presets_cdf.png (each preset's latency
# distribution drawn through the percentiles its result reports).
# Bars carry their values (a 0 shows as 0.00, not as a missing bar).
# usage: scripts/presets_table.sh [CDNSIM] [PLOT_DIR]
set -eu
cdnsim=${1:-build/cdnsim}
plots=${2:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/presets.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "| preset | hit ratio | origin offload | p50 ms | p90 ms | p99 ms | share away from nearest PoP |"
echo "|---|---|---|---|---|---|---|"
: > "$dir/presets.dat"
for f in scenarios/presets/*.json; do
    n=$(basename "$f" .json)
    "$cdnsim" run "$f" --quiet --out "$dir/$n.json"
    python3 -c "import json,sys
d=json.load(open(sys.argv[1])); l=d['latency_ms']; nn=d['catchments']['summary']['not_nearest_share']
print('| %s | %.3f | %.3f | %.1f | %.1f | %.1f | %.3f |' % (sys.argv[2], d['hit_ratio'], d['origin']['offload'],
      l['p50'], l['p90'], l['p99'], nn))
with open(sys.argv[3], 'a') as o:
    o.write('%s %.6f %.6f %.6f %s\n' % (sys.argv[2], d['hit_ratio'], d['origin']['offload'], nn,
            ' '.join('%.3f' % l[k] for k in ('p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999'))))" \
        "$dir/$n.json" "$n" "$dir/presets.dat"
done
[ -n "$plots" ] || exit 0
mkdir -p "$plots"
cp "$dir/presets.dat" "$plots/presets.dat"
# one line per (preset, quantile) for the CDF: columns preset index, latency, quantile
awk '{ split("0.10 0.25 0.50 0.75 0.90 0.95 0.99 0.999", q, " ");
       for (i = 1; i <= 8; i++) print NR - 1, $(i + 4), q[i]; print "" ; print "" }' \
    "$plots/presets.dat" > "$plots/presets_cdf.dat"
cd "$plots"
gnuplot <<'GP'
set terminal pngcairo noenhanced size 900,480 font "sans,11"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top center horizontal outside

set output "presets_ratios.png"
set title "Presets on one workload: hit ratio, origin offload, share away from the nearest PoP"
set yrange [0:1.05]
set ylabel "share"
plot "presets.dat" using 2:xtic(1) title "hit ratio (clients)" lc rgb "#1f77b4", \
     "" using 3 title "origin offload (bytes)" lc rgb "#2ca02c", \
     "" using 4 title "away from nearest PoP" lc rgb "#d62728", \
     "" using ($0 - 0.222):($2 + 0.02):(sprintf("%.2f", $2)) with labels font ",8" notitle, \
     "" using ($0):($3 + 0.02):(sprintf("%.2f", $3)) with labels font ",8" notitle, \
     "" using ($0 + 0.222):($4 + 0.02):(sprintf("%.2f", $4)) with labels font ",8" notitle

set output "presets_latency.png"
set title "Presets: client latency percentiles"
set yrange [0:*]
set ylabel "latency (ms)"
plot "presets.dat" using 7:xtic(1) title "p50" lc rgb "#9ecae1", \
     "" using 9 title "p90" lc rgb "#4292c6", \
     "" using 11 title "p99" lc rgb "#08306b", \
     "" using ($0 - 0.222):($7 + 15):(sprintf("%.0f", $7)) with labels font ",8" notitle, \
     "" using ($0):($9 + 15):(sprintf("%.0f", $9)) with labels font ",8" notitle, \
     "" using ($0 + 0.222):($11 + 15):(sprintf("%.0f", $11)) with labels font ",8" notitle

set output "presets_cdf.png"
set title "Presets: latency distribution (through the reported p10 ... p99.9)"
set style data linespoints
set key top left inside vertical
set logscale x
set xrange [5:2000]
set yrange [0:1]
set xlabel "latency (ms, log scale)"
set ylabel "share of requests at or below"
stats "presets.dat" using 2 nooutput
plot for [i=0:STATS_records-1] "presets_cdf.dat" index i using 2:3 with linespoints lw 2 pt 7 ps 0.7 \
     title system(sprintf("awk 'NR==%d {print $1}' presets.dat", i + 1))
GP
