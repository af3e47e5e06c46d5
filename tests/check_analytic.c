/* check_analytic — the IRM hit-ratio models against known values.
 *
 * Golden values:
 *  - TTL, one object: h = lambda T / (1 + lambda T): 0.5 at lambda T = 1,
 *    6/7 at lambda = 2, T = 3. Two objects, alpha 1 (p = 2/3, 1/3), lambda 3,
 *    T 1: per-object rates 2 and 1 give h = 2/3 and 1/2, weighted 11/18.
 *  - Che with uniform popularity (alpha 0): 1 - e^{-x/N} = C/N for every
 *    object, so h = C/N exactly; N 1000, C 250 gives x = -1000 ln 0.75 =
 *    287.682, T = 28.768 s at 10 requests/s.
 *  - Zipf values computed independently (Python, plain bisection to 1e-15
 *    over the same sums): N 3, alpha 1, C 1: x = 1.27209386, h = 0.39041749;
 *    N 10000, alpha 0.8, C 100: x = 110.790846, h = 0.15662464; TTL at
 *    N 10000, alpha 0.8, lambda 1000: T 60 -> 0.87823035, T 1 -> 0.33271139. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analytic.h"
#include "tests/testutil.h"

static analytic_zipf_t *zipf(uint64_t n, double alpha)
{
    char err[256];
    analytic_zipf_t *z = analytic_zipf_create(n, alpha, err, sizeof err);
    ck_assert_msg(z != NULL, "%s", err);
    return z;
}

START_TEST(ttl_known_values)
{
    analytic_zipf_t *one = zipf(1, 0.8), *two = zipf(2, 1.0), *big = zipf(10000, 0.8);
    ck_assert_double_eq_tol(analytic_ttl_hit_ratio(one, 1, 1), 0.5, 1e-12);
    ck_assert_double_eq_tol(analytic_ttl_hit_ratio(one, 2, 3), 6.0 / 7, 1e-12);
    ck_assert_double_eq_tol(analytic_ttl_hit_ratio(two, 3, 1), 11.0 / 18, 1e-12);
    ck_assert_double_eq_tol(analytic_ttl_hit_ratio(big, 1000, 60), 0.87823035, 1e-7);
    ck_assert_double_eq_tol(analytic_ttl_hit_ratio(big, 1000, 1), 0.33271139, 1e-7);
    ck_assert_double_eq(analytic_ttl_hit_ratio(big, 1000, 0), 0.0);
    ck_assert_double_eq(analytic_ttl_hit_ratio(big, 1000, INFINITY), 1.0);
    /* longer max-age, higher hit ratio */
    double prev = 0;
    for (double t = 0.1; t < 1e4; t *= 3) {
        double h = analytic_ttl_hit_ratio(big, 1000, t);
        ck_assert(h > prev && h < 1);
        prev = h;
    }
    analytic_zipf_free(one);
    analytic_zipf_free(two);
    analytic_zipf_free(big);
}
END_TEST

START_TEST(che_known_values)
{
    char err[256];
    double h, t;
    analytic_zipf_t *u = zipf(1000, 0.0);
    ck_assert_int_eq(analytic_che_lru(u, 10, 250, &h, &t, err, sizeof err), 0);
    ck_assert_double_eq_tol(h, 0.25, 1e-9);
    ck_assert_double_eq_tol(t, -1000 * log(0.75) / 10, 1e-6);
    analytic_zipf_free(u);

    analytic_zipf_t *z3 = zipf(3, 1.0);
    ck_assert_int_eq(analytic_che_lru(z3, 1, 1, &h, &t, err, sizeof err), 0);
    ck_assert_double_eq_tol(t, 1.27209386, 1e-7);
    ck_assert_double_eq_tol(h, 0.39041749, 1e-7);
    analytic_zipf_free(z3);

    analytic_zipf_t *z = zipf(10000, 0.8);
    ck_assert_int_eq(analytic_che_lru(z, 1000, 100, &h, &t, err, sizeof err), 0);
    ck_assert_double_eq_tol(t, 0.110790846, 1e-8);
    ck_assert_double_eq_tol(h, 0.15662464, 1e-7);
    /* the hit ratio rises with capacity and does not depend on the rate */
    double prev = 0;
    for (double c = 10; c < 10000; c *= 2) {
        ck_assert_int_eq(analytic_che_lru(z, 50, c, &h, &t, err, sizeof err), 0);
        ck_assert(h > prev && h < 1);
        prev = h;
    }
    double h2;
    ck_assert_int_eq(analytic_che_lru(z, 1, 100, &h2, &t, err, sizeof err), 0);
    ck_assert_double_eq_tol(h2, 0.15662464, 1e-7);
    /* everything fits: every request after the first hits */
    ck_assert_int_eq(analytic_che_lru(z, 1000, 10000, &h, &t, err, sizeof err), 0);
    ck_assert_double_eq(h, 1.0);
    ck_assert(isinf(t));
    analytic_zipf_free(z);
}
END_TEST

START_TEST(bad_arguments)
{
    char err[256];
    ck_assert_ptr_null(analytic_zipf_create(0, 0.8, err, sizeof err));
    ck_assert_ptr_null(analytic_zipf_create(ANALYTIC_MAX_OBJECTS + 1, 0.8, err, sizeof err));
    ck_assert_ptr_null(analytic_zipf_create(10, -1, err, sizeof err));
    ck_assert_ptr_null(analytic_zipf_create(10, NAN, err, sizeof err));
    analytic_zipf_t *z = zipf(10, 1);
    double h, t;
    ck_assert_int_eq(analytic_che_lru(z, 0, 5, &h, &t, err, sizeof err), -1);
    analytic_zipf_free(z);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analytic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ttl_known_values);
    tcase_add_test(tc, che_known_values);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return test_main(s);
}
