/* lru — least recently used: a hit moves the object to the front; the back
 * goes first. A doubly linked list through the slots (32-bit links, 8 bytes
 * an object). */
#include "models/cache/cache_policy.h"

#include <stdlib.h>

typedef struct links { uint32_t prev, next; } links_t;   /* toward head, toward tail */

typedef struct lru {
    uint32_t head, tail;   /* most and least recently used; CACHE_NO_SLOT when empty */
} lru_t;

static int lru_create(cache_t *c, void **state, char *err, size_t errlen)
{
    lru_t *l = malloc(sizeof *l);
    if (!l) return -1;
    l->head = l->tail = CACHE_NO_SLOT;
    *state = l;
    return 0;
}

static void lru_destroy(void *state) { free(state); }

static void unlink_slot(cache_t *c, lru_t *l, uint32_t s)
{
    links_t *m = cache_meta(c, s);
    if (m->prev != CACHE_NO_SLOT) ((links_t *)cache_meta(c, m->prev))->next = m->next;
    else l->head = m->next;
    if (m->next != CACHE_NO_SLOT) ((links_t *)cache_meta(c, m->next))->prev = m->prev;
    else l->tail = m->prev;
}

static void push_front(cache_t *c, lru_t *l, uint32_t s)
{
    links_t *m = cache_meta(c, s);
    m->prev = CACHE_NO_SLOT;
    m->next = l->head;
    if (l->head != CACHE_NO_SLOT) ((links_t *)cache_meta(c, l->head))->prev = s;
    else l->tail = s;
    l->head = s;
}

static void lru_insert(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    push_front(c, state, s);
}

static void lru_hit(cache_t *c, void *state, uint32_t s, const cache_req_t *r)
{
    lru_t *l = state;
    if (l->head == s) return;
    unlink_slot(c, l, s);
    push_front(c, l, s);
}

static uint32_t lru_victim(cache_t *c, void *state, const cache_req_t *r)
{
    return ((lru_t *)state)->tail;
}

static void lru_remove(cache_t *c, void *state, uint32_t s) { unlink_slot(c, state, s); }

const cache_policy_t cache_policy_lru = {
    .name = "lru",
    .meta_size = sizeof(links_t),
    .create = lru_create,
    .destroy = lru_destroy,
    .on_insert = lru_insert,
    .on_hit = lru_hit,
    .victim = lru_victim,
    .on_remove = lru_remove,
};
