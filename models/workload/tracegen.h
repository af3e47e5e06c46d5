/* tracegen — synthetic request traces: Zipf popularity, fixed or lognormal
 * sizes, Poisson arrivals, written in any trace format.
 *
 * Object k (1..objects) is drawn with probability proportional to 1/k^alpha
 * (models/workload/zipf.h, exact) and its key is k. Its size is a pure function of
 * (seed, k): with a lognormal distribution, exp(mu + sigma * z) where z is the
 * normal quantile of a hash of (seed, k) and mu = ln(mean) - sigma^2/2, so the
 * mean size is `size_mean`; no table of sizes is kept. Arrivals are a Poisson
 * process of `rate` requests a second. The request stream (tracegen_next) is
 * the same whatever the format; formats only quantise time (whole seconds for
 * webcachesim and oracleGeneral, nanoseconds in csv). Random numbers come from
 * the named streams "tracegen.objects" and "tracegen.arrivals" of `seed`.
 * Invariant: the writer's oracleGeneral next-access field is the 1-based
 * number of the key's next request, -1 when none, as in the public traces. */
#ifndef CDNSIM_TRACEGEN_H
#define CDNSIM_TRACEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "models/workload/trace.h"

typedef enum tracegen_sizes { TRACEGEN_SIZE_FIXED, TRACEGEN_SIZE_LOGNORMAL } tracegen_sizes_t;

typedef struct tracegen_config {
    uint64_t objects;          /* >= 1 */
    uint64_t requests;
    double alpha;              /* >= 0 */
    tracegen_sizes_t size_dist;
    double size_mean;          /* bytes, >= 1 */
    double size_sigma;         /* lognormal shape, >= 0 */
    double rate;               /* requests a second, > 0 */
    trace_format_t format;
    bool zstd;
    uint64_t seed;
} tracegen_config_t;

typedef struct tracegen tracegen_t;

/* The defaults: 10^4 objects, 10^5 requests, alpha 0.8, fixed 1000-byte
 * objects, 1000 requests a second, csv, seed 1. */
void tracegen_defaults(tracegen_config_t *cfg);
/* Checks the configuration; -1 with a message naming the bad field. */
int tracegen_validate(const tracegen_config_t *cfg, char *err, size_t errlen);

tracegen_t *tracegen_create(const tracegen_config_t *cfg, char *err, size_t errlen);
/* The next request (time in ns from 0, key, size; next_access -1). */
void tracegen_next(tracegen_t *g, trace_req_t *r);
void tracegen_destroy(tracegen_t *g);
/* The size of object k under cfg. */
uint32_t tracegen_object_size(const tracegen_config_t *cfg, uint64_t k);

/* Writes cfg->requests requests to out in cfg->format (compressed when
 * cfg->zstd). oracleGeneral needs each request's next access: that costs
 * 8 bytes per request and 8 per object while writing. */
int tracegen_write(const tracegen_config_t *cfg, FILE *out, char *err, size_t errlen);
/* The same into a malloc'ed buffer (*buf, *len), for replay from memory. */
int tracegen_write_mem(const tracegen_config_t *cfg, void **buf, size_t *len, char *err,
                       size_t errlen);

#endif
