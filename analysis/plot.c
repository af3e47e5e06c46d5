/* plot — gnuplot figures of runs and sweeps; see plot.h.
 *
 * Every figure is made the same way: data text and script text are built in
 * memory, written atomically, and then (when gnuplot exists) the script runs
 * in the output folder, so scripts name their data files without folders and
 * the folder can be moved and replotted. */
#include "analysis/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/analytic.h"
#include "analysis/results.h"
#include "sim/cfg.h"
#include "sim/output.h"

#define GRID 40            /* points on an analytic curve */
#define MAX_POPS_SHOWN 40  /* bars in the per-PoP chart */
#define MAX_SERIES 64

/* ---- reusable helpers ----------------------------------------------------------- */

int plot_format_parse(const char *name, plot_format_t *out)
{
    if (strcmp(name, "png") == 0) { *out = PLOT_PNG; return 0; }
    if (strcmp(name, "svg") == 0) { *out = PLOT_SVG; return 0; }
    return -1;
}

const char *plot_format_ext(plot_format_t f) { return f == PLOT_SVG ? "svg" : "png"; }

void plot_terminal(strbuf_t *s, plot_format_t f, const char *stem, int w, int h)
{
    /* noenhanced: metric names hold underscores, which would be subscripts */
    if (f == PLOT_SVG) strbuf_printf(s, "set terminal svg size %d,%d dynamic noenhanced background '#ffffff'\n", w, h);
    else strbuf_printf(s, "set terminal pngcairo size %d,%d noenhanced\n", w, h);
    strbuf_printf(s, "set output '%s.%s'\n", stem, plot_format_ext(f));
}

void plot_quote(strbuf_t *b, const char *s)
{
    strbuf_put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\') strbuf_put(b, "\\", 1);
        if (*p == '\n') { strbuf_put(b, " ", 1); continue; }
        strbuf_put(b, p, 1);
    }
    strbuf_put(b, "\"", 1);
}

char *plot_find_gnuplot(void)
{
    const char *env = getenv("CDNSIM_GNUPLOT");
    if (env) return *env && access(env, X_OK) == 0 ? strdup(env) : NULL;
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    char *copy = strdup(path), *save = NULL, *found = NULL;
    for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found; d = strtok_r(NULL, ":", &save)) {
        char cand[4096];
        snprintf(cand, sizeof cand, "%s/gnuplot", *d ? d : ".");
        if (access(cand, X_OK) == 0) found = strdup(cand);
    }
    free(copy);
    return found;
}

int plot_write(const char *dir, const char *name, const strbuf_t *b, char *err, size_t errlen)
{
    const char *text = strbuf_text(b);
    if (!text) { snprintf(err, errlen, "%s/%s: out of memory", dir, name); return -1; }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return output_write_atomic(path, text, err, errlen);
}

int plot_run_gnuplot(const char *gnuplot, const char *dir, const char *script, char *err, size_t errlen)
{
    char log[4096];
    snprintf(log, sizeof log, "%s/gnuplot.log", dir);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) { snprintf(err, errlen, "fork: %s", strerror(errno)); return -1; }
    if (pid == 0) {
        /* non-blocking and checked: a FIFO or device left at the log's
         * name must fail the plot, not hang it or write into the device */
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_NOCTTY, 0644);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || chdir(dir) != 0) _exit(127);
        fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
        execl(gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) { snprintf(err, errlen, "waitpid: %s", strerror(errno)); return -1; }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "%s/%s: gnuplot failed; its messages are in %s", dir, script, log);
        return -1;
    }
    return 0;
}

/* mkdir -p; -2 when a component's name is taken by something that is not a
 * folder (a file, a FIFO, a device): bad input, refused before any write */
static int make_dirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; ; p++) {
        if (*p != '/' && *p) continue;
        char c = *p;
        *p = 0;
        struct stat st;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
            return -1;
        }
        if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: not a folder", buf);
            return -2;
        }
        *p = c;
        if (!c) break;
    }
    return 0;
}

char *plot_default_dir(const char *input)
{
    struct stat st;
    size_t n = strlen(input);
    char *out = malloc(n + 16);
    if (!out) return NULL;
    if (stat(input, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(out, n + 16, "%s/plots", input);
    } else if (n >= 12 && strcmp(input + n - 12, "summary.json") == 0 &&
               (n == 12 || input[n - 13] == '/')) {
        snprintf(out, n + 16, "%.*splots", (int)(n - 12), input);
    } else {
        if (n > 5 && strcmp(input + n - 5, ".json") == 0) n -= 5;
        snprintf(out, n + 16, "%.*s-plots", (int)n, input);
    }
    return out;
}

/* ---- the figure pipeline ----------------------------------------------------------- */

typedef struct figs {
    const char *dir;
    plot_format_t f;
    char *gnuplot;      /* NULL: write scripts only */
    plot_outcome_t *out;
    strbuf_t notes;
} figs_t;

/* Writes the data and the script of figure `stem` and runs it. */
static int emit(figs_t *g, const char *stem, const strbuf_t *data, const char *data_name,
                const strbuf_t *script, const char *what, char *err, size_t errlen)
{
    char name[512];
    if (data && plot_write(g->dir, data_name, data, err, errlen) != 0) return -1;
    snprintf(name, sizeof name, "%s.gp", stem);
    if (plot_write(g->dir, name, script, err, errlen) != 0) return -1;
    g->out->figures++;
    if (g->gnuplot) {
        if (plot_run_gnuplot(g->gnuplot, g->dir, name, err, errlen) != 0) return -1;
        g->out->images++;
        strbuf_printf(&g->notes, "%s/%s.%s: %s\n", g->dir, stem, plot_format_ext(g->f), what);
    } else {
        strbuf_printf(&g->notes, "%s/%s: %s (script only)\n", g->dir, name, what);
    }
    return 0;
}

static double num_at(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void data_string(strbuf_t *b, const char *s)
{
    plot_quote(b, s);
}

/* ---- a single run ----------------------------------------------------------------- */

/* The run's operations (`operations`: at_s, kind, target) as dashed red
 * lines across every panel, named at the top of the first. */
static int op_markers(strbuf_t *s, const cJSON *res)
{
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(res, "operations");
    int n = 0;
    for (const cJSON *o = cJSON_IsArray(ops) ? ops->child : NULL; o; o = o->next) {
        double at = num_at(o, "at_s", NAN);
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
        const cJSON *target = cJSON_GetObjectItemCaseSensitive(o, "target");
        if (!isfinite(at)) continue;
        char name[160];
        snprintf(name, sizeof name, "%s%s%s", cJSON_IsString(kind) ? kind->valuestring : "operation",
                 cJSON_IsString(target) ? " " : "", cJSON_IsString(target) ? target->valuestring : "");
        strbuf_printf(s, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 lc rgb '#c0392b' front\n"
                         "set label ", at, at);
        plot_quote(s, name);
        /* staggered, so operations close in time do not print over each other */
        strbuf_printf(s, " at %.10g, graph %.2f offset 0.4,0 tc rgb '#c0392b' font ',9' front boxed\n", at,
                      0.93 - 0.09 * (n % 3));
        n++;
    }
    if (n) strbuf_printf(s, "set style textbox opaque noborder\n");
    return n;
}

static int run_timeseries(figs_t *g, const cJSON *res, const char *title, char *err, size_t errlen)
{
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(res, "timeseries");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(ts, "t_s");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(ts, "requests");
    const cJSON *hr = cJSON_GetObjectItemCaseSensitive(ts, "hit_ratio");
    const cJSON *orps = cJSON_GetObjectItemCaseSensitive(ts, "origin_rps");
    if (!cJSON_IsArray(t) || cJSON_GetArraySize(t) == 0) {
        strbuf_printf(&g->notes, "no time series in the result: timeseries figure skipped\n");
        return 0;
    }
    strbuf_t d = { 0 }, s = { 0 };
    /* Rates per second, not counts per interval, so the last interval (cut
     * short by the end of the run) is comparable with the others; a closing
     * row at the end time makes the last step visible. */
    double step = num_at(ts, "interval_s", 60), end = num_at(res, "duration_s", NAN);
    double warm = num_at(res, "warmup_s", 0);
    strbuf_printf(&d, "# t_s requests_per_s hit_ratio origin_rps (rates over each interval)\n");
    double last[4] = { 0 };
    /* four cursors in step (cJSON_GetArrayItem(x, i) would walk from the head
     * each time); a shorter series reads as missing from its end on */
    const cJSON *a = cJSON_IsArray(req) ? req->child : NULL, *b = cJSON_IsArray(hr) ? hr->child : NULL;
    const cJSON *c = cJSON_IsArray(orps) ? orps->child : NULL;
    for (const cJSON *ti = t->child; ti; ti = ti->next, a = a ? a->next : NULL, b = b ? b->next : NULL,
                                         c = c ? c->next : NULL) {
        double t0 = ti->valuedouble, len = step;
        if (isfinite(end) && end - t0 < len && end > t0) len = end - t0;
        last[0] = t0 + len;
        last[1] = cJSON_IsNumber(a) ? a->valuedouble / len : NAN;
        last[2] = cJSON_IsNumber(b) ? b->valuedouble : NAN;
        /* origin_rps is per full interval: rescale a short last one */
        last[3] = cJSON_IsNumber(c) ? c->valuedouble * step / len : NAN;
        strbuf_printf(&d, "%.10g %.10g %.10g %.10g\n", t0, last[1], last[2], last[3]);
    }
    strbuf_printf(&d, "%.10g %.10g %.10g %.10g\n", last[0], last[1], last[2], last[3]);
    plot_terminal(&s, g->f, "timeseries", 1000, 900);
    /* one left margin for the three panels, so their time axes line up */
    strbuf_printf(&s, "set datafile missing 'nan'\nset grid\nset key off\nset lmargin 12\n");
    if (warm > 0)
        strbuf_printf(&s, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 3 lc rgb '#808080'\n"
                          "set label 'warm-up ends' at %.10g, graph 0.08 offset 0.5,0 tc rgb '#606060'\n",
                      warm, warm, warm);
    int nops = op_markers(&s, res);
    strbuf_printf(&s, "set multiplot layout 3,1 title ");
    plot_quote(&s, title);
    strbuf_printf(&s, "\nset xlabel 'virtual time (s)'\n"
                      "set ylabel 'requests/s'\nset yrange [0:*]\n"
                      "plot 'timeseries.dat' using 1:2 with steps lw 2\n"
                      "unset label\n"
                      "set ylabel 'hit ratio'\nset yrange [0:1]\n"
                      "plot 'timeseries.dat' using 1:3 with steps lw 2\n"
                      "set ylabel 'origin requests/s'\nset yrange [0:*]\n"
                      "plot 'timeseries.dat' using 1:4 with steps lw 2\n"
                      "unset multiplot\n");
    char what[160];
    snprintf(what, sizeof what, "requests/s, hit ratio and origin requests/s per interval%s",
             nops ? ", operations marked" : "");
    int rc = emit(g, "timeseries", &d, "timeseries.dat", &s, what, err, errlen);
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}

/* The PoPs' own series (timeseries.pops): requests/s, hit ratio and p99 per
 * PoP, a line each, operations marked. */
static int run_pop_series(figs_t *g, const cJSON *res, const char *title, char *err, size_t errlen)
{
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(res, "timeseries");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(ts, "t_s");
    const cJSON *pops = cJSON_GetObjectItemCaseSensitive(ts, "pops");
    if (!cJSON_IsArray(t) || cJSON_GetArraySize(pops) == 0) return 0;
    double step = num_at(ts, "interval_s", 60), end = num_at(res, "duration_s", NAN);
    strbuf_t d = { 0 }, s = { 0 };
    int n = 0;
    for (const cJSON *p = pops->child; p; p = p->next) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "requests")->child;
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(p, "hit_ratio")->child;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(p, "latency_p99_ms")->child;
        strbuf_printf(&d, "# %s: t_s requests_per_s hit_ratio p99_ms\n", cJSON_IsString(id) ? id->valuestring : "?");
        for (const cJSON *ti = t->child; ti && a && b && c; ti = ti->next, a = a->next, b = b->next, c = c->next) {
            double t0 = ti->valuedouble, len = step;
            if (isfinite(end) && end - t0 < len && end > t0) len = end - t0;
            /* an interval without requests has no hit ratio or p99 */
            if (a->valuedouble <= 0)
                strbuf_printf(&d, "%.10g 0 nan nan\n", t0 + len / 2);
            else
                strbuf_printf(&d, "%.10g %.10g %.10g %.10g\n", t0 + len / 2, a->valuedouble / len,
                              b->valuedouble, c->valuedouble);
        }
        strbuf_printf(&d, "\n\n");
        n++;
    }
    plot_terminal(&s, g->f, "pop_timeseries", 1100, 1000);
    /* no `set datafile missing`: a nan read through an expression ($3)
     * breaks the line, so an interval without requests shows as a gap */
    strbuf_printf(&s, "set grid\nset lmargin 12\nset rmargin 16\nset key outside right top font ',9'\n");
    op_markers(&s, res);
    strbuf_printf(&s, "set multiplot layout 3,1 title ");
    char t2[600];
    snprintf(t2, sizeof t2, "%s: the %d PoPs with their own series", title, n);
    plot_quote(&s, t2);
    static const struct { const char *label, *range; int col; } panels[] = {
        { "requests/s", "[0:*]", 2 }, { "hit ratio", "[0:1]", 3 }, { "p99 time to first byte (ms)", "[0:*]", 4 },
    };
    for (int k = 0; k < 3; k++) {
        strbuf_printf(&s, "\nset xlabel 'virtual time (s)'\nset ylabel '%s'\nset yrange %s\nplot ",
                      panels[k].label, panels[k].range);
        int i = 0;
        for (const cJSON *p = pops->child; p; p = p->next, i++) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
            strbuf_printf(&s, "%s'pop_timeseries.dat' index %d using 1:($%d) with linespoints lw 1.5 pt 7 ps 0.5 title ",
                          i ? ", \\\n     " : "", i, panels[k].col);
            plot_quote(&s, cJSON_IsString(id) ? id->valuestring : "?");
        }
        if (k == 0) strbuf_printf(&s, "\nunset label");
    }
    strbuf_printf(&s, "\nunset multiplot\n");
    int rc = emit(g, "pop_timeseries", &d, "pop_timeseries.dat", &s,
                  "per-PoP requests/s, hit ratio and p99 over time", err, errlen);
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}

static int by_requests(const void *a, const void *b)
{
    double x = num_at(*(const cJSON *const *)a, "requests", 0), y = num_at(*(const cJSON *const *)b, "requests", 0);
    return x < y ? 1 : x > y ? -1 : 0;
}

static int run_pops(figs_t *g, const cJSON *res, const char *title, char *err, size_t errlen)
{
    const cJSON *pops = cJSON_GetObjectItemCaseSensitive(res, "pops");
    int n = cJSON_GetArraySize(pops);
    if (!cJSON_IsArray(pops) || n == 0) {
        strbuf_printf(&g->notes, "no per-PoP results: PoP load figure skipped\n");
        return 0;
    }
    const cJSON **v = calloc((size_t)n, sizeof *v);
    if (!v) { snprintf(err, errlen, "out of memory"); return -1; }
    int k = 0;
    for (const cJSON *p = pops->child; p; p = p->next) v[k++] = p;
    qsort(v, (size_t)n, sizeof *v, by_requests);
    strbuf_t d = { 0 }, s = { 0 };
    strbuf_printf(&d, "# rank id requests hit_ratio (busiest first)\n");
    int shown = n < MAX_POPS_SHOWN ? n : MAX_POPS_SHOWN;
    for (int i = 0; i < shown; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(v[i], "id");
        strbuf_printf(&d, "%d ", i);
        data_string(&d, cJSON_IsString(id) ? id->valuestring : "?");
        strbuf_printf(&d, " %.10g %.10g\n", num_at(v[i], "requests", 0), num_at(v[i], "hit_ratio", NAN));
    }
    free(v);
    plot_terminal(&s, g->f, "pops", 1000, 600);
    strbuf_printf(&s, "set datafile missing 'nan'\nset title ");
    char t[600];
    snprintf(t, sizeof t, "%s: requests per PoP%s", title, n > shown ? " (busiest 40)" : "");
    plot_quote(&s, t);
    strbuf_printf(&s, "\nset style fill solid 0.6 border -1\nset boxwidth 0.7 absolute\nset grid ytics\n"
                      "set xrange [-0.8:%d.8]\nset offsets 0,0,graph 0.12,0\n", shown - 1);
    strbuf_printf(&s, "set xtics rotate by 45 right nomirror font ',9'\nset ylabel 'requests'\nset yrange [0:*]\n"
                      "set y2label 'hit ratio'\nset y2range [0:1]\nset y2tics\nset key outside top center horizontal\n"
                      "plot 'pops.dat' using 1:3:xtic(2) with boxes title 'requests', \\\n"
                      "     '' using 1:4 axes x1y2 with points pt 7 ps 1.2 title 'hit ratio'\n");
    int rc = emit(g, "pops", &d, "pops.dat", &s, "requests and hit ratio per PoP", err, errlen);
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}

static int run_latency(figs_t *g, const cJSON *res, const char *title, char *err, size_t errlen)
{
    const cJSON *lat = cJSON_GetObjectItemCaseSensitive(res, "latency_ms");
    if (!cJSON_IsObject(lat)) {
        strbuf_printf(&g->notes, "no latency summary: latency figure skipped\n");
        return 0;
    }
    strbuf_t d = { 0 }, s = { 0 };
    strbuf_printf(&d, "# statistic ms\n");
    int i = 0;
    for (const cJSON *m = lat->child; m; m = m->next)
        if (cJSON_IsNumber(m)) {
            strbuf_printf(&d, "%d ", i++);
            data_string(&d, m->string);
            strbuf_printf(&d, " %.10g\n", m->valuedouble);
        }
    plot_terminal(&s, g->f, "latency", 700, 500);
    strbuf_printf(&s, "set title ");
    char t[600];
    snprintf(t, sizeof t, "%s: time to first byte", title);
    plot_quote(&s, t);
    strbuf_printf(&s, "\nset style fill solid 0.6 border -1\nset boxwidth 0.6 absolute\nset grid ytics\n"
                      "set key off\nset ylabel 'milliseconds'\nset yrange [0:*]\nset offsets 0,0,graph 0.12,0\n"
                      "plot 'latency.dat' using 1:3:xtic(2) with boxes, \\\n"
                      "     '' using 1:3:(sprintf('%%.1f', $3)) with labels offset 0,1\n");
    int rc = emit(g, "latency", &d, "latency.dat", &s, "latency mean and percentiles", err, errlen);
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}

/* ---- a sweep ---------------------------------------------------------------------- */

typedef struct series {
    char *label;        /* the other multi-valued parameters, "" when none */
    int *pts;           /* point indices, sorted by x */
    int n;
} series_t;

typedef struct sweepfig {
    const cJSON *sum;
    const cJSON *params;     /* name -> list of values */
    const cJSON *points;
    const cJSON **pt;        /* the points as an array: figures index them often */
    int npoints;
    const char *x;           /* the swept numeric parameter; NULL: none */
    series_t s[MAX_SERIES];
    int ns;
    bool logx;
    char title[1024];
} sweepfig_t;

static const cJSON *point_at(const sweepfig_t *w, int i) { return w->pt[i]; }

static double point_x(const sweepfig_t *w, int i)
{
    return num_at(cJSON_GetObjectItemCaseSensitive(point_at(w, i), "parameters"), w->x, NAN);
}

/* x: the numeric parameter with the most values (the first on a tie). */
static const char *choose_x(const cJSON *params)
{
    const char *best = NULL;
    int bestn = 1;
    for (const cJSON *p = params->child; p; p = p->next) {
        bool numeric = cJSON_IsArray(p);
        for (const cJSON *v = p->child; v && numeric; v = v->next) numeric = cJSON_IsNumber(v);
        int n = cJSON_GetArraySize(p);
        if (numeric && n > bestn) { best = p->string; bestn = n; }
    }
    return best;
}

/* A parameter's path as words for axes and legends: "content.ttl_s" ->
 * "TTL (s)"; one not in the table reads its last part with the unit
 * suffix as a unit ("network.origin_rtt_ms" -> "origin rtt (ms)"). */
static void param_words(const char *path, char *buf, size_t len)
{
    static const struct { const char *path, *words; } known[] = {
        { "content.ttl_s", "TTL (s)" },
        { "cache.capacity_objects", "cache capacity (objects)" },
        { "cache.capacity_bytes", "cache capacity (bytes)" },
        { "cache.policy", "policy" },
        { "routing.mode", "routing" },
        { "shield.enabled", "shield" },
        { "connections.tls", "TLS" },
        { "connections.keepalive_share", "keep-alive share" },
        { "workload.alpha", "Zipf alpha" },
        { "workload.rate_rps", "request rate (/s)" },
        { "workload.objects", "objects" },
        { "network.origin_rtt_ms", "origin RTT (ms)" },
        { "network.client_rtt_ms", "client RTT (ms)" },
        { "duration_s", "duration (s)" },
        { "warmup_s", "warm-up (s)" },
        { NULL, NULL },
    };
    for (int i = 0; known[i].path; i++)
        if (!strcmp(known[i].path, path)) { snprintf(buf, len, "%s", known[i].words); return; }
    static const struct { const char *suffix, *unit; } units[] = {
        { "_ms", "ms" }, { "_s", "s" }, { "_bytes", "bytes" }, { "_rps", "/s" }, { "_objects", "objects" }, { NULL, NULL },
    };
    const char *dot = strrchr(path, '.'), *last = dot ? dot + 1 : path;
    char word[128];
    snprintf(word, sizeof word, "%s", last);
    const char *unit = NULL;
    for (int i = 0; units[i].suffix; i++) {
        size_t n = strlen(word), m = strlen(units[i].suffix);
        if (n > m && !strcmp(word + n - m, units[i].suffix)) { word[n - m] = 0; unit = units[i].unit; break; }
    }
    for (char *c = word; *c; c++) if (*c == '_') *c = ' ';
    if (unit) snprintf(buf, len, "%s (%s)", word, unit);
    else snprintf(buf, len, "%s", word);
}

/* The point's multi-valued parameters, all of them with_x, else all but x. */
static void point_label(const sweepfig_t *w, int i, strbuf_t *b, bool with_x)
{
    const cJSON *pp = cJSON_GetObjectItemCaseSensitive(point_at(w, i), "parameters");
    strbuf_printf(b, "%s", "");
    bool first = true;
    for (const cJSON *p = w->params->child; p; p = p->next) {
        if ((!with_x && w->x && strcmp(p->string, w->x) == 0) || cJSON_GetArraySize(p) < 2) continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(pp, p->string);
        char *t = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
        char words[128];
        param_words(p->string, words, sizeof words);
        strbuf_printf(b, "%s%s %s", first ? "" : ", ", words, cJSON_IsString(v) ? v->valuestring : t ? t : "?");
        cJSON_free(t);
        first = false;
    }
}

static void series_label(const sweepfig_t *w, int i, strbuf_t *b) { point_label(w, i, b, false); }

static int cmp_x(const void *a, const void *b, void *ctx)
{
    const sweepfig_t *w = ctx;
    double x = point_x(w, *(const int *)a), y = point_x(w, *(const int *)b);
    return x < y ? -1 : x > y ? 1 : 0;
}

static void free_series(sweepfig_t *w)
{
    for (int i = 0; i < w->ns; i++) {
        free(w->s[i].label);
        free(w->s[i].pts);
    }
    w->ns = 0;
}

static int group_series(sweepfig_t *w, char *err, size_t errlen)
{
    for (int i = 0; i < w->npoints; i++) {
        strbuf_t b = { 0 };
        series_label(w, i, &b);
        if (!strbuf_text(&b)) { snprintf(err, errlen, "out of memory"); return -1; }
        int k = 0;
        while (k < w->ns && strcmp(w->s[k].label, b.s) != 0) k++;
        if (k == w->ns) {
            if (w->ns == MAX_SERIES) { strbuf_free(&b); continue; }
            w->s[k].label = b.s;
            w->s[k].pts = calloc((size_t)w->npoints, sizeof *w->s[k].pts);
            if (!w->s[k].pts) { snprintf(err, errlen, "out of memory"); return -1; }
            w->ns++;
        } else {
            strbuf_free(&b);
        }
        w->s[k].pts[w->s[k].n++] = i;
    }
    if (w->x)
        for (int k = 0; k < w->ns; k++) qsort_r(w->s[k].pts, (size_t)w->s[k].n, sizeof(int), cmp_x, w);
    return 0;
}

/* The scenario of point i: the summary's base with the point's parameters
 * applied the way the sweep applied them. NULL when that fails. */
static cJSON *point_scenario(const sweepfig_t *w, int i)
{
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(w->sum, "base");
    if (!cJSON_IsObject(base)) return NULL;
    cJSON *sc = cJSON_Duplicate(base, true);
    const cJSON *pp = cJSON_GetObjectItemCaseSensitive(point_at(w, i), "parameters");
    for (const cJSON *p = pp ? pp->child : NULL; p && sc; p = p->next) {
        char *v = cJSON_PrintUnformatted(p), set[1024], msg[256];
        snprintf(set, sizeof set, "%s=%s", p->string, v ? v : "null");
        cJSON_free(v);
        if (cfg_apply_set(sc, set, msg, sizeof msg) != 0) { cJSON_Delete(sc); sc = NULL; }
    }
    return sc;
}

static const cJSON *at_path(const cJSON *o, const char *a, const char *b)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);
}

/* The analytic curve of series k into d (one gnuplot index block); false
 * with the reason in why when no model applies. */
static bool analytic_series(const sweepfig_t *w, int k, strbuf_t *d, char *why, size_t whylen, const char **model)
{
    const series_t *s = &w->s[k];
    cJSON *sc = point_scenario(w, s->pts[0]);
    bool ok = false;
    analytic_zipf_t *z = NULL;
    const cJSON *type = at_path(sc, "workload", "type"), *objs = at_path(sc, "workload", "objects");
    const cJSON *pol = at_path(sc, "cache", "policy"), *cap = at_path(sc, "cache", "capacity_objects");
    const cJSON *capb = at_path(sc, "cache", "capacity_bytes"), *ttl = at_path(sc, "content", "ttl_s");
    double rate = num_at(cJSON_GetObjectItemCaseSensitive(sc, "workload"), "rate_rps", 1000);
    double alpha = num_at(cJSON_GetObjectItemCaseSensitive(sc, "workload"), "alpha", 0.8);
    bool is_ttl = strcmp(w->x, "content.ttl_s") == 0, is_cap = strcmp(w->x, "cache.capacity_objects") == 0;
    char err[256];
    if (!sc) { snprintf(why, whylen, "the base scenario is not in the summary"); goto done; }
    if (!is_ttl && !is_cap) { snprintf(why, whylen, "no analytic model for %s", w->x); goto done; }
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "zipf") != 0 || !cJSON_IsNumber(objs)) {
        snprintf(why, whylen, "the workload is not zipf");
        goto done;
    }
    if (capb) { snprintf(why, whylen, "the cache is sized in bytes"); goto done; }
    if (is_ttl && cJSON_IsNumber(cap) && cap->valuedouble < objs->valuedouble) {
        snprintf(why, whylen, "the max-age model needs a cache holding the whole catalog");
        goto done;
    }
    if (is_cap && cJSON_IsString(pol) && strcmp(pol->valuestring, "lru") != 0) {
        snprintf(why, whylen, "Che's approximation is for lru, not %s", pol->valuestring);
        goto done;
    }
    if (objs->valuedouble > 1e6) { snprintf(why, whylen, "the catalog is too large to evaluate quickly"); goto done; }
    if (!(z = analytic_zipf_create((uint64_t)objs->valuedouble, alpha, err, sizeof err))) {
        snprintf(why, whylen, "%s", err);
        goto done;
    }
    double lo = point_x(w, s->pts[0]), hi = point_x(w, s->pts[s->n - 1]);
    double ttl_s = cJSON_IsNumber(ttl) ? ttl->valuedouble : INFINITY;
    strbuf_printf(d, "# %s\n", *s->label ? s->label : "all points");
    for (int i = 0; i < GRID; i++) {
        double f = (double)i / (GRID - 1);
        double x = w->logx ? lo * pow(hi / lo, f) : lo + (hi - lo) * f, h, tc;
        if (is_ttl) {
            h = analytic_ttl_hit_ratio(z, rate, x);
        } else {
            if (analytic_che_lru(z, rate, x, &h, &tc, err, sizeof err) != 0) continue;
            /* past the max-age the cache empties by expiry, not eviction */
            if (tc > ttl_s) continue;
        }
        strbuf_printf(d, "%.10g %.10g\n", x, h);
        ok = true;
    }
    strbuf_printf(d, "\n\n");
    *model = is_ttl ? "max-age model" : "Che (LRU)";
    if (!ok) snprintf(why, whylen, "the cache is limited by the max-age at every capacity");
done:
    analytic_zipf_free(z);
    cJSON_Delete(sc);
    return ok;
}

static const char *metric_words(const char *m)
{
    if (strcmp(m, "hit_ratio") == 0) return "hit ratio";
    if (strcmp(m, "latency_ms.p99") == 0) return "p99 time to first byte (ms)";
    if (strcmp(m, "origin.requests") == 0) return "origin requests";
    return m;
}

static void metric_of(const sweepfig_t *w, int i, const char *metric, double *mean, double *ci)
{
    const cJSON *m = at_path(point_at(w, i), "metrics", metric);
    *mean = num_at(m, "mean", NAN);
    *ci = num_at(m, "ci95", 0);
}

static int sweep_metric(figs_t *g, sweepfig_t *w, const char *metric, char *err, size_t errlen)
{
    char stem[128], data_name[160];
    snprintf(stem, sizeof stem, "%s", metric);
    for (char *c = stem; *c; c++) if (*c == '.') *c = '_';
    snprintf(data_name, sizeof data_name, "%s.dat", stem);
    int finite = 0;
    for (int i = 0; i < w->npoints; i++) {
        double mean, ci;
        metric_of(w, i, metric, &mean, &ci);
        finite += isfinite(mean);
    }
    if (!finite) {
        /* a field this model does not report: nothing to draw, not an error */
        strbuf_printf(&g->notes, "no point has %s: its figure skipped\n", metric);
        return 0;
    }
    strbuf_t d = { 0 }, a = { 0 }, s = { 0 };
    int have_analytic[MAX_SERIES] = { 0 }, na = 0, longest = 0, multi = 0;
    const char *only = NULL; /* the one multi-valued parameter, if one */
    for (const cJSON *p = w->params->child; p; p = p->next)
        if (cJSON_GetArraySize(p) > 1) { multi++; only = p->string; }
    if (multi != 1) only = NULL;
    const char *model = NULL;
    char why[256] = "";
    for (int k = 0; k < w->ns; k++) {
        strbuf_printf(&d, "# %s\n", *w->s[k].label ? w->s[k].label : "all points");
        for (int j = 0; j < w->s[k].n; j++) {
            int i = w->s[k].pts[j];
            double mean, ci;
            metric_of(w, i, metric, &mean, &ci);
            if (w->x) strbuf_printf(&d, "%.10g %.10g %.10g\n", point_x(w, i), mean, ci);
            else {
                strbuf_printf(&d, "%d ", i);
                strbuf_t lab = { 0 };
                if (only) { /* one swept parameter: its value, the axis says which */
                    const cJSON *v = at_path(point_at(w, i), "parameters", only);
                    char *t = cJSON_IsString(v) || cJSON_IsBool(v) ? NULL : cJSON_PrintUnformatted(v);
                    strbuf_printf(&lab, "%s", cJSON_IsString(v) ? v->valuestring : cJSON_IsTrue(v) ? "on"
                                              : cJSON_IsFalse(v) ? "off" : t ? t : "?");
                    cJSON_free(t);
                } else {
                    point_label(w, i, &lab, true);
                }
                const char *text = strbuf_text(&lab) && *lab.s ? lab.s : "base";
                if ((int)strlen(text) > longest) longest = (int)strlen(text);
                data_string(&d, text);
                strbuf_free(&lab);
                strbuf_printf(&d, " %.10g %.10g\n", mean, ci);
            }
        }
        strbuf_printf(&d, "\n\n");
        if (w->x && strcmp(metric, "hit_ratio") == 0 && analytic_series(w, k, &a, why, sizeof why, &model))
            have_analytic[k] = ++na;
    }
    plot_terminal(&s, g->f, stem, 1000, 650);
    strbuf_printf(&s, "set datafile missing 'nan'\nset grid\nset key outside right top\nset title ");
    plot_quote(&s, w->title);
    strbuf_printf(&s, "\nset ylabel ");
    plot_quote(&s, metric_words(metric));
    if (strcmp(metric, "hit_ratio") == 0) strbuf_printf(&s, "\nset yrange [0:1]");
    else strbuf_printf(&s, "\nset yrange [0:*]");
    if (w->x) {
        char xw[128];
        param_words(w->x, xw, sizeof xw);
        strbuf_printf(&s, "\nset xlabel ");
        plot_quote(&s, xw);
        if (w->logx) strbuf_printf(&s, "\nset logscale x");
        strbuf_printf(&s, "\nplot ");
        for (int k = 0; k < w->ns; k++) {
            strbuf_printf(&s, "%s'%s' index %d using 1:2:3 with yerrorlines lw 2 pt 7 lc %d title ",
                          k ? ", \\\n     " : "", data_name, k, k + 1);
            plot_quote(&s, *w->s[k].label ? w->s[k].label : "simulated (95% CI)");
            if (have_analytic[k]) {
                char t[600];
                snprintf(t, sizeof t, "%s%s%s", model, *w->s[k].label ? ": " : "", w->s[k].label);
                strbuf_printf(&s, ", \\\n     '%s_analytic.dat' index %d using 1:2 with lines dt 2 lw 2 lc %d title ",
                              stem, have_analytic[k] - 1, k + 1);
                plot_quote(&s, t);
            }
        }
        strbuf_printf(&s, "\n");
    } else {
        /* labels longer than a bar is wide are turned, with room below and
         * to the left for them (the first one reaches left of its bar) */
        bool turn = longest * 9 > 700 / (w->npoints ? w->npoints : 1);
        strbuf_printf(&s, "\nset style fill solid 0.6 border -1\nset boxwidth 0.7 absolute\n");
        if (turn)
            strbuf_printf(&s, "set xtics rotate by 30 right font ',10'\nset bmargin %d\nset lmargin %d\n",
                          3 + (longest + 1) / 2 + (only ? 2 : 0), longest * 8 / 10 > 10 ? longest * 8 / 10 : 10);
        if (only) {
            char xw[128];
            param_words(only, xw, sizeof xw);
            strbuf_printf(&s, "set xlabel ");
            plot_quote(&s, xw);
            strbuf_printf(&s, "\n");
        }
        strbuf_printf(&s, "set xrange [-0.8:%d.8]\nset grid noxtics\n"
                          "set key off\nplot '%s' using 1:3:4:xtic(2) with boxerrorbars\n", w->npoints - 1, data_name);
    }
    int rc = 0;
    if (na) {
        char an[200];
        snprintf(an, sizeof an, "%s_analytic.dat", stem);
        rc = plot_write(g->dir, an, &a, err, errlen);
    }
    char what[600];
    if (w->x)
        snprintf(what, sizeof what, "%s against %s, %d line%s with 95%% confidence bars%s%s%s",
                 metric_words(metric), w->x, w->ns, w->ns == 1 ? "" : "s", na ? " and the " : "",
                 na ? model : "", na ? " curve" : "");
    else
        snprintf(what, sizeof what, "%s per point with 95%% confidence bars", metric_words(metric));
    if (rc == 0) rc = emit(g, stem, &d, data_name, &s, what, err, errlen);
    if (rc == 0 && w->x && strcmp(metric, "hit_ratio") == 0 && !na && *why)
        strbuf_printf(&g->notes, "no analytic curve beside the hit ratio: %s\n", why);
    strbuf_free(&d);
    strbuf_free(&a);
    strbuf_free(&s);
    return rc;
}

/* The quantile a percentile field names: p50 -> 0.5, p99 -> 0.99,
 * p999 -> 0.999, p5 -> 0.05; -1 for anything else. */
static double quantile_of(const char *name)
{
    if (name[0] != 'p' || !name[1]) return -1;
    double v = 0, scale = 1;
    for (const char *c = name + 1; *c; c++) {
        if (*c < '0' || *c > '9') return -1;
        v = v * 10 + (*c - '0');
        scale *= 10;
    }
    if (scale == 10) scale = 100;
    return v / scale;
}

#define MAX_QUANTILES 32
#define MAX_CDF_LINES 12

/* Latency CDFs, one line per point, drawn through the percentiles the
 * results carry (latency_ms.p50, .p90, .p99, ... whatever the model reports),
 * to set routing modes or tiers side by side. */
static int sweep_latency_cdf(figs_t *g, sweepfig_t *w, char *err, size_t errlen)
{
    if (w->npoints > MAX_CDF_LINES) {
        strbuf_printf(&g->notes, "more than %d points: latency CDF figure skipped\n", MAX_CDF_LINES);
        return 0;
    }
    strbuf_t d = { 0 }, s = { 0 };
    int lines = 0;
    double lo = INFINITY, hi = 0, vmin = INFINITY, vmax = -INFINITY;
    for (int i = 0; i < w->npoints; i++) {
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(point_at(w, i), "metrics");
        double q[MAX_QUANTILES], v[MAX_QUANTILES];
        int n = 0;
        for (const cJSON *m = ms ? ms->child : NULL; m && n < MAX_QUANTILES; m = m->next) {
            if (strncmp(m->string, "latency_ms.", 11) != 0) continue;
            double qq = quantile_of(m->string + 11), mean = num_at(m, "mean", NAN);
            if (qq < 0 || !isfinite(mean)) continue;
            int k = n++;
            while (k > 0 && q[k - 1] > qq) { q[k] = q[k - 1]; v[k] = v[k - 1]; k--; }
            q[k] = qq;
            v[k] = mean;
        }
        if (n < 2) continue;
        strbuf_t lab = { 0 };
        point_label(w, i, &lab, true);
        strbuf_printf(&d, "# point %d: %s\n", i, strbuf_text(&lab) ? lab.s : "");
        for (int k = 0; k < n; k++) {
            strbuf_printf(&d, "%.10g %.10g\n", v[k], q[k]);
            if (v[k] > 0 && v[k] < lo) lo = v[k];
            if (v[k] > hi) hi = v[k];
            if (v[k] < vmin) vmin = v[k];
            if (v[k] > vmax) vmax = v[k];
        }
        strbuf_printf(&d, "\n\n");
        if (lines == 0) {
            plot_terminal(&s, g->f, "latency_cdf", 1000, 650);
            strbuf_printf(&s, "set grid\nset key inside right bottom font ',9'\nset yrange [0:1]\n"
                              "set xlabel 'time to first byte (ms)'\nset ylabel 'fraction of requests'\nset title ");
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(w->sum, "sweep");
            char t[600];
            snprintf(t, sizeof t, "%s: latency CDF through the reported percentiles",
                     cJSON_IsString(name) ? name->valuestring : "sweep");
            plot_quote(&s, t);
            strbuf_printf(&s, "\nplot ");
        }
        strbuf_printf(&s, "%s'latency_cdf.dat' index %d using 1:2 with linespoints lw 2 pt 7 title ",
                      lines ? ", \\\n     " : "", lines);
        char t[600];
        snprintf(t, sizeof t, "point %d%s%s", i, strbuf_text(&lab) && *lab.s ? ": " : "",
                 strbuf_text(&lab) ? lab.s : "");
        plot_quote(&s, t);
        strbuf_free(&lab);
        lines++;
    }
    int rc = 0;
    if (lines == 0) {
        strbuf_printf(&g->notes, "fewer than two latency percentiles in the results: latency CDF skipped\n");
    } else if (vmax - vmin <= 1e-9 * fabs(vmax)) {
        /* every request of every point took the same time (no RTT variety,
         * say): a CDF would be one vertical line */
        strbuf_printf(&g->notes, "every latency percentile of every point is %.6g ms: latency CDF skipped "
                                 "(it would be one vertical line)\n", vmax);
    } else {
        strbuf_printf(&s, "\n");
        if (lo > 0 && hi / lo >= 20) {
            /* log scale goes before the plot command: rebuild the head */
            strbuf_t t2 = { 0 };
            const char *txt = strbuf_text(&s), *at = txt ? strstr(txt, "\nplot ") : NULL;
            if (at) {
                strbuf_put(&t2, txt, (size_t)(at - txt));
                strbuf_printf(&t2, "\nset logscale x%s", at);
                strbuf_free(&s);
                s = t2;
            }
        }
        rc = emit(g, "latency_cdf", &d, "latency_cdf.dat", &s, "latency CDF per point through its percentiles",
                  err, errlen);
    }
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}

static int plot_sweep(figs_t *g, const cJSON *sum, const char *file, char *err, size_t errlen)
{
    sweepfig_t w = { .sum = sum };
    w.params = cJSON_GetObjectItemCaseSensitive(sum, "parameters");
    w.points = cJSON_GetObjectItemCaseSensitive(sum, "points");
    w.npoints = cJSON_GetArraySize(w.points);
    if (!cJSON_IsObject(w.params)) {
        snprintf(err, errlen, "%s: $.parameters: expected the sweep's parameter lists", file);
        return -2;
    }
    /* one walk of the list: cJSON_GetArrayItem(points, i) in the figures'
     * loops walked it from its head each time, quadratic in the points */
    w.pt = malloc(((size_t)w.npoints + 1) * sizeof *w.pt);
    if (!w.pt) { snprintf(err, errlen, "%s: out of memory", file); return -1; }
    int np = 0;
    for (const cJSON *p = w.points ? w.points->child : NULL; p && np < w.npoints; p = p->next) w.pt[np++] = p;
    w.x = choose_x(w.params);
    if (w.x) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < w.npoints; i++) {
            double x = point_x(&w, i);
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        w.logx = lo > 0 && hi / lo >= 20;
    }
    /* the title names the sweep and the parameters every point shares */
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(sum, "sweep");
    int used = snprintf(w.title, sizeof w.title, "%s", cJSON_IsString(name) ? name->valuestring : file);
    bool first = true;
    for (const cJSON *p = w.params->child; p && used > 0 && (size_t)used < sizeof w.title; p = p->next) {
        if (cJSON_GetArraySize(p) != 1) continue;
        char *v = cJSON_PrintUnformatted(cJSON_GetArrayItem(p, 0));
        char words[128];
        param_words(p->string, words, sizeof words);
        used += snprintf(w.title + used, sizeof w.title - (size_t)used, "%s%s %s", first ? " (" : ", ",
                         words, v ? v : "?");
        cJSON_free(v);
        first = false;
    }
    if (!first && used > 0 && (size_t)used < sizeof w.title - 1) strcat(w.title, ")");
    int rc = group_series(&w, err, errlen);
    static const char *const metrics[] = { "hit_ratio", "latency_ms.p99", "origin.requests", NULL };
    for (int m = 0; rc == 0 && metrics[m]; m++) rc = sweep_metric(g, &w, metrics[m], err, errlen);
    if (rc == 0) rc = sweep_latency_cdf(g, &w, err, errlen);
    free_series(&w);
    free(w.pt);
    return rc;
}

int plot_results(const char *input, const char *out_dir, plot_format_t f, plot_outcome_t *out,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *file = NULL;
    cJSON *j = results_load(input, &file, err, errlen);
    if (!j) return errno == ENOMEM ? -1 : -2;
    figs_t g = { .dir = out_dir, .f = f, .out = out };
    int rc;
    bool summary = results_is_summary(j);
    if (results_is_catchments(j)) { /* cli/cmd_plot draws those (analysis/catchment_map) */
        snprintf(err, errlen, "%s: $: a catchments report (cdnsim catchments), not a result: "
                 "catchment_map draws it", file);
        rc = -2;
        goto done;
    }
    if (!summary && !results_is_run(j)) {
        snprintf(err, errlen, "%s: $: not a cdnsim result (expected a run's result JSON or a sweep's summary.json)", file);
        rc = -2;
        goto done;
    }
    if ((rc = make_dirs(out_dir, err, errlen)) != 0) goto done;
    g.gnuplot = plot_find_gnuplot();
    out->no_gnuplot = !g.gnuplot;
    if (summary) {
        rc = plot_sweep(&g, j, file, err, errlen);
    } else {
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(j, "scenario");
        char title[512];
        snprintf(title, sizeof title, "%s (seed %.0f)", cJSON_IsString(sc) ? sc->valuestring : file,
                 num_at(j, "seed", 0));
        rc = run_timeseries(&g, j, title, err, errlen);
        if (rc == 0) rc = run_pop_series(&g, j, title, err, errlen);
        if (rc == 0) rc = run_pops(&g, j, title, err, errlen);
        if (rc == 0) rc = run_latency(&g, j, title, err, errlen);
    }
    if (!g.gnuplot) strbuf_printf(&g.notes, "gnuplot not found: scripts and data written; run `gnuplot NAME.gp` in %s\n", out_dir);
done:
    out->notes = g.notes.s;
    free(g.gnuplot);
    free(file);
    cJSON_Delete(j);
    return rc;
}

void plot_outcome_free(plot_outcome_t *o)
{
    free(o->notes);
    o->notes = NULL;
}
