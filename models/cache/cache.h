/* cache — one PoP's object store: an eviction policy over a slab of entries.
 *
 * The core owns the entries (key, size, freshness), the key index and the
 * capacity accounting; the policy (one file each under models/cache/, see
 * cache_policy.h) only decides order: what a hit does and which object goes
 * next. Entries live in a slab addressed by 32-bit slot numbers, each slot
 * holding the 24-byte entry followed by the policy's own per-object metadata,
 * so an object pays for exactly one policy.
 *
 * Invariants: objects() <= capacity_objects and bytes() <= capacity_bytes
 * whenever a limit is set (0 means no limit); an object larger than the byte
 * capacity is never admitted. An entry pointer stays valid while its object
 * is cached (the slab grows by whole chunks that never move); after an
 * eviction the slot may hold another key. */
#ifndef CDNSIM_CACHE_H
#define CDNSIM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/simtime.h"

typedef struct cache cache_t;

typedef struct cache_entry {
    uint64_t key;
    uint32_t size;       /* bytes */
    uint32_t tag;        /* the owner's: content class, version (freshness layer) */
    simtime_t expires;   /* end of freshness; SIMTIME_MAX: never expires */
} cache_entry_t;

/* One request as the policy sees it. */
typedef struct cache_req {
    uint64_t key;
    uint32_t size;
    simtime_t now;
    int64_t next_access; /* virtual time of this key's next request, -1 unknown (belady) */
} cache_req_t;

typedef struct cache_config {
    const char *policy;          /* a name from cache_policy_names() */
    uint64_t capacity_objects;   /* 0: no object limit */
    uint64_t capacity_bytes;     /* 0: no byte limit */
    uint64_t seed;               /* scenario seed, for randomised policies */
    const char *stream;          /* random stream name, e.g. "pop-1.cache" */
} cache_config_t;

cache_t *cache_create(const cache_config_t *cfg, char *err, size_t errlen);
/* A dense-id cache: the caller numbers every key it will ever request with
 * an id below nids (a replay's decoded trace) and looks objects up by id
 * (cache_find_id, cache_put_id). The index is then a plain array of nids
 * cells, 4 bytes each: one read a lookup, no probing, no hashing. Which
 * objects the policy keeps is the same as in a keyed cache; cache_find and
 * cache_remove by key still work but scan the slab. */
cache_t *cache_create_ids(const cache_config_t *cfg, uint32_t nids, char *err, size_t errlen);
void cache_destroy(cache_t *c);

/* The entry for key or NULL; no policy update (a peek). */
cache_entry_t *cache_find(cache_t *c, uint64_t key);
/* cache_find for a dense-id cache: the entry for the key numbered id. */
cache_entry_t *cache_find_id(cache_t *c, uint32_t id);
/* cache_put for a dense-id cache: r's object (numbered id) never expires;
 * its entry's tag holds the id. */
cache_entry_t *cache_put_id(cache_t *c, const cache_req_t *r, uint32_t id);
/* cache_prefetch for a dense-id cache; `deep` also starts loading the entry
 * when the index cell is already at hand (a prefetch issued earlier). */
void cache_prefetch_id(const cache_t *c, uint32_t id, bool deep);
/* A hint that key will be looked up soon: starts loading its index cell, so
 * a lookup issued well after (other work in between) finds it in cache. */
void cache_prefetch(const cache_t *c, uint64_t key);
/* Tells the policy that e was hit by r. */
void cache_touch(cache_t *c, cache_entry_t *e, const cache_req_t *r);
/* Stores r's object, evicting as the policy says; replaces an existing entry
 * for the key. NULL when not admitted (too large, or the policy declines). */
cache_entry_t *cache_put(cache_t *c, const cache_req_t *r, simtime_t expires, uint32_t tag);
bool cache_remove(cache_t *c, uint64_t key);
/* Removes every object (a purge); the policy sees each removal. */
void cache_clear(cache_t *c);
/* Visits every entry (in slot order); fn may change its expiry or tag but
 * not its key or size, and returns true to have it removed (the policy sees
 * the removal). Returns the number removed. */
typedef bool cache_visit_fn(cache_entry_t *e, void *ctx);
uint64_t cache_sweep(cache_t *c, cache_visit_fn *fn, void *ctx);

uint64_t cache_objects(const cache_t *c);
uint64_t cache_bytes(const cache_t *c);
uint64_t cache_evictions(const cache_t *c);
const char *cache_policy_name(const cache_t *c);
/* Bytes of memory the cache holds (slots in use or freed, index, policy
 * state); slots reserved for the capacity but never used are not counted. */
size_t cache_memory(const cache_t *c);

/* Checks index, slab and accounting; for asserts and tests. */
bool cache_check(const cache_t *c);

/* The registered policy names, NULL-terminated. */
const char *const *cache_policy_names(void);

#endif
