/* catchment_map — anycast and geo catchments side by side on a world map;
 * see catchment_map.h.
 *
 * Colours: a PoP keeps its colour in both panels. The MAP_NAMED busiest PoPs
 * (by the larger of their anycast and geo traffic shares) get strong colours
 * of a qualitative palette, a legend entry (id, city, both shares) and a
 * label on the map; every other PoP a pale hue a golden-angle step from the
 * previous one, so no two neighbours in the list share a colour and the
 * sequence never repeats. */
#include "analysis/catchment_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/strbuf.h"

#define MAP_NAMED 12

/* Where Debian's gnuplot-doc puts the world outline (lon lat pairs,
 * blank-line separated). */
static const char *const coastline_paths[] = {
    "/usr/share/doc/gnuplot/examples/world.dat",
    "/usr/share/gnuplot/demo/world.dat",
    NULL,
};

static const char *find_coastlines(void)
{
    for (int i = 0; coastline_paths[i]; i++)
        if (access(coastline_paths[i], R_OK) == 0) return coastline_paths[i];
    return NULL;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double share(const cJSON *pop, const char *mode)
{
    return num(cJSON_GetObjectItemCaseSensitive(pop, mode), "weight");
}

/* Twelve colours told apart at a glance (Tableau's ten without grey, and two
 * dark ones). */
static const unsigned named_rgb[MAP_NAMED] = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b,
    0xe377c2, 0x17becf, 0xbcbd22, 0x393b79, 0x637939, 0x843c39,
};

/* A pale hue for the k-th unnamed PoP: hues a golden angle apart. */
static unsigned pale_rgb(int k)
{
    double h = fmod(k * 0.6180339887498949, 1.0) * 6, s = 0.45, v = 0.8;
    int i = (int)h;
    double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double r = 0, g = 0, b = 0;
    switch (i % 6) {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
    }
    return (unsigned)(r * 255 + 0.5) << 16 | (unsigned)(g * 255 + 0.5) << 8 | (unsigned)(b * 255 + 0.5);
}

typedef struct mpop {
    const cJSON *j;
    double rank_share;
    unsigned rgb;
    bool named;
} mpop_t;

static int by_share(const void *a, const void *b)
{
    const mpop_t *x = *(const mpop_t *const *)a, *y = *(const mpop_t *const *)b;
    if (x->rank_share != y->rank_share) return x->rank_share < y->rank_share ? 1 : -1;
    return strcmp(str(x->j, "id"), str(y->j, "id"));
}

static int pop_of(const mpop_t *p, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(str(p[i].j, "id"), id)) return i;
    return -1;
}

/* One panel's segments: group (dot sized by its traffic) to its PoP. */
static void segments(strbuf_t *d, const cJSON *groups, const mpop_t *p, int n, const char *key)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, groups)
    {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(g, key);
        int i = cJSON_IsString(to) ? pop_of(p, n, to->valuestring) : -1;
        if (i < 0) continue;
        double ps = 0.35 + 14 * sqrt(num(g, "weight"));
        strbuf_printf(d, "%.4f %.4f %u %.3f\n%.4f %.4f %u %.3f\n\n", num(g, "lon"), num(g, "lat"),
                      p[i].rgb, ps, num(p[i].j, "lon"), num(p[i].j, "lat"), p[i].rgb, ps);
    }
    strbuf_printf(d, "\n");
}

static void panel(strbuf_t *gp, const char *coast, int index, const char *title, double x,
                  const mpop_t *p, int n, const char *mode)
{
    strbuf_printf(gp, "set origin %.2f, 0.2\nset size 0.5, 0.74\nset title ", x);
    plot_quote(gp, title);
    strbuf_printf(gp, " font ',13'\nunset label\n");
    /* the named PoPs' ids beside them, on a white box so lines do not hide them */
    for (int i = 0; i < n; i++) {
        if (!p[i].named || share(p[i].j, mode) <= 0) continue;
        strbuf_printf(gp, "set label ");
        plot_quote(gp, str(p[i].j, "id"));
        strbuf_printf(gp, " at %.4f, %.4f offset 0.6, 0.6 font ',9' front boxed tc rgb '#%06x'\n",
                      num(p[i].j, "lon"), num(p[i].j, "lat"), p[i].rgb);
    }
    strbuf_printf(gp, "plot ");
    if (coast) {
        plot_quote(gp, coast);
        strbuf_printf(gp, " with lines lc rgb '#b0b0b0' lw 1, \\\n     ");
    }
    strbuf_printf(gp, "'catchments.dat' index %d using 1:2:3 with lines lc rgb variable lw 0.7, \\\n"
                      "     '' index 0 using 1:2:($3 > 0 ? 9 : 8) with points pt variable ps 0.7 lc rgb '#505050', \\\n"
                      "     '' index %d every 2::0 using 1:2:4:3 with points pt 7 ps variable lc rgb variable\n",
                  index, index);
}

int catchment_map(const cJSON *doc, const char *out_dir, plot_format_t f, int *image,
                  char *err, size_t errlen)
{
    *image = 0;
    const cJSON *pops = cJSON_GetObjectItemCaseSensitive(doc, "pops");
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
    if (!cJSON_IsArray(pops) || !cJSON_IsArray(groups)) {
        snprintf(err, errlen, "a catchments document with groups and pops is needed "
                              "(cdnsim catchments writes one; a run's result holds no groups)");
        return -1;
    }
    mkdir(out_dir, 0755);
    int n = cJSON_GetArraySize(pops);
    mpop_t *p = calloc((size_t)n + 1, sizeof *p);
    mpop_t **order = calloc((size_t)n + 1, sizeof *order);
    if (!p || !order) { free(p); free(order); snprintf(err, errlen, "out of memory"); return -1; }
    n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, pops)
    {
        p[n].j = it;
        double a = share(it, "anycast"), g = share(it, "geo");
        p[n].rank_share = a > g ? a : g;
        order[n] = &p[n];
        n++;
    }
    qsort(order, (size_t)n, sizeof *order, by_share);
    for (int k = 0, pale = 0; k < n; k++) {
        order[k]->named = k < MAP_NAMED && order[k]->rank_share > 0;
        order[k]->rgb = order[k]->named ? named_rgb[k] : pale_rgb(pale++);
    }
    strbuf_t data = { 0 }, gp = { 0 };
    /* index 0: PoPs (announced 1 or 0); 1: anycast segments; 2: geo */
    for (int i = 0; i < n; i++) {
        const cJSON *ann = cJSON_GetObjectItemCaseSensitive(p[i].j, "announced");
        strbuf_printf(&data, "%.4f %.4f %d\n", num(p[i].j, "lon"), num(p[i].j, "lat"), !cJSON_IsFalse(ann));
    }
    strbuf_printf(&data, "\n\n");
    segments(&data, groups, p, n, "anycast_pop");
    strbuf_printf(&data, "\n");
    segments(&data, groups, p, n, "nearest_pop");

    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    char t1[256], t2[256];
    snprintf(t1, sizeof t1, "Anycast (BGP picks): %.1f%% of traffic not at its nearest PoP, +%.1f ms mean RTT",
             100 * num(sum, "not_nearest_share"), num(cJSON_GetObjectItemCaseSensitive(sum, "extra_rtt_ms"), "mean"));
    snprintf(t2, sizeof t2, "Geo (ideal DNS mapping: the nearest PoP)");
    plot_terminal(&gp, f, "catchments", 2000, 720);
    strbuf_printf(&gp, "# each client group (dot sized by its traffic) joined to its PoP; PoPs are\n"
                       "# triangles (hollow: withdrawn); the %d busiest PoPs named and coloured\n"
                       "set multiplot title 'Catchments: where each client group is served' font ',15'\n"
                       "set xrange [-180:180]\nset yrange [-60:80]\nset size ratio -1\n"
                       "unset key\nset xtics 60 font ',9'\nset ytics 30 font ',9'\nset grid lc rgb '#e8e8e8'\n"
                       "set style textbox opaque noborder\n", MAP_NAMED);
    const char *coast = find_coastlines();
    panel(&gp, coast, 1, t1, 0.0, p, n, "anycast");
    panel(&gp, coast, 2, t2, 0.5, p, n, "geo");
    /* the legend: a strip of its own under both maps */
    strbuf_printf(&gp, "unset label\nunset title\nunset border\nunset tics\nunset grid\nunset xlabel\n"
                       "set origin 0, 0.0\nset size 1, 0.22\nset size noratio\nset xrange [0:1]\nset yrange [0:1]\n"
                       "set key center center horizontal maxrows 3 width 3 font ',11' samplen 1 spacing 1.2 reverse Left\n"
                       "set title 'The busiest PoPs and their share of client traffic, anycast / geo (dots: client groups, sized by traffic; triangles: PoPs, hollow when withdrawn)' font ',11'\n"
                       "plot ");
    int named = 0;
    for (int k = 0; k < n; k++) {
        if (!order[k]->named) continue;
        char entry[160];
        snprintf(entry, sizeof entry, "%s %s  %.1f%% / %.1f%%", str(order[k]->j, "id"), str(order[k]->j, "city"),
                 100 * share(order[k]->j, "anycast"), 100 * share(order[k]->j, "geo"));
        strbuf_printf(&gp, "%sNaN with points pt 7 ps 2 lc rgb '#%06x' title ", named++ ? ", \\\n     " : "",
                      order[k]->rgb);
        plot_quote(&gp, entry);
    }
    if (n > named) {
        char entry[96];
        snprintf(entry, sizeof entry, "%d other PoPs (pale colours)", n - named);
        strbuf_printf(&gp, "%sNaN with points pt 7 ps 2 lc rgb '#%06x' title ", named ? ", \\\n     " : "", pale_rgb(0));
        plot_quote(&gp, entry);
    }
    strbuf_printf(&gp, "\nunset multiplot\n");
    free(p);
    free(order);
    int rc = -1;
    if (!strbuf_text(&data) || !strbuf_text(&gp)) snprintf(err, errlen, "out of memory");
    else if (plot_write(out_dir, "catchments.dat", &data, err, errlen) == 0 &&
             plot_write(out_dir, "catchments.gp", &gp, err, errlen) == 0) {
        char *gnuplot = plot_find_gnuplot();
        rc = 0;
        if (gnuplot) {
            rc = plot_run_gnuplot(gnuplot, out_dir, "catchments.gp", err, errlen);
            *image = rc == 0;
        }
        free(gnuplot);
    }
    strbuf_free(&data);
    strbuf_free(&gp);
    return rc;
}
