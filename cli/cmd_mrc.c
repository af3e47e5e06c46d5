/* cmd_mrc — `cdnsim mrc`: miss-ratio curves of a trace (models/replay/mrc.h).
 *
 * LRU from its stack distances in one pass (exact; with --rate, SHARDS on
 * the sampled trace); any other policy by one simulation per size point on
 * the trace, or with --rate one miniature simulation per point on the
 * sampled trace at the size scaled by the rate (points on threads, as
 * replay). A table on standard output, the curves as JSON (--out, which
 * `cdnsim plot` draws) and CSV (--csv), each written to a temporary and
 * renamed, so a failure leaves no partial file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/replay_args.h"
#include "models/replay/mrc.h"
#include "models/replay/replay.h"
#include "models/workload/trace.h"
#include "sim/output.h"
#include "sim/wallclock.h"

#define DEFAULT_POINTS 40

static const char help[] =
    "usage: cdnsim mrc TRACE [--format F] --policy P[,P...] [--bytes] [--rate R]\n"
    "                  [--points K | --size S[,S...]] [--threads N]\n"
    "                  [--out FILE.json] [--csv FILE]\n\n"
    "Miss-ratio curves: the miss ratio of each policy against the cache size.\n"
    "lru: the exact curve from stack distances in one pass over the trace.\n"
    "Other policies: one simulation per size point (on N threads).\n\n"
    "  --format F   csv, webcachesim or oracleGeneral (default), plain or zstd\n"
    "  --policy     cache policies, comma-separated (lru, fifo, s3fifo, ...)\n"
    "  --bytes      sizes in bytes (byte stack distances for lru), else objects\n"
    "  --rate R     SHARDS spatial sampling, 0 < R <= 1: only keys whose hash\n"
    "               falls below R are kept; lru's stack distances are scaled by\n"
    "               1/R, other policies run miniature simulations at R times\n"
    "               each size; the miss ratio is SHARDS_adj's (requests the sample\n"
    "               lacks against R times the trace count as hits; the byte miss\n"
    "               ratio is the sample's). Supported by: lru, fifo, lfu, sieve,\n"
    "               s3fifo, arc, clock, random, belady, lfuda, gdsf, twoq, tinylfu\n"
    "  --points K   K sizes spread on a log scale from 1 object (or the mean\n"
    "               object size) to the working set (default 40)\n"
    "  --size       explicit sizes instead, comma-separated\n"
    "  --out FILE   the curves as JSON (plot them with cdnsim plot FILE)\n"
    "  --csv FILE   the curves as CSV: policy,size,miss_ratio,byte_miss_ratio\n\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n";

typedef struct point {
    uint64_t size;         /* the cache size the point stands for */
    uint64_t simulated;    /* the size simulated (scaled by the rate) */
    uint64_t misses, miss_bytes, requests, bytes;
    const char *method;    /* "stack" or "simulation" */
} point_t;

static const char *curve_method(const char *policy, double rate)
{
    bool lru = !strcmp(policy, "lru");
    if (rate < 1) return lru ? "shards" : "miniature";
    return lru ? "stack" : "simulation";
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0; }

/* The miss ratio reported: SHARDS_adj on a sample, else exact. */
static double miss_ratio(const point_t *q, const replay_buf_t *b, double rate)
{
    return mrc_shards_ratio(q->misses, q->requests, b->read, rate);
}

static cJSON *json_of(const replay_args_t *a, const replay_buf_t *b, uint64_t objects,
                      uint64_t object_bytes, uint64_t size_changes, const point_t *pt, size_t npts,
                      double wall)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", "mrc");
    cJSON_AddStringToObject(o, "trace", a->trace);
    cJSON_AddStringToObject(o, "format", trace_format_names[a->format]);
    cJSON_AddStringToObject(o, "unit", a->bytes ? "bytes" : "objects");
    cJSON_AddNumberToObject(o, "rate", a->sample);
    cJSON_AddNumberToObject(o, "requests", (double)b->read);
    cJSON_AddNumberToObject(o, "sampled_requests", (double)b->n);
    cJSON_AddNumberToObject(o, "sampled_objects", (double)objects);
    cJSON_AddNumberToObject(o, "sampled_object_bytes", (double)object_bytes);
    cJSON_AddNumberToObject(o, "size_changes", (double)size_changes);
    cJSON *cs = cJSON_AddArrayToObject(o, "curves");
    for (int p = 0; p < a->npolicies; p++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "policy", a->policies[p]);
        cJSON_AddStringToObject(c, "method", curve_method(a->policies[p], a->sample));
        cJSON_AddBoolToObject(c, "exact", a->sample >= 1);
        cJSON *ps = cJSON_AddArrayToObject(c, "points");
        for (size_t i = 0; i < npts; i++) {
            const point_t *q = &pt[(size_t)p * npts + i];
            cJSON *r = cJSON_CreateObject();
            cJSON_AddNumberToObject(r, "size", (double)q->size);
            cJSON_AddNumberToObject(r, "simulated_size", (double)q->simulated);
            cJSON_AddNumberToObject(r, "misses", (double)q->misses);
            cJSON_AddNumberToObject(r, "miss_ratio", miss_ratio(q, b, a->sample));
            if (a->sample < 1)
                cJSON_AddNumberToObject(r, "miss_ratio_unadjusted", ratio(q->misses, q->requests));
            cJSON_AddNumberToObject(r, "byte_miss_ratio", ratio(q->miss_bytes, q->bytes));
            cJSON_AddStringToObject(r, "method", q->method);
            cJSON_AddItemToArray(ps, r);
        }
        cJSON_AddItemToArray(cs, c);
    }
    cJSON_AddNumberToObject(o, "wall_s", wall);
    return o;
}

static char *csv_text(const replay_args_t *a, const replay_buf_t *b, const point_t *pt, size_t npts)
{
    size_t n = (size_t)a->npolicies * npts, cap = 64 + n * 96, len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    len += (size_t)snprintf(s + len, cap - len, "policy,size,miss_ratio,byte_miss_ratio\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s,%llu,%.6f,%.6f\n", a->policies[i / npts],
                                (unsigned long long)pt[i].size, miss_ratio(&pt[i], b, a->sample),
                                ratio(pt[i].miss_bytes, pt[i].bytes));
    return s;
}

/* The sizes of the curves: --size, or K points from one object to the
 * working set (the sample's, scaled back by the rate). */
static uint64_t *grid_of(const replay_args_t *a, uint64_t objects, uint64_t object_bytes, size_t *n)
{
    if (a->sizes) {
        uint64_t *g = malloc((size_t)a->nsizes * sizeof *g);
        if (g) memcpy(g, a->sizes, (size_t)a->nsizes * sizeof *g);
        *n = (size_t)a->nsizes;
        return g;
    }
    size_t k = a->points ? (size_t)a->points : DEFAULT_POINTS;
    uint64_t *g = malloc(k * sizeof *g);
    if (!g) return NULL;
    double ws = (double)(a->bytes ? object_bytes : objects) / a->sample;
    uint64_t hi = ws < 1 ? 1 : (uint64_t)ws;
    uint64_t lo = a->bytes && objects ? object_bytes / objects : 1;
    *n = mrc_grid(lo, hi, k, g);
    return g;
}

int cmd_mrc(int argc, char **argv)
{
    replay_args_t a;
    int rc = replay_args_parse(&a, "mrc", help, argc, argv, false);
    if (rc != 0 || a.help) { replay_args_free(&a); return rc; }
    char err[1024];
    if (a.sample < 1)
        for (int i = 0; i < a.npolicies; i++)
            if (!mrc_sampling_supported(a.policies[i])) {
                snprintf(err, sizeof err, "--rate: policy '%s' has no sampling support (sampled "
                         "curves: lru, fifo, lfu, sieve, s3fifo, arc, clock, random, belady, lfuda, "
                         "gdsf, twoq, tinylfu); drop --rate for its exact curve", a.policies[i]);
                cli_error("mrc", err);
                replay_args_free(&a);
                return 2;
            }
    double t0 = wallclock_s();
    bool need_next = false, lru = false;
    for (int i = 0; i < a.npolicies; i++) {
        need_next |= !strcmp(a.policies[i], "belady");
        lru |= !strcmp(a.policies[i], "lru");
    }
    replay_buf_t b;
    rc = replay_load(&b, a.trace, a.format, need_next, a.sample, err, sizeof err);
    if (rc != 0) {
        cli_error("mrc", err);
        replay_args_free(&a);
        return rc == -2 ? 2 : 1;
    }
    int status = 0;
    mrc_lru_t m = { 0 };
    uint64_t objects = 0, object_bytes = 0, max_size = 0, size_changes = 0, *grid = NULL;
    point_t *pt = NULL;
    replay_pair_t *pairs = NULL;
    size_t npts = 0, npairs = 0;
    if (lru ? mrc_lru_build(&m, &b, a.bytes, err, sizeof err) != 0
            : mrc_working_set(&b, &objects, &object_bytes, &max_size, &size_changes, err, sizeof err) != 0) {
        status = 1;
        goto out;
    }
    if (lru) {
        objects = m.objects; object_bytes = m.object_bytes; max_size = m.max_size;
        size_changes = m.size_changes;
    }
    /* a cache keeps the size it stored when a key comes back with another,
     * which no byte stack distance follows: say so, and simulate */
    if (size_changes)
        fprintf(stderr, "cdnsim mrc: %s: %llu requests came with a size their key did not have "
                "before (a cache keeps the size it stored)%s\n", a.trace,
                (unsigned long long)size_changes,
                lru && a.bytes && a.sample >= 1 ? "; lru in bytes is simulated at every size" : "");
    grid = grid_of(&a, objects, object_bytes, &npts);
    pt = calloc((size_t)a.npolicies * (npts ? npts : 1), sizeof *pt);
    pairs = calloc((size_t)a.npolicies * (npts ? npts : 1), sizeof *pairs);
    if (!grid || !pt || !pairs) { snprintf(err, sizeof err, "out of memory"); status = 1; goto out; }
    /* lru from the stack distances; a byte size below the largest object,
     * where cdnsim's LRU refuses objects and is no stack, and every other
     * policy, by simulation */
    for (int p = 0; p < a.npolicies; p++)
        for (size_t i = 0; i < npts; i++) {
            point_t *q = &pt[(size_t)p * npts + i];
            q->size = grid[i];
            q->requests = b.n;
            q->simulated = replay_scaled(grid[i], a.sample);
            bool stack = !strcmp(a.policies[p], "lru") &&
                         (a.sample < 1 || !a.bytes || (grid[i] >= max_size && !size_changes));
            if (stack) {
                /* SHARDS: a sampled distance d stands for d / R, a hit at C
                 * when d <= C R */
                if (a.sample < 1) q->simulated = (uint64_t)floor((double)grid[i] * a.sample);
                mrc_lru_at(&m, q->simulated, &q->misses, &q->miss_bytes);
                q->bytes = m.bytes;
                q->method = "stack";
            } else {
                q->method = "simulation";
                pairs[npairs++] = (replay_pair_t){ .policy = a.policies[p], .capacity = q->simulated,
                                                   .by_bytes = a.bytes };
            }
        }
    if (npairs && replay_run(&b, pairs, npairs, a.threads, err, sizeof err) != 0) { status = 1; goto out; }
    for (size_t i = 0, k = 0; i < (size_t)a.npolicies * npts; i++)
        if (!strcmp(pt[i].method, "simulation")) {
            pt[i].misses = pairs[k].misses;
            pt[i].miss_bytes = pairs[k].miss_bytes;
            pt[i].bytes = pairs[k].bytes;
            k++;
        }
    double wall = wallclock_s() - t0;
    printf("%-10s %14s %12s %16s  %s\n", "policy", a.bytes ? "size (bytes)" : "size (objects)",
           "miss_ratio", "byte_miss_ratio", "method");
    for (size_t i = 0; i < (size_t)a.npolicies * npts; i++)
        printf("%-10s %14llu %12.6f %16.6f  %s\n", a.policies[i / npts], (unsigned long long)pt[i].size,
               miss_ratio(&pt[i], &b, a.sample), ratio(pt[i].miss_bytes, pt[i].bytes), pt[i].method);
    fflush(stdout);
    if (a.out) {
        cJSON *j = json_of(&a, &b, objects, object_bytes, size_changes, pt, npts, wall);
        if (!j || output_write_json(a.out, j, err, sizeof err) != 0) {
            if (!j) snprintf(err, sizeof err, "out of memory");
            status = 1;
        }
        cJSON_Delete(j);
    }
    if (!status && a.csv) {
        char *s = csv_text(&a, &b, pt, npts);
        if (!s || output_write_atomic(a.csv, s, err, sizeof err) != 0) {
            if (!s) snprintf(err, sizeof err, "out of memory");
            status = 1;
        }
        free(s);
    }
out:
    if (status) cli_error("mrc", err);
    free(pairs);
    free(pt);
    free(grid);
    mrc_lru_free(&m);
    replay_free(&b);
    replay_args_free(&a);
    return status;
}
