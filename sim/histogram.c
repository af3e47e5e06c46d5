/* histogram — log-linear buckets; see histogram.h. */
#include "sim/histogram.h"

#include <math.h>
#include <string.h>

#define SUB_BITS 6                  /* 64 sub-buckets per power of two */
#define LINEAR_LIMIT (2 << SUB_BITS) /* values below are their own bucket */

static inline unsigned bucket_of(uint64_t v)
{
    if (v < LINEAR_LIMIT) return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v);   /* >= SUB_BITS + 1 */
    unsigned sub = (unsigned)(v >> (e - SUB_BITS)) - (1u << SUB_BITS);
    return LINEAR_LIMIT + (e - SUB_BITS - 1) * (1u << SUB_BITS) + sub;
}

/* Lower bound and width of bucket i. */
static void bucket_range(unsigned i, double *lo, double *width)
{
    if (i < LINEAR_LIMIT) { *lo = i; *width = 1; return; }
    unsigned k = i - LINEAR_LIMIT;
    unsigned e = k / (1u << SUB_BITS) + SUB_BITS + 1, sub = k % (1u << SUB_BITS);
    *width = ldexp(1.0, (int)(e - SUB_BITS));
    *lo = ldexp(1.0, (int)e) + sub * *width;
}

void hist_init(histogram_t *h) { memset(h, 0, sizeof *h); }

void hist_record(histogram_t *h, int64_t v)
{
    if (v < 0) v = 0;
    if (h->count == 0 || v < h->min) h->min = v;
    if (h->count == 0 || v > h->max) h->max = v;
    h->count++;
    h->sum += (double)v;
    h->bucket[bucket_of((uint64_t)v)]++;
}

void hist_merge(histogram_t *into, const histogram_t *from)
{
    if (from->count == 0) return;
    if (into->count == 0 || from->min < into->min) into->min = from->min;
    if (into->count == 0 || from->max > into->max) into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) into->bucket[i] += from->bucket[i];
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
        if (seen >= rank) {
            double lo, w;
            bucket_range(i, &lo, &w);
            double mid = w == 1 ? lo : lo + w / 2;
            if (mid < (double)h->min) mid = (double)h->min;
            if (mid > (double)h->max) mid = (double)h->max;
            return mid;
        }
    }
    return (double)h->max;
}

double hist_mean(const histogram_t *h) { return h->count ? h->sum / (double)h->count : 0; }
