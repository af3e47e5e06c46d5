/* compare — reading two results as lists of points and judging each watched
 * metric; see compare.h.
 *
 * Both inputs are first turned into the same shape: a list of points, each a
 * match key (its parameters, sorted by name, so key order in the files does
 * not matter) and a list of (metric, mean, ci95). A single run is one point
 * with no parameters and no intervals. Only then are they judged, so the
 * verdict logic is written once for both kinds of input. */
#include "analysis/compare.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/results.h"
#include "analysis/strbuf.h"
#include "sim/cfg.h"

typedef struct metric {
    const char *name;    /* borrowed from the flat list or the JSON */
    double mean, ci;
} metric_t;

typedef struct point {
    char *label;         /* "k=v k=v" in file order, for the table */
    char *key;           /* the same sorted by parameter name, for matching */
    int index;           /* position in the file, for messages */
    double measured_s;   /* duration_s - warmup_s; 0 when the file does not say */
    double total_s;      /* duration_s; 0 when the file does not say */
    metric_t *m;
    size_t n;
} point_t;

typedef struct side {
    char *file;          /* the file actually read */
    cJSON *json;
    bool summary;
    results_flat_t flat; /* a run's fields (names borrowed by its point) */
    point_t *pts;
    size_t n;
} side_t;

typedef struct watch {
    const char *metric;
    double limit;
    bool relative;
} watch_t;

static const watch_t defaults[] = {
    { "hit_ratio", 0.005, false },
    { "latency_ms.p99", 0.05, true },
    { "origin.requests", 0.05, true },
};
#define NDEFAULTS (sizeof defaults / sizeof defaults[0])

/* ---- options --------------------------------------------------------------- */

int compare_parse_tolerance(const char *arg, compare_tol_t *out, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    memset(out, 0, sizeof *out);
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof out->metric) {
        snprintf(err, errlen, "--tolerance %s: expected METRIC=VALUE, e.g. hit_ratio=0.01 or latency_ms.p99=10%%", arg);
        return -1;
    }
    memcpy(out->metric, arg, (size_t)(eq - arg));
    char *end;
    double v = strtod(eq + 1, &end);
    if (*end == '%') { out->relative = true; v /= 100; end++; }
    if (end == eq + 1 || *end || !isfinite(v) || v < 0) {
        snprintf(err, errlen, "--tolerance %s: expected a non-negative number or percentage after '='", arg);
        return -1;
    }
    out->limit = v;
    return 0;
}

static bool higher_is_better(const char *metric)
{
    size_t n = strlen(metric);
    return (n >= 9 && strcmp(metric + n - 9, "hit_ratio") == 0) ||
           (n >= 7 && strcmp(metric + n - 7, "offload") == 0);
}

/* ---- reading ---------------------------------------------------------------- */

static void side_free(side_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->pts[i].label);
        free(s->pts[i].key);
        free(s->pts[i].m);
    }
    free(s->pts);
    results_flat_free(&s->flat);
    cJSON_Delete(s->json);
    free(s->file);
    memset(s, 0, sizeof *s);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* label (file order) and key (name order) of a parameters object */
static int point_names(const cJSON *params, point_t *pt)
{
    int n = cJSON_GetArraySize(params);
    const cJSON **sorted = calloc((size_t)n + 1, sizeof *sorted);
    strbuf_t label = { 0 }, key = { 0 };
    if (!sorted) return -1;
    int i = 0;
    for (const cJSON *p = params->child; p; p = p->next) sorted[i++] = p;
    for (int pass = 0; pass < 2; pass++) {
        strbuf_t *t = pass ? &key : &label;
        if (pass) qsort(sorted, (size_t)n, sizeof *sorted, by_name);
        strbuf_printf(t, "%s", "");
        for (i = 0; i < n; i++) {
            char *v = cJSON_PrintUnformatted(sorted[i]);
            strbuf_printf(t, "%s%s=%s", i ? " " : "", sorted[i]->string, v ? v : "?");
            if (!v) t->failed = true;
            cJSON_free(v);
        }
    }
    free(sorted);
    pt->label = label.s;
    pt->key = key.s;
    return label.failed || key.failed ? -1 : 0;
}

static const metric_t *find_metric(const point_t *pt, const char *name);

/* The run's span and measured span, from its own duration_s and warmup_s
 * fields (a summary's means of them): what turns counts into rates. */
static void point_durations(point_t *pt)
{
    const metric_t *d = find_metric(pt, "duration_s"), *w = find_metric(pt, "warmup_s");
    if (!d || !(d->mean > 0)) return;
    pt->total_s = d->mean;
    pt->measured_s = d->mean - (w ? w->mean : 0);
    if (!(pt->measured_s > 0)) pt->measured_s = pt->total_s = 0;
}

static int read_summary(side_t *s, char *err, size_t errlen)
{
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(s->json, "points");
    int n = cJSON_GetArraySize(pts);
    if (n == 0) {
        snprintf(err, errlen, "%s: $.points: a sweep summary with no points", s->file);
        return -2;
    }
    s->pts = calloc((size_t)n, sizeof *s->pts);
    if (!s->pts) return -1;
    int i = 0;
    for (const cJSON *p = pts->child; p; p = p->next, i++) {
        point_t *pt = &s->pts[s->n++];
        pt->index = i;
        if (point_names(cJSON_GetObjectItemCaseSensitive(p, "parameters"), pt) != 0) return -1;
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(p, "metrics");
        pt->m = calloc((size_t)cJSON_GetArraySize(ms) + 1, sizeof *pt->m);
        if (!pt->m) return -1;
        for (const cJSON *m = ms->child; m; m = m->next) {
            const cJSON *mean = cJSON_GetObjectItemCaseSensitive(m, "mean");
            const cJSON *ci = cJSON_GetObjectItemCaseSensitive(m, "ci95");
            if (!cJSON_IsNumber(mean) || !cJSON_IsNumber(ci) || ci->valuedouble < 0) {
                snprintf(err, errlen, "%s: $.points[%d].metrics[\"%s\"]: expected {\"mean\": number, \"ci95\": non-negative number}",
                         s->file, i, m->string);
                return -2;
            }
            pt->m[pt->n++] = (metric_t){ m->string, mean->valuedouble, ci->valuedouble };
        }
        point_durations(pt);
        for (int j = 0; j < i; j++)
            if (strcmp(s->pts[j].key, pt->key) == 0) {
                snprintf(err, errlen, "%s: $.points[%d].parameters: the same parameters as point %d", s->file, i, j);
                return -2;
            }
    }
    return 0;
}

static int read_side(const char *path, side_t *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->json = results_load(path, &s->file, err, errlen);
    if (!s->json) return errno == ENOMEM ? -1 : -2;
    if (results_is_summary(s->json)) {
        s->summary = true;
        return read_summary(s, err, errlen);
    }
    if (results_is_catchments(s->json)) {
        snprintf(err, errlen, "%s: $: a catchments report (cdnsim catchments), not a result: compare "
                              "takes runs' results or sweeps' summaries (the catchments a run saw are "
                              "in its result, under \"catchments\")", s->file);
        return -2;
    }
    if (!results_is_run(s->json)) {
        snprintf(err, errlen, "%s: $: not a cdnsim result (expected a run's result JSON with "
                              "\"requests\" and \"hit_ratio\", or a sweep's summary.json with \"points\")",
                 s->file);
        return -2;
    }
    if (results_flatten(s->json, &s->flat) != 0) return -1;
    s->pts = calloc(1, sizeof *s->pts);
    if (!s->pts) return -1;
    s->n = 1;
    point_t *pt = s->pts;
    pt->label = strdup("");
    pt->key = strdup("");
    pt->m = calloc(s->flat.n + 1, sizeof *pt->m);
    if (!pt->label || !pt->key || !pt->m) return -1;
    for (size_t i = 0; i < s->flat.n; i++)
        pt->m[pt->n++] = (metric_t){ s->flat.f[i].name, s->flat.f[i].value, 0 };
    point_durations(pt);
    return 0;
}

static const metric_t *find_metric(const point_t *pt, const char *name)
{
    for (size_t i = 0; i < pt->n; i++)
        if (strcmp(pt->m[i].name, name) == 0) return &pt->m[i];
    return NULL;
}

static void metric_path(const side_t *s, const point_t *pt, const char *metric, char *buf, size_t len)
{
    if (s->summary) snprintf(buf, len, "$.points[%d].metrics[\"%s\"]", pt->index, metric);
    else snprintf(buf, len, "$.%s", metric);
}

/* ---- judging ------------------------------------------------------------------ */

/* Counts grow with the measured time, so runs of different lengths are
 * compared per second of it: 1 for a count over the measured period, 2 for a
 * count over the whole run (warm-up included), 0 for anything else (ratios,
 * latencies, sizes, states). */
static int count_kind(const char *name)
{
    static const char *const whole[] = { "events", "requests_sent", "trace.requests", NULL };
    static const char *const last[] = { "requests", "hits", "bytes", "errors", "refused", NULL };
    for (int i = 0; whole[i]; i++)
        if (strcmp(name, whole[i]) == 0) return 2;
    if (!strncmp(name, "status.", 7) || strstr(name, ".status.") || !strncmp(name, "tier_bytes.", 11))
        return 1;
    if (!strncmp(name, "memory.", 7) || !strncmp(name, "catchments.", 11)) return 0;
    const char *dot = strrchr(name, '.'), *tail = dot ? dot + 1 : name;
    for (int i = 0; last[i]; i++)
        if (strcmp(tail, last[i]) == 0) return 1;
    return 0;
}

/* The metric as compared: a count divided by its span when both files say
 * how long they ran (else as is); *per_s says which. */
static metric_t as_compared(const metric_t *m, const point_t *pt, const point_t *other, bool *per_s)
{
    metric_t r = *m;
    int k = count_kind(m->name);
    double span = k == 1 ? pt->measured_s : k == 2 ? pt->total_s : 0;
    double other_span = k == 1 ? other->measured_s : k == 2 ? other->total_s : 0;
    *per_s = span > 0 && other_span > 0;
    if (*per_s) { r.mean /= span; r.ci /= span; }
    return r;
}

static void fmt_value(char *buf, size_t len, const metric_t *m)
{
    if (m->ci > 0) snprintf(buf, len, "%.6g +- %.3g", m->mean, m->ci);
    else snprintf(buf, len, "%.6g", m->mean);
}

typedef struct judging {
    strbuf_t table, regress;     /* the table; the closing list of regressions */
    cJSON *cases;                /* the verdict's "comparisons" */
} judging_t;

static const char *const kind_names[] = { "ok", "regression", "noise", "better" };

/* One row; returns the verdict's kind: 1 regression, 2 noise, 3 better, 0 ok
 * (-1 unjudged, with w NULL). */
static int judge(judging_t *j, const point_t *bp, const point_t *cp, const char *name,
                 const metric_t *bm, const metric_t *cm, const watch_t *w)
{
    char bv[64], cv[64], dv[64], verdict[96], shown[160], lim[48] = "";
    bool per_s, per_s_c;
    metric_t b = as_compared(bm, bp, cp, &per_s), c = as_compared(cm, cp, bp, &per_s_c);
    double delta = c.mean - b.mean;
    snprintf(shown, sizeof shown, "%s%s", name, per_s ? " /s" : "");
    fmt_value(bv, sizeof bv, &b);
    fmt_value(cv, sizeof cv, &c);
    if (b.mean != 0) snprintf(dv, sizeof dv, "%+.4g (%+.2f%%)", delta, 100 * delta / fabs(b.mean));
    else snprintf(dv, sizeof dv, "%+.4g", delta);
    int kind = 0;
    double limit = 0;
    if (!w) {
        snprintf(verdict, sizeof verdict, "-");
        kind = -1;
    } else {
        limit = w->relative ? w->limit * fabs(b.mean) : w->limit;
        double worse = higher_is_better(name) ? -delta : delta; /* > 0: worse */
        bool noisy = fabs(delta) <= b.ci + c.ci;
        if (w->relative) snprintf(lim, sizeof lim, "%.4g%%", 100 * w->limit);
        else snprintf(lim, sizeof lim, "%.4g", w->limit);
        if (worse > limit && !noisy) { kind = 1; snprintf(verdict, sizeof verdict, "REGRESSION (worse by more than %s)", lim); }
        else if (worse > limit) { kind = 2; snprintf(verdict, sizeof verdict, "noise (worse by more than %s, inside the 95%% intervals)", lim); }
        else if (-worse > limit && !noisy) { kind = 3; snprintf(verdict, sizeof verdict, "better"); }
        else snprintf(verdict, sizeof verdict, "ok (within %s)", lim);
    }
    strbuf_printf(&j->table, "  %-26s %-24s %-24s %-22s %s\n", shown, bv, cv, dv, verdict);
    if (kind == 1)
        strbuf_printf(&j->regress, "  %s%s%s%s: %s -> %s, delta %s, worse by more than %s\n",
                      *bp->label ? "point " : "", *bp->label ? bp->label : "", *bp->label ? ": " : "",
                      shown, bv, cv, dv, lim);
    if (kind >= 0 && j->cases) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "point", bp->label);
        cJSON_AddStringToObject(o, "metric", name);
        cJSON_AddStringToObject(o, "unit", per_s ? "per_second" : "value");
        cJSON_AddNumberToObject(o, "baseline", b.mean);
        cJSON_AddNumberToObject(o, "candidate", c.mean);
        cJSON_AddNumberToObject(o, "baseline_ci95", b.ci);
        cJSON_AddNumberToObject(o, "candidate_ci95", c.ci);
        cJSON_AddNumberToObject(o, "delta", delta);
        cJSON_AddNumberToObject(o, "tolerance", w->limit);
        cJSON_AddBoolToObject(o, "tolerance_relative", w->relative);
        cJSON_AddStringToObject(o, "verdict", kind_names[kind]);
        cJSON_AddItemToArray(j->cases, o);
    }
    return kind;
}

static const point_t *match(const side_t *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->pts[i].key, key) == 0) return &s->pts[i];
    return NULL;
}

/* The watched list: the defaults with the overrides applied, then the
 * overrides that name other metrics. */
static int watched(const compare_opts_t *o, watch_t *w, int max)
{
    int n = 0;
    for (size_t i = 0; i < NDEFAULTS; i++) w[n++] = defaults[i];
    for (int i = 0; o && i < o->ntols; i++) {
        int j = 0;
        while (j < n && strcmp(w[j].metric, o->tols[i].metric) != 0) j++;
        if (j == n) {
            if (n == max) continue;
            n++;
        }
        w[j] = (watch_t){ o->tols[i].metric, o->tols[i].limit, o->tols[i].relative };
    }
    return n;
}

static int check_related(const side_t *b, const side_t *c, char *err, size_t errlen)
{
    if (b->summary != c->summary) {
        snprintf(err, errlen, "%s: $: a %s, but %s is a %s: compare runs with runs and sweeps with sweeps",
                 c->file, c->summary ? "sweep summary" : "single run's result", b->file,
                 b->summary ? "sweep summary" : "single run's result");
        return -2;
    }
    for (size_t i = 0; i < b->n; i++)
        if (!match(c, b->pts[i].key)) {
            snprintf(err, errlen, "%s: $.points[%d].parameters: baseline point (%s) is not in %s: the two sweeps cover different points",
                     b->file, b->pts[i].index, b->pts[i].label, c->file);
            return -2;
        }
    for (size_t i = 0; i < c->n; i++)
        if (!match(b, c->pts[i].key)) {
            snprintf(err, errlen, "%s: $.points[%d].parameters: candidate point (%s) is not in %s: the two sweeps cover different points",
                     c->file, c->pts[i].index, c->pts[i].label, b->file);
            return -2;
        }
    return 0;
}

static int check_metrics(const side_t *s, const watch_t *w, int nw, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < nw; k++)
            if (!find_metric(&s->pts[i], w[k].metric)) {
                char at[256];
                metric_path(s, &s->pts[i], w[k].metric, at, sizeof at);
                const point_t *pt = &s->pts[i];
                const char **names = calloc(pt->n + 1, sizeof *names);
                for (size_t m = 0; names && m < pt->n; m++) names[m] = pt->m[m].name;
                const char *near = names ? cfg_nearest(w[k].metric, names, (int)pt->n) : NULL;
                if (near)
                    snprintf(err, errlen, "%s: %s: watched metric missing; did you mean \"%s\"?", s->file, at, near);
                else
                    snprintf(err, errlen, "%s: %s: watched metric missing (not a numeric result field)", s->file, at);
                free(names);
                return -2;
            }
    return 0;
}

/* ---- what differs besides the numbers ------------------------------------------- */

/* Leaf paths of a JSON object (config), with their values printed. */
static void leaves(const cJSON *o, const char *prefix, cJSON *out)
{
    for (const cJSON *m = o ? o->child : NULL; m; m = m->next) {
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", m->string ? m->string : "?");
        if (cJSON_IsObject(m)) { leaves(m, name, out); continue; }
        char *v = cJSON_PrintUnformatted(m);
        cJSON_AddItemToObject(out, name, cJSON_CreateString(v ? v : "?"));
        cJSON_free(v);
    }
}

static const cJSON *side_config(const side_t *s)
{
    return cJSON_GetObjectItemCaseSensitive(s->json, s->summary ? "base" : "config");
}

/* The config keys whose values differ (seed and name apart: other seeds are
 * the point of replications, and a name says nothing of the model). */
static void config_diff(const side_t *b, const side_t *c, strbuf_t *keys, strbuf_t *wl)
{
    cJSON *lb = cJSON_CreateObject(), *lc = cJSON_CreateObject();
    leaves(side_config(b), "", lb);
    leaves(side_config(c), "", lc);
    int n = 0, nw = 0;
    for (int pass = 0; pass < 2; pass++)
        for (const cJSON *m = (pass ? lc : lb)->child; m; m = m->next) {
            if (!strcmp(m->string, "seed") || !strcmp(m->string, "name")) continue;
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(pass ? lb : lc, m->string);
            if (pass && o) continue; /* seen in the first pass */
            if (o && !strcmp(o->valuestring, m->valuestring)) continue;
            bool workload = !strncmp(m->string, "workload.", 9);
            strbuf_t *t = workload ? wl : keys;
            int *k = workload ? &nw : &n;
            const char *bv = pass ? "absent" : m->valuestring, *cv = pass ? m->valuestring : o ? o->valuestring : "absent";
            strbuf_printf(t, "%s%s (%s vs %s)", (*k)++ ? ", " : "", m->string, bv, cv);
        }
    cJSON_Delete(lb);
    cJSON_Delete(lc);
}

static void warn(judging_t *j, cJSON *warnings, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(judging_t *j, cJSON *warnings, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    strbuf_printf(&j->table, "warning: %s\n", msg);
    if (warnings) cJSON_AddItemToArray(warnings, cJSON_CreateString(msg));
}

static void differences(judging_t *j, const side_t *b, const side_t *c, cJSON *warnings)
{
    /* runs of differently named scenarios may be a what-if or a mistake:
     * compare them, but say so */
    const cJSON *bn = cJSON_GetObjectItemCaseSensitive(b->json, "scenario");
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(c->json, "scenario");
    if (cJSON_IsString(bn) && cJSON_IsString(cn) && strcmp(bn->valuestring, cn->valuestring) != 0)
        warn(j, warnings, "the scenarios differ (\"%s\" and \"%s\")", bn->valuestring, cn->valuestring);
    const point_t *bp = &b->pts[0], *cp = match(c, bp->key);
    if (cp && (bp->total_s != cp->total_s || bp->measured_s != cp->measured_s)) {
        if (bp->measured_s > 0 && cp->measured_s > 0)
            warn(j, warnings, "the durations differ (%.6g s and %.6g s measured, %.6g s and %.6g s in all): "
                 "counts are compared as rates per second of measured time", bp->measured_s,
                 cp->measured_s, bp->total_s, cp->total_s);
        else
            warn(j, warnings, "%s does not say how long it ran (duration_s): counts are compared as counts",
                 bp->measured_s > 0 ? c->file : b->file);
    }
    const side_t *bare = !side_config(b) ? b : !side_config(c) ? c : NULL;
    if (bare) {
        warn(j, warnings, "%s carries no %s (a result from before provenance): configs not compared",
             bare->file, bare->summary ? "base scenario" : "config");
        return;
    }
    strbuf_t keys = { 0 }, wl = { 0 };
    config_diff(b, c, &keys, &wl);
    if (wl.len) warn(j, warnings, "the workloads differ: %s", wl.s);
    if (keys.len) warn(j, warnings, "the configs differ: %s", keys.s);
    strbuf_free(&keys);
    strbuf_free(&wl);
}

int compare_files(const char *baseline, const char *candidate, const compare_opts_t *o,
                  compare_outcome_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    side_t b, c;
    memset(&c, 0, sizeof c);
    watch_t w[NDEFAULTS + 64];
    int nw = watched(o, w, (int)(sizeof w / sizeof w[0]));
    judging_t j = { { 0 }, { 0 }, NULL };
    cJSON *verdict = NULL, *warnings = NULL;
    int rc = read_side(baseline, &b, err, errlen);
    if (rc == 0) rc = read_side(candidate, &c, err, errlen);
    if (rc == 0) rc = check_related(&b, &c, err, errlen);
    if (rc == 0) rc = check_metrics(&b, w, nw, err, errlen);
    if (rc == 0) rc = check_metrics(&c, w, nw, err, errlen);
    if (rc != 0) {
        if (rc == -1) snprintf(err, errlen, "out of memory");
        goto done;
    }
    verdict = cJSON_CreateObject();
    cJSON_AddStringToObject(verdict, "baseline", b.file);
    cJSON_AddStringToObject(verdict, "candidate", c.file);
    warnings = cJSON_AddArrayToObject(verdict, "warnings");
    strbuf_printf(&j.table, "baseline:  %s\ncandidate: %s\n", b.file, c.file);
    differences(&j, &b, &c, warnings);
    j.cases = cJSON_CreateArray();
    for (size_t i = 0; i < b.n; i++) {
        const point_t *bp = &b.pts[i], *cp = match(&c, bp->key);
        if (b.summary) strbuf_printf(&j.table, "\npoint %d: %s\n", bp->index, *bp->label ? bp->label : "(base)");
        else strbuf_printf(&j.table, "\n");
        strbuf_printf(&j.table, "  %-26s %-24s %-24s %-22s %s\n", "metric", "baseline", "candidate", "delta", "verdict");
        for (int k = 0; k < nw; k++) {
            int kind = judge(&j, bp, cp, w[k].metric, find_metric(bp, w[k].metric), find_metric(cp, w[k].metric), &w[k]);
            out->compared++;
            out->regressions += kind == 1;
            out->noise += kind == 2;
            out->improvements += kind == 3;
        }
        for (size_t m = 0; o && o->all && m < bp->n; m++) {
            bool is_watched = false;
            for (int k = 0; k < nw && !is_watched; k++) is_watched = strcmp(w[k].metric, bp->m[m].name) == 0;
            const metric_t *cm = find_metric(cp, bp->m[m].name);
            if (!is_watched && cm) judge(&j, bp, cp, bp->m[m].name, &bp->m[m], cm, NULL);
        }
    }
    strbuf_printf(&j.table, "\n%d regression%s, %d improvement%s, %d within noise, in %d watched comparison%s\n",
        out->regressions, out->regressions == 1 ? "" : "s", out->improvements,
        out->improvements == 1 ? "" : "s", out->noise, out->compared, out->compared == 1 ? "" : "s");
    if (out->regressions) strbuf_printf(&j.table, "regressions:\n%s", strbuf_text(&j.regress));
    else strbuf_printf(&j.table, "no regressions\n");
    cJSON_AddStringToObject(verdict, "verdict", out->regressions ? "fail" : "pass");
    cJSON_AddNumberToObject(verdict, "compared", out->compared);
    cJSON_AddNumberToObject(verdict, "regressions", out->regressions);
    cJSON_AddNumberToObject(verdict, "improvements", out->improvements);
    cJSON_AddNumberToObject(verdict, "noise", out->noise);
    cJSON_AddItemToObject(verdict, "comparisons", j.cases);
    j.cases = NULL;
    out->nwarnings = cJSON_GetArraySize(warnings);
    if (j.table.failed || j.regress.failed) { snprintf(err, errlen, "out of memory"); rc = -1; goto done; }
    out->table = j.table.s;
    j.table.s = NULL;
    out->verdict = verdict;
    verdict = NULL;
done:
    cJSON_Delete(verdict);
    cJSON_Delete(j.cases);
    strbuf_free(&j.table);
    strbuf_free(&j.regress);
    side_free(&b);
    side_free(&c);
    return rc;
}

/* Escapes text for an XML attribute or element. */
static void xml_text(strbuf_t *t, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': strbuf_printf(t, "&amp;"); break;
        case '<': strbuf_printf(t, "&lt;"); break;
        case '>': strbuf_printf(t, "&gt;"); break;
        case '"': strbuf_printf(t, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t') strbuf_printf(t, " ");
            else strbuf_put(t, s, 1);
        }
    }
}

char *compare_junit(const compare_outcome_t *out)
{
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(out->verdict, "comparisons");
    strbuf_t t = { 0 };
    int n = cJSON_GetArraySize(cases);
    strbuf_printf(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites tests=\"%d\" failures=\"%d\">\n"
                      "  <testsuite name=\"cdnsim compare\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n",
                  n, out->regressions, n, out->regressions);
    for (const cJSON *c = cases ? cases->child : NULL; c; c = c->next) {
        const char *point = cJSON_GetObjectItemCaseSensitive(c, "point")->valuestring;
        const char *metric = cJSON_GetObjectItemCaseSensitive(c, "metric")->valuestring;
        const char *v = cJSON_GetObjectItemCaseSensitive(c, "verdict")->valuestring;
        char b[40], cv[40];
        results_format_number(b, sizeof b, cJSON_GetObjectItemCaseSensitive(c, "baseline")->valuedouble);
        results_format_number(cv, sizeof cv, cJSON_GetObjectItemCaseSensitive(c, "candidate")->valuedouble);
        strbuf_printf(&t, "    <testcase classname=\"");
        xml_text(&t, *point ? point : "run");
        strbuf_printf(&t, "\" name=\"");
        xml_text(&t, metric);
        strbuf_printf(&t, "\">");
        if (!strcmp(v, "regression")) {
            strbuf_printf(&t, "\n      <failure message=\"");
            xml_text(&t, metric);
            strbuf_printf(&t, " regressed: %s -&gt; %s\" type=\"regression\"/>\n    ", b, cv);
        } else {
            strbuf_printf(&t, "<system-out>%s: %s -&gt; %s</system-out>", v, b, cv);
        }
        strbuf_printf(&t, "</testcase>\n");
    }
    strbuf_printf(&t, "  </testsuite>\n</testsuites>\n");
    if (t.failed) { strbuf_free(&t); return NULL; }
    return t.s;
}

void compare_outcome_free(compare_outcome_t *out)
{
    free(out->table);
    out->table = NULL;
    cJSON_Delete(out->verdict);
    out->verdict = NULL;
}
