/* replay — decode once, replay every (policy, capacity) pair; see replay.h.
 *
 * The loop per pair is the cache library's own request path, nothing else:
 * find, then touch or put. The index cell of the request a few ahead is
 * prefetched, since at 10^5 objects and more nearly every lookup misses the
 * processor's caches and the loop would otherwise wait on each one. */
#include "models/replay/replay.h"
#include "sim/hugealloc.h"
#include "sim/textfile.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* Numbers b's keys (b->nids, b->ids); leaves nids 0 when they would not
 * pay or memory runs out (the caches then hash keys: slower, same result). */
static void number_keys(replay_buf_t *b, uint64_t max_key)
{
    b->nids = 0;
    if (b->n == 0) return;
    if (max_key < MAX_IDS && max_key + 1 <= 2 * b->n + (1u << 20)) {
        b->nids = (uint32_t)max_key + 1;   /* every key its own number */
        return;
    }
    idmap_t m = { 0 };
    if (!(b->ids = huge_alloc(b->n * sizeof *b->ids))) return;
    for (uint64_t i = 0; i < b->n; i++) {
        if ((m.n + 1) * 2 > m.cells && (m.n >= MAX_IDS || idmap_grow(&m) != 0)) goto out;
        uint64_t k = b->rec[i].key, h = idmap_home(k, m.cells);
        while (m.keys[h] != UINT64_MAX && m.keys[h] != k) if (++h == m.cells) h = 0;
        if (m.keys[h] == UINT64_MAX) { m.keys[h] = k; m.ids[h] = (uint32_t)m.n++; }
        b->ids[i] = m.ids[h];
    }
    b->nids = (uint32_t)m.n;
out:
    if (!b->nids) { free(b->ids); b->ids = NULL; }
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
    if (b->mapped) munmap(b->rec, b->mapped);
    else free(b->rec);
    free(b->ids);
    memset(b, 0, sizeof *b);
}

/* A plain oracleGeneral file mapped read-only and whole (NULL when it is
 * not one: compressed, empty, not a regular file, or a big-endian host, for
 * the decoding path to handle or to report). */
static void *map_records(const char *path, size_t *len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    char why[128];
    FILE *f = textfile_open(path, why, sizeof why);
    if (!f) return NULL;
    struct stat st;
    void *p = NULL;
    if (fstat(fileno(f), &st) == 0 && st.st_size >= (off_t)sizeof(replay_rec_t) &&
        (uint64_t)st.st_size <= SIZE_MAX) {
        /* populated at once: the pages are mostly in the page cache, and
         * mapping them in one call is cheaper than a fault for each */
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(f), 0);
        static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
        if (p == MAP_FAILED) p = NULL;
        else if (memcmp(p, zstd_magic, 4) == 0) { munmap(p, (size_t)st.st_size); p = NULL; }
        else *len = (size_t)st.st_size;
    }
    fclose(f);
    return p;
#else
    (void)path; (void)len;
    return NULL;
#endif
}

/* Decodes t's requests into b->rec (those sampled under thr), a batch at a
 * time through the reader's one-loop path, the batch small enough to stay in
 * the processor's cache while it is copied. 0, -1 out of memory, -2 bad input. */
static int decode(trace_t *t, replay_buf_t *b, bool need_next, uint64_t thr, uint64_t *max_key,
                  const char *path, char *err, size_t errlen)
{
    enum { BATCH = 2048 };
    trace_req_t *r = malloc(BATCH * sizeof *r);
    uint64_t cap = 0;
    int64_t got = -1;
    if (!r) goto oom;
    while ((got = trace_next_many(t, r, BATCH, err, errlen)) > 0) {
        if (b->n + (uint64_t)got > cap) {
            while (b->n + (uint64_t)got > cap) cap = cap ? cap * 2 : 1 << 16;
            replay_rec_t *q = realloc(b->rec, cap * sizeof *q);
            if (!q) goto oom;
            b->rec = q;
        }
        replay_rec_t *q = b->rec + b->n;
        uint64_t k = 0;
        for (int64_t i = 0; i < got; i++) {
            if (thr != UINT64_MAX && !sample_keep(r[i].key, thr)) continue;
            q[k++] = (replay_rec_t){ 0, r[i].key, r[i].size, need_next ? r[i].next_access : -1 };
            if (r[i].key > *max_key) *max_key = r[i].key;
        }
        b->n += k;
        b->read += (uint64_t)got;
    }
    free(r);
    return got < 0 ? -2 : 0;
oom:
    free(r);
    snprintf(err, errlen, "%s: out of memory decoding the trace", path);
    return -1;
}

int replay_load(replay_buf_t *b, const char *path, int format, bool need_next, double sample,
                char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->sample = sample;
    uint64_t thr = sample_threshold(sample), max_key = 0;
    size_t map_len = 0;
    void *map = format == TRACE_ORACLE_GENERAL && thr == UINT64_MAX ? map_records(path, &map_len) : NULL;
    trace_t *t = map ? trace_open_mem(map, map_len, TRACE_ORACLE_GENERAL, path, err, errlen)
                     : trace_open(path, (trace_format_t)format, err, errlen);
    int rc = t ? 0 : -2;
    if (map) {
        /* the records are replayed where they lie: the reader only checks
         * them (and finds the largest key) */
        b->rec = map;
        b->mapped = map_len;
        int64_t got = 0;
        while (t && (got = trace_check_many(t, SIZE_MAX, &max_key, err, errlen)) > 0) b->n += (uint64_t)got;
        b->read = b->n;
        if (got < 0) rc = -2;
    } else if (t) {
        if (need_next && format != TRACE_ORACLE_GENERAL && trace_annotate_next_access(t, err, errlen) != 0)
            rc = -2;
        else
            rc = decode(t, b, need_next, thr, &max_key, path, err, errlen);
    }
    trace_close(t);
    if (rc != 0) {
        replay_free(b);
        return rc;
    }
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
    const replay_rec_t *q = b->rec;
    const uint32_t *ids = b->ids;   /* locals: the calls below cannot change them */
    uint64_t n = b->n;
    if (b->nids) {
        /* the index cell of the request 2 * AHEAD on, then (the cell now at
         * hand) the entry of the one AHEAD on */
        for (uint64_t i = 0; i < n; i++) {
            uint64_t j = i + 2 * PREFETCH_AHEAD;
            if (j < n) cache_prefetch_id(c, ids ? ids[j] : (uint32_t)q[j].key, false);
            if ((j -= PREFETCH_AHEAD) < n) cache_prefetch_id(c, ids ? ids[j] : (uint32_t)q[j].key, true);
            cache_req_t r = { q[i].key, q[i].size ? q[i].size : 1, (simtime_t)i, q[i].next };
            bytes += r.size;
            uint32_t id = ids ? ids[i] : (uint32_t)r.key;
            cache_entry_t *e = cache_find_id(c, id);
            if (e) {
                cache_touch(c, e, &r);
            } else {
                misses++;
                miss_bytes += r.size;
                cache_put_id(c, &r, id);
            }
        }
    }
    for (uint64_t i = 0; i < n && !b->nids; i++) {
        if (i + PREFETCH_AHEAD < n) cache_prefetch(c, q[i + PREFETCH_AHEAD].key);
        cache_req_t r = { q[i].key, q[i].size ? q[i].size : 1, (simtime_t)i, q[i].next };
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
