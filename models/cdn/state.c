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

/* The announced PoP nearest point p (lowest index among equals): what a
 * DNS mapping answers for a resolver, or a client with ECS, at p. */
static uint32_t dns_nearest(const world_t *w, geo_point_t p)
{
    uint32_t best = 0;
    simtime_t bd = SIMTIME_MAX;
    for (int i = 0; i < w->npops; i++) {
        if (!w->pops[i].announced) continue;
        simtime_t d = world_oneway(w, p, w->pops[i].point);
        if (d < bd) { bd = d; best = (uint32_t)i; }
    }
    return best;
}

static simtime_t group_last_mile(const cdn_t *c, const world_group_t *wg)
{
    simtime_t hop = c->world->fiber.per_hop_ns;
    return c->sc->last_mile_rtt / 2 + hop * (wg->as_path_len > 1 ? wg->as_path_len : 1);
}

static void dns_point_to(cdn_t *c, group_t *gr, uint32_t pop)
{
    const world_t *w = c->world;
    gr->pop = pop;
    gr->oneway = world_oneway(w, w->groups[gr->wg].point, w->pops[pop].point) +
                 group_last_mile(c, &w->groups[gr->wg]);
    gr->unroutable = !w->pops[pop].announced;
}

/* DNS mapping of group g at the build, or when the mapping changes (a
 * withdrawal or an announcement): the new answer is what the group's
 * resolver will get when its cached one expires (state_dns_resolve); until
 * then it keeps going to the old PoP, and its requests fail while that PoP
 * is down. */
static void dns_route(cdn_t *c, uint32_t g, bool at_build)
{
    group_t *gr = &c->groups[g];
    gr->next_pop = dns_nearest(c->world, gr->seen_at);
    if (at_build) dns_point_to(c, gr, gr->next_pop);
    else gr->unroutable = !c->world->pops[gr->pop].announced;
}

void state_dns_resolve(cdn_t *c, group_t *gr, simtime_t now)
{
    if (gr->pop != gr->next_pop) dns_point_to(c, gr, gr->next_pop);
    gr->dns_expires = now + c->sc->dns.ttl;
}

/* Each client group's PoP and one-way latency from the world's current
 * catchments and the routing mode. At build, a group BGP cannot route is bad
 * input; after a withdrawal it is a group whose requests fail. */
int state_route_groups(cdn_t *c, bool at_build, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    const world_t *w = c->world;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        group_t *gr = &c->groups[g];
        const world_group_t *wg = &w->groups[gr->wg];
        /* topology.per_hop_ms: one hop per AS on a client's leg */
        simtime_t last_mile = group_last_mile(c, wg);
        if (sc->routing == ROUTE_DNS) { dns_route(c, g, at_build); continue; }
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
        case ROUTE_DNS: /* above */
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

static void watch_request(cdn_t *c, simtime_t sent, req_status_t st, simtime_t latency);

void state_complete(cdn_t *c, uint32_t group, uint32_t pop, simtime_t sent, uint32_t size,
                  req_status_t st, simtime_t at)
{
    if (c->nwatch) watch_request(c, sent, st, at - sent);
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
    if (c->sc->attack.rate_rps > 0 && sent >= c->sc->attack.start && sent < c->sc->attack.end)
        tally_add(&c->attack_clients, st, size, at - sent);
    if (c->world) tally_add(&c->continent[c->groups[group].continent], st, size, at - sent);
    else tally_add(&c->total, st, size, at - sent);
    if (pop != NO_ID) tally_add(c->pops[pop].tally, st, size, at - sent);
}

/* The minute after each watched operation, by the client request's send time. */
static void watch_request(cdn_t *c, simtime_t sent, req_status_t st, simtime_t latency)
{
    for (uint32_t i = 0; i < c->nwatch; i++) {
        op_state_t *o = &c->opst[c->watch[i]];
        simtime_t since = sent - c->sc->ops[c->watch[i]].at;
        if (since < 0 || since >= OP_WINDOW_S * SIM_NS_PER_S) continue;
        o->win_requests++;
        o->win_hits += status_is_hit(st);
        o->win_latency_ns += (double)latency;
    }
}

static void watch_origin(cdn_t *c, simtime_t sent)
{
    for (uint32_t i = 0; i < c->nwatch; i++) {
        simtime_t since = sent - c->sc->ops[c->watch[i]].at;
        if (since >= 0 && since < OP_WINDOW_S * SIM_NS_PER_S) c->opst[c->watch[i]].win_origin[since / SIM_NS_PER_S]++;
    }
}

void state_count_origin(cdn_t *c, uint32_t pop, simtime_t sent, uint32_t size)
{
    if (c->nwatch) watch_origin(c, sent);
    series_point_t *pt = series_at(&c->series, sent);
    if (pt) pt->origin_requests++;
    if (pop != NO_ID && c->pops[pop].series && (pt = series_at(c->pops[pop].series, sent)))
        pt->origin_requests++;
    if (sent < c->sc->warmup) return;
    c->origin_requests++;
    c->origin_bytes += size;
}

/* A population's share of the clients: its world group's, split under DNS
 * mapping between the ISP's resolver and a public one. */
double state_group_weight(const cdn_t *c, uint32_t g)
{
    if (!c->world) return 1.0;
    double w = c->world->groups[c->groups[g].wg].weight;
    if (c->sc->routing != ROUTE_DNS) return w;
    double share = c->sc->dns.public_share;
    return c->groups[g].public_resolver ? w * share : w * (1 - share);
}

void state_catchment_snapshot(cdn_t *c, simtime_t at, const char *kind, const char *target)
{
    if (!c->world || !c->catch_timeline) return;
    double *w = calloc((size_t)c->npops + 1, sizeof *w), unrouted = 0;
    cJSON *e = cJSON_CreateObject();
    if (!w || !e) { free(w); cJSON_Delete(e); return; }
    for (uint32_t g = 0; g < c->ngroups; g++) {
        double gw = state_group_weight(c, g);
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

bool state_op_covers(const cdn_t *c, uint32_t k, uint32_t pi, uint64_t key, uint8_t cls)
{
    const op_spec_t *op = &c->sc->ops[k];
    uint32_t v;
    switch (op->target) {
    case TARGET_ALL: return true;
    case TARGET_POP: return c->opst[k].pop == pi;
    case TARGET_CLASSES: return op->classes >> cls & 1;
    default: return u64map_get(&c->opst[k].keys, key, &v);
    }
}

/* The copy's epoch is the count of purges issued when it left the origin
 * (mod STATE_EPOCHS = 8), so the purges issued since are the last
 * (issued - epoch) mod 8: exact while fewer than 8 purges separate a copy
 * from its use. The newest one covering the copy gets the count. */
void state_note_old_copy(cdn_t *c, uint32_t pi, uint64_t key, uint8_t cls, uint8_t epoch)
{
    uint32_t since = (c->purges_issued - epoch) % STATE_EPOCHS;
    for (uint32_t j = c->purges_issued; since > 0; since--) {
        uint32_t k = c->purge_op[--j];
        if (state_op_covers(c, k, pi, key, cls)) {
            c->opst[k].served_old++;
            return;
        }
    }
}
