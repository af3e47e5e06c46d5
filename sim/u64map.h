/* u64map — a hash map from 64-bit keys to 32-bit values.
 *
 * Open addressing with linear probing, at most half full, backward-shift
 * deletion (no tombstones), so lookups stay short however many inserts and
 * deletes a long run makes. Used where a model needs "which record belongs to
 * this key" (in-flight fetches, routes by ASN). UINT64_MAX cannot be a key. */
#ifndef CDNSIM_U64MAP_H
#define CDNSIM_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct u64map_cell { uint64_t key; uint32_t value; } u64map_cell_t;

typedef struct u64map {
    u64map_cell_t *cells;  /* key UINT64_MAX marks an empty cell */
    size_t mask;           /* cells - 1 */
    size_t count;
} u64map_t;

int u64map_init(u64map_t *m, size_t expected);
void u64map_free(u64map_t *m);
/* The value for key, or false when absent. */
bool u64map_get(const u64map_t *m, uint64_t key, uint32_t *value);
/* Inserts or replaces; -1 when out of memory. */
int u64map_put(u64map_t *m, uint64_t key, uint32_t value);
bool u64map_del(u64map_t *m, uint64_t key);
/* A hint that key will be looked up soon: starts loading its cell. */
void u64map_prefetch(const u64map_t *m, uint64_t key);

#endif
