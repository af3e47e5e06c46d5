/* clock — one reference bit, second chance (Corbató's CLOCK).
 *
 * The clock face is kept as a FIFO queue whose tail is the hand: a hit sets
 * the object's bit; looking for a victim, the hand clears a set bit and moves
 * the object to the head (exactly the hand passing it on the circle), and
 * takes the first object whose bit is clear. New objects enter with the bit
 * clear just behind the hand (the head). Invariant: the queue holds exactly
 * the cached slots in hand order. */
#include "models/cache/qlist.h"

#include <stdlib.h>

typedef struct clk {
    qlist_t q;
    qlist_tags_t ref;   /* the reference bit, a byte per slot beside the slab */
} clk_t;

static int clock_create(cache_t *c, void **state, char *err, size_t errlen)
{
    clk_t *k = calloc(1, sizeof *k);
    if (!k) return -1;
    qlist_init(&k->q);
    *state = k;
    return 0;
}

static void clock_destroy(void *state)
{
    clk_t *k = state;
    free(k->ref.b);
    free(k);
}

static int clock_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((clk_t *)state)->ref, nslots);
}

static void clock_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    clk_t *k = state;
    k->ref.b[s] = 0;
    qlist_push_head(c, &k->q, s);
}

static void clock_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    ((clk_t *)state)->ref.b[s] = 1;
}

static uint32_t clock_victim(cache_t *c, void *state, const cache_req_t *r)
{
    clk_t *k = state;
    /* terminates: each pass clears a bit, so within len+1 steps one is clear */
    for (;;) {
        uint32_t s = k->q.tail;
        if (s == CACHE_NO_SLOT) return s;
        if (!k->ref.b[s]) return s;
        k->ref.b[s] = 0;
        qlist_to_head(c, &k->q, s);
    }
}

static void clock_remove(cache_t *c, void *state, uint32_t s) { qlist_unlink(c, &((clk_t *)state)->q, s); }

static size_t clock_memory(const void *state) { return ((const clk_t *)state)->ref.n; }

const cache_policy_t cache_policy_clock = {
    .name = "clock",
    .meta_size = sizeof(qlist_links_t),
    .create = clock_create,
    .destroy = clock_destroy,
    .on_insert = clock_insert,
    .on_hit = clock_hit,
    .victim = clock_victim,
    .on_remove = clock_remove,
    .on_grow = clock_grow,
    .memory = clock_memory,
};
