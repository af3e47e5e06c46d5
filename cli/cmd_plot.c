/* cmd_plot — `cdnsim plot`: figures of a run or a sweep through gnuplot.
 * Parses options and prints what analysis/plot made. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "analysis/catchment_map.h"
#include "analysis/mrc_plot.h"
#include "analysis/results.h"
#include "cli/commands.h"

static const char plot_help[] =
    "usage: cdnsim plot RESULT.json|SWEEP_DIR [--out DIR] [--format png|svg]\n\n"
    "Writes gnuplot scripts and their data into DIR and runs gnuplot on them.\n"
    "A run's result: time series (requests, hit ratio, origin requests/s per\n"
    "interval), per-PoP load, latency summary. A sweep (its output folder or\n"
    "summary.json): hit ratio, p99 latency and origin requests against the swept\n"
    "numeric parameter, a line per combination of the other parameters, with\n"
    "95% confidence bars; beside the hit ratio the analytic curve when the sweep\n"
    "is over content.ttl_s (max-age model) or cache.capacity_objects with lru\n"
    "(Che's approximation) for a zipf workload. A catchments report (cdnsim\n"
    "catchments --out FILE): its map, anycast and geo side by side. Miss-ratio\n"
    "curves (cdnsim mrc --out FILE): miss ratio and byte miss ratio against the\n"
    "cache size, log scale, a line per policy.\n\n"
    "  --out DIR      output folder (default: SWEEP_DIR/plots, or RESULT-plots)\n"
    "  --format FMT   png (default) or svg\n\n"
    "Without gnuplot the scripts and data are still written (exit 0).\n"
    "$CDNSIM_GNUPLOT names the gnuplot to run (empty: none).\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

/* A `cdnsim catchments` report is drawn as its map, a `cdnsim mrc`
 * document as its curves. 1: the input is neither (plot_results takes it);
 * 0 drawn; -2 or -1 failed. */
static int catchments_plot(const char *input, const char *dir, plot_format_t fmt, char *err, size_t errlen)
{
    char *file = NULL;
    cJSON *j = results_load(input, &file, err, errlen);
    int rc = 1, image = 0;
    if (j && mrc_plot_is(j)) {
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create the folder: %s", dir, strerror(errno));
            rc = -2;
        } else {
            rc = mrc_plot(j, file, dir, fmt, &image, err, errlen);
            if (rc == 0)
                fprintf(stderr, "%s/mrc.%s: miss-ratio curves%s\n", dir, plot_format_ext(fmt),
                        image ? "" : " (script only: no gnuplot)");
        }
    } else if (j && results_is_catchments(j)) {
        if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "groups"))) {
            snprintf(err, errlen, "%s: $.groups: a catchments report without its groups: nothing to map", file);
            rc = -2;
        } else if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create the folder: %s", dir, strerror(errno));
            rc = -2;
        } else {
            rc = catchment_map(j, dir, fmt, &image, err, errlen) == 0 ? 0 : -1;
            if (rc == 0)
                fprintf(stderr, "%s/catchments.%s: anycast and geo catchments on a world map%s\n", dir,
                        plot_format_ext(fmt), image ? "" : " (script only: no gnuplot)");
        }
    }
    cJSON_Delete(j);
    free(file);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    const char *input = NULL, *out = NULL;
    plot_format_t fmt = PLOT_PNG;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(plot_help, stdout); return 0; }
        if (!strcmp(a, "--out") || !strcmp(a, "--format")) {
            if (i + 1 >= argc) { fprintf(stderr, "cdnsim plot: %s needs a value\n", a); return 2; }
            const char *v = argv[++i];
            if (!strcmp(a, "--out")) out = v;
            else if (plot_format_parse(v, &fmt) != 0) {
                fprintf(stderr, "cdnsim plot: --format: expected png or svg, got \"%s\"\n", v);
                return 2;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) {
            static const char *const options[] = { "--out", "--format", "--help", NULL };
            return cli_bad_option("plot", a, options);
        }
        if (input) { fprintf(stderr, "cdnsim plot: one input only (got %s and %s)\n", input, a); return 2; }
        input = a;
    }
    if (!input) { fputs(plot_help, stderr); return 2; }
    char *dflt = out ? NULL : plot_default_dir(input), err[2048];
    if (!out && !dflt) { fprintf(stderr, "cdnsim plot: out of memory\n"); return 1; }
    plot_outcome_t o = { 0 };
    int st = catchments_plot(input, out ? out : dflt, fmt, err, sizeof err);
    if (st == 0) { free(dflt); return 0; }
    if (st == 1) st = plot_results(input, out ? out : dflt, fmt, &o, err, sizeof err);
    if (o.notes) fputs(o.notes, stderr);
    int rc = 0;
    if (st != 0) {
        cli_error("plot", err);
        rc = st == -1 ? 1 : 2;
    }
    plot_outcome_free(&o);
    free(dflt);
    return rc;
}
