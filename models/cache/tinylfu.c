/* tinylfu — W-TinyLFU (Einziger, Friedman & Manes, 2017).
 *
 * A window LRU (1% of the capacity) takes every new object; the main cache
 * (the other 99%) is a segmented LRU: probation (20% of main) and protected
 * (80%). A hit in probation promotes to protected, whose overflow is demoted
 * back to probation's head. When the window overflows, its LRU object is a
 * candidate for main: it enters probation if main has room, else it duels
 * main's victim (probation's LRU, or protected's when probation is empty) and
 * the one with the higher estimated frequency stays; ties keep the incumbent.
 * Frequencies come from a count-min sketch of 4-bit counters: 4 rows, each
 * the next power of two above 4x the capacity in objects (so a key's four
 * counters are rarely all shared with other keys; 8 bytes an object),
 * counting every request (hits in on_hit, misses in admit). After ten times
 * the capacity in increments every counter is halved, so the estimate
 * follows a sliding window of history. No doorkeeper: at this width the
 * sketch alone keeps one-hit wonders out.
 * With byte capacity the segments are weighed in bytes; then, and for object
 * capacities beyond 2^17, the sketch starts small and widens (and restarts)
 * when the cached objects outgrow it.
 * Invariant: every cached slot is on exactly one segment as its byte says;
 * the window exceeds its share only while main is full. */
#include "models/cache/qlist.h"
#include "models/cache/sketch.h"

#include <stdlib.h>
#include <string.h>

enum { WINDOW, PROBATION, PROTECTED };
/* The most objects the sketch is sized for at creation (1 MB of counters):
 * a capacity_objects of 10^9 must not cost 2 GB before the first request. */
#define SKETCH_RESERVE_MAX (1ULL << 17)


typedef struct tinylfu {
    qlist_t seg[3];
    qlist_tags_t segof;     /* each slot's segment */
    sketch_t sk;
    uint64_t win_cap, main_cap, prot_cap;   /* in the cache's unit */
} tinylfu_t;

static int tinylfu_create(cache_t *c, void **state, char *err, size_t errlen)
{
    tinylfu_t *t = calloc(1, sizeof *t);
    if (!t) return -1;
    for (int i = 0; i < 3; i++) qlist_init(&t->seg[i]);
    uint64_t cap = cache_capacity(c);
    t->win_cap = cap / 100 ? cap / 100 : 1;
    t->main_cap = cap > t->win_cap ? cap - t->win_cap : 0;
    t->prot_cap = t->main_cap * 8 / 10;
    /* sized for the capacity up to SKETCH_RESERVE_MAX objects; beyond (and
     * with byte capacity, where the count is unknown) it widens with use */
    uint64_t objs = cache_config(c)->capacity_bytes ? 1024 : cap < SKETCH_RESERVE_MAX ? cap : SKETCH_RESERVE_MAX;
    if (sketch_init(&t->sk, objs) != 0) { free(t); return -1; }
    *state = t;
    return 0;
}

static void tinylfu_destroy(void *state)
{
    tinylfu_t *t = state;
    free(t->sk.words);
    free(t->segof.b);
    free(t);
}

static int tinylfu_grow(cache_t *c, void *state, uint32_t nslots)
{
    return qlist_tags_grow(&((tinylfu_t *)state)->segof, nslots);
}

static void move_to(cache_t *c, tinylfu_t *t, uint32_t s, int seg)
{
    qlist_unlink(c, &t->seg[t->segof.b[s]], s);
    t->segof.b[s] = (uint8_t)seg;
    qlist_push_head(c, &t->seg[seg], s);
}

static uint64_t main_weight(const tinylfu_t *t)
{
    return t->seg[PROBATION].weight + t->seg[PROTECTED].weight;
}

static bool tinylfu_admit(cache_t *c, void *state, const cache_req_t *r)
{
    tinylfu_t *t = state;
    if (4 * cache_objects(c) > t->sk.width)
        (void)sketch_init(&t->sk, t->sk.width / 2); /* doubles; on failure keep the old one */
    sketch_add(&t->sk, r->key);
    return true;
}

static void tinylfu_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    tinylfu_t *t = state;
    t->segof.b[s] = WINDOW;
    qlist_push_head(c, &t->seg[WINDOW], s);
    /* while main has room, the window's overflow simply moves on to probation */
    while (t->seg[WINDOW].weight > t->win_cap && t->seg[WINDOW].len > 1) {
        uint32_t cand = t->seg[WINDOW].tail;
        if (main_weight(t) + qlist_slot_weight(c, cand) > t->main_cap) break;
        move_to(c, t, cand, PROBATION);
    }
}

static void tinylfu_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    tinylfu_t *t = state;
    sketch_add(&t->sk, r->key);
    if (t->segof.b[s] != PROBATION) {
        qlist_to_head(c, &t->seg[t->segof.b[s]], s);
        return;
    }
    move_to(c, t, s, PROTECTED);
    while (t->seg[PROTECTED].weight > t->prot_cap && t->seg[PROTECTED].len > 1)
        move_to(c, t, t->seg[PROTECTED].tail, PROBATION);
}

static uint32_t main_victim(const tinylfu_t *t)
{
    return t->seg[PROBATION].len ? t->seg[PROBATION].tail : t->seg[PROTECTED].tail;
}

static uint32_t tinylfu_victim(cache_t *c, void *state, const cache_req_t *r)
{
    tinylfu_t *t = state;
    uint64_t w = cache_weight(c, r->size);
    /* the newcomer joins the window: if that overflows it, the window's LRU
     * must either move into main or lose a duel */
    while (t->seg[WINDOW].len && t->seg[WINDOW].weight + w > t->win_cap) {
        uint32_t cand = t->seg[WINDOW].tail;
        if (main_weight(t) + qlist_slot_weight(c, cand) <= t->main_cap) {
            move_to(c, t, cand, PROBATION);
            continue;
        }
        uint32_t v = main_victim(t);
        if (v == CACHE_NO_SLOT) return cand;
        if (sketch_estimate(&t->sk, cache_entry_at(c, cand)->key) >
            sketch_estimate(&t->sk, cache_entry_at(c, v)->key)) {
            move_to(c, t, cand, PROBATION);
            return v;
        }
        return cand;
    }
    uint32_t v = main_victim(t);
    return v != CACHE_NO_SLOT ? v : t->seg[WINDOW].tail;
}

static void tinylfu_remove(cache_t *c, void *state, uint32_t s)
{
    tinylfu_t *t = state;
    qlist_unlink(c, &t->seg[t->segof.b[s]], s);
}

static size_t tinylfu_memory(const void *state)
{
    const tinylfu_t *t = state;
    return SKETCH_ROWS * (t->sk.width / 16) * sizeof(uint64_t) + t->segof.n;
}

const cache_policy_t cache_policy_tinylfu = {
    .name = "tinylfu",
    .meta_size = sizeof(qlist_links_t),
    .create = tinylfu_create,
    .destroy = tinylfu_destroy,
    .on_insert = tinylfu_insert,
    .on_hit = tinylfu_hit,
    .victim = tinylfu_victim,
    .on_remove = tinylfu_remove,
    .admit = tinylfu_admit,
    .on_grow = tinylfu_grow,
    .memory = tinylfu_memory,
};
