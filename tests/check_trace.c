/* check_trace — the trace readers and the generator: every format, plain and
 * zstd, round-trips the generator's requests (times quantised as the format
 * requires); next-access numbers agree between the oracleGeneral field and
 * the annotation pass; malformed traces fail with the file and the line or
 * record named. Traces are generated here, in a temporary directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/workload/trace.h"
#include "models/workload/tracegen.h"
#include "cli/commands.h"
#include "tests/testutil.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/cdnsim-trace-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void path_of(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", dir, name); }

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

static tracegen_config_t config(trace_format_t fmt, bool zstd)
{
    tracegen_config_t cfg;
    tracegen_defaults(&cfg);
    cfg.objects = 500;
    cfg.requests = 20000;
    cfg.alpha = 0.9;
    cfg.size_dist = TRACEGEN_SIZE_LOGNORMAL;
    cfg.size_mean = 4000;
    cfg.size_sigma = 1.5;
    cfg.rate = 50; /* 400 s of trace: whole-second formats see many seconds */
    cfg.format = fmt;
    cfg.zstd = zstd;
    cfg.seed = 9;
    return cfg;
}

/* Reads t to the end, comparing with the generator's own stream. */
static void compare(trace_t *t, const tracegen_config_t *cfg, bool check_next)
{
    char err[512];
    tracegen_t *g = tracegen_create(cfg, err, sizeof err);
    ck_assert_msg(g != NULL, "%s", err);
    uint64_t *keys = malloc(cfg->requests * sizeof *keys);
    int64_t *next = malloc(cfg->requests * sizeof *next);
    ck_assert(keys && next);
    trace_req_t want, got;
    for (uint64_t i = 0; i < cfg->requests; i++) {
        tracegen_next(g, &want);
        keys[i] = want.key;
        int rc = trace_next(t, &got, err, sizeof err);
        ck_assert_msg(rc == 1, "request %llu: rc %d: %s", (unsigned long long)i + 1, rc, err);
        simtime_t wt = cfg->format == TRACE_CSV ? want.time : want.time / 1000000000 * 1000000000;
        ck_assert_int_eq(got.time, wt);
        ck_assert_uint_eq(got.key, want.key);
        ck_assert_uint_eq(got.size, want.size);
        next[i] = got.next_access;
    }
    ck_assert_int_eq(trace_next(t, &got, err, sizeof err), 0);
    ck_assert_uint_eq(trace_count(t), cfg->requests);
    if (check_next) {
        /* next_access: the 1-based number of the key's next request */
        int64_t *last = malloc((cfg->objects + 1) * sizeof *last);
        ck_assert(last != NULL);
        for (uint64_t k = 0; k <= cfg->objects; k++) last[k] = -1;
        for (uint64_t i = cfg->requests; i-- > 0;) {
            ck_assert_int_eq(next[i], last[keys[i]]);
            last[keys[i]] = (int64_t)i + 1;
        }
        free(last);
    }
    free(keys);
    free(next);
    tracegen_destroy(g);
}

static void round_trip(trace_format_t fmt, bool zstd)
{
    make_dir();
    char path[128], err[512];
    path_of(path, sizeof path, "t.trace");
    tracegen_config_t cfg = config(fmt, zstd);
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    ck_assert_msg(tracegen_write(&cfg, f, err, sizeof err) == 0, "%s", err);
    fclose(f);
    trace_t *t = trace_open(path, fmt, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    compare(t, &cfg, fmt == TRACE_ORACLE_GENERAL);
    trace_close(t);
    /* the annotation pass gives the same numbers for every format */
    t = trace_open(path, fmt, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_msg(trace_annotate_next_access(t, err, sizeof err) == 0, "%s", err);
    compare(t, &cfg, true);
    trace_close(t);
    remove_dir();
}

START_TEST(csv_round_trip) { round_trip(TRACE_CSV, false); }
END_TEST
START_TEST(csv_zstd_round_trip) { round_trip(TRACE_CSV, true); }
END_TEST
START_TEST(webcachesim_round_trip) { round_trip(TRACE_WEBCACHESIM, false); }
END_TEST
START_TEST(webcachesim_zstd_round_trip) { round_trip(TRACE_WEBCACHESIM, true); }
END_TEST
START_TEST(oracle_round_trip) { round_trip(TRACE_ORACLE_GENERAL, false); }
END_TEST
START_TEST(oracle_zstd_round_trip) { round_trip(TRACE_ORACLE_GENERAL, true); }
END_TEST

START_TEST(memory_round_trip)
{
    char err[512];
    for (int z = 0; z < 2; z++) {
        tracegen_config_t cfg = config(TRACE_ORACLE_GENERAL, z);
        void *buf;
        size_t len;
        ck_assert_msg(tracegen_write_mem(&cfg, &buf, &len, err, sizeof err) == 0, "%s", err);
        if (!z) ck_assert_uint_eq(len, cfg.requests * 24);
        trace_t *t = trace_open_mem(buf, len, TRACE_ORACLE_GENERAL, "mem", err, sizeof err);
        ck_assert_msg(t != NULL, "%s", err);
        compare(t, &cfg, true);
        trace_close(t);
        free(buf);
    }
}
END_TEST

START_TEST(generator_properties)
{
    tracegen_config_t cfg = config(TRACE_CSV, false);
    char err[256];
    /* same seed, same stream; sizes fixed per object with the asked mean */
    tracegen_t *a = tracegen_create(&cfg, err, sizeof err), *b = tracegen_create(&cfg, err, sizeof err);
    trace_req_t x, y;
    for (int i = 0; i < 1000; i++) {
        tracegen_next(a, &x);
        tracegen_next(b, &y);
        ck_assert(x.key == y.key && x.time == y.time && x.size == y.size);
        ck_assert_uint_eq(x.size, tracegen_object_size(&cfg, x.key));
        ck_assert(x.key >= 1 && x.key <= cfg.objects);
    }
    tracegen_destroy(a);
    tracegen_destroy(b);
    double sum = 0;
    for (uint64_t k = 1; k <= 100000; k++) sum += tracegen_object_size(&cfg, k);
    /* lognormal, sigma 1.5: sd of the mean of 1e5 is ~0.9%; allow 5% */
    ck_assert_msg(sum / 100000 > 3800 && sum / 100000 < 4200, "mean size %.1f", sum / 100000);
    cfg.objects = 0;
    ck_assert_int_eq(tracegen_validate(&cfg, err, sizeof err), -1);
    ck_assert(strstr(err, "objects") != NULL);
}
END_TEST

START_TEST(csv_columns_by_name)
{
    make_dir();
    char path[128], err[512];
    path_of(path, sizeof path, "c.csv");
    /* columns in any order, extra columns, case, quotes, CRLF, blank lines,
     * string keys hashed, numeric keys kept, fractional seconds exact, size 0 -> 1 */
    write_text(path, "\xef\xbb\xbf" "Bytes,extra,OBJ_ID,Timestamp\r\n"
                     "100,x,\"alpha\",1700000000.25\r\n"
                     "\r\n"
                     "200,\"y,z\",42,1700000000.5\r\n"
                     "0,,alpha,1700000001\r\n");
    trace_t *t = trace_open(path, TRACE_CSV, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    trace_req_t r[3];
    for (int i = 0; i < 3; i++) ck_assert_msg(trace_next(t, &r[i], err, sizeof err) == 1, "%s", err);
    ck_assert_int_eq(trace_next(t, &r[0], err, sizeof err), 0);
    ck_assert_int_eq(r[0].time, 0);
    ck_assert_int_eq(r[1].time, 250000000);
    ck_assert_int_eq(r[2].time, 750000000);
    ck_assert_uint_eq(r[1].key, 42);
    ck_assert_uint_eq(r[0].key, r[2].key);
    ck_assert_uint_ne(r[0].key, 42);
    ck_assert_uint_eq(r[0].size, 100);
    ck_assert_uint_eq(r[2].size, 1);
    ck_assert_int_eq(trace_span(t), 750000000);
    trace_close(t);
    remove_dir();
}
END_TEST

/* Opens (and reads to the end) a file that must fail; returns the message. */
static void expect_failure(const char *name, const char *content, size_t len, trace_format_t fmt,
                           const char *needle)
{
    char path[128], err[512] = "";
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    fwrite(content, 1, len, f);
    fclose(f);
    trace_t *t = trace_open(path, fmt, err, sizeof err);
    int rc = 0;
    if (t) {
        trace_req_t r;
        while ((rc = trace_next(t, &r, err, sizeof err)) == 1) {}
        trace_close(t);
    }
    ck_assert_msg(!t || rc == -1, "%s: no error", name);
    ck_assert_msg(strstr(err, path) != NULL, "%s: message does not name the file: %s", name, err);
    ck_assert_msg(strstr(err, needle) != NULL, "%s: expected '%s' in: %s", name, needle, err);
}

static size_t record(uint8_t *p, uint32_t t, uint64_t id, uint32_t size, int64_t next)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(t >> 8 * i);
    for (int i = 0; i < 8; i++) p[4 + i] = (uint8_t)(id >> 8 * i);
    for (int i = 0; i < 4; i++) p[12 + i] = (uint8_t)(size >> 8 * i);
    for (int i = 0; i < 8; i++) p[16 + i] = (uint8_t)((uint64_t)next >> 8 * i);
    return 24;
}

START_TEST(malformed_traces)
{
    make_dir();
    static const char csv_ok[] = "time,key,size\n1,1,10\n2,2,20\n";
    expect_failure("short.csv", "time,key,size\n1,1,10\n2,2\n", 25, TRACE_CSV, "line 3");
    expect_failure("num.csv", "time,key,size\n1,1,10\nsoon,2,20\n", 32, TRACE_CSV, "line 3: time");
    expect_failure("size.csv", "time,key,size\n1,1,big\n", 22, TRACE_CSV, "line 2: size");
    expect_failure("back.csv", "time,key,size\n5,1,10\n4,2,10\n", 28, TRACE_CSV, "line 3: time goes backwards");
    expect_failure("nohdr.csv", "1,2,3\n", 6, TRACE_CSV, "line 1: csv header has no time");
    expect_failure("nokey.csv", "time,size\n1,2\n", 14, TRACE_CSV, "no key column");
    expect_failure("empty.csv", "", 0, TRACE_CSV, "empty csv");
    expect_failure("wcs.txt", "1 2 3\n2 x\n", 10, TRACE_WEBCACHESIM, "line 2: expected at least 3 fields");
    expect_failure("neg.txt", "1 2 3\n-2 3 4\n", 13, TRACE_WEBCACHESIM, "line 2: time");
    /* wrong format: text read as binary, binary read as text */
    expect_failure("text.bin", csv_ok, sizeof csv_ok - 1, TRACE_ORACLE_GENERAL, "record 1: looks like text");
    uint8_t bin[24 * 4 + 10];
    size_t n = 0;
    n += record(bin + n, 10, 1, 100, 3);
    n += record(bin + n, 10, 2, 100, -1);
    n += record(bin + n, 11, 1, 100, -1);
    n += record(bin + n, 12, 3, 100, -1);
    memset(bin + n, 7, 10);
    expect_failure("trunc.bin", (const char *)bin, n + 10, TRACE_ORACLE_GENERAL, "record 5: truncated");
    expect_failure("bin.csv", (const char *)bin, n, TRACE_CSV, "csv header has no time");
    expect_failure("bin.txt", (const char *)bin, n, TRACE_WEBCACHESIM, "line 2: expected at least 3 fields");
    uint8_t bad[48];
    record(bad, 10, 1, 100, -1);
    record(bad + 24, 9, 2, 100, -1);
    expect_failure("back.bin", (const char *)bad, 48, TRACE_ORACLE_GENERAL, "record 2: time goes backwards");
    record(bad + 24, 10, 2, 100, 1);
    expect_failure("next.bin", (const char *)bad, 48, TRACE_ORACLE_GENERAL, "record 2: next access");
    /* a zstd stream cut short */
    tracegen_config_t cfg = config(TRACE_ORACLE_GENERAL, true);
    void *buf;
    size_t len;
    char err[512];
    ck_assert(tracegen_write_mem(&cfg, &buf, &len, err, sizeof err) == 0);
    expect_failure("cut.zst", buf, len / 2, TRACE_ORACLE_GENERAL, "zstd");
    /* a flipped checksum byte (the frame's last four): zstd itself refuses */
    ((uint8_t *)buf)[len - 2] ^= 0xff;
    expect_failure("sum.zst", buf, len, TRACE_ORACLE_GENERAL, "zstd");
    ((uint8_t *)buf)[len - 2] ^= 0xff;
    /* a flipped byte in the middle: either zstd's structure or the checksum
     * catches it, or the records it garbles fail their own checks first;
     * which one depends on what the byte encoded, but never no error */
    ((uint8_t *)buf)[len / 2] ^= 0xff;
    expect_failure("bad.zst", buf, len, TRACE_ORACLE_GENERAL, "bad.zst: ");
    free(buf);
    /* a missing file */
    char path[128];
    path_of(path, sizeof path, "missing.csv");
    ck_assert(trace_open(path, TRACE_CSV, err, sizeof err) == NULL);
    ck_assert(strstr(err, path) != NULL);
    remove_dir();
}
END_TEST

/* Reads buf three ways, one request at a time, in batches of odd sizes and
 * checked only (trace_check_many, in runs of odd sizes too): the same
 * requests, the same count, largest key and end, the same message on a bad
 * record. */
static void many_vs_one(const void *buf, size_t len, const char *what)
{
    char e1[512] = "", e2[512] = "", e3[512] = "";
    trace_t *a = trace_open_mem(buf, len, TRACE_ORACLE_GENERAL, "m.bin", e1, sizeof e1);
    trace_t *b = trace_open_mem(buf, len, TRACE_ORACLE_GENERAL, "m.bin", e2, sizeof e2);
    trace_t *c = trace_open_mem(buf, len, TRACE_ORACLE_GENERAL, "m.bin", e3, sizeof e3);
    ck_assert(a && b && c);
    static trace_req_t batch[777];
    int rc1, batches = 0;
    int64_t got, checked;
    uint64_t i = 0, max_key = 0, max_checked = 0, nchecked = 0;
    while ((checked = trace_check_many(c, 1 + (size_t)(batches++ * 97) % 1000, &max_checked, e3, sizeof e3)) > 0)
        nchecked += (uint64_t)checked;
    batches = 0;
    trace_req_t r;
    for (;;) {
        got = trace_next_many(b, batch, 1 + (size_t)(batches++ * 131) % 777, e2, sizeof e2);
        if (got <= 0) break;
        for (int64_t k = 0; k < got; k++, i++) {
            if (batch[k].key > max_key) max_key = batch[k].key;
            rc1 = trace_next(a, &r, e1, sizeof e1);
            ck_assert_msg(rc1 == 1, "%s: request %llu: one at a time ended first", what, (unsigned long long)i + 1);
            ck_assert_msg(r.time == batch[k].time && r.key == batch[k].key && r.size == batch[k].size &&
                          r.next_access == batch[k].next_access, "%s: request %llu differs", what,
                          (unsigned long long)i + 1);
        }
    }
    rc1 = trace_next(a, &r, e1, sizeof e1);
    ck_assert_int_eq(rc1, (int)got);
    ck_assert_int_eq(checked, got);
    if (got < 0) ck_assert_str_eq(e1, e2);
    if (got < 0) ck_assert_str_eq(e1, e3);
    ck_assert_uint_eq(trace_count(a), trace_count(b));
    ck_assert_uint_eq(nchecked, trace_count(b));
    ck_assert_uint_eq(max_checked, max_key);
    ck_assert_int_eq(trace_span(a), trace_span(b));
    ck_assert_int_eq(trace_span(c), trace_span(b));
    trace_close(a);
    trace_close(b);
    trace_close(c);
}

START_TEST(many_equals_one_at_a_time)
{
    for (int z = 0; z < 2; z++) {
        tracegen_config_t cfg = config(TRACE_ORACLE_GENERAL, z);
        void *buf;
        size_t len;
        char err[512];
        ck_assert(tracegen_write_mem(&cfg, &buf, &len, err, sizeof err) == 0);
        many_vs_one(buf, len, z ? "zstd" : "plain");
        free(buf);
    }
    /* 3000 good records, then one bad in each way a record can be bad */
    enum { N = 3001 };
    uint8_t *bin = malloc(N * 24 + 10);
    for (int bad = 0; bad < 5; bad++) {
        size_t n = 0;
        for (int i = 0; i < N; i++) {
            uint32_t t = 100 + (uint32_t)i / 3, size = (uint32_t)i % 7 == 0 ? 0 : 500;
            uint64_t id = (uint64_t)i % 50 + 1;
            int64_t next = i + 50 < N ? i + 51 : -1;
            if (i == N - 1) {
                if (bad == 0) t = 99;              /* time goes backwards */
                if (bad == 1) id = UINT64_MAX;     /* reserved id */
                if (bad == 2) next = i + 1;        /* next access not after it */
                if (bad == 3) next = -2;
            }
            n += record(bin + n, t, id, size, next);
        }
        if (bad == 4) { memset(bin + n, 1, 10); n += 10; }   /* truncated */
        many_vs_one(bin, n, "bad record");
    }
    free(bin);
}
END_TEST

START_TEST(empty_binary_and_names)
{
    make_dir();
    char path[128], err[256];
    path_of(path, sizeof path, "empty.bin");
    write_text(path, "");
    trace_t *t = trace_open(path, TRACE_ORACLE_GENERAL, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    trace_req_t r;
    ck_assert_int_eq(trace_next(t, &r, err, sizeof err), 0);
    trace_close(t);
    ck_assert_int_eq(trace_format_parse("csv"), TRACE_CSV);
    ck_assert_int_eq(trace_format_parse("webcachesim"), TRACE_WEBCACHESIM);
    ck_assert_int_eq(trace_format_parse("oracleGeneral"), TRACE_ORACLE_GENERAL);
    ck_assert_int_eq(trace_format_parse("parquet"), -1);
    remove_dir();
}
END_TEST

/* Garbage and mutated traces: every reader ends in 0 or -1 (with a message
 * naming the file), never crashes or loops (the sanitizer build checks the
 * memory side). */
START_TEST(garbage_never_crashes)
{
    make_dir();
    char path[128], err[512];
    path_of(path, sizeof path, "g");
    tracegen_config_t cfg = config(TRACE_CSV, false);
    cfg.requests = 200;
    srand(4);
    for (int round = 0; round < 126; round++) {
        trace_format_t fmt = (trace_format_t)(round % 3);
        cfg.format = (trace_format_t)(round / 3 % 3);
        cfg.zstd = round % 7 == 0;
        void *buf;
        size_t len;
        ck_assert(tracegen_write_mem(&cfg, &buf, &len, err, sizeof err) == 0);
        uint8_t *b = buf;
        /* flip some bytes, maybe cut the end, maybe pure noise */
        if (round % 5 == 0) for (size_t i = 0; i < len; i++) b[i] = (uint8_t)rand();
        else for (int f = 0; f < 1 + rand() % 8; f++) b[(size_t)rand() % len] = (uint8_t)rand();
        size_t cut = round % 2 ? len - (size_t)rand() % (len / 2 + 1) : len;
        FILE *f = fopen(path, "wb");
        ck_assert(f != NULL);
        fwrite(b, 1, cut, f);
        fclose(f);
        free(buf);
        trace_t *t = trace_open(path, fmt, err, sizeof err);
        int rc = 0;
        uint64_t n = 0;
        if (t) {
            trace_req_t r;
            while ((rc = trace_next(t, &r, err, sizeof err)) == 1) n++;
            ck_assert_uint_le(n, 200 + 1000);
            trace_close(t);
        }
        if (!t || rc < 0) ck_assert_msg(strstr(err, path) != NULL, "message without the file: %s", err);
    }
    remove_dir();
}
END_TEST

/* `cdnsim tracegen` end to end: the file equals the library's stream; bad
 * arguments exit 2 and leave no file. */
START_TEST(tracegen_command)
{
    make_dir();
    char path[128], err[512];
    path_of(path, sizeof path, "cmd.bin.zst");
    char *argv[] = { "tracegen", "--objects", "300", "--requests", "5000", "--alpha", "1.1",
                     "--size-dist", "lognormal", "--size-mean", "2000", "--size-sigma", "0.7",
                     "--rate", "20", "--format", "oracleGeneral", "--zstd", "--seed", "5",
                     "--out", path, NULL };
    ck_assert_int_eq(cmd_tracegen(22, argv), 0);
    tracegen_config_t cfg;
    tracegen_defaults(&cfg);
    cfg.objects = 300, cfg.requests = 5000, cfg.alpha = 1.1;
    cfg.size_dist = TRACEGEN_SIZE_LOGNORMAL, cfg.size_mean = 2000, cfg.size_sigma = 0.7;
    cfg.rate = 20, cfg.format = TRACE_ORACLE_GENERAL, cfg.zstd = true, cfg.seed = 5;
    trace_t *t = trace_open(path, TRACE_ORACLE_GENERAL, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    compare(t, &cfg, true);
    trace_close(t);
    /* usage errors: exit 2, nothing written */
    char bad[128];
    path_of(bad, sizeof bad, "bad.csv");
    char *a1[] = { "tracegen", "--objects", "0", "--requests", "5", "--alpha", "1", "--format", "csv",
                   "--out", bad, NULL };
    ck_assert_int_eq(cmd_tracegen(11, a1), 2);
    char *a2[] = { "tracegen", "--objects", "5", "--requests", "5", "--alpha", "1", "--format", "xml",
                   "--out", bad, NULL };
    ck_assert_int_eq(cmd_tracegen(11, a2), 2);
    char *a3[] = { "tracegen", "--objects", "5", "--requests", "5", "--alpha", "1", "--out", bad, NULL };
    ck_assert_int_eq(cmd_tracegen(9, a3), 2);
    char *a4[] = { "tracegen", "--bogus", NULL };
    ck_assert_int_eq(cmd_tracegen(2, a4), 2);
    ck_assert(access(bad, F_OK) != 0);
    remove_dir();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("trace");
    TCase *t = tcase_create("formats");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, csv_round_trip);
    tcase_add_test(t, csv_zstd_round_trip);
    tcase_add_test(t, webcachesim_round_trip);
    tcase_add_test(t, webcachesim_zstd_round_trip);
    tcase_add_test(t, oracle_round_trip);
    tcase_add_test(t, oracle_zstd_round_trip);
    tcase_add_test(t, memory_round_trip);
    tcase_add_test(t, generator_properties);
    tcase_add_test(t, csv_columns_by_name);
    tcase_add_test(t, malformed_traces);
    tcase_add_test(t, many_equals_one_at_a_time);
    tcase_add_test(t, empty_binary_and_names);
    tcase_add_test(t, garbage_never_crashes);
    tcase_add_test(t, tracegen_command);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return test_main(suite());
}
