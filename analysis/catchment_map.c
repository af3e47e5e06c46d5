/* catchment_map — anycast catchments on a world map; see catchment_map.h. */
#include "analysis/catchment_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/strbuf.h"

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

int catchment_map(const cJSON *doc, const char *out_dir, plot_format_t f, int *image,
                  char *err, size_t errlen)
{
    *image = 0;
    const cJSON *pops = cJSON_GetObjectItemCaseSensitive(doc, "pops");
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
    if (!cJSON_IsArray(pops) || !cJSON_IsArray(groups)) {
        snprintf(err, errlen, "a catchments document with groups and pops is needed");
        return -1;
    }
    mkdir(out_dir, 0755);
    /* index 0: PoPs; index 1: group dots and their lines to the PoP, with the
     * colour the PoP's position in the list */
    strbuf_t data = { 0 }, gp = { 0 };
    /* the PoPs as an array, walked once: cJSON_GetArrayItem(pops, i) inside
     * the loop over groups was groups x PoPs^2 */
    int n = cJSON_GetArraySize(pops);
    const cJSON **pv = malloc(((size_t)n + 1) * sizeof *pv);
    if (!pv) { snprintf(err, errlen, "out of memory"); return -1; }
    n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, pops) pv[n++] = it;
    for (int i = 0; i < n; i++) {
        const cJSON *p = pv[i];
        strbuf_printf(&data, "%.4f %.4f %d\n", num(p, "lon"), num(p, "lat"), i);
    }
    strbuf_printf(&data, "\n\n");
    const cJSON *g;
    cJSON_ArrayForEach(g, groups)
    {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(g, "anycast_pop");
        if (!cJSON_IsString(to)) continue;
        for (int i = 0; i < n; i++) {
            const cJSON *p = pv[i];
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
            if (!cJSON_IsString(id) || strcmp(id->valuestring, to->valuestring) != 0) continue;
            /* a two-point segment, group first */
            strbuf_printf(&data, "%.4f %.4f %d\n%.4f %.4f %d\n\n", num(g, "lon"), num(g, "lat"), i,
                          num(p, "lon"), num(p, "lat"), i);
            break;
        }
    }
    free(pv);
    plot_terminal(&gp, f, "catchments", 1400, 760);
    strbuf_printf(&gp, "set title 'Anycast catchments: each client group joined to the PoP BGP picks'\n"
                       "set xrange [-180:180]\nset yrange [-60:80]\nset size ratio -1\n"
                       "unset key\nset xtics 30\nset ytics 30\nset grid lc rgb '#dddddd'\n"
                       "set palette defined (0 '#1b9e77', 1 '#d95f02', 2 '#7570b3', 3 '#e7298a', "
                       "4 '#66a61e', 5 '#e6ab02', 6 '#a6761d', 7 '#1f78b4')\n"
                       "set cbrange [0:8]\nunset colorbox\n"
                       "plot ");
    const char *coast = find_coastlines();
    if (coast) {
        plot_quote(&gp, coast);
        strbuf_printf(&gp, " with lines lc rgb '#999999' lw 1, \\\n     ");
    }
    strbuf_printf(&gp, "'catchments.dat' index 1 using 1:2:($3 - 8 * floor($3 / 8)) with lines lc palette lw 0.6, \\\n"
                       "     'catchments.dat' index 1 every 2::0 using 1:2:($3 - 8 * floor($3 / 8)) "
                       "with points pt 7 ps 0.5 lc palette, \\\n"
                       "     'catchments.dat' index 0 using 1:2 with points pt 9 ps 1.1 lc rgb 'black'\n");
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
