/* mrc_plot — miss-ratio curves (a `cdnsim mrc --out` document) drawn with
 * gnuplot: miss ratio and byte miss ratio against the cache size on a log
 * axis, side by side, one line per policy, named in a legend with how the
 * curve was made (exact, SHARDS at rate R, miniature simulation).
 *
 * Invariant: the data file holds exactly the document's points, one gnuplot
 * index block per curve in the document's order, so the script can be
 * edited and rerun on its own (`gnuplot mrc.gp`). */
#ifndef CDNSIM_MRC_PLOT_H
#define CDNSIM_MRC_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "analysis/plot.h"

/* A `cdnsim mrc` document: "kind" is "mrc". */
bool mrc_plot_is(const cJSON *j);

/* Writes mrc.dat and mrc.gp into out_dir (which exists) and runs gnuplot
 * when there is one (*image set). 0; -2 bad input (file and JSON path in
 * err, named by `file`); -1 runtime failure. */
int mrc_plot(const cJSON *j, const char *file, const char *out_dir, plot_format_t f, int *image,
             char *err, size_t errlen);

#endif
