/* scenario — reading and checking scenario files; see scenario.h. */
#include "models/scenario.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/trace.h"
#include "sim/cfg.h"

#define MAX_INT53 9007199254740992LL
/* Ten years of virtual time: far beyond any study, far inside int64 ns. */
#define MAX_SECONDS (10.0 * 365 * 86400)

static const char *const workload_types[] = { "zipf", "trace", NULL };
static const char *const size_dists[] = { "fixed", "lognormal", NULL };

static char *dup_str(const char *s) { return s ? strdup(s) : NULL; }

/* A path in the scenario is relative to the scenario file's folder. */
static char *resolve_path(const char *scenario_file, const char *p)
{
    if (p[0] == '/') return strdup(p);
    char *copy = strdup(scenario_file);
    if (!copy) return NULL;
    const char *dir = dirname(copy);
    size_t n = strlen(dir) + strlen(p) + 2;
    char *out = malloc(n);
    if (out) snprintf(out, n, "%s/%s", dir, p);
    free(copy);
    return out;
}

static void read_workload(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t w;
    workload_spec_t *ws = &s->workload;
    ws->alpha = 0.8;
    ws->rate_rps = 1000;
    ws->size_bytes = 1000;
    ws->size_sigma = 1.0;
    cfg_child(root, "workload", &w, CFG_REQUIRED);
    int type = WORKLOAD_ZIPF;
    cfg_enum(&w, "type", &type, workload_types, CFG_REQUIRED);
    ws->type = (workload_type_t)type;
    int64_t i64;
    int dist = SIZE_FIXED;
    if (ws->type == WORKLOAD_ZIPF) {
        if (cfg_int(&w, "objects", &i64, 1, MAX_INT53, CFG_REQUIRED)) ws->objects = (uint64_t)i64;
        cfg_num(&w, "alpha", &ws->alpha, 0, 20, 0);
        cfg_num(&w, "rate_rps", &ws->rate_rps, 0, 1e9, CFG_LO_OPEN);
        if (cfg_int(&w, "size_bytes", &i64, 1, UINT32_MAX, 0)) ws->size_bytes = (uint64_t)i64;
        cfg_enum(&w, "size_dist", &dist, size_dists, 0);
        cfg_num(&w, "size_sigma", &ws->size_sigma, 0, 10, 0);
    } else {
        const char *path = NULL;
        cfg_str(&w, "path", &path, CFG_REQUIRED);
        cfg_enum(&w, "format", &ws->trace_format, trace_format_names, CFG_REQUIRED);
        if (!cfg_failed(root->c)) ws->trace_path = resolve_path(s->file, path);
    }
    ws->size_dist = (size_dist_t)dist;
    cfg_done(&w);
}

static void read_cache(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t c;
    cfg_child(root, "cache", &c, 0);
    const char *policy = "lru";
    int idx = 0;
    const char *const *names = cache_policy_names();
    if (cfg_enum(&c, "policy", &idx, names, 0)) policy = names[idx];
    s->cache.policy = dup_str(policy);
    int64_t v;
    if (cfg_int(&c, "capacity_objects", &v, 1, MAX_INT53, 0)) s->cache.capacity_objects = (uint64_t)v;
    if (cfg_int(&c, "capacity_bytes", &v, 1, MAX_INT53, 0)) s->cache.capacity_bytes = (uint64_t)v;
    cfg_done(&c);
}

static void read_seconds(cfg_obj_t *o, const char *key, simtime_t *out, int flags)
{
    double v;
    if (cfg_num(o, key, &v, 0, MAX_SECONDS, flags)) *out = simtime_from_s(v);
}

static void read_ms(cfg_obj_t *o, const char *key, simtime_t *out)
{
    double v;
    if (cfg_num(o, key, &v, 0, 1e6, 0)) *out = simtime_from_ms(v);
}

static void read_root(cfg_obj_t *root, scenario_t *s, bool have_seed, uint64_t seed)
{
    const char *name = NULL;
    cfg_str(root, "name", &name, 0);
    int64_t v;
    if (cfg_int(root, "seed", &v, 0, MAX_INT53, 0)) s->seed = (uint64_t)v;
    if (have_seed) s->seed = seed;
    read_workload(root, s);
    bool is_trace = s->workload.type == WORKLOAD_TRACE;
    read_seconds(root, "duration_s", &s->duration, CFG_LO_OPEN | (is_trace ? 0 : CFG_REQUIRED));
    read_seconds(root, "warmup_s", &s->warmup, 0);
    read_cache(root, s);

    cfg_obj_t content, net, stats;
    cfg_child(root, "content", &content, 0);
    read_seconds(&content, "ttl_s", &s->ttl, 0);
    cfg_done(&content);

    cfg_child(root, "network", &net, 0);
    read_ms(&net, "client_rtt_ms", &s->client_rtt);
    read_ms(&net, "origin_rtt_ms", &s->origin_rtt);
    cfg_done(&net);

    cfg_child(root, "stats", &stats, 0);
    read_seconds(&stats, "interval_s", &s->interval, CFG_LO_OPEN);
    cfg_done(&stats);
    cfg_done(root);

    if (!cfg_failed(root->c) && s->duration != SIMTIME_MAX && s->warmup >= s->duration)
        cfg_fail(root->c, "$.warmup_s", "must be less than duration_s");
    if (!cfg_failed(root->c)) {
        if (name) s->name = dup_str(name);
        else {
            char *copy = strdup(s->file), *base = basename(copy), *dot = strrchr(base, '.');
            if (dot) *dot = 0;
            s->name = strdup(base);
            free(copy);
        }
    }
}

scenario_t *scenario_load(const char *file, char *const *sets, int nsets, bool have_seed,
                          uint64_t seed, char *err, size_t errlen)
{
    cfg_t c;
    cfg_init(&c, file);
    scenario_t *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "%s: out of memory", file); return NULL; }
    s->file = strdup(file);
    s->seed = 1;
    s->duration = SIMTIME_MAX;
    s->ttl = SIMTIME_MAX;
    s->client_rtt = simtime_from_ms(10);  /* a metro user to a nearby PoP */
    s->origin_rtt = simtime_from_ms(80);  /* a PoP to an origin a continent away */
    s->interval = simtime_from_s(60);

    cJSON *json = cfg_load_file(&c, file);
    for (int i = 0; json && i < nsets; i++) {
        char msg[512];
        if (cfg_apply_set(json, sets[i], msg, sizeof msg) != 0) cfg_fail(&c, NULL, "%s", msg);
    }
    cfg_obj_t root;
    if (json && cfg_view(&c, json, "$", &root)) read_root(&root, s, have_seed, seed);
    if (!cfg_failed(&c) && !cJSON_IsObject(json))
        cfg_fail(&c, "$", "expected a scenario object");
    cJSON_Delete(json);
    if (cfg_failed(&c)) {
        snprintf(err, errlen, "%s", c.err);
        scenario_free(s);
        return NULL;
    }
    return s;
}

void scenario_free(scenario_t *s)
{
    if (!s) return;
    free(s->file);
    free(s->name);
    free(s->workload.trace_path);
    free(s->cache.policy);
    free(s);
}
