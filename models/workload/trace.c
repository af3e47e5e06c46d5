/* trace — streaming readers of csv, webcachesim and oracleGeneral traces,
 * plain or zstd-compressed; see trace.h.
 *
 * Three layers, each with a fixed buffer: the raw source (a FILE or a block
 * of memory), an optional zstd stream decoder, and the decoded window from
 * which records (24 bytes) or lines are cut. Invariant: buf[pos, len) holds
 * decoded bytes not yet consumed; `eof` is set only once the source and the
 * decoder are both exhausted, so "no bytes and eof" is the true end. A record
 * or line never spans a refill: fill() first moves the unconsumed tail to the
 * front. Times become nanoseconds since the first request, exactly (decimal
 * seconds are parsed digit by digit, not through a double). */
#include "models/workload/trace.h"
#include "sim/textfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zstd.h>

#define BUF_SIZE (1u << 20)     /* decoded window; also the longest text line */
#define RECORD_SIZE 24
#define MAX_FIELDS 64

const char *const trace_format_names[] = { "csv", "webcachesim", "oracleGeneral", NULL };

struct trace {
    trace_format_t fmt;
    char name[512];
    /* raw source: a file or memory */
    FILE *f;
    const uint8_t *mem;
    size_t mem_len, mem_pos;
    /* zstd layer, NULL for plain input */
    ZSTD_DStream *zd;
    uint8_t *zin;
    ZSTD_inBuffer zib;
    size_t zlast;               /* last ZSTD_decompressStream result: 0 = frame done */
    /* decoded window: win[pos, len), win being buf, or for a plain
     * oracleGeneral trace in memory the memory itself (read in place:
     * records need no line-length bound, so no window of BUF_SIZE) */
    uint8_t *buf;
    const uint8_t *win;
    size_t pos, len;
    bool eof;
    /* position, for messages and results */
    uint64_t count;             /* requests returned */
    uint64_t line;              /* text lines consumed */
    /* csv columns */
    int col_time, col_key, col_size;
    /* time */
    bool started;
    int64_t t0, last_abs;       /* ns, absolute as in the file */
    simtime_t span;
    /* from trace_annotate_next_access */
    int64_t *next;
    uint64_t nnext;
};

int trace_format_parse(const char *name)
{
    for (int i = 0; trace_format_names[i]; i++)
        if (strcasecmp(name, trace_format_names[i]) == 0) return i;
    return -1;
}

/* --- raw source and zstd layer --------------------------------------------- */

static size_t raw_read(trace_t *t, uint8_t *dst, size_t n)
{
    if (t->f) return fread(dst, 1, n, t->f);
    size_t k = t->mem_len - t->mem_pos < n ? t->mem_len - t->mem_pos : n;
    memcpy(dst, t->mem + t->mem_pos, k);
    t->mem_pos += k;
    return k;
}

static int fail(trace_t *t, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s", t->name, what);
    return -1;
}

/* Moves the unconsumed bytes to the front and decodes more after them. */
static int fill(trace_t *t, char *err, size_t errlen)
{
    if (t->pos) {
        memmove(t->buf, t->buf + t->pos, t->len - t->pos);
        t->len -= t->pos;
        t->pos = 0;
    }
    while (t->len < BUF_SIZE && !t->eof) {
        if (!t->zd) {
            size_t n = raw_read(t, t->buf + t->len, BUF_SIZE - t->len);
            if (n == 0) {
                if (t->f && ferror(t->f)) return fail(t, err, errlen, strerror(errno));
                t->eof = true;
            }
            t->len += n;
            continue;
        }
        if (t->zib.pos == t->zib.size) {
            size_t n = raw_read(t, t->zin, ZSTD_DStreamInSize());
            if (t->f && ferror(t->f)) return fail(t, err, errlen, strerror(errno));
            t->zib.size = n;
            t->zib.pos = 0;
            if (n == 0) {
                if (t->zlast != 0)
                    return fail(t, err, errlen, "truncated zstd stream (the file ends inside a frame)");
                t->eof = true;
                continue;
            }
        }
        ZSTD_outBuffer out = { t->buf + t->len, BUF_SIZE - t->len, 0 };
        size_t r = ZSTD_decompressStream(t->zd, &out, &t->zib);
        if (ZSTD_isError(r)) {
            char msg[256];
            snprintf(msg, sizeof msg, "corrupt zstd data: %s", ZSTD_getErrorName(r));
            return fail(t, err, errlen, msg);
        }
        t->zlast = r;
        t->len += out.pos;
    }
    return 0;
}

/* Looks at the first bytes: zstd frames start with 28 b5 2f fd. */
static int start_source(trace_t *t, char *err, size_t errlen)
{
    t->pos = t->len = 0;
    t->win = t->buf;
    t->eof = false;
    t->zlast = 0;
    size_t n = raw_read(t, t->zin, ZSTD_DStreamInSize());
    if (t->f && ferror(t->f)) return fail(t, err, errlen, strerror(errno));
    static const uint8_t magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
    if (n >= 4 && memcmp(t->zin, magic, 4) == 0) {
        if (!t->zd && !(t->zd = ZSTD_createDStream())) return fail(t, err, errlen, "out of memory");
        ZSTD_initDStream(t->zd);
        t->zib = (ZSTD_inBuffer){ t->zin, n, 0 };
    } else {
        if (t->zd) { ZSTD_freeDStream(t->zd); t->zd = NULL; }
        if (t->mem && t->fmt == TRACE_ORACLE_GENERAL) {
            t->win = t->mem;
            t->len = t->mem_len;
            t->eof = true;
            return 0;
        }
        memcpy(t->buf, t->zin, n);
        t->len = n;
        if (n == 0) t->eof = true;
    }
    return fill(t, err, errlen);
}

/* --- text parsing ------------------------------------------------------------ */

static int line_fail(trace_t *t, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: line %llu: %s", t->name, (unsigned long long)t->line, what);
    return -1;
}

/* The next line (without its end) in [*s, *s + *n); 0 at the end of input. */
static int next_line(trace_t *t, const char **s, size_t *n, char *err, size_t errlen)
{
    for (;;) {
        const uint8_t *start = t->win + t->pos;
        const uint8_t *nl = memchr(start, '\n', t->len - t->pos);
        if (nl || (t->eof && t->len > t->pos)) {
            size_t k = nl ? (size_t)(nl - start) : t->len - t->pos;
            t->pos += k + (nl != NULL);
            t->line++;
            if (k && start[k - 1] == '\r') k--;
            *s = (const char *)start;
            *n = k;
            return 1;
        }
        if (t->eof) return 0;
        if (t->pos == 0 && t->len == BUF_SIZE) {
            t->line++;
            return line_fail(t, err, errlen, "line longer than 1 MiB");
        }
        if (fill(t, err, errlen) != 0) return -1;
    }
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return false;
    return true;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
    if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"') (*s)++, *n -= 2;
}

/* Splits a csv line at commas outside double quotes; fields keep their quotes
 * (trim removes them). Returns the number of fields. */
static int split_csv(const char *s, size_t n, const char **f, size_t *fl)
{
    int k = 0;
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i <= n && k < MAX_FIELDS; i++) {
        if (i < n && s[i] == '"') quoted = !quoted;
        if (i == n || (s[i] == ',' && !quoted)) {
            f[k] = s + start;
            fl[k] = i - start;
            trim(&f[k], &fl[k]);
            k++;
            start = i + 1;
        }
    }
    return k;
}

static int split_ws(const char *s, size_t n, const char **f, size_t *fl)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < MAX_FIELDS) {
        while (i < n && isspace((unsigned char)s[i])) i++;
        if (i == n) break;
        size_t start = i;
        while (i < n && !isspace((unsigned char)s[i])) i++;
        f[k] = s + start;
        fl[k] = i - start;
        k++;
    }
    return k;
}

/* Decimal seconds to nanoseconds, exactly; other spellings (exponents) go
 * through strtod. false when not a nonnegative number in range. */
static bool parse_seconds(const char *s, size_t n, int64_t *ns)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return false;
    size_t i = 0;
    if (s[0] == '+') i++;
    int64_t whole = 0, frac = 0, scale = 1000000000;
    bool digits = false, exact = true;
    for (; i < n && isdigit((unsigned char)s[i]); i++) {
        if (whole > (INT64_MAX / 1000000000 - 9) / 10) return false;
        whole = whole * 10 + (s[i] - '0');
        digits = true;
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
            digits = true;
            if (scale > 1) { scale /= 10; frac += (s[i] - '0') * scale; }
        }
    }
    if (i < n) exact = false;
    if (exact) {
        if (!digits) return false;
        *ns = whole * 1000000000 + frac;
        return true;
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    double d = strtod(tmp, &end);
    if (*end || !(d >= 0) || d > 9.2e9) return false;
    *ns = (int64_t)llround(d * 1e9);
    return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *v)
{
    if (n == 0 || n > 20) return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10) return false;
        x = x * 10 + d;
    }
    *v = x;
    return true;
}

/* Decimal keys are themselves; any other text is hashed. */
uint64_t trace_key(const char *s, size_t n)
{
    uint64_t v;
    if (parse_u64(s, n, &v)) return v;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h == UINT64_MAX ? h - 1 : h; /* UINT64_MAX is no key (see finish) */
}

static bool name_is(const char *s, size_t n, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0) return true;
    return false;
}

static int read_csv_header(trace_t *t, char *err, size_t errlen)
{
    static const char *const time_names[] = { "time", "timestamp", NULL };
    static const char *const key_names[] = { "key", "id", "obj_id", NULL };
    static const char *const size_names[] = { "size", "obj_size", "bytes", NULL };
    const char *s;
    size_t n;
    int r;
    do {
        if ((r = next_line(t, &s, &n, err, errlen)) <= 0)
            return r < 0 ? -1 : fail(t, err, errlen, "empty csv trace: no header line");
    } while (blank(s, n));
    if (n >= 3 && (uint8_t)s[0] == 0xef && (uint8_t)s[1] == 0xbb && (uint8_t)s[2] == 0xbf)
        s += 3, n -= 3; /* a UTF-8 byte-order mark */
    const char *f[MAX_FIELDS];
    size_t fl[MAX_FIELDS];
    int k = split_csv(s, n, f, fl);
    t->col_time = t->col_key = t->col_size = -1;
    for (int i = 0; i < k; i++) {
        if (t->col_time < 0 && name_is(f[i], fl[i], time_names)) t->col_time = i;
        else if (t->col_key < 0 && name_is(f[i], fl[i], key_names)) t->col_key = i;
        else if (t->col_size < 0 && name_is(f[i], fl[i], size_names)) t->col_size = i;
    }
    if (t->col_time < 0)
        return line_fail(t, err, errlen, "csv header has no time column (time or timestamp)");
    if (t->col_key < 0)
        return line_fail(t, err, errlen, "csv header has no key column (key, id or obj_id)");
    if (t->col_size < 0)
        return line_fail(t, err, errlen, "csv header has no size column (size, obj_size or bytes)");
    return 0;
}

/* Common checks and conversions of one request. */
static int finish(trace_t *t, trace_req_t *r, int64_t abs_ns, uint64_t size, char *err, size_t errlen,
                  bool text)
{
    char msg[160];
    if (size > UINT32_MAX) {
        snprintf(msg, sizeof msg, "object size %llu is beyond 4 GiB", (unsigned long long)size);
        goto bad;
    }
    /* The simulator's key maps (in-flight fetches, cache index) mark empty
     * cells with UINT64_MAX: such a key would be taken for a free cell. */
    if (r->key == UINT64_MAX) {
        snprintf(msg, sizeof msg, "object id %llu is reserved (ids go up to 2^64 - 2)",
                 (unsigned long long)r->key);
        goto bad;
    }
    if (!t->started) {
        t->started = true;
        t->t0 = t->last_abs = abs_ns;
    }
    if (abs_ns < t->last_abs) {
        snprintf(msg, sizeof msg, "time goes backwards (%.9f s after %.9f s)", abs_ns / 1e9,
                 t->last_abs / 1e9);
        goto bad;
    }
    t->last_abs = abs_ns;
    r->time = abs_ns - t->t0;
    t->span = r->time;
    r->size = size ? (uint32_t)size : 1;
    if (t->next) r->next_access = t->count < t->nnext ? t->next[t->count] : -1;
    t->count++;
    return 1;
bad:
    if (text) return line_fail(t, err, errlen, msg);
    snprintf(err, errlen, "%s: record %llu: %s", t->name, (unsigned long long)t->count + 1, msg);
    return -1;
}

static int next_text(trace_t *t, trace_req_t *r, char *err, size_t errlen)
{
    const char *s;
    size_t n;
    int got;
    do {
        if ((got = next_line(t, &s, &n, err, errlen)) <= 0) return got;
    } while (blank(s, n));
    const char *f[MAX_FIELDS];
    size_t fl[MAX_FIELDS];
    int ti, ki, si, k;
    if (t->fmt == TRACE_CSV) {
        k = split_csv(s, n, f, fl);
        ti = t->col_time, ki = t->col_key, si = t->col_size;
    } else {
        k = split_ws(s, n, f, fl);
        ti = 0, ki = 1, si = 2;
    }
    int need = ti > ki ? ti : ki;
    if (si > need) need = si;
    if (k <= need) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected at least %d fields, found %d", need + 1, k);
        return line_fail(t, err, errlen, msg);
    }
    int64_t ns;
    uint64_t size;
    if (!parse_seconds(f[ti], fl[ti], &ns))
        return line_fail(t, err, errlen, "time is not a nonnegative number of seconds");
    if (fl[ki] == 0) return line_fail(t, err, errlen, "empty key");
    if (!parse_u64(f[si], fl[si], &size))
        return line_fail(t, err, errlen, "size is not a nonnegative integer");
    r->key = trace_key(f[ki], fl[ki]);
    r->next_access = -1;
    return finish(t, r, ns, size, err, errlen, true);
}

/* Little-endian loads: one move each where the host is little-endian. */
static inline uint32_t le32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

static inline uint64_t le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
#endif
}

static int next_record(trace_t *t, trace_req_t *r, char *err, size_t errlen)
{
    if (t->len - t->pos < RECORD_SIZE && !t->eof && fill(t, err, errlen) != 0) return -1;
    size_t have = t->len - t->pos;
    if (have == 0) return 0;
    if (have < RECORD_SIZE) {
        snprintf(err, errlen, "%s: record %llu: truncated (%zu of %d bytes)", t->name,
                 (unsigned long long)t->count + 1, have, RECORD_SIZE);
        return -1;
    }
    const uint8_t *p = t->win + t->pos;
    if (t->count == 0) {
        /* text mistaken for oracleGeneral would decode as garbage requests */
        bool text = true;
        for (int i = 0; i < RECORD_SIZE; i++)
            if (!isprint(p[i]) && !isspace(p[i])) text = false;
        if (text) {
            snprintf(err, errlen, "%s: record 1: looks like text, not oracleGeneral binary records",
                     t->name);
            return -1;
        }
    }
    t->pos += RECORD_SIZE;
    int64_t next = (int64_t)le64(p + 16);
    if (next < -1 || (next >= 0 && (uint64_t)next <= t->count + 1)) {
        snprintf(err, errlen, "%s: record %llu: next access %lld is not after this request",
                 t->name, (unsigned long long)t->count + 1, (long long)next);
        return -1;
    }
    r->key = le64(p + 4);
    r->next_access = next;
    return finish(t, r, (int64_t)le32(p) * 1000000000, le32(p + 12), err, errlen, false);
}

/* Decodes the whole records in the window into r[0..max) in one loop, with
 * the checks of next_record and finish inline; stops before the first record
 * that fails one (or the first of the trace, which is checked for text), so
 * next_record reports it with the same message. Returns how many. With r
 * NULL it only checks them, raising *max_key to the largest key. */
static inline __attribute__((always_inline)) size_t scan_records(trace_t *t, trace_req_t *r,
                                                                 size_t max, uint64_t *max_key)
{
    if (t->count == 0) return 0;
    size_t k = 0, have = (t->len - t->pos) / RECORD_SIZE;
    if (have < max) max = have;
    const uint8_t *p = t->win + t->pos;
    uint64_t count = t->count, top = r ? 0 : *max_key;
    int64_t last = t->last_abs, t0 = t->t0;
    for (; k < max; k++, p += RECORD_SIZE) {
        uint64_t key = le64(p + 4), next = le64(p + 16);
        uint32_t sec = le32(p), size = le32(p + 12);
        int64_t abs_ns = (int64_t)sec * 1000000000;
        if (key == UINT64_MAX || abs_ns < last ||
            ((int64_t)next != -1 && ((int64_t)next < -1 || next <= count + k + 1)))
            break;
        last = abs_ns;
        if (!r) {
            top = key > top ? key : top;
            continue;
        }
        r[k].time = abs_ns - t0;
        r[k].key = key;
        r[k].size = size ? size : 1;
        r[k].next_access = (int64_t)next;
    }
    if (k == 0) return 0;
    t->pos += k * RECORD_SIZE;
    t->last_abs = last;
    t->span = last - t0;
    t->count = count + k;
    if (!r) *max_key = top;
    return k;
}

int64_t trace_next_many(trace_t *t, trace_req_t *r, size_t max, char *err, size_t errlen)
{
    if (max == 0) return 0;
    if (t->fmt == TRACE_ORACLE_GENERAL && !t->next) {
        if (t->len - t->pos < RECORD_SIZE && !t->eof && fill(t, err, errlen) != 0) return -1;
        size_t k = scan_records(t, r, max, NULL);
        if (k) return (int64_t)k;
    }
    /* the first record, a failing one, text formats: one at a time */
    int got = trace_next(t, r, err, errlen);
    return got < 0 ? -1 : got;
}

int64_t trace_check_many(trace_t *t, size_t max, uint64_t *max_key, char *err, size_t errlen)
{
    if (max == 0) return 0;
    if (t->fmt == TRACE_ORACLE_GENERAL && !t->next) {
        if (t->len - t->pos < RECORD_SIZE && !t->eof && fill(t, err, errlen) != 0) return -1;
        size_t k = scan_records(t, NULL, max, max_key);
        if (k) return (int64_t)k;
    }
    trace_req_t r;
    int got = trace_next(t, &r, err, errlen);
    if (got > 0 && r.key > *max_key) *max_key = r.key;
    return got < 0 ? -1 : got;
}

/* --- public ------------------------------------------------------------------ */

static trace_t *open_common(trace_t *t, trace_format_t fmt, char *err, size_t errlen)
{
    t->fmt = fmt;
    t->buf = malloc(BUF_SIZE);
    t->zin = malloc(ZSTD_DStreamInSize());
    if (!t->buf || !t->zin) {
        fail(t, err, errlen, "out of memory");
        goto bad;
    }
    if (start_source(t, err, errlen) != 0) goto bad;
    if (fmt == TRACE_CSV && read_csv_header(t, err, errlen) != 0) goto bad;
    return t;
bad:
    trace_close(t);
    return NULL;
}

trace_t *trace_open(const char *path, trace_format_t fmt, char *err, size_t errlen)
{
    if ((int)fmt < 0 || fmt > TRACE_ORACLE_GENERAL) {
        snprintf(err, errlen, "%s: unknown trace format", path);
        return NULL;
    }
    trace_t *t = calloc(1, sizeof *t);
    if (!t) { snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    snprintf(t->name, sizeof t->name, "%s", path);
    char why[128];
    t->f = textfile_open(path, why, sizeof why); /* never blocks on a FIFO */
    if (!t->f) {
        snprintf(err, errlen, "%s: %s", path, why);
        free(t);
        return NULL;
    }
    return open_common(t, fmt, err, errlen);
}

trace_t *trace_open_mem(const void *buf, size_t len, trace_format_t fmt, const char *name,
                        char *err, size_t errlen)
{
    if ((int)fmt < 0 || fmt > TRACE_ORACLE_GENERAL) {
        snprintf(err, errlen, "%s: unknown trace format", name);
        return NULL;
    }
    trace_t *t = calloc(1, sizeof *t);
    if (!t) { snprintf(err, errlen, "%s: out of memory", name); return NULL; }
    snprintf(t->name, sizeof t->name, "%s", name);
    t->mem = buf;
    t->mem_len = len;
    return open_common(t, fmt, err, errlen);
}

int trace_next(trace_t *t, trace_req_t *r, char *err, size_t errlen)
{
    return t->fmt == TRACE_ORACLE_GENERAL ? next_record(t, r, err, errlen)
                                          : next_text(t, r, err, errlen);
}

void trace_close(trace_t *t)
{
    if (!t) return;
    if (t->f) fclose(t->f);
    ZSTD_freeDStream(t->zd);
    free(t->zin);
    free(t->buf);
    free(t->next);
    free(t);
}

uint64_t trace_count(const trace_t *t) { return t->count; }
simtime_t trace_span(const trace_t *t) { return t->span; }

/* --- next-access annotation ------------------------------------------------ */

typedef struct last_map {
    uint64_t *keys;
    int64_t *vals;
    uint8_t *used;
    uint64_t cells, n;
} last_map_t;

static uint64_t map_home(uint64_t k, uint64_t cells)
{
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33;
    return ((k >> 32) * cells) >> 32;
}

static int map_grow(last_map_t *m)
{
    uint64_t cells = m->cells ? m->cells * 2 : 1024;
    uint64_t *keys = malloc(cells * sizeof *keys);
    int64_t *vals = malloc(cells * sizeof *vals);
    uint8_t *used = calloc(cells, 1);
    if (!keys || !vals || !used) { free(keys); free(vals); free(used); return -1; }
    for (uint64_t i = 0; i < m->cells; i++) {
        if (!m->used[i]) continue;
        uint64_t h = map_home(m->keys[i], cells);
        while (used[h]) if (++h == cells) h = 0;
        used[h] = 1;
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys); free(m->vals); free(m->used);
    m->keys = keys; m->vals = vals; m->used = used; m->cells = cells;
    return 0;
}

/* The value cell for key, created (holding -1) when absent; NULL on OOM. */
static int64_t *map_slot(last_map_t *m, uint64_t key)
{
    if ((m->n + 1) * 2 > m->cells && map_grow(m) != 0) return NULL;
    uint64_t h = map_home(key, m->cells);
    while (m->used[h] && m->keys[h] != key) if (++h == m->cells) h = 0;
    if (!m->used[h]) {
        m->used[h] = 1;
        m->keys[h] = key;
        m->vals[h] = -1;
        m->n++;
    }
    return &m->vals[h];
}

int trace_annotate_next_access(trace_t *t, char *err, size_t errlen)
{
    if (t->count != 0) return fail(t, err, errlen, "annotate before reading requests");
    free(t->next);
    t->next = NULL;
    uint64_t n = 0, cap = 0;
    int64_t *keys = NULL;
    trace_req_t r;
    int got;
    while ((got = trace_next(t, &r, err, errlen)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            int64_t *k = realloc(keys, cap * sizeof *k);
            if (!k) { free(keys); return fail(t, err, errlen, "out of memory annotating the trace"); }
            keys = k;
        }
        keys[n++] = (int64_t)r.key;
    }
    if (got < 0) { free(keys); return -1; }
    /* backward: the next request of key at i is the last one seen after i */
    last_map_t m = { 0 };
    for (uint64_t i = n; i-- > 0;) {
        int64_t *v = map_slot(&m, (uint64_t)keys[i]);
        if (!v) {
            free(keys); free(m.keys); free(m.vals); free(m.used);
            return fail(t, err, errlen, "out of memory annotating the trace");
        }
        keys[i] = *v;
        *v = (int64_t)i + 1; /* 1-based request number */
    }
    free(m.keys); free(m.vals); free(m.used);
    /* rewind and read the header again */
    t->count = t->line = 0;
    t->started = false;
    t->span = 0;
    if (t->f && fseek(t->f, 0, SEEK_SET) != 0) {
        free(keys);
        return fail(t, err, errlen, "cannot rewind (annotation needs a regular file)");
    }
    t->mem_pos = 0;
    if (start_source(t, err, errlen) != 0 ||
        (t->fmt == TRACE_CSV && read_csv_header(t, err, errlen) != 0)) {
        free(keys);
        return -1;
    }
    t->next = keys;
    t->nnext = n;
    return 0;
}
