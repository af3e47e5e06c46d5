/* ghost — keys of recently evicted objects, without their data.
 *
 * The adaptive policies remember what they evicted (S3-FIFO's ghost FIFO,
 * ARC's B1 and B2, 2Q's A1out). Every such list only ever gains keys at its
 * new end and loses them at its old end or, on a ghost hit, from anywhere:
 * keys never move. So all lists of a ghost share one ring of keys in arrival
 * order, each key tagged with its list; a removal leaves a dead mark that the
 * ring's old end skips, and each list finds its oldest live key by scanning
 * forward from where it last stopped (every position is passed at most once
 * per list between compactions). When the ring fills, the live keys are slid
 * together (or the ring grows when mostly live). A key costs 9 bytes in the
 * ring (13 when the cache counts bytes: its weight), a quarter more for
 * slack, and ~6.4 bytes of index: about 17 bytes an entry, against 22+ for
 * linked nodes. The owner bounds the lists (ghost_pop_tail).
 * Invariant: every live position is in the index exactly once; positions in
 * [head, tail) are live or dead, all others unused; a key is in the ghost at
 * most once; a list's `oldest` never passes one of its live keys. */
#ifndef CDNSIM_GHOST_H
#define CDNSIM_GHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GHOST_NONE UINT32_MAX
#define GHOST_LISTS 2

typedef struct ghost_list {
    uint64_t len;
    uint64_t weight;       /* sum of the keys' weights (len when unweighted) */
    uint64_t oldest;       /* ring sequence number at or before its oldest key */
} ghost_list_t;

typedef struct ghost {
    uint64_t *keys;        /* ring of `ring` positions */
    uint8_t *list;         /* each position's list, GHOST_DEAD when removed */
    uint32_t *weights;     /* only when weighted */
    bool weighted;
    uint64_t ring;
    uint64_t head, tail;   /* sequence numbers; position = seq % ring */
    uint32_t *index;       /* hash bits | ring position, GHOST_NONE empty; at most 5/8 full */
    uint32_t pos_mask;     /* the position field: all ones, above every position */
    uint64_t cells;
    uint64_t count;        /* live keys */
    bool dense;            /* keys are ids below `cells`: index[id] is the position */
    ghost_list_t lists[GHOST_LISTS];
} ghost_t;

/* The most keys ghost_init reserves at once: 2^20, about 17 MB. */
#define GHOST_RESERVE_MAX (1ULL << 20)

/* expected: the most keys the owner will keep (0 when unknown): sizes the
 * ring and index once instead of growing them, up to GHOST_RESERVE_MAX keys;
 * beyond, they grow with use. */
int ghost_init(ghost_t *g, bool weighted, uint64_t expected);
/* ghost_init for a dense-id cache's policy: keys are ids below nids, and the
 * index is a plain array of nids cells (no hashing or probing). */
int ghost_init_ids(ghost_t *g, bool weighted, uint64_t expected, uint32_t nids);
/* Makes room for about `expected` keys at once (when the owner learns the
 * number late, as a byte-limited cache does when it first fills): one copy
 * now instead of many growth steps. -1 when out of memory (nothing changed). */
int ghost_reserve(ghost_t *g, uint64_t expected);
void ghost_free(ghost_t *g);
/* The position holding key, or GHOST_NONE (valid until the next push). */
uint32_t ghost_find(const ghost_t *g, uint64_t key);
/* A dense ghost: starts loading id's index cell (a lookup soon). */
static inline void ghost_prefetch_id(const ghost_t *g, uint32_t id)
{
    if (g->dense && id < g->cells) __builtin_prefetch(&g->index[id]);
}
static inline int ghost_list_of(const ghost_t *g, uint32_t pos) { return g->list[pos]; }
/* Adds key at the new end of list (replacing an older entry for the key);
 * -1 when out of memory. */
int ghost_push(ghost_t *g, int list, uint64_t key, uint64_t weight);
void ghost_remove(ghost_t *g, uint32_t pos);
/* Drops the oldest key of list; false when the list is empty. */
bool ghost_pop_tail(ghost_t *g, int list);
size_t ghost_memory(const ghost_t *g);
/* For tests: the invariants above. */
bool ghost_check(const ghost_t *g);

#endif
