/* ops — what happens to the CDN during a run: operations (a PoP's site
 * withdrawn or announced again, caches purged) at chosen instants, and a
 * DDoS flood from bots in some client groups' networks.
 *
 * Both act through the same mechanisms as ordinary traffic: a withdrawal
 * recomputes BGP catchments and re-routes client groups (world_announce,
 * state_route_groups); flood requests go where their group's route leads and
 * take that PoP's request handling, so anycast's spreading of an attack
 * follows from the catchments themselves. */
#include "models/cdn/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/workload/workload.h"
#include "sim/rng.h"

/* Plays the withdrawals and announcements in time order (ties in file
 * order, as the event queue will) on the PoPs' announce flags: one that
 * would leave no PoP announcing is bad input, found before the run rather
 * than in it. */
static int check_operations(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    bool *up = malloc((size_t)c->npops * sizeof *up);
    bool *done = calloc((size_t)sc->nops + 1, sizeof *done);
    int rc = up && done ? 0 : -1, live = 0;
    if (rc) snprintf(err, errlen, "out of memory");
    for (uint32_t i = 0; up && i < c->npops; i++) live += up[i] = c->world->pops[i].announced;
    for (int n = 0; rc == 0 && n < sc->nops; n++) {
        int k = -1;
        for (int j = 0; j < sc->nops; j++)
            if (!done[j] && (k < 0 || sc->ops[j].at < sc->ops[k].at)) k = j;
        done[k] = true;
        if (sc->ops[k].kind != OP_WITHDRAW && sc->ops[k].kind != OP_ANNOUNCE) continue;
        uint32_t p = c->opst[k].pop;
        bool announce = sc->ops[k].kind == OP_ANNOUNCE;
        live += announce - up[p];
        up[p] = announce;
        if (live == 0) {
            char path[64];
            snprintf(path, sizeof path, "$.operations[%d].withdraw", k);
            rc = state_fail_input(err, errlen, sc->file, path,
                                "would leave no PoP announcing; last one is", sc->ops[k].pop);
        }
    }
    free(up);
    free(done);
    return rc;
}

static const char *const op_names[] = { "withdraw", "announce", "purge", "deploy", "push", "origin" };

/* A purge or push naming objects covers every cache key they can have (each
 * variant); more than this many keys is refused as bad input, since each
 * PoP applying it looks every one of them up. */
#define MAX_OP_KEYS 10000000

/* The objects a purge or push names: the listed ids, or the `prefix` most
 * popular (zipf ids from 1), of the op's class when it names one. *n set,
 * false at the end. */
static bool op_object(const cdn_t *c, const op_spec_t *op, uint64_t *cursor, uint64_t *object)
{
    if (op->target == TARGET_OBJECTS) {
        if (*cursor >= op->nobjects) return false;
        *object = op->objects[(*cursor)++];
        return true;
    }
    /* TARGET_PREFIX: cursor counts ids tried; op->prefix objects wanted */
    for (;;) {
        uint64_t id = ++cursor[0];
        if (id > c->sc->workload.objects || cursor[1] >= op->prefix) return false;
        if (op->kind == OP_PUSH && op->classes &&
            !(op->classes >> content_class_of(&c->content, id) & 1)) continue;
        cursor[1]++;
        *object = id;
        return true;
    }
}

static uint64_t op_key_count(const cdn_t *c, const op_spec_t *op)
{
    uint64_t n = 0, cur[2] = { 0, 0 }, obj;
    while (op_object(c, op, cur, &obj) && n <= MAX_OP_KEYS)
        n += content_variants(&c->content, content_class_of(&c->content, obj));
    return n;
}

/* The PoPs' distances that operations need: the origin's (pushes, edge
 * subrequests) and the control plane's (purges). */
static int place_control(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    if (!c->world) { /* the one PoP, the origin and the control plane beside it */
        c->pops[0].origin_oneway = c->pops[0].control_oneway = sc->origin_rtt / 2;
        return 0;
    }
    const world_t *w = c->world;
    geo_point_t ctl = c->origin_point;
    if (sc->control.location) {
        int pi = state_pop_index(c, sc->control.location);
        if (pi < 0)
            return state_fail_input(err, errlen, sc->file, "$.control.location", "no PoP with id",
                                    sc->control.location);
        ctl = w->pops[pi].point;
    } else if (sc->control.has_point) {
        ctl = sc->control.point;
    }
    /* a backbone leg, as a PoP's to its shield: fiber plus one hop */
    for (uint32_t i = 0; i < c->npops; i++) {
        c->pops[i].origin_oneway = world_oneway(w, w->pops[i].point, c->origin_point) + w->fiber.per_hop_ns;
        c->pops[i].control_oneway = world_oneway(w, w->pops[i].point, ctl) + w->fiber.per_hop_ns;
    }
    return 0;
}

/* Operations name PoPs and objects: resolved and checked before the run. */
static int resolve_operations(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    c->opst = calloc((size_t)sc->nops + 1, sizeof *c->opst);
    c->purge_op = calloc((size_t)sc->nops + 1, sizeof *c->purge_op);
    c->down_op = NO_ID;
    if (!c->opst || !c->purge_op) { snprintf(err, errlen, "out of memory"); return -1; }
    int rc = place_control(c, err, errlen);
    if (rc) return rc;
    for (int k = 0; k < sc->nops; k++) {
        const op_spec_t *op = &sc->ops[k];
        op_state_t *st = &c->opst[k];
        char path[96];
        st->pop = NO_ID;
        st->until = SIMTIME_MAX;
        snprintf(path, sizeof path, "$.operations[%d].%s", k, op_names[op->kind]);
        if (op->kind == OP_WITHDRAW || op->kind == OP_ANNOUNCE ||
            (op->kind == OP_PURGE && op->target == TARGET_POP)) {
            int pi = state_pop_index(c, op->pop);
            if (pi < 0) return state_fail_input(err, errlen, sc->file, path, "no PoP with id", op->pop);
            st->pop = (uint32_t)pi;
        }
        if ((op->kind == OP_PURGE || op->kind == OP_PUSH) &&
            (op->target == TARGET_OBJECTS || op->target == TARGET_PREFIX) &&
            op_key_count(c, op) > MAX_OP_KEYS) {
            snprintf(err, errlen, "%s: %s: covers more than %d cache keys (objects x variants)",
                     sc->file, path, MAX_OP_KEYS);
            return -2;
        }
        for (int j = 0; op->kind == OP_PUSH && j < op->npops; j++) {
            if (state_pop_index(c, op->pops[j]) >= 0) continue;
            snprintf(path, sizeof path, "$.operations[%d].push.pops[%d]", k, j);
            return state_fail_input(err, errlen, sc->file, path, "no PoP with id", op->pops[j]);
        }
        if (op->kind == OP_ORIGIN) c->origin_by_event = true;
        if (op->kind != OP_WITHDRAW && op->kind != OP_ANNOUNCE && c->nwatch < OP_WATCH_MAX)
            c->watch[c->nwatch++] = (uint32_t)k;
    }
    return c->world ? check_operations(c, err, errlen) : 0;
}

/* The client groups whose networks host bots: those of attack.metros, or
 * each with probability attack.group_share (stream "attack.bots"), at least
 * one. */
static int pick_bots(cdn_t *c, char *err, size_t errlen)
{
    c->bots = malloc((size_t)c->ngroups * sizeof *c->bots);
    gsl_rng *pick = rng_stream_create(c->sc->seed, "attack.bots");
    c->r_attack = rng_stream_create(c->sc->seed, "attack.arrivals");
    if (!c->bots || !pick || !c->r_attack) {
        if (pick) gsl_rng_free(pick);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const attack_spec_t *a = &c->sc->attack;
    for (int m = 0; m < a->nmetros; m++) {
        size_t len = strlen(a->metros[m]);
        bool found = false;
        for (uint32_t g = 0; g < c->ngroups; g++) {
            const char *name = c->world->groups[c->groups[g].wg].name; /* "metro/ASn" */
            if (strncmp(name, a->metros[m], len) != 0 || name[len] != '/') continue;
            found = true;
            bool listed = false; /* a metro named twice adds its groups once */
            for (uint32_t b = 0; b < c->nbots && !listed; b++) listed = c->bots[b] == g;
            if (!listed) c->bots[c->nbots++] = g;
        }
        if (!found) {
            char path[64];
            snprintf(path, sizeof path, "$.attack.metros[%d]", m);
            gsl_rng_free(pick);
            return state_fail_input(err, errlen, c->sc->file, path, "no client group in metro", a->metros[m]);
        }
    }
    for (uint32_t g = 0; !a->nmetros && g < c->ngroups; g++)
        if (gsl_rng_uniform(pick) < a->group_share) c->bots[c->nbots++] = g;
    if (c->nbots == 0) c->bots[c->nbots++] = (uint32_t)gsl_rng_uniform_int(pick, c->ngroups);
    c->attack_rate = a->rate_rps;
    gsl_rng_free(pick);
    return 0;
}

int ops_prepare(cdn_t *c, char *err, size_t errlen)
{
    int rc = resolve_operations(c, err, errlen);
    if (rc == 0 && c->sc->attack.rate_rps > 0) rc = pick_bots(c, err, errlen);
    const attack_spec_t *a = &c->sc->attack;
    if (rc == 0 && a->scrub_rps > 0) {
        /* a token bucket: capacity_rps, a second's worth deep */
        server_spec_t bucket = { a->scrub_rps, 0, SIM_NS_PER_S };
        for (uint32_t i = 0; i < c->npops; i++) server_init(&c->pops[i].scrub, &bucket);
        c->r_scrub = rng_stream_create(c->sc->seed, "attack.scrub");
        if (!c->r_scrub) { snprintf(err, errlen, "out of memory"); rc = -1; }
    }
    return rc;
}

/* A flood request from a bot in group g reaches where g's route leads now:
 * it takes that PoP's request handling (or the origin's, without a CDN). */
static void on_attack_arrival(sim_t *s, void *ctx, uint64_t g)
{
    cdn_t *c = ctx;
    const group_t *gr = &c->groups[g];
    const attack_spec_t *a = &c->sc->attack;
    bool at_origin = gr->pop == NO_ID, measured = sim_now(s) >= c->sc->warmup;
    if (gr->unroutable) return; /* no route: it reaches nothing */
    pop_t *p = at_origin ? NULL : &c->pops[gr->pop];
    simtime_t ready;
    if (p && a->scrub_rps > 0) {
        /* the scrubber drops what it detects before the PoP's server, up to
         * its capacity; the rest passes */
        bool detected = rng_uniform(c->r_scrub) < a->scrub_detection;
        if (detected && server_take(&p->scrub, sim_now(s), &ready)) {
            if (measured) {
                p->attack_requests++;
                p->attack_scrubbed++;
                c->attack_requests++;
                c->attack_scrubbed++;
            }
            return;
        }
    }
    server_t *sv = at_origin ? &c->origin : &p->server;
    bool served = server_take(sv, sim_now(s), &ready);
    /* invalid signatures for a signed class: each check is the PoP's work,
     * then the answer is a 403 (nothing goes upstream) */
    bool denied = served && p && a->cls >= 0 && c->sc->edge[a->cls].is_signed;
    if (denied && !server_unlimited(sv)) sv->busy_until += c->sc->edge[a->cls].verify;
    if (!measured) return;
    c->attack_requests++;
    c->attack_refused += !served;
    c->attack_denied += denied;
    if (at_origin) {
        c->origin_attack_requests++;
        c->origin_attack_refused += !served;
    } else {
        p->attack_requests++;
        p->attack_refused += !served;
        p->attack_denied += denied;
    }
}

/* The flood's sends: Poisson at attack.rate_rps from start_s to end_s, each
 * from a bot group drawn uniformly, batched like client sends. */
static void on_attack_send(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    const attack_spec_t *a = &c->sc->attack;
    if (arg != c->attack_gen) return; /* a chain a re-split ended */
    simtime_t horizon = sim_now(s) + SEND_BATCH_SPAN;
    int n = 0;
    do {
        uint32_t g = c->bots[gsl_rng_uniform_int(c->r_attack, c->nbots)];
        sim_at(s, c->attack_next + c->groups[g].oneway, on_attack_arrival, c, g);
        c->attack_next += simtime_from_s(gsl_ran_exponential(c->r_attack, 1.0 / c->attack_rate));
    } while (c->attack_next < horizon && c->attack_next < a->end && ++n < SEND_BATCH_MAX);
    if (c->attack_next < a->end) sim_at(s, c->attack_next, on_attack_send, c, c->attack_gen);
}

void ops_attack_restart(cdn_t *c, simtime_t from)
{
    const attack_spec_t *a = &c->sc->attack;
    c->attack_gen++;
    if (!c->nbots || !(c->attack_rate > 0)) return;
    /* Poisson sends are memoryless: the next one drawn afresh at the new rate */
    c->attack_next = from < a->start ? a->start
                                     : from + simtime_from_s(gsl_ran_exponential(c->r_attack, 1.0 / c->attack_rate));
    if (c->attack_next < a->end) sim_at(c->sim, c->attack_next, on_attack_send, c, c->attack_gen);
}

/* A purge reaching PoP pi: copies it covers are removed, or, where the class
 * has validators, kept but marked so that the next request revalidates them.
 * Reservations (bodies still on their way) are left to their fetches. */
typedef struct purge_ctx {
    cdn_t *c;
    uint32_t k, pi;
    uint64_t marked;
} purge_ctx_t;

static bool purge_visit(cache_entry_t *e, void *ctx)
{
    purge_ctx_t *p = ctx;
    const cdn_t *c = p->c;
    uint8_t cls = state_tag_class(e->tag);
    if (e->expires == ENTRY_PENDING || !state_op_covers(c, p->k, p->pi, e->key, cls)) return false;
    if (c->content.ncls && c->content.cls[cls].spec.validators && !(e->tag & STATE_TAG_NEGATIVE)) {
        if (e->expires != ENTRY_PURGED) p->marked++;
        e->expires = ENTRY_PURGED;
        return false;
    }
    return true;
}

static void note_applied(cdn_t *c, uint32_t k)
{
    c->opst[k].applied++;
    c->opst[k].last_applied = sim_now(c->sim);
}

static void apply_purge(cdn_t *c, uint32_t k, uint32_t pi)
{
    purge_ctx_t p = { c, k, pi, 0 };
    c->opst[k].invalidated += cache_sweep(c->pops[pi].cache, purge_visit, &p) + p.marked;
    note_applied(c, k);
}

/* A push reaching PoP pi: every covered key stored fresh, as if fetched from
 * the origin now; a key whose body is already on its way is left to it. */
static void apply_push(cdn_t *c, uint32_t k, uint32_t pi)
{
    const op_spec_t *op = &c->sc->ops[k];
    cache_t *cache = c->pops[pi].cache;
    simtime_t now = sim_now(c->sim);
    uint64_t cur[2] = { 0, 0 }, obj;
    while (op_object(c, op, cur, &obj)) {
        if (!workload_sampled(c->workload, obj)) continue; /* a miniature holds its own keys only */
        int cls = content_class_of(&c->content, obj);
        if (c->content.ncls && !c->content.cls[cls].storable) continue;
        simtime_t ttl = c->content.ncls ? c->content.cls[cls].ttl : c->sc->ttl;
        uint32_t size = workload_object_size(c->workload, obj);
        uint32_t version = (content_version(&c->content, cls, obj, now) + c->class_bump[cls]) &
                           CONTENT_VERSION_MASK;
        for (uint32_t v = 0; v < content_variants(&c->content, cls); v++) {
            uint64_t key = state_gen_key(content_variant_key(obj, v), c->class_gen[cls]);
            cache_entry_t *e = cache_find(cache, key);
            if (e && e->expires == ENTRY_PENDING) continue;
            cache_req_t cr = { key, size, now, -1 };
            simtime_t exp = ttl == SIMTIME_MAX ? SIMTIME_MAX : now + ttl;
            if (!cache_put(cache, &cr, exp, state_tag((uint8_t)cls, (uint8_t)(c->purges_issued % STATE_EPOCHS), version)))
                continue;
            c->opst[k].pushed_objects++;
            c->opst[k].pushed_bytes += size;
            c->pushed_bytes += size;
        }
    }
    note_applied(c, k);
}

/* arg: PoP << 32 | operation: a purge or push arriving at that PoP. */
static void on_op_at_pop(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    uint32_t k = (uint32_t)arg, pi = (uint32_t)(arg >> 32);
    if (c->sc->ops[k].kind == OP_PUSH) apply_push(c, k, pi);
    else apply_purge(c, k, pi);
}

/* The cache keys a purge of objects covers, under the class's current names
 * (a versioned deploy before it renamed them). */
static void collect_keys(cdn_t *c, uint32_t k)
{
    const op_spec_t *op = &c->sc->ops[k];
    op_state_t *st = &c->opst[k];
    uint64_t n = op_key_count(c, op), cur[2] = { 0, 0 }, obj;
    if (u64map_init(&st->keys, (size_t)n) != 0) { sim_fail(c->sim, "out of memory"); return; }
    st->has_keys = true;
    while (op_object(c, op, cur, &obj)) {
        int cls = content_class_of(&c->content, obj);
        for (uint32_t v = 0; v < content_variants(&c->content, cls); v++)
            if (u64map_put(&st->keys, state_gen_key(content_variant_key(obj, v), c->class_gen[cls]), 1) != 0) {
                sim_fail(c->sim, "out of memory");
                return;
            }
    }
}

/* A purge (or a deploy) is issued: it takes the next epoch, so copies from
 * the origin before it can be told from those after; then it travels to
 * each PoP it covers, one fiber latency from the control plane plus the
 * processing time. */
static void issue_purge(cdn_t *c, uint32_t k, bool propagate)
{
    const op_spec_t *op = &c->sc->ops[k];
    if (op->target == TARGET_OBJECTS || op->target == TARGET_PREFIX) collect_keys(c, k);
    c->purge_op[c->purges_issued++] = k;
    if (!propagate) return;
    simtime_t now = sim_now(c->sim);
    for (uint32_t i = 0; i < c->npops; i++) {
        if ((op->target == TARGET_POP && c->opst[k].pop != i) || c->pops[i].foreign) continue;
        sim_at(c->sim, now + c->pops[i].control_oneway + c->sc->control.processing, on_op_at_pop, c,
               (uint64_t)i << 32 | k);
    }
}

/* A scenario operation at its instant. */
static void on_operation(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    uint32_t k = (uint32_t)arg;
    const op_spec_t *op = &c->sc->ops[k];
    op_state_t *st = &c->opst[k];
    char err[512];
    int cls = 0;
    while (op->classes && !(op->classes >> cls & 1)) cls++;
    switch (op->kind) {
    case OP_WITHDRAW:
    case OP_ANNOUNCE:
        /* BGP recomputes every catchment and client groups move at once
         * (requests already on their way go where their group now goes) */
        if (c->reroute) { /* a domain: the world changed before the window (domain.c) */
            c->reroute(c);
            break;
        }
        if (world_announce(c->world, (int)st->pop, op->kind == OP_ANNOUNCE, err, sizeof err) != 0 ||
            state_route_groups(c, false, err, sizeof err) != 0)
            sim_fail(s, "%s: $.operations[%u]: %s", c->sc->file, k, err);
        else
            state_catchment_snapshot(c, sim_now(s), op_names[op->kind], op->pop);
        break;
    case OP_PURGE:
        issue_purge(c, k, true);
        break;
    case OP_DEPLOY:
        /* versioned: the class's objects get new URLs, so new cache keys,
         * and old copies fade by eviction; purge and in_place change the
         * objects at the origin under the same keys */
        if (op->mode == DEPLOY_VERSIONED) c->class_gen[cls]++;
        else c->class_bump[cls]++;
        issue_purge(c, k, op->mode == DEPLOY_PURGE);
        break;
    case OP_PUSH:
        /* from the origin to each PoP named */
        for (uint32_t i = 0; i < c->npops; i++) {
            bool named = op->npops == 0;
            for (int j = 0; !named && j < op->npops; j++) named = !strcmp(op->pops[j], c->pops[i].id);
            if (named && !c->pops[i].foreign) sim_at(s, sim_now(s) + c->pops[i].origin_oneway, on_op_at_pop, c, (uint64_t)i << 32 | k);
        }
        break;
    case OP_ORIGIN:
        if (!op->up && !c->origin_down) {
            c->origin_down = true;
            c->down_op = k;
            st->refused_at_start = c->origin_down_refused;
        } else if (op->up && c->origin_down) {
            op_state_t *d = &c->opst[c->down_op];
            d->origin_refused = c->origin_down_refused - d->refused_at_start;
            d->until = sim_now(s);
            c->origin_down = false;
            c->down_op = NO_ID;
        }
        break;
    }
}

void ops_schedule(cdn_t *c)
{
    if (c->nbots && c->attack_rate > 0) {
        c->attack_next = c->sc->attack.start;
        sim_at(c->sim, c->attack_next, on_attack_send, c, c->attack_gen);
    }
    for (int k = 0; k < c->sc->nops; k++)
        sim_at(c->sim, c->sc->ops[k].at, on_operation, c, (uint64_t)k);
}

void ops_free(cdn_t *c)
{
    for (int k = 0; c->opst && k < c->sc->nops; k++)
        if (c->opst[k].has_keys) u64map_free(&c->opst[k].keys);
    free(c->opst);
    free(c->purge_op);
}

/* What the minute after operation k looked like, if it was watched. */
static void add_window(const cdn_t *c, uint32_t k, cJSON *e)
{
    bool watched = false;
    for (uint32_t i = 0; i < c->nwatch; i++) watched |= c->watch[i] == k;
    if (!watched) return;
    const op_state_t *st = &c->opst[k];
    cJSON *w = cJSON_AddObjectToObject(e, "next_60s");
    uint64_t origin = 0;
    uint32_t peak = 0;
    for (int i = 0; i < OP_WINDOW_S; i++) {
        origin += st->win_origin[i];
        if (st->win_origin[i] > peak) peak = st->win_origin[i];
    }
    json_add_count(w, "requests", st->win_requests);
    cJSON_AddNumberToObject(w, "hit_ratio", st->win_requests ? (double)st->win_hits / (double)st->win_requests : 0);
    cJSON_AddNumberToObject(w, "latency_mean_ms", st->win_requests ? st->win_latency_ns / (double)st->win_requests / 1e6 : 0);
    json_add_count(w, "origin_requests", origin);
    json_add_count(w, "origin_peak_rps", peak);
}

/* Each operation with its time, target and what it did. */
void ops_json(const cdn_t *c, cJSON *o)
{
    const scenario_t *sc = c->sc;
    cJSON *arr = cJSON_AddArrayToObject(o, "operations");
    cJSON *effects = NULL;
    for (int k = 0; k < sc->nops; k++) {
        const op_spec_t *op = &sc->ops[k];
        const op_state_t *st = &c->opst[k];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "at_s", simtime_to_s(op->at));
        cJSON_AddStringToObject(e, "kind", op_names[op->kind]);
        cJSON *t = op->target_json ? cJSON_Parse(op->target_json) : NULL;
        cJSON_AddItemToObject(e, "target", t ? t : cJSON_CreateNull());
        bool reached = op->kind == OP_PURGE || op->kind == OP_PUSH ||
                       (op->kind == OP_DEPLOY && op->mode == DEPLOY_PURGE);
        if (reached) {
            json_add_count(e, "pops_applied", st->applied);
            if (st->applied) cJSON_AddNumberToObject(e, "last_applied_s", simtime_to_s(st->last_applied));
            else cJSON_AddNullToObject(e, "last_applied_s");
        }
        if (op->kind == OP_PURGE || op->kind == OP_DEPLOY) {
            if (op->kind == OP_DEPLOY || st->has_keys || reached) json_add_count(e, "invalidated", st->invalidated);
            json_add_count(e, op->kind == OP_PURGE ? "served_purged" : "stale_answers", st->served_old);
        }
        if (op->kind == OP_PUSH) {
            json_add_count(e, "objects", st->pushed_objects);
            json_add_count(e, "bytes", st->pushed_bytes);
        }
        if (op->kind != OP_WITHDRAW && op->kind != OP_ANNOUNCE) add_window(c, (uint32_t)k, e);
        if (op->kind == OP_ORIGIN && !op->up) {
            bool open = c->down_op == (uint32_t)k;
            json_add_count(e, "refused", open ? c->origin_down_refused - st->refused_at_start : st->origin_refused);
            if (st->until == SIMTIME_MAX) cJSON_AddNullToObject(e, "until_s");
            else cJSON_AddNumberToObject(e, "until_s", simtime_to_s(st->until));
        }
        cJSON_AddItemToArray(arr, e);
        /* the same figures as an object, which sweep summaries and compare
         * read (they skip arrays): "op<k>_<kind>" */
        cJSON *num = cJSON_Duplicate(e, true);
        cJSON_DeleteItemFromObject(num, "kind");
        cJSON_DeleteItemFromObject(num, "target");
        cJSON_DeleteItemFromObject(num, "at_s");
        if (!cJSON_GetObjectItem(num, "last_applied_s") || cJSON_IsNull(cJSON_GetObjectItem(num, "last_applied_s")))
            cJSON_DeleteItemFromObject(num, "last_applied_s");
        cJSON_DeleteItemFromObject(num, "until_s");
        char name[48];
        snprintf(name, sizeof name, "op%d_%s", k, op_names[op->kind]);
        if (!effects) effects = cJSON_AddObjectToObject(o, "operation_effects");
        cJSON_AddItemToObject(effects, name, num);
    }
}

/* Where the flood went: anycast spreads it over the bots' catchments. */
void ops_attack_json(const cdn_t *c, cJSON *o)
{
    cJSON *a = cJSON_AddObjectToObject(o, "attack");
    json_add_count(a, "bot_groups", c->nbots);
    json_add_count(a, "requests", c->attack_requests);
    json_add_count(a, "refused", c->attack_refused);
    const attack_spec_t *spec = &c->sc->attack;
    if (spec->scrub_rps > 0) {
        json_add_count(a, "scrubbed", c->attack_scrubbed);
        json_add_count(a, "passed", c->attack_requests - c->attack_scrubbed);
    }
    if (spec->cls >= 0) json_add_count(a, "denied", c->attack_denied);
    /* what legitimate clients saw while the flood lasted */
    cJSON *legit = cJSON_AddObjectToObject(a, "clients");
    tally_to_json(&c->attack_clients, legit);
    cJSON *pops = cJSON_AddArrayToObject(a, "pops");
    for (uint32_t i = 0; i < c->npops; i++) {
        if (!c->pops[i].attack_requests) continue;
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", c->pops[i].id);
        json_add_count(p, "requests", c->pops[i].attack_requests);
        json_add_count(p, "refused", c->pops[i].attack_refused);
        if (spec->scrub_rps > 0) json_add_count(p, "scrubbed", c->pops[i].attack_scrubbed);
        if (spec->cls >= 0) json_add_count(p, "denied", c->pops[i].attack_denied);
        cJSON_AddItemToArray(pops, p);
    }
    if (c->origin_attack_requests) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", "origin");
        json_add_count(p, "requests", c->origin_attack_requests);
        json_add_count(p, "refused", c->origin_attack_refused);
        cJSON_AddItemToArray(pops, p);
    }
}

