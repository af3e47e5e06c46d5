/* report — text summaries of results; see report.h. */
#include "analysis/report.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/results.h"

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

static bool num(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = get(o, key);
    if (!cJSON_IsNumber(v)) return false;
    *out = v->valuedouble;
    return true;
}

/* 1234567 -> "1,234,567": counts read at a glance. */
static const char *count(double v, char *buf, size_t len)
{
    if (!isfinite(v) || fabs(v) >= 1e18 || v != floor(v)) { snprintf(buf, len, "%.6g", v); return buf; }
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%.0f", fabs(v)), o = 0;
    if (v < 0 && (size_t)o < len - 1) buf[o++] = '-';
    for (int i = 0; i < n && (size_t)o < len - 2; i++) {
        if (i && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

static const char *bytes(double v, char *buf, size_t len)
{
    static const char *const unit[] = { "B", "kB", "MB", "GB", "TB", "PB" };
    int u = 0;
    while (fabs(v) >= 1000 && u < 5) { v /= 1000; u++; }
    snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
    return buf;
}

static int by_requests(const void *a, const void *b)
{
    double x = 0, y = 0;
    num(*(const cJSON *const *)a, "requests", &x);
    num(*(const cJSON *const *)b, "requests", &y);
    return x < y ? 1 : x > y ? -1 : 0;
}

static int report_pops(const cJSON *res, double total, strbuf_t *out)
{
    const cJSON *pops = get(res, "pops");
    int n = cJSON_GetArraySize(pops);
    if (!cJSON_IsArray(pops) || n == 0) return 0;
    const cJSON **v = calloc((size_t)n, sizeof *v);
    if (!v) return -1;
    int k = 0;
    for (const cJSON *p = pops->child; p; p = p->next) v[k++] = p;
    qsort(v, (size_t)n, sizeof *v, by_requests);
    int shown = n < REPORT_TOP_POPS ? n : REPORT_TOP_POPS;
    strbuf_printf(out, "\nPoPs by requests (%s%d of %d)\n", n > shown ? "busiest " : "", shown, n);
    strbuf_printf(out, "  %-16s %14s %7s %10s %10s %10s\n", "id", "requests", "share", "hit ratio", "byte hit", "p99 ms");
    for (int i = 0; i < shown; i++) {
        const cJSON *id = get(v[i], "id");
        double r = 0, h = NAN, bh = NAN, p99 = NAN;
        char c[32];
        num(v[i], "requests", &r);
        num(v[i], "hit_ratio", &h);
        num(v[i], "byte_hit_ratio", &bh);
        num(get(v[i], "latency_ms"), "p99", &p99);
        strbuf_printf(out, "  %-16s %14s %6.1f%% %9.2f%% %9.2f%% %10.2f\n", cJSON_IsString(id) ? id->valuestring : "?",
                      count(r, c, sizeof c), total > 0 ? 100 * r / total : 0, 100 * h, 100 * bh, p99);
    }
    free(v);
    return 0;
}

/* The world scenario's extras: continents, anycast's cost, the shield tier. */
static void report_world(const cJSON *res, strbuf_t *out)
{
    const cJSON *cont = get(res, "continents");
    char a[32];
    double v;
    if (cJSON_IsObject(cont)) {
        strbuf_printf(out, "\n  %-12s %14s %10s %9s %9s %9s\n", "continent", "requests", "hit ratio",
                      "p50 ms", "p90 ms", "p99 ms");
        for (const cJSON *c = cont->child; c; c = c->next) {
            double req = 0, hr = 0, p50 = 0, p90 = 0, p99 = 0;
            const cJSON *lat = get(c, "latency_ms");
            num(c, "requests", &req);
            num(c, "hit_ratio", &hr);
            num(lat, "p50", &p50);
            num(lat, "p90", &p90);
            num(lat, "p99", &p99);
            strbuf_printf(out, "  %-12s %14s %9.2f%% %9.1f %9.1f %9.1f\n", c->string,
                          count(req, a, sizeof a), 100 * hr, p50, p90, p99);
        }
    }
    const cJSON *sum = get(get(res, "catchments"), "summary");
    if (cJSON_IsObject(sum) && num(sum, "not_nearest_share", &v)) {
        double mean = 0, p90 = 0;
        num(get(sum, "extra_rtt_ms"), "mean", &mean);
        num(get(sum, "extra_rtt_ms"), "p90", &p90);
        strbuf_printf(out, "\n  anycast          %.1f%% of traffic lands away from its nearest PoP; "
                           "extra RTT mean %.1f ms, p90 %.1f ms\n", 100 * v, mean, p90);
    }
    const cJSON *att = get(res, "attack");
    if (cJSON_IsObject(att)) {
        double req = 0, refused = 0;
        num(att, "requests", &req);
        num(att, "refused", &refused);
        strbuf_printf(out, "\n  attack           %s flood requests, %.1f%% refused, at", count(req, a, sizeof a),
                      req > 0 ? 100 * refused / req : 0);
        const cJSON *ap = get(att, "pops");
        int shown = 0;
        for (const cJSON *p = cJSON_IsArray(ap) ? ap->child : NULL; p && shown < 8; p = p->next, shown++) {
            const cJSON *id = get(p, "id");
            double n = 0;
            num(p, "requests", &n);
            strbuf_printf(out, " %s (%.0f%%)", cJSON_IsString(id) ? id->valuestring : "?",
                          req > 0 ? 100 * n / req : 0);
        }
        strbuf_printf(out, "%s\n", cJSON_GetArraySize(ap) > shown ? " ..." : "");
        double scrubbed, denied;
        if (num(att, "scrubbed", &scrubbed))
            strbuf_printf(out, "  %-16s %s scrubbed at the PoPs (%.1f%%)\n", "", count(scrubbed, a, sizeof a),
                          req > 0 ? 100 * scrubbed / req : 0);
        if (num(att, "denied", &denied))
            strbuf_printf(out, "  %-16s %s denied (invalid signatures)\n", "", count(denied, a, sizeof a));
    }
    const cJSON *pops = get(res, "pops");
    bool header = false;
    for (const cJSON *p = cJSON_IsArray(pops) ? pops->child : NULL; p; p = p->next) {
        const cJSON *sh = get(p, "shield"), *id = get(p, "id");
        double req = 0, hr = 0;
        if (!cJSON_IsObject(sh) || !cJSON_IsString(id)) continue;
        if (!header) strbuf_printf(out, "\n  shields          requests from edges, hit ratio\n");
        header = true;
        num(sh, "requests", &req);
        num(sh, "hit_ratio", &hr);
        strbuf_printf(out, "    %-14s %14s  %6.2f%%\n", id->valuestring, count(req, a, sizeof a), 100 * hr);
    }
}

/* A miniature (workload.sample): say so before any figure, so no count
 * below is read as simulated, and give the adjusted estimates. */
static void report_sample(const cJSON *s, strbuf_t *out)
{
    double rate, sim = 0, scale = 0, kscale = 0, v;
    char a[32];
    if (!cJSON_IsObject(s) || !num(s, "rate", &rate)) return;
    num(s, "simulated_requests", &sim);
    num(s, "request_scale", &scale);
    num(s, "key_scale", &kscale);
    strbuf_printf(out, "  %-16s workload.sample %g: %s requests simulated; counts below are scaled by %.4g "
                  "(cached objects by %.4g) to estimate the full run, ratios and latencies as simulated\n",
                  "miniature", rate, count(sim, a, sizeof a), scale, kscale);
    const cJSON *adj = get(s, "adjusted");
    if (!cJSON_IsObject(adj)) return;
    strbuf_printf(out, "  %-16s", "adjusted");
    if (num(adj, "hit_ratio", &v)) strbuf_printf(out, " hit ratio %.2f%%", 100 * v);
    if (num(adj, "origin_requests", &v)) strbuf_printf(out, ", origin %s requests", count(v, a, sizeof a));
    if (num(adj, "offload", &v)) strbuf_printf(out, ", offload %.2f%%", 100 * v);
    strbuf_printf(out, " (SHARDS_adj: misses scaled by the key share)\n");
}

/* operations: each on a line, its time, kind and target, then the effect
 * figures the run gave it (whatever numeric fields it carries). */
static void report_operations(const cJSON *res, strbuf_t *out)
{
    const cJSON *ops = get(res, "operations");
    if (!cJSON_IsArray(ops) || !ops->child) return;
    strbuf_printf(out, "\n  operations\n");
    char a[32];
    for (const cJSON *op = ops->child; op; op = op->next) {
        double at = 0;
        const cJSON *kind = get(op, "kind");
        num(op, "at_s", &at);
        char *target = cJSON_PrintUnformatted(get(op, "target"));
        strbuf_printf(out, "    %10.3f s  %-8s %s", at, cJSON_IsString(kind) ? kind->valuestring : "?",
                      target ? target : "");
        cJSON_free(target);
        const char *sep = ":";
        for (const cJSON *f = op->child; f; f = f->next) {
            if (!cJSON_IsNumber(f) || !strcmp(f->string, "at_s")) continue;
            if (strstr(f->string, "_s")) strbuf_printf(out, "%s %s %.6g", sep, f->string, f->valuedouble);
            else strbuf_printf(out, "%s %s %s", sep, f->string, count(f->valuedouble, a, sizeof a));
            sep = ",";
        }
        strbuf_printf(out, "\n");
    }
}

static int report_run(const cJSON *res, strbuf_t *out)
{
    const cJSON *name = get(res, "scenario");
    double req = 0, hits = 0, v, seed = 0, dur, warm = 0;
    char a[32], b[32];
    num(res, "requests", &req);
    num(res, "seed", &seed);
    strbuf_printf(out, "%s (seed %.0f)", cJSON_IsString(name) ? name->valuestring : "run", seed);
    if (num(res, "duration_s", &dur)) {
        num(res, "warmup_s", &warm);
        strbuf_printf(out, ": %.6g s simulated, %.6g s measured after warm-up", dur, dur - warm);
    }
    strbuf_printf(out, "\n");
    if (num(res, "events", &v)) strbuf_printf(out, "  %-16s %s", "events", count(v, a, sizeof a));
    if (num(res, "wall_s", &v)) strbuf_printf(out, " in %.2f s of wall clock", v);
    strbuf_printf(out, "\n");
    report_sample(get(res, "sample"), out);
    strbuf_printf(out, "\n");
    strbuf_printf(out, "  %-16s %s\n", "requests", count(req, a, sizeof a));
    num(res, "hits", &hits);
    if (num(res, "hit_ratio", &v)) strbuf_printf(out, "  %-16s %.2f%%  (%s hits)\n", "hit ratio", 100 * v, count(hits, a, sizeof a));
    if (num(res, "byte_hit_ratio", &v)) strbuf_printf(out, "  %-16s %.2f%%\n", "byte hit ratio", 100 * v);
    if (num(res, "bytes", &v)) strbuf_printf(out, "  %-16s %s\n", "bytes served", bytes(v, a, sizeof a));
    const cJSON *st = get(res, "status");
    if (cJSON_IsObject(st)) {
        strbuf_printf(out, "\n  statuses\n");
        for (const cJSON *s = st->child; s; s = s->next)
            if (cJSON_IsNumber(s) && s->valuedouble != 0)
                strbuf_printf(out, "    %-14s %14s  %6.2f%%\n", s->string, count(s->valuedouble, a, sizeof a),
                              req > 0 ? 100 * s->valuedouble / req : 0);
    }
    const cJSON *o = get(res, "origin");
    if (cJSON_IsObject(o)) {
        strbuf_printf(out, "\n  %-16s", "origin");
        if (num(o, "requests", &v)) strbuf_printf(out, " %s requests", count(v, a, sizeof a));
        if (num(o, "bytes", &v)) strbuf_printf(out, ", %s", bytes(v, b, sizeof b));
        if (num(o, "offload", &v)) strbuf_printf(out, ", offload %.2f%%", 100 * v);
        strbuf_printf(out, "\n");
    }
    const cJSON *mem = get(res, "memory");
    double held, per;
    if (num(mem, "cached_objects", &held) && num(mem, "bytes_per_cached_object", &per))
        strbuf_printf(out, "  %-16s %s objects held at the end, %.1f bytes each\n", "caches",
                      count(held, a, sizeof a), per);
    const cJSON *lat = get(res, "latency_ms");
    if (cJSON_IsObject(lat)) {
        strbuf_printf(out, "  %-16s", "latency (ms)");
        for (const cJSON *l = lat->child; l; l = l->next)
            if (cJSON_IsNumber(l)) strbuf_printf(out, " %s %.2f ", l->string, l->valuedouble);
        strbuf_printf(out, "\n");
    }
    report_world(res, out);
    report_operations(res, out);
    const cJSON *prog = get(res, "program");
    if (cJSON_IsObject(prog)) {
        const cJSON *ver = get(prog, "version"), *git = get(prog, "git");
        strbuf_printf(out, "\n  %-16s cdnsim %s (%s)", "program", cJSON_IsString(ver) ? ver->valuestring : "?",
                      cJSON_IsString(git) ? git->valuestring : "?");
        const cJSON *ov = get(res, "overrides");
        for (const cJSON *s = cJSON_IsArray(ov) ? ov->child : NULL; s; s = s->next)
            if (cJSON_IsString(s)) strbuf_printf(out, "%s--set %s", s == ov->child ? ", " : " ", s->valuestring);
        strbuf_printf(out, "\n");
    }
    const cJSON *warn = get(res, "warnings");
    for (const cJSON *w = cJSON_IsArray(warn) ? warn->child : NULL; w; w = w->next)
        if (cJSON_IsString(w)) strbuf_printf(out, "\n  warning: %s\n", w->valuestring);
    return report_pops(res, req, out);
}

static int by_anycast(const void *a, const void *b)
{
    double x = 0, y = 0;
    num(get(*(const cJSON *const *)a, "anycast"), "weight", &x);
    num(get(*(const cJSON *const *)b, "anycast"), "weight", &y);
    return x < y ? 1 : x > y ? -1 : 0;
}

/* A `cdnsim catchments` report: the summary and the PoPs that draw most. */
static int report_catchments(const cJSON *doc, strbuf_t *out)
{
    const cJSON *sum = get(doc, "summary"), *pops = get(doc, "pops");
    double v = 0, mean = 0, p90 = 0, groups = 0;
    num(sum, "not_nearest_share", &v);
    num(sum, "groups", &groups);
    num(get(sum, "extra_rtt_ms"), "mean", &mean);
    num(get(sum, "extra_rtt_ms"), "p90", &p90);
    strbuf_printf(out, "catchments (cdnsim catchments): %.0f client groups, %d PoPs\n"
                       "  anycast          %.1f%% of traffic lands away from its nearest PoP; "
                       "extra RTT mean %.1f ms, p90 %.1f ms\n", groups, cJSON_GetArraySize(pops), 100 * v, mean, p90);
    int n = cJSON_GetArraySize(pops);
    const cJSON **s = calloc((size_t)n + 1, sizeof *s);
    if (!s) return -1;
    int k = 0;
    for (const cJSON *p = cJSON_IsArray(pops) ? pops->child : NULL; p; p = p->next) s[k++] = p;
    qsort(s, (size_t)k, sizeof *s, by_anycast);
    int shown = k < REPORT_TOP_POPS ? k : REPORT_TOP_POPS;
    strbuf_printf(out, "\nPoPs by anycast traffic share (%d of %d)\n  %-8s %-20s %9s %9s\n", shown, k, "id",
                  "city", "anycast", "geo");
    for (int i = 0; i < shown; i++) {
        double a = 0, g = 0;
        const cJSON *id = get(s[i], "id"), *city = get(s[i], "city");
        num(get(s[i], "anycast"), "weight", &a);
        num(get(s[i], "geo"), "weight", &g);
        strbuf_printf(out, "  %-8s %-20s %8.2f%% %8.2f%%\n", cJSON_IsString(id) ? id->valuestring : "?",
                      cJSON_IsString(city) ? city->valuestring : "", 100 * a, 100 * g);
    }
    free(s);
    return 0;
}

static void stat_cell(strbuf_t *out, const cJSON *metrics, const char *name, double scale, int decimals)
{
    const cJSON *m = get(metrics, name);
    double mean = NAN, ci = 0;
    num(m, "mean", &mean);
    num(m, "ci95", &ci);
    char cell[64], c1[24], c2[24];
    snprintf(c1, sizeof c1, "%.*f", decimals, mean * scale);
    snprintf(c2, sizeof c2, "%.*f", decimals, ci * scale);
    snprintf(cell, sizeof cell, "%s +- %s", c1, c2);
    strbuf_printf(out, " %22s", cell);
}

static int report_summary(const cJSON *sum, strbuf_t *out)
{
    const cJSON *name = get(sum, "sweep"), *pts = get(sum, "points");
    double reps = 1;
    num(sum, "replications", &reps);
    strbuf_printf(out, "%s: %d points x %.0f replications (mean +- 95%% half-width)\n\n",
                  cJSON_IsString(name) ? name->valuestring : "sweep", cJSON_GetArraySize(pts), reps);
    strbuf_printf(out, "  %5s %22s %22s %22s  %s\n", "point", "hit ratio %", "p99 ms", "origin requests", "parameters");
    for (const cJSON *p = pts->child; p; p = p->next) {
        double idx = 0;
        num(p, "point", &idx);
        const cJSON *m = get(p, "metrics");
        strbuf_printf(out, "  %5.0f", idx);
        stat_cell(out, m, "hit_ratio", 100, 2);
        stat_cell(out, m, "latency_ms.p99", 1, 2);
        stat_cell(out, m, "origin.requests", 1, 0);
        strbuf_printf(out, " ");
        for (const cJSON *q = get(p, "parameters")->child; q; q = q->next) {
            char *v = cJSON_PrintUnformatted(q);
            strbuf_printf(out, " %s=%s", q->string, v ? v : "?");
            cJSON_free(v);
        }
        strbuf_printf(out, "\n");
    }
    return 0;
}

int report_text(const char *path, strbuf_t *out, char *err, size_t errlen)
{
    char *file = NULL;
    cJSON *j = results_load(path, &file, err, errlen);
    if (!j) return errno == ENOMEM ? -1 : -2;
    int rc;
    if (results_is_summary(j)) rc = report_summary(j, out);
    else if (results_is_run(j)) rc = report_run(j, out);
    else if (results_is_catchments(j)) rc = report_catchments(j, out);
    else {
        snprintf(err, errlen, "%s: $: not a cdnsim result (expected a run's result JSON or a sweep's summary.json)", file);
        rc = -2;
    }
    if (rc == 0 && out->failed) rc = -1;
    if (rc == -1) snprintf(err, errlen, "out of memory");
    free(file);
    cJSON_Delete(j);
    return rc;
}
