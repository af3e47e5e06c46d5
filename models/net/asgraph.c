/* asgraph — AS graphs, their loaders and their checks; see asgraph.h. */
#include "models/net/asgraph.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "sim/cfg.h"
#include "sim/textfile.h"

/* The three runs of a node's adjacency, in this order. */
enum { RUN_PROV, RUN_CUST, RUN_PEER, NRUNS };

/* rel of a builder link merged into an earlier identical one */
#define MERGED 99

struct asg {
    int n, m;
    uint32_t *asn;       /* ascending: index order is ASN order */
    char **name;         /* NULL when no node has a name */
    double *lat, *lon;   /* NULL when no node has coordinates; NAN per unknown node */
    int *off;            /* 3n+1 entries: run r of node v is adj[off[3v+r] .. off[3v+r+1]) */
    int *adj;            /* neighbour indices, ascending within each run */
    int *la, *lb;        /* link endpoints (a is the provider of a P2C link) */
    signed char *rel;    /* ASG_P2C or ASG_P2P per link */
    simtime_t *lat_ns;   /* per link, -1 when derived from geography; NULL when none stated */
};

/* ---- builder ----------------------------------------------------------- */

typedef struct blink {
    int a, b;            /* temporary node ids */
    int where;
    signed char rel;
    simtime_t latency_ns;
} blink_t;

struct asg_builder {
    char *file;
    asg_loc_t loc;
    bool merge;
    bool require_nodes;
    /* ASN -> temporary id, open addressing; slot empty when id < 0 */
    uint32_t *hkey;
    int *hval;
    size_t hcap;
    /* temporary nodes in order of first mention */
    int n, ncap;
    uint32_t *asn;
    char **name;
    double *lat, *lon;
    int *declared_at;    /* where the node was declared, -1 when only a link named it */
    int *first_link;     /* where a link first named it */
    bool any_name, any_point, any_latency;
    blink_t *links;
    int m, mcap;
};

/* "file:12", "file: edge 12" or "file: $.links[12]". */
static void locate(char *buf, size_t len, const char *file, asg_loc_t loc, const char *what,
                   int where)
{
    switch (loc) {
    case ASG_LOC_LINE: snprintf(buf, len, "%s:%d", file, where); break;
    case ASG_LOC_EDGE: snprintf(buf, len, "%s: %s %d", file, what[0] == 'l' ? "edge" : "node",
                                where); break;
    case ASG_LOC_JSON: snprintf(buf, len, "%s: $.%s[%d]", file, what, where); break;
    }
}

/* The same place without the file: "line 12", "edge 12", "$.links[12]". */
static void place(char *buf, size_t len, asg_loc_t loc, const char *what, int where)
{
    switch (loc) {
    case ASG_LOC_LINE: snprintf(buf, len, "line %d", where); break;
    case ASG_LOC_EDGE: snprintf(buf, len, "%s %d", what[0] == 'l' ? "edge" : "node", where); break;
    case ASG_LOC_JSON: snprintf(buf, len, "$.%s[%d]", what, where); break;
    }
}

static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
    return x;
}

static int grow_hash(asg_builder_t *b)
{
    size_t cap = b->hcap ? b->hcap * 2 : 1024;
    uint32_t *k = malloc(cap * sizeof *k);
    int *v = malloc(cap * sizeof *v);
    if (!k || !v) { free(k); free(v); return -1; }
    for (size_t i = 0; i < cap; i++) v[i] = -1;
    for (int id = 0; id < b->n; id++) {
        size_t s = hash32(b->asn[id]) & (cap - 1);
        while (v[s] >= 0) s = (s + 1) & (cap - 1);
        k[s] = b->asn[id];
        v[s] = id;
    }
    free(b->hkey); free(b->hval);
    b->hkey = k; b->hval = v; b->hcap = cap;
    return 0;
}

static int grow_nodes(asg_builder_t *b)
{
    int cap = b->ncap ? b->ncap * 2 : 256;
    uint32_t *asn = realloc(b->asn, (size_t)cap * sizeof *asn);
    if (asn) b->asn = asn;
    char **name = realloc(b->name, (size_t)cap * sizeof *name);
    if (name) b->name = name;
    double *lat = realloc(b->lat, (size_t)cap * sizeof *lat);
    if (lat) b->lat = lat;
    double *lon = realloc(b->lon, (size_t)cap * sizeof *lon);
    if (lon) b->lon = lon;
    int *d = realloc(b->declared_at, (size_t)cap * sizeof *d);
    if (d) b->declared_at = d;
    int *fl = realloc(b->first_link, (size_t)cap * sizeof *fl);
    if (fl) b->first_link = fl;
    if (!asn || !name || !lat || !lon || !d || !fl) return -1;
    b->ncap = cap;
    return 0;
}

/* The temporary id of asn, created when new; -1 when out of memory. */
static int node_id(asg_builder_t *b, uint32_t asn, bool *created)
{
    *created = false;
    if ((size_t)b->n * 2 >= b->hcap && grow_hash(b) != 0) return -1;
    size_t s = hash32(asn) & (b->hcap - 1);
    while (b->hval[s] >= 0) {
        if (b->hkey[s] == asn) return b->hval[s];
        s = (s + 1) & (b->hcap - 1);
    }
    if (b->n == b->ncap && grow_nodes(b) != 0) return -1;
    int id = b->n++;
    b->asn[id] = asn;
    b->name[id] = NULL;
    b->lat[id] = b->lon[id] = NAN;
    b->declared_at[id] = -1;
    b->first_link[id] = -1;
    b->hkey[s] = asn;
    b->hval[s] = id;
    *created = true;
    return id;
}

asg_builder_t *asg_builder_create(const char *name, asg_loc_t loc, bool merge_duplicates)
{
    asg_builder_t *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->file = strdup(name ? name : "(graph)");
    if (!b->file || grow_hash(b) != 0 || grow_nodes(b) != 0) { asg_builder_free(b); return NULL; }
    b->loc = loc;
    b->merge = merge_duplicates;
    return b;
}

void asg_builder_free(asg_builder_t *b)
{
    if (!b) return;
    for (int i = 0; i < b->n; i++) free(b->name[i]);
    free(b->file); free(b->hkey); free(b->hval); free(b->asn); free(b->name);
    free(b->lat); free(b->lon); free(b->declared_at); free(b->first_link); free(b->links);
    free(b);
}

void asg_builder_require_nodes(asg_builder_t *b, bool on) { b->require_nodes = on; }

int asg_builder_node(asg_builder_t *b, uint32_t asn, const char *name, double lat, double lon,
                     int where, char *err, size_t errlen)
{
    char at[512];
    bool created;
    int id = node_id(b, asn, &created);
    if (id < 0) { snprintf(err, errlen, "%s: out of memory", b->file); return -1; }
    if (b->declared_at[id] >= 0) {
        locate(at, sizeof at, b->file, b->loc, "nodes", where);
        char first[64];
        place(first, sizeof first, b->loc, "nodes", b->declared_at[id]);
        snprintf(err, errlen, "%s: AS %u is declared twice (first at %s)", at, asn, first);
        return -1;
    }
    b->declared_at[id] = where;
    if (name) {
        if (!(b->name[id] = strdup(name))) {
            snprintf(err, errlen, "%s: out of memory", b->file);
            return -1;
        }
        b->any_name = true;
    }
    if (!isnan(lat) || !isnan(lon)) {
        if (!geo_valid(lat, lon)) {
            locate(at, sizeof at, b->file, b->loc, "nodes", where);
            snprintf(err, errlen, "%s: AS %u: coordinates (%g, %g) are not a latitude in "
                     "[-90, 90] and a longitude in [-180, 180]", at, asn, lat, lon);
            return -1;
        }
        b->lat[id] = lat;
        b->lon[id] = lon;
        b->any_point = true;
    }
    return 0;
}

int asg_builder_link(asg_builder_t *b, uint32_t a, uint32_t bb, int rel, simtime_t latency_ns,
                     int where, char *err, size_t errlen)
{
    char at[512];
    if (a == bb) {
        locate(at, sizeof at, b->file, b->loc, "links", where);
        snprintf(err, errlen, "%s: self link: AS %u cannot be its own %s", at, a,
                 rel == ASG_P2C ? "provider" : "peer");
        return -1;
    }
    if (rel != ASG_P2C && rel != ASG_P2P) {
        locate(at, sizeof at, b->file, b->loc, "links", where);
        snprintf(err, errlen, "%s: relationship %d is neither -1 (provider-customer) nor 0 "
                 "(peer)", at, rel);
        return -1;
    }
    bool c1, c2;
    int ia = node_id(b, a, &c1), ib = ia < 0 ? -1 : node_id(b, bb, &c2);
    if (b->m == b->mcap) {
        int cap = b->mcap ? b->mcap * 2 : 1024;
        blink_t *l = realloc(b->links, (size_t)cap * sizeof *l);
        if (!l) ia = -1; else { b->links = l; b->mcap = cap; }
    }
    if (ia < 0 || ib < 0) { snprintf(err, errlen, "%s: out of memory", b->file); return -1; }
    if (b->first_link[ia] < 0) b->first_link[ia] = where;
    if (b->first_link[ib] < 0) b->first_link[ib] = where;
    blink_t *l = &b->links[b->m++];
    l->a = ia; l->b = ib; l->rel = (signed char)rel; l->where = where;
    l->latency_ns = latency_ns;
    if (latency_ns >= 0) b->any_latency = true;
    return 0;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}


/* Finds repeated node pairs with a hash over the unordered pair: O(E).
 * Merges or reports them; marks merged links MERGED. */
static int check_duplicates(asg_builder_t *b, char *err, size_t errlen)
{
    size_t cap = 16;
    while (cap < (size_t)b->m * 2 + 16) cap *= 2;
    uint64_t *key = malloc(cap * sizeof *key);
    int *val = malloc(cap * sizeof *val);
    if (!key || !val) {
        free(key); free(val);
        snprintf(err, errlen, "%s: out of memory", b->file);
        return -1;
    }
    for (size_t i = 0; i < cap; i++) val[i] = -1;
    int rc = 0;
    for (int i = 0; i < b->m && rc == 0; i++) {
        blink_t *l = &b->links[i];
        uint32_t lo = (uint32_t)(l->a < l->b ? l->a : l->b), hi = (uint32_t)(l->a < l->b ? l->b : l->a);
        uint64_t k = (uint64_t)lo << 32 | hi;
        size_t s = (size_t)(k * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
        while (val[s] >= 0 && key[s] != k) s = (s + 1) & (cap - 1);
        if (val[s] < 0) { key[s] = k; val[s] = i; continue; }
        blink_t *f = &b->links[val[s]];
        bool same = f->rel == l->rel && (l->rel == ASG_P2P || f->a == l->a);
        char at[512], other[64];
        locate(at, sizeof at, b->file, b->loc, "links", l->where);
        place(other, sizeof other, b->loc, "links", f->where);
        uint32_t x = b->asn[l->a], y = b->asn[l->b];
        if (same && b->merge) {
            if (l->latency_ns >= 0 && (f->latency_ns < 0 || l->latency_ns < f->latency_ns))
                f->latency_ns = l->latency_ns;
            l->rel = MERGED;
        } else if (same) {
            snprintf(err, errlen, "%s: duplicate link %u|%u|%d: already given at %s", at,
                     x, y, l->rel, other);
            rc = -1;
        } else {
            char what_f[96], what_l[96];
            if (f->rel == ASG_P2C)
                snprintf(what_f, sizeof what_f, "AS %u is a provider of AS %u", b->asn[f->a], b->asn[f->b]);
            else
                snprintf(what_f, sizeof what_f, "AS %u and AS %u are peers", b->asn[f->a], b->asn[f->b]);
            if (l->rel == ASG_P2C)
                snprintf(what_l, sizeof what_l, "AS %u is a provider of AS %u", x, y);
            else
                snprintf(what_l, sizeof what_l, "AS %u and AS %u are peers", x, y);
            snprintf(err, errlen, "%s: contradictory links: here %s, but %s says %s", at,
                     what_l, other, what_f);
            rc = -1;
        }
    }
    free(key); free(val);
    return rc;
}

/* Builds the CSR: unsorted first, then transposed into a second array.
 * Transposing visits sources in ascending order, so every run comes out
 * sorted without a sort; the relation is symmetric (provider of <-> customer
 * of), so the transpose of the adjacency is the adjacency. */
static int build_csr(asg_t *g)
{
    int n = g->n;
    g->off = calloc((size_t)3 * n + 1, sizeof *g->off);
    int *cur = malloc(((size_t)3 * n + 1) * sizeof *cur);
    int *tmp = malloc(((size_t)2 * g->m + 1) * sizeof *tmp);
    g->adj = malloc(((size_t)2 * g->m + 1) * sizeof *g->adj);
    if (!g->off || !cur || !tmp || !g->adj) { free(cur); free(tmp); return -1; }
    for (int i = 0; i < g->m; i++) {
        if (g->rel[i] == ASG_P2C) { g->off[3 * g->la[i] + RUN_CUST]++; g->off[3 * g->lb[i] + RUN_PROV]++; }
        else { g->off[3 * g->la[i] + RUN_PEER]++; g->off[3 * g->lb[i] + RUN_PEER]++; }
    }
    int sum = 0;
    for (int r = 0; r < 3 * n; r++) { int c = g->off[r]; g->off[r] = sum; sum += c; }
    g->off[3 * n] = sum;
    memcpy(cur, g->off, ((size_t)3 * n + 1) * sizeof *cur);
    for (int i = 0; i < g->m; i++) {
        int a = g->la[i], b = g->lb[i];
        if (g->rel[i] == ASG_P2C) { tmp[cur[3 * a + RUN_CUST]++] = b; tmp[cur[3 * b + RUN_PROV]++] = a; }
        else { tmp[cur[3 * a + RUN_PEER]++] = b; tmp[cur[3 * b + RUN_PEER]++] = a; }
    }
    static const int reverse[NRUNS] = { RUN_CUST, RUN_PROV, RUN_PEER };
    memcpy(cur, g->off, ((size_t)3 * n + 1) * sizeof *cur);
    for (int u = 0; u < n; u++)
        for (int r = 0; r < NRUNS; r++)
            for (int k = g->off[3 * u + r]; k < g->off[3 * u + r + 1]; k++) {
                int w = tmp[k];
                g->adj[cur[3 * w + reverse[r]]++] = u;
            }
    free(cur); free(tmp);
    return 0;
}

/* Kahn's algorithm down the provider->customer relation; what it cannot
 * peel off lies on or below a cycle. Walking up through unpeeled providers
 * from an unpeeled node must then revisit a node: that loop is the cycle. */
static int check_cycles(const asg_t *g, const asg_builder_t *b, const int *link_where,
                        char *err, size_t errlen)
{
    int n = g->n, rc = 0;
    int *indeg = malloc((size_t)n * sizeof *indeg), *queue = malloc((size_t)n * sizeof *queue);
    if (!indeg || !queue) {
        free(indeg); free(queue);
        snprintf(err, errlen, "%s: out of memory", b->file);
        return -1;
    }
    int head = 0, tail = 0;
    for (int v = 0; v < n; v++) {
        indeg[v] = g->off[3 * v + RUN_PROV + 1] - g->off[3 * v + RUN_PROV];
        if (indeg[v] == 0) queue[tail++] = v;
    }
    while (head < tail) {
        int v = queue[head++];
        for (int k = g->off[3 * v + RUN_CUST]; k < g->off[3 * v + RUN_CUST + 1]; k++)
            if (--indeg[g->adj[k]] == 0) queue[tail++] = g->adj[k];
    }
    if (tail < n) {
        int v = 0;
        while (indeg[v] == 0) v++;
        /* queue is free now: reuse it as "step at which the walk met node" */
        int *walk = malloc(((size_t)n + 1) * sizeof *walk);
        if (!walk) { free(indeg); free(queue); snprintf(err, errlen, "%s: out of memory", b->file); return -1; }
        for (int i = 0; i < n; i++) queue[i] = -1;
        int step = 0;
        while (queue[v] < 0) {
            queue[v] = step;
            walk[step++] = v;
            int next = -1;
            for (int k = g->off[3 * v + RUN_PROV]; k < g->off[3 * v + RUN_PROV + 1]; k++)
                if (indeg[g->adj[k]] > 0) { next = g->adj[k]; break; }
            v = next;   /* an unpeeled node always has an unpeeled provider */
        }
        /* walk[first..step) is the cycle, each node's successor its provider;
         * print it the other way, provider first */
        int first = queue[v], len = step - first;
        char chain[600] = "", lines[300] = "";
        size_t cl = 0, ll = 0;
        for (int i = len; i >= 0 && cl < sizeof chain - 40; i--)
            cl += (size_t)snprintf(chain + cl, sizeof chain - cl, "%s%u", i == len ? "" : " -> ",
                                   g->asn[walk[first + i % len]]);
        if (cl >= sizeof chain - 40) snprintf(chain + cl, sizeof chain - cl, " ...");
        for (int i = len; i > 0 && i > len - 12 && ll < sizeof lines - 24; i--) {
            int p = walk[first + i % len], c = walk[first + i - 1];
            for (int li = 0; li < g->m; li++)
                if (g->la[li] == p && g->lb[li] == c && g->rel[li] == ASG_P2C) {
                    ll += (size_t)snprintf(lines + ll, sizeof lines - ll, "%s%d",
                                           ll ? ", " : "", link_where[li]);
                    break;
                }
        }
        if (len > 12) snprintf(lines + ll, sizeof lines - ll, ", ...");
        free(walk);
        const char *unit = b->loc == ASG_LOC_LINE ? "lines" : b->loc == ASG_LOC_EDGE ? "edges" : "$.links";
        snprintf(err, errlen, "%s: provider-customer cycle: %s (each a provider of the next; %s %s)",
                 b->file, chain, unit, lines);
        rc = -1;
    }
    free(indeg); free(queue);
    return rc;
}

asg_t *asg_builder_finish(asg_builder_t *b, char *err, size_t errlen)
{
    asg_t *g = NULL;
    int *remap = NULL, *where = NULL;
    uint32_t *sorted = NULL;
    if (b->require_nodes)
        for (int id = 0; id < b->n; id++)
            if (b->declared_at[id] < 0) {
                char at[512];
                locate(at, sizeof at, b->file, b->loc, "links", b->first_link[id]);
                snprintf(err, errlen, "%s: unknown AS %u: it is not among the nodes", at, b->asn[id]);
                goto fail;
            }
    if (check_duplicates(b, err, errlen) != 0) goto fail;

    g = calloc(1, sizeof *g);
    sorted = malloc(((size_t)b->n + 1) * sizeof *sorted);
    remap = malloc(((size_t)b->n + 1) * sizeof *remap);
    if (!g || !sorted || !remap) goto oom;
    g->n = b->n;
    memcpy(sorted, b->asn, (size_t)b->n * sizeof *sorted);
    qsort(sorted, (size_t)b->n, sizeof *sorted, cmp_u32);
    g->asn = sorted;
    sorted = NULL;
    for (int id = 0; id < b->n; id++) {
        int i = asg_index(g, b->asn[id]);
        remap[id] = i;
    }
    if (b->any_name) {
        if (!(g->name = calloc((size_t)b->n + 1, sizeof *g->name))) goto oom;
        for (int id = 0; id < b->n; id++) { g->name[remap[id]] = b->name[id]; b->name[id] = NULL; }
    }
    if (b->any_point) {
        g->lat = malloc(((size_t)b->n + 1) * sizeof *g->lat);
        g->lon = malloc(((size_t)b->n + 1) * sizeof *g->lon);
        if (!g->lat || !g->lon) goto oom;
        for (int id = 0; id < b->n; id++) { g->lat[remap[id]] = b->lat[id]; g->lon[remap[id]] = b->lon[id]; }
    }
    int m = 0;
    for (int i = 0; i < b->m; i++) m += b->links[i].rel != MERGED;
    g->m = m;
    g->la = malloc(((size_t)m + 1) * sizeof *g->la);
    g->lb = malloc(((size_t)m + 1) * sizeof *g->lb);
    g->rel = malloc((size_t)m + 1);
    where = malloc(((size_t)m + 1) * sizeof *where);
    if (b->any_latency) g->lat_ns = malloc(((size_t)m + 1) * sizeof *g->lat_ns);
    if (!g->la || !g->lb || !g->rel || !where || (b->any_latency && !g->lat_ns)) goto oom;
    for (int i = 0, j = 0; i < b->m; i++) {
        const blink_t *l = &b->links[i];
        if (l->rel == MERGED) continue;
        g->la[j] = remap[l->a]; g->lb[j] = remap[l->b]; g->rel[j] = l->rel;
        where[j] = l->where;
        if (g->lat_ns) g->lat_ns[j] = l->latency_ns;
        j++;
    }
    if (build_csr(g) != 0) goto oom;
    if (check_cycles(g, b, where, err, errlen) != 0) goto fail;
    free(remap); free(where);
    asg_builder_free(b);
    return g;
oom:
    snprintf(err, errlen, "%s: out of memory", b->file);
fail:
    free(remap); free(where); free(sorted);
    asg_free(g);
    asg_builder_free(b);
    return NULL;
}

void asg_free(asg_t *g)
{
    if (!g) return;
    if (g->name) for (int i = 0; i < g->n; i++) free(g->name[i]);
    free(g->asn); free(g->name); free(g->lat); free(g->lon); free(g->off); free(g->adj);
    free(g->la); free(g->lb); free(g->rel); free(g->lat_ns);
    free(g);
}

/* ---- reading ----------------------------------------------------------- */

int asg_node_count(const asg_t *g) { return g->n; }
int asg_link_count(const asg_t *g) { return g->m; }
uint32_t asg_asn(const asg_t *g, int v) { return g->asn[v]; }

int asg_index(const asg_t *g, uint32_t asn)
{
    int lo = 0, hi = g->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->asn[mid] == asn) return mid;
        if (g->asn[mid] < asn) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

const char *asg_name(const asg_t *g, int v) { return g->name ? g->name[v] : NULL; }

bool asg_point(const asg_t *g, int v, geo_point_t *out)
{
    if (!g->lat || isnan(g->lat[v])) return false;
    out->lat = g->lat[v];
    out->lon = g->lon[v];
    return true;
}

static int run(const asg_t *g, int v, int r, const int **out)
{
    *out = g->adj + g->off[3 * v + r];
    return g->off[3 * v + r + 1] - g->off[3 * v + r];
}

int asg_providers(const asg_t *g, int v, const int **out) { return run(g, v, RUN_PROV, out); }
int asg_customers(const asg_t *g, int v, const int **out) { return run(g, v, RUN_CUST, out); }
int asg_peers(const asg_t *g, int v, const int **out) { return run(g, v, RUN_PEER, out); }

void asg_link(const asg_t *g, int i, int *a, int *b, int *rel, simtime_t *latency_ns)
{
    *a = g->la[i];
    *b = g->lb[i];
    *rel = g->rel[i];
    *latency_ns = g->lat_ns ? g->lat_ns[i] : -1;
}

int asg_check(const asg_t *g, char *err, size_t errlen)
{
    for (int v = 1; v < g->n; v++)
        if (g->asn[v - 1] >= g->asn[v]) {
            snprintf(err, errlen, "ASNs not strictly ascending at index %d", v);
            return -1;
        }
    if (g->off[3 * g->n] != 2 * g->m) {
        snprintf(err, errlen, "adjacency holds %d entries for %d links", g->off[3 * g->n], g->m);
        return -1;
    }
    for (int v = 0; v < g->n; v++)
        for (int r = 0; r < NRUNS; r++)
            for (int k = g->off[3 * v + r]; k < g->off[3 * v + r + 1]; k++) {
                int w = g->adj[k];
                if (w < 0 || w >= g->n || w == v) {
                    snprintf(err, errlen, "node %d: bad neighbour %d", v, w);
                    return -1;
                }
                if (k > g->off[3 * v + r] && g->adj[k - 1] >= w) {
                    snprintf(err, errlen, "node %d: run %d not strictly ascending", v, r);
                    return -1;
                }
            }
    /* acyclic: every customer run must be peelable, as at build time */
    int *indeg = malloc(((size_t)g->n + 1) * sizeof *indeg), *q = malloc(((size_t)g->n + 1) * sizeof *q);
    if (!indeg || !q) { free(indeg); free(q); snprintf(err, errlen, "out of memory"); return -1; }
    int head = 0, tail = 0;
    for (int v = 0; v < g->n; v++) {
        indeg[v] = g->off[3 * v + RUN_PROV + 1] - g->off[3 * v + RUN_PROV];
        if (!indeg[v]) q[tail++] = v;
    }
    while (head < tail) {
        int v = q[head++];
        for (int k = g->off[3 * v + RUN_CUST]; k < g->off[3 * v + RUN_CUST + 1]; k++)
            if (--indeg[g->adj[k]] == 0) q[tail++] = g->adj[k];
    }
    free(indeg); free(q);
    if (tail != g->n) { snprintf(err, errlen, "provider-customer cycle"); return -1; }
    return 0;
}

/* ---- as-rel ------------------------------------------------------------ */

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* Shows the field at p (up to '|' or the end) for a message. */
static void shown_field(char *buf, size_t len, const char *p, const char *end)
{
    size_t n = 0;
    while (p + n < end && p[n] != '|' && n < 40) n++;
    snprintf(buf, len, "'%.*s'%s", (int)n, p, (p + n < end && p[n] != '|') ? "..." : "");
}

/* Reads an unsigned 32-bit ASN at *pp; false when the field is not one. */
static bool parse_asn(const char **pp, const char *end, uint32_t *out)
{
    const char *p = *pp;
    while (p < end && is_space(*p)) p++;
    if (p == end || *p < '0' || *p > '9') return false;
    uint64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > UINT32_MAX) return false;
        p++;
    }
    while (p < end && is_space(*p)) p++;
    if (p < end && *p != '|') return false;
    *out = (uint32_t)v;
    *pp = p;
    return true;
}

asg_t *asg_parse_asrel(const char *text, size_t len, const char *name, char *err, size_t errlen)
{
    asg_builder_t *b = asg_builder_create(name, ASG_LOC_LINE, false);
    if (!b) { snprintf(err, errlen, "%s: out of memory", name); return NULL; }
    const char *p = text, *stop = text + len;
    char tok[64];
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;  /* a UTF-8 byte-order mark */
    for (int line = 1; p < stop; line++) {
        const char *end = memchr(p, '\n', (size_t)(stop - p));
        const char *next = end ? end + 1 : stop;
        if (!end) end = stop;
        if (end > p && end[-1] == '\r') end--;
        while (p < end && is_space(*p)) p++;
        if (p == end || *p == '#') { p = next; continue; }
        if (memchr(p, '\0', (size_t)(end - p))) {
            snprintf(err, errlen, "%s:%d: a NUL byte: this is not a text file", name, line);
            goto fail;
        }
        uint32_t a, c;
        const char *f = p;
        if (!parse_asn(&p, end, &a)) {
            shown_field(tok, sizeof tok, f, end);
            snprintf(err, errlen, "%s:%d: expected an ASN (a number up to 4294967295) in field 1, "
                     "got %s", name, line, tok);
            goto fail;
        }
        if (p == end) {
            snprintf(err, errlen, "%s:%d: expected 3 '|'-separated fields (AS1|AS2|REL), got 1",
                     name, line);
            goto fail;
        }
        f = ++p;
        if (!parse_asn(&p, end, &c)) {
            shown_field(tok, sizeof tok, f, end);
            snprintf(err, errlen, "%s:%d: expected an ASN (a number up to 4294967295) in field 2, "
                     "got %s", name, line, tok);
            goto fail;
        }
        if (p == end) {
            snprintf(err, errlen, "%s:%d: expected 3 '|'-separated fields (AS1|AS2|REL), got 2",
                     name, line);
            goto fail;
        }
        f = ++p;
        while (p < end && is_space(*p)) p++;
        int rel;
        if (end - p >= 2 && p[0] == '-' && p[1] == '1') { rel = ASG_P2C; p += 2; }
        else if (end - p >= 1 && p[0] == '0') { rel = ASG_P2P; p += 1; }
        else rel = 1;
        while (p < end && is_space(*p)) p++;
        if (rel == 1 || (p < end && *p != '|')) {
            shown_field(tok, sizeof tok, f, end);
            snprintf(err, errlen, "%s:%d: relationship must be -1 (AS1 is a provider of AS2) or 0 "
                     "(peers), got %s", name, line, tok);
            goto fail;
        }
        if (asg_builder_link(b, a, c, rel, -1, line, err, errlen) != 0) goto fail;
        p = next;
    }
    return asg_builder_finish(b, err, errlen);
fail:
    asg_builder_free(b);
    return NULL;
}

asg_t *asg_load_asrel(const char *path, char *err, size_t errlen)
{
    size_t len;
    char why[256];
    char *text = textfile_read(path, &len, why, sizeof why);
    if (!text) { snprintf(err, errlen, "%s: %s", path, why); return NULL; }
    asg_t *g = asg_parse_asrel(text, len, path, err, errlen);
    free(text);
    return g;
}

/* ---- GraphML through igraph -------------------------------------------- */

/* igraph reports errors through a process-wide handler whose default aborts.
 * Ours keeps the reason for the loader that is waiting on it, frees igraph's
 * temporaries as the handler contract requires, and returns, so igraph's
 * function returns its error code instead. This install (the error and
 * warning handlers, and the attribute table GraphML attributes need) and the
 * per-thread message are the one piece of global state the models keep; it
 * is idempotent, so every entry point into igraph simply repeats it. */
static _Thread_local char igraph_reason[256];

static void on_igraph_error(const char *reason, const char *file, int line,
                            igraph_error_t code)
{
    /* igraph reports the specific fault first, then generic ones as the
     * error unwinds ("Cannot parse GraphML file"): keep the first */
    if (!igraph_reason[0])
        snprintf(igraph_reason, sizeof igraph_reason, "%s", reason ? reason : igraph_strerror(code));
    IGRAPH_FINALLY_FREE();
}

static void igraph_setup(void)
{
    igraph_set_error_handler(on_igraph_error);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_set_attribute_table(&igraph_cattribute_table);
}

/* The type of attribute `name` of vertices (elem 0) or edges (elem 1), or -1. */
static int attr_type(const igraph_strvector_t *names, const igraph_vector_int_t *types,
                     const char *name)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++)
        if (strcmp(igraph_strvector_get(names, i), name) == 0)
            return (int)VECTOR(*types)[i];
    return -1;
}

/* A numeric attribute however the file typed it; NAN when absent or blank. */
static double num_attr(const igraph_t *g, bool vertex, const char *name, int type,
                       igraph_integer_t i, bool *bad)
{
    if (type == IGRAPH_ATTRIBUTE_NUMERIC)
        return vertex ? VAN(g, name, i) : EAN(g, name, i);
    if (type == IGRAPH_ATTRIBUTE_STRING) {
        const char *s = vertex ? VAS(g, name, i) : EAS(g, name, i);
        if (!s || !*s) return NAN;
        char *e;
        double d = strtod(s, &e);
        while (*e == ' ') e++;
        if (*e) { *bad = true; return NAN; }
        return d;
    }
    return NAN;
}

asg_t *asg_load_graphml(const char *path, char *err, size_t errlen)
{
    igraph_setup();
    char why[128];
    FILE *f = textfile_open(path, why, sizeof why);
    if (!f) { snprintf(err, errlen, "%s: %s", path, why); return NULL; }
    igraph_t g;
    igraph_reason[0] = 0;
    igraph_error_t rc = igraph_read_graph_graphml(&g, f, 0);
    fclose(f);
    if (rc != IGRAPH_SUCCESS) {
        /* igraph says a file with no <graph> asks for a graph past the last */
        if (strstr(igraph_reason, "Graph index was too large"))
            snprintf(err, errlen, "%s: no <graph> element: a GraphML file holds the topology in one", path);
        else
            snprintf(err, errlen, "%s: not a GraphML graph igraph can read: %s", path,
                     igraph_reason[0] ? igraph_reason : igraph_strerror(rc));
        return NULL;
    }
    asg_t *out = NULL;
    asg_builder_t *b = NULL;
    igraph_strvector_t gn, vn, en;
    igraph_vector_int_t gt, vt, et;
    bool lists = false;
    if (igraph_strvector_init(&gn, 0) || igraph_strvector_init(&vn, 0) ||
        igraph_strvector_init(&en, 0) || igraph_vector_int_init(&gt, 0) ||
        igraph_vector_int_init(&vt, 0) || igraph_vector_int_init(&et, 0) ||
        igraph_cattribute_list(&g, &gn, &gt, &vn, &vt, &en, &et)) {
        snprintf(err, errlen, "%s: %s", path, igraph_reason[0] ? igraph_reason : "out of memory");
        igraph_destroy(&g);
        return NULL; /* the handler has freed what igraph allocated */
    }
    lists = true;
    int t_label = attr_type(&vn, &vt, "label"), t_lat = attr_type(&vn, &vt, "Latitude");
    int t_lon = attr_type(&vn, &vt, "Longitude"), t_asn = attr_type(&vn, &vt, "asn");
    int t_rel = attr_type(&en, &et, "relationship"), t_ms = attr_type(&en, &et, "latency_ms");
    igraph_integer_t n = igraph_vcount(&g), m = igraph_ecount(&g);
    uint32_t *asn = malloc(((size_t)n + 1) * sizeof *asn);
    b = asg_builder_create(path, ASG_LOC_EDGE, true);
    if (!asn || !b) { snprintf(err, errlen, "%s: out of memory", path); goto done; }
    asg_builder_require_nodes(b, true);
    for (igraph_integer_t v = 0; v < n; v++) {
        bool bad = false;
        double lat = t_lat >= 0 ? num_attr(&g, true, "Latitude", t_lat, v, &bad) : NAN;
        double lon = t_lon >= 0 ? num_attr(&g, true, "Longitude", t_lon, v, &bad) : NAN;
        double a = t_asn >= 0 ? num_attr(&g, true, "asn", t_asn, v, &bad) : (double)(v + 1);
        if (bad || isnan(lat) != isnan(lon)) {
            snprintf(err, errlen, "%s: node %ld: Latitude, Longitude and asn must be numbers, "
                     "and a node has both coordinates or neither", path, (long)v);
            goto done;
        }
        if (isnan(a)) {
            snprintf(err, errlen, "%s: node %ld has no asn (is it named by an edge but never "
                     "declared?)", path, (long)v);
            goto done;
        }
        if (!(a >= 0 && a <= UINT32_MAX && a == floor(a))) {
            snprintf(err, errlen, "%s: node %ld: asn must be an integer in [0, 4294967295]",
                     path, (long)v);
            goto done;
        }
        asn[v] = (uint32_t)a;
        const char *label = t_label == IGRAPH_ATTRIBUTE_STRING ? VAS(&g, "label", v) : NULL;
        if (asg_builder_node(b, asn[v], label && *label ? label : NULL, lat, lon, (int)v, err,
                             errlen) != 0)
            goto done;
    }
    for (igraph_integer_t e = 0; e < m; e++) {
        igraph_integer_t from, to;
        igraph_edge(&g, e, &from, &to);
        int rel = ASG_P2P;
        igraph_integer_t pa = from, pb = to;
        if (t_rel == IGRAPH_ATTRIBUTE_STRING) {
            const char *r = EAS(&g, "relationship", e);
            if (!r || !*r || !strcmp(r, "peer")) rel = ASG_P2P;
            else if (!strcmp(r, "provider-customer") || !strcmp(r, "customer-provider")) {
                if (!igraph_is_directed(&g)) {
                    snprintf(err, errlen, "%s: edge %ld: relationship \"%s\" needs a directed "
                             "graph (edgedefault=\"directed\") to say which end is the provider",
                             path, (long)e, r);
                    goto done;
                }
                rel = ASG_P2C;
                if (r[0] == 'c') { pa = to; pb = from; }
            } else {
                snprintf(err, errlen, "%s: edge %ld: relationship must be \"peer\", "
                         "\"provider-customer\" or \"customer-provider\", got \"%s\"", path, (long)e, r);
                goto done;
            }
        }
        simtime_t lat_ns = -1;
        if (t_ms >= 0) {
            bool bad = false;
            double ms = num_attr(&g, false, "latency_ms", t_ms, e, &bad);
            if (bad || ms < 0) {
                snprintf(err, errlen, "%s: edge %ld: latency_ms must be a number >= 0", path, (long)e);
                goto done;
            }
            if (!isnan(ms)) lat_ns = simtime_from_ms(ms);
        }
        if (asg_builder_link(b, asn[pa], asn[pb], rel, lat_ns, (int)e, err, errlen) != 0) goto done;
    }
    out = asg_builder_finish(b, err, errlen);
    b = NULL;
done:
    asg_builder_free(b);
    free(asn);
    if (lists) {
        igraph_strvector_destroy(&gn); igraph_strvector_destroy(&vn); igraph_strvector_destroy(&en);
        igraph_vector_int_destroy(&gt); igraph_vector_int_destroy(&vt); igraph_vector_int_destroy(&et);
    }
    igraph_destroy(&g);
    return out;
}

int asg_to_igraph(const asg_t *g, igraph_t *out, igraph_vector_int_t *rel_out, char *err,
                  size_t errlen)
{
    igraph_setup();
    igraph_reason[0] = 0;
    igraph_vector_int_t edges;
    if (igraph_vector_int_init(&edges, 2 * (igraph_integer_t)g->m) != IGRAPH_SUCCESS) goto fail;
    for (int i = 0; i < g->m; i++) {
        VECTOR(edges)[2 * i] = g->la[i];
        VECTOR(edges)[2 * i + 1] = g->lb[i];
    }
    igraph_error_t rc = igraph_create(out, &edges, g->n, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    if (rc != IGRAPH_SUCCESS) goto fail;
    if (rel_out) {
        if (igraph_vector_int_resize(rel_out, g->m) != IGRAPH_SUCCESS) {
            igraph_destroy(out);
            goto fail;
        }
        for (int i = 0; i < g->m; i++) VECTOR(*rel_out)[i] = g->rel[i];
    }
    return 0;
fail:
    snprintf(err, errlen, "igraph: %s", igraph_reason[0] ? igraph_reason : "out of memory");
    return -1;
}

/* ---- project JSON ------------------------------------------------------ */

asg_t *asg_load_json(const char *path, char *err, size_t errlen)
{
    static const char *const rels[] = { "provider-customer", "peer", NULL };
    cfg_t c;
    cfg_init(&c, path);
    cJSON *root = cfg_load_file(&c, path);
    asg_builder_t *b = NULL;
    asg_t *g = NULL;
    if (!root) goto cfgfail;
    cfg_obj_t top;
    if (!cfg_view(&c, root, "$", &top)) goto cfgfail;
    const cJSON *nodes = NULL, *links = NULL;
    cfg_array(&top, "nodes", &nodes, 0);
    cfg_array(&top, "links", &links, CFG_REQUIRED);
    cfg_done(&top);
    if (cfg_failed(&c)) goto cfgfail;
    b = asg_builder_create(path, ASG_LOC_JSON, false);
    if (!b) { snprintf(err, errlen, "%s: out of memory", path); goto done; }
    asg_builder_require_nodes(b, nodes != NULL);
    int i = 0;
    for (const cJSON *it = nodes ? nodes->child : NULL; it; it = it->next, i++) {
        cfg_obj_t o;
        char p[64];
        snprintf(p, sizeof p, "$.nodes[%d]", i);
        if (!cfg_view(&c, it, p, &o)) goto cfgfail;
        int64_t asn = 0;
        const char *name = NULL;
        double lat = NAN, lon = NAN;
        cfg_int(&o, "asn", &asn, 0, UINT32_MAX, CFG_REQUIRED);
        cfg_str(&o, "name", &name, 0);
        cfg_num(&o, "lat", &lat, -90, 90, 0);
        cfg_num(&o, "lon", &lon, -180, 180, 0);
        cfg_done(&o);
        if (!cfg_failed(&c) && isnan(lat) != isnan(lon))
            cfg_fail(&c, p, "give both lat and lon, or neither");
        if (cfg_failed(&c)) goto cfgfail;
        if (asg_builder_node(b, (uint32_t)asn, name, lat, lon, i, err, errlen) != 0) goto done;
    }
    i = 0;
    for (const cJSON *it = links->child; it; it = it->next, i++) {
        cfg_obj_t o;
        char p[64];
        snprintf(p, sizeof p, "$.links[%d]", i);
        if (!cfg_view(&c, it, p, &o)) goto cfgfail;
        int64_t a = 0, bb = 0;
        int rel = 0;
        double ms = -1;
        cfg_int(&o, "a", &a, 0, UINT32_MAX, CFG_REQUIRED);
        cfg_int(&o, "b", &bb, 0, UINT32_MAX, CFG_REQUIRED);
        cfg_enum(&o, "rel", &rel, rels, CFG_REQUIRED);
        cfg_num(&o, "latency_ms", &ms, 0, 1e6, 0);
        cfg_done(&o);
        if (cfg_failed(&c)) goto cfgfail;
        if (asg_builder_link(b, (uint32_t)a, (uint32_t)bb, rel == 0 ? ASG_P2C : ASG_P2P,
                             ms >= 0 ? simtime_from_ms(ms) : -1, i, err, errlen) != 0)
            goto done;
    }
    g = asg_builder_finish(b, err, errlen);
    b = NULL;
    goto done;
cfgfail:
    snprintf(err, errlen, "%s", c.err);
done:
    asg_builder_free(b);
    cJSON_Delete(root);
    return g;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

asg_t *asg_load(const char *path, char *err, size_t errlen)
{
    if (ends_with(path, ".graphml") || ends_with(path, ".gml.xml")) return asg_load_graphml(path, err, errlen);
    if (ends_with(path, ".json")) return asg_load_json(path, err, errlen);
    return asg_load_asrel(path, err, errlen);
}
