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

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* The 64-bit seed of stream `name` under scenario seed `seed`. */
uint64_t rng_stream_seed(uint64_t seed, const char *name);

/* A new generator for stream `name`; NULL when out of memory. Free with
 * gsl_rng_free. */
gsl_rng *rng_stream_create(uint64_t seed, const char *name);

/* The taus2 state (s1, s2, s3) a stream with 64-bit seed v starts from,
 * before warm-up: one-to-one in v. Exposed for check_kernel. */
void rng_taus_state(uint64_t v, unsigned long out[3]);

/* The seed of replication r of a scenario with base seed `seed` (sweeps). */
uint64_t rng_replication_seed(uint64_t seed, unsigned r);

#endif
