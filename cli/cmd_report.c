/* cmd_report — `cdnsim report`: a readable summary of a result or a sweep
 * on standard output (the text comes from analysis/report). */
#include <stdio.h>
#include <string.h>

#include "analysis/report.h"
#include "cli/commands.h"

static const char report_help[] =
    "usage: cdnsim report RESULT.json|SWEEP_DIR\n\n"
    "Prints a readable summary: for a run, requests, hit and byte hit ratios,\n"
    "statuses, origin load, latency percentiles and the busiest PoPs; for a\n"
    "sweep (its folder or summary.json), a line per point with the watched\n"
    "metrics and their 95% confidence half-widths.\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

int cmd_report(int argc, char **argv)
{
    const char *input = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(report_help, stdout); return 0; }
        if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "cdnsim report: unknown option %s\n%s", argv[i], report_help); return 2; }
        if (input) { fprintf(stderr, "cdnsim report: one input only\n"); return 2; }
        input = argv[i];
    }
    if (!input) { fputs(report_help, stderr); return 2; }
    strbuf_t out = { 0 };
    char err[2048];
    int st = report_text(input, &out, err, sizeof err);
    if (st == 0) fputs(strbuf_text(&out), stdout);
    else cli_error("report", err);
    strbuf_free(&out);
    return st == 0 ? 0 : st == -2 ? 2 : 1;
}
