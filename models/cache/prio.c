/* prio — the two priority-with-inflation policies, lfuda (LFU with dynamic
 * aging, Arlitt, Cherkasova, Dilley, Friedrich & Jin, 2000) and gdsf
 * (GreedyDual-Size-Frequency, Cherkasova, 1998). They share everything but
 * the priority formula, so they share this file; each has its own table:
 *
 *   lfuda: K = L + f          gdsf: K = L + f * cost / size, cost = 1
 *
 * (gdsf's size is in bytes also when the cache counts objects: the policy is
 * about value per byte.) f counts the object's requests while it is cached
 * (1 on insertion); L, the inflation value, starts at 0 and becomes the
 * priority of each evicted object, so objects that were popular long ago age
 * out. The lowest K goes first; among equal K the least recently requested
 * (a 32-bit request sequence number: after 2^32 requests it wraps, and for
 * the objects last requested on either side of the wrap the tie goes the
 * other way, which changes no K). A min-heap over the slots keeps this
 * O(log n); f lives in an array beside the slab (4 bytes, where in the meta
 * it would cost 8).
 * Invariant: every cached slot is in the heap with K computed from its f and
 * the L current at its last request. */
#include "models/cache/slotheap.h"

#include <stdlib.h>
#include <string.h>

/* The tables below declare meta_size as sizeof(slotheap_node_t): this
 * struct is exactly that node. */
typedef struct prio_meta {
    slotheap_node_t node;   /* hi: bits of K (a nonnegative double orders like its
                             * bit pattern), lo: request sequence */
} prio_meta_t;

typedef struct prio {
    slotheap_t heap;
    double inflation;       /* L */
    uint32_t seq;
    uint32_t *freq;         /* f of each slot */
    uint32_t nslots;
    bool by_size;           /* gdsf */
} prio_t;

static uint64_t double_key(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double key_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static void set_priority(cache_t *c, prio_t *p, uint32_t s)
{
    prio_meta_t *m = cache_meta(c, s);
    double f = p->freq[s];
    if (p->by_size) {
        uint32_t size = cache_entry_at(c, s)->size;
        f /= size ? size : 1;
    }
    m->node.hi = double_key(p->inflation + f);
    m->node.lo = ++p->seq;
}

/* by_size: gdsf's K = L + f / size; else lfuda's K = L + f. */
static int prio_create(cache_t *c, void **state, bool by_size)
{
    prio_t *p = calloc(1, sizeof *p);
    if (!p) return -1;
    slotheap_init(&p->heap);
    if (slotheap_reserve_n(&p->heap, slotheap_expected(c)) != 0) { free(p); return -1; }
    p->by_size = by_size;
    *state = p;
    return 0;
}


static void prio_destroy(void *state)
{
    prio_t *p = state;
    slotheap_free(&p->heap);
    free(p->freq);
    free(p);
}

static int prio_grow(cache_t *c, void *state, uint32_t nslots)
{
    prio_t *p = state;
    if (nslots <= p->nslots) return 0;
    /* geometric: the slab asks again at every chunk it adds */
    uint64_t n = p->nslots ? (uint64_t)p->nslots + p->nslots / 2 : nslots;
    if (n < nslots || n > UINT32_MAX) n = nslots;
    uint32_t *f = realloc(p->freq, n * sizeof *f);
    if (!f) return -1;
    p->freq = f;
    p->nslots = (uint32_t)n;
    return 0;
}

static bool prio_admit(cache_t *c, void *state, const cache_req_t *r)
{
    return slotheap_reserve(&((prio_t *)state)->heap) == 0;
}

static void prio_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    prio_t *p = state;
    p->freq[s] = 1;
    set_priority(c, p, s);
    slotheap_push(c, &p->heap, s);
}

static void prio_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    prio_t *p = state;
    if (p->freq[s] < UINT32_MAX) p->freq[s]++;
    set_priority(c, p, s);
    slotheap_update(c, &p->heap, s);
}

static uint32_t prio_victim(cache_t *c, void *state, const cache_req_t *r)
{
    prio_t *p = state;
    uint32_t s = slotheap_top(&p->heap);
    if (s != CACHE_NO_SLOT) p->inflation = key_double(((prio_meta_t *)cache_meta(c, s))->node.hi);
    return s;
}

static void prio_remove(cache_t *c, void *state, uint32_t s)
{
    slotheap_remove(c, &((prio_t *)state)->heap, s);
}

static size_t prio_memory(const void *state)
{
    const prio_t *p = state;
    return (p->heap.cap + (size_t)p->nslots) * sizeof(uint32_t);
}

static int lfuda_create(cache_t *c, void **state, char *err, size_t errlen)
{
    return prio_create(c, state, false);
}

static int gdsf_create(cache_t *c, void **state, char *err, size_t errlen)
{
    return prio_create(c, state, true);
}

#define PRIO_TABLE(policy, create_fn)                                                        \
    {                                                                                        \
        .name = policy, .meta_size = sizeof(slotheap_node_t), .create = create_fn,           \
        .destroy = prio_destroy, .on_insert = prio_insert, .on_hit = prio_hit,               \
        .victim = prio_victim, .on_remove = prio_remove, .admit = prio_admit,                \
        .on_grow = prio_grow, .memory = prio_memory,                                         \
    }

const cache_policy_t cache_policy_lfuda = PRIO_TABLE("lfuda", lfuda_create);
const cache_policy_t cache_policy_gdsf = PRIO_TABLE("gdsf", gdsf_create);
