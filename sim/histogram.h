/* histogram — streaming latency distribution in bounded memory.
 *
 * Log-linear buckets (as HdrHistogram): values below 256 ns are exact; above,
 * each power of two is split into 128 equal sub-buckets, so a bucket is at
 * most 1/128 of its lower bound wide: any two values in it are within 0.8%. A percentile reports the mean of the samples in its bucket, which lies
 * inside the bucket, so it is within 1% relative error for any number of
 * samples, and exact when the bucket's samples are equal (as deterministic
 * latencies in a simulation often are), in 117 KB. Min, max, sum and count
 * are exact. */
#ifndef CDNSIM_HISTOGRAM_H
#define CDNSIM_HISTOGRAM_H

#include <stdint.h>

#define HIST_BUCKETS 7296  /* 256 exact + 54 octaves x 128 */

typedef struct histogram {
    uint64_t count;
    int64_t min, max;  /* valid when count > 0 */
    double sum;
    /* A bucket's count beside the sum of its (sample - bucket's lower
     * bound), small numbers, so the bucket mean is exact when its samples
     * are equal, whatever their count. Side by side, a record touches one
     * cold cache line, not one in each of two arrays 58 KB apart. */
    struct hist_bucket { uint64_t n; double offset_sum; } bucket[HIST_BUCKETS];
} histogram_t;

void hist_init(histogram_t *h);
void hist_record(histogram_t *h, int64_t v);   /* v < 0 is recorded as 0 */
void hist_merge(histogram_t *into, const histogram_t *from);
/* Nearest-rank quantile, q in [0, 1]; 0 when empty. */
double hist_quantile(const histogram_t *h, double q);
double hist_mean(const histogram_t *h);

/* A compact companion for percentiles per time-series interval: 16 buckets
 * per power of two (a bucket midpoint is within 3.2% of any value in it),
 * 32-bit counts, 3.7 KB. */
#define HIST_SMALL_BUCKETS 960  /* 32 exact + 58 octaves x 16 */

typedef struct hist_small {
    uint32_t count;
    uint32_t bucket[HIST_SMALL_BUCKETS];
} hist_small_t;

void hist_small_record(hist_small_t *h, int64_t v);
void hist_small_merge(hist_small_t *into, const hist_small_t *from);
double hist_small_quantile(const hist_small_t *h, double q);

#endif
