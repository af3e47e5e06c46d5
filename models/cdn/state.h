/* state — the CDN model's state, shared by the files of models/cdn/.
 *
 * The layering inside the folder, top to bottom: cdn.c builds this state,
 * drives arrivals and writes results; edge.c (the tiered request path: PoP
 * lookup, shields, origin) and ops.c (operations during a run) act on it and
 * never on each other; state.c holds what all of them need (PoP lookup,
 * group routing, recording completions). A lower file never calls a higher
 * one. Not for other modules: they use cdn.h. */
#ifndef CDNSIM_CDN_STATE_H
#define CDNSIM_CDN_STATE_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <cjson/cJSON.h>

#include "models/cache/cache.h"
#include "models/http/content.h"
#include "models/cdn/metrics.h"
#include "models/cdn/server.h"
#include "models/workload/workload.h"
#include "models/net/world.h"
#include "models/scenario/scenario.h"
#include "sim/sim.h"
#include "sim/u64map.h"

typedef struct cdn cdn_t;   /* as in cdn.h, the public face of this state */

#define NO_ID UINT32_MAX
#define NCONTINENTS 7   /* AF AS EU NA OC SA, and unknown */

/* Who waits on a fetch: a client's request, or a lower tier's fetch. */
enum { WAIT_CLIENT, WAIT_FETCH };

/* A request in flight: a client request between its send and its arrival at
 * the PoP, or a waiter on a fetch. Free-listed through `next`. */
typedef struct request {
    simtime_t sent;        /* at the client */
    uint64_t key;          /* the cache key: the object, or one of its variants */
    uint64_t object;
    int64_t next_access;   /* ordering key of the key's next request (belady), -1 unknown */
    uint32_t size;
    uint32_t next;         /* next waiter on the same fetch / free list */
    uint32_t who;          /* WAIT_CLIENT: group index; WAIT_FETCH: child fetch id */
    uint8_t kind;
    uint8_t status;        /* req_status_t the client will see */
    uint8_t cls;           /* content class */
    bool dynamic;          /* uncacheable: passes through to the origin */
    bool revalidate;       /* Cache-Control: no-cache (or max-age=0) on the request */
    uint32_t seq;          /* the workload request's index (per-PoP next access) */
} request_t;

/* One PoP's upstream fetch of one object; its waiters in arrival order. */
typedef struct fetch {
    cache_entry_t *entry;  /* the reservation or stale copy it will fill; check its key */
    uint64_t key;
    uint64_t object;
    int64_t next_access;
    uint32_t size;
    uint32_t version;      /* of the copy the answer carries */
    uint32_t cond_version; /* conditional: the stale copy's version */
    uint8_t cls;
    bool conditional;      /* revalidating a stale copy that has a validator */
    bool not_modified;     /* the answer was a 304: the stale copy is current */
    uint32_t pop;
    uint32_t first, last;
    uint32_t next_free;
    bool store;            /* cache the object when it arrives */
    bool failed;           /* upstream refused (503) */
    bool measured;         /* sent >= warm-up: counts in results */
    bool revalidate;       /* forwards its request's no-cache upstream */
    simtime_t sent;        /* the triggering client request's send time */
    simtime_t expires;     /* a shield's answer: its copy's freshness end, aged by
                              this fetch's own delay (RFC 9111 4.2.3); NOT_AGED else */
    simtime_t requested;   /* request_time (RFC 9111 4.2.3): when the request left
                              this PoP, handshakes done; freshness counts from it */
    uint32_t seq;          /* the workload request that started it (per-PoP next access) */
    uint8_t tier;          /* hops from the client's edge PoP: 0 at the edge */
} fetch_t;

/* A client population: a world group, or under DNS mapping one of its two
 * halves (clients of the ISP's resolver, clients of a public resolver). */
typedef struct group {
    uint32_t pop;          /* NO_ID in origin mode: clients go to the origin */
    bool unroutable;       /* no route to the CDN (after a withdrawal), or, under DNS
                              mapping, a cached answer naming a PoP that is down */
    simtime_t oneway;      /* client <-> PoP (or origin), last mile included */
    double lon;            /* for the local-time diurnal cycle */
    uint8_t continent;
    uint32_t wg;           /* its world group (world->groups index) */
    /* DNS mapping only */
    bool public_resolver;  /* asks a public resolver, not its ISP's */
    geo_point_t seen_at;   /* where the mapping sees it: its resolver, or itself with ECS */
    simtime_t dns_expires; /* its resolver's cached answer (pop) expires; 0 before the first */
    uint32_t next_pop;     /* the PoP the mapping names now: its next answer */
} group_t;

typedef struct pop {
    char id[16];
    uint8_t continent;
    cache_t *cache;
    u64map_t inflight;     /* key -> fetch id: at most one fetch per key */
    uint32_t upstream;     /* shield PoP index, or NO_ID for the origin */
    simtime_t up_oneway;   /* to the upstream */
    server_t server;
    tally_t tally;         /* requests from clients */
    uint64_t attack_requests, attack_refused; /* flood requests that reached it */
    uint64_t tier_requests, tier_hits; /* requests from the level below, as a shield */
    uint64_t tier_bytes;   /* bodies sent to the level below, as a shield */
    uint8_t level;         /* 0: an edge; k: on shield level k (fills from level k+1) */
    bool is_shield;        /* level > 0 */
    series_t *series;      /* its own time series, or NULL (only the PoPs of
                              stats.pops, or the busiest stats.top_pops) */
} pop_t;

struct cdn {
    const scenario_t *sc;
    sim_t *sim;
    world_t *world;        /* NULL without a topology */
    geo_point_t origin_point;
    uint32_t *op_pop;      /* PoP index of each scenario operation */
    uint32_t *bots;        /* client groups hosting the attack's bots */
    uint32_t nbots;
    gsl_rng *r_attack;
    simtime_t attack_next; /* the next flood request's send time */
    uint64_t attack_requests, attack_refused;   /* after warm-up, at PoPs and origin */
    uint64_t origin_attack_requests, origin_attack_refused;
    workload_t *workload;
    pop_t *pops;
    uint32_t npops;
    uint32_t ntiers;       /* shield levels in use */
    group_t *groups;
    uint32_t ngroups;
    gsl_ran_discrete_t *group_pick;
    gsl_rng *r_groups, *r_conn, *r_dynamic, *r_diurnal, *r_variants;
    gsl_rng *r_directives; /* request Cache-Control; NULL when no client sends any */
    content_t content;
    server_t origin;
    int upstream_handshake_rtts;  /* 0 with warm pools */
    simtime_t dns_lookup;  /* dns.lookup_ms on a new connection; 0 in other modes */
    bool fixed_delay;      /* one group, no handshakes: arrivals go straight to the PoP */
    double *diurnal_keep;  /* per group: this minute's rate over the peak rate */
    int64_t diurnal_minute; /* the minute diurnal_keep is for, -1 before the first */

    request_t *requests;   /* pool */
    uint32_t nrequests, requests_cap, requests_free;
    fetch_t *fetches;      /* pool */
    uint32_t nfetches, fetches_cap, fetches_free;

    /* belady with several client groups: each request's group drawn before
     * the run (the same draws, in the same order, as at its send), so the
     * next access of its object at each PoP of its path is known: next_at
     * [seq * depth + tier], 1-based request number, 0 never again. */
    uint32_t *pre_group;   /* per request: its group, NO_ID when thinned; NULL unused */
    uint32_t *next_at;
    uint32_t depth;        /* PoPs on the longest client path */
    uint32_t next_seq;     /* index of `next` */
    uint64_t nread;        /* requests read so far */
    request_spec_t next;   /* the next request, read ahead */
    bool have_next;
    uint64_t sent;
    simtime_t last_sent;
    simtime_t end;         /* no request is sent at or after this time */

    tally_t total;         /* without a world only: with one, the continents' sum, made by cdn_results */
    tally_t continent[NCONTINENTS];
    uint64_t origin_requests, origin_bytes, origin_errors;
    uint64_t shield_bytes; /* bodies shields sent to edges */
    series_t series;
    cJSON *catch_timeline; /* catchment shares at the start and after each
                              withdrawal or announcement (world runs only) */
    int input_error;
    char err[512];
};

/* Requests sent within this span of one send event are generated together:
 * nothing at the client depends on simulation state, and each arrival lies
 * after its own send time, so batching only saves events. */
#define SEND_BATCH_SPAN SIM_NS_PER_MS
#define SEND_BATCH_MAX 256

/* The next access of request seq's object at the tier-th PoP of its path:
 * per PoP when next_at is there, else `whole` (the trace's own). */
static inline int64_t state_next_access(const cdn_t *c, uint32_t seq, unsigned tier, int64_t whole)
{
    if (!c->next_at) return whole;
    if (tier >= c->depth) return -1;
    uint32_t v = c->next_at[(size_t)seq * c->depth + tier];
    return v ? (int64_t)v : -1;
}

/* "file: path: msg \"id\"", returning -2 (bad input). */
int state_fail_input(char *err, size_t errlen, const char *file, const char *path, const char *msg,
                     const char *id);
/* index of PoP id, or -1. */
int state_pop_index(const cdn_t *c, const char *id);
/* each group's PoP and latency from the world's current catchments. */
int state_route_groups(cdn_t *c, bool at_build, char *err, size_t errlen);

/* Group g's share of all clients (1 without a world). */
double state_group_weight(const cdn_t *c, uint32_t g);

/* DNS mapping: group gr's resolver, its cached answer expired, asks again
 * at `now`: it gets the current mapping, cached for dns.ttl_s. */
void state_dns_resolve(cdn_t *c, group_t *gr, simtime_t now);

/* a client request's first byte reaches the client at `at`. */
void state_complete(cdn_t *c, uint32_t group, uint32_t pop, simtime_t sent, uint32_t size,
                    req_status_t st, simtime_t at);
/* an origin fetch by PoP pop (NO_ID: a client straight to the origin)
 * started for a request sent at `sent`. */
void state_count_origin(cdn_t *c, uint32_t pop, simtime_t sent, uint32_t size);
/* Appends the client-traffic share of every PoP under the current routing
 * to the catchment timeline: kind "start", "withdraw" or "announce". */
void state_catchment_snapshot(cdn_t *c, simtime_t at, const char *kind, const char *target);

#endif
