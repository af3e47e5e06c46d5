/* check_kernel — random streams, the latency histogram, the Zipf sampler.
 *
 * Histogram: percentiles of known data against the exact sorted answer,
 * within the promised 1% relative error. Zipf: empirical frequencies of the
 * first ranks against the exact pmf, within 5 standard errors. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "models/workload/workload.h"
#include "models/workload/zipf.h"
#include "sim/histogram.h"
#include "sim/rng.h"
#include "tests/testutil.h"

START_TEST(streams_are_reproducible_and_independent)
{
    gsl_rng *a = rng_stream_create(42, "workload.arrivals");
    gsl_rng *b = rng_stream_create(42, "workload.arrivals");
    for (int i = 0; i < 1000; i++) ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
    /* Adding a stream, and drawing from it, changes nothing in the others. */
    gsl_rng *x1 = rng_stream_create(42, "workload.objects");
    unsigned long first[100];
    for (int i = 0; i < 100; i++) first[i] = gsl_rng_get(x1);
    gsl_rng *extra = rng_stream_create(42, "pop-7.cache");
    for (int i = 0; i < 5000; i++) gsl_rng_get(extra);
    gsl_rng *x2 = rng_stream_create(42, "workload.objects");
    for (int i = 0; i < 100; i++) ck_assert_uint_eq(gsl_rng_get(x2), first[i]);
    /* Different names or seeds give different streams. */
    ck_assert_uint_ne(rng_stream_seed(42, "a"), rng_stream_seed(42, "b"));
    ck_assert_uint_ne(rng_stream_seed(42, "a"), rng_stream_seed(43, "a"));
    ck_assert_uint_eq(rng_replication_seed(42, 0), 42);
    ck_assert_uint_ne(rng_replication_seed(42, 1), rng_replication_seed(42, 2));
    ck_assert_uint_lt(rng_replication_seed(42, 1), 1ULL << 53);
    gsl_rng_free(a); gsl_rng_free(b); gsl_rng_free(x1); gsl_rng_free(x2); gsl_rng_free(extra);
}
END_TEST

/* Seeds 14149 and 135233 agree in the 32 bits the old seeding folded the
 * stream seed of "workload.objects" into (found by a search over the first
 * 2^20 seeds, a birthday collision), so both drew one stream. */
START_TEST(colliding_seeds_of_the_old_fold_differ)
{
    uint64_t x = rng_stream_seed(14149, "workload.objects"), y = rng_stream_seed(135233, "workload.objects");
    ck_assert_uint_ne(x, y);
    ck_assert_uint_eq((x ^ (x >> 32)) & 0xffffffffu, (y ^ (y >> 32)) & 0xffffffffu);
    gsl_rng *a = rng_stream_create(14149, "workload.objects");
    gsl_rng *b = rng_stream_create(135233, "workload.objects");
    int same = 0;
    for (int i = 0; i < 100; i++) same += gsl_rng_get(a) == gsl_rng_get(b);
    ck_assert_int_le(same, 1);
    gsl_rng_free(a); gsl_rng_free(b);
}
END_TEST

/* The state written is one-to-one in the 64-bit seed: each value decodes
 * back from its (s1, s2, s3) by the mixed radix rng.c describes, and every
 * component is a legal taus2 state (its unread low bits zero, the rest not
 * all zero). Edge values of every digit included. */
START_TEST(taus_state_is_one_to_one)
{
    const uint64_t ra = (1ULL << 31) - 1, rb = (1ULL << 29) - 1;
    uint64_t vs[] = { 0, 1, ra - 1, ra, ra + 1, ra * rb - 1, ra * rb, 16 * ra * rb,
                      UINT64_MAX, UINT64_MAX - 1, 0x8000000000000000ULL, 42, 14149 };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        unsigned long s[3];
        rng_taus_state(vs[i], s);
        ck_assert_uint_eq(s[0] & 1, 0);
        ck_assert_uint_eq(s[1] & 7, 0);
        ck_assert_uint_eq(s[2] & 15, 0);
        ck_assert_uint_ge(s[0], 2);
        ck_assert_uint_ge(s[1], 8);
        ck_assert_uint_ge(s[2], 16);
        ck_assert_uint_le(s[0], 0xffffffffUL);
        ck_assert_uint_le(s[2], 0xffffffffUL);
        uint64_t a = (s[0] >> 1) - 1, b = (s[1] >> 3) - 1, d = ((s[2] >> 4) - 1) % 17;
        ck_assert_uint_eq((d * rb + b) * ra + a, vs[i]);
    }
}
END_TEST

/* The state layout rng.c writes is GSL's: a generator given (s1, s2, s3)
 * draws what L'Ecuyer's taus2 recurrence, worked here, gives for them. */
START_TEST(taus_state_layout_is_gsls)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    ck_assert_uint_eq(gsl_rng_size(r), 3 * sizeof(unsigned long));
    unsigned long *st = gsl_rng_state(r);
    unsigned long s1 = 0x12345678UL & ~1UL, s2 = 0x9abcdef0UL, s3 = 0x0fedcba0UL;
    st[0] = s1; st[1] = s2; st[2] = s3;
    for (int i = 0; i < 5; i++) {
        const unsigned long M = 0xffffffffUL;
        s1 = (((s1 & 4294967294UL) << 12) & M) ^ ((((s1 << 13) & M) ^ s1) >> 19);
        s2 = (((s2 & 4294967288UL) << 4) & M) ^ ((((s2 << 2) & M) ^ s2) >> 25);
        s3 = (((s3 & 4294967280UL) << 17) & M) ^ ((((s3 << 3) & M) ^ s3) >> 11);
        ck_assert_uint_eq(gsl_rng_get(r), s1 ^ s2 ^ s3);
    }
    gsl_rng_free(r);
}
END_TEST

/* The inline draws are GSL's, bit for bit: two copies of one stream, one
 * drawn through GSL and one inline, stay equal over 3 x 10^6 draws, and an
 * alias table over an uneven law gives the same indices both ways. */
START_TEST(inline_draws_equal_gsl)
{
    gsl_rng *a = rng_stream_create(9, "inline"), *b = rng_stream_create(9, "inline");
    double p[7] = { 5, 1, 0.25, 3, 0, 2, 0.5 };
    gsl_ran_discrete_t *g = gsl_ran_discrete_preproc(7, p);
    for (int i = 0; i < 1000000; i++) {
        ck_assert(rng_uniform(a) == gsl_rng_uniform(b));
        double x = rng_exponential(a, 0.37), y = gsl_ran_exponential(b, 0.37);
        ck_assert_msg(fabs(x - y) <= 2 * DBL_EPSILON * y, "%.17g vs GSL's %.17g", x, y);
        /* as the workload uses it: a gap of 10^4 requests/s, in nanoseconds */
        ck_assert_int_eq(simtime_from_s(rng_exponential(a, 1e-4)), simtime_from_s(gsl_ran_exponential(b, 1e-4)));
        ck_assert_uint_eq(rng_discrete(a, g), gsl_ran_discrete(b, g));
    }
    /* a generator of another type goes through GSL */
    gsl_rng *m1 = gsl_rng_alloc(gsl_rng_mt19937), *m2 = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 1000; i++) ck_assert(rng_uniform(m1) == gsl_rng_uniform(m2));
    gsl_ran_discrete_free(g);
    gsl_rng_free(a); gsl_rng_free(b); gsl_rng_free(m1); gsl_rng_free(m2);
}
END_TEST

/* A catalog past the alias table's limit is drawn as head (alias table)
 * plus tail (rejection-inversion from rank 65537): the frequencies of rank
 * bins on both sides of the seam, the seam's own ranks included, match the
 * exact Zipf law within 5 standard errors; so does a tail sampler alone
 * (zipf_init_range), which never leaves its range. */
START_TEST(split_catalog_matches_pmf)
{
    enum { N = 200000, DRAWS = 1000000, NB = 9 };
    const double a = 0.9;
    const uint64_t edge[NB + 1] = { 1, 2, 3, 11, 101, 1001, 60001, 65537, 70001, N + 1 };
    double norm = 0, p[NB] = { 0 };
    for (uint64_t k = N; k >= 1; k--) norm += pow((double)k, -a);
    for (int b = 0; b < NB; b++)
        for (uint64_t k = edge[b]; k < edge[b + 1]; k++) p[b] += pow((double)k, -a) / norm;
    workload_spec_t ws = { .type = WORKLOAD_ZIPF, .objects = N, .alpha = a, .rate_rps = 1000,
                           .size_bytes = 100, .size_dist = SIZE_FIXED };
    char err[256];
    workload_t *w = workload_create(&ws, 5, false, err, sizeof err);
    ck_assert_ptr_nonnull(w);
    unsigned count[NB] = { 0 };
    for (int i = 0; i < DRAWS; i++) {
        request_spec_t r;
        ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 1);
        ck_assert(r.key >= 1 && r.key <= N);
        int b = 0;
        while (r.key >= edge[b + 1]) b++;
        count[b]++;
    }
    for (int b = 0; b < NB; b++) {
        double f = (double)count[b] / DRAWS, se = sqrt(p[b] * (1 - p[b]) / DRAWS);
        ck_assert_msg(fabs(f - p[b]) < 5 * se, "bin %d: f=%g p=%g", b, f, p[b]);
    }
    workload_destroy(w);
    /* the tail alone: ranks 65537..N, rank 65537 with its exact weight */
    zipf_t z;
    zipf_init_range(&z, 65537, N, a);
    gsl_rng *r = rng_stream_create(6, "tail");
    double tail = 0;
    for (uint64_t k = 65537; k <= N; k++) tail += pow((double)k, -a);
    double p0 = pow(65537.0, -a) / tail;
    unsigned first = 0;
    for (int i = 0; i < DRAWS; i++) {
        uint64_t k = zipf_draw(&z, r);
        ck_assert(k >= 65537 && k <= N);
        first += k == 65537;
    }
    double se = sqrt(p0 * (1 - p0) / DRAWS);
    ck_assert_msg(fabs((double)first / DRAWS - p0) < 5 * se, "rank 65537: %g vs %g", (double)first / DRAWS, p0);
    gsl_rng_free(r);
}
END_TEST

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

START_TEST(histogram_percentiles_within_one_percent)
{
    enum { N = 200000 };
    int64_t *v = malloc(N * sizeof *v);
    gsl_rng *r = rng_stream_create(7, "test");
    histogram_t *h = malloc(sizeof *h);
    hist_init(h);
    for (int i = 0; i < N; i++) {   /* lognormal latencies around 50 ms, plus tiny ones */
        v[i] = i % 50 ? (int64_t)gsl_ran_lognormal(r, log(5e7), 1.0) : i % 200;
        hist_record(h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_i64);
    const double qs[] = { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999 };
    for (unsigned k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        double exact = (double)v[(size_t)ceil(qs[k] * N) - 1];
        double got = hist_quantile(h, qs[k]);
        ck_assert_msg(fabs(got - exact) <= 0.01 * exact, "q=%g exact=%g got=%g", qs[k], exact, got);
    }
    ck_assert_int_eq(h->min, v[0]);
    ck_assert_int_eq(h->max, v[N - 1]);
    ck_assert_double_eq(hist_quantile(h, 1.0), (double)v[N - 1]);
    gsl_rng_free(r);
    free(v);
    free(h);
}
END_TEST

START_TEST(small_histogram_within_its_bound)
{
    enum { N = 50000 };
    int64_t *v = malloc(N * sizeof *v);
    gsl_rng *r = rng_stream_create(8, "small");
    hist_small_t *h = calloc(1, sizeof *h);
    for (int i = 0; i < N; i++) {
        v[i] = (int64_t)gsl_ran_lognormal(r, log(2e7), 1.5);
        hist_small_record(h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_i64);
    const double qs[] = { 0.5, 0.9, 0.99 };
    for (int k = 0; k < 3; k++) {
        double exact = (double)v[(size_t)ceil(qs[k] * N) - 1], got = hist_small_quantile(h, qs[k]);
        ck_assert_msg(fabs(got - exact) <= 0.032 * exact, "q=%g exact=%g got=%g", qs[k], exact, got);
    }
    gsl_rng_free(r);
    free(h);
    free(v);
}
END_TEST

START_TEST(histogram_equal_values_are_exact)
{
    histogram_t *h = malloc(sizeof *h);
    hist_init(h);
    for (int i = 0; i < 1000000; i++) hist_record(h, 90000000); /* 90 ms */
    ck_assert_double_eq(hist_quantile(h, 0.5), 90000000.0);
    ck_assert_double_eq(hist_quantile(h, 0.99), 90000000.0);
    ck_assert_double_eq(hist_mean(h), 90000000.0);
    histogram_t *g = malloc(sizeof *g);
    hist_init(g);
    hist_record(g, 10);
    hist_merge(h, g);
    ck_assert_uint_eq(h->count, 1000001);
    ck_assert_int_eq(h->min, 10);
    free(g);
    free(h);
}
END_TEST

/* The inline rounding of simtime_from_ns_double is llround's: halves away
 * from zero, the doubles next to the halves, and random magnitudes. */
START_TEST(time_rounding_is_llrounds)
{
    const double edge[] = { 0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.49999999999999994,
                            4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
                            -4503599627370495.5, 0.0, -0.0, 1e-300, 123456789.5 };
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        ck_assert_int_eq(simtime_from_ns_double(edge[i]), llround(edge[i]));
    gsl_rng *r = rng_stream_create(7, "rounding");
    for (int i = 0; i < 1000000; i++) {
        double x = (rng_uniform(r) - 0.5) * pow(2.0, (double)(i % 60));
        ck_assert_int_eq(simtime_from_ns_double(x), llround(x));
        double h = floor(x) + 0.5; /* a half exactly */
        ck_assert_int_eq(simtime_from_ns_double(h), llround(h));
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(zipf_matches_pmf)
{
    const double alphas[] = { 0.0, 0.6, 0.8, 1.0, 1.2 };
    enum { N = 1000, DRAWS = 400000 };
    gsl_rng *r = rng_stream_create(3, "zipf");
    for (unsigned a = 0; a < sizeof alphas / sizeof alphas[0]; a++) {
        zipf_t z;
        zipf_init(&z, N, alphas[a]);
        static unsigned count[N + 1];
        memset(count, 0, sizeof count);
        for (int i = 0; i < DRAWS; i++) {
            uint64_t k = zipf_draw(&z, r);
            ck_assert(k >= 1 && k <= N);
            count[k]++;
        }
        for (uint64_t k = 1; k <= 20; k++) {
            double p = zipf_pmf(N, alphas[a], k), se = sqrt(p * (1 - p) / DRAWS);
            double f = (double)count[k] / DRAWS;
            ck_assert_msg(fabs(f - p) < 5 * se, "alpha=%g k=%llu f=%g p=%g", alphas[a],
                          (unsigned long long)k, f, p);
        }
    }
    /* huge catalogs cost nothing and stay in range */
    zipf_t z;
    zipf_init(&z, 100000000ULL, 0.8);
    for (int i = 0; i < 10000; i++) ck_assert_uint_le(zipf_draw(&z, r), 100000000ULL);
    gsl_rng_free(r);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("kernel");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, streams_are_reproducible_and_independent);
    tcase_add_test(tc, colliding_seeds_of_the_old_fold_differ);
    tcase_add_test(tc, taus_state_is_one_to_one);
    tcase_add_test(tc, taus_state_layout_is_gsls);
    tcase_add_test(tc, inline_draws_equal_gsl);
    tcase_add_test(tc, histogram_percentiles_within_one_percent);
    tcase_add_test(tc, histogram_equal_values_are_exact);
    tcase_add_test(tc, small_histogram_within_its_bound);
    tcase_add_test(tc, zipf_matches_pmf);
    tcase_add_test(tc, time_rounding_is_llrounds);
    tcase_add_test(tc, split_catalog_matches_pmf);
    suite_add_tcase(su, tc);
    return test_main(su);
}
