/* slotheap — sift up and down over slot numbers; see slotheap.h. */
#include "models/cache/slotheap.h"

#include <stdlib.h>

static inline slotheap_node_t *node(cache_t *c, uint32_t s) { return cache_meta(c, s); }

static inline bool less(const slotheap_node_t *a, const slotheap_node_t *b)
{
    return a->hi != b->hi ? a->hi < b->hi : a->lo < b->lo;
}

void slotheap_init(slotheap_t *h) { h->heap = NULL; h->n = h->cap = 0; }
void slotheap_free(slotheap_t *h) { free(h->heap); slotheap_init(h); }

int slotheap_reserve_n(slotheap_t *h, uint32_t n)
{
    if (n <= h->cap) return 0;
    uint32_t *a = realloc(h->heap, (size_t)n * sizeof *a);
    if (!a) return -1;
    h->heap = a;
    h->cap = n;
    return 0;
}

int slotheap_reserve(slotheap_t *h)
{
    if (h->n < h->cap) return 0;
    uint64_t cap = h->cap ? (uint64_t)h->cap + h->cap / 2 : 1024;
    if (cap >= UINT32_MAX) return -1;
    uint32_t *a = realloc(h->heap, cap * sizeof *a);
    if (!a) return -1;
    h->heap = a;
    h->cap = (uint32_t)cap;
    return 0;
}

static void place(cache_t *c, slotheap_t *h, uint32_t i, uint32_t s)
{
    h->heap[i] = s;
    node(c, s)->pos = i;
}

static void sift_up(cache_t *c, slotheap_t *h, uint32_t i)
{
    uint32_t s = h->heap[i];
    const slotheap_node_t *k = node(c, s);
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!less(k, node(c, h->heap[parent]))) break;
        place(c, h, i, h->heap[parent]);
        i = parent;
    }
    place(c, h, i, s);
}

static void sift_down(cache_t *c, slotheap_t *h, uint32_t i)
{
    uint32_t s = h->heap[i];
    const slotheap_node_t *k = node(c, s);
    for (;;) {
        uint32_t l = 2 * i + 1;
        if (l >= h->n) break;
        uint32_t m = l;
        if (l + 1 < h->n && less(node(c, h->heap[l + 1]), node(c, h->heap[l]))) m = l + 1;
        if (!less(node(c, h->heap[m]), k)) break;
        place(c, h, i, h->heap[m]);
        i = m;
    }
    place(c, h, i, s);
}

void slotheap_push(cache_t *c, slotheap_t *h, uint32_t s)
{
    /* the policy reserved room in admit() */
    place(c, h, h->n++, s);
    sift_up(c, h, h->n - 1);
}

void slotheap_remove(cache_t *c, slotheap_t *h, uint32_t s)
{
    uint32_t i = node(c, s)->pos;
    uint32_t last = h->heap[--h->n];
    if (i == h->n) return;
    place(c, h, i, last);
    slotheap_update(c, h, last);
}

void slotheap_update(cache_t *c, slotheap_t *h, uint32_t s)
{
    uint32_t i = node(c, s)->pos;
    if (i > 0 && less(node(c, s), node(c, h->heap[(i - 1) / 2]))) sift_up(c, h, i);
    else sift_down(c, h, i);
}

bool slotheap_check(cache_t *c, const slotheap_t *h)
{
    for (uint32_t i = 0; i < h->n; i++) {
        if (node(c, h->heap[i])->pos != i) return false;
        if (i > 0 && less(node(c, h->heap[i]), node(c, h->heap[(i - 1) / 2]))) return false;
    }
    return true;
}
