/* export — results into SQLite or long-format CSV; see export.h.
 *
 * Each table is produced once, as rows of typed cells, into a sink that is
 * either a prepared INSERT or a CSV buffer, so the database and the CSV
 * files hold the same rows by construction. */
#include "analysis/export.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "analysis/results.h"
#include "analysis/strbuf.h"
#include "sim/cfg.h"
#include "sim/output.h"

typedef struct run {
    char *file;             /* as read, for messages and the runs table */
    char *id;               /* the file name without .json: "p0003-r1" */
    char *seed;             /* the seed's exact digits */
    cJSON *json;
} run_t;

struct export_set {
    run_t *runs;
    size_t n;
    char **params;          /* sweep parameters (--set paths), in first-seen order */
    char **param_cols;      /* their column names in runs */
    int nparams;
};

/* ---- reading ------------------------------------------------------------- */

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The *.json files of dir (summary.json apart), sorted; NULL-terminated. */
static char **list_json(const char *dir, size_t *n, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) { snprintf(err, errlen, "%s: cannot read the folder: %s", dir, strerror(errno)); return NULL; }
    size_t cap = 16;
    char **v = calloc(cap + 1, sizeof *v);
    *n = 0;
    for (struct dirent *e; v && (e = readdir(d));) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".json") || !strcmp(e->d_name, "summary.json"))
            continue;
        if (*n == cap) {
            char **g = realloc(v, (2 * cap + 1) * sizeof *v);
            if (!g) { free(v); v = NULL; break; }
            v = g;
            cap *= 2;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(v[*n] = malloc(len))) break;
        snprintf(v[(*n)++], len, "%s/%s", dir, e->d_name);
        v[*n] = NULL;
    }
    closedir(d);
    if (!v) { snprintf(err, errlen, "out of memory"); return NULL; }
    qsort(v, *n, sizeof *v, by_str);
    return v;
}

/* A seed beyond 2^53 is written as raw digits (exact) that a double would
 * round: take them from the text. The top-level "seed" is the first key of
 * that name in a cdnsim result. */
static char *seed_digits(const char *text, const cJSON *seed)
{
    char buf[32];
    if (!cJSON_IsNumber(seed)) return strdup("");
    if (seed->valuedouble < 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%.0f", seed->valuedouble);
        return strdup(buf);
    }
    const char *p = strstr(text, "\"seed\"");
    if (p) p = strchr(p, ':');
    if (p) {
        p++;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        size_t n = strspn(p, "0123456789");
        if (n > 0 && n < sizeof buf) { memcpy(buf, p, n); buf[n] = 0; return strdup(buf); }
    }
    snprintf(buf, sizeof buf, "%.17g", seed->valuedouble);
    return strdup(buf);
}

static int version_of(const cJSON *j)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "result_version");
    return cJSON_IsNumber(v) ? (int)v->valuedouble : 1;
}

static int add_param(export_set_t *x, const char *name)
{
    for (int i = 0; i < x->nparams; i++)
        if (!strcmp(x->params[i], name)) return 0;
    char **p = realloc(x->params, (size_t)(x->nparams + 1) * sizeof *p);
    if (!p) return -1;
    x->params = p;
    char **c = realloc(x->param_cols, (size_t)(x->nparams + 1) * sizeof *c);
    if (!c) return -1;
    x->param_cols = c;
    x->params[x->nparams] = strdup(name);
    /* a column name SQL users can type: cache.policy -> cache_policy */
    char *col = malloc(strlen(name) + 8);
    if (!x->params[x->nparams] || !col) { free(col); return -1; }
    size_t k = 0;
    for (const char *s = name; *s; s++)
        col[k++] = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ? *s : '_';
    col[k] = 0;
    static const char *const fixed[] = { "run", "file", "scenario", "seed", "point", "replication",
                                         "duration_s", "warmup_s", "result_version", "version", "git",
                                         "config", "overrides", NULL };
    bool clash = false;
    for (int i = 0; fixed[i]; i++) clash |= !strcmp(fixed[i], col);
    for (int i = 0; i < x->nparams; i++) clash |= !strcmp(x->param_cols[i], col);
    if (clash) strcat(col, "_param");
    x->param_cols[x->nparams++] = col;
    return 0;
}

static int read_run(export_set_t *x, const char *file, char *err, size_t errlen)
{
    cfg_t c;
    cfg_init(&c, file);
    cJSON *j = cfg_load_file(&c, file);
    if (!j) { snprintf(err, errlen, "%s", c.err); return -2; }
    if (results_is_catchments(j) || results_is_summary(j) || !results_is_run(j)) {
        snprintf(err, errlen, "%s: $: %s", file,
                 results_is_catchments(j) ? "a catchments report (cdnsim catchments), not a run's result"
                 : results_is_summary(j) ? "a sweep summary: export its folder (the runs are exported)"
                 : "not a cdnsim result (expected a run's result JSON with \"requests\" and \"hit_ratio\")");
        cJSON_Delete(j);
        return -2;
    }
    if (x->n && version_of(j) != version_of(x->runs[0].json)) {
        snprintf(err, errlen, "%s: $.result_version: version %d, but %s is version %d: export results of "
                 "one version together (rerun the older ones)", file, version_of(j), x->runs[0].file,
                 version_of(x->runs[0].json));
        cJSON_Delete(j);
        return -2;
    }
    run_t *r = &x->runs[x->n];
    memset(r, 0, sizeof *r);
    r->json = j;
    r->file = strdup(file);
    char *copy = strdup(file), *base = copy ? basename(copy) : NULL;
    if (base && ends_with(base, ".json")) base[strlen(base) - 5] = 0;
    r->id = base ? strdup(base) : NULL;
    free(copy);
    /* the seed's text: read the file again only for the rare exact case */
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(j, "seed");
    if (cJSON_IsNumber(seed) && seed->valuedouble >= 9007199254740992.0) {
        FILE *f = fopen(file, "r");
        char head[4096] = "";
        if (f) { size_t n = fread(head, 1, sizeof head - 1, f); head[n] = 0; fclose(f); }
        r->seed = seed_digits(head, seed);
    } else {
        r->seed = seed_digits("", seed);
    }
    x->n++;
    if (!r->file || !r->id || !r->seed) return -1;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "sweep"), "parameters");
    for (const cJSON *p = cJSON_IsObject(params) ? params->child : NULL; p; p = p->next)
        if (add_param(x, p->string) != 0) return -1;
    return 0;
}

int export_load(const char *path, export_set_t **out, char *err, size_t errlen)
{
    *out = NULL;
    export_set_t *x = calloc(1, sizeof *x);
    if (!x) { snprintf(err, errlen, "out of memory"); return -1; }
    char **files = NULL;
    size_t nfiles = 0;
    int rc = 0;
    char *where = NULL;
    if (is_dir(path) || ends_with(path, "/summary.json") || !strcmp(path, "summary.json")) {
        /* a sweep folder (or its summary): its runs; else the folder's files */
        char *copy = strdup(path);
        const char *dir = !copy ? NULL : is_dir(path) ? copy : dirname(copy);
        size_t len = dir ? strlen(dir) + 8 : 0;
        where = dir ? malloc(len) : NULL;
        if (where) {
            snprintf(where, len, "%s/runs", dir);
            if (!is_dir(where)) snprintf(where, len, "%s", dir);
        }
        free(copy);
        if (!where) { snprintf(err, errlen, "out of memory"); rc = -1; goto done; }
        if (!(files = list_json(where, &nfiles, err, errlen))) { rc = errno == ENOMEM ? -1 : -2; goto done; }
        if (nfiles == 0) { snprintf(err, errlen, "%s: no result files (*.json) in the folder", where); rc = -2; goto done; }
    } else {
        files = calloc(2, sizeof *files);
        if (files && (files[0] = strdup(path))) nfiles = 1;
        else { snprintf(err, errlen, "out of memory"); rc = -1; goto done; }
    }
    x->runs = calloc(nfiles, sizeof *x->runs);
    if (!x->runs) { snprintf(err, errlen, "out of memory"); rc = -1; goto done; }
    for (size_t i = 0; rc == 0 && i < nfiles; i++) rc = read_run(x, files[i], err, errlen);
    if (rc == -1) snprintf(err, errlen, "out of memory");
done:
    for (size_t i = 0; files && i < nfiles; i++) free(files[i]);
    free(files);
    free(where);
    if (rc) export_free(x);
    else *out = x;
    return rc;
}

void export_free(export_set_t *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->n; i++) {
        free(x->runs[i].file);
        free(x->runs[i].id);
        free(x->runs[i].seed);
        cJSON_Delete(x->runs[i].json);
    }
    for (int i = 0; i < x->nparams; i++) { free(x->params[i]); free(x->param_cols[i]); }
    free(x->params);
    free(x->param_cols);
    free(x->runs);
    free(x);
}

size_t export_runs(const export_set_t *x) { return x->n; }

/* ---- sinks: a prepared INSERT or a CSV buffer --------------------------- */

typedef enum cell_type { C_NULL, C_TEXT, C_REAL, C_INT } cell_type_t;

typedef struct cell {
    cell_type_t type;
    const char *s;
    double d;
    long long i;
} cell_t;

static cell_t text(const char *s) { return s ? (cell_t){ C_TEXT, s, 0, 0 } : (cell_t){ C_NULL, NULL, 0, 0 }; }
static cell_t real(double d) { return isfinite(d) ? (cell_t){ C_REAL, NULL, d, 0 } : (cell_t){ C_NULL, NULL, 0, 0 }; }
static cell_t integer(long long i) { return (cell_t){ C_INT, NULL, 0, i }; }
static cell_t null(void) { return (cell_t){ C_NULL, NULL, 0, 0 }; }

typedef struct sink {
    sqlite3 *db;            /* SQLite, or NULL for CSV */
    sqlite3_stmt *st;
    const char *csv_dir;
    char csv_path[4096];
    strbuf_t csv;
    int ncols;
    int rc;                 /* first failure: -1 */
    char *err;
    size_t errlen;
} sink_t;

typedef struct column {
    const char *name, *type; /* type "" for none: values keep their own */
} column_t;

static void sink_fail(sink_t *k, const char *what)
{
    if (k->rc) return;
    k->rc = -1;
    snprintf(k->err, k->errlen, "%s: %s", what, k->db ? sqlite3_errmsg(k->db) : "out of memory");
}

/* s with every double quote doubled (CSV fields, SQL identifiers) */
static void put_doubled(strbuf_t *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '"') strbuf_put(b, "\"", 1);
        strbuf_put(b, s, 1);
    }
}

static void csv_text(strbuf_t *b, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) { strbuf_printf(b, "%s", s); return; }
    strbuf_printf(b, "\"");
    put_doubled(b, s);
    strbuf_printf(b, "\"");
}

static void quoted_ident(strbuf_t *b, const char *s)
{
    strbuf_printf(b, "\"");
    put_doubled(b, s);
    strbuf_printf(b, "\"");
}

static void table_begin(sink_t *k, const char *name, const column_t *cols, int n)
{
    if (k->rc) return;
    k->ncols = n;
    if (k->db) {
        strbuf_t sql = { 0 }, ins = { 0 };
        strbuf_printf(&sql, "CREATE TABLE %s (", name);
        strbuf_printf(&ins, "INSERT INTO %s VALUES (", name);
        for (int i = 0; i < n; i++) {
            strbuf_printf(&sql, "%s", i ? ", " : "");
            quoted_ident(&sql, cols[i].name);
            strbuf_printf(&sql, "%s%s", *cols[i].type ? " " : "", cols[i].type);
            strbuf_printf(&ins, "%s?", i ? ", " : "");
        }
        strbuf_printf(&sql, ")");
        strbuf_printf(&ins, ")");
        if (sql.failed || ins.failed) sink_fail(k, name);
        else if (sqlite3_exec(k->db, sql.s, NULL, NULL, NULL) != SQLITE_OK ||
                 sqlite3_prepare_v2(k->db, ins.s, -1, &k->st, NULL) != SQLITE_OK)
            sink_fail(k, name);
        strbuf_free(&sql);
        strbuf_free(&ins);
    } else {
        snprintf(k->csv_path, sizeof k->csv_path, "%s/%s.csv", k->csv_dir, name);
        strbuf_free(&k->csv);
        for (int i = 0; i < n; i++) {
            strbuf_printf(&k->csv, "%s", i ? "," : "");
            csv_text(&k->csv, cols[i].name);
        }
        strbuf_printf(&k->csv, "\n");
    }
}

static void row(sink_t *k, const cell_t *c)
{
    if (k->rc) return;
    if (k->db) {
        sqlite3_reset(k->st);
        for (int i = 0; i < k->ncols; i++) {
            int b = c[i].type == C_TEXT ? sqlite3_bind_text(k->st, i + 1, c[i].s, -1, SQLITE_STATIC)
                  : c[i].type == C_REAL ? sqlite3_bind_double(k->st, i + 1, c[i].d)
                  : c[i].type == C_INT  ? sqlite3_bind_int64(k->st, i + 1, c[i].i)
                                        : sqlite3_bind_null(k->st, i + 1);
            if (b != SQLITE_OK) { sink_fail(k, "insert"); return; }
        }
        if (sqlite3_step(k->st) != SQLITE_DONE) sink_fail(k, "insert");
        return;
    }
    for (int i = 0; i < k->ncols; i++) {
        char num[40];
        strbuf_printf(&k->csv, "%s", i ? "," : "");
        switch (c[i].type) {
        case C_TEXT: csv_text(&k->csv, c[i].s); break;
        case C_REAL: results_format_number(num, sizeof num, c[i].d); strbuf_printf(&k->csv, "%s", num); break;
        case C_INT: strbuf_printf(&k->csv, "%lld", c[i].i); break;
        case C_NULL: break;
        }
    }
    strbuf_printf(&k->csv, "\n");
}

static void table_end(sink_t *k)
{
    if (k->db) {
        if (k->st) sqlite3_finalize(k->st);
        k->st = NULL;
        return;
    }
    if (k->rc) return;
    if (k->csv.failed) { sink_fail(k, k->csv_path); return; }
    if (output_write_atomic(k->csv_path, strbuf_text(&k->csv), k->err, k->errlen) != 0) k->rc = -1;
}

/* ---- the tables ------------------------------------------------------------ */

static double num_or_nan(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str_or_null(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A JSON value as a cell: numbers and strings as themselves, others as JSON
 * text (into *owned, freed by the caller). */
static cell_t json_cell(const cJSON *v, char **owned)
{
    *owned = NULL;
    if (!v || cJSON_IsNull(v)) return null();
    if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9007199254740992.0)
        return integer((long long)v->valuedouble); /* a TTL of 60 reads back as 60, not 60.0 */
    if (cJSON_IsNumber(v)) return real(v->valuedouble);
    if (cJSON_IsString(v)) return text(v->valuestring);
    if (cJSON_IsBool(v)) return integer(cJSON_IsTrue(v));
    *owned = cJSON_PrintUnformatted(v);
    return text(*owned);
}

#define RUN_FIXED 13

static void emit_runs(export_set_t *x, sink_t *k)
{
    column_t cols[RUN_FIXED + 64];
    static const column_t fixed[RUN_FIXED] = {
        { "run", "TEXT PRIMARY KEY" }, { "file", "TEXT" }, { "scenario", "TEXT" }, { "seed", "TEXT" },
        { "point", "INTEGER" }, { "replication", "INTEGER" }, { "duration_s", "REAL" },
        { "warmup_s", "REAL" }, { "result_version", "INTEGER" }, { "version", "TEXT" },
        { "git", "TEXT" }, { "config", "TEXT" }, { "overrides", "TEXT" },
    };
    int np = x->nparams < 64 ? x->nparams : 64;
    memcpy(cols, fixed, sizeof fixed);
    for (int i = 0; i < np; i++) cols[RUN_FIXED + i] = (column_t){ x->param_cols[i], "" };
    table_begin(k, "runs", cols, RUN_FIXED + np);
    for (size_t r = 0; r < x->n; r++) {
        const cJSON *j = x->runs[r].json, *sw = cJSON_GetObjectItemCaseSensitive(j, "sweep");
        const cJSON *prog = cJSON_GetObjectItemCaseSensitive(j, "program");
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(sw, "parameters");
        char *conf = NULL, *over = NULL, *pv[64] = { 0 };
        cell_t c[RUN_FIXED + 64];
        double point = num_or_nan(sw, "point"), rep = num_or_nan(sw, "replication");
        c[0] = text(x->runs[r].id);
        c[1] = text(x->runs[r].file);
        c[2] = text(str_or_null(j, "scenario"));
        c[3] = text(x->runs[r].seed);
        c[4] = isfinite(point) ? integer((long long)point) : null();
        c[5] = isfinite(rep) ? integer((long long)rep) : null();
        c[6] = real(num_or_nan(j, "duration_s"));
        c[7] = real(num_or_nan(j, "warmup_s"));
        c[8] = integer(version_of(j));
        c[9] = text(str_or_null(prog, "version"));
        c[10] = text(str_or_null(prog, "git"));
        cJSON *cf = cJSON_GetObjectItemCaseSensitive(j, "config");
        if (cJSON_IsObject(cf) && cJSON_GetObjectItemCaseSensitive(cf, "seed")) /* exact, not rounded */
            cJSON_ReplaceItemInObjectCaseSensitive(cf, "seed", cJSON_CreateRaw(x->runs[r].seed));
        c[11] = json_cell(cf, &conf);
        c[12] = json_cell(cJSON_GetObjectItemCaseSensitive(j, "overrides"), &over);
        for (int i = 0; i < np; i++)
            c[RUN_FIXED + i] = json_cell(cJSON_GetObjectItemCaseSensitive(params, x->params[i]), &pv[i]);
        row(k, c);
        cJSON_free(conf);
        cJSON_free(over);
        for (int i = 0; i < np; i++) cJSON_free(pv[i]);
    }
    table_end(k);
}

static void emit_metrics(const export_set_t *x, sink_t *k)
{
    static const column_t cols[] = { { "run", "TEXT" }, { "metric", "TEXT" }, { "value", "REAL" } };
    table_begin(k, "metrics", cols, 3);
    for (size_t r = 0; r < x->n && !k->rc; r++) {
        results_flat_t fl = { 0 };
        if (results_flatten(x->runs[r].json, &fl) != 0) sink_fail(k, "metrics");
        for (size_t i = 0; i < fl.n; i++)
            row(k, (cell_t[]){ text(x->runs[r].id), text(fl.f[i].name), real(fl.f[i].value) });
        results_flat_free(&fl);
    }
    table_end(k);
}

static void emit_pops(const export_set_t *x, sink_t *k)
{
    static const column_t cols[] = { { "run", "TEXT" }, { "pop", "TEXT" }, { "metric", "TEXT" }, { "value", "REAL" } };
    table_begin(k, "pops", cols, 4);
    for (size_t r = 0; r < x->n && !k->rc; r++) {
        const cJSON *pops = cJSON_GetObjectItemCaseSensitive(x->runs[r].json, "pops");
        for (const cJSON *p = cJSON_IsArray(pops) ? pops->child : NULL; p; p = p->next) {
            const char *id = str_or_null(p, "id");
            results_flat_t fl = { 0 };
            if (!id) continue;
            if (results_flatten(p, &fl) != 0) sink_fail(k, "pops");
            for (size_t i = 0; i < fl.n; i++)
                row(k, (cell_t[]){ text(x->runs[r].id), text(id), text(fl.f[i].name), real(fl.f[i].value) });
            results_flat_free(&fl);
        }
    }
    table_end(k);
}

/* The arrays of one series object beside the times t_s: every numeric array
 * of the same length is a metric. */
static void series_rows(sink_t *k, const char *run, const char *pop, const cJSON *o, const cJSON *t)
{
    int n = cJSON_GetArraySize(t);
    for (const cJSON *m = o->child; m; m = m->next) {
        if (!cJSON_IsArray(m) || !strcmp(m->string, "t_s") || cJSON_GetArraySize(m) != n) continue;
        const cJSON *tv = t->child;
        for (const cJSON *v = m->child; v && tv; v = v->next, tv = tv->next)
            if (cJSON_IsNumber(v) && cJSON_IsNumber(tv))
                row(k, (cell_t[]){ text(run), real(tv->valuedouble), text(pop), text(m->string), real(v->valuedouble) });
    }
}

static void emit_timeseries(const export_set_t *x, sink_t *k)
{
    static const column_t cols[] = { { "run", "TEXT" }, { "t", "REAL" }, { "pop", "TEXT" },
                                     { "metric", "TEXT" }, { "value", "REAL" } };
    table_begin(k, "timeseries", cols, 5);
    for (size_t r = 0; r < x->n && !k->rc; r++) {
        const cJSON *ts = cJSON_GetObjectItemCaseSensitive(x->runs[r].json, "timeseries");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(ts, "t_s");
        if (!cJSON_IsArray(t)) continue;
        series_rows(k, x->runs[r].id, "all", ts, t);
        const cJSON *pops = cJSON_GetObjectItemCaseSensitive(ts, "pops");
        for (const cJSON *p = cJSON_IsArray(pops) ? pops->child : NULL; p; p = p->next)
            if (str_or_null(p, "id")) series_rows(k, x->runs[r].id, str_or_null(p, "id"), p, t);
    }
    table_end(k);
}

static void emit_catchments(const export_set_t *x, sink_t *k)
{
    static const column_t cols[] = { { "run", "TEXT" }, { "at_s", "REAL" }, { "kind", "TEXT" },
                                     { "pop", "TEXT" }, { "metric", "TEXT" }, { "value", "REAL" } };
    table_begin(k, "catchments", cols, 6);
    for (size_t r = 0; r < x->n && !k->rc; r++) {
        const char *run = x->runs[r].id;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(x->runs[r].json, "catchments");
        if (!cJSON_IsObject(c)) continue;
        /* after each operation: the traffic share of every PoP */
        const cJSON *tl = cJSON_GetObjectItemCaseSensitive(c, "timeline");
        for (const cJSON *e = cJSON_IsArray(tl) ? tl->child : NULL; e; e = e->next) {
            double at = num_or_nan(e, "at_s");
            const char *kind = str_or_null(e, "kind");
            for (const cJSON *m = e->child; m; m = m->next)
                if (cJSON_IsNumber(m) && strcmp(m->string, "at_s"))
                    row(k, (cell_t[]){ text(run), real(at), text(kind), text("all"), text(m->string), real(m->valuedouble) });
            const cJSON *sh = cJSON_GetObjectItemCaseSensitive(e, "shares");
            for (const cJSON *s = cJSON_IsObject(sh) ? sh->child : NULL; s; s = s->next)
                if (cJSON_IsNumber(s))
                    row(k, (cell_t[]){ text(run), real(at), text(kind), text(s->string), text("share"), real(s->valuedouble) });
        }
        /* the state at the end of the run */
        double end = num_or_nan(x->runs[r].json, "duration_s");
        results_flat_t fl = { 0 };
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(c, "summary");
        if (cJSON_IsObject(sum) && results_flatten(sum, &fl) != 0) sink_fail(k, "catchments");
        for (size_t i = 0; i < fl.n; i++)
            row(k, (cell_t[]){ text(run), real(end), text("end"), text("all"), text(fl.f[i].name), real(fl.f[i].value) });
        results_flat_free(&fl);
        const cJSON *pops = cJSON_GetObjectItemCaseSensitive(c, "pops");
        for (const cJSON *p = cJSON_IsArray(pops) ? pops->child : NULL; p; p = p->next) {
            const char *id = str_or_null(p, "id");
            results_flat_t pf = { 0 };
            if (!id) continue;
            if (results_flatten(p, &pf) != 0) sink_fail(k, "catchments");
            for (size_t i = 0; i < pf.n; i++)
                if (strcmp(pf.f[i].name, "lat") && strcmp(pf.f[i].name, "lon"))
                    row(k, (cell_t[]){ text(run), real(end), text("end"), text(id), text(pf.f[i].name), real(pf.f[i].value) });
            results_flat_free(&pf);
        }
    }
    table_end(k);
}

static void emit_operations(const export_set_t *x, sink_t *k)
{
    static const column_t cols[] = { { "run", "TEXT" }, { "at_s", "REAL" }, { "kind", "TEXT" }, { "target", "TEXT" } };
    table_begin(k, "operations", cols, 4);
    for (size_t r = 0; r < x->n && !k->rc; r++) {
        const cJSON *ops = cJSON_GetObjectItemCaseSensitive(x->runs[r].json, "operations");
        for (const cJSON *o = cJSON_IsArray(ops) ? ops->child : NULL; o; o = o->next) {
            char *owned = NULL;
            cell_t target = json_cell(cJSON_GetObjectItemCaseSensitive(o, "target"), &owned);
            row(k, (cell_t[]){ text(x->runs[r].id), real(num_or_nan(o, "at_s")), text(str_or_null(o, "kind")), target });
            cJSON_free(owned);
        }
    }
    table_end(k);
}

static void emit_all(export_set_t *x, sink_t *k)
{
    emit_runs(x, k);
    emit_metrics(x, k);
    emit_pops(x, k);
    emit_timeseries(x, k);
    emit_catchments(x, k);
    emit_operations(x, k);
}

/* ---- writers ------------------------------------------------------------------ */

int export_sqlite(export_set_t *x, const char *file, char *err, size_t errlen)
{
    if (!output_writable(file, err, errlen)) return -2;
    size_t n = strlen(file) + 16;
    char *tmp = malloc(n);
    if (!tmp) { snprintf(err, errlen, "out of memory"); return -1; }
    snprintf(tmp, n, "%s.tmp.XXXXXX", file);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", file, strerror(errno));
        free(tmp);
        return -2;
    }
    fchmod(fd, 0644);
    close(fd);
    sink_t k = { .err = err, .errlen = errlen };
    if (sqlite3_open_v2(tmp, &k.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) sink_fail(&k, file);
    /* the file is ours until the rename: no journal, no syncs (a crash
     * leaves a temporary file, never a partial database under the name) */
    if (!k.rc && sqlite3_exec(k.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        sink_fail(&k, file);
    emit_all(x, &k);
    static const char indexes[] =
        "CREATE INDEX metrics_by_metric ON metrics(metric, run);"
        "CREATE INDEX pops_by_metric ON pops(metric, pop);"
        "CREATE INDEX timeseries_by_metric ON timeseries(metric, pop, run);"
        "CREATE INDEX catchments_by_pop ON catchments(pop, kind);"
        "COMMIT";
    if (!k.rc && sqlite3_exec(k.db, indexes, NULL, NULL, NULL) != SQLITE_OK) sink_fail(&k, file);
    if (k.db && sqlite3_close(k.db) != SQLITE_OK && !k.rc) { k.rc = -1; snprintf(err, errlen, "%s: cannot close the database", file); }
    if (!k.rc && rename(tmp, file) != 0) {
        k.rc = -1;
        snprintf(err, errlen, "%s: cannot write: %s", file, strerror(errno));
    }
    if (k.rc) unlink(tmp);
    free(tmp);
    return k.rc;
}

int export_csv(export_set_t *x, const char *dir, char *err, size_t errlen)
{
    if (!is_dir(dir) && mkdir(dir, 0755) != 0) {
        snprintf(err, errlen, "%s: cannot create the folder: %s", dir, strerror(errno));
        return -2;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "%s: cannot write into the folder: %s", dir, strerror(errno));
        return -2;
    }
    sink_t k = { .csv_dir = dir, .err = err, .errlen = errlen };
    emit_all(x, &k);
    strbuf_free(&k.csv);
    return k.rc;
}
