/* geo — great-circle distances and fiber latency between points on Earth.
 *
 * Distances use the haversine formula on a sphere of radius GEO_EARTH_RADIUS_KM
 * (the mean radius; the ellipsoid error is below 0.5%, far under the error of
 * guessing a fiber route). Fiber does not follow the great circle, so a
 * one-way latency is distance x route_factor / speed-in-fiber, plus a fixed
 * processing delay for each router hop. route_factor 2.0 is the default
 * (measured fiber paths run about twice the straight line); 1.0 gives the
 * physical lower bound. Latencies are simtime_t nanoseconds, rounded to the
 * nearest nanosecond, so the same inputs give the same schedule everywhere.
 *
 * Invariant: every function here is pure; coordinates are degrees, latitude
 * in [-90, 90], longitude in [-180, 180]. */
#ifndef CDNSIM_GEO_H
#define CDNSIM_GEO_H

#include <stdbool.h>
#include "sim/simtime.h"

#define GEO_EARTH_RADIUS_KM 6371.0
#define GEO_FIBER_KM_PER_S 204000.0  /* c / 1.47, the refractive index of silica fiber */
#define GEO_DEFAULT_ROUTE_FACTOR 2.0

typedef struct geo_point {
    double lat, lon;     /* degrees */
} geo_point_t;

/* How a fiber path is costed; geo_fiber_default() gives the defaults. */
typedef struct geo_fiber {
    double route_factor;     /* fiber length over great-circle length, >= 1 */
    double km_per_s;         /* signal speed in fiber */
    simtime_t per_hop_ns;    /* processing and queueing per router hop */
} geo_fiber_t;

geo_fiber_t geo_fiber_default(void);

/* True when lat/lon are finite and inside their ranges. */
bool geo_valid(double lat, double lon);

/* Great-circle distance in kilometres. */
double geo_distance_km(geo_point_t a, geo_point_t b);

/* One-way latency over `km` of great-circle distance crossing `hops` routers. */
simtime_t geo_latency_ns(const geo_fiber_t *f, double km, int hops);

/* One-way latency between two points, `hops` routers on the way. */
simtime_t geo_point_latency_ns(const geo_fiber_t *f, geo_point_t a, geo_point_t b, int hops);

#endif
