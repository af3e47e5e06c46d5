/* mrc — LRU stack distances over a Fenwick tree; see mrc.h.
 *
 * Times are positions 0..cap-1 of the tree; an object's mark sits at the
 * position of its latest request and is moved forward at each request.
 * When the positions run out, the live marks (one per object, in time
 * order) are renumbered 0..M-1 and the tree is rebuilt in O(cap): the
 * distances only depend on the order of the marks, so nothing changes but
 * the numbers; cap doubles when more than half of it is live, so the
 * renumbering costs O(1) a request amortised. */
#include "models/replay/mrc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/u64map.h"

#define NONE UINT32_MAX

typedef struct fen {
    uint64_t *t;          /* 1-based Fenwick cells, t[1..cap] */
    uint32_t *pos_obj;    /* the object whose mark is at a position, NONE */
    uint32_t cap, used;   /* positions, positions handed out */
} fen_t;

static void fen_add(fen_t *f, uint32_t pos, int64_t w)
{
    for (uint32_t i = pos + 1; i <= f->cap; i += i & -i) f->t[i] += (uint64_t)w;
}

/* The weight at positions 0..pos-1. */
static uint64_t fen_prefix(const fen_t *f, uint32_t pos)
{
    uint64_t s = 0;
    for (uint32_t i = pos; i > 0; i -= i & -i) s += f->t[i];
    return s;
}

typedef struct objs {
    uint32_t *pos;        /* each object's mark */
    uint32_t *size;       /* its size at its latest request */
    uint32_t n, cap;
} objs_t;

/* Renumbers the live marks 0..live-1 into a tree of newcap positions. */
static int fen_compact(fen_t *f, objs_t *o, bool by_bytes, uint32_t newcap)
{
    uint64_t *t = calloc((size_t)newcap + 1, sizeof *t);
    uint32_t *po = malloc((size_t)newcap * sizeof *po);
    if (!t || !po) { free(t); free(po); return -1; }
    uint32_t j = 0;
    for (uint32_t p = 0; p < f->used; p++) {
        uint32_t id = f->pos_obj[p];
        if (id == NONE) continue;
        po[j] = id;
        o->pos[id] = j;
        t[j + 1] = by_bytes ? o->size[id] : 1;
        j++;
    }
    for (uint32_t p = j; p < newcap; p++) po[p] = NONE;
    for (uint32_t i = 1; i <= newcap; i++) {   /* linear Fenwick construction */
        uint32_t up = i + (i & -i);
        if (up <= newcap) t[up] += t[i];
    }
    free(f->t);
    free(f->pos_obj);
    f->t = t;
    f->pos_obj = po;
    f->cap = newcap;
    f->used = j;
    return 0;
}

typedef struct reuse { uint64_t need, size; } reuse_t;

static int by_need(const void *a, const void *b)
{
    uint64_t x = ((const reuse_t *)a)->need, y = ((const reuse_t *)b)->need;
    return (x > y) - (x < y);
}

/* Appends a step, or adds to the last one when the need is the same. */
static void step_add(mrc_lru_t *m, uint64_t need, uint64_t hits, uint64_t bytes)
{
    if (m->nsteps && m->steps[m->nsteps - 1].need == need) {
        m->steps[m->nsteps - 1].hits += hits;
        m->steps[m->nsteps - 1].hit_bytes += bytes;
        return;
    }
    mrc_step_t prev = m->nsteps ? m->steps[m->nsteps - 1] : (mrc_step_t){ 0, 0, 0 };
    m->steps[m->nsteps++] = (mrc_step_t){ need, prev.hits + hits, prev.hit_bytes + bytes };
}

int mrc_lru_build(mrc_lru_t *m, const replay_buf_t *b, bool by_bytes, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->by_bytes = by_bytes;
    m->requests = b->n;
    u64map_t map;
    fen_t f = { 0 };
    objs_t o = { 0 };
    /* object mode: hist[d] requests at distance d (and their bytes), O(M);
     * byte mode: every reuse with its need, sorted afterwards */
    uint64_t *hist = NULL, *hist_bytes = NULL;
    reuse_t *re = NULL;
    size_t nre = 0;
    uint64_t live = 0;   /* the weight of every mark: objects, or their bytes */
    int rc = -1;
    if (u64map_init(&map, 1024) != 0) goto oom;
    if (fen_compact(&f, &o, by_bytes, 1024) != 0) goto oom;
    if (by_bytes && b->n && !(re = malloc(b->n * sizeof *re))) goto oom;
    for (uint64_t i = 0; i < b->n; i++) {
        uint64_t key = b->rec[i].key;
        uint32_t size = replay_size(b, i), id;
        /* the lookups of a large trace miss the processor's caches: start
         * the one a few requests ahead (as replay does) */
        if (i + 8 < b->n) u64map_prefetch(&map, b->rec[i + 8].key);
        m->bytes += size;
        if (size > m->max_size) m->max_size = size;
        if (f.used == f.cap) {
            uint32_t nc = f.cap;
            if ((uint64_t)o.n * 2 > nc) {
                if (nc > UINT32_MAX / 2) { snprintf(err, errlen, "more than 2^31 objects"); goto fail; }
                nc *= 2;
            }
            if (fen_compact(&f, &o, by_bytes, nc) != 0) goto oom;
        }
        if (u64map_get(&map, key, &id)) {
            uint32_t p = o.pos[id];
            /* the marks after p: all of them (`live`) less those up to p */
            uint64_t since = live - fen_prefix(&f, p + 1);
            if (by_bytes) re[nre++] = (reuse_t){ since + size, size };
            else { hist[since + 1]++; hist_bytes[since + 1] += size; }
            if (o.size[id] != size) m->size_changes++;
            fen_add(&f, p, -(int64_t)(by_bytes ? o.size[id] : 1));
            live -= by_bytes ? o.size[id] : 1;
            f.pos_obj[p] = NONE;
        } else {
            if (o.n == o.cap) {
                uint32_t nc = o.cap ? o.cap * 2 : 1024;
                uint32_t *np = realloc(o.pos, (size_t)nc * sizeof *np);
                if (np) o.pos = np;
                uint32_t *ns = realloc(o.size, (size_t)nc * sizeof *ns);
                if (ns) o.size = ns;
                if (!np || !ns) goto oom;
                if (!by_bytes) { /* a distance is at most the objects seen */
                    uint64_t *nh = realloc(hist, ((size_t)nc + 1) * sizeof *nh);
                    if (nh) hist = nh;
                    uint64_t *nb = realloc(hist_bytes, ((size_t)nc + 1) * sizeof *nb);
                    if (nb) hist_bytes = nb;
                    if (!nh || !nb) goto oom;
                    size_t from = o.cap ? (size_t)o.cap + 1 : 0;
                    memset(hist + from, 0, ((size_t)nc + 1 - from) * sizeof *hist);
                    memset(hist_bytes + from, 0, ((size_t)nc + 1 - from) * sizeof *hist_bytes);
                }
                o.cap = nc;
            }
            id = o.n++;
            if (u64map_put(&map, key, id) != 0) goto oom;
        }
        o.size[id] = size;
        o.pos[id] = f.used;
        f.pos_obj[f.used] = id;
        fen_add(&f, f.used, by_bytes ? size : 1);
        live += by_bytes ? size : 1;
        f.used++;
    }
    m->objects = o.n;
    for (uint32_t id = 0; id < o.n; id++) m->object_bytes += o.size[id];
    /* the steps: at most one per distinct need, and one per request at most */
    size_t most = by_bytes ? nre : (size_t)o.n;
    if (most && !(m->steps = malloc(most * sizeof *m->steps))) goto oom;
    if (by_bytes) {
        if (nre) qsort(re, nre, sizeof *re, by_need);
        for (size_t i = 0; i < nre; i++) step_add(m, re[i].need, 1, re[i].size);
    } else {
        for (uint64_t d = 1; d <= o.n; d++)
            if (hist[d]) step_add(m, d, hist[d], hist_bytes[d]);
    }
    rc = 0;
    goto done;
oom:
    snprintf(err, errlen, "out of memory computing the miss-ratio curve");
fail:
    mrc_lru_free(m);
done:
    free(hist);
    free(hist_bytes);
    free(re);
    free(f.t);
    free(f.pos_obj);
    free(o.pos);
    free(o.size);
    u64map_free(&map);
    return rc;
}

void mrc_lru_free(mrc_lru_t *m)
{
    free(m->steps);
    memset(m, 0, sizeof *m);
}

void mrc_lru_at(const mrc_lru_t *m, uint64_t c, uint64_t *misses, uint64_t *miss_bytes)
{
    /* the last step with need <= c */
    size_t lo = 0, hi = m->nsteps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->steps[mid].need <= c) lo = mid + 1;
        else hi = mid;
    }
    uint64_t hits = lo ? m->steps[lo - 1].hits : 0, hb = lo ? m->steps[lo - 1].hit_bytes : 0;
    *misses = m->requests - hits;
    *miss_bytes = m->bytes - hb;
}

double mrc_shards_ratio(uint64_t misses, uint64_t sampled, uint64_t read, double rate)
{
    double expected = (double)read * rate;
    if (rate >= 1 || expected < 1) return sampled ? (double)misses / (double)sampled : 0;
    double r = (double)misses / expected;
    return r > 1 ? 1 : r;
}

int mrc_working_set(const replay_buf_t *b, uint64_t *objects, uint64_t *bytes, uint64_t *max_size,
                    uint64_t *size_changes, char *err, size_t errlen)
{
    u64map_t map;
    uint32_t *size = NULL, n = 0, cap = 0;
    *objects = *bytes = *max_size = *size_changes = 0;
    if (u64map_init(&map, 1024) != 0) goto oom;
    for (uint64_t i = 0; i < b->n; i++) {
        uint32_t id, sz = replay_size(b, i);
        if (sz > *max_size) *max_size = sz;
        if (!u64map_get(&map, b->rec[i].key, &id)) {
            if (n == cap) {
                uint32_t *ns = realloc(size, ((size_t)cap * 2 + 1024) * sizeof *ns);
                if (!ns) goto oom;
                size = ns;
                cap = cap * 2 + 1024;
            }
            id = n++;
            if (u64map_put(&map, b->rec[i].key, id) != 0) goto oom;
        } else if (size[id] != sz) {
            ++*size_changes;
        }
        size[id] = sz;
    }
    *objects = n;
    for (uint32_t id = 0; id < n; id++) *bytes += size[id];
    free(size);
    u64map_free(&map);
    return 0;
oom:
    snprintf(err, errlen, "out of memory counting the objects");
    free(size);
    u64map_free(&map);
    return -1;
}

/* Checked one by one against each policy's header (models/cache/): every
 * segment, window, ghost list and sketch is sized as a share of the
 * capacity, and nothing counts time, so the miniature is the same policy. */
static const char *const sampled[] = {
    "lru", "fifo", "lfu", "sieve", "s3fifo", "arc", "clock", "random", "belady",
    "lfuda", "gdsf", "twoq", "tinylfu", NULL,
};

bool mrc_sampling_supported(const char *policy)
{
    for (int i = 0; sampled[i]; i++)
        if (!strcmp(sampled[i], policy)) return true;
    return false;
}

const char *const *mrc_sampling_policies(void) { return sampled; }

size_t mrc_grid(uint64_t lo, uint64_t hi, size_t k, uint64_t *out)
{
    if (lo < 1) lo = 1;
    if (hi < lo) hi = lo;
    if (k == 0) return 0;
    size_t n = 0;
    double a = log((double)lo), z = log((double)hi);
    for (size_t i = 0; i < k; i++) {
        double x = k == 1 ? z : a + (z - a) * (double)i / (double)(k - 1);
        uint64_t v = (uint64_t)llround(exp(x));
        if (i == k - 1) v = hi;
        if (v < lo) v = lo;
        if (n && v <= out[n - 1]) continue;
        out[n++] = v;
    }
    return n;
}
