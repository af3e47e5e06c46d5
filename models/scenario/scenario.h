/* scenario — a scenario file read, checked and resolved into plain values.
 *
 * Everything a run needs is here after scenario_load succeeds; the models
 * never look at JSON. Every error names the file and the JSON path at fault,
 * and unknown keys are errors (so a misspelt key never silently means a
 * default). --set overrides are applied to the JSON before checking. */
#ifndef CDNSIM_SCENARIO_H
#define CDNSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "models/http/content.h"
#include "models/workload/workload.h"
#include "models/net/world.h"
#include "sim/simtime.h"

typedef enum routing_mode { ROUTE_ANYCAST, ROUTE_GEO, ROUTE_ORIGIN, ROUTE_DNS } routing_mode_t;

/* routing.mode = "dns": unicast mapping by the resolver's place. A client
 * asks its ISP's resolver (in its metro) or, for public_share of clients, a
 * public resolver at the operator's site nearest the client; the CDN answers
 * with the PoP nearest the resolver (the client itself with ECS). An answer
 * is cached ttl; after a mapping change a client keeps the old PoP until its
 * cached answer expires. */
typedef struct dns_spec {
    double public_share;     /* dns.public_resolver_share */
    bool ecs;                /* dns.ecs: public resolvers pass the client's subnet */
    simtime_t ttl;           /* dns.ttl_s */
    simtime_t lookup;        /* dns.lookup_ms: paid on every new connection */
    char *resolvers_file;    /* dns.resolvers_file: the public resolver's sites (PoP format) */
} dns_spec_t;

/* Client connections to the PoP (or the origin in origin mode) and the
 * PoP's connections upstream. Defaults: every request finds a kept-alive
 * connection, so only the request's own round trip counts. */
typedef struct conn_spec {
    int tls;                 /* 12 or 13 */
    double keepalive_share;  /* requests on an open connection: no handshake */
    double resumption_share; /* new connections resuming a TLS session */
    double zero_rtt_share;   /* resumed TLS 1.3 sessions sending early data */
    bool warm_upstream;      /* pre-warmed pools to shield and origin */
} conn_spec_t;

/* A server with a FIFO queue: a PoP's request handling, or the origin. */
typedef struct server_spec {
    double capacity_rps;     /* 0: unlimited */
    simtime_t service;       /* time to first byte once served */
    simtime_t max_wait;      /* longer queueing is refused with 503 */
} server_spec_t;

/* An operation at a point of virtual time: a PoP's site withdrawn (it fails
 * or is drained) or announced again, BGP recomputing every catchment; a
 * purge that reaches each PoP one fiber latency from the control plane
 * later; a deploy of new content for a class; a push filling caches; the
 * origin going down or coming back. */
typedef enum op_kind { OP_WITHDRAW, OP_ANNOUNCE, OP_PURGE, OP_DEPLOY, OP_PUSH, OP_ORIGIN } op_kind_t;

/* What a purge (or a push) covers. */
typedef enum op_target {
    TARGET_ALL,              /* every object at every PoP */
    TARGET_POP,              /* every object at one PoP (op_spec_t.pop) */
    TARGET_CLASSES,          /* the objects of the classes in `classes` ({"class"}, {"tag"}) */
    TARGET_OBJECTS,          /* the listed objects */
    TARGET_PREFIX,           /* the `prefix` most popular objects (zipf ids 1..N) */
} op_target_t;

typedef enum deploy_mode { DEPLOY_VERSIONED, DEPLOY_PURGE, DEPLOY_IN_PLACE } deploy_mode_t;

typedef struct op_spec {
    simtime_t at;
    op_kind_t kind;
    char pop[16];            /* withdraw, announce, purge of one PoP: the PoP id */
    op_target_t target;
    uint32_t classes;        /* TARGET_CLASSES, a deploy's class: bit k = class k */
    uint64_t *objects;       /* TARGET_OBJECTS: object ids (trace keys as the trace reads them) */
    uint32_t nobjects;
    uint64_t prefix;         /* TARGET_PREFIX; a push of N objects */
    deploy_mode_t mode;      /* deploy */
    bool up;                 /* origin: true "up", false "down" */
    char **pops;             /* push: the PoP ids; NULL: every PoP */
    int npops;
    char *target_json;       /* the target as written, for the result */
} op_spec_t;

/* Where purges start (control.location, default the origin) and how long a
 * PoP takes to apply one once it arrives (control.processing_ms). */
typedef struct control_spec {
    char *location;          /* a PoP id, or NULL */
    geo_point_t point;
    bool has_point;          /* {"lat", "lon"} given */
    simtime_t processing;
} control_spec_t;

/* What a content class does beyond HTTP caching, at the edge: signed URLs
 * checked there, and code run there instead of a cache lookup. */
typedef struct class_edge_spec {
    bool is_signed;          /* "signed" given */
    double invalid_share;    /* tampered or expired: DENIED at the edge */
    simtime_t verify;        /* PoP service time a signature check costs */
    bool compute;            /* "edge_compute" given */
    simtime_t compute_time, cold_start, isolate_idle;
    double subrequest_share; /* share of requests making one origin subrequest */
    char **tags;             /* surrogate keys, for purges by tag */
    int ntags;
} class_edge_spec_t;

/* A request flood from a botnet living in some client groups' networks: it
 * reaches whichever PoPs those groups' routes lead to (anycast spreads it),
 * and takes those PoPs' request handling (pop.capacity_rps), so legitimate
 * clients of the same PoPs see queueing and 503s while other PoPs do not. */
typedef struct attack_spec {
    double rate_rps;         /* 0: no attack */
    int cls;                 /* attack.class: requests for this class (-1 none): a signed
                              * class's invalid signatures cost verify time, then DENIED */
    double scrub_rps;        /* attack.scrub.capacity_rps: a PoP's scrubber; 0 none */
    double scrub_detection;  /* attack.scrub.detection: share of flood requests detected */
    simtime_t start, end;
    double group_share;      /* share of client groups hosting bots, drawn by seed */
    char **metros;           /* or: the groups of these metros host them */
    int nmetros;
} attack_spec_t;

typedef struct cache_spec {
    char *policy;
    uint64_t capacity_objects;  /* 0: none */
    uint64_t capacity_bytes;    /* 0: none */
} cache_spec_t;

/* One level of the shield hierarchy (shield.tiers[k], or shield.pops as the
 * one-level shorthand): a PoP of level k fills from the nearest PoP of level
 * k+1 (or the one `map` names), the last level from the origin; edges (PoPs
 * on no level) fill from level 1. A PoP is on at most one level. */
typedef struct shield_tier_spec {
    char **pops;             /* PoP ids */
    int npops;
    char **map;              /* pairs: a PoP of the level below, this level's PoP it fills from */
    int nmap;                /* pairs */
    bool has_cache;          /* a cache of its own; else the top-level cache */
    cache_spec_t cache;
} shield_tier_spec_t;

/* The most time-series intervals a run keeps: stats.interval_s is checked
 * against duration_s with it, and the CDN model sizes its series with it. */
#define SCENARIO_MAX_INTERVALS 100000

typedef struct scenario {
    char *file;              /* as given, for messages */
    char *name;
    uint64_t seed;
    simtime_t duration;      /* SIMTIME_MAX: until the trace ends */
    simtime_t warmup;
    workload_spec_t workload;
    cache_spec_t cache;
    simtime_t ttl;           /* content.ttl_s; SIMTIME_MAX: never expires */
    content_class_spec_t classes[CONTENT_MAX_CLASSES]; /* content.classes */
    int nclasses;
    class_edge_spec_t edge[CONTENT_MAX_CLASSES]; /* content.classes[].signed, edge_compute, tags */
    simtime_t client_rtt;    /* network.client_rtt_ms */
    simtime_t origin_rtt;    /* network.origin_rtt_ms */
    simtime_t interval;      /* stats.interval_s: time-series bucket */
    char **stats_pops;       /* stats.pops: PoPs that get their own time series */
    int nstats_pops;
    int top_pops;            /* stats.top_pops: else the busiest this many (default 8) */

    bool has_topology;       /* "topology" given: the world model */
    world_spec_t world;
    routing_mode_t routing;
    dns_spec_t dns;          /* with routing = ROUTE_DNS */
    bool shield_enabled;
    char **shields;          /* shield PoP ids */
    int nshields;
    char **shield_map;       /* shield.map: pairs edge id, shield id (explicit mapping) */
    int nshield_map;         /* pairs */
    shield_tier_spec_t *tiers; /* the levels; shield.pops/map become tiers[0] */
    int ntiers;              /* levels listed; used only when shield_enabled */
    bool tiers_given;        /* shield.tiers (not the shorthand): names error paths */
    char *origin_location;   /* a PoP id whose city hosts the origin */
    geo_point_t origin_point;
    bool origin_has_point;
    server_spec_t origin;
    server_spec_t pop_server;
    conn_spec_t conn;
    double diurnal;          /* workload.diurnal: amplitude of the daily cycle, 0..1 */
    double dynamic_share;    /* workload.dynamic_share: uncacheable requests */
    double no_cache_share;   /* workload.request_no_cache_share: requests sending
                                Cache-Control: no-cache (or max-age=0): revalidate */
    content_opts_t content_opts; /* content.heuristic_fraction, content.s_maxage_revalidate */
    simtime_t last_mile_rtt; /* network.last_mile_ms: access network round trip */
    attack_spec_t attack;    /* a DDoS flood; rate 0: none */
    op_spec_t *ops;          /* operations, in the file's order */
    int nops;
    /* Provenance: the scenario as this run used it (the file's JSON after the
     * --set overrides, the seed as run, defaults of the main keys filled in)
     * and the --set assignments in order. Results carry both. */
    cJSON *config;
    cJSON *overrides;
    control_spec_t control;  /* where purges start */
} scenario_t;

/* Reads file, applies the --set assignments, checks and resolves. On error
 * returns NULL with "file: $.path: message" in err, and errno ENOMEM when
 * the failure is running out of memory (a runtime failure, exit 1), EINVAL
 * when it is the input (exit 2). */
scenario_t *scenario_load(const char *file, char *const *sets, int nsets, bool have_seed,
                          uint64_t seed, char *err, size_t errlen);
void scenario_free(scenario_t *s);

#endif
