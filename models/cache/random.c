/* random — evicts a uniformly chosen cached object.
 *
 * The cached slots sit in a dense array; each slot's metadata is its position
 * there, so insertion, removal (the last element fills the hole) and the draw
 * are O(1). Draws come from the cache's named stream, so a run is
 * reproducible and independent of every other component's randomness.
 *
 * Speed: an eviction touches three places nothing else has warmed, all
 * random: the victim's cell of the dense array, its slot, and its cell of
 * the key index. So the generator's outputs are drawn AHEAD evictions early
 * into a ring, and each eviction maps three of the waiting outputs to the
 * positions they will most likely pick and starts loading, for each, the
 * next of those three places (the cell far ahead, the slot nearer, the index
 * cell of the next victim but one): by the time an output is used, its
 * victim is in cache. These are hints only: the draw is made when the victim
 * is needed, with the population of that moment, exactly as
 * gsl_rng_uniform_int makes it from the same outputs in the same order, so
 * the victims are the ones the generator's stream gives, ring or not
 * (check_cache_policies runs gsl_rng_uniform_int beside it). Its division
 * by range / n is a multiplication by a reciprocal, exact (set_scale), kept
 * while n stays.
 *
 * Invariant: dense[0..n) holds exactly the cached slots and
 * meta(dense[i]) == i; ring[(head + j) % AHEAD], j = 0.., are the stream's
 * next outputs, in order. */
#include "models/cache/cache_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "sim/rng.h"

/* outputs drawn ahead (a power of two), and how many evictions ahead each
 * stage loads: the dense cell, then the slot, then the slot's index cell */
#define AHEAD 16
#define AHEAD_CELL 12
#define AHEAD_SLOT 6
#define AHEAD_INDEX 2

typedef struct rnd {
    uint32_t *dense;
    uint32_t n, cap;
    gsl_rng *rng;
    unsigned long offset, range;   /* the generator's min, max - min */
    uint32_t scale_n;              /* scale == range / scale_n, 0: not yet set */
    unsigned long scale;
    uint64_t recip;                /* ceil(2^64 / scale) when fast, else 0 */
    uint32_t head;
    unsigned long ring[AHEAD];
} rnd_t;

static void random_destroy(void *state);

static int random_create(cache_t *c, void **state, char *err, size_t errlen)
{
    const cache_config_t *cfg = cache_config(c);
    rnd_t *p = calloc(1, sizeof *p);
    if (!p) return -1;
    p->rng = rng_stream_create(cfg->seed, cfg->stream);
    if (!p->rng) {
        free(p);
        snprintf(err, errlen, "out of memory creating the random policy");
        return -1;
    }
    p->offset = gsl_rng_min(p->rng);
    p->range = gsl_rng_max(p->rng) - p->offset;
    for (int j = 0; j < AHEAD; j++) p->ring[j] = rng_get(p->rng);
    /* a count-limited cache gets its array up front (no copies while growing) */
    uint64_t n = cfg->capacity_objects;
    if (n && n <= (1u << 24)) {
        p->dense = malloc((size_t)n * sizeof *p->dense);
        if (!p->dense) { random_destroy(p); return -1; }
        p->cap = (uint32_t)n;
    }
    *state = p;
    return 0;
}

static void random_destroy(void *state)
{
    rnd_t *p = state;
    gsl_rng_free(p->rng);
    free(p->dense);
    free(p);
}

/* Makes room in the array before the core commits to the insertion, so an
 * allocation failure declines the object instead of losing track of it. */
static bool random_admit(cache_t *c, void *state, const cache_req_t *r)
{
    rnd_t *p = state;
    if (p->n < p->cap) return true;
    uint32_t cap = p->cap ? p->cap + p->cap / 2 : 1024;
    uint32_t *d = realloc(p->dense, (size_t)cap * sizeof *d);
    if (!d) return false;
    p->dense = d;
    p->cap = cap;
    return true;
}

static void random_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    rnd_t *p = state;
    *(uint32_t *)cache_meta(c, s) = p->n;
    p->dense[p->n++] = s;
}

/* The stream's next output; the ring's place refilled from the generator. */
static unsigned long next_raw(rnd_t *p)
{
    unsigned long x = p->ring[p->head];
    p->ring[p->head] = rng_get(p->rng);
    p->head = (p->head + 1) & (AHEAD - 1);
    return x;
}

/* range / n, and its reciprocal, for the population n. x / scale is then
 * (x * recip) >> 64 exactly: for 32-bit x and 2 <= scale < 2^32 the
 * reciprocal's excess (under 1 / 2^64 a unit of x) adds less than x / 2^64
 * < 1 / scale, which cannot carry the quotient past the next integer. */
static void set_scale(rnd_t *p, uint32_t n)
{
    p->scale = p->range / n;
    p->scale_n = n;
    p->recip = p->range <= 0xffffffffUL && p->scale >= 2 ? UINT64_MAX / p->scale + 1 : 0;
}

__extension__ typedef unsigned __int128 u128;

static inline unsigned long quotient(const rnd_t *p, unsigned long x)
{
    return (unsigned long)(((u128)x * p->recip) >> 64);
}

/* The position the output j places ahead picks among n if the population
 * is still n then and it is not rejected; n for none. */
static inline uint32_t hint(const rnd_t *p, uint32_t j, uint32_t n)
{
    if (!p->recip) return n;
    unsigned long k = quotient(p, p->ring[(p->head + j) & (AHEAD - 1)] - p->offset);
    return k < n ? (uint32_t)k : n;
}

/* gsl_rng_uniform_int(rng, n), step for step (the same outputs consumed,
 * the same rejections), through the ring, with range / n (and its
 * reciprocal) kept while n stays: a full cache counting objects evicts at
 * one n. */
static uint32_t draw(rnd_t *p, uint32_t n)
{
    if (n > p->range) return (uint32_t)gsl_rng_uniform_int(p->rng, n);   /* its error path */
    if (n != p->scale_n) set_scale(p, n);
    unsigned long k;
    if (p->recip) {
        do k = quotient(p, next_raw(p) - p->offset);
        while (k >= n);
    } else {
        do k = (next_raw(p) - p->offset) / p->scale;
        while (k >= n);
    }
    return (uint32_t)k;
}

static uint32_t random_victim(cache_t *c, void *state, const cache_req_t *r)
{
    rnd_t *p = state;
    uint32_t n = p->n;
    if (n == 0) return CACHE_NO_SLOT;
    if (n != p->scale_n && n <= p->range) set_scale(p, n);
    uint32_t k;
    if ((k = hint(p, AHEAD_CELL, n)) < n) __builtin_prefetch(&p->dense[k]);
    if ((k = hint(p, AHEAD_SLOT, n)) < n) __builtin_prefetch(cache_entry_at(c, p->dense[k]));
    if ((k = hint(p, AHEAD_INDEX, n)) < n) cache_prefetch_slot_index(c, p->dense[k]);
    return p->dense[draw(p, n)];
}

static void random_remove(cache_t *c, void *state, uint32_t s)
{
    rnd_t *p = state;
    uint32_t i = *(uint32_t *)cache_meta(c, s);
    uint32_t last = p->dense[--p->n];
    p->dense[i] = last;
    *(uint32_t *)cache_meta(c, last) = i;
}

static size_t random_memory(const void *state)
{
    return ((const rnd_t *)state)->cap * sizeof(uint32_t);
}

const cache_policy_t cache_policy_random = {
    .name = "random",
    .meta_size = sizeof(uint32_t),
    .create = random_create,
    .destroy = random_destroy,
    .on_insert = random_insert,
    .victim = random_victim,
    .on_remove = random_remove,
    .admit = random_admit,
    .memory = random_memory,
};
