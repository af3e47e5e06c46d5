/* check_export — the results database holds exactly what the JSON holds.
 *
 * A result written by hand (every number known, a hit ratio with 16
 * significant digits, a seed beyond 2^53, a per-PoP series, a catchment
 * timeline, an operation) is exported; the database is opened with the
 * SQLite C API and each value read back must be the JSON's double exactly,
 * each table must hold the counted rows. Bad input (a file that is not a
 * result, mixed result versions, a database in a missing folder) is -2 with
 * the file named and leaves no database. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/export.h"
#include "tests/testutil.h"

#define HIT 0.1234567890123456

static const char result_fmt[] =
    "{\"scenario\": \"hand\", \"seed\": 12345678901234567890, \"requests\": 1000, \"hits\": 123,"
    " \"hit_ratio\": %.17g, \"latency_ms\": {\"p99\": 80.5}, \"origin\": {\"requests\": 877},"
    " \"pops\": [{\"id\": \"FRA\", \"requests\": 600, \"hit_ratio\": 0.25, \"city\": \"Frankfurt\"},"
    "            {\"id\": \"LHR\", \"requests\": 400, \"hit_ratio\": 0.5}],"
    " \"duration_s\": 120, \"warmup_s\": 20, \"result_version\": %d,"
    " \"timeseries\": {\"interval_s\": 60, \"t_s\": [0, 60], \"requests\": [500, 500], \"hit_ratio\": [0.1, 0.2],"
    "   \"pops\": [{\"id\": \"FRA\", \"requests\": [300, 300], \"hit_ratio\": [0.3, 0.4]}]},"
    " \"catchments\": {\"summary\": {\"not_nearest_share\": 0.3},"
    "   \"timeline\": [{\"at_s\": 0, \"kind\": \"start\", \"shares\": {\"FRA\": 0.6, \"LHR\": 0.4}},"
    "                  {\"at_s\": 50, \"kind\": \"withdraw\", \"target\": \"FRA\", \"shares\": {\"LHR\": 1}}],"
    "   \"pops\": [{\"id\": \"FRA\", \"lat\": 50, \"lon\": 8, \"anycast\": {\"weight\": 0.6}}]},"
    " \"operations\": [{\"at_s\": 50, \"kind\": \"withdraw\", \"target\": \"FRA\"}],"
    " \"config\": {\"cache\": {\"policy\": \"lru\"}}, \"program\": {\"version\": \"9.9\", \"git\": \"abc\"},"
    " \"sweep\": {\"point\": 3, \"replication\": 1, \"parameters\": {\"content.ttl_s\": 60, \"cache.policy\": \"lru\"}}}";

static void put_result(const char *name, int version)
{
    char text[4096];
    snprintf(text, sizeof text, result_fmt, HIT, version);
    test_put(name, text);
}

static char *path(const char *name)
{
    static char p[8][256];
    static int slot;
    char *s = p[slot++ % 8];
    snprintf(s, 256, "%s/%s", test_dir, name);
    return s;
}

static void setup(void) { test_dir_make(); }
static void teardown(void) { test_dir_remove(); }

static sqlite3 *export_db(const char *input)
{
    export_set_t *x = NULL;
    char err[1024];
    ck_assert_msg(export_load(input, &x, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(export_sqlite(x, path("r.db"), err, sizeof err) == 0, "%s", err);
    export_free(x);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open_v2(path("r.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* The one value a query returns, as a double; its text in *txt if asked. */
static double one(sqlite3 *db, const char *sql, char *txt, size_t n)
{
    sqlite3_stmt *st;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row: %s", sql);
    double v = sqlite3_column_double(st, 0);
    if (txt) snprintf(txt, n, "%s", (const char *)sqlite3_column_text(st, 0));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    return v;
}

START_TEST(values_equal_the_json)
{
    put_result("p0003-r1.json", 2);
    sqlite3 *db = export_db(path("p0003-r1.json"));
    char t[256];
    /* exactly the JSON's doubles */
    ck_assert(one(db, "SELECT value FROM metrics WHERE run = 'p0003-r1' AND metric = 'hit_ratio'", NULL, 0) == HIT);
    ck_assert(one(db, "SELECT value FROM metrics WHERE metric = 'latency_ms.p99'", NULL, 0) == 80.5);
    ck_assert(one(db, "SELECT value FROM metrics WHERE metric = 'origin.requests'", NULL, 0) == 877);
    /* every numeric field but seed and the provenance: requests, hits,
     * hit_ratio, latency p99, origin requests, duration_s, warmup_s and
     * catchments.summary.not_nearest_share */
    ck_assert(one(db, "SELECT count(*) FROM metrics", NULL, 0) == 8);
    /* the runs row: seed exact beyond 2^53, sweep point and parameters */
    one(db, "SELECT seed FROM runs", t, sizeof t);
    ck_assert_str_eq(t, "12345678901234567890");
    ck_assert(one(db, "SELECT point FROM runs", NULL, 0) == 3);
    ck_assert(one(db, "SELECT replication FROM runs", NULL, 0) == 1);
    ck_assert(one(db, "SELECT content_ttl_s FROM runs", NULL, 0) == 60);
    one(db, "SELECT cache_policy FROM runs", t, sizeof t);
    ck_assert_str_eq(t, "lru");
    one(db, "SELECT json_extract(config, '$.cache.policy') FROM runs", t, sizeof t);
    ck_assert_str_eq(t, "lru");
    one(db, "SELECT git FROM runs", t, sizeof t);
    ck_assert_str_eq(t, "abc");
    /* pops: 2 numeric fields each (city is text) */
    ck_assert(one(db, "SELECT count(*) FROM pops", NULL, 0) == 4);
    ck_assert(one(db, "SELECT value FROM pops WHERE pop = 'LHR' AND metric = 'hit_ratio'", NULL, 0) == 0.5);
    /* timeseries: 2 metrics x 2 times for 'all', and for FRA */
    ck_assert(one(db, "SELECT count(*) FROM timeseries", NULL, 0) == 8);
    ck_assert(one(db, "SELECT value FROM timeseries WHERE pop = 'FRA' AND metric = 'hit_ratio' AND t = 60", NULL, 0) == 0.4);
    ck_assert(one(db, "SELECT value FROM timeseries WHERE pop = 'all' AND metric = 'requests' AND t = 0", NULL, 0) == 500);
    /* catchments: 3 shares on the timeline, the end summary, FRA's weight */
    ck_assert(one(db, "SELECT count(*) FROM catchments WHERE metric = 'share'", NULL, 0) == 3);
    ck_assert(one(db, "SELECT value FROM catchments WHERE kind = 'withdraw' AND pop = 'LHR'", NULL, 0) == 1);
    ck_assert(one(db, "SELECT value FROM catchments WHERE kind = 'end' AND pop = 'all'", NULL, 0) == 0.3);
    ck_assert(one(db, "SELECT value FROM catchments WHERE kind = 'end' AND pop = 'FRA'", NULL, 0) == 0.6);
    ck_assert(one(db, "SELECT at_s FROM operations WHERE target = 'FRA'", NULL, 0) == 50);
    sqlite3_close(db);
}
END_TEST

START_TEST(folder_and_csv)
{
    ck_assert_int_eq(mkdir(path("sweep"), 0755), 0);
    ck_assert_int_eq(mkdir(path("sweep/runs"), 0755), 0);
    put_result("sweep/runs/p0000-r0.json", 2);
    put_result("sweep/runs/p0000-r1.json", 2);
    test_put("sweep/summary.json", "{\"points\": []}");
    sqlite3 *db = export_db(path("sweep"));
    ck_assert(one(db, "SELECT count(*) FROM runs", NULL, 0) == 2);
    ck_assert(one(db, "SELECT count(*) FROM metrics", NULL, 0) == 16);
    sqlite3_close(db);
    export_set_t *x = NULL;
    char err[1024];
    ck_assert(export_load(path("sweep"), &x, err, sizeof err) == 0);
    ck_assert_msg(export_csv(x, path("csv"), err, sizeof err) == 0, "%s", err);
    export_free(x);
    FILE *f = fopen(path("csv/metrics.csv"), "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "run,metric,value\n");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "p0000-r0,requests,1000\n");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "p0000-r0,hit_ratio,0.1234567890123456\n");
    fclose(f);
}
END_TEST

static void load_fails(const char *input, const char *want)
{
    export_set_t *x = NULL;
    char err[1024];
    ck_assert_int_eq(export_load(input, &x, err, sizeof err), -2);
    ck_assert_msg(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
    ck_assert_ptr_null(x);
}

START_TEST(bad_input)
{
    test_put("scenario.json", "{\"name\": \"a scenario\", \"seed\": 1}");
    load_fails(path("scenario.json"), "scenario.json: $: not a cdnsim result");
    load_fails(path("nowhere.json"), "nowhere.json");
    ck_assert_int_eq(mkdir(path("mixed"), 0755), 0);
    put_result("mixed/a.json", 2);
    put_result("mixed/b.json", 1);
    load_fails(path("mixed"), "b.json: $.result_version: version 1, but");
    ck_assert_int_eq(mkdir(path("empty"), 0755), 0);
    load_fails(path("empty"), "no result files");
    /* a database in a missing folder: -2 naming it, nothing written */
    put_result("ok.json", 2);
    export_set_t *x = NULL;
    char err[1024];
    ck_assert(export_load(path("ok.json"), &x, err, sizeof err) == 0);
    ck_assert_int_eq(export_sqlite(x, path("no/such/r.db"), err, sizeof err), -2);
    ck_assert_ptr_nonnull(strstr(err, "no/such/r.db"));
    export_free(x);
    ck_assert_int_ne(access(path("no/such/r.db"), F_OK), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, values_equal_the_json);
    tcase_add_test(tc, folder_and_csv);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return test_main(s);
}
