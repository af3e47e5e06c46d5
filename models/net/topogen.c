/* topogen — Internet-like AS graph generator; see topogen.h. */
#include "models/net/topogen.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/rng.h"
#include "sim/textfile.h"

enum { NCONT = 6, WORLD = NCONT, NTIER = 4 };
/* Urn entries a provider gains per customer (it starts with one). Drawing
 * in proportion to 1 + PA_WEIGHT x customers is linear preferential
 * attachment with a small initial attractiveness, whose degree exponent
 * (about 2 + 1/(PA_WEIGHT x mean providers)) comes near the AS graph's ~2.1. */
#define PA_WEIGHT 4
static const char *const continents[NCONT] = { "AF", "AS", "EU", "NA", "OC", "SA" };

/* Built-in hubs for when no metro list is given: weights roughly the
 * regions' Internet users in millions. */
static const topogen_metro_t builtin_metros[] = {
    { "New York", "NA", 40.71, -74.01, 25 }, { "Los Angeles", "NA", 34.05, -118.24, 18 },
    { "Chicago", "NA", 41.88, -87.63, 12 }, { "Dallas", "NA", 32.78, -96.80, 10 },
    { "Miami", "NA", 25.76, -80.19, 8 }, { "Seattle", "NA", 47.61, -122.33, 6 },
    { "Toronto", "NA", 43.65, -79.38, 8 }, { "Mexico City", "NA", 19.43, -99.13, 20 },
    { "Sao Paulo", "SA", -23.55, -46.63, 22 }, { "Buenos Aires", "SA", -34.60, -58.38, 14 },
    { "Bogota", "SA", 4.71, -74.07, 10 }, { "Santiago", "SA", -33.45, -70.67, 7 },
    { "London", "EU", 51.51, -0.13, 14 }, { "Frankfurt", "EU", 50.11, 8.68, 12 },
    { "Amsterdam", "EU", 52.37, 4.90, 8 }, { "Paris", "EU", 48.86, 2.35, 12 },
    { "Madrid", "EU", 40.42, -3.70, 9 }, { "Milan", "EU", 45.46, 9.19, 8 },
    { "Warsaw", "EU", 52.23, 21.01, 8 }, { "Moscow", "EU", 55.76, 37.62, 18 },
    { "Istanbul", "EU", 41.01, 28.98, 15 }, { "Tokyo", "AS", 35.68, 139.69, 38 },
    { "Seoul", "AS", 37.57, 126.98, 24 }, { "Beijing", "AS", 39.90, 116.40, 40 },
    { "Shanghai", "AS", 31.23, 121.47, 40 }, { "Hong Kong", "AS", 22.32, 114.17, 7 },
    { "Singapore", "AS", 1.35, 103.82, 6 }, { "Mumbai", "AS", 19.08, 72.88, 35 },
    { "Delhi", "AS", 28.70, 77.10, 35 }, { "Jakarta", "AS", -6.21, 106.85, 30 },
    { "Dubai", "AS", 25.20, 55.27, 6 }, { "Sydney", "OC", -33.87, 151.21, 8 },
    { "Melbourne", "OC", -37.81, 144.96, 7 }, { "Auckland", "OC", -36.85, 174.76, 3 },
    { "Johannesburg", "AF", -26.20, 28.05, 12 }, { "Lagos", "AF", 6.52, 3.38, 20 },
    { "Cairo", "AF", 30.04, 31.24, 20 }, { "Nairobi", "AF", -1.29, 36.82, 8 },
};

typedef struct vec { int *v; size_t n, cap; } vec_t;

static bool vec_push(vec_t *a, int x)
{
    if (a->n == a->cap) {
        size_t c = a->cap ? a->cap * 2 : 64;
        int *p = realloc(a->v, c * sizeof *p);
        if (!p) return false;
        a->v = p;
        a->cap = c;
    }
    a->v[a->n++] = x;
    return true;
}

/* Set of unordered AS pairs already linked. */
typedef struct pairset { uint64_t *k; size_t cap, n; } pairset_t;

static uint64_t pair_key(int a, int b)
{
    uint32_t lo = (uint32_t)(a < b ? a : b), hi = (uint32_t)(a < b ? b : a);
    return ((uint64_t)lo << 32 | hi) + 1; /* +1: 0 marks an empty slot */
}

static bool pairset_grow(pairset_t *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1 << 16;
    uint64_t *k = calloc(cap, sizeof *k);
    if (!k) return false;
    for (size_t i = 0; i < s->cap; i++)
        if (s->k[i]) {
            size_t j = (size_t)(s->k[i] * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);
            while (k[j]) j = (j + 1) & (cap - 1);
            k[j] = s->k[i];
        }
    free(s->k);
    s->k = k;
    s->cap = cap;
    return true;
}

/* Inserts the pair; 1 when new, 0 when present, -1 out of memory. */
static int pairset_add(pairset_t *s, int a, int b)
{
    if ((s->n + 1) * 2 > s->cap && !pairset_grow(s)) return -1;
    uint64_t key = pair_key(a, b);
    size_t j = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 17) & (s->cap - 1);
    while (s->k[j]) {
        if (s->k[j] == key) return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->k[j] = key;
    s->n++;
    return 1;
}

typedef struct gen {
    topogen_t *t;
    long lcap;
    pairset_t pairs;
    /* urn[tier][continent or WORLD]: an AS appears once, plus once per
     * customer it has, so a uniform draw is preferential attachment */
    vec_t urn[NTIER][NCONT + 1];
    int *cont;           /* continent of each AS */
    gsl_rng *r;
} gen_t;

static int cont_index(const char *code)
{
    for (int c = 0; c < NCONT; c++)
        if (strcasecmp(code, continents[c]) == 0) return c;
    return -1;
}

static int add_link(gen_t *g, int a, int b, int rel)
{
    int fresh = pairset_add(&g->pairs, a, b);
    if (fresh <= 0) return fresh;
    topogen_t *t = g->t;
    if (t->m == g->lcap) {
        long cap = g->lcap ? g->lcap * 2 : 4096;
        topogen_link_t *l = realloc(t->links, (size_t)cap * sizeof *l);
        if (!l) return -1;
        t->links = l;
        g->lcap = cap;
    }
    t->links[t->m].a = a;
    t->links[t->m].b = b;
    t->links[t->m++].rel = rel;
    return 1;
}

static bool urn_add(gen_t *g, int x)
{
    int tier = g->t->as[x].tier, c = g->cont[x];
    return vec_push(&g->urn[tier][c], x) && vec_push(&g->urn[tier][WORLD], x);
}

/* Draws a provider of tier `tier` for customer x: from x's continent with
 * probability `local`, else from anywhere; -1 when that tier is empty. */
static int draw(gen_t *g, int tier, int x, double local)
{
    int c = g->cont[x];
    const vec_t *u = &g->urn[tier][c];
    if (u->n == 0 || gsl_rng_uniform(g->r) >= local) u = &g->urn[tier][WORLD];
    if (u->n == 0) return -1;
    return u->v[gsl_rng_uniform_int(g->r, u->n)];
}

/* Gives x `k` distinct providers drawn by `pick` probabilities over tiers. */
static int attach(gen_t *g, int x, int k, const double tier_p[NTIER], double local)
{
    int got = 0;
    for (int attempt = 0; got < k && attempt < 30 * k; attempt++) {
        double u = gsl_rng_uniform(g->r), acc = 0;
        int tier = 0;
        for (; tier < NTIER - 1; tier++) {
            acc += tier_p[tier];
            if (u < acc) break;
        }
        int y = draw(g, tier, x, local);
        if (y < 0 || y == x) continue;
        int rc = add_link(g, y, x, -1);
        if (rc < 0) return -1;
        if (rc == 0) continue;  /* already linked: draw again */
        for (int e = 0; e < PA_WEIGHT; e++)
            if (!urn_add(g, y)) return -1;
        got++;
    }
    if (got == 0) {
        /* never leave an AS without a way up: fall back to a tier-1 */
        int y = draw(g, TOPOGEN_TIER1, x, 0.0);
        if (y >= 0 && y != x && add_link(g, y, x, -1) < 0) return -1;
        if (y >= 0 && y != x && !urn_add(g, y)) return -1;
    }
    return 0;
}

/* The ASN for the k-th AS: skips AS_TRANS (23456) and the documentation
 * and private ranges, continuing in the 32-bit space as the registries do. */
static uint32_t asn_for(int k)
{
    uint32_t x = (uint32_t)k + 1;
    if (x >= 23456) x++;
    if (x >= 64496) x = 131072 + (x - 64496);
    return x;
}

const char *topogen_tier_name(topogen_tier_t tier)
{
    static const char *const n[] = { "tier1", "transit", "regional", "stub" };
    return n[tier];
}

void topogen_free(topogen_t *t)
{
    if (!t) return;
    free(t->as);
    free(t->links);
    free(t);
}

static void gen_clear(gen_t *g)
{
    for (int i = 0; i < NTIER; i++)
        for (int c = 0; c <= NCONT; c++) free(g->urn[i][c].v);
    free(g->pairs.k);
    free(g->cont);
    if (g->r) gsl_rng_free(g->r);
}

/* A member of an IXP with its openness. */
typedef struct wv { double w; int v; } wv_t;

static int cmp_weight_desc(const void *a, const void *b)
{
    const wv_t *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* Expected peering links sum over pairs of min(1, lambda w_i w_j), each IXP's
 * members sorted by descending weight: for member i the partners above a
 * threshold weight peer surely, the rest in proportion, so a binary search
 * and a prefix sum give each member's share: O(M log M), not O(pairs). */
static double expected_links(const wv_t *ow, const int *off, int nixp, double lambda,
                             double *prefix)
{
    double total = 0;
    for (int x = 0; x < nixp; x++) {
        int lo = off[x], m = off[x + 1] - lo;
        prefix[0] = 0;
        for (int k = 0; k < m; k++) prefix[k + 1] = prefix[k] + ow[lo + k].w;
        for (int i = 0; i < m; i++) {
            double tau = 1.0 / (lambda * ow[lo + i].w);
            int a = 0, b = m;                 /* first index with weight < tau */
            while (a < b) {
                int mid = (a + b) / 2;
                if (ow[lo + mid].w >= tau) a = mid + 1; else b = mid;
            }
            int from = a > i + 1 ? a : i + 1;
            total += (double)(from - (i + 1)) + lambda * ow[lo + i].w * (prefix[m] - prefix[from]);
        }
    }
    return total;
}

/* The lambda whose expected link count is `budget` (bisection in log space;
 * all pairs when even that is short of the budget). */
static double solve_lambda(const wv_t *ow, const int *off, int nixp, double budget)
{
    int maxm = 0;
    double pairs = 0;
    for (int x = 0; x < nixp; x++) {
        int m = off[x + 1] - off[x];
        if (m > maxm) maxm = m;
        pairs += (double)m * (m - 1) / 2;
    }
    if (pairs <= budget) return 1e300;
    double *prefix = malloc(((size_t)maxm + 1) * sizeof *prefix);
    if (!prefix) return 0;
    double lo = 1e-12, hi = 1e3;
    for (int it = 0; it < 60; it++) {
        double mid = sqrt(lo * hi);
        if (expected_links(ow, off, nixp, mid, prefix) < budget) lo = mid; else hi = mid;
    }
    free(prefix);
    return sqrt(lo * hi);
}

topogen_t *topogen_generate(const topogen_params_t *p, char *err, size_t errlen)
{
    int n = p->ases;
    if (n < 4 || n > 2000000) {
        snprintf(err, errlen, "the number of ASes must be between 4 and 2000000, got %d", n);
        return NULL;
    }
    const topogen_metro_t *metros = p->metros ? p->metros : builtin_metros;
    int nm = p->metros ? p->nmetros : (int)(sizeof builtin_metros / sizeof *builtin_metros);
    if (nm < 1) { snprintf(err, errlen, "the metro list is empty"); return NULL; }
    gen_t g;
    memset(&g, 0, sizeof g);
    gsl_ran_discrete_t *metro_pick = NULL;
    int *members = NULL, *stamp = NULL, *ixp_off = NULL;
    double *open_w = NULL;
    wv_t *ow = NULL;
    vec_t by_cont[NCONT];
    memset(by_cont, 0, sizeof by_cont);
    double *w = NULL;
    topogen_t *t = calloc(1, sizeof *t);
    if (!t) goto oom;
    g.t = t;
    t->n = n;
    t->metros = metros;
    t->nmetros = nm;
    t->as = calloc((size_t)n, sizeof *t->as);
    g.cont = calloc((size_t)n, sizeof *g.cont);
    w = malloc((size_t)nm * sizeof *w);
    if (!t->as || !g.cont || !w) goto oom;
    for (int i = 0; i < nm; i++) {
        if (cont_index(metros[i].continent) < 0 || !(metros[i].weight > 0)) {
            snprintf(err, errlen, "metro %s: continent must be one of AF AS EU NA OC SA and the "
                     "weight positive", metros[i].name);
            goto fail;
        }
        w[i] = metros[i].weight;
    }
    metro_pick = gsl_ran_discrete_preproc((size_t)nm, w);
    if (!metro_pick) goto oom;

    /* Tier sizes: about 16 tier-1s, 2.5% transit, 12% regional, the rest
     * stubs, scaled down for small graphs but never empty. */
    int n1 = n >= 800 ? 16 : n >= 40 ? 4 + n / 66 : 2 + (n >= 8);
    int n2 = (int)lround(0.025 * n), n3 = (int)lround(0.12 * n);
    if (n2 < 1) n2 = 1;
    if (n3 < 1) n3 = 1;
    if (n1 + n2 + n3 >= n) n3 = n - n1 - n2 - 1;
    if (n3 < 0) { n3 = 0; n2 = n - n1 - 1; }

    /* ASNs: shuffled, so an ASN says nothing of an AS's tier (the lowest
     * next-hop ASN tie-break then favours no tier) */
    gsl_rng *ra = rng_stream_create(p->seed, "topogen.asn");
    if (!ra) goto oom;
    uint32_t *asns = malloc((size_t)n * sizeof *asns);
    if (!asns) { gsl_rng_free(ra); goto oom; }
    for (int i = 0; i < n; i++) asns[i] = asn_for(i);
    gsl_ran_shuffle(ra, asns, (size_t)n, sizeof *asns);
    gsl_rng_free(ra);
    gsl_rng *rg = rng_stream_create(p->seed, "topogen.geo");
    if (!rg) { free(asns); goto oom; }
    for (int i = 0; i < n; i++) {
        topogen_as_t *a = &t->as[i];
        a->asn = asns[i];
        a->tier = i < n1 ? TOPOGEN_TIER1 : i < n1 + n2 ? TOPOGEN_TRANSIT
                : i < n1 + n2 + n3 ? TOPOGEN_REGIONAL : TOPOGEN_STUB;
        a->metro = (int)gsl_ran_discrete(rg, metro_pick);
        g.cont[i] = cont_index(metros[a->metro].continent);
        if (a->tier != TOPOGEN_TIER1 && !vec_push(&by_cont[g.cont[i]], i)) {
            free(asns); gsl_rng_free(rg);
            goto oom;
        }
    }
    free(asns);
    gsl_rng_free(rg);

    /* provider-customer links: every AS attaches to ASes created before it */
    g.r = rng_stream_create(p->seed, "topogen.providers");
    if (!g.r) goto oom;
    for (int i = 0; i < n1; i++) {
        for (int j = 0; j < i; j++)
            if (add_link(&g, j, i, 0) < 0) goto oom;
        if (!urn_add(&g, i)) goto oom;
    }
    static const double p_transit[NTIER] = { 0.55, 0.45, 0, 0 };
    static const double p_regional[NTIER] = { 0.2, 0.8, 0, 0 };
    static const double p_stub[NTIER] = { 0.03, 0.32, 0.65, 0 };
    for (int i = n1; i < n; i++) {
        double u = gsl_rng_uniform(g.r);
        int tier = t->as[i].tier, k;
        const double *tp;
        double local;
        if (tier == TOPOGEN_TRANSIT) { k = 1 + (u < 0.6) + (u < 0.3); tp = p_transit; local = 0.5; }
        else if (tier == TOPOGEN_REGIONAL) { k = 1 + (u < 0.5) + (u < 0.2); tp = p_regional; local = 0.85; }
        else { k = 1 + (u < 0.4) + (u < 0.1); tp = p_stub; local = 0.9; }
        if (attach(&g, i, k, tp, local) != 0) goto oom;
        if (!urn_add(&g, i)) goto oom;
    }

    /* private peering between transit providers of one continent */
    gsl_rng *rp = rng_stream_create(p->seed, "topogen.peering");
    if (!rp) goto oom;
    gsl_rng_free(g.r);
    g.r = rp;
    for (int i = n1; i < n1 + n2; i++) {
        int k = (int)gsl_ran_geometric(g.r, 0.2);
        for (int j = 0; j < k; j++) {
            int y = draw(&g, TOPOGEN_TRANSIT, i, 0.8);
            if (y >= 0 && y != i && add_link(&g, i, y, 0) < 0) goto oom;
        }
    }

    /* Internet exchanges: heavy-tailed membership in one metro's continent,
     * members from the metro itself first. Peering among members follows
     * each network's openness, heavy-tailed and larger for transit: a pair
     * peers with probability min(1, lambda w_i w_j) (a Chung-Lu graph per
     * IXP), so a few open networks peer with nearly everyone, as at real
     * exchanges, and lambda is set so the expected total meets the target. */
    long target = p->links > 0 ? p->links : (long)llround(6.4 * n);
    int nixp = n / 400 > 0 ? n / 400 : 1;
    t->nixps = nixp;
    ixp_off = malloc(((size_t)nixp + 1) * sizeof *ixp_off);
    stamp = malloc((size_t)n * sizeof *stamp);
    open_w = malloc((size_t)n * sizeof *open_w);
    vec_t mem = { 0 };
    if (!ixp_off || !stamp || !open_w) goto oom;
    static const double tier_open[NTIER] = { 0.0, 6.0, 2.5, 1.0 };
    for (int i = 0; i < n; i++) {
        stamp[i] = -1;
        double o = gsl_ran_pareto(g.r, 1.3, 1.0) * tier_open[t->as[i].tier];
        open_w[i] = o < 400 ? o : 400;
    }
    static const double join_p[NTIER] = { 0.0, 0.9, 0.6, 0.12 };
    for (int x = 0; x < nixp; x++) {
        ixp_off[x] = (int)mem.n;
        int metro = (int)gsl_ran_discrete(g.r, metro_pick);
        const vec_t *pool = &by_cont[cont_index(metros[metro].continent)];
        if (pool->n == 0) continue;
        /* Pareto(1, 6) sizes, stratified: IXP x draws its quantile from
         * the x-th of nixp equal slices, so every graph has its few huge
         * exchanges (the top slice is over 300 members). Drawn i.i.d., a
         * graph had none about half the time, and then even full cliques
         * fell far short of the link target (2.2 instead of 6.4 an AS). */
        double size = 6.0 / ((x + gsl_rng_uniform_pos(g.r)) / nixp);
        size_t cap = pool->n / 3 + 2 < 2500 ? pool->n / 3 + 2 : 2500;
        size_t want = size > (double)cap ? cap : (size_t)size;
        size_t got = 0;
        for (size_t tries = 0; got < want && tries < 40 * want; tries++) {
            int y = pool->v[gsl_rng_uniform_int(g.r, pool->n)];
            if (stamp[y] == x || gsl_rng_uniform(g.r) >= join_p[t->as[y].tier]) continue;
            /* same-metro networks join first: redraw most remote ones */
            if (t->as[y].metro != metro && gsl_rng_uniform(g.r) < 0.5) continue;
            stamp[y] = x;
            if (!vec_push(&mem, y)) { free(mem.v); goto oom; }
            got++;
        }
    }
    ixp_off[nixp] = (int)mem.n;
    members = mem.v;
    ow = malloc((mem.n + 1) * sizeof *ow);
    if (!ow) goto oom;
    for (size_t i = 0; i < mem.n; i++) { ow[i].w = open_w[members[i]]; ow[i].v = members[i]; }
    for (int x = 0; x < nixp; x++)
        qsort(ow + ixp_off[x], (size_t)(ixp_off[x + 1] - ixp_off[x]), sizeof *ow, cmp_weight_desc);
    double budget = (double)(target - t->m);
    double lambda = budget > 0 ? solve_lambda(ow, ixp_off, nixp, budget) : 0;
    for (int x = 0; x < nixp && lambda > 0; x++)
        for (int i = ixp_off[x]; i < ixp_off[x + 1]; i++) {
            double wi = lambda * ow[i].w;
            for (int j = i + 1; j < ixp_off[x + 1]; j++)
                if (gsl_rng_uniform(g.r) < wi * ow[j].w && add_link(&g, ow[i].v, ow[j].v, 0) < 0)
                    goto oom;
        }

    free(members); free(stamp); free(ixp_off); free(w); free(open_w); free(ow);
    for (int c = 0; c < NCONT; c++) free(by_cont[c].v);
    gsl_ran_discrete_free(metro_pick);
    gen_clear(&g);
    return t;
oom:
    snprintf(err, errlen, "out of memory generating %d ASes", n);
fail:
    free(members); free(stamp); free(ixp_off); free(w); free(open_w); free(ow);
    for (int c = 0; c < NCONT; c++) free(by_cont[c].v);
    if (metro_pick) gsl_ran_discrete_free(metro_pick);
    gen_clear(&g);
    topogen_free(t);
    return NULL;
}

/* ---- writing ----------------------------------------------------------- */

typedef struct sbuf { char *p; size_t n, cap; bool oom; } sbuf_t;

static void sb_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) { b->oom = true; return; }
        if (b->p && b->n + (size_t)k < b->cap) { b->n += (size_t)k; return; }
        size_t cap = b->cap ? b->cap * 2 : 1 << 20;
        while (cap < b->n + (size_t)k + 1) cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) { b->oom = true; return; }
        b->p = np;
        b->cap = cap;
    }
}

static char *sb_done(sbuf_t *b)
{
    if (b->oom) { free(b->p); return NULL; }
    return b->p;
}

char *topogen_asrel(const topogen_t *t)
{
    sbuf_t b = { 0 };
    int count[NTIER] = { 0 };
    for (int i = 0; i < t->n; i++) count[t->as[i].tier]++;
    sb_printf(&b, "# cdnsim topogen: %d ASes (%d tier-1, %d transit, %d regional, %d stub), "
              "%ld links, %d IXPs\n# AS1|AS2|-1: AS1 is a provider of AS2; AS1|AS2|0: peers\n",
              t->n, count[0], count[1], count[2], count[3], t->m, t->nixps);
    for (long i = 0; i < t->m; i++)
        sb_printf(&b, "%u|%u|%d\n", t->as[t->links[i].a].asn, t->as[t->links[i].b].asn,
                  t->links[i].rel);
    return sb_done(&b);
}

/* Writes s as a JSON string (metro names are plain text; escape anyway). */
static void sb_jstr(sbuf_t *b, const char *s)
{
    sb_printf(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') sb_printf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) sb_printf(b, "\\u%04x", *s);
        else sb_printf(b, "%c", *s);
    }
    sb_printf(b, "\"");
}

char *topogen_geo_json(const topogen_t *t)
{
    sbuf_t b = { 0 };
    sb_printf(&b, "{\"metros\": [");
    for (int i = 0; i < t->nmetros; i++) {
        sb_printf(&b, i ? ", " : "");
        sb_jstr(&b, t->metros[i].name);
    }
    sb_printf(&b, "],\n\"ases\": [");
    for (int i = 0; i < t->n; i++) {
        const topogen_as_t *a = &t->as[i];
        const topogen_metro_t *m = &t->metros[a->metro];
        sb_printf(&b, "%s\n{\"asn\": %u, \"tier\": \"%s\", \"metro\": %d, \"lat\": %.4f, "
                  "\"lon\": %.4f}", i ? "," : "", a->asn, topogen_tier_name(a->tier), a->metro,
                  m->lat, m->lon);
    }
    sb_printf(&b, "\n]}\n");
    return sb_done(&b);
}

/* ---- the metro list ---------------------------------------------------- */

/* Splits a CSV line in place at commas; returns the field count. */
static int split(char *line, char **f, int max)
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < max; p++)
        if (*p == ',') { *p = 0; f[k++] = p + 1; }
    for (int i = 0; i < k; i++) {
        while (*f[i] == ' ') f[i]++;
        size_t l = strlen(f[i]);
        while (l && (f[i][l - 1] == ' ' || f[i][l - 1] == '\r')) f[i][--l] = 0;
    }
    return k;
}

static bool num(const char *s, double *out)
{
    char *e;
    errno = 0;
    *out = strtod(s, &e);
    return *s && !*e && !errno && isfinite(*out);
}

int topogen_load_metros(const char *path, topogen_metro_t **out, char *err, size_t errlen)
{
    char why[128];
    FILE *f = textfile_open(path, why, sizeof why);
    if (!f) { snprintf(err, errlen, "%s: %s", path, why); return -1; }
    char line[1024];
    char *fld[16];
    int col[5] = { -1, -1, -1, -1, -1 }; /* name continent lat lon weight */
    static const char *const want[5] = { "name", "continent", "lat", "lon", "weight" };
    topogen_metro_t *m = NULL;
    int n = 0, cap = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line longer than %zu characters", path, lineno, sizeof line);
            goto fail;
        }
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        int k = split(line, fld, 16);
        if (col[0] < 0) {
            for (int c = 0; c < 5; c++)
                for (int i = 0; i < k; i++)
                    if (!strcasecmp(fld[i], want[c])) col[c] = i;
            for (int c = 0; c < 5; c++)
                if (col[c] < 0) {
                    snprintf(err, errlen, "%s:%d: the header has no '%s' column", path, lineno, want[c]);
                    goto fail;
                }
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            topogen_metro_t *nm = realloc(m, (size_t)cap * sizeof *nm);
            if (!nm) { snprintf(err, errlen, "%s: out of memory", path); goto fail; }
            m = nm;
        }
        topogen_metro_t *x = &m[n];
        int maxc = 0;
        for (int c = 0; c < 5; c++) if (col[c] > maxc) maxc = col[c];
        if (k <= maxc) {
            snprintf(err, errlen, "%s:%d: expected at least %d fields, got %d", path, lineno, maxc + 1, k);
            goto fail;
        }
        snprintf(x->name, sizeof x->name, "%s", fld[col[0]]);
        snprintf(x->continent, sizeof x->continent, "%s", fld[col[1]]);
        if (cont_index(x->continent) < 0) {
            snprintf(err, errlen, "%s:%d: continent must be one of AF AS EU NA OC SA, got '%s'",
                     path, lineno, fld[col[1]]);
            goto fail;
        }
        if (!num(fld[col[2]], &x->lat) || !num(fld[col[3]], &x->lon) ||
            x->lat < -90 || x->lat > 90 || x->lon < -180 || x->lon > 180) {
            snprintf(err, errlen, "%s:%d: lat and lon must be numbers in [-90, 90] and [-180, 180]",
                     path, lineno);
            goto fail;
        }
        if (!num(fld[col[4]], &x->weight) || !(x->weight > 0)) {
            snprintf(err, errlen, "%s:%d: weight must be a positive number, got '%s'", path,
                     lineno, fld[col[4]]);
            goto fail;
        }
        n++;
    }
    if (ferror(f)) { /* a folder reads as an error, not as an empty list */
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    if (n == 0) { free(m); snprintf(err, errlen, "%s: no metros", path); return -1; }
    *out = m;
    return n;
fail:
    fclose(f);
    free(m);
    return -1;
}
