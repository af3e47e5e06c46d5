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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "models/scenario.h"
#include "models/world.h"
#include "sim/output.h"

static const char catchments_help[] =
    "usage: cdnsim catchments SCENARIO.json [--set PATH=VALUE]... [--out FILE]\n\n"
    "Builds the scenario's topology (PoPs, client metros, AS graph, BGP) and reports\n"
    "each client group's anycast PoP (where its AS's BGP route leads), its nearest\n"
    "PoP (what ideal geo mapping picks) and the extra RTT anycast costs it; per PoP\n"
    "the groups and traffic share it attracts under anycast and under geo mapping;\n"
    "and the share of traffic whose anycast PoP is not its nearest, with the\n"
    "weighted mean and p90 of the extra RTT. No requests are simulated.\n\n"
    "  --set PATH=VALUE  override one scenario key first, e.g.\n"
    "                    --set 'topology.sites=[{\"id\":\"FRA\",\"withdrawn\":true}]'\n"
    "  --out FILE        write the JSON there (atomically) and print a summary table;\n"
    "                    without it the JSON goes to standard output\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Rounded so the JSON stays readable; well under any latency that matters. */
static double ms3(double ms) { return round(ms * 1000) / 1000; }
static double r9(double x) { return round(x * 1e9) / 1e9; }

static double extra_ms(const world_group_t *g)
{
    return 2 * simtime_to_ms(g->anycast_oneway - g->nearest_oneway);
}

/* Per-group extra RTT with its weight, for the weighted percentile. */
typedef struct wx { double x, w; } wx_t;
static int cmp_wx(const void *a, const void *b)
{
    const wx_t *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* The smallest value whose cumulative weight reaches q of the total. */
static double weighted_quantile(const wx_t *v, int n, double q)
{
    double total = 0, acc = 0;
    for (int i = 0; i < n; i++) total += v[i].w;
    for (int i = 0; i < n; i++) {
        acc += v[i].w;
        if (acc >= q * total * (1 - 1e-12)) return v[i].x;
    }
    return n ? v[n - 1].x : 0;
}

typedef struct pop_load {
    int any_groups, geo_groups;
    double any_w, geo_w;
} pop_load_t;

typedef struct summary {
    int routed, not_nearest, unrouted;
    double routed_w, not_nearest_w, unrouted_w;
    double mean_extra, p90_extra, max_extra, mean_any, mean_near;
} summary_t;

/* The summary over the groups matching continent (NULL: all). Unrouted
 * groups are counted apart; the RTT figures cover routed groups, weighted. */
static summary_t summarise(const world_t *w, const char *continent, wx_t *tmp)
{
    summary_t s = { 0 };
    int n = 0;
    for (int i = 0; i < w->ngroups; i++) {
        const world_group_t *g = &w->groups[i];
        if (continent && strcmp(g->continent, continent)) continue;
        if (g->anycast_pop < 0) { s.unrouted++; s.unrouted_w += g->weight; continue; }
        s.routed++;
        s.routed_w += g->weight;
        if (g->anycast_pop != g->nearest_pop) { s.not_nearest++; s.not_nearest_w += g->weight; }
        double x = extra_ms(g);
        s.mean_extra += g->weight * x;
        s.mean_any += g->weight * 2 * simtime_to_ms(g->anycast_oneway);
        s.mean_near += g->weight * 2 * simtime_to_ms(g->nearest_oneway);
        if (x > s.max_extra) s.max_extra = x;
        tmp[n++] = (wx_t){ x, g->weight };
    }
    if (s.routed_w > 0) {
        s.mean_extra /= s.routed_w;
        s.mean_any /= s.routed_w;
        s.mean_near /= s.routed_w;
        qsort(tmp, (size_t)n, sizeof *tmp, cmp_wx);
        s.p90_extra = weighted_quantile(tmp, n, 0.9);
    }
    return s;
}

static cJSON *summary_json(const summary_t *s, double all_w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "groups", s->routed + s->unrouted);
    cJSON_AddNumberToObject(o, "weight", r9(all_w));
    cJSON_AddNumberToObject(o, "not_nearest_groups", s->not_nearest);
    /* of the traffic with a route, the share whose anycast PoP is not the nearest */
    cJSON_AddNumberToObject(o, "not_nearest_share",
                            s->routed_w > 0 ? r9(s->not_nearest_w / s->routed_w) : 0);
    cJSON_AddNumberToObject(o, "unrouted_groups", s->unrouted);
    cJSON_AddNumberToObject(o, "unrouted_weight", r9(s->unrouted_w));
    cJSON *x = cJSON_AddObjectToObject(o, "extra_rtt_ms");
    cJSON_AddNumberToObject(x, "mean", ms3(s->mean_extra));
    cJSON_AddNumberToObject(x, "p90", ms3(s->p90_extra));
    cJSON_AddNumberToObject(x, "max", ms3(s->max_extra));
    cJSON_AddNumberToObject(o, "anycast_rtt_ms_mean", ms3(s->mean_any));
    cJSON_AddNumberToObject(o, "nearest_rtt_ms_mean", ms3(s->mean_near));
    return o;
}

static cJSON *report(const world_t *w, const scenario_t *sc, double build_s, summary_t *all,
                     pop_load_t *load)
{
    cJSON *root = cJSON_CreateObject();
    wx_t *tmp = malloc(((size_t)w->ngroups + 1) * sizeof *tmp);
    if (!root || !tmp) { free(tmp); cJSON_Delete(root); return NULL; }
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

    *all = summarise(w, NULL, tmp);
    cJSON_AddItemToObject(root, "summary", summary_json(all, 1.0));
    cJSON *conts = cJSON_AddObjectToObject(root, "continents");
    static const char *const cn[] = { "AF", "AS", "EU", "NA", "OC", "SA" };
    for (int c = 0; c < 6; c++) {
        summary_t s = summarise(w, cn[c], tmp);
        if (s.routed + s.unrouted == 0) continue;
        cJSON_AddItemToObject(conts, cn[c], summary_json(&s, s.routed_w + s.unrouted_w));
    }
    free(tmp);

    cJSON *groups = cJSON_AddArrayToObject(root, "groups");
    for (int i = 0; i < w->ngroups; i++) {
        const world_group_t *g = &w->groups[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", g->name);
        cJSON_AddNumberToObject(o, "asn", g->asn);
        cJSON_AddStringToObject(o, "continent", g->continent);
        cJSON_AddNumberToObject(o, "weight", r9(g->weight));
        if (g->anycast_pop >= 0) {
            cJSON_AddStringToObject(o, "anycast_pop", w->pops[g->anycast_pop].id);
            load[g->anycast_pop].any_groups++;
            load[g->anycast_pop].any_w += g->weight;
        } else {
            cJSON_AddNullToObject(o, "anycast_pop");
        }
        cJSON_AddStringToObject(o, "nearest_pop", w->pops[g->nearest_pop].id);
        load[g->nearest_pop].geo_groups++;
        load[g->nearest_pop].geo_w += g->weight;
        if (g->anycast_pop >= 0) {
            cJSON_AddNumberToObject(o, "anycast_rtt_ms", ms3(2 * simtime_to_ms(g->anycast_oneway)));
            cJSON_AddNumberToObject(o, "nearest_rtt_ms", ms3(2 * simtime_to_ms(g->nearest_oneway)));
            cJSON_AddNumberToObject(o, "extra_rtt_ms", ms3(extra_ms(g)));
            cJSON_AddNumberToObject(o, "as_path_len", g->as_path_len);
        } else {
            cJSON_AddNullToObject(o, "anycast_rtt_ms");
            cJSON_AddNumberToObject(o, "nearest_rtt_ms", ms3(2 * simtime_to_ms(g->nearest_oneway)));
            cJSON_AddNullToObject(o, "extra_rtt_ms");
            cJSON_AddNullToObject(o, "as_path_len");
        }
        cJSON_AddItemToArray(groups, o);
    }
    cJSON *pops = cJSON_AddArrayToObject(root, "pops");
    for (int p = 0; p < w->npops; p++) {
        const world_pop_t *pp = &w->pops[p];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", pp->id);
        cJSON_AddStringToObject(o, "city", pp->city);
        cJSON_AddStringToObject(o, "continent", pp->continent);
        cJSON_AddBoolToObject(o, "announced", pp->announced);
        cJSON *a = cJSON_AddObjectToObject(o, "anycast");
        cJSON_AddNumberToObject(a, "groups", load[p].any_groups);
        cJSON_AddNumberToObject(a, "weight", r9(load[p].any_w));
        cJSON *gj = cJSON_AddObjectToObject(o, "geo");
        cJSON_AddNumberToObject(gj, "groups", load[p].geo_groups);
        cJSON_AddNumberToObject(gj, "weight", r9(load[p].geo_w));
        cJSON_AddItemToArray(pops, o);
    }
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

static void print_table(FILE *f, const world_t *w, const summary_t *s, const pop_load_t *load,
                        double build_s)
{
    fprintf(f, "%d PoPs, %d client groups, %d ASes, %d links (built in %.0f ms)\n", w->npops,
            w->ngroups, w->ases, w->links, build_s * 1e3);
    fprintf(f, "traffic not at its nearest PoP: %.1f%% (%d groups); extra RTT mean %.1f ms, "
            "p90 %.1f ms, max %.1f ms\n", 100 * (s->routed_w > 0 ? s->not_nearest_w / s->routed_w : 0),
            s->not_nearest, s->mean_extra, s->p90_extra, s->max_extra);
    fprintf(f, "client RTT mean: anycast %.1f ms, nearest PoP %.1f ms\n", s->mean_any, s->mean_near);
    if (s->unrouted)
        fprintf(f, "groups with no route to the CDN: %d (%.1f%% of traffic)\n", s->unrouted,
                100 * s->unrouted_w);
    int n = w->npops > w->ngroups ? w->npops : w->ngroups;
    ranked_t *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) return;
    for (int p = 0; p < w->npops; p++) r[p] = (ranked_t){ load[p].any_w, p };
    qsort(r, (size_t)w->npops, sizeof *r, cmp_ranked);
    fprintf(f, "\nbusiest PoPs    anycast share (groups)   geo share (groups)\n");
    for (int k = 0; k < w->npops && k < 10; k++) {
        int p = r[k].i;
        fprintf(f, "  %-5s %-14.14s %6.2f%% (%3d)           %6.2f%% (%3d)\n", w->pops[p].id,
                w->pops[p].city, 100 * load[p].any_w, load[p].any_groups, 100 * load[p].geo_w,
                load[p].geo_groups);
    }
    /* the groups anycast hurts most, by extra RTT x traffic */
    int m = 0;
    for (int i = 0; i < w->ngroups; i++)
        if (w->groups[i].anycast_pop >= 0 && extra_ms(&w->groups[i]) > 0)
            r[m++] = (ranked_t){ extra_ms(&w->groups[i]) * w->groups[i].weight, i };
    qsort(r, (size_t)m, sizeof *r, cmp_ranked);
    if (m) fprintf(f, "\nmost costly groups          anycast  nearest  extra RTT  share\n");
    for (int k = 0; k < m && k < 10; k++) {
        const world_group_t *g = &w->groups[r[k].i];
        fprintf(f, "  %-26.26s %-7s  %-7s  %6.1f ms  %5.2f%%\n", g->name,
                w->pops[g->anycast_pop].id, w->pops[g->nearest_pop].id, extra_ms(g),
                100 * g->weight);
    }
    free(r);
}

int cmd_catchments(int argc, char **argv)
{
    run_args_t a;
    int rc = run_args_parse(&a, argc, argv, true);
    if (rc || a.help) {
        if (a.help) fputs(catchments_help, stdout);
        run_args_free(&a);
        return rc;
    }
    char err[1024];
    world_t *w = NULL;
    cJSON *res = NULL;
    pop_load_t *load = NULL;
    scenario_t *sc = scenario_load(a.scenario, a.sets, a.nsets, a.have_seed, a.seed, err, sizeof err);
    if (!sc) { rc = 2; goto fail; }
    if (!sc->has_topology) {
        snprintf(err, sizeof err, "%s: $.topology: the scenario has no topology (PoPs, metros, "
                 "AS graph), so there are no catchments", a.scenario);
        rc = 2;
        goto fail;
    }
    double t0 = now_s();
    w = world_build(&sc->world, err, sizeof err);
    double build_s = now_s() - t0;
    if (!w) { rc = strstr(err, "out of memory") ? 1 : 2; goto fail; }
    load = calloc((size_t)w->npops + 1, sizeof *load);
    summary_t s;
    if (!load || !(res = report(w, sc, build_s, &s, load))) {
        snprintf(err, sizeof err, "out of memory");
        rc = 1;
        goto fail;
    }
    if (output_write_json(a.out, res, err, sizeof err) < 0) { rc = 1; goto fail; }
    if (a.out && !a.quiet) {
        print_table(stdout, w, &s, load, build_s);
        printf("\nwrote %s\n", a.out);
    }
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "cdnsim catchments: %s\n", err);
done:
    cJSON_Delete(res);
    free(load);
    world_free(w);
    scenario_free(sc);
    run_args_free(&a);
    return rc;
}
