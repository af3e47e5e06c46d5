/* check_world — world_build on a hand-made world whose catchments were worked
 * out on paper, plus a small generated one and the loaders' errors.
 *
 * The hand-made world: three metros on the equator, 10 degrees of longitude
 * apart (1,111.95 km), each with a PoP at its centre:
 *
 *   metro MA (lon 0, weight 3)   PoP AAA   T1 = AS100 tier-1, R = AS300 regional,
 *                                           S3 = AS1003 stub
 *   metro MB (lon 10, weight 1)  PoP BBB   T3 = AS150 transit, S1 = AS1001 stub,
 *                                           S9 = AS1009 stub
 *   metro MC (lon 20, weight 2)  PoP CCC   T2 = AS200 tier-1 (no stub here)
 *
 *   100|200|0   T1 and T2 peer          200|1001|-1 S1's only provider is T2
 *   100|150|-1  T3 buys from T1         100|1003|-1, 200|1003|-1 S3 is dual-homed
 *   100|300|-1  R buys from T1          900|1009|-1 S9 hangs off AS900, cut off
 *                                                   from everything, no geo entry
 *
 * docs/routes.md's rule connects AAA to T1 (transit of MA) and R (MA's
 * regional, IXP peer); BBB to T3; CCC to T2. Client groups: MA gets S3
 * (2 links) and R (1 link, after S3); MB gets S1 and S9 (1 link each, lower
 * ASN first); MC has no stub or regional, so T2 itself is its group. Weights:
 * 3/2, 3/2, 1/2, 1/2, 2 over 6 = 0.25, 0.25, 1/12, 1/12, 1/3.
 *
 * Routes (customer > peer > provider, then length, then hot potato):
 *   T2: customer route from CCC (len 2)            -> CCC
 *   S1: only via T2                                -> CCC, though BBB is at
 *       its own metro: anycast costs it 2 x 1,111.95 km of fiber
 *   S3: T1 offers AAA (len 2), T2 offers CCC (len 2), a tie of class and
 *       length; hot potato from MA picks AAA (0 km)  -> AAA
 *   R:  peer route from the CDN at AAA             -> AAA
 *   S9: no route                                   -> -1
 * Prepending AAA once: T1's customer routes AAA (now 3) and BBB via T3 (3)
 * tie, T1 keeps AAA by hot potato; S3 now hears 4 via T1 and 3 via T2 -> CCC.
 * Withdrawing CCC: T2 has no customer route; its peer T1 exports AAA (len 2),
 * so T2 -> AAA (3) and S1 -> AAA (4). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/net/catchments.h"
#include "models/net/world.h"
#include "tests/testutil.h"

static char err[1024];
static char dir[64];
static char pops_path[128], metros_path[128], rel_path[128], geo_path[128], bad_path[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/check_world.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(pops_path, sizeof pops_path, "%s/pops.csv", dir);
    snprintf(metros_path, sizeof metros_path, "%s/metros.csv", dir);
    snprintf(rel_path, sizeof rel_path, "%s/graph.txt", dir);
    snprintf(geo_path, sizeof geo_path, "%s/geo.json", dir);
    snprintf(bad_path, sizeof bad_path, "%s/bad.csv", dir);
    /* columns out of the usual order: they are found by name */
    write_file(pops_path,
               "# three PoPs on the equator\n"
               "city,iata,country,continent,lon,lat\n"
               "Alpha,AAA,XX,EU,0,0\n"
               "\n"
               "Beta,BBB,XX,EU,10,0\n"
               "Gamma,CCC,XX,EU,20,0\n");
    write_file(metros_path,
               "name,country,continent,lat,lon,weight\n"
               "MA,XX,EU,0,0,3\n"
               "MB,XX,EU,0,10,1\n"
               "MC,XX,EU,0,20,2\n");
    write_file(rel_path,
               "# hand-made\n"
               "100|200|0\n100|150|-1\n100|300|-1\n200|1001|-1\n"
               "100|1003|-1\n200|1003|-1\n900|1009|-1\n");
    write_file(geo_path,
               "{\"metros\": [\"MA\", \"MB\", \"MC\"], \"ases\": [\n"
               "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},\n"
               "{\"asn\": 200, \"tier\": \"tier1\", \"metro\": 2, \"lat\": 0, \"lon\": 20},\n"
               "{\"asn\": 150, \"tier\": \"transit\", \"metro\": 1, \"lat\": 0, \"lon\": 10},\n"
               "{\"asn\": 300, \"tier\": \"regional\", \"metro\": 0, \"lat\": 0, \"lon\": 0},\n"
               "{\"asn\": 1001, \"tier\": \"stub\", \"metro\": 1, \"lat\": 0, \"lon\": 10},\n"
               "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0},\n"
               "{\"asn\": 1009, \"tier\": \"stub\", \"metro\": 1, \"lat\": 0, \"lon\": 10},\n"
               "{\"asn\": 77777, \"tier\": \"stub\", \"metro\": 1}\n"
               "]}\n");
}

static void teardown(void)
{
    unlink(pops_path);
    unlink(metros_path);
    unlink(rel_path);
    unlink(geo_path);
    unlink(bad_path);
    rmdir(dir);
}

static world_spec_t hand_spec(void)
{
    world_spec_t s;
    memset(&s, 0, sizeof s);
    s.pops_file = pops_path;
    s.metros_file = metros_path;
    s.groups_per_metro = 3;
    s.as_rel_file = rel_path;
    s.as_geo_file = geo_path;
    s.route_factor = 2.0;
    s.file = "w.json";
    return s;
}

static world_t *build(const world_spec_t *s)
{
    world_t *w = world_build(s, err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    return w;
}

static const world_group_t *group(const world_t *w, uint32_t asn)
{
    for (int i = 0; i < w->ngroups; i++)
        if (w->groups[i].asn == asn) return &w->groups[i];
    ck_abort_msg("no group for AS%u", asn);
    return NULL;
}

/* The PoP id a group lands on under anycast, or "-". */
static const char *anycast(const world_t *w, uint32_t asn)
{
    int p = group(w, asn)->anycast_pop;
    return p < 0 ? "-" : w->pops[p].id;
}

static const char *nearest(const world_t *w, uint32_t asn)
{
    return w->pops[group(w, asn)->nearest_pop].id;
}

START_TEST(hand_catchments)
{
    world_spec_t s = hand_spec();
    world_t *w = build(&s);
    ck_assert_int_eq(w->npops, 3);
    ck_assert_int_eq(w->ases, 8);
    ck_assert_int_eq(w->links, 7);
    ck_assert_int_eq(world_pop_index(w, "BBB"), 1);
    ck_assert_int_eq(world_pop_index(w, "ZZZ"), -1);
    ck_assert_str_eq(w->pops[0].city, "Alpha");

    /* groups in metro order, most links first, then lowest ASN */
    ck_assert_int_eq(w->ngroups, 5);
    static const uint32_t order[] = { 1003, 300, 1001, 1009, 200 };
    static const double weight[] = { 0.25, 0.25, 1.0 / 12, 1.0 / 12, 1.0 / 3 };
    double sum = 0;
    for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(w->groups[i].asn, order[i]);
        ck_assert_double_eq_tol(w->groups[i].weight, weight[i], 1e-12);
        sum += w->groups[i].weight;
    }
    ck_assert_double_eq_tol(sum, 1.0, 1e-12);
    ck_assert_str_eq(w->groups[0].name, "MA/AS1003");
    ck_assert_str_eq(w->groups[4].name, "MC/AS200");
    ck_assert_str_eq(w->groups[2].continent, "EU");

    /* S1's only provider buys transit near the far PoP */
    ck_assert_str_eq(anycast(w, 1001), "CCC");
    ck_assert_str_eq(nearest(w, 1001), "BBB");
    const world_group_t *g = group(w, 1001);
    /* 1,111.95 km x 2 / 204,000 km/s = 10.90 ms */
    ck_assert_int_eq(g->nearest_oneway, 0);
    ck_assert_int_eq(g->anycast_oneway, world_oneway(w, g->point, w->pops[2].point));
    ck_assert_msg(llabs(g->anycast_oneway - 10901470) < 1000, "%lld", (long long)g->anycast_oneway);
    ck_assert_int_eq(g->as_path_len, 3); /* 1001 200 CDN */

    ck_assert_str_eq(anycast(w, 1003), "AAA");  /* the tie, hot potato */
    ck_assert_str_eq(anycast(w, 300), "AAA");   /* IXP peer */
    ck_assert_int_eq(group(w, 300)->as_path_len, 2);
    ck_assert_str_eq(anycast(w, 200), "CCC");
    ck_assert_str_eq(anycast(w, 1009), "-");    /* no route */
    ck_assert_str_eq(nearest(w, 1009), "BBB");
    ck_assert_int_eq(group(w, 1009)->as_path_len, 0);
    for (int i = 0; i < w->npops; i++) ck_assert(w->pops[i].announced);
    world_free(w);
}
END_TEST

START_TEST(prepend_shifts_tie)
{
    world_spec_t s = hand_spec();
    site_spec_t sites[] = { { .id = "AAA", .prepend = 1 } };
    s.sites = sites;
    s.nsites = 1;
    world_t *w = build(&s);
    ck_assert_str_eq(anycast(w, 1003), "CCC");
    ck_assert_int_eq(group(w, 1003)->as_path_len, 3);  /* 1003 200 CDN, prepends not counted */
    ck_assert_str_eq(anycast(w, 300), "AAA");          /* a peer route still beats a provider's */
    ck_assert_str_eq(anycast(w, 1001), "CCC");
    world_free(w);
}
END_TEST

START_TEST(withdraw_moves_groups)
{
    world_spec_t s = hand_spec();
    site_spec_t sites[] = { { .id = "CCC", .withdrawn = true } };
    s.sites = sites;
    s.nsites = 1;
    world_t *w = build(&s);
    ck_assert(!w->pops[2].announced);
    ck_assert_str_eq(anycast(w, 1001), "AAA");
    ck_assert_int_eq(group(w, 1001)->as_path_len, 4);  /* 1001 200 100 CDN */
    ck_assert_str_eq(anycast(w, 200), "AAA");
    ck_assert_str_eq(anycast(w, 1003), "AAA");
    /* the nearest PoP is among announced ones only */
    ck_assert_str_eq(nearest(w, 200), "BBB");
    ck_assert_str_eq(nearest(w, 1001), "BBB");
    world_free(w);
}
END_TEST

/* topology.sites[].transit / .peers, worked on the hand-made world.
 * BBB peering with S1 only (AS1001; its automatic transit T3 is dropped):
 * S1 now hears a peer route straight from BBB (1001 CDN, len 2), which
 * beats its provider T2's CCC (customer > peer > provider is from S1's
 * side: a peer route beats a provider route) -> BBB. Nobody else hears BBB:
 * T1's customer T3 no longer reaches it, and S1 exports a peer route to no
 * one but its customers (none).
 * CCC buying transit from T1 instead of T2: T2 has no customer route left;
 * its peer T1 has two customer routes of length 2 (AAA, CCC) and keeps AAA
 * by hot potato (T1 sits at MA, lon 0), which it exports to T2. So S1 and
 * T2 land on AAA: S1's path is 1001 200 100 CDN. An ASN not in the graph is
 * bad input naming the list and the entry. */
START_TEST(site_links)
{
    world_spec_t s = hand_spec();
    uint32_t s1[] = { 1001 };
    site_spec_t peer[] = { { .id = "BBB", .own_links = true, .transit = NULL, .ntransit = 0, .peers = s1, .npeers = 1 } };
    s.sites = peer;
    s.nsites = 1;
    world_t *w = build(&s);
    ck_assert_str_eq(anycast(w, 1001), "BBB");
    ck_assert_int_eq(group(w, 1001)->as_path_len, 2);
    ck_assert_str_eq(anycast(w, 200), "CCC");
    ck_assert_str_eq(anycast(w, 1003), "AAA");
    ck_assert_str_eq(anycast(w, 300), "AAA");
    /* the report names the path */
    cJSON *j = catchments_json(w, true);
    const cJSON *gj;
    int seen = 0;
    cJSON_ArrayForEach(gj, cJSON_GetObjectItem(j, "groups")) {
        if (cJSON_GetObjectItem(gj, "asn")->valuedouble != 1001) continue;
        const cJSON *path = cJSON_GetObjectItem(gj, "as_path");
        ck_assert_int_eq(cJSON_GetArraySize(path), 2);
        ck_assert_double_eq(cJSON_GetArrayItem(path, 0)->valuedouble, 1001);
        ck_assert_double_eq(cJSON_GetArrayItem(path, 1)->valuedouble, 4200000001.0);
        seen++;
    }
    ck_assert_int_eq(seen, 1);
    cJSON_Delete(j);
    world_free(w);

    uint32_t t1[] = { 100 };
    site_spec_t transit[] = { { .id = "CCC", .own_links = true, .transit = t1, .ntransit = 1, .peers = NULL, .npeers = 0 } };
    s.sites = transit;
    w = build(&s);
    ck_assert_str_eq(anycast(w, 1001), "AAA");
    ck_assert_str_eq(anycast(w, 200), "AAA");
    ck_assert_int_eq(group(w, 1001)->as_path_len, 4);   /* 1001 200 100 CDN */
    j = catchments_json(w, true);
    cJSON_ArrayForEach(gj, cJSON_GetObjectItem(j, "groups")) {
        if (cJSON_GetObjectItem(gj, "asn")->valuedouble != 1001) continue;
        const cJSON *path = cJSON_GetObjectItem(gj, "as_path");
        static const double want[] = { 1001, 200, 100, 4200000001.0 };
        ck_assert_int_eq(cJSON_GetArraySize(path), 4);
        for (int i = 0; i < 4; i++) ck_assert_double_eq(cJSON_GetArrayItem(path, i)->valuedouble, want[i]);
    }
    cJSON_Delete(j);
    world_free(w);

    uint32_t bad[] = { 100, 4242 };
    site_spec_t unknown[] = { { .id = "CCC", .own_links = true, .transit = NULL, .ntransit = 0, .peers = bad, .npeers = 2 } };
    s.sites = unknown;
    ck_assert_ptr_null(world_build(&s, err, sizeof err));
    ck_assert_msg(strstr(err, "w.json: $.topology.sites[0].peers[1]: AS4242 is not in the AS graph"), "%s", err);
    site_spec_t none[] = { { .id = "CCC", .own_links = true, .transit = NULL, .ntransit = 0, .peers = NULL, .npeers = 0 } };
    s.sites = none;
    ck_assert_ptr_null(world_build(&s, err, sizeof err));
    ck_assert_msg(strstr(err, "$.topology.sites[0]: transit and peers are both empty"), "%s", err);
}
END_TEST

START_TEST(pop_selection)
{
    world_spec_t s = hand_spec();
    char *ids[] = { "CCC", "AAA" };
    s.pops = ids;
    s.npops = 2;
    world_t *w = build(&s);
    ck_assert_int_eq(w->npops, 2);
    ck_assert_str_eq(w->pops[0].id, "CCC");
    /* without BBB, S1 still goes to CCC; S3 keeps AAA, now site 1 */
    ck_assert_str_eq(anycast(w, 1001), "CCC");
    ck_assert_str_eq(anycast(w, 1003), "AAA");
    ck_assert_int_eq(group(w, 1003)->anycast_pop, 1);
    ck_assert_str_eq(nearest(w, 1003), "AAA");
    world_free(w);
}
END_TEST

START_TEST(max_metros_keeps_heaviest)
{
    world_spec_t s = hand_spec();
    s.max_metros = 2;      /* MA (3) and MC (2) */
    s.groups_per_metro = 1;
    world_t *w = build(&s);
    ck_assert_int_eq(w->ngroups, 2);
    ck_assert_uint_eq(w->groups[0].asn, 1003);
    ck_assert_uint_eq(w->groups[1].asn, 200);
    ck_assert_double_eq_tol(w->groups[0].weight, 0.6, 1e-12);
    ck_assert_double_eq_tol(w->groups[1].weight, 0.4, 1e-12);
    world_free(w);
}
END_TEST

/* The report over the hand-made world: only S1 (1/12 of traffic) is off its
 * nearest PoP, by 2 x 10.90 ms; S9 (1/12) has no route, so the routed
 * traffic is 11/12. Extra RTTs sorted: 0 (S3 .25, R .25, T2 1/3: 0.833
 * cumulative, past 0.9 x 11/12 = 0.825), then 21.8 (S1): p90 is 0. */
START_TEST(report_figures)
{
    world_spec_t s = hand_spec();
    world_t *w = build(&s);
    catchments_summary_t sum;
    ck_assert_int_eq(catchments_summarise(w, NULL, &sum), 0);
    double x = 2 * simtime_to_ms(group(w, 1001)->anycast_oneway);
    ck_assert_double_eq_tol(catchments_extra_ms(group(w, 1001)), x, 1e-9);
    ck_assert_double_eq_tol(x, 21.803, 0.001);
    ck_assert_int_eq(sum.groups, 5);
    ck_assert_int_eq(sum.routed, 4);
    ck_assert_int_eq(sum.unrouted, 1);
    ck_assert_int_eq(sum.not_nearest, 1);
    ck_assert_double_eq_tol(sum.routed_w, 11.0 / 12, 1e-12);
    ck_assert_double_eq_tol(sum.unrouted_w, 1.0 / 12, 1e-12);
    ck_assert_double_eq_tol(sum.not_nearest_share, 1.0 / 11, 1e-12);
    ck_assert_double_eq_tol(sum.extra_mean_ms, x / 11, 1e-9);
    ck_assert_double_eq_tol(sum.extra_p90_ms, 0, 1e-12);
    ck_assert_double_eq_tol(sum.extra_max_ms, x, 1e-9);
    ck_assert_double_eq_tol(sum.nearest_rtt_mean_ms, 0, 1e-12);
    ck_assert_int_eq(catchments_summarise(w, "NA", &sum), 0);
    ck_assert_int_eq(sum.groups, 0);

    catchments_load_t load[3];
    catchments_loads(w, load);
    ck_assert_int_eq(load[0].anycast_groups, 2);          /* AAA: S3, R */
    ck_assert_double_eq_tol(load[0].anycast_weight, 0.5, 1e-12);
    ck_assert_int_eq(load[1].anycast_groups, 0);          /* BBB attracts nobody */
    ck_assert_int_eq(load[1].geo_groups, 2);              /* ... though S1 and S9 are there */
    ck_assert_double_eq_tol(load[1].geo_weight, 1.0 / 6, 1e-12);
    ck_assert_int_eq(load[2].anycast_groups, 2);          /* CCC: S1, T2 */
    ck_assert_double_eq_tol(load[2].anycast_weight, 1.0 / 12 + 1.0 / 3, 1e-12);
    ck_assert_int_eq(load[2].geo_groups, 1);

    cJSON *j = catchments_json(w, true);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "groups")), 5);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "pops")), 3);
    const cJSON *eu = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "continents"), "EU");
    ck_assert_int_eq(cJSON_GetObjectItem(eu, "not_nearest_groups")->valueint, 1);
    cJSON_Delete(j);
    world_free(w);
}
END_TEST

static void expect_error(const world_spec_t *s, const char *part)
{
    world_t *w = world_build(s, err, sizeof err);
    ck_assert_msg(w == NULL, "built a world; expected an error with '%s'", part);
    ck_assert_msg(strstr(err, part) != NULL, "'%s' does not contain '%s'", err, part);
}

START_TEST(errors)
{
    world_spec_t s = hand_spec();
    char *ids[] = { "AAA", "XYZ" };
    s.pops = ids;
    s.npops = 2;
    expect_error(&s, "w.json: $.topology.pops[1]: unknown PoP 'XYZ'");
    char *twice[] = { "AAA", "AAA" };
    s.pops = twice;
    expect_error(&s, "w.json: $.topology.pops[1]: PoP 'AAA' listed twice");

    s = hand_spec();
    site_spec_t sites[] = { { .id = "BBB", .withdrawn = true }, { .id = "QQQ" } };
    s.sites = sites;
    s.nsites = 2;
    expect_error(&s, "w.json: $.topology.sites[1].id: unknown PoP 'QQQ'");
    site_spec_t all[] = { { .id = "AAA", .withdrawn = true }, { .id = "BBB", .withdrawn = true }, { .id = "CCC", .withdrawn = true } };
    s.sites = all;
    s.nsites = 3;
    expect_error(&s, "$.topology.sites: every PoP is withdrawn");

    s = hand_spec();
    s.route_factor = 0.5;
    expect_error(&s, "$.topology.route_factor");

    s = hand_spec();
    s.as_geo_file = NULL;
    expect_error(&s, "$.topology.as_geo_file");

    /* malformed PoP files name the file and the line */
    char want[256];
    s = hand_spec();
    s.pops_file = bad_path;
    static const struct { const char *text; int line; const char *what; } bad[] = {
        { "iata,city,country,continent,lat,lon\nAAA,A,X,EU,0,0\nBBB,B,X,EU,north,0\n", 3, "lat and lon" },
        { "iata,city,country,continent,lat,lon\nAAA,A,X,EU,91,0\n", 2, "lat and lon" },
        { "# c\niata,city,country,continent,lat,lon\nAAA,A,X,XX,0,0\n", 3, "continent" },
        { "iata,city,country,continent,lat,lon\nAAA,A,X,EU,0\n", 2, "fields" },
        { "iata,city,country,continent,lat,lon\nAAA,A,X,EU,0,0\nAAA,B,X,EU,1,1\n", 3, "twice" },
        { "iata,city,country,continent,lat,lon\n,A,X,EU,0,0\n", 2, "iata" },
        { "code,city,country,continent,lat,lon\nAAA,A,X,EU,0,0\n", 1, "'iata' column" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(bad_path, bad[i].text);
        snprintf(want, sizeof want, "%s:%d: ", bad_path, bad[i].line);
        expect_error(&s, want);
        expect_error(&s, bad[i].what);
    }
    write_file(bad_path, "# nothing\n");
    expect_error(&s, "no header");
    s.pops_file = "/nonexistent/pops.csv";
    expect_error(&s, "$.topology.pops_file: /nonexistent/pops.csv: cannot open");

    /* a broken geo file names the JSON path */
    s = hand_spec();
    s.as_geo_file = bad_path;
    write_file(bad_path, "{\"metros\": [\"MA\"], \"ases\": [{\"asn\": 100, \"metro\": 5}]}");
    expect_error(&s, "$.ases[0].metro");
    write_file(bad_path, "{\"metros\": [\"MA\"], \"ases\": [{\"asn\": 100, \"tier\": \"huge\"}]}");
    expect_error(&s, "$.ases[0].tier");
    write_file(bad_path, "[1, 2");
    expect_error(&s, "line 1, column 5: malformed JSON"); /* where, like any JSON input */
    write_file(bad_path, "[1, 2]");
    expect_error(&s, "$: expected an object");
}
END_TEST

/* A small generated world: the invariants of world.h, and determinism. */
START_TEST(generated)
{
    world_spec_t s = hand_spec();
    s.as_rel_file = s.as_geo_file = NULL;
    s.ases = 400;
    s.graph_seed = 7;
    world_t *a = build(&s), *b = build(&s);
    ck_assert_int_eq(a->ases, 400);
    ck_assert_int_eq(a->ngroups, 9);
    ck_assert_int_eq(a->ngroups, b->ngroups);
    double sum = 0;
    for (int i = 0; i < a->ngroups; i++) {
        const world_group_t *g = &a->groups[i];
        sum += g->weight;
        ck_assert_int_ge(g->nearest_pop, 0);
        ck_assert_int_ge(g->anycast_pop, 0);  /* the generated graph is connected */
        ck_assert_int_ge(g->anycast_oneway, g->nearest_oneway);
        ck_assert_int_ge(g->as_path_len, 2);
        ck_assert_mem_eq(g, &b->groups[i], sizeof *g);
    }
    ck_assert_double_eq_tol(sum, 1.0, 1e-12);
    world_free(a);
    world_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("world");
    TCase *tc = tcase_create("build");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, hand_catchments);
    tcase_add_test(tc, prepend_shifts_tie);
    tcase_add_test(tc, withdraw_moves_groups);
    tcase_add_test(tc, site_links);
    tcase_add_test(tc, pop_selection);
    tcase_add_test(tc, max_metros_keeps_heaviest);
    tcase_add_test(tc, report_figures);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, generated);
    suite_add_tcase(s, tc);
    return test_main(s);
}
