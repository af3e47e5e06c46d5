/* metrics — tallies and time series; see metrics.h. */
#include "models/cdn/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const status_names[ST_COUNT] = {
    "HIT", "MISS", "EXPIRED", "REVALIDATED", "STALE", "BYPASS", "COLLAPSED", "ERROR",
    "DENIED", "COMPUTED",
};

void json_add_count(cJSON *o, const char *key, uint64_t v)
{
    /* Below 2^52 cJSON prints every integer exactly (its round-trip check is
     * tight enough there), and in-process readers see a number. */
    if (v < (1ULL << 52)) {
        cJSON_AddNumberToObject(o, key, (double)v);
        return;
    }
    char buf[24];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    cJSON_AddRawToObject(o, key, buf);
}

void tally_add(tally_t *t, req_status_t st, uint32_t size, simtime_t latency)
{
    t->requests++;
    t->bytes += size;
    t->status[st]++;
    if (status_is_hit(st)) { t->hits++; t->hit_bytes += size; }
    hist_record(&t->latency, latency);
}

void tally_merge(tally_t *into, const tally_t *from)
{
    into->requests += from->requests;
    into->hits += from->hits;
    into->bytes += from->bytes;
    into->hit_bytes += from->hit_bytes;
    for (int i = 0; i < ST_COUNT; i++) into->status[i] += from->status[i];
    hist_merge(&into->latency, &from->latency);
}

static double hit_ratio(const tally_t *t)
{
    return t->requests ? (double)t->hits / (double)t->requests : 0;
}

static double byte_hit_ratio(const tally_t *t)
{
    return t->bytes ? (double)t->hit_bytes / (double)t->bytes : 0;
}

void tally_to_json(const tally_t *t, cJSON *o)
{
    json_add_count(o, "requests", t->requests);
    json_add_count(o, "hits", t->hits);
    cJSON_AddNumberToObject(o, "hit_ratio", hit_ratio(t));
    cJSON_AddNumberToObject(o, "byte_hit_ratio", byte_hit_ratio(t));
    json_add_count(o, "bytes", t->bytes);
    cJSON *st = cJSON_AddObjectToObject(o, "status");
    for (int i = 0; i < ST_COUNT; i++) json_add_count(st, status_names[i], t->status[i]);
    cJSON *lat = cJSON_AddObjectToObject(o, "latency_ms");
    cJSON_AddNumberToObject(lat, "mean", hist_mean(&t->latency) / 1e6);
    /* enough percentiles to draw a latency CDF (plots pick up every pNN) */
    static const struct { const char *name; double q; } pct[] = {
        { "p10", 0.10 }, { "p25", 0.25 }, { "p50", 0.50 }, { "p75", 0.75 },
        { "p90", 0.90 }, { "p95", 0.95 }, { "p99", 0.99 }, { "p999", 0.999 },
    };
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++)
        cJSON_AddNumberToObject(lat, pct[i].name, hist_quantile(&t->latency, pct[i].q) / 1e6);
    cJSON_AddNumberToObject(lat, "max", (double)(t->latency.count ? t->latency.max : 0) / 1e6);
}

int series_init(series_t *s, simtime_t interval, uint64_t max_points)
{
    memset(s, 0, sizeof *s);
    s->interval = interval;
    s->max_points = max_points;
    return 0;
}

/* Halves the resolution: point j becomes points 2j and 2j+1 merged. */
static void series_coarsen(series_t *s)
{
    uint64_t half = (s->n + 1) / 2;
    for (uint64_t j = 0; j < half; j++) {
        series_point_t *to = &s->points[j], *a = &s->points[2 * j];
        if (to != a) *to = *a;
        if (2 * j + 1 >= s->n) continue;
        const series_point_t *b = &s->points[2 * j + 1];
        to->requests += b->requests;
        to->hits += b->hits;
        to->origin_requests += b->origin_requests;
        to->latency_sum_ns += b->latency_sum_ns;
        hist_small_merge(&to->latency, &b->latency);
    }
    if (s->n > half) memset(s->points + half, 0, (s->n - half) * sizeof *s->points);
    s->n = half;
    s->interval *= 2;
}

void series_free(series_t *s) { free(s->points); memset(s, 0, sizeof *s); }

series_point_t *series_at(series_t *s, simtime_t t)
{
    uint64_t i;
    while ((i = (uint64_t)(t / s->interval)) >= s->max_points) series_coarsen(s);
    if (i >= s->cap) {
        uint64_t cap = s->cap ? s->cap : 64;
        while (cap <= i) cap *= 2;
        series_point_t *p = realloc(s->points, cap * sizeof *p);
        if (!p) return NULL;
        s->points = p;
        s->cap = cap;
    }
    /* points past n are zeroed only when reached: the capacity's pages
     * stay untouched (a 64-point series is 248 KB, and the parallel world
     * keeps one a domain: 300 of them were 74 MB for 10 points each) */
    if (i >= s->n) {
        memset(s->points + s->n, 0, (i + 1 - s->n) * sizeof *s->points);
        s->n = i + 1;
    }
    return &s->points[i];
}

/* The arrays of s over n intervals (those past s->n empty); t_s with times. */
static void series_arrays(cJSON *o, const series_t *s, uint64_t n, simtime_t end, bool times)
{
    static const series_point_t empty;
    cJSON *t = times ? cJSON_AddArrayToObject(o, "t_s") : NULL, *req = cJSON_AddArrayToObject(o, "requests");
    cJSON *hr = cJSON_AddArrayToObject(o, "hit_ratio"), *orr = cJSON_AddArrayToObject(o, "origin_rps");
    cJSON *lat = cJSON_AddArrayToObject(o, "latency_mean_ms");
    cJSON *p99 = cJSON_AddArrayToObject(o, "latency_p99_ms");
    for (uint64_t i = 0; i < n; i++) {
        const series_point_t *p = i < s->n ? &s->points[i] : &empty;
        simtime_t start = (simtime_t)i * s->interval, stop = start + s->interval;
        if (end > start && end < stop) stop = end; /* a short last interval */
        double secs = simtime_to_s(stop - start);
        if (t) cJSON_AddItemToArray(t, cJSON_CreateNumber(simtime_to_s(start)));
        cJSON_AddItemToArray(req, cJSON_CreateNumber((double)p->requests));
        cJSON_AddItemToArray(hr, cJSON_CreateNumber(p->requests ? (double)p->hits / (double)p->requests : 0));
        cJSON_AddItemToArray(orr, cJSON_CreateNumber((double)p->origin_requests / secs));
        cJSON_AddItemToArray(lat, cJSON_CreateNumber(p->requests ? p->latency_sum_ns / (double)p->requests / 1e6 : 0));
        cJSON_AddItemToArray(p99, cJSON_CreateNumber(hist_small_quantile(&p->latency, 0.99) / 1e6));
    }
}

cJSON *series_to_json(const series_t *s, simtime_t end)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "interval_s", simtime_to_s(s->interval));
    series_arrays(o, s, s->n, end, true);
    return o;
}

cJSON *series_pop_json(series_t *s, const series_t *all, simtime_t end, const char *id)
{
    while (s->interval < all->interval) series_coarsen(s);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id);
    if (o) series_arrays(o, s, all->n, end, false);
    return o;
}

int series_merge(series_t *into, const series_t *from)
{
    if (from->interval != into->interval) return -1;
    for (uint64_t i = 0; i < from->n; i++) {
        const series_point_t *f = &from->points[i];
        series_point_t *p = series_at(into, (simtime_t)i * from->interval);
        if (!p) return -1;
        p->requests += f->requests;
        p->hits += f->hits;
        p->origin_requests += f->origin_requests;
        p->latency_sum_ns += f->latency_sum_ns;
        hist_small_merge(&p->latency, &f->latency);
    }
    return 0;
}
