/* lfu — least frequently used, frequency counted while the object is cached;
 * among the least frequent, the least recently requested goes first.
 *
 * O(1) per request with frequency buckets: a list of buckets in increasing
 * frequency, each bucket a queue of the objects with that count, newest at
 * its head. A hit moves the object from bucket f to bucket f+1 (created next
 * to f when absent); an emptied bucket is freed. An object enters bucket f at
 * its latest request, so each bucket's tail is its least recently used, and
 * the victim is the tail of the first bucket. Buckets exist only for counts
 * some cached object has (at most one per object, in practice far fewer).
 * Invariant: buckets are nonempty and strictly increasing in frequency along
 * the bucket list; bucket_of[slot] names the bucket each cached object is on. */
#include "models/cache/qlist.h"

#include <stdlib.h>

#define NO_BUCKET UINT32_MAX


typedef struct bucket {
    qlist_t objs;
    uint64_t freq;
    uint32_t prev, next;   /* lower and higher frequency; next chains free buckets */
} bucket_t;

typedef struct lfu {
    bucket_t *b;
    uint32_t nb;           /* allocated */
    uint32_t free_head;
    uint32_t lowest;       /* NO_BUCKET when the cache is empty */
    uint32_t *bucket_of;   /* each slot's bucket, beside the slab (4 bytes, where
                            * a meta field would cost 8 with alignment) */
    uint32_t nslots;
} lfu_t;

static int grow(lfu_t *l)
{
    uint64_t n = l->nb ? (uint64_t)l->nb * 2 : 64;
    if (n >= NO_BUCKET) return -1;
    bucket_t *b = realloc(l->b, n * sizeof *b);
    if (!b) return -1;
    l->b = b;
    for (uint64_t i = n; i-- > l->nb;) {
        l->b[i].next = l->free_head;
        l->free_head = (uint32_t)i;
    }
    l->nb = (uint32_t)n;
    return 0;
}

static int lfu_create(cache_t *c, void **state, char *err, size_t errlen)
{
    lfu_t *l = calloc(1, sizeof *l);
    if (!l) return -1;
    l->free_head = l->lowest = NO_BUCKET;
    if (grow(l) != 0) { free(l); return -1; }
    *state = l;
    return 0;
}

static void lfu_destroy(void *state)
{
    lfu_t *l = state;
    free(l->b);
    free(l->bucket_of);
    free(l);
}

/* A new bucket of frequency f right after `after` (NO_BUCKET: at the front);
 * NO_BUCKET when none is free. Keeps one spare for the next call when it can. */
static uint32_t new_bucket(lfu_t *l, uint32_t after, uint64_t f)
{
    uint32_t i = l->free_head;
    if (i == NO_BUCKET) return NO_BUCKET;
    l->free_head = l->b[i].next;
    bucket_t *b = &l->b[i];
    qlist_init(&b->objs);
    b->freq = f;
    b->prev = after;
    b->next = after == NO_BUCKET ? l->lowest : l->b[after].next;
    if (b->next != NO_BUCKET) l->b[b->next].prev = i;
    if (after == NO_BUCKET) l->lowest = i;
    else l->b[after].next = i;
    if (l->free_head == NO_BUCKET) grow(l); /* on failure: degrade, see lfu_hit */
    return i;
}

static void drop_if_empty(lfu_t *l, uint32_t i)
{
    bucket_t *b = &l->b[i];
    if (b->objs.len) return;
    if (b->prev != NO_BUCKET) l->b[b->prev].next = b->next;
    else l->lowest = b->next;
    if (b->next != NO_BUCKET) l->b[b->next].prev = b->prev;
    b->next = l->free_head;
    l->free_head = i;
}

static int lfu_grow(cache_t *c, void *state, uint32_t nslots)
{
    lfu_t *l = state;
    if (nslots <= l->nslots) return 0;
    /* geometric: the slab asks again at every chunk it adds */
    uint64_t n = l->nslots ? (uint64_t)l->nslots + l->nslots / 2 : nslots;
    if (n < nslots || n > UINT32_MAX) n = nslots;
    uint32_t *b = realloc(l->bucket_of, n * sizeof *b);
    if (!b) return -1;
    l->bucket_of = b;
    l->nslots = (uint32_t)n;
    return 0;
}

static void lfu_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    lfu_t *l = state;
    uint32_t i = l->lowest;
    if (i == NO_BUCKET || l->b[i].freq != 1) i = new_bucket(l, NO_BUCKET, 1);
    if (i == NO_BUCKET) i = l->lowest; /* out of memory: join the lowest count */
    l->bucket_of[s] = i;
    qlist_push_head(c, &l->b[i].objs, s);
}

static void lfu_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    lfu_t *l = state;
    uint32_t from = l->bucket_of[s];
    uint64_t f = l->b[from].freq + 1;
    uint32_t to = l->b[from].next;
    if (to == NO_BUCKET || l->b[to].freq != f) to = new_bucket(l, from, f);
    if (to == NO_BUCKET) { /* out of memory: keep the count, refresh recency */
        qlist_to_head(c, &l->b[from].objs, s);
        return;
    }
    qlist_unlink(c, &l->b[from].objs, s);
    l->bucket_of[s] = to;
    qlist_push_head(c, &l->b[to].objs, s);
    drop_if_empty(l, from);
}

static uint32_t lfu_victim(cache_t *c, void *state, const cache_req_t *r)
{
    lfu_t *l = state;
    return l->lowest == NO_BUCKET ? CACHE_NO_SLOT : l->b[l->lowest].objs.tail;
}

static void lfu_remove(cache_t *c, void *state, uint32_t s)
{
    lfu_t *l = state;
    uint32_t i = l->bucket_of[s];
    qlist_unlink(c, &l->b[i].objs, s);
    drop_if_empty(l, i);
}

static size_t lfu_memory(const void *state)
{
    const lfu_t *l = state;
    return l->nb * sizeof(bucket_t) + (size_t)l->nslots * sizeof(uint32_t);
}

const cache_policy_t cache_policy_lfu = {
    .name = "lfu",
    .meta_size = sizeof(qlist_links_t),
    .create = lfu_create,
    .destroy = lfu_destroy,
    .on_insert = lfu_insert,
    .on_hit = lfu_hit,
    .victim = lfu_victim,
    .on_remove = lfu_remove,
    .on_grow = lfu_grow,
    .memory = lfu_memory,
};
