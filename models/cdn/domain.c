/* domain — the partition of the world into logical processes; see domain.h. */
#include "models/cdn/domain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t find(uint32_t *up, uint32_t i)
{
    while (up[i] != i) i = up[i] = up[up[i]]; /* path halving */
    return i;
}

static void join(uint32_t *up, uint32_t a, uint32_t b)
{
    a = find(up, a);
    b = find(up, b);
    if (a < b) up[b] = a; else up[a] = b; /* the lower index roots: order is the scenario's */
}

/* Why the run cannot be split yet, whatever the partition: a feature whose
 * state or arrival stream is global. */
static const char *serial_reason(const cdn_t *c)
{
    const scenario_t *sc = c->sc;
    if (!c->world) return "no topology: one PoP";
    if (sc->routing == ROUTE_ORIGIN) return "routing.mode origin: every client meets the origin";
    if (sc->routing == ROUTE_DNS) return "routing.mode dns: groups move at resolver expiries";
    if (sc->workload.type == WORKLOAD_TRACE) return "a trace is one arrival stream";
    if (!strcmp(sc->cache.policy, "belady")) return "belady reads one future";
    if (sc->attack.rate_rps > 0) return "an attack is one arrival stream";
    if (sc->nops > 0) return "operations are not yet applied across domains";
    return "the domain run is not built yet: one process executes the world";
}

/* Whether some class makes origin subrequests from the edge (edge compute). */
static bool edge_subrequests(const cdn_t *c)
{
    for (int k = 0; k < c->sc->nclasses; k++)
        if (c->sc->edge[k].compute && c->sc->edge[k].subrequest_share > 0) return true;
    return false;
}

domain_plan_t *domain_plan(const cdn_t *c)
{
    domain_plan_t *p = calloc(1, sizeof *p);
    uint32_t n = c->npops, *up = malloc((n + 1) * sizeof *up);
    simtime_t *to_origin = malloc((n + 1) * sizeof *to_origin);
    if (!p || !up || !to_origin) goto oom;
    p->of_pop = malloc((n + 1) * sizeof *p->of_pop);
    if (!p->of_pop) goto oom;
    for (uint32_t i = 0; i < n; i++) up[i] = i;
    /* "may fill from": every PoP with its upstream shield, closed */
    for (uint32_t i = 0; i < n; i++)
        if (c->pops[i].upstream != NO_ID) join(up, i, c->pops[i].upstream);
    /* the origin: a logical process only when it keeps state that orders
     * fetches (a FIFO server, or an outage that can start) */
    p->origin_domain = NO_ID;
    p->lookahead = SIMTIME_MAX;
    bool origin_lp = !server_unlimited(&c->origin) || c->origin_by_event;
    bool subreq = edge_subrequests(c);
    if (origin_lp) {
        /* each root's least latency to the origin: its top PoPs' fetches,
         * and every PoP's subrequests when edge compute makes them */
        for (uint32_t i = 0; i < n; i++) to_origin[i] = SIMTIME_MAX;
        uint32_t nearest = NO_ID;
        for (uint32_t i = 0; i < n; i++) {
            const pop_t *q = &c->pops[i];
            simtime_t d = SIMTIME_MAX;
            if (q->upstream == NO_ID) d = q->up_oneway;
            if (subreq && q->origin_oneway < d) d = q->origin_oneway;
            uint32_t r = find(up, i);
            if (d < to_origin[r]) to_origin[r] = d;
            if (q->upstream == NO_ID && (nearest == NO_ID || q->up_oneway < c->pops[nearest].up_oneway))
                nearest = i;
        }
        uint32_t home = find(up, nearest);
        /* a domain no latency away cannot run apart from the origin */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = find(up, i);
            if (r == i && r != home && to_origin[r] <= 0) {
                join(up, r, home);
                p->merged++;
                home = find(up, home);
            }
        }
        home = find(up, home);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = find(up, i);
            if (r == i && r != home && to_origin[r] < p->lookahead) p->lookahead = to_origin[r];
        }
        p->origin_domain = home; /* a root for now; numbered below */
    }
    /* number the domains by their lowest PoP index */
    uint32_t *num = malloc((n + 1) * sizeof *num);
    if (!num) goto oom;
    for (uint32_t i = 0; i < n; i++) num[i] = NO_ID;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = find(up, i);
        if (num[r] == NO_ID) num[r] = p->ndomains++;
        p->of_pop[i] = num[r];
    }
    if (p->origin_domain != NO_ID) p->origin_domain = num[p->origin_domain];
    free(num);
    if (p->ndomains == 0) p->ndomains = 1;
    p->npops_in = calloc(p->ndomains, sizeof *p->npops_in);
    p->share = calloc(p->ndomains, sizeof *p->share);
    if (!p->npops_in || !p->share) goto oom;
    for (uint32_t i = 0; i < n; i++) p->npops_in[p->of_pop[i]]++;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        if (gr->pop != NO_ID && !gr->unroutable) p->share[p->of_pop[gr->pop]] += state_group_weight(c, g);
    }
    double total = 0;
    for (uint32_t d = 0; d < p->ndomains; d++) total += p->share[d];
    for (uint32_t d = 0; total > 0 && d < p->ndomains; d++) p->share[d] /= total;
    p->serial_because = p->ndomains > 1 ? serial_reason(c) : NULL;
    free(up);
    free(to_origin);
    return p;
oom:
    free(up);
    free(to_origin);
    domain_plan_free(p);
    return NULL;
}

void domain_plan_free(domain_plan_t *p)
{
    if (!p) return;
    free(p->of_pop);
    free(p->npops_in);
    free(p->share);
    free(p);
}

uint32_t domain_count(const domain_plan_t *p) { return p->serial_because ? 1 : p->ndomains; }

void domain_plan_json(const cdn_t *c, const domain_plan_t *p, cJSON *o)
{
    cJSON *j = cJSON_AddObjectToObject(o, "parallel");
    json_add_count(j, "domains", domain_count(p));
    json_add_count(j, "partition_domains", p->ndomains);
    if (p->lookahead == SIMTIME_MAX) cJSON_AddNullToObject(j, "lookahead_ms");
    else cJSON_AddNumberToObject(j, "lookahead_ms", (double)p->lookahead / 1e6);
    if (p->origin_domain == NO_ID) cJSON_AddNullToObject(j, "origin_domain");
    else json_add_count(j, "origin_domain", p->origin_domain);
    if (p->merged) json_add_count(j, "merged_zero_lookahead", p->merged);
    double busiest = 0;
    for (uint32_t d = 0; d < p->ndomains; d++)
        if (p->share[d] > busiest) busiest = p->share[d];
    /* the speed-up the busiest domain's share of the clients bounds */
    cJSON_AddNumberToObject(j, "speedup_bound", busiest > 0 ? 1 / busiest : 1);
    if (p->serial_because) cJSON_AddStringToObject(j, "serial_because", p->serial_because);
    cJSON *arr = cJSON_AddArrayToObject(j, "partition");
    for (uint32_t d = 0; d < p->ndomains; d++) {
        cJSON *e = cJSON_CreateObject();
        cJSON *ids = cJSON_AddArrayToObject(e, "pops");
        for (uint32_t i = 0; i < c->npops; i++)
            if (p->of_pop[i] == d) cJSON_AddItemToArray(ids, cJSON_CreateString(c->pops[i].id));
        cJSON_AddNumberToObject(e, "client_share", round(p->share[d] * 1e9) / 1e9);
        cJSON_AddItemToArray(arr, e);
    }
}
