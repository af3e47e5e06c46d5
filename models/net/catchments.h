/* catchments — what anycast costs, as numbers: per client group the extra
 * round trip its anycast PoP costs over its nearest PoP, per PoP the traffic
 * it attracts under anycast and under geo mapping, and the traffic-weighted
 * summary. Shared by `cdnsim catchments` and the run results, so both report
 * the same figures from the same world_t.
 *
 * Extra RTT = 2 x (anycast one-way - nearest one-way). Means and the p90 are
 * weighted by group traffic over the groups that have a route; groups with
 * no route are counted apart (unrouted_*). */
#ifndef CDNSIM_CATCHMENTS_H
#define CDNSIM_CATCHMENTS_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "models/net/world.h"

typedef struct catchments_summary {
    int groups, routed, not_nearest, unrouted;
    double weight;           /* traffic share of these groups */
    double routed_w, not_nearest_w, unrouted_w;
    double not_nearest_share;/* not_nearest_w / routed_w */
    double extra_mean_ms, extra_p90_ms, extra_max_ms;
    double anycast_rtt_mean_ms, nearest_rtt_mean_ms;
} catchments_summary_t;

typedef struct catchments_load {
    int anycast_groups, geo_groups;
    double anycast_weight, geo_weight;
} catchments_load_t;

/* A group's extra RTT in ms (0 when it has no route). */
double catchments_extra_ms(const world_group_t *g);

/* The summary over groups of one continent ("EU"), or all with NULL.
 * 0, or -1 when out of memory. */
int catchments_summarise(const world_t *w, const char *continent, catchments_summary_t *out);

/* Fills load[0..npops-1]. */
void catchments_loads(const world_t *w, catchments_load_t *load);

/* The report: {"summary", "continents", "pops", and with with_groups
 * "groups"}, as docs/world.md shows. NULL when out of memory. */
cJSON *catchments_json(const world_t *w, bool with_groups);

#endif
