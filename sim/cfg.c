/* cfg — checked configuration reading; see cfg.h. */
#include "sim/cfg.h"
#include "sim/textfile.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg_init(cfg_t *c, const char *file)
{
    memset(c, 0, sizeof *c);
    c->file = file;
}

bool cfg_failed(const cfg_t *c) { return c->failed; }
bool cfg_oom(const cfg_t *c) { return c->failed && c->oom; }

void cfg_nomem(cfg_t *c, const char *path)
{
    if (c->failed) return;
    cfg_fail(c, path, "out of memory");
    c->oom = true;
}

/* cJSON's allocations, counted as failed per thread: cJSON reports a
 * failed allocation and malformed text alike (NULL), and only this tells
 * them apart. The hooks are installed once, before any parse. */
static _Thread_local bool alloc_failed;
static void *counted_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p) alloc_failed = true;
    return p;
}
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static void install_hooks(void)
{
    cJSON_Hooks h = { counted_malloc, free };
    cJSON_InitHooks(&h);
}

void cfg_fail(cfg_t *c, const char *path, const char *fmt, ...)
{
    if (c->failed) return;
    c->failed = true;
    int n = snprintf(c->err, sizeof c->err, "%s: %s%s", c->file, path ? path : "",
                     path ? ": " : "");
    if (n < 0 || (size_t)n >= sizeof c->err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
    va_end(ap);
}

/* A short rendering of a JSON value for "got ..." in messages. */
static const char *shown(const cJSON *v, char *buf, size_t len)
{
    /* cJSON reads 1e400 as infinity and prints it as null */
    if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
        return "a number out of range (beyond a double's 1.8e308)";
    char *s = cJSON_PrintUnformatted(v);
    if (!s) return "?";
    if (strlen(s) >= len && len > 4) { memcpy(buf, s, len - 4); strcpy(buf + len - 4, "..."); }
    else snprintf(buf, len, "%s", s);
    cJSON_free(s);
    return buf;
}

static void line_col(const char *text, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') { (*line)++; *col = 1; } else (*col)++;
    }
}

/* The first escaped NUL (\u0000) of valid JSON text, or NULL. Backslashes
 * appear only inside strings there, each starting an escape, so pairs are
 * skipped and "\\u0000" (an escaped backslash, then text) is no NUL. */
static const char *escaped_nul(const char *text, size_t len)
{
    for (const char *p = memchr(text, '\\', len), *end = text + len; p && p + 1 < end; ) {
        if (p[1] == 'u' && end - p >= 6 && memcmp(p + 2, "0000", 4) == 0) return p;
        p += 2;
        p = p < end ? memchr(p, '\\', (size_t)(end - p)) : NULL;
    }
    return NULL;
}

cJSON *cfg_parse(cfg_t *c, const char *text, size_t len)
{
    pthread_once(&hooks_once, install_hooks);
    alloc_failed = false;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, false);
    int line, col;
    if (!j) {
        if (alloc_failed) { cfg_nomem(c, NULL); return NULL; }
        const char *at = cJSON_GetErrorPtr();
        line = col = 1;
        if (at && at >= text && at <= text + len) line_col(text, at, &line, &col);
        cfg_fail(c, NULL, "line %d, column %d: malformed JSON", line, col);
        return NULL;
    }
    const char *rest = end && end >= text && end <= text + len ? end : text + len;
    while (rest < text + len && (*rest == ' ' || *rest == '\t' || *rest == '\n' || *rest == '\r')) rest++;
    const char *nul = escaped_nul(text, len);
    if (rest < text + len) {
        line_col(text, rest, &line, &col);
        cfg_fail(c, NULL, "line %d, column %d: text after the end of the JSON value", line, col);
    } else if (nul) {
        line_col(text, nul, &line, &col);
        cfg_fail(c, NULL, "line %d, column %d: an escaped NUL (\\u0000) in a string: "
                 "no key or value may hold one", line, col);
    } else {
        return j;
    }
    cJSON_Delete(j);
    return NULL;
}

cJSON *cfg_load_file(cfg_t *c, const char *filename)
{
    char why[256];
    size_t n;
    char *text = textfile_read(filename, &n, why, sizeof why);
    if (!text) {
        bool nomem = errno == ENOMEM;
        cfg_fail(c, NULL, "%s", why);
        c->oom = nomem;
        return NULL;
    }
    cJSON *j = cfg_parse(c, text, n);
    free(text);
    return j;
}

static void remember(cfg_obj_t *o, const char *key)
{
    for (int i = 0; i < o->nknown; i++)
        if (strcmp(o->known[i], key) == 0) return;
    if (o->nknown < CFG_KEYS_MAX) o->known[o->nknown++] = key;
}

static void join(char *out, const char *base, const char *key)
{
    snprintf(out, CFG_PATH_MAX, "%s.%s", base, key);
}

/* Looks a key up, marking it known; reports absence of a required key. */
static const cJSON *lookup(cfg_obj_t *o, const char *key, int flags)
{
    remember(o, key);
    if (o->c->failed) return NULL;
    const cJSON *v = o->json ? cJSON_GetObjectItemCaseSensitive(o->json, key) : NULL;
    if (!v && (flags & CFG_REQUIRED)) {
        char p[CFG_PATH_MAX];
        join(p, o->path, key);
        cfg_fail(o->c, p, "required key is missing");
    }
    return v;
}

static bool expected(cfg_obj_t *o, const char *key, const cJSON *v, const char *what)
{
    char p[CFG_PATH_MAX], b[80];
    join(p, o->path, key);
    cfg_fail(o->c, p, "expected %s, got %s", what, shown(v, b, sizeof b));
    return false;
}

static const char NOMEM[] = "";

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* A key that appears twice in object json (the first in file order among
 * the few; any of them when there are many), NULL, or NOMEM. Pairwise for
 * small objects; sorted for large ones, so a map of 200,000 keys costs
 * n log n, not n^2 comparisons. */
static const char *duplicate_key(const cJSON *json)
{
    size_t n = 0;
    for (const cJSON *a = json->child; a; a = a->next) n++;
    if (n <= 32) {
        for (const cJSON *a = json->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (a->string && b->string && strcmp(a->string, b->string) == 0) return a->string;
        return NULL;
    }
    const cJSON **v = malloc(n * sizeof *v);
    if (!v) return NOMEM;
    size_t k = 0;
    for (const cJSON *a = json->child; a; a = a->next)
        if (a->string) v[k++] = a;
    qsort(v, k, sizeof *v, by_key);
    const char *dup = NULL;
    for (size_t i = 1; i < k && !dup; i++)
        if (strcmp(v[i - 1]->string, v[i]->string) == 0) dup = v[i]->string;
    free(v);
    return dup;
}

bool cfg_view(cfg_t *c, const cJSON *json, const char *path, cfg_obj_t *out)
{
    memset(out, 0, sizeof *out);
    out->c = c;
    snprintf(out->path, sizeof out->path, "%s", path);
    if (c->failed) return false;
    if (json && !cJSON_IsObject(json)) {
        char b[80];
        cfg_fail(c, path, "expected an object, got %s", shown(json, b, sizeof b));
        return false;
    }
    out->json = json;
    const char *dup = json ? duplicate_key(json) : NULL;
    if (dup == NOMEM) { cfg_nomem(c, path); return false; }
    if (dup) { /* one of the two values would silently win */
        char p[CFG_PATH_MAX];
        join(p, path, dup);
        cfg_fail(c, p, "key appears twice");
        return false;
    }
    return true;
}

bool cfg_child(cfg_obj_t *o, const char *key, cfg_obj_t *out, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    char p[CFG_PATH_MAX];
    join(p, o->path, key);
    if (!cfg_view(o->c, v, p, out)) return false;
    return v != NULL;
}

bool cfg_array(cfg_obj_t *o, const char *key, const cJSON **out, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    *out = NULL;
    if (!v) return false;
    if (!cJSON_IsArray(v)) return expected(o, key, v, "an array");
    *out = v;
    return true;
}

bool cfg_elem(cfg_obj_t *o, const char *key, const cJSON *arr, int i, cfg_obj_t *out)
{
    char p[CFG_PATH_MAX];
    snprintf(p, sizeof p, "%s.%s[%d]", o->path, key, i);
    cfg_t *c = o->c;
    const cJSON *v;
    if (arr == c->elem_arr && c->elem_at && i == c->elem_i + 1) v = c->elem_at->next;
    else if (arr == c->elem_arr && c->elem_at && i == c->elem_i) v = c->elem_at;
    else v = cJSON_GetArrayItem(arr, i);
    c->elem_arr = arr;
    c->elem_at = v;
    c->elem_i = i;
    if (!v && !o->c->failed) { cfg_fail(o->c, p, "no such element"); return false; }
    return cfg_view(o->c, v, p, out) && v;
}

static void describe_range(char *buf, size_t len, const char *noun, double lo, double hi,
                           int flags, bool integer)
{
    bool open = flags & CFG_LO_OPEN, unbounded = hi >= (integer ? 9007199254740992.0 : HUGE_VAL);
    if (lo == 0 && unbounded)
        snprintf(buf, len, "a %s %s", open ? "positive" : "non-negative", noun);
    else if (integer && lo == 1 && !open && unbounded)
        snprintf(buf, len, "a positive %s", noun);
    else if (unbounded)
        snprintf(buf, len, "a %s %s %.15g", noun, open ? ">" : ">=", lo);
    else
        snprintf(buf, len, "a %s %s %.15g and <= %.15g", noun, open ? ">" : ">=", lo, hi);
}

bool cfg_num(cfg_obj_t *o, const char *key, double *out, double lo, double hi, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    if (!v) return false;
    char what[128];
    describe_range(what, sizeof what, "number", lo, hi, flags, false);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return expected(o, key, v, what);
    double d = v->valuedouble;
    if (d < lo || d > hi || ((flags & CFG_LO_OPEN) && d == lo)) return expected(o, key, v, what);
    *out = d;
    return true;
}

bool cfg_int(cfg_obj_t *o, const char *key, int64_t *out, int64_t lo, int64_t hi, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    if (!v) return false;
    char what[128];
    describe_range(what, sizeof what, "integer", (double)lo, (double)hi, flags, true);
    /* JSON numbers are doubles: only integers up to 2^53 are exact. */
    if (!cJSON_IsNumber(v)) return expected(o, key, v, what);
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
        return expected(o, key, v, what);
    int64_t i = (int64_t)d;
    if (i < lo || i > hi || ((flags & CFG_LO_OPEN) && i == lo)) return expected(o, key, v, what);
    *out = i;
    return true;
}

bool cfg_bool(cfg_obj_t *o, const char *key, bool *out, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    if (!v) return false;
    if (!cJSON_IsBool(v)) return expected(o, key, v, "true or false");
    *out = cJSON_IsTrue(v);
    return true;
}

bool cfg_str(cfg_obj_t *o, const char *key, const char **out, int flags)
{
    const cJSON *v = lookup(o, key, flags);
    if (!v) return false;
    if (!cJSON_IsString(v)) return expected(o, key, v, "a string");
    *out = v->valuestring;
    return true;
}

bool cfg_enum(cfg_obj_t *o, const char *key, int *out, const char *const *names, int flags)
{
    const char *s = NULL;
    if (!cfg_str(o, key, &s, flags)) return false;
    int n = 0;
    for (int i = 0; names[i]; i++, n++)
        if (strcmp(names[i], s) == 0) { *out = i; return true; }
    const char *near = cfg_nearest(s, names, n);
    if (near) {
        char p[CFG_PATH_MAX];
        join(p, o->path, key);
        cfg_fail(o->c, p, "unknown value \"%s\"; did you mean \"%s\"?", s, near);
        return false;
    }
    char what[512] = "one of", *w = what + strlen(what);
    for (int i = 0; names[i] && w < what + sizeof what - 32; i++)
        w += snprintf(w, (size_t)(what + sizeof what - w), "%s \"%s\"", i ? "," : "", names[i]);
    return expected(o, key, cJSON_GetObjectItemCaseSensitive(o->json, key), what);
}

const cJSON *cfg_raw(cfg_obj_t *o, const char *key) { return lookup(o, key, 0); }

/* Levenshtein distance, for "did you mean" suggestions. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *cfg_nearest(const char *word, const char *const *cands, int n)
{
    const char *best = NULL;
    int bestd = 99;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(word, cands[i]);
        if (d < bestd) { bestd = d; best = cands[i]; }
    }
    /* close enough to be a slip: a third of the word's letters, at least 2 */
    int near = (int)strlen(word) / 3;
    return best && bestd <= (near > 2 ? near : 2) && bestd < (int)strlen(best) ? best : NULL;
}

void cfg_done(cfg_obj_t *o)
{
    if (o->c->failed || !o->json) return;
    for (const cJSON *m = o->json->child; m; m = m->next) {
        bool known = false;
        for (int i = 0; i < o->nknown && !known; i++) known = strcmp(o->known[i], m->string) == 0;
        if (known) continue;
        const char *best = cfg_nearest(m->string, o->known, o->nknown);
        char p[CFG_PATH_MAX];
        join(p, o->path, m->string);
        if (best) {
            cfg_fail(o->c, p, "unknown key; did you mean \"%s\"?", best);
        } else {
            char list[512] = "", *w = list;
            for (int i = 0; i < o->nknown && w < list + sizeof list - 40; i++)
                w += snprintf(w, (size_t)(list + sizeof list - w), "%s%s", i ? ", " : "", o->known[i]);
            cfg_fail(o->c, p, "unknown key; known keys here: %s", list);
        }
        return;
    }
}

int cfg_apply_set(cJSON *root, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        snprintf(err, errlen, "--set %s: expected PATH=VALUE", assignment);
        return -1;
    }
    char path[CFG_PATH_MAX];
    size_t plen = (size_t)(eq - assignment);
    if (plen >= sizeof path) { snprintf(err, errlen, "--set: path too long"); return -1; }
    memcpy(path, assignment, plen);
    path[plen] = 0;
    const char *text = eq + 1;
    /* all of VALUE must be the JSON ("1 x" is the string "1 x", not 1) */
    pthread_once(&hooks_once, install_hooks);
    cJSON *value = cJSON_ParseWithOpts(text, NULL, true);
    if (value && escaped_nul(text, strlen(text))) {
        snprintf(err, errlen, "--set %s: an escaped NUL (\\u0000) in a string", assignment);
        cJSON_Delete(value);
        return -1;
    }
    if (!value) value = cJSON_CreateString(text);
    if (!value) { snprintf(err, errlen, "--set: out of memory"); return -1; }

    cJSON *node = root;
    char *save = NULL, *seg = strtok_r(path, ".", &save);
    char walked[CFG_PATH_MAX] = "$";
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        size_t wl = strlen(walked);
        snprintf(walked + wl, sizeof walked - wl, ".%s", seg);
        if (!cJSON_IsObject(node)) {
            snprintf(err, errlen, "--set %s: %s is not an object", assignment, walked);
            cJSON_Delete(value);
            return -1;
        }
        if (!next) {
            if (cJSON_GetObjectItemCaseSensitive(node, seg))
                cJSON_ReplaceItemInObjectCaseSensitive(node, seg, value);
            else
                cJSON_AddItemToObject(node, seg, value);
            return 0;
        }
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, seg);
        if (!child) child = cJSON_AddObjectToObject(node, seg);
        node = child;
        seg = next;
    }
    snprintf(err, errlen, "--set %s: empty path", assignment);
    cJSON_Delete(value);
    return -1;
}
