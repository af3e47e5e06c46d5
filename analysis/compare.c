/* compare — reading two results as lists of points and judging each watched
 * metric; see compare.h.
 *
 * Both inputs are first turned into the same shape: a list of points, each a
 * match key (its parameters, sorted by name, so key order in the files does
 * not matter) and a list of (metric, mean, ci95). A single run is one point
 * with no parameters and no intervals. Only then are they judged, so the
 * verdict logic is written once for both kinds of input. */
#include "analysis/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis/results.h"
#include "analysis/strbuf.h"

typedef struct metric {
    const char *name;    /* borrowed from the flat list or the JSON */
    double mean, ci;
} metric_t;

typedef struct point {
    char *label;         /* "k=v k=v" in file order, for the table */
    char *key;           /* the same sorted by parameter name, for matching */
    int index;           /* position in the file, for messages */
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
    if (!s->json) return -2;
    if (results_is_summary(s->json)) {
        s->summary = true;
        return read_summary(s, err, errlen);
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

static void fmt_value(char *buf, size_t len, const metric_t *m)
{
    if (m->ci > 0) snprintf(buf, len, "%.6g +- %.3g", m->mean, m->ci);
    else snprintf(buf, len, "%.6g", m->mean);
}

/* One row; returns the verdict's kind: 1 regression, 2 noise, 3 better, 0 ok. */
static int judge(strbuf_t *t, const char *name, const metric_t *b, const metric_t *c, const watch_t *w)
{
    char bv[64], cv[64], dv[64], verdict[96];
    double delta = c->mean - b->mean;
    fmt_value(bv, sizeof bv, b);
    fmt_value(cv, sizeof cv, c);
    if (b->mean != 0) snprintf(dv, sizeof dv, "%+.4g (%+.2f%%)", delta, 100 * delta / fabs(b->mean));
    else snprintf(dv, sizeof dv, "%+.4g", delta);
    int kind = 0;
    if (!w) {
        snprintf(verdict, sizeof verdict, "-");
        kind = -1;
    } else {
        double limit = w->relative ? w->limit * fabs(b->mean) : w->limit;
        double worse = higher_is_better(name) ? -delta : delta; /* > 0: worse */
        bool noisy = fabs(delta) <= b->ci + c->ci;
        char lim[48];
        if (w->relative) snprintf(lim, sizeof lim, "%.4g%%", 100 * w->limit);
        else snprintf(lim, sizeof lim, "%.4g", w->limit);
        if (worse > limit && !noisy) { kind = 1; snprintf(verdict, sizeof verdict, "REGRESSION (worse by more than %s)", lim); }
        else if (worse > limit) { kind = 2; snprintf(verdict, sizeof verdict, "noise (worse by more than %s, inside the 95%% intervals)", lim); }
        else if (-worse > limit && !noisy) { kind = 3; snprintf(verdict, sizeof verdict, "better"); }
        else snprintf(verdict, sizeof verdict, "ok (within %s)", lim);
    }
    strbuf_printf(t, "  %-22s %-24s %-24s %-22s %s\n", name, bv, cv, dv, verdict);
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
                snprintf(err, errlen, "%s: %s: watched metric missing (not a numeric result field)", s->file, at);
                return -2;
            }
    return 0;
}

int compare_files(const char *baseline, const char *candidate, const compare_opts_t *o,
                  compare_outcome_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    side_t b, c;
    memset(&c, 0, sizeof c);
    watch_t w[NDEFAULTS + 64];
    int nw = watched(o, w, (int)(sizeof w / sizeof w[0]));
    strbuf_t t = { 0 };
    int rc = read_side(baseline, &b, err, errlen);
    if (rc == 0) rc = read_side(candidate, &c, err, errlen);
    if (rc == 0) rc = check_related(&b, &c, err, errlen);
    if (rc == 0) rc = check_metrics(&b, w, nw, err, errlen);
    if (rc == 0) rc = check_metrics(&c, w, nw, err, errlen);
    if (rc != 0) {
        if (rc == -1) snprintf(err, errlen, "out of memory");
        goto done;
    }
    strbuf_printf(&t, "baseline:  %s\ncandidate: %s\n", b.file, c.file);
    /* runs of differently named scenarios may be a what-if or a mistake:
     * compare them, but say so */
    const cJSON *bn = cJSON_GetObjectItemCaseSensitive(b.json, "scenario");
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(c.json, "scenario");
    if (cJSON_IsString(bn) && cJSON_IsString(cn) && strcmp(bn->valuestring, cn->valuestring) != 0)
        strbuf_printf(&t, "note: the scenarios differ (\"%s\" and \"%s\")\n", bn->valuestring, cn->valuestring);
    for (size_t i = 0; i < b.n; i++) {
        const point_t *bp = &b.pts[i], *cp = match(&c, bp->key);
        if (b.summary) strbuf_printf(&t, "\npoint %d: %s\n", bp->index, *bp->label ? bp->label : "(base)");
        else strbuf_printf(&t, "\n");
        strbuf_printf(&t, "  %-22s %-24s %-24s %-22s %s\n", "metric", "baseline", "candidate", "delta", "verdict");
        for (int k = 0; k < nw; k++) {
            int kind = judge(&t, w[k].metric, find_metric(bp, w[k].metric), find_metric(cp, w[k].metric), &w[k]);
            out->compared++;
            out->regressions += kind == 1;
            out->noise += kind == 2;
            out->improvements += kind == 3;
        }
        for (size_t m = 0; o && o->all && m < bp->n; m++) {
            bool is_watched = false;
            for (int k = 0; k < nw && !is_watched; k++) is_watched = strcmp(w[k].metric, bp->m[m].name) == 0;
            const metric_t *cm = find_metric(cp, bp->m[m].name);
            if (!is_watched && cm) judge(&t, bp->m[m].name, &bp->m[m], cm, NULL);
        }
    }
    strbuf_printf(&t, "\n%d regression%s, %d improvement%s, %d within noise, in %d watched comparison%s\n",
        out->regressions, out->regressions == 1 ? "" : "s", out->improvements,
        out->improvements == 1 ? "" : "s", out->noise, out->compared, out->compared == 1 ? "" : "s");
    if (t.failed) { snprintf(err, errlen, "out of memory"); rc = -1; free(t.s); goto done; }
    out->table = t.s;
done:
    side_free(&b);
    side_free(&c);
    return rc;
}

void compare_outcome_free(compare_outcome_t *out)
{
    free(out->table);
    out->table = NULL;
}
