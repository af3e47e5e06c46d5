/* check_asgraph — the AS-graph loaders and their checks.
 *
 * Every malformed input must come back as an error naming the file and the
 * line (edge, JSON path) at fault, never a crash or an abort; valid inputs
 * must build graphs whose invariants (asg_check) hold. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/net/asgraph.h"
#include "tests/testutil.h"

static char err[1024];

static asg_t *parse(const char *text)
{
    return asg_parse_asrel(text, strlen(text), "t.txt", err, sizeof err);
}

/* Parsing must fail with a message containing each of the given pieces. */
static void fails(const char *text, const char *piece1, const char *piece2)
{
    err[0] = 0;
    asg_t *g = parse(text);
    ck_assert_msg(g == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(err, piece1) != NULL, "'%s' lacks '%s'", err, piece1);
    if (piece2) ck_assert_msg(strstr(err, piece2) != NULL, "'%s' lacks '%s'", err, piece2);
}

/* Writes text to a temporary file with the given suffix; returns its path. */
static const char *temp_file(const char *text, const char *suffix)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/check_asgraph_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    ck_assert_int_ge(fd, 0);
    size_t n = strlen(text);
    ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

START_TEST(asrel_valid)
{
    asg_t *g = parse("# a comment\n\n 30|10|-1|bgp\r\n10|20|0\n# another\n30|20|-1|mlp|extra\n"
                     "4294967295|30|0\n");
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_check(g, err, sizeof err), 0);
    ck_assert_int_eq(asg_node_count(g), 4);
    ck_assert_int_eq(asg_link_count(g), 4);
    /* indices in ASN order */
    ck_assert_uint_eq(asg_asn(g, 0), 10);
    ck_assert_uint_eq(asg_asn(g, 3), 4294967295u);
    ck_assert_int_eq(asg_index(g, 20), 1);
    ck_assert_int_eq(asg_index(g, 25), -1);
    const int *nb;
    int v30 = asg_index(g, 30);
    ck_assert_int_eq(asg_customers(g, v30, &nb), 2);
    ck_assert_int_eq(nb[0], asg_index(g, 10));  /* ascending */
    ck_assert_int_eq(nb[1], asg_index(g, 20));
    ck_assert_int_eq(asg_providers(g, v30, &nb), 0);
    ck_assert_int_eq(asg_peers(g, v30, &nb), 1);
    ck_assert_int_eq(asg_providers(g, asg_index(g, 10), &nb), 1);
    ck_assert_int_eq(nb[0], v30);
    ck_assert_int_eq(asg_peers(g, asg_index(g, 10), &nb), 1);
    geo_point_t p;
    ck_assert(!asg_point(g, 0, &p));
    ck_assert_ptr_null(asg_name(g, 0));
    asg_free(g);
    /* a byte-order mark from a Windows editor is not an ASN */
    g = parse("\xef\xbb\xbf" "1|2|0\n");
    ck_assert_msg(g != NULL, "%s", err);
    asg_free(g);
    /* an empty file is an empty graph */
    g = parse("# nothing\n");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(asg_node_count(g), 0);
    asg_free(g);
}
END_TEST

START_TEST(asrel_malformed)
{
    fails("1|2|-1\nAS3|4|0\n", "t.txt:2:", "'AS3'");
    fails("1|2|-1\n3|x4|0\n", "t.txt:2:", "field 2");
    fails("1|2\n", "t.txt:1:", "got 2");
    fails("1\n", "t.txt:1:", "got 1");
    fails("1|2|1\n", "t.txt:1:", "relationship");
    fails("1|2|-2\n", "t.txt:1:", "relationship");
    fails("1|2|\n", "t.txt:1:", "relationship");
    fails("1|2|peer\n", "t.txt:1:", "relationship");
    fails("1|2|-1x\n", "t.txt:1:", "relationship");
    fails("# c\n4294967296|2|0\n", "t.txt:2:", "field 1");
    fails("-5|2|0\n", "t.txt:1:", "field 1");
    fails("1 2|3|0\n", "t.txt:1:", "field 1");
    fails("1|2|0\n\n7|7|-1\n", "t.txt:3:", "self link");
    fails("1|2|-1\n2|3|0\n1|2|-1\n", "t.txt:3:", "duplicate link");
    fails("1|2|0\n2|1|0\n", "t.txt:2:", "line 1");
    fails("1|2|-1\n2|1|-1\n", "t.txt:2:", "contradictory");
    fails("1|2|-1\n1|2|0\n", "contradictory", "line 1");
    fails("1|2|-1\n2|3|-1\n3|4|-1\n4|2|-1\n", "cycle", "2 -> 3 -> 4 -> 2");
    fails("10|20|-1\n20|10|-1\n", "contradictory", "line 1"); /* a 2-cycle */
    /* NUL bytes: a binary file, not an abort */
    asg_t *g = asg_parse_asrel("1|2|0\n\0\0\0", 9, "bin", err, sizeof err);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(err, "bin:2:") != NULL, "%s", err);
}
END_TEST

START_TEST(asrel_cycle_names_the_cycle)
{
    /* 5 and 6 hang below the cycle: the message must still name the cycle
     * itself, each AS a provider of the next */
    fails("1|2|-1\n2|3|-1\n3|1|-1\n3|5|-1\n5|6|-1\n9|1|-1\n", "1 -> 2 -> 3 -> 1", "lines 1, 2, 3");
}
END_TEST

START_TEST(asrel_random_bytes_never_crash)
{
    /* garbage of every shape: either a graph or an error, never a crash */
    unsigned s = 12345;
    char text[256];
    static const char alphabet[] = "0123456789||||--\n\n#  x\r";
    for (int round = 0; round < 3000; round++) {
        int n = round % 200;
        for (int i = 0; i < n; i++) {
            s = s * 1103515245u + 12345u;
            text[i] = alphabet[(s >> 16) % (sizeof alphabet - 1)];
        }
        asg_t *g = asg_parse_asrel(text, (size_t)n, "fuzz", err, sizeof err);
        if (g) {
            ck_assert_int_eq(asg_check(g, err, sizeof err), 0);
            asg_free(g);
        } else {
            ck_assert_msg(strncmp(err, "fuzz", 4) == 0, "%s", err);
        }
    }
}
END_TEST

START_TEST(asrel_files)
{
    asg_t *g = asg_load_asrel("/nonexistent/x.txt", err, sizeof err);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(err, "/nonexistent/x.txt") != NULL, "%s", err);
    const char *p = temp_file("1|2|-1\n2|3|0\n", ".txt");
    g = asg_load(p, err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_link_count(g), 2);
    asg_free(g);
    unlink(p);
    p = temp_file("1|2|-1\n2|3|zero\n", ".txt");
    g = asg_load(p, err, sizeof err);
    ck_assert_ptr_null(g);
    char want[80];
    snprintf(want, sizeof want, "%s:2:", p);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    unlink(p);
}
END_TEST

START_TEST(graphml_zoo_files)
{
    asg_t *g = asg_load("topologies/zoo/eurocore.graphml", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_check(g, err, sizeof err), 0);
    ck_assert_int_eq(asg_node_count(g), 8);
    ck_assert_int_eq(asg_link_count(g), 10);   /* the parallel London-Amsterdam link merged */
    ck_assert_str_eq(asg_name(g, 0), "London");
    geo_point_t p;
    ck_assert(asg_point(g, 0, &p));
    ck_assert_double_eq_tol(p.lat, 51.50853, 1e-9);
    asg_free(g);

    g = asg_load("topologies/zoo/usbackbone.graphml", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_node_count(g), 10);
    ck_assert(!asg_point(g, 9, &p));            /* the site without coordinates */
    ck_assert(asg_point(g, 8, &p));
    asg_free(g);

    g = asg_load("topologies/zoo/asmini.graphml", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    const int *nb;
    int content = asg_index(g, 64600);
    ck_assert_int_ge(content, 0);
    ck_assert_int_eq(asg_providers(g, content, &nb), 2);
    ck_assert_uint_eq(asg_asn(g, nb[0]), 174);
    ck_assert_uint_eq(asg_asn(g, nb[1]), 3320);
    ck_assert_int_eq(asg_providers(g, asg_index(g, 7922), &nb), 1);
    ck_assert_uint_eq(asg_asn(g, nb[0]), 174);
    int found = 0;
    for (int i = 0; i < asg_link_count(g); i++) {
        int a, b, rel;
        simtime_t ns;
        asg_link(g, i, &a, &b, &rel, &ns);
        if (asg_asn(g, a) == 174 && asg_asn(g, b) == 7922) {
            ck_assert_int_eq(rel, ASG_P2C);
            ck_assert_int_eq(ns, 2500000);
            found = 1;
        }
    }
    ck_assert(found);
    asg_free(g);
}
END_TEST

static const char *graphml(const char *keys, const char *body, const char *dir)
{
    static char text[4096];
    snprintf(text, sizeof text,
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
             "<key attr.name=\"label\" attr.type=\"string\" for=\"node\" id=\"d1\"/>\n"
             "<key attr.name=\"Latitude\" attr.type=\"double\" for=\"node\" id=\"d2\"/>\n"
             "<key attr.name=\"Longitude\" attr.type=\"double\" for=\"node\" id=\"d3\"/>\n"
             "%s<graph edgedefault=\"%s\">\n%s</graph>\n</graphml>\n", keys, dir, body);
    return text;
}

/* Loading must fail naming the file and the given piece. */
static void graphml_fails(const char *text, const char *piece)
{
    const char *p = temp_file(text, ".graphml");
    asg_t *g = asg_load(p, err, sizeof err);
    ck_assert_msg(g == NULL, "accepted %s", text);
    ck_assert_msg(strstr(err, p) != NULL, "'%s' lacks the file", err);
    ck_assert_msg(strstr(err, piece) != NULL, "'%s' lacks '%s'", err, piece);
    unlink(p);
}

START_TEST(graphml_malformed)
{
    const char *two = "<node id=\"a\"><data key=\"d1\">A</data></node>\n<node id=\"b\"/>\n";
    char body[1024];
    /* an attribute type igraph does not know: igraph's error, not an abort */
    graphml_fails(graphml("<key attr.name=\"x\" attr.type=\"complex\" for=\"node\" id=\"d4\"/>\n",
                          two, "undirected"), "complex");
    graphml_fails("<graphml><graph><node id=\"a\"><data", "GraphML");
    graphml_fails("not xml at all\n", "GraphML");
    snprintf(body, sizeof body, "%s<edge source=\"a\" target=\"a\"/>\n", two);
    graphml_fails(graphml("", body, "undirected"), "edge 0: self link");
    snprintf(body, sizeof body, "<node id=\"a\"><data key=\"d2\">north</data></node>\n");
    graphml_fails(graphml("", body, "undirected"), "real number");
    snprintf(body, sizeof body, "<node id=\"a\"><data key=\"d2\">10</data></node>\n");
    graphml_fails(graphml("", body, "undirected"), "both coordinates");
    snprintf(body, sizeof body, "<node id=\"a\"><data key=\"d2\">100</data>"
             "<data key=\"d3\">0</data></node>\n");
    graphml_fails(graphml("", body, "undirected"), "latitude");
    const char *relkey = "<key attr.name=\"relationship\" attr.type=\"string\" for=\"edge\" id=\"d5\"/>\n";
    snprintf(body, sizeof body, "%s<edge source=\"a\" target=\"b\"><data key=\"d5\">sibling</data>"
             "</edge>\n", two);
    graphml_fails(graphml(relkey, body, "directed"), "sibling");
    snprintf(body, sizeof body, "%s<edge source=\"a\" target=\"b\"><data key=\"d5\">"
             "provider-customer</data></edge>\n", two);
    graphml_fails(graphml(relkey, body, "undirected"), "directed");
    snprintf(body, sizeof body, "%s<edge source=\"a\" target=\"b\"><data key=\"d5\">"
             "provider-customer</data></edge>\n<edge source=\"b\" target=\"a\"><data key=\"d5\">"
             "provider-customer</data></edge>\n", two);
    graphml_fails(graphml(relkey, body, "directed"), "contradictory");
    /* a well-formed one, for contrast */
    const char *p = temp_file(graphml("", two, "undirected"), ".graphml");
    asg_t *g = asg_load(p, err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_node_count(g), 2);
    ck_assert_int_eq(asg_link_count(g), 0);
    asg_free(g);
    unlink(p);
    g = asg_load_graphml("/nonexistent.graphml", err, sizeof err);
    ck_assert_ptr_null(g);
}
END_TEST

START_TEST(json_topology)
{
    asg_t *g = asg_load("topologies/example_asgraph.json", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_check(g, err, sizeof err), 0);
    ck_assert_int_eq(asg_node_count(g), 9);
    ck_assert_int_eq(asg_link_count(g), 11);
    geo_point_t p;
    ck_assert(!asg_point(g, asg_index(g, 64512), &p));
    ck_assert(asg_point(g, asg_index(g, 174), &p));
    asg_free(g);

    static const struct { const char *text, *piece; } bad[] = {
        { "{\"nodes\":[{\"asn\":1}],\"links\":[{\"a\":1,\"b\":2,\"rel\":\"peer\"}]}", "$.links[0]: unknown AS 2" },
        { "{\"links\":[{\"a\":1,\"b\":2,\"rel\":\"sibling\"}]}", "$.links[0].rel" },
        { "{\"links\":[{\"a\":1,\"b\":2,\"rel\":\"peer\",\"latncy_ms\":1}]}", "latency_ms" },
        { "{\"links\":[\n{\"a\":1,\n\"b\":2 \"rel\":\"peer\"}]}", "line 3" },
        { "{\"nodes\":[{\"asn\":1,\"lat\":91,\"lon\":0}],\"links\":[]}", "$.nodes[0].lat" },
        { "{\"nodes\":[{\"asn\":1,\"lat\":1}],\"links\":[]}", "$.nodes[0]" },
        { "{\"nodes\":[{\"asn\":1},{\"asn\":1}],\"links\":[]}", "declared twice" },
        { "{\"links\":[{\"a\":1,\"b\":2,\"rel\":\"peer\"},{\"a\":2,\"b\":1,\"rel\":\"peer\"}]}", "$.links[1]: duplicate" },
        { "{\"links\":[{\"a\":1,\"b\":1,\"rel\":\"peer\"}]}", "self link" },
        { "{\"links\":[{\"a\":\"1\",\"b\":2,\"rel\":\"peer\"}]}", "$.links[0].a" },
        { "{\"links\":[{\"a\":-1,\"b\":2,\"rel\":\"peer\"}]}", "$.links[0].a" },
        { "{\"links\":[{\"a\":1,\"b\":2,\"rel\":\"provider-customer\"},"
          "{\"a\":2,\"b\":1,\"rel\":\"provider-customer\"}]}", "contradictory" },
        { "{\"nodes\":[]}", "$.links" },
        { "[1,2]", "object" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *path = temp_file(bad[i].text, ".json");
        g = asg_load(path, err, sizeof err);
        ck_assert_msg(g == NULL, "accepted %s", bad[i].text);
        ck_assert_msg(strstr(err, path) != NULL, "'%s' lacks the file", err);
        ck_assert_msg(strstr(err, bad[i].piece) != NULL, "'%s' lacks '%s'", err, bad[i].piece);
        unlink(path);
    }
}
END_TEST

START_TEST(builder_api)
{
    asg_builder_t *b = asg_builder_create("built", ASG_LOC_LINE, false);
    ck_assert_int_eq(asg_builder_node(b, 5, "five", 10, 20, 1, err, sizeof err), 0);
    ck_assert_int_ne(asg_builder_node(b, 6, NULL, 10, 200, 2, err, sizeof err), 0);
    ck_assert_int_ne(asg_builder_link(b, 5, 6, 3, -1, 3, err, sizeof err), 0);
    ck_assert_int_eq(asg_builder_link(b, 5, 6, ASG_P2C, 1000, 4, err, sizeof err), 0);
    asg_t *g = asg_builder_finish(b, err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_str_eq(asg_name(g, 0), "five");
    ck_assert_ptr_null(asg_name(g, 1));
    asg_free(g);
}
END_TEST

START_TEST(igraph_view)
{
    /* igraph sees the same graph: one component, the right degrees */
    asg_t *g = parse("1|2|-1\n1|3|-1\n2|3|0\n3|4|-1\n");
    ck_assert_ptr_nonnull(g);
    igraph_t ig;
    igraph_vector_int_t rel;
    igraph_vector_int_init(&rel, 0);
    ck_assert_msg(asg_to_igraph(g, &ig, &rel, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(igraph_vcount(&ig), 4);
    ck_assert_int_eq(igraph_ecount(&ig), 4);
    igraph_bool_t connected;
    igraph_is_connected(&ig, &connected, IGRAPH_WEAK);
    ck_assert(connected);
    igraph_integer_t maxdeg;
    igraph_maxdegree(&ig, &maxdeg, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS);
    ck_assert_int_eq(maxdeg, 3);   /* AS 3: providers 1, peer 2, customer 4 */
    int peers = 0;
    for (int i = 0; i < 4; i++) peers += VECTOR(rel)[i] == ASG_P2P;
    ck_assert_int_eq(peers, 1);
    igraph_vector_int_destroy(&rel);
    igraph_destroy(&ig);
    asg_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("asgraph");
    TCase *tc = tcase_create("loaders");
    tcase_add_test(tc, asrel_valid);
    tcase_add_test(tc, asrel_malformed);
    tcase_add_test(tc, asrel_cycle_names_the_cycle);
    tcase_add_test(tc, asrel_random_bytes_never_crash);
    tcase_add_test(tc, asrel_files);
    tcase_add_test(tc, graphml_zoo_files);
    tcase_add_test(tc, graphml_malformed);
    tcase_add_test(tc, json_topology);
    tcase_add_test(tc, builder_api);
    tcase_add_test(tc, igraph_view);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return test_main(s);
}
