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
 *
 * With a byte capacity a newcomer may need several victims. Admission is
 * decided before anything is evicted: the victims it would take, farthest
 * first, are listed (a walk of the heap in order through a small frontier
 * heap), and it is admitted only if every one of them is next needed later
 * than it; else it is refused and nothing is evicted (evicting some and then
 * refusing lost them for nothing). victim() then hands out exactly that
 * list, so the core evicts what admission checked.
 * Invariant: every cached slot is in the heap keyed by its next access as of
 * its last request; `plan` holds slots only between an admit and the
 * evictions of the same cache_put. */
#include "models/cache/slotheap.h"

#include <stdlib.h>

typedef struct belady_meta {
    slotheap_node_t node;
} belady_meta_t;

typedef struct belady {
    slotheap_t heap;          /* first: the state is also a slotheap_t */
    uint32_t *plan;           /* the victims admission chose, in eviction order */
    uint32_t nplan, next_plan, plan_cap;
    uint32_t *frontier;       /* heap positions still to visit, a min-heap */
    uint32_t frontier_cap;
} belady_t;

/* Farther next access = smaller key; never again = 0, the smallest. */
static inline uint64_t far_key(int64_t next)
{
    return next < 0 ? 0 : UINT64_MAX - (uint64_t)next;
}

static int belady_create(cache_t *c, void **state, char *err, size_t errlen)
{
    belady_t *b = calloc(1, sizeof *b);
    if (!b) return -1;
    slotheap_init(&b->heap);
    if (slotheap_reserve_n(&b->heap, slotheap_expected(c)) != 0) { free(b); return -1; }
    *state = b;
    return 0;
}

static void belady_destroy(void *state)
{
    belady_t *b = state;
    slotheap_free(&b->heap);
    free(b->plan);
    free(b->frontier);
    free(b);
}

static bool grow(uint32_t **a, uint32_t *cap, uint32_t need)
{
    if (need <= *cap) return true;
    uint32_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    uint32_t *p = realloc(*a, (size_t)n * sizeof *p);
    if (!p) return false;
    *a = p;
    *cap = n;
    return true;
}

static inline const slotheap_node_t *node_at(cache_t *c, const belady_t *b, uint32_t pos)
{
    return &((const belady_meta_t *)cache_meta(c, b->heap.heap[pos]))->node;
}

static inline bool before(cache_t *c, const belady_t *b, uint32_t p, uint32_t q)
{
    const slotheap_node_t *x = node_at(c, b, p), *y = node_at(c, b, q);
    return x->hi < y->hi || (x->hi == y->hi && x->lo < y->lo);
}

/* The frontier: a binary min-heap of heap positions by their nodes' keys. */
static void frontier_push(cache_t *c, belady_t *b, uint32_t *n, uint32_t pos)
{
    uint32_t i = (*n)++;
    b->frontier[i] = pos;
    while (i > 0 && before(c, b, b->frontier[i], b->frontier[(i - 1) / 2])) {
        uint32_t up = (i - 1) / 2, t = b->frontier[i];
        b->frontier[i] = b->frontier[up];
        b->frontier[up] = t;
        i = up;
    }
}

static uint32_t frontier_pop(cache_t *c, belady_t *b, uint32_t *n)
{
    uint32_t top = b->frontier[0];
    b->frontier[0] = b->frontier[--*n];
    for (uint32_t i = 0;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && before(c, b, b->frontier[l], b->frontier[m])) m = l;
        if (r < *n && before(c, b, b->frontier[r], b->frontier[m])) m = r;
        if (m == i) break;
        uint32_t t = b->frontier[i];
        b->frontier[i] = b->frontier[m];
        b->frontier[m] = t;
        i = m;
    }
    return top;
}

static bool belady_admit(cache_t *c, void *state, const cache_req_t *r)
{
    belady_t *b = state;
    b->nplan = b->next_plan = 0;
    if (slotheap_reserve(&b->heap) != 0) return false;
    const cache_config_t *cfg = cache_config(c);
    uint64_t objects = cache_objects(c), bytes = cache_bytes(c);
    uint64_t need_objects = cfg->capacity_objects && objects + 1 > cfg->capacity_objects
                                ? objects + 1 - cfg->capacity_objects : 0;
    uint64_t need_bytes = cfg->capacity_bytes && bytes + r->size > cfg->capacity_bytes
                              ? bytes + r->size - cfg->capacity_bytes : 0;
    uint64_t newcomer = far_key(r->next_access);
    uint32_t n = 0;
    if ((need_objects || need_bytes) && b->heap.n) {
        if (!grow(&b->frontier, &b->frontier_cap, 1)) return false;
        frontier_push(c, b, &n, 0);
    }
    while (need_objects || need_bytes) {
        if (n == 0) return false;          /* cannot happen: r fits an empty cache */
        uint32_t pos = frontier_pop(c, b, &n);
        uint32_t s = b->heap.heap[pos];
        /* a victim needed no later than the newcomer: keep it, refuse r */
        if (((const belady_meta_t *)cache_meta(c, s))->node.hi >= newcomer) {
            b->nplan = 0;
            return false;
        }
        if (!grow(&b->plan, &b->plan_cap, b->nplan + 1) ||
            !grow(&b->frontier, &b->frontier_cap, n + 2)) {
            b->nplan = 0;
            return false;
        }
        b->plan[b->nplan++] = s;
        uint32_t w = cache_entry_at(c, s)->size;
        need_objects -= need_objects > 0;
        need_bytes = need_bytes > w ? need_bytes - w : 0;
        for (uint32_t k = 2 * pos + 1; k <= 2 * pos + 2; k++)
            if (k < b->heap.n) frontier_push(c, b, &n, k);
    }
    return true;
}

static void belady_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    belady_meta_t *m = cache_meta(c, s);
    m->node.hi = far_key(r->next_access);
    m->node.lo = 0;
    slotheap_push(c, &((belady_t *)state)->heap, s);
}

static void belady_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    belady_meta_t *m = cache_meta(c, s);
    m->node.hi = far_key(r->next_access);
    slotheap_update(c, &((belady_t *)state)->heap, s);
}

static uint32_t belady_victim(cache_t *c, void *state, const cache_req_t *r)
{
    belady_t *b = state;
    if (b->next_plan < b->nplan) return b->plan[b->next_plan++];
    uint32_t top = slotheap_top(&b->heap);
    if (top == CACHE_NO_SLOT) return top;
    /* bypass: the newcomer is needed no sooner than anything cached */
    if (far_key(r->next_access) <= ((belady_meta_t *)cache_meta(c, top))->node.hi)
        return CACHE_NO_SLOT;
    return top;
}

static void belady_remove(cache_t *c, void *state, uint32_t s)
{
    slotheap_remove(c, &((belady_t *)state)->heap, s);
}

static size_t belady_memory(const void *state)
{
    const belady_t *b = state;
    return ((size_t)b->heap.cap + b->plan_cap + b->frontier_cap) * sizeof(uint32_t);
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
