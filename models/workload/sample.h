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

#endif
