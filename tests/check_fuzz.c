/* check_fuzz — malformed inputs never crash, hang or corrupt memory.
 *
 * Mutates valid scenario files and traces (flipped, dropped and inserted
 * bytes, JSON-significant characters, truncation) thousands of times and
 * feeds each to the real loaders: a scenario must load or fail with a
 * message naming the file, a trace must read to its end or stop with a
 * message. Run under AddressSanitizer and UBSan by `make sanitize`, so any
 * out-of-bounds access or undefined behaviour on the way fails the test. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/net/asgraph.h"
#include "models/scenario/scenario.h"
#include "models/workload/trace.h"
#include "models/workload/workload.h"
#include "sim/cfg.h"
#include "tests/testutil.h"

static const char *const seeds[] = {
    "{\"name\":\"f\",\"seed\":3,\"duration_s\":20,\"warmup_s\":2,"
    "\"workload\":{\"type\":\"zipf\",\"objects\":1000,\"alpha\":0.8,\"rate_rps\":500,"
    "\"size_bytes\":1000,\"size_dist\":\"lognormal\"},"
    "\"cache\":{\"policy\":\"s3fifo\",\"capacity_objects\":100},\"content\":{\"ttl_s\":60,"
    "\"classes\":[{\"share\":1,\"cache_control\":\"max-age=10, stale-while-revalidate=5\","
    "\"cache_key\":{\"query\":\"keep\",\"query_variants\":3}}]}}",
    "{\"duration_s\":60,\"workload\":{\"type\":\"zipf\",\"objects\":10},"
    "\"topology\":{\"pops\":[\"AAA\",\"BBB\"],\"sites\":[{\"id\":\"AAA\",\"prepend\":2}]},"
    "\"routing\":{\"mode\":\"geo\"},\"shield\":{\"enabled\":true,\"pops\":[\"AAA\"]},"
    "\"origin\":{\"lat\":1,\"lon\":2,\"capacity_rps\":10},"
    "\"connections\":{\"tls\":\"1.2\",\"keepalive_share\":0.5}}",
};

static const char tokens[] = "{}[]\":,.-+eE0123456789 \n\\tfnul";

static char *mutate(const char *src, unsigned *state)
{
    size_t n = strlen(src);
    char *out = malloc(n * 2 + 16);
    memcpy(out, src, n + 1);
    int edits = 1 + (int)(rand_r(state) % 4);
    for (int e = 0; e < edits && n > 0; e++) {
        size_t at = (size_t)rand_r(state) % n;
        switch (rand_r(state) % 5) {
        case 0: out[at] = tokens[rand_r(state) % (sizeof tokens - 1)]; break;
        case 1: memmove(out + at, out + at + 1, n - at); n--; break;
        case 2:
            memmove(out + at + 1, out + at, n - at + 1);
            out[at] = tokens[rand_r(state) % (sizeof tokens - 1)];
            n++;
            break;
        case 3: out[at] = (char)(rand_r(state) % 256); if (!out[at]) out[at] = 1; break;
        default: out[at] = 0; n = at; break;
        }
    }
    return out;
}

static void write_all(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(scenarios_never_crash)
{
    char dir[] = "/tmp/check_fuzz.XXXXXX", path[64], err[1024];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.json", dir);
    unsigned state = 12345;
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 3000; i++) {
        char *text = mutate(seeds[i % 2], &state);
        write_all(path, text);
        scenario_t *sc = scenario_load(path, NULL, 0, false, 0, err, sizeof err);
        if (sc) {
            loaded++;
            scenario_free(sc);
        } else {
            rejected++;
            ck_assert_msg(strstr(err, "s.json") != NULL, "message lacks the file: %s", err);
        }
        free(text);
    }
    ck_assert_int_gt(rejected, 1000);   /* the mutations do break things */
    ck_assert_int_gt(loaded, 10);       /* and some stay valid */
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(traces_never_crash)
{
    char dir[] = "/tmp/check_fuzz.XXXXXX", path[64], err[512];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t", dir);
    const char *csv = "timestamp,obj_id,obj_size\n0,1,100\n0.5,2,200\n1,1,100\n2.25,abc,7\n3,9,1\n";
    const char *wcs = "0 1 100\n1 2 200\n2 1 100\n3 3 5\n";
    unsigned state = 777;
    for (int i = 0; i < 2000; i++) {
        int fmt = i % 2 ? TRACE_CSV : TRACE_WEBCACHESIM;
        char *text = mutate(fmt == TRACE_CSV ? csv : wcs, &state);
        write_all(path, text);
        trace_t *t = trace_open(path, (trace_format_t)fmt, err, sizeof err);
        if (t) {
            trace_req_t r;
            int rc, n = 0;
            while ((rc = trace_next(t, &r, err, sizeof err)) == 1) ck_assert_int_lt(++n, 100);
            if (rc < 0) ck_assert_msg(strstr(err, "/t") != NULL, "message lacks the file: %s", err);
            trace_close(t);
        }
        free(text);
    }
    /* binary: random bytes of every length up to a few records */
    for (int len = 0; len < 80; len++) {
        FILE *f = fopen(path, "wb");
        for (int k = 0; k < len; k++) fputc(rand_r(&state) % 256, f);
        fclose(f);
        trace_t *t = trace_open(path, TRACE_ORACLE_GENERAL, err, sizeof err);
        if (!t) continue;
        trace_req_t r;
        while (trace_next(t, &r, err, sizeof err) == 1) {}
        trace_close(t);
    }
    unlink(path);
    rmdir(dir);
}
END_TEST

/* Object id 2^64 - 1 is the empty-cell mark of the simulator's key maps: a
 * trace carrying it once crashed the run (the in-flight map "found" the key
 * in an empty cell and handed out a garbage fetch). Every format rejects it
 * with the line or record; a text key that is hashed never lands on it. */
START_TEST(reserved_key_is_an_error)
{
    char err[512];
    static const char csv[] = "time,key,size\n0,1,10\n1,18446744073709551615,10\n";
    static const char wcs[] = "0 1 10\n1 18446744073709551615 10\n";
    const struct { const char *text; size_t len; trace_format_t fmt; const char *at; } cases[] = {
        { csv, sizeof csv - 1, TRACE_CSV, "t.csv: line 3: object id 18446744073709551615 is reserved" },
        { wcs, sizeof wcs - 1, TRACE_WEBCACHESIM, "t.csv: line 2: object id" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        trace_t *t = trace_open_mem(cases[i].text, cases[i].len, cases[i].fmt, "t.csv", err, sizeof err);
        ck_assert_msg(t != NULL, "%s", err);
        trace_req_t r;
        ck_assert_int_eq(trace_next(t, &r, err, sizeof err), 1);
        ck_assert_int_eq(trace_next(t, &r, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].at) != NULL, "%s", err);
        trace_close(t);
    }
    uint8_t bin[48] = { 0 };
    bin[4] = 1;                    /* record 1: id 1, size 10, no next access */
    bin[12] = 10;
    memset(bin + 16, 0xff, 8);
    bin[24] = 1;                   /* record 2: one second later, id 2^64 - 1 */
    memset(bin + 28, 0xff, 8);
    bin[36] = 10;
    memset(bin + 40, 0xff, 8);
    trace_t *t = trace_open_mem(bin, sizeof bin, TRACE_ORACLE_GENERAL, "t.bin", err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    trace_req_t r;
    ck_assert_int_eq(trace_next(t, &r, err, sizeof err), 1);
    ck_assert_int_eq(trace_next(t, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "t.bin: record 2: object id") != NULL, "%s", err);
    trace_close(t);
}
END_TEST

/* An endless input (/dev/zero) was read until memory ran out: `cdnsim run
 * /dev/zero`, report, compare, plot, sweep and `routes --as-rel /dev/zero`
 * hung. Devices are refused as not regular files; the JSON and AS-graph
 * readers also stop at the first NUL byte of a regular file. */
START_TEST(endless_input_fails_at_once)
{
    cfg_t c;
    cfg_init(&c, "/dev/zero");
    ck_assert_ptr_null(cfg_load_file(&c, "/dev/zero"));
    ck_assert_msg(strstr(c.err, "/dev/zero: is a character device") != NULL, "%s", c.err);
    char err[512];
    ck_assert_ptr_null(asg_load_asrel("/dev/zero", err, sizeof err));
    ck_assert_msg(strstr(err, "/dev/zero: is a character device") != NULL, "%s", err);
    ck_assert_ptr_null(asg_load_json("/dev/zero", err, sizeof err));
    ck_assert_msg(strstr(err, "character device") != NULL, "%s", err);
    /* a NUL inside an otherwise good scenario names the byte */
    char dir[] = "/tmp/check_fuzz.XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.json", dir);
    FILE *f = fopen(path, "wb");
    fwrite("{\"seed\": 1,\0}", 1, 14, f);
    fclose(f);
    cfg_init(&c, path);
    ck_assert_ptr_null(cfg_load_file(&c, path));
    ck_assert_msg(strstr(c.err, "s.json: byte 12 is a NUL byte") != NULL, "%s", c.err);
    unlink(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("fuzz");
    TCase *tc = tcase_create("inputs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, scenarios_never_crash);
    tcase_add_test(tc, traces_never_crash);
    tcase_add_test(tc, reserved_key_is_an_error);
    tcase_add_test(tc, endless_input_fails_at_once);
    suite_add_tcase(su, tc);
    return test_main(su);
}
