/* cmd_compare — `cdnsim compare`: the CI gate. Parses options, prints the
 * table analysis/compare builds, and maps its verdict to the exit status
 * (0 no regression, 1 regression, 2 bad input or usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "cli/commands.h"

static const char compare_help[] =
    "usage: cdnsim compare BASELINE.json CANDIDATE.json [--tolerance METRIC=VALUE]... [--all]\n\n"
    "Compares two results: single run results, or sweep summaries (summary.json,\n"
    "or the sweep's output folder), point by point, matched by parameter values.\n"
    "Prints a table of differences and exits 1 when the candidate is worse than\n"
    "the baseline beyond tolerance on a watched metric. Watched by default:\n"
    "  hit_ratio        a drop of more than 0.005 (absolute)\n"
    "  latency_ms.p99   a rise of more than 5%% of the baseline\n"
    "  origin.requests  a rise of more than 5%% of the baseline\n"
    "A difference inside the two 95%% confidence intervals (sweeps with\n"
    "replications) is never a regression.\n\n"
    "  --tolerance METRIC=VALUE  override a default or watch another result\n"
    "                            field: VALUE absolute (0.01) or relative (10%%);\n"
    "                            fields ending in hit_ratio or offload are better\n"
    "                            higher, all others better lower\n"
    "  --all                     also list every other numeric field (unjudged)\n\n"
    "Exit status: 0 no regression, 1 regression, 2 bad input or usage.\n";

int cmd_compare(int argc, char **argv)
{
    const char *files[2] = { NULL, NULL };
    int nfiles = 0, rc = 2;
    compare_tol_t *tols = calloc((size_t)argc + 1, sizeof *tols);
    compare_opts_t o = { tols, 0, false };
    char err[2048];
    if (!tols) { fprintf(stderr, "cdnsim compare: out of memory\n"); return 1; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(compare_help, stdout); rc = 0; goto done; }
        if (!strcmp(a, "--all")) { o.all = true; continue; }
        if (!strcmp(a, "--tolerance") || !strncmp(a, "--tolerance=", 12)) {
            const char *v = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) { fprintf(stderr, "cdnsim compare: --tolerance needs METRIC=VALUE\n"); goto done; }
            if (compare_parse_tolerance(v, &tols[o.ntols], err, sizeof err) != 0) {
                cli_error("compare", err);
                goto done;
            }
            o.ntols++;
            continue;
        }
        if (a[0] == '-' && a[1]) { fprintf(stderr, "cdnsim compare: unknown option %s\n%s", a, compare_help); goto done; }
        if (nfiles == 2) { fprintf(stderr, "cdnsim compare: two files only (baseline, candidate)\n"); goto done; }
        files[nfiles++] = a;
    }
    if (nfiles != 2) { fputs(compare_help, stderr); goto done; }
    compare_outcome_t out;
    int st = compare_files(files[0], files[1], &o, &out, err, sizeof err);
    if (st != 0) {
        cli_error("compare", err);
        rc = st == -2 ? 2 : 1;
        goto done;
    }
    fputs(out.table, stdout);
    fflush(stdout);
    rc = out.regressions ? 1 : 0;
    compare_outcome_free(&out);
done:
    free(tols);
    return rc;
}
