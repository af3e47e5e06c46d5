/* cmd_sweep — `cdnsim sweep`: run a sweep file's points and replications in
 * parallel and write the summary. All the work is in analysis/sweep; this
 * file parses options, shows progress and turns statuses into exit codes. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/export.h"
#include "analysis/sweep.h"
#include "analysis/sweep_mpi.h"
#include "cli/commands.h"
#include "sim/output.h"

static const char sweep_help[] =
    "usage: cdnsim sweep SWEEP.json [--jobs N] [--out DIR] [--sqlite FILE] [--quiet] [--list]\n\n"
    "Runs every combination of the sweep's parameter values (a point), each\n"
    "replicated with derived seeds, in N parallel worker processes, then writes\n"
    "DIR/summary.json and DIR/summary.csv: per point, the mean and 95% confidence\n"
    "half-width of every numeric result field. Each run's result is kept as\n"
    "DIR/runs/pNNNN-rR.json; running the same sweep again into the same DIR\n"
    "reruns only the runs that are missing (an interrupted sweep resumes).\n\n"
    "  --jobs N   worker processes (default: the number of online CPUs)\n"
    "  --out DIR  output folder (default: out/ + the sweep file's name without .json)\n"
    "  --sqlite FILE  also export every run into a SQLite database (as\n"
    "             `cdnsim export DIR --sqlite FILE` would)\n"
    "  --quiet    no progress line on standard error\n"
    "  --list     check the sweep and print its points and seeds, each as soon as it\n"
    "             is checked (a bad point ends the list, exit 2); run nothing\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage (every\n"
    "point's scenario is checked before any run starts). A sweep of more than\n"
    "10,000 points or 1,000,000 runs (points x replications) is refused (2).\n"
#ifdef CDNSIM_MPI
    "\nBuilt with MPI: under `mpirun -n K` rank 0 hands runs out to ranks 1..K-1\n"
    "(--jobs is ignored); DIR must be visible to every rank.\n"
#endif
    ;

static void show_progress(const sweep_tally_t *t, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\rcdnsim sweep: points %zu/%zu done, runs %zu/%zu (%zu reused)   ",
            t->points_done, t->points, t->done, t->total, t->reused);
}

static char *default_out(const char *file)
{
    const char *slash = strrchr(file, '/'), *base = slash ? slash + 1 : file;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
    char *out = malloc(n + 5);
    if (out) snprintf(out, n + 5, "out/%.*s", (int)n, base);
    return out;
}

int cmd_sweep(int argc, char **argv)
{
    const char *file = NULL, *out = NULL, *sqlite = NULL;
    static const char *const options[] = { "--jobs", "--out", "--sqlite", "--quiet", "--list", "--help", NULL };
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int quiet = 0, list = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(sweep_help, stdout); return 0; }
        if (!strcmp(a, "--quiet")) { quiet = 1; continue; }
        if (!strcmp(a, "--list")) { list = 1; continue; }
        if (!strcmp(a, "--jobs") || !strcmp(a, "--out") || !strcmp(a, "--sqlite")) {
            if (i + 1 >= argc) { fprintf(stderr, "cdnsim sweep: %s needs a value\n", a); return 2; }
            const char *v = argv[++i];
            if (!strcmp(a, "--out")) { out = v; continue; }
            if (!strcmp(a, "--sqlite")) { sqlite = v; continue; }
            char *end;
            jobs = strtol(v, &end, 10);
            if (*end || end == v || jobs < 1 || jobs > 4096) {
                fprintf(stderr, "cdnsim sweep: --jobs: expected a whole number from 1 to 4096, got \"%s\"\n", v);
                return 2;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) return cli_bad_option("sweep", a, options);
        if (file) { fprintf(stderr, "cdnsim sweep: one sweep file only (got %s and %s)\n", file, a); return 2; }
        file = a;
    }
    if (!file) { fprintf(stderr, "%s", sweep_help); return 2; }
    if (jobs < 1) jobs = 1;

    char err[2048];
    sweep_t *sw = NULL;
    if (sqlite && !output_writable(sqlite, err, sizeof err)) { cli_error("sweep", err); return 2; }
    /* under mpirun every rank checks the sweep, rank 0 alone speaks */
    bool mpi = sweep_mpi_launched(), speak = !mpi || sweep_mpi_rank() == 0;
    /* --list prints each point as soon as it is checked (a long list starts
     * at once); a bad point ends it there with exit 2 */
    int st = list ? sweep_open(file, &sw, err, sizeof err) : sweep_load(file, &sw, err, sizeof err);
    if (st != 0) {
        if (speak) cli_error("sweep", err);
        return st == -2 ? 2 : 1;
    }
    if (list) {
        /* what would run, in point order, with every replication's seed */
        char label[1024];
        for (size_t p = 0; speak && p < sweep_points(sw); p++) {
            if ((st = sweep_check_point(sw, p, err, sizeof err)) != 0) {
                fflush(stdout);
                cli_error("sweep", err);
                sweep_free(sw);
                return st == -2 ? 2 : 1;
            }
            sweep_point_label(sw, p, label, sizeof label);
            printf("point %zu: %s  seeds", p, label);
            for (unsigned r = 0; r < sweep_replications(sw); r++)
                printf(" %llu", (unsigned long long)sweep_run_seed(sw, p, r));
            printf("\n");
        }
        sweep_free(sw);
        return 0;
    }
    char *dflt = out ? NULL : default_out(file);
    const char *dir = out ? out : dflt;
    int rc = 1;
    if (!dir) { fprintf(stderr, "cdnsim sweep: out of memory\n"); goto done; }
    bool tty = speak && !quiet && isatty(STDERR_FILENO);
    sweep_tally_t t;
    if (mpi) st = sweep_mpi_run(sw, dir, tty ? show_progress : NULL, NULL, &t, err, sizeof err);
    else st = sweep_run(sw, dir, (int)jobs, tty ? show_progress : NULL, NULL, &t, err, sizeof err);
    if (tty) fputc('\n', stderr);
    if (st != 0) {
        if (speak) cli_error("sweep", err);
        rc = st == -2 ? 2 : 1;
        goto done;
    }
    /* the MPI schedule writes its summary on rank 0 itself */
    if (!mpi && sweep_summarize(sw, dir, err, sizeof err) != 0) {
        cli_error("sweep", err);
        goto done;
    }
    if (sqlite && speak) {
        export_set_t *x = NULL;
        st = export_load(dir, &x, err, sizeof err);
        if (st == 0) st = export_sqlite(x, sqlite, err, sizeof err);
        export_free(x);
        if (st != 0) {
            cli_error("sweep", err);
            rc = st == -2 ? 2 : 1;
            goto done;
        }
    }
    if (speak && !quiet)
        fprintf(stderr, "cdnsim sweep: %zu points x %u replications: %zu runs computed, %zu reused; "
                        "summary in %s/summary.json and summary.csv\n",
                sweep_points(sw), sweep_replications(sw), t.ran, t.reused, dir);
    rc = 0;
done:
    free(dflt);
    sweep_free(sw);
    return rc;
}
