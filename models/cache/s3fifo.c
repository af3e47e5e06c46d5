/* s3fifo — S3-FIFO as Algorithm 1 of Yang et al. (SOSP'23) and libCacheSim:
 * a small FIFO S (10% of the capacity), a main FIFO M (the rest) and a ghost
 * FIFO G of keys only, weighing at most M's share.
 *
 * A miss whose key is in G (looked up when the request arrives, as
 * libCacheSim does) enters M, any other miss enters S, with frequency 0; a
 * hit adds one to the frequency, capped at 3 (two bits). While the newcomer
 * does not fit, EVICT runs: on S when S weighs at least 10% of the capacity
 * (or M is empty), else on M:
 *  - EVICTS: from S's tail, an object requested more than once while in S
 *    (freq > 1) moves to M's head with its frequency cleared (the paper's
 *    "access bit is cleared during the move"; libCacheSim's fresh M entry);
 *    if M then weighs more than its share, EVICTM runs at once, and EVICTS
 *    goes on: it ends only when an object leaves S for G (or S is empty).
 *    So one EVICT may free more than the newcomer needs, as published;
 *  - EVICTM: from M's tail, an object with freq > 0 is reinserted at M's
 *    head with freq - 1 (FIFO-reinsertion); the first with freq 0 is evicted.
 * The core asks for one victim at a time: an M eviction inside EVICTS is
 * handed back with `in_evict_s` set, and `evicting` keeps the core asking
 * until the S eviction that ends the step.
 * Invariant: every cached slot is on S or M as its queue byte says; G never
 * weighs more than M's share of the capacity; in_evict_s is false outside
 * cache_put. */
#include "models/cache/qlist.h"
#include "models/cache/ghost.h"

#include <stdlib.h>

/* Per slot: the queue links in the slot's meta, and a tag byte beside the
 * slab holding the frequency (bits 0-1) and the queue (bit 2). */
#define FREQ_MASK 3u
#define IN_MAIN 4u

typedef struct s3fifo {
    qlist_t small, main;
    qlist_tags_t tags;
    ghost_t ghost;
    uint64_t cap;        /* in the cache's unit; shares compare in tenths, exactly
                          * (capacities below 2^60 units, far beyond any cache) */
    bool to_main;        /* decided in admit for the coming insertion */
    bool ghost_sized;    /* G reserved for the population (at the first eviction) */
    bool in_evict_s;     /* an EVICTS step was interrupted by an M eviction */
    uint32_t to_ghost;   /* the victim whose key goes to G when removed */
} s3fifo_t;

static int s3fifo_create(cache_t *c, void **state, char *err, size_t errlen)
{
    s3fifo_t *p = calloc(1, sizeof *p);
    if (!p) return -1;
    qlist_init(&p->small);
    qlist_init(&p->main);
    /* G holds up to M's share: 90% of the objects when counting objects */
    bool bytes = cache_config(c)->capacity_bytes != 0;
    p->ghost_sized = !bytes;   /* counting objects: sized exactly at creation */
    uint64_t keep = bytes ? 0 : cache_capacity(c) - cache_capacity(c) / 10;   /* keys the ghost is sized for */
    /* a dense-id cache's ghost remembers ids, in an array by id */
    if ((cache_ids(c) ? ghost_init_ids(&p->ghost, bytes, keep, cache_ids(c))
                      : ghost_init(&p->ghost, bytes, keep)) != 0) {
        free(p);
        return -1;
    }
    p->cap = cache_capacity(c);
    p->to_ghost = CACHE_NO_SLOT;
    *state = p;
    return 0;
}

static void s3fifo_destroy(void *state)
{
    s3fifo_t *p = state;
    ghost_free(&p->ghost);
    free(p->tags.b);
    free(p);
}

static int s3fifo_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((s3fifo_t *)state)->tags, nslots);
}

static bool s3fifo_admit(cache_t *c, void *state, const cache_req_t *r)
{
    s3fifo_t *p = state;
    uint32_t g = ghost_find(&p->ghost, cache_req_ghost_key(c, r));
    p->to_main = g != GHOST_NONE;
    if (p->to_main) ghost_remove(&p->ghost, g);
    return true;
}

static void s3fifo_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    s3fifo_t *p = state;
    p->tags.b[s] = p->to_main ? IN_MAIN : 0;
    qlist_push_head(c, p->to_main ? &p->main : &p->small, s);
    p->to_main = false;
}

static void s3fifo_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    uint8_t *t = &((s3fifo_t *)state)->tags.b[s];
    if ((*t & FREQ_MASK) < 3) (*t)++;
}

/* FIFO-reinsertion over M: the first object at the tail with freq 0. */
static uint32_t evict_main(cache_t *c, s3fifo_t *p)
{
    /* terminates: each reinsertion lowers a frequency */
    for (;;) {
        uint32_t t = p->main.tail;
        if (t == CACHE_NO_SLOT) return t;
        if ((p->tags.b[t] & FREQ_MASK) == 0) return t;
        p->tags.b[t]--;
        qlist_to_head(c, &p->main, t);
    }
}

static uint32_t s3fifo_victim(cache_t *c, void *state, const cache_req_t *r)
{
    s3fifo_t *p = state;
    if (!p->in_evict_s) {
        /* EVICT: "S.size >= 10% of the cache" gives up objects from S */
        if (p->small.len == 0 || (p->small.weight * 10 < p->cap && p->main.len > 0))
            return evict_main(c, p);
        p->in_evict_s = true;
    }
    /* EVICTS, begun now or resumed after the M eviction it handed back */
    while (p->small.len) {
        uint32_t t = p->small.tail;
        if ((p->tags.b[t] & FREQ_MASK) > 1) {
            qlist_unlink(c, &p->small, t);
            p->tags.b[t] = IN_MAIN;   /* frequency cleared by the move */
            qlist_push_head(c, &p->main, t);
            if (p->main.weight * 10 > p->cap * 9) {
                uint32_t v = evict_main(c, p);
                if (v != CACHE_NO_SLOT) return v;
            }
        } else {
            p->in_evict_s = false;
            p->to_ghost = t;
            return t;
        }
    }
    /* S ran dry with no eviction of its own: the step ends; if the newcomer
     * still does not fit, the next EVICT finds S empty and works on M */
    p->in_evict_s = false;
    if (cache_used(c) + cache_weight(c, r->size) > p->cap) return evict_main(c, p);
    return CACHE_NO_SLOT;
}

static bool s3fifo_evicting(const void *state)
{
    return ((const s3fifo_t *)state)->in_evict_s;
}

static void s3fifo_remove(cache_t *c, void *state, uint32_t s)
{
    s3fifo_t *p = state;
    qlist_unlink(c, p->tags.b[s] & IN_MAIN ? &p->main : &p->small, s);
    if (s != p->to_ghost) return;
    p->to_ghost = CACHE_NO_SLOT;
    /* a byte-limited cache learns its population when it first fills: size
     * G for M's share of it (a failure only means growing step by step) */
    if (!p->ghost_sized) {
        p->ghost_sized = true;
        (void)ghost_reserve(&p->ghost, cache_objects(c) * 9 / 10);
    }
    const cache_entry_t *e = cache_entry_at(c, s);
    /* a failed push only forgets one key */
    (void)ghost_push(&p->ghost, 0, cache_entry_ghost_key(c, e), cache_weight(c, e->size));
    while (p->ghost.lists[0].weight * 10 > p->cap * 9 && ghost_pop_tail(&p->ghost, 0)) {}
}

static size_t s3fifo_memory(const void *state)
{
    const s3fifo_t *p = state;
    return ghost_memory(&p->ghost) + p->tags.n;
}

static void s3fifo_prefetch(const void *state, uint32_t id)
{
    ghost_prefetch_id(&((const s3fifo_t *)state)->ghost, id);
}

const cache_policy_t cache_policy_s3fifo = {
    .name = "s3fifo",
    .meta_size = sizeof(qlist_links_t),
    .create = s3fifo_create,
    .destroy = s3fifo_destroy,
    .on_insert = s3fifo_insert,
    .on_hit = s3fifo_hit,
    .victim = s3fifo_victim,
    .evicting = s3fifo_evicting,
    .on_remove = s3fifo_remove,
    .admit = s3fifo_admit,
    .on_grow = s3fifo_grow,
    .memory = s3fifo_memory,
    .prefetch = s3fifo_prefetch,
};
