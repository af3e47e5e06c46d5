/* testutil — what the model tests share: a scratch folder, files written
 * into it, running a scenario to its result, reading result fields, and the
 * Check runner. Header-only (static functions) since every tests/check_*.c
 * is its own program. */
#ifndef CDNSIM_TESTUTIL_H
#define CDNSIM_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/cdn/cdn.h"
#include "models/scenario/scenario.h"
#include "sim/sim.h"

static char test_dir[64];

static inline void test_dir_make(void)
{
    snprintf(test_dir, sizeof test_dir, "/tmp/cdnsim_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
}

static inline void test_dir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", test_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to test_dir/name; returns the path (valid until the next call). */
static inline const char *test_put(const char *name, const char *text)
{
    static char path[192];
    snprintf(path, sizeof path, "%s/%s", test_dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The two-metro world tests/check_operations.c and check_request_path.c work
 * by hand: PoPs AAA (0,9), BBB (0,-15), CCC (0,30); metros MA (0,0) and MB
 * (0,-18) of weight 1; AS100 (tier-1 at MA) sells transit to stub AS1003
 * (MA), AS200 (tier-1 at MB) to stub AS2003 (MB); the tier-1s peer. Files
 * pops.csv, metros.csv, graph.txt and geo.json in test_dir. */
static inline void test_put_two_metro_world(void)
{
    test_put("pops.csv", "iata,city,country,continent,lat,lon\n"
                         "AAA,Alpha,XX,EU,0,9\nBBB,Beta,XX,EU,0,-15\nCCC,Gamma,XX,EU,0,30\n");
    test_put("metros.csv", "name,country,continent,lat,lon,weight\nMA,XX,EU,0,0,1\nMB,XX,EU,0,-18,1\n");
    test_put("graph.txt", "100|1003|-1\n200|2003|-1\n100|200|0\n");
    test_put("geo.json", "{\"metros\": [\"MA\", \"MB\"], \"ases\": ["
                         "{\"asn\": 100, \"tier\": \"tier1\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 1003, \"tier\": \"stub\", \"metro\": 0, \"lat\": 0, \"lon\": 0},"
                         "{\"asn\": 200, \"tier\": \"tier1\", \"metro\": 1, \"lat\": 0, \"lon\": -18},"
                         "{\"asn\": 2003, \"tier\": \"stub\", \"metro\": 1, \"lat\": 0, \"lon\": -18}]}\n");
}

/* Loads scenario text (as test_dir/s.json) and builds the model. Returns
 * cdn_create's status; on 0 the run's result is in *out, else the message
 * is in err. */
static inline int test_run(const char *scenario, char *const *sets, int nsets, cJSON **out,
                           char *err, size_t errlen)
{
    const char *path = test_put("s.json", scenario);
    scenario_t *sc = scenario_load(path, sets, nsets, false, 0, err, errlen);
    ck_assert_msg(sc != NULL, "%s", err);
    sim_t *sim = sim_create();
    cdn_t *cdn = NULL;
    int rc = cdn_create(sc, sim, &cdn, err, errlen);
    *out = NULL;
    if (rc == 0) {
        ck_assert_msg(cdn_run(cdn, err, errlen) == 0, "%s", err);
        *out = cdn_results(cdn);
    }
    cdn_destroy(cdn);
    sim_destroy(sim);
    scenario_free(sc);
    return rc;
}

/* Runs scenario text that must be good; the caller frees the result. */
static inline cJSON *test_result(const char *scenario)
{
    char err[1024];
    cJSON *r;
    ck_assert_msg(test_run(scenario, NULL, 0, &r, err, sizeof err) == 0, "%s", err);
    return r;
}

/* Result field a (or a.b) as a number. */
static inline double test_num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItem(o, a);
    if (b) v = cJSON_GetObjectItem(v, b);
    ck_assert_msg(cJSON_IsNumber(v), "missing %s%s%s", a, b ? "." : "", b ? b : "");
    return v->valuedouble;
}

/* Runs a suite; the process exit status. */
static inline int test_main(Suite *su)
{
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
