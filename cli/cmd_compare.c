/* cmd_compare — `cdnsim compare`: the CI gate. Parses options, prints the
 * table analysis/compare builds, writes the machine-readable verdicts, and
 * maps the verdict to the exit status (0 no regression, 1 regression, 2 bad
 * input or usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "cli/commands.h"
#include "sim/output.h"

static const char compare_help[] =
    "usage: cdnsim compare BASELINE.json CANDIDATE.json [--tolerance METRIC=VALUE]... [--all]\n"
    "                     [--json FILE] [--junit FILE]\n\n"
    "Compares two results: single run results, or sweep summaries (summary.json,\n"
    "or the sweep's output folder), point by point, matched by parameter values.\n"
    "Prints a table of differences, the warnings (durations, workloads, config\n"
    "keys or scenarios that differ) and the list of regressions, and exits 1 when\n"
    "the candidate is worse than the baseline beyond tolerance on a watched\n"
    "metric. Watched by default:\n"
    "  hit_ratio        a drop of more than 0.005 (absolute)\n"
    "  latency_ms.p99   a rise of more than 5% of the baseline\n"
    "  origin.requests  a rise of more than 5% of the baseline\n"
    "Counts (requests, hits, bytes, errors, statuses) are compared as rates per\n"
    "second of measured time (duration_s - warmup_s), so runs of different\n"
    "lengths compare fairly. A difference inside the two 95% confidence\n"
    "intervals (sweeps with replications) is never a regression.\n\n"
    "  --tolerance METRIC=VALUE  override a default or watch another result\n"
    "                            field: VALUE absolute (0.01; per second for a\n"
    "                            count) or relative (10%); fields ending in\n"
    "                            hit_ratio or offload are better higher, all\n"
    "                            others better lower\n"
    "  --all                     also list every other numeric field (unjudged)\n"
    "  --json FILE               write the verdict as JSON (pass/fail, counts,\n"
    "                            warnings, every comparison)\n"
    "  --junit FILE              write JUnit XML: a test case per watched metric\n"
    "                            (and point), a failure per regression\n\n"
    "Exit status: 0 no regression, 1 regression, 2 bad input or usage.\n";

static const char *const options[] = { "--tolerance", "--all", "--json", "--junit", "--help", NULL };

int cmd_compare(int argc, char **argv)
{
    const char *files[2] = { NULL, NULL }, *json_out = NULL, *junit_out = NULL;
    int nfiles = 0, rc = 2;
    compare_tol_t *tols = calloc((size_t)argc + 1, sizeof *tols);
    compare_opts_t o = { tols, 0, false };
    char err[2048];
    compare_outcome_t out = { 0 };
    char *xml = NULL;
    if (!tols) { fprintf(stderr, "cdnsim compare: out of memory\n"); return 1; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(compare_help, stdout); rc = 0; goto done; }
        if (!strcmp(a, "--all")) { o.all = true; continue; }
        if (!strcmp(a, "--json") || !strcmp(a, "--junit")) {
            if (i + 1 >= argc) { fprintf(stderr, "cdnsim compare: %s needs a file name\n", a); goto done; }
            *(a[2] == 'j' && a[3] == 's' ? &json_out : &junit_out) = argv[++i];
            continue;
        }
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
        if (a[0] == '-' && a[1]) { rc = cli_bad_option("compare", a, options); goto done; }
        if (nfiles == 2) { fprintf(stderr, "cdnsim compare: two files only (baseline, candidate)\n"); goto done; }
        files[nfiles++] = a;
    }
    if (nfiles != 2) { fputs(compare_help, stderr); goto done; }
    /* the verdict files are checked before comparing, so a bad path is a
     * usage error rather than a verdict lost after the work */
    if (!output_writable(json_out, err, sizeof err) || !output_writable(junit_out, err, sizeof err)) {
        cli_error("compare", err);
        goto done;
    }
    int st = compare_files(files[0], files[1], &o, &out, err, sizeof err);
    if (st != 0) {
        cli_error("compare", err);
        rc = st == -2 ? 2 : 1;
        goto done;
    }
    fputs(out.table, stdout);
    fflush(stdout);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(out.verdict, "warnings");
    for (const cJSON *m = w ? w->child : NULL; m; m = m->next)
        fprintf(stderr, "cdnsim compare: warning: %s\n", m->valuestring);
    if (json_out && output_write_json(json_out, out.verdict, err, sizeof err) != 0) {
        cli_error("compare", err);
        rc = 1;
        goto done;
    }
    if (junit_out) {
        xml = compare_junit(&out);
        if (!xml || output_write_atomic(junit_out, xml, err, sizeof err) != 0) {
            cli_error("compare", xml ? err : "out of memory");
            rc = 1;
            goto done;
        }
    }
    rc = out.regressions ? 1 : 0;
done:
    free(xml);
    compare_outcome_free(&out);
    free(tols);
    return rc;
}
