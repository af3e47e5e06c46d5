/* rng — stream derivation; see rng.h. */
#include "sim/rng.h"

/* SplitMix64's finaliser: a bijective mixer, so distinct inputs give distinct
 * well-spread outputs. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rng_stream_seed(uint64_t seed, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a over the name */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return mix64(mix64(seed) ^ h);
}

gsl_rng *rng_stream_create(uint64_t seed, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r) return NULL;
    uint64_t s = rng_stream_seed(seed, name);
    /* taus2 takes 32 bits of seed: fold the halves so both count. */
    unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL);
    gsl_rng_set(r, s32 ? s32 : 4357);
    return r;
}

uint64_t rng_replication_seed(uint64_t seed, unsigned r)
{
    /* 53 bits: seeds travel through JSON numbers, which are exact only that far */
    return r == 0 ? seed : mix64(seed + 0x9e3779b97f4a7c15ULL * r) >> 11;
}
