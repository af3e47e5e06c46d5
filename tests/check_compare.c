/* check_compare — the CI gate's verdicts and exit-worthy outcomes.
 *
 * Results are written by hand so every number is known: a planted hit-ratio
 * drop of 0.01 (twice the 0.005 default) is a regression; a rise of 0.02 is an
 * improvement; the same 0.01 drop with 95% half-widths of 0.006 on both sides
 * (|delta| 0.01 <= 0.012, the intervals overlap) is noise, not a regression.
 * p99 rises of 4% and 6% sit either side of the 5% default. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "tests/testutil.h"

static char dir[256];

static const char *put_file(const char *name, const char *text)
{
    static char path[64][512];
    static int slot;
    char *p = path[slot++ % 64];
    snprintf(p, 512, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static const char *run_result(const char *name, double hit, double p99, double origin)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"scenario\": \"x\", \"seed\": 1, \"requests\": 1000, \"hits\": 500, \"hit_ratio\": %.17g,"
             " \"latency_ms\": {\"mean\": 10, \"p99\": %.17g}, \"origin\": {\"requests\": %.17g},"
             " \"pops\": [], \"wall_s\": 3}", hit, p99, origin);
    return put_file(name, text);
}

static const char *summary(const char *name, double hit, double ci, const char *policy2)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"replications\": 5, \"points\": ["
             "{\"point\": 0, \"parameters\": {\"cache.policy\": \"lru\", \"content.ttl_s\": 10},"
             " \"metrics\": {\"hit_ratio\": {\"mean\": %.17g, \"ci95\": %.17g},"
             "  \"latency_ms.p99\": {\"mean\": 80, \"ci95\": 1}, \"origin.requests\": {\"mean\": 500, \"ci95\": 10}}},"
             "{\"point\": 1, \"parameters\": {\"content.ttl_s\": 10, \"cache.policy\": \"%s\"},"
             " \"metrics\": {\"hit_ratio\": {\"mean\": 0.4, \"ci95\": 0.01},"
             "  \"latency_ms.p99\": {\"mean\": 80, \"ci95\": 1}, \"origin.requests\": {\"mean\": 600, \"ci95\": 10}}}]}",
             hit, ci, policy2);
    return put_file(name, text);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/check_compare.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Runs a comparison that must succeed; returns the outcome's counts. */
static compare_outcome_t cmp(const char *b, const char *c, const compare_opts_t *o)
{
    compare_outcome_t out;
    char err[2048];
    int rc = compare_files(b, c, o, &out, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_ptr_nonnull(out.table);
    ck_assert_ptr_nonnull(strstr(out.table, "hit_ratio"));
    compare_outcome_free(&out);
    return out;
}

static void cmp_fails(const char *b, const char *c, const char *want)
{
    compare_outcome_t out;
    char err[2048];
    int rc = compare_files(b, c, NULL, &out, err, sizeof err);
    ck_assert_int_eq(rc, -2);
    ck_assert_msg(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
}

START_TEST(planted_regression)
{
    const char *b = run_result("b.json", 0.50, 100, 1000);
    compare_outcome_t o = cmp(b, run_result("c.json", 0.49, 100, 1000), NULL);
    ck_assert_int_eq(o.regressions, 1);
    ck_assert_int_eq(o.compared, 3);
    /* just inside the default: 0.004 */
    o = cmp(b, run_result("c.json", 0.496, 100, 1000), NULL);
    ck_assert_int_eq(o.regressions, 0);
    /* p99 +4% is fine, +6% is not; origin requests likewise */
    o = cmp(b, run_result("c.json", 0.5, 104, 1000), NULL);
    ck_assert_int_eq(o.regressions, 0);
    o = cmp(b, run_result("c.json", 0.5, 106, 1000), NULL);
    ck_assert_int_eq(o.regressions, 1);
    o = cmp(b, run_result("c.json", 0.5, 100, 1060), NULL);
    ck_assert_int_eq(o.regressions, 1);
    /* everything worse at once */
    o = cmp(b, run_result("c.json", 0.4, 200, 2000), NULL);
    ck_assert_int_eq(o.regressions, 3);
}
END_TEST

START_TEST(improvement)
{
    const char *b = run_result("b.json", 0.50, 100, 1000);
    compare_outcome_t o = cmp(b, run_result("c.json", 0.52, 90, 900), NULL);
    ck_assert_int_eq(o.regressions, 0);
    ck_assert_int_eq(o.improvements, 3);
}
END_TEST

START_TEST(inside_the_noise)
{
    compare_outcome_t o = cmp(summary("b.json", 0.50, 0.006, "fifo"), summary("c.json", 0.49, 0.006, "fifo"), NULL);
    ck_assert_int_eq(o.regressions, 0);
    ck_assert_int_eq(o.noise, 1);
    ck_assert_int_eq(o.compared, 6);
    /* the same drop with tight intervals is a regression */
    o = cmp(summary("b.json", 0.50, 0.001, "fifo"), summary("c.json", 0.49, 0.001, "fifo"), NULL);
    ck_assert_int_eq(o.regressions, 1);
}
END_TEST

START_TEST(tolerances)
{
    compare_tol_t t[2];
    char err[256];
    ck_assert_int_eq(compare_parse_tolerance("latency_ms.p99=10%", &t[0], err, sizeof err), 0);
    ck_assert_str_eq(t[0].metric, "latency_ms.p99");
    ck_assert(t[0].relative);
    ck_assert_double_eq_tol(t[0].limit, 0.10, 1e-12);
    ck_assert_int_eq(compare_parse_tolerance("hit_ratio=0.02", &t[1], err, sizeof err), 0);
    ck_assert(!t[1].relative);
    compare_tol_t bad;
    ck_assert_int_eq(compare_parse_tolerance("hit_ratio", &bad, err, sizeof err), -1);
    ck_assert_int_eq(compare_parse_tolerance("hit_ratio=-1", &bad, err, sizeof err), -1);
    ck_assert_int_eq(compare_parse_tolerance("hit_ratio=abc", &bad, err, sizeof err), -1);
    ck_assert_int_eq(compare_parse_tolerance("=1", &bad, err, sizeof err), -1);

    const char *b = run_result("b.json", 0.50, 100, 1000);
    const char *c = run_result("c.json", 0.49, 108, 1000);
    compare_opts_t o = { t, 2, false };
    ck_assert_int_eq(cmp(b, c, NULL).regressions, 2);
    ck_assert_int_eq(cmp(b, c, &o).regressions, 0);
    /* watching another field: lower is better unless it is a hit ratio */
    compare_tol_t extra;
    ck_assert_int_eq(compare_parse_tolerance("latency_ms.mean=1", &extra, err, sizeof err), 0);
    compare_opts_t o2 = { &extra, 1, false };
    const char *c2 = put_file("c2.json", "{\"requests\": 1000, \"hit_ratio\": 0.5, \"latency_ms\": {\"mean\": 12, \"p99\": 100},"
                                          " \"origin\": {\"requests\": 1000}}");
    compare_outcome_t out = cmp(b, c2, &o2);
    ck_assert_int_eq(out.regressions, 1);
    ck_assert_int_eq(out.compared, 4);
}
END_TEST

START_TEST(bad_input)
{
    const char *b = run_result("b.json", 0.5, 100, 1000);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/nowhere.json", dir);
    cmp_fails(b, missing, "nowhere.json");
    cmp_fails(b, put_file("x.json", "{\"name\": \"a scenario\", \"seed\": 1}"), "x.json: $: not a cdnsim result");
    cmp_fails(b, put_file("y.json", "{\"requests\": "), "malformed JSON");
    cmp_fails(b, summary("s.json", 0.5, 0.01, "fifo"), "compare runs with runs");
    /* sweeps over different points are unrelated */
    cmp_fails(summary("s1.json", 0.5, 0.01, "fifo"), summary("s2.json", 0.5, 0.01, "lfu"),
              "$.points[1].parameters");
    /* a watched metric missing */
    cmp_fails(b, put_file("z.json", "{\"requests\": 1000, \"hit_ratio\": 0.5, \"origin\": {\"requests\": 1}}"),
              "z.json: $.latency_ms.p99: watched metric missing");
    /* parameter order inside a point does not matter, point order neither */
    compare_outcome_t o = cmp(summary("s1.json", 0.5, 0.01, "fifo"), summary("s2.json", 0.5, 0.01, "fifo"), NULL);
    ck_assert_int_eq(o.regressions, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, planted_regression);
    tcase_add_test(tc, improvement);
    tcase_add_test(tc, inside_the_noise);
    tcase_add_test(tc, tolerances);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return test_main(s);
}
