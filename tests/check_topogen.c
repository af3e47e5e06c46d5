/* check_topogen — the AS-graph generator: deterministic, acyclic, connected,
 * near its link target, heavy-tailed; and its metro-list loader. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/net/asgraph.h"
#include "models/net/topogen.h"
#include "tests/testutil.h"

static char err[1024];

static asg_t *generate(int n, long links, uint64_t seed, char **text_out)
{
    topogen_params_t p = { n, links, seed, NULL, 0 };
    topogen_t *t = topogen_generate(&p, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    char *text = topogen_asrel(t);
    ck_assert_ptr_nonnull(text);
    /* the loader refuses cycles, duplicates and contradictions */
    asg_t *g = asg_parse_asrel(text, strlen(text), "gen", err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    ck_assert_int_eq(asg_check(g, err, sizeof err), 0);
    ck_assert_int_eq(asg_node_count(g), n);
    ck_assert_int_eq(asg_link_count(g), (int)t->m);
    topogen_free(t);
    if (text_out) *text_out = text; else free(text);
    return g;
}

START_TEST(deterministic)
{
    char *a, *b, *c;
    asg_t *g1 = generate(2000, 0, 42, &a), *g2 = generate(2000, 0, 42, &b), *g3 = generate(2000, 0, 43, &c);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    free(a); free(b); free(c);
    asg_free(g1); asg_free(g2); asg_free(g3);
}
END_TEST

START_TEST(internet_like)
{
    int n = 20000;
    asg_t *g = generate(n, 0, 1, NULL);
    /* near the default target of 6.4 links per AS */
    double links = asg_link_count(g);
    ck_assert_msg(links > 6.0 * n && links < 6.5 * n, "%g links", links);
    igraph_t ig;
    ck_assert_msg(asg_to_igraph(g, &ig, NULL, err, sizeof err) == 0, "%s", err);
    igraph_bool_t connected;
    igraph_is_connected(&ig, &connected, IGRAPH_WEAK);
    ck_assert(connected);
    igraph_integer_t maxdeg;
    igraph_maxdegree(&ig, &maxdeg, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS);
    igraph_destroy(&ig);
    /* heavy tail: most ASes are small, a few are huge */
    int small = 0, tops = 0, stubs = 0;
    for (int v = 0; v < n; v++) {
        const int *nb;
        int d = asg_providers(g, v, &nb) + asg_customers(g, v, &nb) + asg_peers(g, v, &nb);
        small += d <= 3;
        tops += asg_providers(g, v, &nb) == 0;
        stubs += asg_customers(g, v, &nb) == 0;
        /* every AS but the tier-1s has a provider */
    }
    ck_assert_msg(small > n / 2, "%d ASes of degree <= 3", small);
    ck_assert_msg(maxdeg > 500, "max degree %ld", (long)maxdeg);
    ck_assert_int_eq(tops, 16);
    ck_assert_msg(stubs > (int)(0.8 * n), "%d stubs", stubs);
    asg_free(g);
}
END_TEST

START_TEST(sizes_and_targets)
{
    /* tiny graphs still work; explicit link targets are met roughly */
    for (int n = 4; n < 60; n += 5) {
        asg_t *g = generate(n, 0, (uint64_t)n, NULL);
        asg_free(g);
    }
    asg_t *g = generate(5000, 20000, 9, NULL);
    ck_assert_msg(asg_link_count(g) > 18000 && asg_link_count(g) < 21000, "%d", asg_link_count(g));
    asg_free(g);
    topogen_params_t p = { 3, 0, 1, NULL, 0 };
    ck_assert_ptr_null(topogen_generate(&p, err, sizeof err));
    ck_assert_msg(strstr(err, "between 4") != NULL, "%s", err);
}
END_TEST

static const char *temp_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/check_topogen_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

START_TEST(metro_list)
{
    topogen_metro_t *m = NULL;
    int n = topogen_load_metros("topologies/metros.csv", &m, err, sizeof err);
    ck_assert_msg(n >= 200, "%s", err);
    topogen_params_t p = { 3000, 0, 5, m, n };
    topogen_t *t = topogen_generate(&p, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    char *geo = topogen_geo_json(t);
    ck_assert_ptr_nonnull(strstr(geo, "\"tier\": \"tier1\""));
    free(geo);
    topogen_free(t);
    free(m);

    static const struct { const char *text, *piece; } bad[] = {
        { "name,continent,lat,lon\nX,EU,1,2\n", "'weight'" },
        { "name,continent,lat,lon,weight\nX,EU,1,2,3\nY,XX,1,2,3\n", ":3: continent" },
        { "name,continent,lat,lon,weight\nX,EU,91,2,3\n", ":2: lat" },
        { "name,continent,lat,lon,weight\nX,EU,1,2,0\n", ":2: weight" },
        { "name,continent,lat,lon,weight\nX,EU,1\n", ":2: expected" },
        { "name,continent,lat,lon,weight\n", "no metros" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *path = temp_file(bad[i].text);
        m = NULL;
        ck_assert_int_eq(topogen_load_metros(path, &m, err, sizeof err), -1);
        ck_assert_msg(strstr(err, path) && strstr(err, bad[i].piece), "'%s' lacks '%s'", err, bad[i].piece);
        unlink(path);
    }
    /* a folder is unreadable, not an empty list (it was "no metros") */
    m = NULL;
    ck_assert_int_eq(topogen_load_metros("tests", &m, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "tests: is a directory"), "%s", err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("topogen");
    TCase *tc = tcase_create("generate");
    tcase_add_test(tc, deterministic);
    tcase_add_test(tc, internet_like);
    tcase_add_test(tc, sizes_and_targets);
    tcase_add_test(tc, metro_list);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return test_main(s);
}
