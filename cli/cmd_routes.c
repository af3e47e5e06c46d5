/* cmd_routes — `cdnsim routes`: every AS's best route to an anycast prefix.
 *
 * Reads an as-rel file, lets the --announce ASes originate one prefix, runs
 * models/bgp and writes the JSON of CONTRACT.md. The output can be tens of
 * megabytes for the whole Internet, so it is written by a small streaming
 * writer into one growing buffer (no tree of JSON objects), then handed to
 * output_write_atomic so no partial file is ever left. */
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
        "  --announce LIST  comma-separated originating ASNs; repeatable\n"
        "  --out FILE       write the JSON here (atomically) instead of standard output\n"
        "  --timing         print parse, compute and write times to standard error\n\n"
        "Output: {\"routes\": {\"ASN\": {\"origin\", \"next_hop\", \"path\", \"relationship\"}},\n"
        "         \"unreachable\": [ASN, ...]}\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

/* ---- a growing text buffer --------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
    bool oom;
} buf_t;

static bool reserve(buf_t *b, size_t more)
{
    if (b->oom) return false;
    if (b->n + more + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->n + more + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) { b->oom = true; return false; }
    b->p = p;
    b->cap = cap;
    return true;
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

/* Adds the ASNs of one --announce value; -1 with a message on a bad one. */
static int parse_announce(const char *s, uint32_t **list, int *n, int *cap)
{
    const char *p = s;
    for (;;) {
        const char *start = p;
        unsigned long long v = 0;
        int digits = 0;
        while (*p == ' ' || *p == '\t') p++;
        while (*p >= '0' && *p <= '9' && v <= 0xffffffffULL) { v = v * 10 + (unsigned)(*p++ - '0'); digits++; }
        while (*p == ' ' || *p == '\t') p++;
        if (!digits || v > 0xffffffffULL || (*p && *p != ',')) {
            const char *end = strchr(start, ',');
            int len = end ? (int)(end - start) : (int)strlen(start);
            fprintf(stderr, "cdnsim routes: --announce: expected an ASN (a number up to "
                    "4294967295), got '%.*s'\n", len, start);
            return -1;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            uint32_t *l = realloc(*list, (size_t)*cap * sizeof *l);
            if (!l) { fprintf(stderr, "cdnsim routes: out of memory\n"); return -1; }
            *list = l;
        }
        (*list)[(*n)++] = (uint32_t)v;
        if (!*p) return 0;
        p++;
    }
}

/* Writes the contract's JSON for every node into out. */
static void write_json(buf_t *out, const asg_t *g, const bgp_t *b)
{
    int n = asg_node_count(g);
    uint32_t *path = malloc(((size_t)n + 2) * sizeof *path);
    if (!path) { out->oom = true; return; }
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
        PUTS(out, ", \"path\": [");
        int k = bgp_path(b, v, path, n + 2);
        for (int i = 0; i < k && i < n + 2; i++) {
            if (i) PUTS(out, ", ");
            put_u32(out, path[i]);
        }
        PUTS(out, "], \"relationship\": \"");
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
    if (reserve(out, 0)) out->p[out->n] = 0;
    free(path);
}

int cmd_routes(int argc, char **argv)
{
    const char *asrel = NULL, *topo = NULL, *outpath = NULL;
    uint32_t *ann = NULL;
    int nann = 0, cann = 0, rc = 2;
    bool timing = false;
    asg_t *g = NULL;
    bgp_t *b = NULL;
    buf_t out = { 0 };
    char err[1024];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t keylen = eq && a[0] == '-' ? (size_t)(eq - a) : strlen(a);
        bool has_eq = eq && a[0] == '-';
#define IS(opt) (keylen == sizeof(opt) - 1 && strncmp(a, opt, keylen) == 0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); rc = 0; goto done; }
        if (IS("--timing") && !has_eq) { timing = true; continue; }
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
            else if (parse_announce(val, &ann, &nann, &cann) != 0) goto done;
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
        if (bgp_announce(b, v, 0, err, sizeof err) != 0) {
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
    write_json(&out, g, b);
    if (out.oom) { fprintf(stderr, "cdnsim routes: out of memory writing the result\n"); rc = 1; goto done; }
    if (output_write_atomic(outpath, out.p, err, sizeof err) != 0) {
        cli_error("routes", err);
        rc = 1;
        goto done;
    }
    double t4 = wallclock_s();
    if (timing)
        fprintf(stderr, "routes: %d ASes, %d links, %d origins: parse %.3f s, compute %.4f s, "
                "write %.3f s, total %.3f s\n", asg_node_count(g), asg_link_count(g), nann,
                t1 - t0, t3 - t2, t4 - t3, t4 - t0);
    rc = 0;
done:
    free(out.p);
    free(ann);
    bgp_free(b);
    asg_free(g);
    return rc;
}
