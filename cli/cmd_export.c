/* cmd_export — `cdnsim export`: results into a SQLite database or long-format
 * CSV files (analysis/export does the work). */
#include <stdio.h>
#include <string.h>

#include "analysis/export.h"
#include "cli/commands.h"

static const char export_help[] =
    "usage: cdnsim export RESULT.json|DIR (--sqlite FILE | --csv DIR) [--quiet]\n\n"
    "Writes results as tidy tables: one run's result, a sweep's output folder\n"
    "(its runs/) or a folder of result files. Tables: runs (a row a run: seed,\n"
    "sweep point, parameters as columns, config as JSON), metrics (run, metric,\n"
    "value), pops (run, pop, metric, value), timeseries (run, t, pop, metric,\n"
    "value; pop 'all' for the whole CDN), catchments (run, at_s, kind, pop,\n"
    "metric, value: shares after each operation and at the end), operations.\n\n"
    "  --sqlite FILE  a SQLite database (replaced atomically: complete or absent)\n"
    "  --csv DIR      DIR/runs.csv, metrics.csv, ... (DIR created if missing)\n"
    "  --quiet        no line saying what was written\n\n"
    "Every input file must be a cdnsim run result, all of one result_version.\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

static const char *const options[] = { "--sqlite", "--csv", "--quiet", "--help", NULL };

int cmd_export(int argc, char **argv)
{
    const char *input = NULL, *sqlite = NULL, *csv = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(export_help, stdout); return 0; }
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) { quiet = 1; continue; }
        if (!strcmp(a, "--sqlite") || !strcmp(a, "--csv")) {
            if (i + 1 >= argc) { fprintf(stderr, "cdnsim export: %s needs a path\n", a); return 2; }
            *(a[2] == 's' ? &sqlite : &csv) = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1]) return cli_bad_option("export", a, options);
        if (input) { fprintf(stderr, "cdnsim export: one input only (a result or a folder)\n"); return 2; }
        input = a;
    }
    if (!input || (!sqlite && !csv)) {
        fprintf(stderr, "cdnsim export: give an input and --sqlite FILE or --csv DIR\n(see 'cdnsim export --help')\n");
        return 2;
    }
    char err[2048];
    export_set_t *x = NULL;
    int st = export_load(input, &x, err, sizeof err);
    if (st == 0 && sqlite) st = export_sqlite(x, sqlite, err, sizeof err);
    if (st == 0 && csv) st = export_csv(x, csv, err, sizeof err);
    if (st != 0) {
        cli_error("export", err);
        export_free(x);
        return st == -2 ? 2 : 1;
    }
    if (!quiet)
        fprintf(stderr, "cdnsim export: %zu run%s into %s%s%s\n", export_runs(x), export_runs(x) == 1 ? "" : "s",
                sqlite ? sqlite : "", sqlite && csv ? " and " : "", csv ? csv : "");
    export_free(x);
    return 0;
}
