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

/* Where one client population is served from under a routing mode other
 * than anycast (geo, DNS mapping, no CDN): for the same figures in every
 * mode. A world group may be split among several (DNS: its ISP-resolver and
 * public-resolver clients). */
typedef struct catchments_map {
    int group;               /* index into w->groups */
    double weight;           /* its traffic share */
    int pop;                 /* index into w->pops; CATCHMENTS_ORIGIN; -1 unrouted */
    simtime_t oneway;        /* client to where it is served, fiber only */
} catchments_map_t;

#define CATCHMENTS_ORIGIN (-2) /* served by the origin: never at its nearest PoP */

/* A group's extra RTT in ms (0 when it has no route). */
double catchments_extra_ms(const world_group_t *g);

/* The summary over groups of one continent ("EU"), or all with NULL.
 * 0, or -1 when out of memory. */
int catchments_summarise(const world_t *w, const char *continent, catchments_summary_t *out);

/* The same summary over a mapping (m[0..n-1]): `not_nearest` is a
 * population whose PoP is not its group's nearest (always, for the origin);
 * the extra RTT is 2 x (its one-way - the nearest's one-way). The anycast
 * fields of the summary (anycast_rtt_mean_ms) hold the mapped RTT. */
int catchments_summarise_map(const world_t *w, const catchments_map_t *m, int n, const char *continent,
                             catchments_summary_t *out);

/* The report of a mapping: {"mode", "summary", "continents", "pops"}, the
 * summary's mean RTT named mapped_rtt_ms_mean and each PoP's load under the
 * mapping ("mapped") beside geo's. NULL when out of memory. */
cJSON *catchments_json_map(const world_t *w, const catchments_map_t *m, int n, const char *mode);

/* Fills load[0..npops-1]. */
void catchments_loads(const world_t *w, catchments_load_t *load);

/* The report: {"summary", "continents", "pops", and with with_groups
 * "groups"}, as docs/world.md shows. NULL when out of memory. */
cJSON *catchments_json(const world_t *w, bool with_groups);

#endif
