/* tracegen — synthetic traces; see tracegen.h.
 *
 * The writer streams through one 1 MiB buffer, compressed with zstd on the
 * way out when asked. oracleGeneral is written in two passes over the same
 * deterministic request stream: the first records the keys and turns them,
 * walking backwards with a last-seen table per object, into next-access
 * numbers; the second writes the records. */
#include "models/workload/tracegen.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <zstd.h>
#include "models/workload/zipf.h"
#include "sim/rng.h"

#define OUT_BUF (1u << 20)

struct tracegen {
    tracegen_config_t cfg;
    zipf_t zipf;
    gsl_rng *objects, *arrivals;
    int64_t now;            /* ns */
};

void tracegen_defaults(tracegen_config_t *cfg)
{
    *cfg = (tracegen_config_t){
        .objects = 10000, .requests = 100000, .alpha = 0.8,
        .size_dist = TRACEGEN_SIZE_FIXED, .size_mean = 1000, .size_sigma = 1,
        .rate = 1000, .format = TRACE_CSV, .zstd = false, .seed = 1,
    };
}

int tracegen_validate(const tracegen_config_t *cfg, char *err, size_t errlen)
{
    if (cfg->objects < 1) { snprintf(err, errlen, "objects: must be at least 1"); return -1; }
    if (!(cfg->alpha >= 0) || !isfinite(cfg->alpha)) {
        snprintf(err, errlen, "alpha: must be a finite number >= 0");
        return -1;
    }
    if (!(cfg->size_mean >= 1) || cfg->size_mean > UINT32_MAX) {
        snprintf(err, errlen, "size-mean: must be between 1 and 4294967295 bytes");
        return -1;
    }
    if (!(cfg->size_sigma >= 0) || cfg->size_sigma > 10) {
        snprintf(err, errlen, "size-sigma: must be between 0 and 10");
        return -1;
    }
    if (!(cfg->rate > 0) || !isfinite(cfg->rate)) {
        snprintf(err, errlen, "rate: must be a positive number of requests a second");
        return -1;
    }
    if ((int)cfg->format < 0 || cfg->format > TRACE_ORACLE_GENERAL) {
        snprintf(err, errlen, "format: unknown");
        return -1;
    }
    return 0;
}

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint32_t tracegen_object_size(const tracegen_config_t *cfg, uint64_t k)
{
    double s = cfg->size_mean;
    if (cfg->size_dist == TRACEGEN_SIZE_LOGNORMAL && cfg->size_sigma > 0) {
        /* a uniform in (0,1) from 53 hash bits, never 0 or 1 */
        uint64_t h = mix64(mix64(cfg->seed ^ 0x5851f42d4c957f2dULL) + k);
        double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
        double sg = cfg->size_sigma;
        s = exp(log(cfg->size_mean) - sg * sg / 2 + sg * gsl_cdf_ugaussian_Pinv(u));
    }
    s = floor(s + 0.5);
    if (s < 1) return 1;
    if (s > UINT32_MAX) return UINT32_MAX;
    return (uint32_t)s;
}

tracegen_t *tracegen_create(const tracegen_config_t *cfg, char *err, size_t errlen)
{
    if (tracegen_validate(cfg, err, errlen) != 0) return NULL;
    tracegen_t *g = calloc(1, sizeof *g);
    if (!g) goto oom;
    g->cfg = *cfg;
    zipf_init(&g->zipf, cfg->objects, cfg->alpha);
    g->objects = rng_stream_create(cfg->seed, "tracegen.objects");
    g->arrivals = rng_stream_create(cfg->seed, "tracegen.arrivals");
    if (!g->objects || !g->arrivals) goto oom;
    return g;
oom:
    snprintf(err, errlen, "out of memory creating the trace generator");
    tracegen_destroy(g);
    return NULL;
}

void tracegen_destroy(tracegen_t *g)
{
    if (!g) return;
    if (g->objects) gsl_rng_free(g->objects);
    if (g->arrivals) gsl_rng_free(g->arrivals);
    free(g);
}

void tracegen_next(tracegen_t *g, trace_req_t *r)
{
    r->time = g->now;
    r->key = zipf_draw(&g->zipf, g->objects);
    r->size = tracegen_object_size(&g->cfg, r->key);
    r->next_access = -1;
    g->now += llround(gsl_ran_exponential(g->arrivals, 1.0 / g->cfg.rate) * 1e9);
}

/* --- output ----------------------------------------------------------------- */

typedef struct writer {
    FILE *f;
    ZSTD_CStream *zc;       /* NULL: plain */
    uint8_t *buf, *zout;
    size_t len, zout_cap;
    char *err;
    size_t errlen;
} writer_t;

static int put_out(writer_t *w, const void *p, size_t n)
{
    if (fwrite(p, 1, n, w->f) != n) {
        snprintf(w->err, w->errlen, "write failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int drain(writer_t *w, bool end)
{
    if (!w->zc) {
        int r = put_out(w, w->buf, w->len);
        w->len = 0;
        return r;
    }
    ZSTD_inBuffer in = { w->buf, w->len, 0 };
    for (;;) {
        ZSTD_outBuffer out = { w->zout, w->zout_cap, 0 };
        size_t left = ZSTD_compressStream2(w->zc, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) {
            snprintf(w->err, w->errlen, "zstd: %s", ZSTD_getErrorName(left));
            return -1;
        }
        if (put_out(w, w->zout, out.pos) != 0) return -1;
        if (end ? left == 0 : in.pos == in.size) break;
    }
    w->len = 0;
    return 0;
}

static int emit(writer_t *w, const void *p, size_t n)
{
    if (w->len + n > OUT_BUF && drain(w, false) != 0) return -1;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 0;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* next[i]: the 1-based number of the next request for request i's key. */
static int64_t *next_accesses(const tracegen_config_t *cfg, char *err, size_t errlen)
{
    tracegen_t *g = tracegen_create(cfg, err, errlen);
    if (!g) return NULL;
    int64_t *next = malloc((cfg->requests ? cfg->requests : 1) * sizeof *next);
    int64_t *last = malloc((cfg->objects + 1) * sizeof *last);
    if (!next || !last) {
        snprintf(err, errlen, "out of memory for next-access numbers (%llu requests, %llu objects)",
                 (unsigned long long)cfg->requests, (unsigned long long)cfg->objects);
        free(next); free(last); tracegen_destroy(g);
        return NULL;
    }
    trace_req_t r;
    for (uint64_t i = 0; i < cfg->requests; i++) {
        tracegen_next(g, &r);
        next[i] = (int64_t)r.key;
    }
    for (uint64_t k = 0; k <= cfg->objects; k++) last[k] = -1;
    for (uint64_t i = cfg->requests; i-- > 0;) {
        uint64_t k = (uint64_t)next[i];
        next[i] = last[k];
        last[k] = (int64_t)i + 1;
    }
    free(last);
    tracegen_destroy(g);
    return next;
}

int tracegen_write(const tracegen_config_t *cfg, FILE *out, char *err, size_t errlen)
{
    int rc = -1;
    int64_t *next = NULL;
    writer_t w = { .f = out, .err = err, .errlen = errlen };
    tracegen_t *g = tracegen_create(cfg, err, errlen);
    if (!g) return -1;
    if (cfg->format == TRACE_ORACLE_GENERAL && !(next = next_accesses(cfg, err, errlen))) goto done;
    w.buf = malloc(OUT_BUF);
    if (cfg->zstd) {
        w.zc = ZSTD_createCStream();
        w.zout_cap = ZSTD_CStreamOutSize();
        w.zout = malloc(w.zout_cap);
        if (w.zc) ZSTD_CCtx_setParameter(w.zc, ZSTD_c_compressionLevel, 3);
        /* a content checksum, so a reader notices any corruption of the
         * file, not only the bytes zstd's own structure depends on */
        if (w.zc) ZSTD_CCtx_setParameter(w.zc, ZSTD_c_checksumFlag, 1);
    }
    if (!w.buf || (cfg->zstd && (!w.zc || !w.zout))) {
        snprintf(err, errlen, "out of memory writing the trace");
        goto done;
    }
    if (cfg->format == TRACE_CSV && emit(&w, "time,key,size\n", 14) != 0) goto done;
    trace_req_t r;
    char line[96];
    for (uint64_t i = 0; i < cfg->requests; i++) {
        tracegen_next(g, &r);
        int64_t sec = r.time / 1000000000, ns = r.time % 1000000000;
        int n = 0;
        switch (cfg->format) {
        case TRACE_CSV:
            n = snprintf(line, sizeof line, "%lld.%09lld,%llu,%u\n", (long long)sec, (long long)ns,
                         (unsigned long long)r.key, r.size);
            break;
        case TRACE_WEBCACHESIM:
            n = snprintf(line, sizeof line, "%lld %llu %u\n", (long long)sec,
                         (unsigned long long)r.key, r.size);
            break;
        case TRACE_ORACLE_GENERAL:
            if (sec > UINT32_MAX) {
                snprintf(err, errlen, "request %llu: time %lld s does not fit oracleGeneral's 32 bits",
                         (unsigned long long)i + 1, (long long)sec);
                goto done;
            }
            le32((uint8_t *)line, (uint32_t)sec);
            le64((uint8_t *)line + 4, r.key);
            le32((uint8_t *)line + 12, r.size);
            le64((uint8_t *)line + 16, (uint64_t)next[i]);
            n = 24;
            break;
        }
        if (emit(&w, line, (size_t)n) != 0) goto done;
    }
    if (drain(&w, true) != 0) goto done;
    if (fflush(out) != 0) {
        snprintf(err, errlen, "write failed: %s", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    ZSTD_freeCStream(w.zc);
    free(w.zout);
    free(w.buf);
    free(next);
    tracegen_destroy(g);
    return rc;
}

int tracegen_write_mem(const tracegen_config_t *cfg, void **buf, size_t *len, char *err,
                       size_t errlen)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f) {
        snprintf(err, errlen, "out of memory for the trace buffer");
        return -1;
    }
    int rc = tracegen_write(cfg, f, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "out of memory for the trace buffer");
        rc = -1;
    }
    if (rc != 0) { free(p); return -1; }
    *buf = p;
    *len = n;
    return 0;
}
