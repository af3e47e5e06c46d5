#!/bin/sh
# presets_table.sh — runs every scenarios/presets/*.json and prints the
# side-by-side table of docs/presets.md (Markdown); with PLOT_DIR it also
# writes the figures of docs/presets.md there (gnuplot, PNG): presets_ratios.png
# (hit ratio, origin offload, share away from the nearest PoP),
# presets_latency.png (p50/p90/p99) and presets_cdf.png (each preset's latency
# distribution drawn through the percentiles its result reports).
# Bars carry their values (a 0 shows as 0.00, not as a missing bar; a figure
# with no meaning, as the nearest-PoP share of routing origin, shows as n/a).
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
d=json.load(open(sys.argv[1])); l=d['latency_ms']; c=d['catchments']
# routing origin: no PoP serves, so 'away from the nearest PoP' (1 by
# construction in the result) answers nothing: n/a
nn = 'n/a' if c.get('mode') == 'origin' else '%.3f' % c['summary']['not_nearest_share']
nd = 'n/a' if c.get('mode') == 'origin' else '%.6f' % c['summary']['not_nearest_share']
print('| %s | %.3f | %.3f | %.1f | %.1f | %.1f | %s |' % (sys.argv[2], d['hit_ratio'], d['origin']['offload'],
      l['p50'], l['p90'], l['p99'], nn))
with open(sys.argv[3], 'a') as o:
    o.write('%s %.6f %.6f %s %s\n' % (sys.argv[2], d['hit_ratio'], d['origin']['offload'], nd,
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
# bars PNG TITLE YRANGE YLABEL LIFT FORMAT BAR BAR BAR: one clustered bar chart
# of presets.dat, three bars a preset (each BAR is COLUMN:COLOUR:KEY), each bar
# carrying its value in FORMAT, LIFT above its top
bars() {
    printf 'set output "%s"\nset title "%s"\nset yrange %s\nset ylabel "%s"\n' "$1" "$2" "$3" "$4"
    lift=$5 fmt=$6
    shift 6
    sep='plot ' src='"presets.dat"' xtic=':xtic(1)'
    for b in "$@"; do
        col=${b%%:*} rest=${b#*:}
        printf '%s%s using %s%s title "%s" lc rgb "%s"' "$sep" "$src" "$col" "$xtic" "${rest#*:}" "${rest%%:*}"
        sep=', \
     ' src='""' xtic=
    done
    i=0
    for b in "$@"; do
        case $i in 0) x='$0 - 0.222' ;; 1) x='$0' ;; *) x='$0 + 0.222' ;; esac
        col=${b%%:*} i=$((i + 1))
        printf '%s"" using (%s):(valid(%s) ? $%s + %s : %s):(valid(%s) ? sprintf("%s", $%s) : "n/a") with labels font ",8" notitle' \
            "$sep" "$x" "$col" "$col" "$lift" "$lift" "$col" "$fmt" "$col"
    done
    printf '\n\n'
}
cd "$plots"
{
    cat <<'GP'
set terminal pngcairo noenhanced size 900,480 font "sans,11"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top center horizontal outside

GP
    bars presets_ratios.png "Presets on one workload: hit ratio, origin offload, share away from the nearest PoP" \
        "[0:1.05]" share 0.02 %.2f "2:#1f77b4:hit ratio (clients)" "3:#2ca02c:origin offload (bytes)" \
        "4:#d62728:away from nearest PoP"
    bars presets_latency.png "Presets: client latency percentiles" "[0:*]" "latency (ms)" 15 %.0f \
        "7:#9ecae1:p50" "9:#4292c6:p90" "11:#08306b:p99"
    cat <<'GP'
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
} | gnuplot
