/* check_workload — workload.locality, the per-continent rankings.
 *
 * The model (workload.h): rank r is local with probability lambda (one
 * seeded mark for every region); a rank that is not local names object r in
 * every region; the local ranks' objects are shuffled per region. So the
 * expected overlap of two regions' top-k sets is exactly
 *     g_k + l_k^2 / m
 * where l_k is the number of local ranks among the first k, g_k = k - l_k
 * and m the number of local ranks in the whole catalog: the g_k global
 * objects are in both sets, and each region's l_k local objects are a
 * uniform l_k-subset of the m local ones, independent between regions
 * (hypergeometric mean l_k * l_k / m). lambda = 1 gives k^2 / N, lambda = 0
 * the identity. The tests measure it over the 21 pairs of 7 regions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/workload/workload.h"
#include "tests/testutil.h"

enum { REGIONS = 7 };

static workload_t *make(uint64_t n, double lambda, uint64_t seed)
{
    workload_spec_t ws = { .type = WORKLOAD_ZIPF, .objects = n, .alpha = 0.8, .rate_rps = 100,
                           .size_bytes = 1000, .size_dist = SIZE_FIXED, .locality = lambda,
                           .regions = REGIONS };
    char err[256];
    workload_t *w = workload_create(&ws, seed, false, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    return w;
}

/* Each region's table is a bijection of 1..n; a rank that is not local
 * keeps its object, a local rank's object is itself a local rank's. */
START_TEST(tables_are_bijections)
{
    const uint64_t n = 5000;
    double lambdas[] = { 0, 0.3, 1 };
    unsigned char *seen = malloc(n + 1);
    for (int li = 0; li < 3; li++) {
        workload_t *w = make(n, lambdas[li], 7);
        uint64_t local = 0;
        for (uint64_t r = 1; r <= n; r++) local += workload_rank_is_local(w, r);
        if (lambdas[li] == 0) ck_assert_uint_eq(local, 0);
        if (lambdas[li] == 1) ck_assert_uint_eq(local, n);
        if (lambdas[li] == 0.3) /* binomial(5000, 0.3): sd 32.4; 5 sd */
            ck_assert_msg(fabs((double)local - 1500) < 162, "%llu local ranks", (unsigned long long)local);
        for (unsigned g = 0; g < REGIONS; g++) {
            memset(seen, 0, n + 1);
            uint64_t moved = 0;
            for (uint64_t r = 1; r <= n; r++) {
                uint64_t o = workload_rank_object(w, g, r);
                ck_assert(o >= 1 && o <= n);
                ck_assert_msg(!seen[o], "object %llu twice in region %u", (unsigned long long)o, g);
                seen[o] = 1;
                if (!workload_rank_is_local(w, r)) ck_assert_uint_eq(o, r);
                else ck_assert(workload_rank_is_local(w, o));
                moved += o != r;
            }
            /* a shuffle of m items keeps about one in place */
            if (lambdas[li] > 0) ck_assert_msg(moved + 20 > local, "only %llu of %llu moved",
                                               (unsigned long long)moved, (unsigned long long)local);
        }
        workload_destroy(w);
    }
    free(seen);
}
END_TEST

/* The mean pairwise top-k overlap against g_k + l_k^2 / m. Over one pair
 * the local part's standard deviation is at most sqrt(l_k^2/m) (a
 * hypergeometric variance is below its mean): with k = 2000 of N = 20000,
 * lambda = 1 gives a mean of 200 and a sd of 12.7 a pair, so about 3 for
 * the mean of 21 pairs. The tolerance, 5% of the mean (10 at lambda = 1),
 * is over 3 of those, while a model whose marks differed between regions
 * would give (1-l)^2 k + ... (at lambda = 0.5: about 600, not 1100). */
static double mean_overlap(const workload_t *w, uint64_t n, uint64_t k)
{
    unsigned char *in = calloc(n + 1, 1);
    double sum = 0;
    int pairs = 0;
    for (unsigned a = 0; a < REGIONS; a++) {
        memset(in, 0, n + 1);
        for (uint64_t r = 1; r <= k; r++) in[workload_rank_object(w, a, r)] = 1;
        for (unsigned b = a + 1; b < REGIONS; b++, pairs++)
            for (uint64_t r = 1; r <= k; r++) sum += in[workload_rank_object(w, b, r)];
    }
    free(in);
    return sum / pairs;
}

START_TEST(top_k_overlap_is_analytic)
{
    const uint64_t n = 20000, k = 2000;
    double lambdas[] = { 0, 0.25, 0.5, 0.75, 1 };
    for (int li = 0; li < 5; li++) {
        workload_t *w = make(n, lambdas[li], 11);
        uint64_t lk = 0, m = 0;
        for (uint64_t r = 1; r <= n; r++) {
            bool l = workload_rank_is_local(w, r);
            m += l;
            if (r <= k) lk += l;
        }
        double want = (double)(k - lk) + (m ? (double)lk * (double)lk / (double)m : 0);
        double got = mean_overlap(w, n, k);
        ck_assert_msg(fabs(got - want) <= 0.05 * want, "lambda %g: overlap %.1f, analytic %.1f",
                      lambdas[li], got, want);
        if (lambdas[li] == 0) ck_assert_double_eq(got, (double)k); /* one global ranking */
        if (lambdas[li] == 1) ck_assert_double_eq(want, (double)k * k / n);
        workload_destroy(w);
    }
}
END_TEST

/* The drawn rank becomes the region's object, with that object's size; a
 * region past the tables, and a workload without locality, are left as
 * drawn. */
START_TEST(localize_maps_the_draw)
{
    workload_t *w = make(1000, 1, 3);
    request_spec_t r = { .key = 1, .size = 1000 };
    workload_localize(w, &r, 4);
    ck_assert_uint_eq(r.key, workload_rank_object(w, 4, 1));
    ck_assert_uint_eq(r.size, 1000);
    request_spec_t s = { .key = 5 };
    workload_localize(w, &s, REGIONS);
    ck_assert_uint_eq(s.key, 5);
    workload_destroy(w);
    w = make(1000, 0, 3);
    request_spec_t t = { .key = 9 };
    workload_localize(w, &t, 2);
    ck_assert_uint_eq(t.key, 9);
    workload_destroy(w);
}
END_TEST

/* Failover with locality. Two metros on the equator, MA (EU, lon 0) served
 * by AAA (lon 9) and MB (NA, lon -18) by BBB (lon -15), no shield, each
 * PoP an LRU cache of 1000 of 10^4 objects (alpha 1), 2000 rps in all. At
 * 120 s AAA withdraws and MA's clients move to BBB. With one ranking BBB
 * already holds what they ask for: under the independent reference model an
 * LRU cache's miss ratio does not depend on the rate, so one cache taking
 * both streams of one ranking misses as much as two caches did, and the
 * origin load after stays within noise of before (ratio 1, a 5 s interval
 * carries about 3,200 origin requests: 2% noise, 0.6% over 12 intervals).
 * With locality 1 MA's ranking is another permutation: BBB is cold for it,
 * then must share its 1000 places between two rankings, and the origin load
 * rises (measured about 1.2). The test asks for a rise at least 0.1 above
 * the one-ranking case, over 10 standard errors. */
static void failover_world(void)
{
    test_put("pops.csv", "iata,city,country,continent,lat,lon\nAAA,Alpha,XX,EU,0,9\nBBB,Beta,XX,NA,0,-15\n");
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\nMB,XX,NA,0,-18,1\n");
    test_put("graph.txt", "100|1003|-1\n200|2003|-1\n100|200|0\n");
    test_put("geo.json", "{\"metros\": [\"MA\", \"MB\"], \"ases\": ["
                         "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 200, \"tier\": \"tier1\", \"metro\": 1, \"lat\": 0, \"lon\": -18},"
                         "{\"asn\": 2003, \"tier\": \"stub\", \"metro\": 1, \"lat\": 0, \"lon\": -18}]}\n");
}

#define FAILOVER(locality)                                                                      \
    "{\"duration_s\":240,\"warmup_s\":0,"                                                       \
    "\"workload\":{\"type\":\"zipf\",\"objects\":10000,\"alpha\":1.0,\"rate_rps\":2000,"        \
    "\"size_bytes\":1000,\"locality\":" locality "},"                                           \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","                  \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"                              \
    "\"origin\":{\"lat\":0,\"lon\":63},\"cache\":{\"policy\":\"lru\",\"capacity_objects\":1000},"  \
    "\"stats\":{\"interval_s\":5},\"operations\":[{\"at_s\":120,\"withdraw\":\"AAA\"}]}"

/* mean origin_rps over [from, to) seconds of the time series */
static double origin_rps(const cJSON *r, double from, double to)
{
    const cJSON *ts = cJSON_GetObjectItem(r, "timeseries");
    const cJSON *t = cJSON_GetObjectItem(ts, "t_s"), *o = cJSON_GetObjectItem(ts, "origin_rps");
    double sum = 0;
    int n = 0;
    for (int i = 0; i < cJSON_GetArraySize(t); i++) {
        double at = cJSON_GetArrayItem(t, i)->valuedouble;
        if (at >= from && at < to) { sum += cJSON_GetArrayItem(o, i)->valuedouble; n++; }
    }
    ck_assert_int_gt(n, 0);
    return sum / n;
}

START_TEST(failover_is_colder_with_locality)
{
    test_dir_make();
    failover_world();
    cJSON *global = test_result(FAILOVER("0")), *regional = test_result(FAILOVER("1"));
    double g = origin_rps(global, 120, 180) / origin_rps(global, 60, 120);
    double l = origin_rps(regional, 120, 180) / origin_rps(regional, 60, 120);
    ck_assert_msg(fabs(g - 1) < 0.03, "one ranking: origin load after / before = %.3f", g);
    ck_assert_msg(l > g + 0.1, "locality 1: origin after / before %.3f, one ranking %.3f", l, g);
    /* before the withdrawal each PoP sees one ranking either way: the same
     * load within noise */
    double b0 = origin_rps(global, 60, 120), b1 = origin_rps(regional, 60, 120);
    ck_assert_msg(fabs(b1 / b0 - 1) < 0.03, "before: %.1f vs %.1f", b0, b1);
    cJSON_Delete(global);
    cJSON_Delete(regional);
    test_dir_remove();
}
END_TEST

/* Bad input: outside [0, 1], not a number, on a trace, or a catalog past
 * the tables' limit: refused, naming $.workload.locality. */
START_TEST(bad_locality)
{
    test_dir_make();
    test_put("t.csv", "time,key,size\n0,A,100\n");
    const char *bad[] = {
        "{\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":10,\"locality\":1.5}}",
        "{\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":10,\"locality\":-0.1}}",
        "{\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":10,\"locality\":\"high\"}}",
        "{\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":100000000,\"locality\":0.5}}",
        "{\"duration_s\":10,\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\",\"locality\":0.5}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[1024];
        const char *file = test_put("bad.json", bad[i]);
        scenario_t *sc = scenario_load(file, NULL, 0, false, 0, err, sizeof err);
        ck_assert_msg(sc == NULL, "accepted: %s", bad[i]);
        ck_assert_msg(strstr(err, "$.workload.locality") != NULL, "%s", err);
        ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    }
    /* a catalog at the limit is fine, and 0 takes any catalog */
    char err[1024];
    const char *file = test_put("ok.json", "{\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":100000000,\"locality\":0}}");
    scenario_t *sc = scenario_load(file, NULL, 0, false, 0, err, sizeof err);
    ck_assert_msg(sc != NULL, "%s", err);
    scenario_free(sc);
    test_dir_remove();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("workload");
    TCase *tc = tcase_create("locality");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tables_are_bijections);
    tcase_add_test(tc, top_k_overlap_is_analytic);
    tcase_add_test(tc, localize_maps_the_draw);
    tcase_add_test(tc, failover_is_colder_with_locality);
    tcase_add_test(tc, bad_locality);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_main(suite()); }
