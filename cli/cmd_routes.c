/* cmd_routes — `cdnsim routes`: every AS's best route to an anycast prefix.
 *
 * Reads an as-rel file, lets the --announce ASes originate one prefix, runs
 * models/bgp and writes the JSON of CONTRACT.md. The output can be tens of
 * megabytes for the whole Internet, and its size is the sum of the path
 * lengths, quadratic in the depth of the graph (a 100,000-AS provider chain
 * has 5e9 path entries): so the total is counted before anything is written
 * and refused past ROUTES_MAX_PATH_ASNS (--no-paths writes path lengths
 * instead, in linear space), and the JSON is streamed through a small
 * buffer into output_begin's temporary file, so no partial file is ever
 * left and memory stays flat whatever the output's size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "models/net/asgraph.h"
#include "models/net/bgp.h"
#include "sim/output.h"
#include "sim/wallclock.h"

/* The most path entries (ASNs in all the routes' paths) written: 50 million
 * is about 350 MB of JSON, a hundred times the whole Internet's routes
 * (75,000 ASes with paths of 4 to 5). Past it the paths are refused. */
#define ROUTES_MAX_PATH_ASNS 50000000

static void usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim routes --as-rel FILE --announce ASN[,ASN...] [--out FILE] [--timing]\n"
        "       cdnsim routes --topology FILE.graphml|FILE.json --announce ASN[,ASN...] ...\n\n"
        "Computes every AS's best route to one prefix originated by the --announce ASes\n"
        "(anycast) under the business policy: customer routes over peer over provider,\n"
        "then the shortest AS path, then the lowest next-hop ASN; export valley-free.\n\n"
        "  --as-rel FILE    AS relationships: 'a|b|-1' (a provider of b), 'a|b|0' (peers)\n"
        "  --topology FILE  instead of --as-rel: a GraphML (Topology Zoo style) or JSON\n"
        "                   topology, by extension (docs/routes.md)\n"
        "  --announce LIST  comma-separated originating ASNs, each ASN or ASN:N to prepend\n"
        "                   N extra copies of the ASN (0 to 255); repeatable\n"
        "  --out FILE       write the JSON here (atomically) instead of standard output\n"
        "  --no-paths       write each route's \"path_len\" instead of its \"path\" (for graphs\n"
        "                   whose paths hold more than %d ASes in all)\n"
        "  --timing         print parse, compute and write times to standard error\n\n"
        "Output: {\"routes\": {\"ASN\": {\"origin\", \"next_hop\", \"path\", \"relationship\"}},\n"
        "         \"unreachable\": [ASN, ...]}\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n", ROUTES_MAX_PATH_ASNS);
}

/* ---- a buffered writer ---------------------------------------------------- */

typedef struct buf {
    char p[1 << 16];
    size_t n;
    FILE *f;
    bool failed;          /* a write failed: the rest is dropped */
} buf_t;

static bool reserve(buf_t *b, size_t more)
{
    if (b->failed) return false;
    if (b->n + more <= sizeof b->p) return true;
    if (fwrite(b->p, 1, b->n, b->f) != b->n) { b->failed = true; return false; }
    b->n = 0;
    return more <= sizeof b->p;
}

static bool flush(buf_t *b)
{
    return reserve(b, sizeof b->p) && fflush(b->f) == 0;
}

static void put(buf_t *b, const char *s, size_t len)
{
    if (!reserve(b, len)) return;
    memcpy(b->p + b->n, s, len);
    b->n += len;
}

/* For string literals only: sizeof gives their length at compile time. */
#define PUTS(b, lit) put((b), "" lit, sizeof(lit) - 1)

static void put_u32(buf_t *b, uint32_t v)
{
    char tmp[12];
    int k = 0;
    do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    if (!reserve(b, (size_t)k)) return;
    while (k) b->p[b->n++] = tmp[--k];
}

/* ---- the command ------------------------------------------------------- */

/* Adds the ASNs of one --announce value (ASN or ASN:PREPEND, comma
 * separated); -1 with a message on a bad one. */
static int parse_announce(const char *s, uint32_t **list, int **prep, int *n, int *cap)
{
    const char *p = s;
    for (;;) {
        const char *start = p;
        unsigned long long v = 0;
        int digits = 0;
        while (*p == ' ' || *p == '\t') p++;
        while (*p >= '0' && *p <= '9' && v <= 0xffffffffULL) { v = v * 10 + (unsigned)(*p++ - '0'); digits++; }
        long pre = 0;
        int pdigits = 1;
        if (*p == ':') {
            pdigits = 0;
            for (p++; *p >= '0' && *p <= '9' && pre <= 255; p++, pdigits++) pre = pre * 10 + (*p - '0');
            while (*p == ' ' || *p == '\t') p++;
        }
        if (!digits || v > 0xffffffffULL || !pdigits || pre > 255 || (*p && *p != ',')) {
            const char *end = strchr(start, ',');
            int len = end ? (int)(end - start) : (int)strlen(start);
            fprintf(stderr, "cdnsim routes: --announce: expected an ASN (a number up to "
                    "4294967295), or ASN:N with N prepends from 0 to 255, got '%.*s'\n", len, start);
            return -1;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            uint32_t *l = realloc(*list, (size_t)*cap * sizeof *l);
            if (l) *list = l;
            int *q = l ? realloc(*prep, (size_t)*cap * sizeof *q) : NULL;
            if (q) *prep = q;
            if (!l || !q) { fprintf(stderr, "cdnsim routes: out of memory\n"); return -1; }
        }
        (*prep)[*n] = (int)pre;
        (*list)[(*n)++] = (uint32_t)v;
        if (!*p) return 0;
        p++;
    }
}

/* The ASNs in all the routes' paths, prepends counted: the output's size. */
static uint64_t path_entries(const asg_t *g, const bgp_t *b)
{
    uint64_t total = 0;
    for (int v = 0; v < asg_node_count(g); v++) {
        bgp_route_t r = bgp_route(b, v);
        if (r.rel != BGP_REL_NONE) total += (uint64_t)r.len;
    }
    return total;
}

/* Streams the contract's JSON for every node into out; with paths false
 * each route has "path_len" instead of "path". -1 when out of memory. */
static int write_json(buf_t *out, const asg_t *g, const bgp_t *b, bool paths)
{
    int n = asg_node_count(g), maxlen = n + 2 + 255; /* a path of every AS, plus prepends */
    uint32_t *path = paths ? malloc((size_t)maxlen * sizeof *path) : NULL;
    if (paths && !path) return -1;
    PUTS(out, "{\"routes\": {");
    bool first = true;
    for (int v = 0; v < n; v++) {
        bgp_route_t r = bgp_route(b, v);
        if (r.rel == BGP_REL_NONE) continue;
        if (first) PUTS(out, "\n\""); else PUTS(out, ",\n\"");
        first = false;
        put_u32(out, asg_asn(g, v));
        PUTS(out, "\": {\"origin\": ");
        put_u32(out, bgp_asn_of(b, r.origin));
        PUTS(out, ", \"next_hop\": ");
        if (r.next_hop == BGP_NONE) PUTS(out, "null");
        else put_u32(out, bgp_asn_of(b, r.next_hop));
        if (paths) {
            PUTS(out, ", \"path\": [");
            int k = bgp_as_path(b, v, path, maxlen);
            for (int i = 0; i < k && i < maxlen; i++) {
                if (i) PUTS(out, ", ");
                put_u32(out, path[i]);
            }
            PUTS(out, "], \"relationship\": \"");
        } else {
            PUTS(out, ", \"path_len\": ");
            put_u32(out, (uint32_t)r.len);
            PUTS(out, ", \"relationship\": \"");
        }
        const char *rel = bgp_rel_name(r.rel);
        put(out, rel, strlen(rel));
        PUTS(out, "\"}");
    }
    if (first) PUTS(out, "},\n\"unreachable\": [");
    else PUTS(out, "\n},\n\"unreachable\": [");
    first = true;
    for (int v = 0; v < n; v++) {
        if (bgp_route(b, v).rel != BGP_REL_NONE) continue;
        if (!first) PUTS(out, ", ");
        first = false;
        put_u32(out, asg_asn(g, v));
    }
    PUTS(out, "]}\n");
    free(path);
    return 0;
}

int cmd_routes(int argc, char **argv)
{
    const char *asrel = NULL, *topo = NULL, *outpath = NULL;
    uint32_t *ann = NULL;
    int *prep = NULL, nann = 0, cann = 0, rc = 2;
    bool timing = false, paths = true;
    asg_t *g = NULL;
    bgp_t *b = NULL;
    buf_t *out = NULL;
    char err[1024], *tmp = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t keylen = eq && a[0] == '-' ? (size_t)(eq - a) : strlen(a);
        bool has_eq = eq && a[0] == '-';
#define IS(opt) (keylen == sizeof(opt) - 1 && strncmp(a, opt, keylen) == 0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); rc = 0; goto done; }
        if (IS("--timing") && !has_eq) { timing = true; continue; }
        if (IS("--no-paths") && !has_eq) { paths = false; continue; }
        if (IS("--as-rel") || IS("--topology") || IS("--announce") || IS("--out")) {
            if (has_eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else {
                fprintf(stderr, "cdnsim routes: %s needs a value\n\n", a);
                usage(stderr);
                goto done;
            }
            if (IS("--as-rel")) asrel = val;
            else if (IS("--topology")) topo = val;
            else if (IS("--out")) outpath = val;
            else if (parse_announce(val, &ann, &prep, &nann, &cann) != 0) goto done;
            continue;
        }
#undef IS
        fprintf(stderr, "cdnsim routes: unknown argument '%s'\n\n", a);
        usage(stderr);
        goto done;
    }
    if ((!asrel && !topo) || !nann) {
        fprintf(stderr, "cdnsim routes: %s is required\n\n",
                !asrel && !topo ? "--as-rel FILE" : "--announce ASN");
        usage(stderr);
        goto done;
    }
    if (asrel && topo) {
        fprintf(stderr, "cdnsim routes: give --as-rel or --topology, not both\n");
        goto done;
    }
    const char *input = asrel ? asrel : topo;
    if (!output_writable(outpath, err, sizeof err)) {
        cli_error("routes", err);
        goto done;
    }

    double t0 = wallclock_s();
    g = asrel ? asg_load_asrel(asrel, err, sizeof err) : asg_load(topo, err, sizeof err);
    if (!g) { cli_error("routes", err); goto done; }
    double t1 = wallclock_s();
    b = bgp_create(g);
    if (!b) { fprintf(stderr, "cdnsim routes: out of memory\n"); rc = 1; goto done; }
    for (int i = 0; i < nann; i++) {
        int v = asg_index(g, ann[i]);
        if (v < 0) {
            fprintf(stderr, "cdnsim routes: --announce: AS %u does not appear in %s\n", ann[i], input);
            goto done;
        }
        if (bgp_announce(b, v, prep[i], err, sizeof err) != 0) {
            cli_error("routes", err);
            goto done;
        }
    }
    double t2 = wallclock_s();
    if (bgp_compute(b, err, sizeof err) != 0) {
        cli_error("routes", err);
        rc = 1;
        goto done;
    }
    double t3 = wallclock_s();
    uint64_t entries = paths ? path_entries(g, b) : 0;
    if (entries > ROUTES_MAX_PATH_ASNS) {
        fprintf(stderr, "cdnsim routes: %s: the routes' paths hold %llu ASes in all, more than the "
                "%d written at most (the output would be about %.0f GB); --no-paths writes each "
                "route's length instead\n", input, (unsigned long long)entries, ROUTES_MAX_PATH_ASNS,
                (double)entries * 7 / 1e9);
        goto done;
    }
    rc = 1;
    out = calloc(1, sizeof *out);
    if (!out) { fprintf(stderr, "cdnsim routes: out of memory\n"); goto done; }
    out->f = output_begin(outpath, &tmp, err, sizeof err);
    if (!out->f) { cli_error("routes", err); goto done; }
    int wst = write_json(out, g, b, paths);
    bool ok = wst == 0 && flush(out);
    if (wst != 0) snprintf(err, sizeof err, "out of memory writing the result");
    else if (!ok) snprintf(err, sizeof err, "%s: cannot write: %s", outpath ? outpath : "standard output",
                           strerror(errno));
    char cerr[1024];
    if (output_commit(out->f, tmp, outpath, ok, cerr, sizeof cerr) != 0 || !ok) {
        cli_error("routes", ok ? cerr : err);
        goto done;
    }
    double t4 = wallclock_s();
    if (timing)
        fprintf(stderr, "routes: %d ASes, %d links, %d origins: parse %.3f s, compute %.4f s, "
                "write %.3f s, total %.3f s\n", asg_node_count(g), asg_link_count(g), nann,
                t1 - t0, t3 - t2, t4 - t3, t4 - t0);
    rc = 0;
done:
    free(out);
    free(ann);
    free(prep);
    bgp_free(b);
    asg_free(g);
    return rc;
}
