/* mrc_plot — the figure of a `cdnsim mrc` document; see mrc_plot.h. */
#include "analysis/mrc_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/strbuf.h"

#define MAX_CURVES 32

bool mrc_plot_is(const cJSON *j)
{
    const cJSON *k = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "kind") : NULL;
    return cJSON_IsString(k) && !strcmp(k->valuestring, "mrc");
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "lru (exact)", "fifo (miniature, R = 0.01)" */
static void legend_of(const cJSON *c, double rate, char *buf, size_t len)
{
    const char *m = str(c, "method"), *p = str(c, "policy");
    const char *how = !m ? "" : !strcmp(m, "stack") ? "exact, one pass"
                    : !strcmp(m, "simulation") ? "simulated" : !strcmp(m, "shards") ? "SHARDS" : "miniature";
    if (rate < 1) snprintf(buf, len, "%s (%s, R = %g)", p, how, rate);
    else snprintf(buf, len, "%s (%s)", p, how);
}

int mrc_plot(const cJSON *j, const char *file, const char *out_dir, plot_format_t f, int *image,
             char *err, size_t errlen)
{
    *image = 0;
    const cJSON *curves = cJSON_GetObjectItemCaseSensitive(j, "curves");
    if (!cJSON_IsArray(curves) || !curves->child) {
        snprintf(err, errlen, "%s: $.curves: no curves to plot", file);
        return -2;
    }
    const char *unit = str(j, "unit");
    bool bytes = unit && !strcmp(unit, "bytes");
    double rate = num(j, "rate");
    if (!isfinite(rate)) rate = 1;
    strbuf_t d = { 0 }, s = { 0 };
    int nc = 0, rc = 0;
    char legends[MAX_CURVES][160];
    for (const cJSON *c = curves->child; c; c = c->next, nc++) {
        const cJSON *pts = cJSON_GetObjectItemCaseSensitive(c, "points");
        if (!str(c, "policy") || !cJSON_IsArray(pts)) {
            snprintf(err, errlen, "%s: $.curves[%d]: expected a policy and its points", file, nc);
            rc = -2;
            goto done;
        }
        if (nc == MAX_CURVES) {
            snprintf(err, errlen, "%s: $.curves: more than %d curves in one figure", file, MAX_CURVES);
            rc = -2;
            goto done;
        }
        legend_of(c, rate, legends[nc], sizeof legends[nc]);
        strbuf_printf(&d, "# %s: size miss_ratio byte_miss_ratio\n", legends[nc]);
        int k = 0;
        for (const cJSON *p = pts->child; p; p = p->next, k++) {
            double x = num(p, "size"), y = num(p, "miss_ratio"), z = num(p, "byte_miss_ratio");
            if (!(x > 0) || !isfinite(y) || !isfinite(z)) {
                snprintf(err, errlen, "%s: $.curves[%d].points[%d]: expected a positive size and "
                         "numeric miss ratios", file, nc, k);
                rc = -2;
                goto done;
            }
            strbuf_printf(&d, "%.10g %.10g %.10g\n", x, y, z);
        }
        strbuf_printf(&d, "\n\n");   /* the next index block */
    }
    plot_terminal(&s, f, "mrc", 1400, 560);
    const char *trace = str(j, "trace");
    const char *base = trace ? strrchr(trace, '/') : NULL;
    char title[600];
    snprintf(title, sizeof title, "Miss-ratio curves: %s, %.0f requests%s", base ? base + 1 : trace ? trace : file,
             num(j, "requests"), rate < 1 ? " (spatially sampled)" : "");
    strbuf_printf(&s, "set multiplot layout 1,2 title ");
    plot_quote(&s, title);
    strbuf_printf(&s, " font ',13'\n"
                      "set logscale x 10\nset grid xtics ytics mxtics\nset yrange [0:1.02]\n"
                      "set key bottom left box opaque font ',10'\nset ylabel offset 1,0\n"
                      "set xlabel '%s'\n", bytes ? "cache size (bytes)" : "cache size (objects)");
    if (bytes) strbuf_printf(&s, "set format x '%%.0s %%cB'\n");
    else strbuf_printf(&s, "set format x '%%.0s%%c'\n");
    const char *panels[2][2] = { { "miss ratio", "2" }, { "byte miss ratio", "3" } };
    for (int pn = 0; pn < 2; pn++) {
        strbuf_printf(&s, "set title '%s'\nset ylabel '%s'\nplot ", panels[pn][0], panels[pn][0]);
        for (int c = 0; c < nc; c++) {
            strbuf_printf(&s, "%s'mrc.dat' index %d using 1:%s with linespoints lw 2 pt 7 ps 0.6 title ",
                          c ? ", \\\n     " : "", c, panels[pn][1]);
            plot_quote(&s, legends[c]);
        }
        strbuf_printf(&s, "\n");
    }
    strbuf_printf(&s, "unset multiplot\n");
    if (plot_write(out_dir, "mrc.dat", &d, err, errlen) != 0 || plot_write(out_dir, "mrc.gp", &s, err, errlen) != 0) {
        rc = -1;
        goto done;
    }
    char *g = plot_find_gnuplot();
    if (g) {
        rc = plot_run_gnuplot(g, out_dir, "mrc.gp", err, errlen);
        if (rc == 0) *image = 1;
        free(g);
    }
done:
    strbuf_free(&d);
    strbuf_free(&s);
    return rc;
}
