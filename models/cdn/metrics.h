/* metrics — what a run measures, kept in bounded memory.
 *
 * One tally per scope (the whole CDN, each PoP): counts by status, bytes
 * requested and served from cache, a latency histogram. A time series keeps
 * the same counts per interval of virtual time, warm-up included so users can
 * see caches fill. Nothing keeps one record per request. */
#ifndef CDNSIM_METRICS_H
#define CDNSIM_METRICS_H

#include <stdint.h>
#include <cjson/cJSON.h>
#include "models/cdn/status.h"
#include "sim/histogram.h"
#include "sim/simtime.h"

typedef struct tally {
    uint64_t requests, hits;
    uint64_t bytes, hit_bytes;
    uint64_t status[ST_COUNT];
    histogram_t latency;       /* time to first byte, ns */
} tally_t;

typedef struct series_point {
    uint64_t requests, hits, origin_requests;
    double latency_sum_ns;
    hist_small_t latency;      /* for the interval's p99, within 3.2% */
} series_point_t;

/* A time series keeps at most max_points intervals (3.7 KB each; the CDN
 * model passes SCENARIO_MAX_INTERVALS, which a scenario with a duration is
 * checked against). A trace's span is known only at its end, so its series
 * doubles its interval (merging pairs of points) whenever the span would
 * need more. */
typedef struct series {
    simtime_t interval;        /* grows (doubles) when a trace outruns max_points */
    uint64_t n, cap, max_points; /* points[0, n) valid; [n, cap) not yet zeroed */
    series_point_t *points;
} series_t;

/* Adds an integer count so that it prints exactly: cJSON's number printing
 * may round integers beyond 2^52 (replication seeds, petabyte counts), which
 * therefore go in as raw text; smaller ones stay numbers. */
void json_add_count(cJSON *o, const char *key, uint64_t v);

/* A zeroed tally (calloc) is empty: no init call, so the pages of a
 * 117 KB latency histogram are touched only where samples land (300 PoPs'
 * tallies would otherwise take 35 MB at once). */
void tally_add(tally_t *t, req_status_t st, uint32_t size, simtime_t latency);
/* Adds from's counts and samples to into: the same tally as had every
 * sample been added to into (sums of integers, exact below 2^53 ns). */
void tally_merge(tally_t *into, const tally_t *from);
/* Adds the contract's request/hit/status/latency fields to obj. */
void tally_to_json(const tally_t *t, cJSON *obj);

/* max_points: the most intervals kept (tests pass fewer). */
int series_init(series_t *s, simtime_t interval, uint64_t max_points);
void series_free(series_t *s);
/* The point for virtual time t >= 0, growing the series (and coarsening it
 * past max_points); NULL only when out of memory. */
series_point_t *series_at(series_t *s, simtime_t t);
/* Adds from's points to into's, interval by interval (the parallel world's
 * domains, merged in a fixed order). -1 when the intervals differ or out of
 * memory. */
int series_merge(series_t *into, const series_t *from);
/* end: the virtual time the last interval stops at (it may be short). */
cJSON *series_to_json(const series_t *s, simtime_t end);
/* A PoP's series s as arrays aligned with the whole CDN's `all` (s is first
 * coarsened to all's interval, and padded with empty intervals to its
 * length): requests, hit_ratio, origin_rps, latency_mean_ms, latency_p99_ms. */
cJSON *series_pop_json(series_t *s, const series_t *all, simtime_t end, const char *id);

#endif
