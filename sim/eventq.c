/* eventq — 4-ary heap with pooled event records; see eventq.h. */
#include "sim/eventq.h"

#include <stdlib.h>
#include <string.h>

#define ARITY 4
#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)

typedef struct entry {
    simtime_t time;
    uint64_t seq_slot; /* sequence << SLOT_BITS | slot */
} entry_t;

typedef struct record {
    event_payload_t p;
    uint32_t gen;       /* bumped each time the slot is freed */
    uint32_t next_free; /* free-list link, valid only while free */
    bool cancelled;
} record_t;

struct eventq {
    entry_t *heap;
    size_t n;          /* entries in heap[0..n), the root included even if a hole */
    size_t cap;
    bool hole;         /* heap[0] is logically empty (after a pop) */
    record_t *pool;
    uint32_t pool_cap;
    uint32_t free_head; /* UINT32_MAX when the free list is empty */
    size_t live;        /* pending, not cancelled */
    uint64_t seq;
};

static inline bool before(const entry_t *a, const entry_t *b)
{
    return a->time < b->time || (a->time == b->time && a->seq_slot < b->seq_slot);
}

eventq_t *eventq_create(size_t initial_capacity)
{
    eventq_t *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->cap = initial_capacity < 16 ? 16 : initial_capacity;
    q->heap = malloc(q->cap * sizeof *q->heap);
    q->free_head = UINT32_MAX;
    if (!q->heap) { free(q); return NULL; }
    return q;
}

void eventq_destroy(eventq_t *q)
{
    if (!q) return;
    free(q->heap);
    free(q->pool);
    free(q);
}

static void sift_down(entry_t *h, size_t n, size_t i, entry_t e)
{
    for (;;) {
        size_t c = i * ARITY + 1;
        if (c >= n) break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (before(&h[k], &h[best])) best = k;
        if (!before(&h[best], &e)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

static void sift_up(entry_t *h, size_t i, entry_t e)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!before(&e, &h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* Closes a pending hole by moving the last entry to the root. */
static void fill_hole(eventq_t *q)
{
    if (!q->hole) return;
    q->hole = false;
    q->n--;
    if (q->n > 0) sift_down(q->heap, q->n, 0, q->heap[q->n]);
}

static uint32_t alloc_slot(eventq_t *q)
{
    if (q->free_head != UINT32_MAX) {
        uint32_t s = q->free_head;
        q->free_head = q->pool[s].next_free;
        return s;
    }
    if (q->pool_cap == EVENTQ_MAX_PENDING) return UINT32_MAX;
    uint32_t old = q->pool_cap, cap = old ? old * 2 : 1024;
    if (cap > EVENTQ_MAX_PENDING) cap = EVENTQ_MAX_PENDING;
    record_t *p = realloc(q->pool, (size_t)cap * sizeof *p);
    if (!p) return UINT32_MAX;
    memset(p + old, 0, (size_t)(cap - old) * sizeof *p);
    q->pool = p;
    q->pool_cap = cap;
    /* thread the new slots, lowest first, so slot order is deterministic */
    for (uint32_t s = cap - 1; s > old; s--) {
        p[s].next_free = q->free_head;
        q->free_head = s;
    }
    return old;
}

static void free_slot(eventq_t *q, uint32_t s)
{
    q->pool[s].gen++;
    q->pool[s].next_free = q->free_head;
    q->free_head = s;
}

event_handle_t eventq_push(eventq_t *q, simtime_t t, const event_payload_t *p)
{
    uint32_t s = alloc_slot(q);
    if (s == UINT32_MAX) return 0;
    if (!q->hole && q->n == q->cap) {
        entry_t *h = realloc(q->heap, q->cap * 2 * sizeof *h);
        if (!h) { free_slot(q, s); return 0; }
        q->heap = h;
        q->cap *= 2;
    }
    record_t *r = &q->pool[s];
    r->p = *p;
    r->cancelled = false;
    entry_t e = { t, (q->seq++ << SLOT_BITS) | s };
    if (q->hole) {
        q->hole = false;
        sift_down(q->heap, q->n, 0, e);
    } else {
        sift_up(q->heap, q->n++, e);
    }
    q->live++;
    return ((uint64_t)(r->gen + 1) << 32) | s; /* gen+1 keeps handles nonzero */
}

bool eventq_pop(eventq_t *q, simtime_t *t, event_payload_t *out)
{
    for (;;) {
        fill_hole(q);
        if (q->n == 0) return false;
        uint32_t s = (uint32_t)(q->heap[0].seq_slot & SLOT_MASK);
        simtime_t when = q->heap[0].time;
        q->hole = true;
        record_t *r = &q->pool[s];
        bool skip = r->cancelled;
        if (!skip) { *t = when; *out = r->p; q->live--; }
        free_slot(q, s);
        if (!skip) return true;
    }
}

simtime_t eventq_peek_time(eventq_t *q)
{
    for (;;) {
        fill_hole(q);
        if (q->n == 0) return SIMTIME_MAX;
        uint32_t s = (uint32_t)(q->heap[0].seq_slot & SLOT_MASK);
        if (!q->pool[s].cancelled) return q->heap[0].time;
        q->hole = true; /* drop the cancelled root */
        free_slot(q, s);
    }
}

bool eventq_cancel(eventq_t *q, event_handle_t h)
{
    uint32_t s = (uint32_t)h, gen = (uint32_t)(h >> 32);
    if (h == 0 || s >= q->pool_cap) return false;
    record_t *r = &q->pool[s];
    if (r->gen + 1 != gen || r->cancelled) return false;
    r->cancelled = true;
    q->live--;
    return true;
}

size_t eventq_size(const eventq_t *q) { return q->live; }
uint64_t eventq_pushed(const eventq_t *q) { return q->seq; }

bool eventq_check(const eventq_t *q)
{
    size_t start = q->hole ? 1 : 0, live = 0;
    for (size_t i = start; i < q->n; i++) {
        if (i > 0 && (i - 1) / ARITY >= start && before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return false;
        uint32_t s = (uint32_t)(q->heap[i].seq_slot & SLOT_MASK);
        if (s >= q->pool_cap) return false;
        if (!q->pool[s].cancelled) live++;
    }
    return live == q->live;
}
