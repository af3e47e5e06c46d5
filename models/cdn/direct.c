/* direct — a single-PoP trace run without the event queue; see direct.h.
 *
 * What the event-driven run does for an eligible scenario, and so what this
 * loop does in the same order: request k reaches the PoP at t_k + oneway
 * (the arrival event); before its lookup the edge runs the fills kept due by
 * then (edge.c's settle: a fill due at the arrival's very instant runs first,
 * since its sequence number was taken before the arrival event was
 * scheduled); the lookup is a fresh hit (answered at once), a collapsed
 * request or an evicted reservation re-made (waiting on the fill in flight),
 * or a miss / an expired copy (a new fill, counted at the origin at once,
 * due `delay` later). Fills are started at nondecreasing times and all take
 * the same delay, so they come due in the order they started: a FIFO. */
#include "models/cdn/direct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/http/http_cc.h"

/* One request waiting on a fill, answered when it comes. */
typedef struct waiter {
    simtime_t sent;
    uint32_t size;
    uint32_t next;         /* next waiter on the same fill, NO_ID at the end */
    uint8_t status;
} waiter_t;

/* A fill in flight: the fetch of one key, and who waits on it. */
typedef struct fill {
    simtime_t done;        /* when its answer reaches the PoP */
    simtime_t requested;   /* request_time (RFC 9111 4.2.3) */
    simtime_t date;        /* the origin's Date */
    cache_entry_t *entry;  /* the reservation or stale copy it fills; check its key */
    uint64_t key;
    uint32_t first, last;  /* waiters, in arrival order */
} fill_t;

typedef struct run {
    cdn_t *c;
    pop_t *p;
    simtime_t oneway, delay, up;
    fill_t *ring;          /* fill number n at ring[n & mask] */
    uint32_t mask, head, tail; /* fills head..tail-1 are in flight */
    waiter_t *w;           /* pool, free-listed through next */
    uint32_t nw, wcap, wfree;
    series_point_t *pt;    /* the series point of send times [lo, hi) */
    simtime_t lo, hi;
    bool oom;
} run_t;

bool direct_eligible(const cdn_t *c, const char **why)
{
    const scenario_t *sc = c->sc;
    const char *no = NULL;
    /* a trace's times are the whole input: with a generator the slow path
     * is as exact, but its draws are its own (no need here) */
    if (sc->workload.type != WORKLOAD_TRACE) no = "not a trace workload";
    /* one PoP, one client group, no world: one client latency, no routes,
     * no shields whose fills would interleave with the edge's */
    else if (c->world || c->npops != 1 || c->ngroups != 1 || c->groups[0].pop != 0 ||
             c->pops[0].upstream != NO_ID)
        no = "more than one PoP or client group";
    /* fixed_delay: no handshakes (their round trips are drawn per request),
     * no diurnal thinning, no routing to the origin, no operations (they run
     * at their own times, between requests), no per-object sampling by
     * region; each would reorder arrivals or add events */
    else if (!c->fixed_delay) no = "handshakes, diurnal load, origin routing, operations or locality sampling";
    else if (c->nbots) no = "an attack";
    /* content classes bring variants, stale rules, validators, negative
     * caching, signatures and edge compute: paths this loop does not take */
    else if (c->content.ncls) no = "content classes";
    /* uncacheable and no-cache requests take draws and bypass the cache */
    else if (sc->dynamic_share > 0 || c->r_directives || sc->workload.locality > 0)
        no = "dynamic, no-cache or localized requests";
    /* a PoP server with a capacity or a service time queues requests: its
     * answers depend on arrivals' spacing, not just their order */
    else if (!server_unlimited(&c->pops[0].server) || c->pops[0].server.service != 0)
        no = "a PoP server with a capacity or service time";
    /* a finite origin queues fetches (their delays vary, fills no longer
     * come back in order); one that can go down answers by event */
    else if (!server_unlimited(&c->origin) || c->origin_by_event || c->origin_post)
        no = "an origin with a capacity or operations";
    /* the edge keeps its completions (nothing else sees them): what the
     * FIFO replaces; without it they would be events */
    else if (!c->pops[0].keeps_done) no = "completions the edge does not keep";
    if (why) *why = no;
    return no == NULL;
}

/* ---- what is measured ----
 *
 * state_complete and state_count_origin for the one PoP: every request is
 * the PoP's, so its tally and time series would receive exactly what the
 * CDN's receive; they are kept once and copied to the PoP at the end
 * (direct_run). The series point of the current interval is kept at hand:
 * send times only grow but for waiters, sent up to one fetch earlier. */

static series_point_t *point(run_t *r, simtime_t sent)
{
    if (sent >= r->lo && sent < r->hi) return r->pt;
    series_t *s = &r->c->series;
    series_point_t *pt = series_at(s, sent); /* may coarsen or move the points */
    if (!pt) { r->oom = true; return NULL; }
    r->lo = sent / s->interval * s->interval;
    r->hi = r->lo + s->interval;
    return r->pt = pt;
}

static void complete(run_t *r, simtime_t sent, uint32_t size, req_status_t st, simtime_t at)
{
    series_point_t *pt = point(r, sent);
    if (pt) {
        pt->requests++;
        pt->hits += status_is_hit(st);
        pt->latency_sum_ns += (double)(at - sent);
        hist_small_record(&pt->latency, at - sent);
    }
    if (sent >= r->c->sc->warmup) tally_add(&r->c->total, st, size, at - sent);
}

static void count_origin(run_t *r, simtime_t sent, uint32_t size)
{
    series_point_t *pt = point(r, sent);
    if (pt) pt->origin_requests++;
    if (sent < r->c->sc->warmup) return;
    r->c->origin_requests++;
    r->c->origin_bytes += size;
}

/* The PoP's tally and series: copies of the CDN's. */
static int copy_to_pop(cdn_t *c)
{
    pop_t *p = &c->pops[0];
    *p->tally = c->total;
    if (!p->series) return 0;
    series_t *s = p->series;
    series_point_t *pts = c->series.cap ? malloc(c->series.cap * sizeof *pts) : NULL;
    if (c->series.cap && !pts) return -1;
    if (pts) memcpy(pts, c->series.points, c->series.cap * sizeof *pts);
    free(s->points);
    *s = c->series;
    s->points = pts;
    return 0;
}

/* ---- the waiter pool and the FIFO ---- */

static uint32_t waiter_new(run_t *r, simtime_t sent, uint32_t size, uint8_t status)
{
    uint32_t id = r->wfree;
    if (id != NO_ID) {
        r->wfree = r->w[id].next;
    } else {
        if (r->nw == r->wcap) {
            uint32_t cap = r->wcap ? r->wcap * 2 : 1024;
            waiter_t *w = realloc(r->w, (size_t)cap * sizeof *w);
            if (!w) return NO_ID;
            r->w = w;
            r->wcap = cap;
        }
        id = r->nw++;
    }
    r->w[id] = (waiter_t){ sent, size, NO_ID, status };
    return id;
}

static bool add_waiter(run_t *r, fill_t *f, simtime_t sent, uint32_t size, uint8_t status)
{
    uint32_t id = waiter_new(r, sent, size, status);
    if (id == NO_ID) return false;
    if (f->last == NO_ID) f->first = id; else r->w[f->last].next = id;
    f->last = id;
    return true;
}

/* Room for one more fill in flight: the ring doubles, fills keeping their
 * numbers (and so the in-flight map its values). */
static bool ring_room(run_t *r)
{
    if (r->tail - r->head <= r->mask && r->ring) return true;
    uint32_t cap = r->ring ? (r->mask + 1) * 2 : 1024;
    fill_t *ring = malloc((size_t)cap * sizeof *ring);
    if (!ring) return false;
    for (uint32_t n = r->head; n != r->tail; n++) ring[n & (cap - 1)] = r->ring[n & r->mask];
    free(r->ring);
    r->ring = ring;
    r->mask = cap - 1;
    return true;
}

/* The oldest fill's answer reaches the PoP: edge.c's fetch_done for a
 * successful origin fetch of a class-less object, then its waiters. */
static void fill_done(run_t *r)
{
    cdn_t *c = r->c;
    fill_t *f = &r->ring[r->head & r->mask];
    simtime_t now = f->done;
    simtime_t fresh_until = http_fresh_until(c->sc->ttl, http_initial_age(0, f->date, f->requested, now), now);
    cache_entry_t *e = f->entry && f->entry->key == f->key ? f->entry : cache_find(r->p->cache, f->key);
    if (e) {
        e->expires = fresh_until;
        e->tag = state_tag(0, 0, 0);
    }
    u64map_del(&r->p->inflight, f->key);
    for (uint32_t id = f->first; id != NO_ID;) {
        waiter_t *w = &r->w[id];
        complete(r, w->sent, w->size, (req_status_t)w->status, now + r->oneway);
        uint32_t next = w->next;
        w->next = r->wfree;
        r->wfree = id;
        id = next;
    }
    r->head++;
}

/* Request q arrives at the PoP at `now`; false when out of memory. */
static bool arrive(run_t *r, const request_spec_t *q, simtime_t now)
{
    cache_t *cache = r->p->cache;
    while (r->head != r->tail && r->ring[r->head & r->mask].done <= now) fill_done(r);
    cache_req_t cr = { q->key, q->size, now, q->next_access };
    cache_entry_t *e = cache_find(cache, q->key);
    if (e && now < e->expires) { /* a fresh hit: answered with the copy's size */
        cache_touch(cache, e, &cr);
        complete(r, q->time, e->size, ST_HIT, now + r->oneway);
        return true;
    }
    if (e) cache_touch(cache, e, &cr); /* a reservation or an expired copy: a use */
    uint32_t n;
    if (u64map_get(&r->p->inflight, q->key, &n)) {
        /* on its way: a hit on the busy object, or, its reservation
         * evicted, a miss that reserves it again (no second fetch) */
        fill_t *f = &r->ring[n & r->mask];
        if (!e) f->entry = cache_put(cache, &cr, ENTRY_PENDING, state_tag(0, 0, 0));
        return add_waiter(r, f, q->time, q->size, e ? ST_COLLAPSED : ST_MISS);
    }
    if (!ring_room(r)) return false;
    n = r->tail;
    fill_t *f = &r->ring[n & r->mask];
    /* fetch_send: the request leaves after the upstream handshakes, reaches
     * the origin one way later, is served, and comes back */
    simtime_t at_origin = now + r->delay - r->c->origin.service - r->up;
    *f = (fill_t){ .done = now + r->delay, .requested = at_origin - r->up, .date = at_origin,
                   .key = q->key, .first = NO_ID, .last = NO_ID };
    if (u64map_put(&r->p->inflight, q->key, n) != 0) return false;
    f->entry = e ? e : cache_put(cache, &cr, ENTRY_PENDING, state_tag(0, 0, 0));
    if (!add_waiter(r, f, q->time, q->size, e ? ST_EXPIRED : ST_MISS)) return false;
    r->tail++;
    count_origin(r, q->time, q->size);
    if (r->delay == 0) fill_done(r); /* zero RTTs: the fetch completes at once */
    return true;
}

/* Requests decoded a batch at a time; the cache's index cell of the
 * request AHEAD on is prefetched, as cdnsim replay does: past 10^5 objects
 * nearly every lookup misses the processor's caches. */
enum { BATCH = 256, AHEAD = 8 };

int direct_run(cdn_t *c, char *err, size_t errlen)
{
    pop_t *p = &c->pops[0];
    run_t r = { .c = c, .p = p, .oneway = c->groups[0].oneway, .up = p->up_oneway,
                .wfree = NO_ID, .lo = 1, .hi = 0 };
    r.delay = 2 * p->up_oneway * c->upstream_handshake_rtts + p->up_oneway + c->origin.service +
              p->up_oneway;
    request_spec_t *q = malloc(BATCH * sizeof *q);
    int rc = q ? 0 : -1;
    int64_t got = 0;
    bool done = false;
    while (rc == 0 && !done && (got = workload_next_many(c->workload, q, BATCH, c->err, sizeof c->err)) > 0) {
        for (int64_t i = 0; i < got; i++) {
            if (q[i].time >= c->end) { done = true; break; }
            if (i + AHEAD < got) cache_prefetch(p->cache, q[i + AHEAD].key);
            c->nread++;
            c->sent++;
            c->last_sent = q[i].time;
            if (!arrive(&r, &q[i], q[i].time + r.oneway) || r.oom) { rc = -1; break; }
        }
    }
    if (rc == 0 && got < 0) {
        snprintf(err, errlen, "%s", c->err);
        rc = -2;
    }
    while (rc == 0 && r.head != r.tail) fill_done(&r); /* what edge_settle_all runs */
    if (rc == 0 && (r.oom || copy_to_pop(c) != 0)) rc = -1;
    if (rc == -1) snprintf(err, errlen, "out of memory for requests in flight");
    /* the event-driven run's count: one arrival event a request sent */
    c->direct_events = c->sent;
    free(q);
    free(r.ring);
    free(r.w);
    return rc;
}
