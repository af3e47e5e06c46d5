/* cmd_catchments — `cdnsim catchments`: what anycast costs each client group.
 *
 * Builds the scenario's world (models/world) and reports, per client group,
 * the PoP its BGP route leads to, the latency-nearest PoP and the extra
 * round trip anycast costs (2 x the one-way difference); per PoP, the groups
 * and traffic weight it attracts under anycast and under ideal geo mapping;
 * and a summary: the share of traffic not served by its nearest PoP, and the
 * weighted mean and p90 of the extra RTT. The JSON goes out atomically; with
 * --out a short table is printed too, so a person running it sees the story
 * at once. No simulation runs, so this is the quick what-if loop for
 * prepends, withdrawals and PoP lists. */
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "models/net/catchments.h"
#include "models/scenario/scenario.h"
#include "models/net/world.h"
#include "analysis/catchment_map.h"
#include "sim/output.h"
#include "sim/wallclock.h"

static const char catchments_help[] =
    "usage: cdnsim catchments SCENARIO.json [--set PATH=VALUE]... [--out FILE]\n"
    "                         [--map DIR [--format png|svg]] [--quiet]\n\n"
    "Builds the scenario's topology (PoPs, client metros, AS graph, BGP) and reports\n"
    "each client group's anycast PoP (where its AS's BGP route leads), its nearest\n"
    "PoP (what ideal geo mapping picks) and the extra RTT anycast costs it; per PoP\n"
    "the groups and traffic share it attracts under anycast and under geo mapping;\n"
    "and the share of traffic whose anycast PoP is not its nearest, with the\n"
    "weighted mean and p90 of the extra RTT. No requests are simulated.\n\n"
    "  --set PATH=VALUE  override one scenario key first, e.g.\n"
    "                    --set 'topology.sites=[{\"id\":\"FRA\",\"withdrawn\":true}]'\n"
    "  --out FILE        write the JSON there (atomically) and print a summary table;\n"
    "                    without it the JSON goes to standard output\n"
    "  --map DIR         also draw the catchments on a world map (gnuplot):\n"
    "                    DIR/catchments.png (or .svg with --format svg)\n"
    "  --quiet           no summary table and no note of the map written\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

/* The catchment report (models/catchments) with what the world is. */
static cJSON *report(const world_t *w, const scenario_t *sc, double build_s)
{
    cJSON *rep = catchments_json(w, true);
    cJSON *root = cJSON_CreateObject();
    if (!rep || !root) { cJSON_Delete(rep); cJSON_Delete(root); return NULL; }
    cJSON_AddStringToObject(root, "scenario", sc->name ? sc->name : "");
    cJSON *wo = cJSON_AddObjectToObject(root, "world");
    int up = 0;
    for (int i = 0; i < w->npops; i++) up += w->pops[i].announced;
    cJSON_AddNumberToObject(wo, "pops", w->npops);
    cJSON_AddNumberToObject(wo, "announced_pops", up);
    cJSON_AddNumberToObject(wo, "groups", w->ngroups);
    cJSON_AddNumberToObject(wo, "ases", w->ases);
    cJSON_AddNumberToObject(wo, "links", w->links);
    cJSON_AddNumberToObject(wo, "route_factor", w->fiber.route_factor);
    /* the report's sections follow, in its order */
    while (rep->child) {
        cJSON *item = cJSON_DetachItemViaPointer(rep, rep->child);
        cJSON_AddItemToObject(root, item->string, item);
    }
    cJSON_Delete(rep);
    cJSON_AddNumberToObject(root, "wall_s", round(build_s * 1e4) / 1e4);
    return root;
}

/* ---- the human table --------------------------------------------------- */

typedef struct ranked { double key; int i; } ranked_t;
static int cmp_ranked(const void *a, const void *b)
{
    const ranked_t *p = a, *q = b;
    if (p->key != q->key) return p->key > q->key ? -1 : 1;
    return p->i - q->i;
}

static void print_table(FILE *f, const world_t *w, const catchments_summary_t *s,
                        const catchments_load_t *load, double build_s)
{
    fprintf(f, "%d PoPs, %d client groups, %d ASes, %d links (built in %.0f ms)\n", w->npops,
            w->ngroups, w->ases, w->links, build_s * 1e3);
    fprintf(f, "traffic not at its nearest PoP: %.1f%% (%d groups); extra RTT mean %.1f ms, "
            "p90 %.1f ms, max %.1f ms\n", 100 * s->not_nearest_share, s->not_nearest,
            s->extra_mean_ms, s->extra_p90_ms, s->extra_max_ms);
    fprintf(f, "client RTT mean: anycast %.1f ms, nearest PoP %.1f ms\n", s->anycast_rtt_mean_ms,
            s->nearest_rtt_mean_ms);
    if (s->unrouted)
        fprintf(f, "groups with no route to the CDN: %d (%.1f%% of traffic)\n", s->unrouted,
                100 * s->unrouted_w);
    int n = w->npops > w->ngroups ? w->npops : w->ngroups;
    ranked_t *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) return;
    for (int p = 0; p < w->npops; p++) r[p] = (ranked_t){ load[p].anycast_weight, p };
    qsort(r, (size_t)w->npops, sizeof *r, cmp_ranked);
    fprintf(f, "\nbusiest PoPs    anycast share (groups)   geo share (groups)\n");
    for (int k = 0; k < w->npops && k < 10; k++) {
        int p = r[k].i;
        fprintf(f, "  %-5s %-14.14s %6.2f%% (%3d)           %6.2f%% (%3d)\n", w->pops[p].id,
                w->pops[p].city, 100 * load[p].anycast_weight, load[p].anycast_groups,
                100 * load[p].geo_weight, load[p].geo_groups);
    }
    /* the groups anycast hurts most, by extra RTT x traffic */
    int m = 0;
    for (int i = 0; i < w->ngroups; i++) {
        double x = catchments_extra_ms(&w->groups[i]);
        if (x > 0) r[m++] = (ranked_t){ x * w->groups[i].weight, i };
    }
    qsort(r, (size_t)m, sizeof *r, cmp_ranked);
    if (m) fprintf(f, "\nmost costly groups          anycast  nearest  extra RTT  share\n");
    for (int k = 0; k < m && k < 10; k++) {
        const world_group_t *g = &w->groups[r[k].i];
        fprintf(f, "  %-26.26s %-7s  %-7s  %6.1f ms  %5.2f%%\n", g->name,
                w->pops[g->anycast_pop].id, w->pops[g->nearest_pop].id, catchments_extra_ms(g),
                100 * g->weight);
    }
    free(r);
}

/* Takes "--map DIR" and "--format F" out of argv (they are this command's
 * own); the rest goes to the shared run/validate parser. */
static int take_map_options(int *argc, char **argv, const char **map, plot_format_t *fmt)
{
    int out = 0;
    for (int i = 0; i < *argc; i++) {
        bool has_value = i + 1 < *argc;
        if (!strcmp(argv[i], "--map") || !strcmp(argv[i], "--format")) {
            if (!has_value) {
                fprintf(stderr, "cdnsim catchments: %s needs a value\n", argv[i]);
                return 2;
            }
            if (argv[i][2] == 'm') *map = argv[i + 1];
            else if (plot_format_parse(argv[i + 1], fmt) != 0) {
                fprintf(stderr, "cdnsim catchments: --format expects png or svg: %s\n", argv[i + 1]);
                return 2;
            }
            i++;
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    return 0;
}

int cmd_catchments(int argc, char **argv)
{
    run_args_t a;
    const char *map = NULL;
    plot_format_t fmt = PLOT_PNG;
    if (take_map_options(&argc, argv, &map, &fmt) != 0) return 2;
    int rc = run_args_parse(&a, argc, argv, true);
    if (rc || a.help) {
        if (a.help) fputs(catchments_help, stdout);
        run_args_free(&a);
        return rc;
    }
    char err[1024];
    world_t *w = NULL;
    cJSON *res = NULL;
    catchments_load_t *load = NULL;
    scenario_t *sc = NULL;
    if (!output_writable(a.out, err, sizeof err)) { rc = 2; goto fail; }
    sc = scenario_load(a.scenario, a.sets, a.nsets, a.have_seed, a.seed, err, sizeof err);
    if (!sc) { rc = errno == ENOMEM ? 1 : 2; goto fail; }
    if (!sc->has_topology) {
        snprintf(err, sizeof err, "%s: $.topology: the scenario has no topology (PoPs, metros, "
                 "AS graph), so there are no catchments", a.scenario);
        rc = 2;
        goto fail;
    }
    double t0 = wallclock_s();
    w = world_build(&sc->world, err, sizeof err);
    double build_s = wallclock_s() - t0;
    if (!w) { rc = strstr(err, "out of memory") ? 1 : 2; goto fail; }
    load = calloc((size_t)w->npops + 1, sizeof *load);
    catchments_summary_t s;
    if (!load || catchments_summarise(w, NULL, &s) < 0 || !(res = report(w, sc, build_s))) {
        snprintf(err, sizeof err, "out of memory");
        rc = 1;
        goto fail;
    }
    if (output_write_json(a.out, res, err, sizeof err) < 0) { rc = 1; goto fail; }
    if (map) {
        int image;
        if (catchment_map(res, map, fmt, &image, err, sizeof err) != 0) { rc = 1; goto fail; }
        if (!a.quiet)
            fprintf(stderr, "%s/catchments.%s%s\n", map, plot_format_ext(fmt),
                    image ? "" : " not drawn (no gnuplot): script and data written");
    }
    if (a.out && !a.quiet) {
        catchments_loads(w, load);
        print_table(stdout, w, &s, load, build_s);
        printf("\nwrote %s\n", a.out);
    }
    rc = 0;
    goto done;
fail:
    cli_error("catchments", err);
done:
    cJSON_Delete(res);
    free(load);
    world_free(w);
    scenario_free(sc);
    run_args_free(&a);
    return rc;
}
