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
struct domain_plan;         /* domain.h: the parallel world's partition */

#define OP_WINDOW_S 60
#define OP_WATCH_MAX 64 /* operations whose minute after is watched */

/* What an operation did, for the result's `operations`. */
typedef struct op_state {
    uint32_t pop;          /* PoP index it names (withdraw, announce, purge of one PoP), or NO_ID */
    u64map_t keys;         /* purge of objects: the cache keys it covers */
    bool has_keys;
    uint32_t applied;      /* PoPs that have applied it */
    simtime_t last_applied;
    uint64_t invalidated;  /* copies removed or marked for revalidation */
    uint64_t served_old;   /* client answers from a copy older than it, after it was issued */
    uint64_t pushed_objects, pushed_bytes;
    uint64_t origin_refused; /* origin down: fetches refused until it came back */
    uint64_t refused_at_start; /* origin down: the refusal count when it went down */
    simtime_t until;       /* origin down: when it came back (SIMTIME_MAX: never) */
    /* the minute after it (requests sent in [at, at + 60 s)): what clients
     * and the origin saw; per second for the origin's peak */
    uint64_t win_requests, win_hits;
    double win_latency_ns;
    uint32_t win_origin[OP_WINDOW_S];
} op_state_t;

enum { CLS_SIGNED = 1, CLS_COMPUTE = 2 };
/* `expires` of an entry reserved at a miss, before its body arrives: far
 * enough in the past that no stale window reaches it (edge.c). */
#define ENTRY_PENDING (INT64_MIN / 2)
/* `expires` of a copy a purge marked for revalidation: as far past, so it is
 * neither fresh nor servable stale, but it keeps its validator. */
#define ENTRY_PURGED (INT64_MIN / 4)

/* The cache key of a class whose objects a versioned deploy renamed gen
 * times (new URLs): gen 0 is the key itself. */
static inline uint64_t state_gen_key(uint64_t key, uint32_t gen)
{
    if (gen == 0) return key;
    uint64_t z = key ^ ((uint64_t)gen * 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z = (z ^ (z >> 31)) | (1ULL << 63);
    return z == UINT64_MAX ? z - 1 : z; /* UINT64_MAX marks a free cache slot */
}
#define ISOLATE_NEVER INT64_MIN /* an isolate that never ran */

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
    bool invalid;          /* a signed class's request with a bad signature */
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
    bool stale;            /* answered from a shield's stale copy (stale-if-error) */
    uint8_t epoch;         /* purges issued when its copy left the origin, mod STATE_EPOCHS */
    uint32_t pop;
    uint32_t first, last;
    uint32_t next_free;
    bool store;            /* cache the object when it arrives */
    bool failed;           /* upstream refused (503) */
    bool measured;         /* sent >= warm-up: counts in results */
    bool revalidate;       /* forwards its request's no-cache upstream */
    simtime_t sent;        /* the triggering client request's send time */
    simtime_t age;         /* the answer's Age (RFC 9111 age_value): 0 from the origin,
                              a shield copy's current age when it answers */
    simtime_t date;        /* the answer's Date (origin's serve time); HTTP_NO_DATE */
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

/* A fetch done at an edge, kept by the edge instead of scheduled: due at
 * `at`, ordered among events by seq (sim_take_seq); edge.c. */
typedef struct kept_done {
    simtime_t at;
    uint64_t seq;
    uint32_t fid;
} kept_done_t;

typedef struct pop {
    char id[16];
    uint8_t continent;
    cache_t *cache;
    u64map_t inflight;     /* key -> fetch id: at most one fetch per key */
    uint32_t upstream;     /* shield PoP index, or NO_ID for the origin */
    simtime_t up_oneway;   /* to the upstream */
    simtime_t origin_oneway; /* straight to the origin (pushes, edge subrequests) */
    simtime_t control_oneway; /* from the control plane (purges) */
    server_t server;
    server_t scrub;        /* attack.scrub: a token bucket of capacity_rps, a second deep */
    uint64_t attack_scrubbed, attack_denied;
    tally_t *tally;        /* requests from clients: its slot of cdn.pop_tallies
                              (NULL in a domain's copy of another domain's PoP) */
    uint64_t attack_requests, attack_refused; /* flood requests that reached it */
    uint64_t tier_requests, tier_hits; /* requests from the level below, as a shield */
    uint64_t tier_bytes;   /* bodies sent to the level below, as a shield */
    uint8_t level;         /* 0: an edge; k: on shield level k (fills from level k+1) */
    bool is_shield;        /* level > 0 */
    bool foreign;          /* in a domain's copy of the model: another domain's PoP */
    /* keeps_done: nothing but this PoP's own lookups can see its fetches
     * complete (no PoP fills from it, no operations, no DNS remapping), so
     * they are kept here, a heap by (at, seq), and run before its next
     * lookup instead of as events (edge.c) */
    bool keeps_done;
    kept_done_t *kept;
    uint32_t nkept, kept_cap;
    series_t *series;      /* its own time series, or NULL (only the PoPs of
                              stats.pops, or the busiest stats.top_pops) */
} pop_t;

struct cdn {
    const scenario_t *sc;
    scenario_t *mini;      /* workload.sample < 1: the scaled copy sc points to (miniature.h); else NULL */
    bool sample_by_object; /* workload.sample with locality: send_one asks workload_keep */
    sim_t *sim;
    world_t *world;        /* NULL without a topology */
    geo_point_t origin_point;
    uint32_t *bots;        /* client groups hosting the attack's bots */
    uint32_t nbots;
    gsl_rng *r_attack;
    simtime_t attack_next; /* the next flood request's send time */
    double attack_rate;    /* the flood's rate from these bots: attack.rate_rps, or a
                              domain's split of it (domain.c) */
    uint32_t attack_gen;   /* the flood's send chain: a re-split starts another */
    uint64_t attack_requests, attack_refused;   /* after warm-up, at PoPs and origin */
    uint64_t attack_scrubbed, attack_denied;
    uint64_t origin_attack_requests, origin_attack_refused;
    gsl_rng *r_scrub;
    tally_t attack_clients; /* legitimate requests sent while the flood lasts */

    /* operations (ops.c) and class features at the edge (edge.c) */
    op_state_t *opst;      /* per scenario operation: its effect figures */
    bool origin_down;      /* an origin operation took it down */
    uint64_t origin_down_refused; /* fetches it refused while down, warm-up included */
    bool origin_by_event;  /* origin state can change: fetches meet it on arrival */
    uint32_t purges_issued;/* purges and deploys so far; a copy's epoch is this mod STATE_EPOCHS */
    uint32_t *purge_op;    /* operation index of purge j */
    uint32_t class_gen[CONTENT_MAX_CLASSES];  /* versioned deploys: new cache keys */
    uint32_t class_bump[CONTENT_MAX_CLASSES]; /* deploys changing objects in place */
    uint8_t cls_flags[CONTENT_MAX_CLASSES];   /* CLS_SIGNED | CLS_COMPUTE */
    simtime_t *isolate_idle_since; /* npops x classes: when the isolate's last compute ended */
    gsl_rng *r_signed, *r_subrequest;
    uint64_t pushed_bytes;
    uint32_t down_op;      /* the origin operation that took it down, NO_ID when up */
    uint32_t watch[OP_WATCH_MAX]; /* purges, deploys, pushes, outages: their minute after */
    uint32_t nwatch;

    workload_t *workload;
    pop_t *pops;
    uint32_t npops;
    /* the PoPs' tallies in one calloc'd block, apart from pops: 117 KB
     * each, zero pages until samples land, so a domain's copy of pops
     * (domain.c) costs a few hundred bytes a PoP and writes its own PoPs'
     * tallies in place; NULL in such a copy (the template owns them) */
    tally_t *pop_tallies;
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
    struct domain_plan *plan; /* the partition into domains (domain.h) */
    /* in a domain of the parallel world whose origin is another domain's:
     * sends fetch fid there, to arrive at `arrive` (domain.c); else NULL */
    void (*origin_post)(cdn_t *c, uint32_t fid, simtime_t arrive);
    /* in a domain's copy: fetch fid leaves for an upstream shield of another
     * domain (a cut fill link), to arrive at `arrive`; and proxy fetch fid,
     * standing here for another domain's fetch, sends its answer back */
    void (*shield_post)(cdn_t *c, uint32_t fid, simtime_t arrive);
    void (*shield_reply)(cdn_t *c, uint32_t fid, simtime_t arrive);
    void *domain;          /* that domain's run state (domain.c) */
    /* in a domain's copy: re-routes its client groups after a withdrawal or
     * an announcement (the world already changed), else NULL */
    void (*reroute)(cdn_t *c);
    event_handle_t send_ev;/* the pending client send (on_send) */
    uint64_t domain_events;/* after a parallel run: the domains' events */
    bool slow_path;        /* cdn_set_slow_path: never the direct loop */
    bool ran_direct;       /* cdn_run took the direct loop (direct.h) */
    uint64_t direct_events;/* after it: the events the event-driven run executes */
    double thread_cpu_max, thread_cpu_sum; /* its threads' CPU seconds: the busiest, all */
    unsigned threads;      /* threads that execute the domains (cdn_set_threads) */
    int input_error;
    char err[512];
};

/* Requests sent within this span of one send event are generated together:
 * nothing at the client depends on simulation state, and each arrival lies
 * after its own send time, so batching only saves events. */
#define SEND_BATCH_SPAN SIM_NS_PER_MS
/* Without operations nothing a send reads (routes, group latencies, PoPs up
 * or down) changes during a run, so a wider batch is exact too: 10 ms, a
 * hundred sends at world.json's rate. */
#define SEND_BATCH_QUIET_SPAN (10 * SIM_NS_PER_MS)
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

/* Cache entry tags: bit 31 marks a cached error (negative caching), then
 * the content class (4 bits, CONTENT_MAX_CLASSES = 16), the copy's purge
 * epoch (3 bits) and its origin version (24 bits). */
#define STATE_TAG_NEGATIVE 0x80000000u
#define STATE_EPOCHS 8
static inline uint32_t state_tag(uint8_t cls, uint8_t epoch, uint32_t version)
{
    return (uint32_t)(cls & 15) << 27 | (uint32_t)(epoch % STATE_EPOCHS) << 24 |
           (version & CONTENT_VERSION_MASK);
}
static inline uint8_t state_tag_class(uint32_t tag) { return (uint8_t)(tag >> 27 & 15); }
static inline uint8_t state_tag_epoch(uint32_t tag) { return (uint8_t)(tag >> 24 & 7); }
static inline uint32_t state_tag_version(uint32_t tag) { return tag & CONTENT_VERSION_MASK; }

/* A client was answered at PoP pi with a copy of key (class cls) whose purge
 * epoch is `epoch`: counts it against the newest purge or deploy issued since
 * the copy left the origin that covers it. Only called when purges_issued > 0. */
void state_note_old_copy(cdn_t *c, uint32_t pi, uint64_t key, uint8_t cls, uint8_t epoch);
/* whether operation k (a purge or deploy) covers key (of class cls) at PoP pi */
bool state_op_covers(const cdn_t *c, uint32_t k, uint32_t pi, uint64_t key, uint8_t cls);

#endif
