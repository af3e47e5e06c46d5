/* cdn — building the model from a scenario, driving arrivals, results.
 *
 * Without a topology the model is the contract's single PoP: one client
 * group client_rtt_ms away, the origin origin_rtt_ms behind. With one, the
 * world (models/net/world.h) supplies PoPs, client groups and their catchments;
 * routing.mode picks each group's PoP (BGP anycast, geo-nearest) or sends it
 * straight to the origin. */
#include "models/cdn/cdn.h"

#include "models/cdn/direct.h"
#include "models/cdn/domain.h"
#include "models/cdn/edge.h"
#include "models/cdn/miniature.h"
#include "models/cdn/ops.h"
#include "models/cdn/state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/net/catchments.h"
#include "models/workload/trace.h"
#include "sim/rng.h"

static const char *const continent_codes[NCONTINENTS] = { "AF", "AS", "EU", "NA", "OC", "SA", "??" };

static uint8_t continent_index(const char *code)
{
    for (uint8_t i = 0; i < NCONTINENTS - 1; i++)
        if (strcmp(code, continent_codes[i]) == 0) return i;
    return NCONTINENTS - 1;
}

static int make_cache(cdn_t *c, pop_t *p, const cache_spec_t *cs, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    char stream[48];
    snprintf(stream, sizeof stream, "%s.cache", p->id);
    cache_config_t cc = { cs->policy, cs->capacity_objects, cs->capacity_bytes, sc->seed, stream };
    p->cache = cache_create(&cc, err, errlen);
    if (!p->cache) return -1;
    if (u64map_init(&p->inflight, 64) != 0) { snprintf(err, errlen, "out of memory"); return -1; }
    server_init(&p->server, &sc->pop_server);
    p->upstream = NO_ID;
    return 0;
}

/* The contract's scenario without a topology. */
static int build_single(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    c->npops = 1;
    c->ngroups = 1;
    c->pops = calloc(1, sizeof *c->pops);
    c->pop_tallies = calloc(1, sizeof *c->pop_tallies);
    c->groups = calloc(1, sizeof *c->groups);
    if (!c->pops || !c->pop_tallies || !c->groups) { snprintf(err, errlen, "out of memory"); return -1; }
    pop_t *p = &c->pops[0];
    p->tally = &c->pop_tallies[0];
    snprintf(p->id, sizeof p->id, "pop-1");
    p->continent = NCONTINENTS - 1;
    if (make_cache(c, p, &sc->cache, err, errlen) != 0) return -1;
    p->up_oneway = sc->origin_rtt / 2;
    group_t *g = &c->groups[0];
    g->continent = NCONTINENTS - 1;
    g->pop = sc->routing == ROUTE_ORIGIN ? NO_ID : 0;
    g->oneway = (sc->client_rtt + sc->last_mile_rtt) / 2;
    if (sc->routing == ROUTE_ORIGIN) g->oneway += sc->origin_rtt / 2;
    return 0;
}

/* The error path of shield PoP j of level k, as the scenario wrote it. */
static const char *tier_path(const scenario_t *sc, int k, int j, char *buf, size_t len)
{
    if (sc->tiers_given) snprintf(buf, len, "$.shield.tiers[%d].pops[%d]", k, j);
    else snprintf(buf, len, "$.shield.pops[%d]", j);
    return buf;
}

/* Each PoP's level in the shield hierarchy (0: an edge), from the scenario's
 * tiers; every id must be one of the world's PoPs. */
static int assign_levels(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    int ntiers = sc->shield_enabled ? sc->ntiers : 0;
    for (int k = 0; k < ntiers; k++)
        for (int j = 0; j < sc->tiers[k].npops; j++) {
            int si = world_pop_index(c->world, sc->tiers[k].pops[j]);
            char path[64];
            if (si < 0)
                return state_fail_input(err, errlen, sc->file, tier_path(sc, k, j, path, sizeof path),
                                        "no PoP with id", sc->tiers[k].pops[j]);
            c->pops[si].level = (uint8_t)(k + 1);
            c->pops[si].is_shield = true;
        }
    c->ntiers = (uint32_t)ntiers;
    return 0;
}

/* Who each PoP fills from: a level's map first, else the nearest PoP of the
 * next level (the lowest index among equals), the last level and, without
 * shields, every PoP from the origin. */
static int link_tiers(cdn_t *c, simtime_t hop, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    const world_t *w = c->world;
    for (uint32_t k = 0; k < c->ntiers; k++)
        for (int m = 0; m < sc->tiers[k].nmap; m++) {
            const char *lower = sc->tiers[k].map[2 * m], *upper = sc->tiers[k].map[2 * m + 1];
            int ei = state_pop_index(c, lower), si = state_pop_index(c, upper);
            char path[64];
            if (sc->tiers_given) snprintf(path, sizeof path, "$.shield.tiers[%u].map.%s", k, lower);
            else snprintf(path, sizeof path, "$.shield.map.%s", lower);
            if (ei < 0) return state_fail_input(err, errlen, sc->file, path, "no PoP with id", lower);
            if (c->pops[ei].level == k + 1)
                return state_fail_input(err, errlen, sc->file, path,
                                        "a level cannot fill from itself; on this level is", lower);
            if (c->pops[ei].level != k) {
                char why[96];
                snprintf(why, sizeof why, "a level's map places PoPs of the level below (%u); on level %u is",
                         k, c->pops[ei].level);
                return state_fail_input(err, errlen, sc->file, path, why, lower);
            }
            if (si < 0 || c->pops[si].level != k + 1)
                return state_fail_input(err, errlen, sc->file, path,
                                        sc->tiers_given ? "not a PoP of this level" : "not a PoP of shield.pops",
                                        upper);
            c->pops[ei].upstream = (uint32_t)si;
            c->pops[ei].up_oneway = world_oneway(w, w->pops[ei].point, w->pops[si].point) + hop;
        }
    for (uint32_t i = 0; i < c->npops; i++) {
        pop_t *p = &c->pops[i];
        if (p->level >= c->ntiers || p->upstream != NO_ID) continue;
        simtime_t best = SIMTIME_MAX;
        for (uint32_t s = 0; s < c->npops; s++) {
            if (c->pops[s].level != p->level + 1) continue;
            simtime_t d = world_oneway(w, w->pops[i].point, w->pops[s].point);
            if (d < best) { best = d; p->upstream = s; }
        }
        p->up_oneway = best + hop;
    }
    return 0;
}

/* DNS mapping: where each population's resolver is (the ISP's in the
 * client's metro; a public one at the operator's site nearest the client,
 * from dns.resolvers_file) and where the mapping sees it (the resolver, or
 * the client itself through ECS). */
static int dns_prepare(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    const world_t *w = c->world;
    world_pop_t *sites = NULL;
    char msg[512];
    int n = world_load_pops(sc->dns.resolvers_file, &sites, msg, sizeof msg);
    if (n < 0) {
        snprintf(err, errlen, "%s: $.dns.resolvers_file: %s", sc->file, msg);
        return -2;
    }
    for (uint32_t g = 0; g < c->ngroups; g++) {
        group_t *gr = &c->groups[g];
        geo_point_t at = w->groups[gr->wg].point;
        gr->public_resolver = g >= (uint32_t)w->ngroups;
        gr->seen_at = at;
        if (gr->public_resolver && !sc->dns.ecs) {
            double best = 0;
            for (int i = 0; i < n; i++) {
                double d = geo_distance_km(at, sites[i].point);
                if (i == 0 || d < best) { best = d; gr->seen_at = sites[i].point; }
            }
        }
    }
    free(sites);
    c->dns_lookup = sc->dns.lookup;
    return 0;
}

static int build_world(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    c->world = world_build(&sc->world, err, errlen);
    if (!c->world) return -2;
    const world_t *w = c->world;
    c->npops = (uint32_t)w->npops;
    /* DNS mapping splits each world group: its ISP resolver's clients, then
     * (from ngroups on) its public resolver's */
    bool dns = sc->routing == ROUTE_DNS;
    c->ngroups = (uint32_t)w->ngroups * (dns ? 2 : 1);
    c->pops = calloc(c->npops, sizeof *c->pops);
    c->pop_tallies = calloc(c->npops, sizeof *c->pop_tallies);
    c->groups = calloc(c->ngroups, sizeof *c->groups);
    if (!c->pops || !c->pop_tallies || !c->groups) { snprintf(err, errlen, "out of memory"); return -1; }
    for (uint32_t i = 0; i < c->npops; i++) c->pops[i].tally = &c->pop_tallies[i];
    int rc = assign_levels(c, err, errlen);
    if (rc != 0) return rc;
    for (uint32_t i = 0; i < c->npops; i++) {
        pop_t *p = &c->pops[i];
        snprintf(p->id, sizeof p->id, "%s", w->pops[i].id);
        p->continent = continent_index(w->pops[i].continent);
        /* a shield level may have a cache of its own (usually far bigger) */
        const shield_tier_spec_t *t = p->level ? &sc->tiers[p->level - 1] : NULL;
        if (make_cache(c, p, t && t->has_cache ? &t->cache : &sc->cache, err, errlen) != 0) return -1;
    }
    /* the origin: in a PoP's city, at given coordinates, or beside the first PoP */
    geo_point_t origin = w->pops[0].point;
    if (sc->origin_location) {
        int oi = state_pop_index(c, sc->origin_location);
        if (oi < 0)
            return state_fail_input(err, errlen, sc->file, "$.origin.location", "no PoP city with id",
                              sc->origin_location);
        origin = w->pops[oi].point;
    } else if (sc->origin_has_point) {
        origin = sc->origin_point;
    }
    /* topology.per_hop_ms: a backbone leg (PoP to shield or origin) counts
     * as one hop; a client's leg as many as its AS path is long */
    simtime_t hop = w->fiber.per_hop_ns;
    for (uint32_t i = 0; i < c->npops; i++)
        c->pops[i].up_oneway = world_oneway(w, w->pops[i].point, origin) + hop;
    if ((rc = link_tiers(c, hop, err, errlen)) != 0) return rc;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        c->groups[g].wg = g % (uint32_t)w->ngroups;
        c->groups[g].lon = w->groups[c->groups[g].wg].point.lon;
        c->groups[g].continent = continent_index(w->groups[c->groups[g].wg].continent);
    }
    c->origin_point = origin;
    if (dns && (rc = dns_prepare(c, err, errlen)) != 0) return rc;
    return state_route_groups(c, true, err, errlen);
}


static void diurnal_update(cdn_t *c, int64_t minute);

/* Whether request r, from group g, survives diurnal thinning (one draw). */
static bool diurnal_keeps(cdn_t *c, const request_spec_t *r, uint32_t g)
{
    if (c->sc->diurnal <= 0) return true;
    /* thinning: keep the request with probability rate(t) / peak rate */
    int64_t minute = r->time / (60 * SIM_NS_PER_S);
    if (minute != c->diurnal_minute) diurnal_update(c, minute);
    return rng_uniform(c->r_diurnal) < c->diurnal_keep[g];
}

/* Belady's future per PoP. With several client groups the next request for
 * an object may come to another PoP; counted over the whole trace, that
 * next access is no bound at any one PoP. So the trace is read once ahead
 * (a second reader), every request's group drawn as send_one would draw it
 * (the group and thinning streams serve nothing else, so the run is the same
 * as without this pass), and a backward pass per PoP finds, for each request
 * and each PoP on its path (edge, shields), the next request for its object
 * there. Paths are those of the routing at the start: a withdrawal during
 * the run moves requests off them (documented). */
static int belady_prepass(cdn_t *c, const workload_spec_t *ws, char *err, size_t errlen)
{
    char werr[512];
    workload_t *w = workload_create(ws, c->sc->seed, false, werr, sizeof werr);
    if (!w) { snprintf(err, errlen, "%s: $.workload.path: %s", c->sc->file, werr); return -2; }
    uint64_t *keys = NULL;
    uint64_t n = 0, cap = 0;
    u64map_t *last = NULL;
    int rc = -1, got;
    request_spec_t r;
    while ((got = workload_next(w, &r, werr, sizeof werr)) == 1 && r.time < c->end) {
        if (n + 1 >= UINT32_MAX) {
            snprintf(err, errlen, "belady over several client groups takes at most 2^32 - 2 requests");
            goto done;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint64_t *k = realloc(keys, cap * sizeof *k);
            uint32_t *g = realloc(c->pre_group, cap * sizeof *g);
            if (k) keys = k;
            if (g) c->pre_group = g;
            if (!k || !g) goto oom;
        }
        keys[n] = r.key; /* a trace: workload.locality is zipf-only */
        uint32_t g = (uint32_t)rng_discrete(c->r_groups, c->group_pick);
        c->pre_group[n++] = diurnal_keeps(c, &r, g) ? g : NO_ID;
    }
    if (got < 0) { snprintf(err, errlen, "%s: $.workload.path: %s", c->sc->file, werr); rc = -2; goto done; }
    c->diurnal_minute = -1;
    /* each group's path: its PoP, then upstream to the last shield */
    c->depth = 1;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        uint32_t d = 0;
        for (uint32_t p = c->groups[g].pop; p != NO_ID && d <= c->npops; p = c->pops[p].upstream) d++;
        if (d > c->depth) c->depth = d;
    }
    if (!(c->next_at = calloc(n ? n * c->depth : 1, sizeof *c->next_at))) goto oom;
    if (!(last = calloc(c->npops, sizeof *last))) goto oom;
    for (uint32_t p = 0; p < c->npops; p++)
        if (u64map_init(&last[p], 1024) != 0) goto oom;
    for (uint64_t i = n; i-- > 0;) {
        uint32_t g = c->pre_group[i];
        if (g == NO_ID || c->groups[g].unroutable) continue;
        unsigned t = 0;
        for (uint32_t p = c->groups[g].pop; p != NO_ID && t < c->depth; p = c->pops[p].upstream, t++) {
            uint32_t v;
            if (u64map_get(&last[p], keys[i], &v)) c->next_at[i * c->depth + t] = v;
            if (u64map_put(&last[p], keys[i], (uint32_t)(i + 1)) != 0) goto oom;
        }
    }
    rc = 0;
    goto done;
oom:
    snprintf(err, errlen, "out of memory reading the trace ahead for belady");
done:
    for (uint32_t p = 0; last && p < c->npops; p++) u64map_free(&last[p]);
    free(last);
    free(keys);
    workload_destroy(w);
    return rc;
}

/* The share of the peak rate a group at longitude lon sends at hours_utc
 * (its local evening, 20:00, the peak), for amplitude a. */
static double diurnal_factor(double a, double lon, double hours_utc)
{
    double hours = hours_utc + lon / 15.0;
    return (1 + a * cos(2 * M_PI * (hours - 20) / 24)) / (1 + a);
}

/* The PoPs that keep a time series of their own: those stats.pops names,
 * else the stats.top_pops busiest by the client traffic their catchments
 * draw at the start, each group's weight times its mean diurnal factor over
 * the measured period (ties to the lower index); an operation moving traffic
 * later does not change the choice, so the series cover the whole run. */
static int pick_series_pops(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    for (int k = 0; k < sc->nstats_pops; k++) {
        int pi = state_pop_index(c, sc->stats_pops[k]);
        if (pi < 0) {
            char path[64];
            snprintf(path, sizeof path, "$.stats.pops[%d]", k);
            return state_fail_input(err, errlen, sc->file, path, "no PoP with id", sc->stats_pops[k]);
        }
        if (!c->pops[pi].series && !(c->pops[pi].series = calloc(1, sizeof(series_t)))) goto oom;
        series_init(c->pops[pi].series, sc->interval, SCENARIO_MAX_INTERVALS);
    }
    if (sc->nstats_pops) return 0;
    double *load = calloc((size_t)c->npops + 1, sizeof *load);
    if (!load) goto oom;
    /* the measured period in at most 1440 samples of at least a minute */
    bool cycle = sc->diurnal > 0 && sc->duration != SIMTIME_MAX;
    double from = simtime_to_s(sc->warmup), to = cycle ? simtime_to_s(sc->duration) : from;
    double step = (to - from) / 1440 > 60 ? (to - from) / 1440 : 60;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        if (c->groups[g].pop == NO_ID || c->groups[g].unroutable) continue;
        double f = 0;
        int k = 0;
        for (double t = from; cycle && t < to; t += step, k++) f += diurnal_factor(sc->diurnal, c->groups[g].lon, t / 3600);
        load[c->groups[g].pop] += state_group_weight(c, g) * (k ? f / k : 1.0);
    }
    for (int n = 0; n < sc->top_pops; n++) {
        uint32_t best = NO_ID;
        for (uint32_t i = 0; i < c->npops; i++)
            if (!c->pops[i].series && load[i] > 0 && (best == NO_ID || load[i] > load[best])) best = i;
        if (best == NO_ID) break;
        if (!(c->pops[best].series = calloc(1, sizeof(series_t)))) { free(load); goto oom; }
        series_init(c->pops[best].series, sc->interval, SCENARIO_MAX_INTERVALS);
    }
    free(load);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

int cdn_create(const scenario_t *sc, sim_t *sim, cdn_t **out, char *err, size_t errlen)
{
    *out = NULL;
    cdn_t *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errlen, "out of memory building the model"); return -1; }
    c->sc = sc;
    c->sim = sim;
    c->requests_free = c->fetches_free = NO_ID;
    c->end = sc->duration;
    series_init(&c->series, sc->interval, SCENARIO_MAX_INTERVALS);
    server_init(&c->origin, &sc->origin);
    if (!sc->conn.warm_upstream) c->upstream_handshake_rtts = 1 + (sc->conn.tls == 12 ? 2 : 1);

    /* Diurnal thinning draws candidates at the peak rate and keeps each
     * with probability rate(t)/peak, so the mean rate stays rate_rps. */
    workload_spec_t ws = sc->workload;
    ws.rate_rps *= 1 + sc->diurnal;
    ws.regions = NCONTINENTS; /* workload.locality: a ranking per continent (group_t.continent) */
    char werr[512];
    c->workload = workload_create(&ws, sc->seed, !strcmp(sc->cache.policy, "belady"), werr,
                                  sizeof werr);
    if (!c->workload) { /* an unreadable trace */
        snprintf(err, errlen, "%s: $.workload.path: %s", sc->file, werr);
        cdn_destroy(c);
        return -2;
    }
    /* candidates thinned away need no object */
    if (sc->diurnal > 0) workload_defer_objects(c->workload);
    if (sc->workload.sample > 0 && sc->workload.sample < 1) { /* a miniature: from here on the scaled scenario */
        if (!(c->mini = miniature_scenario(sc, workload_key_share(c->workload),
                                           workload_request_share(c->workload)))) {
            snprintf(err, errlen, "out of memory building the model");
            cdn_destroy(c);
            return -1;
        }
        c->sc = sc = c->mini;
        server_init(&c->origin, &sc->origin);
    }
    char cerr[512];
    if (content_init(&c->content, sc->classes, sc->nclasses, sc->ttl, &sc->content_opts, sc->seed,
                     cerr, sizeof cerr) != 0) {
        snprintf(err, errlen, "%s: %s", sc->file, cerr);
        cdn_destroy(c);
        return -2;
    }
    int rc = sc->has_topology ? build_world(c, err, errlen) : build_single(c, err, errlen);
    if (rc == 0) rc = ops_prepare(c, err, errlen);
    if (rc == 0) rc = pick_series_pops(c, err, errlen);
    if (rc != 0) { cdn_destroy(c); return rc; }
    if (c->world && (c->catch_timeline = cJSON_CreateArray()))
        state_catchment_snapshot(c, 0, "start", NULL);

    double *weights = malloc(c->ngroups * sizeof *weights);
    for (uint32_t g = 0; weights && g < c->ngroups; g++)
        weights[g] = state_group_weight(c, g);
    c->group_pick = weights ? gsl_ran_discrete_preproc(c->ngroups, weights) : NULL;
    free(weights);
    c->r_groups = rng_stream_create(sc->seed, "clients.groups");
    c->r_conn = rng_stream_create(sc->seed, "clients.connections");
    c->r_dynamic = rng_stream_create(sc->seed, "clients.dynamic");
    c->r_diurnal = rng_stream_create(sc->seed, "clients.diurnal");
    c->r_variants = rng_stream_create(sc->seed, "clients.variants");
    if (sc->no_cache_share > 0 && !(c->r_directives = rng_stream_create(sc->seed, "clients.directives"))) {
        snprintf(err, errlen, "out of memory building the model");
        cdn_destroy(c);
        return -1;
    }
    if (!c->group_pick || !c->r_groups || !c->r_conn || !c->r_dynamic || !c->r_diurnal ||
        !c->r_variants) {
        snprintf(err, errlen, "out of memory building the model");
        cdn_destroy(c);
        return -1;
    }
    c->diurnal_keep = calloc(c->ngroups, sizeof *c->diurnal_keep);
    c->diurnal_minute = -1;
    /* classes signed or computed at the edge: their streams and isolates */
    bool compute = false;
    for (int k = 0; k < sc->nclasses; k++) {
        c->cls_flags[k] = (uint8_t)((sc->edge[k].is_signed ? CLS_SIGNED : 0) |
                                    (sc->edge[k].compute ? CLS_COMPUTE : 0));
        compute |= sc->edge[k].compute;
    }
    c->r_signed = rng_stream_create(sc->seed, "clients.signatures");
    c->r_subrequest = rng_stream_create(sc->seed, "edge_compute.subrequests");
    if (compute) {
        size_t n = (size_t)c->npops * CONTENT_MAX_CLASSES;
        c->isolate_idle_since = malloc(n * sizeof *c->isolate_idle_since);
        for (size_t i = 0; c->isolate_idle_since && i < n; i++) c->isolate_idle_since[i] = ISOLATE_NEVER;
    }
    if (!c->diurnal_keep || !c->r_signed || !c->r_subrequest || (compute && !c->isolate_idle_since)) {
        snprintf(err, errlen, "out of memory building the model");
        cdn_destroy(c);
        return -1;
    }
    if (!strcmp(sc->cache.policy, "belady") && c->ngroups > 1 &&
        (rc = belady_prepass(c, &ws, err, errlen)) != 0) {
        cdn_destroy(c);
        return rc;
    }
    if (!(c->plan = domain_plan(c))) {
        snprintf(err, errlen, "out of memory building the model");
        cdn_destroy(c);
        return -1;
    }
    c->threads = 1;
    c->sample_by_object = sc->workload.sample > 0 && sc->workload.sample < 1 && sc->workload.locality > 0;
    c->fixed_delay = c->ngroups == 1 && sc->conn.keepalive_share >= 1 && sc->diurnal == 0 &&
                     sc->routing != ROUTE_ORIGIN && sc->nops == 0 && !c->sample_by_object;
    edge_prepare(c);
    *out = c;
    return 0;
}

void cdn_destroy(cdn_t *c)
{
    if (!c) return;
    for (uint32_t i = 0; c->pops && i < c->npops; i++) {
        cache_destroy(c->pops[i].cache);
        u64map_free(&c->pops[i].inflight);
        free(c->pops[i].kept);
        if (c->pops[i].series) series_free(c->pops[i].series);
        free(c->pops[i].series);
    }
    free(c->pops);
    free(c->pop_tallies);
    free(c->groups);
    free(c->diurnal_keep);
    domain_plan_free(c->plan);
    ops_free(c);
    free(c->isolate_idle_since);
    free(c->bots);
    if (c->r_attack) gsl_rng_free(c->r_attack);
    if (c->r_scrub) gsl_rng_free(c->r_scrub);
    if (c->r_signed) gsl_rng_free(c->r_signed);
    if (c->r_subrequest) gsl_rng_free(c->r_subrequest);
    free(c->requests);
    free(c->fetches);
    series_free(&c->series);
    cJSON_Delete(c->catch_timeline);
    workload_destroy(c->workload);
    free(c->pre_group);
    free(c->next_at);
    world_free(c->world);
    miniature_free(c->mini);
    if (c->group_pick) gsl_ran_discrete_free(c->group_pick);
    if (c->r_groups) gsl_rng_free(c->r_groups);
    if (c->r_conn) gsl_rng_free(c->r_conn);
    if (c->r_dynamic) gsl_rng_free(c->r_dynamic);
    if (c->r_diurnal) gsl_rng_free(c->r_diurnal);
    if (c->r_variants) gsl_rng_free(c->r_variants);
    if (c->r_directives) gsl_rng_free(c->r_directives);
    free(c);
}

/* Reads the next request ahead; false when the workload is done. */
static bool read_next(cdn_t *c)
{
    int rc = workload_next(c->workload, &c->next, c->err, sizeof c->err);
    if (rc < 0) { c->input_error = 1; sim_stop(c->sim); }
    c->have_next = rc == 1 && c->next.time < c->end;
    if (rc == 1) c->next_seq = (uint32_t)c->nread++;
    return c->have_next;
}

/* Handshake round trips a new request pays before its own. */
static int handshake_rtts(cdn_t *c)
{
    const conn_spec_t *cs = &c->sc->conn;
    if (cs->keepalive_share >= 1 || rng_uniform(c->r_conn) < cs->keepalive_share) return 0;
    bool resumed = cs->resumption_share > 0 && rng_uniform(c->r_conn) < cs->resumption_share;
    int tls;
    if (cs->tls == 12) tls = resumed ? 1 : 2;               /* abbreviated vs full handshake */
    else tls = resumed && cs->zero_rtt_share > 0 && rng_uniform(c->r_conn) < cs->zero_rtt_share
                   ? 0 : 1;                                 /* 0-RTT early data, else 1-RTT */
    return 1 + tls;                                         /* TCP's own round trip first */
}

/* A client request for workload request r from group g: its content class,
 * its cache key (one of the object's variants) and whether it is cacheable. */
static request_t make_request(cdn_t *c, const request_spec_t *r, uint32_t g, uint32_t seq)
{
    request_spec_t local;
    if (c->sc->workload.locality > 0) { /* the drawn rank names an object of the group's continent */
        local = *r;
        workload_localize(c->workload, &local, c->groups[g].continent);
        r = &local;
    }
    int k = content_class_of(&c->content, r->key);
    bool dynamic = c->sc->dynamic_share > 0 && rng_uniform(c->r_dynamic) < c->sc->dynamic_share;
    if (c->content.ncls && !c->content.cls[k].storable) dynamic = true;
    uint64_t key = content_request_key(&c->content, k, r->key, c->r_variants);
    bool invalid = c->cls_flags[k] & CLS_SIGNED &&
                   rng_uniform(c->r_signed) < c->sc->edge[k].invalid_share;
    return (request_t){ .sent = r->time, .key = state_gen_key(key, c->class_gen[k]),
                        .object = r->key, .size = r->size,
                        .next_access = state_next_access(c, seq, 0, r->next_access),
                        .who = g, .kind = WAIT_CLIENT, .seq = seq,
                        .revalidate = c->r_directives && rng_uniform(c->r_directives) < c->sc->no_cache_share,
                        .cls = (uint8_t)k, .dynamic = dynamic, .invalid = invalid };
}

/* Fast path: one group at a fixed distance, no handshakes. The arrival event
 * fires when the request reaches the PoP, so a hit costs one event. */
static void on_arrival_fixed(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    request_t req = make_request(c, &c->next, 0, c->next_seq);
    c->sent++;
    c->last_sent = req.sent;
    edge_arrival_fields(c, &req);
    if (read_next(c)) sim_at(s, c->next.time + c->groups[0].oneway, on_arrival_fixed, c, 0);
}

static void on_client_arrival(sim_t *s, void *ctx, uint64_t rid)
{
    cdn_t *c = ctx;
    const request_t *r = &c->requests[rid];
    if (c->groups[r->who].unroutable) { /* no route to the CDN: the request fails */
        state_complete(c, r->who, NO_ID, r->sent, r->size, ST_ERROR, sim_now(s));
        request_free(c, (uint32_t)rid);
        return;
    }
    if (c->groups[c->requests[rid].who].pop == NO_ID) /* routing.mode = origin */
        edge_origin_direct(c, (uint32_t)rid);
    else
        edge_arrival(c, (uint32_t)rid);
}

/* Each group's share of the peak rate for the minute starting at `minute`:
 * the daily cycle peaks at 20:00 local solar time and bottoms at 08:00; a
 * minute's resolution is far finer than the cycle, and it spares a cosine a
 * request. */
static void diurnal_update(cdn_t *c, int64_t minute)
{
    double a = c->sc->diurnal, hours_utc = (double)minute / 60.0;
    for (uint32_t g = 0; g < c->ngroups; g++) c->diurnal_keep[g] = diurnal_factor(a, c->groups[g].lon, hours_utc);
    c->diurnal_minute = minute;
}

/* Client request r from a random group: its arrival at the PoP (or the
 * origin) after its handshakes and one one-way latency. */
static void send_one(cdn_t *c, const request_spec_t *r, uint32_t seq)
{
    uint32_t g;
    if (c->pre_group) { /* drawn ahead by belady_prepass */
        if ((g = c->pre_group[seq]) == NO_ID) return;
    } else {
        g = (uint32_t)rng_discrete(c->r_groups, c->group_pick);
        if (!diurnal_keeps(c, r, g)) return;
    }
    group_t *gr = &c->groups[g];
    /* DNS: the group's resolver asks again once its cached answer expired */
    if (c->sc->routing == ROUTE_DNS && r->time >= gr->dns_expires) state_dns_resolve(c, gr, r->time);
    request_spec_t kept = *r;
    workload_object(c->workload, &kept); /* drawn only for the candidates kept */
    /* workload.sample with locality: only here is the object known */
    if (c->sample_by_object && !workload_keep(c->workload, &kept, gr->continent)) return;
    r = &kept;
    c->sent++;
    c->last_sent = r->time;
    int hs = handshake_rtts(c);
    /* a new connection first looks the name up (dns.lookup_ms) */
    simtime_t at = r->time + hs * 2 * gr->oneway + gr->oneway + (hs ? c->dns_lookup : 0);
    uint32_t rid = request_new(c);
    if (rid == NO_ID) return;
    c->requests[rid] = make_request(c, r, g, seq);
    /* the lookup comes a few hundred events later: start the index load now */
    if (gr->pop != NO_ID && !gr->unroutable) cache_prefetch(c->pops[gr->pop].cache, c->requests[rid].key);
    sim_at(c->sim, at, on_client_arrival, c, rid);
}


/* General path: the client sends; the next sends are scheduled from here. */
static void on_send(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    simtime_t horizon = sim_now(s) + (c->sc->nops ? SEND_BATCH_SPAN : SEND_BATCH_QUIET_SPAN);
    int n = 0;
    do {
        request_spec_t r = c->next;
        send_one(c, &r, c->next_seq);
    } while (read_next(c) && c->next.time < horizon && ++n < SEND_BATCH_MAX);
    if (c->have_next) c->send_ev = sim_at(s, c->next.time, on_send, c, 0);
}

/* The next arrival on c's queue (a domain's split stream restarts here). */
static void arrivals(cdn_t *c)
{
    if (!c->group_pick) return; /* a domain serving no clients now */
    if (read_next(c)) {
        if (c->fixed_delay) sim_at(c->sim, c->next.time + c->groups[0].oneway, on_arrival_fixed, c, 0);
        else c->send_ev = sim_at(c->sim, c->next.time, on_send, c, 0);
    }
}

/* The operations and the first arrivals on c's queue. */
static void start(cdn_t *c)
{
    ops_schedule(c);
    arrivals(c);
}

int cdn_run(cdn_t *c, char *err, size_t errlen)
{
    if (domain_count(c->plan) > 1) { /* the parallel world */
        static const domain_hooks_t hooks = { start, arrivals };
        return domain_run(c, &hooks, err, errlen);
    }
    if (!c->slow_path && direct_eligible(c, NULL)) {
        c->ran_direct = true;
        return direct_run(c, err, errlen);
    }
    start(c);
    int rc = c->input_error ? -1 : sim_run(c->sim, SIMTIME_MAX);
    edge_settle_all(c); /* the completions edges kept past the last event */
    if (c->input_error) { snprintf(err, errlen, "%s", c->err); return -2; }
    if (rc != 0) { snprintf(err, errlen, "%s", sim_error(c->sim)); return -1; }
    return 0;
}

static void add_pops(const cdn_t *c, cJSON *o)
{
    cJSON *pops = cJSON_AddArrayToObject(o, "pops");
    for (uint32_t i = 0; i < c->npops; i++) {
        const pop_t *p = &c->pops[i];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "id", p->id);
        tally_to_json(p->tally, po);
        if (c->world) {
            cJSON_AddStringToObject(po, "city", c->world->pops[i].city);
            cJSON_AddStringToObject(po, "continent", continent_codes[p->continent]);
            cJSON_AddStringToObject(po, "upstream", p->upstream == NO_ID ? "origin" : c->pops[p->upstream].id);
        }
        if (p->is_shield) {
            cJSON *sh = cJSON_AddObjectToObject(po, "shield");
            json_add_count(sh, "level", p->level);
            cJSON_AddNumberToObject(sh, "requests", (double)p->tier_requests);
            cJSON_AddNumberToObject(sh, "hits", (double)p->tier_hits);
            cJSON_AddNumberToObject(sh, "hit_ratio", p->tier_requests ? (double)p->tier_hits / (double)p->tier_requests : 0);
        }
        cJSON_AddNumberToObject(po, "refused", (double)p->server.refused);
        cJSON_AddStringToObject(po, "policy", cache_policy_name(p->cache));
        cJSON_AddNumberToObject(po, "cached_objects", (double)cache_objects(p->cache));
        cJSON_AddNumberToObject(po, "cached_bytes", (double)cache_bytes(p->cache));
        cJSON_AddNumberToObject(po, "evictions", (double)cache_evictions(p->cache));
        cJSON_AddItemToArray(pops, po);
    }
}

static void add_tier(cJSON *arr, const char *name, uint32_t npops, uint64_t requests, uint64_t hits,
                     uint64_t bytes)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "tier", name);
    json_add_count(t, "pops", npops);
    json_add_count(t, "requests", requests);
    json_add_count(t, "hits", hits);
    cJSON_AddNumberToObject(t, "hit_ratio", requests ? (double)hits / (double)requests : 0);
    json_add_count(t, "bytes", bytes);
    cJSON_AddItemToArray(arr, t);
}

/* `tiers`: the edge (client requests, bytes to clients), each shield level
 * (requests from the level below, bodies sent down), the origin (requests
 * that reached it, bytes it sent). */
static void add_tiers(const cdn_t *c, const tally_t *total, cJSON *o)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "tiers");
    add_tier(arr, "edge", c->npops, total->requests, total->hits, total->bytes);
    for (uint32_t k = 1; k <= c->ntiers; k++) {
        uint64_t req = 0, hits = 0, bytes = 0;
        uint32_t n = 0;
        for (uint32_t i = 0; i < c->npops; i++) {
            const pop_t *p = &c->pops[i];
            if (p->level != k) continue;
            n++;
            req += p->tier_requests;
            hits += p->tier_hits;
            bytes += p->tier_bytes;
        }
        char name[16];
        snprintf(name, sizeof name, "tier-%u", k);
        add_tier(arr, name, n, req, hits, bytes);
    }
    add_tier(arr, "origin", 1, c->origin_requests, 0, c->origin_bytes);
}

/* The catchment figures of the mode in use (geo, dns, origin) at the end of
 * the run, as anycast's are reported, so the modes compare. */
static cJSON *mapped_catchments(const cdn_t *c, const char *mode)
{
    const world_t *w = c->world;
    catchments_map_t *m = malloc(((size_t)c->ngroups + 1) * sizeof *m);
    if (!m) return NULL;
    int n = 0;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        const world_group_t *wg = &w->groups[gr->wg];
        if (state_group_weight(c, g) == 0) continue; /* an empty half of a DNS split */
        catchments_map_t *x = &m[n++];
        *x = (catchments_map_t){ (int)gr->wg, state_group_weight(c, g), 0, 0 };
        if (gr->pop == NO_ID) {
            x->pop = CATCHMENTS_ORIGIN;
            x->oneway = world_oneway(w, wg->point, c->origin_point);
        } else if (gr->unroutable) {
            x->pop = -1;
        } else {
            x->pop = (int)gr->pop;
            x->oneway = (int)gr->pop == wg->nearest_pop ? wg->nearest_oneway
                                                         : world_oneway(w, wg->point, w->pops[gr->pop].point);
        }
    }
    cJSON *j = catchments_json_map(w, m, n, mode);
    free(m);
    return j;
}

cJSON *cdn_results(const cdn_t *c)
{
    const scenario_t *sc = c->sc;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", sc->name);
    json_add_count(o, "seed", sc->seed);
    /* with a world, every request is tallied in its continent only; the
     * total is their sum (one histogram record a request fewer) */
    tally_t *merged = c->world ? calloc(1, sizeof *merged) : NULL;
    if (c->world && !merged) { cJSON_Delete(o); return NULL; }
    if (merged)
        for (int i = 0; i < NCONTINENTS; i++) tally_merge(merged, &c->continent[i]);
    const tally_t *total = merged ? merged : &c->total;
    tally_to_json(total, o);
    cJSON *org = cJSON_AddObjectToObject(o, "origin");
    json_add_count(org, "requests", c->origin_requests);
    json_add_count(org, "bytes", c->origin_bytes);
    json_add_count(org, "errors", c->origin_errors);
    cJSON_AddNumberToObject(org, "offload",
                            total->requests ? 1 - (double)c->origin_requests / (double)total->requests : 0);
    add_pops(c, o);
    if (c->world) {
        static const char *const modes[] = { "anycast", "geo", "origin", "dns" };
        cJSON_AddStringToObject(o, "routing", modes[sc->routing]);
        cJSON *cont = cJSON_AddObjectToObject(o, "continents");
        for (int i = 0; i < NCONTINENTS; i++) {
            if (!c->continent[i].requests) continue;
            cJSON *co = cJSON_AddObjectToObject(cont, continent_codes[i]);
            tally_to_json(&c->continent[i], co);
        }
        cJSON *catch = sc->routing == ROUTE_ANYCAST ? catchments_json(c->world, false)
                                                    : mapped_catchments(c, modes[sc->routing]);
        if (catch && c->catch_timeline)
            cJSON_AddItemToObject(catch, "timeline", cJSON_Duplicate(c->catch_timeline, 1));
        if (catch) cJSON_AddItemToObject(o, "catchments", catch);
    }
    if (c->world && c->plan) {
        domain_plan_json(c, c->plan, o);
        if (c->plan->merged) {
            char msg[160];
            snprintf(msg, sizeof msg, "parallel: %u domain(s) with no latency to the origin run in the origin's domain",
                     c->plan->merged);
            cJSON *wa = cJSON_GetObjectItem(o, "warnings");
            if (!wa) wa = cJSON_AddArrayToObject(o, "warnings");
            cJSON_AddItemToArray(wa, cJSON_CreateString(msg));
        }
        if (c->plan->merged_links) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "parallel: %u shield(s) with no latency to the shield they fill from run in its domain",
                     c->plan->merged_links);
            cJSON *wa = cJSON_GetObjectItem(o, "warnings");
            if (!wa) wa = cJSON_AddArrayToObject(o, "warnings");
            cJSON_AddItemToArray(wa, cJSON_CreateString(msg));
        }
    }
    if (c->nbots) ops_attack_json(c, o);
    ops_json(c, o);
    cJSON *tiers = cJSON_AddObjectToObject(o, "tier_bytes");
    cJSON_AddNumberToObject(tiers, "to_clients", (double)total->bytes);
    cJSON_AddNumberToObject(tiers, "shields_to_edges", (double)c->shield_bytes);
    cJSON_AddNumberToObject(tiers, "origin_to_cdn", (double)c->origin_bytes);
    cJSON_AddNumberToObject(tiers, "pushed", (double)c->pushed_bytes);
    add_tiers(c, total, o);
    free(merged);
    if (sc->workload.type == WORKLOAD_TRACE) {
        cJSON *t = cJSON_AddObjectToObject(o, "trace");
        cJSON_AddStringToObject(t, "path", sc->workload.trace_path);
        cJSON_AddStringToObject(t, "format", trace_format_names[sc->workload.trace_format]);
        cJSON_AddNumberToObject(t, "requests", (double)c->sent);
        cJSON_AddNumberToObject(t, "span_s", simtime_to_s(c->last_sent));
    }
    /* what the caches hold, and what that costs in memory: deterministic,
     * unlike the process's peak (which make bench reports) */
    uint64_t objects = 0, bytes = 0;
    for (uint32_t i = 0; i < c->npops; i++) {
        objects += cache_objects(c->pops[i].cache);
        bytes += cache_memory(c->pops[i].cache);
    }
    cJSON *mem = cJSON_AddObjectToObject(o, "memory");
    json_add_count(mem, "cached_objects", objects);
    json_add_count(mem, "cache_bytes", bytes);
    cJSON_AddNumberToObject(mem, "bytes_per_cached_object", objects ? (double)bytes / (double)objects : 0);
    json_add_count(o, "requests_sent", c->sent);
    cJSON_AddNumberToObject(o, "duration_s",
                            simtime_to_s(sc->duration == SIMTIME_MAX ? c->last_sent : sc->duration));
    cJSON_AddNumberToObject(o, "warmup_s", simtime_to_s(sc->warmup));
    simtime_t end = sc->duration == SIMTIME_MAX ? c->last_sent : sc->duration;
    cJSON *ts = series_to_json(&c->series, end);
    cJSON *tpops = ts ? cJSON_AddArrayToObject(ts, "pops") : NULL;
    for (uint32_t i = 0; tpops && i < c->npops; i++) {
        if (!c->pops[i].series) continue;
        cJSON *p = series_pop_json(c->pops[i].series, &c->series, end, c->pops[i].id);
        if (p) cJSON_AddItemToArray(tpops, p);
    }
    cJSON_AddItemToObject(o, "timeseries", ts);
    json_add_count(o, "events", c->domain_events ? c->domain_events
                                : c->ran_direct ? c->direct_events : sim_events(c->sim));
    if (c->mini)
        miniature_results(o, sc->workload.sample, workload_key_share(c->workload),
                          workload_request_share(c->workload));
    return o;
}

uint64_t cdn_requests_sent(const cdn_t *c) { return c->sent; }
void cdn_set_slow_path(cdn_t *c, bool slow) { c->slow_path = slow; }
bool cdn_ran_direct(const cdn_t *c) { return c->ran_direct; }
void cdn_set_threads(cdn_t *c, unsigned n) { c->threads = n ? n : 1; }
void cdn_thread_cpu(const cdn_t *c, double *busiest, double *all)
{
    *busiest = c->thread_cpu_max;
    *all = c->thread_cpu_sum;
}
unsigned cdn_domains(const cdn_t *c) { return domain_count(c->plan); }
simtime_t cdn_end_time(const cdn_t *c) { return c->end; }
