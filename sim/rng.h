/* rng — named random streams derived from one scenario seed.
 *
 * Each component asks for its own stream by name ("workload.arrivals",
 * "cache.random"); the stream's seed is a hash of (scenario seed, name), so
 * adding a stream, or drawing more from one, never changes what any other
 * stream draws. Streams are plain GSL generators, used with the gsl_ran_*
 * distributions directly: L'Ecuyer's maximally equidistributed Tausworthe
 * generator (taus2, period 2^88), which GSL counts among its fastest
 * simulation-quality generators; here it draws about 2x faster than MT19937,
 * which is most of a kernel event's cost.
 *
 * Invariant: distinct (seed, name) give distinct generator states. The
 * stream seed is a bijective 64-bit mix of the scenario seed (for a given
 * name), and it is written into taus2's 88 bits of state one-to-one, not
 * through gsl_rng_set, which would keep only 32 of its bits. */
#ifndef CDNSIM_RNG_H
#define CDNSIM_RNG_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* The 64-bit seed of stream `name` under scenario seed `seed`. */
uint64_t rng_stream_seed(uint64_t seed, const char *name);

/* A new generator for stream `name`; NULL when out of memory. Free with
 * gsl_rng_free. */
gsl_rng *rng_stream_create(uint64_t seed, const char *name);

/* The taus2 state (s1, s2, s3) a stream with 64-bit seed v starts from,
 * before warm-up: one-to-one in v. Exposed for check_kernel. */
void rng_taus_state(uint64_t v, unsigned long out[3]);

/* The draws of the request path, inline. GSL's gsl_rng_uniform goes through
 * an exported function and a function pointer into a generator that cannot
 * be inlined, about 40 instructions for 20 of work, several times a request.
 * For a taus2 stream (every stream rng_stream_create makes) these step the
 * generator in place, the same Tausworthe recurrence (L'Ecuyer 1996) on
 * the same state, so every draw is bit-for-bit GSL's; check_kernel compares
 * them over millions of draws, which would catch a GSL whose state differed.
 * Any other generator goes through GSL. */
typedef struct rng_taus_state { unsigned long s1, s2, s3; } rng_taus_state_t;

static inline unsigned long rng_taus_step(unsigned long s, unsigned a, unsigned b, unsigned long c,
                                          unsigned d)
{
    return (((s & c) << d) & 0xffffffffUL) ^ ((((s << a) & 0xffffffffUL) ^ s) >> b);
}

/* The next output in [0, 2^32), as gsl_rng_get. */
static inline unsigned long rng_get(const gsl_rng *r)
{
    if (r->type != gsl_rng_taus2) return gsl_rng_get(r);
    rng_taus_state_t *t = r->state;
    t->s1 = rng_taus_step(t->s1, 13, 19, 4294967294UL, 12);
    t->s2 = rng_taus_step(t->s2, 2, 25, 4294967288UL, 4);
    t->s3 = rng_taus_step(t->s3, 3, 11, 4294967280UL, 17);
    return t->s1 ^ t->s2 ^ t->s3;
}

/* Uniform on [0, 1), as gsl_rng_uniform. */
static inline double rng_uniform(const gsl_rng *r)
{
    if (r->type != gsl_rng_taus2) return gsl_rng_uniform(r);
    return (double)rng_get(r) / 4294967296.0;
}

/* Exponential with mean mu: gsl_ran_exponential's -mu log1p(-u) as
 * -mu log(1 - u), the same number (1 - u is exact for taus2's 32-bit u) by
 * glibc's log, a third cheaper than its log1p. Either is within an ulp: the
 * double differs by an ulp in 6% of draws, the nanoseconds every caller
 * rounds it to in none of 4 x 10^8 tried at means of 0.1 and 1 ms (gaps of
 * 10^4 to 10^7 requests/s); check_kernel holds it to 2 ulps of GSL's. */
static inline double rng_exponential(const gsl_rng *r, double mu)
{
    return -mu * log(1.0 - rng_uniform(r));
}

/* An index drawn from Walker's alias table g, as gsl_ran_discrete (whose
 * table keeps Knuth's convention: F[c] holds (c + the cut) / K, compared
 * with the unscaled uniform); rng_alias_pick with a given uniform u in
 * [0, 1). */
static inline size_t rng_alias_pick(const gsl_ran_discrete_t *g, double u)
{
    size_t c = (size_t)(u * (double)g->K);
    if (c >= g->K) c = g->K - 1; /* a u rescaled from another draw may round up to 1 */
    double f = g->F[c];
    return f == 1.0 || u < f ? c : g->A[c];
}

static inline size_t rng_discrete(const gsl_rng *r, const gsl_ran_discrete_t *g)
{
    return rng_alias_pick(g, rng_uniform(r));
}

/* The seed of replication r of a scenario with base seed `seed` (sweeps). */
uint64_t rng_replication_seed(uint64_t seed, unsigned r);

#endif
