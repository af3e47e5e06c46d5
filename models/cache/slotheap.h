/* slotheap — a binary min-heap of cache slots, for the priority policies
 * (belady, lfuda, gdsf).
 *
 * A policy's metadata starts with a slotheap_node_t: the 96-bit key the heap
 * orders by (hi, then lo) and the slot's position in the heap array, so a
 * key change or a removal is one O(log n) sift from a known position. Keys
 * are integers so that ties and orders are exact and platform-independent.
 * Invariant: heap[i] holds slot s iff node(s).pos == i, and every node's key
 * is no smaller than its parent's. */
#ifndef CDNSIM_SLOTHEAP_H
#define CDNSIM_SLOTHEAP_H

#include "models/cache/cache_policy.h"

typedef struct slotheap_node {
    uint64_t hi;       /* the order: smaller leaves first ... */
    uint32_t lo;       /* ... then smaller lo */
    uint32_t pos;      /* index in the heap array */
} slotheap_node_t;     /* 16 bytes: with the entry, a 40-byte slot */

typedef struct slotheap {
    uint32_t *heap;
    uint32_t n, cap;
} slotheap_t;

void slotheap_init(slotheap_t *h);
void slotheap_free(slotheap_t *h);
/* Room for one more slot; -1 when out of memory (call before committing). */
int slotheap_reserve(slotheap_t *h);
/* Room for n slots at once: a count-limited cache sizes its heap up front
 * instead of copying it through growth steps. */
int slotheap_reserve_n(slotheap_t *h, uint32_t n);
/* The capacity in objects when the cache counts them (and it is modest),
 * else 0: what policies pre-size their per-object arrays for. */
static inline uint32_t slotheap_expected(cache_t *c)
{
    uint64_t n = cache_config(c)->capacity_objects;
    return n && n <= (1u << 24) ? (uint32_t)n : 0;
}
void slotheap_push(cache_t *c, slotheap_t *h, uint32_t s);
void slotheap_remove(cache_t *c, slotheap_t *h, uint32_t s);
/* Restores the order after s's key changed. */
void slotheap_update(cache_t *c, slotheap_t *h, uint32_t s);
static inline uint32_t slotheap_top(const slotheap_t *h) { return h->n ? h->heap[0] : CACHE_NO_SLOT; }
/* For checks: the heap property over every node. */
bool slotheap_check(cache_t *c, const slotheap_t *h);

#endif
