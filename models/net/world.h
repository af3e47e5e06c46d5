/* world — the geography of a CDN scenario: PoP sites, client groups, the AS
 * graph, and which PoP each group reaches.
 *
 * world_build turns a topology spec into plain arrays the request path uses:
 * each client group (an AS in a metro, with a share of the metro's Internet
 * users) gets its anycast PoP (where its AS's BGP best route to the CDN's
 * prefix leads, hot-potato among equal routes), its latency-nearest PoP
 * (what ideal geo/DNS mapping would pick), and the one-way fiber latency to
 * each. Nothing here knows about caches or requests.
 *
 * Invariants after world_build: every group has a nearest_pop; anycast_pop is
 * -1 only when BGP gives the group's AS no route to the CDN (such groups are
 * an error for routing.mode = anycast, reported by the caller); PoP ids are
 * unique. */
#ifndef CDNSIM_WORLD_H
#define CDNSIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "models/net/geo.h"
#include "sim/simtime.h"

/* Per-site BGP what-ifs. */
typedef struct site_spec {
    char id[16];          /* PoP id (IATA code) */
    int prepend;          /* AS-path prepends on this site's announcements */
    bool withdrawn;       /* the site does not announce (a failed or drained site) */
    /* topology.sites[].transit / .peers: when either is given, the site's
     * links are exactly these (ASNs of the graph) instead of docs/routes.md's
     * automatic rule */
    bool own_links;
    uint32_t *transit;    /* providers the site buys from */
    int ntransit;
    uint32_t *peers;      /* networks it peers with */
    int npeers;
} site_spec_t;

typedef struct world_spec {
    char *pops_file;      /* CSV: iata,city,country,continent,lat,lon */
    char **pops;          /* PoP ids to use, NULL = every PoP in the file */
    int npops;
    char *metros_file;    /* CSV: name,country,continent,lat,lon,weight */
    int max_metros;       /* the heaviest N metros; 0 = all */
    int groups_per_metro; /* client ASes per metro, at most */
    char *as_rel_file;    /* an AS graph to load, or NULL to generate one */
    char *as_geo_file;    /* with as_rel_file: topogen --geo-out JSON giving each AS a metro */
    int ases;             /* generated graph size */
    uint64_t graph_seed;
    double route_factor;  /* fiber length over great-circle length */
    simtime_t per_hop;    /* router processing per hop */
    site_spec_t *sites;   /* per-site overrides */
    int nsites;
    const char *file;     /* the scenario file, for messages */
} world_spec_t;

typedef struct world_pop {
    char id[16];          /* IATA code */
    char city[48];
    char continent[4];
    geo_point_t point;
    bool announced;
} world_pop_t;

typedef struct world_group {
    char name[64];        /* "metro/ASn" */
    char continent[4];
    geo_point_t point;
    uint32_t asn;
    double weight;        /* share of all client traffic; the weights sum to 1 */
    int anycast_pop;      /* index into pops, -1 when BGP gives no route */
    int nearest_pop;      /* lowest-latency announced PoP */
    simtime_t anycast_oneway, nearest_oneway;
    int as_path_len;      /* of the anycast route */
} world_group_t;

struct asg;
struct bgp;

typedef struct world {
    world_pop_t *pops;
    int npops;
    world_group_t *groups;
    int ngroups;
    geo_fiber_t fiber;
    int ases, links;      /* AS graph size */
    struct asg *graph;    /* kept for world_announce; owned */
    struct bgp *bgp;
    int *group_node;      /* graph node of each group's AS */
} world_t;

/* Builds the world; NULL with "file: $.topology...: message" in err. */
world_t *world_build(const world_spec_t *spec, char *err, size_t errlen);
void world_free(world_t *w);

/* Reads a PoP list CSV (header naming at least iata, city, continent, lat,
 * lon; `#` comment lines). Returns the count with *out malloc()ed, or -1
 * with "file:line: ..." in err. */
int world_load_pops(const char *path, world_pop_t **out, char *err, size_t errlen);

/* Announces or withdraws PoP pop's site (a PoP failing, or coming back) and
 * recomputes every route and catchment. -1 with a message when no PoP would
 * be left announcing, or out of memory. */
int world_announce(world_t *w, int pop, bool announced, char *err, size_t errlen);

/* Index of PoP id, or -1. */
int world_pop_index(const world_t *w, const char *id);
/* One-way fiber latency between two points under the world's fiber model. */
simtime_t world_oneway(const world_t *w, geo_point_t a, geo_point_t b);

#endif
