/* histogram — log-linear buckets; see histogram.h. */
#include "sim/histogram.h"

#include <math.h>
#include <string.h>

#define SUB_BITS 7        /* histogram_t: 128 sub-buckets per power of two */
#define SMALL_SUB_BITS 4  /* hist_small_t: 16 */

/* The bucket of v with `bits` sub-bucket bits, and its lower bound in *lo.
 * Values below 2^(bits+1) are their own bucket. */
static inline unsigned bucket_of(uint64_t v, unsigned bits, uint64_t *lo)
{
    unsigned linear = 2u << bits;
    if (v < linear) { *lo = v; return (unsigned)v; }
    unsigned e = 63u - (unsigned)__builtin_clzll(v);   /* >= bits + 1 */
    unsigned shift = e - bits;
    *lo = (v >> shift) << shift;
    unsigned sub = (unsigned)(v >> shift) - (1u << bits);
    return linear + (e - bits - 1) * (1u << bits) + sub;
}

/* Lower bound and width of bucket i. */
static uint64_t bucket_low(unsigned i, unsigned bits, uint64_t *width)
{
    unsigned linear = 2u << bits;
    *width = 1;
    if (i < linear) return i;
    unsigned k = i - linear, shift = k / (1u << bits) + 1;
    *width = (uint64_t)1 << shift;
    return ((uint64_t)(1u << bits) + k % (1u << bits)) << shift;
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
    unsigned b = bucket_of((uint64_t)v, SUB_BITS, &lo);
    h->bucket[b].n++;
    h->bucket[b].offset_sum += (double)(v - (int64_t)lo);
}

void hist_merge(histogram_t *into, const histogram_t *from)
{
    if (from->count == 0) return;
    if (into->count == 0 || from->min < into->min) into->min = from->min;
    if (into->count == 0 || from->max > into->max) into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
    /* empty buckets skipped (they add nothing), so a merge into an empty
     * histogram touches only the pages of the buckets in use */
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        if (from->bucket[i].n == 0) continue;
        into->bucket[i].n += from->bucket[i].n;
        into->bucket[i].offset_sum += from->bucket[i].offset_sum;
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
        seen += h->bucket[i].n;
        if (seen >= rank) {
            uint64_t width;
            return (double)bucket_low(i, SUB_BITS, &width) + h->bucket[i].offset_sum / (double)h->bucket[i].n;
        }
    }
    return (double)h->max;
}

double hist_mean(const histogram_t *h) { return h->count ? h->sum / (double)h->count : 0; }

void hist_small_record(hist_small_t *h, int64_t v)
{
    uint64_t lo;
    h->bucket[bucket_of(v < 0 ? 0 : (uint64_t)v, SMALL_SUB_BITS, &lo)]++;
    h->count++;
}

void hist_small_merge(hist_small_t *into, const hist_small_t *from)
{
    for (unsigned i = 0; i < HIST_SMALL_BUCKETS; i++) into->bucket[i] += from->bucket[i];
    into->count += from->count;
}

double hist_small_quantile(const hist_small_t *h, double q)
{
    if (h->count == 0) return 0;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count), seen = 0;
    if (rank == 0) rank = 1;
    for (unsigned i = 0; i < HIST_SMALL_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= rank) {
            uint64_t width, lo = bucket_low(i, SMALL_SUB_BITS, &width);
            return (double)lo + (double)(width - 1) / 2;
        }
    }
    return 0;
}
