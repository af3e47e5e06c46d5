/* check_sample — workload.sample, miniature simulations: the sampled keys
 * are exactly those whose hash falls under the rate (zipf and trace), the
 * zipf draw is the full law conditioned on them at the thinned rate, a rate
 * of 1 changes nothing in a run, and a miniature single-PoP LRU run gives
 * the full run's hit ratio within a tolerance worked out below. */
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

/* A trace keeps the requests of the sampled keys, in order, times as read. */
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
    workload_destroy(w);
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

static Suite *suite(void)
{
    Suite *s = suite_create("sample");
    TCase *t = tcase_create("sample");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, zipf_keys_are_the_hashed_set);
    tcase_add_test(t, zipf_large_catalog_draws_and_skips);
    tcase_add_test(t, trace_keeps_the_hashed_keys);
    tcase_add_test(t, rate_one_changes_nothing);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return test_main(suite()); }
