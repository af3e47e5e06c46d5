/* check_operations — the primers' operations, each on a trace whose answers
 * were worked out by hand: the origin going down (and stale-if-error at a
 * shield), edge compute, signed URLs, purges that propagate, deploys,
 * pushes, scrubbing; and the checks on every new key.
 *
 * Single PoP: the client 5 ms one way (client_rtt_ms 10), the origin 40 ms
 * beyond (origin_rtt_ms 80), so a miss takes 90 ms and a hit 10 ms; the
 * control plane sits with the origin, 40 ms from the PoP.
 *
 * Micro world (as in check_request_path): points on the equator, so a
 * one-way fiber latency is degrees x 6371 km x pi / 180 x 2 (route factor)
 * / 204,000 km/s = 1.090148 ms a degree. PoPs AAA at lon 9, BBB at -15,
 * CCC at 30; metros MA at 0 (reaches AAA) and MB at -18 (reaches BBB); the
 * origin at 63. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

static const double MS_PER_DEGREE = 6371.0 * M_PI / 180 * 2 / 204000 * 1e3;

static void setup(void)
{
    test_dir_make();
    test_put_two_metro_world();
}

static cJSON *run(const char *scenario)
{
    return test_result(scenario);
}

/* A scenario that must be refused: exit 2's message names the JSON path. */
static void refused(const char *scenario, const char *path)
{
    char err[1024];
    const char *file = test_put("bad.json", scenario);
    scenario_t *sc = scenario_load(file, NULL, 0, false, 0, err, sizeof err);
    if (sc) { /* some references are resolved when the model is built */
        sim_t *sim = sim_create();
        cdn_t *cdn = NULL;
        int rc = cdn_create(sc, sim, &cdn, err, sizeof err);
        cdn_destroy(cdn);
        sim_destroy(sim);
        scenario_free(sc);
        ck_assert_msg(rc == -2, "accepted: %s", scenario);
    }
    ck_assert_msg(strstr(err, path) != NULL, "expected %s in: %s", path, err);
}

#define SINGLE(extra)                                                                         \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"}," extra "}"
#define WORLD(extra)                                                                          \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"                \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","                 \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"                             \
    "\"origin\":{\"lat\":0,\"lon\":63}," extra "}"

static const cJSON *op_result(const cJSON *r, int k)
{
    const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "operations"), k);
    ck_assert_ptr_nonnull(v);
    return v;
}

START_TEST(stale_copy_at_the_shield_answers_a_new_edge)
{
    /* The case. max-age=5, stale-if-error=1000, with validators.
     * A@0 from MA: AAA and the shield CCC fetch it (fresh until about 5 s at
     * both). At 10 s AAA withdraws (MA's clients move to BBB) and the origin
     * goes down. A@20 at BBB: a MISS there; at CCC the copy is 15 s stale, so
     * CCC revalidates, the origin refuses, and RFC 5861 lets CCC's stale copy
     * answer BBB: the client sees STALE, not an error. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n20,A,100\n");
    cJSON *r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                         "\"content\":{\"classes\":[{\"share\":1,"
                         "\"cache_control\":\"max-age=5, stale-if-error=1000\"}]},"
                         "\"operations\":[{\"at_s\":10,\"withdraw\":\"AAA\"},{\"at_s\":10,\"origin\":\"down\"}]"));
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "STALE"), 1);
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 0);
    ck_assert_double_eq(test_num(r, "origin", "errors"), 1);
    ck_assert_double_eq(test_num(op_result(r, 1), "refused", NULL), 1);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(op_result(r, 1), "until_s")));
    cJSON_Delete(r);

    /* Without stale-if-error the same request is an error. */
    r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                  "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=5\"}]},"
                  "\"operations\":[{\"at_s\":10,\"withdraw\":\"AAA\"},{\"at_s\":10,\"origin\":\"down\"}]"));
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 1);
    ck_assert_double_eq(test_num(r, "status", "STALE"), 0);
    cJSON_Delete(r);
}
END_TEST

START_TEST(origin_down_then_up_at_one_pop)
{
    /* max-age=1, stale-if-error=5, no validator. A@0 MISS (stored at 0.08 s,
     * fresh until 1.08). Origin down at 2. A@3 fails upstream at 3.085, the
     * copy 2.005 s stale: STALE. A@8 fails at 8.085, 7.005 s stale, past the
     * window: ERROR. Origin up at 9; A@10 is EXPIRED, fetched anew. */
    test_put("t.csv", "time,key,size\n0,A,100\n3,A,100\n8,A,100\n10,A,100\n");
    cJSON *r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"validators\":false,"
                          "\"cache_control\":\"max-age=1, stale-if-error=5\"}]},"
                          "\"operations\":[{\"at_s\":2,\"origin\":\"down\"},{\"at_s\":9,\"origin\":\"up\"}]"));
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "STALE"), 1);
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 1);
    ck_assert_double_eq(test_num(r, "status", "EXPIRED"), 1);
    ck_assert_double_eq(test_num(r, "origin", "errors"), 2);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 4);
    const cJSON *down = op_result(r, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(down, "kind")->valuestring, "origin");
    ck_assert_str_eq(cJSON_GetObjectItem(down, "target")->valuestring, "down");
    ck_assert_double_eq(test_num(down, "refused", NULL), 2);
    ck_assert_double_eq(test_num(down, "until_s", NULL), 9);
    cJSON_Delete(r);
}
END_TEST

START_TEST(edge_compute_cold_then_warm)
{
    /* compute 2 ms, cold start 5 ms, isolates idle out after 10 s. A@0
     * reaches the PoP at 5 ms: cold, answered at 5 + 5 + 2 = 12 ms, at the
     * client at 17 ms. A@1: warm, 5 + 2 + 5 = 12 ms. A@20: idle since
     * 1.012 s, 18.99 s > 10: cold again, 17 ms. Nothing reaches the origin. */
    test_put("t.csv", "time,key,size\n0,A,100\n1,A,100\n20,A,100\n");
    cJSON *r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"no-store\","
                          "\"edge_compute\":{\"compute_ms\":2,\"cold_start_ms\":5,\"isolate_idle_s\":10}}]}"));
    ck_assert_double_eq(test_num(r, "status", "COMPUTED"), 3);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 0);
    ck_assert_double_eq(test_num(r, "hits", NULL), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "mean"), (17.0 + 12 + 17) / 3, 1e-6);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), 17, 0.2);
    cJSON_Delete(r);

    /* Every request makes one subrequest over the warm pool: one origin round
     * trip more (80 ms): 97, 92 and 97 ms, three origin requests. */
    r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"no-store\","
                   "\"edge_compute\":{\"compute_ms\":2,\"cold_start_ms\":5,\"isolate_idle_s\":10,"
                   "\"subrequest_share\":1}}]}"));
    ck_assert_double_eq(test_num(r, "status", "COMPUTED"), 3);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 3);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "mean"), (97.0 + 92 + 97) / 3, 1e-6);
    cJSON_Delete(r);

    /* An origin down fails the subrequest: ERROR. */
    r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"no-store\","
                   "\"edge_compute\":{\"compute_ms\":2,\"subrequest_share\":1}}]},"
                   "\"operations\":[{\"at_s\":0.5,\"origin\":\"down\"}]"));
    ck_assert_double_eq(test_num(r, "status", "COMPUTED"), 1);
    ck_assert_double_eq(test_num(r, "status", "ERROR"), 2);
    cJSON_Delete(r);
}
END_TEST

START_TEST(denied_requests_never_reach_the_origin)
{
    /* Every signature invalid, 100 us to check one: both requests are 403s
     * at the edge, 10 ms + 0.1 ms, and the origin sees nothing. */
    test_put("t.csv", "time,key,size\n0,A,100\n1,A,100\n");
    cJSON *r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=60\","
                          "\"signed\":{\"invalid_share\":1,\"verify_us\":100}}]}"));
    ck_assert_double_eq(test_num(r, "status", "DENIED"), 2);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 0);
    ck_assert_double_eq(test_num(r, "hits", NULL), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "mean"), 10.1, 1e-6);
    cJSON_Delete(r);
    /* Valid signatures: a MISS (90.1 ms) then a HIT (10.1 ms). */
    r = run(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=60\","
                   "\"signed\":{\"invalid_share\":0,\"verify_us\":100}}]}"));
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "mean"), (90.1 + 10.1) / 2, 1e-6);
    cJSON_Delete(r);
}
END_TEST

START_TEST(purge_reaches_each_pop_one_fiber_latency_later)
{
    /* Only MB's clients, at BBB. A@0 MISS, A@5 HIT. A purge of everything at
     * 10 s from the control plane at the origin (lon 63), 10 ms of processing:
     * CCC applies it after 33 degrees, AAA 54, BBB last after 78: at
     * 10 + 78 x 1.090148 ms + 10 ms = 10.095032 s. A@10.01 reaches BBB at
     * about 10.013 s, before the purge: a HIT from the purged copy. A@11 is a
     * MISS (no validator: the copy was removed), A@12 a HIT. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMB,XX,EU,0,-18,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n5,A,100\n10.01,A,100\n11,A,100\n12,A,100\n");
    cJSON *r = run(WORLD("\"control\":{\"processing_ms\":10},"
                         "\"operations\":[{\"at_s\":10,\"purge\":\"all\"}]"));
    ck_assert_double_eq(test_num(r, "status", "MISS"), 2);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 3);
    const cJSON *op = op_result(r, 0);
    ck_assert_double_eq(test_num(op, "pops_applied", NULL), 3);
    ck_assert_double_eq_tol(test_num(op, "last_applied_s", NULL), 10 + (78 * MS_PER_DEGREE + 10) / 1e3, 1e-8);
    ck_assert_double_eq(test_num(op, "served_purged", NULL), 1);
    ck_assert_double_eq(test_num(op, "invalidated", NULL), 1);
    cJSON_Delete(r);

    /* The control plane at AAA (lon 9): BBB is now 24 degrees away, CCC 21.
     * With validators the purged copy is revalidated (a 304: the object did
     * not change), not fetched again. */
    r = run(WORLD("\"control\":{\"location\":\"AAA\"},"
                  "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=600\"}]},"
                  "\"operations\":[{\"at_s\":10,\"purge\":\"all\"}]"));
    op = op_result(r, 0);
    ck_assert_double_eq_tol(test_num(op, "last_applied_s", NULL), 10 + 24 * MS_PER_DEGREE / 1e3, 1e-8);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "REVALIDATED"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 3);
    cJSON_Delete(r);

    /* A purge of one PoP, CCC: BBB keeps its copy. */
    r = run(WORLD("\"operations\":[{\"at_s\":10,\"purge\":\"CCC\"}]"));
    op = op_result(r, 0);
    ck_assert_double_eq(test_num(op, "pops_applied", NULL), 1);
    ck_assert_double_eq_tol(test_num(op, "last_applied_s", NULL), 10 + 33 * MS_PER_DEGREE / 1e3, 1e-8);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 4);
    cJSON_Delete(r);
}
END_TEST

START_TEST(purge_targets)
{
    /* Two objects, one class tagged "img". A and B cached by 1 s; a purge at
     * 2 s reaches the PoP at 2.04 s; A@3 and B@3.5 show what it covered. */
    test_put("t.csv", "time,key,size\n0,A,100\n0.5,B,100\n3,A,100\n3.5,B,100\n");
#define CLS "\"content\":{\"classes\":[{\"name\":\"img\",\"share\":1,\"validators\":false," \
            "\"cache_control\":\"max-age=600\",\"tags\":[\"pics\"]}]},"
    const char *targets[] = { "{\"objects\":[\"A\"]}", "{\"class\":\"img\"}", "{\"tag\":\"pics\"}", "\"pop-1\"" };
    const double misses[] = { 3, 4, 4, 4 };
    for (int i = 0; i < 4; i++) {
        char sc[1024];
        snprintf(sc, sizeof sc, SINGLE(CLS "\"operations\":[{\"at_s\":2,\"purge\":%s}]"), targets[i]);
        cJSON *r = run(sc);
        ck_assert_msg(test_num(r, "status", "MISS") == misses[i], "target %s", targets[i]);
        ck_assert_double_eq(test_num(op_result(r, 0), "invalidated", NULL), misses[i] - 2);
        ck_assert_double_eq(test_num(op_result(r, 0), "served_purged", NULL), 0);
        cJSON_Delete(r);
    }

    /* {"prefix": N}: zipf's N most popular objects. 10 objects, 100 rps: by
     * 10 s each of the 3 most popular (object 3 is drawn 9% of the time) has
     * been cached long since, so the purge invalidates exactly 3; "all",
     * all 10. */
    const char *zipf = "{\"duration_s\":20,\"workload\":{\"type\":\"zipf\",\"objects\":10,\"rate_rps\":100},"
                       "\"operations\":[{\"at_s\":10,\"purge\":{\"prefix\":3}},{\"at_s\":15,\"purge\":\"all\"}]}";
    cJSON *r = run(zipf);
    ck_assert_double_eq(test_num(op_result(r, 0), "invalidated", NULL), 3);
    ck_assert_double_eq(test_num(op_result(r, 1), "invalidated", NULL), 10);
    cJSON_Delete(r);
#undef CLS
}
END_TEST

START_TEST(deploy_modes)
{
    /* max-age=100 with validators. A@0 MISS, A@1 HIT; a deploy at 2 s, A@3
     * and A@4 after it.
     *   versioned: new URLs, so A@3 is a MISS under a new key, A@4 a HIT;
     *     no stale answer, two origin fetches.
     *   purge: the copy is marked at 2.04 s and the object changed, so A@3's
     *     revalidation brings a new body (EXPIRED), A@4 a HIT.
     *   in_place: the origin changed but the copy is fresh until 100 s: A@3
     *     and A@4 are HITs with the old object, two stale answers. */
    test_put("t.csv", "time,key,size\n0,A,100\n1,A,100\n3,A,100\n4,A,100\n");
    const char *modes[] = { "versioned", "purge", "in_place" };
    const double miss[] = { 2, 1, 1 }, expired[] = { 0, 1, 0 }, hit[] = { 2, 2, 3 };
    const double stale[] = { 0, 0, 2 }, origin[] = { 2, 2, 1 };
    for (int i = 0; i < 3; i++) {
        char sc[1024];
        snprintf(sc, sizeof sc, SINGLE("\"content\":{\"classes\":[{\"name\":\"app\",\"share\":1,"
                                       "\"cache_control\":\"max-age=100\"}]},"
                                       "\"operations\":[{\"at_s\":2,\"deploy\":{\"class\":\"app\",\"mode\":\"%s\"}}]"),
                 modes[i]);
        cJSON *r = run(sc);
        ck_assert_msg(test_num(r, "status", "MISS") == miss[i], "%s", modes[i]);
        ck_assert_msg(test_num(r, "status", "EXPIRED") == expired[i], "%s", modes[i]);
        ck_assert_msg(test_num(r, "status", "HIT") == hit[i], "%s", modes[i]);
        ck_assert_msg(test_num(r, "origin", "requests") == origin[i], "%s", modes[i]);
        ck_assert_msg(test_num(op_result(r, 0), "stale_answers", NULL) == stale[i], "%s", modes[i]);
        /* the minute after: A@3 and A@4; a fetch (90 ms) and a hit (10 ms),
         * or two hits in place */
        const cJSON *w = cJSON_GetObjectItem(op_result(r, 0), "next_60s");
        ck_assert_double_eq(test_num(w, "requests", NULL), 2);
        ck_assert_double_eq(test_num(w, "origin_requests", NULL), origin[i] - 1);
        ck_assert_double_eq_tol(test_num(w, "latency_mean_ms", NULL), i == 2 ? 10 : 50, 1e-6);
        /* and the same figures where sweep summaries read them */
        ck_assert_double_eq(test_num(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "operation_effects"), "op0_deploy"),
                                     "stale_answers", NULL), stale[i]);
        cJSON_Delete(r);
    }
}
END_TEST

START_TEST(push_then_hit)
{
    /* All 100 objects (1,000 bytes each) pushed at 0; they arrive at 0.04 s.
     * Every request after the 1 s warm-up is a HIT and the origin sees none;
     * the pushed bytes are counted apart from origin fetches. */
    cJSON *r = run("{\"duration_s\":10,\"warmup_s\":1,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":100,\"rate_rps\":50},"
                   "\"operations\":[{\"at_s\":0,\"push\":{\"objects\":100}}]}");
    ck_assert_double_gt(test_num(r, "requests", NULL), 300);
    ck_assert_double_eq(test_num(r, "hits", NULL), test_num(r, "requests", NULL));
    ck_assert_double_eq(test_num(r, "origin", "requests"), 0);
    /* a key whose fetch is already under way (a request before 0.04 s) is
     * left to that fetch */
    double pushed = test_num(op_result(r, 0), "objects", NULL);
    ck_assert(pushed >= 98 && pushed <= 100);
    ck_assert_double_eq(test_num(op_result(r, 0), "bytes", NULL), 1000 * pushed);
    ck_assert_double_eq(test_num(r, "tier_bytes", "pushed"), 1000 * pushed);
    cJSON_Delete(r);

    /* A push of object 1 only: at the world's PoP BBB, MB's. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMB,XX,EU,0,-18,1\n");
    r = run("{\"duration_s\":10,\"warmup_s\":1,\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":10},"
            "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","
            "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},\"origin\":{\"lat\":0,\"lon\":63},"
            "\"operations\":[{\"at_s\":0,\"push\":{\"objects\":[1],\"pops\":[\"BBB\"]}}]}");
    ck_assert_double_eq(test_num(r, "hits", NULL), test_num(r, "requests", NULL));
    ck_assert_double_eq(test_num(op_result(r, 0), "pops_applied", NULL), 1);
    ck_assert_double_eq_tol(test_num(op_result(r, 0), "last_applied_s", NULL), 78 * MS_PER_DEGREE / 1e3, 1e-8);
    cJSON_Delete(r);
}
END_TEST

START_TEST(scrubbing_drops_the_detected_share)
{
    /* Bots in MB's networks flood BBB at 2,000 rps for 10 s. */
#define ATTACK(scrub)                                                                            \
    "{\"seed\":1,\"duration_s\":20,\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":100}," \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","                   \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},\"origin\":{\"lat\":0,\"lon\":63}," \
    "\"pop\":{\"capacity_rps\":200,\"max_wait_ms\":50},"                                         \
    "\"attack\":{\"rate_rps\":2000,\"start_s\":5,\"end_s\":15,\"metros\":[\"MB\"]" scrub "}}"
    /* Everything detected, capacity to spare: all scrubbed, nothing refused,
     * and the legitimate clients of the attack's span see no error. */
    cJSON *r = run(ATTACK(",\"scrub\":{\"capacity_rps\":1e6,\"detection\":1}"));
    const cJSON *a = cJSON_GetObjectItem(r, "attack");
    ck_assert_double_eq(test_num(a, "scrubbed", NULL), test_num(a, "requests", NULL));
    ck_assert_double_eq(test_num(a, "passed", NULL), 0);
    ck_assert_double_eq(test_num(a, "refused", NULL), 0);
    ck_assert_double_eq(test_num(cJSON_GetObjectItem(a, "clients"), "status", "ERROR"), 0);
    cJSON_Delete(r);
    /* Half detected: about half scrubbed (binomial, 20,000 draws: within 2%). */
    r = run(ATTACK(",\"scrub\":{\"capacity_rps\":1e6,\"detection\":0.5}"));
    a = cJSON_GetObjectItem(r, "attack");
    ck_assert_double_eq_tol(test_num(a, "scrubbed", NULL) / test_num(a, "requests", NULL), 0.5, 0.02);
    cJSON_Delete(r);
    /* A scrubber of 500 rps (a second's burst deep) drops about 500 a second
     * of the 2,000: about 5,000 + 500 over the 10 s; the rest passes. */
    r = run(ATTACK(",\"scrub\":{\"capacity_rps\":500,\"detection\":1}"));
    a = cJSON_GetObjectItem(r, "attack");
    ck_assert_double_eq_tol(test_num(a, "scrubbed", NULL), 5500, 10);
    ck_assert_double_gt(test_num(cJSON_GetObjectItem(a, "clients"), "status", "ERROR"), 0);
    cJSON_Delete(r);
#undef ATTACK
}
END_TEST

START_TEST(bad_operation_keys)
{
    test_put("t.csv", "time,key,size\n0,A,1\n");
#define K "\"content\":{\"classes\":[{\"name\":\"app\",\"share\":1,\"cache_control\":\"max-age=1\"}]},"
    refused(SINGLE(K "\"duration_s\":10,\"operations\":[{\"at_s\":10,\"purge\":\"all\"}]"), "$.operations[0].at_s");
    refused(SINGLE(K "\"operations\":[{\"at_s\":-1,\"purge\":\"all\"}]"), "$.operations[0].at_s");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"purge\":{\"class\":\"web\"}}]"), "$.operations[0].purge.class");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"purge\":{\"tag\":\"x\"}}]"), "$.operations[0].purge.tag");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"purge\":{\"path\":\"/\"}}]"), "$.operations[0].purge.path");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"purge\":{\"prefix\":3}}]"), "$.operations[0].purge.prefix");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"purge\":\"pop-9\"}]"), "$.operations[0].purge");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"deploy\":{\"class\":\"app\",\"mode\":\"swap\"}}]"),
            "$.operations[0].deploy.mode");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"deploy\":{\"class\":\"web\",\"mode\":\"purge\"}}]"),
            "$.operations[0].deploy.class");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"origin\":\"sideways\"}]"), "$.operations[0].origin");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"origin\":\"down\",\"purge\":\"all\"}]"), "$.operations[0]");
    refused(SINGLE(K "\"operations\":[{\"at_s\":1,\"push\":{\"objects\":1}}]"), "$.operations[0].push");
    refused("{\"duration_s\":9,\"workload\":{\"type\":\"zipf\",\"objects\":5},"
            "\"operations\":[{\"at_s\":1,\"push\":{\"objects\":[6]}}]}", "$.operations[0].push.objects[0]");
    refused("{\"duration_s\":9,\"workload\":{\"type\":\"zipf\",\"objects\":5},"
            "\"operations\":[{\"at_s\":1,\"push\":{\"objects\":2,\"pops\":[\"XYZ\"]}}]}",
            "$.operations[0].push.pops[0]");
    refused(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=1\","
                   "\"signed\":{\"invalid_share\":1.5}}]}"), "$.content.classes[0].signed.invalid_share");
    refused(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=1\","
                   "\"edge_compute\":{\"subrequest_share\":-0.1}}]}"),
            "$.content.classes[0].edge_compute.subrequest_share");
    refused(SINGLE("\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=1\","
                   "\"edge_compute\":{\"compute_ms\":-1}}]}"), "$.content.classes[0].edge_compute.compute_ms");
    refused(SINGLE("\"control\":{\"processing_ms\":-5}"), "$.control.processing_ms");
    refused(WORLD("\"control\":{\"location\":\"QQQ\"}"), "$.control.location");
    refused(WORLD("\"attack\":{\"rate_rps\":10,\"end_s\":1,\"scrub\":{\"capacity_rps\":10,\"detection\":2}}"),
            "$.attack.scrub.detection");
    refused(WORLD("\"attack\":{\"rate_rps\":10,\"end_s\":1,\"class\":\"web\"}"), "$.attack.class");
#undef K
}
END_TEST

int main(void)
{
    Suite *su = suite_create("operations");
    TCase *tc = tcase_create("operations");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, test_dir_remove);
    tcase_add_test(tc, stale_copy_at_the_shield_answers_a_new_edge);
    tcase_add_test(tc, origin_down_then_up_at_one_pop);
    tcase_add_test(tc, edge_compute_cold_then_warm);
    tcase_add_test(tc, denied_requests_never_reach_the_origin);
    tcase_add_test(tc, purge_reaches_each_pop_one_fiber_latency_later);
    tcase_add_test(tc, purge_targets);
    tcase_add_test(tc, deploy_modes);
    tcase_add_test(tc, push_then_hit);
    tcase_add_test(tc, scrubbing_drops_the_detected_share);
    tcase_add_test(tc, bad_operation_keys);
    suite_add_tcase(su, tc);
    return test_main(su);
}
