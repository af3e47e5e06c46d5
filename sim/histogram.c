/* histogram — log-linear buckets; see histogram.h. */
#include "sim/histogram.h"

#include <math.h>
#include <string.h>

#define SUB_BITS 7                  /* 128 sub-buckets per power of two */
#define LINEAR_LIMIT (2 << SUB_BITS) /* values below are their own bucket */

/* The bucket of v, and the bucket's lower bound in *lo. */
static inline unsigned bucket_of(uint64_t v, uint64_t *lo)
{
    if (v < LINEAR_LIMIT) { *lo = v; return (unsigned)v; }
    unsigned e = 63u - (unsigned)__builtin_clzll(v);   /* >= SUB_BITS + 1 */
    unsigned shift = e - SUB_BITS;
    *lo = (v >> shift) << shift;
    unsigned sub = (unsigned)(v >> shift) - (1u << SUB_BITS);
    return LINEAR_LIMIT + (e - SUB_BITS - 1) * (1u << SUB_BITS) + sub;
}

static uint64_t bucket_low(unsigned i)
{
    if (i < LINEAR_LIMIT) return i;
    unsigned k = i - LINEAR_LIMIT, shift = k / (1u << SUB_BITS) + 1;
    return ((uint64_t)(1u << SUB_BITS) + k % (1u << SUB_BITS)) << shift;
}

void hist_init(histogram_t *h) { memset(h, 0, sizeof *h); }

void hist_record(histogram_t *h, int64_t v)
{
    if (v < 0) v = 0;
    if (h->count == 0 || v < h->min) h->min = v;
    if (h->count == 0 || v > h->max) h->max = v;
    h->count++;
    h->sum += (double)v;
    uint64_t lo;
    unsigned b = bucket_of((uint64_t)v, &lo);
    h->bucket[b]++;
    h->offset_sum[b] += (double)(v - (int64_t)lo);
}

void hist_merge(histogram_t *into, const histogram_t *from)
{
    if (from->count == 0) return;
    if (into->count == 0 || from->min < into->min) into->min = from->min;
    if (into->count == 0 || from->max > into->max) into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        into->bucket[i] += from->bucket[i];
        into->offset_sum[i] += from->offset_sum[i];
    }
}

double hist_quantile(const histogram_t *h, double q)
{
    if (h->count == 0) return 0;
    if (q <= 0) return (double)h->min;
    if (q >= 1) return (double)h->max;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count), seen = 0;
    if (rank == 0) rank = 1;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= rank) return (double)bucket_low(i) + h->offset_sum[i] / (double)h->bucket[i];
    }
    return (double)h->max;
}

double hist_mean(const histogram_t *h) { return h->count ? h->sum / (double)h->count : 0; }
