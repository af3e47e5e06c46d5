/* cdn — building the model from a scenario, driving arrivals, results. */
#include "models/cdn_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cdn_create(const scenario_t *sc, sim_t *sim, cdn_t **out, char *err, size_t errlen)
{
    cdn_t *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) goto oom;
    c->sc = sc;
    c->sim = sim;
    c->requests_free = c->fetches_free = NO_ID;
    c->end = sc->duration;
    tally_init(&c->total);
    series_init(&c->series, sc->interval);
    char werr[512];
    c->workload = workload_create(&sc->workload, sc->seed, werr, sizeof werr);
    if (!c->workload) { /* an unreadable trace */
        snprintf(err, errlen, "%s: $.workload.path: %s", sc->file, werr);
        cdn_destroy(c);
        return -2;
    }

    /* No topology: one PoP serving one client group, the origin behind it. */
    c->npops = 1;
    c->pops = calloc(c->npops, sizeof *c->pops);
    if (!c->pops) goto oom;
    pop_t *p = &c->pops[0];
    snprintf(p->id, sizeof p->id, "pop-1");
    p->client_half1 = sc->client_rtt / 2;
    p->client_half2 = sc->client_rtt - p->client_half1;
    p->upstream_rtt = sc->origin_rtt;
    tally_init(&p->tally);
    cache_config_t cc = { sc->cache.policy, sc->cache.capacity_objects, sc->cache.capacity_bytes,
                          sc->seed, "pop-1.cache" };
    p->cache = cache_create(&cc, err, errlen);
    if (!p->cache) { cdn_destroy(c); return -1; }
    if (u64map_init(&p->inflight, 64) != 0) goto oom;
    *out = c;
    return 0;
oom:
    snprintf(err, errlen, "out of memory building the model");
    cdn_destroy(c);
    return -1;
}

void cdn_destroy(cdn_t *c)
{
    if (!c) return;
    for (uint32_t i = 0; c->pops && i < c->npops; i++) {
        cache_destroy(c->pops[i].cache);
        u64map_free(&c->pops[i].inflight);
    }
    free(c->pops);
    free(c->requests);
    free(c->fetches);
    series_free(&c->series);
    workload_destroy(c->workload);
    free(c);
}

void cdn_count_origin(cdn_t *c, simtime_t sent, uint32_t size)
{
    series_point_t *pt = series_at(&c->series, sent);
    if (pt) pt->origin_requests++;
    if (sent < c->sc->warmup) return;
    c->origin_requests++;
    c->origin_bytes += size;
}

void cdn_complete(cdn_t *c, uint32_t p, simtime_t sent, uint32_t size, req_status_t st,
                  simtime_t at)
{
    series_point_t *pt = series_at(&c->series, sent);
    if (pt) {
        pt->requests++;
        pt->hits += status_is_hit(st);
        pt->latency_sum_ns += (double)(at - sent);
    }
    if (sent < c->sc->warmup) return;
    tally_add(&c->total, st, size, at - sent);
    tally_add(&c->pops[p].tally, st, size, at - sent);
}

/* Reads the next request ahead; false when the workload is done. */
static bool read_next(cdn_t *c)
{
    int rc = workload_next(c->workload, &c->next, c->err, sizeof c->err);
    if (rc < 0) { c->input_error = 1; sim_stop(c->sim); }
    c->have_next = rc == 1 && c->next.time < c->end;
    return c->have_next;
}

/* The arrival event fires when the request reaches its PoP; the next arrival
 * is scheduled from here, so at most one arrival is pending at a time. */
static void on_arrival(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    request_spec_t r = c->next;
    c->sent++;
    c->last_sent = r.time;
    edge_request(c, 0, r.time, r.key, r.size, r.next_access);
    if (read_next(c)) sim_at(s, c->next.time + c->pops[0].client_half1, on_arrival, c, 0);
}

int cdn_run(cdn_t *c, char *err, size_t errlen)
{
    if (read_next(c)) sim_at(c->sim, c->next.time + c->pops[0].client_half1, on_arrival, c, 0);
    int rc = c->input_error ? -1 : sim_run(c->sim, SIMTIME_MAX);
    if (c->input_error) { snprintf(err, errlen, "%s", c->err); return -2; }
    if (rc != 0) { snprintf(err, errlen, "%s", sim_error(c->sim)); return -1; }
    return 0;
}

cJSON *cdn_results(const cdn_t *c)
{
    const scenario_t *sc = c->sc;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", sc->name);
    cJSON_AddNumberToObject(o, "seed", (double)sc->seed);
    tally_to_json(&c->total, o);
    cJSON *org = cJSON_AddObjectToObject(o, "origin");
    cJSON_AddNumberToObject(org, "requests", (double)c->origin_requests);
    cJSON_AddNumberToObject(org, "bytes", (double)c->origin_bytes);
    cJSON_AddNumberToObject(org, "offload",
                            c->total.requests ? 1 - (double)c->origin_requests / (double)c->total.requests : 0);
    cJSON *pops = cJSON_AddArrayToObject(o, "pops");
    for (uint32_t i = 0; i < c->npops; i++) {
        const pop_t *p = &c->pops[i];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "id", p->id);
        tally_to_json(&p->tally, po);
        cJSON_AddStringToObject(po, "policy", cache_policy_name(p->cache));
        cJSON_AddNumberToObject(po, "cached_objects", (double)cache_objects(p->cache));
        cJSON_AddNumberToObject(po, "cached_bytes", (double)cache_bytes(p->cache));
        cJSON_AddNumberToObject(po, "evictions", (double)cache_evictions(p->cache));
        cJSON_AddItemToArray(pops, po);
    }
    cJSON_AddNumberToObject(o, "requests_sent", (double)c->sent);
    cJSON_AddNumberToObject(o, "duration_s",
                            simtime_to_s(sc->duration == SIMTIME_MAX ? c->last_sent : sc->duration));
    cJSON_AddNumberToObject(o, "warmup_s", simtime_to_s(sc->warmup));
    cJSON_AddItemToObject(o, "timeseries", series_to_json(&c->series));
    cJSON_AddNumberToObject(o, "events", (double)sim_events(c->sim));
    return o;
}

uint64_t cdn_requests_sent(const cdn_t *c) { return c->sent; }
simtime_t cdn_end_time(const cdn_t *c) { return c->end; }
