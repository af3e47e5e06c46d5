/* cmd_run — `cdnsim run` and `cdnsim validate`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "analysis/provenance.h"
#include "models/cdn/cdn.h"
#include "models/scenario/scenario.h"
#include "sim/output.h"
#include "sim/sim.h"
#include "sim/wallclock.h"

static const char run_help[] =
    "usage: cdnsim run SCENARIO.json [--seed N] [--set PATH=VALUE]... [--out FILE] [--quiet]\n"
    "                  [--threads N]\n\n"
    "Simulates the scenario and writes the result JSON to FILE (atomically: a\n"
    "failed or interrupted run leaves no file), or to standard output.\n\n"
    "  --seed N          override the scenario's seed (0 to 2^53)\n"
    "  --set PATH=VALUE  override one scenario key before checking, e.g.\n"
    "                    --set cache.capacity_objects=100 --set cache.policy=fifo;\n"
    "                    VALUE is JSON where it parses as JSON, else a string\n"
    "  --out FILE        write the result there instead of standard output\n"
    "  --quiet           no progress line on standard error\n"
    "  --threads N       threads executing the world's domains (1 to 1024; default\n"
    "                    the machine's cores, capped by the domains); the result\n"
    "                    is the same for every N\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

static const char validate_help[] =
    "usage: cdnsim validate SCENARIO.json [--seed N] [--set PATH=VALUE]...\n\n"
    "Checks the scenario (types, ranges, unknown keys, the files it names, the\n"
    "topology's PoPs, shields and routes, Cache-Control headers) by building the\n"
    "model without running it. Exit status: 0 valid, 2 not valid (the message\n"
    "names the file and the JSON path at fault), 1 runtime failure.\n";

typedef struct progress {
    cdn_t *cdn;
    double start;
    bool shown;
} progress_t;

static void show_progress(sim_t *s, void *ctx)
{
    progress_t *p = ctx;
    double el = wallclock_s() - p->start, vt = simtime_to_s(sim_now(s));
    simtime_t end = cdn_end_time(p->cdn);
    fprintf(stderr, "\rcdnsim: t=%.0fs", vt);
    if (end != SIMTIME_MAX) {
        double frac = vt / simtime_to_s(end);
        fprintf(stderr, "/%.0fs (%.0f%%)", simtime_to_s(end), 100 * frac);
        if (frac > 0.01) fprintf(stderr, " ETA %.0fs", el * (1 - frac) / frac);
    }
    fprintf(stderr, "  %.1fM events/s  %llu requests   ", el > 0 ? sim_events(s) / el / 1e6 : 0,
            (unsigned long long)cdn_requests_sent(p->cdn));
    p->shown = true;
}

int cmd_run(int argc, char **argv)
{
    run_args_t a;
    int rc = run_args_parse(&a, argc, argv, true);
    if (rc || a.help) {
        if (a.help) fputs(run_help, stdout);
        run_args_free(&a);
        return rc;
    }
    char err[1024];
    double start = wallclock_s();
    scenario_t *sc = scenario_load(a.scenario, a.sets, a.nsets, a.have_seed, a.seed, err, sizeof err);
    sim_t *sim = NULL;
    cdn_t *cdn = NULL;
    cJSON *res = NULL;
    if (!sc) { rc = errno == ENOMEM ? 1 : 2; goto fail; } /* out of memory is no bad input */
    if (!output_writable(a.out, err, sizeof err)) { rc = 2; goto fail; } /* before a long run */
    sim = sim_create();
    if (!sim) { snprintf(err, sizeof err, "out of memory"); rc = 1; goto fail; }
    int st = cdn_create(sc, sim, &cdn, err, sizeof err);
    if (st != 0) { rc = st == -2 ? 2 : 1; goto fail; }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = a.threads ? a.threads : cores > 0 ? (unsigned)cores : 1;
    if (threads > cdn_domains(cdn)) threads = cdn_domains(cdn);
    cdn_set_threads(cdn, threads);
    /* undocumented: the event-driven run even where the direct loop would
     * do (the identity tests compare the two) */
    const char *slow = getenv("CDNSIM_SLOW_PATH");
    cdn_set_slow_path(cdn, slow && *slow && strcmp(slow, "0") != 0);
    progress_t prog = { cdn, start, false };
    if (!a.quiet && isatty(STDERR_FILENO)) sim_set_progress(sim, show_progress, &prog, 0.25);
    st = cdn_run(cdn, err, sizeof err);
    if (prog.shown) fputc('\n', stderr);
    double busiest, all;
    cdn_thread_cpu(cdn, &busiest, &all);
    if (st == 0 && !a.quiet && busiest > 0)
        fprintf(stderr, "cdnsim run: %u domains on %u threads: %.2f s CPU in all, %.2f s in the busiest thread (%.2fx at most)\n",
                cdn_domains(cdn), threads, all, busiest, all / busiest);
    if (st != 0) { rc = st == -2 ? 2 : 1; goto fail; }
    if (!a.quiet && cdn_ran_direct(cdn))
        fprintf(stderr, "cdnsim run: one PoP replaying a trace: run without the event queue\n");
    res = cdn_results(cdn);
    if (!res) { snprintf(err, sizeof err, "out of memory"); rc = 1; goto fail; }
    provenance_add(res, sc);
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(res, "warnings");
    for (const cJSON *m = warnings ? warnings->child : NULL; m; m = m->next)
        if (cJSON_IsString(m)) fprintf(stderr, "cdnsim run: warning: %s\n", m->valuestring);
    cJSON_AddNumberToObject(res, "wall_s", wallclock_s() - start);
    if (output_write_json(a.out, res, err, sizeof err) != 0) { rc = 1; goto fail; }
    rc = 0;
    goto done;
fail:
    cli_error("run", err);
done:
    cJSON_Delete(res);
    cdn_destroy(cdn);
    sim_destroy(sim);
    scenario_free(sc);
    run_args_free(&a);
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    run_args_t a;
    int rc = run_args_parse(&a, argc, argv, false);
    if (rc || a.help) {
        if (a.help) fputs(validate_help, stdout);
        run_args_free(&a);
        return rc;
    }
    /* Builds the whole model (topology, routes, caches, content classes)
     * without running it, so every check a run would make is made. */
    char err[1024];
    scenario_t *sc = scenario_load(a.scenario, a.sets, a.nsets, a.have_seed, a.seed, err, sizeof err);
    sim_t *sim = sc ? sim_create() : NULL;
    cdn_t *cdn = NULL;
    rc = !sc ? (errno == ENOMEM ? 1 : 2) : !sim ? 1 : 0;
    if (sim) {
        int st = cdn_create(sc, sim, &cdn, err, sizeof err);
        rc = st == 0 ? 0 : st == -2 ? 2 : 1;
    } else if (sc) {
        snprintf(err, sizeof err, "out of memory");
    }
    if (rc == 0) printf("%s: valid scenario \"%s\"\n", a.scenario, sc->name);
    else cli_error("validate", err);
    cdn_destroy(cdn);
    sim_destroy(sim);
    scenario_free(sc);
    run_args_free(&a);
    return rc;
}
