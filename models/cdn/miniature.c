/* miniature — scaling for workload.sample; see miniature.h.
 *
 * Results are scaled back by one walk over the finished result, by field
 * name, rather than in every writer: the writers stay as they are, and a
 * field added later that counts requests under one of these names is scaled
 * without anyone remembering to. */
#include "models/cdn/miniature.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t scaled_capacity(uint64_t c, double share)
{
    if (!c) return 0; /* no bound stays no bound */
    double s = (double)c * share + 0.5;
    return s < 1 ? 1 : (uint64_t)s;
}

static void scale_cache(cache_spec_t *cs, double share)
{
    cs->capacity_objects = scaled_capacity(cs->capacity_objects, share);
    cs->capacity_bytes = scaled_capacity(cs->capacity_bytes, share);
}

/* A server at q times the rate, fed q times the requests, is the full run's
 * queue stretched in time by 1/q: at the same utilisation its waits are 1/q
 * as long. The longest wait it accepts is stretched alike, so the share it
 * refuses is the full run's. */
static void scale_server(server_spec_t *sv, double q)
{
    if (sv->capacity_rps <= 0) return; /* unlimited: no queue */
    sv->capacity_rps *= q;
    double w = (double)sv->max_wait / q;
    sv->max_wait = w < 4e18 ? (simtime_t)w : (simtime_t)4e18;
}

scenario_t *miniature_scenario(const scenario_t *sc, double key_share, double request_share)
{
    scenario_t *m = malloc(sizeof *m);
    if (!m) return NULL;
    *m = *sc;
    if (sc->ntiers > 0) {
        if (!(m->tiers = malloc((size_t)sc->ntiers * sizeof *m->tiers))) { free(m); return NULL; }
        memcpy(m->tiers, sc->tiers, (size_t)sc->ntiers * sizeof *m->tiers);
        for (int k = 0; k < m->ntiers; k++) scale_cache(&m->tiers[k].cache, key_share);
    }
    scale_cache(&m->cache, key_share);
    scale_server(&m->origin, request_share);
    scale_server(&m->pop_server, request_share);
    m->attack.rate_rps *= request_share;
    m->attack.scrub_rps *= request_share;
    return m;
}

void miniature_free(scenario_t *m)
{
    if (!m) return;
    if (m->ntiers > 0) free(m->tiers);
    free(m);
}

enum { KEEP, BY_REQUESTS, BY_KEYS, ALL_BY_REQUESTS };

/* What a field of the result counts. Requests (and what follows from them:
 * hits, statuses, bytes moved, refusals, evictions, rates) scale with the
 * request share; what a cache holds with the key share. */
static int rule_of(const char *name)
{
    static const char *const by_requests[] = {
        "requests", "hits", "bytes", "errors", "refused", "denied", "scrubbed", "passed",
        "evictions", "origin_requests", "origin_rps", "origin_peak_rps", "served_purged",
        "stale_answers", NULL };
    static const char *const by_keys[] = { "cached_objects", "cached_bytes", "invalidated", "objects", NULL };
    /* the run's own cost, the input, and figures that are no counts */
    static const char *const keep[] = { "config", "overrides", "latency_ms", "catchments", "memory",
                                        "program", "trace", "sample", "warnings", NULL };
    static const char *const whole[] = { "status", "tier_bytes", NULL };
    if (!name) return KEEP;
    for (int i = 0; keep[i]; i++) if (!strcmp(name, keep[i])) return KEEP;
    for (int i = 0; by_requests[i]; i++) if (!strcmp(name, by_requests[i])) return BY_REQUESTS;
    for (int i = 0; by_keys[i]; i++) if (!strcmp(name, by_keys[i])) return BY_KEYS;
    for (int i = 0; whole[i]; i++) if (!strcmp(name, whole[i])) return ALL_BY_REQUESTS;
    return -1; /* a container to walk into, or a field kept as it is */
}

/* Counts stay integers; rates (the fields named *_rps) keep their fraction. */
static void scale_all(cJSON *j, double f, bool count)
{
    if (cJSON_IsNumber(j)) {
        double v = j->valuedouble * f;
        cJSON_SetNumberValue(j, count ? floor(v + 0.5) : v);
        return;
    }
    for (cJSON *e = j->child; e; e = e->next) scale_all(e, f, count);
}

static bool is_rate(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && !strcmp(name + n - 4, "_rps");
}

static void walk(cJSON *j, double by_requests, double by_keys)
{
    for (cJSON *e = j->child; e; e = e->next) {
        int r = cJSON_IsArray(j) ? -1 : rule_of(e->string);
        if (r == KEEP) continue;
        if (r == BY_REQUESTS || r == ALL_BY_REQUESTS) scale_all(e, by_requests, !is_rate(e->string));
        else if (r == BY_KEYS) scale_all(e, by_keys, true);
        else if (cJSON_IsObject(e) || cJSON_IsArray(e)) walk(e, by_requests, by_keys);
    }
}

static double number_at(const cJSON *o, const char *a, const char *b)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b) j = cJSON_GetObjectItemCaseSensitive(j, b);
    return cJSON_IsNumber(j) ? j->valuedouble : 0;
}

void miniature_results(cJSON *o, double rate, double key_share, double request_share)
{
    double sim_requests = number_at(o, "requests", NULL), sim_origin = number_at(o, "origin", "requests");
    double sim_origin_bytes = number_at(o, "origin", "bytes"), hr = number_at(o, "hit_ratio", NULL);
    double fr = request_share > 0 ? 1 / request_share : 1, fk = key_share > 0 ? 1 / key_share : 1;
    walk(o, fr, fk);
    cJSON *s = cJSON_AddObjectToObject(o, "sample");
    if (!s) return;
    cJSON_AddNumberToObject(s, "rate", rate);
    cJSON_AddNumberToObject(s, "key_share", key_share);
    cJSON_AddNumberToObject(s, "request_share", request_share);
    cJSON_AddNumberToObject(s, "request_scale", fr);
    cJSON_AddNumberToObject(s, "key_scale", fk);
    cJSON_AddNumberToObject(s, "simulated_requests", sim_requests);
    cJSON_AddNumberToObject(s, "simulated_origin_requests", sim_origin);
    /* SHARDS_adj (Waldspurger et al., FAST'15): the sampled keys' request
     * share differs from their key share mostly through the few most
     * popular keys, which nearly always hit; misses come from the many
     * others, whose sampled share is the key share. So misses (what reaches
     * the origin) scale by the key share, requests by the request share,
     * and the hit ratio follows: 1 - (1 - h) q / s. */
    cJSON *adj = cJSON_AddObjectToObject(s, "adjusted");
    if (adj) {
        double req = floor(sim_requests * fr + 0.5), org = floor(sim_origin * fk + 0.5);
        cJSON_AddNumberToObject(adj, "hit_ratio", sim_requests ? 1 - (1 - hr) * request_share / key_share : 0);
        cJSON_AddNumberToObject(adj, "origin_requests", org);
        cJSON_AddNumberToObject(adj, "origin_bytes", floor(sim_origin_bytes * fk + 0.5));
        cJSON_AddNumberToObject(adj, "offload", req > 0 ? 1 - org / req : 0);
    }
    cJSON_AddStringToObject(s, "scaled",
                            "counts, bytes and rates are the miniature's times request_scale (cached objects "
                            "and bytes times key_scale): estimates of the full run; ratios and latencies as "
                            "simulated; events, requests_sent, memory and trace as simulated; adjusted: the "
                            "whole run's hit ratio and origin load with misses scaled by key_scale, the "
                            "better estimate when a few popular keys carry much of the traffic");
}
