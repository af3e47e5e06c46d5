/* replay — decode once, replay every (policy, capacity) pair; see replay.h.
 *
 * The loop per pair is the cache library's own request path, nothing else:
 * find, then touch or put. The index cell of the request a few ahead is
 * prefetched, since at 10^5 objects and more nearly every lookup misses the
 * processor's caches and the loop would otherwise wait on each one. */
#include "models/replay/replay.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/workload/sample.h"
#include "models/workload/trace.h"

#define PREFETCH_AHEAD 8

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
    trace_req_t r;
    int rc;
    while ((rc = trace_next(t, &r, err, errlen)) == 1) {
        b->read++;
        if (!sample_keep(r.key, thr)) continue;
        if (b->n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            replay_req_t *q = realloc(b->req, cap * sizeof *q);
            int64_t *nx = need_next ? realloc(b->next, cap * sizeof *nx) : NULL;
            if (q) b->req = q;
            if (nx) b->next = nx;
            if (!q || (need_next && !nx)) {
                snprintf(err, errlen, "%s: out of memory decoding the trace", path);
                trace_close(t);
                replay_free(b);
                return -1;
            }
        }
        b->req[b->n] = (replay_req_t){ r.key, r.size, 0 };
        if (need_next) b->next[b->n] = r.next_access;
        b->n++;
    }
    trace_close(t);
    if (rc < 0) { replay_free(b); return -2; }
    return 0;
}

static void run_pair(const replay_buf_t *b, replay_pair_t *p)
{
    cache_config_t cfg = { .policy = p->policy,
                           .capacity_objects = p->by_bytes ? 0 : p->capacity,
                           .capacity_bytes = p->by_bytes ? p->capacity : 0,
                           .seed = 1, .stream = "replay.cache" };
    cache_t *c = cache_create(&cfg, p->err, sizeof p->err);
    if (!c) { p->status = -1; return; }
    uint64_t misses = 0, bytes = 0, miss_bytes = 0;
    const replay_req_t *q = b->req;
    const int64_t *next = b->next;
    uint64_t n = b->n;
    for (uint64_t i = 0; i < n; i++) {
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
