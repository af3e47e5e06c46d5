/* topogen — Internet-like AS graphs, seeded, of any size up to the real one.
 *
 * The shape follows what measurement studies report of the AS graph: a
 * clique of tier-1 transit-free networks; a few percent of transit
 * providers; regional and access providers; a long tail of stub networks,
 * mostly single- or dual-homed; and most links being settlement-free
 * peering at Internet exchanges. Every AS lives in a metro (a city with an
 * Internet-population weight; the caller's list, or a built-in set of hubs)
 * and prefers providers and IXPs of its own continent, which is what makes
 * anycast catchments geographic. Providers are chosen by preferential
 * attachment (probability rising with the customers a provider already has),
 * which gives the heavy-tailed degree distribution.
 *
 * Invariant: every provider was created before each of its customers
 * (tier-1 first, stubs last), so the provider->customer relation is acyclic
 * by construction; no pair of ASes gets two links. Same parameters and
 * seed give the same graph, byte for byte (randomness from sim/rng named
 * streams, "topogen.*"). */
#ifndef CDNSIM_TOPOGEN_H
#define CDNSIM_TOPOGEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct topogen_metro {
    char name[64];
    char continent[4];   /* AF AS EU NA OC SA */
    double lat, lon;
    double weight;       /* Internet users, any unit: only ratios matter */
} topogen_metro_t;

typedef struct topogen_params {
    int ases;            /* total ASes, >= 4 */
    long links;          /* target link count; 0 picks about 6.4 per AS (the
                          * ratio of the public 2024-25 AS-relationship data) */
    uint64_t seed;
    const topogen_metro_t *metros;  /* NULL for the built-in hub list */
    int nmetros;
} topogen_params_t;

typedef enum { TOPOGEN_TIER1, TOPOGEN_TRANSIT, TOPOGEN_REGIONAL, TOPOGEN_STUB } topogen_tier_t;

typedef struct topogen_as {
    uint32_t asn;
    topogen_tier_t tier;
    int metro;           /* index into the metro list used */
} topogen_as_t;

typedef struct topogen_link {
    int a, b;            /* AS indices; for P2C a is the provider */
    int rel;             /* -1 provider-customer, 0 peer (as-rel numbering) */
} topogen_link_t;

typedef struct topogen {
    int n;
    topogen_as_t *as;
    long m;
    topogen_link_t *links;
    const topogen_metro_t *metros;  /* the list used (the caller's, or built-in) */
    int nmetros;
    int nixps;
} topogen_t;

/* Generates a graph; NULL with a message in err on bad parameters or
 * out-of-memory. */
topogen_t *topogen_generate(const topogen_params_t *p, char *err, size_t errlen);
void topogen_free(topogen_t *t);

/* The graph in as-rel text (with a '#' header), NUL-terminated; free() it. */
char *topogen_asrel(const topogen_t *t);
/* Each AS's tier, metro and coordinates as JSON, free() it:
 * {"metros": [...names...], "ases": [{"asn", "tier", "metro", "lat", "lon"}]} */
char *topogen_geo_json(const topogen_t *t);

const char *topogen_tier_name(topogen_tier_t tier);

/* Reads a metro list in CSV (header `name,country,continent,lat,lon,weight`,
 * columns found by name). Returns the count, -1 with "file:line: ..." in err. */
int topogen_load_metros(const char *path, topogen_metro_t **out, char *err, size_t errlen);

#endif
