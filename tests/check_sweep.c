/* check_sweep — sweep expansion, seeds, parallel runs, resume, summary, and
 * the confidence intervals they rest on.
 *
 * Golden intervals (Student t from tables): values 1..5 have mean 3 and
 * sample sd sqrt(2.5); t(0.975, 4) = 2.7764, so the half-width is
 * 2.7764 * sqrt(2.5) / sqrt(5) = 1.9632. Values {0, 2}: mean 1, sd sqrt(2),
 * t(0.975, 1) = 12.7062, half-width 12.7062. The runs are tiny (5 s of
 * virtual time at 200 requests/s) so the whole suite takes well under a
 * second even under the sanitizers. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analysis/results.h"
#include "analysis/sweep.h"
#include "sim/rng.h"
#include "tests/testutil.h"

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/check_sweep.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_file("base.json",
               "{\"name\": \"tiny\", \"seed\": 42, \"duration_s\": 5, \"warmup_s\": 1,\n"
               " \"workload\": {\"type\": \"zipf\", \"objects\": 500, \"alpha\": 0.8, \"rate_rps\": 200},\n"
               " \"cache\": {\"policy\": \"lru\", \"capacity_objects\": 50}, \"content\": {\"ttl_s\": 60}}\n");
    write_file("sweep.json",
               "{\"base\": \"base.json\", \"replications\": 2,\n"
               " \"parameters\": {\"cache.capacity_objects\": [10, 100], \"cache.policy\": [\"lru\", \"fifo\"]}}\n");
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static sweep_t *load(const char *name)
{
    char path[512], err[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sweep_t *sw = NULL;
    int rc = sweep_load(path, &sw, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    return sw;
}

/* The message sweep_load gives for a sweep file with this text, with rc -2. */
static void load_fails(const char *text, const char *want)
{
    char path[512], err[2048];
    write_file("bad.json", text);
    snprintf(path, sizeof path, "%s/bad.json", dir);
    sweep_t *sw = NULL;
    int rc = sweep_load(path, &sw, err, sizeof err);
    ck_assert_int_eq(rc, -2);
    ck_assert_ptr_null(sw);
    ck_assert_msg(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
    ck_assert_msg(strstr(err, "bad.json") != NULL, "message \"%s\" does not name the file", err);
}

START_TEST(ci_known_answers)
{
    double x[] = { 1, 2, 3, 4, 5 }, m, h;
    sweep_mean_ci95(x, 5, &m, &h);
    ck_assert_double_eq_tol(m, 3.0, 1e-12);
    ck_assert_double_eq_tol(h, 2.776445 * sqrt(2.5) / sqrt(5.0), 1e-5);
    ck_assert_double_eq_tol(h, 1.9632, 1e-4);
    double y[] = { 0, 2 };
    sweep_mean_ci95(y, 2, &m, &h);
    ck_assert_double_eq_tol(m, 1.0, 1e-12);
    ck_assert_double_eq_tol(h, 12.7062, 1e-4);
    double one[] = { 7.5 };
    sweep_mean_ci95(one, 1, &m, &h);
    ck_assert_double_eq(m, 7.5);
    ck_assert_double_eq(h, 0.0);
    double same[] = { 4, 4, 4 };
    sweep_mean_ci95(same, 3, &m, &h);
    ck_assert_double_eq(m, 4.0);
    ck_assert_double_eq(h, 0.0);
}
END_TEST

START_TEST(flatten_and_numbers)
{
    cJSON *j = cJSON_Parse("{\"scenario\": \"x\", \"seed\": 9, \"requests\": 10, \"hit_ratio\": 0.5,"
                           " \"status\": {\"HIT\": 5, \"MISS\": 5}, \"latency_ms\": {\"p99\": 80},"
                           " \"pops\": [{\"requests\": 10}], \"timeseries\": {\"interval_s\": 60},"
                           " \"sweep\": {\"point\": 3}, \"wall_s\": 1.5, \"a\": {\"b\": {\"c\": 1}}}");
    results_flat_t fl = { 0 };
    ck_assert_int_eq(results_flatten(j, &fl), 0);
    const char *want[] = { "requests", "hit_ratio", "status.HIT", "status.MISS", "latency_ms.p99", "a.b.c" };
    ck_assert_uint_eq(fl.n, 6);
    for (size_t i = 0; i < 6; i++) ck_assert_str_eq(fl.f[i].name, want[i]);
    ck_assert_int_eq(results_flat_find(&fl, "latency_ms.p99"), 4);
    ck_assert_int_eq(results_flat_find(&fl, "wall_s"), -1);
    ck_assert(results_is_run(j));
    ck_assert(!results_is_summary(j));
    results_flat_free(&fl);
    cJSON_Delete(j);
    /* shortest text that reads back exactly */
    char buf[40];
    results_format_number(buf, sizeof buf, 0.1);
    ck_assert_str_eq(buf, "0.1");
    results_format_number(buf, sizeof buf, 1.0 / 3);
    ck_assert_double_eq(strtod(buf, NULL), 1.0 / 3);
    results_format_number(buf, sizeof buf, 5103132997656651.0);
    ck_assert_str_eq(buf, "5103132997656651");
}
END_TEST

START_TEST(points_and_seeds)
{
    sweep_t *sw = load("sweep.json");
    ck_assert_uint_eq(sweep_points(sw), 4);
    ck_assert_uint_eq(sweep_replications(sw), 2);
    for (size_t p = 0; p < 4; p++) {
        ck_assert_uint_eq(sweep_run_seed(sw, p, 0), 42);
        ck_assert_uint_eq(sweep_run_seed(sw, p, 1), rng_replication_seed(42, 1));
    }
    ck_assert_uint_ne(rng_replication_seed(42, 1), 42);
    /* nested loops in file order, the last parameter fastest */
    char label[256];
    sweep_point_label(sw, 1, label, sizeof label);
    ck_assert_str_eq(label, "cache.capacity_objects=10 cache.policy=\"fifo\"");
    sweep_point_label(sw, 2, label, sizeof label);
    ck_assert_str_eq(label, "cache.capacity_objects=100 cache.policy=\"lru\"");
    sweep_free(sw);

    /* a swept seed is each point's base seed; no parameters is one point */
    write_file("seeds.json", "{\"base\": \"base.json\", \"replications\": 3, \"parameters\": {\"seed\": [5, 7]}}");
    sw = load("seeds.json");
    ck_assert_uint_eq(sweep_points(sw), 2);
    ck_assert_uint_eq(sweep_run_seed(sw, 1, 0), 7);
    ck_assert_uint_eq(sweep_run_seed(sw, 1, 2), rng_replication_seed(7, 2));
    sweep_free(sw);
    write_file("none.json", "{\"base\": \"base.json\"}");
    sw = load("none.json");
    ck_assert_uint_eq(sweep_points(sw), 1);
    ck_assert_uint_eq(sweep_replications(sw), 1);
    sweep_free(sw);
}
END_TEST

START_TEST(bad_inputs)
{
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"cache.capacity_object\": [1, 2]}}",
               "$.parameters[\"cache.capacity_object\"]: value 1: ");
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"cache.capacity_object\": [1, 2]}}",
               "$.cache.capacity_object: unknown key");
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"cache.capacity_objects\": [10, \"many\"]}}",
               "$.parameters[\"cache.capacity_objects\"]: value \"many\": ");
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"content.ttl_s\": []}}",
               "$.parameters[\"content.ttl_s\"]: expected a non-empty list");
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"content.ttl_s\": 5}}",
               "$.parameters[\"content.ttl_s\"]: expected a non-empty list");
    load_fails("{\"parameters\": {}}", "$.base: required key is missing");
    load_fails("{\"base\": \"nowhere.json\"}", "$.base: ");
    load_fails("{\"base\": \"base.json\", \"replications\": 0}", "$.replications");
    load_fails("{\"base\": \"base.json\", \"replication\": 3}", "$.replication: unknown key");
    load_fails("{\"base\": \"base.json\",", "malformed JSON");
    load_fails("{\"base\": {\"duration_s\": 5}}", "$.base: (inline base): $.workload");
    load_fails("{\"base\": \"base.json\", \"parameters\": {\"content.ttl_s\": [1, 1]}}", "appears twice");
}
END_TEST

static int runs_in(const char *out)
{
    char path[600];
    int n = 0;
    for (int p = 0; p < 4; p++)
        for (int r = 0; r < 2; r++) {
            sweep_run_path(out, (size_t)p, (unsigned)r, path, sizeof path);
            n += access(path, F_OK) == 0;
        }
    return n;
}

START_TEST(run_resume_and_jobs)
{
    char out1[400], out2[400], err[2048], path[600];
    snprintf(out1, sizeof out1, "%s/o1", dir);
    snprintf(out2, sizeof out2, "%s/o2", dir);
    sweep_t *sw = load("sweep.json");
    sweep_tally_t t;
    ck_assert_msg(sweep_run(sw, out1, 2, NULL, NULL, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(t.total, 8);
    ck_assert_uint_eq(t.ran, 8);
    ck_assert_uint_eq(t.reused, 0);
    ck_assert_uint_eq(t.points_done, 4);
    ck_assert_int_eq(runs_in(out1), 8);
    ck_assert_msg(sweep_summarize(sw, out1, err, sizeof err) == 0, "%s", err);

    /* the run file records its replication seed and parameters */
    sweep_run_path(out1, 3, 1, path, sizeof path);
    char *text = read_file(path);
    cJSON *j = cJSON_Parse(text);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "seed")->valuedouble, (double)rng_replication_seed(42, 1));
    cJSON *params = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sweep"), "parameters");
    ck_assert_str_eq(cJSON_GetObjectItem(params, "cache.policy")->valuestring, "fifo");
    ck_assert_double_eq(cJSON_GetObjectItem(params, "cache.capacity_objects")->valuedouble, 100);
    cJSON_Delete(j);
    free(text);

    /* resume: delete one run, and only it is computed again */
    sweep_run_path(out1, 2, 0, path, sizeof path);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_msg(sweep_run(sw, out1, 2, NULL, NULL, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(t.ran, 1);
    ck_assert_uint_eq(t.reused, 7);
    ck_assert_int_eq(access(path, F_OK), 0);

    /* one worker gives the same summary, byte for byte */
    ck_assert_msg(sweep_run(sw, out2, 1, NULL, NULL, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(sweep_summarize(sw, out2, err, sizeof err) == 0, "%s", err);
    char a[600], b[600];
    const char *names[] = { "summary.json", "summary.csv" };
    for (int i = 0; i < 2; i++) {
        snprintf(a, sizeof a, "%s/%s", out1, names[i]);
        snprintf(b, sizeof b, "%s/%s", out2, names[i]);
        char *ta = read_file(a), *tb = read_file(b);
        ck_assert_ptr_nonnull(ta);
        ck_assert_ptr_nonnull(tb);
        ck_assert_str_eq(ta, tb);
        free(ta);
        free(tb);
    }
    sweep_free(sw);

    /* a changed sweep into the same folder reruns what changed: the run
     * files of another capacity carry another fingerprint */
    write_file("sweep2.json",
               "{\"base\": \"base.json\", \"replications\": 2,\n"
               " \"parameters\": {\"cache.capacity_objects\": [10, 200], \"cache.policy\": [\"lru\", \"fifo\"]}}\n");
    sw = load("sweep2.json");
    ck_assert_msg(sweep_run(sw, out1, 2, NULL, NULL, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(t.reused, 4);
    ck_assert_uint_eq(t.ran, 4);
    sweep_free(sw);
}
END_TEST

START_TEST(summary_shape)
{
    char out[400], err[2048], path[600];
    snprintf(out, sizeof out, "%s/o", dir);
    sweep_t *sw = load("sweep.json");
    ck_assert_msg(sweep_run(sw, out, 2, NULL, NULL, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(sweep_summarize(sw, out, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *text = read_file(path);
    cJSON *s = cJSON_Parse(text);
    cJSON *pts = cJSON_GetObjectItem(s, "points");
    ck_assert_int_eq(cJSON_GetArraySize(pts), 4);
    cJSON *p0 = cJSON_GetArrayItem(pts, 0), *m = cJSON_GetObjectItem(p0, "metrics");
    /* dotted names for nested fields; no arrays, seed or wall clock */
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(m, "hit_ratio"));
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(m, "latency_ms.p99"));
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(m, "status.HIT"));
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(m, "origin.requests"));
    ck_assert_ptr_null(cJSON_GetObjectItem(m, "wall_s"));
    ck_assert_ptr_null(cJSON_GetObjectItem(m, "seed"));
    ck_assert_ptr_null(cJSON_GetObjectItem(m, "pops"));
    /* the mean is the mean of the two run files' values */
    double v[2];
    for (unsigned r = 0; r < 2; r++) {
        sweep_run_path(out, 0, r, path, sizeof path);
        char *rt = read_file(path);
        cJSON *rj = cJSON_Parse(rt);
        v[r] = cJSON_GetObjectItem(rj, "hit_ratio")->valuedouble;
        cJSON_Delete(rj);
        free(rt);
    }
    double mean, half;
    sweep_mean_ci95(v, 2, &mean, &half);
    cJSON *hr = cJSON_GetObjectItem(m, "hit_ratio");
    ck_assert_double_eq_tol(cJSON_GetObjectItem(hr, "mean")->valuedouble, mean, 1e-15);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(hr, "ci95")->valuedouble, half, 1e-15);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p0, "seeds")), 2);
    cJSON_Delete(s);
    free(text);
    /* the CSV: a header and a row per point */
    snprintf(path, sizeof path, "%s/summary.csv", out);
    text = read_file(path);
    int lines = 0;
    for (char *c = text; *c; c++) lines += *c == '\n';
    ck_assert_int_eq(lines, 5);
    ck_assert(strncmp(text, "point,cache.capacity_objects,cache.policy,", 42) == 0);
    ck_assert_ptr_nonnull(strstr(text, ",hit_ratio.mean,hit_ratio.ci95,"));
    free(text);
    sweep_free(sw);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ci_known_answers);
    tcase_add_test(tc, flatten_and_numbers);
    tcase_add_test(tc, points_and_seeds);
    tcase_add_test(tc, bad_inputs);
    tcase_add_test(tc, run_resume_and_jobs);
    tcase_add_test(tc, summary_shape);
    suite_add_tcase(s, tc);
    return test_main(s);
}
