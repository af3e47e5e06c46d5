/* ghost — node pool, lists and key index; see ghost.h.
 *
 * The index is linear probing over node numbers with multiply-shift home
 * cells (any table size) and backward-shift deletion, like the cache's own. */
#include "models/cache/ghost.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t home(uint64_t key, uint64_t cells)
{
    uint64_t k = key;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL; /* not the cache's constant: ghost and cache keys coexist */
    k ^= k >> 33;
    return ((k >> 32) * cells) >> 32;
}

int ghost_init(ghost_t *g, bool weighted)
{
    memset(g, 0, sizeof *g);
    g->weighted = weighted;
    g->free_head = GHOST_NONE;
    for (int i = 0; i < GHOST_LISTS; i++) g->lists[i].head = g->lists[i].tail = GHOST_NONE;
    g->cells = 64;
    g->index = malloc(g->cells * sizeof *g->index);
    if (!g->index) return -1;
    memset(g->index, 0xff, g->cells * sizeof *g->index);
    return 0;
}

void ghost_free(ghost_t *g)
{
    free(g->keys);
    free(g->links);
    free(g->weights);
    free(g->list);
    free(g->index);
    memset(g, 0, sizeof *g);
}

static int grow_pool(ghost_t *g)
{
    uint64_t want = g->nodes ? (uint64_t)g->nodes + g->nodes / 2 : 256;
    if (want >= GHOST_NONE) return -1;
    uint64_t *k = realloc(g->keys, want * sizeof *k);
    if (!k) return -1;
    g->keys = k;
    uint32_t (*l)[2] = realloc(g->links, want * sizeof *l);
    if (!l) return -1;
    g->links = l;
    uint8_t *li = realloc(g->list, want);
    if (!li) return -1;
    g->list = li;
    if (g->weighted) {
        uint32_t *w = realloc(g->weights, want * sizeof *w);
        if (!w) return -1;
        g->weights = w;
    }
    for (uint64_t n = want; n-- > g->nodes;) {
        g->links[n][1] = g->free_head;
        g->free_head = (uint32_t)n;
    }
    g->nodes = (uint32_t)want;
    return 0;
}

static int grow_index(ghost_t *g)
{
    uint64_t cells = g->cells + g->cells / 2;
    uint32_t *idx = malloc(cells * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cells * sizeof *idx);
    for (uint64_t i = 0; i < g->cells; i++) {
        uint32_t n = g->index[i];
        if (n == GHOST_NONE) continue;
        uint64_t h = home(g->keys[n], cells);
        while (idx[h] != GHOST_NONE)
            if (++h == cells) h = 0;
        idx[h] = n;
    }
    free(g->index);
    g->index = idx;
    g->cells = cells;
    return 0;
}

static uint64_t find_cell(const ghost_t *g, uint64_t key)
{
    uint64_t h = home(key, g->cells);
    for (;;) {
        uint32_t n = g->index[h];
        if (n == GHOST_NONE || g->keys[n] == key) return h;
        if (++h == g->cells) h = 0;
    }
}

uint32_t ghost_find(const ghost_t *g, uint64_t key)
{
    return g->index[find_cell(g, key)];
}

static void index_delete(ghost_t *g, uint64_t i)
{
    uint64_t j = i;
    for (;;) {
        if (++j == g->cells) j = 0;
        uint32_t n = g->index[j];
        if (n == GHOST_NONE) break;
        uint64_t h = home(g->keys[n], g->cells);
        bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
        if (stays) continue;
        g->index[i] = n;
        i = j;
    }
    g->index[i] = GHOST_NONE;
}

static inline uint64_t node_weight(const ghost_t *g, uint32_t n)
{
    return g->weighted ? g->weights[n] : 1;
}

int ghost_push(ghost_t *g, int list, uint64_t key, uint64_t weight)
{
    uint32_t old = ghost_find(g, key);
    if (old != GHOST_NONE) ghost_remove(g, old);
    if (g->free_head == GHOST_NONE && grow_pool(g) != 0) return -1;
    if ((g->count + 1) * 4 > g->cells * 3 && grow_index(g) != 0) return -1;
    uint32_t n = g->free_head;
    g->free_head = g->links[n][1];
    g->keys[n] = key;
    g->list[n] = (uint8_t)list;
    if (g->weighted) g->weights[n] = weight > UINT32_MAX ? UINT32_MAX : (uint32_t)weight;
    ghost_list_t *l = &g->lists[list];
    g->links[n][0] = GHOST_NONE;
    g->links[n][1] = l->head;
    if (l->head != GHOST_NONE) g->links[l->head][0] = n;
    else l->tail = n;
    l->head = n;
    l->len++;
    l->weight += node_weight(g, n);
    g->index[find_cell(g, key)] = n;
    g->count++;
    return 0;
}

void ghost_remove(ghost_t *g, uint32_t n)
{
    ghost_list_t *l = &g->lists[g->list[n]];
    uint32_t p = g->links[n][0], x = g->links[n][1];
    if (p != GHOST_NONE) g->links[p][1] = x;
    else l->head = x;
    if (x != GHOST_NONE) g->links[x][0] = p;
    else l->tail = p;
    l->len--;
    l->weight -= node_weight(g, n);
    index_delete(g, find_cell(g, g->keys[n]));
    g->links[n][1] = g->free_head;
    g->free_head = n;
    g->count--;
}

bool ghost_pop_tail(ghost_t *g, int list)
{
    uint32_t n = g->lists[list].tail;
    if (n == GHOST_NONE) return false;
    ghost_remove(g, n);
    return true;
}

size_t ghost_memory(const ghost_t *g)
{
    size_t per = sizeof(uint64_t) + 2 * sizeof(uint32_t) + 1 + (g->weighted ? sizeof(uint32_t) : 0);
    return (size_t)g->nodes * per + g->cells * sizeof(uint32_t);
}
