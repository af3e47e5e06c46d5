/* cache_policy — the interface an eviction policy implements.
 *
 * A policy is a method table plus private state. It keeps its per-object
 * metadata in the meta_size bytes the core reserves in every slot
 * (cache_meta), and anything else (queues, ghost lists, sketches) in its
 * state. The core calls:
 *   on_insert  after a new object got a slot (already in the index);
 *   on_hit     (optional) when a cached object is requested;
 *   victim     when space is needed: return the slot to evict next (still
 *              linked; the core then calls on_remove and frees it), or
 *              CACHE_NO_SLOT to refuse the newcomer; called again while the
 *              cache is still over (byte capacity);
 *   evicting   (optional) true while the policy's eviction step is unfinished:
 *              the core asks for victims until it is false, even once there
 *              is room (S3-FIFO's EVICTS goes on after the M eviction a move
 *              from S triggers); victim may then return CACHE_NO_SLOT, which
 *              only ends the step when there is room;
 *   on_remove  to unlink a slot, on eviction or explicit removal;
 *   admit      (optional) once per cache_put, before any victim is chosen
 *              (where adaptive policies consult their ghosts); false keeps
 *              the object out;
 *   on_grow    (optional) before the slab grows to nslots slots: a policy
 *              keeping per-slot arrays beside the slab (a byte of flags costs
 *              1 byte, where a byte of meta costs 8 with alignment) grows them
 *              here; -1 (out of memory) makes the insertion fail cleanly.
 *              Every slot a policy sees is below the last nslots it was given.
 * Slots, and pointers into the slab, are stable for an object's lifetime
 * (the slab grows by whole chunks that never move).
 *
 * Adding a policy: one file here and one line in registry.c. */
#ifndef CDNSIM_CACHE_POLICY_H
#define CDNSIM_CACHE_POLICY_H

#include "models/cache/cache.h"

#define CACHE_NO_SLOT UINT32_MAX

typedef struct cache_policy {
    const char *name;
    size_t meta_size;
    int (*create)(cache_t *c, void **state, char *err, size_t errlen);
    void (*destroy)(void *state);
    void (*on_insert)(cache_t *c, void *state, uint32_t slot, const cache_req_t *r);
    void (*on_hit)(cache_t *c, void *state, uint32_t slot, const cache_req_t *r);
    uint32_t (*victim)(cache_t *c, void *state, const cache_req_t *r);
    bool (*evicting)(const void *state);
    void (*on_remove)(cache_t *c, void *state, uint32_t slot);
    bool (*admit)(cache_t *c, void *state, const cache_req_t *r);
    int (*on_grow)(cache_t *c, void *state, uint32_t nslots);
    size_t (*memory)(const void *state);  /* optional: bytes of state beyond the slots */
    /* optional, dense-id caches only: the key numbered id will be requested
     * soon (cache_prefetch_id); a policy with its own per-id state (a ghost
     * array) starts loading it */
    void (*prefetch)(const void *state, uint32_t id);
} cache_policy_t;

/* Every cache_t begins with this view of its slab (a struct may be addressed
 * through its first member), so policies reach slots with inline arithmetic
 * instead of a call per link they follow: the hot path of every policy.
 * The slab is a list of chunks of 2^shift slots (one chunk holding the whole
 * capacity when the cache counts a modest number of objects); chunks never
 * move, so growing the slab copies nothing. */
typedef struct cache_slab {
    char **chunks;       /* chunk i holds slots [i << shift, (i + 1) << shift) */
    uint32_t shift;
    uint32_t in_chunk;   /* (1 << shift) - 1 */
    size_t slot_size;    /* sizeof(cache_entry_t) + meta_size, 8-aligned */
    bool by_bytes;       /* capacity_bytes set: weights are sizes, else 1 */
    uint32_t nids;       /* a dense-id cache's id count (cache_create_ids), else 0 */
    uint32_t cur_id;     /* dense: the id of the request being served (put or touch) */
} cache_slab_t;

static inline char *cache_slot_addr(const cache_slab_t *s, uint32_t slot)
{
    return s->chunks[slot >> s->shift] + (size_t)(slot & s->in_chunk) * s->slot_size;
}

static inline cache_entry_t *cache_entry_at(cache_t *c, uint32_t slot)
{
    return (cache_entry_t *)(void *)cache_slot_addr((const cache_slab_t *)(void *)c, slot);
}

static inline void *cache_meta(cache_t *c, uint32_t slot)
{
    return cache_slot_addr((const cache_slab_t *)(void *)c, slot) + sizeof(cache_entry_t);
}

/* What a policy remembers an object by beyond its stay (ghost keys): its
 * key, or in a dense-id cache its id (ghost_init_ids with cache_ids). */
static inline uint32_t cache_ids(const cache_t *c)
{
    return ((const cache_slab_t *)(const void *)c)->nids;
}
static inline uint64_t cache_req_ghost_key(const cache_t *c, const cache_req_t *r)
{
    const cache_slab_t *s = (const cache_slab_t *)(const void *)c;
    return s->nids ? s->cur_id : r->key;
}
static inline uint64_t cache_entry_ghost_key(const cache_t *c, const cache_entry_t *e)
{
    return ((const cache_slab_t *)(const void *)c)->nids ? e->tag : e->key;
}

/* A hint that the slot s will soon leave: starts loading its index cell
 * (and, in a dense-id cache, the policy's own per-id state, such as the
 * ghost cell it will be remembered in). A policy that knows its next
 * victims calls it a few evictions early, as the index cell of an object
 * last touched at its insertion is otherwise an eviction's cold read. */
static inline void cache_prefetch_slot_index(cache_t *c, uint32_t s)
{
    const cache_entry_t *e = cache_entry_at(c, s);
    if (cache_ids(c)) cache_prefetch_id(c, e->tag, false);
    else cache_prefetch(c, e->key);
}

/* The slot of a cached key, or CACHE_NO_SLOT. */
uint32_t cache_slot_of(cache_t *c, uint64_t key);
const cache_config_t *cache_config(const cache_t *c);
/* Capacity in the policy's unit: objects when counting objects, else bytes. */
uint64_t cache_capacity(const cache_t *c);
/* The size an entry counts for against cache_capacity: 1 or its bytes. */
static inline uint64_t cache_weight(const cache_t *c, uint32_t size)
{
    return ((const cache_slab_t *)(const void *)c)->by_bytes ? size : 1;
}
/* Occupancy in the same unit as cache_capacity. */
uint64_t cache_used(const cache_t *c);

/* The registry: the policy called name, or NULL. */
const cache_policy_t *cache_policy_find(const char *name);

#endif
