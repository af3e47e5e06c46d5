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

#include "sim/rng.h"

/* Plays the operations in time order (ties in file order, as the event
 * queue will) on the PoPs' announce flags: one that would leave no PoP
 * announcing is bad input, found before the run rather than in it. */
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
        if (sc->ops[k].kind == OP_PURGE) continue;
        uint32_t p = c->op_pop[k];
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

static const char *const op_names[] = { "withdraw", "announce", "purge" };

/* Operations name PoPs: resolved and checked before the run. */
static int resolve_operations(cdn_t *c, char *err, size_t errlen)
{
    const scenario_t *sc = c->sc;
    c->op_pop = calloc((size_t)sc->nops + 1, sizeof *c->op_pop);
    if (!c->op_pop) { snprintf(err, errlen, "out of memory"); return -1; }
    for (int k = 0; k < sc->nops; k++) {
        const op_spec_t *op = &sc->ops[k];
        if (op->kind == OP_PURGE && !strcmp(op->pop, "all")) {
            c->op_pop[k] = NO_ID; /* every PoP */
            continue;
        }
        int pi = state_pop_index(c, op->pop);
        if (pi < 0) {
            char path[64];
            snprintf(path, sizeof path, "$.operations[%d].%s", k, op_names[op->kind]);
            return state_fail_input(err, errlen, sc->file, path, "no PoP with id", op->pop);
        }
        c->op_pop[k] = (uint32_t)pi;
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
    gsl_rng_free(pick);
    return 0;
}

int ops_prepare(cdn_t *c, char *err, size_t errlen)
{
    int rc = resolve_operations(c, err, errlen);
    if (rc == 0 && c->sc->attack.rate_rps > 0) rc = pick_bots(c, err, errlen);
    return rc;
}

/* A flood request from a bot in group g reaches where g's route leads now:
 * it takes that PoP's request handling (or the origin's, without a CDN). */
static void on_attack_arrival(sim_t *s, void *ctx, uint64_t g)
{
    cdn_t *c = ctx;
    const group_t *gr = &c->groups[g];
    bool at_origin = gr->pop == NO_ID, measured = sim_now(s) >= c->sc->warmup;
    if (gr->unroutable) return; /* no route: it reaches nothing */
    server_t *sv = at_origin ? &c->origin : &c->pops[gr->pop].server;
    simtime_t ready;
    bool served = server_take(sv, sim_now(s), &ready);
    if (!measured) return;
    c->attack_requests++;
    c->attack_refused += !served;
    if (at_origin) {
        c->origin_attack_requests++;
        c->origin_attack_refused += !served;
    } else {
        c->pops[gr->pop].attack_requests++;
        c->pops[gr->pop].attack_refused += !served;
    }
}

/* The flood's sends: Poisson at attack.rate_rps from start_s to end_s, each
 * from a bot group drawn uniformly, batched like client sends. */
static void on_attack_send(sim_t *s, void *ctx, uint64_t arg)
{
    cdn_t *c = ctx;
    const attack_spec_t *a = &c->sc->attack;
    simtime_t horizon = sim_now(s) + SEND_BATCH_SPAN;
    int n = 0;
    do {
        uint32_t g = c->bots[gsl_rng_uniform_int(c->r_attack, c->nbots)];
        sim_at(s, c->attack_next + c->groups[g].oneway, on_attack_arrival, c, g);
        c->attack_next += simtime_from_s(gsl_ran_exponential(c->r_attack, 1.0 / a->rate_rps));
    } while (c->attack_next < horizon && c->attack_next < a->end && ++n < SEND_BATCH_MAX);
    if (c->attack_next < a->end) sim_at(s, c->attack_next, on_attack_send, c, 0);
}

/* A scenario operation: a PoP's site withdrawn or announced; BGP recomputes
 * every catchment and client groups move at once (requests already on their
 * way go where their group now goes). */
static void on_operation(sim_t *s, void *ctx, uint64_t k)
{
    cdn_t *c = ctx;
    const op_spec_t *op = &c->sc->ops[k];
    uint32_t pi = c->op_pop[k];
    char err[512];
    if (op->kind == OP_PURGE) { /* fetches in flight find their entries gone and store nothing */
        for (uint32_t i = 0; i < c->npops; i++)
            if (pi == NO_ID || pi == i) cache_clear(c->pops[i].cache);
        return;
    }
    if (world_announce(c->world, (int)pi, op->kind == OP_ANNOUNCE, err, sizeof err) != 0 ||
        state_route_groups(c, false, err, sizeof err) != 0)
        sim_fail(s, "%s: $.operations[%llu]: %s", c->sc->file, (unsigned long long)k, err);
    else
        state_catchment_snapshot(c, sim_now(s), op_names[op->kind], op->pop);
}

void ops_schedule(cdn_t *c)
{
    if (c->nbots) {
        c->attack_next = c->sc->attack.start;
        sim_at(c->sim, c->attack_next, on_attack_send, c, 0);
    }
    for (int k = 0; k < c->sc->nops; k++)
        sim_at(c->sim, c->sc->ops[k].at, on_operation, c, (uint64_t)k);
}

/* Where the flood went: anycast spreads it over the bots' catchments. */
void ops_attack_json(const cdn_t *c, cJSON *o)
{
    cJSON *a = cJSON_AddObjectToObject(o, "attack");
    json_add_count(a, "bot_groups", c->nbots);
    json_add_count(a, "requests", c->attack_requests);
    json_add_count(a, "refused", c->attack_refused);
    cJSON *pops = cJSON_AddArrayToObject(a, "pops");
    for (uint32_t i = 0; i < c->npops; i++) {
        if (!c->pops[i].attack_requests) continue;
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", c->pops[i].id);
        json_add_count(p, "requests", c->pops[i].attack_requests);
        json_add_count(p, "refused", c->pops[i].attack_refused);
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

