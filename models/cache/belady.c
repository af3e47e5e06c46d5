/* belady — the offline optimum (Belady's MIN): evict the cached object whose
 * next request lies farthest in the future.
 *
 * The future comes from cache_req_t.next_access (a trace annotated with next
 * access times: any number that orders requests in time, such as the
 * oracleGeneral request count; -1 means the key is never requested again).
 * A max-heap on next access (a min-heap on its complement) gives the victim
 * in O(log n). Objects never requested again sort first. An incoming object
 * whose next request is no nearer than the farthest cached one is not
 * admitted (MIN with bypass): keeping it could only cost a hit, which makes
 * this a true upper bound for every policy that counts objects.
 * Invariant: every cached slot is in the heap keyed by its next access as of
 * its last request. */
#include "models/cache/slotheap.h"

#include <stdlib.h>

typedef struct belady_meta {
    slotheap_node_t node;
} belady_meta_t;

/* Farther next access = smaller key; never again = 0, the smallest. */
static inline uint64_t far_key(int64_t next)
{
    return next < 0 ? 0 : UINT64_MAX - (uint64_t)next;
}

static int belady_create(cache_t *c, void **state, char *err, size_t errlen)
{
    slotheap_t *h = malloc(sizeof *h);
    if (!h) return -1;
    slotheap_init(h);
    if (slotheap_reserve_n(h, slotheap_expected(c)) != 0) { free(h); return -1; }
    *state = h;
    return 0;
}

static void belady_destroy(void *state)
{
    slotheap_free(state);
    free(state);
}

static bool belady_admit(cache_t *c, void *state, const cache_req_t *r)
{
    return slotheap_reserve(state) == 0;
}

static void belady_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    belady_meta_t *m = cache_meta(c, s);
    m->node.hi = far_key(r->next_access);
    m->node.lo = 0;
    slotheap_push(c, state, s);
}

static void belady_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    belady_meta_t *m = cache_meta(c, s);
    m->node.hi = far_key(r->next_access);
    slotheap_update(c, state, s);
}

static uint32_t belady_victim(cache_t *c, void *state, const cache_req_t *r)
{
    uint32_t top = slotheap_top(state);
    if (top == CACHE_NO_SLOT) return top;
    /* bypass: the newcomer is needed no sooner than anything cached */
    if (far_key(r->next_access) <= ((belady_meta_t *)cache_meta(c, top))->node.hi)
        return CACHE_NO_SLOT;
    return top;
}

static void belady_remove(cache_t *c, void *state, uint32_t s) { slotheap_remove(c, state, s); }

static size_t belady_memory(const void *state)
{
    return ((const slotheap_t *)state)->cap * sizeof(uint32_t);
}

const cache_policy_t cache_policy_belady = {
    .name = "belady",
    .meta_size = sizeof(belady_meta_t),
    .create = belady_create,
    .destroy = belady_destroy,
    .on_insert = belady_insert,
    .on_hit = belady_hit,
    .victim = belady_victim,
    .on_remove = belady_remove,
    .admit = belady_admit,
    .memory = belady_memory,
};
