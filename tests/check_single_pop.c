/* check_single_pop — the whole run path on the contract's single-PoP model.
 *
 * Exact: hand-worked request sequences (csv traces, zero RTTs) with the hits
 * LRU and max-age must give. Analytic: LRU under Zipf against Che's
 * approximation, and max-age caching against h = λT/(1+λT) per object, each
 * within a stated tolerance. Reproducible: same seed, same bytes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "models/cache/cache.h"
#include "models/cdn/metrics.h"
#include "models/workload/zipf.h"
#include "tests/testutil.h"

#define TRACE_SCENARIO(policy_caps, extra)                                                   \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"               \
    "\"cache\":{\"policy\":\"lru\"," policy_caps "},"                                          \
    "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}" extra "}"

START_TEST(lru_hand_worked)
{
    /* Capacity 2, A B A C B A D A:
     *   A miss [A]; B miss [B A]; A hit [A B]; C miss, evicts B [C A];
     *   B miss, evicts A [B C]; A miss, evicts C [A B]; D miss, evicts B [D A];
     *   A hit [A D].  => 2 hits, 6 misses, 6 origin fetches. */
    test_put("t.csv", "time,key,size\n0,A,10\n1,B,10\n2,A,10\n3,C,10\n4,B,10\n5,A,10\n6,D,10\n7,A,10\n");
    cJSON *r = test_result(TRACE_SCENARIO("\"capacity_objects\":2", ""));
    ck_assert_double_eq(test_num(r, "requests", NULL), 8);
    ck_assert_double_eq(test_num(r, "hits", NULL), 2);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 6);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 6);
    ck_assert_double_eq(test_num(r, "hit_ratio", NULL), 0.25);
    cJSON_Delete(r);
}
END_TEST

START_TEST(vanishing_rates_mean_far_future)
{
    /* Rates valid but tiny: 1e-12 requests/s, one request per 31,700
     * years. The first exponential gap (mean 10^12 s) is past a 60 s run
     * (chance 6e-11 of falling inside), so nothing is sent. The gap once
     * overflowed the conversion to nanoseconds (llround beyond int64: a
     * negative time) and the next-arrival sum overflowed int64. */
    cJSON *r = test_result("{\"duration_s\":60,\"workload\":{\"type\":\"zipf\",\"objects\":10,"
                           "\"rate_rps\":1e-12},\"cache\":{\"capacity_objects\":2}}");
    ck_assert_double_eq(test_num(r, "requests_sent", NULL), 0);
    ck_assert_double_eq(test_num(r, "requests", NULL), 0);
    cJSON_Delete(r);
    /* A PoP serving 1e-12 requests/s (pop.capacity_rps): the first request
     * takes the server for 31,700 years, so the next two would wait far
     * past max_wait (1 s): refused. The gap once converted to a negative
     * time, and the server never queued at all (3 MISS). */
    test_put("t.csv", "time,key,size\n0,A,10\n0.5,B,10\n1,C,10\n");
    r = test_result(TRACE_SCENARIO("\"capacity_objects\":2", ",\"pop\":{\"capacity_rps\":1e-12}"));
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 2);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    cJSON_Delete(r);
}
END_TEST

START_TEST(belady_through_the_run)
{
    /* Capacity 2, A B C A B D A C with the future known (the csv trace is
     * annotated): A, B miss; C miss and is not kept (its next use, 7, is
     * after A's 3 and B's 4); A, B hit; D miss, B (never again) goes; A hit;
     * C miss. => 3 hits, where LRU gets none. */
    test_put("t.csv", "time,key,size\n0,A,1\n1,B,1\n2,C,1\n3,A,1\n4,B,1\n5,D,1\n6,A,1\n7,C,1\n");
    cJSON *r = test_result("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                        "\"cache\":{\"policy\":\"belady\",\"capacity_objects\":2},"
                        "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}}");
    ck_assert_double_eq(test_num(r, "hits", NULL), 3);
    cJSON_Delete(r);
}
END_TEST

START_TEST(purge_empties_the_cache)
{
    /* A@0 miss, A@1 hit, B@1.5 miss, purge at 2, A@3 miss again, A@4 hit,
     * B@5 miss again. */
    test_put("t.csv", "time,key,size\n0,A,1\n1,A,1\n1.5,B,1\n3,A,1\n4,A,1\n5,B,1\n");
    cJSON *r = test_result("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                           "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                           "\"operations\":[{\"at_s\":2,\"purge\":\"all\"}]}");
    ck_assert_double_eq(test_num(r, "status", "HIT"), 2);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 4);
    cJSON_Delete(r);
    char err[1024];
    ck_assert_int_eq(test_run("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                              "\"operations\":[{\"at_s\":2,\"purge\":\"pop-9\"}]}", NULL, 0, &r, err,
                              sizeof err), -2);
    ck_assert_ptr_nonnull(strstr(err, "$.operations[0].purge"));
}
END_TEST

START_TEST(purge_with_every_policy)
{
    /* Every policy, belady included (a trace gives it the future), with room
     * for 10 objects, so no eviction decides anything: A@0 B@1 miss, A@2 B@3
     * hit; the purge at 4 empties the cache (each policy's on_remove, ghosts
     * and all), so A@5 and B@6 are exactly misses again; A@7 B@8 hit the
     * refilled copies. A policy that kept an object through the purge, or
     * lost the refill, changes the counts. */
    test_put("t.csv", "time,key,size\n0,A,100\n1,B,100\n2,A,100\n3,B,100\n"
                      "5,A,100\n6,B,100\n7,A,100\n8,B,100\n");
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        for (int bytes = 0; bytes < 2; bytes++) {
            char s[512];
            snprintf(s, sizeof s,
                     "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                     "\"cache\":{\"policy\":\"%s\",\"%s\":%d},"
                     "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                     "\"operations\":[{\"at_s\":4,\"purge\":\"pop-1\"}]}",
                     names[i], bytes ? "capacity_bytes" : "capacity_objects", bytes ? 1000 : 10);
            cJSON *r = test_result(s);
            ck_assert_msg(test_num(r, "status", "MISS") == 4 && test_num(r, "status", "HIT") == 4,
                          "%s (%s): %g misses, %g hits", names[i], bytes ? "bytes" : "objects",
                          test_num(r, "status", "MISS"), test_num(r, "status", "HIT"));
            ck_assert_double_eq(test_num(r, "origin", "requests"), 4);
            ck_assert_double_eq(test_num(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "pops"), 0),
                                         "cached_objects", NULL), 2);
            cJSON_Delete(r);
        }
    }
}
END_TEST

START_TEST(byte_capacity_hand_worked)
{
    /* 100 bytes: A(60) miss; B(50) miss evicts A; A miss evicts B; C(200) is
     * larger than the cache: miss, never stored; A hit. => 1 hit of 5. */
    test_put("t.csv", "time,key,size\n0,A,60\n1,B,50\n2,A,60\n3,C,200\n4,A,60\n");
    cJSON *r = test_result(TRACE_SCENARIO("\"capacity_bytes\":100", ""));
    ck_assert_double_eq(test_num(r, "hits", NULL), 1);
    ck_assert_double_eq(test_num(r, "byte_hit_ratio", NULL), 60.0 / 430.0);
    cJSON_Delete(r);
}
END_TEST

START_TEST(max_age_hand_worked)
{
    /* ttl 10 s, unbounded: A@0 miss (fresh until 10); A@5 hit; A@9.999 hit;
     * A@10 EXPIRED (fresh strictly before 10), refetched: fresh until 20;
     * A@15 hit (a hit does not extend); A@20 EXPIRED; B@21 MISS. */
    test_put("t.csv", "time,key,size\n0,A,1\n5,A,1\n9.999,A,1\n10,A,1\n15,A,1\n20,A,1\n21,B,1\n");
    cJSON *r = test_result("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                        "\"content\":{\"ttl_s\":10},"
                        "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}}");
    ck_assert_double_eq(test_num(r, "status", "HIT"), 3);
    ck_assert_double_eq(test_num(r, "status", "EXPIRED"), 2);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 2);
    cJSON_Delete(r);
}
END_TEST

START_TEST(collapsing_and_latency_chain)
{
    /* client RTT 20 ms, origin RTT 100 ms. A@0 MISS: answered at 0+20+100 =
     * 120 ms. A@0.05 arrives at the PoP at 60 ms while the fetch is in
     * flight: COLLAPSED, answered with the fetch at 110 ms + 10 ms = 120 ms,
     * latency 70 ms. A@1 HIT: 20 ms. One origin fetch. */
    test_put("t.csv", "time,key,size\n0,A,5\n0.05,A,5\n1,A,5\n");
    cJSON *r = test_result("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                        "\"network\":{\"client_rtt_ms\":20,\"origin_rtt_ms\":100}}");
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "COLLAPSED"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "mean"), (120.0 + 70.0 + 20.0) / 3, 1e-9);
    ck_assert_double_eq(test_num(r, "latency_ms", "max"), 120);
    cJSON_Delete(r);
}
END_TEST

/* Che's approximation: with T the characteristic time solving
 * Σ (1 - e^{-p_i T}) = C, object i is cached with probability 1 - e^{-p_i T}
 * (per-request time units), and the hit ratio is Σ p_i (1 - e^{-p_i T}). */
typedef struct che { const double *p; int n; double c; } che_t;

static double che_fn(double t, void *ctx)
{
    const che_t *m = ctx;
    double s = 0;
    for (int i = 0; i < m->n; i++) s += 1 - exp(-m->p[i] * t);
    return s - m->c;
}

static double che_hit_ratio(int n, double alpha, int c)
{
    double *p = malloc((size_t)n * sizeof *p), norm = 0;
    for (int i = 0; i < n; i++) norm += pow(i + 1, -alpha);
    for (int i = 0; i < n; i++) p[i] = pow(i + 1, -alpha) / norm;
    che_t m = { p, n, c };
    gsl_function f = { che_fn, &m };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &f, 1e-9, 1e12);
    double t = 0;
    for (int it = 0; it < 200; it++) {
        gsl_root_fsolver_iterate(s);
        t = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0, 1e-10) == GSL_SUCCESS) break;
    }
    gsl_root_fsolver_free(s);
    double h = 0;
    for (int i = 0; i < n; i++) h += p[i] * (1 - exp(-p[i] * t));
    free(p);
    return h;
}

START_TEST(lru_matches_che)
{
    /* 10^6 measured requests (after 10^5 of warm-up): the hit ratio's
     * standard error is below 0.001 even allowing for correlation, and Che's
     * approximation is within ~0.003 of exact LRU at N=1000, C=50..200, so
     * 0.01 absolute leaves room for both and still fails a wrong policy
     * (FIFO is 0.03-0.05 lower here). */
    const int caps[] = { 50, 200 };
    for (int k = 0; k < 2; k++) {
        char s[512];
        snprintf(s, sizeof s,
                 "{\"seed\":5,\"duration_s\":1100,\"warmup_s\":100,"
                 "\"workload\":{\"type\":\"zipf\",\"objects\":1000,\"alpha\":0.8,\"rate_rps\":1000},"
                 "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":%d},"
                 "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}}", caps[k]);
        cJSON *r = test_result(s);
        double sim = test_num(r, "hit_ratio", NULL), model = che_hit_ratio(1000, 0.8, caps[k]);
        ck_assert_msg(fabs(sim - model) < 0.01, "C=%d sim=%g che=%g", caps[k], sim, model);
        cJSON_Delete(r);
    }
}
END_TEST

START_TEST(max_age_matches_renewal_formula)
{
    /* One object requested as a Poisson process of rate λ with max-age T and
     * immediate fetches: each miss starts a fresh period of length T in which
     * λT hits arrive on average, so h = λT / (1 + λT). With ~2*10^5 measured
     * requests the standard error is < 0.002; tolerance 0.008 (4 sigma). */
    const double cases[][2] = { { 10, 0.5 }, { 100, 0.05 }, { 2, 3 } };
    for (int k = 0; k < 3; k++) {
        double lam = cases[k][0], t = cases[k][1];
        char s[512];
        snprintf(s, sizeof s,
                 "{\"seed\":9,\"duration_s\":%g,\"warmup_s\":10,"
                 "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":%g},"
                 "\"content\":{\"ttl_s\":%g},"
                 "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}}",
                 10 + 200000 / lam, lam, t);
        cJSON *r = test_result(s);
        double sim = test_num(r, "hit_ratio", NULL), model = lam * t / (1 + lam * t);
        ck_assert_msg(fabs(sim - model) < 0.008, "lambda=%g T=%g sim=%g model=%g", lam, t, sim, model);
        cJSON_Delete(r);
    }
    /* Across a Zipf catalog, unbounded cache: h = Σ p_i λp_iT/(1+λp_iT). */
    cJSON *r = test_result("{\"seed\":4,\"duration_s\":1010,\"warmup_s\":10,"
                        "\"workload\":{\"type\":\"zipf\",\"objects\":500,\"alpha\":0.9,\"rate_rps\":500},"
                        "\"content\":{\"ttl_s\":2},"
                        "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0}}");
    double model = 0;
    for (int i = 1; i <= 500; i++) {
        double li = 500 * zipf_pmf(500, 0.9, (uint64_t)i);
        model += zipf_pmf(500, 0.9, (uint64_t)i) * li * 2 / (1 + li * 2);
    }
    ck_assert_msg(fabs(test_num(r, "hit_ratio", NULL) - model) < 0.005, "sim=%g model=%g",
                  test_num(r, "hit_ratio", NULL), model);
    cJSON_Delete(r);
}
END_TEST

START_TEST(latency_does_not_change_what_the_cache_holds)
{
    /* A miss reserves the object's place at once (a busy object), so the
     * cache holds what it would if fetches were instant: the contract's
     * scenario gives the same hits with 10/80 ms RTTs as with none, and Che's
     * value for it (0.1566 for N=10^4, alpha 0.8, C=100) within 0.01. The
     * RTTs still show in collapsed requests and in latency. */
    const char *s = "{\"seed\":1,\"duration_s\":1200,\"warmup_s\":200,"
                    "\"workload\":{\"type\":\"zipf\",\"objects\":10000,\"alpha\":0.8,\"rate_rps\":1000},"
                    "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":100}}";
    char *zero[] = { "network.client_rtt_ms=0", "network.origin_rtt_ms=0" }, err[1024];
    cJSON *slow = test_result(s), *fast;
    ck_assert_int_eq(test_run(s, zero, 2, &fast, err, sizeof err), 0);
    ck_assert_double_eq(test_num(slow, "hits", NULL), test_num(fast, "hits", NULL));
    ck_assert_double_gt(test_num(slow, "status", "COLLAPSED"), 0);
    ck_assert_double_eq(test_num(fast, "status", "COLLAPSED"), 0);
    /* a collapsed MISS (reservation evicted in flight) costs no fetch */
    ck_assert_double_le(test_num(slow, "origin", "requests"), test_num(fast, "origin", "requests"));
    ck_assert_double_gt(test_num(slow, "latency_ms", "mean"), test_num(fast, "latency_ms", "mean"));
    ck_assert_double_eq_tol(test_num(slow, "hit_ratio", NULL), che_hit_ratio(10000, 0.8, 100), 0.01);
    cJSON_Delete(slow);
    cJSON_Delete(fast);
}
END_TEST

START_TEST(same_seed_same_bytes)
{
    const char *s = "{\"seed\":11,\"duration_s\":60,\"warmup_s\":10,"
                    "\"workload\":{\"type\":\"zipf\",\"objects\":5000,\"alpha\":0.8,\"rate_rps\":2000,"
                    "\"size_dist\":\"lognormal\",\"size_bytes\":20000},"
                    "\"cache\":{\"policy\":\"lru\",\"capacity_bytes\":5000000},\"content\":{\"ttl_s\":30}}";
    cJSON *a = test_result(s), *b = test_result(s), *c;
    char *set[] = { "seed=12" }, err[1024];
    ck_assert_int_eq(test_run(s, set, 1, &c, err, sizeof err), 0);
    ck_assert_double_eq(test_num(c, "seed", NULL), 12);
    /* Compared without the seed's own echoes (the seed field, config.seed,
     * the --set that changed it), which would make any two seeds differ
     * even if the seed drove nothing. */
    cJSON *runs[3] = { a, b, c };
    for (int i = 0; i < 3; i++) {
        cJSON_DeleteItemFromObject(runs[i], "seed");
        cJSON_DeleteItemFromObject(runs[i], "overrides");
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(runs[i], "config"), "seed");
    }
    char *sa = cJSON_Print(a), *sb = cJSON_Print(b), *sc = cJSON_Print(c);
    ck_assert_ptr_null(strstr(sa, "seed"));
    ck_assert_ptr_null(strstr(sc, "seed"));
    ck_assert_str_eq(sa, sb);
    ck_assert_str_ne(sa, sc);
    /* and not only in the echo of what was asked: the traffic itself */
    ck_assert_double_ne(test_num(a, "hits", NULL), test_num(c, "hits", NULL));
    free(sa); free(sb); free(sc);
    cJSON_Delete(a); cJSON_Delete(b); cJSON_Delete(c);
}
END_TEST

START_TEST(memory_per_cached_object)
{
    /* A full LRU cache of 20,000 objects: 24-byte entries, 8 bytes of list
     * links, and an index that ends 5/8 full at the capacity (32,002 cells
     * of 4 bytes) make 32 + 128,008 / 20,000 = 38.4004 bytes an object,
     * under the 64 asked of the world scenario. */
    cJSON *r = test_result("{\"duration_s\":100,\"workload\":{\"type\":\"zipf\",\"objects\":100000,"
                           "\"alpha\":0.8,\"rate_rps\":2000},"
                           "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":20000}}");
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    double held = cJSON_GetObjectItem(cJSON_GetArrayItem(pops, 0), "cached_objects")->valuedouble;
    ck_assert_double_eq(held, 20000);
    ck_assert_double_eq(test_num(r, "memory", "cached_objects"), held);
    double per = test_num(r, "memory", "bytes_per_cached_object");
    ck_assert_double_eq(per, test_num(r, "memory", "cache_bytes") / held);
    ck_assert_msg(fabs(per - (32 + 128008.0 / 20000)) < 1e-9, "%g bytes an object", per);
    cJSON_Delete(r);
}
END_TEST

START_TEST(series_coarsens_past_its_limit)
{
    /* A trace's span is known only at its end: a series of at most 4 points
     * at 1 s fed requests at 0.5, 1.5, ..., 9.5 s needs 10 points, so its
     * interval doubles twice (4 s): [0,4) holds 4 requests, [4,8) 4, [8,12)
     * 2; nothing is lost, and each point's latency histogram is the merge. */
    series_t s;
    series_init(&s, SIM_NS_PER_S, 4);
    for (int k = 0; k < 10; k++) {
        series_point_t *p = series_at(&s, k * SIM_NS_PER_S + SIM_NS_PER_S / 2);
        ck_assert_ptr_nonnull(p);
        p->requests++;
        p->hits += k % 2;
        p->latency_sum_ns += 1e6 * (k + 1);
        hist_small_record(&p->latency, (int64_t)1000000 * (k + 1));
    }
    ck_assert_int_eq(s.interval, 4 * SIM_NS_PER_S);
    ck_assert_uint_eq(s.n, 3);
    const uint64_t req[] = { 4, 4, 2 }, hits[] = { 2, 2, 1 };
    const double sum_ms[] = { 1 + 2 + 3 + 4, 5 + 6 + 7 + 8, 9 + 10 };
    for (int j = 0; j < 3; j++) {
        ck_assert_uint_eq(s.points[j].requests, req[j]);
        ck_assert_uint_eq(s.points[j].hits, hits[j]);
        ck_assert_double_eq_tol(s.points[j].latency_sum_ns, 1e6 * sum_ms[j], 1e-6);
        ck_assert_uint_eq(s.points[j].latency.count, req[j]);
    }
    /* the largest latency of [4,8) is 8 ms: its p99, within the 3.2% bound */
    ck_assert_double_eq_tol(hist_small_quantile(&s.points[1].latency, 0.99), 8e6, 8e6 * 0.032);
    series_free(&s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("single_pop");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, test_dir_make, test_dir_remove);
    tcase_add_test(tc, lru_hand_worked);
    tcase_add_test(tc, belady_through_the_run);
    tcase_add_test(tc, purge_empties_the_cache);
    tcase_add_test(tc, purge_with_every_policy);
    tcase_add_test(tc, byte_capacity_hand_worked);
    tcase_add_test(tc, max_age_hand_worked);
    tcase_add_test(tc, collapsing_and_latency_chain);
    tcase_add_test(tc, lru_matches_che);
    tcase_add_test(tc, max_age_matches_renewal_formula);
    tcase_add_test(tc, latency_does_not_change_what_the_cache_holds);
    tcase_add_test(tc, same_seed_same_bytes);
    tcase_add_test(tc, memory_per_cached_object);
    tcase_add_test(tc, series_coarsens_past_its_limit);
    tcase_add_test(tc, vanishing_rates_mean_far_future);
    suite_add_tcase(su, tc);
    return test_main(su);
}
