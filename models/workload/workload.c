/* workload — synthetic and trace request streams; see workload.h. */
#include "models/workload/workload.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/workload/sample.h"
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

/* Beyond ALIAS_MAX the catalog is split: the HEAD most popular objects (a
 * 1 MB alias table, which stays in the processor's caches) and the tail,
 * drawn by rejection-inversion over ranks HEAD+1..n. One uniform picks the
 * part by the head's exact share of the mass (and, rescaled, the head's
 * object too). With alpha 0.9 and 2 x 10^5 objects the head carries 85% of
 * the requests, so most draws cost one uniform and two table reads instead
 * of the logarithms and exponentials of rejection-inversion. The law is the
 * same. */
#define HEAD 65536

/* Lognormal sizes are remembered per object up to this catalog (64 MB of
 * address space, calloc'd, so only the pages of drawn objects are touched):
 * the inverse CDF behind a size cost about 400 instructions, a third of a
 * world request's, and a popular object is asked for thousands of times.
 * Larger catalogs compute each size again, as before; the value is the same
 * either way (a pure function of seed and key). */
#define SIZE_MEMO_MAX (1u << 24)

/* A sampled zipf catalog becomes a table of its sampled keys (8 bytes a key
 * plus GSL's 16 of alias table) when the catalog can be walked once at the
 * start (2^26 keys: about a second of hashing and powers) and the table
 * stays small (an expected 2^23 keys, 200 MB); beyond, every arrival is
 * drawn and the keys left out skipped, which is as exact and only slower. */
#define SAMPLE_TABLE_MAX (1u << 26)
#define SAMPLE_TABLE_KEYS (1u << 23)

struct workload {
    workload_spec_t spec;
    uint64_t size_seed;
    double log_mu;         /* lognormal location giving the requested mean */
    gsl_rng *arrivals, *objects;
    zipf_t zipf;
    gsl_ran_discrete_t *alias; /* Walker's alias table: the whole catalog up to ALIAS_MAX, else its head */
    double head_share;     /* beyond ALIAS_MAX: the HEAD first ranks' share of the mass, else 0 */
    /* lognormal sizes by key - 1, 0 = not yet computed; NULL past
     * SIZE_MEMO_MAX. Atomic (relaxed) because splits fill it at once. */
    _Atomic uint32_t *size_memo;
    bool shared;           /* a split: the tables (alias, memo, samples, locality) are its base's */
    simtime_t next_time;   /* zipf: the next arrival */
    bool deferred;         /* zipf: workload_next leaves key and size to workload_object */
    uint32_t **local;      /* locality > 0: local[region][rank - 1] = object, each a bijection of 1..objects */
    uint8_t *is_local;     /* locality > 0: is_local[rank - 1], the mark every region shares */
    trace_t *trace;
    /* workload.sample < 1 */
    bool sampling;
    uint64_t threshold;    /* sample_threshold(spec.sample) */
    uint64_t *skeys;       /* zipf table: the sampled keys, ascending; NULL: draw and skip */
    uint64_t nskeys;
    gsl_ran_discrete_t *salias; /* over skeys, weights k^-alpha */
    double share;          /* zipf table: the sampled keys' probability mass */
    uint64_t seen, kept;   /* draw and skip, traces: requests drawn (read) and kept */
    sample_hll_t *keys_read, *keys_kept; /* traces: distinct keys read and kept */
    bool by_object;        /* sampling with locality: the caller keeps by object (workload_keep) */
    uint64_t nsampled;     /* by_object: the catalog's sampled objects (locality caps it at 2^22) */
};

/* The share of ranks 1..HEAD in the Zipf(alpha) mass over 1..n: the head
 * summed exactly (smallest terms first), the tail by Euler-Maclaurin from
 * HEAD with terms up to the third derivative; the first one left out
 * (f^(5)/30240 at HEAD) is below 10^-25 of the total, so the share is exact
 * to double precision. */
static double head_share(uint64_t n, double a)
{
    double head = 0;
    for (uint64_t k = HEAD; k >= 1; k--) head += pow((double)k, -a);
    double K = HEAD, N = (double)n;
    /* the integral of x^-a from K to N, written to stay exact near a = 1 */
    double integral = fabs(1 - a) > 1e-12 ? (pow(N, 1 - a) - pow(K, 1 - a)) / (1 - a) : log(N / K);
    double f_k = pow(K, -a), f_n = pow(N, -a);
    double d1 = -a * (pow(N, -a - 1) - pow(K, -a - 1));                    /* f1(N) - f1(K) */
    double d3 = -a * (a + 1) * (a + 2) * (pow(N, -a - 3) - pow(K, -a - 3)); /* f3(N) - f3(K) */
    double tail = integral + (f_n - f_k) / 2 + d1 / 12 - d3 / 720;
    return head / (head + tail);
}

/* The rank -> object tables of the locality model (workload.h). The marks
 * come from one stream, so they are the same in every region; each region
 * shuffles the local ranks' objects with its own stream (Fisher-Yates),
 * so a region's table depends only on (seed, region, objects, locality). */
static int build_locality(workload_t *w, uint64_t seed)
{
    uint64_t n = w->spec.objects;
    unsigned nr = w->spec.regions;
    uint32_t *ranks = malloc(n * sizeof *ranks), *objs = malloc(n * sizeof *objs);
    gsl_rng *marks = rng_stream_create(seed, "workload.locality");
    w->is_local = calloc(n, 1);
    w->local = calloc(nr, sizeof *w->local);
    int rc = -1;
    if (!ranks || !objs || !marks || !w->is_local || !w->local) goto done;
    uint64_t m = 0; /* the local ranks, in increasing order */
    for (uint64_t r = 1; r <= n; r++)
        if (rng_uniform(marks) < w->spec.locality) {
            w->is_local[r - 1] = 1;
            ranks[m++] = (uint32_t)r;
        }
    for (unsigned g = 0; g < nr; g++) {
        char name[40];
        snprintf(name, sizeof name, "workload.locality.%u", g);
        gsl_rng *perm = rng_stream_create(seed, name);
        uint32_t *map = w->local[g] = malloc(n * sizeof *map);
        if (!perm || !map) { if (perm) gsl_rng_free(perm); goto done; }
        for (uint64_t r = 1; r <= n; r++) map[r - 1] = (uint32_t)r;
        memcpy(objs, ranks, m * sizeof *objs);
        for (uint64_t i = m; i > 1; i--) { /* uniform over the m! orders */
            uint64_t j = (uint64_t)(rng_uniform(perm) * (double)i);
            if (j >= i) j = i - 1;
            uint32_t t = objs[i - 1]; objs[i - 1] = objs[j]; objs[j] = t;
        }
        for (uint64_t i = 0; i < m; i++) map[ranks[i] - 1] = objs[i];
        gsl_rng_free(perm);
    }
    rc = 0;
done:
    if (marks) gsl_rng_free(marks);
    free(ranks);
    free(objs);
    return rc;
}

/* The table of sampled keys for a zipf catalog; the request share is their
 * mass over the whole catalog's (the sum runs from the smallest terms up). */
static int build_sample_table(workload_t *w)
{
    uint64_t n = w->spec.objects, cap = 1024;
    double *p = NULL, total = 0, kept = 0;
    w->skeys = malloc(cap * sizeof *w->skeys);
    if (!w->skeys) return -1;
    for (uint64_t k = 1; k <= n; k++) {
        if (!sample_keep(k, w->threshold)) continue;
        if (w->nskeys == cap) {
            uint64_t *q = realloc(w->skeys, 2 * cap * sizeof *q);
            if (!q) return -1;
            w->skeys = q;
            cap *= 2;
        }
        w->skeys[w->nskeys++] = k;
    }
    if (!w->nskeys) return 0; /* the scenario reader refuses a sample that keeps nothing */
    if (!(p = malloc(w->nskeys * sizeof *p))) return -1;
    for (uint64_t i = 0; i < w->nskeys; i++) p[i] = pow((double)w->skeys[i], -w->spec.alpha);
    for (uint64_t k = n; k >= 1; k--) total += pow((double)k, -w->spec.alpha);
    for (uint64_t i = w->nskeys; i-- > 0;) kept += p[i];
    w->share = kept / total;
    w->salias = gsl_ran_discrete_preproc(w->nskeys, p);
    free(p);
    return w->salias ? 0 : -1;
}

workload_t *workload_create(const workload_spec_t *spec, uint64_t seed, bool need_future, char *err,
                            size_t errlen)
{
    workload_t *w = calloc(1, sizeof *w);
    if (!w) { snprintf(err, errlen, "out of memory"); return NULL; }
    w->spec = *spec;
    w->sampling = spec->sample > 0 && spec->sample < 1;
    w->threshold = sample_threshold(w->sampling ? spec->sample : 1);
    /* with locality a drawn rank names another object in every region, so
     * only the caller, who knows the region, can tell whether it is kept */
    w->by_object = w->sampling && spec->type == WORKLOAD_ZIPF && spec->locality > 0 && spec->regions > 0;
    if (spec->type == WORKLOAD_TRACE && w->sampling) {
        w->keys_read = calloc(1, sizeof *w->keys_read);
        w->keys_kept = calloc(1, sizeof *w->keys_kept);
        if (!w->keys_read || !w->keys_kept) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    if (spec->type == WORKLOAD_TRACE) {
        w->trace = trace_open(spec->trace_path, (trace_format_t)spec->trace_format, err, errlen);
        if (!w->trace) { workload_destroy(w); return NULL; }
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
    bool split = spec->objects > ALIAS_MAX && spec->alpha > 0;
    if (split) {
        zipf_init_range(&w->zipf, HEAD + 1, spec->objects, spec->alpha);
        w->head_share = head_share(spec->objects, spec->alpha);
    } else {
        zipf_init(&w->zipf, spec->objects, spec->alpha);
    }
    if (spec->size_dist == SIZE_LOGNORMAL && spec->objects <= SIZE_MEMO_MAX) {
        w->size_memo = calloc(spec->objects, sizeof *w->size_memo);
        if (!w->size_memo) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    for (uint64_t k = 1; w->by_object && k <= spec->objects; k++) w->nsampled += sample_keep(k, w->threshold);
    if (w->sampling && !w->by_object && spec->objects <= SAMPLE_TABLE_MAX &&
        (double)spec->objects * spec->sample <= SAMPLE_TABLE_KEYS) {
        if (build_sample_table(w) != 0) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    } else if (spec->objects <= ALIAS_MAX || split) {
        uint64_t m = split ? HEAD : spec->objects;
        double *p = malloc(m * sizeof *p);
        for (uint64_t k = 0; p && k < m; k++) p[k] = pow((double)(k + 1), -spec->alpha);
        w->alias = p ? gsl_ran_discrete_preproc(m, p) : NULL;
        free(p);
        if (!w->alias) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    if (spec->locality > 0 && spec->regions > 0) {
        if (spec->objects > WORKLOAD_LOCALITY_MAX_OBJECTS) {
            snprintf(err, errlen, "locality takes at most %u objects", WORKLOAD_LOCALITY_MAX_OBJECTS);
            workload_destroy(w);
            return NULL;
        }
        if (build_locality(w, seed) != 0) {
            snprintf(err, errlen, "out of memory");
            workload_destroy(w);
            return NULL;
        }
    }
    if (w->salias) w->spec.rate_rps *= w->share; /* thinning by the per-key coin */
    w->next_time = simtime_from_s(rng_exponential(w->arrivals, 1.0 / w->spec.rate_rps));
    return w;
}

void workload_destroy(workload_t *w)
{
    if (!w) return;
    if (w->arrivals) gsl_rng_free(w->arrivals);
    if (w->objects) gsl_rng_free(w->objects);
    if (w->trace) trace_close(w->trace);
    if (w->shared) { free(w); return; }
    if (w->alias) gsl_ran_discrete_free(w->alias);
    if (w->salias) gsl_ran_discrete_free(w->salias);
    free(w->skeys);
    free(w->keys_read);
    free(w->keys_kept);
    free((void *)w->size_memo);
    for (unsigned g = 0; w->local && g < w->spec.regions; g++) free(w->local[g]);
    free(w->local);
    free(w->is_local);
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
    /* splits of one workload race to fill a slot, always with the same
     * value: relaxed atomics make that defined (plain moves on x86) */
    _Atomic uint32_t *m = &w->size_memo[key - 1];
    uint32_t v = atomic_load_explicit(m, memory_order_relaxed);
    if (!v) atomic_store_explicit(m, v = lognormal_size(w, key), memory_order_relaxed);
    return v;
}

uint32_t workload_object_size(const workload_t *w, uint64_t key)
{
    if (w->spec.size_dist == SIZE_FIXED) return (uint32_t)w->spec.size_bytes;
    return lognormal_size(w, key); /* what the memo would hold */
}

double workload_key_share(const workload_t *w)
{
    if (!w->sampling) return 1;
    if (w->skeys) return (double)w->nskeys / (double)w->spec.objects;
    if (w->by_object) return (double)w->nsampled / (double)w->spec.objects;
    if (w->keys_read && w->kept) return sample_hll_count(w->keys_kept) / sample_hll_count(w->keys_read);
    return w->spec.sample;
}

double workload_request_share(const workload_t *w)
{
    if (!w->sampling) return 1;
    if (w->skeys) return w->share;
    return w->seen ? (double)w->kept / (double)w->seen : w->spec.sample;
}

bool workload_sampled(const workload_t *w, uint64_t key) { return sample_keep(key, w->threshold); }

/* A key and the skipping of keys left out need the key at once: only a
 * zipf stream without sampling, with a table of sampled keys, or kept by
 * object by the caller, defers. */
void workload_defer_objects(workload_t *w)
{
    w->deferred = !w->trace && (!w->sampling || w->skeys || w->by_object);
}

bool workload_keep(workload_t *w, const request_spec_t *r, unsigned region)
{
    if (!w->by_object) return true;
    request_spec_t o = *r;
    workload_localize(w, &o, region);
    bool keep = sample_keep(o.key, w->threshold);
    w->seen++;
    w->kept += keep;
    return keep;
}

void workload_object(workload_t *w, request_spec_t *r)
{
    if (w->trace || r->key) return;
    if (w->salias) { /* a sampled catalog: its table of sampled keys */
        r->key = w->skeys[rng_discrete(w->objects, w->salias)];
    } else if (w->head_share > 0) { /* a split catalog: head or tail */
        double u = rng_uniform(w->objects);
        r->key = u < w->head_share ? rng_alias_pick(w->alias, u / w->head_share) + 1
                                   : zipf_draw(&w->zipf, w->objects);
    } else {
        r->key = w->alias ? rng_discrete(w->objects, w->alias) + 1 : zipf_draw(&w->zipf, w->objects);
    }
    r->size = object_size(w, r->key);
}

void workload_localize(workload_t *w, request_spec_t *r, unsigned region)
{
    if (!w->local || !r->key || region >= w->spec.regions) return;
    r->key = w->local[region][r->key - 1];
    r->size = object_size(w, r->key);
}

uint64_t workload_rank_object(const workload_t *w, unsigned region, uint64_t rank)
{
    if (!w->local || region >= w->spec.regions || rank < 1 || rank > w->spec.objects) return rank;
    return w->local[region][rank - 1];
}

bool workload_rank_is_local(const workload_t *w, uint64_t rank)
{
    return w->is_local && rank >= 1 && rank <= w->spec.objects && w->is_local[rank - 1];
}

int workload_next(workload_t *w, request_spec_t *r, char *err, size_t errlen)
{
    if (w->trace) {
        trace_req_t t;
        int rc;
        do { /* keys left out by sampling are read and skipped */
            if ((rc = trace_next(w->trace, &t, err, errlen)) != 1) return rc;
            w->seen++;
            if (w->keys_read) sample_hll_add(w->keys_read, t.key);
        } while (w->sampling && !sample_keep(t.key, w->threshold));
        w->kept++;
        if (w->keys_kept) sample_hll_add(w->keys_kept, t.key);
        r->time = t.time;
        r->key = t.key;
        r->size = t.size;
        r->next_access = t.next_access;
        return 1;
    }
    do { /* draw and skip: a sampled catalog too large for a table */
        r->time = w->next_time;
        r->key = 0;
        r->size = 0;
        r->next_access = -1;
        if (!w->deferred) workload_object(w, r);
        /* each gap rounds to the nearest ns: unbiased, and far below any RTT */
        w->next_time += simtime_from_s(rng_exponential(w->arrivals, 1.0 / w->spec.rate_rps));
        if (!w->by_object) w->seen++;
    } while (w->sampling && !w->skeys && !w->by_object && !sample_keep(r->key, w->threshold));
    if (!w->by_object) w->kept++; /* else workload_keep counts */
    return 1;
}

int64_t workload_next_many(workload_t *w, request_spec_t *r, size_t max, char *err, size_t errlen)
{
    if (max == 0) return 0;
    if (!w->trace || w->sampling) {
        int rc = workload_next(w, r, err, errlen);
        return rc < 0 ? -1 : rc;
    }
    enum { CHUNK = 256 };
    trace_req_t t[CHUNK];
    int64_t got = trace_next_many(w->trace, t, max < CHUNK ? max : CHUNK, err, errlen);
    for (int64_t i = 0; i < got; i++)
        r[i] = (request_spec_t){ t[i].time, t[i].key, t[i].size, t[i].next_access };
    if (got > 0) {
        w->seen += (uint64_t)got;
        w->kept += (uint64_t)got;
    }
    return got;
}

int workload_restream(workload_t *w, uint64_t seed, const char *tag, double rate_rps)
{
    if (w->trace || !(rate_rps > 0)) return -1;
    char name[96];
    snprintf(name, sizeof name, "workload.arrivals/%s", tag);
    gsl_rng *a = rng_stream_create(seed, name);
    snprintf(name, sizeof name, "workload.objects/%s", tag);
    gsl_rng *o = rng_stream_create(seed, name);
    if (!a || !o) {
        if (a) gsl_rng_free(a);
        if (o) gsl_rng_free(o);
        return -1;
    }
    if (w->arrivals) gsl_rng_free(w->arrivals);
    if (w->objects) gsl_rng_free(w->objects);
    w->arrivals = a;
    w->objects = o;
    if (w->salias) rate_rps *= w->share; /* the split of the sampled stream */
    w->spec.rate_rps = rate_rps;
    w->next_time = simtime_from_s(rng_exponential(w->arrivals, 1.0 / rate_rps));
    return 0;
}

workload_t *workload_split(const workload_t *base, uint64_t seed, const char *tag, double rate_rps)
{
    if (base->trace || base->keys_read) return NULL; /* one stream; its sampling counts distinct keys */
    workload_t *w = malloc(sizeof *w);
    if (!w) return NULL;
    *w = *base;
    w->shared = true;
    w->arrivals = w->objects = NULL;
    if (workload_restream(w, seed, tag, rate_rps) != 0) {
        workload_destroy(w);
        return NULL;
    }
    return w;
}

void workload_set_rate(workload_t *w, double rate_rps, simtime_t from)
{
    if (w->trace) return;
    if (w->salias) rate_rps *= w->share;
    w->spec.rate_rps = rate_rps;
    w->next_time = rate_rps > 0 ? from + simtime_from_s(rng_exponential(w->arrivals, 1.0 / rate_rps))
                                : SIMTIME_MAX;
}

void workload_add_counts(workload_t *into, const workload_t *from)
{
    into->seen += from->seen;
    into->kept += from->kept;
}
