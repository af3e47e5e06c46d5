/* rng — stream derivation; see rng.h. */
#include "sim/rng.h"

#include <assert.h>

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

/* GSL's taus2 state (gsl/rng/taus.c): three 32-bit components in unsigned
 * longs. gsl_rng_set seeds it from 32 bits only, so two stream seeds that
 * agree in those bits would draw the same numbers; the state is written
 * here instead, checked against gsl_rng_size below and by check_kernel. */
typedef struct taus_state { unsigned long s1, s2, s3; } taus_state_t;

void rng_taus_state(uint64_t v, unsigned long out[3])
{
    /* Of each component only the top 31, 29 and 28 bits are state (the rest
     * are shifted out unread), and none of the three may be all zero. v is
     * written in mixed radix over those ranges, which is one-to-one:
     * a in [1, 2^31-1], b in [1, 2^29-1], and the last digit (0..16) kept
     * in c's residue mod 17, c's quotient taken from a second mix of v. */
    const uint64_t ra = (1ULL << 31) - 1, rb = (1ULL << 29) - 1;
    uint64_t a = 1 + v % ra;
    uint64_t v1 = v / ra;
    uint64_t b = 1 + v1 % rb;
    uint64_t d = v1 / rb;                               /* 0..16 */
    uint64_t c = 1 + d + 17 * (mix64(v ^ 0x632be59bd9b4e019ULL) % 15790320u); /* < 2^28 */
    out[0] = (unsigned long)(a << 1);
    out[1] = (unsigned long)(b << 3);
    out[2] = (unsigned long)(c << 4);
}

gsl_rng *rng_stream_create(uint64_t seed, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r) return NULL;
    assert(gsl_rng_size(r) == sizeof(taus_state_t));
    unsigned long s[3];
    rng_taus_state(rng_stream_seed(seed, name), s);
    taus_state_t *st = gsl_rng_state(r);
    st->s1 = s[0];
    st->s2 = s[1];
    st->s3 = s[2];
    /* as gsl_rng_set does after seeding: six steps (a one-to-one map of the
     * state), so the first draw already depends on every bit */
    for (int i = 0; i < 6; i++) gsl_rng_get(r);
    return r;
}

uint64_t rng_replication_seed(uint64_t seed, unsigned r)
{
    /* 53 bits: seeds travel through JSON numbers, which are exact only that far */
    return r == 0 ? seed : mix64(seed + 0x9e3779b97f4a7c15ULL * r) >> 11;
}
