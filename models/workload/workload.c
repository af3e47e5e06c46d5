/* workload — synthetic and trace request streams; see workload.h. */
#include "models/workload/workload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/workload/trace.h"
#include "models/workload/zipf.h"
#include "sim/rng.h"

/* Up to 10^5 objects an alias table (1.6 MB at most, GSL's two arrays)
 * draws an object with one uniform and two table reads, faster than
 * rejection-inversion's logarithms while the table stays in the processor's
 * caches. Beyond, its reads go to memory and rejection-inversion, which needs
 * no memory at all, wins: at 10^6 objects the world scenario ran 15% faster
 * with it. Both are exact. */
#define ALIAS_MAX 100000

/* Lognormal sizes are remembered per object up to this catalog (64 MB of
 * address space, calloc'd, so only the pages of drawn objects are touched):
 * the inverse CDF behind a size cost about 400 instructions, a third of a
 * world request's, and a popular object is asked for thousands of times.
 * Larger catalogs compute each size again, as before; the value is the same
 * either way (a pure function of seed and key). */
#define SIZE_MEMO_MAX (1u << 24)

struct workload {
    workload_spec_t spec;
    uint64_t size_seed;
    double log_mu;         /* lognormal location giving the requested mean */
    gsl_rng *arrivals, *objects;
    zipf_t zipf;
    gsl_ran_discrete_t *alias; /* Walker's alias table for catalogs up to ALIAS_MAX */
    uint32_t *size_memo;   /* lognormal sizes by key - 1, 0 = not yet computed; NULL past SIZE_MEMO_MAX */
    simtime_t next_time;   /* zipf: the next arrival */
    bool deferred;         /* zipf: workload_next leaves key and size to workload_object */
    trace_t *trace;
};

workload_t *workload_create(const workload_spec_t *spec, uint64_t seed, bool need_future, char *err,
                            size_t errlen)
{
    workload_t *w = calloc(1, sizeof *w);
    if (!w) { snprintf(err, errlen, "out of memory"); return NULL; }
    w->spec = *spec;
    if (spec->type == WORKLOAD_TRACE) {
        w->trace = trace_open(spec->trace_path, (trace_format_t)spec->trace_format, err, errlen);
        if (!w->trace) { free(w); return NULL; }
        if (need_future && spec->trace_format != TRACE_ORACLE_GENERAL &&
            trace_annotate_next_access(w->trace, err, errlen) != 0) {
            workload_destroy(w);
            return NULL;
        }
        return w;
    }
    w->arrivals = rng_stream_create(seed, "workload.arrivals");
    w->objects = rng_stream_create(seed, "workload.objects");
    if (!w->arrivals || !w->objects) {
        snprintf(err, errlen, "out of memory");
        workload_destroy(w);
        return NULL;
    }
    w->size_seed = rng_stream_seed(seed, "workload.sizes");
    w->log_mu = log((double)spec->size_bytes) - spec->size_sigma * spec->size_sigma / 2;
    zipf_init(&w->zipf, spec->objects, spec->alpha);
    if (spec->size_dist == SIZE_LOGNORMAL && spec->objects <= SIZE_MEMO_MAX) {
        w->size_memo = calloc(spec->objects, sizeof *w->size_memo);
        if (!w->size_memo) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    if (spec->objects <= ALIAS_MAX) {
        double *p = malloc(spec->objects * sizeof *p);
        for (uint64_t k = 0; p && k < spec->objects; k++) p[k] = pow((double)(k + 1), -spec->alpha);
        w->alias = p ? gsl_ran_discrete_preproc(spec->objects, p) : NULL;
        free(p);
        if (!w->alias) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    w->next_time = simtime_from_s(rng_exponential(w->arrivals, 1.0 / spec->rate_rps));
    return w;
}

void workload_destroy(workload_t *w)
{
    if (!w) return;
    if (w->arrivals) gsl_rng_free(w->arrivals);
    if (w->objects) gsl_rng_free(w->objects);
    if (w->trace) trace_close(w->trace);
    if (w->alias) gsl_ran_discrete_free(w->alias);
    free(w->size_memo);
    free(w);
}

/* The size of object key under the size law: a pure function of (seed, key). */
static uint32_t lognormal_size(const workload_t *w, uint64_t key)
{
    /* a per-object uniform from a hash, mapped through the lognormal quantile */
    uint64_t h = rng_stream_seed(w->size_seed ^ key, "size");
    double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
    double s = gsl_cdf_lognormal_Pinv(u, w->log_mu, w->spec.size_sigma);
    if (!(s >= 1)) return 1;
    return s > 4e9 ? 4000000000u : (uint32_t)llround(s);
}

/* key in 1..objects; a size is never 0, so 0 marks a memo slot unfilled */
static uint32_t object_size(workload_t *w, uint64_t key)
{
    if (w->spec.size_dist == SIZE_FIXED) return (uint32_t)w->spec.size_bytes;
    if (!w->size_memo) return lognormal_size(w, key);
    uint32_t *m = &w->size_memo[key - 1];
    if (!*m) *m = lognormal_size(w, key);
    return *m;
}

uint32_t workload_object_size(const workload_t *w, uint64_t key)
{
    if (w->spec.size_dist == SIZE_FIXED) return (uint32_t)w->spec.size_bytes;
    return lognormal_size(w, key); /* what the memo would hold */
}

void workload_defer_objects(workload_t *w) { w->deferred = !w->trace; }

void workload_object(workload_t *w, request_spec_t *r)
{
    if (w->trace || r->key) return;
    r->key = w->alias ? rng_discrete(w->objects, w->alias) + 1 : zipf_draw(&w->zipf, w->objects);
    r->size = object_size(w, r->key);
}

int workload_next(workload_t *w, request_spec_t *r, char *err, size_t errlen)
{
    if (w->trace) {
        trace_req_t t;
        int rc = trace_next(w->trace, &t, err, errlen);
        if (rc != 1) return rc;
        r->time = t.time;
        r->key = t.key;
        r->size = t.size;
        r->next_access = t.next_access;
        return 1;
    }
    r->time = w->next_time;
    r->key = 0;
    r->size = 0;
    r->next_access = -1;
    if (!w->deferred) workload_object(w, r);
    /* each gap rounds to the nearest ns: unbiased, and far below any RTT */
    w->next_time += simtime_from_s(rng_exponential(w->arrivals, 1.0 / w->spec.rate_rps));
    return 1;
}
