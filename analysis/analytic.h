/* analytic — closed-form and fixed-point hit ratios of a single cache under
 * the independent reference model with Zipf popularity, to draw beside
 * simulated curves.
 *
 * Object i of N is requested with probability p_i = i^-alpha / H, requests
 * arrive as a Poisson stream of rate lambda, so object i sees rate lambda p_i.
 *
 *  - max-age TTL, no capacity limit (an object is fresh T seconds from its
 *    fetch, hits do not extend it): each fetch starts a renewal cycle in which
 *    lambda p_i T requests hit, then one misses, so h_i = lambda p_i T /
 *    (1 + lambda p_i T), and the overall hit ratio is sum p_i h_i.
 *  - LRU of C objects, Che's approximation: the characteristic time T_C
 *    solves sum_i (1 - e^{-lambda p_i T_C}) = C (Brent's method, GSL), and
 *    h = sum_i p_i (1 - e^{-lambda p_i T_C}).
 *
 * Both assume fetches complete instantly (origin RTT 0). The popularity
 * vector is computed once per (N, alpha) and shared by every evaluation. */
#ifndef CDNSIM_ANALYTIC_H
#define CDNSIM_ANALYTIC_H

#include <stddef.h>
#include <stdint.h>

/* The largest catalog the models accept (memory: 8 bytes an object). */
#define ANALYTIC_MAX_OBJECTS 20000000ULL

typedef struct analytic_zipf analytic_zipf_t;

/* NULL with a message when objects is 0 or above the limit, alpha < 0, or
 * out of memory. */
analytic_zipf_t *analytic_zipf_create(uint64_t objects, double alpha, char *err, size_t errlen);
void analytic_zipf_free(analytic_zipf_t *z);

/* Hit ratio of an unbounded cache with max-age ttl_s at request rate rate_rps. */
double analytic_ttl_hit_ratio(const analytic_zipf_t *z, double rate_rps, double ttl_s);

/* Che's approximation for LRU of `capacity` objects: 0 with *hit_ratio and
 * *tc_s (the characteristic time in seconds; INFINITY when everything fits)
 * set; -1 with a message when the root cannot be found. */
int analytic_che_lru(const analytic_zipf_t *z, double rate_rps, double capacity,
                     double *hit_ratio, double *tc_s, char *err, size_t errlen);

#endif
