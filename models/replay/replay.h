/* replay — a trace replayed through caches alone: no events, no latency.
 *
 * replay_load maps a plain oracleGeneral file and replays its records in
 * place (checked once by the trace reader, never copied: on a fresh machine
 * a copy's first touch of new memory costs more than the replay), or decodes
 * any other trace once into records of the same layout; replay_run
 * feeds every (policy, capacity) pair from that buffer, each pair on its own
 * cache, pairs handed to threads from a shared counter. Every request is
 * counted (no warm-up): a lookup, then a touch on a hit or an insertion on a
 * miss, as libCacheSim's cachesim does.
 *
 * Spatial sampling (SHARDS, Waldspurger et al., FAST'15): with rate R < 1
 * only keys whose 64-bit hash falls below R * 2^64 are kept, so a kept key
 * keeps all its requests; a caller scales capacities by R (replay_scaled).
 *
 * Invariant: a pair's counts depend only on the buffer and the pair, so the
 * output is the same whatever the thread count. */
#ifndef CDNSIM_REPLAY_H
#define CDNSIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One request in the layout of an oracleGeneral record (libCacheSim's
 * binary trace format: seconds, object id, size, next access as a request
 * number or -1), packed and little-endian: a plain oracleGeneral file is
 * replayed in place, mapped, and every other trace is decoded into it. */
typedef struct __attribute__((packed)) replay_rec {
    uint32_t time;          /* unused by replay */
    uint64_t key;
    uint32_t size;          /* 0 in a file counts as 1 (replay_size) */
    int64_t next;           /* -1 none; filled only when Belady asked */
} replay_rec_t;

typedef struct replay_buf {
    replay_rec_t *rec;      /* n requests in trace order; read-only when mapped */
    size_t mapped;          /* bytes of the file mapping rec lies in, 0 when rec is malloc'ed */
    uint32_t *ids;          /* the key's number below nids per request; NULL when
                             * every key is its own number (or nids is 0) */
    uint64_t n;
    uint64_t read;          /* requests in the trace before sampling */
    double sample;          /* the rate kept, 1 for all */
    uint32_t nids;          /* keys numbered densely (replay_id < nids), so the
                             * caches index an array by id instead of hashing
                             * keys; 0 when the numbers would not pay (see
                             * replay.c) and the caches hash keys */
} replay_buf_t;

static inline uint32_t replay_size(const replay_buf_t *b, uint64_t i)
{
    uint32_t s = b->rec[i].size;
    return s ? s : 1;
}

static inline uint32_t replay_id(const replay_buf_t *b, uint64_t i)
{
    return b->ids ? b->ids[i] : (uint32_t)b->rec[i].key;
}

/* Decodes the trace at path (format a trace_format_t) into b. need_next:
 * fill next accesses (Belady). sample in (0, 1]. 0 ok, -2 bad input, -1 out
 * of memory; message in err. */
int replay_load(replay_buf_t *b, const char *path, int format, bool need_next, double sample,
                char *err, size_t errlen);
void replay_free(replay_buf_t *b);

typedef struct replay_pair {
    const char *policy;     /* in */
    uint64_t capacity;      /* in: objects, or bytes when by_bytes */
    bool by_bytes;          /* in */
    uint64_t requests, misses, bytes, miss_bytes;   /* out */
    int status;             /* out: 0 ok, else failed (err) */
    char err[160];
} replay_pair_t;

/* Runs every pair over b on up to `threads` threads (0: one). 0 when every
 * pair ran; else -1 with the first failing pair's message in err. */
int replay_run(const replay_buf_t *b, replay_pair_t *pairs, size_t n, int threads, char *err,
               size_t errlen);

/* Capacity c scaled by a sampling rate, at least 1. */
uint64_t replay_scaled(uint64_t c, double rate);

#endif
