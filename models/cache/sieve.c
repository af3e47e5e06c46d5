/* sieve — SIEVE (Zhang et al., NSDI'24): a FIFO queue, a visited bit per
 * object and a hand.
 *
 * New objects enter at the head; a hit only sets the visited bit. The hand
 * starts at the tail and moves toward the head: a visited object has its bit
 * cleared and stays where it is (unlike CLOCK it is not moved), an unvisited
 * one is evicted and the hand stops at its neighbour toward the head. Past the
 * head the hand wraps to the tail. Invariant: hand is CACHE_NO_SLOT or a
 * cached slot on the queue. */
#include "models/cache/qlist.h"

#include <stdlib.h>

typedef struct sieve {
    qlist_t q;
    qlist_tags_t visited;   /* a byte per slot beside the slab */
    uint32_t hand;   /* next object to examine; CACHE_NO_SLOT: start at the tail */
} sieve_t;

static int sieve_create(cache_t *c, void **state, char *err, size_t errlen)
{
    sieve_t *p = calloc(1, sizeof *p);
    if (!p) return -1;
    qlist_init(&p->q);
    p->hand = CACHE_NO_SLOT;
    *state = p;
    return 0;
}

static void sieve_destroy(void *state)
{
    sieve_t *p = state;
    free(p->visited.b);
    free(p);
}

static int sieve_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((sieve_t *)state)->visited, nslots);
}

static void sieve_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    sieve_t *p = state;
    p->visited.b[s] = 0;
    qlist_push_head(c, &p->q, s);
}

static void sieve_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    ((sieve_t *)state)->visited.b[s] = 1;
}

static uint32_t sieve_victim(cache_t *c, void *state, const cache_req_t *r)
{
    sieve_t *p = state;
    if (p->q.tail == CACHE_NO_SLOT) return CACHE_NO_SLOT;
    uint32_t s = p->hand != CACHE_NO_SLOT ? p->hand : p->q.tail;
    /* terminates: a full turn clears every bit */
    for (;;) {
        if (!p->visited.b[s]) {
            p->hand = s; /* on_remove moves it on toward the head */
            return s;
        }
        p->visited.b[s] = 0;
        uint32_t prev = qlist_at(c, s)->prev;
        s = prev != CACHE_NO_SLOT ? prev : p->q.tail;
    }
}

static void sieve_remove(cache_t *c, void *state, uint32_t s)
{
    sieve_t *p = state;
    /* the hand goes on to the neighbour toward the head; past the head it
     * is CACHE_NO_SLOT, which the next search reads as the tail */
    if (p->hand == s) p->hand = qlist_at(c, s)->prev;
    qlist_unlink(c, &p->q, s);
}

static size_t sieve_memory(const void *state) { return ((const sieve_t *)state)->visited.n; }

const cache_policy_t cache_policy_sieve = {
    .name = "sieve",
    .meta_size = sizeof(qlist_links_t),
    .create = sieve_create,
    .destroy = sieve_destroy,
    .on_insert = sieve_insert,
    .on_hit = sieve_hit,
    .victim = sieve_victim,
    .on_remove = sieve_remove,
    .on_grow = sieve_grow,
    .memory = sieve_memory,
};
