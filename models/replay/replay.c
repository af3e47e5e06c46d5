/* replay — decode once, replay every (policy, capacity) pair; see replay.h.
 *
 * The loop per pair is the cache library's own request path, nothing else:
 * find, then touch or put. The index cell of the request a few ahead is
 * prefetched, since at 10^5 objects and more nearly every lookup misses the
 * processor's caches and the loop would otherwise wait on each one. */
#include "models/replay/replay.h"
#include "sim/hugealloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/cache/cache.h"
#include "models/workload/sample.h"
#include "models/workload/trace.h"

#define PREFETCH_AHEAD 8

/* Dense key numbers (replay_buf_t.nids) cost 4 bytes a number in every
 * cache: keys already small (a generator's 1..N, block numbers of a small
 * volume) are their own numbers when the array stays within twice the
 * requests; others are numbered in order of first appearance. Above
 * MAX_IDS numbers the caches hash keys as in a simulation. */
#define MAX_IDS (1u << 28)

typedef struct idmap {
    uint64_t *keys;   /* UINT64_MAX: empty (the id 2^64 - 1 is reserved) */
    uint32_t *ids;
    uint64_t cells, n;
} idmap_t;

static inline uint64_t idmap_home(uint64_t k, uint64_t cells)
{
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33;
    return ((k >> 32) * cells) >> 32;
}

static int idmap_grow(idmap_t *m)
{
    uint64_t cells = m->cells ? m->cells * 2 : 1 << 16;
    uint64_t *keys = malloc(cells * sizeof *keys);
    uint32_t *ids = malloc(cells * sizeof *ids);
    if (!keys || !ids) { free(keys); free(ids); return -1; }
    memset(keys, 0xff, cells * sizeof *keys);
    for (uint64_t i = 0; i < m->cells; i++) {
        if (m->keys[i] == UINT64_MAX) continue;
        uint64_t h = idmap_home(m->keys[i], cells);
        while (keys[h] != UINT64_MAX) if (++h == cells) h = 0;
        keys[h] = m->keys[i];
        ids[h] = m->ids[i];
    }
    free(m->keys); free(m->ids);
    m->keys = keys; m->ids = ids; m->cells = cells;
    return 0;
}

/* Numbers b's keys (b->nids, req[].id); leaves nids 0 when they would not
 * pay or memory runs out (the caches then hash keys: slower, same result). */
static void number_keys(replay_buf_t *b, uint64_t max_key)
{
    b->nids = 0;
    if (b->n == 0) return;
    if (max_key < MAX_IDS && max_key + 1 <= 2 * b->n + (1u << 20)) {
        /* ids already hold the keys (replay_load) */
        b->nids = (uint32_t)max_key + 1;
        return;
    }
    idmap_t m = { 0 };
    for (uint64_t i = 0; i < b->n; i++) {
        if ((m.n + 1) * 2 > m.cells && (m.n >= MAX_IDS || idmap_grow(&m) != 0)) goto out;
        uint64_t k = b->req[i].key, h = idmap_home(k, m.cells);
        while (m.keys[h] != UINT64_MAX && m.keys[h] != k) if (++h == m.cells) h = 0;
        if (m.keys[h] == UINT64_MAX) { m.keys[h] = k; m.ids[h] = (uint32_t)m.n++; }
        b->req[i].id = m.ids[h];
    }
    b->nids = (uint32_t)m.n;
out:
    free(m.keys);
    free(m.ids);
}

uint64_t replay_scaled(uint64_t c, double rate)
{
    if (rate >= 1) return c;
    double s = (double)c * rate + 0.5;
    return s < 1 ? 1 : (uint64_t)s;
}

void replay_free(replay_buf_t *b)
{
    free(b->req);
    free(b->next);
    memset(b, 0, sizeof *b);
}

int replay_load(replay_buf_t *b, const char *path, int format, bool need_next, double sample,
                char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->sample = sample;
    trace_t *t = trace_open(path, (trace_format_t)format, err, errlen);
    if (!t) return -2;
    if (need_next && format != TRACE_ORACLE_GENERAL && trace_annotate_next_access(t, err, errlen) != 0) {
        trace_close(t);
        return -2;
    }
    uint64_t cap = 0, thr = sample_threshold(sample);
    /* decoded a batch at a time (the reader's one-loop path), the batch
     * small enough to stay in the processor's cache while it is copied */
    enum { BATCH = 2048 };
    trace_req_t *r = malloc(BATCH * sizeof *r);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory decoding the trace", path);
        trace_close(t);
        return -1;
    }
    int64_t got;
    uint64_t max_key = 0;
    /* a plain oracleGeneral file says how many records it holds: one
     * allocation of the right size (a compressed one only starts there) */
    struct stat st;
    if (format == TRACE_ORACLE_GENERAL && stat(path, &st) == 0 && st.st_size >= 24) {
        cap = (uint64_t)st.st_size / 24;
        b->req = huge_alloc(cap * sizeof *b->req);
        b->next = need_next ? huge_alloc(cap * sizeof *b->next) : NULL;
        if (!b->req || (need_next && !b->next)) {
            free(b->req); free(b->next);
            b->req = NULL, b->next = NULL, cap = 0;
        }
    }
    while ((got = trace_next_many(t, r, BATCH, err, errlen)) > 0) {
        b->read += (uint64_t)got;
        if (b->n + (uint64_t)got > cap) {
            while (b->n + (uint64_t)got > cap) cap = cap ? cap * 2 : 1 << 16;
            replay_req_t *q = realloc(b->req, cap * sizeof *q);
            int64_t *nx = need_next ? realloc(b->next, cap * sizeof *nx) : NULL;
            if (q) b->req = q;
            if (nx) b->next = nx;
            if (!q || (need_next && !nx)) {
                snprintf(err, errlen, "%s: out of memory decoding the trace", path);
                free(r);
                trace_close(t);
                replay_free(b);
                return -1;
            }
        }
        replay_req_t *q = b->req + b->n;
        uint64_t k = 0;
        if (thr == UINT64_MAX) {
            for (int64_t i = 0; i < got; i++) {
                /* the id a small key will have (number_keys), set now
                 * rather than in a second pass over the buffer */
                q[i] = (replay_req_t){ r[i].key, r[i].size, (uint32_t)r[i].key };
                if (r[i].key > max_key) max_key = r[i].key;
            }
            if (need_next)
                for (int64_t i = 0; i < got; i++) b->next[b->n + (uint64_t)i] = r[i].next_access;
            k = (uint64_t)got;
        } else {
            for (int64_t i = 0; i < got; i++) {
                if (!sample_keep(r[i].key, thr)) continue;
                q[k] = (replay_req_t){ r[i].key, r[i].size, (uint32_t)r[i].key };
                if (r[i].key > max_key) max_key = r[i].key;
                if (need_next) b->next[b->n + k] = r[i].next_access;
                k++;
            }
        }
        b->n += k;
    }
    int rc = got < 0 ? -1 : 0;
    free(r);
    trace_close(t);
    if (rc < 0) { replay_free(b); return -2; }
    number_keys(b, max_key);
    return 0;
}

static void run_pair(const replay_buf_t *b, replay_pair_t *p)
{
    cache_config_t cfg = { .policy = p->policy,
                           .capacity_objects = p->by_bytes ? 0 : p->capacity,
                           .capacity_bytes = p->by_bytes ? p->capacity : 0,
                           .seed = 1, .stream = "replay.cache" };
    cache_t *c = b->nids ? cache_create_ids(&cfg, b->nids, p->err, sizeof p->err)
                         : cache_create(&cfg, p->err, sizeof p->err);
    if (!c) { p->status = -1; return; }
    uint64_t misses = 0, bytes = 0, miss_bytes = 0;
    const replay_req_t *q = b->req;
    const int64_t *next = b->next;
    uint64_t n = b->n;
    if (b->nids) {
        /* the index cell of the request 2 * AHEAD on, then (the cell now at
         * hand) the entry of the one AHEAD on */
        for (uint64_t i = 0; i < n; i++) {
            if (i + 2 * PREFETCH_AHEAD < n) cache_prefetch_id(c, q[i + 2 * PREFETCH_AHEAD].id, false);
            if (i + PREFETCH_AHEAD < n) cache_prefetch_id(c, q[i + PREFETCH_AHEAD].id, true);
            cache_req_t r = { q[i].key, q[i].size, (simtime_t)i, next ? next[i] : -1 };
            bytes += r.size;
            cache_entry_t *e = cache_find_id(c, q[i].id);
            if (e) {
                cache_touch(c, e, &r);
            } else {
                misses++;
                miss_bytes += r.size;
                cache_put_id(c, &r, q[i].id);
            }
        }
    }
    for (uint64_t i = 0; i < n && !b->nids; i++) {
        if (i + PREFETCH_AHEAD < n) cache_prefetch(c, q[i + PREFETCH_AHEAD].key);
        cache_req_t r = { q[i].key, q[i].size, (simtime_t)i, next ? next[i] : -1 };
        bytes += r.size;
        cache_entry_t *e = cache_find(c, r.key);
        if (e) {
            cache_touch(c, e, &r);
        } else {
            misses++;
            miss_bytes += r.size;
            cache_put(c, &r, SIMTIME_MAX, 0);
        }
    }
    cache_destroy(c);
    p->requests = n;
    p->misses = misses;
    p->bytes = bytes;
    p->miss_bytes = miss_bytes;
    p->status = 0;
}

typedef struct work {
    const replay_buf_t *b;
    replay_pair_t *pairs;
    size_t n;
    atomic_size_t next;
} work_t;

static void *worker(void *arg)
{
    work_t *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) run_pair(w->b, &w->pairs[i]);
    return NULL;
}

int replay_run(const replay_buf_t *b, replay_pair_t *pairs, size_t n, int threads, char *err,
               size_t errlen)
{
    work_t w = { .b = b, .pairs = pairs, .n = n };
    atomic_init(&w.next, 0);
    if (threads < 1) threads = 1;
    if ((size_t)threads > n) threads = (int)n;
    pthread_t *tid = threads > 1 ? calloc((size_t)threads, sizeof *tid) : NULL;
    int started = 0;
    for (int i = 1; tid && i < threads; i++, started++)
        if (pthread_create(&tid[i], NULL, worker, &w) != 0) break;
    worker(&w);   /* this thread is one of them */
    for (int i = 1; i <= started; i++) pthread_join(tid[i], NULL);
    free(tid);
    for (size_t i = 0; i < n; i++)
        if (pairs[i].status != 0) {
            snprintf(err, errlen, "%s at %llu: %s", pairs[i].policy,
                     (unsigned long long)pairs[i].capacity, pairs[i].err);
            return -1;
        }
    return 0;
}
