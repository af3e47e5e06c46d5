/* bgp — Gao-Rexford best routes in three passes; see bgp.h.
 *
 * Why three passes give exactly what per-AS BGP converges to:
 *   1. An AS's customer routes depend only on its customers' customer (or
 *      origin) routes, since an AS exports only those upward. Those form a
 *      shortest-path problem on the provider->customer DAG with unit steps,
 *      solved by BFS in length order from the origins; when an AS's bucket
 *      comes up, every equally short offer has already reached it, so the
 *      tie-break sees them all.
 *   2. An AS with no customer route takes a peer route, which can only come
 *      from a peer holding a customer or origin route: one hop from pass 1.
 *   3. An AS with neither takes the best route of any provider, whatever its
 *      class; again shortest paths with unit steps, now down the DAG from
 *      every routed AS, in length order.
 * Loop prevention never rejects a best route: an AS x inside neighbour y's
 * path would itself hold a customer route (if it sits on the downhill part)
 * or a peer route (at the peak), so it would not be choosing from y's
 * offer with a worse class; and x above y on the uphill part would make a
 * provider-customer cycle, which asgraph refuses. */
#include "models/net/bgp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_LEN INT_MAX
#define MAX_PREPEND 255

typedef struct site {
    char *name;
    geo_point_t at;
    int prepend;
    bool up;
    int nconn, cconn;
    int *conn_node;
    bgp_rel_t *conn_is;   /* what the connected AS is to the CDN */
} site_t;

typedef struct offer {
    bgp_rel_t rel;
    int len, nh, org, site;
} offer_t;

typedef struct item { int len, v; } item_t;

struct bgp {
    const asg_t *g;
    int n;
    bgp_tie_t tie;
    geo_point_t *pt;
    unsigned char *has_pt;
    int *prepend;          /* per node: -1 when not an origin */
    uint32_t cdn_asn;
    bool have_cdn;
    site_t *sites;
    int nsites, csites;
    /* the result, one entry per node (structure of arrays: the passes touch
     * len and rel far more often than the rest) */
    unsigned char *rel;
    int *len, *nh, *org, *site;
    unsigned char *done;
    /* work lists */
    item_t *seeds;
    size_t nseeds, cseeds;
    int *cur, *next;
    size_t ncur, cnext, nnext, ccur;
};

bgp_t *bgp_create(const asg_t *g)
{
    bgp_t *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    int n = asg_node_count(g);
    size_t sz = (size_t)n + 1;
    b->g = g;
    b->n = n;
    b->pt = malloc(sz * sizeof *b->pt);
    b->has_pt = calloc(sz, 1);
    b->prepend = malloc(sz * sizeof *b->prepend);
    b->rel = malloc(sz);
    b->len = malloc(sz * sizeof *b->len);
    b->nh = malloc(sz * sizeof *b->nh);
    b->org = malloc(sz * sizeof *b->org);
    b->site = malloc(sz * sizeof *b->site);
    b->done = malloc(sz);
    if (!b->pt || !b->has_pt || !b->prepend || !b->rel || !b->len || !b->nh || !b->org ||
        !b->site || !b->done) {
        bgp_free(b);
        return NULL;
    }
    for (int v = 0; v < n; v++) {
        b->has_pt[v] = asg_point(g, v, &b->pt[v]);
        b->prepend[v] = -1;
        b->rel[v] = BGP_REL_NONE;
        b->len[v] = NO_LEN;
        b->nh[v] = b->org[v] = BGP_NONE;
        b->site[v] = -1;
    }
    return b;
}

void bgp_free(bgp_t *b)
{
    if (!b) return;
    for (int s = 0; s < b->nsites; s++) {
        free(b->sites[s].name); free(b->sites[s].conn_node); free(b->sites[s].conn_is);
    }
    free(b->sites);
    free(b->pt); free(b->has_pt); free(b->prepend); free(b->rel); free(b->len); free(b->nh);
    free(b->org); free(b->site); free(b->done); free(b->seeds); free(b->cur); free(b->next);
    free(b);
}

void bgp_set_tiebreak(bgp_t *b, bgp_tie_t tie) { b->tie = tie; }

void bgp_set_point(bgp_t *b, int node, geo_point_t p)
{
    b->pt[node] = p;
    b->has_pt[node] = 1;
}

int bgp_announce(bgp_t *b, int node, int prepend, char *err, size_t errlen)
{
    if (node < 0 || node >= b->n) { snprintf(err, errlen, "no such AS index %d", node); return -1; }
    if (prepend < 0 || prepend > MAX_PREPEND) {
        snprintf(err, errlen, "AS %u: prepend %d is outside [0, %d]", asg_asn(b->g, node), prepend,
                 MAX_PREPEND);
        return -1;
    }
    b->prepend[node] = prepend;
    return 0;
}

int bgp_withdraw(bgp_t *b, int node)
{
    if (node < 0 || node >= b->n || b->prepend[node] < 0) return -1;
    b->prepend[node] = -1;
    return 0;
}

void bgp_withdraw_all(bgp_t *b)
{
    for (int v = 0; v < b->n; v++) b->prepend[v] = -1;
    for (int s = 0; s < b->nsites; s++) b->sites[s].up = false;
}

/* ---- CDN sites --------------------------------------------------------- */

int bgp_cdn_asn(bgp_t *b, uint32_t asn, char *err, size_t errlen)
{
    if (asg_index(b->g, asn) >= 0) {
        snprintf(err, errlen, "the CDN's AS %u is already a node of the AS graph; give the CDN an "
                 "ASN of its own and connect its sites instead", asn);
        return -1;
    }
    b->cdn_asn = asn;
    b->have_cdn = true;
    return 0;
}

int bgp_site_add(bgp_t *b, const char *name, geo_point_t where, char *err, size_t errlen)
{
    if (!b->have_cdn) { snprintf(err, errlen, "set the CDN's ASN before adding sites"); return -1; }
    if (b->nsites == b->csites) {
        int cap = b->csites ? b->csites * 2 : 16;
        site_t *s = realloc(b->sites, (size_t)cap * sizeof *s);
        if (!s) { snprintf(err, errlen, "out of memory"); return -1; }
        b->sites = s;
        b->csites = cap;
    }
    site_t *s = &b->sites[b->nsites];
    memset(s, 0, sizeof *s);
    s->name = strdup(name ? name : "");
    if (!s->name) { snprintf(err, errlen, "out of memory"); return -1; }
    s->at = where;
    s->up = true;
    return b->nsites++;
}

static bool bad_site(const bgp_t *b, int site, char *err, size_t errlen)
{
    if (site >= 0 && site < b->nsites) return false;
    snprintf(err, errlen, "no such site %d", site);
    return true;
}

int bgp_site_connect(bgp_t *b, int site, int node, bgp_rel_t node_is, char *err, size_t errlen)
{
    if (bad_site(b, site, err, errlen)) return -1;
    if (node < 0 || node >= b->n) { snprintf(err, errlen, "no such AS index %d", node); return -1; }
    if (node_is != BGP_REL_PROVIDER && node_is != BGP_REL_PEER && node_is != BGP_REL_CUSTOMER) {
        snprintf(err, errlen, "site %s: AS %u must be a provider, peer or customer of the CDN",
                 b->sites[site].name, asg_asn(b->g, node));
        return -1;
    }
    site_t *s = &b->sites[site];
    for (int i = 0; i < s->nconn; i++)
        if (s->conn_node[i] == node) {
            snprintf(err, errlen, "site %s: AS %u is connected twice", s->name, asg_asn(b->g, node));
            return -1;
        }
    if (s->nconn == s->cconn) {
        int cap = s->cconn ? s->cconn * 2 : 4;
        int *cn = realloc(s->conn_node, (size_t)cap * sizeof *cn);
        if (cn) s->conn_node = cn;
        bgp_rel_t *ci = realloc(s->conn_is, (size_t)cap * sizeof *ci);
        if (ci) s->conn_is = ci;
        if (!cn || !ci) { snprintf(err, errlen, "out of memory"); return -1; }
        s->cconn = cap;
    }
    s->conn_node[s->nconn] = node;
    s->conn_is[s->nconn++] = node_is;
    return 0;
}

int bgp_site_prepend(bgp_t *b, int site, int prepend, char *err, size_t errlen)
{
    if (bad_site(b, site, err, errlen)) return -1;
    if (prepend < 0 || prepend > MAX_PREPEND) {
        snprintf(err, errlen, "site %s: prepend %d is outside [0, %d]", b->sites[site].name,
                 prepend, MAX_PREPEND);
        return -1;
    }
    b->sites[site].prepend = prepend;
    return 0;
}

int bgp_site_announce(bgp_t *b, int site, bool announced, char *err, size_t errlen)
{
    if (bad_site(b, site, err, errlen)) return -1;
    b->sites[site].up = announced;
    return 0;
}

int bgp_site_count(const bgp_t *b) { return b->nsites; }
const char *bgp_site_name(const bgp_t *b, int site) { return b->sites[site].name; }

geo_point_t bgp_site_point(const bgp_t *b, int site) { return b->sites[site].at; }

int bgp_catchment(const bgp_t *b, int node, const geo_fiber_t *f, bgp_catchment_t *out)
{
    if (node < 0 || node >= b->n || !b->has_pt[node]) return -1;
    out->nearest_site = -1;
    out->nearest_ns = 0;
    double best = 0;
    for (int s = 0; s < b->nsites; s++) {
        if (!b->sites[s].up) continue;
        double km = geo_distance_km(b->pt[node], b->sites[s].at);
        if (out->nearest_site < 0 || km < best) { best = km; out->nearest_site = s; }
    }
    if (out->nearest_site < 0) return -1;
    out->nearest_ns = geo_latency_ns(f, best, 0);
    out->anycast_site = b->rel[node] == BGP_REL_NONE ? -1 : b->site[node];
    out->anycast_ns = out->anycast_site < 0 ? 0
        : geo_point_latency_ns(f, b->pt[node], b->sites[out->anycast_site].at, 0);
    return 0;
}

/* ---- the passes -------------------------------------------------------- */

uint32_t bgp_asn_of(const bgp_t *b, int node)
{
    return node == BGP_CDN ? b->cdn_asn : node >= 0 ? asg_asn(b->g, node) : 0;
}

/* Distance from x to the site a route leads to; 0 when either is unknown,
 * so that unknown geography leaves the decision to the ASN rule. */
static double site_km(const bgp_t *b, int x, int site)
{
    if (site < 0 || !b->has_pt[x]) return 0.0;
    return geo_distance_km(b->pt[x], b->sites[site].at);
}

/* Orders two offers as AS x ranks them: negative when a is better. A total
 * order, so the result does not depend on the order offers arrive in. */
static int rank(const bgp_t *b, int x, const offer_t *a, const offer_t *c)
{
    if (a->rel != c->rel) return a->rel < c->rel ? -1 : 1;
    if (a->len != c->len) return a->len < c->len ? -1 : 1;
    uint32_t na = bgp_asn_of(b, a->nh), nc = bgp_asn_of(b, c->nh);
    double da = 0, dc = 0;
    if (a->site != c->site) { da = site_km(b, x, a->site); dc = site_km(b, x, c->site); }
    if (b->tie == BGP_TIE_HOT_POTATO && da != dc) return da < dc ? -1 : 1;
    if (na != nc) return na < nc ? -1 : 1;
    if (da != dc) return da < dc ? -1 : 1;
    if (a->site != c->site) return a->site < c->site ? -1 : 1;
    return 0;
}

/* Gives x the offer when it beats x's current route; true when it did. */
static bool offer(bgp_t *b, int x, const offer_t *o)
{
    if (b->rel[x] != BGP_REL_NONE) {
        if (o->rel > (bgp_rel_t)b->rel[x]) return false;
        offer_t cur = { (bgp_rel_t)b->rel[x], b->len[x], b->nh[x], b->org[x], b->site[x] };
        if (rank(b, x, o, &cur) >= 0) return false;
    }
    b->rel[x] = (unsigned char)o->rel;
    b->len[x] = o->len;
    b->nh[x] = o->nh;
    b->org[x] = o->org;
    b->site[x] = o->site;
    return true;
}

static int push(int **arr, size_t *n, size_t *cap, int v)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        int *a = realloc(*arr, c * sizeof *a);
        if (!a) return -1;
        *arr = a;
        *cap = c;
    }
    (*arr)[(*n)++] = v;
    return 0;
}

static int push_seed(bgp_t *b, int len, int v)
{
    if (b->nseeds == b->cseeds) {
        size_t c = b->cseeds ? b->cseeds * 2 : 1024;
        item_t *a = realloc(b->seeds, c * sizeof *a);
        if (!a) return -1;
        b->seeds = a;
        b->cseeds = c;
    }
    b->seeds[b->nseeds].len = len;
    b->seeds[b->nseeds++].v = v;
    return 0;
}

static int cmp_item(const void *x, const void *y)
{
    const item_t *a = x, *c = y;
    if (a->len != c->len) return a->len < c->len ? -1 : 1;
    return (a->v > c->v) - (a->v < c->v);
}

/* Relaxes v's providers (upward pass) or customers (downward pass). */
static int relax(bgp_t *b, int v, bool up)
{
    const int *nb;
    int k = up ? asg_providers(b->g, v, &nb) : asg_customers(b->g, v, &nb);
    offer_t o = { up ? BGP_REL_CUSTOMER : BGP_REL_PROVIDER, b->len[v] + 1, v, b->org[v], b->site[v] };
    for (int i = 0; i < k; i++)
        if (offer(b, nb[i], &o) && push(&b->next, &b->nnext, &b->cnext, nb[i]) != 0) return -1;
    return 0;
}

/* Processes the seeds (sorted by length) and everything they reach, one
 * path length at a time: a node is final when its length's turn comes,
 * because every offer it can still get is at least one longer. */
static int sweep(bgp_t *b, bool up)
{
    size_t i = 0;
    int L = 0;
    b->ncur = 0;
    memset(b->done, 0, (size_t)b->n);
    while (i < b->nseeds || b->ncur > 0) {
        if (b->ncur == 0) L = b->seeds[i].len;
        while (i < b->nseeds && b->seeds[i].len == L)
            if (push(&b->cur, &b->ncur, &b->ccur, b->seeds[i++].v) != 0) return -1;
        b->nnext = 0;
        for (size_t k = 0; k < b->ncur; k++) {
            int v = b->cur[k];
            if (b->done[v] || b->len[v] != L) continue;
            if (up && b->rel[v] > BGP_REL_CUSTOMER) continue;
            b->done[v] = 1;
            if (relax(b, v, up) != 0) return -1;
        }
        int *t = b->cur; b->cur = b->next; b->next = t;
        size_t tc = b->ccur; b->ccur = b->cnext; b->cnext = tc;
        b->ncur = b->nnext;
        L++;
    }
    return 0;
}

int bgp_compute(bgp_t *b, char *err, size_t errlen)
{
    int n = b->n;
    for (int v = 0; v < n; v++) {
        b->rel[v] = BGP_REL_NONE;
        b->len[v] = NO_LEN;
        b->nh[v] = b->org[v] = BGP_NONE;
        b->site[v] = -1;
    }
    b->nseeds = 0;
    for (int v = 0; v < n; v++)
        if (b->prepend[v] >= 0) {
            offer_t o = { BGP_REL_ORIGIN, 1 + b->prepend[v], BGP_NONE, v, -1 };
            offer(b, v, &o);
            if (push_seed(b, o.len, v) != 0) goto oom;
        }
    /* Each CDN session hands the connected AS the CDN's own route: a
     * customer route where the AS sells the CDN transit, and so on. Offers of
     * every class go in now; the passes only ever replace them by better. */
    for (int s = 0; s < b->nsites; s++) {
        const site_t *st = &b->sites[s];
        if (!st->up) continue;
        for (int c = 0; c < st->nconn; c++) {
            bgp_rel_t cls = st->conn_is[c] == BGP_REL_PROVIDER ? BGP_REL_CUSTOMER
                          : st->conn_is[c] == BGP_REL_PEER ? BGP_REL_PEER : BGP_REL_PROVIDER;
            offer_t o = { cls, 2 + st->prepend, BGP_CDN, BGP_CDN, s };
            int x = st->conn_node[c];
            if (offer(b, x, &o) && cls == BGP_REL_CUSTOMER && push_seed(b, o.len, x) != 0) goto oom;
        }
    }
    qsort(b->seeds, b->nseeds, sizeof *b->seeds, cmp_item);

    /* pass 1: customer routes, up the provider->customer DAG */
    if (sweep(b, true) != 0) goto oom;

    /* pass 2: one peer hop from every origin and customer route */
    for (int v = 0; v < n; v++) {
        if (b->rel[v] > BGP_REL_CUSTOMER) continue;
        const int *nb;
        int k = asg_peers(b->g, v, &nb);
        offer_t o = { BGP_REL_PEER, b->len[v] + 1, v, b->org[v], b->site[v] };
        for (int i = 0; i < k; i++) offer(b, nb[i], &o);
    }

    /* pass 3: provider routes, down to customers from every routed AS,
     * seeded in length order by a counting sort */
    int maxlen = 0;
    for (int v = 0; v < n; v++)
        if (b->rel[v] != BGP_REL_NONE && b->len[v] > maxlen) maxlen = b->len[v];
    size_t *count = calloc((size_t)maxlen + 2, sizeof *count);
    if (!count) goto oom;
    b->nseeds = 0;
    for (int v = 0; v < n; v++)
        if (b->rel[v] != BGP_REL_NONE) { count[b->len[v] + 1]++; b->nseeds++; }
    for (int l = 1; l <= maxlen + 1; l++) count[l] += count[l - 1];
    if (b->nseeds > b->cseeds) {
        item_t *a = realloc(b->seeds, b->nseeds * sizeof *a);
        if (!a) { free(count); goto oom; }
        b->seeds = a;
        b->cseeds = b->nseeds;
    }
    for (int v = 0; v < n; v++)
        if (b->rel[v] != BGP_REL_NONE) {
            item_t *it = &b->seeds[count[b->len[v]]++];
            it->len = b->len[v];
            it->v = v;
        }
    free(count);
    if (sweep(b, false) != 0) goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory computing routes");
    return -1;
}

/* ---- reading ----------------------------------------------------------- */

bgp_route_t bgp_route(const bgp_t *b, int v)
{
    bgp_route_t r = { (bgp_rel_t)b->rel[v], b->rel[v] == BGP_REL_NONE ? 0 : b->len[v], b->nh[v],
                      b->org[v], b->site[v] };
    return r;
}

int bgp_path(const bgp_t *b, int v, uint32_t *out, int max)
{
    if (b->rel[v] == BGP_REL_NONE) return 0;
    int k = 0;
    for (;;) {
        if (k < max) out[k] = asg_asn(b->g, v);
        k++;
        int nh = b->nh[v];
        if (nh == BGP_NONE) break;
        if (nh == BGP_CDN) {
            if (k < max) out[k] = b->cdn_asn;
            k++;
            break;
        }
        v = nh;
        if (k > b->n + 1) break;  /* impossible by construction; never loop forever */
    }
    return k;
}

int bgp_as_path(const bgp_t *b, int v, uint32_t *out, int max)
{
    int k = bgp_path(b, v, out, max);
    if (k == 0) return 0;
    /* every hop adds one to len; what is left over is the origin's prepends */
    uint32_t origin = bgp_asn_of(b, b->org[v]);
    int len = b->len[v] > k ? b->len[v] : k;
    for (int i = k; i < len && i < max; i++) out[i] = origin;
    return len;
}

const char *bgp_rel_name(bgp_rel_t rel)
{
    static const char *const names[] = { "origin", "customer", "peer", "provider", "none" };
    return rel <= BGP_REL_NONE ? names[rel] : "?";
}

/* Whether node x lies on the path of y's route. */
static bool on_path(const bgp_t *b, int y, int x)
{
    for (int steps = 0; y >= 0 && steps <= b->n; steps++) {
        if (y == x) return true;
        y = b->nh[y];
    }
    return false;
}

/* Checks each AS's route is consistent with its next hop's, and that it is
 * the best of what its neighbours export to it, as a real BGP speaker would
 * decide: together, a stable state of the per-AS decision processes. */
int bgp_check(const bgp_t *b, char *err, size_t errlen)
{
    for (int x = 0; x < b->n; x++) {
        uint32_t ax = asg_asn(b->g, x);
        offer_t best = { BGP_REL_NONE, NO_LEN, BGP_NONE, BGP_NONE, -1 };
        bool any = false;
        if (b->prepend[x] >= 0) {
            best = (offer_t){ BGP_REL_ORIGIN, 1 + b->prepend[x], BGP_NONE, x, -1 };
            any = true;
        }
        const int *nb;
        for (int run = 0; run < 3 && best.rel != BGP_REL_ORIGIN; run++) {
            int k = run == 0 ? asg_customers(b->g, x, &nb) : run == 1 ? asg_peers(b->g, x, &nb)
                                                                     : asg_providers(b->g, x, &nb);
            for (int i = 0; i < k; i++) {
                int y = nb[i];
                if (b->rel[y] == BGP_REL_NONE) continue;
                if (run < 2 && b->rel[y] > BGP_REL_CUSTOMER) continue; /* not exported */
                if (on_path(b, y, x)) continue;                          /* loop */
                offer_t o = { (bgp_rel_t)(BGP_REL_CUSTOMER + run), b->len[y] + 1, y, b->org[y], b->site[y] };
                if (!any || rank(b, x, &o, &best) < 0) { best = o; any = true; }
            }
        }
        for (int s = 0; s < b->nsites && best.rel != BGP_REL_ORIGIN; s++) {
            const site_t *st = &b->sites[s];
            if (!st->up) continue;
            for (int c = 0; c < st->nconn; c++) {
                if (st->conn_node[c] != x) continue;
                bgp_rel_t cls = st->conn_is[c] == BGP_REL_PROVIDER ? BGP_REL_CUSTOMER
                              : st->conn_is[c] == BGP_REL_PEER ? BGP_REL_PEER : BGP_REL_PROVIDER;
                offer_t o = { cls, 2 + st->prepend, BGP_CDN, BGP_CDN, s };
                if (!any || rank(b, x, &o, &best) < 0) { best = o; any = true; }
            }
        }
        if (!any) {
            if (b->rel[x] != BGP_REL_NONE) {
                snprintf(err, errlen, "AS %u has a route but no neighbour offers one", ax);
                return -1;
            }
            continue;
        }
        offer_t cur = { (bgp_rel_t)b->rel[x], b->len[x], b->nh[x], b->org[x], b->site[x] };
        if (b->rel[x] == BGP_REL_NONE || rank(b, x, &cur, &best) != 0 || cur.org != best.org) {
            snprintf(err, errlen, "AS %u holds %s len %d via %u, but the best offer is %s len %d "
                     "via %u", ax, bgp_rel_name(cur.rel), cur.len, bgp_asn_of(b, cur.nh),
                     bgp_rel_name(best.rel), best.len, bgp_asn_of(b, best.nh));
            return -1;
        }
    }
    return 0;
}
