/* random — evicts a uniformly chosen cached object.
 *
 * The cached slots sit in a dense array; each slot's metadata is its position
 * there, so insertion, removal (the last element fills the hole) and the draw
 * are O(1). Draws come from the cache's named stream, so a run is
 * reproducible and independent of every other component's randomness.
 * Invariant: dense[0..n) holds exactly the cached slots and
 * meta(dense[i]) == i. */
#include "models/cache/cache_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "sim/rng.h"

typedef struct rnd {
    uint32_t *dense;
    uint32_t n, cap;
    gsl_rng *rng;
    unsigned long ahead;   /* the generator's next output, drawn early */
    bool have_ahead;
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

static void random_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r) {}

static unsigned long next_raw(rnd_t *p)
{
    if (!p->have_ahead) return gsl_rng_get(p->rng);
    p->have_ahead = false;
    return p->ahead;
}

/* gsl_rng_uniform_int(rng, n), step for step (the same outputs consumed,
 * the same rejections), but through next_raw: the victim is the object at
 * a uniformly drawn position, a cold slot, so once a draw is done the next
 * output is taken early and the slot it would pick (if the cache holds as
 * many objects then, as a full one does) is prefetched. Only a hint: the
 * draw itself is unchanged. */
static uint32_t draw(cache_t *c, rnd_t *p, uint32_t n)
{
    unsigned long offset = p->rng->type->min, range = p->rng->type->max - offset;
    if (n > range) return (uint32_t)gsl_rng_uniform_int(p->rng, n);   /* its error path */
    unsigned long scale = range / n, k;
    do k = (next_raw(p) - offset) / scale;
    while (k >= n);
    p->ahead = gsl_rng_get(p->rng);
    p->have_ahead = true;
    unsigned long k2 = (p->ahead - offset) / scale;
    if (k2 < n) __builtin_prefetch(cache_entry_at(c, p->dense[k2]));
    return (uint32_t)k;
}

static uint32_t random_victim(cache_t *c, void *state, const cache_req_t *r)
{
    rnd_t *p = state;
    if (p->n == 0) return CACHE_NO_SLOT;
    return p->dense[draw(c, p, p->n)];
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
    .on_hit = random_hit,
    .victim = random_victim,
    .on_remove = random_remove,
    .admit = random_admit,
    .memory = random_memory,
};
