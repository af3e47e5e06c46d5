/* edge — the tiered request path: a PoP's lookup with HTTP freshness,
 * request collapsing, the fetch to a shield PoP or the origin, and the
 * answers flowing back.
 *
 * Freshness, per the object's content class (models/http/content.h): a copy is
 * fresh until `expires` (fetch time + the class's CDN TTL; a hit does not
 * extend it). A stale copy inside the class's stale-while-revalidate window
 * is served at once (STALE) while one background fetch refreshes it. Past
 * that, a copy with a validator is revalidated by a conditional fetch: if the
 * origin's version is unchanged the answer is a 304 without a body
 * (REVALIDATED) and the copy is fresh again; else a new body (EXPIRED). A
 * failed fetch is answered from a stale copy inside stale-if-error (STALE),
 * else with ERROR. Uncacheable requests (no-store, private, dynamic) bypass
 * caches and collapsing (BYPASS).
 *
 * Age (RFC 9111 4.2.3): a copy's age counts from when the request that
 * fetched it was sent (request_time), not from when the answer arrived: the
 * response delay, origin queueing included, is age. With no clock skew
 * corrected_age_value (Age + response_delay) always bounds apparent_age, so
 * an origin's answer expires at request_time + lifetime, and a shield's at
 * the shield copy's freshness end minus (the shield's answer time - the
 * edge's request_time): each tier's copy is at least as old as its
 * upstream's, by the time its own request took.
 *
 * A miss reserves the object's place in the cache at once (expires =
 * PENDING), as Varnish's busy object does: it counts against capacity and
 * takes part in eviction while its body is on the way, so the cache holds
 * exactly what it would if fetches were instant, and hit ratios match the
 * zero-latency analytic models whatever the RTTs; latency shows in time to
 * first byte and in collapsed requests.
 *
 * Invariants: a PoP has at most one storing fetch in flight per key
 * (inflight maps key -> fetch id), and every request that needs the object
 * while it is in flight joins its waiter list, so N simultaneous misses at a
 * PoP cost one upstream request; this holds at every tier, so N edges
 * missing one object at once make one origin fetch through their shield. A
 * waiter that finds the reservation is COLLAPSED (a hit on a busy object);
 * one that finds it evicted is a MISS that reserves it again, without a
 * second upstream request. A completed fetch fills its entry if the cache
 * still holds it. Waiters are answered in arrival order. A client's answer changes
 * no state, so it is tallied at once with its future arrival time; a lower
 * tier's fetch completes one one-way latency later: by an event, or, at an
 * edge nothing else can observe, kept by the edge until its next lookup
 * (see "completions an edge keeps"). */
#include "models/cdn/edge.h"

#include <stdlib.h>

#include "sim/rng.h"

/* A cached error (negative caching), not a copy of the object: bit 31 of
 * the tag, above the class (state_tag's layout). */
#define TAG_NEGATIVE STATE_TAG_NEGATIVE
static inline uint32_t make_tag(uint8_t cls, uint8_t epoch, uint32_t version)
{
    return state_tag(cls, epoch, version);
}
static inline uint8_t tag_class(uint32_t tag) { return state_tag_class(tag); }
static inline uint32_t tag_version(uint32_t tag) { return state_tag_version(tag); }
static inline bool tag_negative(uint32_t tag) { return (tag & TAG_NEGATIVE) != 0; }

/* Freshness lifetime of class k (the scenario's ttl without classes). */
static inline simtime_t class_ttl(const cdn_t *c, int k)
{
    return c->content.ncls ? c->content.cls[k].ttl : c->sc->ttl;
}

/* `expires` of an entry reserved at a miss, before its body arrives: far
 * enough in the past that no stale window reaches it. */
#define PENDING ENTRY_PENDING


/* Makes room for item n of a pool array that doubles as it fills; false
 * (and the run fails) when memory runs out. Requests and fetches in flight
 * live in such pools, recycled through free lists: no malloc per request. */
static bool pool_room(cdn_t *c, void **items, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap) return true;
    uint32_t grown = *cap ? *cap * 2 : 1024;
    void *p = realloc(*items, (size_t)grown * size);
    if (!p) { sim_fail(c->sim, "out of memory for requests in flight"); return false; }
    *items = p;
    *cap = grown;
    return true;
}

uint32_t request_new(cdn_t *c)
{
    if (c->requests_free != NO_ID) {
        uint32_t id = c->requests_free;
        c->requests_free = c->requests[id].next;
        return id;
    }
    void *items = c->requests;
    if (!pool_room(c, &items, c->nrequests, &c->requests_cap, sizeof *c->requests)) return NO_ID;
    c->requests = items;
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
    void *items = c->fetches;
    if (!pool_room(c, &items, c->nfetches, &c->fetches_cap, sizeof *c->fetches)) return NO_ID;
    c->fetches = items;
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

/* What a waiter is told: the outcome of the fetch it waited on, or of a hit
 * (version of the copy served). */
typedef struct outcome {
    bool failed, not_modified;
    uint32_t version;
    simtime_t expires;     /* when the copy served stops being fresh, here (its Age) */
    simtime_t date;        /* its Date, HTTP_NO_DATE when not known */
    bool stale;            /* a stale copy served because upstream failed */
    uint8_t epoch;         /* the copy's purge epoch */
} outcome_t;

/* The status a client sees for a failed fetch: a stale copy inside the
 * class's stale-if-error window, else an error. An uncacheable request
 * (BYPASS) bypasses the cache on failure too: an error. */
static req_status_t on_failure(cdn_t *c, uint32_t pi, const request_t *r, simtime_t now)
{
    if (r->dynamic || !c->content.ncls || !c->content.cls[r->cls].sie) return ST_ERROR;
    const cache_entry_t *e = cache_find(c->pops[pi].cache, r->key);
    /* stale for less than the window; as a difference, since expires may be
     * SIMTIME_MAX (never expires) and expires + window would overflow; a
     * cached error is no copy to stand in */
    return e && !tag_negative(e->tag) && now - e->expires < c->content.cls[r->cls].sie ? ST_STALE
                                                                                       : ST_ERROR;
}

/* A lower tier's failed fetch at PoP pi: RFC 5861 lets this PoP's own stale
 * copy inside stale-if-error answer it, as it would a client. */
static bool stale_for_child(cdn_t *c, uint32_t pi, const request_t *r, outcome_t *o, simtime_t now)
{
    if (on_failure(c, pi, r, now) != ST_STALE) return false;
    const cache_entry_t *e = cache_find(c->pops[pi].cache, r->key);
    *o = (outcome_t){ .version = tag_version(e->tag), .expires = e->expires, .date = HTTP_NO_DATE,
                      .stale = true,
                      .epoch = state_tag_epoch(e->tag) };
    return true;
}

static void complete_at(cdn_t *c, uint32_t fid, simtime_t t);

/* Answers waiter rid at PoP pi at `now` (the present, or the time of a
 * kept completion). */
static void answer(cdn_t *c, uint32_t pi, uint32_t rid, outcome_t o, simtime_t now)
{
    request_t *r = &c->requests[rid];
    if (r->kind == WAIT_CLIENT) {
        req_status_t st = (req_status_t)r->status;
        if (o.failed) st = on_failure(c, pi, r, now);
        else if (o.stale) st = ST_STALE;
        else if (o.not_modified && st == ST_EXPIRED) st = ST_REVALIDATED;
        if (!o.failed && c->purges_issued) state_note_old_copy(c, pi, r->key, r->cls, o.epoch);
        state_complete(c, r->who, pi, r->sent, r->size, st, now + c->groups[r->who].oneway);
    } else {
        fetch_t *child = &c->fetches[r->who];
        if (o.failed) stale_for_child(c, pi, r, &o, now);
        child->failed = o.failed;
        child->stale = o.stale;
        child->epoch = o.epoch;
        child->version = o.version;
        /* the Age this PoP sends: its copy's current age, lifetime minus
         * what freshness it has left (every tier has the class's lifetime) */
        simtime_t life = class_ttl(c, child->cls);
        child->age = o.failed || o.expires == SIMTIME_MAX || life == SIMTIME_MAX ? 0
                                                                               : life - (o.expires - now);
        child->date = o.date;
        /* the child's stale copy is current: the answer is a 304, no body */
        child->not_modified = !o.failed && child->conditional && child->cond_version == o.version;
        if (!o.failed && !child->not_modified && child->measured) {
            c->shield_bytes += child->size;
            c->pops[pi].tier_bytes += child->size;
        }
        if (c->pops[child->pop].foreign) /* another domain's fetch: its answer is a message */
            c->shield_reply(c, r->who, now + c->pops[child->pop].up_oneway);
        else
            complete_at(c, r->who, now + c->pops[child->pop].up_oneway);
    }
    request_free(c, rid);
}

/* Fetch fid's answer reaches its PoP at `now`. */
static void fetch_done(cdn_t *c, uint32_t fid, simtime_t now)
{
    fetch_t *f = &c->fetches[fid];
    pop_t *p = &c->pops[f->pop];
    /* RFC 9111 4.2.3: the answer's age on arrival, and so its freshness end */
    simtime_t fresh_until = http_fresh_until(class_ttl(c, f->cls),
                                             http_initial_age(f->age, f->date, f->requested, now), now);
    if (f->store) {
        /* the entry the fetch was started for, unless eviction took it */
        cache_entry_t *e = f->entry && f->entry->key == f->key ? f->entry : cache_find(p->cache, f->key);
        simtime_t neg = c->content.ncls ? c->content.cls[f->cls].error_ttl : 0;
        if (f->failed && e && e->expires == PENDING && neg > 0) {
            /* negative caching: the error is kept, aged from the request as
             * any response, and answers requests until it expires */
            e->expires = f->requested + neg;
            e->tag = make_tag(f->cls, 0, 0) | TAG_NEGATIVE;
        } else if (f->failed) {
            if (e && e->expires == PENDING) cache_remove(p->cache, f->key); /* nothing came */
        } else if (e) {
            /* the reservation, or the stale copy, now holds this answer: fresh
             * for the class's TTL from the origin, or for what a shield's copy
             * had left */
            e->expires = fresh_until;
            e->tag = make_tag(f->cls, f->epoch, f->version);
        } else {
            /* evicted while in flight: the cache let it go, as it would have
             * had the fetch been instant; the waiters still get the body */
            f->not_modified = false;
        }
        u64map_del(&p->inflight, f->key);
    }
    const cache_entry_t *held = f->store && !f->failed ? f->entry : NULL;
    outcome_t o = { f->failed, f->not_modified, f->version,
                    held && held->key == f->key ? held->expires : fresh_until, f->date,
                    f->stale, f->epoch };
    for (uint32_t rid = f->first; rid != NO_ID;) {
        uint32_t next = c->requests[rid].next;
        answer(c, f->pop, rid, o, now);
        rid = next;
    }
    f = &c->fetches[fid];
    f->next_free = c->fetches_free;
    c->fetches_free = fid;
}

static void on_fetch_done(sim_t *s, void *ctx, uint64_t fid)
{
    fetch_done(ctx, (uint32_t)fid, sim_now(s));
}

/* ---- completions an edge keeps ----
 *
 * A fetch's answer reaching an edge changes only that edge's cache entry and
 * in-flight table, and answers clients, whose tallies take the arrival time
 * as an argument. Nothing else reads those before the edge's next lookup
 * (pop_t.keeps_done says when that holds), so instead of an event the edge
 * keeps (time, sequence number, fetch) in a heap and runs what is due before
 * each lookup, in the order the events would have run: the sequence number
 * is the one the event would have had, so even ties at one nanosecond
 * resolve as before. Results are identical; an event is saved for each fetch
 * an edge makes (a third of world.json's events). */

static inline bool kept_before(kept_done_t a, kept_done_t b)
{
    return a.at < b.at || (a.at == b.at && a.seq < b.seq);
}

static void kept_push(cdn_t *c, pop_t *p, kept_done_t k)
{
    if (p->nkept == p->kept_cap) {
        uint32_t cap = p->kept_cap ? p->kept_cap * 2 : 64;
        kept_done_t *a = realloc(p->kept, (size_t)cap * sizeof *a);
        if (!a) { sim_fail(c->sim, "out of memory for fetches in flight"); return; }
        p->kept = a;
        p->kept_cap = cap;
    }
    uint32_t i = p->nkept++; /* times come nearly in order: the sift stops at once */
    while (i > 0 && kept_before(k, p->kept[(i - 1) / 2])) {
        p->kept[i] = p->kept[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    p->kept[i] = k;
}

static kept_done_t kept_pop(pop_t *p)
{
    kept_done_t top = p->kept[0], e = p->kept[--p->nkept];
    uint32_t i = 0, n = p->nkept;
    for (;;) {
        uint32_t ch = 2 * i + 1;
        if (ch >= n) break;
        if (ch + 1 < n && kept_before(p->kept[ch + 1], p->kept[ch])) ch++;
        if (!kept_before(p->kept[ch], e)) break;
        p->kept[i] = p->kept[ch];
        i = ch;
    }
    if (n > 0) p->kept[i] = e;
    return top;
}

/* Fetch fid's answer reaches its PoP at t (> now, or at now after the
 * running event): kept by an edge that keeps its completions, else an event. */
static void complete_at(cdn_t *c, uint32_t fid, simtime_t t)
{
    pop_t *p = &c->pops[c->fetches[fid].pop];
    if (!p->keeps_done) {
        sim_at(c->sim, t, on_fetch_done, c, fid);
        return;
    }
    uint64_t seq = sim_take_seq(c->sim);
    if (seq) kept_push(c, p, (kept_done_t){ t, seq, fid });
}

/* Runs PoP pi's kept completions due before the running event. */
static inline void settle(cdn_t *c, uint32_t pi)
{
    pop_t *p = &c->pops[pi];
    if (!p->nkept) return;
    kept_done_t now = { sim_now(c->sim), sim_event_seq(c->sim), 0 };
    while (p->nkept && kept_before(p->kept[0], now)) {
        kept_done_t k = kept_pop(p);
        fetch_done(c, k.fid, k.at);
    }
}

void edge_settle_all(cdn_t *c)
{
    for (uint32_t i = 0; i < c->npops; i++)
        while (c->pops[i].nkept) {
            kept_done_t k = kept_pop(&c->pops[i]);
            fetch_done(c, k.fid, k.at);
        }
}

void edge_prepare(cdn_t *c)
{
    /* operations and DNS remapping change what a completion sees (routes,
     * purge epochs, the groups' latencies) between its time and the next
     * lookup: there, every completion stays an event */
    bool quiet = c->sc->nops == 0 && c->sc->routing != ROUTE_DNS;
    for (uint32_t i = 0; i < c->npops; i++) c->pops[i].keeps_done = quiet;
    for (uint32_t i = 0; i < c->npops; i++)
        if (c->pops[i].upstream != NO_ID) c->pops[c->pops[i].upstream].keeps_done = false;
}

/* The origin serves fetch f at time t: its version then, and a body unless
 * the fetch's stale copy is still current (a 304). */
static void origin_serves_as(cdn_t *c, fetch_t *f, simtime_t t, uint32_t issued, uint32_t bump)
{
    /* deploys in place add to every object's version of their class */
    f->version = content_version(&c->content, f->cls, f->object, t) + bump;
    f->version &= CONTENT_VERSION_MASK;
    f->epoch = (uint8_t)(issued % STATE_EPOCHS);
    f->age = 0;            /* a first-hand response: no Age */
    f->date = t;           /* its Date */
    f->not_modified = f->conditional && f->cond_version == f->version;
    state_count_origin(c, f->pop, f->sent, f->not_modified ? 0 : f->size);
}

static void origin_serves(cdn_t *c, fetch_t *f, simtime_t t)
{
    origin_serves_as(c, f, t, c->purges_issued, c->class_bump[f->cls]);
}

/* The origin refuses while an operation holds it down (as a 503). */
static bool origin_take(cdn_t *c, simtime_t now, simtime_t *ready)
{
    if (c->origin_down) { c->origin_down_refused++; return false; }
    return server_take(&c->origin, now, ready);
}

static void on_origin_arrival(sim_t *s, void *ctx, uint64_t fid)
{
    cdn_t *c = ctx;
    fetch_t *f = &c->fetches[fid];
    simtime_t ready, now = sim_now(s);
    if (origin_take(c, now, &ready)) {
        origin_serves(c, f, now);
    } else { /* refused with a 503: it reached the origin, but no body left */
        f->failed = true;
        state_count_origin(c, f->pop, f->sent, 0);
        if (f->measured) c->origin_errors++;
        ready = now;
    }
    complete_at(c, fid, ready + c->pops[f->pop].up_oneway);
}

bool edge_origin_take(cdn_t *c, simtime_t now, simtime_t *ready) { return origin_take(c, now, ready); }

/* The origin's answer to fetch fid, reaching its PoP now: what
 * on_origin_arrival would have done at the arrival (the origin's state there
 * decided `served`; nothing else at the origin depends on the moment), then
 * the completion. */
void edge_origin_reply(cdn_t *c, uint32_t fid, bool served)
{
    fetch_t *f = &c->fetches[fid];
    simtime_t arrived = f->requested + c->pops[f->pop].up_oneway;
    if (served) {
        /* the purges and deploys issued by then (an operation at the very
         * instant comes first, as its event was scheduled first), not by now */
        uint32_t issued = 0, bump = 0;
        for (int k = 0; k < c->sc->nops; k++) {
            const op_spec_t *op = &c->sc->ops[k];
            if (op->at > arrived || (op->kind != OP_PURGE && op->kind != OP_DEPLOY)) continue;
            issued++;
            int cls = 0;
            while (op->classes && !(op->classes >> cls & 1)) cls++;
            bump += op->kind == OP_DEPLOY && op->mode != DEPLOY_VERSIONED && cls == f->cls;
        }
        origin_serves_as(c, f, arrived, issued, bump);
    } else {
        f->failed = true;
        state_count_origin(c, f->pop, f->sent, 0);
        if (f->measured) c->origin_errors++;
    }
    settle(c, f->pop);
    fetch_done(c, fid, sim_now(c->sim));
}

static void pop_lookup(cdn_t *c, uint32_t pi, uint32_t rid);
static bool serves_at_once(const pop_t *p);
static void queue_at_pop(cdn_t *c, uint32_t rid);

uint32_t edge_fetch_adopt(cdn_t *c, const fetch_t *f)
{
    uint32_t fid = fetch_new(c);
    if (fid == NO_ID) return NO_ID;
    fetch_t *x = &c->fetches[fid];
    *x = *f;
    x->entry = NULL;       /* nothing of this domain's to fill */
    x->first = x->last = NO_ID;
    return fid;
}

void edge_fetch_release(cdn_t *c, uint32_t fid)
{
    c->fetches[fid].next_free = c->fetches_free;
    c->fetches_free = fid;
}

void edge_shield_done(cdn_t *c, uint32_t fid)
{
    settle(c, c->fetches[fid].pop);
    fetch_done(c, fid, sim_now(c->sim));
}

void edge_shield_arrival(sim_t *s, void *ctx, uint64_t fid)
{
    cdn_t *c = ctx;
    fetch_t *f = &c->fetches[fid];
    uint32_t rid = request_new(c);
    if (rid == NO_ID) return;
    c->requests[rid] = (request_t){ .sent = f->sent, .key = f->key, .object = f->object,
                                    .next_access = state_next_access(c, f->seq, f->tier + 1u,
                                                                     f->next_access),
                                    .seq = f->seq,
                                    .size = f->size, .who = (uint32_t)fid, .kind = WAIT_FETCH,
                                    .cls = f->cls, .dynamic = !f->store,
                                    .revalidate = f->revalidate };
    uint32_t shield = c->pops[f->pop].upstream;
    c->pops[shield].tier_requests += f->measured;
    if (serves_at_once(&c->pops[shield])) pop_lookup(c, shield, rid);
    else queue_at_pop(c, rid); /* edges' fetches queue at the shield's server too */
}

/* Sends fetch fid from its PoP to the PoP's upstream, now. */
static void fetch_send(cdn_t *c, uint32_t fid)
{
    fetch_t *f = &c->fetches[fid];
    pop_t *p = &c->pops[f->pop];
    simtime_t now = sim_now(c->sim);
    simtime_t arrive = now + 2 * p->up_oneway * c->upstream_handshake_rtts + p->up_oneway;
    f->requested = arrive - p->up_oneway;
    if (p->upstream != NO_ID) {
        if (c->pops[p->upstream].foreign) { /* another domain's shield (domain.c) */
            c->shield_post(c, fid, arrive);
            return;
        }
        cache_prefetch(c->pops[p->upstream].cache, f->key); /* looked up on arrival */
        sim_at(c->sim, arrive, edge_shield_arrival, c, fid);
        return;
    }
    if (c->origin_post) { /* the origin is another domain's (domain.c) */
        c->origin_post(c, fid, arrive);
        return;
    }
    if (!server_unlimited(&c->origin) || c->origin_by_event) {
        sim_at(c->sim, arrive, on_origin_arrival, c, fid);
        return;
    }
    origin_serves(c, f, arrive);
    simtime_t done = arrive + c->origin.service + p->up_oneway;
    if (done == now) fetch_done(c, fid, now); /* zero RTTs: the fetch completes at once */
    else complete_at(c, fid, done);
}

/* Starts a fetch at PoP pi for request r; rid is its waiter, or NO_ID for a
 * background refresh. `stale` is the copy being refreshed, if any. */
static void start_fetch(cdn_t *c, uint32_t pi, const request_t *r, uint32_t rid, bool store,
                        cache_entry_t *stale)
{
    uint32_t fid = fetch_new(c);
    if (fid == NO_ID) return;
    bool cond = stale && c->content.ncls && c->content.cls[r->cls].spec.validators;
    c->fetches[fid] = (fetch_t){ .key = r->key, .object = r->object, .size = r->size,
                                 .next_access = r->next_access,
                                 .pop = pi, .first = NO_ID, .last = NO_ID, .store = store,
                                 .cls = r->cls, .conditional = cond, .seq = r->seq,
                                 .revalidate = r->revalidate,
                                 .tier = r->kind == WAIT_CLIENT ? 0 : c->fetches[r->who].tier + 1,
                                 .cond_version = stale ? tag_version(stale->tag) : 0,
                                 .sent = r->sent, .measured = r->sent >= c->sc->warmup,
                                 .age = 0, .date = HTTP_NO_DATE };
    if (store && u64map_put(&c->pops[pi].inflight, r->key, fid) != 0) {
        sim_fail(c->sim, "out of memory");
        return;
    }
    if (store && !stale) {
        /* Reserve the object's place at the miss, as Varnish's busy object
         * does: it counts against capacity and takes part in eviction while
         * in flight, so the cache evolves as if fetches were instant. */
        cache_req_t cr = { r->key, r->size, sim_now(c->sim), r->next_access };
        c->fetches[fid].entry = cache_put(c->pops[pi].cache, &cr, PENDING, make_tag(r->cls, 0, 0));
    } else {
        c->fetches[fid].entry = stale;
    }
    if (rid != NO_ID) add_waiter(c, fid, rid);
    fetch_send(c, fid);
}

/* An edge-compute subrequest reaches the origin (arg: PoP << 32 | request):
 * the origin's server takes it, and the answer goes back through the PoP. */
static void on_subrequest_arrival(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    uint32_t pi = (uint32_t)(arg >> 32), rid = (uint32_t)arg;
    request_t *r = &c->requests[rid];
    simtime_t ready, now = sim_now(s);
    bool served = origin_take(c, now, &ready);
    state_count_origin(c, pi, r->sent, served ? r->size : 0);
    if (!served) {
        ready = now;
        if (r->sent >= c->sc->warmup) c->origin_errors++;
    }
    simtime_t back = ready + c->pops[pi].origin_oneway + c->groups[r->who].oneway;
    state_complete(c, r->who, pi, r->sent, r->size, served ? ST_COMPUTED : ST_ERROR, back);
    request_free(c, rid);
}

/* A client request of an edge_compute class: the PoP's isolate for the class
 * runs it (a cold start first when it has been idle longer than
 * isolate_idle_s, or never ran), and a share of requests then makes one
 * subrequest to the origin over the warm pool; the cache is not consulted. */
static void compute_at_pop(cdn_t *c, uint32_t pi, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    const class_edge_spec_t *ec = &c->sc->edge[r->cls];
    simtime_t now = sim_now(c->sim);
    simtime_t *idle_since = &c->isolate_idle_since[(size_t)pi * CONTENT_MAX_CLASSES + r->cls];
    bool cold = *idle_since == ISOLATE_NEVER || (now > *idle_since && now - *idle_since > ec->isolate_idle);
    simtime_t done = now + (cold ? ec->cold_start : 0) + ec->compute_time;
    if (done > *idle_since) *idle_since = done;
    if (ec->subrequest_share > 0 && rng_uniform(c->r_subrequest) < ec->subrequest_share) {
        sim_at(c->sim, done + c->pops[pi].origin_oneway, on_subrequest_arrival, c,
               (uint64_t)pi << 32 | rid);
        return;
    }
    state_complete(c, r->who, pi, r->sent, r->size, ST_COMPUTED, done + c->groups[r->who].oneway);
    request_free(c, rid);
}

/* A client request of a class with edge features: DENIED for a bad
 * signature (nothing goes upstream), computed at the edge, or (false) on
 * to the cache. */
static bool edge_features(cdn_t *c, uint32_t pi, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    if (r->invalid) {
        state_complete(c, r->who, pi, r->sent, r->size, ST_DENIED,
                       sim_now(c->sim) + c->groups[r->who].oneway);
        request_free(c, rid);
        return true;
    }
    if (!(c->cls_flags[r->cls] & CLS_COMPUTE)) return false;
    compute_at_pop(c, pi, rid);
    return true;
}

/* Request rid (a client's, or a lower tier's fetch) is looked up at PoP pi now. */
static void pop_lookup(cdn_t *c, uint32_t pi, uint32_t rid)
{
    pop_t *p = &c->pops[pi];
    request_t *r = &c->requests[rid];
    settle(c, pi);
    if (c->cls_flags[r->cls] && r->kind == WAIT_CLIENT && edge_features(c, pi, rid)) return;
    if (r->dynamic) {
        r->status = ST_BYPASS;
        start_fetch(c, pi, r, rid, false, NULL);
        return;
    }
    simtime_t now = sim_now(c->sim);
    cache_entry_t *e = cache_find(p->cache, r->key);
    if (e && tag_negative(e->tag)) {
        if (now < e->expires) { /* a cached error answers: no upstream request */
            cache_req_t cr = { r->key, r->size, now, r->next_access };
            cache_touch(p->cache, e, &cr);
            r->status = ST_ERROR;
            answer(c, pi, rid, (outcome_t){ .failed = true, .date = HTTP_NO_DATE }, now);
            return;
        }
        cache_remove(p->cache, r->key); /* expired: as if never cached */
        e = NULL;
    }
    if (e) { /* fresh, stale or on its way: a use of the cached object */
        cache_req_t cr = { r->key, r->size, now, r->next_access };
        cache_touch(p->cache, e, &cr);
    }
    uint32_t fid;
    /* a request's no-cache (or max-age=0) forbids serving a stored copy,
     * fresh or stale, without validating it first (RFC 9111 5.2.1.4) */
    if (e && !r->revalidate &&
        (now < e->expires ||
         now < e->expires + (c->content.ncls ? c->content.cls[tag_class(e->tag)].swr : 0))) {
        bool fresh = now < e->expires;
        r->status = fresh ? ST_HIT : ST_STALE;
        if (r->kind == WAIT_FETCH) p->tier_hits += c->fetches[r->who].measured;
        outcome_t o = { false, false, tag_version(e->tag), e->expires, HTTP_NO_DATE, false,
                        state_tag_epoch(e->tag) };
        request_t copy = *r;
        answer(c, pi, rid, o, now);
        if (!fresh && !u64map_get(&p->inflight, copy.key, &fid))
            start_fetch(c, pi, &copy, NO_ID, true, e); /* background refresh */
        return;
    }
    bool in_flight = u64map_get(&p->inflight, r->key, &fid);
    if (in_flight) {
        /* The object is on its way. Its reservation still in the cache makes
         * this a hit on a busy object (COLLAPSED); if eviction took the
         * reservation, the cache no longer holds it: a MISS that reserves it
         * again, but still no second upstream request. */
        r->status = e ? ST_COLLAPSED : ST_MISS;
        if (!e) {
            cache_req_t cr = { r->key, r->size, now, r->next_access };
            c->fetches[fid].entry = cache_put(p->cache, &cr, PENDING, make_tag(r->cls, 0, 0));
        }
        /* the copy stored on completion is next wanted after the latest waiter */
        c->fetches[fid].next_access = r->next_access;
        c->fetches[fid].seq = r->seq;
        if (r->kind == WAIT_FETCH && e) p->tier_hits += c->fetches[r->who].measured;
        add_waiter(c, fid, rid);
        return;
    }
    r->status = e ? ST_EXPIRED : ST_MISS;
    start_fetch(c, pi, r, rid, true, e);
}

/* A PoP whose server neither queues nor takes time answers on arrival. */
static bool serves_at_once(const pop_t *p)
{
    return server_unlimited(&p->server) && p->server.service == 0;
}

/* The PoP a request is at: its client group's, or for a lower tier's fetch
 * that fetch's upstream. */
static uint32_t request_pop(const cdn_t *c, const request_t *r)
{
    return r->kind == WAIT_CLIENT ? c->groups[r->who].pop : c->pops[c->fetches[r->who].pop].upstream;
}

/* arg: the PoP << 32 | the request. The PoP is the one the request queued
 * at: a withdrawal meanwhile moves its client group, not the request. */
static void on_pop_serve(sim_t *s, void *ctx, uint64_t arg)
{
    pop_lookup(ctx, (uint32_t)(arg >> 32), (uint32_t)arg);
}

/* Queues request rid at its PoP's server: served later, or refused (503). */
static void queue_at_pop(cdn_t *c, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    uint32_t pi = request_pop(c, r);
    simtime_t ready, now = sim_now(c->sim);
    server_t *sv = &c->pops[pi].server;
    if (server_take(sv, now, &ready)) {
        if (c->cls_flags[r->cls] & CLS_SIGNED && r->kind == WAIT_CLIENT) {
            /* checking the signature is work of the PoP's server */
            simtime_t v = c->sc->edge[r->cls].verify;
            ready += v;
            if (!server_unlimited(sv)) sv->busy_until += v;
        }
        sim_at(c->sim, ready, on_pop_serve, c, (uint64_t)pi << 32 | rid);
        return;
    }
    if (r->kind == WAIT_FETCH) { /* a shield refusing an edge: the edge's fetch fails */
        answer(c, pi, rid, (outcome_t){ .failed = true, .date = HTTP_NO_DATE }, now);
        return;
    }
    state_complete(c, r->who, pi, r->sent, r->size, ST_ERROR, now + c->groups[r->who].oneway);
    request_free(c, rid);
}

/* A client request can skip the PoP's server when the server neither queues
 * nor takes time and no signature needs checking. */
static bool client_at_once(const cdn_t *c, const pop_t *p, uint8_t cls)
{
    return serves_at_once(p) && !(c->cls_flags[cls] & CLS_SIGNED && c->sc->edge[cls].verify > 0);
}

void edge_arrival(cdn_t *c, uint32_t rid)
{
    uint32_t pi = c->groups[c->requests[rid].who].pop;
    if (client_at_once(c, &c->pops[pi], c->requests[rid].cls)) pop_lookup(c, pi, rid);
    else queue_at_pop(c, rid);
}

void edge_arrival_fields(cdn_t *c, const request_t *req)
{
    uint32_t pi = c->groups[req->who].pop;
    pop_t *p = &c->pops[pi];
    simtime_t now = sim_now(c->sim);
    settle(c, pi);
    bool at_once = client_at_once(c, p, req->cls);
    if (!req->dynamic && !req->revalidate && at_once && !c->cls_flags[req->cls]) { /* a fresh hit needs no record */
        cache_entry_t *e = cache_find(p->cache, req->key);
        if (e && now < e->expires && !tag_negative(e->tag)) {
            cache_req_t cr = { req->key, req->size, now, req->next_access };
            cache_touch(p->cache, e, &cr);
            if (c->purges_issued) state_note_old_copy(c, pi, e->key, tag_class(e->tag), state_tag_epoch(e->tag));
            state_complete(c, req->who, pi, req->sent, e->size, ST_HIT, now + c->groups[req->who].oneway);
            return;
        }
    }
    uint32_t rid = request_new(c);
    if (rid == NO_ID) return;
    c->requests[rid] = *req;
    c->requests[rid].kind = WAIT_CLIENT;
    if (at_once) pop_lookup(c, pi, rid);
    else queue_at_pop(c, rid);
}

void edge_origin_direct(cdn_t *c, uint32_t rid)
{
    request_t *r = &c->requests[rid];
    simtime_t ready, now = sim_now(c->sim);
    req_status_t st = r->dynamic ? ST_BYPASS : ST_MISS;
    bool served = origin_take(c, now, &ready);
    state_count_origin(c, NO_ID, r->sent, served ? r->size : 0);
    if (!served) {
        st = ST_ERROR;
        ready = now;
        if (r->sent >= c->sc->warmup) c->origin_errors++;
    }
    state_complete(c, r->who, NO_ID, r->sent, r->size, st, ready + c->groups[r->who].oneway);
    request_free(c, rid);
}
