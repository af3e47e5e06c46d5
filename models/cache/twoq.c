/* twoq — the full 2Q (Johnson & Shasha, VLDB'94).
 *
 * A1in is a FIFO of objects requested once (Kin = 25% of the capacity), Am an
 * LRU of objects requested again after they left A1in, and A1out a ghost FIFO
 * of keys evicted from A1in (Kout = 50%). A miss whose key is in A1out enters
 * Am; any other miss enters A1in. A hit in Am moves it to Am's head; a hit in
 * A1in does nothing (correlated references). To make room ("reclaimfor"): if
 * A1in holds more than Kin, its tail leaves and its key enters A1out (whose
 * oldest keys are dropped beyond Kout); otherwise Am's LRU leaves, forgotten.
 * Sizes are in the cache's unit. Invariant: every cached slot is on A1in or
 * Am as its list byte says; A1out never weighs more than Kout. */
#include "models/cache/qlist.h"
#include "models/cache/ghost.h"

#include <stdlib.h>

enum { A1IN, AM };


typedef struct twoq {
    qlist_t q[2];
    qlist_tags_t list;       /* each slot's queue, A1IN or AM */
    ghost_t out;             /* A1out, list 0 */
    uint64_t cap;            /* Kin = cap/4 and Kout = cap/2, compared exactly */
    int target;              /* decided in admit */
    uint32_t to_out;         /* the victim whose key enters A1out on removal */
    bool out_sized;          /* A1out reserved for the population (first eviction) */
} twoq_t;

static int twoq_create(cache_t *c, void **state, char *err, size_t errlen)
{
    twoq_t *p = calloc(1, sizeof *p);
    if (!p) return -1;
    qlist_init(&p->q[A1IN]);
    qlist_init(&p->q[AM]);
    bool bytes = cache_config(c)->capacity_bytes != 0;
    p->out_sized = !bytes;   /* counting objects: sized exactly at creation */
    uint64_t keep = bytes ? 0 : cache_capacity(c) / 2;   /* keys the ghost is sized for */
    /* a dense-id cache's ghost remembers ids, in an array by id */
    if ((cache_ids(c) ? ghost_init_ids(&p->out, bytes, keep, cache_ids(c))
                      : ghost_init(&p->out, bytes, keep)) != 0) { free(p); return -1; }
    p->cap = cache_capacity(c);
    p->to_out = CACHE_NO_SLOT;
    *state = p;
    return 0;
}

static void twoq_destroy(void *state)
{
    twoq_t *p = state;
    ghost_free(&p->out);
    free(p->list.b);
    free(p);
}

static int twoq_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((twoq_t *)state)->list, nslots);
}

static bool twoq_admit(cache_t *c, void *state, const cache_req_t *r)
{
    twoq_t *p = state;
    uint32_t g = ghost_find(&p->out, cache_req_ghost_key(c, r));
    p->target = g != GHOST_NONE ? AM : A1IN;
    if (g != GHOST_NONE) ghost_remove(&p->out, g);
    return true;
}

static void twoq_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    twoq_t *p = state;
    p->list.b[s] = (uint8_t)p->target;
    qlist_push_head(c, &p->q[p->target], s);
}

static void twoq_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    twoq_t *p = state;
    if (p->list.b[s] == AM) qlist_to_head(c, &p->q[AM], s);
}

static uint32_t twoq_victim(cache_t *c, void *state, const cache_req_t *r)
{
    twoq_t *p = state;
    if (p->q[A1IN].len && (p->q[A1IN].weight * 4 > p->cap || !p->q[AM].len)) {
        p->to_out = p->q[A1IN].tail;
        return p->to_out;
    }
    return p->q[AM].tail;
}

static void twoq_remove(cache_t *c, void *state, uint32_t s)
{
    twoq_t *p = state;
    qlist_unlink(c, &p->q[p->list.b[s]], s);
    if (s != p->to_out) return;
    p->to_out = CACHE_NO_SLOT;
    /* a byte-limited cache learns its population when it first fills: size
     * A1out for Kout's share of it (a failure only means growing step by step) */
    if (!p->out_sized) {
        p->out_sized = true;
        (void)ghost_reserve(&p->out, cache_objects(c) / 2);
    }
    const cache_entry_t *e = cache_entry_at(c, s);
    (void)ghost_push(&p->out, 0, cache_entry_ghost_key(c, e), cache_weight(c, e->size));
    while (p->out.lists[0].weight * 2 > p->cap && ghost_pop_tail(&p->out, 0)) {}
}

static size_t twoq_memory(const void *state)
{
    const twoq_t *p = state;
    return ghost_memory(&p->out) + p->list.n;
}

static void twoq_prefetch(const void *state, uint32_t id)
{
    ghost_prefetch_id(&((const twoq_t *)state)->out, id);
}

const cache_policy_t cache_policy_twoq = {
    .name = "twoq",
    .meta_size = sizeof(qlist_links_t),
    .create = twoq_create,
    .destroy = twoq_destroy,
    .on_insert = twoq_insert,
    .on_hit = twoq_hit,
    .victim = twoq_victim,
    .on_remove = twoq_remove,
    .admit = twoq_admit,
    .on_grow = twoq_grow,
    .memory = twoq_memory,
    .prefetch = twoq_prefetch,
};
