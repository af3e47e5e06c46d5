/* catchment_map — a world map of anycast catchments, drawn with gnuplot.
 *
 * Input is a catchments document (models/net/catchments.h catchments_json with
 * groups, as `cdnsim catchments` writes it). Every client group is a dot at
 * its metro, coloured by the PoP BGP sends it to, with a line to that PoP,
 * so a catchment reaching across an ocean shows as a long line; PoPs are
 * black triangles. Coastlines come from gnuplot's own world outline
 * (Debian's gnuplot-doc ships it) or, where none is installed, a graticule. */
#ifndef CDNSIM_CATCHMENT_MAP_H
#define CDNSIM_CATCHMENT_MAP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "analysis/plot.h"

/* Writes catchments.dat/.gp into out_dir and runs gnuplot when there is
 * one. 0; -1 with the reason in err. *image is set when an image was made. */
int catchment_map(const cJSON *catchments, const char *out_dir, plot_format_t f, int *image,
                  char *err, size_t errlen);

#endif
