/* check_freshness — HTTP freshness as a CDN applies it, one scripted request
 * sequence per directive, with zero RTTs so every fetch completes at once.
 * Each case states the statuses and origin traffic that follow from the
 * directive's definition (RFC 9111 and RFC 5861). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/testutil.h"

/* Runs a trace of key A (size 100) at the given times under one class;
 * content_extra goes into "content" after the classes. */
static cJSON *run_class_content(const char *times, const char *cls, const char *content_extra,
                                const char *extra)
{
    char trace[16384] = "time,key,size\n", line[64];
    for (const char *p = times; *p;) {
        int n = 0;
        double t;
        if (sscanf(p, "%lf%n", &t, &n) != 1) break;
        snprintf(line, sizeof line, "%g,A,100\n", t);
        strcat(trace, line);
        p += n;
    }
    test_put("t.csv", trace);
    char scen[2048];
    snprintf(scen, sizeof scen,
             "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
             "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
             "\"content\":{\"classes\":[%s]%s}%s}", cls, content_extra, extra);
    return test_result(scen);
}

static cJSON *run_class(const char *times, const char *cls, const char *extra)
{
    return run_class_content(times, cls, "", extra);
}

/* Asserts the status counts HIT MISS EXPIRED REVALIDATED STALE BYPASS ERROR
 * and the origin's requests and body bytes. */
static void expect(cJSON *r, int hit, int miss, int expired, int reval, int stale, int bypass,
                   int error, int origin_req, int origin_bytes)
{
    ck_assert_int_eq((int)test_num(r, "status", "HIT"), hit);
    ck_assert_int_eq((int)test_num(r, "status", "MISS"), miss);
    ck_assert_int_eq((int)test_num(r, "status", "EXPIRED"), expired);
    ck_assert_int_eq((int)test_num(r, "status", "REVALIDATED"), reval);
    ck_assert_int_eq((int)test_num(r, "status", "STALE"), stale);
    ck_assert_int_eq((int)test_num(r, "status", "BYPASS"), bypass);
    ck_assert_int_eq((int)test_num(r, "status", "ERROR"), error);
    ck_assert_int_eq((int)test_num(r, "origin", "requests"), origin_req);
    ck_assert_int_eq((int)test_num(r, "origin", "bytes"), origin_bytes);
    cJSON_Delete(r);
}

#define CLASS(cc) "{\"share\":1,\"cache_control\":\"" cc "\"}"

START_TEST(max_age_with_validator_revalidates)
{
    /* max-age=10: 0 MISS (fresh to 10); 5 HIT; 12 stale: conditional GET,
     * unchanged -> 304, REVALIDATED, no body, fresh to 22; 15 HIT; 21 HIT. */
    expect(run_class("0 5 12 15 21", CLASS("max-age=10"), ""), 3, 1, 0, 1, 0, 0, 0, 2, 100);
}
END_TEST

START_TEST(changed_object_is_refetched)
{
    /* The object changes every second at the origin: at 12 the stale copy's
     * version is old, so the conditional GET returns a new body (EXPIRED). */
    expect(run_class("0 5 12", "{\"share\":1,\"cache_control\":\"max-age=10\",\"change_per_hour\":3600}", ""),
           1, 1, 1, 0, 0, 0, 0, 2, 200);
}
END_TEST

START_TEST(versions_past_24_bits_still_revalidate)
{
    /* 1000 changes a second: by 20000 s the version count is past 2^24, the
     * bits a cached copy keeps, and by 5e6 s past 2^32. no-cache: every
     * reuse is a conditional GET. At T the copy from 0 is old: a new body
     * (EXPIRED); the second request at T finds the copy just fetched, of
     * the origin's current version: a 304 (REVALIDATED). Before versions
     * were wrapped to 24 bits on both sides, the second was EXPIRED too. */
    const char *cls = "{\"share\":1,\"cache_control\":\"no-cache\",\"change_per_hour\":3600000}";
    expect(run_class("0 20000 20000", cls, ""), 0, 1, 1, 1, 0, 0, 0, 3, 200);
    expect(run_class("0 5000000 5000000", cls, ""), 0, 1, 1, 1, 0, 0, 0, 3, 200);
}
END_TEST

START_TEST(without_validators_expiry_refetches)
{
    expect(run_class("0 12", "{\"share\":1,\"cache_control\":\"max-age=10\",\"validators\":false}", ""),
           0, 1, 1, 0, 0, 0, 0, 2, 200);
}
END_TEST

START_TEST(response_delay_counts_as_age)
{
    /* RFC 9111 4.2.3, worked with zero RTTs: the origin serves one request
     * every 2 s (0.5 rps) and lets requests queue 10 s. max-age=10, no
     * validator.
     *   B@0: the origin is idle, served at 0: date = request_time = 0.
     *   A@0.1: queues behind B until 2, so request_time = 0.1,
     *     response_time = 2, response_delay = 1.9 s = D;
     *     corrected_age_value = 0 + 1.9, apparent_age = 2 - 2 = 0,
     *     corrected_initial_age = 1.9: at response_time the copy is 1.9 s
     *     old and stays fresh until age 10, time 10.1, not 12.
     *   B@9.9: HIT (age 9.9). A@10.05: HIT (age 9.95). A@10.5: age 10.4,
     *     stale, no validator: EXPIRED, a new fetch (the origin idle since
     *     4). Counting from arrival (the old rule) made A@10.5 a HIT. */
    test_put("t.csv", "time,key,size\n0,B,100\n0.1,A,100\n9.9,B,100\n10.05,A,100\n10.5,A,100\n");
    cJSON *r = test_result("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                           "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                           "\"origin\":{\"capacity_rps\":0.5,\"max_wait_ms\":10000},"
                           "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=10\","
                           "\"validators\":false}]}}");
    expect(r, 2, 2, 1, 0, 0, 0, 0, 3, 300);
}
END_TEST

START_TEST(fractional_ttl_without_max_age)
{
    /* No max-age: the class takes content.ttl_s = 0.5 s as it is (it was
     * once cut to whole seconds, 0, and every reuse went to the origin).
     * 0 MISS, fresh to 0.5; 0.3 HIT; 0.6 stale: 304, REVALIDATED, fresh to
     * 1.1; 0.9 HIT; 1.2 REVALIDATED. Origin: 0, 0.6, 1.2, one body. */
    expect(run_class_content("0 0.3 0.6 0.9 1.2", CLASS("public"), ",\"ttl_s\":0.5", ""),
           2, 1, 0, 2, 0, 0, 0, 3, 100);
    /* and a whole number of seconds plus a fraction, 1.5: 1.2 and 1.4 HIT */
    expect(run_class_content("0 1.2 1.4 1.6", CLASS("public"), ",\"ttl_s\":1.5", ""),
           2, 1, 0, 1, 0, 0, 0, 2, 100);
}
END_TEST

START_TEST(no_store_and_private_bypass)
{
    expect(run_class("0 1 2", CLASS("no-store"), ""), 0, 0, 0, 0, 0, 3, 0, 3, 300);
    expect(run_class("0 1 2", CLASS("private, max-age=600"), ""), 0, 0, 0, 0, 0, 3, 0, 3, 300);
}
END_TEST

START_TEST(no_cache_revalidates_every_time)
{
    /* stored, but stale at once: every reuse is a conditional GET -> 304 */
    expect(run_class("0 1 2 3", CLASS("no-cache"), ""), 0, 1, 0, 3, 0, 0, 0, 4, 100);
}
END_TEST

START_TEST(s_maxage_wins_at_the_cdn)
{
    /* max-age=1 is for browsers; the CDN keeps it 100 s */
    expect(run_class("0 50 99", CLASS("max-age=1, s-maxage=100"), ""), 2, 1, 0, 0, 0, 0, 0, 1, 100);
    expect(run_class("0 50 200000", CLASS("public, max-age=86400, immutable"), ""), 1, 1, 0, 1, 0, 0, 0, 2, 100);
}
END_TEST

START_TEST(stale_while_revalidate)
{
    /* max-age=10, swr=30: 0 MISS; 15 STALE at once, background refresh
     * (304) makes it fresh to 25; 20 HIT; 60 is past 25+30: REVALIDATED.
     * Origin: 0, the refresh at 15, and 60. */
    expect(run_class("0 15 20 60", CLASS("max-age=10, stale-while-revalidate=30"), ""),
           1, 1, 0, 1, 1, 0, 0, 3, 100);
}
END_TEST

START_TEST(stale_if_error)
{
    /* The origin serves one request per 1000 s and queues none: the fetch
     * at 20 is refused. max-age=10, stale-if-error=60: at 20 the stale copy
     * may stand in (STALE); at 100 it is 90 s stale, past 60: ERROR. The
     * refused requests reached the origin but carried no body. */
    const char *origin = ",\"origin\":{\"capacity_rps\":0.001,\"max_wait_ms\":0}";
    expect(run_class("0 20 100", CLASS("max-age=10, stale-if-error=60"), origin),
           0, 1, 0, 0, 1, 0, 1, 3, 100);
}
END_TEST

START_TEST(bypass_failure_is_an_error)
{
    /* One object, fresh through the whole run (no max-age and no ttl_s:
     * never expires; or max-age=1000), under stale-if-error, and half the
     * requests dynamic (BYPASS). The origin serves one request a second and
     * queues none, so most dynamic requests are refused. A refused BYPASS
     * request is an ERROR: it bypasses the cache. The first request (t = 0,
     * the origin idle) is the one MISS; every later cacheable request is a
     * HIT. Before, a refused BYPASS request was answered STALE from the
     * cached copy, and with a copy that never expires the stale-if-error
     * test computed SIMTIME_MAX + 60 s (signed overflow, undefined). */
    static const char *const cc[] = { "public, stale-if-error=60", "max-age=1000, stale-if-error=60" };
    for (int i = 0; i < 2; i++) {
        char scen[1024];
        snprintf(scen, sizeof scen,
                 "{\"duration_s\":20,\"workload\":{\"type\":\"zipf\",\"objects\":1,"
                 "\"rate_rps\":100,\"dynamic_share\":0.5},"
                 "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                 "\"origin\":{\"capacity_rps\":1,\"max_wait_ms\":0},"
                 "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"%s\"}]}}", cc[i]);
        cJSON *r = test_result(scen);
        double req = test_num(r, "requests", NULL), hit = test_num(r, "status", "HIT");
        double bypass = test_num(r, "status", "BYPASS"), error = test_num(r, "status", "ERROR");
        ck_assert_int_eq((int)test_num(r, "status", "MISS"), 1);
        ck_assert_int_eq((int)test_num(r, "status", "STALE"), 0);
        ck_assert_int_eq((int)(hit + 1 + bypass + error), (int)req);
        /* at most one served a second over 20 s, the MISS among them */
        ck_assert(bypass >= 1 && bypass + 1 <= 21);
        ck_assert(error > 500);
        ck_assert_int_eq((int)test_num(r, "origin", "errors"), (int)error);
        ck_assert_int_eq((int)test_num(r, "origin", "requests"), (int)(1 + bypass + error));
        cJSON_Delete(r);
    }
}
END_TEST

START_TEST(cache_keys_multiply_entries)
{
    char times[4096] = "";
    for (int i = 0; i < 300; i++) {
        char t[16];
        snprintf(t, sizeof t, "%d ", i);
        strcat(times, t);
    }
    /* Vary on a header with 5 values: 5 entries, 5 misses */
    cJSON *r = run_class(times, "{\"share\":1,\"cache_control\":\"max-age=1000\","
                                "\"cache_key\":{\"vary_variants\":5}}", "");
    ck_assert_int_eq((int)test_num(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "pops"), 0), "cached_objects", NULL), 5);
    ck_assert_int_eq((int)test_num(r, "status", "MISS"), 5);
    cJSON_Delete(r);
    /* the query string ignored: one entry however many query strings */
    r = run_class(times, "{\"share\":1,\"cache_control\":\"max-age=1000\","
                         "\"cache_key\":{\"query\":\"ignore\",\"query_variants\":50}}", "");
    ck_assert_int_eq((int)test_num(r, "status", "MISS"), 1);
    cJSON_Delete(r);
    /* a per-user cookie in the key: the hit ratio collapses */
    r = run_class(times, "{\"share\":1,\"cache_control\":\"max-age=1000\","
                         "\"cache_key\":{\"cookies\":\"include\",\"cookie_cardinality\":100000}}", "");
    ck_assert_double_lt(test_num(r, "hit_ratio", NULL), 0.01);
    cJSON_Delete(r);
}
END_TEST

START_TEST(malformed_header_is_bad_input)
{
    test_put("t.csv", "time,key,size\n0,A,1\n");
    char err[1024];
    cJSON *r;
    ck_assert_int_eq(test_run("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                              "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=soon\"}]}}",
                              NULL, 0, &r, err, sizeof err), -2);
    ck_assert_ptr_nonnull(strstr(err, "$.content.classes[0].cache_control"));
    ck_assert_ptr_nonnull(strstr(err, "s.json"));
}
END_TEST

int main(void)
{
    Suite *su = suite_create("freshness");
    TCase *tc = tcase_create("directives");
    tcase_add_checked_fixture(tc, test_dir_make, test_dir_remove);
    tcase_add_test(tc, max_age_with_validator_revalidates);
    tcase_add_test(tc, changed_object_is_refetched);
    tcase_add_test(tc, versions_past_24_bits_still_revalidate);
    tcase_add_test(tc, without_validators_expiry_refetches);
    tcase_add_test(tc, fractional_ttl_without_max_age);
    tcase_add_test(tc, response_delay_counts_as_age);
    tcase_add_test(tc, no_store_and_private_bypass);
    tcase_add_test(tc, no_cache_revalidates_every_time);
    tcase_add_test(tc, s_maxage_wins_at_the_cdn);
    tcase_add_test(tc, stale_while_revalidate);
    tcase_add_test(tc, stale_if_error);
    tcase_add_test(tc, bypass_failure_is_an_error);
    tcase_add_test(tc, cache_keys_multiply_entries);
    tcase_add_test(tc, malformed_header_is_bad_input);
    suite_add_tcase(su, tc);
    return test_main(su);
}
