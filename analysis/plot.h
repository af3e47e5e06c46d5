/* plot — figures from results through gnuplot: for each figure a data file
 * and a gnuplot script are written (atomically) into the output folder, then
 * gnuplot runs the script there. The scripts are plain and self-contained,
 * so a student can edit and rerun them (`gnuplot hit_ratio.gp`).
 *
 * A run's result gives its time series, per-PoP load and latency summary; a
 * sweep gives each watched metric against its swept numeric parameter, one
 * line per combination of the other parameters, with 95% confidence bars,
 * and for the hit ratio the analytic curve beside the simulated one when the
 * sweep is over content.ttl_s (max-age model) or over cache.capacity_objects
 * with LRU (Che's approximation), for a Zipf workload.
 *
 * Without gnuplot (none on PATH, or $CDNSIM_GNUPLOT naming none) the scripts
 * and data are still written and the outcome says so: that is not an error.
 * The helpers below the figure functions are what any further figure (the
 * catchment map) needs: terminal lines, quoting, writing, running. */
#ifndef CDNSIM_PLOT_H
#define CDNSIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/strbuf.h"

typedef enum plot_format { PLOT_PNG, PLOT_SVG } plot_format_t;

typedef struct plot_outcome {
    int figures;        /* scripts written */
    int images;         /* images gnuplot made */
    bool no_gnuplot;    /* gnuplot was not found: scripts and data only */
    char *notes;        /* a line per figure or omission, for the user (owned) */
} plot_outcome_t;

/* Plots a run's result file, a sweep's summary.json or a sweep's output
 * folder into out_dir (created). 0; -2 bad input (file and path in err); -1
 * runtime failure (writing, or gnuplot failing: its log is named). */
int plot_results(const char *input, const char *out_dir, plot_format_t f, plot_outcome_t *out,
                 char *err, size_t errlen);
void plot_outcome_free(plot_outcome_t *o);

/* The default output folder: DIR/plots for a sweep folder or its
 * summary.json, X-plots beside a result X.json. Owned. */
char *plot_default_dir(const char *input);

/* ---- reusable helpers ---- */

/* "png" or "svg"; 0, or -1 for anything else. */
int plot_format_parse(const char *name, plot_format_t *out);
const char *plot_format_ext(plot_format_t f);
/* The terminal and output lines for a w x h figure named stem.<ext>. */
void plot_terminal(strbuf_t *script, plot_format_t f, const char *stem, int w, int h);
/* s as a gnuplot string literal (double quotes, escaped). */
void plot_quote(strbuf_t *b, const char *s);
/* The gnuplot to run: $CDNSIM_GNUPLOT when set (empty: none), else gnuplot
 * found on PATH. NULL when there is none. Owned. */
char *plot_find_gnuplot(void);
/* Writes b to dir/name atomically. */
int plot_write(const char *dir, const char *name, const strbuf_t *b, char *err, size_t errlen);
/* Runs gnuplot on dir/script with dir as the working folder; its output goes
 * to dir/gnuplot.log. 0, or -1 naming the log. */
int plot_run_gnuplot(const char *gnuplot, const char *dir, const char *script, char *err, size_t errlen);

#endif
