/* edge — the tiered request path: a PoP's lookup, request collapsing, the
 * fetch to a shield PoP or the origin, and the answers flowing back.
 *
 * Invariants: a PoP has at most one storing fetch in flight per key
 * (inflight maps key -> fetch id), and every request that misses while it is
 * in flight joins its waiter list, so N simultaneous misses at a PoP cost one
 * upstream request; this holds at every tier, so N edges missing one object
 * at once make one origin fetch through their shield. Uncacheable (dynamic)
 * requests bypass caches and collapsing. Waiters are answered in arrival
 * order when the fetch completes; a client's answer is recorded at once with
 * its future arrival time (it changes no state), a lower tier's fetch
 * completes by an event one one-way latency later. */
#include "models/cdn_internal.h"

#include <stdlib.h>

uint32_t request_new(cdn_t *c)
{
    if (c->requests_free != NO_ID) {
        uint32_t id = c->requests_free;
        c->requests_free = c->requests[id].next;
        return id;
    }
    if (c->nrequests == c->requests_cap) {
        uint32_t cap = c->requests_cap ? c->requests_cap * 2 : 1024;
        request_t *r = realloc(c->requests, (size_t)cap * sizeof *r);
        if (!r) { sim_fail(c->sim, "out of memory for requests in flight"); return NO_ID; }
        c->requests = r;
        c->requests_cap = cap;
    }
    return c->nrequests++;
}

void request_free(cdn_t *c, uint32_t id)
{
    c->requests[id].next = c->requests_free;
    c->requests_free = id;
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
        if (!f) { sim_fail(c->sim, "out of memory for fetches in flight"); return NO_ID; }
        c->fetches = f;
        c->fetches_cap = cap;
    }
    return c->nfetches++;
}

static void add_waiter(cdn_t *c, uint32_t fid, uint32_t rid)
{
    fetch_t *f = &c->fetches[fid];
    c->requests[rid].next = NO_ID;
    if (f->last == NO_ID) f->first = rid; else c->requests[f->last].next = rid;
    f->last = rid;
}

static void on_fetch_done(sim_t *s, void *ctx, uint64_t fid);

/* Answers waiter rid of a fetch that ended at PoP pi now. */
static void answer(cdn_t *c, uint32_t pi, uint32_t rid, bool failed)
{
    request_t *r = &c->requests[rid];
    simtime_t now = sim_now(c->sim);
    if (r->kind == WAIT_CLIENT) {
        cdn_complete(c, r->who, pi, r->sent, r->size, failed ? ST_ERROR : (req_status_t)r->status,
                     now + c->groups[r->who].oneway);
    } else {
        fetch_t *child = &c->fetches[r->who];
        child->failed = failed;
        if (!failed && child->measured) c->shield_bytes += child->size;
        sim_at(c->sim, now + c->pops[child->pop].up_oneway, on_fetch_done, c, r->who);
    }
    request_free(c, rid);
}

static void fetch_done(cdn_t *c, uint32_t fid)
{
    fetch_t *f = &c->fetches[fid];
    pop_t *p = &c->pops[f->pop];
    if (f->store) {
        if (!f->failed) {
            simtime_t now = sim_now(c->sim);
            simtime_t ttl = c->sc->ttl;
            cache_req_t cr = { f->key, f->size, now, -1 };
            cache_put(p->cache, &cr, ttl == SIMTIME_MAX ? SIMTIME_MAX : now + ttl, 0);
        }
        u64map_del(&p->inflight, f->key);
    }
    for (uint32_t rid = f->first; rid != NO_ID;) {
        uint32_t next = c->requests[rid].next;
        answer(c, f->pop, rid, c->fetches[fid].failed);
        rid = next;
    }
    f = &c->fetches[fid]; /* answer() may not grow the pool, but stay safe */
    f->next_free = c->fetches_free;
    c->fetches_free = fid;
}

static void on_fetch_done(sim_t *s, void *ctx, uint64_t fid) { fetch_done(ctx, (uint32_t)fid); }

static void on_origin_arrival(sim_t *s, void *ctx, uint64_t fid)
{
    cdn_t *c = ctx;
    fetch_t *f = &c->fetches[fid];
    simtime_t ready, now = sim_now(s);
    if (!server_take(&c->origin, now, &ready)) {
        f->failed = true;
        if (f->measured) c->origin_errors++;
        ready = now;
    }
    sim_at(s, ready + c->pops[f->pop].up_oneway, on_fetch_done, c, fid);
}

static void pop_lookup(cdn_t *c, uint32_t pi, uint32_t rid);

static void on_shield_arrival(sim_t *s, void *ctx, uint64_t fid)
{
    cdn_t *c = ctx;
    fetch_t *f = &c->fetches[fid];
    uint32_t rid = request_new(c);
    if (rid == NO_ID) return;
    request_t *r = &c->requests[rid];
    *r = (request_t){ .key = f->key, .size = f->size, .who = (uint32_t)fid, .kind = WAIT_FETCH,
                      .dynamic = !f->store, .sent = f->sent };
    uint32_t shield = c->pops[f->pop].upstream;
    c->pops[shield].tier_requests += f->measured;
    pop_lookup(c, shield, rid);
}

/* Sends fetch fid from its PoP to the PoP's upstream, now. */
static void fetch_send(cdn_t *c, uint32_t fid)
{
    fetch_t *f = &c->fetches[fid];
    pop_t *p = &c->pops[f->pop];
    simtime_t now = sim_now(c->sim);
    simtime_t arrive = now + 2 * p->up_oneway * c->upstream_handshake_rtts + p->up_oneway;
    if (p->upstream != NO_ID) {
        sim_at(c->sim, arrive, on_shield_arrival, c, fid);
        return;
    }
    cdn_count_origin(c, f->sent, f->size);
    if (!server_unlimited(&c->origin)) {
        sim_at(c->sim, arrive, on_origin_arrival, c, fid);
        return;
    }
    simtime_t done = arrive + c->origin.service + p->up_oneway;
    if (done == now) fetch_done(c, fid); /* zero RTTs: the fetch completes at once */
    else sim_at(c->sim, done, on_fetch_done, c, fid);
}

/* Starts a fetch at PoP pi for waiter rid. */
static void start_fetch(cdn_t *c, uint32_t pi, uint32_t rid, bool store)
{
    uint32_t fid = fetch_new(c);
    if (fid == NO_ID) return;
    request_t *r = &c->requests[rid];
    c->fetches[fid] = (fetch_t){ .key = r->key, .size = r->size, .pop = pi, .first = NO_ID,
                                 .last = NO_ID, .store = store, .sent = r->sent,
                                 .measured = r->sent >= c->sc->warmup };
    if (store && u64map_put(&c->pops[pi].inflight, r->key, fid) != 0) {
        sim_fail(c->sim, "out of memory");
        return;
    }
    add_waiter(c, fid, rid);
    fetch_send(c, fid);
}

/* Request rid (a client's, or a lower tier's fetch) is looked up at PoP pi now. */
static void pop_lookup(cdn_t *c, uint32_t pi, uint32_t rid)
{
    pop_t *p = &c->pops[pi];
    request_t *r = &c->requests[rid];
    if (r->dynamic) {
        r->status = ST_BYPASS;
        start_fetch(c, pi, rid, false);
        return;
    }
    simtime_t now = sim_now(c->sim);
    cache_entry_t *e = cache_find(p->cache, r->key);
    if (e && now < e->expires) {
        cache_req_t cr = { r->key, r->size, now, -1 };
        cache_touch(p->cache, e, &cr);
        r->status = ST_HIT;
        if (r->kind == WAIT_FETCH) p->tier_hits += c->fetches[r->who].measured;
        answer(c, pi, rid, false);
        return;
    }
    uint32_t fid;
    if (u64map_get(&p->inflight, r->key, &fid)) {
        r->status = ST_COLLAPSED;
        if (r->kind == WAIT_FETCH) p->tier_hits += c->fetches[r->who].measured;
        add_waiter(c, fid, rid);
        return;
    }
    r->status = e ? ST_EXPIRED : ST_MISS;
    start_fetch(c, pi, rid, true);
}

/* A PoP whose server neither queues nor takes time answers on arrival. */
static bool serves_at_once(const pop_t *p)
{
    return server_unlimited(&p->server) && p->server.service == 0;
}

static void on_pop_serve(sim_t *s, void *ctx, uint64_t rid)
{
    cdn_t *c = ctx;
    pop_lookup(c, c->groups[c->requests[rid].who].pop, (uint32_t)rid);
}

/* Queues client request rid at its PoP's server: served later, or refused. */
static void queue_at_pop(cdn_t *c, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    uint32_t pi = c->groups[r->who].pop;
    simtime_t ready, now = sim_now(c->sim);
    if (server_take(&c->pops[pi].server, now, &ready)) {
        sim_at(c->sim, ready, on_pop_serve, c, rid);
        return;
    }
    cdn_complete(c, r->who, pi, r->sent, r->size, ST_ERROR, now + c->groups[r->who].oneway);
    request_free(c, rid);
}

void edge_arrival(cdn_t *c, uint32_t rid)
{
    uint32_t pi = c->groups[c->requests[rid].who].pop;
    if (serves_at_once(&c->pops[pi])) pop_lookup(c, pi, rid);
    else queue_at_pop(c, rid);
}

void edge_arrival_fields(cdn_t *c, uint32_t group, simtime_t sent, uint64_t key, uint32_t size,
                         bool dynamic)
{
    uint32_t pi = c->groups[group].pop;
    pop_t *p = &c->pops[pi];
    simtime_t now = sim_now(c->sim);
    bool at_once = serves_at_once(p);
    if (!dynamic && at_once) { /* a fresh hit needs no record */
        cache_entry_t *e = cache_find(p->cache, key);
        if (e && now < e->expires) {
            cache_req_t cr = { key, size, now, -1 };
            cache_touch(p->cache, e, &cr);
            cdn_complete(c, group, pi, sent, e->size, ST_HIT, now + c->groups[group].oneway);
            return;
        }
    }
    uint32_t rid = request_new(c);
    if (rid == NO_ID) return;
    c->requests[rid] = (request_t){ .sent = sent, .key = key, .size = size, .who = group,
                                    .kind = WAIT_CLIENT, .dynamic = dynamic };
    if (at_once) pop_lookup(c, pi, rid);
    else queue_at_pop(c, rid);
}

void edge_origin_direct(cdn_t *c, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    simtime_t ready, now = sim_now(c->sim);
    bool measured = r->sent >= c->sc->warmup;
    cdn_count_origin(c, r->sent, r->size);
    req_status_t st = r->dynamic ? ST_BYPASS : ST_MISS;
    if (!server_take(&c->origin, now, &ready)) {
        st = ST_ERROR;
        ready = now;
        if (measured) c->origin_errors++;
    }
    cdn_complete(c, r->who, NO_ID, r->sent, r->size, st, ready + c->groups[r->who].oneway);
    request_free(c, rid);
}
