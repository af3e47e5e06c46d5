/* ghost — one ring of keys with dead marks, an index over ring positions;
 * see ghost.h.
 *
 * The index is linear probing over ring positions with multiply-shift home
 * cells and backward-shift deletion, like the cache's own, and like it keeps
 * hash bits above the position in each cell, so a lookup that misses (most
 * lookups: the ghost is asked on every cache miss) rarely reads the ring. Compaction slides
 * live keys toward the old end in place (a key only ever moves to a position
 * that is dead or was already vacated), fixing each moved key's index cell
 * as it goes, so no second ring is ever allocated. */
#include "models/cache/ghost.h"

#include <stdlib.h>
#include <string.h>

#define GHOST_DEAD 0xff

static inline uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL; /* not the cache's constant: ghost and cache keys coexist */
    k ^= k >> 33;
    return k;
}

/* The home cell: the high hash half scaled to the table. */
static inline uint64_t home(uint64_t key, uint64_t cells)
{
    return ((mix(key) >> 32) * cells) >> 32;
}

/* The cell value for key at pos: low hash bits above the position field. */
static inline uint32_t make_cell(const ghost_t *g, uint64_t key, uint64_t pos)
{
    return ((uint32_t)mix(key) & ~g->pos_mask) | (uint32_t)pos;
}

/* The narrowest all-ones field holding positions below n (never all ones
 * itself, so no cell equals GHOST_NONE). */
static uint32_t mask_for(uint64_t n)
{
    uint32_t m = 1;
    while (m < n && m != UINT32_MAX) m = m * 2 + 1;
    return m;
}

static int alloc_ring(ghost_t *g, uint64_t ring)
{
    g->keys = malloc(ring * sizeof *g->keys);
    g->list = malloc(ring);
    g->weights = g->weighted ? malloc(ring * sizeof *g->weights) : NULL;
    g->ring = ring;
    g->pos_mask = g->dense ? UINT32_MAX : mask_for(ring);
    return g->keys && g->list && (!g->weighted || g->weights) ? 0 : -1;
}

static int alloc_index(ghost_t *g, uint64_t cells)
{
    uint32_t *idx = malloc(cells * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cells * sizeof *idx);
    free(g->index);
    g->index = idx;
    g->cells = cells;
    return 0;
}

int ghost_init(ghost_t *g, bool weighted, uint64_t expected)
{
    memset(g, 0, sizeof *g);
    g->weighted = weighted;
    /* Reserve at most GHOST_RESERVE_MAX keys up front; a larger ghost grows
     * with use (as a byte-limited cache's does). A capacity far beyond what
     * a run caches, capacity_objects = 10^9 say, must not cost its ghost
     * 10^9 keys of memory (19 GB, 7 GB of it written) before the first
     * request. */
    if (expected > GHOST_RESERVE_MAX) expected = GHOST_RESERVE_MAX;
    if (alloc_ring(g, expected + expected / 4 + 64) != 0 ||
        alloc_index(g, expected + expected * 3 / 5 + 64) != 0) {
        ghost_free(g);
        return -1;
    }
    return 0;
}

int ghost_init_ids(ghost_t *g, bool weighted, uint64_t expected, uint32_t nids)
{
    memset(g, 0, sizeof *g);
    g->weighted = weighted;
    g->dense = true;
    if (expected > GHOST_RESERVE_MAX) expected = GHOST_RESERVE_MAX;
    if (nids == 0 || nids == GHOST_NONE || alloc_ring(g, expected + expected / 4 + 64) != 0 ||
        alloc_index(g, nids) != 0) {
        ghost_free(g);
        return -1;
    }
    return 0;
}

void ghost_free(ghost_t *g)
{
    free(g->keys);
    free(g->list);
    free(g->weights);
    free(g->index);
    memset(g, 0, sizeof *g);
}

static uint64_t find_cell(const ghost_t *g, uint64_t key)
{
    if (g->dense) return key;   /* the cell is the id's own */
    uint64_t h = home(key, g->cells);
    uint32_t want = (uint32_t)mix(key) & ~g->pos_mask;
    for (;;) {
        uint32_t v = g->index[h];
        if (v == GHOST_NONE) return h;
        if ((v & ~g->pos_mask) == want && g->keys[v & g->pos_mask] == key) return h;
        if (++h == g->cells) h = 0;
    }
}

uint32_t ghost_find(const ghost_t *g, uint64_t key)
{
    if (g->dense && key >= g->cells) return GHOST_NONE;
    uint32_t v = g->index[find_cell(g, key)];
    return v == GHOST_NONE ? GHOST_NONE : v & g->pos_mask;
}

static void index_put(ghost_t *g, uint64_t key, uint32_t pos)
{
    g->index[find_cell(g, key)] = make_cell(g, key, pos);
}

static void index_delete(ghost_t *g, uint64_t i)
{
    if (g->dense) { g->index[i] = GHOST_NONE; return; }
    uint64_t j = i;
    for (;;) {
        if (++j == g->cells) j = 0;
        uint32_t v = g->index[j];
        if (v == GHOST_NONE) break;
        uint64_t h = home(g->keys[v & g->pos_mask], g->cells);
        bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
        if (stays) continue;
        g->index[i] = v;
        i = j;
    }
    g->index[i] = GHOST_NONE;
}

static inline uint64_t weight_at(const ghost_t *g, uint64_t pos)
{
    return g->weighted ? g->weights[pos] : 1;
}

/* Slides the live keys of [head, tail) together at the old end. */
static void compact(ghost_t *g)
{
    uint64_t w = g->head;
    for (uint64_t s = g->head; s < g->tail; s++) {
        uint64_t from = s % g->ring, to = w % g->ring;
        if (g->list[from] == GHOST_DEAD) continue;
        if (from != to) {
            g->index[find_cell(g, g->keys[from])] = make_cell(g, g->keys[from], to);
            g->keys[to] = g->keys[from];
            g->list[to] = g->list[from];
            if (g->weighted) g->weights[to] = g->weights[from];
            g->list[from] = GHOST_DEAD;
        }
        w++;
    }
    g->tail = w;
    for (int l = 0; l < GHOST_LISTS; l++) g->lists[l].oldest = g->head;
}

/* A ring half again as large, the live keys copied in order to its start. */
/* A ring of `ring` positions (more than the live keys), the live keys copied
 * in order to its start, and an index for `keys` keys. */
static int regrow(ghost_t *g, uint64_t ring, uint64_t keys)
{
    ghost_t n = *g;
    if (ring > UINT32_MAX - 1) return -1;
    n.keys = NULL, n.list = NULL, n.weights = NULL;
    uint64_t cells = g->cells;
    while (!g->dense && keys * 8 > cells * 5) cells += cells / 4;
    uint32_t *idx = malloc(cells * sizeof *idx);
    /* everything is allocated before anything changes: a failure leaves the
     * ghost as it was */
    if (!idx || alloc_ring(&n, ring) != 0) {
        free(idx); free(n.keys); free(n.list); free(n.weights);
        return -1;
    }
    uint64_t w = 0;
    for (uint64_t s = g->head; s < g->tail; s++) {
        uint64_t from = s % g->ring;
        if (g->list[from] == GHOST_DEAD) continue;
        n.keys[w] = g->keys[from];
        n.list[w] = g->list[from];
        if (g->weighted) n.weights[w] = g->weights[from];
        w++;
    }
    free(g->keys); free(g->list); free(g->weights); free(g->index);
    g->keys = n.keys, g->list = n.list, g->weights = n.weights;
    g->ring = ring;
    g->pos_mask = n.pos_mask;
    g->head = 0;
    g->tail = w;
    for (int l = 0; l < GHOST_LISTS; l++) g->lists[l].oldest = 0;
    /* positions all changed: rebuild the index */
    memset(idx, 0xff, cells * sizeof *idx);
    g->index = idx;
    g->cells = cells;
    for (uint64_t p = 0; p < w; p++) index_put(g, g->keys[p], (uint32_t)p);
    return 0;
}

/* A quarter more: the unused part of the ring stays small. */
static int grow_ring(ghost_t *g)
{
    return regrow(g, g->ring + g->ring / 4, g->count + 1);
}

int ghost_reserve(ghost_t *g, uint64_t expected)
{
    uint64_t ring = expected + expected / 4 + 64;
    if (ring <= g->ring) return 0;
    return regrow(g, ring, expected);
}

int ghost_push(ghost_t *g, int list, uint64_t key, uint64_t weight)
{
    uint32_t old = ghost_find(g, key);
    if (old != GHOST_NONE) ghost_remove(g, old);
    if (g->tail - g->head == g->ring) {
        /* mostly dead: slide together; mostly live: grow */
        if (g->count * 5 < g->ring * 4) compact(g);
        else if (grow_ring(g) != 0) return -1;
    }
    if (!g->dense && (g->count + 1) * 8 > g->cells * 5) {
        uint64_t cells = g->cells + g->cells / 4;
        uint32_t *old_index = g->index;
        uint64_t old_cells = g->cells;
        g->index = NULL;
        if (alloc_index(g, cells) != 0) { g->index = old_index; g->cells = old_cells; return -1; }
        for (uint64_t i = 0; i < old_cells; i++)
            if (old_index[i] != GHOST_NONE) {
                uint32_t pos = old_index[i] & g->pos_mask;
                index_put(g, g->keys[pos], pos);
            }
        free(old_index);
    }
    uint64_t pos = g->tail % g->ring;
    g->keys[pos] = key;
    g->list[pos] = (uint8_t)list;
    if (g->weighted) g->weights[pos] = weight > UINT32_MAX ? UINT32_MAX : (uint32_t)weight;
    g->tail++;
    index_put(g, key, (uint32_t)pos);
    g->count++;
    g->lists[list].len++;
    g->lists[list].weight += weight_at(g, pos);
    return 0;
}

void ghost_remove(ghost_t *g, uint32_t pos)
{
    ghost_list_t *l = &g->lists[g->list[pos]];
    l->len--;
    l->weight -= weight_at(g, pos);
    index_delete(g, find_cell(g, g->keys[pos]));
    g->list[pos] = GHOST_DEAD;
    g->count--;
    while (g->head < g->tail && g->list[g->head % g->ring] == GHOST_DEAD) g->head++;
}

bool ghost_pop_tail(ghost_t *g, int list)
{
    ghost_list_t *l = &g->lists[list];
    if (l->len == 0) return false;
    uint64_t s = l->oldest > g->head ? l->oldest : g->head;
    while (g->list[s % g->ring] != list) s++;   /* terminates: len > 0 */
    l->oldest = s + 1;
    ghost_remove(g, (uint32_t)(s % g->ring));
    return true;
}

size_t ghost_memory(const ghost_t *g)
{
    size_t per = sizeof(uint64_t) + 1 + (g->weighted ? sizeof(uint32_t) : 0);
    return (size_t)g->ring * per + g->cells * sizeof(uint32_t);
}

bool ghost_check(const ghost_t *g)
{
    uint64_t live = 0, len[GHOST_LISTS] = { 0 };
    for (uint64_t s = g->head; s < g->tail; s++) {
        uint64_t p = s % g->ring;
        if (g->list[p] == GHOST_DEAD) continue;
        if (g->list[p] >= GHOST_LISTS || ghost_find(g, g->keys[p]) != p) return false;
        if (s < g->lists[g->list[p]].oldest) return false;
        len[g->list[p]]++;
        live++;
    }
    uint64_t cells = 0;
    for (uint64_t i = 0; i < g->cells; i++) cells += g->index[i] != GHOST_NONE;
    for (int l = 0; l < GHOST_LISTS; l++)
        if (len[l] != g->lists[l].len) return false;
    return live == g->count && cells == live;
}
