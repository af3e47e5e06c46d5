/* mrc — miss-ratio curves: the exact LRU curve at every size in one pass.
 *
 * LRU is a stack algorithm (Mattson et al., 1970): a cache of C objects
 * holds the C most recently used ones, so a request hits exactly when its
 * stack distance (the distinct objects requested since the key's previous
 * request, itself included) is at most C. One pass over a decoded trace
 * (replay_buf_t) finds every request's distance with a Fenwick tree over
 * last-access times: each object has one mark, at the time of its latest
 * request, so the marks after time p count the distinct objects requested
 * since p (O(log M) a request, M the objects; the times are renumbered when
 * they run out, so the tree holds O(M) cells, never O(N)).
 *
 * With bytes the marks weigh the objects' sizes and a request needs a cache
 * of (its size + the bytes of the distinct objects requested since) to hit.
 * That is cdnsim's byte LRU exactly at every capacity of at least the largest
 * object (and while every key keeps one size): below it the cache refuses
 * the larger objects, the cache is no longer a stack and the caller
 * simulates those sizes (mrc_lru_t.max_size says where).
 *
 * On a sampled buffer (SHARDS, Waldspurger et al., FAST'15) the distances
 * are the sample's; a distance d stands for d / rate in the full trace, so
 * the caller asks mrc_lru_at at the capacity scaled by the rate.
 *
 * Invariant: steps[] is sorted by need, strictly increasing; steps[i].hits
 * and .hit_bytes count the requests whose need is at most steps[i].need, so
 * mrc_lru_at(c) is the hit count of an LRU cache of capacity c replaying the
 * buffer (for bytes: when c >= max_size and size_changes == 0). */
#ifndef CDNSIM_MRC_H
#define CDNSIM_MRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/replay/replay.h"

typedef struct mrc_step {
    uint64_t need;        /* the smallest capacity at which these requests hit */
    uint64_t hits;        /* requests with need <= this one's (cumulative) */
    uint64_t hit_bytes;   /* their bytes */
} mrc_step_t;

typedef struct mrc_lru {
    bool by_bytes;
    uint64_t requests, bytes;       /* of the buffer */
    uint64_t objects;               /* distinct keys */
    uint64_t object_bytes;          /* their sizes (as last requested) summed */
    uint64_t max_size;              /* the largest request size */
    uint64_t size_changes;          /* requests whose key came with another size before */
    mrc_step_t *steps;
    size_t nsteps;
} mrc_lru_t;

/* One pass over b. 0, or -1 out of memory (message in err). */
int mrc_lru_build(mrc_lru_t *m, const replay_buf_t *b, bool by_bytes, char *err, size_t errlen);
void mrc_lru_free(mrc_lru_t *m);

/* Misses and missed bytes of an LRU cache of capacity c (objects, or bytes
 * when built by_bytes) over the buffer. */
void mrc_lru_at(const mrc_lru_t *m, uint64_t c, uint64_t *misses, uint64_t *miss_bytes);

/* SHARDS_adj (Waldspurger et al., FAST'15, section 4.2): a sample of rate
 * R holds `sampled` of the `read` requests where R * read were expected; the
 * difference is mostly requests to the hottest keys, so it is counted as
 * hits (at the smallest distance, so at every size) and the miss ratio is
 * misses / (R * read), at most 1. The raw misses / sampled when R is 1 or
 * nothing was expected. */
double mrc_shards_ratio(uint64_t misses, uint64_t sampled, uint64_t read, double rate);

/* The distinct keys of b, their bytes (sizes as last requested), the
 * largest request size (where a curve's sizes end) and the requests whose
 * key came with another size before (mrc_lru_t.size_changes). 0, -1 out of
 * memory. */
int mrc_working_set(const replay_buf_t *b, uint64_t *objects, uint64_t *bytes, uint64_t *max_size,
                    uint64_t *size_changes, char *err, size_t errlen);

/* Whether miniature simulation (a sampled trace with every size scaled by
 * the rate) stands for policy's full simulation: true for the policies whose
 * every parameter is a share of the capacity (or none), so a miniature of
 * rate R is the same policy at R times the size. A policy with an absolute
 * parameter (a fixed window, a fixed count) would not scale; none is
 * registered today, and a newly registered policy is refused here until its
 * parameters are checked and it is added. */
bool mrc_sampling_supported(const char *policy);
/* The names for which mrc_sampling_supported holds, NULL-terminated. */
const char *const *mrc_sampling_policies(void);

/* The k capacities of a curve: 1 (or lo) up to hi, spread evenly on a log
 * scale, rounded, duplicates dropped; sorted. Returns how many were written
 * into out (at most k). */
size_t mrc_grid(uint64_t lo, uint64_t hi, size_t k, uint64_t *out);

#endif
