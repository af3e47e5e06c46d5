/* check_domain — the parallel world's partition on a hand-drawn topology.
 *
 * On the equator (one degree = 1.090148 ms one way, check_tiers' geometry,
 * no per-hop time): PoPs AAA lon 1, BBB 10, CCC 20, DDD 30, EEE 40, FFF 30;
 * metros MA lon 0 and MB lon 41, one group each, equal weights; geo routing
 * sends MA to AAA, MB to EEE. Shields BBB and DDD (one level): AAA fills
 * from BBB (9 degrees), CCC from BBB (10, a tie with DDD: the lower index),
 * EEE from DDD. So the "may fill from" components are {AAA, BBB, CCC} and
 * {DDD, EEE, FFF} (FFF, an edge, fills from DDD at its own place), each
 * with half the clients (speed-up bound 2).
 *
 * Origin at lon 63 with a finite capacity: a logical process in the domain
 * of the top-level PoP nearest it, DDD (33 degrees; BBB is 53), so domain
 * 1; the lookahead is BBB's one way to it, 53 x 1.090148 = 57.778 ms. An
 * unlimited origin keeps no order: no origin domain, no lookahead. With
 * FFF a second shield at DDD's place and the origin there too, FFF (which
 * fills nobody) would be a domain zero latency from the origin: it is
 * folded into the origin's domain, with a warning.
 *
 * Two shield levels (pops2.csv: GGG at lon 25 instead of FFF, the second
 * level above BBB and DDD): every PoP fills, through its shields, from GGG,
 * so "may fill from" alone makes one domain (speed-up bound 1). Cutting the
 * links into level 2 gives {AAA, BBB, CCC} (domain 0), {DDD, EEE} (1) and
 * {GGG} (2, the origin's: GGG is the only top PoP), half the clients each
 * in the first two: bound 2, so that cut is chosen. Lookahead: the shortest
 * cut link, DDD-GGG, 5 degrees: 5.45074 ms (BBB-GGG is 15). GGG at DDD's
 * place instead (lon 30): the link DDD-GGG has no latency and is folded:
 * {AAA, BBB, CCC}, {DDD, EEE, GGG}, lookahead BBB-GGG, 20 degrees. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

static void setup(void)
{
    test_dir_make();
    test_put("pops.csv", "iata,city,country,continent,lat,lon\n"
                         "AAA,Alpha,XX,EU,0,1\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n"
                         "DDD,Delta,XX,EU,0,30\nEEE,Eps,XX,EU,0,40\nFFF,Phi,XX,EU,0,30\n");
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\nMB,XX,EU,0,41,1\n");
    test_put("graph.txt", "100|1003|-1\n100|1004|-1\n");
    test_put("geo.json", "{\"metros\": [\"MA\", \"MB\"], \"ases\": ["
                         "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1004, \"tier\": \"stub\", \"metro\": 1, \"lat\": 0, \"lon\": 41}]}\n");
}

#define POPS2 "iata,city,country,continent,lat,lon\n"                                              \
              "AAA,Alpha,XX,EU,0,1\nBBB,Beta,XX,EU,0,10\nCCC,Gamma,XX,EU,0,20\n"                 \
              "DDD,Delta,XX,EU,0,30\nEEE,Eps,XX,EU,0,40\nGGG,Gee,XX,EU,0,"

static void teardown(void) { test_dir_remove(); }

#define WORLD(origin, shields)                                                                \
    "{\"duration_s\":4,\"warmup_s\":1,"                                                       \
    "\"workload\":{\"type\":\"zipf\",\"objects\":100,\"alpha\":0.8,\"rate_rps\":200,"        \
    "\"size_bytes\":100},"                                                                    \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","                \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\",\"groups_per_metro\":1},"      \
    "\"routing\":{\"mode\":\"geo\"},\"origin\":" origin ","                                   \
    "\"shield\":{\"enabled\":true,\"pops\":" shields "},"                                     \
    "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":10}}"

static const cJSON *par(const cJSON *r)
{
    const cJSON *p = cJSON_GetObjectItem(r, "parallel");
    ck_assert_ptr_nonnull(p);
    return p;
}

/* The PoP ids of domain d, comma-joined. */
static const char *members(const cJSON *r, int d)
{
    static char buf[128];
    buf[0] = 0;
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(par(r), "partition"), d), *id;
    ck_assert_ptr_nonnull(e);
    cJSON_ArrayForEach(id, cJSON_GetObjectItem(e, "pops")) {
        if (buf[0]) strcat(buf, ",");
        strcat(buf, id->valuestring);
    }
    return buf;
}

START_TEST(two_domains_by_hand)
{
    cJSON *r = test_result(WORLD("{\"lat\":0,\"lon\":63,\"capacity_rps\":1000}", "[\"BBB\",\"DDD\"]"));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 2);
    ck_assert_str_eq(members(r, 0), "AAA,BBB,CCC");
    ck_assert_str_eq(members(r, 1), "DDD,EEE,FFF"); /* FFF, an edge here, fills from DDD */
    ck_assert_double_eq(test_num(par(r), "origin_domain", NULL), 1);
    double la = test_num(par(r), "lookahead_ms", NULL);
    ck_assert_msg(fabs(la - 53 * 1.090148) < 1e-3, "lookahead %.6f ms", la);
    const cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(par(r), "partition"), 0);
    ck_assert_double_eq_tol(test_num(d0, "client_share", NULL), 0.5, 1e-9);
    ck_assert_double_eq_tol(test_num(par(r), "speedup_bound", NULL), 2, 1e-9);
    cJSON_Delete(r);
}
END_TEST

START_TEST(unlimited_origin_needs_no_messages)
{
    cJSON *r = test_result(WORLD("{\"lat\":0,\"lon\":63}", "[\"BBB\",\"DDD\"]"));
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(par(r), "lookahead_ms"));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(par(r), "lookahead_ms")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(par(r), "origin_domain")));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 2);
    cJSON_Delete(r);
}
END_TEST

START_TEST(zero_lookahead_folds_into_the_origin_domain)
{
    /* the origin at DDD's (and FFF's) place: FFF has no latency to it */
    cJSON *r = test_result(WORLD("{\"lat\":0,\"lon\":30,\"capacity_rps\":1000}", "[\"BBB\",\"DDD\",\"FFF\"]"));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 2);
    ck_assert_double_eq(test_num(par(r), "merged_zero_lookahead", NULL), 1);
    ck_assert_str_eq(members(r, 0), "AAA,BBB,CCC");
    ck_assert_str_eq(members(r, 1), "DDD,EEE,FFF");
    ck_assert_double_eq(test_num(par(r), "origin_domain", NULL), 1);
    /* BBB, 20 degrees from the origin, is the only other domain */
    double la = test_num(par(r), "lookahead_ms", NULL);
    ck_assert_msg(fabs(la - 20 * 1.090148) < 1e-3, "lookahead %.6f ms", la);
    const cJSON *w = cJSON_GetObjectItem(r, "warnings");
    ck_assert_int_eq(cJSON_GetArraySize(w), 1);
    ck_assert_ptr_nonnull(strstr(cJSON_GetArrayItem(w, 0)->valuestring, "origin's domain"));
    cJSON_Delete(r);
}
END_TEST

#define WORLD2(origin, extra) WORLD2X("\"duration_s\":4,\"warmup_s\":1," extra, "100", origin)
#define WORLD2X(head, objects, origin)                                                        \
    "{" head                                                                                  \
    "\"workload\":{\"type\":\"zipf\",\"objects\":" objects ",\"alpha\":0.8,\"rate_rps\":200,"        \
    "\"size_bytes\":100},"                                                                    \
    "\"topology\":{\"pops_file\":\"pops2.csv\",\"metros_file\":\"metros.csv\","               \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\",\"groups_per_metro\":1},"      \
    "\"routing\":{\"mode\":\"geo\"},\"origin\":" origin ","                                   \
    "\"shield\":{\"tiers\":[{\"pops\":[\"BBB\",\"DDD\"]},{\"pops\":[\"GGG\"]}]},"             \
    "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":10}}"

START_TEST(two_levels_cut_below_the_top)
{
    test_put("pops2.csv", POPS2 "25\n");
    cJSON *r = test_result(WORLD2("{\"lat\":0,\"lon\":63,\"capacity_rps\":1000}", ""));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 3);
    ck_assert_str_eq(members(r, 0), "AAA,BBB,CCC");
    ck_assert_str_eq(members(r, 1), "DDD,EEE");
    ck_assert_str_eq(members(r, 2), "GGG");
    ck_assert_double_eq(test_num(par(r), "cut_level", NULL), 2);
    ck_assert_double_eq(test_num(par(r), "cut_links", NULL), 2);
    ck_assert_double_eq(test_num(par(r), "origin_domain", NULL), 2);
    double la = test_num(par(r), "lookahead_ms", NULL);
    ck_assert_msg(fabs(la - 5 * 1.090148) < 1e-3, "lookahead %.6f ms", la);
    ck_assert_double_eq_tol(test_num(par(r), "speedup_bound", NULL), 2, 1e-9);
    ck_assert_ptr_null(cJSON_GetObjectItem(par(r), "serial_because"));
    cJSON_Delete(r);
    /* an unlimited origin: the shield links are messages all the same */
    r = test_result(WORLD2("{\"lat\":0,\"lon\":63}", ""));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 3);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(par(r), "origin_domain")));
    la = test_num(par(r), "lookahead_ms", NULL);
    ck_assert_msg(fabs(la - 5 * 1.090148) < 1e-3, "lookahead %.6f ms", la);
    cJSON_Delete(r);
}
END_TEST

START_TEST(two_levels_zero_latency_link_folds)
{
    test_put("pops2.csv", POPS2 "30\n");
    cJSON *r = test_result(WORLD2("{\"lat\":0,\"lon\":63,\"capacity_rps\":1000}", ""));
    ck_assert_double_eq(test_num(par(r), "partition_domains", NULL), 2);
    ck_assert_str_eq(members(r, 0), "AAA,BBB,CCC");
    ck_assert_str_eq(members(r, 1), "DDD,EEE,GGG");
    ck_assert_double_eq(test_num(par(r), "merged_zero_lookahead", NULL), 1);
    ck_assert_double_eq(test_num(par(r), "cut_links", NULL), 1);
    ck_assert_double_eq(test_num(par(r), "origin_domain", NULL), 1);
    double la = test_num(par(r), "lookahead_ms", NULL);
    ck_assert_msg(fabs(la - 20 * 1.090148) < 1e-3, "lookahead %.6f ms", la);
    const cJSON *w = cJSON_GetObjectItem(r, "warnings");
    ck_assert_int_eq(cJSON_GetArraySize(w), 1);
    ck_assert_ptr_nonnull(strstr(cJSON_GetArrayItem(w, 0)->valuestring, "shield they fill from"));
    cJSON_Delete(r);
}
END_TEST

/* Runs scenario text at `threads` threads; the result without wall_s. */
static cJSON *run_threads(const char *scenario, unsigned threads)
{
    char err[1024];
    const char *path = test_put("s.json", scenario);
    scenario_t *sc = scenario_load(path, NULL, 0, false, 0, err, sizeof err);
    ck_assert_msg(sc != NULL, "%s", err);
    sim_t *sim = sim_create();
    cdn_t *cdn = NULL;
    ck_assert_msg(cdn_create(sc, sim, &cdn, err, sizeof err) == 0, "%s", err);
    cdn_set_threads(cdn, threads);
    ck_assert_msg(cdn_run(cdn, err, sizeof err) == 0, "%s", err);
    cJSON *r = cdn_results(cdn);
    cdn_destroy(cdn);
    sim_destroy(sim);
    scenario_free(sc);
    return r;
}

/* One object, never expiring, no warm-up: each shield fetches it from the
 * origin once (2 origin requests, through the origin's domain's messages for
 * BBB's), every request sent is answered, and the slowest answer is the
 * first at AAA: MA-AAA-BBB-origin, 63 degrees each way, 137.359 ms, plus
 * the 10 ms last-mile round trip. The same JSON at 1, 2 and 3 threads. */
#define ONE_OBJECT                                                                            \
    "{\"duration_s\":20,\"warmup_s\":0,"                                                       \
    "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"alpha\":0.8,\"rate_rps\":200,"            \
    "\"size_bytes\":100},\"connections\":{\"keepalive_share\":1},"                               \
    "\"network\":{\"last_mile_ms\":10},"                                                       \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","                \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\",\"groups_per_metro\":1},"      \
    "\"routing\":{\"mode\":\"geo\"},\"origin\":{\"lat\":0,\"lon\":63,\"capacity_rps\":1000},"  \
    "\"shield\":{\"enabled\":true,\"pops\":[\"BBB\",\"DDD\"]},"                                 \
    "\"cache\":{\"policy\":\"lru\",\"capacity_objects\":10}}"

START_TEST(domains_by_messages_same_at_every_thread_count)
{
    cJSON *r1 = run_threads(ONE_OBJECT, 1);
    ck_assert_double_eq(test_num(par(r1), "domains", NULL), 2);
    ck_assert_double_eq(test_num(r1, "origin", "requests"), 2);
    ck_assert_double_eq(test_num(r1, "requests", NULL), test_num(r1, "requests_sent", NULL));
    ck_assert_msg(test_num(r1, "requests", NULL) > 3000, "too few requests");
    double mx = test_num(r1, "latency_ms", "max");
    ck_assert_msg(fabs(mx - (2 * 63 * 1.090148 + 10)) < 0.01, "slowest answer %.4f ms", mx);
    char *a = cJSON_Print(r1);
    for (unsigned n = 2; n <= 3; n++) {
        cJSON *rn = run_threads(ONE_OBJECT, n);
        char *b = cJSON_Print(rn);
        ck_assert_msg(!strcmp(a, b), "%u threads differ from 1", n);
        free(b);
        cJSON_Delete(rn);
    }
    free(a);
    cJSON_Delete(r1);
}
END_TEST

/* One object, never expiring, on two levels: GGG fetches it from the
 * origin once; BBB and DDD each once from GGG (GGG's 2 shield requests,
 * over cut links: messages to GGG's domain and back); every request is
 * answered, none slower than a miss all the way from AAA: MA-AAA-BBB-GGG-
 * origin is 1 + 9 + 15 + 38 = 63 degrees each way, plus the last mile. The
 * same JSON at 1, 2 and 3 threads. */
START_TEST(two_levels_same_at_every_thread_count)
{
    test_put("pops2.csv", POPS2 "25\n");
    /* one object, never expiring, all of the 20 s measured */
    const char *buf = WORLD2X("\"duration_s\":20,\"warmup_s\":0,\"connections\":{\"keepalive_share\":1},"
                              "\"network\":{\"last_mile_ms\":10},",
                              "1", "{\"lat\":0,\"lon\":63,\"capacity_rps\":1000}");
    cJSON *r1 = run_threads(buf, 1);
    ck_assert_double_eq(test_num(par(r1), "domains", NULL), 3);
    ck_assert_double_eq(test_num(r1, "origin", "requests"), 1);
    ck_assert_double_eq(test_num(r1, "requests", NULL), test_num(r1, "requests_sent", NULL));
    ck_assert_msg(test_num(r1, "requests", NULL) > 150, "too few requests");
    const cJSON *pops = cJSON_GetObjectItem(r1, "pops"), *p;
    double ggg = -1;
    cJSON_ArrayForEach(p, pops)
        if (!strcmp(cJSON_GetObjectItem(p, "id")->valuestring, "GGG")) ggg = test_num(p, "shield", "requests");
    ck_assert_double_eq(ggg, 2);
    double mx = test_num(r1, "latency_ms", "max");
    ck_assert_msg(mx < 2 * 63 * 1.090148 + 10 + 0.01, "slowest answer %.4f ms", mx);
    char *a = cJSON_Print(r1);
    for (unsigned n = 2; n <= 3; n++) {
        cJSON *rn = run_threads(buf, n);
        char *b = cJSON_Print(rn);
        ck_assert_msg(!strcmp(a, b), "%u threads differ from 1", n);
        free(b);
        cJSON_Delete(rn);
    }
    free(a);
    cJSON_Delete(r1);
}
END_TEST

static Suite *domain_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("partition");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, two_domains_by_hand);
    tcase_add_test(tc, unlimited_origin_needs_no_messages);
    tcase_add_test(tc, zero_lookahead_folds_into_the_origin_domain);
    tcase_add_test(tc, domains_by_messages_same_at_every_thread_count);
    tcase_add_test(tc, two_levels_cut_below_the_top);
    tcase_add_test(tc, two_levels_zero_latency_link_folds);
    tcase_add_test(tc, two_levels_same_at_every_thread_count);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_main(domain_suite()); }
