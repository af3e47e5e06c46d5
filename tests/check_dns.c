/* check_dns — routing.mode = "dns": mapping by the resolver's place, ECS,
 * the answer's TTL after a withdrawal, the lookup on new connections; all
 * worked by hand.
 *
 * Geometry on the equator (one degree = 1.090148 ms of fiber one way, route
 * factor 2): the client metro MA at lon 0 (one group); PoPs AAA lon 1, BBB
 * lon 10, CCC lon 20; the public resolver's only site RRR at lon 19; the
 * origin at lon 63. The ISP's resolver sits with the client, so its answer
 * is AAA (1 degree away: nearest). The public resolver is nearest CCC, so
 * without ECS its clients get CCC, 20 degrees away: an extra round trip of
 * 2 x 19 x 1.090148 = 41.4256 ms; with ECS the mapping sees the client and
 * answers AAA. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

static const double U = 1.090148; /* ms one way per degree */

static void setup(void)
{
    test_dir_make();
    test_put("pops.csv", "iata,city,country,continent,lat,lon\n"
                         "AAA,Alpha,XX,EU,0,1\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n");
    test_put("resolvers.csv", "iata,city,country,continent,lat,lon\nRRR,Resolver,XX,EU,0,19\n");
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("graph.txt", "100|1003|-1\n");
    test_put("geo.json", "{\"metros\": [\"MA\"], \"ases\": ["
                         "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0}]}\n");
    test_put("t.csv", "time,key,size\n0,A,100\n");
}

static void teardown(void) { test_dir_remove(); }

#define WORLD(dns, extra)                                                                    \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"              \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","               \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\",\"groups_per_metro\":1},"     \
    "\"routing\":{\"mode\":\"dns\"},\"origin\":{\"lat\":0,\"lon\":63},"                       \
    "\"dns\":{\"resolvers_file\":\"resolvers.csv\"" dns "}" extra "}"

static const cJSON *summary(const cJSON *r)
{
    const cJSON *c = cJSON_GetObjectItem(r, "catchments");
    ck_assert_str_eq(cJSON_GetObjectItem(c, "mode")->valuestring, "dns");
    return cJSON_GetObjectItem(c, "summary");
}

static double pop_requests(const cJSON *r, const char *id)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "pops"))
        if (!strcmp(cJSON_GetObjectItem(p, "id")->valuestring, id)) return test_num(p, "requests", NULL);
    ck_abort_msg("no PoP %s", id);
    return 0;
}

START_TEST(mapped_by_the_resolver)
{
    cJSON *r = test_result(WORLD(",\"public_resolver_share\":0", ""));
    ck_assert_double_eq(test_num(summary(r), "not_nearest_share", NULL), 0);
    ck_assert_double_eq(pop_requests(r, "AAA"), 1);
    cJSON_Delete(r);

    r = test_result(WORLD(",\"public_resolver_share\":1", ""));
    ck_assert_double_eq(test_num(summary(r), "not_nearest_share", NULL), 1);
    ck_assert_double_eq_tol(test_num(cJSON_GetObjectItem(summary(r), "extra_rtt_ms"), "mean", NULL),
                            2 * 19 * U, 0.001);
    ck_assert_double_eq_tol(test_num(summary(r), "mapped_rtt_ms_mean", NULL), 2 * 20 * U, 0.001);
    ck_assert_double_eq(pop_requests(r, "CCC"), 1);
    cJSON_Delete(r);

    /* ECS: the public resolver passes the client's subnet */
    r = test_result(WORLD(",\"public_resolver_share\":1,\"ecs\":true", ""));
    ck_assert_double_eq(test_num(summary(r), "not_nearest_share", NULL), 0);
    ck_assert_double_eq(pop_requests(r, "AAA"), 1);
    cJSON_Delete(r);

    /* a quarter of the clients on the public resolver: a quarter away from
     * the nearest PoP, a quarter of the extra RTT on average */
    r = test_result(WORLD(",\"public_resolver_share\":0.25", ""));
    ck_assert_double_eq_tol(test_num(summary(r), "not_nearest_share", NULL), 0.25, 1e-9);
    ck_assert_double_eq_tol(test_num(cJSON_GetObjectItem(summary(r), "extra_rtt_ms"), "mean", NULL),
                            0.25 * 2 * 19 * U, 0.001);
    ck_assert_double_eq_tol(test_num(cJSON_GetObjectItem(summary(r), "extra_rtt_ms"), "max", NULL),
                            2 * 19 * U, 0.001);
    cJSON_Delete(r);
}
END_TEST

START_TEST(lookup_on_new_connections)
{
    /* a cold TLS 1.3 miss: TCP + TLS + the request to AAA (3 x 2 x 1u), AAA
     * to the origin and back (2 x 62u), and the lookup before it all */
    double miss = 3 * 2 * U + 2 * 62 * U;
    cJSON *r = test_result(WORLD(",\"lookup_ms\":20", ",\"connections\":{\"keepalive_share\":0}"));
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), miss + 20, 0.01);
    cJSON_Delete(r);
    r = test_result(WORLD("", ",\"connections\":{\"keepalive_share\":0}"));
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), miss, 0.01);
    cJSON_Delete(r);
    /* kept-alive connections look nothing up */
    r = test_result(WORLD(",\"lookup_ms\":20", ""));
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), 2 * U + 2 * 62 * U, 0.01);
    cJSON_Delete(r);
}
END_TEST

START_TEST(ttl_after_a_withdrawal)
{
    /* One request a second, t = 0..20. The resolver asks at 0 (AAA, cached
     * until 10). AAA is withdrawn at 5.5: the requests of 6, 7, 8 and 9 still
     * go to AAA and fail; at 10 the answer is asked again (BBB, until 20). */
    char t[512] = "time,key,size\n";
    for (int i = 0; i <= 20; i++) snprintf(t + strlen(t), sizeof t - strlen(t), "%d,A,100\n", i);
    test_put("t.csv", t);
    cJSON *r = test_result(WORLD(",\"ttl_s\":10", ",\"operations\":[{\"at_s\":5.5,\"withdraw\":\"AAA\"}]"));
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 4);
    ck_assert_double_eq(pop_requests(r, "AAA"), 6);
    ck_assert_double_eq(pop_requests(r, "BBB"), 11);
    cJSON_Delete(r);

    /* AAA back at 12.5: the group stays on BBB until its answer expires at 20 */
    r = test_result(WORLD(",\"ttl_s\":10", ",\"operations\":[{\"at_s\":5.5,\"withdraw\":\"AAA\"},"
                                           "{\"at_s\":12.5,\"announce\":\"AAA\"}]"));
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 4);
    ck_assert_double_eq(pop_requests(r, "AAA"), 7);
    ck_assert_double_eq(pop_requests(r, "BBB"), 10);
    cJSON_Delete(r);

    /* a TTL of 0: every request asks, so the move is immediate */
    r = test_result(WORLD(",\"ttl_s\":0", ",\"operations\":[{\"at_s\":5.5,\"withdraw\":\"AAA\"}]"));
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 0);
    ck_assert_double_eq(pop_requests(r, "BBB"), 15);
    cJSON_Delete(r);
}
END_TEST

static void refused(const char *scenario, const char *want)
{
    char err[1024] = "";
    const char *path = test_put("s.json", scenario);
    scenario_t *sc = scenario_load(path, NULL, 0, false, 0, err, sizeof err);
    if (sc) {
        sim_t *sim = sim_create();
        cdn_t *cdn = NULL;
        ck_assert_int_eq(cdn_create(sc, sim, &cdn, err, sizeof err), -2);
        sim_destroy(sim);
        scenario_free(sc);
    }
    ck_assert_msg(strstr(err, want) != NULL, "want '%s' in '%s'", want, err);
}

START_TEST(bad_dns)
{
    refused("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
            "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","
            "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"
            "\"routing\":{\"mode\":\"geo\"},\"dns\":{\"ttl_s\":30}}",
            "s.json: $.dns.ttl_s: applies only with routing.mode = \"dns\"");
    refused(WORLD(",\"public_resolver_share\":1.5", ""), "s.json: $.dns.public_resolver_share");
    refused(WORLD(",\"ttl\":5", ""), "s.json: $.dns.ttl");
    refused(WORLD(",\"resolvers_file\":\"none.csv\"", ""), "s.json: $.dns.resolvers_file");
    refused("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
            "\"routing\":{\"mode\":\"dns\"}}", "s.json: $.routing.mode: DNS mapping needs a topology");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dns");
    TCase *tc = tcase_create("dns");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mapped_by_the_resolver);
    tcase_add_test(tc, lookup_on_new_connections);
    tcase_add_test(tc, ttl_after_a_withdrawal);
    tcase_add_test(tc, bad_dns);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_main(suite()); }
