/* results — reading and flattening result documents; see results.h. */
#include "analysis/results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cfg.h"

bool results_skipped_key(const char *key)
{
    static const char *const skipped[] = { "seed", "wall_s", "timeseries", "sweep", "config", "program",
                                           "result_version", NULL };
    for (int i = 0; skipped[i]; i++)
        if (strcmp(key, skipped[i]) == 0) return true;
    /* any other wall-clock field, present or future: *_wall_s, wall_* */
    size_t n = strlen(key);
    return strncmp(key, "wall_", 5) == 0 || (n > 7 && strcmp(key + n - 7, "_wall_s") == 0);
}

static int push(results_flat_t *fl, const char *name, double v)
{
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 32;
        results_field_t *f = realloc(fl->f, cap * sizeof *f);
        if (!f) return -1;
        fl->f = f;
        fl->cap = cap;
    }
    char *s = strdup(name);
    if (!s) return -1;
    fl->f[fl->n].name = s;
    fl->f[fl->n].value = v;
    fl->n++;
    return 0;
}

static int walk(const cJSON *obj, const char *prefix, results_flat_t *out)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (!m->string || (!*prefix && results_skipped_key(m->string))) continue;
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", m->string);
        if (cJSON_IsNumber(m)) {
            if (push(out, name, m->valuedouble) != 0) return -1;
        } else if (cJSON_IsObject(m)) {
            if (walk(m, name, out) != 0) return -1;
        }
    }
    return 0;
}

int results_flatten(const cJSON *res, results_flat_t *out)
{
    return cJSON_IsObject(res) ? walk(res, "", out) : 0;
}

void results_flat_free(results_flat_t *fl)
{
    for (size_t i = 0; i < fl->n; i++) free(fl->f[i].name);
    free(fl->f);
    memset(fl, 0, sizeof *fl);
}

long results_flat_find(const results_flat_t *fl, const char *name)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->f[i].name, name) == 0) return (long)i;
    return -1;
}

bool results_is_run(const cJSON *j)
{
    return cJSON_IsObject(j) && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "requests")) &&
           cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "hit_ratio"));
}

bool results_is_summary(const cJSON *j)
{
    const cJSON *pts = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "points") : NULL;
    if (!cJSON_IsArray(pts)) return false;
    for (const cJSON *p = pts->child; p; p = p->next)
        if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(p, "parameters")) ||
            !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(p, "metrics")))
            return false;
    return true;
}

bool results_is_catchments(const cJSON *j)
{
    const cJSON *sum = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "summary") : NULL;
    return cJSON_IsObject(sum) && cJSON_GetObjectItemCaseSensitive(sum, "not_nearest_share") &&
           cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "pops")) &&
           !cJSON_GetObjectItemCaseSensitive(j, "requests");
}

cJSON *results_load(const char *path, char **shown, char *err, size_t errlen)
{
    struct stat st;
    size_t n = strlen(path) + 16;
    char *file = malloc(n);
    if (!file) { snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, n, "%s/summary.json", path);
    else
        snprintf(file, n, "%s", path);
    cfg_t c;
    cfg_init(&c, file);
    cJSON *j = cfg_load_file(&c, file);
    if (!j) {
        snprintf(err, errlen, "%s", c.err);
        free(file);
        errno = cfg_oom(&c) ? ENOMEM : EINVAL;
        return NULL;
    }
    *shown = file;
    return j;
}

void results_format_number(char *buf, size_t len, double v)
{
    if (!isfinite(v)) { snprintf(buf, len, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"); return; }
    snprintf(buf, len, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, len, "%.16g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, len, "%.17g", v);
}
