/* eventq — a ladder queue with a sorted bottom; see eventq.h for the design.
 *
 * Layout, front to back (every entry in one part precedes, by (time, seq),
 * every entry in the parts after it):
 *
 *   ins     a binary heap of entries pushed at u <= bmax after the bottom was
 *           filled that would not go at the bottom's end; usually empty.
 *   bottom  a sorted array, consumed from bpos; every entry has u <= bmax.
 *           Pushes at u <= bmax that sort after its last entry (ties at
 *           `now`, zero delays) are appended to it.
 *   rungs   rung[nr-1] (finest) .. rung[0] (coarsest): unsorted buckets of
 *           2^shift ns each; rung r holds bmax < u <= last[r], and rung r+1's
 *           whole range lies below rung r's current bucket.
 *   top     one unsorted bucket for u > last[0] (u > bmax without rungs).
 *   stage   pushes with u > bmax, not yet filed into a bucket; filed in one
 *           batch (each bucket prefetched) before anything is taken.
 *
 * Times are kept as u = time ^ 2^63, so unsigned order is signed order and
 * the whole int64 range works with unsigned shifts. */
#include "sim/eventq.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define SEQ_LIMIT (1ull << (64 - SLOT_BITS)) /* keys are seq << SLOT_BITS | slot */
#define SIGN (1ull << 63)

#define CHUNK 8             /* entries a chunk: two 64-byte lines */
#define PER_BUCKET 6        /* entries a front bucket, when a rung is made (12 sorted 1% more instructions) */
#define THRES 48            /* a bucket this small is sorted into the bottom */
#define MAX_RUNGS 16        /* deeper buckets are sorted whatever their size */
#define RANK_MAX 64         /* buckets up to this size are sorted by rank, */
#define RANK_BITS 6         /* with the index in the low bits of the word */
#define INSERTION_MAX 48    /* else insertion up to this size, else qsort */
#define COMPACT_MIN 4096    /* cancelled entries tolerated before a sweep */
#define PREFETCH_MIN 16384  /* pending events past which records miss caches */
#define STAGE 32            /* pushes filed into buckets as one batch */
#define NONE UINT32_MAX

typedef struct entry {
    uint64_t u;   /* time ^ SIGN */
    uint64_t key; /* seq << SLOT_BITS | slot: unique, orders ties by scheduling */
} entry_t;

typedef struct chunk { entry_t e[CHUNK]; } chunk_t;

/* An unsorted bag of entries: a list of chunks, newest first; only the head
 * chunk may be partly filled (n % CHUNK entries when n % CHUNK != 0). */
typedef struct bucket {
    uint32_t head;
    uint32_t n;
} bucket_t;

typedef struct rung {
    uint64_t start;  /* u of bucket 0's first nanosecond */
    uint64_t last;   /* largest u this rung accepts (inclusive) */
    unsigned shift;  /* bucket width is 2^shift */
    uint32_t nb;     /* buckets in use */
    uint32_t cur;    /* buckets below cur are consumed and empty */
    uint32_t cap;
    bucket_t *b;
} rung_t;

/* A pending event's payload; key is the entry's key while it is pending and
 * live, 0 once it ran, was cancelled or the slot is free. */
typedef struct record {
    event_payload_t p;
    uint64_t key;
} record_t;

struct eventq {
    entry_t *ins;        /* heap, ins_n entries */
    size_t ins_n, ins_cap;
    entry_t *bottom;     /* sorted, live part is [bpos, bn) */
    size_t bpos, bn, bcap;
    uint64_t bmax;       /* ins and bottom take every u <= bmax */
    rung_t rung[MAX_RUNGS];
    unsigned nr;         /* rungs in use */
    bucket_t top;
    uint64_t top_min, top_max; /* valid while top.n > 0 */
    entry_t stage[STAGE]; /* pushes with u > bmax not yet in a bucket */
    unsigned ns;

    chunk_t *chunks;
    uint32_t *chunk_next; /* list link, or free-list link */
    uint32_t chunk_cap, chunk_free, chunk_nfree;

    entry_t *scratch;    /* a bucket being split or sorted */
    size_t scratch_cap;

    record_t *pool;
    uint32_t *free_stack; /* free slots, the most recently freed on top */
    uint32_t pool_cap, nfree;

    size_t live;          /* pending, not cancelled */
    size_t dead;          /* cancelled entries still stored */
    uint64_t pushed;      /* sequence numbers handed out */
    uint64_t popped;      /* key of the event popped last */
};

static inline bool before(entry_t a, entry_t b)
{
    return a.u < b.u || (a.u == b.u && a.key < b.key);
}

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* A fresh array of `bytes`, line-aligned; from 1 MiB up, on 2 MiB-aligned
 * memory the kernel is asked to back with huge pages: the arrays below are
 * touched at random, and with 4 KiB pages most of those touches would also
 * miss the TLB. */
static void *big_alloc(size_t bytes)
{
    if (bytes < (1u << 20)) return aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    size_t huge = (size_t)2 << 20, rounded = (bytes + huge - 1) & ~(huge - 1);
    void *p = aligned_alloc(huge, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* Like realloc for big_alloc arrays: the old array's first `old` bytes move. */
static void *big_realloc(void *p, size_t old, size_t bytes)
{
    void *n = big_alloc(bytes);
    if (!n) return NULL;
    if (old) memcpy(n, p, old);
    free(p);
    return n;
}

/* p grown to hold `need` elements (doubling); NULL, with p intact, when out of
 * memory. */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *n = big_realloc(p, *cap * elem, c * elem);
    if (n) *cap = c;
    return n;
}

/* ---- chunks and buckets ---- */

/* At least `need` free chunks, or false. */
static bool chunk_reserve(eventq_t *q, size_t need)
{
    while (q->chunk_nfree < need) {
        uint32_t old = q->chunk_cap, cap = old ? old * 2 : 256;
        if (old >= UINT32_MAX / 2) return false;
        /* line-aligned, so a chunk spans two lines, not three */
        chunk_t *c = big_realloc(q->chunks, (size_t)old * sizeof *c, (size_t)cap * sizeof *c);
        if (!c) return false;
        q->chunks = c;
        uint32_t *nx = big_realloc(q->chunk_next, (size_t)old * sizeof *nx, (size_t)cap * sizeof *nx);
        if (!nx) return false;
        q->chunk_next = nx;
        q->chunk_cap = cap;
        for (uint32_t i = cap; i-- > old;) {
            nx[i] = q->chunk_free;
            q->chunk_free = i;
        }
        q->chunk_nfree += cap - old;
    }
    return true;
}

static inline uint32_t chunk_alloc(eventq_t *q)
{
    if (q->chunk_nfree == 0 && !chunk_reserve(q, 1)) return NONE;
    uint32_t c = q->chunk_free;
    q->chunk_free = q->chunk_next[c];
    q->chunk_nfree--;
    return c;
}

static inline bool bucket_add(eventq_t *q, bucket_t *b, entry_t e)
{
    uint32_t i = b->n % CHUNK;
    if (i == 0) {
        uint32_t c = chunk_alloc(q);
        if (c == NONE) return false;
        q->chunk_next[c] = b->head;
        b->head = c;
    }
    q->chunks[b->head].e[i] = e;
    b->n++;
    return true;
}

/* Moves a bucket's entries to scratch[0..n) and frees its chunks; returns n
 * and the smallest and largest u. Scratch capacity is checked by callers. */
static size_t bucket_take(eventq_t *q, bucket_t *b, uint64_t *lo, uint64_t *hi)
{
    size_t n = b->n, k = 0;
    uint64_t mn = UINT64_MAX, mx = 0;
    uint32_t c = b->head, inhead = (uint32_t)(n % CHUNK ? n % CHUNK : CHUNK);
    while (k < n) {
        const entry_t *e = q->chunks[c].e;
        for (uint32_t i = 0; i < inhead; i++) {
            q->scratch[k++] = e[i];
            if (e[i].u < mn) mn = e[i].u;
            if (e[i].u > mx) mx = e[i].u;
        }
        uint32_t next = q->chunk_next[c];
        q->chunk_next[c] = q->chunk_free;
        q->chunk_free = c;
        q->chunk_nfree++;
        c = next;
        inhead = CHUNK;
    }
    b->n = 0;
    *lo = mn;
    *hi = mx;
    return n;
}

/* ---- the ins heap ---- */

static void ins_push(eventq_t *q, entry_t e)
{
    size_t i = q->ins_n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(e, q->ins[p])) break;
        q->ins[i] = q->ins[p];
        i = p;
    }
    q->ins[i] = e;
}

static void ins_pop(eventq_t *q)
{
    size_t n = --q->ins_n, i = 0;
    entry_t e = q->ins[n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(q->ins[c + 1], q->ins[c])) c++;
        if (!before(q->ins[c], e)) break;
        q->ins[i] = q->ins[c];
        i = c;
    }
    if (n > 0) q->ins[i] = e;
}

/* ---- sorting a bucket into the bottom ---- */

static int cmp_entry(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    return before(*x, *y) ? -1 : before(*y, *x) ? 1 : 0;
}

static void insertion_sort(entry_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        entry_t e = a[i];
        size_t j = i;
        while (j > 0 && before(e, a[j - 1])) { a[j] = a[j - 1]; j--; }
        a[j] = e;
    }
}

/* Sorts src[0..n) (u within [lo, hi]) into dst. Each entry's offset from lo
 * and its index are packed in one word and the words sorted without
 * branches (an insertion sort here paid a misprediction an entry): the usual
 * bucket, up to 16 entries, by a sorting network; up to 64 by rank (an
 * entry's place is the number of smaller words). Equal times then get their
 * keys put in order by a final insertion pass, which costs nothing when
 * there are none. */
/* A compare-exchange of the network below, branchless (two cmovs). */
#define CX(a, b) do { uint64_t x_ = v[a], y_ = v[b]; v[a] = x_ < y_ ? x_ : y_; v[b] = x_ < y_ ? y_ : x_; } while (0)

/* Batcher's odd-even merge network on 8 or 16 words (19 or 63
 * compare-exchanges): no branch, and for the usual dozen entries about a
 * third of the rank sort's instructions. */
static inline void network8(uint64_t *v)
{
    CX(0,1); CX(2,3); CX(4,5); CX(6,7); CX(0,2); CX(1,3); CX(4,6); CX(5,7); CX(1,2); CX(5,6);
    CX(0,4); CX(1,5); CX(2,6); CX(3,7); CX(2,4); CX(3,5); CX(1,2); CX(3,4); CX(5,6);
}

static inline void network16(uint64_t *v)
{
    CX(0,1); CX(2,3); CX(4,5); CX(6,7); CX(8,9); CX(10,11); CX(12,13); CX(14,15);
    CX(0,2); CX(1,3); CX(4,6); CX(5,7); CX(8,10); CX(9,11); CX(12,14); CX(13,15);
    CX(1,2); CX(5,6); CX(9,10); CX(13,14);
    CX(0,4); CX(1,5); CX(2,6); CX(3,7); CX(8,12); CX(9,13); CX(10,14); CX(11,15);
    CX(2,4); CX(3,5); CX(10,12); CX(11,13);
    CX(1,2); CX(3,4); CX(5,6); CX(9,10); CX(11,12); CX(13,14);
    CX(0,8); CX(1,9); CX(2,10); CX(3,11); CX(4,12); CX(5,13); CX(6,14); CX(7,15);
    CX(4,8); CX(5,9); CX(6,10); CX(7,11);
    CX(2,4); CX(3,5); CX(6,8); CX(7,9); CX(10,12); CX(11,13);
    CX(1,2); CX(3,4); CX(5,6); CX(7,8); CX(9,10); CX(11,12); CX(13,14);
}
#undef CX

/* Equal times get their keys put in order (the packed words order them by
 * index): costs nothing when there are none. */
static inline void fix_ties(entry_t *dst, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (dst[i].u == dst[i - 1].u && dst[i].key < dst[i - 1].key) {
            insertion_sort(dst, n);
            break;
        }
}

static void sort_into(entry_t *restrict dst, const entry_t *restrict src, size_t n,
                      uint64_t lo, uint64_t hi)
{
    if (n <= 16 && hi - lo < (1ull << (64 - RANK_BITS))) {
        uint64_t v[16];
        for (size_t i = 0; i < n; i++) v[i] = (src[i].u - lo) << RANK_BITS | i;
        for (size_t i = n; i < 16; i++) v[i] = UINT64_MAX;
        if (n <= 8) network8(v); else network16(v);
        for (size_t i = 0; i < n; i++) dst[i] = src[v[i] & ((1u << RANK_BITS) - 1)];
        fix_ties(dst, n);
        return;
    }
    if (n <= RANK_MAX && hi - lo < (1ull << (64 - RANK_BITS))) {
        uint64_t v[RANK_MAX + 3];
        size_t m = (n + 3) & ~(size_t)3;
        for (size_t i = 0; i < n; i++) v[i] = (src[i].u - lo) << RANK_BITS | i;
        for (size_t i = n; i < m; i++) v[i] = UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
            uint64_t x = v[i];
            size_t r0 = 0, r1 = 0, r2 = 0, r3 = 0;
            for (size_t j = 0; j < m; j += 4) {
                r0 += v[j] < x;
                r1 += v[j + 1] < x;
                r2 += v[j + 2] < x;
                r3 += v[j + 3] < x;
            }
            dst[r0 + r1 + r2 + r3] = src[i];
        }
        fix_ties(dst, n);
        return;
    }
    memcpy(dst, src, n * sizeof *dst);
    if (n <= INSERTION_MAX) insertion_sort(dst, n);
    else qsort(dst, n, sizeof *dst, cmp_entry);
}

/* scratch[0..n), sorted, becomes the bottom (whose capacity push keeps at
 * every stored entry); bmax the largest u it stands for. */
static void dump(eventq_t *q, size_t n, uint64_t lo, uint64_t hi, uint64_t bmax)
{
    sort_into(q->bottom, q->scratch, n, lo, hi);
    q->bpos = 0;
    q->bn = n;
    q->bmax = bmax;
}

/* Spreads scratch[0..n) (u in [lo, hi], lo < hi) over a new finest rung.
 *
 * Bucket width: the mean distance from lo says how dense the entries are near
 * the front (for the usual exponential-like delays the density is highest
 * there), so 2^shift ~ PER_BUCKET * mean / n puts a few entries in each early
 * bucket; a uniform spread gets about half that. At most 2n + 64 buckets,
 * spanning 24 means or more: the entries past them (by Markov's inequality at
 * most 1/24 of them) go to the last bucket, or
 * back to the top when the rung is made from the top (`limit` UINT64_MAX).
 * Otherwise the rung accepts up to `limit`, its parent bucket's end.
 * False, with the entries still in scratch, when out of memory. */
static bool make_rung(eventq_t *q, size_t n, uint64_t lo, uint64_t hi, uint64_t limit)
{
    rung_t *r = &q->rung[q->nr];
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += (double)(q->scratch[i].u - lo);
    double width = sum / (double)n * PER_BUCKET / (double)n;
    unsigned s = 0;
    while (s < 63 && (double)(1ull << s) < width) s++;
    uint64_t range = hi - lo, maxnb = 2 * (uint64_t)n + 64;
    uint32_t nb = (uint32_t)((range >> s) >= maxnb ? maxnb : (range >> s) + 1);
    if (nb > r->cap) {
        size_t cap = r->cap;
        bucket_t *b = grow(r->b, &cap, nb, sizeof *b);
        if (!b) return false;
        r->b = b;
        r->cap = (uint32_t)cap;
    }
    /* so no bucket_add below fails: each bucket (and the top) takes a new
     * chunk every CHUNK entries */
    if (!chunk_reserve(q, n / CHUNK + nb + 2)) return false;
    memset(r->b, 0, nb * sizeof *r->b);
    uint64_t span = ((uint64_t)(nb - 1) << s) | ((1ull << s) - 1);
    r->start = lo;
    r->last = limit == UINT64_MAX ? sat_add(lo, span) : limit;
    r->shift = s;
    r->nb = nb;
    r->cur = 0;
    for (size_t i = 0; i < n; i++) {
        entry_t e = q->scratch[i];
        uint64_t k = (e.u - lo) >> s;
        if (e.u > r->last) {            /* only for a rung made from the top */
            if (q->top.n == 0 || e.u < q->top_min) q->top_min = e.u;
            if (q->top.n == 0 || e.u > q->top_max) q->top_max = e.u;
            bucket_add(q, &q->top, e);
            continue;
        }
        bucket_add(q, &r->b[k < nb ? k : nb - 1], e);
    }
    q->nr++;
    return true;
}

/* Memory-level parallelism for the next two buckets, which are taken a few
 * dozen pops from now: the records of the next one (its chunks were fetched
 * by the previous call) and the chunks of the one after, found through the
 * small chunk_next array without touching the chunks themselves. */
static void prefetch_ahead(const eventq_t *q, const rung_t *r)
{
    if (r->cur < r->nb) {
        const bucket_t *b = &r->b[r->cur];
        uint32_t c = b->head, k = b->n % CHUNK ? b->n % CHUNK : CHUNK;
        for (uint32_t left = b->n; left > 0; left -= k, k = CHUNK, c = q->chunk_next[c])
            for (uint32_t i = 0; i < k; i++)
                __builtin_prefetch(&q->pool[q->chunks[c].e[i].key & SLOT_MASK]);
    }
    if (r->cur + 1 < r->nb) {
        const bucket_t *b = &r->b[r->cur + 1];
        uint32_t c = b->head, k = b->n % CHUNK ? b->n % CHUNK : CHUNK;
        for (uint32_t left = b->n; left > 0; left -= k, k = CHUNK, c = q->chunk_next[c])
            __builtin_prefetch(&q->chunks[c]);
    }
}

static void flush(eventq_t *q);

/* Fills the bottom from the rungs or the top; precondition: bottom and ins
 * are empty. False when nothing is stored. Allocates nothing that can fail
 * to its result: a rung that cannot be made is sorted instead. */
static bool refill(eventq_t *q)
{
    if (q->ns) flush(q);
    for (;;) {
        bucket_t *b;
        uint64_t limit; /* the largest u the bucket stands for */
        if (q->nr == 0) {
            if (q->top.n == 0) return false;
            b = &q->top;
            limit = UINT64_MAX;
        } else {
            rung_t *r = &q->rung[q->nr - 1];
            while (r->cur < r->nb && r->b[r->cur].n == 0) r->cur++;
            if (r->cur == r->nb) { q->nr--; continue; }
            uint32_t c = r->cur++;
            b = &r->b[c];
            limit = r->last;
            if (c + 1 < r->nb) {
                uint64_t end = sat_add(r->start + ((uint64_t)c << r->shift),
                                       (1ull << r->shift) - 1);
                if (end < limit) limit = end;
            }
        }
        uint64_t lo, hi; /* scratch and bottom hold every stored entry: see push */
        size_t n = bucket_take(q, b, &lo, &hi);
        if (n > THRES && lo != hi && q->nr < MAX_RUNGS && make_rung(q, n, lo, hi, limit))
            continue;
        dump(q, n, lo, hi, b == &q->top ? hi : limit);
        if (q->nr > 0 && q->live > PREFETCH_MIN) prefetch_ahead(q, &q->rung[q->nr - 1]);
        return true;
    }
}

/* ---- public operations ---- */

eventq_t *eventq_create(size_t initial_capacity)
{
    eventq_t *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->chunk_free = NONE;
    uint32_t cap = 1024;
    while (cap < initial_capacity && cap < EVENTQ_MAX_PENDING) cap *= 2;
    q->pool = big_alloc((size_t)cap * sizeof *q->pool);
    q->free_stack = big_alloc((size_t)cap * sizeof *q->free_stack);
    if (!q->pool || !q->free_stack) { eventq_destroy(q); return NULL; }
    q->pool_cap = cap;
    for (uint32_t s = cap; s-- > 0;) {
        q->pool[s].key = 0;
        q->free_stack[q->nfree++] = s; /* slot 0 on top: deterministic order */
    }
    return q;
}

void eventq_destroy(eventq_t *q)
{
    if (!q) return;
    free(q->ins);
    free(q->bottom);
    for (unsigned r = 0; r < MAX_RUNGS; r++) free(q->rung[r].b);
    free(q->chunks);
    free(q->chunk_next);
    free(q->scratch);
    free(q->pool);
    free(q->free_stack);
    free(q);
}

static uint32_t slot_alloc(eventq_t *q)
{
    if (q->nfree) return q->free_stack[--q->nfree];
    if (q->pool_cap >= EVENTQ_MAX_PENDING) return NONE;
    uint32_t old = q->pool_cap, cap = old * 2;
    if (cap > EVENTQ_MAX_PENDING) cap = EVENTQ_MAX_PENDING;
    record_t *p = big_realloc(q->pool, (size_t)old * sizeof *p, (size_t)cap * sizeof *p);
    if (!p) return NONE;
    q->pool = p;
    uint32_t *fs = big_realloc(q->free_stack, (size_t)old * sizeof *fs, (size_t)cap * sizeof *fs);
    if (!fs) return NONE;
    q->free_stack = fs;
    q->pool_cap = cap;
    for (uint32_t s = cap; s-- > old + 1;) {
        p[s].key = 0;
        fs[q->nfree++] = s;
    }
    p[old].key = 0;
    return old;
}

static inline void slot_free(eventq_t *q, uint32_t s)
{
    q->pool[s].key = 0;
    q->free_stack[q->nfree++] = s;
}

/* Files an entry in the part of the ladder that covers its time. */
/* The bucket an entry with u > bmax belongs in. */
static inline bucket_t *far_bucket(eventq_t *q, uint64_t u)
{
    for (unsigned i = q->nr; i-- > 0;) {
        rung_t *r = &q->rung[i];
        if (u <= r->last) {
            uint64_t k = u < r->start ? 0 : (u - r->start) >> r->shift;
            if (k < r->cur) k = r->cur;     /* below the rung's front: its first bucket */
            if (k >= r->nb) k = r->nb - 1;  /* the last bucket runs up to `last` */
            return &r->b[k];
        }
    }
    return &q->top;
}

static inline void far_add(eventq_t *q, bucket_t *b, entry_t e)
{
    bucket_add(q, b, e); /* cannot fail: callers reserve chunks */
    if (b == &q->top) {
        if (q->top.n == 1 || e.u < q->top_min) q->top_min = e.u;
        if (q->top.n == 1 || e.u > q->top_max) q->top_max = e.u;
    }
}

/* Files the staged pushes. Each lands on a random bucket line and a random
 * chunk line; doing them as a batch, with prefetches a pass ahead, overlaps
 * those misses instead of paying them one after another. */
static void flush(eventq_t *q)
{
    bucket_t *to[STAGE];
    unsigned n = q->ns;
    for (unsigned i = 0; i < n; i++) {
        to[i] = far_bucket(q, q->stage[i].u);
        __builtin_prefetch(to[i], 1);
    }
    for (unsigned i = 0; i < n; i++)
        if (to[i]->n % CHUNK) __builtin_prefetch(&q->chunks[to[i]->head].e[to[i]->n % CHUNK], 1);
    for (unsigned i = 0; i < n; i++) far_add(q, to[i], q->stage[i]);
    q->ns = 0;
}

/* Files an entry in the part of the ladder that covers its time: the bottom
 * or the side heap if the bottom's range covers it, else the stage (then a
 * bucket). */
static bool place(eventq_t *q, entry_t e)
{
    if (e.u <= q->bmax) {
        /* Not before the bottom's last entry (a tie at `now`, the usual
         * case here): append, keeping the bottom sorted, in O(1). */
        if (q->bpos == q->bn || !before(e, q->bottom[q->bn - 1])) {
            if (q->bn == q->bcap) {
                if (q->bpos > 0 && q->bpos >= q->bn / 2) { /* reuse the consumed half */
                    memmove(q->bottom, q->bottom + q->bpos, (q->bn - q->bpos) * sizeof e);
                    q->bn -= q->bpos;
                    q->bpos = 0;
                } else {
                    size_t cap = q->bcap;
                    entry_t *b = grow(q->bottom, &cap, q->bn + 1, sizeof *b);
                    if (!b) return false;
                    q->bottom = b;
                    q->bcap = cap;
                }
            }
            q->bottom[q->bn++] = e;
            return true;
        }
        if (q->ins_n == q->ins_cap) {
            size_t cap = q->ins_cap;
            entry_t *h = grow(q->ins, &cap, q->ins_n + 1, sizeof *h);
            if (!h) return false;
            q->ins = h;
            q->ins_cap = cap;
        }
        ins_push(q, e);
        return true;
    }
    if (q->chunk_nfree <= q->ns && !chunk_reserve(q, q->ns + 1)) return false;
    if (q->live < PREFETCH_MIN) { /* the buckets are in cache: no batch to overlap misses */
        far_add(q, far_bucket(q, e.u), e);
        return true;
    }
    q->stage[q->ns++] = e;
    if (q->ns == STAGE) flush(q);
    return true;
}

/* Room for `need` entries in an array with capacity *cap, or false. */
static bool reserve(entry_t **a, size_t *cap, size_t need)
{
    if (need <= *cap) return true;
    entry_t *n = grow(*a, cap, need, sizeof *n);
    if (!n) return false;
    *a = n;
    return true;
}

event_handle_t eventq_push(eventq_t *q, simtime_t t, const event_payload_t *p)
{
    if (q->pushed + 1 >= SEQ_LIMIT) return 0;
    /* Any bucket may come to hold every stored entry, so scratch and bottom
     * grow here, where failing is an answer, and never when popping. */
    size_t stored = q->live + q->dead + 1;
    if (!reserve(&q->scratch, &q->scratch_cap, stored) || !reserve(&q->bottom, &q->bcap, stored))
        return 0;
    uint32_t s = slot_alloc(q);
    if (s == NONE) return 0;
    entry_t e = { (uint64_t)t ^ SIGN, ((q->pushed + 1) << SLOT_BITS) | s };
    if (!place(q, e)) { q->free_stack[q->nfree++] = s; return 0; }
    q->pushed++;
    record_t *r = &q->pool[s];
    r->p = *p;
    r->key = e.key;
    q->live++;
    return e.key;
}

/* The earliest stored entry, live or not, without removing it; false when
 * nothing is stored. */
static inline bool front(eventq_t *q, entry_t *e)
{
    if (q->ins_n == 0) {
        if (q->bpos == q->bn && !refill(q)) return false;
        *e = q->bottom[q->bpos];
        return true;
    }
    if (q->bpos < q->bn && before(q->bottom[q->bpos], q->ins[0]))
        *e = q->bottom[q->bpos];
    else
        *e = q->ins[0];
    return true;
}

/* Removes the entry front() returned. */
static inline void drop_front(eventq_t *q, entry_t e)
{
    if (q->bpos < q->bn && q->bottom[q->bpos].key == e.key) {
        q->bpos++;
    } else {
        ins_pop(q);
    }
}

/* The earliest live entry stays at the front; dead ones before it go. */
static inline bool live_front(eventq_t *q, entry_t *e)
{
    for (;;) {
        if (!front(q, e)) return false;
        if (q->pool[e->key & SLOT_MASK].key == e->key) return true;
        drop_front(q, *e);
        q->dead--;
    }
}

/* eventq_pop_until past its fast path: the heap, dead entries, a refill. */
static __attribute__((noinline)) bool pop_slow(eventq_t *q, simtime_t until, simtime_t *t,
                                               event_payload_t *out)
{
    entry_t e;
    if (!live_front(q, &e) || e.u > ((uint64_t)until ^ SIGN)) return false;
    drop_front(q, e);
    q->popped = e.key;
    uint32_t s = (uint32_t)(e.key & SLOT_MASK);
    *t = (simtime_t)(e.u ^ SIGN);
    *out = q->pool[s].p;
    slot_free(q, s);
    q->live--;
    return true;
}

/* The usual pop: the heap empty, the bottom's next entry live. Kept apart
 * from the rest so it saves no registers and makes no call. */
bool eventq_pop_until(eventq_t *q, simtime_t until, simtime_t *t, event_payload_t *out)
{
    if (q->ins_n == 0 && q->bpos < q->bn) {
        entry_t e = q->bottom[q->bpos];
        uint32_t s = (uint32_t)(e.key & SLOT_MASK);
        record_t *r = &q->pool[s];
        if (r->key == e.key) {
            if (e.u > ((uint64_t)until ^ SIGN)) return false;
            q->bpos++;
            q->popped = e.key;
            *t = (simtime_t)(e.u ^ SIGN);
            *out = r->p;
            r->key = 0;
            q->free_stack[q->nfree++] = s;
            q->live--;
            return true;
        }
    }
    return pop_slow(q, until, t, out);
}

bool eventq_pop(eventq_t *q, simtime_t *t, event_payload_t *out)
{
    return eventq_pop_until(q, SIMTIME_MAX, t, out);
}

simtime_t eventq_peek_time(eventq_t *q)
{
    entry_t e;
    return live_front(q, &e) ? (simtime_t)(e.u ^ SIGN) : SIMTIME_MAX;
}

static inline void keep(const eventq_t *q, entry_t e, entry_t *all, size_t *n)
{
    if (q->pool[e.key & SLOT_MASK].key == e.key) all[(*n)++] = e;
}

/* Gathers every live entry, drops the cancelled ones, and files the survivors
 * in the top again: cancelled entries never outnumber live ones for long. */
static void compact(eventq_t *q)
{
    if (q->ns) flush(q);
    size_t total = q->live + q->dead, n = 0, cap = 0;
    entry_t *all = grow(NULL, &cap, total ? total : 1, sizeof *all);
    if (!all || !chunk_reserve(q, q->live / CHUNK + 1)) { free(all); return; } /* later */
    for (size_t i = 0; i < q->ins_n; i++) keep(q, q->ins[i], all, &n);
    for (size_t i = q->bpos; i < q->bn; i++) keep(q, q->bottom[i], all, &n);
    uint64_t lo, hi;
    for (unsigned r = 0; r < q->nr; r++)
        for (uint32_t b = q->rung[r].cur; b < q->rung[r].nb; b++) {
            size_t k = bucket_take(q, &q->rung[r].b[b], &lo, &hi);
            for (size_t i = 0; i < k; i++) keep(q, q->scratch[i], all, &n);
        }
    size_t k = bucket_take(q, &q->top, &lo, &hi);
    for (size_t i = 0; i < k; i++) keep(q, q->scratch[i], all, &n);
    q->ins_n = 0;
    q->bpos = q->bn = 0;
    q->nr = 0;
    q->dead = 0;
    uint64_t mn = UINT64_MAX;
    for (size_t i = 0; i < n; i++) if (all[i].u < mn) mn = all[i].u;
    if (n > 0 && mn == 0) {
        /* nothing can sit below time INT64_MIN: the survivors become the bottom */
        free(q->scratch);
        q->scratch = all;
        q->scratch_cap = cap;
        dump(q, n, 0, UINT64_MAX, UINT64_MAX);
        return;
    }
    if (n > 0) q->bmax = mn - 1; /* every survivor belongs in the top */
    for (size_t i = 0; i < n; i++) far_add(q, &q->top, all[i]); /* chunks reserved above */
    free(all);
}

bool eventq_cancel(eventq_t *q, event_handle_t h)
{
    uint32_t s = (uint32_t)(h & SLOT_MASK);
    if (h == 0 || s >= q->pool_cap || q->pool[s].key != h) return false;
    slot_free(q, s); /* its entry is recognised as dead by the key mismatch */
    q->live--;
    q->dead++;
    if (q->dead > COMPACT_MIN && q->dead > q->live) compact(q);
    return true;
}

uint64_t eventq_popped_seq(const eventq_t *q) { return q->popped >> SLOT_BITS; }

uint64_t eventq_take_seq(eventq_t *q)
{
    if (q->pushed + 1 >= SEQ_LIMIT) return 0;
    return ++q->pushed;
}

size_t eventq_size(const eventq_t *q) { return q->live; }
uint64_t eventq_pushed(const eventq_t *q) { return q->pushed; }

/* ---- the invariant, checked ---- */

typedef struct tally { size_t live, all; } tally_t;

static bool count(const eventq_t *q, entry_t e, tally_t *t)
{
    uint32_t s = (uint32_t)(e.key & SLOT_MASK);
    if (s >= q->pool_cap || (e.key >> SLOT_BITS) == 0 || (e.key >> SLOT_BITS) > q->pushed)
        return false;
    t->all++;
    if (q->pool[s].key == e.key) t->live++;
    return true;
}

/* Every entry of b lies in [lo, hi] and above floor. */
static bool check_bucket(const eventq_t *q, const bucket_t *b, uint64_t floor, uint64_t lo,
                         uint64_t hi, tally_t *t)
{
    uint32_t c = b->head;
    size_t n = b->n, k = 0, inhead = n % CHUNK ? n % CHUNK : CHUNK;
    while (k < n) {
        if (c >= q->chunk_cap) return false;
        for (size_t i = 0; i < inhead; i++, k++) {
            entry_t e = q->chunks[c].e[i];
            if (e.u <= floor || e.u < lo || e.u > hi || !count(q, e, t)) return false;
        }
        c = q->chunk_next[c];
        inhead = CHUNK;
    }
    return true;
}

bool eventq_check(const eventq_t *q)
{
    tally_t t = { 0, 0 };
    for (size_t i = 0; i < q->ins_n; i++) {
        if (q->ins[i].u > q->bmax || !count(q, q->ins[i], &t)) return false;
        if (i > 0 && before(q->ins[i], q->ins[(i - 1) / 2])) return false;
    }
    for (size_t i = q->bpos; i < q->bn; i++) {
        if (q->bottom[i].u > q->bmax || !count(q, q->bottom[i], &t)) return false;
        if (i > q->bpos && before(q->bottom[i], q->bottom[i - 1])) return false;
    }
    if (q->ns >= STAGE || q->chunk_nfree < q->ns) return false;
    for (unsigned i = 0; i < q->ns; i++)
        if (q->stage[i].u <= q->bmax || !count(q, q->stage[i], &t)) return false;
    /* Rung by rung, finest first: everything lies above `floor`, the largest
     * u the finer parts accept. A bucket past cur holds only its own nominal
     * range (the last one up to `last`); the bucket at cur may also hold
     * entries clamped up from below its start. */
    uint64_t floor = q->bmax;
    for (unsigned r = q->nr; r-- > 0;) {
        const rung_t *g = &q->rung[r];
        if (g->cur > g->nb || g->nb == 0 || g->nb > g->cap || g->last < floor) return false;
        for (uint32_t b = 0; b < g->nb; b++) {
            if (b < g->cur) { if (g->b[b].n) return false; continue; }
            uint64_t bs = g->start + ((uint64_t)b << g->shift);
            uint64_t be = sat_add(bs, (1ull << g->shift) - 1);
            uint64_t hi = b + 1 == g->nb || be > g->last ? g->last : be;
            if (!check_bucket(q, &g->b[b], floor, b == g->cur ? 0 : bs, hi, &t)) return false;
        }
        floor = g->last;
    }
    if (q->top.n) {
        if (!check_bucket(q, &q->top, floor, q->top_min, q->top_max, &t)) return false;
    }
    size_t slots_live = 0;
    for (uint32_t s = 0; s < q->pool_cap; s++) slots_live += q->pool[s].key != 0;
    size_t chunks_free = 0;
    for (uint32_t c = q->chunk_free; c != NONE && chunks_free <= q->chunk_cap; c = q->chunk_next[c])
        chunks_free++;
    return t.live == q->live && t.all == q->live + q->dead && slots_live == q->live &&
           q->nfree + q->live == q->pool_cap && chunks_free == q->chunk_nfree;
}
