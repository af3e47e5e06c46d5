/* ghost — keys of recently evicted objects, without their data.
 *
 * The adaptive policies remember what they evicted (S3-FIFO's ghost FIFO,
 * ARC's B1 and B2, 2Q's A1out). A ghost holds up to GHOST_LISTS ordered lists
 * of keys (head newest) over one node pool and one key index, so ARC's two
 * lists share their memory. A node is a 64-bit key, two 32-bit links and a
 * list byte (17 bytes; 4 more for a weight only when the cache counts bytes),
 * plus about 5.3 bytes of index: bounded lists of keys cost ~22 bytes an entry.
 * The owner bounds the lists (trimming tails); the ghost only grows its pool.
 * Invariant: every live node is in the index exactly once and on exactly one
 * list; a key is in the ghost at most once. */
#ifndef CDNSIM_GHOST_H
#define CDNSIM_GHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GHOST_NONE UINT32_MAX
#define GHOST_LISTS 2

typedef struct ghost_list {
    uint32_t head, tail;   /* GHOST_NONE when empty */
    uint64_t len;
    uint64_t weight;       /* sum of the nodes' weights (len when unweighted) */
} ghost_list_t;

typedef struct ghost {
    uint64_t *keys;
    uint32_t (*links)[2];  /* [0] toward head, [1] toward tail; [1] chains free nodes */
    uint32_t *weights;     /* only when weighted; else every weight is 1 */
    bool weighted;
    uint8_t *list;
    uint32_t nodes;        /* allocated */
    uint32_t free_head;
    uint32_t *index;       /* node numbers, GHOST_NONE empty; at most 3/4 full */
    uint64_t cells;
    uint64_t count;        /* live nodes */
    ghost_list_t lists[GHOST_LISTS];
} ghost_t;

int ghost_init(ghost_t *g, bool weighted);
void ghost_free(ghost_t *g);
/* The node holding key, or GHOST_NONE. */
uint32_t ghost_find(const ghost_t *g, uint64_t key);
static inline int ghost_list_of(const ghost_t *g, uint32_t node) { return g->list[node]; }
/* Adds key at the head of list (replacing an older node for the key); -1 when
 * out of memory. */
int ghost_push(ghost_t *g, int list, uint64_t key, uint64_t weight);
void ghost_remove(ghost_t *g, uint32_t node);
/* Drops the oldest node of list; false when the list is empty. */
bool ghost_pop_tail(ghost_t *g, int list);
size_t ghost_memory(const ghost_t *g);

#endif
