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

/* A class given as JSON, on the trace `trace` (a csv body after the header);
 * content_extra after the classes, extra at the top level. */
static cJSON *run_trace(const char *trace, const char *cls, const char *content_extra, const char *extra)
{
    char t[4096];
    snprintf(t, sizeof t, "time,key,size\n%s", trace);
    test_put("t.csv", t);
    char scen[2048];
    snprintf(scen, sizeof scen,
             "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
             "\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
             "\"content\":{\"classes\":[%s]%s}%s}", cls, content_extra, extra);
    return test_result(scen);
}

START_TEST(expires_gives_the_lifetime)
{
    /* RFC 9111 4.2.1: without s-maxage or max-age the lifetime is Expires
     * - Date. expires_s=30: 0 MISS; 20 HIT; 31 stale: 304, REVALIDATED. */
    expect(run_class("0 20 31", "{\"share\":1,\"cache_control\":\"public\",\"expires_s\":30}", ""),
           1, 1, 0, 1, 0, 0, 0, 2, 100);
    /* max-age wins over Expires: fresh 10 s only, 20 is stale */
    expect(run_class("0 20", "{\"share\":1,\"cache_control\":\"max-age=10\",\"expires_s\":30}", ""),
           0, 1, 0, 1, 0, 0, 0, 2, 100);
    /* Expires not after Date (or invalid, "0"): already expired; 1 revalidates */
    expect(run_class("0 1", "{\"share\":1,\"cache_control\":\"public\",\"expires_s\":-5}", ""),
           0, 1, 0, 1, 0, 0, 0, 2, 100);
    /* and it wins over content.ttl_s, the scenario's default */
    expect(run_class_content("0 20 31", "{\"share\":1,\"cache_control\":\"public\",\"expires_s\":30}",
                             ",\"ttl_s\":1000", ""), 1, 1, 0, 1, 0, 0, 0, 2, 100);
}
END_TEST

START_TEST(heuristic_freshness_from_last_modified)
{
    /* RFC 9111 4.2.2: no explicit expiration, Last-Modified 1000 s before
     * Date: 10% of it, 100 s. 0 MISS; 99 HIT; 101 REVALIDATED. */
    const char *cls = "{\"share\":1,\"cache_control\":\"public\",\"last_modified_age_s\":1000}";
    expect(run_class("0 99 101", cls, ""), 1, 1, 0, 1, 0, 0, 0, 2, 100);
    /* content.heuristic_fraction 0.5: 500 s; 101 and 499 HIT, 501 REVALIDATED */
    expect(run_class_content("0 101 499 501", cls, ",\"heuristic_fraction\":0.5", ""),
           2, 1, 0, 1, 0, 0, 0, 2, 100);
    /* the heuristic applies instead of content.ttl_s (5 s): 50 is a HIT */
    expect(run_class_content("0 50", cls, ",\"ttl_s\":5", ""), 1, 1, 0, 0, 0, 0, 0, 1, 100);
    /* "MUST NOT use heuristics when an explicit expiration time is present":
     * Expires 10 s after Date beats the 100 s heuristic: 20 REVALIDATED */
    expect(run_class("0 20", "{\"share\":1,\"cache_control\":\"public\",\"last_modified_age_s\":1000,"
                             "\"expires_s\":10}", ""), 0, 1, 0, 1, 0, 0, 0, 2, 100);
    /* nor beside max-age */
    expect(run_class("0 20", "{\"share\":1,\"cache_control\":\"max-age=10\",\"last_modified_age_s\":1000}", ""),
           0, 1, 0, 1, 0, 0, 0, 2, 100);
}
END_TEST

START_TEST(request_no_cache_forces_revalidation)
{
    /* RFC 9111 5.2.1.4: a request's no-cache forbids using a stored response
     * without validating it. Every client sends it: max-age=100, 0 MISS; 1
     * and 2 find a fresh copy but revalidate it: 304s, REVALIDATED. */
    test_put("t.csv", "time,key,size\n0,A,100\n1,A,100\n2,A,100\n");
    cJSON *r = test_result("{\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                           "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=100\"}]}"
                           ",\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\","
                           "\"request_no_cache_share\":1}}");
    expect(r, 0, 1, 0, 2, 0, 0, 0, 3, 100);
    /* without a validator the copy cannot be revalidated: full bodies */
    r = test_result("{\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                    "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=100\",\"validators\":false}]}"
                    ",\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\","
                    "\"request_no_cache_share\":1}}");
    expect(r, 0, 1, 2, 0, 0, 0, 0, 3, 300);
    /* nor may a stale copy be served while revalidating: with
     * stale-while-revalidate=30, 15 is a REVALIDATED, not a STALE */
    test_put("t.csv", "time,key,size\n0,A,100\n15,A,100\n");
    r = test_result("{\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                    "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=10, stale-while-revalidate=30\"}]}"
                    ",\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\","
                    "\"request_no_cache_share\":1}}");
    expect(r, 0, 1, 0, 1, 0, 0, 0, 2, 100);
    /* half the clients: over 2,000 requests for one fresh object about
     * half revalidate (binomial: 1000 +- 5 standard deviations of 22) */
    char *t = malloc(40000);
    strcpy(t, "time,key,size\n");
    for (int i = 0; i < 2000; i++) snprintf(t + strlen(t), 40000 - strlen(t), "%d,A,100\n", i);
    test_put("t.csv", t);
    free(t);
    r = test_result("{\"network\":{\"client_rtt_ms\":0,\"origin_rtt_ms\":0},"
                    "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"public\"}]}"
                    ",\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\","
                    "\"request_no_cache_share\":0.5}}");
    ck_assert_double_eq_tol(test_num(r, "status", "REVALIDATED"), 1000, 110);
    ck_assert_double_eq(test_num(r, "status", "REVALIDATED") + test_num(r, "status", "HIT") + 1, 2000);
    cJSON_Delete(r);
}
END_TEST

START_TEST(errors_are_cached_for_error_ttl)
{
    /* The origin serves one request per 1000 s and queues none. B@0 takes
     * it. A@1 is refused (503): ERROR, and with error_ttl_s=5 the error is
     * kept until 6 (aged from its request at 1). A@3: the cached error
     * answers, no origin request. A@7: expired, fetched again, refused:
     * ERROR. Origin: B, A@1, A@7. Without error_ttl_s A@3 reached it too. */
    const char *origin = ",\"origin\":{\"capacity_rps\":0.001,\"max_wait_ms\":0}";
    expect(run_trace("0,B,100\n1,A,100\n3,A,100\n7,A,100\n",
                     "{\"share\":1,\"cache_control\":\"max-age=100\",\"error_ttl_s\":5}", "", origin),
           0, 1, 0, 0, 0, 0, 3, 3, 100);
    expect(run_trace("0,B,100\n1,A,100\n3,A,100\n7,A,100\n",
                     "{\"share\":1,\"cache_control\":\"max-age=100\"}", "", origin),
           0, 1, 0, 0, 0, 0, 3, 4, 100);
}
END_TEST

START_TEST(s_maxage_revalidate_switch)
{
    /* s-maxage=10, stale-while-revalidate=30: at 15 the copy is 5 s stale.
     * CDN practice (the default): served STALE while a background 304
     * refreshes it. content.s_maxage_revalidate: RFC 9111 5.2.2.10 read to
     * the letter, s-maxage implies proxy-revalidate: no stale copy, a
     * blocking revalidation (REVALIDATED). */
    const char *cls = CLASS("s-maxage=10, stale-while-revalidate=30");
    expect(run_class("0 15", cls, ""), 0, 1, 0, 0, 1, 0, 0, 2, 100);
    expect(run_class_content("0 15", cls, ",\"s_maxage_revalidate\":true", ""), 0, 1, 0, 1, 0, 0, 0, 2, 100);
    /* max-age alone is not touched by the switch */
    expect(run_class_content("0 15", CLASS("max-age=10, stale-while-revalidate=30"),
                             ",\"s_maxage_revalidate\":true", ""), 0, 1, 0, 0, 1, 0, 0, 2, 100);
    /* and stale-if-error: the origin refuses at 20 (see stale_if_error) */
    const char *origin = ",\"origin\":{\"capacity_rps\":0.001,\"max_wait_ms\":0}";
    expect(run_class("0 20", CLASS("s-maxage=10, stale-if-error=60"), origin), 0, 1, 0, 0, 1, 0, 0, 2, 100);
    expect(run_class_content("0 20", CLASS("s-maxage=10, stale-if-error=60"), ",\"s_maxage_revalidate\":true",
                             origin), 0, 1, 0, 0, 0, 0, 1, 2, 100);
}
END_TEST

/* Scenario text that must be refused, with the file and path named. */
static void refused(const char *scenario, const char *path)
{
    char err[1024] = "";
    const char *file = test_put("s.json", scenario);
    scenario_t *sc = scenario_load(file, NULL, 0, false, 0, err, sizeof err);
    ck_assert_msg(sc == NULL, "accepted: %s", scenario);
    ck_assert_msg(strstr(err, path) && strstr(err, "s.json"), "%s", err);
}

START_TEST(must_and_proxy_revalidate_forbid_stale)
{
    /* RFC 9111 5.2.2.2 (must-revalidate) and 5.2.2.8 (proxy-revalidate, the
     * same for a shared cache): once stale, a copy is not used without
     * successful validation, so stale-while-revalidate is void: 15 is a
     * blocking revalidation (REVALIDATED), not a STALE. And when the
     * validation fails (the origin refuses at 20), stale-if-error is void
     * too: ERROR (the RFC's 504). */
    static const char *const cls[] = { CLASS("max-age=10, must-revalidate, stale-while-revalidate=30"),
                                       CLASS("max-age=10, proxy-revalidate, stale-while-revalidate=30") };
    static const char *const sie[] = { CLASS("max-age=10, must-revalidate, stale-if-error=60"),
                                       CLASS("max-age=10, proxy-revalidate, stale-if-error=60") };
    const char *origin = ",\"origin\":{\"capacity_rps\":0.001,\"max_wait_ms\":0}";
    for (int i = 0; i < 2; i++) {
        expect(run_class("0 15", cls[i], ""), 0, 1, 0, 1, 0, 0, 0, 2, 100);
        expect(run_class("0 20", sie[i], origin), 0, 1, 0, 0, 0, 0, 1, 2, 100);
    }
}
END_TEST

START_TEST(new_keys_are_checked)
{
    test_put("t.csv", "time,key,size\n0,A,1\n");
    static const struct { const char *content, *workload, *path; } bad[] = {
        { ",\"heuristic_fraction\":2", "", "$.content.heuristic_fraction" },
        { ",\"s_maxage_revalidate\":\"yes\"", "", "$.content.s_maxage_revalidate" },
        { "", ",\"request_no_cache_share\":1.5", "$.workload.request_no_cache_share" },
    };
    char scen[1024];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(scen, sizeof scen,
                 "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"%s},"
                 "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"public\"}]%s}}",
                 bad[i].workload, bad[i].content);
        refused(scen, bad[i].path);
    }
    static const char *const cls[][2] = {
        { "\"expires_s\":\"soon\"", "$.content.classes[0].expires_s" },
        { "\"last_modified_age_s\":-1", "$.content.classes[0].last_modified_age_s" },
        { "\"error_ttl_s\":-1", "$.content.classes[0].error_ttl_s" },
    };
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
        snprintf(scen, sizeof scen,
                 "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
                 "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"public\",%s}]}}", cls[i][0]);
        refused(scen, cls[i][1]);
    }
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
    tcase_add_test(tc, expires_gives_the_lifetime);
    tcase_add_test(tc, heuristic_freshness_from_last_modified);
    tcase_add_test(tc, request_no_cache_forces_revalidation);
    tcase_add_test(tc, errors_are_cached_for_error_ttl);
    tcase_add_test(tc, s_maxage_revalidate_switch);
    tcase_add_test(tc, new_keys_are_checked);
    tcase_add_test(tc, must_and_proxy_revalidate_forbid_stale);
    suite_add_tcase(su, tc);
    return test_main(su);
}
