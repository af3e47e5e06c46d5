/* u64map — linear probing with backward-shift deletion; see u64map.h. */
#include "sim/u64map.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX

static inline size_t slot_of(uint64_t k, size_t mask)
{
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 29;
    return (size_t)k & mask;
}

void u64map_prefetch(const u64map_t *m, uint64_t key)
{
    __builtin_prefetch(&m->cells[slot_of(key, m->mask)]);
}

static int grow(u64map_t *m, size_t ncells)
{
    u64map_cell_t *c = malloc(ncells * sizeof *c);
    if (!c) return -1;
    for (size_t i = 0; i < ncells; i++) c[i].key = EMPTY;
    for (size_t i = 0; m->cells && i <= m->mask; i++) {
        if (m->cells[i].key == EMPTY) continue;
        size_t j = slot_of(m->cells[i].key, ncells - 1);
        while (c[j].key != EMPTY) j = (j + 1) & (ncells - 1);
        c[j] = m->cells[i];
    }
    free(m->cells);
    m->cells = c;
    m->mask = ncells - 1;
    return 0;
}

int u64map_init(u64map_t *m, size_t expected)
{
    memset(m, 0, sizeof *m);
    size_t n = 16;
    while (n < expected * 2) n *= 2;
    return grow(m, n);
}

void u64map_free(u64map_t *m)
{
    free(m->cells);
    memset(m, 0, sizeof *m);
}

bool u64map_get(const u64map_t *m, uint64_t key, uint32_t *value)
{
    for (size_t i = slot_of(key, m->mask);; i = (i + 1) & m->mask) {
        if (m->cells[i].key == key) { *value = m->cells[i].value; return true; }
        if (m->cells[i].key == EMPTY) return false;
    }
}

int u64map_put(u64map_t *m, uint64_t key, uint32_t value)
{
    if ((m->count + 1) * 2 > m->mask + 1 && grow(m, (m->mask + 1) * 2) != 0) return -1;
    size_t i = slot_of(key, m->mask);
    while (m->cells[i].key != EMPTY && m->cells[i].key != key) i = (i + 1) & m->mask;
    if (m->cells[i].key == EMPTY) m->count++;
    m->cells[i].key = key;
    m->cells[i].value = value;
    return 0;
}

bool u64map_del(u64map_t *m, uint64_t key)
{
    size_t i = slot_of(key, m->mask);
    while (m->cells[i].key != key) {
        if (m->cells[i].key == EMPTY) return false;
        i = (i + 1) & m->mask;
    }
    /* shift back every later member of the run that may legally move */
    for (size_t j = i;;) {
        j = (j + 1) & m->mask;
        if (m->cells[j].key == EMPTY) break;
        size_t home = slot_of(m->cells[j].key, m->mask);
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        m->cells[i] = m->cells[j];
        i = j;
    }
    m->cells[i].key = EMPTY;
    m->count--;
    return true;
}
