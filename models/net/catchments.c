/* catchments — the anycast-cost report of a world; see catchments.h. */
#include "models/net/catchments.h"

#include "models/net/bgp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rounded so the JSON stays readable: a microsecond, a billionth of traffic. */
static double ms3(double ms) { return round(ms * 1000) / 1000; }
static double r9(double x) { return round(x * 1e9) / 1e9; }

double catchments_extra_ms(const world_group_t *g)
{
    if (g->anycast_pop < 0) return 0;
    return 2 * simtime_to_ms(g->anycast_oneway - g->nearest_oneway);
}

typedef struct wx { double x, w; } wx_t;
static int cmp_wx(const void *a, const void *b)
{
    const wx_t *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* The smallest value whose cumulative weight reaches q of the total (the
 * tolerance keeps float sums from skipping past an exact boundary). */
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

int catchments_summarise_map(const world_t *w, const catchments_map_t *m, int nm, const char *continent,
                             catchments_summary_t *out)
{
    catchments_summary_t s;
    memset(&s, 0, sizeof s);
    wx_t *v = malloc(((size_t)nm + 1) * sizeof *v);
    if (!v) return -1;
    int n = 0;
    for (int i = 0; i < nm; i++) {
        const world_group_t *g = &w->groups[m[i].group];
        double gw = m[i].weight;
        if (continent && strcmp(g->continent, continent)) continue;
        s.groups++;
        s.weight += gw;
        if (m[i].pop == -1) { s.unrouted++; s.unrouted_w += gw; continue; }
        s.routed++;
        s.routed_w += gw;
        if (m[i].pop != g->nearest_pop) { s.not_nearest++; s.not_nearest_w += gw; }
        double x = 2 * simtime_to_ms(m[i].oneway - g->nearest_oneway);
        s.extra_mean_ms += gw * x;
        s.anycast_rtt_mean_ms += gw * 2 * simtime_to_ms(m[i].oneway);
        s.nearest_rtt_mean_ms += gw * 2 * simtime_to_ms(g->nearest_oneway);
        if (x > s.extra_max_ms) s.extra_max_ms = x;
        v[n++] = (wx_t){ x, gw };
    }
    if (s.routed_w > 0) {
        s.not_nearest_share = s.not_nearest_w / s.routed_w;
        s.extra_mean_ms /= s.routed_w;
        s.anycast_rtt_mean_ms /= s.routed_w;
        s.nearest_rtt_mean_ms /= s.routed_w;
        qsort(v, (size_t)n, sizeof *v, cmp_wx);
        s.extra_p90_ms = weighted_quantile(v, n, 0.9);
    }
    free(v);
    *out = s;
    return 0;
}

/* The anycast mapping of the world's groups, as the map form. */
static catchments_map_t *anycast_map(const world_t *w)
{
    catchments_map_t *m = malloc(((size_t)w->ngroups + 1) * sizeof *m);
    for (int i = 0; m && i < w->ngroups; i++) {
        const world_group_t *g = &w->groups[i];
        m[i] = (catchments_map_t){ i, g->weight, g->anycast_pop, g->anycast_pop >= 0 ? g->anycast_oneway : 0 };
    }
    return m;
}

int catchments_summarise(const world_t *w, const char *continent, catchments_summary_t *out)
{
    catchments_map_t *m = anycast_map(w);
    if (!m) return -1;
    int rc = catchments_summarise_map(w, m, w->ngroups, continent, out);
    free(m);
    return rc;
}

void catchments_loads(const world_t *w, catchments_load_t *load)
{
    memset(load, 0, (size_t)w->npops * sizeof *load);
    for (int i = 0; i < w->ngroups; i++) {
        const world_group_t *g = &w->groups[i];
        if (g->anycast_pop >= 0) {
            load[g->anycast_pop].anycast_groups++;
            load[g->anycast_pop].anycast_weight += g->weight;
        }
        if (g->nearest_pop >= 0) {
            load[g->nearest_pop].geo_groups++;
            load[g->nearest_pop].geo_weight += g->weight;
        }
    }
}

static cJSON *summary_json_named(const catchments_summary_t *s, const char *rtt_name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "groups", s->groups);
    cJSON_AddNumberToObject(o, "weight", r9(s->weight));
    cJSON_AddNumberToObject(o, "not_nearest_groups", s->not_nearest);
    cJSON_AddNumberToObject(o, "not_nearest_share", r9(s->not_nearest_share));
    cJSON_AddNumberToObject(o, "unrouted_groups", s->unrouted);
    cJSON_AddNumberToObject(o, "unrouted_weight", r9(s->unrouted_w));
    cJSON *x = cJSON_AddObjectToObject(o, "extra_rtt_ms");
    cJSON_AddNumberToObject(x, "mean", ms3(s->extra_mean_ms));
    cJSON_AddNumberToObject(x, "p90", ms3(s->extra_p90_ms));
    cJSON_AddNumberToObject(x, "max", ms3(s->extra_max_ms));
    cJSON_AddNumberToObject(o, rtt_name, ms3(s->anycast_rtt_mean_ms));
    cJSON_AddNumberToObject(o, "nearest_rtt_ms_mean", ms3(s->nearest_rtt_mean_ms));
    return o;
}

static cJSON *summary_json(const catchments_summary_t *s) { return summary_json_named(s, "anycast_rtt_ms_mean"); }

static cJSON *group_json(const world_t *w, const world_group_t *g)
{
    cJSON *o = cJSON_CreateObject();
    bool routed = g->anycast_pop >= 0;
    cJSON_AddStringToObject(o, "name", g->name);
    cJSON_AddNumberToObject(o, "asn", g->asn);
    cJSON_AddStringToObject(o, "continent", g->continent);
    cJSON_AddNumberToObject(o, "weight", r9(g->weight));
    cJSON_AddNumberToObject(o, "lat", g->point.lat);
    cJSON_AddNumberToObject(o, "lon", g->point.lon);
    if (routed) cJSON_AddStringToObject(o, "anycast_pop", w->pops[g->anycast_pop].id);
    else cJSON_AddNullToObject(o, "anycast_pop");
    cJSON_AddStringToObject(o, "nearest_pop", w->pops[g->nearest_pop].id);
    if (routed) cJSON_AddNumberToObject(o, "anycast_rtt_ms", ms3(2 * simtime_to_ms(g->anycast_oneway)));
    else cJSON_AddNullToObject(o, "anycast_rtt_ms");
    cJSON_AddNumberToObject(o, "nearest_rtt_ms", ms3(2 * simtime_to_ms(g->nearest_oneway)));
    if (routed) {
        cJSON_AddNumberToObject(o, "extra_rtt_ms", ms3(catchments_extra_ms(g)));
        cJSON_AddNumberToObject(o, "as_path_len", g->as_path_len);
        /* the ASes the route crosses, the group's first and the CDN's last:
         * why the group lands where it does */
        uint32_t path[64];
        int n = bgp_path(w->bgp, w->group_node[g - w->groups], path, 64);
        cJSON *p = cJSON_AddArrayToObject(o, "as_path");
        for (int i = 0; i < n && i < 64; i++) cJSON_AddItemToArray(p, cJSON_CreateNumber(path[i]));
    } else {
        cJSON_AddNullToObject(o, "extra_rtt_ms");
        cJSON_AddNullToObject(o, "as_path_len");
    }
    return o;
}

/* One PoP's entry: where it is, whether it is announced, the groups and
 * weight the routing mode (`mode`) sends it, and what geo would send it. */
static cJSON *pop_json(const world_pop_t *pp, const char *mode, int groups, double weight,
                       const catchments_load_t *load)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", pp->id);
    cJSON_AddStringToObject(o, "city", pp->city);
    cJSON_AddStringToObject(o, "continent", pp->continent);
    cJSON_AddNumberToObject(o, "lat", pp->point.lat);
    cJSON_AddNumberToObject(o, "lon", pp->point.lon);
    cJSON_AddBoolToObject(o, "announced", pp->announced);
    cJSON *a = cJSON_AddObjectToObject(o, mode);
    cJSON_AddNumberToObject(a, "groups", groups);
    cJSON_AddNumberToObject(a, "weight", r9(weight));
    cJSON *gj = cJSON_AddObjectToObject(o, "geo");
    cJSON_AddNumberToObject(gj, "groups", load->geo_groups);
    cJSON_AddNumberToObject(gj, "weight", r9(load->geo_weight));
    return o;
}

cJSON *catchments_json(const world_t *w, bool with_groups)
{
    cJSON *root = cJSON_CreateObject();
    catchments_load_t *load = calloc((size_t)w->npops + 1, sizeof *load);
    catchments_summary_t s;
    if (!root || !load || catchments_summarise(w, NULL, &s) < 0) goto oom;
    cJSON_AddItemToObject(root, "summary", summary_json(&s));
    cJSON *conts = cJSON_AddObjectToObject(root, "continents");
    static const char *const cn[] = { "AF", "AS", "EU", "NA", "OC", "SA" };
    for (int c = 0; c < 6; c++) {
        if (catchments_summarise(w, cn[c], &s) < 0) goto oom;
        if (s.groups) cJSON_AddItemToObject(conts, cn[c], summary_json(&s));
    }
    if (with_groups) {
        cJSON *groups = cJSON_AddArrayToObject(root, "groups");
        for (int i = 0; i < w->ngroups; i++) cJSON_AddItemToArray(groups, group_json(w, &w->groups[i]));
    }
    catchments_loads(w, load);
    cJSON *pops = cJSON_AddArrayToObject(root, "pops");
    for (int p = 0; p < w->npops; p++) {
        cJSON_AddItemToArray(pops, pop_json(&w->pops[p], "anycast", load[p].anycast_groups,
                                            load[p].anycast_weight, &load[p]));
    }
    free(load);
    return root;
oom:
    free(load);
    cJSON_Delete(root);
    return NULL;
}

cJSON *catchments_json_map(const world_t *w, const catchments_map_t *m, int n, const char *mode)
{
    cJSON *root = cJSON_CreateObject();
    catchments_load_t *load = calloc((size_t)w->npops + 1, sizeof *load);
    catchments_summary_t s;
    if (!root || !load || catchments_summarise_map(w, m, n, NULL, &s) < 0) goto oom;
    cJSON_AddStringToObject(root, "mode", mode);
    cJSON_AddItemToObject(root, "summary", summary_json_named(&s, "mapped_rtt_ms_mean"));
    cJSON *conts = cJSON_AddObjectToObject(root, "continents");
    static const char *const cn[] = { "AF", "AS", "EU", "NA", "OC", "SA" };
    for (int c = 0; c < 6; c++) {
        if (catchments_summarise_map(w, m, n, cn[c], &s) < 0) goto oom;
        if (s.groups) cJSON_AddItemToObject(conts, cn[c], summary_json_named(&s, "mapped_rtt_ms_mean"));
    }
    catchments_loads(w, load);
    double *mw = calloc((size_t)w->npops + 1, sizeof *mw);
    int *mg = calloc((size_t)w->npops + 1, sizeof *mg);
    if (!mw || !mg) { free(mw); free(mg); goto oom; }
    for (int i = 0; i < n; i++)
        if (m[i].pop >= 0) { mw[m[i].pop] += m[i].weight; mg[m[i].pop]++; }
    cJSON *pops = cJSON_AddArrayToObject(root, "pops");
    for (int p = 0; p < w->npops; p++) {
        cJSON_AddItemToArray(pops, pop_json(&w->pops[p], "mapped", mg[p], mw[p], &load[p]));
    }
    free(mw);
    free(mg);
    free(load);
    return root;
oom:
    free(load);
    cJSON_Delete(root);
    return NULL;
}
