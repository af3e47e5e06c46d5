/* check_bgp — route selection on small graphs worked by hand.
 *
 * Each graph is an as-rel text; `a|b|-1` makes a a provider of b. The
 * expected routes were worked out on paper from the policy: customer over
 * peer over provider, then the shortest path, then the lowest next-hop ASN,
 * exporting only own and customer routes to peers and providers. Every
 * computation is also checked by bgp_check (each AS holds the best of what
 * its neighbours export to it: a stable BGP state). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/net/asgraph.h"
#include "models/net/bgp.h"
#include "models/net/topogen.h"
#include "tests/testutil.h"

static char err[1024];

static asg_t *graph(const char *text)
{
    asg_t *g = asg_parse_asrel(text, strlen(text), "test", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    return g;
}

static bgp_t *routes(const asg_t *g, const char *origins)
{
    bgp_t *b = bgp_create(g);
    ck_assert_ptr_nonnull(b);
    for (const char *p = origins; *p;) {
        char *end;
        unsigned long asn = strtoul(p, &end, 10);
        ck_assert_msg(bgp_announce(b, asg_index(g, (uint32_t)asn), 0, err, sizeof err) == 0, "%s", err);
        p = *end ? end + 1 : end;
    }
    return b;
}

static void compute(bgp_t *b)
{
    ck_assert_msg(bgp_compute(b, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(bgp_check(b, err, sizeof err) == 0, "%s", err);
}

/* The route of `asn` as "rel: a b c" ("none" when unreachable). */
static const char *shown(const bgp_t *b, const asg_t *g, uint32_t asn)
{
    static char s[256];
    int v = asg_index(g, asn);
    ck_assert_int_ge(v, 0);
    bgp_route_t r = bgp_route(b, v);
    if (r.rel == BGP_REL_NONE) return "none";
    uint32_t path[32];
    int k = bgp_path(b, v, path, 32);
    int n = snprintf(s, sizeof s, "%s:", bgp_rel_name(r.rel));
    for (int i = 0; i < k && i < 32; i++) n += snprintf(s + n, sizeof s - (size_t)n, " %u", path[i]);
    return s;
}

#define EXPECT(b, g, asn, want) ck_assert_str_eq(shown((b), (g), (asn)), (want))

START_TEST(customer_beats_peer_beats_provider)
{
    /* 10 hears: a customer route of 4 hops (via 20, 30), a peer route of 3
     * (via 40) and a provider route of 3 (via 50). Class wins over length. */
    asg_t *g = graph("10|20|-1\n20|30|-1\n30|1|-1\n10|40|0\n40|1|-1\n50|10|-1\n50|1|-1\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 1, "origin: 1");
    EXPECT(b, g, 10, "customer: 10 20 30 1");
    EXPECT(b, g, 40, "customer: 40 1");
    EXPECT(b, g, 50, "customer: 50 1");
    bgp_free(b);
    asg_free(g);
    /* without the customer chain the peer route wins over the provider one */
    g = graph("10|40|0\n40|1|-1\n50|10|-1\n50|1|-1\n");
    b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 10, "peer: 10 40 1");
    bgp_free(b);
    asg_free(g);
    /* and with neither, the provider route */
    g = graph("50|10|-1\n50|1|-1\n");
    b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 10, "provider: 10 50 1");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(shortest_path_within_a_class)
{
    /* two customer routes: via 20 (10 20 21 1) and via 30 (10 30 1) */
    asg_t *g = graph("10|20|-1\n20|21|-1\n21|1|-1\n10|30|-1\n30|1|-1\n"
                     /* two provider routes at 60: via 61 (longer) and 62 */
                     "61|60|-1\n62|60|-1\n61|63|-1\n63|64|-1\n64|1|-1\n62|1|-1\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 10, "customer: 10 30 1");
    EXPECT(b, g, 60, "provider: 60 62 1");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(lowest_next_hop_breaks_ties)
{
    /* 10 has equal customer routes via 7 and via 3: 3 wins, though 7 comes
     * first in the file. The same in the peer class (at 11, via 9 or 8) and
     * the provider class (at 12, via 31 or 30). */
    asg_t *g = graph("10|7|-1\n10|3|-1\n7|1|-1\n3|1|-1\n"
                     "11|9|0\n11|8|0\n9|1|-1\n8|1|-1\n"
                     "31|12|-1\n30|12|-1\n31|1|-1\n30|1|-1\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 10, "customer: 10 3 1");
    EXPECT(b, g, 11, "peer: 11 8 1");
    EXPECT(b, g, 12, "provider: 12 30 1");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(tie_break_uses_the_neighbour_not_the_origin)
{
    /* 10 has equal routes via 5 (to origin 9) and via 6 (to origin 2): the
     * next hop decides (5), even though origin 2 is the lower ASN. And a
     * tie resolved lower down is inherited: 20 takes its provider 10's
     * route whatever 10 chose. */
    asg_t *g = graph("10|5|-1\n10|6|-1\n5|9|-1\n6|2|-1\n10|20|-1\n");
    bgp_t *b = routes(g, "9,2");
    compute(b);
    EXPECT(b, g, 10, "customer: 10 5 9");
    EXPECT(b, g, 20, "provider: 20 10 5 9");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(valley_free_export)
{
    /* origin 1, provider 2. 2 exports its customer route to peer 3 and to
     * provider 9; 3 exports its peer route to its customer 10 but not to its
     * peer 4 (4 is unreachable). 6, a customer of 2, gets a provider route
     * and exports it neither to its provider 7 nor to its peer 8. */
    asg_t *g = graph("2|1|-1\n2|3|0\n3|4|0\n9|2|-1\n3|10|-1\n2|6|-1\n7|6|-1\n6|8|0\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 2, "customer: 2 1");
    EXPECT(b, g, 3, "peer: 3 2 1");
    EXPECT(b, g, 9, "customer: 9 2 1");
    EXPECT(b, g, 10, "provider: 10 3 2 1");
    EXPECT(b, g, 4, "none");
    EXPECT(b, g, 6, "provider: 6 2 1");
    EXPECT(b, g, 7, "none");
    EXPECT(b, g, 8, "none");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(peer_route_not_passed_up)
{
    /* 5 learns a peer route from 4; its provider 6 must not hear it, and
     * takes the longer route through its own provider instead. */
    asg_t *g = graph("4|1|-1\n4|5|0\n6|5|-1\n7|6|-1\n7|8|-1\n8|1|-1\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 5, "peer: 5 4 1");
    EXPECT(b, g, 6, "provider: 6 7 8 1");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(loop_prevention)
{
    /* 3 and 4 are peers and both providers of 2 (customer of nobody else);
     * origin 1 sits under 3 only. 4 must take the peer route 4 3 1, never a
     * route back through 2; 2 takes the provider route via 3 (shorter than
     * via 4) and no path repeats an AS. */
    asg_t *g = graph("3|1|-1\n3|2|-1\n4|2|-1\n3|4|0\n5|4|-1\n");
    bgp_t *b = routes(g, "1");
    compute(b);
    EXPECT(b, g, 4, "peer: 4 3 1");
    EXPECT(b, g, 2, "provider: 2 3 1");
    EXPECT(b, g, 5, "none");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(several_origins)
{
    /* anycast from 1 and 5: each AS goes to the better route, not the
     * nearer origin by hop count alone */
    asg_t *g = graph("10|1|-1\n20|5|-1\n10|20|0\n30|10|-1\n30|20|-1\n20|40|-1\n");
    bgp_t *b = routes(g, "1,5");
    compute(b);
    EXPECT(b, g, 1, "origin: 1");
    EXPECT(b, g, 5, "origin: 5");
    EXPECT(b, g, 10, "customer: 10 1");
    EXPECT(b, g, 20, "customer: 20 5");
    EXPECT(b, g, 30, "customer: 30 10 1");
    EXPECT(b, g, 40, "provider: 40 20 5");
    ck_assert_uint_eq(bgp_asn_of(b, bgp_route(b, asg_index(g, 40)).origin), 5);
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(origin_keeps_its_own_route)
{
    /* 2 originates and is also a customer of 3 that reaches origin 1: it
     * keeps its own route, and so does 1 */
    asg_t *g = graph("3|2|-1\n3|1|-1\n2|1|-1\n");
    bgp_t *b = routes(g, "1,2");
    compute(b);
    EXPECT(b, g, 2, "origin: 2");
    EXPECT(b, g, 1, "origin: 1");
    EXPECT(b, g, 3, "customer: 3 1");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(unreachable_ases)
{
    asg_t *g = graph("1|2|-1\n3|4|0\n5|6|-1\n");
    bgp_t *b = routes(g, "2");
    compute(b);
    EXPECT(b, g, 1, "customer: 1 2");
    EXPECT(b, g, 3, "none");
    EXPECT(b, g, 6, "none");
    bgp_route_t r = bgp_route(b, asg_index(g, 4));
    ck_assert_int_eq(r.rel, BGP_REL_NONE);
    ck_assert_int_eq(bgp_path(b, asg_index(g, 4), NULL, 0), 0);
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(prepending_and_withdraw)
{
    /* 10 is the provider of both origins 1 and 5: a tie, 1 wins on ASN.
     * Prepending twice at 1 makes 5 shorter; withdrawing 5 brings 1 back;
     * withdrawing everything leaves no routes. */
    asg_t *g = graph("10|1|-1\n10|5|-1\n20|10|-1\n");
    bgp_t *b = routes(g, "1,5");
    compute(b);
    EXPECT(b, g, 10, "customer: 10 1");
    EXPECT(b, g, 20, "customer: 20 10 1");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 20)).len, 3);

    ck_assert_int_eq(bgp_announce(b, asg_index(g, 1), 2, err, sizeof err), 0);
    compute(b);
    EXPECT(b, g, 10, "customer: 10 5");
    EXPECT(b, g, 1, "origin: 1");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 1)).len, 3);   /* 1 1 1 */
    ck_assert_int_eq(bgp_route(b, asg_index(g, 20)).len, 3);  /* 20 10 5 */

    ck_assert_int_eq(bgp_withdraw(b, asg_index(g, 5)), 0);
    compute(b);
    EXPECT(b, g, 10, "customer: 10 1");
    EXPECT(b, g, 5, "provider: 5 10 1");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 20)).len, 5);  /* 20 10 1 1 1 */
    ck_assert_int_eq(bgp_withdraw(b, asg_index(g, 5)), -1);   /* not announced */

    bgp_withdraw_all(b);
    compute(b);
    EXPECT(b, g, 10, "none");
    EXPECT(b, g, 1, "none");
    ck_assert_int_ne(bgp_announce(b, asg_index(g, 1), 999, err, sizeof err), 0);
    bgp_free(b);
    asg_free(g);
}
END_TEST

/* The CDN 64500 is outside the graph, with a site in New York (connected
 * to transit 10, which it buys) and one in London (transit 20 and IXP peer
 * 30). 40 is a customer of both 10 and 20 and sits in London. */
static asg_t *cdn_graph(void)
{
    return graph("10|40|-1\n20|40|-1\n30|41|-1\n50|10|-1\n10|20|0\n");
}

static bgp_t *cdn(const asg_t *g, int *ny, int *ldn)
{
    bgp_t *b = bgp_create(g);
    ck_assert_int_eq(bgp_cdn_asn(b, 64500, err, sizeof err), 0);
    geo_point_t nyc = { 40.71, -74.01 }, london = { 51.51, -0.13 };
    *ny = bgp_site_add(b, "JFK", nyc, err, sizeof err);
    *ldn = bgp_site_add(b, "LHR", london, err, sizeof err);
    ck_assert_int_eq(*ny, 0);
    ck_assert_int_eq(*ldn, 1);
    ck_assert_int_eq(bgp_site_connect(b, *ny, asg_index(g, 10), BGP_REL_PROVIDER, err, sizeof err), 0);
    ck_assert_int_eq(bgp_site_connect(b, *ldn, asg_index(g, 20), BGP_REL_PROVIDER, err, sizeof err), 0);
    ck_assert_int_eq(bgp_site_connect(b, *ldn, asg_index(g, 30), BGP_REL_PEER, err, sizeof err), 0);
    bgp_set_point(b, asg_index(g, 40), london);
    return b;
}

START_TEST(cdn_sites_and_catchments)
{
    asg_t *g = cdn_graph();
    int ny, ldn;
    bgp_t *b = cdn(g, &ny, &ldn);
    ck_assert_int_ne(bgp_cdn_asn(b, 10, err, sizeof err), 0);   /* 10 is in the graph */
    ck_assert_int_ne(bgp_site_connect(b, ny, asg_index(g, 10), BGP_REL_PROVIDER, err, sizeof err), 0);
    compute(b);
    EXPECT(b, g, 10, "customer: 10 64500");
    EXPECT(b, g, 20, "customer: 20 64500");
    EXPECT(b, g, 30, "peer: 30 64500");
    EXPECT(b, g, 41, "provider: 41 30 64500");
    EXPECT(b, g, 50, "customer: 50 10 64500");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 10)).site, ny);
    ck_assert_int_eq(bgp_route(b, asg_index(g, 41)).site, ldn);
    ck_assert_int_eq(bgp_route(b, asg_index(g, 10)).next_hop, BGP_CDN);
    /* 40 hears equal provider routes from 10 (New York) and 20 (London):
     * the ASN rule picks 10, hot potato picks London, where 40 is */
    EXPECT(b, g, 40, "provider: 40 10 64500");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 40)).site, ny);
    bgp_set_tiebreak(b, BGP_TIE_HOT_POTATO);
    compute(b);
    EXPECT(b, g, 40, "provider: 40 20 64500");
    ck_assert_int_eq(bgp_route(b, asg_index(g, 40)).site, ldn);
    /* prepending at London moves 40 to New York despite hot potato */
    ck_assert_int_eq(bgp_site_prepend(b, ldn, 1, err, sizeof err), 0);
    compute(b);
    ck_assert_int_eq(bgp_route(b, asg_index(g, 40)).site, ny);
    EXPECT(b, g, 20, "customer: 20 64500");   /* its only route, longer now */
    ck_assert_int_eq(bgp_route(b, asg_index(g, 20)).len, 3);
    /* what anycast costs 40 (in London, sent to New York by the prepend) */
    geo_fiber_t f = geo_fiber_default();
    bgp_catchment_t c;
    ck_assert_int_eq(bgp_catchment(b, asg_index(g, 40), &f, &c), 0);
    ck_assert_int_eq(c.anycast_site, ny);
    ck_assert_int_eq(c.nearest_site, ldn);
    ck_assert_int_eq(c.nearest_ns, 0);   /* 40 sits at the London site */
    ck_assert_int_eq(c.anycast_ns, geo_point_latency_ns(&f, bgp_site_point(b, ldn),
                                                        bgp_site_point(b, ny), 0));
    ck_assert_int_eq(bgp_catchment(b, asg_index(g, 10), &f, &c), -1);  /* no location */
    /* withdrawing New York sends everyone to London */
    ck_assert_int_eq(bgp_site_announce(b, ny, false, err, sizeof err), 0);
    compute(b);
    EXPECT(b, g, 10, "peer: 10 20 64500");
    EXPECT(b, g, 40, "provider: 40 20 64500");
    EXPECT(b, g, 50, "none");   /* 10's peer route is not exported up */
    ck_assert_int_eq(bgp_site_announce(b, ny, true, err, sizeof err), 0);
    compute(b);
    EXPECT(b, g, 50, "customer: 50 10 64500");
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(one_neighbour_at_two_sites)
{
    /* 10 connects to the CDN in both cities: equal routes from the same
     * neighbour AS, so 10 picks the site nearer to itself (Paris: London) */
    asg_t *g = graph("10|11|-1\n");
    bgp_t *b = bgp_create(g);
    ck_assert_int_eq(bgp_cdn_asn(b, 64500, err, sizeof err), 0);
    int ny = bgp_site_add(b, "JFK", (geo_point_t){ 40.71, -74.01 }, err, sizeof err);
    int ldn = bgp_site_add(b, "LHR", (geo_point_t){ 51.51, -0.13 }, err, sizeof err);
    ck_assert_int_eq(bgp_site_connect(b, ny, asg_index(g, 10), BGP_REL_PROVIDER, err, sizeof err), 0);
    ck_assert_int_eq(bgp_site_connect(b, ldn, asg_index(g, 10), BGP_REL_PROVIDER, err, sizeof err), 0);
    bgp_set_point(b, asg_index(g, 10), (geo_point_t){ 48.86, 2.35 });
    compute(b);
    ck_assert_int_eq(bgp_route(b, asg_index(g, 10)).site, ldn);
    ck_assert_int_eq(bgp_route(b, asg_index(g, 11)).site, ldn);
    ck_assert_str_eq(bgp_site_name(b, ldn), "LHR");
    ck_assert_int_eq(bgp_site_count(b), 2);
    bgp_free(b);
    asg_free(g);
}
END_TEST

START_TEST(generated_graph_is_stable)
{
    /* a generated Internet-like graph: every route is the best its AS is
     * offered (bgp_check), and no path repeats an AS */
    topogen_params_t p = { 3000, 0, 7, NULL, 0 };
    topogen_t *t = topogen_generate(&p, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    char *text = topogen_asrel(t);
    asg_t *g = graph(text);
    free(text);
    bgp_t *b = bgp_create(g);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(bgp_announce(b, (i * 7919) % asg_node_count(g), i % 3, err, sizeof err), 0);
    compute(b);
    int n = asg_node_count(g), reached = 0;
    uint32_t path[64];
    for (int v = 0; v < n; v++) {
        int k = bgp_path(b, v, path, 64);
        ck_assert_int_le(k, 64);
        reached += k > 0;
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++) ck_assert_uint_ne(path[i], path[j]);
    }
    ck_assert_int_eq(reached, n);   /* the generator builds a connected graph */
    bgp_set_tiebreak(b, BGP_TIE_HOT_POTATO);
    compute(b);
    bgp_free(b);
    asg_free(g);
    topogen_free(t);
}
END_TEST

/* A small LCG: the same sequence on every platform. */
static int rnd(unsigned *s, int n)
{
    *s = *s * 1103515245u + 12345u;
    return (int)((*s >> 8) % (unsigned)n);
}

START_TEST(random_graphs_are_stable)
{
    /* Random hierarchies with peers, random origins with random prepends,
     * CDN sites at random places with random sessions, both tie-breaks:
     * every result must be a stable state (bgp_check compares each AS's
     * route with the best of what its neighbours export, loops excluded). */
    unsigned s = 2024;
    for (int round = 0; round < 300; round++) {
        asg_builder_t *bl = asg_builder_create("random", ASG_LOC_LINE, false);
        int n = 3 + rnd(&s, 40), line = 0;
        for (int a = 0; a < n; a++)
            for (int c = a + 1; c < n; c++) {
                int u = rnd(&s, 100);
                /* lower index provides to higher: acyclic; ASNs shuffled */
                uint32_t x = (uint32_t)(a * 7919 % 101 + 1), y = (uint32_t)(c * 7919 % 101 + 1);
                if (u < 12) ck_assert_int_eq(asg_builder_link(bl, x, y, ASG_P2C, -1, ++line, err, sizeof err), 0);
                else if (u < 20) ck_assert_int_eq(asg_builder_link(bl, x, y, ASG_P2P, -1, ++line, err, sizeof err), 0);
            }
        asg_t *g = asg_builder_finish(bl, err, sizeof err);
        ck_assert_msg(g != NULL, "%s", err);
        int nodes = asg_node_count(g);
        if (nodes == 0) { asg_free(g); continue; }
        bgp_t *b = bgp_create(g);
        for (int k = 1 + rnd(&s, 3); k > 0; k--)
            ck_assert_int_eq(bgp_announce(b, rnd(&s, nodes), rnd(&s, 3), err, sizeof err), 0);
        if (round % 2) {
            ck_assert_int_eq(bgp_cdn_asn(b, 64999, err, sizeof err), 0);
            for (int site = 0; site < 3; site++) {
                geo_point_t at;
                at.lat = rnd(&s, 160) - 80;
                at.lon = rnd(&s, 360) - 180;
                ck_assert_int_eq(bgp_site_add(b, "s", at, err, sizeof err), site);
                ck_assert_int_eq(bgp_site_prepend(b, site, rnd(&s, 2), err, sizeof err), 0);
                for (int c = 0; c < 3; c++)
                    bgp_site_connect(b, site, rnd(&s, nodes), (bgp_rel_t)(1 + rnd(&s, 3)), err, sizeof err);
            }
            for (int v = 0; v < nodes; v++)
                if (rnd(&s, 2)) {
                    geo_point_t p;
                    p.lat = rnd(&s, 160) - 80;
                    p.lon = rnd(&s, 360) - 180;
                    bgp_set_point(b, v, p);
                }
        }
        compute(b);
        bgp_set_tiebreak(b, BGP_TIE_HOT_POTATO);
        compute(b);
        if (round % 2) {
            bgp_site_announce(b, 0, false, err, sizeof err);
            compute(b);
        }
        bgp_withdraw_all(b);
        compute(b);
        for (int v = 0; v < nodes; v++) ck_assert_int_eq(bgp_route(b, v).rel, BGP_REL_NONE);
        bgp_free(b);
        asg_free(g);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bgp");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, customer_beats_peer_beats_provider);
    tcase_add_test(tc, shortest_path_within_a_class);
    tcase_add_test(tc, lowest_next_hop_breaks_ties);
    tcase_add_test(tc, tie_break_uses_the_neighbour_not_the_origin);
    tcase_add_test(tc, valley_free_export);
    tcase_add_test(tc, peer_route_not_passed_up);
    tcase_add_test(tc, loop_prevention);
    tcase_add_test(tc, several_origins);
    tcase_add_test(tc, origin_keeps_its_own_route);
    tcase_add_test(tc, unreachable_ases);
    tcase_add_test(tc, prepending_and_withdraw);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("cdn");
    tcase_add_test(tc2, cdn_sites_and_catchments);
    tcase_add_test(tc2, one_neighbour_at_two_sites);
    tcase_add_test(tc2, generated_graph_is_stable);
    tcase_add_test(tc2, random_graphs_are_stable);
    tcase_set_timeout(tc2, 60);
    suite_add_tcase(s, tc2);
    return test_main(s);
}
