/* content — content classes, versions and cache keys; see content.h. */
#include "models/http/content.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/http/http_cc.h"
#include "sim/rng.h"

/* A well-mixed 64-bit hash of (seed, x). */
static uint64_t mix(uint64_t seed, uint64_t x)
{
    uint64_t z = seed ^ (x + 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t h) { return (double)(h >> 11) / 9007199254740992.0; }

static simtime_t seconds(int64_t s) { return s < 0 ? 0 : (simtime_t)s * 1000000000LL; }

int content_init(content_t *c, const content_class_spec_t *specs, int ncls, simtime_t default_ttl,
                 const content_opts_t *opts, uint64_t seed, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->seed = rng_stream_seed(seed, "content.classes");
    c->default_ttl = default_ttl;
    c->ncls = ncls;
    double total = 0;
    for (int i = 0; i < ncls; i++) total += specs[i].share;
    double run = 0;
    for (int i = 0; i < ncls; i++) {
        content_class_t *k = &c->cls[i];
        k->spec = specs[i];
        run += specs[i].share;
        c->cum[i] = total > 0 ? run / total : (double)(i + 1) / ncls;
        http_cc_t cc;
        char why[256];
        if (http_cc_parse(specs[i].cache_control, &cc, why, sizeof why) != 0) {
            snprintf(err, errlen, "$.content.classes[%d].cache_control: %s", i, why);
            return -1;
        }
        k->storable = http_cc_storable(&cc);
        /* no explicit or heuristic lifetime: the scenario's content.ttl_s
         * as given, fractions and all (whole seconds would make a ttl_s of
         * 0.5 a TTL of 0) */
        http_dates_t d = specs[i].dates;
        d.heuristic_fraction = opts ? opts->heuristic_fraction : 0.1;
        double life = http_freshness_lifetime(&cc, &d);
        k->ttl = life < 0 ? default_ttl : simtime_from_s(life);
        /* stale serving is allowed only where the header permits it */
        bool strict = opts && opts->s_maxage_revalidates;
        k->swr = http_cc_shared_may_serve_stale(&cc, 0, false, strict) && cc.stale_while_revalidate > 0
                     ? seconds(cc.stale_while_revalidate) : 0;
        k->sie = http_cc_shared_may_serve_stale(&cc, 0, true, strict) && cc.stale_if_error > 0
                     ? seconds(cc.stale_if_error) : 0;
        k->error_ttl = specs[i].error_ttl_s > 0 ? simtime_from_s(specs[i].error_ttl_s) : 0;
        const content_class_spec_t *s = &specs[i];
        uint64_t v = s->vary_variants ? s->vary_variants : 1;
        if (s->query == QUERY_KEEP) v *= s->query_variants ? s->query_variants : 1;
        if (s->query == QUERY_KEEP_LISTED) v *= s->listed_variants ? s->listed_variants : 1;
        if (s->cookie_in_key) v *= s->cookie_cardinality ? s->cookie_cardinality : 1;
        k->variants = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        k->rate_per_ns = s->change_per_hour / 3600e9;
    }
    if (ncls > 0) c->cum[ncls - 1] = 1.0;
    return 0;
}

int content_class_of(const content_t *c, uint64_t object)
{
    if (c->ncls <= 1) return 0;
    double u = unit(mix(c->seed, object));
    for (int i = 0; i < c->ncls; i++)
        if (u < c->cum[i]) return i;
    return c->ncls - 1;
}

uint64_t content_variant_key(uint64_t object, uint32_t variant)
{
    /* a distinct 64-bit key per (object, variant); variant 0 keeps the id */
    return variant == 0 ? object : mix(object, variant) | (1ULL << 63);
}

uint64_t content_request_key(const content_t *c, int k, uint64_t object, gsl_rng *r)
{
    if (c->ncls == 0 || c->cls[k].variants <= 1) return object;
    return content_variant_key(object, (uint32_t)gsl_rng_uniform_int(r, c->cls[k].variants));
}

uint32_t content_variants(const content_t *c, int k)
{
    return c->ncls == 0 ? 1 : c->cls[k].variants;
}

uint32_t content_version(const content_t *c, int k, uint64_t object, simtime_t t)
{
    if (c->ncls == 0 || c->cls[k].rate_per_ns <= 0) return 0;
    double phase = unit(mix(c->seed ^ 0x5bd1e995u, object));
    /* in 64 bits, then wrapped to the 24 a cached copy keeps: a count past
     * 2^24 (20000 s at 1000 changes a second) must still equal the copy's
     * own, and one past 2^32 must not overflow the conversion */
    uint64_t v = (uint64_t)floor((double)t * c->cls[k].rate_per_ns + phase);
    return (uint32_t)(v & CONTENT_VERSION_MASK);
}
