/* check_http_cc — the Cache-Control parser: every directive, the list syntax
 * (case, whitespace, commas, quotes), unknown directives, malformed numbers,
 * and the shared-cache TTL and storability rules. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "models/http/http_cc.h"
#include "tests/testutil.h"

static http_cc_t parse_ok(const char *h)
{
    http_cc_t cc;
    char err[256];
    int rc = http_cc_parse(h, &cc, err, sizeof err);
    ck_assert_msg(rc == 0, "'%s' should parse, got: %s", h, err);
    return cc;
}

START_TEST(empty_and_null)
{
    http_cc_t cc = parse_ok("");
    ck_assert_int_eq(cc.max_age, HTTP_CC_ABSENT);
    ck_assert_int_eq(cc.s_maxage, HTTP_CC_ABSENT);
    ck_assert(!cc.no_store && !cc.no_cache && !cc.private_ && !cc.public_ && !cc.immutable);
    ck_assert(http_cc_storable(&cc));
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 60), 60);  /* no directive: the default */
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, HTTP_CC_ABSENT), HTTP_CC_ABSENT);
    cc = parse_ok(NULL);
    ck_assert_int_eq(cc.max_age, HTTP_CC_ABSENT);
    cc = parse_ok(" , ,, ");  /* empty list elements are allowed */
    ck_assert_int_eq(cc.max_age, HTTP_CC_ABSENT);
}
END_TEST

START_TEST(issue_examples)
{
    http_cc_t cc = parse_ok("public, max-age=86400, immutable");
    ck_assert(cc.public_ && cc.immutable);
    ck_assert_int_eq(cc.max_age, 86400);
    ck_assert(http_cc_storable(&cc));
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 60), 86400);

    cc = parse_ok("max-age=60, stale-while-revalidate=30");
    ck_assert_int_eq(cc.max_age, 60);
    ck_assert_int_eq(cc.stale_while_revalidate, 30);
    ck_assert(http_cc_may_serve_stale(&cc, 30, false));
    ck_assert(!http_cc_may_serve_stale(&cc, 31, false));

    cc = parse_ok("private, no-store");
    ck_assert(cc.private_ && cc.no_store);
    ck_assert(!http_cc_storable(&cc));
}
END_TEST

START_TEST(case_and_whitespace)
{
    http_cc_t cc = parse_ok("  MAX-AGE=10 ,\tS-MaxAge=20,No-Cache ,PUBLIC,Must-Revalidate  ");
    ck_assert_int_eq(cc.max_age, 10);
    ck_assert_int_eq(cc.s_maxage, 20);
    ck_assert(cc.no_cache && cc.public_ && cc.must_revalidate);
    cc = parse_ok("max-age = 15");  /* whitespace around '=' is tolerated */
    ck_assert_int_eq(cc.max_age, 15);
}
END_TEST

START_TEST(s_maxage_wins_at_shared_cache)
{
    http_cc_t cc = parse_ok("max-age=10, s-maxage=300");
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 5), 300);
    cc = parse_ok("s-maxage=0, max-age=3600");  /* order does not matter */
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 5), 0);
}
END_TEST

START_TEST(no_cache_means_revalidate)
{
    http_cc_t cc = parse_ok("no-cache, max-age=3600");
    ck_assert(http_cc_storable(&cc));             /* stored ... */
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 60), 0); /* ... but never fresh */
    ck_assert(!http_cc_may_serve_stale(&cc, 0, true));
}
END_TEST

START_TEST(quoted_values)
{
    http_cc_t cc = parse_ok("max-age=\"120\", stale-if-error=\"600\"");
    ck_assert_int_eq(cc.max_age, 120);
    ck_assert_int_eq(cc.stale_if_error, 600);
    /* qualified private / no-cache restrict header fields only */
    cc = parse_ok("private=\"Set-Cookie, X-User\", no-cache=\"Set-Cookie\", max-age=60");
    ck_assert(!cc.private_ && cc.private_fields);
    ck_assert(!cc.no_cache && cc.no_cache_fields);
    ck_assert(http_cc_storable(&cc));
    ck_assert_int_eq(http_cc_cdn_ttl(&cc, 1), 60);
    /* a comma inside quotes does not split the list; escapes are honoured */
    cc = parse_ok("foo=\"a,b\\\"c\", max-age=7");
    ck_assert_int_eq(cc.max_age, 7);
}
END_TEST

START_TEST(unknown_directives_ignored)
{
    http_cc_t cc = parse_ok("community=\"UCI\", x-ext, max-age=5, ext=tok");
    ck_assert_int_eq(cc.max_age, 5);
    cc = parse_ok("max-agee=99, smaxage=1");
    ck_assert_int_eq(cc.max_age, HTTP_CC_ABSENT);
    ck_assert_int_eq(cc.s_maxage, HTTP_CC_ABSENT);
}
END_TEST

START_TEST(first_value_wins)
{
    http_cc_t cc = parse_ok("max-age=5, max-age=500");
    ck_assert_int_eq(cc.max_age, 5);
}
END_TEST

START_TEST(big_numbers_saturate)
{
    http_cc_t cc = parse_ok("max-age=99999999999999999999999");
    ck_assert_int_eq(cc.max_age, HTTP_CC_DELTA_MAX);
    cc = parse_ok("max-age=0");
    ck_assert_int_eq(cc.max_age, 0);
}
END_TEST

START_TEST(malformed_numbers_reported)
{
    static const char *const bad[] = {
        "max-age=abc", "max-age=-1", "max-age=", "max-age", "s-maxage=1.5",
        "stale-while-revalidate=x", "stale-if-error=", "max-age=\"12a\"", NULL,
    };
    for (int i = 0; bad[i]; i++) {
        http_cc_t cc;
        char err[256] = "";
        ck_assert_msg(http_cc_parse(bad[i], &cc, err, sizeof err) == -1, "'%s' accepted", bad[i]);
        ck_assert_msg(strstr(err, "expected a number") != NULL, "'%s': message '%s'", bad[i], err);
    }
    /* the conservative reading: an invalid max-age is stale, the rest kept */
    http_cc_t cc;
    char err[256];
    ck_assert_int_eq(http_cc_parse("public, max-age=soon, stale-if-error=60", &cc, err, sizeof err), -1);
    ck_assert_int_eq(cc.max_age, 0);
    ck_assert(cc.public_);
    ck_assert_int_eq(cc.stale_if_error, 60);
    ck_assert(strstr(err, "max-age") != NULL);
    ck_assert_int_eq(http_cc_parse("stale-while-revalidate=bad", &cc, err, sizeof err), -1);
    ck_assert_int_eq(cc.stale_while_revalidate, HTTP_CC_ABSENT);
}
END_TEST

START_TEST(malformed_syntax_reported)
{
    http_cc_t cc;
    char err[256];
    ck_assert_int_eq(http_cc_parse("max-age=\"60", &cc, err, sizeof err), -1);
    ck_assert(strstr(err, "unterminated") != NULL);
    ck_assert_int_eq(http_cc_parse("max-age=60 junk, public", &cc, err, sizeof err), -1);
    ck_assert(strstr(err, "unexpected text") != NULL);
    ck_assert(cc.public_);   /* parsing went on after the bad element */
    ck_assert_int_eq(http_cc_parse("=5, no-store", &cc, err, sizeof err), -1);
    ck_assert(cc.no_store);
    /* a NULL error buffer is fine */
    ck_assert_int_eq(http_cc_parse("max-age=x", &cc, NULL, 0), -1);
}
END_TEST

START_TEST(stale_rules)
{
    http_cc_t cc = parse_ok("max-age=60, stale-while-revalidate=30, stale-if-error=600");
    ck_assert(http_cc_may_serve_stale(&cc, 10, false));
    ck_assert(!http_cc_may_serve_stale(&cc, 100, false));  /* past swr, origin fine */
    ck_assert(http_cc_may_serve_stale(&cc, 100, true));    /* origin failing: sie */
    ck_assert(!http_cc_may_serve_stale(&cc, 601, true));
    cc = parse_ok("max-age=60, stale-if-error=600, must-revalidate");
    ck_assert(!http_cc_may_serve_stale(&cc, 1, true));
    cc = parse_ok("max-age=60, proxy-revalidate, stale-while-revalidate=30");
    ck_assert(!http_cc_may_serve_stale(&cc, 1, false));
    cc = parse_ok("max-age=60");
    ck_assert(!http_cc_may_serve_stale(&cc, 1, true));
}
END_TEST

START_TEST(storability)
{
    ck_assert(!http_cc_storable(&(http_cc_t){ .no_store = true }));
    http_cc_t cc = parse_ok("private");
    ck_assert(!http_cc_storable(&cc));
    cc = parse_ok("public, no-store");
    ck_assert(!http_cc_storable(&cc));
    cc = parse_ok("public");
    ck_assert(http_cc_storable(&cc));
}
END_TEST

START_TEST(freshness_lifetime_order)
{
    /* RFC 9111 4.2.1: s-maxage, then max-age, then Expires - Date; 4.2.2:
     * a heuristic only with no explicit expiration; no-cache: 0. */
    http_dates_t d = { .has_expires = true, .expires_after_date_s = 30, .has_last_modified = true,
                       .last_modified_age_s = 1000, .heuristic_fraction = 0.1 };
    http_cc_t cc = parse_ok("max-age=5, s-maxage=7");
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 7);
    cc = parse_ok("max-age=5");
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 5);
    cc = parse_ok("public");
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 30);
    d.expires_after_date_s = -3;                 /* Expires before Date: expired */
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 0);
    d.has_expires = false;
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 100);
    d.has_last_modified = false;
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), -1);   /* none: the default */
    ck_assert_double_eq(http_freshness_lifetime(&cc, NULL), -1);
    cc = parse_ok("no-cache, max-age=60");
    ck_assert_double_eq(http_freshness_lifetime(&cc, &d), 0);
    /* 5.2.2.10: s-maxage implies proxy-revalidate only when asked to */
    cc = parse_ok("s-maxage=10, stale-while-revalidate=30, stale-if-error=60");
    ck_assert(http_cc_shared_may_serve_stale(&cc, 20, false, false));
    ck_assert(!http_cc_shared_may_serve_stale(&cc, 20, false, true));
    ck_assert(http_cc_shared_may_serve_stale(&cc, 50, true, false));
    ck_assert(!http_cc_shared_may_serve_stale(&cc, 50, true, true));
    cc = parse_ok("max-age=10, stale-while-revalidate=30");
    ck_assert(http_cc_shared_may_serve_stale(&cc, 20, false, true));
    /* proxy-revalidate and must-revalidate forbid stale either way */
    cc = parse_ok("max-age=10, proxy-revalidate, stale-while-revalidate=30");
    ck_assert(!http_cc_shared_may_serve_stale(&cc, 20, false, false));
}
END_TEST

START_TEST(age_calculation)
{
    /* RFC 9111 4.2.3 by hand: request sent at 100, response at 103 with
     * Date 101 and Age 5. apparent_age = 103 - 101 = 2; response_delay =
     * 3; corrected_age_value = 5 + 3 = 8; corrected_initial_age = 8. With
     * max-age=60 it is fresh until 103 + 60 - 8 = 155. */
    ck_assert_int_eq(http_initial_age(5, 101, 100, 103), 8);
    ck_assert_int_eq(http_fresh_until(60, 8, 103), 155);
    /* a Date far behind (a skewed origin clock): apparent_age 13 wins */
    ck_assert_int_eq(http_initial_age(5, 90, 100, 103), 13);
    /* a Date after the response (clock ahead): apparent_age 0, not negative */
    ck_assert_int_eq(http_initial_age(0, 200, 100, 103), 3);
    /* no Date known: the response delay alone; no Age: first-hand */
    ck_assert_int_eq(http_initial_age(0, HTTP_NO_DATE, 100, 103), 3);
    /* an origin queue of D: the copy is D old on arrival, fresh D less */
    ck_assert_int_eq(http_fresh_until(10, http_initial_age(0, 2, 0, 2), 2), 10);
    ck_assert_int_eq(http_fresh_until(INT64_MAX, 1000, 5), INT64_MAX);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("http_cc");
    TCase *t = tcase_create("parse");
    tcase_add_test(t, empty_and_null);
    tcase_add_test(t, issue_examples);
    tcase_add_test(t, case_and_whitespace);
    tcase_add_test(t, s_maxage_wins_at_shared_cache);
    tcase_add_test(t, no_cache_means_revalidate);
    tcase_add_test(t, quoted_values);
    tcase_add_test(t, unknown_directives_ignored);
    tcase_add_test(t, first_value_wins);
    tcase_add_test(t, big_numbers_saturate);
    tcase_add_test(t, malformed_numbers_reported);
    tcase_add_test(t, malformed_syntax_reported);
    tcase_add_test(t, stale_rules);
    tcase_add_test(t, storability);
    tcase_add_test(t, freshness_lifetime_order);
    tcase_add_test(t, age_calculation);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return test_main(suite());
}
