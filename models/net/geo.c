/* geo — distances and fiber latency; see geo.h. */
#include "models/net/geo.h"

#include <math.h>

geo_fiber_t geo_fiber_default(void)
{
    geo_fiber_t f = { GEO_DEFAULT_ROUTE_FACTOR, GEO_FIBER_KM_PER_S, 0 };
    return f;
}

bool geo_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 &&
           lon >= -180.0 && lon <= 180.0;
}

static double rad(double deg) { return deg * (M_PI / 180.0); }

double geo_distance_km(geo_point_t a, geo_point_t b)
{
    /* Haversine rather than the spherical law of cosines: it stays accurate
     * for nearby points, where acos() of a value near 1 loses digits. */
    double dlat = rad(b.lat - a.lat), dlon = rad(b.lon - a.lon);
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(rad(a.lat)) * cos(rad(b.lat)) * s2 * s2;
    if (h > 1.0) h = 1.0; /* rounding can push antipodal points past 1 */
    return 2.0 * GEO_EARTH_RADIUS_KM * asin(sqrt(h));
}

simtime_t geo_latency_ns(const geo_fiber_t *f, double km, int hops)
{
    double s = km * f->route_factor / f->km_per_s;
    return simtime_from_s(s) + (simtime_t)(hops > 0 ? hops : 0) * f->per_hop_ns;
}

simtime_t geo_point_latency_ns(const geo_fiber_t *f, geo_point_t a, geo_point_t b, int hops)
{
    return geo_latency_ns(f, geo_distance_km(a, b), hops);
}
