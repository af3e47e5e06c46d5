/* check_tiers — shield.tiers: an N-level shield hierarchy worked by hand.
 *
 * Geometry on the equator (one degree = 111.195 km of great circle, x 2.0
 * route factor / 204,000 km/s = 1.090148 ms one way): the client metro MA at
 * lon 0 (one group, AS1003); PoPs AAA lon 1 (edge), BBB lon 10 and DDD lon
 * 30 (level 1), CCC lon 20 (level 2); the origin at lon 63. Geo routing
 * sends MA to AAA; AAA fills from its nearest level-1 PoP, BBB (DDD is
 * farther), BBB from CCC, CCC from the origin. A miss's path is 1+9+10+43 =
 * 63 degrees each way: a round trip of 2 x 63 x 1.090148 = 137.359 ms.
 *
 * Caches (LRU): AAA the top-level 1 object; level 1 its own 2; level 2 its
 * own 3. The trace, one request a second, size 100:
 *   t0 A  AAA miss, BBB miss, CCC miss, origin       AAA{A} BBB{A} CCC{A}
 *   t1 B  AAA miss, BBB miss, CCC miss, origin       AAA{B} BBB{A,B} CCC{A,B}
 *   t2 A  AAA miss, BBB HIT                          AAA{A} BBB{B,A}
 *   t3 C  AAA miss, BBB miss (evicts B), CCC miss, origin   BBB{A,C} CCC{A,B,C}
 *   t4 B  AAA miss, BBB miss (evicts A), CCC HIT            BBB{C,B}
 *   t5 A  AAA miss, BBB miss (evicts C), CCC HIT
 *   t6 A  AAA HIT
 * edge 7 requests 1 hit; level 1: 6 requests 1 hit, 600 bytes sent down;
 * level 2: 5 requests 2 hits, 500 bytes; origin 3 requests, 300 bytes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

static void setup(void)
{
    test_dir_make();
    test_put("pops.csv", "iata,city,country,continent,lat,lon\n"
                         "AAA,Alpha,XX,EU,0,1\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n"
                         "DDD,Delta,XX,EU,0,30\n");
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("graph.txt", "100|1003|-1\n");
    test_put("geo.json", "{\"metros\": [\"MA\"], \"ases\": ["
                         "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0}]}\n");
    test_put("t.csv", "time,key,size\n0,A,100\n1,B,100\n2,A,100\n3,C,100\n4,B,100\n5,A,100\n6,A,100\n");
}

static void teardown(void) { test_dir_remove(); }

#define WORLD(extra)                                                                         \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"              \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","               \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\",\"groups_per_metro\":1},"     \
    "\"routing\":{\"mode\":\"geo\"},\"origin\":{\"lat\":0,\"lon\":63},"                       \
    "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":1}," extra "}"

#define TWO_TIERS                                                                            \
    "\"shield\":{\"tiers\":[{\"pops\":[\"BBB\",\"DDD\"],\"cache\":{\"capacity_objects\":2}},"  \
    "{\"pops\":[\"CCC\"],\"cache\":{\"capacity_objects\":3}}]}"

static const cJSON *tier(const cJSON *r, int i)
{
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "tiers"), i);
    ck_assert_ptr_nonnull(t);
    return t;
}

static const cJSON *pop(const cJSON *r, const char *id)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "pops"))
        if (!strcmp(cJSON_GetObjectItem(p, "id")->valuestring, id)) return p;
    ck_abort_msg("no PoP %s", id);
    return NULL;
}

START_TEST(two_tiers_by_hand)
{
    cJSON *r = test_result(WORLD(TWO_TIERS));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "tiers")), 4);
    ck_assert_str_eq(cJSON_GetObjectItem(tier(r, 1), "tier")->valuestring, "tier-1");
    double want[4][4] = { /* requests, hits, bytes, pops */
        { 7, 1, 700, 4 }, { 6, 1, 600, 2 }, { 5, 2, 500, 1 }, { 3, 0, 300, 1 } };
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(test_num(tier(r, i), "requests", NULL), want[i][0]);
        ck_assert_double_eq(test_num(tier(r, i), "hits", NULL), want[i][1]);
        ck_assert_double_eq(test_num(tier(r, i), "bytes", NULL), want[i][2]);
        ck_assert_double_eq(test_num(tier(r, i), "pops", NULL), want[i][3]);
    }
    ck_assert_double_eq_tol(test_num(tier(r, 2), "hit_ratio", NULL), 0.4, 1e-12);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 3);
    ck_assert_str_eq(cJSON_GetObjectItem(pop(r, "AAA"), "upstream")->valuestring, "BBB");
    ck_assert_str_eq(cJSON_GetObjectItem(pop(r, "BBB"), "upstream")->valuestring, "CCC");
    ck_assert_str_eq(cJSON_GetObjectItem(pop(r, "DDD"), "upstream")->valuestring, "CCC");
    ck_assert_str_eq(cJSON_GetObjectItem(pop(r, "CCC"), "upstream")->valuestring, "origin");
    ck_assert_double_eq(test_num(pop(r, "DDD"), "shield", "requests"), 0);
    ck_assert_double_eq(test_num(pop(r, "CCC"), "shield", "level"), 2);
    /* the level caches: BBB ends holding {C,B}... then A; CCC {A,B,C} */
    ck_assert_double_eq(test_num(pop(r, "BBB"), "cached_objects", NULL), 2);
    ck_assert_double_eq(test_num(pop(r, "CCC"), "cached_objects", NULL), 3);
    ck_assert_double_eq(test_num(pop(r, "AAA"), "cached_objects", NULL), 1);
    /* a miss through both levels costs the straight line's round trip */
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), 2 * 63 * 1.090148, 0.01);
    cJSON_Delete(r);

    /* One level, BBB only: BBB fills from the origin. Level 1 sees the same 6
     * requests and 1 hit; the origin takes the other 5. */
    r = test_result(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"],\"cache\":{\"capacity_objects\":2}}]}"));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "tiers")), 3);
    ck_assert_double_eq(test_num(tier(r, 1), "requests", NULL), 6);
    ck_assert_double_eq(test_num(tier(r, 1), "hits", NULL), 1);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 5);
    cJSON_Delete(r);
}
END_TEST

START_TEST(age_through_every_level)
{
    /* ttl 10 s; a copy's age counts from its request's send time at each
     * level and a lower level's copy loses its own response delay (RFC 9111
     * 4.2.3). With u = 1.090148 ms: A sent at 0 reaches AAA at 1u, BBB at
     * 10u, CCC at 20u, the origin at 63u; the answer is back at CCC at 106u,
     * BBB 116u, AAA 125u. CCC's copy expires at 10 s + 20u; BBB's, 106u of
     * delay later, at 10 s - 86u = 9.9062 s; AAA's, 124u later, at
     * 10 s - 210u = 9.7711 s. So A at 9.7 s is a HIT at AAA; A at 9.8 s is
     * EXPIRED at AAA and a hit at BBB (9.8109 s < 9.9062 s); A at 9.95 s is
     * expired at AAA and BBB (9.9609 s) and a hit at CCC (9.9718 s <
     * 10.0218 s). One origin request in all. */
    test_put("t.csv", "time,key,size\n0,A,100\n9.7,A,100\n9.8,A,100\n9.95,A,100\n");
    cJSON *r = test_result(WORLD(TWO_TIERS ",\"content\":{\"ttl_s\":10}"));
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    ck_assert_double_eq(test_num(r, "status", "EXPIRED"), 2);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    ck_assert_double_eq(test_num(tier(r, 1), "requests", NULL), 3);
    ck_assert_double_eq(test_num(tier(r, 1), "hits", NULL), 1);
    ck_assert_double_eq(test_num(tier(r, 2), "requests", NULL), 2);
    ck_assert_double_eq(test_num(tier(r, 2), "hits", NULL), 1);
    cJSON_Delete(r);

    /* collapsing: two requests 1 ms apart for a new object make one fetch
     * through both levels */
    test_put("t.csv", "time,key,size\n0,A,100\n0.001,A,100\n");
    r = test_result(WORLD(TWO_TIERS));
    ck_assert_double_eq(test_num(r, "status", "COLLAPSED"), 1);
    ck_assert_double_eq(test_num(tier(r, 1), "requests", NULL), 1);
    ck_assert_double_eq(test_num(tier(r, 2), "requests", NULL), 1);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    cJSON_Delete(r);
}
END_TEST

/* A result as text without the fields that may differ between equivalent
 * scenarios (wall clock; the scenario echoed back). */
static char *canonical(cJSON *r)
{
    cJSON_DeleteItemFromObject(r, "wall_s");
    cJSON_DeleteItemFromObject(r, "config");
    cJSON_DeleteItemFromObject(r, "overrides");
    char *s = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    return s;
}

START_TEST(shorthand_is_one_level)
{
    /* shield.pops (+ map) and the same single level as shield.tiers give
     * byte-identical results */
    char *a = canonical(test_result(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"BBB\",\"CCC\"],"
                                          "\"map\":{\"AAA\":\"CCC\"}}")));
    char *b = canonical(test_result(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\",\"CCC\"],"
                                          "\"map\":{\"AAA\":\"CCC\"}}]}")));
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "\"upstream\":\"CCC\""));
    free(a);
    free(b);
    /* shield.enabled false switches the listed tiers off */
    cJSON *r = test_result(WORLD("\"shield\":{\"enabled\":false,\"tiers\":[{\"pops\":[\"BBB\"]}]}"));
    ck_assert_double_eq(test_num(r, "origin", "requests"), 6);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "tiers")), 2);
    cJSON_Delete(r);
}
END_TEST

/* The message of a scenario that must be refused, at load or at build. */
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
    ck_assert_ptr_nonnull(strstr(err, "s.json: $."));
}

START_TEST(bad_tiers)
{
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"]},{\"pops\":[\"ZZZ\"]}]}"),
            "$.shield.tiers[1].pops[0]: no PoP with id \"ZZZ\"");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"]},{\"pops\":[\"CCC\",\"BBB\"]}]}"),
            "$.shield.tiers[1].pops[1]: PoP \"BBB\" is on two levels");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\",\"BBB\"]}]}"),
            "$.shield.tiers[0].pops[1]: PoP \"BBB\" listed twice");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"]},{\"pops\":[\"CCC\"],\"map\":{\"CCC\":\"CCC\"}}]}"),
            "$.shield.tiers[1].map.CCC: a level cannot fill from itself");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"]},{\"pops\":[\"CCC\"],\"map\":{\"AAA\":\"CCC\"}}]}"),
            "$.shield.tiers[1].map.AAA: a level's map places PoPs of the level below (1); on level 0 is \"AAA\"");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"],\"map\":{\"AAA\":\"CCC\"}}]}"),
            "$.shield.tiers[0].map.AAA: not a PoP of this level \"CCC\"");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"]}],\"pops\":[\"CCC\"]}"),
            "$.shield.tiers: give shield.tiers or shield.pops");
    refused(WORLD("\"shield\":{\"tiers\":[]}"), "$.shield.tiers: expected 1 to 16 levels");
    refused(WORLD("\"shield\":{\"tiers\":[{\"cache\":{}}]}"), "$.shield.tiers[0].pops: needed");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"],\"cache\":{\"capacity_object\":2}}]}"),
            "$.shield.tiers[0].cache.capacity_object");
    refused(WORLD("\"shield\":{\"tiers\":[{\"pops\":[\"BBB\"],\"size\":2}]}"), "$.shield.tiers[0].size");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tiers");
    TCase *tc = tcase_create("tiers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, two_tiers_by_hand);
    tcase_add_test(tc, age_through_every_level);
    tcase_add_test(tc, shorthand_is_one_level);
    tcase_add_test(tc, bad_tiers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_main(suite()); }
