/* workload — the stream of requests a run replays: synthetic or from a trace.
 *
 * zipf: the independent reference model. Arrivals are Poisson at rate_rps
 * (stream "workload.arrivals"); object k of 1..objects is drawn with
 * probability proportional to 1/k^alpha (stream "workload.objects"): from
 * an alias table up to 10^5 objects; beyond, the 65,536 most popular from
 * an alias table and the rest by rejection-inversion. An
 * object's size is a pure function of (seed, key), so it never changes
 * between requests. trace: requests in the trace's own time.
 *
 * locality (zipf): the draw gives a rank, and each region (a continent of
 * the caller's) maps rank to object through its own table. Rank r is local
 * with probability locality (a seeded mark shared by every region); a rank
 * that is not local names object r in every region (the global ranking);
 * the local ranks' objects are a seeded permutation, one per region, of the
 * objects whose own rank is local. So every region's table is a bijection
 * of 1..objects, locality 0 is the identity (today's one ranking) and 1 a
 * full permutation per region.
 *
 * sample < 1 (miniature simulation, Waldspurger et al., ATC'17): only keys
 * that sample_keep passes at that rate appear, each with every one of its
 * requests. A zipf catalog of up to 2^26 objects (2^23 expected sampled)
 * becomes a table of the sampled keys: arrivals at rate_rps times their
 * request share q, each key drawn from the Zipf law conditioned on the sampled set, which is
 * exactly the full stream thinned by a per-key coin (Poisson thinning), at
 * no cost per key left out. Larger catalogs and traces draw (read) every
 * request and skip the keys left out, inside workload_next; with locality
 * the caller skips them (workload_keep). */
#ifndef CDNSIM_WORKLOAD_H
#define CDNSIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/simtime.h"

typedef enum workload_type { WORKLOAD_ZIPF, WORKLOAD_TRACE } workload_type_t;
typedef enum size_dist { SIZE_FIXED, SIZE_LOGNORMAL } size_dist_t;

typedef struct workload_spec {
    workload_type_t type;
    uint64_t objects;        /* zipf: catalog size */
    double alpha;            /* zipf exponent */
    double rate_rps;         /* zipf: Poisson arrival rate */
    uint64_t size_bytes;     /* fixed size, or the lognormal mean */
    size_dist_t size_dist;
    double size_sigma;       /* lognormal shape */
    char *trace_path;        /* trace: resolved relative to the scenario file */
    int trace_format;        /* trace_format_t */
    double locality;         /* zipf: share of ranks mapped per region, in [0, 1]; 0 = one global ranking */
    unsigned regions;        /* tables built when locality > 0: regions 0..regions-1 */
    double sample;           /* workload.sample: keys with sample_hash under this share
                              * are simulated, the rest never drawn; 0 or 1: every key */
} workload_spec_t;

/* The largest catalog locality takes: a 4-byte table entry per object and
 * region (7 regions of 2^22 objects: 117 MB). */
#define WORKLOAD_LOCALITY_MAX_OBJECTS (1u << 22)

typedef struct workload workload_t;

typedef struct request_spec {
    simtime_t time;        /* when the client sends it */
    uint64_t key;
    uint32_t size;
    int64_t next_access;   /* -1 unknown */
} request_spec_t;

/* need_future: fill next_access (for belady), with one extra pass over a
 * text trace. */
workload_t *workload_create(const workload_spec_t *w, uint64_t seed, bool need_future, char *err,
                            size_t errlen);
void workload_destroy(workload_t *w);
/* 1: next request in *r; 0: no more; -1: error (message in err). */
int workload_next(workload_t *w, request_spec_t *r, char *err, size_t errlen);
/* Up to max requests into r[0..): those as many workload_next calls would
 * give, in order; 0 at the end, -1 on error (the requests before a
 * malformed record come first). An unsampled trace decodes them in one
 * loop (trace_next_many); others come one at a time, since a sampled
 * trace's shares count what was read, and a caller may not use it all. */
int64_t workload_next_many(workload_t *w, request_spec_t *r, size_t max, char *err, size_t errlen);
/* zipf: the size of object key, a pure function of (seed, key). */
uint32_t workload_object_size(const workload_t *w, uint64_t key);

/* The share of keys a sampled run simulates: |S|/objects for a zipf table
 * or with locality, for a trace its distinct keys kept over those read
 * (HyperLogLog counts, the rate before any is read), else the rate asked
 * for; 1 without sampling. */
double workload_key_share(const workload_t *w);
/* The share of the full stream's requests a sampled run simulates: exact
 * for a zipf table (the sampled keys' probability mass), else the share of
 * requests read (trace) or drawn so far that were kept, the rate asked for
 * before any; 1 without sampling. */
double workload_request_share(const workload_t *w);
/* Whether key is among the simulated (always true without sampling). */
bool workload_sampled(const workload_t *w, uint64_t key);
/* Sampling with locality: a rank drawn names a different object in each
 * region, so workload_next keeps every arrival and the caller asks, for each
 * request it would send with its object drawn, whether the object rank
 * r->key names in `region` is sampled (counted for the request share).
 * Always true otherwise. Exact (the per-object coin on the full stream), but
 * every arrival left out is still drawn. */
bool workload_keep(workload_t *w, const request_spec_t *r, unsigned region);

/* From now on a zipf workload_next gives only the time (key 0, size 0), and
 * the caller draws the object with workload_object for the requests it
 * keeps: a caller that thins candidates (the diurnal cycle) then spends no
 * Zipf draw on those it throws away. The kept requests' keys are the same
 * stream, drawn in the same order, so the law is unchanged. A trace is
 * unaffected: its keys come with its times. */
void workload_defer_objects(workload_t *w);
/* Fills key and size of a deferred request r (no-op when already drawn). */
void workload_object(workload_t *w, request_spec_t *r);

/* zipf: one split of the arrival stream (the parallel world's domains):
 * from time 0 on, arrivals at rate_rps, their times and objects from
 * streams of their own ("workload.arrivals/<tag>", "workload.objects/<tag>");
 * object sizes and the catalog are unchanged (they are the seed's). -1 for a
 * trace, a rate <= 0, or out of memory. Call before the first workload_next. */
int workload_restream(workload_t *w, uint64_t seed, const char *tag, double rate_rps);
/* zipf: a split of base's stream as workload_restream makes it (streams
 * "workload.arrivals/<tag>", "workload.objects/<tag>", rate_rps), sharing
 * every table of base (the alias table, the size memo, the sampled keys, the
 * locality rankings: 1 MB and 4 bytes an object for world.json's catalog,
 * instead of a copy per split). base must outlive its splits and draw no
 * more; splits may run on different threads (the memo's slots are written
 * atomically, each only ever with its one value). NULL for a trace or out
 * of memory. */
workload_t *workload_split(const workload_t *base, uint64_t seed, const char *tag, double rate_rps);
/* zipf: arrivals at rate_rps from `from` on (0: none), the next one drawn
 * afresh (Poisson arrivals are memoryless, so the law is that of a rate
 * changing at `from`). */
void workload_set_rate(workload_t *w, double rate_rps, simtime_t from);
/* Both take the full stream's rate; a sampled table's split runs at that
 * times the sampled keys' share, as workload_create's stream does. */
/* The parallel world: a split's requests drawn and kept (workload.sample)
 * added to `into`'s, so workload_request_share speaks for all the splits. */
void workload_add_counts(workload_t *into, const workload_t *from);

/* With locality, turns r's key (a rank, as drawn) into the object that rank
 * names in `region` and gives it that object's size; a no-op without
 * locality, for a trace, or for a region past spec.regions. One table read,
 * no allocation. */
void workload_localize(workload_t *w, request_spec_t *r, unsigned region);
/* The object at rank in region (rank in 1..objects): the identity without
 * locality. For tests and analyses. */
uint64_t workload_rank_object(const workload_t *w, unsigned region, uint64_t rank);
/* Whether rank is one of the local ranks (those mapped per region). */
bool workload_rank_is_local(const workload_t *w, uint64_t rank);

#endif
