/* arc — Adaptive Replacement Cache (Megiddo & Modha, FAST'03).
 *
 * T1 holds objects requested once recently, T2 those requested at least
 * twice (both LRU, head most recent); the ghost lists B1 and B2 remember the
 * keys recently evicted from each. The target size p of T1 adapts: a miss
 * found in B1 grows p by max(1, |B2|/|B1|), one found in B2 shrinks it by
 * max(1, |B1|/|B2|), and such a miss enters T2; any other miss enters T1.
 * REPLACE evicts T1's LRU into B1 when |T1| > p (or |T1| == p and the miss was
 * in B2), else T2's LRU into B2. Directory bounds as in the paper's case IV:
 * |T1|+|B1| <= c (trimming B1, or when T1 alone fills the cache evicting T1's
 * LRU without remembering it) and |T1|+|T2|+|B1|+|B2| <= 2c (trimming B2).
 * Sizes are in the cache's unit, so with byte capacity the lists are weighed
 * in bytes and p moves by the newcomer's size times the ratio.
 * The case analysis runs in admit() (called once per miss, before any
 * eviction); victim() is REPLACE. Invariant: every cached slot is on T1 or
 * T2 as its list byte says; a key is never both cached and in a ghost list. */
#include "models/cache/qlist.h"
#include "models/cache/ghost.h"

#include <stdlib.h>

enum { T1, T2 };
enum { B1, B2 };
#define NO_GHOST (-1)


typedef struct arc {
    qlist_t t[2];
    qlist_tags_t list;       /* each slot's list, T1 or T2 */
    ghost_t ghost;           /* lists B1 and B2 */
    double p;                /* target weight of T1, 0..c */
    double c;
    /* decided in admit for the coming insertion */
    int target;              /* T1 or T2 */
    bool hit_in_b2;
    bool evict_unremembered; /* case IV-A with |T1| = c */
    uint32_t victim;         /* the slot victim() chose, to remember on removal */
    int victim_ghost;        /* B1, B2 or NO_GHOST */
    bool ghost_sized;        /* ghost reserved for the population (first eviction) */
} arc_t;

static int arc_create(cache_t *c, void **state, char *err, size_t errlen)
{
    arc_t *a = calloc(1, sizeof *a);
    if (!a) return -1;
    qlist_init(&a->t[T1]);
    qlist_init(&a->t[T2]);
    /* |B1| + |B2| <= c: sized for c keys when counting objects */
    bool bytes = cache_config(c)->capacity_bytes != 0;
    a->ghost_sized = !bytes;   /* counting objects: sized exactly at creation */
    uint64_t keep = bytes ? 0 : cache_capacity(c);   /* keys the ghost is sized for */
    /* a dense-id cache's ghost remembers ids, in an array by id */
    if ((cache_ids(c) ? ghost_init_ids(&a->ghost, bytes, keep, cache_ids(c))
                      : ghost_init(&a->ghost, bytes, keep)) != 0) { free(a); return -1; }
    a->c = (double)cache_capacity(c);
    a->victim = CACHE_NO_SLOT;
    *state = a;
    return 0;
}

static void arc_destroy(void *state)
{
    arc_t *a = state;
    ghost_free(&a->ghost);
    free(a->list.b);
    free(a);
}

static int arc_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((arc_t *)state)->list, nslots);
}

static bool arc_admit(cache_t *c, void *state, const cache_req_t *r)
{
    arc_t *a = state;
    double w = (double)cache_weight(c, r->size);
    double b1 = (double)a->ghost.lists[B1].weight, b2 = (double)a->ghost.lists[B2].weight;
    double t1 = (double)a->t[T1].weight, t2 = (double)a->t[T2].weight;
    uint32_t g = ghost_find(&a->ghost, cache_req_ghost_key(c, r));
    a->hit_in_b2 = false;
    a->evict_unremembered = false;
    if (g != GHOST_NONE && ghost_list_of(&a->ghost, g) == B1) {        /* case II */
        double delta = b1 >= b2 ? 1 : b2 / b1;
        a->p = a->p + delta * w < a->c ? a->p + delta * w : a->c;
        ghost_remove(&a->ghost, g);
        a->target = T2;
    } else if (g != GHOST_NONE) {                                      /* case III */
        double delta = b2 >= b1 ? 1 : b1 / b2;
        a->p = a->p - delta * w > 0 ? a->p - delta * w : 0;
        ghost_remove(&a->ghost, g);
        a->target = T2;
        a->hit_in_b2 = true;
    } else {                                                           /* case IV */
        a->target = T1;
        if (t1 + b1 + w > a->c) {                                      /* IV-A */
            if (t1 < a->c) {
                while (t1 + b1 + w > a->c && ghost_pop_tail(&a->ghost, B1))
                    b1 = (double)a->ghost.lists[B1].weight;
            } else {
                a->evict_unremembered = true;
            }
        } else if (t1 + t2 + b1 + b2 + w > 2 * a->c) {                 /* IV-B */
            while (t1 + t2 + b1 + b2 + w > 2 * a->c && ghost_pop_tail(&a->ghost, B2))
                b2 = (double)a->ghost.lists[B2].weight;
        }
    }
    return true;
}

static void arc_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    arc_t *a = state;
    a->list.b[s] = (uint8_t)a->target;
    qlist_push_head(c, &a->t[a->target], s);
}

static void arc_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    arc_t *a = state;
    qlist_unlink(c, &a->t[a->list.b[s]], s);
    a->list.b[s] = T2;
    qlist_push_head(c, &a->t[T2], s);
}

/* REPLACE(x, p). */
static uint32_t arc_victim(cache_t *c, void *state, const cache_req_t *r)
{
    arc_t *a = state;
    double t1 = (double)a->t[T1].weight;
    if (a->evict_unremembered && a->t[T1].len) {
        a->evict_unremembered = false;
        a->victim = a->t[T1].tail;
        a->victim_ghost = NO_GHOST;
    } else if (a->t[T1].len && (t1 > a->p || (a->hit_in_b2 && t1 == a->p) || !a->t[T2].len)) {
        a->victim = a->t[T1].tail;
        a->victim_ghost = B1;
    } else {
        a->victim = a->t[T2].tail;
        a->victim_ghost = B2;
    }
    return a->victim;
}

static void arc_remove(cache_t *c, void *state, uint32_t s)
{
    arc_t *a = state;
    qlist_unlink(c, &a->t[a->list.b[s]], s);
    if (s != a->victim) return;
    a->victim = CACHE_NO_SLOT;
    if (a->victim_ghost == NO_GHOST) return;
    /* a byte-limited cache learns its population when it first fills:
     * |B1| + |B2| stays near it (a failure only means growing step by step) */
    if (!a->ghost_sized) {
        a->ghost_sized = true;
        (void)ghost_reserve(&a->ghost, cache_objects(c) * 6 / 5);
    }
    const cache_entry_t *e = cache_entry_at(c, s);
    (void)ghost_push(&a->ghost, a->victim_ghost, cache_entry_ghost_key(c, e), cache_weight(c, e->size));
}

static size_t arc_memory(const void *state)
{
    const arc_t *a = state;
    return ghost_memory(&a->ghost) + a->list.n;
}

static void arc_prefetch(const void *state, uint32_t id)
{
    ghost_prefetch_id(&((const arc_t *)state)->ghost, id);
}

const cache_policy_t cache_policy_arc = {
    .name = "arc",
    .meta_size = sizeof(qlist_links_t),
    .create = arc_create,
    .destroy = arc_destroy,
    .on_insert = arc_insert,
    .on_hit = arc_hit,
    .victim = arc_victim,
    .on_remove = arc_remove,
    .admit = arc_admit,
    .on_grow = arc_grow,
    .memory = arc_memory,
    .prefetch = arc_prefetch,
};
