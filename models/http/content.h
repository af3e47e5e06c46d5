/* content — what the origin says about its objects: content classes with
 * real Cache-Control headers, how often objects change, and cache-key rules.
 *
 * Each object belongs to one class, by a hash of (seed, object) against the
 * classes' shares, so the same object is always in the same class. A class
 * carries its Cache-Control header (parsed by models/http_cc), whether
 * responses carry a validator (ETag) so stale copies can be revalidated with
 * a conditional request, the rate at which objects change at the origin, and
 * the cache-key rule that decides how many distinct cache entries one object
 * becomes (query strings kept, Vary variants, cookies in the key).
 *
 * An object's version changes `change_per_hour` times an hour, evenly, at a
 * per-object phase: version(t) = floor(t * rate + phase). A stale copy whose
 * version still equals the origin's is revalidated with a 304 (no body).
 * Without classes, every object gets content.ttl_s, no validator, one key. */
#ifndef CDNSIM_CONTENT_H
#define CDNSIM_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "models/http/http_cc.h"
#include "sim/simtime.h"

#define CONTENT_MAX_CLASSES 16

typedef enum query_rule { QUERY_IGNORE, QUERY_KEEP, QUERY_KEEP_LISTED } query_rule_t;

typedef struct content_class_spec {
    char name[32];
    double share;
    char cache_control[256];
    bool validators;         /* responses carry an ETag: revalidate when stale */
    double change_per_hour;  /* origin versions per hour; 0 never changes */
    query_rule_t query;      /* cache key: drop the query, keep it whole, keep listed params */
    uint32_t query_variants; /* distinct query strings an object is requested with */
    uint32_t listed_variants;/* distinct values of the listed parameters */
    uint32_t vary_variants;  /* Vary: e.g. Accept-Language with 5 languages */
    bool cookie_in_key;
    uint32_t cookie_cardinality; /* distinct cookie values (users) */
    http_dates_t dates;      /* expires_s, last_modified_age_s (fraction: content's) */
    double error_ttl_s;      /* negative caching of a failed fetch; 0 none */
} content_class_spec_t;

/* Content-wide choices (content.heuristic_fraction, content.s_maxage_revalidate). */
typedef struct content_opts {
    double heuristic_fraction;   /* RFC 9111 4.2.2; 0.1 */
    bool s_maxage_revalidates;   /* RFC 9111 5.2.2.10 to the letter; false: CDN practice */
} content_opts_t;

typedef struct content_class {
    content_class_spec_t spec;
    bool storable;           /* not no-store, not private */
    simtime_t ttl;           /* freshness lifetime at the CDN; SIMTIME_MAX never expires */
    simtime_t swr, sie;      /* stale-while-revalidate / stale-if-error windows; 0 none */
    simtime_t error_ttl;     /* how long a failed fetch's error is cached; 0 not at all */
    uint32_t variants;       /* cache entries one object can become */
    double rate_per_ns;      /* versions per nanosecond */
} content_class_t;

typedef struct content {
    content_class_t cls[CONTENT_MAX_CLASSES];
    int ncls;                /* 0: no classes, every object is the default */
    double cum[CONTENT_MAX_CLASSES];  /* cumulative normalised shares */
    uint64_t seed;
    simtime_t default_ttl;
} content_t;

/* Builds from class specs (ncls may be 0). -1 with "what: message" in err
 * when a Cache-Control header is malformed; `path_of` names the JSON path of
 * class i's header in messages. */
int content_init(content_t *c, const content_class_spec_t *specs, int ncls, simtime_t default_ttl,
                 const content_opts_t *opts, uint64_t seed, char *err, size_t errlen);

/* The class index of object `object` (0 when there are no classes). */
int content_class_of(const content_t *c, uint64_t object);

/* The cache key of one request for `object` in class k: one of the class's
 * variants, drawn from r. */
uint64_t content_request_key(const content_t *c, int k, uint64_t object, gsl_rng *r);
/* The cache key of variant v (0 .. content_variants - 1) of `object`. */
uint64_t content_variant_key(uint64_t object, uint32_t variant);
uint32_t content_variants(const content_t *c, int k);

/* Versions are kept modulo 2^24: a cached copy stores its version in 24
 * bits beside its class (models/edge.c), and a conditional request compares
 * the two. */
#define CONTENT_VERSION_MASK 0xffffffu

/* The origin's version of `object` at time t, modulo 2^24. */
uint32_t content_version(const content_t *c, int k, uint64_t object, simtime_t t);

#endif
