/* lfuda — LFU with dynamic aging (Arlitt, Cherkasova, Dilley, Friedrich &
 * Jin, 2000): priority K = L + f, f the requests while cached, L the K of the
 * last object evicted; the lowest K goes first, ties to the least recently
 * requested. The machinery (heap, inflation, f beside the slab) is shared
 * with gdsf in prio.c; this file only picks the formula. */
#include "models/cache/prio.h"

static int lfuda_create(cache_t *c, void **state, char *err, size_t errlen)
{
    return prio_create(c, state, false);
}

const cache_policy_t cache_policy_lfuda = {
    .name = "lfuda",
    .meta_size = sizeof(slotheap_node_t),
    .create = lfuda_create,
    .destroy = prio_destroy,
    .on_insert = prio_insert,
    .on_hit = prio_hit,
    .victim = prio_victim,
    .on_remove = prio_remove,
    .admit = prio_admit,
    .on_grow = prio_grow,
    .memory = prio_memory,
};
