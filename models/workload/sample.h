/* sample — spatial sampling of keys by hash (SHARDS, Waldspurger et al.,
 * FAST'15; miniature simulations, ATC'17).
 *
 * A key is kept at rate r when its hash, read as a fraction of 2^64, falls
 * below r: a pure function of the key, so a kept key keeps every request and
 * the kept set at rate r contains the one at any lower rate. The hash
 * (splitmix64's finaliser of the key plus a constant) is not the caches'
 * index hash: sampled keys must still spread over an index. */
#ifndef CDNSIM_SAMPLE_H
#define CDNSIM_SAMPLE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

static inline uint64_t sample_hash(uint64_t k)
{
    k += 0x9e3779b97f4a7c15ULL;
    k = (k ^ (k >> 30)) * 0xbf58476d1ce4e5b9ULL;
    k = (k ^ (k >> 27)) * 0x94d049bb133111ebULL;
    return k ^ (k >> 31);
}

/* The hash threshold of rate r in (0, 1]: keys with sample_hash < it are kept;
 * UINT64_MAX for r >= 1 (every key; the id 2^64-1 is reserved anyway). */
static inline uint64_t sample_threshold(double r)
{
    if (r >= 1) return UINT64_MAX;
    return (uint64_t)(r * 18446744073709551616.0);
}

static inline bool sample_keep(uint64_t key, uint64_t threshold)
{
    return threshold == UINT64_MAX || sample_hash(key) < threshold;
}

/* A distinct count in fixed memory (HyperLogLog, Flajolet et al. 2007, with
 * the small-range correction; 2^16 one-byte registers, standard error
 * 1.04/256 = 0.4%): a sampled trace's key share is its distinct keys kept
 * over its distinct keys read, which a set of every key would cost memory
 * per key to count. Registers come from a hash other than sample_hash's, so
 * the count of the kept keys is not tied to their being kept. */
#define SAMPLE_HLL_BITS 16
typedef struct sample_hll { uint8_t reg[1u << SAMPLE_HLL_BITS]; } sample_hll_t;

static inline void sample_hll_add(sample_hll_t *h, uint64_t key)
{
    uint64_t x = sample_hash(key ^ 0x6a09e667f3bcc909ULL);
    uint32_t i = (uint32_t)(x >> (64 - SAMPLE_HLL_BITS));
    uint64_t rest = (x << SAMPLE_HLL_BITS) | (1ULL << (SAMPLE_HLL_BITS - 1)); /* never 0 */
    uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
    if (rank > h->reg[i]) h->reg[i] = rank;
}

static inline double sample_hll_count(const sample_hll_t *h)
{
    const double m = (double)(1u << SAMPLE_HLL_BITS);
    double sum = 0;
    unsigned zeros = 0;
    for (uint32_t i = 0; i < (1u << SAMPLE_HLL_BITS); i++) {
        sum += ldexp(1.0, -h->reg[i]);
        zeros += h->reg[i] == 0;
    }
    double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    return e <= 2.5 * m && zeros ? m * log(m / zeros) : e; /* linear counting while sparse */
}

#endif
