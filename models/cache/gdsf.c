/* gdsf — GreedyDual-Size-Frequency (Cherkasova, 1998): priority
 * K = L + f * cost / size with cost 1, f the requests while cached, size in
 * bytes (also when the cache counts objects: the policy is about value per
 * byte), L the K of the last object evicted; the lowest K goes first, ties to
 * the least recently requested. The machinery is shared with lfuda in
 * prio.c; this file only picks the formula. */
#include "models/cache/prio.h"

static int gdsf_create(cache_t *c, void **state, char *err, size_t errlen)
{
    return prio_create(c, state, true);
}

const cache_policy_t cache_policy_gdsf = {
    .name = "gdsf",
    .meta_size = sizeof(slotheap_node_t),
    .create = gdsf_create,
    .destroy = prio_destroy,
    .on_insert = prio_insert,
    .on_hit = prio_hit,
    .victim = prio_victim,
    .on_remove = prio_remove,
    .admit = prio_admit,
    .on_grow = prio_grow,
    .memory = prio_memory,
};
