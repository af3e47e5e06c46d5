/* check_steady — the end-of-run trend rule worked by hand.
 *
 * A 120 s run, no warm-up, 10 s intervals: the last third starts at 80 s,
 * so the window holds the intervals at 80, 90, 100 and 110 s (midpoints 85,
 * 95, 105, 115; Sxx = 225 + 25 + 25 + 225 = 500) and is 40 s long.
 * - 0.50, 0.51, 0.52, 0.53: slope 0.001/s exactly, no residual, projected
 *   change 0.04 > 0.005: a warning.
 * - 0.50, 0.52, 0.50, 0.52: Sxy = 0.2, slope 0.0004/s, change 0.016; SSE =
 *   0.0004 - 0.0004 x 0.2 = 0.00032, se = sqrt(0.00032 / 2 / 500) = 5.657e-4,
 *   3 se x 40 s = 0.0679 > 0.016: noise, no warning.
 * - 0.60 flat: no warning. */
#include <check.h>
#include <math.h>
#include <stdio.h>

#include "analysis/steady.h"
#include "tests/testutil.h"

static cJSON *result(const double hr[4])
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"duration_s\": 120, \"warmup_s\": 0, \"timeseries\": {\"interval_s\": 10,"
             " \"t_s\": [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110],"
             " \"requests\": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],"
             " \"hit_ratio\": [0, 0.1, 0.2, 0.3, 0.3, 0.3, 0.4, 0.45, %.17g, %.17g, %.17g, %.17g]}}",
             hr[0], hr[1], hr[2], hr[3]);
    cJSON *j = cJSON_Parse(text);
    ck_assert_ptr_nonnull(j);
    return j;
}

START_TEST(trend_noise_flat)
{
    steady_fit_t f;
    cJSON *j = result((double[]){ 0.50, 0.51, 0.52, 0.53 });
    ck_assert(steady_fit(j, &f));
    ck_assert_int_eq(f.n, 4);
    ck_assert_double_eq_tol(f.from_s, 80, 1e-12);
    ck_assert_double_eq_tol(f.to_s, 120, 1e-12);
    ck_assert_double_eq_tol(f.slope, 0.001, 1e-12);
    ck_assert_double_eq_tol(f.change, 0.04, 1e-12);
    ck_assert_int_eq(cJSON_GetArraySize(steady_check(j)), 1);
    cJSON_Delete(j);

    j = result((double[]){ 0.50, 0.52, 0.50, 0.52 });
    ck_assert(steady_fit(j, &f));
    ck_assert_double_eq_tol(f.slope, 0.0004, 1e-12);
    ck_assert_double_eq_tol(f.se, sqrt(0.00032 / 2 / 500), 1e-9);
    ck_assert_int_eq(cJSON_GetArraySize(steady_check(j)), 0);
    cJSON_Delete(j);

    j = result((double[]){ 0.6, 0.6, 0.6, 0.6 });
    ck_assert_int_eq(cJSON_GetArraySize(steady_check(j)), 0);
    cJSON_Delete(j);
}
END_TEST

START_TEST(too_few_intervals)
{
    /* a 60 s run: the window from 40 s holds 2 intervals, fewer than 4 */
    cJSON *j = cJSON_Parse("{\"duration_s\": 60, \"timeseries\": {\"interval_s\": 10,"
                           " \"t_s\": [0, 10, 20, 30, 40, 50], \"hit_ratio\": [0, 0.1, 0.2, 0.3, 0.4, 0.5]}}");
    steady_fit_t f;
    ck_assert(!steady_fit(j, &f));
    ck_assert_int_eq(cJSON_GetArraySize(steady_check(j)), 0);
    cJSON_Delete(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("steady");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, trend_noise_flat);
    tcase_add_test(tc, too_few_intervals);
    suite_add_tcase(s, tc);
    return test_main(s);
}
