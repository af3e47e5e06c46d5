/* state — the CDN model's shared state, and the few operations on it that
 * every part of the request path needs: finding a PoP, routing the client
 * groups, and recording what a client saw or what reached the origin.
 *
 * This file is the bottom of models/cdn/: cdn.c (build, arrivals, results)
 * uses edge.c (the tiered request path) and ops.c (operations during a run),
 * and all three use this one; nothing here calls back up. */
#include "models/cdn/state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int state_fail_input(char *err, size_t errlen, const char *file, const char *path, const char *msg,
                   const char *id)
{
    snprintf(err, errlen, "%s: %s: %s \"%s\"", file, path, msg, id);
    return -2;
}

/* Each client group's PoP and one-way latency from the world's current
 * catchments and the routing mode. At build, a group BGP cannot route is bad
 * input; after a withdrawal it is a group whose requests fail. */
int state_route_groups(cdn_t *c, bool at_build, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    const world_t *w = c->world;
    simtime_t hop = w->fiber.per_hop_ns;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const world_group_t *wg = &w->groups[g];
        group_t *gr = &c->groups[g];
        /* topology.per_hop_ms: one hop per AS on a client's leg */
        simtime_t last_mile = sc->last_mile_rtt / 2 + hop * (wg->as_path_len > 1 ? wg->as_path_len : 1);
        gr->unroutable = false;
        switch (sc->routing) {
        case ROUTE_ANYCAST:
            if (wg->anycast_pop < 0) {
                if (at_build)
                    return state_fail_input(err, errlen, sc->file, "$.topology",
                                      "BGP gives no route to any PoP for client group", wg->name);
                gr->unroutable = true;
                break;
            }
            gr->pop = (uint32_t)wg->anycast_pop;
            gr->oneway = wg->anycast_oneway + last_mile;
            break;
        case ROUTE_GEO:
            gr->pop = (uint32_t)wg->nearest_pop;
            gr->oneway = wg->nearest_oneway + last_mile;
            break;
        case ROUTE_ORIGIN:
            gr->pop = NO_ID;
            gr->oneway = world_oneway(w, wg->point, c->origin_point) + last_mile;
            break;
        }
    }
    return 0;
}

int state_pop_index(const cdn_t *c, const char *id)
{
    for (uint32_t i = 0; i < c->npops; i++)
        if (!strcmp(c->pops[i].id, id)) return (int)i;
    return -1;
}

void state_complete(cdn_t *c, uint32_t group, uint32_t pop, simtime_t sent, uint32_t size,
                  req_status_t st, simtime_t at)
{
    series_point_t *pt = series_at(&c->series, sent);
    if (pt) {
        pt->requests++;
        pt->hits += status_is_hit(st);
        pt->latency_sum_ns += (double)(at - sent);
        hist_small_record(&pt->latency, at - sent);
    }
    if (pop != NO_ID && c->pops[pop].series && (pt = series_at(c->pops[pop].series, sent))) {
        pt->requests++;
        pt->hits += status_is_hit(st);
        pt->latency_sum_ns += (double)(at - sent);
        hist_small_record(&pt->latency, at - sent);
    }
    if (sent < c->sc->warmup) return;
    /* with a world, the total is the continents' sum, made at the end */
    if (c->world) tally_add(&c->continent[c->groups[group].continent], st, size, at - sent);
    else tally_add(&c->total, st, size, at - sent);
    if (pop != NO_ID) tally_add(&c->pops[pop].tally, st, size, at - sent);
}

void state_count_origin(cdn_t *c, uint32_t pop, simtime_t sent, uint32_t size)
{
    series_point_t *pt = series_at(&c->series, sent);
    if (pt) pt->origin_requests++;
    if (pop != NO_ID && c->pops[pop].series && (pt = series_at(c->pops[pop].series, sent)))
        pt->origin_requests++;
    if (sent < c->sc->warmup) return;
    c->origin_requests++;
    c->origin_bytes += size;
}


void state_catchment_snapshot(cdn_t *c, simtime_t at, const char *kind, const char *target)
{
    if (!c->world || !c->catch_timeline) return;
    double *w = calloc((size_t)c->npops + 1, sizeof *w), unrouted = 0;
    cJSON *e = cJSON_CreateObject();
    if (!w || !e) { free(w); cJSON_Delete(e); return; }
    for (uint32_t g = 0; g < c->ngroups; g++) {
        double gw = c->world->groups[g].weight;
        if (c->groups[g].unroutable) unrouted += gw;
        else if (c->groups[g].pop != NO_ID) w[c->groups[g].pop] += gw;
    }
    cJSON_AddNumberToObject(e, "at_s", simtime_to_s(at));
    cJSON_AddStringToObject(e, "kind", kind);
    if (target) cJSON_AddStringToObject(e, "target", target);
    /* rounded like the catchments report, so sums of float weights print stably */
    cJSON_AddNumberToObject(e, "unrouted_share", round(unrouted * 1e9) / 1e9);
    cJSON *sh = cJSON_AddObjectToObject(e, "shares");
    for (uint32_t i = 0; i < c->npops; i++)
        if (w[i] > 0) cJSON_AddNumberToObject(sh, c->pops[i].id, round(w[i] * 1e9) / 1e9);
    cJSON_AddItemToArray(c->catch_timeline, e);
    free(w);
}
