/* check_sample — workload.sample, miniature simulations: the sampled keys
 * are exactly those whose hash falls under the rate (zipf and trace), the
 * zipf draw is the full law conditioned on them at the thinned rate, a rate
 * of 1 changes nothing in a run, and a miniature single-PoP LRU run gives
 * the full run's hit ratio within a tolerance worked out below (and Che's
 * on its own sampled law). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/workload/sample.h"
#include "models/workload/trace.h"
#include "models/workload/workload.h"
#include "tests/testutil.h"

static void setup(void) { test_dir_make(); }
static void teardown(void) { test_dir_remove(); }

#define N_OBJ 5000
#define ALPHA 0.8

static workload_spec_t zipf_spec(double sample)
{
    workload_spec_t ws = { .type = WORKLOAD_ZIPF, .objects = N_OBJ, .alpha = ALPHA, .rate_rps = 1000,
                           .size_bytes = 100, .size_dist = SIZE_FIXED, .sample = sample };
    return ws;
}

/* Every key drawn is one with sample_hash under the threshold, and with 2*10^5
 * draws every such key is drawn: the rarest key has probability
 * 5000^-0.8 / H(5000, 0.8) = 4.7e-5 in the full law, about 4.7e-4 given the
 * sampled set (request share near 0.1), so 2*10^5 draws miss one with
 * probability exp(-94): the set is checked exactly. */
START_TEST(zipf_keys_are_the_hashed_set)
{
    const double rate = 0.1;
    uint64_t thr = sample_threshold(rate);
    workload_spec_t ws = zipf_spec(rate);
    char err[256];
    workload_t *w = workload_create(&ws, 7, false, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    static uint32_t seen[N_OBJ + 1];
    memset(seen, 0, sizeof seen);
    request_spec_t r;
    const int draws = 200000;
    simtime_t last = 0;
    for (int i = 0; i < draws; i++) {
        ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 1);
        ck_assert(r.key >= 1 && r.key <= N_OBJ);
        ck_assert_msg(sample_hash(r.key) < thr, "key %llu is not sampled", (unsigned long long)r.key);
        seen[r.key]++;
        last = r.time;
    }
    /* the set and the shares, worked independently of the workload */
    double total = 0, kept = 0;
    uint64_t nkept = 0;
    for (uint64_t k = N_OBJ; k >= 1; k--) {
        double p = pow((double)k, -ALPHA);
        total += p;
        if (sample_hash(k) < thr) {
            kept += p;
            nkept++;
            ck_assert_msg(seen[k] > 0, "sampled key %llu never drawn", (unsigned long long)k);
        }
    }
    double q = kept / total;
    ck_assert_msg(fabs(workload_request_share(w) - q) < 1e-12, "share %g, expected %g",
                  workload_request_share(w), q);
    ck_assert(fabs(workload_key_share(w) - (double)nkept / N_OBJ) < 1e-15);
    ck_assert(nkept > 400 && nkept < 600); /* 500 expected, sd 21 */
    /* the law: the most requested sampled key's frequency is its conditional
     * probability, within 5 binomial standard deviations */
    uint64_t top = 0;
    for (uint64_t k = 1; k <= N_OBJ; k++)
        if (sample_hash(k) < thr) { top = k; break; }
    double pt = pow((double)top, -ALPHA) / kept, sd = sqrt(draws * pt * (1 - pt));
    ck_assert_msg(fabs(seen[top] - draws * pt) < 5 * sd, "key %llu drawn %u times, expected %.0f",
                  (unsigned long long)top, seen[top], draws * pt);
    /* the thinned rate: 2*10^5 gaps of mean 1/(1000 q), sd of their sum sqrt(n)/(1000 q) */
    double span = simtime_to_s(last), mean = draws / (1000 * q), ssd = sqrt((double)draws) / (1000 * q);
    ck_assert_msg(fabs(span - mean) < 5 * ssd, "span %g s, expected %g s", span, mean);
    workload_destroy(w);
}
END_TEST

/* The catalog above the table's limit draws every arrival and skips: the
 * same set, and the shares counted as drawn. */
START_TEST(zipf_large_catalog_draws_and_skips)
{
    const double rate = 0.05;
    uint64_t thr = sample_threshold(rate);
    workload_spec_t ws = zipf_spec(rate);
    ws.objects = 1ULL << 30;
    char err[256];
    workload_t *w = workload_create(&ws, 3, false, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    request_spec_t r;
    for (int i = 0; i < 20000; i++) {
        ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 1);
        ck_assert(sample_hash(r.key) < thr);
    }
    ck_assert(workload_key_share(w) == rate);
    double q = workload_request_share(w);
    ck_assert(q > 0 && q < 1);
    workload_destroy(w);
}
END_TEST

/* With locality a drawn rank names another object per region: the keeping
 * is by the object (workload_keep), not by the rank, and the request share
 * is what was kept of what was asked. */
START_TEST(locality_keeps_by_object)
{
    const double rate = 0.2;
    uint64_t thr = sample_threshold(rate);
    workload_spec_t ws = zipf_spec(rate);
    ws.locality = 1;
    ws.regions = 2;
    char err[256];
    workload_t *w = workload_create(&ws, 11, false, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    request_spec_t r;
    int kept = 0, differ = 0;
    const int draws = 20000;
    for (int i = 0; i < draws; i++) {
        ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 1);
        unsigned region = (unsigned)(i % 2);
        uint64_t obj = workload_rank_object(w, region, r.key);
        bool want = sample_hash(obj) < thr;
        differ += want != (sample_hash(r.key) < thr);
        ck_assert_int_eq(workload_keep(w, &r, region), want);
        kept += want;
    }
    ck_assert_msg(differ > 1000, "only %d draws where rank and object disagree", differ);
    ck_assert(fabs(workload_request_share(w) - (double)kept / draws) < 1e-15);
    uint64_t nkept = 0;
    for (uint64_t k = 1; k <= N_OBJ; k++) nkept += sample_hash(k) < thr;
    ck_assert(fabs(workload_key_share(w) - (double)nkept / N_OBJ) < 1e-15);
    workload_destroy(w);
}
END_TEST

/* A trace keeps the requests of the sampled keys, in order, times as read,
 * and its key share is its distinct keys kept over those read. */
START_TEST(trace_keeps_the_hashed_keys)
{
    const double rate = 0.3;
    uint64_t thr = sample_threshold(rate);
    char text[64 * 1024] = "time,key,size\n";
    size_t len = strlen(text);
    int read = 0;
    for (int i = 0; i < 2000; i++, read++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%d,%d,%d\n", i, 1 + (i * 7919) % 300, 10);
    workload_spec_t ws = { .type = WORKLOAD_TRACE, .trace_format = TRACE_CSV, .sample = rate };
    ws.trace_path = (char *)test_put("t.csv", text);
    char err[256];
    workload_t *w = workload_create(&ws, 1, false, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    request_spec_t r;
    int kept = 0, i = 0;
    for (; i < read; i++) {
        uint64_t key = 1 + (uint64_t)((i * 7919) % 300);
        if (sample_hash(key) >= thr) continue;
        ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 1);
        ck_assert_uint_eq(r.key, key);
        ck_assert_int_eq(r.time, simtime_from_s(i));
        kept++;
    }
    ck_assert_int_eq(workload_next(w, &r, err, sizeof err), 0);
    ck_assert(kept > 400 && kept < 800);
    ck_assert(fabs(workload_request_share(w) - (double)kept / read) < 1e-15);
    /* the key share from the distinct counts: 300 keys read, the sampled of
     * them kept; at a few hundred keys in 2^16 registers the count is exact
     * but for a collision or two */
    int kept_keys = 0;
    for (uint64_t k = 1; k <= 300; k++) kept_keys += sample_hash(k) < thr;
    double ks = workload_key_share(w);
    ck_assert_msg(fabs(ks / ((double)kept_keys / 300) - 1) < 0.01, "key share %g, expected %g", ks,
                  (double)kept_keys / 300);
    workload_destroy(w);
}
END_TEST

/* The distinct count: 0, a few, and 10^3..10^7 keys (each added twice) within
 * 2% (five standard errors of 1.04/256) of the truth. */
START_TEST(distinct_count_within_its_error)
{
    static sample_hll_t h;
    memset(&h, 0, sizeof h);
    ck_assert(sample_hll_count(&h) == 0);
    uint64_t n = 0;
    for (uint64_t target = 1000; target <= 10000000; target *= 10) {
        for (; n < target; n++) {
            sample_hll_add(&h, n * 2654435761u + 17);
            sample_hll_add(&h, n * 2654435761u + 17);
        }
        double c = sample_hll_count(&h);
        ck_assert_msg(fabs(c / (double)n - 1) < 0.02, "%.0f counted for %llu keys", c, (unsigned long long)n);
    }
}
END_TEST

static void drop(cJSON *o, const char *key) { cJSON_DeleteItemFromObjectCaseSensitive(o, key); }

/* sample = 1 is the run without the key, field for field (the echoed config
 * aside, which shows the key as written). */
START_TEST(rate_one_changes_nothing)
{
#define RUN_ONE(extra) "{\"duration_s\": 200, \"warmup_s\": 50," \
        " \"workload\": {\"type\": \"zipf\", \"objects\": 2000, \"alpha\": 0.8, \"rate_rps\": 500" extra "}," \
        " \"cache\": {\"policy\": \"lru\", \"capacity_objects\": 200}, \"content\": {\"ttl_s\": 60}," \
        " \"origin\": {\"capacity_rps\": 100, \"service_ms\": 5}}"
    const char *a = RUN_ONE(""), *b = RUN_ONE(", \"sample\": 1");
    cJSON *ra = test_result(a), *rb = test_result(b);
    drop(ra, "config");
    drop(rb, "config");
    ck_assert(cJSON_GetObjectItem(rb, "sample") == NULL);
    char *sa = cJSON_PrintUnformatted(ra), *sb = cJSON_PrintUnformatted(rb);
    ck_assert_str_eq(sa, sb);
    free(sa);
    free(sb);
    cJSON_Delete(ra);
    cJSON_Delete(rb);
}
END_TEST

/* Che's approximation for LRU of `capacity` objects over popularities p[0..n-1]
 * (summing to 1): the characteristic time T with sum(1 - e^(-p T)) = capacity,
 * by bisection on log T, and the hit ratio sum(p (1 - e^(-p T))). */
static double che_lru(const double *p, size_t n, double capacity)
{
    double lo = 1e-3, hi = 1e15;
    for (int it = 0; it < 200; it++) {
        double t = sqrt(lo * hi), filled = 0;
        for (size_t i = 0; i < n; i++) filled += -expm1(-p[i] * t);
        if (filled > capacity) hi = t;
        else lo = t;
    }
    double t = sqrt(lo * hi), h = 0;
    for (size_t i = 0; i < n; i++) h += p[i] * -expm1(-p[i] * t);
    return h;
}

/* A single PoP, LRU of 10^4 objects over a Zipf(0.8) catalog of 10^5, 2 x 10^6
 * requests measured, against the same run at R = 0.1 (about 10^4 objects
 * sampled, a cache of about 10^3, 1.9 x 10^5 requests).
 *
 * Where the error comes from: the sampled set is a fixed set of ranks (the
 * hash), and its few most popular members weigh a lot: key 1 alone carries
 * 2.2% of the requests, a fifth of the sample's. Che's approximation on the
 * conditional law, over 30 random hash sets, gives the plain miniature's hit
 * ratio an error of rms 0.047 against the full run's, and SHARDS_adj's
 * (misses scaled by the key share) rms 0.0084; for this hash set -0.033 and
 * -0.0086. The simulation's own noise is below 0.003 at these counts. So:
 *  - the miniature's hit ratio is Che's on its own sampled law and scaled
 *    cache within 0.008 (Che's error at 10^3 objects and the noise): the
 *    mechanism (set, law, thinned rate, scaled cache) is right;
 *  - the adjusted hit ratio is the full run's within 0.025, three rms of
 *    its error over hash sets;
 *  - the scaled request count is the full run's 2 x 10^6 within 1% (the
 *    miniature's Poisson count has sd 0.23%).
 * A miniature with an unscaled cache would hit about 0.95; a rate not
 * thinned, or counts not scaled back, would miss the count by 10x. */
START_TEST(lru_miniature_estimates_the_full_run)
{
#define LRU_RUN(extra) "{\"duration_s\": 2100, \"warmup_s\": 100, \"seed\": 5," \
        " \"workload\": {\"type\": \"zipf\", \"objects\": 100000, \"alpha\": 0.8, \"rate_rps\": 1000" extra "}," \
        " \"cache\": {\"policy\": \"lru\", \"capacity_objects\": 10000}," \
        " \"network\": {\"client_rtt_ms\": 0, \"origin_rtt_ms\": 0}}"
    cJSON *full = test_result(LRU_RUN("")), *mini = test_result(LRU_RUN(", \"sample\": 0.1"));
    double hf = test_num(full, "hit_ratio", NULL), hm = test_num(mini, "hit_ratio", NULL);
    const cJSON *sample = cJSON_GetObjectItem(mini, "sample");
    double adj = test_num(sample, "adjusted", "hit_ratio"), ks = test_num(sample, "key_share", NULL);
    /* the sampled law and Che on it */
    const uint64_t n = 100000;
    uint64_t thr = sample_threshold(0.1);
    double *p = malloc(n * sizeof *p), total = 0;
    ck_assert(p != NULL);
    size_t m = 0;
    for (uint64_t k = n; k >= 1; k--) {
        double w = pow((double)k, -0.8);
        total += w;
        if (sample_hash(k) < thr) p[m++] = w;
    }
    double kept = 0;
    for (size_t i = 0; i < m; i++) kept += p[i];
    for (size_t i = 0; i < m; i++) p[i] /= kept;
    ck_assert(fabs(ks - (double)m / (double)n) < 1e-12);
    double che = che_lru(p, m, floor(10000 * ks + 0.5));
    free(p);
    ck_assert_msg(fabs(hm - che) < 0.008, "miniature %.4f, Che on the sample %.4f", hm, che);
    ck_assert_msg(fabs(adj - hf) < 0.025, "adjusted %.4f, full run %.4f", adj, hf);
    double req = test_num(mini, "requests", NULL);
    ck_assert_msg(fabs(req / 2e6 - 1) < 0.01, "scaled requests %.0f, expected 2e6", req);
    ck_assert_msg(fabs(test_num(full, "requests", NULL) / 2e6 - 1) < 0.01, "full run's requests");
    cJSON_Delete(full);
    cJSON_Delete(mini);
}
END_TEST

/* The origin at 1.05 times its capacity, every request uncacheable: in the
 * full run it refuses what its 100 ms of queue cannot hold, about
 * 1 - 1/1.05 = 0.048 of the requests (0.048 measured). The miniature's
 * origin works at q of the rate and accepts waits 1/q as long, so its queue
 * is the full one stretched in time and refuses the same share (0.045-0.048
 * over seeds 1-4). Left at the full capacity it would refuse nothing; with
 * the rate scaled but the 100 ms kept it holds a tenth of the work and
 * refuses about twice the share. Tolerance 0.015: three times the spread. */
START_TEST(servers_refuse_the_same_share)
{
#define ORIGIN_RUN(extra) "{\"duration_s\": 1100, \"warmup_s\": 100, \"seed\": 3," \
        " \"workload\": {\"type\": \"zipf\", \"objects\": 100000, \"alpha\": 0.8, \"rate_rps\": 1050," \
        " \"dynamic_share\": 1" extra "}, \"cache\": {\"policy\": \"lru\", \"capacity_objects\": 1000}," \
        " \"origin\": {\"capacity_rps\": 1000, \"service_ms\": 1, \"max_wait_ms\": 100}}"
    cJSON *full = test_result(ORIGIN_RUN("")), *mini = test_result(ORIGIN_RUN(", \"sample\": 0.1"));
    double rf = test_num(full, "status", "ERROR") / test_num(full, "requests", NULL);
    double rm = test_num(mini, "status", "ERROR") / test_num(mini, "requests", NULL);
    ck_assert_msg(rf > 0.03 && rf < 0.07, "full run refuses %.4f", rf);
    ck_assert_msg(fabs(rm - rf) < 0.015, "miniature refuses %.4f, full run %.4f", rm, rf);
    cJSON_Delete(full);
    cJSON_Delete(mini);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sample");
    TCase *t = tcase_create("sample");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, zipf_keys_are_the_hashed_set);
    tcase_add_test(t, zipf_large_catalog_draws_and_skips);
    tcase_add_test(t, locality_keeps_by_object);
    tcase_add_test(t, trace_keeps_the_hashed_keys);
    tcase_add_test(t, distinct_count_within_its_error);
    tcase_add_test(t, rate_one_changes_nothing);
    tcase_add_test(t, lru_miniature_estimates_the_full_run);
    tcase_add_test(t, servers_refuse_the_same_share);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return test_main(suite()); }
