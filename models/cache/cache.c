/* cache — slab, key index and capacity accounting; see cache.h.
 *
 * Slab: slots of entry + policy meta, in chunks that never move. A count-
 * limited cache (up to 2^24 objects) allocates one chunk for its capacity at
 * once; any other grows by chunks of 2^14 slots, so growth copies nothing
 * and wastes at most one chunk. Never-used slots are handed out in order
 * (`fresh`), so pages are touched only as the cache fills. Free slots are
 * chained through their entry's tag field.
 *
 * Index: open addressing with linear probing, at most 5/8 full so runs (and
 * the slab reads a lookup or a deletion makes) stay short; removal shifts the
 * following run back, so no tombstones. Any number of cells, not a power of
 * two: a key's home is the high half of its hash scaled to the table
 * (multiply-shift). It starts at 4096 cells (16 KB: the first rebuilds of a
 * world's hundreds of small caches were 1% of its instructions) and grows by
 * half whenever it would pass 5/8 full (stopping at exactly 5/8 of a known
 * object capacity), so a cache past 2,560 objects pays 6.4 to 9.6 bytes an
 * object it holds, whatever its capacity; it is resized in place and refilled from the slab, never two
 * copies at once.
 * A cell holds the slot number in its low bits (slot_mask) and the low hash
 * bits above them: a probe reads the slab only when those match, so a lookup
 * that misses almost never touches the slab. slot_mask is all ones and above
 * every slot number, so no cell equals the empty mark; it widens, rebuilding
 * the index, when a growing slab outgrows it.
 *
 * Invariant (cache_check): every used slot is in the index exactly once, at
 * the cell find_cell gives for its key and with its hash bits; objects and
 * bytes are the sums over the index; neither limit is exceeded. */
#include "models/cache/cache_policy.h"
#include "sim/hugealloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FREE_KEY UINT64_MAX   /* marks a free slot (an unusable key) */

struct cache {
    cache_slab_t slab;       /* first: policies read it inline (cache_policy.h) */
    const cache_policy_t *policy;
    void *state;
    cache_config_t cfg;
    char stream[64];         /* copy of cfg.stream */
    uint32_t nslots;         /* allocated */
    uint32_t fresh;          /* slots [fresh, nslots) were never used: handed out
                              * in order once the free list is empty, so pages
                              * of a slab sized for its capacity are touched
                              * only as the cache fills */
    uint32_t free_head;      /* CACHE_NO_SLOT when none */
    uint32_t *index;         /* tag | slot; CACHE_NO_SLOT marks an empty cell */
    uint32_t slot_mask;      /* (1 << slot_bits) - 1: slots are below it */
    uint64_t index_cells;    /* >= objects * 8/5; home cells via home_cell() */
    /* the request path's find-then-touch and find-then-put, made cheap: */
    cache_entry_t *found;    /* the entry cache_find last returned, or NULL */
    uint32_t found_slot;     /* its slot (saves a division in cache_touch) */
    uint64_t absent_key;     /* cache_find's last miss, while absent_valid */
    bool absent_valid;       /* false after any change to the index */
    uint64_t objects, bytes, evictions;
    bool dense;              /* cfg.dense_ids > 0: index[id] is the slot or CACHE_NO_SLOT */
};

static inline uint64_t hash_key(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

/* The high 32 hash bits scaled to [0, cells): uniform for any table size. */
static inline uint64_t home_cell(uint64_t key, uint64_t cells)
{
    return ((hash_key(key) >> 32) * cells) >> 32;
}

static inline uint64_t slot_key(const cache_t *c, uint32_t s)
{
    return ((const cache_entry_t *)(const void *)cache_slot_addr(&c->slab, s))->key;
}

const cache_config_t *cache_config(const cache_t *c) { return &c->cfg; }

uint64_t cache_capacity(const cache_t *c)
{
    return c->cfg.capacity_bytes ? c->cfg.capacity_bytes : c->cfg.capacity_objects;
}

uint64_t cache_used(const cache_t *c) { return c->cfg.capacity_bytes ? c->bytes : c->objects; }

/* The cell for slot s holding key under the current slot_mask. */
static inline uint32_t make_cell(const cache_t *c, uint64_t key, uint32_t s)
{
    return ((uint32_t)hash_key(key) & ~c->slot_mask) | s;
}

/* Rebuilds the index with `cells` cells and the slot field `mask`. */
static int index_rebuild(cache_t *c, uint64_t cells, uint32_t mask)
{
    /* Rebuilt from the slab, the old index is not needed: resizing it in
     * place (a large block is remapped, not copied) means a growing cache
     * never holds two indexes at once, and a failure leaves it intact. */
    uint32_t *idx = realloc(c->index, cells * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cells * sizeof *idx);
    c->slot_mask = mask;
    /* the slab in slot order, not the old index in cell order: each key is
     * read from memory anyway, and in slot order the reads are sequential */
    for (uint32_t s = 0; s < c->fresh; s++) {
        uint64_t key = slot_key(c, s);
        if (key == FREE_KEY) continue;
        uint64_t h = home_cell(key, cells);
        while (idx[h] != CACHE_NO_SLOT)
            if (++h == cells) h = 0;
        idx[h] = make_cell(c, key, s);
    }
    c->index = idx;
    c->index_cells = cells;
    return 0;
}

static int index_resize(cache_t *c, uint64_t cells) { return index_rebuild(c, cells, c->slot_mask); }

/* The index's next size: half again, but never past what a full cache of a
 * known object capacity needs (5/8 full), so a cache that fills ends at
 * exactly that size. */
static uint64_t next_cells(const cache_t *c)
{
    uint64_t grown = c->index_cells + c->index_cells / 2, cap = c->cfg.capacity_objects;
    uint64_t full = cap + cap * 3 / 5 + 2;
    return cap && full > c->index_cells && full < grown ? full : grown;
}

/* The narrowest slot field (all ones) that keeps slots below n under it. */
static uint32_t mask_for(uint64_t n)
{
    uint32_t m = 1;
    while (m < n && m != UINT32_MAX) m = m * 2 + 1;
    return m;
}

static uint64_t find_cell(const cache_t *c, uint64_t key)
{
    uint64_t h = home_cell(key, c->index_cells);
    uint32_t want = (uint32_t)hash_key(key) & ~c->slot_mask;
    for (;;) {
        uint32_t v = c->index[h];
        if (v == CACHE_NO_SLOT) return h;
        if ((v & ~c->slot_mask) == want && slot_key(c, v & c->slot_mask) == key) return h;
        if (++h == c->index_cells) h = 0;
    }
}

uint32_t cache_slot_of(cache_t *c, uint64_t key)
{
    if (c->dense) { /* indexed by id, not key: a scan (no request path asks) */
        for (uint32_t s = 0; s < c->fresh; s++)
            if (slot_key(c, s) == key) return s;
        return CACHE_NO_SLOT;
    }
    uint32_t v = c->index[find_cell(c, key)];
    return v == CACHE_NO_SLOT ? CACHE_NO_SLOT : v & c->slot_mask;
}

void cache_prefetch(const cache_t *c, uint64_t key)
{
    __builtin_prefetch(&c->index[home_cell(key, c->index_cells)]);
}

void cache_prefetch_id(const cache_t *c, uint32_t id, bool deep)
{
    __builtin_prefetch(&c->index[id]);
    if (!deep) {
        if (c->policy->prefetch) c->policy->prefetch(c->state, id);
        return;
    }
    uint32_t s = c->index[id];
    if (s != CACHE_NO_SLOT) __builtin_prefetch(cache_slot_addr(&c->slab, s));
}

cache_entry_t *cache_find_id(cache_t *c, uint32_t id)
{
    uint32_t s = c->index[id];
    if (s == CACHE_NO_SLOT) return NULL;
    c->found = cache_entry_at(c, s);
    c->found_slot = s;
    return c->found;
}

cache_entry_t *cache_find(cache_t *c, uint64_t key)
{
    uint32_t s = cache_slot_of(c, key);
    if (s == CACHE_NO_SLOT) {
        c->absent_key = key;
        c->absent_valid = true;
        return NULL;
    }
    c->found = cache_entry_at(c, s);
    c->found_slot = s;
    return c->found;
}

static uint32_t slot_index(cache_t *c, const cache_entry_t *e)
{
    const char *p = (const char *)e;
    size_t chunk_bytes = ((size_t)c->slab.in_chunk + 1) * c->slab.slot_size;
    for (uint32_t i = 0;; i++) /* e is a cached entry: some chunk holds it */
        if (p >= c->slab.chunks[i] && p < c->slab.chunks[i] + chunk_bytes)
            return (i << c->slab.shift) + (uint32_t)((size_t)(p - c->slab.chunks[i]) / c->slab.slot_size);
}

void cache_touch(cache_t *c, cache_entry_t *e, const cache_req_t *r)
{
    if (!c->policy->on_hit) return;   /* RANDOM: a hit changes nothing */
    if (c->dense) c->slab.cur_id = e->tag;
    c->policy->on_hit(c, c->state, e == c->found ? c->found_slot : slot_index(c, e), r);
}

/* Deletes the index cell at i, shifting later members of its run back. */
static void index_delete(cache_t *c, uint64_t i)
{
    c->absent_valid = false;
    uint64_t cells = c->index_cells, j = i;
    for (;;) {
        if (++j == cells) j = 0;
        uint32_t v = c->index[j];
        if (v == CACHE_NO_SLOT) break;
        uint64_t home = home_cell(slot_key(c, v & c->slot_mask), cells);
        /* v may move to i only if its home is not cyclically within (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        c->index[i] = v;
        i = j;
    }
    c->index[i] = CACHE_NO_SLOT;
}

static void free_slot(cache_t *c, uint32_t s)
{
    cache_entry_t *e = cache_entry_at(c, s);
    c->objects--;
    c->bytes -= e->size;
    e->key = FREE_KEY;
    e->tag = c->free_head;
    c->free_head = s;
}

static void remove_slot(cache_t *c, uint32_t s)
{
    c->policy->on_remove(c, c->state, s);
    if (c->dense) c->index[cache_entry_at(c, s)->tag] = CACHE_NO_SLOT;
    else index_delete(c, find_cell(c, cache_entry_at(c, s)->key));
    free_slot(c, s);
}

bool cache_remove(cache_t *c, uint64_t key)
{
    uint32_t s = cache_slot_of(c, key);
    if (s == CACHE_NO_SLOT) return false;
    remove_slot(c, s);
    return true;
}

void cache_clear(cache_t *c)
{
    /* Removing a cell shifts later cells of its run back into it, so a cell
     * is looked at again until it is empty; nothing moves behind the scan. */
    for (uint64_t i = 0; i < c->index_cells && c->objects > 0;) {
        uint32_t v = c->index[i];
        if (v == CACHE_NO_SLOT) { i++; continue; }
        remove_slot(c, c->dense ? v : v & c->slot_mask);
    }
    c->found = NULL;
    c->absent_valid = false;
}

uint64_t cache_sweep(cache_t *c, cache_visit_fn *fn, void *ctx)
{
    /* slots never move, so removing one leaves the scan's later slots as they are */
    uint64_t removed = 0;
    for (uint32_t s = 0; s < c->fresh; s++) {
        cache_entry_t *e = cache_entry_at(c, s);
        if (e->key == FREE_KEY || !fn(e, ctx)) continue;
        remove_slot(c, s);
        removed++;
    }
    c->found = NULL;
    c->absent_valid = false;
    return removed;
}

static uint32_t alloc_slot(cache_t *c)
{
    if (c->free_head == CACHE_NO_SLOT && c->fresh == c->nslots) {
        /* one more chunk (only caches without a modest object limit grow) */
        uint64_t want = (uint64_t)c->nslots + c->slab.in_chunk + 1;
        if (want >= CACHE_NO_SLOT) return CACHE_NO_SLOT;
        uint32_t nchunks = c->nslots >> c->slab.shift;
        char **chunks = realloc(c->slab.chunks, (nchunks + 1) * sizeof *chunks);
        if (!chunks) return CACHE_NO_SLOT;
        c->slab.chunks = chunks;
        /* the policy's per-slot arrays grow first, so a failure leaves both
         * as they were */
        if (c->policy->on_grow && c->policy->on_grow(c, c->state, (uint32_t)want) != 0)
            return CACHE_NO_SLOT;
        /* the slot field must cover the new slots */
        if (!c->dense && want > c->slot_mask && index_rebuild(c, c->index_cells, mask_for(want)) != 0)
            return CACHE_NO_SLOT;
        char *chunk = huge_alloc(((size_t)c->slab.in_chunk + 1) * c->slab.slot_size);
        if (!chunk) return CACHE_NO_SLOT;
        c->slab.chunks[nchunks] = chunk;
        c->nslots = (uint32_t)want;
    }
    if (c->free_head == CACHE_NO_SLOT) return c->fresh++;
    uint32_t s = c->free_head;
    c->free_head = cache_entry_at(c, s)->tag;
    return s;
}

static bool over(const cache_t *c, uint64_t add_objects, uint64_t add_bytes)
{
    return (c->cfg.capacity_objects && c->objects + add_objects > c->cfg.capacity_objects) ||
           (c->cfg.capacity_bytes && c->bytes + add_bytes > c->cfg.capacity_bytes);
}

static cache_entry_t *put(cache_t *c, const cache_req_t *r, simtime_t expires, uint32_t tag)
{
    if (r->key == FREE_KEY) return NULL;
    if (c->cfg.capacity_bytes && r->size > c->cfg.capacity_bytes) return NULL;
    /* a refetched object replaces the old copy (known absent when the
     * caller's cache_find just missed it and nothing changed since) */
    if (c->dense) {
        if (tag >= c->index_cells) return NULL;
        c->slab.cur_id = tag;
        if (c->index[tag] != CACHE_NO_SLOT) remove_slot(c, c->index[tag]);
    } else if (!(c->absent_valid && c->absent_key == r->key)) {
        cache_remove(c, r->key);
    }
    if (c->policy->admit && !c->policy->admit(c, c->state, r)) return NULL;
    for (;;) {
        bool need = over(c, 1, r->size) && c->objects > 0;
        if (!need && !(c->policy->evicting && c->policy->evicting(c->state))) break;
        uint32_t v = c->policy->victim(c, c->state, r);
        if (v == CACHE_NO_SLOT) {
            if (need) return NULL; /* the policy keeps what it has */
            break;                 /* its step ended with room to spare */
        }
        remove_slot(c, v);
        c->evictions++;
    }
    if (!c->dense && (c->objects + 1) * 8 > c->index_cells * 5 && index_resize(c, next_cells(c)) != 0)
        return NULL;
    uint32_t s = alloc_slot(c);
    if (s == CACHE_NO_SLOT) return NULL;
    cache_entry_t *e = cache_entry_at(c, s);
    e->key = r->key;
    e->size = r->size;
    e->tag = tag;
    e->expires = expires;
    /* the usual meta sizes spelt out: a call to memset for 8 bytes costs
     * more than the store */
    size_t meta = c->slab.slot_size - sizeof *e;
    if (meta == 8) memset(cache_meta(c, s), 0, 8);
    else if (meta == 16) memset(cache_meta(c, s), 0, 16);
    else memset(cache_meta(c, s), 0, meta);
    if (c->dense) c->index[tag] = s;
    else c->index[find_cell(c, r->key)] = make_cell(c, r->key, s);
    c->absent_valid = false;
    c->objects++;
    c->bytes += r->size;
    c->policy->on_insert(c, c->state, s, r);
    return cache_entry_at(c, s);
}

cache_entry_t *cache_put(cache_t *c, const cache_req_t *r, simtime_t expires, uint32_t tag)
{
    return c->dense ? NULL : put(c, r, expires, tag);
}

cache_entry_t *cache_put_id(cache_t *c, const cache_req_t *r, uint32_t id)
{
    return c->dense ? put(c, r, SIMTIME_MAX, id) : NULL;
}

static cache_t *create(const cache_config_t *cfg, uint32_t nids, char *err, size_t errlen)
{
    const cache_policy_t *p = cache_policy_find(cfg->policy);
    if (!p) { snprintf(err, errlen, "unknown cache policy \"%s\"", cfg->policy); return NULL; }
    cache_t *c = calloc(1, sizeof *c);
    if (!c) goto oom;
    c->policy = p;
    c->cfg = *cfg;
    snprintf(c->stream, sizeof c->stream, "%s", cfg->stream ? cfg->stream : "cache");
    c->cfg.stream = c->stream;
    c->slab.slot_size = (sizeof(cache_entry_t) + p->meta_size + 7) & ~(size_t)7;
    c->slab.shift = 14;
    c->slab.in_chunk = (1u << 14) - 1;
    c->slab.by_bytes = cfg->capacity_bytes != 0;
    c->free_head = CACHE_NO_SLOT;
    /* the index starts small and grows with the population (cache_put), so
     * a cache that never fills (one of hundreds of PoPs in a short run) pays
     * for what it holds, not for its capacity */
    uint64_t cells = 4096;
    c->slot_mask = mask_for(cfg->capacity_objects && cfg->capacity_objects <= (1ULL << 24)
                            ? cfg->capacity_objects : 1024);
    c->dense = nids > 0;
    c->slab.nids = nids;
    if (c->dense) {
        c->slot_mask = UINT32_MAX;
        c->index_cells = nids;
        if (!(c->index = huge_alloc((size_t)nids * sizeof *c->index))) goto oom;
        memset(c->index, 0xff, (size_t)nids * sizeof *c->index);
    } else if (index_resize(c, cells) != 0) goto oom;
    if (p->create(c, &c->state, err, errlen) != 0) { free(c->index); free(c); return NULL; }
    /* a count-limited cache gets its whole slab now (untouched until used):
     * growing it by steps would copy it and briefly hold two */
    if (cfg->capacity_objects && cfg->capacity_objects <= (1ULL << 24)) {
        uint32_t n = (uint32_t)cfg->capacity_objects;
        c->slab.shift = 31;   /* every slot is in chunk 0 */
        c->slab.in_chunk = (1u << 31) - 1;
        if ((p->on_grow && p->on_grow(c, c->state, n) != 0) ||
            !(c->slab.chunks = calloc(1, sizeof *c->slab.chunks)) ||
            !(c->slab.chunks[0] = huge_alloc((size_t)n * c->slab.slot_size))) {
            cache_destroy(c);
            snprintf(err, errlen, "out of memory creating the cache");
            return NULL;
        }
        c->nslots = n;
    }
    return c;
oom:
    snprintf(err, errlen, "out of memory creating the cache");
    if (c) free(c->index);
    free(c);
    return NULL;
}

cache_t *cache_create(const cache_config_t *cfg, char *err, size_t errlen)
{
    return create(cfg, 0, err, errlen);
}

cache_t *cache_create_ids(const cache_config_t *cfg, uint32_t nids, char *err, size_t errlen)
{
    if (nids == 0 || nids == UINT32_MAX) {
        snprintf(err, errlen, "a dense-id cache needs 1 to 2^32 - 2 ids");
        return NULL;
    }
    return create(cfg, nids, err, errlen);
}

void cache_destroy(cache_t *c)
{
    if (!c) return;
    if (c->policy->destroy) c->policy->destroy(c->state);
    if (c->slab.chunks) {
        uint32_t n = c->slab.shift == 31 ? 1 : c->nslots >> c->slab.shift;
        for (uint32_t i = 0; i < n; i++) free(c->slab.chunks[i]);
        free(c->slab.chunks);
    }
    free(c->index);
    free(c);
}

uint64_t cache_objects(const cache_t *c) { return c->objects; }
uint64_t cache_bytes(const cache_t *c) { return c->bytes; }
uint64_t cache_evictions(const cache_t *c) { return c->evictions; }
const char *cache_policy_name(const cache_t *c) { return c->policy->name; }

size_t cache_memory(const cache_t *c)
{
    /* slots never handed out are not counted: their pages are never touched */
    size_t m = (size_t)c->fresh * c->slab.slot_size + c->index_cells * sizeof(uint32_t);
    if (c->policy->memory) m += c->policy->memory(c->state);
    return m;
}

bool cache_check(const cache_t *c)
{
    uint64_t n = 0, bytes = 0;
    if (c->dense) {
        for (uint64_t i = 0; i < c->index_cells; i++) {
            uint32_t s = c->index[i];
            if (s == CACHE_NO_SLOT) continue;
            if (s >= c->fresh) return false;
            const cache_entry_t *e = (const cache_entry_t *)(const void *)cache_slot_addr(&c->slab, s);
            if (e->key == FREE_KEY || e->tag != i) return false;
            n++;
            bytes += e->size;
        }
        return n == c->objects && bytes == c->bytes && !over(c, 0, 0);
    }
    for (uint64_t i = 0; i < c->index_cells; i++) {
        uint32_t v = c->index[i], s = v & c->slot_mask;
        if (v == CACHE_NO_SLOT) continue;
        if (s >= c->fresh) return false;
        const cache_entry_t *e = (const cache_entry_t *)(const void *)cache_slot_addr(&c->slab, s);
        if (e->key == FREE_KEY || find_cell(c, e->key) != i || make_cell(c, e->key, s) != v) return false;
        n++;
        bytes += e->size;
    }
    if (n != c->objects || bytes != c->bytes) return false;
    return !over(c, 0, 0);
}
