/* fifo — first in, first out: hits change nothing; the oldest insertion goes
 * first. One queue through the slots (qlist, 8 bytes an object); the queue
 * is doubly linked only so that an explicit removal is O(1).
 * Invariant: the queue holds exactly the cached slots, in insertion order. */
#include "models/cache/qlist.h"

#include <stdlib.h>

static int fifo_create(cache_t *c, void **state, char *err, size_t errlen)
{
    qlist_t *q = malloc(sizeof *q);
    if (!q) return -1;
    qlist_init(q);
    *state = q;
    return 0;
}

static void fifo_destroy(void *state) { free(state); }

static void fifo_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    qlist_push_head(c, state, s);
}

static void fifo_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r) {}

static uint32_t fifo_victim(cache_t *c, void *state, const cache_req_t *r)
{
    return ((qlist_t *)state)->tail;
}

static void fifo_remove(cache_t *c, void *state, uint32_t s) { qlist_unlink(c, state, s); }

const cache_policy_t cache_policy_fifo = {
    .name = "fifo",
    .meta_size = sizeof(qlist_links_t),
    .create = fifo_create,
    .destroy = fifo_destroy,
    .on_insert = fifo_insert,
    .on_hit = fifo_hit,
    .victim = fifo_victim,
    .on_remove = fifo_remove,
};
