/* domain — the partition of the world into logical processes; see domain.h. */
#include "models/cdn/domain.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/cdn/edge.h"
#include "models/cdn/ops.h"
#include "sim/rng.h"

/* A fetch to the origin of another domain is one 64-bit event argument:
 * the fetch (32 bits), its PoP (20) and its domain (12). */
#define MSG_POP_BITS 20
#define MSG_DOMAIN_BITS 12

static uint32_t find(uint32_t *up, uint32_t i)
{
    while (up[i] != i) i = up[i] = up[up[i]]; /* path halving */
    return i;
}

static void join(uint32_t *up, uint32_t a, uint32_t b)
{
    a = find(up, a);
    b = find(up, b);
    if (a < b) up[b] = a; else up[a] = b; /* the lower index roots: order is the scenario's */
}

/* Why the run cannot be split yet, whatever the partition: a feature whose
 * state or arrival stream is global. */
static const char *serial_reason(const cdn_t *c)
{
    const scenario_t *sc = c->sc;
    if (!c->world) return "no topology: one PoP";
    if (sc->routing == ROUTE_ORIGIN) return "routing.mode origin: every client meets the origin";
    if (sc->routing == ROUTE_DNS) return "routing.mode dns: groups move at resolver expiries";
    if (sc->workload.type == WORKLOAD_TRACE) return "a trace is one arrival stream";
    if (!strcmp(sc->cache.policy, "belady")) return "belady reads one future";
    if (c->npops >= 1u << MSG_POP_BITS) return "more PoPs than the domains' messages can name";
    return NULL;
}

/* Whether some class makes origin subrequests from the edge (edge compute). */
static bool edge_subrequests(const cdn_t *c)
{
    for (int k = 0; k < c->sc->nclasses; k++)
        if (c->sc->edge[k].compute && c->sc->edge[k].subrequest_share > 0) return true;
    return false;
}

/* The partition whose messages are the fill links into shield level `cut`
 * (0: none, the domains meet only at the origin): the components of the
 * other fill links, the origin placed, zero-latency links folded. */
/* Every window visits every domain, whatever it holds, so a domain that
 * sees less than a few requests a window costs more than it runs apart (a
 * world without shields near a finite origin: a domain a PoP, a window of
 * a few milliseconds). The components other than the origin's are packed
 * into as many domains as the windows feed PACK_REQUESTS requests each
 * (none: one domain), busiest first, each into the lightest; the scenario
 * alone decides it, never the thread count. */
#define PACK_REQUESTS 4.0
static void pack(const cdn_t *c, domain_plan_t *p, uint32_t *up)
{
    uint32_t n = c->npops, home = find(up, p->origin_domain), nroots = 0;
    double feed = c->sc->workload.rate_rps * ((double)p->lookahead / 1e9) / PACK_REQUESTS;
    uint32_t bins = feed < 1 ? 0 : feed > n ? n : (uint32_t)feed;
    for (uint32_t i = 0; i < n; i++) nroots += find(up, i) == i && i != home;
    if (nroots <= bins) return;
    double *w = calloc(n, sizeof *w), *load = calloc(bins + 1, sizeof *load);
    uint32_t *by = malloc(n * sizeof *by), *rep = malloc((bins + 1) * sizeof *rep);
    if (!w || !load || !by || !rep) goto done; /* out of memory: left as it is */
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        if (gr->pop != NO_ID && !gr->unroutable) w[find(up, gr->pop)] += state_group_weight(c, g);
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) if (find(up, i) == i && i != home) by[m++] = i;
    for (uint32_t i = 1; i < m; i++) /* by weight, descending; stable, so ties keep PoP order */
        for (uint32_t j = i; j > 0 && w[by[j]] > w[by[j - 1]]; j--) { uint32_t x = by[j]; by[j] = by[j - 1]; by[j - 1] = x; }
    for (uint32_t b = 0; b < bins; b++) rep[b] = NO_ID;
    for (uint32_t i = 0; i < m; i++) {
        if (!bins) { join(up, by[i], home); continue; }
        uint32_t b = 0;
        for (uint32_t k = 1; k < bins; k++) if (load[k] < load[b]) b = k;
        load[b] += w[by[i]];
        if (rep[b] == NO_ID) rep[b] = by[i];
        else join(up, by[i], rep[b]);
    }
    p->packed = nroots;
    p->origin_domain = find(up, home);
done:
    free(w);
    free(load);
    free(by);
    free(rep);
}

static domain_plan_t *plan_cut(const cdn_t *c, uint8_t cut)
{
    domain_plan_t *p = calloc(1, sizeof *p);
    uint32_t n = c->npops, *up = malloc((n + 1) * sizeof *up);
    simtime_t *to_origin = malloc((n + 1) * sizeof *to_origin);
    if (!p || !up || !to_origin) goto oom;
    p->of_pop = malloc((n + 1) * sizeof *p->of_pop);
    if (!p->of_pop) goto oom;
    p->cut_level = cut;
    for (uint32_t i = 0; i < n; i++) up[i] = i;
    /* "may fill from": every PoP with its upstream shield, closed, but for
     * the cut links; a cut link with no latency cannot carry messages */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = c->pops[i].upstream;
        if (u == NO_ID) continue;
        if (!cut || c->pops[u].level != cut) join(up, i, u);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = c->pops[i].upstream;
        if (u == NO_ID || !cut || c->pops[u].level != cut || c->pops[i].up_oneway > 0) continue;
        if (find(up, i) != find(up, u)) {
            join(up, i, u);
            p->merged_links++;
        }
    }
    /* the origin: a logical process only when it keeps state that orders
     * fetches (a FIFO server, or an outage that can start) */
    p->origin_domain = NO_ID;
    p->lookahead = SIMTIME_MAX;
    bool origin_lp = !server_unlimited(&c->origin) || c->origin_by_event;
    bool subreq = edge_subrequests(c);
    if (origin_lp) {
        /* each root's least latency to the origin: its top PoPs' fetches,
         * and every PoP's subrequests when edge compute makes them */
        for (uint32_t i = 0; i < n; i++) to_origin[i] = SIMTIME_MAX;
        uint32_t nearest = NO_ID;
        for (uint32_t i = 0; i < n; i++) {
            const pop_t *q = &c->pops[i];
            simtime_t d = SIMTIME_MAX;
            if (q->upstream == NO_ID) d = q->up_oneway;
            if (subreq && q->origin_oneway < d) d = q->origin_oneway;
            uint32_t r = find(up, i);
            if (d < to_origin[r]) to_origin[r] = d;
            if (q->upstream == NO_ID && (nearest == NO_ID || q->up_oneway < c->pops[nearest].up_oneway))
                nearest = i;
        }
        uint32_t home = find(up, nearest);
        /* a domain no latency away cannot run apart from the origin */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = find(up, i);
            if (r == i && r != home && to_origin[r] <= 0) {
                join(up, r, home);
                p->merged++;
                home = find(up, home);
            }
        }
        home = find(up, home);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = find(up, i);
            if (r == i && r != home && to_origin[r] < p->lookahead) p->lookahead = to_origin[r];
        }
        p->origin_domain = home; /* a root for now; numbered below */
    }
    if (origin_lp && !cut) pack(c, p, up);
    /* the cut links left between domains: a fetch and its answer each take
     * at least the link's one-way latency */
    for (uint32_t i = 0; cut && i < n; i++) {
        uint32_t u = c->pops[i].upstream;
        if (u == NO_ID || c->pops[u].level != cut || find(up, i) == find(up, u)) continue;
        p->cut_links++;
        if (c->pops[i].up_oneway < p->lookahead) p->lookahead = c->pops[i].up_oneway;
    }
    /* number the domains by their lowest PoP index */
    uint32_t *num = malloc((n + 1) * sizeof *num);
    if (!num) goto oom;
    for (uint32_t i = 0; i < n; i++) num[i] = NO_ID;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = find(up, i);
        if (num[r] == NO_ID) num[r] = p->ndomains++;
        p->of_pop[i] = num[r];
    }
    if (p->origin_domain != NO_ID) p->origin_domain = num[p->origin_domain];
    free(num);
    if (p->ndomains == 0) p->ndomains = 1;
    p->npops_in = calloc(p->ndomains, sizeof *p->npops_in);
    p->share = calloc(p->ndomains, sizeof *p->share);
    if (!p->npops_in || !p->share) goto oom;
    for (uint32_t i = 0; i < n; i++) p->npops_in[p->of_pop[i]]++;
    if (p->cut_links) { /* the pairs of domains a cut link joins, both ways */
        if (!(p->linked = calloc((size_t)p->ndomains * p->ndomains, 1))) goto oom;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t u = c->pops[i].upstream, a = p->of_pop[i], b;
            if (u == NO_ID || a == (b = p->of_pop[u])) continue;
            p->linked[(size_t)a * p->ndomains + b] = p->linked[(size_t)b * p->ndomains + a] = 1;
        }
    }
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        if (gr->pop != NO_ID && !gr->unroutable) p->share[p->of_pop[gr->pop]] += state_group_weight(c, g);
    }
    double total = 0;
    for (uint32_t d = 0; d < p->ndomains; d++) total += p->share[d];
    for (uint32_t d = 0; total > 0 && d < p->ndomains; d++) p->share[d] /= total;
    p->serial_because = p->ndomains > 1 ? serial_reason(c) : NULL;
    if (!p->serial_because && p->ndomains >= 1u << MSG_DOMAIN_BITS)
        p->serial_because = "more domains than the domains' messages can name";
    if (!p->serial_because && p->origin_domain != NO_ID && subreq)
        p->serial_because = "edge compute subrequests to an origin that orders fetches";
    free(up);
    free(to_origin);
    return p;
oom:
    free(up);
    free(to_origin);
    domain_plan_free(p);
    return NULL;
}

static double busiest_share(const domain_plan_t *p)
{
    double b = 0;
    for (uint32_t d = 0; d < p->ndomains; d++)
        if (p->share[d] > b) b = p->share[d];
    return b;
}

/* The cut with the best speed-up bound (the least busiest share), among:
 * the origin alone, and the fill links into each shield level above the
 * first. The links from edges to the first level are never cut: they are
 * the shortest (an edge fills from its region's shield, often in the same
 * metro, a window a few milliseconds long, so a barrier every few
 * milliseconds), and every edge's miss would become two messages. On a tie
 * the higher cut wins (fewer messages, a longer lookahead). */
domain_plan_t *domain_plan(const cdn_t *c)
{
    domain_plan_t *best = plan_cut(c, 0);
    for (uint8_t k = (uint8_t)c->ntiers; best && k >= 2; k--) {
        domain_plan_t *p = plan_cut(c, k);
        if (!p) { domain_plan_free(best); return NULL; }
        if (busiest_share(p) < busiest_share(best) - 1e-12) {
            domain_plan_free(best);
            best = p;
        } else {
            domain_plan_free(p);
        }
    }
    return best;
}

void domain_plan_free(domain_plan_t *p)
{
    if (!p) return;
    free(p->of_pop);
    free(p->npops_in);
    free(p->share);
    free(p->linked);
    free(p);
}

uint32_t domain_count(const domain_plan_t *p) { return p->serial_because ? 1 : p->ndomains; }

void domain_plan_json(const cdn_t *c, const domain_plan_t *p, cJSON *o)
{
    cJSON *j = cJSON_AddObjectToObject(o, "parallel");
    json_add_count(j, "domains", domain_count(p));
    json_add_count(j, "partition_domains", p->ndomains);
    if (p->lookahead == SIMTIME_MAX) cJSON_AddNullToObject(j, "lookahead_ms");
    else cJSON_AddNumberToObject(j, "lookahead_ms", (double)p->lookahead / 1e6);
    if (p->origin_domain == NO_ID) cJSON_AddNullToObject(j, "origin_domain");
    else json_add_count(j, "origin_domain", p->origin_domain);
    if (p->merged + p->merged_links) json_add_count(j, "merged_zero_lookahead", p->merged + p->merged_links);
    if (p->packed) json_add_count(j, "packed_components", p->packed);
    /* where the domains meet besides the origin: the fill links into one
     * shield level */
    if (p->cut_level) json_add_count(j, "cut_level", p->cut_level);
    else cJSON_AddNullToObject(j, "cut_level");
    json_add_count(j, "cut_links", p->cut_links);
    double busiest = 0;
    for (uint32_t d = 0; d < p->ndomains; d++)
        if (p->share[d] > busiest) busiest = p->share[d];
    /* the speed-up the busiest domain's share of the clients bounds */
    cJSON_AddNumberToObject(j, "speedup_bound", busiest > 0 ? 1 / busiest : 1);
    if (p->serial_because) cJSON_AddStringToObject(j, "serial_because", p->serial_because);
    cJSON *arr = cJSON_AddArrayToObject(j, "partition");
    for (uint32_t d = 0; d < p->ndomains; d++) {
        cJSON *e = cJSON_CreateObject();
        cJSON *ids = cJSON_AddArrayToObject(e, "pops");
        for (uint32_t i = 0; i < c->npops; i++)
            if (p->of_pop[i] == d) cJSON_AddItemToArray(ids, cJSON_CreateString(c->pops[i].id));
        cJSON_AddNumberToObject(e, "client_share", round(p->share[d] * 1e9) / 1e9);
        cJSON_AddItemToArray(arr, e);
    }
}

/* ---- the domain run ----
 *
 * Each domain is a copy of the built model (its own sim, request and fetch
 * pools, tallies, series, random streams and arrival stream) that owns the
 * caches, in-flight tables and counters of its PoPs, borrowed from the
 * template model and given back at the end; the world, the scenario and the
 * content law are shared, read only. Time runs in windows of the
 * lookahead: in window k a domain runs its events before (k+1) x
 * lookahead; a message sent in it (a fetch to the origin's domain, the
 * origin's answer) arrives at least one lookahead later, so in a later
 * window. Messages go into per-(source, destination) outboxes, double
 * buffered by window parity; at the start of its next window each
 * destination takes its inbox in source order, then generation order, so
 * its event queue sees the same sequence whatever the thread count.
 *
 * There is no barrier a window: a domain may run window k as soon as every
 * domain that can post to it has finished window k - 1 (the origin's
 * domain waits for all, the others only for the origin's), so a domain
 * runs up to a window ahead of its neighbours and a thread with nothing
 * ready picks another of its domains. Which windows ran together never
 * changes what a domain computes. Operations are the only barriers. */

/* What a message is: a fetch at the origin's domain and its answer (arg
 * packs the fetch, its PoP and its domain, or the fetch and `served`), or a
 * fetch over a cut fill link at the upstream shield's domain (arg: the
 * fetch in its domain; f: the fetch) and its answer (arg: the fetch; f: the
 * answer's fields). */
enum { MSG_ORIGIN, MSG_ORIGIN_REPLY, MSG_SHIELD, MSG_SHIELD_REPLY };
typedef struct msg { simtime_t at; uint64_t arg; int kind; fetch_t f; } msg_t;
typedef struct msgbuf { msg_t *m; size_t n, cap; } msgbuf_t;

typedef struct run run_t;
typedef struct dom {
    cdn_t *c;
    uint32_t id;
    run_t *run;
    int parity;            /* the window's outbox set */
    uint64_t k;            /* the next window to run */
    simtime_t from;        /* where it starts */
    bool last;             /* ran the window that ends at SIMTIME_MAX */
    _Atomic uint64_t done; /* windows finished: k, published after the window */
    _Atomic int64_t last_active; /* the last window after which it had work, or -1 */
    uint64_t *proxy;       /* per fetch of this domain's pool standing for another
                              domain's fetch at one of its shields: from << 32 | fetch */
    uint32_t proxy_cap;
    int rc;
    char err[512];
} dom_t;

struct run {
    cdn_t *t;              /* the template: results are merged into it */
    const domain_plan_t *plan;
    const domain_hooks_t *hooks;
    uint32_t nd, nthreads;
    simtime_t *op_times;   /* the operations' distinct times, ascending: barriers */
    uint32_t nop_times;
    dom_t *doms;
    msgbuf_t *out;         /* [parity][from][to] */
    uint32_t *order;       /* domains by thread: thread k runs order[first[k] .. first[k+1]) */
    uint32_t *first;
    _Atomic simtime_t epoch_stop;  /* the next operation's time: no domain runs past it */
    _Atomic uint32_t at_epoch_end; /* domains standing at epoch_stop, or done */
    atomic_bool ended;
    atomic_bool failed;
    /* the start gate: 1 go, -1 give up (a thread could not be started) */
    pthread_mutex_t gate_lock;
    pthread_cond_t gate_cond;
    int gate;
};

static msgbuf_t *outbox(run_t *r, int parity, uint32_t from, uint32_t to)
{
    return &r->out[((size_t)parity * r->nd + from) * r->nd + to];
}

static void post(dom_t *d, uint32_t to, simtime_t at, uint64_t arg, int kind, const fetch_t *f)
{
    msgbuf_t *b = outbox(d->run, d->parity, d->id, to);
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        msg_t *m = realloc(b->m, cap * sizeof *m);
        if (!m) { sim_fail(d->c->sim, "out of memory for messages between domains"); return; }
        b->m = m;
        b->cap = cap;
    }
    msg_t *m = &b->m[b->n++];
    m->at = at;
    m->arg = arg;
    m->kind = kind;
    if (f) m->f = *f;
}

/* In a domain whose origin is elsewhere: fetch fid leaves for the origin. */
static void origin_post(cdn_t *c, uint32_t fid, simtime_t arrive)
{
    dom_t *d = c->domain;
    uint64_t arg = fid | (uint64_t)c->fetches[fid].pop << 32 |
                   (uint64_t)d->id << (32 + MSG_POP_BITS);
    post(d, d->run->plan->origin_domain, arrive, arg, MSG_ORIGIN, NULL);
}

/* In a domain whose PoP fills from another domain's shield over a cut
 * link: fetch fid leaves for it, to arrive at `arrive`. */
static void shield_post(cdn_t *c, uint32_t fid, simtime_t arrive)
{
    dom_t *d = c->domain;
    uint32_t to = d->run->plan->of_pop[c->pops[c->fetches[fid].pop].upstream];
    post(d, to, arrive, fid, MSG_SHIELD, &c->fetches[fid]);
}

/* At the shield's domain: proxy fetch pid, answered, sends its answer back
 * to arrive at `arrive`; the proxy is done. */
static void shield_reply(cdn_t *c, uint32_t pid, simtime_t arrive)
{
    dom_t *d = c->domain;
    uint64_t x = d->proxy[pid];
    post(d, (uint32_t)(x >> 32), arrive, (uint32_t)x, MSG_SHIELD_REPLY, &c->fetches[pid]);
    edge_fetch_release(c, pid);
}

/* At the origin's domain: another domain's fetch arrives now. */
static void on_remote_arrival(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    uint32_t fid = (uint32_t)arg, pop = (uint32_t)(arg >> 32) & ((1u << MSG_POP_BITS) - 1);
    uint32_t from = (uint32_t)(arg >> (32 + MSG_POP_BITS));
    simtime_t ready, now = sim_now(s);
    bool served = edge_origin_take(c, now, &ready);
    post(c->domain, from, (served ? ready : now) + c->pops[pop].up_oneway,
         fid | (uint64_t)served << 32, MSG_ORIGIN_REPLY, NULL);
}

/* At the fetch's domain: the origin's answer arrives now. */
static void on_remote_reply(sim_t *s, void *ctx, uint64_t arg)
{
    edge_origin_reply(ctx, (uint32_t)arg, (arg >> 32) & 1);
}

/* At the fetch's domain: the shield's answer (its fields already on the
 * fetch) arrives now. */
static void on_shield_reply(sim_t *s, void *ctx, uint64_t arg)
{
    edge_shield_done(ctx, (uint32_t)arg);
}

static void free_clone(cdn_t *c)
{
    if (!c) return;
    sim_destroy(c->sim);
    free(c->pops);
    free(c->groups);
    free(c->diurnal_keep);
    free(c->isolate_idle_since);
    free(c->requests);
    free(c->fetches);
    series_free(&c->series);
    workload_destroy(c->workload);
    if (c->group_pick) gsl_ran_discrete_free(c->group_pick);
    for (int k = 0; c->opst && k < c->sc->nops; k++)
        if (c->opst[k].has_keys) u64map_free(&c->opst[k].keys);
    free(c->opst);
    free(c->purge_op);
    free(c->bots);
    gsl_rng *rs[] = { c->r_groups, c->r_conn, c->r_dynamic, c->r_diurnal, c->r_variants,
                      c->r_directives, c->r_signed, c->r_subrequest, c->r_attack, c->r_scrub };
    for (size_t i = 0; i < sizeof rs / sizeof *rs; i++)
        if (rs[i]) gsl_rng_free(rs[i]);
    free(c);
}

/* Domain d's share of the arrivals from `from` on: the groups its PoPs
 * serve now (and the unroutable ones whose PoP it has), each drawn by
 * weight; its rate that share of the whole (Poisson splitting). */
static int split(cdn_t *c, uint32_t d, simtime_t from)
{
    const domain_plan_t *p = c->plan;
    double *w = malloc((size_t)c->ngroups * sizeof *w), mine = 0, all = 0;
    if (!w) return -1;
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        double x = state_group_weight(c, g);
        all += x;
        w[g] = gr->pop != NO_ID && p->of_pop[gr->pop] == d ? x : 0;
        mine += w[g];
    }
    if (c->group_pick) gsl_ran_discrete_free(c->group_pick);
    c->group_pick = mine > 0 ? gsl_ran_discrete_preproc(c->ngroups, w) : NULL;
    free(w);
    if (mine > 0 && !c->group_pick) return -1;
    const scenario_t *sc = c->sc;
    workload_set_rate(c->workload, mine > 0 ? sc->workload.rate_rps * (1 + sc->diurnal) * (mine / all) : 0, from);
    return 0;
}

/* Domain d's share of the flood: the bots whose group its PoPs serve now
 * (a group with no PoP: domain 0's), each drawn uniformly as before, at
 * their share of the bots' rate (Poisson splitting). */
static void attack_split(cdn_t *c, const cdn_t *t, uint32_t d)
{
    c->nbots = 0;
    for (uint32_t b = 0; b < t->nbots; b++) {
        uint32_t pop = c->groups[t->bots[b]].pop;
        if ((pop == NO_ID ? 0 : c->plan->of_pop[pop]) == d) c->bots[c->nbots++] = t->bots[b];
    }
    c->attack_rate = t->attack_rate * c->nbots / t->nbots;
}

/* A withdrawal or announcement at a domain (the world's routes already
 * recomputed at the barrier): the groups whose PoP is now its own take
 * their new routes; the others keep, in this copy, the route they had, so
 * a request of a group that left, sent before the change, still reaches the
 * PoP it was sent to (the serial model sends it to the group's new PoP).
 * Then the arrival stream is split afresh from now. */
static void reroute(cdn_t *c)
{
    dom_t *dm = c->domain;
    char err[512];
    group_t *old = malloc((size_t)c->ngroups * sizeof *old);
    if (!old) { sim_fail(c->sim, "out of memory"); return; }
    memcpy(old, c->groups, (size_t)c->ngroups * sizeof *old);
    if (state_route_groups(c, false, err, sizeof err) != 0) {
        sim_fail(c->sim, "%s: %s", c->sc->file, err);
        free(old);
        return;
    }
    if (c->have_next) sim_cancel(c->sim, c->send_ev);
    c->have_next = false;
    int rc = split(c, dm->id, sim_now(c->sim)); /* by the new routes */
    if (c->bots) {
        attack_split(c, dm->run->t, dm->id);
        ops_attack_restart(c, sim_now(c->sim));
    }
    for (uint32_t g = 0; g < c->ngroups; g++) {
        const group_t *gr = &c->groups[g];
        if (gr->pop == NO_ID || c->plan->of_pop[gr->pop] != dm->id) c->groups[g] = old[g];
    }
    free(old);
    if (rc != 0) { sim_fail(c->sim, "out of memory"); return; }
    dm->run->hooks->arrivals(c);
}

static gsl_rng *stream(const cdn_t *t, const char *name, uint32_t d)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s/d%u", name, d);
    return rng_stream_create(t->sc->seed, buf);
}

/* A tally holds a 117 KB latency histogram whose pages the kernel maps only
 * where samples land (metrics.h). The template's own tallies (the whole
 * CDN's, the continents', the attack's) are empty when the domains are made,
 * so a copy leaves them out: copied, each domain would touch them in full.
 * The copy is calloc'd, its tallies zero pages until used. (The PoPs'
 * tallies are not in pops but in the template's pop_tallies, which a
 * domain's own PoPs point into: copied in full, each domain's pops touched
 * 35 MB of world.json's 300 PoPs, 8 domains 488 MB of a 158 MB world.) */
typedef struct hole { size_t at, len; } hole_t;

static void copy_around(void *to, const void *from, size_t size, const hole_t *holes, size_t nholes)
{
    size_t at = 0;
    for (size_t k = 0; k <= nholes; k++) { /* holes ascending */
        size_t end = k < nholes ? holes[k].at : size;
        memcpy((char *)to + at, (const char *)from + at, end - at);
        if (k < nholes) at = holes[k].at + holes[k].len;
    }
}

#define HOLE(type, field) { offsetof(type, field), sizeof ((type *)0)->field }

static void cdn_copy_untallied(cdn_t *to, const cdn_t *from)
{
    /* in the order of the fields in state.h (checked at compile time) */
    static const hole_t holes[] = { HOLE(cdn_t, attack_clients), HOLE(cdn_t, total), HOLE(cdn_t, continent) };
    _Static_assert(offsetof(cdn_t, attack_clients) < offsetof(cdn_t, total) &&
                   offsetof(cdn_t, total) < offsetof(cdn_t, continent), "tallies out of order");
    copy_around(to, from, sizeof *to, holes, sizeof holes / sizeof holes[0]);
}

/* Domain d's copy of the built template t. */
static cdn_t *make_clone(cdn_t *t, const domain_hooks_t *hooks, uint32_t d, dom_t *dm, char *err,
                         size_t errlen)
{
    const domain_plan_t *p = t->plan;
    const scenario_t *sc = t->sc;
    cdn_t *c = calloc(1, sizeof *c);
    if (!c) goto oom;
    cdn_copy_untallied(c, t);
    c->sim = NULL;
    c->pops = NULL;
    c->pop_tallies = NULL; /* the template's, which its own PoPs point into */
    c->groups = NULL;
    c->diurnal_keep = NULL;
    c->isolate_idle_since = NULL;
    c->requests = NULL;
    c->fetches = NULL;
    c->nrequests = c->requests_cap = c->nfetches = c->fetches_cap = 0;
    c->requests_free = c->fetches_free = NO_ID;
    c->workload = NULL;
    c->group_pick = NULL;
    c->r_groups = c->r_conn = c->r_dynamic = c->r_diurnal = c->r_variants = c->r_directives = NULL;
    c->r_signed = c->r_subrequest = NULL;
    c->bots = NULL;
    c->nbots = 0;
    c->r_attack = c->r_scrub = NULL;
    c->catch_timeline = NULL;
    c->opst = NULL;
    c->purge_op = NULL;
    c->have_next = false;
    memset(&c->series, 0, sizeof c->series);
    if (series_init(&c->series, t->series.interval, SCENARIO_MAX_INTERVALS) != 0) goto oom;
    if (!(c->sim = sim_create())) goto oom;
    c->domain = dm;
    c->reroute = reroute;
    /* operations' effects, counted per domain and summed at the end */
    size_t nops = (size_t)sc->nops + 1;
    if (!(c->opst = malloc(nops * sizeof *c->opst)) || !(c->purge_op = malloc(nops * sizeof *c->purge_op)))
        goto oom;
    memcpy(c->opst, t->opst, nops * sizeof *c->opst);
    memcpy(c->purge_op, t->purge_op, nops * sizeof *c->purge_op);
    for (size_t k = 0; k < nops; k++) c->opst[k].has_keys = false;
    c->origin_post = p->origin_domain == NO_ID || p->origin_domain == d ? NULL : origin_post;
    c->shield_post = shield_post;
    c->shield_reply = shield_reply;
    if (!(c->pops = malloc((size_t)c->npops * sizeof *c->pops))) goto oom;
    memcpy(c->pops, t->pops, (size_t)c->npops * sizeof *c->pops);
    for (uint32_t i = 0; i < c->npops; i++) {
        if (p->of_pop[i] == d) continue; /* its own: borrowed as they are, tally included */
        pop_t *q = &c->pops[i];
        q->tally = NULL;
        q->foreign = true;
        q->cache = NULL;
        memset(&q->inflight, 0, sizeof q->inflight);
        q->kept = NULL;
        q->nkept = q->kept_cap = 0;
        q->series = NULL;
    }
    if (!(c->groups = malloc((size_t)c->ngroups * sizeof *c->groups))) goto oom;
    memcpy(c->groups, t->groups, (size_t)c->ngroups * sizeof *c->groups);
    if (!(c->diurnal_keep = calloc(c->ngroups, sizeof *c->diurnal_keep))) goto oom;
    c->diurnal_minute = -1;
    if (t->isolate_idle_since) {
        size_t n = (size_t)c->npops * CONTENT_MAX_CLASSES;
        if (!(c->isolate_idle_since = malloc(n * sizeof *c->isolate_idle_since))) goto oom;
        memcpy(c->isolate_idle_since, t->isolate_idle_since, n * sizeof *c->isolate_idle_since);
    }
    c->r_groups = stream(t, "clients.groups", d);
    c->r_conn = stream(t, "clients.connections", d);
    c->r_dynamic = stream(t, "clients.dynamic", d);
    c->r_diurnal = stream(t, "clients.diurnal", d);
    c->r_variants = stream(t, "clients.variants", d);
    if (t->r_directives) c->r_directives = stream(t, "clients.directives", d);
    c->r_signed = stream(t, "clients.signatures", d);
    c->r_subrequest = stream(t, "edge_compute.subrequests", d);
    if (!c->r_groups || !c->r_conn || !c->r_dynamic || !c->r_diurnal || !c->r_variants ||
        (t->r_directives && !c->r_directives) || !c->r_signed || !c->r_subrequest)
        goto oom;
    if (t->nbots) { /* its bots, their own streams */
        if (!(c->bots = malloc((size_t)t->nbots * sizeof *c->bots))) goto oom;
        c->r_attack = stream(t, "attack.arrivals", d);
        if (t->r_scrub) c->r_scrub = stream(t, "attack.scrub", d);
        if (!c->r_attack || (t->r_scrub && !c->r_scrub)) goto oom;
        attack_split(c, t, d);
    }
    /* its clients: the groups its PoPs serve, an arrival stream of their
     * share of the rate (Poisson splitting), each group drawn as before */
    char tag[16];
    snprintf(tag, sizeof tag, "d%u", d);
    if (!(c->workload = workload_split(t->workload, sc->seed, tag, 1.0))) goto oom;
    if (split(c, d, 0) != 0) goto oom;
    return c;
oom:
    snprintf(err, errlen, "out of memory building the domains");
    free_clone(c);
    return NULL;
}

/* Whether domain `from` may post to domain `to`: fetches go to the
 * origin's domain, or over a cut fill link, and their answers come back. The relation is symmetric, so
 * neighbours stay within a window of each other and two outbox parities do. */
static bool posts_to(const domain_plan_t *p, uint32_t from, uint32_t to)
{
    if (from == to) return false;
    if (p->origin_domain != NO_ID && (from == p->origin_domain || to == p->origin_domain)) return true;
    return p->linked && p->linked[(size_t)from * p->ndomains + to]; /* a cut fill link between them */
}

/* Window k's inbox of domain d: every message sent to it in window k - 1.
 * Returns how many. */
static size_t deliver(run_t *r, dom_t *d, int parity)
{
    size_t n = 0;
    for (uint32_t from = 0; from < r->nd; from++) {
        if (!posts_to(r->plan, from, d->id)) continue; /* no outbox: only posting pairs touch theirs */
        msgbuf_t *b = outbox(r, parity, from, d->id);
        for (size_t i = 0; i < b->n; i++) {
            const msg_t *m = &b->m[i];
            cdn_t *c = d->c;
            if (m->kind == MSG_ORIGIN) sim_at(c->sim, m->at, on_remote_arrival, c, m->arg);
            else if (m->kind == MSG_ORIGIN_REPLY) sim_at(c->sim, m->at, on_remote_reply, c, m->arg);
            else if (m->kind == MSG_SHIELD) {
                /* a fetch of this domain's pool stands for it at the shield */
                uint32_t pid = edge_fetch_adopt(c, &m->f);
                if (pid == NO_ID) break;
                if (pid >= d->proxy_cap) {
                    uint32_t cap = d->proxy_cap ? d->proxy_cap : 1024;
                    while (cap <= pid) cap *= 2;
                    uint64_t *x = realloc(d->proxy, (size_t)cap * sizeof *x);
                    if (!x) { sim_fail(c->sim, "out of memory for messages between domains"); break; }
                    d->proxy = x;
                    d->proxy_cap = cap;
                }
                d->proxy[pid] = (uint64_t)from << 32 | (uint32_t)m->arg;
                sim_at(c->sim, m->at, edge_shield_arrival, c, pid);
            } else {
                /* the answer's fields: nothing reads them before it arrives */
                fetch_t *f = &c->fetches[m->arg];
                f->failed = m->f.failed;
                f->stale = m->f.stale;
                f->epoch = m->f.epoch;
                f->version = m->f.version;
                f->age = m->f.age;
                f->date = m->f.date;
                f->not_modified = m->f.not_modified;
                sim_at(c->sim, m->at, on_shield_reply, c, m->arg);
            }
        }
        n += b->n;
        b->n = 0;
    }
    return n;
}

static bool outbox_empty(run_t *r, int parity, uint32_t from)
{
    for (uint32_t to = 0; to < r->nd; to++)
        if (posts_to(r->plan, from, to) && outbox(r, parity, from, to)->n) return false;
    return true;
}

typedef struct worker { run_t *r; uint32_t k; double cpu_s; } worker_t;

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The end of the window that starts at `start`: the next multiple of the
 * lookahead, or an operation's time before it (a barrier, so that every
 * domain applies the operation at the same instant). */
static simtime_t next_stop(const run_t *r, simtime_t start)
{
    simtime_t la = r->plan->lookahead, stop = SIMTIME_MAX;
    if (la != SIMTIME_MAX) {
        simtime_t k = start / la + 1;
        stop = k > SIMTIME_MAX / la ? SIMTIME_MAX : k * la;
    }
    for (uint32_t i = 0; i < r->nop_times; i++)
        if (r->op_times[i] > start) {
            if (r->op_times[i] < stop) stop = r->op_times[i];
            break;
        }
    return stop;
}

/* The world's part of the withdrawals and announcements at t, once, between
 * windows, in file order: BGP on the shared world, the template's groups
 * (for the result's catchments) and the catchment timeline. Each domain's
 * own operation event at t then re-routes its groups (reroute). */
static void world_ops(run_t *r, simtime_t t)
{
    cdn_t *c = r->t;
    const scenario_t *sc = c->sc;
    char err[512];
    for (int k = 0; k < sc->nops; k++) {
        const op_spec_t *op = &sc->ops[k];
        if (op->at != t || (op->kind != OP_WITHDRAW && op->kind != OP_ANNOUNCE)) continue;
        bool announce = op->kind == OP_ANNOUNCE;
        if (world_announce(c->world, (int)c->opst[k].pop, announce, err, sizeof err) != 0 ||
            state_route_groups(c, false, err, sizeof err) != 0) {
            snprintf(r->doms[0].err, sizeof r->doms[0].err, "%s: $.operations[%d]: %s", sc->file, k, err);
            r->doms[0].rc = -1;
            atomic_store(&r->failed, true);
            return;
        }
        state_catchment_snapshot(c, t, announce ? "announce" : "withdraw", op->pop);
    }
}

/* Window d->k may run once every domain that posts to d has finished
 * window d->k - 1 (its inbox is complete), within the current epoch. */
static bool ready(run_t *r, const dom_t *d)
{
    if (d->last || d->from >= atomic_load(&r->epoch_stop)) return false;
    for (uint32_t e = 0; e < r->nd; e++)
        if (posts_to(r->plan, e, d->id) && atomic_load_explicit(&r->doms[e].done, memory_order_acquire) < d->k)
            return false;
    return true;
}

static void run_window(run_t *r, dom_t *d)
{
    simtime_t stop = next_stop(r, d->from);
    d->parity = (int)(d->k & 1);
    size_t inbox = d->k > 0 ? deliver(r, d, d->parity ^ 1) : 0;
    /* a window with nothing to run is skipped: its clock moves at the end (finish) */
    if (d->rc == 0 && (inbox || sim_pending(d->c->sim) > 0) &&
        sim_run(d->c->sim, stop == SIMTIME_MAX ? SIMTIME_MAX : stop - 1) != 0) {
        d->rc = -1;
        snprintf(d->err, sizeof d->err, "%s", sim_error(d->c->sim));
        atomic_store(&r->failed, true);
    }
    if (sim_pending(d->c->sim) > 0 || !outbox_empty(r, d->parity, d->id))
        atomic_store_explicit(&d->last_active, (int64_t)d->k, memory_order_relaxed);
    d->from = stop;
    d->last = stop == SIMTIME_MAX;
    d->k++;
    if (d->last || d->from >= atomic_load(&r->epoch_stop)) atomic_fetch_add(&r->at_epoch_end, 1);
    atomic_store_explicit(&d->done, d->k, memory_order_release);
}

/* The run is over after window K when no domain had work after it or any
 * later window: every domain finished window K, and the last window after
 * which any had work is K - 1. Quiet is for good (no work, no message, none
 * to come), so the first such K is where a barrier per window stopped. */
static bool quiet(run_t *r, int64_t *K)
{
    uint64_t least = UINT64_MAX;
    for (uint32_t d = 0; d < r->nd; d++) {
        uint64_t n = atomic_load_explicit(&r->doms[d].done, memory_order_acquire);
        if (n < least) least = n;
    }
    int64_t busy = -1;
    for (uint32_t d = 0; d < r->nd; d++) {
        int64_t a = atomic_load_explicit(&r->doms[d].last_active, memory_order_relaxed);
        if (a > busy) busy = a;
    }
    *K = busy + 1;
    return least >= (uint64_t)(busy + 2);
}

static void idle(unsigned *spins)
{
    if (++*spins < 256) atomic_signal_fence(memory_order_seq_cst);
    else sched_yield();
}

/* The next operation time after t, or SIMTIME_MAX. */
static simtime_t op_after(const run_t *r, simtime_t t)
{
    for (uint32_t i = 0; i < r->nop_times; i++) if (r->op_times[i] > t) return r->op_times[i];
    return SIMTIME_MAX;
}

static bool stop_now(run_t *r)
{
    int64_t K;
    if (atomic_load(&r->failed) || atomic_load(&r->ended)) return true;
    if (quiet(r, &K)) { atomic_store(&r->ended, true); return true; }
    return false;
}

static void *work(void *arg)
{
    worker_t *w = arg;
    run_t *r = w->r;
    pthread_mutex_lock(&r->gate_lock);
    while (r->gate == 0) pthread_cond_wait(&r->gate_cond, &r->gate_lock);
    int go = r->gate;
    pthread_mutex_unlock(&r->gate_lock);
    if (go < 0) return NULL;
    double cpu0 = thread_cpu_s();
    uint32_t lo = r->first[w->k], hi = r->first[w->k + 1];
    unsigned spins = 0;
    while (!stop_now(r)) {
        /* the ready domain furthest behind: the origin's domain keeps the others going */
        dom_t *best = NULL;
        for (uint32_t i = lo; i < hi; i++) {
            dom_t *d = &r->doms[r->order[i]];
            if ((!best || d->k < best->k) && ready(r, d)) best = d;
        }
        if (best) { run_window(r, best); spins = 0; continue; }
        if (w->k == 0 && atomic_load(&r->at_epoch_end) == r->nd) {
            bool all_last = true;
            for (uint32_t d = 0; d < r->nd; d++) all_last &= r->doms[d].last;
            if (all_last) { atomic_store(&r->ended, true); break; }
            /* every domain stands at an operation's time: the world changes
             * once, then the next epoch opens (the others wait for it) */
            simtime_t at = atomic_load(&r->epoch_stop), next = op_after(r, at);
            world_ops(r, at);
            uint32_t n = 0;
            for (uint32_t d = 0; d < r->nd; d++) n += r->doms[d].last || r->doms[d].from >= next;
            atomic_store(&r->at_epoch_end, n);
            atomic_store(&r->epoch_stop, next);
            continue;
        }
        idle(&spins);
    }
    w->cpu_s = thread_cpu_s() - cpu0;
    return NULL;
}

/* Where each domain's clock would stand after the windows it skipped: the
 * end of the last window the run had (the clock a window's end sets). */
static void finish_clocks(run_t *r)
{
    int64_t K;
    if (!quiet(r, &K)) return; /* the run ended at SIMTIME_MAX, or failed */
    simtime_t from = 0, stop = 0;
    for (int64_t k = 0; k <= K; k++) { stop = next_stop(r, from); from = stop; }
    if (stop == SIMTIME_MAX) return;
    for (uint32_t d = 0; d < r->nd; d++)
        if (sim_now(r->doms[d].c->sim) < stop - 1) sim_run(r->doms[d].c->sim, stop - 1);
}

/* Domains to threads: the busiest first, each to the least loaded thread
 * (which thread runs a domain never changes what it computes). */
static void assign(run_t *r)
{
    double *load = calloc(r->nthreads, sizeof *load);
    uint32_t *by = malloc(r->nd * sizeof *by), *thread_of = malloc(r->nd * sizeof *thread_of);
    for (uint32_t d = 0; d < r->nd; d++) by[d] = d;
    for (uint32_t i = 1; i < r->nd; i++) /* insertion sort by share, descending */
        for (uint32_t j = i; j > 0 && r->plan->share[by[j]] > r->plan->share[by[j - 1]]; j--) {
            uint32_t x = by[j]; by[j] = by[j - 1]; by[j - 1] = x;
        }
    for (uint32_t i = 0; i < r->nd; i++) {
        uint32_t best = 0;
        for (uint32_t k = 1; k < r->nthreads; k++) if (load[k] < load[best]) best = k;
        thread_of[by[i]] = best;
        load[best] += r->plan->share[by[i]] + 1e-3; /* an empty domain still costs a little */
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < r->nthreads; k++) {
        r->first[k] = n;
        for (uint32_t d = 0; d < r->nd; d++) if (thread_of[d] == k) r->order[n++] = d;
    }
    r->first[r->nthreads] = n;
    free(load);
    free(by);
    free(thread_of);
}

/* Everything the domains measured, into the template, in domain order. */
static int merge(run_t *r)
{
    cdn_t *t = r->t;
    for (uint32_t i = 0; i < t->npops; i++) t->pops[i] = r->doms[r->plan->of_pop[i]].c->pops[i];
    if (r->plan->origin_domain != NO_ID) t->origin = r->doms[r->plan->origin_domain].c->origin;
    uint64_t events = 0;
    const scenario_t *sc = t->sc;
    for (int k = 0; k < sc->nops; k++) {
        op_state_t *o = &t->opst[k];
        for (uint32_t d = 0; d < r->nd; d++) {
            const op_state_t *x = &r->doms[d].c->opst[k];
            o->applied += x->applied;
            if (x->applied && x->last_applied > o->last_applied) o->last_applied = x->last_applied;
            o->invalidated += x->invalidated;
            o->served_old += x->served_old;
            o->pushed_objects += x->pushed_objects;
            o->pushed_bytes += x->pushed_bytes;
            o->win_requests += x->win_requests;
            o->win_hits += x->win_hits;
            o->win_latency_ns += x->win_latency_ns;
            for (int i = 0; i < OP_WINDOW_S; i++) o->win_origin[i] += x->win_origin[i];
        }
        if (sc->ops[k].kind == OP_ORIGIN && r->plan->origin_domain != NO_ID) {
            const op_state_t *x = &r->doms[r->plan->origin_domain].c->opst[k];
            o->origin_refused = x->origin_refused;
            o->refused_at_start = x->refused_at_start;
            o->until = x->until;
        }
    }
    if (r->plan->origin_domain != NO_ID) {
        const cdn_t *oc = r->doms[r->plan->origin_domain].c;
        t->origin_down = oc->origin_down;
        t->origin_down_refused = oc->origin_down_refused;
        t->down_op = oc->down_op;
    }
    t->purges_issued = r->doms[0].c->purges_issued;
    for (uint32_t d = 0; d < r->nd; d++) {
        const cdn_t *c = r->doms[d].c;
        tally_merge(&t->total, &c->total);
        for (int i = 0; i < NCONTINENTS; i++) tally_merge(&t->continent[i], &c->continent[i]);
        t->origin_requests += c->origin_requests;
        t->origin_bytes += c->origin_bytes;
        t->origin_errors += c->origin_errors;
        t->shield_bytes += c->shield_bytes;
        t->pushed_bytes += c->pushed_bytes;
        t->sent += c->sent;
        t->nread += c->nread;
        t->attack_requests += c->attack_requests;
        t->attack_refused += c->attack_refused;
        t->attack_scrubbed += c->attack_scrubbed;
        t->attack_denied += c->attack_denied;
        t->origin_attack_requests += c->origin_attack_requests;
        t->origin_attack_refused += c->origin_attack_refused;
        tally_merge(&t->attack_clients, &c->attack_clients);
        workload_add_counts(t->workload, c->workload); /* workload.sample's request share */
        if (c->last_sent > t->last_sent) t->last_sent = c->last_sent;
        if (series_merge(&t->series, &c->series) != 0) return -1;
        events += sim_events(c->sim);
    }
    t->domain_events = events;
    return 0;
}

int domain_run(cdn_t *t, const domain_hooks_t *hooks, char *err, size_t errlen)
{
    run_t r = { .t = t, .plan = t->plan, .hooks = hooks, .nd = t->plan->ndomains };
    r.nthreads = t->threads < 1 ? 1 : t->threads > r.nd ? r.nd : t->threads;
    int rc = -1;
    pthread_t *tids = NULL;
    worker_t *ws = NULL;
    r.doms = calloc(r.nd, sizeof *r.doms);
    r.out = calloc(2 * (size_t)r.nd * r.nd, sizeof *r.out);
    r.order = malloc(r.nd * sizeof *r.order);
    r.first = malloc((r.nthreads + 1) * sizeof *r.first);
    tids = calloc(r.nthreads, sizeof *tids);
    ws = calloc(r.nthreads, sizeof *ws);
    if (!r.doms || !r.out || !r.order || !r.first || !tids || !ws) {
        snprintf(err, errlen, "out of memory building the domains");
        goto done;
    }
    for (uint32_t d = 0; d < r.nd; d++) {
        r.doms[d] = (dom_t){ .id = d, .run = &r };
        atomic_init(&r.doms[d].done, 0);
        atomic_init(&r.doms[d].last_active, -1);
        if (!(r.doms[d].c = make_clone(t, hooks, d, &r.doms[d], err, errlen))) goto done;
    }
    for (uint32_t d = 0; d < r.nd; d++) hooks->start(r.doms[d].c);
    assign(&r);
    atomic_init(&r.failed, false);
    /* the operations' times, distinct and ascending */
    const scenario_t *sc = t->sc;
    if (!(r.op_times = malloc(((size_t)sc->nops + 1) * sizeof *r.op_times))) {
        snprintf(err, errlen, "out of memory building the domains");
        goto done;
    }
    for (int k = 0; k < sc->nops; k++) {
        simtime_t at = sc->ops[k].at;
        uint32_t i = r.nop_times;
        bool dup = false;
        for (uint32_t j = 0; j < r.nop_times; j++) dup |= r.op_times[j] == at;
        if (dup) continue;
        while (i > 0 && r.op_times[i - 1] > at) { r.op_times[i] = r.op_times[i - 1]; i--; }
        r.op_times[i] = at;
        r.nop_times++;
    }
    if (op_after(&r, -1) == 0) world_ops(&r, 0);
    if (atomic_load(&r.failed)) { snprintf(err, errlen, "%s", r.doms[0].err); goto done; }
    atomic_init(&r.epoch_stop, op_after(&r, 0));
    atomic_init(&r.at_epoch_end, 0);
    atomic_init(&r.ended, false);
    pthread_mutex_init(&r.gate_lock, NULL);
    pthread_cond_init(&r.gate_cond, NULL);
    uint32_t started = 0;
    for (uint32_t k = 0; k < r.nthreads; k++) ws[k] = (worker_t){ &r, k, 0 };
    for (uint32_t k = 1; k < r.nthreads; k++, started++)
        if (pthread_create(&tids[k], NULL, work, &ws[k]) != 0) break;
    /* the run starts only with every thread there */
    bool all = started + 1 == r.nthreads;
    pthread_mutex_lock(&r.gate_lock);
    r.gate = all ? 1 : -1;
    pthread_cond_broadcast(&r.gate_cond);
    pthread_mutex_unlock(&r.gate_lock);
    if (all) work(&ws[0]);
    for (uint32_t k = 1; k <= started; k++) pthread_join(tids[k], NULL);
    pthread_cond_destroy(&r.gate_cond);
    pthread_mutex_destroy(&r.gate_lock);
    if (!all) {
        snprintf(err, errlen, "cannot start %u threads", r.nthreads);
        goto done;
    }
    for (uint32_t d = 0; d < r.nd; d++)
        if (r.doms[d].rc) { snprintf(err, errlen, "%s", r.doms[d].err); goto done; }
    t->thread_cpu_max = t->thread_cpu_sum = 0;
    for (uint32_t k = 0; k < r.nthreads; k++) {
        t->thread_cpu_sum += ws[k].cpu_s;
        if (ws[k].cpu_s > t->thread_cpu_max) t->thread_cpu_max = ws[k].cpu_s;
    }
    finish_clocks(&r);
    for (uint32_t d = 0; d < r.nd; d++) edge_settle_all(r.doms[d].c);
    if (merge(&r) != 0) { snprintf(err, errlen, "out of memory merging the domains"); goto done; }
    rc = 0;
done:
    for (uint32_t d = 0; r.doms && d < r.nd; d++) {
        /* the PoPs it owned are the template's again (merged, or on
         * failure given back as they are, for cdn_destroy) */
        if (rc != 0 && r.doms[d].c)
            for (uint32_t i = 0; i < t->npops; i++)
                if (r.plan->of_pop[i] == d) t->pops[i] = r.doms[d].c->pops[i];
        free_clone(r.doms[d].c);
        free(r.doms[d].proxy);
    }
    for (size_t i = 0; r.out && i < 2 * (size_t)r.nd * r.nd; i++) free(r.out[i].m);
    free(r.doms);
    free(r.out);
    free(r.order);
    free(r.first);
    free(r.op_times);
    free(tids);
    free(ws);
    return rc;
}
