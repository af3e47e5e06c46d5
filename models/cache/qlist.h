/* qlist — intrusive doubly linked queues of cache slots, shared by the
 * list-based policies (fifo, clock, sieve, s3fifo, arc, twoq, tinylfu).
 *
 * The links are the first 8 bytes of a slot's policy metadata (a policy's
 * meta struct starts with a qlist_links_t), so a queue costs 8 bytes an object
 * and nothing else. Head is the newest end, tail the oldest; `prev` points
 * toward the head. A queue also keeps its length and its weight in the
 * cache's unit (cache_weight), which the segmented policies size against.
 * Invariant: a slot is on at most one queue, and len/weight are the sums over
 * exactly the slots linked from head to tail. */
#ifndef CDNSIM_QLIST_H
#define CDNSIM_QLIST_H

#include "models/cache/cache_policy.h"

#include <stdlib.h>
#include <string.h>

typedef struct qlist_links {
    uint32_t prev, next;   /* toward head, toward tail; CACHE_NO_SLOT at the ends */
} qlist_links_t;

typedef struct qlist {
    uint32_t head, tail;   /* CACHE_NO_SLOT when empty */
    uint64_t len;          /* slots linked */
    uint64_t weight;       /* their cache_weight sum */
} qlist_t;

static inline void qlist_init(qlist_t *q)
{
    q->head = q->tail = CACHE_NO_SLOT;
    q->len = q->weight = 0;
}

static inline qlist_links_t *qlist_at(cache_t *c, uint32_t s)
{
    return (qlist_links_t *)cache_meta(c, s);
}

static inline uint64_t qlist_slot_weight(cache_t *c, uint32_t s)
{
    return cache_weight(c, cache_entry_at(c, s)->size);
}

static inline void qlist_push_head(cache_t *c, qlist_t *q, uint32_t s)
{
    qlist_links_t *m = qlist_at(c, s);
    m->prev = CACHE_NO_SLOT;
    m->next = q->head;
    if (q->head != CACHE_NO_SLOT) qlist_at(c, q->head)->prev = s;
    else q->tail = s;
    q->head = s;
    q->len++;
    q->weight += qlist_slot_weight(c, s);
}

static inline void qlist_unlink(cache_t *c, qlist_t *q, uint32_t s)
{
    qlist_links_t *m = qlist_at(c, s);
    if (m->prev != CACHE_NO_SLOT) qlist_at(c, m->prev)->next = m->next;
    else q->head = m->next;
    if (m->next != CACHE_NO_SLOT) qlist_at(c, m->next)->prev = m->prev;
    else q->tail = m->prev;
    q->len--;
    q->weight -= qlist_slot_weight(c, s);
}

/* Moves s (on q) to q's head: the LRU "touch". */
static inline void qlist_to_head(cache_t *c, qlist_t *q, uint32_t s)
{
    if (q->head == s) return;
    qlist_unlink(c, q, s);
    qlist_push_head(c, q, s);
}

/* A byte per slot beside the slab (queue membership, flags, small counters),
 * grown from the policy's on_grow: 1 byte an object where a meta field would
 * take 8 after alignment. */
typedef struct qlist_tags {
    uint8_t *b;
    uint32_t n;
} qlist_tags_t;

/* Geometric, since the slab asks again at every chunk it adds. */
static inline int qlist_tags_grow(qlist_tags_t *t, uint32_t nslots)
{
    if (nslots <= t->n) return 0;
    uint64_t n = t->n ? (uint64_t)t->n + t->n / 2 : nslots;
    if (n < nslots || n > UINT32_MAX) n = nslots;
    uint8_t *b = realloc(t->b, n);
    if (!b) return -1;
    memset(b + t->n, 0, n - t->n);
    t->b = b;
    t->n = (uint32_t)n;
    return 0;
}

#endif
