/* world — assembles a CDN scenario's geography: PoP sites, client metros, the
 * AS graph, the CDN's AS and its interconnections, and each client group's
 * anycast and nearest PoP. See world.h for what the request path gets and
 * docs/world.md for the rules in prose.
 *
 * The build is a straight pipeline (PoPs, metros, graph, AS homes, CDN sites,
 * client groups, BGP, catchments); everything it allocates for the graph and
 * BGP is freed before returning, so a world_t is only plain arrays. Every
 * choice that could depend on iteration order is made by an explicit total
 * order (degree, then ASN; distance, then ASN), so the same spec gives the
 * same world. */
#include "models/net/world.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "models/net/asgraph.h"
#include "models/net/bgp.h"
#include "models/net/topogen.h"
#include "sim/cfg.h"
#include "sim/textfile.h"

/* Interconnection caps per site: enough for the path diversity real CDNs
 * buy, few enough that one busy metro's PoP is not everyone's neighbour. */
#define WORLD_MAX_TRANSIT 4         /* transit providers in the PoP's metro */
#define WORLD_MAX_FAR_TRANSIT 2     /* when they must come from the continent */
#define WORLD_MAX_PEERS 8           /* regional networks met at the metro's IXP */
#define WORLD_CDN_ASN 4200000001u   /* private 32-bit ASN (RFC 6996) */

static const char *const continents[] = { "AF", "AS", "EU", "NA", "OC", "SA", NULL };

static bool continent_ok(const char *c)
{
    for (int i = 0; continents[i]; i++)
        if (!strcmp(c, continents[i])) return true;
    return false;
}

/* ---- the PoP list ------------------------------------------------------ */

/* Splits a CSV line in place at commas, trimming blanks; returns the count. */
static int split_csv(char *line, char **f, int max)
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < max; p++)
        if (*p == ',') { *p = 0; f[k++] = p + 1; }
    for (int i = 0; i < k; i++) {
        while (*f[i] == ' ' || *f[i] == '\t') f[i]++;
        size_t l = strlen(f[i]);
        while (l && (f[i][l - 1] == ' ' || f[i][l - 1] == '\t' || f[i][l - 1] == '\r'))
            f[i][--l] = 0;
    }
    return k;
}

static bool parse_num(const char *s, double *out)
{
    char *e;
    errno = 0;
    *out = strtod(s, &e);
    return *s && !*e && !errno && isfinite(*out);
}

int world_load_pops(const char *path, world_pop_t **out, char *err, size_t errlen)
{
    *out = NULL;
    char why[128];
    FILE *f = textfile_open(path, why, sizeof why);
    if (!f) { snprintf(err, errlen, "%s: %s", path, why); return -1; }
    enum { C_IATA, C_CITY, C_CONT, C_LAT, C_LON, NCOL };
    static const char *const want[NCOL] = { "iata", "city", "continent", "lat", "lon" };
    int col[NCOL] = { -1, -1, -1, -1, -1 };
    char line[1024];
    char *fld[32];
    world_pop_t *p = NULL;
    int n = 0, cap = 0, lineno = 0, maxc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line longer than %zu characters", path, lineno,
                     sizeof line - 2);
            goto fail;
        }
        line[strcspn(line, "\r\n")] = 0;
        /* a UTF-8 byte-order mark, as spreadsheet exports write */
        char *s = line;
        if (lineno == 1 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3;
        if (!s[strspn(s, " \t")] || s[0] == '#') continue;
        int k = split_csv(s, fld, 32);
        if (col[0] < 0) {
            for (int c = 0; c < NCOL; c++)
                for (int i = 0; i < k; i++)
                    if (!strcasecmp(fld[i], want[c])) col[c] = i;
            for (int c = 0; c < NCOL; c++) {
                if (col[c] < 0) {
                    snprintf(err, errlen, "%s:%d: the header has no '%s' column (expected "
                             "iata,city,country,continent,lat,lon)", path, lineno, want[c]);
                    goto fail;
                }
                if (col[c] > maxc) maxc = col[c];
            }
            continue;
        }
        if (k <= maxc) {
            snprintf(err, errlen, "%s:%d: expected at least %d fields, got %d", path, lineno,
                     maxc + 1, k);
            goto fail;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            world_pop_t *np = realloc(p, (size_t)cap * sizeof *np);
            if (!np) { snprintf(err, errlen, "%s: out of memory", path); goto fail; }
            p = np;
        }
        world_pop_t *x = &p[n];
        memset(x, 0, sizeof *x);
        const char *id = fld[col[C_IATA]];
        size_t idlen = strlen(id);
        bool id_ok = idlen > 0 && idlen < sizeof x->id;
        for (size_t i = 0; i < idlen && id_ok; i++)
            id_ok = isalnum((unsigned char)id[i]) || id[i] == '-' || id[i] == '_';
        if (!id_ok) {
            snprintf(err, errlen, "%s:%d: iata must be 1 to %zu letters, digits, '-' or '_', "
                     "got '%s'", path, lineno, sizeof x->id - 1, id);
            goto fail;
        }
        for (int i = 0; i < n; i++)
            if (!strcmp(p[i].id, id)) {
                snprintf(err, errlen, "%s:%d: PoP '%s' appears twice", path, lineno, id);
                goto fail;
            }
        memcpy(x->id, id, idlen + 1);
        snprintf(x->city, sizeof x->city, "%s", fld[col[C_CITY]]);
        if (!continent_ok(fld[col[C_CONT]])) {
            snprintf(err, errlen, "%s:%d: continent must be one of AF AS EU NA OC SA, got '%s'",
                     path, lineno, fld[col[C_CONT]]);
            goto fail;
        }
        snprintf(x->continent, sizeof x->continent, "%s", fld[col[C_CONT]]);
        if (!parse_num(fld[col[C_LAT]], &x->point.lat) || !parse_num(fld[col[C_LON]], &x->point.lon) ||
            !geo_valid(x->point.lat, x->point.lon)) {
            snprintf(err, errlen, "%s:%d: lat and lon must be numbers in [-90, 90] and "
                     "[-180, 180], got '%s', '%s'", path, lineno, fld[col[C_LAT]], fld[col[C_LON]]);
            goto fail;
        }
        x->announced = true;
        n++;
    }
    if (ferror(f)) { snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno)); goto fail; }
    if (col[0] < 0) { snprintf(err, errlen, "%s: no header line", path); goto fail; }
    if (n == 0) { snprintf(err, errlen, "%s: no PoPs", path); goto fail; }
    fclose(f);
    *out = p;
    return n;
fail:
    fclose(f);
    free(p);
    return -1;
}

/* ---- build state ------------------------------------------------------- */

/* Each AS's home as the build sees it; indexed by graph node. */
typedef struct as_home {
    int metro;               /* index into the kept metros, or -1 */
    topogen_tier_t tier;
    bool has_pt;
    geo_point_t pt;
} as_home_t;

typedef struct build {
    const world_spec_t *spec;
    const char *file;        /* the scenario file, for messages */
    char *err;
    size_t errlen;
    world_t *w;
    topogen_metro_t *metros; /* the kept metros, in file order */
    int nm;
    topogen_t *gen;
    asg_t *g;
    int n;                   /* graph nodes */
    as_home_t *home;
    int *deg;                /* links per node */
    int *by_metro, *metro_start; /* nodes grouped by metro (CSR), ascending node */
    bgp_t *b;
} build_t;

static void *oom(build_t *B)
{
    snprintf(B->err, B->errlen, "%s: out of memory building the world", B->file);
    return NULL;
}

/* A loader of a file the scenario names failed (B->err says why, naming the
 * file): the message gains the scenario and the key that named the file, so
 * a wrong name and a wrong content alike lead back to the scenario. */
static int blame_key(build_t *B, const char *key)
{
    char why[1024];
    snprintf(why, sizeof why, "%s", B->err);
    snprintf(B->err, B->errlen, "%s: $.topology.%s: %s", B->file, key, why);
    return -1;
}

/* Orders metros heaviest first; file order among equals keeps it stable. */
typedef struct mref { double w; int i; } mref_t;
static int cmp_mref(const void *a, const void *b)
{
    const mref_t *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->i - y->i;
}

static int load_metros(build_t *B)
{
    const world_spec_t *s = B->spec;
    if (!s->metros_file) return 0; /* generated graph: the generator's built-in hubs */
    topogen_metro_t *all = NULL;
    int n = topogen_load_metros(s->metros_file, &all, B->err, B->errlen);
    if (n < 0) return blame_key(B, "metros_file");
    if (n == 0) {
        snprintf(B->err, B->errlen, "%s: no metros", s->metros_file);
        free(all);
        return blame_key(B, "metros_file");
    }
    int keep = s->max_metros > 0 && s->max_metros < n ? s->max_metros : n;
    mref_t *r = malloc((size_t)n * sizeof *r);
    B->metros = malloc((size_t)keep * sizeof *B->metros);
    if (!r || !B->metros) { free(r); free(all); oom(B); return -1; }
    for (int i = 0; i < n; i++) r[i] = (mref_t){ all[i].weight, i };
    qsort(r, (size_t)n, sizeof *r, cmp_mref);
    /* the kept ones in file order, so that with every metro kept the graph
     * is the one `cdnsim topogen --metros FILE` gives for the same seed */
    bool *kept = calloc((size_t)n, sizeof *kept);
    if (!kept) { free(r); free(all); oom(B); return -1; }
    for (int i = 0; i < keep; i++) kept[r[i].i] = true;
    for (int i = 0; i < n; i++)
        if (kept[i]) B->metros[B->nm++] = all[i];
    free(kept);
    free(r);
    free(all);
    return 0;
}

/* ---- the AS graph ------------------------------------------------------ */

static int generate_graph(build_t *B)
{
    const world_spec_t *s = B->spec;
    topogen_params_t p = { s->ases, 0, s->graph_seed, B->metros, B->nm };
    char msg[512];
    B->gen = topogen_generate(&p, msg, sizeof msg);
    if (!B->gen) {
        snprintf(B->err, B->errlen, "%s: $.topology.ases: %s", B->file, msg);
        return -1;
    }
    const topogen_t *t = B->gen;
    if (!B->metros) { /* built-in hubs: copy them so the build owns its list */
        B->metros = malloc((size_t)t->nmetros * sizeof *B->metros);
        if (!B->metros) { oom(B); return -1; }
        memcpy(B->metros, t->metros, (size_t)t->nmetros * sizeof *B->metros);
        B->nm = t->nmetros;
    }
    /* Straight into a graph builder: no as-rel text round trip. */
    asg_builder_t *gb = asg_builder_create("generated graph", ASG_LOC_LINE, false);
    if (!gb) { oom(B); return -1; }
    for (long i = 0; i < t->m; i++) {
        const topogen_link_t *l = &t->links[i];
        if (asg_builder_link(gb, t->as[l->a].asn, t->as[l->b].asn, l->rel, -1, (int)i + 1, msg,
                             sizeof msg) < 0) {
            asg_builder_free(gb);
            snprintf(B->err, B->errlen, "%s: $.topology: generated graph: %s", B->file, msg);
            return -1;
        }
    }
    B->g = asg_builder_finish(gb, msg, sizeof msg);
    if (!B->g) {
        snprintf(B->err, B->errlen, "%s: $.topology: generated graph: %s", B->file, msg);
        return -1;
    }
    B->n = asg_node_count(B->g);
    B->home = calloc((size_t)B->n, sizeof *B->home);
    if (!B->home) { oom(B); return -1; }
    for (int v = 0; v < B->n; v++) B->home[v].metro = -1;
    for (int i = 0; i < t->n; i++) {
        int v = asg_index(B->g, t->as[i].asn);
        if (v < 0) continue; /* an AS without links (never generated, but harmless) */
        as_home_t *h = &B->home[v];
        h->metro = t->as[i].metro;
        h->tier = t->as[i].tier;
        h->has_pt = true;
        h->pt = (geo_point_t){ B->metros[h->metro].lat, B->metros[h->metro].lon };
    }
    return 0;
}

/* Reads topogen's --geo-out JSON: {"metros": [names], "ases": [{"asn",
 * "tier", "metro", "lat", "lon"}]}. An AS's metro is matched to the kept
 * metros by name (a metro not kept leaves the AS unhomed but located);
 * entries for ASes absent from the graph are skipped (a geo file may cover a
 * bigger graph than the one used). */
static int load_geo(build_t *B, const char *path)
{
    /* the scenarios' reader: malformed JSON is reported with its line and column */
    cfg_t cfg;
    cfg_init(&cfg, path);
    cJSON *root = cfg_load_file(&cfg, path);
    int rc = -1;
    int *name_to_kept = NULL;
    if (!root) {
        snprintf(B->err, B->errlen, "%s", cfg.err);
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(B->err, B->errlen, "%s: $: expected an object (topogen --geo-out output)", path);
        goto out;
    }
    const cJSON *names = cJSON_GetObjectItemCaseSensitive(root, "metros");
    const cJSON *ases = cJSON_GetObjectItemCaseSensitive(root, "ases");
    if (names && !cJSON_IsArray(names)) {
        snprintf(B->err, B->errlen, "%s: $.metros: expected an array of metro names", path);
        goto out;
    }
    if (!cJSON_IsArray(ases)) {
        snprintf(B->err, B->errlen, "%s: $.ases: expected an array", path);
        goto out;
    }
    int nnames = names ? cJSON_GetArraySize(names) : 0;
    name_to_kept = malloc(((size_t)nnames + 1) * sizeof *name_to_kept);
    if (!name_to_kept) { oom(B); goto out; }
    int i = 0;
    for (const cJSON *e = names ? names->child : NULL; e; e = e->next, i++) {
        if (!cJSON_IsString(e)) {
            snprintf(B->err, B->errlen, "%s: $.metros[%d]: expected a string", path, i);
            goto out;
        }
        name_to_kept[i] = -1;
        for (int m = 0; m < B->nm; m++)
            if (!strcmp(B->metros[m].name, e->valuestring)) { name_to_kept[i] = m; break; }
    }
    i = 0;
    for (const cJSON *e = ases->child; e; e = e->next, i++) {
        const cJSON *asn = cJSON_GetObjectItemCaseSensitive(e, "asn");
        if (!cJSON_IsObject(e) || !cJSON_IsNumber(asn) || asn->valuedouble < 0 ||
            asn->valuedouble > 4294967295.0 || asn->valuedouble != floor(asn->valuedouble)) {
            snprintf(B->err, B->errlen, "%s: $.ases[%d].asn: expected an ASN (0 .. 4294967295)",
                     path, i);
            goto out;
        }
        int v = asg_index(B->g, (uint32_t)asn->valuedouble);
        if (v < 0) continue;
        as_home_t *h = &B->home[v];
        const cJSON *tier = cJSON_GetObjectItemCaseSensitive(e, "tier");
        if (tier) {
            int t = -1;
            for (int k = 0; k < 4 && cJSON_IsString(tier); k++)
                if (!strcmp(tier->valuestring, topogen_tier_name((topogen_tier_t)k))) t = k;
            if (t < 0) {
                snprintf(B->err, B->errlen, "%s: $.ases[%d].tier: expected \"tier1\", "
                         "\"transit\", \"regional\" or \"stub\"", path, i);
                goto out;
            }
            h->tier = (topogen_tier_t)t;
        }
        const cJSON *metro = cJSON_GetObjectItemCaseSensitive(e, "metro");
        if (metro) {
            if (!cJSON_IsNumber(metro) || metro->valuedouble < 0 || metro->valuedouble >= nnames ||
                metro->valuedouble != floor(metro->valuedouble)) {
                snprintf(B->err, B->errlen, "%s: $.ases[%d].metro: expected an index into "
                         "$.metros (0 .. %d)", path, i, nnames - 1);
                goto out;
            }
            h->metro = name_to_kept[(int)metro->valuedouble];
        }
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(e, "lat");
        const cJSON *lon = cJSON_GetObjectItemCaseSensitive(e, "lon");
        if (lat || lon) {
            if (!cJSON_IsNumber(lat) || !cJSON_IsNumber(lon) ||
                !geo_valid(lat->valuedouble, lon->valuedouble)) {
                snprintf(B->err, B->errlen, "%s: $.ases[%d]: lat and lon must both be numbers in "
                         "[-90, 90] and [-180, 180]", path, i);
                goto out;
            }
            h->has_pt = true;
            h->pt = (geo_point_t){ lat->valuedouble, lon->valuedouble };
        }
        if (h->metro >= 0 && !h->has_pt) {
            h->has_pt = true;
            h->pt = (geo_point_t){ B->metros[h->metro].lat, B->metros[h->metro].lon };
        }
    }
    rc = 0;
out:
    free(name_to_kept);
    cJSON_Delete(root);
    return rc;
}

/* A loaded graph's tiers where the geo file gave none, from its shape: no
 * providers and some customers is a tier-1; a provider of providers is
 * transit; any other provider is regional; the rest are stubs. */
static topogen_tier_t shape_tier(const asg_t *g, int v)
{
    const int *nb;
    int np = asg_providers(g, v, &nb);
    int nc = asg_customers(g, v, &nb);
    if (nc == 0) return TOPOGEN_STUB;
    if (np == 0) return TOPOGEN_TIER1;
    for (int i = 0; i < nc; i++) {
        const int *cc;
        if (asg_customers(g, nb[i], &cc) > 0) return TOPOGEN_TRANSIT;
    }
    return TOPOGEN_REGIONAL;
}

static int load_graph(build_t *B)
{
    const world_spec_t *s = B->spec;
    if (!B->metros) {
        snprintf(B->err, B->errlen, "%s: $.topology.metros_file: needed with as_rel_file "
                 "(the metros the AS graph's geo file names)", B->file);
        return -1;
    }
    if (!s->as_geo_file) {
        snprintf(B->err, B->errlen, "%s: $.topology.as_geo_file: needed with as_rel_file "
                 "(each AS's metro, as `cdnsim topogen --geo-out` writes it)", B->file);
        return -1;
    }
    B->g = asg_load(s->as_rel_file, B->err, B->errlen);
    if (!B->g) return blame_key(B, "as_rel_file");
    B->n = asg_node_count(B->g);
    B->home = calloc((size_t)B->n, sizeof *B->home);
    if (!B->home) { oom(B); return -1; }
    for (int v = 0; v < B->n; v++) {
        B->home[v].metro = -1;
        B->home[v].tier = (topogen_tier_t)-1;
    }
    if (load_geo(B, s->as_geo_file) < 0) return blame_key(B, "as_geo_file");
    for (int v = 0; v < B->n; v++) {
        as_home_t *h = &B->home[v];
        if ((int)h->tier < 0) h->tier = shape_tier(B->g, v);
        if (!h->has_pt) h->has_pt = asg_point(B->g, v, &h->pt); /* GraphML/JSON coordinates */
    }
    return 0;
}

/* Degrees and the per-metro node lists, ascending node index (= ASN). */
static int index_graph(build_t *B)
{
    B->deg = malloc((size_t)B->n * sizeof *B->deg);
    B->metro_start = calloc((size_t)B->nm + 1, sizeof *B->metro_start);
    B->by_metro = malloc(((size_t)B->n + 1) * sizeof *B->by_metro);
    if (!B->deg || !B->metro_start || !B->by_metro) { oom(B); return -1; }
    for (int v = 0; v < B->n; v++) {
        const int *nb;
        B->deg[v] = asg_providers(B->g, v, &nb) + asg_customers(B->g, v, &nb) +
                    asg_peers(B->g, v, &nb);
        if (B->home[v].metro >= 0) B->metro_start[B->home[v].metro + 1]++;
    }
    for (int m = 0; m < B->nm; m++) B->metro_start[m + 1] += B->metro_start[m];
    int *fill = malloc(((size_t)B->nm + 1) * sizeof *fill);
    if (!fill) { oom(B); return -1; }
    memcpy(fill, B->metro_start, (size_t)B->nm * sizeof *fill);
    for (int v = 0; v < B->n; v++)
        if (B->home[v].metro >= 0) B->by_metro[fill[B->home[v].metro]++] = v;
    free(fill);
    return 0;
}

/* ---- the CDN's sites --------------------------------------------------- */

static bool is_transit(topogen_tier_t t) { return t == TOPOGEN_TIER1 || t == TOPOGEN_TRANSIT; }

/* Candidate neighbours of a site with the key they are chosen by. */
typedef struct cand { double key; int v; } cand_t;
static int cmp_cand(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->v - y->v; /* lower node index = lower ASN */
}

static int nearest_metro(const build_t *B, geo_point_t p)
{
    int best = -1;
    double bd = 0;
    for (int m = 0; m < B->nm; m++) {
        double d = geo_distance_km(p, (geo_point_t){ B->metros[m].lat, B->metros[m].lon });
        if (best < 0 || d < bd) { best = m; bd = d; }
    }
    return best;
}

static int connect(build_t *B, int site, const cand_t *c, int nc, int max, bgp_rel_t rel)
{
    char msg[256];
    for (int i = 0; i < nc && i < max; i++)
        if (bgp_site_connect(B->b, site, c[i].v, rel, msg, sizeof msg) < 0) {
            snprintf(B->err, B->errlen, "%s: $.topology: site %s: %s", B->file,
                     B->w->pops[site].id, msg);
            return -1;
        }
    return nc < max ? nc : max;
}

/* docs/routes.md's rule: a PoP buys transit from the tier-1 and transit
 * ASes of its nearest metro (the biggest first), or from the nearest ones
 * of its continent when that metro has none, or from the nearest anywhere;
 * and peers with the regional ASes of that metro at its IXP. A graph with no
 * transit tier at all still gets one provider: the nearest AS. */
static int connect_site(build_t *B, int site, cand_t *c)
{
    const world_pop_t *pop = &B->w->pops[site];
    int m = nearest_metro(B, pop->point);
    int nc = 0, made = 0, k;
    /* transit of the metro: most links first, so the big carriers are bought */
    for (int i = m < 0 ? 0 : B->metro_start[m]; m >= 0 && i < B->metro_start[m + 1]; i++) {
        int v = B->by_metro[i];
        if (is_transit(B->home[v].tier)) c[nc++] = (cand_t){ -(double)B->deg[v], v };
    }
    qsort(c, (size_t)nc, sizeof *c, cmp_cand);
    if ((k = connect(B, site, c, nc, WORLD_MAX_TRANSIT, BGP_REL_PROVIDER)) < 0) return -1;
    made += k;
    /* else the nearest transit of the continent, else of the world */
    for (int pass = 0; pass < 3 && made == 0; pass++) {
        nc = 0;
        for (int v = 0; v < B->n; v++) {
            const as_home_t *h = &B->home[v];
            if (!h->has_pt || (pass < 2 && !is_transit(h->tier))) continue;
            if (pass == 0 && (h->metro < 0 || strcmp(B->metros[h->metro].continent, pop->continent)))
                continue;
            c[nc++] = (cand_t){ geo_distance_km(pop->point, h->pt), v };
        }
        qsort(c, (size_t)nc, sizeof *c, cmp_cand);
        if ((k = connect(B, site, c, nc, pass < 2 ? WORLD_MAX_FAR_TRANSIT : 1,
                         BGP_REL_PROVIDER)) < 0)
            return -1;
        made += k;
    }
    /* IXP peering with the metro's regional networks */
    nc = 0;
    for (int i = m < 0 ? 0 : B->metro_start[m]; m >= 0 && i < B->metro_start[m + 1]; i++) {
        int v = B->by_metro[i];
        if (B->home[v].tier == TOPOGEN_REGIONAL) c[nc++] = (cand_t){ -(double)B->deg[v], v };
    }
    qsort(c, (size_t)nc, sizeof *c, cmp_cand);
    if ((k = connect(B, site, c, nc, WORLD_MAX_PEERS, BGP_REL_PEER)) < 0) return -1;
    made += k;
    if (made == 0) {
        snprintf(B->err, B->errlen, "%s: $.topology: PoP %s: no AS of the graph has a location "
                 "to connect it to", B->file, pop->id);
        return -1;
    }
    return 0;
}

/* topology.sites[k].transit / .peers: the site's links are exactly these
 * ASNs, replacing the automatic rule (a "what if we peered with X" is a
 * scenario key). Every ASN must be a node of the graph. */
static int connect_listed(build_t *B, int site, int k)
{
    const site_spec_t *ss = &B->spec->sites[k];
    if (ss->ntransit + ss->npeers == 0) {
        snprintf(B->err, B->errlen, "%s: $.topology.sites[%d]: transit and peers are both empty: the "
                 "site would have no link to announce over", B->file, k);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *asns = pass ? ss->peers : ss->transit;
        int n = pass ? ss->npeers : ss->ntransit;
        for (int j = 0; j < n; j++) {
            int v = asg_index(B->g, asns[j]);
            char msg[256];
            if (v < 0) {
                snprintf(B->err, B->errlen, "%s: $.topology.sites[%d].%s[%d]: AS%u is not in the AS "
                         "graph", B->file, k, pass ? "peers" : "transit", j, asns[j]);
                return -1;
            }
            if (bgp_site_connect(B->b, site, v, pass ? BGP_REL_PEER : BGP_REL_PROVIDER, msg, sizeof msg) < 0) {
                snprintf(B->err, B->errlen, "%s: $.topology.sites[%d].%s[%d]: %s", B->file, k,
                         pass ? "peers" : "transit", j, msg);
                return -1;
            }
        }
    }
    return 0;
}

static int cdn_asn(build_t *B, char *msg, size_t len)
{
    uint32_t asn = WORLD_CDN_ASN;
    /* the first free private ASN from there (4200000000-4294967294) */
    while (asg_index(B->g, asn) >= 0 && asn < 4294967294u) asn++;
    return bgp_cdn_asn(B->b, asn, msg, len);
}

static int make_sites(build_t *B)
{
    const world_spec_t *s = B->spec;
    world_t *w = B->w;
    char msg[256];
    if (cdn_asn(B, msg, sizeof msg) < 0) {
        snprintf(B->err, B->errlen, "%s: $.topology: %s", B->file, msg);
        return -1;
    }
    /* the sites' what-ifs name PoPs of the scenario */
    int *own = malloc(((size_t)w->npops + 1) * sizeof *own);
    if (!own) { oom(B); return -1; }
    for (int i = 0; i < w->npops; i++) own[i] = -1;
    for (int i = 0; i < s->nsites; i++) {
        int p = world_pop_index(w, s->sites[i].id);
        if (p < 0) {
            snprintf(B->err, B->errlen, "%s: $.topology.sites[%d].id: unknown PoP '%s' (not among "
                     "the scenario's PoPs)", B->file, i, s->sites[i].id);
            free(own);
            return -1;
        }
        if (s->sites[i].own_links) own[p] = i;
    }
    cand_t *c = malloc(((size_t)B->n + 1) * sizeof *c);
    if (!c) { free(own); oom(B); return -1; }
    for (int i = 0; i < w->npops; i++) {
        if (bgp_site_add(B->b, w->pops[i].id, w->pops[i].point, msg, sizeof msg) != i) {
            snprintf(B->err, B->errlen, "%s: $.topology: PoP %s: %s", B->file, w->pops[i].id, msg);
            free(c);
            free(own);
            return -1;
        }
        int rc = own[i] >= 0 ? connect_listed(B, i, own[i]) : connect_site(B, i, c);
        if (rc < 0) { free(c); free(own); return -1; }
    }
    free(c);
    free(own);
    for (int i = 0; i < s->nsites; i++) {
        const site_spec_t *ss = &s->sites[i];
        int p = world_pop_index(w, ss->id);
        if (ss->prepend < 0 || bgp_site_prepend(B->b, p, ss->prepend, msg, sizeof msg) < 0) {
            snprintf(B->err, B->errlen, "%s: $.topology.sites[%d].prepend: %s", B->file, i,
                     ss->prepend < 0 ? "expected a count >= 0" : msg);
            return -1;
        }
        w->pops[p].announced = !ss->withdrawn;
        if (bgp_site_announce(B->b, p, !ss->withdrawn, msg, sizeof msg) < 0) {
            snprintf(B->err, B->errlen, "%s: $.topology.sites[%d].withdrawn: %s", B->file, i, msg);
            return -1;
        }
    }
    int up = 0;
    for (int i = 0; i < w->npops; i++) up += w->pops[i].announced;
    if (!up) {
        snprintf(B->err, B->errlen, "%s: $.topology.sites: every PoP is withdrawn; at least one "
                 "must announce", B->file);
        return -1;
    }
    return 0;
}

/* ---- client groups ----------------------------------------------------- */

/* For each metro, up to groups_per_metro client ASes homed there: stubs and
 * regional networks (the eyeball networks), most links first (the bigger
 * access networks), lowest ASN among equals; a metro with none of those
 * takes any AS homed there; a metro with no AS at all has no groups (its
 * users are not modelled, and its weight goes to the other metros). */
static int make_groups(build_t *B)
{
    world_t *w = B->w;
    int per = B->spec->groups_per_metro > 0 ? B->spec->groups_per_metro : 3;
    w->groups = calloc((size_t)B->nm * (size_t)per + 1, sizeof *w->groups);
    cand_t *c = malloc(((size_t)B->n + 1) * sizeof *c);
    if (!w->groups || !c) { free(c); oom(B); return -1; }
    for (int m = 0; m < B->nm; m++) {
        const topogen_metro_t *mt = &B->metros[m];
        int nc = 0;
        for (int pass = 0; pass < 2 && nc == 0; pass++)
            for (int i = B->metro_start[m]; i < B->metro_start[m + 1]; i++) {
                int v = B->by_metro[i];
                topogen_tier_t t = B->home[v].tier;
                if (pass == 1 || t == TOPOGEN_STUB || t == TOPOGEN_REGIONAL)
                    c[nc++] = (cand_t){ -(double)B->deg[v], v };
            }
        if (nc == 0) continue;
        qsort(c, (size_t)nc, sizeof *c, cmp_cand);
        int k = nc < per ? nc : per;
        for (int i = 0; i < k; i++) {
            world_group_t *g = &w->groups[w->ngroups++];
            g->asn = asg_asn(B->g, c[i].v);
            snprintf(g->name, sizeof g->name, "%s/AS%u", mt->name, g->asn);
            snprintf(g->continent, sizeof g->continent, "%s", mt->continent);
            g->point = (geo_point_t){ mt->lat, mt->lon };
            g->weight = mt->weight / k;
            g->anycast_pop = g->nearest_pop = -1;
            /* the group's AS sits at its metro for hot-potato choices */
            B->home[c[i].v].has_pt = true;
            B->home[c[i].v].pt = g->point;
        }
    }
    free(c);
    if (w->ngroups == 0) {
        snprintf(B->err, B->errlen, "%s: $.topology: no AS of the graph is homed in any of the "
                 "scenario's metros, so there are no client groups", B->file);
        return -1;
    }
    double sum = 0;
    for (int i = 0; i < w->ngroups; i++) sum += w->groups[i].weight;
    for (int i = 0; i < w->ngroups; i++) w->groups[i].weight /= sum;
    return 0;
}

/* Each group's anycast and nearest PoP from the current routes. */
static int catchments(world_t *w, const char *file, char *err, size_t errlen)
{
    uint32_t path[64];
    for (int i = 0; i < w->ngroups; i++) {
        world_group_t *g = &w->groups[i];
        int v = w->group_node[i];
        bgp_catchment_t c;
        if (bgp_catchment(w->bgp, v, &w->fiber, &c) < 0) {
            snprintf(err, errlen, "%s: $.topology: group %s: no catchment (no location or "
                     "no announced PoP)", file, g->name);
            return -1;
        }
        g->nearest_pop = c.nearest_site;
        g->nearest_oneway = c.nearest_ns;
        g->anycast_pop = c.anycast_site;
        g->anycast_oneway = c.anycast_site >= 0 ? c.anycast_ns : 0;
        g->as_path_len = c.anycast_site >= 0 ? bgp_path(w->bgp, v, path, 64) : 0;
    }
    return 0;
}

int world_announce(world_t *w, int pop, bool announced, char *err, size_t errlen)
{
    int up = 0;
    for (int i = 0; i < w->npops; i++) up += i == pop ? announced : w->pops[i].announced;
    if (!up) {
        snprintf(err, errlen, "withdrawing %s would leave no PoP announcing", w->pops[pop].id);
        return -1;
    }
    if (bgp_site_announce(w->bgp, pop, announced, err, errlen) < 0) return -1;
    w->pops[pop].announced = announced;
    if (bgp_compute(w->bgp, err, errlen) < 0) return -1;
    return catchments(w, "world", err, errlen);
}

/* ---- the whole build --------------------------------------------------- */

static int select_pops(build_t *B)
{
    const world_spec_t *s = B->spec;
    world_t *w = B->w;
    if (!s->pops_file) {
        snprintf(B->err, B->errlen, "%s: $.topology.pops_file: needed", B->file);
        return -1;
    }
    world_pop_t *all = NULL;
    int n = world_load_pops(s->pops_file, &all, B->err, B->errlen);
    if (n < 0) return blame_key(B, "pops_file");
    if (!s->pops) { w->pops = all; w->npops = n; return 0; }
    if (s->npops <= 0) {
        free(all);
        snprintf(B->err, B->errlen, "%s: $.topology.pops: expected at least one PoP id", B->file);
        return -1;
    }
    w->pops = malloc((size_t)s->npops * sizeof *w->pops);
    if (!w->pops) { free(all); oom(B); return -1; }
    for (int i = 0; i < s->npops; i++) {
        int k = -1;
        for (int j = 0; j < n && k < 0; j++)
            if (!strcmp(all[j].id, s->pops[i])) k = j;
        if (k < 0 || world_pop_index(w, s->pops[i]) >= 0) {
            if (k < 0)
                snprintf(B->err, B->errlen, "%s: $.topology.pops[%d]: unknown PoP '%s' (not in %s)",
                         B->file, i, s->pops[i], s->pops_file);
            else
                snprintf(B->err, B->errlen, "%s: $.topology.pops[%d]: PoP '%s' listed twice",
                         B->file, i, s->pops[i]);
            free(all);
            return -1;
        }
        w->pops[w->npops++] = all[k];
    }
    free(all);
    return 0;
}

world_t *world_build(const world_spec_t *spec, char *err, size_t errlen)
{
    build_t B = { .spec = spec, .file = spec->file ? spec->file : "scenario", .err = err,
                  .errlen = errlen };
    world_t *w = B.w = calloc(1, sizeof *w);
    if (!w) return oom(&B);
    char msg[512];
    w->fiber = geo_fiber_default();
    if (spec->route_factor != 0) {
        if (!(spec->route_factor >= 1.0) || !isfinite(spec->route_factor)) {
            snprintf(err, errlen, "%s: $.topology.route_factor: expected a number >= 1 (fiber "
                     "length over great-circle length), got %g", B.file, spec->route_factor);
            goto fail;
        }
        w->fiber.route_factor = spec->route_factor;
    }
    if (spec->per_hop < 0) {
        snprintf(err, errlen, "%s: $.topology.per_hop_ms: expected a number >= 0", B.file);
        goto fail;
    }
    w->fiber.per_hop_ns = spec->per_hop;

    if (select_pops(&B) < 0 || load_metros(&B) < 0) goto fail;
    if (spec->as_rel_file ? load_graph(&B) < 0 : generate_graph(&B) < 0) goto fail;
    if (index_graph(&B) < 0) goto fail;
    w->ases = B.n;
    w->links = asg_link_count(B.g);

    B.b = bgp_create(B.g);
    if (!B.b) { oom(&B); goto fail; }
    bgp_set_tiebreak(B.b, BGP_TIE_HOT_POTATO);
    if (make_sites(&B) < 0 || make_groups(&B) < 0) goto fail;
    /* locations last: make_groups moves client ASes to their metro's point */
    for (int v = 0; v < B.n; v++)
        if (B.home[v].has_pt) bgp_set_point(B.b, v, B.home[v].pt);
    if (bgp_compute(B.b, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "%s: $.topology: %s", B.file, msg);
        goto fail;
    }
    w->group_node = malloc(((size_t)w->ngroups + 1) * sizeof *w->group_node);
    if (!w->group_node) { oom(&B); goto fail; }
    for (int i = 0; i < w->ngroups; i++) w->group_node[i] = asg_index(B.g, w->groups[i].asn);
    /* the world keeps the graph and its routes, for world_announce */
    w->graph = B.g;
    w->bgp = B.b;
    B.g = NULL;
    B.b = NULL;
    if (catchments(w, B.file, err, errlen) < 0) goto fail;
    goto done;
fail:
    world_free(w);
    w = NULL;
done:
    bgp_free(B.b);
    asg_free(B.g);
    topogen_free(B.gen);
    free(B.metros);
    free(B.home);
    free(B.deg);
    free(B.by_metro);
    free(B.metro_start);
    return w;
}

void world_free(world_t *w)
{
    if (!w) return;
    bgp_free(w->bgp);
    asg_free(w->graph);
    free(w->group_node);
    free(w->pops);
    free(w->groups);
    free(w);
}

int world_pop_index(const world_t *w, const char *id)
{
    for (int i = 0; i < w->npops; i++)
        if (!strcmp(w->pops[i].id, id)) return i;
    return -1;
}

simtime_t world_oneway(const world_t *w, geo_point_t a, geo_point_t b)
{
    return geo_point_latency_ns(&w->fiber, a, b, 0);
}
