/* domain — the parallel world's partition: which PoPs form one logical
 * process (a domain), and the lookahead between domains.
 *
 * Two PoPs are in one domain when one may fill from the other (a shield
 * with the edges and lower shields it fills, closed transitively): their
 * caches and collapsing interact at every request, with no latency floor;
 * but for the cut: the fill links into one shield level above the first
 * (cut_level), when cutting there bounds the speed-up better than meeting
 * only at the origin (a single top PoP joins every PoP into one domain
 * otherwise). A fetch over a cut link and its answer are messages at least
 * the link's one-way latency long; a cut link with no latency is folded
 * (its two domains one). An origin that can queue or go down
 * (finite capacity_rps, or an origin operation) is shared state: it lives in
 * the domain of the top-level PoP nearest to it (co-located, typically), and
 * every other domain reaches it only by messages at least `lookahead` long
 * (the least one-way latency from such a domain to the origin). An
 * unlimited origin keeps no state but counts, so no messages are needed and
 * the lookahead is unbounded. A domain whose latency to the origin is zero
 * is merged into the origin's domain (fewer domains, with a warning).
 *
 * Invariant: the partition depends on the scenario alone, never on the
 * thread count; domains are numbered by their lowest PoP index, so a
 * thread count only decides who executes them. */
#ifndef CDNSIM_CDN_DOMAIN_H
#define CDNSIM_CDN_DOMAIN_H

#include "models/cdn/state.h"

typedef struct domain_plan {
    uint32_t ndomains;     /* >= 1 */
    uint32_t packed;       /* components packed into fewer domains (too little work a window), or 0 */
    uint32_t *of_pop;      /* npops: each PoP's domain */
    uint32_t *npops_in;    /* ndomains: PoPs in each */
    double *share;         /* ndomains: client share at the start of the run */
    uint32_t origin_domain;/* NO_ID: the origin needs no logical process */
    simtime_t lookahead;   /* least cross-domain message latency; SIMTIME_MAX: none */
    uint32_t merged;       /* domains folded into the origin's for zero lookahead */
    uint8_t cut_level;     /* the fill links into this shield level are messages; 0: none */
    uint32_t cut_links;    /* fill links between domains */
    uint32_t merged_links; /* cut links folded for zero latency */
    uint8_t *linked;       /* ndomains x ndomains: a cut link joins them; NULL: none */
    const char *serial_because; /* why the run executes as one domain, or NULL */
} domain_plan_t;

/* Computes c's partition into a new plan (after the build: levels,
 * upstreams, latencies and routes known). NULL when out of memory. */
domain_plan_t *domain_plan(const cdn_t *c);
void domain_plan_free(domain_plan_t *p);

/* The domains the run executes: 1 when serial_because is set. */
uint32_t domain_count(const domain_plan_t *p);

/* What domain_run needs from cdn.c, which it may not call (cdn.c is above
 * it): the scheduling of a domain's first arrivals. (A domain's workload is
 * a split of the template's, sharing its tables: workload_split.) */
typedef struct domain_hooks {
    void (*start)(cdn_t *c);
    void (*arrivals)(cdn_t *c);  /* reads the next arrival and schedules it */
} domain_hooks_t;

/* Runs c's world as its domains, each a logical process (its own event
 * queue, arrival stream and random streams) on c->threads threads, in
 * windows of the lookahead; then merges what they measured into c, in
 * domain order. The result is the same for every thread count. 0 ok; -1
 * runtime failure (message in err). */
int domain_run(cdn_t *c, const domain_hooks_t *hooks, char *err, size_t errlen);

/* The result's `parallel` object. */
void domain_plan_json(const cdn_t *c, const domain_plan_t *p, cJSON *o);

#endif
