/* scenario — reading and checking scenario files; see scenario.h. */
#include "models/scenario/scenario.h"

#include <libgen.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/workload/sample.h"
#include "models/workload/trace.h"
#include "sim/cfg.h"

#include <cdnsim_build.h> /* generated: where make install puts the data */
#include <unistd.h>

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

/* A default data file (topologies/NAME) the scenario did not name: beside
 * the scenario (its folder, its topologies/, ../topologies/ as in the source
 * tree's scenarios/), then the installed share folder, then the source tree
 * built from; the first that exists, else the last tried beside the
 * scenario (so the error names it). */
static char *default_data(const char *scenario_file, const char *name)
{
    char rel[3][128];
    snprintf(rel[0], sizeof rel[0], "%s", name);
    snprintf(rel[1], sizeof rel[1], "topologies/%s", name);
    snprintf(rel[2], sizeof rel[2], "../topologies/%s", name);
    for (int i = 0; i < 3; i++) {
        char *p = resolve_path(scenario_file, rel[i]);
        if (p && access(p, R_OK) == 0) return p;
        free(p);
    }
    static const char *const roots[] = { CDNSIM_SHARE_DIR, CDNSIM_SOURCE_DIR };
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(roots[i]) + strlen(name) + 16;
        char *p = malloc(n);
        if (p) snprintf(p, n, "%s/topologies/%s", roots[i], name);
        if (p && access(p, R_OK) == 0) return p;
        free(p);
    }
    return resolve_path(scenario_file, rel[2]);
}

/* A sample that keeps no object of a zipf catalog would leave nothing to
 * simulate (and drawing until a kept key comes, forever): refused. The
 * first 2^26 ids are enough to look at: missing them all at a rate that
 * keeps anything is (1 - rate)^(2^26). */
static void check_sample(cfg_obj_t *w, const workload_spec_t *ws)
{
    uint64_t thr = sample_threshold(ws->sample), n = ws->objects < (1u << 26) ? ws->objects : 1u << 26;
    for (uint64_t k = 1; k <= n; k++)
        if (sample_keep(k, thr)) return;
    char path[CFG_PATH_MAX + 8];
    snprintf(path, sizeof path, "%s.sample", w->path);
    cfg_fail(w->c, path, "keeps none of the %llu objects; raise it",
             (unsigned long long)n);
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
        cfg_num(&w, "diurnal", &s->diurnal, 0, 1, 0);
        cfg_num(&w, "dynamic_share", &s->dynamic_share, 0, 1, 0);
        if (cfg_num(&w, "locality", &ws->locality, 0, 1, 0) && ws->locality > 0 &&
            ws->objects > WORKLOAD_LOCALITY_MAX_OBJECTS) {
            char p[256];
            snprintf(p, sizeof p, "%s.locality", w.path);
            cfg_fail(root->c, p, "takes at most %u objects (a rank table per continent), workload.objects is %llu",
                     WORKLOAD_LOCALITY_MAX_OBJECTS, (unsigned long long)ws->objects);
        }
    } else {
        if (cfg_raw(&w, "locality")) {
            char p[256];
            snprintf(p, sizeof p, "%s.locality", w.path);
            cfg_fail(root->c, p, "regional popularity needs a zipf workload (a trace's keys are what they are)");
        }
        const char *path = NULL;
        cfg_str(&w, "path", &path, CFG_REQUIRED);
        cfg_enum(&w, "format", &ws->trace_format, trace_format_names, CFG_REQUIRED);
        if (!cfg_failed(root->c)) ws->trace_path = resolve_path(s->file, path);
    }
    cfg_num(&w, "request_no_cache_share", &s->no_cache_share, 0, 1, 0);
    ws->sample = 1;
    if (cfg_num(&w, "sample", &ws->sample, 0, 1, CFG_LO_OPEN) && ws->sample < 1 && ws->type == WORKLOAD_ZIPF &&
        !cfg_failed(root->c))
        check_sample(&w, ws);
    ws->size_dist = (size_dist_t)dist;
    cfg_done(&w);
}

/* The keys of a cache object (the top-level cache, or a shield level's) into
 * cs, which holds the defaults: a policy given replaces it, and a capacity
 * given replaces both capacities. */
static void read_cache_keys(cfg_obj_t *c, cache_spec_t *cs)
{
    int idx = 0;
    const char *const *names = cache_policy_names();
    if (cfg_enum(c, "policy", &idx, names, 0)) { free(cs->policy); cs->policy = dup_str(names[idx]); }
    int64_t obj = 0, bytes = 0;
    bool has_obj = cfg_int(c, "capacity_objects", &obj, 1, MAX_INT53, 0);
    bool has_bytes = cfg_int(c, "capacity_bytes", &bytes, 1, MAX_INT53, 0);
    if (has_obj || has_bytes) {
        cs->capacity_objects = (uint64_t)obj;
        cs->capacity_bytes = (uint64_t)bytes;
    }
    cfg_done(c);
}

static void read_cache(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t c;
    cfg_child(root, "cache", &c, 0);
    s->cache.policy = dup_str("lru");
    read_cache_keys(&c, &s->cache);
}

static void read_seconds(cfg_obj_t *o, const char *key, simtime_t *out, int flags)
{
    double v;
    if (cfg_num(o, key, &v, 0, MAX_SECONDS, flags)) *out = simtime_from_s(v);
}

static bool read_ms(cfg_obj_t *o, const char *key, simtime_t *out)
{
    double v;
    if (!cfg_num(o, key, &v, 0, 1e6, 0)) return false;
    *out = simtime_from_ms(v);
    return true;
}

/* An array of strings; NULL/0 when absent. */
static void read_strings(cfg_obj_t *o, const char *key, char ***out, int *n)
{
    const cJSON *arr;
    *out = NULL;
    *n = 0;
    if (!cfg_array(o, key, &arr, 0)) return;
    int len = cJSON_GetArraySize(arr);
    *out = calloc((size_t)len + 1, sizeof **out);
    const cJSON *v = arr->child; /* a cursor: cJSON_GetArrayItem(arr, i) is a walk from the head */
    for (int i = 0; *out && i < len; i++, v = v->next) {
        if (!cJSON_IsString(v) || !v->valuestring[0]) {
            char p[CFG_PATH_MAX];
            snprintf(p, sizeof p, "%s.%s[%d]", o->path, key, i);
            cfg_fail(o->c, p, "expected a non-empty string");
            return;
        }
        (*out)[(*n)++] = strdup(v->valuestring);
    }
}

static void free_strings(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void read_server(cfg_obj_t *o, server_spec_t *sv)
{
    cfg_num(o, "capacity_rps", &sv->capacity_rps, 0, 1e12, 0);
    read_ms(o, "service_ms", &sv->service);
    read_ms(o, "max_wait_ms", &sv->max_wait);
}

static void read_origin(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t o;
    cfg_child(root, "origin", &o, 0);
    read_server(&o, &s->origin);
    const char *loc = NULL;
    if (cfg_str(&o, "location", &loc, 0)) s->origin_location = strdup(loc);
    double lat = 0, lon = 0;
    bool has_lat = cfg_num(&o, "lat", &lat, -90, 90, 0);
    bool has_lon = cfg_num(&o, "lon", &lon, -180, 180, 0);
    if (has_lat != has_lon) cfg_fail(root->c, "$.origin", "give both lat and lon, or neither");
    if (has_lat && loc) cfg_fail(root->c, "$.origin", "give location or lat/lon, not both");
    s->origin_has_point = has_lat && has_lon;
    s->origin_point = (geo_point_t){ lat, lon };
    cfg_done(&o);
}

static const char *const tls_versions[] = { "1.2", "1.3", NULL };
static const char *const upstream_pools[] = { "warm", "cold", NULL };

static void read_connections(cfg_obj_t *root, conn_spec_t *cs)
{
    cfg_obj_t o;
    cfg_child(root, "connections", &o, 0);
    int tls = 1, pool = 0;
    const cJSON *t = cfg_raw(&o, "tls");
    if (cJSON_IsNumber(t) && (t->valuedouble == 1.2 || t->valuedouble == 1.3))
        tls = t->valuedouble == 1.2 ? 0 : 1; /* --set connections.tls=1.2 arrives as a number */
    else
        cfg_enum(&o, "tls", &tls, tls_versions, 0);
    cs->tls = tls == 0 ? 12 : 13;
    cfg_num(&o, "keepalive_share", &cs->keepalive_share, 0, 1, 0);
    cfg_num(&o, "resumption_share", &cs->resumption_share, 0, 1, 0);
    cfg_num(&o, "zero_rtt_share", &cs->zero_rtt_share, 0, 1, 0);
    cfg_enum(&o, "upstream", &pool, upstream_pools, 0);
    cs->warm_upstream = pool == 0;
    cfg_done(&o);
}

/* An array of ASNs; false when absent. */
static bool read_asns(cfg_obj_t *o, const char *key, uint32_t **out, int *n)
{
    const cJSON *arr;
    *out = NULL;
    *n = 0;
    if (!cfg_array(o, key, &arr, 0)) return false;
    int len = cJSON_GetArraySize(arr);
    *out = calloc((size_t)len + 1, sizeof **out);
    for (int i = 0; *out && i < len; i++) {
        const cJSON *v = cJSON_GetArrayItem(arr, i);
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
            v->valuedouble != (double)(uint32_t)v->valuedouble) {
            char p[CFG_PATH_MAX];
            snprintf(p, sizeof p, "%s.%s[%d]", o->path, key, i);
            cfg_fail(o->c, p, "expected an ASN (an integer 0 .. 4294967295)");
            return true;
        }
        (*out)[(*n)++] = (uint32_t)v->valuedouble;
    }
    return true;
}

static void read_topology(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t t;
    world_spec_t *w = &s->world;
    w->file = s->file;
    w->groups_per_metro = 3;
    w->ases = 3000;
    w->graph_seed = 1;
    w->route_factor = 2.0;
    s->has_topology = cfg_child(root, "topology", &t, 0);
    if (!s->has_topology) return;
    const char *str = NULL;
    w->pops_file = cfg_str(&t, "pops_file", &str, 0) ? resolve_path(s->file, str) : default_data(s->file, "pops.csv");
    str = NULL;
    w->metros_file = cfg_str(&t, "metros_file", &str, 0) ? resolve_path(s->file, str)
                                                         : default_data(s->file, "metros.csv");
    read_strings(&t, "pops", &w->pops, &w->npops);
    int64_t v;
    if (cfg_int(&t, "max_metros", &v, 1, 100000, 0)) w->max_metros = (int)v;
    if (cfg_int(&t, "groups_per_metro", &v, 1, 1000, 0)) w->groups_per_metro = (int)v;
    if (cfg_str(&t, "as_rel_file", &str, 0)) w->as_rel_file = resolve_path(s->file, str);
    if (cfg_str(&t, "as_geo_file", &str, 0)) w->as_geo_file = resolve_path(s->file, str);
    if (!w->as_rel_file != !w->as_geo_file)
        cfg_fail(root->c, "$.topology", "as_rel_file and as_geo_file go together");
    if (cfg_int(&t, "ases", &v, 4, 2000000, 0)) w->ases = (int)v;
    if (cfg_int(&t, "graph_seed", &v, 0, MAX_INT53, 0)) w->graph_seed = (uint64_t)v;
    cfg_num(&t, "route_factor", &w->route_factor, 1, 10, 0);
    read_ms(&t, "per_hop_ms", &w->per_hop);
    const cJSON *sites;
    if (cfg_array(&t, "sites", &sites, 0)) {
        w->nsites = cJSON_GetArraySize(sites);
        w->sites = calloc((size_t)w->nsites + 1, sizeof *w->sites);
        for (int i = 0; w->sites && i < w->nsites; i++) {
            cfg_obj_t so;
            if (!cfg_elem(&t, "sites", sites, i, &so)) break;
            const char *id = NULL;
            cfg_str(&so, "id", &id, CFG_REQUIRED);
            if (id) snprintf(w->sites[i].id, sizeof w->sites[i].id, "%s", id);
            if (cfg_int(&so, "prepend", &v, 0, 30, 0)) w->sites[i].prepend = (int)v;
            cfg_bool(&so, "withdrawn", &w->sites[i].withdrawn, 0);
            bool has_t = read_asns(&so, "transit", &w->sites[i].transit, &w->sites[i].ntransit);
            bool has_p = read_asns(&so, "peers", &w->sites[i].peers, &w->sites[i].npeers);
            w->sites[i].own_links = has_t || has_p;
            cfg_done(&so);
        }
    }
    cfg_done(&t);
}

static const char *const query_rules[] = { "ignore", "keep", "keep_listed", NULL };

static uint32_t read_count(cfg_obj_t *o, const char *key)
{
    int64_t v = 1;
    cfg_int(o, key, &v, 1, UINT32_MAX, 0);
    return (uint32_t)v;
}

static bool read_us(cfg_obj_t *o, const char *key, simtime_t *out)
{
    double v;
    if (!cfg_num(o, key, &v, 0, 1e9, 0)) return false;
    *out = simtime_from_s(v / 1e6);
    return true;
}

/* A class's edge behaviour: "signed": {"invalid_share", "verify_us"},
 * "edge_compute": {"compute_ms", "cold_start_ms", "isolate_idle_s",
 * "subrequest_share"}, "tags": ["surrogate-key", ...]. */
static void read_class_edge(cfg_obj_t *k, class_edge_spec_t *e)
{
    cfg_obj_t o;
    if (cfg_child(k, "signed", &o, 0)) {
        e->is_signed = true;
        cfg_num(&o, "invalid_share", &e->invalid_share, 0, 1, 0);
        read_us(&o, "verify_us", &e->verify);
    }
    cfg_done(&o);
    if (cfg_child(k, "edge_compute", &o, 0)) {
        e->compute = true;
        read_ms(&o, "compute_ms", &e->compute_time);
        read_ms(&o, "cold_start_ms", &e->cold_start);
        e->isolate_idle = SIMTIME_MAX; /* absent: an isolate once started stays warm */
        read_seconds(&o, "isolate_idle_s", &e->isolate_idle, 0);
        cfg_num(&o, "subrequest_share", &e->subrequest_share, 0, 1, 0);
    }
    cfg_done(&o);
    read_strings(k, "tags", &e->tags, &e->ntags);
}

/* content.classes: [{name, share, cache_control, validators, change_per_hour,
 * expires_s, last_modified_age_s, error_ttl_s, cache_key: {query, query_variants, listed_variants, vary_variants,
 * cookies, cookie_cardinality}}] */
static void read_classes(cfg_obj_t *content, scenario_t *s)
{
    const cJSON *arr;
    if (!cfg_array(content, "classes", &arr, 0)) return;
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > CONTENT_MAX_CLASSES) {
        cfg_fail(content->c, "$.content.classes", "expected 1 to %d classes, got %d",
                 CONTENT_MAX_CLASSES, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        cfg_obj_t k, key;
        content_class_spec_t *cs = &s->classes[i];
        if (!cfg_elem(content, "classes", arr, i, &k)) return;
        const char *str = NULL;
        snprintf(cs->name, sizeof cs->name, "class-%d", i + 1);
        if (cfg_str(&k, "name", &str, 0)) snprintf(cs->name, sizeof cs->name, "%s", str);
        cfg_num(&k, "share", &cs->share, 0, 1e9, CFG_REQUIRED | CFG_LO_OPEN);
        str = "";
        cfg_str(&k, "cache_control", &str, CFG_REQUIRED);
        if (str && strlen(str) >= sizeof cs->cache_control) {
            char p[64];
            snprintf(p, sizeof p, "$.content.classes[%d].cache_control", i);
            cfg_fail(content->c, p, "header longer than %zu characters", sizeof cs->cache_control - 1);
        } else if (str) {
            snprintf(cs->cache_control, sizeof cs->cache_control, "%s", str);
        }
        cs->validators = true;
        cfg_bool(&k, "validators", &cs->validators, 0);
        cfg_num(&k, "change_per_hour", &cs->change_per_hour, 0, 3.6e6, 0);
        /* Expires and Last-Modified as offsets from the response's Date */
        cs->dates.has_expires = cfg_num(&k, "expires_s", &cs->dates.expires_after_date_s,
                                        -MAX_SECONDS, MAX_SECONDS, 0);
        cs->dates.has_last_modified = cfg_num(&k, "last_modified_age_s", &cs->dates.last_modified_age_s,
                                              0, MAX_SECONDS, 0);
        cfg_num(&k, "error_ttl_s", &cs->error_ttl_s, 0, MAX_SECONDS, 0);
        cfg_child(&k, "cache_key", &key, 0);
        int q = QUERY_IGNORE;
        cfg_enum(&key, "query", &q, query_rules, 0);
        cs->query = (query_rule_t)q;
        cs->query_variants = read_count(&key, "query_variants");
        cs->listed_variants = read_count(&key, "listed_variants");
        cs->vary_variants = read_count(&key, "vary_variants");
        static const char *const cookie_rules[] = { "strip", "include", NULL };
        int ck = 0;
        cfg_enum(&key, "cookies", &ck, cookie_rules, 0);
        cs->cookie_in_key = ck == 1;
        cs->cookie_cardinality = read_count(&key, "cookie_cardinality");
        cfg_done(&key);
        read_class_edge(&k, &s->edge[i]);
        cfg_done(&k);
    }
    s->nclasses = n;
}

static int class_named(const scenario_t *s, const char *name)
{
    for (int i = 0; i < s->nclasses; i++)
        if (!strcmp(s->classes[i].name, name)) return i;
    return -1;
}

/* Value v at `path` must name a content class; its index, or -1 (failed). */
static int read_class_ref(cfg_t *c, const scenario_t *s, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v) || !v->valuestring[0]) { cfg_fail(c, path, "expected a class name"); return -1; }
    if (s->nclasses == 0) { cfg_fail(c, path, "no content.classes to name"); return -1; }
    int k = class_named(s, v->valuestring);
    if (k < 0) cfg_fail(c, path, "no content class named \"%s\"", v->valuestring);
    return k;
}

/* Object ids at `path`: zipf ranks 1..objects, or a trace's keys (numbers,
 * or text as the trace has it). */
static void read_object_ids(cfg_t *c, const scenario_t *s, const cJSON *arr, const char *path,
                            op_spec_t *op)
{
    int n = cJSON_GetArraySize(arr);
    bool zipf = s->workload.type == WORKLOAD_ZIPF;
    if (n < 1) { cfg_fail(c, path, "expected at least one object id"); return; }
    op->objects = calloc((size_t)n, sizeof *op->objects);
    if (!op->objects) { cfg_nomem(c, path); return; }
    int i = 0;
    for (const cJSON *v = arr->child; v; v = v->next, i++) { /* a walk: long lists stay linear */
        char p[CFG_PATH_MAX];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble == (double)(uint64_t)v->valuedouble &&
            (!zipf || v->valuedouble <= (double)s->workload.objects)) {
            op->objects[i] = (uint64_t)v->valuedouble;
        } else if (cJSON_IsString(v) && v->valuestring[0] && !zipf) {
            op->objects[i] = trace_key(v->valuestring, strlen(v->valuestring));
        } else {
            if (zipf) cfg_fail(c, p, "expected an object id from 1 to workload.objects (%llu)",
                               (unsigned long long)s->workload.objects);
            else cfg_fail(c, p, "expected a trace key (a number or a string)");
            return;
        }
        op->nobjects++;
    }
}

static void read_prefix(cfg_t *c, const scenario_t *s, const cJSON *v, const char *path, op_spec_t *op)
{
    if (s->workload.type != WORKLOAD_ZIPF) {
        cfg_fail(c, path, "the N most popular objects are known only for a zipf workload (ids 1..N)");
        return;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > (double)s->workload.objects ||
        v->valuedouble != (double)(uint64_t)v->valuedouble) {
        cfg_fail(c, path, "expected a count from 1 to workload.objects (%llu)",
                 (unsigned long long)s->workload.objects);
        return;
    }
    op->target = TARGET_PREFIX;
    op->prefix = (uint64_t)v->valuedouble;
}

/* "purge": "all" | PoP id | {"class"} | {"objects"} | {"prefix"} | {"tag"} */
static void read_purge(cfg_obj_t *o, const cJSON *v, scenario_t *s, op_spec_t *op)
{
    char path[CFG_PATH_MAX];
    snprintf(path, sizeof path, "%s.purge", o->path);
    if (cJSON_IsString(v) && v->valuestring[0]) {
        op->target = strcmp(v->valuestring, "all") ? TARGET_POP : TARGET_ALL;
        if (strlen(v->valuestring) >= sizeof op->pop)
            cfg_fail(o->c, path, "PoP id longer than %zu characters", sizeof op->pop - 1);
        snprintf(op->pop, sizeof op->pop, "%s", v->valuestring);
        return;
    }
    if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 1) {
        cfg_fail(o->c, path, "expected \"all\", a PoP id, or one of {\"class\": NAME}, {\"objects\": [ids]}, "
                 "{\"prefix\": N}, {\"tag\": NAME}");
        return;
    }
    const cJSON *t = v->child;
    char p[CFG_PATH_MAX];
    snprintf(p, sizeof p, "%s.%s", path, t->string);
    if (!strcmp(t->string, "class")) {
        int k = read_class_ref(o->c, s, t, p);
        op->target = TARGET_CLASSES;
        if (k >= 0) op->classes = 1u << k;
    } else if (!strcmp(t->string, "tag")) {
        op->target = TARGET_CLASSES;
        if (!cJSON_IsString(t) || !t->valuestring[0]) { cfg_fail(o->c, p, "expected a tag"); return; }
        for (int k = 0; k < s->nclasses; k++)
            for (int j = 0; j < s->edge[k].ntags; j++)
                if (!strcmp(s->edge[k].tags[j], t->valuestring)) op->classes |= 1u << k;
        if (!op->classes) cfg_fail(o->c, p, "no content class has the tag \"%s\"", t->valuestring);
    } else if (!strcmp(t->string, "objects")) {
        op->target = TARGET_OBJECTS;
        if (!cJSON_IsArray(t)) cfg_fail(o->c, p, "expected an array of object ids");
        else read_object_ids(o->c, s, t, p, op);
    } else if (!strcmp(t->string, "prefix")) {
        read_prefix(o->c, s, t, p, op);
    } else {
        cfg_fail(o->c, p, "unknown purge target (expected class, objects, prefix or tag)");
    }
}

/* "deploy": {"class": NAME, "mode": "versioned" | "purge" | "in_place"} */
static void read_deploy(cfg_obj_t *o, scenario_t *s, op_spec_t *op)
{
    static const char *const modes[] = { "versioned", "purge", "in_place", NULL };
    cfg_obj_t d;
    cfg_child(o, "deploy", &d, 0);
    char p[CFG_PATH_MAX];
    snprintf(p, sizeof p, "%s.class", d.path);
    const cJSON *cls = cfg_raw(&d, "class");
    if (!cls) cfg_fail(o->c, p, "missing (the class whose objects change)");
    else {
        int k = read_class_ref(o->c, s, cls, p);
        if (k >= 0) op->classes = 1u << k;
    }
    int mode = DEPLOY_VERSIONED;
    cfg_enum(&d, "mode", &mode, modes, CFG_REQUIRED);
    op->mode = (deploy_mode_t)mode;
    op->target = TARGET_CLASSES;
    cfg_done(&d);
}

/* "push": {"objects": N | [ids], "class": NAME, "pops": "all" | [ids]} */
static void read_push(cfg_obj_t *o, scenario_t *s, op_spec_t *op)
{
    cfg_obj_t d;
    cfg_child(o, "push", &d, 0);
    char p[CFG_PATH_MAX];
    const cJSON *cls = cfg_raw(&d, "class"), *objs = cfg_raw(&d, "objects"), *pops = cfg_raw(&d, "pops");
    snprintf(p, sizeof p, "%s.class", d.path);
    if (cls) {
        int k = read_class_ref(o->c, s, cls, p);
        if (k >= 0) op->classes = 1u << k;
    }
    snprintf(p, sizeof p, "%s.objects", d.path);
    if (!objs) cfg_fail(o->c, p, "missing (a count of the most popular objects, or a list of ids)");
    else if (cJSON_IsArray(objs)) {
        if (cls) cfg_fail(o->c, p, "a list of ids names its objects: give \"class\" only with a count");
        op->target = TARGET_OBJECTS;
        read_object_ids(o->c, s, objs, p, op);
    } else {
        read_prefix(o->c, s, objs, p, op);
    }
    if (s->workload.type != WORKLOAD_ZIPF)
        cfg_fail(o->c, d.path, "a push needs object sizes, known only for a zipf workload");
    snprintf(p, sizeof p, "%s.pops", d.path);
    if (pops && cJSON_IsString(pops) && !strcmp(pops->valuestring, "all")) {
        /* every PoP */
    } else if (pops) {
        read_strings(&d, "pops", &op->pops, &op->npops);
        if (!cJSON_IsArray(pops) || !op->npops) cfg_fail(o->c, p, "expected \"all\" or a list of PoP ids");
    }
    cfg_done(&d);
}

/* operations: [{"at_s": 600, "withdraw": "FRA"}, {"at_s": 900, "announce": "FRA"},
 * {"at_s": 1200, "purge": "all" | PoP | {target}}, {"at_s": T, "deploy": {...}},
 * {"at_s": T, "push": {...}}, {"at_s": T, "origin": "down" | "up"}] */
static void read_operations(cfg_obj_t *root, scenario_t *s)
{
    static const char *const kinds[] = { "withdraw", "announce", "purge", "deploy", "push", "origin" };
    enum { NKINDS = sizeof kinds / sizeof *kinds };
    const cJSON *arr;
    if (!cfg_array(root, "operations", &arr, 0)) return;
    int n = cJSON_GetArraySize(arr);
    s->ops = calloc((size_t)n + 1, sizeof *s->ops);
    if (!s->ops) { cfg_nomem(root->c, "$.operations"); return; }
    for (int i = 0; i < n; i++) {
        cfg_obj_t o;
        if (!cfg_elem(root, "operations", arr, i, &o)) return;
        op_spec_t *op = &s->ops[i];
        s->nops++; /* freed with the scenario even when it fails below */
        read_seconds(&o, "at_s", &op->at, CFG_REQUIRED);
        const cJSON *val = NULL;
        int given = 0;
        for (int k = 0; k < NKINDS; k++) {
            const cJSON *v = cfg_raw(&o, kinds[k]);
            if (v) { val = v; op->kind = (op_kind_t)k; given++; }
        }
        if (given != 1) {
            cfg_done(&o);
            if (!cfg_failed(root->c))
                cfg_fail(root->c, o.path, "give exactly one of \"withdraw\", \"announce\", \"purge\", "
                         "\"deploy\", \"push\" and \"origin\"");
            return;
        }
        char p[CFG_PATH_MAX];
        snprintf(p, sizeof p, "%s.%s", o.path, kinds[op->kind]);
        switch (op->kind) {
        case OP_WITHDRAW:
        case OP_ANNOUNCE: {
            const char *id = NULL;
            if (cfg_str(&o, kinds[op->kind], &id, 0)) snprintf(op->pop, sizeof op->pop, "%s", id);
            break;
        }
        case OP_PURGE: read_purge(&o, val, s, op); break;
        case OP_DEPLOY: read_deploy(&o, s, op); break;
        case OP_PUSH: read_push(&o, s, op); break;
        case OP_ORIGIN: {
            static const char *const states[] = { "down", "up", NULL };
            int st = 0;
            cfg_enum(&o, "origin", &st, states, 0);
            op->up = st == 1;
            break;
        }
        }
        cfg_done(&o);
        if (cfg_failed(root->c)) return;
        char *text = cJSON_PrintUnformatted(val);
        op->target_json = text ? strdup(text) : NULL;
        cJSON_free(text);
        if (s->duration != SIMTIME_MAX && op->at >= s->duration) {
            snprintf(p, sizeof p, "%s.at_s", o.path);
            cfg_fail(root->c, p, "after the end of the run (duration_s)");
            return;
        }
        if ((op->kind == OP_WITHDRAW || op->kind == OP_ANNOUNCE) && !s->has_topology) {
            cfg_fail(root->c, o.path, "withdrawing or announcing PoPs needs a topology");
            return;
        }
    }
}

/* control: {"location": PoP id | {"lat", "lon"}, "processing_ms": P} */
static void read_control(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t o;
    cfg_child(root, "control", &o, 0);
    read_ms(&o, "processing_ms", &s->control.processing);
    const cJSON *loc = cfg_raw(&o, "location");
    char p[CFG_PATH_MAX];
    snprintf(p, sizeof p, "%s.location", o.path);
    if (cJSON_IsString(loc) && loc->valuestring[0]) {
        s->control.location = strdup(loc->valuestring);
    } else if (cJSON_IsObject(loc)) {
        cfg_obj_t l;
        cfg_child(&o, "location", &l, 0);
        cfg_num(&l, "lat", &s->control.point.lat, -90, 90, CFG_REQUIRED);
        cfg_num(&l, "lon", &s->control.point.lon, -180, 180, CFG_REQUIRED);
        cfg_done(&l);
        s->control.has_point = true;
    } else if (loc) {
        cfg_fail(root->c, p, "expected a PoP id or {\"lat\": ..., \"lon\": ...}");
    }
    cfg_done(&o);
    if (!cfg_failed(root->c) && loc && !s->has_topology)
        cfg_fail(root->c, p, "needs a topology to be placed in");
}

/* attack: {"rate_rps": 50000, "start_s": 300, "end_s": 600, "group_share": 0.05}
 * or with "metros": ["Sao Paulo", ...] instead of a random share */
static void read_attack(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t a;
    attack_spec_t *at = &s->attack;
    at->group_share = 0.05;
    if (!cfg_child(root, "attack", &a, 0)) return;
    cfg_num(&a, "rate_rps", &at->rate_rps, 0, 1e9, CFG_REQUIRED | CFG_LO_OPEN);
    read_seconds(&a, "start_s", &at->start, 0);
    at->end = s->duration;
    read_seconds(&a, "end_s", &at->end, 0);
    cfg_num(&a, "group_share", &at->group_share, 0, 1, CFG_LO_OPEN);
    read_strings(&a, "metros", &at->metros, &at->nmetros);
    const cJSON *cls = cfg_raw(&a, "class");
    if (cls) at->cls = read_class_ref(root->c, s, cls, "$.attack.class");
    cfg_obj_t sc;
    if (cfg_child(&a, "scrub", &sc, 0)) {
        cfg_num(&sc, "capacity_rps", &at->scrub_rps, 0, 1e12, CFG_REQUIRED | CFG_LO_OPEN);
        cfg_num(&sc, "detection", &at->scrub_detection, 0, 1, CFG_REQUIRED);
    }
    cfg_done(&sc);
    cfg_done(&a);
    if (s->duration != SIMTIME_MAX && at->end > s->duration) at->end = s->duration;
    if (cfg_failed(root->c)) return;
    if (!s->has_topology)
        cfg_fail(root->c, "$.attack", "an attack spread by anycast needs a topology");
    else if (at->end == SIMTIME_MAX || at->end <= at->start)
        cfg_fail(root->c, "$.attack.end_s", "expected an end after start_s (and within a trace's run, "
                 "end_s is needed)");
}

/* {"EDGE": "SHIELD", ...}: pairs of PoP ids into *out. */
static void read_pop_map(cfg_obj_t *o, const char *key, char ***out, int *n)
{
    cfg_obj_t map;
    *out = NULL;
    *n = 0;
    if (!cfg_child(o, key, &map, 0)) return;
    int len = cJSON_GetArraySize(map.json);
    *out = calloc((size_t)len * 2 + 1, sizeof **out);
    for (const cJSON *m = map.json->child; *out && m; m = m->next) {
        if (!cJSON_IsString(m)) {
            char p[CFG_PATH_MAX];
            snprintf(p, sizeof p, "%s.%s", map.path, m->string);
            cfg_fail(o->c, p, "expected a shield PoP id");
            break;
        }
        (*out)[2 * *n] = strdup(m->string);
        (*out)[2 * *n + 1] = strdup(m->valuestring);
        (*n)++;
    }
}

/* shield.tiers: [{"pops": [...], "map": {...}, "cache": {...}}, ...] */
static void read_tiers(cfg_obj_t *sh, const cJSON *arr, scenario_t *s)
{
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > 16) {
        cfg_fail(sh->c, "$.shield.tiers", "expected 1 to 16 levels, got %d", n);
        return;
    }
    s->tiers = calloc((size_t)n, sizeof *s->tiers);
    if (!s->tiers) { cfg_nomem(sh->c, "$.shield.tiers"); return; }
    for (int k = 0; k < n; k++) {
        cfg_obj_t t, c;
        if (!cfg_elem(sh, "tiers", arr, k, &t)) return;
        shield_tier_spec_t *ts = &s->tiers[s->ntiers++];
        if (!cfg_raw(&t, "pops")) {
            char p[CFG_PATH_MAX];
            snprintf(p, sizeof p, "%s.pops", t.path);
            cfg_fail(sh->c, p, "needed: the level's PoP ids");
        }
        read_strings(&t, "pops", &ts->pops, &ts->npops);
        if (!cfg_failed(sh->c) && ts->npops == 0) {
            char p[CFG_PATH_MAX];
            snprintf(p, sizeof p, "%s.pops", t.path);
            cfg_fail(sh->c, p, "expected at least one PoP id");
        }
        read_pop_map(&t, "map", &ts->map, &ts->nmap);
        if (cfg_child(&t, "cache", &c, 0)) {
            ts->has_cache = true;
            ts->cache = s->cache;
            ts->cache.policy = dup_str(s->cache.policy);
            read_cache_keys(&c, &ts->cache);
        }
        cfg_done(&t);
    }
}

/* The level (1..ntiers) PoP id is on, or 0 for an edge. */
static int tier_of(const scenario_t *s, const char *id)
{
    for (int k = 0; k < s->ntiers; k++)
        for (int j = 0; j < s->tiers[k].npops; j++)
            if (!strcmp(s->tiers[k].pops[j], id)) return k + 1;
    return 0;
}

/* What the ids alone decide: a PoP is on one level only. That every id is a
 * PoP of the topology, and each map entry goes from the level just below to
 * this one, is checked when the model is built (cdn.c). */
static void check_tiers(cfg_obj_t *root, scenario_t *s)
{
    char p[CFG_PATH_MAX];
    for (int k = 0; k < s->ntiers; k++) {
        const shield_tier_spec_t *t = &s->tiers[k];
        for (int j = 0; j < t->npops; j++) {
            int first = tier_of(s, t->pops[j]);
            bool dup = first != k + 1;
            for (int i = 0; i < j && !dup; i++) dup = !strcmp(t->pops[i], t->pops[j]);
            if (!dup) continue;
            if (s->tiers_given) snprintf(p, sizeof p, "$.shield.tiers[%d].pops[%d]", k, j);
            else snprintf(p, sizeof p, "$.shield.pops[%d]", j);
            if (first == k + 1)
                cfg_fail(root->c, p, "PoP \"%s\" listed twice in this level", t->pops[j]);
            else
                cfg_fail(root->c, p, "PoP \"%s\" is on two levels (already on level %d, "
                         "$.shield.tiers[%d])", t->pops[j], first, first - 1);
            return;
        }
    }
}

/* dns: {"public_resolver_share", "ecs", "ttl_s", "lookup_ms", "resolvers_file"},
 * only with routing.mode = "dns" */
static void read_dns(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t d;
    dns_spec_t *ds = &s->dns;
    ds->ttl = simtime_from_s(60);
    bool given = cfg_child(root, "dns", &d, 0);
    if (given && s->routing != ROUTE_DNS && d.json && d.json->child) {
        char p[CFG_PATH_MAX];
        snprintf(p, sizeof p, "$.dns.%s", d.json->child->string);
        cfg_fail(root->c, p, "applies only with routing.mode = \"dns\"");
        return;
    }
    cfg_num(&d, "public_resolver_share", &ds->public_share, 0, 1, 0);
    cfg_bool(&d, "ecs", &ds->ecs, 0);
    read_seconds(&d, "ttl_s", &ds->ttl, 0);
    read_ms(&d, "lookup_ms", &ds->lookup);
    const char *str = "../topologies/footprints/googlecdn.csv";
    cfg_str(&d, "resolvers_file", &str, 0);
    if (s->routing == ROUTE_DNS && !cfg_failed(root->c)) ds->resolvers_file = resolve_path(s->file, str);
    cfg_done(&d);
    if (s->routing == ROUTE_DNS && !s->has_topology && !cfg_failed(root->c))
        cfg_fail(root->c, "$.routing.mode", "DNS mapping needs a topology (PoPs and client metros)");
}

static const char *const routing_modes[] = { "anycast", "geo", "origin", "dns", NULL };

static void read_routing(cfg_obj_t *root, scenario_t *s)
{
    cfg_obj_t r, sh, pop;
    cfg_child(root, "routing", &r, 0);
    int mode = ROUTE_ANYCAST;
    cfg_enum(&r, "mode", &mode, routing_modes, 0);
    s->routing = (routing_mode_t)mode;
    cfg_done(&r);
    read_dns(root, s);
    cfg_child(root, "shield", &sh, 0);
    bool enabled_given = cfg_bool(&sh, "enabled", &s->shield_enabled, 0);
    read_strings(&sh, "pops", &s->shields, &s->nshields);
    read_pop_map(&sh, "map", &s->shield_map, &s->nshield_map);
    const cJSON *tiers;
    if (cfg_array(&sh, "tiers", &tiers, 0)) {
        s->tiers_given = true;
        if (!enabled_given) s->shield_enabled = true; /* listing tiers means using them */
        read_tiers(&sh, tiers, s);
    }
    cfg_done(&sh);
    if (s->tiers_given && (s->nshields || s->nshield_map))
        cfg_fail(root->c, "$.shield.tiers", "give shield.tiers or shield.pops (its one-level "
                 "shorthand), not both");
    else if (s->shield_enabled && s->nshields == 0 && !s->tiers_given && s->has_topology)
        cfg_fail(root->c, "$.shield.pops", "shield.enabled needs a list of shield PoP ids");
    if (!cfg_failed(root->c) && !s->tiers_given && s->nshields) {
        /* the shorthand is level 1 of the hierarchy, on the top-level cache */
        s->tiers = calloc(1, sizeof *s->tiers);
        if (!s->tiers) { cfg_nomem(root->c, "$.shield"); return; }
        s->ntiers = 1;
        s->tiers[0].pops = s->shields;
        s->tiers[0].npops = s->nshields;
        s->tiers[0].map = s->shield_map;
        s->tiers[0].nmap = s->nshield_map;
    }
    if (!cfg_failed(root->c)) check_tiers(root, s);
    cfg_child(root, "pop", &pop, 0);
    read_server(&pop, &s->pop_server);
    cfg_done(&pop);
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
    cfg_num(&content, "heuristic_fraction", &s->content_opts.heuristic_fraction, 0, 1, 0);
    cfg_bool(&content, "s_maxage_revalidate", &s->content_opts.s_maxage_revalidates, 0);
    read_classes(&content, s);
    cfg_done(&content);

    cfg_child(root, "network", &net, 0);
    bool client_rtt = read_ms(&net, "client_rtt_ms", &s->client_rtt);
    bool origin_rtt = read_ms(&net, "origin_rtt_ms", &s->origin_rtt);
    read_ms(&net, "last_mile_ms", &s->last_mile_rtt);
    cfg_done(&net);

    read_topology(root, s);
    read_routing(root, s);
    read_origin(root, s);
    read_connections(root, &s->conn);
    read_operations(root, s);
    read_control(root, s);
    read_attack(root, s);

    /* keys that mean something only with, or only without, a topology are
     * errors on the other side rather than silently ignored */
    if (s->has_topology && (client_rtt || origin_rtt))
        cfg_fail(root->c, client_rtt ? "$.network.client_rtt_ms" : "$.network.origin_rtt_ms",
                 "applies only without a topology; with one, latencies follow the geography");
    if (!s->has_topology && (s->origin_location || s->origin_has_point))
        cfg_fail(root->c, s->origin_location ? "$.origin.location" : "$.origin.lat",
                 "needs a topology to be placed in (without one, network.origin_rtt_ms sets the distance)");
    if (!s->has_topology && (s->shield_enabled || s->nshields))
        cfg_fail(root->c, "$.shield", "a shield tier needs a topology with PoPs to choose from");

    cfg_child(root, "stats", &stats, 0);
    read_seconds(&stats, "interval_s", &s->interval, CFG_LO_OPEN);
    read_strings(&stats, "pops", &s->stats_pops, &s->nstats_pops);
    int64_t top = 8;
    cfg_int(&stats, "top_pops", &top, 0, 1000, 0);
    s->top_pops = (int)top;
    cfg_done(&stats);
    cfg_done(root);

    if (!cfg_failed(root->c) && !strcmp(s->cache.policy, "belady") && s->workload.type != WORKLOAD_TRACE)
        cfg_fail(root->c, "$.cache.policy", "belady needs every request's next access: "
                 "use it with a trace workload");
    if (!cfg_failed(root->c) && s->duration != SIMTIME_MAX &&
        s->duration / s->interval > SCENARIO_MAX_INTERVALS)
        cfg_fail(root->c, "$.stats.interval_s", "too fine for duration_s: more than %d intervals",
                 SCENARIO_MAX_INTERVALS);
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

/* ---- provenance: the resolved scenario ------------------------------------ */

/* Child object `key` of o, created when absent (NULL if o is not an object). */
static cJSON *conf_obj(cJSON *o, const char *key)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsObject(c)) return c;
    return c ? NULL : cJSON_AddObjectToObject(o, key);
}

/* A default written only where the file (after --set) left the key out:
 * what was given stays as given. */
static void conf_num(cJSON *o, const char *key, double v)
{
    if (o && !cJSON_GetObjectItemCaseSensitive(o, key)) cJSON_AddNumberToObject(o, key, v);
}

static void conf_str(cJSON *o, const char *key, const char *v)
{
    if (o && v && !cJSON_GetObjectItemCaseSensitive(o, key)) cJSON_AddStringToObject(o, key, v);
}

static void conf_bool(cJSON *o, const char *key, bool v)
{
    if (o && !cJSON_GetObjectItemCaseSensitive(o, key)) cJSON_AddBoolToObject(o, key, v);
}

static void conf_server(cJSON *o, const server_spec_t *sv)
{
    conf_num(o, "capacity_rps", sv->capacity_rps);
    conf_num(o, "service_ms", (double)(sv->service) / 1e6);
    conf_num(o, "max_wait_ms", (double)(sv->max_wait) / 1e6);
}

/* Fills the defaults of the main keys into the checked JSON, so two results
 * whose files differ only in a default's spelling-out have equal configs and
 * a reader sees the values the run used. Keys another reader adds are kept
 * as given (the JSON is the source), defaults or not. */
static void fill_config(cJSON *j, const scenario_t *s)
{
    /* name and seed as run (a --seed, a name from the file name), in place */
    /* the seed as raw digits: cJSON prints big integers rounded to 15 digits */
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)s->seed);
    cJSON *name = cJSON_CreateString(s->name), *seed = cJSON_CreateRaw(digits);
    if (cJSON_GetObjectItemCaseSensitive(j, "name")) cJSON_ReplaceItemInObjectCaseSensitive(j, "name", name);
    else cJSON_AddItemToObject(j, "name", name);
    if (cJSON_GetObjectItemCaseSensitive(j, "seed")) cJSON_ReplaceItemInObjectCaseSensitive(j, "seed", seed);
    else cJSON_AddItemToObject(j, "seed", seed);
    if (s->duration != SIMTIME_MAX) conf_num(j, "duration_s", simtime_to_s(s->duration));
    conf_num(j, "warmup_s", simtime_to_s(s->warmup));
    cJSON *w = conf_obj(j, "workload");
    if (s->workload.type == WORKLOAD_ZIPF) {
        conf_num(w, "alpha", s->workload.alpha);
        conf_num(w, "rate_rps", s->workload.rate_rps);
        conf_num(w, "size_bytes", (double)s->workload.size_bytes);
        conf_str(w, "size_dist", s->workload.size_dist == SIZE_LOGNORMAL ? "lognormal" : "fixed");
        conf_num(w, "size_sigma", s->workload.size_sigma);
        conf_num(w, "diurnal", s->diurnal);
        conf_num(w, "dynamic_share", s->dynamic_share);
        /* 0, the default, is left out so that results stay as they were before the key */
        if (s->workload.locality > 0) conf_num(w, "locality", s->workload.locality);
        else cJSON_DeleteItemFromObjectCaseSensitive(w, "locality");
    }
    conf_num(w, "request_no_cache_share", s->no_cache_share);
    cJSON *ct = conf_obj(j, "content");
    conf_num(ct, "heuristic_fraction", s->content_opts.heuristic_fraction);
    conf_bool(ct, "s_maxage_revalidate", s->content_opts.s_maxage_revalidates);
    conf_str(conf_obj(j, "cache"), "policy", s->cache.policy);
    cJSON *net = conf_obj(j, "network");
    if (!s->has_topology) {
        conf_num(net, "client_rtt_ms", (double)(s->client_rtt) / 1e6);
        conf_num(net, "origin_rtt_ms", (double)(s->origin_rtt) / 1e6);
    }
    conf_num(net, "last_mile_ms", (double)(s->last_mile_rtt) / 1e6);
    conf_num(conf_obj(j, "stats"), "interval_s", simtime_to_s(s->interval));
    if (!s->nstats_pops) conf_num(conf_obj(j, "stats"), "top_pops", s->top_pops);
    static const char *const modes[] = { "anycast", "geo", "origin", "dns" };
    conf_str(conf_obj(j, "routing"), "mode", modes[s->routing]);
    conf_bool(conf_obj(j, "shield"), "enabled", s->shield_enabled);
    conf_server(conf_obj(j, "origin"), &s->origin);
    conf_server(conf_obj(j, "pop"), &s->pop_server);
    cJSON *cn = conf_obj(j, "connections");
    conf_str(cn, "tls", s->conn.tls == 12 ? "1.2" : "1.3");
    conf_num(cn, "keepalive_share", s->conn.keepalive_share);
    conf_num(cn, "resumption_share", s->conn.resumption_share);
    conf_num(cn, "zero_rtt_share", s->conn.zero_rtt_share);
    conf_str(cn, "upstream", s->conn.warm_upstream ? "warm" : "cold");
    if (s->has_topology) {
        cJSON *t = conf_obj(j, "topology");
        conf_num(t, "groups_per_metro", s->world.groups_per_metro);
        conf_num(t, "ases", s->world.ases);
        conf_num(t, "graph_seed", (double)s->world.graph_seed);
        conf_num(t, "route_factor", s->world.route_factor);
    }
}

scenario_t *scenario_load(const char *file, char *const *sets, int nsets, bool have_seed,
                          uint64_t seed, char *err, size_t errlen)
{
    cfg_t c;
    cfg_init(&c, file);
    scenario_t *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "%s: out of memory", file); errno = ENOMEM; return NULL; }
    s->file = strdup(file);
    s->seed = 1;
    s->duration = SIMTIME_MAX;
    s->ttl = SIMTIME_MAX;
    s->content_opts.heuristic_fraction = 0.1;  /* RFC 9111 4.2.2's "such as 10%" */
    s->client_rtt = simtime_from_ms(10);  /* a metro user to a nearby PoP */
    s->origin_rtt = simtime_from_ms(80);  /* a PoP to an origin a continent away */
    s->interval = simtime_from_s(60);
    s->conn = (conn_spec_t){ .tls = 13, .keepalive_share = 1.0, .warm_upstream = true };
    s->origin.max_wait = s->pop_server.max_wait = simtime_from_s(1);
    s->attack.cls = -1;

    cJSON *json = cfg_load_file(&c, file);
    for (int i = 0; json && i < nsets; i++) {
        char msg[512];
        if (cfg_apply_set(json, sets[i], msg, sizeof msg) != 0) cfg_fail(&c, NULL, "%s", msg);
    }
    cfg_obj_t root;
    if (json && cfg_view(&c, json, "$", &root)) read_root(&root, s, have_seed, seed);
    if (!cfg_failed(&c) && !cJSON_IsObject(json))
        cfg_fail(&c, "$", "expected a scenario object");
    if (!cfg_failed(&c)) {
        s->overrides = cJSON_CreateArray();
        for (int i = 0; s->overrides && i < nsets; i++)
            cJSON_AddItemToArray(s->overrides, cJSON_CreateString(sets[i]));
        fill_config(json, s);
        s->config = json;
        json = NULL;
        if (!s->overrides) cfg_nomem(&c, NULL);
    }
    cJSON_Delete(json);
    if (cfg_failed(&c)) {
        snprintf(err, errlen, "%s", c.err);
        scenario_free(s);
        errno = cfg_oom(&c) ? ENOMEM : EINVAL; /* set last: nothing after clobbers it */
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
    free(s->world.pops_file);
    free(s->world.metros_file);
    free_strings(s->world.pops, s->world.npops);
    free(s->world.as_rel_file);
    free(s->world.as_geo_file);
    for (int i = 0; s->world.sites && i < s->world.nsites; i++) {
        free(s->world.sites[i].transit);
        free(s->world.sites[i].peers);
    }
    free(s->world.sites);
    for (int k = 0; s->tiers_given && k < s->ntiers; k++) {
        free_strings(s->tiers[k].pops, s->tiers[k].npops);
        free_strings(s->tiers[k].map, 2 * s->tiers[k].nmap);
    }
    for (int k = 0; k < s->ntiers; k++) free(s->tiers[k].cache.policy);
    free(s->tiers);
    free_strings(s->shields, s->nshields);
    free_strings(s->shield_map, 2 * s->nshield_map);
    free(s->origin_location);
    free(s->dns.resolvers_file);
    for (int i = 0; i < s->nops; i++) {
        free(s->ops[i].objects);
        free_strings(s->ops[i].pops, s->ops[i].npops);
        free(s->ops[i].target_json);
    }
    free(s->ops);
    free_strings(s->stats_pops, s->nstats_pops);
    for (int i = 0; i < CONTENT_MAX_CLASSES; i++) free_strings(s->edge[i].tags, s->edge[i].ntags);
    free(s->control.location);
    free_strings(s->attack.metros, s->attack.nmetros);
    cJSON_Delete(s->config);
    cJSON_Delete(s->overrides);
    free(s);
}
