/* sweep — expansion, parallel runs, resume and summary; see sweep.h.
 *
 * Parallelism is one forked worker process per run, at most `jobs` alive:
 * the parent hands the next run to whichever worker slot frees first, so a
 * slow point never holds up the others (dynamic load balancing), and a run
 * that crashes takes nothing else down. A worker reports only through its
 * exit status, its atomically written result file and, on failure, a message
 * on a pipe; the parent alone decides what is finished. */
#include "analysis/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>

#include "analysis/provenance.h"
#include "analysis/results.h"
#include "analysis/strbuf.h"
#include "models/cdn/cdn.h"
#include "models/scenario/scenario.h"
#include "models/workload/workload.h"
#include "sim/cfg.h"
#include "sim/output.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/wallclock.h"

#define MAX_REPLICATIONS 10000
/* A sweep past these is refused as bad input (exit 2) before any work:
 * 10,000 points take a few seconds to check and, at a second a run, hours
 * to run; 100x100x100 values (a million points) was checked for 30 s
 * before anything was said. */
#define MAX_POINTS 10000
#define MAX_RUNS 1000000
#define MAX_PARAMS 32

struct sweep {
    char *file;             /* as given, for messages */
    char *base_file;        /* the scenario file every run loads */
    char *base_ref;         /* "single_pop.json" as written, or NULL for inline */
    bool base_is_temp;      /* base_file is our temporary copy of an inline base */
    cJSON *base_json;       /* the base scenario as read, for the summary */
    uint64_t base_hash;     /* of the program and base_json's text: in every fingerprint */
    unsigned reps;          /* >= 1 */
    int nparams;
    char **param_path;      /* --set paths, in file order */
    cJSON **param_values;   /* each a non-empty array, owned */
    size_t *param_count;    /* length of each list */
    size_t npoints;         /* product of param_count; 1 with no parameters */
    uint64_t *point_seed;   /* each point's scenario seed after its overrides */
};

/* ---- small helpers ---------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL; /* a separator, so "ab","c" != "a","bc" */
}

/* A hash of the running program's bytes: runs made by another build of
 * cdnsim (another model) must not be taken as finished. 0 when unreadable. */
static uint64_t program_hash(void)
{
    FILE *f = fopen("/proc/self/exe", "rb");
    if (!f) return 0;
    uint64_t h = 0xcbf29ce484222325ULL;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) h = (h ^ buf[i]) * 0x100000001b3ULL;
    fclose(f);
    return h;
}

static char *dir_of(const char *file)
{
    char *copy = strdup(file);
    if (!copy) return NULL;
    char *d = strdup(dirname(copy));
    free(copy);
    return d;
}

static char *join_path(const char *dir, const char *rel)
{
    if (rel[0] == '/') return strdup(rel);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *out = malloc(n);
    if (out) snprintf(out, n, "%s/%s", dir, rel);
    return out;
}

/* mkdir -p: each component in turn, an existing folder is fine; -2 when a
 * component exists and is not a folder (a file, a FIFO, a device). */
static int make_dirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            struct stat st;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
                return -1;
            }
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
                snprintf(err, errlen, "%s: not a folder", buf);
                return -2; /* something else has the name: bad input */
            }
            *p = c;
            if (!c) break;
        }
    }
    return 0;
}

/* Index of parameter k's value at point p: nested loops, last one fastest. */
static size_t value_index(const sweep_t *sw, size_t p, int k)
{
    size_t stride = 1;
    for (int j = sw->nparams - 1; j > k; j--) stride *= sw->param_count[j];
    return (p / stride) % sw->param_count[k];
}

static const cJSON *point_value(const sweep_t *sw, size_t p, int k)
{
    return cJSON_GetArrayItem(sw->param_values[k], (int)value_index(sw, p, k));
}

static void free_sets(char **sets, int n)
{
    for (int i = 0; sets && i < n; i++) free(sets[i]);
    free(sets);
}

/* "path=<value as JSON>" for one parameter: cfg_apply_set reads the value
 * back as JSON, so strings, numbers, objects all survive the trip. */
static char *make_set(const char *path, const cJSON *v)
{
    char *text = cJSON_PrintUnformatted(v);
    if (!text) return NULL;
    size_t n = strlen(path) + strlen(text) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s=%s", path, text);
    cJSON_free(text);
    return s;
}

/* The --set assignments of point p (only parameter `only` when >= 0). */
static char **point_sets(const sweep_t *sw, size_t p, int only, int *nsets)
{
    char **sets = calloc((size_t)sw->nparams + 1, sizeof *sets);
    int n = 0;
    if (!sets) return NULL;
    for (int k = 0; k < sw->nparams; k++) {
        if (only >= 0 && k != only) continue;
        if (!(sets[n] = make_set(sw->param_path[k], point_value(sw, p, k)))) {
            free_sets(sets, n);
            return NULL;
        }
        n++;
    }
    *nsets = n;
    return sets;
}

static uint64_t run_fingerprint(const sweep_t *sw, size_t p, unsigned r)
{
    uint64_t h = sw->base_hash;
    char seed[32];
    for (int k = 0; k < sw->nparams; k++) {
        char *text = cJSON_PrintUnformatted(point_value(sw, p, k));
        h = fnv1a(fnv1a(h, sw->param_path[k]), text ? text : "?");
        cJSON_free(text);
    }
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)sweep_run_seed(sw, p, r));
    return fnv1a(h, seed);
}

/* ---- accessors ---------------------------------------------------------- */

size_t sweep_points(const sweep_t *sw) { return sw->npoints; }
unsigned sweep_replications(const sweep_t *sw) { return sw->reps; }

uint64_t sweep_run_seed(const sweep_t *sw, size_t p, unsigned r)
{
    return rng_replication_seed(sw->point_seed[p], r);
}

void sweep_run_path(const char *dir, size_t p, unsigned r, char *buf, size_t len)
{
    snprintf(buf, len, "%s/runs/p%04zu-r%u.json", dir, p, r);
}

void sweep_point_label(const sweep_t *sw, size_t p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    if (sw->nparams == 0) { snprintf(buf, len, "(base)"); return; }
    for (int k = 0; k < sw->nparams && used < len; k++) {
        char *text = cJSON_PrintUnformatted(point_value(sw, p, k));
        int w = snprintf(buf + used, len - used, "%s%s=%s", k ? " " : "", sw->param_path[k],
                         text ? text : "?");
        cJSON_free(text);
        if (w < 0) break;
        used += (size_t)w;
    }
}

void sweep_mean_ci95(const double *x, size_t n, double *mean, double *half)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m += x[i];
    m = n ? m / (double)n : 0;
    *mean = m;
    *half = 0;
    if (n < 2) return;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
    double sd = sqrt(ss / (double)(n - 1));
    *half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}

/* ---- loading and checking ------------------------------------------------ */

void sweep_free(sweep_t *sw)
{
    if (!sw) return;
    if (sw->base_is_temp && sw->base_file) unlink(sw->base_file);
    free(sw->file);
    free(sw->base_file);
    free(sw->base_ref);
    cJSON_Delete(sw->base_json);
    for (int k = 0; k < sw->nparams; k++) {
        free(sw->param_path[k]);
        cJSON_Delete(sw->param_values[k]);
    }
    free(sw->param_path);
    free(sw->param_values);
    free(sw->param_count);
    free(sw->point_seed);
    free(sw);
}

/* An inline base becomes a temporary scenario file, since scenarios are
 * loaded (and their relative paths resolved) from files. Its relative trace
 * path is made relative to the sweep file, where the user wrote it, and it
 * gets the sweep's name when it has none, so no temporary name ever reaches a
 * result. */
static int write_inline_base(sweep_t *sw, cJSON *base, cfg_t *c)
{
    char *sdir = dir_of(sw->file);
    if (!sdir) return -1;
    cJSON *w = cJSON_GetObjectItemCaseSensitive(base, "workload");
    cJSON *path = cJSON_IsObject(w) ? cJSON_GetObjectItemCaseSensitive(w, "path") : NULL;
    if (cJSON_IsString(path) && path->valuestring[0] != '/') {
        char *abs = join_path(sdir, path->valuestring);
        if (abs) cJSON_ReplaceItemInObjectCaseSensitive(w, "path", cJSON_CreateString(abs));
        free(abs);
    }
    free(sdir);
    if (!cJSON_GetObjectItemCaseSensitive(base, "name")) {
        char *copy = strdup(sw->file);
        if (!copy) return -1;
        char *stem = basename(copy), *dot = strrchr(stem, '.');
        if (dot && dot != stem) *dot = 0;
        cJSON_AddStringToObject(base, "name", stem);
        free(copy);
    }
    const char *tmpdir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/cdnsim-base-XXXXXX.json", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(tmpl, 5);
    if (fd < 0) {
        cfg_fail(c, "$.base", "cannot create a temporary file for the inline base: %s",
                 strerror(errno));
        return -1;
    }
    close(fd);
    sw->base_file = strdup(tmpl);
    sw->base_is_temp = true;
    char err[512];
    if (!sw->base_file || output_write_json(sw->base_file, base, err, sizeof err) != 0) {
        cfg_fail(c, "$.base", "%s", sw->base_file ? err : "out of memory");
        return -1;
    }
    return 0;
}

static void read_base(sweep_t *sw, cfg_obj_t *root)
{
    cfg_t *c = root->c;
    const cJSON *b = cfg_raw(root, "base");
    if (c->failed) return;
    if (!b) { cfg_fail(c, "$.base", "required key is missing (a scenario file or object)"); return; }
    if (cJSON_IsString(b)) {
        if (!*b->valuestring) { cfg_fail(c, "$.base", "expected a scenario file, got \"\""); return; }
        char *sdir = dir_of(sw->file);
        sw->base_file = sdir ? join_path(sdir, b->valuestring) : NULL;
        sw->base_ref = strdup(b->valuestring);
        free(sdir);
        cfg_t bc;
        cfg_init(&bc, sw->base_file ? sw->base_file : "?");
        sw->base_json = sw->base_file ? cfg_load_file(&bc, sw->base_file) : NULL;
        if (!sw->base_json) {
            bool was_failed = c->failed;
            cfg_fail(c, "$.base", "%s", bc.err);
            if (!was_failed) c->oom = cfg_oom(&bc);
        }
    } else if (cJSON_IsObject(b)) {
        sw->base_json = cJSON_Duplicate(b, true);
        if (!sw->base_json) { cfg_nomem(c, "$.base"); return; }
        write_inline_base(sw, sw->base_json, c);
    } else {
        cfg_fail(c, "$.base", "expected a scenario file name or an inline scenario object");
    }
    if (sw->base_json) {
        char *text = cJSON_PrintUnformatted(sw->base_json);
        sw->base_hash = fnv1a(program_hash(), text ? text : "");
        cJSON_free(text);
    }
}

static void read_parameters(sweep_t *sw, cfg_obj_t *root)
{
    cfg_t *c = root->c;
    const cJSON *ps = cfg_raw(root, "parameters");
    sw->npoints = 1;
    if (c->failed || !ps) return;
    if (!cJSON_IsObject(ps)) { cfg_fail(c, "$.parameters", "expected an object mapping --set paths to lists of values"); return; }
    int n = cJSON_GetArraySize(ps);
    if (n > MAX_PARAMS) { cfg_fail(c, "$.parameters", "at most %d parameters", MAX_PARAMS); return; }
    sw->param_path = calloc((size_t)n + 1, sizeof *sw->param_path);
    sw->param_values = calloc((size_t)n + 1, sizeof *sw->param_values);
    sw->param_count = calloc((size_t)n + 1, sizeof *sw->param_count);
    if (!sw->param_path || !sw->param_values || !sw->param_count) { cfg_fail(c, "$.parameters", "out of memory"); return; }
    for (const cJSON *p = ps->child; p; p = p->next) {
        char at[CFG_PATH_MAX];
        snprintf(at, sizeof at, "$.parameters[\"%s\"]", p->string);
        const char *s = p->string;
        bool bad_path = !*s || strchr(s, '=') || s[0] == '.' || s[strlen(s) - 1] == '.' || strstr(s, "..");
        if (bad_path) { cfg_fail(c, at, "expected a dot-separated scenario key path such as cache.capacity_objects"); return; }
        for (int k = 0; k < sw->nparams; k++)
            if (strcmp(sw->param_path[k], s) == 0) { cfg_fail(c, at, "parameter appears twice"); return; }
        if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) == 0) {
            cfg_fail(c, at, "expected a non-empty list of values");
            return;
        }
        if (sw->npoints > MAX_POINTS / (size_t)cJSON_GetArraySize(p)) { /* before the n^2 check below */
            cfg_fail(c, "$.parameters", "more than %d points (every combination of the values is "
                     "one): split the sweep", MAX_POINTS);
            return;
        }
        /* equal values would make two points indistinguishable in summaries */
        for (const cJSON *a = p->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (cJSON_Compare(a, b, true)) {
                    char *t = cJSON_PrintUnformatted(a);
                    cfg_fail(c, at, "value %s appears twice", t ? t : "?");
                    cJSON_free(t);
                    return;
                }
        int k = sw->nparams++;
        sw->param_path[k] = strdup(s);
        sw->param_values[k] = cJSON_Duplicate(p, true);
        sw->param_count[k] = (size_t)cJSON_GetArraySize(p);
        if (!sw->param_path[k] || !sw->param_values[k]) { cfg_fail(c, at, "out of memory"); return; }
        sw->npoints *= sw->param_count[k];
    }
}

/* The sweep file's words for a scenario message: an inline base's temporary
 * file name is replaced by "(inline base)". */
static void scenario_words(const sweep_t *sw, const char *msg, char *out, size_t len)
{
    size_t bl = strlen(sw->base_file);
    if (sw->base_is_temp && strncmp(msg, sw->base_file, bl) == 0)
        snprintf(out, len, "(inline base)%s", msg + bl);
    else
        snprintf(out, len, "%s", msg);
}

/* Which parameter a failed point's message is about: the one whose JSON path
 * the message names (longest match), else the first that fails alone. */
static int culprit(const sweep_t *sw, size_t p, const char *msg)
{
    int best = -1;
    size_t bestlen = 0;
    for (int k = 0; k < sw->nparams; k++) {
        char at[CFG_PATH_MAX + 4];
        snprintf(at, sizeof at, "$.%s", sw->param_path[k]);
        size_t n = strlen(at);
        for (const char *q = strstr(msg, at); q; q = strstr(q + 1, at)) {
            char next = q[n];
            if ((next == ':' || next == '.' || next == '[' || next == 0) && n > bestlen) {
                best = k;
                bestlen = n;
            }
        }
    }
    if (best >= 0) return best;
    for (int k = 0; k < sw->nparams; k++) {
        int n = 0;
        char **sets = point_sets(sw, p, k, &n), err[8];
        scenario_t *sc = sets ? scenario_load(sw->base_file, sets, n, false, 0, err, sizeof err) : NULL;
        free_sets(sets, n);
        if (!sc) return k;
        scenario_free(sc);
    }
    return -1;
}

/* Loads point p's scenario and its workload (which opens a trace), so a bad
 * value is found before any run starts. */
static bool check_point(sweep_t *sw, size_t p, cfg_t *c)
{
    int n = 0;
    char **sets = point_sets(sw, p, -1, &n), msg[1024], words[1200];
    if (!sets) { cfg_fail(c, NULL, "out of memory"); return false; }
    scenario_t *sc = scenario_load(sw->base_file, sets, n, false, 0, msg, sizeof msg);
    workload_t *w = sc ? workload_create(&sc->workload, sc->seed, false, msg, sizeof msg) : NULL;
    free_sets(sets, n);
    if (w) {
        sw->point_seed[p] = sc->seed;
        workload_destroy(w);
        scenario_free(sc);
        return true;
    }
    if (!sc && errno == ENOMEM) { /* no fault of the point's */
        cfg_fail(c, NULL, "%s", msg);
        c->oom = true;
        return false;
    }
    scenario_free(sc);
    scenario_words(sw, msg, words, sizeof words);
    if (p == 0 && sw->nparams > 0) {
        /* the base alone, without any parameter: its own fault, not theirs */
        scenario_t *b = scenario_load(sw->base_file, NULL, 0, false, 0, msg, sizeof msg);
        if (!b) {
            char bw[1200];
            scenario_words(sw, msg, bw, sizeof bw);
            cfg_fail(c, "$.base", "%s", bw);
            return false;
        }
        scenario_free(b);
    }
    int k = sw->nparams ? culprit(sw, p, msg) : -1;
    if (k < 0) {
        char label[512];
        sweep_point_label(sw, p, label, sizeof label);
        cfg_fail(c, sw->nparams ? "$.parameters" : "$.base", "%s%s%s", sw->nparams ? label : "",
                 sw->nparams ? ": " : "", words);
        return false;
    }
    char at[CFG_PATH_MAX + 32], *v = cJSON_PrintUnformatted(point_value(sw, p, k));
    snprintf(at, sizeof at, "$.parameters[\"%s\"]", sw->param_path[k]);
    cfg_fail(c, at, "value %s: %s", v ? v : "?", words);
    cJSON_free(v);
    return false;
}

int sweep_open(const char *file, sweep_t **out, char *err, size_t errlen)
{
    *out = NULL;
    cfg_t c;
    cfg_init(&c, file);
    sweep_t *sw = calloc(1, sizeof *sw);
    if (!sw || !(sw->file = strdup(file))) {
        free(sw);
        snprintf(err, errlen, "%s: out of memory", file);
        return -1;
    }
    cJSON *json = cfg_load_file(&c, file);
    cfg_obj_t root;
    if (json && !cJSON_IsObject(json)) cfg_fail(&c, "$", "expected a sweep object with \"base\" and \"parameters\"");
    if (json && cfg_view(&c, json, "$", &root)) {
        int64_t reps = 1;
        const char *ignored;
        cfg_str(&root, "name", &ignored, 0);
        cfg_str(&root, "description", &ignored, 0);
        cfg_int(&root, "replications", &reps, 1, MAX_REPLICATIONS, 0);
        sw->reps = (unsigned)reps;
        read_base(sw, &root);
        read_parameters(sw, &root);
        if (!c.failed && sw->npoints * sw->reps > MAX_RUNS)
            cfg_fail(&c, "$.replications", "%zu points x %u replications is more than %d runs",
                     sw->npoints, sw->reps, MAX_RUNS);
        cfg_done(&root);
    }
    cJSON_Delete(json);
    if (!c.failed && !(sw->point_seed = calloc(sw->npoints, sizeof *sw->point_seed)))
        cfg_nomem(&c, NULL);
    if (c.failed) {
        snprintf(err, errlen, "%s", c.err);
        sweep_free(sw);
        return cfg_oom(&c) ? -1 : -2;
    }
    *out = sw;
    return 0;
}

int sweep_check_point(sweep_t *sw, size_t p, char *err, size_t errlen)
{
    cfg_t c;
    cfg_init(&c, sw->file);
    if (check_point(sw, p, &c)) return 0;
    snprintf(err, errlen, "%s", c.err);
    return cfg_oom(&c) ? -1 : -2;
}

int sweep_load(const char *file, sweep_t **out, char *err, size_t errlen)
{
    sweep_t *sw;
    int rc = sweep_open(file, &sw, err, errlen);
    for (size_t p = 0; rc == 0 && p < sw->npoints; p++) rc = sweep_check_point(sw, p, err, errlen);
    if (rc == 0) *out = sw;
    else if (sw) sweep_free(sw);
    return rc;
}

/* ---- running ---------------------------------------------------------------- */

static cJSON *exact_integer(uint64_t v)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    return cJSON_CreateRaw(digits);
}

/* The "sweep" block a run file carries: where it belongs and its fingerprint. */
static cJSON *run_block(const sweep_t *sw, size_t p, unsigned r)
{
    cJSON *b = cJSON_CreateObject(), *params = cJSON_CreateObject();
    char fp[24];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)run_fingerprint(sw, p, r));
    cJSON_AddNumberToObject(b, "point", (double)p);
    cJSON_AddNumberToObject(b, "replication", r);
    for (int k = 0; k < sw->nparams; k++)
        cJSON_AddItemToObject(params, sw->param_path[k], cJSON_Duplicate(point_value(sw, p, k), true));
    cJSON_AddItemToObject(b, "parameters", params);
    cJSON_AddStringToObject(b, "fingerprint", fp);
    return b;
}

/* One run, start to finish, in the worker process. 0, -1 or -2. */
static int run_one(const sweep_t *sw, size_t p, unsigned r, const char *path, char *err, size_t errlen)
{
    double start = wallclock_s();
    int n = 0, rc = -1;
    char **sets = point_sets(sw, p, -1, &n);
    scenario_t *sc = NULL;
    sim_t *sim = NULL;
    cdn_t *cdn = NULL;
    cJSON *res = NULL;
    if (!sets) { snprintf(err, errlen, "out of memory"); goto done; }
    sc = scenario_load(sw->base_file, sets, n, true, sweep_run_seed(sw, p, r), err, errlen);
    if (!sc) { rc = -2; goto done; }
    if (!(sim = sim_create())) { snprintf(err, errlen, "out of memory"); goto done; }
    if ((rc = cdn_create(sc, sim, &cdn, err, errlen)) != 0) goto done;
    if ((rc = cdn_run(cdn, err, errlen)) != 0) goto done;
    res = cdn_results(cdn);
    if (!res) { snprintf(err, errlen, "out of memory"); rc = -1; goto done; }
    /* cJSON prints numbers to 15 significant digits, which rounds a 16-digit
     * replication seed; as raw digits it stays exact and rerunnable */
    cJSON_ReplaceItemInObjectCaseSensitive(res, "seed", exact_integer(sweep_run_seed(sw, p, r)));
    provenance_add(res, sc);
    cJSON_AddItemToObject(res, "sweep", run_block(sw, p, r));
    cJSON_AddNumberToObject(res, "wall_s", wallclock_s() - start);
    rc = output_write_json(path, res, err, errlen);
done:
    cJSON_Delete(res);
    cdn_destroy(cdn);
    sim_destroy(sim);
    scenario_free(sc);
    free_sets(sets, n);
    return rc;
}

/* A run is finished when its file exists and carries this run's
 * fingerprint; anything else (a file from another sweep) is rerun. */
static bool run_finished(const sweep_t *sw, size_t p, unsigned r, const char *path)
{
    if (access(path, F_OK) != 0) return false;
    cfg_t c;
    cfg_init(&c, path);
    cJSON *j = cfg_load_file(&c, path);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "sweep");
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(b, "fingerprint");
    char want[24];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)run_fingerprint(sw, p, r));
    bool ok = results_is_run(j) && cJSON_IsString(fp) && strcmp(fp->valuestring, want) == 0;
    cJSON_Delete(j);
    return ok;
}

static void describe_run(const sweep_t *sw, size_t p, unsigned r, char *buf, size_t len)
{
    char label[512];
    sweep_point_label(sw, p, label, sizeof label);
    snprintf(buf, len, "point %zu (%s) replication %u", p, label, r);
}

int sweep_prepare_dir(const char *dir, char *err, size_t errlen)
{
    char runs[4096];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    int rc = make_dirs(runs, err, errlen);
    if (rc != 0) return rc;
    /* a worker killed while writing leaves its temporary file (the result
     * itself is never half there): clear them before resuming */
    DIR *d = opendir(runs);
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d))
        if (e->d_name[0] == 'p' && strstr(e->d_name, ".json.tmp.")) {
            char path[4400];
            snprintf(path, sizeof path, "%s/%s", runs, e->d_name);
            unlink(path);
        }
    if (d) closedir(d);
    return 0;
}

bool sweep_run_finished(const sweep_t *sw, const char *dir, size_t p, unsigned r)
{
    char path[4200];
    sweep_run_path(dir, p, r, path, sizeof path);
    return run_finished(sw, p, r, path);
}

int sweep_run_single(const sweep_t *sw, const char *dir, size_t p, unsigned r, char *err, size_t errlen)
{
    char path[4200], msg[1024], what[700];
    sweep_run_path(dir, p, r, path, sizeof path);
    int st = run_one(sw, p, r, path, msg, sizeof msg);
    if (st != 0) {
        describe_run(sw, p, r, what, sizeof what);
        snprintf(err, errlen, "%s: %s", what, msg);
    }
    return st;
}

typedef struct worker {
    pid_t pid;      /* 0: slot free */
    size_t run;     /* the run it computes (point * R + r) */
    int msg_fd;     /* read end of its message pipe; EOF once it has exited */
    size_t msg_len;
    char msg[1024]; /* what it wrote: its error message, if any */
} worker_t;


int sweep_run(sweep_t *sw, const char *dir, int jobs, sweep_progress_fn progress, void *ctx,
              sweep_tally_t *tally, char *err, size_t errlen)
{
    sweep_tally_t t = { .total = sw->npoints * sw->reps, .points = sw->npoints };
    char path[4200];
    int prc = sweep_prepare_dir(dir, err, errlen);
    if (prc != 0) return prc;
    if (jobs < 1) jobs = 1;

    size_t *todo = malloc((t.total ? t.total : 1) * sizeof *todo), ntodo = 0;
    unsigned *reps_done = calloc(sw->npoints, sizeof *reps_done);
    worker_t *w = calloc((size_t)jobs, sizeof *w);
    struct pollfd *pf = calloc((size_t)jobs, sizeof *pf);
    int *slot_of = calloc((size_t)jobs, sizeof *slot_of);
    if (!todo || !w || !reps_done || !pf || !slot_of) {
        free(pf);
        free(slot_of);
        free(todo);
        free(w);
        free(reps_done);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t.total; i++) {
        size_t p = i / sw->reps;
        sweep_run_path(dir, p, (unsigned)(i % sw->reps), path, sizeof path);
        if (run_finished(sw, p, (unsigned)(i % sw->reps), path)) {
            t.reused++;
            if (++reps_done[p] == sw->reps) t.points_done++;
        } else {
            todo[ntodo++] = i;
        }
    }
    t.done = t.reused;
    if (progress) progress(&t, ctx);

    int rc = 0, alive = 0;
    size_t next = 0;
    while (next < ntodo || alive > 0) {
        /* start runs while slots are free and nothing has failed */
        while (rc == 0 && next < ntodo && alive < jobs) {
            int slot = 0;
            while (w[slot].pid) slot++;
            size_t i = todo[next], p = i / sw->reps;
            unsigned r = (unsigned)(i % sw->reps);
            int fds[2];
            if (pipe(fds) != 0) { snprintf(err, errlen, "pipe: %s", strerror(errno)); rc = -1; break; }
            fflush(stdout);
            fflush(stderr);
            pid_t pid = fork();
            if (pid < 0) {
                snprintf(err, errlen, "fork: %s", strerror(errno));
                close(fds[0]);
                close(fds[1]);
                rc = -1;
                break;
            }
            if (pid == 0) {
                char msg[1024] = "";
                close(fds[0]);
                sweep_run_path(dir, p, r, path, sizeof path);
                int st = run_one(sw, p, r, path, msg, sizeof msg);
                if (st != 0 && write(fds[1], msg, strlen(msg)) < 0) st = -1;
                _exit(st == 0 ? 0 : st == -2 ? 2 : 1);
            }
            close(fds[1]);
            w[slot].pid = pid;
            w[slot].run = i;
            w[slot].msg_fd = fds[0];
            w[slot].msg_len = 0;
            w[slot].msg[0] = 0;
            alive++;
            next++;
        }
        if (alive == 0) break;
        /* A worker alone holds the write end of its pipe, so the pipe reads
         * end of file once it has exited: poll the pipes, then wait for that
         * pid only, never reaping a child of whoever called us. */
        int n = 0;
        for (int s2 = 0; s2 < jobs; s2++)
            if (w[s2].pid) {
                pf[n] = (struct pollfd){ .fd = w[s2].msg_fd, .events = POLLIN };
                slot_of[n++] = s2;
            }
        if (poll(pf, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errlen, "poll: %s", strerror(errno));
            rc = -1;
            break;
        }
        for (int k = 0; k < n; k++) {
            if (!pf[k].revents) continue;
            worker_t *wk = &w[slot_of[k]];
            char scratch[256];
            size_t room = sizeof wk->msg - 1 - wk->msg_len;
            ssize_t got = room ? read(wk->msg_fd, wk->msg + wk->msg_len, room)
                               : read(wk->msg_fd, scratch, sizeof scratch);
            if (got < 0 && errno == EINTR) continue;
            if (got > 0) {
                if (room) wk->msg[wk->msg_len += (size_t)got] = 0;
                continue;
            }
            int status;
            while (waitpid(wk->pid, &status, 0) < 0 && errno == EINTR) {}
            size_t i = wk->run;
            close(wk->msg_fd);
            wk->pid = 0;
            alive--;
            bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (ok) {
                t.ran++;
                t.done++;
                if (++reps_done[i / sw->reps] == sw->reps) t.points_done++;
                if (progress) progress(&t, ctx);
            } else if (rc == 0) {
                char what[700];
                describe_run(sw, i / sw->reps, (unsigned)(i % sw->reps), what, sizeof what);
                if (WIFSIGNALED(status))
                    snprintf(err, errlen, "%s: worker killed by signal %d", what, WTERMSIG(status));
                else
                    snprintf(err, errlen, "%s: %s", what, *wk->msg ? wk->msg : "failed");
                rc = WIFEXITED(status) && WEXITSTATUS(status) == 2 ? -2 : -1;
            }
        }
    }
    /* a failure to fork or wait leaves workers behind: collect them */
    for (int s = 0; s < jobs; s++)
        if (w[s].pid) {
            waitpid(w[s].pid, NULL, 0);
            close(w[s].msg_fd);
        }
    free(todo);
    free(w);
    free(pf);
    free(slot_of);
    free(reps_done);
    if (tally) *tally = t;
    return rc;
}

/* ---- summary ------------------------------------------------------------------ */

/* A CSV cell: quoted when it holds a comma, quote or line break. */
static void csv_cell(strbuf_t *t, const char *s, bool first)
{
    if (!first) strbuf_put(t, ",", 1);
    if (!strpbrk(s, ",\"\n\r")) { strbuf_put(t, s, strlen(s)); return; }
    strbuf_put(t, "\"", 1);
    for (const char *q = s; *q; q++) {
        if (*q == '"') strbuf_put(t, "\"\"", 2);
        else strbuf_put(t, q, 1);
    }
    strbuf_put(t, "\"", 1);
}

static void csv_number(strbuf_t *t, double v)
{
    char num[40];
    results_format_number(num, sizeof num, v);
    csv_cell(t, num, false);
}

/* A parameter value as a CSV cell: strings bare, everything else as JSON. */
static void csv_value(strbuf_t *t, const cJSON *v)
{
    if (cJSON_IsString(v)) { csv_cell(t, v->valuestring, false); return; }
    if (cJSON_IsNumber(v)) { csv_number(t, v->valuedouble); return; }
    char *s = cJSON_PrintUnformatted(v);
    csv_cell(t, s ? s : "", false);
    cJSON_free(s);
}

/* Reads the point's R run files and their flattened fields into vals
 * (field-major: vals[f * reps + r]); the first replication fixes the fields,
 * and every other must have them all. */
static int read_point(const sweep_t *sw, const char *dir, size_t p, results_flat_t *names,
                      double **vals, char *err, size_t errlen)
{
    char path[4200];
    *vals = NULL;
    for (unsigned r = 0; r < sw->reps; r++) {
        sweep_run_path(dir, p, r, path, sizeof path);
        cfg_t c;
        cfg_init(&c, path);
        cJSON *j = cfg_load_file(&c, path);
        if (!j) { snprintf(err, errlen, "%s", c.err); return -1; }
        results_flat_t fl = { 0 };
        int st = results_flatten(j, &fl);
        cJSON_Delete(j);
        if (st != 0) { results_flat_free(&fl); snprintf(err, errlen, "out of memory"); return -1; }
        if (r == 0) {
            *names = fl;
            *vals = malloc((fl.n ? fl.n : 1) * sw->reps * sizeof **vals);
            if (!*vals) { snprintf(err, errlen, "out of memory"); return -1; }
        }
        for (size_t f = 0; f < names->n; f++) {
            long at = results_flat_find(&fl, names->f[f].name);
            if (at < 0) {
                snprintf(err, errlen, "%s: field %s missing (replication 0 has it)", path, names->f[f].name);
                if (r) results_flat_free(&fl);
                return -1;
            }
            (*vals)[f * sw->reps + r] = fl.f[at].value;
        }
        if (r) results_flat_free(&fl);
    }
    return 0;
}

static void add_stat(cJSON *metrics, const char *name, const double *x, unsigned n)
{
    double mean, half;
    sweep_mean_ci95(x, n, &mean, &half);
    cJSON *m = cJSON_AddObjectToObject(metrics, name);
    cJSON_AddNumberToObject(m, "mean", mean);
    cJSON_AddNumberToObject(m, "ci95", half);
}

static cJSON *summary_head(const sweep_t *sw)
{
    cJSON *sum = cJSON_CreateObject();
    char *copy = strdup(sw->file);
    if (!sum || !copy) { cJSON_Delete(sum); free(copy); return NULL; }
    cJSON_AddStringToObject(sum, "sweep", basename(copy));
    free(copy);
    if (sw->base_ref) cJSON_AddStringToObject(sum, "base_file", sw->base_ref);
    cJSON_AddItemToObject(sum, "base", cJSON_Duplicate(sw->base_json, true));
    cJSON_AddNumberToObject(sum, "replications", sw->reps);
    cJSON_AddNumberToObject(sum, "confidence", 0.95);
    cJSON *params = cJSON_AddObjectToObject(sum, "parameters");
    for (int k = 0; k < sw->nparams; k++)
        cJSON_AddItemToObject(params, sw->param_path[k], cJSON_Duplicate(sw->param_values[k], true));
    return sum;
}

int sweep_summarize(const sweep_t *sw, const char *dir, char *err, size_t errlen)
{
    int rc = -1;
    strbuf_t csv = { 0 };
    results_flat_t cols = { 0 };   /* the CSV columns: point 0's fields */
    cJSON *sum = summary_head(sw);
    cJSON *points = sum ? cJSON_AddArrayToObject(sum, "points") : NULL;
    if (!points) goto oom;

    for (size_t p = 0; p < sw->npoints; p++) {
        results_flat_t names = { 0 };
        double *vals = NULL;
        if (read_point(sw, dir, p, &names, &vals, err, errlen) != 0) {
            results_flat_free(&names);
            free(vals);
            goto fail;
        }
        if (p == 0) {
            csv_cell(&csv, "point", true);
            for (int k = 0; k < sw->nparams; k++) csv_cell(&csv, sw->param_path[k], false);
            for (size_t f = 0; f < names.n; f++) {
                char col[600];
                snprintf(col, sizeof col, "%s.mean", names.f[f].name);
                csv_cell(&csv, col, false);
                snprintf(col, sizeof col, "%s.ci95", names.f[f].name);
                csv_cell(&csv, col, false);
            }
            strbuf_put(&csv, "\n", 1);
        }
        cJSON *pt = cJSON_CreateObject();
        cJSON_AddItemToArray(points, pt);
        cJSON_AddNumberToObject(pt, "point", (double)p);
        cJSON *pp = cJSON_AddObjectToObject(pt, "parameters");
        for (int k = 0; k < sw->nparams; k++)
            cJSON_AddItemToObject(pp, sw->param_path[k], cJSON_Duplicate(point_value(sw, p, k), true));
        cJSON *seeds = cJSON_AddArrayToObject(pt, "seeds");
        for (unsigned r = 0; r < sw->reps; r++)
            cJSON_AddItemToArray(seeds, exact_integer(sweep_run_seed(sw, p, r)));
        cJSON *metrics = cJSON_AddObjectToObject(pt, "metrics");
        char num[40];
        snprintf(num, sizeof num, "%zu", p);
        csv_cell(&csv, num, true);
        for (int k = 0; k < sw->nparams; k++) csv_value(&csv, point_value(sw, p, k));
        /* The JSON row has every field of this point, in its own order; the
         * CSV has point 0's columns, empty where this point lacks a field
         * (policies may report extras of their own). */
        for (size_t f = 0; f < names.n; f++)
            add_stat(metrics, names.f[f].name, vals + f * sw->reps, sw->reps);
        const results_flat_t *hdr = p == 0 ? &names : &cols;
        for (size_t f = 0; f < hdr->n; f++) {
            cJSON *m = cJSON_GetObjectItemCaseSensitive(metrics, hdr->f[f].name);
            if (!m) { csv_cell(&csv, "", false); csv_cell(&csv, "", false); continue; }
            csv_number(&csv, cJSON_GetObjectItemCaseSensitive(m, "mean")->valuedouble);
            csv_number(&csv, cJSON_GetObjectItemCaseSensitive(m, "ci95")->valuedouble);
        }
        strbuf_put(&csv, "\n", 1);
        free(vals);
        if (p == 0) cols = names;
        else results_flat_free(&names);
        if (csv.failed) goto oom;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (output_write_json(path, sum, err, errlen) != 0) goto fail;
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    if (output_write_atomic(path, csv.s ? csv.s : "", err, errlen) != 0) goto fail;
    rc = 0;
    goto fail;
oom:
    snprintf(err, errlen, "out of memory writing the summary");
fail:
    results_flat_free(&cols);
    cJSON_Delete(sum);
    free(csv.s);
    return rc;
}
