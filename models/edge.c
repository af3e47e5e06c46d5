/* edge — one PoP's request path: lookup, freshness, collapsing, fetch.
 *
 * Invariant: for each key a PoP has at most one fetch in flight (inflight
 * maps key -> fetch); every request that misses while it is in flight joins
 * its waiter list as COLLAPSED, and all waiters are answered when the fetch
 * completes, so N simultaneous misses cost one upstream request. */
#include "models/cdn_internal.h"

#include <stdlib.h>

static uint32_t request_new(cdn_t *c)
{
    if (c->requests_free != NO_ID) {
        uint32_t id = c->requests_free;
        c->requests_free = c->requests[id].next;
        return id;
    }
    if (c->nrequests == c->requests_cap) {
        uint32_t cap = c->requests_cap ? c->requests_cap * 2 : 1024;
        request_t *r = realloc(c->requests, (size_t)cap * sizeof *r);
        if (!r) return NO_ID;
        c->requests = r;
        c->requests_cap = cap;
    }
    return c->nrequests++;
}

static uint32_t fetch_new(cdn_t *c)
{
    if (c->fetches_free != NO_ID) {
        uint32_t id = c->fetches_free;
        c->fetches_free = c->fetches[id].next_free;
        return id;
    }
    if (c->nfetches == c->fetches_cap) {
        uint32_t cap = c->fetches_cap ? c->fetches_cap * 2 : 256;
        fetch_t *f = realloc(c->fetches, (size_t)cap * sizeof *f);
        if (!f) return NO_ID;
        c->fetches = f;
        c->fetches_cap = cap;
    }
    return c->nfetches++;
}

static void complete_fetch(cdn_t *c, uint32_t fid)
{
    fetch_t *f = &c->fetches[fid];
    pop_t *p = &c->pops[f->pop];
    simtime_t now = sim_now(c->sim);
    simtime_t expires = c->sc->ttl == SIMTIME_MAX ? SIMTIME_MAX : now + c->sc->ttl;
    cache_req_t cr = { f->key, f->size, now, -1 };
    cache_put(p->cache, &cr, expires, 0);
    u64map_del(&p->inflight, f->key);
    for (uint32_t id = f->first; id != NO_ID;) {
        request_t *r = &c->requests[id];
        uint32_t next = r->next;
        cdn_complete(c, f->pop, r->sent, r->size, (req_status_t)r->status, now + p->client_half2);
        r->next = c->requests_free;
        c->requests_free = id;
        id = next;
    }
    f->next_free = c->fetches_free;
    c->fetches_free = fid;
}

static void on_fetch_done(sim_t *s, void *ctx, uint64_t fid)
{
    complete_fetch(ctx, (uint32_t)fid);
}

/* Appends a waiting request to fetch fid. */
static bool wait_on(cdn_t *c, uint32_t fid, uint32_t p, simtime_t sent, uint32_t size,
                    req_status_t st)
{
    uint32_t id = request_new(c);
    if (id == NO_ID) return false;
    request_t *r = &c->requests[id];
    *r = (request_t){ .sent = sent, .size = size, .next = NO_ID, .status = (uint8_t)st, .pop = p };
    fetch_t *f = &c->fetches[fid];
    if (f->last == NO_ID) f->first = id; else c->requests[f->last].next = id;
    f->last = id;
    return true;
}

void edge_request(cdn_t *c, uint32_t pi, simtime_t sent, uint64_t key, uint32_t size,
                  int64_t next_access)
{
    pop_t *p = &c->pops[pi];
    simtime_t now = sim_now(c->sim);
    cache_req_t cr = { key, size, now, next_access };
    cache_entry_t *e = cache_find(p->cache, key);
    if (e && now < e->expires) {
        cache_touch(p->cache, e, &cr);
        cdn_complete(c, pi, sent, e->size, ST_HIT, now + p->client_half2);
        return;
    }
    uint32_t fid;
    if (u64map_get(&p->inflight, key, &fid)) {
        if (!wait_on(c, fid, pi, sent, size, ST_COLLAPSED)) sim_fail(c->sim, "out of memory");
        return;
    }
    fid = fetch_new(c);
    if (fid == NO_ID || u64map_put(&p->inflight, key, fid) != 0) {
        sim_fail(c->sim, "out of memory");
        return;
    }
    c->fetches[fid] = (fetch_t){ .key = key, .size = size, .pop = pi, .first = NO_ID,
                                 .last = NO_ID };
    if (!wait_on(c, fid, pi, sent, size, e ? ST_EXPIRED : ST_MISS)) {
        sim_fail(c->sim, "out of memory");
        return;
    }
    cdn_count_origin(c, sent, size);
    if (p->upstream_rtt == 0) complete_fetch(c, fid); /* a zero RTT completes at once */
    else sim_after(c->sim, p->upstream_rtt, on_fetch_done, c, fid);
}
