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

typedef struct clock_meta {
    qlist_links_t links;
    uint8_t ref;
} clock_meta_t;

static int clock_create(cache_t *c, void **state, char *err, size_t errlen)
{
    qlist_t *q = malloc(sizeof *q);
    if (!q) return -1;
    qlist_init(q);
    *state = q;
    return 0;
}

static void clock_destroy(void *state) { free(state); }

static void clock_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    qlist_push_head(c, state, s);
}

static void clock_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    ((clock_meta_t *)cache_meta(c, s))->ref = 1;
}

static uint32_t clock_victim(cache_t *c, void *state, const cache_req_t *r)
{
    qlist_t *q = state;
    /* terminates: each pass clears a bit, so within len+1 steps one is clear */
    for (;;) {
        uint32_t s = q->tail;
        if (s == CACHE_NO_SLOT) return s;
        clock_meta_t *m = cache_meta(c, s);
        if (!m->ref) return s;
        m->ref = 0;
        qlist_to_head(c, q, s);
    }
}

static void clock_remove(cache_t *c, void *state, uint32_t s) { qlist_unlink(c, state, s); }

const cache_policy_t cache_policy_clock = {
    .name = "clock",
    .meta_size = sizeof(clock_meta_t),
    .create = clock_create,
    .destroy = clock_destroy,
    .on_insert = clock_insert,
    .on_hit = clock_hit,
    .victim = clock_victim,
    .on_remove = clock_remove,
};
