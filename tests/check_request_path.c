/* check_request_path — the global request path on micro-topologies whose
 * times to first byte were worked out by hand.
 *
 * Geometry: points on the equator, so a great-circle distance is
 * 6371 km x (degrees of longitude) x pi / 180; fiber one-way latency is that
 * x 2.0 (route factor) / 204,000 km/s.
 *   client metro MA at lon 0; PoP AAA at lon 9: 1,000.7447 km, one way
 *   9.810 ms; the origin at lon 63: 54 degrees beyond AAA, 6,004.47 km, one
 *   way 58.867 ms.
 * A cold TLS 1.3 connection costs TCP 1 RTT + TLS 1 RTT before the request's
 * own round trip, so a hit takes 3 client RTTs and a miss 3 client RTTs plus
 * one PoP-origin RTT. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/testutil.h"

static void setup(void)
{
    test_dir_make();
    test_put_two_metro_world();
}

static cJSON *run(const char *scenario, int expect)
{
    char err[1024];
    cJSON *res;
    int rc = test_run(scenario, NULL, 0, &res, err, sizeof err);
    ck_assert_msg(rc == expect, "%s", err);
    if (expect != 0) ck_assert_ptr_nonnull(strstr(err, "$."));
    return res;
}

#define WORLD_T(topology, extra)                                                             \
    "{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"              \
    "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","               \
    "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"" topology "},"                  \
    "\"origin\":{\"lat\":0,\"lon\":63}," extra "}"
#define WORLD(extra) WORLD_T("", extra)

static const double ONE_CLIENT = 1000.7447 * 2 / 204000 * 1e3;  /* ms, MA -> AAA */
static const double ONE_ORIGIN = 6004.4681 * 2 / 204000 * 1e3;  /* ms, AAA -> origin */

START_TEST(cold_tls13_miss_then_hit)
{
    /* Only MA's clients: MB has weight 0 in a copy of the metros. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n10,A,100\n");
    cJSON *r = run(WORLD("\"routing\":{\"mode\":\"anycast\"},"
                         "\"connections\":{\"tls\":\"1.3\",\"keepalive_share\":0}"), 0);
    double miss = 3 * 2 * ONE_CLIENT + 2 * ONE_ORIGIN, hit = 3 * 2 * ONE_CLIENT;
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), miss, 0.01);  /* 176.594 ms */
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), hit, 0.01);   /*  58.862 ms */
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    cJSON_Delete(r);

    /* topology.per_hop_ms: the client's AS path to the CDN is 1003 100 CDN,
     * three hops of 1 ms on each one-way leg of the three round trips; the
     * origin leg is one backbone hop each way. */
    r = run(WORLD_T(",\"per_hop_ms\":1", "\"connections\":{\"tls\":\"1.3\",\"keepalive_share\":0}"), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), 3 * 2 * (ONE_CLIENT + 3), 0.01);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), 3 * 2 * (ONE_CLIENT + 3) + 2 * (ONE_ORIGIN + 1), 0.01);
    cJSON_Delete(r);

    /* Resumed sessions: TLS 1.3 with early data adds no round trip to TCP's;
     * TLS 1.2's abbreviated handshake adds one. */
    r = run(WORLD("\"connections\":{\"tls\":\"1.3\",\"keepalive_share\":0,"
                  "\"resumption_share\":1,\"zero_rtt_share\":1}"), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), 2 * 2 * ONE_CLIENT, 0.01);
    cJSON_Delete(r);
    r = run(WORLD("\"connections\":{\"tls\":\"1.2\",\"keepalive_share\":0,\"resumption_share\":1}"), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), 3 * 2 * ONE_CLIENT, 0.01);
    cJSON_Delete(r);

    /* A cold upstream pool: the PoP opens TCP + TLS 1.3 to the origin for
     * the miss, two more PoP-origin round trips. */
    r = run(WORLD("\"connections\":{\"tls\":\"1.3\",\"keepalive_share\":0,\"upstream\":\"cold\"}"), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), 3 * 2 * ONE_CLIENT + 3 * 2 * ONE_ORIGIN, 0.01);
    cJSON_Delete(r);

    /* TLS 1.2: one more round trip for the full handshake. */
    r = run(WORLD("\"connections\":{\"tls\":\"1.2\",\"keepalive_share\":0}"), 0);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), 4 * 2 * ONE_CLIENT, 0.01);
    cJSON_Delete(r);

    /* No CDN: the same handshakes over the long path, straight to the origin
     * (MA to the origin at lon 63 is 7,005.21 km). */
    r = run(WORLD("\"routing\":{\"mode\":\"origin\"},"
                  "\"connections\":{\"tls\":\"1.3\",\"keepalive_share\":0}"), 0);
    double direct = 3 * 2 * (7005.2128 * 2 / 204000 * 1e3);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "p50"), direct, 0.01);
    ck_assert_double_eq_tol(test_num(r, "latency_ms", "max"), direct, 0.01);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 2);
    ck_assert_double_eq(test_num(r, "hits", NULL), 0);
    cJSON_Delete(r);
}
END_TEST

START_TEST(collapsing_across_edges_through_a_shield)
{
    /* 40 requests for A at the same instant from both metros: each edge
     * (AAA for MA, BBB for MB) makes one fetch to the shield CCC, the shield
     * collapses the second, and the origin sees exactly one request. */
    char trace[4096] = "time,key,size\n";
    for (int i = 0; i < 40; i++) strcat(trace, "0,A,100\n");
    test_put("t.csv", trace);
    cJSON *r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]}"), 0);
    ck_assert_double_eq(test_num(r, "requests", NULL), 40);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 2);       /* one per edge */
    ck_assert_double_eq(test_num(r, "status", "COLLAPSED"), 38);
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    const cJSON *ccc = cJSON_GetArrayItem(pops, 2);
    ck_assert_str_eq(cJSON_GetObjectItem(ccc, "id")->valuestring, "CCC");
    ck_assert_double_eq(test_num(ccc, "shield", "requests"), 2);
    ck_assert_double_eq(test_num(ccc, "shield", "hits"), 1);    /* the collapsed one */
    cJSON_Delete(r);

    /* An explicit map: BBB fills from AAA, itself a shield. Both edges' fetches
     * then meet at AAA: MB's through BBB (collapsed there), MA's directly. */
    r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"AAA\",\"CCC\"],\"map\":{\"BBB\":\"AAA\"}}"), 0);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    pops = cJSON_GetObjectItem(r, "pops");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(pops, 1), "upstream")->valuestring, "AAA");
    cJSON_Delete(r);

    /* Without the shield each edge goes to the origin itself. */
    r = run(WORLD("\"shield\":{\"enabled\":false}"), 0);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 2);
    cJSON_Delete(r);
}
END_TEST

START_TEST(withdrawn_site_moves_its_catchment)
{
    /* MA's clients reach AAA. At 5 s AAA withdraws: AS100 now hears the CDN
     * only through its peer AS200, whose customer route leads to BBB, so the
     * request at 10 s lands at BBB, cold (MISS). At 15 s AAA announces again
     * and the request at 20 s is a HIT at AAA, which kept its cache. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n10,A,100\n20,A,100\n");
    cJSON *r = run(WORLD("\"operations\":[{\"at_s\":5,\"withdraw\":\"AAA\"},"
                         "{\"at_s\":15,\"announce\":\"AAA\"}]"), 0);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 2);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    ck_assert_double_eq(test_num(cJSON_GetArrayItem(pops, 0), "requests", NULL), 2);  /* AAA */
    ck_assert_double_eq(test_num(cJSON_GetArrayItem(pops, 1), "requests", NULL), 1);  /* BBB */
    cJSON_Delete(r);
    /* bad operations: an unknown PoP, withdrawing the last one announcing */
    run(WORLD("\"operations\":[{\"at_s\":5,\"withdraw\":\"ZZZ\"}]"), -2);
    run(WORLD("\"operations\":[{\"at_s\":1,\"withdraw\":\"AAA\"},{\"at_s\":2,\"withdraw\":\"BBB\"},"
              "{\"at_s\":3,\"withdraw\":\"CCC\"}]"), -2);
}
END_TEST

START_TEST(queued_request_stays_at_its_pop)
{
    /* MA's request reaches AAA at 9.8 ms and waits for AAA's server (1 s a
     * request). AAA withdraws at 0.5 s and MA's group moves to BBB, but the
     * request already queued at AAA is looked up there, at 1.0098 s: AAA
     * counts it, BBB sees nothing. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n");
    cJSON *r = run(WORLD("\"pop\":{\"service_ms\":1000},"
                         "\"operations\":[{\"at_s\":0.5,\"withdraw\":\"AAA\"}]"), 0);
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    ck_assert_double_eq(test_num(cJSON_GetArrayItem(pops, 0), "requests", NULL), 1);  /* AAA */
    ck_assert_double_eq(test_num(cJSON_GetArrayItem(pops, 1), "requests", NULL), 0);  /* BBB */
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    cJSON_Delete(r);
}
END_TEST

START_TEST(attack_lands_where_the_bots_routes_lead)
{
    /* Bots in MB's networks flood 2,000 rps for 10 s. MB's route leads to
     * BBB, so BBB's request handling (200 rps, 50 ms of queue) is swamped and
     * its legitimate clients get 503s, while AAA, serving MA, never sees the
     * flood. */
    cJSON *r = run("{\"seed\":1,\"duration_s\":20,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":100},"
                   "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","
                   "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"
                   "\"origin\":{\"lat\":0,\"lon\":63},"
                   "\"pop\":{\"capacity_rps\":200,\"max_wait_ms\":50},"
                   "\"attack\":{\"rate_rps\":2000,\"start_s\":5,\"end_s\":15,\"metros\":[\"MB\"]}}", 0);
    const cJSON *att = cJSON_GetObjectItem(r, "attack");
    ck_assert_double_eq_tol(test_num(att, "requests", NULL), 20000, 600);
    const cJSON *ap = cJSON_GetObjectItem(att, "pops");
    ck_assert_int_eq(cJSON_GetArraySize(ap), 1);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ap, 0), "id")->valuestring, "BBB");
    ck_assert_double_gt(test_num(att, "refused", NULL), 0.8 * test_num(att, "requests", NULL));
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    ck_assert_double_eq(test_num(cJSON_GetObjectItem(cJSON_GetArrayItem(pops, 0), "status"), "ERROR", NULL), 0);
    ck_assert_double_gt(test_num(cJSON_GetObjectItem(cJSON_GetArrayItem(pops, 1), "status"), "ERROR", NULL), 100);
    cJSON_Delete(r);
    test_put("t.csv", "time,key,size\n0,A,1\n");
    run(WORLD("\"attack\":{\"rate_rps\":10,\"end_s\":1,\"metros\":[\"Atlantis\"]}"), -2);
}
END_TEST

START_TEST(a_shield_copy_arrives_aged)
{
    /* max-age=10, no validator. A@0 from MA: AAA and the shield CCC fetch it,
     * fresh until about 10 s. AAA withdraws at 5 s, so A@8 lands at BBB,
     * which gets the shield's copy: with its Age, fresh only until about 10 s,
     * not 18. So A@12 at BBB is EXPIRED, not a HIT. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n8,A,100\n12,A,100\n");
    cJSON *r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                         "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=10\","
                         "\"validators\":false}]},"
                         "\"operations\":[{\"at_s\":5,\"withdraw\":\"AAA\"}]"), 0);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 2);
    ck_assert_double_eq(test_num(r, "status", "EXPIRED"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 0);
    cJSON_Delete(r);
}
END_TEST

START_TEST(a_shield_copy_ages_by_the_edges_delay)
{
    /* RFC 9111 4.2.3 at two tiers, max-age=10, no validator, warm
     * connections. One-way: MA-AAA 9.811 ms, AAA-CCC (21 degrees) 22.893 ms,
     * CCC-origin (33 degrees) 35.975 ms.
     * A@0 reaches AAA at 9.811 = the edge's request_time; CCC gets it at
     * 32.704 (its request_time) and has the origin's answer at 104.654: its
     * copy is fresh until 32.704 + 10,000 ms. CCC answers AAA at 104.654
     * with Age = its response delay, 71.950 ms; AAA's response delay is
     * 104.654 + 22.893 - 9.811, so its copy's age at arrival is
     * 71.950 + 117.736 and it is fresh until 9.811 + 10,000 - 71.950 =
     * 9,937.861 ms, 94.8 ms before CCC's.
     * A@9.92 reaches AAA at 9,929.811: HIT. A@9.94 at 9,949.811: stale at
     * AAA (EXPIRED), but CCC, fresh until 10,032.7, answers it: one origin
     * request in all. When a shield's copy kept its freshness end at the
     * edge, A@9.94 was a HIT. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n9.92,A,100\n9.94,A,100\n");
    cJSON *r = run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                         "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"max-age=10\","
                         "\"validators\":false}]}"), 0);
    ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
    ck_assert_double_eq(test_num(r, "status", "HIT"), 1);
    ck_assert_double_eq(test_num(r, "status", "EXPIRED"), 1);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    cJSON_Delete(r);
}
END_TEST

START_TEST(belady_is_a_bound_at_every_pop)
{
    /* Two metros, each its own edge (MA -> AAA, MB -> BBB), no shield, 3
     * objects of room at each, nothing expires, one request a second (no
     * two in flight at once), 60 objects of skewed popularity. Each PoP's
     * request stream is fixed whatever the policy (the group draws do not
     * depend on it), and with each request's next access at the same PoP
     * Belady is MIN on that stream: no policy beats it at any PoP. With the
     * next access counted over the whole trace, Belady kept objects whose
     * next request went to the other PoP, and LRU beat it at both. */
    char *trace = malloc(200000);
    strcpy(trace, "time,key,size\n");
    size_t len = strlen(trace);
    unsigned x = 12345;
    for (int i = 0; i < 4000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned u = (x >> 8) % 1000;
        int key = u < 500 ? (int)(u % 6) : (int)(u % 60); /* six hot objects, the rest cold */
        len += (size_t)snprintf(trace + len, 200000 - len, "%d,k%d,100\n", i, key);
    }
    test_put("t.csv", trace);
    free(trace);
    static const char *const policies[] = { "lru", "fifo", "lfu", "arc", "s3fifo", "sieve", "twoq", "belady" };
    double hits[8][2];
    for (int k = 0; k < 8; k++) {
        char scen[1024];
        snprintf(scen, sizeof scen, WORLD("\"cache\":{\"policy\":\"%s\",\"capacity_objects\":3}"), policies[k]);
        cJSON *r = run(scen, 0);
        const cJSON *pops = cJSON_GetObjectItem(r, "pops");
        for (int p = 0; p < 2; p++) {
            const cJSON *po = cJSON_GetArrayItem(pops, p);
            hits[k][p] = test_num(po, "requests", NULL) * test_num(po, "hit_ratio", NULL);
        }
        ck_assert_double_gt(test_num(cJSON_GetArrayItem(pops, 0), "requests", NULL), 1000);
        ck_assert_double_gt(test_num(cJSON_GetArrayItem(pops, 1), "requests", NULL), 1000);
        cJSON_Delete(r);
    }
    for (int k = 0; k < 7; k++)
        for (int p = 0; p < 2; p++)
            ck_assert_msg(hits[7][p] >= hits[k][p] - 1e-6, "PoP %d: belady %g hits, %s %g",
                          p, hits[7][p], policies[k], hits[k][p]);
}
END_TEST

START_TEST(must_revalidate_through_a_shield)
{
    /* RFC 9111 5.2.2.2 / 5.2.2.8: must-revalidate (and proxy-revalidate, at
     * a shared cache) forbid serving a stale copy even when the origin fails,
     * stale-if-error or not. A@0 from MA fills AAA and the shield CCC (fresh
     * until about 5 s). The origin goes down at 10. A@20 at AAA: its copy is
     * stale, so is CCC's; CCC's revalidation is refused. With plain
     * stale-if-error a stale copy answers (STALE); with must-revalidate or
     * proxy-revalidate neither tier may use one: ERROR.
     * Then the same at a new edge (AAA withdrawn at 10, A@20 at BBB, no copy
     * there): only CCC's stale copy could answer, and it may not. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n20,A,100\n");
    static const char *const cc[] = { "max-age=5, stale-if-error=1000",
                                      "max-age=5, must-revalidate, stale-if-error=1000",
                                      "max-age=5, proxy-revalidate, stale-if-error=1000" };
    for (int withdraw = 0; withdraw < 2; withdraw++)
        for (int i = 0; i < 3; i++) {
            char scen[2048];
            snprintf(scen, sizeof scen,
                     WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                           "\"content\":{\"classes\":[{\"share\":1,\"cache_control\":\"%s\"}]},"
                           "\"operations\":[%s{\"at_s\":10,\"origin\":\"down\"}]"),
                     cc[i], withdraw ? "{\"at_s\":10,\"withdraw\":\"AAA\"}," : "");
            cJSON *r = run(scen, 0);
            ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
            ck_assert_msg(test_num(r, "status", "STALE") == (i == 0) && test_num(r, "status", "ERROR") == (i != 0),
                          "%s%s: STALE %g, ERROR %g", cc[i], withdraw ? " (new edge)" : "",
                          test_num(r, "status", "STALE"), test_num(r, "status", "ERROR"));
            cJSON_Delete(r);
        }
}
END_TEST

START_TEST(s_maxage_with_stale_while_revalidate_through_a_shield)
{
    /* s-maxage=10, stale-while-revalidate=30, validators, clients at MA only
     * (AAA, shield CCC). One-way: MA-AAA 9.811 ms, AAA-CCC 22.893, CCC-origin
     * 35.975. A@0 fills both; CCC's copy is fresh until 10.033, AAA's (aged
     * by its own delay) until about 9.94.
     * CDN practice (the default): A@15 finds AAA's copy stale within the
     * window: STALE at once, and a background refresh asks CCC, whose copy is
     * stale too: CCC answers it (a 304: the same version) with its stale
     * copy, still expired at AAA, and refreshes from the origin itself
     * (fresh until 25.03). A@17: AAA still stale: STALE again, and this
     * refresh gets CCC's fresh copy. A@20: HIT. Origin: 2 requests.
     * content.s_maxage_revalidate (RFC 9111 5.2.2.10 to the letter, s-maxage
     * implies proxy-revalidate): no stale copy anywhere; A@15 revalidates
     * through CCC to the origin and waits: REVALIDATED; A@17, A@20 HIT. */
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\n");
    test_put("t.csv", "time,key,size\n0,A,100\n15,A,100\n17,A,100\n20,A,100\n");
    for (int strict = 0; strict < 2; strict++) {
        char scen[2048];
        snprintf(scen, sizeof scen,
                 WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                       "\"content\":{\"s_maxage_revalidate\":%s,\"classes\":[{\"share\":1,"
                       "\"cache_control\":\"s-maxage=10, stale-while-revalidate=30\"}]}"),
                 strict ? "true" : "false");
        cJSON *r = run(scen, 0);
        ck_assert_double_eq(test_num(r, "status", "MISS"), 1);
        ck_assert_double_eq(test_num(r, "status", "STALE"), strict ? 0 : 2);
        ck_assert_double_eq(test_num(r, "status", "REVALIDATED"), strict ? 1 : 0);
        ck_assert_double_eq(test_num(r, "status", "HIT"), strict ? 2 : 1);
        ck_assert_double_eq(test_num(r, "origin", "requests"), 2);
        cJSON_Delete(r);
    }
}
END_TEST

START_TEST(a_shield_queues_and_refuses_edges)
{
    /* Every PoP serves 50 rps with 20 ms of queue. 1,000 rps of uncacheable
     * requests from both metros: each edge passes about 50 rps upstream, so
     * the shield CCC gets about 100 rps and refuses about half; its refusals
     * fail the edges' fetches and reach clients as errors. */
    cJSON *r = run("{\"seed\":3,\"duration_s\":20,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":100,\"rate_rps\":1000,\"dynamic_share\":1},"
                   "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","
                   "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"
                   "\"origin\":{\"lat\":0,\"lon\":63},\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"]},"
                   "\"pop\":{\"capacity_rps\":50,\"max_wait_ms\":20}}", 0);
    const cJSON *pops = cJSON_GetObjectItem(r, "pops");
    double shield_refused = test_num(cJSON_GetArrayItem(pops, 2), "refused", NULL);
    double edge_refused = test_num(cJSON_GetArrayItem(pops, 0), "refused", NULL) +
                          test_num(cJSON_GetArrayItem(pops, 1), "refused", NULL);
    ck_assert_double_eq_tol(shield_refused / 20, 50, 12);     /* about 50 a second */
    ck_assert_double_eq(test_num(r, "status", "ERROR"), edge_refused + shield_refused);
    ck_assert_double_eq_tol(test_num(r, "origin", "requests") / 20, 50, 5);
    cJSON_Delete(r);
}
END_TEST

START_TEST(geo_never_slower_than_anycast)
{
    /* On a generated world, every group's geo PoP is at most as far as its
     * anycast PoP, so with every request a hit (objects=1, no expiry, warm)
     * geo's latency percentiles are never above anycast's. */
    /* the repository's own PoP and metro lists; tests run from the top folder */
    char cwd[512], s[2048];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    double p[2][3];
    const char *modes[] = { "anycast", "geo" };
    for (int m = 0; m < 2; m++) {
        snprintf(s, sizeof s,
                 "{\"seed\":3,\"duration_s\":60,\"warmup_s\":10,"
                 "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":2000},"
                 "\"topology\":{\"pops_file\":\"%s/topologies/pops.csv\","
                 "\"metros_file\":\"%s/topologies/metros.csv\",\"ases\":800},"
                 "\"routing\":{\"mode\":\"%s\"}}", cwd, cwd, modes[m]);
        cJSON *r = run(s, 0);
        p[m][0] = test_num(r, "latency_ms", "p50");
        p[m][1] = test_num(r, "latency_ms", "p90");
        p[m][2] = test_num(r, "latency_ms", "mean");
        cJSON_Delete(r);
    }
    for (int k = 0; k < 3; k++) ck_assert_msg(p[1][k] <= p[0][k] + 1e-9, "geo %g > anycast %g", p[1][k], p[0][k]);

    /* and group by group, on the same world */
    char pops[600], metros[600], err[1024];
    snprintf(pops, sizeof pops, "%s/topologies/pops.csv", cwd);
    snprintf(metros, sizeof metros, "%s/topologies/metros.csv", cwd);
    world_spec_t spec = { .pops_file = pops, .metros_file = metros, .groups_per_metro = 3,
                          .ases = 800, .graph_seed = 1, .route_factor = 2.0, .file = "w.json" };
    world_t *w = world_build(&spec, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    for (int g = 0; g < w->ngroups; g++)
        if (w->groups[g].anycast_pop >= 0)
            ck_assert_int_le(w->groups[g].nearest_oneway, w->groups[g].anycast_oneway);
    world_free(w);
}
END_TEST

START_TEST(overloaded_origin_queues_then_refuses)
{
    /* 1,000 rps of uncacheable requests at an origin serving 200 rps: the
     * queue grows until waits pass 0.5 s, then requests are refused (503).
     * Nothing is lost: every request sent is counted with some status. */
    cJSON *r = run("{\"seed\":2,\"duration_s\":20,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":1000,\"rate_rps\":1000,\"dynamic_share\":1},"
                   "\"origin\":{\"capacity_rps\":200,\"max_wait_ms\":500}}", 0);
    double req = test_num(r, "requests", NULL), sent = test_num(r, "requests_sent", NULL);
    ck_assert_double_eq(req, sent);
    double sum = 0;
    const cJSON *st = cJSON_GetObjectItem(r, "status");
    for (const cJSON *v = st->child; v; v = v->next) sum += v->valuedouble;
    ck_assert_double_eq(sum, req);
    ck_assert_double_eq(test_num(r, "status", "BYPASS") + test_num(r, "status", "ERROR"), req);
    /* served: about 200/s for 20 s; refused: the rest */
    ck_assert_double_gt(test_num(r, "status", "ERROR"), 0.7 * req);
    ck_assert_double_eq(test_num(r, "origin", "errors"), test_num(r, "status", "ERROR"));
    ck_assert_double_gt(test_num(r, "latency_ms", "p90"), 500);   /* queueing shows */
    cJSON_Delete(r);
}
END_TEST

START_TEST(overloaded_pop_refuses_too)
{
    /* The PoP itself serves 100 rps and queues at most 200 ms: of 1,000 rps
     * of hits about 100 rps are served (after up to 200 ms in the queue) and
     * the rest refused at once; hits only, so the origin sees one request. */
    cJSON *r = run("{\"seed\":2,\"duration_s\":20,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":1000},"
                   "\"pop\":{\"capacity_rps\":100,\"max_wait_ms\":200}}", 0);
    double req = test_num(r, "requests", NULL), err = test_num(r, "status", "ERROR");
    ck_assert_double_eq(req, test_num(r, "requests_sent", NULL));
    ck_assert_double_eq_tol(err / req, 0.9, 0.02);
    ck_assert_double_eq(test_num(r, "origin", "requests"), 1);
    const cJSON *pop = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "pops"), 0);
    ck_assert_double_eq(test_num(pop, "refused", NULL), err);
    ck_assert_double_gt(test_num(r, "latency_ms", "p99"), 150);
    cJSON_Delete(r);
}
END_TEST

START_TEST(diurnal_cycle_by_local_time)
{
    /* Amplitude 0.8 around 5 rps at longitude 0: the rate is
     * 5 (1 + 0.8 cos(2 pi (h - 20) / 24)), peak at 20:00, trough at 08:00;
     * over the day the mean stays 5 rps (432,000 requests, sd ~660). The
     * mean of the cosine over the hour from 20:00 is sin(pi/12) / (pi/12) =
     * 0.98862, so the 20:00-21:00 and 08:00-09:00 buckets average
     * 5 (1 +- 0.8 x 0.98862) rps (Poisson sd ~0.05 rps). */
    cJSON *r = run("{\"seed\":4,\"duration_s\":86400,"
                   "\"workload\":{\"type\":\"zipf\",\"objects\":1,\"rate_rps\":5,\"diurnal\":0.8},"
                   "\"stats\":{\"interval_s\":3600}}", 0);
    ck_assert_double_eq_tol(test_num(r, "requests", NULL), 432000, 3000);
    const cJSON *req = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "timeseries"), "requests");
    double peak = cJSON_GetArrayItem(req, 20)->valuedouble / 3600;
    double trough = cJSON_GetArrayItem(req, 8)->valuedouble / 3600;
    ck_assert_double_eq_tol(peak, 5 * (1 + 0.8 * 0.98862), 0.15);
    ck_assert_double_eq_tol(trough, 5 * (1 - 0.8 * 0.98862), 0.15);
    cJSON_Delete(r);
}
END_TEST

START_TEST(bad_topology_references)
{
    test_put("t.csv", "time,key,size\n0,A,1\n");
    run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"ZZZ\"]}"), -2);
    run(WORLD("\"shield\":{\"enabled\":true,\"pops\":[\"CCC\"],\"map\":{\"AAA\":\"BBB\"}}"), -2);
    run("{\"workload\":{\"type\":\"trace\",\"path\":\"t.csv\",\"format\":\"csv\"},"
        "\"topology\":{\"pops_file\":\"pops.csv\",\"metros_file\":\"metros.csv\","
        "\"as_rel_file\":\"graph.txt\",\"as_geo_file\":\"geo.json\"},"
        "\"origin\":{\"location\":\"QQQ\"}}", -2);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("request_path");
    TCase *tc = tcase_create("path");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, test_dir_remove);
    tcase_add_test(tc, cold_tls13_miss_then_hit);
    tcase_add_test(tc, collapsing_across_edges_through_a_shield);
    tcase_add_test(tc, withdrawn_site_moves_its_catchment);
    tcase_add_test(tc, queued_request_stays_at_its_pop);
    tcase_add_test(tc, attack_lands_where_the_bots_routes_lead);
    tcase_add_test(tc, a_shield_copy_arrives_aged);
    tcase_add_test(tc, a_shield_copy_ages_by_the_edges_delay);
    tcase_add_test(tc, belady_is_a_bound_at_every_pop);
    tcase_add_test(tc, must_revalidate_through_a_shield);
    tcase_add_test(tc, s_maxage_with_stale_while_revalidate_through_a_shield);
    tcase_add_test(tc, a_shield_queues_and_refuses_edges);
    tcase_add_test(tc, geo_never_slower_than_anycast);
    tcase_add_test(tc, overloaded_origin_queues_then_refuses);
    tcase_add_test(tc, overloaded_pop_refuses_too);
    tcase_add_test(tc, diurnal_cycle_by_local_time);
    tcase_add_test(tc, bad_topology_references);
    suite_add_tcase(su, tc);
    return test_main(su);
}
