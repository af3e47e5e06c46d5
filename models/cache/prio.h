/* prio — priority-with-inflation eviction shared by lfuda.c and gdsf.c (see
 * prio.c for the definitions and the invariant). The functions are the
 * policy-table methods of both; only creation differs. */
#ifndef CDNSIM_PRIO_H
#define CDNSIM_PRIO_H

#include "models/cache/slotheap.h"

/* by_size: gdsf's K = L + f / size; else lfuda's K = L + f. */
int prio_create(cache_t *c, void **state, bool by_size);
void prio_destroy(void *state);
int prio_grow(cache_t *c, void *state, uint32_t nslots);
bool prio_admit(cache_t *c, void *state, const cache_req_t *r);
void prio_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r);
void prio_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r);
uint32_t prio_victim(cache_t *c, void *state, const cache_req_t *r);
void prio_remove(cache_t *c, void *state, uint32_t s);
size_t prio_memory(const void *state);

#endif
